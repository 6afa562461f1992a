// SPDX-License-Identifier: GPL-2.0
/*
 * net_util.c - hosts for machnetd's tests (see net_util.h).
 *
 * The test process talks to each host's agent over two pipes, one line
 * per request and one per answer:
 *   run LOG ARG...   start ARG... (LOG: a file for its output, or "-" for
 *                    the test's own stdout, fd 3 in the agent); -> pid
 *   wait PID MS      -> exit code, 128 + signal, -1 timed out (killed)
 *   kill PID SIG     -> 0 or -errno
 *   exit             -> 0, and the agent exits (so does its machd)
 * Namespaces and veth pairs are made with busybox's ip and nsenter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bootstrap.h>

#include "mach_test.h"
#include "net_util.h"
#include "nl_util.h"

#define MACHD_PATH	"/usr/sbin/machd"
#define MACHNETD_PATH	"/usr/sbin/machnetd"
#define AGENT_WAIT_MS	20000

const char *const net_host_name[NET_MAX_HOSTS] = { "alpha", "bravo", "charlie" };

struct host {
	pid_t	holder;		/* keeps the namespace alive */
	pid_t	machd;		/* its private machd (the agent's parent) */
	pid_t	machnetd;	/* started by the agent */
	int	cmd;		/* to the agent */
	int	rsp;		/* from the agent */
};

static struct host hosts[NET_MAX_HOSTS];
static int nhosts;
static char dir[128];		/* /tmp/net-PID: configs, logs, events */
static char self_exe[PATH_MAX];
static long long base_ports = -1;

/* --- small helpers ---------------------------------------------------------- */

static const char *net_dir(void)
{
	const char *d = getenv("NET_DIR");

	return d ? d : dir;
}

/* Run a shell command line; true if it exited 0 (diagnosed otherwise). */
static bool sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(NULL);
	st = system(cmd);
	if (st == 0)
		return true;
	mt_diag("command failed (status %d): %s", st, cmd);
	return false;
}

/* Pair index (1..3) of hosts a and b, and whether a is its first end. */
static int pair_of(int a, int b, bool *first)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	*first = a == lo;
	return lo == 0 ? hi : 3;
}

const char *net_addr(int host, int peer)
{
	static char buf[4][32];
	static int k;
	bool first;
	int p = pair_of(host, peer, &first);
	char *s = buf[k++ & 3];

	snprintf(s, sizeof(buf[0]), "10.77.%d.%d", p, first ? 1 : 2);
	return s;
}

const char *net_cert(const char *file)
{
	static char buf[8][PATH_MAX];
	static int k;
	char exe[PATH_MAX - 64], *s = buf[k++ & 7], *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		n = 0;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(s, PATH_MAX, "%s/net-certs/%s", exe, file);
	return s;
}

const char *net_log_path(int host)
{
	static char buf[NET_MAX_HOSTS][160];

	snprintf(buf[host], sizeof(buf[0]), "%s/%s.machnetd.log", net_dir(),
		 net_host_name[host]);
	return buf[host];
}

bool net_log_has(int host, const char *w1, const char *w2)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(net_log_path(host), "r");

	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, w1) && (w2 == NULL || strstr(line, w2));
	fclose(f);
	return found;
}

void net_log_dump(int host)
{
	char line[1024];
	FILE *f = fopen(net_log_path(host), "r");

	mt_diag("--- %s's machnetd log ---", net_host_name[host]);
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		mt_diag("  %s", line);
	}
	fclose(f);
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_attrs t;

	nl_parse(nlh, &t);
	*(long long *)arg = (long long)nl_u64(t.a[MACH_NL_A_STAT_PORTS], (uint64_t)-1);
	return 1;
}

long long net_port_count(void)
{
	struct nl_sock nl;
	long long n = -1;

	if (nl_open(&nl) != 0)
		return -1;
	if (nl_request(&nl, MACH_NL_CMD_GET_STATS, false, NULL, stats_cb, &n, 0) != 0)
		n = -1;
	nl_close(&nl);
	return n;
}

