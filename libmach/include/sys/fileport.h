/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <sys/fileport.h>: open files carried in Mach messages, as on macOS.
 *
 * fileport_makeport() makes a send right (a fileport) that holds a
 * reference to the open file description of fd; send it like any send
 * right.  fileport_makefd() gives a new descriptor, close-on-exec, for the
 * file a fileport holds, as dup() would.  The file is released when the
 * last send right to the fileport is deallocated or destroyed anywhere.
 *
 * Both return -1 with errno on failure: EBADF (fd is not open), EINVAL (fd
 * cannot be sent: an open /dev/mach; or port is no fileport), EMFILE or
 * ENFILE (no descriptor free), EAGAIN or ENOMEM (no memory), EFAULT.
 */
#ifndef _SYS_FILEPORT_H_
#define _SYS_FILEPORT_H_

#include <sys/cdefs.h>
#include <mach/port.h>

__BEGIN_DECLS

typedef mach_port_t fileport_t;
#define FILEPORT_NULL	((fileport_t)MACH_PORT_NULL)

int fileport_makeport(int fd, fileport_t *port);
int fileport_makefd(fileport_t port);

__END_DECLS

#endif /* _SYS_FILEPORT_H_ */
