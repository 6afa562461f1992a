/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vm_allocate and friends over mmap/munmap (vm_ops.c has the rest).  Only
 * the caller's own task can be allocated in: Linux gives no way to map
 * into another process, so another task's port gets KERN_NOT_SUPPORTED,
 * and a name that is no task port MACH_SEND_INVALID_DEST, what macOS says
 * for it.  (Without /dev/mach, mach_task_self() is MACH_PORT_NULL and that
 * name is accepted, so MIG's OOL memory still works.)
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

MACH_EXPORT vm_size_t vm_page_size = 4096;
MACH_EXPORT vm_size_t vm_page_mask = 4095;
MACH_EXPORT int vm_page_shift = 12;
/* Linux maps user memory in pages of the kernel's size. */
MACH_EXPORT vm_size_t vm_kernel_page_size = 4096;
MACH_EXPORT vm_size_t vm_kernel_page_mask = 4095;
MACH_EXPORT int vm_kernel_page_shift = 12;

/* The defaults above are x86_64's; correct them where pages differ. */
__attribute__((constructor)) static void vm_page_init(void)
{
	long sz = sysconf(_SC_PAGESIZE);
	int shift = 0;

	if (sz <= 0 || (sz & (sz - 1)))
		return;
	while ((1L << shift) < sz)
		shift++;
	vm_page_size = (vm_size_t)sz;
	vm_page_mask = (vm_size_t)sz - 1;
	vm_page_shift = shift;
	vm_kernel_page_size = vm_page_size;
	vm_kernel_page_mask = vm_page_mask;
	vm_kernel_page_shift = shift;
}

/* Flags we accept; the rest have no meaning we could honour. */
#define VM_FLAGS_KNOWN (VM_FLAGS_ANYWHERE | VM_FLAGS_PURGABLE | \
	VM_FLAGS_RANDOM_ADDR | VM_FLAGS_NO_CACHE | VM_FLAGS_OVERWRITE | \
	VM_FLAGS_PERMANENT | VM_FLAGS_ALIAS_MASK)

/* KERN_SUCCESS for our own task, else what the call must answer. */
kern_return_t _mach_vm_check_self(vm_map_t target)
{
	int pid;

	if (target == mach_task_self())
		return KERN_SUCCESS;
	if (!MACH_PORT_VALID(target) || pid_for_task(target, &pid) != KERN_SUCCESS)
		return MACH_SEND_INVALID_DEST;
	return pid == getpid() ? KERN_SUCCESS : KERN_NOT_SUPPORTED;
}

static kern_return_t vm_alloc(uint64_t *addr, uint64_t size, int flags)
{
	uint64_t mask = vm_page_mask;
	uint64_t start, len;
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
	void *want, *got;

	if ((unsigned int)flags & ~(unsigned int)VM_FLAGS_KNOWN)
		return KERN_INVALID_ARGUMENT;
	if (size == 0) {
		/* macOS succeeds and hands back no memory. */
		if (flags & VM_FLAGS_ANYWHERE)
			*addr = 0;
		return KERN_SUCCESS;
	}
	if (size > UINT64_MAX - mask || size + mask > SIZE_MAX)
		return KERN_INVALID_ARGUMENT;
	len = (size + mask) & ~mask;

	if (flags & VM_FLAGS_ANYWHERE) {
		want = NULL;
	} else {
		start = *addr & ~mask;	/* macOS truncates a fixed address */
		if (start > UINT64_MAX - len || start + len > UINTPTR_MAX)
			return KERN_INVALID_ADDRESS;
		want = (void *)(uintptr_t)start;
		mflags |= (flags & VM_FLAGS_OVERWRITE) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	}

	got = mmap(want, (size_t)len, PROT_READ | PROT_WRITE, mflags, -1, 0);
	if (got == MAP_FAILED) {
		switch (errno) {
		case EEXIST:	/* FIXED over an existing mapping */
		case ENOMEM:
			return KERN_NO_SPACE;
		case EPERM:
		case EACCES:
		case EINVAL:
			return KERN_INVALID_ADDRESS;
		default:
			return KERN_RESOURCE_SHORTAGE;
		}
	}
	/* Kernels before 4.17 treat MAP_FIXED_NOREPLACE as a mere hint. */
	if (want != NULL && got != want) {
		munmap(got, (size_t)len);
		return KERN_NO_SPACE;
	}
	*addr = (uintptr_t)got;
	/* new memory: maximum protection VM_PROT_ALL, as on macOS */
	_mach_vm_max_forget(*addr, *addr + len);
	return KERN_SUCCESS;
}

static kern_return_t vm_dealloc(uint64_t addr, uint64_t size)
{
	uint64_t mask = vm_page_mask;
	uint64_t start, end;

	if (size == 0)
		return KERN_SUCCESS;
	if (addr > UINT64_MAX - size || addr + size > UINT64_MAX - mask)
		return KERN_INVALID_ARGUMENT;
	start = addr & ~mask;
	end = (addr + size + mask) & ~mask;
	if (end > UINTPTR_MAX)
		return KERN_INVALID_ARGUMENT;
	/* Unmapping a hole is fine on both systems. */
	if (munmap((void *)(uintptr_t)start, (size_t)(end - start)) != 0)
		return KERN_INVALID_ARGUMENT;
	_mach_vm_max_forget(start, end);
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
mach_vm_allocate(vm_map_t target, mach_vm_address_t *address,
		 mach_vm_size_t size, int flags)
{
	uint64_t addr;
	kern_return_t kr;

	kr = _mach_vm_check_self(target);
	if (kr != KERN_SUCCESS)
		return kr;
	if (address == NULL)
		return KERN_INVALID_ADDRESS;
	addr = *address;
	kr = vm_alloc(&addr, size, flags);
	if (kr == KERN_SUCCESS)
		*address = addr;
	return kr;
}

MACH_EXPORT kern_return_t
mach_vm_deallocate(vm_map_t target, mach_vm_address_t address, mach_vm_size_t size)
{
	kern_return_t kr;

	kr = _mach_vm_check_self(target);
	if (kr != KERN_SUCCESS)
		return kr;
	return vm_dealloc(address, size);
}

/* The vm_* forms: the same calls with the task's pointer-sized types. */
MACH_EXPORT kern_return_t
vm_allocate(vm_map_t target_task, vm_address_t *address, vm_size_t size, int flags)
{
	mach_vm_address_t addr = address ? *address : 0;
	kern_return_t kr;

	kr = mach_vm_allocate(target_task, address ? &addr : NULL, size, flags);
	if (kr == KERN_SUCCESS)
		*address = (vm_address_t)addr;
	return kr;
}

MACH_EXPORT kern_return_t
vm_deallocate(vm_map_t target_task, vm_address_t address, vm_size_t size)
{
	return mach_vm_deallocate(target_task, address, size);
}

/* Internal page allocations: no task check, no device needed. */
void *_mach_pages_alloc(size_t size)
{
	uint64_t addr = 0;

	if (vm_alloc(&addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return NULL;
	return (void *)(uintptr_t)addr;
}

void _mach_pages_free(void *addr, size_t size)
{
	if (addr != NULL)
		vm_dealloc((uintptr_t)addr, size);
}

void _mach_pages_trim(void *addr, size_t had, size_t keep)
{
	size_t mask = vm_page_mask;
	size_t had_r = (had + mask) & ~mask;
	size_t keep_r = (keep + mask) & ~mask;

	if (keep_r < had_r)
		munmap((char *)addr + keep_r, had_r - keep_r);
}
