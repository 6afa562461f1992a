// SPDX-License-Identifier: GPL-2.0
/*
 * ipcseq.c - the operations of a sequence, its text form, and running it
 * in two processes (see ipcseq.h and selftests/corpus/README.md).
 *
 * The actors use raw ioctls on a /dev/mach of their own and nothing of
 * libmach (whose first use would make names of its own), so a fresh pair
 * of processes gives the same names, in the same order, on every run:
 * that is what lets a recorded sequence expect exact results.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>
#include <linux/mach.h>

#include "ipcseq.h"

/* --- the operations -------------------------------------------------------- */

#define F(type, field, cat) \
	{ offsetof(struct type, field), sizeof(((struct type *)0)->field), cat }
#define W0(cat)		{ SEQ_OFF_WORD0, 4, cat }
#define S(cat)		{ 0, 0, cat }	/* an argument of a special operation */
#define OUT(type, field)	offsetof(struct type, field)
#define T(type)		F(type, task, SC_NAME)

const struct seq_def seq_defs[] = {
	{ "allocate", MACH_IOC_PORT_ALLOCATE, SP_NONE, sizeof(struct mach_port_right_args), 2,
	  { T(mach_port_right_args), F(mach_port_right_args, right, SC_RIGHT) },
	  OUT(mach_port_right_args, name), 12 },
	{ "allocate_name", MACH_IOC_PORT_ALLOCATE_NAME, SP_NONE, sizeof(struct mach_port_right_args), 3,
	  { T(mach_port_right_args), F(mach_port_right_args, name, SC_NAME),
	    F(mach_port_right_args, right, SC_RIGHT) }, -1, 3 },
	{ "deallocate", MACH_IOC_PORT_DEALLOCATE, SP_NONE, sizeof(struct mach_port_right_args), 2,
	  { T(mach_port_right_args), F(mach_port_right_args, name, SC_NAME) }, -1, 6 },
	{ "destroy", MACH_IOC_PORT_DESTROY, SP_NONE, sizeof(struct mach_port_right_args), 2,
	  { T(mach_port_right_args), F(mach_port_right_args, name, SC_NAME) }, -1, 5 },
	{ "mod_refs", MACH_IOC_PORT_MOD_REFS, SP_NONE, sizeof(struct mach_port_right_args), 4,
	  { T(mach_port_right_args), F(mach_port_right_args, name, SC_NAME),
	    F(mach_port_right_args, right, SC_RIGHT), F(mach_port_right_args, delta, SC_INT) },
	  -1, 6 },
	{ "get_refs", MACH_IOC_PORT_GET_REFS, SP_NONE, sizeof(struct mach_port_right_args), 3,
	  { T(mach_port_right_args), F(mach_port_right_args, name, SC_NAME),
	    F(mach_port_right_args, right, SC_RIGHT) }, -1, 2 },
	{ "type", MACH_IOC_PORT_TYPE, SP_NONE, sizeof(struct mach_port_right_args), 2,
	  { T(mach_port_right_args), F(mach_port_right_args, name, SC_NAME) }, -1, 2 },
	{ "insert_right", MACH_IOC_PORT_INSERT_RIGHT, SP_NONE, sizeof(struct mach_port_xfer_args), 4,
	  { T(mach_port_xfer_args), F(mach_port_xfer_args, name, SC_NAME),
	    F(mach_port_xfer_args, poly, SC_NAME), F(mach_port_xfer_args, disposition, SC_DISP) },
	  -1, 7 },
	{ "extract_right", MACH_IOC_PORT_EXTRACT_RIGHT, SP_NONE, sizeof(struct mach_port_xfer_args), 3,
	  { T(mach_port_xfer_args), F(mach_port_xfer_args, name, SC_NAME),
	    F(mach_port_xfer_args, disposition, SC_DISP) }, OUT(mach_port_xfer_args, poly), 7 },
	{ "names", MACH_IOC_PORT_NAMES, SP_NONE, sizeof(struct mach_port_names_args), 4,
	  { T(mach_port_names_args), F(mach_port_names_args, count, SC_INT),
	    F(mach_port_names_args, names, SC_BUF), F(mach_port_names_args, types, SC_BUF) },
	  -1, 1 },
	{ "get_attr", MACH_IOC_PORT_GET_ATTR, SP_NONE, sizeof(struct mach_port_attr_args), 5,
	  { T(mach_port_attr_args), F(mach_port_attr_args, name, SC_NAME),
	    F(mach_port_attr_args, flavor, SC_INT), F(mach_port_attr_args, count, SC_INT),
	    F(mach_port_attr_args, info, SC_BUF) }, -1, 2 },
	{ "set_attr", MACH_IOC_PORT_SET_ATTR, SP_NONE, sizeof(struct mach_port_attr_args), 6,
	  { T(mach_port_attr_args), F(mach_port_attr_args, name, SC_NAME),
	    F(mach_port_attr_args, flavor, SC_INT), F(mach_port_attr_args, count, SC_INT),
	    F(mach_port_attr_args, info, SC_BUF), W0(SC_INT) }, -1, 3 },
	{ "get_context", MACH_IOC_PORT_GET_CONTEXT, SP_NONE, sizeof(struct mach_port_context_args), 2,
	  { T(mach_port_context_args), F(mach_port_context_args, name, SC_NAME) }, -1, 1 },
	{ "set_context", MACH_IOC_PORT_SET_CONTEXT, SP_NONE, sizeof(struct mach_port_context_args), 3,
	  { T(mach_port_context_args), F(mach_port_context_args, name, SC_NAME),
	    F(mach_port_context_args, context, SC_INT) }, -1, 1 },
	{ "construct", MACH_IOC_PORT_CONSTRUCT, SP_NONE, sizeof(struct mach_port_construct_args), 4,
	  { T(mach_port_construct_args), F(mach_port_construct_args, flags, SC_INT),
	    F(mach_port_construct_args, qlimit, SC_INT),
	    F(mach_port_construct_args, context, SC_INT) }, OUT(mach_port_construct_args, name), 3 },
	{ "destruct", MACH_IOC_PORT_DESTRUCT, SP_NONE, sizeof(struct mach_port_construct_args), 4,
	  { T(mach_port_construct_args), F(mach_port_construct_args, name, SC_NAME),
	    F(mach_port_construct_args, srdelta, SC_INT),
	    F(mach_port_construct_args, context, SC_INT) }, -1, 2 },
	{ "move_member", MACH_IOC_PORT_MOVE_MEMBER, SP_NONE, sizeof(struct mach_port_member_args), 3,
	  { T(mach_port_member_args), F(mach_port_member_args, member, SC_NAME),
	    F(mach_port_member_args, pset, SC_NAME) }, -1, 4 },
	{ "insert_member", MACH_IOC_PORT_INSERT_MEMBER, SP_NONE, sizeof(struct mach_port_member_args), 3,
	  { T(mach_port_member_args), F(mach_port_member_args, member, SC_NAME),
	    F(mach_port_member_args, pset, SC_NAME) }, -1, 3 },
	{ "extract_member", MACH_IOC_PORT_EXTRACT_MEMBER, SP_NONE, sizeof(struct mach_port_member_args), 3,
	  { T(mach_port_member_args), F(mach_port_member_args, member, SC_NAME),
	    F(mach_port_member_args, pset, SC_NAME) }, -1, 2 },
	{ "set_status", MACH_IOC_PORT_SET_STATUS, SP_NONE, sizeof(struct mach_port_set_status_args), 4,
	  { T(mach_port_set_status_args), F(mach_port_set_status_args, name, SC_NAME),
	    F(mach_port_set_status_args, count, SC_INT),
	    F(mach_port_set_status_args, members, SC_BUF) }, -1, 1 },
	{ "request_notify", MACH_IOC_PORT_REQUEST_NOTIFY, SP_NONE, sizeof(struct mach_port_notify_args), 6,
	  { T(mach_port_notify_args), F(mach_port_notify_args, name, SC_NAME),
	    F(mach_port_notify_args, msgid, SC_NOTIFY), F(mach_port_notify_args, sync, SC_INT),
	    F(mach_port_notify_args, notify, SC_NAME),
	    F(mach_port_notify_args, notify_poly, SC_DISP) },
	  OUT(mach_port_notify_args, previous), 7 },
	{ "get_special", MACH_IOC_TASK_GET_SPECIAL, SP_NONE, sizeof(struct mach_task_special_args), 2,
	  { T(mach_task_special_args), F(mach_task_special_args, which, SC_INT) },
	  OUT(mach_task_special_args, port), 2 },
	{ "set_special", MACH_IOC_TASK_SET_SPECIAL, SP_NONE, sizeof(struct mach_task_special_args), 3,
	  { T(mach_task_special_args), F(mach_task_special_args, which, SC_INT),
	    F(mach_task_special_args, port, SC_NAME) }, -1, 2 },
	{ "task_for_pid", MACH_IOC_TASK_FOR_PID, SP_NONE, sizeof(struct mach_task_pid_args), 2,
	  { T(mach_task_pid_args), F(mach_task_pid_args, pid, SC_PID) },
	  OUT(mach_task_pid_args, port), 2 },
	{ "pid_for_task", MACH_IOC_PID_FOR_TASK, SP_NONE, sizeof(struct mach_task_pid_args), 1,
	  { T(mach_task_pid_args) }, -1, 1 },
	{ "set_mscount", MACH_IOC_PORT_SET_MSCOUNT, SP_NONE, sizeof(struct mach_port_count_args), 3,
	  { T(mach_port_count_args), F(mach_port_count_args, name, SC_NAME),
	    F(mach_port_count_args, value, SC_INT) }, -1, 1 },
	{ "get_srights", MACH_IOC_PORT_GET_SRIGHTS, SP_NONE, sizeof(struct mach_port_count_args), 2,
	  { T(mach_port_count_args), F(mach_port_count_args, name, SC_NAME) }, -1, 1 },
	{ "set_seqno", MACH_IOC_PORT_SET_SEQNO, SP_NONE, sizeof(struct mach_port_count_args), 3,
	  { T(mach_port_count_args), F(mach_port_count_args, name, SC_NAME),
	    F(mach_port_count_args, value, SC_INT) }, -1, 1 },
	{ "peek", MACH_IOC_PORT_PEEK, SP_NONE, sizeof(struct mach_port_peek_args), 6,
	  { T(mach_port_peek_args), F(mach_port_peek_args, name, SC_NAME),
	    F(mach_port_peek_args, trailer_type, SC_INT), F(mach_port_peek_args, seqno, SC_INT),
	    F(mach_port_peek_args, trailer_size, SC_INT),
	    F(mach_port_peek_args, trailer, SC_BUF) }, -1, 2 },
	{ "guard", MACH_IOC_PORT_GUARD, SP_NONE, sizeof(struct mach_port_guard_args), 4,
	  { T(mach_port_guard_args), F(mach_port_guard_args, name, SC_NAME),
	    F(mach_port_guard_args, guard, SC_INT), F(mach_port_guard_args, guard_flags, SC_INT) },
	  -1, 2 },
	{ "unguard", MACH_IOC_PORT_UNGUARD, SP_NONE, sizeof(struct mach_port_guard_args), 3,
	  { T(mach_port_guard_args), F(mach_port_guard_args, name, SC_NAME),
	    F(mach_port_guard_args, guard, SC_INT) }, -1, 1 },
	{ "swap_guard", MACH_IOC_PORT_SWAP_GUARD, SP_NONE, sizeof(struct mach_port_guard_args), 4,
	  { T(mach_port_guard_args), F(mach_port_guard_args, name, SC_NAME),
	    F(mach_port_guard_args, guard, SC_INT), F(mach_port_guard_args, new_guard, SC_INT) },
	  -1, 1 },
	{ "allocate_full", MACH_IOC_PORT_ALLOCATE_FULL, SP_NONE, sizeof(struct mach_port_alloc_full_args), 6,
	  { T(mach_port_alloc_full_args), F(mach_port_alloc_full_args, right, SC_RIGHT),
	    F(mach_port_alloc_full_args, proto, SC_NAME), F(mach_port_alloc_full_args, name, SC_NAME),
	    F(mach_port_alloc_full_args, qos, SC_INT), F(mach_port_alloc_full_args, len, SC_INT) },
	  OUT(mach_port_alloc_full_args, name), 2 },
	{ "space_info", MACH_IOC_PORT_SPACE_INFO, SP_NONE, sizeof(struct mach_port_space_info_args), 3,
	  { T(mach_port_space_info_args), F(mach_port_space_info_args, count, SC_INT),
	    F(mach_port_space_info_args, info, SC_BUF) }, -1, 1 },
	{ "fork_prepare", MACH_IOC_FORK_PREPARE, SP_NONE, sizeof(struct mach_fork_args), 1,
	  { T(mach_fork_args) }, -1, 1 },
	{ "fork_inherit", MACH_IOC_FORK_INHERIT, SP_NONE, sizeof(struct mach_fork_args), 2,
	  { T(mach_fork_args), F(mach_fork_args, cookie, SC_INT) }, -1, 1 },
	/*
	 * Not here: the host's special ports (what machd set, or nothing, would
	 * change the names every later operation gets).
	 */
	/* send DEST DDISP REPLY RDISP ID INLINE [descriptors] */
	{ "send", 0, SP_SEND, 0, 6,
	  { S(SC_NAME), S(SC_DISP), S(SC_NAME), S(SC_DISP), S(SC_INT), S(SC_INT) }, -1, 16 },
	/* recv NAME SIZE TRAILER LARGE */
	{ "recv", 0, SP_RECV, 0, 4, { S(SC_NAME), S(SC_INT), S(SC_INT), S(SC_INT) }, -1, 10 },
	/* rpc DEST DDISP REPLY RDISP ID INLINE RCVNAME SIZE [descriptors] */
	{ "rpc", 0, SP_RPC, 0, 8,
	  { S(SC_NAME), S(SC_DISP), S(SC_NAME), S(SC_DISP), S(SC_INT), S(SC_INT), S(SC_NAME),
	    S(SC_INT) }, -1, 4 },
	/* kill: actor 0 kills actor 1; actor 1 exits */
	{ "kill", 0, SP_KILL, 0, 0, { }, -1, 1 },
};
const unsigned int seq_ndefs = sizeof(seq_defs) / sizeof(seq_defs[0]);

