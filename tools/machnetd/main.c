// SPDX-License-Identifier: GPL-2.0
/*
 * machnetd - the network message server of Mach IPC for Linux.
 *
 *   machnetd [-f] [-v] [-c CONFIG] [-p PIDFILE]
 *     -f  stay in the foreground, log to stderr (else daemonize, log to syslog)
 *     -v  log every request and frame
 *     -c  configuration file (default /etc/mach/machnetd.conf)
 *     -p  write the daemon's pid to PIDFILE
 *
 * It answers the netname RPCs (<servers/netname.h>) on a service port it
 * registers with its bootstrap server as "org.mach.machnetd", and carries
 * messages to ports on other hosts through proxy ports (docs/machnetd.md).
 *
 * As machd does, daemonizing forks before any port exists (a forked child
 * has a new IPC space), and the parent exits once the child serves.
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
#include <servers/netname.h>

#include "log.h"
#include "loop.h"
#include "machnetd.h"
#include "netname_serve.h"
#include "peer.h"
#include "ports.h"
#include "rights.h"
#include "watch.h"

struct config cfg;
mach_port_t service_port = MACH_PORT_NULL;
mach_port_t port_set = MACH_PORT_NULL;

static const char *pidfile;

static int load_config(const char *path, int explicit_path)
{
	char err[512];

	config_init(&cfg);
	if (!explicit_path && access(path, F_OK) != 0) {
		/* No file at the default place: a local name service. */
		logmsg(LOG_INFO, "no %s: serving local names only", path);
	} else if (config_load(&cfg, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (cfg.name[0] == '\0' && gethostname(cfg.name, sizeof(cfg.name) - 1) < 0)
		cfg.name[0] = '\0';
	cfg.name[sizeof(cfg.name) - 1] = '\0';
	if (config_check(&cfg, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static kern_return_t new_receive(mach_port_t *name, bool send)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, name);

	if (kr == KERN_SUCCESS && send)
		kr = mach_port_insert_right(mach_task_self(), *name, *name,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), *name, port_set);
	return kr;
}

/*
 * Register the service port.  A machnetd just killed may still be
 * registered until machd sees its port die: retry for a few seconds when
 * the name is taken by a port that no longer answers.
 */
static int register_service(void)
{
	for (int tries = 0;; tries++) {
		kern_return_t kr = bootstrap_register(bootstrap_port, MACHNETD_SERVICE_NAME,
						      service_port);
		mach_port_t old = MACH_PORT_NULL;
		mach_port_type_t type = 0;
		bool stale = false;

		if (kr == KERN_SUCCESS)
			return 0;
		if (kr == BOOTSTRAP_NAME_IN_USE &&
		    bootstrap_look_up(bootstrap_port, MACHNETD_SERVICE_NAME, &old) ==
			    KERN_SUCCESS) {
			stale = mach_port_type(mach_task_self(), old, &type) != KERN_SUCCESS ||
				!(type & MACH_PORT_TYPE_SEND);
			(void)mach_port_deallocate(mach_task_self(), old);
		}
		if (kr != BOOTSTRAP_NAME_IN_USE || (!stale && tries > 0) || tries >= 50) {
			logmsg(LOG_ERR, "cannot register %s: %s", MACHNETD_SERVICE_NAME,
			       bootstrap_strerror(kr));
			return -1;
		}
		usleep(100 * 1000);
	}
}

static int setup(void)
{
	kern_return_t kr;

	if (mach_task_self() == MACH_PORT_NULL) {
		logmsg(LOG_ERR, "cannot open /dev/mach: %s (is the mach module loaded?)",
		       strerror(errno));
		return 1;
	}
	if (!MACH_PORT_VALID(bootstrap_port)) {
		logmsg(LOG_ERR, "no bootstrap port (is machd running?)");
		return 1;
	}
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &port_set);
	if (kr == KERN_SUCCESS)
		kr = new_receive(&service_port, true);
	if (kr == KERN_SUCCESS)
		kr = new_receive(&notify_port, true);
	if (kr != KERN_SUCCESS) {
		logmsg(LOG_ERR, "cannot make ports: %s", mach_error_string(kr));
		return 1;
	}
	if (loop_init() < 0)
		return 1;
	rights_init();
	if (!peers_init())
		return 1;
	if (register_service() < 0)
		return 1;
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

/* Fork; the parent exits with the child's setup result (read from a pipe). */
static int daemonize(void)
{
	int fds[2];
	unsigned char status = 1;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		perror("machnetd: fork");
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
	fprintf(stderr, "usage: machnetd [-f] [-v] [-c config] [-p pidfile]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *config_path = CONFIG_DEFAULT_PATH;
	int foreground = 0, verbose = 0, explicit_config = 0, ready_fd = -1, opt, rc;

	while ((opt = getopt(argc, argv, "fvc:p:h")) != -1) {
		switch (opt) {
		case 'f': foreground = 1; break;
		case 'v': verbose = 1; break;
		case 'c': config_path = optarg; explicit_config = 1; break;
		case 'p': pidfile = optarg; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(1, verbose);
	if (load_config(config_path, explicit_config) < 0)
		return 1;
	if (!foreground)
		ready_fd = daemonize();
	signal(SIGPIPE, SIG_IGN);
	rc = setup();
	if (rc != 0)
		return rc;
	write_pidfile();
	if (ready_fd >= 0)
		detach(ready_fd, verbose);
	logmsg(LOG_INFO, "host %s serving %s (%zu peer%s)", cfg.name, MACHNETD_SERVICE_NAME,
	       cfg.npeers, cfg.npeers == 1 ? "" : "s");

	rc = loop_run();

	peers_exit();
	ports_exit();
	netname_clear();
	if (pidfile)
		unlink(pidfile);
	logmsg(LOG_INFO, "exiting");
	config_free(&cfg);
	return rc;
}
