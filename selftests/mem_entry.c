// SPDX-License-Identifier: GPL-2.0
/*
 * mem_entry - shared memory through memory entries, as macOS programs
 * (browsers among them) share it: mach_make_memory_entry_64 (new memory,
 * a region of the caller shared or copied, a window on a parent entry,
 * NAMED_REUSE) and mach_vm_map of the entry, shared or copy-on-write, in
 * this process and in an exec'd child with writes both ways; protections
 * enforced with XNU's codes; entries that live until their last reference;
 * and the bad input XNU refuses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/fileport.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach/mach_vm.h>
#include <mach/vm_map.h>

#include "msg_util.h"
#include "nl_util.h"

#define PG		4096ULL
#define RW		(VM_PROT_READ | VM_PROT_WRITE)
#define EXEC_ARG	"--mem-entry-child"

static mach_port_t make_entry(memory_object_size_t size, memory_object_offset_t off,
			      vm_prot_t perm, mach_port_t parent,
			      memory_object_size_t *got)
{
	mach_port_t h = MACH_PORT_NULL;
	memory_object_size_t sz = size;

	if (!expect_kr(KERN_SUCCESS,
		       mach_make_memory_entry_64(mach_task_self(), &sz, off, perm, &h,
						 parent), "mach_make_memory_entry_64"))
		return MACH_PORT_NULL;
	if (got)
		*got = sz;
	return h;
}

static char *map_entry(mach_port_t h, mach_vm_size_t size, memory_object_offset_t off,
		       boolean_t copy, vm_prot_t cur, vm_prot_t max)
{
	mach_vm_address_t addr = 0;

	if (!expect_kr(KERN_SUCCESS,
		       mach_vm_map(mach_task_self(), &addr, size, 0, VM_FLAGS_ANYWHERE,
				   h, off, copy, cur, max, VM_INHERIT_DEFAULT),
		       "mach_vm_map"))
		return NULL;
	return (char *)(uintptr_t)addr;
}

static kern_return_t try_map(mach_port_t h, mach_vm_size_t size,
			     memory_object_offset_t off, vm_prot_t cur, vm_prot_t max)
{
	mach_vm_address_t addr = 0;
	kern_return_t kr;

	kr = mach_vm_map(mach_task_self(), &addr, size, 0, VM_FLAGS_ANYWHERE, h, off,
			 FALSE, cur, max, VM_INHERIT_DEFAULT);
	if (kr == KERN_SUCCESS)
		mach_vm_deallocate(mach_task_self(), addr, size);
	return kr;
}

static kern_return_t try_make(memory_object_size_t size, memory_object_offset_t off,
			      vm_prot_t perm, mach_port_t parent)
{
	memory_object_size_t sz = size;
	mach_port_t h = 0xbadc0de;
	kern_return_t kr;

	kr = mach_make_memory_entry_64(mach_task_self(), &sz, off, perm, &h, parent);
	if (kr == KERN_SUCCESS) {
		mach_port_deallocate(mach_task_self(), h);
	} else {
		expect_eq(size, sz, "a failure leaves size alone");
		expect_eq(0xbadc0de, h, "and the handle");
	}
	return kr;
}

/* Does writing at p kill a child with SIGSEGV? */
static bool write_faults(volatile char *p)
{
	pid_t child = mt_fork();

	if (child == 0) {
		*p = 1;
		_exit(0);
	}
	return mt_wait(child, MU_WAIT_MS) == 128 + SIGSEGV;
}

