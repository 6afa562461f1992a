// SPDX-License-Identifier: GPL-2.0
/*
 * complex_port - port descriptors with every disposition, between two
 * tasks and within one: what the receiver is given, what the sender keeps.
 *
 * XNU references (osfmk/ipc/ipc_kmsg.c, ipc_object.c, ipc_right.c, ipc_port.c):
 *  - ipc_kmsg_copyin_port_descriptor() copies the right in with
 *    ipc_object_copyin(); the descriptor then holds the post-copyin type
 *    from ipc_object_copyin_type(): MOVE_RECEIVE -> PORT_RECEIVE (16),
 *    MOVE_SEND/COPY_SEND/MAKE_SEND -> PORT_SEND (17), MOVE_SEND_ONCE/
 *    MAKE_SEND_ONCE -> PORT_SEND_ONCE (18).  That value is what the receiver
 *    reads in the descriptor's disposition field.
 *  - A name that is not MACH_PORT_VALID (MACH_PORT_NULL, MACH_PORT_DEAD) is
 *    passed through unchanged; a dead name copied in with COPY_SEND or
 *    MOVE_SEND becomes IP_DEAD (ipc_right_copyin copy_dead/move_dead, DEADOK
 *    for the body) and is received as MACH_PORT_DEAD.
 *  - ipc_kmsg_copyout_port_descriptor() -> ipc_object_copyout(): send rights
 *    coalesce with an existing entry for the same port (ipc_right_reverse),
 *    each send-once right gets a name of its own.
 *  - MOVE_RECEIVE moves the port with its queue (the port is in transit).
 *  - Circularity: when a receive right travels in a message whose
 *    destination is that port, or a port queued in it (ipc_port_check_
 *    circularity() returns TRUE for port == dest and for a chain of ports in
 *    transit), the copyin sets MACH_MSGH_BITS_CIRCULAR and ipc_kmsg_send()
 *    destroys the whole message and returns MACH_MSG_SUCCESS.  Destroying it
 *    destroys the receive right, so the port dies and send rights to it
 *    become dead names.
 */
#include <string.h>

#include "complex_util.h"

#define ID		0x6100
#define PEER_WAIT_MS	30000

/* Receive one message from port; check it carries n port descriptors. */
static bool recv_ports(mach_port_t port, struct cx_rcv *r, unsigned int n)
{
	if (!expect_kr(MACH_MSG_SUCCESS, cx_recv(port, r, MU_WAIT_MS), "receive"))
		return false;
	expect_eq(ID, r->hdr.msgh_id, "msgh_id");
	if (!cx_expect_complex(&r->hdr, sizeof(mach_msg_base_t) + 12 * n, n))
		return false;
	for (unsigned int i = 0; i < n; i++)
		expect_eq(MACH_MSG_PORT_DESCRIPTOR, cx_port_desc(&r->hdr, i)->type,
			  "descriptor type");
	return true;
}

/* The right in descriptor i, after checking its received disposition. */
static mach_port_t got_right(const struct cx_rcv *r, unsigned int i,
			     mach_msg_type_name_t want)
{
	const mach_msg_port_descriptor_t *d = cx_port_desc(&r->hdr, i);

	expect_eq(want, d->disposition, "received disposition (PORT_* type)");
	return d->name;
}

static mach_msg_return_t send_one(mach_port_t dest, mach_msg_type_name_t dest_disp,
				  mach_port_t name, mach_msg_type_name_t disp)
{
	struct cx_msg m;

	cx_begin(&m, dest, dest_disp, ID);
	cx_add_port(&m, name, disp);
	return cx_send(&m, MU_WAIT_MS);
}

/*
 * The cross-task cases: the parent owns the inbox, the child finds a send
 * right to it as its bootstrap port and sends the descriptor.  go[] lets
 * the parent tell the child when to take its next step.
 */
struct peer {
	mach_port_t inbox;
	pid_t pid;
	int go[2];
};

