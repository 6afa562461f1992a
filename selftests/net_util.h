/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net_util.h - "hosts" for machnetd's tests, inside one VM.
 *
 * A host is a network namespace with its own private machd (machd -f -s)
 * and its own machnetd.  Hosts are joined pairwise by veth pairs:
 *
 *   alpha 10.77.1.1 -- 10.77.1.2 bravo     (pair 1)
 *   alpha 10.77.2.1 -- 10.77.2.2 charlie   (pair 2)
 *   bravo 10.77.3.1 -- 10.77.3.2 charlie   (pair 3)
 *
 * Every machnetd listens on 0.0.0.0:NET_PORT of its namespace.  All hosts
 * share the one kernel (and /dev/mach), but the tests rely on nothing but
 * TCP between machnetds.
 *
 * The command of each host's machd is an agent: this same test program
 * run as "--net-role agent", which starts processes on that host when the
 * test process asks (they inherit the host's bootstrap port; a busybox sh
 * could not do that, having no IPC space for a child to inherit from).
 * Processes on a host are this program again with "--net-role ROLE ARG...";
 * a test program dispatches to its roles with net_role_main() first thing
 * in main().
 *
 * Everything a test case starts lives in its process group, so mt_run()'s
 * timeout kills it all; the namespaces die with their holder processes.
 */
#ifndef NET_UTIL_H
#define NET_UTIL_H

#include <stdbool.h>
#include <sys/types.h>
#include <mach/mach.h>
#include <servers/netname.h>

#define NET_MAX_HOSTS	3
#define NET_PORT	7700

enum { NET_ALPHA, NET_BRAVO, NET_CHARLIE };
extern const char *const net_host_name[NET_MAX_HOSTS];

struct net_opts {
	int		nhosts;		/* 1..3 */
	bool		fallthrough;	/* machd -n on every host */
	const char	*extra_conf;	/* appended to every machnetd.conf */
	const char	*cert[NET_MAX_HOSTS];	/* a host's cert/key base name if not its own */
};

/* A role: runs in its own process on a host; returns its exit code. */
struct net_role {
	const char	*name;
	int		(*fn)(int argc, char **argv);	/* argv[0] = the role's name */
};

/*
 * If argv says "--net-role NAME ...", run that role (or the agent) and
 * return its exit code (>= 0); else -1: the caller runs its cases.
 */
int net_role_main(int argc, char **argv, const struct net_role *roles, int nroles);

/* Bring the hosts up, every machnetd serving; false (diagnosed) on failure. */
bool net_up(const struct net_opts *o);

/*
 * Stop every machnetd (SIGTERM: expect status 0), agent and machd, remove
 * the namespaces, and check that the module's port and space counts came
 * back to what they were before net_up.  false (diagnosed) if not.
 */
bool net_down(void);

/* Start ROLE with arguments (NULL-terminated) on host; its pid, or -1. */
pid_t net_start(int host, const char *role, ...) __attribute__((sentinel));

/* Wait for a process started on host: exit code, 128 + signal, or -1 (timed out, killed). */
int net_wait(int host, pid_t pid, unsigned int timeout_ms);

/* Run ROLE on host and expect exit 0 within timeout_ms (diagnosed). */
bool net_run_ok(int host, unsigned int timeout_ms, const char *role, ...)
	__attribute__((sentinel));

/* kill -SIG host's machnetd and reap it; its wait status code. */
int net_machnetd_kill(int host, int sig);
/* Start host's machnetd again (after net_machnetd_kill); false on failure. */
bool net_machnetd_start(int host);
pid_t net_machnetd_pid(int host);

/* The machnetd log of host (its stderr), and whether it has a line with all of words. */
const char *net_log_path(int host);
bool net_log_has(int host, const char *word1, const char *word2);
/* Print a host's machnetd log as diagnostics. */
void net_log_dump(int host);

/* Path of a file of the test certificates (selftests/net-certs/). */
const char *net_cert(const char *file);
/* Address of host as seen from peer (its end of their veth pair). */
const char *net_addr(int host, int peer);

/* The module's live port count (GET_STATS), or -1. */
long long net_port_count(void);

/* --- inside roles -------------------------------------------------------- */

/* A role returns its exit code: these return 1 from it on failure. */
#define assert_kr_ret(expected, actual, desc) \
	do { if (!expect_kr(expected, actual, desc)) return 1; } while (0)
#define assert_true_ret(cond, desc) \
	do { if (!expect_true(cond, desc)) return 1; } while (0)

/* This host's index in a role process. */
int net_self(void);

/* machnetd's service port on this host, retrying up to timeout_ms; NULL port on failure. */
mach_port_t net_server(unsigned int timeout_ms);

/*
 * netname_look_up(host, name) retried until it succeeds or timeout_ms passes
 * (peers connect and names travel asynchronously); the last code in *kr.
 */
mach_port_t net_look_up_wait(mach_port_t server, const char *host, const char *name,
			     unsigned int timeout_ms, kern_return_t *kr);

/* Cross-host rendezvous through files: post a named event, wait for one. */
void net_post(const char *event);
bool net_await(const char *event, unsigned int timeout_ms);

/* Scale a count down on the debug kernels (KASAN, lockdep under TCG). */
unsigned int net_scaled(unsigned int n);

#endif /* NET_UTIL_H */
