// SPDX-License-Identifier: GPL-2.0
/*
 * complex_malformed - a table of malformed complex messages.  Each row is
 * its own TAP test point (own process): it builds one message, sends it
 * and checks
 *   - the exact return code,
 *   - that every right the sender holds is exactly as before: for each name
 *     involved, mach_port_type, the urefs of each right, and for receive
 *     rights msgcount/srights/sorights; and that no name appeared or left,
 *   - that the sender's memory is as before: the OOL buffer still mapped
 *     and unchanged even when the row asked for deallocate = TRUE, the
 *     names array unchanged,
 *   - that nothing was queued on the destination.
 *
 * Where the code comes from in current XNU (xnu-11417 and later; earlier
 * releases noted where they differ):
 *   [TRAP]    osfmk/ipc/mach_msg.c mach_msg_trap_send(): send size below the
 *             header or not a multiple of 4, complex with a size below
 *             mach_msg_base_t, or more descriptors than
 *             (size - sizeof(base)) / 12 -> MACH_SEND_MSG_TOO_SMALL.
 *   [MEASURE] osfmk/ipc/ipc_kmsg.c ipc_kmsg_measure_descriptors_from_user():
 *             walks the claimed descriptors over the bytes sent; running
 *             out -> MACH_SEND_MSG_TOO_SMALL; a type other than port, OOL,
 *             OOL ports, OOL volatile, guarded port -> MACH_SEND_INVALID_TYPE.
 *             Runs before the header rights are copied in (as did
 *             ikm_check_descriptors() in xnu-10002).
 *   [INFLATE] ipc_kmsg_inflate_*_descriptor(): OOL copy option other than
 *             PHYSICAL/VIRTUAL -> MACH_SEND_INVALID_TYPE; a guarded port
 *             descriptor whose disposition is not MOVE_RECEIVE or whose
 *             flags are 0/unknown -> MACH_SEND_INVALID_TYPE.  (Before
 *             xnu-10002 these were checked in the first pass of
 *             ipc_kmsg_copyin_body(), also before any right moved.)
 *   [SCHEMA]  osfmk/ipc/ipc_policy.c ipc_validate_kmsg_schema_from_user():
 *             more than IPC_KMSG_MAX_OOL_PORT_COUNT (16383) rights ->
 *             MACH_SEND_TOO_LARGE; physical-copy charge (PHYSICAL_COPY, not
 *             deallocated, larger than msg_ool_size_small, page-rounded)
 *             above ipc_kmsg_max_vm_space (7 MiB) -> MACH_MSG_VM_KERNEL.
 *   [HEADER]  ipc_kmsg_copyin_header(): bad destination -> MACH_SEND_INVALID_DEST;
 *             runs after the checks above and before the body.
 *   [RIGHT]   ipc_kmsg_copyin_port_descriptor()/_ool_ports_descriptor() ->
 *             ipc_object_copyin() -> ipc_right_copyin(): a name not in the
 *             space (KERN_INVALID_NAME), the wrong right, or a disposition
 *             ipc_right_copyin() does not know (default: KERN_INVALID_RIGHT)
 *             -> MACH_SEND_INVALID_RIGHT.  Descriptors are copied in order.
 *   [MEMORY]  ipc_kmsg_copyin_ool_descriptor(): vm_map_copyin() or
 *             mach_copyin() failing -> MACH_SEND_INVALID_MEMORY;
 *             ipc_kmsg_copyin_ool_ports_descriptor(): the names array
 *             cannot be read -> MACH_SEND_INVALID_MEMORY.
 *
 * All-or-nothing (a choice of this implementation, checked here): XNU
 * destroys the rights and memory copied in before a body error
 * (ipc_kmsg_clean_header + ipc_kmsg_clean_descriptors: a moved destination
 * right, earlier moved rights and deallocated regions are lost, and an OOL
 * ports array with deallocate = TRUE is freed before its names are copied
 * in); this implementation leaves the sender exactly as it was.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "complex_util.h"

#define ID		0x6500
#define BOGUS_NAME	0x7ffe0203u	/* never allocated in a fresh space */
#define MIB		(1024u * 1024u)
#define BUF_PAGES	3

enum { NEED_X = 1, NEED_BIG = 2 };

