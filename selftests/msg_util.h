/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msg_util.h - small Mach helpers shared by the IPC tests: make ports, send
 * and receive a fixed little message, read rights and queue state.  Each
 * helper records a failed check itself, so callers stay short.
 */
#ifndef MSG_UTIL_H
#define MSG_UTIL_H

#include <stdint.h>
#include <unistd.h>
#include <mach/mach.h>

#include "mach_test.h"

/* Generous bound for any receive that should succeed: emulated VMs are slow. */
#define MU_WAIT_MS	20000

/* The message most tests send: a header and two words of payload. */
struct mu_msg {
	mach_msg_header_t hdr;
	uint32_t a;
	uint32_t b;
};

/* Receive buffer: room for a big body and the largest trailer. */
struct mu_rcv {
	mach_msg_header_t hdr;
	uint8_t body[16384];
	mach_msg_max_trailer_t trailer_room;
};

/* Payload of a received mu_msg. */
static inline const struct mu_msg *mu_as_msg(const struct mu_rcv *r)
{
	return (const struct mu_msg *)r;
}

/* The trailer the kernel appended after the message body. */
static inline const mach_msg_max_trailer_t *mu_trailer(const mach_msg_header_t *h)
{
	return (const mach_msg_max_trailer_t *)
		((const char *)h + ((h->msgh_size + 3) & ~3u));
}

/* New receive right (MACH_PORT_NULL and a failed check on error). */
mach_port_t mu_port(void);
/* New receive right with one send right under the same name. */
mach_port_t mu_port_send(void);

/*
 * Send a struct mu_msg to dest.  MACH_SEND_TIMEOUT is always set; the
 * caller picks the timeout (0: fail at once if the queue is full).
 */
mach_msg_return_t mu_send(mach_port_t dest, mach_msg_type_name_t dest_disp,
			  mach_port_t local, mach_msg_type_name_t local_disp,
			  mach_msg_id_t id, uint32_t a, uint32_t b,
			  mach_msg_option_t extra, mach_msg_timeout_t timeout);

/* Receive into *r with MACH_RCV_TIMEOUT; extra adds options (trailer...). */
mach_msg_return_t mu_recv(mach_port_t port, struct mu_rcv *r,
			  mach_msg_option_t extra, mach_msg_timeout_t timeout);

/* mach_port_type(), or 0 with a failed check if the call fails. */
mach_port_type_t mu_type(mach_port_t name);
/* mach_port_get_refs(), or 0xdead with a failed check if the call fails. */
mach_port_urefs_t mu_refs(mach_port_t name, mach_port_right_t right);
/* Queue state of a receive right, zeroed with a failed check on error. */
mach_port_status_t mu_status(mach_port_t name);

/* mach_port_names() contains name; its type is returned in *type. */
bool mu_names_find(mach_port_t name, mach_port_type_t *type);
/* Number of names in our space (-1 on error). */
int mu_names_count(void);

#endif /* MSG_UTIL_H */
