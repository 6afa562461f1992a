// SPDX-License-Identifier: GPL-2.0
/*
 * Fileports: an open file carried in Mach messages, as on macOS.
 *
 * fileport_makeport() makes a kernel-object port (MACH_KOBJ_FILE) whose
 * object is a reference to the open file, and gives the caller a send
 * right to it.  The send right travels in messages like any other;
 * fileport_makefd() in the receiver installs a new descriptor for the same
 * open file description (as dup() would), close-on-exec.  The kernel
 * holds the receive right: when the last send right anywhere goes (the
 * holder deallocates it, its space dies, or a message carrying it is
 * destroyed), kobject.c destroys the port and drops the file.
 *
 * The port and its name are charged to the caller like any port
 * (GFP_KERNEL_ACCOUNT, the space's name limit); the file's own memory was
 * charged when it was opened.
 */

#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "fileport.h"
#include "port.h"
#include "right.h"
#include "space.h"

/*
 * XNU refuses descriptors that cannot leave their process (kqueues).
 * Here that is /dev/mach itself: a space's file held by a port in a
 * space would keep that space alive for ever, and a space is its
 * process's alone.
 */
static bool mach_file_sendable(const struct file *file)
{
	return !mach_file_is_device(file);
}

static long mach_fileport_makeport(struct mach_space *space,
				   struct mach_fileport_args *a)
{
	struct mach_port *port;
	struct file *file;
	int kr;

	file = fget(a->fd);
	if (!file)
		return -EBADF;
	if (!mach_file_sendable(file)) {
		fput(file);
		return -EINVAL;
	}
	port = mach_port_alloc_kobject(MACH_KOBJ_FILE, file);
	if (!port) {
		fput(file);
		return -EAGAIN;
	}
	/* the creation reference is the kernel's receive right */
	mach_port_get(port);
	port->srights = 1;
	port->mscount = 1;
	/* consumed either way: on failure the port dies, and fput()s */
	kr = mach_right_give(space, port, MACH_MSG_TYPE_PORT_SEND, &a->port);
	return kr == KERN_SUCCESS ? 0 : -EINVAL;
}

/* The file behind a send right to a fileport, with a reference, or NULL. */
static struct file *mach_fileport_file(struct mach_space *space, u32 name)
{
	struct file *file = NULL;
	struct mach_entry *entry;
	struct mach_port *port;

	mutex_lock(&space->lock);
	entry = space->active ? mach_entry_lookup(space, name) : NULL;
	if (entry && (entry->type & MACH_PORT_TYPE_SEND)) {
		port = entry->object;
		spin_lock(&port->lock);
		if (port->active && port->kobj_type == MACH_KOBJ_FILE)
			file = mach_port_kobject(port);
		if (file)
			get_file(file);
		spin_unlock(&port->lock);
	}
	mutex_unlock(&space->lock);
	return file;
}

static long mach_fileport_makefd(struct mach_space *space,
				 struct mach_fileport_args *a,
				 struct mach_fileport_args __user *ua)
{
	struct file *file;
	int fd;

	if (!MACH_PORT_VALID(a->port))
		return -EINVAL;
	file = mach_fileport_file(space, a->port);
	if (!file)
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	if (put_user(fd, &ua->fd)) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	fd_install(fd, file);
	return 0;
}

long mach_fileport_ioctl(struct mach_space *space, unsigned int cmd,
			 void __user *uarg)
{
	struct mach_fileport_args __user *ua = uarg;
	struct mach_fileport_args a;
	long ret;

	if (copy_from_user(&a, ua, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.reserved)
		return -EINVAL;
	if (cmd == MACH_IOC_FILEPORT_MAKEFD)
		return mach_fileport_makefd(space, &a, ua);

	ret = mach_fileport_makeport(space, &a);
	if (ret)
		return ret;
	if (put_user(a.port, &ua->port)) {
		/* the name is the caller's; without it, nobody can use it */
		mutex_lock(&space->lock);
		if (space->active) {
			struct mach_entry *entry;

			entry = mach_entry_lookup(space, a.port);
			if (entry)
				mach_right_dealloc(space, entry);
		}
		mutex_unlock(&space->lock);
		return -EFAULT;
	}
	return 0;
}
