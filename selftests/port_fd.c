// SPDX-License-Identifier: GPL-2.0
/*
 * port_fd - receive rights and port sets in Linux event loops
 * (mach_port_fd(), <mach/linux.h>): poll and epoll, level and edge
 * triggered, EPOLLEXCLUSIVE, hang-ups on destroy, on a receive right moved
 * away and on process exit, port sets, fork, bad input, and an epoll
 * server watching 1,000 receive rights and 10 port sets for 8 forked
 * clients that checks every message arrives exactly once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/linux.h>

#include "msg_util.h"

/* poll(2) of one descriptor: its revents, or -1 with a failed check. */
static int poll_one(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (!expect_true(n >= 0, "poll"))
		return -1;
	return n ? p.revents : 0;
}

static int port_fd(mach_port_t name, int flags)
{
	int fd = -1;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_fd(mach_task_self(), name, flags, &fd),
		       "mach_port_fd"))
		return -1;
	return fd;
}

static void bad_input(void)
{
	mach_port_t recv = mu_port_send(), dead = MACH_PORT_NULL, set;
	int fd = 12345;

	assert_true(recv != MACH_PORT_NULL, "port");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_fd(mach_task_self(), MACH_PORT_NULL, 0, &fd), "NULL name");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_fd(mach_task_self(), MACH_PORT_DEAD, 0, &fd), "DEAD name");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_fd(mach_task_self(), recv + 0x1000, 0, &fd), "unknown name");
	expect_kr(KERN_INVALID_ARGUMENT,
		  mach_port_fd(mach_task_self(), recv, O_APPEND, &fd), "bad flags");
	expect_kr(MACH_SEND_INVALID_DEST, mach_port_fd(recv, recv, 0, &fd),
		  "a task name that is no task port");
	expect_kr(KERN_INVALID_ARGUMENT,
		  mach_port_fd(mach_task_self(), recv, 0, NULL), "NULL fd pointer");
	expect_eq(12345, fd, "fd untouched by the failures");

	/* a send right alone does not receive: no fd for it */
	expect_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "dead name");
	expect_kr(KERN_INVALID_RIGHT, mach_port_fd(mach_task_self(), dead, 0, &fd),
		  "dead name");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), recv, MACH_PORT_RIGHT_RECEIVE, -1),
		  "drop the receive right, keep the send right");
	expect_kr(KERN_INVALID_RIGHT, mach_port_fd(mach_task_self(), recv, 0, &fd),
		  "send right only");
	expect_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
		  "port set");
	fd = port_fd(set, 0);
	expect_true(fd >= 0, "a port set is fine");
	close(fd);
}

static void flags_and_fdinfo(void)
{
	mach_port_t port = mu_port();
	char path[64], buf[512];
	int fd, plain, n, info;

	assert_true(port != MACH_PORT_NULL, "port");
	fd = port_fd(port, O_CLOEXEC | O_NONBLOCK);
	plain = port_fd(port, 0);
	assert_true(fd >= 0 && plain >= 0, "descriptors");
	expect_true(fcntl(fd, F_GETFD) & FD_CLOEXEC, "O_CLOEXEC gives FD_CLOEXEC");
	expect_true(fcntl(fd, F_GETFL) & O_NONBLOCK, "O_NONBLOCK kept");
	expect_true(!(fcntl(plain, F_GETFD) & FD_CLOEXEC), "no FD_CLOEXEC without it");
	expect_errno(read(fd, buf, sizeof(buf)), EINVAL, "the descriptor is not read");

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	info = open(path, O_RDONLY);
	assert_true(info >= 0, "fdinfo");
	n = (int)read(info, buf, sizeof(buf) - 1);
	close(info);
	assert_true(n > 0, "fdinfo read");
	buf[n] = '\0';
	snprintf(path, sizeof(path), "mach-port:\t0x%x", port);
	expect_true(strstr(buf, path) != NULL, "fdinfo names the port");
	snprintf(path, sizeof(path), "mach-space-pid:\t%d", getpid());
	expect_true(strstr(buf, path) != NULL, "fdinfo names the process");
	close(fd);
	close(plain);
}

