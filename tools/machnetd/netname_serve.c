// SPDX-License-Identifier: GPL-2.0
/*
 * The netname RPCs, answered as Apple's MIG server stubs for CMU's
 * netname.defs would: a complex reply with one port descriptor for a
 * successful look_up, a code (and string) otherwise.  Checked-in rights
 * are kept here (one uref per table entry) and watched for death.
 */
#include <string.h>

#include "log.h"
#include "machnetd.h"
#include "names.h"
#include "netname_msg.h"
#include "netname_serve.h"
#include "remote.h"
#include "watch.h"

static bool key_ok(const char *s)
{
	return memchr(s, '\0', NETNAME_NAME_LEN) != NULL;
}

static void reply_header(const mach_msg_header_t *in, mach_msg_header_t *out,
			 mach_msg_size_t size, bool complex)
{
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0) |
			 (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	out->msgh_size = size;
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_voucher_port = MACH_PORT_NULL;
	out->msgh_id = NETNAME_REPLY_ID(in->msgh_id);
}

void netname_reply_code(const mach_msg_header_t *in, mach_msg_header_t *out,
			kern_return_t code)
{
	mig_reply_error_t *r = (mig_reply_error_t *)out;

	reply_header(in, out, sizeof(*r), false);
	r->NDR = NDR_record;
	r->RetCode = code;
}

void netname_reply_port(const mach_msg_header_t *in, mach_msg_header_t *out,
			mach_port_t port, mach_msg_type_name_t disposition)
{
	netname_look_up_reply_t *r = (netname_look_up_reply_t *)out;

	reply_header(in, out, sizeof(*r), true);
	r->msgh_body.msgh_descriptor_count = 1;
	memset(&r->port_id, 0, sizeof(r->port_id));
	r->port_id.name = port;
	r->port_id.disposition = disposition;
	r->port_id.type = MACH_MSG_PORT_DESCRIPTOR;
}

static void reply_string(const mach_msg_header_t *in, mach_msg_header_t *out,
			 const char *s)
{
	netname_string_reply_t *r = (netname_string_reply_t *)out;

	reply_header(in, out, sizeof(*r), false);
	r->NDR = NDR_record;
	r->RetCode = KERN_SUCCESS;
	mig_strncpy_zerofill(r->name, s, sizeof(r->name));
}

/* Give back one entry's urefs and interest. */
static void release_entry(const struct name_entry *e)
{
	watch_drop(e->port);
	(void)mach_port_deallocate(mach_task_self(), e->port);
	if (MACH_PORT_VALID(e->sig)) {
		watch_drop(e->sig);
		(void)mach_port_deallocate(mach_task_self(), e->sig);
	}
}

static bool is_send_right(mach_port_t name)
{
	mach_port_type_t type = 0;

	return MACH_PORT_VALID(name) &&
	       mach_port_type(mach_task_self(), name, &type) == KERN_SUCCESS &&
	       (type & MACH_PORT_TYPE_SEND);
}

static kern_return_t check_in(const netname_check_in_request_t *req)
{
	mach_port_t port = req->port_id.name, sig = req->signature.name;
	struct name_entry old;
	int replaced = 0, rc;

	if (!is_send_right(port))
		return NETNAME_INVALID_PORT;
	if (!MACH_PORT_VALID(sig))
		sig = MACH_PORT_NULL;	/* a dead signature is as good as none */
	rc = names_check_in(req->port_name, sig, port, &old, &replaced);
	logmsg(LOG_DEBUG, "check_in \"%s\": %d", req->port_name, rc);
	if (rc != NETNAME_SUCCESS)
		return rc;
	watch_add(port);
	if (MACH_PORT_VALID(sig))
		watch_add(sig);
	if (replaced)
		release_entry(&old);
	return NETNAME_SUCCESS;
}

static kern_return_t check_out(const netname_check_out_request_t *req)
{
	mach_port_t sig = req->signature.name;
	struct name_entry old;
	int rc;

	rc = names_check_out(req->port_name, MACH_PORT_VALID(sig) ? sig : MACH_PORT_NULL,
			     &old);
	logmsg(LOG_DEBUG, "check_out \"%s\": %d", req->port_name, rc);
	if (rc != NETNAME_SUCCESS)
		return rc;
	release_entry(&old);
	/* The signature right this request carried is ours to drop too. */
	if (MACH_PORT_VALID(sig))
		(void)mach_port_deallocate(mach_task_self(), sig);
	return NETNAME_SUCCESS;
}

/* Local table only; a dead entry is dropped here rather than handed out. */
bool netname_local_look_up(const char *key, mach_port_t *port)
{
	const struct name_entry *e = names_find(key);

	if (e == NULL)
		return false;
	if (!is_send_right(e->port)) {
		netname_port_died(e->port);
		return false;
	}
	*port = e->port;
	return true;
}

