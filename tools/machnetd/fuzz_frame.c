// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for machnetd's frame decoder (build: make -C
 * tools/machnetd fuzz; clang -fsanitize=fuzzer,address,undefined).
 *
 * The input is a byte stream as a peer would send it: frames are decoded
 * one after another with the sequence numbers a connection expects.  Every
 * frame the decoder accepts is encoded again from the decoded struct and
 * must give back exactly its bytes, so a decoder that misreads a field is
 * caught as well as one that reads out of bounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static struct wire_desc desc[WIRE_MAX_DESC];
static struct wire_right rights[WIRE_MAX_OOL_PORTS];

static void put_right(struct wbuf *b, const struct wire_right *r)
{
	char name[WIRE_NAME_MAX + 1] = "";

	if (r->owner == WIRE_OWNER_NAMED) {
		memcpy(name, r->name, r->name_len);
		name[r->name_len] = '\0';
	}
	wbuf_right(b, r->kind, r->owner, name, r->id);
}

static void put_name(struct wbuf *b, const char *p, uint8_t n)
{
	wbuf_u8(b, n);
	wbuf_put(b, p, n);
}

/* Encode f again with the encoder primitives machnetd uses. */
static void reencode(const struct wire_frame *f, struct wbuf *b)
{
	size_t start = wire_begin(b, f->type, f->seq);

	switch (f->type) {
	case WIRE_HELLO:
		wbuf_u16(b, f->u.hello.version);
		wbuf_u16(b, 0);
		wbuf_u32(b, f->u.hello.max_frame);
		wbuf_u64(b, f->u.hello.incarnation);
		put_name(b, f->u.hello.name, f->u.hello.name_len);
		break;
	case WIRE_MSG: {
		const struct wire_msg *m = &f->u.msg;

		put_right(b, &m->dest);
		put_right(b, &m->reply);
		wbuf_u32(b, (uint32_t)m->msgh_id);
		wbuf_u32(b, m->ndesc);
		for (uint32_t i = 0; i < m->ndesc; i++) {
			const struct wire_desc *d = &m->desc[i];

			wbuf_u8(b, d->type);
			if (d->type == WIRE_DESC_PORT) {
				put_right(b, &d->right);
			} else if (d->type == WIRE_DESC_OOL) {
				wbuf_u32(b, d->size);
				wbuf_put(b, d->data, d->size);
			} else {
				size_t n = wire_ool_rights(d, rights, WIRE_MAX_OOL_PORTS);

				if (n != d->size)
					abort();
				wbuf_u32(b, d->size);
				for (size_t k = 0; k < n; k++)
					put_right(b, &rights[k]);
			}
		}
		wbuf_u32(b, m->inline_len);
		wbuf_put(b, m->inline_data, m->inline_len);
		break;
	}
	case WIRE_RELEASE:
	case WIRE_TRANSFER:
		wbuf_u64(b, f->u.ref.id);
		wbuf_u32(b, f->u.ref.n);
		if (f->type == WIRE_TRANSFER)
			put_name(b, f->u.ref.name, f->u.ref.name_len);
		break;
	case WIRE_DEAD:
	case WIRE_SONCE_DESTROYED:
	case WIRE_ALIAS_DROP:
	case WIRE_ALIAS_DEAD:
		wbuf_u64(b, f->u.ref.id);
		break;
	case WIRE_LOOKUP:
		wbuf_u32(b, f->u.lookup.tag);
		put_name(b, f->u.lookup.name, f->u.lookup.name_len);
		break;
	case WIRE_LOOKUP_REPLY:
		wbuf_u32(b, f->u.lookup.tag);
		wbuf_u32(b, (uint32_t)f->u.lookup.code);
		put_right(b, &f->u.lookup.right);
		break;
	default:
		break;
	}
	wire_end(b, start);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wbuf b;
	uint64_t seq = 1;
	size_t pos = 0;

	while (pos < size) {
		struct wire_frame f;
		const char *reason;
		size_t used = 0;
		enum wire_result r;

		/* A small max_frame too, so the limit path is reached. */
		r = wire_decode(data + pos, size - pos, size & 1 ? 4096 : 1u << 20, seq, &f,
				desc, &used, &reason);
		if (r == WIRE_BAD) {
			if (reason == NULL)
				abort();
			break;
		}
		if (r == WIRE_NEED_MORE) {
			if (used <= size - pos)
				abort();	/* asked for bytes it already had */
			break;
		}
		if (used < WIRE_HEADER_SIZE || used > size - pos)
			abort();
		wbuf_reset(&b);
		reencode(&f, &b);
		if (b.oom)
			abort();
		if (b.len != used || memcmp(b.data, data + pos, used) != 0)
			abort();	/* the decoder misread a field */
		pos += used;
		seq++;
	}
	return 0;
}
