// SPDX-License-Identifier: GPL-2.0
/*
 * Port objects: allocation, right accounting and death.
 */

#include <linux/bits.h>
#include <linux/sched.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include "desc.h"
#include "kobject.h"
#include "kmsg.h"
#include "mach_trace.h"
#include "mach_types.h"
#include "mqueue.h"
#include "notify.h"
#include "port.h"
#include "pset.h"
#include "stats.h"

static struct kmem_cache *mach_port_cache;

int mach_port_init_cache(void)
{
	if (mach_port_cache)	/* KUnit may have set it up already */
		return 0;
	mach_port_cache = KMEM_CACHE(mach_port, SLAB_ACCOUNT);
	return mach_port_cache ? 0 : -ENOMEM;
}

void mach_port_exit_cache(void)
{
	kmem_cache_destroy(mach_port_cache);
	mach_port_cache = NULL;
}

/*
 * What introspection shows for a port or port set: a keyed hash of its
 * address, so an object has the same identity in every space (as XNU's
 * VM_KERNEL_ADDRPERM gives) without the address being shown, and without a
 * counter shared by every CPU that creates ports.  Never 0 (0 is "none");
 * mach_port_space_info shows its low 32 bits, netlink all of it.  53 bits:
 * lsmp --json prints it as a number, which every JSON parser (doubles
 * included) must read exactly, and 100,000 ports still collide with odds
 * below one in a million.
 */
u64 mach_object_identity(const void *object)
{
	static siphash_key_t key;

	if (!object)
		return 0;
	get_random_once(&key, sizeof(key));
	return (siphash_1u64((u64)(uintptr_t)object, &key) &
		GENMASK_ULL(52, 0)) | 1;
}

static void mach_port_init(struct mach_port *port)
{
	BUILD_BUG_ON(MACH_PORT_QLIMIT_MAX > U16_MAX);
	mach_stat_inc(MACH_STAT_PORTS);
	trace_mach_port_create(port);
	kref_init(&port->ref);
	spin_lock_init(&port->lock);
	port->active = true;
	port->qlimit = MACH_PORT_QLIMIT_DEFAULT;
	mach_msg_queue_init(&port->msgs);
	INIT_HLIST_HEAD(&port->psets);
	INIT_LIST_HEAD(&port->rcv_waiters);
}

/* A new, active port with one reference and no receiver yet. */
struct mach_port *mach_port_alloc(void)
{
	struct mach_port *port;

	port = kmem_cache_zalloc(mach_port_cache, GFP_KERNEL_ACCOUNT);
	if (port)
		mach_port_init(port);
	return port;
}

/* The same, for a kernel object (rare: one task port per space). */
struct mach_port *mach_port_alloc_kobject(enum mach_kobject_type type,
					  void *kobject)
{
	struct mach_kobject_port *kport;

	kport = kzalloc(sizeof(*kport), GFP_KERNEL_ACCOUNT);
	if (!kport)
		return NULL;
	mach_port_init(&kport->port);
	kport->port.kobj_type = type;
	kport->kobject = kobject;
	return &kport->port;
}

/*
 * Give the port its request block before a request is registered (called
 * without port->lock; the block stays once there).  A kern_return_t.
 */
int mach_port_requests_alloc(struct mach_port *port)
{
	struct mach_port_requests *req;

	if (READ_ONCE(port->requests))
		return KERN_SUCCESS;
	req = kzalloc(sizeof(*req), GFP_KERNEL_ACCOUNT);
	if (!req)
		return KERN_RESOURCE_SHORTAGE;
	INIT_HLIST_HEAD(&req->dnrequests);
	init_waitqueue_head(&req->pollers);
	spin_lock(&port->lock);
	if (!port->requests) {
		WRITE_ONCE(port->requests, req);	/* read unlocked above */
		req = NULL;
	}
	spin_unlock(&port->lock);
	kfree(req);
	return KERN_SUCCESS;
}

static void mach_port_free(struct kref *ref)
{
	struct mach_port *port = container_of(ref, struct mach_port, ref);

	kfree(port->requests);
	if (port->kobj_type == MACH_KOBJ_NONE)
		kmem_cache_free(mach_port_cache, port);
	else
		kfree(container_of(port, struct mach_kobject_port, port));
	mach_stat_dec(MACH_STAT_PORTS);
}

void mach_port_get(struct mach_port *port)
{
	kref_get(&port->ref);
}

void mach_port_put(struct mach_port *port)
{
	kref_put(&port->ref, mach_port_free);
}

/*
 * Drop a send right, keeping the reference.  The last send right anywhere
 * fires a registered no-senders request.
 */
