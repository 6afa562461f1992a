// SPDX-License-Identifier: GPL-2.0
/*
 * msg_dispositions - every disposition a header or a port descriptor can
 * carry, what the sender keeps afterwards and what the receiver is given.
 *
 * XNU (osfmk/ipc/ipc_kmsg.c, ipc_kmsg_copyin_header/copyout_header): the
 * receiver sees the destination in msgh_local_port with the bits of the
 * right that carried the message (PORT_SEND or PORT_SEND_ONCE) and the
 * reply right in msgh_remote_port.  A header field takes send dispositions
 * only (MACH_MSG_TYPE_PORT_ANY_SEND), else MACH_SEND_INVALID_HEADER.
 * Within one space, send rights for a port coalesce under one name; each
 * send-once right gets a name of its own.
 */
#include <string.h>

#include "msg_util.h"

#define ID	0x4444

/* Receive one mu_msg from port; check which right carried it. */
static bool recv_with(mach_port_t port, struct mu_rcv *r,
		      mach_msg_type_name_t dest_bits)
{
	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(port, r, 0, MU_WAIT_MS), "receive"))
		return false;
	expect_eq(ID, r->hdr.msgh_id, "msgh_id");
	expect_eq(port, r->hdr.msgh_local_port, "msgh_local_port");
	expect_eq(dest_bits, MACH_MSGH_BITS_LOCAL(r->hdr.msgh_bits),
		  "local bits (the right the message came with)");
	return true;
}

static void remote_make_send(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, ID, 1, 2, 0, 0), "send");
	expect_eq(0, mu_refs(port, MACH_PORT_RIGHT_SEND), "sender's send urefs");
	expect_eq(1, mu_status(port).mps_mscount, "make-send count");
	if (recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND)) {
		expect_eq(0, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits), "no reply bits");
		expect_eq(1, mu_as_msg(&r)->a, "payload");
		expect_eq(2, mu_as_msg(&r)->b, "payload");
	}
	expect_eq(0, mu_status(port).mps_srights, "no send right left anywhere");
}

static void remote_copy_send(void)
{
	mach_port_t port = mu_port_send();
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, 0, 0, ID, 0, 0, 0, 0), "send");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "sender keeps its uref");
	recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND);
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "still one uref");
}

static void remote_move_send(void)
{
	mach_port_t task = mach_task_self(), port = mu_port_send();
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 1),
		  "mod_refs(SEND, +1)");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MOVE_SEND, 0, 0, ID, 0, 0, 0, 0), "send");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "one uref moved out");
	recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND);
	/* Delivered to its own receiver, the moved right is consumed. */
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "not given back");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MOVE_SEND, 0, 0, ID, 0, 0, 0, 0),
		  "send the last uref");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "send right gone");
	recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND);
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(port, MACH_MSG_TYPE_MOVE_SEND, 0, 0, ID, 0, 0, 0, 0),
		  "MOVE_SEND without a send right");
}

static void remote_make_send_once(void)
{
	mach_port_t port = mu_port();
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND_ONCE, 0, 0, ID, 0, 0, 0, 0),
		  "send");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "sender keeps nothing");
	expect_eq(1, mu_status(port).mps_sorights, "the message holds a send-once");
	recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND_ONCE);
	expect_eq(0, mu_status(port).mps_sorights, "consumed by delivery");
}

static mach_port_t make_send_once(mach_port_t port)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t acquired;

	expect_kr(KERN_SUCCESS,
		  mach_port_extract_right(mach_task_self(), port,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &acquired),
		  "extract_right MAKE_SEND_ONCE");
	return so;
}

static void remote_move_send_once(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), so;
	mach_port_type_t type;
	struct mu_rcv r;

	assert_true(port != MACH_PORT_NULL, "port");
	so = make_send_once(port);
	assert_true(so != MACH_PORT_NULL, "send-once right");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, ID, 0, 0, 0, 0),
		  "send through the send-once right");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, so, &type),
		  "the send-once name is gone");
	/* A send-once right is good for exactly one message. */
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, ID, 0, 0, 0, 0),
		  "second send through it");
	recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND_ONCE);
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "only one message");
}

