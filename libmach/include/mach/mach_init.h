/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_init.h>: the caller's own task port and page-size globals.
 *
 * mach_task_self() is a macro over the global mach_task_self_ as on macOS,
 * so it costs a load.  Here the global is filled on first use (opening
 * /dev/mach), so the macro falls back to a function while it is still
 * MACH_PORT_NULL; after fork() the child's copy is reset and refilled with
 * the child's own name the same way.
 */
#ifndef _MACH_INIT_H_
#define _MACH_INIT_H_

#include <pthread.h>
#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/vm_page_size.h>

__BEGIN_DECLS

extern mach_port_t mach_task_self_;

/* Opens /dev/mach if needed and returns the task name (MACH_PORT_NULL without a device). */
extern mach_port_t _mach_task_self_slow(void);

/*
 * A send right to the host port (a port libmach keeps for the process) and
 * to the calling thread's port (one per thread, turned into a dead name
 * when the thread exits).  Each call adds a user reference, as on macOS,
 * so the caller may mach_port_deallocate() what it got.
 */
extern mach_port_t mach_host_self(void);
extern mach_port_t mach_thread_self(void);

/*
 * From macOS's <pthread.h>: a thread's port name, without adding a
 * reference.  Here another thread's name is known only once that thread
 * has made its port (mach_thread_self() or this call on itself); until
 * then MACH_PORT_NULL.
 */
extern mach_port_t pthread_mach_thread_np(pthread_t thread);

/* The VM page size: sysconf(_SC_PAGESIZE). */
extern kern_return_t host_page_size(host_t host, vm_size_t *page_size);

/* Does task name our own task (mach_task_self() or another name for it)? */
extern boolean_t mach_task_is_self(task_name_t task);

/* The bootstrap server's port, set at startup (<servers/bootstrap.h>). */
extern mach_port_t bootstrap_port;

__END_DECLS

#define mach_task_self() \
	(mach_task_self_ != MACH_PORT_NULL ? mach_task_self_ : _mach_task_self_slow())
#define current_task()	mach_task_self()

#include <mach/mach_traps.h>

#endif /* _MACH_INIT_H_ */
