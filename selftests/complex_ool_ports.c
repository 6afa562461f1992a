// SPDX-License-Identifier: GPL-2.0
/*
 * complex_ool_ports - out-of-line port arrays: counts 1, 10 and 10,000,
 * MACH_PORT_NULL / MACH_PORT_DEAD entries, every disposition the array
 * can carry, deallocate = TRUE.
 *
 * XNU references (osfmk/ipc/ipc_kmsg.c):
 *  - ipc_kmsg_copyin_ool_ports_descriptor(): the count names are read from
 *    the sender's memory; each MACH_PORT_VALID name is copied in with the
 *    descriptor's one disposition (ipc_object_copyin), the others pass
 *    through unchanged; deallocate = TRUE deallocates the names array from
 *    the sender's map (mach_vm_deallocate, page-rounded).
 *  - ipc_validate_kmsg_schema_from_user() (ipc_policy.c): at most
 *    IPC_KMSG_MAX_OOL_PORT_COUNT = 16383 rights per message, else
 *    MACH_SEND_TOO_LARGE (tested in complex_malformed).
 *  - ipc_kmsg_copyout_ool_ports_descriptor(): the receiver gets a freshly
 *    allocated region (mach_vm_allocate) holding names in its own space,
 *    produced by ipc_object_copyout (send rights coalesce per port, each
 *    send-once right gets its own name); count 0 gives address 0.
 *  - ipc_kmsg_deflate_port_array_descriptor(): the received descriptor says
 *    deallocate = TRUE, copy = MACH_MSG_VIRTUAL_COPY, disposition = the
 *    PORT_* type (ipc_object_copyin_type), count as sent.
 */
#include <string.h>

#include "complex_util.h"

#define ID		0x6300
#define PEER_WAIT_MS	30000

static struct cx_rcv rcv;

static mach_msg_return_t send_array(mach_port_t dest, mach_msg_type_name_t dest_disp,
				    const mach_port_t *names, mach_msg_size_t count,
				    mach_msg_type_name_t disp, boolean_t dealloc)
{
	struct cx_msg m;

	cx_begin(&m, dest, dest_disp, ID);
	cx_add_ool_ports(&m, names, count, disp, MACH_MSG_PHYSICAL_COPY, dealloc);
	return cx_send(&m, MU_WAIT_MS);
}

/* Check OOL-ports descriptor i of rcv; return the receiver's names. */
static mach_port_t *got_array(unsigned int i, mach_msg_size_t count,
			      mach_msg_type_name_t want_disp)
{
	const mach_msg_ool_ports_descriptor_t *d = cx_ool_ports_desc(&rcv.hdr, i);

	expect_eq(MACH_MSG_OOL_PORTS_DESCRIPTOR, d->type, "descriptor type");
	expect_eq(count, d->count, "received count");
	expect_eq(want_disp, d->disposition, "received disposition (PORT_* type)");
	expect_eq(TRUE, d->deallocate, "received deallocate flag");
	expect_eq(MACH_MSG_VIRTUAL_COPY, d->copy, "received copy option");
	if (count == 0)
		expect_eq(0, (uintptr_t)d->address, "no array for count 0");
	else
		expect_true(cx_range_mapped(d->address, count * sizeof(mach_port_t)),
			    "the names array is mapped in the receiver");
	return d->address;
}

