// SPDX-License-Identifier: GPL-2.0
/*
 * Notifications are ordinary messages that the kernel sends, on the
 * send-once right the requester supplied, with XNU's ids and layouts
 * (mach/notify.h).  They ignore the destination's queue limit, as in Mach,
 * so that they never block.
 */

#include <linux/slab.h>
#include <linux/spinlock.h>
#include "desc.h"
#include "kmsg.h"
#include "mqueue.h"
#include "notify.h"
#include "port.h"
#include "right.h"
#include "space.h"

/* NDR_record for the LP64 little-endian ABI: int 1 (LE), char 0 (ASCII). */
static const u8 mach_ndr_record[8] = { 0, 0, 0, 0, 1, 0, 0, 0 };

#define MACH_NOTIFY_BODY_SIZE	(sizeof(struct mach_msg_header) + 8 + 4)

/*
 * Send a kernel message of a header, the NDR record and one 32-bit value
 * on a right of 'type' (PORT_SEND_ONCE or PORT_SEND), which it consumes.
 */
void mach_kernel_send_u32(struct mach_port *port, u32 type, s32 id, u32 value)
{
	struct mach_kmsg *kmsg = mach_kmsg_alloc(MACH_NOTIFY_BODY_SIZE);
	u8 *body;

	if (!kmsg) {
		mach_right_release(port, type);
		return;
	}
	kmsg->hdr->bits = MACH_MSGH_BITS(type, 0);
	kmsg->hdr->size = MACH_NOTIFY_BODY_SIZE;
	kmsg->hdr->id = id;
	body = kmsg->data + sizeof(struct mach_msg_header);
	memcpy(body, mach_ndr_record, sizeof(mach_ndr_record));
	memcpy(body + sizeof(mach_ndr_record), &value, sizeof(value));
	kmsg->dest = port;
	kmsg->dest_type = type;
	mach_mqueue_send_kernel(kmsg);
}

/* A notification with a 32-bit argument after the NDR record. */
static void mach_notify_u32(struct mach_port *notify, s32 id, u32 value)
{
	mach_kernel_send_u32(notify, MACH_MSG_TYPE_PORT_SEND_ONCE, id, value);
}

/*
 * MACH_NOTIFY_SEND_ONCE: a send-once right was destroyed unused.  The
 * notification travels on the right itself, so it consumes it; the message
 * is a bare header (mach_send_once_notification_t less its trailer).
 */
void mach_notify_send_once(struct mach_port *port)
{
	struct mach_kmsg *kmsg;

	kmsg = mach_kmsg_alloc(sizeof(struct mach_msg_header));
	if (!kmsg) {
		mach_port_release_sonce(port);
		return;
	}
	kmsg->hdr->bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	kmsg->hdr->size = sizeof(struct mach_msg_header);
	kmsg->hdr->id = MACH_NOTIFY_SEND_ONCE;
	kmsg->dest = port;
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	mach_mqueue_send_kernel(kmsg);
}

void mach_notify_dead_name(struct mach_port *notify, u32 name)
{
	mach_notify_u32(notify, MACH_NOTIFY_DEAD_NAME, name);
}

void mach_notify_port_deleted(struct mach_port *notify, u32 name)
{
	mach_notify_u32(notify, MACH_NOTIFY_PORT_DELETED, name);
}

void mach_notify_no_senders(struct mach_port *notify, u32 mscount)
{
	mach_notify_u32(notify, MACH_NOTIFY_NO_SENDERS, mscount);
}

/*
 * MACH_NOTIFY_PORT_DESTROYED: the receive right travels back to the
 * requester in a port descriptor instead of dying.  Consumes the receive
 * right's reference.
 */
void mach_notify_port_destroyed(struct mach_port *notify,
				struct mach_port *port)
{
	u32 size = sizeof(struct mach_msg_header) + 4 + 12;
	struct mach_kmsg *kmsg = mach_kmsg_alloc(size);
	u8 *body;

