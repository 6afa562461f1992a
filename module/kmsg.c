// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel messages: allocation, the sender's identity, destruction and the
 * receive trailer.
 */

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "desc.h"
#include "kmsg.h"
#include "port.h"
#include "right.h"
#include "space.h"
#include "stats.h"
#include "user.h"

/*
 * Messages come from one of two slab caches by size, larger ones from
 * kvmalloc.  The tiny class holds a header and 64 bytes of body with the
 * default trailer behind them (so it is copied out in one piece): most
 * RPC requests and every header-only reply, at 200 bytes an object rather
 * than the small class's 360.
 */
#define MACH_KMSG_TINY		96
#define MACH_KMSG_SMALL		256

static struct kmem_cache *mach_kmsg_cache[MACH_KMSG_CLASSES];

static const u32 mach_kmsg_room[MACH_KMSG_CLASSES] = {
	MACH_KMSG_TINY, MACH_KMSG_SMALL
};

static const char *const mach_kmsg_cache_name[MACH_KMSG_CLASSES] = {
	"mach_kmsg_tiny", "mach_kmsg_small"
};

int mach_kmsg_init_cache(void)
{
	int i;

	for (i = 0; i < MACH_KMSG_CLASSES; i++) {
		if (mach_kmsg_cache[i])	/* KUnit may have set it up already */
			continue;
		/* user copies go straight to and from 'data': whitelist it */
		mach_kmsg_cache[i] =
			kmem_cache_create_usercopy(mach_kmsg_cache_name[i],
						   sizeof(struct mach_kmsg) +
						   mach_kmsg_room[i], 0,
						   SLAB_ACCOUNT,
						   offsetof(struct mach_kmsg, data),
						   mach_kmsg_room[i], NULL);
		if (!mach_kmsg_cache[i]) {
			mach_kmsg_exit_cache();
			return -ENOMEM;
		}
	}
	return 0;
}

void mach_kmsg_exit_cache(void)
{
	int i;

	for (i = 0; i < MACH_KMSG_CLASSES; i++) {
		kmem_cache_destroy(mach_kmsg_cache[i]);
		mach_kmsg_cache[i] = NULL;
	}
}

/* The slab class of a message of 'size' bytes, or -1 for kvmalloc. */
static int mach_kmsg_class(u32 size)
{
	if (size <= MACH_KMSG_TINY)
		return MACH_KMSG_CLASS_TINY;
	if (size <= MACH_KMSG_SMALL)
		return MACH_KMSG_CLASS_SMALL;
	return -1;
}

/* Set up a message of 'size' bytes in memory of class 'cls'. */
static struct mach_kmsg *mach_kmsg_init(struct mach_kmsg *kmsg, u32 size,
					int cls)
{
	memset(kmsg, 0, sizeof(*kmsg));
	kmsg->size = size;
	kmsg->room = cls < 0 ? size : mach_kmsg_room[cls];
	kmsg->cls = cls;
	kmsg->hdr = (struct mach_msg_header *)kmsg->data;
	mach_stat_inc(MACH_STAT_KMSGS);
	mach_stat_add(MACH_STAT_KMSG_BYTES, size);
	return kmsg;
}

/* A message of 'size' bytes (header and body; size >= header). */
struct mach_kmsg *mach_kmsg_alloc(u32 size)
{
	int cls = mach_kmsg_class(size);
	struct mach_kmsg *kmsg;

	if (cls >= 0)
		kmsg = kmem_cache_alloc(mach_kmsg_cache[cls], GFP_KERNEL_ACCOUNT);
	else
		kmsg = kvmalloc(struct_size(kmsg, data, size),
				GFP_KERNEL_ACCOUNT);
	return kmsg ? mach_kmsg_init(kmsg, size, cls) : NULL;
}

/*
 * A message a process sends, charged to its user until it is freed; NULL
 * when the user is over a limit or memory is short (MACH_SEND_NO_BUFFER
 * either way, as XNU reports a message buffer it cannot allocate).
 */
struct mach_kmsg *mach_kmsg_alloc_charged(struct mach_space *space, u32 size)
{
	struct mach_user *user = space->user;
	int cls = mach_kmsg_class(size);
	struct mach_kmsg *kmsg = NULL;

