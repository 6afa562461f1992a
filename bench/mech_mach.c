// SPDX-License-Identifier: GPL-2.0
/*
 * machbench's Mach rows: the RPC (send a request with a MAKE_SEND_ONCE
 * reply right, the server answers and receives the next request in one
 * mach_msg), a one-way stream, OOL memory, the RPC received through a
 * port set, and the RPC with its server in another process (as a real
 * Mach server is).  The helpers are shared with scale.c.
 */
#include "machbench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct ool_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t ool;
};

void kr_check(kern_return_t kr, const char *what)
{
	if (kr != KERN_SUCCESS)
		die("%s: %s (0x%x)", what, mach_error_string(kr), kr);
}

mach_port_t new_port(bool send)
{
	mach_port_t p;

	kr_check(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p),
		 "mach_port_allocate");
	if (send)
		kr_check(mach_port_insert_right(mach_task_self(), p, p,
						MACH_MSG_TYPE_MAKE_SEND),
			 "mach_port_insert_right");
	return p;
}

void set_qlimit(mach_port_t p, unsigned int q)
{
	mach_port_limits_t l = { .mpl_qlimit = q };

	kr_check(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO,
					  (mach_port_info_t)&l, MACH_PORT_LIMITS_INFO_COUNT),
		 "mach_port_set_attributes(LIMITS)");
}

static size_t mach_inline_len(const struct ctx *c)
{
	return sizeof(mach_msg_header_t) + ((c->size + 3) & ~(size_t)3);
}

int mach_setup(struct ctx *c)
{
	c->port = new_port(true);
	c->reply = new_port(false);
	c->rcv_name = c->port;
	if (!strcmp(c->m->kind, "1way")) {
		/* Queue depth that holds about 16 KiB, as SysV's msgmnb. */
		unsigned long q = 16384 / (c->size > 64 ? c->size : 64);

		set_qlimit(c->port, q < 5 ? 5 : q > 1024 ? 1024 : (unsigned int)q);
	}
	return 0;
}

static int pset_setup(struct ctx *c)
{
	mach_port_t task = mach_task_self();

	c->reply = new_port(false);
	kr_check(mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &c->set),
		 "mach_port_allocate(PORT_SET)");
	c->memb = calloc(c->variant, sizeof(*c->memb));
	if (!c->memb)
		die("out of memory");
	for (unsigned int i = 0; i < c->variant; i++) {
		c->memb[i] = new_port(false);
		kr_check(mach_port_insert_member(task, c->memb[i], c->set),
			 "mach_port_insert_member");
	}
	/* The ready list makes the member irrelevant; take the newest. */
	c->port = c->memb[c->variant - 1];
	kr_check(mach_port_insert_right(task, c->port, c->port, MACH_MSG_TYPE_MAKE_SEND),
		 "mach_port_insert_right");
	c->rcv_name = c->set;
	return 0;
}

void mach_teardown(struct ctx *c)
{
	mach_port_t task = mach_task_self();

	if (c->memb) {
		for (unsigned int i = 0; i < c->variant; i++)
			mach_port_destroy(task, c->memb[i]);
		free(c->memb);
		c->memb = NULL;
		mach_port_destroy(task, c->set);
	} else {
		mach_port_destroy(task, c->port);
	}
	mach_port_destroy(task, c->reply);
}

void mach_check(mach_msg_return_t mr, const char *what)
{
	if (mr != MACH_MSG_SUCCESS)
		die("%s: %s (0x%x)", what, mach_error_string(mr), mr);
}

/*
 * mach-ool-touch: the receiver reads one byte of every page of the region,
 * as one that uses the data must; a region mapped without copying costs its
 * page faults there rather than in mach_msg.
 */
static volatile unsigned char ool_sink;

static void touch_pages(const unsigned char *p, size_t n)
{
	unsigned char x = 0;

	for (size_t i = 0; i < n; i += 4096)
		x ^= ((const volatile unsigned char *)p)[i];
	if (n)
		x ^= ((const volatile unsigned char *)p)[n - 1];
	ool_sink = x;
}

/*
 * The server of every Mach row: receive, then answer each request and
 * receive the next one in a single mach_msg(SEND|RCV) call.
 */
