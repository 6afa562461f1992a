// SPDX-License-Identifier: GPL-2.0
/*
 * The server file (xxxServer.c): one _X<routine> stub per routine, the
 * subsystem table and the demux.
 *
 * A stub checks the request (__MIG_check__Request__*: header bits, size,
 * descriptor count and types, array counts against their bounds and the
 * message size, C strings terminated inside the message), calls the
 * server's routine with pointers into the request and reply, and builds
 * the reply.  An error becomes a mig_reply_error_t.  The demux
 * (<subsystem>_server) fills the reply header and answers MIG_BAD_ID for
 * an id it has no routine for.
 */
#include <string.h>

#include "mig.h"
#include "driver.h"

static const char *in_p(unsigned pos)
{
	return xasprintf("In%uP", pos);
}

/* Where an argument of the request is: its field, through its position's pointer. */
static const char *in_field(const struct arg *a, const char *prefix)
{
	const char *who = HAS(a, B_SERVERIMPLICIT) ? "TrailerP" : in_p(a->request_pos);

	return xasprintf("%s->%s%s", who, prefix, a->suffix ? a->suffix : a->msg_field);
}

/* The field itself, without the descriptor suffix. */
static const char *in_field_base(const struct arg *a)
{
	return xasprintf("%s->%s", in_p(a->request_pos), a->msg_field);
}

static void prolog(FILE *f)
{
	w_ident(f);
	fprintf(f, "\n/* Module %s */\n\n", S.subsystem);
	fprintf(f, "#define\t__MIG_check__Request__%s_subsystem__ 1\n\n", S.subsystem);
	if (!S.sheader_file || S.split)
		w_std_includes(f, false, false);
	if (S.sheader_file) {
		const char *base = strrchr(S.sheader_file, '/');

		fprintf(f, "#include \"%s\"\n", base ? base + 1 : S.sheader_file);
	}
	if (!S.sheader_file || S.split)
		w_impl_imports(f, false);
	fprintf(f, "\n");
	w_bogus_defines(f);
	w_appl_defaults(f, "Rcv");
	fprintf(f, "#define novalue void\n\n");
	if (S.rcsid)
		fprintf(f, "#ifndef\tlint\n#if\tUseExternRCSId\nconst char %s_server_rcsid[] = %s;\n"
			   "#else\t/* UseExternRCSId */\nstatic const char rcsid[] = %s;\n"
			   "#endif\t/* UseExternRCSId */\n#endif\t/* lint */\n\n",
			S.subsystem, S.rcsid, S.rcsid);
	/* the request arrives with its ports swapped: local is ours, remote the reply */
	if (S.kernel_server)
		fprintf(f, "#if\t__MigKernelSpecificCode\n#define msgh_request_port\tmsgh_remote_port\n"
			   "#define MACH_MSGH_BITS_REQUEST(bits)\tMACH_MSGH_BITS_REMOTE(bits)\n"
			   "#define msgh_reply_port\t\tmsgh_local_port\n"
			   "#define MACH_MSGH_BITS_REPLY(bits)\tMACH_MSGH_BITS_LOCAL(bits)\n#else\n");
	fprintf(f, "#define msgh_request_port\tmsgh_local_port\n"
		   "#define MACH_MSGH_BITS_REQUEST(bits)\tMACH_MSGH_BITS_LOCAL(bits)\n"
		   "#define msgh_reply_port\t\tmsgh_remote_port\n"
		   "#define MACH_MSGH_BITS_REPLY(bits)\tMACH_MSGH_BITS_REMOTE(bits)\n");
	if (S.kernel_server)
		fprintf(f, "#endif /* __MigKernelSpecificCode */\n");
	fprintf(f, "\n#define MIG_RETURN_ERROR(X, code)\t{\\\n"
		   "\t\t\t\t((mig_reply_error_t *)X)->RetCode = code;\\\n"
		   "\t\t\t\t((mig_reply_error_t *)X)->NDR = NDR_record;\\\n"
		   "\t\t\t\treturn;\\\n\t\t\t\t}\n\n");
	if (!S.sheader_file) {
		w_request_types(f);
		w_reply_types(f);
		w_server_reply_union(f);
	}
}

/* ---- the request check ---- */

static void tcheck_kpd(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	bool multi = IS_MULTI_KPD(t);
	const struct mtype *e = multi ? t->element : t;
	const char *d = multi ? "ptr->" : xasprintf("%s.", in_field_base(a));
	const char *tab = multi ? "\t" : "";

	fprintf(f, "#if\t__MigTypeCheck\n");
	if (multi)
		fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti;\n\n\t    ptr = &%s[0];\n"
			   "\t    for (i = 0; i < %u; ptr++, i++) {\n",
			t->kpd_type, in_field_base(a), t->kpd_number);
	switch (a->kpd) {
	case KPD_PORT:
		fprintf(f, "\t%sif (%stype != MACH_MSG_PORT_DESCRIPTOR", tab, d);
		if (t->var_array)
			break;	/* unused entries of a variable array vary */
		if (!a->poly) {
			fprintf(f, " ||\n\t%s    %sdisposition != %s", tab, d, t->out_str);
		} else if (t->out_name == MT_MOVE_RECEIVE) {
			fprintf(f, " || \n\t%s    %sdisposition != MACH_MSG_TYPE_MOVE_RECEIVE", tab, d);
		} else if (t->out_name == MT_MOVE_SEND_ONCE) {
			fprintf(f, " || (\n\t%s    %sdisposition != MACH_MSG_TYPE_MOVE_SEND_ONCE &&"
				   "  \n\t%s    %sdisposition != MACH_MSG_TYPE_MAKE_SEND_ONCE)",
				tab, d, tab, d);
		} else if (t->out_name == MT_MOVE_SEND) {
			fprintf(f, " || (\n\t%s    %sdisposition != MACH_MSG_TYPE_MOVE_SEND &&"
				   "  \n\t%s    %sdisposition != MACH_MSG_TYPE_MAKE_SEND &&"
				   "  \n\t%s    %sdisposition != MACH_MSG_TYPE_COPY_SEND)",
				tab, d, tab, d, tab, d);
		}
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
	fprintf(f, ")\n\t\t%sreturn MIG_TYPE_ERROR;\n", tab);
	if (multi)
		fprintf(f, "\t    }\n\t}\n");
	/* a bounded array of ports: its count must fit the descriptors */
	if (multi && t->var_array && a->count)
		fprintf(f, "\tif (%s > %u)\n\t\treturn MIG_BAD_ARGUMENTS;\n", in_field_base(a->count),
			t->kpd_number);
	fprintf(f, "#endif\t/* __MigTypeCheck */\n");
}