struct env {
	mach_port_t dest;	/* receive right only: the destination (MAKE_SEND) */
	mach_port_t r;		/* receive right only */
	mach_port_t r2;		/* receive right only */
	mach_port_t s;		/* receive + send, 2 urefs */
	mach_port_t s1;		/* receive + send, 1 uref */
	mach_port_t so;		/* send-once right to r */
	mach_port_t dn;		/* dead name, 1 uref */
	mach_port_t x;		/* send right only (NEED_X) */
	size_t page;
	uint8_t *buf;		/* BUF_PAGES pages of pattern */
	mach_port_t *names;	/* a page for OOL ports arrays */
	uint8_t *hole;		/* 3 pages: read-only, unmapped, read-only */
	uint8_t *unmapped;	/* 1 MiB not mapped */
	uint8_t *none;		/* a PROT_NONE page */
	uint8_t *edge;		/* a mapped page followed by an unmapped one */
	uint8_t *big;		/* 8 MiB (NEED_BIG) */
	/* set by a builder to send something other than what it built */
	bool set_count;
	mach_msg_size_t count;
	mach_msg_size_t send_size;
};

struct row {
	const char *name;
	void (*build)(struct env *e, struct cx_msg *m);
	mach_msg_return_t expect;
	unsigned int flags;
};

/* --- builders ----------------------------------------------------------- */

static void set_dest(struct cx_msg *m, mach_port_t name, mach_msg_type_name_t disp)
{
	m->u.base.header.msgh_remote_port = name;
	m->u.base.header.msgh_bits = MACH_MSGH_BITS(disp, 0) | MACH_MSGH_BITS_COMPLEX;
}

/* A 12-byte descriptor with an arbitrary type byte. */
static void add_typed(struct cx_msg *m, mach_port_t name, unsigned int type)
{
	mach_msg_port_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.name = name;
	d.disposition = MACH_MSG_TYPE_COPY_SEND;
	d.type = type;
	cx_put_desc(m, &d, sizeof(d));
}

static void add_guarded(struct cx_msg *m, mach_port_t name, mach_msg_type_name_t disp,
			unsigned int flags)
{
	mach_msg_guarded_port_descriptor_t d;

	memset(&d, 0, sizeof(d));
	d.name = name;
	d.disposition = disp;
	d.flags = flags;
	d.context = 0;
	d.type = MACH_MSG_GUARDED_PORT_DESCRIPTOR;
	cx_put_desc(m, &d, sizeof(d));
}

/* sizes and counts */
static void b_header_only(struct env *e, struct cx_msg *m)
{
	e->send_size = sizeof(mach_msg_header_t);
	(void)m;
}

static void b_count1_no_room(struct env *e, struct cx_msg *m)
{
	(void)m;
	e->set_count = true;
	e->count = 1;
}

static void b_count2_one_desc(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_COPY_SEND);
	e->set_count = true;
	e->count = 2;
}

static void b_count_ffffffff(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_COPY_SEND);
	e->set_count = true;
	e->count = 0xffffffffu;
}

static void b_count_80000000(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_COPY_SEND);
	e->set_count = true;
	e->count = 0x80000000u;
}

/* 0x15555556 * 12 wraps to 8 in 32 bits. */
static void b_count_mul_wraps(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_COPY_SEND);
	e->set_count = true;
	e->count = 0x15555556u;
}

static void b_truncated_ool(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 100, MACH_MSG_VIRTUAL_COPY, FALSE);
	e->send_size = m->len - 4;
}

static void b_truncated_second(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_ool(m, e->buf, 100, MACH_MSG_PHYSICAL_COPY, TRUE);
	e->send_size = m->len - 4;
}

static void b_truncated_ool_ports(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 1, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_PHYSICAL_COPY,
			 FALSE);
	e->send_size = m->len - 4;
}

/* descriptor types */
static void b_type5(struct env *e, struct cx_msg *m)	{ add_typed(m, e->s, 5); }
static void b_type8(struct env *e, struct cx_msg *m)	{ add_typed(m, e->s, 8); }
static void b_type80(struct env *e, struct cx_msg *m)	{ add_typed(m, e->s, 0x80); }
static void b_typeff(struct env *e, struct cx_msg *m)	{ add_typed(m, e->s, 0xff); }

static void b_type_after_rights(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE);
	add_typed(m, e->s, 6);
}

static void b_type_and_bad_dest(struct env *e, struct cx_msg *m)
{
	set_dest(m, BOGUS_NAME, MACH_MSG_TYPE_COPY_SEND);
	add_typed(m, e->s, 5);
}

static void b_guarded_move_receive(struct env *e, struct cx_msg *m)
{
	add_guarded(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE,
		    MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
}

static void b_guarded_copy_send(struct env *e, struct cx_msg *m)
{
	add_guarded(m, e->s, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_GUARD_FLAGS_IMMOVABLE_RECEIVE);
}

static void b_guarded_no_flags(struct env *e, struct cx_msg *m)
{
	add_guarded(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE, 0);
}

/* port descriptor dispositions */
static void b_disp0(struct env *e, struct cx_msg *m)	{ cx_add_port(m, e->s, 0); }
static void b_disp15(struct env *e, struct cx_msg *m)	{ cx_add_port(m, e->s, 15); }
static void b_disp16(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->r, MACH_MSG_TYPE_COPY_RECEIVE);
}
static void b_disp18(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->r, MACH_MSG_TYPE_DISPOSE_RECEIVE);
}
static void b_disp19(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_DISPOSE_SEND);
}
static void b_disp1a(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->so, MACH_MSG_TYPE_DISPOSE_SEND_ONCE);
}
static void b_disp99(struct env *e, struct cx_msg *m)	{ cx_add_port(m, e->s, 0x99); }

