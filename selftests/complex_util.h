/* SPDX-License-Identifier: GPL-2.0 */
/*
 * complex_util.h - helpers shared by the complex-message tests
 * (complex_*.c): build a complex message descriptor by descriptor, walk
 * the descriptors of a received one, fill and check memory with a
 * position-dependent pattern, ask whether pages are mapped, and get a
 * name that holds a send right only.
 *
 * Header-only (static inline) so the Makefile needs no extra object.
 *
 * Descriptor layouts are XNU's LP64 user layouts (osfmk/mach/message.h,
 * ikm_user_desc_size() in osfmk/ipc/ipc_kmsg.c): port 12 bytes; OOL,
 * OOL ports and guarded port 16 bytes; mach_msg_base_t 28 bytes.
 */
#ifndef COMPLEX_UTIL_H
#define COMPLEX_UTIL_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg_util.h"

_Static_assert(sizeof(mach_msg_base_t) == 28, "LP64 base");
_Static_assert(sizeof(mach_msg_port_descriptor_t) == 12, "port descriptor");
_Static_assert(sizeof(mach_msg_ool_descriptor_t) == 16, "OOL descriptor");
_Static_assert(sizeof(mach_msg_ool_ports_descriptor_t) == 16, "OOL ports descriptor");
_Static_assert(sizeof(mach_msg_guarded_port_descriptor_t) == 16, "guarded descriptor");

#define CX_MSG_MAX	(48 * 1024)
#define CX_NO_MISMATCH	((size_t)-1)

/* A complex message under construction. */
struct cx_msg {
	mach_msg_size_t len;		/* bytes used so far */
	mach_msg_size_t ndesc;		/* descriptors added so far */
	union {
		mach_msg_base_t base;
		uint64_t align;
		uint8_t bytes[CX_MSG_MAX];
	} u;
};

/* Receive buffer for complex messages, with room for any trailer. */
struct cx_rcv {
	mach_msg_header_t hdr;
	uint8_t body[CX_MSG_MAX];
	mach_msg_max_trailer_t trailer_room;
};

static inline void cx_begin(struct cx_msg *m, mach_port_t dest,
			    mach_msg_type_name_t dest_disp, mach_msg_id_t id)
{
	memset(&m->u.base, 0, sizeof(m->u.base));
	m->u.base.header.msgh_bits = MACH_MSGH_BITS(dest_disp, 0) |
				     MACH_MSGH_BITS_COMPLEX;
	m->u.base.header.msgh_remote_port = dest;
	m->u.base.header.msgh_id = id;
	m->len = sizeof(mach_msg_base_t);
	m->ndesc = 0;
}

/* Append raw bytes (a descriptor or inline data). */
static inline void cx_put(struct cx_msg *m, const void *p, size_t n)
{
	if (m->len + n > sizeof(m->u.bytes)) {
		mt_diag("cx_put: message buffer overflow");
		abort();
	}
	memcpy(m->u.bytes + m->len, p, n);
	m->len += (mach_msg_size_t)n;
}

/* Append a descriptor of n bytes and count it. */
static inline void cx_put_desc(struct cx_msg *m, const void *d, size_t n)
{
	cx_put(m, d, n);
	m->ndesc++;
}

static inline void cx_add_port(struct cx_msg *m, mach_port_t name,
			       mach_msg_type_name_t disp)
{
	mach_msg_port_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.name = name;
	d.disposition = disp;
	d.type = MACH_MSG_PORT_DESCRIPTOR;
	cx_put_desc(m, &d, sizeof(d));
}

static inline void cx_add_ool(struct cx_msg *m, const void *addr,
			      mach_msg_size_t size, unsigned int copy,
			      boolean_t dealloc)
{
	mach_msg_ool_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.address = (void *)(uintptr_t)addr;
	d.size = size;
	d.copy = copy;
	d.deallocate = dealloc;
	d.type = MACH_MSG_OOL_DESCRIPTOR;
	cx_put_desc(m, &d, sizeof(d));
}

static inline void cx_add_ool_ports(struct cx_msg *m, const void *addr,
				    mach_msg_size_t count,
				    mach_msg_type_name_t disp, unsigned int copy,
				    boolean_t dealloc)
{
	mach_msg_ool_ports_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.address = (void *)(uintptr_t)addr;
	d.count = count;
	d.disposition = disp;
	d.copy = copy;
	d.deallocate = dealloc;
	d.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	cx_put_desc(m, &d, sizeof(d));
}