static const char *request_calc_size(const struct arg *a)
{
	const struct mtype *e = a->type->element;
	unsigned esize = e->type_size;

	return xasprintf("%s(%s%s)", esize % WORD_BYTES ? "_WALIGN_" : "",
			 esize > 1 ? xasprintf("%u * ", esize) : "", in_field_base(a->count));
}

static void request_check_size(FILE *f, const struct routine *rt, const struct arg *a,
			       const char *cmp)
{
	unsigned esize = a->type->element->type_size;

	fprintf(f, "\tif (((msgh_size - ");
	print_min_size(f, rt, B_REQUEST, "__Request");
	fprintf(f, ") ");
	if (esize > 1)
		fprintf(f, "/ %u ", esize);
	fprintf(f, "< %s) ||\n\t    (msgh_size %s ", in_field_base(a->count), cmp);
	print_min_size(f, rt, B_REQUEST, "__Request");
	fprintf(f, " + %s))\n\t\treturn MIG_BAD_ARGUMENTS;\n", request_calc_size(a));
}

static void request_check_msg_size(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type, *e = t->element;
	unsigned max = e->number ? t->number / e->number : t->number;

	if (a->request_pos == rt->max_request_pos) {
		fprintf(f, "#if\t__MigTypeCheck\n");
		fprintf(f, "\tif (%s > %u)\n\t\treturn MIG_BAD_ARGUMENTS;\n", in_field_base(a->count),
			max);
		request_check_size(f, rt, a, "!=");
		fprintf(f, "#endif\t/* __MigTypeCheck */\n");
	} else {
		bool last = a->request_pos + 1 == rt->num_request_var;

		fprintf(f, "\tmsgh_size_delta = %s;\n#if\t__MigTypeCheck\n", request_calc_size(a));
		fprintf(f, "\tif (%s > %u)\n\t\treturn MIG_BAD_ARGUMENTS;\n", in_field_base(a->count),
			max);
		/* msgh_size is checked before it is lowered, so it cannot wrap */
		request_check_size(f, rt, a, last ? "!=" : "<");
		if (!last)
			fprintf(f, "\tmsgh_size -= msgh_size_delta;\n");
		fprintf(f, "#endif\t/* __MigTypeCheck */\n");
	}
	fprintf(f, "\n");
}

static void request_ool_size_check(FILE *f, const struct routine *rt)
{
	const struct arg *a;
	bool open = false;

	for (a = rt->args; a; a = a->next) {
		const struct mtype *t = a->type;
		const struct arg *c = a->count;

		if (!HAS(a, B_SENDKPD) || IS_MULTI_KPD(t) || !t->var_array || !c ||
		    (a->kpd != KPD_OOL && a->kpd != KPD_OOL_PORTS))
			continue;
		if (!open)
			fprintf(f, "#if __MigTypeCheck\n");
		open = true;
		if (a->kpd == KPD_OOL) {
			unsigned mult = (c->multiplier > 1 || t->size > 8) ?
					c->multiplier * t->size / 8 : 1;

			fprintf(f, "\tif (%s.size ", in_field_base(a));
			if (mult > 1)
				fprintf(f, "/ %u ", mult);
		} else {
			fprintf(f, "\tif (%s.count ", in_field_base(a));
		}
		fprintf(f, "!= %s", in_field_base(c));
		if (t->ool_number)
			fprintf(f, " || %s > %u", in_field_base(c), t->ool_number);
		fprintf(f, ")\n\t\treturn MIG_TYPE_ERROR;\n");
	}
	if (open)
		fprintf(f, "#endif\t/* __MigTypeCheck */\n\n");
}

/* A C string must end inside the message and inside its field. */
static void string_terminator_check(FILE *f, const struct routine *rt)
{
	const struct arg *a;
	bool any = false;

	for (a = rt->args; a; a = a->next)
		if (HAS(a, B_REQUEST) && a->type->string)
			any = true;
	if (!any)
		return;
	fprintf(f, "#if __MigTypeCheck\n\t{\n");
	fprintf(f, "\t\tchar * msg_limit = ((char *) In0P) + In0P->Head.msgh_size;\n");
	fprintf(f, "\t\tsize_t memchr_limit;\n\n");
	for (a = rt->args; a; a = a->next) {
		if (!HAS(a, B_REQUEST) || !a->type->string)
			continue;
		fprintf(f, "\t\tmemchr_limit = min((size_t)(msg_limit - %s), (size_t)%u);\n",
			in_field_base(a), a->type->number);
		fprintf(f, "\t\tif (( memchr(%s, '\\0', memchr_limit) == NULL ))\n"
			   "\t\t\treturn MIG_BAD_ARGUMENTS; // string length exceeds buffer length!\n",
			in_field_base(a));
	}
	fprintf(f, "\t}\n#endif\t/* __MigTypeCheck */\n\n");
}

