// SPDX-License-Identifier: GPL-2.0
/*
 * Routines: from the arguments a .defs file declares to the full argument
 * list the stubs work with.
 *
 * MIG adds arguments of its own: the NDR record and the return code at the
 * front, a reply port after the request port, the message option and wait
 * time, and after each argument that needs them a disposition (polymorphic
 * ports), a count (variable arrays), a request-side count (countinout) and
 * a deallocate flag (dealloc[]).  Then each argument's property bits are
 * settled: whether it is a descriptor or data, whether it needs a local
 * variable in the server stub, whether it is passed by reference, and how
 * many variable-sized fields precede it (its "position": the stubs walk a
 * packed message with one pointer per position).  The rules are MIG's, so
 * that the messages are the ones macOS's mig makes from the same file.
 */
#include <string.h>

#include "mig.h"

unsigned rt_count;
struct stmt *stmts;
static struct stmt **stmt_tail = &stmts;
struct settings S;

struct arg *arg_new(void)
{
	struct arg *a = xcalloc(1, sizeof(*a));

	a->kpd = KPD_NONE;
	a->dealloc = D_NO;
	a->multiplier = 1;
	a->decl_file = cur_file;
	a->decl_line = cur_line;
	return a;
}

struct routine *routine_new(const char *name, bool simple, struct arg *args)
{
	struct routine *rt = xcalloc(1, sizeof(*rt));

	rt->name = name;
	rt->simple = simple;
	rt->args = args;
	rt->number = rt_count++;
	rt->decl_file = cur_file;
	rt->decl_line = cur_line;
	return rt;
}

void routine_skip(void)
{
	rt_count++;
}

void stmt_add(enum stmt_kind kind, struct routine *rt, const char *file_name)
{
	struct stmt *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->routine = rt;
	s->file_name = file_name;
	*stmt_tail = s;
	stmt_tail = &s->next;
}

void parse_finish(void)
{
	stmt_tail = &stmts;
}

const char *routine_kind_str(const struct routine *rt)
{
	return rt->simple ? "SimpleRoutine" : "Routine";
}

/* Some argument has every bit of mask. */
bool args_any_all(const struct arg *args, uint64_t mask)
{
	for (; args; args = args->next)
		if (HAS_ALL(args, mask))
			return true;
	return false;
}

unsigned args_count_kpd(const struct arg *args, uint64_t mask)
{
	unsigned n = 0;

	for (; args; args = args->next)
		if (HAS_ALL(args, mask))
			n += args->type->kpd_number;
	return n;
}

static unsigned args_count(const struct arg *args, uint64_t mask)
{
	unsigned n = 0;

	for (; args; args = args->next)
		if (HAS_ALL(args, mask))
			n++;
	return n;
}

static void insert_after(struct arg *a, struct arg *n)
{
	n->next = a->next;
	a->next = n;
	n->decl_file = a->decl_file;
	n->decl_line = a->decl_line;
}

static void add_front(struct routine *rt, struct arg *a)
{
	a->next = rt->args;
	rt->args = a;
	a->decl_file = rt->decl_file;
	a->decl_line = rt->decl_line;
}

/* ---- flags ---- */

static void process_dealloc_flag(struct arg *a)
{
	unsigned f = a->flags;
	struct mtype *t = a->type;

	if ((f & F_MAYBEDEALLOC) && (f & (F_DEALLOC | F_NOTDEALLOC))) {
		warn_at(a->decl_file, a->decl_line, "%s: Dealloc and NotDealloc ignored with Dealloc[]",
			a->name);
		f &= ~(F_DEALLOC | F_NOTDEALLOC);
	}
	if ((f & (F_DEALLOC | F_NOTDEALLOC)) == (F_DEALLOC | F_NOTDEALLOC)) {
		warn_at(a->decl_file, a->decl_line, "%s: Dealloc and NotDealloc cancel out", a->name);
		f &= ~(F_DEALLOC | F_NOTDEALLOC);
	}
	if (((S.kernel_server && HAS(a, B_RETURN)) || (S.kernel_user && HAS(a, B_SEND))) &&
	    (f & F_DEALLOC)) {
		/* the kernel side may set the bit on inline data too */
		a->dealloc = D_YES;
	} else if (f & (F_MAYBEDEALLOC | F_DEALLOC)) {
		if (t->inline_ && !t->port) {
			warn_at(a->decl_file, a->decl_line,
				"%s: Dealloc is ignored: it is meaningless for that type of argument",
				a->name);
			f &= ~(F_MAYBEDEALLOC | F_DEALLOC);
		} else {
			a->dealloc = (f & F_MAYBEDEALLOC) ? D_MAYBE : D_YES;
		}
	}
	a->flags = f;
}

