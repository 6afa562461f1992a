// SPDX-License-Identifier: GPL-2.0
/*
 * mach_test.c - TAP output, checks and process helpers for the selftests.
 * See mach_test.h for the model: one forked process per case.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mach_test.h"

bool mt_failed;

/* Process group of the case now running, for the SIGTERM handler. */
static volatile pid_t mt_current_pgid;

/*
 * Every line goes out in a single write(): lines from concurrent helper
 * processes then never interleave mid-line (writes to a pipe of at most
 * PIPE_BUF bytes are atomic), and nothing sits in a stdio buffer that a
 * fork() could duplicate.
 */
static void mt_vline(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int len = snprintf(buf, sizeof(buf), "%s", prefix);

	len += vsnprintf(buf + len, sizeof(buf) - len, fmt, ap);
	if (len > (int)sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[len++] = '\n';
	if (write(STDOUT_FILENO, buf, len) < 0)
		_exit(2);
}

static void mt_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mt_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vline("", fmt, ap);
	va_end(ap);
}

void mt_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vline("# ", fmt, ap);
	va_end(ap);
}

void mt_fail_at(const char *file, int line, const char *fmt, ...)
{
	char prefix[256];
	va_list ap;

	mt_failed = true;
	snprintf(prefix, sizeof(prefix), "# %s:%d: FAIL: ", file, line);
	va_start(ap, fmt);
	mt_vline(prefix, fmt, ap);
	va_end(ap);
}

void mt_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mt_vline("# SKIP: ", fmt, ap);
	va_end(ap);
	_exit(MT_EXIT_SKIP);
}

bool mt_check(bool cond, const char *expr, const char *desc,
	      const char *file, int line)
{
	if (!cond)
		mt_fail_at(file, line, "%s: expected %s to hold", desc, expr);
	return cond;
}

bool mt_check_eq(unsigned long long expected, unsigned long long actual,
		 bool want_equal, const char *desc, const char *file, int line)
{
	if ((expected == actual) == want_equal)
		return true;
	if (want_equal)
		mt_fail_at(file, line, "%s: expected 0x%llx (%llu), got 0x%llx (%llu)",
			   desc, expected, expected, actual, actual);
	else
		mt_fail_at(file, line, "%s: expected anything but 0x%llx, got it",
			   desc, actual);
	return false;
}

bool mt_check_errno(long ret, int expected_errno, const char *desc,
		    const char *file, int line)
{
	int err = errno;

	if (ret == -1 && err == expected_errno)
		return true;
	if (ret != -1)
		mt_fail_at(file, line, "%s: expected -1/%s, got %ld",
			   desc, strerror(expected_errno), ret);
	else
		mt_fail_at(file, line, "%s: expected errno %d (%s), got %d (%s)",
			   desc, expected_errno, strerror(expected_errno),
			   err, strerror(err));
	return false;
}

uint64_t mt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mt_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

pid_t mt_fork(void)
{
	fflush(NULL);
	return fork();
}

void mt_child_exit(void)
{
	fflush(NULL);
	_exit(mt_failed ? 1 : 0);
}

static int mt_status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int mt_wait(pid_t pid, unsigned int timeout_ms)
{
	uint64_t deadline = mt_now_ms() + timeout_ms;
	int status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return mt_status_code(status);
		if (r < 0 && errno != EINTR)
			return 255;
		if (mt_now_ms() >= deadline)
			break;
		mt_sleep_ms(5);
	}
	kill(pid, SIGKILL);
	/* SIGKILL cannot be ignored; give a stuck kernel path a while. */
	deadline = mt_now_ms() + 10000;
	while (waitpid(pid, &status, WNOHANG) == 0 && mt_now_ms() < deadline)
		mt_sleep_ms(5);
	return -1;
}

bool mt_expect_child_ok(pid_t pid, unsigned int timeout_ms, const char *label,
			const char *file, int line)
{
	int code = mt_wait(pid, timeout_ms);

	if (code == 0)
		return true;
	if (code < 0)
		mt_fail_at(file, line, "%s (pid %d) did not finish within %u ms",
			   label, pid, timeout_ms);
	else if (code > 128)
		mt_fail_at(file, line, "%s (pid %d) killed by signal %d",
			   label, pid, code - 128);
	else
		mt_fail_at(file, line, "%s (pid %d) exited with %d",
			   label, pid, code);
	return false;
}