	if (kmsg)
		kmsg->desc = kzalloc(sizeof(*kmsg->desc), GFP_KERNEL_ACCOUNT);
	if (!kmsg || !kmsg->desc) {
		if (kmsg)
			mach_kmsg_free(kmsg);
		mach_port_release_sonce(notify);
		mach_port_destroy(port);
		return;
	}
	kmsg->hdr->bits = MACH_MSGH_BITS_COMPLEX |
			  MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
	kmsg->hdr->size = size;
	kmsg->hdr->id = MACH_NOTIFY_PORT_DESTROYED;
	body = kmsg->data + sizeof(struct mach_msg_header);
	memset(body, 0, 4 + 12);
	body[0] = 1;					/* descriptor count */
	body[4 + 10] = MACH_MSG_TYPE_PORT_RECEIVE;	/* disposition */
	body[4 + 11] = MACH_MSG_PORT_DESCRIPTOR;	/* type */
	kmsg->ndesc = 1;
	kmsg->desc[0].type = MACH_MSG_PORT_DESCRIPTOR;
	kmsg->desc[0].disp = MACH_MSG_TYPE_MOVE_RECEIVE;
	kmsg->desc[0].offset = sizeof(struct mach_msg_header) + 4;
	kmsg->desc[0].port = port;
	kmsg->carries_receive = true;
	kmsg->dest = notify;
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	mach_mqueue_send_kernel(kmsg);
}

/* The port died: send every dead-name notification requested on it. */
void mach_dnreq_fire_all(struct mach_port *port)
{
	struct mach_dnnote *note;
	struct hlist_node *next;
	HLIST_HEAD(fired);

	/* the port's list is newest first: 'fired' is oldest first */
	spin_lock(&port->lock);
	if (!port->requests) {
		spin_unlock(&port->lock);
		return;
	}
	hlist_for_each_entry_safe(note, next, &port->requests->dnrequests,
				  link) {
		note->req->fired = true;
		note->req->note = NULL;
		note->req = NULL;
		hlist_del(&note->link);
		hlist_add_head(&note->link, &fired);
	}
	spin_unlock(&port->lock);

	hlist_for_each_entry_safe(note, next, &fired, link) {
		mach_notify_dead_name(note->notify, note->name);
		kfree(note);
	}
}

/*
 * Free a request.  Returns whether the port died with it registered (the
 * dead-name notification went out); otherwise *notifyp gets the unused
 * send-once notify right.
 */
static bool mach_dnreq_detach(struct mach_dnreq *req,
			      struct mach_port **notifyp)
{
	struct mach_port *port = req->port;
	struct mach_dnnote *note;
	bool fired;

	spin_lock(&port->lock);
	fired = req->fired;
	note = req->note;
	if (note)
		hlist_del(&note->link);
	spin_unlock(&port->lock);

	*notifyp = note ? note->notify : NULL;
	kfree(note);
	mach_port_put(port);
	kfree(req);
	return fired;
}

/*
 * The name is going away while its port lives: as XNU does, the requester
 * hears MACH_NOTIFY_PORT_DELETED.  Requires space->lock.
 */
bool mach_dnreq_cancel(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_dnreq *req = mach_entry_dnreq(space, entry);
	struct mach_port *notify;
	bool fired;

	if (!req)
		return false;
	mach_entry_set_dnreq(space, entry, NULL);
	fired = mach_dnreq_detach(req, &notify);
	if (notify)
		mach_notify_port_deleted(notify, entry->name);
	return fired;
}

/*
 * The entry became a dead name: the request is over.  If the dead-name
 * notification was sent, the name holds one more user reference for it,
 * which the notification's receiver is expected to deallocate (XNU).
 */
