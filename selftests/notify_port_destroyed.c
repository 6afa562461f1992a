// SPDX-License-Identifier: GPL-2.0
/*
 * notify_port_destroyed - MACH_NOTIFY_PORT_DESTROYED (msgh_id 69).
 *
 * XNU facts:
 *  - mach_port_request_notification(PORT_DESTROYED) (osfmk/ipc/mach_port.c)
 *    needs sync == 0 and a receive right, stores the send-once right as
 *    ip_pdrequest and always returns previous = MACH_PORT_NULL (a second
 *    registration is refused with KERN_FAILURE and a guard exception, so it
 *    is not exercised here).
 *  - ipc_port_destroy with a pdrequest does not kill the port: it calls
 *    ipc_port_clear_receiver(port, FALSE) (the port leaves every port set,
 *    mscount and seqno are reset to 0, the queued messages stay) and
 *    ipc_notify_port_destroyed sends the receive right back in
 *    mach_port_destroyed_notification_t: a complex message, one port
 *    descriptor with disposition MACH_MSG_TYPE_PORT_RECEIVE, msgh_size 40.
 *    Send and send-once rights held elsewhere stay valid.  This applies
 *    to mach_port_mod_refs(RECEIVE, -1), mach_port_destroy and the holder
 *    task's death (ipc_right_terminate -> ipc_port_destroy).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "notify_util.h"

#define PD_ID	0x5044

static mach_msg_return_t queue(mach_port_t port, uint32_t a)
{
	return mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, PD_ID, a, 0, 0, MU_WAIT_MS);
}

/* Receive the notification; return the receive right it carries. */
static mach_port_t expect_port_destroyed(mach_port_t n)
{
	const mach_port_destroyed_notification_t *d;
	const uint8_t *raw;
	struct mu_rcv r;

	if (!nu_recv_notification(n, &r, MACH_NOTIFY_PORT_DESTROYED, NU_SIZE_DESTROYED,
				  MU_WAIT_MS))
		return MACH_PORT_NULL;
	d = (const void *)&r;
	raw = (const uint8_t *)&r;
	expect_eq(1, d->not_body.msgh_descriptor_count, "one descriptor");
	expect_eq(1, nu_word(&r, 24), "descriptor count at offset 24");
	expect_eq(MACH_MSG_PORT_DESCRIPTOR, d->not_port.type, "a port descriptor");
	expect_eq(MACH_MSG_TYPE_PORT_RECEIVE, d->not_port.disposition, "carrying a receive right");
	expect_eq(d->not_port.name, nu_word(&r, NU_OFF_DESC), "name at offset 28");
	expect_eq(MACH_MSG_TYPE_PORT_RECEIVE, raw[NU_OFF_DESC + 10], "disposition at offset 38");
	expect_eq(MACH_MSG_PORT_DESCRIPTOR, raw[NU_OFF_DESC + 11], "type at offset 39");
	if (!expect_true(MACH_PORT_VALID(d->not_port.name), "a valid name"))
		return MACH_PORT_NULL;
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(d->not_port.name), "we hold the receive right");
	return d->not_port.name;
}

static bool recv_payload(mach_port_t port, uint32_t a)
{
	struct mu_rcv r;

	return expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS), "receive") &&
	       expect_eq(port, r.hdr.msgh_local_port, "on the port") &&
	       expect_eq(a, mu_as_msg(&r)->a, "queued message kept, in order");
}

