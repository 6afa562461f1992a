// SPDX-License-Identifier: GPL-2.0
/*
 * mem_errors - the error returns of memory entries (mach_make_memory_entry_64,
 * mach_vm_map) that mem_entry's cases of ordinary use do not reach, each
 * with what it must leave behind: no handle, no mapping, the region as it
 * was.
 *
 * XNU's answers where XNU has the case (osfmk/vm/vm_memory_entry.c,
 * vm_user.c):
 *  - MAP_MEM_ONLY with a caching mode on a parent that is not writable is
 *    KERN_INVALID_RIGHT;
 *  - a copy (MAP_MEM_VM_COPY) of memory that cannot be read, and a share
 *    whose VM_PROT_IS_MASK leaves no protection, are
 *    KERN_PROTECTION_FAILURE;
 *  - a window on a parent that is a copy entry, and an offset that
 *    overflows with the parent's data offset, are KERN_INVALID_ARGUMENT;
 *  - a routine on a name that is no task port fails in MIG's copy-in of
 *    the target: MACH_SEND_INVALID_DEST.
 * The module's own limits (docs/design.md, memory entries): entries of
 * other tasks are KERN_NOT_SUPPORTED; a region must lie within one mapped
 * entry or outside every mapped entry (KERN_INVALID_ADDRESS), as must the
 * pages a share pins or a copy reads (past the end of a file:
 * KERN_INVALID_ADDRESS); a mapping refused by the memory-lock limit is
 * KERN_RESOURCE_SHORTAGE, one below vm.mmap_min_addr KERN_PROTECTION_FAILURE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/mach.h>

#include <mach/mach_vm.h>
#include <mach/vm_map.h>

#include "msg_util.h"

#define PG	4096ULL
#define RW	(VM_PROT_READ | VM_PROT_WRITE)
/* a caching mode, in the permission's top byte (SET_MAP_MEM) */
#define WCOMB	((unsigned int)MAP_MEM_WCOMB << 24)

static kern_return_t try_make(memory_object_size_t size, memory_object_offset_t off,
			      vm_prot_t perm, mach_port_t parent)
{
	memory_object_size_t sz = size;
	mach_port_t h = 0xbadc0de;
	kern_return_t kr;
	int before = mu_names_count();

	kr = mach_make_memory_entry_64(mach_task_self(), &sz, off, perm, &h, parent);
	if (kr == KERN_SUCCESS) {
		mach_port_deallocate(mach_task_self(), h);
	} else {
		expect_eq(size, sz, "a failure leaves size alone");
		expect_eq(0xbadc0de, h, "and the handle");
		expect_eq(before, mu_names_count(), "and makes no name");
	}
	return kr;
}

static mach_port_t make(memory_object_size_t size, memory_object_offset_t off,
			vm_prot_t perm, mach_port_t parent)
{
	memory_object_size_t sz = size;
	mach_port_t h = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS,
		  mach_make_memory_entry_64(mach_task_self(), &sz, off, perm, &h, parent),
		  "mach_make_memory_entry_64");
	return h;
}

static kern_return_t try_map(mach_port_t h, mach_vm_size_t size, memory_object_offset_t off,
			     int flags, vm_prot_t cur, vm_prot_t max)
{
	mach_vm_address_t addr = 0;
	kern_return_t kr;

	kr = mach_vm_map(mach_task_self(), &addr, size, 0, VM_FLAGS_ANYWHERE | flags, h,
			 off, FALSE, cur, max, VM_INHERIT_DEFAULT);
	if (kr == KERN_SUCCESS)
		mach_vm_deallocate(mach_task_self(), addr & ~(PG - 1), size + PG);
	else
		expect_eq(0, addr, "a failed map gives no address");
	return kr;
}

/* How many mappings of memory entries this process has. */
static int entry_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "[mach_memory_entry]") != NULL;
	fclose(f);
	return n;
}

/* /dev/mach's descriptor, for the raw calls. */
static int mach_fd(void)
{
	char path[64], target[64];

	(void)mach_task_self();
	for (int fd = 0; fd < 1024; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (!strcmp(target, MACH_DEVICE_PATH))
			return fd;
	}
	return -1;
}

/* --- make_memory_entry ------------------------------------------------------ */

