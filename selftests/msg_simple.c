// SPDX-License-Identifier: GPL-2.0
/*
 * msg_simple - simple messages, in one process and across fork: payload,
 * header and trailer as XNU delivers them.
 *
 * Trailer facts (osfmk/mach/message.h, osfmk/ipc/ipc_kmsg.c): format 0; by
 * default only mach_msg_trailer_t (8 bytes) is reported; the requested
 * elements set msgh_trailer_size (SEQNO 12, SENDER 20, AUDIT 52, CTX 60);
 * seqno counts messages dequeued from the port, from 0
 * (ipc_mqueue_select_on_thread: ith_seqno = imq_seqno++).  The audit token
 * is filled by bsd/kern/kern_prot.c set_security_token_task_internal:
 * val[0] auid, [1] euid, [2] egid, [3] ruid, [4] rgid, [5] pid,
 * [6] asid, [7] pidversion; the security token is { euid, egid }.
 */
#include <pthread.h>
#include <string.h>

#include "msg_util.h"

#define TRAILER(elements) \
	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
	 MACH_RCV_TRAILER_ELEMENTS(elements))

struct text_msg {
	mach_msg_header_t hdr;
	uint32_t seq;
	char text[32];
};

static mach_msg_return_t send_text(mach_port_t dest, mach_msg_type_name_t disp,
				   uint32_t seq, const char *text)
{
	struct text_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(disp, 0);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = dest;
	m.hdr.msgh_id = 0x1234;
	m.seq = seq;
	strncpy(m.text, text, sizeof(m.text) - 1);
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL);
}

static void expect_text(const struct mu_rcv *r, mach_port_t port,
			uint32_t seq, const char *text)
{
	const struct text_msg *m = (const void *)r;

	expect_eq(sizeof(struct text_msg), m->hdr.msgh_size, "msgh_size");
	expect_eq(0x1234, m->hdr.msgh_id, "msgh_id");
	expect_eq(port, m->hdr.msgh_local_port, "msgh_local_port is the port");
	expect_eq(MACH_PORT_NULL, m->hdr.msgh_remote_port, "no reply port");
	expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_LOCAL(m->hdr.msgh_bits),
		  "local bits: the send right the message came with");
	expect_eq(0, MACH_MSGH_BITS_REMOTE(m->hdr.msgh_bits), "remote bits");
	expect_eq(0, m->hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX, "not complex");
	expect_eq(seq, m->seq, "payload word");
	expect_true(strcmp(m->text, text) == 0, "payload text intact");
}

static void local_round_trip(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;
	const mach_msg_max_trailer_t *t;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS, send_text(port, MACH_MSG_TYPE_MAKE_SEND, 7, "hello"),
		  "send");
	expect_eq(1, mu_status(port).mps_msgcount, "queued");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS), "receive");
	expect_text(&r, port, 7, "hello");
	t = mu_trailer(&r.hdr);
	expect_eq(MACH_MSG_TRAILER_FORMAT_0, t->msgh_trailer_type, "trailer type");
	expect_eq(sizeof(mach_msg_trailer_t), t->msgh_trailer_size,
		  "default trailer size");
	expect_eq(0, mu_status(port).mps_msgcount, "queue empty");
	/* MAKE_SEND made a right for the message only; none stays with us. */
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "no send right left");
}

static void trailer_elements(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;
	const mach_msg_max_trailer_t *t = mu_trailer(&r.hdr);
	static const struct {
		int elements;
		size_t size;
	} want[] = {
		{ MACH_RCV_TRAILER_NULL,  sizeof(mach_msg_trailer_t) },
		{ MACH_RCV_TRAILER_SEQNO, sizeof(mach_msg_seqno_trailer_t) },
		{ MACH_RCV_TRAILER_SENDER, sizeof(mach_msg_security_trailer_t) },
		{ MACH_RCV_TRAILER_AUDIT, sizeof(mach_msg_audit_trailer_t) },
		{ MACH_RCV_TRAILER_CTX,   sizeof(mach_msg_context_trailer_t) },
	};

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, mach_port_set_context(mach_task_self(), port, 0x5eed),
		  "set_context");
	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_kr(MACH_MSG_SUCCESS,
			  send_text(port, MACH_MSG_TYPE_MAKE_SEND, i, "t"), "send");
		assert_kr(MACH_MSG_SUCCESS,
			  mu_recv(port, &r, TRAILER(want[i].elements), MU_WAIT_MS),
			  "receive");
		t = mu_trailer(&r.hdr);
		expect_eq(MACH_MSG_TRAILER_FORMAT_0, t->msgh_trailer_type, "type");
		expect_eq(want[i].size, t->msgh_trailer_size, "trailer size");
		if (want[i].elements >= MACH_RCV_TRAILER_SEQNO)
			expect_eq(i, t->msgh_seqno, "seqno counts from 0");
		if (want[i].elements >= MACH_RCV_TRAILER_SENDER) {
			expect_eq(geteuid(), t->msgh_sender.val[0], "sender euid");
			expect_eq(getegid(), t->msgh_sender.val[1], "sender egid");
		}
		if (want[i].elements >= MACH_RCV_TRAILER_AUDIT) {
			expect_eq(geteuid(), t->msgh_audit.val[1], "audit euid");
			expect_eq(getegid(), t->msgh_audit.val[2], "audit egid");
			expect_eq(getuid(), t->msgh_audit.val[3], "audit ruid");
			expect_eq(getgid(), t->msgh_audit.val[4], "audit rgid");
			expect_eq(getpid(), t->msgh_audit.val[5], "audit pid");
		}
		if (want[i].elements >= MACH_RCV_TRAILER_CTX)
			expect_eq(0x5eed, t->msgh_context, "context of the port");
	}
}