static void process_count_inout_flag(struct arg *a)
{
	if (!(a->flags & F_COUNTINOUT))
		return;
	if (!HAS(a, B_REPLY)) {
		warn_at(a->decl_file, a->decl_line, "%s: CountInOut is ignored: argument must be Out",
			a->name);
		a->flags &= ~F_COUNTINOUT;
	} else if (!a->type->var_array || !a->type->inline_) {
		warn_at(a->decl_file, a->decl_line,
			"%s: CountInOut is ignored: argument isn't variable or in-line", a->name);
		a->flags &= ~F_COUNTINOUT;
	} else {
		a->count_inout = true;
	}
}

#define SAMECOUNT_MASK (B_SEND | B_RETURN | B_REQUEST | B_REPLY | B_USERARG | B_SERVERARG)

static void process_same_count_flag(struct arg *a, struct arg *prev)
{
	if (!(a->flags & F_SAMECOUNT))
		return;
	if (!a->type->var_array) {
		warn_at(a->decl_file, a->decl_line,
			"%s: SameCount is ignored - the argument is not variable", a->name);
		a->flags &= ~F_SAMECOUNT;
		return;
	}
	if (!prev) {
		error_at(a->decl_file, a->decl_line,
			 "%s: SameCount needs a variable argument before it", a->name);
		a->flags &= ~F_SAMECOUNT;
		return;
	}
	if (prev->parent)
		prev = prev->parent;
	if (prev->same_count)
		prev = prev->same_count;
	if (!prev->type || !prev->type->var_array) {
		warn_at(a->decl_file, a->decl_line,
			"%s: SameCount is ignored - adjacent argument is not variable", a->name);
		a->flags &= ~F_SAMECOUNT;
		return;
	}
	if (prev->role != a->role || (prev->bits & SAMECOUNT_MASK) != (a->bits & SAMECOUNT_MASK) ||
	    prev->count_inout != a->count_inout || prev->type->string || a->type->string) {
		warn_at(a->decl_file, a->decl_line,
			"%s: SameCount is ignored - inconsistencies with the adjacent argument", a->name);
		a->flags &= ~F_SAMECOUNT;
		return;
	}
	a->same_count = prev;
}

static void process_physical_copy_flag(struct arg *a)
{
	if (!(a->flags & F_PHYSICALCOPY))
		return;
	if (a->type->inline_) {
		warn_at(a->decl_file, a->decl_line,
			"%s: PhysicalCopy is ignored, argument copied inline anyway", a->name);
		a->flags &= ~F_PHYSICALCOPY;
	}
	if (a->type->port) {
		warn_at(a->decl_file, a->decl_line,
			"%s: PhysicalCopy is ignored, it does not apply to ports and array of ports",
			a->name);
		a->flags &= ~F_PHYSICALCOPY;
	}
}

static void process_retcode_flag(struct arg *a)
{
	if (a->flags & F_RETCODE) {
		error_at(a->decl_file, a->decl_line,
			 "%s: the RetCode flag is not supported by this mig", a->name);
		a->flags &= ~F_RETCODE;
	}
}

static void process_overwrite_flag(struct arg *a)
{
	struct mtype *t = a->type;

	if ((a->flags & F_OVERWRITE) &&
	    (t->inline_ || t->mig_inline || !HAS(a, B_RETURN) || HAS(a, B_SEND))) {
		warn_at(a->decl_file, a->decl_line, "%s: Overwrite is ignored - it must be Out AND Ool!",
			a->name);
		a->flags &= ~F_OVERWRITE;
	}
}

