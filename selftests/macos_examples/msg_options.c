/* MACH_RCV_LARGE, MACH_RCV_TIMEOUT, MACH_SEND_TIMEOUT with a full queue, send-once past qlimit,
 * send errors, combined send+receive. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/mach_time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

typedef struct {
	mach_msg_header_t header;
	char data[1000];
} big_msg_t;

static uint64_t ms_since(uint64_t t0)
{
	mach_timebase_info_data_t tb;
	mach_timebase_info(&tb);
	return (mach_absolute_time() - t0) * tb.numer / tb.denom / 1000000;
}

int main(void)
{
	mach_port_t task = mach_task_self(), port;
	big_msg_t m;
	struct { mach_msg_header_t h; char small[16]; } small;
	struct { big_msg_t m; mach_msg_max_trailer_t t; } r;
	uint64_t t0;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port), KERN_SUCCESS);
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);

	/* receive timeout on an empty queue */
	t0 = mach_absolute_time();
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 100, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	CHECK(ms_since(t0) >= 90);
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);

	/* MACH_RCV_LARGE: too small a buffer leaves the message queued and says the size */
	memset(&m, 0, sizeof m);
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_size = sizeof m;
	m.header.msgh_remote_port = port;
	m.header.msgh_id = 4242;
	memset(m.data, 'x', sizeof m.data);
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	memset(&small, 0, sizeof small);
	KR(mach_msg(&small.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0, sizeof small, port, 0, MACH_PORT_NULL), MACH_RCV_TOO_LARGE);
	CHECK(small.h.msgh_size == sizeof m);
	/* a buffer that fits the message but not the trailer is still too small */
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0, sizeof m, port, 0, MACH_PORT_NULL), MACH_RCV_TOO_LARGE);
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0,
		sizeof m + sizeof(mach_msg_trailer_t), port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(r.m.header.msgh_id == 4242 && r.m.data[999] == 'x');

	/* without MACH_RCV_LARGE the message is lost */
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	KR(mach_msg(&small.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof small, port, 0, MACH_PORT_NULL), MACH_RCV_TOO_LARGE);
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);

	/* full queue: qlimit 1 */
	{
		mach_port_limits_t lim = { .mpl_qlimit = 1 };
		KR(mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT), KERN_SUCCESS);
	}
	KR(mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	t0 = mach_absolute_time();
	KR(mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, MACH_PORT_NULL, 100, MACH_PORT_NULL), MACH_SEND_TIMED_OUT);
	CHECK(ms_since(t0) >= 90);
	/* the message was pseudo-received: the copied send right is back in our space
	 * as one more user reference, and the header says so */
	CHECK(MACH_MSGH_BITS_REMOTE(m.header.msgh_bits) == MACH_MSG_TYPE_PORT_SEND);
	CHECK(m.header.msgh_remote_port == port);
	{
		mach_port_urefs_t u;
		KR(mach_port_get_refs(task, port, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
		CHECK(u == 2);
		mach_msg_destroy(&m.header);
		KR(mach_port_get_refs(task, port, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
		CHECK(u == 1);
	}
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	KR(mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_TIMED_OUT);
	mach_msg_destroy(&m.header);
	/* a send-once right gets past the queue limit */
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	m.header.msgh_id = 1;
	KR(mach_msg(&m.header, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	{
		mach_port_status_t st;
		mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
		KR(mach_port_get_attributes(task, port, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
		CHECK(st.mps_msgcount == 2);
	}
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(r.m.header.msgh_id == 4242);
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(r.m.header.msgh_id == 1);
	CHECK(MACH_MSGH_BITS_LOCAL(r.m.header.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE);

	/* send errors */
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_remote_port = MACH_PORT_NULL;
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
	m.header.msgh_remote_port = 0x5a5a5a03;
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
	m.header.msgh_remote_port = port;
	m.header.msgh_local_port = 0x5a5a5a03;
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_INVALID_REPLY);
	m.header.msgh_local_port = MACH_PORT_NULL;
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m - 1, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_MSG_TOO_SMALL);
	KR(mach_msg(&m.header, MACH_SEND_MSG, 4, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_MSG_TOO_SMALL);
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_RCV_INVALID_NAME);
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, 0x5a5a5a03, 0, MACH_PORT_NULL), MACH_RCV_INVALID_NAME);
	/* receiving on a send-only name */
	{
		mach_port_t other, snd;
		mach_msg_type_name_t ty;
		struct { mach_msg_header_t h; mach_msg_body_t b; mach_msg_port_descriptor_t d; } pm;
		struct { mach_msg_header_t h; mach_msg_body_t b; mach_msg_port_descriptor_t d; mach_msg_trailer_t t; } pr;
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &other), KERN_SUCCESS);
		KR(mach_port_extract_right(task, other, MACH_MSG_TYPE_MAKE_SEND, &snd, &ty), KERN_SUCCESS);
		/* ship the receive right away and get it back: snd keeps only the send right */
		memset(&pm, 0, sizeof pm);
		pm.h.msgh_bits = MACH_MSGH_BITS_COMPLEX | MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		pm.h.msgh_size = sizeof pm;
		pm.h.msgh_remote_port = port;
		pm.b.msgh_descriptor_count = 1;
		pm.d.name = other;
		pm.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
		pm.d.type = MACH_MSG_PORT_DESCRIPTOR;
		KR(mach_port_insert_right(task, other, snd, MACH_MSG_TYPE_MOVE_SEND), KERN_SUCCESS);
		KR(mach_msg(&pm.h, MACH_SEND_MSG, sizeof pm, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, other, 0, MACH_PORT_NULL), MACH_RCV_INVALID_NAME);
		KR(mach_msg(&pr.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof pr, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(pr.d.name == other);
		CHECK(pr.d.disposition == MACH_MSG_TYPE_PORT_RECEIVE);
	}

	/* send + receive in one call: the reply lands in the same buffer */
	{
		mach_port_t reply;
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &reply), KERN_SUCCESS);
		memset(&r, 0, sizeof r);
		r.m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		r.m.header.msgh_size = sizeof(mach_msg_header_t);
		r.m.header.msgh_remote_port = port;
		r.m.header.msgh_local_port = reply;
		r.m.header.msgh_id = 9;
		/* nothing will answer: the receive half times out after the send succeeded */
		KR(mach_msg(&r.m.header, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(mach_msg_header_t), sizeof r, reply, 50, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
		KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.m.header.msgh_id == 9);
		CHECK(r.m.header.msgh_remote_port != MACH_PORT_NULL);
		CHECK(MACH_MSGH_BITS_REMOTE(r.m.header.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE);
		CHECK(MACH_MSGH_BITS_LOCAL(r.m.header.msgh_bits) == MACH_MSG_TYPE_PORT_SEND);
		/* answer to the send-once right */
		{
			mach_msg_header_t a;
			memset(&a, 0, sizeof a);
			a.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSGH_BITS_REMOTE(r.m.header.msgh_bits), 0, 0, 0);
			a.msgh_size = sizeof a;
			a.msgh_remote_port = r.m.header.msgh_remote_port;
			a.msgh_id = 109;
			KR(mach_msg(&a, MACH_SEND_MSG, sizeof a, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
			/* the send-once right is used up */
			mach_port_type_t t;
			KR(mach_port_type(task, r.m.header.msgh_remote_port, &t), KERN_INVALID_NAME);
		}
		KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, reply, 1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.m.header.msgh_id == 109);
		CHECK(r.m.header.msgh_local_port == reply);
	}
	printf("msg_options: ok\n");
	return 0;
}