unsigned int net_scaled(unsigned int n)
{
	const char *k = getenv("MACH_TEST_KERNEL");

	if (k && strncmp(k, "debug", 5) == 0)
		return n / 5 ? n / 5 : 1;
	return n;
}

/* --- the agent -------------------------------------------------------------- */

static pid_t agent_run(char *args)
{
	char *argv[32], *log, *save = NULL;
	int argc = 0, fd;
	pid_t pid;

	log = strtok_r(args, " ", &save);
	while (argc < 31 && (argv[argc] = strtok_r(NULL, " ", &save)) != NULL)
		argc++;
	argv[argc] = NULL;
	if (log == NULL || argc == 0)
		return -1;
	pid = mt_fork();
	if (pid != 0)
		return pid;
	if (strcmp(log, "-") == 0)
		fd = dup(3);
	else
		fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/dev/null", O_RDONLY);
	dup2(fd, 0);
	execv(argv[0], argv);
	fprintf(stderr, "# agent: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int agent(void)
{
	char line[1024];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		long long r = -1;
		int pid, a;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "run ", 4) == 0)
			r = agent_run(line + 4);
		else if (sscanf(line, "wait %d %d", &pid, &a) == 2)
			r = mt_wait(pid, (unsigned int)a);
		else if (sscanf(line, "kill %d %d", &pid, &a) == 2)
			r = kill(pid, a) == 0 ? 0 : -errno;
		else if (strcmp(line, "exit") == 0) {
			printf("0\n");
			return 0;
		}
		printf("%lld\n", r);
	}
	return 0;
}

/* One request to host's agent; its numeric answer, or LLONG_MIN if it is gone. */
static long long agent_cmd(int host, unsigned int timeout_ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static long long agent_cmd(int host, unsigned int timeout_ms, const char *fmt, ...)
{
	struct host *h = &hosts[host];
	char buf[1024];
	struct pollfd p = { .fd = h->rsp, .events = POLLIN };
	va_list ap;
	size_t len = 0;
	int n;

	if (h->cmd < 0)
		return LLONG_MIN;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	if (write(h->cmd, buf, (size_t)n) != n) {
		mt_diag("%s's agent is gone", net_host_name[host]);
		return LLONG_MIN;
	}
	while (len < sizeof(buf) - 1) {
		if (poll(&p, 1, (int)timeout_ms) != 1) {
			mt_diag("%s's agent did not answer '%.*s'", net_host_name[host], n - 1, buf);
			return LLONG_MIN;
		}
		if (read(h->rsp, buf + len, 1) != 1)
			return LLONG_MIN;
		if (buf[len] == '\n')
			break;
		len++;
	}
	buf[len] = '\0';
	return strtoll(buf, NULL, 10);
}

/* --- roles ---------------------------------------------------------------- */

int net_self(void)
{
	const char *h = getenv("NET_HOST");

	return h ? atoi(h) : -1;
}

static int role_ready(int argc, char **argv)
{
	mach_port_t s = net_server(20000);
	char version[80] = "";

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	if (!expect_kr(KERN_SUCCESS, netname_version(s, version), "netname_version"))
		return 1;
	mach_port_deallocate(mach_task_self(), s);
	return 0;
}

int net_role_main(int argc, char **argv, const struct net_role *roles, int nroles)
{
	int i, rc;

	if (argc < 3 || strcmp(argv[1], "--net-role") != 0)
		return -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[2], "agent") == 0)
		return agent();
	if (strcmp(argv[2], "ready") == 0)
		return role_ready(argc - 2, argv + 2);
	for (i = 0; i < nroles; i++) {
		if (strcmp(argv[2], roles[i].name) == 0) {
			rc = roles[i].fn(argc - 2, argv + 2);
			return mt_failed && rc == 0 ? 1 : rc;
		}
	}
	mt_diag("no role %s", argv[2]);
	return 2;
}

