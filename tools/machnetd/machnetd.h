/* SPDX-License-Identifier: GPL-2.0 */
/* State every part of machnetd shares: the configuration and the ports. */
#ifndef MACHNETD_H
#define MACHNETD_H

#include <mach/mach.h>

#include "config.h"

#define MACHNETD_VERSION	"machnetd 1.0 (Mach IPC for Linux)"

extern struct config cfg;
/* The netname service port (registered with bootstrap) and the set of all ports. */
extern mach_port_t service_port;
extern mach_port_t port_set;

#endif /* MACHNETD_H */
