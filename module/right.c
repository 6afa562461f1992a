// SPDX-License-Identifier: GPL-2.0
/*
 * Right transitions.
 *
 * Invariants:
 *  - an in-use entry holds exactly one reference on its port, whatever
 *    rights it combines (send, receive, send-once);
 *  - an entry with a send right accounts for exactly one of port->srights,
 *    whatever its user references; a send-once entry for one of sorights;
 *  - a right carried by a message holds one reference and one right.
 * Dead names hold no port.  An entry whose port died is turned into a dead
 * name lazily, when it is next looked at (mach_right_check_dead), as in XNU.
 */

#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "desc.h"
#include "mqueue.h"
#include "notify.h"
#include "port.h"
#include "pset.h"
#include "right.h"
#include "space.h"

bool mach_right_disposition_valid(u32 disp)
{
	return disp >= MACH_MSG_TYPE_MOVE_RECEIVE &&
	       disp <= MACH_MSG_TYPE_MAKE_SEND_ONCE;
}

u32 mach_right_carried_type(u32 disp)
{
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	default:
		/* a null or dead name sent with a meaningless disposition */
		return 0;	/* MACH_MSG_TYPE_PORT_NONE */
	}
}

/*
 * Whether the port still lives, read without its lock: it dies once and
 * never comes back, and a caller that sees it alive acts as if it had
 * looked just before the death (a message sent to it is then destroyed
 * when it is queued, a right named to it becomes a dead name at its next
 * look-up), as it might have with the lock held.
 */
static bool mach_port_is_active(struct mach_port *port)
{
	return READ_ONCE(port->active);
}

/*
 * If the entry holds send or send-once rights to a dead port, turn it into
 * a dead name (keeping its send user references) and return true.
 */
bool mach_right_check_dead(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_port *port = entry->object;

	if (!(entry->type & MACH_PORT_TYPE_SEND_RIGHTS) ||
	    (entry->type & MACH_PORT_TYPE_RECEIVE))
		return false;
	if (mach_port_is_active(port))
		return false;

	if (entry->type & MACH_PORT_TYPE_SEND) {
		mach_rev_remove(space, entry);
		mach_port_release_send(port);
	} else {
		entry->urefs = 1;
		mach_port_release_sonce(port);
	}
	entry->type = MACH_PORT_TYPE_DEAD_NAME;
	entry->object = NULL;
	mach_dnreq_dead(space, entry);
	return true;
}

/*
 * Would moving 'moves' send rights out of the entry take the task's own
 * pinned send right to its task port?  XNU refuses that move with
 * KERN_INVALID_CAPABILITY (MPG_FLAGS_MOD_REFS_PINNED_COPYIN); the name stays.
 */
bool mach_entry_pinned_last(struct mach_space *space,
			    struct mach_entry *entry, u32 moves)
{
	return entry->name == space->task_self &&
	       (entry->type & MACH_PORT_TYPE_SEND) && entry->urefs <= moves;
}

/* Check, without side effects beyond dead-name conversion, a copyin. */
int mach_right_copyin_check(struct mach_space *space, u32 name, u32 disp)
{
	struct mach_entry *entry;

	return mach_right_copyin_check_entry(space, name, disp, &entry);
}

/* The same, giving the entry (for mach_right_copyin_entry) when it exists. */
int mach_right_copyin_check_entry(struct mach_space *space, u32 name,
				  u32 disp, struct mach_entry **entryp)
{
	struct mach_entry *entry = mach_entry_lookup(space, name);

	*entryp = entry;
	if (!entry)
		return KERN_INVALID_NAME;
	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		return KERN_SUCCESS;
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		if (mach_right_check_dead(space, entry) ||
		    (entry->type & MACH_PORT_TYPE_DEAD_NAME))
			return KERN_INVALID_CAPABILITY;
		if (!(entry->type & MACH_PORT_TYPE_SEND))
			return KERN_INVALID_RIGHT;
		if (disp == MACH_MSG_TYPE_MOVE_SEND &&
		    mach_entry_pinned_last(space, entry, 1))
			return KERN_INVALID_CAPABILITY;
		return KERN_SUCCESS;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		if (mach_right_check_dead(space, entry) ||
		    (entry->type & MACH_PORT_TYPE_DEAD_NAME))
			return KERN_INVALID_CAPABILITY;
		if (!(entry->type & MACH_PORT_TYPE_SEND_ONCE))
			return KERN_INVALID_RIGHT;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_VALUE;
	}
}

