/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev_util.h - raw /dev/mach access for the foundation tests, which check
 * the ioctl ABI of <linux/mach.h> directly, without libmach in between.
 */
#ifndef DEV_UTIL_H
#define DEV_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/mach.h>

#include "mach_test.h"

static inline int dev_open(void)
{
	return open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

/* dev_open() that says why it failed; the caller's check then fails. */
static inline int dev_open_ok(void)
{
	int fd = dev_open();

	if (fd < 0)
		mt_diag("open(%s): %s%s", MACH_DEVICE_PATH, strerror(errno),
			errno == ENOENT ? " (is mach.ko loaded?)" : "");
	return fd;
}

/*
 * MACH_IOC_VERSION with the output pre-filled with a pattern, so that a
 * field the kernel forgot to write (reserved[] must come back zero) shows.
 */
static inline int dev_version(int fd, struct mach_ioc_version *v)
{
	memset(v, 0xa5, sizeof(*v));
	return ioctl(fd, MACH_IOC_VERSION, v);
}

#endif /* DEV_UTIL_H */
