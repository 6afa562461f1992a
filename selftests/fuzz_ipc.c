// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ipc - a seeded random-operation fuzzer for /dev/mach.
 *
 *   fuzz_ipc [seed]          seed also from MACH_FUZZ_SEED, else the time
 *   MACH_FUZZ_CALLS=n        operations per case (default 20000)
 *
 * Every operation is drawn from a PRNG: mach_msg with random headers,
 * sizes, options and complex bodies (port, OOL and OOL-port descriptors
 * pointing at valid, read-only, unmapped, NULL and non-canonical memory),
 * the port routines through libmach with random arguments, and raw ioctls
 * with random argument bytes and bad pointers.  Cases: one thread
 * (replayable from the seed), four threads on one space with a thread
 * destroying ports that the others receive on, and forked children that
 * take rights from our space through our task port and are SIGKILLed at
 * random points.
 *
 * Checked: the process survives, every call returns (a watchdog reports
 * the operation that hung), every result is a documented code, and once
 * everything is destroyed the space holds only the names it started with.
 * The kernel side (KASAN, lockdep, kmemleak) is checked by the VM harness.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mach.h>

#include "msg_util.h"

#define PG		4096UL
#define POOL		64	/* names the operations pick from */
#define NAME_CAP	600	/* clean the space up beyond this many names */
#define MAX_THREADS	8
#define BUF_SZ		(64 * 1024)
#define ARENA_PAGES	16
#define HANG_MS		20000	/* one call taking this long is a hang */

static unsigned long long seed;
static unsigned long calls_per_case = 20000;
static mach_port_t self;
static int mfd = -1;

/* Names of the space the case started with: never destroyed by us. */
static mach_port_name_t baseline[64];
static unsigned int nbaseline;

/* The pool lives in shared memory so forked children see current names. */
static _Atomic mach_port_name_t *pool;
static _Atomic mach_port_name_t hot;	/* destroyed while others wait on it */

/* Memory the descriptors point at. */
static uint8_t *ro_page;	/* PROT_READ */
static uint8_t *none_page;	/* PROT_NONE */
static uint8_t *arena;		/* reserved; dealloc=1 regions live here */
static pthread_rwlock_t maplock = PTHREAD_RWLOCK_INITIALIZER;

/* Distinct return codes seen. */
#define CODES 512
static _Atomic long long codes[CODES];
static atomic_ulong ncalls;
static atomic_int bad_codes;

/* Per-thread state. */
struct fz {
	unsigned long long rng;
	int tid;
	uint8_t *sbuf;		/* send buffer, a guard page after BUF_SZ */
	uint8_t *rbuf;		/* receive area, a guard page after BUF_SZ */
	uint8_t *data;		/* valid OOL source */
	mach_port_name_t names[64];
	bool in_child;
};

/* Watchdog: what each thread is doing and since when. */
static _Atomic uint64_t hb_start[MAX_THREADS];
static const char *_Atomic hb_op[MAX_THREADS];
static atomic_bool stop_watchdog;

/* ---- PRNG ------------------------------------------------------------- */

static uint64_t rnd(struct fz *f)
{
	/* splitmix64 */
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rn(struct fz *f, uint32_t n)
{
	return n ? (uint32_t)(rnd(f) % n) : 0;
}

static bool chance(struct fz *f, unsigned int pct)
{
	return rn(f, 100) < pct;
}

/* ---- result checking ---------------------------------------------------- */

static bool code_documented(long long r)
{
	static const int msg_codes[] = {
		MACH_MSG_SUCCESS, MACH_MSG_VM_KERNEL,
		MACH_SEND_INVALID_DATA, MACH_SEND_INVALID_DEST,
		MACH_SEND_TIMED_OUT, MACH_SEND_INVALID_VOUCHER,
		MACH_SEND_INTERRUPTED, MACH_SEND_MSG_TOO_SMALL,
		MACH_SEND_INVALID_REPLY, MACH_SEND_INVALID_RIGHT,
		MACH_SEND_INVALID_NOTIFY, MACH_SEND_INVALID_MEMORY,
		MACH_SEND_NO_BUFFER, MACH_SEND_TOO_LARGE,
		MACH_SEND_INVALID_TYPE, MACH_SEND_INVALID_HEADER,
		MACH_SEND_INVALID_TRAILER, MACH_SEND_INVALID_OPTIONS,
		MACH_RCV_INVALID_NAME, MACH_RCV_TIMED_OUT,
		MACH_RCV_TOO_LARGE, MACH_RCV_INTERRUPTED,
		MACH_RCV_PORT_CHANGED, MACH_RCV_INVALID_NOTIFY,
		MACH_RCV_INVALID_DATA, MACH_RCV_PORT_DIED,
		MACH_RCV_INVALID_TYPE, MACH_RCV_INVALID_TRAILER,
		MACH_RCV_INVALID_ARGUMENTS,
	};
	unsigned int i;

	if (r >= 0 && r <= 56)		/* KERN_SUCCESS .. the last KERN_* */
		return true;
	if (r == -EFAULT || r == -EINVAL || r == -ENOTTY || r == -EBADFD)
		return true;
	if (r <= MIG_TYPE_ERROR && r >= MIG_TRAILER_ERROR)	/* MIG's own codes */
		return true;
	for (i = 0; i < sizeof(msg_codes) / sizeof(msg_codes[0]); i++)
		if (r == msg_codes[i])
			return true;
	/* header/body errors carry MACH_MSG_{IPC,VM}_{SPACE,KERNEL} bits */
	if ((r & ~0x3c00LL) == MACH_RCV_HEADER_ERROR ||
	    (r & ~0x3c00LL) == MACH_RCV_BODY_ERROR)
		return true;
	return false;
}

/* Record one result; r < 0 is -errno from a raw ioctl. */
static long long note(const char *what, long long r)
{
	unsigned int h = (unsigned int)((unsigned long long)r * 2654435761u) % CODES;

	atomic_fetch_add(&ncalls, 1);
	for (unsigned int i = 0; i < CODES; i++) {
		unsigned int k = (h + i) % CODES;
		long long cur = atomic_load(&codes[k]);

		if (cur == r + 1)
			break;
		if (cur == 0) {
			long long zero = 0;

			if (atomic_compare_exchange_strong(&codes[k], &zero, r + 1) ||
			    zero == r + 1)
				break;
		}
	}
	if (!code_documented(r)) {
		if (atomic_fetch_add(&bad_codes, 1) < 20)
			mt_diag("%s: undocumented result %lld (0x%llx)", what, r,
				(unsigned long long)r);
	}
	return r;
}

static unsigned int distinct_codes(void)
{
	unsigned int n = 0;

	for (int i = 0; i < CODES; i++)
		n += atomic_load(&codes[i]) != 0;
	return n;
}

/* ---- watchdog ----------------------------------------------------------- */

static void hb_begin(struct fz *f, const char *op)
{
	if (f->tid < MAX_THREADS) {
		hb_op[f->tid] = op;
		hb_start[f->tid] = mt_now_ms();
	}
}

static void hb_end(struct fz *f)
{
	if (f->tid < MAX_THREADS)
		hb_start[f->tid] = 0;
}

static void *watchdog(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop_watchdog)) {
		uint64_t now = mt_now_ms();

		for (int t = 0; t < MAX_THREADS; t++) {
			uint64_t s = hb_start[t];

			/* a call may begin after 'now' was read: not stuck */
			if (s && s < now && now - s > HANG_MS) {
				mt_diag("WATCHDOG: thread %d stuck %llu ms in %s (seed %llu)",
					t, (unsigned long long)(now - s),
					hb_op[t], seed);
				_exit(3);
			}
		}
		mt_sleep_ms(200);
	}
	return NULL;
}

