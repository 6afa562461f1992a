// SPDX-License-Identifier: GPL-2.0
/*
 * Port sets: membership, the ready list, and receiving on a set.
 */

#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "mach_types.h"
#include "mqueue.h"
#include "port.h"
#include "pset.h"
#include "stats.h"

struct mach_pset *mach_pset_alloc(void)
{
	struct mach_pset *pset = kzalloc(sizeof(*pset), GFP_KERNEL_ACCOUNT);

	if (!pset)
		return NULL;
	mach_stat_inc(MACH_STAT_PSETS);
	kref_init(&pset->ref);
	spin_lock_init(&pset->lock);
	pset->active = true;
	INIT_LIST_HEAD(&pset->members);
	INIT_LIST_HEAD(&pset->ready);
	INIT_LIST_HEAD(&pset->rcv_waiters);
	init_waitqueue_head(&pset->pollers);
	return pset;
}

static void mach_pset_free(struct kref *ref)
{
	kfree(container_of(ref, struct mach_pset, ref));
	mach_stat_dec(MACH_STAT_PSETS);
}

void mach_pset_get(struct mach_pset *pset)
{
	kref_get(&pset->ref);
}

void mach_pset_put(struct mach_pset *pset)
{
	kref_put(&pset->ref, mach_pset_free);
}

/* A message arrived: each set the port is in now sees it ready. */
void mach_pset_enqueued(struct mach_port *port)
{
	struct mach_pset_link *link;

	hlist_for_each_entry(link, &port->psets, port_node) {
		struct mach_pset *pset = link->pset;

		spin_lock(&pset->lock);
		if (list_empty(&link->ready_node))
			list_add_tail(&link->ready_node, &pset->ready);
		/* set waiters queue themselves under pset->lock */
		mach_waiters_wake_one(&pset->rcv_waiters);
		mach_pset_wake_pollers(pset, EPOLLIN | EPOLLRDNORM);
		spin_unlock(&pset->lock);
	}
}

/* A message left: an empty port is no longer ready anywhere. */
void mach_pset_dequeued(struct mach_port *port)
{
	struct mach_pset_link *link;

	if (port->msgcount)
		return;
	hlist_for_each_entry(link, &port->psets, port_node) {
		spin_lock(&link->pset->lock);
		list_del_init(&link->ready_node);
		spin_unlock(&link->pset->lock);
	}
}

/* Make a receive right a member; KERN_ALREADY_IN_SET if it is one. */
int mach_pset_add(struct mach_pset *pset, struct mach_port *port)
{
	struct mach_pset_link *link, *pos, *last = NULL;
	int kr = KERN_SUCCESS;

	link = kzalloc(sizeof(*link), GFP_KERNEL_ACCOUNT);
	if (!link)
		return KERN_RESOURCE_SHORTAGE;
	INIT_LIST_HEAD(&link->ready_node);
	link->port = port;
	link->pset = pset;

	spin_lock(&port->lock);
	hlist_for_each_entry(pos, &port->psets, port_node) {
		if (pos->pset == pset)
			kr = KERN_ALREADY_IN_SET;
		last = pos;
	}
	spin_lock(&pset->lock);
	if (kr == KERN_SUCCESS && (!pset->active || !port->active))
		kr = KERN_INVALID_RIGHT;
	if (kr == KERN_SUCCESS) {
		kref_get(&pset->ref);
		if (last)
			hlist_add_behind(&link->port_node, &last->port_node);
		else
			hlist_add_head(&link->port_node, &port->psets);
		list_add_tail(&link->set_node, &pset->members);
		/* messages already queued can be received through the set */
		if (port->msgcount) {
			list_add_tail(&link->ready_node, &pset->ready);
			mach_waiters_wake_one(&pset->rcv_waiters);
			mach_pset_wake_pollers(pset, EPOLLIN | EPOLLRDNORM);
		}
		link = NULL;
	}
	spin_unlock(&pset->lock);
	spin_unlock(&port->lock);
	kfree(link);
	return kr;
}

/*
 * Take a port out of one set ('only') or of all.  KERN_NOT_IN_SET when it
 * was in none of them.
 */
