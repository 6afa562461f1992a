// SPDX-License-Identifier: GPL-2.0
/*
 * stress_mix - every kind of traffic at once, and every message accounted
 * for.
 *
 * A server process owns NSVC service ports in one port set, received by
 * NWORKERS threads.  It forks NCLIENTS client processes (service port 0 is
 * their bootstrap port; a hello RPC hands them send rights to all the
 * service ports), each running NTHREADS sender threads that mix:
 *
 *  - one-way messages;
 *  - RPCs: the request carries a MAKE_SEND_ONCE reply right and the reply
 *    is received in the same mach_msg call; now and then the thread
 *    destroys its reply port and makes a new one;
 *  - right transfers: a send right to a fresh port of the sender's own
 *    travels in a port descriptor; the server sends a token back through
 *    it; the sender, which keeps up to NPEND such ports in a port set of
 *    its own, receives the token from that set, checks it and destroys the
 *    port.
 *
 * Meanwhile a server thread keeps taking service ports out of the receive
 * set (extracting them, or moving them to a set nobody receives from) and
 * putting them back, while messages are queued on them.
 *
 * Every message (requests, replies, tokens, hellos) carries its sender id,
 * the sender's sequence number and a checksum over both and a payload of
 * random length.  At the end: each (sender, seq) the senders sent was
 * received exactly once (a bitmap in shared memory), no checksum failed,
 * every RPC got its reply, every token came back, nothing is left queued,
 * and the module's live counters (debugfs mach/stats: spaces, ports, port
 * sets, queued messages and bytes) are back to their baseline.
 *
 * Size: MACH_MIX_MESSAGES messages (requests, replies and tokens), else
 * 100,000 (10,000 when MACH_TEST_KERNEL=debug; 1,000,000 when
 * MACH_STRESS=long).  MACH_MIX_SEED replays the choices of a run.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <servers/bootstrap.h>

#include "msg_util.h"
#include "stats_util.h"

#define NCLIENTS	4	/* client processes */
#define NTHREADS	4	/* sender threads in each */
#define NSENDERS	(NCLIENTS * NTHREADS)
#define NSVC		4	/* service ports in the server's receive set */
#define NWORKERS	3	/* server threads receiving from the set */
#define NPEND		4	/* transfers one sender keeps in flight */
#define MAX_PAYLOAD	1024
#define OP_MS		60000	/* bound for any one send or receive */
#define IDLE_MS		15000	/* server: nothing more arrives, give up */

#define DEFAULT_TOTAL	100000
#define DEBUG_TOTAL	10000
#define LONG_TOTAL	1000000

#define ID_HELLO	0x4d580
#define ID_WELCOME	0x4d581
#define ID_ONEWAY	0x4d582
#define ID_RPC		0x4d583
#define ID_REPLY	0x4d584
#define ID_XFER		0x4d585
#define ID_TOKEN	0x4d586

/* What every message carries after its header (and descriptors). */
struct mix_body {
	uint32_t sender;
	uint32_t seq;
	uint32_t len;		/* payload bytes */
	uint32_t sum;		/* mix_sum() of the three words above and payload */
	uint8_t payload[MAX_PAYLOAD];
};
#define BODY_MIN	offsetof(struct mix_body, payload)

struct simple_msg {
	mach_msg_header_t hdr;
	struct mix_body b;
};

/* A right transfer: a send right to the sender's fresh port. */
struct xfer_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	struct mix_body b;
};

/* The hello reply: send rights to every service port. */
struct welcome_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t svc[NSVC];
	struct mix_body b;
};

_Static_assert(offsetof(struct xfer_msg, b) == 40, "xfer layout");
_Static_assert(offsetof(struct welcome_msg, b) == 28 + 12 * NSVC, "welcome layout");

/* Receive buffer for any of them, with room for the largest trailer. */
union mix_buf {
	mach_msg_header_t hdr;
	struct simple_msg s;
	struct xfer_msg x;
	struct welcome_msg w;
	uint8_t room[sizeof(struct welcome_msg) + sizeof(mach_msg_max_trailer_t) + 64];
};

/* Shared by every process (MAP_SHARED before the forks). */
struct mix_shared {
	/* server side */
	atomic_ullong received;		/* requests checked and marked */
	atomic_ullong oneway, rpc, xfer, hello;
	atomic_ullong churn, churn_queued;	/* set changes; with messages queued */
	atomic_ullong bytes;		/* payload bytes checked, both ways */
	/* client side */
	atomic_ullong rpc_sent, replies;
	atomic_ullong xfer_sent, tokens;
	atomic_ullong reply_ports;	/* reply ports destroyed and remade */
	atomic_ullong xfer_ports;	/* transfer ports destroyed */
	/* either side */
	atomic_uint corrupt;		/* checksum or framing wrong */
	atomic_uint dup;		/* (sender, seq) seen twice */
	/* set by the server once its clients are gone */
	atomic_ullong expected;
	atomic_int clients_done;
	atomic_int stop;
	uint32_t nsent[NSENDERS];	/* requests each sender sent */
	uint32_t words;			/* bitmap words per sender */
	_Atomic uint64_t bits[];	/* NSENDERS * words: (sender, seq) seen */
};

