// SPDX-License-Identifier: GPL-2.0
/*
 * mach_make_memory_entry_64: name memory with a port (see mem_entry.h).
 *
 * The flavours, in XNU's order of precedence, with its return codes:
 *   MAP_MEM_ONLY          change the parent's caching: nothing to do here
 *   MAP_MEM_NAMED_CREATE  new zero-filled memory of the given size
 *   MAP_MEM_VM_COPY       a snapshot of a region of the caller
 *   MAP_MEM_VM_SHARE, no parent, or MAP_MEM_NAMED_REUSE
 *                         the caller's region itself, shared
 *   otherwise             a window on the parent entry
 * Regions can only be the caller's own (as libmach's vm_* routines, Linux
 * gives no way into another process's memory): another task gets
 * KERN_NOT_SUPPORTED, except for NAMED_CREATE, which reads no region.
 */

#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "mem_entry.h"
#include "port.h"
#include "right.h"
#include "space.h"
#include "task.h"

/* What a make-entry call asks for, decoded. */
struct mach_mem_request {
	u64 offset;
	u64 size;
	u32 perm;			/* MAP_MEM_* flags */
	u32 prot;			/* VM_PROT_* wanted */
	u32 access;			/* GET_MAP_MEM(): a caching mode */
	bool mask;			/* VM_PROT_IS_MASK: take what there is */
	bool data_addr;			/* USE_DATA_ADDR or 4K_DATA_ADDR */
	bool self;			/* the target task is the caller */
	bool has_parent;
	struct mach_mem_entry parent;	/* a copy, with an object reference */
};

/* The page-aligned range [*start, *end) covering offset and size. */
static int mach_mem_range(u64 offset, u64 size, u64 *start, u64 *end)
{
	u64 last;

	if (check_add_overflow(offset, size, &last) ||
	    last > U64_MAX - (PAGE_SIZE - 1))
		return KERN_INVALID_ARGUMENT;
	*start = offset & PAGE_MASK;
	*end = PAGE_ALIGN(last);
	return KERN_SUCCESS;
}

/*
 * The protections the caller's region [start, end) allows all along, or
 * KERN_INVALID_ADDRESS for a hole.  When the whole range lies in one
 * mapping of a memory entry, *objp gets its object (a reference) and
 * *first the range's first page in it: such memory is shared by naming
 * the same pages, not by pinning (mapped entry pages cannot be pinned).
 */
static int mach_mem_region(u64 start, u64 end, u32 *prot,
			   struct mach_mem_object **objp,
			   unsigned long *first)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u64 addr = start;
	int kr = KERN_SUCCESS;

	*prot = VM_PROT_ALL;
	*objp = NULL;
	mmap_read_lock(mm);
	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			kr = KERN_INVALID_ADDRESS;
			break;
		}
		if (!(vma->vm_flags & VM_READ))
			*prot &= ~VM_PROT_READ;
		if (!(vma->vm_flags & VM_WRITE))
			*prot &= ~VM_PROT_WRITE;
		if (!(vma->vm_flags & VM_EXEC))
			*prot &= ~VM_PROT_EXECUTE;
		*objp = mach_mem_vma_object(vma, first);
		if (*objp) {
			if (addr != start || vma->vm_end < end) {
				/* part of a mapped entry and part not */
				mach_mem_object_put(*objp);
				*objp = NULL;
				kr = KERN_INVALID_ADDRESS;
			} else {
				*first += (start - vma->vm_start) >> PAGE_SHIFT;
			}
			break;
		}
		addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return kr;
}

/* Allocate the entry for a window on obj (whose reference it takes). */
static struct mach_mem_entry *mach_mem_entry_new(struct mach_mem_object *obj,
						 unsigned long first, u64 size,
						 u32 prot)
{
	struct mach_mem_entry *entry;

	entry = kzalloc(sizeof(*entry), GFP_KERNEL_ACCOUNT);
	if (!entry) {
		mach_mem_object_put(obj);
		return NULL;
	}
	entry->obj = obj;
	entry->first = first;
	entry->size = size;
	entry->prot = prot;
	return entry;
}

