/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TLS for peer connections: TLS 1.3 only, both sides present certificates
 * signed by the configured CA, and a peer's certificate must carry its
 * configured name (a SAN DNS name, or the CN when there is no SAN; no
 * wildcards).
 */
#ifndef MACHNETD_TLS_H
#define MACHNETD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <openssl/ssl.h>

#include "config.h"

/* Load cert, key and CA; false (logged) on any problem. */
bool tls_init(const struct config *c);
void tls_exit(void);
/* A new TLS object on fd, client (dialing) or server side. */
SSL *tls_new(int fd, bool client);
/* Does the authenticated peer certificate carry name? */
bool tls_peer_is(SSL *ssl, const char *name);
/* The last OpenSSL error as text (for a log line). */
const char *tls_error(char *buf, size_t len);

#endif /* MACHNETD_TLS_H */