/* --- symbols ----------------------------------------------------------------- */

struct sym {
	const char *name;
	int64_t v;
};

static const struct sym rights[] = {
	{ "send", MACH_PORT_RIGHT_SEND }, { "receive", MACH_PORT_RIGHT_RECEIVE },
	{ "send_once", MACH_PORT_RIGHT_SEND_ONCE }, { "port_set", MACH_PORT_RIGHT_PORT_SET },
	{ "dead_name", MACH_PORT_RIGHT_DEAD_NAME }, { NULL, 0 },
};
static const struct sym disps[] = {
	{ "none", 0 },
	{ "move_receive", MACH_MSG_TYPE_MOVE_RECEIVE }, { "move_send", MACH_MSG_TYPE_MOVE_SEND },
	{ "move_send_once", MACH_MSG_TYPE_MOVE_SEND_ONCE },
	{ "copy_send", MACH_MSG_TYPE_COPY_SEND }, { "make_send", MACH_MSG_TYPE_MAKE_SEND },
	{ "make_send_once", MACH_MSG_TYPE_MAKE_SEND_ONCE }, { NULL, 0 },
};
static const struct sym notifies[] = {
	{ "port_deleted", MACH_NOTIFY_PORT_DELETED },
	{ "port_destroyed", MACH_NOTIFY_PORT_DESTROYED },
	{ "no_senders", MACH_NOTIFY_NO_SENDERS }, { "send_once", MACH_NOTIFY_SEND_ONCE },
	{ "dead_name", MACH_NOTIFY_DEAD_NAME }, { NULL, 0 },
};
static const struct sym bufs[] = {
	{ "buf", SB_OK }, { "robuf", SB_RO }, { "nullbuf", SB_NULL }, { "nobuf", SB_NONE },
	{ NULL, 0 },
};
static const struct sym names[] = {
	{ "null", MACH_PORT_NULL }, { "dead", (int64_t)(uint32_t)MACH_PORT_DEAD }, { NULL, 0 },
};

