// SPDX-License-Identifier: GPL-2.0
/*
 * The network side as seen by the netname service, before any peer is
 * connected: nothing is known remotely.
 */
#include <string.h>

#include "machnetd.h"
#include "netname_msg.h"
#include "netname_serve.h"
#include "remote.h"

void remote_look_up(mach_msg_header_t *in, mach_msg_header_t *out)
{
	const netname_look_up_request_t *req = (const void *)in;
	bool everywhere = req->host_name[0] == '\0' || strcmp(req->host_name, "*") == 0;

	/* A listed peer that is not connected "did not respond". */
	netname_reply_code(in, out, everywhere ? NETNAME_NOT_CHECKED_IN
					       : NETNAME_HOST_NOT_FOUND);
}

kern_return_t remote_sender_host(natural_t object, char *host)
{
	(void)object;
	mig_strncpy(host, cfg.name, NETNAME_NAME_LEN);
	return KERN_SUCCESS;
}
