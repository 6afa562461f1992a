/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Mach IPC for Linux: the "mach" generic netlink family, a read-only view of
 * the module's IPC spaces and counters for tools such as lsmp.
 *
 * Resolve the family id by MACH_GENL_NAME through the generic netlink
 * controller (CTRL_CMD_GETFAMILY), as for any genetlink family.  Every
 * request and reply carries a struct genlmsghdr with .version =
 * MACH_GENL_VERSION; attributes follow it.  Commands:
 *
 * MACH_NL_CMD_GET_SPACE (dump; request: no attributes)
 *	One message per IPC space the requester may see (below), ordered by
 *	pid, with MACH_NL_A_PID, _SPACE_SERIAL, _COMM and the counts
 *	MACH_NL_A_NAMES ... MACH_NL_A_MSGS_QUEUED.  Spaces the requester may
 *	not see are left out silently.
 *
 * MACH_NL_CMD_GET_ENTRY (dump; request: MACH_NL_A_PID)
 *	The name table of that process's newest space, one message per name
 *	in ascending index order, with the MACH_NL_A_ENTRY_* and (for names
 *	that denote a port) MACH_NL_A_PORT_* attributes.  The request fails
 *	with ESRCH (no such process in the requester's pid namespace), EPERM
 *	(the requester may not see it) or ENOENT (it has no Mach space).
 *
 * MACH_NL_CMD_GET_STATS (do; request: no attributes)
 *	One message with every module-wide counter (MACH_NL_A_STAT_*) and one
 *	nested MACH_NL_A_STAT_FAILURE per mach_msg return code that has been
 *	counted.  Anyone may ask.
 *
 * Visibility: the requesting process always sees its own space.  Another
 * process's space is visible when the credentials of whoever opened the
 * netlink socket could debug it by the rule task_for_pid applies
 * (docs/security.md): CAP_SYS_PTRACE or CAP_SYS_ADMIN over the target's
 * user namespace, or real uid and gid equal to the target's real,
 * effective and saved ids with a dumpable target.
 *
 * Pids are the thread-group ids as the requester's pid namespace sees them
 * (when the dump started); processes outside it are never shown.
 *
 * Dumps are snapshots taken piecewise: names are read in batches, each
 * under one hold of the space's lock, and a dump resumes by pid (spaces)
 * or by name index (entries), so names created or destroyed meanwhile may
 * or may not appear, but no space and no name index appears twice.
 *
 * Attribute types: u32 unless noted; "u64" attributes are 64-bit aligned
 * with MACH_NL_A_PAD; "s64" are counters that may read slightly negative
 * while they change (per-CPU sums).  Readers must ignore attributes they
 * do not know; later versions may add some.
 */
#ifndef _UAPI_LINUX_MACH_NETLINK_H
#define _UAPI_LINUX_MACH_NETLINK_H

#include <linux/const.h>

#define MACH_GENL_NAME		"mach"
#define MACH_GENL_VERSION	1

enum mach_nl_cmd {
	MACH_NL_CMD_UNSPEC,
	MACH_NL_CMD_GET_SPACE,
	MACH_NL_CMD_GET_ENTRY,
	MACH_NL_CMD_GET_STATS,

	__MACH_NL_CMD_MAX,
	MACH_NL_CMD_MAX = __MACH_NL_CMD_MAX - 1
};

/* Bits of MACH_NL_A_NOTIFY. */
#define MACH_NL_NOTIFY_DEAD_NAME	_BITUL(0)  /* dead-name request on the name */
#define MACH_NL_NOTIFY_NO_SENDERS	_BITUL(1)  /* armed on the port (receive right) */
#define MACH_NL_NOTIFY_PORT_DESTROYED	_BITUL(2)  /* armed on the port (receive right) */

/* MACH_NL_A_PORT_KOBJECT: what kernel object a port stands for */
#define MACH_NL_KOBJECT_TASK		1
#define MACH_NL_KOBJECT_FILEPORT	2
#define MACH_NL_KOBJECT_MEMORY_ENTRY	3

/* At most this many MACH_NL_A_PORT_SET attributes per name. */
#define MACH_NL_MAX_SETS		64

enum mach_nl_attr {
	MACH_NL_A_UNSPEC,
	MACH_NL_A_PAD,

	/* a space: GET_SPACE replies (MACH_NL_A_PID is GET_ENTRY's request) */
	MACH_NL_A_PID,			/* tgid, in the requester's pid namespace */
	MACH_NL_A_SPACE_SERIAL,		/* u64: tells spaces of one pid apart */
	MACH_NL_A_COMM,			/* string: the process's comm */
	MACH_NL_A_NAMES,		/* names in use */
	MACH_NL_A_RECEIVE_RIGHTS,	/* names holding a receive right */
	MACH_NL_A_SEND_RIGHTS,		/* names holding a live send right */
	MACH_NL_A_SEND_ONCE_RIGHTS,	/* names holding a live send-once right */
	MACH_NL_A_PORT_SETS,		/* port set names */
	MACH_NL_A_DEAD_NAMES,		/* dead names, counting rights to dead ports */
	MACH_NL_A_MSGS_QUEUED,		/* messages queued on its receive rights */

	/* a name: GET_ENTRY replies */
	MACH_NL_A_ENTRY_NAME,		/* mach_port_name_t */
	/*
	 * mach_port_type_t as mach_port_type() would return it (XNU's
	 * MACH_PORT_TYPE_* bits: send 1 << 16, receive 1 << 17, send-once
	 * 1 << 18, port set 1 << 19, dead name 1 << 20, dead-name request
	 * 1 << 31); a send or send-once right to a dead port shows as a dead
	 * name
	 */
	MACH_NL_A_ENTRY_TYPE,
	MACH_NL_A_ENTRY_UREFS,		/* user references */
	MACH_NL_A_NOTIFY,		/* MACH_NL_NOTIFY_* bits */

	/* the port a name denotes (absent for port sets and dead names) */
	/*
	 * u64: the port's identity: the same in every space that holds a
	 * right to it, never reused while the module is loaded, and not
	 * derived from a kernel address
	 */
	MACH_NL_A_PORT_ID,
	MACH_NL_A_PORT_RECEIVER_PID,	/* holder of its receive right, if visible */
	MACH_NL_A_PORT_TASK_PID,	/* it is the task port of this process */
	/* receive rights only: */
	MACH_NL_A_PORT_QUEUE_DEPTH,	/* messages queued */
	MACH_NL_A_PORT_QUEUE_LIMIT,	/* queue limit */
	MACH_NL_A_PORT_SEQNO,		/* sequence number of the next message */
	MACH_NL_A_PORT_MSCOUNT,		/* make-send count */
	MACH_NL_A_PORT_SEND_COUNT,	/* send rights to it, anywhere */
	MACH_NL_A_PORT_SEND_ONCE_COUNT,	/* send-once rights to it, anywhere */
	/* name of a set it belongs to; repeated, at most MACH_NL_MAX_SETS */
	MACH_NL_A_PORT_SET,

	/* a port set name */
	MACH_NL_A_PSET_MEMBERS,		/* member ports */

	/* GET_STATS reply: s64 each; names as in debugfs mach/stats */
	MACH_NL_A_STAT_SPACES,		/* live IPC spaces */
	MACH_NL_A_STAT_PORTS,		/* live ports */
	MACH_NL_A_STAT_PORT_SETS,	/* live port sets */
	MACH_NL_A_STAT_MSGS_QUEUED,	/* messages queued or in flight */
	MACH_NL_A_STAT_BYTES_QUEUED,	/* their header+body bytes */
	MACH_NL_A_STAT_OOL_BYTES_QUEUED,	/* their out-of-line bytes */
	MACH_NL_A_STAT_MSGS_SENT,	/* since load */
	MACH_NL_A_STAT_MSGS_RECEIVED,	/* since load */
	MACH_NL_A_STAT_BYTES_SENT,	/* since load */
	MACH_NL_A_STAT_NOTIFICATIONS,	/* notifications sent since load */
	/* nested, repeated: MACH_NL_FAILURE_A_*; only codes counted */
	MACH_NL_A_STAT_FAILURE,

	/* the port a name denotes, continued */
	MACH_NL_A_PORT_KOBJECT,		/* u32 MACH_NL_KOBJECT_*: a kernel object's */
	MACH_NL_A_PORT_KOBJECT_SIZE,	/* u64: a memory entry's size in bytes */

	__MACH_NL_A_MAX,
	MACH_NL_A_MAX = __MACH_NL_A_MAX - 1
};

/* Inside MACH_NL_A_STAT_FAILURE: how often mach_msg returned a code. */
enum mach_nl_failure_attr {
	MACH_NL_FAILURE_A_UNSPEC,
	MACH_NL_FAILURE_A_PAD,
	MACH_NL_FAILURE_A_CODE,		/* mach_msg_return_t, without modifier bits */
	MACH_NL_FAILURE_A_COUNT,	/* s64 */

	__MACH_NL_FAILURE_A_MAX,
	MACH_NL_FAILURE_A_MAX = __MACH_NL_FAILURE_A_MAX - 1
};

#endif /* _UAPI_LINUX_MACH_NETLINK_H */
