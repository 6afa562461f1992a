/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Linux-specific: the host default bootstrap port (MACH_IOC_HOST_*_SPECIAL). */
#include <errno.h>
#include <mach/mach_host.h>
#include <linux/mach.h>

#include "internal.h"

/* -EPERM is the capability check; say so instead of "invalid destination". */
static kern_return_t host_call(unsigned long request, struct mach_task_special_args *a)
{
	int ret = _mach_ioctl(request, a, 1);

	if (ret >= 0)
		return (kern_return_t)ret;
	return errno == EPERM ? KERN_NO_ACCESS : _mach_errno_to_kr(errno);
}

MACH_EXPORT kern_return_t mach_host_set_bootstrap_port(mach_port_t port)
{
	struct mach_task_special_args a = {
		.task = mach_task_self(), .which = TASK_BOOTSTRAP_PORT, .port = port,
	};

	return host_call(MACH_IOC_HOST_SET_SPECIAL, &a);
}

MACH_EXPORT kern_return_t mach_host_get_bootstrap_port(mach_port_t *port)
{
	struct mach_task_special_args a = {
		.task = mach_task_self(), .which = TASK_BOOTSTRAP_PORT,
	};
	kern_return_t kr;

	if (port == NULL)
		return KERN_INVALID_ADDRESS;
	kr = host_call(MACH_IOC_HOST_GET_SPECIAL, &a);
	*port = kr == KERN_SUCCESS ? a.port : MACH_PORT_NULL;
	return kr;
}
