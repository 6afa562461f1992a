/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/clock_types.h>: mach_timespec_t and the clock service's ids and
 * attribute names, XNU's values.
 */
#ifndef _MACH_CLOCK_TYPES_H_
#define _MACH_CLOCK_TYPES_H_

#include <stdint.h>
#include <mach/time_value.h>

typedef int	alarm_type_t;
typedef int	sleep_type_t;
typedef int	clock_id_t;
typedef int	clock_flavor_t;
typedef int	*clock_attr_t;
typedef int	clock_res_t;

/* A time (or interval) as the Mach clock and semaphore calls take it. */
struct mach_timespec {
	unsigned int	tv_sec;
	clock_res_t	tv_nsec;
};
typedef struct mach_timespec mach_timespec_t;

/* Clock ids for host_get_clock_service(). */
#define SYSTEM_CLOCK		0	/* time since boot */
#define CALENDAR_CLOCK		1	/* time since the epoch */
#define REALTIME_CLOCK		0

/* clock_get_attributes() flavors. */
#define CLOCK_GET_TIME_RES	1
#define CLOCK_ALARM_CURRES	3
#define CLOCK_ALARM_MINRES	4
#define CLOCK_ALARM_MAXRES	5

#define NSEC_PER_USEC	1000ull
#define USEC_PER_SEC	1000000ull
#define NSEC_PER_SEC	1000000000ull
#define NSEC_PER_MSEC	1000000ull

#define BAD_MACH_TIMESPEC(t) \
	((t)->tv_nsec < 0 || (t)->tv_nsec >= (long)NSEC_PER_SEC)

/* Sign of t1 - t2: the nanosecond difference, or +-NSEC_PER_SEC. */
#define CMP_MACH_TIMESPEC(t1, t2)					\
	((t1)->tv_sec > (t2)->tv_sec ? (long)+NSEC_PER_SEC :		\
	 (t1)->tv_sec < (t2)->tv_sec ? (long)-NSEC_PER_SEC :		\
	 (long)(t1)->tv_nsec - (long)(t2)->tv_nsec)

/* *t1 += *t2 */
#define ADD_MACH_TIMESPEC(t1, t2) do {					\
	(t1)->tv_nsec += (t2)->tv_nsec;					\
	if ((t1)->tv_nsec >= (long)NSEC_PER_SEC) {			\
		(t1)->tv_nsec -= (long)NSEC_PER_SEC;			\
		(t1)->tv_sec += 1;					\
	}								\
	(t1)->tv_sec += (t2)->tv_sec;					\
} while (0)

/* *t1 -= *t2 */
#define SUB_MACH_TIMESPEC(t1, t2) do {					\
	(t1)->tv_nsec -= (t2)->tv_nsec;					\
	if ((t1)->tv_nsec < 0) {					\
		(t1)->tv_nsec += (long)NSEC_PER_SEC;			\
		(t1)->tv_sec -= 1;					\
	}								\
	(t1)->tv_sec -= (t2)->tv_sec;					\
} while (0)

/* Alarm types. */
#define ALRMTYPE		0xff
#define TIME_ABSOLUTE		0x00
#define TIME_RELATIVE		0x01
#define BAD_ALRMTYPE(t)		(((t) & ~TIME_RELATIVE) != 0)

#endif /* _MACH_CLOCK_TYPES_H_ */
