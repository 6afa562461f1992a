/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The IPC space: one per process (thread group) that opened /dev/mach.
 *
 * Names are (index << 8) | generation.  The table holds the entries by
 * index, in chunks of MACH_TABLE_CHUNK (4 KiB each) that 'chunks' points
 * to, so a look-up is two loads; a chunk is allocated when an index in it
 * is first used, and an entry whose name is 0 was never used.  Entries
 * are kept after their name is freed (on the free list, oldest
 * first, from 'free_head' to 'free_tail') so that the next use of an index
 * gets a new generation and a stale name cannot reach a reused slot.  The
 * free list links entries by index (0, never a name's index, ends it), in
 * the object pointer a free entry does not need, so it costs no extra
 * link.  Dead-name requests are rare: they live in 'dnreqs', by index,
 * and the entry only says it has one.  'rev' maps a port to the one entry
 * that holds send and/or receive rights for it, so those rights coalesce
 * under one name (revmap.c).
 *
 * Lock order (the whole module):
 *   mach_registry_lock  (open/release/lookup of spaces by process)
 *     -> space->lock      (mutex: name table, reverse map, entry fields)
 *       -> port->lock     (spinlock: port state and message queue)
 *         -> the lock of a wait queue of blocked senders (mqueue.c)
 *   mach_ool_cache->lock (spinlock, ool.c) is a leaf: taken under any of
 *     these or none, it covers list operations and counters only.
 * Never two space locks at once, never two port locks at once.  Messages are
 * destroyed with no lock held.  copy_to_user/copy_from_user happen with no
 * lock held.
 */
#ifndef _MACH_SPACE_H
#define _MACH_SPACE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include "kmsg.h"
#include "mach_types.h"

struct file;
struct mach_dnreq;
struct mach_kmsg;
struct mach_ool_cache;
struct mach_port;
struct mach_user;
struct pid;

struct mach_entry {
	u32 name;			/* full name (its generation when free) */
	u32 type;			/* MACH_PORT_TYPE_* bits; 0 when free */
	u32 urefs;			/* send or dead-name user references */
	bool dnreq;			/* has a dead-name request in dnreqs */
	union {
		void *object;		/* struct mach_port *; NULL when free */
		struct {		/* free: indices of the neighbours */
			u32 free_prev;
			u32 free_next;
		};
	};
};

/* Open-addressing table of entry indices, by port (revmap.c). */
struct mach_revmap {
	u32 *slots;			/* 2^bits of them; NULL before use */
	u32 bits;
	u32 count;			/* entries mapped */
};

struct mach_space {
	struct kref ref;
	struct mutex lock;		/* name table, entries, specials */
	bool active;

	struct mach_entry **chunks;	/* the table: see above */
	u32 nr_chunks;			/* slots in 'chunks' */
	struct mach_entry *free_head;	/* the oldest free entry, or NULL */
	struct mach_entry *free_tail;	/* the newest free entry, or NULL */
	u32 next_index;
	u32 nr_names;
	struct mach_revmap rev;		/* entries with SEND/RECEIVE */
	struct xarray dnreqs;		/* index -> struct mach_dnreq * */

	struct pid *pid;		/* thread group that owns the space */
	struct mach_user *user;		/* charged for what it sends */
	/* a free message of each slab class (kmsg.c), or NULL */
	struct mach_kmsg *kmsg_cached[MACH_KMSG_CLASSES];
	struct mach_ool_cache *ool_cache; /* pages for OOL sends, or NULL */
	struct mach_port *task_port;	/* kernel object port for this task */
	u32 task_self;			/* name of our send right to it */
	struct mach_port *special[TASK_MAX_SPECIAL_PORT + 1];
	struct list_head fork_snaps;	/* see task.c: mach_fork_prepare */
	u32 nr_fork_snaps;
	u64 fork_cookie;		/* the last one given */

	struct list_head registry_link;
	u64 serial;			/* order of creation, from 1 */
};

extern unsigned int mach_max_names;

int mach_caches_init(void);
int mach_space_init_cache(void);
void mach_space_exit_cache(void);

struct mach_space *mach_space_create(void);
void mach_space_destroy(struct mach_space *space);
void mach_space_get(struct mach_space *space);
void mach_space_put(struct mach_space *space);
/* Is file an open /dev/mach (main.c)? */
bool mach_file_is_device(const struct file *file);

/* Registry of live spaces by process, for parents and task_for_pid. */
void mach_registry_add(struct mach_space *space);
void mach_registry_del(struct mach_space *space);
struct mach_space *mach_registry_find(struct pid *tgid);
/*
 * Call fn on every registered space under the registry lock (fn may take a
 * reference; it must not sleep or take a space lock).
 */
void mach_registry_walk(void (*fn)(struct mach_space *space, void *arg),
			void *arg);

/* Entries per chunk of the name table: 170 of 24 bytes fill 4 KiB. */
#define MACH_TABLE_CHUNK	170

/* The entry slot of 'index', used or not, or NULL if its chunk is not there. */
static inline struct mach_entry *mach_table_slot(struct mach_space *space,
						 u32 index)
{
	u32 chunk = index / MACH_TABLE_CHUNK;

	if (chunk >= space->nr_chunks || !space->chunks[chunk])
		return NULL;
	return &space->chunks[chunk][index % MACH_TABLE_CHUNK];
}

/* Name table; all require space->lock. */
struct mach_entry *mach_entry_lookup(struct mach_space *space, u32 name);
struct mach_entry *mach_entry_at(struct mach_space *space, u32 index);
struct mach_entry *mach_table_next(struct mach_space *space,
				   unsigned long *index);
/*
 * Every entry ever used (in use or free), by index:
 *	for (index = start; (entry = mach_table_next(space, &index)); index++)
 * (open-coded at each use: a macro would evaluate its arguments twice).
 */
int mach_entry_alloc(struct mach_space *space, struct mach_entry **out);
int mach_name_check(u32 name);
int mach_entry_alloc_name(struct mach_space *space, u32 name,
			  struct mach_entry **out);
void mach_entry_free(struct mach_space *space, struct mach_entry *entry);
struct mach_dnreq *mach_entry_dnreq(struct mach_space *space,
				    struct mach_entry *entry);
int mach_entry_reserve_dnreq(struct mach_space *space,
			     struct mach_entry *entry);
void mach_entry_set_dnreq(struct mach_space *space, struct mach_entry *entry,
			  struct mach_dnreq *req);
struct mach_entry *mach_rev_lookup(struct mach_space *space,
				   struct mach_port *port);
int mach_rev_insert(struct mach_space *space, struct mach_entry *entry);
void mach_rev_remove(struct mach_space *space, struct mach_entry *entry);
void mach_revmap_destroy(struct mach_revmap *map);

#endif /* _MACH_SPACE_H */