static void write_check_request(FILE *f, const struct routine *rt)
{
	const struct arg *a, *last_var = NULL;
	unsigned i;

	fprintf(f, "\n#if ( __MigTypeCheck )\n#if __MIG_check__Request__%s_subsystem__\n",
		S.subsystem);
	fprintf(f, "#if !defined(__MIG_check__Request__%s_t__defined)\n", rt->name);
	fprintf(f, "#define __MIG_check__Request__%s_t__defined\n\n", rt->name);
	fprintf(f, "mig_internal kern_return_t __MIG_check__Request__%s_t("
		   "__attribute__((__unused__)) __Request__%s_t *In0P", rt->name, rt->name);
	for (i = 1; i <= rt->max_request_pos; i++)
		fprintf(f, ", __attribute__((__unused__)) __Request__%s_t **In%uPP", rt->name, i);
	fprintf(f, ")\n{\n\n\ttypedef __Request__%s_t __Request;\n", rt->name);
	for (i = 1; i <= rt->max_request_pos; i++)
		fprintf(f, "\t__Request *In%uP;\n", i);
	if (rt->num_request_var > 0)
		fprintf(f, "#if\t__MigTypeCheck\n\tunsigned int msgh_size;\n#endif\t/* __MigTypeCheck */\n");
	if (rt->max_request_pos > 0)
		fprintf(f, "\tunsigned int msgh_size_delta;\n");
	fprintf(f, "\n#if\t__MigTypeCheck\n");
	if (rt->num_request_var > 0)
		fprintf(f, "\tmsgh_size = In0P->Head.msgh_size;\n");
	if (rt->simple_request) {
		fprintf(f, "\tif ((In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||\n");
		if (rt->num_request_var > 0) {
			fprintf(f, "\t    (msgh_size < ");
			print_min_size(f, rt, B_REQUEST, "__Request");
			fprintf(f, ") ||  (msgh_size > (mach_msg_size_t)sizeof(__Request)))\n");
		} else {
			fprintf(f, "\t    (In0P->Head.msgh_size != (mach_msg_size_t)sizeof(__Request)))\n");
		}
	} else {
		fprintf(f, "\tif (!(In0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||\n");
		fprintf(f, "\t    (In0P->msgh_body.msgh_descriptor_count != %u) ||\n", rt->request_kpds);
		if (rt->num_request_var > 0) {
			fprintf(f, "\t    (msgh_size < ");
			print_min_size(f, rt, B_REQUEST, "__Request");
			fprintf(f, ") ||  (msgh_size > (mach_msg_size_t)sizeof(__Request)))\n");
		} else {
			fprintf(f, "\t    (In0P->Head.msgh_size != (mach_msg_size_t)sizeof(__Request)))\n");
		}
	}
	fprintf(f, "\t\treturn MIG_BAD_ARGUMENTS;\n#endif\t/* __MigTypeCheck */\n\n");
	for (a = rt->args; a; a = a->next)
		if (HAS(a, B_SENDKPD))
			tcheck_kpd(f, a);
	for (a = rt->args; a; a = a->next) {
		if (last_var && last_var->request_pos < a->request_pos) {
			const struct mtype *t = last_var->type;

			fprintf(f, "\t*In%uPP = In%uP = (__Request *) ((pointer_t) In%uP + "
				   "msgh_size_delta - %u);\n\n",
				last_var->request_pos + 1, last_var->request_pos + 1,
				last_var->request_pos, t->type_size + t->pad_size);
			last_var = NULL;
		}
		if (HAS_ALL(a, B_SENDRCV | B_SENDBODY) && HAS(a, B_VARIABLE)) {
			request_check_msg_size(f, rt, a);
			last_var = a;
		}
	}
	request_ool_size_check(f, rt);
	string_terminator_check(f, rt);
	fprintf(f, "\treturn MACH_MSG_SUCCESS;\n}\n");
	fprintf(f, "#endif /* !defined(__MIG_check__Request__%s_t__defined) */\n", rt->name);
	fprintf(f, "#endif /* __MIG_check__Request__%s_subsystem__ */\n", S.subsystem);
	fprintf(f, "#endif /* ( __MigTypeCheck ) */\n\n");
}

/* ---- the stub ---- */

static void local_var_decl(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type, *e = t->element;

	if (IS_VAR_INLINE(t))
		fprintf(f, "\t%s %s[%u]", e->trans_type, a->var_name,
			e->number ? t->number / e->number : 0);
	else if (IS_MULTI_KPD(t))
		fprintf(f, "\t%s %s[%u]", e->trans_type ? e->trans_type : "void *", a->var_name,
			t->kpd_number);
	else
		fprintf(f, "\t%s %s", t->trans_type, a->var_name);
}

/* The reply's descriptors get their fixed parts before the routine fills the rest. */
static void init_reply_kpd(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	bool multi = IS_MULTI_KPD(t);
	const struct mtype *e = multi ? t->element : t;
	const char *d = multi ? "\tptr->" : xasprintf("OutP->%s.", a->msg_field);

	if (multi)
		fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti;\n\n\t    ptr = &OutP->%s[0];\n"
			   "\t    for (i = 0; i < %u; ptr++, i++) {\n",
			t->kpd_type, a->msg_field, t->kpd_number);
	switch (a->kpd) {
	case KPD_PORT:
		if (multi && t->var_array)
			fprintf(f, "\t%sname = MACH_PORT_NULL;\n", d);
		if (!a->poly) {
			if (S.kernel_server)
				fprintf(f, "#if __MigKernelSpecificCode\n\t%sdisposition = %s;\n#else\n",
					d, e->out_str);
			fprintf(f, "\t%sdisposition = %s;\n", d, e->in_str);
			if (S.kernel_server)
				fprintf(f, "#endif /* __MigKernelSpecificCode */\n");
		}
		fprintf(f, "\t%spad1 = 0;\n\t%spad2 = 0;\n\t%stype = MACH_MSG_PORT_DESCRIPTOR;\n",
			d, d, d);
		break;
	case KPD_OOL:
		if (!e->var_array)
			fprintf(f, "\t%ssize = %u;\n", d,
				(unsigned)(((uint64_t)e->number * e->size + 7) / 8));
		if (a->dealloc != D_MAYBE)
			fprintf(f, "\t%sdeallocate =  %s;\n", d, a->dealloc == D_YES ? "TRUE" : "FALSE");
		fprintf(f, "\t%scopy = %s;\n", d, (a->flags & F_PHYSICALCOPY) ?
			"MACH_MSG_PHYSICAL_COPY" : "MACH_MSG_VIRTUAL_COPY");
		fprintf(f, "\t%spad1 = 0;\n\t%stype = MACH_MSG_OOL_DESCRIPTOR;\n", d, d);
		break;
	default:
		if (!e->var_array)
			fprintf(f, "\t%scount = %u;\n", d, e->number);
		if (!a->poly) {
			if (S.kernel_server)
				fprintf(f, "#if\t__MigKernelSpecificCode\n\t%sdisposition = %s;\n#else\n",
					d, e->out_str);
			fprintf(f, "\t%sdisposition = %s;\n", d, e->in_str);
			if (S.kernel_server)
				fprintf(f, "#endif /* __MigKernelSpecificCode */\n");
		}
		if (a->dealloc != D_MAYBE)
			fprintf(f, "\t%sdeallocate =  %s;\n", d, a->dealloc == D_YES ? "TRUE" : "FALSE");
		fprintf(f, "\t%scopy = MACH_MSG_PHYSICAL_COPY;\n", d);
		fprintf(f, "\t%stype = MACH_MSG_OOL_PORTS_DESCRIPTOR;\n", d);
		break;
	}
	if (multi)
		fprintf(f, "\t    }\n\t}\n");
	fprintf(f, "\n");
}

