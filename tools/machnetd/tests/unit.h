/* SPDX-License-Identifier: GPL-2.0 */
/* A few macros for machnetd's host unit tests: count failures, report, exit 1 on any. */
#ifndef MACHNETD_UNIT_H
#define MACHNETD_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failures, unit_checks;

#define CHECK(cond) do {							\
	unit_checks++;								\
	if (!(cond)) {								\
		unit_failures++;						\
		fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond);	\
	}									\
} while (0)

#define CHECK_STR(a, b) do {							\
	unit_checks++;								\
	if (strcmp((a), (b)) != 0) {						\
		unit_failures++;						\
		fprintf(stderr, "%s:%d: FAIL: \"%s\" != \"%s\"\n", __FILE__,	\
			__LINE__, (a), (b));					\
	}									\
} while (0)

static inline int unit_report(const char *name)
{
	printf("%s: %d checks, %d failed: %s\n", name, unit_checks, unit_failures,
	       unit_failures ? "FAIL" : "PASS");
	return unit_failures ? 1 : 0;
}

#endif /* MACHNETD_UNIT_H */
