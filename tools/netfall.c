// SPDX-License-Identifier: GPL-2.0
/*
 * machd -n: bootstrap_look_up falls through to machnetd (see netfall.h).
 *
 * machd cannot use netname_server_port(): that is a bootstrap_look_up, and
 * machd would be asking itself while it waits.  machnetd checks its service
 * port in with this machd, so the registry already holds a send right to it.
 *
 * The time bound: the thread makes the netname_look_up RPC itself, in the
 * layout of libmach's private netname_msg.h, with MACH_RCV_TIMEOUT on a reply
 * port of its own (libmach's netname_look_up waits for ever).  After a
 * timeout the reply port is destroyed, so a late answer dies with it.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <servers/netname.h>

#include "bootstrap_msg.h"
#include "netname_msg.h"
#include "log.h"
#include "netfall.h"
#include "registry.h"

#ifndef MACHNETD_SERVICE_NAME
#define MACHNETD_SERVICE_NAME	"org.mach.machnetd"
#endif

int netfall_enabled;

static pthread_mutex_t inflight_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int inflight;

struct netfall {
	mach_port_t		server;		/* our own send right to machnetd */
	mach_port_t		reply;		/* the client's reply right */
	mach_msg_type_name_t	reply_type;	/* MOVE_SEND_ONCE or MOVE_SEND */
	mach_msg_id_t		reply_id;
	netname_name_t		name;
};

/* Answer the client: a send right (moved), or BOOTSTRAP_UNKNOWN_SERVICE. */
static void answer(const struct netfall *f, mach_port_t port)
{
	union {
		bootstrap_port_reply_t	port;
		mig_reply_error_t	code;
	} r;
	mach_msg_header_t *h = &r.port.Head;
	mach_msg_return_t mr;

	memset(&r, 0, sizeof(r));
	h->msgh_remote_port = f->reply;
	h->msgh_id = f->reply_id;
	if (MACH_PORT_VALID(port)) {
		h->msgh_bits = MACH_MSGH_BITS(f->reply_type, 0) | MACH_MSGH_BITS_COMPLEX;
		h->msgh_size = sizeof(r.port);
		r.port.msgh_body.msgh_descriptor_count = 1;
		r.port.port.name = port;
		r.port.port.disposition = MACH_MSG_TYPE_MOVE_SEND;
		r.port.port.type = MACH_MSG_PORT_DESCRIPTOR;
	} else {
		h->msgh_bits = MACH_MSGH_BITS(f->reply_type, 0);
		h->msgh_size = sizeof(r.code);
		r.code.NDR = NDR_record;
		r.code.RetCode = BOOTSTRAP_UNKNOWN_SERVICE;
	}
	mr = mach_msg(h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, h->msgh_size, 0,
		      MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		logmsg(LOG_DEBUG, "look_up %s: reply lost: %s", f->name,
		       mach_error_string(mr));
		/* what the failed send did not consume: the reply right, the port */
		if (mr != MACH_SEND_INVALID_DEST)
			(void)mach_port_deallocate(mach_task_self(), f->reply);
		if (MACH_PORT_VALID(port))
			(void)mach_port_deallocate(mach_task_self(), port);
	}
}