static void extract_arg(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;

	if (HAS_ALL(a, B_SENDRCV | B_VARNEEDED)) {
		if (HAS(a, B_SENDKPD) && IS_MULTI_KPD(t)) {
			const char *what = a->kpd == KPD_PORT ? "name" : "address";

			fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti;\n\n\t    ptr = &%s[0];\n",
				t->kpd_type, in_field_base(a));
			if (t->var_array)
				fprintf(f, "\t    for (i = 0; i < (int)min(%s, %u); ptr++, i++)\n",
					in_field_base(a->count), t->kpd_number);
			else
				fprintf(f, "\t    for (i = 0; i < %u; ptr++, i++)\n", t->kpd_number);
			fprintf(f, "\t\t%s[i] = ptr->%s;\n\t}\n", a->var_name, what);
		} else if (t->intran) {
			w_copy_type(f, t, false, a->var_name,
				    xasprintf("%s(%s)", t->intran, in_field(a, "")));
			fprintf(f, "\n");
		} else {
			w_copy_type(f, t, false, a->var_name, in_field(a, ""));
			fprintf(f, "\n");
		}
	}
	/* an out array's count starts at the array's room */
	if (a->role == R_COUNT && HAS(a, B_RETURNSND)) {
		const struct mtype *pt = a->parent->type, *e = pt->element;

		if (IS_VAR_INLINE(pt) || pt->mig_inline || (IS_MULTI_KPD(pt) && pt->var_array)) {
			const char *dst = HAS(a, B_VARNEEDED) ? a->msg_field :
					  xasprintf("OutP->%s", a->msg_field);

			fprintf(f, "\t%s = %u;\n", dst, IS_MULTI_KPD(pt) ? pt->kpd_number :
				(e->number ? pt->number / e->number : 0));
			if (a->cinout)
				fprintf(f, "\tif (%s < %s)\n\t\t%s = %s;\n", in_field(a->cinout, ""), dst,
					dst, in_field(a->cinout, ""));
			fprintf(f, "\n");
		}
	}
}

static void call_arg(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *at = a->by_ref_server ? "&" : "";
	const char *star = a->by_ref_server ? " *" : "";
	const char *msgfield = a->suffix ? a->suffix : a->msg_field;
	bool close = false;

	if (t->intran && HAS(a, B_SENDRCV) && !HAS(a, B_VARNEEDED)) {
		fprintf(f, "%s%s(", at, t->intran);
		close = true;
	}
	if (HAS_ALL(a, B_VARNEEDED | B_SERVERARG)) {
		fprintf(f, "%s%s", at, a->var_name);
	} else if (HAS_ALL(a, B_SENDRCV | B_SENDKPD)) {
		if (!t->inline_)
			fprintf(f, "(%s%s)%s(%s)", t->trans_type, star, at, in_field(a, ""));
		else
			fprintf(f, "%s%s", at, in_field(a, ""));
	} else if (HAS(a, B_SENDRCV)) {
		const struct arg *p = a->parent;

		if (a->role == R_COUNT && p && p->kpd == KPD_OOL_PORTS) {
			/* the count the kernel delivered, not the sender's word for it */
			fprintf(f, "%s%s.count", at, in_field_base(p));
		} else if (a->role == R_COUNT && p && p->kpd == KPD_OOL && !a->by_ref_server) {
			const struct mtype *e = p->type->element;
			unsigned esize = e ? (unsigned)(((uint64_t)e->number * e->size + 7) / 8) : 1;

			fprintf(f, "%s.size", in_field_base(p));
			if (esize > 1)
				fprintf(f, " / %u", esize);
		} else {
			fprintf(f, "%s%s", at, in_field(a, ""));
		}
	} else if (HAS_ALL(a, B_RETURNSND | B_RETURNKPD)) {
		if (!t->inline_)
			fprintf(f, "(%s%s)%s(OutP->%s)", t->trans_type, star, at, msgfield);
		else
			fprintf(f, "%sOutP->%s", at, msgfield);
	} else if (HAS(a, B_RETURNSND)) {
		fprintf(f, "%sOutP->%s", at, msgfield);
	}
	if (close)
		fprintf(f, ")");
}

static void destroy_arg(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;

	if ((IS_IN(a) && HAS(a, B_SENDKPD | B_RETURNKPD) && a->kpd == KPD_OOL &&
	     (a->flags & F_AUTO)) || t->mig_inline) {
		/* out-of-line memory the routine saw as inline data: ours to free */
		const struct mtype *e = t->element;
		unsigned mult = (e && e->number) ? e->size / (8 * e->number) : 0;
		const char *base = in_field_base(a);

		fprintf(f, "\tmig_deallocate((vm_offset_t) %s.address, ", base);
		if (!t->var_array)
			fprintf(f, "%u);\n", (unsigned)(((uint64_t)t->number * t->size + 7) / 8));
		else if (a->kpd == KPD_OOL_PORTS)
			fprintf(f, "%s%s.count);\n", mult > 1 ? xasprintf("%u * ", mult) : "", base);
		else
			fprintf(f, "%s.size);\n", base);
		fprintf(f, "\t%s.address = (void *) 0;\n", base);
		fprintf(f, "\t%s.%s = (mach_msg_size_t) 0;\n", base,
			a->kpd == KPD_OOL_PORTS ? "count" : "size");
	} else if (t->destructor) {
		fprintf(f, "\t%s(%s);\n", t->destructor,
			HAS(a, B_VARNEEDED) ? a->var_name : in_field(a, ""));
	}
}

