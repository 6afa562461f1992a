/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Client side of the bootstrap calls: hand-written stubs in the shape MIG
 * emits for them (see bootstrap_msg.h), sent to the name server with the
 * thread's MIG reply port and answered in one mach_msg.
 */
#include <string.h>

#include "bootstrap_msg.h"
#include "internal.h"

/* Room for any request we send and any reply we accept, with a trailer. */
union bootstrap_buf {
	mach_msg_header_t		head;
	bootstrap_name_request_t	name_req;
	bootstrap_register_request_t	register_req;
	bootstrap_parent_request_t	parent_req;
	bootstrap_port_reply_t		port_reply;
	mig_reply_error_t		error_reply;
	uint8_t				room[sizeof(bootstrap_port_reply_t) +
					     sizeof(mach_msg_max_trailer_t) + 64];
};

/* Fill the header; the reply comes to a send-once right made from our reply port. */
static void rpc_header(union bootstrap_buf *b, mach_port_t bp, mach_msg_id_t id,
		       mach_msg_size_t size, int complex)
{
	b->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			    (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	b->head.msgh_size = size;
	b->head.msgh_remote_port = bp;
	b->head.msgh_local_port = mig_get_reply_port();
	b->head.msgh_voucher_port = MACH_PORT_NULL;
	b->head.msgh_id = id;
}

/*
 * Send the request in b and receive the reply into b.  As MIG's stubs do,
 * keep the reply port when the request never left (nothing can arrive on
 * it later), and drop it when a reply may still be owed.
 */
static kern_return_t rpc(union bootstrap_buf *b)
{
	mach_msg_return_t mr;

	mr = mach_msg(&b->head, MACH_SEND_MSG | MACH_RCV_MSG, b->head.msgh_size,
		      sizeof(*b), b->head.msgh_local_port, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		return KERN_SUCCESS;
	if (mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_INVALID_DATA ||
	    mr == MACH_SEND_INVALID_HEADER)
		mig_put_reply_port(b->head.msgh_local_port);
	else
		mig_dealloc_reply_port(b->head.msgh_local_port);
	return mr;
}

/* Check a reply that should carry a code only (register). */
static kern_return_t code_reply(union bootstrap_buf *b, mach_msg_id_t id)
{
	if (b->head.msgh_id == MACH_NOTIFY_SEND_ONCE)
		return MIG_SERVER_DIED;
	if (b->head.msgh_id != BOOTSTRAP_REPLY_ID(id)) {
		mach_msg_destroy(&b->head);
		return MIG_REPLY_MISMATCH;
	}
	if ((b->head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    b->head.msgh_size != sizeof(mig_reply_error_t)) {
		mach_msg_destroy(&b->head);
		return MIG_TYPE_ERROR;
	}
	return b->error_reply.RetCode;
}

/* Check a reply that should carry one port, and take the port. */
static kern_return_t port_reply(union bootstrap_buf *b, mach_msg_id_t id,
				mach_port_t *out)
{
	const bootstrap_port_reply_t *r = &b->port_reply;

	if (!(b->head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		kern_return_t kr = code_reply(b, id);

		/*
		 * A "success" without the port is a server bug, not success:
		 * rejected like any malformed reply, whose rights MIG's stubs
		 * destroy (a voucher's, say).
		 */
		if (kr == KERN_SUCCESS) {
			mach_msg_destroy(&b->head);
			kr = MIG_TYPE_ERROR;
		}
		return kr;
	}
	if (b->head.msgh_id != BOOTSTRAP_REPLY_ID(id)) {
		mach_msg_destroy(&b->head);
		return MIG_REPLY_MISMATCH;
	}
	if (b->head.msgh_size != sizeof(*r) || r->msgh_body.msgh_descriptor_count != 1 ||
	    r->port.type != MACH_MSG_PORT_DESCRIPTOR) {
		mach_msg_destroy(&b->head);
		return MIG_TYPE_ERROR;
	}
	*out = r->port.name;
	return KERN_SUCCESS;
}

/* check_in, look_up and create_service share one request shape. */
static kern_return_t name_rpc(mach_port_t bp, mach_msg_id_t id,
			      const char *service_name, mach_port_t *sp)
{
	union bootstrap_buf b;
	kern_return_t kr;

	if (sp == NULL || service_name == NULL)
		return KERN_INVALID_ARGUMENT;
	memset(&b, 0, sizeof(bootstrap_name_request_t));
	rpc_header(&b, bp, id, sizeof(bootstrap_name_request_t), 0);
	b.name_req.NDR = NDR_record;
	mig_strncpy_zerofill(b.name_req.service_name, service_name,
			     BOOTSTRAP_MAX_NAME_LEN);
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = port_reply(&b, id, sp);
	return kr;
}

MACH_EXPORT kern_return_t
bootstrap_check_in(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return name_rpc(bp, BOOTSTRAP_MSG_CHECK_IN, service_name, sp);
}

MACH_EXPORT kern_return_t
bootstrap_look_up(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return name_rpc(bp, BOOTSTRAP_MSG_LOOK_UP, service_name, sp);
}

MACH_EXPORT kern_return_t
bootstrap_create_service(mach_port_t bp, const char *service_name, mach_port_t *sp)
{
	return name_rpc(bp, BOOTSTRAP_MSG_CREATE_SERVICE, service_name, sp);
}

MACH_EXPORT kern_return_t
bootstrap_register(mach_port_t bp, const char *service_name, mach_port_t sp)
{
	union bootstrap_buf b;
	kern_return_t kr;

	if (service_name == NULL)
		return KERN_INVALID_ARGUMENT;
	memset(&b, 0, sizeof(bootstrap_register_request_t));
	rpc_header(&b, bp, BOOTSTRAP_MSG_REGISTER,
		   sizeof(bootstrap_register_request_t), 1);
	b.register_req.msgh_body.msgh_descriptor_count = 1;
	b.register_req.service_port.name = sp;
	b.register_req.service_port.disposition = MACH_MSG_TYPE_COPY_SEND;
	b.register_req.service_port.type = MACH_MSG_PORT_DESCRIPTOR;
	b.register_req.NDR = NDR_record;
	mig_strncpy_zerofill(b.register_req.service_name, service_name,
			     BOOTSTRAP_MAX_NAME_LEN);
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = code_reply(&b, BOOTSTRAP_MSG_REGISTER);
	return kr;
}

MACH_EXPORT kern_return_t bootstrap_parent(mach_port_t bp, mach_port_t *parent_port)
{
	union bootstrap_buf b;
	kern_return_t kr;

	if (parent_port == NULL)
		return KERN_INVALID_ARGUMENT;
	memset(&b, 0, sizeof(bootstrap_parent_request_t));
	rpc_header(&b, bp, BOOTSTRAP_MSG_PARENT, sizeof(bootstrap_parent_request_t), 0);
	kr = rpc(&b);
	if (kr == KERN_SUCCESS)
		kr = port_reply(&b, BOOTSTRAP_MSG_PARENT, parent_port);
	return kr;
}

MACH_EXPORT const char *bootstrap_strerror(kern_return_t r)
{
	switch (r) {
	case BOOTSTRAP_SUCCESS:		return "Success";
	case BOOTSTRAP_NOT_PRIVILEGED:	return "Permission denied";
	case BOOTSTRAP_NAME_IN_USE:	return "Service name already exists";
	case BOOTSTRAP_UNKNOWN_SERVICE:	return "Unknown service name";
	case BOOTSTRAP_SERVICE_ACTIVE:	return "Service already active";
	case BOOTSTRAP_BAD_COUNT:	return "Too many lookups were requested in one request";
	case BOOTSTRAP_NO_MEMORY:	return "Out of memory";
	case BOOTSTRAP_NO_CHILDREN:	return "No children";
	default:			return mach_error_string(r);
	}
}