void mach_mem_entry_free(struct mach_mem_entry *entry)
{
	mach_mem_object_put(entry->obj);
	kfree(entry);
}

static int mach_mem_named_create(struct mach_mem_request *r,
				 struct mach_mem_entry **entryp)
{
	struct mach_mem_object *obj;
	u64 start, end;
	int kr;

	if (!r->size)
		return KERN_SUCCESS;	/* XNU: no entry, size 0 */
	kr = mach_mem_range(r->offset, r->size, &start, &end);
	if (kr != KERN_SUCCESS)
		return kr;
	if (r->data_addr)
		return KERN_INVALID_ARGUMENT;
	if ((end - start) >> PAGE_SHIFT > MACH_ANON_MAX_PAGES)
		return KERN_FAILURE;
	/* a purgeable object must be writable to be purged; never purged here */
	if ((r->perm & MAP_MEM_PURGABLE) && !(r->prot & VM_PROT_WRITE))
		return KERN_INVALID_ARGUMENT;
	obj = mach_mem_object_create((end - start) >> PAGE_SHIFT);
	if (!obj)
		return KERN_RESOURCE_SHORTAGE;
	*entryp = mach_mem_entry_new(obj, 0, end - start, r->prot);
	return *entryp ? KERN_SUCCESS : KERN_RESOURCE_SHORTAGE;
}

/*
 * The caller's region, shared (copy false) or copied (VM_COPY).  A shared
 * region must allow every protection asked (or, with VM_PROT_IS_MASK,
 * some): XNU extracts only memory mapped so.  A copy needs to be read.
 */
static int mach_mem_from_region(struct mach_mem_request *r, bool copy,
				struct mach_mem_entry **entryp)
{
	struct mach_mem_object *obj;
	unsigned long first = 0, npages;
	u64 start, end;
	u32 have, prot = r->prot;
	int kr;

	if (!r->size)
		return KERN_INVALID_ARGUMENT;
	kr = mach_mem_range(r->offset, r->size, &start, &end);
	if (kr != KERN_SUCCESS)
		return kr;
	if (!r->self)
		return KERN_NOT_SUPPORTED;
	if (end > TASK_SIZE)
		return KERN_INVALID_ADDRESS;
	npages = (end - start) >> PAGE_SHIFT;
	kr = mach_mem_region(start, end, &have, &obj, &first);
	if (kr != KERN_SUCCESS)
		return kr;
	if (copy) {
		if (!(have & VM_PROT_READ))
			kr = KERN_PROTECTION_FAILURE;
	} else if (r->mask) {
		prot &= have;
		if (!prot)
			kr = KERN_PROTECTION_FAILURE;
	} else if ((have & prot) != prot) {
		kr = KERN_PROTECTION_FAILURE;
	}
	if (kr != KERN_SUCCESS) {
		if (obj)
			mach_mem_object_put(obj);
		return kr;
	}

	if (copy) {
		if (obj)
			mach_mem_object_put(obj);
		obj = mach_mem_object_copy(start, npages, &kr);
		first = 0;
	} else if (!obj) {
		obj = mach_mem_object_pin(start, npages,
					  have & VM_PROT_WRITE, &kr);
	}
	if (!obj)
		return kr;
	*entryp = mach_mem_entry_new(obj, first, end - start, prot);
	if (!*entryp)
		return KERN_RESOURCE_SHORTAGE;
	(*entryp)->is_copy = copy || (r->perm & MAP_MEM_VM_SHARE);
	if (r->data_addr)
		(*entryp)->data_offset = r->offset - start;
	return KERN_SUCCESS;
}

/* A window [offset, offset + size) on the parent entry. */
static int mach_mem_from_parent(struct mach_mem_request *r,
				struct mach_mem_entry **entryp)
{
	struct mach_mem_entry *parent = &r->parent;
	u64 start, end, offset = r->offset;
	u32 prot = r->prot;
	int kr;