static void named_create(void)
{
	memory_object_size_t got = 0;
	uint32_t kind = 0;
	uint64_t nlsize = 0;
	mach_port_t h;
	char *a, *b;

	h = make_entry(3 * PG + 1, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, &got);
	assert_true(h != MACH_PORT_NULL, "entry");
	expect_eq(4 * PG, got, "size rounded to pages");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(h), "a send right");
	expect_eq(0, nl_entry_kobject((uint32_t)getpid(), h, &kind, &nlsize), "netlink");
	expect_eq(MACH_NL_KOBJECT_MEMORY_ENTRY, kind, "lsmp sees a memory entry");
	expect_eq(4 * PG, nlsize, "of its size");
	a = map_entry(h, got, 0, FALSE, RW, RW);
	b = map_entry(h, got, 0, FALSE, RW, RW);
	assert_true(a && b && a != b, "two mappings");
	expect_eq(0, a[0] | a[4 * PG - 1], "zero-filled");
	strcpy(a + PG, "through a");
	expect_eq(0, strcmp(b + PG, "through a"), "the same memory");
	b[4 * PG - 1] = 'z';
	expect_eq('z', a[4 * PG - 1], "both ways");
	mach_vm_deallocate(mach_task_self(), (uintptr_t)a, got);
	mach_vm_deallocate(mach_task_self(), (uintptr_t)b, got);
	mach_port_deallocate(mach_task_self(), h);
}

static void make_bad_input(void)
{
	mach_vm_address_t ro = 0, rw = 0;
	memory_object_size_t sz = 0;
	mach_port_t h = 7, recv = mu_port();

	expect_kr(KERN_SUCCESS,
		  mach_make_memory_entry_64(mach_task_self(), &sz, 0,
					    MAP_MEM_NAMED_CREATE | RW, &h, MACH_PORT_NULL),
		  "NAMED_CREATE of size 0");
	expect_eq(MACH_PORT_NULL, h, "makes no entry");
	expect_kr(KERN_INVALID_VALUE, try_make(PG, 0, MAP_MEM_NAMED_CREATE | 0x100 | RW,
					       MACH_PORT_NULL), "an unknown flag");
	expect_kr(KERN_INVALID_ARGUMENT,
		  try_make(PG, 0, MAP_MEM_NAMED_CREATE | MAP_MEM_USE_DATA_ADDR | RW,
			   MACH_PORT_NULL), "NAMED_CREATE with USE_DATA_ADDR");
	expect_kr(KERN_FAILURE, try_make(1ULL << 45, 0, MAP_MEM_NAMED_CREATE | RW,
					 MACH_PORT_NULL), "beyond ANON_MAX_SIZE");
	expect_kr(KERN_INVALID_ARGUMENT, try_make(PG, ~0ULL - 10, MAP_MEM_NAMED_CREATE | RW,
						  MACH_PORT_NULL), "offset + size overflows");
	expect_kr(KERN_INVALID_ARGUMENT,
		  try_make(PG, 0, MAP_MEM_NAMED_CREATE | MAP_MEM_PURGABLE | VM_PROT_READ,
			   MACH_PORT_NULL), "purgeable and not writable");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_make_memory_entry_64(recv, &sz, 0, MAP_MEM_NAMED_CREATE | RW, &h,
					    MACH_PORT_NULL), "no task port");

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &ro, PG,
						 VM_FLAGS_ANYWHERE), "read-only region");
	/* three pages, the last given back: a hole right after the region */
	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &rw, 3 * PG,
						 VM_FLAGS_ANYWHERE), "region");
	assert_kr(KERN_SUCCESS, mach_vm_deallocate(mach_task_self(), rw + 2 * PG, PG),
		  "the hole");
	assert_kr(KERN_SUCCESS, mach_vm_protect(mach_task_self(), ro, PG, FALSE,
						VM_PROT_READ), "read-only");
	expect_kr(KERN_INVALID_ARGUMENT, try_make(0, rw, RW, MACH_PORT_NULL),
		  "a region of size 0");
	expect_kr(KERN_INVALID_ADDRESS, try_make(PG, 4096, RW, MACH_PORT_NULL),
		  "an unmapped region");
	expect_kr(KERN_INVALID_ADDRESS, try_make(3 * PG, rw, RW, MACH_PORT_NULL),
		  "a region running past its mapping");
	expect_kr(KERN_PROTECTION_FAILURE, try_make(PG, ro, RW, MACH_PORT_NULL),
		  "write asked of a read-only region");
	expect_kr(MACH_SEND_INVALID_RIGHT, try_make(PG, rw, RW, recv),
		  "a parent that is no send right");
	expect_kr(KERN_INVALID_ARGUMENT,
		  try_make(PG, 0, MAP_MEM_ONLY | RW, MACH_PORT_NULL),
		  "MAP_MEM_ONLY without a parent");
	mach_vm_deallocate(mach_task_self(), ro, PG);
	mach_vm_deallocate(mach_task_self(), rw, 2 * PG);
}

