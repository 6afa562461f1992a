// SPDX-License-Identifier: GPL-2.0
/*
 * kcov_fuzz - coverage-guided fuzzing of mach.ko (make fuzz).
 *
 *   kcov_fuzz [-t SECONDS] [-s SEED] [-o OUTDIR] CORPUS_DIR...
 *   kcov_fuzz --record -o OUTDIR CORPUS_DIR...
 *
 * Needs a mach.ko built with KCOV_INSTRUMENT (Kbuild's MACH_KCOV=1), a
 * kernel with CONFIG_KCOV and root.  Only the module is instrumented, so
 * every PC KCOV reports is the module's; PCs are taken relative to the
 * module's .text (/sys/module/mach/sections/.text), and an edge is a pair
 * of consecutive PCs within one operation, so a corpus keeps its meaning
 * across boots of the same build.
 *
 * The inputs are sequences of /dev/mach operations in two processes
 * (ipcseq.h).  Starting from the sequences in CORPUS_DIR, it mutates one
 * (inserts, deletes, repeats or changes an operation, an argument, an
 * actor or a message descriptor, or splices two), runs it in a fresh pair
 * of processes and keeps it when it reached an edge no input reached
 * before.  A kept input is run once more: a result that differs between
 * the two runs is recorded as `?`, the others as the result to expect.
 * Every 10 s it prints "fuzz: t=... execs=... corpus=... edges=...".
 *
 * At the end OUTDIR/corpus holds a minimal set of inputs that together
 * reach every edge found (smallest first), with their results recorded,
 * and OUTDIR/crash-N.seq every input whose actor died or hung.  --record
 * only runs the given sequences and writes them with their results.
 * Exit status 0 unless something could not be set up.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kcov.h>
#include <mach/mach.h>

#include "ipcseq.h"

#define COVER_WORDS	(256 * 1024)
#define OP_TIMEOUT_MS	5000
#define MAX_ENTRIES	4000
#define EDGE_BITS	21

/* --- KCOV, in each actor ------------------------------------------------- */

static uint64_t text_base;
static unsigned long *cover;

static void cov_attach(void)
{
	int fd = open("/sys/kernel/debug/kcov", O_RDWR);

	if (fd < 0)
		return;
	if (ioctl(fd, KCOV_INIT_TRACE, COVER_WORDS))
		goto fail;
	cover = mmap(NULL, COVER_WORDS * sizeof(unsigned long), PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED)
		goto fail;
	if (ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC)) {
		munmap(cover, COVER_WORDS * sizeof(unsigned long));
		goto fail;
	}
	return;	/* the fd stays open for the process's life */
fail:
	cover = NULL;
	close(fd);
}

static void cov_before(void)
{
	if (cover)
		__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
}

static uint64_t edge_hash(uint64_t prev, uint64_t pc)
{
	uint64_t h = (prev * 0x9e3779b97f4a7c15ULL) ^ (pc + 0x632be59bd9b4e019ULL);

	return h ^ (h >> 29);
}

static void cov_after(struct seq_result *r)
{
	unsigned long n, i;
	uint64_t prev = 0;

	if (!cover)
		return;
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (n >= COVER_WORDS)
		n = COVER_WORDS - 1;
	for (i = 1; i <= n; i++) {
		uint64_t pc = cover[i] - text_base;
		uint32_t k = r->nedges;

		if (k >= sizeof(r->edges) / sizeof(r->edges[0]))
			break;
		r->edges[k] = edge_hash(prev, pc);
		r->nedges = k + 1;
		prev = pc;
	}
}

static const struct seq_cov kcov_hooks = { cov_attach, cov_before, cov_after };

/* --- the edges seen so far ------------------------------------------------- */

static uint64_t *edge_set;
static unsigned long nedges_total;

static bool edge_add(uint64_t e)
{
	uint64_t mask = (1UL << EDGE_BITS) - 1, i;

	if (!e)
		e = 1;
	for (i = e & mask;; i = (i + 1) & mask) {
		if (edge_set[i] == e)
			return false;
		if (!edge_set[i]) {
			if (nedges_total >= (mask * 3) / 4)
				return false;	/* full: stop counting */
			edge_set[i] = e;
			nedges_total++;
			return true;
		}
	}
}

/* --- the corpus ------------------------------------------------------------ */

