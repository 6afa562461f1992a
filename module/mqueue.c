// SPDX-License-Identifier: GPL-2.0
/*
 * Message queues.  Each port's queue is protected by port->lock; blocked
 * receivers sleep on the port's waiter list (struct mach_waiter, under
 * port->lock), senders blocked by the queue limit on one of the wait
 * queues of a small table shared by all ports (below).  Waiters are
 * queued before the lock is dropped, so a wake-up cannot be lost between
 * the check and the sleep.  Waits are
 * exclusive: one message (or one freed slot) wakes one waiter, and a woken
 * waiter always looks for work before it considers its timeout or signals,
 * so a wake-up is never wasted on a waiter that leaves.  Events that
 * concern every waiter (death, a raised queue limit) wake them all.
 */

#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>
#include "desc.h"
#include "kmsg.h"
#include "mqueue.h"
#include "port.h"
#include "pset.h"
#include "mach_trace.h"
#include "stats.h"

static long mach_timeout_jiffies(bool timed, u32 ms)
{
	if (!timed)
		return MAX_SCHEDULE_TIMEOUT;
	return msecs_to_jiffies(ms);
}

/*
 * Receivers' waiter lists.  All four functions run under the lock of the
 * list's port or set ('lock' for the sleep, which drops it while asleep).
 * A waiter is queued and its state set before the lock is dropped, and a
 * waker takes it off the list before waking it, so no wake-up is lost and
 * none is given twice; a woken waiter looks for a message before it
 * considers its timeout or signals, so a wake-up is never wasted on one
 * that leaves.
 */
long mach_waiter_sleep(struct mach_waiter *w, struct list_head *waiters,
		       spinlock_t *lock, long timeout)
{
	if (list_empty(&w->node))
		list_add_tail(&w->node, waiters);
	set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock(lock);
	timeout = schedule_timeout(timeout);
	spin_lock(lock);
	return timeout;
}

/* The waiter stops waiting (it got a message, or gives up). */
void mach_waiter_leave(struct mach_waiter *w)
{
	if (!list_empty(&w->node))
		list_del_init(&w->node);
}

void mach_waiters_wake_one(struct list_head *waiters)
{
	struct mach_waiter *w = list_first_entry_or_null(waiters,
							 struct mach_waiter,
							 node);

	if (w) {
		list_del_init(&w->node);
		wake_up_process(w->task);
	}
}

void mach_waiters_wake_all(struct list_head *waiters)
{
	while (!list_empty(waiters))
		mach_waiters_wake_one(waiters);
}

/*
 * Senders blocked by a full queue are rare, so they do not cost every port
 * a wait queue: they sleep on one of MACH_SND_WAITQS queues shared by all
 * ports, chosen by a hash of the port (as the kernel's bit wait queues
 * are).  A waiter records its port, and a wake-up carries the port as its
 * key; the wake function ignores waiters of other ports (and does not count
 * them toward a wake-one), so a wake-up for one port never goes to, or is
 * used up by, a sender blocked on another.  port->snd_waiting, under
 * port->lock, says that senders may be waiting: it is set by a sender
 * before it sleeps and cleared by a wake-up that finds none, so the
 * message path touches the shared table only when someone is blocked.
 */
#define MACH_SND_WAITQS_BITS	8
#define MACH_SND_WAITQS		BIT(MACH_SND_WAITQS_BITS)

static struct wait_queue_head mach_snd_waitqs[MACH_SND_WAITQS];

struct mach_snd_waiter {
	struct wait_queue_entry wq;
	struct mach_port *port;
};

struct mach_snd_key {
	struct mach_port *port;
	bool found;			/* out: a waiter of the port was there */
};

void mach_mqueue_init(void)
{
	static bool done;
	int i;

	if (done)	/* KUnit may have set it up already */
		return;
	for (i = 0; i < MACH_SND_WAITQS; i++)
		init_waitqueue_head(&mach_snd_waitqs[i]);
	done = true;
}