/* The reply right: with MAKE_SEND it lands on the reply port's own name. */
static void local_make_send(void)
{
	mach_port_t port = mu_port(), reply = mu_port();
	struct mu_rcv r;

	assert_true(port && reply, "ports");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_MAKE_SEND,
			  ID, 0, 0, 0, 0), "send");
	expect_eq(0, mu_refs(reply, MACH_PORT_RIGHT_SEND), "nothing kept before receive");
	if (recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND)) {
		expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
			  "remote bits");
		expect_eq(reply, r.hdr.msgh_remote_port, "coalesced with the receive right");
	}
	expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, mu_type(reply), "reply type");
	expect_eq(1, mu_refs(reply, MACH_PORT_RIGHT_SEND), "the received send uref");
}

static void local_copy_and_move_send(void)
{
	mach_port_t port = mu_port(), reply = mu_port_send();
	struct mu_rcv r;

	assert_true(port && reply, "ports");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_COPY_SEND,
			  ID, 0, 0, 0, 0), "send with COPY_SEND reply");
	expect_eq(1, mu_refs(reply, MACH_PORT_RIGHT_SEND), "copy keeps the uref");
	if (recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND)) {
		expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
			  "remote bits");
		expect_eq(reply, r.hdr.msgh_remote_port, "same name");
	}
	expect_eq(2, mu_refs(reply, MACH_PORT_RIGHT_SEND), "plus the received one");

	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply, MACH_MSG_TYPE_MOVE_SEND,
			  ID, 0, 0, 0, 0), "send with MOVE_SEND reply");
	expect_eq(1, mu_refs(reply, MACH_PORT_RIGHT_SEND), "moved out");
	if (recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND)) {
		expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
			  "remote bits");
		expect_eq(reply, r.hdr.msgh_remote_port, "same name");
	}
	expect_eq(2, mu_refs(reply, MACH_PORT_RIGHT_SEND), "and back in");
}

static void local_send_once(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), reply = mu_port();
	mach_port_t so, so2;
	mach_port_type_t type;
	struct mu_rcv r;

	assert_true(port && reply, "ports");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply,
			  MACH_MSG_TYPE_MAKE_SEND_ONCE, ID, 0, 0, 0, 0),
		  "send with MAKE_SEND_ONCE reply");
	assert_true(recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND), "request");
	expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
		  "remote bits");
	so = r.hdr.msgh_remote_port;
	expect_ne(reply, so, "a send-once right has its own name");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "type of the reply right");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(reply), "reply port unchanged");
	/* Answer through it, as a server does. */
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, ID, 0, 0, 0, 0),
		  "reply");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, so, &type), "used up");
	recv_with(reply, &r, MACH_MSG_TYPE_PORT_SEND_ONCE);

	/* MOVE_SEND_ONCE as the reply disposition. */
	so2 = make_send_once(reply);
	assert_true(so2 != MACH_PORT_NULL, "send-once right");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, so2,
			  MACH_MSG_TYPE_MOVE_SEND_ONCE, ID, 0, 0, 0, 0),
		  "send with MOVE_SEND_ONCE reply");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, so2, &type),
		  "moved out of the sender");
	if (recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND)) {
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE,
			  MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits), "remote bits");
		expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(r.hdr.msgh_remote_port),
			  "received send-once right");
	}
}

static void header_errors(void)
{
	mach_port_t port = mu_port(), reply = mu_port();
	struct mu_rcv r;

	assert_true(port && reply, "ports");
	expect_kr(MACH_SEND_INVALID_HEADER,
		  mu_send(port, MACH_MSG_TYPE_MOVE_RECEIVE, 0, 0, ID, 0, 0, 0, 0),
		  "MOVE_RECEIVE as the destination disposition");
	expect_kr(MACH_SEND_INVALID_HEADER,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply,
			  MACH_MSG_TYPE_MOVE_RECEIVE, ID, 0, 0, 0, 0),
		  "MOVE_RECEIVE as the reply disposition");
	expect_kr(MACH_SEND_INVALID_HEADER,
		  mu_send(port, 0, 0, 0, ID, 0, 0, 0, 0),
		  "no destination disposition");
	expect_kr(MACH_SEND_INVALID_HEADER,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply, 0, ID, 0, 0, 0, 0),
		  "a reply name without a disposition");
	expect_kr(MACH_SEND_INVALID_REPLY,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0x7ffe0103,
			  MACH_MSG_TYPE_MAKE_SEND_ONCE, ID, 0, 0, 0, 0),
		  "a reply name that is not there");
	expect_kr(MACH_SEND_INVALID_REPLY,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, reply,
			  MACH_MSG_TYPE_COPY_SEND, ID, 0, 0, 0, 0),
		  "COPY_SEND of a reply port we hold no send right for");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "port untouched");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(reply), "reply untouched");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "nothing was queued");
}

