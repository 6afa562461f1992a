// SPDX-License-Identifier: GPL-2.0
/*
 * The pages behind memory entries (see mem_entry.h for the three objects
 * and their lifetimes).
 *
 * Pages of an object's own are charged to the memory cgroup of whoever
 * first touches them (__GFP_ACCOUNT) and zeroed.  Pinned pages stay the
 * region owner's, already charged to it; being unswappable for as long as
 * the entry or a mapping lives, they count against the owner's
 * RLIMIT_MEMLOCK, as io_uring's and RDMA's registered buffers do.
 */

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "mach_types.h"
#include "mem_entry.h"

static struct mach_mem_object *mach_mem_object_alloc(unsigned long npages)
{
	struct mach_mem_object *obj;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL_ACCOUNT);
	if (!obj)
		return NULL;
	kref_init(&obj->ref);
	obj->npages = npages;
	xa_init(&obj->pages);
	return obj;
}

/* Zero-filled pages, each allocated when first touched (NAMED_CREATE). */
struct mach_mem_object *mach_mem_object_create(unsigned long npages)
{
	return mach_mem_object_alloc(npages);
}

static void mach_mem_object_free(struct kref *ref)
{
	struct mach_mem_object *obj =
		container_of(ref, struct mach_mem_object, ref);
	struct page *page;
	unsigned long index;

	xa_for_each(&obj->pages, index, page) {
		if (obj->pinned_mm)
			unpin_user_page(page);
		else
			__free_page(page);
	}
	xa_destroy(&obj->pages);
	if (obj->pinned_mm) {
		account_locked_vm(obj->pinned_mm, obj->npages, false);
		mmdrop(obj->pinned_mm);
	}
	kfree(obj);
}

void mach_mem_object_get(struct mach_mem_object *obj)
{
	kref_get(&obj->ref);
}

void mach_mem_object_put(struct mach_mem_object *obj)
{
	kref_put(&obj->ref, mach_mem_object_free);
}

/*
 * Page 'index' of the object, allocating a zeroed one if it has none and
 * 'create' is set; NULL if it has none (reads as zeroes), or an ERR_PTR.
 * Two faults racing on one index agree through the cmpxchg.
 */
struct page *mach_mem_object_page(struct mach_mem_object *obj,
				  unsigned long index, bool create)
{
	struct page *page, *old;

	if (index >= obj->npages)
		return ERR_PTR(-EFAULT);
	page = xa_load(&obj->pages, index);
	if (page || !create || obj->pinned_mm)
		return page;
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO | __GFP_ACCOUNT);
	if (!page)
		return ERR_PTR(-ENOMEM);
	old = xa_cmpxchg(&obj->pages, index, NULL, page, GFP_KERNEL_ACCOUNT);
	if (!old)
		return page;
	__free_page(page);
	return xa_is_err(old) ? ERR_PTR(xa_err(old)) : old;
}

/*
 * The caller's pages [start, start + npages pages), pinned (the share-mode
 * entry).  'write': the region is writable, so the pins break any
 * copy-on-write first and its owner's later writes land in these pages.
 * The caller checked that the range is mapped with the protections asked.
 */
struct mach_mem_object *mach_mem_object_pin(unsigned long start,
					    unsigned long npages, bool write,
					    int *kr)
{
	unsigned int gup = FOLL_LONGTERM | (write ? FOLL_WRITE : 0);
	struct mm_struct *mm = current->mm;
	struct mach_mem_object *obj;
	struct page **pages;
	unsigned long i;
	int got;

	*kr = KERN_RESOURCE_SHORTAGE;
	if (npages > INT_MAX)
		return NULL;
	pages = kvmalloc_array(npages, sizeof(*pages), GFP_KERNEL_ACCOUNT);
	obj = mach_mem_object_alloc(npages);
	if (!pages || !obj)
		goto err;
	if (account_locked_vm(mm, npages, true))
		goto err;
	got = pin_user_pages_fast(start, npages, gup, pages);
	if (got != npages) {
		/* raced with an unmap, or pages that cannot be pinned */
		if (got > 0)
			unpin_user_pages(pages, got);
		account_locked_vm(mm, npages, false);
		*kr = KERN_INVALID_ADDRESS;
		goto err;
	}
	mmgrab(mm);
	obj->pinned_mm = mm;
	for (i = 0; i < npages; i++) {
		if (xa_err(xa_store(&obj->pages, i, pages[i],
				    GFP_KERNEL_ACCOUNT))) {
			/* the object frees what it stored: unpin the rest */
			unpin_user_pages(pages + i, npages - i);
			mach_mem_object_put(obj);
			kvfree(pages);
			return NULL;
		}
	}
	kvfree(pages);
	*kr = KERN_SUCCESS;
	return obj;

err:
	kvfree(pages);
	kfree(obj);
	return NULL;
}

/* A snapshot of the caller's [start, start + npages pages) (VM_COPY). */
struct mach_mem_object *mach_mem_object_copy(unsigned long start,
					     unsigned long npages, int *kr)
{
	struct mach_mem_object *obj;
	unsigned long i;

	obj = mach_mem_object_alloc(npages);
	if (!obj) {
		*kr = KERN_RESOURCE_SHORTAGE;
		return NULL;
	}
	for (i = 0; i < npages; i++) {
		struct page *page = mach_mem_object_page(obj, i, true);
		void *kaddr;
		int left;

		if (IS_ERR(page)) {
			*kr = KERN_RESOURCE_SHORTAGE;
			goto err;
		}
		kaddr = kmap_local_page(page);
		left = copy_from_user(kaddr,
				      (void __user *)(start + i * PAGE_SIZE),
				      PAGE_SIZE);
		kunmap_local(kaddr);
		if (left) {
			*kr = KERN_INVALID_ADDRESS;
			goto err;
		}
		cond_resched();
	}
	*kr = KERN_SUCCESS;
	return obj;

err:
	mach_mem_object_put(obj);
	return NULL;
}