/*
 * Three pages: a mapped entry over the first two, anonymous memory in the
 * third.  A region across the border is neither a window of the entry nor
 * plain memory.
 */
static void region_across_a_mapped_entry(void)
{
	mach_vm_address_t base = 0, addr;
	mach_port_t h;
	char *p;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &base, 3 * PG,
						 VM_FLAGS_ANYWHERE), "three pages");
	h = make(2 * PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
	assert_true(h != MACH_PORT_NULL, "an entry");
	addr = base;
	assert_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &addr, 2 * PG, 0,
			      VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE, h, 0, FALSE, RW, RW,
			      VM_INHERIT_DEFAULT), "the entry over the first two");
	p = (char *)(uintptr_t)base;
	p[PG] = 'e';
	p[2 * PG] = 'a';
	expect_kr(KERN_INVALID_ADDRESS, try_make(2 * PG, base + PG, RW, MACH_PORT_NULL),
		  "entry's last page and the anonymous one");
	expect_kr(KERN_INVALID_ADDRESS,
		  try_make(2 * PG, base + PG, MAP_MEM_VM_SHARE | RW, MACH_PORT_NULL),
		  "the same with VM_SHARE");
	/* each side alone is fine */
	expect_kr(KERN_SUCCESS, try_make(PG, base + PG, RW, MACH_PORT_NULL),
		  "a window of the mapped entry");
	expect_kr(KERN_SUCCESS, try_make(PG, base + 2 * PG, RW, MACH_PORT_NULL),
		  "the anonymous page");
	expect_eq('e', p[PG], "the entry's page is untouched");
	expect_eq('a', p[2 * PG], "and the anonymous one");
	mach_vm_deallocate(mach_task_self(), base, 3 * PG);
	mach_port_deallocate(mach_task_self(), h);
}

static void protections_refused(void)
{
	mach_vm_address_t none = 0, ro = 0;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &none, PG,
						 VM_FLAGS_ANYWHERE), "a page");
	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &ro, PG,
						 VM_FLAGS_ANYWHERE), "another");
	assert_kr(KERN_SUCCESS, mach_vm_protect(mach_task_self(), none, PG, FALSE,
						VM_PROT_NONE), "no access");
	assert_kr(KERN_SUCCESS, mach_vm_protect(mach_task_self(), ro, PG, FALSE,
						VM_PROT_READ), "read-only");
	expect_kr(KERN_PROTECTION_FAILURE,
		  try_make(PG, none, MAP_MEM_VM_COPY | VM_PROT_READ, MACH_PORT_NULL),
		  "a copy of memory that cannot be read");
	expect_kr(KERN_PROTECTION_FAILURE,
		  try_make(PG, ro, VM_PROT_IS_MASK | VM_PROT_WRITE, MACH_PORT_NULL),
		  "IS_MASK that leaves no protection");
	expect_kr(KERN_SUCCESS,
		  try_make(PG, ro, VM_PROT_IS_MASK | RW, MACH_PORT_NULL),
		  "IS_MASK that leaves read");
	mach_vm_deallocate(mach_task_self(), none, PG);
	mach_vm_deallocate(mach_task_self(), ro, PG);
}

static void beyond_the_address_space(void)
{
	/* x86-64's TASK_SIZE with 4-level page tables is 2^47 - 4096 */
	const uint64_t top = (1ULL << 47) - PG;

	expect_kr(KERN_INVALID_ADDRESS, try_make(2 * PG, top - PG, RW, MACH_PORT_NULL),
		  "a region running past the task's top");
	expect_kr(KERN_INVALID_ADDRESS,
		  try_make(PG, top, MAP_MEM_VM_COPY | VM_PROT_READ, MACH_PORT_NULL),
		  "a copy from above it");
}