/*
 * The child finds the parent's port as its bootstrap port: a new space
 * inherits the bootstrap special port of its parent (as XNU's fork does).
 */
static void across_fork(void)
{
	mach_port_t task = mach_task_self(), port = mu_port_send();
	struct mu_rcv r;
	const mach_msg_max_trailer_t *t;
	pid_t pid;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, task_set_special_port(task, TASK_BOOTSTRAP_PORT, port),
		  "task_set_special_port(BOOTSTRAP)");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL;

		if (expect_kr(KERN_SUCCESS,
			      task_get_special_port(mach_task_self(),
						    TASK_BOOTSTRAP_PORT, &bp),
			      "child: task_get_special_port(BOOTSTRAP)")) {
			expect_eq(MACH_PORT_TYPE_SEND, mu_type(bp),
				  "child: a send right");
			expect_kr(MACH_MSG_SUCCESS,
				  send_text(bp, MACH_MSG_TYPE_COPY_SEND, getpid(),
					    "from the child"),
				  "child: send");
		}
		mt_child_exit();
	}
	if (expect_kr(MACH_MSG_SUCCESS,
		      mu_recv(port, &r, TRAILER(MACH_RCV_TRAILER_AUDIT), MU_WAIT_MS),
		      "receive from the child")) {
		expect_text(&r, port, pid, "from the child");
		t = mu_trailer(&r.hdr);
		expect_eq(sizeof(mach_msg_audit_trailer_t), t->msgh_trailer_size,
			  "audit trailer size");
		expect_eq(pid, t->msgh_audit.val[5], "audit pid is the child's");
		expect_eq(geteuid(), t->msgh_audit.val[1], "audit euid");
		expect_eq(0, t->msgh_seqno, "first message on the port");
	}
	expect_child_ok(pid, MU_WAIT_MS, "child");
}

struct big_msg {
	mach_msg_header_t hdr;
	uint8_t data[8192];
};

static void large_inline(void)
{
	static struct big_msg m;
	static struct mu_rcv r;
	const struct big_msg *got = (const void *)&r;
	mach_port_t port = mu_port();

	assert_true(port != MACH_PORT_NULL, "port");
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = port;
	m.hdr.msgh_id = 99;
	for (size_t i = 0; i < sizeof(m.data); i++)
		m.data[i] = (uint8_t)(i * 7 + 3);
	assert_kr(MACH_MSG_SUCCESS,
		  mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
			   MACH_PORT_NULL), "send 8 KiB inline");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS), "receive");
	expect_eq(sizeof(m), got->hdr.msgh_size, "msgh_size");
	expect_eq(99, got->hdr.msgh_id, "msgh_id");
	expect_true(memcmp(m.data, got->data, sizeof(m.data)) == 0, "payload intact");
}

/* The header's msgh_size is ignored on send: the send size is what counts. */
static void send_size_wins(void)
{
	mach_port_t port = mu_port();
	struct mu_msg m;
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.hdr.msgh_size = 0xdead0;
	m.hdr.msgh_remote_port = port;
	assert_kr(MACH_MSG_SUCCESS,
		  mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0,
			   MACH_PORT_NULL), "send");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS), "receive");
	expect_eq(sizeof(m), r.hdr.msgh_size, "msgh_size is the send size");
}

static mach_port_t wake_port;
static struct mu_rcv wake_rcv;
static mach_msg_return_t wake_mr;

static void *blocked_receiver(void *arg)
{
	(void)arg;
	wake_mr = mu_recv(wake_port, &wake_rcv, 0, MU_WAIT_MS);
	return NULL;
}

/* A receiver already asleep on the port is woken by the send. */
static void wakes_blocked_receiver(void)
{
	pthread_t t;

	wake_port = mu_port();
	assert_true(wake_port != MACH_PORT_NULL, "port");
	assert_eq(0, pthread_create(&t, NULL, blocked_receiver, NULL), "pthread_create");
	mt_sleep_ms(200);
	expect_kr(MACH_MSG_SUCCESS,
		  send_text(wake_port, MACH_MSG_TYPE_MAKE_SEND, 5, "wake"), "send");
	pthread_join(t, NULL);
	if (expect_kr(MACH_MSG_SUCCESS, wake_mr, "blocked receive"))
		expect_text(&wake_rcv, wake_port, 5, "wake");
}

static const struct mt_case cases[] = {
	MT_CASE(local_round_trip),
	MT_CASE(trailer_elements),
	MT_CASE(across_fork),
	MT_CASE(large_inline),
	MT_CASE(send_size_wins),
	MT_CASE(wakes_blocked_receiver),
};

int main(void)
{
	return MT_RUN(cases);
}
