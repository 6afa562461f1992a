// SPDX-License-Identifier: GPL-2.0
/*
 * machbench - Mach IPC against the Linux IPC mechanisms, in one process.
 *
 * Every row is a client (the main thread) and a server (a second thread),
 * both pinned: to the same CPU ("same" mode) or to two CPUs ("cross").
 * A row's figure is the time of one operation, averaged over N iterations;
 * it is measured R times and reported as the median and the p10..p90
 * spread of those R runs, and as a ratio to the pipe row of the same size
 * and mode, measured in the same process run.
 *
 * What one operation is:
 *  - round-trip rows ("rt"): the client sends SIZE bytes and waits for a
 *    minimal answer (a header-only Mach reply, one byte on a pipe or
 *    socket, an empty SysV/POSIX message, a futex wake);
 *  - one-way rows ("1way"): the client streams messages of SIZE bytes
 *    through a queue; the figure is the time per message.
 * Size 0 is the smallest message a mechanism has (one byte for streams).
 *
 * Usage: machbench [-n ITER] [-r RUNS] [-m MECH,...] [-s SIZE,...]
 *                  [--modes same,cross] [--csv PATH] [--label TEXT]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <mach/mach.h>

#define KIB		1024ul
#define MIB		(1024ul * 1024ul)
#define MAX_SIZE	MIB
#define MAX_RUNS	1000
#define ID_REQ		0x6d620001
#define ID_SYNC		0x6d620002
#define ID_STOP		0x6d620003

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("machbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(2);
}

/* ------------------------------------------------------------------ */
/* One benchmark context: what a client and its server share.          */

struct ctx;

struct mech {
	const char *name;
	const char *kind;		/* "rt" or "1way" */
	const char *what;		/* one line for --help */
	bool mach;			/* needs /dev/mach */
	/* 0: ready; 1: skip this row (ctx->note says why). */
	int (*setup)(struct ctx *c);
	void (*server)(struct ctx *c);
	void (*client)(struct ctx *c, long iters);
	void (*stop)(struct ctx *c);	/* make the server return */
	void (*teardown)(struct ctx *c);
	const size_t *sizes;		/* ends with SIZE_MAX */
};

struct ctx {
	const struct mech *m;
	size_t size;
	unsigned int members;		/* port-set rows */
	int server_cpu;
	char note[120];

	unsigned char *cbuf, *sbuf;	/* client and server buffers */
	size_t cbuf_len, sbuf_len;

	int fd[4];			/* pipe/socket: client req, server req, server ack, client ack */
	int qreq, qack;			/* SysV */
	mqd_t mreq, mack;		/* POSIX */
	char mq_name[2][64];

	struct fx {			/* futex */
		_Atomic uint32_t req;
		_Atomic uint32_t ack;
		unsigned char *data;
	} *fx;

	mach_port_t port;		/* server's receive right (+ a send right) */
	mach_port_t reply;		/* client's reply port */
	mach_port_t set;		/* port-set rows: the set */
	mach_port_t *memb;		/* port-set rows: members */
	mach_port_t rcv_name;		/* what the server receives on */
};

static size_t wire_size(const struct ctx *c)
{
	return c->size ? c->size : 1;
}

static void *xalloc(size_t n)
{
	void *p;

	if (posix_memalign(&p, 4096, n ? n : 1))
		die("out of memory");
	memset(p, 0x5a, n);
	return p;
}

/* ------------------------------------------------------------------ */
/* CPU pinning                                                          */

static int cpu_a = -1, cpu_b = -1;

static void pick_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (cpu_a < 0)
			cpu_a = i;
		else if (cpu_b < 0)
			cpu_b = i;
	}
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))	/* 0: this thread */
		die("sched_setaffinity(%d): %s", cpu, strerror(errno));
}

/* ------------------------------------------------------------------ */
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

/* ------------------------------------------------------------------ */
/* SysV message queues: a request queue and an acknowledgement queue    */

#define SYSV_REQ	1
#define SYSV_STOP	2
#define SYSV_SYNC	3

struct sysv_msg {
	long mtype;
	unsigned char data[];
};