static void destroy_args_reverse(FILE *f, const struct arg *a)
{
	if (!a)
		return;
	destroy_args_reverse(f, a->next);
	if (HAS(a, B_DESTROY))
		destroy_arg(f, a);
}

/* ---- building the reply ---- */

static const char *reply_count_expr(const struct arg *c, bool reply_copy)
{
	if (HAS(c, B_VARNEEDED))
		return c->name;
	if (reply_copy)
		return in_field_base(c);
	return xasprintf("OutP->%s", c->msg_field);
}

static void pack_reply_kpd(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;
	const char *d = xasprintf("OutP->%s.", a->msg_field);
	const struct arg *c = a->count;

	switch (a->kpd) {
	case KPD_PORT:
		if (HAS(a, B_VARNEEDED)) {
			if (IS_MULTI_KPD(t)) {
				fprintf(f, "\t{\n\t    %s\t*ptr;\n\t    int\ti, j;\n\n\t    ptr = &OutP->%s[0];\n",
					t->kpd_type, a->msg_field);
				if (t->var_array && c)
					fprintf(f, "\t    j = (int)min(%u, %s);\n", t->kpd_number,
						reply_count_expr(c, false));
				else
					fprintf(f, "\t    j = %u;\n", t->kpd_number);
				fprintf(f, "\t    for (i = 0; i < j; ptr++, i++) {\n");
				fprintf(f, "\t\tptr->name = %s[i];\n", a->var_name);
				if (a->poly && HAS_ALL(a->poly, B_RETURNSND))
					fprintf(f, "\t\tptr->disposition = %s;\n", a->poly->var_name);
				fprintf(f, "\t    }\n\t}\n\n");
			} else {
				if (t->outtran)
					fprintf(f, "\t%sname = (mach_port_t)%s(%s);\n", d, t->outtran,
						a->var_name);
				else
					fprintf(f, "\t%sname = %s;\n", d, a->var_name);
				if (a->poly && HAS_ALL(a->poly, B_RETURNSND) && HAS(a->poly, B_VARNEEDED))
					fprintf(f, "\t%sdisposition = %s;\n", d, a->poly->var_name);
				fprintf(f, "\n");
			}
		} else if (a->poly && HAS_ALL(a->poly, B_RETURNSND | B_VARNEEDED)) {
			fprintf(f, "\t%sdisposition = %s;\n\n", d, a->poly->var_name);
		}
		break;
	case KPD_OOL:
	case KPD_OOL_PORTS:
		if (HAS(a, B_VARNEEDED))
			fprintf(f, "\t%saddress = (void *)%s;\n", d, a->msg_field);
		if (a->dealloc_arg && HAS(a->dealloc_arg, B_VARNEEDED))
			fprintf(f, "\t%sdeallocate = %s;\n", d, a->dealloc_arg->var_name);
		if (t->var_array && c) {
			const char *n = reply_count_expr(c, HAS(a, B_REPLYCOPY));

			if (a->kpd == KPD_OOL_PORTS)
				fprintf(f, "\t%scount = %s;\n", d, n);
			else if (c->multiplier > 1 || t->size > 8)
				fprintf(f, "\t%ssize = %s * %u;\n", d, n, c->multiplier * t->size / 8);
			else
				fprintf(f, "\t%ssize = %s;\n", d, n);
		}
		if (a->kpd == KPD_OOL_PORTS && a->poly && HAS_ALL(a->poly, B_RETURNSND) &&
		    HAS(a->poly, B_VARNEEDED))
			fprintf(f, "\t%sdisposition = %s;\n", d, a->poly->var_name);
		fprintf(f, "\n");
		break;
	default:
		break;
	}
}

static const char *reply_arg_size(const struct arg *a)
{
	const struct mtype *t = a->type;
	unsigned esize = t->element->type_size;
	const struct arg *c = a->count;
	const char *count = (t->string || !HAS(c, B_VARNEEDED)) ?
			    xasprintf("OutP->%s", c->msg_field) : c->var_name;

	return xasprintf("%s(%s%s)", esize % WORD_BYTES ? "_WALIGN_" : "",
			 esize > 1 ? xasprintf("%u * ", esize) : "", count);
}

static void pack_reply_value(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;

	if (IS_VAR_INLINE(t) || t->no_opt_array) {
		if (t->string) {
			fprintf(f, "\tOutP->%s = (mach_msg_type_number_t) "
				   "mig_strncpy_zerofill(OutP->%s, %s, %u);\n",
				a->count->msg_field, a->msg_field, a->var_name, t->number);
			fprintf(f, "\tOutP->%sOffset = 0;\n", a->msg_field);
		} else if (t->no_opt_array) {
			fprintf(f, "\t(void)memcpy((char *) OutP->%s, (const char *) %s, %u);\n",
				a->msg_field, a->var_name, t->type_size);
		} else {
			const struct arg *c = a->count;
			unsigned esize = t->element->type_size;

			fprintf(f, "\t(void)memcpy((char *) OutP->%s, (const char *) %s, %s%s);\n",
				a->msg_field, a->var_name, esize > 1 ? xasprintf("%u * ", esize) : "",
				HAS(c, B_VARNEEDED) ? c->var_name : xasprintf("OutP->%s", c->msg_field));
		}
	} else if (t->outtran) {
		w_copy_type(f, t, true, xasprintf("OutP->%s", a->msg_field),
			    xasprintf("%s(%s)", t->outtran, a->var_name));
	} else {
		w_copy_type(f, t, true, xasprintf("OutP->%s", a->msg_field), a->var_name);
	}
	if (t->pad_size)
		fprintf(f, "\t    for (int i = 0; i < %u; i++)\n\t\t    OutP->%s[i] = 0;\n",
			t->pad_size, a->pad_name);
}

