// SPDX-License-Identifier: GPL-2.0
/*
 * notify_port_deleted - MACH_NOTIFY_PORT_DELETED (msgh_id 65): a name with a
 * registered dead-name request loses its send or send-once right while the
 * port is still alive, so the request can never fire; the kernel returns it
 * as a port-deleted notification carrying the name (not_port).
 *
 * XNU facts (osfmk/ipc/ipc_right.c): ipc_right_dealloc (SEND with one uref
 * left, SEND_ONCE), ipc_right_destroy and ipc_right_terminate (task exit)
 * cancel the request (ipc_right_request_cancel_macro) and call
 * ipc_notify_port_deleted(request, name); moving the last uref out in a
 * message does the same from ipc_kmsg_copyin_header.  A send-once right
 * deallocated this way also sends MACH_NOTIFY_SEND_ONCE to its own port.
 * A cancelled request sends nothing; a port that dies sends a dead-name
 * notification instead (see notify_dead_name).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "notify_util.h"

static bool expect_deleted(mach_port_t n, mach_port_t name, const char *what)
{
	struct mu_rcv r;

	if (!nu_recv_notification(n, &r, MACH_NOTIFY_PORT_DELETED, NU_SIZE_NAME, MU_WAIT_MS)) {
		mt_diag("after: %s", what);
		return false;
	}
	return expect_eq(name, nu_word(&r, NU_OFF_WORD), "not_port is the deleted name");
}

static void send_once_right_deallocated(void)
{
	mach_port_t p = mu_port(), n = mu_port(), so, prev;
	struct mu_rcv r;

	assert_true(p && n, "setup");
	so = nu_make_sonce(p);
	assert_kr(KERN_SUCCESS, nu_request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), "register");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so),
		  "deallocate the send-once right");
	expect_deleted(n, so, "deallocate");
	nu_recv_notification(p, &r, MACH_NOTIFY_SEND_ONCE, NU_SIZE_SEND_ONCE, MU_WAIT_MS);
	expect_eq(0, mu_status(n).mps_sorights, "the request's right was used");
	nu_expect_nothing(n, "exactly one notification");
}

static void cancelled_request_sends_nothing(void)
{
	mach_port_t p = mu_port(), n = mu_port(), so, prev;
	struct mu_rcv r;

	assert_true(p && n, "setup");
	so = nu_make_sonce(p);
	assert_kr(KERN_SUCCESS, nu_request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), "register");
	assert_kr(KERN_SUCCESS,
		  mach_port_request_notification(mach_task_self(), so, MACH_NOTIFY_DEAD_NAME, 0,
						 MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						 &prev),
		  "cancel");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so), "deallocate");
	nu_recv_notification(p, &r, MACH_NOTIFY_SEND_ONCE, NU_SIZE_SEND_ONCE, MU_WAIT_MS);
	nu_expect_nothing(n, "no port-deleted after a cancel");
	/* The returned right, dropped unused, is a plain send-once notification. */
	if (expect_true(MACH_PORT_VALID(prev), "cancel returned the right")) {
		expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), prev),
			  "drop the returned right");
		nu_recv_notification(n, &r, MACH_NOTIFY_SEND_ONCE, NU_SIZE_SEND_ONCE, MU_WAIT_MS);
	}
}

/* A child owns NPORTS ports and gives us a send right to each. */
#define NPORTS 3

struct owner {
	pid_t pid;
	int stop[2];
	mach_port_t names[NPORTS];
};

static bool owner_start(struct owner *o)
{
	mach_port_t listen = nu_parent_listen();

	o->pid = -1;
	if (!listen || !expect_eq(0, pipe(o->stop), "pipe"))
		return false;
	o->pid = mt_fork();
	if (!expect_true(o->pid >= 0, "fork"))
		return false;
	if (o->pid == 0) {
		char c;

		close(o->stop[1]);
		for (uint32_t i = 0; i < NPORTS; i++) {
			mach_port_t mine = mu_port();

			if (!mine || !nu_child_hello(mine, i))
				mt_child_exit();
		}
		while (read(o->stop[0], &c, 1) == 1)
			;
		mt_child_exit();
	}
	close(o->stop[0]);
	for (int i = 0; i < NPORTS; i++) {
		uint32_t idx = 0xff;
		mach_port_t name = nu_parent_accept(listen, &idx);

		if (!name || !expect_true(idx < NPORTS, "port index"))
			return false;
		o->names[idx] = name;
	}
	return true;
}