static mach_port_t *recv_array(mach_port_t port, mach_msg_size_t count,
			       mach_msg_type_name_t want_disp)
{
	if (!expect_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive"))
		return NULL;
	if (!cx_expect_complex(&rcv.hdr, sizeof(mach_msg_base_t) + 16, 1))
		return NULL;
	return got_array(0, count, want_disp);
}

static void release(mach_port_t *names, mach_msg_size_t count)
{
	if (!names || !count)
		return;
	expect_kr(KERN_SUCCESS,
		  vm_deallocate(mach_task_self(), (vm_address_t)names,
				count * sizeof(mach_port_t)),
		  "vm_deallocate the received names");
}

static void copy_send_one(void)
{
	mach_port_t port = mu_port(), s = mu_port_send(), *arr = cx_alloc(4096), *got;

	assert_true(port && s && arr, "setup");
	arr[0] = s;
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, arr, 1, MACH_MSG_TYPE_COPY_SEND,
			     FALSE), "send");
	expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "COPY_SEND keeps the uref");
	expect_eq(s, arr[0], "sender's array untouched");
	got = recv_array(port, 1, MACH_MSG_TYPE_PORT_SEND);
	if (got) {
		expect_eq(s, got[0], "coalesced with our right");
		expect_ne((uintptr_t)arr, (uintptr_t)got, "a new region");
		release(got, 1);
	}
	expect_eq(2, mu_refs(s, MACH_PORT_RIGHT_SEND), "plus the received one");
}

/* Ten entries with NULL, DEAD and repeats, from another task. */
static void ten_mixed_child(mach_port_t bp)
{
	mach_port_t s = mu_port_send(), t = mu_port_send(), u = mu_port_send();
	mach_port_t arr[10];
	struct mu_rcv r;

	if (!expect_true(s && t && u, "child: ports"))
		return;
	arr[0] = s; arr[1] = MACH_PORT_NULL; arr[2] = MACH_PORT_DEAD; arr[3] = t;
	arr[4] = s; arr[5] = MACH_PORT_NULL; arr[6] = MACH_PORT_DEAD; arr[7] = t;
	arr[8] = s; arr[9] = u;
	if (!expect_kr(MACH_MSG_SUCCESS,
		       send_array(bp, MACH_MSG_TYPE_COPY_SEND, arr, 10,
				  MACH_MSG_TYPE_COPY_SEND, FALSE), "child: send"))
		return;
	expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "child: s urefs unchanged");
	expect_eq(1, mu_refs(t, MACH_PORT_RIGHT_SEND), "child: t urefs unchanged");
	expect_eq(1, mu_refs(u, MACH_PORT_RIGHT_SEND), "child: u urefs unchanged");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(s, &r, 0, PEER_WAIT_MS), "child: on s"))
		expect_eq(1, mu_as_msg(&r)->a, "child: s payload");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(t, &r, 0, PEER_WAIT_MS), "child: on t"))
		expect_eq(2, mu_as_msg(&r)->a, "child: t payload");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(u, &r, 0, PEER_WAIT_MS), "child: on u"))
		expect_eq(3, mu_as_msg(&r)->a, "child: u payload");
}

static void ten_mixed_across_tasks(void)
{
	mach_port_t inbox = mu_port_send(), *n;
	pid_t pid;

	assert_true(inbox != MACH_PORT_NULL, "port");
	pid = cx_fork_bootstrap(inbox);
	if (pid == 0) {
		ten_mixed_child(cx_bootstrap());
		mt_child_exit();
	}
	assert_true(pid > 0, "fork");
	n = recv_array(inbox, 10, MACH_MSG_TYPE_PORT_SEND);
	if (n) {
		expect_true(MACH_PORT_VALID(n[0]), "s arrived");
		expect_true(MACH_PORT_VALID(n[3]), "t arrived");
		expect_true(MACH_PORT_VALID(n[9]), "u arrived");
		expect_eq(n[0], n[4], "repeats coalesce");
		expect_eq(n[0], n[8], "repeats coalesce");
		expect_eq(n[3], n[7], "repeats coalesce");
		expect_ne(n[0], n[3], "distinct ports, distinct names");
		expect_ne(n[0], n[9], "distinct ports, distinct names");
		expect_ne(n[3], n[9], "distinct ports, distinct names");
		expect_eq(MACH_PORT_NULL, n[1], "NULL passes through");
		expect_eq(MACH_PORT_NULL, n[5], "NULL passes through");
		expect_eq(MACH_PORT_DEAD, n[2], "DEAD passes through");
		expect_eq(MACH_PORT_DEAD, n[6], "DEAD passes through");
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(n[0]), "type");
		expect_eq(3, mu_refs(n[0], MACH_PORT_RIGHT_SEND), "s: 3 urefs");
		expect_eq(2, mu_refs(n[3], MACH_PORT_RIGHT_SEND), "t: 2 urefs");
		expect_eq(1, mu_refs(n[9], MACH_PORT_RIGHT_SEND), "u: 1 uref");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(n[0], MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 1, 0, 0, MU_WAIT_MS),
			  "send through s");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(n[3], MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 2, 0, 0, MU_WAIT_MS),
			  "send through t");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(n[9], MACH_MSG_TYPE_COPY_SEND, 0, 0, 3, 3, 0, 0, MU_WAIT_MS),
			  "send through u");
		release(n, 10);
	}
	expect_child_ok(pid, PEER_WAIT_MS, "child");
}