	if (!mach_user_charge_msg(user, size))
		return NULL;
	/* the space's cached message of the class saves the slab on RPCs */
	if (cls >= 0 && READ_ONCE(space->kmsg_cached[cls]))
		kmsg = xchg(&space->kmsg_cached[cls], NULL);
	if (kmsg)
		mach_kmsg_init(kmsg, size, cls);
	else
		kmsg = mach_kmsg_alloc(size);
	if (!kmsg) {
		mach_user_uncharge_msg(user, size);
		return NULL;
	}
	kmsg->user = user;	/* the charge is its reference */
	return kmsg;
}

/* Charge the memory a parsed message's OOL regions pin to its sender. */
bool mach_kmsg_charge_ool(struct mach_kmsg *kmsg)
{
	u64 bytes = 0;
	u32 i;

	for (i = 0; i < kmsg->ndesc; i++)
		bytes += mach_ool_bytes(&kmsg->desc[i].ool);
	if (!bytes || !kmsg->user)
		return true;
	if (!mach_user_charge_ool(kmsg->user, bytes))
		return false;
	kmsg->ool_charged = bytes;
	return true;
}

/* Let go of what a message holds, but not of its memory. */
static void mach_kmsg_clear(struct mach_kmsg *kmsg)
{
	if (kmsg->desc)
		mach_desc_release(kmsg, NULL);
	put_pid(kmsg->sender);
	if (kmsg->user) {
		if (kmsg->ool_charged)
			mach_user_uncharge_ool(kmsg->user, kmsg->ool_charged);
		mach_user_uncharge_msg(kmsg->user, kmsg->size);
	}
	mach_stat_dec(MACH_STAT_KMSGS);
	mach_stat_add(MACH_STAT_KMSG_BYTES, -(long)kmsg->size);
}

static void mach_kmsg_release_memory(struct mach_kmsg *kmsg)
{
	if (kmsg->cls >= 0)
		kmem_cache_free(mach_kmsg_cache[kmsg->cls], kmsg);
	else
		kvfree(kmsg);
}

/* Free the memory; rights still carried in the body are released. */
void mach_kmsg_free(struct mach_kmsg *kmsg)
{
	mach_kmsg_clear(kmsg);
	mach_kmsg_release_memory(kmsg);
}

/*
 * Free a received message, keeping its memory in the receiving space when
 * that has none of its class cached: in an RPC each side frees the
 * message it received and then allocates the one it sends, so the steady
 * state allocates nothing.  One message per class and space at most, so
 * the cache holds at most 560 bytes per process.
 */
void mach_kmsg_recycle(struct mach_space *space, struct mach_kmsg *kmsg)
{
	int cls = kmsg->cls;

	mach_kmsg_clear(kmsg);
	if (cls >= 0 && !READ_ONCE(space->kmsg_cached[cls]) &&
	    !cmpxchg(&space->kmsg_cached[cls], NULL, kmsg))
		return;
	mach_kmsg_release_memory(kmsg);
}

/* The space is going away: free its cached messages. */
void mach_kmsg_drop_cached(struct mach_space *space)
{
	struct mach_kmsg *kmsg;
	int i;

	for (i = 0; i < MACH_KMSG_CLASSES; i++) {
		kmsg = xchg(&space->kmsg_cached[i], NULL);
		if (kmsg)
			mach_kmsg_release_memory(kmsg);
	}
}

/* Record the current task as the sender, for the audit trailer. */
void mach_kmsg_set_sender(struct mach_kmsg *kmsg)
{
	const struct cred *cred = current_cred();

	kmsg->sender = get_pid(task_tgid(current));
	kmsg->euid = cred->euid;
	kmsg->egid = cred->egid;
	kmsg->ruid = cred->uid;
	kmsg->rgid = cred->gid;
	kmsg->auid = audit_get_loginuid(current);
}

/*
 * Destroy a message that will not be received: release every right it
 * carries.  The destination right goes quietly; a send-once reply right
 * produces a send-once notification, as Mach specifies.  Receive rights in
 * the body are queued on 'deaths' when given (see mach_port_destroy), so
 * that destruction never recurses.  Takes no space lock, so it may run
 * under one.
 */
