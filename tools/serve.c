// SPDX-License-Identifier: GPL-2.0
/*
 * machd's request handling.  Each routine answers as a MIG server stub
 * would: a complex reply with one port descriptor on success, or a
 * mig_reply_error_t carrying the code.  On an error the server loop
 * destroys a complex request for us, so a send right sent with
 * bootstrap_register is kept only when the routine succeeds.
 */
#include <stdint.h>
#include <string.h>

#include "bootstrap_msg.h"
#include "log.h"
#include "netfall.h"
#include "registry.h"
#include "serve.h"

mach_port_t serve_port = MACH_PORT_NULL;

/* The sender's pid, from the audit trailer asked for by SERVE_RCV_OPTIONS. */
static pid_t sender_pid(const mach_msg_header_t *in)
{
	const mach_msg_audit_trailer_t *t = (const void *)
		((const char *)in + ((in->msgh_size + 3) & ~3u));

	if (t->msgh_trailer_size < sizeof(*t))
		return -1;
	return (pid_t)t->msgh_audit.val[5];
}

/* A name must be terminated inside its 128 bytes and not be empty. */
static int name_ok(const char *name)
{
	return name[0] != '\0' && memchr(name, '\0', BOOTSTRAP_MAX_NAME_LEN) != NULL;
}

static void reply_header(const mach_msg_header_t *in, mach_msg_header_t *out,
			 mach_msg_size_t size, int complex)
{
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0) |
			 (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	out->msgh_size = size;
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_voucher_port = MACH_PORT_NULL;
	/* wraps as the 32-bit id it is: a request id near INT_MAX is no UB */
	out->msgh_id = (mach_msg_id_t)((uint32_t)in->msgh_id + 100);
}

static void reply_code(const mach_msg_header_t *in, mach_msg_header_t *out,
		       kern_return_t code)
{
	mig_reply_error_t *r = (mig_reply_error_t *)out;

	reply_header(in, out, sizeof(*r), 0);
	r->NDR = NDR_record;
	r->RetCode = code;
}

static void reply_port(const mach_msg_header_t *in, mach_msg_header_t *out,
		       mach_port_t port, mach_msg_type_name_t disposition)
{
	bootstrap_port_reply_t *r = (bootstrap_port_reply_t *)out;

	reply_header(in, out, sizeof(*r), 1);
	r->msgh_body.msgh_descriptor_count = 1;
	memset(&r->port, 0, sizeof(r->port));
	r->port.name = port;
	r->port.disposition = disposition;
	r->port.type = MACH_MSG_PORT_DESCRIPTOR;
}

/* Hand over the receive right; machd keeps a send right to watch it. */
static void do_check_in(const char *name, pid_t pid, const mach_msg_header_t *in,
			mach_msg_header_t *out)
{
	struct service *s = registry_find(name);

	if (s && s->state != SERVICE_ON_DEMAND) {
		logmsg(LOG_DEBUG, "check_in %s by pid %d: already active (pid %d)",
		       name, (int)pid, (int)s->pid);
		reply_code(in, out, BOOTSTRAP_SERVICE_ACTIVE);
		return;
	}
	if (s == NULL)
		s = registry_add_on_demand(name, pid);
	if (s == NULL) {
		reply_code(in, out, BOOTSTRAP_NO_MEMORY);
		return;
	}
	s->state = SERVICE_ACTIVE;
	s->armed = false;	/* armed once the reply has left: see registry_arm_pending */
	s->pid = pid;
	logmsg(LOG_INFO, "check_in %s by pid %d", name, (int)pid);
	reply_port(in, out, s->port, MACH_MSG_TYPE_MOVE_RECEIVE);
}

static void do_look_up(const char *name, pid_t pid, const mach_msg_header_t *in,
		       mach_msg_header_t *out)
{
	struct service *s = registry_find(name);

	logmsg(LOG_DEBUG, "look_up %s by pid %d: %s", name, (int)pid,
	       s ? "found" : "unknown");
	if (s == NULL && netfall_start(name, in, out))
		return;	/* machd -n: a thread asks machnetd and answers */
	if (s == NULL)
		reply_code(in, out, BOOTSTRAP_UNKNOWN_SERVICE);
	else
		reply_port(in, out, s->port, MACH_MSG_TYPE_COPY_SEND);
}

