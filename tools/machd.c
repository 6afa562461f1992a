// SPDX-License-Identifier: GPL-2.0
/*
 * machd - the bootstrap name server of Mach IPC for Linux.
 *
 * It owns the port every process reaches through bootstrap_port: at start
 * it makes that port the host default bootstrap port (a new IPC space gets
 * it when its parent has none), sets it as its own, and then answers
 * bootstrap_check_in / register / look_up / create_service / parent.
 *
 *   machd [-f] [-v] [-n] [-p pidfile] [-s -- command [args...]]
 *     -f  stay in the foreground, log to stderr (else daemonize, log to syslog)
 *     -v  log every request
 *     -n  look names machd does not know up on the network (machnetd)
 *     -p  write the daemon's pid to pidfile (meant for /run/machd.pid)
 *     -s  private: serve only command and its descendants (private.h)
 *
 * Daemonizing forks before any port exists: a forked child gets a new IPC
 * space, and ports made before the fork would stay with the parent.  The
 * parent exits only once the child serves (or failed), so "machd && use"
 * has no race.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bootstrap.h>
#include <mach/mach_host.h>

#include "deadwatch.h"
#include "log.h"
#include "netfall.h"
#include "private.h"
#include "registry.h"
#include "serve.h"

static volatile sig_atomic_t stopping;
static const char *pidfile;
static int private_mode;

/*
 * The signal may come while the main loop is between its test of
 * 'stopping' and the receive (handling a request, say), and then no
 * interrupted receive would ever tell it.  So the handler also queues an
 * empty message on the service port, which ends the next receive however
 * the race goes; the demux answers its unknown id with nothing (it has no
 * reply port).  mach_msg() is one ioctl, safe in a handler.
 */
static void on_signal(int sig)
{
	mach_msg_header_t wake = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
		.msgh_size = sizeof(wake),
		.msgh_remote_port = serve_port,
		.msgh_id = MACHD_WAKE_ID,
	};
	int saved = errno;

	(void)sig;
	stopping = 1;
	if (MACH_PORT_VALID(serve_port))
		(void)mach_msg(&wake, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(wake), 0,
			       MACH_PORT_NULL, 0, MACH_PORT_NULL);
	errno = saved;
}

/* No SA_RESTART: a signal must break the blocking receive. */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Refuse to displace a name server that is still alive. */
static int other_server_running(void)
{
	mach_port_t old = MACH_PORT_NULL;
	mach_port_type_t type = 0;
	int alive;

	if (mach_host_get_bootstrap_port(&old) != KERN_SUCCESS || !MACH_PORT_VALID(old))
		return 0;
	alive = mach_port_type(mach_task_self(), old, &type) == KERN_SUCCESS &&
		(type & MACH_PORT_TYPE_SEND);
	(void)mach_port_deallocate(mach_task_self(), old);
	return alive;
}

/* Make the service port and publish it; exit code on failure, else 0. */
static int setup(void)
{
	mach_port_limits_t limits = { .mpl_qlimit = MACH_PORT_QLIMIT_MAX };
	kern_return_t kr;

	if (mach_task_self() == MACH_PORT_NULL) {
		logmsg(LOG_ERR, "cannot open /dev/mach: %s (is the mach module loaded?)",
		       strerror(errno));
		return 1;
	}
	if (!private_mode && other_server_running()) {
		logmsg(LOG_ERR, "another name server holds the host bootstrap port");
		return 1;
	}
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &serve_port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), serve_port, serve_port,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS) {
		logmsg(LOG_ERR, "cannot make the service port: %s", mach_error_string(kr));
		return 1;
	}
	/* Many clients start at once (boot); let them queue instead of block. */
	(void)mach_port_set_attributes(mach_task_self(), serve_port, MACH_PORT_LIMITS_INFO,
				       (mach_port_info_t)&limits,
				       MACH_PORT_LIMITS_INFO_COUNT);
	if (!deadwatch_start())
		return 1;

	kr = private_mode ? KERN_SUCCESS : mach_host_set_bootstrap_port(serve_port);
	if (kr == KERN_NO_ACCESS) {
		logmsg(LOG_ERR, "setting the host bootstrap port needs CAP_SYS_ADMIN (run machd as root)");
		return 1;
	}
	if (kr != KERN_SUCCESS) {
		logmsg(LOG_ERR, "cannot set the host bootstrap port: %s",
		       mach_error_string(kr));
		return 1;
	}
	kr = task_set_bootstrap_port(mach_task_self(), serve_port);
	if (kr != KERN_SUCCESS)
		logmsg(LOG_WARNING, "cannot set our own bootstrap port: %s",
		       mach_error_string(kr));
	bootstrap_port = serve_port;
	return 0;
}

