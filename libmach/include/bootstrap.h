/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <bootstrap.h>: reach a service by name through the bootstrap port.
 *
 * The calls, types and codes of macOS's <bootstrap.h> (liblaunch).  Here
 * the name server is machd; libmach speaks to it in MIG-shaped Mach
 * messages.  bootstrap_port is filled before main() from the task's
 * TASK_BOOTSTRAP_PORT (MACH_PORT_NULL when /dev/mach is missing), and
 * again in a child after fork(), whose IPC space is a new one.
 */
#ifndef _BOOTSTRAP_H_
#define _BOOTSTRAP_H_

#include <sys/cdefs.h>
#include <mach/mach.h>

#define BOOTSTRAP_MAX_NAME_LEN		128
#define BOOTSTRAP_MAX_CMD_LEN		512
#define BOOTSTRAP_MAX_LOOKUP_COUNT	20

typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];
typedef char cmd_t[BOOTSTRAP_MAX_CMD_LEN];
typedef name_t *name_array_t;
typedef int bootstrap_status_t;
typedef bootstrap_status_t *bootstrap_status_array_t;
typedef boolean_t *bool_array_t;

#define BOOTSTRAP_SUCCESS		0
#define BOOTSTRAP_NOT_PRIVILEGED	1100
#define BOOTSTRAP_NAME_IN_USE		1101
#define BOOTSTRAP_UNKNOWN_SERVICE	1102
#define BOOTSTRAP_SERVICE_ACTIVE	1103
#define BOOTSTRAP_BAD_COUNT		1104
#define BOOTSTRAP_NO_MEMORY		1105
#define BOOTSTRAP_NO_CHILDREN		1106

#define BOOTSTRAP_STATUS_INACTIVE	0
#define BOOTSTRAP_STATUS_ACTIVE		1
#define BOOTSTRAP_STATUS_ON_DEMAND	2

__BEGIN_DECLS

extern mach_port_t bootstrap_port;

/*
 * macOS spells the name parameters name_t (char[128]).  They are declared
 * const char * here, which is the same ABI and accepts the same callers,
 * because gcc 11 and later read an array parameter as "reads 128 bytes"
 * and reject a string literal with -Wstringop-overread.  Names longer than
 * BOOTSTRAP_MAX_NAME_LEN - 1 are cut short, as on macOS.
 */

/*
 * Claim the receive right of service_name.  A name declared earlier (by
 * bootstrap_create_service, or by a look-up answered before this check-in)
 * hands over that same port, with any messages already queued on it.
 * BOOTSTRAP_SERVICE_ACTIVE if a live process has already checked in.
 */
kern_return_t bootstrap_check_in(mach_port_t bp, const char *service_name,
				 mach_port_t *sp);

/* A send right to service_name; BOOTSTRAP_UNKNOWN_SERVICE if none. */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name,
				mach_port_t *sp);

/*
 * Deprecated on macOS, kept for old code: publish a send right the caller
 * made itself.  BOOTSTRAP_NAME_IN_USE if the name is taken by a live port.
 */
kern_return_t bootstrap_register(mach_port_t bp, const char *service_name,
				 mach_port_t sp);

/*
 * Declare service_name before its server runs: the name server makes the
 * port and returns a send right; the server's later check-in gets the
 * receive right.  BOOTSTRAP_NAME_IN_USE if the name exists.
 */
kern_return_t bootstrap_create_service(mach_port_t bp, const char *service_name,
				       mach_port_t *sp);

/* The parent bootstrap; machd is the only one, so its own port. */
kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port);

/* Text for a BOOTSTRAP_* code, else mach_error_string(r). */
const char *bootstrap_strerror(kern_return_t r);

__END_DECLS

#endif /* _BOOTSTRAP_H_ */
