/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bootstrap_port global, as macOS's libSystem fills it before main().
 *
 * The kernel gives every new IPC space a send right to its parent
 * process's bootstrap port (else the host default set by machd).  We read
 * our name for it once at start.  A forked child gets a new space in which
 * the name may differ, so device.c's fork handler calls back here to open
 * the device at once and read it again: waiting for the child's first Mach
 * call could find the parent gone and the inheritance lost.
 */
#include "internal.h"
#include <bootstrap.h>

MACH_EXPORT mach_port_t bootstrap_port = MACH_PORT_NULL;

/* No device (module not loaded) leaves MACH_PORT_NULL: calls then fail cleanly. */
static void bootstrap_port_read(void)
{
	mach_port_t port = MACH_PORT_NULL;

	bootstrap_port = MACH_PORT_NULL;
	if (mach_task_self() == MACH_PORT_NULL)
		return;
	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &port) ==
	    KERN_SUCCESS)
		bootstrap_port = port;
}

__attribute__((constructor)) static void bootstrap_port_init(void)
{
	_mach_fork_child_hook = bootstrap_port_read;
	bootstrap_port_read();
}
