// SPDX-License-Identifier: GPL-2.0
/*
 * port_refs - user references of rights, as XNU keeps them
 * (osfmk/ipc/ipc_right.c: ipc_right_delta, ipc_right_dealloc,
 * ipc_right_destroy; osfmk/ipc/ipc_object.c: ipc_object_insert_send_right).
 *
 * Note on overflow: current XNU no longer answers KERN_UREFS_OVERFLOW from
 * mach_port_mod_refs.  Send and dead-name urefs are "pegged" at
 * MACH_PORT_UREFS_MAX (0xffff): a delta that would pass it leaves 0xffff and
 * succeeds, and once pegged only a delta of -0xffff changes the count
 * (ipc_right_delta, "leave urefs pegged to maximum if it overflowed").
 */
#include <stdlib.h>

#include "msg_util.h"

#define UREFS_MAX	0xffff

static void insert_make_send(void)
{
	mach_port_t task = mach_task_self(), port = mu_port();

	assert_true(port != MACH_PORT_NULL, "port");
	expect_eq(0, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs before");
	assert_kr(KERN_SUCCESS,
		  mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND),
		  "insert_right MAKE_SEND");
	/* Send rights coalesce with the receive right under its name. */
	expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, mu_type(port), "type");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_kr(KERN_SUCCESS,
		  mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND),
		  "insert_right MAKE_SEND again");
	expect_kr(KERN_SUCCESS,
		  mach_port_insert_right(task, port, port, MACH_MSG_TYPE_COPY_SEND),
		  "insert_right COPY_SEND");
	expect_eq(3, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 2),
		  "mod_refs(SEND, +2)");
	expect_eq(5, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, port), "deallocate");
	expect_eq(4, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_RECEIVE), "receive urefs");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -4),
		  "mod_refs(SEND, -4)");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "type without send");
}

/* Names a send right may (not) be inserted under (XNU's own darwintests). */
static void insert_right_names(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), port2 = mu_port();

	assert_true(port && port2, "ports");
	/* Another name for a port this space already names. */
	expect_kr(KERN_RIGHT_EXISTS,
		  mach_port_insert_right(task, port, port2, MACH_MSG_TYPE_MAKE_SEND),
		  "insert port2's send right under port's name");
	expect_kr(KERN_RIGHT_EXISTS,
		  mach_port_insert_right(task, 0x515103, port, MACH_MSG_TYPE_MAKE_SEND),
		  "insert under a free name");
	/* Index 0 with valid generation bits, then invalid generation bits. */
	expect_kr(KERN_FAILURE,
		  mach_port_insert_right(task, 123, port, MACH_MSG_TYPE_MAKE_SEND),
		  "insert under name 123 (index 0)");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_insert_right(task, 122, port, MACH_MSG_TYPE_MAKE_SEND),
		  "insert under name 122 (bad generation)");
	/* COPY_SEND needs a send right; MAKE_SEND needs the receive right. */
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_insert_right(task, port, port, MACH_MSG_TYPE_COPY_SEND),
		  "COPY_SEND without a send right");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "port unchanged");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port2), "port2 unchanged");
}

