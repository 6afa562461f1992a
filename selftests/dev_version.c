// SPDX-License-Identifier: GPL-2.0
/*
 * dev_version - /dev/mach exists as everyone's device and answers
 * MACH_IOC_VERSION as <linux/mach.h> promises; broken calls get the errno
 * the ABI names (ENOTTY for an unknown ioctl, EFAULT for a bad address).
 */
#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <termios.h>

#include "dev_util.h"
#include "mach_test.h"

static void device_node(void)
{
	struct stat st;

	assert_eq(0, stat(MACH_DEVICE_PATH, &st), "stat(" MACH_DEVICE_PATH ")");
	expect_true(S_ISCHR(st.st_mode), "a character device");
	/* Every process gets a Mach space, so every user may open it. */
	expect_eq(0666, st.st_mode & 07777, "mode");
}

static void version_fields(void)
{
	struct mach_ioc_version v;
	int fd = dev_open_ok();

	assert_true(fd >= 0, "open(" MACH_DEVICE_PATH ")");
	assert_eq(0, dev_version(fd, &v), "MACH_IOC_VERSION");
	expect_eq(MACH_ABI_VERSION, v.abi_version, "abi_version");
	expect_eq(getpid(), v.space_id, "space_id is the caller's tgid");
	for (int i = 0; i < 4; i++)
		expect_eq(0, v.reserved[i], "reserved[] written as zero");
	mt_diag("features 0x%x, max_inline %u", v.features, v.max_inline);
	close(fd);
}

static void *version_in_thread(void *arg)
{
	struct mach_ioc_version v;
	int fd = *(int *)arg;

	if (expect_eq(0, dev_version(fd, &v), "MACH_IOC_VERSION in a thread"))
		expect_eq(getpid(), v.space_id, "space_id is the tgid, not the tid");
	return NULL;
}

/* The space belongs to the process: a second thread sees the same id. */
static void version_from_thread(void)
{
	pthread_t t;
	int fd = dev_open_ok();

	assert_true(fd >= 0, "open");
	assert_eq(0, pthread_create(&t, NULL, version_in_thread, &fd),
		  "pthread_create");
	pthread_join(t, NULL);
	close(fd);
}

static void unknown_ioctl(void)
{
	struct termios tio;
	__u32 x = 0;
	int fd = dev_open_ok();

	assert_true(fd >= 0, "open");
	expect_errno(ioctl(fd, _IOR(MACH_IOC_MAGIC, 0x7f, __u32), &x), ENOTTY,
		     "unused number in the Mach range");
	expect_errno(ioctl(fd, _IOWR(MACH_IOC_MAGIC, 0x00, struct mach_ioc_version), &x),
		     ENOTTY, "VERSION number with the wrong direction bits");
	expect_errno(ioctl(fd, TCGETS, &tio), ENOTTY, "a tty ioctl");
	close(fd);
}

static void bad_address(void)
{
	int fd = dev_open_ok();

	assert_true(fd >= 0, "open");
	expect_errno(ioctl(fd, MACH_IOC_VERSION, NULL), EFAULT,
		     "MACH_IOC_VERSION(NULL)");
	expect_errno(ioctl(fd, MACH_IOC_VERSION, (void *)16), EFAULT,
		     "MACH_IOC_VERSION(unmapped)");
	expect_errno(ioctl(fd, MACH_IOC_TASK_SELF, NULL), EFAULT,
		     "MACH_IOC_TASK_SELF(NULL)");
	close(fd);
}

/*
 * task_self hands out a send right to the task port; as in XNU's
 * mach_task_self trap, the same space names the same port by one name.
 */
static void task_self_name(void)
{
	__u32 a = 0, b = 0;
	int fd = dev_open_ok();

	assert_true(fd >= 0, "open");
	assert_eq(0, ioctl(fd, MACH_IOC_TASK_SELF, &a), "MACH_IOC_TASK_SELF");
	expect_ne(0, a, "task self name is not MACH_PORT_NULL");
	expect_ne(0xffffffffu, a, "task self name is not MACH_PORT_DEAD");
	assert_eq(0, ioctl(fd, MACH_IOC_TASK_SELF, &b), "MACH_IOC_TASK_SELF again");
	expect_eq(a, b, "same name both times");
	close(fd);
}

static void reopen_after_close(void)
{
	struct mach_ioc_version v;

	for (int i = 0; i < 3; i++) {
		int fd = dev_open_ok();

		assert_true(fd >= 0, "open");
		expect_eq(0, dev_version(fd, &v), "MACH_IOC_VERSION");
		expect_eq(getpid(), v.space_id, "space_id");
		assert_eq(0, close(fd), "close");
	}
}

static const struct mt_case cases[] = {
	MT_CASE(device_node),
	MT_CASE(version_fields),
	MT_CASE(version_from_thread),
	MT_CASE(unknown_ioctl),
	MT_CASE(bad_address),
	MT_CASE(task_self_name),
	MT_CASE(reopen_after_close),
};

int main(void)
{
	return MT_RUN(cases);
}