/* --- rights in port descriptors ---------------------------------------- */

struct port_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
};

static mach_msg_return_t send_port(mach_port_t dest, mach_port_t right,
				   mach_msg_type_name_t disposition)
{
	struct port_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) |
			  MACH_MSGH_BITS_COMPLEX;
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = dest;
	m.hdr.msgh_id = ID;
	m.body.msgh_descriptor_count = 1;
	m.port.name = right;
	m.port.disposition = disposition;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL);
}

/* Receive a port_msg; return the right it carried (or MACH_PORT_NULL). */
static mach_port_t recv_port(mach_port_t port, mach_msg_type_name_t want)
{
	struct mu_rcv r;
	const struct port_msg *m = (const void *)&r;

	if (!recv_with(port, &r, MACH_MSG_TYPE_PORT_SEND))
		return MACH_PORT_NULL;
	expect_true(m->hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX, "complex bit");
	expect_eq(sizeof(*m), m->hdr.msgh_size, "msgh_size");
	expect_eq(1, m->body.msgh_descriptor_count, "descriptor count");
	expect_eq(MACH_MSG_PORT_DESCRIPTOR, m->port.type, "descriptor type");
	expect_eq(want, m->port.disposition, "received disposition");
	return m->port.name;
}

static void descriptor_move_receive(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), moved = mu_port(), got;
	mach_port_type_t type;

	assert_true(port && moved, "ports");
	/* A message waiting in the moved port's queue travels with it. */
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(moved, MACH_MSG_TYPE_MAKE_SEND, 0, 0, ID, 9, 9, 0, 0),
		  "queue a message on the port to move");
	assert_kr(MACH_MSG_SUCCESS, send_port(port, moved, MACH_MSG_TYPE_MOVE_RECEIVE),
		  "send MOVE_RECEIVE");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, moved, &type),
		  "the sender lost the receive right");
	got = recv_port(port, MACH_MSG_TYPE_PORT_RECEIVE);
	assert_true(MACH_PORT_VALID(got), "a receive right arrived");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(got), "type");
	expect_eq(1, mu_status(got).mps_msgcount, "its queue came along");
}

static void descriptor_send_rights(void)
{
	mach_port_t port = mu_port(), carried = mu_port(), got;

	assert_true(port && carried, "ports");
	assert_kr(MACH_MSG_SUCCESS, send_port(port, carried, MACH_MSG_TYPE_MAKE_SEND),
		  "send MAKE_SEND");
	got = recv_port(port, MACH_MSG_TYPE_PORT_SEND);
	expect_eq(carried, got, "coalesced with our receive right");
	expect_eq(1, mu_refs(carried, MACH_PORT_RIGHT_SEND), "send urefs");

	assert_kr(MACH_MSG_SUCCESS, send_port(port, carried, MACH_MSG_TYPE_COPY_SEND),
		  "send COPY_SEND");
	expect_eq(1, mu_refs(carried, MACH_PORT_RIGHT_SEND), "copy keeps the uref");
	got = recv_port(port, MACH_MSG_TYPE_PORT_SEND);
	expect_eq(carried, got, "same name");
	expect_eq(2, mu_refs(carried, MACH_PORT_RIGHT_SEND), "send urefs");

	assert_kr(MACH_MSG_SUCCESS,
		  send_port(port, carried, MACH_MSG_TYPE_MAKE_SEND_ONCE),
		  "send MAKE_SEND_ONCE");
	got = recv_port(port, MACH_MSG_TYPE_PORT_SEND_ONCE);
	expect_ne(carried, got, "a name of its own");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(got), "type");
}

static const struct mt_case cases[] = {
	MT_CASE(remote_make_send),
	MT_CASE(remote_copy_send),
	MT_CASE(remote_move_send),
	MT_CASE(remote_make_send_once),
	MT_CASE(remote_move_send_once),
	MT_CASE(local_make_send),
	MT_CASE(local_copy_and_move_send),
	MT_CASE(local_send_once),
	MT_CASE(header_errors),
	MT_CASE(descriptor_move_receive),
	MT_CASE(descriptor_send_rights),
};

int main(void)
{
	return MT_RUN(cases);
}
