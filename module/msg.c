// SPDX-License-Identifier: GPL-2.0
/*
 * mach_msg(): the send phase (copyin, enqueue) and the receive phase
 * (dequeue, copyout), in that order, as XNU does them.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "desc.h"
#include "kmsg.h"
#include "kobject.h"
#include "mach_trace.h"
#include "msg.h"
#include "mqueue.h"
#include "port.h"
#include "pset.h"
#include "right.h"
#include "space.h"
#include "stats.h"
#include "ucopy.h"

unsigned int mach_max_inline = 48 << 20;

/* The header's shape, before any right is looked at (XNU's order). */
static int mach_msg_check_header(const struct mach_msg_header *h)
{
	u32 dest_disp = MACH_MSGH_BITS_REMOTE(h->bits);
	u32 reply_disp = MACH_MSGH_BITS_LOCAL(h->bits);
	u32 voucher_disp = MACH_MSGH_BITS_VOUCHER(h->bits);

	if (h->bits & ~MACH_MSGH_BITS_USER)
		return MACH_SEND_INVALID_HEADER;
	if (!MACH_MSG_TYPE_PORT_ANY_SEND(dest_disp))
		return MACH_SEND_INVALID_HEADER;
	if (reply_disp ? !MACH_MSG_TYPE_PORT_ANY_SEND(reply_disp) :
			 h->local != MACH_PORT_NULL)
		return MACH_SEND_INVALID_HEADER;
	if (voucher_disp && voucher_disp != MACH_MSG_TYPE_MOVE_SEND &&
	    voucher_disp != MACH_MSG_TYPE_COPY_SEND)
		return MACH_SEND_INVALID_HEADER;
	/* no vouchers exist here, so none can be named */
	if (voucher_disp && MACH_PORT_VALID(h->voucher))
		return MACH_SEND_INVALID_VOUCHER;
	if (!MACH_PORT_VALID(h->remote))
		return MACH_SEND_INVALID_DEST;
	return MACH_MSG_SUCCESS;
}

static u32 mach_msg_reply_bits(const struct mach_kmsg *kmsg)
{
	return kmsg->reply ? kmsg->reply_type : 0;
}

/*
 * Give the header's rights back to the sender after a send that could not
 * complete (timeout, signal), and write the header back to its buffer, as
 * XNU's pseudo-receive does.  Destination stays remote, reply stays local.
 * Returns whether the header was written back; the caller returns the
 * send's error either way, as XNU's mach_msg_receive_pseudo does.
 */
static bool mach_msg_send_undo(struct mach_space *space, struct mach_kmsg *kmsg,
			       void __user *ubuf)
{
	struct mach_msg_header *h = kmsg->hdr;
	u32 dest_name, reply_name = MACH_PORT_NULL;

	mutex_lock(&space->lock);
	mach_right_copyout(space, kmsg->dest, kmsg->dest_type, &dest_name);
	if (kmsg->reply == MACH_KPORT_DEAD)
		reply_name = MACH_PORT_DEAD;
	else if (kmsg->reply)
		mach_right_copyout(space, kmsg->reply, kmsg->reply_type,
				   &reply_name);
	mutex_unlock(&space->lock);
	h->bits = (h->bits & ~MACH_MSGH_BITS_PORTS_MASK) |
		  MACH_MSGH_BITS(kmsg->dest_type, mach_msg_reply_bits(kmsg));
	kmsg->dest = NULL;
	kmsg->reply = NULL;
	h->remote = dest_name;
	h->local = reply_name;
	h->voucher = MACH_PORT_NULL;
	/* the body's rights and memory come back as if received */
	if (kmsg->ndesc)
		mach_desc_copyout(space, kmsg);
	return !copy_to_user(ubuf, kmsg->data, kmsg->size);
}

static int mach_msg_send(struct mach_space *space, const struct mach_ioc_msg *a,
			 struct mach_rcv_target *rt)
{
	void __user *ubuf = u64_to_user_ptr(a->send_msg);
	struct mach_kmsg *kmsg;
	u32 size = a->send_size;
	int ret;

