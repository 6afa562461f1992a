// SPDX-License-Identifier: GPL-2.0
/*
 * dev_many_procs - 64 processes hold a Mach space at the same time; each
 * one's space is its own (space_id == its pid, task self port valid).
 */
#include <errno.h>
#include <stdio.h>

#include "dev_util.h"
#include "mach_test.h"

#define NPROCS		64
#define WAIT_MS		60000

/* Child: wait for "go", open, check, report ready, hold until released. */
static void child(int go_fd, int ready_fd, int release_fd)
{
	struct mach_ioc_version v;
	__u32 self = 0;
	int fd;

	/* All children block here; closing the pipe starts them together. */
	mt_await(go_fd, WAIT_MS);
	fd = dev_open_ok();
	if (expect_true(fd >= 0, "child: open")) {
		if (expect_eq(0, dev_version(fd, &v), "child: MACH_IOC_VERSION"))
			expect_eq(getpid(), v.space_id, "child: space_id");
		if (expect_eq(0, ioctl(fd, MACH_IOC_TASK_SELF, &self),
			      "child: MACH_IOC_TASK_SELF"))
			expect_ne(0, self, "child: task self name");
	}
	mt_post(ready_fd);
	/* Keep the space alive until every sibling has one too. */
	mt_await(release_fd, WAIT_MS);
	if (fd >= 0) {
		/* Still ours after the crowd came and went. */
		if (expect_eq(0, dev_version(fd, &v), "child: VERSION at the end"))
			expect_eq(getpid(), v.space_id, "child: space_id at the end");
		close(fd);
	}
	mt_child_exit();
}

static void many_spaces_at_once(void)
{
	int go[2], ready[2], release[2];
	pid_t pids[NPROCS];
	int nready = 0, started = 0;
	struct mach_ioc_version v;
	int fd;

	assert_eq(0, pipe(go), "pipe");
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(release), "pipe");
	for (int i = 0; i < NPROCS; i++) {
		pids[i] = mt_fork();
		if (pids[i] == 0) {
			close(go[1]);
			close(ready[0]);
			close(release[1]);
			child(go[0], ready[1], release[0]);
		}
		if (!expect_true(pids[i] > 0, "fork"))
			break;
		started++;
	}
	close(go[0]);
	close(ready[1]);
	close(release[0]);
	close(go[1]);				/* go */
	for (int i = 0; i < started; i++)
		if (mt_await(ready[0], WAIT_MS))
			nready++;
	expect_eq(started, nready, "children that opened and reported");
	close(release[1]);			/* release */
	for (int i = 0; i < started; i++) {
		char label[32];

		snprintf(label, sizeof(label), "child %d", i);
		expect_child_ok(pids[i], WAIT_MS, label);
	}
	close(ready[0]);
	expect_eq(NPROCS, started, "children started");

	/* The device is still fine for a newcomer. */
	fd = dev_open_ok();
	assert_true(fd >= 0, "open afterwards");
	if (expect_eq(0, dev_version(fd, &v), "VERSION afterwards"))
		expect_eq(getpid(), v.space_id, "space_id afterwards");
	close(fd);
}

static const struct mt_case cases[] = {
	MT_CASE_T(many_spaces_at_once, 300),
};

int main(void)
{
	return MT_RUN(cases);
}
