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
 * Recycling: allocating a region's pages (zeroed by init_on_alloc on
 * Debian's kernels although every byte is overwritten) and freeing them
 * again cost about as much as the copy itself.  So when a region is freed
 * (its last mapping gone, or its message destroyed), the pages nobody else
 * holds go back to a small cache owned by the space that sent it, and that
 * space's next snapshots take pages from there before allocating.  A page
 * stays charged to the memory cgroup it was allocated in, the sender's,
 * since only the same space reuses it.  The cache keeps at most
 * ool_cache_pages pages (module parameter; 0 disables it), all caches
 * together at most ool_cache_max_pages, and a cache is emptied
 * when the space is destroyed; a region outliving its space (mapped by a
 * receiver) keeps the closed cache object, not its pages, and frees its
 * pages itself.  Recycled pages hold an earlier region's bytes, which is
 * safe because mach_ool_fill() writes every byte of every page.  The copy
 * itself is done in runs of pages adjacent in the linear map, one
 * copy_from_user (one hardened-usercopy check) per run rather than per
 * page.  docs/performance.md, "OOL memory", has the measurements.
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

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pseudo_fs.h>
#include <linux/refcount.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include "mach_types.h"
#include "ool.h"
#include "stats.h"

unsigned int mach_max_ool = 256 << 20;
unsigned int mach_ool_cache_pages = 512;
unsigned long mach_ool_cache_max = 4096;

/*
 * Pages in all spaces' caches together, bounded by mach_ool_cache_max
 * (module parameter ool_cache_max_pages), so that many processes that each
 * sent OOL memory once cannot keep unreclaimable memory without bound.
 * Touched only when a region is freed or a snapshot takes cached pages,
 * never on the path of an inline message.
 */
static atomic_long_t mach_ool_cached_total;

/* Reserve room for up to 'n' more cached pages; how many may be kept. */
static unsigned long mach_ool_budget_take(unsigned long n)
{
	unsigned long max = READ_ONCE(mach_ool_cache_max);
	unsigned long total, over;

	total = atomic_long_add_return(n, &mach_ool_cached_total);
	if (total > max) {
		over = min(n, total - max);
		atomic_long_sub(over, &mach_ool_cached_total);
		n -= over;
	}
	return n;
}

static void mach_ool_budget_give(unsigned long n)
{
	atomic_long_sub(n, &mach_ool_cached_total);
}

/* Pages in all caches now (debugfs mach/stats "ool_pages_cached"). */
long mach_ool_cached_pages(void)
{
	return atomic_long_read(&mach_ool_cached_total);
}

/*
 * Pages a sending space's regions gave back, for its next snapshots.  The
 * space holds one reference and every region made from it another, so a
 * region released after the space is gone still finds it (closed, and
 * empty).  'lock' is a leaf: nothing is called under it but copies of page
 * pointers and counters.  The pages are a stack of pointers, allocated at
 * the space's first snapshot of more than a page (most spaces never send
 * one), sized by ool_cache_pages then.  A freed region's pages are pushed
 * last page first, so the next snapshot pops them in their old order and
 * keeps their contiguous runs (mach_ool_run).
 */
struct mach_ool_cache {
	refcount_t ref;
	spinlock_t lock;		/* the fields below */
	bool closed;			/* the space is gone: keep nothing */
	unsigned int nr;		/* pages on the stack */
	unsigned int cap;		/* its slots */
	struct page **stack;
};