	if (r->data_addr &&
	    check_add_overflow(offset, parent->data_offset, &offset))
		return KERN_INVALID_ARGUMENT;
	kr = mach_mem_range(offset, r->size, &start, &end);
	if (kr != KERN_SUCCESS || end > parent->size)
		return KERN_INVALID_ARGUMENT;
	if (r->mask)
		prot &= parent->prot;
	if ((prot & parent->prot) != prot)
		return KERN_PROTECTION_FAILURE;
	mach_mem_object_get(parent->obj);
	*entryp = mach_mem_entry_new(parent->obj,
				     parent->first + (start >> PAGE_SHIFT),
				     end - start, prot);
	if (!*entryp)
		return KERN_RESOURCE_SHORTAGE;
	if (r->data_addr)
		(*entryp)->data_offset = offset - start;
	return KERN_SUCCESS;
}

/*
 * A copy of the parent entry, if 'name' is a send right to one.  A name
 * that is no send right fails as MIG's copy-in of the argument would; a
 * send right to anything else is no parent at all, as in XNU.
 */
static int mach_mem_parent(struct mach_space *space, u32 name,
			   struct mach_mem_request *r)
{
	struct mach_mem_entry *parent = NULL;
	struct mach_entry *entry;
	struct mach_port *port;
	int kr = KERN_SUCCESS;

	if (name == MACH_PORT_NULL)
		return KERN_SUCCESS;
	mutex_lock(&space->lock);
	entry = space->active ? mach_entry_lookup(space, name) : NULL;
	if (!entry || !(entry->type & MACH_PORT_TYPE_SEND)) {
		kr = MACH_SEND_INVALID_RIGHT;
	} else {
		port = entry->object;
		spin_lock(&port->lock);
		if (port->active && port->kobj_type == MACH_KOBJ_MEMORY_ENTRY)
			parent = mach_port_kobject(port);
		if (parent) {
			r->parent = *parent;
			r->has_parent = true;
			mach_mem_object_get(parent->obj);
		}
		spin_unlock(&port->lock);
	}
	mutex_unlock(&space->lock);
	return kr;
}

/*
 * NAMED_REUSE: the parent itself, when it names exactly this memory.  Two
 * pins of one region are two objects of the same pages, so pages are
 * compared, as XNU compares the VM object behind them.
 */
static bool mach_mem_reuse(struct mach_mem_request *r,
			   struct mach_mem_entry *made)
{
	struct mach_mem_entry *p = &r->parent;
	unsigned long i, n = made->size >> PAGE_SHIFT;

	if (!r->has_parent || p->is_copy || p->size != made->size ||
	    p->data_offset != made->data_offset)
		return false;
	if (p->obj == made->obj)
		return p->first == made->first;
	if (!p->obj->pinned_mm || p->obj->pinned_mm != made->obj->pinned_mm)
		return false;
	for (i = 0; i < n; i++)
		if (mach_mem_object_page(p->obj, p->first + i, false) !=
		    mach_mem_object_page(made->obj, made->first + i, false))
			return false;
	return true;
}

static int mach_mem_entry_make(struct mach_mem_request *r,
			       struct mach_mem_entry **entryp)
{
	if (r->has_parent && r->parent.is_copy)
		return KERN_INVALID_ARGUMENT;
	if (r->perm & MAP_MEM_ONLY) {
		/* caching modes mean nothing here; XNU's checks remain */
		if (!r->has_parent || r->data_addr)
			return KERN_INVALID_ARGUMENT;
		if (r->access && !(r->parent.prot & VM_PROT_WRITE))
			return KERN_INVALID_RIGHT;
		return KERN_SUCCESS;
	}
	if (r->perm & MAP_MEM_NAMED_CREATE)
		return mach_mem_named_create(r, entryp);
	if (r->perm & MAP_MEM_VM_COPY)
		return mach_mem_from_region(r, true, entryp);
	if ((r->perm & (MAP_MEM_VM_SHARE | MAP_MEM_NAMED_REUSE)) ||
	    !r->has_parent)
		return mach_mem_from_region(r, false, entryp);
	return mach_mem_from_parent(r, entryp);
}

