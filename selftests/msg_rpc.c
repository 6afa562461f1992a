// SPDX-License-Identifier: GPL-2.0
/*
 * msg_rpc - client/server across processes, the way MIG code talks: the
 * client sends a request with a MAKE_SEND_ONCE reply right and waits for
 * the answer in the same mach_msg(SEND|RCV) call; the server answers
 * through the send-once right with MOVE_SEND_ONCE.  10,000 round trips
 * from two clients, every request and reply checked in sequence.
 */
#include <stdio.h>
#include <string.h>

#include "msg_util.h"

#define NCLIENTS	2
#define ROUNDS		5000		/* per client: 10,000 round trips */
#define REQ_ID		1000
#define REPLY_ID	(REQ_ID + 100)	/* MIG's convention */
#define RPC_WAIT_MS	60000

struct rpc_msg {
	mach_msg_header_t hdr;
	uint32_t client;
	uint32_t seq;
	uint32_t value;
};

struct rpc_rcv {
	struct rpc_msg m;
	mach_msg_max_trailer_t trailer;
};

static void client(uint32_t id)
{
	mach_port_t server = MACH_PORT_NULL, reply = mu_port();
	struct rpc_rcv buf;

	if (!expect_kr(KERN_SUCCESS,
		       task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
					     &server),
		       "client: bootstrap port") || reply == MACH_PORT_NULL)
		mt_child_exit();
	for (uint32_t seq = 0; seq < ROUNDS; seq++) {
		struct rpc_msg *m = &buf.m;
		mach_msg_return_t mr;

		memset(&buf, 0, sizeof(buf));
		m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m->hdr.msgh_size = sizeof(*m);
		m->hdr.msgh_remote_port = server;
		m->hdr.msgh_local_port = reply;
		m->hdr.msgh_id = REQ_ID;
		m->client = id;
		m->seq = seq;
		m->value = seq * 3 + id;
		mr = mach_msg(&m->hdr,
			      MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
			      MACH_RCV_TIMEOUT,
			      sizeof(*m), sizeof(buf), reply, RPC_WAIT_MS,
			      MACH_PORT_NULL);
		if (!expect_kr(MACH_MSG_SUCCESS, mr, "client: mach_msg(SEND|RCV)"))
			break;
		if (!expect_eq(REPLY_ID, m->hdr.msgh_id, "client: reply id") ||
		    !expect_eq(sizeof(*m), m->hdr.msgh_size, "client: reply size") ||
		    !expect_eq(reply, m->hdr.msgh_local_port, "client: reply port") ||
		    !expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE,
			       MACH_MSGH_BITS_LOCAL(m->hdr.msgh_bits),
			       "client: reply came on the send-once right") ||
		    !expect_eq(MACH_PORT_NULL, m->hdr.msgh_remote_port,
			       "client: no reply right in the reply") ||
		    !expect_eq(id, m->client, "client: client id echoed") ||
		    !expect_eq(seq, m->seq, "client: sequence echoed") ||
		    !expect_eq(seq * 3 + id + 1, m->value, "client: computed value")) {
			mt_diag("client %u failed at round %u", id, seq);
			break;
		}
	}
	/* Every reply right was used up; no stray messages on the reply port. */
	expect_eq(0, mu_status(reply).mps_sorights, "client: send-once rights left");
	expect_eq(0, mu_status(reply).mps_msgcount, "client: stray replies");
	mt_child_exit();
}

/* Serve total requests; check each client's sequence and the port's seqno. */
static void serve(mach_port_t port, int total)
{
	uint32_t next[NCLIENTS] = { 0 };
	struct rpc_rcv buf;

	for (int n = 0; n < total; n++) {
		struct rpc_msg *m = &buf.m;
		const mach_msg_max_trailer_t *t;
		mach_port_t reply;
		uint32_t c;

		memset(&buf, 0, sizeof(buf));
		if (!expect_kr(MACH_MSG_SUCCESS,
			       mach_msg(&m->hdr,
					MACH_RCV_MSG | MACH_RCV_TIMEOUT |
					MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
					0, sizeof(buf), port, RPC_WAIT_MS,
					MACH_PORT_NULL),
			       "server: receive request")) {
			mt_diag("server stopped after %d requests", n);
			return;
		}
		t = mu_trailer(&m->hdr);
		c = m->client;
		if (!expect_eq(REQ_ID, m->hdr.msgh_id, "server: request id") ||
		    !expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE,
			       MACH_MSGH_BITS_REMOTE(m->hdr.msgh_bits),
			       "server: reply right is send-once") ||
		    !expect_true(c < NCLIENTS, "server: client id in range") ||
		    !expect_eq(next[c], m->seq, "server: client's sequence") ||
		    !expect_eq((uint32_t)n, t->msgh_seqno, "server: port seqno")) {
			mt_diag("server failed at request %d", n);
			return;
		}
		next[c]++;
		reply = m->hdr.msgh_remote_port;
		m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		m->hdr.msgh_size = sizeof(*m);
		m->hdr.msgh_remote_port = reply;
		m->hdr.msgh_local_port = MACH_PORT_NULL;
		m->hdr.msgh_id = REPLY_ID;
		m->value++;
		if (!expect_kr(MACH_MSG_SUCCESS,
			       mach_msg(&m->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					sizeof(*m), 0, MACH_PORT_NULL, RPC_WAIT_MS,
					MACH_PORT_NULL),
			       "server: reply"))
			return;
	}
	for (int c = 0; c < NCLIENTS; c++)
		expect_eq(ROUNDS, next[c], "server: requests per client");
}

static void round_trips(void)
{
	mach_port_t port = mu_port_send();
	pid_t pids[NCLIENTS];
	int started = 0, names_before;
	uint64_t t0;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port),
		  "task_set_special_port(BOOTSTRAP)");
	names_before = mu_names_count();
	for (int i = 0; i < NCLIENTS; i++) {
		pids[i] = mt_fork();
		if (pids[i] == 0)
			client((uint32_t)i);
		if (!expect_true(pids[i] > 0, "fork"))
			break;
		started++;
	}
	t0 = mt_now_ms();
	if (started == NCLIENTS)
		serve(port, NCLIENTS * ROUNDS);
	mt_diag("%d round trips in %llu ms", NCLIENTS * ROUNDS,
		(unsigned long long)(mt_now_ms() - t0));
	for (int i = 0; i < started; i++) {
		char label[32];

		snprintf(label, sizeof(label), "client %d", i);
		expect_child_ok(pids[i], RPC_WAIT_MS, label);
	}
	/* Each reply consumed its send-once name: the server's space is as before. */
	expect_eq(names_before, mu_names_count(), "names in the server's space");
	expect_eq(0, mu_status(port).mps_msgcount, "no request left behind");
}

static const struct mt_case cases[] = {
	MT_CASE_T(round_trips, 600),
};

int main(void)
{
	return MT_RUN(cases);
}
