/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "mach" generic netlink family (uapi/linux/mach_netlink.h): a
 * read-only view of the IPC spaces and the module's counters.
 */
#ifndef _MACH_NETLINK_H
#define _MACH_NETLINK_H

int mach_netlink_init(void);
void mach_netlink_exit(void);

#endif /* _MACH_NETLINK_H */
