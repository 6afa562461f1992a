// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: one input is one preprocessed .defs file.  It is
 * parsed and, when it parses, every file is written (to a sink), so the
 * lexer, the parser, the routine analysis and the writers all see it.  A
 * fatal error returns here through mig_bail instead of exiting.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mig.h"
#include "driver.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jmp_buf bail;
	struct outputs o;
	FILE *in;

	if (size > 65536)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	be_quiet = true;
	opts.sink = sink;
	mig_reset();
	in = fmemopen((void *)data, size ? size : 1, "r");
	if (!in)
		return 0;
	if (size == 0)
		fgetc(in);
	mig_bail = &bail;
	if (setjmp(bail) == 0) {
		if (mig_parse(in, "fuzz.defs") == 0) {
			mig_outputs(&o);
			mig_write(&o);
		}
	} else {
		lexer_free();
	}
	mig_bail = NULL;
	fclose(in);
	mig_free_all();
	return 0;
}
