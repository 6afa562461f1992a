// SPDX-License-Identifier: GPL-2.0
/*
 * complex_ool - out-of-line memory descriptors: sizes, copy options,
 * deallocate, snapshot semantics, alignment, many regions per message.
 *
 * XNU references (osfmk/ipc/ipc_kmsg.c unless noted):
 *  - ipc_kmsg_inflate_ool_descriptor(): copy must be MACH_MSG_PHYSICAL_COPY
 *    or MACH_MSG_VIRTUAL_COPY; a PHYSICAL_COPY region larger than
 *    msg_ool_size_small that is not deallocated is charged, page-rounded,
 *    to the message; ipc_validate_kmsg_schema_from_user() (ipc_policy.c;
 *    the first pass of ipc_kmsg_copyin_body() in older releases) fails the
 *    send with MACH_MSG_VM_KERNEL when the charge exceeds
 *    ipc_kmsg_max_vm_space = IPC_KERNEL_COPY_MAP_SIZE * 7 / 8 = 7 MiB
 *    (ipc_init.c).  VIRTUAL_COPY and deallocated regions are not charged.
 *  - ipc_kmsg_copyin_ool_descriptor(): size 0 copies nothing (the address
 *    is not even looked at); otherwise vm_map_copyin(..., src_destroy =
 *    deallocate), so deallocate = TRUE removes the sender's pages
 *    [trunc_page(addr), round_page(addr + size)).  PHYSICAL_COPY data is
 *    copied during the send; VIRTUAL_COPY is copy-on-write: either way the
 *    receiver sees the bytes as they were at send time.
 *  - ipc_kmsg_copyout_ool_descriptor(): the receiver gets a new mapping;
 *    an empty region arrives as address 0, size 0.  An entry-list copy
 *    (a virtual copy from the sender's map) that is not page aligned is
 *    placed at the same offset within a page as the sender's data.
 *    Small regions (<= msg_ool_size_small, vm_map_copyin_kernel_buffer) and
 *    large PHYSICAL_COPY regions (copied through a page-aligned kernel
 *    buffer) carry no offset, so only the data is checked for them.
 *  - ipc_kmsg_deflate_memory_descriptor(): the received descriptor has
 *    copy = the sender's copy option, deallocate = (copy == VIRTUAL_COPY).
 */
#include <string.h>
#include <sys/mman.h>

#include "complex_util.h"

#define ID		0x6200
#define MIB		(1024u * 1024u)
#define KERNEL_VM_MAX	(7 * MIB)	/* ipc_kmsg_max_vm_space */

static const size_t sizes[] = { 1, 4095, 4096, 4097, MIB };
#define NSIZES	(sizeof(sizes) / sizeof(sizes[0]))

static struct cx_rcv rcv;

static mach_msg_return_t send_ool(mach_port_t port, const void *addr, size_t size,
				  unsigned int copy, boolean_t dealloc)
{
	struct cx_msg m;

	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_ool(&m, addr, (mach_msg_size_t)size, copy, dealloc);
	return cx_send(&m, MU_WAIT_MS);
}

/* Check descriptor i of rcv; return the receiver's address for it. */
static uint8_t *got_ool(unsigned int i, size_t size, unsigned int copy)
{
	const mach_msg_ool_descriptor_t *d = cx_ool_desc(&rcv.hdr, i);

	expect_eq(MACH_MSG_OOL_DESCRIPTOR, d->type, "descriptor type");
	expect_eq(size, d->size, "received size");
	expect_eq(copy, d->copy, "received copy option (the sender's)");
	expect_eq(copy == MACH_MSG_VIRTUAL_COPY, d->deallocate,
		  "received deallocate flag (copy == VIRTUAL_COPY)");
	if (size == 0)
		expect_eq(0, (uintptr_t)d->address, "an empty region has no address");
	else
		expect_ne(0, (uintptr_t)d->address, "a region was mapped");
	return d->address;
}

