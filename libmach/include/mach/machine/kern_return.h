/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/machine/kern_return.h>: kern_return_t, as mig's -split headers include it. */
#ifndef _MACH_MACHINE_KERN_RETURN_H_
#define _MACH_MACHINE_KERN_RETURN_H_

#include <mach/kern_return.h>

#endif /* _MACH_MACHINE_KERN_RETURN_H_ */
