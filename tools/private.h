/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machd -s: a private name server for one command.  Several "hosts" can
 * share one kernel (the multi-host tests run one per network namespace):
 * each private machd serves only the processes its command starts, which
 * inherit its port as their bootstrap port, and leaves the host default
 * alone.  machd exits when the command does, with its status.
 */
#ifndef MACHD_PRIVATE_H
#define MACHD_PRIVATE_H

#include <stdbool.h>
#include <mach/mach.h>

/* msgh_id of the message that wakes the request loop when the command ends. */
#define PRIVATE_WAKE_ID		0x6d616364	/* "macd" */

/*
 * Start argv[0] with our bootstrap port (already set to 'port') and a thread
 * that waits for it; when it ends, *stop is set and the loop is woken by a
 * message to port.  false (logged) if it could not start.
 */
bool private_spawn(char *const argv[], mach_port_t port, volatile int *stop);

/* The command's exit status (128 + signal when killed); -1 while it runs. */
int private_status(void);

/* Pass a termination signal on to the command. */
void private_forward(int sig);

#endif /* MACHD_PRIVATE_H */
