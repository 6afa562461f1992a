/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port sets.  As in modern XNU a port may belong to several sets; each
 * membership is a link on the port's list and on the set's.  A set keeps a
 * ready list of the memberships whose port has messages; receiving on the
 * set serves the first ready member and moves it to the back, so members
 * are served round-robin and each member in its own FIFO order, as XNU's
 * prepost list does.  The cost of a receive does not depend on the number
 * of members.
 *
 * Locking: port->psets and each link's port_node change under port->lock;
 * set_node and ready_node under the set's pset->lock; a link is created and
 * destroyed with both held.  pset->lock nests inside port->lock and is
 * never held together with another set's lock.
 */
#ifndef _MACH_PSET_H
#define _MACH_PSET_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct mach_port;
struct mach_rcv;
struct mach_space;

struct mach_pset {
	struct kref ref;
	u32 name;			/* its name in its space; fixed */
	spinlock_t lock;		/* see above */
	bool active;
	struct list_head members;	/* struct mach_pset_link.set_node */
	struct list_head ready;		/* struct mach_pset_link.ready_node */
	struct list_head rcv_waiters;	/* struct mach_waiter (mqueue.h) */
	wait_queue_head_t pollers;	/* port_fd.c's files */
};

/* Wake the set's pollers (port_fd.c); pset->lock held, as for the port's. */
static inline void mach_pset_wake_pollers(struct mach_pset *pset, __poll_t mask)
{
	/* ordered against the poller's queueing by pset->lock */
	if (waitqueue_active(&pset->pollers))
		wake_up_poll(&pset->pollers, mask);
}

struct mach_pset_link {
	struct hlist_node port_node;	/* on port->psets, oldest first */
	struct list_head set_node;	/* on pset->members */
	struct list_head ready_node;	/* on pset->ready while non-empty */
	struct mach_port *port;
	struct mach_pset *pset;		/* holds a reference */
};

struct mach_pset *mach_pset_alloc(void);
void mach_pset_get(struct mach_pset *pset);
void mach_pset_put(struct mach_pset *pset);
void mach_pset_destroy(struct mach_pset *pset);

int mach_pset_add(struct mach_pset *pset, struct mach_port *port);
int mach_pset_remove(struct mach_port *port, struct mach_pset *only);
void mach_pset_remove_member(struct mach_port *port);
u32 mach_pset_members(struct mach_pset *pset, u32 *names, u32 cap);

/* Queue hooks, called under port->lock. */
void mach_pset_enqueued(struct mach_port *port);
void mach_pset_dequeued(struct mach_port *port);

int mach_pset_receive(struct mach_pset *pset, struct mach_space *space,
		      struct mach_rcv *rcv);

#endif /* _MACH_PSET_H */
