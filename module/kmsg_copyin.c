// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a message's rights out of the sender's space, all or nothing.
 *
 * Every right the message names (destination, reply, port descriptors,
 * OOL port arrays) becomes one 'use'.  Under one hold of the space lock the
 * uses are checked one by one (in message order, so the first bad one picks
 * the error code, as XNU's in-order copyin would), then per name (a name
 * used several times must hold enough: n moves of a send right need n user
 * references, a send-once or receive right moves at most once).  Only then
 * are rights taken: copies and makes first, moves last, so that making a
 * send right from a receive right that the same message moves works.
 *
 * XNU consumes rights as it goes and destroys them when a later descriptor
 * fails; here a failed send leaves the sender exactly as it was.
 */

#include <linux/slab.h>
#include <linux/sort.h>
#include "desc.h"
#include "kmsg.h"
#include "port.h"
#include "right.h"
#include "space.h"

enum mach_use_where { USE_DEST, USE_REPLY, USE_BODY };

struct mach_use {
	u32 name;
	u8 disp;
	u8 where;
	bool dead;		/* names a dead port: travels as MACH_PORT_DEAD */
	struct mach_port **slot;
	struct mach_entry *entry;	/* found by the check */
};

static bool mach_disp_is_move(u32 disp)
{
	return disp == MACH_MSG_TYPE_MOVE_SEND ||
	       disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
	       disp == MACH_MSG_TYPE_MOVE_RECEIVE;
}

static int mach_use_cmp(const void *a, const void *b)
{
	const struct mach_use *x = a, *y = b;

	return x->name < y->name ? -1 : x->name > y->name;
}

static int mach_use_error(u8 where)
{
	switch (where) {
	case USE_DEST:
		return MACH_SEND_INVALID_DEST;
	case USE_REPLY:
		return MACH_SEND_INVALID_REPLY;
	default:
		return MACH_SEND_INVALID_RIGHT;
	}
}

/* Collect the uses; NULL and DEAD names in the body are settled here. */
static u32 mach_uses_collect(struct mach_kmsg *kmsg, struct mach_use *uses)
{
	struct mach_msg_header *h = kmsg->hdr;
	u32 n = 0, i, j;

	uses[n++] = (struct mach_use){ h->remote,
		MACH_MSGH_BITS_REMOTE(h->bits), USE_DEST, false, &kmsg->dest,
		NULL };
	if (h->local == MACH_PORT_DEAD)
		kmsg->reply = MACH_KPORT_DEAD;
	else if (MACH_PORT_VALID(h->local))
		uses[n++] = (struct mach_use){ h->local,
			MACH_MSGH_BITS_LOCAL(h->bits), USE_REPLY, false,
			&kmsg->reply, NULL };

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];
		u32 cnt = d->type == MACH_MSG_PORT_DESCRIPTOR ? 1 :
			  d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR ? d->count : 0;

		for (j = 0; j < cnt; j++) {
			struct mach_port **slot = d->ports ? &d->ports[j] :
							     &d->port;
			u32 name = d->names ? d->names[j] :
				   *(u32 *)(kmsg->data + d->offset);

			if (name == MACH_PORT_DEAD)
				*slot = MACH_KPORT_DEAD;
			else if (MACH_PORT_VALID(name))
				uses[n++] = (struct mach_use){ name, d->disp,
					USE_BODY, false, slot, NULL };
			if (d->disp == MACH_MSG_TYPE_MOVE_RECEIVE)
				kmsg->carries_receive = true;
		}
	}
	return n;
}

static u32 mach_uses_count(struct mach_kmsg *kmsg)
{
	u32 n = 2, i;

	for (i = 0; i < kmsg->ndesc; i++)
		n += kmsg->desc[i].type == MACH_MSG_OOL_PORTS_DESCRIPTOR ?
		     kmsg->desc[i].count : 1;
	return n;
}

/* Check each use alone, in message order. */
static int mach_uses_check_each(struct mach_space *space,
				struct mach_use *uses, u32 n)
{
	u32 i;
	int kr;

	for (i = 0; i < n; i++) {
		kr = mach_right_copyin_check_entry(space, uses[i].name,
						   uses[i].disp, &uses[i].entry);
		/*
		 * a right to a dead port travels as MACH_PORT_DEAD, except
		 * as the destination
		 */
		if (kr == KERN_INVALID_CAPABILITY && uses[i].where != USE_DEST &&
		    (uses[i].entry->type & MACH_PORT_TYPE_DEAD_NAME)) {
			uses[i].dead = true;
			continue;
		}
		if (kr != KERN_SUCCESS)
			return mach_use_error(uses[i].where);
	}
	return MACH_MSG_SUCCESS;
}

/* Check names used more than once; 'uses' is sorted by name. */
static int mach_uses_check_groups(struct mach_space *space,
				  struct mach_use *uses, u32 n)
{
	u32 i = 0, j;

	while (i < n) {
		u32 moves_send = 0, moves_once = 0, moves_recv = 0, dead = 0;
		u8 worst = USE_DEST;
		struct mach_entry *entry;

		for (j = i; j < n && uses[j].name == uses[i].name; j++) {
			worst = max(worst, uses[j].where);
			if (uses[j].dead)
				dead += mach_disp_is_move(uses[j].disp);
			else if (uses[j].disp == MACH_MSG_TYPE_MOVE_SEND)
				moves_send++;
			else if (uses[j].disp == MACH_MSG_TYPE_MOVE_SEND_ONCE)
				moves_once++;
			else if (uses[j].disp == MACH_MSG_TYPE_MOVE_RECEIVE)
				moves_recv++;
		}
		if (j - i > 1) {
			entry = mach_entry_lookup(space, uses[i].name);
			if (moves_once > 1 || (moves_once && j - i > 1) ||
			    moves_recv > 1 || moves_send > entry->urefs ||
			    dead > entry->urefs ||
			    (moves_send &&
			     mach_entry_pinned_last(space, entry, moves_send)))
				return worst == USE_BODY ?
				       MACH_SEND_INVALID_RIGHT :
				       MACH_SEND_INVALID_REPLY;
		}
		i = j;
	}
	return MACH_MSG_SUCCESS;
}

