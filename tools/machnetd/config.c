// SPDX-License-Identifier: GPL-2.0
/* machnetd.conf parser: see config.h for the directives. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define MAX_LINE	8192
#define MAX_WORDS	4

void config_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
	c->max_frame = CONFIG_DEFAULT_MAX_FRAME;
	c->max_proxies_per_peer = CONFIG_DEFAULT_MAX_PROXIES;
	c->max_queued_bytes_per_peer = CONFIG_DEFAULT_MAX_QUEUED;
	c->reconnect_max_ms = CONFIG_DEFAULT_RECONNECT_MAX_MS;
}

void config_free(struct config *c)
{
	free(c->peers);
	c->peers = NULL;
	c->npeers = 0;
}

static int fail(char *err, size_t errlen, const char *file, unsigned int line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const char *file, unsigned int line,
		const char *fmt, ...)
{
	va_list ap;
	int n;

	n = line ? snprintf(err, errlen, "%s:%u: ", file, line)
		 : snprintf(err, errlen, "%s: ", file);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* A host name as certificates and netname carry it: [A-Za-z0-9._-], 1..79. */
static int name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > CONFIG_NAME_MAX || strcmp(s, "*") == 0)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' && *s != '_')
			return 0;
	return 1;
}

/* Decimal u64 in [min, max], nothing else on the word. */
static int number(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)s[0]))
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

/* ADDR:PORT, or [IPV6]:PORT. */
static int addr_parse(const char *s, struct config_addr *a)
{
	const char *colon, *host = s;
	size_t hlen;
	uint64_t port;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':')
			return 0;
		host = s + 1;
		hlen = close - host;
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL)
			return 0;
		hlen = colon - s;
		if (memchr(s, ':', hlen) != NULL)	/* bare IPv6 needs brackets */
			return 0;
	}
	if (hlen == 0 || hlen >= sizeof(a->host) ||
	    !number(colon + 1, 1, 65535, &port))
		return 0;
	memcpy(a->host, host, hlen);
	a->host[hlen] = '\0';
	snprintf(a->port, sizeof(a->port), "%u", (unsigned int)port);
	return 1;
}

static int path_set(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n >= CONFIG_PATH_MAX)
		return 0;
	memcpy(dst, src, n + 1);
	return 1;
}

const struct config_peer *config_find_peer(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->npeers; i++)
		if (strcmp(c->peers[i].name, name) == 0)
			return &c->peers[i];
	return NULL;
}

static int add_peer(struct config *c, const char *name, const char *addr,
		    const char *file, unsigned int line, char *err, size_t errlen)
{
	struct config_peer *p;

	if (!name_ok(name))
		return fail(err, errlen, file, line, "bad peer name \"%s\"", name);
	if (config_find_peer(c, name) != NULL)
		return fail(err, errlen, file, line, "peer %s listed twice", name);
	p = realloc(c->peers, (c->npeers + 1) * sizeof(*p));
	if (p == NULL)
		return fail(err, errlen, file, line, "out of memory");
	c->peers = p;
	p = &c->peers[c->npeers];
	memset(p, 0, sizeof(*p));
	strcpy(p->name, name);
	if (!addr_parse(addr, &p->addr))
		return fail(err, errlen, file, line, "bad address \"%s\" (want ADDR:PORT)", addr);
	c->npeers++;
	return 0;
}

