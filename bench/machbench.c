// SPDX-License-Identifier: GPL-2.0
/*
 * machbench - Mach IPC against the Linux IPC mechanisms, in one process run.
 *
 * This file is the command line, the measurement loop and the output (the
 * table, the CSV, the targets); the mechanisms are in mech_*.c and the
 * name-table and memory rows in scale.c.
 *
 * Every row is a client (the main thread) and a server (a second thread,
 * or a forked process for binder and pipe-proc), both pinned: to the same
 * CPU ("same" mode) or to two CPUs ("cross").  A row's figure is the time
 * of one operation, averaged over N iterations; it is measured R times and
 * reported as the median and the p10..p90 spread of those R runs, and as a
 * ratio to the pipe row of the same size and mode, measured in the same
 * process run.
 *
 * What one operation is:
 *  - round-trip rows ("rt"): the client sends SIZE bytes and waits for a
 *    minimal answer (a header-only Mach reply, one byte on a pipe or
 *    socket, an empty SysV/POSIX message or binder reply, a futex wake);
 *  - one-way rows ("1way"): the client streams messages of SIZE bytes
 *    through a queue; the figure is the time per message;
 *  - memory rows ("mem"): kernel bytes per port or per queued message;
 *  - floor rows ("call"): one system call or bare ioctl, nothing to do.
 * Size 0 is the smallest message a mechanism has (one byte for streams).
 *
 * Usage: machbench [-n ITER] [-r RUNS] [-m MECH,...] [-s SIZE,...]
 *                  [--modes same,cross] [--csv PATH] [--label TEXT]
 */
#include "machbench.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS	1000

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("machbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	_exit(2);
}


void *xalloc(size_t n)
{
	void *p;

	if (posix_memalign(&p, 4096, n ? n : 1))
		die("out of memory");
	memset(p, 0x5a, n);
	return p;
}

/* ------------------------------------------------------------------ */
/* CPU pinning                                                          */

static int cpu_a = -1, cpu_b = -1;

static void pick_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity: %s", strerror(errno));
	for (int i = 0; i < CPU_SETSIZE; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		if (cpu_a < 0)
			cpu_a = i;
		else if (cpu_b < 0)
			cpu_b = i;
	}
}

void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))	/* 0: this thread */
		die("sched_setaffinity(%d): %s", cpu, strerror(errno));
}