/* ---- names --------------------------------------------------------------- */

static bool is_baseline(mach_port_name_t n)
{
	for (unsigned int i = 0; i < nbaseline; i++)
		if (baseline[i] == n)
			return true;
	return false;
}

static void pool_add(struct fz *f, mach_port_name_t n)
{
	if (MACH_PORT_VALID(n) && !is_baseline(n))
		pool[rn(f, POOL)] = n;
}

/*
 * The baseline names (our task port among them) must survive: the checks at
 * the end go through them.  A random name that hits one becomes null.
 */
static mach_port_name_t spare_baseline(mach_port_name_t n)
{
	return is_baseline(n) ? MACH_PORT_NULL : n;
}

/* A name for an argument: mostly from the pool, sometimes anything. */
static mach_port_name_t pick(struct fz *f)
{
	switch (rn(f, 20)) {
	case 0:
		return MACH_PORT_NULL;
	case 1:
		return MACH_PORT_DEAD;
	case 2:
		return spare_baseline((mach_port_name_t)rnd(f));
	case 3:
		return spare_baseline((rn(f, 64) << 8) | rn(f, 256));
	case 4:
		return hot;
	default:
		return spare_baseline(pool[rn(f, POOL)]);
	}
}

/* A name that may be handed to a routine that destroys or moves rights. */
static mach_port_name_t pick_victim(struct fz *f)
{
	mach_port_name_t n = pick(f);

	return is_baseline(n) ? MACH_PORT_NULL : n;
}

static uint32_t pick_disp(struct fz *f)
{
	if (chance(f, 85))
		return 16 + rn(f, 6);	/* MOVE_RECEIVE .. MAKE_SEND_ONCE */
	return chance(f, 50) ? rn(f, 32) : (uint32_t)rnd(f);
}

static uint32_t pick_right(struct fz *f)
{
	return chance(f, 90) ? rn(f, 6) : (uint32_t)rnd(f);
}

static int32_t pick_delta(struct fz *f)
{
	static const int32_t d[] = { -1, 1, 0, -2, 2, 0xffff, -0xffff,
				     0x10000, -0x10000, INT32_MIN, INT32_MAX };

	return chance(f, 90) ? d[rn(f, 11)] : (int32_t)rnd(f);
}

/* Raw MACH_IOC_PORT_NAMES into our own buffer (no libmach allocation). */
static int space_names(mach_port_name_t *names, mach_port_type_t *types,
		       unsigned int cap)
{
	struct mach_port_names_args a = {
		.task = self, .count = cap,
		.names = (uintptr_t)names, .types = (uintptr_t)types,
	};

	if (ioctl(mfd, MACH_IOC_PORT_NAMES, &a) != 0)
		return -1;
	return (int)a.count;
}

static mach_port_name_t all_names[1 << 16];
static mach_port_type_t all_types[1 << 16];
static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * mach_port_destroy refuses a guarded receive right (XNU kills the caller
 * for trying), and raw ioctls may have guarded one with a guard we do not
 * know.  Moving the right out drops its guard (ipc_port_clear_receiver);
 * it comes back as a plain receive right, which can be destroyed.
 */
static void destroy_name(mach_port_name_t name)
{
	mach_port_t moved = MACH_PORT_NULL;
	mach_msg_type_name_t type;

	if (mach_port_destroy(self, name) != KERN_INVALID_RIGHT)
		return;
	if (mach_port_extract_right(self, name, MACH_MSG_TYPE_MOVE_RECEIVE, &moved,
				    &type) == KERN_SUCCESS)
		mach_port_destroy(self, moved);
	mach_port_destroy(self, name);
}

/* Destroy every name but the baseline; returns how many remain after. */
static int destroy_all(int passes)
{
	int n = 0;

	pthread_mutex_lock(&names_lock);
	for (int p = 0; p < passes; p++) {
		int extra = 0;

		n = space_names(all_names, all_types, 1 << 16);
		if (n < 0 || n > (1 << 16))
			break;
		for (int i = 0; i < n; i++) {
			if (is_baseline(all_names[i]))
				continue;
			extra++;
			destroy_name(all_names[i]);
		}
		if (!extra)
			break;
	}
	n = space_names(all_names, all_types, 1 << 16);
	pthread_mutex_unlock(&names_lock);
	return n;
}

/* Keep the space bounded: destroy a random half when it grows too big. */
static void trim_space(struct fz *f)
{
	int n;

	pthread_mutex_lock(&names_lock);
	n = space_names(all_names, all_types, 1 << 16);
	if (n > NAME_CAP && n <= (1 << 16)) {
		for (int i = 0; i < n; i++)
			if (!is_baseline(all_names[i]) && chance(f, 60))
				destroy_name(all_names[i]);
	}
	pthread_mutex_unlock(&names_lock);
}

/* ---- memory the messages point at ------------------------------------------ */