static void owner_stop(struct owner *o)
{
	if (o->pid > 0) {
		close(o->stop[1]);
		expect_child_ok(o->pid, MU_WAIT_MS, "port owner");
	}
}

static void send_right_deleted(void)
{
	mach_port_t n = mu_port(), prev;
	struct owner o;

	assert_true(n != MACH_PORT_NULL, "notify port");
	if (!owner_start(&o)) {
		owner_stop(&o);
		return;
	}
	for (int i = 0; i < NPORTS; i++) {
		expect_kr(KERN_SUCCESS, nu_request(o.names[i], MACH_NOTIFY_DEAD_NAME, 0, n, &prev),
			  "register");
		expect_eq(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, mu_type(o.names[i]),
			  "send right with DNREQUEST");
	}
	/* 0: deallocate, with an extra uref first. */
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), o.names[0],
						   MACH_PORT_RIGHT_SEND, 1), "extra uref");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), o.names[0]),
		  "deallocate one of two urefs");
	nu_expect_nothing(n, "the name still holds the right");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), o.names[0]),
		  "deallocate the last uref");
	expect_deleted(n, o.names[0], "deallocate");
	/* 1: mach_port_destroy. */
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), o.names[1]), "destroy");
	expect_deleted(n, o.names[1], "destroy");
	/* 2: the last uref leaves as a message's destination (MOVE_SEND). */
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(o.names[2], MACH_MSG_TYPE_MOVE_SEND, 0, 0, 1, 0, 0, 0, MU_WAIT_MS),
		  "send with MOVE_SEND of the last uref");
	expect_deleted(n, o.names[2], "moved out in a message");
	expect_eq(0, mu_status(n).mps_sorights, "every request's right was used");
	nu_expect_nothing(n, "nothing else (the ports are alive: no dead-name)");
	owner_stop(&o);
	nu_expect_nothing(n, "the requests are gone: no dead-name when the ports die");
}

/* The requester itself exits: its rights are deleted at task termination. */
static void requester_exits(bool kill9)
{
	mach_port_t listen = nu_parent_listen(), p = mu_port(), n = mu_port(), child;
	int ready[2];
	uint32_t name = 0;
	pid_t pid;

	assert_true(listen && p && n, "setup");
	assert_eq(0, pipe(ready), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t mine = mu_port(), right, so, prev = 0;
		mach_msg_type_name_t type = 0;

		close(ready[0]);
		if (!mine || !nu_child_hello(mine, 0))
			mt_child_exit();
		right = nu_take(mine, &type, NULL);
		expect_eq(MACH_MSG_TYPE_PORT_SEND, type, "child: a send right");
		so = nu_take(mine, &type, NULL);
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, type, "child: a send-once right");
		expect_kr(KERN_SUCCESS,
			  mach_port_request_notification(mach_task_self(), right,
							 MACH_NOTIFY_DEAD_NAME, 0, so,
							 MACH_MSG_TYPE_MOVE_SEND_ONCE, &prev),
			  "child: register a dead-name request");
		expect_eq(sizeof(right), write(ready[1], &right, sizeof(right)),
			  "child: report the name");
		if (kill9)
			for (;;)
				pause();
		mt_child_exit();
	}
	close(ready[1]);
	child = nu_parent_accept(listen, NULL);
	if (!child || !nu_give(child, p, MACH_MSG_TYPE_MAKE_SEND, 0) ||
	    !nu_give(child, n, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) ||
	    !expect_eq(sizeof(name), read(ready[0], &name, sizeof(name)),
		       "the child's name for its right")) {
		kill(pid, SIGKILL);
		mt_wait(pid, MU_WAIT_MS);
		return;
	}
	if (kill9) {
		expect_eq(0, kill(pid, SIGKILL), "kill -9 the requester");
		expect_eq(128 + SIGKILL, mt_wait(pid, MU_WAIT_MS), "requester killed");
	} else {
		expect_child_ok(pid, MU_WAIT_MS, "requester");
	}
	expect_deleted(n, name, "requester died");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(p), "our port is unaffected");
	nu_expect_nothing(n, "exactly one notification");
}

static void requester_exits_normally(void)
{
	requester_exits(false);
}

static void requester_killed(void)
{
	requester_exits(true);
}

static const struct mt_case cases[] = {
	MT_CASE(send_once_right_deallocated),
	MT_CASE(cancelled_request_sends_nothing),
	MT_CASE(send_right_deleted),
	MT_CASE(requester_exits_normally),
	MT_CASE(requester_killed),
};

int main(void)
{
	return MT_RUN(cases);
}
