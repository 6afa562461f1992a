// SPDX-License-Identifier: GPL-2.0
/*
 * machbench's binder row: the other kernel RPC Linux has, written against
 * the uapi <linux/android/binder.h> alone (no libbinder).
 *
 * The client sends a BC_TRANSACTION of SIZE bytes to handle 0 (the context
 * manager) and waits for BR_REPLY; the server, which is the context
 * manager, answers each BR_TRANSACTION with BC_FREE_BUFFER + an empty
 * BC_REPLY in the same BINDER_WRITE_READ that waits for the next request.
 *
 * The server is a forked process, not a thread: binder refuses a
 * transaction to the context manager from the process that owns it (it
 * compares process ids, so a second open() in the same process does not
 * help).  The forked server pins itself to the row's server CPU, as the
 * other rows' server threads do; unlike them, each switch between client
 * and server also switches address spaces.
 */
#include "machbench.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/android/binder.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define CODE_REQ	1
#define CODE_STOP	2

/* The receiver's buffer is its mmap; binder maps at most 4 MiB. */
#define SERVER_MAP	(4 * MIB)
#define CLIENT_MAP	(128 * KIB)	/* only empty replies land here */

struct binder_ctx {
	int fd;
	void *map;
	pid_t server;
	binder_uintptr_t reply_buf;	/* client: last reply's buffer, freed with the next request */
	bool have_reply_buf;
};

/* Commands are a u32 code followed by its payload, packed. */
struct cmdbuf {
	unsigned char b[256];
	size_t n;
};

static void put(struct cmdbuf *w, uint32_t cmd, const void *arg, size_t len)
{
	if (w->n + sizeof(cmd) + len > sizeof(w->b))
		die("binder: command buffer full");
	memcpy(w->b + w->n, &cmd, sizeof(cmd));
	memcpy(w->b + w->n + sizeof(cmd), arg, len);
	w->n += sizeof(cmd) + len;
}

const char *binder_path(void)
{
	static const char *const paths[] = {
		"/dev/binder", "/dev/binderfs/binder", "/dev/binderfs/machbench",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], R_OK | W_OK) == 0)
			return paths[i];
	return NULL;
}

/* Open and map; NULL with errno set on failure. */
static void *binder_open_map(int *fd, size_t len)
{
	struct binder_version v = { 0 };
	void *map;

	*fd = open(binder_path(), O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return NULL;
	if (ioctl(*fd, BINDER_VERSION, &v) ||
	    v.protocol_version != BINDER_CURRENT_PROTOCOL_VERSION) {
		close(*fd);
		errno = EPROTO;
		return NULL;
	}
	/* binder refuses writable mappings: the process only reads them. */
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, *fd, 0);
	if (map == MAP_FAILED) {
		int e = errno;

		close(*fd);
		errno = e;
		return NULL;
	}
	return map;
}

static void write_read(int fd, struct binder_write_read *bwr, const char *who)
{
	while (ioctl(fd, BINDER_WRITE_READ, bwr) < 0)
		if (errno != EINTR)
			die("binder %s: BINDER_WRITE_READ: %s", who, strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Server (a child process)                                             */

static void server_fail(int ready, const char *what)
{
	char msg[100];
	int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errno));

	if (write(ready, msg, (size_t)n) < 0)
		_exit(3);
	_exit(3);
}

/*
 * Become the context manager.  The previous row's server has exited, but
 * binder releases its node from a workqueue after the file is closed, so
 * EBUSY for a short while is expected.
 */
static int set_context_mgr(int fd)
{
	for (int i = 0; i < 500; i++) {
		if (ioctl(fd, BINDER_SET_CONTEXT_MGR, 0) == 0)
			return 0;
		if (errno != EBUSY)
			return -1;
		usleep(10000);
	}
	return -1;
}