static long read_proc_long(const char *path, long dflt)
{
	FILE *f = fopen(path, "r");
	long v = dflt;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

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

/* ------------------------------------------------------------------ */
/* Mach                                                                 */

struct ool_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
};

static void kr_check(kern_return_t kr, const char *what)
{
	if (kr != KERN_SUCCESS)
		die("%s: %s (0x%x)", what, mach_error_string(kr), kr);
}

static mach_port_t new_port(bool send)
{
	mach_port_t p;

	kr_check(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p),
		 "mach_port_allocate");
	if (send)
		kr_check(mach_port_insert_right(mach_task_self(), p, p,
						MACH_MSG_TYPE_MAKE_SEND),
			 "mach_port_insert_right");
	return p;
}

static void set_qlimit(mach_port_t p, unsigned int q)
{
	mach_port_limits_t l = { .mpl_qlimit = q };

	kr_check(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO,
					  (mach_port_info_t)&l, MACH_PORT_LIMITS_INFO_COUNT),
		 "mach_port_set_attributes(LIMITS)");
}

static size_t mach_inline_len(const struct ctx *c)
{
	return sizeof(mach_msg_header_t) + ((c->size + 3) & ~(size_t)3);
}

static int mach_setup(struct ctx *c)
{
	c->port = new_port(true);
	c->reply = new_port(false);
	c->rcv_name = c->port;
	if (!strcmp(c->m->kind, "1way")) {
		/* Queue depth that holds about 16 KiB, as SysV's msgmnb. */
		unsigned long q = 16384 / (c->size > 64 ? c->size : 64);

		set_qlimit(c->port, q < 5 ? 5 : q > 1024 ? 1024 : (unsigned int)q);
	}
	return 0;
}

static int pset_setup(struct ctx *c)
{
	mach_port_t task = mach_task_self();

	c->reply = new_port(false);
	kr_check(mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &c->set),
		 "mach_port_allocate(PORT_SET)");
	c->memb = calloc(c->members, sizeof(*c->memb));
	if (!c->memb)
		die("out of memory");
	for (unsigned int i = 0; i < c->members; i++) {
		c->memb[i] = new_port(false);
		kr_check(mach_port_insert_member(task, c->memb[i], c->set),
			 "mach_port_insert_member");
	}
	/* The ready list makes the member irrelevant; take the newest. */
	c->port = c->memb[c->members - 1];
	kr_check(mach_port_insert_right(task, c->port, c->port, MACH_MSG_TYPE_MAKE_SEND),
		 "mach_port_insert_right");
	c->rcv_name = c->set;
	return 0;
}

static void mach_teardown(struct ctx *c)
{
	mach_port_t task = mach_task_self();

	if (c->memb) {
		for (unsigned int i = 0; i < c->members; i++)
			mach_port_destroy(task, c->memb[i]);
		free(c->memb);
		c->memb = NULL;
		mach_port_destroy(task, c->set);
	} else {
		mach_port_destroy(task, c->port);
	}
	mach_port_destroy(task, c->reply);
}

static void mach_check(mach_msg_return_t mr, const char *what)
{
	if (mr != MACH_MSG_SUCCESS)
		die("%s: %s (0x%x)", what, mach_error_string(mr), mr);
}

/*
 * mach-ool-touch: the receiver reads one byte of every page of the region,
 * as one that uses the data must; a region mapped without copying costs its
 * page faults there rather than in mach_msg.
 */
static volatile unsigned char ool_sink;

static void touch_pages(const unsigned char *p, size_t n)
{
	unsigned char x = 0;

	for (size_t i = 0; i < n; i += 4096)
		x ^= ((const volatile unsigned char *)p)[i];
	if (n)
		x ^= ((const volatile unsigned char *)p)[n - 1];
	ool_sink = x;
}

/*
 * The server of every Mach row: receive, then answer each request and
 * receive the next one in a single mach_msg(SEND|RCV) call.
 */
