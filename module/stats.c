// SPDX-License-Identifier: GPL-2.0
/*
 * Module-wide statistics, and their debugfs view (mach/stats) for tests and
 * operators on kernels without the netlink tool.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "mach_types.h"
#include "ool.h"
#include "stats.h"

DEFINE_PER_CPU(struct mach_stats_cpu, mach_stats);

const char *const mach_stat_names[MACH_STAT_NR] = {
	[MACH_STAT_SPACES] = "spaces",
	[MACH_STAT_PORTS] = "ports",
	[MACH_STAT_PSETS] = "port_sets",
	[MACH_STAT_KMSGS] = "messages_queued",
	[MACH_STAT_KMSG_BYTES] = "bytes_queued",
	[MACH_STAT_OOL_BYTES] = "ool_bytes_queued",
	[MACH_STAT_SENT] = "messages_sent",
	[MACH_STAT_RECEIVED] = "messages_received",
	[MACH_STAT_SENT_BYTES] = "bytes_sent",
	[MACH_STAT_NOTIFICATIONS] = "notifications_sent",
	[MACH_STAT_OOL_CACHED] = "ool_pages_cached",
	[MACH_STAT_OOL_RECYCLED] = "ool_pages_recycled",
};

#define MACH_RCV_CODE_BIT	0x4000

/* Count one failed mach_msg by its code (modifier bits ignored). */
void mach_stat_fail(int code)
{
	unsigned int slot = code & (MACH_STAT_FAIL_SLOTS / 2 - 1);

	if (code & MACH_RCV_CODE_BIT)
		slot += MACH_STAT_FAIL_SLOTS / 2;
	this_cpu_inc(mach_stats.fail[slot]);
}

/* The mach_msg_return_t a failure slot counts. */
u32 mach_stat_fail_code(unsigned int slot)
{
	if (slot >= MACH_STAT_FAIL_SLOTS / 2)
		return 0x10000000 | MACH_RCV_CODE_BIT |
		       (slot - MACH_STAT_FAIL_SLOTS / 2);
	return 0x10000000 | slot;
}

void mach_stats_read(struct mach_stats_sum *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct mach_stats_cpu *c = per_cpu_ptr(&mach_stats, cpu);

		for (i = 0; i < MACH_STAT_NR; i++)
			sum->v[i] += READ_ONCE(c->v[i]);
		for (i = 0; i < MACH_STAT_FAIL_SLOTS; i++)
			sum->fail[i] += READ_ONCE(c->fail[i]);
	}
	/* an exact count ool.c keeps anyway, for its bound */
	sum->v[MACH_STAT_OOL_CACHED] = mach_ool_cached_pages();
}

static int mach_stats_show(struct seq_file *m, void *unused)
{
	struct mach_stats_sum sum;
	int i;

	mach_stats_read(&sum);
	for (i = 0; i < MACH_STAT_NR; i++)
		seq_printf(m, "%s %lld\n", mach_stat_names[i], sum.v[i]);
	for (i = 0; i < MACH_STAT_FAIL_SLOTS; i++)
		if (sum.fail[i])
			seq_printf(m, "failed_0x%08x %lld\n",
				   mach_stat_fail_code(i), sum.fail[i]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mach_stats);

static struct dentry *mach_debugfs_dir;

/* debugfs is optional: without it the counters are still kept */
void mach_stats_debugfs_init(void)
{
	mach_debugfs_dir = debugfs_create_dir("mach", NULL);
	debugfs_create_file("stats", 0444, mach_debugfs_dir, NULL,
			    &mach_stats_fops);
}

void mach_stats_debugfs_exit(void)
{
	debugfs_remove_recursive(mach_debugfs_dir);
	mach_debugfs_dir = NULL;
}