/* Take a dead name's share: a move consumes one of its user references. */
static void mach_use_take_dead(struct mach_space *space, struct mach_use *use)
{
	struct mach_entry *entry = use->entry;

	*use->slot = MACH_KPORT_DEAD;
	if (entry && entry->name == use->name)
		mach_right_take_dead(space, entry, use->disp);
}

/*
 * The receive target of a combined call, looked up under the same lock
 * hold; an RPC client receives on the port it names as its reply port,
 * whose entry the header's copyin has just looked at.
 */
static void mach_rcv_target_find(struct mach_space *space,
				 struct mach_rcv_target *rt,
				 struct mach_entry *seen)
{
	if (seen && seen->name == rt->name &&
	    (seen->type & MACH_PORT_TYPE_RECEIVE) &&
	    !(seen->type & MACH_PORT_TYPE_PORT_SET)) {
		rt->done = true;
		rt->port = seen->object;
		mach_port_get(rt->port);
		return;
	}
	mach_rcv_target_lookup(space, rt);
}

/*
 * The common case, a message without a body naming two different rights
 * (or only its destination): the same checks, codes and effects as the
 * general path below, without its bookkeeping.  With two distinct names
 * the order of the takes does not matter.  -EAGAIN: the general path must
 * do it (one name used twice).
 */
static int mach_kmsg_copyin_header(struct mach_space *space,
				   struct mach_kmsg *kmsg,
				   struct mach_rcv_target *rt)
{
	struct mach_msg_header *h = kmsg->hdr;
	struct mach_use reply = { h->local, MACH_MSGH_BITS_LOCAL(h->bits),
				  USE_REPLY, false, &kmsg->reply, NULL };
	u32 dest_disp = MACH_MSGH_BITS_REMOTE(h->bits);
	bool has_reply = MACH_PORT_VALID(h->local);
	struct mach_entry *dest;
	int ret = MACH_MSG_SUCCESS;

	if (has_reply && h->local == h->remote)
		return -EAGAIN;
	if (h->local == MACH_PORT_DEAD)
		kmsg->reply = MACH_KPORT_DEAD;

	mutex_lock(&space->lock);
	if (mach_right_copyin_check_entry(space, h->remote, dest_disp, &dest)) {
		ret = MACH_SEND_INVALID_DEST;
		goto out;
	}
	if (has_reply) {
		ret = mach_uses_check_each(space, &reply, 1);
		if (ret)
			goto out;
	}
	mach_right_copyin_entry(space, dest, dest_disp, &kmsg->dest);
	if (reply.dead)
		mach_use_take_dead(space, &reply);
	else if (has_reply)
		mach_right_copyin_entry(space, reply.entry, reply.disp,
					reply.slot);
	if (rt)
		mach_rcv_target_find(space, rt, reply.entry);
out:
	mutex_unlock(&space->lock);
	return ret;
}

/* Most messages name a few rights: those need no allocation. */
#define MACH_USES_ON_STACK	8

/*
 * The general case.  A function of its own, so that its array of uses is
 * not on the stack of the header-only case (INIT_STACK_ALL_ZERO kernels
 * clear a frame's arrays on every call).
 */
static noinline int mach_kmsg_copyin_all(struct mach_space *space,
					 struct mach_kmsg *kmsg,
					 struct mach_rcv_target *rt)
{
	struct mach_use stack_uses[MACH_USES_ON_STACK], *uses = stack_uses;
	u32 n, i, pass, count = mach_uses_count(kmsg);
	int ret;

	if (count > MACH_USES_ON_STACK) {
		uses = kvmalloc_array(count, sizeof(*uses), GFP_KERNEL_ACCOUNT);
		if (!uses)
			return MACH_SEND_NO_BUFFER;
	}
	n = mach_uses_collect(kmsg, uses);

	mutex_lock(&space->lock);
	ret = mach_uses_check_each(space, uses, n);
	if (ret)
		goto out;
	/* the header alone (dest and reply) is the common case */
	if (n > 2 || (n == 2 && uses[0].name == uses[1].name)) {
		sort(uses, n, sizeof(*uses), mach_use_cmp, NULL);
		ret = mach_uses_check_groups(space, uses, n);
		if (ret)
			goto out;
	}

	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			if (mach_disp_is_move(uses[i].disp) != pass)
				continue;
			if (uses[i].dead)
				mach_use_take_dead(space, &uses[i]);
			else
				mach_right_copyin_entry(space, uses[i].entry,
							uses[i].disp,
							uses[i].slot);
		}
	}
	if (rt)
		mach_rcv_target_lookup(space, rt);
out:
	mutex_unlock(&space->lock);
	if (uses != stack_uses)
		kvfree(uses);
	return ret;
}

int mach_kmsg_copyin_rights(struct mach_space *space, struct mach_kmsg *kmsg,
			    struct mach_rcv_target *rt)
{
	int ret;

	if (!kmsg->ndesc) {
		ret = mach_kmsg_copyin_header(space, kmsg, rt);
		if (ret != -EAGAIN)
			return ret;
	}
	return mach_kmsg_copyin_all(space, kmsg, rt);
}