static void mach_server(struct ctx *c)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->sbuf;
	mach_msg_size_t rsize = (mach_msg_size_t)c->sbuf_len;
	mach_msg_option_t opt = MACH_RCV_MSG;
	mach_msg_size_t ssize = 0;

	for (;;) {
		mach_check(mach_msg(h, opt, ssize, rsize, c->rcv_name, MACH_MSG_TIMEOUT_NONE,
				    MACH_PORT_NULL), "server mach_msg");
		if (h->msgh_id == ID_STOP)
			return;
		if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			struct ool_msg *o = (struct ool_msg *)h;

			if (!strcmp(c->m->name, "mach-ool-touch"))
				touch_pages(o->ool.address, o->ool.size);
			if (o->ool.size)
				kr_check(vm_deallocate(mach_task_self(),
						       (vm_address_t)o->ool.address, o->ool.size),
					 "server vm_deallocate");
		}
		if (h->msgh_id == ID_REQ && !strcmp(c->m->kind, "1way")) {
			opt = MACH_RCV_MSG;
			ssize = 0;
			continue;
		}
		/* Reply: header only, through the send-once right. */
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		h->msgh_size = sizeof(*h);
		h->msgh_local_port = MACH_PORT_NULL;
		h->msgh_id += 100;
		opt = MACH_SEND_MSG | MACH_RCV_MSG;
		ssize = sizeof(*h);
	}
}

static void mach_fill_req(struct ctx *c, mach_msg_header_t *h, mach_msg_id_t id)
{
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_size = (mach_msg_size_t)mach_inline_len(c);
	h->msgh_remote_port = c->port;
	h->msgh_local_port = c->reply;
	h->msgh_voucher_port = MACH_PORT_NULL;
	h->msgh_id = id;
}

static void mach_rpc_client(struct ctx *c, long iters)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->cbuf;
	mach_msg_size_t ssize = (mach_msg_size_t)mach_inline_len(c);
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i < iters; i++) {
		mach_fill_req(c, h, ID_REQ);
		mach_check(mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, ssize, rsize, c->reply,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "client mach_msg");
	}
}

static void mach_oneway_client(struct ctx *c, long iters)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->cbuf;
	mach_msg_size_t ssize = (mach_msg_size_t)mach_inline_len(c);
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i + 1 < iters; i++) {
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		h->msgh_size = ssize;
		h->msgh_remote_port = c->port;
		h->msgh_local_port = MACH_PORT_NULL;
		h->msgh_voucher_port = MACH_PORT_NULL;
		h->msgh_id = ID_REQ;
		mach_check(mach_msg(h, MACH_SEND_MSG, ssize, 0, MACH_PORT_NULL,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "client send");
	}
	/* The last one asks for an answer: all of them have been received. */
	mach_fill_req(c, h, ID_SYNC);
	mach_check(mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, ssize, rsize, c->reply,
			    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "client sync");
}

static void mach_ool_client(struct ctx *c, long iters)
{
	struct ool_msg *o = (struct ool_msg *)c->cbuf;
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i < iters; i++) {
		mach_fill_req(c, &o->hdr, ID_REQ);
		o->hdr.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		o->hdr.msgh_size = sizeof(*o);
		o->body.msgh_descriptor_count = 1;
		o->ool.address = c->cbuf + 4096;	/* the payload */
		o->ool.size = (mach_msg_size_t)c->size;
		o->ool.deallocate = FALSE;
		o->ool.copy = MACH_MSG_VIRTUAL_COPY;
		o->ool.pad1 = 0;
		o->ool.type = MACH_MSG_OOL_DESCRIPTOR;
		mach_check(mach_msg(&o->hdr, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*o), rsize,
				    c->reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
			   "client mach_msg (OOL)");
	}
}

static void mach_stop(struct ctx *c)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = c->port,
		.msgh_id = ID_STOP,
	};

	mach_check(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL,
			    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "stop");
}

/* ------------------------------------------------------------------ */
/* binder (optional)                                                    */

