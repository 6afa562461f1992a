// SPDX-License-Identifier: GPL-2.0
/*
 * dead_name - when a port dies, every send right to it, in every space,
 * turns into a dead name (mach_port_type == MACH_PORT_TYPE_DEAD_NAME, the
 * send urefs kept as dead-name urefs) and a send through it fails with
 * MACH_SEND_INVALID_DEST.  A port dies when its receive right is destroyed
 * or when the task holding it exits, kill -9 included.  A thread blocked in
 * a receive on a port that is destroyed is woken with THREAD_RESTART, which
 * ipc_mqueue_receive_results reports as MACH_RCV_PORT_CHANGED
 * (osfmk/ipc/ipc_mqueue.c).
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "msg_util.h"

#define WAIT_MS		20000

/*
 * The right may turn dead a moment after the holder's exit is reaped if
 * the module tears spaces down asynchronously; poll, with a bound.
 */
static bool wait_dead(mach_port_t name, unsigned int timeout_ms)
{
	uint64_t deadline = mt_now_ms() + timeout_ms;
	mach_port_type_t type = 0;

	do {
		if (mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
		    type == MACH_PORT_TYPE_DEAD_NAME)
			return true;
		mt_sleep_ms(10);
	} while (mt_now_ms() < deadline);
	mt_diag("name 0x%x: type 0x%x, not a dead name", name, type);
	return false;
}

static void receive_right_destroyed(void)
{
	mach_port_t port = mu_port_send();
	int ready[2], destroyed[2];
	pid_t pid;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port),
		  "task_set_special_port(BOOTSTRAP)");
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(destroyed), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL;
		mach_port_urefs_t refs;

		close(ready[0]);
		close(destroyed[1]);
		expect_kr(KERN_SUCCESS,
			  task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp),
			  "child: bootstrap port");
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(bp), "child: a send right");
		refs = mu_refs(bp, MACH_PORT_RIGHT_SEND);
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(bp, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
			  "child: send while the port lives");
		mt_post(ready[1]);
		if (expect_true(mt_await(destroyed[0], WAIT_MS),
				"child: parent destroyed the port")) {
			expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(bp),
				  "child: the name is now a dead name");
			expect_eq(refs, mu_refs(bp, MACH_PORT_RIGHT_DEAD_NAME),
				  "child: send urefs became dead-name urefs");
			expect_kr(MACH_SEND_INVALID_DEST,
				  mu_send(bp, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
				  "child: send to the dead name");
			expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), bp),
				  "child: deallocate the dead name");
		}
		mt_child_exit();
	}
	close(ready[1]);
	close(destroyed[0]);
	if (expect_true(mt_await(ready[0], WAIT_MS), "child ready")) {
		expect_eq(1, mu_status(port).mps_msgcount, "the child's message");
		expect_kr(KERN_SUCCESS,
			  mach_port_mod_refs(mach_task_self(), port,
					     MACH_PORT_RIGHT_RECEIVE, -1),
			  "destroy the receive right");
		expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(port),
			  "our own send right died too");
	}
	mt_post(destroyed[1]);
	expect_child_ok(pid, WAIT_MS, "child");
}

static void receiver_killed(void)
{
	mach_port_t collect = mu_port_send(), theirs;
	struct mu_rcv r;
	pid_t pid;

	assert_true(collect != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, collect),
		  "task_set_special_port(BOOTSTRAP)");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL, mine = mu_port();

		/* Hand the parent a send right to a port we receive on, then wait. */
		if (mine != MACH_PORT_NULL &&
		    expect_kr(KERN_SUCCESS,
			      task_get_special_port(mach_task_self(),
						    TASK_BOOTSTRAP_PORT, &bp),
			      "child: bootstrap port"))
			expect_kr(MACH_MSG_SUCCESS,
				  mu_send(bp, MACH_MSG_TYPE_COPY_SEND, mine,
					  MACH_MSG_TYPE_MAKE_SEND, 1, 0, 0, 0, WAIT_MS),
				  "child: send our port to the parent");
		for (;;)
			pause();
	}
	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(collect, &r, 0, WAIT_MS),
		       "receive the child's port")) {
		kill(pid, SIGKILL);
		mt_wait(pid, WAIT_MS);
		return;
	}
	theirs = r.hdr.msgh_remote_port;
	expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
		  "got a send right");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(theirs), "type while the child lives");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(theirs, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send while the child lives");
	expect_eq(0, kill(pid, SIGKILL), "kill -9 the child");
	expect_eq(128 + SIGKILL, mt_wait(pid, WAIT_MS), "child killed");
	if (expect_true(wait_dead(theirs, 5000), "the name turned dead")) {
		expect_eq(1, mu_refs(theirs, MACH_PORT_RIGHT_DEAD_NAME), "dead-name urefs");
		expect_kr(MACH_SEND_INVALID_DEST,
			  mu_send(theirs, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
			  "send to the dead name");
	}
}

/* An exiting task's ports die as well, not just killed ones. */
static void receiver_exits(void)
{
	mach_port_t collect = mu_port_send(), theirs;
	struct mu_rcv r;
	int go[2];
	pid_t pid;

	assert_true(collect != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, collect),
		  "task_set_special_port(BOOTSTRAP)");
	assert_eq(0, pipe(go), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL, mine = mu_port();

		close(go[1]);
		if (mine != MACH_PORT_NULL &&
		    expect_kr(KERN_SUCCESS,
			      task_get_special_port(mach_task_self(),
						    TASK_BOOTSTRAP_PORT, &bp),
			      "child: bootstrap port"))
			expect_kr(MACH_MSG_SUCCESS,
				  mu_send(bp, MACH_MSG_TYPE_COPY_SEND, mine,
					  MACH_MSG_TYPE_MAKE_SEND, 1, 0, 0, 0, WAIT_MS),
				  "child: send our port to the parent");
		mt_await(go[0], WAIT_MS);
		mt_child_exit();
	}
	close(go[0]);
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(collect, &r, 0, WAIT_MS),
		      "receive the child's port")) {
		theirs = r.hdr.msgh_remote_port;
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(theirs), "type while the child lives");
		mt_post(go[1]);
		expect_child_ok(pid, WAIT_MS, "child");
		if (expect_true(wait_dead(theirs, 5000), "the name turned dead"))
			expect_kr(MACH_SEND_INVALID_DEST,
				  mu_send(theirs, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0,
					  0, 0),
				  "send to the dead name");
	} else {
		mt_post(go[1]);
		expect_child_ok(pid, WAIT_MS, "child");
	}
	close(go[1]);
}

