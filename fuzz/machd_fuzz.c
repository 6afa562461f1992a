// SPDX-License-Identifier: GPL-2.0
/*
 * machd_fuzz - libFuzzer harness for machd's request decoding: the real
 * serve_demux() (tools/serve.c) over the real name table
 * (tools/registry.c), fed a series of requests as the kernel would deliver
 * them (msgh_size exact, the audit trailer machd asks for after them).
 *
 * The input: records of one length byte (the request is 4 x that many
 * bytes, at most SERVE_MAX_REQUEST) and the request's bytes.  After each
 * request the harness does what mach_msg_server does with the reply
 * (destroys a complex request answered with an error; a sent check-in
 * reply moves the receive right away).  Checked, besides ASan and UBSan:
 * every reply is a well-formed reply to its request (id + 100, the right
 * size, a code or exactly one port descriptor naming a right machd
 * holds), a registered name is found with its port afterwards, and no
 * right is given up more often than machd was given it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap_msg.h"
#include "deadwatch.h"
#include "log.h"
#include "msg_fuzz.h"
#include "registry.h"
#include "serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* machd's log: formatted (its arguments are checked) and dropped. */
void logmsg(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
}

kern_return_t deadwatch_arm(mach_port_t port)
{
	return fake_find(port) ? KERN_SUCCESS : KERN_INVALID_NAME;
}

union reply {
	mach_msg_header_t head;
	mig_reply_error_t error;
	bootstrap_port_reply_t port;
	uint8_t room[SERVE_MAX_REQUEST];
};

static void check_reply(const mach_msg_header_t *in, const union reply *out)
{
	const mach_msg_header_t *h = &out->head;

	if ((uint32_t)h->msgh_id != (uint32_t)in->msgh_id + 100)
		fake_fail("reply id %d to request %d", h->msgh_id, in->msgh_id);
	if (h->msgh_remote_port != in->msgh_remote_port ||
	    MACH_MSGH_BITS_REMOTE(h->msgh_bits) != MACH_MSGH_BITS_REMOTE(in->msgh_bits))
		fake_fail("reply not addressed to the request's reply port");
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (h->msgh_size != sizeof(mig_reply_error_t))
			fake_fail("code reply of %u bytes", h->msgh_size);
		return;
	}
	if (h->msgh_size != sizeof(bootstrap_port_reply_t) ||
	    out->port.msgh_body.msgh_descriptor_count != 1 ||
	    out->port.port.type != MACH_MSG_PORT_DESCRIPTOR)
		fake_fail("port reply malformed");
	switch (out->port.port.disposition) {
	case MACH_MSG_TYPE_MOVE_RECEIVE: {
		struct fake_name *n = fake_find(out->port.port.name);

		if (!n || !(n->type & MACH_PORT_TYPE_RECEIVE))
			fake_fail("check-in hands out 0x%x, a receive right machd lacks",
				  out->port.port.name);
		break;
	}
	case MACH_MSG_TYPE_COPY_SEND: {
		struct fake_name *n = fake_find(out->port.port.name);

		if (!n || !(n->type & MACH_PORT_TYPE_SEND))
			fake_fail("reply copies 0x%x, a send right machd lacks",
				  out->port.port.name);
		break;
	}
	default:
		fake_fail("port reply with disposition %u", out->port.port.disposition);
	}
}

/* What the server loop does once serve_demux has answered. */
static void after_reply(mach_msg_header_t *in, union reply *out)
{
	if (!(out->head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (out->error.RetCode != KERN_SUCCESS && out->error.RetCode != MIG_NO_REPLY &&
		    (in->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
			in->msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(in);
		}
		return;
	}
	if (out->port.port.disposition == MACH_MSG_TYPE_MOVE_RECEIVE) {
		/* the reply left: the kernel moved the receive right out */
		struct fake_name *n = fake_find(out->port.port.name);

		n->type &= ~MACH_PORT_TYPE_RECEIVE;
		n->acquired--;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static uint8_t in[SERVE_MAX_REQUEST + sizeof(mach_msg_max_trailer_t)];
	static union reply out;
	static struct mf_rights r;
	size_t at = 0;

	fake_reset();
	if (mach_port_allocate(FAKE_SELF, MACH_PORT_RIGHT_RECEIVE, &serve_port) ||
	    mach_port_insert_right(FAKE_SELF, serve_port, serve_port, MACH_MSG_TYPE_MAKE_SEND))
		fake_fail("no service port");
	while (at < len) {
		size_t n = (size_t)data[at++] * 4, size;
		mach_msg_audit_trailer_t *t;
		mach_msg_header_t *h = (mach_msg_header_t *)in;

		if (n > SERVE_MAX_REQUEST)
			n = SERVE_MAX_REQUEST;
		if (n > len - at)
			n = len - at;
		memset(in, 0, sizeof(in));
		memset(&r, 0, sizeof(r));
		size = mf_build(in, SERVE_MAX_REQUEST, data + at, n, &r, true);
		at += n;
		if (!size) {
			mf_release(&r);
			break;
		}
		/* the trailer the kernel appends for SERVE_RCV_OPTIONS */
		t = (mach_msg_audit_trailer_t *)(in + size);
		t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
		t->msgh_trailer_size = sizeof(*t);
		t->msgh_audit.val[5] = (unsigned int)(h->msgh_id & 0xffff);
		memset(&out, 0xa5, sizeof(out));	/* the server reuses its buffer */
		(void)serve_demux(h, &out.head);
		check_reply(h, &out);
		if (h->msgh_id == BOOTSTRAP_MSG_REGISTER && !(out.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    out.error.RetCode == KERN_SUCCESS) {
			const bootstrap_register_request_t *req = (const void *)in;
			struct service *s;

			registry_lock();
			s = registry_find(req->service_name);
			registry_unlock();
			if (!s || s->port != req->service_port.name)
				fake_fail("registered '%.32s' but it is not found", req->service_name);
		}
		after_reply(h, &out);
		mf_release(&r);
	}
	registry_lock();
	registry_clear();
	registry_unlock();
	fake_check_ledger();
	serve_port = MACH_PORT_NULL;
	return 0;
}
