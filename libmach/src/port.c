/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Single-right operations: allocate, deallocate, destroy, reference counts,
 * type, and moving rights in and out of a space.  Each is one ioctl whose
 * result is the kern_return_t (see _mach_port_call for errno failures).
 */
#include <linux/mach.h>

#include "internal.h"

static kern_return_t right_call(unsigned long request, struct mach_port_right_args *a)
{
	return _mach_port_call(request, a);
}

MACH_EXPORT kern_return_t
mach_port_allocate(ipc_space_t task, mach_port_right_t right, mach_port_name_t *name)
{
	struct mach_port_right_args a = { .task = task, .right = right };
	kern_return_t kr;

	if (name == NULL)
		return KERN_INVALID_ADDRESS;
	kr = right_call(MACH_IOC_PORT_ALLOCATE, &a);
	if (kr == KERN_SUCCESS)
		*name = a.name;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_allocate_name(ipc_space_t task, mach_port_right_t right, mach_port_name_t name)
{
	struct mach_port_right_args a = { .task = task, .name = name, .right = right };

	return right_call(MACH_IOC_PORT_ALLOCATE_NAME, &a);
}

MACH_EXPORT kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	struct mach_port_right_args a = { .task = task, .name = name };

	return right_call(MACH_IOC_PORT_DEALLOCATE, &a);
}

MACH_EXPORT kern_return_t mach_port_destroy(ipc_space_t task, mach_port_name_t name)
{
	struct mach_port_right_args a = { .task = task, .name = name };

	return right_call(MACH_IOC_PORT_DESTROY, &a);
}

MACH_EXPORT kern_return_t
mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
		   mach_port_right_t right, mach_port_delta_t delta)
{
	struct mach_port_right_args a = {
		.task = task, .name = name, .right = right, .delta = delta,
	};

	return right_call(MACH_IOC_PORT_MOD_REFS, &a);
}

MACH_EXPORT kern_return_t
mach_port_get_refs(ipc_space_t task, mach_port_name_t name,
		   mach_port_right_t right, mach_port_urefs_t *refs)
{
	struct mach_port_right_args a = { .task = task, .name = name, .right = right };
	kern_return_t kr;

	if (refs == NULL)
		return KERN_INVALID_ADDRESS;
	kr = right_call(MACH_IOC_PORT_GET_REFS, &a);
	if (kr == KERN_SUCCESS)
		*refs = a.result;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *ptype)
{
	struct mach_port_right_args a = { .task = task, .name = name };
	kern_return_t kr;

	if (ptype == NULL)
		return KERN_INVALID_ADDRESS;
	kr = right_call(MACH_IOC_PORT_TYPE, &a);
	if (kr == KERN_SUCCESS && task == mach_task_self() && _mach_kobject_name(name)) {
		/* a kernel object's port: the receive right is libmach's, not ours */
		a.result &= ~(__u32)MACH_PORT_TYPE_RECEIVE;
		if ((a.result & MACH_PORT_TYPE_ALL_RIGHTS) == 0)
			return KERN_INVALID_NAME;
	}
	if (kr == KERN_SUCCESS)
		*ptype = a.result;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_insert_right(ipc_space_t task, mach_port_name_t name,
		       mach_port_t poly, mach_msg_type_name_t polyPoly)
{
	struct mach_port_xfer_args a = {
		.task = task, .name = name, .poly = poly, .disposition = polyPoly,
	};

	return _mach_port_call(MACH_IOC_PORT_INSERT_RIGHT, &a);
}

MACH_EXPORT kern_return_t
mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
			mach_msg_type_name_t msgt_name, mach_port_t *poly,
			mach_msg_type_name_t *polyPoly)
{
	struct mach_port_xfer_args a = {
		.task = task, .name = name, .disposition = msgt_name,
	};
	kern_return_t kr;

	if (poly == NULL || polyPoly == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_PORT_EXTRACT_RIGHT, &a);
	if (kr == KERN_SUCCESS) {
		*poly = a.poly;
		*polyPoly = a.disposition;
	}
	return kr;
}

/* A fresh receive right in our own space: the reply port of a one-off RPC. */
MACH_EXPORT mach_port_name_t mach_reply_port(void)
{
	mach_port_name_t name = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
			       &name) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}
