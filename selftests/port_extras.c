// SPDX-License-Identifier: GPL-2.0
/*
 * port_extras - mach_port_set_mscount, _set_seqno, _get_srights, _peek,
 * the guard routines and the qos allocation forms.
 *
 * XNU facts (osfmk/ipc/mach_port.c unless said):
 *  - set_mscount, set_seqno: MACH_PORT_VALID(name) or KERN_INVALID_RIGHT,
 *    then ipc_port_translate_receive: KERN_INVALID_NAME for no right,
 *    KERN_INVALID_RIGHT for a right that is not a receive right.
 *  - get_srights (mach_debug.c): no validity check first, so
 *    MACH_PORT_NULL is KERN_INVALID_NAME; ip_srights counts one per
 *    space holding send rights (not urefs) plus rights in messages.
 *  - peek: MACH_PORT_VALID or KERN_INVALID_RIGHT; elements above
 *    MACH_RCV_TRAILER_AUDIT, or a buffer smaller than the requested
 *    trailer, KERN_INVALID_VALUE; no such message KERN_FAILURE.  seqno 0
 *    means the first message; the trailer is the one stored at send time
 *    (ipc_kmsg_init_trailer: msgh_trailer_size MACH_MSG_TRAILER_MINIMUM_SIZE)
 *    with msgh_seqno filled in, REQUESTED_TRAILER_SIZE bytes of it.
 *  - guard: the guard is the context word; mach_port_guard_locked refuses
 *    a port whose context is not 0 (KERN_INVALID_ARGUMENT).  unguard needs
 *    a guarded port and its guard (else KERN_INVALID_ARGUMENT), swap_guard
 *    also a non-strict guard.  A strict guard reads as context 0 and
 *    set_context fails with KERN_INVALID_ARGUMENT.  mach_port_destroy of a
 *    guarded receive right (ipc_right_destroy, guard 0) and
 *    mod_refs(RECEIVE, -1) (ipc_right_delta) return KERN_INVALID_RIGHT; on
 *    macOS a fatal EXC_GUARD follows, here the process goes on.
 *  - moving a receive right (ipc_port_clear_receiver) clears mscount,
 *    seqno, context and guard.
 *  - allocate_full: proto must be MACH_PORT_NULL (KERN_INVALID_VALUE); a
 *    chosen name must be valid (KERN_INVALID_VALUE); prealloc is checked
 *    (len > MACH_MSG_SIZE_MAX - MAX_TRAILER_SIZE: KERN_RESOURCE_SHORTAGE;
 *    not a receive right: KERN_INVALID_VALUE) and then cleared.
 *    allocate_qos refuses qos.name (KERN_INVALID_ARGUMENT).
 *  - space_info (mach_debug.c): per name its type, urefs (0 for receive
 *    rights and port sets, 1 for send-once) and an object identity that is
 *    the same for one port in every space.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "notify_util.h"

#define CHOSEN	((mach_port_name_t)0x515103)

static mach_port_t make_send(mach_port_t port)
{
	expect_kr(KERN_SUCCESS, mach_port_insert_right(mach_task_self(), port, port,
						       MACH_MSG_TYPE_MAKE_SEND),
		  "insert_right(MAKE_SEND)");
	return port;
}

static bool expect_no_senders(mach_port_t n, uint32_t count)
{
	struct mu_rcv r;

	if (!nu_recv_notification(n, &r, MACH_NOTIFY_NO_SENDERS, NU_SIZE_NAME, MU_WAIT_MS))
		return false;
	return expect_eq(count, nu_word(&r, NU_OFF_WORD), "not_count is the set mscount");
}

/* --- set_mscount -------------------------------------------------------- */

static void mscount_in_no_senders(void)
{
	mach_port_t p = mu_port(), n = mu_port(), prev;

	assert_true(p && n, "setup");
	make_send(p);
	expect_eq(1, mu_status(p).mps_mscount, "MAKE_SEND counted");
	assert_kr(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), p, 41),
		  "set_mscount(41)");
	expect_eq(41, mu_status(p).mps_mscount, "mps_mscount");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), "arm");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop the send right");
	expect_no_senders(n, 41);

	/* the next MAKE_SEND counts on from the value set */
	make_send(p);
	expect_eq(42, mu_status(p).mps_mscount, "counts on from 41");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop it");

	/* sync is compared with the count set */
	assert_kr(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), p, 7), "set 7");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 8, n, &prev),
		  "arm with sync 8 > 7");
	nu_expect_nothing(n, "armed, not fired");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 7, n, &prev),
		  "re-arm with sync 7");
	expect_no_senders(n, 7);
	if (prev != MACH_PORT_NULL && prev != 0xdeadbeef)
		mach_port_deallocate(mach_task_self(), prev);
	/* 0 is a value like any other */
	assert_kr(KERN_SUCCESS, mach_port_set_mscount(mach_task_self(), p, 0), "set 0");
	expect_eq(0, mu_status(p).mps_mscount, "back to 0");
}

