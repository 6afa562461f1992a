/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel messages.  A kmsg holds the sender's message in its userspace
 * layout (header, body) plus the port rights it carries as pointers to port
 * objects, each with one reference and one right of the given type.
 */
#ifndef _MACH_KMSG_H
#define _MACH_KMSG_H

#include <linux/list.h>
#include <linux/uidgid.h>
#include "mach_types.h"
#include "port.h"

struct mach_port_deaths;
struct mach_kdesc;
struct mach_port;
struct mach_space;
struct mach_user;
struct pid;

struct mach_kmsg {
	struct mach_kmsg *next;		/* on the destination's queue */
	u32 size;			/* msgh_size: header and body */
	u32 room;			/* bytes 'data' can hold */
	struct mach_port *dest;		/* remote right ... */
	u32 dest_type;			/* ... PORT_SEND or PORT_SEND_ONCE */
	struct mach_port *reply;	/* local right, NULL or MACH_KPORT_DEAD */
	u32 reply_type;			/* ... its PORT_* type, 0 if none */

	/* complex messages */
	u32 ndesc;
	struct mach_kdesc *desc;
	bool carries_receive;		/* a receive right is in the body */
	s8 cls;				/* slab class (kmsg.c), -1: kvmalloc */

	/* what the message is charged to; NULL when the kernel sent it */
	struct mach_user *user;
	u64 ool_charged;

	/* the sender, for the trailer */
	struct pid *sender;
	kuid_t euid, ruid, auid;
	kgid_t egid, rgid;

	struct mach_msg_header *hdr;	/* points into 'data' */
	u8 data[];
};

/* The slab classes of small messages (kmsg.c) */
#define MACH_KMSG_CLASS_TINY	0
#define MACH_KMSG_CLASS_SMALL	1
#define MACH_KMSG_CLASSES	2

/* A port's message queue (struct mach_msg_queue, port.h); port->lock. */
static inline void mach_msg_queue_init(struct mach_msg_queue *q)
{
	q->head = NULL;
	q->tail = &q->head;
}

static inline void mach_msg_queue_push(struct mach_msg_queue *q,
				       struct mach_kmsg *kmsg)
{
	kmsg->next = NULL;
	*q->tail = kmsg;
	q->tail = &kmsg->next;
}

static inline struct mach_kmsg *mach_msg_queue_pop(struct mach_msg_queue *q)
{
	struct mach_kmsg *kmsg = q->head;

	if (kmsg) {
		q->head = kmsg->next;
		if (!q->head)
			q->tail = &q->head;
		kmsg->next = NULL;
	}
	return kmsg;
}

/* Move every message of 'from' to 'to' (empty), leaving 'from' empty. */
static inline void mach_msg_queue_take_all(struct mach_msg_queue *to,
					   struct mach_msg_queue *from)
{
	to->head = from->head;
	to->tail = from->head ? from->tail : &to->head;
	mach_msg_queue_init(from);
}

int mach_kmsg_init_cache(void);
void mach_kmsg_exit_cache(void);

struct mach_kmsg *mach_kmsg_alloc(u32 size);
struct mach_kmsg *mach_kmsg_alloc_charged(struct mach_space *space, u32 size);
bool mach_kmsg_charge_ool(struct mach_kmsg *kmsg);
void mach_kmsg_recycle(struct mach_space *space, struct mach_kmsg *kmsg);
void mach_kmsg_drop_cached(struct mach_space *space);
void mach_kmsg_free(struct mach_kmsg *kmsg);
void mach_kmsg_set_sender(struct mach_kmsg *kmsg);
void mach_kmsg_destroy(struct mach_kmsg *kmsg);
void mach_kmsg_destroy_to(struct mach_kmsg *kmsg,
			  struct mach_port_deaths *deaths);
/*
 * What a combined send+receive will receive from, looked up under the lock
 * hold that copies the message's rights in (one lock round trip, not two):
 * a referenced port or set, or neither when the name is not one.
 */
struct mach_rcv_target {
	u32 name;
	bool done;			/* looked up */
	struct mach_port *port;
	struct mach_pset *pset;
};

void mach_rcv_target_lookup(struct mach_space *space,
			    struct mach_rcv_target *rt);
int mach_kmsg_copyin_rights(struct mach_space *space, struct mach_kmsg *kmsg,
			    struct mach_rcv_target *rt);

/* REQUESTED_TRAILER_SIZE: the trailer size the receive options ask for. */
static inline u32 mach_trailer_size(u32 option)
{
	/* by MACH_RCV_TRAILER_ELEMENTS: NULL, SEQNO, SENDER, AUDIT, CTX */
	static const u8 sizes[16] = {
		8, 12, 20, 52, 60, MACH_TRAILER_MAX_SIZE,
		MACH_TRAILER_MAX_SIZE, MACH_TRAILER_MAX_SIZE,
		MACH_TRAILER_MAX_SIZE, MACH_TRAILER_MAX_SIZE,
		MACH_TRAILER_MAX_SIZE, MACH_TRAILER_MAX_SIZE,
		MACH_TRAILER_MAX_SIZE, MACH_TRAILER_MAX_SIZE,
		MACH_TRAILER_MAX_SIZE, MACH_TRAILER_MAX_SIZE,
	};

	return sizes[MACH_RCV_TRAILER_ELEMENTS(option)];
}

void mach_trailer_fill(u32 *words, const struct mach_kmsg *kmsg, u32 option,
		       u32 seqno, u64 context);

#endif /* _MACH_KMSG_H */