/* A file of one page mapped over two: the second page has nothing behind it. */
static void past_end_of_file(void)
{
	int fd = memfd_create("mem_errors", 0);
	mach_vm_address_t base;
	char *p;

	assert_true(fd >= 0, "memfd");
	assert_eq(0, ftruncate(fd, PG), "one page");
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED, "mapped over two");
	close(fd);
	strcpy(p, "file");
	base = (uintptr_t)p;
	expect_kr(KERN_INVALID_ADDRESS,
		  try_make(2 * PG, base, MAP_MEM_VM_COPY | VM_PROT_READ, MACH_PORT_NULL),
		  "a copy that reads past the end of the file");
	expect_kr(KERN_INVALID_ADDRESS, try_make(2 * PG, base, RW, MACH_PORT_NULL),
		  "a share that pins past it");
	expect_kr(KERN_INVALID_ADDRESS, try_make(2 * PG, base, VM_PROT_READ, MACH_PORT_NULL),
		  "read-only too");
	expect_kr(KERN_SUCCESS, try_make(PG, base, RW, MACH_PORT_NULL), "the first page alone");
	expect_eq(0, strcmp(p, "file"), "the file's page is as it was");
	munmap(p, 2 * PG);
}

static void parents_refused(void)
{
	mach_vm_address_t region = 0;
	mach_port_t copy, rw, ro, data;
	memory_object_size_t sz;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, 2 * PG,
						 VM_FLAGS_ANYWHERE), "region");
	copy = make(PG, region, MAP_MEM_VM_COPY | RW, MACH_PORT_NULL);
	rw = make(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
	ro = make(PG, 0, VM_PROT_READ, rw);
	data = make(PG, region + 0x10, MAP_MEM_USE_DATA_ADDR | RW, MACH_PORT_NULL);
	assert_true(copy && rw && ro && data, "entries");

	expect_kr(KERN_INVALID_ARGUMENT, try_make(PG, 0, RW, copy),
		  "a window on a copy entry");
	expect_kr(KERN_INVALID_ARGUMENT, try_make(PG, 0, MAP_MEM_ONLY | RW, copy),
		  "MAP_MEM_ONLY on a copy entry");
	expect_kr(KERN_INVALID_RIGHT,
		  try_make(PG, 0, MAP_MEM_ONLY | WCOMB, ro),
		  "a caching mode on a read-only parent");
	sz = PG;
	expect_kr(KERN_SUCCESS,
		  mach_make_memory_entry_64(mach_task_self(), &sz, 0,
					    MAP_MEM_ONLY | WCOMB,
					    &(mach_port_t){ 0 }, data),
		  "a caching mode on a writable parent");
	expect_kr(KERN_INVALID_ARGUMENT,
		  try_make(PG, ~0ULL - 8, MAP_MEM_USE_DATA_ADDR | RW, data),
		  "an offset that overflows with the parent's data offset");
	mach_port_deallocate(mach_task_self(), copy);
	mach_port_deallocate(mach_task_self(), rw);
	mach_port_deallocate(mach_task_self(), ro);
	mach_port_deallocate(mach_task_self(), data);
	mach_vm_deallocate(mach_task_self(), region, 2 * PG);
}

/* The ioctl's result: a Mach code (>= 0) or -errno. */
static long raw(unsigned long cmd, void *arg)
{
	long r = ioctl(mach_fd(), cmd, arg);

	return r < 0 ? -errno : r;
}

/*
 * The module's target checks, past libmach's own (which answers the same
 * for these without a call).
 */
static void other_tasks(void)
{
	mach_port_t recv = mu_port(), child_task = MACH_PORT_NULL, h;
	struct mach_memory_entry_args me = {
		.permission = RW, .size = PG, .offset = 0x10000,
	};
	struct mach_vm_map_args vm = {
		.size = PG, .vm_flags = VM_FLAGS_ANYWHERE, .cur_prot = RW, .max_prot = RW,
		.inheritance = VM_INHERIT_DEFAULT,
	};
	int ready[2], done[2];
	pid_t pid;

	h = make(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
	assert_true(recv && h, "setup");
	vm.object = h;
	vm.task = recv;
	expect_kr(MACH_SEND_INVALID_DEST, raw(MACH_IOC_VM_MAP, &vm),
		  "vm_map on a name that is no task");
	expect_eq(0, vm.address, "no address");
	me.task = recv;
	expect_kr(MACH_SEND_INVALID_DEST, raw(MACH_IOC_MAKE_MEMORY_ENTRY, &me),
		  "make_memory_entry on a name that is no task");

	if (geteuid() != 0)
		mt_skip("task_for_pid of a child needs root here");
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(done), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		(void)mach_task_self();
		mt_post(ready[1]);
		mt_await(done[0], MU_WAIT_MS);
		_exit(0);
	}
	assert_true(mt_await(ready[0], MU_WAIT_MS), "child has a space");
	assert_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &child_task),
		  "task_for_pid(child)");
	me.task = child_task;
	expect_kr(KERN_NOT_SUPPORTED, raw(MACH_IOC_MAKE_MEMORY_ENTRY, &me),
		  "a region of another task");
	expect_eq(MACH_PORT_NULL, me.handle, "no handle");
	expect_eq(0, me.size, "size 0, as XNU leaves a failure");
	vm.task = child_task;
	expect_kr(KERN_NOT_SUPPORTED, raw(MACH_IOC_VM_MAP, &vm), "mapping into another task");
	mt_post(done[1]);
	expect_child_ok(pid, MU_WAIT_MS, "child");
	mach_port_deallocate(mach_task_self(), h);
}