static void mscount_errors(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), so, dead, set;

	assert_true(p != MACH_PORT_NULL, "setup");
	so = nu_make_sonce(p);
	set = nu_pset();
	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "dead name");
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_mscount(task, MACH_PORT_NULL, 1),
		  "MACH_PORT_NULL");
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_mscount(task, MACH_PORT_DEAD, 1),
		  "MACH_PORT_DEAD");
	expect_kr(KERN_INVALID_NAME, mach_port_set_mscount(task, 0x7f7f03, 1),
		  "a name with no right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_mscount(task, so, 1), "send-once right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_mscount(task, set, 1), "port set");
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_mscount(task, dead, 1), "dead name");
	expect_kr(MACH_SEND_INVALID_DEST, mach_port_set_mscount(MACH_PORT_NULL, p, 1),
		  "no task");
	expect_eq(0, mu_status(p).mps_mscount, "unchanged");
}

/* --- set_seqno ---------------------------------------------------------- */

static void seqno_set(void)
{
	mach_port_t task = mach_task_self(), p = mu_port_send();
	mach_port_t so;
	struct mu_rcv r;

	assert_true(p != MACH_PORT_NULL, "setup");
	assert_kr(KERN_SUCCESS, mach_port_set_seqno(task, p, 100), "set_seqno(100)");
	expect_eq(100, mu_status(p).mps_seqno, "mps_seqno");
	assert_kr(MACH_MSG_SUCCESS, mu_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_recv(p, &r, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), MU_WAIT_MS),
		  "receive");
	expect_eq(100, mu_trailer(&r.hdr)->msgh_seqno, "the message got seqno 100");
	expect_eq(101, mu_status(p).mps_seqno, "and the port moved on");
	so = nu_make_sonce(p);
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_seqno(task, MACH_PORT_NULL, 1), "NULL");
	expect_kr(KERN_INVALID_NAME, mach_port_set_seqno(task, 0x7f7f03, 1), "no right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_set_seqno(task, so, 1), "send-once right");
}

/* --- get_srights -------------------------------------------------------- */

static mach_port_rights_t srights(mach_port_t p)
{
	mach_port_rights_t n = 0xdead;

	expect_kr(KERN_SUCCESS, mach_port_get_srights(mach_task_self(), p, &n),
		  "get_srights");
	return n;
}

static void srights_local(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), q = mu_port(), so;

	assert_true(p && q, "setup");
	expect_eq(0, srights(p), "a new port has no send rights");
	make_send(p);
	expect_eq(1, srights(p), "one send right");
	make_send(p);
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, 3), "+3 urefs");
	expect_eq(1, srights(p), "urefs of one name are one send right");
	so = nu_make_sonce(p);
	expect_eq(1, srights(p), "send-once rights are not counted");
	/* a send right in a queued message counts */
	expect_kr(MACH_MSG_SUCCESS, mu_send(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, p,
					    MACH_MSG_TYPE_COPY_SEND, 1, 0, 0, 0, 0),
		  "queue a message carrying a send right to p");
	expect_eq(2, srights(p), "the right in flight counts");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, q), "destroy the queue");
	expect_eq(1, srights(p), "destroyed with the message");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, -5),
		  "drop every send uref");
	expect_eq(0, srights(p), "none left");
	mach_port_deallocate(task, so);
}

/* A child holds a send right: it counts until the child is gone. */
static void srights_child(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), t;
	mach_port_rights_t n = 0;
	int ready[2];
	pid_t pid;

	assert_true(p != MACH_PORT_NULL, "setup");
	assert_eq(0, pipe(ready), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		(void)mach_task_self();	/* open the device: a space to find */
		mt_post(ready[1]);
		pause();
		_exit(0);
	}
	assert_true(mt_await(ready[0], MU_WAIT_MS), "child ready");
	if (!expect_kr(KERN_SUCCESS, task_for_pid(task, pid, &t), "task_for_pid(child)")) {
		kill(pid, SIGKILL);
		mt_wait(pid, MU_WAIT_MS);
		return;
	}
	make_send(p);
	expect_kr(KERN_SUCCESS,
		  mach_port_insert_right(t, 0x70003, p, MACH_MSG_TYPE_MAKE_SEND),
		  "give the child a send right");
	expect_kr(KERN_SUCCESS,
		  mach_port_insert_right(t, 0x70003, p, MACH_MSG_TYPE_MAKE_SEND),
		  "and a second uref of it");
	expect_eq(2, srights(p), "ours and the child's");
	expect_eq(3, mu_status(p).mps_mscount, "three MAKE_SENDs");
	kill(pid, SIGKILL);
	expect_eq(128 + SIGKILL, mt_wait(pid, MU_WAIT_MS), "child killed");
	for (int i = 0; i < 200; i++) {
		n = srights(p);
		if (n == 1)
			break;
		mt_sleep_ms(10);
	}
	expect_eq(1, n, "the child's right went with its space");
	mach_port_deallocate(task, t);
}

