/* SPDX-License-Identifier: GPL-2.0 */
/* C types for migkern.defs. */
#ifndef MIGKERN_TYPES_H
#define MIGKERN_TYPES_H
typedef int *bigarr_t;
#endif
