// SPDX-License-Identifier: GPL-2.0
/*
 * A space's reverse map: the entry, if any, that names a given port.
 *
 * Send rights to one port coalesce under one name, so a copyout of a send
 * right first asks whether the space already names the port.  The map is
 * an open-addressing hash table of entry indices: 4 bytes a slot, linear
 * probing, removal by shifting later slots back (no tombstones), resized to
 * stay between 1/4 and 3/4 full.  That is 5-16 bytes per mapped entry and
 * nothing inside the entry, where an rhashtable costs an 8-byte link in
 * every entry plus 11-27 bytes of buckets per element (it grows at 3/4 and
 * shrinks at 3/10).  A probe reads the entry through the name table, to
 * compare its object with the port.
 *
 * Everything here runs under space->lock.  Slot value 0 means empty: index
 * 0 is never a name.
 */

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include "mach_types.h"
#include "space.h"

#define MACH_REVMAP_MIN	16	/* slots of the smallest table */

static u32 mach_revmap_home(const struct mach_revmap *map, const void *object)
{
	return hash_64((u64)(uintptr_t)object, map->bits);
}

static u32 mach_revmap_home_of(struct mach_space *space,
			       const struct mach_revmap *map, u32 index)
{
	return mach_revmap_home(map, mach_entry_at(space, index)->object);
}

/* Put 'index' (of an entry for 'object') in the first free slot. */
static void mach_revmap_place(struct mach_revmap *map, const void *object,
			      u32 index)
{
	u32 mask = (1U << map->bits) - 1;
	u32 i = mach_revmap_home(map, object);

	while (map->slots[i])
		i = (i + 1) & mask;
	map->slots[i] = index;
}

/* Rebuild the table with 2^bits slots; false (map unchanged) on ENOMEM. */
static bool mach_revmap_resize(struct mach_space *space, unsigned int bits)
{
	struct mach_revmap *map = &space->rev;
	struct mach_revmap new = { .bits = bits, .count = map->count };
	u32 i, old_size = map->slots ? 1U << map->bits : 0;

	new.slots = kvcalloc(1U << bits, sizeof(u32), GFP_KERNEL_ACCOUNT);
	if (!new.slots)
		return false;
	for (i = 0; i < old_size; i++) {
		u32 index = map->slots[i];

		if (index)
			mach_revmap_place(&new,
					  mach_entry_at(space, index)->object,
					  index);
	}
	kvfree(map->slots);
	*map = new;
	return true;
}

struct mach_entry *mach_rev_lookup(struct mach_space *space,
				   struct mach_port *port)
{
	struct mach_revmap *map = &space->rev;
	struct mach_entry *entry;
	u32 i, mask;

	lockdep_assert_held(&space->lock);
	if (!map->count)
		return NULL;
	mask = (1U << map->bits) - 1;
	/* the table is never full: an empty slot ends every probe */
	for (i = mach_revmap_home(map, port); map->slots[i]; i = (i + 1) & mask) {
		entry = mach_entry_at(space, map->slots[i]);
		if (entry->object == port)
			return entry;
	}
	return NULL;
}

/* Map the entry (its object set, not mapped yet).  A kern_return_t. */
int mach_rev_insert(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_revmap *map = &space->rev;
	u32 size = map->slots ? 1U << map->bits : 0;

	lockdep_assert_held(&space->lock);
	if ((map->count + 1) * 4 > size * 3 &&
	    !mach_revmap_resize(space, size ? map->bits + 1 :
					     ilog2(MACH_REVMAP_MIN)))
		return KERN_RESOURCE_SHORTAGE;
	mach_revmap_place(map, entry->object, MACH_PORT_INDEX(entry->name));
	map->count++;
	return KERN_SUCCESS;
}

/*
 * Is slot j's home h outside the cyclic range (i, j]?  Then the element at
 * j may move back to the hole at i without leaving its probe sequence.
 */
static bool mach_revmap_may_fill(u32 i, u32 j, u32 h)
{
	if (i <= j)
		return h <= i || h > j;
	return h <= i && h > j;
}

/* Unmap the entry (its object still set). */
void mach_rev_remove(struct mach_space *space, struct mach_entry *entry)
{
	struct mach_revmap *map = &space->rev;
	u32 index = MACH_PORT_INDEX(entry->name);
	u32 i, j, mask;

	lockdep_assert_held(&space->lock);
	if (!map->count)
		return;
	mask = (1U << map->bits) - 1;
	for (i = mach_revmap_home(map, entry->object); map->slots[i] != index;
	     i = (i + 1) & mask)
		if (!map->slots[i])
			return;		/* not mapped */

	/* close the hole: later slots of the same run may move back */
	for (j = (i + 1) & mask; map->slots[j]; j = (j + 1) & mask) {
		u32 home = mach_revmap_home_of(space, map, map->slots[j]);

		if (mach_revmap_may_fill(i, j, home)) {
			map->slots[i] = map->slots[j];
			i = j;
		}
	}
	map->slots[i] = 0;
	map->count--;

	/* the smallest table stays: a space's names come and go */
	if (map->bits > ilog2(MACH_REVMAP_MIN) &&
	    map->count * 4 < 1U << map->bits) {
		/* a failed shrink only leaves the table larger */
		mach_revmap_resize(space, map->bits - 1);
	}
}

void mach_revmap_destroy(struct mach_revmap *map)
{
	kvfree(map->slots);
	map->slots = NULL;
	map->count = 0;
}
