/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netname_look_up across hosts: a LOOKUP frame to one peer (a named host)
 * or to every connected peer (host "" or "*" when the name is not local),
 * the client's reply deferred until an answer, or all answers, or a
 * timeout.  Peers answer from their local table only.
 */
#ifndef MACHNETD_LOOKUP_H
#define MACHNETD_LOOKUP_H

#include <stdbool.h>
#include <stdint.h>
#include <mach/mach.h>

#include "wire.h"

struct peer;

#define LOOKUP_TIMEOUT_MS	5000

bool lookup_frame(struct peer *p, const struct wire_frame *f, const char **reason);
void lookup_peer_down(struct peer *p);
int lookup_timeout_ms(uint64_t now);
void lookup_tick(uint64_t now);

#endif /* MACHNETD_LOOKUP_H */