void mach_dnreq_dead(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_dnreq *req = mach_entry_dnreq(space, entry);
	struct mach_port *notify;

	if (!req)
		return;
	mach_entry_set_dnreq(space, entry, NULL);
	if (mach_dnreq_detach(req, &notify) &&
	    entry->urefs < MACH_PORT_UREFS_MAX)
		entry->urefs++;
	if (notify) {	/* raced with the death: the notification is ours */
		if (entry->urefs < MACH_PORT_UREFS_MAX)
			entry->urefs++;
		mach_notify_dead_name(notify, entry->name);
	}
}

/* A send-once right for notifications, taken from the caller's space. */
static int mach_notify_take(struct mach_space *caller, u32 name, u32 poly,
			    struct mach_port **portp)
{
	*portp = NULL;
	if (name == MACH_PORT_NULL)
		return KERN_SUCCESS;
	if (poly != MACH_MSG_TYPE_MAKE_SEND_ONCE &&
	    poly != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		return KERN_INVALID_VALUE;
	if (name == MACH_PORT_DEAD)
		return KERN_INVALID_CAPABILITY;
	/* NAME, RIGHT, or CAPABILITY for a dead one */
	return mach_right_take(caller, name, poly, KERN_INVALID_CAPABILITY,
			       portp);
}

/* Register (or replace, or cancel) a dead-name request on a name. */
static int mach_request_dead_name(struct mach_space *task, u32 name, u32 sync,
				  struct mach_port *notify,
				  struct mach_port **previous)
{
	struct mach_dnreq *req = NULL, *old;
	struct mach_dnnote *note = NULL;
	struct mach_entry *entry;
	struct mach_port *port;

