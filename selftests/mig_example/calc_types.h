/* SPDX-License-Identifier: GPL-2.0 */
/* C types for calc.defs (the defs file's "import"). */
#ifndef CALC_TYPES_H
#define CALC_TYPES_H
typedef const char *calc_name_t;
typedef int calc_values_t[8];
#endif
