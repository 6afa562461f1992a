// SPDX-License-Identifier: GPL-2.0
/*
 * net_notify - Mach notifications across hosts through machnetd.
 *
 *  - dead names: a port on bravo dies; alpha's proxy becomes a dead name,
 *    its dead-name notification arrives, a send fails with
 *    MACH_SEND_INVALID_DEST, and the name is gone from netname;
 *  - no-senders: a port on bravo hears no-senders (with its make-send count)
 *    only when alpha drops its last reference, not before;
 *  - send-once: a reply right destroyed unused on bravo, by the server or by
 *    its exit, gives the send-once notification at the reply port on alpha;
 *    a reply after that still arrives.
 */
#include <stdlib.h>
#include <string.h>

#include "msg_util.h"
#include "net_util.h"
#include "notify_util.h"

#define WAIT_MS		30000

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &p),
		  "mach_port_allocate");
	return p;
}

static mach_port_t check_in(mach_port_t s, const char *name, mach_port_t *sig)
{
	mach_port_t p = new_port();

	*sig = new_port();
	mach_port_insert_right(mach_task_self(), *sig, *sig, MACH_MSG_TYPE_MAKE_SEND);
	expect_kr(NETNAME_SUCCESS, netname_check_in(s, name, *sig, p), "check_in");
	return p;
}

/* --- dead names -------------------------------------------------------------- */

static int role_victim(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), sig, p;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	p = check_in(s, "victim", &sig);
	net_post("victim.in");
	if (!net_await("victim.kill", WAIT_MS))
		return 1;
	assert_kr_ret(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p,
						       MACH_PORT_RIGHT_RECEIVE, -1),
		      "destroy the receive right");
	return 0;
}

static int role_watcher(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p, notify = new_port(), prev, again;
	struct mu_rcv r;
	kern_return_t kr;
	uint64_t end;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s) || !net_await("victim.in", WAIT_MS))
		return 1;
	p = net_look_up_wait(s, "bravo", "victim", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up bravo's victim");
	assert_kr_ret(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_DEAD_NAME, 0, notify, &prev),
		      "request a dead-name notification on the proxy");
	expect_eq(MACH_PORT_NULL, prev, "no previous request");
	expect_true(mu_type(p) & MACH_PORT_TYPE_SEND, "a live send right before");
	net_post("victim.kill");

	if (nu_recv_notification(notify, &r, MACH_NOTIFY_DEAD_NAME,
				 NU_SIZE_NAME, WAIT_MS))
		expect_eq(p, nu_word(&r, NU_OFF_WORD), "the notification names the proxy");
	expect_true(mu_type(p) & MACH_PORT_TYPE_DEAD_NAME, "the proxy is a dead name");
	expect_kr(MACH_SEND_INVALID_DEST, mu_send(p, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
						  1, 0, 0, 0, 1000),
		  "send to the dead proxy");
	/* the dead name's references: ours and the notification's */
	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_DEAD_NAME,
			   -(mach_port_delta_t)mu_refs(p, MACH_PORT_RIGHT_DEAD_NAME));
	/* the name died with the port */
	end = mt_now_ms() + WAIT_MS;
	do {
		kr = netname_look_up(s, "bravo", "victim", &again);
		if (kr == NETNAME_SUCCESS) {
			mach_port_deallocate(mach_task_self(), again);
			mt_sleep_ms(50);
		}
	} while (kr == NETNAME_SUCCESS && mt_now_ms() < end);
	expect_kr(NETNAME_NOT_CHECKED_IN, kr, "look_up of the dead port's name");
	return 0;
}

/* --- no-senders ---------------------------------------------------------------- */

static int role_ns_owner(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), sig, p, notify = new_port(), prev;
	struct mu_rcv r;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	p = check_in(s, "ns", &sig);
	net_post("ns.in");
	if (!net_await("ns.looked", WAIT_MS))
		return 1;
	/* now only alpha's proxy (through machnetd's export) holds a send right */
	assert_kr_ret(NETNAME_SUCCESS, netname_check_out(s, "ns", sig), "check_out");
	assert_kr_ret(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, mu_status(p).mps_mscount,
					       notify, &prev), "request no-senders");
	nu_expect_nothing(notify, "no-senders while alpha holds two references");
	net_post("ns.armed");
	if (!net_await("ns.released1", WAIT_MS))
		return 1;
	mt_sleep_ms(1000);
	nu_expect_nothing(notify, "no-senders while alpha holds one reference");
	net_post("ns.checked1");
	if (nu_recv_notification(notify, &r, MACH_NOTIFY_NO_SENDERS,
				 NU_SIZE_NAME, WAIT_MS))
		expect_eq(mu_status(p).mps_mscount, nu_word(&r, NU_OFF_WORD),
			  "not_count is the make-send count");
	expect_eq(0, mu_status(p).mps_srights, "no send rights left anywhere");
	return 0;
}

