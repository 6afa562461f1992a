/* SPDX-License-Identifier: GPL-2.0 */
/* machd's request handling: the MIG-shaped demux of the bootstrap protocol. */
#ifndef MACHD_SERVE_H
#define MACHD_SERVE_H

#include <mach/mach.h>

/*
 * Receive options for the request loop: the audit trailer serve_demux reads
 * the sender's pid from, and MACH_RCV_INTERRUPT so SIGTERM ends the wait
 * (mach_msg otherwise retries an interrupted receive, as on macOS).
 */
#define SERVE_RCV_OPTIONS \
	(MACH_RCV_INTERRUPT | \
	 MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
	 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))

/*
 * The message machd's signal handler queues on its own service port to end
 * the main loop's receive (machd.c); no bootstrap routine has this id.
 */
#define MACHD_WAKE_ID	0x6d616b65

/* Largest request machd accepts. */
#define SERVE_MAX_REQUEST	512

/* machd's own service port, answered by bootstrap_parent. */
extern mach_port_t serve_port;

/* For mach_msg_server_once(): handle one request, fill the reply. */
boolean_t serve_demux(mach_msg_header_t *in, mach_msg_header_t *out);

#endif /* MACHD_SERVE_H */