static void map_bad_input(void)
{
	mach_port_t h, ro, plain = mu_port_send(), recv = mu_port();
	mach_vm_address_t addr = 0;
	char *p;
	int pfd[2];
	fileport_t fp;

	h = make_entry(2 * PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	ro = make_entry(2 * PG, 0, VM_PROT_READ, h, NULL);
	assert_true(h && ro, "entries");
	expect_kr(KERN_INVALID_ARGUMENT, try_map(h, 0, 0, RW, RW), "size 0");
	expect_kr(KERN_INVALID_ARGUMENT, try_map(h, 2 * PG, PG, RW, RW),
		  "a window past the entry's end");
	expect_kr(KERN_INVALID_ARGUMENT, try_map(h, 3 * PG, 0, RW, RW),
		  "larger than the entry");
	expect_kr(KERN_INVALID_RIGHT, try_map(ro, PG, 0, VM_PROT_READ, RW),
		  "max_protection beyond the entry's");
	expect_kr(KERN_INVALID_RIGHT, try_map(ro, PG, 0, VM_PROT_READ,
					      VM_PROT_READ | VM_PROT_EXECUTE),
		  "execute from a read-only entry");
	expect_kr(KERN_INVALID_ARGUMENT, try_map(h, PG, 0, 0x100, RW), "unknown prot bits");
	expect_kr(KERN_INVALID_OBJECT, try_map(plain, PG, 0, RW, RW),
		  "a send right that is no memory entry");
	expect_kr(KERN_INVALID_OBJECT, try_map(mach_task_self(), PG, 0, RW, RW),
		  "the task port");
	assert_eq(0, pipe(pfd), "pipe");
	assert_eq(0, fileport_makeport(pfd[0], &fp), "fileport");
	expect_kr(KERN_INVALID_OBJECT, try_map(fp, PG, 0, RW, RW), "a fileport");
	expect_kr(MACH_SEND_INVALID_RIGHT, try_map(recv, PG, 0, RW, RW),
		  "a receive right alone");
	expect_kr(KERN_INVALID_ARGUMENT,
		  mach_vm_map(mach_task_self(), &addr, PG, 0, VM_FLAGS_ANYWHERE, h, 0,
			      FALSE, RW, RW, 7), "an unknown inheritance");
	expect_kr(KERN_INVALID_ARGUMENT,
		  mach_vm_map(mach_task_self(), &addr, PG, 0, VM_FLAGS_ANYWHERE | 0x100,
			      h, 0, FALSE, RW, RW, VM_INHERIT_DEFAULT), "an unknown flag");

	/* a fixed address in use: KERN_NO_SPACE, unless asked to overwrite */
	p = map_entry(h, PG, 0, FALSE, RW, RW);
	assert_true(p != NULL, "mapping");
	addr = (uintptr_t)p;
	expect_kr(KERN_NO_SPACE,
		  mach_vm_map(mach_task_self(), &addr, PG, 0, VM_FLAGS_FIXED, h, PG,
			      FALSE, RW, RW, VM_INHERIT_DEFAULT), "fixed over a mapping");
	p[0] = 'a';
	expect_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &addr, PG, 0,
			      VM_FLAGS_FIXED | VM_FLAGS_OVERWRITE, h, PG, FALSE, RW, RW,
			      VM_INHERIT_DEFAULT), "fixed with VM_FLAGS_OVERWRITE");
	expect_eq((uintptr_t)p, addr, "at that address");
	expect_eq(0, p[0], "now showing the entry's second page");
	mach_vm_deallocate(mach_task_self(), addr, PG);
	close(pfd[0]);
	close(pfd[1]);
}