static struct wait_queue_head *mach_snd_waitq(struct mach_port *port)
{
	return &mach_snd_waitqs[hash_ptr(port, MACH_SND_WAITQS_BITS)];
}

static int mach_snd_wake_function(struct wait_queue_entry *wq,
				  unsigned int mode, int flags, void *arg)
{
	struct mach_snd_waiter *w = container_of(wq, struct mach_snd_waiter,
						 wq);
	struct mach_snd_key *key = arg;

	if (w->port != key->port)
		return 0;
	key->found = true;
	return autoremove_wake_function(wq, mode, flags, NULL);
}

/*
 * Wake one sender blocked on 'port' (a slot was freed), or all of them
 * (the port died, or its queue limit changed).  port->lock held, or, for
 * 'all', dropped after a change every sender will see when it wakes.
 */
static void mach_wake_senders(struct mach_port *port, bool all)
{
	struct mach_snd_key key = { .port = port };

	__wake_up(mach_snd_waitq(port), all ? TASK_NORMAL : TASK_INTERRUPTIBLE,
		  all ? 0 : 1, &key);
	if (!all && !key.found)
		port->snd_waiting = false;
}

/*
 * Wake every sender blocked on 'port', after a change (death, a new queue
 * limit) made under port->lock; 'waiting' is port->snd_waiting read then.
 */
void mach_mqueue_wake_senders(struct mach_port *port, bool waiting)
{
	if (waiting)
		mach_wake_senders(port, true);
}

/* Put a message on the queue and wake a receiver; port->lock held. */
static void mach_mqueue_enqueue(struct mach_port *port, struct mach_kmsg *kmsg)
{
	trace_mach_msg_send(port, kmsg->hdr->bits, kmsg->size, kmsg->hdr->id,
			    kmsg->ndesc);
	mach_msg_queue_push(&port->msgs, kmsg);
	port->msgcount++;
	if (!hlist_empty(&port->psets))
		mach_pset_enqueued(port);
	mach_waiters_wake_one(&port->rcv_waiters);
	mach_port_wake_pollers(port, EPOLLIN | EPOLLRDNORM);
}

/*
 * Queue a message on its destination.  Returns MACH_MSG_SUCCESS when the
 * message was consumed (queued, or destroyed because the port died after
 * the send began, which Mach also reports as success).  On
 * MACH_SEND_TIMED_OUT or MACH_SEND_INTERRUPTED the caller still owns it.
 */
int mach_mqueue_send(struct mach_kmsg *kmsg, u32 option, u32 timeout)
{
	struct mach_port *port = kmsg->dest;
	bool timed = option & MACH_SEND_TIMEOUT;
	long left = mach_timeout_jiffies(timed, timeout);
	struct wait_queue_head *wq = mach_snd_waitq(port);
	struct mach_snd_waiter wait = { .port = port };
	bool waited = false;
	int ret;

	init_wait(&wait.wq);
	wait.wq.func = mach_snd_wake_function;

	spin_lock(&port->lock);
	for (;;) {
		if (!port->active) {
			spin_unlock(&port->lock);
			if (waited)
				finish_wait(wq, &wait.wq);
			mach_kmsg_destroy(kmsg);
			return MACH_MSG_SUCCESS;
		}
		/* send-once rights always get through, as in Mach */
		if (port->msgcount < port->qlimit ||
		    kmsg->dest_type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
			if (kmsg->carries_receive &&
			    !mach_desc_transit_enter(kmsg, port)) {
				/* circular: never receivable, so destroyed */
				spin_unlock(&port->lock);
				if (waited)
					finish_wait(wq, &wait.wq);
				mach_kmsg_destroy(kmsg);
				return MACH_MSG_SUCCESS;
			}
			mach_mqueue_enqueue(port, kmsg);
			ret = MACH_MSG_SUCCESS;
			break;
		}
		if (timed && left <= 0) {
			ret = MACH_SEND_TIMED_OUT;
			break;
		}
		if (signal_pending(current)) {
			ret = MACH_SEND_INTERRUPTED;
			break;
		}
		port->snd_waiting = true;
		waited = true;
		prepare_to_wait_exclusive(wq, &wait.wq, TASK_INTERRUPTIBLE);
		spin_unlock(&port->lock);
		left = schedule_timeout(left);
		spin_lock(&port->lock);
	}
	spin_unlock(&port->lock);
	if (waited)
		finish_wait(wq, &wait.wq);
	return ret;
}

