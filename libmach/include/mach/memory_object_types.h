/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/memory_object_types.h>: the types and MAP_MEM_* flags of memory
 * entries (mach_make_memory_entry_64, mach_vm_map), with XNU's values.
 */
#ifndef _MACH_MEMORY_OBJECT_TYPES_H_
#define _MACH_MEMORY_OBJECT_TYPES_H_

#include <stdint.h>
#include <mach/port.h>

typedef unsigned long long	memory_object_offset_t;
typedef unsigned long long	memory_object_size_t;
typedef mach_port_t		memory_object_t;
typedef mach_port_t		memory_object_control_t;
typedef mach_port_t		memory_object_name_t;
typedef mach_port_t		memory_object_default_t;

#define MEMORY_OBJECT_NULL		((memory_object_t)MACH_PORT_NULL)
#define MEMORY_OBJECT_CONTROL_NULL	((memory_object_control_t)MACH_PORT_NULL)
#define MEMORY_OBJECT_NAME_NULL		((memory_object_name_t)MACH_PORT_NULL)
#define MEMORY_OBJECT_DEFAULT_NULL	((memory_object_default_t)MACH_PORT_NULL)

/* caching modes, in the top byte of the permission */
#define MAP_MEM_NOOP			0
#define MAP_MEM_COPYBACK		1
#define MAP_MEM_IO			2
#define MAP_MEM_WTHRU			3
#define MAP_MEM_WCOMB			4
#define MAP_MEM_INNERWBACK		5
#define MAP_MEM_POSTED			6
#define MAP_MEM_RT			7
#define MAP_MEM_POSTED_REORDERED	8
#define MAP_MEM_POSTED_COMBINED_REORDERED 9

#define GET_MAP_MEM(flags)	((((unsigned int)(flags)) >> 24) & 0xFF)
#define SET_MAP_MEM(caching, flags) \
	((flags) = ((((unsigned int)(caching)) << 24) & 0xFF000000) | \
		   ((flags) & 0xFFFFFF))

#define MAP_MEM_PROT_MASK		0xFF
#define MAP_MEM_LEDGER_TAGGED		0x002000
#define MAP_MEM_PURGABLE_KERNEL_ONLY	0x004000
#define MAP_MEM_GRAB_SECLUDED		0x008000
#define MAP_MEM_ONLY			0x010000	/* change caching only */
#define MAP_MEM_NAMED_CREATE		0x020000	/* new memory */
#define MAP_MEM_PURGABLE		0x040000	/* accepted, never purged */
#define MAP_MEM_NAMED_REUSE		0x080000	/* the parent, if identical */
#define MAP_MEM_USE_DATA_ADDR		0x100000
#define MAP_MEM_VM_COPY			0x200000	/* a snapshot of a region */
#define MAP_MEM_VM_SHARE		0x400000	/* a region, shared */
#define MAP_MEM_4K_DATA_ADDR		0x800000

#define MAP_MEM_FLAGS_MASK		0x00FFFF00
#define MAP_MEM_FLAGS_USER		0x00FFE000
#define MAP_MEM_FLAGS_ALL		MAP_MEM_FLAGS_USER

#endif /* _MACH_MEMORY_OBJECT_TYPES_H_ */
