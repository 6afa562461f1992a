// SPDX-License-Identifier: GPL-2.0
/*
 * net_auth - who may talk to machnetd, and what a bad peer can do.
 *
 *  - a host whose certificate another CA signed, and a host whose
 *    certificate (from the right CA) carries a name nobody lists, are
 *    refused: the log says "refused", and no name crosses;
 *  - a raw TLS client without a certificate, or with the other CA's, fails
 *    the handshake;
 *  - a raw TLS client with a valid certificate (alpha's, while alpha's own
 *    machnetd is down) that sends junk: random bytes, an oversized length,
 *    an unknown frame type, a truncated frame, and after a valid HELLO an
 *    unknown type, a replayed sequence number, a RELEASE of an id never
 *    exported, a length over max_frame; each connection is closed by
 *    bravo (logged "closed"), bravo's machnetd lives on, its local names
 *    work, and once alpha's machnetd is back an RPC across works.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "msg_util.h"
#include "net_util.h"

#define WAIT_MS		30000

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &p),
		  "mach_port_allocate");
	return p;
}

/* --- a raw TLS client ------------------------------------------------------------- */

/* TCP to addr:NET_PORT, with a receive timeout so a read never hangs. */
static int dial(const char *addr)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(NET_PORT) };
	struct timeval tv = { .tv_sec = 20 };
	uint64_t end = mt_now_ms() + WAIT_MS;
	int fd;

	inet_pton(AF_INET, addr, &sa.sin_addr);
	for (;;) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		close(fd);
		if (mt_now_ms() >= end)
			return -1;
		mt_sleep_ms(100);
	}
}

/* A TLS 1.3 client presenting cert (NULL: none), trusting the test CA. */
static SSL *tls_connect(const char *addr, const char *cert, int *fdp)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	char crt[256], key[256];
	SSL *ssl;
	int fd;

	SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
	SSL_CTX_load_verify_locations(ctx, net_cert("ca.pem"), NULL);
	if (cert) {
		snprintf(crt, sizeof(crt), "%s.pem", cert);
		snprintf(key, sizeof(key), "%s.key", cert);
		if (SSL_CTX_use_certificate_file(ctx, net_cert(crt), SSL_FILETYPE_PEM) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, net_cert(key), SSL_FILETYPE_PEM) != 1) {
			mt_diag("cannot load %s", cert);
			return NULL;
		}
	}
	fd = dial(addr);
	if (fd < 0) {
		mt_diag("cannot connect to %s:%d", addr, NET_PORT);
		SSL_CTX_free(ctx);
		return NULL;
	}
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);	/* the SSL keeps its reference */
	SSL_set_fd(ssl, fd);
	*fdp = fd;
	return ssl;
}

static void tls_close(SSL *ssl, int fd)
{
	SSL_free(ssl);
	close(fd);
}

/*
 * Handshake; in TLS 1.3 a client certificate the server rejects shows only
 * at the first read, so read once: true when the session is usable.
 */
static bool handshake_accepted(SSL *ssl)
{
	char c;
	int r;

	if (SSL_connect(ssl) != 1)
		return false;
	/* the server speaks first or not at all: a short wait for an alert */
	r = SSL_peek(ssl, &c, 1);
	return r > 0 || SSL_get_error(ssl, r) == SSL_ERROR_WANT_READ ||
	       (SSL_get_error(ssl, r) == SSL_ERROR_SYSCALL && r < 0);
}

/* After sending junk: the server must end the connection (EOF or alert). */
static bool closed_by_peer(SSL *ssl)
{
	char buf[4096];
	uint64_t end = mt_now_ms() + WAIT_MS;
	int r;

	while (mt_now_ms() < end) {
		r = SSL_read(ssl, buf, sizeof(buf));
		if (r > 0)
			continue;	/* a frame of its own (HELLO): keep reading */
		switch (SSL_get_error(ssl, r)) {
		case SSL_ERROR_ZERO_RETURN:
		case SSL_ERROR_SSL:
			return true;
		case SSL_ERROR_SYSCALL:
			if (r == 0)
				return true;	/* EOF without close_notify */
			return false;		/* the receive timed out: still open */
		default:
			return false;
		}
	}
	return false;
}

static int role_no_cert(int argc, char **argv)
{
	const char *cert = argc > 1 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
	SSL *ssl;
	int fd;

	ssl = tls_connect(net_addr(NET_BRAVO, NET_ALPHA), cert, &fd);
	assert_true_ret(ssl != NULL, "connect");
	expect_true(!handshake_accepted(ssl), "the handshake fails");
	tls_close(ssl, fd);
	return 0;
}

static bool send_junk(SSL *ssl, const void *p, int n, bool shut)
{
	if (!expect_eq(n, SSL_write(ssl, p, n), "SSL_write of junk"))
		return false;
	if (shut)
		SSL_shutdown(ssl);
	return true;
}

