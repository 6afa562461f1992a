/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Private to libmach: the /dev/mach descriptor and helpers shared by the
 * routines that wrap its ioctls.  Never installed.
 */
#ifndef LIBMACH_INTERNAL_H
#define LIBMACH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mach/mach.h>

/* The library builds with -fvisibility=hidden; this marks the public API. */
#define MACH_EXPORT __attribute__((visibility("default")))

/*
 * Run one /dev/mach ioctl.  Returns the ioctl result (a kern_return_t or
 * mach_msg_return_t, >= 0) or -1 with errno set when the call itself failed,
 * including when the device cannot be opened.  EINTR is retried only when
 * retry_eintr is set: mach_msg reports interruption in Mach codes instead.
 */
int _mach_ioctl(unsigned long request, void *arg, int retry_eintr);

/* Map an errno from a failed port/task ioctl to the kern_return_t macOS would give. */
kern_return_t _mach_errno_to_kr(int err);

/* Shorthand: run a port/task ioctl and return a kern_return_t either way. */
kern_return_t _mach_port_call(unsigned long request, void *arg);

/*
 * Run in the child after fork, once the device state is reset: bootstrap
 * support sets it to read the child's bootstrap port at once.
 */
extern void (*_mach_fork_child_hook)(void);

/* Forget the calling thread's cached MIG reply port (after fork). */
void _mach_reply_port_forget(void);
kern_return_t _mach_task_check(mach_port_t task);
mach_msg_return_t _mach_port_copyin_probe(mach_port_name_t name,
					  mach_msg_type_name_t disposition);

/* Page-granular anonymous memory used for arrays handed to the caller. */
void *_mach_pages_alloc(size_t size);
void _mach_pages_free(void *addr, size_t size);
/* Unmap the part of an allocation of 'had' bytes beyond 'keep' bytes. */
void _mach_pages_trim(void *addr, size_t had, size_t keep);

/* kobject.c: KERN_SUCCESS if host is our host port, else what MIG answers. */
kern_return_t _mach_host_check(mach_port_t host);

/* kobject.c: is name a port libmach keeps for a kernel object (host, clock, thread)? */
bool _mach_kobject_name(mach_port_t name);

/* vm_ops.c: forget maximum protections lowered in [start, end). */
void _mach_vm_max_forget(uint64_t start, uint64_t end);
/* vm_ops.c: [start, end) may be given at most max (0 when out of memory). */
int _mach_vm_max_record(uint64_t start, uint64_t end, vm_prot_t max);
/* vm.c: KERN_SUCCESS for our own task, else what a vm call must answer. */
kern_return_t _mach_vm_check_self(vm_map_t target);

#endif /* LIBMACH_INTERNAL_H */
