/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach.h>: the umbrella header.  Like macOS's, including it alone is
 * enough for ports, messages, the MIG runtime, errors and task self.
 */
#ifndef _MACH_H_
#define _MACH_H_

#include <sys/cdefs.h>
#include <mach/std_types.h>
#include <mach/mach_types.h>
#include <mach/mach_interface.h>
#include <mach/message.h>
#include <mach/port.h>
#include <mach/mach_port.h>
#include <mach/mach_init.h>
#include <mach/mach_host.h>
#include <mach/thread_switch.h>
#include <mach/mach_traps.h>
#include <mach/mach_vm.h>
#include <mach/mach_error.h>
#include <mach/mig.h>
#include <mach/mig_errors.h>
#include <mach/ndr.h>
#include <mach/notify.h>
#include <mach/task_special_ports.h>
#include <mach/vm_statistics.h>

__BEGIN_DECLS

/* mach_msg() shortcuts with the header's own size and local port. */
extern mach_msg_return_t mach_msg_send(mach_msg_header_t *msg);
extern mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg);

/*
 * Start a mig_reply_error_t for request as XNU's libsystem does: id + 100,
 * size of the error reply, NDR_record.  Like XNU it addresses the reply to
 * the request's msgh_local_port with the LOCAL disposition, and leaves
 * RetCode and the voucher field alone.
 */
extern void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply);

/*
 * MIG server loops.  demux handles one request and fills the reply; the
 * loop sends it to the request's reply port.  max_size bounds requests and
 * replies; options add MACH_RCV_* / MACH_SEND_* bits (e.g. MACH_RCV_LARGE,
 * trailer requests).  mach_msg_server() returns only on error.
 */
extern mach_msg_return_t mach_msg_server_once(
	boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
	mach_msg_size_t max_size, mach_port_t rcv_name,
	mach_msg_options_t options);
extern mach_msg_return_t mach_msg_server(
	boolean_t (*demux)(mach_msg_header_t *, mach_msg_header_t *),
	mach_msg_size_t max_size, mach_port_t rcv_name,
	mach_msg_options_t options);

__END_DECLS

#endif /* _MACH_H_ */
