// SPDX-License-Identifier: GPL-2.0
/*
 * complex_rcv - the receive side of complex messages: MACH_RCV_LARGE,
 * messages too large for the buffer, and messages destroyed unreceived.
 *
 * XNU references:
 *  - osfmk/ipc/ipc_mqueue.c ipc_mqueue_select_on_thread(): the size
 *    checked and reported is ipc_kmsg_copyout_size() (the message as the
 *    receiver will see it, LP64 descriptors) plus the requested trailer;
 *    with MACH_RCV_LARGE a message that does not fit stays queued and its
 *    size is written to msgh_size (mach_msg_receive_too_large()); nothing
 *    in it is copied out.
 *  - osfmk/ipc/mach_msg.c mach_msg_receive_error() without MACH_RCV_LARGE:
 *    the message is dequeued and ipc_kmsg_copyout_dest_to_user() destroys
 *    every right and all memory in its body (ipc_kmsg_clean_descriptors):
 *    a receive right in it is destroyed (ipc_port_release_receive ->
 *    ipc_port_destroy), so the port dies and send rights to it become dead
 *    names; send rights are released; a send-once right is destroyed with
 *    ipc_notify_send_once(), which sends MACH_NOTIFY_SEND_ONCE through it.
 *  - osfmk/ipc/ipc_port.c ipc_port_destroy() -> ipc_mqueue_destroy_locked():
 *    destroying a receive right destroys the queued messages the same way
 *    (ipc_kmsg_destroy -> ipc_kmsg_clean), recursively for receive rights
 *    inside them; so does the death of the task holding the receive right.
 */
#include <stdio.h>
#include <string.h>

#include "complex_util.h"

#define ID		0x6400
#define PEER_WAIT_MS	30000
#define MIB		(1024u * 1024u)

static struct cx_rcv rcv;

static bool wait_dead(mach_port_t name, unsigned int timeout_ms)
{
	uint64_t deadline = mt_now_ms() + timeout_ms;
	mach_port_type_t type = 0;

	do {
		if (mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
		    type == MACH_PORT_TYPE_DEAD_NAME)
			return true;
		mt_sleep_ms(10);
	} while (mt_now_ms() < deadline);
	mt_diag("name 0x%x: type 0x%x, not a dead name", name, type);
	return false;
}

/* MACH_RCV_LARGE: a complex message that does not fit stays queued. */
static void rcv_large_keeps_message(void)
{
	mach_port_t port = mu_port(), x = mu_port();
	uint8_t *buf = cx_alloc(4096), *dst;
	mach_msg_size_t msize = sizeof(mach_msg_base_t) + 12 + 16;
	mach_msg_size_t tsize = sizeof(mach_msg_trailer_t);
	struct cx_msg m;
	int names;

	assert_true(port && x && buf, "setup");
	cx_fill(buf, 4096, 3);
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, x, MACH_MSG_TYPE_MAKE_SEND);
	cx_add_ool(&m, buf, 4096, MACH_MSG_VIRTUAL_COPY, FALSE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	names = mu_names_count();

	expect_kr(MACH_RCV_TOO_LARGE,
		  cx_recv_sized(port, &rcv, sizeof(mach_msg_header_t), MACH_RCV_LARGE, 0),
		  "header-sized buffer with MACH_RCV_LARGE");
	expect_eq(msize, rcv.hdr.msgh_size, "msgh_size reports the message size");
	expect_eq(1, mu_status(port).mps_msgcount, "still queued");
	expect_eq(1, mu_status(x).mps_srights, "the right is still in the message");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(x), "nothing copied out");
	expect_eq(names, mu_names_count(), "no new names");

	expect_kr(MACH_RCV_TOO_LARGE,
		  cx_recv_sized(port, &rcv, msize + tsize - 4, MACH_RCV_LARGE, 0),
		  "4 bytes short of message + trailer");
	expect_eq(msize, rcv.hdr.msgh_size, "msgh_size again");
	expect_eq(1, mu_status(port).mps_msgcount, "still queued");

	assert_kr(MACH_MSG_SUCCESS,
		  cx_recv_sized(port, &rcv, msize + tsize, MACH_RCV_LARGE, 0),
		  "exactly message + trailer");
	cx_expect_complex(&rcv.hdr, msize, 2);
	expect_eq(x, cx_port_desc(&rcv.hdr, 0)->name, "the send right, coalesced");
	expect_eq(1, mu_refs(x, MACH_PORT_RIGHT_SEND), "one uref");
	dst = cx_ool_desc(&rcv.hdr, 1)->address;
	if (expect_true(dst != NULL, "region"))
		expect_eq(CX_NO_MISMATCH, cx_check(dst, 4096, 3), "region bytes");
	expect_eq(0, mu_status(port).mps_msgcount, "dequeued");
}

