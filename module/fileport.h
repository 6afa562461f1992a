/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fileports (fileport.c).
 */
#ifndef _MACH_FILEPORT_H
#define _MACH_FILEPORT_H

#include <linux/compiler_types.h>

struct mach_space;

/* MACH_IOC_FILEPORT_MAKEPORT and _MAKEFD: 0 or a negative errno. */
long mach_fileport_ioctl(struct mach_space *space, unsigned int cmd,
			 void __user *uarg);

#endif /* _MACH_FILEPORT_H */
