/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machnetd's log: one line per event, stderr in the foreground (-f),
 * syslog once daemonized.  Tests grep these lines ("refused", "closed").
 */
#ifndef MACHNETD_LOG_H
#define MACHNETD_LOG_H

#include <syslog.h>

void log_init(int foreground, int verbose);
/* LOG_DEBUG lines appear only with -v. */
void logmsg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* MACHNETD_LOG_H */
