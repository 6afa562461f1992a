// SPDX-License-Identifier: GPL-2.0
/* Frame codec: round trips of every type, and each way a frame is refused. */
#include <stdlib.h>

#include "unit.h"
#include "wire_samples.h"

static struct wire_desc desc[WIRE_MAX_DESC];

static enum wire_result dec(const struct wbuf *b, uint64_t seq, struct wire_frame *f,
			    size_t *used, const char **reason)
{
	return wire_decode(b->data, b->len, 1u << 20, seq, f, desc, used, reason);
}

/* The frame in b must be refused with a reason containing expect. */
static void refused(const struct wbuf *b, const char *expect, int line)
{
	struct wire_frame f;
	const char *reason = NULL;
	size_t used;
	enum wire_result r = dec(b, 1, &f, &used, &reason);

	unit_checks++;
	if (r != WIRE_BAD || reason == NULL || strstr(reason, expect) == NULL) {
		unit_failures++;
		fprintf(stderr, "line %d: want refusal \"%s\", got %d \"%s\"\n", line, expect,
			r, reason ? reason : "");
	}
}

/* Corrupt byte off of a sample frame of type t (after the header) to v. */
static void patched(uint16_t t, size_t off, uint8_t v, const char *expect, int line)
{
	struct wbuf b;

	wbuf_init(&b);
	sample_frame(&b, t, 1);
	b.data[WIRE_HEADER_SIZE + off] = v;
	refused(&b, expect, line);
	wbuf_free(&b);
}

static void round_trips(void)
{
	struct wbuf b;
	struct wire_frame f;
	struct wire_right r[4];
	const char *reason;
	size_t used;

	wbuf_init(&b);
	for (uint16_t t = WIRE_HELLO; t < WIRE_TYPE_END; t++) {
		wbuf_reset(&b);
		sample_frame(&b, t, 5);
		CHECK(dec(&b, 5, &f, &used, &reason) == WIRE_OK);
		CHECK(used == b.len && f.type == t && f.seq == 5);
		/* Every prefix asks for more, never more than the whole. */
		for (size_t n = 0; n < b.len; n++) {
			size_t want = 0;

			CHECK(wire_decode(b.data, n, 1u << 20, 5, &f, desc, &want, &reason) ==
			      WIRE_NEED_MORE);
			CHECK(want > n && want <= b.len);
		}
	}
	wbuf_reset(&b);
	sample_frame(&b, WIRE_HELLO, 1);
	CHECK(dec(&b, 1, &f, &used, &reason) == WIRE_OK);
	CHECK(f.u.hello.version == WIRE_VERSION && f.u.hello.max_frame == 1u << 20);
	CHECK(f.u.hello.incarnation == 0x1122334455667788ull);
	CHECK(f.u.hello.name_len == 5 && memcmp(f.u.hello.name, "hosta", 5) == 0);

	wbuf_reset(&b);
	sample_frame(&b, WIRE_MSG, 1);
	CHECK(dec(&b, 1, &f, &used, &reason) == WIRE_OK);
	CHECK(f.u.msg.dest.kind == WIRE_SEND && f.u.msg.dest.owner == WIRE_OWNER_RECEIVER &&
	      f.u.msg.dest.id == 7);
	CHECK(f.u.msg.reply.kind == WIRE_SEND_ONCE && f.u.msg.reply.id == 9);
	CHECK(f.u.msg.msgh_id == 1000 && f.u.msg.ndesc == 4);
	CHECK(desc[0].type == WIRE_DESC_PORT && desc[0].right.owner == WIRE_OWNER_NAMED &&
	      desc[0].right.name_len == 5 && memcmp(desc[0].right.name, "hostc", 5) == 0 &&
	      desc[0].right.id == 3);
	CHECK(desc[1].type == WIRE_DESC_OOL && desc[1].size == 5 &&
	      memcmp(desc[1].data, "hello", 5) == 0);
	CHECK(desc[2].type == WIRE_DESC_OOL_PORTS && desc[2].size == 3);
	CHECK(wire_ool_rights(&desc[2], r, 4) == 3);
	CHECK(r[0].id == 11 && r[1].kind == WIRE_NULL && r[2].owner == WIRE_OWNER_RECEIVER);
	CHECK(desc[3].right.kind == WIRE_DEAD_NAME);
	CHECK(f.u.msg.inline_len == 8 && memcmp(f.u.msg.inline_data, "12345678", 8) == 0);

	/* Two frames back to back: the second needs the next sequence number. */
	wbuf_reset(&b);
	sample_frame(&b, WIRE_PING, 1);
	sample_frame(&b, WIRE_DEAD, 2);
	CHECK(dec(&b, 1, &f, &used, &reason) == WIRE_OK && used == WIRE_HEADER_SIZE);
	CHECK(wire_decode(b.data + used, b.len - used, 1u << 20, 2, &f, desc, &used,
			  &reason) == WIRE_OK && f.type == WIRE_DEAD && f.u.ref.id == 42);
	wbuf_free(&b);
}