long read_proc_long(const char *path, long dflt)
{
	FILE *f = fopen(path, "r");
	long v = dflt;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = dflt;
		fclose(f);
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* The table of mechanisms                                              */

const size_t sz_all[] = { 0, 64, KIB, 4 * KIB, 64 * KIB, MIB, END };
const size_t sz_msgq[] = { 0, 64, KIB, 4 * KIB, 64 * KIB, END };
/* 256 B and 1 KiB: the small arrays MIG sends out of line */
const size_t sz_ool[] = { 256, KIB, 4 * KIB, 64 * KIB, MIB, END };
const size_t sz_64[] = { 64, END };
const size_t sz_none[] = { END };

static const struct mech *const mechs[] = {
	&mech_pipe, &mech_socket, &mech_futex, &mech_sysv, &mech_sysv1, &mech_pmq,
	&mech_mach_rpc, &mech_mach_oneway, &mech_mach_ool, &mech_mach_ool_touch,
	&mech_mach_pset, &mech_pipe_proc, &mech_mach_rpc_proc, &mech_binder, &mech_names,
	&mech_mem, &mech_null_syscall, &mech_mach_null, &mech_mach_rpc_epoll, &mech_mach_shm,
};
#define NMECH	(sizeof(mechs) / sizeof(mechs[0]))

/* ------------------------------------------------------------------ */
/* Measurement                                                          */

static struct row *rows;
static size_t nrows, cap_rows;

struct row *new_row(void)
{
	if (nrows == cap_rows) {
		cap_rows = cap_rows ? 2 * cap_rows : 64;
		rows = realloc(rows, cap_rows * sizeof(*rows));
		if (!rows)
			die("out of memory");
	}
	memset(&rows[nrows], 0, sizeof(rows[0]));
	return &rows[nrows++];
}

static long opt_iters = 1000;
static int opt_runs = 7;
static const char *opt_csv;
static const char *opt_label = "wall";
bool opt_quiet;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *server_main(void *arg)
{
	struct ctx *c = arg;

	pin(c->server_cpu);
	c->m->server(c);
	return NULL;
}

/* Fewer iterations for the big sizes: the copy dominates them. */
static long iters_for(size_t size)
{
	long n = opt_iters;

	if (size >= MIB)
		n /= 32;
	else if (size >= 64 * KIB)
		n /= 4;
	return n < 10 ? 10 : n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Linear interpolation between closest ranks. */
static double pct(const double *v, int n, double p)
{
	double pos = p * (n - 1);
	int lo = (int)pos;

	if (lo >= n - 1)
		return v[n - 1];
	return v[lo] + (pos - lo) * (v[lo + 1] - v[lo]);
}

static void measure(const struct mech *m, const char *mode, int server_cpu, size_t size,
		    unsigned int variant)
{
	struct ctx c = { .m = m, .size = size, .variant = variant, .server_cpu = server_cpu,
			 .fd = { -1, -1, -1, -1 } };
	struct row *r = new_row();
	double v[MAX_RUNS];
	pthread_t th;
	int rc;

	snprintf(r->mode, sizeof(r->mode), "%s", mode);
	if (variant)
		snprintf(r->mech, sizeof(r->mech), "%s-%u", m->name, variant);
	else
		snprintf(r->mech, sizeof(r->mech), "%s", m->name);
	r->kind = m->kind;
	r->size = size;
	r->iters = iters_for(size);
	r->runs = opt_runs;

	if (m->mach && access("/dev/mach", R_OK | W_OK)) {
		snprintf(r->note, sizeof(r->note), "skipped: no /dev/mach (load mach.ko)");
		return;
	}
	/* Client buffer: header + payload; OOL payload starts at 4096. */
	c.cbuf_len = 4096 + (size > 4096 ? size : 4096) + 4096;
	c.sbuf_len = c.cbuf_len;
	c.cbuf = xalloc(c.cbuf_len);
	c.sbuf = xalloc(c.sbuf_len);

	rc = m->setup(&c);
	if (rc) {
		snprintf(r->note, sizeof(r->note), "skipped: %s", c.note);
		goto out;
	}
	if (m->server) {
		rc = pthread_create(&th, NULL, server_main, &c);
		if (rc)
			die("pthread_create: %s", strerror(rc));
	}

	m->client(&c, r->iters / 10 > 0 ? r->iters / 10 : 1);	/* warm-up */
	for (int i = 0; i < opt_runs; i++) {
		uint64_t t0 = now_ns();

		m->client(&c, r->iters);
		v[i] = (double)(now_ns() - t0) / (double)r->iters;
	}
	m->stop(&c);
	if (m->server)
		pthread_join(th, NULL);
	m->teardown(&c);

	qsort(v, (size_t)opt_runs, sizeof(v[0]), cmp_double);
	r->med = pct(v, opt_runs, 0.5);
	r->p10 = pct(v, opt_runs, 0.1);
	r->p90 = pct(v, opt_runs, 0.9);
out:
	free(c.cbuf);
	free(c.sbuf);
	if (!opt_quiet)
		fprintf(stderr, "  %-5s %-18s %8zu  %s\n", r->mode, r->mech, r->size,
			r->note[0] ? r->note : "done");
}

/*
 * Run one measurement in a forked child, which gets an IPC space of its own
 * (libmach opens /dev/mach again after fork), and take the rows it adds.
 */
struct job {
	const struct mech *m;
	const char *mode;
	int server_cpu;
	size_t size;
	unsigned int variant;
};

static void run_job(const struct job *j)
{
	if (!strcmp(j->m->kind, "mem"))
		mem_rows();
	else
		measure(j->m, j->mode, j->server_cpu, j->size, j->variant);
}

static void in_fresh_space(const struct job *j)
{
	size_t first = nrows;
	struct row r;
	int p[2], st;
	pid_t pid;

	if (pipe(p))
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		close(p[0]);
		run_job(j);
		/* struct row holds only a pointer to a string literal, which
		 * has the same address in the parent. */
		for (size_t i = first; i < nrows; i++)
			if (write(p[1], &rows[i], sizeof(rows[i])) != sizeof(rows[i]))
				die("pipe: %s", strerror(errno));
		fflush(NULL);
		_exit(0);
	}
	close(p[1]);
	while (read(p[0], &r, sizeof(r)) == sizeof(r))
		*new_row() = r;
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("%s: its process failed (status 0x%x)", j->m->name, st);
}

static void run(const struct job *j)
{
	if (j->m->fresh_space)
		in_fresh_space(j);
	else
		run_job(j);
}

const struct row *find_row(const char *mode, const char *mech, size_t size)
{
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].mode, mode) && !strcmp(rows[i].mech, mech) &&
		    rows[i].size == size && rows[i].med > 0)
			return &rows[i];
	return NULL;
}

