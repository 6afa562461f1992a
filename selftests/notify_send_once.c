// SPDX-License-Identifier: GPL-2.0
/*
 * notify_send_once - MACH_NOTIFY_SEND_ONCE (msgh_id 71): a send-once right
 * destroyed without being used sends a bare-header notification (msgh_size
 * 24) through itself to its port.
 *
 * XNU facts: ipc_right_dealloc / ipc_right_delta / ipc_right_destroy of a
 * send-once right, ipc_right_terminate at task exit (kill -9 included) and
 * ipc_kmsg_clean of a destroyed message (ipc_object_destroy of a
 * MACH_MSG_TYPE_PORT_SEND_ONCE) all end in ipc_notify_send_once_and_unlock
 * (osfmk/ipc/ipc_notify.c), which sends mach_notify_send_once while the
 * port is active.  A send-once right used for a message sends nothing else.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "notify_util.h"

#define REQ_ID	0x534f

static void expect_send_once(mach_port_t port, const char *what)
{
	struct mu_rcv r;

	if (!nu_recv_notification(port, &r, MACH_NOTIFY_SEND_ONCE, NU_SIZE_SEND_ONCE,
				  MU_WAIT_MS))
		mt_diag("after: %s", what);
}

static void destroyed_unused(void)
{
	mach_port_t p = mu_port();
	const char *how[] = { "mach_port_deallocate", "mod_refs(SEND_ONCE, -1)",
			      "mach_port_destroy" };

	assert_true(p != MACH_PORT_NULL, "port");
	for (int i = 0; i < 3; i++) {
		mach_port_t so = nu_make_sonce(p);
		kern_return_t kr;

		if (!expect_true(so != MACH_PORT_NULL, "send-once right"))
			return;
		expect_eq(1, mu_status(p).mps_sorights, "one send-once right");
		if (i == 0)
			kr = mach_port_deallocate(mach_task_self(), so);
		else if (i == 1)
			kr = mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_SEND_ONCE, -1);
		else
			kr = mach_port_destroy(mach_task_self(), so);
		expect_kr(KERN_SUCCESS, kr, how[i]);
		expect_send_once(p, how[i]);
		expect_eq(0, mu_status(p).mps_sorights, "the right is gone");
		expect_eq(0, mu_status(p).mps_msgcount, "nothing else queued");
	}
}

static void used_right_sends_nothing_else(void)
{
	mach_port_t p = mu_port(), so;
	struct mu_rcv r;

	assert_true(p != MACH_PORT_NULL, "port");
	so = nu_make_sonce(p);
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, REQ_ID, 5, 0, 0, MU_WAIT_MS),
		  "reply through the send-once right");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(p, &r, 0, MU_WAIT_MS), "receive the reply")) {
		expect_eq(REQ_ID, r.hdr.msgh_id, "the reply itself");
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(r.hdr.msgh_bits),
			  "came through the send-once right");
	}
	nu_expect_nothing(p, "no send-once notification for a used right");
}

static void carried_in_destroyed_message(void)
{
	mach_port_t reply = mu_port(), q = mu_port();

	assert_true(reply && q, "setup");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(q, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE, REQ_ID,
			  0, 0, 0, MU_WAIT_MS),
		  "request carrying a reply right");
	expect_eq(1, mu_status(reply).mps_sorights, "the message holds the send-once right");
	nu_expect_nothing(reply, "nothing while the message is queued");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the port with the request unreceived");
	expect_send_once(reply, "request destroyed unreceived");
	expect_eq(0, mu_status(reply).mps_sorights, "no send-once right left");
}

/*
 * A server process gets a request with a send-once reply right and dies
 * before replying: 'received' says whether it took the request first.
 */
static void server_dies(bool received, bool kill9)
{
	mach_port_t listen = nu_parent_listen(), reply = mu_port(), server;
	int ready[2];
	pid_t pid;

	assert_true(listen && reply, "setup");
	assert_eq(0, pipe(ready), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t mine = mu_port();
		struct mu_rcv r;

		close(ready[0]);
		if (!mine || !nu_child_hello(mine, 0))
			mt_child_exit();
		if (received &&
		    expect_kr(MACH_MSG_SUCCESS, mu_recv(mine, &r, 0, MU_WAIT_MS),
			      "server: receive the request"))
			expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE,
				  MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
				  "server: holds the reply right");
		mt_post(ready[1]);
		if (kill9)
			for (;;)
				pause();
		mt_child_exit();
	}
	close(ready[1]);
	server = nu_parent_accept(listen, NULL);
	if (server)
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(server, MACH_MSG_TYPE_COPY_SEND, reply,
				  MACH_MSG_TYPE_MAKE_SEND_ONCE, REQ_ID, 0, 0, 0, MU_WAIT_MS),
			  "send the request");
	if (!expect_true(server && mt_await(ready[0], MU_WAIT_MS), "server ready")) {
		kill(pid, SIGKILL);
		mt_wait(pid, MU_WAIT_MS);
		return;
	}
	/* only the kill -9 server is still alive here; the other exits */
	if (kill9)
		nu_expect_nothing(reply, "no reply and no notification while the server lives");
	if (kill9) {
		expect_eq(0, kill(pid, SIGKILL), "kill -9 the server");
		expect_eq(128 + SIGKILL, mt_wait(pid, MU_WAIT_MS), "server killed");
	} else {
		expect_child_ok(pid, MU_WAIT_MS, "server");
	}
	expect_send_once(reply, "server died");
	expect_eq(0, mu_status(reply).mps_sorights, "the reply right is gone");
	nu_expect_nothing(reply, "exactly one notification");
}

static void server_killed_holding_reply(void)
{
	server_dies(true, true);
}

static void server_exits_holding_reply(void)
{
	server_dies(true, false);
}

static void server_killed_request_queued(void)
{
	server_dies(false, true);
}

static const struct mt_case cases[] = {
	MT_CASE(destroyed_unused),
	MT_CASE(used_right_sends_nothing_else),
	MT_CASE(carried_in_destroyed_message),
	MT_CASE(server_killed_holding_reply),
	MT_CASE(server_exits_holding_reply),
	MT_CASE(server_killed_request_queued),
};

int main(void)
{
	return MT_RUN(cases);
}