static struct mix_shared *sh;
static uint64_t run_seed;
static uint32_t per_sender;		/* messages each sender accounts for */

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

/* FNV-1a over sender, seq, len and the payload. */
static uint32_t mix_sum(const struct mix_body *b, uint32_t len)
{
	uint32_t h = 2166136261u;
	const uint8_t *p = (const uint8_t *)b;

	for (size_t i = 0; i < offsetof(struct mix_body, sum); i++)
		h = (h ^ p[i]) * 16777619u;
	for (uint32_t i = 0; i < len; i++)
		h = (h ^ b->payload[i]) * 16777619u;
	return h;
}

/* Fill b with a random-length payload; returns the body's size, rounded. */
static mach_msg_size_t fill_body(struct mix_body *b, uint32_t sender,
				 uint32_t seq, uint64_t *s)
{
	/* mostly short, now and then up to MAX_PAYLOAD */
	uint32_t len = rnd(s) % (rnd(s) % 4 ? 64 : MAX_PAYLOAD);

	b->sender = sender;
	b->seq = seq;
	b->len = len;
	for (uint32_t i = 0; i < len; i++)
		b->payload[i] = (uint8_t)rnd(s);
	b->sum = mix_sum(b, len);
	return (mach_msg_size_t)((BODY_MIN + len + 3) & ~3u);
}

/*
 * Check a received body that starts at offset off of a message of
 * msgh_size size.  False (and the corrupt count) if framing or checksum
 * are wrong.
 */
static bool body_ok(const mach_msg_header_t *h, size_t off, const char *what)
{
	const struct mix_body *b = (const void *)((const uint8_t *)h + off);

	if (h->msgh_size < off + BODY_MIN || b->len > MAX_PAYLOAD ||
	    h->msgh_size != ((off + BODY_MIN + b->len + 3) & ~(size_t)3)) {
		mt_fail_at(__FILE__, __LINE__, "%s: bad framing (size %u, len %u)",
			   what, h->msgh_size, b->len);
		atomic_fetch_add(&sh->corrupt, 1);
		return false;
	}
	if (mix_sum(b, b->len) != b->sum) {
		mt_fail_at(__FILE__, __LINE__,
			   "%s: checksum mismatch (sender %u seq %u len %u)",
			   what, b->sender, b->seq, b->len);
		atomic_fetch_add(&sh->corrupt, 1);
		return false;
	}
	atomic_fetch_add(&sh->bytes, b->len);
	return true;
}

/* --- clients ------------------------------------------------------------- */

struct pending {
	mach_port_t port;	/* MACH_PORT_NULL: slot free */
	uint32_t seq;
};

struct sender {
	uint32_t id;
	uint64_t rng;
	uint32_t seq;		/* next sequence number */
	uint32_t msgs;		/* messages accounted for: sent and received */
	mach_port_t svc[NSVC];
	mach_port_t reply;	/* RPC reply port, remade now and then */
	mach_port_t tset;	/* port set of the transfer ports in flight */
	struct pending pend[NPEND];
	unsigned int npend;
	union mix_buf buf;
};

static mach_port_t client_svc[NSVC];

static bool send_oneway(struct sender *c)
{
	struct simple_msg *m = &c->buf.s;
	mach_msg_size_t size = sizeof(m->hdr) + fill_body(&m->b, c->id, c->seq, &c->rng);
	mach_msg_return_t mr;

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m->hdr.msgh_size = size;
	m->hdr.msgh_remote_port = c->svc[rnd(&c->rng) % NSVC];
	m->hdr.msgh_id = ID_ONEWAY;
	mr = mach_msg(&m->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
		      MACH_PORT_NULL, OP_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		mt_fail_at(__FILE__, __LINE__, "sender %u seq %u: one-way send 0x%x (%s)",
			   c->id, c->seq, mr, mach_error_string(mr));
		return false;
	}
	c->seq++;
	c->msgs++;
	return true;
}