/* --- vm_map --------------------------------------------------------------- */

/*
 * An entry whose data starts 0x800 into its first page (USE_DATA_ADDR): a
 * window asked in data offsets must end within the entry's pages.
 */
static void data_window_past_the_entry(void)
{
	mach_vm_address_t region = 0;
	memory_object_size_t sz = PG;
	mach_port_t h = MACH_PORT_NULL;
	char *m;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, 3 * PG,
						 VM_FLAGS_ANYWHERE), "region");
	strcpy((char *)(uintptr_t)region + 0x800, "data");
	assert_kr(KERN_SUCCESS,
		  mach_make_memory_entry_64(mach_task_self(), &sz, region + 0x800,
					    MAP_MEM_USE_DATA_ADDR | RW, &h, MACH_PORT_NULL),
		  "an entry of [0x800, 0x1800)");
	/* the data's last 0x800 bytes and 0x800 beyond the entry's pages */
	expect_kr(KERN_INVALID_ARGUMENT,
		  try_map(h, PG, PG, VM_FLAGS_RETURN_DATA_ADDR, RW, RW),
		  "a data window past the entry's pages");
	expect_kr(KERN_INVALID_ARGUMENT,
		  try_map(h, 2 * PG, 0, VM_FLAGS_RETURN_DATA_ADDR, RW, RW),
		  "a data window of the whole two pages");
	/* the data itself maps, at its offset in the page */
	m = NULL;
	{
		mach_vm_address_t addr = 0;

		expect_kr(KERN_SUCCESS,
			  mach_vm_map(mach_task_self(), &addr, PG, 0,
				      VM_FLAGS_ANYWHERE | VM_FLAGS_RETURN_DATA_ADDR, h, 0,
				      FALSE, RW, RW, VM_INHERIT_DEFAULT), "the data window");
		m = (char *)(uintptr_t)addr;
	}
	if (m) {
		expect_eq(0x800, (uintptr_t)m & (PG - 1), "at the data's offset");
		expect_eq(0, strcmp(m, "data"), "showing the data");
		mach_vm_deallocate(mach_task_self(), (uintptr_t)m & ~(PG - 1), 2 * PG);
	}
	mach_port_deallocate(mach_task_self(), h);
	mach_vm_deallocate(mach_task_self(), region, 3 * PG);
}

static void sizes_that_overflow(void)
{
	mach_port_t h = make(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);

	assert_true(h != MACH_PORT_NULL, "entry");
	expect_kr(KERN_INVALID_ARGUMENT, try_map(h, 2 * PG, ~0ULL - PG, 0, RW, RW),
		  "offset + size overflows");
	expect_kr(KERN_INVALID_ARGUMENT, try_map(h, ~0ULL - 16, 0, 0, RW, RW),
		  "a size that cannot be rounded to pages");
	mach_port_deallocate(mach_task_self(), h);
}

