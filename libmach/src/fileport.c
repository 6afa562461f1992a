/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fileports (see <sys/fileport.h>): BSD calls, so -1 and errno on failure.
 */
#include <errno.h>

#include <linux/mach.h>
#include <sys/fileport.h>

#include "internal.h"

MACH_EXPORT int fileport_makeport(int fd, fileport_t *port)
{
	struct mach_fileport_args a = { .fd = fd };

	if (port == NULL) {
		errno = EFAULT;
		return -1;
	}
	if (_mach_ioctl(MACH_IOC_FILEPORT_MAKEPORT, &a, 1) < 0)
		return -1;
	*port = a.port;
	return 0;
}

MACH_EXPORT int fileport_makefd(fileport_t port)
{
	struct mach_fileport_args a = { .fd = -1, .port = port };

	if (_mach_ioctl(MACH_IOC_FILEPORT_MAKEFD, &a, 1) < 0)
		return -1;
	return a.fd;
}
