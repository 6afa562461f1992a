// SPDX-License-Identifier: GPL-2.0
/*
 * mig - the Mach Interface Generator of Mach IPC for Linux.
 *
 *   mig [-user F] [-header F] [-server F] [-sheader F] [-iheader F]
 *       [-dheader F] [-maxonstack N] [-split] [-novouchers] [-cc CC]
 *       [-D/-I/-U/... (to cpp)] file.defs...
 *
 * As macOS's mig does, it runs the C preprocessor over each .defs file
 * (with -D__MACH30__, the file's directory and the installed .defs
 * directory on the include path) and compiles the result into the user
 * stubs, the server stubs and their headers.  Options and defaults follow
 * macOS's mig(1); see man/mig.1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mig.h"
#include "driver.h"

#ifndef MIG_DEFSDIR
#define MIG_DEFSDIR "/usr/local/include"
#endif
#ifndef MIG_VERSION
#define MIG_VERSION "0.1.0"
#endif

extern char **environ;

static const char **cpp_args;
static size_t n_cpp_args;
static const char *cc;
static bool want_deps;

static void cpp_arg(const char *a)
{
	const char **n = realloc(cpp_args, (n_cpp_args + 1) * sizeof(*n));

	if (!n)
		fatal("out of memory");
	cpp_args = n;
	cpp_args[n_cpp_args++] = a;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mig [-user file] [-header file] [-server file] [-sheader file]\n"
		"           [-iheader file] [-dheader file] [-maxonstack n] [-split]\n"
		"           [-novouchers] [-q|-Q] [-R] [-s] [-i prefix] [-cc cc] [-MD]\n"
		"           [cpp options (-D, -I, -U, ...)] file.defs ...\n");
	exit(1);
}

static const char *next_arg(int *i, int argc, char **argv)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "mig: missing argument for %s\n", argv[*i]);
		usage();
	}
	return argv[++*i];
}

/* cpp's options that take the next word as their value. */
static bool cpp_takes_value(const char *a)
{
	static const char *const two[] = { "-I", "-D", "-U", "-include", "-imacros", "-isystem",
					   "-iquote", "-idirafter", "-isysroot" };
	size_t i;

	for (i = 0; i < sizeof(two) / sizeof(two[0]); i++)
		if (strcmp(a, two[i]) == 0)
			return true;
	return false;
}

/* Options only; returns the index of the first file. */
static int parse_args(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-user"))
			opts.user = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-header"))
			opts.header = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-server"))
			opts.server = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-sheader"))
			opts.sheader = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-iheader"))
			opts.iheader = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-dheader"))
			opts.dheader = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-i"))
			opts.user_prefix = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-maxonstack")) {
			char *end;
			const char *v = next_arg(&i, argc, argv);

			errno = 0;
			opts.max_on_stack = strtol(v, &end, 10);
			if (errno || *end || opts.max_on_stack < 0)
				fatal("-maxonstack: '%s' is not a size", v);
		} else if (!strcmp(a, "-split"))
			opts.split = true;
		else if (!strcmp(a, "-novouchers"))
			opts.vouchers = false;
		else if (!strcmp(a, "-q"))
			be_quiet = true;
		else if (!strcmp(a, "-Q"))
			be_quiet = false;
		else if (!strcmp(a, "-r"))
			opts.use_rpc = true;
		else if (!strcmp(a, "-R"))
			opts.use_rpc = false;
		else if (!strcmp(a, "-s"))
			opts.symtab = true;
		else if (!strcmp(a, "-S"))
			opts.symtab = false;
		else if (!strcmp(a, "-v") || !strcmp(a, "-V") || !strcmp(a, "-l") ||
			 !strcmp(a, "-L") || !strcmp(a, "-k") || !strcmp(a, "-K") ||
			 !strcmp(a, "-N") || !strcmp(a, "-B") || !strcmp(a, "-T") || !strcmp(a, "-X"))
			;	/* accepted; this mig has no other mode for them */
		else if (!strcmp(a, "-n") || !strcmp(a, "-b") || !strcmp(a, "-t") ||
			 !strcmp(a, "-x") || !strcmp(a, "-mach_msg2"))
			fatal("option %s is not supported", a);
		else if (!strcmp(a, "-max_descrs") || !strcmp(a, "-max_reply_descrs") ||
			 !strcmp(a, "-arch") || !strcmp(a, "-target") || !strcmp(a, "-cpp") ||
			 !strcmp(a, "-migcom"))
			(void)next_arg(&i, argc, argv);	/* meaningless here: ignored */
		else if (!strcmp(a, "-cc"))
			cc = next_arg(&i, argc, argv);
		else if (!strcmp(a, "-MD"))
			want_deps = true;
		else if (!strcmp(a, "-version")) {
			printf("mig %s (Mach IPC for Linux)\n", MIG_VERSION);
			exit(0);
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			usage();
		else {
			cpp_arg(a);
			if (cpp_takes_value(a))
				cpp_arg(next_arg(&i, argc, argv));
		}
	}
	return i;
}