/* A kernel message: never blocks, ignores the queue limit. */
void mach_mqueue_send_kernel(struct mach_kmsg *kmsg)
{
	struct mach_port *port = kmsg->dest;

	mach_stat_inc(MACH_STAT_NOTIFICATIONS);
	trace_mach_notify(port, kmsg->hdr->id);
	spin_lock(&port->lock);
	if (port->active && port->kobj_type == MACH_KOBJ_NONE &&
	    mach_desc_transit_enter(kmsg, port)) {
		mach_mqueue_enqueue(port, kmsg);
		spin_unlock(&port->lock);
		return;
	}
	spin_unlock(&port->lock);
	mach_kmsg_destroy(kmsg);
}

/*
 * Take the next message for 'space', which held the receive right when the
 * call began.  Returns MACH_MSG_SUCCESS with rcv->kmsg set, or
 * MACH_RCV_TOO_LARGE with rcv->kmsg set (dequeued, to be reported and
 * destroyed) or NULL (MACH_RCV_LARGE: left queued, rcv->large_size set),
 * or a MACH_RCV_* error with nothing taken.
 */
int mach_mqueue_receive(struct mach_port *port, struct mach_space *space,
			struct mach_rcv *rcv)
{
	bool timed = rcv->option & MACH_RCV_TIMEOUT;
	long left = mach_timeout_jiffies(timed, rcv->timeout);
	u32 trailer = mach_trailer_size(rcv->option);
	struct mach_waiter wait = { .task = current };
	struct mach_kmsg *kmsg;
	int ret;

	INIT_LIST_HEAD(&wait.node);
	rcv->kmsg = NULL;
	spin_lock(&port->lock);
	for (;;) {
		/*
		 * The port died or changed hands since the name was looked
		 * up: XNU wakes such receivers with THREAD_RESTART, which
		 * it reports as MACH_RCV_PORT_CHANGED.
		 */
		if (!port->active || port->receiver != space) {
			ret = MACH_RCV_PORT_CHANGED;
			break;
		}
		kmsg = port->msgs.head;
		if (kmsg) {
			bool fits = (u64)kmsg->size + trailer <= rcv->rcv_size;

			if (!fits && (rcv->option & MACH_RCV_LARGE)) {
				rcv->large_size = kmsg->size;
				rcv->large_name = port->receiver_name;
				ret = MACH_RCV_TOO_LARGE;
				/* the message stays: let another waiter try */
				mach_waiters_wake_one(&port->rcv_waiters);
				break;
			}
			mach_msg_queue_pop(&port->msgs);
			if (kmsg->carries_receive)
				mach_desc_transit_leave(kmsg);
			port->msgcount--;
			if (!port->msgcount && !hlist_empty(&port->psets))
				mach_pset_dequeued(port);
			rcv->kmsg = kmsg;
			rcv->seqno = port->seqno++;
			rcv->dest_name = port->receiver_name;
			rcv->context = port->context;
			if (port->snd_waiting)
				mach_wake_senders(port, false);
			ret = fits ? MACH_MSG_SUCCESS : MACH_RCV_TOO_LARGE;
			break;
		}
		if (timed && left <= 0) {
			ret = MACH_RCV_TIMED_OUT;
			break;
		}
		if (signal_pending(current)) {
			ret = MACH_RCV_INTERRUPTED;
			break;
		}
		left = mach_waiter_sleep(&wait, &port->rcv_waiters, &port->lock,
					 left);
	}
	mach_waiter_leave(&wait);
	spin_unlock(&port->lock);
	return ret;
}
