// SPDX-License-Identifier: GPL-2.0
/*
 * Mach messages <-> MSG frames, and the ports layer's entry points
 * (ports.h).  A message received on a proxy is encoded, its rights and
 * memory used up, and sent to the proxy's owner; a MSG frame is rebuilt as
 * a Mach message whose every right is a uref of ours moved to the
 * destination (so a send that times out comes back whole and is queued).
 */
#include <stdlib.h>
#include <string.h>

#include <mach/notify.h>

#include "log.h"
#include "lookup.h"
#include "machnetd.h"
#include "peer.h"
#include "ports.h"
#include "rights.h"

#define RETRY_MS	2	/* queued deliveries are tried again this often */

/* A delivery that found its destination's queue full; FIFO per destination. */
struct pending {
	struct pending		*next;
	struct peer		*from;
	size_t			bytes;
	mach_msg_header_t	msg[];	/* pseudo-received form: re-sendable */
};

static struct pending *pend_head, **pend_tail = &pend_head;
static struct hmap pend_dests;		/* destination name -> queued count */

/* ---- local -> wire ---- */

static bool from_kernel(const mach_msg_header_t *msg)
{
	const mach_msg_audit_trailer_t *t = (const void *)
		((const char *)msg + ((msg->msgh_size + 3) & ~3u));

	if (t->msgh_trailer_size < sizeof(*t))
		return false;
	if (t->msgh_sender.val[0] != 0 || t->msgh_sender.val[1] != 1)
		return false;
	for (int i = 0; i < 8; i++)
		if (t->msgh_audit.val[i] != 0)
			return false;
	return true;
}

static size_t desc_size(const mach_msg_descriptor_t *d)
{
	return d->type.type == MACH_MSG_PORT_DESCRIPTOR ? sizeof(mach_msg_port_descriptor_t)
							: sizeof(mach_msg_ool_descriptor_t);
}

/* Walk the descriptors; false when the message is not one we can carry. */
static bool scan(const mach_msg_header_t *msg, size_t *bytes, const uint8_t **inl)
{
	const uint8_t *p = (const uint8_t *)(msg + 1), *end = (const uint8_t *)msg + msg->msgh_size;
	uint32_t n = 0;

	*bytes = msg->msgh_size;
	if (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		n = ((const mach_msg_body_t *)p)->msgh_descriptor_count;
		p += sizeof(mach_msg_body_t);
		if (n > WIRE_MAX_DESC)
			return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		const mach_msg_descriptor_t *d = (const void *)p;

		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			*bytes += 100;
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			*bytes += d->out_of_line.size;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR:
			if (d->ool_ports.count > WIRE_MAX_OOL_PORTS)
				return false;
			*bytes += (size_t)d->ool_ports.count * 100;
			break;
		default:
			return false;	/* guarded ports cannot cross hosts */
		}
		p += desc_size(d);
	}
	*inl = p;
	return p <= end;
}

