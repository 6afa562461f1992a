// SPDX-License-Identifier: GPL-2.0
/*
 * msg_server_fuzz - libFuzzer harness for libmach's MIG server loops
 * (libmach/src/msg_server.c): mach_msg_server_once and mach_msg_server
 * with a receive, a demux, a reply and its send all taken from the input.
 *
 * Input: an options byte (MACH_RCV_LARGE, the looping form, an audit
 * trailer), a byte choosing the send's result, the request's length (x 4)
 * and bytes, then the reply the demux writes (its remote port is the
 * request's when the options say so) and what the demux returns.
 * The fake kernel delivers the request as a kernel would (too large: left
 * queued with MACH_RCV_LARGE and its size reported, else dropped), takes
 * a sent reply's rights, and gives them back on a failed send.  Checked,
 * besides ASan and UBSan: no right is given up more often than the task
 * was given it, the request's reply right is still there when an error
 * reply goes out, a MIG_NO_REPLY request is neither answered nor
 * destroyed, and only memory the messages held goes back.
 */
#include <stdlib.h>
#include <string.h>

#include "msg_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

#define MAX_SIZE	256

static const uint8_t *req_data, *rep_data;
static size_t req_len, rep_len;
static mach_msg_return_t send_result;
static bool rcv_large, copy_remote, demux_true;
static unsigned int receives, sends;
static mach_port_name_t req_remote;
static mach_msg_type_name_t req_remote_disp;
static bool req_complex, error_reply, no_reply;
static struct mf_rights req_rights, rep_rights;

static const mach_msg_return_t send_results[] = {
	MACH_MSG_SUCCESS, MACH_SEND_INVALID_DEST, MACH_SEND_TIMED_OUT,
	MACH_SEND_INTERRUPTED, MACH_SEND_INVALID_RIGHT, MACH_SEND_INVALID_REPLY,
};

static void leave(mach_port_name_t name, mach_msg_type_name_t disp)
{
	struct fake_name *n = fake_find(name);

	if (n && (disp == MACH_MSG_TYPE_MOVE_SEND || disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
		  disp == MACH_MSG_TYPE_MOVE_RECEIVE))
		n->gone = true;
}

/*
 * A sent message's moved rights now belong to its receiver: giving one
 * up afterwards would release someone else's reference.
 */
static void rights_leave(const mach_msg_header_t *h)
{
	const uint8_t *p = (const uint8_t *)h + sizeof(mach_msg_base_t);
	const uint8_t *end = (const uint8_t *)h + h->msgh_size;
	uint32_t count;

	leave(h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits));
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) || h->msgh_size < sizeof(mach_msg_base_t))
		return;
	count = ((const mach_msg_base_t *)h)->body.msgh_descriptor_count;
	for (uint32_t i = 0; i < count && p + 12 <= end; i++) {
		const mach_msg_port_descriptor_t *d = (const void *)p;

		if (d->type == MACH_MSG_PORT_DESCRIPTOR) {
			leave(d->name, d->disposition);
			p += 12;
		} else {
			p += 16;
		}
	}
}

