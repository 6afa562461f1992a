/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dead-name watching of send rights machnetd holds.  Several tables may be
 * interested in one name (the kernel gives a port one name per space, and
 * allows one dead-name request per name), so interest is counted here:
 * the first watch_add requests the notification, the last watch_drop
 * cancels it.  A MACH_NOTIFY_DEAD_NAME arrives on notify_port.
 */
#ifndef MACHNETD_WATCH_H
#define MACHNETD_WATCH_H

#include <stdbool.h>
#include <mach/mach.h>

/* The port every notification machnetd asks for arrives on. */
extern mach_port_t notify_port;

bool watch_add(mach_port_t name);
void watch_drop(mach_port_t name);
/* The notification came: forget the name (no cancel needed any more). */
bool watch_forget(mach_port_t name);
bool watch_has(mach_port_t name);

#endif /* MACHNETD_WATCH_H */
