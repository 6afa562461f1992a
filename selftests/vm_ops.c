// SPDX-License-Identifier: GPL-2.0
/*
 * vm_ops - vm_read, vm_read_overwrite, vm_write, vm_copy, vm_protect (and
 * the mach_vm_* forms) on our own task and on a forked child's task port.
 *
 * XNU facts (osfmk/vm/vm_user.c, vm_map.c):
 *  - mach_vm_read: a size that does not fit mach_msg_type_number_t is
 *    KERN_INVALID_ARGUMENT; size 0 succeeds with no memory; the copy comes
 *    back out of line, at the source's offset within its page
 *    (vm_map_copyout), to be vm_deallocate'd.
 *  - vm_map_copyin: address + size wrapping, or any hole in the range, is
 *    KERN_INVALID_ADDRESS; an entry without VM_PROT_READ is
 *    KERN_PROTECTION_FAILURE.
 *  - vm_map_copy_overwrite checks the whole destination before writing:
 *    hole KERN_INVALID_ADDRESS, entry without VM_PROT_WRITE
 *    KERN_PROTECTION_FAILURE, and then nothing is written.
 *  - vm_write's data travels out of line in the MIG request: unreadable
 *    data fails the send with MACH_SEND_INVALID_MEMORY.
 *  - mach_vm_protect: address + size wrapping, or bits outside
 *    VM_PROT_ALL | VM_PROT_COPY, KERN_INVALID_ARGUMENT; size 0 succeeds;
 *    vm_map_protect: a hole KERN_INVALID_ADDRESS; a protection beyond the
 *    maximum KERN_PROTECTION_FAILURE; set_maximum sets the maximum (it can
 *    only go down) and current &= new.  vm_allocate's maximum is
 *    VM_PROT_ALL.
 * Linux: vm_protect and vm_allocate on another task are KERN_NOT_SUPPORTED
 * (documented in the headers).
 *
 * host_statistics/host_statistics64 (osfmk/kern/host.c): a count below the
 * oldest revision of the structure is KERN_FAILURE, a shorter known
 * revision gets only its fields; unknown flavors KERN_INVALID_ARGUMENT.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg_util.h"

static mach_vm_address_t pages(unsigned int n)
{
	mach_vm_address_t a = 0;

	if (!expect_kr(KERN_SUCCESS, mach_vm_allocate(mach_task_self(), &a,
						      n * vm_page_size, VM_FLAGS_ANYWHERE),
		       "mach_vm_allocate"))
		return 0;
	return a;
}

static void fill(mach_vm_address_t a, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i++)
		((unsigned char *)(uintptr_t)a)[i] = (unsigned char)(seed + i * 7);
}

static bool same(mach_vm_address_t a, mach_vm_address_t b, size_t len)
{
	return memcmp((void *)(uintptr_t)a, (void *)(uintptr_t)b, len) == 0;
}

static bool unmapped(mach_vm_address_t a)
{
	return msync((void *)(uintptr_t)a, vm_page_size, MS_ASYNC) != 0 && errno == ENOMEM;
}

/*
 * An address H with two unmapped pages from H on and one page of ours
 * (read-write) just below.  Freed memory is no good: the next mmap takes
 * it back.  Low addresses are left alone by Linux's top-down mmap.
 */
static mach_vm_address_t hole(void)
{
	for (mach_vm_address_t base = 0x30000000; base < 0x40000000; base += 0x1000000) {
		mach_vm_address_t a = base;

		if (!unmapped(base) || !unmapped(base + vm_page_size) ||
		    !unmapped(base + 2 * vm_page_size))
			continue;
		if (mach_vm_allocate(mach_task_self(), &a, vm_page_size, VM_FLAGS_FIXED) ==
		    KERN_SUCCESS)
			return base + vm_page_size;
	}
	expect_true(false, "found no place for a hole");
	return 0;
}

/* --- our own task ------------------------------------------------------- */