	if (size < sizeof(struct mach_msg_header) || (size & 3))
		return MACH_SEND_MSG_TOO_SMALL;
	if (size > mach_max_inline)
		return MACH_SEND_TOO_LARGE;

	kmsg = mach_kmsg_alloc_charged(space, size);
	if (!kmsg)
		return MACH_SEND_NO_BUFFER;
	if (size <= MACH_UCOPY_SMALL ? mach_copy_in_small(kmsg->data, ubuf, size) :
	    copy_from_user(kmsg->data, ubuf, size)) {
		mach_kmsg_free(kmsg);
		return MACH_SEND_INVALID_DATA;
	}
	kmsg->hdr->size = size;
	ret = mach_msg_check_header(kmsg->hdr);
	if (!ret && (kmsg->hdr->bits & MACH_MSGH_BITS_COMPLEX)) {
		ret = mach_desc_parse(space, kmsg);
		if (!ret && !mach_kmsg_charge_ool(kmsg))
			ret = MACH_SEND_NO_BUFFER;
	}
	if (!ret)
		ret = mach_kmsg_copyin_rights(space, kmsg, rt);
	if (ret) {
		mach_kmsg_free(kmsg);
		return ret;
	}
	kmsg->dest_type = mach_right_carried_type(MACH_MSGH_BITS_REMOTE(kmsg->hdr->bits));
	if (kmsg->reply)
		kmsg->reply_type = mach_right_carried_type(MACH_MSGH_BITS_LOCAL(kmsg->hdr->bits));
	mach_desc_sender_dealloc(kmsg);
	mach_kmsg_set_sender(kmsg);

	/* a kernel-object port: the kernel is its receiver */
	if (kmsg->dest->kobj_type != MACH_KOBJ_NONE) {
		mach_kobject_server(kmsg);
		ret = MACH_MSG_SUCCESS;
	} else {
		ret = mach_mqueue_send(kmsg, a->option, a->timeout);
	}
	if (ret == MACH_MSG_SUCCESS) {
		mach_stat_inc(MACH_STAT_SENT);
		mach_stat_add(MACH_STAT_SENT_BYTES, size);
		return ret;
	}

	mach_msg_send_undo(space, kmsg, ubuf);
	mach_kmsg_free(kmsg);
	return ret;
}

/*
 * The destination right is used up; the receiver's name for the port is
 * the one it had when the message was dequeued (mach_mqueue_receive).
 */
static u32 mach_msg_copyout_dest(struct mach_kmsg *kmsg,
				 const struct mach_rcv *rcv)
{
	if (kmsg->dest_type == MACH_MSG_TYPE_PORT_SEND_ONCE)
		mach_port_release_sonce(kmsg->dest);
	else
		mach_port_release_send(kmsg->dest);
	kmsg->dest = NULL;
	return rcv->dest_name;
}

/* mach_msg_put() when the trailer does not fit behind the body. */
static noinline int mach_msg_put_apart(void __user *ubuf,
				       const struct mach_ioc_msg *a,
				       struct mach_kmsg *kmsg,
				       const struct mach_rcv *rcv)
{
	u32 trailer[MACH_TRAILER_MAX_SIZE / 4];

	mach_trailer_fill(trailer, kmsg, a->option, rcv->seqno, rcv->context);
	if (copy_to_user(ubuf, kmsg->data, kmsg->size) ||
	    copy_to_user(ubuf + kmsg->size, trailer,
			 mach_trailer_size(a->option)))
		return MACH_RCV_INVALID_DATA;
	return MACH_MSG_SUCCESS;
}

/*
 * Write header+body and the trailer to the receive buffer: in one copy
 * when the trailer fits behind the body in the message's own memory (it
 * is built there), else in two.  (The other case is a function of its own
 * so that this one has no trailer buffer on its stack, which a kernel with
 * INIT_STACK_ALL_ZERO would clear on every call.)
 */
