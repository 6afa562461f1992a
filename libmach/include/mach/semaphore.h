/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/semaphore.h>: Mach counting semaphores.
 *
 * A semaphore_t is a port name in the caller's space, as on macOS, but the
 * semaphore behind it lives in libmach: it works for every thread of the
 * creating process, not across processes (a forked child starts without
 * the parent's semaphores, as its Mach space starts without its rights).
 * Codes follow XNU's traps: KERN_INVALID_NAME for MACH_PORT_NULL or a name
 * the space does not hold, KERN_INVALID_RIGHT for a name without a send
 * right, KERN_INVALID_CAPABILITY for a port that is not a semaphore,
 * KERN_TERMINATED once destroyed, KERN_OPERATION_TIMED_OUT on timeout,
 * KERN_INVALID_VALUE for a malformed mach_timespec_t.
 */
#ifndef _MACH_SEMAPHORE_H_
#define _MACH_SEMAPHORE_H_

#include <sys/cdefs.h>
#include <mach/port.h>
#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/sync_policy.h>
#include <mach/clock_types.h>

__BEGIN_DECLS

/* Also in <mach/task.h>: policy is SYNC_POLICY_*, value >= 0. */
extern kern_return_t semaphore_create(task_t task, semaphore_t *semaphore,
				      int policy, int value);
/* Wakes every waiter with KERN_TERMINATED and consumes the caller's send right. */
extern kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore);

extern kern_return_t semaphore_signal(semaphore_t semaphore);
extern kern_return_t semaphore_signal_all(semaphore_t semaphore);
extern kern_return_t semaphore_wait(semaphore_t semaphore);
/* wait_time is relative; {0, 0} polls. */
extern kern_return_t semaphore_timedwait(semaphore_t semaphore,
					 mach_timespec_t wait_time);
extern kern_return_t semaphore_timedwait_signal(semaphore_t wait_semaphore,
						semaphore_t signal_semaphore,
						mach_timespec_t wait_time);
extern kern_return_t semaphore_wait_signal(semaphore_t wait_semaphore,
					   semaphore_t signal_semaphore);
/* Wake one waiter (thread must be THREAD_NULL here); KERN_NOT_WAITING if none. */
extern kern_return_t semaphore_signal_thread(semaphore_t semaphore,
					     thread_t thread);

__END_DECLS

#define SEMAPHORE_OPTION_NONE		0x00000000
#define SEMAPHORE_SIGNAL		0x00000001
#define SEMAPHORE_WAIT			0x00000002
#define SEMAPHORE_WAIT_ON_SIGNAL	0x00000008
#define SEMAPHORE_SIGNAL_TIMEOUT	0x00000010
#define SEMAPHORE_SIGNAL_ALL		0x00000020
#define SEMAPHORE_SIGNAL_INTERRUPT	0x00000040
#define SEMAPHORE_SIGNAL_PREPOST	0x00000080
#define SEMAPHORE_WAIT_TIMEOUT		0x00000100
#define SEMAPHORE_WAIT_INTERRUPT	0x00000400
#define SEMAPHORE_TIMEOUT_NOBLOCK	0x00100000
#define SEMAPHORE_TIMEOUT_RELATIVE	0x00200000
#define SEMAPHORE_USE_SAVED_RESULT	0x01000000
#define SEMAPHORE_SIGNAL_RELEASE	0x02000000

#endif /* _MACH_SEMAPHORE_H_ */