/* 10,000 MAKE_SEND rights in one array, received in the same space. */
static void count_10000(void)
{
	enum { N = 10000 };
	mach_port_t port = mu_port(), *arr = cx_alloc(N * sizeof(mach_port_t)), *got;
	mach_port_urefs_t refs;
	unsigned int bad = 0;

	assert_true(port && arr, "setup");
	for (unsigned int i = 0; i < N; i++) {
		arr[i] = mu_port();
		assert_true(arr[i] != MACH_PORT_NULL, "port");
	}
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, arr, N, MACH_MSG_TYPE_MAKE_SEND,
			     FALSE), "send 10,000 rights");
	expect_eq(1, mu_status(arr[0]).mps_srights, "first: one right in flight");
	expect_eq(1, mu_status(arr[N - 1]).mps_srights, "last: one right in flight");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(arr[N / 2]), "sender got nothing");
	got = recv_array(port, N, MACH_MSG_TYPE_PORT_SEND);
	assert_true(got != NULL, "received");
	for (unsigned int i = 0; i < N; i++) {
		refs = 0;
		if (got[i] != arr[i] ||
		    mach_port_get_refs(mach_task_self(), arr[i], MACH_PORT_RIGHT_SEND,
				       &refs) != KERN_SUCCESS || refs != 1) {
			if (bad++ < 5)
				mt_diag("entry %u: sent 0x%x got 0x%x refs %u",
					i, arr[i], got[i], refs);
		}
	}
	expect_eq(0, bad, "entries not coalesced with their receive right, 1 uref");
	release(got, N);
}

static void move_send(void)
{
	mach_port_t port = mu_port(), s = cx_port_send_refs(3), x = cx_send_only_name();
	mach_port_t arr[2], *got;
	mach_port_type_t type;

	assert_true(port && s && x, "setup");
	arr[0] = s;
	arr[1] = s;
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, arr, 2, MACH_MSG_TYPE_MOVE_SEND,
			     FALSE), "send [s, s] MOVE_SEND");
	expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "3 - 2 urefs");
	got = recv_array(port, 2, MACH_MSG_TYPE_PORT_SEND);
	if (got) {
		expect_eq(s, got[0], "back under s");
		expect_eq(s, got[1], "back under s");
		release(got, 2);
	}
	expect_eq(3, mu_refs(s, MACH_PORT_RIGHT_SEND), "urefs back to 3");

	/* Moving the only uref of a send-only name removes the name. */
	arr[0] = x;
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, arr, 1, MACH_MSG_TYPE_MOVE_SEND,
			     FALSE), "send [x] MOVE_SEND");
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), x, &type),
		  "x's name is gone");
	got = recv_array(port, 1, MACH_MSG_TYPE_PORT_SEND);
	if (got) {
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(got[0]), "the send right is back");
		expect_eq(1, mu_refs(got[0], MACH_PORT_RIGHT_SEND), "one uref");
		release(got, 1);
	}
}

