/* SPDX-License-Identifier: GPL-2.0 */
/* C types for migtypes.defs (its "import"). */
#ifndef MIGTYPES_TYPES_H
#define MIGTYPES_TYPES_H

#include <stdint.h>

typedef int int6_t[6];
typedef uint8_t bytes5_t[5];
typedef struct { uint64_t a, b; } pair_t;
typedef struct { int16_t x, y, z; } tri_t;
typedef char name32_t[32];
typedef char *vname_t;
typedef int handle_t;
typedef int *ints_t;
typedef int16_t *shorts_t;
typedef uint8_t *vbytes_t;
typedef int *intarr_t;
typedef uint32_t my_counter_t;

/* what the server routine sees of a handle_t: translated by the stub */
struct handle_obj {
	int value;
	int live;
};
typedef struct handle_obj *handle_obj_t;
handle_obj_t handle_in(int value);
int handle_out(handle_obj_t h);
void handle_drop(handle_obj_t h);

#endif