static void right_comes_back(bool use_destroy)
{
	mach_port_t p = mu_port(), n = mu_port(), set = nu_pset(), so, prev, back;
	mach_port_status_t st;

	assert_true(p && n && set, "setup");
	assert_kr(MACH_MSG_SUCCESS, queue(p, 0), "queue one");
	assert_kr(MACH_MSG_SUCCESS, queue(p, 1), "queue two");
	assert_kr(MACH_MSG_SUCCESS, queue(p, 2), "queue three");
	assert_true(recv_payload(p, 0), "receive the first (seqno becomes 1)");
	expect_eq(1, mu_status(p).mps_seqno, "seqno 1");
	so = nu_make_sonce(p);
	assert_true(so != MACH_PORT_NULL, "send-once right");
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), p, set), "join a set");
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev),
		  "register");
	expect_eq(MACH_PORT_NULL, prev, "previous is always null");
	expect_eq(1, mu_status(p).mps_pdrequest, "mps_pdrequest");
	expect_eq(3, mu_status(p).mps_mscount, "three MAKE_SENDs so far");
	if (use_destroy)
		expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p), "mach_port_destroy");
	else
		expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p,
							   MACH_PORT_RIGHT_RECEIVE, -1),
			  "mod_refs(RECEIVE, -1)");
	back = expect_port_destroyed(n);
	if (!back)
		return;
	st = mu_status(back);
	expect_eq(2, st.mps_msgcount, "the queued messages came back with the port");
	expect_eq(0, st.mps_pdrequest, "the request was used up");
	expect_eq(0, st.mps_mscount, "mscount reset (ipc_port_clear_receiver)");
	expect_eq(0, st.mps_seqno, "seqno reset");
	expect_eq(1, st.mps_sorights, "our send-once right still counts");
	expect_eq(0, st.mps_pset, "removed from the port set");
	expect_eq(MACH_PORT_TYPE_PORT_SET, mu_type(set), "the set itself lives");
	{
		mach_port_name_array_t names = NULL;
		mach_msg_type_number_t cnt = 1;

		expect_kr(KERN_SUCCESS, mach_port_get_set_status(mach_task_self(), set, &names,
								 &cnt), "get_set_status");
		expect_eq(0, cnt, "the set is empty");
	}
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "our send-once right did not die");
	recv_payload(back, 1);
	recv_payload(back, 2);
	nu_sonce_names(so, back);
	/* It can be registered and returned again. */
	expect_kr(KERN_SUCCESS, nu_request(back, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev),
		  "register on the returned right");
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), back), "destroy it again");
	back = expect_port_destroyed(n);
	if (back)
		expect_eq(0, mu_status(back).mps_pdrequest, "no request now");
	nu_expect_nothing(n, "one notification per destruction");
}

static void mod_refs_returns_right(void)
{
	right_comes_back(false);
}

static void destroy_returns_right(void)
{
	right_comes_back(true);
}

/* Without a request the port simply dies. */
static void no_request_port_dies(void)
{
	mach_port_t p = mu_port(), so;

	assert_true(p != MACH_PORT_NULL, "port");
	so = nu_make_sonce(p);
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p), "destroy");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(so), "the send-once right is dead");
}

/* The holder process dies; its receive right comes back to us. */
static void holder_dies(bool kill9)
{
	mach_port_t listen = nu_parent_listen(), n = mu_port(), child, back;
	int ready[2];
	pid_t pid;

	assert_true(listen && n, "setup");
	assert_eq(0, pipe(ready), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t mine = mu_port(), p = mu_port(), so, prev = 0;
		mach_msg_type_name_t type = 0;

		close(ready[0]);
		if (!mine || !p || !nu_child_hello(mine, 0))
			mt_child_exit();
		so = nu_take(mine, &type, NULL);
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, type, "child: send-once right to n");
		expect_kr(MACH_MSG_SUCCESS, queue(p, 0xabc), "child: queue a message");
		expect_kr(KERN_SUCCESS,
			  mach_port_request_notification(mach_task_self(), p,
							 MACH_NOTIFY_PORT_DESTROYED, 0, so,
							 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev),
			  "child: register with MOVE_SEND_ONCE");
		expect_eq(MACH_PORT_NULL, prev, "child: no previous");
		mt_post(ready[1]);
		if (kill9)
			for (;;)
				pause();
		mt_child_exit();
	}
	close(ready[1]);
	child = nu_parent_accept(listen, NULL);
	if (child)
		nu_give(child, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	if (!expect_true(child && mt_await(ready[0], MU_WAIT_MS), "child registered")) {
		kill(pid, SIGKILL);
		mt_wait(pid, MU_WAIT_MS);
		return;
	}
	if (kill9) {
		expect_eq(0, kill(pid, SIGKILL), "kill -9 the holder");
		expect_eq(128 + SIGKILL, mt_wait(pid, MU_WAIT_MS), "holder killed");
	} else {
		expect_child_ok(pid, MU_WAIT_MS, "holder");
	}
	back = expect_port_destroyed(n);
	if (back) {
		expect_eq(1, mu_status(back).mps_msgcount, "its queued message came along");
		recv_payload(back, 0xabc);
	}
}

static void holder_killed(void)
{
	holder_dies(true);
}

static void holder_exits(void)
{
	holder_dies(false);
}

static const struct mt_case cases[] = {
	MT_CASE(mod_refs_returns_right),
	MT_CASE(destroy_returns_right),
	MT_CASE(no_request_port_dies),
	MT_CASE(holder_killed),
	MT_CASE(holder_exits),
};

int main(void)
{
	return MT_RUN(cases);
}