static const char *binder_path(void)
{
	static const char *const paths[] = {
		"/dev/binder", "/dev/binderfs/binder", "/dev/binderfs/machbench",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], R_OK | W_OK) == 0)
			return paths[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The table of mechanisms                                              */

#define END	SIZE_MAX
static const size_t sz_all[] = { 0, 64, KIB, 4 * KIB, 64 * KIB, MIB, END };
static const size_t sz_msgq[] = { 0, 64, KIB, 4 * KIB, 64 * KIB, END };
static const size_t sz_ool[] = { 4 * KIB, 64 * KIB, MIB, END };
static const size_t sz_pset[] = { 64, END };

static const struct mech mechs[] = {
	{ "pipe", "rt", "pipe pair ping-pong (the reference row)", false,
	  pipe_setup, stream_server, stream_client, pipe_stop, fds_teardown, sz_all },
	{ "socket", "rt", "AF_UNIX SOCK_STREAM socketpair ping-pong", false,
	  sock_setup, stream_server, stream_client, sock_stop, fds_teardown, sz_all },
	{ "futex", "rt", "futex ping-pong over shared memory (the floor)", false,
	  fx_setup, fx_server, fx_client, fx_stop, fx_teardown, sz_all },
	{ "sysv", "rt", "SysV msgsnd/msgrcv request + empty answer", false,
	  sysv_setup, sysv_server, sysv_client, sysv_stop, sysv_teardown, sz_msgq },
	{ "sysv-oneway", "1way", "SysV message stream, per message", false,
	  sysv_setup, sysv_server, sysv1_client, sysv_stop, sysv_teardown, sz_msgq },
	{ "posix-mq", "rt", "POSIX mq_send/mq_receive request + empty answer", false,
	  pmq_setup, pmq_server, pmq_client, pmq_stop, pmq_teardown, sz_msgq },
	{ "mach-rpc", "rt", "mach_msg SEND|RCV, MAKE_SEND_ONCE reply, server replies+receives in one call", true,
	  mach_setup, mach_server, mach_rpc_client, mach_stop, mach_teardown, sz_all },
	{ "mach-oneway", "1way", "Mach message stream (inline), per message", true,
	  mach_setup, mach_server, mach_oneway_client, mach_stop, mach_teardown, sz_msgq },
	{ "mach-ool", "rt", "Mach RPC carrying the payload as OOL memory (VIRTUAL_COPY)", true,
	  mach_setup, mach_server, mach_ool_client, mach_stop, mach_teardown, sz_ool },
	{ "mach-ool-touch", "rt", "mach-ool, and the server reads one byte of every page", true,
	  mach_setup, mach_server, mach_ool_client, mach_stop, mach_teardown, sz_ool },
	{ "mach-pset", "rt", "Mach RPC received through a port set of 1/100/10000 members", true,
	  pset_setup, mach_server, mach_rpc_client, mach_stop, mach_teardown, sz_pset },
	{ "binder", "rt", "binder transaction round trip (only when binder is available)", false,
	  NULL, NULL, NULL, NULL, NULL, sz_pset },
};
#define NMECH	(sizeof(mechs) / sizeof(mechs[0]))

static const unsigned int pset_members[] = { 1, 100, 10000 };

/* ------------------------------------------------------------------ */
/* Measurement                                                          */

struct row {
	char mode[8];
	char mech[24];
	const char *kind;
	size_t size;
	long iters;
	int runs;
	double med, p10, p90;	/* ns per operation */
	double ratio;		/* to the pipe row; 0: none */
	char note[160];
};

static struct row *rows;
static size_t nrows, cap_rows;

static struct row *new_row(void)
{
	if (nrows == cap_rows) {
		cap_rows = cap_rows ? 2 * cap_rows : 64;
		rows = realloc(rows, cap_rows * sizeof(*rows));
		if (!rows)
			die("out of memory");
	}
	memset(&rows[nrows], 0, sizeof(rows[0]));
	return &rows[nrows++];
}

static long opt_iters = 1000;
static int opt_runs = 7;
static const char *opt_csv;
static const char *opt_label = "wall";
static bool opt_quiet;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *server_main(void *arg)
{
	struct ctx *c = arg;

	pin(c->server_cpu);
	c->m->server(c);
	return NULL;
}

/* Fewer iterations for the big sizes: the copy dominates them. */
static long iters_for(size_t size)
{
	long n = opt_iters;

	if (size >= MIB)
		n /= 32;
	else if (size >= 64 * KIB)
		n /= 4;
	return n < 10 ? 10 : n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks. */
static double pct(const double *v, int n, double p)
{
	double pos = p * (n - 1);
	int lo = (int)pos;

	if (lo >= n - 1)
		return v[n - 1];
	return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}

static void measure(const struct mech *m, const char *mode, int server_cpu, size_t size,
		    unsigned int members)
{
	struct ctx c = { .m = m, .size = size, .members = members, .server_cpu = server_cpu,
			 .fd = { -1, -1, -1, -1 } };
	struct row *r = new_row();
	double v[MAX_RUNS];
	pthread_t th;
	int rc;

	snprintf(r->mode, sizeof(r->mode), "%s", mode);
	if (members)
		snprintf(r->mech, sizeof(r->mech), "%s-%u", m->name, members);
	else
		snprintf(r->mech, sizeof(r->mech), "%s", m->name);
	r->kind = m->kind;
	r->size = size;
	r->iters = iters_for(size);
	r->runs = opt_runs;

	if (m->mach && access("/dev/mach", R_OK | W_OK)) {
		snprintf(r->note, sizeof(r->note), "skipped: no /dev/mach (load mach.ko)");
		return;
	}
	if (!m->setup) {
		snprintf(r->note, sizeof(r->note), "skipped: %s",
			 binder_path() ? "binder found but this build has no binder client"
				       : "no /dev/binder or binderfs");
		return;
	}
	/* Client buffer: header + payload; OOL payload starts at 4096. */
	c.cbuf_len = 4096 + (size > 4096 ? size : 4096) + 4096;
	c.sbuf_len = c.cbuf_len;
	c.cbuf = xalloc(c.cbuf_len);
	c.sbuf = xalloc(c.sbuf_len);

	rc = m->setup(&c);
	if (rc) {
		snprintf(r->note, sizeof(r->note), "skipped: %s", c.note);
		goto out;
	}
	rc = pthread_create(&th, NULL, server_main, &c);
	if (rc)
		die("pthread_create: %s", strerror(rc));

	m->client(&c, r->iters / 10 > 0 ? r->iters / 10 : 1);	/* warm-up */
	for (int i = 0; i < opt_runs; i++) {
		uint64_t t0 = now_ns();

		m->client(&c, r->iters);
		v[i] = (double)(now_ns() - t0) / (double)r->iters;
	}
	m->stop(&c);
	pthread_join(th, NULL);
	m->teardown(&c);

	qsort(v, (size_t)opt_runs, sizeof(v[0]), cmp_double);
	r->med = pct(v, opt_runs, 0.5);
	r->p10 = pct(v, opt_runs, 0.1);
	r->p90 = pct(v, opt_runs, 0.9);
out:
	free(c.cbuf);
	free(c.sbuf);
	if (!opt_quiet)
		fprintf(stderr, "  %-5s %-18s %8zu  %s\n", r->mode, r->mech, r->size,
			r->note[0] ? r->note : "done");
}

static const struct row *find_row(const char *mode, const char *mech, size_t size)
{
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].mode, mode) && !strcmp(rows[i].mech, mech) &&
		    rows[i].size == size && rows[i].med > 0)
			return &rows[i];
	return NULL;
}

