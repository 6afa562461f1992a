// SPDX-License-Identifier: GPL-2.0
/*
 * The headers: the user header (the client's prototypes and the message
 * types), the server header (-sheader: the routines a server implements,
 * the demux and the subsystem table), the defines header (-dheader: the
 * message ids) and the internal header (-iheader, KernelServer only).
 */
#include <ctype.h>
#include <string.h>

#include "mig.h"

static void prolog(FILE *f, const char *protect, bool includes, bool isuser)
{
	if (protect)
		fprintf(f, "#ifndef\t_%s\n#define\t_%s\n\n", protect, protect);
	fprintf(f, "/* Module %s */\n\n", S.subsystem);
	if (includes)
		w_std_includes(f, isuser, S.split);
	fprintf(f, "#ifdef AUTOTEST\n#ifndef FUNCTION_PTR_T\n#define FUNCTION_PTR_T\n"
		   "typedef void (*function_ptr_t)(mach_port_t, char *, mach_msg_type_number_t);\n"
		   "typedef struct {\n        char            *name;\n"
		   "        function_ptr_t  function;\n} function_table_entry;\n"
		   "typedef function_table_entry   *function_table_t;\n"
		   "#endif /* FUNCTION_PTR_T */\n#endif /* AUTOTEST */\n");
	fprintf(f, "\n#ifndef\t%s_MSG_COUNT\n#define\t%s_MSG_COUNT\t%u\n#endif\t/* %s_MSG_COUNT */\n\n",
		S.subsystem, S.subsystem, rt_count, S.subsystem);
}

static void epilog(FILE *f, const char *protect, bool isuser)
{
	const char *after = isuser ? "__AfterMigUserHeader" : "__AfterMigServerHeader";
	const struct stmt *s;
	bool first = true;

	/* routine names by message id, for tracing tools */
	fprintf(f, "\n#ifndef subsystem_to_name_map_%s\n", S.subsystem);
	fprintf(f, "#define subsystem_to_name_map_%s \\\n", S.subsystem);
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE) {
			fprintf(f, "%s    { \"%s\", %u }", first ? "" : ",\\\n", s->routine->name,
				S.base + s->routine->number);
			first = false;
		}
	fprintf(f, "\n#endif\n");
	fprintf(f, "\n#ifdef %s\n%s\n#endif /* %s */\n", after, after, after);
	if (protect)
		fprintf(f, "\n#endif\t /* _%s */\n", protect);
}

static void user_routine_decl(FILE *f, const struct routine *rt)
{
	fprintf(f, "\n/* %s %s */\n", routine_kind_str(rt), rt->name);
	fprintf(f, "#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n");
	fprintf(f, "%s %s\n(\n", rt->retcode->type->user_type, rt->user_name);
	w_list(f, rt->args, w_user_var_decl, B_USERARG, ",\n", "\n");
	fprintf(f, ");\n");
}

static void user_union(FILE *f, const char *what)
{
	const struct stmt *s;

	fprintf(f, "/* union of all %ss */\n\n", !strcmp(what, "Request") ? "request" : "replie");
	fprintf(f, "#ifndef __%sUnion__%s%s_subsystem__defined\n", what, S.user_prefix,
		S.subsystem);
	fprintf(f, "#define __%sUnion__%s%s_subsystem__defined\n", what, S.user_prefix,
		S.subsystem);
	fprintf(f, "union __%sUnion__%s%s_subsystem {\n", what, S.user_prefix, S.subsystem);
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE)
			fprintf(f, "\t__%s__%s_t %s_%s;\n", what, s->routine->name, what,
				s->routine->user_name);
	if (!any_routines())
		fprintf(f, "\tmig_reply_error_t %s_none;\n", what);
	fprintf(f, "};\n");
	fprintf(f, "#endif /* !__%sUnion__%s%s_subsystem__defined */\n", what, S.user_prefix,
		S.subsystem);
}

