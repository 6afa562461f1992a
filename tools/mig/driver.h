/* SPDX-License-Identifier: GPL-2.0 */
/* One compilation, for main.c and the fuzz target. */
#ifndef MIG_DRIVER_H
#define MIG_DRIVER_H

#include <stdbool.h>
#include <stdio.h>

/* What the command line asked for. */
struct options {
	const char *user, *header, *server, *sheader, *iheader, *dheader;
	const char *user_prefix;	/* -i: one user file per routine */
	long max_on_stack;
	bool split, vouchers, use_rpc, symtab;
	FILE *sink;		/* the fuzz target: every file goes here */
};
extern struct options opts;

/* The files one compilation writes (NULL: not written). */
struct outputs {
	const char *header, *user, *server, *sheader, *iheader, *dheader;
};

void mig_reset(void);
int mig_parse(FILE *in, const char *name);
void mig_outputs(struct outputs *o);
void mig_write(const struct outputs *o);

#endif /* MIG_DRIVER_H */