	if (notify) {
		req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
		note = kzalloc(sizeof(*note), GFP_KERNEL_ACCOUNT);
		if (!req || !note) {
			kfree(req);
			kfree(note);
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	mutex_lock(&task->lock);
	entry = task->active ? mach_entry_lookup(task, name) : NULL;
	if (!entry) {
		mutex_unlock(&task->lock);
		kfree(req);
		kfree(note);
		return task->active ? KERN_INVALID_NAME : KERN_INVALID_TASK;
	}
	mach_right_check_dead(task, entry);
	if (entry->type & MACH_PORT_TYPE_DEAD_NAME) {
		/*
		 * already dead: notify now if asked to (sync), with the
		 * extra user reference the notification stands for
		 */
		mutex_unlock(&task->lock);
		kfree(req);
		kfree(note);
		if (!sync || !notify)
			return KERN_INVALID_ARGUMENT;
		mutex_lock(&task->lock);
		entry = mach_entry_lookup(task, name);
		if (entry && entry->urefs < MACH_PORT_UREFS_MAX)
			entry->urefs++;
		mutex_unlock(&task->lock);
		mach_notify_dead_name(notify, name);
		return KERN_SUCCESS;
	}
	if (!(entry->type & MACH_PORT_TYPE_PORT_RIGHTS) ||
	    (req && (mach_entry_reserve_dnreq(task, entry) != KERN_SUCCESS ||
		     mach_port_requests_alloc(entry->object) != KERN_SUCCESS))) {
		mutex_unlock(&task->lock);
		kfree(req);
		kfree(note);
		return entry->type & MACH_PORT_TYPE_PORT_RIGHTS ?
		       KERN_RESOURCE_SHORTAGE : KERN_INVALID_RIGHT;
	}

	/* a request already there is replaced; its right comes back */
	old = mach_entry_dnreq(task, entry);
	mach_entry_set_dnreq(task, entry, req);
	if (old)
		mach_dnreq_detach(old, previous);
	if (req) {
		port = entry->object;
		mach_port_get(port);
		req->port = port;
		note->notify = notify;
		note->name = name;
		note->req = req;
		spin_lock(&port->lock);
		if (port->active) {
			req->note = note;
			hlist_add_head(&note->link,
				       &port->requests->dnrequests);
		} else {
			/* died since we looked: the request fires at once */
			req->fired = true;
		}
		spin_unlock(&port->lock);
		if (req->fired) {
			mach_notify_dead_name(notify, name);
			kfree(note);
		}
	}
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

/* No-senders and port-destroyed requests live on the receive right. */
static int mach_request_on_receive(struct mach_space *task, u32 name,
				   u32 msgid, u32 sync,
				   struct mach_port *notify,
				   struct mach_port **previous)
{
	struct mach_port_requests *req;
	struct mach_entry *entry;
	struct mach_port *port, *fire = NULL;
	u32 mscount = 0;

	mutex_lock(&task->lock);
	entry = task->active ? mach_entry_lookup(task, name) : NULL;
	if (!entry || !(entry->type & MACH_PORT_TYPE_RECEIVE)) {
		mutex_unlock(&task->lock);
		return entry ? KERN_INVALID_RIGHT : KERN_INVALID_NAME;
	}
	port = entry->object;
	if (notify && mach_port_requests_alloc(port) != KERN_SUCCESS) {
		mutex_unlock(&task->lock);
		return KERN_RESOURCE_SHORTAGE;
	}
	spin_lock(&port->lock);
	req = port->requests;	/* NULL only when cancelling: none to cancel */
	if (msgid == MACH_NOTIFY_PORT_DESTROYED) {
		*previous = req ? req->pdrequest : NULL;
		if (req)
			req->pdrequest = notify;
	} else {
		*previous = req ? req->nsrequest : NULL;
		if (req)
			req->nsrequest = NULL;
		/*
		 * no senders already, and the caller has seen every
		 * make-send: fire at once (ipc_port_nsrequest)
		 */
		if (notify && !port->srights && sync <= port->mscount) {
			fire = notify;
			mscount = port->mscount;
		} else if (req) {
			req->nsrequest = notify;
		}
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	if (fire)
		mach_notify_no_senders(fire, mscount);
	return KERN_SUCCESS;
}

/*
 * mach_port_request_notification.  The notify right comes from the
 * caller's space; the previous right, if any, is returned there.
 */
int mach_notify_request(struct mach_space *caller, struct mach_space *task,
			u32 name, u32 msgid, u32 sync, u32 notify_name,
			u32 notify_poly, u32 *previous)
{
	struct mach_port *notify, *prev = NULL;
	int kr;

	*previous = MACH_PORT_NULL;
	/* the notify right is taken first, as XNU copies it in first */
	kr = mach_notify_take(caller, notify_name, notify_poly, &notify);
	if (kr != KERN_SUCCESS)
		return kr;
	switch (msgid) {
	case MACH_NOTIFY_PORT_DESTROYED:
		kr = sync ? KERN_INVALID_VALUE :
		     !MACH_PORT_VALID(name) ? KERN_INVALID_RIGHT : KERN_SUCCESS;
		break;
	case MACH_NOTIFY_NO_SENDERS:
		kr = MACH_PORT_VALID(name) ? KERN_SUCCESS : KERN_INVALID_RIGHT;
		break;
	case MACH_NOTIFY_DEAD_NAME:
		kr = MACH_PORT_VALID(name) ? KERN_SUCCESS :
		     KERN_INVALID_ARGUMENT;
		break;
	default:
		kr = KERN_INVALID_VALUE;
		break;
	}
	if (kr != KERN_SUCCESS)
		goto fail;
	if (msgid == MACH_NOTIFY_DEAD_NAME)
		kr = mach_request_dead_name(task, name, sync, notify, &prev);
	else
		kr = mach_request_on_receive(task, name, msgid, sync, notify,
					     &prev);
	if (kr != KERN_SUCCESS)
		goto fail;
	return mach_right_give(caller, prev, MACH_MSG_TYPE_PORT_SEND_ONCE,
			       previous);

fail:
	/*
	 * as on XNU, the right made for a failed request is destroyed,
	 * which the notify port hears as a send-once notification
	 */
	if (notify)
		mach_port_destroy_sonce(notify);
	return kr;
}