/* Drop the send right from an entry; free the entry if nothing is left. */
static void mach_entry_drop_send(struct mach_space *space,
				 struct mach_entry *entry)
{
	entry->type &= ~MACH_PORT_TYPE_SEND;
	entry->urefs = 0;
	if (!(entry->type & MACH_PORT_TYPE_RECEIVE)) {
		mach_rev_remove(space, entry);
		mach_entry_free(space, entry);
	}
}

/*
 * Take a right out of the space for a message or the kernel.  The caller
 * has run mach_right_copyin_check() under the same lock hold.
 */
void mach_right_copyin(struct mach_space *space, u32 name, u32 disp,
		       struct mach_port **portp)
{
	mach_right_copyin_entry(space, mach_entry_lookup(space, name), disp,
				portp);
}

/* mach_right_copyin() of an entry already looked up under this lock hold. */
void mach_right_copyin_entry(struct mach_space *space,
			     struct mach_entry *entry, u32 disp,
			     struct mach_port **portp)
{
	struct mach_port *port = entry->object;

	switch (disp) {
	case MACH_MSG_TYPE_MAKE_SEND:
		spin_lock(&port->lock);
		port->mscount++;
		port->srights++;
		spin_unlock(&port->lock);
		mach_port_get(port);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		atomic_inc(&port->sorights);
		mach_port_get(port);
		break;
	case MACH_MSG_TYPE_COPY_SEND:
		spin_lock(&port->lock);
		port->srights++;
		spin_unlock(&port->lock);
		mach_port_get(port);
		break;
	case MACH_MSG_TYPE_MOVE_SEND:
		if (entry->urefs > 1) {
			entry->urefs--;
			spin_lock(&port->lock);
			port->srights++;
			spin_unlock(&port->lock);
			mach_port_get(port);
		} else {
			/*
			 * The entry's send right moves; its reference too,
			 * unless the entry lives on with the receive right.
			 */
			if (entry->type & MACH_PORT_TYPE_RECEIVE)
				mach_port_get(port);
			mach_entry_drop_send(space, entry);
		}
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		mach_entry_free(space, entry);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		mach_pset_remove_member(port);
		spin_lock(&port->lock);
		port->receiver = NULL;
		port->receiver_name = 0;
		/* XNU's ipc_port_clear_receiver: a moved right starts afresh */
		port->mscount = 0;
		port->seqno = 0;
		port->context = 0;
		port->guarded = false;
		port->strict_guard = false;
		/* waiting receivers see the port change hands */
		mach_waiters_wake_all(&port->rcv_waiters);
		mach_port_wake_pollers(port, EPOLLHUP);
		spin_unlock(&port->lock);
		entry->type &= ~MACH_PORT_TYPE_RECEIVE;
		if (entry->type & MACH_PORT_TYPE_SEND) {
			mach_port_get(port);
		} else {
			mach_rev_remove(space, entry);
			mach_entry_free(space, entry);
		}
		break;
	}
	*portp = port;
}

/*
 * Give a carried right (one reference, one right of 'type') to the space.
 * The right is consumed whatever the outcome; on failure the name is
 * MACH_PORT_DEAD and the right is destroyed.
 */