struct entry {
	struct seq s;
	char name[64];		/* file name; a seed keeps its own */
	uint64_t *edges;	/* the edges it reached (deduplicated) */
	uint32_t nedges;
	bool seed;
};

static struct entry *entries;
static unsigned int nentries;
static struct seq_result *res;

/* xorshift64* */
static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

/* The edges of the last run, each once. */
static uint32_t unique_edges(uint64_t **out)
{
	uint32_t n = res->nedges, m = 0;
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v));

	*out = v;
	if (!v)
		return 0;
	memcpy(v, res->edges, n * sizeof(*v));
	/* sort, then drop repeats */
	for (uint32_t gap = n / 2; gap; gap /= 2)
		for (uint32_t i = gap; i < n; i++)
			for (uint32_t j = i; j >= gap && v[j - gap] > v[j]; j -= gap) {
				uint64_t t = v[j];

				v[j] = v[j - gap];
				v[j - gap] = t;
			}
	for (uint32_t i = 0; i < n; i++)
		if (!m || v[m - 1] != v[i])
			v[m++] = v[i];
	*out = v;
	return m;
}

/*
 * Run twice and record the results: those that agree are expected, those
 * that differ are '?'.  False if an actor died or hung.
 */
static bool record(struct seq *s)
{
	int64_t first[SEQ_MAX_OPS];

	if (seq_run(s, res, NULL, OP_TIMEOUT_MS))
		return false;
	memcpy(first, res->ret, sizeof(first));
	if (seq_run(s, res, NULL, OP_TIMEOUT_MS))
		return false;
	for (unsigned int i = 0; i < s->n; i++)
		s->ops[i].expect = first[i] == res->ret[i] ? first[i] : SEQ_ANY;
	return true;
}

static bool write_seq(const char *dir, const char *name, const struct seq *s)
{
	static char text[1 << 16];
	char path[1024];
	FILE *f;
	int n = seq_format(s, text, sizeof(text));

	if (n < 0)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return false;
	fwrite(text, 1, (size_t)n, f);
	return fclose(f) == 0;
}

static unsigned int ncrashes;
static const char *outdir = "/tmp/fuzz-out";

static void save_crash(const struct seq *s, int status)
{
	char name[64];

	snprintf(name, sizeof(name), "crash-%u.seq", ncrashes++);
	printf("fuzz: FINDING: an actor %s (status %d); input saved as %s:\n",
	       status == -1 ? "hung" : "died", status, name);
	write_seq(outdir, name, s);
	fflush(stdout);
}

/* Run with KCOV; add it as an entry when it reached a new edge.  Returns new edges. */
static unsigned int try_input(struct seq *s, const char *name, bool seed)
{
	unsigned int fresh = 0;
	uint64_t *edges = NULL;
	uint32_t n;

	res->nedges = 0;
	if (seq_run(s, res, &kcov_hooks, OP_TIMEOUT_MS)) {
		save_crash(s, res->status);
		return 0;
	}
	n = unique_edges(&edges);
	for (uint32_t i = 0; i < n; i++)
		fresh += edge_add(edges[i]);
	if ((!fresh && !seed) || nentries == MAX_ENTRIES || !record(s)) {
		free(edges);
		return fresh;
	}
	entries[nentries].s = *s;
	entries[nentries].edges = edges;
	entries[nentries].nedges = n;
	entries[nentries].seed = seed;
	if (name)
		snprintf(entries[nentries].name, sizeof(entries[0].name), "%s", name);
	else
		snprintf(entries[nentries].name, sizeof(entries[0].name), "fuzz-%05u.seq",
			 nentries);
	nentries++;
	return fresh;
}

/* --- mutation ---------------------------------------------------------------- */

static const int64_t ints[] = {
	0, 1, 2, 3, 4, 5, 8, 10, 16, 32, 64, 100, 1024, 4096, 65536, -1, -2,
	0x7fffffff, 0x80000000LL, 0xffffffffLL, 0x10000, 0x1000000,
};

/* Does operation 'i' of 's' give names ($i, $i.K)? */
static unsigned int outputs_of(const struct seq *s, unsigned int i)
{
	const struct seq_def *d = &seq_defs[s->ops[i].def];

	if (d->special == SP_RECV || d->special == SP_RPC)
		return 3;
	return d->out >= 0 ? 1 : 0;
}

