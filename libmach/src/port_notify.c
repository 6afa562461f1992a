/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* mach_port_request_notification: arm dead-name, no-senders, ... requests. */
#include <linux/mach.h>

#include "internal.h"

MACH_EXPORT kern_return_t
mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
			       mach_msg_id_t msgid, mach_port_mscount_t sync,
			       mach_port_t notify, mach_msg_type_name_t notifyPoly,
			       mach_port_t *previous)
{
	struct mach_port_notify_args a = {
		.task = task, .name = name, .msgid = (__u32)msgid, .sync = sync,
		.notify = notify, .notify_poly = notifyPoly,
	};
	kern_return_t kr;

	if (previous == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_PORT_REQUEST_NOTIFY, &a);
	if (kr == KERN_SUCCESS)
		*previous = a.previous;
	return kr;
}