/* A local message for a remote port: encode it for the proxy's owner. */
static void forward(struct proxy *px, mach_msg_header_t *msg)
{
	struct peer *p = px->owner;
	struct wbuf *b = peer_tx(p);
	const uint8_t *inl, *end = (const uint8_t *)msg + msg->msgh_size;
	uint8_t *desc;
	uint32_t n = 0;
	size_t bytes, s;

	if (b == NULL || !scan(msg, &bytes, &inl) || bytes + 1024 > p->remote_max_frame) {
		logmsg(LOG_WARNING, "message %d for (%s,%llu) dropped: %s", msg->msgh_id, p->name,
		       (unsigned long long)px->id,
		       b == NULL ? "peer down" : "too large or not carriable");
		mach_msg_destroy(msg);
		if (px->sonce)
			proxy_destroy(px);
		return;
	}
	s = wire_begin(b, WIRE_MSG, peer_next_seq(p));
	wbuf_right(b, px->sonce ? WIRE_SEND_ONCE : WIRE_SEND, WIRE_OWNER_RECEIVER, NULL, px->id);
	encode_right(p, b, msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(msg->msgh_bits));
	if (MACH_MSGH_BITS_VOUCHER(msg->msgh_bits) && MACH_PORT_VALID(msg->msgh_voucher_port))
		(void)mach_port_deallocate(mach_task_self(), msg->msgh_voucher_port);
	wbuf_u32(b, (uint32_t)msg->msgh_id);
	desc = (uint8_t *)(msg + 1);
	if (msg->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		n = ((mach_msg_body_t *)desc)->msgh_descriptor_count;
		desc += sizeof(mach_msg_body_t);
	}
	wbuf_u32(b, n);
	for (uint32_t i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = (void *)desc;

		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			wbuf_u8(b, WIRE_DESC_PORT);
			encode_right(p, b, d->port.name, d->port.disposition);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			wbuf_u8(b, WIRE_DESC_OOL);
			wbuf_u32(b, d->out_of_line.size);
			wbuf_put(b, d->out_of_line.address, d->out_of_line.size);
			if (d->out_of_line.address && d->out_of_line.size)
				(void)vm_deallocate(mach_task_self(),
						    (vm_address_t)d->out_of_line.address,
						    d->out_of_line.size);
			break;
		default: {	/* OOL ports (scan let nothing else through) */
			mach_port_t *names = d->ool_ports.address;

			wbuf_u8(b, WIRE_DESC_OOL_PORTS);
			wbuf_u32(b, d->ool_ports.count);
			for (uint32_t k = 0; k < d->ool_ports.count; k++)
				encode_right(p, b, names[k], d->ool_ports.disposition);
			if (names && d->ool_ports.count)
				(void)vm_deallocate(mach_task_self(), (vm_address_t)names,
						    d->ool_ports.count * sizeof(*names));
			break;
		}
		}
		desc += desc_size(d);
	}
	wbuf_u32(b, (uint32_t)(end - inl));
	wbuf_put(b, inl, end - inl);
	wire_end(b, s);
	peer_flush(p);
	/* A send-once proxy is used up by the message its right carried. */
	if (px->sonce && proxy_by_name(msg->msgh_local_port) == px)
		proxy_destroy(px);
}

bool ports_receive(mach_msg_header_t *msg)
{
	struct proxy *px = proxy_by_name(msg->msgh_local_port);

	if (px == NULL)
		return false;
	if (from_kernel(msg)) {
		if (msg->msgh_id == MACH_NOTIFY_NO_SENDERS && !px->sonce) {
			proxy_no_senders(px, ((mach_no_senders_notification_t *)msg)->not_count);
			return true;
		}
		if (msg->msgh_id == MACH_NOTIFY_SEND_ONCE && px->sonce) {
			proxy_sonce_destroyed(px);
			return true;
		}
	}
	forward(px, msg);
	return true;
}

/* ---- wire -> local ---- */

static void pend_count(mach_port_t dest, int delta)
{
	uint64_t n = 0;

	hmap_get(&pend_dests, dest, &n);
	n += delta;
	if (n)
		hmap_put(&pend_dests, dest, n);
	else
		hmap_del(&pend_dests, dest);
}

static void account(struct peer *from, ssize_t delta)
{
	if (from == NULL)
		return;
	from->queued_bytes += delta;
	if (from->queued_bytes > cfg.max_queued_bytes_per_peer)
		peer_pause(from, true);
	else if (from->queued_bytes <= cfg.max_queued_bytes_per_peer / 2)
		peer_pause(from, false);
}

/*
 * Undo a built message that was never sent: its rights are urefs of ours
 * (MOVE_*), its OOL memory pointed into the frame, its OOL port arrays were
 * malloc'd (freed by the caller).
 */
static void destroy_built(mach_msg_header_t *m)
{
	uint8_t *p = (uint8_t *)(m + 1);
	uint32_t n = 0;

	if (MACH_PORT_VALID(m->msgh_remote_port))
		(void)mach_port_deallocate(mach_task_self(), m->msgh_remote_port);
	if (MACH_PORT_VALID(m->msgh_local_port))
		(void)mach_port_deallocate(mach_task_self(), m->msgh_local_port);
	if (m->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		n = ((mach_msg_body_t *)p)->msgh_descriptor_count;
		p += sizeof(mach_msg_body_t);
	}
	for (uint32_t i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = (void *)p;

		if (d->type.type == MACH_MSG_PORT_DESCRIPTOR && MACH_PORT_VALID(d->port.name))
			(void)mach_port_deallocate(mach_task_self(), d->port.name);
		if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			mach_port_t *names = d->ool_ports.address;

			for (uint32_t k = 0; k < d->ool_ports.count; k++)
				if (MACH_PORT_VALID(names[k]))
					(void)mach_port_deallocate(mach_task_self(), names[k]);
		}
		p += desc_size(d);
	}
}

