/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Descriptors of complex messages: port rights, out-of-line memory and
 * out-of-line port arrays.  The user descriptors stay in the kmsg's data in
 * their LP64 layout; each has a kernel shadow (struct mach_kdesc) holding
 * what it carries while the message is in flight.
 */
#ifndef _MACH_DESC_H
#define _MACH_DESC_H

#include <linux/err.h>
#include <linux/types.h>
#include "ool.h"

struct mach_port_deaths;
struct mach_kmsg;
struct mach_port;
struct mach_space;

#define MACH_MSG_PORT_DESCRIPTOR		0
#define MACH_MSG_OOL_DESCRIPTOR			1
#define MACH_MSG_OOL_PORTS_DESCRIPTOR		2
#define MACH_MSG_OOL_VOLATILE_DESCRIPTOR	3
#define MACH_MSG_GUARDED_PORT_DESCRIPTOR	4

#define MACH_MSG_PHYSICAL_COPY	0
#define MACH_MSG_VIRTUAL_COPY	1

/* A carried right that names a dead port (MACH_PORT_DEAD on copyout). */
#define MACH_KPORT_DEAD		((struct mach_port *)ERR_PTR(-ENOENT))

static inline bool mach_kport_real(struct mach_port *port)
{
	return !IS_ERR_OR_NULL(port);
}

struct mach_kdesc {
	u32 type;		/* MACH_MSG_*_DESCRIPTOR */
	u32 disp;		/* sender's disposition */
	u32 offset;		/* of the user descriptor in kmsg->data */
	u32 count;		/* OOL: bytes; OOL ports: entries */
	bool dealloc;		/* sender asked for deallocate */
	u8 copy;		/* sender's copy option (OOL) */
	u64 uaddr;		/* sender's address (OOL, OOL ports) */
	struct mach_port *port;		/* port descriptor */
	struct mach_port **ports;	/* OOL ports */
	u32 *names;			/* OOL ports: names, until copyin */
	struct mach_ool ool;		/* OOL memory in flight */
};

/* XNU's bounds: rights per message, kernel memory a kept copy may pin */
#define MACH_MSG_MAX_RIGHTS		16383
#define MACH_MSG_MAX_KEPT_PHYSICAL	(7ULL << 20)

int mach_desc_parse(struct mach_space *space, struct mach_kmsg *kmsg);
void mach_desc_sender_dealloc(struct mach_kmsg *kmsg);
int mach_desc_copyout(struct mach_space *space, struct mach_kmsg *kmsg);
void mach_desc_release(struct mach_kmsg *kmsg,
		       struct mach_port_deaths *deaths);
bool mach_desc_transit_enter(struct mach_kmsg *kmsg, struct mach_port *dest);
void mach_desc_transit_leave(struct mach_kmsg *kmsg);

#endif /* _MACH_DESC_H */
