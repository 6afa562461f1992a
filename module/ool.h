/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Out-of-line memory regions in flight.  A region is snapshotted from the
 * sender's memory at send time (mach_ool_create) and either handed to a
 * receiver as a new private mapping (mach_ool_map) or dropped with its
 * message (mach_ool_release).  See ool.c and docs/design.md, "OOL memory".
 */
#ifndef _MACH_OOL_H
#define _MACH_OOL_H

#include <linux/types.h>

struct mach_ool_cache;
struct mach_ool_pages;

struct mach_ool {
	struct mach_ool_pages *snap;	/* the snapshot's pages, in flight */
	void *buf;			/* or, for a small region, a copy */
	u32 len;			/* bytes of data */
	u32 off;			/* where they start in their first page */
	size_t bytes;			/* what it pins: mach_ool_bytes() */
};

/* Most OOL bytes one message may carry (module parameter max_ool). */
extern unsigned int mach_max_ool;
/* Most pages one space keeps for its next regions (ool_cache_pages). */
extern unsigned int mach_ool_cache_pages;
/* Most pages all spaces' caches keep together (ool_cache_max_pages). */
extern unsigned long mach_ool_cache_max;
long mach_ool_cached_pages(void);

int mach_ool_init(void);
void mach_ool_exit(void);

/*
 * A sending space's cache of pages its released regions gave back (ool.c).
 * The space creates it and closes it when it is destroyed; regions made
 * from it keep the object, not its pages, until they are released.
 */
struct mach_ool_cache *mach_ool_cache_create(void);
void mach_ool_cache_close(struct mach_ool_cache *cache);

int mach_ool_create(struct mach_ool *ool, u64 uaddr, u32 len,
		    struct mach_ool_cache *cache);
u64 mach_ool_map(struct mach_ool *ool);
void mach_ool_release(struct mach_ool *ool);

/*
 * The kernel memory a region pins while it is in flight, from a successful
 * mach_ool_create() until mach_ool_map() or mach_ool_release() ends it;
 * 0 for an empty or finished region.
 */
static inline size_t mach_ool_bytes(const struct mach_ool *ool)
{
	return ool->bytes;
}

u64 mach_user_map_copy(const void *src, u64 len, u64 off);

#endif /* _MACH_OOL_H */
