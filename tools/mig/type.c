// SPDX-License-Identifier: GPL-2.0
/*
 * Types: the symbol table and the type constructors the grammar calls.
 *
 * A type spec is built inside out: "array[*:8] of int" starts from int's
 * type, copies it, and turns the copy into a variable array of 8 ints.
 * Each copy remembers what it was made from (element), which the writers
 * need to size arrays element by element.  The rules for which
 * combinations make sense, and how they travel (inline data, a port
 * descriptor, an out-of-line descriptor), are MIG's.
 */
#include <string.h>

#include "mig.h"

struct mtype *type_retcode, *type_ndr, *type_request_port;
struct mtype *type_zero_reply_port, *type_real_reply_port;
struct mtype *type_waittime, *type_msgoption;

static struct mtype *table;

static struct mtype *type_alloc(void)
{
	struct mtype *t = xcalloc(1, sizeof(*t));

	t->number = 1;
	t->inline_ = true;
	t->is_struct = true;
	t->decl_file = cur_file;
	t->decl_line = cur_line;
	return t;
}

struct mtype *type_lookup(const char *name)
{
	struct mtype *t;

	for (t = table; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

void type_insert(const char *name, struct mtype *t)
{
	t->name = name;
	t->next = table;
	table = t;
}

/*
 * Bytes the type takes and its padding.  Descriptors count 12 bytes each
 * here whatever their real size: only differences of these numbers are
 * ever used, and descriptors never vary.
 */
void type_sizes(struct mtype *t)
{
	if (!IS_KPD(t)) {
		uint64_t bytes = ((uint64_t)t->number * t->size + 7) / 8;

		if (bytes > MAX_TYPE_BYTES) {
			error("type too large (%llu bytes)", (unsigned long long)bytes);
			bytes = 4;
			t->number = 1;
			t->size = 32;
		}
		t->type_size = (unsigned)bytes;
		t->pad_size = (unsigned)((WORD_BYTES - bytes % WORD_BYTES) % WORD_BYTES);
		if (IS_VAR_INLINE(t))
			/* the count, and for strings the unused offset, are fixed */
			t->min_type_size = 4 + (t->string ? 4 : 0);
		else
			t->min_type_size = t->type_size + t->pad_size;
	} else {
		if (t->kpd_number > MAX_KPD) {
			error("too many descriptors in one type (%u)", t->kpd_number);
			t->kpd_number = 1;
		}
		t->type_size = 12 * (t->kpd_number > 1 ? t->kpd_number : 1);
		t->pad_size = 0;
		t->min_type_size = t->type_size;
	}
	if (t->type_size == 0 && !t->var_array)
		warn("type has size 0");
}

static void type_names(struct mtype *t)
{
	if (!t->in_str)
		t->in_str = xasprintf("%u", t->in_name);
	if (!t->out_str)
		t->out_str = xasprintf("%u", t->out_name);
	if (!t->user_type)
		t->user_type = t->name;
	if (!t->server_type)
		t->server_type = t->name;
	if (!t->trans_type)
		t->trans_type = t->server_type;
}

/* A type spec got its name (a type declaration, or "arg : name = spec"). */
void type_declared(const char *name, struct mtype *t)
{
	t->name = name;
	type_names(t);
	if (t->var_array) {
		if (t->intran || t->outtran)
			error("%s: can't translate variable-sized arrays", name);
		if (t->destructor)
			error("%s: can't destroy variable-sized array", name);
	}
}

struct mtype *type_short(unsigned in, const char *instr, unsigned out, const char *outstr,
			 unsigned bits)
{
	struct mtype *t;

	if (bits == 0)
		error("must use full IPC type decl (this form has no size)");
	t = type_alloc();
	t->in_name = in;
	t->in_str = instr;
	t->out_name = out;
	t->out_str = outstr;
	t->size = bits ? bits : 32;
	if (in == MT_STRING_C) {
		t->is_struct = false;
		t->string = true;
	}
	/* polymorphic types are port rights only */
	if (MT_IS_PORT(in) || in == MT_POLYMORPHIC) {
		t->port = true;
		t->kpd_number = 1;
	}
	type_sizes(t);
	return t;
}

static struct mtype *type_copy(struct mtype *old)
{
	struct mtype *t = type_alloc();

	*t = *old;
	t->name = NULL;
	t->next = NULL;
	t->element = old;
	t->decl_file = cur_file;
	t->decl_line = cur_line;
	return t;
}

/* A new type name gets none of the old one's C types and translations. */
struct mtype *type_reset(struct mtype *t)
{
	t->intran = t->outtran = t->destructor = NULL;
	t->user_type = t->server_type = t->trans_type = NULL;
	return t;
}

struct mtype *type_prev(const char *name)
{
	struct mtype *old = type_lookup(name);

	if (!old) {
		error("type '%s' not defined", name);
		old = type_short(MT_INTEGER_32, "MACH_MSG_TYPE_INTEGER_32", MT_INTEGER_32,
				 "MACH_MSG_TYPE_INTEGER_32", 32);
		type_declared(name, old);
	}
	return type_copy(old);
}

static unsigned mul_checked(unsigned a, unsigned b)
{
	uint64_t r = (uint64_t)a * b;

	if (r > MAX_TYPE_BYTES * 8ull) {
		error("array too large");
		return 1;
	}
	return (unsigned)r;
}

/* array[] of T, array[*] of T, array[*:n] of T */
struct mtype *type_var_array(unsigned n, struct mtype *old)
{
	struct mtype *t = type_reset(type_copy(old));

	if (!t->inline_) {
		/* a bounded array of out-of-line things: one descriptor each */
		if (t->kpd_number != 1 || n == 0)
			error("IPC type decl is too complicated for Kernel Processed Data");
		else
			t->kpd_number = mul_checked(t->kpd_number, n);
		t->number = 1;
		t->is_struct = false;
		t->ool_number = n;
	} else if (t->var_array) {
		error("IPC type decl is too complicated");
	} else if (n) {
		/* bounded: inline (ports: one descriptor each) */
		t->number = mul_checked(t->number, n);
		t->is_struct = false;
		if (t->port)
			t->kpd_number = mul_checked(t->kpd_number, n);
		t->ool_number = n;
	} else {
		/* unbounded: inline to C, out of line in the message */
		t->number = 0;
		t->mig_inline = true;
		t->inline_ = false;
		t->is_struct = true;
		t->kpd_number = 1;
		t->ool_number = 0;
	}
	t->var_array = true;
	t->string = false;
	type_sizes(t);
	return t;
}

/* array[n] of T */
struct mtype *type_array(unsigned n, struct mtype *old)
{
	struct mtype *t = type_reset(type_copy(old));

	if (n == 0)
		error("array bound must not be 0");
	if (!t->inline_) {
		if (t->kpd_number != 1)
			error("IPC type decl is too complicated for Kernel Processed Data");
		else
			t->kpd_number = mul_checked(t->kpd_number, n ? n : 1);
		t->number = 1;
		t->is_struct = false;
		t->string = false;
		t->var_array = false;
	} else if (t->var_array) {
		error("IPC type decl is too complicated");
	} else {
		t->number = mul_checked(t->number, n ? n : 1);
		t->is_struct = false;
		t->string = false;
		if (t->port)
			t->kpd_number = mul_checked(t->kpd_number, n ? n : 1);
	}
	type_sizes(t);
	return t;
}

/* ^T: out of line */
struct mtype *type_pointer(struct mtype *t)
{
	if (!t->inline_ && !t->mig_inline)
		error("IPC type decl is already defined to be Out-Of-Line");
	t->inline_ = false;
	t->is_struct = true;
	t->string = false;
	t->mig_inline = false;
	t->kpd_number = 1;
	type_sizes(t);
	return t;
}

/* struct[n] of T */
struct mtype *type_struct(unsigned n, struct mtype *old)
{
	struct mtype *t = type_reset(type_copy(old));

	if (n == 0)
		error("struct size must not be 0");
	if (!t->inline_ || t->var_array)
		error("IPC type decl is too complicated");
	t->number = mul_checked(t->number, n ? n : 1);
	t->is_struct = true;
	t->string = false;
	type_sizes(t);
	return t;
}

/* c_string[n] and c_string[*:n]: an array of n chars holding a C string */
struct mtype *type_cstring(unsigned n, bool varying)
{
	struct mtype *e, *t;

	if (n == 0)
		error("c_string size must not be 0");
	e = type_short(MT_STRING_C, "MACH_MSG_TYPE_STRING_C", MT_STRING_C,
		       "MACH_MSG_TYPE_STRING_C", 8);
	type_declared("char", e);
	t = type_reset(type_copy(e));
	t->number = n ? n : 1;
	t->var_array = varying;
	t->is_struct = false;
	t->string = true;
	type_sizes(t);
	return t;
}

static struct mtype *type_word(const char *name, unsigned in, const char *str)
{
	struct mtype *t = type_alloc();

	t->name = name;
	t->in_name = t->out_name = in;
	t->in_str = t->out_str = str;
	t->size = 32;
	type_sizes(t);
	type_names(t);
	return t;
}

struct mtype *type_count(void)
{
	return type_word("mach_msg_type_number_t", MT_INTEGER_32, "MACH_MSG_TYPE_INTEGER_32");
}

struct mtype *type_poly(void)
{
	return type_word("mach_msg_type_name_t", MT_INTEGER_32, "MACH_MSG_TYPE_INTEGER_32");
}

struct mtype *type_dealloc(void)
{
	return type_word("boolean_t", MT_BOOLEAN, "MACH_MSG_TYPE_BOOLEAN");
}

static struct mtype *type_port_word(const char *name, unsigned in, const char *instr,
				    unsigned out, const char *outstr)
{
	struct mtype *t = type_alloc();

	/* not marked as a port: these live in the header, never in a descriptor */
	t->name = name;
	t->in_name = in;
	t->in_str = instr;
	t->out_name = out;
	t->out_str = outstr;
	t->size = PORT_BITS;
	type_sizes(t);
	type_names(t);
	return t;
}

void types_init(void)
{
	table = NULL;
	type_retcode = type_word("kern_return_t", MT_INTEGER_32, "MACH_MSG_TYPE_INTEGER_32");
	type_ndr = type_alloc();
	type_ndr->name = "NDR_record_t";
	type_ndr->in_str = type_ndr->out_str = "NDR_record_t";
	type_ndr->size = 64;
	type_sizes(type_ndr);
	type_names(type_ndr);
	type_request_port = type_port_word("mach_port_t", MT_COPY_SEND, "MACH_MSG_TYPE_COPY_SEND",
					   MT_PORT_SEND, "MACH_MSG_TYPE_PORT_SEND");
	type_zero_reply_port = type_port_word("mach_port_t", 0, "0", 0, "0");
	type_real_reply_port = type_port_word("mach_port_t", MT_MAKE_SEND_ONCE,
					      "MACH_MSG_TYPE_MAKE_SEND_ONCE",
					      MT_PORT_SEND_ONCE, "MACH_MSG_TYPE_PORT_SEND_ONCE");
	type_waittime = type_count();
	type_msgoption = type_count();
}

/* ---- checks on the types of distinguished arguments ---- */

void type_check_request_port(const char *name, struct mtype *t)
{
	if ((t->out_name != MT_PORT_SEND && t->out_name != MT_PORT_SEND_ONCE &&
	     t->out_name != MT_POLYMORPHIC) || t->number != 1 || t->size != PORT_BITS ||
	    !t->inline_ || !t->is_struct || t->var_array)
		error("argument %s isn't a proper request port", name);
}

void type_check_reply_port(const char *name, struct mtype *t)
{
	if ((t->out_name != MT_PORT_SEND && t->out_name != MT_PORT_SEND_ONCE &&
	     t->out_name != MT_POLYMORPHIC && t->out_name != 0) || t->number != 1 ||
	    t->size != PORT_BITS || !t->inline_ || !t->is_struct || t->var_array)
		error("argument %s isn't a proper reply port", name);
}

void type_check_int(const char *name, struct mtype *t)
{
	if (t->in_name != MT_INTEGER_32 || t->out_name != MT_INTEGER_32 || t->number != 1 ||
	    t->size != 32 || !t->inline_ || !t->is_struct || t->var_array)
		error("argument %s isn't a proper integer", name);
}
