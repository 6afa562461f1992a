// SPDX-License-Identifier: GPL-2.0
/*
 * complex_ool_mapped - what changes when OOL regions arrive as private mappings of
 * the sender's snapshot instead of a second copy: sender limits, holes in
 * large regions, fork, forwarding, partial deallocation, zero-filled edges,
 * and the pages a sender's space recycles from its freed regions (no stale
 * bytes, a sender that exits first, a send that faults half way).
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "complex_util.h"
#include "stats_util.h"

#define ID	0x6300
#define MIB	(1024u * 1024u)

static struct cx_rcv rcv;

static mach_msg_return_t send_disp(mach_port_t port, mach_msg_type_name_t disp,
				   const void *addr, size_t size, unsigned int copy,
				   boolean_t dealloc)
{
	struct cx_msg m;

	cx_begin(&m, port, disp, ID);
	cx_add_ool(&m, addr, (mach_msg_size_t)size, copy, dealloc);
	return cx_send(&m, MU_WAIT_MS);
}

static mach_msg_return_t send1(mach_port_t port, const void *addr, size_t size,
			       unsigned int copy, boolean_t dealloc)
{
	return send_disp(port, MACH_MSG_TYPE_MAKE_SEND, addr, size, copy, dealloc);
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

/* Can the module's counters be read?  (Only then are they checked.) */
static bool have_stats(void)
{
	if (access(MACH_STATS_PATH, R_OK) != 0)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	return access(MACH_STATS_PATH, R_OK) == 0;
}

