// SPDX-License-Identifier: GPL-2.0
/*
 * bootstrap_lookup - reaching a service by name through machd, as on
 * macOS: check-in by one process, look-up by an unrelated one, then RPCs
 * that carry a reply port, a port right and out-of-line memory; register;
 * names declared before their server runs; and the BOOTSTRAP_* codes
 * (launchd's: UNKNOWN_SERVICE 1102, SERVICE_ACTIVE 1103, NAME_IN_USE 1101).
 */
#include <signal.h>
#include <string.h>

#include "bootstrap_util.h"

#define RPCS		1000
#define OOL_SIZE	8192
#define RPC_ID		4100
#define PING_ID		4200
#define PING_EVERY	100

#pragma pack(push, 4)
struct rpc_req {
	mach_msg_header_t		hdr;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port;
	mach_msg_ool_descriptor_t	ool;
	NDR_record_t			ndr;
	uint32_t			seq;
};

struct rpc_rep {
	mach_msg_header_t		hdr;
	NDR_record_t			ndr;
	kern_return_t			ret;
	uint32_t			seq;
	uint32_t			sum;
};
#pragma pack(pop)

union rpc_buf {
	struct rpc_req	req;
	struct rpc_rep	rep;
	struct mu_rcv	rcv;
};

static uint32_t byte_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* Answer one RPC: check the OOL bytes and the port right, reply the sum. */
static bool serve_one(mach_port_t port, union rpc_buf *b, uint32_t want_seq)
{
	struct rpc_req *q = &b->req;
	struct rpc_rep *r = &b->rep;
	mach_port_t reply, right;
	uint32_t seq, sum;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &b->rcv, 0, MU_WAIT_MS),
		       "server receive"))
		return false;
	if (!expect_eq(RPC_ID, q->hdr.msgh_id, "request id") ||
	    !expect_true(q->hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX, "complex") ||
	    !expect_eq(2, q->body.msgh_descriptor_count, "two descriptors") ||
	    !expect_eq(MACH_MSG_TYPE_PORT_SEND, q->port.disposition, "send right came") ||
	    !expect_eq(OOL_SIZE, q->ool.size, "OOL size"))
		return false;
	seq = q->seq;
	expect_eq(want_seq, seq, "sequence");
	sum = byte_sum(q->ool.address, OOL_SIZE);
	vm_deallocate(mach_task_self(), (vm_address_t)q->ool.address, OOL_SIZE);
	reply = q->hdr.msgh_remote_port;
	right = q->port.name;
	/* Now and then prove the right works: message the client through it. */
	if (seq % PING_EVERY == 0)
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(right, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0,
				  PING_ID, seq, 0, 0, MU_WAIT_MS), "ping through the right");
	else
		mach_port_deallocate(mach_task_self(), right);

	memset(r, 0, sizeof(*r));
	r->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r->hdr.msgh_size = sizeof(*r);
	r->hdr.msgh_remote_port = reply;
	r->hdr.msgh_id = RPC_ID + 100;
	r->ndr = NDR_record;
	r->seq = seq;
	r->sum = sum;
	return expect_kr(MACH_MSG_SUCCESS,
			 mach_msg(&r->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(*r), 0,
				  MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL), "reply");
}

static void rpc_server(const char *name, int ready_fd)
{
	static union rpc_buf b;
	mach_port_t port = MACH_PORT_NULL;
	uint32_t i;

	if (!expect_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &port),
		       "bootstrap_check_in"))
		mt_child_exit();
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port) & MACH_PORT_TYPE_RECEIVE,
		  "check-in gave the receive right");
	mt_post(ready_fd);
	for (i = 0; i < RPCS && !mt_failed; i++)
		if (!serve_one(port, &b, i))
			break;
	mt_child_exit();
}

static void rpc_client(const char *name, int ready_fd)
{
	static uint8_t data[OOL_SIZE] __attribute__((aligned(4096)));
	static union rpc_buf b;
	mach_port_t svc = MACH_PORT_NULL, reply = mu_port(), mine = mu_port();
	struct mu_rcv ping;
	uint32_t i, j;

	if (!mt_await(ready_fd, MU_WAIT_MS)) {
		mt_fail_at(__FILE__, __LINE__, "server never checked in");
		mt_child_exit();
	}
	if (!expect_bs(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, name, &svc),
		       "bootstrap_look_up from an unrelated process"))
		mt_child_exit();
	expect_true(mu_type(svc) & MACH_PORT_TYPE_SEND, "look-up gave a send right");
	for (i = 0; i < RPCS && !mt_failed; i++) {
		struct rpc_req *q = &b.req;

		for (j = 0; j < OOL_SIZE; j++)
			data[j] = (uint8_t)(i * 7 + j);
		memset(q, 0, sizeof(*q));
		q->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE) |
				   MACH_MSGH_BITS_COMPLEX;
		q->hdr.msgh_size = sizeof(*q);
		q->hdr.msgh_remote_port = svc;
		q->hdr.msgh_local_port = reply;
		q->hdr.msgh_id = RPC_ID;
		q->body.msgh_descriptor_count = 2;
		q->port.name = mine;
		q->port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		q->port.type = MACH_MSG_PORT_DESCRIPTOR;
		q->ool.address = data;
		q->ool.size = OOL_SIZE;
		q->ool.copy = MACH_MSG_VIRTUAL_COPY;
		q->ool.type = MACH_MSG_OOL_DESCRIPTOR;
		q->ndr = NDR_record;
		q->seq = i;
		if (!expect_kr(MACH_MSG_SUCCESS,
			       mach_msg(&q->hdr, MACH_SEND_MSG | MACH_RCV_MSG |
					MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT,
					sizeof(*q), sizeof(b), reply, MU_WAIT_MS,
					MACH_PORT_NULL), "RPC"))
			break;
		expect_eq(RPC_ID + 100, b.rep.hdr.msgh_id, "reply id = request id + 100");
		expect_eq(i, b.rep.seq, "reply sequence");
		expect_eq(byte_sum(data, OOL_SIZE), b.rep.sum, "server saw our OOL bytes");
		if (i % PING_EVERY == 0 &&
		    expect_kr(MACH_MSG_SUCCESS, mu_recv(mine, &ping, 0, MU_WAIT_MS),
			      "ping through the right we sent"))
			expect_eq(i, mu_as_msg(&ping)->a, "ping payload");
	}
	mt_child_exit();
}

