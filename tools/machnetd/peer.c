// SPDX-License-Identifier: GPL-2.0
/* Peer connections: TCP + TLS 1.3, HELLO, framing, keepalive, reconnects. */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <openssl/err.h>

#include "log.h"
#include "machnetd.h"
#include "peer.h"
#include "ports.h"
#include "tls.h"

#define BACKOFF_START_MS	100
#define HANDSHAKE_TIMEOUT_MS	10000
#define PING_IDLE_MS		5000
#define DEAD_IDLE_MS		20000
#define RX_CHUNK		(64 * 1024)
#define DEFER_RETRY_MS		50
#define DEFER_MAX_MS		5000	/* then its rights of the absent host are dead */

struct peer *peers;
unsigned int npeers;

static int listen_fd = -1;
static struct loop_source listen_src;
static struct conn *anonymous;		/* accepted, not yet identified */
static uint64_t incarnation;
static struct wire_desc rx_desc[WIRE_MAX_DESC];

static void conn_io(void *arg, uint32_t events);

struct peer *peer_by_name(const char *name, size_t len)
{
	for (unsigned int i = 0; i < npeers; i++)
		if (strlen(peers[i].name) == len && memcmp(peers[i].name, name, len) == 0)
			return &peers[i];
	return NULL;
}

static const char *conn_label(const struct conn *c)
{
	return c->peer ? c->peer->name : "unidentified peer";
}

static void conn_events(struct conn *c)
{
	uint32_t ev = 0;

	if ((!c->reading_paused && !c->defer_until_ms) || c->state != CONN_UP)
		ev |= EPOLLIN;
	if (c->state == CONN_CONNECTING || c->want_write || c->tx.len > c->tx_off)
		ev |= EPOLLOUT;
	if (ev != c->events) {
		c->events = ev;
		loop_mod_fd(c->fd, ev, &c->src);
	}
}