/* The module parameter ool_cache_pages, or -1. */
static long cache_pages(void)
{
	FILE *f = fopen("/sys/module/mach/parameters/ool_cache_pages", "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/*
 * The page-aligned span of a received region holds 'size' bytes of 'seed'
 * at 'data' and zeros around them: nothing of an earlier region.
 */
static void check_span(const uint8_t *data, size_t size, uint32_t seed,
		       const char *what)
{
	const uint8_t *start = (const uint8_t *)((uintptr_t)data & ~cx_page_mask());
	const uint8_t *end = (const uint8_t *)(((uintptr_t)data + size + cx_page_mask()) &
					       ~cx_page_mask());
	size_t head = 0, tail = 0;

	for (const uint8_t *q = start; q < data; q++)
		head += *q != 0;
	for (const uint8_t *q = data + size; q < end; q++)
		tail += *q != 0;
	expect_eq(CX_NO_MISMATCH, cx_check(data, size, seed), what);
	expect_eq(0, head, "zeros before the data");
	expect_eq(0, tail, "zeros after the data");
}

/*
 * Pages recycled from freed regions carry none of their old bytes: a
 * region at an odd offset and length is received and deallocated (or
 * destroyed with its message), then a shorter one at another offset reuses
 * its pages and must read as its own bytes with zeros around them.
 */
static void recycled_clean(void)
{
	const size_t len_a = 200000 + 7, len_b = 100001;
	uint8_t *a = cx_alloc(len_a + 8192), *b = cx_alloc(len_b + 8192), *dst;
	bool stats = have_stats();
	long long used0 = 0, used1;

	assert_true(a && b, "setup");
	memset(a, 0xaa, len_a + 8192);
	cx_fill(a + 123, len_a, 6);
	cx_fill(b + 3001, len_b, 7);
	for (int round = 0; round < 4; round++) {
		mach_port_t port = mu_port();
		unsigned int copy = round & 1 ? MACH_MSG_PHYSICAL_COPY :
						MACH_MSG_VIRTUAL_COPY;

		assert_true(port, "port");
		assert_kr(MACH_MSG_SUCCESS, send1(port, a + 123, len_a, copy, FALSE),
			  "send pattern A");
		if (round < 2) {
			dst = recv1(port, len_a);
			assert_true(dst != NULL, "receive A");
			check_span(dst, len_a, 6, "A as sent");
			/* its pages go back to our space's cache */
			vm_deallocate(mach_task_self(), (vm_address_t)dst, len_a);
		} else {
			/* the message dies unreceived: the same, sooner */
			mach_port_mod_refs(mach_task_self(), port,
					   MACH_PORT_RIGHT_RECEIVE, -1);
			port = mu_port();
			assert_true(port, "port");
		}
		if (stats)
			used0 = st_value("ool_pages_recycled");
		assert_kr(MACH_MSG_SUCCESS, send1(port, b + 3001, len_b, copy, FALSE),
			  "send pattern B");
		if (stats && cache_pages() >= 64) {
			used1 = st_value("ool_pages_recycled");
			/* 26 pages: (3001 + 100001) / 4096 rounded up */
			expect_true(used1 - used0 >= 26, "B's pages were A's");
		}
		dst = recv1(port, len_b);
		assert_true(dst != NULL, "receive B");
		check_span(dst, len_b, 7, "B, none of A");
		vm_deallocate(mach_task_self(), (vm_address_t)dst, len_b);
		mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	}
}

/*
 * A sender that exits (its space and cache gone) while the receiver still
 * holds the region: the receiver reads it, and its pages are freed when it
 * deallocates it.  The child first receives one of its own regions and
 * frees it, so that its cache holds pages when it exits.
 */
static void sender_gone(void)
{
	mach_port_t port = mu_port_send(), old = MACH_PORT_NULL;
	bool stats = have_stats();
	long long cached0 = 0, base[ST_NLIVE];
	uint8_t *dst;
	pid_t pid;

	assert_true(port, "port");
	expect_kr(KERN_SUCCESS,
		  task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old),
		  "task_get_special_port(BOOTSTRAP)");
	assert_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port),
		  "task_set_special_port(BOOTSTRAP)");
	if (stats) {
		cached0 = st_value("ool_pages_cached");
		st_snapshot(base);
	}
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		mach_port_t bp = MACH_PORT_NULL, mine = mu_port();
		uint8_t *buf = cx_alloc(MIB + 4096), *own;

		if (!buf || !mine ||
		    !expect_kr(KERN_SUCCESS,
			       task_get_special_port(mach_task_self(),
						     TASK_BOOTSTRAP_PORT, &bp),
			       "child: bootstrap port"))
			mt_child_exit();
		cx_fill(buf, MIB + 4096, 8);
		if (expect_kr(MACH_MSG_SUCCESS,
			      send1(mine, buf, MIB, MACH_MSG_VIRTUAL_COPY, FALSE),
			      "child: send to itself")) {
			own = recv1(mine, MIB);
			if (own)
				vm_deallocate(mach_task_self(), (vm_address_t)own, MIB);
		}
		cx_fill(buf + 77, MIB, 9);
		expect_kr(MACH_MSG_SUCCESS,
			  send_disp(bp, MACH_MSG_TYPE_COPY_SEND, buf + 77, MIB,
				    MACH_MSG_VIRTUAL_COPY, FALSE),
			  "child: send to the parent");
		mt_child_exit();
	}
	expect_child_ok(pid, 30000, "sender");
	dst = recv1(port, MIB);
	assert_true(dst != NULL, "receive after the sender exited");
	check_span(dst, MIB, 9, "the exited sender's bytes");
	vm_deallocate(mach_task_self(), (vm_address_t)dst, MIB);
	if (stats) {
		expect_eq(cached0, st_value("ool_pages_cached"),
			  "the sender's cache freed, ours unchanged");
		expect_true(st_back_to(base, 5000), "counters back to baseline");
	}
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old);
	if (old)
		mach_port_deallocate(mach_task_self(), old);
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(mach_task_self(), port);
}

/*
 * A region partly unmapped in the sender faults half way through the copy:
 * the send fails with nothing queued or pinned, and the next send (which
 * may get the same pages back, with the first attempt's bytes in them)
 * carries only its own bytes.
 */
