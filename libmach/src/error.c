/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_error_string() and friends.  Codes are looked up in one flat table;
 * anything not in it gets "(system/subsystem) unknown error code" so the
 * caller at least learns where the code came from.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct err_name {
	mach_error_t	code;
	const char	*text;
};

static const struct err_name err_names[] = {
	/* kern_return_t */
	{ KERN_SUCCESS,			"(os/kern) successful" },
	{ KERN_INVALID_ADDRESS,		"(os/kern) invalid address" },
	{ KERN_PROTECTION_FAILURE,	"(os/kern) protection failure" },
	{ KERN_NO_SPACE,		"(os/kern) no space available" },
	{ KERN_INVALID_ARGUMENT,	"(os/kern) invalid argument" },
	{ KERN_FAILURE,			"(os/kern) failure" },
	{ KERN_RESOURCE_SHORTAGE,	"(os/kern) resource shortage" },
	{ KERN_NOT_RECEIVER,		"(os/kern) not receiver" },
	{ KERN_NO_ACCESS,		"(os/kern) no access" },
	{ KERN_MEMORY_FAILURE,		"(os/kern) memory failure" },
	{ KERN_MEMORY_ERROR,		"(os/kern) memory error" },
	{ KERN_ALREADY_IN_SET,		"(os/kern) already in set" },
	{ KERN_NOT_IN_SET,		"(os/kern) not in set" },
	{ KERN_NAME_EXISTS,		"(os/kern) name exists" },
	{ KERN_ABORTED,			"(os/kern) aborted" },
	{ KERN_INVALID_NAME,		"(os/kern) invalid name" },
	{ KERN_INVALID_TASK,		"(os/kern) invalid task" },
	{ KERN_INVALID_RIGHT,		"(os/kern) invalid right" },
	{ KERN_INVALID_VALUE,		"(os/kern) invalid value" },
	{ KERN_UREFS_OVERFLOW,		"(os/kern) urefs overflow" },
	{ KERN_INVALID_CAPABILITY,	"(os/kern) invalid capability" },
	{ KERN_RIGHT_EXISTS,		"(os/kern) right exists" },
	{ KERN_INVALID_HOST,		"(os/kern) invalid host" },
	{ KERN_MEMORY_PRESENT,		"(os/kern) memory present" },
	{ KERN_MEMORY_DATA_MOVED,	"(os/kern) memory data moved" },
	{ KERN_MEMORY_RESTART_COPY,	"(os/kern) memory restart copy" },
	{ KERN_INVALID_PROCESSOR_SET,	"(os/kern) invalid processor set" },
	{ KERN_POLICY_LIMIT,		"(os/kern) policy limit" },
	{ KERN_INVALID_POLICY,		"(os/kern) invalid policy" },
	{ KERN_INVALID_OBJECT,		"(os/kern) invalid object" },
	{ KERN_ALREADY_WAITING,		"(os/kern) already waiting" },
	{ KERN_DEFAULT_SET,		"(os/kern) default set" },
	{ KERN_EXCEPTION_PROTECTED,	"(os/kern) exception protected" },
	{ KERN_INVALID_LEDGER,		"(os/kern) invalid ledger" },
	{ KERN_INVALID_MEMORY_CONTROL,	"(os/kern) invalid memory control" },
	{ KERN_INVALID_SECURITY,	"(os/kern) invalid security" },
	{ KERN_NOT_DEPRESSED,		"(os/kern) not depressed" },
	{ KERN_TERMINATED,		"(os/kern) terminated" },
	{ KERN_LOCK_SET_DESTROYED,	"(os/kern) lock set destroyed" },
	{ KERN_LOCK_UNSTABLE,		"(os/kern) lock unstable" },
	{ KERN_LOCK_OWNED,		"(os/kern) lock owned" },
	{ KERN_LOCK_OWNED_SELF,		"(os/kern) lock owned by self" },
	{ KERN_SEMAPHORE_DESTROYED,	"(os/kern) semaphore destroyed" },
	{ KERN_RPC_SERVER_TERMINATED,	"(os/kern) RPC server terminated" },
	{ KERN_RPC_TERMINATE_ORPHAN,	"(os/kern) RPC terminate orphan" },
	{ KERN_RPC_CONTINUE_ORPHAN,	"(os/kern) RPC continue orphan" },
	{ KERN_NOT_SUPPORTED,		"(os/kern) not supported" },
	{ KERN_NODE_DOWN,		"(os/kern) node down" },
	{ KERN_NOT_WAITING,		"(os/kern) not waiting" },
	{ KERN_OPERATION_TIMED_OUT,	"(os/kern) operation timed out" },
	{ KERN_CODESIGN_ERROR,		"(os/kern) code signature error" },
	{ KERN_POLICY_STATIC,		"(os/kern) policy is static" },
	{ KERN_INSUFFICIENT_BUFFER_SIZE, "(os/kern) insufficient buffer size" },
	{ KERN_DENIED,			"(os/kern) denied" },
	{ KERN_MISSING_KC,		"(os/kern) missing kernel collection" },
	{ KERN_INVALID_KC,		"(os/kern) invalid kernel collection" },
	{ KERN_NOT_FOUND,		"(os/kern) not found" },

	/* mach_msg send phase */
	{ MACH_SEND_IN_PROGRESS,	"(ipc/send) send in progress" },
	{ MACH_SEND_INVALID_DATA,	"(ipc/send) invalid data" },
	{ MACH_SEND_INVALID_DEST,	"(ipc/send) invalid destination port" },
	{ MACH_SEND_TIMED_OUT,		"(ipc/send) timed out" },
	{ MACH_SEND_INVALID_VOUCHER,	"(ipc/send) invalid voucher" },
	{ MACH_SEND_INTERRUPTED,	"(ipc/send) interrupted" },
	{ MACH_SEND_MSG_TOO_SMALL,	"(ipc/send) message too small" },
	{ MACH_SEND_INVALID_REPLY,	"(ipc/send) invalid reply port" },
	{ MACH_SEND_INVALID_RIGHT,	"(ipc/send) invalid port right" },
	{ MACH_SEND_INVALID_NOTIFY,	"(ipc/send) invalid notify port" },
	{ MACH_SEND_INVALID_MEMORY,	"(ipc/send) invalid memory" },
	{ MACH_SEND_NO_BUFFER,		"(ipc/send) no message buffer" },
	{ MACH_SEND_TOO_LARGE,		"(ipc/send) message too large" },
	{ MACH_SEND_INVALID_TYPE,	"(ipc/send) invalid msg-type" },
	{ MACH_SEND_INVALID_HEADER,	"(ipc/send) invalid header" },
	{ MACH_SEND_INVALID_TRAILER,	"(ipc/send) invalid trailer" },
	{ MACH_SEND_INVALID_CONTEXT,	"(ipc/send) invalid context for reply" },
	{ MACH_SEND_INVALID_OPTIONS,	"(ipc/send) invalid options" },
	{ MACH_SEND_INVALID_RT_OOL_SIZE, "(ipc/send) invalid out-of-line size" },
	{ MACH_SEND_NO_GRANT_DEST,	"(ipc/send) destination does not accept port rights" },
	{ MACH_SEND_MSG_FILTERED,	"(ipc/send) message filtered" },
	{ MACH_SEND_AUX_TOO_SMALL,	"(ipc/send) auxiliary data too small" },
	{ MACH_SEND_AUX_TOO_LARGE,	"(ipc/send) auxiliary data too large" },

	/* mach_msg receive phase */
	{ MACH_RCV_IN_PROGRESS,		"(ipc/rcv) receive in progress" },
	{ MACH_RCV_INVALID_NAME,	"(ipc/rcv) invalid name" },
	{ MACH_RCV_TIMED_OUT,		"(ipc/rcv) timed out" },
	{ MACH_RCV_TOO_LARGE,		"(ipc/rcv) message too large" },
	{ MACH_RCV_INTERRUPTED,		"(ipc/rcv) interrupted" },
	{ MACH_RCV_PORT_CHANGED,	"(ipc/rcv) port moved into set" },
	{ MACH_RCV_INVALID_NOTIFY,	"(ipc/rcv) invalid notify port" },
	{ MACH_RCV_INVALID_DATA,	"(ipc/rcv) invalid message buffer" },
	{ MACH_RCV_PORT_DIED,		"(ipc/rcv) port died" },
	{ MACH_RCV_IN_SET,		"(ipc/rcv) port is in set" },
	{ MACH_RCV_HEADER_ERROR,	"(ipc/rcv) header error" },
	{ MACH_RCV_BODY_ERROR,		"(ipc/rcv) body error" },
	{ MACH_RCV_INVALID_TYPE,	"(ipc/rcv) invalid msg-type" },
	{ MACH_RCV_SCATTER_SMALL,	"(ipc/rcv) scatter list too small" },
	{ MACH_RCV_INVALID_TRAILER,	"(ipc/rcv) invalid trailer" },
	{ MACH_RCV_IN_PROGRESS_TIMED,	"(ipc/rcv) timed receive in progress" },
	{ MACH_RCV_INVALID_REPLY,	"(ipc/rcv) invalid reply port" },
	{ MACH_RCV_INVALID_ARGUMENTS,	"(ipc/rcv) invalid receive arguments" },

	/* MIG */
	{ MIG_TYPE_ERROR,		"(ipc/mig) type check error" },
	{ MIG_REPLY_MISMATCH,		"(ipc/mig) wrong reply message ID" },
	{ MIG_REMOTE_ERROR,		"(ipc/mig) server detected error" },
	{ MIG_BAD_ID,			"(ipc/mig) bad request message ID" },
	{ MIG_BAD_ARGUMENTS,		"(ipc/mig) server type check error" },
	{ MIG_NO_REPLY,			"(ipc/mig) no reply should be sent" },
	{ MIG_EXCEPTION,		"(ipc/mig) server raised exception" },
	{ MIG_ARRAY_TOO_LARGE,		"(ipc/mig) array not large enough" },
	{ MIG_SERVER_DIED,		"(ipc/mig) server died" },
	{ MIG_TRAILER_ERROR,		"(ipc/mig) trailer has an unknown format" },
};