/* Returns the exit status: 0 if every request carried what was sent. */
static int serve(struct ctx *c, int fd)
{
	uint32_t rbuf[128];
	struct cmdbuf w = { .n = 0 };
	unsigned long reqs = 0, bad = 0;
	bool stop = false;
	size_t want = c->size;

	put(&w, BC_ENTER_LOOPER, NULL, 0);
	for (;;) {
		struct binder_write_read bwr = {
			.write_size = w.n,
			.write_buffer = (binder_uintptr_t)w.b,
			.read_size = sizeof(rbuf),
			.read_buffer = (binder_uintptr_t)rbuf,
		};
		unsigned char *p = (unsigned char *)rbuf, *end;
		bool stop_sent = stop;	/* this call carries the reply to STOP */

		write_read(fd, &bwr, "server");
		if (bwr.write_consumed != w.n)
			die("binder server: wrote %llu of %zu bytes",
			    (unsigned long long)bwr.write_consumed, w.n);
		w.n = 0;
		end = p + bwr.read_consumed;
		while (p < end) {
			uint32_t cmd;

			memcpy(&cmd, p, sizeof(cmd));
			p += sizeof(cmd);
			if (cmd == BR_TRANSACTION) {
				struct binder_transaction_data tr, reply = { 0 };
				const unsigned char *d;

				memcpy(&tr, p, sizeof(tr));
				d = (const unsigned char *)(uintptr_t)tr.data.ptr.buffer;
				if (tr.code == CODE_STOP) {
					stop = true;
				} else {
					reqs++;
					/* machbench's buffers are filled with 0x5a. */
					if (tr.code != CODE_REQ || tr.data_size != want ||
					    (want && (d[0] != 0x5a || d[want - 1] != 0x5a)))
						bad++;
				}
				put(&w, BC_FREE_BUFFER, &tr.data.ptr.buffer,
				    sizeof(tr.data.ptr.buffer));
				put(&w, BC_REPLY, &reply, sizeof(reply));
			} else if (cmd == BR_INCREFS || cmd == BR_ACQUIRE) {
				/* Not expected for the context manager's node, whose
				 * references binder takes itself; answer anyway. */
				struct binder_ptr_cookie pc;

				memcpy(&pc, p, sizeof(pc));
				put(&w, cmd == BR_INCREFS ? BC_INCREFS_DONE : BC_ACQUIRE_DONE,
				    &pc, sizeof(pc));
			} else if (cmd == BR_TRANSACTION_COMPLETE && stop_sent) {
				/* Read, so that binder does not drop it at exit. */
				return reqs && !bad ? 0 : 1;
			} else if (cmd != BR_NOOP && cmd != BR_TRANSACTION_COMPLETE &&
				   cmd != BR_SPAWN_LOOPER && cmd != BR_RELEASE &&
				   cmd != BR_DECREFS) {
				fprintf(stderr, "machbench: binder server: unexpected 0x%x\n", cmd);
				return 1;
			}
			p += _IOC_SIZE(cmd);
		}
	}
}

static void server_process(struct ctx *c, int ready)
{
	uint32_t zero = 0;
	int fd;

	pin(c->server_cpu);
	if (!binder_open_map(&fd, SERVER_MAP))
		server_fail(ready, "open/mmap");
	/* No BR_SPAWN_LOOPER: the one thread answers everything. */
	if (ioctl(fd, BINDER_SET_MAX_THREADS, &zero))
		server_fail(ready, "BINDER_SET_MAX_THREADS");
	if (set_context_mgr(fd))
		server_fail(ready, "BINDER_SET_CONTEXT_MGR");
	if (write(ready, "", 1) != 1)
		_exit(3);
	close(ready);
	_exit(serve(c, fd));
}

/* ------------------------------------------------------------------ */
/* Client                                                               */

static int binder_setup(struct ctx *c)
{
	struct binder_ctx *b;
	char msg[100];
	int ready[2];
	ssize_t n;

	if (!binder_path()) {
		snprintf(c->note, sizeof(c->note), "no /dev/binder or binderfs");
		return 1;
	}
	if (c->size + 4096 > SERVER_MAP) {
		snprintf(c->note, sizeof(c->note), "larger than binder's 4 MiB buffer");
		return 1;
	}
	b = calloc(1, sizeof(*b));
	if (!b || pipe2(ready, O_CLOEXEC))
		die("binder setup: %s", strerror(errno));
	c->binder = b;
	fflush(NULL);
	b->server = fork();
	if (b->server < 0)
		die("fork: %s", strerror(errno));
	if (b->server == 0) {
		close(ready[0]);
		server_process(c, ready[1]);
	}
	close(ready[1]);
	n = read(ready[0], msg, sizeof(msg) - 1);
	close(ready[0]);
	if (n != 1 || msg[0]) {
		msg[n > 0 ? n : 0] = 0;
		snprintf(c->note, sizeof(c->note), "binder server: %s",
			 n > 0 ? msg : "died before it was ready");
		waitpid(b->server, NULL, 0);
		free(b);
		c->binder = NULL;
		return 1;
	}
	b->map = binder_open_map(&b->fd, CLIENT_MAP);
	if (!b->map)
		die("binder client: open/mmap %s: %s", binder_path(), strerror(errno));
	return 0;
}

