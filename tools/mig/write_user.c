// SPDX-License-Identifier: GPL-2.0
/*
 * The user file (xxxUser.c): one client stub per routine.
 *
 * A stub packs the request (descriptors, then NDR and data, variable-sized
 * inline arrays packed tight with a pointer per position), sends it with
 * mach_msg() on the thread's reply port from mig_get_reply_port(), and
 * for a routine checks the reply (__MIG_check__Reply__*: message id,
 * MIG_SERVER_DIED for a send-once notification, sizes, descriptor types
 * and counts) before it unpacks the out arguments.
 */
#include <string.h>

#include "mig.h"
#include "driver.h"

static const char *ref(bool by_ref)
{
	return by_ref ? "*" : "";
}

/* "return X;" from the stub, freeing the message first when it is on the heap. */
static void ret(FILE *f, const struct routine *rt, const char *indent, const char *value)
{
	if (MESS_ON_STACK(rt))
		fprintf(f, "%s{ return %s; }\n", indent, value);
	else
		fprintf(f, "%s{ mig_user_deallocate((char *) Mess, (mach_msg_size_t)sizeof(*Mess)); "
			   "return %s; }\n", indent, value);
}

static void prolog(FILE *f)
{
	w_ident(f);
	fprintf(f, "#define\t__MIG_check__Reply__%s_subsystem__ 1\n\n", S.subsystem);
	if (!S.header_file || S.split)
		w_std_includes(f, true, false);
	if (S.header_file) {
		const char *base = strrchr(S.header_file, '/');

		fprintf(f, "#include \"%s\"\n", base ? base + 1 : S.header_file);
	}
	if (S.split)
		w_impl_imports(f, true);
	if (S.has_consume_on_send_error && !S.kernel_user)
		fprintf(f, "#include <mach/mach.h>\n");
	fprintf(f, "\n/* mach_msg_destroy() without all of <mach/mach.h> */\n");
	fprintf(f, "#ifdef __cplusplus\nextern \"C\" {\n#endif /* __cplusplus */\n"
		   "extern void mach_msg_destroy(mach_msg_header_t *);\n"
		   "#ifdef __cplusplus\n}\n#endif /* __cplusplus */\n\n");
	w_bogus_defines(f);
	/* the reply port after a failed RPC: kept when the send failed, else replaced */
	for (int timeout = 1; timeout >= 0; timeout--) {
		const char *name = timeout ? "__MachMsgErrorWithTimeout" :
					     "__MachMsgErrorWithoutTimeout";

		fprintf(f, "#ifndef\t%s\n#define\t%s(_R_) { \\\n\tswitch (_R_) { \\\n", name, name);
		fprintf(f, "\tcase MACH_SEND_INVALID_DATA: \\\n\tcase MACH_SEND_INVALID_DEST: \\\n"
			   "\tcase MACH_SEND_INVALID_HEADER: \\\n"
			   "\t\tmig_put_reply_port(InP->Head.msgh_reply_port); \\\n\t\tbreak; \\\n");
		if (timeout)
			fprintf(f, "\tcase MACH_SEND_TIMED_OUT: \\\n\tcase MACH_RCV_TIMED_OUT: \\\n");
		fprintf(f, "\tdefault: \\\n\t\tmig_dealloc_reply_port(InP->Head.msgh_reply_port); \\\n"
			   "\t} \\\n}\n#endif\t/* %s */\n\n", name);
	}
	w_appl_defaults(f, "Send");
	if (S.rcsid)
		fprintf(f, "#ifndef\tlint\n#if\tUseExternRCSId\nconst char %s_user_rcsid[] = %s;\n"
			   "#else\t/* UseExternRCSId */\nstatic const char rcsid[] = %s;\n"
			   "#endif\t/* UseExternRCSId */\n#endif\t/* lint */\n\n",
			S.subsystem, S.rcsid, S.rcsid);
	fprintf(f, "#define msgh_request_port\tmsgh_remote_port\n");
	fprintf(f, "#define msgh_reply_port\t\tmsgh_local_port\n\n\n");
}

/* ---- the reply check ---- */

static const char *out_p(unsigned pos)
{
	return xasprintf("Out%uP", pos);
}

static void tcheck_kpd(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	bool multi = IS_MULTI_KPD(t);
	const struct mtype *e = multi ? t->element : t;
	const char *d = multi ? "ptr->" : xasprintf("Out%uP->%s.", a->reply_pos, a->msg_field);
	const char *tab = multi ? "\t" : "";

	fprintf(f, "#if\t__MigTypeCheck\n");
	if (multi)
		fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti;\n\n\t    ptr = &Out%uP->%s[0];\n"
			   "\t    for (i = 0; i < %u; ptr++, i++) {\n",
			t->kpd_type, a->reply_pos, a->msg_field, t->kpd_number);
	switch (a->kpd) {
	case KPD_PORT:
		fprintf(f, "\t%sif (%stype != MACH_MSG_PORT_DESCRIPTOR", tab, d);
		/* a variable array's unused entries, and polymorphic rights, vary */
		if (!a->poly && !t->var_array)
			fprintf(f, " ||\n\t%s    %sdisposition != %s", tab, d, t->out_str);
		break;
	case KPD_OOL:
		fprintf(f, "\t%sif (%stype != MACH_MSG_OOL_DESCRIPTOR", tab, d);
		if (!t->var_array && !e->var_array)
			fprintf(f, " ||\n\t%s    %ssize != %u", tab, d,
				(unsigned)(((uint64_t)e->number * e->size + 7) / 8));
		break;
	default:
		fprintf(f, "\t%sif (%stype != MACH_MSG_OOL_PORTS_DESCRIPTOR", tab, d);
		if (!t->var_array && !e->var_array)
			fprintf(f, " ||\n\t%s    %scount != %u", tab, d, e->number);
		if (!a->poly)
			fprintf(f, " ||\n\t%s    %sdisposition != %s", tab, d, e->out_str);
		break;
	}
	fprintf(f, ") {\n\t\t%sreturn MIG_TYPE_ERROR;\n\t%s}\n", tab, tab);
	if (multi)
		fprintf(f, "\t    }\n\t}\n");
	fprintf(f, "#endif\t/* __MigTypeCheck */\n");
}

