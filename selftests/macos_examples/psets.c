/* Port sets with several members, as a server loop uses them. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

#define N 4

typedef struct {
	mach_msg_header_t header;
	mach_msg_size_t payload;
} msg_t;

typedef struct {
	msg_t m;
	mach_msg_trailer_t trailer;
} rcv_t;

int main(void)
{
	mach_port_t task = mach_task_self(), set, set2, ports[N];
	mach_port_name_array_t members;
	mach_msg_type_number_t count;
	mach_port_status_t st;
	mach_msg_type_number_t cnt;
	int seen[N] = {0};
	rcv_t r;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &set), KERN_SUCCESS);
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &set2), KERN_SUCCESS);
	for (int i = 0; i < N; i++) {
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &ports[i]), KERN_SUCCESS);
		KR(mach_port_insert_right(task, ports[i], ports[i], MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
		KR(mach_port_move_member(task, ports[i], set), KERN_SUCCESS);
	}
	KR(mach_port_get_set_status(task, set, &members, &count), KERN_SUCCESS);
	CHECK(count == N);
	for (unsigned i = 0; i < count; i++) {
		int found = 0;
		for (int j = 0; j < N; j++)
			found += members[i] == ports[j];
		CHECK(found == 1);
	}
	vm_deallocate(task, (vm_address_t)members, count * sizeof(*members));

	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	KR(mach_port_get_attributes(task, ports[0], MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	CHECK(st.mps_pset == 1);

	/* empty set times out */
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set, 10, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);

	for (int i = N - 1; i >= 0; i--) {
		msg_t m;
		memset(&m, 0, sizeof m);
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		m.header.msgh_size = sizeof m;
		m.header.msgh_remote_port = ports[i];
		m.header.msgh_id = 500 + i;
		m.payload = i;
		KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	}
	for (int k = 0; k < N; k++) {
		KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, set, 1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		int i = r.m.payload;
		CHECK(i >= 0 && i < N);
		CHECK(r.m.header.msgh_local_port == ports[i]);  /* the member it arrived on */
		CHECK(r.m.header.msgh_id == 500 + i);
		seen[i]++;
	}
	for (int i = 0; i < N; i++)
		CHECK(seen[i] == 1);

	/* a receive from a member directly still works */
	{
		msg_t m;
		memset(&m, 0, sizeof m);
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		m.header.msgh_size = sizeof m;
		m.header.msgh_remote_port = ports[2];
		KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, ports[2], 1000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	}

	/* insert into a second set too; inserting twice is refused */
	KR(mach_port_insert_member(task, ports[0], set2), KERN_SUCCESS);
	KR(mach_port_insert_member(task, ports[0], set2), KERN_ALREADY_IN_SET);
	KR(mach_port_extract_member(task, ports[0], set2), KERN_SUCCESS);
	KR(mach_port_extract_member(task, ports[0], set2), KERN_NOT_IN_SET);
	/* move_member to MACH_PORT_NULL removes from all sets */
	KR(mach_port_move_member(task, ports[1], MACH_PORT_NULL), KERN_SUCCESS);
	KR(mach_port_get_set_status(task, set, &members, &count), KERN_SUCCESS);
	CHECK(count == N - 1);
	vm_deallocate(task, (vm_address_t)members, count * sizeof(*members));
	KR(mach_port_move_member(task, ports[1], MACH_PORT_NULL), KERN_NOT_IN_SET);
	/* wrong kinds of names */
	KR(mach_port_move_member(task, set, set2), KERN_INVALID_RIGHT);
	KR(mach_port_insert_member(task, ports[1], ports[2]), KERN_INVALID_RIGHT);
	KR(mach_port_get_set_status(task, ports[1], &members, &count), KERN_INVALID_RIGHT);

	/* destroying a member removes it from the set */
	KR(mach_port_mod_refs(task, ports[3], MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	KR(mach_port_get_set_status(task, set, &members, &count), KERN_SUCCESS);
	CHECK(count == N - 2);
	vm_deallocate(task, (vm_address_t)members, count * sizeof(*members));

	/* destroying the set leaves members as plain receive rights */
	KR(mach_port_mod_refs(task, set, MACH_PORT_RIGHT_PORT_SET, -1), KERN_SUCCESS);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	KR(mach_port_get_attributes(task, ports[0], MACH_PORT_RECEIVE_STATUS, (mach_port_info_t)&st, &cnt), KERN_SUCCESS);
	CHECK(st.mps_pset == 0);
	printf("psets: ok\n");
	return 0;
}
