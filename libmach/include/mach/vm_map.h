/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/vm_map.h>: vm_allocate/vm_deallocate on the caller's own task. */
#ifndef _MACH_VM_MAP_H_
#define _MACH_VM_MAP_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

/*
 * Zero-filled, page-granular memory.  VM_FLAGS_ANYWHERE picks the address;
 * otherwise *address is used (VM_FLAGS_OVERWRITE replaces what is there).
 */
kern_return_t vm_allocate(vm_map_t target_task, vm_address_t *address,
			  vm_size_t size, int flags);
kern_return_t vm_deallocate(vm_map_t target_task, vm_address_t address,
			    vm_size_t size);

__END_DECLS

#endif /* _MACH_VM_MAP_H_ */
