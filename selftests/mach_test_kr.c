// SPDX-License-Identifier: GPL-2.0
/*
 * mach_test_kr.c - expect_kr(): compare Mach return codes and name them.
 *
 * Kept apart from mach_test.c so that the /dev/mach foundation tests, which
 * use the raw ioctls only, do not need anything from libmach.
 */
#include <mach/mach.h>
#include <mach/mach_error.h>

#include "mach_test.h"

bool mt_check_kr(int expected, int actual, const char *desc,
		 const char *file, int line)
{
	if (expected == actual)
		return true;
	mt_fail_at(file, line, "%s: expected 0x%x (%s), got 0x%x (%s)", desc,
		   (unsigned int)expected, mach_error_string(expected),
		   (unsigned int)actual, mach_error_string(actual));
	return false;
}
