// SPDX-License-Identifier: GPL-2.0
/*
 * lsmp_tool - the lsmp program (tools/lsmp), run as a user would run it:
 *  - a port a child created shows in `lsmp -p CHILD` as its receive right
 *    with the messages we queued, and in `lsmp -p SELF` as our send right
 *    with the same identity; `lsmp -a` marks it shared between the two;
 *  - every --json output is one valid JSON text (checked by a strict
 *    parser) with the documented structure;
 *  - a user who may not debug a process does not see it (`-a` leaves it
 *    out, `-p` fails);
 *  - `lsmp -s` counters move when messages are sent and receives fail.
 *
 * lsmp is found in $LSMP, next to this program, in the source tree
 * (../tools/lsmp/lsmp from selftests/build) or on PATH.  Under the test
 * harness (MACH_TEST_KERNEL set) it must be there; elsewhere the cases skip
 * without it.
 */
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_util.h"
#include "notify_util.h"

extern char **environ;

#define ID		0x6d00
#define NOBODY		65534
#define NOGROUP		65534

static const char *lsmp_path(void)
{
	static char path[PATH_MAX + 64];
	const char *env = getenv("LSMP"), *rel[] = {
		"lsmp", "../tools/lsmp/lsmp", "../../tools/lsmp/lsmp",
	};
	char exe[PATH_MAX], *slash, *dirs, *dir, *save = NULL;
	ssize_t n;
	size_t i;

	if (env && *env)
		return access(env, X_OK) == 0 ? env : NULL;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
				snprintf(path, sizeof(path), "%s/%s", exe, rel[i]);
				if (access(path, X_OK) == 0)
					return path;
			}
		}
	}
	dirs = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/lsmp", dir);
		if (access(path, X_OK) == 0) {
			free(dirs);
			return path;
		}
	}
	free(dirs);
	return NULL;
}

static const char *need_lsmp(void)
{
	const char *p = lsmp_path();

	if (!p && getenv("MACH_TEST_KERNEL"))
		mt_fail_at(__FILE__, __LINE__, "lsmp is not installed in the test VM");
	if (!p)
		mt_skip("lsmp not found (build tools/lsmp or set LSMP)");
	return p;
}

struct run {
	int status;		/* exit code, 128 + signal, or -1 */
	char *out;		/* stdout, NUL-terminated */
	size_t len;
};

/*
 * Run lsmp with up to four arguments and collect its standard output.
 * posix_spawn, not fork: libmach's fork handler would give the child a
 * Mach space of its own.
 */