/* The kernel gave a timed-out message back: its memory is ours now, to be moved on. */
static void make_resendable(mach_msg_header_t *m)
{
	uint8_t *p = (uint8_t *)(m + 1);
	uint32_t n = 0;

	if (m->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
		n = ((mach_msg_body_t *)p)->msgh_descriptor_count;
		p += sizeof(mach_msg_body_t);
	}
	for (uint32_t i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = (void *)p;

		if (d->type.type == MACH_MSG_OOL_DESCRIPTOR ||
		    d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			d->out_of_line.deallocate = TRUE;
			d->out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
		}
		p += desc_size(d);
	}
}

static void enqueue(mach_msg_header_t *m, struct peer *from)
{
	struct pending *q = malloc(sizeof(*q) + m->msgh_size);

	if (q == NULL) {
		logmsg(LOG_ERR, "no memory to queue a message: destroyed");
		mach_msg_destroy(m);
		return;
	}
	q->next = NULL;
	q->from = from;
	q->bytes = m->msgh_size;
	memcpy(q->msg, m, m->msgh_size);
	*pend_tail = q;
	pend_tail = &q->next;
	pend_count(m->msgh_remote_port, 1);
	account(from, (ssize_t)q->bytes);
}

/* Try to send; false when it timed out (m is then re-sendable and the caller queues it). */
static bool try_send(mach_msg_header_t *m, bool built)
{
	mach_msg_return_t mr = mach_msg(m, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m->msgh_size, 0,
					MACH_PORT_NULL, 0, MACH_PORT_NULL);

	if (mr == MACH_MSG_SUCCESS)
		return true;
	if (mr == MACH_SEND_TIMED_OUT) {
		make_resendable(m);
		return false;
	}
	/* The destination died (or the message cannot be sent): nobody will get it. */
	logmsg(mr == MACH_SEND_INVALID_DEST ? LOG_DEBUG : LOG_WARNING,
	       "delivery of message %d: %s", m->msgh_id, mach_error_string(mr));
	if (mr == MACH_SEND_INVALID_DEST || mr == MACH_SEND_INVALID_HEADER) {
		if (built)
			destroy_built(m);
		else
			mach_msg_destroy(m);
	}
	return true;
}

/* Copy OOL data and OOL port arrays into memory of ours, as a received message holds it. */
static bool own_memory(mach_msg_header_t *m)
{
	uint8_t *p = (uint8_t *)(m + 1);
	uint32_t n = ((mach_msg_body_t *)p)->msgh_descriptor_count;

	p += sizeof(mach_msg_body_t);
	for (uint32_t i = 0; i < n; i++) {
		mach_msg_descriptor_t *d = (void *)p;
		size_t size = d->type.type == MACH_MSG_OOL_DESCRIPTOR ? d->out_of_line.size :
			      d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR ?
				d->ool_ports.count * sizeof(mach_port_t) : 0;

		if (size) {
			vm_address_t a = 0;

			if (vm_allocate(mach_task_self(), &a, size, VM_FLAGS_ANYWHERE) !=
			    KERN_SUCCESS)
				return false;
			memcpy((void *)a, d->out_of_line.address, size);
			d->out_of_line.address = (void *)a;
			d->out_of_line.deallocate = TRUE;
		}
		p += desc_size(d);
	}
	return true;
}

static struct wire_right ool_rights[WIRE_MAX_OOL_PORTS];