/* One directive, already split into words. */
static int directive(struct config *c, char **w, int nw, const char *file,
		     unsigned int line, char *err, size_t errlen)
{
	static const char *const known[] = {
		"name", "listen", "cert", "key", "ca", "peer", "max_frame",
		"max_proxies_per_peer", "max_queued_bytes_per_peer", "reconnect_max_ms",
	};
	uint64_t v;
	int want = strcmp(w[0], "peer") == 0 ? 3 : 2;
	size_t k;

	for (k = 0; k < sizeof(known) / sizeof(known[0]); k++)
		if (strcmp(w[0], known[k]) == 0)
			break;
	if (k == sizeof(known) / sizeof(known[0]))
		return fail(err, errlen, file, line, "unknown directive \"%s\"", w[0]);
	if (nw != want)
		return fail(err, errlen, file, line, "%s takes %d argument%s", w[0],
			    want - 1, want == 2 ? "" : "s");
	if (strcmp(w[0], "name") == 0) {
		if (!name_ok(w[1]))
			return fail(err, errlen, file, line,
				    "bad host name \"%s\" (1-%d of A-Z a-z 0-9 . - _)",
				    w[1], CONFIG_NAME_MAX);
		strcpy(c->name, w[1]);
	} else if (strcmp(w[0], "listen") == 0) {
		if (!addr_parse(w[1], &c->listen))
			return fail(err, errlen, file, line,
				    "bad address \"%s\" (want ADDR:PORT)", w[1]);
		c->has_listen = 1;
	} else if (strcmp(w[0], "cert") == 0 || strcmp(w[0], "key") == 0 ||
		   strcmp(w[0], "ca") == 0) {
		char *dst = w[0][0] == 'c' ? (w[0][1] == 'e' ? c->cert : c->ca) : c->key;

		if (!path_set(dst, w[1]))
			return fail(err, errlen, file, line, "bad path");
	} else if (strcmp(w[0], "peer") == 0) {
		return add_peer(c, w[1], w[2], file, line, err, errlen);
	} else if (strcmp(w[0], "max_frame") == 0) {
		if (!number(w[1], CONFIG_MIN_MAX_FRAME, 1u << 30, &v))
			return fail(err, errlen, file, line,
				    "max_frame must be %u..%u bytes", CONFIG_MIN_MAX_FRAME,
				    1u << 30);
		c->max_frame = (uint32_t)v;
	} else if (strcmp(w[0], "max_proxies_per_peer") == 0) {
		if (!number(w[1], 1, 1u << 24, &v))
			return fail(err, errlen, file, line,
				    "max_proxies_per_peer must be 1..%u", 1u << 24);
		c->max_proxies_per_peer = (uint32_t)v;
	} else if (strcmp(w[0], "max_queued_bytes_per_peer") == 0) {
		if (!number(w[1], CONFIG_MIN_MAX_FRAME, 1ull << 40, &v))
			return fail(err, errlen, file, line,
				    "max_queued_bytes_per_peer must be %u..%llu",
				    CONFIG_MIN_MAX_FRAME, 1ull << 40);
		c->max_queued_bytes_per_peer = v;
	} else if (strcmp(w[0], "reconnect_max_ms") == 0) {
		if (!number(w[1], 10, 3600000, &v))
			return fail(err, errlen, file, line,
				    "reconnect_max_ms must be 10..3600000");
		c->reconnect_max_ms = (uint32_t)v;
	} else {
		return fail(err, errlen, file, line, "unknown directive \"%s\"", w[0]);
	}
	return 0;
}

int config_parse(struct config *c, const char *file, const char *text, size_t len,
		 char *err, size_t errlen)
{
	unsigned int lineno = 0;
	size_t pos = 0;

	while (pos < len) {
		char line[MAX_LINE], *w[MAX_WORDS + 1], *p;
		size_t end = pos, n;
		int nw = 0;

		while (end < len && text[end] != '\n')
			end++;
		n = end - pos;
		lineno++;
		if (n >= sizeof(line))
			return fail(err, errlen, file, lineno, "line too long");
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (memchr(line, '\0', n) != NULL)
			return fail(err, errlen, file, lineno, "NUL byte in line");
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		for (p = strtok(line, " \t\r\f\v"); p; p = strtok(NULL, " \t\r\f\v")) {
			if (nw == MAX_WORDS + 1)
				return fail(err, errlen, file, lineno, "too many words");
			w[nw++] = p;
		}
		if (nw == 0)
			continue;
		if (nw > MAX_WORDS)
			return fail(err, errlen, file, lineno, "too many words");
		if (directive(c, w, nw, file, lineno, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int config_check(const struct config *c, const char *file, char *err, size_t errlen)
{
	int networked = c->has_listen || c->npeers > 0;

	if (c->name[0] == '\0')
		return fail(err, errlen, file, 0, "no host name (name HOSTNAME)");
	if (config_find_peer(c, c->name) != NULL)
		return fail(err, errlen, file, 0, "peer %s is this host's own name", c->name);
	if (networked && (!c->cert[0] || !c->key[0] || !c->ca[0]))
		return fail(err, errlen, file, 0,
			    "listen and peer need cert, key and ca (TLS is not optional)");
	return 0;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, cap = 0;
	int rc;

	if (f == NULL)
		return fail(err, errlen, path, 0, "%s", strerror(errno));
	for (;;) {
		size_t got;

		if (len == cap) {
			char *t;

			if (cap >= (1u << 20)) {
				free(text);
				fclose(f);
				return fail(err, errlen, path, 0, "file too large");
			}
			cap = cap ? cap * 2 : 4096;
			t = realloc(text, cap);
			if (t == NULL) {
				free(text);
				fclose(f);
				return fail(err, errlen, path, 0, "out of memory");
			}
			text = t;
		}
		got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	rc = ferror(f) ? fail(err, errlen, path, 0, "read error") :
			 config_parse(c, path, text, len, err, errlen);
	free(text);
	fclose(f);
	return rc;
}
