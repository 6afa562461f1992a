/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipcseq.h - sequences of /dev/mach operations, as the coverage-guided
 * fuzzer (kcov_fuzz) finds them and the corpus replay (corpus_replay)
 * runs them.  The text format is described in selftests/corpus/README.md;
 * in short, one operation a line:
 *
 *     ACTOR OP ARG... = RESULT
 *
 * ACTOR is 0 or 1, two processes with a space each that hold each other's
 * task port (`self`, `peer`); an ARG is a name an earlier operation
 * produced (`$3`, `$3.1`), a symbol of its kind (`receive`, `make_send`,
 * `robuf`, ...) or a number; RESULT is the code expected back, or `?`.
 * No pointer or address is ever written down: buffers are named by kind
 * and made afresh each run.
 */
#ifndef IPCSEQ_H
#define IPCSEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEQ_MAGIC	"# mach-ipc sequence v1"	/* a file's first line */
#define SEQ_MAX_OPS	48	/* operations in one sequence */
#define SEQ_MAX_ARGS	8	/* fixed arguments of one operation */
#define SEQ_MAX_DESC	4	/* descriptors of one message */
#define SEQ_MAX_OUT	5	/* names one operation gives (a receive: 5) */
#define SEQ_PORTS_MAX	4	/* names of one OOL-ports descriptor */

/* What an argument is; decides its symbols and how it is mutated. */
enum seq_cat {
	SC_NAME,	/* a port name in the actor's space */
	SC_RIGHT,	/* MACH_PORT_RIGHT_* */
	SC_DISP,	/* MACH_MSG_TYPE_* */
	SC_NOTIFY,	/* MACH_NOTIFY_* */
	SC_INT,		/* a number */
	SC_BUF,		/* a user buffer, by kind */
	SC_PID,		/* a process id */
	SC_NCAT
};

/* How a value is given. */
enum seq_vkind {
	SV_LIT,		/* the number 'lit' */
	SV_REF,		/* output 'out' of operation 'op' */
	SV_SELF,	/* the actor's mach_task_self() */
	SV_PEER,	/* the actor's name for the other actor's task port */
	SV_MYPID,	/* the actor's pid */
	SV_PEERPID,	/* the other actor's pid */
};

/* Buffer kinds (SC_BUF literals). */
enum { SB_OK, SB_RO, SB_NULL, SB_NONE, SB_NKINDS };

struct seq_val {
	uint8_t kind;	/* enum seq_vkind */
	uint8_t out;
	int16_t op;
	int64_t lit;
};

/* A descriptor of a message (the 'send' and 'rpc' operations). */
enum seq_dkind { SD_PORT, SD_OOL, SD_PORTS };

struct seq_desc {
	uint8_t kind;		/* enum seq_dkind */
	uint8_t disp;		/* port, ports */
	uint8_t copy;		/* ool: MACH_MSG_{PHYSICAL,VIRTUAL}_COPY */
	uint8_t dealloc;	/* ool, ports */
	uint8_t nports;		/* ports */
	uint32_t size;		/* ool bytes */
	struct seq_val names[SEQ_PORTS_MAX];	/* port: names[0] */
};

/* The result that a replay does not check. */
#define SEQ_ANY		INT64_MIN
/* The result of an operation of an actor that was killed. */
#define SEQ_GONE	(-3)	/* -ESRCH */

struct seq_op {
	uint8_t actor;
	uint8_t def;		/* index into seq_defs */
	uint8_t nargs;
	uint8_t ndesc;
	struct seq_val args[SEQ_MAX_ARGS];
	struct seq_desc desc[SEQ_MAX_DESC];
	int64_t expect;		/* SEQ_ANY when not checked */
};

struct seq {
	unsigned int n;
	struct seq_op ops[SEQ_MAX_OPS];
	char note[1024];	/* the comment lines before the first operation */
};

/* One operation's definition. */
struct seq_def {
	const char *name;
	unsigned long cmd;	/* the ioctl; 0 for the special ones */
	uint8_t special;	/* enum below */
	uint8_t argsize;	/* size of the ioctl's argument struct */
	uint8_t nargs;
	struct {
		uint8_t off;	/* in the argument struct; SEQ_OFF_WORD0: buffer word 0 */
		uint8_t size;	/* 4 or 8 */
		uint8_t cat;	/* enum seq_cat */
	} arg[SEQ_MAX_ARGS];
	int8_t out;		/* offset of the name it gives, or -1 */
	uint8_t weight;		/* how often the fuzzer picks it */
};

#define SEQ_OFF_WORD0	0xff	/* the argument is word 0 of the (ok) buffer */

enum { SP_NONE, SP_SEND, SP_RECV, SP_RPC, SP_KILL };

extern const struct seq_def seq_defs[];
extern const unsigned int seq_ndefs;

/* --- text ---------------------------------------------------------------- */

/*
 * Parse a whole file's text into 'seq'.  False with a message in 'err'
 * (file line number first) when it is not a valid sequence.
 */
bool seq_parse(const char *text, struct seq *seq, char *err, size_t errlen);
/* Write 'seq' as text (with results); the length, or -1 if 'len' is short. */
int seq_format(const struct seq *seq, char *buf, size_t len);
/* A code as the format writes it (KERN_SUCCESS, -EFAULT, 0x10000003...). */
const char *seq_code_name(int64_t code, char *buf, size_t len);

/* --- running ------------------------------------------------------------- */

/* Everything one run of a sequence produced, in memory both actors share. */
struct seq_result {
	int64_t ret[SEQ_MAX_OPS];		/* each operation's result */
	uint32_t out[SEQ_MAX_OPS][SEQ_MAX_OUT];	/* the names each gave */
	int status;				/* see seq_run() */
	/* KCOV edges of each operation (kcov_fuzz only) */
	uint32_t nedges;
	uint64_t edges[1 << 16];
};

/*
 * Hooks for coverage: called in each actor, around every operation it
 * runs.  NULL: none.
 */
struct seq_cov {
	void (*attach)(void);			/* once, in each actor */
	void (*before)(void);
	void (*after)(struct seq_result *r);	/* append edges to r */
};

/*
 * Run 'seq' in two fresh processes (each its own space), one operation at
 * a time, and fill 'r' (from shared memory).  Returns 0 when it ran to the
 * end; -1 when an actor process died unexpectedly (r->status: its wait
 * status) or an operation did not return within 'timeout_ms' (r->status
 * -1).  Needs root for the actors' task ports of each other (else `peer`
 * is MACH_PORT_NULL).
 */
int seq_run(const struct seq *seq, struct seq_result *r,
	    const struct seq_cov *cov, unsigned int timeout_ms);

/* A result the module may give (a documented code or a broken call). */
bool seq_code_allowed(int64_t code);

/* The shared-memory result block seq_run() fills (made once). */
struct seq_result *seq_result_alloc(void);

#endif /* IPCSEQ_H */
