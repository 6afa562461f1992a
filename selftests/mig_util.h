/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the MIG selftests (mig_*): plain programs, as a macOS
 * program using mig's output is.  The client forks and execs itself as
 * the server ("prog --server NAME"), which checks in NAME with the
 * bootstrap server (machd) and runs mach_msg_server(); the client finds it
 * with bootstrap_look_up().  Exit 0 when every check passed.
 */
#ifndef MIG_UTIL_H
#define MIG_UTIL_H

#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int mig_failures;

/* Where a test is (its output shows what ran before a hang). */
#define STEP(name) printf("# %s\n", name)

#define CHECK(c, ...) do {						\
	if (!(c)) {							\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		mig_failures++;						\
	}								\
} while (0)

#define CHECK_KR(want, got, what) do {					\
	kern_return_t _w = (want), _g = (got);				\
	CHECK(_w == _g, "%s: got %#x (%s), want %#x (%s)", what, _g,	\
	      mach_error_string(_g), _w, mach_error_string(_w));	\
} while (0)

/* Fork, and exec this program again as the server of 'name'. */
static inline pid_t mig_spawn_server(const char *name)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;

	if (n <= 0)
		return -1;
	self[n] = '\0';
	setvbuf(stdout, NULL, _IONBF, 0);	/* a hung test still shows how far it got */
	pid = fork();
	if (pid == 0) {
		/* a client that crashes must not leave its server behind */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execl(self, self, "--server", name, (char *)NULL);
		printf("FAIL: exec %s: %s\n", self, strerror(errno));
		_exit(2);
	}
	return pid;
}

static inline mach_port_t mig_look_up(const char *name)
{
	mach_port_t port = MACH_PORT_NULL;
	int i;

	for (i = 0; i < 1000; i++) {
		if (bootstrap_look_up(bootstrap_port, name, &port) == KERN_SUCCESS)
			return port;
		usleep(10000);
	}
	return MACH_PORT_NULL;
}

/* The server side: check in, then serve until killed. */
static inline void mig_serve(const char *name, boolean_t (*demux)(mach_msg_header_t *,
								   mach_msg_header_t *),
			     mach_msg_size_t size, mach_msg_options_t options)
{
	mach_port_t port;
	kern_return_t kr = bootstrap_check_in(bootstrap_port, name, &port);

	if (kr != KERN_SUCCESS) {
		printf("FAIL: server bootstrap_check_in(%s): %s\n", name, bootstrap_strerror(kr));
		_exit(2);
	}
	kr = mach_msg_server(demux, size, port, options);
	printf("FAIL: mach_msg_server returned %#x\n", kr);
	_exit(3);
}

/* Stop the server and reap it; its exit status when it exited by itself. */
static inline int mig_stop_server(pid_t pid)
{
	int status = 0;

	if (pid <= 0)
		return -1;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

static inline int mig_result(const char *prog)
{
	if (mig_failures) {
		printf("%s: %d checks failed\n", prog, mig_failures);
		return 1;
	}
	printf("%s: all checks passed\n", prog);
	return 0;
}

#endif /* MIG_UTIL_H */
