/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Mach port: a kernel object with one receiver, a message queue and
 * counts of the send and send-once rights that exist anywhere.
 *
 * Lifetime: 'ref' counts pointers to the object (name-table entries, rights
 * carried in messages, waiters).  Rights are counted separately in srights
 * and sorights, because Mach semantics (no-senders, send-once) follow the
 * rights, not the pointers.
 *
 * Locking: 'lock' protects every field below it but sorights, an atomic:
 * nothing follows from its value, so making and using a send-once right
 * (every RPC's reply right) takes no lock for it.  It nests inside a space's
 * mutex (space->lock, then port->lock) and is never held together with
 * another port's lock.  See space.h for the full order.
 */
#ifndef _MACH_PORT_H
#define _MACH_PORT_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct mach_space;
struct mach_kmsg;
struct mach_pset;

/*
 * A message queue: a FIFO linked through kmsg->next (kmsg.h has its
 * operations).  Singly linked because messages only ever leave at the
 * head (or all at once): a queued and received message costs two pointer
 * stores each way, and none of CONFIG_DEBUG_LIST's checks.
 */
struct mach_msg_queue {
	struct mach_kmsg *head;
	struct mach_kmsg **tail;	/* &head, or &last->next */
};

enum mach_kobject_type {
	MACH_KOBJ_NONE = 0,
	MACH_KOBJ_TASK,		/* kobject is the struct mach_space */
	MACH_KOBJ_FILE,		/* a fileport: kobject is a struct file */
	MACH_KOBJ_MEMORY_ENTRY,	/* kobject is a struct mach_mem_entry */
};

/*
 * Fileports and memory entries belong to their send rights: the kernel
 * holds the receive right, and the last send right gone destroys the port
 * and releases the object (kobject.c).  A task port lives with its task.
 */
static inline bool mach_kobject_owned_by_senders(u8 kobj_type)
{
	return kobj_type == MACH_KOBJ_FILE ||
	       kobj_type == MACH_KOBJ_MEMORY_ENTRY;
}

struct mach_port {
	struct kref ref;
	spinlock_t lock;		/* protects all that follows */

	/* holder of the receive right; NULL in transit, kernel or dead */
	struct mach_space *receiver;
	u32 receiver_name;		/* its name there */

	u32 mscount;			/* make-send count */
	u32 srights;			/* send rights anywhere */
	atomic_t sorights;		/* send-once rights anywhere (no lock) */
	u32 seqno;			/* next message sequence number */
	u32 msgcount;			/* messages on 'msgs' */
	u16 qlimit;			/* at most MACH_PORT_QLIMIT_MAX */
	u8 kobj_type;			/* enum mach_kobject_type; fixed */
	bool active;			/* false once the receive right died */
	bool guarded;
	bool strict_guard;		/* context reads as 0, cannot be set */
	bool snd_waiting;		/* senders may be blocked (mqueue.c) */
	u64 context;			/* also the guard, as in XNU */

	struct mach_msg_queue msgs;	/* messages, oldest first */
	struct list_head rcv_waiters;	/* struct mach_waiter (mqueue.h) */

	/* port set memberships: struct mach_pset_link (see pset.h) */
	struct hlist_head psets;

	/* notification requests, or NULL before the first (most ports) */
	struct mach_port_requests *requests;

	/*
	 * while in transit: the port whose queue holds our receive right
	 * (protected by mach_transit_lock, see desc.c)
	 */
	struct mach_port *transit_dest;
	struct mach_port *death_next;	/* on a mach_port_destroy worklist */
};

/*
 * A port's notification requests: send-once rights to notify, and the
 * dead-name notes of the spaces that asked.  Allocated at a port's first
 * request and kept until the port is freed; under port->lock.
 */
struct mach_port_requests {
	struct mach_port *nsrequest;
	struct mach_port *pdrequest;
	struct hlist_head dnrequests;	/* struct mach_dnnote, newest first */
	wait_queue_head_t pollers;	/* port_fd.c's files */
};

/*
 * Wake the port's pollers (port_fd.c) where its receivers are woken;
 * port->lock held.  A poller queues itself and then reads the port's state
 * under port->lock, so testing for sleepers here cannot miss one.  Only a
 * port that has been given a file has a request block with pollers.
 */
static inline void mach_port_wake_pollers(struct mach_port *port, __poll_t mask)
{
	struct mach_port_requests *req = port->requests;

	/* ordered against the poller's queueing by port->lock (above) */
	if (req && waitqueue_active(&req->pollers))
		wake_up_poll(&req->pollers, mask);
}

/* The registered no-senders / port-destroyed right, or NULL; port->lock. */
static inline struct mach_port *mach_port_nsrequest(struct mach_port *port)
{
	return port->requests ? port->requests->nsrequest : NULL;
}

static inline struct mach_port *mach_port_pdrequest(struct mach_port *port)
{
	return port->requests ? port->requests->pdrequest : NULL;
}

/* A worklist of ports whose receive right died, in order (port.c). */
struct mach_port_deaths {
	struct mach_port *head;
	struct mach_port **tail;
};

static inline void mach_port_deaths_init(struct mach_port_deaths *deaths)
{
	deaths->head = NULL;
	deaths->tail = &deaths->head;
}

/*
 * A kernel-object port (kobj_type != MACH_KOBJ_NONE): a task port, a
 * fileport or a memory entry.  Only these carry an object pointer, so
 * ordinary ports do not pay for it.
 */
struct mach_kobject_port {
	struct mach_port port;
	void *kobject;			/* under port.lock; NULL once gone */
};

/* The port's kernel object, or NULL; port->lock held. */
static inline void *mach_port_kobject(struct mach_port *port)
{
	if (port->kobj_type == MACH_KOBJ_NONE)
		return NULL;
	return container_of(port, struct mach_kobject_port, port)->kobject;
}

/* The object is gone; port->lock held. */
static inline void mach_port_clear_kobject(struct mach_port *port)
{
	if (port->kobj_type != MACH_KOBJ_NONE)
		container_of(port, struct mach_kobject_port, port)->kobject =
			NULL;
}

int mach_port_init_cache(void);
void mach_port_exit_cache(void);
u64 mach_object_identity(const void *object);
struct mach_port *mach_port_alloc(void);
struct mach_port *mach_port_alloc_kobject(enum mach_kobject_type type,
					  void *kobject);
int mach_port_requests_alloc(struct mach_port *port);
void mach_port_get(struct mach_port *port);
void mach_port_put(struct mach_port *port);

/* Right accounting; each consumes or produces one object reference. */
void mach_port_drop_send(struct mach_port *port);
void mach_port_release_send(struct mach_port *port);
void mach_port_release_sonce(struct mach_port *port);
void mach_port_destroy_sonce(struct mach_port *port);
void mach_port_destroy(struct mach_port *port);
void mach_port_destroy_to(struct mach_port *port,
			  struct mach_port_deaths *deaths);

#endif /* _MACH_PORT_H */