static bool run_lsmp(struct run *r, const char *a1, const char *a2,
		     const char *a3, const char *a4)
{
	const char *path = need_lsmp();
	const char *args[] = { a1, a2, a3, a4 };
	char *argv[6] = { "lsmp" };
	posix_spawn_file_actions_t fa;
	FILE *err = tmpfile();
	char line[256];
	int argc = 1, i;
	size_t cap = 65536;
	int fds[2], st;
	ssize_t n;
	pid_t pid;

	for (i = 0; i < 4; i++)
		if (args[i])
			argv[argc++] = (char *)args[i];
	argv[argc] = NULL;
	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (!expect_true(err != NULL, "tmpfile") || !expect_eq(0, pipe(fds), "pipe")) {
		if (err)
			fclose(err);
		return false;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	/* its messages become our diagnostics, not stray lines in the TAP */
	posix_spawn_file_actions_adddup2(&fa, fileno(err), 2);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	if (!expect_eq(0, posix_spawn(&pid, path, &fa, NULL, argv, environ),
		       "spawn lsmp")) {
		posix_spawn_file_actions_destroy(&fa);
		close(fds[0]);
		close(fds[1]);
		fclose(err);
		return false;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	r->out = malloc(cap);
	for (;;) {
		if (r->len + 1 >= cap) {
			cap *= 2;
			r->out = realloc(r->out, cap);
		}
		if (!r->out)
			break;
		n = read(fds[0], r->out + r->len, cap - r->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		r->len += (size_t)n;
	}
	close(fds[0]);
	if (r->out)
		r->out[r->len] = '\0';
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	rewind(err);
	while (fgets(line, sizeof(line), err)) {
		line[strcspn(line, "\n")] = '\0';
		mt_diag("lsmp stderr: %s", line);
	}
	fclose(err);
	return r->out != NULL;
}

/* Run lsmp ... --json, expect exit 0 and valid JSON; NULL otherwise. */
static struct jv *lsmp_json(const char *a1, const char *a2)
{
	struct run r;
	struct jv *v = NULL;
	char err[160];

	if (!run_lsmp(&r, a1, a2, "--json", NULL))
		return NULL;
	if (expect_eq(0, r.status, "lsmp exits 0")) {
		v = json_parse(r.out, err, sizeof(err));
		if (!expect_true(v != NULL, "lsmp --json prints valid JSON"))
			mt_diag("%s: %s (output: %.300s)", a1, err, r.out);
	}
	free(r.out);
	return v;
}

static struct jv *lsmp_pid_json(pid_t pid)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%d", (int)pid);
	return lsmp_json("-p", buf);
}

/* The entry of a process's table with this name. */
static const struct jv *entry_named(const struct jv *proc, mach_port_t name)
{
	const struct jv *entries = json_get(proc, "entries"), *e;
	size_t i;

	for (i = 0; (e = json_at(entries, i)); i++)
		if (json_int(e, "name", -1) == (long long)name)
			return e;
	return NULL;
}

static const struct jv *proc_pid(const struct jv *all, pid_t pid)
{
	const struct jv *procs = json_get(all, "processes"), *p, *found = NULL;
	size_t i;

	for (i = 0; (p = json_at(procs, i)); i++)
		if (json_int(p, "pid", -1) == pid)
			found = p;
	return found;
}

/* --- a port shared with another process ------------------------------------ */

static void other_process_port(void)
{
	const struct jv *e, *pc, *pself;
	mach_port_t listen, theirs;
	uint32_t their_name = 0;
	struct jv *v, *all;
	long long id = -1;
	char pidbuf[24];
	struct run r;
	int go[2], i;
	pid_t child;

	need_lsmp();
	pidbuf[0] = '\0';
	listen = nu_parent_listen();
	assert_true(listen != MACH_PORT_NULL, "listen port");
	assert_eq(0, pipe(go), "pipe");
	child = mt_fork();
	if (child == 0) {
		mach_port_t mine = mu_port();

		nu_child_hello(mine, mine);
		mt_await(go[0], 100000);
		mt_child_exit();
	}
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)child);
	theirs = nu_parent_accept(listen, &their_name);
	if (!expect_true(MACH_PORT_VALID(theirs), "a send right to the child's port"))
		goto out;
	for (i = 0; i < 2; i++)
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(theirs, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
				  ID, i, 0, 0, MU_WAIT_MS), "queue a message there");

	/* the child's table: its receive right, with our two messages */
	v = lsmp_pid_json(child);
	e = entry_named(v, their_name);
	if (expect_true(e != NULL, "lsmp -p CHILD shows the child's port")) {
		expect_true(json_has_str(json_get(e, "type"), "recv"), "a receive right");
		expect_eq(2, json_int(e, "queue_depth", -1), "two messages queued");
		expect_eq(5, json_int(e, "queue_limit", -1), "the default queue limit");
		/* ours, and the two our queued messages carry */
		expect_eq(3, json_int(e, "send_rights", -1), "three send rights");
		expect_eq(child, json_int(e, "receiver_pid", -1), "the child receives");
		id = json_int(e, "port_id", -1);
		expect_true(id > 0, "an identity");
	}
	expect_eq(child, json_int(v, "pid", -1), "the pid");
	expect_eq(1, json_int(v, "receive_rights", -1), "one receive right");
	expect_eq(2, json_int(v, "messages_queued", -1), "two messages queued");
	json_free(v);

	/* our table: a send right to the same port */
	v = lsmp_pid_json(getpid());
	e = entry_named(v, theirs);
	if (expect_true(e != NULL, "lsmp -p SELF shows our right")) {
		expect_true(json_has_str(json_get(e, "type"), "send") &&
			    json_get(e, "type")->n == 1, "a send right only");
		expect_eq(1, json_int(e, "urefs", -1), "one user reference");
		expect_eq(id, json_int(e, "port_id", -2), "the same identity");
		expect_eq(child, json_int(e, "receiver_pid", -1), "received by the child");
		expect_true(json_get(e, "queue_depth") == NULL,
			    "no queue: not our receive right");
	}
	json_free(v);

	/* everyone: the port shows as shared between the two */
	all = lsmp_json("-a", NULL);
	pself = proc_pid(all, getpid());
	pc = proc_pid(all, child);
	if (expect_true(pself && pc, "lsmp -a lists both processes")) {
		e = entry_named(pself, theirs);
		expect_true(e && json_has_int(json_get(e, "shared_with"), child),
			    "our right: shared with the child");
		e = entry_named(pc, their_name);
		expect_true(e && json_has_int(json_get(e, "shared_with"), getpid()),
			    "the child's right: shared with us");
		e = entry_named(pself, mach_task_self());
		expect_true(e && json_get(e, "shared_with") &&
			    json_get(e, "shared_with")->n == 0,
			    "our task port: not shared");
	}
	json_free(all);

	/* the text form says the same */
	if (run_lsmp(&r, "-p", pidbuf, NULL, NULL)) {
		char name[16];

		snprintf(name, sizeof(name), "0x%08x", their_name);
		expect_eq(0, r.status, "lsmp -p CHILD exits 0");
		expect_true(strstr(r.out, name) && strstr(r.out, "recv") &&
			    strstr(r.out, "2/5"), "text: the name, recv, 2/5");
		free(r.out);
	}