static void make_send_once(void)
{
	mach_port_t port = mu_port(), r = mu_port(), arr[3], *got;
	mach_port_type_t type;
	struct mu_rcv m;

	assert_true(port && r, "setup");
	arr[0] = arr[1] = arr[2] = r;
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, arr, 3,
			     MACH_MSG_TYPE_MAKE_SEND_ONCE, FALSE), "send");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(r), "sender keeps nothing new");
	expect_eq(3, mu_status(r).mps_sorights, "three send-once rights in flight");
	got = recv_array(port, 3, MACH_MSG_TYPE_PORT_SEND_ONCE);
	assert_true(got != NULL, "received");
	expect_ne(got[0], got[1], "each send-once right has its own name");
	expect_ne(got[1], got[2], "each send-once right has its own name");
	expect_ne(got[0], got[2], "each send-once right has its own name");
	for (int i = 0; i < 3; i++) {
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(got[i]), "type");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(got[i], MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 5, i, 0, 0, 0),
			  "send through it");
		expect_kr(KERN_INVALID_NAME,
			  mach_port_type(mach_task_self(), got[i], &type), "used up");
	}
	for (int i = 0; i < 3; i++)
		if (expect_kr(MACH_MSG_SUCCESS, mu_recv(r, &m, 0, 0), "receive on r"))
			expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE,
				  MACH_MSGH_BITS_LOCAL(m.hdr.msgh_bits), "came on a send-once");
	expect_eq(0, mu_status(r).mps_sorights, "all consumed");
	release(got, 3);
}

/* Ten receive rights, each with a queued message, move to another task. */
static void move_receive_child(mach_port_t bp)
{
	mach_port_t arr[10];
	mach_port_type_t type;

	for (unsigned int i = 0; i < 10; i++) {
		arr[i] = mu_port();
		if (!expect_true(arr[i] != MACH_PORT_NULL, "child: port"))
			return;
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(arr[i], MACH_MSG_TYPE_MAKE_SEND, 0, 0, 100 + i, i, 0, 0, 0),
			  "child: queue a message");
	}
	if (!expect_kr(MACH_MSG_SUCCESS,
		       send_array(bp, MACH_MSG_TYPE_COPY_SEND, arr, 10,
				  MACH_MSG_TYPE_MOVE_RECEIVE, FALSE), "child: send"))
		return;
	for (unsigned int i = 0; i < 10; i++)
		expect_kr(KERN_INVALID_NAME,
			  mach_port_type(mach_task_self(), arr[i], &type),
			  "child: the receive right left");
}

static void move_receive_across_tasks(void)
{
	mach_port_t inbox = mu_port_send(), *n;
	struct mu_rcv m;
	pid_t pid;

	assert_true(inbox != MACH_PORT_NULL, "port");
	pid = cx_fork_bootstrap(inbox);
	if (pid == 0) {
		move_receive_child(cx_bootstrap());
		mt_child_exit();
	}
	assert_true(pid > 0, "fork");
	expect_child_ok(pid, PEER_WAIT_MS, "child");
	/* The child has exited: the rights live on in the queued message. */
	n = recv_array(inbox, 10, MACH_MSG_TYPE_PORT_RECEIVE);
	assert_true(n != NULL, "received");
	for (unsigned int i = 0; i < 10; i++) {
		expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(n[i]), "a receive right");
		expect_eq(1, mu_status(n[i]).mps_msgcount, "with its queued message");
		if (expect_kr(MACH_MSG_SUCCESS, mu_recv(n[i], &m, 0, 0), "receive it"))
			expect_eq(100 + i, m.hdr.msgh_id, "the right message");
		for (unsigned int j = 0; j < i; j++)
			if (!expect_ne(n[j], n[i], "distinct names"))
				break;
	}
	release(n, 10);
}