/* Variable-sized inline data, and the cases that need a server local. */
static void augment_kind(struct arg *a)
{
	struct mtype *t = a->type;

	if (IS_VAR_INLINE(t)) {
		if (HAS_ALL(a, B_REQUEST | B_REPLY))
			error_at(a->decl_file, a->decl_line,
				 "%s: Inline variable-sized arguments can't be InOut", a->name);
		a->bits |= B_VARIABLE;
	}
	if ((t->outtran && HAS(a, B_RETURNSND)) ||
	    (t->intran && HAS_ALL(a, B_SENDRCV | B_RETURNSND)) ||
	    (t->destructor && HAS(a, B_SENDRCV) && !HAS(a, B_RETURNSND) && t->intran) ||
	    IS_MULTI_KPD(t) ||
	    (a->role == R_POLY && HAS(a, B_RETURNSND)) ||
	    (a->role == R_DEALLOC && HAS(a, B_RETURNSND))) {
		a->bits &= ~B_REPLYCOPY;
		a->bits |= B_VARNEEDED;
	}
}

/* ---- implicit arguments ---- */

static void add_dealloc_arg(struct arg *a)
{
	struct arg *d = arg_new();

	d->name = xstrcat2(a->name, "Dealloc");
	d->type = type_dealloc();
	d->parent = a;
	insert_after(a, d);
	a->dealloc_arg = d;
	d->role = R_DEALLOC;
	if (HAS(a, B_SEND))
		d->bits |= a->bits & (B_USERARG | B_SEND | B_SENDSND);
	if (HAS(a, B_RETURN)) {
		d->bits |= a->bits & (B_SERVERARG | B_RETURN | B_RETURNSND);
		d->by_ref_server = true;
	}
}

static void add_count_arg(struct arg *a)
{
	struct mtype *t = a->type;
	struct arg *c, *master;

	if (IS_MULTI_KPD(t) && t->element->var_array) {
		error_at(a->decl_file, a->decl_line,
			 "%s: arrays of variable-sized out-of-line arrays are not supported", a->name);
		return;
	}
	c = arg_new();
	c->name = xstrcat2(a->name, "Cnt");
	c->type = type_count();
	c->role = R_COUNT;
	a->count = c;
	if (a->parent)
		a->parent->count = c;
	master = a->parent ? a->parent : a;
	c->multiplier = IS_MULTI_KPD(master->type) ? 1 : t->element->number;
	if (c->multiplier == 0)
		c->multiplier = 1;
	c->parent = a;
	insert_after(a, c);
	if (t->string) {
		/* a C string has no count parameter, but the count is in the message */
		c->bits |= HAS(a, B_SEND) ? B_SENDRCV : B_RETURNRCV;
		c->var_name = NULL;
	} else {
		c->bits |= B_USERARG | B_SERVERARG | a->bits;
		c->bits &= ~(B_VARIABLE | B_VARNEEDED);
		/* an inline array declares its count itself, just before its data */
		if (IS_VAR_INLINE(t))
			c->bits &= ~(B_REQUEST | B_REPLY);
	}
}

static void add_count_inout_arg(struct arg *a)
{
	struct arg *c = arg_new();

	/* same name as the count: the user sees one variable */
	c->name = xstrcat2(a->name, "Cnt");
	c->type = type_count();
	insert_after(a, c);
	c->cinout = a->count;
	a->count->cinout = c;
	c->role = R_COUNT_INOUT;
	c->bits = B_REQUEST | B_SENDBITS;
}

static void add_poly_arg(struct arg *a)
{
	struct mtype *t = a->type;
	struct arg *p = arg_new();
	uint64_t send = B_SEND, ret = B_RETURN;

	p->name = xstrcat2(a->name, "Poly");
	p->type = type_poly();
	p->parent = a;
	insert_after(a, p);
	a->poly = p;
	if (t->in_name == MT_POLYMORPHIC) {
		send |= B_USERARG | B_SENDSND;
		if (!S.kernel_server)
			ret |= B_SERVERARG | B_RETURNSND;
	}
	if (t->out_name == MT_POLYMORPHIC) {
		send |= B_SERVERARG | B_SENDRCV;
		ret |= B_USERARG | B_RETURNRCV;
		if (S.kernel_server)
			ret |= B_SERVERARG | B_RETURNSND;
	}
	p->role = R_POLY;
	if (HAS(a, B_SEND))
		p->bits |= a->bits & send;
	if (HAS(a, B_RETURN))
		p->bits |= a->bits & ret;
}