/* Bytes of a variable inline array in the reply, rounded to 4. */
static void reply_calc_size(FILE *f, const struct arg *a)
{
	const struct mtype *e = a->type->element;
	const struct arg *c = a->count;
	bool round = e->type_size % WORD_BYTES != 0;

	fprintf(f, "%sOut%uP->%s", round ? "_WALIGN_(" : "", c->reply_pos, c->msg_field);
	if (e->type_size > 1)
		fprintf(f, " * %u", e->type_size);
	if (round)
		fprintf(f, ")");
}

static void reply_check_size(FILE *f, const struct routine *rt, const struct arg *a,
			     const char *cmp)
{
	const struct mtype *e = a->type->element;
	const struct arg *c = a->count;

	fprintf(f, "\tif (((msgh_size - ");
	print_min_size(f, rt, B_REPLY, "__Reply");
	fprintf(f, ")");
	if (e->type_size > 1)
		fprintf(f, " / %u", e->type_size);
	fprintf(f, " < Out%uP->%s) ||\n\t    (msgh_size %s ", c->reply_pos, c->msg_field, cmp);
	print_min_size(f, rt, B_REPLY, "__Reply");
	fprintf(f, " + ");
	reply_calc_size(f, a);
	fprintf(f, "))\n\t\t{ return MIG_TYPE_ERROR ; }\n");
}

static void reply_check_msg_size(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type, *e = t->element;
	const struct arg *c = a->count;
	unsigned max = e->number ? t->number / e->number : t->number;

	if (a->reply_pos == rt->max_reply_pos) {
		fprintf(f, "#if\t__MigTypeCheck\n");
		fprintf(f, "\tif (Out%uP->%s > %u)\n\t\treturn MIG_TYPE_ERROR;\n", c->reply_pos,
			c->msg_field, max);
		reply_check_size(f, rt, a, "!=");
		fprintf(f, "#endif\t/* __MigTypeCheck */\n");
	} else {
		bool last = a->reply_pos + 1 == rt->num_reply_var;

		fprintf(f, "\tmsgh_size_delta = ");
		reply_calc_size(f, a);
		fprintf(f, ";\n#if\t__MigTypeCheck\n");
		fprintf(f, "\tif (Out%uP->%s > %u)\n\t\treturn MIG_TYPE_ERROR;\n", c->reply_pos,
			c->msg_field, max);
		reply_check_size(f, rt, a, last ? "!=" : "<");
		if (!last)
			fprintf(f, "\tmsgh_size -= msgh_size_delta;\n");
		fprintf(f, "#endif\t/* __MigTypeCheck */\n");
	}
	fprintf(f, "\n");
}

/* Out-of-line data and port arrays: the descriptor's size must match the count. */
static void reply_ool_size_check(FILE *f, const struct routine *rt)
{
	const struct arg *a;
	bool open = false;

	for (a = rt->args; a; a = a->next) {
		const struct mtype *t = a->type;
		const struct arg *c = a->count;
		unsigned mult;

		if (!HAS(a, B_RETURNKPD) || IS_MULTI_KPD(t) || !t->var_array || !c ||
		    (a->kpd != KPD_OOL && a->kpd != KPD_OOL_PORTS))
			continue;
		if (!open)
			fprintf(f, "#if __MigTypeCheck\n");
		open = true;
		if (a->kpd == KPD_OOL) {
			mult = (c->multiplier > 1 || t->size > 8) ? c->multiplier * t->size / 8 : 1;
			fprintf(f, "\tif (Out%uP->%s.size ", a->reply_pos, a->msg_field);
			if (mult > 1)
				fprintf(f, "/ %u ", mult);
		} else {
			fprintf(f, "\tif (Out%uP->%s.count ", a->reply_pos, a->msg_field);
		}
		fprintf(f, "!= Out%uP->%s", c->reply_pos, c->msg_field);
		if (t->ool_number)
			fprintf(f, " || Out%uP->%s > %u", c->reply_pos, c->msg_field, t->ool_number);
		fprintf(f, ")\n\t\treturn MIG_TYPE_ERROR;\n");
	}
	if (open)
		fprintf(f, "#endif\t/* __MigTypeCheck */\n\n");
}

