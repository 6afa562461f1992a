/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Port attributes: flavored get/set, the context word, construct/destruct
 * (allocation with options, and the guarded teardown that matches it).
 */
#include <stdint.h>

#include <linux/mach.h>

#include "internal.h"

MACH_EXPORT kern_return_t
mach_port_get_attributes(ipc_space_read_t task, mach_port_name_t name,
			 mach_port_flavor_t flavor, mach_port_info_t port_info_out,
			 mach_msg_type_number_t *port_info_outCnt)
{
	struct mach_port_attr_args a = {
		.task = task, .name = name, .flavor = (__u32)flavor,
	};
	kern_return_t kr;

	if (port_info_out == NULL || port_info_outCnt == NULL)
		return KERN_INVALID_ADDRESS;
	a.count = *port_info_outCnt;
	a.info = (uintptr_t)port_info_out;
	kr = _mach_port_call(MACH_IOC_PORT_GET_ATTR, &a);
	if (kr == KERN_SUCCESS)
		*port_info_outCnt = a.count;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_set_attributes(ipc_space_t task, mach_port_name_t name,
			 mach_port_flavor_t flavor, mach_port_info_t port_info,
			 mach_msg_type_number_t port_infoCnt)
{
	struct mach_port_attr_args a = {
		.task = task, .name = name, .flavor = (__u32)flavor,
		.count = port_infoCnt, .info = (uintptr_t)port_info,
	};

	return _mach_port_call(MACH_IOC_PORT_SET_ATTR, &a);
}

MACH_EXPORT kern_return_t
mach_port_get_context(ipc_space_read_t task, mach_port_name_t name,
		      mach_port_context_t *context)
{
	struct mach_port_context_args a = { .task = task, .name = name };
	kern_return_t kr;

	if (context == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_PORT_GET_CONTEXT, &a);
	if (kr == KERN_SUCCESS)
		*context = (mach_port_context_t)a.context;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_set_context(ipc_space_t task, mach_port_name_t name,
		      mach_port_context_t context)
{
	struct mach_port_context_args a = {
		.task = task, .name = name, .context = context,
	};

	return _mach_port_call(MACH_IOC_PORT_SET_CONTEXT, &a);
}

MACH_EXPORT kern_return_t
mach_port_construct(ipc_space_t task, mach_port_options_ptr_t options,
		    mach_port_context_t context, mach_port_name_t *name)
{
	struct mach_port_construct_args a = { .task = task, .context = context };
	kern_return_t kr;

	if (options == NULL || name == NULL)
		return KERN_INVALID_ADDRESS;
	a.flags = options->flags;
	a.qlimit = options->mpl.mpl_qlimit;
	kr = _mach_port_call(MACH_IOC_PORT_CONSTRUCT, &a);
	if (kr == KERN_SUCCESS)
		*name = a.name;
	return kr;
}

MACH_EXPORT kern_return_t
mach_port_destruct(ipc_space_t task, mach_port_name_t name,
		   mach_port_delta_t srdelta, mach_port_context_t guard)
{
	struct mach_port_construct_args a = {
		.task = task, .name = name, .context = guard, .srdelta = srdelta,
	};

	return _mach_port_call(MACH_IOC_PORT_DESTRUCT, &a);
}