/* The pages of one region; a mapped region's file owns them. */
struct mach_ool_pages {
	struct mach_ool_cache *cache;	/* where they go back, or NULL */
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

struct mach_ool_cache *mach_ool_cache_create(void)
{
	struct mach_ool_cache *c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (!c)
		return NULL;
	refcount_set(&c->ref, 1);
	spin_lock_init(&c->lock);
	return c;
}

static void mach_ool_cache_put(struct mach_ool_cache *c)
{
	if (refcount_dec_and_test(&c->ref)) {
		/* closed first: the stack was emptied and freed then */
		kvfree(c->stack);
		kfree(c);
	}
}

/*
 * Give the cache its stack, sized by ool_cache_pages now, if it has none
 * (called by the snapshot, in the sender's context).  Without one (no
 * memory, or the parameter is 0) pages are simply not kept.
 */
static void mach_ool_cache_prepare(struct mach_ool_cache *c)
{
	unsigned int cap = READ_ONCE(mach_ool_cache_pages);
	struct page **stack;

	if (!c || READ_ONCE(c->stack) || !cap)
		return;
	stack = kvmalloc_array(cap, sizeof(*stack),
			       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!stack)
		return;
	spin_lock(&c->lock);
	if (!c->stack && !c->closed) {
		c->stack = stack;
		c->cap = cap;
		stack = NULL;
	}
	spin_unlock(&c->lock);
	kvfree(stack);
}

/*
 * The space that owns 'c' is going away: free what it holds and keep
 * nothing from now on.  Regions still in flight or mapped keep the object
 * until they are released, and free their pages then.
 */
void mach_ool_cache_close(struct mach_ool_cache *c)
{
	struct page **stack;
	unsigned int i, nr;

	if (!c)
		return;
	spin_lock(&c->lock);
	c->closed = true;
	stack = c->stack;
	nr = c->nr;
	c->stack = NULL;
	c->nr = 0;
	c->cap = 0;
	spin_unlock(&c->lock);
	mach_ool_budget_give(nr);
	for (i = 0; i < nr; i++)
		put_page(stack[i]);
	kvfree(stack);
	mach_ool_cache_put(c);
}

/*
 * Take up to 'n' pages from 'c' into 'pages', in the order their region
 * had them; how many.  Their old bytes are still there: the caller
 * overwrites all of them.
 */
static unsigned long mach_ool_cache_take(struct mach_ool_cache *c,
					 struct page **pages, unsigned long n)
{
	unsigned long got = 0;