int mach_right_copyout(struct mach_space *space, struct mach_port *port,
		       u32 type, u32 *namep)
{
	struct mach_entry *entry;
	int kr;

	if (type != MACH_MSG_TYPE_PORT_RECEIVE && !mach_port_is_active(port)) {
		mach_right_release(port, type);
		*namep = MACH_PORT_DEAD;
		return KERN_SUCCESS;
	}

	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE) {
		entry = mach_rev_lookup(space, port);
		if (entry && type == MACH_MSG_TYPE_PORT_SEND) {
			if (entry->type & MACH_PORT_TYPE_SEND) {
				/* urefs saturate rather than fail, as XNU */
				if (entry->urefs < MACH_PORT_UREFS_MAX)
					entry->urefs++;
				mach_port_release_send(port);
			} else {
				entry->type |= MACH_PORT_TYPE_SEND;
				entry->urefs = 1;
				mach_port_put(port);
			}
			*namep = entry->name;
			return KERN_SUCCESS;
		}
		if (entry) {	/* receive right joins our send right */
			entry->type |= MACH_PORT_TYPE_RECEIVE;
			mach_port_put(port);
			goto set_receiver;
		}
	}

	kr = mach_entry_alloc(space, &entry);
	if (kr != KERN_SUCCESS)
		goto fail;
	entry->object = port;
	entry->urefs = 1;
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		entry->type = MACH_PORT_TYPE_SEND_ONCE;
		*namep = entry->name;
		return KERN_SUCCESS;
	case MACH_MSG_TYPE_PORT_SEND:
		entry->type = MACH_PORT_TYPE_SEND;
		break;
	default:
		entry->type = MACH_PORT_TYPE_RECEIVE;
		entry->urefs = 0;
		break;
	}
	kr = mach_rev_insert(space, entry);
	if (kr != KERN_SUCCESS) {
		mach_entry_free(space, entry);
		goto fail;
	}
	if (type == MACH_MSG_TYPE_PORT_SEND) {
		*namep = entry->name;
		return KERN_SUCCESS;
	}

set_receiver:
	spin_lock(&port->lock);
	port->receiver = space;
	port->receiver_name = entry->name;
	spin_unlock(&port->lock);
	*namep = entry->name;
	return KERN_SUCCESS;

fail:
	mach_right_release(port, type);
	*namep = MACH_PORT_DEAD;
	return kr;
}

/* Destroy a carried right that will never be received. */
void mach_right_release(struct mach_port *port, u32 type)
{
	mach_right_release_to(port, type, NULL);
}

/* The same, with receive rights left to a mach_port_destroy worklist. */
void mach_right_release_to(struct mach_port *port, u32 type,
			   struct mach_port_deaths *deaths)
{
	switch (type) {
	case MACH_MSG_TYPE_PORT_SEND:
		mach_port_release_send(port);
		break;
	case MACH_MSG_TYPE_PORT_SEND_ONCE:
		mach_port_destroy_sonce(port);
		break;
	case MACH_MSG_TYPE_PORT_RECEIVE:
		mach_port_destroy_to(port, deaths);
		break;
	}
}

/* Release every right an entry holds and free its name. */
void mach_right_destroy_entry(struct mach_space *space,
			      struct mach_entry *entry)
{
	u32 type = entry->type;
	void *object = entry->object;

	if (type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE))
		mach_rev_remove(space, entry);
	mach_entry_free(space, entry);

	if (type & MACH_PORT_TYPE_PORT_SET) {
		mach_pset_destroy(object);
	} else if (type & MACH_PORT_TYPE_RECEIVE) {
		if (type & MACH_PORT_TYPE_SEND)
			mach_port_drop_send(object);
		mach_pset_remove_member(object);
		mach_port_destroy(object);
	} else if (type & MACH_PORT_TYPE_SEND) {
		mach_port_release_send(object);
	} else if (type & MACH_PORT_TYPE_SEND_ONCE) {
		mach_port_destroy_sonce(object);
	}
}

