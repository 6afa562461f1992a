/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/vm_map.h>: the vm_* routines (vm_address_t forms of <mach/mach_vm.h>). */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>
#include <mach/vm_region.h>

__BEGIN_DECLS

/*
 * Zero-filled, page-granular memory.  VM_FLAGS_ANYWHERE picks the address;
 * otherwise *address is used (VM_FLAGS_OVERWRITE replaces what is there).
 */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address,
			    vm_size_t size);

/*
 * The rest work on our own task or on another one (a task port from
 * task_for_pid), with XNU's codes: KERN_INVALID_ADDRESS for an unmapped
 * range, KERN_PROTECTION_FAILURE for one without the access needed.
 * vm_read returns new memory (same offset in its page as 'address') that
 * the caller releases with vm_deallocate.
 */
kern_return_t vm_read(vm_map_read_t target_task, vm_address_t address,
		      vm_size_t size, vm_offset_t *data,
		      mach_msg_type_number_t *dataCnt);
kern_return_t vm_read_overwrite(vm_map_read_t target_task, vm_address_t address,
				vm_size_t size, vm_address_t data,
				vm_size_t *outsize);
kern_return_t vm_write(vm_map_t target_task, vm_address_t address,
		       vm_offset_t data, mach_msg_type_number_t dataCnt);
kern_return_t vm_copy(vm_map_t target_task, vm_address_t source_address,
		      vm_size_t size, vm_address_t dest_address);
/*
 * Our own task only (KERN_NOT_SUPPORTED for another: Linux cannot change
 * another process's mappings).  A maximum lowered with set_maximum holds
 * for later vm_protect calls until the memory is vm_deallocate'd.
 */
kern_return_t vm_protect(vm_map_t target_task, vm_address_t address,
			 vm_size_t size, boolean_t set_maximum,
			 vm_prot_t new_protection);

/* vm_region_64 is mach_vm_region; vm_region answers VM_REGION_BASIC_INFO in its 32-bit form. */
kern_return_t vm_region(vm_map_read_t target_task, vm_address_t *address,
			vm_size_t *size, vm_region_flavor_t flavor,
			vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			mach_port_t *object_name);
kern_return_t vm_region_64(vm_map_read_t target_task, vm_address_t *address,
			   vm_size_t *size, vm_region_flavor_t flavor,
			   vm_region_info_t info, mach_msg_type_number_t *infoCnt,
			   mach_port_t *object_name);

/*
 * Memory entries (<mach/mach_vm.h> has the mach_vm_map form and what is
 * supported): name memory with a port, send it, map it.
 */
kern_return_t mach_make_memory_entry(vm_map_t target_task, vm_size_t *size,
				     vm_offset_t offset, vm_prot_t permission,
				     mem_entry_name_port_t *object_handle,
				     mem_entry_name_port_t parent_entry);
kern_return_t mach_make_memory_entry_64(vm_map_t target_task,
					memory_object_size_t *size,
					memory_object_offset_t offset,
					vm_prot_t permission,
					mach_port_t *object_handle,
					mem_entry_name_port_t parent_entry);
kern_return_t vm_map(vm_map_t target_task, vm_address_t *address,
		     vm_size_t size, vm_address_t mask, int flags,
		     mem_entry_name_port_t object, vm_offset_t offset,
		     boolean_t copy, vm_prot_t cur_protection,
		     vm_prot_t max_protection, vm_inherit_t inheritance);
kern_return_t vm_map_64(vm_map_t target_task, vm_address_t *address,
			vm_size_t size, vm_address_t mask, int flags,
			mem_entry_name_port_t object,
			memory_object_offset_t offset, boolean_t copy,
			vm_prot_t cur_protection, vm_prot_t max_protection,
			vm_inherit_t inheritance);

__END_DECLS

#endif /* _MACH_VM_MAP_H_ */
