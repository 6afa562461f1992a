// SPDX-License-Identifier: GPL-2.0
/*
 * port_fd_uring - io_uring waits on Mach ports: IORING_OP_POLL_ADD on a
 * mach_port_fd() descriptor completes when a message arrives on the port
 * (or a member of a set), and with POLLHUP when the port dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <liburing.h>

#include <mach/linux.h>

#include "msg_util.h"

struct later {
	mach_port_t port;
	bool destroy;		/* else send a message */
};

static void *act_later(void *arg)
{
	struct later *l = arg;

	mt_sleep_ms(300);
	if (l->destroy)
		mach_port_destroy(mach_task_self(), l->port);
	else
		mu_send(l->port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 9, 0, 0, 0, MU_WAIT_MS);
	return NULL;
}

static struct io_uring ring;

static bool ring_up(void)
{
	int ret = io_uring_queue_init(8, &ring, 0);

	if (ret == -ENOSYS)
		mt_skip("io_uring is not in this kernel");
	return expect_eq(0, ret, "io_uring_queue_init");
}

/* Arm POLL_ADD on fd, let 'l' happen later, return the completion's result. */
static int poll_completion(int fd, struct later *l, bool *early)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
	struct io_uring_cqe *cqe;
	struct __kernel_timespec zero = { 0 };
	pthread_t t;
	int res;

	io_uring_prep_poll_add(sqe, fd, POLLIN);
	sqe->user_data = 42;
	expect_eq(1, io_uring_submit(&ring), "submit");
	/* nothing has happened yet: no completion */
	*early = io_uring_wait_cqe_timeout(&ring, &cqe, &zero) == 0;
	if (pthread_create(&t, NULL, act_later, l))
		return -1;
	res = io_uring_wait_cqe(&ring, &cqe);
	pthread_join(t, NULL);
	if (!expect_eq(0, res, "io_uring_wait_cqe"))
		return -1;
	expect_eq(42, cqe->user_data, "our request");
	res = cqe->res;
	io_uring_cqe_seen(&ring, cqe);
	return res;
}

static void poll_add_message(void)
{
	struct later l = { .port = mu_port() };
	struct mu_rcv r;
	bool early;
	int fd = -1;

	assert_true(ring_up(), "ring");
	assert_kr(KERN_SUCCESS, mach_port_fd(mach_task_self(), l.port, 0, &fd),
		  "mach_port_fd");
	expect_eq(POLLIN, poll_completion(fd, &l, &early), "POLLIN on the message");
	expect_true(!early, "no completion before the message");
	expect_kr(MACH_MSG_SUCCESS, mu_recv(l.port, &r, 0, 0), "and it is there");
	close(fd);
	io_uring_queue_exit(&ring);
}

static void poll_add_set(void)
{
	mach_port_t set;
	struct later l = { .port = mu_port() };
	bool early;
	int fd = -1;

	assert_true(ring_up(), "ring");
	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
		  "set");
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), l.port, set),
		  "member");
	assert_kr(KERN_SUCCESS, mach_port_fd(mach_task_self(), set, 0, &fd),
		  "mach_port_fd");
	expect_eq(POLLIN, poll_completion(fd, &l, &early), "POLLIN for the member");
	expect_true(!early, "no completion before the message");
	close(fd);
	io_uring_queue_exit(&ring);
}

static void poll_add_hangup(void)
{
	struct later l = { .port = mu_port(), .destroy = true };
	bool early;
	int fd = -1;

	assert_true(ring_up(), "ring");
	assert_kr(KERN_SUCCESS, mach_port_fd(mach_task_self(), l.port, 0, &fd),
		  "mach_port_fd");
	expect_eq(POLLHUP, poll_completion(fd, &l, &early), "POLLHUP on destroy");
	expect_true(!early, "no completion before the destroy");
	close(fd);
	io_uring_queue_exit(&ring);
}

static const struct mt_case cases[] = {
	MT_CASE(poll_add_message),
	MT_CASE(poll_add_set),
	MT_CASE(poll_add_hangup),
};

int main(void)
{
	return MT_RUN(cases);
}
