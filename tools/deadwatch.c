// SPDX-License-Identifier: GPL-2.0
/*
 * Dead-name notifications for machd.  The notify port is private (only the
 * kernel holds send-once rights to it, made by our own requests), so its
 * messages cannot be forged by clients, unlike anything arriving on the
 * public service port.  A thread of its own serves it because port sets
 * may be missing from the kernel; the registry lock orders it against the
 * request loop.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "deadwatch.h"
#include "log.h"
#include "registry.h"

static mach_port_t notify_port = MACH_PORT_NULL;
static bool arm_failure_logged;

kern_return_t deadwatch_arm(mach_port_t port)
{
	mach_port_t previous = MACH_PORT_NULL;
	kern_return_t kr;

	if (notify_port == MACH_PORT_NULL)
		return KERN_FAILURE;
	kr = mach_port_request_notification(mach_task_self(), port,
					    MACH_NOTIFY_DEAD_NAME, 0, notify_port,
					    MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	if (kr == KERN_SUCCESS) {
		if (MACH_PORT_VALID(previous))
			(void)mach_port_deallocate(mach_task_self(), previous);
		return kr;
	}
	if (!arm_failure_logged) {
		arm_failure_logged = true;
		logmsg(LOG_WARNING,
		       "dead-name notifications unavailable (%s, 0x%x); a dead service's name is dropped when next asked for",
		       mach_error_string(kr), kr);
	} else {
		logmsg(LOG_DEBUG, "dead-name request on 0x%x: %s", port,
		       mach_error_string(kr));
	}
	return kr;
}

/* The notification carries its own reference on the dead name: release it. */
static void dead_name(mach_port_t name)
{
	mach_port_type_t type = 0;

	registry_lock();
	if (mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
	    (type & MACH_PORT_TYPE_DEAD_NAME)) {
		registry_drop_port(name);
		(void)mach_port_deallocate(mach_task_self(), name);
	}
	registry_unlock();
}

static void *deadwatch_thread(void *arg)
{
	union {
		mach_dead_name_notification_t	dead;
		mach_msg_header_t		head;
		char				room[1024];
	} m;

	(void)arg;
	for (;;) {
		mach_msg_return_t mr;

		mr = mach_msg(&m.head, MACH_RCV_MSG, 0, sizeof(m), notify_port,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr == MACH_RCV_INTERRUPTED)
			continue;
		if (mr != MACH_MSG_SUCCESS) {
			logmsg(LOG_ERR, "notify port: %s; dead services are no longer watched",
			       mach_error_string(mr));
			return NULL;
		}
		if (m.head.msgh_id == MACH_NOTIFY_DEAD_NAME &&
		    m.head.msgh_size >= sizeof(m.dead) - sizeof(m.dead.trailer))
			dead_name(m.dead.not_port);
		else
			mach_msg_destroy(&m.head);	/* e.g. a cancelled request */
	}
}

int deadwatch_start(void)
{
	sigset_t all, old;
	pthread_t thread;
	int err;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
			       &notify_port) != KERN_SUCCESS) {
		logmsg(LOG_ERR, "cannot allocate the notify port");
		return 0;
	}
	/* The thread inherits a full mask: SIGTERM must reach the request loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&thread, NULL, deadwatch_thread, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err != 0) {
		logmsg(LOG_ERR, "cannot start the dead-name thread (error %d)", err);
		return 0;
	}
	pthread_detach(thread);
	return 1;
}
