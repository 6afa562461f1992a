/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/clock.h>: reading a clock service port from host_get_clock_service().
 * SYSTEM_CLOCK reads CLOCK_MONOTONIC (time since boot on macOS),
 * CALENDAR_CLOCK reads CLOCK_REALTIME.  Alarms are not provided.
 */
#ifndef _MACH_CLOCK_H_
#define _MACH_CLOCK_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/clock_types.h>

__BEGIN_DECLS

extern kern_return_t clock_get_time(clock_serv_t clock_serv,
				    mach_timespec_t *cur_time);
/* CLOCK_GET_TIME_RES and CLOCK_ALARM_*RES: one clock_res_t, in nanoseconds. */
extern kern_return_t clock_get_attributes(clock_serv_t clock_serv,
					  clock_flavor_t flavor,
					  clock_attr_t clock_attr,
					  mach_msg_type_number_t *clock_attrCnt);

/*
 * Sleep on the system clock (clock_name MACH_PORT_NULL, or the service
 * host_get_clock_service(SYSTEM_CLOCK) gave) until sleep_time
 * (TIME_ABSOLUTE) or for it (TIME_RELATIVE); *wakeup_time gets the time
 * of waking.  KERN_ABORTED when a signal ends the sleep.
 */
extern kern_return_t clock_sleep(mach_port_t clock_name, int sleep_type,
				 mach_timespec_t sleep_time,
				 mach_timespec_t *wakeup_time);

__END_DECLS

#endif /* _MACH_CLOCK_H_ */
