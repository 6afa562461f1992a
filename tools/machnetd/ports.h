/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ports layer: network port identities, proxies, exported rights and
 * their per-peer counts, and the translation of Mach messages to MSG
 * frames and back (docs/machnetd.md, "Rights and counts").
 */
#ifndef MACHNETD_PORTS_H
#define MACHNETD_PORTS_H

#include <stdbool.h>
#include <stdint.h>
#include <mach/mach.h>

#include "wire.h"

struct peer;

/* Receive options for the port set: the audit trailer tells the kernel's notifications apart. */
#define PORTS_RCV_OPTIONS (MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))

/* A message arrived on a port of the set that is not the service or notify port. */
bool ports_receive(mach_msg_header_t *msg);
/* A watched send right died (dead-name notification). */
void ports_port_died(mach_port_t name);

/* Peer life cycle, from the peer layer. */
void ports_peer_up(struct peer *p);
void ports_peer_down(struct peer *p);
/*
 * A frame other than HELLO/PING/PONG: PORTS_OK, PORTS_BAD (with *reason:
 * close the connection), or PORTS_DEFER (only when may_defer): it names a
 * right of a listed host we are not connected to yet; hand it in again
 * later, and with may_defer false once waiting is over (those rights then
 * arrive as dead names).
 */
enum { PORTS_BAD = 0, PORTS_OK = 1, PORTS_DEFER = 2 };
int ports_frame(struct peer *p, const struct wire_frame *f, bool may_defer,
		const char **reason);

/* Timers: queued deliveries, look-ups. */
int ports_timeout_ms(uint64_t now);
void ports_tick(uint64_t now);

/*
 * For the netname service: export a send right we hold (not consumed) as a
 * right for p, appended to b.  And decode a right from p into a name
 * holding one send uref of ours (MACH_PORT_NULL / DEAD when none).
 */
void ports_encode_held_send(struct peer *p, struct wbuf *b, mach_port_t name);
bool ports_decode_send(struct peer *p, const struct wire_right *r, mach_port_t *name,
		       const char **reason);
/* Which host holds the receive right of the port whose identity is object. */
const char *ports_owner_of_object(natural_t object);

/* Exit: destroy every proxy and drop every exported right. */
void ports_exit(void);

#endif /* MACHNETD_PORTS_H */