/* Readable exactly while a message is queued, through poll and select. */
static void poll_level(void)
{
	mach_port_t port = mu_port_send();
	struct mu_rcv r;
	int fd;

	assert_true(port != MACH_PORT_NULL, "port");
	fd = port_fd(port, 0);
	assert_true(fd >= 0, "fd");
	expect_eq(0, poll_one(fd, 0), "empty queue: not readable");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0), "send");
	expect_eq(POLLIN, poll_one(fd, 0), "a queued message: readable");
	expect_eq(POLLIN, poll_one(fd, 0), "still readable: the fd receives nothing");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "mach_msg receives it");
	expect_eq(0, poll_one(fd, 0), "received: not readable again");
	close(fd);
}

struct sender {
	mach_port_t port;
	unsigned int delay_ms;
};

static void *send_later(void *arg)
{
	struct sender *s = arg;

	mt_sleep_ms(s->delay_ms);
	mu_send(s->port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 7, 0, 0, 0, MU_WAIT_MS);
	return NULL;
}

/* A poller that sleeps is woken by the message that arrives meanwhile. */
static void poll_wakes(void)
{
	struct sender s = { .port = mu_port_send(), .delay_ms = 200 };
	pthread_t t;
	int fd;

	assert_true(s.port != MACH_PORT_NULL, "port");
	fd = port_fd(s.port, 0);
	assert_true(fd >= 0, "fd");
	assert_eq(0, pthread_create(&t, NULL, send_later, &s), "sender thread");
	expect_eq(POLLIN, poll_one(fd, MU_WAIT_MS), "woken by the message");
	pthread_join(t, NULL);
	close(fd);
}

static int epoll_for(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (!expect_true(ep >= 0, "epoll_create1"))
		return -1;
	if (!expect_eq(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev), "EPOLL_CTL_ADD")) {
		close(ep);
		return -1;
	}
	return ep;
}

static int epoll_count(int ep, int timeout_ms)
{
	struct epoll_event ev[4];

	return epoll_wait(ep, ev, 4, timeout_ms);
}

/* Level triggered: reported on every wait while a message is queued. */
static void epoll_level(void)
{
	mach_port_t port = mu_port_send();
	struct mu_rcv r;
	int fd, ep;

	assert_true(port != MACH_PORT_NULL, "port");
	fd = port_fd(port, 0);
	ep = epoll_for(fd, EPOLLIN);
	assert_true(ep >= 0, "epoll");
	expect_eq(0, epoll_count(ep, 0), "nothing queued");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0), "send");
	expect_eq(1, epoll_count(ep, 0), "reported");
	expect_eq(1, epoll_count(ep, 0), "reported again: level triggered");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive");
	expect_eq(0, epoll_count(ep, 0), "drained");
	close(ep);
	close(fd);
}

/* Edge triggered: one event per arriving message, none for what stays. */
static void epoll_edge(void)
{
	mach_port_t port = mu_port_send();
	struct mu_rcv r;
	int fd, ep;

	assert_true(port != MACH_PORT_NULL, "port");
	fd = port_fd(port, 0);
	ep = epoll_for(fd, EPOLLIN | EPOLLET);
	assert_true(ep >= 0, "epoll");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0), "send 1");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 0, 0, 0, 0), "send 2");
	expect_eq(1, epoll_count(ep, 0), "one edge for the two");
	expect_eq(0, epoll_count(ep, 0), "no new edge while they stay queued");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive one");
	expect_eq(0, epoll_count(ep, 0), "a receive is no edge");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3, 0, 0, 0, 0), "send 3");
	expect_eq(1, epoll_count(ep, 0), "a new message is a new edge");
	close(ep);
	close(fd);
}

struct waiter {
	int ep;
	int woke;
};

static void *wait_epoll(void *arg)
{
	struct waiter *w = arg;

	w->woke = epoll_count(w->ep, 3000);
	return NULL;
}

/*
 * Two epoll instances wait on the same port: without EPOLLEXCLUSIVE one
 * message wakes both, with it only one.
 */
static int wakeups(bool exclusive)
{
	mach_port_t port = mu_port_send();
	struct waiter w[2];
	pthread_t t[2];
	int fd, i, woke = 0;

	if (port == MACH_PORT_NULL)
		return -1;
	fd = port_fd(port, 0);
	for (i = 0; i < 2; i++) {
		w[i].ep = epoll_for(fd, EPOLLIN | (exclusive ? EPOLLEXCLUSIVE : 0));
		w[i].woke = -1;
		if (w[i].ep < 0 || pthread_create(&t[i], NULL, wait_epoll, &w[i]))
			return -1;
	}
	mt_sleep_ms(500);	/* both are asleep in epoll_wait */
	mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		woke += w[i].woke > 0;
		close(w[i].ep);
	}
	close(fd);
	mach_port_destroy(mach_task_self(), port);
	return woke;
}

