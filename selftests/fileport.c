// SPDX-License-Identifier: GPL-2.0
#include "mach_test.h"
static void todo(void) { mt_skip("todo"); }
static const struct mt_case cases[] = { MT_CASE(todo) };
int main(void) { return MT_RUN(cases); }