static void rand_val(const struct seq *s, unsigned int pos, unsigned int cat, struct seq_val *v)
{
	unsigned int r = rn(100), i;

	memset(v, 0, sizeof(*v));
	v->kind = SV_LIT;
	switch (cat) {
	case SC_NAME:
		if (r < 55 && pos) {
			for (unsigned int tries = 0; tries < 8; tries++) {
				i = rn(pos);
				if (outputs_of(s, i)) {
					v->kind = SV_REF;
					v->op = (int16_t)i;
					v->out = (uint8_t)rn(outputs_of(s, i));
					return;
				}
			}
		}
		if (r < 70) {
			v->kind = SV_SELF;
		} else if (r < 80) {
			v->kind = SV_PEER;
		} else if (r < 85) {
			v->lit = 0;
		} else if (r < 90) {
			v->lit = 0xffffffffLL;
		} else {
			v->lit = rn(4) ? (int64_t)((rn(16) << 8) | 3) : (int64_t)(uint32_t)rnd();
		}
		return;
	case SC_RIGHT:
		v->lit = r < 85 ? rn(5) : r < 95 ? 5 + rn(4) : (int64_t)(uint32_t)rnd();
		return;
	case SC_DISP:
		v->lit = r < 85 ? 16 + rn(6) : r < 95 ? 0 : rn(32);
		return;
	case SC_NOTIFY: {
		static const int64_t ids[] = { 65, 69, 70, 71, 72 };

		v->lit = r < 85 ? ids[rn(5)] : 64 + rn(12);
		return;
	}
	case SC_BUF:
		v->lit = r < 80 ? SB_OK : rn(SB_NKINDS);
		return;
	case SC_PID:
		if (r < 40)
			v->kind = SV_MYPID;
		else if (r < 80)
			v->kind = SV_PEERPID;
		else
			v->lit = r < 90 ? 0 : r < 95 ? 1 : 99999;
		return;
	default:
		v->lit = r < 80 ? ints[rn(sizeof(ints) / sizeof(ints[0]))] : (int64_t)rn(300);
	}
}

static void rand_desc(const struct seq *s, unsigned int pos, struct seq_desc *d)
{
	static const uint32_t sizes[] = { 0, 1, 100, 4095, 4096, 4097, 8192, 65536, 200000 };
	struct seq_val disp;

	memset(d, 0, sizeof(*d));
	d->kind = (uint8_t)rn(3);
	rand_val(s, pos, SC_DISP, &disp);
	d->disp = (uint8_t)disp.lit;
	switch (d->kind) {
	case SD_PORT:
		d->nports = 1;
		rand_val(s, pos, SC_NAME, &d->names[0]);
		break;
	case SD_OOL:
		d->size = sizes[rn(sizeof(sizes) / sizeof(sizes[0]))];
		d->copy = (uint8_t)rn(3);
		d->dealloc = (uint8_t)rn(2);
		break;
	default:
		d->dealloc = 0;
		d->nports = (uint8_t)rn(SEQ_PORTS_MAX + 1);
		for (unsigned int j = 0; j < d->nports; j++)
			rand_val(s, pos, SC_NAME, &d->names[j]);
	}
}

static unsigned int rand_def(void)
{
	static unsigned int total;
	unsigned int r, i;

	if (!total)
		for (i = 0; i < seq_ndefs; i++)
			total += seq_defs[i].weight;
	r = rn(total);
	for (i = 0; i < seq_ndefs; i++) {
		if (r < seq_defs[i].weight)
			return i;
		r -= seq_defs[i].weight;
	}
	return 0;
}