#define C(x) { #x, x }
static const struct sym codes[] = {
	C(KERN_SUCCESS), C(KERN_INVALID_ADDRESS), C(KERN_PROTECTION_FAILURE), C(KERN_NO_SPACE),
	C(KERN_INVALID_ARGUMENT), C(KERN_FAILURE), C(KERN_RESOURCE_SHORTAGE),
	C(KERN_NOT_RECEIVER), C(KERN_NO_ACCESS), C(KERN_ALREADY_IN_SET), C(KERN_NOT_IN_SET),
	C(KERN_NAME_EXISTS), C(KERN_INVALID_NAME), C(KERN_INVALID_TASK), C(KERN_INVALID_RIGHT),
	C(KERN_INVALID_VALUE), C(KERN_UREFS_OVERFLOW), C(KERN_INVALID_CAPABILITY),
	C(KERN_RIGHT_EXISTS), C(KERN_NOT_SUPPORTED),
	C(MACH_SEND_INVALID_DATA), C(MACH_SEND_INVALID_DEST), C(MACH_SEND_TIMED_OUT),
	C(MACH_SEND_INVALID_VOUCHER), C(MACH_SEND_INTERRUPTED), C(MACH_SEND_MSG_TOO_SMALL),
	C(MACH_SEND_INVALID_REPLY), C(MACH_SEND_INVALID_RIGHT), C(MACH_SEND_INVALID_NOTIFY),
	C(MACH_SEND_INVALID_MEMORY), C(MACH_SEND_NO_BUFFER), C(MACH_SEND_TOO_LARGE),
	C(MACH_SEND_INVALID_TYPE), C(MACH_SEND_INVALID_HEADER), C(MACH_SEND_INVALID_TRAILER),
	C(MACH_SEND_INVALID_OPTIONS),
	C(MACH_RCV_INVALID_NAME), C(MACH_RCV_TIMED_OUT), C(MACH_RCV_TOO_LARGE),
	C(MACH_RCV_INTERRUPTED), C(MACH_RCV_PORT_CHANGED), C(MACH_RCV_INVALID_NOTIFY),
	C(MACH_RCV_INVALID_DATA), C(MACH_RCV_PORT_DIED), C(MACH_RCV_HEADER_ERROR),
	C(MACH_RCV_BODY_ERROR), C(MACH_RCV_INVALID_TYPE), C(MACH_RCV_INVALID_TRAILER),
	C(MACH_RCV_INVALID_ARGUMENTS),
	{ "-EFAULT", -EFAULT }, { "-EINVAL", -EINVAL }, { "-ENOTTY", -ENOTTY },
	{ "-EBADFD", -EBADFD }, { "-EPERM", -EPERM }, { "-ENOMEM", -ENOMEM },
	{ "gone", SEQ_GONE },
	{ NULL, 0 },
};
#undef C

