/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machnetd's wire protocol (docs/machnetd.md has the full description).
 *
 * Every frame: u32 length of the payload, u16 type, u16 flags (0), u64
 * sequence number (1 for HELLO, then +1 per frame in each direction),
 * then the payload; all integers big-endian.  A right on the wire:
 *
 *   u8 kind (WIRE_NULL, WIRE_DEAD, WIRE_SEND, WIRE_SEND_ONCE, WIRE_RECEIVE)
 *   and for SEND / SEND_ONCE / RECEIVE:
 *   u8 owner (WIRE_OWNER_SENDER: the host sending the frame,
 *             WIRE_OWNER_RECEIVER: the host receiving it,
 *             WIRE_OWNER_NAMED: u8 length + that many name bytes follow)
 *   u64 id (not 0): the owner's id of the port (or of one send-once right)
 *
 * The decoder is pure (bytes in, struct out; no Mach calls, no allocation
 * beyond the caller's arrays) so a fuzzer drives it directly.  Decoded
 * pointers point into the caller's buffer.
 */
#ifndef MACHNETD_WIRE_H
#define MACHNETD_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_VERSION		1
#define WIRE_HEADER_SIZE	16
#define WIRE_NAME_MAX		79
#define WIRE_MAX_DESC		1024	/* descriptors in one message */
#define WIRE_MAX_OOL_PORTS	65536	/* rights in one OOL ports array */

enum wire_type {
	WIRE_HELLO = 1,		/* u16 version, u16 0, u32 max_frame, u64 incarnation, name */
	WIRE_PING,		/* empty: keepalive */
	WIRE_PONG,		/* empty */
	WIRE_MSG,		/* a Mach message for a port the receiver owns */
	WIRE_RELEASE,		/* u64 id, u32 n: the sender dropped n refs of (receiver,id) */
	WIRE_TRANSFER,		/* u64 id, u32 n, name: sender gave n refs of (receiver,id) to name */
	WIRE_DEAD,		/* u64 id: the sender's port id died */
	WIRE_SONCE_DESTROYED,	/* u64 id: the receiver's send-once right id was destroyed unused */
	WIRE_LOOKUP,		/* u32 tag, name: netname_look_up on the receiver */
	WIRE_LOOKUP_REPLY,	/* u32 tag, i32 code, right (a send right or NULL) */
	WIRE_ALIAS_DROP,	/* u64 id: migrated receive right (sender,id) has no senders left */
	WIRE_ALIAS_DEAD,	/* u64 id: the migrated port for (receiver,id) died */
	WIRE_TYPE_END
};

enum wire_kind {
	WIRE_NULL = 0,
	WIRE_DEAD_NAME,
	WIRE_SEND,
	WIRE_SEND_ONCE,
	WIRE_RECEIVE,
	WIRE_KIND_END
};

enum wire_owner {
	WIRE_OWNER_SENDER = 0,
	WIRE_OWNER_RECEIVER,
	WIRE_OWNER_NAMED,
	WIRE_OWNER_END
};

struct wire_right {
	uint8_t		kind;
	uint8_t		owner;
	uint8_t		name_len;	/* WIRE_OWNER_NAMED */
	const char	*name;		/* not NUL-terminated; into the buffer */
	uint64_t	id;
};

enum wire_desc_type {
	WIRE_DESC_PORT = 0,
	WIRE_DESC_OOL,
	WIRE_DESC_OOL_PORTS,
	WIRE_DESC_END
};

/* OOL ports arrays are decoded lazily: rights points at count encoded rights. */
struct wire_desc {
	uint8_t			type;
	struct wire_right	right;		/* PORT */
	uint32_t		size;		/* OOL: bytes; OOL_PORTS: count */
	const uint8_t		*data;		/* OOL bytes, or the encoded rights */
	uint32_t		data_len;	/* OOL_PORTS: bytes of encoded rights */
};

struct wire_msg {
	struct wire_right	dest;		/* SEND or SEND_ONCE, owned by the receiver */
	struct wire_right	reply;		/* NULL, DEAD, SEND or SEND_ONCE */
	int32_t			msgh_id;
	uint32_t		ndesc;
	struct wire_desc	*desc;		/* caller's array of WIRE_MAX_DESC */
	uint32_t		inline_len;	/* a multiple of 4 */
	const uint8_t		*inline_data;
};

struct wire_frame {
	uint16_t	type;
	uint16_t	flags;
	uint64_t	seq;
	uint32_t	len;			/* payload bytes */
	union {
		struct {
			uint16_t	version;
			uint32_t	max_frame;
			uint64_t	incarnation;
			uint8_t		name_len;
			const char	*name;
		} hello;
		struct wire_msg msg;
		struct {
			uint64_t	id;
			uint32_t	n;
			uint8_t		name_len;	/* TRANSFER */
			const char	*name;
		} ref;				/* RELEASE, TRANSFER, DEAD, SONCE_DESTROYED, ALIAS_* */
		struct {
			uint32_t	tag;
			int32_t		code;		/* REPLY */
			uint8_t		name_len;	/* LOOKUP */
			const char	*name;
			struct wire_right right;	/* REPLY */
		} lookup;
	} u;
};

enum wire_result {
	WIRE_OK = 0,		/* a frame was decoded; *used bytes consumed */
	WIRE_NEED_MORE,		/* not a whole frame yet; *used = bytes needed in total */
	WIRE_BAD		/* malformed: close the connection (reason set) */
};

/*
 * Decode the frame at the start of buf.  max_frame bounds the payload;
 * expect_seq is the sequence number the frame must carry; desc is an
 * array of WIRE_MAX_DESC the MSG decoder fills.  On WIRE_BAD *reason is a
 * static string naming the fault.
 */
enum wire_result wire_decode(const uint8_t *buf, size_t len, uint32_t max_frame,
			     uint64_t expect_seq, struct wire_frame *f,
			     struct wire_desc *desc, size_t *used, const char **reason);

/* The rights of an OOL ports array a validated frame carried (up to max). */
size_t wire_ool_rights(const struct wire_desc *d, struct wire_right *out, size_t max);

/* ---- Encoding: append to a growable buffer ---- */

struct wbuf {
	uint8_t		*data;
	size_t		len, cap;
	bool		oom;		/* an append failed; the frame is unusable */
};

void wbuf_init(struct wbuf *b);
void wbuf_free(struct wbuf *b);
void wbuf_reset(struct wbuf *b);
void wbuf_put(struct wbuf *b, const void *p, size_t n);
void wbuf_u8(struct wbuf *b, uint8_t v);
void wbuf_u16(struct wbuf *b, uint16_t v);
void wbuf_u32(struct wbuf *b, uint32_t v);
void wbuf_u64(struct wbuf *b, uint64_t v);
void wbuf_name(struct wbuf *b, const char *name);	/* u8 length + bytes */
void wbuf_right(struct wbuf *b, uint8_t kind, uint8_t owner, const char *owner_name,
		uint64_t id);
/* Start a frame (returns its offset); wire_end fills in the length. */
size_t wire_begin(struct wbuf *b, uint16_t type, uint64_t seq);
void wire_end(struct wbuf *b, size_t start);

#endif /* MACHNETD_WIRE_H */
