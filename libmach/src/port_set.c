/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Port-set membership and mach_port_get_set_status, which lists members
 * with the same grow-and-retry scheme as mach_port_names.
 */
#include <stdint.h>

#include <linux/mach.h>

#include "internal.h"

#define MEMBERS_FIRST_GUESS	64
#define MEMBERS_MAX_TRIES	16

static kern_return_t member_call(unsigned long request, ipc_space_t task,
				 mach_port_name_t member, mach_port_name_t pset)
{
	struct mach_port_member_args a = {
		.task = task, .member = member, .pset = pset,
	};

	return _mach_port_call(request, &a);
}

MACH_EXPORT kern_return_t
mach_port_move_member(ipc_space_t task, mach_port_name_t member, mach_port_name_t after)
{
	return member_call(MACH_IOC_PORT_MOVE_MEMBER, task, member, after);
}

MACH_EXPORT kern_return_t
mach_port_insert_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset)
{
	return member_call(MACH_IOC_PORT_INSERT_MEMBER, task, name, pset);
}

MACH_EXPORT kern_return_t
mach_port_extract_member(ipc_space_t task, mach_port_name_t name, mach_port_name_t pset)
{
	return member_call(MACH_IOC_PORT_EXTRACT_MEMBER, task, name, pset);
}

MACH_EXPORT kern_return_t
mach_port_get_set_status(ipc_space_read_t task, mach_port_name_t name,
			 mach_port_name_array_t *members,
			 mach_msg_type_number_t *membersCnt)
{
	__u32 cap = MEMBERS_FIRST_GUESS;
	int tries;

	if (members == NULL || membersCnt == NULL)
		return KERN_INVALID_ADDRESS;

	for (tries = 0; tries < MEMBERS_MAX_TRIES; tries++) {
		size_t bytes = (size_t)cap * sizeof(mach_port_name_t);
		mach_port_name_t *buf = _mach_pages_alloc(bytes);
		struct mach_port_set_status_args a = {
			.task = task, .name = name, .count = cap,
			.members = (uintptr_t)buf,
		};
		kern_return_t kr;

		if (buf == NULL)
			return KERN_RESOURCE_SHORTAGE;
		kr = _mach_port_call(MACH_IOC_PORT_SET_STATUS, &a);
		if (kr == KERN_SUCCESS && a.count <= cap) {
			if (a.count == 0) {
				_mach_pages_free(buf, bytes);
				buf = NULL;
			} else {
				_mach_pages_trim(buf, bytes,
						 (size_t)a.count * sizeof(mach_port_name_t));
			}
			*members = buf;
			*membersCnt = a.count;
			return KERN_SUCCESS;
		}
		_mach_pages_free(buf, bytes);
		if (kr != KERN_SUCCESS)
			return kr;
		if (a.count > UINT32_MAX / 2 / sizeof(mach_port_name_t))
			return KERN_RESOURCE_SHORTAGE;
		cap = a.count + a.count / 4 + 16;
	}
	return KERN_RESOURCE_SHORTAGE;
}