out:
	mt_post(go[1]);
	expect_child_ok(child, MU_WAIT_MS, "child");
	/* a process that is gone */
	if (run_lsmp(&r, "-p", pidbuf, NULL, NULL)) {
		expect_eq(1, r.status, "lsmp -p of a finished process fails");
		free(r.out);
	}
}

/* --- JSON ------------------------------------------------------------------ */

static const char *const type_words[] = { "recv", "send", "send-once", "pset", "dead" };

static bool known_type(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++)
		if (!strcmp(s, type_words[i]))
			return true;
	return false;
}

static bool is_int(const struct jv *v)
{
	return v && v->type == JV_NUMBER && v->integer && v->i >= 0;
}

/* A process object as -p and -a print it. */
static void check_proc(const struct jv *p, bool sharing)
{
	static const char *const counts[] = {
		"space_serial", "names", "receive_rights", "send_rights",
		"send_once_rights", "port_sets", "dead_names", "messages_queued",
	};
	const struct jv *entries, *e, *t;
	size_t i, j;

	if (!expect_true(p && p->type == JV_OBJECT, "a process is an object"))
		return;
	expect_true(is_int(json_get(p, "pid")), "pid");
	expect_true(json_get(p, "comm") && json_get(p, "comm")->type == JV_STRING, "comm");
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (!expect_true(is_int(json_get(p, counts[i])), "a count"))
			mt_diag("missing %s", counts[i]);
	entries = json_get(p, "entries");
	if (!expect_true(entries && entries->type == JV_ARRAY, "entries array"))
		return;
	/* (-a: other processes may change between the two requests) */
	if (!sharing)
		expect_eq(json_int(p, "names", -1), entries->n, "one entry per name");
	for (i = 0; (e = json_at(entries, i)); i++) {
		expect_true(is_int(json_get(e, "name")), "name");
		expect_true(json_get(e, "name_hex") &&
			    json_get(e, "name_hex")->type == JV_STRING, "name_hex");
		t = json_get(e, "type");
		if (expect_true(t && t->type == JV_ARRAY && t->n > 0, "type array"))
			for (j = 0; j < t->n; j++)
				expect_true(t->v[j].type == JV_STRING &&
					    known_type(t->v[j].s), "a known right type");
		expect_true(is_int(json_get(e, "type_bits")), "type_bits");
		expect_true(is_int(json_get(e, "urefs")), "urefs");
		expect_true(json_get(e, "notify") &&
			    json_get(e, "notify")->type == JV_ARRAY, "notify array");
		if (json_has_str(t, "recv")) {
			expect_true(is_int(json_get(e, "queue_depth")) &&
				    is_int(json_get(e, "queue_limit")) &&
				    json_get(e, "sets") &&
				    json_get(e, "sets")->type == JV_ARRAY,
				    "receive rights carry queue and sets");
		}
		if (json_get(e, "port_id"))
			expect_true(is_int(json_get(e, "port_id")), "port_id");
		if (sharing && json_get(e, "port_id"))
			expect_true(json_get(e, "shared_with") &&
				    json_get(e, "shared_with")->type == JV_ARRAY,
				    "shared_with array");
		if (mt_failed)
			break;
	}
}