static inline mach_msg_header_t *cx_finish(struct cx_msg *m)
{
	m->u.base.body.msgh_descriptor_count = m->ndesc;
	m->u.base.header.msgh_size = m->len;
	return &m->u.base.header;
}

/* Send m as built (MACH_SEND_TIMEOUT always set). */
static inline mach_msg_return_t cx_send(struct cx_msg *m, mach_msg_timeout_t timeout)
{
	mach_msg_header_t *h = cx_finish(m);

	return mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m->len, 0,
			MACH_PORT_NULL, timeout, MACH_PORT_NULL);
}

static inline mach_msg_return_t cx_recv_sized(mach_port_t port, struct cx_rcv *r,
					      mach_msg_size_t size,
					      mach_msg_option_t extra,
					      mach_msg_timeout_t timeout)
{
	memset(&r->hdr, 0, sizeof(r->hdr));
	return mach_msg(&r->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0,
			size, port, timeout, MACH_PORT_NULL);
}

static inline mach_msg_return_t cx_recv(mach_port_t port, struct cx_rcv *r,
					mach_msg_timeout_t timeout)
{
	return cx_recv_sized(port, r, sizeof(*r), 0, timeout);
}

/* --- received descriptors ---------------------------------------------- */

static inline size_t cx_desc_size(unsigned int type)
{
	return type == MACH_MSG_PORT_DESCRIPTOR ? 12 : 16;
}

static inline mach_msg_size_t cx_count(const mach_msg_header_t *h)
{
	return ((const mach_msg_base_t *)h)->body.msgh_descriptor_count;
}

/* Descriptor i of a received complex message (walked by type sizes). */
static inline const void *cx_desc(const mach_msg_header_t *h, unsigned int i)
{
	const uint8_t *p = (const uint8_t *)h + sizeof(mach_msg_base_t);

	for (unsigned int k = 0; k < i; k++)
		p += cx_desc_size(((const mach_msg_type_descriptor_t *)p)->type);
	return p;
}

static inline const mach_msg_port_descriptor_t *cx_port_desc(const mach_msg_header_t *h,
							     unsigned int i)
{
	return cx_desc(h, i);
}

static inline const mach_msg_ool_descriptor_t *cx_ool_desc(const mach_msg_header_t *h,
							   unsigned int i)
{
	return cx_desc(h, i);
}

static inline const mach_msg_ool_ports_descriptor_t *
cx_ool_ports_desc(const mach_msg_header_t *h, unsigned int i)
{
	return cx_desc(h, i);
}

/* The header and descriptor count of a received complex message. */
static inline bool cx_expect_complex(const mach_msg_header_t *h,
				     mach_msg_size_t size, mach_msg_size_t count)
{
	bool ok = expect_true(h->msgh_bits & MACH_MSGH_BITS_COMPLEX, "complex bit");

	ok &= expect_eq(size, h->msgh_size, "msgh_size (LP64 user layout)");
	ok &= expect_eq(count, cx_count(h), "msgh_descriptor_count");
	return ok;
}

/* --- memory ------------------------------------------------------------- */

static inline uint8_t cx_byte(uint32_t seed, size_t i)
{
	uint32_t x = (uint32_t)i * 2654435761u + seed * 40503u + (uint32_t)(i >> 32);

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return (uint8_t)x;
}

static inline void cx_fill(void *p, size_t size, uint32_t seed)
{
	uint8_t *b = p;

	for (size_t i = 0; i < size; i++)
		b[i] = cx_byte(seed, i);
}

/* Offset of the first byte that breaks the pattern, or CX_NO_MISMATCH. */
static inline size_t cx_check(const void *p, size_t size, uint32_t seed)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < size; i++)
		if (b[i] != cx_byte(seed, i))
			return i;
	return CX_NO_MISMATCH;
}

static inline uintptr_t cx_page_mask(void)
{
	return (uintptr_t)sysconf(_SC_PAGESIZE) - 1;
}

static inline bool cx_page_mapped(uintptr_t a)
{
	unsigned char v;

	return mincore((void *)(a & ~cx_page_mask()), 1, &v) == 0;
}

/* Every page touching [addr, addr + size) is mapped. */
static inline bool cx_range_mapped(const void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr & ~cx_page_mask();
	uintptr_t end = (uintptr_t)addr + (size ? size : 1);

	for (; a < end; a += cx_page_mask() + 1)
		if (!cx_page_mapped(a))
			return false;
	return true;
}