static void read_self(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t src = pages(3);
	mach_msg_type_number_t cnt = 0;
	vm_offset_t data = 0;
	vm_size_t psz = vm_page_size;

	assert_true(src != 0, "setup");
	fill(src, 3 * psz, 1);
	/* unaligned start, crossing pages */
	assert_kr(KERN_SUCCESS, mach_vm_read(task, src + 100, 2 * psz, &data, &cnt),
		  "mach_vm_read");
	expect_eq(2 * psz, cnt, "dataCnt is the size");
	expect_ne(src + 100, data, "a new copy");
	expect_eq(100, data & (psz - 1), "at the source's offset within the page");
	expect_true(same(src + 100, data, 2 * psz), "same bytes");
	/* a copy, not a mapping: later writes to the source do not show */
	fill(src, psz, 99);
	expect_true(!same(src + 100, data, 16), "the copy keeps the old bytes");
	expect_kr(KERN_SUCCESS, vm_deallocate(task, data, cnt), "vm_deallocate the copy");

	assert_kr(KERN_SUCCESS, vm_read(task, (vm_address_t)src, 10, &data, &cnt), "vm_read");
	expect_eq(10, cnt, "10 bytes");
	expect_true(same(src, data, 10), "same bytes");
	expect_kr(KERN_SUCCESS, vm_deallocate(task, data, cnt), "vm_deallocate");

	/* read-only memory (our own code) reads fine */
	assert_kr(KERN_SUCCESS, mach_vm_read(task, (uintptr_t)&read_self, 32, &data, &cnt),
		  "read our code");
	expect_true(same((uintptr_t)&read_self, data, 32), "code bytes");
	vm_deallocate(task, data, cnt);

	data = 1;
	cnt = 1;
	expect_kr(KERN_SUCCESS, mach_vm_read(task, src, 0, &data, &cnt), "size 0");
	expect_eq(0, data, "no memory for size 0");
	expect_eq(0, cnt, "count 0");
}

static void read_errors(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t a = pages(2), h = hole();
	mach_msg_type_number_t cnt = 77;
	vm_offset_t data = 77;

	assert_true(a && h, "setup");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read(task, h, 16, &data, &cnt), "unmapped");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read(task, 0, 16, &data, &cnt), "address 0");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read(task, h - 8, 16, &data, &cnt),
		  "runs into a hole");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read(task, ~0ull - 10, 100, &data, &cnt),
		  "address + size wraps");
	expect_kr(KERN_INVALID_ARGUMENT, mach_vm_read(task, a, 0x100000000ull, &data, &cnt),
		  "size beyond mach_msg_type_number_t");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, a + vm_page_size, vm_page_size, FALSE,
						VM_PROT_NONE),
		  "second page: no access");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_read(task, a + vm_page_size, 16, &data, &cnt), "unreadable page");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_read(task, a + vm_page_size - 8, 16, &data, &cnt),
		  "runs into an unreadable page");
	expect_eq(77, data, "data untouched on failure");
	expect_eq(77, cnt, "count untouched on failure");
	expect_kr(MACH_SEND_INVALID_DEST, mach_vm_read(MACH_PORT_NULL, a, 16, &data, &cnt),
		  "no task");
}

static void read_overwrite(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t src = pages(2), dst = pages(2), h = hole();
	mach_vm_size_t out = 0;
	vm_size_t out32 = 0;

	assert_true(src && dst && h, "setup");
	fill(src, 2 * vm_page_size, 3);
	assert_kr(KERN_SUCCESS, mach_vm_read_overwrite(task, src + 5, 5000, dst + 7, &out),
		  "mach_vm_read_overwrite");
	expect_eq(5000, out, "outsize");
	expect_true(same(src + 5, dst + 7, 5000), "copied");
	assert_kr(KERN_SUCCESS, vm_read_overwrite(task, (vm_address_t)src, 64,
						  (vm_address_t)dst, &out32),
		  "vm_read_overwrite");
	expect_eq(64, out32, "outsize");
	out = 9;
	expect_kr(KERN_SUCCESS, mach_vm_read_overwrite(task, src, 0, dst, &out), "size 0");
	expect_eq(0, out, "outsize 0");

	out = 9;
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read_overwrite(task, h, 16, dst, &out),
		  "unmapped source");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read_overwrite(task, src, 16, h, &out),
		  "unmapped destination");
	expect_eq(9, out, "outsize untouched on failure");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, dst, vm_page_size, FALSE, VM_PROT_READ),
		  "destination read-only");
	expect_kr(KERN_PROTECTION_FAILURE, mach_vm_read_overwrite(task, src, 16, dst, &out),
		  "read-only destination");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, src, vm_page_size, FALSE, VM_PROT_NONE),
		  "source unreadable");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_read_overwrite(task, src, 16, dst + vm_page_size, &out),
		  "unreadable source");
	/* both bad: the source is looked at first */
	expect_kr(KERN_PROTECTION_FAILURE, mach_vm_read_overwrite(task, src, 16, h, &out),
		  "source before destination");
}

