/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private: the netname wire protocol between libmach and machnetd.  Never
 * installed; tools/machnetd includes it from here so the two cannot drift.
 *
 * The messages are the ones Apple's MIG lays out for CMU's netname.defs:
 * subsystem 1040, routines in the .defs' order (check_in 1040, look_up
 * 1041, check_out 1042, version 1043), reply id = request id + 100, port
 * arguments as descriptors first (in argument order), then the NDR record,
 * then the fixed 80-byte strings inline.  Port results travel in a complex
 * reply without a code; failures as a simple mig_reply_error_t.
 *
 * netname_sender_host (1044) is this project's extension, numbered after
 * the historical routines: the request carries the port's global identity
 * (mach_port_space_info's iin_object), the reply a code and a host name.
 */
#ifndef LIBMACH_NETNAME_MSG_H
#define LIBMACH_NETNAME_MSG_H

#include <mach/mach.h>
#include <servers/netname.h>

#define NETNAME_MSG_FIRST		1040
#define NETNAME_MSG_CHECK_IN		1040	/* name, signature, port -> code */
#define NETNAME_MSG_LOOK_UP		1041	/* host, name -> send right */
#define NETNAME_MSG_CHECK_OUT		1042	/* name, signature -> code */
#define NETNAME_MSG_VERSION		1043	/* () -> code, version */
#define NETNAME_MSG_SENDER_HOST		1044	/* port identity -> code, host */
#define NETNAME_MSG_END			1045	/* one past the last id */
#define NETNAME_REPLY_ID(id)		((id) + 100)
#define NETNAME_NAME_LEN		80

#pragma pack(push, 4)

/* check_in: signature (COPY_SEND), port_id (MAKE_SEND), NDR, name. */
typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	signature;
	mach_msg_port_descriptor_t	port_id;
	NDR_record_t			NDR;
	netname_name_t			port_name;
} netname_check_in_request_t;

typedef struct {
	mach_msg_header_t		Head;
	NDR_record_t			NDR;
	netname_name_t			host_name;
	netname_name_t			port_name;
} netname_look_up_request_t;

/* Successful look_up reply: the send right moves to the caller. */
typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	port_id;
} netname_look_up_reply_t;

/* check_out: signature (COPY_SEND), NDR, name. */
typedef struct {
	mach_msg_header_t		Head;
	mach_msg_body_t			msgh_body;
	mach_msg_port_descriptor_t	signature;
	NDR_record_t			NDR;
	netname_name_t			port_name;
} netname_check_out_request_t;

/* version: no arguments besides the reply port. */
typedef struct {
	mach_msg_header_t		Head;
} netname_version_request_t;

/* version and sender_host replies: code, then the string. */
typedef struct {
	mach_msg_header_t		Head;
	NDR_record_t			NDR;
	kern_return_t			RetCode;
	netname_name_t			name;
} netname_string_reply_t;

typedef struct {
	mach_msg_header_t		Head;
	NDR_record_t			NDR;
	natural_t			object;	/* iin_object of the port */
} netname_sender_host_request_t;

#pragma pack(pop)

#endif /* LIBMACH_NETNAME_MSG_H */
