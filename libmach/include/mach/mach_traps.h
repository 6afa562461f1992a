/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_traps.h>: what macOS implements as Mach traps.  Here they are
 * /dev/mach ioctls behind ordinary functions.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <sys/cdefs.h>
#include <mach/std_types.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

/* A fresh receive right in the caller's space, or MACH_PORT_NULL. */
extern mach_port_name_t mach_reply_port(void);

/* The caller's name for its own task port (uncached form of mach_task_self()). */
extern mach_port_name_t task_self_trap(void);

/* A send right to the task port of process pid, if the caller may have it. */
extern kern_return_t task_for_pid(mach_port_name_t target_tport, int pid,
				  mach_port_name_t *t);

/* The pid of the process whose task port t names. */
extern kern_return_t pid_for_task(mach_port_name_t t, int *x);

/* Yield the processor (sched_yield); the return says whether others may run. */
extern boolean_t swtch_pri(int pri);
extern boolean_t swtch(void);
/*
 * Yield, optionally "depressing" for option_time milliseconds: here a
 * sched_yield() for SWITCH_OPTION_NONE, and a sleep of option_time ms for
 * SWITCH_OPTION_DEPRESS/WAIT.  thread_name hints are ignored.
 */
extern kern_return_t thread_switch(mach_port_name_t thread_name, int option,
				   mach_msg_timeout_t option_time);

/*
 * mach_msg() without the library's restart: an interrupted send or receive
 * returns MACH_SEND_INTERRUPTED / MACH_RCV_INTERRUPTED whatever the
 * options.  The overwrite form's priority (once the notify port) is ignored
 * unless MACH_SEND_NOTIFY is set, as mach_msg_overwrite()'s notify is.
 */
extern mach_msg_return_t mach_msg_trap(mach_msg_header_t *msg,
				       mach_msg_option_t option,
				       mach_msg_size_t send_size,
				       mach_msg_size_t rcv_size,
				       mach_port_name_t rcv_name,
				       mach_msg_timeout_t timeout,
				       mach_port_name_t notify);
extern mach_msg_return_t mach_msg_overwrite_trap(mach_msg_header_t *msg,
						 mach_msg_option_t option,
						 mach_msg_size_t send_size,
						 mach_msg_size_t rcv_size,
						 mach_port_name_t rcv_name,
						 mach_msg_timeout_t timeout,
						 mach_msg_priority_t priority,
						 mach_msg_header_t *rcv_msg,
						 mach_msg_size_t rcv_limit);

/* The semaphore calls are traps on macOS too. */
extern kern_return_t semaphore_signal_trap(mach_port_name_t signal_name);
extern kern_return_t semaphore_signal_all_trap(mach_port_name_t signal_name);
extern kern_return_t semaphore_wait_trap(mach_port_name_t wait_name);
extern kern_return_t semaphore_wait_signal_trap(mach_port_name_t wait_name,
						mach_port_name_t signal_name);
extern kern_return_t semaphore_timedwait_trap(mach_port_name_t wait_name,
					      unsigned int sec, clock_res_t nsec);
extern kern_return_t semaphore_timedwait_signal_trap(mach_port_name_t wait_name,
						     mach_port_name_t signal_name,
						     unsigned int sec,
						     clock_res_t nsec);

/* clock_sleep() without the mach_timespec_t; see <mach/clock.h>. */
extern kern_return_t clock_sleep_trap(mach_port_name_t clock_name,
				      sleep_type_t sleep_type, int sleep_sec,
				      int sleep_nsec, mach_timespec_t *wakeup_time);

/* Names for the calling thread's and the host's ports (fresh urefs each call). */
extern mach_port_name_t thread_self_trap(void);
extern mach_port_name_t host_self_trap(void);

__END_DECLS

#endif /* _MACH_MACH_TRAPS_H_ */
