/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_port_space_info and mach_port_space_basic_info: the names of a space
 * with their types, user references and object identities, as lsmp-like
 * tools read them.
 */
#include <stdint.h>
#include <stdlib.h>

#include <linux/mach.h>

#include "internal.h"

#define SPACE_FIRST_GUESS	256
#define SPACE_MAX_TRIES		16

/* XNU's MACH_PORT_NGEN(MACH_PORT_DEAD): the generation bits of a name. */
#define GENNO_MASK		0xff

MACH_EXPORT kern_return_t
mach_port_space_info(ipc_space_read_t space, ipc_info_space_t *space_info,
		     ipc_info_name_array_t *table_info,
		     mach_msg_type_number_t *table_infoCnt,
		     ipc_info_tree_name_array_t *tree_info,
		     mach_msg_type_number_t *tree_infoCnt)
{
	__u32 cap = SPACE_FIRST_GUESS;

	if (space_info == NULL || table_info == NULL || table_infoCnt == NULL ||
	    tree_info == NULL || tree_infoCnt == NULL)
		return KERN_INVALID_ADDRESS;

	for (int tries = 0; tries < SPACE_MAX_TRIES; tries++) {
		struct mach_port_name_info *raw = calloc(cap, sizeof(*raw));
		struct mach_port_space_info_args a = {
			.task = space, .count = cap, .info = (uintptr_t)raw,
		};
		ipc_info_name_t *out = NULL;
		size_t bytes;
		kern_return_t kr;

		if (raw == NULL)
			return KERN_RESOURCE_SHORTAGE;
		kr = _mach_port_call(MACH_IOC_PORT_SPACE_INFO, &a);
		if (kr != KERN_SUCCESS || a.count > cap) {
			free(raw);
			if (kr != KERN_SUCCESS)
				return kr;
			/* grown meanwhile: ask again with room to spare */
			if (a.count > UINT32_MAX / 2 / sizeof(*out))
				return KERN_RESOURCE_SHORTAGE;
			cap = a.count + a.count / 4 + 16;
			continue;
		}
		bytes = (size_t)a.count * sizeof(*out);
		if (a.count != 0) {
			out = _mach_pages_alloc(bytes);
			if (out == NULL) {
				free(raw);
				return KERN_RESOURCE_SHORTAGE;
			}
		}
		for (__u32 i = 0; i < a.count; i++) {
			out[i] = (ipc_info_name_t){
				.iin_name = raw[i].name,
				.iin_type = raw[i].type,
				.iin_urefs = raw[i].urefs,
				.iin_object = raw[i].object,
			};
		}
		free(raw);
		space_info->iis_genno_mask = GENNO_MASK;
		space_info->iis_table_size = a.count;
		space_info->iis_table_next = a.table_max;
		space_info->iis_tree_size = 0;
		space_info->iis_tree_small = 0;
		space_info->iis_tree_hash = 0;
		*table_info = out;
		*table_infoCnt = a.count;
		*tree_info = NULL;
		*tree_infoCnt = 0;
		return KERN_SUCCESS;
	}
	return KERN_RESOURCE_SHORTAGE;
}

MACH_EXPORT kern_return_t
mach_port_space_basic_info(ipc_space_inspect_t task, ipc_info_space_basic_t *basic_info)
{
	struct mach_port_space_info_args a = { .task = task };
	kern_return_t kr;

	if (basic_info == NULL)
		return KERN_INVALID_ADDRESS;
	kr = _mach_port_call(MACH_IOC_PORT_SPACE_INFO, &a);
	if (kr != KERN_SUCCESS)
		return kr;
	basic_info->iisb_genno_mask = GENNO_MASK;
	basic_info->iisb_table_size = a.table_size;
	basic_info->iisb_table_next = a.table_max;
	basic_info->iisb_table_inuse = a.count;
	basic_info->iisb_reserved[0] = 0;
	basic_info->iisb_reserved[1] = 0;
	return KERN_SUCCESS;
}
