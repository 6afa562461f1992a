// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation and string helpers.  Every failure is fatal, so callers need
 * not check.  Everything the compiler allocates is kept on one list and
 * released at once by mig_free_all(): a compiler run needs no finer
 * bookkeeping, and the fuzz target runs many inputs in one process.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mig.h"

struct chunk {
	struct chunk *next;
	max_align_t data[];
};

static struct chunk *chunks;

void *xmalloc(size_t n)
{
	struct chunk *c;

	if (n > ((size_t)1 << 30))
		fatal("out of memory");
	c = malloc(sizeof(*c) + (n ? n : 1));
	if (!c)
		fatal("out of memory");
	c->next = chunks;
	chunks = c;
	return c->data;
}

void *xcalloc(size_t n, size_t size)
{
	void *p;

	if (size && n > ((size_t)1 << 30) / size)
		fatal("out of memory");
	p = xmalloc(n * size);
	memset(p, 0, n * size);
	return p;
}

void mig_free_all(void)
{
	while (chunks) {
		struct chunk *c = chunks;

		chunks = c->next;
		free(c);
	}
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("bad format");
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *xstrcat2(const char *a, const char *b)
{
	return xasprintf("%s%s", a ? a : "", b ? b : "");
}
