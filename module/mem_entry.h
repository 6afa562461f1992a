/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory entries: named memory that tasks share by sending a port.
 *
 * Three objects, each with its own lifetime:
 *
 *   struct mach_mem_object   the pages.  Counted (kref) by every entry and
 *                            every mapping that refers to them, so pages
 *                            outlive the entry that named them for as long
 *                            as some process maps them, as XNU's VM object
 *                            outlives its named entry.
 *   struct mach_mem_entry    a window on an object: first page, size and
 *                            the protections it grants.  It belongs to its
 *                            kernel-object port and is freed when the last
 *                            send right goes (kobject.c).
 *   struct mach_mem_map      one vm_map() of a window, the private data of
 *                            the file behind that mapping (mem_map.c).
 *                            Its file lives as long as any VMA maps it,
 *                            forks included.
 *
 * An object's pages are either pinned pages of a task's own region (a
 * share-mode entry: both the region and every mapping of the entry see the
 * same pages), or pages of its own, allocated on first touch (NAMED_CREATE)
 * or filled at creation (VM_COPY).  They are kept in an xarray by index,
 * so a large, sparsely used NAMED_CREATE object costs only what is used.
 */
#ifndef _MACH_MEM_ENTRY_H
#define _MACH_MEM_ENTRY_H

#include <linux/compiler_types.h>
#include <linux/kref.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct mach_space;
struct mm_struct;
struct page;
struct vm_area_struct;

struct mach_mem_object {
	struct kref ref;
	unsigned long npages;
	struct xarray pages;		/* index -> struct page * */
	/* pinned pages of this mm's region, charged to its locked_vm */
	struct mm_struct *pinned_mm;
};

struct mach_mem_entry {
	struct mach_mem_object *obj;	/* a reference */
	unsigned long first;		/* first page of obj in the window */
	u64 size;			/* bytes, a multiple of the page size */
	u64 data_offset;		/* MAP_MEM_USE_DATA_ADDR: in first page */
	u32 prot;			/* VM_PROT_* the entry grants */
	bool is_copy;			/* VM_COPY/VM_SHARE: never a parent */
};

/* mem_object.c */
struct mach_mem_object *mach_mem_object_create(unsigned long npages);
struct mach_mem_object *mach_mem_object_pin(unsigned long start,
					    unsigned long npages, bool write,
					    int *kr);
struct mach_mem_object *mach_mem_object_copy(unsigned long start,
					     unsigned long npages, int *kr);
struct page *mach_mem_object_page(struct mach_mem_object *obj,
				  unsigned long index, bool create);
void mach_mem_object_get(struct mach_mem_object *obj);
void mach_mem_object_put(struct mach_mem_object *obj);

/* mem_entry.c */
void mach_mem_entry_free(struct mach_mem_entry *entry);
long mach_mem_entry_ioctl(struct mach_space *caller, void __user *uarg);

/* mem_map.c */
long mach_vm_map_ioctl(struct mach_space *caller, void __user *uarg);
struct mach_mem_object *mach_mem_vma_object(struct vm_area_struct *vma,
					    unsigned long *first);

#endif /* _MACH_MEM_ENTRY_H */
