// SPDX-License-Identifier: GPL-2.0
/*
 * dev_fork_rule - a Mach space belongs to the process that opened
 * /dev/mach.  A forked child that uses the inherited descriptor gets
 * EBADFD (it must open its own, as libmach does after fork); the parent's
 * descriptor keeps working; every thread of the opener may use it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "dev_util.h"
#include "mach_test.h"

#define CHILD_WAIT_MS	20000

/* In the child: every kind of ioctl on the parent's file is refused. */
static void expect_refused(int fd)
{
	struct mach_ioc_version v;
	struct mach_port_right_args ra = { 0 };
	__u32 name = 0;

	expect_errno(dev_version(fd, &v), EBADFD, "child: MACH_IOC_VERSION");
	expect_errno(ioctl(fd, MACH_IOC_TASK_SELF, &name), EBADFD,
		     "child: MACH_IOC_TASK_SELF");
	ra.right = 1;	/* MACH_PORT_RIGHT_RECEIVE */
	expect_errno(ioctl(fd, MACH_IOC_PORT_ALLOCATE, &ra), EBADFD,
		     "child: MACH_IOC_PORT_ALLOCATE");
}

static void expect_mine(int fd, const char *who)
{
	struct mach_ioc_version v;

	if (expect_eq(0, dev_version(fd, &v), who))
		expect_eq(getpid(), v.space_id, who);
}

static void child_gets_ebadfd(void)
{
	int fd = dev_open_ok();
	pid_t pid;

	assert_true(fd >= 0, "open");
	expect_mine(fd, "parent before fork");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		expect_refused(fd);
		mt_child_exit();
	}
	expect_child_ok(pid, CHILD_WAIT_MS, "child");
	/* The child's attempts (and its exit closing its copy) cost us nothing. */
	expect_mine(fd, "parent after the child");
	close(fd);
}

static void child_opens_its_own(void)
{
	int fd = dev_open_ok();
	pid_t pid;

	assert_true(fd >= 0, "open");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		int own = dev_open_ok();

		if (expect_true(own >= 0, "child: open"))
			expect_mine(own, "child: its own descriptor");
		/* Having a space of its own does not adopt the parent's file. */
		expect_refused(fd);
		if (own >= 0)
			expect_mine(own, "child: own descriptor still works");
		mt_child_exit();
	}
	expect_child_ok(pid, CHILD_WAIT_MS, "child");
	expect_mine(fd, "parent");
	close(fd);
}

/* The opener closing its descriptor does not hand the file to the child. */
static void parent_closes_first(void)
{
	int go[2], fd = dev_open_ok();
	pid_t pid;

	assert_true(fd >= 0, "open");
	assert_eq(0, pipe(go), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		close(go[1]);
		expect_true(mt_await(go[0], CHILD_WAIT_MS), "child: parent closed");
		expect_refused(fd);
		mt_child_exit();
	}
	close(go[0]);
	close(fd);
	mt_post(go[1]);
	expect_child_ok(pid, CHILD_WAIT_MS, "child");
	close(go[1]);
}

static void grandchild_opens_its_own(void)
{
	int fd = dev_open_ok();
	pid_t pid;

	assert_true(fd >= 0, "open");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		pid_t gpid = mt_fork();

		if (gpid == 0) {
			int own = dev_open_ok();

			expect_refused(fd);
			if (expect_true(own >= 0, "grandchild: open"))
				expect_mine(own, "grandchild: own descriptor");
			mt_child_exit();
		}
		if (expect_true(gpid > 0, "child: fork"))
			expect_child_ok(gpid, CHILD_WAIT_MS, "grandchild");
		mt_child_exit();
	}
	expect_child_ok(pid, CHILD_WAIT_MS * 2, "child");
	expect_mine(fd, "parent");
	close(fd);
}

#define NTHREADS	8
#define NCALLS		200

static int shared_fd;
static atomic_int thread_failures;

static void *hammer(void *arg)
{
	struct mach_ioc_version v;

	(void)arg;
	for (int i = 0; i < NCALLS; i++) {
		if (dev_version(shared_fd, &v) != 0 ||
		    v.space_id != (__u32)getpid()) {
			atomic_fetch_add(&thread_failures, 1);
			mt_diag("thread call %d failed (errno %d, space_id %u)",
				i, errno, v.space_id);
			break;
		}
	}
	return NULL;
}

static void threads_share_fd(void)
{
	pthread_t t[NTHREADS];
	int started = 0;

	shared_fd = dev_open_ok();
	assert_true(shared_fd >= 0, "open");
	for (int i = 0; i < NTHREADS; i++)
		if (expect_eq(0, pthread_create(&t[i], NULL, hammer, NULL),
			      "pthread_create"))
			started++;
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	expect_eq(NTHREADS, started, "threads started");
	expect_eq(0, atomic_load(&thread_failures), "threads whose ioctl failed");
	close(shared_fd);
}

static const struct mt_case cases[] = {
	MT_CASE(child_gets_ebadfd),
	MT_CASE(child_opens_its_own),
	MT_CASE(parent_closes_first),
	MT_CASE(grandchild_opens_its_own),
	MT_CASE(threads_share_fd),
};

int main(void)
{
	return MT_RUN(cases);
}