static void fault_mid_copy(void)
{
	mach_port_t port = mu_port();
	size_t size = 64 * 4096;
	uint8_t *buf = cx_alloc(size), *dst, *back;
	bool stats = have_stats();
	long long base[ST_NLIVE];

	assert_true(port && buf, "setup");
	if (stats)
		st_snapshot(base);
	cx_fill(buf, size, 10);
	assert_eq(0, munmap(buf + 48 * 4096, 4096), "unmap page 48");
	expect_kr(MACH_SEND_INVALID_MEMORY,
		  send1(port, buf + 100, size - 200, MACH_MSG_VIRTUAL_COPY, FALSE),
		  "send across the unmapped page");
	expect_eq(0, mu_status(port).mps_msgcount, "nothing queued");
	if (stats)
		expect_true(st_back_to(base, 5000), "nothing pinned");
	back = mmap(buf + 48 * 4096, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	assert_true(back == buf + 48 * 4096, "map page 48 again");
	cx_fill(buf + 4000, size - 8000, 11);
	assert_kr(MACH_MSG_SUCCESS,
		  send1(port, buf + 4000, size - 8000, MACH_MSG_VIRTUAL_COPY, FALSE),
		  "send the whole region");
	dst = recv1(port, size - 8000);
	assert_true(dst != NULL, "receive");
	check_span(dst, size - 8000, 11, "only the second send's bytes");
	vm_deallocate(mach_task_self(), (vm_address_t)dst, size - 8000);
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

#define OOL_PARAMS	"/sys/module/mach/parameters/"

static bool write_ulong(const char *path, long v)
{
	FILE *f = fopen(path, "w");
	bool ok;

	if (!f)
		return false;
	ok = fprintf(f, "%ld\n", v) > 0;
	return fclose(f) == 0 && ok;
}

/*
 * All spaces' caches together keep at most ool_cache_max_pages pages: with
 * the bound set 8 pages above what is cached now, a 1 MiB region freed by
 * its receiver leaves exactly 8 more pages cached than before it was sent
 * (its snapshot first took back this space's cached pages).
 */
static void cache_bounded(void)
{
	const char *max_path = OOL_PARAMS "ool_cache_max_pages";
	const size_t size = 1 << 20;
	mach_port_t port = mu_port();
	uint8_t *buf = cx_alloc(size), *dst;
	long long cached0, cap;
	long old = -1;
	FILE *f;

	assert_true(port && buf, "setup");
	if (!have_stats() || cache_pages() < 300)
		mt_skip("needs debugfs mach/stats and ool_cache_pages >= 300");
	f = fopen(max_path, "r");
	if (f) {
		if (fscanf(f, "%ld", &old) != 1)
			old = -1;
		fclose(f);
	}
	if (old < 0 || access(max_path, W_OK) != 0)
		mt_skip("needs root to set ool_cache_max_pages");

	cached0 = st_value("ool_pages_cached");
	cap = cached0 + 8;
	assert_true(write_ulong(max_path, cap), "set ool_cache_max_pages");
	cx_fill(buf, size, 12);
	expect_kr(MACH_MSG_SUCCESS,
		  send1(port, buf, size, MACH_MSG_VIRTUAL_COPY, FALSE), "send 1 MiB");
	dst = recv1(port, size);
	expect_true(dst != NULL, "receive");
	if (dst) {
		expect_eq(CX_NO_MISMATCH, cx_check(dst, size, 12), "bytes");
		vm_deallocate(mach_task_self(), (vm_address_t)dst, size);
	}
	expect_eq(cap, st_value("ool_pages_cached"), "cached pages at the bound");
	assert_true(write_ulong(max_path, old), "restore ool_cache_max_pages");
	mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
}

static const struct mt_case cases[] = {
	MT_CASE_T(fsize_limit, 60),
	MT_CASE_T(large_hole, 60),
	MT_CASE_T(fork_private, 60),
	MT_CASE_T(forward, 60),
	MT_CASE_T(destroy_many, 120),
	MT_CASE_T(recycled_clean, 60),
	MT_CASE_T(sender_gone, 60),
	MT_CASE_T(fault_mid_copy, 60),
	MT_CASE_T(cache_bounded, 60),
};

int main(void)
{
	return MT_RUN(cases);
}