/* wrong rights */
static void b_copy_send_recv_only(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->r, MACH_MSG_TYPE_COPY_SEND);
}
static void b_move_send_recv_only(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->r, MACH_MSG_TYPE_MOVE_SEND);
}
static void b_make_send_send_only(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->x, MACH_MSG_TYPE_MAKE_SEND);
}
static void b_make_so_send_only(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->x, MACH_MSG_TYPE_MAKE_SEND_ONCE);
}
static void b_move_recv_send_only(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->x, MACH_MSG_TYPE_MOVE_RECEIVE);
}
static void b_move_so_on_send(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_MOVE_SEND_ONCE);
}
static void b_copy_send_on_so(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->so, MACH_MSG_TYPE_COPY_SEND);
}
static void b_move_send_on_so(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->so, MACH_MSG_TYPE_MOVE_SEND);
}
static void b_make_send_dead(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->dn, MACH_MSG_TYPE_MAKE_SEND);
}
static void b_move_recv_dead(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->dn, MACH_MSG_TYPE_MOVE_RECEIVE);
}
static void b_name_not_held(struct env *e, struct cx_msg *m)
{
	(void)e;
	cx_add_port(m, BOGUS_NAME, MACH_MSG_TYPE_COPY_SEND);
}
static void b_move_send_twice(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s1, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(m, e->s1, MACH_MSG_TYPE_MOVE_SEND);
}
static void b_move_recv_twice(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_port(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE);
}
static void b_move_so_twice(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->so, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	cx_add_port(m, e->so, MACH_MSG_TYPE_MOVE_SEND_ONCE);
}
static void b_bad_after_good(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->r, MACH_MSG_TYPE_MAKE_SEND);
	cx_add_port(m, e->s, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(m, e->r2, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cx_add_port(m, e->r2, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_port(m, e->so, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	cx_add_port(m, BOGUS_NAME, MACH_MSG_TYPE_COPY_SEND);
}
static void b_bad_after_dealloc_ool(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, (mach_msg_size_t)(2 * e->page), MACH_MSG_VIRTUAL_COPY, TRUE);
	cx_add_ool(m, e->buf + 10, 100, MACH_MSG_PHYSICAL_COPY, TRUE);
	cx_add_port(m, e->r, MACH_MSG_TYPE_COPY_SEND);
}
static void b_move_dest_bad_body(struct env *e, struct cx_msg *m)
{
	set_dest(m, e->s, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(m, e->r, MACH_MSG_TYPE_COPY_SEND);
}
static void b_bad_dest_good_body(struct env *e, struct cx_msg *m)
{
	set_dest(m, BOGUS_NAME, MACH_MSG_TYPE_COPY_SEND);
	cx_add_port(m, e->s, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_ool(m, e->buf, 100, MACH_MSG_VIRTUAL_COPY, TRUE);
}

/* OOL memory */
static void b_ool_unmapped_page(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->unmapped, (mach_msg_size_t)e->page, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ool_unmapped_1mib(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->unmapped, MIB, MACH_MSG_VIRTUAL_COPY, FALSE);
}
static void b_ool_null(struct env *e, struct cx_msg *m)
{
	(void)e;
	cx_add_ool(m, NULL, 100, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ool_hole_physical(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->hole, (mach_msg_size_t)(3 * e->page), MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ool_hole_virtual(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->hole, (mach_msg_size_t)(3 * e->page), MACH_MSG_VIRTUAL_COPY, FALSE);
}
static void b_ool_hole_dealloc(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->hole + 8, (mach_msg_size_t)(3 * e->page - 16),
		   MACH_MSG_VIRTUAL_COPY, TRUE);
}
static void b_ool_prot_none_physical(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->none, 64, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ool_prot_none_virtual(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->none, (mach_msg_size_t)e->page, MACH_MSG_VIRTUAL_COPY, FALSE);
}
static void b_ool_huge_virtual(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 0xffffffffu, MACH_MSG_VIRTUAL_COPY, FALSE);
}
static void b_ool_huge_physical(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 0xffffffffu, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ool_huge_dealloc(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 0xffffffffu, MACH_MSG_PHYSICAL_COPY, TRUE);
}
static void b_ool_addr_wraps(struct env *e, struct cx_msg *m)
{
	(void)e;
	cx_add_ool(m, (void *)(uintptr_t)0xfffffffffffff000ull, 0x2000,
		   MACH_MSG_VIRTUAL_COPY, FALSE);
}
static void b_ool_kernel_addr(struct env *e, struct cx_msg *m)
{
	(void)e;
	cx_add_ool(m, (void *)(uintptr_t)0xffff800000000000ull, 4096,
		   MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ool_copy2(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 100, MACH_MSG_ALLOCATE, FALSE);
}
static void b_ool_copy3(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 100, MACH_MSG_OVERWRITE, FALSE);
}
static void b_ool_copy7(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, 100, 7, TRUE);
}
static void b_ool_copyff(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->buf, (mach_msg_size_t)e->page, 0xff, FALSE);
}
static void b_ool_copy_after_rights(struct env *e, struct cx_msg *m)
{
	cx_add_port(m, e->s, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(m, e->r, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_ool(m, e->buf, 100, MACH_MSG_ALLOCATE, FALSE);
}
static void b_ool_physical_over_limit(struct env *e, struct cx_msg *m)
{
	cx_add_ool(m, e->big, 4 * MIB, MACH_MSG_PHYSICAL_COPY, FALSE);
	cx_add_ool(m, e->big + 4 * MIB, 4 * MIB, MACH_MSG_PHYSICAL_COPY, FALSE);
}

/* OOL ports */
static void b_ports_count_huge(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 0xffffffffu, MACH_MSG_TYPE_COPY_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_count_16384(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 16384, MACH_MSG_TYPE_COPY_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_total_over(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 10000, MACH_MSG_TYPE_COPY_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
	cx_add_ool_ports(m, e->names, 10000, MACH_MSG_TYPE_COPY_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_unmapped(struct env *e, struct cx_msg *m)
{
	cx_add_ool_ports(m, e->unmapped, 4, MACH_MSG_TYPE_COPY_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_null(struct env *e, struct cx_msg *m)
{
	(void)e;
	cx_add_ool_ports(m, NULL, 1, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_edge(struct env *e, struct cx_msg *m)
{
	cx_add_ool_ports(m, e->edge + e->page - 8, 4, MACH_MSG_TYPE_COPY_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_bad_middle(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	e->names[1] = e->s;
	e->names[2] = BOGUS_NAME;
	e->names[3] = e->s;
	cx_add_ool_ports(m, e->names, 4, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY,
			 FALSE);
}
static void b_ports_move_twice(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s1;
	e->names[1] = e->s1;
	cx_add_ool_ports(m, e->names, 2, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_PHYSICAL_COPY,
			 FALSE);
}
static void b_ports_disp99(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 1, 0x99, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_disp0(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 1, 0, MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_dispose_send(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	cx_add_ool_ports(m, e->names, 1, MACH_MSG_TYPE_DISPOSE_SEND,
			 MACH_MSG_PHYSICAL_COPY, FALSE);
}
static void b_ports_recv_only(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->r;
	cx_add_ool_ports(m, e->names, 1, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY,
			 FALSE);
}
static void b_ports_dealloc_bad(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->s;
	e->names[1] = BOGUS_NAME;
	cx_add_ool_ports(m, e->names, 2, MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_PHYSICAL_COPY,
			 TRUE);
}
static void b_ports_then_bad_port(struct env *e, struct cx_msg *m)
{
	e->names[0] = e->r;
	e->names[1] = e->r2;
	cx_add_ool_ports(m, e->names, 2, MACH_MSG_TYPE_MOVE_RECEIVE,
			 MACH_MSG_VIRTUAL_COPY, TRUE);
	cx_add_port(m, e->dn, MACH_MSG_TYPE_MAKE_SEND_ONCE);
}

/* --- the table ---------------------------------------------------------- */

static const struct row rows[] = {
	/* [TRAP] complex but shorter than mach_msg_base_t */
	{ "complex_header_only", b_header_only, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [TRAP] count 1 > (28 - 28) / 12 */
	{ "count1_no_room", b_count1_no_room, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [TRAP] count 2 > (40 - 28) / 12 */
	{ "count_larger_than_message", b_count2_one_desc, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [TRAP] */
	{ "count_0xffffffff", b_count_ffffffff, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [TRAP] */
	{ "count_0x80000000", b_count_80000000, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [TRAP] count * 12 wraps to 8 in 32 bits; XNU divides instead */
	{ "count_times_size_wraps", b_count_mul_wraps, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [MEASURE] a 16-byte OOL descriptor with 12 bytes sent */
	{ "truncated_ool_descriptor", b_truncated_ool, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [MEASURE] port descriptor fits, the OOL after it does not */
	{ "truncated_second_descriptor", b_truncated_second, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [MEASURE] */
	{ "truncated_ool_ports_descriptor", b_truncated_ool_ports, MACH_SEND_MSG_TOO_SMALL, 0 },
	/* [MEASURE] ipc_kmsg_user_desc_type_is_valid() */
	{ "type_5", b_type5, MACH_SEND_INVALID_TYPE, 0 },
	{ "type_8", b_type8, MACH_SEND_INVALID_TYPE, 0 },
	{ "type_0x80", b_type80, MACH_SEND_INVALID_TYPE, 0 },
	{ "type_0xff", b_typeff, MACH_SEND_INVALID_TYPE, 0 },
	/* [MEASURE] before any descriptor's right is copied in */
	{ "type_6_after_moved_rights", b_type_after_rights, MACH_SEND_INVALID_TYPE, 0 },
	/*
	 * [MEASURE] before [HEADER].  Ambiguous across releases: before
	 * xnu-10002 the header was copied in first (MACH_SEND_INVALID_DEST);
	 * current XNU measures descriptors first.
	 */
	{ "type_5_and_bad_destination", b_type_and_bad_dest, MACH_SEND_INVALID_TYPE, 0 },
	/*
	 * Project choice: guarded port descriptors are not supported.  (XNU
	 * accepts this one; MACH_SEND_INVALID_TYPE is what [INFLATE] gives for
	 * the guarded descriptors it refuses.)
	 */
	{ "guarded_move_receive", b_guarded_move_receive, MACH_SEND_INVALID_TYPE, 0 },
	/* [INFLATE] guarded with COPY_SEND: XNU refuses too */
	{ "guarded_copy_send", b_guarded_copy_send, MACH_SEND_INVALID_TYPE, 0 },
	/* [INFLATE] guarded with no guard flags: XNU refuses too */
	{ "guarded_no_flags", b_guarded_no_flags, MACH_SEND_INVALID_TYPE, 0 },
	/* [RIGHT] dispositions ipc_right_copyin() does not handle */
	{ "port_disposition_0", b_disp0, MACH_SEND_INVALID_RIGHT, 0 },
	{ "port_disposition_15_port_name", b_disp15, MACH_SEND_INVALID_RIGHT, 0 },
	{ "port_disposition_0x16_copy_receive", b_disp16, MACH_SEND_INVALID_RIGHT, 0 },
	{ "port_disposition_0x18_dispose_receive", b_disp18, MACH_SEND_INVALID_RIGHT, 0 },
	{ "port_disposition_0x19_dispose_send", b_disp19, MACH_SEND_INVALID_RIGHT, 0 },
	{ "port_disposition_0x1a_dispose_send_once", b_disp1a, MACH_SEND_INVALID_RIGHT, 0 },
	{ "port_disposition_0x99", b_disp99, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] COPY_SEND: no send right (MACH_PORT_TYPE_SEND_RIGHTS == 0) */
	{ "copy_send_receive_only", b_copy_send_recv_only, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] MOVE_SEND: no send right */
	{ "move_send_receive_only", b_move_send_recv_only, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] MAKE_SEND: no receive right */
	{ "make_send_send_only", b_make_send_send_only, MACH_SEND_INVALID_RIGHT, NEED_X },
	/* [RIGHT] MAKE_SEND_ONCE: no receive right */
	{ "make_send_once_send_only", b_make_so_send_only, MACH_SEND_INVALID_RIGHT, NEED_X },
	/* [RIGHT] MOVE_RECEIVE: no receive right */
	{ "move_receive_send_only", b_move_recv_send_only, MACH_SEND_INVALID_RIGHT, NEED_X },
	/* [RIGHT] MOVE_SEND_ONCE: the entry has no send-once right */
	{ "move_send_once_on_send_right", b_move_so_on_send, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] COPY_SEND of a send-once right: (bits & SEND) == 0 */
	{ "copy_send_on_send_once", b_copy_send_on_so, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] MOVE_SEND of a send-once right */
	{ "move_send_on_send_once", b_move_send_on_so, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] MAKE_SEND of a dead name */
	{ "make_send_dead_name", b_make_send_dead, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] MOVE_RECEIVE of a dead name */
	{ "move_receive_dead_name", b_move_recv_dead, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] KERN_INVALID_NAME from ipc_right_lookup_write() */
	{ "name_not_in_space", b_name_not_held, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] second MOVE_SEND finds no send right left (one uref) */
	{ "move_send_twice_one_uref", b_move_send_twice, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] second MOVE_RECEIVE finds no name */
	{ "move_receive_twice", b_move_recv_twice, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] second MOVE_SEND_ONCE finds no name */
	{ "move_send_once_twice", b_move_so_twice, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] five good descriptors, then a bad name: all undone */
	{ "bad_name_after_five_good", b_bad_after_good, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] after two deallocate = TRUE regions: memory stays */
	{ "bad_right_after_dealloc_ool", b_bad_after_dealloc_ool, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] destination moved in the header, body fails: uref stays */
	{ "move_send_dest_bad_body", b_move_dest_bad_body, MACH_SEND_INVALID_RIGHT, 0 },
	/* [HEADER] before the body: nothing in the body moves */
	{ "bad_dest_good_body", b_bad_dest_good_body, MACH_SEND_INVALID_DEST, 0 },
	/* [MEMORY] mach_copyin/vm_map_copyin of an unmapped page */
	{ "ool_unmapped_page", b_ool_unmapped_page, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_unmapped_1mib_virtual", b_ool_unmapped_1mib, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_null_address", b_ool_null, MACH_SEND_INVALID_MEMORY, 0 },
	/* [MEMORY] read-only pages around an unmapped one */
	{ "ool_hole_in_middle_physical", b_ool_hole_physical, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_hole_in_middle_virtual", b_ool_hole_virtual, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_hole_in_middle_dealloc", b_ool_hole_dealloc, MACH_SEND_INVALID_MEMORY, 0 },
	/* [MEMORY] unreadable (KERN_PROTECTION_FAILURE / fault) */
	{ "ool_prot_none_physical", b_ool_prot_none_physical, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_prot_none_virtual", b_ool_prot_none_virtual, MACH_SEND_INVALID_MEMORY, 0 },
	/* [MEMORY] 4 GiB from a 3-page buffer, not charged (virtual) */
	{ "ool_size_0xffffffff_virtual", b_ool_huge_virtual, MACH_SEND_INVALID_MEMORY, 0 },
	/* [SCHEMA] physical charge of 4 GiB */
	{ "ool_size_0xffffffff_physical", b_ool_huge_physical, MACH_MSG_VM_KERNEL, 0 },
	/* [MEMORY] deallocated regions are not charged; copyin fails */
	{ "ool_size_0xffffffff_dealloc", b_ool_huge_dealloc, MACH_SEND_INVALID_MEMORY, 0 },
	/* [MEMORY] address + size wraps */
	{ "ool_address_plus_size_wraps", b_ool_addr_wraps, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_kernel_address", b_ool_kernel_addr, MACH_SEND_INVALID_MEMORY, 0 },
	/* [INFLATE] copy options other than PHYSICAL/VIRTUAL */
	{ "ool_copy_allocate", b_ool_copy2, MACH_SEND_INVALID_TYPE, 0 },
	{ "ool_copy_overwrite", b_ool_copy3, MACH_SEND_INVALID_TYPE, 0 },
	{ "ool_copy_7", b_ool_copy7, MACH_SEND_INVALID_TYPE, 0 },
	{ "ool_copy_0xff", b_ool_copyff, MACH_SEND_INVALID_TYPE, 0 },
	{ "ool_copy_allocate_after_rights", b_ool_copy_after_rights, MACH_SEND_INVALID_TYPE, 0 },
	/* [SCHEMA] 4 MiB + 4 MiB physical > 7 MiB */
	{ "ool_physical_total_over_7mib", b_ool_physical_over_limit, MACH_MSG_VM_KERNEL,
	  NEED_BIG },
	/* [SCHEMA] more than 16383 rights */
	{ "ool_ports_count_0xffffffff", b_ports_count_huge, MACH_SEND_TOO_LARGE, 0 },
	{ "ool_ports_count_16384", b_ports_count_16384, MACH_SEND_TOO_LARGE, 0 },
	{ "ool_ports_total_20000", b_ports_total_over, MACH_SEND_TOO_LARGE, 0 },
	/* [MEMORY] the names array cannot be read */
	{ "ool_ports_array_unmapped", b_ports_unmapped, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_ports_array_null", b_ports_null, MACH_SEND_INVALID_MEMORY, 0 },
	{ "ool_ports_array_runs_off_mapping", b_ports_edge, MACH_SEND_INVALID_MEMORY, 0 },
	/* [RIGHT] one bad name in the middle of the array */
	{ "ool_ports_invalid_name_in_middle", b_ports_bad_middle, MACH_SEND_INVALID_RIGHT, 0 },
	{ "ool_ports_move_send_twice_one_uref", b_ports_move_twice, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] disposition checked per valid name by ipc_right_copyin() */
	{ "ool_ports_disposition_0x99", b_ports_disp99, MACH_SEND_INVALID_RIGHT, 0 },
	{ "ool_ports_disposition_0", b_ports_disp0, MACH_SEND_INVALID_RIGHT, 0 },
	{ "ool_ports_disposition_dispose_send", b_ports_dispose_send, MACH_SEND_INVALID_RIGHT, 0 },
	{ "ool_ports_copy_send_receive_only", b_ports_recv_only, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] deallocate = TRUE: the array stays (XNU frees it first) */
	{ "ool_ports_dealloc_then_bad_name", b_ports_dealloc_bad, MACH_SEND_INVALID_RIGHT, 0 },
	/* [RIGHT] receive rights moved in an array, then a bad port descriptor */
	{ "ool_ports_moved_receive_then_bad_port", b_ports_then_bad_port,
	  MACH_SEND_INVALID_RIGHT, 0 },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/* --- environment and snapshots ------------------------------------------ */

static void env_setup(struct env *e, unsigned int flags)
{
	size_t pg = cx_page_mask() + 1;

	memset(e, 0, sizeof(*e));
	e->page = pg;
	e->dest = mu_port();
	e->r = mu_port();
	e->r2 = mu_port();
	e->s = cx_port_send_refs(2);
	e->s1 = cx_port_send_refs(1);
	e->so = e->r ? cx_send_once(e->r) : MACH_PORT_NULL;
	e->dn = cx_dead_name(1);
	if (flags & NEED_X)
		e->x = cx_send_only_name();

	e->buf = cx_alloc(BUF_PAGES * pg);
	if (e->buf)
		cx_fill(e->buf, BUF_PAGES * pg, 0xb0f);
	e->names = cx_alloc(pg);
	e->unmapped = cx_hole(MIB);

	e->hole = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (expect_true(e->hole != MAP_FAILED, "mmap hole")) {
		cx_fill(e->hole, pg, 0x401);
		cx_fill(e->hole + 2 * pg, pg, 0x402);
		munmap(e->hole + pg, pg);
		mprotect(e->hole, pg, PROT_READ);
		mprotect(e->hole + 2 * pg, pg, PROT_READ);
	} else {
		e->hole = NULL;
	}
	e->none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!expect_true(e->none != MAP_FAILED, "mmap PROT_NONE"))
		e->none = NULL;
	e->edge = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (expect_true(e->edge != MAP_FAILED, "mmap edge")) {
		munmap(e->edge + pg, pg);
		((mach_port_t *)(e->edge + pg))[-2] = e->s;
		((mach_port_t *)(e->edge + pg))[-1] = e->s;
	} else {
		e->edge = NULL;
	}
	if (flags & NEED_BIG)
		e->big = cx_alloc(8 * MIB);
}

static bool env_ok(const struct env *e, unsigned int flags)
{
	return e->dest && e->r && e->r2 && e->s && e->s1 && e->so && e->dn &&
	       (!(flags & NEED_X) || e->x) && (!(flags & NEED_BIG) || e->big) &&
	       e->buf && e->names && e->unmapped && e->hole && e->none && e->edge;
}

struct name_snap {
	kern_return_t kr;
	mach_port_type_t type;
	mach_port_urefs_t refs[4];	/* SEND, RECEIVE, SEND_ONCE, DEAD_NAME */
	mach_port_status_t st;		/* receive rights only */
};

static const mach_port_right_t snap_rights[4] = {
	MACH_PORT_RIGHT_SEND, MACH_PORT_RIGHT_RECEIVE,
	MACH_PORT_RIGHT_SEND_ONCE, MACH_PORT_RIGHT_DEAD_NAME,
};

static void snap_name(mach_port_t name, struct name_snap *s)
{
	mach_msg_type_number_t count = MACH_PORT_RECEIVE_STATUS_COUNT;

	memset(s, 0, sizeof(*s));
	if (name == MACH_PORT_NULL)
		return;
	s->kr = mach_port_type(mach_task_self(), name, &s->type);
	for (int i = 0; i < 4; i++)
		if (mach_port_get_refs(mach_task_self(), name, snap_rights[i],
				       &s->refs[i]) != KERN_SUCCESS)
			s->refs[i] = 0xdead;
	if (s->kr == KERN_SUCCESS && (s->type & MACH_PORT_TYPE_RECEIVE))
		mach_port_get_attributes(mach_task_self(), name, MACH_PORT_RECEIVE_STATUS,
					 (mach_port_info_t)&s->st, &count);
}

#define NNAMES 8

static void snap_all(const struct env *e, struct name_snap s[NNAMES])
{
	const mach_port_t names[NNAMES] = {
		e->dest, e->r, e->r2, e->s, e->s1, e->so, e->dn, e->x,
	};

	for (int i = 0; i < NNAMES; i++)
		snap_name(names[i], &s[i]);
}

static void compare(const struct name_snap *a, const struct name_snap *b)
{
	static const char *const label[NNAMES] = {
		"dest", "r", "r2", "s", "s1", "so", "dn", "x",
	};
	static const char *const right[4] = { "SEND", "RECEIVE", "SEND_ONCE", "DEAD_NAME" };
	char what[96];

	for (int i = 0; i < NNAMES; i++) {
		snprintf(what, sizeof(what), "%s: mach_port_type result", label[i]);
		expect_kr(a[i].kr, b[i].kr, what);
		snprintf(what, sizeof(what), "%s: type unchanged", label[i]);
		expect_eq(a[i].type, b[i].type, what);
		for (int k = 0; k < 4; k++) {
			snprintf(what, sizeof(what), "%s: %s urefs unchanged", label[i], right[k]);
			expect_eq(a[i].refs[k], b[i].refs[k], what);
		}
		snprintf(what, sizeof(what), "%s: msgcount unchanged", label[i]);
		expect_eq(a[i].st.mps_msgcount, b[i].st.mps_msgcount, what);
		snprintf(what, sizeof(what), "%s: srights unchanged", label[i]);
		expect_eq(a[i].st.mps_srights, b[i].st.mps_srights, what);
		snprintf(what, sizeof(what), "%s: sorights unchanged", label[i]);
		expect_eq(a[i].st.mps_sorights, b[i].st.mps_sorights, what);
	}
}

static void check_memory(const struct env *e, const mach_port_t *names_before)
{
	size_t pg = e->page;

	expect_true(cx_range_mapped(e->buf, BUF_PAGES * pg), "OOL buffer still mapped");
	expect_eq(CX_NO_MISMATCH, cx_check(e->buf, BUF_PAGES * pg, 0xb0f),
		  "OOL buffer unchanged");
	expect_true(cx_range_mapped(e->names, pg), "names array still mapped");
	expect_true(memcmp(e->names, names_before, pg) == 0, "names array unchanged");
	expect_true(cx_range_mapped(e->hole, pg) && cx_range_mapped(e->hole + 2 * pg, pg),
		    "read-only pages around the hole still mapped");
	expect_eq(CX_NO_MISMATCH, cx_check(e->hole, pg, 0x401), "first read-only page");
	expect_eq(CX_NO_MISMATCH, cx_check(e->hole + 2 * pg, pg, 0x402),
		  "last read-only page");
	expect_true(cx_range_mapped(e->edge, pg), "edge page still mapped");
}

static void run_row(unsigned int i)
{
	static struct env e;
	static struct cx_msg m;
	static struct cx_rcv r;
	static mach_port_t names_before[65536 / sizeof(mach_port_t)];
	struct name_snap before[NNAMES], after[NNAMES];
	const struct row *row = &rows[i];
	mach_msg_header_t *hdr;
	mach_msg_size_t size;
	mach_msg_return_t mr;
	int nnames;

	env_setup(&e, row->flags);
	assert_true(env_ok(&e, row->flags), "environment");
	cx_begin(&m, e.dest, MACH_MSG_TYPE_MAKE_SEND, ID);
	row->build(&e, &m);
	hdr = cx_finish(&m);
	if (e.set_count)
		m.u.base.body.msgh_descriptor_count = e.count;
	size = e.send_size ? e.send_size : m.len;

	assert_true(e.page <= sizeof(names_before), "page size");
	memcpy(names_before, e.names, e.page);
	snap_all(&e, before);
	nnames = mu_names_count();

	mr = mach_msg(hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL, 0,
		      MACH_PORT_NULL);
	expect_kr(row->expect, mr, row->name);

	snap_all(&e, after);
	compare(before, after);
	expect_eq(nnames, mu_names_count(), "no name appeared or went away");
	check_memory(&e, names_before);
	expect_eq(0, mu_status(e.dest).mps_msgcount, "nothing queued on the destination");
	expect_kr(MACH_RCV_TIMED_OUT, cx_recv(e.dest, &r, 0), "nothing to receive");
}

/* One trampoline per row, so each row is a TAP test point of its own. */
#define T(n)	static void row_##n(void) { run_row(n); }
#define T10(d)	T(d##0) T(d##1) T(d##2) T(d##3) T(d##4) \
		T(d##5) T(d##6) T(d##7) T(d##8) T(d##9)
#define P(n)	row_##n,
#define P10(d)	P(d##0) P(d##1) P(d##2) P(d##3) P(d##4) \
		P(d##5) P(d##6) P(d##7) P(d##8) P(d##9)

T10() T10(1) T10(2) T10(3) T10(4) T10(5) T10(6) T10(7) T10(8) T10(9)

static void (*const tramps[])(void) = {
	P10() P10(1) P10(2) P10(3) P10(4) P10(5) P10(6) P10(7) P10(8) P10(9)
};

_Static_assert(NROWS <= sizeof(tramps) / sizeof(tramps[0]), "add trampolines");
_Static_assert(NROWS >= 40, "at least 40 rows");

int main(void)
{
	static struct mt_case cases[NROWS];

	for (unsigned int i = 0; i < NROWS; i++) {
		cases[i].name = rows[i].name;
		cases[i].fn = tramps[i];
		cases[i].timeout_s = 60;
	}
	return mt_run(cases, (int)NROWS);
}