static void write_self(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t src = pages(1), dst = pages(2), h = hole();
	unsigned char before[64];

	assert_true(src && dst && h, "setup");
	fill(src, vm_page_size, 11);
	fill(dst, 2 * vm_page_size, 200);
	assert_kr(KERN_SUCCESS, mach_vm_write(task, dst + 3, (vm_offset_t)src, 1000),
		  "mach_vm_write");
	expect_true(same(src, dst + 3, 1000), "written");
	assert_kr(KERN_SUCCESS, vm_write(task, (vm_address_t)dst, (vm_offset_t)src, 1),
		  "vm_write one byte");
	expect_kr(KERN_SUCCESS, mach_vm_write(task, dst, (vm_offset_t)src, 0), "0 bytes");

	expect_kr(KERN_INVALID_ADDRESS, mach_vm_write(task, h, (vm_offset_t)src, 16),
		  "unmapped destination");
	expect_kr(MACH_SEND_INVALID_MEMORY, mach_vm_write(task, dst, (vm_offset_t)h, 16),
		  "unreadable data: the request cannot be sent");
	/* the second page read-only: a write across both writes nothing */
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, dst + vm_page_size, vm_page_size, FALSE,
						VM_PROT_READ),
		  "second page read-only");
	memcpy(before, (void *)(uintptr_t)(dst + vm_page_size - 32), sizeof(before));
	fill(src, vm_page_size, 77);
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_write(task, dst + vm_page_size - 32, (vm_offset_t)src, 64),
		  "write across into a read-only page");
	expect_true(memcmp(before, (void *)(uintptr_t)(dst + vm_page_size - 32),
			   sizeof(before)) == 0,
		    "nothing written, not even the writable part");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_write(task, (uintptr_t)&write_self, (vm_offset_t)src, 4),
		  "our code is not writable");
}

static void copy_self(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t a = pages(2), h = hole();
	unsigned char want[300];

	assert_true(a && h, "setup");
	fill(a, 2 * vm_page_size, 5);
	assert_kr(KERN_SUCCESS, mach_vm_copy(task, a, 300, a + vm_page_size + 1), "mach_vm_copy");
	expect_true(same(a, a + vm_page_size + 1, 300), "copied");
	/* overlapping: as if through a snapshot of the source */
	memcpy(want, (void *)(uintptr_t)a, sizeof(want));
	assert_kr(KERN_SUCCESS, vm_copy(task, (vm_address_t)a, 300, (vm_address_t)a + 10),
		  "vm_copy, overlapping");
	expect_true(memcmp(want, (void *)(uintptr_t)(a + 10), sizeof(want)) == 0,
		    "the source as it was");
	expect_kr(KERN_SUCCESS, mach_vm_copy(task, a, 0, h), "size 0");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_copy(task, h, 16, a), "unmapped source");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_copy(task, a, 16, h), "unmapped destination");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, a, vm_page_size, FALSE, VM_PROT_READ),
		  "first page read-only");
	expect_kr(KERN_PROTECTION_FAILURE, mach_vm_copy(task, a + vm_page_size, 16, a),
		  "read-only destination");
	expect_kr(KERN_SUCCESS, mach_vm_copy(task, a, 16, a + vm_page_size),
		  "a read-only source is fine");
}

/* Probe a page's protection without touching it: read and write one byte. */
static vm_prot_t probe(mach_vm_address_t a)
{
	mach_port_t task = mach_task_self();
	unsigned char b;
	mach_vm_size_t out;
	vm_prot_t p = 0;

	if (mach_vm_read_overwrite(task, a, 1, (uintptr_t)&b, &out) == KERN_SUCCESS) {
		p |= VM_PROT_READ;
		if (mach_vm_write(task, a, (vm_offset_t)&b, 1) == KERN_SUCCESS)
			p |= VM_PROT_WRITE;
	}
	return p;
}

