/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive rights and port sets as pollable files (port_fd.c).
 */
#ifndef _MACH_PORT_FD_H
#define _MACH_PORT_FD_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct file;
struct mach_space;

long mach_port_fd_ioctl(struct mach_space *caller, void __user *uarg);

#endif /* _MACH_PORT_FD_H */
