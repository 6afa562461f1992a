/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machnetd.conf: one directive per line, '#' starts a comment.
 *
 *   name HOSTNAME              this host's name (default: gethostname)
 *   listen ADDR:PORT           where peers dial us
 *   cert FILE / key FILE / ca FILE   PEM; needed once there is a listen or a peer
 *   peer NAME ADDR:PORT        repeated; NAME must be in its certificate
 *   max_frame BYTES  max_proxies_per_peer N  max_queued_bytes_per_peer BYTES
 *   reconnect_max_ms MS
 *
 * The parser is pure (text in, struct out) so host unit tests drive it.
 */
#ifndef MACHNETD_CONFIG_H
#define MACHNETD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_NAME_MAX		79	/* a netname_name_t without its NUL */
#define CONFIG_PATH_MAX		4096
#define CONFIG_ADDR_MAX		256

struct config_addr {
	char		host[CONFIG_ADDR_MAX];	/* numeric IPv4/IPv6 or a DNS name */
	char		port[8];		/* decimal, 1..65535 */
};

struct config_peer {
	char			name[CONFIG_NAME_MAX + 1];
	struct config_addr	addr;
};

struct config {
	char			name[CONFIG_NAME_MAX + 1];
	int			has_listen;
	struct config_addr	listen;
	char			cert[CONFIG_PATH_MAX];
	char			key[CONFIG_PATH_MAX];
	char			ca[CONFIG_PATH_MAX];
	struct config_peer	*peers;
	size_t			npeers;
	uint32_t		max_frame;
	uint32_t		max_proxies_per_peer;
	uint64_t		max_queued_bytes_per_peer;
	uint32_t		reconnect_max_ms;
};

#define CONFIG_DEFAULT_PATH			"/etc/mach/machnetd.conf"
#define CONFIG_DEFAULT_MAX_FRAME		(64u << 20)	/* 16 MiB OOL + room */
#define CONFIG_MIN_MAX_FRAME			4096u
#define CONFIG_DEFAULT_MAX_PROXIES		65536u
#define CONFIG_DEFAULT_MAX_QUEUED		(256ull << 20)
#define CONFIG_DEFAULT_RECONNECT_MAX_MS		5000u

/* Defaults; name empty (the caller fills it from gethostname). */
void config_init(struct config *c);

/*
 * Parse text (len bytes) into c, which config_init prepared.  On an error
 * returns -1 and writes "FILE:LINE: reason" into err; else 0.  Only
 * syntax and values are checked here; config_check checks the whole.
 */
int config_parse(struct config *c, const char *file, const char *text, size_t len,
		 char *err, size_t errlen);

/* Whole-file rules (e.g. TLS files present once peers exist); -1 + err. */
int config_check(const struct config *c, const char *file, char *err, size_t errlen);

/* Read and parse a file; -1 + err (a missing file is an error too). */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

const struct config_peer *config_find_peer(const struct config *c, const char *name);

void config_free(struct config *c);

#endif /* MACHNETD_CONFIG_H */