static bool do_rpc(struct sender *c)
{
	struct simple_msg *m = &c->buf.s;
	mach_msg_size_t size = sizeof(m->hdr) + fill_body(&m->b, c->id, c->seq, &c->rng);
	uint32_t seq = c->seq;
	mach_msg_return_t mr;

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->hdr.msgh_size = size;
	m->hdr.msgh_remote_port = c->svc[rnd(&c->rng) % NSVC];
	m->hdr.msgh_local_port = c->reply;
	m->hdr.msgh_id = ID_RPC;
	atomic_fetch_add(&sh->rpc_sent, 1);
	mr = mach_msg(&m->hdr, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
		      MACH_RCV_TIMEOUT, size, sizeof(c->buf), c->reply, OP_MS,
		      MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		mt_fail_at(__FILE__, __LINE__, "sender %u seq %u: RPC 0x%x (%s)",
			   c->id, seq, mr, mach_error_string(mr));
		return false;
	}
	c->seq++;
	c->msgs += 2;
	if (m->hdr.msgh_id != ID_REPLY || m->hdr.msgh_local_port != c->reply ||
	    m->b.sender != c->id || m->b.seq != seq) {
		mt_fail_at(__FILE__, __LINE__,
			   "sender %u seq %u: wrong reply (id 0x%x, for sender %u seq %u)",
			   c->id, seq, m->hdr.msgh_id, m->b.sender, m->b.seq);
		atomic_fetch_add(&sh->corrupt, 1);
		return false;
	}
	if (!body_ok(&m->hdr, sizeof(m->hdr), "reply"))
		return false;
	atomic_fetch_add(&sh->replies, 1);
	/* port destruction: now and then a new reply port */
	if (rnd(&c->rng) % 8 == 0) {
		mach_port_t fresh = mu_port();

		if (!expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), c->reply),
			       "destroy the reply port") || fresh == MACH_PORT_NULL)
			return false;
		c->reply = fresh;
		atomic_fetch_add(&sh->reply_ports, 1);
	}
	return true;
}

/* Receive one token from the transfer set (timeout in ms), check, destroy. */
static bool take_token(struct sender *c, mach_msg_timeout_t timeout)
{
	struct simple_msg *m = &c->buf.s;
	struct pending *p = NULL;
	mach_msg_return_t mr;
	kern_return_t kr;

	memset(&m->hdr, 0, sizeof(m->hdr));
	mr = mach_msg(&m->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(c->buf),
		      c->tset, timeout, MACH_PORT_NULL);
	if (mr == MACH_RCV_TIMED_OUT && timeout == 0)
		return true;
	if (mr != MACH_MSG_SUCCESS) {
		mt_fail_at(__FILE__, __LINE__,
			   "sender %u: token receive 0x%x (%s), %u in flight",
			   c->id, mr, mach_error_string(mr), c->npend);
		return false;
	}
	for (unsigned int i = 0; i < NPEND; i++)
		if (c->pend[i].port == m->hdr.msgh_local_port)
			p = &c->pend[i];
	if (!p || m->hdr.msgh_id != ID_TOKEN || m->b.sender != c->id ||
	    m->b.seq != p->seq) {
		mt_fail_at(__FILE__, __LINE__,
			   "sender %u: wrong token (id 0x%x, port 0x%x, sender %u seq %u, want seq %u)",
			   c->id, m->hdr.msgh_id, m->hdr.msgh_local_port, m->b.sender,
			   m->b.seq, p ? p->seq : ~0u);
		atomic_fetch_add(&sh->corrupt, 1);
		return false;
	}
	if (!body_ok(&m->hdr, sizeof(m->hdr), "token"))
		return false;
	c->msgs++;
	atomic_fetch_add(&sh->tokens, 1);
	/* the port goes, either way of destroying a receive right */
	if (rnd(&c->rng) & 1)
		kr = mach_port_destroy(mach_task_self(), p->port);
	else
		kr = mach_port_mod_refs(mach_task_self(), p->port,
					MACH_PORT_RIGHT_RECEIVE, -1);
	if (!expect_kr(KERN_SUCCESS, kr, "destroy the transfer port"))
		return false;
	atomic_fetch_add(&sh->xfer_ports, 1);
	p->port = MACH_PORT_NULL;
	c->npend--;
	return true;
}