/* No page touching [addr, addr + size) is mapped. */
static inline bool cx_range_unmapped(const void *addr, size_t size)
{
	uintptr_t a = (uintptr_t)addr & ~cx_page_mask();
	uintptr_t end = (uintptr_t)addr + (size ? size : 1);

	for (; a < end; a += cx_page_mask() + 1)
		if (cx_page_mapped(a))
			return false;
	return true;
}

/* vm_allocate()d, zero-filled memory; NULL and a failed check on error. */
static inline void *cx_alloc(size_t size)
{
	vm_address_t a = 0;

	if (!expect_kr(KERN_SUCCESS,
		       vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE),
		       "vm_allocate"))
		return NULL;
	return (void *)a;
}

/* An address range that is certainly not mapped (reserved, then unmapped). */
static inline void *cx_hole(size_t size)
{
	void *p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!expect_true(p != MAP_FAILED, "mmap"))
		return NULL;
	munmap(p, size);
	return p;
}

/* --- rights ------------------------------------------------------------- */

/* A name for a port with receive and send rights, urefs send urefs. */
static inline mach_port_t cx_port_send_refs(mach_port_urefs_t urefs)
{
	mach_port_t name = mu_port_send();

	if (name != MACH_PORT_NULL && urefs > 1)
		expect_kr(KERN_SUCCESS,
			  mach_port_mod_refs(mach_task_self(), name,
					     MACH_PORT_RIGHT_SEND,
					     (mach_port_delta_t)urefs - 1),
			  "mach_port_mod_refs(SEND)");
	return name;
}

/* A send-once right to port, under a name of its own. */
static inline mach_port_t cx_send_once(mach_port_t port)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t acquired = 0;

	expect_kr(KERN_SUCCESS,
		  mach_port_extract_right(mach_task_self(), port,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &acquired),
		  "mach_port_extract_right(MAKE_SEND_ONCE)");
	return so;
}

/* A dead name with urefs user references (its port is destroyed). */
static inline mach_port_t cx_dead_name(mach_port_urefs_t urefs)
{
	mach_port_t name = cx_port_send_refs(urefs);

	if (name != MACH_PORT_NULL)
		expect_kr(KERN_SUCCESS,
			  mach_port_mod_refs(mach_task_self(), name,
					     MACH_PORT_RIGHT_RECEIVE, -1),
			  "destroy the receive right");
	return name;
}

/*
 * Start a process that finds port as its bootstrap port (a send right),
 * as XNU's fork does; see msg_simple.c.  Returns the pid (child: 0).
 */
static inline pid_t cx_fork_bootstrap(mach_port_t port)
{
	if (!expect_kr(KERN_SUCCESS,
		       task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port),
		       "task_set_special_port(BOOTSTRAP)"))
		return -1;
	return mt_fork();
}

static inline mach_port_t cx_bootstrap(void)
{
	mach_port_t bp = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS,
		  task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp),
		  "task_get_special_port(BOOTSTRAP)");
	return bp;
}

/*
 * A name under which we hold a send right only: the receive right lives in
 * a helper process, which hands us the send right as the reply port of a
 * simple message and keeps the port alive until we exit (it then reads EOF
 * on a pipe).  MACH_PORT_NULL and a failed check on error.
 */
static inline mach_port_t cx_send_only_name(void)
{
	mach_port_t inbox = mu_port_send(), got = MACH_PORT_NULL;
	struct mu_rcv r;
	int hold[2];
	pid_t pid;

	if (inbox == MACH_PORT_NULL || !expect_eq(0, pipe(hold), "pipe"))
		return MACH_PORT_NULL;
	pid = cx_fork_bootstrap(inbox);
	if (pid == 0) {
		mach_port_t bp = cx_bootstrap(), mine = mu_port();
		char c;

		close(hold[1]);
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(bp, MACH_MSG_TYPE_COPY_SEND, mine,
				  MACH_MSG_TYPE_MAKE_SEND, 0x5e, 0, 0, 0, MU_WAIT_MS),
			  "helper: hand over a send right");
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		mt_child_exit();
	}
	close(hold[0]);		/* hold[1] stays open for our whole life */
	if (!expect_true(pid > 0, "fork helper"))
		return MACH_PORT_NULL;
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(inbox, &r, 0, MU_WAIT_MS),
		      "receive the helper's send right"))
		got = r.hdr.msgh_remote_port;
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(got), "a send right only");
	return got;
}

#endif /* COMPLEX_UTIL_H */