static void conn_free(struct conn *c)
{
	struct conn **pp;

	for (pp = &anonymous; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	if (c->ssl) {
		SSL_shutdown(c->ssl);	/* best effort close_notify */
		SSL_free(c->ssl);
	}
	if (c->fd >= 0) {
		loop_del_fd(c->fd);
		close(c->fd);
	}
	free(c->rx);
	wbuf_free(&c->tx);
	free(c);
}

static void schedule_dial(struct peer *p)
{
	if (!p->dials)
		return;
	p->next_dial_ms = loop_now_ms() + p->backoff_ms;
	p->backoff_ms = p->backoff_ms * 2 > cfg.reconnect_max_ms ? cfg.reconnect_max_ms
								   : p->backoff_ms * 2;
}

/* Tear down c (logged by the caller); a peer's state goes with it. */
static void conn_close(struct conn *c)
{
	struct peer *p = c->peer;

	if (p && p->conn == c) {
		p->conn = NULL;
		if (p->up) {
			p->up = false;
			ports_peer_down(p);
		}
		schedule_dial(p);
	}
	conn_free(c);
}

static void conn_fail(struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void conn_fail(struct conn *c, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	logmsg(LOG_WARNING, "connection with %s closed: %s", conn_label(c), why);
	conn_close(c);
}

void peer_fail(struct peer *p, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (p->conn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	conn_fail(p->conn, "%s", why);
}

static struct conn *conn_new(int fd, bool outgoing, struct peer *p)
{
	struct conn *c = calloc(1, sizeof(*c));
	int one = 1;

	if (c == NULL) {
		close(fd);
		return NULL;
	}
	c->fd = fd;
	c->outgoing = outgoing;
	c->peer = p;
	c->tx_seq = c->rx_seq = 1;
	c->src.fn = conn_io;
	c->src.arg = c;
	c->last_rx_ms = c->last_tx_ms = loop_now_ms();
	c->deadline_ms = c->last_rx_ms + HANDSHAKE_TIMEOUT_MS;
	wbuf_init(&c->tx);
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	c->events = EPOLLIN | EPOLLOUT;
	if (loop_add_fd(fd, c->events, &c->src) < 0) {
		close(fd);
		free(c);
		return NULL;
	}
	return c;
}

static void send_hello(struct conn *c)
{
	size_t s = wire_begin(&c->tx, WIRE_HELLO, c->tx_seq++);

	wbuf_u16(&c->tx, WIRE_VERSION);
	wbuf_u16(&c->tx, 0);
	wbuf_u32(&c->tx, cfg.max_frame);
	wbuf_u64(&c->tx, incarnation);
	wbuf_name(&c->tx, cfg.name);
	wire_end(&c->tx, s);
}

/* Write what is queued; false when the connection failed (and was closed). */
static bool conn_write(struct conn *c)
{
	c->want_write = false;
	while (c->tx.len > c->tx_off) {
		size_t n = c->tx.len - c->tx_off;
		int w = SSL_write(c->ssl, c->tx.data + c->tx_off, n > (1u << 30) ? (int)(1u << 30) : (int)n);

		if (w > 0) {
			c->tx_off += w;
			c->last_tx_ms = loop_now_ms();
			continue;
		}
		switch (SSL_get_error(c->ssl, w)) {
		case SSL_ERROR_WANT_WRITE:
			c->want_write = true;
			goto out;
		case SSL_ERROR_WANT_READ:
			goto out;
		default: {
			char e[256];

			conn_fail(c, "write: %s", errno ? strerror(errno) : tls_error(e, sizeof(e)));
			return false;
		}
		}
	}
	/* All out: reuse the buffer from the start. */
	wbuf_reset(&c->tx);
	c->tx_off = 0;
out:
	/* Drop what was written once it is a large part of the buffer. */
	if (c->tx_off > (1u << 20) && c->tx_off * 2 > c->tx.len) {
		memmove(c->tx.data, c->tx.data + c->tx_off, c->tx.len - c->tx_off);
		c->tx.len -= c->tx_off;
		c->tx_off = 0;
	}
	conn_events(c);
	return true;
}

/* The handshake finished: check who it is and whether it may be here. */
static bool identify(struct conn *c)
{
	struct peer *p = c->peer;

	if (c->outgoing) {
		if (!tls_peer_is(c->ssl, p->name)) {
			logmsg(LOG_WARNING, "peer %s refused: its certificate does not name it",
			       p->name);
			return false;
		}
	} else {
		for (unsigned int i = 0; i < npeers && p == NULL; i++)
			if (tls_peer_is(c->ssl, peers[i].name))
				p = &peers[i];
		if (p == NULL) {
			logmsg(LOG_WARNING,
			       "incoming connection refused: certificate names no listed peer");
			return false;
		}
		if (p->dials) {
			logmsg(LOG_WARNING, "peer %s refused: it should be dialed by us, not dial",
			       p->name);
			return false;
		}
		/* Take it off the anonymous list; a newer connection replaces an older one. */
		for (struct conn **pp = &anonymous; *pp; pp = &(*pp)->next)
			if (*pp == c) {
				*pp = c->next;
				break;
			}
		if (p->conn) {
			logmsg(LOG_INFO, "new connection from %s replaces the old one", p->name);
			conn_fail(p->conn, "replaced by a new connection from the peer");
		}
		c->peer = p;
		p->conn = c;
	}
	c->state = CONN_HELLO;
	send_hello(c);
	return true;
}

static bool handshake(struct conn *c)
{
	int r = SSL_do_handshake(c->ssl);
	char e[256];

	if (r == 1)
		return identify(c) ? conn_write(c) : (conn_close(c), false);
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		c->want_write = false;
		conn_events(c);
		return true;
	case SSL_ERROR_WANT_WRITE:
		c->want_write = true;
		conn_events(c);
		return true;
	default:
		logmsg(LOG_WARNING, "%s %s refused: TLS handshake failed: %s",
		       c->outgoing ? "peer" : "connection from", conn_label(c),
		       tls_error(e, sizeof(e)));
		conn_close(c);
		return false;
	}
}

static bool on_hello(struct conn *c, const struct wire_frame *f)
{
	struct peer *p = c->peer;

	if (f->type != WIRE_HELLO) {
		conn_fail(c, "first frame is not HELLO");
		return false;
	}
	if (f->u.hello.version != WIRE_VERSION) {
		conn_fail(c, "protocol version %u, we speak %u", f->u.hello.version,
			  WIRE_VERSION);
		return false;
	}
	if (f->u.hello.name_len != strlen(p->name) ||
	    memcmp(f->u.hello.name, p->name, f->u.hello.name_len) != 0) {
		conn_fail(c, "HELLO names another host than its certificate");
		return false;
	}
	p->remote_max_frame = f->u.hello.max_frame;
	p->incarnation = f->u.hello.incarnation;
	p->backoff_ms = BACKOFF_START_MS;
	p->next_dial_ms = 0;
	c->state = CONN_UP;
	p->up = true;
	logmsg(LOG_INFO, "peer %s up (%s)", p->name, c->outgoing ? "dialed" : "accepted");
	ports_peer_up(p);
	return true;
}

/* Decode and handle every whole frame in rx; false when c was closed. */
static bool conn_frames(struct conn *c)
{
	size_t pos = 0;

	while (pos < c->rx_len) {
		struct wire_frame f;
		const char *reason = NULL;
		size_t used = 0;
		enum wire_result r;

		if (c->state == CONN_UP && (c->reading_paused || c->defer_until_ms))
			break;
		r = wire_decode(c->rx + pos, c->rx_len - pos, cfg.max_frame, c->rx_seq, &f,
				rx_desc, &used, &reason);
		if (r == WIRE_NEED_MORE) {
			if (used > c->rx_cap) {
				uint8_t *b = realloc(c->rx, used);

				if (b == NULL) {
					conn_fail(c, "no memory for a %zu-byte frame", used);
					return false;
				}
				c->rx = b;
				c->rx_cap = used;
			}
			break;
		}
		if (r == WIRE_BAD) {
			conn_fail(c, "bad frame: %s", reason);
			return false;
		}
		if (c->state == CONN_HELLO) {
			c->rx_seq++;
			pos += used;
			if (!on_hello(c, &f))
				return false;
			continue;
		}
		if (f.type > WIRE_PONG) {
			struct peer *p = c->peer;
			uint64_t now = loop_now_ms();
			bool may_defer = !c->defer_first_ms || now - c->defer_first_ms < DEFER_MAX_MS;
			int rc = ports_frame(p, &f, may_defer, &reason);

			if (rc == PORTS_DEFER) {
				/* Leave it at the head of rx; stop reading until it can go. */
				if (!c->defer_first_ms)
					c->defer_first_ms = now;
				c->defer_until_ms = now + DEFER_RETRY_MS;
				break;
			}
			c->defer_first_ms = 0;
			c->rx_seq++;
			pos += used;
			if (rc == PORTS_BAD) {
				conn_fail(c, "bad frame: %s", reason ? reason : "refused");
				return false;
			}
			/* The frame's handler may have failed the peer itself. */
			if (p->conn != c)
				return false;
			continue;
		}
		c->rx_seq++;
		pos += used;
		switch (f.type) {
		case WIRE_HELLO:
			conn_fail(c, "bad frame: a second HELLO");
			return false;
		case WIRE_PING: {
			size_t s = wire_begin(&c->tx, WIRE_PONG, c->tx_seq++);

			wire_end(&c->tx, s);
			break;
		}
		case WIRE_PONG:
			break;
		default:
			break;
		}
	}
	if (pos) {
		memmove(c->rx, c->rx + pos, c->rx_len - pos);
		c->rx_len -= pos;
	}
	return true;
}

static bool conn_read(struct conn *c)
{
	for (;;) {
		int r;

		if (c->state == CONN_UP && (c->reading_paused || c->defer_until_ms))
			return true;
		if (c->rx_cap - c->rx_len < RX_CHUNK / 4) {
			size_t cap = c->rx_cap < RX_CHUNK ? RX_CHUNK : c->rx_cap * 2;
			uint8_t *b = realloc(c->rx, cap);

			if (b == NULL) {
				conn_fail(c, "no memory to read");
				return false;
			}
			c->rx = b;
			c->rx_cap = cap;
		}
		r = SSL_read(c->ssl, c->rx + c->rx_len, (int)(c->rx_cap - c->rx_len));
		if (r > 0) {
			c->rx_len += r;
			c->last_rx_ms = loop_now_ms();
			if (!conn_frames(c))
				return false;
			continue;
		}
		switch (SSL_get_error(c->ssl, r)) {
		case SSL_ERROR_WANT_READ:
			return true;
		case SSL_ERROR_WANT_WRITE:
			c->want_write = true;
			return true;
		case SSL_ERROR_ZERO_RETURN:
			conn_fail(c, "peer closed the connection");
			return false;
		case SSL_ERROR_SYSCALL:
			conn_fail(c, "read: %s", errno ? strerror(errno) : "EOF");
			return false;
		default: {
			char e[256];

			conn_fail(c, "read: %s", tls_error(e, sizeof(e)));
			return false;
		}
		}
	}
}

static void conn_io(void *arg, uint32_t events)
{
	struct conn *c = arg;

	if (c->state == CONN_CONNECTING) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
			return;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err) {
			logmsg(LOG_INFO, "dialing %s: %s", c->peer->name, strerror(err));
			conn_close(c);
			return;
		}
		c->ssl = tls_new(c->fd, true);
		if (c->ssl == NULL) {
			conn_fail(c, "cannot start TLS");
			return;
		}
		c->state = CONN_HANDSHAKE;
	}
	if (c->state == CONN_HANDSHAKE) {
		if (!handshake(c) || c->state == CONN_HANDSHAKE)
			return;
	}
	if (!conn_read(c))
		return;
	conn_write(c);
}

