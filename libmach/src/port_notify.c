/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_port_request_notification: arm dead-name, no-senders, ... requests;
 * and the copy-in helpers for calls whose macOS form is a MIG message.
 */
#include <stddef.h>
#include <string.h>

#include <linux/mach.h>

#include "internal.h"

/* MACH_SEND_INVALID_DEST when task does not name a task, else success. */
kern_return_t _mach_task_check(mach_port_t task)
{
	struct mach_port_right_args t = { .task = task };
	kern_return_t kr = _mach_port_call(MACH_IOC_PORT_TYPE, &t);

	return kr == MACH_SEND_INVALID_DEST || kr == KERN_INVALID_TASK ?
		kr : KERN_SUCCESS;
}

/*
 * Copy name in with disposition as a port descriptor of a message would,
 * and destroy the result, as a kernel server does with a request it
 * rejects: the send's result, MACH_MSG_SUCCESS when the copy-in worked.
 */
mach_msg_return_t _mach_port_copyin_probe(mach_port_name_t name,
					  mach_msg_type_name_t disposition)
{
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port;
		mach_msg_max_trailer_t		trailer;
	} m;
	mach_port_t sink = MACH_PORT_NULL;
	mach_msg_return_t mr;

	mr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &sink);
	if (mr != KERN_SUCCESS)
		return mr;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) |
			   MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = offsetof(typeof(m), trailer);
	m.head.msgh_remote_port = sink;
	m.body.msgh_descriptor_count = 1;
	m.port.name = name;
	m.port.disposition = disposition;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.head.msgh_size,
		      0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS &&
	    mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), sink,
		     0, MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		mach_msg_destroy(&m.head);
	(void)mach_port_mod_refs(mach_task_self(), sink, MACH_PORT_RIGHT_RECEIVE, -1);
	return mr;
}

/*
 * XNU's trap takes only a send-once disposition for the notify right; any
 * other goes the MIG way: the request message carries notify with the
 * caller's disposition (so a bad task, a right the caller lacks or a bad
 * disposition fails the send), and the kernel's server stub then rejects
 * anything that did not arrive as a send-once right with MIG_TYPE_ERROR,
 * destroying what the message carried.  Do the same here.
 */
static kern_return_t mig_path_notify(mach_port_t task, mach_port_t notify,
				     mach_msg_type_name_t poly)
{
	kern_return_t kr = _mach_task_check(task);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = _mach_port_copyin_probe(notify, poly);
	return kr == MACH_MSG_SUCCESS ? MIG_TYPE_ERROR : kr;
}

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
	if (notifyPoly != MACH_MSG_TYPE_MAKE_SEND_ONCE &&
	    notifyPoly != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return mig_path_notify(task, notify, notifyPoly);
	kr = _mach_port_call(MACH_IOC_PORT_REQUEST_NOTIFY, &a);
	if (kr == KERN_SUCCESS)
		*previous = a.previous;
	return kr;
}
