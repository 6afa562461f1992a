/*
 * Kernel divergence reproducer: MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY.
 * XNU (mach_msg_receive_results): when a message is too large and
 * MACH_RCV_LARGE is set, the needed size goes to msgh_size and, with
 * MACH_RCV_LARGE_IDENTITY, the name of the port the message is queued on
 * goes to msgh_local_port -- the way a port-set server learns which member
 * to receive from with the bigger buffer.
 */
#include <mach/mach.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	mach_port_t task = mach_task_self(), set, port;
	struct { mach_msg_header_t h; char data[512]; } m;
	struct { mach_msg_header_t h; char small[8]; } r;
	kern_return_t kr;

	mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &set);
	mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port);
	mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_move_member(task, port, set);
	memset(&m, 0, sizeof m);
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof m;
	m.h.msgh_remote_port = port;
	mach_msg(&m.h, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	memset(&r, 0, sizeof r);
	kr = mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY | MACH_RCV_TIMEOUT,
		      0, sizeof r, set, 0, MACH_PORT_NULL);
	printf("kr=0x%x (want 0x%x) msgh_size=%u (want %zu) msgh_local_port=0x%x (want 0x%x)\n",
	       kr, MACH_RCV_TOO_LARGE, r.h.msgh_size, sizeof m, r.h.msgh_local_port, port);
	return !(kr == MACH_RCV_TOO_LARGE && r.h.msgh_size == sizeof m && r.h.msgh_local_port == port);
}