void mach_server(struct ctx *c)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->sbuf;
	mach_msg_size_t rsize = (mach_msg_size_t)c->sbuf_len;
	mach_msg_option_t opt = MACH_RCV_MSG;
	mach_msg_size_t ssize = 0;

	for (;;) {
		mach_check(mach_msg(h, opt, ssize, rsize, c->rcv_name, MACH_MSG_TIMEOUT_NONE,
				    MACH_PORT_NULL), "server mach_msg");
		if (h->msgh_id == ID_STOP)
			return;
		if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			struct ool_msg *o = (struct ool_msg *)h;

			if (!strcmp(c->m->name, "mach-ool-touch"))
				touch_pages(o->ool.address, o->ool.size);
			if (o->ool.size)
				kr_check(vm_deallocate(mach_task_self(),
						       (vm_address_t)o->ool.address, o->ool.size),
					 "server vm_deallocate");
		}
		if (h->msgh_id == ID_REQ && !strcmp(c->m->kind, "1way")) {
			opt = MACH_RCV_MSG;
			ssize = 0;
			continue;
		}
		/* Reply: header only, through the send-once right. */
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		h->msgh_size = sizeof(*h);
		h->msgh_local_port = MACH_PORT_NULL;
		h->msgh_id += 100;
		opt = MACH_SEND_MSG | MACH_RCV_MSG;
		ssize = sizeof(*h);
	}
}

static void mach_fill_req(struct ctx *c, mach_msg_header_t *h, mach_msg_id_t id)
{
	h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	h->msgh_size = (mach_msg_size_t)mach_inline_len(c);
	h->msgh_remote_port = c->port;
	h->msgh_local_port = c->reply;
	h->msgh_voucher_port = MACH_PORT_NULL;
	h->msgh_id = id;
}

void mach_rpc_client(struct ctx *c, long iters)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->cbuf;
	mach_msg_size_t ssize = (mach_msg_size_t)mach_inline_len(c);
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i < iters; i++) {
		mach_fill_req(c, h, ID_REQ);
		mach_check(mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, ssize, rsize, c->reply,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "client mach_msg");
	}
}

static void mach_oneway_client(struct ctx *c, long iters)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->cbuf;
	mach_msg_size_t ssize = (mach_msg_size_t)mach_inline_len(c);
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i + 1 < iters; i++) {
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		h->msgh_size = ssize;
		h->msgh_remote_port = c->port;
		h->msgh_local_port = MACH_PORT_NULL;
		h->msgh_voucher_port = MACH_PORT_NULL;
		h->msgh_id = ID_REQ;
		mach_check(mach_msg(h, MACH_SEND_MSG, ssize, 0, MACH_PORT_NULL,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "client send");
	}
	/* The last one asks for an answer: all of them have been received. */
	mach_fill_req(c, h, ID_SYNC);
	mach_check(mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, ssize, rsize, c->reply,
			    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "client sync");
}

static void mach_ool_client(struct ctx *c, long iters)
{
	struct ool_msg *o = (struct ool_msg *)c->cbuf;
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i < iters; i++) {
		mach_fill_req(c, &o->hdr, ID_REQ);
		o->hdr.msgh_bits |= MACH_MSGH_BITS_COMPLEX;
		o->hdr.msgh_size = sizeof(*o);
		o->body.msgh_descriptor_count = 1;
		o->ool.address = c->cbuf + 4096;	/* the payload */
		o->ool.size = (mach_msg_size_t)c->size;
		o->ool.deallocate = FALSE;
		o->ool.copy = MACH_MSG_VIRTUAL_COPY;
		o->ool.pad1 = 0;
		o->ool.type = MACH_MSG_OOL_DESCRIPTOR;
		mach_check(mach_msg(&o->hdr, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*o), rsize,
				    c->reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
			   "client mach_msg (OOL)");
	}
}

void mach_stop(struct ctx *c)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = c->port,
		.msgh_id = ID_STOP,
	};

	mach_check(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL,
			    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "stop");
}


/*
 * mach-rpc-proc: the server is a forked process with a space of its own,
 * so the request's send-once reply right is named in another space, as
 * between a real client and server.  The child finds its client through
 * the bootstrap port it inherits (pointed at a port of ours for the fork)
 * and sends it a send right to the port it serves.
 */