static bool peer_start(struct peer *p, void (*child)(mach_port_t bp, int go_fd))
{
	p->inbox = mu_port_send();
	if (p->inbox == MACH_PORT_NULL || !expect_eq(0, pipe(p->go), "pipe"))
		return false;
	p->pid = cx_fork_bootstrap(p->inbox);
	if (p->pid == 0) {
		close(p->go[1]);
		child(cx_bootstrap(), p->go[0]);
		mt_child_exit();
	}
	close(p->go[0]);
	return expect_true(p->pid > 0, "fork");
}

static void peer_finish(struct peer *p)
{
	close(p->go[1]);
	expect_child_ok(p->pid, PEER_WAIT_MS, "child");
}

/* --- MOVE_RECEIVE ------------------------------------------------------- */

static void move_receive_child(mach_port_t bp, int go)
{
	mach_port_t c = mu_port_send();
	struct mu_rcv r;

	if (!expect_true(c != MACH_PORT_NULL, "child: port"))
		return;
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(c, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 11, 0, 0, 0),
		  "child: queue a message on the port to move");
	if (!expect_kr(MACH_MSG_SUCCESS, send_one(bp, MACH_MSG_TYPE_COPY_SEND, c,
						  MACH_MSG_TYPE_MOVE_RECEIVE),
		       "child: send MOVE_RECEIVE"))
		return;
	/* The send right stays under the name; the receive right is gone. */
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(c), "child: only the send right left");
	expect_eq(1, mu_refs(c, MACH_PORT_RIGHT_SEND), "child: send urefs");
	expect_eq(0, mu_refs(c, MACH_PORT_RIGHT_RECEIVE), "child: no receive right");
	expect_kr(MACH_RCV_INVALID_NAME, mu_recv(c, &r, 0, 0),
		  "child: cannot receive on it any more");
	if (!expect_true(mt_await(go, PEER_WAIT_MS), "child: wait for the parent"))
		return;
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(c, MACH_MSG_TYPE_COPY_SEND, 0, 0, 2, 22, 0, 0, MU_WAIT_MS),
		  "child: send through the kept send right");
}

static void move_receive_across_tasks(void)
{
	static struct cx_rcv r;
	struct mu_rcv m;
	struct peer p;
	mach_port_t got;

	assert_true(peer_start(&p, move_receive_child), "start the child");
	if (recv_ports(p.inbox, &r, 1)) {
		got = got_right(&r, 0, MACH_MSG_TYPE_PORT_RECEIVE);
		assert_true(MACH_PORT_VALID(got), "a name for the receive right");
		expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(got), "type in our space");
		expect_eq(1, mu_status(got).mps_srights, "the child's send right counts");
		expect_eq(1, mu_status(got).mps_msgcount, "its queued message came along");
		if (expect_kr(MACH_MSG_SUCCESS, mu_recv(got, &m, 0, MU_WAIT_MS),
			      "receive the queued message"))
			expect_eq(11, mu_as_msg(&m)->a, "queued payload");
		mt_post(p.go[1]);
		if (expect_kr(MACH_MSG_SUCCESS, mu_recv(got, &m, 0, MU_WAIT_MS),
			      "receive what the child sent afterwards"))
			expect_eq(22, mu_as_msg(&m)->a, "later payload");
	}
	peer_finish(&p);
}

/* --- MOVE_SEND ---------------------------------------------------------- */

static void move_send_child(mach_port_t bp, int go)
{
	mach_port_t c = cx_port_send_refs(3);
	struct cx_msg msg;
	struct mu_rcv r;

	(void)go;
	if (!expect_true(c != MACH_PORT_NULL, "child: port"))
		return;
	cx_begin(&msg, bp, MACH_MSG_TYPE_COPY_SEND, ID);
	cx_add_port(&msg, c, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(&msg, c, MACH_MSG_TYPE_MOVE_SEND);
	if (!expect_kr(MACH_MSG_SUCCESS, cx_send(&msg, MU_WAIT_MS),
		       "child: send two MOVE_SEND descriptors"))
		return;
	expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, mu_type(c), "child: type");
	expect_eq(1, mu_refs(c, MACH_PORT_RIGHT_SEND), "child: 3 - 2 send urefs");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(c, &r, 0, MU_WAIT_MS),
		      "child: receive what the parent sent with the moved right"))
		expect_eq(33, mu_as_msg(&r)->a, "child: payload");
	/* mps_srights is a flag: ip_srights > 0 (mach_port_get_status_helper) */
	expect_eq(1, mu_status(c).mps_srights, "child: send rights exist");
}