/* Protections: XNU's codes, and the kernel keeps the maximum. */
static void protections(void)
{
	mach_port_t h, ro;
	char *w, *r;

	h = make_entry(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	ro = make_entry(PG, 0, VM_PROT_READ, h, NULL);
	assert_true(h && ro, "entries");
	w = map_entry(h, PG, 0, FALSE, RW, RW);
	/* cur wider than max: narrowed to max, as XNU does for old callers */
	r = map_entry(ro, PG, 0, FALSE, RW, VM_PROT_READ);
	assert_true(w && r, "mappings");
	strcpy(w, "shared");
	expect_eq(0, strcmp(r, "shared"), "the read-only mapping reads");
	expect_true(write_faults(r), "writing it faults");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(mach_task_self(), (uintptr_t)r, PG, FALSE, RW),
		  "vm_protect cannot add write");
	expect_eq(-1, mprotect(r, PG, PROT_READ | PROT_WRITE),
		  "mprotect cannot either: the kernel holds the maximum");
	expect_true(!write_faults(w), "the writable one writes");
	mach_vm_deallocate(mach_task_self(), (uintptr_t)w, PG);
	mach_vm_deallocate(mach_task_self(), (uintptr_t)r, PG);
}

/* A region of ours, shared: the entry and the region are the same pages. */
static void share_region(void)
{
	mach_vm_address_t region = 0;
	char *orig, *m;
	mach_port_t h;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, 4 * PG,
						 VM_FLAGS_ANYWHERE), "region");
	orig = (char *)(uintptr_t)region;
	strcpy(orig + PG, "before");
	h = make_entry(2 * PG, region + PG, RW, MACH_PORT_NULL, NULL);
	m = map_entry(h, 2 * PG, 0, FALSE, RW, RW);
	assert_true(h && m, "entry and mapping");
	expect_eq(0, strcmp(m, "before"), "the region's contents");
	strcpy(orig + PG, "region wrote");
	expect_eq(0, strcmp(m, "region wrote"), "the region's writes show");
	strcpy(m + PG, "mapping wrote");
	expect_eq(0, strcmp(orig + 2 * PG, "mapping wrote"), "and the mapping's");
	/* the region goes; the entry's pages stay for its mappings */
	mach_vm_deallocate(mach_task_self(), region, 4 * PG);
	expect_eq(0, strcmp(m + PG, "mapping wrote"), "pages outlive the region");
	mach_port_deallocate(mach_task_self(), h);
	expect_eq(0, strcmp(m, "region wrote"), "and the entry's last send right");
	mach_vm_deallocate(mach_task_self(), (uintptr_t)m, 2 * PG);
}

/* MAP_MEM_VM_COPY and copy mappings are snapshots. */
static void snapshots(void)
{
	mach_vm_address_t region = 0;
	mach_port_t copy_entry, shared;
	char *orig, *c, *cow;

	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, PG,
						 VM_FLAGS_ANYWHERE), "region");
	orig = (char *)(uintptr_t)region;
	strcpy(orig, "one");
	copy_entry = make_entry(PG, region, MAP_MEM_VM_COPY | RW, MACH_PORT_NULL, NULL);
	shared = make_entry(PG, region, RW, MACH_PORT_NULL, NULL);
	assert_true(copy_entry && shared, "entries");
	strcpy(orig, "two");
	c = map_entry(copy_entry, PG, 0, FALSE, RW, RW);
	cow = map_entry(shared, PG, 0, TRUE, VM_PROT_READ, RW);
	assert_true(c && cow, "mappings");
	expect_eq(0, strcmp(c, "one"), "VM_COPY: the region as it was then");
	expect_eq(0, strcmp(cow, "two"), "a copy mapping: as it is now");
	strcpy(orig, "three");
	expect_eq(0, strcmp(cow, "two"), "the region's later writes stay out");
	expect_true(write_faults(cow), "the copy got cur_protection (read)");
	expect_kr(KERN_SUCCESS,
		  mach_vm_protect(mach_task_self(), (uintptr_t)cow, PG, FALSE, RW),
		  "up to max_protection");
	strcpy(cow, "four");
	expect_eq(0, strcmp(orig, "three"), "its writes stay in");
	mach_vm_deallocate(mach_task_self(), (uintptr_t)c, PG);
	mach_vm_deallocate(mach_task_self(), (uintptr_t)cow, PG);
	mach_vm_deallocate(mach_task_self(), region, PG);
}

