// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel-object ports: the messages they receive, and the end of those
 * that belong to their send rights.
 *
 * A message sent to a kernel-object port (a task port, a fileport, a
 * memory entry): XNU hands it to the MIG server of the object.  The
 * routines libmach needs are ioctls here, so this server knows no message
 * id, and it
 * answers as XNU's answers an id it does not know: the send succeeds, the
 * request is consumed (its rights destroyed) and, if it named a reply
 * port, a mig_reply_error_t goes back on it with msgh_id the request's id
 * + 100 and RetCode MIG_BAD_ID.  Code that talks to a task port by message
 * (rather than through the library) sees MIG_BAD_ID, not a hang or a
 * MACH_SEND_INVALID_DEST that macOS would never return.
 */

#include <linux/file.h>
#include "desc.h"
#include "kmsg.h"
#include "kobject.h"
#include "mem_entry.h"
#include "notify.h"
#include "port.h"
#include "right.h"

#define MACH_MIG_REPLY_ID_OFFSET	100
#define MACH_MIG_BAD_ID			(-303)

void mach_kobject_server(struct mach_kmsg *req)
{
	struct mach_port *reply = req->reply;
	u32 reply_type = req->reply_type;
	u32 id = (u32)req->hdr->id + MACH_MIG_REPLY_ID_OFFSET;

	req->reply = NULL;
	mach_kmsg_destroy(req);
	if (mach_kport_real(reply))
		mach_kernel_send_u32(reply, reply_type, (s32)id,
				     (u32)MACH_MIG_BAD_ID);
}

/*
 * The last send right to a fileport or memory entry is gone (port.c): no
 * new one can appear, since only a send right copies into another.  The
 * port dies (its creation reference was the kernel's receive right) and
 * the object goes.  Called with no port lock held; the caller keeps its
 * own reference to the port across the call.
 */
void mach_kobject_no_senders(struct mach_port *port)
{
	u8 type = port->kobj_type;
	void *object;

	spin_lock(&port->lock);
	object = mach_port_kobject(port);
	mach_port_clear_kobject(port);
	spin_unlock(&port->lock);
	mach_port_destroy(port);
	if (!object)
		return;
	if (type == MACH_KOBJ_FILE)
		fput(object);
	else if (type == MACH_KOBJ_MEMORY_ENTRY)
		mach_mem_entry_free(object);
}
