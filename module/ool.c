// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-line memory: one copy at send, none at receive.
 *
 * Mach promises the receiver the bytes as they were when the message was
 * sent, in a new private mapping of its own.  A module cannot borrow the
 * sender's pages copy-on-write (nothing exported write-protects another
 * mapping's PTEs), so the send copies once; the receive then maps that copy
 * instead of copying it again.
 *
 * Send: the region is copied straight from the sender's memory into pages
 * allocated for it (charged to the sender's memory cgroup).  The data keeps
 * the sender's offset within its first page, so the receiver's address
 * keeps it too, as XNU's does; the bytes around it are zeroed.
 *
 * Receive: the pages become a file of our own small pseudo filesystem (one
 * inode per region, so no lock is shared between regions) and that file is
 * mapped MAP_PRIVATE at an address the kernel chooses, every page inserted
 * at once.  The receiver reads the snapshot's pages; its first write to a
 * page copies that page (copy-on-write), so the snapshot never changes and
 * fork() behaves as for any private mapping.  munmap (vm_deallocate) drops
 * the pages; the file, and with it the module, stays as long as some part
 * of the mapping does.
 *
 * A region no larger than a page is cheaper to copy twice than to give a
 * file of its own (docs/performance.md has the measurements): it is kept in
 * a kernel buffer and copied into a new anonymous mapping at receive.
 *
 * Accounting: a region pins mach_ool_bytes() of memory from a successful
 * mach_ool_create() until mach_ool_release(), which mach_ool_map() calls
 * once the receiver's mapping holds the pages.  Those are the only places
 * where in-flight OOL memory starts and stops.
 */

#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "mach_types.h"
#include "ool.h"

unsigned int mach_max_ool = 256 << 20;

/* The pages of one region; a mapped region's file owns them. */
struct mach_ool_pages {
	unsigned long npages;
	struct page *pages[];
};

/* Regions up to this size are copied twice rather than mapped. */
#define MACH_OOL_COPY_MAX	PAGE_SIZE

/* Largest block allocated at once (then split into pages): 64 KiB. */
#define MACH_OOL_ORDER		4

#define MACH_OOL_MAGIC		0x4d6f6f6c	/* "Mool" */

static struct vfsmount *mach_ool_mnt;

/* Is [addr, addr + len) all mapped?  Used to tell bad memory from big. */
static bool mach_user_range_mapped(u64 addr, u64 len)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	u64 end = addr + len;
	bool ok = true;

	mmap_read_lock(mm);
	while (ok && addr < end) {
		vma = find_vma(mm, addr);
		ok = vma && vma->vm_start <= addr;
		if (ok)
			addr = vma->vm_end;
	}
	mmap_read_unlock(mm);
	return ok;
}

static void mach_ool_pages_free(struct mach_ool_pages *p)
{
	unsigned long i;

	for (i = 0; i < p->npages && p->pages[i]; i++)
		put_page(p->pages[i]);
	kvfree(p);
}

/*
 * Fill p->pages with 'npages' pages, in blocks of up to 2^MACH_OOL_ORDER
 * pages while memory allows (one allocation, one charge), split into the
 * single pages a mapping needs.  An order that failed once is not tried
 * again for this region.  Not zeroed here: every byte is written next.
 */
static bool mach_ool_pages_alloc(struct mach_ool_pages *p)
{
	const gfp_t gfp = GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_NOWARN;
	unsigned int order, max_order = MACH_OOL_ORDER;
	unsigned long i = 0, j;
	struct page *page;

	while (i < p->npages) {
		order = min_t(unsigned int, max_order, ilog2(p->npages - i));
		page = NULL;
		while (order && !page) {
			page = alloc_pages(gfp | __GFP_NORETRY, order);
			if (!page)
				max_order = --order;
		}
		if (!page)
			page = alloc_page(gfp);
		if (!page)
			return false;
		if (order)
			split_page(page, order);
		for (j = 0; j < (1UL << order); j++)
			p->pages[i++] = page + j;
	}
	return true;
}