/* A window on a parent, NAMED_REUSE, and sharing a mapping again. */
static void parents_and_reuse(void)
{
	mach_vm_address_t region = 0;
	mach_port_t h, win, ro, again, same;
	char *all, *w, *m;

	h = make_entry(8 * PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	all = map_entry(h, 8 * PG, 0, FALSE, RW, RW);
	assert_true(h && all, "parent and its mapping");
	strcpy(all + 2 * PG, "page two");
	win = make_entry(3 * PG, 2 * PG, RW, h, NULL);
	w = map_entry(win, 3 * PG, 0, FALSE, RW, RW);
	assert_true(win && w, "a window from page 2");
	expect_eq(0, strcmp(w, "page two"), "the parent's page 2");
	expect_kr(KERN_INVALID_ARGUMENT, try_make(4 * PG, 6 * PG, RW, h),
		  "a window past the parent's end");
	ro = make_entry(PG, 0, VM_PROT_READ, h, NULL);
	expect_kr(KERN_PROTECTION_FAILURE, try_make(PG, 0, RW, ro),
		  "write from a read-only parent");

	/* the mapping shared again names the same pages */
	again = make_entry(PG, (uintptr_t)(all + 2 * PG), RW, MACH_PORT_NULL, NULL);
	m = map_entry(again, PG, 0, FALSE, RW, RW);
	assert_true(again && m, "share the mapped range");
	strcpy(m, "via the mapping");
	expect_eq(0, strcmp(all + 2 * PG, "via the mapping"), "the same pages");

	/* NAMED_REUSE of the same region gives back the parent itself */
	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, PG,
						 VM_FLAGS_ANYWHERE), "region");
	h = make_entry(PG, region, RW, MACH_PORT_NULL, NULL);
	same = make_entry(PG, region, MAP_MEM_NAMED_REUSE | RW, h, NULL);
	expect_eq(h, same, "NAMED_REUSE: the parent's name");
	expect_eq(2, mu_refs(h, MACH_PORT_RIGHT_SEND), "with one more reference");
	mach_vm_deallocate(mach_task_self(), region, PG);
}