/* A frame as docs/machnetd.md lays it out: big-endian u32 len, u16 type, u16 flags, u64 seq. */
static size_t frame(uint8_t *b, uint32_t len, uint16_t type, uint64_t seq,
		    const void *payload, size_t plen)
{
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (uint8_t)(len >> (24 - 8 * i));
	b[4] = (uint8_t)(type >> 8);
	b[5] = (uint8_t)type;
	b[6] = b[7] = 0;
	for (i = 0; i < 8; i++)
		b[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
	memcpy(b + 16, payload, plen);
	return 16 + plen;
}

/* A valid HELLO from "alpha": version 1, max_frame 1 MiB, an incarnation. */
static size_t hello(uint8_t *b)
{
	static const uint8_t p[] = { 0, 1, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78,
				     5, 'a', 'l', 'p', 'h', 'a' };

	return frame(b, sizeof(p), 1, 1, p, sizeof(p));
}

/* After a valid HELLO, a frame that is wrong in one way (k >= 4). */
static size_t bad_after_hello(uint8_t *b, int k)
{
	static const uint8_t release[12] = { 0, 0, 0, 0, 0, 0, 0x30, 0x39, 0, 0, 0, 1 };
	size_t n = hello(b);

	switch (k) {
	case 4:	/* a type nobody defined */
		return n + frame(b + n, 0, 0x7777, 2, NULL, 0);
	case 5:	/* a replayed sequence number: a PING numbered as the HELLO */
		return n + frame(b + n, 0, 2, 1, NULL, 0);
	case 6:	/* RELEASE of an id bravo never exported */
		return n + frame(b + n, sizeof(release), 5, 2, release, sizeof(release));
	default: /* a length over max_frame */
		return n + frame(b + n, 0x7ffffff0u, 2, 2, NULL, 0);
	}
}

static int role_junk(int argc, char **argv)
{
	static const uint8_t oversized[8] = { 0xff, 0xff, 0xff, 0xf0, 0, 1, 0, 0 };
	static const uint8_t bad_type[16] = { 0, 0, 0, 16, 0xff, 0xfe, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t truncated[5] = { 0, 0, 1, 0, 0 };
	uint8_t random[512], buf[256];
	unsigned int i;
	SSL *ssl;
	int fd, k;

	(void)argc;
	(void)argv;
	for (i = 0; i < sizeof(random); i++)
		random[i] = (uint8_t)(i * 37 + 11);
	for (k = 0; k < 8; k++) {
		ssl = tls_connect(net_addr(NET_BRAVO, NET_ALPHA), "alpha", &fd);
		assert_true_ret(ssl != NULL, "connect");
		if (!expect_true(SSL_connect(ssl) == 1, "handshake with a valid certificate")) {
			ERR_print_errors_fp(stdout);
			tls_close(ssl, fd);
			return 1;
		}
		switch (k) {
		case 0:
			send_junk(ssl, random, sizeof(random), false);
			break;
		case 1:
			send_junk(ssl, oversized, sizeof(oversized), false);
			break;
		case 2:
			send_junk(ssl, bad_type, sizeof(bad_type), false);
			break;
		case 3:	/* half a frame, then the end of the stream */
			send_junk(ssl, truncated, sizeof(truncated), true);
			break;
		default:
			send_junk(ssl, buf, (int)bad_after_hello(buf, k), false);
			break;
		}
		if (!expect_true(closed_by_peer(ssl), "bravo closes a connection that sent junk"))
			mt_diag("junk %d", k);
		tls_close(ssl, fd);
	}
	return 0;
}

/* bravo: a local name and a local RPC through machnetd still work. */
static int role_local_ok(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port(), found;
	char version[80];

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	expect_kr(NETNAME_SUCCESS, netname_version(s, version), "netname_version");
	expect_kr(NETNAME_SUCCESS, netname_check_in(s, "after.junk", sig, p), "check_in");
	expect_kr(NETNAME_SUCCESS, netname_look_up(s, "", "after.junk", &found), "look_up");
	expect_eq(p, found, "our port");
	return 0;
}

/* A server for one echo RPC (word + 1), checked in as argv[1]. */
static int role_echo_once(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port();
	struct mu_rcv m;

	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, argc > 1 ? argv[1] : "echo", sig, p),
		      "check_in");
	assert_kr_ret(MACH_MSG_SUCCESS, mu_recv(p, &m, 0, 4 * WAIT_MS), "receive");
	expect_kr(MACH_MSG_SUCCESS, mu_send(m.hdr.msgh_remote_port, MACH_MSG_TYPE_MOVE_SEND_ONCE,
					    MACH_PORT_NULL, 0, 800, mu_as_msg(&m)->a + 1, 0, 0,
					    WAIT_MS), "reply");
	return 0;
}

static int role_echo_client(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), srv, reply = new_port();
	struct mu_rcv m;
	kern_return_t kr;

	if (!MACH_PORT_VALID(s))
		return 1;
	srv = net_look_up_wait(s, "bravo", argc > 1 ? argv[1] : "echo", 2 * WAIT_MS, &kr);
	assert_kr_ret(NETNAME_SUCCESS, kr, "look_up bravo's echo server");
	assert_kr_ret(MACH_MSG_SUCCESS, mu_send(srv, MACH_MSG_TYPE_COPY_SEND, reply,
						MACH_MSG_TYPE_MAKE_SEND_ONCE, 700, 99, 0, 0, WAIT_MS),
		      "request");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(reply, &m, 0, WAIT_MS), "reply"))
		expect_eq(100, mu_as_msg(&m)->a, "reply word");
	return 0;
}