static void compute_ratios(void)
{
	for (size_t i = 0; i < nrows; i++) {
		const struct row *p = find_row(rows[i].mode, "pipe", rows[i].size);

		if (p && rows[i].med > 0)
			rows[i].ratio = rows[i].med / p->med;
	}
}

static void fmt_size(char *buf, size_t n, size_t size)
{
	if (size >= MIB && size % MIB == 0)
		snprintf(buf, n, "%zuM", size / MIB);
	else if (size >= KIB && size % KIB == 0)
		snprintf(buf, n, "%zuK", size / KIB);
	else
		snprintf(buf, n, "%zu", size);
}

static void print_table(void)
{
	int header = 0;

	printf("%-5s %-18s %-4s %6s %6s %12s %12s %12s %8s\n", "mode", "mechanism", "kind",
	       "size", "iters", "median_ns", "p10_ns", "p90_ns", "x_pipe");
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		char s[32];

		if (!strcmp(r->kind, "mem"))
			continue;	/* not ns: a section of their own */
		fmt_size(s, sizeof(s), r->size);
		if (r->note[0]) {
			printf("%-5s %-18s %-4s %6s %6s  %s\n", r->mode, r->mech, r->kind, s, "-",
			       r->note);
			continue;
		}
		printf("%-5s %-18s %-4s %6s %6ld %12.0f %12.0f %12.0f ", r->mode, r->mech,
		       r->kind, s, r->iters, r->med, r->p10, r->p90);
		if (r->ratio > 0)
			printf("%8.2f\n", r->ratio);
		else
			printf("%8s\n", "-");
	}
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		if (strcmp(r->kind, "mem"))
			continue;
		if (!header++)
			printf("\nkernel memory (growth of Slab in /proc/meminfo per object):\n");
		if (r->note[0])
			printf("  %-10s %s\n", r->mech, r->note);
		else
			printf("  %-10s %6.0f bytes  (%s)\n", r->mech, r->med, r->info);
	}
}

static void write_csv(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;

	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "clock,mode,mechanism,kind,size,iters,runs,median_ns,p10_ns,p90_ns,ratio_to_pipe,note\n");
	for (size_t i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "%s,%s,%s,%s,%zu,%ld,%d,", opt_label, r->mode, r->mech, r->kind,
			r->size, r->iters, r->runs);
		if (r->note[0])
			fprintf(f, ",,,,\"%s\"\n", r->note);
		else if (!strcmp(r->kind, "mem"))	/* bytes, not ns */
			fprintf(f, "%.0f,,,,\"bytes per object; %s\"\n", r->med, r->info);
		else if (r->ratio > 0)
			fprintf(f, "%.0f,%.0f,%.0f,%.3f,\n", r->med, r->p10, r->p90, r->ratio);
		else
			fprintf(f, "%.0f,%.0f,%.0f,,\n", r->med, r->p10, r->p90);
	}
	if (f != stdout && fclose(f))
		die("%s: %s", path, strerror(errno));
}

/* The project's targets, checked against this run's rows. */
static void target(const char *mode, const char *what, const struct row *a,
		   const struct row *b, double want, bool le)
{
	double x;

	if (!a || !b) {
		printf("  %-5s %-58s n/a (rows missing)\n", mode, what);
		return;
	}
	x = a->med / b->med;
	printf("  %-5s %-58s %6.2f  (target %s %.2f)  %s\n", mode, what, x, le ? "<=" : ">=",
	       want, (le ? x <= want : x >= want) ? "MET" : "NOT MET");
}

static void target_abs(const char *mode, const char *what, const struct row *a, double max)
{
	if (!a) {
		printf("  %-5s %-58s n/a (row missing)\n", mode, what);
		return;
	}
	printf("  %-5s %-58s %6.0f  (target <= %.0f)  %s\n", mode, what, a->med, max,
	       a->med <= max ? "MET" : "NOT MET");
}

static void compare(const char *mode, const char *what, const struct row *a,
		    const struct row *b)
{
	if (a && b)
		printf("  %-5s %-58s %6.2f  (no target)\n", mode, what, a->med / b->med);
}

