/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private: the bootstrap wire protocol between libmach and machd.  Never
 * installed; tools/machd includes it from here so the two cannot drift.
 *
 * Messages have the shape MIG emits: request ids BOOTSTRAP_MSG_FIRST..+99
 * (this project's block), reply id = request id + 100, an NDR record before
 * plain data, name_t (char[128]) inline, port results as one port
 * descriptor in a complex reply, and failures as a simple
 * mig_reply_error_t carrying the code.
 */
#ifndef LIBMACH_BOOTSTRAP_MSG_H
#define LIBMACH_BOOTSTRAP_MSG_H

#include <bootstrap.h>

#define BOOTSTRAP_MSG_FIRST		6100
#define BOOTSTRAP_MSG_CHECK_IN		6100	/* name -> receive right */
#define BOOTSTRAP_MSG_REGISTER		6101	/* name + send right -> code */
#define BOOTSTRAP_MSG_LOOK_UP		6102	/* name -> send right */
#define BOOTSTRAP_MSG_PARENT		6103	/* () -> send right */
#define BOOTSTRAP_MSG_CREATE_SERVICE	6104	/* name -> send right */
#define BOOTSTRAP_MSG_END		6105	/* one past the last id */
#define BOOTSTRAP_REPLY_ID(id)		((id) + 100)

#pragma pack(push, 4)

/* check_in, look_up, create_service */
typedef struct {
	mach_msg_header_t		Head;
	NDR_record_t			NDR;
	name_t				service_name;
} bootstrap_name_request_t;

/* register: the send right travels first, as MIG orders port arguments. */
typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	service_port;
	NDR_record_t			NDR;
	name_t				service_name;
} bootstrap_register_request_t;

/* parent: no arguments besides the reply port. */
typedef struct {
	mach_msg_header_t		Head;
} bootstrap_parent_request_t;

/* Successful reply of every routine that returns a port. */
typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	port;
} bootstrap_port_reply_t;

#pragma pack(pop)

#endif /* LIBMACH_BOOTSTRAP_MSG_H */