static void epoll_exclusive(void)
{
	expect_eq(2, wakeups(false), "a plain wait: both woken");
	expect_eq(1, wakeups(true), "EPOLLEXCLUSIVE: one woken");
}

static void hup_on_destroy(void)
{
	mach_port_t port = mu_port_send();
	int fd, count;

	assert_true(port != MACH_PORT_NULL, "port");
	fd = port_fd(port, 0);
	assert_true(fd >= 0, "fd");
	count = mu_names_count();
	mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0);
	assert_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port), "destroy");
	expect_eq(POLLHUP, poll_one(fd, 0), "hung up, and nothing readable");
	expect_eq(count - 1, mu_names_count(), "the fd kept no name alive");
	close(fd);
}

/* Send port's receive right in a message to carrier (both ours). */
static mach_msg_return_t send_receive_right(mach_port_t carrier, mach_port_t port)
{
	struct {
		mach_msg_header_t hdr;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t d;
	} m = {
		.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				 MACH_MSGH_BITS_COMPLEX,
		.hdr.msgh_size = sizeof(m),
		.hdr.msgh_remote_port = carrier,
		.body.msgh_descriptor_count = 1,
		.d.name = port,
		.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE,
		.d.type = MACH_MSG_PORT_DESCRIPTOR,
	};

	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL);
}

/*
 * Moved into a message the right is nobody's: hung up.  Received back, our
 * space holds it again and the descriptor works again.
 */
static void hup_on_move(void)
{
	mach_port_t port = mu_port_send(), carrier = mu_port_send(), back;
	struct mu_rcv r;
	int fd;

	assert_true(port != MACH_PORT_NULL && carrier != MACH_PORT_NULL, "ports");
	fd = port_fd(port, 0);
	assert_true(fd >= 0, "fd");
	assert_kr(MACH_MSG_SUCCESS, send_receive_right(carrier, port), "move receive");
	expect_eq(POLLHUP, poll_one(fd, 0), "in a message: hung up");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(carrier, &r, 0, MU_WAIT_MS), "receive it back");
	back = ((mach_msg_port_descriptor_t *)(r.body + sizeof(mach_msg_body_t)))->name;
	expect_true(MACH_PORT_VALID(back), "a name for the returned right");
	expect_eq(0, poll_one(fd, 0), "ours again: no hang-up");
	mu_send(back, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 1, 0, 0, 0, 0);
	expect_eq(POLLIN, poll_one(fd, 0), "and readable on a message");
	close(fd);
}

/* Moved to another process: hung up for good, for this process. */
static void hup_on_move_away(void)
{
	mach_port_t port = mu_port_send(), bs = mu_port_send();
	struct mu_rcv r;
	int go[2], fd;
	pid_t child;

	assert_true(port != MACH_PORT_NULL && bs != MACH_PORT_NULL, "ports");
	assert_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), bs),
		  "private bootstrap port");
	assert_eq(0, pipe(go), "pipe");
	child = mt_fork();
	if (child == 0) {
		mach_port_t mine = mu_port();

		/* give the parent a send right to a port of ours */
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, mine,
				  MACH_MSG_TYPE_MAKE_SEND, 1, 0, 0, 0, MU_WAIT_MS), "hello");
		expect_kr(MACH_MSG_SUCCESS, mu_recv(mine, &r, 0, MU_WAIT_MS),
			  "the receive right arrives");
		mt_await(go[0], MU_WAIT_MS);
		mt_child_exit();
	}
	fd = port_fd(port, 0);
	assert_true(fd >= 0, "fd");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(bs, &r, 0, MU_WAIT_MS), "hello");
	assert_kr(MACH_MSG_SUCCESS, send_receive_right(r.hdr.msgh_remote_port, port),
		  "move the receive right to the child");
	expect_eq(POLLHUP, poll_one(fd, MU_WAIT_MS), "hung up");
	mt_post(go[1]);
	expect_child_ok(child, MU_WAIT_MS, "child");
	expect_eq(POLLHUP, poll_one(fd, 0), "still hung up once the port died");
	close(fd);
}