mach_port_t net_server(unsigned int timeout_ms)
{
	uint64_t end = mt_now_ms() + timeout_ms;
	mach_port_t s = MACH_PORT_NULL;
	kern_return_t kr;

	for (;;) {
		kr = netname_server_port(&s);
		if (kr == KERN_SUCCESS)
			return s;
		if (mt_now_ms() >= end)
			break;
		mt_sleep_ms(50);
	}
	mt_diag("netname_server_port on %s: %s (%d)", net_host_name[net_self()],
		mach_error_string(kr), kr);
	mt_failed = true;
	return MACH_PORT_NULL;
}

mach_port_t net_look_up_wait(mach_port_t server, const char *host, const char *name,
			     unsigned int timeout_ms, kern_return_t *kr)
{
	uint64_t end = mt_now_ms() + timeout_ms;
	mach_port_t p = MACH_PORT_NULL;

	for (;;) {
		*kr = netname_look_up(server, host, name, &p);
		if (*kr == NETNAME_SUCCESS || mt_now_ms() >= end)
			return *kr == NETNAME_SUCCESS ? p : MACH_PORT_NULL;
		mt_sleep_ms(50);
	}
}

void net_post(const char *event)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/ev.%s", net_dir(), event);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

bool net_await(const char *event, unsigned int timeout_ms)
{
	char path[256];
	uint64_t end = mt_now_ms() + timeout_ms;

	snprintf(path, sizeof(path), "%s/ev.%s", net_dir(), event);
	while (access(path, F_OK) != 0) {
		if (mt_now_ms() >= end) {
			mt_diag("event %s did not come within %u ms", event, timeout_ms);
			return false;
		}
		mt_sleep_ms(20);
	}
	return true;
}

/* --- the test process's side ------------------------------------------------ */

static pid_t start_holder(void)
{
	int p[2];
	char c = 0;
	pid_t pid;

	if (pipe(p) < 0)
		return -1;
	pid = mt_fork();
	if (pid == 0) {
		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		c = unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
		if (c == 'n')
			fprintf(stdout, "# unshare(CLONE_NEWNET): %s\n", strerror(errno));
		(void)!write(p[1], &c, 1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1 || c != 'y') {
		close(p[0]);
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		return -1;
	}
	close(p[0]);
	return pid;
}

/* --- veth pairs over rtnetlink (busybox's ip cannot name a veth peer) --------- */

static struct rtattr *nl_add(struct nlmsghdr *n, unsigned short type, const void *data,
			     size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	n->nlmsg_len = NLMSG_ALIGN(n->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nl_end(struct nlmsghdr *n, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)n + n->nlmsg_len - (char *)nest);
}

/* Make veth a in namespace fd na, its peer b in namespace fd nb. */
static bool veth_pair(const char *a, int na, const char *b, int nb)
{
	union {
		struct nlmsghdr	n;
		char		buf[1024];
	} req;
	struct nlmsghdr *n = &req.n;
	struct ifinfomsg *ifi;
	struct rtattr *info, *data, *peer;
	struct ifinfomsg pi;
	char ack[1024];
	struct nlmsgerr *e;
	uint32_t fd;
	int sock;
	ssize_t got;

	memset(&req, 0, sizeof(req));
	n->nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	n->nlmsg_type = RTM_NEWLINK;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	ifi = NLMSG_DATA(n);
	ifi->ifi_family = AF_UNSPEC;
	nl_add(n, IFLA_IFNAME, a, strlen(a) + 1);
	fd = (uint32_t)na;
	nl_add(n, IFLA_NET_NS_FD, &fd, sizeof(fd));
	info = nl_add(n, IFLA_LINKINFO, NULL, 0);
	nl_add(n, IFLA_INFO_KIND, "veth", 4);
	data = nl_add(n, IFLA_INFO_DATA, NULL, 0);
	peer = nl_add(n, VETH_INFO_PEER, NULL, 0);
	memset(&pi, 0, sizeof(pi));
	memcpy(req.buf + n->nlmsg_len, &pi, sizeof(pi));
	n->nlmsg_len += NLMSG_ALIGN(sizeof(pi));
	nl_add(n, IFLA_IFNAME, b, strlen(b) + 1);
	fd = (uint32_t)nb;
	nl_add(n, IFLA_NET_NS_FD, &fd, sizeof(fd));
	nl_end(n, peer);
	nl_end(n, data);
	nl_end(n, info);

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sock < 0)
		return false;
	if (send(sock, &req, n->nlmsg_len, 0) < 0) {
		close(sock);
		return false;
	}
	got = recv(sock, ack, sizeof(ack), 0);
	close(sock);
	e = NLMSG_DATA((struct nlmsghdr *)ack);
	if (got < (ssize_t)NLMSG_LENGTH(sizeof(*e)) ||
	    ((struct nlmsghdr *)ack)->nlmsg_type != NLMSG_ERROR || e->error != 0) {
		mt_diag("RTM_NEWLINK veth %s/%s: %s", a, b,
			got > 0 ? strerror(-e->error) : strerror(errno));
		return false;
	}
	return true;
}