static void move_send_across_tasks(void)
{
	static struct cx_rcv r;
	struct peer p;
	mach_port_t a, b;

	assert_true(peer_start(&p, move_send_child), "start the child");
	if (recv_ports(p.inbox, &r, 2)) {
		a = got_right(&r, 0, MACH_MSG_TYPE_PORT_SEND);
		b = got_right(&r, 1, MACH_MSG_TYPE_PORT_SEND);
		expect_true(MACH_PORT_VALID(a), "a name");
		expect_eq(a, b, "both send rights coalesce under one name");
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(a), "type in our space");
		expect_eq(2, mu_refs(a, MACH_PORT_RIGHT_SEND), "two urefs");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(a, MACH_MSG_TYPE_COPY_SEND, 0, 0, 3, 33, 0, 0, MU_WAIT_MS),
			  "send through the received right");
	}
	peer_finish(&p);
}

/* --- MOVE_SEND_ONCE ----------------------------------------------------- */

static void move_send_once_child(mach_port_t bp, int go)
{
	mach_port_t c = mu_port(), so;
	mach_port_type_t type;
	struct mu_rcv r;

	(void)go;
	if (!expect_true(c != MACH_PORT_NULL, "child: port"))
		return;
	so = cx_send_once(c);
	if (!expect_kr(MACH_MSG_SUCCESS, send_one(bp, MACH_MSG_TYPE_COPY_SEND, so,
						  MACH_MSG_TYPE_MOVE_SEND_ONCE),
		       "child: send MOVE_SEND_ONCE"))
		return;
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), so, &type),
		  "child: the send-once name is gone");
	expect_eq(1, mu_status(c).mps_sorights, "child: the right still exists");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(c, &r, 0, MU_WAIT_MS),
		      "child: receive the parent's reply")) {
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(r.hdr.msgh_bits),
			  "child: it came on the send-once right");
		expect_eq(44, mu_as_msg(&r)->a, "child: payload");
	}
	expect_eq(0, mu_status(c).mps_sorights, "child: consumed");
}

static void move_send_once_across_tasks(void)
{
	static struct cx_rcv r;
	struct peer p;
	mach_port_t so;
	mach_port_type_t type;

	assert_true(peer_start(&p, move_send_once_child), "start the child");
	if (recv_ports(p.inbox, &r, 1)) {
		so = got_right(&r, 0, MACH_MSG_TYPE_PORT_SEND_ONCE);
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "type in our space");
		expect_eq(1, mu_refs(so, MACH_PORT_RIGHT_SEND_ONCE), "one send-once right");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 4, 44, 0, 0,
				  MU_WAIT_MS), "reply through it");
		expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), so, &type),
			  "used up");
	}
	peer_finish(&p);
}

/* --- COPY_SEND ---------------------------------------------------------- */

static void copy_send_child(mach_port_t bp, int go)
{
	mach_port_t c = mu_port_send();
	struct mu_rcv r;

	(void)go;
	if (!expect_true(c != MACH_PORT_NULL, "child: port"))
		return;
	if (!expect_kr(MACH_MSG_SUCCESS, send_one(bp, MACH_MSG_TYPE_COPY_SEND, c,
						  MACH_MSG_TYPE_COPY_SEND),
		       "child: send COPY_SEND"))
		return;
	expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, mu_type(c), "child: type unchanged");
	expect_eq(1, mu_refs(c, MACH_PORT_RIGHT_SEND), "child: keeps its uref");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(c, &r, 0, MU_WAIT_MS),
		      "child: receive from the parent"))
		expect_eq(55, mu_as_msg(&r)->a, "child: payload");
	expect_eq(1, mu_status(c).mps_srights, "child: send rights exist (flag)");
}