static void print_targets(const char *mode)
{
	/* issue #17: Mach RPC ahead of every Linux message mechanism */
	target(mode, "mach-rpc 64 B / sysv 64 B (round trip)",
	       find_row(mode, "mach-rpc", 64), find_row(mode, "sysv", 64), 1.0, true);
	target(mode, "mach-oneway 64 B / sysv-oneway 64 B (per message)",
	       find_row(mode, "mach-oneway", 64), find_row(mode, "sysv-oneway", 64), 1.35, true);
	target(mode, "mach-ool 4 KiB / pipe 4 KiB (round trip)",
	       find_row(mode, "mach-ool", 4 * KIB), find_row(mode, "pipe", 4 * KIB), 1.30, true);
	target(mode, "mach-ool 64 KiB / pipe 64 KiB (round trip)",
	       find_row(mode, "mach-ool", 64 * KIB), find_row(mode, "pipe", 64 * KIB), 0.70, true);
	target(mode, "mach-rpc-proc 64 B / pipe-proc 64 B (round trip)",
	       find_row(mode, "mach-rpc-proc", 64), find_row(mode, "pipe-proc", 64), 1.0, true);
	target(mode, "mach-rpc-proc 64 B / binder 64 B (round trip)",
	       find_row(mode, "mach-rpc-proc", 64), find_row(mode, "binder", 64), 0.55, true);
	target(mode, "mach-pset-10000 / mach-rpc (64 B round trip)",
	       find_row(mode, "mach-pset-10000", 64), find_row(mode, "mach-rpc", 64), 1.05, true);
	target_abs(mode, "kernel bytes per port (send right in another space)",
		   find_row(mode, "mem-port", 0), 160);
	target_abs(mode, "kernel bytes per queued 64 B message",
		   find_row(mode, "mem-msg", 64), 256);
	/* the earlier rounds' targets */
	target(mode, "mach-rpc 64 B / pipe 64 B (round trip)",
	       find_row(mode, "mach-rpc", 64), find_row(mode, "pipe", 64), 0.8, true);
	target(mode, "pipe 1 MiB / mach-ool 1 MiB (speed-up of OOL)",
	       find_row(mode, "pipe", MIB), find_row(mode, "mach-ool", MIB), 2.0, false);
	target(mode, "mach-pset-10000 / mach-pset-1 (64 B round trip)",
	       find_row(mode, "mach-pset-10000", 64), find_row(mode, "mach-pset-1", 64), 1.1,
	       true);
	target(mode, "mach-names-100000 / mach-names-10 (64 B round trip)",
	       find_row(mode, "mach-names-100000", 64), find_row(mode, "mach-names-10", 64), 1.1,
	       true);
	target(mode, "mach-rpc-epoll 64 B / mach-rpc 64 B (server in epoll_wait)",
	       find_row(mode, "mach-rpc-epoll", 64), find_row(mode, "mach-rpc", 64), 1.15,
	       true);
	compare(mode, "mach-shm 1 MiB / mach-ool 1 MiB (memory entry vs OOL)",
		find_row(mode, "mach-shm", MIB), find_row(mode, "mach-ool", MIB));
	/* No target: binder is the other kernel RPC on Linux, for reference. */
	compare(mode, "mach-rpc 64 B / binder 64 B (round trip)",
		find_row(mode, "mach-rpc", 64), find_row(mode, "binder", 64));
}

/* ------------------------------------------------------------------ */

