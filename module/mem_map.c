// SPDX-License-Identifier: GPL-2.0
/*
 * mach_vm_map of a memory entry into the caller (see mem_entry.h).
 *
 * A shared mapping (copy false) is a MAP_SHARED mapping of a file made
 * for this one call, whose private data names the object and the pages it
 * may map.  Its pages are inserted by PFN at fault time (VM_PFNMAP): a
 * share-mode object's pages are another mapping's anonymous pages, which
 * cannot be mapped into a file VMA as pages, and a PFN map serves both
 * kinds alike.  The file's mode carries the maximum protection: opened
 * read-only, its VMA never gets VM_MAYWRITE, so mprotect() cannot add
 * write where max_prot or the entry forbids it; VM_MAYEXEC is cleared the
 * same way.  What a PFN map costs: get_user_pages() cannot reach these
 * pages (O_DIRECT into them fails); copy_{to,from}_user, and so read(),
 * write() and OOL sends from them, work, and ptrace and /proc/PID/mem go
 * through ->access.
 *
 * A copy mapping (copy true) is private anonymous memory filled with the
 * entry's contents at the time of the call: XNU's copy is a snapshot, so
 * later writes on either side are not seen by the other.  It is mapped
 * writable to be filled; libmach then applies cur_prot.
 */

#include <linux/file.h>
#include <linux/anon_inodes.h>
#include <linux/highmem.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "compat.h"
#include "mem_entry.h"
#include "port.h"
#include "space.h"
#include "task.h"

struct mach_mem_map {
	struct mach_mem_object *obj;	/* a reference */
	unsigned long first, end;	/* the object pages it may map */
	u32 max_prot;
};

static vm_fault_t mach_mem_fault(struct vm_fault *vmf)
{
	struct mach_mem_map *map = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff < map->first || vmf->pgoff >= map->end)
		return VM_FAULT_SIGBUS;
	page = mach_mem_object_page(map->obj, vmf->pgoff, true);
	if (IS_ERR_OR_NULL(page))
		return PTR_ERR(page) == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address, page_to_pfn(page));
}

