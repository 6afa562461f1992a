// SPDX-License-Identifier: GPL-2.0
/*
 * The task and host routines: special ports, the fork hand-off of the
 * bootstrap port, task_for_pid and pid_for_task.  task.c does the work;
 * these unpack the ioctl arguments and check who may ask.
 */

#include <linux/capability.h>
#include <linux/pid.h>
#include <linux/mach.h>
#include "port_ops.h"
#include "space.h"
#include "task.h"

int mach_op_get_special(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	struct mach_task_special_args *a = p;

	return mach_task_get_special(caller, task, a->which, &a->port);
}

int mach_op_set_special(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	struct mach_task_special_args *a = p;

	return mach_task_set_special(caller, task, a->which, a->port);
}

int mach_op_host_get_special(struct mach_space *caller, struct mach_space *task,
			     void *p)
{
	struct mach_task_special_args *a = p;

	return mach_host_get_special(caller, a->which, &a->port);
}

int mach_op_host_set_special(struct mach_space *caller, struct mach_space *task,
			     void *p)
{
	struct mach_task_special_args *a = p;

	/* the host's ports are the administrator's, not a namespace's */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return mach_host_set_special(caller, a->which, a->port);
}

/* The fork hand-off works on the caller's own space only. */
int mach_op_fork_prepare(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_fork_args *a = p;

	if (task != caller)
		return KERN_INVALID_ARGUMENT;
	return mach_fork_prepare(caller, &a->cookie);
}

int mach_op_fork_inherit(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_fork_args *a = p;

	if (task != caller)
		return KERN_INVALID_ARGUMENT;
	return mach_fork_inherit(caller, a->cookie);
}

int mach_op_task_for_pid(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_task_pid_args *a = p;

	return mach_task_for_pid(caller, a->pid, &a->port);
}

int mach_op_pid_for_task(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_task_pid_args *a = p;

	a->pid = pid_vnr(task->pid);
	return KERN_SUCCESS;
}