/* The entry's port dies with its last send right; the mapping lives on. */
static void lifetime(void)
{
	int before = mu_names_count();
	mach_port_t h, sub;
	char *m;

	h = make_entry(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	sub = make_entry(PG, 0, RW, h, NULL);
	m = map_entry(sub, PG, 0, FALSE, RW, RW);
	assert_true(h && sub && m, "entries and mapping");
	strcpy(m, "kept");
	mach_port_deallocate(mach_task_self(), h);
	mach_port_deallocate(mach_task_self(), sub);
	expect_eq(before, mu_names_count(), "both names gone");
	expect_eq(0, strcmp(m, "kept"), "the mapping keeps the memory");
	m[PG - 1] = 'x';
	expect_eq('x', m[PG - 1], "and works");
	mach_vm_deallocate(mach_task_self(), (uintptr_t)m, PG);
}

/* Aligned addresses, data addresses, MACH_PORT_NULL, /proc/self/mem. */
static void addresses(void)
{
	mach_vm_address_t addr = 0, region = 0;
	mach_port_t h;
	char buf[16] = "";
	int mem;

	h = make_entry(4 * PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	assert_true(h != MACH_PORT_NULL, "entry");
	expect_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &addr, 4 * PG, 0xfffff, VM_FLAGS_ANYWHERE,
			      h, 0, FALSE, RW, RW, VM_INHERIT_DEFAULT), "aligned map");
	expect_eq(0, addr & 0xfffff, "on a 1 MiB boundary");
	strcpy((char *)(uintptr_t)addr, "through mem");
	mem = open("/proc/self/mem", O_RDONLY);
	assert_true(mem >= 0, "/proc/self/mem");
	expect_eq(11, pread(mem, buf, 11, (off_t)addr), "ptrace-style access reads it");
	expect_eq(0, memcmp(buf, "through mem", 11), "the right bytes");
	close(mem);
	mach_vm_deallocate(mach_task_self(), addr, 4 * PG);

	addr = 0;
	expect_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &addr, 3 * PG, 0x3fffff, VM_FLAGS_ANYWHERE,
			      MACH_PORT_NULL, 0, FALSE, RW, RW, VM_INHERIT_DEFAULT),
		  "new memory, aligned");
	expect_eq(0, addr & 0x3fffff, "on a 4 MiB boundary");
	expect_eq(0, ((char *)(uintptr_t)addr)[3 * PG - 1], "zero-filled");
	expect_kr(KERN_INVALID_ARGUMENT,
		  mach_vm_map(mach_task_self(), &addr, 0, 0, VM_FLAGS_ANYWHERE,
			      MACH_PORT_NULL, 0, FALSE, RW, RW, VM_INHERIT_DEFAULT),
		  "new memory of size 0");
	mach_vm_deallocate(mach_task_self(), addr, 3 * PG);

	/* USE_DATA_ADDR and RETURN_DATA_ADDR keep the data's place in its page */
	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, PG,
						 VM_FLAGS_ANYWHERE), "region");
	strcpy((char *)(uintptr_t)region + 100, "at 100");
	h = make_entry(50, region + 100, MAP_MEM_USE_DATA_ADDR | RW, MACH_PORT_NULL, NULL);
	assert_true(h != MACH_PORT_NULL, "data-address entry");
	addr = 0;
	expect_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &addr, 50, 0,
			      VM_FLAGS_ANYWHERE | VM_FLAGS_RETURN_DATA_ADDR, h, 0, FALSE,
			      RW, RW, VM_INHERIT_DEFAULT), "map at the data address");
	expect_eq(100, addr & (PG - 1), "in the page where the data is");
	expect_eq(0, strcmp((char *)(uintptr_t)addr, "at 100"), "the data");
	mach_vm_deallocate(mach_task_self(), addr & ~(PG - 1), PG);
	mach_vm_deallocate(mach_task_self(), region, PG);
}

/* fork: a shared entry mapping is shared with the child; NONE leaves none. */
static void fork_inheritance(void)
{
	mach_vm_address_t none = 0;
	mach_port_t h;
	char *m;
	pid_t child;

	h = make_entry(PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	m = map_entry(h, PG, 0, FALSE, RW, RW);
	assert_true(h && m, "entry and mapping");
	assert_kr(KERN_SUCCESS,
		  mach_vm_map(mach_task_self(), &none, PG, 0, VM_FLAGS_ANYWHERE, h, 0,
			      FALSE, RW, RW, VM_INHERIT_NONE), "VM_INHERIT_NONE mapping");
	child = mt_fork();
	if (child == 0) {
		strcpy(m, "from the child");
		mt_child_exit();
	}
	expect_child_ok(child, MU_WAIT_MS, "child");
	expect_eq(0, strcmp(m, "from the child"), "shared across fork");
	expect_true(write_faults((char *)(uintptr_t)none), "VM_INHERIT_NONE: absent in the child");
}

/* --- with an exec'd child ------------------------------------------------ */

struct entry_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t d[2];
};

#define ID_HELLO	10
#define ID_ENTRIES	11
#define ID_STEP		12