/* Ports and out-of-line data travel as descriptors, not as data. */
static void detect_kpd(struct arg *a)
{
	struct mtype *t = a->type;

	if (!IS_KPD(t))
		return;
	if (HAS(a, B_SENDBODY)) {
		a->bits &= ~B_SENDBODY;
		a->bits |= B_SENDKPD;
	}
	if (HAS(a, B_RETURNBODY)) {
		a->bits &= ~B_RETURNBODY;
		a->bits |= B_RETURNKPD;
	}
	if (t->inline_) {
		a->kpd = KPD_PORT;
		t->kpd_type = "mach_msg_port_descriptor_t";
	} else if (t->port) {
		a->kpd = KPD_OOL_PORTS;
		t->kpd_type = "mach_msg_ool_ports_descriptor_t";
	} else {
		a->kpd = KPD_OOL;
		t->kpd_type = "mach_msg_ool_descriptor_t";
	}
}

static void note_distinguished(struct routine *rt, struct arg *a)
{
	switch (a->role) {
	case R_REQUEST_PORT:
		if (rt->request_port)
			warn_at(a->decl_file, a->decl_line,
				"multiple RequestPort args in %s; %s won't be used", rt->name,
				rt->request_port->name);
		rt->request_port = a;
		break;
	case R_REPLY_PORT:
		if (rt->reply_port)
			warn_at(a->decl_file, a->decl_line,
				"multiple ReplyPort args in %s; %s won't be used", rt->name,
				rt->reply_port->name);
		rt->reply_port = a;
		break;
	case R_WAIT_TIME:
		if (rt->wait_time)
			warn_at(a->decl_file, a->decl_line,
				"multiple WaitTime/SendTime type args in %s; %s won't be used", rt->name,
				rt->wait_time->name);
		rt->wait_time = a;
		break;
	case R_SEND_TIME:
		if (rt->wait_time) {
			if (rt->wait_time->role == R_WAIT_TIME) {
				warn_at(a->decl_file, a->decl_line,
					"SendTime type argument after a WaitTime in %s; SendTime %s won't be used",
					rt->name, a->name);
				break;
			}
			warn_at(a->decl_file, a->decl_line, "multiple SendTime type args in %s; %s won't be used",
				rt->name, rt->wait_time->name);
		}
		rt->wait_time = a;
		break;
	case R_MSG_OPTION:
		if (rt->msg_option)
			warn_at(a->decl_file, a->decl_line,
				"multiple MsgOption args in %s; %s won't be used", rt->name,
				rt->msg_option->name);
		rt->msg_option = a;
		break;
	default:
		break;
	}
}

static void set_defaults(struct routine *rt, struct arg *a)
{
	a->routine = rt;
	if (!a->var_name)
		a->var_name = a->name;
	if (!a->msg_field) {
		switch (a->role) {
		case R_REQUEST_PORT:
			a->msg_field = "Head.msgh_request_port";
			break;
		case R_REPLY_PORT:
			a->msg_field = "Head.msgh_reply_port";
			break;
		case R_NDR:
			a->msg_field = "NDR";
			break;
		case R_SECTOKEN:
			a->msg_field = "msgh_sender";
			break;
		case R_AUDITTOKEN:
			a->msg_field = "msgh_audit";
			break;
		case R_CONTEXTTOKEN:
			a->msg_field = "msgh_context";
			break;
		case R_MSG_SEQNO:
			a->msg_field = "msgh_seqno";
			break;
		default:
			a->msg_field = a->name;
			break;
		}
	}
	a->tt_name = xstrcat2(a->name, "Template");
	a->pad_name = xstrcat2(a->name, "Pad");
	/* the request and reply ports' dispositions live in msgh_bits */
	if (rt->request_port && rt->request_port->poly == a && a->type) {
		a->msg_field = "Head.msgh_bits";
		a->type->intran = "MACH_MSGH_BITS_REQUEST";
	}
	if (rt->reply_port && rt->reply_port->poly == a && a->type) {
		a->msg_field = "Head.msgh_bits";
		a->type->intran = "MACH_MSGH_BITS_REPLY";
	}
}

