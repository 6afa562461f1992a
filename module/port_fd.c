// SPDX-License-Identifier: GPL-2.0
/*
 * Receive rights and port sets as pollable files, for Linux event loops
 * (poll, select, epoll, io_uring): what kqueue's EVFILT_MACHPORT gives
 * macOS code.
 *
 * The file watches one right of one space.  It is readable while the port
 * has a message queued (for a set: while any member has one) and hung up
 * while that space no longer holds the right: the port died, its receive
 * right moved to another space or into a message, or the set was
 * destroyed.  Receiving is still mach_msg's job; the file grants nothing.
 *
 * Blocked receivers wait on a list under the port's lock (mqueue.c), which
 * poll cannot use; pollers sleep on a wait queue of their own, in the
 * port's request block (allocated when the first file is made, so ports
 * without files pay nothing) or in the set.  Every place that wakes
 * receivers wakes the pollers too: a new message with EPOLLIN (a poll
 * entry is not exclusive unless EPOLLEXCLUSIVE asks, so every poller
 * sees it), a death or move with EPOLLHUP.  The poll function looks at
 * the queue under the lock that wakers hold while they test for sleepers
 * (port->lock, pset->lock), after poll_wait() has queued it, so a message
 * that arrives in between is never missed.
 *
 * The file holds a reference to the port or set object, which keeps its
 * memory (and wait queue) but not the right alive, and one to the space,
 * so that "does this space still hold it" compares a live pointer.
 */

#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "port.h"
#include "port_fd.h"
#include "port_ops.h"
#include "pset.h"
#include "space.h"
#include "task.h"

struct mach_port_fd {
	struct mach_space *space;	/* the space whose right it watches */
	struct mach_port *port;		/* the port, or NULL for a set */
	struct mach_pset *pset;		/* the set, or NULL for a port */
	u32 name;			/* the right's name when made */
};

static __poll_t mach_port_fd_poll(struct file *file, poll_table *pt)
{
	struct mach_port_fd *pfd = file->private_data;
	__poll_t mask = 0;

	if (pfd->port) {
		struct mach_port *port = pfd->port;

		poll_wait(file, &port->requests->pollers, pt);
		spin_lock(&port->lock);
		if (!port->active || port->receiver != pfd->space)
			mask = EPOLLHUP;
		else if (port->msgcount)
			mask = EPOLLIN | EPOLLRDNORM;
		spin_unlock(&port->lock);
	} else {
		struct mach_pset *pset = pfd->pset;

		poll_wait(file, &pset->pollers, pt);
		spin_lock(&pset->lock);
		if (!pset->active)
			mask = EPOLLHUP;
		else if (!list_empty(&pset->ready))
			mask = EPOLLIN | EPOLLRDNORM;
		spin_unlock(&pset->lock);
	}
	return mask;
}

static int mach_port_fd_release(struct inode *inode, struct file *file)
{
	struct mach_port_fd *pfd = file->private_data;

	if (pfd->port)
		mach_port_put(pfd->port);
	else
		mach_pset_put(pfd->pset);
	mach_space_put(pfd->space);
	kfree(pfd);
	return 0;
}

/* /proc/PID/fdinfo/FD: which right of which process. */
static void mach_port_fd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct mach_port_fd *pfd = file->private_data;

	seq_printf(m, "mach-%s:\t0x%x\n", pfd->port ? "port" : "pset",
		   pfd->name);
	seq_printf(m, "mach-space-pid:\t%d\n", pid_vnr(pfd->space->pid));
}

static const struct file_operations mach_port_fd_fops = {
	.owner = THIS_MODULE,
	.poll = mach_port_fd_poll,
	.release = mach_port_fd_release,
	.show_fdinfo = mach_port_fd_show_fdinfo,
	.llseek = noop_llseek,
};

/* Take a reference to the right 'name' denotes; a kern_return_t. */
static int mach_port_fd_bind(struct mach_space *task, u32 name,
			     struct mach_port_fd *pfd)
{
	struct mach_entry *entry;
	int kr;

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	entry = mach_op_lookup(task, name, &kr);
	if (!entry)
		return kr;
	kr = KERN_SUCCESS;
	if (entry->type & MACH_PORT_TYPE_RECEIVE) {
		/* the pollers' wait queue is in the request block */
		kr = mach_port_requests_alloc(entry->object);
		if (kr == KERN_SUCCESS) {
			pfd->port = entry->object;
			mach_port_get(pfd->port);
		}
	} else if (entry->type & MACH_PORT_TYPE_PORT_SET) {
		pfd->pset = entry->object;
		mach_pset_get(pfd->pset);
	} else {
		kr = KERN_INVALID_RIGHT;
	}
	mutex_unlock(&task->lock);
	pfd->name = name;
	return kr;
}

long mach_port_fd_ioctl(struct mach_space *caller, void __user *uarg)
{
	struct mach_port_fd_args __user *ua = uarg;
	struct mach_port_fd_args a;
	struct mach_port_fd *pfd;
	struct mach_space *task;
	struct file *file;
	int fd, kr;

	if (copy_from_user(&a, ua, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	task = mach_task_lookup(caller, a.task);
	if (!task)
		return MACH_SEND_INVALID_DEST;
	pfd = kzalloc(sizeof(*pfd), GFP_KERNEL_ACCOUNT);
	if (!pfd) {
		mach_space_put(task);
		return KERN_RESOURCE_SHORTAGE;
	}
	pfd->space = task;	/* the look-up's reference */
	kr = mach_port_fd_bind(task, a.name, pfd);
	if (kr != KERN_SUCCESS)
		goto err_free;

	fd = get_unused_fd_flags(a.flags & O_CLOEXEC);
	if (fd < 0) {
		kr = fd;
		goto err_put;
	}
	file = anon_inode_getfile("[mach_port]", &mach_port_fd_fops, pfd,
				  O_RDONLY | (a.flags & O_NONBLOCK));
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		kr = PTR_ERR(file);
		goto err_put;
	}
	/* the file owns pfd now; the fd exists once the caller knows it */
	if (put_user(fd, &ua->fd)) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	fd_install(fd, file);
	return KERN_SUCCESS;

err_put:
	if (pfd->port)
		mach_port_put(pfd->port);
	else
		mach_pset_put(pfd->pset);
err_free:
	mach_space_put(task);
	kfree(pfd);
	return kr;
}