/* A string the routine wrote into the reply itself: its count, from its length. */
static void pack_reply_variable(FILE *f, const struct arg *a)
{
	const struct mtype *t = a->type;

	if (!t->string)
		return;
	fprintf(f, "\t{\n\t\tsize_t strLength = strnlen(OutP->%s, %u) + 1;\n", a->msg_field,
		t->number);
	fprintf(f, "\t\tif (strLength > %u) {\n\t\t\tOutP->%s[%u] = '\\0';\n\t\t\tstrLength = %u;\n"
		   "\t\t}\n", t->number, a->msg_field, t->number - 1, t->number);
	fprintf(f, "\t\tOutP->%s = (mach_msg_type_number_t) strLength;\n\t}\n",
		a->count->msg_field);
	fprintf(f, "\tOutP->%sOffset = 0;\n", a->msg_field);
}

static void adjust_reply_size(FILE *f, const struct routine *rt, const struct arg *a)
{
	const struct mtype *t = a->type;

	fprintf(f, "\tmsgh_size_delta = %s;\n", reply_arg_size(a));
	if (rt->num_reply_var == 1) {
		fprintf(f, "\tOutP->Head.msgh_size = ");
		print_min_size(f, rt, B_REPLY, "Reply");
		fprintf(f, " + msgh_size_delta;\n");
	} else if (a->reply_pos == 0) {
		fprintf(f, "\tmsgh_size = ");
		print_min_size(f, rt, B_REPLY, "Reply");
		fprintf(f, " + msgh_size_delta;\n");
	} else {
		fprintf(f, "\tmsgh_size += msgh_size_delta;\n");
	}
	fprintf(f, "\tOutP = (Reply *) ((pointer_t) OutP + msgh_size_delta - %u);\n",
		t->type_size + t->pad_size);
}

static void reply_args(FILE *f, const struct routine *rt)
{
	const struct arg *a, *last_var = NULL;

	for (a = rt->args; a; a = a->next)
		if (HAS_ALL(a, B_RETURNSND | B_RETURNKPD))
			pack_reply_kpd(f, a);
	for (a = rt->args; a; a = a->next) {
		if (last_var && last_var->reply_pos < a->reply_pos) {
			adjust_reply_size(f, rt, last_var);
			last_var = NULL;
		}
		if (HAS_ALL(a, B_RETURNSND | B_RETURNBODY | B_VARNEEDED))
			pack_reply_value(f, a);
		else if (HAS_ALL(a, B_RETURNSND | B_RETURNBODY | B_VARIABLE))
			pack_reply_variable(f, a);
		if (HAS(a, B_REPLYCOPY)) {
			const char *fld = a->suffix ? a->suffix : a->msg_field;

			fprintf(f, "\n");
			w_copy_type(f, a->type, true, xasprintf("OutP->%s", fld),
				    xasprintf("%s->%s", in_p(a->request_pos), fld));
		}
		if (HAS(a, B_REPLYINIT))
			fprintf(f, "\n\tOutP->%s = %s;\n\n", a->msg_field, a->var_name);
		if (HAS_ALL(a, B_RETURNSND | B_RETURNBODY | B_VARIABLE))
			last_var = a;
	}
	if (last_var) {
		if (last_var->reply_pos == 0) {
			fprintf(f, "\tOutP->Head.msgh_size = ");
			print_min_size(f, rt, B_REPLY, "Reply");
			fprintf(f, " + (%s);\n", reply_arg_size(last_var));
		} else {
			fprintf(f, "\tmsgh_size += %s;\n", reply_arg_size(last_var));
		}
	}
}

static void reply_init(FILE *f, const struct routine *rt)
{
	fprintf(f, "\n");
	if (rt->num_reply_var > 1 || rt->max_reply_pos)
		fprintf(f, "\tOutP = (Reply *) OutHeadP;\n");
	if (!rt->simple_reply)
		fprintf(f, "\tOutP->Head.msgh_bits |= MACH_MSGH_BITS_COMPLEX;\n");
	if (rt->num_reply_var == 0) {
		fprintf(f, "\tOutP->Head.msgh_size = ");
		print_min_size(f, rt, B_REPLY, "Reply");
		fprintf(f, ";\n");
	} else if (rt->num_reply_var > 1) {
		fprintf(f, "\tOutP->Head.msgh_size = msgh_size;\n");
	}
}

static void server_call(FILE *f, const struct routine *rt)
{
	const struct arg *a, *rc = rt->retcode;
	bool first = true;

	if (HAS(rc, B_VARNEEDED))
		fprintf(f, "\t%s = %s(", rc->msg_field, rt->server_name);
	else
		fprintf(f, "\tOutP->%s = %s(", rc->msg_field, rt->server_name);
	for (a = rt->args; a; a = a->next)
		if (HAS(a, B_SERVERARG)) {
			if (!first)
				fprintf(f, ", ");
			first = false;
			call_arg(f, a);
		}
	fprintf(f, ");\n");
}

