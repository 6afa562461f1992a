// SPDX-License-Identifier: GPL-2.0
/*
 * complex_ool_mapped - what changes when OOL regions arrive as private mappings of
 * the sender's snapshot instead of a second copy: sender limits, holes in
 * large regions, fork, forwarding, partial deallocation, zero-filled edges.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "complex_util.h"

#define ID	0x6300
#define MIB	(1024u * 1024u)

static struct cx_rcv rcv;

static mach_msg_return_t send1(mach_port_t port, const void *addr, size_t size,
			       unsigned int copy, boolean_t dealloc)
{
	struct cx_msg m;

	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_ool(&m, addr, (mach_msg_size_t)size, copy, dealloc);
	return cx_send(&m, MU_WAIT_MS);
}

static uint8_t *recv1(mach_port_t port, size_t size)
{
	const mach_msg_ool_descriptor_t *d;

	if (!expect_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive"))
		return NULL;
	d = cx_ool_desc(&rcv.hdr, 0);
	expect_eq(size, d->size, "size");
	return d->address;
}

/* A sender under RLIMIT_FSIZE is neither refused nor signalled. */
static void fsize_limit(void)
{
	mach_port_t port = mu_port();
	struct rlimit old, rl = { 4096, 4096 };
	uint8_t *buf = cx_alloc(MIB), *dst;

	assert_true(port && buf, "setup");
	cx_fill(buf, MIB, 1);
	assert_eq(0, getrlimit(RLIMIT_FSIZE, &old), "getrlimit");
	rl.rlim_max = old.rlim_max;
	assert_eq(0, setrlimit(RLIMIT_FSIZE, &rl), "setrlimit");
	signal(SIGXFSZ, SIG_DFL);
	expect_kr(MACH_MSG_SUCCESS, send1(port, buf, MIB, MACH_MSG_VIRTUAL_COPY, FALSE),
		  "send 1 MiB with RLIMIT_FSIZE 4096");
	setrlimit(RLIMIT_FSIZE, &old);
	dst = recv1(port, MIB);
	if (dst) {
		expect_eq(CX_NO_MISMATCH, cx_check(dst, MIB, 1), "data");
		vm_deallocate(mach_task_self(), (vm_address_t)dst, MIB);
	}
}

/* A hole in the middle of a large region: bad memory, nothing sent. */
static void large_hole(void)
{
	mach_port_t port = mu_port();
	size_t size = 64 * 4096;
	uint8_t *buf = cx_alloc(size);

	assert_true(port && buf, "setup");
	cx_fill(buf, size, 2);
	assert_eq(0, munmap(buf + 32 * 4096, 4096), "punch a hole");
	expect_kr(MACH_SEND_INVALID_MEMORY,
		  send1(port, buf, size, MACH_MSG_VIRTUAL_COPY, TRUE), "send across the hole");
	expect_true(cx_range_mapped(buf, 4096), "nothing deallocated");
	assert_eq(0, mprotect(buf + 40 * 4096, 4096, PROT_NONE), "PROT_NONE page");
	expect_kr(MACH_SEND_INVALID_MEMORY,
		  send1(port, buf + 33 * 4096, size - 33 * 4096, MACH_MSG_PHYSICAL_COPY, FALSE),
		  "send across a PROT_NONE page");
	expect_eq(0, mu_status(port).mps_msgcount, "nothing queued");
}