static void write_check_reply(FILE *f, const struct routine *rt)
{
	const struct arg *a, *last_var = NULL;
	unsigned i;
	unsigned id = S.base + rt->number + 100;

	fprintf(f, "\n#if ( __MigTypeCheck )\n#if __MIG_check__Reply__%s_subsystem__\n", S.subsystem);
	fprintf(f, "#if !defined(__MIG_check__Reply__%s_t__defined)\n", rt->name);
	fprintf(f, "#define __MIG_check__Reply__%s_t__defined\n\n", rt->name);
	fprintf(f, "mig_internal kern_return_t __MIG_check__Reply__%s_t(__Reply__%s_t *Out0P",
		rt->name, rt->name);
	for (i = 1; i <= rt->max_reply_pos; i++)
		fprintf(f, ", __Reply__%s_t **Out%uPP", rt->name, i);
	fprintf(f, ")\n{\n\n\ttypedef __Reply__%s_t __Reply __attribute__((unused));\n", rt->name);
	for (i = 1; i <= rt->max_reply_pos; i++)
		fprintf(f, "\t__Reply *Out%uP;\n", i);
	if (!rt->simple_reply)
		fprintf(f, "\tboolean_t msgh_simple;\n");
	if (!rt->no_reply_args)
		fprintf(f, "#if\t__MigTypeCheck\n\tunsigned int msgh_size;\n#endif\t/* __MigTypeCheck */\n");
	if (rt->max_reply_pos > 0)
		fprintf(f, "\tunsigned int msgh_size_delta;\n");
	fprintf(f, "\n");

	/* a send-once notification in place of the reply: the server died */
	fprintf(f, "\tif (Out0P->Head.msgh_id != %u) {\n", id);
	fprintf(f, "\t    if (Out0P->Head.msgh_id == MACH_NOTIFY_SEND_ONCE)\n"
		   "\t\t{ return MIG_SERVER_DIED; }\n\t    else\n"
		   "\t\t{ return MIG_REPLY_MISMATCH; }\n\t}\n\n");
	if (!rt->simple_reply)
		fprintf(f, "\tmsgh_simple = !(Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX);\n");
	fprintf(f, "#if\t__MigTypeCheck\n");
	if (!rt->no_reply_args)
		fprintf(f, "\tmsgh_size = Out0P->Head.msgh_size;\n\n");
	if (rt->simple_reply) {
		fprintf(f, "\tif ((Out0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||\n");
		if (rt->no_reply_args) {
			fprintf(f, "\t    (Out0P->Head.msgh_size != (mach_msg_size_t)sizeof(__Reply)))\n");
		} else {
			/* right size, or an error reply that carries an error */
			if (rt->num_reply_var > 0) {
				fprintf(f, "\t    ((msgh_size > (mach_msg_size_t)sizeof(__Reply) || msgh_size < ");
				print_min_size(f, rt, B_REPLY, "__Reply");
				fprintf(f, ") &&\n");
			} else {
				fprintf(f, "\t    ((msgh_size != (mach_msg_size_t)sizeof(__Reply)) &&\n");
			}
			fprintf(f, "\t     (msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||\n"
				   "\t      Out0P->RetCode == KERN_SUCCESS)))\n");
		}
	} else {
		fprintf(f, "\tif ((msgh_simple || Out0P->msgh_body.msgh_descriptor_count != %u ||\n",
			rt->reply_kpds);
		if (rt->num_reply_var > 0) {
			fprintf(f, "\t    msgh_size < ");
			print_min_size(f, rt, B_REPLY, "__Reply");
			fprintf(f, " || msgh_size > (mach_msg_size_t)sizeof(__Reply)) &&\n");
		} else {
			fprintf(f, "\t    msgh_size != (mach_msg_size_t)sizeof(__Reply)) &&\n");
		}
		fprintf(f, "\t    (!msgh_simple || msgh_size != (mach_msg_size_t)sizeof(mig_reply_error_t) ||\n"
			   "\t    ((mig_reply_error_t *)Out0P)->RetCode == KERN_SUCCESS))\n");
	}
	fprintf(f, "\t\t{ return MIG_TYPE_ERROR ; }\n#endif\t/* __MigTypeCheck */\n\n");

	fprintf(f, "#if\t__MigTypeCheck\n\tif (Out0P->Head.msgh_request_port != MACH_PORT_NULL) {\n"
		   "\t\treturn MIG_TYPE_ERROR;\n\t}\n#endif\t/* __MigTypeCheck */\n");
	if (rt->no_reply_args && !rt->user_impl) {
		fprintf(f, "\t{\n\t\treturn Out0P->RetCode;\n\t}\n");
		goto done;
	}
	if (rt->simple_reply)
		fprintf(f, "\tif (Out0P->RetCode != KERN_SUCCESS) {\n");
	else
		fprintf(f, "\tif (msgh_simple) {\n");
	fprintf(f, "\t\treturn ((mig_reply_error_t *)Out0P)->RetCode;\n\t}\n\n");
	for (a = rt->args; a; a = a->next)
		if (HAS(a, B_RETURNKPD))
			tcheck_kpd(f, a);
	for (a = rt->args; a; a = a->next) {
		if (last_var && last_var->reply_pos < a->reply_pos) {
			const struct mtype *t = last_var->type;

			fprintf(f, "\t*Out%uPP = Out%uP = (__Reply *) ((pointer_t) Out%uP + "
				   "msgh_size_delta - %u);\n\n",
				last_var->reply_pos + 1, last_var->reply_pos + 1, last_var->reply_pos,
				t->type_size + t->pad_size);
			last_var = NULL;
		}
		if (HAS_ALL(a, B_RETURNRCV | B_RETURNBODY) && HAS(a, B_VARIABLE)) {
			reply_check_msg_size(f, rt, a);
			last_var = a;
		}
	}
	reply_ool_size_check(f, rt);
	fprintf(f, "\treturn MACH_MSG_SUCCESS;\n");
done:
	fprintf(f, "}\n#endif /* !defined(__MIG_check__Reply__%s_t__defined) */\n", rt->name);
	fprintf(f, "#endif /* __MIG_check__Reply__%s_subsystem__ */\n", S.subsystem);
	fprintf(f, "#endif /* ( __MigTypeCheck ) */\n\n");
}

/* ---- packing the request ---- */

static const char *header_disposition(const struct arg *a)
{
	if (a->type->in_name == MT_POLYMORPHIC && a->poly)
		return a->poly->var_name;
	return a->type->in_str;
}

/* An argument's count as the user stub sees it. */
static const char *count_expr(const struct arg *c)
{
	return xasprintf("%s%s", ref(c->by_ref_user), c->var_name);
}

static void pack_port(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *disp = (a->poly && HAS_ALL(a->poly, B_SENDSND)) ?
		xasprintf("%s%s", ref(a->poly->by_ref_user), a->poly->var_name) : NULL;

	if (!IS_MULTI_KPD(t)) {
		fprintf(f, "\tInP->%s.name = %s%s;\n", a->msg_field, ref(a->by_ref_user), a->var_name);
		fprintf(f, "\tInP->%s.disposition = %s;\n", a->msg_field, disp ? disp : t->in_str);
		fprintf(f, "\tInP->%s.pad1 = 0;\n\tInP->%s.pad2 = 0;\n", a->msg_field, a->msg_field);
		fprintf(f, "\tInP->%s.type = MACH_MSG_PORT_DESCRIPTOR;\n\n", a->msg_field);
		return;
	}
	fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti;\n\n\t    ptr = &InP->%s[0];\n", t->kpd_type,
		a->msg_field);
	if (t->var_array) {
		fprintf(f, "\t    if (%s > %u)\n", count_expr(a->count), t->kpd_number);
		ret(f, rt, "\t\t", "MIG_ARRAY_TOO_LARGE");
		fprintf(f, "\t    for (i = 0; i < (int)%s; ptr++, i++) {\n", count_expr(a->count));
	} else {
		fprintf(f, "\t    for (i = 0; i < %u; ptr++, i++) {\n", t->kpd_number);
	}
	fprintf(f, "\t\tptr->name = %s%s[i];\n", ref(a->by_ref_user), a->var_name);
	fprintf(f, "\t\tptr->disposition = %s;\n", disp ? disp : t->element->in_str);
	fprintf(f, "\t\tptr->pad1 = 0;\n\t\tptr->pad2 = 0;\n\t\tptr->type = MACH_MSG_PORT_DESCRIPTOR;\n");
	fprintf(f, "\t    }\n");
	if (t->var_array) {
		/* the rest: null names, sent as they are */
		fprintf(f, "\t    for (i = (int)%s; i < %u; ptr++, i++) {\n", count_expr(a->count),
			t->kpd_number);
		fprintf(f, "\t\tptr->name = MACH_PORT_NULL;\n\t\tptr->disposition = %s;\n",
			disp ? disp : t->element->in_str);
		fprintf(f, "\t\tptr->pad1 = 0;\n\t\tptr->pad2 = 0;\n"
			   "\t\tptr->type = MACH_MSG_PORT_DESCRIPTOR;\n\t    }\n");
	}
	fprintf(f, "\t}\n\n");
}

