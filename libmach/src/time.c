/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_time.h> over clock_gettime(): absolute time is CLOCK_MONOTONIC
 * in nanoseconds (timebase 1/1), continuous time is CLOCK_BOOTTIME.
 */
#include <errno.h>
#include <time.h>

#include <mach/mach_time.h>

#include "internal.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

MACH_EXPORT uint64_t mach_absolute_time(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/*
 * Not CLOCK_MONOTONIC_COARSE: that lags CLOCK_MONOTONIC by up to a tick,
 * so code mixing both calls would see time run backwards.
 */
MACH_EXPORT uint64_t mach_approximate_time(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

MACH_EXPORT uint64_t mach_continuous_time(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

MACH_EXPORT uint64_t mach_continuous_approximate_time(void)
{
	return clock_ns(CLOCK_BOOTTIME);
}

MACH_EXPORT kern_return_t mach_timebase_info(mach_timebase_info_t info)
{
	if (info == NULL)
		return KERN_INVALID_ARGUMENT;
	info->numer = 1;
	info->denom = 1;
	return KERN_SUCCESS;
}

/* Like macOS: KERN_ABORTED when a signal handler interrupts the sleep. */
MACH_EXPORT kern_return_t mach_wait_until(uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ull),
		.tv_nsec = (long)(deadline % 1000000000ull),
	};
	int rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);

	if (rc == 0)
		return KERN_SUCCESS;
	return rc == EINTR ? KERN_ABORTED : KERN_INVALID_ARGUMENT;
}