static const struct sym *cat_syms(unsigned int cat)
{
	switch (cat) {
	case SC_NAME: return names;
	case SC_RIGHT: return rights;
	case SC_DISP: return disps;
	case SC_NOTIFY: return notifies;
	case SC_BUF: return bufs;
	default: return NULL;
	}
}

static bool sym_value(const struct sym *t, const char *s, int64_t *v)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, s)) {
			*v = t->v;
			return true;
		}
	return false;
}

static const char *sym_name(const struct sym *t, int64_t v)
{
	for (; t && t->name; t++)
		if (t->v == v)
			return t->name;
	return NULL;
}

static bool parse_number(const char *s, int64_t *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*v = strtoll(s, &end, 0);
	if (*end || errno) {
		/* 0x80000000 and above: unsigned hex */
		errno = 0;
		*v = (int64_t)strtoull(s, &end, 0);
		return !*end && !errno;
	}
	return true;
}

const char *seq_code_name(int64_t code, char *buf, size_t len)
{
	const char *n = sym_name(codes, code);

	if (n)
		return n;
	if (code == SEQ_ANY)
		return "?";
	if (code < 0)
		snprintf(buf, len, "%lld", (long long)code);
	else
		snprintf(buf, len, "0x%llx", (long long)code);
	return buf;
}

/* --- text ---------------------------------------------------------------- */

static bool parse_val(const char *tok, unsigned int cat, struct seq_val *v, unsigned int opno)
{
	memset(v, 0, sizeof(*v));
	if (cat == SC_NAME && tok[0] == '$') {
		char *end;
		long op = strtol(tok + 1, &end, 10), out = 0;

		if (end == tok + 1)
			return false;
		if (*end == '.') {
			char *e2;

			out = strtol(end + 1, &e2, 10);
			if (e2 == end + 1 || *e2)
				return false;
		} else if (*end) {
			return false;
		}
		/* only earlier operations' outputs exist */
		if (op < 0 || (unsigned long)op >= opno || out < 0 || out >= SEQ_MAX_OUT)
			return false;
		v->kind = SV_REF;
		v->op = (int16_t)op;
		v->out = (uint8_t)out;
		return true;
	}
	if (cat == SC_NAME && !strcmp(tok, "self")) {
		v->kind = SV_SELF;
		return true;
	}
	if (cat == SC_NAME && !strcmp(tok, "peer")) {
		v->kind = SV_PEER;
		return true;
	}
	if (cat == SC_PID && !strcmp(tok, "mypid")) {
		v->kind = SV_MYPID;
		return true;
	}
	if (cat == SC_PID && !strcmp(tok, "peerpid")) {
		v->kind = SV_PEERPID;
		return true;
	}
	v->kind = SV_LIT;
	if (sym_value(cat_syms(cat), tok, &v->lit))
		return true;
	if (cat == SC_BUF)
		return false;
	return parse_number(tok, &v->lit);
}

static int fmt_val(char *buf, size_t len, const struct seq_val *v, unsigned int cat)
{
	const char *n;

	switch (v->kind) {
	case SV_REF:
		if (v->out)
			return snprintf(buf, len, "$%d.%u", v->op, v->out);
		return snprintf(buf, len, "$%d", v->op);
	case SV_SELF: return snprintf(buf, len, "self");
	case SV_PEER: return snprintf(buf, len, "peer");
	case SV_MYPID: return snprintf(buf, len, "mypid");
	case SV_PEERPID: return snprintf(buf, len, "peerpid");
	}
	n = sym_name(cat_syms(cat), v->lit);
	if (n)
		return snprintf(buf, len, "%s", n);
	/* names in hex (index and generation show), other numbers when large */
	if (v->lit > (cat == SC_NAME ? 0xff : 0xffff))
		return snprintf(buf, len, "0x%llx", (unsigned long long)v->lit);
	return snprintf(buf, len, "%lld", (long long)v->lit);
}

static const struct seq_def *def_by_name(const char *s, unsigned int *idx)
{
	for (unsigned int i = 0; i < seq_ndefs; i++)
		if (!strcmp(seq_defs[i].name, s)) {
			*idx = i;
			return &seq_defs[i];
		}
	return NULL;
}

/* port:NAME:DISP  ool:SIZE:COPY:DEALLOC  ports:DISP:DEALLOC:NAME,NAME,... */
static bool parse_desc(char *tok, struct seq_desc *d, unsigned int opno)
{
	char *parts[4], *save = NULL, *p;
	int64_t v;
	int n = 0;

	memset(d, 0, sizeof(*d));
	for (p = strtok_r(tok, ":", &save); p && n < 4; p = strtok_r(NULL, ":", &save))
		parts[n++] = p;
	if (p)
		return false;
	if (n == 3 && !strcmp(parts[0], "port")) {
		d->kind = SD_PORT;
		d->nports = 1;
		if (!parse_val(parts[1], SC_NAME, &d->names[0], opno))
			return false;
		if (!sym_value(disps, parts[2], &v) && !parse_number(parts[2], &v))
			return false;
		d->disp = (uint8_t)v;
		return true;
	}
	if (n == 4 && !strcmp(parts[0], "ool")) {
		int64_t size, copy, dealloc;

		if (!parse_number(parts[1], &size) || !parse_number(parts[2], &copy) ||
		    !parse_number(parts[3], &dealloc) || size < 0 || size > UINT32_MAX)
			return false;
		d->kind = SD_OOL;
		d->size = (uint32_t)size;
		d->copy = (uint8_t)copy;
		d->dealloc = (uint8_t)dealloc;
		return true;
	}
	if (n == 4 && !strcmp(parts[0], "ports")) {
		char *save2 = NULL, *q;
		int64_t dealloc;

		d->kind = SD_PORTS;
		if (!sym_value(disps, parts[1], &v) && !parse_number(parts[1], &v))
			return false;
		d->disp = (uint8_t)v;
		if (!parse_number(parts[2], &dealloc))
			return false;
		d->dealloc = (uint8_t)dealloc;
		if (!strcmp(parts[3], "-"))
			return true;	/* an empty array */
		for (q = strtok_r(parts[3], ",", &save2); q; q = strtok_r(NULL, ",", &save2)) {
			if (d->nports == SEQ_PORTS_MAX ||
			    !parse_val(q, SC_NAME, &d->names[d->nports], opno))
				return false;
			d->nports++;
		}
		return true;
	}
	return false;
}