/* The byte size of out-of-line data from its element count. */
static const char *ool_size_expr(const struct arg *a, const char *count)
{
	const struct mtype *t = a->type;
	const struct arg *c = a->count;

	if (c->multiplier > 1 || t->size > 8)
		return xasprintf("%s * %u", count, c->multiplier * t->size / 8);
	return count;
}

static const char *dealloc_expr(const struct arg *a)
{
	if (a->dealloc == D_MAYBE && a->dealloc_arg)
		return a->dealloc_arg->var_name;
	return a->dealloc == D_YES ? "TRUE" : "FALSE";
}

static void pack_ool(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *fld = a->msg_field;

	fprintf(f, "\tInP->%s.address = (void *)(%s%s);\n", fld, ref(a->by_ref_user), a->var_name);
	if (t->var_array)
		fprintf(f, "\tInP->%s.size = %s;\n", fld, ool_size_expr(a, count_expr(a->count)));
	else
		fprintf(f, "\tInP->%s.size = %u;\n", fld,
			(unsigned)(((uint64_t)t->number * t->size + 7) / 8));
	fprintf(f, "\tInP->%s.deallocate = %s;\n", fld, dealloc_expr(a));
	fprintf(f, "\tInP->%s.copy = %s;\n", fld,
		(a->flags & F_PHYSICALCOPY) ? "MACH_MSG_PHYSICAL_COPY" : "MACH_MSG_VIRTUAL_COPY");
	fprintf(f, "\tInP->%s.pad1 = 0;\n\tInP->%s.type = MACH_MSG_OOL_DESCRIPTOR;\n\n", fld, fld);
}

static void pack_ool_ports(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *fld = a->msg_field;

	fprintf(f, "\tInP->%s.address = (void *)(%s%s);\n", fld, ref(a->by_ref_user), a->var_name);
	if (t->var_array)
		fprintf(f, "\tInP->%s.count = %s;\n", fld, count_expr(a->count));
	else
		fprintf(f, "\tInP->%s.count = %u;\n", fld, t->number);
	if (a->poly && HAS_ALL(a->poly, B_SENDSND))
		fprintf(f, "\tInP->%s.disposition = %s%s;\n", fld, ref(a->poly->by_ref_user),
			a->poly->var_name);
	else
		fprintf(f, "\tInP->%s.disposition = %s;\n", fld, t->in_str);
	fprintf(f, "\tInP->%s.deallocate = %s;\n", fld, dealloc_expr(a));
	fprintf(f, "\tInP->%s.copy = MACH_MSG_PHYSICAL_COPY;\n", fld);
	fprintf(f, "\tInP->%s.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;\n\n", fld);
}

static void pack_value(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *r = ref(a->by_ref_user);

	if (IS_VAR_INLINE(t) || t->no_opt_array) {
		if (t->string) {
			/* zero filled: the bytes after the string are not the stack's */
			fprintf(f, "\tInP->%s = (mach_msg_type_number_t) "
				   "mig_strncpy_zerofill(InP->%s, %s, %u);\n",
				a->count->msg_field, a->msg_field, a->var_name, t->number);
			fprintf(f, "\tInP->%sOffset = 0;\n", a->msg_field);
		} else if (t->no_opt_array) {
			fprintf(f, "\t(void)memcpy((char *) InP->%s, (const char *) %s%s, %u);\n",
				a->msg_field, r, a->var_name, t->type_size);
		} else {
			const struct mtype *e = t->element;
			unsigned max = e->number ? t->number / e->number : t->number;

			fprintf(f, "\tif (%s > %u) {\n", count_expr(a->count), max);
			ret(f, rt, "\t\t", "MIG_ARRAY_TOO_LARGE");
			fprintf(f, "\t}\n");
			fprintf(f, "\t(void)memcpy((char *) InP->%s, (const char *) %s%s, ", a->msg_field,
				r, a->var_name);
			if (e->type_size > 1)
				fprintf(f, "%u * ", e->type_size);
			fprintf(f, "%s);\n", count_expr(a->count));
		}
	} else {
		w_copy_type(f, t, true, xasprintf("InP->%s", a->msg_field),
			    xasprintf("%s%s", r, a->var_name));
	}
	if (t->pad_size)
		fprintf(f, "\t    for (int i = 0; i < %u; i++)\n\t\t    InP->%s[i] = 0;\n",
			t->pad_size, a->pad_name);
	fprintf(f, "\n");
}

/* Bytes a variable inline array takes in the request (rounded to 4). */
static const char *request_arg_size(const struct arg *a)
{
	const struct mtype *t = a->type;
	unsigned esize = t->element->type_size;
	const char *count = t->string ? xasprintf("InP->%s", a->count->msg_field) :
					count_expr(a->count);

	return xasprintf("%s(%s%s)", esize % WORD_BYTES ? "_WALIGN_" : "",
			 esize > 1 ? xasprintf("%u * ", esize) : "", count);
}

static void adjust_request_size(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;

	fprintf(f, "\tmsgh_size_delta = %s;\n", request_arg_size(a));
	if (a->request_pos == 0) {
		fprintf(f, "\tmsgh_size = ");
		print_min_size(f, a->routine, B_REQUEST, "Request");
		fprintf(f, " + msgh_size_delta;\n");
	} else {
		fprintf(f, "\tmsgh_size += msgh_size_delta;\n");
	}
	fprintf(f, "\tInP = (Request *) ((pointer_t) InP + msgh_size_delta - %u);\n\n",
		t->type_size + t->pad_size);
}