static bool do_xfer(struct sender *c)
{
	struct xfer_msg *m = &c->buf.x;
	struct pending *p = NULL;
	mach_msg_size_t size;
	mach_msg_return_t mr;
	mach_port_t x;

	/* a slot for it: wait for a token if all are taken */
	while (c->npend == NPEND)
		if (!take_token(c, OP_MS))
			return false;
	for (unsigned int i = 0; i < NPEND && !p; i++)
		if (c->pend[i].port == MACH_PORT_NULL)
			p = &c->pend[i];
	x = mu_port();
	if (x == MACH_PORT_NULL ||
	    !expect_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), x, c->tset),
		       "transfer port into the sender's set"))
		return false;
	size = offsetof(struct xfer_msg, b) + fill_body(&m->b, c->id, c->seq, &c->rng);
	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
			   MACH_MSGH_BITS_COMPLEX;
	m->hdr.msgh_size = size;
	m->hdr.msgh_remote_port = c->svc[rnd(&c->rng) % NSVC];
	m->hdr.msgh_id = ID_XFER;
	m->body.msgh_descriptor_count = 1;
	memset(&m->port, 0, sizeof(m->port));
	m->port.name = x;
	m->port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	m->port.type = MACH_MSG_PORT_DESCRIPTOR;
	p->port = x;
	p->seq = c->seq;
	c->npend++;
	atomic_fetch_add(&sh->xfer_sent, 1);
	mr = mach_msg(&m->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
		      MACH_PORT_NULL, OP_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		mt_fail_at(__FILE__, __LINE__, "sender %u seq %u: transfer 0x%x (%s)",
			   c->id, c->seq, mr, mach_error_string(mr));
		return false;
	}
	c->seq++;
	c->msgs++;
	return true;
}

static void *sender_main(void *arg)
{
	struct sender *c = arg;
	bool ok = true;

	c->reply = mu_port();
	if (c->reply == MACH_PORT_NULL ||
	    !expect_kr(KERN_SUCCESS,
		       mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET,
					  &c->tset),
		       "the sender's transfer set"))
		return NULL;
	while (ok && c->msgs < per_sender) {
		uint32_t what = rnd(&c->rng) % 10;

		if (what < 5)
			ok = send_oneway(c);
		else if (what < 8)
			ok = do_rpc(c);
		else
			ok = do_xfer(c);
		/* tokens that are already back */
		while (ok && c->npend && rnd(&c->rng) % 2)
			ok = take_token(c, 0);
	}
	while (ok && c->npend)
		ok = take_token(c, OP_MS);
	atomic_store((_Atomic uint32_t *)&sh->nsent[c->id], c->seq);
	return NULL;
}

/* Ask the server for send rights to every service port. */
static bool hello(int idx, uint64_t *s)
{
	union mix_buf *b = calloc(1, sizeof(*b));
	mach_port_t reply = mu_port();
	struct simple_msg *m;
	mach_msg_size_t size;
	mach_msg_return_t mr;
	bool ok = false;

	if (!b || reply == MACH_PORT_NULL)
		goto out;
	m = &b->s;
	size = sizeof(m->hdr) + fill_body(&m->b, NSENDERS + idx, 0, s);
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m->hdr.msgh_size = size;
	m->hdr.msgh_remote_port = bootstrap_port;
	m->hdr.msgh_local_port = reply;
	m->hdr.msgh_id = ID_HELLO;
	mr = mach_msg(&m->hdr, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
		      MACH_RCV_TIMEOUT, size, sizeof(*b), reply, OP_MS, MACH_PORT_NULL);
	if (!expect_kr(MACH_MSG_SUCCESS, mr, "hello RPC") ||
	    !expect_eq(ID_WELCOME, b->hdr.msgh_id, "welcome message") ||
	    !expect_true(b->hdr.msgh_bits & MACH_MSGH_BITS_COMPLEX, "complex") ||
	    !expect_eq(NSVC, b->w.body.msgh_descriptor_count, "service rights") ||
	    !body_ok(&b->hdr, offsetof(struct welcome_msg, b), "welcome"))
		goto out;
	for (int i = 0; i < NSVC; i++) {
		if (!expect_eq(MACH_MSG_TYPE_PORT_SEND, b->w.svc[i].disposition,
			       "a send right to a service port"))
			goto out;
		client_svc[i] = b->w.svc[i].name;
	}
	ok = true;
out:
	if (reply != MACH_PORT_NULL)
		mach_port_destroy(mach_task_self(), reply);
	free(b);
	return ok;
}

static void client(int idx)
{
	uint64_t s = run_seed * 2654435761u + (uint64_t)idx * 7919 + 1;
	struct sender *c[NTHREADS];
	pthread_t t[NTHREADS];
	int started = 0;

	if (!hello(idx, &s))
		mt_child_exit();
	for (int i = 0; i < NTHREADS; i++) {
		c[i] = calloc(1, sizeof(*c[i]));
		if (!expect_true(c[i] != NULL, "calloc"))
			break;
		c[i]->id = (uint32_t)(idx * NTHREADS + i);
		c[i]->rng = s + 0x9e3779b97f4a7c15ull * (i + 1);
		memcpy(c[i]->svc, client_svc, sizeof(client_svc));
		if (!expect_eq(0, pthread_create(&t[i], NULL, sender_main, c[i]),
			       "pthread_create"))
			break;
		started++;
	}
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	mt_child_exit();
}

/* --- the server ------------------------------------------------------------ */

