// SPDX-License-Identifier: GPL-2.0
/*
 * net_peer - a machnetd killed with SIGKILL, and its restart.
 *
 *  - the server's host: alpha's client has an RPC pending on bravo's server
 *    when bravo's machnetd dies; the client's receive returns (the reply
 *    right's send-once notification: a MIG stub's MIG_SERVER_DIED), its
 *    proxy becomes a dead name with its dead-name notification; bravo's
 *    machnetd starts again, the server checks in again, and alpha finds it
 *    and talks to it;
 *  - the client's host: alpha's machnetd dies while it holds bravo's port;
 *    bravo's port gets its no-senders notification (alpha's counts are
 *    gone); alpha's machnetd starts again and bravo's names reappear there.
 */
#include <signal.h>
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

/* One echo RPC through srv: the reply's word is ours + 1. */
static bool echo(mach_port_t srv, mach_port_t reply, uint32_t word)
{
	struct mu_rcv m;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_send(srv, MACH_MSG_TYPE_COPY_SEND, reply,
						 MACH_MSG_TYPE_MAKE_SEND_ONCE, 700, word, 0, 0,
						 WAIT_MS), "echo request"))
		return false;
	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(reply, &m, 0, WAIT_MS), "echo reply"))
		return false;
	return expect_eq(800, m.hdr.msgh_id, "echo reply id") &&
	       expect_eq(word + 1, mu_as_msg(&m)->a, "echo reply word");
}

/* Answer echo requests on p until one with word 0. */
static bool serve(mach_port_t p)
{
	struct mu_rcv m;

	for (;;) {
		if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(p, &m, 0, 2 * WAIT_MS), "server: receive"))
			return false;
		expect_kr(MACH_MSG_SUCCESS, mu_send(m.hdr.msgh_remote_port,
						    MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0,
						    800, mu_as_msg(&m)->a + 1, 0, 0, WAIT_MS),
			  "server: reply");
		if (mu_as_msg(&m)->a == 0)
			return true;
	}
}

/* --- the server's machnetd dies ------------------------------------------------ */

static int role_slow_server(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port();
	struct mu_rcv m;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "slow", sig, p), "check_in");
	/* a request we never answer: its reply right dies with our machnetd */
	assert_kr_ret(MACH_MSG_SUCCESS, mu_recv(p, &m, 0, WAIT_MS), "receive the request");
	net_post("slow.got");
	if (!net_await("slow.restarted", 2 * WAIT_MS))
		return 1;
	expect_true(mu_type(m.hdr.msgh_remote_port) & MACH_PORT_TYPE_DEAD_NAME,
		    "the pending reply right died with machnetd");
	mach_port_deallocate(mach_task_self(), m.hdr.msgh_remote_port);
	mach_port_deallocate(mach_task_self(), s);
	/* the new machnetd: check in again */
	s = net_server(WAIT_MS);
	if (!MACH_PORT_VALID(s))
		return 1;
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "slow", sig, p), "check_in again");
	net_post("slow.back");
	return serve(p) ? 0 : 1;
}

static int role_pending_client(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), srv, reply = new_port(), notify = new_port(), prev;
	mach_port_t srv2;
	struct mu_rcv m;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	srv = net_look_up_wait(s, "bravo", "slow", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up");
	assert_kr_ret(KERN_SUCCESS, nu_request(srv, MACH_NOTIFY_DEAD_NAME, 0, notify, &prev),
		      "dead-name request on the proxy");
	assert_kr_ret(MACH_MSG_SUCCESS, mu_send(srv, MACH_MSG_TYPE_COPY_SEND, reply,
						MACH_MSG_TYPE_MAKE_SEND_ONCE, 700, 5, 0, 0, WAIT_MS),
		      "request");
	/* the test kills bravo's machnetd now: the pending RPC must return */
	if (nu_recv_notification(reply, &m, MACH_NOTIFY_SEND_ONCE,
				 NU_SIZE_SEND_ONCE, 2 * WAIT_MS))
		mt_diag("the pending RPC returned (send-once notification)");
	if (nu_recv_notification(notify, &m, MACH_NOTIFY_DEAD_NAME,
				 NU_SIZE_NAME, WAIT_MS))
		expect_eq(srv, nu_word(&m, NU_OFF_WORD), "dead-name notification for the proxy");
	expect_true(mu_type(srv) & MACH_PORT_TYPE_DEAD_NAME, "the proxy is a dead name");
	expect_kr(MACH_SEND_INVALID_DEST, mu_send(srv, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
						  700, 1, 0, 0, 1000), "send to the dead proxy");
	mach_port_mod_refs(mach_task_self(), srv, MACH_PORT_RIGHT_DEAD_NAME,
			   -(mach_port_delta_t)mu_refs(srv, MACH_PORT_RIGHT_DEAD_NAME));
	net_post("client.saw_death");
	/* bravo comes back: its name reappears, a new proxy works */
	if (!net_await("slow.back", 3 * WAIT_MS))
		return 1;
	srv2 = net_look_up_wait(s, "bravo", "slow", 2 * WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up after bravo's restart");
	echo(srv2, reply, 41);
	echo(srv2, reply, 0);
	return 0;
}

/* --- the client's machnetd dies ------------------------------------------------ */

static int role_owner(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port(), notify = new_port();
	mach_port_t prev;
	struct mu_rcv m;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "owned", sig, p), "check_in");
	net_post("owned.in");
	if (!net_await("owned.held", WAIT_MS))
		return 1;
	/* only alpha holds it now */
	assert_kr_ret(NETNAME_SUCCESS, netname_check_out(s, "owned", sig), "check_out");
	assert_kr_ret(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, mu_status(p).mps_mscount,
					       notify, &prev), "no-senders request");
	nu_expect_nothing(notify, "no-senders while alpha holds the port");
	net_post("owned.armed");
	/* the test kills alpha's machnetd */
	if (nu_recv_notification(notify, &m, MACH_NOTIFY_NO_SENDERS,
				 NU_SIZE_NAME, 2 * WAIT_MS))
		expect_eq(mu_status(p).mps_mscount, nu_word(&m, NU_OFF_WORD), "not_count");
	/* check in again for alpha's new machnetd to find */
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "owned", sig, p), "check_in again");
	net_post("owned.back");
	return serve(p) ? 0 : 1;
}