/* Two siblings: neither is the other's child, both find each other by name. */
static void unrelated_processes_rpc(void)
{
	const char *name = "org.test.x";
	pid_t server, client;
	int p[2];

	bu_require_bootstrap();
	assert_true(pipe(p) == 0, "pipe");
	server = mt_fork();
	if (server == 0)
		rpc_server(name, p[1]);
	client = mt_fork();
	if (client == 0)
		rpc_client(name, p[0]);
	expect_child_ok(client, 150000, "client");
	expect_child_ok(server, 20000, "server");
}

/* Register a send right we made; another process reaches us through it. */
static void register_then_look_up(void)
{
	mach_port_t port = mu_port_send(), found = MACH_PORT_NULL;
	struct mu_rcv r;
	name_t name;
	pid_t child;

	bu_require_bootstrap();
	bu_name(name, "org.test.register");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_register(bootstrap_port, name, port),
		  "bootstrap_register");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, name, &found),
		  "bootstrap_look_up in the registering process");
	expect_eq(port, found, "the same port comes back under our own name");
	child = mt_fork();
	if (child == 0) {
		mach_port_t svc = MACH_PORT_NULL;

		if (expect_bs(BOOTSTRAP_SUCCESS,
			      bootstrap_look_up(bootstrap_port, name, &svc), "child look-up"))
			expect_kr(MACH_MSG_SUCCESS,
				  mu_send(svc, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
					  77, 1, 2, 0, MU_WAIT_MS), "child sends");
		mt_child_exit();
	}
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS), "receive"))
		expect_eq(77, r.hdr.msgh_id, "the child's message");
	expect_child_ok(child, MU_WAIT_MS, "child");
	expect_bs(BOOTSTRAP_NAME_IN_USE, bootstrap_register(bootstrap_port, name, port),
		  "second register of a live name");
}

static void error_codes(void)
{
	mach_port_t port = MACH_PORT_NULL, again = MACH_PORT_NULL, other = mu_port_send();
	name_t name, unknown;

	bu_require_bootstrap();
	bu_name(name, "org.test.codes");
	bu_name(unknown, "org.test.never-registered");
	expect_bs(BOOTSTRAP_UNKNOWN_SERVICE, bootstrap_look_up(bootstrap_port, unknown, &port),
		  "look-up of an unknown name");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &port),
		  "first check-in");
	expect_bs(BOOTSTRAP_SERVICE_ACTIVE, bootstrap_check_in(bootstrap_port, name, &again),
		  "second check-in while active");
	expect_bs(BOOTSTRAP_NAME_IN_USE, bootstrap_register(bootstrap_port, name, other),
		  "register over an active service");
	expect_bs(BOOTSTRAP_NAME_IN_USE, bootstrap_create_service(bootstrap_port, name, &again),
		  "create_service over an active service");
	expect_true(strcmp(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE),
			   bootstrap_strerror(BOOTSTRAP_NAME_IN_USE)) != 0,
		    "bootstrap_strerror tells codes apart");
}

/*
 * launchd semantics: a name declared before its server runs resolves at
 * once, to the port the server later checks in for; what was sent before
 * the check-in is waiting for it.
 */
static void look_up_before_check_in(void)
{
	mach_port_t declared = MACH_PORT_NULL, found = MACH_PORT_NULL;
	name_t name;
	pid_t child;

	bu_require_bootstrap();
	bu_name(name, "org.test.ondemand");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_create_service(bootstrap_port, name, &declared),
		  "bootstrap_create_service");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, name, &found),
		  "look-up before check-in");
	expect_eq(declared, found, "look-up resolves to the declared port");
	assert_kr(MACH_MSG_SUCCESS, mu_send(found, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
					    88, 5, 6, 0, MU_WAIT_MS), "send before check-in");
	child = mt_fork();
	if (child == 0) {
		mach_port_t port = MACH_PORT_NULL;
		struct mu_rcv r;

		if (expect_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &port),
			      "check-in of the declared name") &&
		    expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS),
			      "the early message waits for the server"))
			expect_eq(88, r.hdr.msgh_id, "early message id");
		mt_child_exit();
	}
	expect_child_ok(child, MU_WAIT_MS, "server");
}

static void parent_is_machd(void)
{
	mach_port_t parent = MACH_PORT_NULL;

	bu_require_bootstrap();
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_parent(bootstrap_port, &parent),
		  "bootstrap_parent");
	expect_eq(bootstrap_port, parent, "machd is its own parent bootstrap");
}

static const struct mt_case cases[] = {
	MT_CASE_T(unrelated_processes_rpc, 180),
	MT_CASE(register_then_look_up),
	MT_CASE(error_codes),
	MT_CASE(look_up_before_check_in),
	MT_CASE(parent_is_machd),
};

int main(void)
{
	return MT_RUN(cases);
}
