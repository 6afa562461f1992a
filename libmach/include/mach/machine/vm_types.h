/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/machine/vm_types.h>: the machine-sized scalar types every other Mach
 * header builds on.  Kept separate so port.h and message.h can use them
 * without pulling in the whole VM header.
 */
#ifndef _MACH_MACHINE_VM_TYPES_H_
#define _MACH_MACHINE_VM_TYPES_H_

#include <stdint.h>

typedef unsigned int		natural_t;	/* 32 bits even on LP64 */
typedef int			integer_t;

typedef uintptr_t		vm_offset_t;
typedef uintptr_t		vm_size_t;

/* The mach_vm_* family is 64-bit whatever the caller's word size. */
typedef uint64_t		mach_vm_address_t;
typedef uint64_t		mach_vm_offset_t;
typedef uint64_t		mach_vm_size_t;

typedef uint64_t		vm_map_offset_t;
typedef uint64_t		vm_map_address_t;
typedef uint64_t		vm_map_size_t;

typedef uint32_t		vm32_offset_t;
typedef uint32_t		vm32_address_t;
typedef uint32_t		vm32_size_t;

/* Pointer-sized cookie carried with a port (context, guard). */
typedef vm_offset_t		mach_port_context_t;

#endif /* _MACH_MACHINE_VM_TYPES_H_ */
