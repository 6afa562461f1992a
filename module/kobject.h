/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's answer to a message sent to a kernel-object port.
 */
#ifndef _MACH_KOBJECT_H
#define _MACH_KOBJECT_H

struct mach_kmsg;

/* Consume a message a task port received (copied in, dest set). */
void mach_kobject_server(struct mach_kmsg *req);

#endif /* _MACH_KOBJECT_H */