/* Receive a one-descriptor OOL message; return its region. */
static uint8_t *recv_ool(mach_port_t port, size_t size, unsigned int copy)
{
	if (!expect_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive"))
		return NULL;
	if (!cx_expect_complex(&rcv.hdr, sizeof(mach_msg_base_t) + 16, 1))
		return NULL;
	return got_ool(0, size, copy);
}

static void release(void *addr, size_t size)
{
	if (!addr || !size)
		return;
	expect_kr(KERN_SUCCESS,
		  vm_deallocate(mach_task_self(), (vm_address_t)addr, size),
		  "receiver: vm_deallocate its region");
	expect_true(cx_range_unmapped(addr, size), "the region is unmapped after");
}

/*
 * Send size bytes at offset off of a fresh allocation, receive them in the
 * same task, and check both sides.  keep_offset: the receiver's region
 * must start at the same offset within a page.
 */
static void round_trip(mach_port_t port, size_t size, size_t off, unsigned int copy,
		       boolean_t dealloc, bool keep_offset, uint32_t seed)
{
	uint8_t *region = cx_alloc(off + size), *src, *dst;
	mach_msg_return_t mr;

	if (!region)
		return;
	src = region + off;
	cx_fill(src, size, seed);
	mr = send_ool(port, src, size, copy, dealloc);
	if (!expect_kr(MACH_MSG_SUCCESS, mr, "send")) {
		mt_diag("size %zu offset %zu copy %u dealloc %d", size, off, copy, dealloc);
		return;
	}
	if (dealloc) {
		expect_true(cx_range_unmapped(src, size),
			    "deallocate = TRUE unmapped the sender's pages");
	} else {
		expect_true(cx_range_mapped(src, size), "sender's region still mapped");
		expect_eq(CX_NO_MISMATCH, cx_check(src, size, seed), "sender's bytes intact");
	}
	dst = recv_ool(port, size, copy);
	if (!dst)
		return;
	if (!expect_eq(CX_NO_MISMATCH, cx_check(dst, size, seed), "received bytes (offset)"))
		mt_diag("size %zu offset %zu copy %u dealloc %d", size, off, copy, dealloc);
	if (keep_offset)
		expect_eq(off & cx_page_mask(), (uintptr_t)dst & cx_page_mask(),
			  "same offset within the page as the sender's");
	/* The receiver owns a private, writable copy. */
	dst[0] ^= 0xff;
	dst[size - 1] ^= 0xff;
	release(dst, size);
}

static void sizes_each(unsigned int copy, boolean_t dealloc)
{
	mach_port_t port = mu_port();

	assert_true(port != MACH_PORT_NULL, "port");
	for (size_t i = 0; i < NSIZES; i++)
		round_trip(port, sizes[i], 0, copy, dealloc, false, (uint32_t)i + 1);
	expect_eq(0, mu_status(port).mps_msgcount, "all received");
}

static void physical_keep(void)	{ sizes_each(MACH_MSG_PHYSICAL_COPY, FALSE); }
static void physical_dealloc(void)	{ sizes_each(MACH_MSG_PHYSICAL_COPY, TRUE); }
static void virtual_keep(void)		{ sizes_each(MACH_MSG_VIRTUAL_COPY, FALSE); }
static void virtual_dealloc(void)	{ sizes_each(MACH_MSG_VIRTUAL_COPY, TRUE); }

/* Size 0: nothing is copied, the address is not looked at, 0/0 arrives. */
static void size_zero(void)
{
	static const unsigned int copies[] = { MACH_MSG_PHYSICAL_COPY, MACH_MSG_VIRTUAL_COPY };
	mach_port_t port = mu_port();
	uint8_t *buf = cx_alloc(4096);
	void *hole = cx_hole(4096);

	assert_true(port && buf && hole, "setup");
	cx_fill(buf, 4096, 7);
	for (int i = 0; i < 2; i++) {
		expect_kr(MACH_MSG_SUCCESS, send_ool(port, buf, 0, copies[i], TRUE),
			  "size 0 at a mapped address, deallocate = TRUE");
		expect_true(cx_range_mapped(buf, 4096), "nothing was deallocated");
		recv_ool(port, 0, copies[i]);
		expect_kr(MACH_MSG_SUCCESS, send_ool(port, hole, 0, copies[i], FALSE),
			  "size 0 at an unmapped address");
		recv_ool(port, 0, copies[i]);
		expect_kr(MACH_MSG_SUCCESS, send_ool(port, NULL, 0, copies[i], FALSE),
			  "size 0 at address 0");
		recv_ool(port, 0, copies[i]);
	}
	expect_eq(CX_NO_MISMATCH, cx_check(buf, 4096, 7), "buffer untouched");
}

/* 16 MiB: fine virtually or deallocated, over the 7 MiB physical charge. */
static void size_16mib(void)
{
	mach_port_t port = mu_port();
	uint8_t *buf;

	assert_true(port != MACH_PORT_NULL, "port");
	round_trip(port, 16 * MIB, 0, MACH_MSG_VIRTUAL_COPY, FALSE, false, 21);
	round_trip(port, 16 * MIB, 0, MACH_MSG_VIRTUAL_COPY, TRUE, false, 22);
	round_trip(port, 16 * MIB, 0, MACH_MSG_PHYSICAL_COPY, TRUE, false, 23);

	buf = cx_alloc(16 * MIB);
	assert_true(buf != NULL, "buffer");
	cx_fill(buf, 16 * MIB, 24);
	expect_kr(MACH_MSG_VM_KERNEL,
		  send_ool(port, buf, 16 * MIB, MACH_MSG_PHYSICAL_COPY, FALSE),
		  "16 MiB PHYSICAL_COPY kept by the sender: over ipc_kmsg_max_vm_space");
	expect_eq(CX_NO_MISMATCH, cx_check(buf, 16 * MIB, 24), "sender's bytes intact");
	expect_eq(0, mu_status(port).mps_msgcount, "nothing queued");
}

/* The physical-copy charge: 7 MiB passes, one page more does not. */
static void physical_copy_limit(void)
{
	mach_port_t port = mu_port();
	size_t page = cx_page_mask() + 1;
	uint8_t *buf;

	assert_true(port != MACH_PORT_NULL, "port");
	round_trip(port, KERNEL_VM_MAX, 0, MACH_MSG_PHYSICAL_COPY, FALSE, false, 31);
	buf = cx_alloc(KERNEL_VM_MAX + page);
	assert_true(buf != NULL, "buffer");
	cx_fill(buf, KERNEL_VM_MAX + page, 32);
	expect_kr(MACH_MSG_VM_KERNEL,
		  send_ool(port, buf, KERNEL_VM_MAX + page, MACH_MSG_PHYSICAL_COPY, FALSE),
		  "7 MiB + 1 page PHYSICAL_COPY");
	expect_eq(CX_NO_MISMATCH, cx_check(buf, KERNEL_VM_MAX + page, 32),
		  "sender's bytes intact");
	expect_eq(0, mu_status(port).mps_msgcount, "nothing queued");
	/* The same region moves fine when virtual. */
	expect_kr(MACH_MSG_SUCCESS,
		  send_ool(port, buf, KERNEL_VM_MAX + page, MACH_MSG_VIRTUAL_COPY, FALSE),
		  "the same region with VIRTUAL_COPY");
	release(recv_ool(port, KERNEL_VM_MAX + page, MACH_MSG_VIRTUAL_COPY),
		KERNEL_VM_MAX + page);
}

/* 64 MiB from mmap, deallocated on send. */
static void size_64mib(void)
{
	mach_port_t port = mu_port();
	size_t size = 64 * MIB;
	uint8_t *buf, *dst;

	assert_true(port != MACH_PORT_NULL, "port");
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(buf != MAP_FAILED, "mmap 64 MiB");
	cx_fill(buf, size, 64);
	assert_kr(MACH_MSG_SUCCESS, send_ool(port, buf, size, MACH_MSG_VIRTUAL_COPY, TRUE),
		  "send 64 MiB");
	expect_true(cx_range_unmapped(buf, size), "sender's 64 MiB unmapped");
	dst = recv_ool(port, size, MACH_MSG_VIRTUAL_COPY);
	if (dst) {
		expect_eq(CX_NO_MISMATCH, cx_check(dst, size, 64), "received 64 MiB");
		release(dst, size);
	}
}

/* Writes by the sender after mach_msg returns are never seen. */
static void snapshot_at_send(void)
{
	static const size_t snap_sizes[] = { 100, 4096, MIB };
	static const unsigned int copies[] = { MACH_MSG_PHYSICAL_COPY, MACH_MSG_VIRTUAL_COPY };
	mach_port_t port = mu_port();

	assert_true(port != MACH_PORT_NULL, "port");
	for (size_t s = 0; s < 3; s++) {
		for (int c = 0; c < 2; c++) {
			size_t size = snap_sizes[s];
			uint8_t *buf = cx_alloc(size), *dst;
			uint32_t seed = (uint32_t)(40 + s * 2 + c);

			assert_true(buf != NULL, "buffer");
			cx_fill(buf, size, seed);
			assert_kr(MACH_MSG_SUCCESS, send_ool(port, buf, size, copies[c], FALSE),
				  "send");
			cx_fill(buf, size, seed + 100);	/* scribble after the send */
			dst = recv_ool(port, size, copies[c]);
			if (!dst)
				continue;
			if (!expect_eq(CX_NO_MISMATCH, cx_check(dst, size, seed),
				       "receiver sees the bytes as they were at send time"))
				mt_diag("size %zu copy %u", size, copies[c]);
			release(dst, size);
		}
	}
}

/* Sender and receiver copies are independent in both directions. */
static void copies_are_private(void)
{
	mach_port_t port = mu_port();
	size_t size = MIB;
	uint8_t *buf = cx_alloc(size), *dst;

	assert_true(port && buf, "setup");
	cx_fill(buf, size, 51);
	assert_kr(MACH_MSG_SUCCESS, send_ool(port, buf, size, MACH_MSG_VIRTUAL_COPY, FALSE),
		  "send");
	dst = recv_ool(port, size, MACH_MSG_VIRTUAL_COPY);
	assert_true(dst != NULL, "received");
	expect_ne((uintptr_t)buf, (uintptr_t)dst, "a new mapping");
	cx_fill(dst, size, 52);
	expect_eq(CX_NO_MISMATCH, cx_check(buf, size, 51), "receiver's writes stay its own");
	cx_fill(buf, size, 53);
	expect_eq(CX_NO_MISMATCH, cx_check(dst, size, 52), "sender's writes stay its own");
	release(dst, size);
	expect_eq(CX_NO_MISMATCH, cx_check(buf, size, 53), "sender's region unaffected");
}

/* Regions that do not start on a page boundary. */
static void unaligned(void)
{
	mach_port_t port = mu_port();
	size_t big = 100 * 1024 + 7;

	assert_true(port != MACH_PORT_NULL, "port");
	/* Entry-list copies from our map keep the offset within the page. */
	round_trip(port, big, 123, MACH_MSG_VIRTUAL_COPY, FALSE, true, 61);
	round_trip(port, big, 123, MACH_MSG_VIRTUAL_COPY, TRUE, true, 62);
	round_trip(port, big, 2049, MACH_MSG_PHYSICAL_COPY, TRUE, true, 63);
	/* Kernel-buffer and physical copies: the data must be right. */
	round_trip(port, big, 77, MACH_MSG_PHYSICAL_COPY, FALSE, false, 64);
	round_trip(port, 100, 5, MACH_MSG_PHYSICAL_COPY, FALSE, false, 65);
	round_trip(port, 100, 4090, MACH_MSG_VIRTUAL_COPY, FALSE, false, 66);
	round_trip(port, 5000, 4000, MACH_MSG_VIRTUAL_COPY, TRUE, false, 67);
}

/* Read-only memory can be sent. */
static void read_only_source(void)
{
	mach_port_t port = mu_port();
	size_t size = 3 * 4096 + 100;
	uint8_t *buf = cx_alloc(size), *dst;

	assert_true(port && buf, "setup");
	cx_fill(buf, size, 71);
	assert_eq(0, mprotect(buf, (size + cx_page_mask()) & ~cx_page_mask(), PROT_READ),
		  "mprotect(PROT_READ)");
	for (unsigned int copy = MACH_MSG_PHYSICAL_COPY; copy <= MACH_MSG_VIRTUAL_COPY; copy++) {
		if (!expect_kr(MACH_MSG_SUCCESS, send_ool(port, buf, size, copy, FALSE),
			       "send read-only memory"))
			continue;
		dst = recv_ool(port, size, copy);
		if (!dst)
			continue;
		expect_eq(CX_NO_MISMATCH, cx_check(dst, size, 71), "received bytes");
		dst[0] = 1;	/* the receiver's copy is writable */
		release(dst, size);
	}
}

/* 64 regions in one message, mixed options, each checked. */
static void many_descriptors(void)
{
	enum { N = 64 };
	mach_port_t port = mu_port();
	uint8_t *src[N];
	size_t size[N];
	struct cx_msg m;

	assert_true(port != MACH_PORT_NULL, "port");
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	for (unsigned int i = 0; i < N; i++) {
		size[i] = 1 + (size_t)i * 1531;
		src[i] = cx_alloc(size[i]);
		assert_true(src[i] != NULL, "buffer");
		cx_fill(src[i], size[i], 100 + i);
		cx_add_ool(&m, src[i], (mach_msg_size_t)size[i],
			   (i & 1) ? MACH_MSG_VIRTUAL_COPY : MACH_MSG_PHYSICAL_COPY,
			   i % 3 == 0);
	}
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, MU_WAIT_MS), "send 64 OOL descriptors");
	for (unsigned int i = 0; i < N; i++) {
		if (i % 3 == 0)
			expect_true(cx_range_unmapped(src[i], size[i]), "deallocated");
		else
			expect_eq(CX_NO_MISMATCH, cx_check(src[i], size[i], 100 + i),
				  "kept intact");
	}
	assert_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive");
	assert_true(cx_expect_complex(&rcv.hdr, sizeof(mach_msg_base_t) + 16 * N, N),
		    "header");
	for (unsigned int i = 0; i < N; i++) {
		uint8_t *dst = got_ool(i, size[i], (i & 1) ? MACH_MSG_VIRTUAL_COPY
							   : MACH_MSG_PHYSICAL_COPY);

		if (!dst)
			continue;
		if (!expect_eq(CX_NO_MISMATCH, cx_check(dst, size[i], 100 + i),
			       "region contents"))
			mt_diag("descriptor %u", i);
		release(dst, size[i]);
	}
}