static void json_output(void)
{
	static const char *const stats[] = {
		"spaces", "ports", "port_sets", "messages_queued", "bytes_queued",
		"ool_bytes_queued", "messages_sent", "messages_received", "bytes_sent",
		"notifications_sent",
	};
	const struct jv *procs, *f, *x;
	struct jv *v;
	struct run r;
	mach_port_t port, set;
	size_t i;

	need_lsmp();
	/* a comm no JSON writer may copy blindly: quote, backslash, control, not UTF-8 */
	assert_eq(0, prctl(PR_SET_NAME, "\xff\"q\\\n\x01z\xc3\xa9"), "set our comm");
	/* something of each kind in our space */
	port = mu_port_send();
	set = nu_pset();
	mach_port_insert_member(mach_task_self(), port, set);
	nu_make_sonce(mu_port());

	v = lsmp_pid_json(getpid());
	check_proc(v, false);
	x = json_get(v, "comm");
	expect_true(x && x->type == JV_STRING &&
		    !strcmp(x->s, "\xef\xbf\xbd\"q\\\n\x01z\xc3\xa9"),
		    "comm escaped, its stray byte as U+FFFD");
	json_free(v);

	v = lsmp_json("-a", NULL);
	procs = json_get(v, "processes");
	if (expect_true(procs && procs->type == JV_ARRAY && procs->n >= 1,
			"-a: a processes array"))
		for (i = 0; i < procs->n && !mt_failed; i++)
			check_proc(&procs->v[i], true);
	expect_true(proc_pid(v, getpid()) != NULL, "-a lists us");
	json_free(v);

	v = lsmp_json("-s", NULL);
	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		x = json_get(v, stats[i]);
		if (!expect_true(x && x->type == JV_NUMBER && x->integer, "a counter"))
			mt_diag("missing %s", stats[i]);
	}
	f = json_get(v, "failures");
	if (expect_true(f && f->type == JV_ARRAY, "failures array"))
		for (i = 0; (x = json_at(f, i)); i++)
			expect_true(is_int(json_get(x, "code")) &&
				    is_int(json_get(x, "count")) &&
				    json_get(x, "code_hex") && json_get(x, "name"),
				    "a failure: code, code_hex, name, count");
	json_free(v);

	/* the text forms, and usage errors */
	if (run_lsmp(&r, "-a", NULL, NULL, NULL)) {
		expect_eq(0, r.status, "lsmp -a");
		expect_true(strstr(r.out, "Process (") != NULL, "a process header");
		free(r.out);
	}
	if (run_lsmp(&r, "-s", NULL, NULL, NULL)) {
		expect_eq(0, r.status, "lsmp -s");
		expect_true(strstr(r.out, "messages_sent") != NULL, "counters");
		free(r.out);
	}
	if (run_lsmp(&r, NULL, NULL, NULL, NULL)) {
		expect_eq(2, r.status, "lsmp with no mode: usage");
		free(r.out);
	}
	if (run_lsmp(&r, "-p", "0", NULL, NULL)) {
		expect_eq(2, r.status, "lsmp -p 0: usage");
		free(r.out);
	}
	if (run_lsmp(&r, "-p", "2147483000", NULL, NULL)) {
		expect_eq(1, r.status, "lsmp -p of no process fails");
		free(r.out);
	}
}