static uint64_t bad_addr(struct fz *f)
{
	switch (rn(f, 6)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)none_page + rn(f, PG);
	case 2:
		return 0x10000 + rn(f, PG);		/* never mapped */
	case 3:
		return 0xffff800000000000ULL + rn(f, 1 << 20);	/* kernel */
	case 4:
		return 0x0000800000000000ULL - rn(f, 64);	/* end of user */
	default:
		return rnd(f);
	}
}

static uint32_t ool_size(struct fz *f)
{
	switch (rn(f, 8)) {
	case 0:
		return 0;
	case 1:
		return rn(f, 16);
	case 2:
		return PG * (1 + rn(f, 4));
	case 3:
		return (uint32_t)rnd(f);
	case 4:
		return 257u << 20;	/* above max_ool */
	default:
		return rn(f, 2 * PG);
	}
}

/*
 * A fresh arena region for a descriptor with deallocate set: the kernel
 * may unmap it.  Only used under the exclusive maplock, and the arena is
 * reserved again after the call, so no other mapping can land in the hole.
 */
static uint64_t arena_region(struct fz *f, uint32_t size, unsigned int *used)
{
	unsigned int pages = (size + PG - 1) / PG + 1;
	uint8_t *p;

	if (*used + pages > ARENA_PAGES)
		return (uintptr_t)ro_page;
	p = arena + *used * PG;
	*used += pages;
	if (mmap(p, pages * PG, chance(f, 20) ? PROT_READ : PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return (uintptr_t)ro_page;
	return (uintptr_t)p + rn(f, 64) * 4;
}

static void arena_reset(void)
{
	mmap(arena, ARENA_PAGES * PG, PROT_NONE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static bool in_arena(uint64_t a)
{
	return a >= (uintptr_t)arena && a < (uintptr_t)arena + ARENA_PAGES * PG;
}

/* ---- messages ----------------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/*
 * Build a random message in f->sbuf; returns its true length.  *dealloc
 * is set when a descriptor asks the kernel to unmap arena memory.
 */
static uint32_t build_msg(struct fz *f, bool *dealloc, bool allow_dealloc)
{
	uint8_t *m = f->sbuf;
	mach_msg_header_t *h = (mach_msg_header_t *)m;
	uint32_t len = sizeof(*h), rdisp, ldisp, vdisp, ndesc;
	unsigned int arena_used = 0;
	bool complex = chance(f, 45);

	*dealloc = false;
	rdisp = chance(f, 80) ? 17 + rn(f, 5) : pick_disp(f);
	ldisp = chance(f, 50) ? 0 : pick_disp(f);
	vdisp = chance(f, 92) ? 0 : pick_disp(f);
	h->msgh_bits = MACH_MSGH_BITS_SET(rdisp & 0x1f, ldisp & 0x1f, vdisp & 0x1f,
					  complex ? MACH_MSGH_BITS_COMPLEX : 0);
	if (chance(f, 4))
		h->msgh_bits = (uint32_t)rnd(f);
	h->msgh_remote_port = pick_victim(f);
	if (chance(f, 5) && (rdisp == MACH_MSG_TYPE_COPY_SEND))
		h->msgh_remote_port = self;
	h->msgh_local_port = ldisp || chance(f, 5) ? pick_victim(f) : 0;
	h->msgh_voucher_port = chance(f, 90) ? 0 : pick(f);
	h->msgh_id = (mach_msg_id_t)rnd(f);

	if (complex) {
		ndesc = chance(f, 95) ? rn(f, 7) : (uint32_t)rnd(f);
		put32(m + len, ndesc);
		len += 4;
		for (uint32_t i = 0; i < ndesc && i < 6; i++) {
			uint8_t *d = m + len;
			unsigned int kind = rn(f, 10);
			uint8_t type = kind < 4 ? MACH_MSG_PORT_DESCRIPTOR :
				       kind < 7 ? MACH_MSG_OOL_DESCRIPTOR :
				       kind < 9 ? MACH_MSG_OOL_PORTS_DESCRIPTOR :
				       (uint8_t)rn(f, 256);

			if (chance(f, 10))
				type = MACH_MSG_OOL_VOLATILE_DESCRIPTOR;
			if (type == MACH_MSG_PORT_DESCRIPTOR) {
				put32(d, pick_victim(f));
				put32(d + 4, chance(f, 90) ? 0 : (uint32_t)rnd(f));
				d[8] = d[9] = 0;
				d[10] = (uint8_t)pick_disp(f);
				d[11] = type;
				len += 12;
				continue;
			}
			/* OOL data or OOL ports, 16 bytes */
			{
				uint32_t size = ool_size(f);
				uint64_t addr;
				uint8_t dl = 0;

				if (type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
					unsigned int cnt = rn(f, 20);

					for (unsigned int j = 0; j < 64; j++)
						f->names[j] = chance(f, 80) ?
							pick_victim(f) : pick(f);
					size = chance(f, 85) ? cnt :
					       chance(f, 50) ? 16384 + rn(f, 4) :
					       (uint32_t)rnd(f);
					addr = chance(f, 80) ? (uintptr_t)f->names :
					       bad_addr(f);
				} else {
					unsigned int w = rn(f, 10);

					addr = w < 5 ? (uintptr_t)f->data + rn(f, PG) :
					       w < 7 ? (uintptr_t)ro_page + rn(f, PG) :
					       bad_addr(f);
					if (addr >= (uintptr_t)f->data &&
					    addr < (uintptr_t)f->data + BUF_SZ &&
					    size > BUF_SZ - PG && chance(f, 70))
						size = rn(f, BUF_SZ - PG);
				}
				if (allow_dealloc && chance(f, 25)) {
					uint32_t bytes = type == MACH_MSG_OOL_PORTS_DESCRIPTOR ?
						size * 4 : size;

					if (bytes <= 4 * PG) {
						addr = arena_region(f, bytes, &arena_used);
						if (in_arena(addr) &&
						    type == MACH_MSG_OOL_PORTS_DESCRIPTOR &&
						    size <= 64) {
							if (mprotect((void *)(addr & ~(PG - 1)),
								     PG, PROT_READ | PROT_WRITE) == 0)
								memcpy((void *)addr, f->names,
								       size * 4);
						}
						dl = 1;
						*dealloc = true;
					}
				}
				put64(d, addr);
				d[8] = chance(f, 95) ? dl : (uint8_t)rnd(f);
				if (d[8] && !in_arena(addr))
					d[8] = 0;	/* never unmap our own memory */
				d[9] = chance(f, 90) ? (uint8_t)rn(f, 2) : (uint8_t)rn(f, 256);
				d[10] = (uint8_t)pick_disp(f);
				d[11] = type;
				put32(d + 12, size);
				len += 16;
			}
		}
	}
	/* some inline payload */
	if (chance(f, 40)) {
		uint32_t extra = chance(f, 90) ? rn(f, 64) * 4 : rn(f, BUF_SZ / 2) & ~3u;

		for (uint32_t i = 0; i < extra && len + 4 <= BUF_SZ; i += 4, len += 4)
			put32(m + len, (uint32_t)rnd(f));
	}
	h->msgh_size = len;
	return len;
}

/* Wrong sizes: too small, unaligned, beyond the buffer, huge. */
static uint32_t mangle_size(struct fz *f, uint32_t len)
{
	switch (rn(f, 30)) {
	case 0:
		return rn(f, 24);
	case 1:
		return len + 1 + rn(f, 3);
	case 2:
		return len - 4;
	case 3:
		return BUF_SZ + 4 * rn(f, 1024);	/* runs into the guard */
	case 4:
		return (uint32_t)rnd(f);
	case 5:
		return 49u << 20;			/* above max_inline */
	case 6:
		return 0xfffffffc;
	default:
		return len;
	}
}

/* Release what a delivered (or pseudo-received) message carries. */
static void destroy_received(mach_msg_header_t *h, uint32_t avail)
{
	uint8_t *m = (uint8_t *)h;

	if (h->msgh_size < sizeof(*h) || h->msgh_size > avail)
		return;
	if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		uint32_t off = sizeof(*h) + 4, n;

		if (h->msgh_size < off)
			return;
		n = get32(m + sizeof(*h));
		for (uint32_t i = 0; i < n; i++) {
			uint8_t *d = m + off;

			if (off + 12 > h->msgh_size)
				return;	/* malformed: leave it alone */
			if (d[11] == MACH_MSG_PORT_DESCRIPTOR) {
				off += 12;
				continue;
			}
			if (off + 16 > h->msgh_size)
				return;
			/* mapped into the arena: reserving it again freed it */
			if (in_arena(get64(d)))
				put32(d + 12, 0);
			off += 16;
		}
	}
	mach_msg_destroy(h);
}

static void op_msg(struct fz *f)
{
	bool dealloc = false, send = chance(f, 75), rcv = !send || chance(f, 40);
	bool excl;
	uint32_t len, ssize, rsize, opt = 0, timeout;
	mach_msg_header_t *rmsg;
	mach_port_name_t rname;
	mach_msg_return_t mr;

	excl = send && !f->in_child && chance(f, 8);
	if (excl)
		pthread_rwlock_wrlock(&maplock);
	else if (!f->in_child)
		pthread_rwlock_rdlock(&maplock);

	len = build_msg(f, &dealloc, excl);
	ssize = mangle_size(f, len);
	if (send)
		opt |= MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	if (rcv)
		opt |= MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	if (chance(f, 15))
		opt |= MACH_RCV_LARGE;
	if (chance(f, 20))
		opt |= MACH_RCV_TRAILER_ELEMENTS(rn(f, 8));
	if (chance(f, 3))
		opt |= MACH_RCV_TRAILER_TYPE(rn(f, 16));
	if (chance(f, 3))
		opt |= (uint32_t)rnd(f) & ~(MACH_SEND_MSG | MACH_RCV_MSG);
	if (chance(f, 20))
		opt |= MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT;
	timeout = chance(f, 70) ? 0 : rn(f, 11);

	/* receive buffer: ends exactly at a guard page, or a bad address */
	rsize = chance(f, 80) ? rn(f, BUF_SZ) : chance(f, 50) ? rn(f, 64) :
		(uint32_t)rnd(f);
	if (rsize <= BUF_SZ && chance(f, 90))
		rmsg = (mach_msg_header_t *)(f->rbuf + BUF_SZ - rsize);
	else
		rmsg = (mach_msg_header_t *)(uintptr_t)bad_addr(f);
	if (rmsg == NULL)
		rmsg = (mach_msg_header_t *)none_page;
	rname = chance(f, 30) ? hot : pick(f);

	hb_begin(f, send ? (rcv ? "mach_msg(send|rcv)" : "mach_msg(send)") :
		 "mach_msg(rcv)");
	mr = mach_msg_overwrite((mach_msg_header_t *)f->sbuf, (mach_msg_option_t)opt,
				ssize, rsize, rname, timeout, MACH_PORT_NULL,
				rmsg, 0);
	hb_end(f);
	note("mach_msg", mr);

	if (excl)
		arena_reset();

	/* a send that failed after copyin came back to us: release it */
	if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED)
		destroy_received((mach_msg_header_t *)f->sbuf, BUF_SZ);
	/* rsize <= BUF_SZ and rmsg inside rbuf: the buffer is ours */
	if ((uint8_t *)rmsg >= f->rbuf && (uint8_t *)rmsg < f->rbuf + BUF_SZ) {
		if (mr == MACH_MSG_SUCCESS && rcv)
			destroy_received(rmsg, rsize);
		else if ((mr & ~0x3c00) == MACH_RCV_BODY_ERROR)
			destroy_received(rmsg, rsize);
		/* the buffer was valid and exactly rcv_size: never bad data */
		if (mr == MACH_RCV_INVALID_DATA && rsize >= sizeof(mach_msg_header_t)) {
			mt_diag("mach_msg: MACH_RCV_INVALID_DATA into a valid buffer of %u bytes (seed %llu)",
				rsize, seed);
			mt_failed = true;
		}
		if (mr == MACH_MSG_SUCCESS && rcv) {
			pool_add(f, rmsg->msgh_local_port);
			pool_add(f, rmsg->msgh_remote_port);
		}
	}
	if (excl || !f->in_child)
		pthread_rwlock_unlock(&maplock);
}

/* ---- port routines ---------------------------------------------------------- */

static void op_routine(struct fz *f)
{
	mach_port_name_t n = pick(f), v = pick_victim(f), out = 0;
	mach_port_t task = chance(f, 97) ? self : pick(f);
	kern_return_t kr = KERN_SUCCESS;
	unsigned int which = rn(f, 22);
	const char *what = "routine";

	if (!f->in_child)
		pthread_rwlock_rdlock(&maplock);
	hb_begin(f, "port routine");
	switch (which) {
	case 0:
	case 1:
		what = "allocate";
		kr = mach_port_allocate(task, chance(f, 90) ?
					(chance(f, 70) ? MACH_PORT_RIGHT_RECEIVE :
					 rn(f, 2) ? MACH_PORT_RIGHT_PORT_SET :
					 MACH_PORT_RIGHT_DEAD_NAME) : pick_right(f), &out);
		if (kr == KERN_SUCCESS)
			pool_add(f, out);
		break;
	case 2:
		what = "allocate_name";
		out = chance(f, 80) ? ((0x1000 + rn(f, 0x10000)) << 8) | 3 : (uint32_t)rnd(f);
		kr = mach_port_allocate_name(task, pick_right(f), out);
		if (kr == KERN_SUCCESS)
			pool_add(f, out);
		break;
	case 3:
		what = "deallocate";
		kr = mach_port_deallocate(task, v);
		break;
	case 4:
		what = "destroy";
		if (chance(f, 30))
			kr = mach_port_destroy(task, v);
		break;
	case 5:
		what = "mod_refs";
		kr = mach_port_mod_refs(task, v, pick_right(f), pick_delta(f));
		break;
	case 6: {
		mach_port_urefs_t refs;
		mach_port_type_t t;

		what = "get_refs/type";
		kr = rn(f, 2) ? mach_port_get_refs(task, n, pick_right(f), &refs) :
			mach_port_type(task, n, &t);
		break;
	}
	case 7:
		what = "insert_right";
		out = chance(f, 50) ? v :
		      chance(f, 50) ? ((0x2000 + rn(f, 0x1000)) << 8) | 3 : pick(f);
		if (is_baseline(out))
			out = 0;
		kr = mach_port_insert_right(task, out, pick_victim(f), pick_disp(f));
		if (kr == KERN_SUCCESS)
			pool_add(f, out);
		break;
	case 8: {
		mach_msg_type_name_t got;

		what = "extract_right";
		kr = mach_port_extract_right(task, v, pick_disp(f), &out, &got);
		if (kr == KERN_SUCCESS)
			pool_add(f, out);
		break;
	}
	case 9: {
		integer_t info[32];
		mach_msg_type_number_t cnt = chance(f, 80) ? rn(f, 20) : (uint32_t)rnd(f);

		what = "get_attributes";
		if (cnt > 32 && chance(f, 90))
			cnt = 32;
		if (cnt > 32)	/* the kernel writes only what the flavor needs */
			cnt = 32;
		kr = mach_port_get_attributes(task, n, chance(f, 85) ? (int)rn(f, 10) :
					      (int)rnd(f), info, &cnt);
		break;
	}
	case 10: {
		integer_t info[32];

		what = "set_attributes";
		for (int i = 0; i < 32; i++)
			info[i] = chance(f, 50) ? (integer_t)rn(f, 8) : (integer_t)rnd(f);
		kr = mach_port_set_attributes(task, n, chance(f, 85) ? (int)rn(f, 10) :
					      (int)rnd(f), info,
					      chance(f, 80) ? rn(f, 12) : (uint32_t)rnd(f) % 33);
		break;
	}
	case 11: {
		mach_port_options_t o;

		what = "construct";
		memset(&o, 0, sizeof(o));
		o.flags = chance(f, 80) ? rn(f, 0x80) : (uint32_t)rnd(f);
		o.mpl.mpl_qlimit = chance(f, 80) ? rn(f, 20) : (uint32_t)rnd(f);
		kr = mach_port_construct(task, &o, chance(f, 50) ? 0 : rnd(f), &out);
		if (kr == KERN_SUCCESS)
			pool_add(f, out);
		break;
	}
	case 12:
		what = "destruct";
		kr = mach_port_destruct(task, v, chance(f, 70) ? -(int)rn(f, 3) : pick_delta(f),
					chance(f, 70) ? 0 : rnd(f));
		break;
	case 13:
		what = "move_member";
		kr = mach_port_move_member(task, n, chance(f, 20) ? 0 : pick(f));
		break;
	case 14:
		what = "insert_member";
		kr = mach_port_insert_member(task, n, pick(f));
		break;
	case 15:
		what = "extract_member";
		kr = mach_port_extract_member(task, n, pick(f));
		break;
	case 16: {
		mach_port_name_array_t mem = NULL;
		mach_msg_type_number_t cnt = 0;

		what = "get_set_status";
		kr = mach_port_get_set_status(task, n, &mem, &cnt);
		if (kr == KERN_SUCCESS && mem)
			vm_deallocate(self, (vm_address_t)mem, cnt * sizeof(*mem));
		break;
	}
	case 17: {
		mach_port_t prev = 0;
		static const mach_msg_id_t ids[] = {
			MACH_NOTIFY_PORT_DELETED, MACH_NOTIFY_PORT_DESTROYED,
			MACH_NOTIFY_NO_SENDERS, MACH_NOTIFY_SEND_ONCE,
			MACH_NOTIFY_DEAD_NAME,
		};

		what = "request_notification";
		kr = mach_port_request_notification(task, n,
			chance(f, 85) ? ids[rn(f, 5)] : (mach_msg_id_t)rnd(f),
			chance(f, 70) ? rn(f, 3) : (uint32_t)rnd(f),
			chance(f, 5) ? 0 : pick_victim(f),
			chance(f, 80) ? (rn(f, 2) ? MACH_MSG_TYPE_MAKE_SEND_ONCE :
					 MACH_MSG_TYPE_MOVE_SEND_ONCE) : pick_disp(f),
			&prev);
		if (kr == KERN_SUCCESS)
			pool_add(f, prev);
		break;
	}
	case 18: {
		mach_port_context_t c;

		what = "context";
		kr = rn(f, 2) ? mach_port_get_context(task, n, &c) :
			mach_port_set_context(task, n, rnd(f));
		break;
	}
	case 19:
		what = "task_get_special_port";
		kr = task_get_special_port(task, chance(f, 80) ? (int)rn(f, 8) : (int)rnd(f), &out);
		if (kr == KERN_SUCCESS && MACH_PORT_VALID(out) && !is_baseline(out))
			pool_add(f, out);
		break;
	default: {
		mach_port_urefs_t refs;

		what = "get_refs(receive)";
		kr = mach_port_get_refs(task, n, MACH_PORT_RIGHT_RECEIVE, &refs);
		break;
	}
	}
	hb_end(f);
	if (!f->in_child)
		pthread_rwlock_unlock(&maplock);
	note(what, kr);
}

/* ---- raw ioctls --------------------------------------------------------------- */

static const unsigned long ioc_cmds[] = {
	MACH_IOC_VERSION, MACH_IOC_TASK_SELF, MACH_IOC_MSG,
	MACH_IOC_PORT_ALLOCATE, MACH_IOC_PORT_ALLOCATE_NAME,
	MACH_IOC_PORT_DEALLOCATE, MACH_IOC_PORT_DESTROY, MACH_IOC_PORT_MOD_REFS,
	MACH_IOC_PORT_GET_REFS, MACH_IOC_PORT_TYPE, MACH_IOC_PORT_INSERT_RIGHT,
	MACH_IOC_PORT_EXTRACT_RIGHT, MACH_IOC_PORT_NAMES, MACH_IOC_PORT_GET_ATTR,
	MACH_IOC_PORT_SET_ATTR, MACH_IOC_PORT_GET_CONTEXT,
	MACH_IOC_PORT_SET_CONTEXT, MACH_IOC_PORT_CONSTRUCT,
	MACH_IOC_PORT_DESTRUCT, MACH_IOC_PORT_MOVE_MEMBER,
	MACH_IOC_PORT_INSERT_MEMBER, MACH_IOC_PORT_EXTRACT_MEMBER,
	MACH_IOC_PORT_SET_STATUS, MACH_IOC_PORT_REQUEST_NOTIFY,
	MACH_IOC_TASK_GET_SPECIAL, MACH_IOC_TASK_FOR_PID, MACH_IOC_PID_FOR_TASK,
	MACH_IOC_HOST_GET_SPECIAL,
};

static void op_ioctl(struct fz *f)
{
	uint64_t argbuf[16];
	uint32_t *w = (uint32_t *)argbuf;
	unsigned long cmd;
	void *arg = argbuf;
	int ret, ncmd = sizeof(ioc_cmds) / sizeof(ioc_cmds[0]);
	bool destructive;

	cmd = chance(f, 90) ? ioc_cmds[rn(f, ncmd)] :
	      chance(f, 50) ? _IOC(rn(f, 4), MACH_IOC_MAGIC, rn(f, 0x40), rn(f, 128)) :
	      (unsigned long)(uint32_t)rnd(f);
	/* plausible fields: task, names, small values; random elsewhere */
	for (int i = 0; i < 32; i++)
		w[i] = chance(f, 40) ? pick(f) : chance(f, 50) ? rn(f, 32) :
		       (uint32_t)rnd(f);
	w[0] = chance(f, 90) ? self : pick(f);
	/* pointers inside the structs: into our scratch buffer, or bad */
	for (int i = 1; i < 8; i++)
		if (chance(f, 40))
			argbuf[i] = chance(f, 60) ? (uintptr_t)f->data : bad_addr(f);
	/* mostly clear the must-be-zero words so the call goes deeper */
	if (chance(f, 70)) {
		for (int i = 4; i < 16; i++)
			if (chance(f, 60))
				w[i] = 0;
	}
	if (cmd == MACH_IOC_MSG) {
		struct mach_ioc_msg *m = (struct mach_ioc_msg *)argbuf;
		bool dl;
		uint32_t len = build_msg(f, &dl, false);

		m->send_msg = chance(f, 85) ? (uintptr_t)f->sbuf : bad_addr(f);
		m->send_size = mangle_size(f, len);
		m->rcv_msg = chance(f, 50) ? (uintptr_t)(f->rbuf) : bad_addr(f);
		m->rcv_size = chance(f, 70) ? BUF_SZ : rn(f, 64);
		m->rcv_name = chance(f, 30) ? hot : pick(f);
		m->option |= MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT;
		m->timeout = rn(f, 11);
		if (chance(f, 70))
			m->notify = m->flags = m->reserved = 0;
	}
	/* operations that may drop our baseline names: keep those intact */
	destructive = cmd == MACH_IOC_PORT_DEALLOCATE || cmd == MACH_IOC_PORT_DESTROY ||
		      cmd == MACH_IOC_PORT_MOD_REFS || cmd == MACH_IOC_PORT_DESTRUCT ||
		      cmd == MACH_IOC_PORT_EXTRACT_RIGHT;
	if (destructive && is_baseline(w[1]))
		w[1] = 0;
	if (cmd == MACH_IOC_PORT_INSERT_RIGHT && is_baseline(w[2]))
		w[2] = 0;
	if (chance(f, 5))
		arg = (void *)(uintptr_t)bad_addr(f);

	if (!f->in_child)
		pthread_rwlock_rdlock(&maplock);
	hb_begin(f, "raw ioctl");
	ret = ioctl(mfd, cmd, arg);
	hb_end(f);
	if (!f->in_child)
		pthread_rwlock_unlock(&maplock);
	note("ioctl", ret < 0 ? -(long long)errno : ret);
	if (ret == MACH_MSG_SUCCESS && cmd == MACH_IOC_MSG && arg == argbuf) {
		struct mach_ioc_msg *m = (struct mach_ioc_msg *)argbuf;

		if ((m->option & MACH_RCV_MSG) && m->rcv_msg == (uintptr_t)f->rbuf &&
		    m->rcv_size == BUF_SZ)
			destroy_received((mach_msg_header_t *)f->rbuf, BUF_SZ);
	}
}

/* ---- the loop ------------------------------------------------------------------- */

static void fuzz_step(struct fz *f)
{
	unsigned int r = rn(f, 100);

	if (r < 45)
		op_msg(f);
	else if (r < 88)
		op_routine(f);
	else
		op_ioctl(f);
}

static uint8_t *guarded_alloc(size_t size)
{
	uint8_t *p = mmap(NULL, size + PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	mprotect(p + size, PG, PROT_NONE);
	return p;
}

static bool fz_init(struct fz *f, int tid, unsigned long long s)
{
	memset(f, 0, sizeof(*f));
	f->tid = tid;
	f->rng = s * 0x100000001b3ULL + (unsigned long long)tid * 7919;
	f->sbuf = guarded_alloc(BUF_SZ);
	f->rbuf = guarded_alloc(BUF_SZ);
	f->data = guarded_alloc(BUF_SZ);
	if (!f->sbuf || !f->rbuf || !f->data)
		return false;
	for (size_t i = 0; i < BUF_SZ; i++)
		f->data[i] = (uint8_t)i;
	return true;
}

static void fz_fini(struct fz *f)
{
	munmap(f->sbuf, BUF_SZ + PG);
	munmap(f->rbuf, BUF_SZ + PG);
	munmap(f->data, BUF_SZ + PG);
}

static void fuzz_loop(struct fz *f, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		fuzz_step(f);
		if (f->tid == 0 && i % 500 == 499)
			trim_space(f);
	}
}

/* ---- setup shared by the cases ---------------------------------------------------- */

static int find_mach_fd(void)
{
	char path[64], target[64];

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

static pthread_t wd_thread;

static bool setup(void)
{
	int n;

	self = mach_task_self();
	if (!expect_true(MACH_PORT_VALID(self), "mach_task_self"))
		return false;
	mfd = find_mach_fd();
	if (!expect_true(mfd >= 0, "libmach's /dev/mach descriptor"))
		return false;
	n = space_names(all_names, all_types, 1 << 16);
	if (!expect_true(n >= 1 && n <= 64, "baseline names"))
		return false;
	nbaseline = n;
	memcpy(baseline, all_names, n * sizeof(baseline[0]));

	pool = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ro_page = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none_page = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	arena = mmap(NULL, ARENA_PAGES * PG, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!expect_true(pool != MAP_FAILED && ro_page != MAP_FAILED &&
			 none_page != MAP_FAILED && arena != MAP_FAILED, "mmap"))
		return false;
	for (unsigned int i = 0; i < PG; i++)
		ro_page[i] = (uint8_t)(i * 7);
	mprotect(ro_page, PG, PROT_READ);
	atomic_store(&stop_watchdog, false);
	pthread_create(&wd_thread, NULL, watchdog, NULL);
	return true;
}

/* Destroy everything, then the space must hold only its baseline names. */
static void teardown_and_check(const char *label)
{
	int n = destroy_all(20);
	bool ok = n >= 0;

	atomic_store(&stop_watchdog, true);
	pthread_join(wd_thread, NULL);
	if (!expect_true(n >= 0, "mach_port_names at the end")) {
		mach_port_type_t t = 0;
		kern_return_t kr = mach_port_type(self, self, &t);

		mt_diag("%s: names failed (errno %d); task self 0x%x: %s, type 0x%x",
			label, errno, self, mach_error_string(kr), t);
	}
	for (int i = 0; i < n && i < (1 << 16); i++) {
		if (!is_baseline(all_names[i])) {
			ok = false;
			mt_diag("%s: leaked name 0x%x type 0x%x", label,
				all_names[i], all_types[i]);
		}
	}
	expect_true(ok, "only the baseline names are left");
	expect_eq(0, atomic_load(&bad_codes), "undocumented result codes");
	mt_diag("%lu calls, %u distinct return codes (%s)",
		atomic_load(&ncalls), distinct_codes(), label);
}

/* ---- case 1: one thread, replayable ------------------------------------------------ */

static void fuzz_single(void)
{
	struct fz f;

	assert_true(setup(), "setup");
	assert_true(fz_init(&f, 0, seed), "buffers");
	fuzz_loop(&f, calls_per_case);
	fz_fini(&f);
	teardown_and_check("single");
}

/* ---- case 2: four threads, and a thread destroying what they wait on ------------ */

#define NWORKERS 4
static atomic_bool stop_destroyer;

struct worker {
	pthread_t th;
	struct fz f;
	unsigned long n;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	fuzz_loop(&w->f, w->n);
	return NULL;
}

/* Make a port (sometimes in a set), let the workers wait on it, destroy it. */
static void *destroyer_main(void *arg)
{
	struct fz *f = arg;

	while (!atomic_load(&stop_destroyer)) {
		mach_port_name_t p = 0, s = 0;

		pthread_rwlock_rdlock(&maplock);
		hb_begin(f, "destroyer");
		note("destroyer allocate",
		     mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p));
		if (chance(f, 40) &&
		    mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s) == KERN_SUCCESS) {
			note("destroyer insert_member", mach_port_insert_member(self, p, s));
			hot = s;
		} else {
			hot = p;
		}
		pool_add(f, p);
		hb_end(f);
		pthread_rwlock_unlock(&maplock);
		mt_sleep_ms(rn(f, 4));
		pthread_rwlock_rdlock(&maplock);
		hb_begin(f, "destroyer destroy");
		if (chance(f, 50) && s) {
			note("destroyer destroy set", mach_port_destroy(self, s));
			note("destroyer destroy port", mach_port_destroy(self, p));
		} else {
			note("destroyer destroy port", mach_port_destroy(self, p));
			if (s)
				note("destroyer destroy set", mach_port_destroy(self, s));
		}
		hb_end(f);
		pthread_rwlock_unlock(&maplock);
	}
	return NULL;
}

/* A receiver that always blocks (10 ms) on the hot port. */
static void *blocker_main(void *arg)
{
	struct fz *f = arg;

	while (!atomic_load(&stop_destroyer)) {
		mach_msg_header_t *h = (mach_msg_header_t *)f->rbuf;
		mach_msg_return_t mr;

		pthread_rwlock_rdlock(&maplock);
		hb_begin(f, "blocked receive on the hot port");
		mr = mach_msg(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, BUF_SZ, hot, 10,
			      MACH_PORT_NULL);
		hb_end(f);
		note("blocker receive", mr);
		if (mr == MACH_MSG_SUCCESS)
			destroy_received(h, BUF_SZ);
		pthread_rwlock_unlock(&maplock);
	}
	return NULL;
}

static void fuzz_threads(void)
{
	struct worker w[NWORKERS];
	struct fz fd, fb;
	pthread_t td, tb;

	assert_true(setup(), "setup");
	assert_true(fz_init(&fd, NWORKERS, seed ^ 0xd00d), "buffers");
	assert_true(fz_init(&fb, NWORKERS + 1, seed ^ 0xb10c), "buffers");
	atomic_store(&stop_destroyer, false);
	for (int i = 0; i < NWORKERS; i++) {
		assert_true(fz_init(&w[i].f, i, seed + 1000 + i), "buffers");
		w[i].n = calls_per_case / NWORKERS;
	}
	pthread_create(&td, NULL, destroyer_main, &fd);
	pthread_create(&tb, NULL, blocker_main, &fb);
	for (int i = 0; i < NWORKERS; i++)
		pthread_create(&w[i].th, NULL, worker_main, &w[i]);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(w[i].th, NULL);
	atomic_store(&stop_destroyer, true);
	pthread_join(td, NULL);
	pthread_join(tb, NULL);
	teardown_and_check("threads");
}

/* ---- case 3: children that hold our rights and die by SIGKILL ---------------------- */

/*
 * The child gets our task port, takes rights out of our space (send,
 * send-once, receive), puts its own rights into it, sends us messages
 * carrying its receive rights, asks for notifications, and fuzzes its own
 * space meanwhile, until the parent kills it.
 */
static void child_main(struct fz *f, pid_t parent)
{
	mach_port_t ptask = 0;
	mach_port_t mine[8] = { 0 };

	f->in_child = true;
	/* our own copy of the parent's names: ours must not leak into its pool */
	{
		_Atomic mach_port_name_t *mine_pool = malloc(POOL * sizeof(*pool));

		if (mine_pool) {
			memcpy((void *)mine_pool, (void *)pool, POOL * sizeof(*pool));
			pool = mine_pool;
		}
	}
	self = mach_task_self();
	mfd = find_mach_fd();
	nbaseline = 0;
	if (task_for_pid(self, parent, &ptask) != KERN_SUCCESS)
		ptask = 0;
	for (int i = 0; i < 8; i++)
		mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &mine[i]);
	for (;;) {
		mach_port_name_t pn = pool[rn(f, POOL)], got = 0;
		mach_msg_type_name_t gt;
		mach_port_t m = mine[rn(f, 8)];

		switch (rn(f, 8)) {
		case 0:
		case 1:
			if (ptask && MACH_PORT_VALID(pn))
				mach_port_extract_right(ptask, pn, pick_disp(f), &got, &gt);
			break;
		case 2:
			if (ptask)
				mach_port_insert_right(ptask,
					((0x3000 + rn(f, 0x1000)) << 8) | 3, m,
					16 + rn(f, 6));
			break;
		case 3: {
			/* move one of our receive rights into a port of the parent */
			struct {
				mach_msg_header_t h;
				mach_msg_body_t b;
				mach_msg_port_descriptor_t d;
			} msg;
			mach_port_t nr = 0;

			if (!ptask || !MACH_PORT_VALID(pn) ||
			    mach_port_extract_right(ptask, pn, MACH_MSG_TYPE_MAKE_SEND,
						    &got, &gt) != KERN_SUCCESS)
				break;
			mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &nr);
			memset(&msg, 0, sizeof(msg));
			msg.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MOVE_SEND, 0, 0,
							     MACH_MSGH_BITS_COMPLEX);
			msg.h.msgh_size = sizeof(msg);
			msg.h.msgh_remote_port = got;
			msg.b.msgh_descriptor_count = 1;
			msg.d.name = nr;
			msg.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
			msg.d.type = MACH_MSG_PORT_DESCRIPTOR;
			mach_msg(&msg.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(msg), 0,
				 0, 0, 0);
			break;
		}
		case 4: {
			mach_port_t prev;

			if (ptask && MACH_PORT_VALID(pn))
				mach_port_request_notification(ptask, pn,
					MACH_NOTIFY_DEAD_NAME + rn(f, 2) * 4, 1, m,
					MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
			break;
		}
		default:
			fuzz_step(f);
			break;
		}
	}
}