static void copy_send_across_tasks(void)
{
	static struct cx_rcv r;
	struct peer p;
	mach_port_t s;

	assert_true(peer_start(&p, copy_send_child), "start the child");
	if (recv_ports(p.inbox, &r, 1)) {
		s = got_right(&r, 0, MACH_MSG_TYPE_PORT_SEND);
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(s), "type in our space");
		expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "one uref");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(s, MACH_MSG_TYPE_COPY_SEND, 0, 0, 5, 55, 0, 0, MU_WAIT_MS),
			  "send through it");
	}
	peer_finish(&p);
}

/* --- MAKE_SEND ---------------------------------------------------------- */

static void make_send_child(mach_port_t bp, int go)
{
	mach_port_t c = mu_port();
	mach_port_status_t st;
	struct mu_rcv r;

	(void)go;
	if (!expect_true(c != MACH_PORT_NULL, "child: port"))
		return;
	if (!expect_kr(MACH_MSG_SUCCESS, send_one(bp, MACH_MSG_TYPE_COPY_SEND, c,
						  MACH_MSG_TYPE_MAKE_SEND),
		       "child: send MAKE_SEND"))
		return;
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(c), "child: keeps no send right");
	st = mu_status(c);
	expect_eq(1, st.mps_mscount, "child: make-send count");
	expect_eq(1, st.mps_srights, "child: one send right exists (in flight/parent)");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(c, &r, 0, MU_WAIT_MS),
		      "child: receive from the parent"))
		expect_eq(66, mu_as_msg(&r)->a, "child: payload");
}

static void make_send_across_tasks(void)
{
	static struct cx_rcv r;
	struct peer p;
	mach_port_t s;

	assert_true(peer_start(&p, make_send_child), "start the child");
	if (recv_ports(p.inbox, &r, 1)) {
		s = got_right(&r, 0, MACH_MSG_TYPE_PORT_SEND);
		expect_eq(MACH_PORT_TYPE_SEND, mu_type(s), "type in our space");
		expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "one uref");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(s, MACH_MSG_TYPE_COPY_SEND, 0, 0, 6, 66, 0, 0, MU_WAIT_MS),
			  "send through it");
	}
	peer_finish(&p);
}

/* --- MAKE_SEND_ONCE ----------------------------------------------------- */

static void make_send_once_child(mach_port_t bp, int go)
{
	mach_port_t c = mu_port();
	struct mu_rcv r;

	(void)go;
	if (!expect_true(c != MACH_PORT_NULL, "child: port"))
		return;
	if (!expect_kr(MACH_MSG_SUCCESS, send_one(bp, MACH_MSG_TYPE_COPY_SEND, c,
						  MACH_MSG_TYPE_MAKE_SEND_ONCE),
		       "child: send MAKE_SEND_ONCE"))
		return;
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(c), "child: keeps nothing new");
	expect_eq(1, mu_status(c).mps_sorights, "child: one send-once right exists");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(c, &r, 0, MU_WAIT_MS),
		      "child: receive the parent's reply")) {
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(r.hdr.msgh_bits),
			  "child: it came on the send-once right");
		expect_eq(77, mu_as_msg(&r)->a, "child: payload");
	}
	expect_eq(0, mu_status(c).mps_sorights, "child: consumed");
}

static void make_send_once_across_tasks(void)
{
	static struct cx_rcv r;
	struct peer p;
	mach_port_t so;

	assert_true(peer_start(&p, make_send_once_child), "start the child");
	if (recv_ports(p.inbox, &r, 1)) {
		so = got_right(&r, 0, MACH_MSG_TYPE_PORT_SEND_ONCE);
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "type in our space");
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, 7, 77, 0, 0,
				  MU_WAIT_MS), "reply through it");
	}
	peer_finish(&p);
}

/* --- one task ----------------------------------------------------------- */

