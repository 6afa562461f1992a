/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/mig_errors.h>: MIG's error codes and its error reply. */
#ifndef _MACH_MIG_ERRORS_H_
#define _MACH_MIG_ERRORS_H_

#include <sys/cdefs.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/message.h>
#include <mach/kern_return.h>

#define MIG_TYPE_ERROR		-300	/* client type check failure */
#define MIG_REPLY_MISMATCH	-301	/* wrong reply message ID */
#define MIG_REMOTE_ERROR	-302	/* server detected error */
#define MIG_BAD_ID		-303	/* bad request message ID */
#define MIG_BAD_ARGUMENTS	-304	/* server type check failure */
#define MIG_NO_REPLY		-305	/* no reply should be sent */
#define MIG_EXCEPTION		-306	/* server raised exception */
#define MIG_ARRAY_TOO_LARGE	-307	/* array not large enough */
#define MIG_SERVER_DIED		-308	/* server died */
#define MIG_TRAILER_ERROR	-309	/* trailer has an unknown format */

#pragma pack(push, 4)

/* The reply a server sends when a routine fails: header, NDR, code. */
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
} mig_reply_error_t;

#pragma pack(pop)

__BEGIN_DECLS

/*
 * MIG's NDR conversion hook for error replies (old mig output calls it when
 * __NDR_convert__mig_reply_error_t__defined); nothing to convert here.
 */
#define __NDR_convert__mig_reply_error_t__defined
static __inline__ void
__NDR_convert__mig_reply_error_t(__attribute__((unused)) mig_reply_error_t *x)
{
}

__END_DECLS

#endif /* _MACH_MIG_ERRORS_H_ */