void mach_kmsg_destroy_to(struct mach_kmsg *kmsg,
			  struct mach_port_deaths *deaths)
{
	if (kmsg->dest) {
		if (kmsg->dest_type == MACH_MSG_TYPE_PORT_SEND_ONCE)
			mach_port_release_sonce(kmsg->dest);
		else
			mach_port_release_send(kmsg->dest);
		kmsg->dest = NULL;
	}
	if (mach_kport_real(kmsg->reply))
		mach_right_release(kmsg->reply, kmsg->reply_type);
	kmsg->reply = NULL;
	if (kmsg->desc)
		mach_desc_release(kmsg, deaths);
	mach_kmsg_free(kmsg);
}

void mach_kmsg_destroy(struct mach_kmsg *kmsg)
{
	mach_kmsg_destroy_to(kmsg, NULL);
}

/* Word offsets in mach_msg_max_trailer_t (4-byte packed, 68 bytes). */
enum {
	TRL_TYPE, TRL_SIZE, TRL_SEQNO,
	TRL_SEC_UID, TRL_SEC_GID,
	TRL_AUDIT_AUID, TRL_AUDIT_EUID, TRL_AUDIT_EGID, TRL_AUDIT_RUID,
	TRL_AUDIT_RGID, TRL_AUDIT_PID, TRL_AUDIT_ASID, TRL_AUDIT_PIDVER,
	TRL_CTX_LO, TRL_CTX_HI, TRL_AD, TRL_LABELS, TRL_WORDS
};

/* Byte offsets in the trailer of the elements after the seqno. */
#define TRL_SENDER_END	(TRL_AUDIT_AUID * 4)
#define TRL_AUDIT_END	(TRL_CTX_LO * 4)
#define TRL_CTX_END	(TRL_AD * 4)

/*
 * Fill the format-0 trailer as far as the receive options ask (the rest of
 * the buffer is not written, as only that much is copied out): the cheap
 * default trailer of an RPC costs no identity translation.  Identities are
 * translated into the receiving task's user and pid namespaces; a sender
 * that cannot be seen from there shows as the overflow ids (and pid 0).
 */
void mach_trailer_fill(u32 *w, const struct mach_kmsg *kmsg, u32 option,
		       u32 seqno, u64 context)
{
	u32 size = mach_trailer_size(option);
	struct user_namespace *ns;
	u32 euid, egid;

	w[TRL_TYPE] = 0;
	w[TRL_SIZE] = size;
	if (size <= TRL_SEQNO * 4)
		return;
	memset(w + TRL_SEQNO, 0, size - TRL_SEQNO * 4);
	w[TRL_SEQNO] = seqno;
	if (size >= TRL_CTX_END) {
		w[TRL_CTX_LO] = lower_32_bits(context);
		w[TRL_CTX_HI] = upper_32_bits(context);
	}
	if (size < TRL_SENDER_END)
		return;
	if (!kmsg->sender) {
		/*
		 * the kernel: XNU's KERNEL_SECURITY_TOKEN {0, 1}, and an
		 * all-zero KERNEL_AUDIT_TOKEN
		 */
		w[TRL_SEC_GID] = 1;
		return;
	}
	ns = current_user_ns();
	euid = from_kuid_munged(ns, kmsg->euid);
	egid = from_kgid_munged(ns, kmsg->egid);
	w[TRL_SEC_UID] = euid;
	w[TRL_SEC_GID] = egid;
	if (size < TRL_AUDIT_END)
		return;
	w[TRL_AUDIT_AUID] = uid_valid(kmsg->auid) ?
			    from_kuid_munged(ns, kmsg->auid) : (u32)-1;
	w[TRL_AUDIT_EUID] = euid;
	w[TRL_AUDIT_EGID] = egid;
	w[TRL_AUDIT_RUID] = from_kuid_munged(ns, kmsg->ruid);
	w[TRL_AUDIT_RGID] = from_kgid_munged(ns, kmsg->rgid);
	w[TRL_AUDIT_PID] = pid_nr_ns(kmsg->sender, task_active_pid_ns(current));
}
