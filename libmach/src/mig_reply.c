/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The per-thread reply port MIG client stubs use.  One receive right per
 * thread, made on first use and kept: replies to a thread's RPCs cannot be
 * confused with another thread's.  After fork() the child's space does not
 * hold it, so device.c calls _mach_reply_port_forget() in the child.
 */
#include "internal.h"

static __thread mach_port_t reply_port = MACH_PORT_NULL;

void _mach_reply_port_forget(void)
{
	reply_port = MACH_PORT_NULL;
}

MACH_EXPORT mach_port_t mig_get_reply_port(void)
{
	if (reply_port == MACH_PORT_NULL)
		reply_port = mach_reply_port();
	return reply_port;
}

/*
 * A stub calls this when an RPC failed in a way that may leave a stray
 * reply queued or owed; drop the port so the next RPC starts clean.  As
 * on macOS, a name the caller passed that is not the cached port loses a
 * reference too, and with no cached port nothing happens.
 */
MACH_EXPORT void mig_dealloc_reply_port(mach_port_t migport)
{
	mach_port_t port = reply_port;

	if (port == MACH_PORT_NULL)
		return;
	reply_port = MACH_PORT_NULL;
	(void)mach_port_mod_refs(mach_task_self(), port,
				 MACH_PORT_RIGHT_RECEIVE, -1);
	if (migport != port)
		(void)mach_port_deallocate(mach_task_self(), migport);
}

/* The RPC finished cleanly; the port stays cached for the next one. */
MACH_EXPORT void mig_put_reply_port(mach_port_t reply)
{
	(void)reply;
}
