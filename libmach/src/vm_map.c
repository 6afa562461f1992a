/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Memory entries and mach_vm_map (see <mach/mach_vm.h>).
 *
 * The kernel makes entries and maps them (MACH_IOC_MAKE_MEMORY_ENTRY,
 * MACH_IOC_VM_MAP); this file adds what needs no kernel: new anonymous
 * memory for MACH_PORT_NULL, alignment to a mask (by mapping over a
 * reservation large enough to hold an aligned range), the protection of a
 * copy mapping, inheritance, and the maximum protections that
 * mach_vm_protect and mach_vm_region keep (vm_ops.c).
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include <linux/mach.h>

#include "internal.h"

MACH_EXPORT kern_return_t
mach_make_memory_entry_64(vm_map_t target_task, memory_object_size_t *size,
			  memory_object_offset_t offset, vm_prot_t permission,
			  mach_port_t *object_handle,
			  mem_entry_name_port_t parent_entry)
{
	struct mach_memory_entry_args a = {
		.task = target_task, .permission = (__u32)permission,
		.offset = offset, .parent = parent_entry,
	};
	kern_return_t kr;

	if (size == NULL || object_handle == NULL)
		return KERN_INVALID_ARGUMENT;
	a.size = *size;
	kr = _mach_port_call(MACH_IOC_MAKE_MEMORY_ENTRY, &a);
	/* as with MIG, a failed call leaves the out arguments alone */
	if (kr == KERN_SUCCESS) {
		*size = a.size;
		*object_handle = a.handle;
	}
	return kr;
}

MACH_EXPORT kern_return_t
mach_make_memory_entry(vm_map_t target_task, vm_size_t *size,
		       vm_offset_t offset, vm_prot_t permission,
		       mem_entry_name_port_t *object_handle,
		       mem_entry_name_port_t parent_entry)
{
	memory_object_size_t sz;
	kern_return_t kr;

	if (size == NULL)
		return KERN_INVALID_ARGUMENT;
	sz = *size;
	kr = mach_make_memory_entry_64(target_task, &sz, offset, permission,
				       object_handle, parent_entry);
	if (kr == KERN_SUCCESS)
		*size = (vm_size_t)sz;
	return kr;
}

static uint64_t page_round(uint64_t v)
{
	return (v + vm_page_mask) & ~(uint64_t)vm_page_mask;
}

