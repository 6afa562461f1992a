/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/vm_page_size.h>: the page size variables and the page rounding macros. */
#ifndef _MACH_VM_PAGE_SIZE_H_
#define _MACH_VM_PAGE_SIZE_H_

#include <sys/cdefs.h>
#include <mach/machine/vm_types.h>

__BEGIN_DECLS

/* The user page size (sysconf(_SC_PAGESIZE)), its mask and shift. */
extern vm_size_t vm_page_size;
extern vm_size_t vm_page_mask;
extern int vm_page_shift;

/* The kernel's page size: the same as the user's on Linux. */
extern vm_size_t vm_kernel_page_size;
extern vm_size_t vm_kernel_page_mask;
extern int vm_kernel_page_shift;

__END_DECLS

#define trunc_page(x)	((x) & (~(vm_page_size - 1)))
#define round_page(x)	trunc_page((x) + (vm_page_size - 1))

#endif /* _MACH_VM_PAGE_SIZE_H_ */
