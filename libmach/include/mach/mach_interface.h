/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/mach_interface.h>: the kernel-object interfaces libmach provides. */
#ifndef _MACH_INTERFACE_H_
#define _MACH_INTERFACE_H_

#include <mach/clock.h>
#include <mach/semaphore.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include <mach/vm_map.h>

#endif /* _MACH_INTERFACE_H_ */
