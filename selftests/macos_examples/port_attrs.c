/* mach_port_get/set_attributes, construct/destruct, guards, context. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK_(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

#define CHECK(c) CHECK_(c)
typedef struct {
	mach_msg_header_t header;
	int value;
} simple_msg_t;

static kern_return_t send_simple(mach_port_t dest, int v, mach_msg_option_t opt, mach_msg_timeout_t to)
{
	simple_msg_t m;
	memset(&m, 0, sizeof m);
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_size = sizeof m;
	m.header.msgh_remote_port = dest;
	m.header.msgh_id = 1000 + v;
	m.value = v;
	kern_return_t kr = mach_msg(&m.header, MACH_SEND_MSG | opt, sizeof m, 0, MACH_PORT_NULL, to, MACH_PORT_NULL);
	if (kr == MACH_SEND_TIMED_OUT) {
		/* as on macOS, the unsent message was pseudo-received: its rights are ours again */
		CHECK(MACH_MSGH_BITS_REMOTE(m.header.msgh_bits) == MACH_MSG_TYPE_PORT_SEND);
		CHECK(m.header.msgh_remote_port == dest);
		mach_msg_destroy(&m.header);
	}
	return kr;
}

int main(void)
{
	mach_port_t task = mach_task_self(), port, p2;
	mach_port_limits_t lim;
	mach_port_status_t st;
	mach_msg_type_number_t cnt;
	mach_port_context_t ctx;
	mach_port_options_t opts;
	int dn;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port), KERN_SUCCESS);
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	KR(mach_port_get_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt), KERN_SUCCESS);
	CHECK(cnt == MACH_PORT_LIMITS_INFO_COUNT);
	CHECK(lim.mpl_qlimit == MACH_PORT_QLIMIT_DEFAULT);

	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	memset(&st, 0xff, sizeof st);
	KR(mach_port_get_attributes(task, port, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	CHECK(cnt == MACH_PORT_RECEIVE_STATUS_COUNT);
	CHECK(st.mps_pset == 0 && st.mps_seqno == 0 && st.mps_mscount == 0);
	CHECK(st.mps_qlimit == MACH_PORT_QLIMIT_DEFAULT && st.mps_msgcount == 0);
	CHECK(st.mps_sorights == 0 && st.mps_srights == 0);
	CHECK(st.mps_pdrequest == 0 && st.mps_nsrequest == 0);

	/* buffer too small */
	cnt = 0;
	KR(mach_port_get_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt), KERN_FAILURE);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT - 1;
	KR(mach_port_get_attributes(task, port, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_FAILURE);
	cnt = 1;
	KR(mach_port_get_attributes(task, port, MACH_PORT_DNREQUESTS_SIZE, (mach_port_info_t)&dn, &cnt), KERN_SUCCESS);
	cnt = 1;
	KR(mach_port_get_attributes(task, port, 12345, (mach_port_info_t)&dn, &cnt), KERN_INVALID_ARGUMENT);

	/* make some state and read it back */
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	lim.mpl_qlimit = 2;
	KR(mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT), KERN_SUCCESS);
	KR(send_simple(port, 1, 0, 0), MACH_MSG_SUCCESS);
	KR(send_simple(port, 2, 0, 0), MACH_MSG_SUCCESS);
	KR(send_simple(port, 3, MACH_SEND_TIMEOUT, 0), MACH_SEND_TIMED_OUT);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	KR(mach_port_get_attributes(task, port, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	CHECK(st.mps_mscount == 2);
	CHECK(st.mps_srights == 1);
	CHECK(st.mps_qlimit == 2);
	CHECK(st.mps_msgcount == 2);
	CHECK(st.mps_seqno == 0);
	{
		struct { mach_msg_header_t h; int v; mach_msg_trailer_t t; } r;
		KR(mach_msg(&r.h, MACH_RCV_MSG, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.v == 1 && r.h.msgh_id == 1001);
		CHECK(r.h.msgh_size == sizeof(simple_msg_t));
		CHECK(r.t.msgh_trailer_type == MACH_MSG_TRAILER_FORMAT_0);
		CHECK(r.t.msgh_trailer_size == MACH_MSG_TRAILER_MINIMUM_SIZE);
		CHECK(MACH_MSGH_BITS_LOCAL(r.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND);
		CHECK(MACH_MSGH_BITS_REMOTE(r.h.msgh_bits) == 0);
		CHECK(r.h.msgh_local_port == port);
		CHECK(r.h.msgh_remote_port == MACH_PORT_NULL);
	}
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	KR(mach_port_get_attributes(task, port, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	CHECK(st.mps_seqno == 1);
	CHECK(st.mps_msgcount == 1);

	/* limits */
	lim.mpl_qlimit = MACH_PORT_QLIMIT_MAX + 1;
	KR(mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT), KERN_INVALID_VALUE);
	lim.mpl_qlimit = MACH_PORT_QLIMIT_MAX;
	KR(mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT), KERN_SUCCESS);
	KR(mach_port_set_attributes(task, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, 0), KERN_FAILURE);
	/* only for receive rights */
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &p2), KERN_SUCCESS);
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	KR(mach_port_get_attributes(task, p2, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt), KERN_INVALID_RIGHT);
	cnt = MACH_PORT_LIMITS_INFO_COUNT;
	KR(mach_port_get_attributes(task, 0x7777707, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim, &cnt), KERN_INVALID_NAME);

	/* context */
	KR(mach_port_set_context(task, port, 0x1234), KERN_SUCCESS);
	KR(mach_port_get_context(task, port, &ctx), KERN_SUCCESS);
	CHECK(ctx == 0x1234);
	KR(mach_port_set_context(task, port, 0), KERN_SUCCESS);

	/* construct with options */
	memset(&opts, 0, sizeof opts);
	opts.flags = MPO_INSERT_SEND_RIGHT | MPO_QLIMIT | MPO_CONTEXT_AS_GUARD;
	opts.mpl.mpl_qlimit = 1;
	KR(mach_port_construct(task, &opts, (mach_port_context_t)0xfeedULL, &p2), KERN_SUCCESS);
	{
		mach_port_type_t t;
		mach_port_urefs_t u;
		KR(mach_port_type(task, p2, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_SEND_RECEIVE);
		KR(mach_port_get_refs(task, p2, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
		CHECK(u == 1);
	}
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	KR(mach_port_get_attributes(task, p2, MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	CHECK(st.mps_qlimit == 1);
	CHECK(st.mps_flags & MACH_PORT_STATUS_FLAG_GUARDED);
	KR(send_simple(p2, 9, 0, 0), MACH_MSG_SUCCESS);
	KR(send_simple(p2, 9, MACH_SEND_TIMEOUT, 10), MACH_SEND_TIMED_OUT);
	KR(mach_port_get_context(task, p2, &ctx), KERN_SUCCESS);
	CHECK(ctx == 0xfeed);
	/* guarded: wrong guard on destruct fails */
	KR(mach_port_destruct(task, p2, -1, 0xbad), KERN_INVALID_ARGUMENT);
	KR(mach_port_destruct(task, p2, -1, 0xfeed), KERN_SUCCESS);
	{
		mach_port_type_t t;
		KR(mach_port_type(task, p2, &t), KERN_INVALID_NAME);
	}

	/* construct without send right, guard later, unguard */
	memset(&opts, 0, sizeof opts);
	KR(mach_port_construct(task, &opts, 0, &p2), KERN_SUCCESS);
	KR(mach_port_guard(task, p2, 0x99, FALSE), KERN_SUCCESS);
	KR(mach_port_guard(task, p2, 0x98, FALSE), KERN_INVALID_ARGUMENT);
	KR(mach_port_unguard(task, p2, 0x98), KERN_INVALID_ARGUMENT);
	KR(mach_port_unguard(task, p2, 0x99), KERN_SUCCESS);
	KR(mach_port_destruct(task, p2, 0, 0), KERN_SUCCESS);

	KR(mach_port_destroy(task, port), KERN_SUCCESS);
	printf("port_attrs: ok\n");
	return 0;
}
