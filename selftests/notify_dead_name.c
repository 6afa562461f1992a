// SPDX-License-Identifier: GPL-2.0
/*
 * notify_dead_name - MACH_NOTIFY_DEAD_NAME (msgh_id 72) and the error
 * paths of mach_port_request_notification.
 *
 * XNU facts:
 *  - mach_port_request_notification (osfmk/ipc/mach_port.c): unknown id
 *    -> KERN_INVALID_VALUE; DEAD_NAME on a null/dead name ->
 *    KERN_INVALID_ARGUMENT; NO_SENDERS / PORT_DESTROYED need a receive right
 *    (ipc_port_translate_receive: KERN_INVALID_NAME / KERN_INVALID_RIGHT,
 *    null name KERN_INVALID_RIGHT); PORT_DESTROYED with sync != 0 ->
 *    KERN_INVALID_VALUE; a dead notify port -> KERN_INVALID_CAPABILITY.
 *  - macOS calls _kernelrpc_mach_port_request_notification_trap
 *    (osfmk/ipc/mach_kernelrpc.c): the notify right is copied in first
 *    (ipc_object_copyin: KERN_INVALID_NAME / KERN_INVALID_RIGHT when the
 *    name is not a receive right for MAKE_SEND_ONCE), and when the request
 *    then fails the new send-once right is destroyed, which sends a
 *    MACH_NOTIFY_SEND_ONCE to the notify port.  The previous send-once right
 *    is copied out under a new name.
 *  - ipc_right_request_alloc (osfmk/ipc/ipc_right.c): a request on a name
 *    with send, send-once or receive rights registers (replacing and
 *    returning the previous send-once right); notify == MACH_PORT_NULL
 *    cancels and returns the previous one; a port set is
 *    KERN_INVALID_RIGHT; a dead name without an immediate request is
 *    KERN_INVALID_ARGUMENT.  Older XNU (sync != 0 -> immediate) sends the
 *    notification at once for a dead name and adds a uref; current XNU
 *    passes no immediate option for DEAD_NAME and returns
 *    KERN_INVALID_ARGUMENT.  Both are accepted, each checked for
 *    consistency.
 *  - ipc_right_info / ipc_port_request_type: mach_port_type shows
 *    MACH_PORT_TYPE_DNREQUEST while a request is registered.
 *  - ipc_port_destroy -> ipc_port_dnnotify sends mach_dead_name_notification
 *    (not_port = the name in the requester's space); ipc_right_check turns
 *    the entry into a dead name and adds one uref for the notification.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "notify_util.h"

static mach_port_t stale_name(void)
{
	mach_port_t p = mu_port();

	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p), "destroy");
	return p;
}

/* The failed request destroyed the send-once right made for notify. */
static void expect_sonce_back(mach_port_t notify, const char *what)
{
	struct mu_rcv r;

	if (!nu_recv_notification(notify, &r, MACH_NOTIFY_SEND_ONCE, NU_SIZE_SEND_ONCE,
				  MU_WAIT_MS))
		mt_diag("after: %s", what);
}

