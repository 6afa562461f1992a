// SPDX-License-Identifier: GPL-2.0
/*
 * bootstrap_inherit - a new process gets its parent's bootstrap port, as
 * on macOS: across fork() (the child's IPC space is new, so libmach reads
 * the name again in the child) and across fork() + exec() (the new image
 * reads it before main).  The parent points its bootstrap port at a port
 * of its own, so a message from the child through bootstrap_port proves
 * where the child's right leads.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>

#include "bootstrap_util.h"

#define EXEC_ARG	"--bootstrap-exec-child"
#define CHILD_ID	5150

/* Make a private port our task's bootstrap port; children inherit it. */
static mach_port_t private_bootstrap(void)
{
	mach_port_t port = mu_port_send();

	if (port != MACH_PORT_NULL &&
	    !expect_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), port),
		       "task_set_bootstrap_port"))
		return MACH_PORT_NULL;
	return port;
}

static void expect_message_from_child(mach_port_t port, pid_t child)
{
	struct mu_rcv r;

	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS),
		      "message through the child's bootstrap_port"))
		expect_eq(CHILD_ID, r.hdr.msgh_id, "message id");
	expect_child_ok(child, MU_WAIT_MS, "child");
}

static void fork_inherits(void)
{
	mach_port_t port;
	pid_t child;

	bu_require_bootstrap();
	port = private_bootstrap();
	assert_true(port != MACH_PORT_NULL, "private bootstrap port");
	child = mt_fork();
	if (child == 0) {
		expect_true(bootstrap_port != MACH_PORT_NULL,
			    "bootstrap_port refreshed in the child");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
				  CHILD_ID, 0, 0, 0, MU_WAIT_MS), "child sends");
		mt_child_exit();
	}
	expect_message_from_child(port, child);
}

static void fork_exec_inherits(void)
{
	mach_port_t port;
	pid_t child;

	bu_require_bootstrap();
	port = private_bootstrap();
	assert_true(port != MACH_PORT_NULL, "private bootstrap port");
	child = mt_fork();
	if (child == 0) {
		execl("/proc/self/exe", "bootstrap_inherit", EXEC_ARG, (char *)NULL);
		_exit(127);
	}
	expect_message_from_child(port, child);
}

/* A plain fork child reaches machd and the parent's services by name. */
static void fork_child_looks_up(void)
{
	mach_port_t port = mu_port_send();
	name_t name;
	pid_t child;

	bu_require_bootstrap();
	bu_name(name, "org.test.inherit");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_register(bootstrap_port, name, port),
		  "register");
	child = mt_fork();
	if (child == 0) {
		mach_port_t svc = MACH_PORT_NULL;

		if (expect_bs(BOOTSTRAP_SUCCESS,
			      bootstrap_look_up(bootstrap_port, name, &svc), "child look-up"))
			expect_kr(MACH_MSG_SUCCESS,
				  mu_send(svc, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
					  CHILD_ID, 0, 0, 0, MU_WAIT_MS), "child sends");
		mt_child_exit();
	}
	expect_message_from_child(port, child);
}

/*
 * The launcher idiom: set our bootstrap port, fork(), restore the old one
 * at once.  The child must still get the port we had at fork(), however
 * late it opens /dev/mach: pinned to one CPU, the parent restores before
 * the child ever runs.  (libmach has the kernel snapshot the port in its
 * atfork prepare handler; the child takes the snapshot at its first open.)
 */
static void fork_then_restore(void)
{
	mach_port_t saved = MACH_PORT_NULL, port;
	cpu_set_t was, one;
	pid_t child;

	bu_require_bootstrap();
	assert_kr(KERN_SUCCESS, task_get_bootstrap_port(mach_task_self(), &saved), "saved");
	assert_eq(0, sched_getaffinity(0, sizeof(was), &was), "sched_getaffinity");
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	assert_eq(0, sched_setaffinity(0, sizeof(one), &one), "one CPU");
	port = private_bootstrap();
	assert_true(port != MACH_PORT_NULL, "private bootstrap port");
	child = mt_fork();
	if (child == 0) {
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
				  CHILD_ID, 0, 0, 0, MU_WAIT_MS), "child sends");
		mt_child_exit();
	}
	expect_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), saved),
		  "restored at once");
	sched_setaffinity(0, sizeof(was), &was);
	expect_message_from_child(port, child);
}

/* The exec'd image: its constructor has read bootstrap_port already. */
static int exec_child(void)
{
	if (bootstrap_port == MACH_PORT_NULL) {
		printf("# exec child: bootstrap_port is MACH_PORT_NULL\n");
		return 1;
	}
	return mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
		       CHILD_ID, 0, 0, 0, MU_WAIT_MS) == MACH_MSG_SUCCESS ? 0 : 1;
}

static const struct mt_case cases[] = {
	MT_CASE(fork_inherits),
	MT_CASE(fork_exec_inherits),
	MT_CASE(fork_child_looks_up),
	MT_CASE(fork_then_restore),
};

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], EXEC_ARG) == 0)
		return exec_child();
	return MT_RUN(cases);
}
