/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network identities of rights (internal to the ports layer).
 *
 * Owner side: an export is a local port we hand out as (us, id): one send
 * uref in our space and a signed count per peer of the references that
 * peer holds; or one stored send-once right (its own id, used once).
 * Importer side: a proxy is a receive right of ours standing for (owner,
 * id): send proxies are shared (same remote port, same proxy) and count
 * the references received ("held"); a send-once proxy stands for one
 * remote send-once right.
 */
#ifndef MACHNETD_RIGHTS_H
#define MACHNETD_RIGHTS_H

#include <stdbool.h>
#include <stdint.h>
#include <mach/mach.h>

#include "counts.h"
#include "wire.h"

struct peer;

struct export {
	uint64_t	id;
	mach_port_t	name;		/* our send (or send-once) right */
	bool		sonce;
	unsigned int	holder;		/* sonce: the peer we gave it to */
	struct counts	counts;		/* send: references per peer */
};

struct proxy {
	mach_port_t	name;		/* our receive right, in port_set */
	struct peer	*owner;
	uint64_t	id;
	bool		sonce;
	uint32_t	held;		/* references received (send proxies) */
	uint32_t	mscount;	/* send rights we made from it */
};

void rights_init(void);
void rights_exit(void);

/*
 * Append name (one uref of type, a received MACH_MSG_TYPE_PORT_*, or
 * MACH_PORT_NULL / DEAD) as a wire right for peer p.  The uref is used
 * up: kept by an export, or given back.  May queue a TRANSFER to a third
 * host (before the frame being built: see peer ordering in rights.c).
 */
void encode_right(struct peer *p, struct wbuf *b, mach_port_t name, mach_msg_type_name_t type);

/*
 * A wire right from p as a name holding one uref of ours: *type is
 * MACH_MSG_TYPE_MOVE_SEND or MOVE_SEND_ONCE (or 0 for NULL/DEAD names).
 * false with *reason on a protocol violation.
 */
bool decode_right(struct peer *p, const struct wire_right *r, mach_port_t *name,
		  mach_msg_type_name_t *type, const char **reason);

/* Destination of a MSG from p, materialized the same way (DEAD when gone). */
bool decode_dest(struct peer *p, const struct wire_right *r, mach_port_t *name,
		 mach_msg_type_name_t *type, const char **reason);

struct proxy *proxy_by_name(mach_port_t name);
/* Drop the proxy: its receive right dies (senders see a dead name). */
void proxy_destroy(struct proxy *px);
/* The kernel's no-senders notification for a send proxy. */
void proxy_no_senders(struct proxy *px, mach_port_mscount_t mscount);
/* A send-once proxy's right was destroyed unused. */
void proxy_sonce_destroyed(struct proxy *px);

/* Frames about references and deaths. */
bool rights_frame(struct peer *p, const struct wire_frame *f, const char **reason);

void rights_peer_down(struct peer *p);
void rights_port_died(mach_port_t name);
const char *rights_owner_of_object(natural_t object);

#endif /* MACHNETD_RIGHTS_H */
