/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_port_fd(): a receive right or port set as a pollable descriptor
 * (see <mach/linux.h>).
 */
#include <errno.h>

#include <linux/mach.h>
#include <mach/linux.h>

#include "internal.h"

MACH_EXPORT kern_return_t
mach_port_fd(ipc_space_t task, mach_port_name_t name, int flags, int *fd)
{
	struct mach_port_fd_args a = {
		.task = task, .name = name, .flags = (__u32)flags, .fd = -1,
	};
	kern_return_t kr;

	if (fd == NULL)
		return KERN_INVALID_ARGUMENT;
	kr = _mach_port_call(MACH_IOC_PORT_FD, &a);
	if (kr == KERN_SUCCESS)
		*fd = a.fd;
	return kr;
}
