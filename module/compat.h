/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel interfaces that differ across the kernels the module builds for.
 * Kbuild defines MACH_HAVE_* by looking for the newer interface in the
 * target kernel's headers.
 */
#ifndef _MACH_COMPAT_H
#define _MACH_COMPAT_H

#include <linux/mm.h>

/* 6.3 made vma->vm_flags read-only behind vm_flags_mod() and friends. */
static inline void mach_vma_flags_mod(struct vm_area_struct *vma,
				      vm_flags_t set, vm_flags_t clear)
{
#ifdef MACH_HAVE_VM_FLAGS_MOD
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

#endif /* _MACH_COMPAT_H */
