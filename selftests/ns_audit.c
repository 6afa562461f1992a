// SPDX-License-Identifier: GPL-2.0
/*
 * ns_audit - the audit token in a trailer, across pid and user namespaces,
 * and the host's special ports from inside a user namespace.
 *
 * The kernel takes the sender's identity when it queues the message and
 * translates it into the receiver's namespaces when it is received: a
 * sender in a child pid namespace shows with its pid as the receiver sees
 * it, a sender the receiver cannot see shows as pid 0, and ids that do not
 * map into the receiver's user namespace show as the overflow uid/gid
 * (65534).  Each case gives its own port to its children as their
 * bootstrap port (inherited when they open /dev/mach).  Needs root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <servers/bootstrap.h>

#include "msg_util.h"

#define ID_REQ		0x4e5a
#define ID_REPLY	(ID_REQ + 100)
#define OVERFLOW_ID	65534
#define MAPPED_UID	1000
#define AUDIT_OPTS	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
			 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))

static void need_root(void)
{
	if (geteuid() != 0)
		mt_skip("needs root to create namespaces");
}

/* Our port, and our children's bootstrap port. */
static mach_port_t serve_children(void)
{
	mach_port_t port = mu_port_send();

	expect_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port),
		  "our port is our children's bootstrap port");
	return port;
}

/*
 * Child side: ask the bootstrap port (the case's port) for a reply and
 * return the reply's audit token, or fail.
 */
static bool ask(audit_token_t *tok)
{
	mach_port_t reply = mu_port();
	const mach_msg_max_trailer_t *t;
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS,
		       mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, reply,
			       MACH_MSG_TYPE_MAKE_SEND_ONCE, ID_REQ, (uint32_t)getpid(),
			       0, 0, MU_WAIT_MS),
		       "request to the bootstrap port"))
		return false;
	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(reply, &r, AUDIT_OPTS, MU_WAIT_MS),
		       "reply with an audit trailer"))
		return false;
	t = mu_trailer(&r.hdr);
	*tok = t->msgh_audit;
	return true;
}

/* Case side: take one request, check its token, answer it. */
static void answer(mach_port_t port, uid_t want_euid, pid_t want_pid,
		   uint32_t want_body_pid)
{
	const mach_msg_max_trailer_t *t;
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, AUDIT_OPTS, MU_WAIT_MS),
		       "the child's request"))
		return;
	t = mu_trailer(&r.hdr);
	expect_eq(want_euid, t->msgh_audit.val[1], "audit euid, as we see it");
	expect_eq(want_pid, t->msgh_audit.val[5], "audit pid, as we see it");
	expect_eq(want_body_pid, mu_as_msg(&r)->a, "the pid the child sees for itself");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(r.hdr.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
			  MACH_PORT_NULL, 0, ID_REPLY, 0, 0, 0, MU_WAIT_MS),
		  "reply");
}

/* --- pid namespaces ------------------------------------------------------ */

/*
 * A process in a child pid namespace (pid 1 there) asks us: we see its pid
 * in our namespace; it sees ours as 0, since we are outside its namespace.
 */
static void pid_namespace(void)
{
	mach_port_t port;
	int pipefd[2];
	pid_t c, inner = 0;

	need_root();
	port = serve_children();
	assert_eq(0, pipe(pipefd), "pipe");
	c = mt_fork();
	if (c == 0) {
		pid_t g;

		if (unshare(CLONE_NEWPID) != 0) {
			mt_diag("unshare(CLONE_NEWPID): %s", strerror(errno));
			_exit(MT_EXIT_SKIP);
		}
		g = mt_fork();
		if (g == 0) {
			audit_token_t tok;

			expect_eq(1, getpid(), "pid 1 in the new namespace");
			if (ask(&tok)) {
				expect_eq(0, tok.val[5], "the case's pid is 0: not in our namespace");
				expect_eq(0, tok.val[1], "euid 0: same user namespace");
			}
			mt_child_exit();
		}
		if (write(pipefd[1], &g, sizeof(g)) != sizeof(g))
			_exit(1);
		_exit(mt_wait(g, MU_WAIT_MS * 2) == 0 ? 0 : 1);
	}
	assert_true(c > 0, "fork");
	if (expect_eq(sizeof(inner), read(pipefd[0], &inner, sizeof(inner)),
		      "the inner pid, as we see it"))
		answer(port, 0, inner, 1);
	expect_child_ok(c, MU_WAIT_MS * 3, "the namespace's processes");
}