	if (!c)
		return 0;
	spin_lock(&c->lock);
	while (got < n && c->nr)
		pages[got++] = c->stack[--c->nr];
	spin_unlock(&c->lock);
	mach_ool_budget_give(got);
	mach_stat_add(MACH_STAT_OOL_RECYCLED, got);
	return got;
}

/*
 * Free a region's pages: back to its space's cache those we alone hold,
 * while the cache is open and has room; the others to the allocator.
 *
 * A page may be reused only if nobody but us can see it.  A reference
 * count of 1 is our own reference: every mapping of the page (the
 * receiver's, a child's after fork), every GUP pin and every pipe buffer
 * holding it (vmsplice) holds one of its own, and those are gone by the
 * time the last fput of the region's file calls us.  Such a page cannot
 * be found again by anyone: it is in no page cache, no LRU list and no
 * page table.  As with the network stack's page_pool, a speculative
 * reference taken later (get_page_unless_zero on a stale pointer, as
 * lockless page table walks do) is harmless: its holder checks that the
 * page is still what it looked up, finds it is not, and drops the
 * reference without touching the contents.  If a count is above 1 when
 * we look, the page is simply freed by whoever drops it last.
 */
static void mach_ool_pages_free(struct mach_ool_pages *p)
{
	struct mach_ool_cache *c = p->cache;
	unsigned long i, room, mine = 0, kept = 0;
	struct page *page;

	/* the pages we may keep move to the front of p->pages, in order */
	for (i = 0; i < p->npages && p->pages[i]; i++) {
		page = p->pages[i];
		if (c && page_ref_count(page) == 1 && !page_mapped(page) &&
		    !folio_test_mlocked(page_folio(page)))
			p->pages[mine++] = page;
		else
			put_page(page);
	}
	if (mine) {
		spin_lock(&c->lock);
		room = c->closed ? 0 : c->cap - c->nr;
		room = mach_ool_budget_take(min(room, mine));
		/* last first, so that they come off the stack in order */
		for (kept = room; kept; kept--)
			c->stack[c->nr++] = p->pages[kept - 1];
		spin_unlock(&c->lock);
		for (i = room; i < mine; i++)
			put_page(p->pages[i]);
	}
	if (c)
		mach_ool_cache_put(c);
	kvfree(p);
}

/*
 * Fill p->pages with 'npages' pages: first those the sending space's cache
 * holds, then new ones in blocks of up to 2^MACH_OOL_ORDER pages while
 * memory allows (one allocation, one charge), split into the single pages
 * a mapping needs.  An order that failed once is not tried again for this
 * region.  Not zeroed here: every byte is written next (mach_ool_fill).
 */
static bool mach_ool_pages_alloc(struct mach_ool_pages *p)
{
	const gfp_t gfp = GFP_HIGHUSER | __GFP_ACCOUNT | __GFP_NOWARN;
	unsigned int order, max_order = MACH_OOL_ORDER;
	unsigned long i, j;
	struct page *page;

	i = mach_ool_cache_take(p->cache, p->pages, p->npages);

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

/* Most pages copied by one copy_from_user (then a chance to reschedule). */
#define MACH_OOL_RUN_MAX	64

/*
 * How many pages from p->pages[i] on can be written through one kernel
 * address: pages of the linear map (never highmem, where page_address()
 * means nothing until kmap) whose addresses follow each other, as those of
 * a split block do and as recycled ones often still do.  0 for a highmem
 * page, which must be mapped alone.
 */
static unsigned long mach_ool_run(const struct mach_ool_pages *p,
				  unsigned long i)
{
	unsigned long n = 1;
	u8 *k;

	if (PageHighMem(p->pages[i]))
		return 0;
	k = page_address(p->pages[i]);
	while (i + n < p->npages && n < MACH_OOL_RUN_MAX &&
	       !PageHighMem(p->pages[i + n]) &&
	       page_address(p->pages[i + n]) == k + n * PAGE_SIZE)
		n++;
	return n;
}

/*
 * Write bytes [from, to) of the region's pages (counted from the start of
 * its first page) through 'k', which maps byte 'from': the sender's bytes
 * where the data [off, end) lies, zeros elsewhere.  Returns false if the
 * sender's memory faulted.
 */
static bool mach_ool_fill_span(u8 *k, u64 from, u64 to, u64 off, u64 end,
			       const u8 __user *src)
{
	u64 a = clamp(off, from, to), b = clamp(end, from, to);

	if (a > from)
		memset(k, 0, a - from);
	if (b > a && copy_from_user(k + (a - from), src + (a - off), b - a))
		return false;
	if (to > b)
		memset(k + (b - from), 0, to - b);
	return true;
}

/*
 * Copy the sender's bytes into the pages, zeroing what is around them.
 *
 * Every byte of every page is written here, whatever happens to be in it:
 * the bytes before 'off' in the first page and after the data in the last
 * are zeroed, the rest copied.  That is what lets a snapshot use pages
 * that are not zeroed (init_on_alloc aside) and pages recycled from an
 * earlier region of the same space, which still hold its bytes.  If the
 * copy faults, the rest is left unwritten, but such a region is never
 * mapped: the send fails and its pages go back to the cache or are freed.
 *
 * Pages that follow each other in the linear map are copied by one
 * copy_from_user, so hardened usercopy checks the run once instead of
 * once a page.  That check (check_heap_object() in mm/usercopy.c, the
 * same in 6.1 and 6.12) bounds a copy by its object only for kmap
 * addresses, vmalloc, slab and compound pages; our pages are order-0
 * (split_page) and lowmem, so a run across several passes as it should.
 */
static int mach_ool_fill(struct mach_ool_pages *p, const u8 __user *src,
			 u32 off, u32 len)
{
	u64 end = (u64)off + len, from;
	unsigned long i = 0, n;
	bool ok;
	u8 *k;

	while (i < p->npages) {
		from = (u64)i << PAGE_SHIFT;
		n = mach_ool_run(p, i);
		if (n) {
			ok = mach_ool_fill_span(page_address(p->pages[i]), from,
						from + (n << PAGE_SHIFT), off,
						end, src);
		} else {
			n = 1;
			k = kmap_local_page(p->pages[i]);
			ok = mach_ool_fill_span(k, from, from + PAGE_SIZE, off,
						end, src);
			kunmap_local(k);
		}
		if (!ok)
			return MACH_SEND_INVALID_MEMORY;
		i += n;
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
static int mach_ool_snapshot(struct mach_ool *ool, const u8 __user *src,
			     struct mach_ool_cache *cache)
{
	unsigned long npages = PAGE_ALIGN((u64)ool->off + ool->len) >> PAGE_SHIFT;
	struct mach_ool_pages *p;

	p = kvzalloc(struct_size(p, pages, npages), GFP_KERNEL_ACCOUNT);
	if (!p)
		return MACH_SEND_NO_BUFFER;
	if (cache) {
		mach_ool_cache_prepare(cache);
		refcount_inc(&cache->ref);
		p->cache = cache;
	}
	p->npages = npages;
	ool->snap = p;
	if (!mach_ool_pages_alloc(p))
		return MACH_SEND_NO_BUFFER;
	return mach_ool_fill(p, src, ool->off, ool->len);
}

/*
 * Snapshot 'len' bytes of the sender's memory at 'uaddr' into 'ool', in
 * pages from 'cache' (the sending space's, or NULL) first.  Returns a
 * mach_msg_return_t; on failure 'ool' holds nothing.
 */
int mach_ool_create(struct mach_ool *ool, u64 uaddr, u32 len,
		    struct mach_ool_cache *cache)
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
		ret = mach_ool_snapshot(ool, src, cache);
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