static mach_port_t svc[NSVC], pset, parking;
static atomic_ullong last_progress_ms;

/* Mark (sender, seq) received; false on garbage or a duplicate. */
static bool mark(const struct mix_body *b, mach_msg_id_t id)
{
	uint64_t bit, old;
	_Atomic uint64_t *w;

	if (b->sender >= NSENDERS || b->seq >= sh->words * 64u) {
		mt_fail_at(__FILE__, __LINE__, "request 0x%x from sender %u seq %u: out of range",
			   id, b->sender, b->seq);
		atomic_fetch_add(&sh->corrupt, 1);
		return false;
	}
	w = &sh->bits[(size_t)b->sender * sh->words + b->seq / 64];
	bit = 1ull << (b->seq % 64);
	old = atomic_fetch_or(w, bit);
	if (old & bit) {
		mt_fail_at(__FILE__, __LINE__, "duplicate: sender %u seq %u (0x%x)",
			   b->sender, b->seq, id);
		atomic_fetch_add(&sh->dup, 1);
		return false;
	}
	return true;
}

/* Send a reply or token: a simple message to dest, consuming its right. */
static bool answer(mach_port_t dest, mach_msg_type_name_t disp, mach_msg_id_t id,
		   uint32_t sender, uint32_t seq, uint64_t *s, struct simple_msg *m)
{
	mach_msg_size_t size = sizeof(m->hdr) + fill_body(&m->b, sender, seq, s);
	mach_msg_return_t mr;

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.msgh_bits = MACH_MSGH_BITS(disp, 0);
	m->hdr.msgh_size = size;
	m->hdr.msgh_remote_port = dest;
	m->hdr.msgh_id = id;
	mr = mach_msg(&m->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
		      MACH_PORT_NULL, OP_MS, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		mt_fail_at(__FILE__, __LINE__, "answer 0x%x to sender %u seq %u: 0x%x (%s)",
			   id, sender, seq, mr, mach_error_string(mr));
		return false;
	}
	return true;
}

