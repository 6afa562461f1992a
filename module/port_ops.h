/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MACH_PORT_OPS_H
#define _MACH_PORT_OPS_H

#include <linux/compiler_types.h>

struct mach_space;

long mach_port_ioctl(struct mach_space *space, unsigned int cmd,
		     void __user *uarg);

#endif /* _MACH_PORT_OPS_H */