static void srights_errors(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), so, set;
	mach_port_rights_t n = 0xdead;

	assert_true(p != MACH_PORT_NULL, "setup");
	so = nu_make_sonce(p);
	set = nu_pset();
	expect_kr(KERN_INVALID_NAME, mach_port_get_srights(task, MACH_PORT_NULL, &n),
		  "MACH_PORT_NULL is looked up: no such name");
	expect_kr(KERN_INVALID_NAME, mach_port_get_srights(task, MACH_PORT_DEAD, &n),
		  "MACH_PORT_DEAD");
	expect_kr(KERN_INVALID_NAME, mach_port_get_srights(task, 0x7f7f03, &n), "no right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_get_srights(task, so, &n), "send-once right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_get_srights(task, set, &n), "port set");
	expect_eq(0xdead, n, "nothing written on failure");
}

/* --- peek --------------------------------------------------------------- */

struct big_msg {
	mach_msg_header_t hdr;
	uint32_t words[10];
};

static mach_msg_return_t send_sized(mach_port_t dest, mach_msg_id_t id, uint32_t nwords)
{
	struct big_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.hdr.msgh_size = sizeof(m.hdr) + nwords * 4;
	m.hdr.msgh_remote_port = dest;
	m.hdr.msgh_id = id;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.hdr.msgh_size, 0,
			MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static kern_return_t peek(mach_port_t p, mach_msg_trailer_type_t type,
			  mach_port_seqno_t *seqno, mach_msg_size_t *size,
			  mach_msg_id_t *id, void *trailer,
			  mach_msg_type_number_t *cnt)
{
	return mach_port_peek(mach_task_self(), p, type, seqno, size, id,
			      (mach_msg_trailer_info_t)trailer, cnt);
}

#define AUDIT_TRAILER	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
			 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))

static void peek_queue(void)
{
	mach_port_t p = mu_port();
	mach_msg_audit_trailer_t t;
	mach_msg_type_number_t cnt;
	mach_port_seqno_t seqno;
	mach_msg_size_t size;
	mach_msg_id_t id;
	struct mu_rcv r;

	assert_true(p != MACH_PORT_NULL, "setup");
	seqno = 0;
	cnt = sizeof(t);
	expect_kr(KERN_FAILURE, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "empty queue");
	assert_kr(MACH_MSG_SUCCESS, send_sized(p, 700, 0), "send 24 bytes");
	assert_kr(MACH_MSG_SUCCESS, send_sized(p, 701, 4), "send 40 bytes");
	assert_kr(MACH_MSG_SUCCESS, send_sized(p, 702, 10), "send 64 bytes");

	seqno = 0;
	size = 0xdead;
	id = 0;
	cnt = sizeof(t);
	memset(&t, 0xa5, sizeof(t));
	assert_kr(KERN_SUCCESS, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "peek the first message");
	expect_eq(0, seqno, "seqno of the first message");
	expect_eq(24, size, "its msgh_size");
	expect_eq(700, id, "its msgh_id");
	expect_eq(sizeof(mach_msg_audit_trailer_t), cnt, "audit trailer size returned");
	expect_eq(MACH_MSG_TRAILER_FORMAT_0, t.msgh_trailer_type, "trailer type");
	expect_eq(MACH_MSG_TRAILER_MINIMUM_SIZE, t.msgh_trailer_size,
		  "the stored trailer's size field, as XNU leaves it");
	expect_eq(0, t.msgh_seqno, "trailer seqno");
	expect_eq(geteuid(), t.msgh_sender.val[0], "sender euid");
	expect_eq(getegid(), t.msgh_sender.val[1], "sender egid");
	expect_eq(geteuid(), t.msgh_audit.val[1], "audit euid");
	expect_eq(getpid(), t.msgh_audit.val[5], "audit pid");
	expect_eq(3, mu_status(p).mps_msgcount, "nothing was dequeued");

	seqno = 2;
	assert_kr(KERN_SUCCESS, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "peek seqno 2");
	expect_eq(2, seqno, "seqno 2");
	expect_eq(64, size, "the third message's size");
	expect_eq(702, id, "the third message's id");
	expect_eq(2, t.msgh_seqno, "trailer seqno 2");
	seqno = 3;
	expect_kr(KERN_FAILURE, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "seqno 3: not queued");
	expect_eq(3, seqno, "seqno left alone on failure");

	assert_kr(MACH_MSG_SUCCESS, mu_recv(p, &r, 0, MU_WAIT_MS), "receive one");
	expect_eq(700, r.hdr.msgh_id, "the peeked message came first");
	seqno = 0;
	assert_kr(KERN_SUCCESS, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "peek the new head");
	expect_eq(1, seqno, "seqno 1 now heads the queue");
	expect_eq(701, id, "the second message");
	expect_eq(40, size, "40 bytes");
	seqno = 1;
	expect_kr(KERN_SUCCESS, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "seqno 1 by number");
	seqno = 5;
	expect_kr(KERN_FAILURE, peek(p, AUDIT_TRAILER, &seqno, &size, &id, &t, &cnt),
		  "beyond the queue");
	expect_eq(2, mu_status(p).mps_msgcount, "two still queued");
}