/* The process holding the right exits: its descriptor, kept elsewhere, hangs up. */
static void hup_on_exit(void)
{
	int sv[2], fd = -1, go[2];
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	pid_t child;

	assert_eq(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");
	assert_eq(0, pipe(go), "pipe");
	child = mt_fork();
	if (child == 0) {
		mach_port_t port = mu_port();
		int pfd = port_fd(port, 0);

		memset(&u, 0, sizeof(u));
		u.h.cmsg_level = SOL_SOCKET;
		u.h.cmsg_type = SCM_RIGHTS;
		u.h.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&u.h), &pfd, sizeof(int));
		expect_eq(1, sendmsg(sv[1], &mh, 0), "pass the descriptor");
		mt_await(go[0], MU_WAIT_MS);
		mt_child_exit();
	}
	assert_eq(1, recvmsg(sv[0], &mh, 0), "receive the descriptor");
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	expect_eq(0, poll_one(fd, 0), "the child lives: no hang-up");
	mt_post(go[1]);
	expect_child_ok(child, MU_WAIT_MS, "child");
	expect_eq(POLLHUP, poll_one(fd, MU_WAIT_MS), "the child exited: hung up");
	close(fd);
}

static void port_set(void)
{
	mach_port_t set, a = mu_port_send(), b = mu_port_send();
	struct mu_rcv r;
	int fd;

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
		  "set");
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), a, set), "a");
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), b, set), "b");
	fd = port_fd(set, 0);
	assert_true(fd >= 0, "fd");
	expect_eq(0, poll_one(fd, 0), "no member has a message");
	mu_send(b, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 0, 0, 0, 0);
	expect_eq(POLLIN, poll_one(fd, 0), "a member has one");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(set, &r, 0, 0), "receive on the set");
	expect_eq(b, r.hdr.msgh_local_port, "from b");
	expect_eq(0, poll_one(fd, 0), "drained");

	/* a port with messages joining the set makes it readable */
	mach_port_extract_member(mach_task_self(), a, set);
	mu_send(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0);
	expect_eq(0, poll_one(fd, 0), "a left the set");
	mach_port_insert_member(mach_task_self(), a, set);
	expect_eq(POLLIN, poll_one(fd, 0), "a's message counts once a rejoins");

	assert_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), set), "destroy the set");
	expect_eq(POLLHUP, poll_one(fd, 0), "the set is gone: hung up");
	close(fd);
}

/* A forked child's inherited descriptor still watches the parent's port. */
static void fork_inherits(void)
{
	mach_port_t port = mu_port_send();
	int fd, go[2], done[2];
	pid_t child;

	assert_true(port != MACH_PORT_NULL, "port");
	fd = port_fd(port, 0);
	assert_true(fd >= 0, "fd");
	assert_eq(0, pipe(go), "pipe");
	assert_eq(0, pipe(done), "pipe");
	child = mt_fork();
	if (child == 0) {
		expect_eq(0, poll_one(fd, 0), "child: nothing queued yet");
		mt_post(done[1]);
		mt_await(go[0], MU_WAIT_MS);
		expect_eq(POLLIN, poll_one(fd, MU_WAIT_MS),
			  "child: the parent's message shows");
		mt_child_exit();
	}
	mt_await(done[0], MU_WAIT_MS);
	mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0);
	mt_post(go[1]);
	expect_child_ok(child, MU_WAIT_MS, "child");
	close(fd);
}

/* --- the epoll server ---------------------------------------------------- */

#define SRV_PORTS	1000
#define SRV_SETS	10
#define SRV_MEMBERS	20	/* per set */
#define SRV_TARGETS	(SRV_PORTS + SRV_SETS * SRV_MEMBERS)
#define SRV_CLIENTS	8
#define SRV_MSGS	60	/* per client */
#define ID_HELLO	100
#define ID_DATA		101
#define ID_DONE		102

struct srv_data {
	mach_msg_header_t hdr;
	uint32_t client, seq, target;
};

struct srv_directory {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t ports;
};

