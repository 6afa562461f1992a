// SPDX-License-Identifier: GPL-2.0
/*
 * IPC spaces: name table, reverse map, registry of spaces by process.
 */

#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "kmsg.h"
#include "notify.h"
#include "ool.h"
#include "port.h"
#include "right.h"
#include "space.h"
#include "task.h"
#include "stats.h"
#include "user.h"

/* The first generation of an index, and the step between uses (as XNU). */
#define MACH_GEN_FIRST	3
#define MACH_GEN_STEP	4
/* The largest index; keeps every name below MACH_PORT_DEAD. */
#define MACH_INDEX_MAX	0xfffffeU

static DEFINE_MUTEX(mach_registry_lock);
static LIST_HEAD(mach_registry);
static atomic64_t mach_space_serial;

int mach_space_init_cache(void)
{
	/* a chunk of the name table is one 4 KiB allocation */
	BUILD_BUG_ON(MACH_TABLE_CHUNK * sizeof(struct mach_entry) > 4096);
	return 0;
}

void mach_space_exit_cache(void)
{
}

struct mach_entry *mach_entry_lookup(struct mach_space *space, u32 name)
{
	struct mach_entry *entry;

	lockdep_assert_held(&space->lock);
	if (!MACH_PORT_VALID(name))
		return NULL;
	entry = mach_table_slot(space, MACH_PORT_INDEX(name));
	if (!entry || entry->name != name || !entry->type)
		return NULL;
	return entry;
}

/* The entry at an index in use or on the free list (never NULL then). */
struct mach_entry *mach_entry_at(struct mach_space *space, u32 index)
{
	struct mach_entry *entry = mach_table_slot(space, index);

	return entry && entry->name ? entry : NULL;
}

/* The first entry ever used at an index >= *index (set to its index). */
struct mach_entry *mach_table_next(struct mach_space *space,
				   unsigned long *index)
{
	unsigned long i = *index;
	struct mach_entry *entry;
	u32 chunk;

	lockdep_assert_held(&space->lock);
	while (i <= MACH_INDEX_MAX) {
		chunk = i / MACH_TABLE_CHUNK;
		if (chunk >= space->nr_chunks)
			return NULL;
		if (!space->chunks[chunk]) {
			i = (unsigned long)(chunk + 1) * MACH_TABLE_CHUNK;
			continue;
		}
		entry = &space->chunks[chunk][i % MACH_TABLE_CHUNK];
		if (entry->name) {
			*index = i;
			return entry;
		}
		i++;
	}
	return NULL;
}

/* Append a free entry to the free list (the newest free one). */
static void mach_free_push(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_entry *tail = space->free_tail;

	entry->free_prev = tail ? MACH_PORT_INDEX(tail->name) : 0;
	entry->free_next = 0;
	if (tail)
		tail->free_next = MACH_PORT_INDEX(entry->name);
	else
		space->free_head = entry;
	space->free_tail = entry;
}

/*
 * Take a free entry off the free list, wherever it is on it.  An entry
 * that is not on it (just taken: its type and object not set yet) has no
 * previous one and is not the head.  The ends are pointers, so the common
 * case (a name freed and reused, as an RPC's reply name is) looks nothing
 * up in the table.
 */
static void mach_free_unlink(struct mach_space *space,
			     struct mach_entry *entry)
{
	u32 prev = entry->free_prev, next = entry->free_next;
	struct mach_entry *p, *n;

	if (!prev && space->free_head != entry)
		return;
	p = prev ? mach_entry_at(space, prev) : NULL;
	n = next ? mach_entry_at(space, next) : NULL;
	if (p)
		p->free_next = next;
	else
		space->free_head = n;
	if (n)
		n->free_prev = prev;
	else
		space->free_tail = p;
	entry->free_prev = 0;
	entry->free_next = 0;
}

/* A name for an entry off the free list (or new). */
static void mach_entry_take(struct mach_space *space, struct mach_entry *entry,
			    u32 name)
{
	entry->name = name;
	entry->urefs = 0;
	entry->object = NULL;
	space->nr_names++;
}

/* Room in 'chunks' for chunk number 'chunk'; false when memory is short. */
static bool mach_table_grow(struct mach_space *space, u32 chunk)
{
	u32 nr = min(max3(chunk + 1, 2 * space->nr_chunks, 8U),
		     MACH_INDEX_MAX / MACH_TABLE_CHUNK + 1);
	struct mach_entry **chunks;

	chunks = kvcalloc(nr, sizeof(*chunks), GFP_KERNEL_ACCOUNT);
	if (!chunks)
		return false;
	if (space->nr_chunks)
		memcpy(chunks, space->chunks,
		       space->nr_chunks * sizeof(*chunks));
	kvfree(space->chunks);
	space->chunks = chunks;
	space->nr_chunks = nr;
	return true;
}

/* The never-used entry at 'index' (its chunk made if needed); NULL on failure. */
static struct mach_entry *mach_entry_new(struct mach_space *space, u32 index)
{
	u32 chunk = index / MACH_TABLE_CHUNK;