static mach_port_t doomed;
static mach_msg_return_t doomed_mr;

static void *receive_on_doomed(void *arg)
{
	struct mu_rcv r;

	(void)arg;
	doomed_mr = mu_recv(doomed, &r, 0, WAIT_MS);
	return NULL;
}

static void blocked_receiver_sees_death(void)
{
	pthread_t t;

	doomed = mu_port();
	assert_true(doomed != MACH_PORT_NULL, "port");
	assert_eq(0, pthread_create(&t, NULL, receive_on_doomed, NULL), "pthread_create");
	mt_sleep_ms(300);
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), doomed),
		  "destroy the port under the receiver");
	pthread_join(t, NULL);
	expect_kr(MACH_RCV_PORT_CHANGED, doomed_mr, "the blocked receive");
}

/*
 * The routines that take a right copy a dead name in as MACH_PORT_DEAD
 * (XNU's ipc_object_copyin is "dead OK"), a move using up one of its
 * references: mach_port_insert_right then refuses it with
 * KERN_INVALID_CAPABILITY, while mach_port_extract_right succeeds and
 * hands back MACH_PORT_DEAD.  A right that needs a receive right
 * (MAKE_SEND) is KERN_INVALID_RIGHT, except in insert_right's
 * name == poly form, which answers a dead name KERN_INVALID_CAPABILITY.
 */
static void routines_take_dead_names(void)
{
	mach_port_t task = mach_task_self(), dead = MACH_PORT_NULL, got = 0;
	mach_msg_type_name_t gt = 0;
	mach_port_type_t type;

	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "a dead name");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, 3),
		  "four references");
	expect_kr(KERN_INVALID_CAPABILITY,
		  mach_port_insert_right(task, 0x70000103, dead, MACH_MSG_TYPE_COPY_SEND),
		  "insert_right COPY_SEND of a dead name");
	expect_eq(4, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), "a copy uses no reference");
	expect_kr(KERN_INVALID_CAPABILITY,
		  mach_port_insert_right(task, 0x70000203, dead, MACH_MSG_TYPE_MOVE_SEND),
		  "insert_right MOVE_SEND of a dead name");
	expect_eq(3, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), "a move uses one");
	expect_true(!mu_names_find(0x70000203, &type), "and nothing was inserted");
	expect_kr(KERN_INVALID_CAPABILITY,
		  mach_port_insert_right(task, dead, dead, MACH_MSG_TYPE_MAKE_SEND),
		  "insert_right(dead, dead, MAKE_SEND)");
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_insert_right(task, 0x70000303, dead, MACH_MSG_TYPE_MAKE_SEND),
		  "MAKE_SEND from a dead name under another name");

	expect_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, dead, MACH_MSG_TYPE_COPY_SEND, &got, &gt),
		  "extract_right COPY_SEND of a dead name");
	expect_eq(MACH_PORT_DEAD, got, "gives MACH_PORT_DEAD");
	expect_eq(MACH_MSG_TYPE_PORT_SEND, gt, "as a send right");
	expect_eq(3, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), "a copy uses no reference");
	got = 0;
	expect_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, dead, MACH_MSG_TYPE_MOVE_SEND, &got, &gt),
		  "extract_right MOVE_SEND of a dead name");
	expect_eq(MACH_PORT_DEAD, got, "gives MACH_PORT_DEAD");
	expect_eq(2, mu_refs(dead, MACH_PORT_RIGHT_DEAD_NAME), "a move uses one");
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_extract_right(task, dead, MACH_MSG_TYPE_MAKE_SEND, &got, &gt),
		  "extract_right MAKE_SEND of a dead name");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, -2),
		  "the last two references go");
	expect_true(!mu_names_find(dead, &type), "and the name with them");
}

static const struct mt_case cases[] = {
	MT_CASE(receive_right_destroyed),
	MT_CASE(receiver_killed),
	MT_CASE(receiver_exits),
	MT_CASE(blocked_receiver_sees_death),
	MT_CASE(routines_take_dead_names),
};

int main(void)
{
	return MT_RUN(cases);
}