static int role_ns_holder(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p, q;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s) || !net_await("ns.in", WAIT_MS))
		return 1;
	p = net_look_up_wait(s, "bravo", "ns", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up");
	q = net_look_up_wait(s, "bravo", "ns", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up again");
	expect_eq(p, q, "one proxy");
	expect_eq(2, mu_refs(p, MACH_PORT_RIGHT_SEND), "two references to it");
	net_post("ns.looked");
	if (!net_await("ns.armed", WAIT_MS))
		return 1;
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop one reference");
	net_post("ns.released1");
	if (!net_await("ns.checked1", WAIT_MS))
		return 1;
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop the last one");
	return 0;
}

/* --- send-once ------------------------------------------------------------------ */

static int role_so_server(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), sig, p;
	struct mu_rcv m;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	p = check_in(s, "so", &sig);
	/* 1: destroy the reply right unused */
	assert_kr_ret(MACH_MSG_SUCCESS, mu_recv(p, &m, 0, WAIT_MS), "receive 1");
	expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(m.hdr.msgh_bits),
		  "a send-once reply right");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), m.hdr.msgh_remote_port),
		  "destroy it");
	/* 2: answer */
	assert_kr_ret(MACH_MSG_SUCCESS, mu_recv(p, &m, 0, WAIT_MS), "receive 2");
	expect_kr(MACH_MSG_SUCCESS, mu_send(m.hdr.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
					    MACH_PORT_NULL, 0, m.hdr.msgh_id + 100, 22, 0, 0,
					    WAIT_MS), "reply 2");
	/* 3: exit holding it */
	assert_kr_ret(MACH_MSG_SUCCESS, mu_recv(p, &m, 0, WAIT_MS), "receive 3");
	return 0;
}

static int role_so_client(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), srv, r = new_port();
	struct mu_rcv m;
	kern_return_t kr;
	int i;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	srv = net_look_up_wait(s, "bravo", "so", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up");
	for (i = 1; i <= 3; i++) {
		assert_kr_ret(MACH_MSG_SUCCESS, mu_send(srv, MACH_MSG_TYPE_COPY_SEND, r,
							MACH_MSG_TYPE_MAKE_SEND_ONCE, 500 + i,
							(uint32_t)i, 0, 0, WAIT_MS), "request");
		if (i == 2) {
			if (expect_kr(MACH_MSG_SUCCESS, mu_recv(r, &m, 0, WAIT_MS), "reply 2")) {
				expect_eq(602, m.hdr.msgh_id, "reply id");
				expect_eq(22, mu_as_msg(&m)->a, "reply word");
			}
			continue;
		}
		nu_recv_notification(r, &m, MACH_NOTIFY_SEND_ONCE,
				     NU_SIZE_SEND_ONCE, WAIT_MS);
	}
	nu_expect_nothing(r, "nothing more on the reply port");
	return 0;
}

static const struct net_role roles[] = {
	{ "victim", role_victim },
	{ "watcher", role_watcher },
	{ "ns_owner", role_ns_owner },
	{ "ns_holder", role_ns_holder },
	{ "so_server", role_so_server },
	{ "so_client", role_so_client },
};

/* --- cases ---------------------------------------------------------------------- */

/* Run role a on bravo and role b on alpha; both must pass. */
static void pair(const char *on_bravo, const char *on_alpha)
{
	struct net_opts o = { .nhosts = 2 };
	pid_t b, a;

	if (net_up(&o)) {
		b = net_start(NET_BRAVO, on_bravo, NULL);
		a = net_start(NET_ALPHA, on_alpha, NULL);
		expect_eq(0, net_wait(NET_ALPHA, a, 120000), on_alpha);
		expect_eq(0, net_wait(NET_BRAVO, b, 120000), on_bravo);
		if (mt_failed) {
			net_log_dump(NET_ALPHA);
			net_log_dump(NET_BRAVO);
		}
	}
	net_down();
}

static void dead_name_across_hosts(void)
{
	pair("victim", "watcher");
}

static void no_senders_across_hosts(void)
{
	pair("ns_owner", "ns_holder");
}

static void send_once_across_hosts(void)
{
	pair("so_server", "so_client");
}

static const struct mt_case cases[] = {
	MT_CASE_T(dead_name_across_hosts, 300),
	MT_CASE_T(no_senders_across_hosts, 300),
	MT_CASE_T(send_once_across_hosts, 300),
};

int main(int argc, char **argv)
{
	int rc = net_role_main(argc, argv, roles, (int)(sizeof(roles) / sizeof(roles[0])));

	return rc >= 0 ? rc : MT_RUN(cases);
}