void write_user_header(FILE *f)
{
	char *protect = xasprintf("%s_user_", S.subsystem);
	const struct stmt *s;

	prolog(f, protect, true, true);
	for (s = stmts; s; s = s->next)
		if (s->kind == S_IMPORT || s->kind == S_UIMPORT || s->kind == S_DIMPORT)
			w_import(f, s->file_name);
	fprintf(f, "\n#ifdef __BeforeMigUserHeader\n__BeforeMigUserHeader\n"
		   "#endif /* __BeforeMigUserHeader */\n\n");
	fprintf(f, "#include <sys/cdefs.h>\n__BEGIN_DECLS\n\n");
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE)
			user_routine_decl(f, s->routine);
	fprintf(f, "\n__END_DECLS\n\n");
	fprintf(f, "/* The types below give the largest size of each message; a message\n"
		   " * with variable-sized data is packed tighter than they show. */\n\n");
	w_request_types(f);
	user_union(f, "Request");
	w_reply_types(f);
	user_union(f, "Reply");
	epilog(f, protect, true);
}

/* The demux, its lookup function and the subsystem table, as declarations. */
static void dispatcher_decls(FILE *f)
{
	fprintf(f, "\n#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n");
	fprintf(f, "boolean_t %s(\n\t\tmach_msg_header_t *InHeadP,\n"
		   "\t\tmach_msg_header_t *OutHeadP);\n\n", S.server_demux);
	fprintf(f, "#ifdef\tmig_external\nmig_external\n#else\nextern\n#endif\t/* mig_external */\n");
	fprintf(f, "mig_routine_t %s_routine(\n\t\tmach_msg_header_t *InHeadP);\n\n",
		S.server_demux);
	fprintf(f, "\n/* Description of this subsystem, for use in direct RPC */\n");
	fprintf(f, "extern const struct %s {\n", S.server_subsys);
	fprintf(f, "\tmig_server_routine_t\tserver;\t/* Server routine */\n");
	fprintf(f, "\tmach_msg_id_t\tstart;\t/* Min routine number */\n");
	fprintf(f, "\tmach_msg_id_t\tend;\t/* Max routine number + 1 */\n");
	fprintf(f, "\tunsigned int\tmaxsize;\t/* Max msg size */\n");
	fprintf(f, "\tvm_address_t\treserved;\t/* Reserved */\n");
	fprintf(f, "\tstruct routine_descriptor\t/* Array of routine descriptors */\n");
	fprintf(f, "\t\troutine[%u];\n", rt_count ? rt_count : 1);
	fprintf(f, "} %s;\n\n", S.server_subsys);
}

void write_server_header(FILE *f)
{
	char *protect = xasprintf("%s_server_", S.subsystem);
	const struct stmt *s;

	prolog(f, protect, true, false);
	for (s = stmts; s; s = s->next)
		if (s->kind == S_IMPORT || s->kind == S_SIMPORT || s->kind == S_DIMPORT)
			w_import(f, s->file_name);
	fprintf(f, "\n#ifdef __BeforeMigServerHeader\n__BeforeMigServerHeader\n"
		   "#endif /* __BeforeMigServerHeader */\n\n");
	w_server_annotation(f);
	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE)
			w_server_routine_decl(f, s->routine);
	dispatcher_decls(f);
	w_request_types(f);
	w_server_request_union(f);
	w_reply_types(f);
	w_server_reply_union(f);
	epilog(f, protect, false);
}

/* KernelServer: the kernel's own user-side calls get other names. */
void write_internal_header(FILE *f)
{
	const struct stmt *s;

	for (s = stmts; s; s = s->next)
		if (s->kind == S_ROUTINE)
			fprintf(f, "#define %s %s_external\n", s->routine->user_name,
				s->routine->user_name);
}

void write_defines_header(FILE *f)
{
	char *protect = xasprintf("%s_defines", S.subsystem);
	const struct stmt *s;

	prolog(f, protect, false, false);
	fprintf(f, "\n/*\tDefines related to the Subsystem %s\t*/\n\n", S.subsystem);
	for (s = stmts; s; s = s->next) {
		const struct routine *rt = s->routine;
		char *up, *p;

		if (s->kind != S_ROUTINE)
			continue;
		up = xstrdup(rt->name);
		for (p = up; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		fprintf(f, "#define\tMACH_ID_%s\t\t%u\t/* %s() */\n", up, S.base + rt->number,
			rt->name);
		if (!rt->simple)
			fprintf(f, "#define\tMACH_ID_%s_REPLY\t\t%u\t/* %s() */\n", up,
				S.base + rt->number + 100, rt->name);
		fprintf(f, "\n");
	}
	epilog(f, protect, false);
}
