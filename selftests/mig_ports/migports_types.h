/* SPDX-License-Identifier: GPL-2.0 */
/* C types for migports.defs (its "import"). */
#ifndef MIGPORTS_TYPES_H
#define MIGPORTS_TYPES_H

#include <mach/mach_types.h>

typedef mach_port_t port3_t[3];
typedef mach_port_t *portv_t;
typedef mach_port_t *portsout_t;
typedef mach_port_t *oolports_t;
typedef natural_t types_t[6];

#endif