static void peek_trailer_sizes(void)
{
	static const struct {
		unsigned int elements;
		mach_msg_type_number_t size;
	} want[] = {
		{ MACH_RCV_TRAILER_NULL, sizeof(mach_msg_trailer_t) },
		{ MACH_RCV_TRAILER_SEQNO, sizeof(mach_msg_seqno_trailer_t) },
		{ MACH_RCV_TRAILER_SENDER, sizeof(mach_msg_security_trailer_t) },
		{ MACH_RCV_TRAILER_AUDIT, sizeof(mach_msg_audit_trailer_t) },
	};
	mach_port_t p = mu_port();
	unsigned char buf[100];
	mach_msg_type_number_t cnt;
	mach_port_seqno_t seqno;
	mach_msg_size_t size;
	mach_msg_id_t id;

	assert_true(p != MACH_PORT_NULL, "setup");
	assert_kr(MACH_MSG_SUCCESS, send_sized(p, 9, 1), "send");
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		seqno = 0;
		cnt = sizeof(buf);
		memset(buf, 0x5a, sizeof(buf));
		if (!expect_kr(KERN_SUCCESS,
			       peek(p, MACH_RCV_TRAILER_ELEMENTS(want[i].elements),
				    &seqno, &size, &id, buf, &cnt),
			       "peek with a large buffer"))
			continue;
		expect_eq(want[i].size, cnt, "the requested trailer's size");
		expect_eq(0x5a, buf[want[i].size], "nothing written past it");
		expect_eq(8, buf[4], "msgh_trailer_size field is 8");
	}
	seqno = 0;
	cnt = sizeof(buf);
	expect_kr(KERN_INVALID_VALUE,
		  peek(p, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX), &seqno, &size, &id,
		       buf, &cnt),
		  "the context trailer may not be peeked");
	expect_kr(KERN_INVALID_VALUE,
		  peek(p, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AV), &seqno, &size, &id,
		       buf, &cnt),
		  "nor anything larger");
	cnt = sizeof(mach_msg_security_trailer_t);
	expect_kr(KERN_INVALID_VALUE, peek(p, AUDIT_TRAILER, &seqno, &size, &id, buf, &cnt),
		  "buffer smaller than the audit trailer");
	cnt = sizeof(mach_msg_audit_trailer_t);
	expect_kr(KERN_SUCCESS, peek(p, AUDIT_TRAILER, &seqno, &size, &id, buf, &cnt),
		  "buffer exactly the audit trailer");
}

static void peek_errors(void)
{
	mach_port_t p = mu_port(), so, set;
	unsigned char buf[68];
	mach_msg_type_number_t cnt = sizeof(buf);
	mach_port_seqno_t seqno = 0;
	mach_msg_size_t size;
	mach_msg_id_t id;

	assert_true(p != MACH_PORT_NULL, "setup");
	so = nu_make_sonce(p);
	set = nu_pset();
	expect_kr(KERN_INVALID_RIGHT, peek(MACH_PORT_NULL, 0, &seqno, &size, &id, buf, &cnt),
		  "MACH_PORT_NULL");
	expect_kr(KERN_INVALID_NAME, peek(0x7f7f03, 0, &seqno, &size, &id, buf, &cnt),
		  "no such name");
	expect_kr(KERN_INVALID_RIGHT, peek(so, 0, &seqno, &size, &id, buf, &cnt),
		  "send-once right");
	expect_kr(KERN_INVALID_RIGHT, peek(set, 0, &seqno, &size, &id, buf, &cnt),
		  "port set");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_peek(MACH_PORT_NULL, p, 0, &seqno, &size, &id,
				 (mach_msg_trailer_info_t)buf, &cnt),
		  "no task");
}

/* --- guards ------------------------------------------------------------- */

static mach_port_context_t context_of(mach_port_t p)
{
	mach_port_context_t c = 0xdead;

	expect_kr(KERN_SUCCESS, mach_port_get_context(mach_task_self(), p, &c), "get_context");
	return c;
}