static bool welcome(mach_port_t dest, uint32_t who, uint64_t *s, union mix_buf *b)
{
	struct welcome_msg *m = &b->w;
	mach_msg_size_t size = offsetof(struct welcome_msg, b) +
			       fill_body(&m->b, who, 0, s);

	memset(&m->hdr, 0, sizeof(m->hdr));
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
			   MACH_MSGH_BITS_COMPLEX;
	m->hdr.msgh_size = size;
	m->hdr.msgh_remote_port = dest;
	m->hdr.msgh_id = ID_WELCOME;
	m->body.msgh_descriptor_count = NSVC;
	for (int i = 0; i < NSVC; i++) {
		memset(&m->svc[i], 0, sizeof(m->svc[i]));
		m->svc[i].name = svc[i];
		m->svc[i].disposition = MACH_MSG_TYPE_MAKE_SEND;
		m->svc[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	return expect_kr(MACH_MSG_SUCCESS,
			 mach_msg(&m->hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
				  MACH_PORT_NULL, OP_MS, MACH_PORT_NULL),
			 "welcome");
}

/* Handle one received message; false on any failed check. */
static bool serve(union mix_buf *b, uint64_t *s, union mix_buf *out)
{
	mach_msg_header_t *h = &b->hdr;
	mach_msg_type_name_t remote = MACH_MSGH_BITS_REMOTE(h->msgh_bits);
	bool complex = h->msgh_bits & MACH_MSGH_BITS_COMPLEX;

	switch (h->msgh_id) {
	case ID_HELLO:
		if (complex || remote != MACH_MSG_TYPE_PORT_SEND_ONCE ||
		    !body_ok(h, sizeof(*h), "hello"))
			break;
		atomic_fetch_add(&sh->hello, 1);
		return welcome(h->msgh_remote_port, b->s.b.sender, s, out);
	case ID_ONEWAY:
		if (complex || remote != 0 || !body_ok(h, sizeof(*h), "one-way") ||
		    !mark(&b->s.b, h->msgh_id))
			break;
		atomic_fetch_add(&sh->oneway, 1);
		return true;
	case ID_RPC:
		if (complex || remote != MACH_MSG_TYPE_PORT_SEND_ONCE ||
		    !body_ok(h, sizeof(*h), "request") || !mark(&b->s.b, h->msgh_id))
			break;
		atomic_fetch_add(&sh->rpc, 1);
		return answer(h->msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
			      ID_REPLY, b->s.b.sender, b->s.b.seq, s, &out->s);
	case ID_XFER: {
		mach_port_t x = b->x.port.name;
		bool ok;

		if (!complex || b->x.body.msgh_descriptor_count != 1 ||
		    b->x.port.type != MACH_MSG_PORT_DESCRIPTOR ||
		    b->x.port.disposition != MACH_MSG_TYPE_PORT_SEND ||
		    !MACH_PORT_VALID(x) ||
		    !body_ok(h, offsetof(struct xfer_msg, b), "transfer") ||
		    !mark(&b->x.b, h->msgh_id))
			break;
		atomic_fetch_add(&sh->xfer, 1);
		/* the token goes back through the right that came in */
		if (rnd(s) & 1)
			return answer(x, MACH_MSG_TYPE_MOVE_SEND, ID_TOKEN,
				      b->x.b.sender, b->x.b.seq, s, &out->s);
		ok = answer(x, MACH_MSG_TYPE_COPY_SEND, ID_TOKEN, b->x.b.sender,
			    b->x.b.seq, s, &out->s);
		return expect_kr(KERN_SUCCESS,
				 mach_port_deallocate(mach_task_self(), x),
				 "drop the transferred send right") && ok;
	}
	default:
		break;
	}
	mt_fail_at(__FILE__, __LINE__, "unexpected message 0x%x (bits 0x%x, size %u)",
		   h->msgh_id, h->msgh_bits, h->msgh_size);
	atomic_fetch_add(&sh->corrupt, 1);
	mach_msg_destroy(h);
	return false;
}

static bool all_in(void)
{
	return atomic_load(&sh->clients_done) &&
	       atomic_load(&sh->received) >= atomic_load(&sh->expected);
}

static void *worker_main(void *arg)
{
	uint64_t s = run_seed ^ (0xabcdef12345ull * ((uintptr_t)arg + 1));
	union mix_buf *b = calloc(1, sizeof(*b)), *out = calloc(1, sizeof(*out));

	if (!expect_true(b && out, "calloc"))
		goto stop;
	while (!atomic_load(&sh->stop) && !all_in()) {
		mach_msg_return_t mr;

		memset(&b->hdr, 0, sizeof(b->hdr));
		mr = mach_msg(&b->hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*b),
			      pset, 100, MACH_PORT_NULL);
		if (mr == MACH_RCV_TIMED_OUT) {
			if (atomic_load(&sh->clients_done) &&
			    mt_now_ms() - atomic_load(&last_progress_ms) > IDLE_MS) {
				if (!atomic_exchange(&sh->stop, 1))
					mt_diag("server: nothing for %u ms, %llu of %llu requests in",
						IDLE_MS, atomic_load(&sh->received),
						atomic_load(&sh->expected));
				break;
			}
			continue;
		}
		if (mr != MACH_MSG_SUCCESS) {
			mt_fail_at(__FILE__, __LINE__, "server receive: 0x%x (%s)", mr,
				   mach_error_string(mr));
			break;
		}
		atomic_store(&last_progress_ms, mt_now_ms());
		if (!serve(b, &s, out))
			break;
		if (b->hdr.msgh_id != ID_HELLO)
			atomic_fetch_add(&sh->received, 1);
	}
stop:
	/* one worker giving up ends the run: the others must not wait for it */
	atomic_store(&sh->stop, 1);
	free(b);
	free(out);
	return NULL;
}

/* Take service ports out of the receive set and put them back. */
static void *churn_main(void *arg)
{
	uint64_t s = run_seed ^ 0x5eed5eed5eedull;
	mach_port_t self = mach_task_self();

	(void)arg;
	while (!atomic_load(&sh->stop)) {
		mach_port_t p = svc[rnd(&s) % NSVC];
		mach_port_status_t st;
		mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;
		bool move = rnd(&s) & 1;

		if (!expect_kr(KERN_SUCCESS,
			       mach_port_get_attributes(self, p, MACH_PORT_RECEIVE_STATUS,
							(mach_port_info_t)&st, &n),
			       "status of a service port"))
			break;
		if (move) {
			if (!expect_kr(KERN_SUCCESS, mach_port_move_member(self, p, parking),
				       "move a service port to the parking set"))
				break;
		} else if (!expect_kr(KERN_SUCCESS, mach_port_extract_member(self, p, pset),
				      "extract a service port from the set")) {
			break;
		}
		atomic_fetch_add(&sh->churn, 1);
		if (st.mps_msgcount)
			atomic_fetch_add(&sh->churn_queued, 1);
		/* out of the set for a moment: senders keep queueing on it */
		if (rnd(&s) % 2)
			mt_sleep_ms(rnd(&s) % 3);
		if (!expect_kr(KERN_SUCCESS,
			       move ? mach_port_move_member(self, p, pset) :
				      mach_port_insert_member(self, p, pset),
			       "put the service port back in the set"))
			break;
		if (rnd(&s) % 2)
			mt_sleep_ms(1);
	}
	atomic_store(&sh->stop, 1);
	return NULL;
}

static void server(void)
{
	static const mach_port_msgcount_t qlimit[NSVC] = { 5, 16, 64, 1024 };
	mach_port_t self = mach_task_self();
	pid_t pids[NCLIENTS];
	pthread_t w[NWORKERS], ch;
	int nclients = 0, nworkers = 0;
	unsigned long long expected = 0;
	bool churning;

	assert_kr(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &pset),
		  "the receive set");
	assert_kr(KERN_SUCCESS, mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &parking),
		  "the parking set");
	for (int i = 0; i < NSVC; i++) {
		mach_port_limits_t lim = { .mpl_qlimit = qlimit[i] };

		svc[i] = mu_port();
		assert_true(svc[i] != MACH_PORT_NULL, "service port");
		assert_kr(KERN_SUCCESS,
			  mach_port_set_attributes(self, svc[i], MACH_PORT_LIMITS_INFO,
						   (mach_port_info_t)&lim,
						   MACH_PORT_LIMITS_INFO_COUNT),
			  "queue limit");
		assert_kr(KERN_SUCCESS, mach_port_insert_member(self, svc[i], pset),
			  "service port into the set");
	}
	/* clients find service port 0 as their bootstrap port */
	assert_kr(KERN_SUCCESS,
		  mach_port_insert_right(self, svc[0], svc[0], MACH_MSG_TYPE_MAKE_SEND),
		  "send right for the bootstrap port");
	assert_kr(KERN_SUCCESS, task_set_special_port(self, TASK_BOOTSTRAP_PORT, svc[0]),
		  "task_set_special_port(BOOTSTRAP)");
	assert_kr(KERN_SUCCESS, mach_port_deallocate(self, svc[0]), "our send right");
	for (int i = 0; i < NCLIENTS; i++) {
		pid_t pid = mt_fork();

		if (pid == 0)
			client(i);
		if (!expect_true(pid > 0, "fork a client"))
			break;
		pids[nclients++] = pid;
	}
	atomic_store(&last_progress_ms, mt_now_ms());
	for (int i = 0; i < NWORKERS; i++)
		if (expect_eq(0, pthread_create(&w[i], NULL, worker_main, (void *)(uintptr_t)i),
			      "pthread_create"))
			nworkers++;
	churning = expect_eq(0, pthread_create(&ch, NULL, churn_main, NULL),
			     "pthread_create");

	for (int i = 0; i < nclients; i++) {
		char label[32];

		snprintf(label, sizeof(label), "client %d", i);
		/* the case's alarm is the real bound */
		expect_child_ok(pids[i], 24u * 3600 * 1000, label);
	}
	for (int i = 0; i < NSENDERS; i++)
		expected += atomic_load((_Atomic uint32_t *)&sh->nsent[i]);
	atomic_store(&sh->expected, expected);
	atomic_store(&last_progress_ms, mt_now_ms());
	atomic_store(&sh->clients_done, 1);
	if (mt_failed)
		atomic_store(&sh->stop, 1);

	for (int i = 0; i < nworkers; i++)
		pthread_join(w[i], NULL);
	atomic_store(&sh->stop, 1);
	if (churning)
		pthread_join(ch, NULL);

	/* every service port is back in the set, and nothing is left queued */
	for (int i = 0; i < NSVC; i++) {
		mach_port_status_t st;
		mach_msg_type_number_t n = MACH_PORT_RECEIVE_STATUS_COUNT;

		if (expect_kr(KERN_SUCCESS,
			      mach_port_get_attributes(self, svc[i], MACH_PORT_RECEIVE_STATUS,
						       (mach_port_info_t)&st, &n),
			      "status of a service port")) {
			expect_ne(0, st.mps_pset, "service port back in a set");
			if (!expect_eq(0, st.mps_msgcount, "nothing left queued"))
				mt_diag("service port %d: %u messages left", i,
					st.mps_msgcount);
		}
	}
	mt_child_exit();
}

