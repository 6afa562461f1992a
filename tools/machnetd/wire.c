// SPDX-License-Identifier: GPL-2.0
/* The frame codec: see wire.h.  Every length is checked before it is used. */
#include <stdlib.h>
#include <string.h>

#include "wire.h"

struct cur {
	const uint8_t	*p;
	size_t		left;
	const char	*err;
};

static bool take(struct cur *c, size_t n, const uint8_t **out, const char *what)
{
	if (c->err)
		return false;
	if (c->left < n) {
		c->err = what;
		return false;
	}
	*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

static uint8_t get_u8(struct cur *c, const char *what)
{
	const uint8_t *p;

	return take(c, 1, &p, what) ? p[0] : 0;
}

static uint16_t get_u16(struct cur *c, const char *what)
{
	const uint8_t *p;

	return take(c, 2, &p, what) ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static uint32_t get_u32(struct cur *c, const char *what)
{
	const uint8_t *p;

	if (!take(c, 4, &p, what))
		return 0;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_u64(struct cur *c, const char *what)
{
	uint64_t hi = get_u32(c, what);

	return hi << 32 | get_u32(c, what);
}

/* A host or service name: u8 length (1..WIRE_NAME_MAX), no NUL inside. */
static void get_name(struct cur *c, uint8_t *len, const char **name, bool allow_empty,
		     const char *what)
{
	const uint8_t *p;

	*len = get_u8(c, what);
	*name = NULL;
	if (c->err)
		return;
	if ((*len == 0 && !allow_empty) || *len > WIRE_NAME_MAX) {
		c->err = "bad name length";
		return;
	}
	if (!take(c, *len, &p, what))
		return;
	if (memchr(p, '\0', *len) != NULL) {
		c->err = "NUL in name";
		return;
	}
	*name = (const char *)p;
}

static void get_right(struct cur *c, struct wire_right *r)
{
	memset(r, 0, sizeof(*r));
	r->kind = get_u8(c, "truncated right");
	if (c->err)
		return;
	if (r->kind >= WIRE_KIND_END) {
		c->err = "bad right kind";
		return;
	}
	if (r->kind == WIRE_NULL || r->kind == WIRE_DEAD_NAME)
		return;
	r->owner = get_u8(c, "truncated right");
	if (c->err)
		return;
	if (r->owner >= WIRE_OWNER_END) {
		c->err = "bad right owner";
		return;
	}
	if (r->owner == WIRE_OWNER_NAMED)
		get_name(c, &r->name_len, &r->name, false, "truncated owner name");
	r->id = get_u64(c, "truncated right id");
	if (!c->err && r->id == 0)
		c->err = "right id 0";
}

static void get_msg(struct cur *c, struct wire_msg *m, struct wire_desc *desc)
{
	const uint8_t *p;

	get_right(c, &m->dest);
	if (!c->err && m->dest.kind != WIRE_SEND && m->dest.kind != WIRE_SEND_ONCE)
		c->err = "destination is not a send or send-once right";
	if (!c->err && m->dest.owner != WIRE_OWNER_RECEIVER)
		c->err = "destination not owned by the receiver";
	get_right(c, &m->reply);
	if (!c->err && m->reply.kind == WIRE_RECEIVE)
		c->err = "receive right as reply";
	m->msgh_id = (int32_t)get_u32(c, "truncated message id");
	m->ndesc = get_u32(c, "truncated descriptor count");
	if (c->err)
		return;
	/* Each descriptor takes at least two bytes: bound the count by what is left. */
	if (m->ndesc > WIRE_MAX_DESC || m->ndesc > c->left / 2) {
		c->err = "bad descriptor count";
		return;
	}
	m->desc = desc;
	for (uint32_t i = 0; i < m->ndesc && !c->err; i++) {
		struct wire_desc *d = &desc[i];

		memset(d, 0, sizeof(*d));
		d->type = get_u8(c, "truncated descriptor");
		if (c->err)
			break;
		switch (d->type) {
		case WIRE_DESC_PORT:
			get_right(c, &d->right);
			break;
		case WIRE_DESC_OOL:
			d->size = get_u32(c, "truncated OOL size");
			if (take(c, d->size, &p, "truncated OOL data"))
				d->data = p;
			d->data_len = d->size;
			break;
		case WIRE_DESC_OOL_PORTS: {
			const uint8_t *start;
			uint8_t kind = WIRE_NULL;

			d->size = get_u32(c, "truncated OOL ports count");
			if (c->err)
				break;
			if (d->size > WIRE_MAX_OOL_PORTS || d->size > c->left) {
				c->err = "bad OOL ports count";
				break;
			}
			start = c->p;
			for (uint32_t k = 0; k < d->size && !c->err; k++) {
				struct wire_right r;

				get_right(c, &r);
				if (c->err)
					break;
				if (r.kind == WIRE_RECEIVE)
					c->err = "receive right in an OOL ports array";
				else if (r.kind == WIRE_SEND || r.kind == WIRE_SEND_ONCE) {
					/* One disposition covers the whole array. */
					if (kind != WIRE_NULL && kind != r.kind)
						c->err = "mixed rights in an OOL ports array";
					kind = r.kind;
				}
			}
			d->data = start;
			d->data_len = (uint32_t)(c->p - start);
			break;
		}
		default:
			c->err = "bad descriptor type";
			break;
		}
	}
	m->inline_len = get_u32(c, "truncated inline length");
	if (c->err)
		return;
	if (m->inline_len % 4) {
		c->err = "inline length not a multiple of 4";
		return;
	}
	if (take(c, m->inline_len, &p, "truncated inline data"))
		m->inline_data = p;
}

size_t wire_ool_rights(const struct wire_desc *d, struct wire_right *out, size_t max)
{
	struct cur c = { .p = d->data, .left = d->data_len };
	size_t n = 0;

	while (n < d->size && n < max && !c.err)
		get_right(&c, &out[n++]);
	return n;
}

enum wire_result wire_decode(const uint8_t *buf, size_t len, uint32_t max_frame,
			     uint64_t expect_seq, struct wire_frame *f,
			     struct wire_desc *desc, size_t *used, const char **reason)
{
	struct cur c;
	uint32_t plen;

	memset(f, 0, sizeof(*f));
	*reason = NULL;
	if (len < WIRE_HEADER_SIZE) {
		*used = WIRE_HEADER_SIZE;
		return WIRE_NEED_MORE;
	}
	c = (struct cur){ .p = buf, .left = len };
	plen = get_u32(&c, "");
	f->type = get_u16(&c, "");
	f->flags = get_u16(&c, "");
	f->seq = get_u64(&c, "");
	f->len = plen;
	/* Judge the header before waiting for a payload that may never be sane. */
	if (plen > max_frame) {
		*reason = "frame larger than max_frame";
		return WIRE_BAD;
	}
	if (f->type == 0 || f->type >= WIRE_TYPE_END) {
		*reason = "unknown frame type";
		return WIRE_BAD;
	}
	if (f->flags != 0) {
		*reason = "unknown frame flags";
		return WIRE_BAD;
	}
	if (f->seq != expect_seq) {
		*reason = f->seq < expect_seq ? "replayed frame (old sequence number)"
					      : "sequence number skipped";
		return WIRE_BAD;
	}
	if (len - WIRE_HEADER_SIZE < plen) {
		*used = WIRE_HEADER_SIZE + (size_t)plen;
		return WIRE_NEED_MORE;
	}
	c.left = plen;
	switch (f->type) {
	case WIRE_HELLO:
		f->u.hello.version = get_u16(&c, "truncated HELLO");
		if (get_u16(&c, "truncated HELLO") != 0 && !c.err)
			c.err = "HELLO reserved field not 0";
		f->u.hello.max_frame = get_u32(&c, "truncated HELLO");
		f->u.hello.incarnation = get_u64(&c, "truncated HELLO");
		get_name(&c, &f->u.hello.name_len, &f->u.hello.name, false,
			 "truncated HELLO name");
		break;
	case WIRE_PING:
	case WIRE_PONG:
		break;
	case WIRE_MSG:
		get_msg(&c, &f->u.msg, desc);
		break;
	case WIRE_RELEASE:
	case WIRE_TRANSFER:
		f->u.ref.id = get_u64(&c, "truncated id");
		f->u.ref.n = get_u32(&c, "truncated count");
		if (!c.err && (f->u.ref.id == 0 || f->u.ref.n == 0))
			c.err = "id or count 0";
		if (f->type == WIRE_TRANSFER)
			get_name(&c, &f->u.ref.name_len, &f->u.ref.name, false,
				 "truncated TRANSFER name");
		break;
	case WIRE_DEAD:
	case WIRE_SONCE_DESTROYED:
	case WIRE_ALIAS_DROP:
	case WIRE_ALIAS_DEAD:
		f->u.ref.id = get_u64(&c, "truncated id");
		if (!c.err && f->u.ref.id == 0)
			c.err = "id 0";
		break;
	case WIRE_LOOKUP:
		f->u.lookup.tag = get_u32(&c, "truncated LOOKUP");
		get_name(&c, &f->u.lookup.name_len, &f->u.lookup.name, true,
			 "truncated LOOKUP name");
		break;
	case WIRE_LOOKUP_REPLY:
		f->u.lookup.tag = get_u32(&c, "truncated LOOKUP_REPLY");
		f->u.lookup.code = (int32_t)get_u32(&c, "truncated LOOKUP_REPLY");
		get_right(&c, &f->u.lookup.right);
		if (!c.err && f->u.lookup.right.kind != WIRE_NULL &&
		    (f->u.lookup.right.kind != WIRE_SEND || f->u.lookup.code != 0))
			c.err = "LOOKUP_REPLY right is not a send right";
		if (!c.err && f->u.lookup.code == 0 && f->u.lookup.right.kind != WIRE_SEND)
			c.err = "LOOKUP_REPLY success without a right";
		break;
	}
	if (!c.err && c.left != 0)
		c.err = "trailing bytes in frame";
	if (c.err) {
		*reason = c.err;
		return WIRE_BAD;
	}
	*used = WIRE_HEADER_SIZE + (size_t)plen;
	return WIRE_OK;
}

/* ---- encoding ---- */

void wbuf_init(struct wbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void wbuf_free(struct wbuf *b)
{
	free(b->data);
	wbuf_init(b);
}

void wbuf_reset(struct wbuf *b)
{
	b->len = 0;
	b->oom = false;
}

static bool reserve(struct wbuf *b, size_t n)
{
	size_t cap;
	uint8_t *d;

	if (b->oom)
		return false;
	if (b->cap - b->len >= n)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	d = realloc(b->data, cap);
	if (d == NULL) {
		b->oom = true;
		return false;
	}
	b->data = d;
	b->cap = cap;
	return true;
}

void wbuf_put(struct wbuf *b, const void *p, size_t n)
{
	if (n && reserve(b, n)) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
	}
}

void wbuf_u8(struct wbuf *b, uint8_t v)
{
	wbuf_put(b, &v, 1);
}

void wbuf_u16(struct wbuf *b, uint16_t v)
{
	uint8_t p[2] = { v >> 8, v };

	wbuf_put(b, p, 2);
}

void wbuf_u32(struct wbuf *b, uint32_t v)
{
	uint8_t p[4] = { v >> 24, v >> 16, v >> 8, v };

	wbuf_put(b, p, 4);
}

void wbuf_u64(struct wbuf *b, uint64_t v)
{
	wbuf_u32(b, (uint32_t)(v >> 32));
	wbuf_u32(b, (uint32_t)v);
}

void wbuf_name(struct wbuf *b, const char *name)
{
	size_t n = strnlen(name, WIRE_NAME_MAX);

	wbuf_u8(b, (uint8_t)n);
	wbuf_put(b, name, n);
}

void wbuf_right(struct wbuf *b, uint8_t kind, uint8_t owner, const char *owner_name,
		uint64_t id)
{
	wbuf_u8(b, kind);
	if (kind == WIRE_NULL || kind == WIRE_DEAD_NAME)
		return;
	wbuf_u8(b, owner);
	if (owner == WIRE_OWNER_NAMED)
		wbuf_name(b, owner_name);
	wbuf_u64(b, id);
}

size_t wire_begin(struct wbuf *b, uint16_t type, uint64_t seq)
{
	size_t start = b->len;

	wbuf_u32(b, 0);
	wbuf_u16(b, type);
	wbuf_u16(b, 0);
	wbuf_u64(b, seq);
	return start;
}

void wire_end(struct wbuf *b, size_t start)
{
	uint32_t plen;

	if (b->oom || b->len < start + WIRE_HEADER_SIZE)
		return;
	plen = (uint32_t)(b->len - start - WIRE_HEADER_SIZE);
	b->data[start] = plen >> 24;
	b->data[start + 1] = plen >> 16;
	b->data[start + 2] = plen >> 8;
	b->data[start + 3] = plen;
}