static int role_holder(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), srv, reply = new_port();
	kern_return_t kr;
	uint64_t end;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s) || !net_await("owned.in", WAIT_MS))
		return 1;
	srv = net_look_up_wait(s, "bravo", "owned", WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up");
	net_post("owned.held");
	if (!net_await("owned.killed", 3 * WAIT_MS))
		return 1;
	/* our machnetd died: its proxies and its service port are dead names */
	end = mt_now_ms() + WAIT_MS;
	while (!(mu_type(srv) & MACH_PORT_TYPE_DEAD_NAME) && mt_now_ms() < end)
		mt_sleep_ms(20);
	expect_true(mu_type(srv) & MACH_PORT_TYPE_DEAD_NAME, "the proxy is a dead name");
	expect_true(mu_type(s) & MACH_PORT_TYPE_DEAD_NAME, "machnetd's port is a dead name");
	mach_port_deallocate(mach_task_self(), srv);
	mach_port_deallocate(mach_task_self(), s);
	if (!net_await("owned.restarted", 3 * WAIT_MS) || !net_await("owned.back", 3 * WAIT_MS))
		return 1;
	s = net_server(WAIT_MS);
	if (!MACH_PORT_VALID(s))
		return 1;
	srv = net_look_up_wait(s, "bravo", "owned", 2 * WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "bravo's name reappears after our restart");
	echo(srv, reply, 7);
	echo(srv, reply, 0);
	return 0;
}

static const struct net_role roles[] = {
	{ "slow_server", role_slow_server },
	{ "pending_client", role_pending_client },
	{ "owner", role_owner },
	{ "holder", role_holder },
};

/* --- cases -------------------------------------------------------------------- */

static void kill_restart(int victim, const char *wait_for, const char *then_post)
{
	int code;

	if (!net_await(wait_for, 3 * WAIT_MS))
		return;
	code = net_machnetd_kill(victim, SIGKILL);
	expect_eq(128 + SIGKILL, code, "machnetd killed by SIGKILL");
	if (then_post)
		net_post(then_post);
	mt_sleep_ms(500);
	if (expect_true(net_machnetd_start(victim), "machnetd starts again"))
		net_run_ok(victim, 60000, "ready", NULL);
}

static void kill9_server_host(void)
{
	struct net_opts o = { .nhosts = 2 };
	pid_t srv, cli;

	if (net_up(&o)) {
		srv = net_start(NET_BRAVO, "slow_server", NULL);
		cli = net_start(NET_ALPHA, "pending_client", NULL);
		kill_restart(NET_BRAVO, "slow.got", NULL);
		net_await("client.saw_death", 3 * WAIT_MS);
		net_post("slow.restarted");
		expect_eq(0, net_wait(NET_ALPHA, cli, 240000), "alpha's client");
		expect_eq(0, net_wait(NET_BRAVO, srv, 60000), "bravo's server");
		if (mt_failed) {
			net_log_dump(NET_ALPHA);
			net_log_dump(NET_BRAVO);
		}
	}
	net_down();
}

static void kill9_client_host(void)
{
	struct net_opts o = { .nhosts = 2 };
	pid_t own, hold;

	if (net_up(&o)) {
		own = net_start(NET_BRAVO, "owner", NULL);
		hold = net_start(NET_ALPHA, "holder", NULL);
		net_await("owned.armed", 3 * WAIT_MS);
		kill_restart(NET_ALPHA, "owned.armed", "owned.killed");
		net_post("owned.restarted");
		expect_eq(0, net_wait(NET_ALPHA, hold, 240000), "alpha's holder");
		expect_eq(0, net_wait(NET_BRAVO, own, 60000), "bravo's owner");
		if (mt_failed) {
			net_log_dump(NET_ALPHA);
			net_log_dump(NET_BRAVO);
		}
	}
	net_down();
}

static const struct mt_case cases[] = {
	MT_CASE_T(kill9_server_host, 600),
	MT_CASE_T(kill9_client_host, 600),
};

int main(int argc, char **argv)
{
	int rc = net_role_main(argc, argv, roles, (int)(sizeof(roles) / sizeof(roles[0])));

	return rc >= 0 ? rc : MT_RUN(cases);
}
