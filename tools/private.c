// SPDX-License-Identifier: GPL-2.0
/*
 * machd -s: run one command under a private name server (see private.h).
 *
 * The command is forked after the service port exists and after it became
 * our task's bootstrap port: libmach's fork handler snapshots that port, and
 * a child that execs before its first Mach call gets its parent's bootstrap
 * port at its first open, so either way the command and everything it
 * starts use this machd.
 *
 * A thread waits for the command.  The request loop blocks in mach_msg,
 * which no signal-safe flag can interrupt without a race, so the thread
 * wakes it with a message of its own id to the service port; serve_demux
 * answers an unknown id with MIG_BAD_ID, and the message has no reply port.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "private.h"

static pid_t child = -1;
static volatile int child_status = -1;
static mach_port_t wake_port;
static volatile int *stop_flag;

static void *waiter(void *arg)
{
	mach_msg_header_t h;
	int st;

	(void)arg;
	while (waitpid(child, &st, 0) < 0) {
		if (errno != EINTR) {
			st = 1 << 8;
			break;
		}
	}
	child_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	logmsg(LOG_INFO, "command (pid %d) ended with status %d", (int)child,
	       child_status);
	*stop_flag = 1;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = wake_port;
	h.msgh_id = PRIVATE_WAKE_ID;
	(void)mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0,
		       MACH_PORT_NULL, 1000, MACH_PORT_NULL);
	return NULL;
}

bool private_spawn(char *const argv[], mach_port_t port, volatile int *stop)
{
	pthread_t t;
	int err;

	wake_port = port;
	stop_flag = stop;
	fflush(NULL);
	child = fork();
	if (child < 0) {
		logmsg(LOG_ERR, "cannot fork the command: %s", strerror(errno));
		return false;
	}
	if (child == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "machd: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	logmsg(LOG_INFO, "private: started %s (pid %d)", argv[0], (int)child);
	err = pthread_create(&t, NULL, waiter, NULL);
	if (err != 0) {
		logmsg(LOG_ERR, "cannot start the command's waiter: %s", strerror(err));
		kill(child, SIGKILL);
		return false;
	}
	pthread_detach(t);
	return true;
}

int private_status(void)
{
	return child_status;
}

void private_forward(int sig)
{
	if (child > 0 && child_status < 0)
		kill(child, sig);
}
