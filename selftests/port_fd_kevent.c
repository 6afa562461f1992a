// SPDX-License-Identifier: GPL-2.0
/*
 * port_fd_kevent - how macOS code that waits for ports with kqueue's
 * EVFILT_MACHPORT runs here, as a small adapter over epoll and
 * mach_port_fd(), and a test of it.  The README's "Ports in Linux event
 * loops" section points here; copy the adapter (the mkq_* functions) into
 * a port.
 *
 * On macOS:
 *
 *	int kq = kqueue();
 *	struct kevent ev;
 *	EV_SET(&ev, port, EVFILT_MACHPORT, EV_ADD | EV_ENABLE, 0, 0, udata);
 *	kevent(kq, &ev, 1, NULL, 0, NULL);
 *	...
 *	n = kevent(kq, NULL, 0, out, 8, &ts);
 *	for each out[i]: mach_msg(..., MACH_RCV_MSG, ..., out[i].ident, ...)
 *	EV_SET(&ev, port, EVFILT_MACHPORT, EV_DELETE, 0, 0, NULL);
 *
 * Here:
 *
 *	struct mkq q;                       kqueue()
 *	mkq_init(&q);
 *	mkq_add(&q, port, udata);           EV_ADD of EVFILT_MACHPORT
 *	n = mkq_wait(&q, out, 8, ms);       kevent() waiting for events
 *	for each out[i]: mach_msg(..., out[i].ident, ...), as on macOS
 *	mkq_delete(&q, port);               EV_DELETE
 *
 * What maps to what: the port (or port set) becomes a descriptor with
 * mach_port_fd(); epoll's level triggering is kqueue's default; EV_CLEAR
 * is EPOLLET (one event per arriving message); EV_DISPATCH/EV_ONESHOT are
 * EPOLLONESHOT.  kqueue reports EV_EOF when the port dies; epoll says
 * EPOLLHUP, also when the receive right moved to another task.  kqueue's
 * MACH_RCV_MSG fflag (receive into ext[0]) is one mach_msg() call after
 * the event, as below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <mach/linux.h>

#include "msg_util.h"

/* --- the adapter ------------------------------------------------------- */

#define MKQ_MAX		64	/* ports one queue watches, here */
#define MKQ_EOF		0x8000	/* like kqueue's EV_EOF */
#define MKQ_CLEAR	0x0020	/* like kqueue's EV_CLEAR */

struct mkq_event {
	mach_port_t ident;	/* the port or set, as kevent's ident */
	unsigned int flags;	/* MKQ_EOF when it is gone */
	void *udata;
};

struct mkq {
	int ep;
	struct {
		mach_port_t port;
		int fd;
		void *udata;
	} w[MKQ_MAX];
};

static int mkq_init(struct mkq *q)
{
	memset(q, 0, sizeof(*q));
	q->ep = epoll_create1(EPOLL_CLOEXEC);
	return q->ep < 0 ? -1 : 0;
}

