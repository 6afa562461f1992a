// SPDX-License-Identifier: GPL-2.0
/*
 * dev_open_close_storm - thousands of open/ioctl/close cycles from 4
 * processes x 4 threads at once, then descriptors closed while other
 * threads are inside ioctls on them.  Afterwards the device still works.
 * The checks are simple; the point is to give KASAN, lockdep and kmemleak
 * in the debug kernels something to chew on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "dev_util.h"
#include "mach_test.h"

#define NPROCS		4
#define NTHREADS	4
#define NCYCLES		256		/* per thread: 4096 in all */
#define WAIT_MS		240000

static atomic_int failures;

static void *cycle_thread(void *arg)
{
	struct mach_ioc_version v;

	(void)arg;
	for (int i = 0; i < NCYCLES; i++) {
		int fd = dev_open();

		if (fd < 0) {
			mt_diag("pid %d cycle %d: open: errno %d", getpid(), i, errno);
			atomic_fetch_add(&failures, 1);
			return NULL;
		}
		if (dev_version(fd, &v) != 0 || v.space_id != (__u32)getpid() ||
		    v.abi_version != MACH_ABI_VERSION) {
			mt_diag("pid %d cycle %d: VERSION failed (errno %d, id %u)",
				getpid(), i, errno, v.space_id);
			atomic_fetch_add(&failures, 1);
		}
		if (close(fd) != 0) {
			mt_diag("pid %d cycle %d: close: errno %d", getpid(), i, errno);
			atomic_fetch_add(&failures, 1);
		}
	}
	return NULL;
}

static void storm_process(void)
{
	pthread_t t[NTHREADS];
	int started = 0;

	for (int i = 0; i < NTHREADS; i++)
		if (expect_eq(0, pthread_create(&t[i], NULL, cycle_thread, NULL),
			      "pthread_create"))
			started++;
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	expect_eq(NTHREADS, started, "threads started");
	expect_eq(0, atomic_load(&failures), "failed cycles");
	mt_child_exit();
}

static void expect_device_works(void)
{
	struct mach_ioc_version v;
	int fd = dev_open_ok();

	assert_true(fd >= 0, "open afterwards");
	if (expect_eq(0, dev_version(fd, &v), "VERSION afterwards"))
		expect_eq(getpid(), v.space_id, "space_id afterwards");
	close(fd);
}

static void open_close_storm(void)
{
	pid_t pids[NPROCS];
	int started = 0;

	for (int i = 0; i < NPROCS; i++) {
		pids[i] = mt_fork();
		if (pids[i] == 0)
			storm_process();
		if (!expect_true(pids[i] > 0, "fork"))
			break;
		started++;
	}
	for (int i = 0; i < started; i++) {
		char label[32];

		snprintf(label, sizeof(label), "storm process %d", i);
		expect_child_ok(pids[i], WAIT_MS, label);
	}
	expect_eq(NPROCS, started, "processes started");
	expect_device_works();
}

/* --- close a descriptor under threads that are using it ---------------- */

static atomic_int unexpected;
static atomic_bool stop;

static void *use_fd(void *arg)
{
	int fd = (int)(long)arg;
	struct mach_ioc_version v;

	while (!atomic_load(&stop)) {
		/* Before the close: success; after it: EBADF, nothing else. */
		if (dev_version(fd, &v) != 0 && errno != EBADF) {
			mt_diag("ioctl on a closing fd: errno %d", errno);
			atomic_fetch_add(&unexpected, 1);
			break;
		}
	}
	return NULL;
}

static void close_while_in_use(void)
{
	for (int round = 0; round < 20; round++) {
		pthread_t t[NTHREADS];
		int started = 0, fd = dev_open_ok();

		assert_true(fd >= 0, "open");
		atomic_store(&stop, false);
		for (int i = 0; i < NTHREADS; i++)
			if (expect_eq(0, pthread_create(&t[i], NULL, use_fd,
							(void *)(long)fd),
				      "pthread_create"))
				started++;
		mt_sleep_ms(20);
		expect_eq(0, close(fd), "close under use");
		mt_sleep_ms(5);
		atomic_store(&stop, true);
		for (int i = 0; i < started; i++)
			pthread_join(t[i], NULL);
		if (started != NTHREADS)
			return;
	}
	expect_eq(0, atomic_load(&unexpected), "unexpected ioctl errors");
	expect_device_works();
}

static const struct mt_case cases[] = {
	MT_CASE_T(open_close_storm, 300),
	MT_CASE_T(close_while_in_use, 120),
};

int main(void)
{
	return MT_RUN(cases);
}
