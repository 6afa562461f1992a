/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_host.h>: host-wide ports.
 *
 * Linux-specific.  macOS sets the bootstrap port of the first task from
 * launchd; Linux has no such task, so the kernel keeps a host default
 * bootstrap port that a new IPC space gets when its parent process has
 * none.  The name server (machd) sets it at start.
 */
#ifndef _MACH_MACH_HOST_H_
#define _MACH_MACH_HOST_H_

#include <sys/cdefs.h>
#include <mach/kern_return.h>
#include <mach/port.h>

__BEGIN_DECLS

/*
 * Linux-specific: make port (a send right the caller holds; MACH_PORT_NULL
 * clears it) the host default bootstrap port.  Needs CAP_SYS_ADMIN:
 * KERN_NO_ACCESS without it.  The kernel keeps its own send right.
 */
kern_return_t mach_host_set_bootstrap_port(mach_port_t port);

/*
 * Linux-specific: a new send right to the host default bootstrap port in
 * *port, or MACH_PORT_NULL when none is set.
 */
kern_return_t mach_host_get_bootstrap_port(mach_port_t *port);

__END_DECLS

#endif /* _MACH_MACH_HOST_H_ */