#define ID_HELLO_PROC	0x6d620020

static int rpc_proc_setup(struct ctx *c)
{
	mach_port_t task = mach_task_self(), old_boot, boot;
	struct {
		mach_msg_header_t hdr;
		unsigned char trailer[128];
	} m;

	kr_check(task_get_bootstrap_port(task, &old_boot), "task_get_bootstrap_port");
	boot = new_port(true);
	kr_check(task_set_bootstrap_port(task, boot), "task_set_bootstrap_port");
	fflush(NULL);
	c->server_pid = fork();
	if (c->server_pid < 0)
		die("fork: %s", strerror(errno));
	if (c->server_pid == 0) {
		mach_port_t parent;

		pin(c->server_cpu);
		kr_check(task_get_bootstrap_port(mach_task_self(), &parent),
			 "server: bootstrap port");
		c->port = new_port(false);
		c->rcv_name = c->port;
		m.hdr = (mach_msg_header_t){
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						    MACH_MSG_TYPE_MAKE_SEND),
			.msgh_size = sizeof(m.hdr),
			.msgh_remote_port = parent,
			.msgh_local_port = c->port,
			.msgh_id = ID_HELLO_PROC,
		};
		mach_check(mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m.hdr), 0, MACH_PORT_NULL,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "server: hello");
		mach_server(c);
		_exit(0);
	}
	mach_check(mach_msg(&m.hdr, MACH_RCV_MSG, 0, sizeof(m), boot, MACH_MSG_TIMEOUT_NONE,
			    MACH_PORT_NULL), "rpc-proc: hello");
	if (m.hdr.msgh_id != ID_HELLO_PROC)
		die("rpc-proc: message 0x%x, expected the server's hello", m.hdr.msgh_id);
	c->port = m.hdr.msgh_remote_port;	/* our send right to the server */
	c->reply = new_port(false);
	task_set_bootstrap_port(task, old_boot);
	mach_port_destroy(task, boot);
	return 0;
}

static void rpc_proc_teardown(struct ctx *c)
{
	mach_port_t task = mach_task_self();
	int st;

	if (waitpid(c->server_pid, &st, 0) != c->server_pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		die("mach-rpc-proc: the server process failed (status 0x%x)", st);
	mach_port_deallocate(task, c->port);
	mach_port_destroy(task, c->reply);
}

static const unsigned int pset_members[] = { 1, 100, 10000, 0 };

const struct mech mech_mach_rpc = {
	"mach-rpc", "rt",
	"mach_msg SEND|RCV, MAKE_SEND_ONCE reply, server replies+receives in one call", true,
	mach_setup, mach_server, mach_rpc_client, mach_stop, mach_teardown, sz_all, NULL, false
};
const struct mech mech_mach_oneway = {
	"mach-oneway", "1way", "Mach message stream (inline), per message", true,
	mach_setup, mach_server, mach_oneway_client, mach_stop, mach_teardown, sz_msgq, NULL, false
};
const struct mech mech_mach_ool = {
	"mach-ool", "rt", "Mach RPC carrying the payload as OOL memory (VIRTUAL_COPY)", true,
	mach_setup, mach_server, mach_ool_client, mach_stop, mach_teardown, sz_ool, NULL, false
};
const struct mech mech_mach_ool_touch = {
	"mach-ool-touch", "rt", "mach-ool, and the server reads one byte of every page", true,
	mach_setup, mach_server, mach_ool_client, mach_stop, mach_teardown, sz_ool, NULL, false
};
const struct mech mech_mach_rpc_proc = {
	"mach-rpc-proc", "rt", "mach-rpc with the server in another process (its own space)", true,
	rpc_proc_setup, NULL, mach_rpc_client, mach_stop, rpc_proc_teardown, sz_all, NULL, false
};
const struct mech mech_mach_pset = {
	"mach-pset", "rt", "Mach RPC received through a port set of 1/100/10000 members", true,
	pset_setup, mach_server, mach_rpc_client, mach_stop, mach_teardown, sz_64, pset_members, false
};
