// SPDX-License-Identifier: GPL-2.0
/*
 * machbench's Linux mechanisms, the rows Mach is compared with: a pipe
 * pair (the reference every ratio is taken to), a UNIX socketpair, SysV
 * and POSIX message queues, and a futex ping-pong over shared memory (the
 * floor: no copy through the kernel, only the wake-ups).
 */
#include "machbench.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Byte streams: pipe pair and UNIX socketpair                          */

static void write_full(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
}

/* 1: all n bytes read; 0: end of file before any byte. */
static int read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && got == 0)
			return 0;
		if (r <= 0)
			die("read: %s", r ? strerror(errno) : "short read");
		got += (size_t)r;
	}
	return 1;
}

static int pipe_setup(struct ctx *c)
{
	int a[2], b[2];

	if (pipe2(a, O_CLOEXEC) || pipe2(b, O_CLOEXEC))
		die("pipe: %s", strerror(errno));
	c->fd[0] = a[1];	/* client writes requests */
	c->fd[1] = a[0];	/* server reads them */
	c->fd[2] = b[1];	/* server writes acks */
	c->fd[3] = b[0];	/* client reads them */
	return 0;
}

static int sock_setup(struct ctx *c)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair: %s", strerror(errno));
	c->fd[0] = c->fd[3] = sv[0];
	c->fd[1] = c->fd[2] = sv[1];
	return 0;
}

static void stream_server(struct ctx *c)
{
	size_t n = wire_size(c);
	char ack = 'a';

	while (read_full(c->fd[1], c->sbuf, n))
		write_full(c->fd[2], &ack, 1);
}

static void stream_client(struct ctx *c, long iters)
{
	size_t n = wire_size(c);
	char ack;

	for (long i = 0; i < iters; i++) {
		write_full(c->fd[0], c->cbuf, n);
		if (!read_full(c->fd[3], &ack, 1))
			die("stream: server went away");
	}
}

static void pipe_stop(struct ctx *c)
{
	close(c->fd[0]);
	c->fd[0] = -1;
}

static void sock_stop(struct ctx *c)
{
	shutdown(c->fd[0], SHUT_WR);
}

static void fds_teardown(struct ctx *c)
{
	for (int i = 0; i < 4; i++) {
		if (c->fd[i] < 0)
			continue;
		for (int j = i + 1; j < 4; j++)
			if (c->fd[j] == c->fd[i])
				c->fd[j] = -1;
		close(c->fd[i]);
		c->fd[i] = -1;
	}
}

/*
 * pipe-proc: the pipe row with the server in a forked process, pinned as
 * the server thread would be; the reference for binder, whose server
 * must be another process, so each switch also changes address spaces.
 */
static int pipe_proc_setup(struct ctx *c)
{
	pipe_setup(c);
	fflush(NULL);
	c->server_pid = fork();
	if (c->server_pid < 0)
		die("fork: %s", strerror(errno));
	if (c->server_pid == 0) {
		close(c->fd[0]);
		close(c->fd[3]);
		pin(c->server_cpu);
		stream_server(c);
		_exit(0);
	}
	/* Our copies of the server's ends: its exit must end the stream. */
	close(c->fd[1]);
	close(c->fd[2]);
	c->fd[1] = c->fd[2] = -1;
	return 0;
}