static bool make_links(void)
{
	int a, b, fa, fb;
	char path[64];
	bool ok;

	for (a = 0; a < nhosts; a++) {
		if (!sh("nsenter -t %d -n ip link set lo up", (int)hosts[a].holder))
			return false;
	}
	for (a = 0; a < nhosts; a++) {
		for (b = a + 1; b < nhosts; b++) {
			char ea[16], eb[16];

			/* in a's namespace the link "to-<b>", and the other way */
			snprintf(ea, sizeof(ea), "to-%s", net_host_name[b]);
			snprintf(eb, sizeof(eb), "to-%s", net_host_name[a]);
			snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)hosts[a].holder);
			fa = open(path, O_RDONLY | O_CLOEXEC);
			snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)hosts[b].holder);
			fb = open(path, O_RDONLY | O_CLOEXEC);
			ok = fa >= 0 && fb >= 0 && veth_pair(ea, fa, eb, fb);
			if (fa >= 0)
				close(fa);
			if (fb >= 0)
				close(fb);
			if (!ok) {
				mt_diag("no veth pair: is veth built in or veth.ko loaded?");
				return false;
			}
			if (!sh("nsenter -t %d -n ip addr add %s/24 dev %s && nsenter -t %d -n ip link set %s up",
				(int)hosts[a].holder, net_addr(a, b), ea, (int)hosts[a].holder, ea) ||
			    !sh("nsenter -t %d -n ip addr add %s/24 dev %s && nsenter -t %d -n ip link set %s up",
				(int)hosts[b].holder, net_addr(b, a), eb, (int)hosts[b].holder, eb))
				return false;
		}
	}
	return true;
}

static bool write_config(int h, const struct net_opts *o)
{
	const char *cd = net_cert("");	/* the directory, ending in '/' */
	const char *cert = o->cert[h] ? o->cert[h] : net_host_name[h];
	char path[256];
	FILE *f;
	int p;

	snprintf(path, sizeof(path), "%s/%s.conf", dir, net_host_name[h]);
	f = fopen(path, "w");
	if (f == NULL)
		return false;
	fprintf(f, "# machnetd.conf of test host %s\n", net_host_name[h]);
	fprintf(f, "name %s\nlisten 0.0.0.0:%d\n", net_host_name[h], NET_PORT);
	fprintf(f, "cert %s%s.pem\nkey %s%s.key\nca %sca.pem\n", cd, cert, cd, cert, cd);
	for (p = 0; p < nhosts; p++)
		if (p != h)
			fprintf(f, "peer %s %s:%d\n", net_host_name[p], net_addr(p, h), NET_PORT);
	fprintf(f, "reconnect_max_ms 500\n");
	if (o->extra_conf)
		fprintf(f, "%s\n", o->extra_conf);
	return fclose(f) == 0;
}