static void finish_request_size(FILE *f, const struct arg *a)
{
	if (a->request_pos == 0) {
		fprintf(f, "\tmsgh_size = ");
		print_min_size(f, a->routine, B_REQUEST, "Request");
		fprintf(f, " + (%s);\n", request_arg_size(a));
	} else {
		fprintf(f, "\tmsgh_size += %s;\n", request_arg_size(a));
	}
}

static void request_args(FILE *f, const struct routine *rt)
{
	const struct arg *a, *last_var = NULL;

	for (a = rt->args; a; a = a->next)
		if (HAS_ALL(a, B_SENDSND | B_SENDKPD)) {
			if (a->kpd == KPD_PORT)
				pack_port(f, rt, a);
			else if (a->kpd == KPD_OOL)
				pack_ool(f, a);
			else
				pack_ool_ports(f, a);
		}
	for (a = rt->args; a; a = a->next) {
		if (last_var && last_var->request_pos < a->request_pos) {
			adjust_request_size(f, last_var);
			last_var = NULL;
		}
		if (a->role == R_COUNT_INOUT && HAS(a, B_SENDSND)) {
			const struct mtype *pt = a->cinout->parent->type;
			const struct mtype *e = pt->element;
			unsigned max = e->number ? pt->number / e->number : pt->number;

			fprintf(f, "\tif (%s < %u)\n\t\tInP->%s = %s;\n\telse\n\t\tInP->%s = %u;\n\n",
				count_expr(a), max, a->msg_field, count_expr(a), a->msg_field, max);
		} else if (HAS_ALL(a, B_SENDSND | B_SENDBODY)) {
			pack_value(f, rt, a);
		}
		if (HAS_ALL(a, B_SENDSND | B_SENDBODY | B_VARIABLE))
			last_var = a;
	}
	if (last_var)
		finish_request_size(f, last_var);
}

static void request_head(FILE *f, const struct routine *rt)
{
	const struct arg *rp = rt->reply_port;

	if (rt->max_request_pos > 0)
		fprintf(f, "\tInP = &Mess%sIn;\n", MESS_ON_STACK(rt) ? "." : "->");
	if (HAS(rp, B_USERARG))
		fprintf(f, "\tInP->%s = %s;\n", rp->msg_field, rp->var_name);
	else if (rt->oneway)
		fprintf(f, "\tInP->%s = MACH_PORT_NULL;\n", rp->msg_field);
	else
		fprintf(f, "\tInP->%s = mig_get_reply_port();\n", rp->msg_field);
	fprintf(f, "\tInP->Head.msgh_bits =%s\n\t\tMACH_MSGH_BITS(%s, %s);\n",
		rt->simple_request ? "" : " MACH_MSGH_BITS_COMPLEX|",
		header_disposition(rt->request_port), header_disposition(rp));
	if (!S.kernel_server)
		fprintf(f, "\t/* msgh_size passed as argument */\n");
	else if (rt->num_request_var == 0)
		fprintf(f, "\tInP->Head.msgh_size = (mach_msg_size_t)sizeof(Request);\n");
	else
		fprintf(f, "\tInP->Head.msgh_size = msgh_size;\n");
	fprintf(f, "\tInP->%s = %s;\n", rt->request_port->msg_field, rt->request_port->var_name);
	fprintf(f, "\tInP->Head.msgh_id = %u;\n", S.base + rt->number);
	fprintf(f, "\tInP->Head.msgh_reserved = 0;\n");
	if (S.vouchers && !S.kernel_user && !S.kernel_server)
		fprintf(f, "\t\n/* BEGIN VOUCHER CODE */\n\n#ifdef USING_VOUCHERS\n"
			   "\tif (voucher_mach_msg_set != NULL) {\n"
			   "\t\tvoucher_mach_msg_set(&InP->Head);\n\t}\n"
			   "#endif // USING_VOUCHERS\n\t\n/* END VOUCHER CODE */\n");
}

static const char *send_size(const struct routine *rt)
{
	return rt->num_request_var ? "msgh_size" : "(mach_msg_size_t)sizeof(Request)";
}

/* With a timeout or ConsumeOnSendError, what a failed send leaves behind. */
static void send_error_checks(FILE *f, const struct routine *rt)
{
	const struct arg *a;

	if (rt->consume_on_send_error != CONSUME_ANY && !rt->wait_time)
		return;
	if (rt->consume_on_send_error == CONSUME_ANY)
		fprintf(f, "\n\tif (msg_result == MACH_SEND_INVALID_DEST ||\n"
			   "\t\tmsg_result == MACH_SEND_TIMED_OUT) {\n");
	else
		fprintf(f, "\n\tif (msg_result == MACH_SEND_TIMED_OUT) {\n");
	if (rt->consume_on_send_error == CONSUME_NONE) {
		for (a = rt->args; a; a = a->next)
			if (HAS(a, B_SENDKPD) && a->kpd == KPD_OOL)
				fprintf(f, "\t\tif((vm_offset_t) InP->%s.address != (vm_offset_t) %s%s)\n"
					   "\t\t\tmig_deallocate((vm_offset_t) InP->%s.address, "
					   "(vm_size_t) InP->%s.size);\n",
					a->msg_field, ref(a->by_ref_user), a->var_name, a->msg_field,
					a->msg_field);
	} else if (S.kernel_user) {
		fprintf(f, "#if\t__MigKernelSpecificCode\n\t\tmach_msg_destroy_from_kernel(&InP->Head);\n"
			   "#endif\t/* __MigKernelSpecificCode */\n");
	} else {
		fprintf(f, "\t\t/* mach_msg_destroy doesn't handle the local port */\n"
			   "\t\tswitch (MACH_MSGH_BITS_LOCAL(InP->Head.msgh_bits)) {\n"
			   "\t\tcase MACH_MSG_TYPE_MOVE_SEND:\n"
			   "\t\t\tmach_port_deallocate(mach_task_self(), InP->Head.msgh_local_port);\n"
			   "\t\t\tbreak;\n\t\t}\n\t\tmach_msg_destroy(&InP->Head);\n");
	}
	fprintf(f, "\t}\n\n");
}