static void rand_op(const struct seq *s, unsigned int pos, struct seq_op *op)
{
	const struct seq_def *d;

	memset(op, 0, sizeof(*op));
	op->def = (uint8_t)rand_def();
	d = &seq_defs[op->def];
	op->actor = rn(10) < 7 ? 0 : 1;
	op->nargs = d->nargs;
	op->expect = SEQ_ANY;
	for (unsigned int i = 0; i < d->nargs; i++)
		rand_val(s, pos, d->arg[i].cat, &op->args[i]);
	/* a message: mostly a simple one or a small receive buffer */
	if (d->special == SP_SEND || d->special == SP_RPC) {
		op->args[5].kind = SV_LIT;
		op->args[5].lit = rn(4) ? 8 * rn(8) : rn(5000);
		if (rn(2)) {
			op->ndesc = (uint8_t)(1 + rn(SEQ_MAX_DESC));
			for (unsigned int k = 0; k < op->ndesc; k++)
				rand_desc(s, pos, &op->desc[k]);
		}
	}
	if (d->special == SP_RECV || d->special == SP_RPC) {
		unsigned int sz = d->special == SP_RECV ? 1 : 7;

		op->args[sz].kind = SV_LIT;
		op->args[sz].lit = rn(8) ? 1024 : rn(100);
		if (d->special == SP_RECV) {
			op->args[2].kind = op->args[3].kind = SV_LIT;
			op->args[2].lit = rn(3) ? 0 : rn(9);
			op->args[3].lit = rn(4) == 0;
		}
	}
}

/* Every value that refers to an operation: call fn on it. */
static void each_ref(struct seq_op *op, void (*fn)(struct seq_val *v, int arg), int arg)
{
	for (unsigned int i = 0; i < op->nargs; i++)
		if (op->args[i].kind == SV_REF)
			fn(&op->args[i], arg);
	for (unsigned int k = 0; k < op->ndesc; k++)
		for (unsigned int j = 0; j < op->desc[k].nports; j++)
			if (op->desc[k].names[j].kind == SV_REF)
				fn(&op->desc[k].names[j], arg);
}

static void ref_insert(struct seq_val *v, int pos)
{
	if (v->op >= pos)
		v->op++;
}

static void ref_delete(struct seq_val *v, int pos)
{
	if (v->op == pos) {
		v->kind = SV_LIT;
		v->lit = 0;
	} else if (v->op > pos) {
		v->op--;
	}
}

static void ref_shift(struct seq_val *v, int by)
{
	v->op = (int16_t)(v->op + by);
}

static void insert_op(struct seq *s, unsigned int pos, const struct seq_op *op)
{
	memmove(&s->ops[pos + 1], &s->ops[pos], (s->n - pos) * sizeof(s->ops[0]));
	s->ops[pos] = *op;
	s->n++;
	for (unsigned int i = pos + 1; i < s->n; i++)
		each_ref(&s->ops[i], ref_insert, (int)pos);
}

static void delete_op(struct seq *s, unsigned int pos)
{
	memmove(&s->ops[pos], &s->ops[pos + 1], (s->n - pos - 1) * sizeof(s->ops[0]));
	s->n--;
	for (unsigned int i = pos; i < s->n; i++)
		each_ref(&s->ops[i], ref_delete, (int)pos);
}

static void mutate(struct seq *s)
{
	unsigned int k = 1 + rn(3);

	while (k--) {
		unsigned int r = rn(100), pos = s->n ? rn(s->n) : 0;
		struct seq_op op;

		if (!s->n || (r < 30 && s->n < SEQ_MAX_OPS)) {
			pos = rn(s->n + 1);
			rand_op(s, pos, &op);
			insert_op(s, pos, &op);
		} else if (r < 42 && s->n > 1) {
			delete_op(s, pos);
		} else if (r < 72) {
			struct seq_op *o = &s->ops[pos];
			const struct seq_def *d = &seq_defs[o->def];

			if (d->nargs) {
				unsigned int a = rn(d->nargs);

				rand_val(s, pos, d->arg[a].cat, &o->args[a]);
			}
		} else if (r < 78) {
			s->ops[pos].actor ^= 1;
		} else if (r < 88) {
			struct seq_op *o = &s->ops[pos];
			const struct seq_def *d = &seq_defs[o->def];

			if (d->special != SP_SEND && d->special != SP_RPC)
				continue;
			if (o->ndesc < SEQ_MAX_DESC && rn(2))
				rand_desc(s, pos, &o->desc[o->ndesc++]);
			else if (o->ndesc)
				rand_desc(s, pos, &o->desc[rn(o->ndesc)]);
		} else if (r < 94 && s->n < SEQ_MAX_OPS) {
			op = s->ops[pos];
			insert_op(s, pos + 1, &op);
		} else if (nentries) {
			/* splice: another input's operations after ours */
			const struct seq *o = &entries[rn(nentries)].s;
			unsigned int from = o->n ? rn(o->n) : 0, base = s->n;

			for (unsigned int i = from; i < o->n && s->n < SEQ_MAX_OPS; i++) {
				s->ops[s->n] = o->ops[i];
				each_ref(&s->ops[s->n], ref_shift, (int)base - (int)from);
				/* a reference before the spliced part: to our own ops */
				for (unsigned int a = 0; a < s->ops[s->n].nargs; a++) {
					struct seq_val *v = &s->ops[s->n].args[a];

					if (v->kind == SV_REF && (v->op < 0 || v->op >= (int)s->n))
						rand_val(s, s->n, SC_NAME, v);
				}
				for (unsigned int d = 0; d < s->ops[s->n].ndesc; d++)
					for (unsigned int j = 0; j < s->ops[s->n].desc[d].nports; j++) {
						struct seq_val *v = &s->ops[s->n].desc[d].names[j];

						if (v->kind == SV_REF &&
						    (v->op < 0 || v->op >= (int)s->n))
							rand_val(s, s->n, SC_NAME, v);
					}
				s->n++;
			}
		}
	}
	for (unsigned int i = 0; i < s->n; i++)
		s->ops[i].expect = SEQ_ANY;
}