/* --- the case ---------------------------------------------------------------- */

static unsigned long long total_messages(void)
{
	const char *env = getenv("MACH_MIX_MESSAGES");
	const char *mode = getenv("MACH_STRESS");
	const char *kernel = getenv("MACH_TEST_KERNEL");

	if (env && *env)
		return strtoull(env, NULL, 0);
	if (mode && !strcmp(mode, "long"))
		return LONG_TOTAL;
	return kernel && !strcmp(kernel, "debug") ? DEBUG_TOTAL : DEFAULT_TOTAL;
}

/* Every (sender, seq) below nsent was marked, and nothing beyond it. */
static void check_bitmap(void)
{
	unsigned long long lost = 0, extra = 0;

	for (uint32_t id = 0; id < NSENDERS; id++) {
		for (uint32_t seq = 0; seq < sh->words * 64u; seq++) {
			bool seen = atomic_load(&sh->bits[(size_t)id * sh->words + seq / 64]) &
				    (1ull << (seq % 64));

			if (seq < sh->nsent[id] && !seen) {
				if (lost++ < 5)
					mt_diag("lost: sender %u seq %u", id, seq);
			} else if (seq >= sh->nsent[id] && seen) {
				if (extra++ < 5)
					mt_diag("never sent, yet received: sender %u seq %u",
						id, seq);
			}
		}
	}
	expect_eq(0, lost, "every message received (none lost)");
	expect_eq(0, extra, "nothing received that was not sent");
}

