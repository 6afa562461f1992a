// SPDX-License-Identifier: GPL-2.0
/*
 * Mach IPC for Linux: the /dev/mach misc device.
 *
 * Opening the device gives the calling process (thread group) its IPC
 * space; the open file owns it, as binder's file owns a binder_proc.  Only
 * threads of that process may use the file: a forked child that inherited
 * the descriptor gets -EBADFD and must open its own.  Closing the last
 * reference (normally at exit) tears the space down.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "desc.h"
#include "fileport.h"
#include "kmsg.h"
#include "mem_entry.h"
#include "mqueue.h"
#include "msg.h"
#include "netlink.h"
#include "port.h"
#include "port_fd.h"
#include "port_ops.h"
#include "space.h"
#include "stats.h"
#include "task.h"
#include "ucopy.h"
#include "user.h"

unsigned int mach_max_names = 262144;
module_param_named(max_names, mach_max_names, uint, 0644);
MODULE_PARM_DESC(max_names, "Most names one IPC space may hold");

module_param_named(max_inline, mach_max_inline, uint, 0644);
MODULE_PARM_DESC(max_inline, "Largest inline message in bytes (XNU: ~48 MiB)");

module_param_named(max_ool, mach_max_ool, uint, 0644);
MODULE_PARM_DESC(max_ool, "Most out-of-line bytes one message may carry");

module_param_named(ool_cache_pages, mach_ool_cache_pages, uint, 0644);
MODULE_PARM_DESC(ool_cache_pages,
		 "Most freed OOL pages one space keeps for its next sends (0: none)");

module_param_named(ool_cache_max_pages, mach_ool_cache_max, ulong, 0644);
MODULE_PARM_DESC(ool_cache_max_pages,
		 "Most freed OOL pages all spaces keep together");

module_param_named(max_user_msgs, mach_max_user_msgs, uint, 0644);
MODULE_PARM_DESC(max_user_msgs,
		 "Most messages one user may have queued or in flight");

module_param_named(max_user_bytes, mach_max_user_bytes, ulong, 0644);
MODULE_PARM_DESC(max_user_bytes,
		 "Most header+body bytes one user may have queued or in flight");

module_param_named(max_user_ool, mach_max_user_ool, ulong, 0644);
MODULE_PARM_DESC(max_user_ool,
		 "Most out-of-line bytes one user may have queued or in flight");

static int mach_open(struct inode *inode, struct file *file)
{
	struct mach_space *space;

	space = mach_space_create();
	if (!space)
		return -ENOMEM;
	mach_task_inherit(space);
	mach_registry_add(space);
	file->private_data = space;
	return 0;
}

static int mach_release(struct inode *inode, struct file *file)
{
	struct mach_space *space = file->private_data;

	mach_registry_del(space);
	mach_space_destroy(space);
	return 0;
}

static long mach_ioctl_version(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_version v = {
		.abi_version = MACH_ABI_VERSION,
		.features = MACH_FEATURE_MSG | MACH_FEATURE_COMPLEX |
			    MACH_FEATURE_PSET | MACH_FEATURE_NOTIFY |
			    MACH_FEATURE_PORT_FD | MACH_FEATURE_FILEPORT |
			    MACH_FEATURE_MEMORY_ENTRY,
		.max_inline = mach_max_inline,
		.space_id = pid_vnr(space->pid),
	};

	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long mach_ioctl_msg(struct mach_space *space, void __user *uarg)
{
	struct mach_ioc_msg a;

	/* the message path's every call: the cheap small copy (ucopy.h) */
	if (mach_copy_in_small(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.reserved || a.notify)
		return -EINVAL;
	return mach_msg_ioctl(space, &a);
}

static long mach_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct mach_space *space = file->private_data;
	void __user *uarg = (void __user *)arg;

	/* the space belongs to the process that opened the file */
	if (space->pid != task_tgid(current))
		return -EBADFD;

	switch (cmd) {
	case MACH_IOC_VERSION:
		return mach_ioctl_version(space, uarg);
	case MACH_IOC_TASK_SELF:
		return put_user(space->task_self, (__u32 __user *)uarg);
	case MACH_IOC_MSG:
		return mach_ioctl_msg(space, uarg);
	case MACH_IOC_PORT_FD:
		return mach_port_fd_ioctl(space, uarg);
	case MACH_IOC_FILEPORT_MAKEPORT:
	case MACH_IOC_FILEPORT_MAKEFD:
		return mach_fileport_ioctl(space, cmd, uarg);
	case MACH_IOC_MAKE_MEMORY_ENTRY:
		return mach_mem_entry_ioctl(space, uarg);
	case MACH_IOC_VM_MAP:
		return mach_vm_map_ioctl(space, uarg);
	default:
		return mach_port_ioctl(space, cmd, uarg);
	}
}

static const struct file_operations mach_fops = {
	.owner = THIS_MODULE,
	.open = mach_open,
	.release = mach_release,
	.unlocked_ioctl = mach_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* Is file an open /dev/mach (a space's file)? */
bool mach_file_is_device(const struct file *file)
{
	return file->f_op == &mach_fops;
}

static struct miscdevice mach_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mach",
	.fops = &mach_fops,
	.mode = 0666,
};

/*
 * The object caches.  Idempotent: on kernels where KUnit runs a module's
 * suites before its init function (6.1 runs them while the module is
 * "coming"), the suites set the caches up first.
 */
int mach_caches_init(void)
{
	int ret;

	mach_mqueue_init();
	ret = mach_space_init_cache();
	if (ret)
		return ret;
	ret = mach_port_init_cache();
	if (ret)
		goto err_space;
	ret = mach_kmsg_init_cache();
	if (ret)
		goto err_port;
	return 0;

err_port:
	mach_port_exit_cache();
err_space:
	mach_space_exit_cache();
	return ret;
}

static void mach_caches_exit(void)
{
	mach_kmsg_exit_cache();
	mach_port_exit_cache();
	mach_space_exit_cache();
}

static int __init mach_init(void)
{
	int ret;

	ret = mach_caches_init();
	if (ret)
		return ret;
	ret = mach_ool_init();
	if (ret)
		goto err_caches;
	ret = mach_netlink_init();
	if (ret)
		goto err_ool;
	ret = misc_register(&mach_misc);
	if (ret)
		goto err_netlink;
	mach_stats_debugfs_init();
	return 0;

err_netlink:
	mach_netlink_exit();
err_ool:
	mach_ool_exit();
err_caches:
	mach_caches_exit();
	return ret;
}

static void __exit mach_exit(void)
{
	mach_stats_debugfs_exit();
	misc_deregister(&mach_misc);
	mach_netlink_exit();
	mach_host_exit();
	mach_ool_exit();
	mach_caches_exit();
}

module_init(mach_init);
module_exit(mach_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Mach IPC: ports, rights and mach_msg over /dev/mach");
MODULE_AUTHOR("Mach IPC for Linux developers");
