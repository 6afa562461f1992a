/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-generated notifications and the requests that ask for them.
 *
 * A dead-name request has two halves.  The request (struct mach_dnreq)
 * belongs to the name's entry (mach_entry_dnreq(), under space->lock).  Its note
 * (struct mach_dnnote: the send-once notify right and the name) sits on the
 * port's list (port->dnrequests, under port->lock) until the port dies or
 * the request goes; whoever takes the note off that list owns it.  The
 * request's 'note' and 'fired' fields are protected by port->lock.
 */
#ifndef _MACH_NOTIFY_H
#define _MACH_NOTIFY_H

#include <linux/list.h>
#include <linux/types.h>

struct mach_port;
struct mach_space;
struct mach_entry;

struct mach_dnreq;

struct mach_dnnote {
	struct hlist_node link;		/* on port->dnrequests */
	struct mach_port *notify;	/* send-once right */
	u32 name;
	struct mach_dnreq *req;		/* back to the request */
};

struct mach_dnreq {
	struct mach_port *port;		/* the port watched (a reference) */
	struct mach_dnnote *note;	/* NULL once taken off the port */
	bool fired;			/* the port died with the note on it */
};

void mach_kernel_send_u32(struct mach_port *port, u32 type, s32 id, u32 value);
void mach_notify_send_once(struct mach_port *port);
void mach_notify_dead_name(struct mach_port *notify, u32 name);
void mach_notify_port_deleted(struct mach_port *notify, u32 name);
void mach_notify_no_senders(struct mach_port *notify, u32 mscount);
void mach_notify_port_destroyed(struct mach_port *notify,
				struct mach_port *port);

void mach_dnreq_fire_all(struct mach_port *port);
bool mach_dnreq_cancel(struct mach_space *space, struct mach_entry *entry);
void mach_dnreq_dead(struct mach_space *space, struct mach_entry *entry);

int mach_notify_request(struct mach_space *caller, struct mach_space *task,
			u32 name, u32 msgid, u32 sync, u32 notify_name,
			u32 notify_poly, u32 *previous);

#endif /* _MACH_NOTIFY_H */
