/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MIG server loops, mach_msg_server_once() and mach_msg_server().
 *
 * Receive a request, let the demux routine fill a reply, send the reply
 * to the request's reply port.  The conventions (those of macOS):
 *  - a simple reply whose RetCode is MIG_NO_REPLY is not sent: the routine
 *    kept the reply right and will answer later;
 *  - a simple reply with another non-zero RetCode means the routine failed
 *    and did not consume the request, so a complex request is destroyed,
 *    except for its reply right, which carries the error reply;
 *  - replies to a send-once right cannot block; replies to a send right
 *    get a zero send timeout so a client that stops receiving cannot
 *    wedge the server;
 *  - a reply that cannot be delivered (dead client, full queue, an
 *    interrupted send) is destroyed, with the reply right it carried,
 *    and the server goes on.
 * The looping form sends a reply and waits for the next request in one
 * mach_msg, receiving into the request buffer while sending from the reply
 * buffer.  With MACH_RCV_LARGE, a request that does not fit stays queued
 * and the buffer grows to its size.
 */
#include <stdint.h>

#include "internal.h"

struct server {
	mig_reply_error_t	*req;
	mig_reply_error_t	*rep;
	size_t			req_alloc;
	size_t			rep_alloc;
	mach_msg_size_t		req_size;	/* receive limit passed to mach_msg */
	mach_msg_size_t		trailer;	/* trailer the options ask for */
	mach_msg_options_t	options;	/* without SEND_MSG / RCV_MSG */
	mach_port_t		rcv_name;
};

static size_t page_round(size_t n)
{
	return (n + vm_page_mask) & ~(size_t)vm_page_mask;
}

