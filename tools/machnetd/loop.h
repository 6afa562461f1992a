/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machnetd's single-threaded event loop: epoll over the port set (through
 * mach_port_fd, edge-triggered, drained with a zero timeout), the peer
 * sockets, timers and a signalfd for SIGTERM/SIGINT.
 */
#ifndef MACHNETD_LOOP_H
#define MACHNETD_LOOP_H

#include <stdint.h>

/* What an epoll event belongs to: the loop calls fn(arg, events). */
struct loop_source {
	void	(*fn)(void *arg, uint32_t events);
	void	*arg;
};

int loop_init(void);
/* Returns the exit code once a signal asked machnetd to stop. */
int loop_run(void);

/* Register / change / remove a descriptor; events as for epoll_ctl. */
int loop_add_fd(int fd, uint32_t events, struct loop_source *src);
int loop_mod_fd(int fd, uint32_t events, struct loop_source *src);
void loop_del_fd(int fd);

/* Monotonic milliseconds. */
uint64_t loop_now_ms(void);

#endif /* MACHNETD_LOOP_H */