static mach_msg_return_t deliver(mach_msg_header_t *rcv, mach_msg_size_t rcv_size)
{
	size_t need = (req_len & ~(size_t)3) + sizeof(mach_msg_trailer_t);
	mach_msg_trailer_t *t;
	size_t size;

	if (receives++ || req_len < sizeof(mach_msg_header_t))
		return MACH_RCV_INTERRUPTED;	/* the loop's end */
	if (need > rcv_size) {
		if (rcv_large) {
			rcv->msgh_size = (mach_msg_size_t)(req_len & ~(size_t)3);
			receives = 0;		/* still queued */
		}
		return MACH_RCV_TOO_LARGE;
	}
	mf_release(&req_rights);
	memset(&req_rights, 0, sizeof(req_rights));
	size = mf_build((uint8_t *)rcv, rcv_size, req_data, req_len, &req_rights, true);
	t = (mach_msg_trailer_t *)((uint8_t *)rcv + size);
	t->msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	t->msgh_trailer_size = sizeof(*t);
	req_remote = rcv->msgh_remote_port;
	req_remote_disp = MACH_MSGH_BITS_REMOTE(rcv->msgh_bits);
	req_complex = rcv->msgh_bits & MACH_MSGH_BITS_COMPLEX;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t fake(mach_msg_header_t *msg, mach_msg_option_t option,
			      mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			      mach_port_name_t rcv_name, mach_msg_header_t *rcv_msg)
{
	(void)rcv_name;
	if (option & MACH_SEND_MSG) {
		struct fake_name *n = fake_entry(req_remote);

		sends++;
		if (no_reply)
			fake_fail("a MIG_NO_REPLY reply was sent");
		if (send_size != msg->msgh_size)
			fake_fail("send_size %u, msgh_size %u", send_size, msg->msgh_size);
		if (error_reply && req_complex && msg->msgh_remote_port == req_remote &&
		    MACH_PORT_VALID(req_remote) &&
		    (req_remote_disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
		     req_remote_disp == MACH_MSG_TYPE_MOVE_SEND) &&
		    (!n || n->released - n->made > mf_moved(&req_rights, req_remote) - 1))
			fake_fail("the error reply's reply right 0x%x was destroyed first",
				  req_remote);
		if (send_result != MACH_MSG_SUCCESS)
			return send_result;	/* the rights came back */
		rights_leave(msg);
	}
	if (option & MACH_RCV_MSG)
		return deliver(rcv_msg, rcv_size);
	return MACH_MSG_SUCCESS;
}

static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	size_t size;

	mf_release(&rep_rights);
	memset(&rep_rights, 0, sizeof(rep_rights));
	size = mf_build((uint8_t *)out, MAX_SIZE, rep_data, rep_len, &rep_rights, true);
	mig_reply_error_t *r = (mig_reply_error_t *)out;

	if (!size) {
		memset(out, 0, sizeof(mig_reply_error_t));
		out->msgh_size = sizeof(mig_reply_error_t);
	}
	if (copy_remote) {
		out->msgh_remote_port = in->msgh_remote_port;
		out->msgh_bits = (out->msgh_bits & ~MACH_MSGH_BITS_REMOTE_MASK) |
				 MACH_MSGH_BITS_REMOTE(in->msgh_bits);
	}
	if (!(out->msgh_bits & MACH_MSGH_BITS_COMPLEX) && out->msgh_size >= sizeof(*r)) {
		no_reply = r->RetCode == MIG_NO_REPLY;
		error_reply = r->RetCode != KERN_SUCCESS && !no_reply;
	}
	return demux_true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	mach_msg_options_t options = 0;
	size_t n;

	if (len < 3)
		return 0;
	fake_reset();
	fake_msg = fake;
	rcv_large = data[0] & 1;
	copy_remote = data[0] & 4;
	demux_true = data[0] & 8;
	if (rcv_large)
		options |= MACH_RCV_LARGE;
	if (data[0] & 16)
		options |= MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT);
	send_result = send_results[data[1] % (sizeof(send_results) / sizeof(send_results[0]))];
	n = (size_t)data[2] * 4;
	data += 3;
	len -= 3;
	if (n > len)
		n = len;
	req_data = data;
	req_len = n;
	rep_data = data + n;
	rep_len = len - n;
	receives = sends = 0;
	req_remote = MACH_PORT_NULL;
	req_complex = error_reply = no_reply = false;

	if (data[-3] & 2)
		(void)mach_msg_server(demux, MAX_SIZE, 0x2203, options);
	else
		(void)mach_msg_server_once(demux, MAX_SIZE, 0x2203, options);
	fake_check_ledger();
	mf_release(&req_rights);
	mf_release(&rep_rights);
	fake_msg = NULL;
	return 0;
}
