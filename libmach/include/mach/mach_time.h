/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_time.h>: the absolute time base.
 *
 * Here absolute time is CLOCK_MONOTONIC in nanoseconds (so the timebase is
 * 1/1, as on Intel Macs) and continuous time is CLOCK_BOOTTIME, which, like
 * macOS's, keeps counting while the machine sleeps.
 */
#ifndef _MACH_MACH_TIME_H_
#define _MACH_MACH_TIME_H_

#include <stdint.h>
#include <sys/cdefs.h>
#include <mach/kern_return.h>

struct mach_timebase_info {
	uint32_t	numer;
	uint32_t	denom;
};
typedef struct mach_timebase_info	*mach_timebase_info_t;
typedef struct mach_timebase_info	mach_timebase_info_data_t;

__BEGIN_DECLS

/* Ticks to nanoseconds: ns = ticks * numer / denom.  Always 1/1 here. */
kern_return_t mach_timebase_info(mach_timebase_info_t info);

/* Sleep until mach_absolute_time() >= deadline.  KERN_ABORTED if a signal interrupts. */
kern_return_t mach_wait_until(uint64_t deadline);

uint64_t mach_absolute_time(void);
/* Same clock as mach_absolute_time() here. */
uint64_t mach_approximate_time(void);
/* Like mach_absolute_time, but advances while the system sleeps. */
uint64_t mach_continuous_time(void);
uint64_t mach_continuous_approximate_time(void);

__END_DECLS

#endif /* _MACH_MACH_TIME_H_ */
