// SPDX-License-Identifier: GPL-2.0
/* Remote look-ups (lookup.h) and the netname service's view of the network (remote.h). */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lookup.h"
#include "machnetd.h"
#include "netname_msg.h"
#include "netname_serve.h"
#include "peer.h"
#include "ports.h"
#include "remote.h"

struct pending_lookup {
	struct pending_lookup	*next;
	uint32_t		tag;
	bool			everywhere;	/* "" or "*": any peer may answer */
	mach_port_t		reply;		/* the client's reply right */
	mach_msg_type_name_t	reply_type;
	mach_msg_id_t		request_id;
	uint8_t			*asked;		/* per peer: still owes an answer */
	unsigned int		waiting;
	kern_return_t		code;		/* answer so far for a named host */
	uint64_t		deadline_ms;
	char			key[NETNAME_NAME_LEN];
};

static struct pending_lookup *pending;
static uint32_t next_tag = 1;

/* Answer the client: a port (one send uref of ours, moved) or a code. */
static void answer(struct pending_lookup *l, mach_port_t port, kern_return_t code)
{
	union {
		mach_msg_header_t	head;
		uint8_t			room[NETNAME_SERVE_MAX];
	} out;
	mach_msg_header_t in = {
		.msgh_bits = MACH_MSGH_BITS(l->reply_type, 0),
		.msgh_remote_port = l->reply,
		.msgh_id = l->request_id,
	};
	mach_msg_return_t mr;

	memset(&out, 0, sizeof(out));
	if (code == KERN_SUCCESS)
		netname_reply_port(&in, &out.head, port, MACH_MSG_TYPE_MOVE_SEND);
	else
		netname_reply_code(&in, &out.head, code);
	logmsg(LOG_DEBUG, "look_up \"%s\": %s", l->key, code ? "not found" : "found remotely");
	mr = mach_msg(&out.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, out.head.msgh_size, 0,
		      MACH_PORT_NULL, 0, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		logmsg(LOG_DEBUG, "look_up reply: %s", mach_error_string(mr));
		if (MACH_PORT_VALID(l->reply))
			(void)mach_port_deallocate(mach_task_self(), l->reply);
		if (code == KERN_SUCCESS && MACH_PORT_VALID(port))
			(void)mach_port_deallocate(mach_task_self(), port);
	}
	l->reply = MACH_PORT_NULL;
}

