/* insert_right / extract_right error codes (macOS's libsyscall uses the
 * _kernelrpc_mach_port_insert_right trap, so copyin errors come back as
 * KERN_* codes, not MACH_SEND_*); header fields the kernel rewrites. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/notify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

int main(void)
{
	mach_port_t task = mach_task_self(), a, b, snd, dead, got;
	mach_msg_type_name_t ty;
	mach_port_type_t t;
	mach_port_urefs_t u;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &a), KERN_SUCCESS);
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead), KERN_SUCCESS);

	KR(mach_port_insert_right(task, 0x70000003, 0x70000003, MACH_MSG_TYPE_COPY_SEND), KERN_INVALID_NAME);
	KR(mach_port_insert_right(task, a, a, MACH_MSG_TYPE_COPY_SEND), KERN_INVALID_RIGHT);
	KR(mach_port_insert_right(task, a, a, MACH_MSG_TYPE_MOVE_SEND_ONCE), KERN_INVALID_RIGHT);
	/* MAKE_SEND from a dead name is an invalid right (a COPY_SEND is not checked here:
	 * see kernel_repro/insert_right_dead_name.c) */
	KR(mach_port_insert_right(task, 0x70000103, dead, MACH_MSG_TYPE_MAKE_SEND), KERN_INVALID_RIGHT);
	KR(mach_port_get_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, &u), KERN_SUCCESS);
	CHECK(u == 1);
	/* an invalid target name */
	KR(mach_port_insert_right(task, MACH_PORT_NULL, a, MACH_MSG_TYPE_MAKE_SEND), KERN_INVALID_VALUE);
	KR(mach_port_type(task, a, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_RECEIVE);

	/* a send-only name */
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &b), KERN_SUCCESS);
	KR(mach_port_insert_right(task, b, b, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	{
		struct { mach_msg_header_t h; mach_msg_body_t body; mach_msg_port_descriptor_t d; } m;
		memset(&m, 0, sizeof m);
		m.h.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		m.h.msgh_size = sizeof m;
		m.h.msgh_remote_port = a;
		m.body.msgh_descriptor_count = 1;
		m.d.name = b;
		m.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		m.d.type = MACH_MSG_PORT_DESCRIPTOR;
		KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	}
	snd = b;
	KR(mach_port_type(task, snd, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_SEND);
	KR(mach_port_insert_right(task, snd, snd, MACH_MSG_TYPE_MAKE_SEND), KERN_INVALID_RIGHT);
	KR(mach_port_insert_right(task, snd, snd, MACH_MSG_TYPE_MAKE_SEND_ONCE), KERN_INVALID_RIGHT);
	KR(mach_port_insert_right(task, snd, snd, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
	KR(mach_port_get_refs(task, snd, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 2);

	/* extract_right */
	KR(mach_port_extract_right(task, snd, MACH_MSG_TYPE_MAKE_SEND, &got, &ty), KERN_INVALID_RIGHT);
	KR(mach_port_extract_right(task, 0x70000203, MACH_MSG_TYPE_COPY_SEND, &got, &ty), KERN_INVALID_NAME);
	KR(mach_port_extract_right(task, snd, 99, &got, &ty), KERN_INVALID_VALUE);
	KR(mach_port_extract_right(task, snd, MACH_MSG_TYPE_COPY_SEND, &got, &ty), KERN_SUCCESS);
	CHECK(got == snd && ty == MACH_MSG_TYPE_PORT_SEND);
	KR(mach_port_get_refs(task, snd, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 3);
	KR(mach_port_extract_right(task, a, MACH_MSG_TYPE_MAKE_SEND_ONCE, &got, &ty), KERN_SUCCESS);
	CHECK(ty == MACH_MSG_TYPE_PORT_SEND_ONCE && got != a && MACH_PORT_VALID(got));
	KR(mach_port_type(task, got, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_SEND_ONCE);
	KR(mach_port_deallocate(task, got), KERN_SUCCESS);

	/* moving a receive right to a new name */
	{
		mach_port_t c, d = 0x71000003;
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &c), KERN_SUCCESS);
		KR(mach_port_insert_right(task, d, c, MACH_MSG_TYPE_MOVE_RECEIVE), KERN_SUCCESS);
		KR(mach_port_type(task, c, &t), KERN_INVALID_NAME);
		KR(mach_port_type(task, d, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_RECEIVE);
	}

	/* the kernel takes the size from send_size, and ignores the voucher field without voucher bits */
	{
		struct { mach_msg_header_t h; int x[4]; } m;
		struct { mach_msg_header_t h; int x[4]; mach_msg_trailer_t t; } r;
		memset(&m, 0, sizeof m);
		m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
		m.h.msgh_size = 0;
		m.h.msgh_remote_port = a;
		m.h.msgh_voucher_port = 0x12345678;
		m.x[0] = 7;
		KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, a, 1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		/* the first message on 'a' is the one carrying b's receive right */
		CHECK(r.h.msgh_bits & MACH_MSGH_BITS_COMPLEX);
		mach_msg_destroy(&r.h);
		/* then the send-once notification for the extracted right we deallocated */
		KR(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, a, 1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.h.msgh_id == MACH_NOTIFY_SEND_ONCE);
		KR(mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, a, 1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.h.msgh_size == sizeof m);
		CHECK(r.h.msgh_voucher_port == MACH_PORT_NULL);
		CHECK(r.x[0] == 7);
		/* a size that is not a multiple of 4 */
		KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof m - 2, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_MSG_TOO_SMALL);
	}
	printf("rights_edges: ok\n");
	return 0;
}