/* A MSG frame from p: rebuild and deliver it. */
static bool deliver(struct peer *p, const struct wire_msg *w, const char **reason)
{
	size_t size = sizeof(mach_msg_header_t) + (w->ndesc ? sizeof(mach_msg_body_t) : 0) +
		      (size_t)w->ndesc * sizeof(mach_msg_ool_descriptor_t) + w->inline_len;
	mach_msg_header_t *m = calloc(1, size + MAX_TRAILER_SIZE);
	void *arrays[WIRE_MAX_DESC];	/* our port arrays: the kernel copies them */
	unsigned int narrays = 0;
	mach_msg_type_name_t dt, rt;
	uint8_t *d;
	bool ok = true;

	if (m == NULL) {
		*reason = "out of memory for a message";
		return false;
	}
	if (!decode_dest(p, &w->dest, &m->msgh_remote_port, &dt, reason) ||
	    !decode_right(p, &w->reply, &m->msgh_local_port, &rt, reason)) {
		if (MACH_PORT_VALID(m->msgh_remote_port))
			(void)mach_port_deallocate(mach_task_self(), m->msgh_remote_port);
		free(m);
		return false;
	}
	if (w->reply.kind == WIRE_NULL)
		rt = 0;
	m->msgh_id = w->msgh_id;
	d = (uint8_t *)(m + 1);
	if (w->ndesc) {
		((mach_msg_body_t *)d)->msgh_descriptor_count = w->ndesc;
		d += sizeof(mach_msg_body_t);
	}
	for (uint32_t i = 0; i < w->ndesc; i++) {
		const struct wire_desc *wd = &w->desc[i];
		mach_msg_descriptor_t *md = (void *)d;

		if (!ok) {
			/* Keep the message well-formed for destroy_built. */
			md->port.type = MACH_MSG_PORT_DESCRIPTOR;
			md->port.name = MACH_PORT_NULL;
			md->port.disposition = MACH_MSG_TYPE_MOVE_SEND;
			d += sizeof(mach_msg_port_descriptor_t);
			continue;
		}
		switch (wd->type) {
		case WIRE_DESC_PORT: {
			mach_msg_type_name_t t;

			ok = decode_right(p, &wd->right, &md->port.name, &t, reason);
			md->port.disposition = t ? t : MACH_MSG_TYPE_MOVE_SEND;
			md->port.type = MACH_MSG_PORT_DESCRIPTOR;
			d += sizeof(mach_msg_port_descriptor_t);
			break;
		}
		case WIRE_DESC_OOL:
			md->out_of_line.address = wd->size ? (void *)wd->data : NULL;
			md->out_of_line.size = wd->size;
			md->out_of_line.deallocate = FALSE;
			md->out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
			md->out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
			d += sizeof(mach_msg_ool_descriptor_t);
			break;
		default: {
			size_t cnt = wire_ool_rights(wd, ool_rights, WIRE_MAX_OOL_PORTS);
			mach_port_t *names = calloc(cnt ? cnt : 1, sizeof(*names));
			mach_msg_type_name_t kind = MACH_MSG_TYPE_MOVE_SEND;

			md->ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
			md->ool_ports.copy = MACH_MSG_VIRTUAL_COPY;
			md->ool_ports.deallocate = FALSE;
			md->ool_ports.address = names;
			md->ool_ports.count = 0;
			if (names)
				arrays[narrays++] = names;
			d += sizeof(mach_msg_ool_ports_descriptor_t);
			if (names == NULL) {
				*reason = "out of memory for a port array";
				ok = false;
				break;
			}
			for (size_t k = 0; k < cnt && ok; k++) {
				mach_msg_type_name_t t;

				ok = decode_right(p, &ool_rights[k], &names[k], &t, reason);
				if (ok)
					md->ool_ports.count = (mach_msg_size_t)(k + 1);
				if (ok && names[k] != MACH_PORT_NULL && names[k] != MACH_PORT_DEAD)
					kind = t;
			}
			md->ool_ports.disposition = kind;
			break;
		}
		}
	}
	memcpy(d, w->inline_data, w->inline_len);
	m->msgh_size = (mach_msg_size_t)(d + w->inline_len - (uint8_t *)m);
	m->msgh_bits = MACH_MSGH_BITS(dt, rt) | (w->ndesc ? MACH_MSGH_BITS_COMPLEX : 0);
	if (!ok) {
		destroy_built(m);
	} else if (!MACH_PORT_VALID(m->msgh_remote_port)) {
		/* Its port is gone: the message dies here, its rights with it. */
		destroy_built(m);
	} else if (hmap_get(&pend_dests, m->msgh_remote_port, NULL)) {
		/* Behind earlier messages to the same port: keep the order. */
		if (w->ndesc && !own_memory(m))
			destroy_built(m);
		else
			enqueue(m, p);
	} else if (!try_send(m, true)) {
		enqueue(m, p);
	}
	while (narrays)
		free(arrays[--narrays]);
	free(m);
	return ok;
}