static void dial(struct peer *p)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	struct conn *c;
	int fd, rc;

	p->next_dial_ms = 0;
	rc = getaddrinfo(p->cfg->addr.host, p->cfg->addr.port, &hints, &ai);
	if (rc != 0) {
		logmsg(LOG_WARNING, "peer %s: address %s: %s", p->name, p->cfg->addr.host,
		       gai_strerror(rc));
		schedule_dial(p);
		return;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)) {
		logmsg(LOG_INFO, "dialing %s: %s", p->name, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		schedule_dial(p);
		return;
	}
	freeaddrinfo(ai);
	c = conn_new(fd, true, p);
	if (c == NULL) {
		schedule_dial(p);
		return;
	}
	c->state = CONN_CONNECTING;
	p->conn = c;
	logmsg(LOG_DEBUG, "dialing %s at %s:%s", p->name, p->cfg->addr.host,
	       p->cfg->addr.port);
}

static void on_accept(void *arg, uint32_t events)
{
	(void)arg;
	(void)events;
	for (;;) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;

		if (fd < 0)
			return;
		c = conn_new(fd, false, NULL);
		if (c == NULL)
			continue;
		c->ssl = tls_new(fd, false);
		if (c->ssl == NULL) {
			conn_free(c);
			continue;
		}
		c->state = CONN_HANDSHAKE;
		c->next = anonymous;
		anonymous = c;
	}
}

