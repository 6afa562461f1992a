// SPDX-License-Identifier: GPL-2.0
/*
 * net_migrate - a receive right moved to another host (MOVE_RECEIVE).
 *
 * alpha queues messages 1..5 on its port Q, sends Q's receive right to a
 * server on bravo, and keeps sending (6..10) through the send right it
 * kept.  bravo receives 1..10 on the migrated port, each once and in
 * order; alpha's send right stays a live send right throughout.  When bravo
 * destroys the migrated port, alpha's right becomes a dead name.
 */
#include <string.h>

#include "msg_util.h"
#include "net_util.h"

#define WAIT_MS		30000
#define QUEUED		5
#define TOTAL		10
#define ID_TAKE		300
#define ID_SEQ		301

struct take_msg {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port;
};

union take_rcv {
	struct take_msg		m;
	uint8_t			room[sizeof(struct take_msg) + sizeof(mach_msg_max_trailer_t)];
};

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &p),
		  "mach_port_allocate");
	return p;
}

static int role_target(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), t = new_port(), sig = new_port(), q;
	union take_rcv r;
	struct mu_rcv m;
	uint32_t i;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "target", sig, t), "check_in");
	assert_kr_ret(MACH_MSG_SUCCESS, mach_msg(&r.m.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
						 sizeof(r), t, WAIT_MS, MACH_PORT_NULL),
		      "receive the moved right");
	assert_true_ret(r.m.h.msgh_id == ID_TAKE && (r.m.h.msgh_bits & MACH_MSGH_BITS_COMPLEX),
			"a complex message");
	expect_eq(MACH_MSG_TYPE_PORT_RECEIVE, r.m.port.disposition, "a receive right arrives");
	q = r.m.port.name;
	expect_true(mu_type(q) & MACH_PORT_TYPE_RECEIVE, "we hold the receive right");
	for (i = 1; i <= TOTAL; i++) {
		if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(q, &m, 0, WAIT_MS), "receive on the moved port"))
			return 1;
		expect_eq(ID_SEQ, m.hdr.msgh_id, "message id");
		expect_eq(i, mu_as_msg(&m)->a, "messages in order, each once");
	}
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(q, &m, 0, 500), "nothing more");
	net_post("migrate.got");
	if (!net_await("migrate.checked", WAIT_MS))
		return 1;
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the moved port");
	return 0;
}

static int role_source(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), t, q = new_port();
	struct take_msg tm;
	kern_return_t kr;
	uint64_t end;
	uint32_t i;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	t = net_look_up_wait(s, "bravo", "target", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up bravo's target");
	mach_port_insert_right(mach_task_self(), q, q, MACH_MSG_TYPE_MAKE_SEND);
	for (i = 1; i <= QUEUED; i++)
		assert_kr_ret(MACH_MSG_SUCCESS, mu_send(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
							ID_SEQ, i, 0, 0, WAIT_MS), "queue");
	memset(&tm, 0, sizeof(tm));
	tm.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	tm.h.msgh_size = sizeof(tm);
	tm.h.msgh_remote_port = t;
	tm.h.msgh_id = ID_TAKE;
	tm.body.msgh_descriptor_count = 1;
	tm.port.name = q;
	tm.port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	tm.port.type = MACH_MSG_PORT_DESCRIPTOR;
	assert_kr_ret(MACH_MSG_SUCCESS, mach_msg(&tm.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
						 sizeof(tm), 0, MACH_PORT_NULL, WAIT_MS,
						 MACH_PORT_NULL), "send the receive right");
	expect_true(mu_type(q) == MACH_PORT_TYPE_SEND, "we keep a send right only");
	for (; i <= TOTAL; i++)
		expect_kr(MACH_MSG_SUCCESS, mu_send(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
						    ID_SEQ, i, 0, 0, WAIT_MS), "send after the move");
	if (!net_await("migrate.got", 2 * WAIT_MS))
		return 1;
	expect_true(mu_type(q) & MACH_PORT_TYPE_SEND, "still a live send right");
	net_post("migrate.checked");
	end = mt_now_ms() + WAIT_MS;
	while (!(mu_type(q) & MACH_PORT_TYPE_DEAD_NAME) && mt_now_ms() < end)
		mt_sleep_ms(20);
	expect_true(mu_type(q) & MACH_PORT_TYPE_DEAD_NAME,
		    "a dead name once bravo destroyed the moved port");
	return 0;
}

static const struct net_role roles[] = {
	{ "target", role_target },
	{ "source", role_source },
};

static void move_receive_across_hosts(void)
{
	struct net_opts o = { .nhosts = 2 };
	pid_t t, s;

	if (net_up(&o)) {
		t = net_start(NET_BRAVO, "target", NULL);
		s = net_start(NET_ALPHA, "source", NULL);
		expect_eq(0, net_wait(NET_ALPHA, s, 180000), "alpha's source");
		expect_eq(0, net_wait(NET_BRAVO, t, 60000), "bravo's target");
		if (mt_failed) {
			net_log_dump(NET_ALPHA);
			net_log_dump(NET_BRAVO);
		}
	}
	net_down();
}

static const struct mt_case cases[] = {
	MT_CASE_T(move_receive_across_hosts, 400),
};

int main(int argc, char **argv)
{
	int rc = net_role_main(argc, argv, roles, (int)(sizeof(roles) / sizeof(roles[0])));

	return rc >= 0 ? rc : MT_RUN(cases);
}
