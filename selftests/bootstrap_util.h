/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bootstrap_util.h - shared by the bootstrap_* tests, which need machd
 * running (the VM harness starts it first).  Header-only so the tests
 * build with the ordinary IPC rule.
 */
#ifndef BOOTSTRAP_UTIL_H
#define BOOTSTRAP_UTIL_H

#include <stdio.h>
#include <unistd.h>
#include <bootstrap.h>

#include "msg_util.h"

/* A missing name server is a failure, not a skip: the feature is machd. */
#define bu_require_bootstrap() do { \
	if (bootstrap_port == MACH_PORT_NULL) { \
		mt_fail_at(__FILE__, __LINE__, \
			   "bootstrap_port is MACH_PORT_NULL: is machd running (machd -f)?"); \
		return; \
	} \
} while (0)

/* A name no other run of the test can hold: base.<pid>. */
static inline void bu_name(name_t out, const char *base)
{
	snprintf(out, sizeof(name_t), "%s.%d", base, (int)getpid());
}

#define expect_bs(expected, actual, desc) \
	bu_expect_bs((expected), (actual), (desc), __FILE__, __LINE__)
#define assert_bs(expected, actual, desc) \
	do { if (!expect_bs(expected, actual, desc)) return; } while (0)

/* As expect_kr, but names BOOTSTRAP_* codes too. */
static inline bool bu_expect_bs(kern_return_t expected, kern_return_t actual,
				const char *desc, const char *file, int line)
{
	if (expected == actual)
		return true;
	mt_fail_at(file, line, "%s: expected %d (%s), got %d (%s)", desc,
		   expected, bootstrap_strerror(expected), actual,
		   bootstrap_strerror(actual));
	return false;
}

#endif /* BOOTSTRAP_UTIL_H */
