// SPDX-License-Identifier: GPL-2.0
/*
 * The routines that read or set one receive right's state: attributes,
 * context, guards, make-send count, sequence number, send-right count, and
 * peek at its queue.
 */

#include <linux/uaccess.h>
#include <linux/mach.h>
#include "kmsg.h"
#include "mqueue.h"
#include "port.h"
#include "port_ops.h"
#include "space.h"

static u32 mach_attr_needed(u32 flavor)
{
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO:
		return MACH_PORT_LIMITS_INFO_COUNT;
	case MACH_PORT_RECEIVE_STATUS:
		return MACH_PORT_RECEIVE_STATUS_COUNT;
	case MACH_PORT_DNREQUESTS_SIZE:
		return MACH_PORT_DNREQUESTS_SIZE_COUNT;
	case MACH_PORT_INFO_EXT:
		return MACH_PORT_INFO_EXT_COUNT;
	default:
		return 0;
	}
}

int mach_op_get_attr(struct mach_space *caller, struct mach_space *task,
		     void *p)
{
	struct mach_port_attr_args *a = p;
	u32 info[MACH_PORT_INFO_EXT_COUNT] = { 0 };
	u32 need = mach_attr_needed(a->flavor);
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	if (!need)
		return KERN_INVALID_ARGUMENT;
	if (a->count < need)
		return KERN_FAILURE;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;

	spin_lock(&port->lock);
	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		info[0] = port->qlimit;
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		info[0] = 0;
		break;
	default:	/* RECEIVE_STATUS and INFO_EXT's leading status */
		/* mps_pset: in any set (XNU reports a flag, not a name) */
		info[0] = !hlist_empty(&port->psets);
		info[1] = port->seqno;
		info[2] = port->mscount;
		info[3] = port->qlimit;
		info[4] = port->msgcount;
		info[5] = atomic_read(&port->sorights);
		info[6] = port->srights > 0;
		info[7] = !!mach_port_pdrequest(port);
		info[8] = !!mach_port_nsrequest(port);
		/* mps_flags: MACH_PORT_STATUS_FLAG_GUARDED, _STRICT_GUARD */
		info[9] = (port->guarded ? 0x02 : 0) |
			  (port->strict_guard ? 0x04 : 0);
		break;
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);

	if (copy_to_user(u64_to_user_ptr(a->info), info, need * sizeof(u32)))
		return -EFAULT;
	a->count = need;
	return KERN_SUCCESS;
}

int mach_op_set_attr(struct mach_space *caller, struct mach_space *task,
		     void *p)
{
	struct mach_port_attr_args *a = p;
	struct mach_port *port;
	u32 qlimit = 0;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		if (a->count < MACH_PORT_LIMITS_INFO_COUNT)
			return KERN_FAILURE;
		if (get_user(qlimit, (u32 __user *)u64_to_user_ptr(a->info)))
			return -EFAULT;
		if (qlimit > MACH_PORT_QLIMIT_MAX)
			return KERN_INVALID_VALUE;
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		if (a->count < MACH_PORT_DNREQUESTS_SIZE_COUNT)
			return KERN_FAILURE;
		break;
	case MACH_PORT_TEMPOWNER:
	case MACH_PORT_IMPORTANCE_RECEIVER:
	case MACH_PORT_DENAP_RECEIVER:
		break;	/* scheduling hints with no meaning here */
	default:
		return KERN_INVALID_ARGUMENT;
	}
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	if (a->flavor == MACH_PORT_LIMITS_INFO) {
		bool snd_waiting;

		spin_lock(&port->lock);
		port->qlimit = qlimit;
		snd_waiting = port->snd_waiting;
		spin_unlock(&port->lock);
		mach_mqueue_wake_senders(port, snd_waiting);
	}
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

static int op_context(struct mach_space *caller, struct mach_space *task,
		      void *p, bool set)
{
	struct mach_port_context_args *a = p;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	/*
	 * The context is the guard of a guarded port: a strict guard reads as
	 * 0 and cannot be overwritten (XNU raises kGUARD_EXC_SET_CONTEXT), an
	 * ordinary one reads and can be changed through the context.
	 */
	kr = KERN_SUCCESS;
	spin_lock(&port->lock);
	if (!set)
		a->context = port->strict_guard ? 0 : port->context;
	else if (port->strict_guard)
		kr = KERN_INVALID_ARGUMENT;
	else
		port->context = a->context;
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return kr;
}

int mach_op_get_context(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	return op_context(caller, task, p, false);
}

int mach_op_set_context(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	return op_context(caller, task, p, true);
}