/* Copy the sender's bytes into the pages, zeroing what is around them. */
static int mach_ool_fill(struct mach_ool_pages *p, const u8 __user *src,
			 u32 off, u32 len)
{
	unsigned long i, left;
	u32 n;
	u8 *k;

	for (i = 0; i < p->npages; i++) {
		n = min_t(u32, PAGE_SIZE - off, len);
		k = kmap_local_page(p->pages[i]);
		if (off)
			memset(k, 0, off);
		left = copy_from_user(k + off, src, n);
		if (off + n < PAGE_SIZE)
			memset(k + off + n, 0, PAGE_SIZE - off - n);
		kunmap_local(k);
		if (left)
			return MACH_SEND_INVALID_MEMORY;
		src += n;
		len -= n;
		off = 0;
		if (!(i & 255))
			cond_resched();
	}
	return MACH_MSG_SUCCESS;
}

/* Free what 'ool' holds (not counted in flight: see mach_ool_release). */
static void mach_ool_free(struct mach_ool *ool)
{
	if (ool->snap)
		mach_ool_pages_free(ool->snap);
	kfree(ool->buf);
	ool->snap = NULL;
	ool->buf = NULL;
}

/* A small region: a kernel copy of its bytes. */
static int mach_ool_copyin(struct mach_ool *ool, const u8 __user *src)
{
	ool->buf = kmalloc(ool->len, GFP_KERNEL_ACCOUNT);
	if (!ool->buf)
		return MACH_SEND_NO_BUFFER;
	if (copy_from_user(ool->buf, src, ool->len))
		return MACH_SEND_INVALID_MEMORY;
	return MACH_MSG_SUCCESS;
}

/* A larger one: pages holding its bytes, ready to be mapped. */
static int mach_ool_snapshot(struct mach_ool *ool, const u8 __user *src)
{
	unsigned long npages = PAGE_ALIGN((u64)ool->off + ool->len) >> PAGE_SHIFT;
	struct mach_ool_pages *p;

	p = kvzalloc(struct_size(p, pages, npages), GFP_KERNEL_ACCOUNT);
	if (!p)
		return MACH_SEND_NO_BUFFER;
	p->npages = npages;
	ool->snap = p;
	if (!mach_ool_pages_alloc(p))
		return MACH_SEND_NO_BUFFER;
	return mach_ool_fill(p, src, ool->off, ool->len);
}

/*
 * Snapshot 'len' bytes of the sender's memory at 'uaddr' into 'ool'.
 * Returns a mach_msg_return_t; on failure 'ool' holds nothing.
 */
int mach_ool_create(struct mach_ool *ool, u64 uaddr, u32 len)
{
	const u8 __user *src = u64_to_user_ptr(uaddr);
	int ret;

	memset(ool, 0, sizeof(*ool));
	if (!len)
		return MACH_MSG_SUCCESS;
	if (uaddr + len < uaddr || !access_ok(src, len))
		return MACH_SEND_INVALID_MEMORY;
	/* our own bound, beyond XNU's: bad memory still reads as bad */
	if (len > mach_max_ool)
		return mach_user_range_mapped(uaddr, len) ?
		       MACH_SEND_TOO_LARGE : MACH_SEND_INVALID_MEMORY;

	ool->len = len;
	ool->off = offset_in_page(uaddr);
	if (len <= MACH_OOL_COPY_MAX)
		ret = mach_ool_copyin(ool, src);
	else
		ret = mach_ool_snapshot(ool, src);
	if (ret) {
		mach_ool_free(ool);
		return ret;
	}
	/* in flight from here: mach_ool_bytes(ool) are pinned */
	ool->bytes = ool->snap ? ool->snap->npages << PAGE_SHIFT : len;
	return MACH_MSG_SUCCESS;
}

/* End a region's flight: its memory is no longer the message's. */
void mach_ool_release(struct mach_ool *ool)
{
	/* in flight until here: mach_ool_bytes(ool) are released */
	ool->bytes = 0;
	mach_ool_free(ool);
}