/* Inline data after an OOL descriptor, and OOL next to a port descriptor. */
static void mixed_with_inline(void)
{
	mach_port_t port = mu_port(), x = mu_port();
	uint32_t words[3] = { 0x11111111, 0x22222222, 0x33333333 }, got[3];
	uint8_t *buf = cx_alloc(9000), *dst;
	struct cx_msg m;

	assert_true(port && x && buf, "setup");
	cx_fill(buf, 9000, 81);
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, x, MACH_MSG_TYPE_MAKE_SEND);
	cx_add_ool(&m, buf, 9000, MACH_MSG_VIRTUAL_COPY, FALSE);
	cx_put(&m, words, sizeof(words));
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	assert_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive");
	cx_expect_complex(&rcv.hdr, sizeof(mach_msg_base_t) + 12 + 16 + sizeof(words), 2);
	expect_eq(x, cx_port_desc(&rcv.hdr, 0)->name, "port descriptor");
	dst = got_ool(1, 9000, MACH_MSG_VIRTUAL_COPY);
	if (dst) {
		expect_eq(CX_NO_MISMATCH, cx_check(dst, 9000, 81), "region");
		release(dst, 9000);
	}
	memcpy(got, (uint8_t *)&rcv.hdr + sizeof(mach_msg_base_t) + 28, sizeof(got));
	for (int i = 0; i < 3; i++)
		expect_eq(words[i], got[i], "inline word after the descriptors");
}

