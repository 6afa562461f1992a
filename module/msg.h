/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MACH_MSG_H
#define _MACH_MSG_H

struct mach_space;
struct mach_ioc_msg;

extern unsigned int mach_max_inline;

int mach_msg_ioctl(struct mach_space *space, const struct mach_ioc_msg *a);

#endif /* _MACH_MSG_H */
