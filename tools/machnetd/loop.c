// SPDX-License-Identifier: GPL-2.0
/* The event loop; Mach messages are dispatched by the port they came on. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <mach/linux.h>
#include <mach/notify.h>

#include "log.h"
#include "loop.h"
#include "machnetd.h"
#include "netname_serve.h"
#include "peer.h"
#include "ports.h"
#include "watch.h"

static int epfd = -1, sigfd = -1, setfd = -1;
static int stop_code = -1;
static struct loop_source set_src, sig_src;

/* The receive buffer grows to the largest message seen (MACH_RCV_LARGE). */
static mach_msg_header_t *rcv_buf;
static mach_msg_size_t rcv_size;

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int loop_add_fd(int fd, uint32_t events, struct loop_source *src)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

int loop_mod_fd(int fd, uint32_t events, struct loop_source *src)
{
	struct epoll_event ev = { .events = events, .data.ptr = src };

	return epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

void loop_del_fd(int fd)
{
	(void)epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
}

/* A netname request: answer as a MIG server loop would. */
static void serve_request(mach_msg_header_t *in)
{
	union {
		mach_msg_header_t	head;
		mig_reply_error_t	err;
		uint8_t			room[NETNAME_SERVE_MAX];
	} out;
	mach_msg_return_t mr;

	memset(&out.head, 0, sizeof(out.head));
	netname_serve(in, &out.head);
	if (!(out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    out.err.RetCode != KERN_SUCCESS) {
		/*
		 * Failed, or deferred (the look-up took the reply right): the
		 * request's other rights are not kept.  The reply has its own
		 * copy of the reply right's name.
		 */
		in->msgh_remote_port = MACH_PORT_NULL;
		mach_msg_destroy(in);
		if (out.err.RetCode == MIG_NO_REPLY)
			return;
	}
	if (!MACH_PORT_VALID(out.head.msgh_remote_port)) {
		mach_msg_destroy(&out.head);
		return;
	}
	/* A send-once reply never blocks; a plain send right must not stall us. */
	mr = mach_msg(&out.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.head.msgh_size, 0,
		      MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		logmsg(LOG_DEBUG, "reply: %s", mach_error_string(mr));
		mach_msg_destroy(&out.head);
	}
}

static void notification(mach_msg_header_t *in)
{
	switch (in->msgh_id) {
	case MACH_NOTIFY_DEAD_NAME: {
		const mach_dead_name_notification_t *n = (const void *)in;
		mach_port_t name = n->not_port;

		if (in->msgh_size < sizeof(*n) - sizeof(n->trailer))
			break;
		watch_forget(name);
		ports_port_died(name);
		netname_port_died(name);
		/* The notification's own dead-name uref. */
		(void)mach_port_deallocate(mach_task_self(), name);
		return;
	}
	case MACH_NOTIFY_SEND_ONCE:	/* a cancelled request's right */
	case MACH_NOTIFY_PORT_DELETED:	/* we dropped a watched right first */
		return;
	default:
		break;
	}
	mach_msg_destroy(in);
}

static void dispatch(mach_msg_header_t *in)
{
	if (in->msgh_local_port == service_port)
		serve_request(in);
	else if (in->msgh_local_port == notify_port)
		notification(in);
	else if (!ports_receive(in))
		mach_msg_destroy(in);
}

/*
 * While a peer's send queue is over its limit the set is not drained (the
 * kernel queues of the proxies hold senders back); set_backlog remembers
 * to drain once it is not.
 */
static bool set_backlog;

/* Drain the set: each arriving message is one edge. */
static void on_set(void *arg, uint32_t events)
{
	(void)arg;
	(void)events;
	for (;;) {
		mach_msg_return_t mr;

		if (peers_tx_full()) {
			set_backlog = true;
			return;
		}
		set_backlog = false;
		mr = mach_msg(rcv_buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE |
			      PORTS_RCV_OPTIONS, 0, rcv_size, port_set, 0, MACH_PORT_NULL);
		if (mr == MACH_RCV_TIMED_OUT)
			return;
		if (mr == MACH_RCV_TOO_LARGE) {
			mach_msg_size_t need = rcv_buf->msgh_size + MAX_TRAILER_SIZE;
			mach_msg_header_t *b = realloc(rcv_buf, need);

			if (b == NULL) {
				logmsg(LOG_ERR, "no memory for a %u-byte message", need);
				return;
			}
			rcv_buf = b;
			rcv_size = need;
			continue;
		}
		if (mr != MACH_MSG_SUCCESS) {
			logmsg(LOG_ERR, "receive on the port set: %s", mach_error_string(mr));
			stop_code = 1;
			return;
		}
		dispatch(rcv_buf);
	}
}

static void on_signal(void *arg, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)arg;
	(void)events;
	while (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
		logmsg(LOG_INFO, "signal %u: stopping", si.ssi_signo);
		stop_code = 0;
	}
}

int loop_init(void)
{
	sigset_t mask;
	kern_return_t kr;

	rcv_size = 64 * 1024;
	rcv_buf = malloc(rcv_size);
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rcv_buf == NULL || epfd < 0) {
		logmsg(LOG_ERR, "epoll: %s", strerror(errno));
		return -1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	kr = mach_port_fd(mach_task_self(), port_set, 0, &setfd);
	if (sigfd < 0 || kr != KERN_SUCCESS) {
		logmsg(LOG_ERR, "signalfd / mach_port_fd: %s / %s", strerror(errno),
		       mach_error_string(kr));
		return -1;
	}
	set_src.fn = on_set;
	sig_src.fn = on_signal;
	if (loop_add_fd(setfd, EPOLLIN | EPOLLET, &set_src) < 0 ||
	    loop_add_fd(sigfd, EPOLLIN, &sig_src) < 0) {
		logmsg(LOG_ERR, "epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int loop_run(void)
{
	/* Messages queued before the descriptor existed made no edge. */
	on_set(NULL, 0);
	while (stop_code < 0) {
		struct epoll_event ev[32];
		uint64_t now = loop_now_ms();
		int t1 = peers_timeout_ms(now), t2 = ports_timeout_ms(now);
		int timeout = t1 < 0 ? t2 : t2 < 0 ? t1 : t1 < t2 ? t1 : t2;
		int n;

		if (set_backlog && (timeout < 0 || timeout > 1))
			timeout = 1;
		n = epoll_wait(epfd, ev, 32, timeout);

		if (n < 0 && errno != EINTR) {
			logmsg(LOG_ERR, "epoll_wait: %s", strerror(errno));
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct loop_source *src = ev[i].data.ptr;

			src->fn(src->arg, ev[i].events);
		}
		now = loop_now_ms();
		peers_tick(now);
		ports_tick(now);
		if (set_backlog)
			on_set(NULL, 0);
	}
	return stop_code;
}