static void mix(void)
{
	const char *env = getenv("MACH_MIX_SEED");
	unsigned long long total = total_messages();
	long long base[ST_NLIVE], rcvd0 = -1, rcvd1;
	bool stats;
	size_t size;
	uint64_t t0;
	pid_t srv;
	int code;

	run_seed = env && *env ? strtoull(env, NULL, 0) :
		   (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	per_sender = (uint32_t)((total + NSENDERS - 1) / NSENDERS);
	assert_true(per_sender > 0, "MACH_MIX_MESSAGES at least one per sender");
	mt_diag("seed %llu (MACH_MIX_SEED replays the choices), %u senders in %d processes "
		"x %u messages, %d service ports, %d server threads",
		(unsigned long long)run_seed, NSENDERS, NCLIENTS, per_sender, NSVC,
		NWORKERS);

	/* each request accounts for at least one message: per_sender bounds seq */
	size = sizeof(*sh) + (size_t)NSENDERS * (per_sender / 64 + 1) * sizeof(uint64_t);
	sh = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(sh != MAP_FAILED, "shared memory");
	sh->words = per_sender / 64 + 1;

	if (access(MACH_STATS_PATH, R_OK) != 0)
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	stats = access(MACH_STATS_PATH, R_OK) == 0;
	if (!stats)
		mt_diag("no debugfs mach/stats: the module's counters are not checked");
	(void)mach_task_self();		/* our own space is part of the baseline */
	if (stats) {
		st_snapshot(base);
		rcvd0 = st_value("messages_received");
	}

	t0 = mt_now_ms();
	srv = mt_fork();
	if (srv == 0)
		server();
	assert_true(srv > 0, "fork the server");
	code = mt_wait(srv, 24u * 3600 * 1000);
	expect_eq(0, code, "the server and its clients finished cleanly");
	t0 = mt_now_ms() - t0;

	check_bitmap();
	expect_eq(0, atomic_load(&sh->corrupt), "no corrupt message");
	expect_eq(0, atomic_load(&sh->dup), "no duplicate");
	expect_eq(atomic_load(&sh->rpc_sent), atomic_load(&sh->replies),
		  "every RPC got its reply");
	expect_eq(atomic_load(&sh->rpc_sent), atomic_load(&sh->rpc),
		  "every RPC request reached the server");
	expect_eq(atomic_load(&sh->xfer_sent), atomic_load(&sh->tokens),
		  "every token came back");
	expect_eq(atomic_load(&sh->xfer_sent), atomic_load(&sh->xfer),
		  "every transfer reached the server");
	expect_eq(NCLIENTS, atomic_load(&sh->hello), "every client said hello");
	if (stats) {
		expect_true(st_back_to(base, 20000),
			    "module counters back to the baseline");
		rcvd1 = st_value("messages_received");
		mt_diag("the module counted %lld messages received meanwhile",
			rcvd1 - rcvd0);
	}

	{
		unsigned long long req = atomic_load(&sh->received);
		unsigned long long rep = atomic_load(&sh->replies);
		unsigned long long tok = atomic_load(&sh->tokens);
		unsigned long long n = req + rep + tok;

		mt_diag("%llu messages checked in %llu ms (%llu/s): %llu requests "
			"(%llu one-way, %llu RPC, %llu transfers), %llu replies, "
			"%llu tokens; %llu payload bytes",
			n, (unsigned long long)t0,
			t0 ? n * 1000 / t0 : 0, req, atomic_load(&sh->oneway),
			atomic_load(&sh->rpc), atomic_load(&sh->xfer), rep, tok,
			atomic_load(&sh->bytes));
		mt_diag("%llu set membership changes (%llu with messages queued), "
			"%llu reply ports and %llu transfer ports destroyed",
			atomic_load(&sh->churn), atomic_load(&sh->churn_queued),
			atomic_load(&sh->reply_ports), atomic_load(&sh->xfer_ports));
		expect_true(n >= total, "as many messages as asked for");
	}
}

static const struct mt_case cases[] = {
	MT_CASE_T(mix, 900),
};

int main(void)
{
	return MT_RUN(cases);
}