/* The exec'd child: map both entries, shared and copied, and write. */
static int child_main(void)
{
	mach_port_t mine = mu_port();
	struct {
		struct entry_msg m;
		mach_msg_max_trailer_t t;
	} r;
	struct mu_rcv step;
	char *shared, *region, *copy;

	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, mine,
			  MACH_MSG_TYPE_MAKE_SEND, ID_HELLO, 0, 0, 0, MU_WAIT_MS), "hello");
	if (!expect_kr(MACH_MSG_SUCCESS,
		       mach_msg(&r.m.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r),
				mine, MU_WAIT_MS, MACH_PORT_NULL), "the entries"))
		return 1;
	shared = map_entry(r.m.d[0].name, 2 * PG, 0, FALSE, RW, RW);
	region = map_entry(r.m.d[1].name, PG, 0, FALSE, RW, RW);
	copy = map_entry(r.m.d[0].name, 2 * PG, 0, TRUE, RW, RW);
	if (!shared || !region || !copy)
		return 1;
	expect_eq(0, strcmp(shared + PG, "parent 1"), "child sees the parent's write");
	expect_eq(0, strcmp(region, "region 1"), "and in the region entry");
	strcpy(shared, "child 1");
	strcpy(region + 64, "child 1");
	strcpy(copy, "child's copy");
	mu_send(r.m.hdr.msgh_remote_port, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID_STEP, 0, 0, 0,
		MU_WAIT_MS);
	expect_kr(MACH_MSG_SUCCESS, mu_recv(mine, &step, 0, MU_WAIT_MS), "parent's turn");
	expect_eq(0, strcmp(shared + PG, "parent 2"), "the parent's second write");
	expect_eq(0, strcmp(copy + PG, "parent 1"), "the copy kept what was mapped");
	return mt_failed;
}

static void exec_child_both_ways(void)
{
	mach_vm_address_t region = 0;
	mach_port_t dir = mu_port_send(), h, rh, kid;
	struct entry_msg m;
	struct mu_rcv r;
	char *shared, *reg;
	pid_t child;

	assert_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), dir),
		  "the child's bootstrap port");
	h = make_entry(2 * PG, 0, MAP_MEM_NAMED_CREATE | RW, MACH_PORT_NULL, NULL);
	shared = map_entry(h, 2 * PG, 0, FALSE, RW, RW);
	assert_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &region, PG,
						 VM_FLAGS_ANYWHERE), "region");
	reg = (char *)(uintptr_t)region;
	rh = make_entry(PG, region, RW, MACH_PORT_NULL, NULL);
	assert_true(h && shared && rh, "entries");
	strcpy(shared + PG, "parent 1");
	strcpy(reg, "region 1");

	child = mt_fork();
	if (child == 0) {
		execl("/proc/self/exe", "mem_entry", EXEC_ARG, (char *)NULL);
		_exit(127);
	}
	assert_kr(MACH_MSG_SUCCESS, mu_recv(dir, &r, 0, MU_WAIT_MS), "hello");
	kid = r.hdr.msgh_remote_port;
	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND) |
			  MACH_MSGH_BITS_COMPLEX;
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = kid;
	m.hdr.msgh_local_port = dir;
	m.hdr.msgh_id = ID_ENTRIES;
	m.body.msgh_descriptor_count = 2;
	m.d[0] = (mach_msg_port_descriptor_t){ .name = h,
		.disposition = MACH_MSG_TYPE_COPY_SEND, .type = MACH_MSG_PORT_DESCRIPTOR };
	m.d[1] = (mach_msg_port_descriptor_t){ .name = rh,
		.disposition = MACH_MSG_TYPE_COPY_SEND, .type = MACH_MSG_PORT_DESCRIPTOR };
	assert_kr(MACH_MSG_SUCCESS,
		  mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			   MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL), "send the entries");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(dir, &r, 0, MU_WAIT_MS), "the child wrote");
	expect_eq(0, strcmp(shared, "child 1"), "the child's write in the shared entry");
	expect_eq(0, strcmp(reg + 64, "child 1"), "and in our own region");
	expect_true(strcmp(shared, "child's copy") != 0, "its copy's write stayed there");
	strcpy(shared + PG, "parent 2");
	mu_send(kid, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID_STEP, 0, 0, 0, MU_WAIT_MS);
	expect_child_ok(child, MU_WAIT_MS, "child");
}

static const struct mt_case cases[] = {
	MT_CASE(named_create),
	MT_CASE(make_bad_input),
	MT_CASE(map_bad_input),
	MT_CASE(protections),
	MT_CASE(share_region),
	MT_CASE(snapshots),
	MT_CASE(parents_and_reuse),
	MT_CASE(lifetime),
	MT_CASE(addresses),
	MT_CASE(fork_inheritance),
	MT_CASE(exec_child_both_ways),
};

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], EXEC_ARG))
		return child_main();
	return MT_RUN(cases);
}