static void request_errors(void)
{
	mach_port_t n = mu_port(), p = mu_port_send(), set = nu_pset();
	mach_port_t so = nu_make_sonce(p), prev, bogus = stale_name();
	static const mach_msg_id_t bad_ids[] = {
		0, MACH_NOTIFY_FIRST + 3, MACH_NOTIFY_PORT_DELETED, MACH_NOTIFY_SEND_ONCE,
		MACH_NOTIFY_LAST, 1000,
	};

	assert_true(n && p && set && so, "setup");
	for (unsigned int i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		if (!expect_kr(KERN_INVALID_VALUE, nu_request(p, bad_ids[i], 0, n, &prev),
			       "unknown notification id"))
			mt_diag("id %d", bad_ids[i]);
		expect_sonce_back(n, "unknown id");
	}
	expect_kr(KERN_INVALID_ARGUMENT, nu_request(MACH_PORT_NULL, MACH_NOTIFY_DEAD_NAME, 0, n,
						    &prev), "DEAD_NAME on MACH_PORT_NULL");
	expect_sonce_back(n, "DEAD_NAME on MACH_PORT_NULL");
	expect_kr(KERN_INVALID_NAME, nu_request(bogus, MACH_NOTIFY_DEAD_NAME, 0, n, &prev),
		  "DEAD_NAME on an unknown name");
	expect_sonce_back(n, "DEAD_NAME on an unknown name");
	expect_kr(KERN_INVALID_RIGHT, nu_request(set, MACH_NOTIFY_DEAD_NAME, 0, n, &prev),
		  "DEAD_NAME on a port set");
	expect_sonce_back(n, "DEAD_NAME on a port set");
	expect_kr(KERN_INVALID_RIGHT, nu_request(so, MACH_NOTIFY_NO_SENDERS, 0, n, &prev),
		  "NO_SENDERS on a send-once right");
	expect_sonce_back(n, "NO_SENDERS on a send-once right");
	expect_kr(KERN_INVALID_RIGHT, nu_request(MACH_PORT_NULL, MACH_NOTIFY_NO_SENDERS, 0, n,
						 &prev), "NO_SENDERS on MACH_PORT_NULL");
	expect_sonce_back(n, "NO_SENDERS on MACH_PORT_NULL");
	expect_kr(KERN_INVALID_NAME, nu_request(bogus, MACH_NOTIFY_NO_SENDERS, 0, n, &prev),
		  "NO_SENDERS on an unknown name");
	expect_sonce_back(n, "NO_SENDERS on an unknown name");
	expect_kr(KERN_INVALID_VALUE, nu_request(p, MACH_NOTIFY_PORT_DESTROYED, 1, n, &prev),
		  "PORT_DESTROYED with sync != 0");
	expect_sonce_back(n, "PORT_DESTROYED with sync != 0");
	expect_kr(KERN_INVALID_RIGHT, nu_request(set, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev),
		  "PORT_DESTROYED on a port set");
	expect_sonce_back(n, "PORT_DESTROYED on a port set");

	/* The notify right itself cannot be made: nothing is copied in. */
	expect_kr(KERN_INVALID_RIGHT, nu_request(p, MACH_NOTIFY_DEAD_NAME, 0, so, &prev),
		  "MAKE_SEND_ONCE from a send-once right");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "that right is untouched");
	expect_kr(KERN_INVALID_NAME, nu_request(p, MACH_NOTIFY_DEAD_NAME, 0, bogus, &prev),
		  "MAKE_SEND_ONCE from an unknown name");
	expect_kr(KERN_INVALID_CAPABILITY,
		  nu_request(p, MACH_NOTIFY_DEAD_NAME, 0, MACH_PORT_DEAD, &prev),
		  "notify port MACH_PORT_DEAD");
	expect_eq(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE, mu_type(p),
		  "no request was left registered");
	expect_eq(0, mu_status(n).mps_sorights, "no send-once right to the notify port left");
	nu_expect_nothing(n, "no further notification");
}

static void register_replace_cancel(void)
{
	mach_port_t p = mu_port(), n1 = mu_port(), n2 = mu_port(), so, prev;

	assert_true(p && n1 && n2, "setup");
	so = nu_make_sonce(p);
	assert_true(so != MACH_PORT_NULL, "send-once right");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "plain send-once right");
	expect_kr(KERN_SUCCESS, nu_request(so, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev),
		  "register");
	expect_eq(MACH_PORT_NULL, prev, "no previous request");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DNREQUEST, mu_type(so),
		  "mach_port_type shows DNREQUEST");
	expect_eq(1, mu_status(n1).mps_sorights, "the request holds a send-once right to n1");
	expect_kr(KERN_SUCCESS, nu_request(so, MACH_NOTIFY_DEAD_NAME, 0, n2, &prev),
		  "register again with n2");
	if (expect_true(prev != MACH_PORT_NULL && prev != 0xdeadbeef, "previous right returned")) {
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(prev), "previous is a send-once right");
		expect_true(prev != n1 && prev != so, "under a name of its own");
		nu_sonce_names(prev, n1);
	}
	expect_kr(KERN_SUCCESS,
		  mach_port_request_notification(mach_task_self(), so, MACH_NOTIFY_DEAD_NAME, 0,
						 MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						 &prev),
		  "cancel");
	if (expect_true(prev != MACH_PORT_NULL, "cancel returns the registered right"))
		nu_sonce_names(prev, n2);
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "DNREQUEST gone");
	expect_kr(KERN_SUCCESS,
		  mach_port_request_notification(mach_task_self(), so, MACH_NOTIFY_DEAD_NAME, 0,
						 MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE,
						 &prev),
		  "cancel with nothing registered");
	expect_eq(MACH_PORT_NULL, prev, "nothing to return");
	/* A request on our own receive right is allowed too. */
	expect_kr(KERN_SUCCESS, nu_request(p, MACH_NOTIFY_DEAD_NAME, 0, n1, &prev),
		  "request on a receive right");
	expect_eq(MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_DNREQUEST, mu_type(p),
		  "receive right shows DNREQUEST");
	nu_expect_nothing(n1, "no notification on n1");
	nu_expect_nothing(n2, "no notification on n2");
}