/* alpha, facing a bravo it must refuse: bravo's names never appear. */
static int role_no_names(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p;
	kern_return_t kr;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	p = net_look_up_wait(s, "bravo", "echo", 5000, &kr);
	expect_true(kr != NETNAME_SUCCESS, "no name of a refused host");
	if (kr == NETNAME_SUCCESS)
		mach_port_deallocate(mach_task_self(), p);
	return 0;
}

static const struct net_role roles[] = {
	{ "no_cert", role_no_cert },
	{ "junk", role_junk },
	{ "local_ok", role_local_ok },
	{ "echo_once", role_echo_once },
	{ "echo_client", role_echo_client },
	{ "no_names", role_no_names },
};

/* --- cases ------------------------------------------------------------------------ */

/* bravo presents cert; alpha must refuse it. */
static void refused(const char *cert)
{
	struct net_opts o = { .nhosts = 2 };
	uint64_t end;
	pid_t srv;

	o.cert[NET_BRAVO] = cert;
	if (net_up(&o)) {
		srv = net_start(NET_BRAVO, "echo_once", "echo", NULL);
		end = mt_now_ms() + WAIT_MS;
		while (!net_log_has(NET_ALPHA, "refused", NULL) &&
		       !net_log_has(NET_BRAVO, "refused", NULL) && mt_now_ms() < end)
			mt_sleep_ms(100);
		expect_true(net_log_has(NET_ALPHA, "refused", NULL) ||
			    net_log_has(NET_BRAVO, "refused", NULL), "a refusal is logged");
		net_run_ok(NET_ALPHA, 60000, "no_names", NULL);
		/* the server waits for a request that cannot come: end it */
		net_wait(NET_BRAVO, srv, 1);
		if (mt_failed) {
			net_log_dump(NET_ALPHA);
			net_log_dump(NET_BRAVO);
		}
	}
	net_down();
}

static void other_ca_refused(void)
{
	refused("rogue-bravo");
}

static void unlisted_name_refused(void)
{
	refused("mallory");
}

static void raw_client_without_valid_cert(void)
{
	struct net_opts o = { .nhosts = 2 };

	if (net_up(&o)) {
		/* from alpha's namespace, alpha's own machnetd stopped first */
		expect_eq(128 + SIGKILL, net_machnetd_kill(NET_ALPHA, SIGKILL), "stop alpha's machnetd");
		net_run_ok(NET_ALPHA, 60000, "no_cert", "-", NULL);
		net_run_ok(NET_ALPHA, 60000, "no_cert", "rogue-bravo", NULL);
		expect_true(net_log_has(NET_BRAVO, "refused", NULL), "bravo logs the refusals");
		net_run_ok(NET_BRAVO, 60000, "local_ok", NULL);
		if (mt_failed)
			net_log_dump(NET_BRAVO);
	}
	net_down();
}

static void junk_frames_close(void)
{
	struct net_opts o = { .nhosts = 2 };
	pid_t srv, bravo_pid;

	if (net_up(&o)) {
		bravo_pid = net_machnetd_pid(NET_BRAVO);
		expect_eq(128 + SIGKILL, net_machnetd_kill(NET_ALPHA, SIGKILL), "stop alpha's machnetd");
		net_run_ok(NET_ALPHA, 240000, "junk", NULL);
		expect_true(net_log_has(NET_BRAVO, "closed", NULL), "bravo logs closing them");
		expect_eq(0, kill(bravo_pid, 0), "bravo's machnetd is alive");
		net_run_ok(NET_BRAVO, 60000, "local_ok", NULL);
		/* and the real alpha is welcome again */
		if (expect_true(net_machnetd_start(NET_ALPHA), "alpha's machnetd starts again")) {
			srv = net_start(NET_BRAVO, "echo_once", "echo", NULL);
			net_run_ok(NET_ALPHA, 120000, "echo_client", "echo", NULL);
			expect_eq(0, net_wait(NET_BRAVO, srv, 60000), "bravo's server");
		}
		if (mt_failed) {
			net_log_dump(NET_ALPHA);
			net_log_dump(NET_BRAVO);
		}
	}
	net_down();
}

static const struct mt_case cases[] = {
	MT_CASE_T(other_ca_refused, 300),
	MT_CASE_T(unlisted_name_refused, 300),
	MT_CASE_T(raw_client_without_valid_cert, 300),
	MT_CASE_T(junk_frames_close, 600),
};

int main(int argc, char **argv)
{
	int rc = net_role_main(argc, argv, roles, (int)(sizeof(roles) / sizeof(roles[0])));

	return rc >= 0 ? rc : MT_RUN(cases);
}