static void retry_pending(void)
{
	struct hmap blocked;
	struct pending **pp = &pend_head;

	hmap_init(&blocked);
	while (*pp) {
		struct pending *q = *pp;
		mach_port_t dest = q->msg->msgh_remote_port;

		if (hmap_get(&blocked, dest, NULL) || !try_send(q->msg, false)) {
			hmap_put(&blocked, dest, 1);
			pp = &q->next;
			continue;
		}
		*pp = q->next;
		if (pend_tail == &q->next)
			pend_tail = pp;
		pend_count(dest, -1);
		account(q->from, -(ssize_t)q->bytes);
		free(q);
	}
	hmap_free(&blocked);
}

/* ---- entry points ---- */

/* A right of a third host that is listed but not connected (yet)? */
static bool unreachable(const struct wire_right *r)
{
	struct peer *q;

	if (r->kind != WIRE_SEND && r->kind != WIRE_SEND_ONCE)
		return false;
	if (r->owner != WIRE_OWNER_NAMED)
		return false;
	q = peer_by_name(r->name, r->name_len);
	return q != NULL && !q->up;
}

/*
 * A message forwarded by a third host may name ports of a host whose
 * connection to us is still coming up (all start at once; a dialer backs
 * off): wait for it rather than turn them into dead names.
 */
static bool must_wait(const struct wire_msg *w)
{
	if (unreachable(&w->reply))
		return true;
	for (uint32_t i = 0; i < w->ndesc; i++) {
		const struct wire_desc *d = &w->desc[i];

		if (d->type == WIRE_DESC_PORT && unreachable(&d->right))
			return true;
		if (d->type == WIRE_DESC_OOL_PORTS) {
			size_t n = wire_ool_rights(d, ool_rights, WIRE_MAX_OOL_PORTS);

			for (size_t k = 0; k < n; k++)
				if (unreachable(&ool_rights[k]))
					return true;
		}
	}
	return false;
}

int ports_frame(struct peer *p, const struct wire_frame *f, bool may_defer,
		const char **reason)
{
	switch (f->type) {
	case WIRE_MSG:
		if (may_defer && must_wait(&f->u.msg))
			return PORTS_DEFER;
		return deliver(p, &f->u.msg, reason) ? PORTS_OK : PORTS_BAD;
	case WIRE_LOOKUP:
	case WIRE_LOOKUP_REPLY:
		return lookup_frame(p, f, reason) ? PORTS_OK : PORTS_BAD;
	default:
		return rights_frame(p, f, reason) ? PORTS_OK : PORTS_BAD;
	}
}

void ports_port_died(mach_port_t name)
{
	rights_port_died(name);
}

void ports_peer_up(struct peer *p)
{
	(void)p;
	/* Frames that waited for this host are tried again. */
	peers_retry_deferred();
}

void ports_peer_down(struct peer *p)
{
	rights_peer_down(p);
	lookup_peer_down(p);
	for (struct pending *q = pend_head; q; q = q->next)
		if (q->from == p)
			q->from = NULL;
	p->queued_bytes = 0;
}

int ports_timeout_ms(uint64_t now)
{
	int t = lookup_timeout_ms(now);

	if (pend_head && (t < 0 || t > RETRY_MS))
		t = RETRY_MS;
	return t;
}

void ports_tick(uint64_t now)
{
	if (pend_head)
		retry_pending();
	lookup_tick(now);
}

void ports_encode_held_send(struct peer *p, struct wbuf *b, mach_port_t name)
{
	if (mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_SEND, 1) != KERN_SUCCESS) {
		wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
		return;
	}
	encode_right(p, b, name, MACH_MSG_TYPE_PORT_SEND);
}

bool ports_decode_send(struct peer *p, const struct wire_right *r, mach_port_t *name,
		       const char **reason)
{
	mach_msg_type_name_t t;

	return decode_right(p, r, name, &t, reason);
}

const char *ports_owner_of_object(natural_t object)
{
	return rights_owner_of_object(object);
}

void ports_exit(void)
{
	while (pend_head) {
		struct pending *q = pend_head;

		pend_head = q->next;
		mach_msg_destroy(q->msg);
		free(q);
	}
	pend_tail = &pend_head;
	hmap_free(&pend_dests);
	rights_exit();
}
