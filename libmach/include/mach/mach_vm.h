/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/mach_vm.h>: the 64-bit-clean forms of vm_allocate/vm_deallocate. */
#ifndef _MACH_MACH_VM_H_
#define _MACH_MACH_VM_H_

#include <sys/cdefs.h>
#include <mach/mach_types.h>

__BEGIN_DECLS

kern_return_t mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
			       mach_vm_size_t size, int flags);
kern_return_t mach_vm_deallocate(vm_map_t target, mach_vm_address_t address,
				 mach_vm_size_t size);

__END_DECLS

#endif /* _MACH_MACH_VM_H_ */