/* --- the corpus on disk -------------------------------------------------------- */

static char *slurp(const char *path)
{
	struct stat st;
	char *text;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || st.st_size > (1 << 20)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	text = calloc(1, (size_t)st.st_size + 1);
	if (text && read(fd, text, (size_t)st.st_size) != st.st_size) {
		free(text);
		text = NULL;
	}
	close(fd);
	return text;
}

static unsigned int load_dir(const char *dir, bool just_record)
{
	struct dirent **list;
	unsigned int loaded = 0;
	int n = scandir(dir, &list, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *fn = list[i]->d_name;
		size_t len = strlen(fn);
		static struct seq s;
		char path[1024], err[256], *text;

		if (len > 4 && !strcmp(fn + len - 4, ".seq")) {
			snprintf(path, sizeof(path), "%s/%s", dir, fn);
			text = slurp(path);
			if (!text || !seq_parse(text, &s, err, sizeof(err))) {
				printf("fuzz: %s: %s\n", path, text ? err : strerror(errno));
			} else if (just_record) {
				if (record(&s) && write_seq(outdir, fn, &s))
					loaded++;
				else
					printf("fuzz: %s: could not record it\n", path);
			} else {
				try_input(&s, fn, true);
				loaded++;
			}
			free(text);
		}
		free(list[i]);
	}
	if (n > 0)
		free(list);
	return loaded;
}

/* How many of the entry's edges are not in the set yet. */
static uint32_t gain(const struct entry *e)
{
	uint64_t mask = (1UL << EDGE_BITS) - 1;
	uint32_t n = 0;

	for (uint32_t k = 0; k < e->nedges; k++) {
		uint64_t x = e->edges[k] ? e->edges[k] : 1, i;

		for (i = x & mask; edge_set[i] && edge_set[i] != x; i = (i + 1) & mask)
			;
		n += !edge_set[i];
	}
	return n;
}

/*
 * A small corpus for the replay: the seeds (hand-written cases, kept
 * whatever they add), then greedily the input that adds the most edges
 * not yet covered, until none adds any.  Gains only shrink as the set
 * grows, so a stale gain is an upper bound ("lazy greedy").
 */
