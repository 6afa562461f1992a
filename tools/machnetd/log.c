// SPDX-License-Identifier: GPL-2.0
/* machnetd's log: stderr in the foreground, syslog once daemonized. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

static int to_stderr = 1;
static int debug;

void log_init(int foreground, int verbose)
{
	to_stderr = foreground;
	debug = verbose;
	if (!foreground)
		openlog("machnetd", LOG_PID, LOG_DAEMON);
}

void logmsg(int level, const char *fmt, ...)
{
	static const char prefix[] = "machnetd: ";
	char line[1024];
	va_list ap;
	int n;

	if (level == LOG_DEBUG && !debug)
		return;
	va_start(ap, fmt);
	if (!to_stderr) {
		vsyslog(level, fmt, ap);
		va_end(ap);
		return;
	}
	/* One write per line: the lines of several daemons must not interleave. */
	n = vsnprintf(line + sizeof(prefix) - 1, sizeof(line) - sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)(sizeof(line) - sizeof(prefix)) - 1)
		n = (int)(sizeof(line) - sizeof(prefix)) - 1;
	for (int i = 0; i < (int)sizeof(prefix) - 1; i++)
		line[i] = prefix[i];
	n += sizeof(prefix) - 1;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}