static void write_pidfile(void)
{
	FILE *f;

	if (pidfile == NULL)
		return;
	f = fopen(pidfile, "we");
	if (f == NULL) {
		logmsg(LOG_WARNING, "cannot write %s: %s", pidfile, strerror(errno));
		pidfile = NULL;
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

/*
 * Fork; the parent waits on a pipe for the child's setup result and exits
 * with it.  Returns the pipe's write end in the child.  The child keeps
 * stderr until setup is done, so start-up errors still reach the terminal.
 */
static int daemonize(void)
{
	int fds[2];
	unsigned char status = 1;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		perror("machd: fork");
		exit(1);
	}
	if (pid > 0) {
		close(fds[1]);
		if (read(fds[0], &status, 1) != 1)
			status = 1;
		exit(status);
	}
	close(fds[0]);
	setsid();
	if (chdir("/") < 0)
		exit(1);
	umask(022);
	return fds[1];
}

/* Setup worked: report success, leave the terminal, log to syslog. */
static void detach(int ready_fd, int verbose)
{
	unsigned char status = 0;
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	log_init(0, verbose);
	(void)!write(ready_fd, &status, 1);
	close(ready_fd);
}

static void usage(void)
{
	fprintf(stderr, "usage: machd [-f] [-v] [-n] [-p pidfile] [-s -- command [args...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int foreground = 0, verbose = 0, ready_fd = -1, opt, rc;

	/* '+': options end at the command's name, as with -s -- cmd. */
	while ((opt = getopt(argc, argv, "+fvnsp:h")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case 'v': verbose = 1; break;
		case 'n': netfall_enabled = 1; break;
		case 's': private_mode = 1; break;
		case 'p': pidfile = optarg; break;
		default: usage();
		}
	}
	if (private_mode != (optind < argc))
		usage();	/* -s needs a command, and only -s takes one */

	if (!foreground)
		ready_fd = daemonize();
	log_init(1, verbose);
	catch_signals();
	rc = setup();
	if (rc != 0)
		return rc;	/* a daemon's parent reads EOF: failure */
	write_pidfile();
	if (ready_fd >= 0)
		detach(ready_fd, verbose);
	logmsg(LOG_INFO, "serving bootstrap port 0x%x%s", serve_port,
	       private_mode ? " (private)" : "");
	if (private_mode && !private_spawn(argv + optind, serve_port, &stopping))
		return 1;

	while (!stopping) {
		mach_msg_return_t mr;

		mr = mach_msg_server_once(serve_demux, SERVE_MAX_REQUEST, serve_port,
					  SERVE_RCV_OPTIONS);
		if (mr != MACH_MSG_SUCCESS && mr != MACH_RCV_INTERRUPTED) {
			logmsg(LOG_DEBUG, "request: %s", mach_error_string(mr));
			if (mr == MACH_RCV_INVALID_NAME || mr == MACH_RCV_PORT_DIED) {
				logmsg(LOG_ERR, "lost the service port");
				rc = 1;
				break;
			}
		}
		registry_lock();
		registry_arm_pending();
		registry_unlock();
	}

	if (pidfile)
		unlink(pidfile);
	if (private_mode) {
		/* A signal stopped us: the command goes too.  Else it ended. */
		private_forward(SIGTERM);
		logmsg(LOG_INFO, "exiting");
		return private_status() >= 0 ? private_status() : rc;
	}
	/* New processes must not inherit a port nobody will answer. */
	(void)mach_host_set_bootstrap_port(MACH_PORT_NULL);
	logmsg(LOG_INFO, "exiting");
	return rc;
}
