/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/notify.h>: notification message ids and the messages the kernel
 * sends for them (as received, with the format-0 trailer).
 */
#ifndef _MACH_NOTIFY_H_
#define _MACH_NOTIFY_H_

#include <mach/port.h>
#include <mach/message.h>
#include <mach/ndr.h>

#define MACH_NOTIFY_FIRST		0100
#define MACH_NOTIFY_PORT_DELETED	(MACH_NOTIFY_FIRST + 001) /* send-once right died */
#define MACH_NOTIFY_SEND_POSSIBLE	(MACH_NOTIFY_FIRST + 002) /* queue has room */
#define MACH_NOTIFY_PORT_DESTROYED	(MACH_NOTIFY_FIRST + 005) /* receive right returned */
#define MACH_NOTIFY_NO_SENDERS		(MACH_NOTIFY_FIRST + 006) /* last send right gone */
#define MACH_NOTIFY_SEND_ONCE		(MACH_NOTIFY_FIRST + 007) /* unused send-once right */
#define MACH_NOTIFY_DEAD_NAME		(MACH_NOTIFY_FIRST + 010) /* send right became dead */
#define MACH_NOTIFY_LAST		(MACH_NOTIFY_FIRST + 015)

#define MACH_NOTIFY_MSG_ID_IS_VALID(id) \
	((id) == MACH_NOTIFY_PORT_DELETED || (id) == MACH_NOTIFY_SEND_POSSIBLE || \
	 (id) == MACH_NOTIFY_PORT_DESTROYED || (id) == MACH_NOTIFY_NO_SENDERS || \
	 (id) == MACH_NOTIFY_SEND_ONCE || (id) == MACH_NOTIFY_DEAD_NAME)

typedef mach_port_t notify_port_t;

#pragma pack(push, 4)

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;
	mach_msg_format_0_trailer_t	trailer;
} mach_port_deleted_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;
	mach_msg_format_0_trailer_t	trailer;
} mach_send_possible_notification_t;

/* Carries the receive right itself, hence a complex message. */
typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_body_t			not_body;
	mach_msg_port_descriptor_t	not_port;
	mach_msg_format_0_trailer_t	trailer;
} mach_port_destroyed_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_msg_type_number_t		not_count;	/* make-send count */
	mach_msg_format_0_trailer_t	trailer;
} mach_no_senders_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	mach_msg_format_0_trailer_t	trailer;
} mach_send_once_notification_t;

typedef struct {
	mach_msg_header_t		not_header;
	NDR_record_t			NDR;
	mach_port_name_t		not_port;
	mach_msg_format_0_trailer_t	trailer;
} mach_dead_name_notification_t;

#pragma pack(pop)

#endif /* _MACH_NOTIFY_H_ */