/* Our own port dies: the send-once right we hold to it becomes a dead name. */
static void own_port_destroyed(void)
{
	mach_port_t p = mu_port(), n = mu_port(), so, prev;
	struct mu_rcv r;

	assert_true(p && n, "setup");
	so = nu_make_sonce(p);
	assert_kr(KERN_SUCCESS, nu_request(so, MACH_NOTIFY_DEAD_NAME, 0, n, &prev), "register");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the receive right");
	if (nu_recv_notification(n, &r, MACH_NOTIFY_DEAD_NAME, NU_SIZE_NAME, MU_WAIT_MS))
		expect_eq(so, nu_word(&r, NU_OFF_WORD), "not_port is the dead name");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(so), "now a dead name");
	expect_eq(2, mu_refs(so, MACH_PORT_RIGHT_DEAD_NAME),
		  "one uref for the right plus one carried by the notification");
	expect_eq(0, mu_status(n).mps_sorights, "the request's send-once right was used");
	nu_expect_nothing(n, "exactly one notification");
}

/* A child holds the receive right; we hold a send right with a request. */
struct remote {
	pid_t pid;
	int cmd[2];
	mach_port_t name;	/* our send right to the child's port */
};

static bool remote_start(struct remote *rm)
{
	mach_port_t listen = nu_parent_listen();

	rm->pid = -1;
	if (!listen || !expect_eq(0, pipe(rm->cmd), "pipe"))
		return false;
	rm->pid = mt_fork();
	if (!expect_true(rm->pid >= 0, "fork"))
		return false;
	if (rm->pid == 0) {
		mach_port_t mine = mu_port();
		char c = 0;

		close(rm->cmd[1]);
		if (mine == MACH_PORT_NULL || !nu_child_hello(mine, 0))
			mt_child_exit();
		/* 'd': destroy the receive right; EOF: exit. */
		while (read(rm->cmd[0], &c, 1) == 1)
			if (c == 'd')
				expect_kr(KERN_SUCCESS,
					  mach_port_mod_refs(mach_task_self(), mine,
							     MACH_PORT_RIGHT_RECEIVE, -1),
					  "child: destroy the receive right");
		mt_child_exit();
	}
	close(rm->cmd[0]);
	rm->name = nu_parent_accept(listen, NULL);
	return rm->name != MACH_PORT_NULL;
}

static void remote_stop(struct remote *rm)
{
	if (rm->pid > 0) {
		close(rm->cmd[1]);
		expect_child_ok(rm->pid, MU_WAIT_MS, "child");
		rm->pid = -1;
	}
}

