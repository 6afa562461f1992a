// SPDX-License-Identifier: GPL-2.0
/* Counted dead-name requests: see watch.h. */
#include "hmap.h"
#include "log.h"
#include "watch.h"

mach_port_t notify_port = MACH_PORT_NULL;

static struct hmap interest;	/* name -> count */

bool watch_add(mach_port_t name)
{
	uint64_t n = 0;
	mach_port_t prev = MACH_PORT_NULL;
	kern_return_t kr;

	if (!MACH_PORT_VALID(name))
		return true;
	if (hmap_get(&interest, name, &n))
		return hmap_put(&interest, name, n + 1);
	kr = mach_port_request_notification(mach_task_self(), name, MACH_NOTIFY_DEAD_NAME,
					    0, notify_port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					    &prev);
	if (kr != KERN_SUCCESS) {
		/* Already dead: the caller learns it from the next use. */
		logmsg(LOG_DEBUG, "dead-name request for 0x%x: %s", name,
		       mach_error_string(kr));
		return false;
	}
	if (MACH_PORT_VALID(prev))
		(void)mach_port_deallocate(mach_task_self(), prev);
	if (!hmap_put(&interest, name, 1)) {
		watch_drop(name);
		return false;
	}
	return true;
}

void watch_drop(mach_port_t name)
{
	uint64_t n = 0;
	mach_port_t prev = MACH_PORT_NULL;

	if (!MACH_PORT_VALID(name) || !hmap_get(&interest, name, &n))
		return;
	if (n > 1) {
		(void)hmap_put(&interest, name, n - 1);
		return;
	}
	hmap_del(&interest, name);
	/*
	 * Cancel; the old send-once right comes back and is destroyed, which
	 * sends a send-once notification to notify_port (ignored there).
	 */
	if (mach_port_request_notification(mach_task_self(), name, MACH_NOTIFY_DEAD_NAME,
					   0, MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					   &prev) == KERN_SUCCESS && MACH_PORT_VALID(prev))
		(void)mach_port_deallocate(mach_task_self(), prev);
}

bool watch_forget(mach_port_t name)
{
	return hmap_del(&interest, name);
}

bool watch_has(mach_port_t name)
{
	return hmap_get(&interest, name, NULL);
}