static int mach_msg_put(const struct mach_ioc_msg *a, struct mach_kmsg *kmsg,
			const struct mach_rcv *rcv)
{
	void __user *ubuf = u64_to_user_ptr(a->rcv_msg);
	u32 trailer_size = mach_trailer_size(a->option);
	u32 size = kmsg->size;

	if (kmsg->room - size >= trailer_size) {
		/* the body's size is a multiple of 4: aligned for the words */
		mach_trailer_fill((u32 *)(kmsg->data + size), kmsg, a->option,
				  rcv->seqno, rcv->context);
		size += trailer_size;
		if (size <= MACH_UCOPY_SMALL)
			return mach_copy_out_small(ubuf, kmsg->data, size) ?
			       MACH_RCV_INVALID_DATA : MACH_MSG_SUCCESS;
		return copy_to_user(ubuf, kmsg->data, size) ?
		       MACH_RCV_INVALID_DATA : MACH_MSG_SUCCESS;
	}
	return mach_msg_put_apart(ubuf, a, kmsg, rcv);
}

/*
 * A message that cannot be delivered whole (too large without
 * MACH_RCV_LARGE, or its rights could not be named): the receiver gets its
 * header alone, naming only the destination, and everything else the
 * message carried is destroyed.
 */
static int mach_msg_receive_error(struct mach_space *space,
				  const struct mach_ioc_msg *a,
				  struct mach_rcv *rcv, int ret)
{
	struct mach_kmsg *kmsg = rcv->kmsg;
	struct mach_msg_header h = *kmsg->hdr;
	u32 trailer[MACH_TRAILER_MAX_SIZE / 4];
	u32 tsize = mach_trailer_size(a->option);
	u32 total = sizeof(h) + tsize;
	u8 buf[sizeof(h) + MACH_TRAILER_MAX_SIZE];

	h.bits = MACH_MSGH_BITS(0, kmsg->dest_type);
	/* the receive error path keeps only the header */
	h.size = sizeof(h);
	h.local = mach_msg_copyout_dest(kmsg, rcv);
	h.remote = MACH_PORT_NULL;
	h.voucher = MACH_PORT_NULL;
	mach_trailer_fill(trailer, kmsg, a->option, rcv->seqno, rcv->context);
	mach_kmsg_destroy(kmsg);

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), trailer, tsize);
	if (copy_to_user(u64_to_user_ptr(a->rcv_msg), buf,
			 min(total, a->rcv_size)))
		return MACH_RCV_INVALID_DATA;
	return ret;
}

static int mach_msg_copyout(struct mach_space *space,
			    const struct mach_ioc_msg *a, struct mach_rcv *rcv)
{
	struct mach_kmsg *kmsg = rcv->kmsg;
	struct mach_msg_header *h = kmsg->hdr;
	u32 dest_name, reply_name = MACH_PORT_NULL;
	int kr = KERN_SUCCESS;
	int ret;

	u32 reply_bits = mach_msg_reply_bits(kmsg);

	if (kmsg->reply == MACH_KPORT_DEAD) {
		reply_name = MACH_PORT_DEAD;
	} else if (kmsg->reply) {
		/* a reply (the server's side of an RPC) gets a name */
		mutex_lock(&space->lock);
		kr = mach_right_copyout(space, kmsg->reply, kmsg->reply_type,
					&reply_name);
		mutex_unlock(&space->lock);
	}
	kmsg->reply = NULL;
	if (kr != KERN_SUCCESS)
		return mach_msg_receive_error(space, a, rcv,
					      MACH_RCV_HEADER_ERROR |
					      MACH_MSG_IPC_SPACE);
	trace_mach_msg_receive(kmsg->dest, h->id, kmsg->size, rcv->seqno);
	dest_name = mach_msg_copyout_dest(kmsg, rcv);
	ret = kmsg->ndesc ? mach_desc_copyout(space, kmsg) : MACH_MSG_SUCCESS;

	h->bits = (h->bits & MACH_MSGH_BITS_COMPLEX) |
		  MACH_MSGH_BITS(reply_bits, kmsg->dest_type);
	h->remote = reply_name;
	h->local = dest_name;
	h->voucher = MACH_PORT_NULL;
	if (mach_msg_put(a, kmsg, rcv))
		ret = MACH_RCV_INVALID_DATA;
	mach_stat_inc(MACH_STAT_RECEIVED);
	mach_kmsg_recycle(space, kmsg);
	return ret;
}