/* Which family a code belongs to, for the type string and unknown codes. */
static const char *err_family(mach_error_t code)
{
	unsigned int sys = err_get_system(code), sub = err_get_sub(code);

	/* MIG's codes are small negative numbers: system 0x3f, subsystem 0xfff. */
	if (code <= MIG_TYPE_ERROR && code >= MIG_TRAILER_ERROR)
		return "(ipc/mig)";
	switch (sys) {
	case 0x0:
		return sub == 3 ? "(os/unix)" : "(os/kern)";
	case 0x1:
		return "(user space)";
	case 0x2:
		return "(server)";
	case 0x3:
		return "(ipc)";
	case 0x4:
		switch (sub) {
		case 0: return "(ipc/send)";
		case 1: return "(ipc/rcv)";
		case 2: return "(ipc/mig)";
		default: return "(ipc/?)";
		}
	case 0x3e:
		return "(local)";
	default:
		return "(unknown)";
	}
}

MACH_EXPORT char *mach_error_string(mach_error_t error_value)
{
	static const struct { const char *family, *text; } unknown[] = {
		{ "(os/kern)", "(os/kern) unknown error code" },
		{ "(os/unix)", "(os/unix) unknown error code" },
		{ "(ipc/send)", "(ipc/send) unknown error code" },
		{ "(ipc/rcv)", "(ipc/rcv) unknown error code" },
		{ "(ipc/mig)", "(ipc/mig) unknown error code" },
	};
	const char *family;
	size_t i;

	/* The special bits say which resource ran out; the base code names it. */
	mach_error_t base = error_value;

	if (err_get_system(error_value) == 0x4)
		base &= ~MACH_MSG_MASK;
	for (i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++)
		if (err_names[i].code == base)
			return (char *)err_names[i].text;

	family = err_family(error_value);
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (family == unknown[i].family ||
		    strcmp(family, unknown[i].family) == 0)
			return (char *)unknown[i].text;
	return (char *)"(unknown) unknown error code";
}

MACH_EXPORT char *mach_error_type(mach_error_t error_value)
{
	return (char *)err_family(error_value);
}

MACH_EXPORT void mach_error(const char *str, mach_error_t error_value)
{
	fprintf(stderr, "%s %s (0x%x)\n", str ? str : "",
		mach_error_string(error_value), (unsigned int)error_value);
}