static void write_routine(FILE *f, const struct routine *rt)
{
	const struct arg *a;
	unsigned i;

	if (!S.sheader_file)
		w_server_routine_decl(f, rt);
	fprintf(f, "\n/* %s %s */\n", routine_kind_str(rt), rt->name);
	fprintf(f, "mig_internal novalue _X%s\n\t(mach_msg_header_t *InHeadP, "
		   "mach_msg_header_t *OutHeadP)\n{\n", rt->name);
	w_struct_decl(f, rt->args, w_field_server, B_REQUEST, "Request", rt->simple_request, true,
		      rt->server_impl != 0, false);
	fprintf(f, "\ttypedef __Reply__%s_t Reply __attribute__((unused));\n", rt->name);
	fprintf(f, "\ttypedef __Request__%s_t __Request __attribute__((unused));\n\n", rt->name);
	fprintf(f, "\t/*\n\t * typedef struct {\n\t * \tmach_msg_header_t Head;\n"
		   "\t * \tNDR_record_t NDR;\n\t * \tkern_return_t RetCode;\n"
		   "\t * } mig_reply_error_t;\n\t */\n\n");
	fprintf(f, "\tRequest *In0P = (Request *) InHeadP;\n");
	for (i = 1; i <= rt->max_request_pos; i++)
		fprintf(f, "\tRequest *In%uP;\n", i);
	fprintf(f, "\tReply *OutP = (Reply *) OutHeadP;\n");
	if (rt->num_reply_var > 1)
		fprintf(f, "\tunsigned int msgh_size;\n");
	if (rt->max_reply_pos > 0)
		fprintf(f, "\tunsigned int msgh_size_delta;\n");
	if (rt->server_impl)
		fprintf(f, "\tmach_msg_max_trailer_t *TrailerP;\n#if\t__MigTypeCheck\n"
			   "\tunsigned int trailer_size __attribute__((unused));\n"
			   "#endif\t/* __MigTypeCheck */\n");
	fprintf(f, "#ifdef\t__MIG_check__Request__%s_t__defined\n\tkern_return_t check_result;\n"
		   "#endif\t/* __MIG_check__Request__%s_t__defined */\n\n", rt->name, rt->name);
	if (HAS(rt->retcode, B_VARNEEDED))
		fprintf(f, "\t%s %s;\n", rt->retcode->type->trans_type, rt->retcode->var_name);
	w_list(f, rt->args, local_var_decl, B_VARNEEDED | B_SERVERARG, ";\n", ";\n\n");
	w_appl_macro(f, "Rcv", "Declare", rt);
	w_appl_macro(f, "Rcv", "Before", rt);

	fprintf(f, "\n#if\tdefined(__MIG_check__Request__%s_t__defined)\n", rt->name);
	if (rt->max_request_pos == 0) {
		fprintf(f, "\tcheck_result = __MIG_check__Request__%s_t((__Request *)In0P);\n",
			rt->name);
	} else {
		/* pointers of the check's own type: no type-punned store (strict aliasing) */
		fprintf(f, "\t{\n");
		for (i = 1; i <= rt->max_request_pos; i++)
			fprintf(f, "\t\t__Request *In%uPc = NULL;\n", i);
		fprintf(f, "\n\t\tcheck_result = __MIG_check__Request__%s_t((__Request *)In0P",
			rt->name);
		for (i = 1; i <= rt->max_request_pos; i++)
			fprintf(f, ", &In%uPc", i);
		fprintf(f, ");\n");
		for (i = 1; i <= rt->max_request_pos; i++)
			fprintf(f, "\t\tIn%uP = (Request *)In%uPc;\n", i, i);
		fprintf(f, "\t}\n");
	}
	fprintf(f, "\tif (check_result != MACH_MSG_SUCCESS)\n"
		   "\t\t{ MIG_RETURN_ERROR(OutP, check_result); }\n");
	fprintf(f, "#endif\t/* defined(__MIG_check__Request__%s_t__defined) */\n\n", rt->name);
	if (rt->server_impl) {
		w_trailer_head(f, false);
		for (a = rt->args; a; a = a->next)
			if (HAS(a, B_SERVERIMPLICIT))
				w_trailer_size(f, false, a);
		fprintf(f, "\n");
	}
	for (a = rt->args; a; a = a->next)
		if (HAS(a, B_RETURNKPD))
			init_reply_kpd(f, a);
	for (a = rt->args; a; a = a->next)
		extract_arg(f, a);
	server_call(f, rt);
	destroy_args_reverse(f, rt->args);
	if (rt->oneway || rt->no_reply_args) {
		if (!rt->oneway)
			for (a = rt->args; a; a = a->next)
				if (HAS(a, B_REPLYINIT))
					fprintf(f, "\n\tOutP->%s = %s;\n\n", a->msg_field, a->var_name);
	} else {
		const struct arg *rc = rt->retcode;
		const char *r = HAS(rc, B_VARNEEDED) ? rc->msg_field : xasprintf("OutP->%s",
										  rc->msg_field);

		fprintf(f, "\tif (%s != KERN_SUCCESS) {\n\t\tMIG_RETURN_ERROR(OutP, %s);\n\t}\n", r, r);
		reply_args(f, rt);
		reply_init(f, rt);
		if (!rt->simple_reply)
			fprintf(f, "\tOutP->msgh_body.msgh_descriptor_count = %u;\n", rt->reply_kpds);
	}
	w_appl_macro(f, "Rcv", "After", rt);
	fprintf(f, "}\n");
}

/* ---- the subsystem table and the demux ---- */

/*
 * argc of the routine descriptor: one per array, port or descriptor
 * argument, otherwise the argument's size in 32-bit words.
 */
static bool rpc_port(const struct arg *a)
{
	return a->kpd == KPD_PORT;
}

static bool rpc_port_array(const struct arg *a)
{
	return a->kpd == KPD_OOL_PORTS;
}

static bool rpc_user_struct(const struct arg *a)
{
	return a->type->is_struct && a->type->inline_;
}

static bool rpc_fixed_array(const struct arg *a)
{
	const struct mtype *t = a->type;
	bool out_struct = t->is_struct && IS_OUT(a) && !t->var_array;
	bool out_word = rpc_user_struct(a) && t->size <= 32 && t->number == 1 && IS_OUT(a);

	return (!t->var_array && !rpc_port(a) && !rpc_port_array(a) && t->number > 1 &&
		!rpc_user_struct(a)) || (t->string && t->inline_) || out_word || out_struct;
}

static unsigned routine_argc(const struct routine *rt)
{
	const struct arg *a;
	unsigned n = 0;

	for (a = rt->args; a; a = a->next) {
		const struct mtype *t = a->type;

		if (!HAS(a, B_SERVERARG))
			continue;
		if (rpc_fixed_array(a) || rpc_port(a) || (t->var_array && !rpc_port(a) &&
		    !rpc_port_array(a)) || rpc_port_array(a))
			n++;
		else if (t->is_struct && t->number && t->size >= 32)
			n += t->number * (t->size / 32);
		else
			n++;
	}
	return n;
}

