/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message queues: enqueue with the queue limit, dequeue with waiting.
 */
#ifndef _MACH_MQUEUE_H
#define _MACH_MQUEUE_H

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
	u64 context;		/* out: the port's context */
	u32 large_size;		/* out: msgh_size of a too-large message */
	u32 large_name;		/* out: the receiver's name for its port */
};

struct wait_queue_head;

void mach_mqueue_init(void);
void mach_wake_one(struct wait_queue_head *wq, bool sync);
void mach_mqueue_wake_senders(struct mach_port *port, bool waiting);
int mach_mqueue_send(struct mach_kmsg *kmsg, u32 option, u32 timeout);
void mach_mqueue_send_kernel(struct mach_kmsg *kmsg);
int mach_mqueue_receive(struct mach_port *port, struct mach_space *space,
			struct mach_rcv *rcv);

#endif /* _MACH_MQUEUE_H */
