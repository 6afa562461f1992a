/* SPDX-License-Identifier: GPL-2.0 */
/*
 * notify_util.h - helpers shared by the port-set (pset_*) and notification
 * (notify_*) tests: request a notification, receive and check a kernel
 * notification message, hand rights between a parent and a forked child,
 * and wait until a thread is blocked in the kernel.
 *
 * Kernel notification facts (XNU osfmk/ipc/ipc_notify.c calls the MIG
 * stubs generated from mach/notify.defs; osfmk/ipc/mach_msg.c):
 *  - every notification travels through the registered send-once right:
 *    as received, msgh_remote_port is MACH_PORT_NULL (remote bits 0),
 *    msgh_local_port names the notify port and the local bits are
 *    MACH_MSG_TYPE_PORT_SEND_ONCE; no voucher;
 *  - msgh_size excludes the trailer: 24 (send-once), 36 (NDR + one word:
 *    port-deleted, no-senders, dead-name), 40 (port-destroyed: body plus
 *    one 12-byte port descriptor, complex);
 *  - the kernel sends them, so the trailer carries KERNEL_SECURITY_TOKEN
 *    {0, 1} and KERNEL_AUDIT_TOKEN (all zero: pid 0).
 */
#ifndef NOTIFY_UTIL_H
#define NOTIFY_UTIL_H

#include <mach/mach.h>
#include <mach/notify.h>

#include "msg_util.h"

/* Receive options asking for the largest trailer the checks read. */
#define NU_RCV_AUDIT \
	(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | \
	 MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT))

/* msgh_size of each kernel notification, without the trailer. */
#define NU_SIZE_SEND_ONCE	24u
#define NU_SIZE_NAME		36u	/* deleted, dead name, no senders */
#define NU_SIZE_DESTROYED	40u

/* Byte offsets of the payload words in the notification messages. */
#define NU_OFF_NDR		24u
#define NU_OFF_WORD		32u	/* not_port / not_count */
#define NU_OFF_DESC		28u	/* port-destroyed: the port descriptor */

/* Short wait used to show that no message arrives. */
#define NU_QUIET_MS		300

/*
 * mach_port_request_notification(mach_task_self(), name, id, sync,
 * notify, MAKE_SEND_ONCE, previous).  *previous is set to 0xdeadbeef
 * first, so a call that fails leaves a recognisable value.
 */
kern_return_t nu_request(mach_port_t name, mach_msg_id_t id,
			 mach_port_mscount_t sync, mach_port_t notify,
			 mach_port_t *previous);

/*
 * Receive one message on port and check that it is the kernel's
 * notification 'id' of 'size' bytes delivered through a send-once right
 * to port, with the kernel's trailer.  Returns false (after recording
 * the failure) if no such message arrived within timeout_ms.
 */
bool nu_recv_notification(mach_port_t port, struct mu_rcv *r,
			  mach_msg_id_t id, mach_msg_size_t size,
			  unsigned int timeout_ms);

/* The 32-bit word at byte offset off of a received message. */
uint32_t nu_word(const struct mu_rcv *r, unsigned int off);

/* Expect nothing to arrive on port for NU_QUIET_MS; 'what' labels it. */
bool nu_expect_nothing(mach_port_t port, const char *what);

/*
 * Consume the send-once right 'sonce' by sending a message through it and
 * check that the message arrives on 'recv': proves which port the right
 * names.
 */
bool nu_sonce_names(mach_port_t sonce, mach_port_t recv);

/* A new send-once right to our receive right 'port' (its own name). */
mach_port_t nu_make_sonce(mach_port_t port);

/* A new port set. */
mach_port_t nu_pset(void);

/* --- parent/child rendezvous through the bootstrap special port ------- */

/*
 * Parent side, before fork: a port whose send right becomes our
 * bootstrap port, so that a forked child can reach us.
 */
mach_port_t nu_parent_listen(void);
/*
 * Child side: send the parent a send right to our receive right 'mine'
 * (with 'word' as payload).
 */
bool nu_child_hello(mach_port_t mine, uint32_t word);
/*
 * Parent side: receive a child's hello; returns our name for the child's
 * port (a send right) and the word in *word (if not NULL).
 */
mach_port_t nu_parent_accept(mach_port_t listen, uint32_t *word);
/* Send dest a message carrying 'right' (disposition disp) as its reply. */
bool nu_give(mach_port_t dest, mach_port_t right, mach_msg_type_name_t disp,
	     uint32_t word);
/* Receive a right sent by nu_give() on 'mine'; *type is its kind. */
mach_port_t nu_take(mach_port_t mine, mach_msg_type_name_t *type,
		    uint32_t *word);

/* --- threads ---------------------------------------------------------- */

/* The calling thread's kernel thread id. */
pid_t nu_gettid(void);
/*
 * Wait until thread tid of this process sleeps  (state 'S'/'D' in
 * /proc/self/task/tid/stat), then a little longer; false on timeout.
 */
bool nu_wait_sleeping(pid_t tid, unsigned int timeout_ms);

#endif /* NOTIFY_UTIL_H */