static void dispatcher(FILE *f)
{
	const struct stmt *s;
	unsigned current = 0, n = rt_count ? rt_count : 1;

	fprintf(f, "\n");
	if (!S.sheader_file) {
		fprintf(f, "\n#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n");
		fprintf(f, "boolean_t %s(\n\t\tmach_msg_header_t *InHeadP,\n"
			   "\t\tmach_msg_header_t *OutHeadP);\n\n", S.server_demux);
		fprintf(f, "#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n");
		fprintf(f, "mig_routine_t %s_routine(\n\t\tmach_msg_header_t *InHeadP);\n\n",
			S.server_demux);
	}
	fprintf(f, "\n/* Description of this subsystem, for use in direct RPC */\n");
	if (!S.sheader_file) {
		fprintf(f, "const struct %s {\n", S.server_subsys);
		fprintf(f, "\tmig_server_routine_t \tserver;\t/* Server routine */\n");
		fprintf(f, "\tmach_msg_id_t\tstart;\t/* Min routine number */\n");
		fprintf(f, "\tmach_msg_id_t\tend;\t/* Max routine number + 1 */\n");
		fprintf(f, "\tunsigned int\tmaxsize;\t/* Max msg size */\n");
		fprintf(f, "\tvm_address_t\treserved;\t/* Reserved */\n");
		fprintf(f, "\tstruct routine_descriptor\t/* Array of routine descriptors */\n");
		fprintf(f, "\t\troutine[%u];\n} %s = {\n", n, S.server_subsys);
	} else {
		fprintf(f, "const struct %s %s = {\n", S.server_subsys, S.server_subsys);
	}
	fprintf(f, "\t%s_routine,\n\t%u,\n\t%u,\n", S.server_demux, S.base, S.base + rt_count);
	fprintf(f, "\t(mach_msg_size_t)sizeof(union __ReplyUnion__%s),\n", S.server_subsys);
	fprintf(f, "\t(vm_address_t)0,\n\t{\n");
	for (s = stmts; s; s = s->next) {
		const struct routine *rt = s->routine;

		if (s->kind != S_ROUTINE)
			continue;
		while (current++ < rt->number)
			fprintf(f, "\t\t{0, 0, 0, 0, 0, 0},\n");
		fprintf(f, "          { (mig_impl_routine_t) 0,\n"
			   "          (mig_stub_routine_t) _X%s, %u, 0, (routine_arg_descriptor_t)0, "
			   "(mach_msg_size_t)sizeof(__Reply__%s_t)},\n",
			rt->name, routine_argc(rt), rt->name);
	}
	while (current++ < n)
		fprintf(f, "\t\t{0, 0, 0, 0, 0, 0},\n");
	fprintf(f, "\t}\n};\n\n");

	fprintf(f, "mig_external boolean_t %s\n\t(mach_msg_header_t *InHeadP, "
		   "mach_msg_header_t *OutHeadP)\n{\n", S.server_demux);
	fprintf(f, "\t/*\n\t * typedef struct {\n\t * \tmach_msg_header_t Head;\n"
		   "\t * \tNDR_record_t NDR;\n\t * \tkern_return_t RetCode;\n"
		   "\t * } mig_reply_error_t;\n\t */\n\n");
	fprintf(f, "\tmig_routine_t routine;\n\n");
	fprintf(f, "\tOutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REPLY(InHeadP->msgh_bits), 0);\n");
	fprintf(f, "\tOutHeadP->msgh_remote_port = InHeadP->msgh_reply_port;\n");
	fprintf(f, "\t/* Minimal size: routine() will update it if different */\n");
	fprintf(f, "\tOutHeadP->msgh_size = (mach_msg_size_t)sizeof(mig_reply_error_t);\n");
	fprintf(f, "\tOutHeadP->msgh_local_port = MACH_PORT_NULL;\n");
	fprintf(f, "\tOutHeadP->msgh_id = InHeadP->msgh_id + 100;\n");
	fprintf(f, "\tOutHeadP->msgh_reserved = 0;\n\n");
	fprintf(f, "\tif ((InHeadP->msgh_id > %lld) || (InHeadP->msgh_id < %u) ||\n",
		(long long)S.base + rt_count - 1, S.base);
	fprintf(f, "\t    ((routine = %s.routine[InHeadP->msgh_id - %u].stub_routine) == 0)) {\n",
		S.server_subsys, S.base);
	fprintf(f, "\t\t((mig_reply_error_t *)OutHeadP)->NDR = NDR_record;\n");
	fprintf(f, "\t\t((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ID;\n");
	fprintf(f, "\t\treturn FALSE;\n\t}\n");
	fprintf(f, "\t(*routine) (InHeadP, OutHeadP);\n\treturn TRUE;\n}\n\n");

	fprintf(f, "mig_external mig_routine_t %s_routine\n\t(mach_msg_header_t *InHeadP)\n{\n",
		S.server_demux);
	fprintf(f, "\tint msgh_id;\n\n\tmsgh_id = InHeadP->msgh_id - %u;\n\n", S.base);
	fprintf(f, "\tif ((msgh_id > %d) || (msgh_id < 0))\n\t\treturn 0;\n\n", (int)rt_count - 1);
	fprintf(f, "\treturn %s.routine[msgh_id].stub_routine;\n}\n", S.server_subsys);
	if (opts.symtab) {
		unsigned i;

		/* -s: routine names and stubs by number, for debuggers */
		fprintf(f, "\nmig_symtab_t _%sSymTab[] = {\n", S.subsystem);
		for (i = 0; i < rt_count; i++) {
			for (s = stmts; s; s = s->next)
				if (s->kind == S_ROUTINE && s->routine->number == i)
					break;
			if (s)
				fprintf(f, "\t{ (char *)\"%s\", %u, (void (*)(void))_X%s },\n",
					s->routine->name, S.base + i, s->routine->name);
			else
				fprintf(f, "\t{ (char *)\"\", 0, 0 },\n");
		}
		fprintf(f, "};\nint _%sSymTabBase = %u;\nint _%sSymTabEnd = %u;\n", S.subsystem,
			S.base, S.subsystem, S.base + rt_count);
	}
}

void write_server(FILE *f)
{
	const struct stmt *s;

	prolog(f);
	fprintf(f, "/* Forward Declarations */\n\n");
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE)
			fprintf(f, "\nmig_internal novalue _X%s\n\t(mach_msg_header_t *InHeadP, "
				   "mach_msg_header_t *OutHeadP);\n", s->routine->name);
	fprintf(f, "\n");
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE) {
			write_check_request(f, s->routine);
			write_routine(f, s->routine);
		}
	dispatcher(f);
}