/* Writes through /proc/self/mem (ptrace's path) obey the mapping's maximum. */
static void proc_mem_write_to_read_only(void)
{
	mach_port_t h = make(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
	mach_vm_address_t rw = 0, ro = 0;
	char buf[8] = "", *w, *r;
	int fd;

	assert_true(h != MACH_PORT_NULL, "entry");
	assert_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &rw, PG, 0, VM_FLAGS_ANYWHERE, h, 0, FALSE,
			      RW, RW, VM_INHERIT_DEFAULT), "writable mapping");
	assert_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &ro, PG, 0, VM_FLAGS_ANYWHERE, h, 0, FALSE,
			      VM_PROT_READ, VM_PROT_READ, VM_INHERIT_DEFAULT),
		  "read-only mapping");
	w = (char *)(uintptr_t)rw;
	r = (char *)(uintptr_t)ro;
	strcpy(w, "orig");
	fd = open("/proc/self/mem", O_RDWR);
	assert_true(fd >= 0, "open /proc/self/mem");
	expect_eq(4, pread(fd, buf, 4, (off_t)ro), "read through the read-only mapping");
	expect_eq(0, memcmp(buf, "orig", 4), "its contents");
	errno = 0;
	expect_eq(-1, pwrite(fd, "evil", 4, (off_t)ro), "write through it");
	expect_eq(EIO, errno, "EIO: the mapping may never be written");
	expect_eq(0, strcmp(w, "orig"), "the page is unchanged");
	expect_eq(4, pwrite(fd, "good", 4, (off_t)rw), "write through the writable one");
	expect_eq(0, memcmp(r, "good", 4), "seen in both");
	close(fd);
	mach_vm_deallocate(mach_task_self(), rw, PG);
	mach_vm_deallocate(mach_task_self(), ro, PG);
	mach_port_deallocate(mach_task_self(), h);
}

/* Drop every capability of this (child) process, staying uid 0. */
static bool drop_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	return syscall(SYS_capset, &hdr, data) == 0;
}

/*
 * Without CAP_IPC_LOCK, under mlockall(MCL_FUTURE) and a one-page
 * RLIMIT_MEMLOCK, a mapping of 16 pages is refused (mmap's EAGAIN), shared
 * or copied, and so is a share that would pin them; nothing is left mapped.
 */
static void memlock_limit(void)
{
	mach_vm_address_t region = 0;
	pid_t pid;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, 16 * PG,
						 VM_FLAGS_ANYWHERE), "a region");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		struct rlimit one = { PG, PG };
		memory_object_size_t sz = 16 * PG;
		mach_vm_address_t addr = 0;
		mach_port_t h, got = MACH_PORT_NULL;
		int names;

		/* the child's own space and entry, made before the limit applies */
		h = make(16 * PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
		names = mu_names_count();
		if (!expect_true(h != MACH_PORT_NULL, "an entry") ||
		    !expect_true(drop_capabilities(), "drop capabilities") ||
		    !expect_eq(0, setrlimit(RLIMIT_MEMLOCK, &one), "RLIMIT_MEMLOCK 1 page") ||
		    !expect_eq(0, mlockall(MCL_FUTURE), "mlockall(MCL_FUTURE)"))
			mt_child_exit();
		expect_kr(KERN_RESOURCE_SHORTAGE,
			  mach_vm_map(mach_task_self(), &addr, 16 * PG, 0, VM_FLAGS_ANYWHERE,
				      h, 0, FALSE, RW, RW, VM_INHERIT_DEFAULT),
			  "a shared mapping beyond the limit");
		expect_eq(0, addr, "no address");
		expect_kr(KERN_RESOURCE_SHORTAGE,
			  mach_vm_map(mach_task_self(), &addr, 16 * PG, 0, VM_FLAGS_ANYWHERE,
				      h, 0, TRUE, RW, RW, VM_INHERIT_DEFAULT),
			  "a copy mapping beyond the limit");
		expect_kr(KERN_RESOURCE_SHORTAGE,
			  mach_make_memory_entry_64(mach_task_self(), &sz, region, RW, &got,
						    MACH_PORT_NULL),
			  "a share that would pin beyond the limit");
		expect_eq(MACH_PORT_NULL, got, "no handle");
		/* the counts below need memory of their own again */
		expect_eq(0, munlockall(), "munlockall");
		expect_eq(names, mu_names_count(), "no name left behind");
		mt_child_exit();
	}
	expect_child_ok(pid, MU_WAIT_MS, "the limited child");
	mach_vm_deallocate(mach_task_self(), region, 16 * PG);
}

/*
 * Below vm.mmap_min_addr only CAP_SYS_RAWIO maps (Linux's guard against
 * NULL dereferences; macOS has __PAGEZERO there): without it a fixed
 * mapping at 0 is refused, KERN_PROTECTION_FAILURE, shared or copied.
 */