/* Ask the server for send rights to its targets, then send to them at random. */
static void srv_client(unsigned int id)
{
	struct {
		union {
			mach_msg_header_t hdr;
			struct srv_directory d;
		};
		mach_msg_max_trailer_t t;
	} dir;
	mach_port_t reply = mu_port(), *targets;
	unsigned int seed = 77 + id, i;
	struct srv_data m;

	memset(&dir, 0, sizeof(dir));
	dir.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					   MACH_MSG_TYPE_MAKE_SEND_ONCE);
	dir.hdr.msgh_size = sizeof(mach_msg_header_t);
	dir.hdr.msgh_remote_port = bootstrap_port;
	dir.hdr.msgh_local_port = reply;
	dir.hdr.msgh_id = ID_HELLO;
	if (!expect_kr(MACH_MSG_SUCCESS,
		       mach_msg(&dir.hdr, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				sizeof(mach_msg_header_t), sizeof(dir), reply,
				MU_WAIT_MS * 3, MACH_PORT_NULL), "directory"))
		mt_child_exit();
	if (!expect_eq(SRV_TARGETS, dir.d.ports.count, "send rights to every target"))
		mt_child_exit();
	targets = dir.d.ports.address;
	for (i = 0; i < SRV_MSGS; i++) {
		uint32_t target = (uint32_t)rand_r(&seed) % SRV_TARGETS;

		memset(&m, 0, sizeof(m));
		m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		m.hdr.msgh_size = sizeof(m);
		m.hdr.msgh_remote_port = targets[target];
		m.hdr.msgh_id = ID_DATA;
		m.client = id;
		m.seq = i;
		m.target = target;
		if (!expect_kr(MACH_MSG_SUCCESS,
			       mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
					sizeof(m), 0, MACH_PORT_NULL, MU_WAIT_MS * 3,
					MACH_PORT_NULL), "data"))
			break;
	}
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID_DONE,
			  id, 0, 0, MU_WAIT_MS), "done");
	mt_child_exit();
}

struct srv {
	mach_port_t dir;
	mach_port_t targets[SRV_TARGETS];	/* receive + send rights */
	mach_port_t sets[SRV_SETS];
	unsigned char seen[SRV_CLIENTS][SRV_MSGS];
	unsigned int data, done, dups;
	int ep;
};

#define SRV_KEY_SET	0x10000u
#define SRV_KEY_DIR	0x20000u

static bool srv_watch(struct srv *s, mach_port_t name, uint32_t key)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = key };
	int fd = port_fd(name, O_CLOEXEC);

	return fd >= 0 && expect_eq(0, epoll_ctl(s->ep, EPOLL_CTL_ADD, fd, &ev),
				    "EPOLL_CTL_ADD");
}

static bool srv_setup(struct srv *s)
{
	unsigned int i;

	s->ep = epoll_create1(EPOLL_CLOEXEC);
	s->dir = mu_port_send();
	if (s->ep < 0 || s->dir == MACH_PORT_NULL || !srv_watch(s, s->dir, SRV_KEY_DIR))
		return false;
	for (i = 0; i < SRV_TARGETS; i++) {
		s->targets[i] = mu_port_send();
		if (s->targets[i] == MACH_PORT_NULL)
			return false;
		if (i < SRV_PORTS && !srv_watch(s, s->targets[i], i))
			return false;
	}
	for (i = 0; i < SRV_SETS; i++) {
		unsigned int m;

		if (!expect_kr(KERN_SUCCESS,
			       mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET,
						  &s->sets[i]), "set"))
			return false;
		for (m = 0; m < SRV_MEMBERS; m++)
			if (!expect_kr(KERN_SUCCESS,
				       mach_port_insert_member(mach_task_self(),
					       s->targets[SRV_PORTS + i * SRV_MEMBERS + m],
					       s->sets[i]), "member"))
				return false;
		if (!srv_watch(s, s->sets[i], SRV_KEY_SET | i))
			return false;
	}
	return true;
}

static void srv_reply_directory(struct srv *s, mach_port_t reply)
{
	struct srv_directory d = {
		.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
				 MACH_MSGH_BITS_COMPLEX,
		.hdr.msgh_size = sizeof(d),
		.hdr.msgh_remote_port = reply,
		.body.msgh_descriptor_count = 1,
		.ports.address = s->targets,
		.ports.count = SRV_TARGETS,
		.ports.disposition = MACH_MSG_TYPE_MAKE_SEND,
		.ports.copy = MACH_MSG_VIRTUAL_COPY,
		.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR,
	};

	expect_kr(MACH_MSG_SUCCESS,
		  mach_msg(&d.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(d), 0,
			   MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL), "directory reply");
}