/* The checker itself: it must refuse what is not JSON. */
static void json_parser_is_strict(void)
{
	static const char *const good[] = {
		"{}", "[]", "0", "-0", "1.5e-3", "\"\\u00e9\\ud83d\\ude00\"", "null",
		" {\"a\":[1,{\"b\":true}],\"c\":\"x\\\"y\"} ", "\"\xc3\xa9\"",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "\"a",
		"\"\t\"", "\"\\x\"", "\"\\ud800\"", "{\"a\" 1}", "{a:1}", "[1 2]",
		"nul", "{} {}", "\"\xc3\"", "\"\xed\xa0\x80\"", "{\"a\":1,\"a\":2}",
		"[\"\\udc00\"]", "1e",
	};
	char err[128];
	struct jv *v;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = json_parse(good[i], err, sizeof(err));
		if (!expect_true(v != NULL, "valid JSON accepted"))
			mt_diag("%s: %s", good[i], err);
		json_free(v);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = json_parse(bad[i], err, sizeof(err));
		if (!expect_true(v == NULL, "invalid JSON refused"))
			mt_diag("accepted: %s", bad[i]);
		json_free(v);
	}
}

/* --- who sees what ---------------------------------------------------------- */

static void other_user_not_shown(void)
{
	pid_t root = getpid(), child;
	char pidbuf[24];

	need_lsmp();
	if (geteuid() != 0)
		mt_skip("needs root to change uid");
	mu_port();	/* libmach opens our space on first use */
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)root);
	child = mt_fork();
	if (child == 0) {
		struct jv *all;
		struct run r;

		if (!expect_true(!setgroups(0, NULL) && !setgid(NOGROUP) &&
				 !setuid(NOBODY), "drop to nobody"))
			mt_child_exit();
		all = lsmp_json("-a", NULL);
		expect_true(all && json_get(all, "processes"), "-a as nobody");
		expect_true(proc_pid(all, root) == NULL, "root's process left out");
		json_free(all);
		if (run_lsmp(&r, "-p", pidbuf, NULL, NULL)) {
			expect_eq(1, r.status, "lsmp -p ROOT fails for nobody");
			free(r.out);
		}
		mt_child_exit();
	}
	expect_child_ok(child, 60000, "nobody's lsmp");
	/* and root does see it */
	{
		struct jv *all = lsmp_json("-a", NULL);

		expect_true(proc_pid(all, root) != NULL, "root sees itself");
		json_free(all);
	}
}

/* --- counters ------------------------------------------------------------- */

static long long failure_count(const struct jv *stats, long long code)
{
	const struct jv *f = json_get(stats, "failures"), *x;
	size_t i;

	for (i = 0; (x = json_at(f, i)); i++)
		if (json_int(x, "code", -1) == code)
			return json_int(x, "count", 0);
	return 0;
}

static void stats_move(void)
{
	mach_port_t port, empty;
	struct jv *a, *b;
	struct mu_rcv r;
	int i;

	need_lsmp();
	port = mu_port_send();
	empty = mu_port();
	a = lsmp_json("-s", NULL);
	assert_true(a != NULL, "lsmp -s --json");
	for (i = 0; i < 3; i++)
		expect_kr(MACH_MSG_SUCCESS,
			  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID,
				  i, 0, 0, 0), "send");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(empty, &r, 0, 0), "a receive that fails");
	b = lsmp_json("-s", NULL);
	if (b) {
		expect_true(json_int(b, "messages_sent", 0) >=
			    json_int(a, "messages_sent", 0) + 3, "messages_sent moved");
		expect_true(failure_count(b, MACH_RCV_TIMED_OUT) >=
			    failure_count(a, MACH_RCV_TIMED_OUT) + 1,
			    "MACH_RCV_TIMED_OUT counted");
		expect_true(json_int(b, "ports", 0) >= 2, "our ports at least");
	}
	json_free(a);
	json_free(b);
}

static const struct mt_case cases[] = {
	MT_CASE(json_parser_is_strict),
	MT_CASE(other_process_port),
	MT_CASE(json_output),
	MT_CASE(other_user_not_shown),
	MT_CASE(stats_move),
};

int main(void)
{
	return MT_RUN(cases);
}
