/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machd's table of service names.  The request loop and the dead-name
 * thread both change it, so every call below needs registry_lock() held.
 */
#ifndef MACHD_REGISTRY_H
#define MACHD_REGISTRY_H

#include <stdbool.h>
#include <sys/types.h>
#include <bootstrap.h>

/* Bounds machd's memory whatever clients do. */
#define REGISTRY_MAX	4096

enum service_state {
	SERVICE_ON_DEMAND,	/* machd holds the receive right until check-in */
	SERVICE_ACTIVE,		/* checked in: a process holds the receive right */
	SERVICE_REGISTERED,	/* bootstrap_register: a send right only */
};

struct service {
	struct service		*next;
	name_t			name;
	mach_port_t		port;	/* machd's send right (and receive while on demand) */
	enum service_state	state;
	bool			armed;	/* dead-name request tried */
	pid_t			pid;	/* who checked in or registered, for the log */
};

void registry_lock(void);
void registry_unlock(void);

/*
 * The live service called name, or NULL.  A service whose port has died is
 * dropped on the way: dead-name notifications may be late or unavailable,
 * and a look-up must never hand out a dead name.
 */
struct service *registry_find(const char *name);

/* New entry owning one send-right reference on port; NULL when full. */
struct service *registry_add(const char *name, mach_port_t port,
			     enum service_state state, pid_t pid);

/* A new on-demand service: machd makes the port and keeps both rights. */
struct service *registry_add_on_demand(const char *name, pid_t pid);

/* Drop every service whose port is 'port' (its dead-name notification came). */
void registry_drop_port(mach_port_t port);

/* Arm dead-name requests on services that got a new owner since last time. */
void registry_arm_pending(void);

/* Drop every service and what machd holds for it (fuzz/machd_fuzz.c). */
void registry_clear(void);

#endif /* MACHD_REGISTRY_H */