static void check_args(struct routine *rt)
{
	struct arg *a, *prev = NULL;

	for (a = rt->args; a; a = a->next) {
		struct mtype *t = a->type;

		if (a->role == R_NONE) {
			if (!rt->request_port) {
				a->role = R_REQUEST_PORT;
				a->bits = B_USERARG | B_SERVERARG | B_SEND | B_SENDSND | B_SENDRCV;
			} else {
				a->role = R_NORMAL;
				a->bits = B_USERARG | B_SERVERARG | B_REQUEST | B_SENDBITS;
			}
		}
		note_distinguished(rt, a);
		set_defaults(rt, a);
		if (!t)
			continue;
		process_dealloc_flag(a);
		process_count_inout_flag(a);
		process_same_count_flag(a, prev);
		process_physical_copy_flag(a);
		process_retcode_flag(a);
		process_overwrite_flag(a);
		augment_kind(a);
		prev = a;
		/* resulting order: arg, poly, countinout, count, dealloc */
		if (a->dealloc == D_MAYBE)
			add_dealloc_arg(a);
		if (t->var_array || (IS_MULTI_KPD(t) && t->element && t->element->var_array))
			add_count_arg(a);
		if (a->count_inout && a->count)
			add_count_inout_arg(a);
		if (t->in_name == MT_POLYMORPHIC || t->out_name == MT_POLYMORPHIC)
			add_poly_arg(a);
		detect_kpd(a);
	}
}

static void add_dummy_reply_port(struct routine *rt, struct mtype *t)
{
	struct arg *a = arg_new();

	a->name = "dummy ReplyPort arg";
	a->var_name = "dummy ReplyPort arg";
	a->type = t;
	a->role = R_REPLY_PORT;
	rt->reply_port = a;
	if (rt->request_port)
		insert_after(rt->request_port, a);
	else
		add_front(rt, a);
	set_defaults(rt, a);
}

static void add_msg_option(struct routine *rt, const char *value)
{
	struct arg *a = arg_new();

	a->name = "dummy MsgOption arg";
	a->var_name = value;
	a->type = type_msgoption;
	a->role = R_MSG_OPTION;
	rt->msg_option = a;
	add_front(rt, a);
	set_defaults(rt, a);
}

static void add_wait_time(struct routine *rt, const char *value, enum arg_role role)
{
	struct arg *a = arg_new();

	a->name = "dummy WaitTime arg";
	a->var_name = value;
	a->type = type_waittime;
	a->role = role;
	rt->wait_time = a;
	if (rt->msg_option)
		insert_after(rt->msg_option, a);
	else
		add_front(rt, a);
	set_defaults(rt, a);
}

static void check_arg_types(struct routine *rt)
{
	if (!rt->request_port)
		error_at(rt->decl_file, rt->decl_line, "%s %s doesn't have a server port argument",
			 routine_kind_str(rt), rt->name);
	else if (rt->request_port->type)
		type_check_request_port(rt->request_port->name, rt->request_port->type);
	if (rt->reply_port && rt->reply_port->type)
		type_check_reply_port(rt->reply_port->name, rt->reply_port->type);
	if (rt->wait_time && rt->wait_time->type)
		type_check_int(rt->wait_time->name, rt->wait_time->type);
	if (rt->msg_option && rt->msg_option->type)
		type_check_int(rt->msg_option->name, rt->msg_option->type);
}

static void check_arg_trans(struct routine *rt)
{
	struct arg *a;

	for (a = rt->args; a; a = a->next) {
		struct mtype *t = a->type;

		if (!t || !t->server_type || !t->trans_type || !strcmp(t->server_type, t->trans_type))
			continue;
		if (HAS(a, B_SENDRCV) && !t->intran)
			warn_at(a->decl_file, a->decl_line, "%s: argument has no in-translation function",
				a->name);
		if (HAS(a, B_RETURNSND) && !t->outtran)
			warn_at(a->decl_file, a->decl_line,
				"%s: argument has no out-translation function", a->name);
	}
}

/* Overwrite: which reply descriptors get an entry in the receive template. */
static void check_overwrite(struct routine *rt)
{
	unsigned left = rt->overwrite;
	struct arg *a;

	for (a = rt->args; a && left; a = a->next)
		if (HAS(a, B_RETURNKPD) && !a->type->inline_) {
			a->bits |= B_OVERWRITE;
			if (a->flags & F_OVERWRITE)
				left--;
		}
}