/* A page the receiver's mapping lost (MADV_DONTNEED, say): the same one. */
static vm_fault_t mach_ool_fault(struct vm_fault *vmf)
{
	struct mach_ool_pages *p = vmf->vma->vm_file->private_data;

	if (vmf->pgoff >= p->npages)	/* mremap'd past the end */
		return VM_FAULT_SIGBUS;
	vmf->page = p->pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct mach_ool_vm_ops = {
	.fault = mach_ool_fault,
};

static int mach_ool_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct mach_ool_pages *p = file->private_data;
	unsigned long n = vma_pages(vma);

	/* only mach_ool_map() can reach this file, and maps it whole */
	if (!p || vma->vm_pgoff || n != p->npages ||
	    (vma->vm_flags & VM_SHARED))
		return -EINVAL;
	vma->vm_ops = &mach_ool_vm_ops;
	/* read-only PTEs (the mapping is private): a write copies the page */
	return vm_insert_pages(vma, vma->vm_start, p->pages, &n);
}

static int mach_ool_file_release(struct inode *inode, struct file *file)
{
	if (file->private_data)
		mach_ool_pages_free(file->private_data);
	return 0;
}

static const struct file_operations mach_ool_fops = {
	.owner = THIS_MODULE,
	.mmap = mach_ool_file_mmap,
	.release = mach_ool_file_release,
};

/* A file of our pseudo filesystem holding 'p' (not yet its owner). */
static struct file *mach_ool_file(struct mach_ool_pages *p)
{
	struct inode *inode;
	struct file *file;

	inode = alloc_anon_inode(mach_ool_mnt->mnt_sb);
	if (IS_ERR(inode))
		return ERR_CAST(inode);
	inode->i_size = (loff_t)p->npages << PAGE_SHIFT;
	/* the file's last fput drops a reference to its f_op's module */
	__module_get(THIS_MODULE);
	file = alloc_file_pseudo(inode, mach_ool_mnt, "mach-ool", O_RDWR,
				 &mach_ool_fops);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		iput(inode);
	}
	return file;
}

/* A fresh private mapping of the caller's holding 'len' bytes at 'off'. */
u64 mach_user_map_copy(const void *src, u64 len, u64 off)
{
	unsigned long addr;
	u64 span = PAGE_ALIGN(off + len);

	addr = vm_mmap(NULL, 0, span, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr))
		return 0;
	if (copy_to_user((void __user *)(addr + off), src, len)) {
		vm_munmap(addr, span);
		return 0;
	}
	return addr + off;
}

/*
 * Give the region to the caller (the receiver) as a new private mapping at
 * an address the kernel chooses.  Returns the address of the data, which
 * keeps the sender's offset within a page, or 0 when no mapping could be
 * made; the region is then still the message's.
 */
u64 mach_ool_map(struct mach_ool *ool)
{
	struct mach_ool_pages *p = ool->snap;
	struct file *file;
	unsigned long addr;
	u64 data;

	if (ool->buf) {
		data = mach_user_map_copy(ool->buf, ool->len, ool->off);
		if (data)
			mach_ool_release(ool);
		return data;
	}
	if (!p)
		return 0;
	file = mach_ool_file(p);
	if (IS_ERR(file))
		return 0;
	file->private_data = p;
	addr = vm_mmap(file, 0, p->npages << PAGE_SHIFT,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr)) {
		file->private_data = NULL;	/* still ours */
		fput(file);
		return 0;
	}
	/* the pages are the file's now, the file the mapping's */
	ool->snap = NULL;
	mach_ool_release(ool);
	fput(file);
	return addr + ool->off;
}

static int mach_ool_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, MACH_OOL_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type mach_ool_fs_type = {
	.name = "mach-ool",
	.init_fs_context = mach_ool_init_fs_context,
	.kill_sb = kill_anon_super,
};

int mach_ool_init(void)
{
	mach_ool_mnt = kern_mount(&mach_ool_fs_type);
	return PTR_ERR_OR_ZERO(mach_ool_mnt);
}

void mach_ool_exit(void)
{
	kern_unmount(mach_ool_mnt);
}