static void protect_self(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t a = pages(2), h = hole();

	assert_true(a && h, "setup");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(a), "new memory is read-write");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, a + 1, 1, FALSE, VM_PROT_READ),
		  "read-only (unaligned: the page)");
	expect_eq(VM_PROT_READ, probe(a), "read-only");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(a + vm_page_size), "not the next page");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, a, vm_page_size, FALSE, VM_PROT_NONE),
		  "no access");
	expect_eq(0, probe(a), "no access");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, a, 2 * vm_page_size, FALSE,
						VM_PROT_DEFAULT),
		  "back to read-write");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(a), "read-write again");
	expect_kr(KERN_SUCCESS, vm_protect(task, (vm_address_t)a, 0, FALSE, VM_PROT_NONE),
		  "size 0 does nothing");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(a), "unchanged");

	expect_kr(KERN_INVALID_ARGUMENT, mach_vm_protect(task, a, vm_page_size, FALSE, 0x100),
		  "unknown protection bits");
	expect_kr(KERN_INVALID_ARGUMENT, mach_vm_protect(task, ~0ull - 10, 100, FALSE,
							 VM_PROT_READ),
		  "address + size wraps");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_protect(task, h, vm_page_size, FALSE,
							VM_PROT_READ),
		  "unmapped");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_protect(task, h - vm_page_size, 2 * vm_page_size,
							FALSE, VM_PROT_READ),
		  "partly unmapped");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(h - vm_page_size),
		  "a refused call changes nothing");
	expect_kr(MACH_SEND_INVALID_DEST, mach_vm_protect(MACH_PORT_NULL, a, 1, FALSE,
							  VM_PROT_READ),
		  "no task");
}

static void protect_maximum(void)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t a = pages(2);

	assert_true(a != 0, "setup");
	assert_kr(KERN_SUCCESS, mach_vm_protect(task, a, vm_page_size, TRUE, VM_PROT_READ),
		  "maximum read-only");
	expect_eq(VM_PROT_READ, probe(a), "current = current & maximum");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(task, a, vm_page_size, FALSE, VM_PROT_DEFAULT),
		  "above the maximum");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(task, a, 2 * vm_page_size, FALSE, VM_PROT_DEFAULT),
		  "a range that includes the page");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(a + vm_page_size),
		  "the refused call changed nothing");
	expect_kr(KERN_PROTECTION_FAILURE,
		  mach_vm_protect(task, a, vm_page_size, TRUE, VM_PROT_DEFAULT),
		  "the maximum cannot go up");
	expect_kr(KERN_SUCCESS, mach_vm_protect(task, a, vm_page_size, FALSE, VM_PROT_NONE),
		  "below the maximum");
	expect_kr(KERN_SUCCESS, mach_vm_protect(task, a, vm_page_size, FALSE, VM_PROT_READ),
		  "up to the maximum");
	expect_kr(KERN_SUCCESS, mach_vm_protect(task, a + vm_page_size, vm_page_size, FALSE,
						VM_PROT_ALL),
		  "the other page keeps VM_PROT_ALL as its maximum");
	/* new memory at the same place starts over */
	assert_kr(KERN_SUCCESS, mach_vm_deallocate(task, a, 2 * vm_page_size), "deallocate");
	assert_kr(KERN_SUCCESS, mach_vm_allocate(task, &a, 2 * vm_page_size, VM_FLAGS_FIXED),
		  "allocate there again");
	expect_kr(KERN_SUCCESS, mach_vm_protect(task, a, vm_page_size, FALSE, VM_PROT_DEFAULT),
		  "a fresh maximum");
	expect_eq(VM_PROT_READ | VM_PROT_WRITE, probe(a), "read-write");
}

/* --- a child's task ----------------------------------------------------- */

/* Laid out before fork, so the child has the same addresses. */
struct child_layout {
	mach_vm_address_t base;		/* 4 pages */
};

#define CHILD_SEED	42