/* A data message received on target 'want' (-1: on some member of set 'set'). */
static void srv_data(struct srv *s, const struct srv_data *m, int want, int set)
{
	int at = want;

	if (set >= 0) {
		for (int i = 0; i < SRV_MEMBERS; i++)
			if (s->targets[SRV_PORTS + set * SRV_MEMBERS + i] ==
			    m->hdr.msgh_local_port)
				at = SRV_PORTS + set * SRV_MEMBERS + i;
	}
	if (!expect_true(m->client < SRV_CLIENTS && m->seq < SRV_MSGS,
			 "a message one of the clients sent"))
		return;
	expect_eq(m->target, at, "arrived on the port it was sent to");
	if (s->seen[m->client][m->seq]++)
		s->dups++;
	s->data++;
}

/* Receive everything queued on name (a port or a set). */
static void srv_drain(struct srv *s, mach_port_t name, int want, int set)
{
	struct mu_rcv r;

	while (mu_recv(name, &r, 0, 0) == MACH_MSG_SUCCESS) {
		switch (r.hdr.msgh_id) {
		case ID_HELLO:
			srv_reply_directory(s, r.hdr.msgh_remote_port);
			break;
		case ID_DONE:
			s->done++;
			break;
		case ID_DATA:
			srv_data(s, (const struct srv_data *)&r, want, set);
			break;
		default:
			expect_true(false, "unexpected message id");
		}
	}
}

static void epoll_server(void)
{
	struct rlimit rl = { 4096, 4096 };
	struct epoll_event ev[64];
	pid_t clients[SRV_CLIENTS];
	uint64_t deadline;
	struct srv *s;
	unsigned int i, c, q;

	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		mt_skip("cannot raise RLIMIT_NOFILE to 4096: %s", strerror(errno));
	s = calloc(1, sizeof(*s));
	assert_true(s != NULL, "memory");
	assert_true(srv_setup(s), "1,000 ports and 10 sets of 20 watched");
	assert_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), s->dir),
		  "the directory is the clients' bootstrap port");
	for (c = 0; c < SRV_CLIENTS; c++) {
		clients[c] = mt_fork();
		if (clients[c] == 0)
			srv_client(c);
	}

	deadline = mt_now_ms() + 400000;
	while ((s->done < SRV_CLIENTS || s->data < SRV_CLIENTS * SRV_MSGS) &&
	       mt_now_ms() < deadline) {
		int n = epoll_wait(s->ep, ev, 64, 1000);

		for (int k = 0; k < n; k++) {
			uint32_t key = ev[k].data.u32;

			if (key == SRV_KEY_DIR)
				srv_drain(s, s->dir, -1, -1);
			else if (key & SRV_KEY_SET)
				srv_drain(s, s->sets[key & 0xffff], -1, (int)(key & 0xffff));
			else
				srv_drain(s, s->targets[key], (int)key, -1);
		}
	}
	for (c = 0; c < SRV_CLIENTS; c++)
		expect_child_ok(clients[c], MU_WAIT_MS, "client");
	expect_eq(SRV_CLIENTS, s->done, "every client finished");
	expect_eq(SRV_CLIENTS * SRV_MSGS, s->data, "every message received");
	expect_eq(0, s->dups, "none twice");
	for (c = 0, q = 0; c < SRV_CLIENTS; c++)
		for (i = 0; i < SRV_MSGS; i++)
			q += s->seen[c][i] == 1;
	expect_eq(SRV_CLIENTS * SRV_MSGS, q, "each exactly once");
	expect_eq(0, epoll_wait(s->ep, ev, 64, 0), "nothing left readable");
	free(s);
}

static const struct mt_case cases[] = {
	MT_CASE(bad_input),
	MT_CASE(flags_and_fdinfo),
	MT_CASE(poll_level),
	MT_CASE(poll_wakes),
	MT_CASE(epoll_level),
	MT_CASE(epoll_edge),
	MT_CASE(epoll_exclusive),
	MT_CASE(hup_on_destroy),
	MT_CASE(hup_on_move),
	MT_CASE(hup_on_move_away),
	MT_CASE(hup_on_exit),
	MT_CASE(port_set),
	MT_CASE(fork_inherits),
	MT_CASE_T(epoll_server, 600),
};

int main(void)
{
	return MT_RUN(cases);
}