/* The receive right or port set 'rt->name' names; space->lock held. */
void mach_rcv_target_lookup(struct mach_space *space,
			    struct mach_rcv_target *rt)
{
	struct mach_entry *entry = mach_entry_lookup(space, rt->name);

	rt->done = true;
	if (entry && (entry->type & MACH_PORT_TYPE_PORT_SET)) {
		rt->pset = entry->object;
		kref_get(&rt->pset->ref);
	} else if (entry && (entry->type & MACH_PORT_TYPE_RECEIVE)) {
		rt->port = entry->object;
		mach_port_get(rt->port);
	}
}

static void mach_rcv_target_put(struct mach_rcv_target *rt)
{
	if (rt->pset)
		mach_pset_put(rt->pset);
	if (rt->port)
		mach_port_put(rt->port);
}

static int mach_msg_receive(struct mach_space *space,
			    const struct mach_ioc_msg *a,
			    struct mach_rcv_target *rt)
{
	struct mach_rcv rcv = {
		.option = a->option,
		.timeout = a->timeout,
		.rcv_size = a->rcv_size,
	};
	struct mach_msg_header __user *uhdr = u64_to_user_ptr(a->rcv_msg);
	int ret;

	if (MACH_RCV_TRAILER_TYPE(a->option) != 0)
		return MACH_RCV_INVALID_TRAILER;

	if (!rt->done) {
		mutex_lock(&space->lock);
		mach_rcv_target_lookup(space, rt);
		mutex_unlock(&space->lock);
	}
	if (rt->pset)
		ret = mach_pset_receive(rt->pset, space, &rcv);
	else if (rt->port)
		ret = mach_mqueue_receive(rt->port, space, &rcv);
	else
		return MACH_RCV_INVALID_NAME;

	if (ret == MACH_RCV_TOO_LARGE && !rcv.kmsg) {
		/*
		 * MACH_RCV_LARGE: the message stays; tell the needed size and,
		 * with MACH_RCV_LARGE_IDENTITY, the port it waits on (a set's
		 * member), as XNU does.
		 */
		if (a->rcv_size >= offsetof(struct mach_msg_header, voucher) &&
		    (put_user(rcv.large_size, &uhdr->size) ||
		     ((a->option & MACH_RCV_LARGE_IDENTITY) &&
		      put_user(rcv.large_name, &uhdr->local))))
			return MACH_RCV_INVALID_DATA;
		return ret;
	}
	if (!rcv.kmsg)
		return ret;
	if (ret == MACH_RCV_TOO_LARGE)
		return mach_msg_receive_error(space, a, &rcv, ret);
	return mach_msg_copyout(space, a, &rcv);
}

int mach_msg_ioctl(struct mach_space *space, const struct mach_ioc_msg *a)
{
	struct mach_rcv_target rt = { .name = a->rcv_name };
	bool rcv = a->option & MACH_RCV_MSG;
	int ret = MACH_MSG_SUCCESS;

	if (a->option & MACH_SEND_MSG) {
		ret = mach_msg_send(space, a, rcv ? &rt : NULL);
		/*
		 * An RPC: if the receiver we woke should run before us, let it
		 * run now, while we are still runnable.  Its answer is then
		 * usually queued before we look, and we never sleep and get
		 * woken for it (on one CPU that halves the scheduler's work).
		 */
		if (rcv && ret == MACH_MSG_SUCCESS)
			cond_resched();
	}
	if (ret == MACH_MSG_SUCCESS && rcv)
		ret = mach_msg_receive(space, a, &rt);
	mach_rcv_target_put(&rt);
	if (ret > 0) {
		mach_stat_fail(ret);
		trace_mach_msg_fail(a->option, a->option & MACH_RCV_MSG ?
				    a->rcv_name : 0, ret);
	}
	return ret;
}