/* One transaction to the context manager; returns when its reply is in. */
static void transact(struct ctx *c, uint32_t code)
{
	struct binder_ctx *b = c->binder;
	struct binder_transaction_data tr = {
		.target.handle = 0,
		.code = code,
		.data_size = code == CODE_REQ ? c->size : 0,
		.data.ptr.buffer = (binder_uintptr_t)c->cbuf,
	};
	struct cmdbuf w = { .n = 0 };
	uint32_t rbuf[64];
	bool done = false;

	/* Free the previous reply in the same call: one ioctl per round trip. */
	if (b->have_reply_buf)
		put(&w, BC_FREE_BUFFER, &b->reply_buf, sizeof(b->reply_buf));
	b->have_reply_buf = false;
	put(&w, BC_TRANSACTION, &tr, sizeof(tr));
	while (!done) {
		struct binder_write_read bwr = {
			.write_size = w.n,
			.write_buffer = (binder_uintptr_t)w.b,
			.read_size = sizeof(rbuf),
			.read_buffer = (binder_uintptr_t)rbuf,
		};
		unsigned char *p = (unsigned char *)rbuf, *end;

		write_read(b->fd, &bwr, "client");
		if (bwr.write_consumed != w.n)
			die("binder client: wrote %llu of %zu bytes",
			    (unsigned long long)bwr.write_consumed, w.n);
		w.n = 0;
		end = p + bwr.read_consumed;
		while (p < end) {
			uint32_t cmd;

			memcpy(&cmd, p, sizeof(cmd));
			p += sizeof(cmd);
			if (cmd == BR_REPLY) {
				struct binder_transaction_data r;

				memcpy(&r, p, sizeof(r));
				if (r.data_size)
					die("binder client: a %llu-byte reply",
					    (unsigned long long)r.data_size);
				b->reply_buf = r.data.ptr.buffer;
				b->have_reply_buf = true;
				done = true;
			} else if (cmd == BR_DEAD_REPLY || cmd == BR_FAILED_REPLY ||
				   cmd == BR_FROZEN_REPLY || cmd == BR_ERROR) {
				die("binder client: transaction failed (0x%x)", cmd);
			} else if (cmd != BR_NOOP && cmd != BR_TRANSACTION_COMPLETE) {
				die("binder client: unexpected 0x%x", cmd);
			}
			p += _IOC_SIZE(cmd);
		}
	}
}

static void binder_client(struct ctx *c, long iters)
{
	for (long i = 0; i < iters; i++)
		transact(c, CODE_REQ);
}

static void binder_stop(struct ctx *c)
{
	transact(c, CODE_STOP);
}

static void binder_teardown(struct ctx *c)
{
	struct binder_ctx *b = c->binder;
	int st;

	if (b->have_reply_buf) {
		struct cmdbuf w = { .n = 0 };
		struct binder_write_read bwr = { 0 };

		put(&w, BC_FREE_BUFFER, &b->reply_buf, sizeof(b->reply_buf));
		bwr.write_size = w.n;
		bwr.write_buffer = (binder_uintptr_t)w.b;
		write_read(b->fd, &bwr, "client");
	}
	munmap(b->map, CLIENT_MAP);
	close(b->fd);
	if (waitpid(b->server, &st, 0) != b->server)
		die("binder: waitpid: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("binder server: %s %d (a request arrived with the wrong size or bytes)",
		    WIFEXITED(st) ? "exit status" : "signal",
		    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	free(b);
	c->binder = NULL;
}

const struct mech mech_binder = {
	"binder", "rt", "binder transaction to the context manager, empty reply (server: a process)",
	false, binder_setup, NULL, binder_client, binder_stop, binder_teardown, sz_all, NULL, false
};
