/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mig: the Mach Interface Generator of Mach IPC for Linux.
 *
 * One header for the whole compiler: the type and routine model that the
 * parser builds and the writers read, the global settings a .defs file and
 * the command line set, and the helpers every file uses.
 *
 * The model follows the MIG language as macOS defines it: a type has a
 * size in bits per element, a number of elements, and says whether it
 * travels inline or out of line, is a port, a C string, an assignable
 * struct or a variable array.  An argument has a role (a normal argument,
 * the request port, a count MIG adds for a variable array, ...) and a set
 * of property bits saying in which message it travels, on which side it
 * is a C parameter, and how the stubs move it.  The writers decide every
 * field and statement from those bits alone.
 */
#ifndef MIG_MIG_H
#define MIG_MIG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* ---- helpers (util.c) ---- */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xstrcat2(const char *a, const char *b);
void mig_free_all(void);

/* ---- diagnostics (error.c) ---- */
/* Where the lexer is: the file and line cpp's line markers name. */
extern const char *cur_file;
extern int cur_line;
extern int error_count;
extern bool be_quiet;
/* When set (the fuzz target), fatal errors longjmp here instead of exiting. */
#include <setjmp.h>
extern jmp_buf *mig_bail;

void error_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void warn_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ---- message type names (the values MIG's type specs use) ---- */
#define MT_UNSTRUCTURED	0
#define MT_BIT		0
#define MT_BOOLEAN	0
#define MT_INTEGER_16	1
#define MT_INTEGER_32	2
#define MT_INTEGER_64	3
#define MT_CHAR		8
#define MT_BYTE		9
#define MT_INTEGER_8	9
#define MT_REAL_32	10
#define MT_REAL_64	11
#define MT_STRING_C	12
#define MT_PORT_NAME	15
#define MT_MOVE_RECEIVE	16
#define MT_MOVE_SEND	17
#define MT_MOVE_SEND_ONCE 18
#define MT_COPY_SEND	19
#define MT_MAKE_SEND	20
#define MT_MAKE_SEND_ONCE 21
#define MT_PORT_RECEIVE	MT_MOVE_RECEIVE
#define MT_PORT_SEND	MT_MOVE_SEND
#define MT_PORT_SEND_ONCE MT_MOVE_SEND_ONCE
#define MT_POLYMORPHIC	0xffffffffu
#define MT_IS_PORT(x)	((x) >= MT_MOVE_RECEIVE && (x) <= MT_MAKE_SEND_ONCE)

/* Bits in a port (mach_port_t) and in natural_t: 32 on every target. */
#define PORT_BITS	32
#define WORD_BYTES	4

/* Limits that keep a hostile .defs from asking for absurd sizes. */
#define MAX_TYPE_BYTES	(64u << 20)
#define MAX_KPD		1024u

/* ---- types (type.c) ---- */
struct mtype {
	const char *name;		/* MIG name; NULL while anonymous */
	struct mtype *next;		/* symbol table */

	unsigned in_name, out_name;	/* msgt names when sent, received */
	const char *in_str, *out_str;	/* their spelling in generated code */
	unsigned size;			/* bits per element */
	unsigned number;		/* elements (maximum when variable) */
	unsigned kpd_number;		/* descriptors this type takes */
	unsigned ool_number;		/* bound of a bounded array of OOL/ports */

	bool inline_;			/* data in the message body */
	bool mig_inline;		/* array[]: inline to C, out of line on the wire */
	bool port;			/* a port right (or array of them) */
	bool is_struct;			/* assignable with '=' */
	bool string;			/* C string (c_string) */
	bool var_array;			/* variable number of elements */
	bool no_opt_array;		/* copy element by element */

	struct mtype *element;		/* what this type was made from */

	const char *user_type;		/* C type on the user side */
	const char *server_type;	/* C type in server messages */
	const char *trans_type;		/* C type the server routine sees */
	const char *intran, *outtran, *destructor;

	const char *kpd_type;		/* descriptor C type, once known */

	/* derived by type_sizes() */
	unsigned type_size;		/* bytes of data (descriptors: 12 each) */
	unsigned pad_size;		/* padding after it to 4 bytes */
	unsigned min_type_size;		/* smallest room it takes in a message */

	const char *decl_file;		/* where it was declared, for messages */
	int decl_line;
};

#define IS_VAR_INLINE(t)	((t)->var_array && (t)->inline_ && !(t)->port)
#define IS_KPD(t)		(!(t)->inline_ || (t)->port)
#define IS_MULTI_KPD(t)		((t)->kpd_number > 1)

extern struct mtype *type_retcode, *type_ndr, *type_request_port;
extern struct mtype *type_zero_reply_port, *type_real_reply_port;
extern struct mtype *type_waittime, *type_msgoption;

void types_init(void);
struct mtype *type_lookup(const char *name);
void type_insert(const char *name, struct mtype *t);
void type_declared(const char *name, struct mtype *t);
struct mtype *type_short(unsigned in, const char *instr, unsigned out, const char *outstr,
			 unsigned bits);
struct mtype *type_prev(const char *name);
struct mtype *type_reset(struct mtype *t);
struct mtype *type_var_array(unsigned n, struct mtype *t);
struct mtype *type_array(unsigned n, struct mtype *t);
struct mtype *type_pointer(struct mtype *t);
struct mtype *type_struct(unsigned n, struct mtype *t);
struct mtype *type_cstring(unsigned n, bool varying);
struct mtype *type_count(void);
struct mtype *type_poly(void);
struct mtype *type_dealloc(void);
void type_sizes(struct mtype *t);
void type_check_request_port(const char *name, struct mtype *t);
void type_check_reply_port(const char *name, struct mtype *t);
void type_check_int(const char *name, struct mtype *t);

/* ---- arguments and routines (routine.c) ---- */

/* An argument's role: what it stands for. */
enum arg_role {
	R_NONE,
	R_NORMAL,		/* a user-declared in/out/inout argument */
	R_REQUEST_PORT,
	R_WAIT_TIME,
	R_REPLY_PORT,
	R_MSG_OPTION,
	R_MSG_SEQNO,
	R_RETCODE,
	R_NDR,
	R_COUNT,		/* element count MIG adds for a variable array */
	R_POLY,			/* disposition MIG adds for a polymorphic port */
	R_DEALLOC,		/* deallocate flag MIG adds for dealloc[] */
	R_COUNT_INOUT,		/* the count sent in the request for countinout */
	R_SAME_COUNT,		/* samecount: shares an earlier argument's count */
	R_SECTOKEN,
	R_AUDITTOKEN,
	R_CONTEXTTOKEN,
	R_SEND_TIME,
};

/* Property bits (above the low byte, where the parser passes the role). */
#define B_REQUEST	(1ull << 8)	/* has a field in the request */
#define B_REPLY		(1ull << 9)	/* has a field in the reply */
#define B_USERARG	(1ull << 10)	/* a parameter of the user stub */
#define B_SERVERARG	(1ull << 11)	/* a parameter of the server routine */
#define B_SEND		(1ull << 12)	/* value travels in the request */
#define B_SENDBODY	(1ull << 13)	/* ... in the request's data */
#define B_SENDSND	(1ull << 14)	/* the user stub packs it */
#define B_SENDRCV	(1ull << 15)	/* the server stub unpacks it */
#define B_RETURN	(1ull << 16)	/* value travels in the reply */
#define B_RETURNBODY	(1ull << 17)
#define B_RETURNSND	(1ull << 18)	/* the server stub packs it */
#define B_RETURNRCV	(1ull << 19)	/* the user stub unpacks it */
#define B_RETURNNDR	(1ull << 20)
#define B_REPLYINIT	(1ull << 21)	/* the server stub sets it itself (NDR) */
#define B_REPLYCOPY	(1ull << 22)	/* copied from request to reply (inout) */
#define B_VARNEEDED	(1ull << 23)	/* needs a local variable in the server */
#define B_DESTROY	(1ull << 24)	/* server destroys it after the call */
#define B_VARIABLE	(1ull << 25)	/* variable-sized inline data */
#define B_SENDNDR	(1ull << 26)
#define B_SENDKPD	(1ull << 27)	/* a descriptor in the request */
#define B_RETURNKPD	(1ull << 28)	/* a descriptor in the reply */
#define B_USERIMPLICIT	(1ull << 29)	/* from the reply's trailer */
#define B_SERVERIMPLICIT (1ull << 30)	/* from the request's trailer */
#define B_OVERWRITE	(1ull << 31)	/* an entry of the overwrite template */

#define B_SENDBITS	(B_SEND | B_SENDBODY | B_SENDSND | B_SENDRCV)
#define B_RETURNBITS	(B_RETURN | B_RETURNBODY | B_RETURNSND | B_RETURNRCV)

/* Flags written after an argument's type. */
#define F_PHYSICALCOPY	(1u << 0)
#define F_OVERWRITE	(1u << 1)
#define F_DEALLOC	(1u << 2)
#define F_NOTDEALLOC	(1u << 3)
#define F_MAYBEDEALLOC	(1u << 4)	/* dealloc[] */
#define F_SAMECOUNT	(1u << 5)
#define F_COUNTINOUT	(1u << 6)
#define F_RETCODE	(1u << 7)
#define F_AUTO		(1u << 8)
#define F_CONST		(1u << 9)

enum dealloc { D_NO, D_YES, D_MAYBE };

/* Descriptor kinds, as mach_msg_descriptor_type_t numbers them. */
enum kpd_kind { KPD_NONE = -1, KPD_PORT = 0, KPD_OOL = 1, KPD_OOL_PORTS = 2 };

struct routine;

struct arg {
	const char *name;		/* as declared */
	struct arg *next;
	enum arg_role role;
	uint64_t bits;
	struct mtype *type;
	enum kpd_kind kpd;

	const char *var_name;		/* C parameter / local name */
	const char *msg_field;		/* field in the message struct */
	const char *tt_name;		/* static template name */
	const char *pad_name;		/* padding field name */
	const char *suffix;		/* field + ".name"/".address"/... for descriptors */

	unsigned flags;
	enum dealloc dealloc;
	bool count_inout;

	struct routine *routine;
	struct arg *count;		/* our count argument */
	struct arg *cinout;		/* our countinout argument */
	struct arg *poly;		/* our disposition argument */
	struct arg *dealloc_arg;	/* our dealloc[] argument */
	struct arg *same_count;		/* the argument whose count we share */
	struct arg *parent;		/* for implicit arguments: whose */
	unsigned multiplier;		/* count scale: elements per count unit */

	unsigned request_pos, reply_pos; /* variable fields before this one */
	bool by_ref_user, by_ref_server;
	bool temp_on_stack;

	const char *decl_file;
	int decl_line;
};

struct routine {
	const char *name;
	bool simple;			/* simpleroutine */
	struct arg *args;
	unsigned number;		/* index in the subsystem */

	const char *user_name, *server_name;

	bool oneway;
	bool simple_request, simple_reply;
	unsigned consume_on_send_error;

	unsigned num_request_var, num_reply_var;
	unsigned max_request_pos, max_reply_pos;
	unsigned request_kpds, reply_kpds;
	unsigned overwrite, overwrite_kpds;
	bool no_reply_args;
	bool request_fits, reply_fits;
	unsigned server_impl, user_impl;

	struct arg *retc_arg;		/* the argument flagged RetCode */
	struct arg *request_port;
	struct arg *reply_port;
	struct arg *retcode;
	struct arg *ndr;
	struct arg *wait_time;
	struct arg *msg_option;

	unsigned temp_bytes_on_stack;

	const char *decl_file;
	int decl_line;
};

#define ROLE(a)		((a)->role)
#define HAS(a, m)	(((a)->bits & (m)) != 0)
#define HAS_ALL(a, m)	(((a)->bits & (m)) == (m))
#define IS_IN(a)	((a)->role == R_NORMAL && HAS(a, B_REQUEST))
#define IS_OUT(a)	((a)->role == R_NORMAL && HAS(a, B_REPLY))
#define MESS_ON_STACK(rt) ((rt)->request_fits && (rt)->reply_fits)

extern unsigned rt_count;		/* routines and skips so far */

struct arg *arg_new(void);
struct routine *routine_new(const char *name, bool simple, struct arg *args);
void routine_skip(void);
void routine_check(struct routine *rt);
bool args_any_all(const struct arg *args, uint64_t mask);
unsigned args_count_kpd(const struct arg *args, uint64_t mask);
void print_min_size(FILE *f, const struct routine *rt, uint64_t mask, const char *type);

/* ---- statements ---- */
enum stmt_kind { S_ROUTINE, S_IMPORT, S_UIMPORT, S_SIMPORT, S_DIMPORT, S_IIMPORT };

struct stmt {
	enum stmt_kind kind;
	struct stmt *next;
	struct routine *routine;
	const char *file_name;		/* <x.h> or "x.h", as written */
};

extern struct stmt *stmts;
void stmt_add(enum stmt_kind kind, struct routine *rt, const char *file_name);

/* ---- settings: the .defs file's and the command line's ---- */
enum { CONSUME_NONE, CONSUME_TIMEOUT, CONSUME_ANY };

struct settings {
	const char *subsystem;		/* name; NULL until declared */
	unsigned base;
	bool kernel_user, kernel_server;
	const char *msg_option;		/* global MsgOption, NULL for none */
	const char *wait_time, *send_time;
	const char *server_prefix, *user_prefix;
	const char *server_demux;
	const char *server_subsys;	/* <serverprefix><subsystem>_subsystem */
	const char *rcsid;
	unsigned consume_on_send_error;
	bool has_consume_on_send_error;
	long max_on_stack;		/* -maxonstack; -1 for unlimited */
	long user_type_limit;

	/* command line */
	bool split;
	bool vouchers;
	const char *user_file, *header_file, *server_file;
	const char *sheader_file, *iheader_file, *dheader_file;
	const char *cmdline;		/* for the identification comment */
};
extern struct settings S;

/* ---- the lexer/parser (lexer.l, parser.y) ---- */
int mig_yylex(void);
int mig_yyparse(void);
void lexer_reset(FILE *in);
void lexer_free(void);
void parse_finish(void);

/* ---- writers ---- */
void write_user_header(FILE *f);
void write_server_header(FILE *f);
void write_internal_header(FILE *f);
void write_defines_header(FILE *f);
void write_user(FILE *f);
void write_user_routine_file(FILE *f, const struct routine *rt);
void write_server(FILE *f);

/* shared by the writers (write_common.c) */
void w_ident(FILE *f);
void w_std_includes(FILE *f, bool isuser, bool split_defs);
void w_bogus_defines(FILE *f);
void w_appl_defaults(FILE *f, const char *dir);
void w_appl_macro(FILE *f, const char *dir, const char *when, const struct routine *rt);
void w_import(FILE *f, const char *file);
void w_impl_imports(FILE *f, bool isuser);
void w_list(FILE *f, const struct arg *args, void (*fn)(FILE *, const struct arg *),
	    uint64_t mask, const char *between, const char *after);
void w_user_var_decl(FILE *f, const struct arg *a);
void w_server_var_decl(FILE *f, const struct arg *a);
void w_name(FILE *f, const struct arg *a);
void w_struct_decl(FILE *f, const struct arg *args, void (*fn)(FILE *, const struct arg *),
		   uint64_t mask, const char *name, bool simple, bool trailer,
		   bool max_trailer, bool template_only);
void w_field_prim(FILE *f, const struct arg *a, bool user);
void w_field_user(FILE *f, const struct arg *a);
void w_field_server(FILE *f, const struct arg *a);
void w_request_types(FILE *f);
void w_reply_types(FILE *f);
void w_server_request_union(FILE *f);
void w_server_reply_union(FILE *f);
void w_server_routine_decl(FILE *f, const struct routine *rt);
void w_server_annotation(FILE *f);
void w_copy_type(FILE *f, const struct mtype *t, bool zerofill, const char *left,
		 const char *right);
void w_trailer_head(FILE *f, bool isuser);
void w_trailer_size(FILE *f, bool isuser, const struct arg *a);
const char *routine_kind_str(const struct routine *rt);
const char *kpd_c_type(const struct arg *a);
bool any_routines(void);

#endif /* MIG_MIG_H */
