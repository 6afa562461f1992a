// SPDX-License-Identifier: GPL-2.0
/*
 * Diagnostics.  Every message names the .defs file and line it is about
 * (the ones cpp's line markers gave), so "file:line: error: ..." reads like
 * a compiler's.  Errors are counted; main() exits 1 when there were any.
 */
#include <setjmp.h>
#include <stdlib.h>

#include "mig.h"

jmp_buf *mig_bail;

/* Stop compiling: exit, or return to the fuzz target's loop. */
static void __attribute__((noreturn)) stop(void)
{
	if (mig_bail)
		longjmp(*mig_bail, 1);
	exit(1);
}

const char *cur_file = "<stdin>";
int cur_line = 1;
int error_count;
bool be_quiet;

static void vsay(const char *file, int line, const char *what, const char *fmt, va_list ap)
{
	if (file)
		fprintf(stderr, "%s:%d: %s: ", file, line, what);
	else
		fprintf(stderr, "mig: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(file, line, "error", fmt, ap);
	va_end(ap);
	/* A file full of garbage gets a bounded report. */
	if (++error_count >= 50) {
		fprintf(stderr, "mig: too many errors, giving up\n");
		stop();
	}
}

void warn_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (be_quiet)
		return;
	va_start(ap, fmt);
	vsay(file, line, "warning", fmt, ap);
	va_end(ap);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(cur_file, cur_line, "error", fmt, ap);
	va_end(ap);
	if (++error_count >= 50) {
		fprintf(stderr, "mig: too many errors, giving up\n");
		stop();
	}
}

void warn(const char *fmt, ...)
{
	va_list ap;

	if (be_quiet)
		return;
	va_start(ap, fmt);
	vsay(cur_file, cur_line, "warning", fmt, ap);
	va_end(ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(NULL, 0, "error", fmt, ap);
	va_end(ap);
	stop();
}
