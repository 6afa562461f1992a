/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/task.h>: the task routines libmach implements. */
#ifndef _MACH_TASK_H_
#define _MACH_TASK_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/task_special_ports.h>

__BEGIN_DECLS

/* Get a send right to one of task's special ports (TASK_*_PORT). */
kern_return_t task_get_special_port(task_inspect_t task, int which_port,
				    mach_port_t *special_port);

/* Replace one of task's special ports with a copy of special_port. */
kern_return_t task_set_special_port(task_t task, int which_port,
				    mach_port_t special_port);

__END_DECLS

#endif /* _MACH_TASK_H_ */