static void child_main(struct child_layout *l, int ready_fd, int go_fd)
{
	mach_port_t task = mach_task_self();
	mach_vm_address_t b = l->base;
	vm_size_t psz = vm_page_size;
	unsigned char want[256];

	fill(b, psz, CHILD_SEED);
	/* page 1 read-only, page 3 gone */
	if (mach_vm_protect(task, b + psz, psz, FALSE, VM_PROT_READ) != KERN_SUCCESS ||
	    mach_vm_deallocate(task, b + 3 * psz, psz) != KERN_SUCCESS)
		_exit(2);
	mt_post(ready_fd);
	if (!mt_await(go_fd, MU_WAIT_MS))
		_exit(3);
	/* the parent wrote page 2 from its own memory, and copied within ours */
	fill((uintptr_t)want, sizeof(want), 123);
	if (memcmp((void *)(uintptr_t)(b + 2 * psz), want, sizeof(want)) != 0)
		_exit(4);
	if (memcmp((void *)(uintptr_t)(b + 2 * psz + 1000), (void *)(uintptr_t)b, 100) != 0)
		_exit(5);
	_exit(0);
}

static void child_task(void)
{
	mach_port_t task = mach_task_self(), t = MACH_PORT_NULL;
	struct child_layout l = { .base = pages(4) };
	int ready[2], go[2], pid_of = -1;
	mach_msg_type_number_t cnt;
	vm_size_t psz = vm_page_size;
	unsigned char buf[256];
	mach_vm_address_t there = 0;
	mach_vm_size_t out;
	vm_offset_t data;
	pid_t pid;

	assert_true(l.base != 0, "setup");
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(go), "pipe");
	fill(l.base, 4 * psz, 0);
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0)
		child_main(&l, ready[1], go[0]);
	/* our copy differs from the child's from here on */
	fill(l.base, psz, 1);
	if (!expect_true(mt_await(ready[0], MU_WAIT_MS), "child ready") ||
	    !expect_kr(KERN_SUCCESS, task_for_pid(task, pid, &t), "task_for_pid(child)")) {
		kill(pid, SIGKILL);
		mt_wait(pid, MU_WAIT_MS);
		return;
	}
	expect_kr(KERN_SUCCESS, pid_for_task(t, &pid_of), "pid_for_task");
	expect_eq(pid, pid_of, "the child's task");

	/* read */
	if (expect_kr(KERN_SUCCESS, mach_vm_read(t, l.base + 8, 200, &data, &cnt),
		      "mach_vm_read from the child")) {
		fill((uintptr_t)buf, sizeof(buf), CHILD_SEED + 8 * 7);
		expect_eq(200, cnt, "200 bytes");
		expect_true(memcmp((void *)data, buf, 200) == 0, "the child's bytes, not ours");
		vm_deallocate(task, data, cnt);
	}
	memset(buf, 0, sizeof(buf));
	expect_kr(KERN_SUCCESS, mach_vm_read_overwrite(t, l.base, 64, (uintptr_t)buf, &out),
		  "mach_vm_read_overwrite from the child");
	expect_true(same(l.base + 0, (uintptr_t)buf, 64) == false, "not our bytes");
	expect_eq(CHILD_SEED, buf[0], "the child's first byte");
	expect_kr(KERN_SUCCESS, mach_vm_read(t, l.base + psz, 16, &data, &cnt),
		  "its read-only page reads");
	vm_deallocate(task, data, cnt);
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read(t, l.base + 3 * psz, 16, &data, &cnt),
		  "its unmapped page");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_read(t, 0x1000, 16, &data, &cnt),
		  "a low address");

	/* write, copy */
	fill((uintptr_t)buf, sizeof(buf), 123);
	expect_kr(KERN_SUCCESS, mach_vm_write(t, l.base + 2 * psz, (vm_offset_t)buf, sizeof(buf)),
		  "mach_vm_write into the child");
	expect_kr(KERN_SUCCESS, mach_vm_copy(t, l.base, 100, l.base + 2 * psz + 1000),
		  "mach_vm_copy within the child");
	expect_kr(KERN_PROTECTION_FAILURE, mach_vm_write(t, l.base + psz, (vm_offset_t)buf, 16),
		  "its read-only page");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_write(t, l.base + 3 * psz, (vm_offset_t)buf, 16),
		  "its unmapped page");
	expect_kr(KERN_INVALID_ADDRESS, mach_vm_copy(t, l.base + 3 * psz, 16, l.base),
		  "copy from its unmapped page");
	expect_kr(KERN_NOT_SUPPORTED, mach_vm_protect(t, l.base, psz, FALSE, VM_PROT_READ),
		  "Linux cannot protect another process's memory");
	expect_kr(KERN_NOT_SUPPORTED,
		  mach_vm_allocate(t, &there, psz, VM_FLAGS_ANYWHERE),
		  "nor map memory into it");

	mt_post(go[1]);
	expect_eq(0, mt_wait(pid, MU_WAIT_MS), "the child saw our writes");
	expect_kr(MACH_SEND_INVALID_DEST, mach_vm_read(t, l.base, 16, &data, &cnt),
		  "the task is gone");
	mach_port_deallocate(task, t);
}

