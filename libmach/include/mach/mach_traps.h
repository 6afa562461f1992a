/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_traps.h>: what macOS implements as Mach traps.  Here they are
 * /dev/mach ioctls behind ordinary functions.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <sys/cdefs.h>
#include <mach/std_types.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

/* A fresh receive right in the caller's space, or MACH_PORT_NULL. */
extern mach_port_name_t mach_reply_port(void);

/* The caller's name for its own task port (uncached form of mach_task_self()). */
extern mach_port_name_t task_self_trap(void);

/* A send right to the task port of process pid, if the caller may have it. */
extern kern_return_t task_for_pid(mach_port_name_t target_tport, int pid,
				  mach_port_name_t *t);

/* The pid of the process whose task port t names. */
extern kern_return_t pid_for_task(mach_port_name_t t, int *x);

__END_DECLS

#endif /* _MACH_MACH_TRAPS_H_ */