/* XNU's checks of what mach_vm_map is given, for the anonymous case. */
static kern_return_t check_map_args(mach_vm_size_t size, int flags,
				    vm_prot_t *cur, vm_prot_t max,
				    vm_inherit_t inheritance)
{
	const vm_prot_t known = VM_PROT_ALL | VM_PROT_IS_MASK;

	if ((unsigned int)flags & ~(unsigned int)VM_FLAGS_USER_MAP)
		return KERN_INVALID_ARGUMENT;
	if ((*cur & ~known) || (max & ~known))
		return KERN_INVALID_ARGUMENT;
	if (inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (size == 0 || size > UINT64_MAX - vm_page_mask)
		return KERN_INVALID_ARGUMENT;
	*cur &= max | VM_PROT_IS_MASK;	/* XNU narrows cur to max */
	return KERN_SUCCESS;
}

/*
 * An address aligned to mask with room for len bytes: a PROT_NONE
 * reservation that the mapping then replaces (MAP_FIXED), trimmed to len.
 */
static kern_return_t reserve_aligned(uint64_t len, uint64_t mask,
				     uint64_t *addr)
{
	uint64_t span, start, aligned;
	void *p;

	mask |= vm_page_mask;
	if (len > UINT64_MAX - mask || len + mask > SIZE_MAX)
		return KERN_NO_SPACE;
	span = len + mask;
	p = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return KERN_NO_SPACE;
	start = (uintptr_t)p;
	aligned = (start + mask) & ~mask;
	if (aligned > start)
		munmap(p, aligned - start);
	if (start + span > aligned + len)
		munmap((void *)(uintptr_t)(aligned + len),
		       start + span - aligned - len);
	*addr = aligned;
	return KERN_SUCCESS;
}

/* New zero-filled memory, as mach_vm_map with no object gives. */
static kern_return_t map_anonymous(uint64_t *addr, uint64_t len, int flags,
				   vm_prot_t cur, vm_inherit_t inheritance)
{
	int mflags = MAP_ANONYMOUS;
	void *want = NULL, *got;

	/* VM_INHERIT_SHARE: the child shares it, which MAP_SHARED does */
	mflags |= inheritance == VM_INHERIT_SHARE ? MAP_SHARED : MAP_PRIVATE;
	if (!(flags & VM_FLAGS_ANYWHERE)) {
		want = (void *)(uintptr_t)(*addr & ~(uint64_t)vm_page_mask);
		mflags |= (flags & VM_FLAGS_OVERWRITE) ? MAP_FIXED :
			  MAP_FIXED_NOREPLACE;
	}
	got = mmap(want, len, cur & VM_PROT_ALL, mflags, -1, 0);
	if (got == MAP_FAILED)
		return errno == EEXIST || errno == ENOMEM ? KERN_NO_SPACE :
		       KERN_INVALID_ADDRESS;
	if (want != NULL && got != want) {
		munmap(got, len);
		return KERN_NO_SPACE;
	}
	*addr = (uintptr_t)got;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
mach_vm_map(vm_map_t target_task, mach_vm_address_t *address,
	    mach_vm_size_t size, mach_vm_offset_t mask, int flags,
	    mem_entry_name_port_t object, memory_object_offset_t offset,
	    boolean_t copy, vm_prot_t cur_protection, vm_prot_t max_protection,
	    vm_inherit_t inheritance)
{
	struct mach_vm_map_args a = {
		.task = target_task, .object = object, .size = size,
		.offset = offset, .vm_flags = flags, .copy = !!copy,
		.cur_prot = cur_protection, .max_prot = max_protection,
		.inheritance = inheritance,
	};
	uint64_t addr, len = 0, start;
	kern_return_t kr;

	kr = _mach_vm_check_self(target_task);
	if (kr != KERN_SUCCESS)
		return kr;
	if (address == NULL)
		return KERN_INVALID_ADDRESS;
	addr = *address;

	if (!MACH_PORT_VALID(object)) {
		kr = check_map_args(size, flags, &cur_protection,
				    max_protection, inheritance);
		if (kr != KERN_SUCCESS)
			return kr;
		len = page_round(size);
		if (mask && (flags & VM_FLAGS_ANYWHERE)) {
			kr = reserve_aligned(len, mask, &addr);
			if (kr != KERN_SUCCESS)
				return kr;
			flags = (flags & ~VM_FLAGS_ANYWHERE) | VM_FLAGS_OVERWRITE;
		}
		kr = map_anonymous(&addr, len, flags, cur_protection, inheritance);
		if (kr != KERN_SUCCESS)
			return kr;
		start = addr;
	} else {
		if (mask && (flags & VM_FLAGS_ANYWHERE)) {
			/* room for the data's in-page offset too */
			len = page_round(size + (offset & vm_page_mask));
			kr = reserve_aligned(len, mask, &addr);
			if (kr != KERN_SUCCESS)
				return kr;
			a.vm_flags = (flags & ~VM_FLAGS_ANYWHERE) | VM_FLAGS_OVERWRITE;
		}
		a.address = addr;
		kr = _mach_port_call(MACH_IOC_VM_MAP, &a);
		if (kr != KERN_SUCCESS) {
			if (a.vm_flags != flags)	/* our reservation */
				munmap((void *)(uintptr_t)addr, len);
			return kr;
		}
		addr = a.address;
		start = addr & ~(uint64_t)vm_page_mask;
		len = page_round(addr + size) - start;
		/* the kernel fills a copy writable; now it gets cur */
		if (copy && (cur_protection & VM_PROT_ALL) != VM_PROT_DEFAULT)
			mprotect((void *)(uintptr_t)start, len,
				 cur_protection & max_protection & VM_PROT_ALL);
	}
	if (inheritance == VM_INHERIT_NONE)
		madvise((void *)(uintptr_t)start, len, MADV_DONTFORK);
	_mach_vm_max_forget(start, start + len);
	if ((max_protection & VM_PROT_ALL) != VM_PROT_ALL)
		_mach_vm_max_record(start, start + len,
				    max_protection & VM_PROT_ALL);
	*address = addr;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
vm_map_64(vm_map_t target_task, vm_address_t *address, vm_size_t size,
	  vm_address_t mask, int flags, mem_entry_name_port_t object,
	  memory_object_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
	  vm_prot_t max_protection, vm_inherit_t inheritance)
{
	mach_vm_address_t addr = address ? *address : 0;
	kern_return_t kr;

	kr = mach_vm_map(target_task, address ? &addr : NULL, size, mask, flags,
			 object, offset, copy, cur_protection, max_protection,
			 inheritance);
	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)addr;
	return kr;
}

MACH_EXPORT kern_return_t
vm_map(vm_map_t target_task, vm_address_t *address, vm_size_t size,
       vm_address_t mask, int flags, mem_entry_name_port_t object,
       vm_offset_t offset, boolean_t copy, vm_prot_t cur_protection,
       vm_prot_t max_protection, vm_inherit_t inheritance)
{
	return vm_map_64(target_task, address, size, mask, flags, object,
			 offset, copy, cur_protection, max_protection,
			 inheritance);
}
