/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module-wide statistics: live object counts and event counters, kept per
 * CPU so that no counter is shared between CPUs on the message path.  A
 * reader sums the CPUs; a live count is exact whenever nothing is changing.
 */
#ifndef _MACH_STATS_H
#define _MACH_STATS_H

#include <linux/percpu.h>
#include <linux/types.h>

enum mach_stat {
	/* live objects */
	MACH_STAT_SPACES,
	MACH_STAT_PORTS,
	MACH_STAT_PSETS,
	MACH_STAT_KMSGS,	/* messages queued or in flight */
	MACH_STAT_KMSG_BYTES,	/* their header+body bytes */
	MACH_STAT_OOL_BYTES,	/* OOL bytes they hold */
	/* events since load */
	MACH_STAT_SENT,
	MACH_STAT_RECEIVED,
	MACH_STAT_SENT_BYTES,
	MACH_STAT_NOTIFICATIONS,
	MACH_STAT_NR_NETLINK,	/* those above are in netlink's stats too */
	/* debugfs only */
	MACH_STAT_OOL_CACHED = MACH_STAT_NR_NETLINK,	/* read from ool.c */
	MACH_STAT_OOL_RECYCLED,	/* OOL pages taken from a cache */
	MACH_STAT_NR
};

/*
 * Failures of mach_msg by code: send codes (0x100000xx) in the low half,
 * receive codes (0x100040xx) in the high half, indexed by their low bits.
 */
#define MACH_STAT_FAIL_SLOTS	64

struct mach_stats_cpu {
	long v[MACH_STAT_NR];
	long fail[MACH_STAT_FAIL_SLOTS];
};

DECLARE_PER_CPU(struct mach_stats_cpu, mach_stats);

static inline void mach_stat_add(enum mach_stat s, long delta)
{
	this_cpu_add(mach_stats.v[s], delta);
}

static inline void mach_stat_inc(enum mach_stat s)
{
	mach_stat_add(s, 1);
}

static inline void mach_stat_dec(enum mach_stat s)
{
	mach_stat_add(s, -1);
}

struct mach_stats_sum {
	s64 v[MACH_STAT_NR];
	s64 fail[MACH_STAT_FAIL_SLOTS];
};

extern const char *const mach_stat_names[MACH_STAT_NR];

void mach_stat_fail(int code);
void mach_stats_read(struct mach_stats_sum *sum);
u32 mach_stat_fail_code(unsigned int slot);

void mach_stats_debugfs_init(void);
void mach_stats_debugfs_exit(void);

#endif /* _MACH_STATS_H */