/* Too large without MACH_RCV_LARGE: dequeued and everything in it destroyed. */
static void too_large_destroys(void)
{
	mach_port_t port = mu_port(), x = mu_port_send(), y = mu_port(), w = mu_port_send();
	uint8_t *buf = cx_alloc(3 * 4096);
	struct cx_msg m;

	assert_true(port && x && y && w && buf, "setup");
	cx_fill(buf, 3 * 4096, 4);
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, x, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_port(&m, y, MACH_MSG_TYPE_MAKE_SEND);
	cx_add_port(&m, w, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_ool(&m, buf, 3 * 4096, MACH_MSG_VIRTUAL_COPY, TRUE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(x), "x: our send right, receive in flight");
	expect_eq(1, mu_status(y).mps_srights, "y: one send right in the message");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(w), "w: our send right moved");
	expect_eq(1, mu_status(w).mps_srights, "w: one send right in the message");

	expect_kr(MACH_RCV_TOO_LARGE,
		  cx_recv_sized(port, &rcv, sizeof(mach_msg_header_t), 0, 0),
		  "too small a buffer, no MACH_RCV_LARGE");
	expect_eq(0, mu_status(port).mps_msgcount, "the message was dequeued");
	expect_kr(MACH_RCV_TIMED_OUT, cx_recv(port, &rcv, 0), "and is gone");
	expect_true(wait_dead(x, MU_WAIT_MS), "x's receive right was destroyed: dead name");
	expect_eq(1, mu_refs(x, MACH_PORT_RIGHT_DEAD_NAME), "x: dead-name urefs");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(x, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID, 0, 0, 0, 0), "send to x");
	expect_eq(0, mu_status(y).mps_srights, "y: the made send right was released");
	expect_eq(0, mu_status(w).mps_srights, "w: the moved send right was released");
}

/* A receive right destroyed with complex messages queued, nested. */
static void destroy_with_queued_messages(void)
{
	mach_port_t p = mu_port(), x = mu_port_send(), y = mu_port();
	mach_port_t v = mu_port_send(), u = mu_port_send();
	uint8_t *buf = cx_alloc(MIB);
	mach_port_type_t type;
	struct cx_msg m;

	assert_true(p && x && y && v && u && buf, "setup");
	cx_fill(buf, MIB, 5);
	/* u's receive right waits in v's queue... */
	cx_begin(&m, v, MACH_MSG_TYPE_COPY_SEND, ID);
	cx_add_port(&m, u, MACH_MSG_TYPE_MOVE_RECEIVE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "queue u in v");
	/* ...and v's, x's, a send right for y and memory wait in p's queue. */
	cx_begin(&m, p, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, v, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_port(&m, x, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_port(&m, y, MACH_MSG_TYPE_MAKE_SEND);
	cx_add_ool(&m, buf, MIB, MACH_MSG_PHYSICAL_COPY, FALSE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "queue v, x, y in p");
	cx_begin(&m, p, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, y, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "a second message in p");
	expect_eq(2, mu_status(p).mps_msgcount, "two messages queued");
	expect_eq(1, mu_status(y).mps_srights, "y: send rights in messages (flag)");

	assert_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy p's receive right");
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), p, &type), "p is gone");
	expect_true(wait_dead(x, MU_WAIT_MS), "x died with p's queue");
	expect_true(wait_dead(v, MU_WAIT_MS), "v died with p's queue");
	expect_true(wait_dead(u, MU_WAIT_MS), "u died with v's queue");
	expect_eq(0, mu_status(y).mps_srights, "y: both send rights released");
	expect_eq(CX_NO_MISMATCH, cx_check(buf, MIB, 5), "our copy of the memory is intact");
}

/* A destroyed send-once right notifies its port: MACH_NOTIFY_SEND_ONCE. */
static void destroyed_send_once_notifies(void)
{
	mach_port_t port = mu_port(), p = mu_port(), z = mu_port();
	struct cx_msg m;
	struct mu_rcv r;

	assert_true(port && p && z, "setup");
	/* Path 1: destroyed by a too-large receive. */
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, z, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	expect_eq(1, mu_status(z).mps_sorights, "one send-once right in flight");
	expect_kr(MACH_RCV_TOO_LARGE,
		  cx_recv_sized(port, &rcv, sizeof(mach_msg_header_t), 0, 0),
		  "too large, destroyed");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(z, &r, 0, MU_WAIT_MS),
		      "z receives the send-once notification")) {
		expect_eq(MACH_NOTIFY_SEND_ONCE, r.hdr.msgh_id, "msgh_id");
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(r.hdr.msgh_bits),
			  "carried by the send-once right");
	}
	expect_eq(0, mu_status(z).mps_sorights, "consumed");

	/* Path 2: destroyed with its destination's receive right. */
	cx_begin(&m, p, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, z, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	assert_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the destination");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(z, &r, 0, MU_WAIT_MS),
		      "z receives the send-once notification"))
		expect_eq(MACH_NOTIFY_SEND_ONCE, r.hdr.msgh_id, "msgh_id");
	expect_eq(0, mu_status(z).mps_sorights, "consumed");
}

