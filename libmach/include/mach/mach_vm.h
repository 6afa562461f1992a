/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/mach_vm.h>: the 64-bit-clean VM routines (see <mach/vm_map.h>). */
#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/vm_region.h>

__BEGIN_DECLS

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size);

kern_return_t mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address,
			   mach_vm_size_t size, vm_offset_t *data,
			   mach_msg_type_number_t *dataCnt);
kern_return_t mach_vm_read_overwrite(vm_map_read_t target_task,
				     mach_vm_address_t address,
				     mach_vm_size_t size,
				     mach_vm_address_t data,
				     mach_vm_size_t *outsize);
kern_return_t mach_vm_write(vm_map_t target_task, mach_vm_address_t address,
			    vm_offset_t data, mach_msg_type_number_t dataCnt);
kern_return_t mach_vm_copy(vm_map_t target_task,
			   mach_vm_address_t source_address,
			   mach_vm_size_t size,
			   mach_vm_address_t dest_address);
kern_return_t mach_vm_protect(vm_map_t target_task, mach_vm_address_t address,
			      mach_vm_size_t size, boolean_t set_maximum,
			      vm_prot_t new_protection);

/*
 * The region holding *address, or else the next one above it: its start
 * and size, and VM_REGION_BASIC_INFO_64 (VM_REGION_BASIC_INFO is taken to
 * mean it, as in XNU) from /proc/PID/maps; max_protection as lowered
 * through mach_vm_protect, VM_PROT_ALL otherwise.  KERN_INVALID_ADDRESS
 * when no region lies at or above *address.  *object_name is
 * MACH_PORT_NULL.
 */
kern_return_t mach_vm_region(vm_map_read_t target_task,
			     mach_vm_address_t *address, mach_vm_size_t *size,
			     vm_region_flavor_t flavor, vm_region_info_t info,
			     mach_msg_type_number_t *infoCnt,
			     mach_port_t *object_name);

/*
 * Map memory into our own task (another task: KERN_NOT_SUPPORTED).  With
 * object MACH_PORT_NULL, new zero-filled memory; with a memory entry from
 * mach_make_memory_entry_64 (perhaps another process's, received in a
 * message), the entry's memory: shared with every other mapping of it
 * when copy is FALSE, a private snapshot when TRUE.  mask aligns the
 * address ((address & mask) == 0).  XNU's codes: KERN_INVALID_RIGHT when
 * cur or max asks more than the entry grants, KERN_INVALID_ARGUMENT for a
 * size of 0 or a window past the entry's end, KERN_NO_SPACE for a fixed
 * address in use (without VM_FLAGS_OVERWRITE), KERN_INVALID_OBJECT for a
 * send right that is no memory entry.  max_protection holds for later
 * mach_vm_protect calls and, for a shared mapping, in the kernel
 * (mprotect cannot exceed it).  Inheritance across fork: VM_INHERIT_NONE
 * leaves the child without the range; a shared entry mapping is shared
 * with the child whatever else is asked (Linux cannot copy a shared
 * mapping at fork), a copy mapping is copied.
 */
kern_return_t mach_vm_map(vm_map_t target_task, mach_vm_address_t *address,
			  mach_vm_size_t size, mach_vm_offset_t mask,
			  int flags, mem_entry_name_port_t object,
			  memory_object_offset_t offset, boolean_t copy,
			  vm_prot_t cur_protection, vm_prot_t max_protection,
			  vm_inherit_t inheritance);

__END_DECLS

#endif /* _MACH_MACH_VM_H_ */