static bool start_host(int h, const struct net_opts *o)
{
	struct host *x = &hosts[h];
	int cmd[2], rsp[2], ns, log;
	char path[256], nsp[64], hs[16];

	if (pipe2(cmd, O_CLOEXEC) < 0 || pipe2(rsp, O_CLOEXEC) < 0)
		return false;
	snprintf(nsp, sizeof(nsp), "/proc/%d/ns/net", (int)x->holder);
	snprintf(path, sizeof(path), "%s/%s.machd.log", dir, net_host_name[h]);
	x->machd = mt_fork();
	if (x->machd == 0) {
		ns = open(nsp, O_RDONLY);
		if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
			printf("# setns %s: %s\n", nsp, strerror(errno));
			_exit(127);
		}
		snprintf(hs, sizeof(hs), "%d", h);
		setenv("NET_DIR", dir, 1);
		setenv("NET_HOST", hs, 1);
		log = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
		dup2(1, 3);	/* the test's stdout, for the agent's children */
		dup2(cmd[0], 0);
		dup2(rsp[1], 1);
		if (log >= 0)
			dup2(log, 2);
		if (o->fallthrough)
			execl(MACHD_PATH, "machd", "-f", "-n", "-s", "--", self_exe,
			      "--net-role", "agent", (char *)NULL);
		else
			execl(MACHD_PATH, "machd", "-f", "-s", "--", self_exe,
			      "--net-role", "agent", (char *)NULL);
		printf("# cannot run %s: %s\n", MACHD_PATH, strerror(errno));
		_exit(127);
	}
	close(cmd[0]);
	close(rsp[1]);
	x->cmd = cmd[1];
	x->rsp = rsp[0];
	if (x->machd < 0)
		return false;
	return net_machnetd_start(h);
}

static bool up(const struct net_opts *o)
{
	ssize_t n;
	int h;

	nhosts = o->nhosts;
	for (h = 0; h < NET_MAX_HOSTS; h++)
		hosts[h] = (struct host){ .holder = -1, .machd = -1, .machnetd = -1,
					  .cmd = -1, .rsp = -1 };
	signal(SIGPIPE, SIG_IGN);
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return false;
	self_exe[n] = '\0';
	snprintf(dir, sizeof(dir), "/tmp/net-%d", (int)getpid());
	mkdir(dir, 0755);
	base_ports = net_port_count();
	if (base_ports < 0)
		mt_diag("cannot read the module's port count (GET_STATS)");
	if (access(MACHNETD_PATH, X_OK) != 0 || access(MACHD_PATH, X_OK) != 0) {
		mt_diag("%s or %s is missing from this system", MACHNETD_PATH, MACHD_PATH);
		return false;
	}
	if (access(net_cert("ca.pem"), R_OK) != 0) {
		mt_diag("no test certificates at %s", net_cert("ca.pem"));
		return false;
	}
	for (h = 0; h < nhosts; h++) {
		hosts[h].holder = start_holder();
		if (hosts[h].holder < 0) {
			mt_diag("cannot make %s's network namespace", net_host_name[h]);
			return false;
		}
	}
	if (!make_links())
		return false;
	for (h = 0; h < nhosts; h++)
		if (!write_config(h, o))
			return false;
	for (h = 0; h < nhosts; h++)
		if (!start_host(h, o))
			return false;
	for (h = 0; h < nhosts; h++) {
		if (!net_run_ok(h, 30000, "ready", NULL)) {
			net_log_dump(h);
			return false;
		}
	}
	return true;
}

bool net_up(const struct net_opts *o)
{
	if (up(o))
		return true;
	/* a case whose hosts did not come up has failed, whatever else it checks */
	mt_fail_at(__FILE__, __LINE__, "the test hosts did not come up");
	return false;
}

pid_t net_machnetd_pid(int host)
{
	return hosts[host].machnetd;
}

bool net_machnetd_start(int h)
{
	long long pid = agent_cmd(h, AGENT_WAIT_MS, "run %s %s -f -c %s/%s.conf",
				  net_log_path(h), MACHNETD_PATH, dir, net_host_name[h]);

	hosts[h].machnetd = pid > 0 ? (pid_t)pid : -1;
	if (pid <= 0)
		mt_diag("cannot start %s's machnetd", net_host_name[h]);
	return pid > 0;
}