/* From another task, which has exited by the time we receive. */
static void across_tasks(void)
{
	mach_port_t inbox = mu_port_send();
	uint8_t *big, *small;
	pid_t pid;

	assert_true(inbox != MACH_PORT_NULL, "port");
	pid = cx_fork_bootstrap(inbox);
	if (pid == 0) {
		mach_port_t bp = cx_bootstrap();
		uint8_t *b = cx_alloc(MIB), *s = cx_alloc(10);
		struct cx_msg m;

		if (b && s) {
			cx_fill(b, MIB, 91);
			cx_fill(s, 10, 92);
			cx_begin(&m, bp, MACH_MSG_TYPE_COPY_SEND, ID);
			cx_add_ool(&m, b, MIB, MACH_MSG_VIRTUAL_COPY, FALSE);
			cx_add_ool(&m, s, 10, MACH_MSG_PHYSICAL_COPY, FALSE);
			expect_kr(MACH_MSG_SUCCESS, cx_send(&m, MU_WAIT_MS), "child: send");
			cx_fill(b, MIB, 93);	/* scribble, then exit */
			cx_fill(s, 10, 94);
		}
		mt_child_exit();
	}
	assert_true(pid > 0, "fork");
	expect_child_ok(pid, MU_WAIT_MS, "child");
	assert_kr(MACH_MSG_SUCCESS, cx_recv(inbox, &rcv, MU_WAIT_MS), "receive");
	assert_true(cx_expect_complex(&rcv.hdr, sizeof(mach_msg_base_t) + 32, 2), "header");
	big = got_ool(0, MIB, MACH_MSG_VIRTUAL_COPY);
	small = got_ool(1, 10, MACH_MSG_PHYSICAL_COPY);
	if (big) {
		expect_eq(CX_NO_MISMATCH, cx_check(big, MIB, 91), "1 MiB from the dead child");
		release(big, MIB);
	}
	if (small) {
		expect_eq(CX_NO_MISMATCH, cx_check(small, 10, 92), "10 bytes");
		release(small, 10);
	}
}

static const struct mt_case cases[] = {
	MT_CASE_T(physical_keep, 60),
	MT_CASE_T(physical_dealloc, 60),
	MT_CASE_T(virtual_keep, 60),
	MT_CASE_T(virtual_dealloc, 60),
	MT_CASE(size_zero),
	MT_CASE_T(size_16mib, 300),
	MT_CASE_T(physical_copy_limit, 300),
	MT_CASE_T(size_64mib, 600),
	MT_CASE_T(snapshot_at_send, 60),
	MT_CASE_T(copies_are_private, 60),
	MT_CASE_T(unaligned, 60),
	MT_CASE(read_only_source),
	MT_CASE_T(many_descriptors, 60),
	MT_CASE(mixed_with_inline),
	MT_CASE_T(across_tasks, 60),
};

int main(void)
{
	return MT_RUN(cases);
}