/* Would the message fit in -maxonstack bytes? */
static bool check_fit(struct routine *rt, uint64_t mask)
{
	unsigned long size = 24;
	struct arg *a;

	if (!rt->simple_request)
		size += 4;
	for (a = rt->args; a; a = a->next) {
		struct mtype *t;

		if (!HAS(a, mask))
			continue;
		t = a->type;
		size = ((size + 3) & ~3ul) + t->min_type_size;
		if (IS_VAR_INLINE(t))
			size = ((size + 3) & ~3ul) + t->type_size + t->pad_size;
	}
	return S.max_on_stack < 0 || size <= (unsigned long)S.max_on_stack;
}

static void check_variable(struct routine *rt)
{
	unsigned nreq = 0, nrep = 0, maxreq = 0, maxrep = 0;
	struct arg *a;

	for (a = rt->args; a; a = a->next) {
		struct arg *p = a->parent;

		if (!p || HAS(p, B_SENDKPD | B_RETURNKPD)) {
			if (HAS_ALL(a, B_SEND | B_SENDBODY)) {
				a->request_pos = nreq;
				maxreq = nreq;
				if (HAS(a, B_VARIABLE))
					nreq++;
			}
			if (HAS_ALL(a, B_RETURN | B_RETURNBODY)) {
				a->reply_pos = nrep;
				maxrep = nrep;
				if (HAS(a, B_VARIABLE))
					nrep++;
			}
		} else {
			a->request_pos = p->request_pos;
			a->reply_pos = p->reply_pos;
		}
		/* outs after a variable field can't be stored in the reply directly */
		if (HAS_ALL(a, B_RETURNSND | B_RETURNBODY) && !HAS(a, B_REPLYCOPY | B_VARNEEDED) &&
		    a->reply_pos > 0)
			a->bits |= B_VARNEEDED;
	}
	rt->num_request_var = nreq;
	rt->num_reply_var = nrep;
	rt->max_request_pos = maxreq;
	rt->max_reply_pos = maxrep;
}

static void check_destroy(struct routine *rt)
{
	struct arg *a;

	for (a = rt->args; a; a = a->next) {
		struct mtype *t = a->type;

		if (HAS(a, B_SENDRCV) && !HAS(a, B_RETURNSND) && (t->destructor || t->mig_inline))
			a->bits |= B_DESTROY;
		if (IS_IN(a) && HAS(a, B_SENDKPD | B_RETURNKPD) && a->kpd == KPD_OOL &&
		    (a->flags & F_AUTO))
			a->bits |= B_DESTROY;
	}
}

static void add_by_reference(struct routine *rt)
{
	struct arg *a;

	for (a = rt->args; a; a = a->next) {
		struct mtype *t = a->type;

		if (HAS(a, B_RETURNRCV) && t->is_struct) {
			a->by_ref_user = true;
			if (a->cinout)
				a->cinout->by_ref_user = true;
		}
		if ((HAS(a, B_RETURNSND) ||
		     (HAS(a, B_SERVERIMPLICIT) && HAS(a, B_RETURNRCV) && HAS(a, B_SENDRCV))) &&
		    t->is_struct) {
			a->by_ref_server = true;
			if (S.kernel_server && IS_KPD(t))
				a->bits |= B_VARNEEDED;
		}
	}
}

static void add_suffixes(struct routine *rt)
{
	struct arg *a;

	for (a = rt->args; a; a = a->next) {
		if (HAS(a, B_SENDKPD | B_RETURNKPD)) {
			const char *sub = IS_MULTI_KPD(a->type) ? "[0]" : "";

			a->suffix = xasprintf("%s%s%s", a->msg_field, sub,
					      a->kpd == KPD_PORT ? ".name" : ".address");
		} else if (a->role == R_POLY && HAS(a->parent, B_SENDKPD | B_RETURNKPD)) {
			struct arg *p = a->parent;

			a->suffix = xasprintf("%s%s.disposition", p->msg_field,
					      IS_MULTI_KPD(p->type) ? "[0]" : "");
		} else if (a->role == R_DEALLOC && HAS(a->parent, B_SENDKPD | B_RETURNKPD)) {
			struct arg *p = a->parent;

			if (p->kpd == KPD_PORT)
				error_at(p->decl_file, p->decl_line,
					 "%s: Dealloc[] does not apply to a port", p->name);
			a->suffix = xasprintf("%s%s.deallocate", p->msg_field,
					      IS_MULTI_KPD(p->type) ? "[0]" : "");
		}
	}
}