struct cpp {
	pid_t pid;
	FILE *out;
};

/* Start cpp on file; its output comes back through a pipe. */
static struct cpp cpp_start(const char *file, const char *deps)
{
	posix_spawn_file_actions_t fa;
	const char **argv;
	char *dir = xstrdup(file), *slash;
	size_t n = 0, i;
	int fds[2], rc;
	struct cpp c;

	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		dir = ".";
	argv = xcalloc(n_cpp_args + 16, sizeof(*argv));
	argv[n++] = cc;
	argv[n++] = "-E";
	argv[n++] = "-x";
	argv[n++] = "c";
	argv[n++] = "-D__MACH30__";
	for (i = 0; i < n_cpp_args; i++)
		argv[n++] = cpp_args[i];
	argv[n++] = "-I";
	argv[n++] = dir;
	argv[n++] = "-I";
	argv[n++] = getenv("MIG_DEFSDIR") ? getenv("MIG_DEFSDIR") : MIG_DEFSDIR;
	if (deps) {
		argv[n++] = "-MD";
		argv[n++] = "-MF";
		argv[n++] = deps;
		argv[n++] = "-MT";
		argv[n++] = "MIG_DEPENDENCY_TARGET";
	}
	argv[n++] = file;
	argv[n] = NULL;
	if (pipe(fds))
		fatal("pipe: %s", strerror(errno));
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	rc = posix_spawnp(&c.pid, cc, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		fatal("cannot run the preprocessor %s: %s", cc, strerror(rc));
	close(fds[1]);
	c.out = fdopen(fds[0], "r");
	if (!c.out)
		fatal("fdopen: %s", strerror(errno));
	return c;
}

static bool cpp_finish(struct cpp *c)
{
	int status;

	fclose(c->out);
	while (waitpid(c->pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* -MD: a TARGET.d next to each output, from cpp's dependency list. */
static void write_deps(const char *deps, const struct outputs *o)
{
	const char *targets[] = { o->header, o->user, o->server, o->sheader, o->iheader,
				  o->dheader };
	char buf[4096];
	size_t i, n, len = 0, cap = 0;
	char *text = NULL, *rest;
	FILE *in = fopen(deps, "r");

	if (!in)
		fatal("cannot read %s: %s", deps, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			text = realloc(text, cap);
			if (!text)
				fatal("out of memory");
		}
		memcpy(text + len, buf, n);
		len += n;
	}
	fclose(in);
	if (!text)
		return;
	text[len] = '\0';
	rest = strstr(text, "MIG_DEPENDENCY_TARGET:");
	rest = rest ? rest + strlen("MIG_DEPENDENCY_TARGET:") : text;
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char *name;
		FILE *f;

		if (!targets[i])
			continue;
		name = xasprintf("%s.d", targets[i]);
		f = fopen(name, "w");
		if (!f)
			fatal("cannot write %s: %s", name, strerror(errno));
		fprintf(f, "%s:%s", targets[i], rest);
		if (fclose(f))
			fatal("error writing %s", name);
	}
	free(text);
}

static int compile(const char *file)
{
	char deps[64] = "";
	struct outputs o;
	struct cpp c;
	bool cpp_ok;
	int rc;

	if (access(file, R_OK))
		fatal("cannot read %s: %s", file, strerror(errno));
	if (want_deps) {
		int fd;

		snprintf(deps, sizeof(deps), "/tmp/mig-deps.XXXXXX");
		fd = mkstemp(deps);
		if (fd < 0)
			fatal("mkstemp: %s", strerror(errno));
		close(fd);
	}
	mig_reset();
	c = cpp_start(file, want_deps ? deps : NULL);
	rc = mig_parse(c.out, file);
	cpp_ok = cpp_finish(&c);
	if (!cpp_ok) {
		fprintf(stderr, "mig: the preprocessor failed on %s\n", file);
		rc = -1;
	}
	if (rc == 0) {
		mig_outputs(&o);
		mig_write(&o);
		if (want_deps)
			write_deps(deps, &o);
	}
	if (want_deps)
		unlink(deps);
	return rc;
}

int main(int argc, char **argv)
{
	int first, i;

	signal(SIGPIPE, SIG_IGN);
	first = parse_args(argc, argv);
	if (!cc)
		cc = getenv("MIGCC") ? getenv("MIGCC") : "cc";
	if (first >= argc) {
		fprintf(stderr, "mig: no .defs file given\n");
		usage();
	}
	for (i = first; i < argc; i++) {
		if (argv[i][0] == '-') {
			fprintf(stderr, "mig: warning: option \"%s\" after filename(s) ignored\n",
				argv[i]);
			continue;
		}
		if (compile(argv[i]))
			return 1;
	}
	return 0;
}