int mach_pset_remove(struct mach_port *port, struct mach_pset *only)
{
	struct mach_pset_link *link;
	struct hlist_node *next;
	HLIST_HEAD(gone);

	spin_lock(&port->lock);
	hlist_for_each_entry_safe(link, next, &port->psets, port_node) {
		if (only && link->pset != only)
			continue;
		spin_lock(&link->pset->lock);
		list_del(&link->set_node);
		list_del_init(&link->ready_node);
		spin_unlock(&link->pset->lock);
		hlist_del(&link->port_node);
		hlist_add_head(&link->port_node, &gone);
	}
	spin_unlock(&port->lock);

	if (hlist_empty(&gone))
		return KERN_NOT_IN_SET;
	hlist_for_each_entry_safe(link, next, &gone, port_node) {
		mach_pset_put(link->pset);
		kfree(link);
	}
	return KERN_SUCCESS;
}

void mach_pset_remove_member(struct mach_port *port)
{
	mach_pset_remove(port, NULL);
}

/* Members' names (at most 'cap'); returns how many there are. */
u32 mach_pset_members(struct mach_pset *pset, u32 *names, u32 cap)
{
	struct mach_pset_link *link;
	u32 n = 0;

	spin_lock(&pset->lock);
	list_for_each_entry(link, &pset->members, set_node) {
		if (n < cap)
			names[n] = READ_ONCE(link->port->receiver_name);
		n++;
	}
	spin_unlock(&pset->lock);
	return n;
}

/*
 * The set's name is gone: members leave (keeping their messages) and
 * threads receiving on the set return MACH_RCV_PORT_CHANGED, as XNU's
 * ipc_pset_destroy makes them.
 */
void mach_pset_destroy(struct mach_pset *pset)
{
	struct mach_pset_link *link;
	struct mach_port *port;

	spin_lock(&pset->lock);
	pset->active = false;
	mach_waiters_wake_all(&pset->rcv_waiters);
	mach_pset_wake_pollers(pset, EPOLLHUP);
	spin_unlock(&pset->lock);

	for (;;) {
		spin_lock(&pset->lock);
		link = list_first_entry_or_null(&pset->members,
						struct mach_pset_link,
						set_node);
		port = link ? link->port : NULL;
		if (port)
			mach_port_get(port);
		spin_unlock(&pset->lock);
		if (!port)
			break;
		mach_pset_remove(port, pset);
		mach_port_put(port);
	}
	mach_pset_put(pset);
}

/*
 * Receive from the first ready member, which then goes to the back of the
 * ready list.  The message is taken as a receive on that port would take
 * it, without waiting; losing it to another receiver means looking again.
 */
int mach_pset_receive(struct mach_pset *pset, struct mach_space *space,
		      struct mach_rcv *rcv)
{
	bool timed = rcv->option & MACH_RCV_TIMEOUT;
	long left = timed ? msecs_to_jiffies(rcv->timeout) :
			    MAX_SCHEDULE_TIMEOUT;
	struct mach_waiter wait = { .task = current };
	struct mach_rcv poll = *rcv;
	struct mach_pset_link *link;
	struct mach_port *port;
	int ret;

	INIT_LIST_HEAD(&wait.node);
	poll.option |= MACH_RCV_TIMEOUT;
	poll.timeout = 0;
	for (;;) {
		spin_lock(&pset->lock);
		if (!pset->active) {
			ret = MACH_RCV_PORT_CHANGED;
			break;
		}
		link = list_first_entry_or_null(&pset->ready,
						struct mach_pset_link,
						ready_node);
		if (link) {
			list_move_tail(&link->ready_node, &pset->ready);
			port = link->port;
			mach_port_get(port);
			mach_waiter_leave(&wait);
			spin_unlock(&pset->lock);
			ret = mach_mqueue_receive(port, space, &poll);
			mach_port_put(port);
			/* a too-large message stays: pass the wake-up on */
			if (ret == MACH_RCV_TOO_LARGE && !poll.kmsg) {
				spin_lock(&pset->lock);
				mach_waiters_wake_one(&pset->rcv_waiters);
				spin_unlock(&pset->lock);
			}
			if (ret == MACH_RCV_TIMED_OUT ||
			    ret == MACH_RCV_PORT_CHANGED ||
			    ret == MACH_RCV_PORT_DIED)
				continue;
			poll.option = rcv->option;
			poll.timeout = rcv->timeout;
			*rcv = poll;
			return ret;
		}
		if (timed && left <= 0) {
			ret = MACH_RCV_TIMED_OUT;
			break;
		}
		if (signal_pending(current)) {
			ret = MACH_RCV_INTERRUPTED;
			break;
		}
		left = mach_waiter_sleep(&wait, &pset->rcv_waiters, &pset->lock,
					 left);
		spin_unlock(&pset->lock);
	}
	mach_waiter_leave(&wait);
	spin_unlock(&pset->lock);
	return ret;
}