void mt_post(int fd)
{
	char c = 1;

	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

bool mt_await(int fd, unsigned int timeout_ms)
{
	uint64_t deadline = mt_now_ms() + timeout_ms;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	for (;;) {
		uint64_t now = mt_now_ms();
		int r;

		if (now >= deadline)
			return false;
		r = poll(&p, 1, (int)(deadline - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		return r == 1;
	}
}

/* --- the case runner --------------------------------------------------- */

/*
 * run_tests.sh's timeout sends SIGTERM: kill the running case's process
 * group, reap it, then die of SIGTERM so the runner sees a timeout.
 * Only async-signal-safe calls here.
 */
static void mt_on_term(int sig)
{
	static const char msg[] = "# terminated by SIGTERM (program timeout?)\n";
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	sigset_t set;

	if (mt_current_pgid > 0) {
		kill(-mt_current_pgid, SIGKILL);
		for (int i = 0; i < 100 && waitpid(-1, NULL, WNOHANG) >= 0; i++)
			nanosleep(&ts, NULL);
	}
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	signal(sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	_exit(128 + sig);
}

/* Kill whatever the case left behind and reap it (we are a subreaper). */
static void mt_reap_leftovers(pid_t pgid)
{
	uint64_t deadline = mt_now_ms() + 5000;
	int status;

	kill(-pgid, SIGKILL);
	for (;;) {
		pid_t r = waitpid(-1, &status, WNOHANG);

		if (r < 0 && errno == ECHILD)
			return;
		if (r > 0)
			continue;
		if (mt_now_ms() >= deadline) {
			mt_diag("leftover processes of the case did not die");
			return;
		}
		mt_sleep_ms(5);
	}
}

static int mt_run_one(const struct mt_case *c)
{
	unsigned int secs = c->timeout_s ? c->timeout_s : MT_DEFAULT_TIMEOUT;
	const char *scale = getenv("MACH_TEST_TIMEOUT_SCALE");

	/* long runs (make stress) give every case more time */
	if (scale && strtoul(scale, NULL, 10) > 1)
		secs *= (unsigned int)strtoul(scale, NULL, 10);
	pid_t pid = mt_fork();
	int code;

	if (pid < 0) {
		mt_diag("fork: %s", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		setpgid(0, 0);
		/* The case's own safety net: SIGALRM's default action kills it. */
		alarm(secs);
		mt_failed = false;
		c->fn();
		mt_child_exit();
	}
	setpgid(pid, pid);	/* also here: whichever runs first wins */
	mt_current_pgid = pid;
	code = mt_wait(pid, secs * 1000 + 10000);
	mt_reap_leftovers(pid);
	mt_current_pgid = 0;

	if (code < 0)
		mt_diag("%s: hung past its %u s alarm; killed", c->name, secs);
	else if (code == 128 + SIGALRM)
		mt_diag("%s: timed out after %u s", c->name, secs);
	else if (code > 128)
		mt_diag("%s: killed by signal %d (%s)", c->name, code - 128,
			strsignal(code - 128));
	return code;
}

int mt_run(const struct mt_case *cases, int n)
{
	int failed = 0, skipped = 0;

	/* Orphans of a case (its helpers) are re-parented to us and reaped. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGTERM, mt_on_term);
	signal(SIGPIPE, SIG_IGN);

	mt_line("TAP version 13");
	mt_line("1..%d", n);
	for (int i = 0; i < n; i++) {
		int code = mt_run_one(&cases[i]);

		if (code == 0) {
			mt_line("ok %d - %s", i + 1, cases[i].name);
		} else if (code == MT_EXIT_SKIP) {
			mt_line("ok %d - %s # SKIP", i + 1, cases[i].name);
			skipped++;
		} else {
			mt_line("not ok %d - %s", i + 1, cases[i].name);
			failed++;
		}
	}
	mt_diag("%d passed, %d failed, %d skipped",
		n - failed - skipped, failed, skipped);
	if (failed)
		return 1;
	return skipped == n && n ? MT_EXIT_SKIP : 0;
}
