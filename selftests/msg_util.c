// SPDX-License-Identifier: GPL-2.0
/*
 * msg_util.c - see msg_util.h.
 */
#include <string.h>

#include "msg_util.h"

mach_port_t mu_port(void)
{
	mach_port_t name = MACH_PORT_NULL;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_allocate(mach_task_self(),
					  MACH_PORT_RIGHT_RECEIVE, &name),
		       "mach_port_allocate(RECEIVE)"))
		return MACH_PORT_NULL;
	return name;
}

mach_port_t mu_port_send(void)
{
	mach_port_t name = mu_port();

	if (name == MACH_PORT_NULL)
		return name;
	if (!expect_kr(KERN_SUCCESS,
		       mach_port_insert_right(mach_task_self(), name, name,
					      MACH_MSG_TYPE_MAKE_SEND),
		       "mach_port_insert_right(MAKE_SEND)"))
		return MACH_PORT_NULL;
	return name;
}

mach_msg_return_t mu_send(mach_port_t dest, mach_msg_type_name_t dest_disp,
			  mach_port_t local, mach_msg_type_name_t local_disp,
			  mach_msg_id_t id, uint32_t a, uint32_t b,
			  mach_msg_option_t extra, mach_msg_timeout_t timeout)
{
	struct mu_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(dest_disp, local_disp);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = dest;
	m.hdr.msgh_local_port = local;
	m.hdr.msgh_id = id;
	m.a = a;
	m.b = b;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT | extra,
			sizeof(m), 0, MACH_PORT_NULL, timeout, MACH_PORT_NULL);
}

mach_msg_return_t mu_recv(mach_port_t port, struct mu_rcv *r,
			  mach_msg_option_t extra, mach_msg_timeout_t timeout)
{
	memset(&r->hdr, 0, sizeof(r->hdr));
	return mach_msg(&r->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0,
			sizeof(*r), port, timeout, MACH_PORT_NULL);
}

mach_port_type_t mu_type(mach_port_t name)
{
	mach_port_type_t type = 0;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_type(mach_task_self(), name, &type),
		       "mach_port_type"))
		return 0;
	return type;
}

mach_port_urefs_t mu_refs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t refs = 0;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_get_refs(mach_task_self(), name, right, &refs),
		       "mach_port_get_refs"))
		return 0xdead;
	return refs;
}

mach_port_status_t mu_status(mach_port_t name)
{
	mach_port_status_t st;
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	memset(&st, 0, sizeof(st));
	if (!expect_kr(KERN_SUCCESS,
		       mach_port_get_attributes(mach_task_self(), name,
						MACH_PORT_RECEIVE_STATUS,
						(mach_port_info_t)&st, &count),
		       "mach_port_get_attributes(RECEIVE_STATUS)"))
		memset(&st, 0, sizeof(st));
	return st;
}

/* Fetch the name table; the arrays come out of line and must be freed. */
static int mu_names(mach_port_name_array_t *names, mach_port_type_array_t *types)
{
	mach_msg_type_number_t ncount = 0, tcount = 0;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_names(mach_task_self(), names, &ncount,
				       types, &tcount),
		       "mach_port_names"))
		return -1;
	expect_eq(ncount, tcount, "mach_port_names: as many types as names");
	return (int)ncount;
}

static void mu_names_free(mach_port_name_array_t names,
			  mach_port_type_array_t types, int count)
{
	vm_size_t size = (vm_size_t)count * sizeof(names[0]);

	if (count <= 0)
		return;
	expect_kr(KERN_SUCCESS,
		  vm_deallocate(mach_task_self(), (vm_address_t)names, size),
		  "vm_deallocate(names)");
	expect_kr(KERN_SUCCESS,
		  vm_deallocate(mach_task_self(), (vm_address_t)types, size),
		  "vm_deallocate(types)");
}

bool mu_names_find(mach_port_t name, mach_port_type_t *type)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	int count = mu_names(&names, &types);
	bool found = false;

	for (int i = 0; i < count; i++) {
		if (names[i] == name) {
			*type = types[i];
			found = true;
		}
	}
	mu_names_free(names, types, count);
	return found;
}

int mu_names_count(void)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	int count = mu_names(&names, &types);

	mu_names_free(names, types, count);
	return count;
}