/* MACH_PORT_NULL / MACH_PORT_DEAD pass through; dead names arrive dead. */
static void null_and_dead_names(void)
{
	static struct cx_rcv r;
	mach_port_t port = mu_port(), dn = cx_dead_name(3);
	struct cx_msg m;
	int names;

	assert_true(port && dn, "ports");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(dn), "a dead name");
	names = mu_names_count();
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND);
	cx_add_port(&m, MACH_PORT_DEAD, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(&m, dn, MACH_MSG_TYPE_COPY_SEND);
	cx_add_port(&m, dn, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_port(&m, MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	/* COPY_SEND of a dead name keeps its urefs; MOVE_SEND takes one. */
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(dn), "still a dead name");
	expect_eq(2, mu_refs(dn, MACH_PORT_RIGHT_DEAD_NAME), "3 - 1 dead-name urefs");
	if (recv_ports(port, &r, 5)) {
		expect_eq(MACH_PORT_NULL, got_right(&r, 0, MACH_MSG_TYPE_PORT_SEND), "NULL");
		expect_eq(MACH_PORT_DEAD, got_right(&r, 1, MACH_MSG_TYPE_PORT_SEND), "DEAD");
		expect_eq(MACH_PORT_DEAD, got_right(&r, 2, MACH_MSG_TYPE_PORT_SEND),
			  "copied dead name arrives as MACH_PORT_DEAD");
		expect_eq(MACH_PORT_DEAD, got_right(&r, 3, MACH_MSG_TYPE_PORT_SEND),
			  "moved dead name arrives as MACH_PORT_DEAD");
		expect_eq(MACH_PORT_NULL, got_right(&r, 4, MACH_MSG_TYPE_PORT_SEND_ONCE),
			  "NULL with a send-once disposition");
	}
	expect_eq(names, mu_names_count(), "no new names");
}

/*
 * XNU checks a descriptor's disposition only when it copies in a valid
 * name: NULL and DEAD travel with any disposition and arrive with the
 * PORT_* type it stands for, 0 for one that means nothing.  (Apple's mig
 * leaves the unused entries of a bounded port array with whatever the
 * stack held.)  A valid name with such a disposition is refused.
 */
static void null_and_dead_names_any_disposition(void)
{
	static struct cx_rcv r;
	mach_port_t port = mu_port(), x = mu_port(), arr[3];
	const mach_msg_ool_ports_descriptor_t *od;
	struct cx_msg m;
	int names;

	assert_true(port && x, "ports");
	names = mu_names_count();
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, MACH_PORT_NULL, 0x99);
	cx_add_port(&m, MACH_PORT_DEAD, 0);
	cx_add_port(&m, MACH_PORT_NULL, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send NULL and DEAD with bad dispositions");
	if (recv_ports(port, &r, 3)) {
		expect_eq(MACH_PORT_NULL, got_right(&r, 0, 0), "NULL, disposition 0x99 -> 0");
		expect_eq(MACH_PORT_DEAD, got_right(&r, 1, 0), "DEAD, disposition 0 -> 0");
		expect_eq(MACH_PORT_NULL, got_right(&r, 2, MACH_MSG_TYPE_PORT_SEND),
			  "NULL, MAKE_SEND -> PORT_SEND");
	}

	arr[0] = MACH_PORT_NULL;
	arr[1] = MACH_PORT_DEAD;
	arr[2] = MACH_PORT_NULL;
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_ool_ports(&m, arr, 3, 0x77, MACH_MSG_PHYSICAL_COPY, FALSE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send an array of NULL and DEAD, disposition 0x77");
	if (expect_kr(MACH_MSG_SUCCESS, cx_recv(port, &r, MU_WAIT_MS), "receive the array") &&
	    cx_expect_complex(&r.hdr, sizeof(mach_msg_base_t) + sizeof(*od), 1)) {
		od = (const mach_msg_ool_ports_descriptor_t *)
			((const uint8_t *)&r.hdr + sizeof(mach_msg_base_t));
		expect_eq(0, od->disposition, "array disposition 0x77 -> 0");
		expect_eq(3, od->count, "count");
		if (expect_true(od->address != NULL, "array mapped")) {
			const mach_port_t *got = od->address;

			expect_eq(MACH_PORT_NULL, got[0], "[0] NULL");
			expect_eq(MACH_PORT_DEAD, got[1], "[1] DEAD");
			expect_eq(MACH_PORT_NULL, got[2], "[2] NULL");
			expect_kr(KERN_SUCCESS, vm_deallocate(mach_task_self(),
				  (vm_address_t)od->address, 3 * sizeof(mach_port_t)),
				  "vm_deallocate");
		}
	}

	/* a valid name: the copy-in refuses the disposition */
	expect_kr(MACH_SEND_INVALID_RIGHT, send_one(port, MACH_MSG_TYPE_MAKE_SEND, x, 0x99),
		  "a valid name with disposition 0x99");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(x), "its right untouched");
	expect_eq(names, mu_names_count(), "no new names");
}

/* Within one space send rights coalesce with the receive right's name. */
static void same_task_coalescing(void)
{
	static struct cx_rcv r;
	mach_port_t port = mu_port(), x = mu_port(), so[3];
	struct cx_msg m;
	unsigned int i;

	assert_true(port && x, "ports");
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	for (i = 0; i < 50; i++)
		cx_add_port(&m, x, MACH_MSG_TYPE_MAKE_SEND);
	for (i = 0; i < 3; i++)
		cx_add_port(&m, x, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send 53 descriptors");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(x), "nothing given to the sender");
	expect_eq(1, mu_status(x).mps_srights, "send rights in flight (flag)");
	expect_eq(3, mu_status(x).mps_sorights, "3 send-once rights in flight");
	if (!recv_ports(port, &r, 53))
		return;
	for (i = 0; i < 50; i++)
		if (!expect_eq(x, got_right(&r, i, MACH_MSG_TYPE_PORT_SEND),
			       "send right lands on the receive right's name"))
			break;
	expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, mu_type(x), "type");
	expect_eq(50, mu_refs(x, MACH_PORT_RIGHT_SEND), "50 urefs");
	for (i = 0; i < 3; i++) {
		so[i] = got_right(&r, 50 + i, MACH_MSG_TYPE_PORT_SEND_ONCE);
		expect_ne(x, so[i], "a send-once right has its own name");
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so[i]), "send-once type");
	}
	expect_ne(so[0], so[1], "distinct names");
	expect_ne(so[1], so[2], "distinct names");
}

