/* SPDX-License-Identifier: GPL-2.0 */
/* C types for migwire.defs. */
#ifndef MIGWIRE_TYPES_H
#define MIGWIRE_TYPES_H
#include <stdint.h>
typedef char *str16_t;
typedef int16_t *shorts5_t;
#endif