static void pipe_proc_teardown(struct ctx *c)
{
	int st;

	if (waitpid(c->server_pid, &st, 0) != c->server_pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		die("pipe-proc: the server process failed (status 0x%x)", st);
	fds_teardown(c);
}

/* ------------------------------------------------------------------ */
/* SysV message queues: a request queue and an acknowledgement queue    */

#define SYSV_REQ	1
#define SYSV_STOP	2
#define SYSV_SYNC	3

struct sysv_msg {
	long mtype;
	unsigned char data[];
};


static int sysv_setup(struct ctx *c)
{
	long max = read_proc_long("/proc/sys/kernel/msgmax", 8192);

	if ((long)c->size > max) {
		snprintf(c->note, sizeof(c->note), "larger than msgmax (%ld)", max);
		return 1;
	}
	c->qreq = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	c->qack = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	if (c->qreq < 0 || c->qack < 0) {
		snprintf(c->note, sizeof(c->note), "msgget: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static void sysv_send(int q, void *buf, long type, size_t n)
{
	((struct sysv_msg *)buf)->mtype = type;
	while (msgsnd(q, buf, n, 0))
		if (errno != EINTR)
			die("msgsnd: %s", strerror(errno));
}

static long sysv_recv(int q, void *buf, size_t max)
{
	for (;;) {
		if (msgrcv(q, buf, max, 0, 0) >= 0)
			return ((struct sysv_msg *)buf)->mtype;
		if (errno != EINTR)
			die("msgrcv: %s", strerror(errno));
	}
}

static void sysv_server(struct ctx *c)
{
	long ack[2] = { SYSV_REQ, 0 };

	for (;;) {
		long t = sysv_recv(c->qreq, c->sbuf, c->size);

		if (t == SYSV_STOP)
			return;
		if (t == SYSV_REQ && !strcmp(c->m->kind, "1way"))
			continue;
		sysv_send(c->qack, ack, SYSV_REQ, 0);
	}
}

static void sysv_client(struct ctx *c, long iters)
{
	long ack[2];

	for (long i = 0; i < iters; i++) {
		sysv_send(c->qreq, c->cbuf, SYSV_REQ, c->size);
		sysv_recv(c->qack, ack, 0);
	}
}

static void sysv1_client(struct ctx *c, long iters)
{
	long ack[2];

	for (long i = 0; i + 1 < iters; i++)
		sysv_send(c->qreq, c->cbuf, SYSV_REQ, c->size);
	sysv_send(c->qreq, c->cbuf, SYSV_SYNC, c->size);
	sysv_recv(c->qack, ack, 0);
}

static void sysv_stop(struct ctx *c)
{
	sysv_send(c->qreq, c->cbuf, SYSV_STOP, 0);
}

static void sysv_teardown(struct ctx *c)
{
	msgctl(c->qreq, IPC_RMID, NULL);
	msgctl(c->qack, IPC_RMID, NULL);
}

/* ------------------------------------------------------------------ */
/* POSIX message queues                                                 */

static int pmq_setup(struct ctx *c)
{
	long max = read_proc_long("/proc/sys/fs/mqueue/msgsize_max", 8192);
	struct mq_attr a = { .mq_maxmsg = 8, .mq_msgsize = (long)wire_size(c) };
	struct mq_attr b = { .mq_maxmsg = 8, .mq_msgsize = 1 };

	if ((long)c->size > max) {
		snprintf(c->note, sizeof(c->note), "larger than msgsize_max (%ld)", max);
		return 1;
	}
	snprintf(c->mq_name[0], sizeof(c->mq_name[0]), "/machbench-req-%d", getpid());
	snprintf(c->mq_name[1], sizeof(c->mq_name[1]), "/machbench-ack-%d", getpid());
	mq_unlink(c->mq_name[0]);
	mq_unlink(c->mq_name[1]);
	c->mreq = mq_open(c->mq_name[0], O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	c->mack = mq_open(c->mq_name[1], O_RDWR | O_CREAT | O_EXCL, 0600, &b);
	if (c->mreq == (mqd_t)-1 || c->mack == (mqd_t)-1) {
		snprintf(c->note, sizeof(c->note), "mq_open: %s", strerror(errno));
		if (c->mreq != (mqd_t)-1)
			mq_close(c->mreq);
		mq_unlink(c->mq_name[0]);
		mq_unlink(c->mq_name[1]);
		return 1;
	}
	return 0;
}

static void pmq_send(mqd_t q, const void *buf, size_t n, unsigned int prio)
{
	while (mq_send(q, buf, n, prio))
		if (errno != EINTR)
			die("mq_send: %s", strerror(errno));
}

static unsigned int pmq_recv(mqd_t q, void *buf, size_t max)
{
	unsigned int prio;

	while (mq_receive(q, buf, max, &prio) < 0)
		if (errno != EINTR)
			die("mq_receive: %s", strerror(errno));
	return prio;
}

static void pmq_server(struct ctx *c)
{
	char ack = 'a';

	while (pmq_recv(c->mreq, c->sbuf, wire_size(c)) == 0)
		pmq_send(c->mack, &ack, 1, 0);
}

static void pmq_client(struct ctx *c, long iters)
{
	char ack;

	for (long i = 0; i < iters; i++) {
		pmq_send(c->mreq, c->cbuf, c->size, 0);
		pmq_recv(c->mack, &ack, 1);
	}
}

static void pmq_stop(struct ctx *c)
{
	pmq_send(c->mreq, c->cbuf, 0, 1);
}

static void pmq_teardown(struct ctx *c)
{
	mq_close(c->mreq);
	mq_close(c->mack);
	mq_unlink(c->mq_name[0]);
	mq_unlink(c->mq_name[1]);
}

/* ------------------------------------------------------------------ */
/* futex ping-pong over shared memory: the floor                        */

#define FX_STOP		0xffffffffu

static void fx_wait(_Atomic uint32_t *w, uint32_t old)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, old, NULL, NULL, 0);
}

static void fx_wake(_Atomic uint32_t *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static int fx_setup(struct ctx *c)
{
	c->fx = xalloc(sizeof(*c->fx));
	atomic_store(&c->fx->req, 0);
	atomic_store(&c->fx->ack, 0);
	c->fx->data = xalloc(wire_size(c));
	return 0;
}

static void fx_server(struct ctx *c)
{
	uint32_t seen = 0, r;

	for (;;) {
		while ((r = atomic_load(&c->fx->req)) == seen)
			fx_wait(&c->fx->req, seen);
		if (r == FX_STOP)
			return;
		memcpy(c->sbuf, c->fx->data, wire_size(c));
		seen = r;
		atomic_store(&c->fx->ack, r);
		fx_wake(&c->fx->ack);
	}
}

static void fx_client(struct ctx *c, long iters)
{
	uint32_t seq = atomic_load(&c->fx->req);

	for (long i = 0; i < iters; i++) {
		if (++seq == FX_STOP)
			seq = 1;
		memcpy(c->fx->data, c->cbuf, wire_size(c));
		atomic_store(&c->fx->req, seq);
		fx_wake(&c->fx->req);
		for (uint32_t a; (a = atomic_load(&c->fx->ack)) != seq;)
			fx_wait(&c->fx->ack, a);
	}
}

static void fx_stop(struct ctx *c)
{
	atomic_store(&c->fx->req, FX_STOP);
	fx_wake(&c->fx->req);
}

static void fx_teardown(struct ctx *c)
{
	free(c->fx->data);
	free(c->fx);
}

const struct mech mech_pipe = {
	"pipe", "rt", "pipe pair ping-pong (the reference row)", false,
	pipe_setup, stream_server, stream_client, pipe_stop, fds_teardown, sz_all, NULL, false
};
const struct mech mech_pipe_proc = {
	"pipe-proc", "rt", "pipe ping-pong with the server in another process (binder's setting)",
	false, pipe_proc_setup, NULL, stream_client, pipe_stop, pipe_proc_teardown, sz_all, NULL,
	false
};
const struct mech mech_socket = {
	"socket", "rt", "AF_UNIX SOCK_STREAM socketpair ping-pong", false,
	sock_setup, stream_server, stream_client, sock_stop, fds_teardown, sz_all, NULL, false
};
const struct mech mech_futex = {
	"futex", "rt", "futex ping-pong over shared memory (the floor)", false,
	fx_setup, fx_server, fx_client, fx_stop, fx_teardown, sz_all, NULL, false
};
const struct mech mech_sysv = {
	"sysv", "rt", "SysV msgsnd/msgrcv request + empty answer", false,
	sysv_setup, sysv_server, sysv_client, sysv_stop, sysv_teardown, sz_msgq, NULL, false
};
const struct mech mech_sysv1 = {
	"sysv-oneway", "1way", "SysV message stream, per message", false,
	sysv_setup, sysv_server, sysv1_client, sysv_stop, sysv_teardown, sz_msgq, NULL, false
};
const struct mech mech_pmq = {
	"posix-mq", "rt", "POSIX mq_send/mq_receive request + empty answer", false,
	pmq_setup, pmq_server, pmq_client, pmq_stop, pmq_teardown, sz_msgq, NULL, false
};