static void mod_refs_errors(void)
{
	mach_port_t task = mach_task_self(), port = mu_port_send();
	mach_port_t dead;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 1),
		  "mod_refs(SEND, +1)");
	/* Below zero: KERN_INVALID_VALUE, and nothing changes. */
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -3),
		  "mod_refs(SEND, -3) with 2 urefs");
	expect_eq(2, mu_refs(port, MACH_PORT_RIGHT_SEND), "urefs unchanged");
	/* |delta| beyond MACH_PORT_UREFS_MAX is refused outright. */
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 0x10000),
		  "mod_refs(SEND, +0x10000)");
	/* A receive right takes delta 0 or -1 only. */
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, -2),
		  "mod_refs(RECEIVE, -2)");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, 1),
		  "mod_refs(RECEIVE, +1)");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, 0),
		  "mod_refs(RECEIVE, 0)");
	/* The name holds no such right. */
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND_ONCE, -1),
		  "mod_refs(SEND_ONCE) on a send/receive name");
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_PORT_SET, -1),
		  "mod_refs(PORT_SET) on a send/receive name");
	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "allocate DEAD_NAME");
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_SEND, 1),
		  "mod_refs(SEND) on a dead name");
	/* right >= MACH_PORT_RIGHT_NUMBER, then a name that is not there. */
	expect_kr(KERN_INVALID_VALUE, mach_port_mod_refs(task, port, 42, 1),
		  "mod_refs(right 42)");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_mod_refs(task, 0x7ffe0103, MACH_PORT_RIGHT_SEND, -1),
		  "mod_refs on an unused name");
	/* MACH_PORT_NULL and DEAD stand for send rights that need no refs. */
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, -1),
		  "mod_refs(MACH_PORT_NULL, SEND)");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_mod_refs(task, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, -1),
		  "mod_refs(MACH_PORT_NULL, RECEIVE)");
	expect_eq(2, mu_refs(port, MACH_PORT_RIGHT_SEND), "urefs at the end");
}

static void get_refs_special(void)
{
	mach_port_t task = mach_task_self();
	mach_port_urefs_t refs = 0;

	expect_kr(KERN_SUCCESS,
		  mach_port_get_refs(task, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, &refs),
		  "get_refs(MACH_PORT_NULL, SEND)");
	expect_eq(1, refs, "MACH_PORT_NULL counts as one send uref");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_get_refs(task, MACH_PORT_DEAD, MACH_PORT_RIGHT_RECEIVE, &refs),
		  "get_refs(MACH_PORT_DEAD, RECEIVE)");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_get_refs(task, MACH_PORT_NULL, 42, &refs),
		  "get_refs(right 42)");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_get_refs(task, 0x7ffe0103, MACH_PORT_RIGHT_SEND, &refs),
		  "get_refs on an unused name");
}

static void urefs_pegged_at_max(void)
{
	mach_port_t task = mach_task_self(), port = mu_port_send();

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, UREFS_MAX - 2),
		  "mod_refs up to 0xfffe");
	expect_eq(UREFS_MAX - 1, mu_refs(port, MACH_PORT_RIGHT_SEND), "0xfffe");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 1),
		  "mod_refs +1 to 0xffff");
	expect_eq(UREFS_MAX, mu_refs(port, MACH_PORT_RIGHT_SEND), "0xffff");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 10),
		  "mod_refs +10 past the maximum");
	expect_kr(KERN_SUCCESS,
		  mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND),
		  "insert_right MAKE_SEND at the maximum");
	expect_eq(UREFS_MAX, mu_refs(port, MACH_PORT_RIGHT_SEND), "still 0xffff");
	/* Pegged: small decrements are ignored, not applied. */
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -1),
		  "mod_refs -1 when pegged");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, port),
		  "deallocate when pegged");
	expect_eq(UREFS_MAX, mu_refs(port, MACH_PORT_RIGHT_SEND), "still pegged");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, -UREFS_MAX),
		  "mod_refs -0xffff");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "send right gone");
}

static void deallocate_rights(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), pset;
	mach_port_type_t type;

	assert_true(port != MACH_PORT_NULL, "port");
	/* ipc_right_dealloc has no case for a lone receive right. */
	expect_kr(KERN_INVALID_RIGHT, mach_port_deallocate(task, port),
		  "deallocate a receive right");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "receive right kept");
	expect_kr(KERN_INVALID_NAME, mach_port_deallocate(task, 0x7ffe0103),
		  "deallocate an unused name");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, MACH_PORT_NULL),
		  "deallocate MACH_PORT_NULL");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, MACH_PORT_DEAD),
		  "deallocate MACH_PORT_DEAD");
	/* A port set is one of the rights deallocate may drop (mach_port.c). */
	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &pset),
		  "allocate PORT_SET");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, pset),
		  "deallocate a port set");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, pset, &type),
		  "port set gone");
}