/* Set a receive right's make-send count or sequence number. */
static int mach_set_port_count(struct mach_space *task, void *p, bool seqno)
{
	struct mach_port_count_args *a = p;
	struct mach_port *port;
	int kr;

	port = mach_op_receive_valid(task, a->name, &kr);
	if (!port)
		return kr;
	spin_lock(&port->lock);
	if (seqno)
		port->seqno = a->value;
	else
		port->mscount = a->value;
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

int mach_op_set_mscount(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	return mach_set_port_count(task, p, false);
}

int mach_op_set_seqno(struct mach_space *caller, struct mach_space *task,
		      void *p)
{
	return mach_set_port_count(task, p, true);
}

/* XNU checks no name here: MACH_PORT_NULL and _DEAD are INVALID_NAME. */
int mach_op_get_srights(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	struct mach_port_count_args *a = p;
	struct mach_port *port;
	int kr;

	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	spin_lock(&port->lock);
	a->value = port->srights;
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

/* The stored trailer's msgh_trailer_size (MACH_MSG_TRAILER_MINIMUM_SIZE). */
#define MACH_PEEK_TRAILER_SIZE	8

/*
 * mach_port_peek: the message with sequence number 'seqno' (0: the first
 * one) stays queued; its size, id and trailer are reported.  As in XNU the
 * trailer is the one stored with the message, so its msgh_trailer_size is
 * the minimum (8) whatever was asked, and nothing past the audit trailer
 * (the context) can be asked for.
 */
int mach_op_peek(struct mach_space *caller, struct mach_space *task, void *p)
{
	struct mach_port_peek_args *a = p;
	u32 trailer[MACH_TRAILER_MAX_SIZE / sizeof(u32)];
	struct mach_kmsg *kmsg, *found = NULL;
	struct mach_port *port;
	u32 size, seqno, off;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	size = mach_trailer_size(a->trailer_type);
	if (MACH_RCV_TRAILER_ELEMENTS(a->trailer_type) >
	    MACH_RCV_TRAILER_AUDIT || size > a->trailer_size)
		return KERN_INVALID_VALUE;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;

	spin_lock(&port->lock);
	seqno = a->seqno;
	off = seqno - port->seqno;
	if (!seqno) {
		seqno = port->seqno;
		off = 0;
	}
	if (off < port->msgcount) {
		for (kmsg = port->msgs.head; kmsg; kmsg = kmsg->next) {
			if (!off--) {
				found = kmsg;
				break;
			}
		}
	}
	if (found) {
		a->seqno = seqno;
		a->size = found->size;
		a->id = found->hdr->id;
		mach_trailer_fill(trailer, found, a->trailer_type, seqno, 0);
		trailer[1] = MACH_PEEK_TRAILER_SIZE;
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);

	if (!found)
		return KERN_FAILURE;
	if (copy_to_user(u64_to_user_ptr(a->trailer), trailer, size))
		return -EFAULT;
	a->trailer_size = size;
	return KERN_SUCCESS;
}

/* mach_port_guard_with_flags() flags */
#define MACH_MPG_STRICT		0x01

/* Guards live in the context word; a port with a context cannot be guarded. */
int mach_op_guard(struct mach_space *caller, struct mach_space *task, void *p)
{
	struct mach_port_guard_args *a = p;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	spin_lock(&port->lock);
	if (port->context) {
		kr = KERN_INVALID_ARGUMENT;
	} else {
		port->context = a->guard;
		port->guarded = true;
		port->strict_guard = !!(a->guard_flags & MACH_MPG_STRICT);
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return kr;
}

/*
 * unguard and swap_guard.  XNU raises EXC_GUARD (kGUARD_EXC_UNGUARDED,
 * _INCORRECT_GUARD, _SET_CONTEXT) as it returns KERN_INVALID_ARGUMENT;
 * the return code is all that is reproduced here.
 */
static int op_unguard(struct mach_space *caller, struct mach_space *task,
		      void *p, bool swap)
{
	struct mach_port_guard_args *a = p;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	kr = KERN_INVALID_ARGUMENT;
	spin_lock(&port->lock);
	if (!port->guarded || (swap && port->strict_guard) ||
	    port->context != a->guard) {
		/* wrong state or guard: nothing changes */
	} else if (swap) {
		port->context = a->new_guard;
		kr = KERN_SUCCESS;
	} else {
		port->context = 0;
		port->guarded = false;
		port->strict_guard = false;
		kr = KERN_SUCCESS;
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return kr;
}

int mach_op_unguard_port(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	return op_unguard(caller, task, p, false);
}

int mach_op_swap_guard(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	return op_unguard(caller, task, p, true);
}