/* --- host_statistics ----------------------------------------------------- */

/* XNU's layouts (mach/vm_statistics.h), LP64: 15 naturals; 8-aligned 64-bit. */
_Static_assert(sizeof(vm_statistics_data_t) == 60, "vm_statistics");
_Static_assert(sizeof(vm_statistics64_data_t) == 152, "vm_statistics64");
_Static_assert(_Alignof(vm_statistics64_data_t) == 8, "vm_statistics64 alignment");
_Static_assert(offsetof(vm_statistics64_data_t, zero_fill_count) == 16, "zero_fill_count");
_Static_assert(offsetof(vm_statistics64_data_t, purgeable_count) == 88, "purgeable_count");
_Static_assert(offsetof(vm_statistics64_data_t, decompressions) == 96, "decompressions");
_Static_assert(offsetof(vm_statistics64_data_t, compressor_page_count) == 128, "compressor");
_Static_assert(offsetof(vm_statistics64_data_t,
			total_uncompressed_pages_in_compressor) == 144, "total_uncompressed");
_Static_assert(sizeof(vm_extmod_statistics_data_t) == 48, "vm_extmod_statistics");
_Static_assert(HOST_VM_INFO_COUNT == 15 && HOST_VM_INFO_REV1_COUNT == 14 &&
	       HOST_VM_INFO_REV0_COUNT == 12, "HOST_VM_INFO counts");
_Static_assert(HOST_VM_INFO64_COUNT == 38 && HOST_VM_INFO64_REV0_COUNT == 24,
	       "HOST_VM_INFO64 counts");
_Static_assert(HOST_EXTMOD_INFO64_COUNT == 12, "HOST_EXTMOD_INFO64_COUNT");
_Static_assert(HOST_LOAD_INFO_COUNT == 6 && HOST_CPU_LOAD_INFO_COUNT == 4, "counts");
_Static_assert(VM_PROT_COPY == 0x10 && VM_PROT_NO_CHANGE == 0x01000000 &&
	       VM_PROT_EXECUTE_ONLY == 0x84, "vm_prot values");