/* mach_port_deallocate: one user reference of a send, send-once or dead name. */
int mach_right_dealloc(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_port *port;

	if (entry->type & MACH_PORT_TYPE_PORT_SET) {
		mach_right_destroy_entry(space, entry);
		return KERN_SUCCESS;
	}
	mach_right_check_dead(space, entry);

	/* a count pegged at the maximum no longer moves (XNU) */
	if (entry->urefs == MACH_PORT_UREFS_MAX)
		return KERN_SUCCESS;
	if (entry->type & MACH_PORT_TYPE_DEAD_NAME) {
		if (--entry->urefs == 0)
			mach_entry_free(space, entry);
		return KERN_SUCCESS;
	}
	if (entry->type & MACH_PORT_TYPE_SEND_ONCE) {
		mach_right_destroy_entry(space, entry);
		return KERN_SUCCESS;
	}
	if (!(entry->type & MACH_PORT_TYPE_SEND))
		return KERN_INVALID_RIGHT;

	port = entry->object;
	/* our own task port's last reference stays: it is pinned */
	if (entry->name == space->task_self && entry->urefs == 1)
		return KERN_SUCCESS;
	if (--entry->urefs > 0)
		return KERN_SUCCESS;
	if (entry->type & MACH_PORT_TYPE_RECEIVE) {
		mach_entry_drop_send(space, entry);
		mach_port_drop_send(port);
	} else {
		mach_entry_drop_send(space, entry);
		mach_port_release_send(port);
	}
	return KERN_SUCCESS;
}

/*
 * Apply a user-reference delta with modern XNU's rules: a delta larger than
 * MACH_PORT_UREFS_MAX is refused; a count that reached the maximum is
 * pegged there and only a delta removing all of it changes it; a count
 * that would overflow is clamped to the maximum.
 */
static int mach_urefs_apply(struct mach_entry *entry, s32 delta, s32 *eff)
{
	s64 max = MACH_PORT_UREFS_MAX;

	if (delta > max || delta < -max)
		return KERN_INVALID_VALUE;
	if (entry->urefs == max) {
		*eff = delta == -max ? delta : 0;
		return KERN_SUCCESS;
	}
	if ((s64)entry->urefs + delta < 0)
		return KERN_INVALID_VALUE;
	*eff = min_t(s64, delta, max - entry->urefs);
	return KERN_SUCCESS;
}

/* mach_port_mod_refs, with XNU's rules for each right. */
int mach_right_delta(struct mach_space *space, struct mach_entry *entry,
		     u32 right, s32 delta)
{
	struct mach_port *port;
	int kr;

	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
			return KERN_INVALID_RIGHT;
		if (delta > 0 || delta < -1)
			return KERN_INVALID_VALUE;
		if (delta == 0)
			return KERN_SUCCESS;
		port = entry->object;
		if (entry->type & MACH_PORT_TYPE_SEND) {
			/* the name lives on as a dead name with the send urefs */
			mach_rev_remove(space, entry);
			entry->type = MACH_PORT_TYPE_DEAD_NAME;
			entry->object = NULL;
			mach_port_drop_send(port);
			/* the entry's reference goes with the receive right */
			mach_pset_remove_member(port);
			mach_port_destroy(port);
			mach_dnreq_dead(space, entry);
		} else {
			mach_rev_remove(space, entry);
			mach_entry_free(space, entry);
			mach_pset_remove_member(port);
			mach_port_destroy(port);
		}
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_PORT_SET:
		if (!(entry->type & MACH_PORT_TYPE_PORT_SET))
			return KERN_INVALID_RIGHT;
		if (delta > 0 || delta < -1)
			return KERN_INVALID_VALUE;
		if (delta == -1)
			mach_right_destroy_entry(space, entry);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_SEND_ONCE:
		if (!(entry->type & MACH_PORT_TYPE_SEND_ONCE))
			return KERN_INVALID_RIGHT;
		if (mach_right_check_dead(space, entry))
			return KERN_INVALID_RIGHT;
		if (delta > 0 || delta < -1)
			return KERN_INVALID_VALUE;
		if (delta == -1)
			mach_right_destroy_entry(space, entry);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_DEAD_NAME:
		if (entry->type & MACH_PORT_TYPE_SEND_RIGHTS) {
			if (!mach_right_check_dead(space, entry))
				return KERN_INVALID_RIGHT;
		} else if (!(entry->type & MACH_PORT_TYPE_DEAD_NAME)) {
			return KERN_INVALID_RIGHT;
		}
		kr = mach_urefs_apply(entry, delta, &delta);
		if (kr != KERN_SUCCESS)
			return kr;
		entry->urefs += delta;
		if (entry->urefs == 0)
			mach_entry_free(space, entry);
		return KERN_SUCCESS;

	case MACH_PORT_RIGHT_SEND:
		if (!(entry->type & MACH_PORT_TYPE_SEND))
			return KERN_INVALID_RIGHT;
		if (mach_right_check_dead(space, entry))
			return KERN_INVALID_RIGHT;
		kr = mach_urefs_apply(entry, delta, &delta);
		if (kr != KERN_SUCCESS)
			return kr;
		if (entry->name == space->task_self &&
		    entry->urefs + delta == 0)
			return KERN_SUCCESS;	/* pinned, see dealloc */
		entry->urefs += delta;
		if (entry->urefs == 0) {
			port = entry->object;
			if (entry->type & MACH_PORT_TYPE_RECEIVE) {
				mach_entry_drop_send(space, entry);
				mach_port_drop_send(port);
			} else {
				mach_entry_drop_send(space, entry);
				mach_port_release_send(port);
			}
		}
		return KERN_SUCCESS;

	default:
		return KERN_INVALID_VALUE;
	}
}

