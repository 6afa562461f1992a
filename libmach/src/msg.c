/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_msg() and mach_msg_overwrite(): one MACH_IOC_MSG ioctl per attempt.
 *
 * The ioctl's non-negative result is the mach_msg_return_t.  As on macOS,
 * the library (not the kernel) implements MACH_SEND_INTERRUPT and
 * MACH_RCV_INTERRUPT: without them an interrupted phase is restarted; an
 * interrupted receive is restarted as a receive only, because the send
 * already happened.
 *
 * If the ioctl itself fails (no /dev/mach, bad argument address, wrong
 * process) there is no Mach code for it; we answer MACH_SEND_INVALID_DEST
 * for anything that sends and MACH_RCV_INVALID_NAME for a pure receive,
 * the codes a caller already handles for "that port is unusable".
 */
#include <stdint.h>

#include <linux/mach.h>

#include "internal.h"

static mach_msg_return_t msg_ioctl(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				   mach_port_name_t notify, mach_msg_header_t *rcv_msg)
{
	struct mach_ioc_msg args = {
		.send_msg = (uintptr_t)msg,
		.rcv_msg = (uintptr_t)rcv_msg,
		/* The interrupt bits are ours; keep them off the kernel's path. */
		.option = (__u32)option & ~(__u32)(MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT),
		.send_size = (option & MACH_SEND_MSG) ? send_size : 0,
		.rcv_size = (option & MACH_RCV_MSG) ? rcv_size : 0,
		.rcv_name = (option & MACH_RCV_MSG) ? rcv_name : MACH_PORT_NULL,
		.timeout = timeout,
		/* Only meaningful with MACH_SEND_NOTIFY; callers often pass junk. */
		.notify = (option & MACH_SEND_NOTIFY) ? notify : MACH_PORT_NULL,
	};
	int ret = _mach_ioctl(MACH_IOC_MSG, &args, 0);

	if (ret >= 0)
		return (mach_msg_return_t)ret;
	return (option & MACH_SEND_MSG) ? MACH_SEND_INVALID_DEST : MACH_RCV_INVALID_NAME;
}

MACH_EXPORT mach_msg_return_t
mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
		   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
		   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
		   mach_port_name_t notify, mach_msg_header_t *rcv_msg,
		   mach_msg_size_t rcv_limit)
{
	mach_msg_return_t mr;

	(void)rcv_limit;	/* scatter-receive size: obsolete, as on macOS */
	if (rcv_msg == NULL)
		rcv_msg = msg;

	mr = msg_ioctl(msg, option, send_size, rcv_size, rcv_name, timeout,
		       notify, rcv_msg);

	while (mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT))
		mr = msg_ioctl(msg, option, send_size, rcv_size, rcv_name,
			       timeout, notify, rcv_msg);

	while (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))
		mr = msg_ioctl(msg, option & ~MACH_SEND_MSG, 0, rcv_size,
			       rcv_name, timeout, notify, rcv_msg);

	return mr;
}

MACH_EXPORT mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
	 mach_msg_size_t send_size, mach_msg_size_t rcv_size,
	 mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
	 mach_port_name_t notify)
{
	return mach_msg_overwrite(msg, option, send_size, rcv_size, rcv_name,
				  timeout, notify, NULL, 0);
}

/*
 * The traps: one attempt, no restart.  The kernel reports an interrupted
 * phase as MACH_SEND_INTERRUPTED or MACH_RCV_INTERRUPTED itself.
 */
MACH_EXPORT mach_msg_return_t
mach_msg_overwrite_trap(mach_msg_header_t *msg, mach_msg_option_t option,
			mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			mach_msg_priority_t priority, mach_msg_header_t *rcv_msg,
			mach_msg_size_t rcv_limit)
{
	(void)rcv_limit;
	return msg_ioctl(msg, option, send_size, rcv_size, rcv_name, timeout,
			 priority, rcv_msg ? rcv_msg : msg);
}

MACH_EXPORT mach_msg_return_t
mach_msg_trap(mach_msg_header_t *msg, mach_msg_option_t option,
	      mach_msg_size_t send_size, mach_msg_size_t rcv_size,
	      mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
	      mach_port_name_t notify)
{
	return msg_ioctl(msg, option, send_size, rcv_size, rcv_name, timeout,
			 notify, msg);
}

MACH_EXPORT mach_msg_return_t mach_msg_send(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_SEND_MSG, msg->msgh_size, 0, MACH_PORT_NULL,
			MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

MACH_EXPORT mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg)
{
	return mach_msg(msg, MACH_RCV_MSG, 0, msg->msgh_size,
			msg->msgh_local_port, MACH_MSG_TIMEOUT_NONE,
			MACH_PORT_NULL);
}
