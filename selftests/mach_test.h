/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mach_test.h - the selftests' small TAP helper.
 *
 * A test program is a table of cases; each case is one TAP test point.
 * mt_run() runs every case in its own forked process, in its own process
 * group and under its own alarm, so that a crash, a hang or Mach state left
 * behind by one case cannot spoil the next one, and so that every case gets
 * a fresh Mach IPC space.  Only the mt_run() process prints "ok"/"not ok";
 * cases and their helpers print "# ..." diagnostics and report through their
 * exit status (0 pass, MT_EXIT_SKIP skip, anything else fail).
 *
 * Inside a case, expect_*() print "# file:line: ..." on failure, mark the
 * case failed and return false; assert_*() do the same and then return from
 * the (void) function that used them.
 */
#ifndef MACH_TEST_H
#define MACH_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define MT_EXIT_SKIP		4	/* kselftest's "skip" exit code */
#define MT_DEFAULT_TIMEOUT	120	/* seconds per case */
/* MACH_TEST_TIMEOUT_SCALE=N in the environment multiplies every case's time. */

struct mt_case {
	const char *name;
	void (*fn)(void);
	unsigned int timeout_s;		/* 0: MT_DEFAULT_TIMEOUT */
};

#define MT_CASE(f)		{ #f, f, 0 }
#define MT_CASE_T(f, secs)	{ #f, f, secs }
#define MT_RUN(table)	mt_run(table, (int)(sizeof(table) / sizeof((table)[0])))

/* Run all cases, print TAP, return the program's exit code. */
int mt_run(const struct mt_case *cases, int n);

/* Did a check fail in this process? */
extern bool mt_failed;

void mt_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void mt_fail_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Skip the current case (call only from the case process itself). */
void mt_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

bool mt_check(bool cond, const char *expr, const char *desc,
	      const char *file, int line);
bool mt_check_eq(unsigned long long expected, unsigned long long actual,
		 bool want_equal, const char *desc, const char *file, int line);
bool mt_check_errno(long ret, int expected_errno, const char *desc,
		    const char *file, int line);
/* Defined in mach_test_kr.c (needs libmach for mach_error_string). */
bool mt_check_kr(int expected, int actual, const char *desc,
		 const char *file, int line);

#define expect_true(cond, desc) \
	mt_check(!!(cond), #cond, desc, __FILE__, __LINE__)
#define expect_eq(expected, actual, desc) \
	mt_check_eq((unsigned long long)(expected), \
		    (unsigned long long)(actual), true, desc, __FILE__, __LINE__)
#define expect_ne(unexpected, actual, desc) \
	mt_check_eq((unsigned long long)(unexpected), \
		    (unsigned long long)(actual), false, desc, __FILE__, __LINE__)
/* ret must be -1 and errno must be err. */
#define expect_errno(ret, err, desc) \
	mt_check_errno((long)(ret), err, desc, __FILE__, __LINE__)
#define expect_kr(expected, actual, desc) \
	mt_check_kr((int)(expected), (int)(actual), desc, __FILE__, __LINE__)

#define assert_true(cond, desc) \
	do { if (!expect_true(cond, desc)) return; } while (0)
#define assert_eq(expected, actual, desc) \
	do { if (!expect_eq(expected, actual, desc)) return; } while (0)
#define assert_ne(unexpected, actual, desc) \
	do { if (!expect_ne(unexpected, actual, desc)) return; } while (0)
#define assert_kr(expected, actual, desc) \
	do { if (!expect_kr(expected, actual, desc)) return; } while (0)

/* --- processes and time ------------------------------------------------ */

/* fork() after flushing stdio, so no buffered line is printed twice. */
pid_t mt_fork(void);
/* End a helper process: exit 0 if none of its checks failed, else 1. */
void mt_child_exit(void) __attribute__((noreturn));
/*
 * Wait up to timeout_ms for pid.  Returns its exit code, 128 + signal if it
 * was killed, or -1 if it did not finish in time (it is then SIGKILLed and
 * reaped, so no zombie is left behind).
 */
int mt_wait(pid_t pid, unsigned int timeout_ms);
/* Expect pid to exit with status 0 within timeout_ms; label says who it is. */
bool mt_expect_child_ok(pid_t pid, unsigned int timeout_ms, const char *label,
			const char *file, int line);
#define expect_child_ok(pid, timeout_ms, label) \
	mt_expect_child_ok(pid, timeout_ms, label, __FILE__, __LINE__)

/* Pipe-based rendezvous between processes: one byte per event. */
void mt_post(int fd);
/* Wait up to timeout_ms for one byte on fd; false on timeout or EOF. */
bool mt_await(int fd, unsigned int timeout_ms);

uint64_t mt_now_ms(void);
void mt_sleep_ms(unsigned int ms);

#endif /* MACH_TEST_H */