/* samecount: the argument takes its count from the earlier one's. */
static void add_same_count(struct routine *rt)
{
	struct arg *a;

	for (a = rt->args; a; a = a->next) {
		struct arg *mine, *ref, *tmp;

		if (!(a->flags & F_SAMECOUNT) || !a->same_count || !a->count ||
		    !a->same_count->count)
			continue;
		mine = a->count;
		ref = a->same_count->count;
		tmp = arg_new();
		*tmp = *ref;
		tmp->role = R_SAME_COUNT;
		tmp->bits = mine->bits & B_VARNEEDED;
		ref->bits |= mine->bits & B_VARNEEDED;
		tmp->next = mine->next;
		tmp->multiplier = mine->multiplier;
		tmp->type = mine->type;
		tmp->parent = a;
		a->count = tmp;
		a->next = tmp;
	}
}

static void process_retcode(struct routine *rt)
{
	if (!rt->oneway && !rt->simple_reply) {
		/* a complex reply carries no RetCode: errors come as mig_reply_error_t */
		rt->retcode->bits &= ~B_REPLY;
		rt->retcode->bits |= B_VARNEEDED;
	}
}

/* The NDR record is in a message exactly when there is data after it. */
static void process_ndr(struct routine *rt)
{
	const uint64_t send = B_REQUEST | B_SEND | B_SENDSND | B_SENDBODY;
	const uint64_t rcv = B_REPLY | B_REPLYINIT | B_RETURN | B_RETURNBODY;
	struct arg *ndr = rt->ndr, *a;
	bool found = false;

	ndr->bits |= send | rcv;
	for (a = ndr->next; a; a = a->next)
		if (HAS(a, B_SENDRCV | B_SENDBODY) && !HAS(a, B_SERVERIMPLICIT) && !a->type->port &&
		    (!a->parent || a->role == R_COUNT || a->role == R_COUNT_INOUT)) {
			a->bits |= B_SENDNDR;
			found = true;
		}
	if (!found)
		ndr->bits &= ~send;
	found = false;
	if (!rt->oneway)
		for (a = ndr->next; a; a = a->next)
			if ((a == rt->retcode && HAS(a, B_REPLY)) ||
			    (a != rt->retcode && HAS(a, B_RETURNRCV | B_RETURNBODY) &&
			     !HAS(a, B_USERIMPLICIT) && !a->type->port &&
			     (!a->parent || a->role == R_COUNT || a->role == R_COUNT_INOUT))) {
				a->bits |= B_RETURNNDR;
				found = true;
			}
	if (!found && !HAS(rt->retcode, B_REPLY))
		ndr->bits &= ~rcv;
}

/* A user stub that wants trailer data asks for that trailer. */
static void process_msg_option(struct routine *rt)
{
	bool sec = false, audit = false, ctx = false;
	struct arg *a;
	const char *elem;

	for (a = rt->args; a; a = a->next)
		if (HAS_ALL(a, B_RETURN | B_USERIMPLICIT)) {
			sec |= a->role == R_SECTOKEN;
			audit |= a->role == R_AUDITTOKEN;
			ctx |= a->role == R_CONTEXTTOKEN;
		}
	elem = ctx ? "MACH_RCV_TRAILER_CTX" : audit ? "MACH_RCV_TRAILER_AUDIT" :
	       sec ? "MACH_RCV_TRAILER_SENDER" : NULL;
	if (elem)
		rt->msg_option->var_name = xasprintf("%s|MACH_RCV_TRAILER_ELEMENTS(%s)",
						     rt->msg_option->var_name, elem);
}