static bool parse_line(char *line, struct seq_op *op, unsigned int opno, char *err, size_t errlen)
{
	char *tok[SEQ_MAX_ARGS + SEQ_MAX_DESC + 8], *save = NULL, *p, *hash;
	const struct seq_def *d;
	unsigned int n = 0, i, idx;
	int64_t v;

	hash = strchr(line, '#');
	if (hash)
		*hash = 0;
	for (p = strtok_r(line, " \t\r\n", &save); p; p = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == sizeof(tok) / sizeof(tok[0])) {
			snprintf(err, errlen, "too many fields");
			return false;
		}
		tok[n++] = p;
	}
	memset(op, 0, sizeof(*op));
	op->expect = SEQ_ANY;
	if (n >= 2 && !strcmp(tok[n - 2], "=")) {
		if (strcmp(tok[n - 1], "?") && !sym_value(codes, tok[n - 1], &op->expect) &&
		    !parse_number(tok[n - 1], &op->expect)) {
			snprintf(err, errlen, "unknown result '%s'", tok[n - 1]);
			return false;
		}
		n -= 2;
	}
	if (n < 2 || (strcmp(tok[0], "0") && strcmp(tok[0], "1"))) {
		snprintf(err, errlen, "expected 'ACTOR OP ARG...'");
		return false;
	}
	op->actor = (uint8_t)(tok[0][0] - '0');
	d = def_by_name(tok[1], &idx);
	if (!d) {
		snprintf(err, errlen, "unknown operation '%s'", tok[1]);
		return false;
	}
	op->def = (uint8_t)idx;
	if (n - 2 < d->nargs) {
		snprintf(err, errlen, "%s takes %u arguments", d->name, d->nargs);
		return false;
	}
	op->nargs = d->nargs;
	for (i = 0; i < d->nargs; i++)
		if (!parse_val(tok[2 + i], d->arg[i].cat, &op->args[i], opno)) {
			snprintf(err, errlen, "argument %u of %s: bad value '%s'", i + 1, d->name,
				 tok[2 + i]);
			return false;
		}
	for (i = 2 + d->nargs; i < n; i++) {
		if ((d->special != SP_SEND && d->special != SP_RPC) || op->ndesc == SEQ_MAX_DESC ||
		    !parse_desc(tok[i], &op->desc[op->ndesc], opno)) {
			snprintf(err, errlen, "bad descriptor or extra field '%s'", tok[i]);
			return false;
		}
		op->ndesc++;
	}
	(void)v;
	return true;
}

bool seq_parse(const char *text, struct seq *seq, char *err, size_t errlen)
{
	char *copy = strdup(text), *line, *next;
	unsigned int lineno = 0;
	char why[160];
	bool ok = true;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	seq->n = 0;
	seq->note[0] = 0;
	for (line = copy; line && ok; line = next) {
		const char *p;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		for (p = line; *p == ' ' || *p == '\t' || *p == '\r'; p++)
			;
		/* what the comments before the operations say is kept */
		if (*p == '#' && !seq->n && strcmp(p, SEQ_MAGIC)) {
			size_t used = strlen(seq->note);

			snprintf(seq->note + used, sizeof(seq->note) - used, "%s\n", p);
		}
		if (!*p || *p == '#')
			continue;
		if (seq->n == SEQ_MAX_OPS) {
			snprintf(err, errlen, "line %u: more than %d operations", lineno, SEQ_MAX_OPS);
			ok = false;
			break;
		}
		if (!parse_line(line, &seq->ops[seq->n], seq->n, why, sizeof(why))) {
			snprintf(err, errlen, "line %u: %s", lineno, why);
			ok = false;
			break;
		}
		seq->n++;
	}
	free(copy);
	return ok;
}

#define PUT(...) do { \
	int k_ = snprintf(buf + used, used < len ? len - used : 0, __VA_ARGS__); \
	if (k_ < 0) return -1; \
	used += (size_t)k_; \
} while (0)

int seq_format(const struct seq *seq, char *buf, size_t len)
{
	size_t used = 0;
	char v[64], c[32];

	PUT("%s\n%s", SEQ_MAGIC, seq->note);
	for (unsigned int i = 0; i < seq->n; i++) {
		const struct seq_op *op = &seq->ops[i];
		const struct seq_def *d = &seq_defs[op->def];

		PUT("%u %s", op->actor, d->name);
		for (unsigned int a = 0; a < op->nargs; a++) {
			fmt_val(v, sizeof(v), &op->args[a], d->arg[a].cat);
			PUT(" %s", v);
		}
		for (unsigned int k = 0; k < op->ndesc; k++) {
			const struct seq_desc *ds = &op->desc[k];
			const char *dn = sym_name(disps, ds->disp);
			char dbuf[16];

			if (!dn) {
				snprintf(dbuf, sizeof(dbuf), "%u", ds->disp);
				dn = dbuf;
			}
			switch (ds->kind) {
			case SD_PORT:
				fmt_val(v, sizeof(v), &ds->names[0], SC_NAME);
				PUT(" port:%s:%s", v, dn);
				break;
			case SD_OOL:
				PUT(" ool:%u:%u:%u", ds->size, ds->copy, ds->dealloc);
				break;
			default:
				PUT(" ports:%s:%u:", dn, ds->dealloc);
				if (!ds->nports)
					PUT("-");
				for (unsigned int j = 0; j < ds->nports; j++) {
					fmt_val(v, sizeof(v), &ds->names[j], SC_NAME);
					PUT("%s%s", j ? "," : "", v);
				}
			}
		}
		PUT(" = %s\n", seq_code_name(op->expect, c, sizeof(c)));
	}
	return used < len ? (int)used : -1;
}