/* --- user namespaces ----------------------------------------------------- */

static bool write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

/* Map uid and gid 0 of pid's (new) user namespace to MAPPED_UID. */
static bool map_root_to_user(pid_t pid)
{
	char path[64], map[64];

	snprintf(map, sizeof(map), "0 %d 1\n", MAPPED_UID);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (!write_file(path, map))
		return false;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	return write_file(path, map);
}

/*
 * Child: new user namespace, wait for the map, become its root (uid 1000
 * outside), then run fn.
 */
static pid_t userns_child(void (*fn)(void), int ready[2], int go[2])
{
	pid_t c = mt_fork();

	if (c == 0) {
		char byte;

		if (unshare(CLONE_NEWUSER) != 0) {
			mt_diag("unshare(CLONE_NEWUSER): %s", strerror(errno));
			_exit(MT_EXIT_SKIP);
		}
		mt_post(ready[1]);
		if (read(go[0], &byte, 1) != 1)
			_exit(1);
		if (!expect_eq(0, setresgid(0, 0, 0), "setresgid(0) in the namespace") ||
		    !expect_eq(0, setresuid(0, 0, 0), "setresuid(0) in the namespace"))
			mt_child_exit();
		fn();
		mt_child_exit();
	}
	if (c > 0 && expect_true(mt_await(ready[0], MU_WAIT_MS), "the child unshared") &&
	    expect_true(map_root_to_user(c), "write its uid and gid maps"))
		mt_post(go[1]);
	return c;
}

/* Inside: root there, uid 1000 outside; the case's root is not mapped. */
static void userns_asker(void)
{
	audit_token_t tok;

	if (ask(&tok)) {
		expect_eq(OVERFLOW_ID, tok.val[1], "the case's euid 0 is not mapped here: overflow uid");
		expect_eq(OVERFLOW_ID, tok.val[2], "and overflow gid");
		expect_eq(getppid(), tok.val[5], "the case's pid (same pid namespace)");
	}
}

static void user_namespace(void)
{
	int ready[2], go[2];
	mach_port_t port;
	pid_t c;

	need_root();
	port = serve_children();
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(go), "pipe");
	c = userns_child(userns_asker, ready, go);
	assert_true(c > 0, "fork");
	answer(port, MAPPED_UID, c, (uint32_t)c);
	expect_child_ok(c, MU_WAIT_MS * 2, "the namespace's process");
}

/* --- the host's ports ----------------------------------------------------- */

/* Root of a user namespace is not the host's administrator. */
static void userns_sets_no_host_port(void)
{
	mach_port_t before = MACH_PORT_NULL, after = MACH_PORT_NULL;
	mach_port_t mine = mu_port_send();

	expect_kr(KERN_SUCCESS, mach_host_get_bootstrap_port(&before), "the host default");
	expect_kr(KERN_NO_ACCESS, mach_host_set_bootstrap_port(mine),
		  "refused inside a user namespace, even as its root");
	expect_kr(KERN_SUCCESS, mach_host_get_bootstrap_port(&after), "the host default again");
	expect_eq(before, after, "unchanged");
}

static void host_port_from_userns(void)
{
	int ready[2], go[2];
	pid_t c;

	need_root();
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(go), "pipe");
	c = userns_child(userns_sets_no_host_port, ready, go);
	assert_true(c > 0, "fork");
	expect_child_ok(c, MU_WAIT_MS, "the namespace's process");
}

static const struct mt_case cases[] = {
	MT_CASE(pid_namespace),
	MT_CASE(user_namespace),
	MT_CASE(host_port_from_userns),
};

int main(void)
{
	return MT_RUN(cases);
}
