// SPDX-License-Identifier: GPL-2.0
/*
 * notify_no_senders - MACH_NOTIFY_NO_SENDERS (msgh_id 70).
 *
 * XNU facts:
 *  - ipc_port_nsrequest (osfmk/ipc/ipc_port.c, called by
 *    mach_port_request_notification): the previous no-senders send-once
 *    right is returned; if the port has no send rights and sync <= the
 *    make-send count, the notification is sent at once with not_count =
 *    mscount, else the request is armed (mps_nsrequest).
 *  - when the last send right anywhere goes away (ipc_right_dealloc /
 *    ipc_right_destroy / ipc_right_terminate at task exit / releasing a
 *    right carried by a destroyed message), ipc_notify_no_senders_prepare
 *    takes the request (disarming it) and mach_notify_no_senders sends
 *    not_count = ip_mscount.  Send-once rights do not count as senders.
 *  - MAKE_SEND increments mscount; COPY_SEND and MOVE_SEND do not.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "notify_util.h"

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
	return expect_eq(count, nu_word(&r, NU_OFF_WORD), "not_count is the make-send count");
}

static void last_send_deallocated(void)
{
	mach_port_t p = mu_port(), n = mu_port(), prev;

	assert_true(p && n, "setup");
	make_send(p);
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, 1),
		  "second send uref");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), "arm");
	expect_eq(MACH_PORT_NULL, prev, "no previous request");
	expect_eq(1, mu_status(p).mps_nsrequest, "mps_nsrequest armed");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop one uref");
	nu_expect_nothing(n, "a send uref is left: no notification");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop the last uref");
	expect_no_senders(n, 1);
	expect_eq(0, mu_status(p).mps_nsrequest, "request consumed");
	expect_eq(0, mu_status(n).mps_sorights, "no send-once right to n left");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(p), "receive right stays");
}

static void send_once_rights_are_not_senders(void)
{
	mach_port_t p = mu_port(), n = mu_port(), so, prev;

	assert_true(p && n, "setup");
	make_send(p);
	so = nu_make_sonce(p);
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), "arm");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop the send right");
	expect_no_senders(n, 1);
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "the send-once right is still there");
}

static void immediate_when_no_senders(void)
{
	mach_port_t p = mu_port(), n = mu_port(), prev;

	assert_true(p && n, "setup");
	/* Fresh port: mscount 0, no senders, sync 0 <= 0: fires at once. */
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev),
		  "arm on a port that never had senders");
	expect_no_senders(n, 0);
	expect_eq(0, mu_status(p).mps_nsrequest, "not left armed");

	/* mscount 1, no senders: sync 2 waits, sync 1 fires. */
	make_send(p);
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop it");
	expect_eq(1, mu_status(p).mps_mscount, "mscount 1");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 2, n, &prev),
		  "arm with sync 2 > mscount");
	nu_expect_nothing(n, "sync above mscount: armed, not fired");
	expect_eq(1, mu_status(p).mps_nsrequest, "armed");
	make_send(p);
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop it");
	expect_no_senders(n, 2);

	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 2, n, &prev),
		  "arm with sync == mscount");
	expect_no_senders(n, 2);
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 1, n, &prev),
		  "arm with sync < mscount");
	expect_no_senders(n, 2);
}

static void rearm_and_previous(void)
{
	mach_port_t p = mu_port(), n1 = mu_port(), n2 = mu_port(), prev;

	assert_true(p && n1 && n2, "setup");
	make_send(p);
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev), "arm n1");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n2, &prev), "re-arm n2");
	if (expect_true(prev != MACH_PORT_NULL && prev != 0xdeadbeef, "previous right returned")) {
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(prev), "a send-once right");
		nu_sonce_names(prev, n1);
	}
	expect_kr(KERN_SUCCESS,
		  mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_NO_SENDERS, 0,
						 MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						 &prev),
		  "cancel");
	if (expect_true(prev != MACH_PORT_NULL, "cancel returns the armed right"))
		nu_sonce_names(prev, n2);
	expect_eq(0, mu_status(p).mps_nsrequest, "disarmed");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop the send right");
	nu_expect_nothing(n1, "cancelled: nothing on n1");
	nu_expect_nothing(n2, "cancelled: nothing on n2");

	/* Fire, then re-arm: it fires again with the new count. */
	make_send(p);
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev), "arm");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop");
	expect_no_senders(n1, 2);
	make_send(p);
	make_send(p);
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n1, &prev), "re-arm");
	expect_eq(MACH_PORT_NULL, prev, "the fired request left nothing to return");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop one");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), p), "drop the other");
	expect_no_senders(n1, 4);
}

/* The right leaves in a message that is then destroyed with its port. */
static void moved_then_destroyed(void)
{
	mach_port_t p = mu_port(), n = mu_port(), q = mu_port(), prev;

	assert_true(p && n && q, "setup");
	make_send(p);
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev), "arm");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(q, MACH_MSG_TYPE_MAKE_SEND, p, MACH_MSG_TYPE_MOVE_SEND, 1, 0, 0, 0,
			  MU_WAIT_MS),
		  "move our only send right into a message");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(p), "the send right left our space");
	nu_expect_nothing(n, "the message still holds a send right");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the port holding the message");
	expect_no_senders(n, 1);
}

/* The only sender is another process, which exits (or is killed). */
static void holder_exits(bool kill9)
{
	mach_port_t listen = nu_parent_listen(), p = mu_port(), n = mu_port(), child, prev;
	int go[2];
	pid_t pid;

	assert_true(listen && p && n, "setup");
	assert_eq(0, pipe(go), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t mine = mu_port(), right;
		mach_msg_type_name_t type = 0;
		char c;

		close(go[1]);
		if (!mine || !nu_child_hello(mine, 0))
			mt_child_exit();
		right = nu_take(mine, &type, NULL);
		expect_eq(MACH_MSG_TYPE_PORT_SEND, type, "child: got a send right");
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(right), "child: holds it");
		while (read(go[0], &c, 1) == 1)
			;
		mt_child_exit();
	}
	close(go[0]);
	child = nu_parent_accept(listen, NULL);
	if (child && nu_give(child, p, MACH_MSG_TYPE_MAKE_SEND, 0)) {
		expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_NO_SENDERS, 0, n, &prev),
			  "arm while the child's right exists");
		nu_expect_nothing(n, "the child still holds the send right");
	}
	if (kill9) {
		expect_eq(0, kill(pid, SIGKILL), "kill -9 the holder");
		expect_eq(128 + SIGKILL, mt_wait(pid, MU_WAIT_MS), "holder killed");
		close(go[1]);
	} else {
		close(go[1]);
		expect_child_ok(pid, MU_WAIT_MS, "holder");
	}
	expect_no_senders(n, 1);
	expect_eq(0, mu_status(p).mps_srights, "no send rights left");
}

static void holder_process_exits(void)
{
	holder_exits(false);
}

static void holder_process_killed(void)
{
	holder_exits(true);
}

static const struct mt_case cases[] = {
	MT_CASE(last_send_deallocated),
	MT_CASE(send_once_rights_are_not_senders),
	MT_CASE(immediate_when_no_senders),
	MT_CASE(rearm_and_previous),
	MT_CASE(moved_then_destroyed),
	MT_CASE(holder_process_exits),
	MT_CASE(holder_process_killed),
};

int main(void)
{
	return MT_RUN(cases);
}
