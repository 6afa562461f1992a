/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers: one TLS connection per pair of hosts (the host whose name sorts
 * lower dials, the other accepts), HELLO first, then frames with
 * consecutive sequence numbers.  A connection that fails for any reason
 * (EOF, error, bad frame, timeout, a newer connection from the same peer)
 * is closed with a logged reason and the ports layer is told the peer is
 * down; the dialing side reconnects with exponential backoff.
 */
#ifndef MACHNETD_PEER_H
#define MACHNETD_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <openssl/ssl.h>

#include "config.h"
#include "hmap.h"
#include "loop.h"
#include "wire.h"

enum conn_state {
	CONN_CONNECTING,	/* TCP connect in progress */
	CONN_HANDSHAKE,		/* TLS handshake */
	CONN_HELLO,		/* waiting for the peer's HELLO */
	CONN_UP
};

struct peer;

struct conn {
	int			fd;
	SSL			*ssl;
	struct peer		*peer;		/* NULL while an accepted one is anonymous */
	enum conn_state		state;
	bool			outgoing;
	bool			want_write;	/* SSL asked for POLLOUT */
	bool			reading_paused;
	uint8_t			*rx;
	size_t			rx_len, rx_cap;
	struct wbuf		tx;
	size_t			tx_off;		/* bytes of tx already written */
	uint64_t		tx_seq, rx_seq;	/* next to send / expected */
	uint64_t		last_rx_ms, last_tx_ms, deadline_ms;
	uint64_t		defer_first_ms;	/* the head frame waits since (0: none) */
	uint64_t		defer_until_ms;	/* try it again then (0: not waiting) */
	uint32_t		events;		/* registered with epoll */
	struct loop_source	src;
	struct conn		*next;		/* anonymous list */
};

struct peer {
	unsigned int		idx;		/* into peers[] */
	char			name[WIRE_NAME_MAX + 1];
	const struct config_peer *cfg;
	bool			dials;		/* our name sorts lower: we dial */
	struct conn		*conn;		/* the connection, once identified */
	bool			up;		/* HELLO exchanged: frames flow */
	uint32_t		remote_max_frame;
	uint64_t		incarnation;
	uint32_t		backoff_ms;
	uint64_t		next_dial_ms;	/* 0: not scheduled */
	/* The ports layer's per-peer state. */
	struct hmap		proxies;	/* id -> struct proxy * (its send-right proxies) */
	uint64_t		queued_bytes;	/* deliveries from it not yet sent locally */
	uint32_t		nproxies;
};

extern struct peer *peers;
extern unsigned int npeers;

/* Start listening and dialing; false (logged) when networking cannot start. */
bool peers_init(void);
void peers_exit(void);

struct peer *peer_by_name(const char *name, size_t len);

/*
 * Frames to an UP peer: wire_begin on peer_tx(p) with peer_next_seq(p),
 * fill, wire_end, then peer_flush(p).  peer_tx is NULL when the peer is not
 * up (the frame then has nowhere to go).
 */
struct wbuf *peer_tx(struct peer *p);
uint64_t peer_next_seq(struct peer *p);
void peer_flush(struct peer *p);
/* Close the connection with a logged reason (peer failure handling follows). */
void peer_fail(struct peer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Flow control: stop / resume reading frames from the peer. */
void peer_pause(struct peer *p, bool pause);
/* A peer came up: frames that waited for one are tried again. */
void peers_retry_deferred(void);
/* Is any peer's send queue over its limit (then stop taking Mach messages)? */
bool peers_tx_full(void);

/* Milliseconds until the next timer of the peer layer (-1: none); run the due ones. */
int peers_timeout_ms(uint64_t now);
void peers_tick(uint64_t now);

#endif /* MACHNETD_PEER_H */
