// SPDX-License-Identifier: GPL-2.0
/*
 * task_for_pid_xuser - task_for_pid across users: who may have whose task
 * port (docs/security.md, "Task ports").
 *
 * The rule is ptrace's: the caller's real uid and gid equal the target's
 * real, effective and saved ones, or the caller has CAP_SYS_PTRACE over the
 * target's user namespace; and then the target is dumpable, or the caller
 * has CAP_SYS_PTRACE over the namespace the target's mm belongs to.  A
 * process that dropped from root with setuid() is not dumpable (macOS's
 * counterpart: a process that changed credentials, P_SUGID, is refused).
 * Every refusal is KERN_FAILURE with MACH_PORT_NULL, as on macOS.
 *
 * The program runs as root and makes processes of other users with
 * setgid()/setuid().  Each of them opens /dev/mach itself and first checks
 * that it has a space (task_for_pid on itself), so that a refusal is seen to
 * come from the rule and not from a process that could not open the device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg_util.h"

#define USER		1000	/* the harness's "mach" user */
#define OTHER_GID	1001
#define STEP_MS		20000

static void need_root(void)
{
	if (geteuid() != 0)
		mt_skip("needs root to make processes of other users");
}

/* Become uid/gid with no supplementary groups; false (and a failure) if not. */
static bool become(uid_t uid, gid_t gid)
{
	return expect_eq(0, setgroups(0, NULL), "setgroups") &&
	       expect_eq(0, setgid(gid), "setgid") &&
	       expect_eq(0, setuid(uid), "setuid") &&
	       expect_eq(uid, getuid(), "the new uid");
}

/* This process has a Mach space of its own and can name itself. */
static bool have_space(void)
{
	mach_port_t t = MACH_PORT_NULL;
	int pid = -1;

	if (mach_task_self() == MACH_PORT_NULL) {
		int fd = open("/dev/mach", O_RDWR | O_CLOEXEC);

		mt_fail_at(__FILE__, __LINE__, "uid %d has no Mach space: open(\"/dev/mach\"): %s",
			   (int)getuid(), fd < 0 ? strerror(errno) : "works now");
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (!expect_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), getpid(), &t),
		       "task_for_pid on itself"))
		return false;
	expect_eq(mach_task_self(), t, "its own task port");
	expect_kr(KERN_SUCCESS, pid_for_task(t, &pid), "pid_for_task on itself");
	return expect_eq(getpid(), pid, "its own pid");
}

/* task_for_pid(pid) must be refused: KERN_FAILURE and MACH_PORT_NULL. */
static void expect_refused(pid_t pid, const char *desc)
{
	mach_port_t t = 0x1234;

	expect_kr(KERN_FAILURE, task_for_pid(mach_task_self(), pid, &t), desc);
	expect_eq(MACH_PORT_NULL, t, "no name given back");
}

/* task_for_pid(pid) must work, and pid_for_task must give pid back. */
static void expect_allowed(pid_t pid, const char *desc)
{
	mach_port_t t = MACH_PORT_NULL;
	mach_port_type_t type;
	int back = -1;

	if (!expect_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &t), desc))
		return;
	expect_ne(mach_task_self(), t, "not our own task port");
	expect_kr(KERN_SUCCESS, mach_port_type(mach_task_self(), t, &type), "type");
	expect_eq(MACH_PORT_TYPE_SEND, type, "a send right");
	expect_kr(KERN_SUCCESS, pid_for_task(t, &back), "pid_for_task");
	expect_eq(pid, back, "pid_for_task gives the target's pid back");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), t),
		  "deallocate the task port");
}

/*
 * A target process of uid/gid: it opens /dev/mach, sets its dumpable flag
 * (-1: leaves it as setuid() left it), says it is ready and waits to be
 * killed.  Returns its pid once it is ready, or -1 after a failed check.
 */
