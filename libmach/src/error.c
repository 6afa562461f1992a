/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_error_string() and friends, answering what macOS's libsyscall
 * answers: the same strings (its err_kern.sub and err_mach_ipc.sub tables,
 * wording and all), the same mapping of pre-Mach-3 codes (the MIG codes
 * -300..-399 read as system 4, subsystem 2), and "unknown error code" for a
 * code past the end of its subsystem's table -- which is what macOS says
 * for BOOTSTRAP_* codes too (bootstrap_strerror names those).  The special
 * MACH_MSG_* resource bits are not stripped, as on macOS.
 *
 * Two differences on purpose: systems macOS has no table for at all, where
 * it returns NULL, get "unknown error code" here (a NULL would crash a
 * caller that prints it); and the user-space, server, libkern and IOKit
 * systems, whose tables libmach does not carry, get "unknown error code"
 * for every code.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define NO_SUCH_ERROR	"unknown error code"
#define COUNT(a)	(sizeof(a) / sizeof((a)[0]))

struct err_sub {
	const char		*name;
	const char *const	*codes;
	unsigned int		ncodes;
};

struct err_system {
	const char		*bad_sub;
	const struct err_sub	*subs;
	unsigned int		nsubs;
};

static const char *const kern_codes[] = {
	"(os/kern) successful",
	"(os/kern) invalid address",
	"(os/kern) protection failure",
	"(os/kern) no space available",
	"(os/kern) invalid argument",
	"(os/kern) failure",
	"(os/kern) resource shortage",
	"(os/kern) not receiver",
	"(os/kern) no access",
	"(os/kern) memory failure",
	"(os/kern) memory error",
	"(os/kern) already in set",
	"(os/kern) not in set",
	"(os/kern) name exists",
	"(os/kern) aborted",
	"(os/kern) invalid name",
	"(os/kern) invalid task",
	"(os/kern) invalid right",
	"(os/kern) invalid value",
	"(os/kern) urefs overflow",
	"(os/kern) invalid capability",
	"(os/kern) right exists",
	"(os/kern) invalid host",
	"(os/kern) memory present",
	"(os/kern) memory data moved",
	"(os/kern) memory restart copy",
	"(os/kern) invalid processor set",
	"(os/kern) policy limit",
	"(os/kern) invalid policy",
	"(os/kern) invalid object",
	"(os/kern) already waiting",
	"(os/kern) default set",
	"(os/kern) exception protected",
	"(os/kern) invalid ledger",
	"(os/kern) invalid memory control",
	"(os/kern) invalid security",
	"(os/kern) not depressed",
	"(os/kern) object terminated",
	"(os/kern) lock set destroyed",
	"(os/kern) lock unstable",
	"(os/kern) lock owned by another",
	"(os/kern) lock owned by self",
	"(os/kern) semaphore destroyed",
	"(os/kern) RPC terminated",
	"(os/kern) terminate orphan",
	"(os/kern) let orphan continue",
	"(os/kern) service not supported",
	"(os/kern) remote node down",
	"(os/kern) thread not waiting",
	"(os/kern) operation timed out",
	"(os/kern) code signing error",
	"(os/kern) policy is static",
	"(os/kern) insufficient input buffer size",
	"(os/kern) denied by security policy",
	"(os/kern) missing kernel collection",
	"(os/kern) invalid kernel collection",
	"(os/kern) result not found",
};