static void finish(struct pending_lookup *l)
{
	struct pending_lookup **pp;

	for (pp = &pending; *pp; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	if (MACH_PORT_VALID(l->reply))
		answer(l, MACH_PORT_NULL, l->everywhere ? NETNAME_NOT_CHECKED_IN : l->code);
	free(l->asked);
	free(l);
}

static bool ask(struct peer *p, uint32_t tag, const char *key)
{
	struct wbuf *b = peer_tx(p);
	size_t s;

	if (b == NULL)
		return false;
	s = wire_begin(b, WIRE_LOOKUP, peer_next_seq(p));
	wbuf_u32(b, tag);
	wbuf_name(b, key);
	wire_end(b, s);
	peer_flush(p);
	return true;
}

void remote_look_up(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const netname_look_up_request_t *req = (const void *)in;
	bool everywhere = req->host_name[0] == '\0' || strcmp(req->host_name, "*") == 0;
	struct pending_lookup *l = calloc(1, sizeof(*l));

	if (l == NULL || (l->asked = calloc(npeers ? npeers : 1, 1)) == NULL) {
		free(l);
		netname_reply_code(in, out, KERN_RESOURCE_SHORTAGE);
		return;
	}
	l->tag = next_tag++;
	l->everywhere = everywhere;
	l->code = NETNAME_HOST_NOT_FOUND;
	l->deadline_ms = loop_now_ms() + LOOKUP_TIMEOUT_MS;
	memcpy(l->key, req->port_name, sizeof(l->key));
	for (unsigned int i = 0; i < npeers; i++) {
		struct peer *p = &peers[i];

		if (!everywhere && strcmp(p->name, req->host_name) != 0)
			continue;
		if (ask(p, l->tag, req->port_name)) {
			l->asked[i] = 1;
			l->waiting++;
		}
	}
	if (l->waiting == 0) {
		/* Nobody to ask: a listed host that is down "did not respond". */
		netname_reply_code(in, out, everywhere ? NETNAME_NOT_CHECKED_IN
						       : NETNAME_HOST_NOT_FOUND);
		free(l->asked);
		free(l);
		return;
	}
	/* Keep the reply right; the loop must neither answer nor destroy it. */
	l->reply = in->msgh_remote_port;
	l->reply_type = MACH_MSGH_BITS_REMOTE(in->msgh_bits);
	l->request_id = in->msgh_id;
	in->msgh_remote_port = MACH_PORT_NULL;
	l->next = pending;
	pending = l;
	netname_reply_code(in, out, MIG_NO_REPLY);
}

kern_return_t remote_sender_host(natural_t object, char *host)
{
	mig_strncpy(host, ports_owner_of_object(object), NETNAME_NAME_LEN);
	return KERN_SUCCESS;
}

static struct pending_lookup *find(uint32_t tag)
{
	for (struct pending_lookup *l = pending; l; l = l->next)
		if (l->tag == tag)
			return l;
	return NULL;
}

/* Peer p asks for a local name: answer from our own table. */
static void serve_lookup(struct peer *p, const struct wire_frame *f)
{
	char key[NETNAME_NAME_LEN];
	struct wbuf *b = peer_tx(p);
	mach_port_t port;
	size_t s;

	if (b == NULL)
		return;
	memcpy(key, f->u.lookup.name, f->u.lookup.name_len);
	key[f->u.lookup.name_len] = '\0';
	s = wire_begin(b, WIRE_LOOKUP_REPLY, peer_next_seq(p));
	wbuf_u32(b, f->u.lookup.tag);
	if (netname_local_look_up(key, &port)) {
		wbuf_u32(b, NETNAME_SUCCESS);
		ports_encode_held_send(p, b, port);
	} else {
		wbuf_u32(b, NETNAME_NOT_CHECKED_IN);
		wbuf_right(b, WIRE_NULL, 0, NULL, 0);
	}
	wire_end(b, s);
	peer_flush(p);
	logmsg(LOG_DEBUG, "look_up \"%s\" from %s", key, p->name);
}

bool lookup_frame(struct peer *p, const struct wire_frame *f, const char **reason)
{
	struct pending_lookup *l;
	mach_port_t port = MACH_PORT_NULL;

	if (f->type == WIRE_LOOKUP) {
		serve_lookup(p, f);
		return true;
	}
	/* LOOKUP_REPLY: take the right first, whoever still wants it. */
	if (f->u.lookup.code == NETNAME_SUCCESS &&
	    !ports_decode_send(p, &f->u.lookup.right, &port, reason))
		return false;
	l = find(f->u.lookup.tag);
	if (l == NULL || !l->asked[p->idx] || !MACH_PORT_VALID(l->reply)) {
		/* Late (timed out, or another host answered first): drop the right. */
		if (MACH_PORT_VALID(port))
			(void)mach_port_deallocate(mach_task_self(), port);
		if (l && l->asked[p->idx]) {
			l->asked[p->idx] = 0;
			if (--l->waiting == 0)
				finish(l);
		}
		return true;
	}
	l->asked[p->idx] = 0;
	l->waiting--;
	if (f->u.lookup.code == NETNAME_SUCCESS && MACH_PORT_VALID(port)) {
		answer(l, port, KERN_SUCCESS);
	} else {
		if (MACH_PORT_VALID(port))
			(void)mach_port_deallocate(mach_task_self(), port);
		if (f->u.lookup.code == NETNAME_SUCCESS)
			l->code = NETNAME_NOT_CHECKED_IN;	/* it died on the way */
		else
			l->code = f->u.lookup.code;
	}
	if (l->waiting == 0)
		finish(l);
	return true;
}

void lookup_peer_down(struct peer *p)
{
	struct pending_lookup *l, *next;

	for (l = pending; l; l = next) {
		next = l->next;
		if (l->asked[p->idx]) {
			l->asked[p->idx] = 0;
			if (--l->waiting == 0)
				finish(l);
		}
	}
}

int lookup_timeout_ms(uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (struct pending_lookup *l = pending; l; l = l->next)
		if (l->deadline_ms < next)
			next = l->deadline_ms;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now);
}

void lookup_tick(uint64_t now)
{
	struct pending_lookup *l, *next;

	for (l = pending; l; l = next) {
		next = l->next;
		if (now >= l->deadline_ms) {
			if (MACH_PORT_VALID(l->reply))
				logmsg(LOG_INFO, "look_up \"%s\": no answer in %d ms", l->key,
				       LOOKUP_TIMEOUT_MS);
			finish(l);
		}
	}
}