static mach_msg_return_t server_init(struct server *s, mach_msg_size_t max_size,
				     mach_port_t rcv_name, mach_msg_options_t options)
{
	uint64_t rep_bytes;

	s->options = options & ~(MACH_SEND_MSG | MACH_RCV_MSG);
	s->rcv_name = rcv_name;
	s->trailer = REQUESTED_TRAILER_SIZE(s->options);
	if ((uint64_t)max_size + s->trailer + vm_page_size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT;

	s->req_alloc = page_round((size_t)max_size + s->trailer);
	s->req_size = (s->options & MACH_RCV_LARGE) ?
		(mach_msg_size_t)s->req_alloc : max_size + s->trailer;
	rep_bytes = (s->options & MACH_SEND_TRAILER) ?
		(uint64_t)max_size + MAX_TRAILER_SIZE : max_size;
	/* A demux always writes at least a mig_reply_error_t. */
	if (rep_bytes < sizeof(mig_reply_error_t))
		rep_bytes = sizeof(mig_reply_error_t);
	s->rep_alloc = page_round((size_t)rep_bytes);

	s->req = _mach_pages_alloc(s->req_alloc);
	s->rep = s->req ? _mach_pages_alloc(s->rep_alloc) : NULL;
	if (s->rep == NULL) {
		_mach_pages_free(s->req, s->req_alloc);
		return KERN_RESOURCE_SHORTAGE;
	}
	return MACH_MSG_SUCCESS;
}

static void server_fini(struct server *s)
{
	_mach_pages_free(s->req, s->req_alloc);
	_mach_pages_free(s->rep, s->rep_alloc);
}

/* The queued request is larger than our buffer: make room for it. */
static mach_msg_return_t grow_request(struct server *s)
{
	uint64_t need = (uint64_t)s->req->Head.msgh_size + s->trailer;
	size_t alloc;
	void *buf;

	if (need + vm_page_size > UINT32_MAX)
		return MACH_RCV_TOO_LARGE;
	alloc = page_round((size_t)need);
	buf = _mach_pages_alloc(alloc);
	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	_mach_pages_free(s->req, s->req_alloc);
	s->req = buf;
	s->req_alloc = alloc;
	s->req_size = (mach_msg_size_t)alloc;
	return MACH_MSG_SUCCESS;
}

static mach_msg_return_t receive_request(struct server *s)
{
	for (;;) {
		mach_msg_return_t mr;

		mr = mach_msg(&s->req->Head, MACH_RCV_MSG | s->options, 0,
			      s->req_size, s->rcv_name, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
		if (mr != MACH_RCV_TOO_LARGE || !(s->options & MACH_RCV_LARGE))
			return mr;
		mr = grow_request(s);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
}

/* Run the demux on the request; true when there is a reply to send. */
static int serve(struct server *s,
		 boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *))
{
	mig_reply_error_t *req = s->req, *rep = s->rep;

	(void)demux(&req->Head, &rep->Head);

	if (!(rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		if (rep->RetCode == MIG_NO_REPLY) {
			rep->Head.msgh_remote_port = MACH_PORT_NULL;
		} else if (rep->RetCode != KERN_SUCCESS &&
			   (req->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
			/* Keep the reply right: the error reply needs it. */
			req->Head.msgh_remote_port = MACH_PORT_NULL;
			mach_msg_destroy(&req->Head);
		}
	}
	if (rep->Head.msgh_remote_port == MACH_PORT_NULL) {
		if (rep->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)
			mach_msg_destroy(&rep->Head);
		return 0;
	}
	return 1;
}

static mach_msg_option_t reply_send_options(const struct server *s)
{
	mach_msg_option_t opt = MACH_SEND_MSG | s->options;

	if (MACH_MSGH_BITS_REMOTE(s->rep->Head.msgh_bits) != MACH_MSG_TYPE_MOVE_SEND_ONCE)
		opt |= MACH_SEND_TIMEOUT;
	return opt;
}

/*
 * The client is gone, not listening, or the send was interrupted: the
 * kernel gave the whole reply back, so release every right it names --
 * the reply right too (a dead name after the client died, or the send
 * right a timed-out send returned), and a moved local right, which
 * mach_msg_destroy leaves alone -- as macOS's server loops do.
 */
static int reply_undeliverable(struct server *s, mach_msg_return_t mr)
{
	mach_msg_header_t *h = &s->rep->Head;

	if (mr != MACH_SEND_INVALID_DEST && mr != MACH_SEND_TIMED_OUT &&
	    mr != MACH_SEND_INTERRUPTED)
		return 0;
	if (MACH_PORT_VALID(h->msgh_local_port)) {
		switch (MACH_MSGH_BITS_LOCAL(h->msgh_bits)) {
		case MACH_MSG_TYPE_MOVE_SEND:
		case MACH_MSG_TYPE_MOVE_SEND_ONCE:
			(void)mach_port_deallocate(mach_task_self(),
						   h->msgh_local_port);
			h->msgh_local_port = MACH_PORT_NULL;
			break;
		}
	}
	mach_msg_destroy(h);
	return 1;
}

MACH_EXPORT mach_msg_return_t
mach_msg_server_once(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
		     mach_msg_size_t max_size, mach_port_t rcv_name,
		     mach_msg_options_t options)
{
	struct server s;
	mach_msg_return_t mr;

	mr = server_init(&s, max_size, rcv_name, options);
	if (mr != MACH_MSG_SUCCESS)
		return mr;

	mr = receive_request(&s);
	if (mr == MACH_MSG_SUCCESS && serve(&s, demux)) {
		mr = mach_msg(&s.rep->Head, reply_send_options(&s),
			      s.rep->Head.msgh_size, 0, MACH_PORT_NULL,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (reply_undeliverable(&s, mr))
			mr = MACH_MSG_SUCCESS;
	}
	server_fini(&s);
	return mr;
}

MACH_EXPORT mach_msg_return_t
mach_msg_server(boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
		mach_msg_size_t max_size, mach_port_t rcv_name,
		mach_msg_options_t options)
{
	struct server s;
	mach_msg_return_t mr;

	mr = server_init(&s, max_size, rcv_name, options);
	if (mr != MACH_MSG_SUCCESS)
		return mr;

	mr = receive_request(&s);
	while (mr == MACH_MSG_SUCCESS) {
		if (!serve(&s, demux)) {
			mr = receive_request(&s);
			continue;
		}
		/* Reply and wait for the next request in one call. */
		mr = mach_msg_overwrite(&s.rep->Head,
					reply_send_options(&s) | MACH_RCV_MSG,
					s.rep->Head.msgh_size, s.req_size,
					s.rcv_name, MACH_MSG_TIMEOUT_NONE,
					MACH_PORT_NULL, &s.req->Head, 0);
		if (reply_undeliverable(&s, mr)) {
			/* The send failed, so the receive never ran. */
			mr = receive_request(&s);
		} else if (mr == MACH_RCV_TOO_LARGE && (s.options & MACH_RCV_LARGE)) {
			mr = grow_request(&s);
			if (mr == MACH_MSG_SUCCESS)
				mr = receive_request(&s);
		}
	}
	server_fini(&s);
	return mr;
}