static bool is_local_host(const char *host)
{
	return host[0] == '\0' || strcmp(host, "*") == 0 || strcmp(host, cfg.name) == 0;
}

static void look_up(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const netname_look_up_request_t *req = (const void *)in;
	mach_port_t port;

	if (netname_local_look_up(req->port_name, &port) && is_local_host(req->host_name)) {
		logmsg(LOG_DEBUG, "look_up \"%s\" on \"%s\": local", req->port_name,
		       req->host_name);
		netname_reply_port(in, out, port, MACH_MSG_TYPE_COPY_SEND);
		return;
	}
	if (strcmp(req->host_name, cfg.name) == 0) {
		netname_reply_code(in, out, NETNAME_NOT_CHECKED_IN);
		return;
	}
	if (req->host_name[0] != '\0' && strcmp(req->host_name, "*") != 0 &&
	    config_find_peer(&cfg, req->host_name) == NULL) {
		logmsg(LOG_DEBUG, "look_up \"%s\": no such host \"%s\"", req->port_name,
		       req->host_name);
		netname_reply_code(in, out, NETNAME_NO_SUCH_HOST);
		return;
	}
	/* Another host (or every host): the peers answer, maybe later. */
	remote_look_up(in, out);
}

static void sender_host(const mach_msg_header_t *in, mach_msg_header_t *out)
{
	const netname_sender_host_request_t *req = (const void *)in;
	char host[NETNAME_NAME_LEN];
	kern_return_t kr = remote_sender_host(req->object, host);

	if (kr != KERN_SUCCESS)
		netname_reply_code(in, out, kr);
	else
		reply_string(in, out, host);
}

bool netname_serve(mach_msg_header_t *in, mach_msg_header_t *out)
{
	bool complex = in->msgh_bits & MACH_MSGH_BITS_COMPLEX;

	switch (in->msgh_id) {
	case NETNAME_MSG_CHECK_IN: {
		const netname_check_in_request_t *req = (const void *)in;

		if (!complex || in->msgh_size != sizeof(*req) ||
		    req->msgh_body.msgh_descriptor_count != 2 ||
		    req->signature.type != MACH_MSG_PORT_DESCRIPTOR ||
		    req->port_id.type != MACH_MSG_PORT_DESCRIPTOR || !key_ok(req->port_name))
			netname_reply_code(in, out, MIG_BAD_ARGUMENTS);
		else
			netname_reply_code(in, out, check_in(req));
		return true;
	}
	case NETNAME_MSG_CHECK_OUT: {
		const netname_check_out_request_t *req = (const void *)in;

		if (!complex || in->msgh_size != sizeof(*req) ||
		    req->msgh_body.msgh_descriptor_count != 1 ||
		    req->signature.type != MACH_MSG_PORT_DESCRIPTOR || !key_ok(req->port_name))
			netname_reply_code(in, out, MIG_BAD_ARGUMENTS);
		else
			netname_reply_code(in, out, check_out(req));
		return true;
	}
	case NETNAME_MSG_LOOK_UP: {
		const netname_look_up_request_t *req = (const void *)in;

		if (complex || in->msgh_size != sizeof(*req) || !key_ok(req->host_name) ||
		    !key_ok(req->port_name))
			netname_reply_code(in, out, MIG_BAD_ARGUMENTS);
		else
			look_up(in, out);
		return true;
	}
	case NETNAME_MSG_VERSION:
		if (complex || in->msgh_size != sizeof(netname_version_request_t))
			netname_reply_code(in, out, MIG_BAD_ARGUMENTS);
		else
			reply_string(in, out, MACHNETD_VERSION);
		return true;
	case NETNAME_MSG_SENDER_HOST:
		if (complex || in->msgh_size != sizeof(netname_sender_host_request_t))
			netname_reply_code(in, out, MIG_BAD_ARGUMENTS);
		else
			sender_host(in, out);
		return true;
	default:
		netname_reply_code(in, out, MIG_BAD_ID);
		return false;
	}
}

void netname_port_died(mach_port_t name)
{
	struct name_entry gone[16];
	size_t n;

	do {
		n = names_remove_port(name, gone, 16);
		for (size_t i = 0; i < n; i++) {
			logmsg(LOG_INFO, "\"%s\" checked out: its port died", gone[i].key);
			release_entry(&gone[i]);
		}
	} while (n == 16);
}

void netname_clear(void)
{
	struct name_entry gone[16];
	size_t n;

	/* Every entry has a valid port: remove them port by port. */
	while (names_count() > 0) {
		const struct name_entry *any = names_first();
		mach_port_t p = any->port;

		do {
			n = names_remove_port(p, gone, 16);
			for (size_t i = 0; i < n; i++)
				release_entry(&gone[i]);
		} while (n == 16);
	}
	names_clear();
}