static bool start_listening(void)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	int one = 1, rc;

	rc = getaddrinfo(cfg.listen.host, cfg.listen.port, &hints, &ai);
	if (rc != 0) {
		logmsg(LOG_ERR, "listen %s: %s", cfg.listen.host, gai_strerror(rc));
		return false;
	}
	listen_fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 ||
	    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(listen_fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(listen_fd, 64) < 0) {
		logmsg(LOG_ERR, "listen %s:%s: %s", cfg.listen.host, cfg.listen.port,
		       strerror(errno));
		freeaddrinfo(ai);
		return false;
	}
	freeaddrinfo(ai);
	listen_src.fn = on_accept;
	return loop_add_fd(listen_fd, EPOLLIN, &listen_src) == 0;
}

bool peers_init(void)
{
	if (cfg.npeers == 0 && !cfg.has_listen)
		return true;
	if (getrandom(&incarnation, sizeof(incarnation), 0) != sizeof(incarnation))
		incarnation = (uint64_t)getpid() << 32 ^ loop_now_ms();
	if (!tls_init(&cfg))
		return false;
	peers = calloc(cfg.npeers ? cfg.npeers : 1, sizeof(*peers));
	if (peers == NULL)
		return false;
	npeers = (unsigned int)cfg.npeers;
	for (unsigned int i = 0; i < npeers; i++) {
		struct peer *p = &peers[i];

		p->idx = i;
		p->cfg = &cfg.peers[i];
		strcpy(p->name, cfg.peers[i].name);
		p->dials = strcmp(cfg.name, p->name) < 0;
		p->backoff_ms = BACKOFF_START_MS;
		hmap_init(&p->proxies);
		if (p->dials)
			p->next_dial_ms = loop_now_ms();
	}
	if (cfg.has_listen && !start_listening())
		return false;
	return true;
}

