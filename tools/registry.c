// SPDX-License-Identifier: GPL-2.0
/*
 * machd's table of service names: a short list, searched linearly.  A name
 * server answers a few requests per process start, and REGISTRY_MAX bounds
 * the walk, so a hash table would buy nothing measurable.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "deadwatch.h"
#include "log.h"
#include "registry.h"

static pthread_mutex_t registry_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct service *services;
static unsigned int nservices;

static const char *const state_names[] = {
	[SERVICE_ON_DEMAND] = "on-demand",
	[SERVICE_ACTIVE] = "active",
	[SERVICE_REGISTERED] = "registered",
};

void registry_lock(void)
{
	pthread_mutex_lock(&registry_mutex);
}

void registry_unlock(void)
{
	pthread_mutex_unlock(&registry_mutex);
}

/* True once the port behind our send right has lost its receiver. */
static bool service_dead(const struct service *s)
{
	mach_port_type_t type = 0;

	if (mach_port_type(mach_task_self(), s->port, &type) != KERN_SUCCESS)
		return true;
	return (type & MACH_PORT_TYPE_DEAD_NAME) != 0;
}

/* Unlink *link and release what machd held for it. */
static void service_remove(struct service **link, const char *why)
{
	struct service *s = *link;

	*link = s->next;
	nservices--;
	logmsg(LOG_INFO, "dropped %s (%s, pid %d): %s", s->name,
	       state_names[s->state], (int)s->pid, why);
	if (s->state == SERVICE_ON_DEMAND)
		(void)mach_port_mod_refs(mach_task_self(), s->port,
					 MACH_PORT_RIGHT_RECEIVE, -1);
	/* A send right, or the dead name it turned into: one reference each way. */
	(void)mach_port_deallocate(mach_task_self(), s->port);
	free(s);
}

struct service *registry_find(const char *name)
{
	struct service **link;

	for (link = &services; *link; link = &(*link)->next) {
		if (strcmp((*link)->name, name) != 0)
			continue;
		if ((*link)->state != SERVICE_ON_DEMAND && service_dead(*link)) {
			service_remove(link, "its port died");
			return NULL;
		}
		return *link;
	}
	return NULL;
}

struct service *registry_add(const char *name, mach_port_t port,
			     enum service_state state, pid_t pid)
{
	struct service *s;

	if (nservices >= REGISTRY_MAX) {
		logmsg(LOG_WARNING, "table full (%d names); refused %s",
		       REGISTRY_MAX, name);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	strncpy(s->name, name, sizeof(s->name) - 1);
	s->port = port;
	s->state = state;
	s->pid = pid;
	s->next = services;
	services = s;
	nservices++;
	logmsg(LOG_DEBUG, "added %s (%s, pid %d, port 0x%x)", name,
	       state_names[state], (int)pid, port);
	return s;
}

struct service *registry_add_on_demand(const char *name, pid_t pid)
{
	mach_port_t port = MACH_PORT_NULL;
	struct service *s;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) !=
	    KERN_SUCCESS)
		return NULL;
	if (mach_port_insert_right(mach_task_self(), port, port,
				   MACH_MSG_TYPE_MAKE_SEND) != KERN_SUCCESS) {
		(void)mach_port_mod_refs(mach_task_self(), port,
					 MACH_PORT_RIGHT_RECEIVE, -1);
		return NULL;
	}
	s = registry_add(name, port, SERVICE_ON_DEMAND, pid);
	if (s == NULL) {
		(void)mach_port_mod_refs(mach_task_self(), port,
					 MACH_PORT_RIGHT_RECEIVE, -1);
		(void)mach_port_deallocate(mach_task_self(), port);
	}
	return s;
}

void registry_drop_port(mach_port_t port)
{
	struct service **link = &services;

	while (*link) {
		if ((*link)->port == port && (*link)->state != SERVICE_ON_DEMAND)
			service_remove(link, "dead-name notification");
		else
			link = &(*link)->next;
	}
}

/*
 * Checked-in services are armed here, after the reply that moved their
 * receive right out was sent: until then machd held the receive right
 * itself, and a dead-name request on our own port means nothing.
 */
void registry_arm_pending(void)
{
	struct service **link = &services;

	while (*link) {
		struct service *s = *link;

		if (s->state == SERVICE_ON_DEMAND || s->armed) {
			link = &s->next;
			continue;
		}
		if (service_dead(s)) {
			/* e.g. the check-in reply could not be delivered */
			service_remove(link, "its port died");
			continue;
		}
		s->armed = true;
		(void)deadwatch_arm(s->port);
		link = &s->next;
	}
}

void registry_clear(void)
{
	while (services)
		service_remove(&services, "cleared");
}