static void refusals(void)
{
	struct wbuf b;
	struct wire_frame f;
	const char *reason;
	size_t used;

	wbuf_init(&b);
	/* Header: size, type, flags, sequence. */
	sample_frame(&b, WIRE_PING, 1);
	b.data[0] = 0x7f;
	refused(&b, "larger than max_frame", __LINE__);
	wbuf_reset(&b);
	sample_frame(&b, WIRE_TYPE_END, 1);
	refused(&b, "unknown frame type", __LINE__);
	wbuf_reset(&b);
	sample_frame(&b, 0, 1);
	refused(&b, "unknown frame type", __LINE__);
	wbuf_reset(&b);
	sample_frame(&b, WIRE_PING, 1);
	b.data[7] = 1;
	refused(&b, "unknown frame flags", __LINE__);
	wbuf_reset(&b);
	sample_frame(&b, WIRE_PING, 1);
	CHECK(dec(&b, 2, &f, &used, &reason) == WIRE_BAD && strstr(reason, "replayed"));
	CHECK(dec(&b, 0, &f, &used, &reason) == WIRE_BAD && strstr(reason, "skipped"));
	/* An oversized length is refused from the header alone. */
	wbuf_reset(&b);
	wire_begin(&b, WIRE_MSG, 1);
	b.data[0] = 0x10;
	CHECK(dec(&b, 1, &f, &used, &reason) == WIRE_BAD);
	/* Payload faults. */
	wbuf_reset(&b);
	sample_frame(&b, WIRE_PING, 1);
	wbuf_u8(&b, 0);
	b.data[3] = 1;
	refused(&b, "trailing bytes", __LINE__);
	patched(WIRE_HELLO, 2, 1, "reserved", __LINE__);
	patched(WIRE_HELLO, 16, 0, "bad name length", __LINE__);
	patched(WIRE_HELLO, 16, 80, "bad name length", __LINE__);
	patched(WIRE_HELLO, 17, 0, "NUL in name", __LINE__);
	patched(WIRE_HELLO, 16, 6, "truncated", __LINE__);
	patched(WIRE_MSG, 0, WIRE_KIND_END, "bad right kind", __LINE__);
	patched(WIRE_MSG, 0, WIRE_RECEIVE, "not a send", __LINE__);
	patched(WIRE_MSG, 1, WIRE_OWNER_SENDER, "not owned by the receiver", __LINE__);
	patched(WIRE_MSG, 1, WIRE_OWNER_END, "bad right owner", __LINE__);
	patched(WIRE_MSG, 9, 0, "right id 0", __LINE__);	/* low byte of id 7 */
	patched(WIRE_MSG, 10, WIRE_RECEIVE, "receive right as reply", __LINE__);
	patched(WIRE_MSG, 27, 0xff, "bad descriptor count", __LINE__);
	patched(WIRE_MSG, 28, 9, "bad descriptor type", __LINE__);
	patched(WIRE_MSG, 49, 0xff, "truncated OOL data", __LINE__);
	patched(WIRE_MSG, 59, 0xff, "bad OOL ports count", __LINE__);
	patched(WIRE_MSG, 71, WIRE_SEND_ONCE, "mixed rights", __LINE__);
	patched(WIRE_MSG, 60, WIRE_RECEIVE, "receive right in an OOL", __LINE__);
	patched(WIRE_MSG, 86, 7, "multiple of 4", __LINE__);
	patched(WIRE_MSG, 86, 12, "truncated inline", __LINE__);
	patched(WIRE_RELEASE, 11, 0, "id or count 0", __LINE__);
	patched(WIRE_TRANSFER, 12, 0, "bad name length", __LINE__);
	patched(WIRE_DEAD, 7, 0, "id 0", __LINE__);
	patched(WIRE_LOOKUP, 4, 80, "bad name length", __LINE__);
	patched(WIRE_LOOKUP_REPLY, 7, 1, "not a send right", __LINE__);
	patched(WIRE_LOOKUP_REPLY, 8, WIRE_NULL, "success without a right", __LINE__);
	wbuf_free(&b);
}

int main(void)
{
	round_trips();
	refusals();
	return unit_report("test_wire");
}