	if (chunk >= space->nr_chunks && !mach_table_grow(space, chunk))
		return NULL;
	if (!space->chunks[chunk]) {
		space->chunks[chunk] = kcalloc(MACH_TABLE_CHUNK,
					       sizeof(struct mach_entry),
					       GFP_KERNEL_ACCOUNT);
		if (!space->chunks[chunk])
			return NULL;
	}
	return &space->chunks[chunk][index % MACH_TABLE_CHUNK];
}

/*
 * Allocate a name.  The caller sets entry->type (non-zero) and the object
 * before dropping the lock.  Returns a kern_return_t.
 */
int mach_entry_alloc(struct mach_space *space, struct mach_entry **out)
{
	struct mach_entry *entry;
	u32 gen;

	lockdep_assert_held(&space->lock);
	if (space->nr_names >= mach_max_names)
		return KERN_NO_SPACE;

	/* the oldest free index: the longest before a generation recurs */
	if (space->free_head) {
		entry = space->free_head;
		mach_free_unlink(space, entry);
		gen = (MACH_PORT_GEN(entry->name) + MACH_GEN_STEP) & 0xff;
		mach_entry_take(space, entry,
				MACH_PORT_MAKE(MACH_PORT_INDEX(entry->name), gen));
		*out = entry;
		return KERN_SUCCESS;
	}

	while (space->next_index <= MACH_INDEX_MAX &&
	       mach_entry_at(space, space->next_index))
		space->next_index++;
	if (space->next_index > MACH_INDEX_MAX)
		return KERN_NO_SPACE;

	entry = mach_entry_new(space, space->next_index);
	if (!entry)
		return KERN_RESOURCE_SHORTAGE;
	mach_entry_take(space, entry,
			MACH_PORT_MAKE(space->next_index, MACH_GEN_FIRST));
	space->next_index++;
	*out = entry;
	return KERN_SUCCESS;
}

/*
 * Can a caller choose this name?  As in XNU, the two low generation bits
 * are the kernel's and must be set, and index 0 is never a name.
 */
int mach_name_check(u32 name)
{
	if (!MACH_PORT_VALID(name) || (name & 3) != 3 ||
	    MACH_PORT_INDEX(name) > MACH_INDEX_MAX)
		return KERN_INVALID_VALUE;
	if (MACH_PORT_INDEX(name) == 0)
		return KERN_FAILURE;
	return KERN_SUCCESS;
}

/* Allocate a caller-chosen name, as mach_port_allocate_name does. */
int mach_entry_alloc_name(struct mach_space *space, u32 name,
			  struct mach_entry **out)
{
	struct mach_entry *entry;
	u32 index = MACH_PORT_INDEX(name);
	int kr;

	lockdep_assert_held(&space->lock);
	kr = mach_name_check(name);
	if (kr != KERN_SUCCESS)
		return kr;

	entry = mach_entry_at(space, index);
	if (entry && entry->type)
		return KERN_NAME_EXISTS;
	if (space->nr_names >= mach_max_names)
		return KERN_NO_SPACE;
	if (entry) {
		mach_free_unlink(space, entry);
	} else {
		entry = mach_entry_new(space, index);
		if (!entry)
			return KERN_RESOURCE_SHORTAGE;
	}
	mach_entry_take(space, entry, name);
	*out = entry;
	return KERN_SUCCESS;
}

/* Free a name; the caller has already released the rights it held. */
void mach_entry_free(struct mach_space *space, struct mach_entry *entry)
{
	lockdep_assert_held(&space->lock);
	/* a name that goes while its port lives: port-deleted */
	if (entry->dnreq)
		mach_dnreq_cancel(space, entry);
	entry->type = 0;
	entry->urefs = 0;
	mach_free_push(space, entry);
	space->nr_names--;
}

/* The entry's dead-name request, or NULL. */
struct mach_dnreq *mach_entry_dnreq(struct mach_space *space,
				    struct mach_entry *entry)
{
	lockdep_assert_held(&space->lock);
	if (!entry->dnreq)
		return NULL;
	return xa_load(&space->dnreqs, MACH_PORT_INDEX(entry->name));
}

/*
 * Make room for a dead-name request on the entry, so that setting it
 * cannot fail.  Returns a kern_return_t.
 */
int mach_entry_reserve_dnreq(struct mach_space *space,
			     struct mach_entry *entry)
{
	lockdep_assert_held(&space->lock);
	if (entry->dnreq)
		return KERN_SUCCESS;
	if (xa_reserve(&space->dnreqs, MACH_PORT_INDEX(entry->name),
		       GFP_KERNEL_ACCOUNT))
		return KERN_RESOURCE_SHORTAGE;
	return KERN_SUCCESS;
}

/* Set (after mach_entry_reserve_dnreq) or clear the request. */
void mach_entry_set_dnreq(struct mach_space *space, struct mach_entry *entry,
			  struct mach_dnreq *req)
{
	u32 index = MACH_PORT_INDEX(entry->name);

	lockdep_assert_held(&space->lock);
	if (req)
		xa_store(&space->dnreqs, index, req, GFP_KERNEL_ACCOUNT);
	else
		xa_erase(&space->dnreqs, index);
	entry->dnreq = req;
}

