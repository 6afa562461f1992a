/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-object ports: the kernel's answer to a message sent to one, and
 * the end of those that belong to their send rights.
 */
#ifndef _MACH_KOBJECT_H
#define _MACH_KOBJECT_H

struct mach_kmsg;
struct mach_port;

/* Consume a message a kernel-object port received (copied in, dest set). */
void mach_kobject_server(struct mach_kmsg *req);
/* A fileport's or memory entry's last send right went. */
void mach_kobject_no_senders(struct mach_port *port);

#endif /* _MACH_KOBJECT_H */
