/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message queues: enqueue with the queue limit, dequeue with waiting.
 */
#ifndef _MACH_MQUEUE_H
#define _MACH_MQUEUE_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct mach_kmsg;
struct mach_port;
struct mach_space;

/* What a receive asks for, and what it got. */
struct mach_rcv {
	u32 option;
	u32 timeout;		/* ms, with MACH_RCV_TIMEOUT */
	u32 rcv_size;		/* buffer size for message and trailer */
	struct mach_kmsg *kmsg;	/* out: the message, dequeued */
	u32 seqno;		/* out */
	u32 dest_name;		/* out: the receiver's name for the port */
	u64 context;		/* out: the port's context */
	u32 large_size;		/* out: msgh_size of a too-large message */
	u32 large_name;		/* out: the receiver's name for its port */
};

/*
 * A thread waiting to receive, on the waiter list of a port or a port set
 * (under that object's lock).  Cheaper than a wait queue on the message
 * path: the list is protected by the lock the sender holds anyway, so
 * neither side takes a wait queue's irq-safe lock, and a wake-up is one
 * list removal and wake_up_process().
 */
struct mach_waiter {
	struct list_head node;		/* empty when not on a list */
	struct task_struct *task;
};

void mach_mqueue_init(void);
long mach_waiter_sleep(struct mach_waiter *w, struct list_head *waiters,
		       spinlock_t *lock, long timeout);
void mach_waiter_leave(struct mach_waiter *w);
void mach_waiters_wake_one(struct list_head *waiters);
void mach_waiters_wake_all(struct list_head *waiters);
void mach_mqueue_wake_senders(struct mach_port *port, bool waiting);
int mach_mqueue_send(struct mach_kmsg *kmsg, u32 option, u32 timeout);
void mach_mqueue_send_kernel(struct mach_kmsg *kmsg);
int mach_mqueue_receive(struct mach_port *port, struct mach_space *space,
			struct mach_rcv *rcv);

#endif /* _MACH_MQUEUE_H */