static void guard_unguard(void)
{
	mach_port_t task = mach_task_self(), p = mu_port();

	assert_true(p != MACH_PORT_NULL, "setup");
	assert_kr(KERN_SUCCESS, mach_port_guard(task, p, 0x1234, FALSE), "guard");
	expect_eq(MACH_PORT_STATUS_FLAG_GUARDED, mu_status(p).mps_flags, "mps_flags: guarded");
	expect_eq(0x1234, context_of(p), "the guard is the context");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_guard(task, p, 0x99, FALSE),
		  "already guarded (context set)");
	expect_kr(KERN_INVALID_RIGHT, mach_port_destroy(task, p),
		  "mach_port_destroy of a guarded port");
	expect_kr(KERN_INVALID_RIGHT, mach_port_mod_refs(task, p, MACH_PORT_RIGHT_RECEIVE, -1),
		  "mod_refs(RECEIVE, -1) of a guarded port");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(task, p, MACH_PORT_RIGHT_RECEIVE, 0),
		  "a delta of 0 is fine");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(p), "the port survived");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_unguard(task, p, 0x1235), "wrong guard");
	expect_eq(MACH_PORT_STATUS_FLAG_GUARDED, mu_status(p).mps_flags, "still guarded");
	assert_kr(KERN_SUCCESS, mach_port_unguard(task, p, 0x1234), "unguard");
	expect_eq(0, mu_status(p).mps_flags, "mps_flags: not guarded");
	expect_eq(0, context_of(p), "context cleared");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_unguard(task, p, 0x1234),
		  "unguard an unguarded port");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, p), "now it can be destroyed");
}

static void guard_strict(void)
{
	mach_port_t task = mach_task_self(), p = mu_port();

	assert_true(p != MACH_PORT_NULL, "setup");
	assert_kr(KERN_SUCCESS, mach_port_guard(task, p, 0x55, TRUE), "strict guard");
	expect_eq(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  mu_status(p).mps_flags, "mps_flags: guarded, strict");
	expect_eq(0, context_of(p), "a strict guard reads as context 0");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_set_context(task, p, 1),
		  "set_context on a strict guard");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_swap_guard(task, p, 0x55, 0x56),
		  "swap_guard on a strict guard");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_destruct(task, p, 0, 0x54),
		  "destruct with the wrong guard");
	expect_kr(KERN_SUCCESS, mach_port_destruct(task, p, 0, 0x55), "destruct with the guard");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, p, &(mach_port_type_t){ 0 }),
		  "gone");
}

static void guard_and_context(void)
{
	mach_port_t task = mach_task_self(), p = mu_port();

	assert_true(p != MACH_PORT_NULL, "setup");
	assert_kr(KERN_SUCCESS, mach_port_set_context(task, p, 7), "set_context(7)");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_guard(task, p, 9, FALSE),
		  "a port with a context cannot be guarded");
	assert_kr(KERN_SUCCESS, mach_port_set_context(task, p, 0), "set_context(0)");
	assert_kr(KERN_SUCCESS, mach_port_guard(task, p, 9, FALSE), "guard");
	/* an ordinary guard is the context: setting one moves the other */
	assert_kr(KERN_SUCCESS, mach_port_set_context(task, p, 10), "set_context(10)");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_unguard(task, p, 9), "old guard");
	expect_kr(KERN_SUCCESS, mach_port_unguard(task, p, 10), "the new context is the guard");
}

static void swap_guard(void)
{
	mach_port_t task = mach_task_self(), p = mu_port();

	assert_true(p != MACH_PORT_NULL, "setup");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_swap_guard(task, p, 0, 1),
		  "swap on an unguarded port");
	assert_kr(KERN_SUCCESS, mach_port_guard_with_flags(task, p, 1, 0), "guard_with_flags");
	expect_kr(KERN_SUCCESS, mach_port_swap_guard(task, p, 1, 2), "swap 1 -> 2");
	expect_eq(2, context_of(p), "context is the new guard");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_swap_guard(task, p, 1, 3), "stale guard");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_destruct(task, p, 0, 1), "destruct, old guard");
	expect_kr(KERN_SUCCESS, mach_port_destruct(task, p, 0, 2), "destruct, current guard");
}

static void guard_errors(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), so, set;

	assert_true(p != MACH_PORT_NULL, "setup");
	so = nu_make_sonce(p);
	set = nu_pset();
	expect_kr(KERN_INVALID_NAME, mach_port_guard(task, MACH_PORT_NULL, 1, FALSE), "guard NULL");
	expect_kr(KERN_INVALID_NAME, mach_port_guard(task, 0x7f7f03, 1, FALSE), "no such name");
	expect_kr(KERN_INVALID_RIGHT, mach_port_guard(task, so, 1, FALSE), "send-once right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_guard(task, set, 1, FALSE), "port set");
	expect_kr(KERN_INVALID_NAME, mach_port_unguard(task, MACH_PORT_DEAD, 1), "unguard DEAD");
	expect_kr(KERN_INVALID_RIGHT, mach_port_unguard(task, so, 1), "unguard send-once");
	expect_kr(KERN_INVALID_NAME, mach_port_swap_guard(task, 0x7f7f03, 1, 2), "swap no name");
	expect_kr(MACH_SEND_INVALID_DEST, mach_port_guard(MACH_PORT_NULL, p, 1, FALSE), "no task");
}

