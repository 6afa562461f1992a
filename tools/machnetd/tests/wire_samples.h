/* SPDX-License-Identifier: GPL-2.0 */
/* Well-formed frames of every type, shared by test_wire and the fuzzer's seeds. */
#ifndef MACHNETD_WIRE_SAMPLES_H
#define MACHNETD_WIRE_SAMPLES_H

#include "wire.h"

/* Append one frame of type t with sequence number seq. */
static inline void sample_frame(struct wbuf *b, uint16_t t, uint64_t seq)
{
	size_t s = wire_begin(b, t, seq);

	switch (t) {
	case WIRE_HELLO:
		wbuf_u16(b, WIRE_VERSION);
		wbuf_u16(b, 0);
		wbuf_u32(b, 1u << 20);
		wbuf_u64(b, 0x1122334455667788ull);
		wbuf_name(b, "hosta");
		break;
	case WIRE_MSG:
		wbuf_right(b, WIRE_SEND, WIRE_OWNER_RECEIVER, NULL, 7);
		wbuf_right(b, WIRE_SEND_ONCE, WIRE_OWNER_SENDER, NULL, 9);
		wbuf_u32(b, 1000);
		wbuf_u32(b, 4);
		wbuf_u8(b, WIRE_DESC_PORT);
		wbuf_right(b, WIRE_SEND, WIRE_OWNER_NAMED, "hostc", 3);
		wbuf_u8(b, WIRE_DESC_OOL);
		wbuf_u32(b, 5);
		wbuf_put(b, "hello", 5);
		wbuf_u8(b, WIRE_DESC_OOL_PORTS);
		wbuf_u32(b, 3);
		wbuf_right(b, WIRE_SEND, WIRE_OWNER_SENDER, NULL, 11);
		wbuf_right(b, WIRE_NULL, 0, NULL, 0);
		wbuf_right(b, WIRE_SEND, WIRE_OWNER_RECEIVER, NULL, 12);
		wbuf_u8(b, WIRE_DESC_PORT);
		wbuf_right(b, WIRE_DEAD_NAME, 0, NULL, 0);
		wbuf_u32(b, 8);
		wbuf_put(b, "12345678", 8);
		break;
	case WIRE_RELEASE:
		wbuf_u64(b, 42);
		wbuf_u32(b, 3);
		break;
	case WIRE_TRANSFER:
		wbuf_u64(b, 42);
		wbuf_u32(b, 1);
		wbuf_name(b, "hostc");
		break;
	case WIRE_DEAD:
	case WIRE_SONCE_DESTROYED:
	case WIRE_ALIAS_DROP:
	case WIRE_ALIAS_DEAD:
		wbuf_u64(b, 42);
		break;
	case WIRE_LOOKUP:
		wbuf_u32(b, 5);
		wbuf_name(b, "org.example.svc");
		break;
	case WIRE_LOOKUP_REPLY:
		wbuf_u32(b, 5);
		wbuf_u32(b, 0);
		wbuf_right(b, WIRE_SEND, WIRE_OWNER_SENDER, NULL, 77);
		break;
	default:
		break;
	}
	wire_end(b, s);
}

#endif /* MACHNETD_WIRE_SAMPLES_H */
