/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The less common receive-right routines: make-send count, sequence
 * number, send-right count, peeking at the queue, guards, and the qos
 * allocation forms.  Each is one ioctl; the kernel returns XNU's codes.
 */
#include <stdint.h>

#include <linux/mach.h>

#include "internal.h"

static kern_return_t count_call(unsigned long request, ipc_space_t task,
				mach_port_name_t name, __u32 *value)
{
	struct mach_port_count_args a = {
		.task = task, .name = name, .value = *value,
	};
	kern_return_t kr = _mach_port_call(request, &a);

	if (kr == KERN_SUCCESS)
		*value = a.value;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_set_mscount(ipc_space_t task, mach_port_name_t name,
		      mach_port_mscount_t mscount)
{
	__u32 v = mscount;

	return count_call(MACH_IOC_PORT_SET_MSCOUNT, task, name, &v);
}

MACH_EXPORT kern_return_t
mach_port_set_seqno(ipc_space_t task, mach_port_name_t name,
		    mach_port_seqno_t seqno)
{
	__u32 v = seqno;

	return count_call(MACH_IOC_PORT_SET_SEQNO, task, name, &v);
}

MACH_EXPORT kern_return_t
mach_port_get_srights(ipc_space_t task, mach_port_name_t name,
		      mach_port_rights_t *srights)
{
	__u32 v = 0;
	kern_return_t kr;

	if (srights == NULL)
		return KERN_INVALID_ADDRESS;
	kr = count_call(MACH_IOC_PORT_GET_SRIGHTS, task, name, &v);
	if (kr == KERN_SUCCESS)
		*srights = v;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_peek(ipc_space_t task, mach_port_name_t name,
	       mach_msg_trailer_type_t trailer_type,
	       mach_port_seqno_t *request_seqnop, mach_msg_size_t *msg_sizep,
	       mach_msg_id_t *msg_idp, mach_msg_trailer_info_t trailer_infop,
	       mach_msg_type_number_t *trailer_infopCnt)
{
	struct mach_port_peek_args a = {
		.task = task, .name = name, .trailer_type = trailer_type,
	};
	kern_return_t kr;

	if (request_seqnop == NULL || msg_sizep == NULL || msg_idp == NULL ||
	    trailer_infop == NULL || trailer_infopCnt == NULL)
		return KERN_INVALID_ADDRESS;
	/* MIG's CountInOut: the server sees at most the array's bound. */
	a.trailer_size = *trailer_infopCnt < sizeof(mach_msg_max_trailer_t) ?
			 *trailer_infopCnt : sizeof(mach_msg_max_trailer_t);
	a.seqno = *request_seqnop;
	a.trailer = (uintptr_t)trailer_infop;
	kr = _mach_port_call(MACH_IOC_PORT_PEEK, &a);
	if (kr == KERN_SUCCESS) {
		*request_seqnop = a.seqno;
		*msg_sizep = a.size;
		*msg_idp = a.id;
		*trailer_infopCnt = a.trailer_size;
	}
	return kr;
}

static kern_return_t guard_call(unsigned long request, ipc_space_t task,
				mach_port_name_t name, uint64_t guard,
				uint64_t new_guard, uint64_t flags)
{
	struct mach_port_guard_args a = {
		.task = task, .name = name, .guard = guard,
		.new_guard = new_guard, .guard_flags = (__u32)flags,
	};

	return _mach_port_call(request, &a);
}

MACH_EXPORT kern_return_t
mach_port_guard(ipc_space_t task, mach_port_name_t name,
		mach_port_context_t guard, boolean_t strict)
{
	return guard_call(MACH_IOC_PORT_GUARD, task, name, guard, 0,
			  strict ? MPG_STRICT : 0);
}

MACH_EXPORT kern_return_t
mach_port_guard_with_flags(ipc_space_t task, mach_port_name_t name,
			   mach_port_context_t guard, uint64_t flags)
{
	return guard_call(MACH_IOC_PORT_GUARD, task, name, guard, 0, flags);
}

MACH_EXPORT kern_return_t
mach_port_unguard(ipc_space_t task, mach_port_name_t name,
		  mach_port_context_t guard)
{
	return guard_call(MACH_IOC_PORT_UNGUARD, task, name, guard, 0, 0);
}

MACH_EXPORT kern_return_t
mach_port_swap_guard(ipc_space_t task, mach_port_name_t name,
		     mach_port_context_t old_guard, mach_port_context_t new_guard)
{
	return guard_call(MACH_IOC_PORT_SWAP_GUARD, task, name, old_guard,
			  new_guard, 0);
}

static kern_return_t alloc_full(ipc_space_t task, mach_port_right_t right,
				mach_port_t proto, mach_port_qos_t *qos,
				mach_port_name_t *name)
{
	struct mach_port_alloc_full_args a = {
		.task = task, .right = right, .proto = proto,
		.name = *name, .len = qos->len,
	};
	kern_return_t kr;

	if (qos->name)
		a.qos |= MACH_QOS_NAME;
	if (qos->prealloc)
		a.qos |= MACH_QOS_PREALLOC;
	kr = _mach_port_call(MACH_IOC_PORT_ALLOCATE_FULL, &a);
	if (kr == KERN_SUCCESS) {
		/* qos is in-out: XNU clears a prealloc request it ignored */
		qos->prealloc = !!(a.qos & MACH_QOS_PREALLOC);
		*name = a.name;
	}
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_allocate_full(ipc_space_t task, mach_port_right_t right,
			mach_port_t proto, mach_port_qos_t *qos,
			mach_port_name_t *name)
{
	if (qos == NULL || name == NULL)
		return KERN_INVALID_ADDRESS;
	if (proto != MACH_PORT_NULL) {
		/*
		 * macOS sends proto as a copied send right in a MIG request:
		 * a name that holds none fails the send; the kernel refuses
		 * any that arrives with KERN_INVALID_VALUE.
		 */
		kern_return_t kr = _mach_task_check(task);

		if (kr == KERN_SUCCESS)
			kr = _mach_port_copyin_probe(proto, MACH_MSG_TYPE_COPY_SEND);
		return kr == MACH_MSG_SUCCESS ? KERN_INVALID_VALUE : kr;
	}
	return alloc_full(task, right, proto, qos, name);
}

MACH_EXPORT kern_return_t
mach_port_allocate_qos(ipc_space_t task, mach_port_right_t right,
		       mach_port_qos_t *qos, mach_port_name_t *name)
{
	mach_port_name_t chosen = MACH_PORT_NULL;
	kern_return_t kr;

	if (qos == NULL || name == NULL)
		return KERN_INVALID_ADDRESS;
	if (qos->name) {
		/*
		 * The kernel picks the name here: XNU refuses a chosen one
		 * with KERN_INVALID_ARGUMENT, once the task is known good.
		 */
		struct mach_port_right_args t = { .task = task };

		kr = _mach_port_call(MACH_IOC_PORT_TYPE, &t);
		return kr == MACH_SEND_INVALID_DEST ? kr : KERN_INVALID_ARGUMENT;
	}
	kr = alloc_full(task, right, MACH_PORT_NULL, qos, &chosen);
	if (kr == KERN_SUCCESS)
		*name = chosen;
	return kr;
}
