/* SPDX-License-Identifier: GPL-2.0 */
/*
 * machd -n: a bootstrap_look_up of a name machd does not know falls
 * through to machnetd (netname_look_up, host "*": this host, then every
 * peer).  The look-up runs on a thread of its own and answers the client
 * itself, so a slow network never holds up machd's other requests.
 */
#ifndef MACHD_NETFALL_H
#define MACHD_NETFALL_H

#include <stdbool.h>
#include <mach/mach.h>

/* Set by -n; off by default. */
extern int netfall_enabled;

/* How long a fall-through look-up may take before the client hears no. */
#define NETFALL_TIMEOUT_MS	5000
/* At most this many at once; beyond, the client hears no at once. */
#define NETFALL_MAX_INFLIGHT	16

/*
 * With the registry locked, for a look-up of the unknown 'name' that 'in'
 * asked: start a network look-up and make 'out' a MIG_NO_REPLY reply (the
 * thread owns the request's reply right and answers).  false when -n is off,
 * machnetd is not registered or too many look-ups run: answer as usual.
 */
bool netfall_start(const char *name, const mach_msg_header_t *in,
		   mach_msg_header_t *out);

#endif /* MACHD_NETFALL_H */
