/* SPDX-License-Identifier: GPL-2.0 */
/* machd's log: stderr in the foreground, syslog once daemonized. */
#ifndef MACHD_LOG_H
#define MACHD_LOG_H

#include <syslog.h>

void log_init(int foreground, int verbose);
/* LOG_DEBUG lines appear only with -v. */
void logmsg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* MACHD_LOG_H */