/* deallocate = TRUE unmaps the sender's array. */
static void dealloc_true(void)
{
	enum { N = 1000 };
	mach_port_t port = mu_port(), s = mu_port_send();
	mach_port_t *arr = cx_alloc(N * sizeof(mach_port_t)), *got;

	assert_true(port && s && arr, "setup");
	for (unsigned int i = 0; i < N; i++)
		arr[i] = s;
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, arr, N, MACH_MSG_TYPE_COPY_SEND,
			     TRUE), "send with deallocate = TRUE");
	expect_true(cx_range_unmapped(arr, N * sizeof(mach_port_t)),
		    "the sender's array is unmapped");
	expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "COPY_SEND: urefs unchanged");
	got = recv_array(port, N, MACH_MSG_TYPE_PORT_SEND);
	if (got) {
		unsigned int bad = 0;

		for (unsigned int i = 0; i < N; i++)
			bad += got[i] != s;
		expect_eq(0, bad, "entries that are not s");
		release(got, N);
	}
	expect_eq(1 + N, mu_refs(s, MACH_PORT_RIGHT_SEND), "1 + 1000 urefs");
}

static void zero_count(void)
{
	mach_port_t port = mu_port();

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS,
		  send_array(port, MACH_MSG_TYPE_MAKE_SEND, NULL, 0, MACH_MSG_TYPE_COPY_SEND,
			     FALSE), "send an empty array");
	recv_array(port, 0, MACH_MSG_TYPE_PORT_SEND);
}

/* An array between a port and a memory descriptor. */
static void with_other_descriptors(void)
{
	mach_port_t port = mu_port(), x = mu_port(), s = mu_port_send(), arr[2], *got;
	uint8_t *buf = cx_alloc(100), *dst;
	struct cx_msg m;

	assert_true(port && x && s && buf, "setup");
	cx_fill(buf, 100, 5);
	arr[0] = s;
	arr[1] = x;
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, x, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cx_add_ool_ports(&m, arr, 1, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_PHYSICAL_COPY, FALSE);
	cx_add_ool_ports(&m, &arr[1], 1, MACH_MSG_TYPE_MAKE_SEND, MACH_MSG_VIRTUAL_COPY,
			 FALSE);
	cx_add_ool(&m, buf, 100, MACH_MSG_PHYSICAL_COPY, FALSE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	assert_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive");
	assert_true(cx_expect_complex(&rcv.hdr, sizeof(mach_msg_base_t) + 12 + 3 * 16, 4),
		    "header");
	expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, cx_port_desc(&rcv.hdr, 0)->disposition,
		  "port descriptor disposition");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(cx_port_desc(&rcv.hdr, 0)->name),
		  "send-once right");
	got = got_array(1, 1, MACH_MSG_TYPE_PORT_SEND);
	if (got) {
		expect_eq(s, got[0], "first array");
		release(got, 1);
	}
	got = got_array(2, 1, MACH_MSG_TYPE_PORT_SEND);
	if (got) {
		expect_eq(x, got[0], "second array");
		release(got, 1);
	}
	dst = cx_ool_desc(&rcv.hdr, 3)->address;
	expect_eq(100, cx_ool_desc(&rcv.hdr, 3)->size, "OOL size");
	if (expect_true(dst != NULL, "OOL region"))
		expect_eq(CX_NO_MISMATCH, cx_check(dst, 100, 5), "OOL bytes");
}

static const struct mt_case cases[] = {
	MT_CASE(copy_send_one),
	MT_CASE(ten_mixed_across_tasks),
	MT_CASE_T(count_10000, 300),
	MT_CASE(move_send),
	MT_CASE(make_send_once),
	MT_CASE(move_receive_across_tasks),
	MT_CASE(dealloc_true),
	MT_CASE(zero_count),
	MT_CASE(with_other_descriptors),
};

int main(void)
{
	return MT_RUN(cases);
}