/* A receive right sent to itself: destroyed with the message (circular). */
static void circular_self(void)
{
	mach_port_t p = mu_port_send(), q = mu_port();
	mach_port_type_t type;

	assert_true(p && q, "ports");
	expect_kr(MACH_MSG_SUCCESS,
		  send_one(p, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_RECEIVE),
		  "send p's receive right to p: success, message destroyed");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(p), "p died: our send right is dead");
	expect_eq(1, mu_refs(p, MACH_PORT_RIGHT_DEAD_NAME), "dead-name urefs");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID, 0, 0, 0, 0),
		  "a send to it fails");

	/* With MAKE_SEND as the destination nothing is left at all. */
	expect_kr(MACH_MSG_SUCCESS,
		  send_one(q, MACH_MSG_TYPE_MAKE_SEND, q, MACH_MSG_TYPE_MOVE_RECEIVE),
		  "send q's receive right to q");
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), q, &type),
		  "q's name is gone");
}

/* p is queued (in transit) in q; sending q's receive right to p closes a loop. */
static void circular_chain(void)
{
	mach_port_t p = mu_port_send(), q = mu_port_send();

	assert_true(p && q, "ports");
	assert_kr(MACH_MSG_SUCCESS,
		  send_one(q, MACH_MSG_TYPE_COPY_SEND, p, MACH_MSG_TYPE_MOVE_RECEIVE),
		  "put p's receive right in q's queue");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(p), "p: send right only now");
	expect_eq(1, mu_status(q).mps_msgcount, "queued in q");
	expect_kr(MACH_MSG_SUCCESS,
		  send_one(p, MACH_MSG_TYPE_COPY_SEND, q, MACH_MSG_TYPE_MOVE_RECEIVE),
		  "send q's receive right to p (circular): success");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(q), "q died");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(p), "p died with q's queue");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(p, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID, 0, 0, 0, 0), "send to p");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(q, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID, 0, 0, 0, 0), "send to q");
}

