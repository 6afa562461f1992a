// SPDX-License-Identifier: GPL-2.0
/* OpenSSL setup for peer connections: see tls.h. */
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "log.h"
#include "tls.h"

static SSL_CTX *ctx;

const char *tls_error(char *buf, size_t len)
{
	unsigned long e = ERR_get_error();

	if (e == 0)
		snprintf(buf, len, "no TLS error detail");
	else
		ERR_error_string_n(e, buf, len);
	ERR_clear_error();
	return buf;
}

bool tls_init(const struct config *c)
{
	char err[256];

	ctx = SSL_CTX_new(TLS_method());
	if (ctx == NULL) {
		logmsg(LOG_ERR, "TLS: %s", tls_error(err, sizeof(err)));
		return false;
	}
	if (!SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION)) {
		logmsg(LOG_ERR, "TLS 1.3 unavailable: %s", tls_error(err, sizeof(err)));
		return false;
	}
	if (SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1) {
		logmsg(LOG_ERR, "cert %s: %s", c->cert, tls_error(err, sizeof(err)));
		return false;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		logmsg(LOG_ERR, "key %s: %s", c->key, tls_error(err, sizeof(err)));
		return false;
	}
	if (SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1) {
		logmsg(LOG_ERR, "ca %s: %s", c->ca, tls_error(err, sizeof(err)));
		return false;
	}
	/* Mutual: a peer without a certificate our CA signed fails the handshake. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* No session tickets: every connection authenticates in full. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	return true;
}

void tls_exit(void)
{
	SSL_CTX_free(ctx);
	ctx = NULL;
}

SSL *tls_new(int fd, bool client)
{
	SSL *ssl = SSL_new(ctx);

	if (ssl == NULL)
		return NULL;
	if (SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		return NULL;
	}
	if (client)
		SSL_set_connect_state(ssl);
	else
		SSL_set_accept_state(ssl);
	return ssl;
}

bool tls_peer_is(SSL *ssl, const char *name)
{
	X509 *cert = SSL_get_peer_certificate(ssl);
	bool ok;

	if (cert == NULL || SSL_get_verify_result(ssl) != X509_V_OK) {
		X509_free(cert);
		return false;
	}
	ok = X509_check_host(cert, name, 0, X509_CHECK_FLAG_NO_WILDCARDS, NULL) == 1;
	X509_free(cert);
	return ok;
}