static void mach_space_release(struct kref *ref)
{
	struct mach_space *space = container_of(ref, struct mach_space, ref);
	u32 i;

	for (i = 0; i < space->nr_chunks; i++)
		kfree(space->chunks[i]);
	kvfree(space->chunks);
	xa_destroy(&space->dnreqs);
	mach_revmap_destroy(&space->rev);
	put_pid(space->pid);
	mach_kmsg_drop_cached(space);
	if (space->user)
		mach_user_put(space->user);
	kfree(space);
	mach_stat_dec(MACH_STAT_SPACES);
}

void mach_space_get(struct mach_space *space)
{
	kref_get(&space->ref);
}

void mach_space_put(struct mach_space *space)
{
	kref_put(&space->ref, mach_space_release);
}

/*
 * A new space for the calling process, with its task port and a send right
 * to it under the name mach_task_self() returns.
 */
struct mach_space *mach_space_create(void)
{
	struct mach_space *space;
	struct mach_entry *entry;
	struct mach_port *port;
	int kr;

	space = kzalloc(sizeof(*space), GFP_KERNEL_ACCOUNT);
	if (!space)
		return NULL;
	kref_init(&space->ref);
	mutex_init(&space->lock);
	xa_init(&space->dnreqs);
	INIT_LIST_HEAD(&space->registry_link);
	INIT_LIST_HEAD(&space->fork_snaps);
	space->next_index = 1;
	space->active = true;
	/* without one (no memory), OOL sends allocate every page */
	space->ool_cache = mach_ool_cache_create();
	space->serial = atomic64_inc_return(&mach_space_serial);
	mach_stat_inc(MACH_STAT_SPACES);
	space->pid = get_pid(task_tgid(current));
	space->user = mach_user_get_current();
	if (!space->user)
		goto err_put;

	port = mach_port_alloc_kobject(MACH_KOBJ_TASK, space);
	if (!port)
		goto err_put;
	space->task_port = port;

	mutex_lock(&space->lock);
	kr = mach_entry_alloc(space, &entry);
	if (kr == KERN_SUCCESS) {
		mach_port_get(port);
		port->srights++;
		port->mscount++;
		entry->type = MACH_PORT_TYPE_SEND;
		entry->urefs = 1;
		entry->object = port;
		kr = mach_rev_insert(space, entry);
		if (kr == KERN_SUCCESS)
			space->task_self = entry->name;
	}
	mutex_unlock(&space->lock);
	if (kr != KERN_SUCCESS)
		goto err_destroy;
	return space;

err_destroy:
	mach_space_destroy(space);
	return NULL;
err_put:
	mach_space_put(space);
	return NULL;
}

/*
 * Tear a space down: every right it holds is released as if deallocated,
 * receive rights destroy their ports, and its task port dies.  Called once,
 * when the owning file is released.
 */
void mach_space_destroy(struct mach_space *space)
{
	struct mach_entry *entry;
	struct mach_port *task_port;
	unsigned long index;
	int i;

	mutex_lock(&space->lock);
	space->active = false;
	for (index = 0; (entry = mach_table_next(space, &index)); index++) {
		if (entry->type)
			mach_right_destroy_entry(space, entry);
	}
	task_port = space->task_port;
	space->task_port = NULL;
	mutex_unlock(&space->lock);

	for (i = 0; i <= TASK_MAX_SPECIAL_PORT; i++) {
		if (space->special[i])
			mach_port_release_send(space->special[i]);
		space->special[i] = NULL;
	}
	mach_fork_snaps_release(space);
	/* no send can come from this space any more: drop its spare pages */
	mach_ool_cache_close(space->ool_cache);
	space->ool_cache = NULL;

	if (task_port) {
		spin_lock(&task_port->lock);
		mach_port_clear_kobject(task_port);
		spin_unlock(&task_port->lock);
		mach_port_destroy(task_port);
	}
	mach_space_put(space);
}

void mach_registry_add(struct mach_space *space)
{
	mutex_lock(&mach_registry_lock);
	list_add(&space->registry_link, &mach_registry);
	mutex_unlock(&mach_registry_lock);
}

void mach_registry_del(struct mach_space *space)
{
	mutex_lock(&mach_registry_lock);
	list_del_init(&space->registry_link);
	mutex_unlock(&mach_registry_lock);
}

/* The newest live space of a process, with a reference, or NULL. */
struct mach_space *mach_registry_find(struct pid *tgid)
{
	struct mach_space *space, *found = NULL;

	mutex_lock(&mach_registry_lock);
	list_for_each_entry(space, &mach_registry, registry_link) {
		if (space->pid == tgid) {
			mach_space_get(space);
			found = space;
			break;
		}
	}
	mutex_unlock(&mach_registry_lock);
	return found;
}

void mach_registry_walk(void (*fn)(struct mach_space *space, void *arg),
			void *arg)
{
	struct mach_space *space;

	mutex_lock(&mach_registry_lock);
	list_for_each_entry(space, &mach_registry, registry_link)
		fn(space, arg);
	mutex_unlock(&mach_registry_lock);
}
