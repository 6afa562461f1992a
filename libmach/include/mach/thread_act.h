/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/thread_act.h>: the thread routines libmach implements. */
#ifndef _MACH_THREAD_ACT_H_
#define _MACH_THREAD_ACT_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/thread_info.h>

__BEGIN_DECLS

/*
 * THREAD_BASIC_INFO, THREAD_IDENTIFIER_INFO or THREAD_EXTENDED_INFO of a
 * thread of ours, named by the port mach_thread_self() (or
 * pthread_mach_thread_np()) gave.  Times, state and priorities come from
 * /proc; cpu_usage is the thread's share of one CPU since it started (Linux
 * keeps no decaying average), and thread_id is the Linux thread id.  A
 * count too small for the flavor is KERN_INVALID_ARGUMENT, an unknown
 * flavor KERN_INVALID_POLICY, a port that is no thread's
 * KERN_INVALID_ARGUMENT (MACH_SEND_INVALID_DEST for a name without a send
 * right), a thread that has exited KERN_INVALID_ARGUMENT... as on macOS.
 */
kern_return_t thread_info(thread_inspect_t target_act, thread_flavor_t flavor,
			  thread_info_t thread_info_out,
			  mach_msg_type_number_t *thread_info_outCnt);

__END_DECLS

#endif /* _MACH_THREAD_ACT_H_ */
