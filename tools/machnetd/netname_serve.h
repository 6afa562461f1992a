/* SPDX-License-Identifier: GPL-2.0 */
/* The netname RPCs machnetd answers on service_port (see netname_msg.h). */
#ifndef MACHNETD_NETNAME_SERVE_H
#define MACHNETD_NETNAME_SERVE_H

#include <stdbool.h>
#include <mach/mach.h>

/* Room a request needs (with its trailer) and a reply needs. */
#define NETNAME_SERVE_MAX	1024

/*
 * Answer one request into out (MIG-shaped).  Returns false when the
 * request is not ours (out then carries MIG_BAD_ID).  Rights in a request
 * that fails are the caller's to destroy, as in MIG's server loop.
 */
bool netname_serve(mach_msg_header_t *in, mach_msg_header_t *out);

/* A watched name died: drop the netname entries that used it. */
void netname_port_died(mach_port_t name);

/* MIG-shaped replies, also used by the remote side to answer deferred look-ups. */
void netname_reply_code(const mach_msg_header_t *in, mach_msg_header_t *out,
			kern_return_t code);
void netname_reply_port(const mach_msg_header_t *in, mach_msg_header_t *out,
			mach_port_t port, mach_msg_type_name_t disposition);
/* The local table: a send right machnetd keeps (copy it to hand it out). */
bool netname_local_look_up(const char *key, mach_port_t *port);

/* Release every right the table holds (exit). */
void netname_clear(void);

#endif /* MACHNETD_NETNAME_SERVE_H */
