/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach_debug/mach_debug_types.h>: the debugging interfaces' types libmach has. */
#ifndef _MACH_DEBUG_MACH_DEBUG_TYPES_H_
#define _MACH_DEBUG_MACH_DEBUG_TYPES_H_

#include <mach_debug/ipc_info.h>

/* Strings the debugging routines return (fixed buffers, as on macOS). */
typedef char symtab_name_t[32];
typedef char kobject_description_t[512];

#endif /* _MACH_DEBUG_MACH_DEBUG_TYPES_H_ */
