// SPDX-License-Identifier: GPL-2.0
/* machnetd.conf parser: every directive, every error, and the error's FILE:LINE form. */
#include "config.h"
#include "unit.h"

static char err[512];

static int parse(struct config *c, const char *text)
{
	config_init(c);
	err[0] = '\0';
	return config_parse(c, "t.conf", text, strlen(text), err, sizeof(err));
}

/* A parse that must fail with reason on line. */
static void bad(const char *text, const char *expect)
{
	struct config c;
	int rc = parse(&c, text);

	CHECK(rc == -1);
	if (strstr(err, expect) == NULL) {
		unit_failures++;
		fprintf(stderr, "FAIL: \"%s\": got \"%s\", want \"%s\"\n", text, err, expect);
	}
	unit_checks++;
	config_free(&c);
}

static void full_file(void)
{
	struct config c;
	const char *text =
		"# a comment\n"
		"name alpha   # trailing comment\n"
		"\n"
		"listen 10.0.0.1:7001\n"
		"cert /etc/mach/alpha.pem\n"
		"key /etc/mach/alpha.key\n"
		"ca /etc/mach/ca.pem\n"
		"peer beta 10.0.0.2:7001\n"
		"peer gamma [fd00::3]:7002\n"
		"\tmax_frame 1048576\r\n"
		"max_proxies_per_peer 100\n"
		"max_queued_bytes_per_peer 4194304\n"
		"reconnect_max_ms 2000";

	CHECK(parse(&c, text) == 0);
	CHECK_STR(err, "");
	CHECK_STR(c.name, "alpha");
	CHECK(c.has_listen);
	CHECK_STR(c.listen.host, "10.0.0.1");
	CHECK_STR(c.listen.port, "7001");
	CHECK_STR(c.cert, "/etc/mach/alpha.pem");
	CHECK_STR(c.key, "/etc/mach/alpha.key");
	CHECK_STR(c.ca, "/etc/mach/ca.pem");
	CHECK(c.npeers == 2);
	CHECK_STR(c.peers[0].name, "beta");
	CHECK_STR(c.peers[0].addr.host, "10.0.0.2");
	CHECK_STR(c.peers[1].addr.host, "fd00::3");
	CHECK_STR(c.peers[1].addr.port, "7002");
	CHECK(config_find_peer(&c, "gamma") == &c.peers[1]);
	CHECK(config_find_peer(&c, "delta") == NULL);
	CHECK(c.max_frame == 1048576);
	CHECK(c.max_proxies_per_peer == 100);
	CHECK(c.max_queued_bytes_per_peer == 4194304);
	CHECK(c.reconnect_max_ms == 2000);
	CHECK(config_check(&c, "t.conf", err, sizeof(err)) == 0);
	config_free(&c);
}

static void defaults(void)
{
	struct config c;

	CHECK(parse(&c, "") == 0);
	CHECK(c.max_frame == CONFIG_DEFAULT_MAX_FRAME);
	CHECK(c.reconnect_max_ms == CONFIG_DEFAULT_RECONNECT_MAX_MS);
	CHECK(c.npeers == 0 && !c.has_listen);
	/* No name: config_check refuses (main fills it from gethostname first). */
	CHECK(config_check(&c, "t.conf", err, sizeof(err)) == -1);
	CHECK(parse(&c, "name solo\n") == 0);
	CHECK(config_check(&c, "t.conf", err, sizeof(err)) == 0);	/* local only: no TLS */
	config_free(&c);
}

static void checks(void)
{
	struct config c;

	CHECK(parse(&c, "name a\npeer b 1.2.3.4:5\n") == 0);
	CHECK(config_check(&c, "t.conf", err, sizeof(err)) == -1);
	CHECK(strstr(err, "t.conf: ") == err && strstr(err, "cert, key and ca"));
	config_free(&c);
	CHECK(parse(&c, "name a\npeer a 1.2.3.4:5\ncert x\nkey y\nca z\n") == 0);
	CHECK(config_check(&c, "t.conf", err, sizeof(err)) == -1);
	CHECK(strstr(err, "own name") != NULL);
	config_free(&c);
}

int main(void)
{
	full_file();
	defaults();
	checks();
	bad("bogus 1\n", "t.conf:1: unknown directive \"bogus\"");
	bad("name a\n\nnmae b\n", "t.conf:3: unknown directive");
	bad("name\n", "t.conf:1: name takes 1 argument");
	bad("name a b\n", "t.conf:1: name takes 1 argument");
	bad("name a/b\n", "t.conf:1: bad host name");
	bad("name *\n", "bad host name");
	bad("name 0123456789012345678901234567890123456789012345678901234567890123456789012345678901\n",
	    "bad host name");
	bad("listen 1.2.3.4\n", "t.conf:1: bad address");
	bad("listen 1.2.3.4:0\n", "bad address");
	bad("listen 1.2.3.4:65536\n", "bad address");
	bad("listen 1.2.3.4:80x\n", "bad address");
	bad("listen ::1:80\n", "bad address");
	bad("listen [::1:80\n", "bad address");
	bad("listen :80\n", "bad address");
	bad("peer b\n", "t.conf:1: peer takes 2 arguments");
	bad("peer b 1.1.1.1:1\npeer b 1.1.1.2:1\n", "t.conf:2: peer b listed twice");
	bad("peer b! 1.1.1.1:1\n", "bad peer name");
	bad("max_frame 100\n", "max_frame must be");
	bad("max_frame -5\n", "max_frame must be");
	bad("max_frame 99999999999999999999999\n", "max_frame must be");
	bad("max_proxies_per_peer 0\n", "max_proxies_per_peer must be");
	bad("max_queued_bytes_per_peer 12x\n", "max_queued_bytes_per_peer must be");
	bad("reconnect_max_ms 1\n", "reconnect_max_ms must be");
	bad("name a b c d e f\n", "too many words");
	{
		static const char nul[] = "name a\0b\n";
		struct config c;

		config_init(&c);
		CHECK(config_parse(&c, "t.conf", nul, sizeof(nul) - 1, err, sizeof(err)) == -1);
		CHECK(strstr(err, "t.conf:1: NUL") != NULL);
		config_free(&c);
	}
	{
		struct config c;

		config_init(&c);
		CHECK(config_load(&c, "/nonexistent/machnetd.conf", err, sizeof(err)) == -1);
		CHECK(strstr(err, "/nonexistent/machnetd.conf: ") == err);
		config_free(&c);
	}
	return unit_report("test_config");
}
