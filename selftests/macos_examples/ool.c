/* OOL memory and OOL port arrays, vm_deallocate, mach_msg_destroy, mach_msg_overwrite. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_ool_descriptor_t data;
	mach_msg_ool_ports_descriptor_t ports;
	mach_msg_port_descriptor_t one;
	NDR_record_t NDR;
	int tag;
} ool_msg_t;

typedef struct {
	ool_msg_t m;
	mach_msg_max_trailer_t trailer;
} ool_rcv_t;

static mach_port_urefs_t srefs(mach_port_t p)
{
	mach_port_urefs_t u;
	KR(mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	return u;
}

int main(void)
{
	mach_port_t task = mach_task_self(), port, p[3];
	vm_address_t buf = 0;
	vm_size_t size = 3 * vm_page_size + 100;
	ool_msg_t m;
	ool_rcv_t r;

	CHECK(sizeof(mach_msg_ool_descriptor_t) == 16);
	CHECK(sizeof(mach_msg_ool_ports_descriptor_t) == 16);
	CHECK(sizeof(mach_msg_port_descriptor_t) == 12);
	CHECK(vm_page_size == 4096 || vm_page_size == 16384);

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port), KERN_SUCCESS);
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	for (int i = 0; i < 3; i++) {
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &p[i]), KERN_SUCCESS);
		KR(mach_port_insert_right(task, p[i], p[i], MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	}
	KR(vm_allocate(task, &buf, size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	CHECK(buf % vm_page_size == 0);
	CHECK(((char *)buf)[size - 1] == 0);
	for (vm_size_t i = 0; i < size; i++)
		((unsigned char *)buf)[i] = (unsigned char)(i * 7);

	for (int round = 0; round < 2; round++) {
		mach_port_t arr[3] = { p[0], p[1], p[2] };
		memset(&m, 0, sizeof m);
		m.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
		m.header.msgh_size = sizeof m;
		m.header.msgh_remote_port = port;
		m.header.msgh_id = 77;
		m.body.msgh_descriptor_count = 3;
		m.data.address = (void *)buf;
		m.data.size = (mach_msg_size_t)size;
		m.data.deallocate = FALSE;
		m.data.copy = round ? MACH_MSG_PHYSICAL_COPY : MACH_MSG_VIRTUAL_COPY;
		m.data.type = MACH_MSG_OOL_DESCRIPTOR;
		m.ports.address = arr;
		m.ports.count = 3;
		m.ports.deallocate = FALSE;
		m.ports.copy = MACH_MSG_PHYSICAL_COPY;
		m.ports.disposition = MACH_MSG_TYPE_COPY_SEND;
		m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
		m.one.name = p[0];
		m.one.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.one.type = MACH_MSG_PORT_DESCRIPTOR;
		m.NDR = NDR_record;
		m.tag = 0x5eed + round;
		KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		/* copies: p[0] has 1 + 1 (ool) + 1 (made) in flight; ours is unchanged */
		CHECK(srefs(p[0]) == 1 && srefs(p[1]) == 1);

		/* the sender's buffer is untouched and can be changed freely */
		((unsigned char *)buf)[0] = 0xAA;

		memset(&r, 0, sizeof r);
		if (round == 0) {
			KR(mach_msg(&r.m.header, MACH_RCV_MSG, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		} else {
			/* mach_msg_overwrite: send nothing, receive into a separate buffer */
			mach_msg_header_t dummy;
			KR(mach_msg_overwrite(&dummy, MACH_RCV_MSG, 0, sizeof r, port, 0, MACH_PORT_NULL,
				&r.m.header, sizeof r), MACH_MSG_SUCCESS);
		}
		CHECK(r.m.header.msgh_id == 77);
		CHECK(r.m.header.msgh_bits & MACH_MSGH_BITS_COMPLEX);
		CHECK(r.m.header.msgh_size == sizeof m);
		CHECK(r.m.body.msgh_descriptor_count == 3);
		CHECK(r.m.tag == 0x5eed + round);
		CHECK(r.m.data.type == MACH_MSG_OOL_DESCRIPTOR);
		CHECK(r.m.data.size == size);
		CHECK(r.m.data.address != NULL && r.m.data.address != (void *)buf);
		CHECK(((unsigned char *)r.m.data.address)[0] == 0);
		for (vm_size_t i = 1; i < size; i++)
			CHECK(((unsigned char *)r.m.data.address)[i] == (unsigned char)(i * 7));
		CHECK(r.m.ports.type == MACH_MSG_OOL_PORTS_DESCRIPTOR);
		CHECK(r.m.ports.count == 3);
		CHECK(r.m.ports.disposition == MACH_MSG_TYPE_PORT_SEND);
		{
			mach_port_t *rp = r.m.ports.address;
			for (int i = 0; i < 3; i++)
				CHECK(rp[i] == p[i]);
		}
		CHECK(r.m.one.name == p[0] && r.m.one.disposition == MACH_MSG_TYPE_PORT_SEND);
		CHECK(srefs(p[0]) == 3 && srefs(p[1]) == 2 && srefs(p[2]) == 2);
		((unsigned char *)buf)[0] = 0;

		if (round == 0) {
			/* release by hand */
			KR(vm_deallocate(task, (vm_address_t)r.m.data.address, r.m.data.size), KERN_SUCCESS);
			mach_port_t *rp = r.m.ports.address;
			for (int i = 0; i < 3; i++)
				KR(mach_port_deallocate(task, rp[i]), KERN_SUCCESS);
			KR(vm_deallocate(task, (vm_address_t)rp, 3 * sizeof(mach_port_t)), KERN_SUCCESS);
			KR(mach_port_deallocate(task, r.m.one.name), KERN_SUCCESS);
		} else {
			/* mach_msg_destroy releases every right and region */
			mach_msg_destroy(&r.m.header);
		}
		CHECK(srefs(p[0]) == 1 && srefs(p[1]) == 1 && srefs(p[2]) == 1);
	}

	/* deallocate = TRUE: the sender's region goes away */
	{
		vm_address_t b2 = 0;
		KR(vm_allocate(task, &b2, vm_page_size, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
		strcpy((char *)b2, "moved");
		memset(&m, 0, sizeof m);
		m.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
		m.header.msgh_size = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) + sizeof(mach_msg_ool_descriptor_t);
		m.header.msgh_remote_port = port;
		m.body.msgh_descriptor_count = 1;
		m.data.address = (void *)b2;
		m.data.size = (mach_msg_size_t)vm_page_size;
		m.data.deallocate = TRUE;
		m.data.copy = MACH_MSG_VIRTUAL_COPY;
		m.data.type = MACH_MSG_OOL_DESCRIPTOR;
		KR(mach_msg(&m.header, MACH_SEND_MSG, m.header.msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_msg(&r.m.header, MACH_RCV_MSG, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(strcmp((char *)r.m.data.address, "moved") == 0);
		KR(vm_deallocate(task, (vm_address_t)r.m.data.address, r.m.data.size), KERN_SUCCESS);
	}

	/* zero-size OOL region arrives as NULL */
	{
		memset(&m, 0, sizeof m);
		m.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
		m.header.msgh_size = sizeof(mach_msg_header_t) + sizeof(mach_msg_body_t) + sizeof(mach_msg_ool_descriptor_t);
		m.header.msgh_remote_port = port;
		m.body.msgh_descriptor_count = 1;
		m.data.address = (void *)buf;
		m.data.size = 0;
		m.data.copy = MACH_MSG_VIRTUAL_COPY;
		m.data.type = MACH_MSG_OOL_DESCRIPTOR;
		KR(mach_msg(&m.header, MACH_SEND_MSG, m.header.msgh_size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		KR(mach_msg(&r.m.header, MACH_RCV_MSG, 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(r.m.data.size == 0);
		CHECK(r.m.data.address == NULL);
	}
	KR(vm_deallocate(task, buf, size), KERN_SUCCESS);
	printf("ool: ok\n");
	return 0;
}