static void receiver_killed(void)
{
	struct remote rm;
	mach_port_t n = mu_port(), prev;
	struct mu_rcv r;

	assert_true(n != MACH_PORT_NULL, "notify port");
	if (!remote_start(&rm)) {
		if (rm.pid > 0) {
			kill(rm.pid, SIGKILL);
			mt_wait(rm.pid, MU_WAIT_MS);
		}
		return;
	}
	expect_kr(KERN_SUCCESS, nu_request(rm.name, MACH_NOTIFY_DEAD_NAME, 0, n, &prev),
		  "register");
	expect_eq(MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST, mu_type(rm.name),
		  "send right with DNREQUEST");
	expect_eq(0, kill(rm.pid, SIGKILL), "kill -9 the receiver");
	expect_eq(128 + SIGKILL, mt_wait(rm.pid, MU_WAIT_MS), "receiver killed");
	close(rm.cmd[1]);
	if (nu_recv_notification(n, &r, MACH_NOTIFY_DEAD_NAME, NU_SIZE_NAME, MU_WAIT_MS))
		expect_eq(rm.name, nu_word(&r, NU_OFF_WORD), "not_port is our name for it");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(rm.name), "a dead name now");
	expect_eq(2, mu_refs(rm.name, MACH_PORT_RIGHT_DEAD_NAME),
		  "send uref plus the notification's uref");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), rm.name),
		  "drop the notification's uref");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), rm.name),
		  "drop the last uref");
	expect_true(!mu_names_find(rm.name, &(mach_port_type_t){0}), "the name is gone");
}

static void receiver_destroys_right(void)
{
	struct remote rm;
	mach_port_t n = mu_port(), prev;
	struct mu_rcv r;

	assert_true(n != MACH_PORT_NULL, "notify port");
	if (!remote_start(&rm)) {
		remote_stop(&rm);
		return;
	}
	/* Three send urefs: the dead name keeps them and gains one. */
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), rm.name,
						   MACH_PORT_RIGHT_SEND, 2), "two more urefs");
	expect_kr(KERN_SUCCESS, nu_request(rm.name, MACH_NOTIFY_DEAD_NAME, 0, n, &prev),
		  "register");
	expect_eq(1, write(rm.cmd[1], "d", 1), "ask the child to destroy its right");
	if (nu_recv_notification(n, &r, MACH_NOTIFY_DEAD_NAME, NU_SIZE_NAME, MU_WAIT_MS))
		expect_eq(rm.name, nu_word(&r, NU_OFF_WORD), "not_port");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(rm.name), "dead name");
	expect_eq(4, mu_refs(rm.name, MACH_PORT_RIGHT_DEAD_NAME), "3 send urefs + 1");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(rm.name, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send to the dead name");
	remote_stop(&rm);
	nu_expect_nothing(n, "exactly one notification");
}

static void request_on_dead_name(void)
{
	mach_port_t dead = MACH_PORT_NULL, n = mu_port(), prev;
	kern_return_t kr;
	struct mu_rcv r;

	assert_true(n != MACH_PORT_NULL, "notify port");
	assert_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME,
						   &dead), "allocate a dead name");
	expect_kr(KERN_INVALID_ARGUMENT, nu_request(dead, MACH_NOTIFY_DEAD_NAME, 0, n, &prev),
		  "request on a dead name, sync 0");
	expect_sonce_back(n, "request on a dead name, sync 0");
	expect_eq(1, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), "urefs unchanged");

	kr = nu_request(dead, MACH_NOTIFY_DEAD_NAME, 1, n, &prev);
	if (kr == KERN_SUCCESS) {
		mt_diag("immediate dead-name notification (XNU before the 2022 rework)");
		expect_eq(MACH_PORT_NULL, prev, "no previous right");
		if (nu_recv_notification(n, &r, MACH_NOTIFY_DEAD_NAME, NU_SIZE_NAME, MU_WAIT_MS))
			expect_eq(dead, nu_word(&r, NU_OFF_WORD), "not_port");
		expect_eq(2, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME),
			  "the notification carries a uref");
	} else {
		expect_kr(KERN_INVALID_ARGUMENT, kr, "request on a dead name, sync 1");
		expect_sonce_back(n, "request on a dead name, sync 1");
		expect_eq(1, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), "urefs unchanged");
	}
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(dead), "still a plain dead name");
	nu_expect_nothing(n, "nothing else");
}

static const struct mt_case cases[] = {
	MT_CASE(request_errors),
	MT_CASE(register_replace_cancel),
	MT_CASE(own_port_destroyed),
	MT_CASE(receiver_killed),
	MT_CASE(receiver_destroys_right),
	MT_CASE(request_on_dead_name),
};

int main(void)
{
	return MT_RUN(cases);
}
