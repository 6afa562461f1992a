/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dead-name notifications: a private notify port and a thread that drops
 * a service's names when the kernel says its port died.  Without kernel
 * support machd still works; registry_find() then notices dead ports lazily.
 */
#ifndef MACHD_DEADWATCH_H
#define MACHD_DEADWATCH_H

#include <mach/mach.h>

/* Make the notify port and start the thread; false (logged) on failure. */
int deadwatch_start(void);

/* Ask for a dead-name notification on port; logs the first failure only. */
kern_return_t deadwatch_arm(mach_port_t port);

#endif /* MACHD_DEADWATCH_H */
