/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/vm_region.h>: what vm_region()/mach_vm_region() report, XNU's layouts. */
#ifndef _MACH_VM_REGION_H_
#define _MACH_VM_REGION_H_

#include <stdint.h>
#include <mach/boolean.h>
#include <mach/machine/vm_types.h>
#include <mach/message.h>
#include <mach/vm_prot.h>
#include <mach/vm_inherit.h>
#include <mach/vm_behavior.h>

#ifndef _MEMORY_OBJECT_OFFSET_T_DEFINED
#define _MEMORY_OBJECT_OFFSET_T_DEFINED
typedef unsigned long long	memory_object_offset_t;
#endif

typedef uint32_t	vm32_object_id_t;

typedef int	*vm_region_info_t;
typedef int	*vm_region_info_64_t;
typedef int	*vm_region_recurse_info_t;
typedef int	*vm_region_recurse_info_64_t;
typedef int	vm_region_flavor_t;
#define VM_REGION_INFO_MAX	(1024)
typedef int	vm_region_info_data_t[VM_REGION_INFO_MAX];

/* Four-byte packing, so the 64-bit offset needs no padding (as in XNU). */
#pragma pack(push, 4)

#define VM_REGION_BASIC_INFO_64	9
struct vm_region_basic_info_64 {
	vm_prot_t		protection;
	vm_prot_t		max_protection;
	vm_inherit_t		inheritance;
	boolean_t		shared;
	boolean_t		reserved;
	memory_object_offset_t	offset;
	vm_behavior_t		behavior;
	unsigned short		user_wired_count;
};
typedef struct vm_region_basic_info_64	*vm_region_basic_info_64_t;
typedef struct vm_region_basic_info_64	vm_region_basic_info_data_64_t;
#define VM_REGION_BASIC_INFO_COUNT_64 \
	((mach_msg_type_number_t)(sizeof(vm_region_basic_info_data_64_t) / sizeof(int)))

/* The 32-bit-offset form; mach_vm_region() and vm_region_64() answer the 64-bit one. */
#define VM_REGION_BASIC_INFO	10
struct vm_region_basic_info {
	vm_prot_t		protection;
	vm_prot_t		max_protection;
	vm_inherit_t		inheritance;
	boolean_t		shared;
	boolean_t		reserved;
	uint32_t		offset;
	vm_behavior_t		behavior;
	unsigned short		user_wired_count;
};
typedef struct vm_region_basic_info	*vm_region_basic_info_t;
typedef struct vm_region_basic_info	vm_region_basic_info_data_t;
#define VM_REGION_BASIC_INFO_COUNT \
	((mach_msg_type_number_t)(sizeof(vm_region_basic_info_data_t) / sizeof(int)))

/* Flavors libmach does not answer (KERN_INVALID_ARGUMENT). */
#define VM_REGION_TOP_INFO	12
#define VM_REGION_EXTENDED_INFO	13

#pragma pack(pop)

#endif /* _MACH_VM_REGION_H_ */