static void construct_guarded(void)
{
	mach_port_t task = mach_task_self(), p = MACH_PORT_NULL;
	mach_port_options_t opts = {
		.flags = MPO_CONTEXT_AS_GUARD | MPO_STRICT | MPO_INSERT_SEND_RIGHT,
	};

	assert_kr(KERN_SUCCESS, mach_port_construct(task, &opts, 0xabc, &p), "construct");
	expect_eq(MACH_PORT_STATUS_FLAG_GUARDED | MACH_PORT_STATUS_FLAG_STRICT_GUARD,
		  mu_status(p).mps_flags, "guarded, strict");
	expect_eq(0, context_of(p), "strict: context reads 0");
	expect_kr(KERN_INVALID_RIGHT, mach_port_destroy(task, p), "destroy refused");
	expect_kr(KERN_INVALID_ARGUMENT, mach_port_destruct(task, p, -1, 0xabd), "wrong guard");
	expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, mu_type(p), "nothing changed");
	expect_kr(KERN_SUCCESS, mach_port_destruct(task, p, -1, 0xabc), "destruct");

	opts.flags = MPO_CONTEXT_AS_GUARD;
	assert_kr(KERN_SUCCESS, mach_port_construct(task, &opts, 0x77, &p), "construct");
	expect_eq(MACH_PORT_STATUS_FLAG_GUARDED, mu_status(p).mps_flags, "guarded");
	expect_eq(0x77, context_of(p), "the guard reads as the context");
	expect_kr(KERN_SUCCESS, mach_port_unguard(task, p, 0x77), "unguard");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, p), "destroy");
}

/* Moving a receive right out and back (ipc_port_clear_receiver). */
static void move_clears_receive_state(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), back = MACH_PORT_NULL;
	mach_msg_type_name_t got = 0;
	mach_port_status_t st;
	struct mu_rcv r;

	assert_true(p != MACH_PORT_NULL, "setup");
	make_send(p);
	assert_kr(MACH_MSG_SUCCESS, mu_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(p, &r, 0, MU_WAIT_MS), "receive: seqno 1");
	assert_kr(KERN_SUCCESS, mach_port_guard(task, p, 0x4242, FALSE), "guard");
	st = mu_status(p);
	expect_eq(1, st.mps_mscount, "mscount 1");
	expect_eq(1, st.mps_seqno, "seqno 1");
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, p, MACH_MSG_TYPE_MOVE_RECEIVE, &back, &got),
		  "a guarded receive right still moves");
	expect_eq(MACH_MSG_TYPE_PORT_RECEIVE, got, "as a receive right");
	st = mu_status(back);
	expect_eq(0, st.mps_flags, "no longer guarded");
	expect_eq(0, st.mps_mscount, "mscount reset");
	expect_eq(0, st.mps_seqno, "seqno reset");
	expect_eq(0, context_of(back), "context cleared");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, back), "destroy it");
}

/* --- allocate_qos / allocate_full -------------------------------------- */

static void allocate_qos(void)
{
	mach_port_t task = mach_task_self(), p = MACH_PORT_NULL;
	mach_port_qos_t qos;

	memset(&qos, 0, sizeof(qos));
	qos.len = 20;
	assert_kr(KERN_SUCCESS, mach_port_allocate_qos(task, MACH_PORT_RIGHT_RECEIVE, &qos, &p),
		  "allocate_qos(RECEIVE)");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(p), "a receive right");
	expect_eq(MACH_PORT_QLIMIT_DEFAULT, mu_status(p).mps_qlimit,
		  "len does not set the queue limit");

	memset(&qos, 0, sizeof(qos));
	qos.prealloc = 1;
	qos.len = 4096;
	assert_kr(KERN_SUCCESS, mach_port_allocate_qos(task, MACH_PORT_RIGHT_RECEIVE, &qos, &p),
		  "allocate_qos with prealloc");
	expect_eq(0, qos.prealloc, "the prealloc request comes back cleared");
	expect_eq(4096, qos.len, "len is left");

	memset(&qos, 0, sizeof(qos));
	qos.prealloc = 1;
	qos.len = 0xffffffff;
	expect_kr(KERN_RESOURCE_SHORTAGE,
		  mach_port_allocate_qos(task, MACH_PORT_RIGHT_RECEIVE, &qos, &p),
		  "prealloc larger than a message can be");
	expect_eq(1, qos.prealloc, "untouched on failure");
	qos.len = 16;
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_allocate_qos(task, MACH_PORT_RIGHT_PORT_SET, &qos, &p),
		  "prealloc for a port set");

	memset(&qos, 0, sizeof(qos));
	qos.name = 1;
	expect_kr(KERN_INVALID_ARGUMENT,
		  mach_port_allocate_qos(task, MACH_PORT_RIGHT_RECEIVE, &qos, &p),
		  "allocate_qos does not take a name");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_allocate_qos(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &qos, &p),
		  "no task");

	memset(&qos, 0, sizeof(qos));
	assert_kr(KERN_SUCCESS, mach_port_allocate_qos(task, MACH_PORT_RIGHT_PORT_SET, &qos, &p),
		  "allocate_qos(PORT_SET)");
	expect_eq(MACH_PORT_TYPE_PORT_SET, mu_type(p), "a port set");
	assert_kr(KERN_SUCCESS, mach_port_allocate_qos(task, MACH_PORT_RIGHT_DEAD_NAME, &qos, &p),
		  "allocate_qos(DEAD_NAME)");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(p), "a dead name");
	expect_kr(KERN_INVALID_VALUE, mach_port_allocate_qos(task, MACH_PORT_RIGHT_SEND, &qos, &p),
		  "SEND is not allocatable");
}