static void do_create_service(const char *name, pid_t pid,
			      const mach_msg_header_t *in, mach_msg_header_t *out)
{
	struct service *s = registry_find(name);

	if (s != NULL) {
		reply_code(in, out, BOOTSTRAP_NAME_IN_USE);
		return;
	}
	s = registry_add_on_demand(name, pid);
	if (s == NULL) {
		reply_code(in, out, BOOTSTRAP_NO_MEMORY);
		return;
	}
	logmsg(LOG_INFO, "create_service %s by pid %d", name, (int)pid);
	reply_port(in, out, s->port, MACH_MSG_TYPE_COPY_SEND);
}

/* check_in, look_up, create_service: header, NDR, name_t. */
static void serve_name_request(const mach_msg_header_t *in, mach_msg_header_t *out)
{
	const bootstrap_name_request_t *req = (const void *)in;
	pid_t pid = sender_pid(in);

	if ((in->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    in->msgh_size != sizeof(*req) || !name_ok(req->service_name)) {
		reply_code(in, out, MIG_BAD_ARGUMENTS);
		return;
	}
	registry_lock();
	switch (in->msgh_id) {
	case BOOTSTRAP_MSG_CHECK_IN:
		do_check_in(req->service_name, pid, in, out);
		break;
	case BOOTSTRAP_MSG_LOOK_UP:
		do_look_up(req->service_name, pid, in, out);
		break;
	default:
		do_create_service(req->service_name, pid, in, out);
		break;
	}
	registry_unlock();
}

/* register: header, body, port descriptor (a send right), NDR, name_t. */
static void serve_register(const mach_msg_header_t *in, mach_msg_header_t *out)
{
	const bootstrap_register_request_t *req = (const void *)in;
	pid_t pid = sender_pid(in);
	kern_return_t kr = KERN_SUCCESS;

	if (!(in->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    in->msgh_size != sizeof(*req) ||
	    req->msgh_body.msgh_descriptor_count != 1 ||
	    req->service_port.type != MACH_MSG_PORT_DESCRIPTOR ||
	    !name_ok(req->service_name)) {
		reply_code(in, out, MIG_BAD_ARGUMENTS);
		return;
	}
	if (req->service_port.disposition != MACH_MSG_TYPE_PORT_SEND ||
	    !MACH_PORT_VALID(req->service_port.name)) {
		reply_code(in, out, KERN_INVALID_RIGHT);
		return;
	}
	registry_lock();
	if (registry_find(req->service_name) != NULL)
		kr = BOOTSTRAP_NAME_IN_USE;
	else if (registry_add(req->service_name, req->service_port.name,
			      SERVICE_REGISTERED, pid) == NULL)
		kr = BOOTSTRAP_NO_MEMORY;
	registry_unlock();
	logmsg(kr ? LOG_DEBUG : LOG_INFO, "register %s by pid %d: %s",
	       req->service_name, (int)pid, bootstrap_strerror(kr));
	reply_code(in, out, kr);
}

boolean_t serve_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	switch (in->msgh_id) {
	case BOOTSTRAP_MSG_CHECK_IN:
	case BOOTSTRAP_MSG_LOOK_UP:
	case BOOTSTRAP_MSG_CREATE_SERVICE:
		serve_name_request(in, out);
		return TRUE;
	case BOOTSTRAP_MSG_REGISTER:
		serve_register(in, out);
		return TRUE;
	case BOOTSTRAP_MSG_PARENT:
		if (in->msgh_bits & MACH_MSGH_BITS_COMPLEX)
			reply_code(in, out, MIG_BAD_ARGUMENTS);
		else
			reply_port(in, out, serve_port, MACH_MSG_TYPE_COPY_SEND);
		return TRUE;
	default:
		reply_code(in, out, MIG_BAD_ID);
		return FALSE;
	}
}