/* The receiving task dies with our complex message queued. */
static void destroyed_by_task_exit(void)
{
	mach_port_t inbox = mu_port_send(), x = mu_port_send(), w = mu_port_send(), dest;
	struct mu_rcv r;
	struct cx_msg m;
	int go[2];
	pid_t pid;

	assert_true(inbox && x && w, "setup");
	assert_eq(0, pipe(go), "pipe");
	pid = cx_fork_bootstrap(inbox);
	if (pid == 0) {
		mach_port_t bp = cx_bootstrap(), mine = mu_port();

		close(go[1]);
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(bp, MACH_MSG_TYPE_COPY_SEND, mine, MACH_MSG_TYPE_MAKE_SEND,
				  ID, 0, 0, 0, MU_WAIT_MS), "child: hand over a send right");
		expect_true(mt_await(go[0], PEER_WAIT_MS), "child: wait");
		expect_eq(1, mu_status(mine).mps_msgcount, "child: the message is queued");
		mt_child_exit();	/* without receiving it */
	}
	close(go[0]);
	assert_true(pid > 0, "fork");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(inbox, &r, 0, MU_WAIT_MS), "the child's port");
	dest = r.hdr.msgh_remote_port;
	cx_begin(&m, dest, MACH_MSG_TYPE_COPY_SEND, ID);
	cx_add_port(&m, x, MACH_MSG_TYPE_MOVE_RECEIVE);
	cx_add_port(&m, w, MACH_MSG_TYPE_MOVE_SEND);
	expect_kr(MACH_MSG_SUCCESS, cx_send(&m, MU_WAIT_MS), "send to the child");
	mt_post(go[1]);
	expect_child_ok(pid, PEER_WAIT_MS, "child");
	expect_true(wait_dead(dest, MU_WAIT_MS), "the child's port died");
	expect_true(wait_dead(x, MU_WAIT_MS), "x died in the child's queue");
	for (uint64_t end = mt_now_ms() + MU_WAIT_MS;
	     mu_status(w).mps_srights != 0 && mt_now_ms() < end;)
		mt_sleep_ms(10);
	expect_eq(0, mu_status(w).mps_srights, "w: the moved send right was released");
}

static long mem_available_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * Memory in destroyed messages is freed: 16 x 8 MiB handed over with
 * deallocate = TRUE and destroyed with the port, then 32 x 4 MiB physical
 * copies destroyed by too-large receives.  A leak would show as 128 MiB
 * less MemAvailable per phase; allow 48 MiB of noise.
 */
static void destroyed_memory_is_freed(void)
{
	const long slack_kib = 48 * 1024;
	long before, after;
	uint8_t *keep = cx_alloc(4 * MIB);
	struct cx_msg m;

	assert_true(keep != NULL, "buffer");
	memset(keep, 0x5a, 4 * MIB);
	before = mem_available_kib();
	if (before < 0)
		mt_skip("no MemAvailable in /proc/meminfo");
	for (int i = 0; i < 16; i++) {
		mach_port_t p = mu_port();
		uint8_t *buf = cx_alloc(8 * MIB);

		assert_true(p && buf, "setup");
		memset(buf, i + 1, 8 * MIB);
		cx_begin(&m, p, MACH_MSG_TYPE_MAKE_SEND, ID);
		cx_add_ool(&m, buf, 8 * MIB, MACH_MSG_VIRTUAL_COPY, TRUE);
		assert_kr(MACH_MSG_SUCCESS, cx_send(&m, MU_WAIT_MS), "send 8 MiB");
		assert_kr(KERN_SUCCESS,
			  mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1),
			  "destroy the port with the message queued");
	}
	after = mem_available_kib();
	mt_diag("MemAvailable %ld -> %ld kB (destroyed ports)", before, after);
	expect_true(after > before - slack_kib, "memory of destroyed messages freed");

	before = mem_available_kib();
	for (int i = 0; i < 32; i++) {
		mach_port_t p = mu_port();

		assert_true(p != MACH_PORT_NULL, "port");
		cx_begin(&m, p, MACH_MSG_TYPE_MAKE_SEND, ID);
		cx_add_ool(&m, keep, 4 * MIB, MACH_MSG_PHYSICAL_COPY, FALSE);
		assert_kr(MACH_MSG_SUCCESS, cx_send(&m, MU_WAIT_MS), "send 4 MiB");
		expect_kr(MACH_RCV_TOO_LARGE,
			  cx_recv_sized(p, &rcv, sizeof(mach_msg_header_t), 0, 0),
			  "destroyed by a too-large receive");
		mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	}
	after = mem_available_kib();
	mt_diag("MemAvailable %ld -> %ld kB (too-large receives)", before, after);
	expect_true(after > before - slack_kib, "memory of too-large messages freed");
}

static const struct mt_case cases[] = {
	MT_CASE(rcv_large_keeps_message),
	MT_CASE(too_large_destroys),
	MT_CASE(destroy_with_queued_messages),
	MT_CASE(destroyed_send_once_notifies),
	MT_CASE(destroyed_by_task_exit),
	MT_CASE_T(destroyed_memory_is_freed, 300),
};

int main(void)
{
	return MT_RUN(cases);
}
