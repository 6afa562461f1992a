/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Client side of the netname calls (<servers/netname.h>): hand-written
 * stubs in the shape Apple's MIG emits for CMU's netname.defs (see
 * netname_msg.h), sent to machnetd with the thread's MIG reply port.
 */
#include <string.h>

#include <bootstrap.h>
#include <mach_debug/ipc_info.h>

#include "internal.h"
#include "netname_msg.h"

MACH_EXPORT mach_port_t name_server_port = MACH_PORT_NULL;

union netname_buf {
	mach_msg_header_t		head;
	netname_check_in_request_t	check_in;
	netname_look_up_request_t	look_up;
	netname_check_out_request_t	check_out;
	netname_version_request_t	version;
	netname_sender_host_request_t	sender_host;
	netname_look_up_reply_t		port_reply;
	netname_string_reply_t		string_reply;
	mig_reply_error_t		error_reply;
	uint8_t				room[sizeof(netname_look_up_request_t) +
					     sizeof(mach_msg_max_trailer_t) + 64];
};

static void rpc_header(union netname_buf *b, mach_port_t server, mach_msg_id_t id,
		       mach_msg_size_t size, int complex)
{
	b->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			    (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	b->head.msgh_size = size;
	b->head.msgh_remote_port = server;
	b->head.msgh_local_port = mig_get_reply_port();
	b->head.msgh_voucher_port = MACH_PORT_NULL;
	b->head.msgh_id = id;
}

/* Send and receive in one call; keep the reply port only if nothing can still arrive. */
static kern_return_t rpc(union netname_buf *b)
{
	mach_msg_return_t mr;

	mr = mach_msg(&b->head, MACH_SEND_MSG | MACH_RCV_MSG, b->head.msgh_size,
		      sizeof(*b), b->head.msgh_local_port, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		return KERN_SUCCESS;
	if (mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_INVALID_DATA ||
	    mr == MACH_SEND_INVALID_HEADER || mr == MACH_SEND_INVALID_RIGHT)
		mig_put_reply_port(b->head.msgh_local_port);
	else
		mig_dealloc_reply_port(b->head.msgh_local_port);
	return mr;
}

/* Common checks of every reply; returns KERN_SUCCESS when the caller may read it. */
static kern_return_t check_reply(union netname_buf *b, mach_msg_id_t id)
{
	if (b->head.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return MIG_SERVER_DIED;
	if (b->head.msgh_id != NETNAME_REPLY_ID(id)) {
		mach_msg_destroy(&b->head);
		return MIG_REPLY_MISMATCH;
	}
	return KERN_SUCCESS;
}

/* A simple reply carrying only a code (check_in, check_out, or any failure). */
static kern_return_t code_reply(union netname_buf *b, mach_msg_id_t id)
{
	kern_return_t kr = check_reply(b, id);

	if (kr != KERN_SUCCESS)
		return kr;
	if ((b->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    b->head.msgh_size != sizeof(mig_reply_error_t)) {
		mach_msg_destroy(&b->head);
		return MIG_TYPE_ERROR;
	}
	return b->error_reply.RetCode;
}

/* version and sender_host: a code and, on success, an 80-byte string. */
static kern_return_t string_reply(union netname_buf *b, mach_msg_id_t id, char *out)
{
	const netname_string_reply_t *r = &b->string_reply;
	kern_return_t kr = check_reply(b, id);

	if (kr != KERN_SUCCESS)
		return kr;
	if (!(b->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    b->head.msgh_size == sizeof(mig_reply_error_t) &&
	    b->error_reply.RetCode != KERN_SUCCESS)
		return b->error_reply.RetCode;
	if ((b->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    b->head.msgh_size != sizeof(*r)) {
		mach_msg_destroy(&b->head);
		return MIG_TYPE_ERROR;
	}
	if (r->RetCode != KERN_SUCCESS)
		return r->RetCode;
	mig_strncpy(out, r->name, NETNAME_NAME_LEN);
	return KERN_SUCCESS;
}

static void port_desc(mach_msg_port_descriptor_t *d, mach_port_t name,
		      mach_msg_type_name_t disposition)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->disposition = disposition;
	d->type = MACH_MSG_PORT_DESCRIPTOR;
}

MACH_EXPORT kern_return_t
netname_check_in(mach_port_t server_port, const char *port_name,
		 mach_port_t signature, mach_port_t port_id)
{
	union netname_buf b;
	kern_return_t kr;

	memset(&b, 0, sizeof(netname_check_in_request_t));
	rpc_header(&b, server_port, NETNAME_MSG_CHECK_IN,
		   sizeof(netname_check_in_request_t), 1);
	b.check_in.msgh_body.msgh_descriptor_count = 2;
	port_desc(&b.check_in.signature, signature, MACH_MSG_TYPE_COPY_SEND);
	port_desc(&b.check_in.port_id, port_id, MACH_MSG_TYPE_MAKE_SEND);
	b.check_in.NDR = NDR_record;
	mig_strncpy_zerofill(b.check_in.port_name, port_name, NETNAME_NAME_LEN);
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = code_reply(&b, NETNAME_MSG_CHECK_IN);
	return kr;
}

MACH_EXPORT kern_return_t
netname_look_up(mach_port_t server_port, const char *host_name,
		const char *port_name, mach_port_t *port_id)
{
	union netname_buf b;
	const netname_look_up_reply_t *r = &b.port_reply;
	kern_return_t kr;

	memset(&b, 0, sizeof(netname_look_up_request_t));
	rpc_header(&b, server_port, NETNAME_MSG_LOOK_UP,
		   sizeof(netname_look_up_request_t), 0);
	b.look_up.NDR = NDR_record;
	mig_strncpy_zerofill(b.look_up.host_name, host_name, NETNAME_NAME_LEN);
	mig_strncpy_zerofill(b.look_up.port_name, port_name, NETNAME_NAME_LEN);
	kr = rpc(&b);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!(b.head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		kr = code_reply(&b, NETNAME_MSG_LOOK_UP);
		/* A "success" without the port is a server bug, not success. */
		return kr == KERN_SUCCESS ? MIG_TYPE_ERROR : kr;
	}
	kr = check_reply(&b, NETNAME_MSG_LOOK_UP);
	if (kr != KERN_SUCCESS)
		return kr;
	if (b.head.msgh_size != sizeof(*r) || r->msgh_body.msgh_descriptor_count != 1 ||
	    r->port_id.type != MACH_MSG_PORT_DESCRIPTOR) {
		mach_msg_destroy(&b.head);
		return MIG_TYPE_ERROR;
	}
	*port_id = r->port_id.name;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
netname_check_out(mach_port_t server_port, const char *port_name,
		  mach_port_t signature)
{
	union netname_buf b;
	kern_return_t kr;

	memset(&b, 0, sizeof(netname_check_out_request_t));
	rpc_header(&b, server_port, NETNAME_MSG_CHECK_OUT,
		   sizeof(netname_check_out_request_t), 1);
	b.check_out.msgh_body.msgh_descriptor_count = 1;
	port_desc(&b.check_out.signature, signature, MACH_MSG_TYPE_COPY_SEND);
	b.check_out.NDR = NDR_record;
	mig_strncpy_zerofill(b.check_out.port_name, port_name, NETNAME_NAME_LEN);
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = code_reply(&b, NETNAME_MSG_CHECK_OUT);
	return kr;
}

MACH_EXPORT kern_return_t netname_version(mach_port_t server_port, char *version)
{
	union netname_buf b;
	kern_return_t kr;

	memset(&b, 0, sizeof(netname_version_request_t));
	rpc_header(&b, server_port, NETNAME_MSG_VERSION,
		   sizeof(netname_version_request_t), 0);
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = string_reply(&b, NETNAME_MSG_VERSION, version);
	return kr;
}

MACH_EXPORT kern_return_t netname_server_port(mach_port_t *server_port)
{
	if (server_port == NULL)
		return KERN_INVALID_ARGUMENT;
	return bootstrap_look_up(bootstrap_port, MACHNETD_SERVICE_NAME, server_port);
}

/*
 * The port's identity is the same in every space (iin_object), so machnetd
 * can match it against its proxies without the right itself travelling:
 * a send-once reply right could not be copied, and must not be used up.
 */
static kern_return_t port_identity(mach_port_t port, natural_t *object)
{
	ipc_info_space_t space;
	ipc_info_name_array_t table = NULL;
	ipc_info_tree_name_array_t tree = NULL;
	mach_msg_type_number_t ntable = 0, ntree = 0, i;
	kern_return_t kr;

	kr = mach_port_space_info(mach_task_self(), &space, &table, &ntable, &tree, &ntree);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = NETNAME_INVALID_PORT;
	for (i = 0; i < ntable; i++) {
		if (table[i].iin_name != port)
			continue;
		if ((table[i].iin_type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE |
					  MACH_PORT_TYPE_RECEIVE)) &&
		    table[i].iin_object != 0) {
			*object = table[i].iin_object;
			kr = KERN_SUCCESS;
		}
		break;
	}
	if (table != NULL)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)table,
				    ntable * sizeof(*table));
	if (tree != NULL)
		(void)vm_deallocate(mach_task_self(), (vm_address_t)tree,
				    ntree * sizeof(*tree));
	return kr;
}

MACH_EXPORT kern_return_t
netname_sender_host(mach_port_t server_port, mach_port_t port, char *host)
{
	union netname_buf b;
	natural_t object = 0;
	kern_return_t kr;

	if (host == NULL)
		return KERN_INVALID_ARGUMENT;
	kr = port_identity(port, &object);
	if (kr != KERN_SUCCESS)
		return kr;
	memset(&b, 0, sizeof(netname_sender_host_request_t));
	rpc_header(&b, server_port, NETNAME_MSG_SENDER_HOST,
		   sizeof(netname_sender_host_request_t), 0);
	b.sender_host.NDR = NDR_record;
	b.sender_host.object = object;
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = string_reply(&b, NETNAME_MSG_SENDER_HOST, host);
	return kr;
}