static unsigned int write_minimal(const char *dir)
{
	uint32_t *cached = malloc(nentries * sizeof(*cached));
	bool *taken = calloc(nentries, sizeof(*taken));
	unsigned int kept = 0;

	memset(edge_set, 0, (1UL << EDGE_BITS) * sizeof(uint64_t));
	nedges_total = 0;
	for (unsigned int i = 0; i < nentries; i++) {
		if (!entries[i].seed)
			continue;
		taken[i] = true;
		for (uint32_t k = 0; k < entries[i].nedges; k++)
			edge_add(entries[i].edges[k]);
		kept += write_seq(dir, entries[i].name, &entries[i].s);
	}
	for (unsigned int i = 0; i < nentries; i++)
		cached[i] = taken[i] ? 0 : gain(&entries[i]);
	for (;;) {
		unsigned int best = 0, second = 0;
		bool found = false;

		for (unsigned int i = 0; i < nentries; i++) {
			if (taken[i] || !cached[i])
				continue;
			if (!found || cached[i] > cached[best] ||
			    (cached[i] == cached[best] && entries[i].s.n < entries[best].s.n)) {
				second = found ? cached[best] : 0;
				best = i;
				found = true;
			} else if (cached[i] > second) {
				second = cached[i];
			}
		}
		if (!found)
			break;
		cached[best] = gain(&entries[best]);
		if (cached[best] < second)
			continue;	/* stale: look again */
		if (!cached[best])
			continue;
		taken[best] = true;
		for (uint32_t k = 0; k < entries[best].nedges; k++)
			edge_add(entries[best].edges[k]);
		kept += write_seq(dir, entries[best].name, &entries[best].s);
	}
	free(cached);
	free(taken);
	return kept;
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static bool read_text_base(void)
{
	char buf[64] = "";
	int fd = open("/sys/module/mach/sections/.text", O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	close(fd);
	text_base = strtoull(buf, NULL, 16);
	return text_base != 0;
}

int main(int argc, char **argv)
{
	unsigned long duration = 60, execs = 0, seed = (unsigned long)time(NULL);
	bool just_record = false;
	uint64_t start, next_report;
	char path[1024];
	int c, first;
	static const struct option longopts[] = {
		{ "record", no_argument, NULL, 'r' }, { NULL, 0, NULL, 0 },
	};

	while ((c = getopt_long(argc, argv, "t:s:o:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': duration = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'o': outdir = optarg; break;
		case 'r': just_record = true; break;
		default:
			fprintf(stderr, "usage: %s [-t SECONDS] [-s SEED] [-o OUTDIR] [--record] DIR...\n",
				argv[0]);
			return 2;
		}
	}
	first = optind;
	res = seq_result_alloc();
	entries = calloc(MAX_ENTRIES, sizeof(*entries));
	edge_set = calloc(1UL << EDGE_BITS, sizeof(uint64_t));
	if (!res || !entries || !edge_set)
		return 1;
	mkdir(outdir, 0755);
	snprintf(path, sizeof(path), "%s/corpus", outdir);
	mkdir(path, 0755);
	/* orphaned actors come to us, not to init */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (just_record) {
		unsigned int n = 0;

		for (int i = first; i < argc; i++)
			n += load_dir(argv[i], true);
		printf("fuzz: recorded %u sequences into %s\n", n, outdir);
		return 0;
	}
	if (!read_text_base()) {
		fprintf(stderr, "kcov_fuzz: cannot read the module's .text (root? mach loaded?)\n");
		return 1;
	}
	rng ^= seed * 0x9e3779b97f4a7c15ULL;
	printf("fuzz: seed %lu, %lu s, module .text at 0x%llx\n", seed, duration,
	       (unsigned long long)text_base);
	start = now_ms();
	for (int i = first; i < argc; i++)
		printf("fuzz: %u seed inputs from %s\n", load_dir(argv[i], false), argv[i]);
	if (!nedges_total) {
		struct seq s = { 0 };
		struct seq_op op;

		/* no KCOV data at all: say so rather than fuzz blind */
		rand_op(&s, 0, &op);
		s.ops[s.n++] = op;
		try_input(&s, NULL, false);
		if (!nedges_total) {
			fprintf(stderr, "kcov_fuzz: KCOV reports no module PCs (mach.ko without "
				"MACH_KCOV=1, or no CONFIG_KCOV?)\n");
			return 1;
		}
	}
	printf("fuzz: t=0 execs=0 corpus=%u edges=%lu\n", nentries, nedges_total);
	next_report = start + 10000;
	while (now_ms() - start < duration * 1000) {
		static struct seq s;
		uint64_t t;

		if (nentries)
			s = entries[rn(nentries)].s;
		else
			s.n = 0;
		mutate(&s);
		try_input(&s, NULL, false);
		execs++;
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		t = now_ms();
		if (t >= next_report) {
			printf("fuzz: t=%llu execs=%lu corpus=%u edges=%lu\n",
			       (unsigned long long)(t - start) / 1000, execs, nentries,
			       nedges_total);
			next_report += 10000;
		}
	}
	printf("fuzz: t=%llu execs=%lu corpus=%u edges=%lu (end)\n",
	       (unsigned long long)(now_ms() - start) / 1000, execs, nentries, nedges_total);
	printf("fuzz: minimal corpus: %u inputs in %s; %u findings\n", write_minimal(path),
	       path, ncrashes);
	return 0;
}
