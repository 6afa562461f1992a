/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stats_util.h - read the module's counters (debugfs mach/stats) so that
 * tests can prove objects return to their baseline.
 */
#ifndef STATS_UTIL_H
#define STATS_UTIL_H

#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "mach_test.h"

#define MACH_STATS_PATH	"/sys/kernel/debug/mach/stats"

/* The live-object counters a test compares with its baseline. */
static const char *const st_live[] = {
	"spaces", "ports", "port_sets", "messages_queued", "bytes_queued",
	"ool_bytes_queued",
};
#define ST_NLIVE	(sizeof(st_live) / sizeof(st_live[0]))

/* Value of 'key' in mach/stats, or -1. */
static inline long long st_value(const char *key)
{
	char line[128], name[96];
	long long v, found = -1;
	FILE *f = fopen(MACH_STATS_PATH, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%95s %lld", name, &v) == 2 && !strcmp(name, key))
			found = v;
	fclose(f);
	return found;
}

/* Skip the case unless the counters can be read (mounts debugfs if root). */
static inline void st_need(void)
{
	if (access(MACH_STATS_PATH, R_OK) != 0)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(MACH_STATS_PATH, R_OK) != 0)
		mt_skip("no debugfs mach/stats (needs root and CONFIG_DEBUG_FS)");
}

static inline void st_snapshot(long long v[ST_NLIVE])
{
	for (unsigned int i = 0; i < ST_NLIVE; i++)
		v[i] = st_value(st_live[i]);
}

/*
 * Wait up to timeout_ms for every live counter to equal base[]; on timeout
 * print the ones that differ.  True when they all came back.
 */
static inline bool st_back_to(const long long base[ST_NLIVE],
			      unsigned int timeout_ms)
{
	uint64_t end = mt_now_ms() + timeout_ms;
	long long now[ST_NLIVE];

	for (;;) {
		bool same = true;

		st_snapshot(now);
		for (unsigned int i = 0; i < ST_NLIVE; i++)
			same &= now[i] == base[i];
		if (same)
			return true;
		if (mt_now_ms() >= end)
			break;
		mt_sleep_ms(20);
	}
	for (unsigned int i = 0; i < ST_NLIVE; i++)
		if (now[i] != base[i])
			mt_diag("%s: %lld, baseline %lld", st_live[i], now[i],
				base[i]);
	return false;
}

#endif /* STATS_UTIL_H */
