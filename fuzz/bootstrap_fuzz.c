// SPDX-License-Identifier: GPL-2.0
/*
 * bootstrap_fuzz - libFuzzer harness for libmach's bootstrap client
 * (libmach/src/bootstrap.c): bootstrap_check_in, _look_up,
 * _create_service, _register and _parent, with the name server's reply
 * (or the failure of the RPC) taken from the input.
 *
 * Input: the routine, the RPC's result, 16 bytes of service name, then the
 * reply.  The fake mach_msg checks the request as machd would see it
 * (shape, size, reply port, the name zero-filled) and delivers the reply
 * as a kernel would.  Checked, besides ASan and UBSan: a port is handed
 * back only from a well-formed reply to this request, and is the one it
 * carried; a failed RPC returns the reply port to the cache when the
 * request never left and drops it otherwise (exactly once, and never on
 * success); a rejected reply's rights are given up, and no right more
 * often than the reply carried it.
 */
#include <stdlib.h>
#include <string.h>

#include "bootstrap_msg.h"
#include "msg_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define BP	((mach_port_t)0x2203)	/* the bootstrap port */
#define SP	((mach_port_t)0x3303)	/* the port given to register */

static const uint8_t *reply;
static size_t reply_len;
static mach_msg_return_t result;
static mach_msg_id_t sent_id;
static struct mf_rights reply_rights;
static bool delivered;

static const mach_msg_return_t results[] = {
	MACH_MSG_SUCCESS, MACH_SEND_INVALID_DEST, MACH_SEND_INVALID_DATA,
	MACH_SEND_INVALID_HEADER, MACH_SEND_TIMED_OUT, MACH_RCV_INTERRUPTED,
	MACH_RCV_TOO_LARGE, MACH_RCV_PORT_DIED, MACH_SEND_INVALID_RIGHT,
};

static void check_request(const mach_msg_header_t *h, mach_msg_size_t send_size)
{
	size_t want;

	switch (h->msgh_id) {
	case BOOTSTRAP_MSG_REGISTER: {
		const bootstrap_register_request_t *r = (const void *)h;

		want = sizeof(*r);
		if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
		    r->msgh_body.msgh_descriptor_count != 1 || r->service_port.name != SP ||
		    r->service_port.disposition != MACH_MSG_TYPE_COPY_SEND ||
		    r->service_port.type != MACH_MSG_PORT_DESCRIPTOR)
			fake_fail("register request malformed");
		if (!memchr(r->service_name, 0, sizeof(r->service_name)))
			fake_fail("register request: name not terminated");
		break;
	}
	case BOOTSTRAP_MSG_PARENT:
		want = sizeof(bootstrap_parent_request_t);
		break;
	default: {
		const bootstrap_name_request_t *r = (const void *)h;
		const char *end;

		want = sizeof(*r);
		end = memchr(r->service_name, 0, sizeof(r->service_name));
		if (!end)
			fake_fail("name request: name not terminated");
		for (; end < r->service_name + sizeof(r->service_name); end++)
			if (*end)
				fake_fail("name request: stale bytes after the name");
	}
	}
	if (h->msgh_size != want || send_size != want)
		fake_fail("request of %u bytes (send_size %u), not %zu", h->msgh_size, send_size,
			  want);
	if (h->msgh_remote_port != BP || h->msgh_local_port != FAKE_REPLY_PORT ||
	    MACH_MSGH_BITS_REMOTE(h->msgh_bits) != MACH_MSG_TYPE_COPY_SEND ||
	    MACH_MSGH_BITS_LOCAL(h->msgh_bits) != MACH_MSG_TYPE_MAKE_SEND_ONCE)
		fake_fail("request not addressed as a MIG RPC");
}

