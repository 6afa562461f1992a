/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/linux.h>: Linux extensions to the Mach API.
 *
 * mach_port_fd() gives a file descriptor that Linux event loops can wait
 * on (poll, select, epoll, io_uring) for a receive right or a port set of
 * a task's space.  It is what kqueue's EVFILT_MACHPORT and dispatch's
 * DISPATCH_SOURCE_TYPE_MACH_RECV give on macOS:
 *
 *   readable (POLLIN/EPOLLIN)  a message is queued on the port (for a set:
 *                              on any member); mach_msg() receives it
 *   hung up (POLLHUP/EPOLLHUP) the task no longer holds the right: it was
 *                              destroyed, or its receive right moved to
 *                              another task or into a message
 *
 * Level- and edge-triggered epoll and EPOLLEXCLUSIVE work as for any file;
 * with edge triggering each arriving message is one edge.  The descriptor
 * never receives by itself and keeps neither the right nor the task
 * alive.  It is inherited across fork() as any descriptor is, and still
 * watches the parent's right; close() it when done.
 *
 * flags: O_CLOEXEC and O_NONBLOCK (from <fcntl.h>).  Returns KERN_SUCCESS
 * with *fd set; KERN_INVALID_NAME, KERN_INVALID_RIGHT (not a receive right
 * or port set), MACH_SEND_INVALID_DEST (task), KERN_INVALID_ARGUMENT (flags)
 * or KERN_RESOURCE_SHORTAGE (no descriptor to be had: errno says why).
 */
#ifndef _MACH_LINUX_H_
#define _MACH_LINUX_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

kern_return_t mach_port_fd(ipc_space_t task, mach_port_name_t name, int flags,
			   int *fd);

__END_DECLS

#endif /* _MACH_LINUX_H_ */