static void msg_send(FILE *f, const struct routine *rt)
{
	const char *wt = rt->wait_time ? rt->wait_time->var_name : "MACH_MSG_TIMEOUT_NONE";

	if (S.kernel_user)
		fprintf(f, "#if\t__MigKernelSpecificCode\n"
			   "\tmsg_result = mach_msg_send_from_kernel(&InP->Head, %s);\n#else\n",
			send_size(rt));
	fprintf(f, "\tmsg_result = mach_msg(&InP->Head, MACH_SEND_MSG|%s%s, %s, 0, MACH_PORT_NULL, "
		   "%s, MACH_PORT_NULL);\n",
		rt->wait_time ? "MACH_SEND_TIMEOUT|" : "", rt->msg_option->var_name, send_size(rt),
		wt);
	if (S.kernel_user)
		fprintf(f, "#endif /* __MigKernelSpecificCode */\n");
	w_appl_macro(f, "Send", "After", rt);
	send_error_checks(f, rt);
	ret(f, rt, "\t", "msg_result");
}

static void msg_rpc(FILE *f, const struct routine *rt)
{
	const char *timeouts = !rt->wait_time ? "" :
			       rt->wait_time->role == R_WAIT_TIME ? "MACH_SEND_TIMEOUT|MACH_RCV_TIMEOUT|" :
			       "MACH_SEND_TIMEOUT|";
	const char *trailer = rt->user_impl ? "MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0)|" : "";
	const char *wt = rt->wait_time ? rt->wait_time->var_name : "MACH_MSG_TIMEOUT_NONE";

	if (S.kernel_user)
		fprintf(f, "#if\t(__MigKernelSpecificCode) || (_MIG_KERNELSPECIFIC_CODE_)\n"
			   "\tmsg_result = mach_msg_rpc_from_kernel(&InP->Head, %s, "
			   "(mach_msg_size_t)sizeof(Reply));\n#else\n", send_size(rt));
	if (rt->overwrite)
		fprintf(f, "\tmsg_result = mach_msg_overwrite(&InP->Head, MACH_SEND_MSG|MACH_RCV_MSG|"
			   "MACH_RCV_OVERWRITE|%s%s%s, %s, (mach_msg_size_t)sizeof(Reply), "
			   "InP->Head.msgh_reply_port, %s, MACH_PORT_NULL,  &InOvTemplate->Head, "
			   "(mach_msg_size_t)sizeof(OverwriteTemplate));\n",
			trailer, timeouts, rt->msg_option->var_name, send_size(rt), wt);
	else
		fprintf(f, "\tmsg_result = mach_msg(&InP->Head, MACH_SEND_MSG|MACH_RCV_MSG|%s%s%s, %s, "
			   "(mach_msg_size_t)sizeof(Reply), InP->Head.msgh_reply_port, %s, "
			   "MACH_PORT_NULL);\n",
			trailer, timeouts, rt->msg_option->var_name, send_size(rt), wt);
	if (S.kernel_user)
		fprintf(f, "#endif /* __MigKernelSpecificCode */\n");
	w_appl_macro(f, "Send", "After", rt);
	if (!HAS(rt->reply_port, B_USERARG))
		fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS) {\n\t\t__MachMsgError%s(msg_result);\n\t}\n",
			rt->wait_time ? "WithTimeout" : "WithoutTimeout");
	send_error_checks(f, rt);
	fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS) {\n");
	ret(f, rt, "\t\t", "msg_result");
	fprintf(f, "\t}\n\n");
}

/* -R: a send, then a receive, instead of one mach_msg() that does both. */
static void msg_send_receive(FILE *f, const struct routine *rt)
{
	const char *wt = rt->wait_time ? rt->wait_time->var_name : "MACH_MSG_TIMEOUT_NONE";
	bool rcv_timeout = rt->wait_time && rt->wait_time->role == R_WAIT_TIME;

	fprintf(f, "\tmsg_result = mach_msg(&InP->Head, MACH_SEND_MSG|%s%s, %s, 0, MACH_PORT_NULL, "
		   "%s, MACH_PORT_NULL);\n",
		rt->wait_time ? "MACH_SEND_TIMEOUT|" : "", rt->msg_option->var_name, send_size(rt),
		wt);
	fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS)\n");
	ret(f, rt, "\t\t", "msg_result");
	fprintf(f, "\n\tmsg_result = mach_msg(&Out0P->Head, MACH_RCV_MSG|%s%s%s, 0, "
		   "(mach_msg_size_t)sizeof(Reply), InP->Head.msgh_local_port, %s, MACH_PORT_NULL);\n",
		rt->user_impl ? "MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0)|" : "",
		rcv_timeout ? "MACH_RCV_TIMEOUT|" : "", rt->msg_option->var_name,
		rcv_timeout ? wt : "MACH_MSG_TIMEOUT_NONE");
	w_appl_macro(f, "Send", "After", rt);
	if (!HAS(rt->reply_port, B_USERARG))
		fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS) {\n\t\t__MachMsgError%s(msg_result);\n\t}\n",
			rt->wait_time ? "WithTimeout" : "WithoutTimeout");
	fprintf(f, "\tif (msg_result != MACH_MSG_SUCCESS) {\n");
	ret(f, rt, "\t\t", "msg_result");
	fprintf(f, "\t}\n\n");
}

/* The receive template for Overwrite arguments: where their data may land. */
static void overwrite_template(FILE *f, const struct routine *rt)
{
	const struct arg *a;

	fprintf(f, "\t/* Initialize the template for overwrite */\n");
	fprintf(f, "\tInOvTemplate->msgh_body.msgh_descriptor_count = %u;\n", rt->overwrite_kpds);
	for (a = rt->args; a; a = a->next) {
		const struct mtype *t = a->type;
		const char *fld = a->msg_field;

		if (!HAS(a, B_OVERWRITE))
			continue;
		if (!(a->flags & F_OVERWRITE)) {
			fprintf(f, "\tInOvTemplate->%s.copy = MACH_MSG_ALLOCATE;\n", fld);
			fprintf(f, "\tInOvTemplate->%s.type = MACH_MSG_OOL_%sDESCRIPTOR;\n", fld,
				t->port ? "PORTS_" : "");
			continue;
		}
		fprintf(f, "\tInOvTemplate->%s.address = (void *) %s%s;\n", fld, ref(a->by_ref_user),
			a->var_name);
		if (t->port)
			fprintf(f, "\tInOvTemplate->%s.count = %s;\n", fld,
				t->var_array ? count_expr(a->count) : xasprintf("%u", t->number));
		else
			fprintf(f, "\tInOvTemplate->%s.size = %s;\n", fld,
				t->var_array ? ool_size_expr(a, count_expr(a->count)) :
				xasprintf("%u", (unsigned)(((uint64_t)t->number * t->size + 7) / 8)));
		fprintf(f, "\tInOvTemplate->%s.copy = MACH_MSG_OVERWRITE;\n", fld);
		fprintf(f, "\tInOvTemplate->%s.type = MACH_MSG_OOL_%sDESCRIPTOR;\n", fld,
			t->port ? "PORTS_" : "");
	}
	fprintf(f, "\n");
}