static void fuzz_fork_kill(void)
{
	struct worker w[2];
	struct fz f;
	unsigned long nchildren = calls_per_case / 500 + 4;
	pid_t parent = getpid();

	assert_true(setup(), "setup");
	assert_true(fz_init(&f, 2, seed ^ 0xf0f0), "buffers");
	for (int i = 0; i < 2; i++) {
		assert_true(fz_init(&w[i].f, i, seed + 2000 + i), "buffers");
		w[i].n = calls_per_case / 4;
	}
	/* something in the pool for the first children */
	for (int i = 0; i < 8; i++) {
		mach_port_name_t p;

		if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &p) == KERN_SUCCESS)
			pool_add(&f, p);
	}
	for (int i = 0; i < 2; i++)
		pthread_create(&w[i].th, NULL, worker_main, &w[i]);
	for (unsigned long c = 0; c < nchildren; c++) {
		pid_t pid;
		unsigned long long cs = rnd(&f);

		hb_begin(&f, "fork");
		pid = fork();
		if (pid == 0) {
			struct fz cf;

			signal(SIGALRM, SIG_DFL);
			alarm(30);
			if (!fz_init(&cf, 7, cs))
				_exit(0);
			child_main(&cf, parent);
			_exit(0);
		}
		hb_end(&f);
		if (!expect_true(pid > 0, "fork"))
			break;
		mt_sleep_ms(rn(&f, 40));
		kill(pid, SIGKILL);
		hb_begin(&f, "reaping a SIGKILLed child (its space teardown)");
		expect_true(mt_wait(pid, HANG_MS) >= 0, "killed child reaped");
		hb_end(&f);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(w[i].th, NULL);
	fz_fini(&f);
	teardown_and_check("fork_kill");
}

/* ---- main ------------------------------------------------------------------------------ */

static const struct mt_case cases[] = {
	MT_CASE_T(fuzz_single, 600),
	MT_CASE_T(fuzz_threads, 600),
	MT_CASE_T(fuzz_fork_kill, 600),
};

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : getenv("MACH_FUZZ_SEED");
	const char *c = getenv("MACH_FUZZ_CALLS");
	char line[64];
	int len;

	seed = s && *s ? strtoull(s, NULL, 0) :
	       (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 16);
	if (c && *c)
		calls_per_case = strtoul(c, NULL, 0);
	/* first, in one write, so a failing run can always be replayed */
	len = snprintf(line, sizeof(line), "# seed %llu\n", seed);
	if (write(STDOUT_FILENO, line, len) < 0)
		return 1;
	return MT_RUN(cases);
}
