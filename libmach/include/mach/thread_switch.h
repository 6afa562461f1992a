/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/thread_switch.h>: thread_switch() options, XNU's values. */
#ifndef _MACH_THREAD_SWITCH_H_
#define _MACH_THREAD_SWITCH_H_

#include <mach/mach_types.h>
#include <mach/kern_return.h>
#include <mach/message.h>

#define SWITCH_OPTION_NONE		0
#define SWITCH_OPTION_DEPRESS		1
#define SWITCH_OPTION_WAIT		2
#define SWITCH_OPTION_OSLOCK_DEPRESS	3
#define SWITCH_OPTION_OSLOCK_WAIT	4
#define SWITCH_OPTION_DISPATCH_CONTENTION 5

#define valid_switch_option(opt)	(0 <= (opt) && (opt) <= 5)

#endif /* _MACH_THREAD_SWITCH_H_ */