static void compute_ratios(void)
{
	for (size_t i = 0; i < nrows; i++) {
		const struct row *p = find_row(rows[i].mode, "pipe", rows[i].size);

		if (p && rows[i].med > 0)
			rows[i].ratio = rows[i].med / p->med;
	}
}

static void fmt_size(char *buf, size_t n, size_t size)
{
	if (size >= MIB && size % MIB == 0)
		snprintf(buf, n, "%zuM", size / MIB);
	else if (size >= KIB && size % KIB == 0)
		snprintf(buf, n, "%zuK", size / KIB);
	else
		snprintf(buf, n, "%zu", size);
}

static void print_table(void)
{
	printf("%-5s %-18s %-4s %6s %6s %12s %12s %12s %8s\n", "mode", "mechanism", "kind",
	       "size", "iters", "median_ns", "p10_ns", "p90_ns", "x_pipe");
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		char s[32];

		fmt_size(s, sizeof(s), r->size);
		if (r->note[0]) {
			printf("%-5s %-18s %-4s %6s %6s  %s\n", r->mode, r->mech, r->kind, s, "-",
			       r->note);
			continue;
		}
		printf("%-5s %-18s %-4s %6s %6ld %12.0f %12.0f %12.0f ", r->mode, r->mech,
		       r->kind, s, r->iters, r->med, r->p10, r->p90);
		if (r->ratio > 0)
			printf("%8.2f\n", r->ratio);
		else
			printf("%8s\n", "-");
	}
}