void peers_exit(void)
{
	while (anonymous)
		conn_free(anonymous);
	for (unsigned int i = 0; i < npeers; i++) {
		struct peer *p = &peers[i];

		if (p->conn) {
			conn_write(p->conn);	/* best effort: what is queued */
			if (p->conn)
				conn_close(p->conn);
		}
		hmap_free(&p->proxies);
	}
	if (listen_fd >= 0)
		close(listen_fd);
	free(peers);
	peers = NULL;
	npeers = 0;
	tls_exit();
}

struct wbuf *peer_tx(struct peer *p)
{
	return p->up && p->conn ? &p->conn->tx : NULL;
}

uint64_t peer_next_seq(struct peer *p)
{
	return p->conn->tx_seq++;
}

void peer_flush(struct peer *p)
{
	if (p->conn == NULL)
		return;
	if (p->conn->tx.oom) {
		peer_fail(p, "out of memory for the send queue");
		return;
	}
	conn_write(p->conn);
}

void peer_pause(struct peer *p, bool pause)
{
	struct conn *c = p->conn;

	if (c == NULL || c->reading_paused == pause)
		return;
	c->reading_paused = pause;
	conn_events(c);
	/* Frames already read wait in rx: handle them now. */
	if (!pause && conn_frames(c))
		conn_events(c);
}

static void retry_deferred(struct conn *c)
{
	c->defer_until_ms = 0;
	if (conn_frames(c))
		conn_events(c);
}

void peers_retry_deferred(void)
{
	for (unsigned int i = 0; i < npeers; i++) {
		struct conn *c = peers[i].conn;

		if (c && c->state == CONN_UP && c->defer_until_ms)
			c->defer_until_ms = loop_now_ms();	/* due now: peers_tick runs it */
	}
}

bool peers_tx_full(void)
{
	for (unsigned int i = 0; i < npeers; i++) {
		struct conn *c = peers[i].conn;

		if (c && c->tx.len - c->tx_off > cfg.max_queued_bytes_per_peer)
			return true;
	}
	return false;
}

int peers_timeout_ms(uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (unsigned int i = 0; i < npeers; i++) {
		struct peer *p = &peers[i];
		struct conn *c = p->conn;

		if (p->next_dial_ms && p->next_dial_ms < next)
			next = p->next_dial_ms;
		if (c && c->state != CONN_UP && c->deadline_ms < next)
			next = c->deadline_ms;
		if (c && c->state == CONN_UP) {
			uint64_t ping = c->last_tx_ms + PING_IDLE_MS;
			uint64_t dead = c->last_rx_ms + DEAD_IDLE_MS;

			next = ping < next ? ping : next;
			next = dead < next ? dead : next;
			if (c->defer_until_ms && c->defer_until_ms < next)
				next = c->defer_until_ms;
		}
	}
	for (struct conn *c = anonymous; c; c = c->next)
		if (c->deadline_ms < next)
			next = c->deadline_ms;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)(next - now > 60000 ? 60000 : next - now);
}

void peers_tick(uint64_t now)
{
	struct conn *c, *next;

	for (c = anonymous; c; c = next) {
		next = c->next;
		if (now >= c->deadline_ms)
			conn_fail(c, "no TLS handshake within %d ms", HANDSHAKE_TIMEOUT_MS);
	}
	for (unsigned int i = 0; i < npeers; i++) {
		struct peer *p = &peers[i];

		c = p->conn;
		if (c && c->state != CONN_UP && now >= c->deadline_ms) {
			conn_fail(c, "not up within %d ms", HANDSHAKE_TIMEOUT_MS);
			continue;
		}
		if (c && c->state == CONN_UP && c->defer_until_ms && now >= c->defer_until_ms) {
			retry_deferred(c);
			c = p->conn;
		}
		if (c && c->state == CONN_UP) {
			if (now - c->last_rx_ms >= DEAD_IDLE_MS && !c->defer_until_ms) {
				conn_fail(c, "timeout: nothing heard for %d ms", DEAD_IDLE_MS);
				continue;
			}
			/* Keepalive: both sides ping when they have sent nothing for a while. */
			if (now - c->last_tx_ms >= PING_IDLE_MS) {
				size_t s = wire_begin(&c->tx, WIRE_PING, c->tx_seq++);

				wire_end(&c->tx, s);
				c->last_tx_ms = now;
				conn_write(c);
			}
			continue;
		}
		if (!c && p->next_dial_ms && now >= p->next_dial_ms)
			dial(p);
	}
}
