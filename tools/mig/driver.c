// SPDX-License-Identifier: GPL-2.0
/*
 * One compilation: reset the state, parse a preprocessed .defs file, derive
 * the names the writers use, and write the files.  main.c runs cpp and
 * calls these; the fuzz target calls them on its inputs.
 */
#include <errno.h>
#include <string.h>

#include "mig.h"
#include "driver.h"

struct options opts = {
	.max_on_stack = -1,
	.vouchers = true,
	.use_rpc = true,
};

void mig_reset(void)
{
	struct settings empty = { 0 };

	mig_free_all();
	S = empty;
	S.server_prefix = "";
	S.user_prefix = "";
	S.max_on_stack = opts.max_on_stack;
	S.user_type_limit = -1;
	S.split = opts.split;
	S.vouchers = opts.vouchers;
	stmts = NULL;
	parse_finish();
	rt_count = 0;
	error_count = 0;
	cur_file = "<stdin>";
	cur_line = 1;
	types_init();
}

/* Parse; 0 when the file had no errors. */
int mig_parse(FILE *in, const char *name)
{
	cur_file = name;
	cur_line = 1;
	lexer_reset(in);
	mig_yyparse();
	lexer_free();
	if (error_count)
		return -1;
	if (!S.subsystem) {
		error_at(name, 1, "no subsystem declaration");
		return -1;
	}
	if (!S.server_demux)
		S.server_demux = xasprintf("%s_server", S.subsystem);
	S.server_subsys = xasprintf("%s%s_subsystem", S.server_prefix, S.subsystem);
	if ((uint64_t)S.base + rt_count + 100 > 0x7fffffffull) {
		error_at(name, cur_line, "subsystem %s: message ids %u..%u are out of range",
			 S.subsystem, S.base, S.base + rt_count);
		return -1;
	}
	return 0;
}

static FILE *out_open(const char *name)
{
	FILE *f = fopen(name, "w");

	if (!f)
		fatal("cannot write %s: %s", name, strerror(errno));
	return f;
}

static void out_close(FILE *f, const char *name)
{
	if (ferror(f) | fclose(f))
		fatal("error writing %s", name);
}

/* NULL when /dev/null was asked for (no such file), else the name. */
static const char *output_name(const char *given, const char *deflt)
{
	if (!given)
		return deflt;
	if (strcmp(given, "/dev/null") == 0)
		return NULL;
	return given;
}

void mig_outputs(struct outputs *o)
{
	o->header = output_name(opts.header, xasprintf("%s.h", S.subsystem));
	o->user = opts.user_prefix ? NULL :
		  output_name(opts.user, xasprintf("%sUser.c", S.subsystem));
	o->server = output_name(opts.server, xasprintf("%sServer.c", S.subsystem));
	o->sheader = opts.sheader ? output_name(opts.sheader, NULL) : NULL;
	o->iheader = (S.kernel_server && opts.iheader) ? output_name(opts.iheader, NULL) : NULL;
	o->dheader = opts.dheader ? output_name(opts.dheader, NULL) : NULL;
}

static void write_one(const char *name, void (*fn)(FILE *))
{
	FILE *f;

	if (!name)
		return;
	if (opts.sink) {
		fn(opts.sink);
		return;
	}
	f = out_open(name);
	fn(f);
	out_close(f, name);
}

void mig_write(const struct outputs *o)
{
	const struct stmt *s;

	/* what the user and server files include by name */
	S.header_file = o->header;
	S.sheader_file = o->sheader;
	write_one(o->header, write_user_header);
	write_one(o->sheader, write_server_header);
	write_one(o->iheader, write_internal_header);
	write_one(o->dheader, write_defines_header);
	if (opts.user_prefix) {
		for (s = stmts; s; s = s->next)
			if (s->kind == S_ROUTINE) {
				char *name = xasprintf("%s%s.c", opts.user_prefix, s->routine->name);
				FILE *f = out_open(name);

				write_user_routine_file(f, s->routine);
				out_close(f, name);
			}
	} else {
		write_one(o->user, write_user);
	}
	write_one(o->server, write_server);
}