/* unix_err(errno): indexed by the BSD errno numbers, as on macOS. */
static const char *const unix_codes[] = {
	NO_SUCH_ERROR,
	"(os/unix) no rights to object",
	"(os/unix) file or directory does not exist",
	"(os/unix) no such process",
	"(os/unix) interrupted system call",
	"(os/unix) i/o error",
	"(os/unix) device does not exist",
	"(os/unix) argument list is too long",
	"(os/unix) invalid executable object format",
	"(os/unix) bad file descriptor number",
	"(os/unix) no child processes are present",
	"(os/unix) no more processes are available",
	"(os/unix) insufficient memory",
	"(os/unix) access denied",
	"(os/unix) memory access fault",
	"(os/unix) block device required for operation",
	"(os/unix) mount device busy",
	"(os/unix) file already exists",
	"(os/unix) cross device link",
	"(os/unix) device does not exist",
	"(os/unix) object is not a directory",
	"(os/unix) object is a directory",
	"(os/unix) invalid argument",
	"(os/unix) internal file table overflow",
	"(os/unix) maximum number of open files reached",
	"(os/unix) object is not a tty-like device",
	"(os/unix) executable object is in use",
	"(os/unix) file is too large",
	"(os/unix) no space is left on device",
	"(os/unix) illegal seek attempt",
	"(os/unix) read-only file system",
	"(os/unix) too many links",
	"(os/unix) broken pipe",
	"(os/unix) argument is too large",
	"(os/unix) result is out of range",
	"(os/unix) operation on device would block",
	"(os/unix) operation is now in progress",
	"(os/unix) operation is already in progress",
	"(os/unix) socket operation attempted on non-socket object",
	"(os/unix) destination address is required",
	"(os/unix) message is too long",
	"(os/unix) protocol type is incorrect for socket",
	"(os/unix) protocol type is not availaible",
	"(os/unix) protocol type is not supported",
	"(os/unix) socket type is not supported",
	"(os/unix) operation is not supported on sockets",
	"(os/unix) protocol family is not supported",
	"(os/unix) address family is not supported by protocol family",
	"(os/unix) address is already in use",
	"(os/unix) can't assign requested address",
	"(os/unix) network is down",
	"(os/unix) network is unreachable",
	"(os/unix) network dropped connection on reset",
	"(os/unix) software aborted connection",
	"(os/unix) connection reset by peer",
	"(os/unix) no buffer space is available",
	"(os/unix) socket is already connected",
	"(os/unix) socket is not connected",
	"(os/unix) can't send after socket shutdown",
	"(os/unix) too many references; can't splice",
	"(os/unix) connection timed out",
	"(os/unix) connection was refused",
	"(os/unix) too many levels of symbolic links",
	"(os/unix) file name exceeds system maximum limit",
	"(os/unix) host is down",
	"(os/unix) there is no route to host",
	"(os/unix) directory is not empty",
	"(os/unix) quota on number of processes exceeded",
	"(os/unix) quota on number of users exceeded",
	"(os/unix) quota on available disk space exceeded",
};

/* System 3: the pre-Mach-3 IPC codes. */
static const char *const ipc_send_codes[] = {
	"(ipc/send) unknown error",
	"(ipc/send) invalid memory",
	"(ipc/send) invalid port",
	"(ipc/send) timed out",
	"(ipc/send) unused error",
	"(ipc/send) will notify",
	"(ipc/send) notify in progress",
	"(ipc/send) kernel refused message",
	"(ipc/send) send interrupted",
	"(ipc/send) send message too large",
	"(ipc/send) send message too small",
	"(ipc/send) message size changed while being copied",
};

static const char *const ipc_rcv_codes[] = {
	"(ipc/rcv) unknown error",
	"(ipc/rcv) invalid memory",
	"(ipc/rcv) invalid port",
	"(ipc/rcv) receive timed out",
	"(ipc/rcv) message too large",
	"(ipc/rcv) no space for message data",
	"(ipc/rcv) only sender remaining",
	"(ipc/rcv) receive interrupted",
	"(ipc/rcv) port receiver changed or port became enabled",
};

static const char *const ipc_mig_codes[] = {
	"(ipc/mig) type check failure in message interface",
	"(ipc/mig) wrong return message ID",
	"(ipc/mig) server detected error",
	"(ipc/mig) bad message ID",
	"(ipc/mig) server found wrong arguments",
	"(ipc/mig) no reply should be sent",
	"(ipc/mig) server raised exception",
	"(ipc/mig) user specified array not large enough for return info",
};

/* System 4: mach_msg's codes (MACH_SEND_*, MACH_RCV_*) and MIG's. */
static const char *const mach_send_codes[] = {
	"(ipc/send) no error",
	"(ipc/send) send in progress",
	"(ipc/send) invalid data",
	"(ipc/send) invalid destination port",
	"(ipc/send) timed out",
	"(ipc/send) invalid voucher",
	"(ipc/send) unused error",
	"(ipc/send) interrupted",
	"(ipc/send) msg too small",
	"(ipc/send) invalid reply port",
	"(ipc/send) invalid port right",
	"(ipc/send) invalid notify port",
	"(ipc/send) invalid memory",
	"(ipc/send) no msg buffer",
	"(ipc/send) msg too large",
	"(ipc/send) invalid msg-type",
	"(ipc/send) invalid msg-header",
	"(ipc/send) invalid msg-trailer",
	"(ipc/send) invalid context for reply",
	"(ipc/send) unused error",
	"(ipc/send) unused error",
	"(ipc/send) out-of-line buffer too large",
	"(ipc/send) destination does not accept OOL ports",
};

static const char *const mach_rcv_codes[] = {
	"(ipc/rcv) no error",
	"(ipc/rcv) receive in progress",
	"(ipc/rcv) invalid name",
	"(ipc/rcv) timed out",
	"(ipc/rcv) msg too large",
	"(ipc/rcv) interrupted",
	"(ipc/rcv) port changed",
	"(ipc/rcv) invalid notify port",
	"(ipc/rcv) invalid data",
	"(ipc/rcv) port died",
	"(ipc/rcv) port in set",
	"(ipc/rcv) header error",
	"(ipc/rcv) body error",
	"(ipc/rcv) invalid scatter list entry",
	"(ipc/rcv) overwrite region too small",
	"(ipc/rcv) invalid msg-trailer",
	"(ipc/rcv) DIPC transport error",
};

