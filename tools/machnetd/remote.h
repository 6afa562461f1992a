/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the netname service asks of the network side: look-ups on other
 * hosts and the owner of a proxy.  Without peers (or with none connected)
 * these answer at once from local knowledge.
 */
#ifndef MACHNETD_REMOTE_H
#define MACHNETD_REMOTE_H

#include <stdbool.h>
#include <mach/mach.h>

/*
 * netname_look_up for host "" / "*" (not found locally) or a configured
 * peer.  Fills out with a reply, or with MIG_NO_REPLY when the answer will
 * come later (then the request's reply right was taken from in).
 */
void remote_look_up(mach_msg_header_t *in, mach_msg_header_t *out);

/* The host owning the port whose identity (iin_object) is object. */
kern_return_t remote_sender_host(natural_t object, char *host);

#endif /* MACHNETD_REMOTE_H */