bool seq_code_allowed(int64_t r)
{
	static const int64_t msg_codes[] = {
		MACH_MSG_SUCCESS, MACH_SEND_INVALID_DATA, MACH_SEND_INVALID_DEST,
		MACH_SEND_TIMED_OUT, MACH_SEND_INVALID_VOUCHER, MACH_SEND_INTERRUPTED,
		MACH_SEND_MSG_TOO_SMALL, MACH_SEND_INVALID_REPLY, MACH_SEND_INVALID_RIGHT,
		MACH_SEND_INVALID_NOTIFY, MACH_SEND_INVALID_MEMORY, MACH_SEND_NO_BUFFER,
		MACH_SEND_TOO_LARGE, MACH_SEND_INVALID_TYPE, MACH_SEND_INVALID_HEADER,
		MACH_SEND_INVALID_TRAILER, MACH_SEND_INVALID_OPTIONS, MACH_RCV_INVALID_NAME,
		MACH_RCV_TIMED_OUT, MACH_RCV_TOO_LARGE, MACH_RCV_INTERRUPTED,
		MACH_RCV_PORT_CHANGED, MACH_RCV_INVALID_NOTIFY, MACH_RCV_INVALID_DATA,
		MACH_RCV_PORT_DIED, MACH_RCV_INVALID_TYPE, MACH_RCV_INVALID_TRAILER,
		MACH_RCV_INVALID_ARGUMENTS,
	};

	if (r >= 0 && r <= KERN_NOT_SUPPORTED)
		return true;
	if (r == -EFAULT || r == -EINVAL || r == -ENOTTY || r == -EBADFD || r == -EPERM ||
	    r == SEQ_GONE)
		return true;
	for (unsigned int i = 0; i < sizeof(msg_codes) / sizeof(msg_codes[0]); i++)
		if (r == msg_codes[i])
			return true;
	/* header and body errors carry MACH_MSG_{IPC,VM}_{SPACE,KERNEL} bits */
	return (r & ~0x3c00LL) == MACH_RCV_HEADER_ERROR ||
	       (r & ~0x3c00LL) == MACH_RCV_BODY_ERROR;
}

/* --- running ------------------------------------------------------------- */

#define PG		4096UL
#define BUF_SZ		(64 * 1024)
#define INLINE_MAX	4096
#define OOL_MAX		(256 * 1024)
#define RCV_SZ		(BUF_SZ + 1024)

/* The block both actors and the caller share. */
struct seq_shared {
	struct seq_result r;
	uint32_t self[2], peer[2];
	int32_t pid[2];
	volatile int gone;	/* actor 1 is dead */
};

static struct seq_shared *shared;

struct seq_result *seq_result_alloc(void)
{
	if (!shared) {
		void *p = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return NULL;
		shared = p;
	}
	return &shared->r;
}

/* One actor's own state (each process has its copy). */
struct actor {
	unsigned int id;
	int fd;
	uint8_t *buf;		/* SB_OK: read-write */
	uint8_t *ro;		/* SB_RO */
	uint8_t *none;		/* SB_NONE */
	uint8_t *msg;		/* send buffer */
	uint8_t *rcv;		/* receive buffer */
};

