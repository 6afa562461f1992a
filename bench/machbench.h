/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machbench: what the measurement loop (machbench.c) shares with the
 * mechanisms it measures (mech_linux.c, mech_mach.c, mech_binder.c) and
 * with the scale and memory rows (scale.c).
 */
#ifndef MACHBENCH_H
#define MACHBENCH_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <mqueue.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mach/mach.h>

#define KIB		1024ul
#define MIB		(1024ul * 1024ul)
#define MAX_SIZE	MIB
#define END		SIZE_MAX	/* ends a list of sizes */

/* msgh_id of the Mach requests */
#define ID_REQ		0x6d620001
#define ID_SYNC		0x6d620002
#define ID_STOP		0x6d620003

struct ctx;

struct mech {
	const char *name;
	const char *kind;		/* "rt", "1way" or "mem" */
	const char *what;		/* one line for --help */
	bool mach;			/* needs /dev/mach */
	/* 0: ready; 1: skip this row (ctx->note says why). */
	int (*setup)(struct ctx *c);
	/* Runs in a thread pinned to the server CPU; NULL: setup started
	 * a server of its own (binder needs another process). */
	void (*server)(struct ctx *c);
	void (*client)(struct ctx *c, long iters);
	void (*stop)(struct ctx *c);	/* make the server return */
	void (*teardown)(struct ctx *c);
	const size_t *sizes;		/* ends with END */
	/* One row per value (0-terminated), in ctx->variant and the row's
	 * name: port-set members, names in the space.  NULL: one row. */
	const unsigned int *variants;
	/* Measure in a forked process: a new IPC space, whose name table
	 * earlier rows have not grown (a table never shrinks). */
	bool fresh_space;
};

struct ctx {
	const struct mech *m;
	size_t size;
	unsigned int variant;		/* see struct mech */
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
	mach_port_t *extra;		/* name-scale rows: the padding rights */
	unsigned int nextra;

	pid_t server_pid;		/* pipe-proc, mach-rpc-proc: the server process */
	struct binder_ctx *binder;	/* mech_binder.c */
};

/* One line of the table and of the CSV. */
struct row {
	char mode[8];
	char mech[24];
	const char *kind;
	size_t size;
	long iters;
	int runs;
	double med, p10, p90;	/* ns per operation; "mem" rows: bytes per object */
	double ratio;		/* to the pipe row; 0: none */
	char note[160];		/* why the row was skipped; empty: measured */
	char info[160];		/* "mem" rows: how the figure was obtained */
};

/* machbench.c */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void *xalloc(size_t n);
void pin(int cpu);
long read_proc_long(const char *path, long dflt);
struct row *new_row(void);
const struct row *find_row(const char *mode, const char *mech, size_t size);
extern bool opt_quiet;

static inline size_t wire_size(const struct ctx *c)
{
	return c->size ? c->size : 1;
}

extern const size_t sz_all[], sz_msgq[], sz_ool[], sz_64[], sz_none[];

/* mech_linux.c */
extern const struct mech mech_pipe, mech_pipe_proc, mech_socket, mech_futex, mech_sysv,
	mech_sysv1, mech_pmq;

/* mech_mach.c */
extern const struct mech mech_mach_rpc, mech_mach_oneway, mech_mach_ool,
	mech_mach_ool_touch, mech_mach_pset, mech_mach_rpc_proc;
void kr_check(kern_return_t kr, const char *what);
void mach_check(mach_msg_return_t mr, const char *what);
mach_port_t new_port(bool send);
void set_qlimit(mach_port_t p, unsigned int q);
int mach_setup(struct ctx *c);
void mach_teardown(struct ctx *c);
void mach_server(struct ctx *c);
void mach_rpc_client(struct ctx *c, long iters);
void mach_stop(struct ctx *c);

/* mech_events.c */
extern const struct mech mech_mach_rpc_epoll, mech_mach_shm;

/* mech_binder.c */
extern const struct mech mech_binder;
const char *binder_path(void);

/* mech_floor.c */
extern const struct mech mech_null_syscall, mech_mach_null;

/* scale.c */
extern const struct mech mech_names, mech_mem;
void mem_rows(void);

#endif
