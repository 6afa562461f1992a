// SPDX-License-Identifier: GPL-2.0
/*
 * corpus_replay - run every sequence of selftests/corpus/ (what the
 * coverage-guided fuzzer kcov_fuzz kept: inputs that reached new edges of
 * the module) and hold each operation to the result recorded with it.
 *
 *   corpus_replay [DIR]      DIR: the corpus (default ./corpus, else the
 *                            one next to this program; MACH_CORPUS_DIR)
 *
 * Checked per sequence: every operation returns a documented code, the
 * code recorded for it (operations recorded as `?` only the first), and
 * no actor process dies or hangs; then, once every sequence has run, the
 * module's live-object counters are back to where they started (nothing
 * leaked by the module; kmemleak also judges on debug kernels).  The
 * format (selftests/corpus/README.md) must read back as it was written.
 * Needs no KCOV: it runs on every kernel.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipcseq.h"
#include "mach_test.h"
#include "stats_util.h"

#define OP_TIMEOUT_MS	10000

static char dir[512];
static char *files[4096];
static unsigned int nfiles;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool load_list(void)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while ((e = readdir(d)) && nfiles < sizeof(files) / sizeof(files[0])) {
		size_t n = strlen(e->d_name);

		if (n > 4 && !strcmp(e->d_name + n - 4, ".seq"))
			files[nfiles++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(files, nfiles, sizeof(files[0]), by_name);
	return true;
}

static char *read_text(const char *name)
{
	char path[1024];
	struct stat st;
	char *text;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
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

static bool load(const char *name, struct seq *s)
{
	char err[256], *text = read_text(name);
	bool ok;

	if (!expect_true(text != NULL, "read a corpus file")) {
		mt_diag("%s/%s: %s", dir, name, strerror(errno));
		return false;
	}
	ok = seq_parse(text, s, err, sizeof(err));
	if (!ok)
		mt_diag("%s: %s", name, err);
	free(text);
	return expect_true(ok, "a corpus file parses");
}

static void need_corpus(void)
{
	if (!nfiles)
		mt_skip("no sequences in %s", dir);
}

/* Written, read back and written again: the same text. */
static void format_round_trip(void)
{
	static char a[1 << 16], b[1 << 16];
	static struct seq s, t;
	char err[256];

	need_corpus();
	for (unsigned int i = 0; i < nfiles; i++) {
		if (!load(files[i], &s))
			continue;
		if (!expect_true(seq_format(&s, a, sizeof(a)) > 0, "format"))
			continue;
		if (!expect_true(seq_parse(a, &t, err, sizeof(err)), "parse what was written")) {
			mt_diag("%s: %s", files[i], err);
			continue;
		}
		if (!expect_true(seq_format(&t, b, sizeof(b)) > 0 && !strcmp(a, b),
				 "the same text again"))
			mt_diag("%s does not read back as written", files[i]);
	}
}

static void replay(void)
{
	static struct seq s;
	struct seq_result *r = seq_result_alloc();
	long long base[ST_NLIVE];
	unsigned int checked = 0, ops = 0;
	char c1[32], c2[32];

	need_corpus();
	if (geteuid() != 0)
		mt_skip("the actors need root for each other's task ports");
	st_need();
	assert_true(r != NULL, "shared memory");
	st_snapshot(base);
	for (unsigned int i = 0; i < nfiles; i++) {
		bool bad = false;

		if (!load(files[i], &s))
			continue;
		if (seq_run(&s, r, NULL, OP_TIMEOUT_MS)) {
			expect_true(false, "the sequence runs to its end");
			mt_diag("%s: actor status %d", files[i], r->status);
			continue;
		}
		for (unsigned int k = 0; k < s.n; k++) {
			int64_t got = r->ret[k], want = s.ops[k].expect;

			ops++;
			if (!seq_code_allowed(got)) {
				expect_true(false, "a documented result");
				mt_diag("%s: op %u gave %s", files[i], k,
					seq_code_name(got, c1, sizeof(c1)));
				bad = true;
			} else if (want != SEQ_ANY) {
				checked++;
				if (got != want) {
					expect_eq(want, got, "the recorded result");
					mt_diag("%s: op %u (%s) gave %s, recorded %s", files[i], k,
						seq_defs[s.ops[k].def].name,
						seq_code_name(got, c1, sizeof(c1)),
						seq_code_name(want, c2, sizeof(c2)));
					bad = true;
				}
			}
		}
		if (bad && mt_failed)
			mt_diag("%s failed", files[i]);
	}
	mt_diag("%u sequences, %u operations, %u results checked", nfiles, ops, checked);
	expect_true(st_back_to(base, 10000), "the module's counters back to baseline");
}

static const struct mt_case cases[] = {
	MT_CASE(format_round_trip),
	MT_CASE_T(replay, 600),
};

int main(int argc, char **argv)
{
	const char *env = getenv("MACH_CORPUS_DIR");
	struct stat st;

	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else if (env)
		snprintf(dir, sizeof(dir), "%s", env);
	else if (!stat("corpus", &st) && S_ISDIR(st.st_mode))
		snprintf(dir, sizeof(dir), "corpus");
	else
		snprintf(dir, sizeof(dir), "%s/corpus", dirname(strdup(argv[0])));
	load_list();
	return MT_RUN(cases);
}