static long do_ioctl(int fd, unsigned long cmd, void *arg)
{
	long r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static uint64_t resolve(const struct actor *a, const struct seq_val *v)
{
	switch (v->kind) {
	case SV_REF:
		return shared->r.out[v->op][v->out];
	case SV_SELF:
		return shared->self[a->id];
	case SV_PEER:
		return shared->peer[a->id];
	case SV_MYPID:
		return (uint32_t)shared->pid[a->id];
	case SV_PEERPID:
		return (uint32_t)shared->pid[!a->id];
	default:
		return (uint64_t)v->lit;
	}
}

static uint64_t buf_ptr(const struct actor *a, uint64_t kind)
{
	switch (kind) {
	case SB_OK: return (uintptr_t)a->buf;
	case SB_RO: return (uintptr_t)a->ro;
	case SB_NONE: return (uintptr_t)a->none;
	default: return 0;
	}
}

static int64_t run_ioctl(struct actor *a, const struct seq_op *op, uint32_t *out)
{
	const struct seq_def *d = &seq_defs[op->def];
	uint64_t args[8] = { 0 };
	uint8_t *ab = (uint8_t *)args;
	int64_t ret;

	memset(a->buf, 0, 64);
	for (unsigned int i = 0; i < d->nargs; i++) {
		uint64_t v = resolve(a, &op->args[i]);

		if (d->arg[i].cat == SC_BUF)
			v = buf_ptr(a, v);
		if (d->arg[i].off == SEQ_OFF_WORD0) {
			uint32_t w = (uint32_t)v;

			memcpy(a->buf, &w, 4);
		} else if (d->arg[i].size == 8) {
			memcpy(ab + d->arg[i].off, &v, 8);
		} else {
			uint32_t w = (uint32_t)v;

			memcpy(ab + d->arg[i].off, &w, 4);
		}
	}
	ret = do_ioctl(a->fd, d->cmd, args);
	if (ret == 0 && d->out >= 0)
		memcpy(&out[0], ab + d->out, 4);
	return ret;
}

/* Lay a message out in a->msg from a send or rpc operation; its size. */
static uint32_t build_msg(struct actor *a, const struct seq_op *op, void *ool[SEQ_MAX_DESC],
			  uint32_t ool_len[SEQ_MAX_DESC])
{
	mach_msg_header_t *h = (mach_msg_header_t *)a->msg;
	uint8_t *p = a->msg + sizeof(*h);
	uint64_t inl = resolve(a, &op->args[5]) % (INLINE_MAX + 1);
	static uint32_t portarr[SEQ_MAX_DESC][SEQ_PORTS_MAX];

	memset(a->msg, 0, sizeof(*h) + 4 + SEQ_MAX_DESC * 16 + INLINE_MAX + 8);
	h->msgh_bits = MACH_MSGH_BITS(resolve(a, &op->args[1]) & 0x1f,
				      resolve(a, &op->args[3]) & 0x1f);
	h->msgh_remote_port = (mach_port_t)resolve(a, &op->args[0]);
	h->msgh_local_port = (mach_port_t)resolve(a, &op->args[2]);
	h->msgh_id = (mach_msg_id_t)resolve(a, &op->args[4]);
	if (op->ndesc) {
		h->msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		*(uint32_t *)p = op->ndesc;
		p += 4;
	}
	for (unsigned int k = 0; k < op->ndesc; k++) {
		const struct seq_desc *ds = &op->desc[k];

		ool[k] = NULL;
		ool_len[k] = 0;
		if (ds->kind == SD_PORT) {
			mach_msg_port_descriptor_t pd = {
				.name = (mach_port_t)resolve(a, &ds->names[0]),
				.disposition = ds->disp, .type = MACH_MSG_PORT_DESCRIPTOR,
			};

			memcpy(p, &pd, sizeof(pd));
			p += sizeof(pd);
		} else if (ds->kind == SD_OOL) {
			mach_msg_ool_descriptor_t od = {
				.size = ds->size, .copy = ds->copy, .deallocate = ds->dealloc,
				.type = MACH_MSG_OOL_DESCRIPTOR,
			};
			uint32_t len = ds->size > OOL_MAX ? OOL_MAX : ds->size;

			if (len) {
				void *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

				if (m != MAP_FAILED) {
					memset(m, 0x5a ^ (int)k, len);
					ool[k] = m;
					ool_len[k] = len;
					od.address = m;
				}
			}
			memcpy(p, &od, sizeof(od));
			p += sizeof(od);
		} else {
			mach_msg_ool_ports_descriptor_t pd = {
				.count = ds->nports, .disposition = ds->disp,
				.deallocate = 0, .copy = MACH_MSG_PHYSICAL_COPY,
				.type = MACH_MSG_OOL_PORTS_DESCRIPTOR,
			};

			for (unsigned int j = 0; j < ds->nports; j++)
				portarr[k][j] = (uint32_t)resolve(a, &ds->names[j]);
			pd.address = ds->nports ? portarr[k] : NULL;
			memcpy(p, &pd, sizeof(pd));
			p += sizeof(pd);
		}
	}
	p += inl & ~3ULL;
	h->msgh_size = (mach_msg_size_t)(p - a->msg);
	return h->msgh_size;
}

/* The names a received message gave: reply right, then descriptors'. */
static void received_names(const struct actor *a, uint32_t *out)
{
	const mach_msg_header_t *h = (const mach_msg_header_t *)a->rcv;
	const uint8_t *p = a->rcv + sizeof(*h), *end = a->rcv + h->msgh_size;
	unsigned int n = 1, count;

	out[0] = h->msgh_remote_port;
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || h->msgh_size > RCV_SZ ||
	    p + 4 > end)
		return;
	count = *(const uint32_t *)p;
	p += 4;
	for (unsigned int k = 0; k < count && n < SEQ_MAX_OUT && p + 12 <= end; k++) {
		const mach_msg_type_descriptor_t *t = (const void *)p;

		if (t->type == MACH_MSG_PORT_DESCRIPTOR) {
			out[n++] = ((const mach_msg_port_descriptor_t *)p)->name;
			p += sizeof(mach_msg_port_descriptor_t);
		} else if (t->type == MACH_MSG_OOL_PORTS_DESCRIPTOR && p + 16 <= end) {
			const mach_msg_ool_ports_descriptor_t *pd = (const void *)p;

			if (pd->count && pd->address)
				out[n++] = ((const uint32_t *)pd->address)[0];
			p += sizeof(*pd);
		} else {
			p += 16;
		}
	}
}

static int64_t run_msg(struct actor *a, const struct seq_op *op, uint32_t *out)
{
	const struct seq_def *d = &seq_defs[op->def];
	struct mach_ioc_msg m = { 0 };
	void *ool[SEQ_MAX_DESC] = { 0 };
	uint32_t ool_len[SEQ_MAX_DESC] = { 0 };
	const struct seq_val *rv = NULL;
	int64_t ret;

	if (d->special == SP_SEND || d->special == SP_RPC) {
		m.send_msg = (uintptr_t)a->msg;
		m.send_size = build_msg(a, op, ool, ool_len);
		m.option |= MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	}
	if (d->special == SP_RECV) {
		rv = &op->args[0];
		m.rcv_size = (uint32_t)resolve(a, &op->args[1]);
		m.option |= MACH_RCV_TRAILER_ELEMENTS(resolve(a, &op->args[2])) |
			    (resolve(a, &op->args[3]) ? MACH_RCV_LARGE : 0);
	} else if (d->special == SP_RPC) {
		rv = &op->args[6];
		m.rcv_size = (uint32_t)resolve(a, &op->args[7]);
	}
	if (rv) {
		if (m.rcv_size > RCV_SZ)
			m.rcv_size = RCV_SZ;
		m.rcv_msg = (uintptr_t)a->rcv;
		m.rcv_name = (uint32_t)resolve(a, rv);
		m.option |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
		memset(a->rcv, 0, sizeof(mach_msg_header_t));
	}
	ret = do_ioctl(a->fd, MACH_IOC_MSG, &m);
	if (ret == MACH_MSG_SUCCESS && rv)
		received_names(a, out);
	for (unsigned int k = 0; k < SEQ_MAX_DESC; k++)
		if (ool[k])
			munmap(ool[k], ool_len[k]);	/* gone already if it was moved */
	return ret;
}