/* fork() keeps both copies private. */
static void fork_private(void)
{
	mach_port_t port = mu_port();
	uint8_t *buf = cx_alloc(MIB), *exp = cx_alloc(MIB), *dst;
	int status;
	pid_t pid;

	assert_true(port && buf && exp, "setup");
	cx_fill(buf, MIB, 3);
	memcpy(exp, buf, MIB);
	exp[4096] = 0x77;
	assert_kr(MACH_MSG_SUCCESS, send1(port, buf, MIB, MACH_MSG_VIRTUAL_COPY, TRUE), "send");
	dst = recv1(port, MIB);
	assert_true(dst != NULL, "received");
	dst[4096] = 0x77;	/* one page copied before the fork */
	pid = fork();
	if (pid == 0) {
		int bad = memcmp(dst, exp, MIB) != 0;

		memset(dst, 0x11, MIB);	/* the child scribbles on everything */
		_exit(bad);
	}
	assert_true(pid > 0, "fork");
	assert_eq(pid, waitpid(pid, &status, 0), "wait");
	expect_true(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child saw our bytes");
	expect_eq(0, memcmp(dst, exp, MIB), "child's writes stayed its own");
	vm_deallocate(mach_task_self(), (vm_address_t)dst, MIB);
}

/* A received region sent on, deallocated, and received again. */
static void forward(void)
{
	mach_port_t port = mu_port();
	uint8_t *buf = cx_alloc(MIB + 100), *a, *b;

	assert_true(port && buf, "setup");
	cx_fill(buf + 100, MIB, 4);
	assert_kr(MACH_MSG_SUCCESS, send1(port, buf + 100, MIB, MACH_MSG_VIRTUAL_COPY, FALSE),
		  "send");
	a = recv1(port, MIB);
	assert_true(a != NULL, "first receive");
	expect_eq(100, (uintptr_t)a & 4095, "offset kept");
	expect_eq(0, a[-1], "bytes before the data read zero");
	{
		char line[256];
		FILE *f = fopen("/proc/self/maps", "r");

		while (f && fgets(line, sizeof(line), f))
			if (strstr(line, "mach-ool"))
				mt_diag("maps: %s", line);
		if (f)
			fclose(f);
	}
	expect_eq(0, mprotect((void *)((uintptr_t)a & ~4095ul), 4096, PROT_READ | PROT_EXEC),
		  "mprotect(PROT_EXEC)");
	expect_eq(0, mprotect((void *)((uintptr_t)a & ~4095ul), 4096, PROT_READ | PROT_WRITE),
		  "mprotect back");
	a[5] ^= 0xff;
	assert_kr(MACH_MSG_SUCCESS, send1(port, a, MIB, MACH_MSG_VIRTUAL_COPY, TRUE), "forward");
	expect_true(cx_range_unmapped(a, MIB), "forwarded region deallocated");
	b = recv1(port, MIB);
	assert_true(b != NULL, "second receive");
	b[5] ^= 0xff;
	expect_eq(CX_NO_MISMATCH, cx_check(b, MIB, 4), "forwarded bytes");
	expect_eq(0, b[MIB], "bytes after the data read zero");
	/* free the middle, keep the ends */
	expect_kr(KERN_SUCCESS, vm_deallocate(mach_task_self(),
					      ((vm_address_t)b & ~4095ul) + 4096 * 10,
					      4096 * 100), "partial vm_deallocate");
	expect_true(cx_range_unmapped(b - 100 + 4096 * 10, 4096 * 100), "middle gone");
	expect_eq(CX_NO_MISMATCH, cx_check(b, 4096 * 9, 4), "head kept");
	vm_deallocate(mach_task_self(), (vm_address_t)b, MIB);
}

/* Many large messages queued and destroyed unreceived. */
static void destroy_many(void)
{
	uint8_t *buf = cx_alloc(4 * MIB);

	assert_true(buf != NULL, "buffer");
	cx_fill(buf, 4 * MIB, 5);
	for (int i = 0; i < 64; i++) {
		mach_port_t p = mu_port();

		assert_kr(MACH_MSG_SUCCESS, send1(p, buf, 4 * MIB, MACH_MSG_VIRTUAL_COPY, FALSE),
			  "send");
		assert_kr(MACH_MSG_SUCCESS, send1(p, buf + 7, 2 * MIB, MACH_MSG_PHYSICAL_COPY,
						  FALSE), "send");
		mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	}
}

static const struct mt_case cases[] = {
	MT_CASE_T(fsize_limit, 60),
	MT_CASE_T(large_hole, 60),
	MT_CASE_T(fork_private, 60),
	MT_CASE_T(forward, 60),
	MT_CASE_T(destroy_many, 120),
};

int main(void)
{
	return MT_RUN(cases);
}
