/* Port right bookkeeping as on macOS: allocate, insert, refs, type, names. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <stdio.h>
#include <stdlib.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

static mach_port_urefs_t refs(mach_port_t n, mach_port_right_t r)
{
	mach_port_urefs_t u = 12345;
	KR(mach_port_get_refs(mach_task_self(), n, r, &u), KERN_SUCCESS);
	return u;
}

static mach_port_type_t type(mach_port_t n)
{
	mach_port_type_t t = 0;
	KR(mach_port_type(mach_task_self(), n, &t), KERN_SUCCESS);
	return t;
}

int main(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t port, port2, ps, dn;
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t ncnt, tcnt;
	mach_port_type_t t;
	mach_port_urefs_t u;
	int found = 0;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port), KERN_SUCCESS);
	CHECK(MACH_PORT_VALID(port));
	CHECK(type(port) == MACH_PORT_TYPE_RECEIVE);
	CHECK(refs(port, MACH_PORT_RIGHT_RECEIVE) == 1);
	CHECK(refs(port, MACH_PORT_RIGHT_SEND) == 0);
	CHECK(refs(port, MACH_PORT_RIGHT_SEND_ONCE) == 0);

	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	CHECK(type(port) == MACH_PORT_TYPE_SEND_RECEIVE);
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
	CHECK(refs(port, MACH_PORT_RIGHT_SEND) == 3);
	KR(mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 2), KERN_SUCCESS);
	CHECK(refs(port, MACH_PORT_RIGHT_SEND) == 5);
	KR(mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -4), KERN_SUCCESS);
	KR(mach_port_deallocate(task, port), KERN_SUCCESS);
	CHECK(refs(port, MACH_PORT_RIGHT_SEND) == 0);
	CHECK(type(port) == MACH_PORT_TYPE_RECEIVE);
	KR(mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -1), KERN_INVALID_RIGHT);
	KR(mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, 1), KERN_INVALID_VALUE);
	KR(mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, 0), KERN_SUCCESS);
	KR(mach_port_mod_refs(task, port, MACH_PORT_RIGHT_PORT_SET, -1), KERN_INVALID_RIGHT);
	/* a receive right alone cannot be deallocated */
	KR(mach_port_deallocate(task, port), KERN_INVALID_RIGHT);

	/* the receive right is in the space under 'port': another name is refused */
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port2), KERN_SUCCESS);
	KR(mach_port_insert_right(task, port2, port, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
	KR(mach_port_insert_right(task, 0x12345603, port, MACH_MSG_TYPE_MAKE_SEND), KERN_RIGHT_EXISTS);
	/* a send right without the receive right cannot make another */
	KR(mach_port_insert_right(task, port2, port2, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(mach_port_mod_refs(task, port2, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
	CHECK(type(port2) == MACH_PORT_TYPE_DEAD_NAME);
	CHECK(refs(port2, MACH_PORT_RIGHT_DEAD_NAME) == 1);
	CHECK(refs(port2, MACH_PORT_RIGHT_SEND) == 0);
	KR(mach_port_mod_refs(task, port2, MACH_PORT_RIGHT_DEAD_NAME, 1), KERN_SUCCESS);
	CHECK(refs(port2, MACH_PORT_RIGHT_DEAD_NAME) == 2);
	/* deallocate of a dead name drops one reference */
	KR(mach_port_deallocate(task, port2), KERN_SUCCESS);
	CHECK(refs(port2, MACH_PORT_RIGHT_DEAD_NAME) == 1);
	KR(mach_port_deallocate(task, port2), KERN_SUCCESS);
	KR(mach_port_type(task, port2, &t), KERN_INVALID_NAME);
	KR(mach_port_deallocate(task, port2), KERN_INVALID_NAME);

	/* NULL and DEAD names */
	KR(mach_port_deallocate(task, MACH_PORT_NULL), KERN_SUCCESS);
	KR(mach_port_deallocate(task, MACH_PORT_DEAD), KERN_SUCCESS);
	KR(mach_port_mod_refs(task, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, -1), KERN_SUCCESS);
	KR(mach_port_type(task, MACH_PORT_NULL, &t), KERN_INVALID_NAME);
	KR(mach_port_type(task, MACH_PORT_DEAD, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_DEAD_NAME);
	u = 7;
	/* XNU answers 1 for a send or send-once right under NULL or DEAD */
	KR(mach_port_get_refs(task, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 1);
	u = 7;
	KR(mach_port_get_refs(task, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND_ONCE, &u), KERN_SUCCESS);
	CHECK(u == 1);
	KR(mach_port_get_refs(task, MACH_PORT_DEAD, MACH_PORT_RIGHT_DEAD_NAME, &u), KERN_INVALID_NAME);
	KR(mach_port_mod_refs(task, MACH_PORT_DEAD, MACH_PORT_RIGHT_DEAD_NAME, -1), KERN_INVALID_NAME);
	KR(mach_port_get_refs(task, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &u), KERN_INVALID_NAME);
	KR(mach_port_destroy(task, MACH_PORT_NULL), KERN_SUCCESS);
	KR(mach_port_allocate(task, 99, &dn), KERN_INVALID_VALUE);
	KR(mach_port_get_refs(task, port, 99, &u), KERN_INVALID_VALUE);

	/* dead names and port sets can be allocated directly */
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dn), KERN_SUCCESS);
	CHECK(type(dn) == MACH_PORT_TYPE_DEAD_NAME);
	CHECK(refs(dn, MACH_PORT_RIGHT_DEAD_NAME) == 1);
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &ps), KERN_SUCCESS);
	CHECK(type(ps) == MACH_PORT_TYPE_PORT_SET);
	CHECK(refs(ps, MACH_PORT_RIGHT_PORT_SET) == 1);

	/* allocate_name */
	KR(mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, 0x4403), KERN_SUCCESS);
	CHECK(type(0x4403) == MACH_PORT_TYPE_RECEIVE);
	KR(mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, 0x4403), KERN_NAME_EXISTS);
	KR(mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL), KERN_INVALID_VALUE);

	/* mach_port_names lists what we have */
	KR(mach_port_names(task, &names, &ncnt, &types, &tcnt), KERN_SUCCESS);
	CHECK(ncnt == tcnt);
	for (mach_msg_type_number_t i = 0; i < ncnt; i++) {
		if (names[i] == port) { CHECK(types[i] == MACH_PORT_TYPE_RECEIVE); found++; }
		if (names[i] == ps) { CHECK(types[i] == MACH_PORT_TYPE_PORT_SET); found++; }
		if (names[i] == dn) { CHECK(types[i] == MACH_PORT_TYPE_DEAD_NAME); found++; }
		CHECK(names[i] != port2);
	}
	CHECK(found == 3);
	KR(vm_deallocate(task, (vm_address_t)names, ncnt * sizeof(*names)), KERN_SUCCESS);
	KR(vm_deallocate(task, (vm_address_t)types, tcnt * sizeof(*types)), KERN_SUCCESS);

	/* destroy removes every right under the name */
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(mach_port_destroy(task, port), KERN_SUCCESS);
	KR(mach_port_type(task, port, &t), KERN_INVALID_NAME);
	KR(mach_port_destroy(task, ps), KERN_SUCCESS);
	KR(mach_port_destroy(task, dn), KERN_SUCCESS);
	KR(mach_port_destroy(task, 0x4403), KERN_SUCCESS);
	printf("port_rights: ok\n");
	return 0;
}
