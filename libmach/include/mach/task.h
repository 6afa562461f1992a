/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/task.h>: the task routines libmach implements. */
#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/task_special_ports.h>
#include <mach/task_info.h>

__BEGIN_DECLS

/* Get a send right to one of task's special ports (TASK_*_PORT). */
kern_return_t task_get_special_port(task_inspect_t task, int which_port,
				    mach_port_t *special_port);

/* Replace one of task's special ports with a copy of special_port. */
kern_return_t task_set_special_port(task_t task, int which_port,
				    mach_port_t special_port);

/* Mach semaphores; see <mach/semaphore.h>. */
kern_return_t semaphore_create(task_t task, semaphore_t *semaphore,
			       int policy, int value);
kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore);

/*
 * Only for the caller's own task: TASK_BASIC_INFO(_32/_64),
 * MACH_TASK_BASIC_INFO and TASK_THREAD_TIMES_INFO, from /proc and getrusage.
 */
kern_return_t task_info(task_name_t target_task, task_flavor_t flavor,
			task_info_t task_info_out,
			mach_msg_type_number_t *task_info_outCnt);

__END_DECLS

#endif /* _MACH_TASK_H_ */