/* EV_ADD: watch port (a receive right or a port set) with udata. */
static kern_return_t mkq_add(struct mkq *q, mach_port_t port, unsigned int flags,
			     void *udata)
{
	struct epoll_event ev = { .events = EPOLLIN };
	kern_return_t kr;
	int i, fd;

	for (i = 0; i < MKQ_MAX && q->w[i].port; i++)
		;
	if (i == MKQ_MAX)
		return KERN_RESOURCE_SHORTAGE;
	kr = mach_port_fd(mach_task_self(), port, O_CLOEXEC, &fd);
	if (kr != KERN_SUCCESS)
		return kr;
	if (flags & MKQ_CLEAR)
		ev.events |= EPOLLET;
	ev.data.u32 = (uint32_t)i;
	if (epoll_ctl(q->ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(fd);
		return KERN_RESOURCE_SHORTAGE;
	}
	q->w[i].port = port;
	q->w[i].fd = fd;
	q->w[i].udata = udata;
	return KERN_SUCCESS;
}

/* EV_DELETE */
static void mkq_delete(struct mkq *q, mach_port_t port)
{
	for (int i = 0; i < MKQ_MAX; i++) {
		if (q->w[i].port == port) {
			close(q->w[i].fd);	/* leaves the epoll set too */
			q->w[i].port = MACH_PORT_NULL;
		}
	}
}

/* kevent() waiting: up to n events in out, -1 waits for ever; 0 on timeout. */
static int mkq_wait(struct mkq *q, struct mkq_event *out, int n, int timeout_ms)
{
	struct epoll_event ev[MKQ_MAX];
	int got, i;

	if (n > MKQ_MAX)
		n = MKQ_MAX;
	got = epoll_wait(q->ep, ev, n, timeout_ms);
	for (i = 0; i < got; i++) {
		int w = (int)ev[i].data.u32;

		out[i].ident = q->w[w].port;
		out[i].udata = q->w[w].udata;
		out[i].flags = (ev[i].events & EPOLLHUP) ? MKQ_EOF : 0;
	}
	return got;
}

static void mkq_close(struct mkq *q)
{
	for (int i = 0; i < MKQ_MAX; i++)
		if (q->w[i].port)
			close(q->w[i].fd);
	close(q->ep);
}

/* --- the test: an event loop serving two ports and a set ---------------- */

#define LOOP_MSGS	40

struct sender_arg {
	mach_port_t dest[3];
};

static void *sender(void *arg)
{
	struct sender_arg *s = arg;

	for (uint32_t i = 0; i < LOOP_MSGS; i++)
		mu_send(s->dest[i % 3], MACH_MSG_TYPE_COPY_SEND, 0, 0, 500, i, 0, 0,
			MU_WAIT_MS);
	return NULL;
}

static void event_loop(void)
{
	mach_port_t a = mu_port_send(), b = mu_port_send(), m = mu_port_send(), set;
	struct sender_arg s = { { a, b, m } };
	unsigned char seen[LOOP_MSGS] = { 0 };
	struct mkq_event out[8];
	int got = 0, tags[3] = { 1, 2, 3 };
	struct mkq q;
	pthread_t t;

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set), "set");
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), m, set), "member");
	assert_eq(0, mkq_init(&q), "queue");
	assert_kr(KERN_SUCCESS, mkq_add(&q, a, 0, &tags[0]), "EV_ADD a");
	assert_kr(KERN_SUCCESS, mkq_add(&q, b, MKQ_CLEAR, &tags[1]), "EV_ADD b, EV_CLEAR");
	assert_kr(KERN_SUCCESS, mkq_add(&q, set, 0, &tags[2]), "EV_ADD the set");
	expect_kr(KERN_INVALID_RIGHT, mkq_add(&q, mach_task_self(), 0, NULL),
		  "a send right cannot be watched");
	assert_eq(0, pthread_create(&t, NULL, sender, &s), "sender");

	while (got < LOOP_MSGS) {
		int n = mkq_wait(&q, out, 8, MU_WAIT_MS);

		if (!expect_true(n > 0, "an event before the timeout"))
			break;
		for (int i = 0; i < n; i++) {
			struct mu_rcv r;

			expect_eq(0, out[i].flags, "no EOF");
			expect_true(out[i].udata == &tags[0] || out[i].udata == &tags[1] ||
				    out[i].udata == &tags[2], "udata comes back");
			/* drain: an EV_CLEAR watch is told once per message */
			while (mu_recv(out[i].ident, &r, 0, 0) == MACH_MSG_SUCCESS) {
				uint32_t k = mu_as_msg(&r)->a;

				if (expect_true(k < LOOP_MSGS, "a message we sent"))
					expect_eq(0, seen[k]++, "received once");
				got++;
			}
		}
	}
	pthread_join(t, NULL);
	expect_eq(LOOP_MSGS, got, "every message received through the loop");

	mkq_delete(&q, b);
	mu_send(b, MACH_MSG_TYPE_COPY_SEND, 0, 0, 500, 0, 0, 0, 0);
	expect_eq(0, mkq_wait(&q, out, 8, 0), "EV_DELETE: b is not watched");
	mach_port_destroy(mach_task_self(), a);
	expect_eq(1, mkq_wait(&q, out, 8, MU_WAIT_MS), "a's death is an event");
	expect_eq(a, out[0].ident, "for a");
	expect_eq(MKQ_EOF, out[0].flags, "EV_EOF");
	mkq_close(&q);
}

static const struct mt_case cases[] = {
	MT_CASE(event_loop),
};

int main(void)
{
	return MT_RUN(cases);
}