/* A receive right moved within the task, queue and all, under a new name. */
static void move_receive_same_task(void)
{
	static struct cx_rcv r;
	mach_port_t port = mu_port(), x = mu_port(), got;
	mach_port_type_t type;
	struct mu_rcv m;

	assert_true(port && x, "ports");
	for (uint32_t i = 0; i < 3; i++)
		assert_kr(MACH_MSG_SUCCESS,
			  mu_send(x, MACH_MSG_TYPE_MAKE_SEND, 0, 0, 9, i, 0, 0, 0),
			  "queue on x");
	assert_kr(MACH_MSG_SUCCESS,
		  send_one(port, MACH_MSG_TYPE_MAKE_SEND, x, MACH_MSG_TYPE_MOVE_RECEIVE),
		  "send x's receive right");
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), x, &type),
		  "x's name is gone while in transit");
	if (!recv_ports(port, &r, 1))
		return;
	got = got_right(&r, 0, MACH_MSG_TYPE_PORT_RECEIVE);
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(got), "a receive right again");
	expect_eq(3, mu_status(got).mps_msgcount, "its three messages");
	for (uint32_t i = 0; i < 3; i++)
		if (expect_kr(MACH_MSG_SUCCESS, mu_recv(got, &m, 0, 0), "receive"))
			expect_eq(i, mu_as_msg(&m)->a, "in order");
}

/* Complex bit with no descriptors is a valid message; the bit stays. */
static void zero_descriptors(void)
{
	static struct cx_rcv r;
	mach_port_t port = mu_port();
	struct cx_msg m;

	assert_true(port != MACH_PORT_NULL, "port");
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	if (expect_kr(MACH_MSG_SUCCESS, cx_recv(port, &r, MU_WAIT_MS), "receive"))
		cx_expect_complex(&r.hdr, sizeof(mach_msg_base_t), 0);
}

/* Inline data after the descriptors arrives right after them. */
static void inline_data_after_descriptors(void)
{
	static struct cx_rcv r;
	mach_port_t port = mu_port(), x = mu_port_send();
	uint32_t data[5] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5 }, got[5];
	struct cx_msg m;

	assert_true(port && x, "ports");
	cx_begin(&m, port, MACH_MSG_TYPE_MAKE_SEND, ID);
	cx_add_port(&m, x, MACH_MSG_TYPE_COPY_SEND);
	cx_add_port(&m, x, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	cx_put(&m, data, sizeof(data));
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	assert_kr(MACH_MSG_SUCCESS, cx_recv(port, &r, MU_WAIT_MS), "receive");
	cx_expect_complex(&r.hdr, sizeof(mach_msg_base_t) + 24 + sizeof(data), 2);
	memcpy(got, (const uint8_t *)&r.hdr + sizeof(mach_msg_base_t) + 24, sizeof(got));
	for (int i = 0; i < 5; i++)
		expect_eq(data[i], got[i], "inline word");
	expect_eq(2, mu_refs(x, MACH_PORT_RIGHT_SEND), "copied right came back");
}

static const struct mt_case cases[] = {
	MT_CASE(move_receive_across_tasks),
	MT_CASE(move_send_across_tasks),
	MT_CASE(move_send_once_across_tasks),
	MT_CASE(copy_send_across_tasks),
	MT_CASE(make_send_across_tasks),
	MT_CASE(make_send_once_across_tasks),
	MT_CASE(null_and_dead_names),
	MT_CASE(null_and_dead_names_any_disposition),
	MT_CASE(same_task_coalescing),
	MT_CASE(circular_self),
	MT_CASE(circular_chain),
	MT_CASE(move_receive_same_task),
	MT_CASE(zero_descriptors),
	MT_CASE(inline_data_after_descriptors),
};

int main(void)
{
	return MT_RUN(cases);
}