void routine_check(struct routine *rt)
{
	struct arg *a;
	int errors = error_count;

	rt->oneway = rt->simple;
	rt->server_name = xstrcat2(S.server_prefix, rt->name);
	rt->user_name = xstrcat2(S.user_prefix, rt->name);
	rt->consume_on_send_error = S.consume_on_send_error;

	a = arg_new();
	a->name = "RetCode";
	a->type = type_retcode;
	a->role = R_RETCODE;
	a->bits = B_REPLY | B_RETURNBODY;
	rt->retcode = a;
	add_front(rt, a);
	a = arg_new();
	a->name = "NDR_record";
	a->type = type_ndr;
	a->role = R_NDR;
	rt->ndr = a;
	add_front(rt, a);

	check_args(rt);
	if (!rt->reply_port)
		add_dummy_reply_port(rt, rt->oneway ? type_zero_reply_port : type_real_reply_port);
	if (!rt->msg_option)
		add_msg_option(rt, S.msg_option ? S.msg_option : "MACH_MSG_OPTION_NONE");
	if (!rt->wait_time) {
		if (S.wait_time)
			add_wait_time(rt, S.wait_time, R_WAIT_TIME);
		else if (S.send_time)
			add_wait_time(rt, S.send_time, R_SEND_TIME);
	}
	if (rt->wait_time && rt->consume_on_send_error == CONSUME_NONE)
		warn_at(rt->decl_file, rt->decl_line,
			"%s %s specifies a SendTime/WaitTime which may leak resources, adopt \"ConsumeOnSendError Timeout\"",
			routine_kind_str(rt), rt->name);

	check_arg_types(rt);
	check_arg_trans(rt);
	if (rt->oneway && args_any_all(rt->args, B_RETURN))
		error_at(rt->decl_file, rt->decl_line, "%s %s has OUT argument", routine_kind_str(rt),
			 rt->name);
	if (S.base + (uint64_t)rt->number + 100 > 0x7fffffffull)
		error_at(rt->decl_file, rt->decl_line, "%s: message id %llu is out of range",
			 rt->name, (unsigned long long)S.base + rt->number);
	if (error_count != errors)
		return;

	rt->server_impl = args_count(rt->args, B_SERVERIMPLICIT);
	rt->user_impl = args_count(rt->args, B_USERIMPLICIT);
	if ((S.kernel_server && rt->server_impl) || (S.kernel_user && rt->user_impl))
		error_at(rt->decl_file, rt->decl_line,
			 "%s: trailer (token, seqno) arguments are not supported with KernelUser/KernelServer",
			 rt->name);
	rt->simple_request = rt->simple_reply = true;
	for (a = rt->args; a; a = a->next) {
		if (HAS(a, B_REQUEST) && IS_KPD(a->type))
			rt->simple_request = false;
		if (HAS(a, B_REPLY) && IS_KPD(a->type))
			rt->simple_reply = false;
	}
	rt->request_kpds = args_count_kpd(rt->args, B_SENDKPD);
	rt->reply_kpds = args_count_kpd(rt->args, B_RETURNKPD);
	for (a = rt->args; a; a = a->next)
		if (a->flags & F_OVERWRITE)
			rt->overwrite++;
	if (rt->overwrite) {
		check_overwrite(rt);
		rt->overwrite_kpds = args_count_kpd(rt->args, B_RETURNKPD | B_OVERWRITE);
		if (S.kernel_user)
			error_at(rt->decl_file, rt->decl_line,
				 "Overwrite option(s) do not match with the KernelUser personality");
	}
	rt->request_fits = check_fit(rt, B_REQUEST);
	rt->reply_fits = check_fit(rt, B_REPLY);
	check_variable(rt);
	check_destroy(rt);
	add_by_reference(rt);
	add_suffixes(rt);
	add_same_count(rt);
	process_retcode(rt);
	process_ndr(rt);
	if (rt->user_impl)
		process_msg_option(rt);
	rt->no_reply_args = !args_any_all(rt->args, B_RETURNSND);
}

/*
 * The smallest size a message may have: the whole struct less the room its
 * variable-sized inline arrays take at their largest.
 */
void print_min_size(FILE *f, const struct routine *rt, uint64_t mask, const char *type)
{
	unsigned long delta = 0;
	const struct arg *a;

	for (a = rt->args; a; a = a->next)
		if (HAS(a, mask) && IS_VAR_INLINE(a->type))
			delta += a->type->type_size + a->type->pad_size;
	fprintf(f, "(mach_msg_size_t)(sizeof(%s)", type);
	if (delta)
		fprintf(f, " - %lu", delta);
	fprintf(f, ")");
}