static void write_csv(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "clock,mode,mechanism,kind,size,iters,runs,median_ns,p10_ns,p90_ns,ratio_to_pipe,note\n");
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "%s,%s,%s,%s,%zu,%ld,%d,", opt_label, r->mode, r->mech, r->kind,
			r->size, r->iters, r->runs);
		if (r->note[0])
			fprintf(f, ",,,,\"%s\"\n", r->note);
		else if (r->ratio > 0)
			fprintf(f, "%.0f,%.0f,%.0f,%.3f,\n", r->med, r->p10, r->p90, r->ratio);
		else
			fprintf(f, "%.0f,%.0f,%.0f,,\n", r->med, r->p10, r->p90);
	}
	if (f != stdout && fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* The project's targets, checked against this run's rows. */
static void target(const char *mode, const char *what, const struct row *a,
		   const struct row *b, double want, bool le)
{
	double x;

	if (!a || !b) {
		printf("  %-5s %-58s n/a (rows missing)\n", mode, what);
		return;
	}
	x = a->med / b->med;
	printf("  %-5s %-58s %6.2f  (target %s %.2f)  %s\n", mode, what, x, le ? "<=" : ">=",
	       want, (le ? x <= want : x >= want) ? "MET" : "NOT MET");
}

static void print_targets(const char *mode)
{
	target(mode, "mach-rpc 64 B / pipe 64 B (round trip)",
	       find_row(mode, "mach-rpc", 64), find_row(mode, "pipe", 64), 0.8, true);
	target(mode, "mach-oneway 64 B / sysv-oneway 64 B (per message)",
	       find_row(mode, "mach-oneway", 64), find_row(mode, "sysv-oneway", 64), 1.0, true);
	target(mode, "mach-rpc 64 B / sysv 64 B (round trip)",
	       find_row(mode, "mach-rpc", 64), find_row(mode, "sysv", 64), 1.0, true);
	target(mode, "pipe 1 MiB / mach-ool 1 MiB (speed-up of OOL)",
	       find_row(mode, "pipe", MIB), find_row(mode, "mach-ool", MIB), 2.0, false);
	target(mode, "mach-pset-10000 / mach-pset-1 (64 B round trip)",
	       find_row(mode, "mach-pset-10000", 64), find_row(mode, "mach-pset-1", 64), 1.1,
	       true);
}

/* ------------------------------------------------------------------ */

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static bool size_wanted(const char *list, size_t size)
{
	char s[32];

	if (!list)
		return true;
	fmt_size(s, sizeof(s), size);
	if (in_list(list, s))
		return true;
	snprintf(s, sizeof(s), "%zu", size);
	return in_list(list, s);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: machbench [options]\n"
		"  -n, --iterations N   iterations per run (default 1000; /4 at 64K, /32 at 1M)\n"
		"  -r, --runs R         runs per row; median and p10..p90 over them (default 7)\n"
		"  -m, --mech LIST      mechanisms, comma-separated (default: all)\n"
		"  -s, --sizes LIST     sizes, e.g. 0,64,1K,4K,64K,1M (default: all)\n"
		"      --modes LIST     same,cross (default: both; cross needs 2 CPUs)\n"
		"      --csv PATH       also write the rows as CSV (\"-\": stdout)\n"
		"      --label TEXT     the CSV's clock column (default \"wall\")\n"
		"  -q, --quiet          no progress lines on stderr\n"
		"mechanisms:\n");
	for (size_t i = 0; i < NMECH; i++)
		fprintf(f, "  %-12s %-4s %s\n", mechs[i].name, mechs[i].kind, mechs[i].what);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "runs", required_argument, NULL, 'r' },
		{ "mech", required_argument, NULL, 'm' },
		{ "sizes", required_argument, NULL, 's' },
		{ "modes", required_argument, NULL, 'M' },
		{ "csv", required_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *mech_list = NULL, *size_list = NULL, *modes = "same,cross";
	struct utsname u;
	bool no_mach;
	int o;

	while ((o = getopt_long(argc, argv, "n:r:m:s:qh", lo, NULL)) != -1) {
		switch (o) {
		case 'n': opt_iters = strtol(optarg, NULL, 0); break;
		case 'r': opt_runs = (int)strtol(optarg, NULL, 0); break;
		case 'm': mech_list = optarg; break;
		case 's': size_list = optarg; break;
		case 'M': modes = optarg; break;
		case 'c': opt_csv = optarg; break;
		case 'L': opt_label = optarg; break;
		case 'q': opt_quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || opt_iters < 1 || opt_runs < 1 || opt_runs > MAX_RUNS) {
		usage(stderr);
		return 2;
	}
	for (const char *p = mech_list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		bool ok = false;

		for (size_t i = 0; i < NMECH; i++)
			ok |= strlen(mechs[i].name) == len && !strncmp(p, mechs[i].name, len);
		if (!ok)
			die("unknown mechanism '%.*s' (see --help)", (int)len, p);
		p = e ? e + 1 : NULL;
	}

	pick_cpus();
	pin(cpu_a);
	uname(&u);
	printf("# machbench: %s %s, clock %s, %ld CPUs online, client CPU %d, cross-mode server CPU %d\n",
	       u.sysname, u.release, opt_label, sysconf(_SC_NPROCESSORS_ONLN), cpu_a, cpu_b);
	printf("# %d runs per row of N iterations (N=%ld; N/4 at 64K, N/32 at 1M, at least 10);"
	       " ns per operation; rt = send SIZE + minimal answer, 1way = per message streamed\n",
	       opt_runs, opt_iters);
	if (!binder_path())
		printf("# binder: skipped (no /dev/binder or binderfs)\n");
	no_mach = access("/dev/mach", R_OK | W_OK) != 0;
	if (no_mach)
		printf("# mach: skipped (no /dev/mach; load mach.ko)\n");
	fflush(stdout);

	for (int pass = 0; pass < 2; pass++) {
		const char *mode = pass ? "cross" : "same";
		int scpu = pass ? cpu_b : cpu_a;

		if (!in_list(modes, mode))
			continue;
		if (scpu < 0) {
			printf("# cross: skipped (only one CPU available)\n");
			continue;
		}
		for (size_t i = 0; i < NMECH; i++) {
			const struct mech *m = &mechs[i];

			if (mech_list && !in_list(mech_list, m->name))
				continue;
			if (m->mach && no_mach)
				continue;	/* noted in the header */
			if (!mech_list && !strcmp(m->name, "binder") && !binder_path())
				continue;	/* noted in the header */
			for (const size_t *s = m->sizes; *s != END; s++) {
				if (!size_wanted(size_list, *s))
					continue;
				if (m->setup == pset_setup) {
					for (size_t k = 0; k < 3; k++)
						measure(m, mode, scpu, *s, pset_members[k]);
				} else {
					measure(m, mode, scpu, *s, 0);
				}
			}
		}
	}
	compute_ratios();
	print_table();
	printf("\ntargets (ratios of medians, this run):\n");
	for (int pass = 0; pass < 2; pass++) {
		const char *mode = pass ? "cross" : "same";

		if (in_list(modes, mode) && (pass == 0 || cpu_b >= 0))
			print_targets(mode);
	}
	if (opt_csv)
		write_csv(opt_csv);
	return 0;
}