static const char *const mach_mig_codes[] = {
	"(ipc/mig) client type check failure",
	"(ipc/mig) wrong reply message ID",
	"(ipc/mig) server detected error",
	"(ipc/mig) bad request message ID",
	"(ipc/mig) server type check failure",
	"(ipc/mig) no reply should be sent",
	"(ipc/mig) server raised exception",
	"(ipc/mig) array not large enough",
	"(ipc/mig) server died",
	"(ipc/mig) unknown trailer format",
};

#define SUB(n, t)	{ n, t, COUNT(t) }

static const struct err_sub os_subs[] = {
	SUB("(os/kern)", kern_codes),
	{ "(os/?)", NULL, 0 },
	{ "(os/?)", NULL, 0 },
	SUB("(os/unix)", unix_codes),
};

static const struct err_sub ipc_subs[] = {
	SUB("(ipc/send)", ipc_send_codes),
	SUB("(ipc/rcv)", ipc_rcv_codes),
	SUB("(ipc/mig)", ipc_mig_codes),
};

static const struct err_sub mach_ipc_subs[] = {
	SUB("(ipc/send)", mach_send_codes),
	SUB("(ipc/rcv)", mach_rcv_codes),
	SUB("(ipc/mig)", mach_mig_codes),
};

static const struct err_system err_systems[] = {
	[0x0] = { "(operating system/?) unknown subsystem error", os_subs, COUNT(os_subs) },
	[0x1] = { "(user space/?) unknown subsystem error", NULL, 0 },
	[0x2] = { "(server/?) unknown subsystem error", NULL, 0 },
	[0x3] = { "(ipc/?) unknown subsystem error", ipc_subs, COUNT(ipc_subs) },
	[0x4] = { "(ipc/?) unknown subsystem error", mach_ipc_subs, COUNT(mach_ipc_subs) },
	[0x37] = { "(libkern/?) unknown subsystem error", NULL, 0 },
	[0x38] = { "(iokit/?) unknown subsystem error", NULL, 0 },
};

/* The pre-Mach-3 numbers libsyscall still maps into today's layout. */
static mach_error_t compat_code(mach_error_t err)
{
	if (err > -200 && err <= -100)
		return -(err + 100) | err_ipc | err_sub(0);
	if (err > -300 && err <= -200)
		return -(err + 200) | err_ipc | err_sub(1);
	if (err > -400 && err <= -300)
		return -(err + 300) | err_mach_ipc | err_sub(2);
	if (err >= 1000 && err < 1100)
		return (err - 1000) | err_server | err_sub(0);
	if (err >= 1600 && err < 1700)
		return (err - 1600) | err_server | err_sub(1);
	if (err >= 27600 && err < 27700)
		return (err - 27600) | err_server | err_sub(2);
	return err;
}

static const struct err_system *err_system_of(mach_error_t err)
{
	unsigned int sys = err_get_system(err);

	if (sys >= COUNT(err_systems) || err_systems[sys].bad_sub == NULL)
		return NULL;
	return &err_systems[sys];
}

/* The string, and whether it is a fallback (the code is not in a table). */
static const char *error_string(mach_error_t error_value, int *unknown)
{
	mach_error_t err = compat_code(error_value);
	const struct err_system *sys = err_system_of(err);
	unsigned int sub = err_get_sub(err), code = err_get_code(err);

	*unknown = 1;
	if (sys == NULL || sys->subs == NULL)
		return NO_SUCH_ERROR;
	if (sub >= sys->nsubs)
		return sys->bad_sub;
	if (code >= sys->subs[sub].ncodes)
		return NO_SUCH_ERROR;
	*unknown = 0;
	return sys->subs[sub].codes[code];
}

MACH_EXPORT char *mach_error_string(mach_error_t error_value)
{
	int unknown;

	return (char *)error_string(error_value, &unknown);
}

MACH_EXPORT char *mach_error_type(mach_error_t error_value)
{
	mach_error_t err = compat_code(error_value);
	const struct err_system *sys = err_system_of(err);
	unsigned int sub = err_get_sub(err);

	if (sys == NULL || sub >= sys->nsubs)
		return (char *)"(?/?)";
	return (char *)sys->subs[sub].name;
}

/* As macOS: "str text", with the type and the number only for an unknown code. */
MACH_EXPORT void mach_error(const char *str, mach_error_t error_value)
{
	int unknown;
	const char *text = error_string(error_value, &unknown);

	if (unknown)
		fprintf(stderr, "%s %s %s (%x)\n", str, mach_error_type(error_value),
			text, (unsigned int)error_value);
	else
		fprintf(stderr, "%s %s\n", str, text);
}