static mach_msg_return_t fake(mach_msg_header_t *msg, mach_msg_option_t option,
			      mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			      mach_port_name_t rcv_name, mach_msg_header_t *rcv_msg)
{
	size_t size;
	mach_msg_trailer_t *t;

	if (option != (MACH_SEND_MSG | MACH_RCV_MSG) || rcv_name != FAKE_REPLY_PORT)
		fake_fail("not a send-and-receive on the reply port");
	check_request(msg, send_size);
	sent_id = msg->msgh_id;
	if (result != MACH_MSG_SUCCESS)
		return result;
	if (rcv_size < sizeof(mach_msg_header_t) + sizeof(*t))
		fake_fail("receive buffer of %u bytes", rcv_size);
	size = mf_build((uint8_t *)rcv_msg, rcv_size - sizeof(*t), reply, reply_len,
			&reply_rights, true);
	if (!size)
		return result = MACH_RCV_INTERRUPTED;	/* no reply to deliver */
	t = (mach_msg_trailer_t *)((uint8_t *)rcv_msg + size);
	t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t->msgh_trailer_size = sizeof(*t);
	delivered = true;
	return MACH_MSG_SUCCESS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char name[17];
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr;
	uint8_t routine;
	bool port_routine = true;
	const mach_msg_header_t *h;
	static uint8_t last[1024];

	if (len < 18)
		return 0;
	fake_reset();
	fake_msg = fake;
	memset(&reply_rights, 0, sizeof(reply_rights));
	delivered = false;
	routine = data[0] % 5;
	result = results[data[1] % (sizeof(results) / sizeof(results[0]))];
	memcpy(name, data + 2, 16);
	name[16] = 0;
	reply = data + 18;
	reply_len = len - 18 < sizeof(last) ? len - 18 : sizeof(last);
	fake_add(SP, MACH_PORT_TYPE_SEND, 1);

	switch (routine) {
	case 0: kr = bootstrap_check_in(BP, name, &port); break;
	case 1: kr = bootstrap_look_up(BP, name, &port); break;
	case 2: kr = bootstrap_create_service(BP, name, &port); break;
	case 3: kr = bootstrap_parent(BP, &port); break;
	default:
		port_routine = false;
		kr = bootstrap_register(BP, name, SP);
	}

	/* the reply port: kept on success, put back or dropped on failure */
	if (result == MACH_MSG_SUCCESS && (fake_reply_put || fake_reply_dealloc))
		fake_fail("reply port released after a successful RPC");
	if (result == MACH_SEND_INVALID_DEST || result == MACH_SEND_INVALID_DATA ||
	    result == MACH_SEND_INVALID_HEADER) {
		if (fake_reply_put != 1 || fake_reply_dealloc)
			fake_fail("request never left: the reply port goes back to the cache once");
	} else if (result != MACH_MSG_SUCCESS && (fake_reply_dealloc != 1 || fake_reply_put)) {
		fake_fail("a reply may still come: the reply port is dropped once");
	}

	if (delivered) {
		memcpy(last, reply, reply_len);
		h = (const mach_msg_header_t *)last;
		if (kr == KERN_SUCCESS && port_routine) {
			const bootstrap_port_reply_t *r = (const void *)last;

			if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
			    (uint32_t)h->msgh_id != (uint32_t)sent_id + 100 || (reply_len & ~3UL) != sizeof(*r) ||
			    r->port.name != port)
				fake_fail("a port from a reply that does not carry it");
		}
		if (kr == MIG_REPLY_MISMATCH || kr == MIG_TYPE_ERROR) {
			for (unsigned int i = 0; i < reply_rights.n; i++) {
				struct fake_name *n = fake_entry(reply_rights.e[i].name);
				int given = n ? n->released - n->made : 0;

				if (reply_rights.e[i].moved == 1 && reply_rights.e[i].seen == 1 &&
				    given != 1 && reply_rights.e[i].name != FAKE_REPLY_PORT)
					fake_fail("rejected reply: 0x%x kept", reply_rights.e[i].name);
			}
		}
	}
	if (kr == KERN_SUCCESS && port_routine && !delivered)
		fake_fail("success without a reply");
	fake_check_ledger();
	mf_release(&reply_rights);
	fake_msg = NULL;
	return 0;
}