int net_machnetd_kill(int h, int sig)
{
	long long r;

	if (hosts[h].machnetd <= 0)
		return -1;
	agent_cmd(h, AGENT_WAIT_MS, "kill %d %d", (int)hosts[h].machnetd, sig);
	r = agent_cmd(h, 30000, "wait %d 15000", (int)hosts[h].machnetd);
	hosts[h].machnetd = -1;
	return r == LLONG_MIN ? -1 : (int)r;
}

static pid_t vstart(int host, const char *role, va_list ap)
{
	char line[1024];
	const char *a;
	long long pid;
	int n;

	n = snprintf(line, sizeof(line), "run - %s --net-role %s", self_exe, role);
	while ((a = va_arg(ap, const char *)) != NULL && n < (int)sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s", a);
	pid = agent_cmd(host, AGENT_WAIT_MS, "%s", line);
	return pid > 0 ? (pid_t)pid : -1;
}

pid_t net_start(int host, const char *role, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, role);
	pid = vstart(host, role, ap);
	va_end(ap);
	return pid;
}

int net_wait(int host, pid_t pid, unsigned int timeout_ms)
{
	long long r = agent_cmd(host, timeout_ms + 20000, "wait %d %u", (int)pid, timeout_ms);

	return r == LLONG_MIN ? -1 : (int)r;
}

bool net_run_ok(int host, unsigned int timeout_ms, const char *role, ...)
{
	va_list ap;
	pid_t pid;
	int code;

	va_start(ap, role);
	pid = vstart(host, role, ap);
	va_end(ap);
	if (pid < 0) {
		mt_fail_at(__FILE__, __LINE__, "cannot start %s on %s", role, net_host_name[host]);
		return false;
	}
	code = net_wait(host, pid, timeout_ms);
	if (code == 0)
		return true;
	mt_fail_at(__FILE__, __LINE__, "%s on %s: %s %d", role, net_host_name[host],
		   code < 0 ? "timed out after ms" : "exit status",
		   code < 0 ? (int)timeout_ms : code);
	return false;
}

bool net_down(void)
{
	bool ok = true;
	long long now = -1;
	uint64_t end;
	int h, code;

	for (h = 0; h < nhosts; h++) {
		if (hosts[h].machnetd > 0) {
			code = net_machnetd_kill(h, SIGTERM);
			if (code != 0) {
				mt_fail_at(__FILE__, __LINE__, "%s's machnetd: status %d after SIGTERM",
					   net_host_name[h], code);
				net_log_dump(h);
				ok = false;
			}
		}
		if (hosts[h].cmd >= 0) {
			agent_cmd(h, AGENT_WAIT_MS, "exit");
			close(hosts[h].cmd);
			close(hosts[h].rsp);
			hosts[h].cmd = hosts[h].rsp = -1;
		}
		if (hosts[h].machd > 0) {
			code = mt_wait(hosts[h].machd, 10000);
			if (code != 0) {
				mt_fail_at(__FILE__, __LINE__, "%s's machd -s: status %d",
					   net_host_name[h], code);
				ok = false;
			}
			hosts[h].machd = -1;
		}
	}
	for (h = 0; h < nhosts; h++) {
		if (hosts[h].holder > 0) {
			kill(hosts[h].holder, SIGKILL);
			waitpid(hosts[h].holder, NULL, 0);
			hosts[h].holder = -1;
		}
	}
	/* Spaces go when their last descriptor closes; give exits a moment. */
	end = mt_now_ms() + 10000;
	while (base_ports >= 0 && (now = net_port_count()) != base_ports && mt_now_ms() < end)
		mt_sleep_ms(50);
	if (base_ports >= 0 && now != base_ports) {
		mt_fail_at(__FILE__, __LINE__, "ports: %lld before the hosts came up, %lld after",
			   base_ports, now);
		sh("lsmp -a | sed 's/^/# /'");
		ok = false;
	}
	if (ok)
		sh("rm -rf %s", dir);
	nhosts = 0;
	return ok;
}