static void below_mmap_min_addr(void)
{
	FILE *f = fopen("/proc/sys/vm/mmap_min_addr", "r");
	unsigned long min = 0;
	pid_t pid;

	if (!f || fscanf(f, "%lu", &min) != 1)
		min = 0;
	if (f)
		fclose(f);
	if (min < PG)
		mt_skip("vm.mmap_min_addr is %lu: page 0 may be mapped", min);
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t h = make(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
		mach_vm_address_t addr = 0;

		if (!expect_true(h != MACH_PORT_NULL, "an entry") ||
		    !expect_true(drop_capabilities(), "drop capabilities"))
			mt_child_exit();
		expect_kr(KERN_PROTECTION_FAILURE,
			  mach_vm_map(mach_task_self(), &addr, PG, 0, VM_FLAGS_FIXED, h, 0,
				      FALSE, RW, RW, VM_INHERIT_DEFAULT), "shared, at 0");
		expect_kr(KERN_PROTECTION_FAILURE,
			  mach_vm_map(mach_task_self(), &addr, PG, 0, VM_FLAGS_FIXED, h, 0,
				      TRUE, RW, RW, VM_INHERIT_DEFAULT), "copied, at 0");
		expect_eq(0, addr, "no address");
		expect_eq(-1, msync(NULL, PG, MS_ASYNC), "nothing mapped at 0");
		mt_child_exit();
	}
	expect_child_ok(pid, MU_WAIT_MS, "the child without capabilities");
}

/* --- arguments the kernel cannot read or write back ---------------------- */

static void raw_arguments_fault(void)
{
	int fd = mach_fd();
	mach_port_t h = make(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL);
	struct mach_vm_map_args *va;
	int names, maps;

	assert_true(fd >= 0 && h, "setup");
	errno = 0;
	expect_eq(-1, ioctl(fd, MACH_IOC_MAKE_MEMORY_ENTRY, (void *)8), "make, bad pointer");
	expect_eq(EFAULT, errno, "EFAULT");
	errno = 0;
	expect_eq(-1, ioctl(fd, MACH_IOC_VM_MAP, (void *)8), "vm_map, bad pointer");
	expect_eq(EFAULT, errno, "EFAULT");

	/* a mapping whose address cannot be written back is undone */
	va = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(va != MAP_FAILED, "a page for the arguments");
	memset(va, 0, sizeof(*va));
	va->task = mach_task_self();
	va->object = h;
	va->size = PG;
	va->vm_flags = VM_FLAGS_ANYWHERE;
	va->cur_prot = va->max_prot = RW;
	va->inheritance = VM_INHERIT_DEFAULT;
	names = mu_names_count();
	maps = entry_mappings();
	assert_true(maps >= 0, "read /proc/self/maps");
	assert_eq(0, mprotect(va, PG, PROT_READ), "read-only arguments");
	errno = 0;
	expect_eq(-1, ioctl(fd, MACH_IOC_VM_MAP, va), "vm_map into read-only arguments");
	expect_eq(EFAULT, errno, "EFAULT");
	expect_eq(maps, entry_mappings(), "the mapping was undone");
	expect_eq(names, mu_names_count(), "names unchanged");
	/* and the same call with writable arguments maps it */
	assert_eq(0, mprotect(va, PG, PROT_READ | PROT_WRITE), "writable again");
	expect_kr(KERN_SUCCESS, ioctl(fd, MACH_IOC_VM_MAP, va), "vm_map");
	expect_eq(maps + 1, entry_mappings(), "one mapping more");
	munmap((void *)(uintptr_t)va->address, PG);
	munmap(va, PG);
	mach_port_deallocate(mach_task_self(), h);
}

static const struct mt_case cases[] = {
	MT_CASE(region_across_a_mapped_entry),
	MT_CASE(protections_refused),
	MT_CASE(beyond_the_address_space),
	MT_CASE(past_end_of_file),
	MT_CASE(parents_refused),
	MT_CASE(other_tasks),
	MT_CASE(data_window_past_the_entry),
	MT_CASE(sizes_that_overflow),
	MT_CASE(proc_mem_write_to_read_only),
	MT_CASE(memlock_limit),
	MT_CASE(below_mmap_min_addr),
	MT_CASE(raw_arguments_fault),
};

int main(void)
{
	return MT_RUN(cases);
}