/* Give the caller a send right to a new port for entry (consumed). */
static int mach_mem_entry_port(struct mach_space *caller,
			       struct mach_mem_entry *entry, u32 *name)
{
	struct mach_port *port;

	port = mach_port_alloc_kobject(MACH_KOBJ_MEMORY_ENTRY, entry);
	if (!port) {
		mach_mem_entry_free(entry);
		return KERN_RESOURCE_SHORTAGE;
	}
	mach_port_get(port);	/* the send right's; creation's is the kernel's */
	port->srights = 1;
	port->mscount = 1;
	return mach_right_give(caller, port, MACH_MSG_TYPE_PORT_SEND, name);
}

/* Add delta to the caller's send references under name (NAMED_REUSE). */
static int mach_mem_send_delta(struct mach_space *caller, u32 name, s32 delta)
{
	struct mach_entry *entry;
	int kr;

	mutex_lock(&caller->lock);
	entry = caller->active ? mach_entry_lookup(caller, name) : NULL;
	kr = entry ? mach_right_delta(caller, entry, MACH_PORT_RIGHT_SEND,
				      delta) :
		     KERN_INVALID_NAME;
	mutex_unlock(&caller->lock);
	return kr;
}

long mach_mem_entry_ioctl(struct mach_space *caller, void __user *uarg)
{
	struct mach_memory_entry_args __user *ua = uarg;
	struct mach_memory_entry_args a;
	struct mach_mem_request r = { };
	struct mach_mem_entry *entry = NULL;
	struct mach_space *task;
	u32 handle = MACH_PORT_NULL;
	u64 size = 0;
	int kr;

	if (copy_from_user(&a, ua, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.reserved)
		return -EINVAL;
	task = mach_task_lookup(caller, a.task);
	if (!task)
		return MACH_SEND_INVALID_DEST;
	r.self = task == caller;
	mach_space_put(task);

	/* the parent is a MIG argument: copied in before the routine runs */
	kr = mach_mem_parent(caller, a.parent, &r);
	if (kr != KERN_SUCCESS)
		return kr;
	/* unknown flags fail; unknown protection bits are dropped (XNU) */
	r.perm = a.permission & MAP_MEM_FLAGS_MASK;
	r.prot = a.permission & VM_PROT_ALL;
	r.access = a.permission >> 24;
	r.mask = a.permission & VM_PROT_IS_MASK;
	r.data_addr = r.perm & (MAP_MEM_USE_DATA_ADDR | MAP_MEM_4K_DATA_ADDR);
	r.offset = a.offset;
	r.size = a.size;
	if (r.perm & ~MAP_MEM_FLAGS_USER)
		kr = KERN_INVALID_VALUE;
	else
		kr = mach_mem_entry_make(&r, &entry);
	if (kr == KERN_SUCCESS && !entry && (r.perm & MAP_MEM_ONLY))
		size = a.size;	/* XNU's MAP_MEM_ONLY leaves it as it was */
	if (kr == KERN_SUCCESS && entry) {
		size = entry->size - entry->data_offset;
		if ((r.perm & MAP_MEM_NAMED_REUSE) && mach_mem_reuse(&r, entry)) {
			mach_mem_entry_free(entry);
			kr = mach_mem_send_delta(caller, a.parent, 1);
			handle = a.parent;
		} else {
			kr = mach_mem_entry_port(caller, entry, &handle);
		}
	}
	if (r.has_parent)
		mach_mem_object_put(r.parent.obj);
	if (kr != KERN_SUCCESS) {
		/* XNU's failure leaves size 0 and no handle */
		size = 0;
		handle = MACH_PORT_NULL;
	}
	if (put_user(size, &ua->size) || put_user(handle, &ua->handle)) {
		/* the caller cannot learn the name: take the right back */
		if (handle != MACH_PORT_NULL)
			mach_mem_send_delta(caller, handle, -1);
		return -EFAULT;
	}
	return kr;
}