static void allocate_full(void)
{
	mach_port_t task = mach_task_self(), p, q = mu_port();
	mach_port_qos_t qos;

	assert_true(q != MACH_PORT_NULL, "setup");
	memset(&qos, 0, sizeof(qos));
	qos.name = 1;
	p = CHOSEN;
	assert_kr(KERN_SUCCESS, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
							MACH_PORT_NULL, &qos, &p),
		  "allocate_full with a chosen name");
	expect_eq(CHOSEN, p, "the name chosen");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(CHOSEN), "a receive right there");
	expect_kr(KERN_NAME_EXISTS, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
							    MACH_PORT_NULL, &qos, &p),
		  "the name is taken");
	p = MACH_PORT_NULL;
	expect_kr(KERN_INVALID_VALUE, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_NULL, &qos, &p),
		  "chosen name MACH_PORT_NULL");
	p = MACH_PORT_DEAD;
	expect_kr(KERN_INVALID_VALUE, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
							      MACH_PORT_NULL, &qos, &p),
		  "chosen name MACH_PORT_DEAD");
	/*
	 * macOS sends the prototype as a copied send right in a MIG request:
	 * a name without one fails the send, and the kernel refuses any
	 * prototype that arrives.
	 */
	p = CHOSEN + 0x100;
	expect_kr(MACH_SEND_INVALID_RIGHT, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
								   q, &qos, &p),
		  "a prototype name without a send right");
	expect_kr(KERN_SUCCESS, mach_port_insert_right(task, q, q, MACH_MSG_TYPE_MAKE_SEND),
		  "send right for the prototype");
	expect_kr(KERN_INVALID_VALUE, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
							      q, &qos, &p),
		  "a prototype port is refused");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, q), "drop the send right");

	memset(&qos, 0, sizeof(qos));
	p = CHOSEN;	/* ignored without qos.name */
	assert_kr(KERN_SUCCESS, mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE,
							MACH_PORT_NULL, &qos, &p),
		  "allocate_full, kernel picks the name");
	expect_ne(CHOSEN, p, "a new name");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(p), "a receive right");
	qos.name = 1;
	p = CHOSEN + 0x100;
	assert_kr(KERN_SUCCESS, mach_port_allocate_full(task, MACH_PORT_RIGHT_DEAD_NAME,
							MACH_PORT_NULL, &qos, &p),
		  "a dead name under a chosen name");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(CHOSEN + 0x100), "dead name");
}

/* --- space_info ----------------------------------------------------------- */

/* XNU's layouts (mach_debug/ipc_info.h, mach/port.h). */
_Static_assert(sizeof(ipc_info_name_t) == 28, "ipc_info_name_t");
_Static_assert(sizeof(ipc_info_tree_name_t) == 36, "ipc_info_tree_name_t");
_Static_assert(sizeof(ipc_info_space_t) == 24, "ipc_info_space_t");
_Static_assert(sizeof(ipc_info_space_basic_t) == 24, "ipc_info_space_basic_t");
_Static_assert(sizeof(mach_port_qos_t) == 8, "mach_port_qos_t");
_Static_assert(MPG_STRICT == 1 && MPG_IMMOVABLE_RECEIVE == 2, "MPG_* values");

static const ipc_info_name_t *find(const ipc_info_name_t *t, unsigned int n, mach_port_t name)
{
	for (unsigned int i = 0; i < n; i++)
		if (t[i].iin_name == name)
			return &t[i];
	return NULL;
}