/* ptrace, /proc/PID/mem: get_user_pages() cannot see PFN maps. */
static int mach_mem_access(struct vm_area_struct *vma, unsigned long addr,
			   void *buf, int len, int write)
{
	struct mach_mem_map *map = vma->vm_file->private_data;
	unsigned long pgoff = vma->vm_pgoff +
			      ((addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned int off = offset_in_page(addr);
	struct page *page;
	void *kaddr;

	if (write && !(vma->vm_flags & VM_MAYWRITE))
		return -EFAULT;
	if (pgoff < map->first || pgoff >= map->end)
		return -EFAULT;
	len = min_t(int, len, PAGE_SIZE - off);
	page = mach_mem_object_page(map->obj, pgoff, write);
	if (IS_ERR(page))
		return PTR_ERR(page);
	if (!page) {		/* never touched: reads as zeroes */
		memset(buf, 0, len);
		return len;
	}
	kaddr = kmap_local_page(page);
	if (write)
		memcpy(kaddr + off, buf, len);
	else
		memcpy(buf, kaddr + off, len);
	kunmap_local(kaddr);
	return len;
}

static const struct vm_operations_struct mach_mem_vm_ops = {
	.fault = mach_mem_fault,
	.access = mach_mem_access,
};

static int mach_mem_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mach_mem_map *map = file->private_data;
	vm_flags_t clear = 0;

	if (vma->vm_pgoff < map->first ||
	    vma->vm_pgoff + vma_pages(vma) > map->end)
		return -EINVAL;
	if (!(map->max_prot & VM_PROT_EXECUTE))
		clear |= VM_MAYEXEC;
	mach_vma_flags_mod(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
			   clear);
	vma->vm_ops = &mach_mem_vm_ops;
	return 0;
}

static int mach_mem_map_release(struct inode *inode, struct file *file)
{
	struct mach_mem_map *map = file->private_data;

	mach_mem_object_put(map->obj);
	kfree(map);
	return 0;
}

static const struct file_operations mach_mem_fops = {
	.owner = THIS_MODULE,
	.mmap = mach_mem_mmap,
	.release = mach_mem_map_release,
	.llseek = noop_llseek,
};

/*
 * The object a mapping of a memory entry shows, with a reference, and in
 * *first the page the VMA starts at; NULL for any other VMA.  mmap_lock
 * held.
 */
struct mach_mem_object *mach_mem_vma_object(struct vm_area_struct *vma,
					    unsigned long *first)
{
	struct mach_mem_map *map;

	if (vma->vm_ops != &mach_mem_vm_ops)
		return NULL;
	map = vma->vm_file->private_data;
	mach_mem_object_get(map->obj);
	*first = vma->vm_pgoff;
	return map->obj;
}

/* What mmap's errors mean to vm_map. */
static int mach_mmap_kr(long err)
{
	switch (err) {
	case -EEXIST:	/* fixed, without VM_FLAGS_OVERWRITE, over a mapping */
	case -ENOMEM:
		return KERN_NO_SPACE;
	case -EACCES:
	case -EPERM:
		return KERN_PROTECTION_FAILURE;
	case -EAGAIN:
		return KERN_RESOURCE_SHORTAGE;
	default:
		return KERN_INVALID_ADDRESS;
	}
}

/* The window of a vm_map call, checked against the entry. */
struct mach_vm_window {
	struct mach_mem_entry entry;	/* a copy, with an object reference */
	unsigned long pgoff;		/* first object page mapped */
	u64 len;			/* bytes mapped */
	u64 in_page;			/* RETURN_DATA_ADDR: the data's offset */
	u32 cur, max;
};

/*
 * The memory entry a send right names, copied into *out (a reference to
 * its object), or *out->obj NULL for a send right to anything else.  A
 * name that is no send right fails as MIG's copy-in of the argument would.
 */
static int mach_vm_map_entry(struct mach_space *space, u32 name,
			     struct mach_mem_entry *out)
{
	struct mach_mem_entry *entry = NULL;
	struct mach_entry *e;
	struct mach_port *port;
	int kr = MACH_SEND_INVALID_RIGHT;

	out->obj = NULL;
	mutex_lock(&space->lock);
	e = space->active ? mach_entry_lookup(space, name) : NULL;
	if (e && (e->type & MACH_PORT_TYPE_SEND)) {
		port = e->object;
		kr = KERN_SUCCESS;
		spin_lock(&port->lock);
		if (port->active && port->kobj_type == MACH_KOBJ_MEMORY_ENTRY)
			entry = mach_port_kobject(port);
		if (entry) {
			*out = *entry;
			mach_mem_object_get(entry->obj);
		}
		spin_unlock(&port->lock);
	}
	mutex_unlock(&space->lock);
	return kr;
}

/* XNU's checks of the arguments alone, in its order. */
static int mach_vm_map_sanitize(struct mach_vm_map_args *a)
{
	u32 known = VM_PROT_ALL | VM_PROT_IS_MASK;
	u64 end;

	if ((u32)a->vm_flags & ~VM_FLAGS_USER_MAP)
		return KERN_INVALID_ARGUMENT;
	if (((u32)a->cur_prot & ~known) || ((u32)a->max_prot & ~known))
		return KERN_INVALID_ARGUMENT;
	/* cur wider than max: XNU narrows it, for old callers */
	a->cur_prot &= a->max_prot | VM_PROT_IS_MASK;
	if (a->inheritance > VM_INHERIT_LAST_VALID)
		return KERN_INVALID_ARGUMENT;
	if (!a->size || a->size > U64_MAX - (PAGE_SIZE - 1))
		return KERN_INVALID_ARGUMENT;
	if (check_add_overflow(a->offset, a->size, &end))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

/* The window asked of the entry, checked against it; fills w. */
static int mach_vm_map_check(struct mach_vm_map_args *a,
			     struct mach_vm_window *w)
{
	struct mach_mem_entry *entry = &w->entry;
	u32 cur = a->cur_prot, max = a->max_prot;
	u64 data;

	if (max & VM_PROT_IS_MASK)
		max &= entry->prot;
	if (cur & VM_PROT_IS_MASK)
		cur &= entry->prot;
	cur &= VM_PROT_ALL;
	max &= VM_PROT_ALL;
	if ((entry->prot & max) != max || (entry->prot & cur) != cur)
		return KERN_INVALID_RIGHT;
	if (a->offset + a->size > entry->size)
		return KERN_INVALID_ARGUMENT;

	data = a->offset;
	w->in_page = 0;
	if (a->vm_flags & (VM_FLAGS_RETURN_DATA_ADDR |
			   VM_FLAGS_RETURN_4K_DATA_ADDR)) {
		if (check_add_overflow(data, entry->data_offset, &data))
			return KERN_INVALID_ARGUMENT;
		w->in_page = offset_in_page(data);
		if (a->vm_flags & VM_FLAGS_RETURN_4K_DATA_ADDR)
			w->in_page &= ~0xfffULL;
	}
	w->pgoff = entry->first + (data >> PAGE_SHIFT);
	w->len = PAGE_ALIGN(w->in_page + a->size);
	if (w->pgoff + (w->len >> PAGE_SHIFT) > entry->first +
	    (entry->size >> PAGE_SHIFT))
		return KERN_INVALID_ARGUMENT;
	w->cur = cur;
	w->max = max;
	return KERN_SUCCESS;
}

/* The file a shared mapping of the window maps. */
static struct file *mach_mem_map_file(struct mach_vm_window *w)
{
	struct mach_mem_map *map;
	struct file *file;

	map = kzalloc(sizeof(*map), GFP_KERNEL_ACCOUNT);
	if (!map)
		return ERR_PTR(-ENOMEM);
	map->obj = w->entry.obj;
	mach_mem_object_get(map->obj);
	map->first = w->entry.first;
	map->end = w->entry.first + (w->entry.size >> PAGE_SHIFT);
	map->max_prot = w->max;
	file = anon_inode_getfile("[mach_memory_entry]", &mach_mem_fops, map,
				  w->max & VM_PROT_WRITE ? O_RDWR : O_RDONLY);
	if (IS_ERR(file)) {
		mach_mem_object_put(map->obj);
		kfree(map);
	}
	return file;
}

/* Fill a fresh private mapping at addr with the window's pages. */
static int mach_mem_copy_out(struct mach_vm_window *w, unsigned long addr)
{
	unsigned long i, n = w->len >> PAGE_SHIFT;

	for (i = 0; i < n; i++) {
		struct page *page;
		void *kaddr;
		int left;

		page = mach_mem_object_page(w->entry.obj, w->pgoff + i, false);
		if (IS_ERR(page))
			return KERN_INVALID_ARGUMENT;
		if (!page)
			continue;	/* untouched: the new mapping is zero */
		kaddr = kmap_local_page(page);
		left = copy_to_user((void __user *)(addr + i * PAGE_SIZE),
				    kaddr, PAGE_SIZE);
		kunmap_local(kaddr);
		if (left)
			return KERN_INVALID_ADDRESS;
		cond_resched();
	}
	return KERN_SUCCESS;
}

static int mach_vm_map_window(struct mach_vm_map_args *a,
			      struct mach_vm_window *w)
{
	unsigned long want = 0, addr, flags;
	struct file *file = NULL;
	int kr = KERN_SUCCESS;

	if (!(a->vm_flags & VM_FLAGS_ANYWHERE)) {
		want = a->address & PAGE_MASK;
		flags = a->vm_flags & VM_FLAGS_OVERWRITE ? MAP_FIXED :
			MAP_FIXED_NOREPLACE;
	} else {
		flags = 0;
	}
	if (a->copy) {
		addr = vm_mmap(NULL, want, w->len, PROT_READ | PROT_WRITE,
			       flags | MAP_PRIVATE | MAP_ANONYMOUS, 0);
	} else {
		file = mach_mem_map_file(w);
		if (IS_ERR(file))
			return KERN_RESOURCE_SHORTAGE;
		addr = vm_mmap(file, want, w->len, w->cur, flags | MAP_SHARED,
			       (unsigned long)w->pgoff << PAGE_SHIFT);
		fput(file);	/* the VMA holds it now, if there is one */
	}
	if (IS_ERR_VALUE(addr))
		return mach_mmap_kr((long)addr);
	/* kernels before 4.17 took MAP_FIXED_NOREPLACE as a hint only */
	if (want && addr != want) {
		vm_munmap(addr, w->len);
		return KERN_NO_SPACE;
	}
	if (a->copy) {
		kr = mach_mem_copy_out(w, addr);
		if (kr != KERN_SUCCESS) {
			vm_munmap(addr, w->len);
			return kr;
		}
	}
	a->address = addr + w->in_page;
	return KERN_SUCCESS;
}

long mach_vm_map_ioctl(struct mach_space *caller, void __user *uarg)
{
	struct mach_vm_map_args __user *ua = uarg;
	struct mach_vm_map_args a;
	struct mach_vm_window w;
	struct mach_space *task;
	int kr;

	if (copy_from_user(&a, ua, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.mask || a.copy > 1)
		return -EINVAL;
	task = mach_task_lookup(caller, a.task);
	if (!task)
		return MACH_SEND_INVALID_DEST;
	kr = task == caller ? KERN_SUCCESS : KERN_NOT_SUPPORTED;
	mach_space_put(task);
	if (kr != KERN_SUCCESS)
		return kr;
	/* the object is a MIG argument: copied in before the routine runs */
	kr = mach_vm_map_entry(caller, a.object, &w.entry);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = mach_vm_map_sanitize(&a);
	if (kr == KERN_SUCCESS && !w.entry.obj)
		kr = KERN_INVALID_OBJECT;
	if (kr == KERN_SUCCESS)
		kr = mach_vm_map_check(&a, &w);
	if (kr == KERN_SUCCESS)
		kr = mach_vm_map_window(&a, &w);
	if (w.entry.obj)
		mach_mem_object_put(w.entry.obj);
	if (kr == KERN_SUCCESS && put_user(a.address, &ua->address)) {
		/* the caller cannot learn where: leave nothing mapped */
		vm_munmap(a.address & PAGE_MASK, w.len);
		return -EFAULT;
	}
	return kr;
}