static void host_stats(void)
{
	host_t host = mach_host_self();
	vm_statistics64_data_t s64;
	vm_statistics_data_t s;
	host_cpu_load_info_data_t cpu;
	host_load_info_data_t load;
	vm_extmod_statistics_data_t ext;
	mach_msg_type_number_t cnt;
	uint64_t total;

	total = (uint64_t)sysconf(_SC_PHYS_PAGES);
	cnt = HOST_VM_INFO64_COUNT;
	assert_kr(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, (host_info64_t)&s64, &cnt),
		  "host_statistics64(HOST_VM_INFO64)");
	expect_eq(HOST_VM_INFO64_COUNT, cnt, "count");
	expect_true(s64.free_count > 0 && s64.free_count <= total, "free pages");
	expect_true(s64.active_count + s64.inactive_count <= total, "active + inactive");
	expect_true(s64.internal_page_count > 0, "anonymous pages exist");
	/* event counters (faults...) read 0 on kernels without VM_EVENT_COUNTERS */
	cnt = HOST_VM_INFO64_REV0_COUNT;
	expect_kr(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO64, (host_info64_t)&s64, &cnt),
		  "the rev0 size");
	expect_eq(HOST_VM_INFO64_REV0_COUNT, cnt, "rev0 count");
	cnt = HOST_VM_INFO64_REV0_COUNT - 1;
	expect_kr(KERN_FAILURE, host_statistics64(host, HOST_VM_INFO64, (host_info64_t)&s64, &cnt),
		  "too small");

	cnt = HOST_VM_INFO_COUNT;
	assert_kr(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, (host_info_t)&s, &cnt),
		  "host_statistics(HOST_VM_INFO)");
	expect_eq(HOST_VM_INFO_COUNT, cnt, "count");
	expect_true(s.free_count > 0 && s.free_count <= total, "free pages");
	cnt = HOST_VM_INFO_REV1_COUNT;
	expect_kr(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, (host_info_t)&s, &cnt), "rev1");
	expect_eq(HOST_VM_INFO_REV1_COUNT, cnt, "rev1 count");
	cnt = HOST_VM_INFO_REV0_COUNT + 1;
	expect_kr(KERN_SUCCESS, host_statistics(host, HOST_VM_INFO, (host_info_t)&s, &cnt),
		  "between rev0 and rev1");
	expect_eq(HOST_VM_INFO_REV0_COUNT, cnt, "rev0 count");
	cnt = HOST_VM_INFO_REV0_COUNT - 1;
	expect_kr(KERN_FAILURE, host_statistics(host, HOST_VM_INFO, (host_info_t)&s, &cnt),
		  "too small");
	cnt = HOST_VM_INFO_COUNT;
	expect_kr(KERN_SUCCESS, host_statistics64(host, HOST_VM_INFO, (host_info64_t)&s, &cnt),
		  "host_statistics64 passes HOST_VM_INFO on");
	cnt = HOST_VM_INFO64_COUNT;
	expect_kr(KERN_INVALID_ARGUMENT,
		  host_statistics(host, HOST_VM_INFO64, (host_info_t)&s64, &cnt),
		  "host_statistics has no HOST_VM_INFO64");

	cnt = HOST_CPU_LOAD_INFO_COUNT;
	assert_kr(KERN_SUCCESS, host_statistics(host, HOST_CPU_LOAD_INFO, (host_info_t)&cpu, &cnt),
		  "HOST_CPU_LOAD_INFO");
	expect_eq(HOST_CPU_LOAD_INFO_COUNT, cnt, "count");
	expect_true(cpu.cpu_ticks[CPU_STATE_USER] + cpu.cpu_ticks[CPU_STATE_SYSTEM] +
		    cpu.cpu_ticks[CPU_STATE_IDLE] > 0, "ticks counted");
	cnt = HOST_LOAD_INFO_COUNT;
	expect_kr(KERN_SUCCESS, host_statistics(host, HOST_LOAD_INFO, (host_info_t)&load, &cnt),
		  "HOST_LOAD_INFO");
	expect_eq(HOST_LOAD_INFO_COUNT, cnt, "count");
	cnt = HOST_EXTMOD_INFO64_COUNT;
	expect_kr(KERN_SUCCESS,
		  host_statistics64(host, HOST_EXTMOD_INFO64, (host_info64_t)&ext, &cnt),
		  "HOST_EXTMOD_INFO64");
	cnt = 64;
	expect_kr(KERN_INVALID_ARGUMENT, host_statistics(host, 99, (host_info_t)&s64, &cnt),
		  "unknown flavor");
	expect_kr(KERN_INVALID_ARGUMENT, host_statistics64(host, 99, (host_info64_t)&s64, &cnt),
		  "unknown flavor (64)");
	expect_kr(MACH_SEND_INVALID_DEST,
		  host_statistics(MACH_PORT_NULL, HOST_VM_INFO, (host_info_t)&s, &cnt),
		  "no host port");
	mach_port_deallocate(mach_task_self(), host);
}

static const struct mt_case cases[] = {
	MT_CASE(read_self),
	MT_CASE(read_errors),
	MT_CASE(read_overwrite),
	MT_CASE(write_self),
	MT_CASE(copy_self),
	MT_CASE(protect_self),
	MT_CASE(protect_maximum),
	MT_CASE(child_task),
	MT_CASE(host_stats),
};

int main(void)
{
	return MT_RUN(cases);
}