/* ---- unpacking the reply ---- */

static void extract_value(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *r = ref(a->by_ref_user);
	const char *who = HAS(a, B_USERIMPLICIT) ? "TrailerP" : out_p(a->reply_pos);

	if (IS_VAR_INLINE(t) || t->no_opt_array) {
		if (t->string) {
			fprintf(f, "\t(void) mig_strncpy(%s%s, %s->%s, %u);\n", r, a->var_name, who,
				a->msg_field, t->number);
		} else if (t->no_opt_array) {
			fprintf(f, "\t(void)memcpy((char *) %s%s, (const char *) %s->%s, %u);\n", r,
				a->var_name, who, a->msg_field, t->type_size);
		} else {
			const struct arg *c = a->count;
			const struct mtype *e = t->element;
			unsigned max = e->number ? t->number / e->number : t->number;
			const char *limit = a->count_inout ? count_expr(c) : xasprintf("%u", max);
			const char *esize = e->type_size > 1 ? xasprintf("%u * ", e->type_size) : "";

			/* more than the caller has room for: fill what it has, and say so */
			fprintf(f, "\tif (Out%uP->%s > %s) {\n", c->reply_pos, c->msg_field, limit);
			fprintf(f, "\t\t(void)memcpy((char *) %s%s, (const char *) Out%uP->%s, %s %s);\n",
				r, a->var_name, a->reply_pos, a->msg_field, esize, limit);
			fprintf(f, "\t\t%s = Out%uP->%s;\n", count_expr(c), c->reply_pos, c->msg_field);
			ret(f, rt, "\t\t", "MIG_ARRAY_TOO_LARGE");
			fprintf(f, "\t}\n");
			fprintf(f, "\t(void)memcpy((char *) %s%s, (const char *) Out%uP->%s, %sOut%uP->%s);\n",
				r, a->var_name, a->reply_pos, a->msg_field, esize, c->reply_pos,
				c->msg_field);
		}
	} else {
		w_copy_type(f, t, false, xasprintf("%s%s", r, a->var_name),
			    xasprintf("%s->%s", who, a->msg_field));
	}
	fprintf(f, "\n");
}

static void extract_kpd(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *r = ref(a->by_ref_user);
	const char *sub = "";

	if (a->kpd == KPD_PORT && IS_MULTI_KPD(t)) {
		fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti, j;\n\n\t    ptr = &Out%uP->%s[0];\n",
			t->kpd_type, a->reply_pos, a->msg_field);
		if (t->var_array)
			fprintf(f, "\t    j = (int)min(Out%uP->%s, %u);\n", a->count->reply_pos,
				a->count->msg_field, t->kpd_number);
		else
			fprintf(f, "\t    j = %u;\n", t->kpd_number);
		fprintf(f, "\t    for (i = 0; i < j; ptr++, i++)\n\t\t%s[i] = ptr->name;\n", a->var_name);
		if (t->var_array) {
			const struct arg *c = a->count;

			fprintf(f, "\t    if (Out%uP->%s > %s)\n", c->reply_pos, c->msg_field,
				a->count_inout ? count_expr(c) : xasprintf("%u", t->kpd_number));
			ret(f, rt, "\t\t", "MIG_ARRAY_TOO_LARGE");
		}
		fprintf(f, "\t}\n");
		sub = "[0]";
	} else if (a->kpd == KPD_PORT) {
		fprintf(f, "\t%s%s = Out%uP->%s.name;\n", r, a->var_name, a->reply_pos, a->msg_field);
	} else {
		fprintf(f, "\t%s%s = (%s)(Out%uP->%s.address);\n", r, a->var_name, t->user_type,
			a->reply_pos, a->msg_field);
	}
	if (a->kpd != KPD_OOL && a->poly && HAS_ALL(a->poly, B_RETURNRCV))
		fprintf(f, "\t%s%s = Out%uP->%s%s.disposition;\n", ref(a->poly->by_ref_user),
			a->poly->var_name, a->reply_pos, a->msg_field, sub);
}

static void reply_args(FILE *f, const struct routine *rt)
{
	const struct arg *a;

	for (a = rt->args; a; a = a->next) {
		if (HAS_ALL(a, B_RETURNRCV | B_RETURNBODY))
			extract_value(f, rt, a);
		else if (HAS_ALL(a, B_RETURNRCV | B_RETURNKPD))
			extract_kpd(f, rt, a);
		else if (HAS(a, B_USERIMPLICIT))
			extract_value(f, rt, a);
	}
}

