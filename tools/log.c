// SPDX-License-Identifier: GPL-2.0
/* machd's log: stderr in the foreground, syslog once daemonized. */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

static int to_stderr = 1;
static int debug;

void log_init(int foreground, int verbose)
{
	to_stderr = foreground;
	debug = verbose;
	if (!foreground)
		openlog("machd", LOG_PID, LOG_DAEMON);
}

void logmsg(int level, const char *fmt, ...)
{
	va_list ap;

	if (level == LOG_DEBUG && !debug)
		return;
	va_start(ap, fmt);
	if (to_stderr) {
		fputs("machd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(level, fmt, ap);
	}
	va_end(ap);
}