/* mach_port_type and get_refs: the type bits and the send/dead urefs. */
u32 mach_right_info(struct mach_space *space, struct mach_entry *entry,
		    u32 *urefs)
{
	mach_right_check_dead(space, entry);
	*urefs = entry->urefs;
	return entry->type | (entry->dnreq ? MACH_PORT_TYPE_DNREQUEST : 0);
}

/*
 * A dead name given where a right is taken: it stands for MACH_PORT_DEAD,
 * and a move uses up one of its user references (a pegged count stays), as
 * XNU's copyin of a dead name does.
 */
void mach_right_take_dead(struct mach_space *space, struct mach_entry *entry,
			  u32 disp)
{
	if (disp != MACH_MSG_TYPE_MOVE_SEND &&
	    disp != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return;
	if (entry->urefs == MACH_PORT_UREFS_MAX)
		return;
	if (--entry->urefs == 0)
		mach_entry_free(space, entry);
}

/*
 * Take a right out of a space for the kernel to hold, with the space's lock
 * held only around it.  Returns the copyin's kern_return_t, and for a dead
 * name 'dead_kr': KERN_SUCCESS takes it as MACH_KPORT_DEAD (what XNU's
 * ipc_object_copyin gives the routines), anything else is returned with the
 * name left alone.  KERN_INVALID_TASK when the space has died.  Moving the
 * last reference to the task's pinned port is KERN_INVALID_CAPABILITY.
 */
int mach_right_take(struct mach_space *space, u32 name, u32 disp,
		    int dead_kr, struct mach_port **portp)
{
	struct mach_entry *entry;
	int kr;

	mutex_lock(&space->lock);
	if (!space->active) {
		kr = KERN_INVALID_TASK;
	} else {
		kr = mach_right_copyin_check_entry(space, name, disp, &entry);
		if (kr == KERN_SUCCESS) {
			mach_right_copyin_entry(space, entry, disp, portp);
		} else if (kr == KERN_INVALID_CAPABILITY &&
			   (entry->type & MACH_PORT_TYPE_DEAD_NAME)) {
			kr = dead_kr;
			if (kr == KERN_SUCCESS) {
				mach_right_take_dead(space, entry, disp);
				*portp = MACH_KPORT_DEAD;
			}
		}
	}
	mutex_unlock(&space->lock);
	return kr;
}

/*
 * Give a right the kernel holds to a space and name it there (a NULL port
 * names MACH_PORT_NULL).  The right is consumed whatever happens.
 */
int mach_right_give(struct mach_space *space, struct mach_port *port,
		    u32 type, u32 *name)
{
	int kr;

	*name = MACH_PORT_NULL;
	if (!port)
		return KERN_SUCCESS;
	mutex_lock(&space->lock);
	kr = mach_right_copyout(space, port, type, name);
	mutex_unlock(&space->lock);
	return kr;
}