static void destroy_name(void)
{
	mach_port_t task = mach_task_self(), port = mu_port_send();
	mach_port_type_t type;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 2),
		  "mod_refs(SEND, +2)");
	/* destroy drops every right under the name, send urefs included. */
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, port), "destroy");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, port, &type),
		  "name gone");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, MACH_PORT_NULL),
		  "destroy MACH_PORT_NULL");
	expect_kr(KERN_INVALID_NAME, mach_port_destroy(task, 0x7ffe0103),
		  "destroy an unused name");
}

/*
 * Dropping the receive right of a send/receive name leaves a dead name
 * that keeps the send urefs (ipc_right_delta, MACH_PORT_RIGHT_RECEIVE).
 */
static void dead_name_keeps_urefs(void)
{
	mach_port_t task = mach_task_self(), port = mu_port_send();
	mach_port_type_t type;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(task, port, MACH_PORT_RIGHT_SEND, 2),
		  "mod_refs(SEND, +2)");
	assert_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_RECEIVE, -1),
		  "mod_refs(RECEIVE, -1)");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(port), "type");
	expect_eq(3, mu_refs(port, MACH_PORT_RIGHT_DEAD_NAME), "dead-name urefs");
	expect_eq(0, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_true(mu_names_find(port, &type), "listed by mach_port_names");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, type & MACH_PORT_TYPE_ALL_RIGHTS,
		  "listed as a dead name");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, port),
		  "deallocate a dead name");
	expect_eq(2, mu_refs(port, MACH_PORT_RIGHT_DEAD_NAME), "dead-name urefs");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, port, MACH_PORT_RIGHT_DEAD_NAME, -2),
		  "mod_refs(DEAD_NAME, -2)");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, port, &type), "gone");
}

/* A send-once right has a name of its own and dies into a dead name. */
static void send_once_dies(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), so = MACH_PORT_NULL;
	mach_msg_type_name_t acquired = 0;

	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					  &so, &acquired),
		  "extract_right MAKE_SEND_ONCE");
	expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, acquired, "acquired type");
	expect_ne(port, so, "its own name");
	expect_eq(MACH_PORT_TYPE_SEND_ONCE, mu_type(so), "type");
	expect_eq(1, mu_refs(so, MACH_PORT_RIGHT_SEND_ONCE), "send-once urefs");
	expect_eq(1, mu_status(port).mps_sorights, "port counts one send-once right");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_mod_refs(task, so, MACH_PORT_RIGHT_SEND_ONCE, 1),
		  "mod_refs(SEND_ONCE, +1)");
	assert_kr(KERN_SUCCESS, mach_port_destroy(task, port), "destroy the port");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(so), "type after the port died");
	expect_eq(1, mu_refs(so, MACH_PORT_RIGHT_DEAD_NAME), "dead-name urefs");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, so), "deallocate");
}

static void extract_right(void)
{
	mach_port_t task = mach_task_self(), port = mu_port(), poly = 0;
	mach_msg_type_name_t acquired = 0;

	assert_true(port != MACH_PORT_NULL, "port");
	/* Extracted into our own space, a send right lands on the same name. */
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, port, MACH_MSG_TYPE_MAKE_SEND,
					  &poly, &acquired),
		  "extract_right MAKE_SEND");
	expect_eq(port, poly, "name of the send right");
	expect_eq(MACH_MSG_TYPE_PORT_SEND, acquired, "acquired type");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, port, MACH_MSG_TYPE_COPY_SEND,
					  &poly, &acquired),
		  "extract_right COPY_SEND");
	expect_eq(port, poly, "name");
	expect_eq(MACH_MSG_TYPE_PORT_SEND, acquired, "acquired type");
	expect_eq(2, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	/* MOVE_SEND takes a uref out and the copyout puts it back. */
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(task, port, MACH_MSG_TYPE_MOVE_SEND,
					  &poly, &acquired),
		  "extract_right MOVE_SEND");
	expect_eq(port, poly, "name");
	expect_eq(2, mu_refs(port, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_extract_right(task, 0x7ffe0103, MACH_MSG_TYPE_COPY_SEND,
					  &poly, &acquired),
		  "extract from an unused name");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_extract_right(task, port, 0x42, &poly, &acquired),
		  "extract with a bad disposition");
}