/* netname_look_up(server, "*", name) within NETFALL_TIMEOUT_MS. */
static kern_return_t look_up_bounded(const struct netfall *f, mach_port_t *port)
{
	union {
		netname_look_up_request_t	req;
		netname_look_up_reply_t		port;
		mig_reply_error_t		code;
		uint8_t				room[sizeof(netname_look_up_request_t) +
						     sizeof(mach_msg_max_trailer_t) + 64];
	} b;
	mach_port_t reply = MACH_PORT_NULL;
	mach_msg_return_t mr;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply);
	if (kr != KERN_SUCCESS)
		return kr;
	memset(&b, 0, sizeof(b));
	b.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b.req.Head.msgh_size = sizeof(b.req);
	b.req.Head.msgh_remote_port = f->server;
	b.req.Head.msgh_local_port = reply;
	b.req.Head.msgh_id = NETNAME_MSG_LOOK_UP;
	b.req.NDR = NDR_record;
	strcpy(b.req.host_name, "*");
	memcpy(b.req.port_name, f->name, sizeof(b.req.port_name));
	mr = mach_msg(&b.req.Head, MACH_SEND_MSG | MACH_SEND_TIMEOUT | MACH_RCV_MSG |
		      MACH_RCV_TIMEOUT, sizeof(b.req), sizeof(b), reply,
		      NETFALL_TIMEOUT_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		kr = mr;
	} else if (b.port.Head.msgh_id != NETNAME_REPLY_ID(NETNAME_MSG_LOOK_UP)) {
		mach_msg_destroy(&b.port.Head);
		kr = MIG_REPLY_MISMATCH;
	} else if (!(b.port.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		kr = b.code.RetCode == KERN_SUCCESS ? MIG_TYPE_ERROR : b.code.RetCode;
	} else if (b.port.Head.msgh_size != sizeof(b.port) ||
		   b.port.msgh_body.msgh_descriptor_count != 1 ||
		   b.port.port_id.type != MACH_MSG_PORT_DESCRIPTOR) {
		mach_msg_destroy(&b.port.Head);
		kr = MIG_TYPE_ERROR;
	} else {
		*port = b.port.port_id.name;
		kr = KERN_SUCCESS;
	}
	(void)mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
	return kr;
}

static void *look_up_thread(void *arg)
{
	struct netfall *f = arg;
	mach_port_t port = MACH_PORT_NULL;
	kern_return_t kr;

	kr = look_up_bounded(f, &port);
	logmsg(LOG_DEBUG, "look_up %s: network: %s (%d)", f->name,
	       kr == NETNAME_SUCCESS ? "found" : "not found", kr);
	answer(f, kr == NETNAME_SUCCESS ? port : MACH_PORT_NULL);
	(void)mach_port_deallocate(mach_task_self(), f->server);
	free(f);
	pthread_mutex_lock(&inflight_lock);
	inflight--;
	pthread_mutex_unlock(&inflight_lock);
	return NULL;
}

bool netfall_start(const char *name, const mach_msg_header_t *in,
		   mach_msg_header_t *out)
{
	mig_reply_error_t *r = (mig_reply_error_t *)out;
	struct service *s;
	struct netfall *f;
	size_t len = strnlen(name, NETNAME_NAME_LEN);
	pthread_t t;
	bool ok;

	/* A bootstrap name too long for netname_name_t cannot be on the network. */
	if (!netfall_enabled || len >= NETNAME_NAME_LEN ||
	    strcmp(name, MACHNETD_SERVICE_NAME) == 0 ||
	    !MACH_PORT_VALID(in->msgh_remote_port))
		return false;
	s = registry_find(MACHNETD_SERVICE_NAME);
	if (s == NULL)
		return false;
	pthread_mutex_lock(&inflight_lock);
	ok = inflight < NETFALL_MAX_INFLIGHT;
	if (ok)
		inflight++;
	pthread_mutex_unlock(&inflight_lock);
	if (!ok)
		return false;
	f = calloc(1, sizeof(*f));
	if (f == NULL ||
	    mach_port_mod_refs(mach_task_self(), s->port, MACH_PORT_RIGHT_SEND, 1) != KERN_SUCCESS)
		goto undo;
	f->server = s->port;
	f->reply = in->msgh_remote_port;
	f->reply_type = MACH_MSGH_BITS_REMOTE(in->msgh_bits);
	f->reply_id = BOOTSTRAP_REPLY_ID(in->msgh_id);
	memcpy(f->name, name, len + 1);
	if (pthread_create(&t, NULL, look_up_thread, f) != 0) {
		(void)mach_port_deallocate(mach_task_self(), f->server);
		goto undo;
	}
	pthread_detach(t);
	/* The thread answers: the server loop must neither reply nor destroy. */
	memset(r, 0, sizeof(*r));
	r->Head.msgh_bits = 0;
	r->Head.msgh_size = sizeof(*r);
	r->Head.msgh_remote_port = MACH_PORT_NULL;
	r->NDR = NDR_record;
	r->RetCode = MIG_NO_REPLY;
	return true;
undo:
	free(f);
	pthread_mutex_lock(&inflight_lock);
	inflight--;
	pthread_mutex_unlock(&inflight_lock);
	return false;
}