static bool in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static bool size_wanted(const char *list, size_t size)
{
	char s[32];

	if (!list)
		return true;
	fmt_size(s, sizeof(s), size);
	if (in_list(list, s))
		return true;
	snprintf(s, sizeof(s), "%zu", size);
	return in_list(list, s);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: machbench [options]\n"
		"  -n, --iterations N   iterations per run (default 1000; /4 at 64K, /32 at 1M)\n"
		"  -r, --runs R         runs per row; median and p10..p90 over them (default 7)\n"
		"  -m, --mech LIST      mechanisms, comma-separated (default: all)\n"
		"  -s, --sizes LIST     sizes, e.g. 0,64,1K,4K,64K,1M (default: all)\n"
		"      --modes LIST     same,cross (default: both; cross needs 2 CPUs)\n"
		"      --csv PATH       also write the rows as CSV (\"-\": stdout)\n"
		"      --label TEXT     the CSV's clock column (default \"wall\")\n"
		"  -q, --quiet          no progress lines on stderr\n"
		"mechanisms:\n");
	for (size_t i = 0; i < NMECH; i++)
		fprintf(f, "  %-12s %-4s %s\n", mechs[i]->name, mechs[i]->kind, mechs[i]->what);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "iterations", required_argument, NULL, 'n' },
		{ "runs", required_argument, NULL, 'r' },
		{ "mech", required_argument, NULL, 'm' },
		{ "sizes", required_argument, NULL, 's' },
		{ "modes", required_argument, NULL, 'M' },
		{ "csv", required_argument, NULL, 'c' },
		{ "label", required_argument, NULL, 'L' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *mech_list = NULL, *size_list = NULL, *modes = "same,cross";
	struct utsname u;
	bool no_mach;
	int o;

	while ((o = getopt_long(argc, argv, "n:r:m:s:qh", lo, NULL)) != -1) {
		switch (o) {
		case 'n': opt_iters = strtol(optarg, NULL, 0); break;
		case 'r': opt_runs = (int)strtol(optarg, NULL, 0); break;
		case 'm': mech_list = optarg; break;
		case 's': size_list = optarg; break;
		case 'M': modes = optarg; break;
		case 'c': opt_csv = optarg; break;
		case 'L': opt_label = optarg; break;
		case 'q': opt_quiet = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || opt_iters < 1 || opt_runs < 1 || opt_runs > MAX_RUNS) {
		usage(stderr);
		return 2;
	}
	for (const char *p = mech_list; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		bool ok = false;

		for (size_t i = 0; i < NMECH; i++)
			ok |= strlen(mechs[i]->name) == len && !strncmp(p, mechs[i]->name, len);
		if (!ok)
			die("unknown mechanism '%.*s' (see --help)", (int)len, p);
		p = e ? e + 1 : NULL;
	}

	pick_cpus();
	pin(cpu_a);
	uname(&u);
	printf("# machbench: %s %s, clock %s, %ld CPUs online, client CPU %d, cross-mode server CPU %d\n",
	       u.sysname, u.release, opt_label, sysconf(_SC_NPROCESSORS_ONLN), cpu_a, cpu_b);
	printf("# %d runs per row of N iterations (N=%ld; N/4 at 64K, N/32 at 1M, at least 10);"
	       " ns per operation; rt = send SIZE + minimal answer, 1way = per message streamed\n",
	       opt_runs, opt_iters);
	if (!binder_path())
		printf("# binder: skipped (no /dev/binder or binderfs)\n");
	no_mach = access("/dev/mach", R_OK | W_OK) != 0;
	if (no_mach)
		printf("# mach: skipped (no /dev/mach; load mach.ko)\n");
	fflush(stdout);

	for (int pass = 0; pass < 2; pass++) {
		const char *mode = pass ? "cross" : "same";
		int scpu = pass ? cpu_b : cpu_a;

		if (!in_list(modes, mode))
			continue;
		if (scpu < 0) {
			printf("# cross: skipped (only one CPU available)\n");
			continue;
		}
		for (size_t i = 0; i < NMECH; i++) {
			const struct mech *m = mechs[i];

			if (mech_list && !in_list(mech_list, m->name))
				continue;
			if (m->mach && no_mach)
				continue;	/* noted in the header */
			if (!mech_list && !strcmp(m->name, "binder") && !binder_path())
				continue;	/* noted in the header */
			/* Memory does not depend on the mode: measured once. */
			if (!strcmp(m->kind, "mem")) {
				if (pass == 0)
					run(&(struct job){ .m = m, .mode = mode });
				continue;
			}
			for (const size_t *s = m->sizes; *s != END; s++) {
				struct job j = { .m = m, .mode = mode, .server_cpu = scpu,
						 .size = *s };

				if (!size_wanted(size_list, *s))
					continue;
				if (!m->variants) {
					run(&j);
					continue;
				}
				for (const unsigned int *v = m->variants; *v; v++) {
					j.variant = *v;
					run(&j);
				}
			}
		}
	}
	compute_ratios();
	print_table();
	printf("\ntargets (ratios of medians, this run):\n");
	for (int pass = 0; pass < 2; pass++) {
		const char *mode = pass ? "cross" : "same";

		if (in_list(modes, mode) && (pass == 0 || cpu_b >= 0))
			print_targets(mode);
	}
	if (opt_csv)
		write_csv(opt_csv);
	return 0;
}