void mach_port_drop_send(struct mach_port *port)
{
	struct mach_port *notify = NULL;
	bool orphaned = false;
	u32 mscount = 0;

	spin_lock(&port->lock);
	if (--port->srights == 0 && port->active) {
		if (mach_port_nsrequest(port)) {
			notify = port->requests->nsrequest;
			port->requests->nsrequest = NULL;
			mscount = port->mscount;
		} else {
			orphaned = mach_kobject_owned_by_senders(port->kobj_type);
		}
	}
	spin_unlock(&port->lock);
	if (notify)
		mach_notify_no_senders(notify, mscount);
	if (orphaned)
		mach_kobject_no_senders(port);
}

/* Drop a send right and the reference that came with it. */
void mach_port_release_send(struct mach_port *port)
{
	mach_port_drop_send(port);
	mach_port_put(port);
}

/* Drop a send-once right that was used up (no notification). */
void mach_port_release_sonce(struct mach_port *port)
{
	atomic_dec(&port->sorights);
	mach_port_put(port);
}

/*
 * Destroy an unused send-once right: as in Mach, the receiver learns of it
 * through a MACH_NOTIFY_SEND_ONCE message sent with the right itself.
 */
void mach_port_destroy_sonce(struct mach_port *port)
{
	mach_notify_send_once(port);
}

/*
 * Kill one port: mark it dead, wake its waiters, destroy its queue.
 * Receive rights found in the queued messages are added to 'deaths'.
 */
static void mach_port_kill(struct mach_port *port,
			   struct mach_port_deaths *deaths)
{
	struct mach_msg_queue msgs;
	struct mach_port *nsrequest;
	struct mach_kmsg *kmsg;
	bool snd_waiting;

	trace_mach_port_destroy(port);
	mach_pset_remove_member(port);
	spin_lock(&port->lock);
	/* read without the lock by mach_port_is_active() */
	WRITE_ONCE(port->active, false);
	port->receiver = NULL;
	port->receiver_name = 0;
	mach_msg_queue_take_all(&msgs, &port->msgs);
	port->msgcount = 0;
	for (kmsg = msgs.head; kmsg; kmsg = kmsg->next)
		mach_desc_transit_leave(kmsg);
	nsrequest = mach_port_nsrequest(port);
	if (nsrequest)
		port->requests->nsrequest = NULL;
	snd_waiting = port->snd_waiting;
	mach_waiters_wake_all(&port->rcv_waiters);
	mach_port_wake_pollers(port, EPOLLHUP);
	spin_unlock(&port->lock);

	mach_mqueue_wake_senders(port, snd_waiting);
	mach_dnreq_fire_all(port);
	if (nsrequest)
		mach_notify_send_once(nsrequest);

	while ((kmsg = mach_msg_queue_pop(&msgs)))
		mach_kmsg_destroy_to(kmsg, deaths);
	mach_port_put(port);
}

/* Let a receive right die later, on a worklist, or now when none. */
void mach_port_destroy_to(struct mach_port *port,
			  struct mach_port_deaths *deaths)
{
	if (deaths) {
		port->death_next = NULL;
		*deaths->tail = port;
		deaths->tail = &port->death_next;
	} else {
		mach_port_destroy(port);
	}
}

/*
 * The receive right is gone: the port dies.  Queued messages are destroyed,
 * waiters are woken (they see !active), and every send right anywhere now
 * names a dead port, which the holders' spaces turn into dead names when
 * they next look.  Receive rights inside the queued messages die too; they
 * go on a worklist instead of recursing, so a long chain of ports in each
 * other's queues cannot exhaust the stack.  Consumes the receive right's
 * reference.
 */
void mach_port_destroy(struct mach_port *port)
{
	struct mach_port_deaths deaths;

	mach_port_deaths_init(&deaths);
	mach_port_destroy_to(port, &deaths);
	while ((port = deaths.head)) {
		struct mach_port *pdrequest;

		deaths.head = port->death_next;
		if (!deaths.head)
			deaths.tail = &deaths.head;
		port->death_next = NULL;
		/*
		 * a port-destroyed request saves the port: its receive
		 * right goes to the requester instead
		 */
		mach_pset_remove_member(port);
		spin_lock(&port->lock);
		pdrequest = mach_port_pdrequest(port);
		if (pdrequest) {
			port->requests->pdrequest = NULL;
			/*
			 * it comes back as a fresh receive right (XNU's
			 * ipc_port_clear_receiver resets these)
			 */
			port->receiver = NULL;
			port->receiver_name = 0;
			port->mscount = 0;
			port->seqno = 0;
			port->context = 0;
			port->guarded = false;
			port->strict_guard = false;
			mach_waiters_wake_all(&port->rcv_waiters);
			mach_port_wake_pollers(port, EPOLLHUP);
		}
		spin_unlock(&port->lock);
		if (pdrequest) {
			mach_notify_port_destroyed(pdrequest, port);
			continue;
		}
		mach_port_kill(port, &deaths);
	}
}