static void names_lists_everything(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t recv = mu_port(), sr = mu_port_send(), pset, dead;
	mach_port_type_t type;

	assert_true(recv && sr, "ports");
	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &pset),
		  "allocate PORT_SET");
	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "allocate DEAD_NAME");
	if (expect_true(mu_names_find(recv, &type), "receive right listed"))
		expect_eq(MACH_PORT_TYPE_RECEIVE, type & MACH_PORT_TYPE_ALL_RIGHTS, "type");
	if (expect_true(mu_names_find(sr, &type), "send/receive listed"))
		expect_eq(MACH_PORT_TYPE_SEND_RECEIVE, type & MACH_PORT_TYPE_ALL_RIGHTS,
			  "type");
	if (expect_true(mu_names_find(pset, &type), "port set listed"))
		expect_eq(MACH_PORT_TYPE_PORT_SET, type & MACH_PORT_TYPE_ALL_RIGHTS, "type");
	if (expect_true(mu_names_find(dead, &type), "dead name listed"))
		expect_eq(MACH_PORT_TYPE_DEAD_NAME, type & MACH_PORT_TYPE_ALL_RIGHTS, "type");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, recv), "destroy");
	expect_true(!mu_names_find(recv, &type), "destroyed name not listed");
}

#define NPORTS	1000

static void thousand_ports(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t *ports = calloc(NPORTS, sizeof(*ports));
	int before = mu_names_count(), made = 0;
	mach_port_type_t type;

	assert_true(ports != NULL, "calloc");
	for (; made < NPORTS; made++) {
		ports[made] = mu_port_send();
		if (ports[made] == MACH_PORT_NULL)
			break;
	}
	assert_eq(NPORTS, made, "ports made");
	expect_eq(before + NPORTS, mu_names_count(), "names in the space");
	for (int i = 0; i < NPORTS; i++) {
		for (int j = 0; j < i; j++)
			if (ports[j] == ports[i]) {
				mt_fail_at(__FILE__, __LINE__, "name 0x%x given twice",
					   ports[i]);
				return;
			}
		if (mu_type(ports[i]) != MACH_PORT_TYPE_SEND_RECEIVE) {
			mt_fail_at(__FILE__, __LINE__, "port %d (0x%x): wrong type",
				   i, ports[i]);
			return;
		}
	}
	for (int i = 0; i < NPORTS; i++)
		assert_kr(KERN_SUCCESS, mach_port_destroy(task, ports[i]), "destroy");
	for (int i = 0; i < NPORTS; i++)
		assert_kr(KERN_INVALID_NAME, mach_port_type(task, ports[i], &type),
			  "destroyed name");
	expect_eq(before, mu_names_count(), "names in the space afterwards");
	free(ports);
}

static const struct mt_case cases[] = {
	MT_CASE(insert_make_send),
	MT_CASE(insert_right_names),
	MT_CASE(mod_refs_errors),
	MT_CASE(get_refs_special),
	MT_CASE(urefs_pegged_at_max),
	MT_CASE(deallocate_rights),
	MT_CASE(destroy_name),
	MT_CASE(dead_name_keeps_urefs),
	MT_CASE(send_once_dies),
	MT_CASE(extract_right),
	MT_CASE(names_lists_everything),
	MT_CASE(thousand_ports),
};

int main(void)
{
	return MT_RUN(cases);
}
