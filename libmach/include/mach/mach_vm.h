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

__END_DECLS

#endif /* _MACH_MACH_VM_H_ */