static void *map_page(int prot)
{
	void *p = mmap(NULL, PG, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Open our own space; false if the device or memory is missing. */
static bool actor_setup(struct actor *a, unsigned int id)
{
	uint32_t self = 0;

	a->id = id;
	a->fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	a->buf = mmap(NULL, BUF_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a->msg = mmap(NULL, BUF_SZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	a->rcv = mmap(NULL, RCV_SZ + PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	a->ro = map_page(PROT_READ);
	a->none = map_page(PROT_NONE);
	if (a->fd < 0 || a->buf == MAP_FAILED || a->msg == MAP_FAILED ||
	    a->rcv == MAP_FAILED || !a->ro || !a->none)
		return false;
	if (do_ioctl(a->fd, MACH_IOC_TASK_SELF, &self) != 0)
		return false;
	/*
	 * No bootstrap port: what the space inherited (machd's, or none)
	 * must not decide which names the sequence's operations get.
	 */
	struct mach_task_special_args sp = { .task = self, .which = TASK_BOOTSTRAP_PORT };

	if (do_ioctl(a->fd, MACH_IOC_TASK_SET_SPECIAL, &sp) != 0)
		return false;
	shared->self[id] = self;
	shared->pid[id] = getpid();
	return true;
}

static uint32_t task_for(struct actor *a, pid_t pid)
{
	struct mach_task_pid_args t = { .task = shared->self[a->id], .pid = pid };

	return do_ioctl(a->fd, MACH_IOC_TASK_FOR_PID, &t) == 0 ? t.port : MACH_PORT_NULL;
}

static void run_op(struct actor *a, unsigned int i, const struct seq *seq,
		   const struct seq_cov *cov)
{
	const struct seq_op *op = &seq->ops[i];
	const struct seq_def *d = &seq_defs[op->def];
	uint32_t *out = shared->r.out[i];
	int64_t ret;

	memset(out, 0, sizeof(shared->r.out[i]));
	if (cov && cov->before)
		cov->before();
	ret = d->special == SP_NONE ? run_ioctl(a, op, out) : run_msg(a, op, out);
	if (cov && cov->after)
		cov->after(&shared->r);
	shared->r.ret[i] = ret;
}

static bool wait_byte(int fd, unsigned int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&p, 1, (int)timeout_ms) == 1 && read(fd, &c, 1) == 1;
}

/* Actor 1: run what actor 0 asks, one operation at a time. */
static void actor1_main(const struct seq *seq, const struct seq_cov *cov, int cmd, int ack)
{
	struct actor a;
	char c = 1;
	uint32_t i;

	if (!actor_setup(&a, 1))
		_exit(2);
	shared->peer[1] = task_for(&a, getppid());
	if (cov && cov->attach)
		cov->attach();
	if (write(ack, &c, 1) != 1)
		_exit(2);
	while (read(cmd, &i, sizeof(i)) == sizeof(i) && i < seq->n) {
		if (seq_defs[seq->ops[i].def].special == SP_KILL) {
			shared->r.ret[i] = 0;
			_exit(0);	/* our space goes with us */
		}
		run_op(&a, i, seq, cov);
		if (write(ack, &c, 1) != 1)
			break;
	}
	_exit(0);
}

/* Actor 0: the sequence's driver inside the pair. */
static void actor0_main(const struct seq *seq, const struct seq_cov *cov, unsigned int timeout_ms)
{
	int cmd[2], ack[2];
	struct actor a;
	pid_t p1;

	if (!actor_setup(&a, 0) || pipe(cmd) || pipe(ack))
		_exit(2);
	p1 = fork();
	if (p1 < 0)
		_exit(2);
	if (p1 == 0) {
		close(a.fd);	/* its space is its own: open another */
		close(cmd[1]);
		close(ack[0]);
		actor1_main(seq, cov, cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	if (!wait_byte(ack[0], timeout_ms))
		_exit(3);
	shared->peer[0] = task_for(&a, p1);
	if (cov && cov->attach)
		cov->attach();

	for (uint32_t i = 0; i < seq->n; i++) {
		const struct seq_op *op = &seq->ops[i];

		memset(shared->r.out[i], 0, sizeof(shared->r.out[i]));
		if (op->actor == 0 && seq_defs[op->def].special == SP_KILL) {
			shared->r.ret[i] = shared->gone ? SEQ_GONE : 0;
			if (!shared->gone) {
				kill(p1, SIGKILL);
				waitpid(p1, NULL, 0);
				shared->gone = 1;
			}
		} else if (op->actor == 0) {
			run_op(&a, i, seq, cov);
		} else if (shared->gone) {
			shared->r.ret[i] = SEQ_GONE;
		} else {
			if (write(cmd[1], &i, sizeof(i)) != sizeof(i))
				_exit(4);
			if (seq_defs[op->def].special == SP_KILL) {
				/* it exits: wait until its space is gone */
				waitpid(p1, NULL, 0);
				shared->gone = 1;
				continue;
			}
			if (!wait_byte(ack[0], timeout_ms))
				_exit(3);
		}
	}
	if (!shared->gone) {
		kill(p1, SIGKILL);
		waitpid(p1, NULL, 0);
	}
	_exit(0);
}

int seq_run(const struct seq *seq, struct seq_result *r, const struct seq_cov *cov,
	    unsigned int timeout_ms)
{
	struct timespec start, now;
	int status = 0;
	pid_t p0;

	(void)r;
	memset(shared, 0, sizeof(*shared));
	for (unsigned int i = 0; i < SEQ_MAX_OPS; i++)
		shared->r.ret[i] = SEQ_ANY;
	fflush(NULL);
	p0 = fork();
	if (p0 < 0)
		return -1;
	if (p0 == 0) {
		setpgid(0, 0);	/* both actors in a group of their own */
		actor0_main(seq, cov, timeout_ms);
	}
	setpgid(p0, p0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t w = waitpid(p0, &status, WNOHANG);
		long ms;

		if (w == p0)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms > (long)timeout_ms * (seq->n + 2)) {
			kill(-p0, SIGKILL);
			waitpid(p0, &status, 0);
			shared->r.status = -1;
			return -1;
		}
		usleep(ms < 50 ? 200 : 2000);
	}
	/* actor 1 may still be dying if actor 0 died: take the group down */
	kill(-p0, SIGKILL);
	shared->r.status = status;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
