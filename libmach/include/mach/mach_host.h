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
#include <mach/mach_types.h>
#include <mach/host_info.h>
#include <mach/clock_types.h>

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

/*
 * host_info(): HOST_BASIC_INFO (CPU counts from sysconf, memory from
 * sysinfo, this machine's cpu_type), HOST_SCHED_INFO and
 * HOST_PREFERRED_USER_ARCH; other flavors get KERN_INVALID_ARGUMENT.  host must be a name
 * from mach_host_self().
 */
kern_return_t host_info(host_t host, host_flavor_t flavor,
			host_info_t host_info_out,
			mach_msg_type_number_t *host_info_outCnt);

/*
 * host_statistics(): HOST_LOAD_INFO (/proc/loadavg), HOST_CPU_LOAD_INFO
 * (/proc/stat, in clock ticks) and HOST_VM_INFO; host_statistics64() also
 * HOST_VM_INFO64 and HOST_EXTMOD_INFO64 (all zero).  Page counts come from
 * /proc/meminfo and /proc/vmstat, as near to XNU's meaning as Linux has:
 * active/inactive/free as Linux counts them, wired = unevictable and kernel
 * pages, internal/external = anonymous/file pages, pageins = major faults,
 * compressor figures from zswap where it is on.  Counters Linux does not
 * keep (cow_faults, lookups, hits, purges) are 0, and so are the event
 * counts on a kernel built without CONFIG_VM_EVENT_COUNTERS.
 */
kern_return_t host_statistics(host_t host_priv, host_flavor_t flavor,
			      host_info_t host_info_out,
			      mach_msg_type_number_t *host_info_outCnt);
kern_return_t host_statistics64(host_t host_priv, host_flavor_t flavor,
				host_info64_t host_info64_out,
				mach_msg_type_number_t *host_info64_outCnt);

kern_return_t host_page_size(host_t host, vm_size_t *out_page_size);

/* uname(2) in one line, as "Linux Kernel Version ...: ...; root:.../ARCH". */
kern_return_t host_kernel_version(host_t host, kernel_version_t kernel_version);

/*
 * A send right to the SYSTEM_CLOCK (CLOCK_MONOTONIC) or CALENDAR_CLOCK
 * (CLOCK_REALTIME) service; read it with clock_get_time() (<mach/clock.h>)
 * and mach_port_deallocate() it when done.
 */
kern_return_t host_get_clock_service(host_t host, clock_id_t clock_id,
				     clock_serv_t *clock_serv);

__END_DECLS

#endif /* _MACH_MACH_HOST_H_ */