static void var_decls(FILE *f, const struct routine *rt)
{
	unsigned i;
	const char *acc = MESS_ON_STACK(rt) ? "." : "->";

	if (rt->overwrite) {
		fprintf(f, "\tRequest MessRequest;\n\tRequest *InP = &MessRequest;\n\n");
		fprintf(f, "\tunion {\n\t\tOverwriteTemplate In;\n\t\tReply Out;\n\t} MessReply;\n");
		fprintf(f, "\tOverwriteTemplate *InOvTemplate = &MessReply.In;\n");
		fprintf(f, "\tReply *Out0P = &MessReply.Out;\n");
		for (i = 1; i <= rt->max_reply_pos; i++)
			fprintf(f, "\tReply *Out%uP = NULL;\n", i);
	} else {
		if (MESS_ON_STACK(rt))
			fprintf(f, "\tunion {\n");
		else
			fprintf(f, "\tunion %sMessU {\n", rt->name);
		fprintf(f, "\t\tRequest In;\n");
		if (!rt->oneway)
			fprintf(f, "\t\tReply Out;\n");
		if (MESS_ON_STACK(rt))
			fprintf(f, "\t} Mess;\n");
		else
			fprintf(f, "\t} *Mess = (union %sMessU *) mig_user_allocate(sizeof(*Mess));\n",
				rt->name);
		fprintf(f, "\n");
		if (!MESS_ON_STACK(rt))
			fprintf(f, "\tif (Mess == NULL)\n\t\treturn KERN_RESOURCE_SHORTAGE;\n\n");
		fprintf(f, "\tRequest *InP = &Mess%sIn;\n", acc);
		if (!rt->oneway) {
			fprintf(f, "\tReply *Out0P = &Mess%sOut;\n", acc);
			for (i = 1; i <= rt->max_reply_pos; i++)
				fprintf(f, "\tReply *Out%uP = NULL;\n", i);
		}
	}
	fprintf(f, "\n\tmach_msg_return_t msg_result;\n");
	if (rt->num_request_var > 0)
		fprintf(f, "\tunsigned int msgh_size;\n");
	if (rt->max_request_pos > 0)
		fprintf(f, "\tunsigned int msgh_size_delta;\n");
	if (rt->user_impl)
		fprintf(f, "\tmach_msg_max_trailer_t *TrailerP;\n#if\t__MigTypeCheck\n"
			   "\tunsigned int trailer_size __attribute__((unused));\n"
			   "#endif\t/* __MigTypeCheck */\n");
	if (!rt->oneway)
		fprintf(f, "\n#ifdef\t__MIG_check__Reply__%s_t__defined\n\tkern_return_t check_result;\n"
			   "#endif\t/* __MIG_check__Reply__%s_t__defined */\n", rt->name, rt->name);
	fprintf(f, "\n");
	w_appl_macro(f, "Send", "Declare", rt);
	fprintf(f, "\n");
}

static void write_routine(FILE *f, const struct routine *rt)
{
	const struct arg *a;
	unsigned i;

	fprintf(f, "\n/* %s %s */\n", routine_kind_str(rt), rt->name);
	fprintf(f, "mig_external %s %s\n(\n", rt->retcode->type->user_type, rt->user_name);
	w_list(f, rt->args, w_user_var_decl, B_USERARG, ",\n", "\n");
	fprintf(f, ")\n{\n");
	w_struct_decl(f, rt->args, w_field_user, B_REQUEST, "Request", rt->simple_request, false,
		      false, false);
	if (!rt->oneway) {
		w_struct_decl(f, rt->args, w_field_user, B_REPLY, "Reply", rt->simple_reply, true,
			      rt->user_impl != 0, false);
		w_struct_decl(f, rt->args, w_field_user, B_REPLY, "__Reply", rt->simple_reply, false,
			      false, false);
	}
	if (rt->overwrite)
		w_struct_decl(f, rt->args, w_field_user, B_REPLY | B_OVERWRITE, "OverwriteTemplate",
			      false, true, false, true);
	fprintf(f, "\t/*\n\t * typedef struct {\n\t * \tmach_msg_header_t Head;\n"
		   "\t * \tNDR_record_t NDR;\n\t * \tkern_return_t RetCode;\n"
		   "\t * } mig_reply_error_t;\n\t */\n\n");
	var_decls(f, rt);
	if (!rt->simple_request)
		fprintf(f, "\tInP->msgh_body.msgh_descriptor_count = %u;\n", rt->request_kpds);
	request_args(f, rt);
	request_head(f, rt);
	fprintf(f, "\n");
	w_appl_macro(f, "Send", "Before", rt);
	if (rt->oneway) {
		msg_send(f, rt);
		fprintf(f, "}\n");
		return;
	}
	if (opts.use_rpc) {
		if (rt->overwrite)
			overwrite_template(f, rt);
		msg_rpc(f, rt);
	} else {
		msg_send_receive(f, rt);
	}
	fprintf(f, "\n#if\tdefined(__MIG_check__Reply__%s_t__defined)\n", rt->name);
	if (rt->max_reply_pos == 0) {
		fprintf(f, "\tcheck_result = __MIG_check__Reply__%s_t((__Reply__%s_t *)Out0P);\n",
			rt->name, rt->name);
	} else {
		/*
		 * The check finds the later fields' positions; it gets pointers of
		 * its own type (writing a Reply * through a __Reply__X_t ** would
		 * break strict aliasing, and gcc -O2 would read the old value).
		 */
		fprintf(f, "\t{\n");
		for (i = 1; i <= rt->max_reply_pos; i++)
			fprintf(f, "\t\t__Reply__%s_t *Out%uPc = NULL;\n", rt->name, i);
		fprintf(f, "\n\t\tcheck_result = __MIG_check__Reply__%s_t((__Reply__%s_t *)Out0P",
			rt->name, rt->name);
		for (i = 1; i <= rt->max_reply_pos; i++)
			fprintf(f, ", &Out%uPc", i);
		fprintf(f, ");\n");
		for (i = 1; i <= rt->max_reply_pos; i++)
			fprintf(f, "\t\tOut%uP = (Reply *)Out%uPc;\n", i, i);
		fprintf(f, "\t}\n");
	}
	fprintf(f, "\tif (check_result != MACH_MSG_SUCCESS) {\n");
	if (S.kernel_user)
		fprintf(f, "#if\t__MigKernelSpecificCode\n\t\tmach_msg_destroy_from_kernel(&Out0P->Head);\n"
			   "#endif\t/* __MigKernelSpecificCode */\n");
	else
		fprintf(f, "\t\tmach_msg_destroy(&Out0P->Head);\n");
	ret(f, rt, "\t\t", "check_result");
	fprintf(f, "\t}\n#endif\t/* defined(__MIG_check__Reply__%s_t__defined) */\n\n", rt->name);
	if (rt->user_impl) {
		w_trailer_head(f, true);
		for (a = rt->args; a; a = a->next)
			if (HAS(a, B_USERIMPLICIT))
				w_trailer_size(f, true, a);
		fprintf(f, "\n");
	}
	reply_args(f, rt);
	ret(f, rt, "\t", "KERN_SUCCESS");
	fprintf(f, "}\n");
}

/* -i prefix: one routine per file, without the reply checks. */
void write_user_routine_file(FILE *f, const struct routine *rt)
{
	prolog(f);
	write_routine(f, rt);
}

void write_user(FILE *f)
{
	const struct stmt *s;

	prolog(f);
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE) {
			if (!s->routine->oneway)
				write_check_reply(f, s->routine);
			write_routine(f, s->routine);
		}
}