static pid_t spawn_target(uid_t uid, gid_t gid, int dumpable)
{
	int ready[2];
	pid_t pid;

	if (!expect_eq(0, pipe(ready), "pipe"))
		return -1;
	pid = mt_fork();
	if (pid == 0) {
		close(ready[0]);
		if (!become(uid, gid))
			mt_child_exit();
		if (dumpable >= 0)
			expect_eq(0, prctl(PR_SET_DUMPABLE, dumpable), "PR_SET_DUMPABLE");
		if (!have_space())
			mt_child_exit();
		mt_post(ready[1]);
		pause();
		_exit(0);
	}
	close(ready[1]);
	if (!expect_true(pid > 0, "fork the target") ||
	    !expect_true(mt_await(ready[0], STEP_MS), "the target is ready")) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

static void end_target(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * From a process of uid/gid, task_for_pid(target) must be allowed or
 * refused.
 */
static void check_from(uid_t uid, gid_t gid, pid_t target, bool allowed,
		       const char *desc)
{
	pid_t pid = mt_fork();

	if (pid == 0) {
		if (become(uid, gid) && have_space()) {
			if (allowed)
				expect_allowed(target, desc);
			else
				expect_refused(target, desc);
		}
		mt_child_exit();
	}
	if (expect_true(pid > 0, "fork the caller"))
		expect_child_ok(pid, STEP_MS, desc);
}

/* (a) An unprivileged process may not have root's task port. */
static void refused_for_other_user(void)
{
	need_root();
	assert_true(have_space(), "root has a space");
	check_from(USER, USER, getpid(), false,
		   "uid 1000 gets KERN_FAILURE for root's task");
}

/*
 * The caller's credentials at the call count, not those it had when it
 * opened /dev/mach: a process that got its space as root and then dropped
 * to uid 1000 is refused root's task port.
 */
static void refused_after_dropping_root(void)
{
	pid_t root_pid = getpid(), pid;

	need_root();
	assert_true(have_space(), "root has a space");
	pid = mt_fork();
	if (pid == 0) {
		if (have_space() && become(USER, USER)) {
			expect_eq(0, prctl(PR_GET_DUMPABLE), "not dumpable after setuid");
			expect_refused(root_pid, "uid 1000 that opened /dev/mach as root gets KERN_FAILURE");
			have_space();	/* and it still reaches itself */
		}
		mt_child_exit();
	}
	assert_true(pid > 0, "fork");
	expect_child_ok(pid, STEP_MS, "the process that dropped to uid 1000");
}

/*
 * (b) Root, with CAP_SYS_PTRACE, may have an unprivileged process's task
 * port, even though that process is not dumpable (it left root by setuid).
 */
static void allowed_with_cap_sys_ptrace(void)
{
	pid_t target;

	need_root();
	assert_true(have_space(), "root has a space");
	target = spawn_target(USER, USER, -1);
	assert_true(target > 0, "a uid 1000 target");
	expect_allowed(target, "root gets uid 1000's task port");
	end_target(target);
}

/* The same uid and gid, and a dumpable target: allowed. */
static void same_user_dumpable_allowed(void)
{
	pid_t target;

	need_root();
	target = spawn_target(USER, USER, 1);
	assert_true(target > 0, "a dumpable uid 1000 target");
	check_from(USER, USER, target, true,
		   "uid 1000 gets a dumpable uid 1000 process's task port");
	end_target(target);
}

/*
 * The same uid and gid but a target that changed credentials (setuid() from
 * root cleared its dumpable flag): refused, as ptrace refuses it.
 */
static void same_user_not_dumpable_refused(void)
{
	pid_t target;

	need_root();
	target = spawn_target(USER, USER, -1);
	assert_true(target > 0, "a uid 1000 target that left root");
	check_from(USER, USER, target, false,
		   "uid 1000 gets KERN_FAILURE for a non-dumpable uid 1000 process");
	end_target(target);
}

/* The same uid but another gid: refused (all ids must match). */
static void other_gid_refused(void)
{
	pid_t target;

	need_root();
	target = spawn_target(USER, OTHER_GID, 1);
	assert_true(target > 0, "a dumpable uid 1000, gid 1001 target");
	check_from(USER, USER, target, false,
		   "uid 1000 gid 1000 gets KERN_FAILURE for gid 1001");
	end_target(target);
}

/*
 * CAP_SYS_PTRACE over the target's user namespace is not enough when the
 * target is not dumpable and its mm belongs to an outer namespace.
 *
 * An unprivileged process U creates a user namespace (and so holds every
 * capability in it); a root process R joins that namespace with setns().
 * R's credentials are then in U's namespace, but its mm still belongs to
 * the initial one.  ptrace lets U attach to R only while R is dumpable;
 * task_for_pid must do the same.  Returns the caller's exit code.
 */
static int userns_case(int dumpable)
{
	int u_ready[2], u_go[2], r_ready[2];
	pid_t u, r = -1;
	int code = 1;

	if (pipe(u_ready) || pipe(u_go) || pipe(r_ready)) {
		mt_fail_at(__FILE__, __LINE__, "pipe: %s", strerror(errno));
		return 1;
	}
	u = mt_fork();
	if (u == 0) {
		close(u_ready[0]);
		close(u_go[1]);
		if (!become(USER, USER) || !have_space())
			mt_child_exit();
		if (unshare(CLONE_NEWUSER) != 0) {
			mt_diag("unshare(CLONE_NEWUSER) as uid 1000: %s", strerror(errno));
			_exit(MT_EXIT_SKIP);
		}
		mt_post(u_ready[1]);
		if (read(u_go[0], &r, sizeof(r)) != sizeof(r)) {
			mt_diag("no target pid from the case");
			_exit(1);
		}
		if (dumpable)
			expect_allowed(r, "namespace root gets a dumpable joined process's task port");
		else
			expect_refused(r, "namespace root gets KERN_FAILURE for a non-dumpable joined process");
		mt_child_exit();
	}
	close(u_ready[1]);
	close(u_go[0]);
	if (u < 0 || !mt_await(u_ready[0], STEP_MS))
		goto out;

	r = mt_fork();
	if (r == 0) {
		char path[64];
		int fd;

		close(u_go[1]);
		close(r_ready[0]);
		if (!have_space())
			mt_child_exit();
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)u);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (!expect_true(fd >= 0, "open the namespace") ||
		    !expect_eq(0, setns(fd, CLONE_NEWUSER), "setns into it"))
			mt_child_exit();
		close(fd);
		expect_eq(0, prctl(PR_SET_DUMPABLE, dumpable), "PR_SET_DUMPABLE");
		expect_eq(dumpable, prctl(PR_GET_DUMPABLE), "dumpable as set");
		mt_post(r_ready[1]);
		pause();
		_exit(0);
	}
	close(r_ready[1]);
	r_ready[1] = -1;
	if (r > 0 && expect_true(mt_await(r_ready[0], STEP_MS), "the joined process is ready") &&
	    write(u_go[1], &r, sizeof(r)) != sizeof(r))
		mt_fail_at(__FILE__, __LINE__, "write: %s", strerror(errno));
out:
	close(u_go[1]);		/* EOF: a caller still waiting gives up */
	if (u > 0)
		code = mt_wait(u, 2 * STEP_MS);
	if (r > 0)
		end_target(r);
	close(u_ready[0]);
	close(r_ready[0]);
	if (r_ready[1] >= 0)
		close(r_ready[1]);
	return code;
}

static void userns_root_needs_dumpable(void)
{
	int code;

	need_root();
	code = userns_case(1);
	if (code == MT_EXIT_SKIP)
		mt_skip("no unprivileged user namespaces here");
	expect_eq(0, code, "the control: allowed while the target is dumpable");
	code = userns_case(0);
	expect_eq(0, code, "refused once it is not dumpable");
}

static const struct mt_case cases[] = {
	MT_CASE(refused_for_other_user),
	MT_CASE(refused_after_dropping_root),
	MT_CASE(allowed_with_cap_sys_ptrace),
	MT_CASE(same_user_dumpable_allowed),
	MT_CASE(same_user_not_dumpable_refused),
	MT_CASE(other_gid_refused),
	MT_CASE(userns_root_needs_dumpable),
};

int main(void)
{
	return MT_RUN(cases);
}
