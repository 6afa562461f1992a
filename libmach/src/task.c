/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Task special ports and the pid <-> task port translations. */
#include <unistd.h>

#include <linux/mach.h>

#include "internal.h"

MACH_EXPORT kern_return_t
task_get_special_port(task_inspect_t task, int which_port, mach_port_t *special_port)
{
	struct mach_task_special_args a = { .task = task, .which = (__u32)which_port };
	kern_return_t kr;

	if (special_port == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_TASK_GET_SPECIAL, &a);
	/*
	 * The host port is libmach's (see kobject.c), the same for every
	 * task: hand out ours, with a new send reference, as macOS does.
	 */
	if (kr == KERN_SUCCESS && which_port == TASK_HOST_PORT && a.port == MACH_PORT_NULL) {
		a.port = mach_host_self();
		if (a.port == MACH_PORT_NULL)
			kr = KERN_RESOURCE_SHORTAGE;
	}
	if (kr == KERN_SUCCESS)
		*special_port = a.port;
	return kr;
}

MACH_EXPORT kern_return_t
task_set_special_port(task_t task, int which_port, mach_port_t special_port)
{
	struct mach_task_special_args a = {
		.task = task, .which = (__u32)which_port, .port = special_port,
	};

	return _mach_port_call(MACH_IOC_TASK_SET_SPECIAL, &a);
}

MACH_EXPORT kern_return_t
task_for_pid(mach_port_name_t target_tport, int pid, mach_port_name_t *t)
{
	struct mach_task_pid_args a = { .task = target_tport, .pid = pid };
	kern_return_t kr;

	if (t == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_TASK_FOR_PID, &a);
	/* a trap, not a MIG call: XNU says KERN_FAILURE for a bad task port */
	if (kr == MACH_SEND_INVALID_DEST)
		kr = KERN_FAILURE;
	/* macOS leaves MACH_PORT_NULL in *t on failure. */
	*t = kr == KERN_SUCCESS ? a.port : MACH_PORT_NULL;
	return kr;
}

MACH_EXPORT kern_return_t pid_for_task(mach_port_name_t t, int *x)
{
	struct mach_task_pid_args a = { .task = t };
	kern_return_t kr;

	if (x == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_PID_FOR_TASK, &a);
	/* a trap, not a MIG call: XNU says KERN_FAILURE for a non-task port */
	if (kr == MACH_SEND_INVALID_DEST)
		kr = KERN_FAILURE;
	/* macOS reports -1 when the name is not a task port. */
	*x = kr == KERN_SUCCESS ? a.pid : -1;
	return kr;
}

/* libsyscall's helper: our own task under any name we hold for it. */
MACH_EXPORT boolean_t mach_task_is_self(task_name_t task)
{
	int pid;

	if (task == MACH_PORT_NULL)
		return FALSE;
	if (task == mach_task_self())
		return TRUE;
	return pid_for_task(task, &pid) == KERN_SUCCESS && pid == getpid();
}