static void space_info(void)
{
	mach_port_t task = mach_task_self(), p = mu_port(), so, set, dead, t;
	ipc_info_tree_name_array_t tree = NULL;
	mach_msg_type_number_t cnt = 0, tcnt = 7;
	ipc_info_space_basic_t basic;
	ipc_info_name_array_t table = NULL;
	const ipc_info_name_t *e;
	ipc_info_space_t info;
	natural_t object = 0;
	int ready[2];
	pid_t pid;

	assert_true(p != MACH_PORT_NULL, "setup");
	make_send(p);
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, 2), "3 urefs");
	so = nu_make_sonce(p);
	set = nu_pset();
	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead), "dead");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, 1),
		  "2 dead-name urefs");

	assert_kr(KERN_SUCCESS, mach_port_space_info(task, &info, &table, &cnt, &tree, &tcnt),
		  "mach_port_space_info");
	expect_eq(mu_names_count(), cnt, "every name, as mach_port_names lists them");
	expect_eq(cnt, info.iis_table_size, "iis_table_size");
	expect_eq(0xff, info.iis_genno_mask, "generation mask");
	expect_eq(0, tcnt, "no tree");
	e = find(table, cnt, p);
	if (expect_true(e != NULL, "the port is listed")) {
		expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, e->iin_type, "send and receive");
		expect_eq(3, e->iin_urefs, "send urefs");
		expect_ne(0, e->iin_object, "an object identity");
		object = e->iin_object;
	}
	e = find(table, cnt, so);
	if (expect_true(e != NULL, "send-once listed")) {
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, e->iin_type, "send-once");
		expect_eq(1, e->iin_urefs, "one uref");
		expect_eq(object, e->iin_object, "the same port");
	}
	e = find(table, cnt, set);
	if (expect_true(e != NULL, "port set listed")) {
		expect_eq(MACH_PORT_TYPE_PORT_SET, e->iin_type, "port set");
		expect_ne(object, e->iin_object, "another object");
	}
	e = find(table, cnt, dead);
	if (expect_true(e != NULL, "dead name listed")) {
		expect_eq(MACH_PORT_TYPE_DEAD_NAME, e->iin_type, "dead name");
		expect_eq(2, e->iin_urefs, "its urefs");
		expect_eq(0, e->iin_object, "no object");
	}
	expect_kr(KERN_SUCCESS, vm_deallocate(task, (vm_address_t)table,
					      cnt * sizeof(*table)), "release the table");

	assert_kr(KERN_SUCCESS, mach_port_space_basic_info(task, &basic), "space_basic_info");
	expect_eq(0xff, basic.iisb_genno_mask, "generation mask");
	expect_eq(cnt, basic.iisb_table_inuse, "names in use");
	expect_true(basic.iisb_table_size >= basic.iisb_table_inuse, "table size");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_space_info(MACH_PORT_NULL, &info, &table, &cnt, &tree, &tcnt),
		  "no task");

	/* the same port seen from another space has the same identity */
	assert_eq(0, pipe(ready), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		(void)mach_task_self();
		mt_post(ready[1]);
		pause();
		_exit(0);
	}
	if (expect_true(mt_await(ready[0], MU_WAIT_MS), "child ready") &&
	    expect_kr(KERN_SUCCESS, task_for_pid(task, pid, &t), "task_for_pid(child)")) {
		expect_kr(KERN_SUCCESS,
			  mach_port_insert_right(t, 0x70003, p, MACH_MSG_TYPE_MAKE_SEND),
			  "give the child a send right");
		if (expect_kr(KERN_SUCCESS,
			      mach_port_space_info(t, &info, &table, &cnt, &tree, &tcnt),
			      "the child's space")) {
			e = find(table, cnt, 0x70003);
			if (expect_true(e != NULL, "listed")) {
				expect_eq(MACH_PORT_TYPE_SEND, e->iin_type, "a send right there");
				expect_eq(object, e->iin_object, "the same object identity");
			}
		}
	}
	kill(pid, SIGKILL);
	mt_wait(pid, MU_WAIT_MS);
}

static const struct mt_case cases[] = {
	MT_CASE(mscount_in_no_senders),
	MT_CASE(mscount_errors),
	MT_CASE(seqno_set),
	MT_CASE(srights_local),
	MT_CASE(srights_child),
	MT_CASE(srights_errors),
	MT_CASE(peek_queue),
	MT_CASE(peek_trailer_sizes),
	MT_CASE(peek_errors),
	MT_CASE(guard_unguard),
	MT_CASE(guard_strict),
	MT_CASE(guard_and_context),
	MT_CASE(swap_guard),
	MT_CASE(guard_errors),
	MT_CASE(construct_guarded),
	MT_CASE(move_clears_receive_state),
	MT_CASE(allocate_qos),
	MT_CASE(allocate_full),
	MT_CASE(space_info),
};

int main(void)
{
	return MT_RUN(cases);
}
