// SPDX-License-Identifier: GPL-2.0
/*
 * port_alloc - mach_port_allocate / _allocate_name / mach_port_type, with
 * XNU's return codes (osfmk/ipc/mach_port.c: mach_port_allocate_full,
 * mach_port_allocate_name, mach_port_type; osfmk/ipc/mach_kernelrpc.c for
 * the traps that answer MACH_SEND_INVALID_DEST when "task" is no task).
 */
#include "msg_util.h"

/* A name no test allocates on its own: index 0x4242, generation 3. */
#define CHOSEN_NAME	((mach_port_name_t)0x424203)
#define UNUSED_NAME	((mach_port_name_t)0x7ffe0103)

static void alloc_receive(void)
{
	mach_port_t task = mach_task_self();
	mach_port_name_t name = MACH_PORT_NULL;
	mach_port_type_t type = 0;

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &name),
		  "allocate RECEIVE");
	expect_true(MACH_PORT_VALID(name), "a valid name");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(name), "type");
	expect_eq(1, mu_refs(name, MACH_PORT_RIGHT_RECEIVE), "receive urefs");
	/* A name that holds no send right answers 0, not an error. */
	expect_eq(0, mu_refs(name, MACH_PORT_RIGHT_SEND), "send urefs");
	expect_true(mu_names_find(name, &type), "listed by mach_port_names");
	expect_eq(MACH_PORT_TYPE_RECEIVE, type & MACH_PORT_TYPE_ALL_RIGHTS,
		  "type in mach_port_names");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, name), "destroy");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, name, &type),
		  "type after destroy");
}

static void alloc_port_set(void)
{
	mach_port_t task = mach_task_self();
	mach_port_name_t name = MACH_PORT_NULL;
	mach_port_type_t type;

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &name),
		  "allocate PORT_SET");
	expect_eq(MACH_PORT_TYPE_PORT_SET, mu_type(name), "type");
	expect_eq(1, mu_refs(name, MACH_PORT_RIGHT_PORT_SET), "port set urefs");
	/* XNU ipc_right_delta: a port set takes delta -1 only. */
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_mod_refs(task, name, MACH_PORT_RIGHT_PORT_SET, -2),
		  "mod_refs(PORT_SET, -2)");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, name, MACH_PORT_RIGHT_PORT_SET, -1),
		  "mod_refs(PORT_SET, -1) destroys the set");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, name, &type),
		  "type after destroy");
}

static void alloc_dead_name(void)
{
	mach_port_t task = mach_task_self();
	mach_port_name_t name = MACH_PORT_NULL;
	mach_port_type_t type;

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &name),
		  "allocate DEAD_NAME");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(name), "type");
	/* "A new dead name has one user reference." (mach_port.c) */
	expect_eq(1, mu_refs(name, MACH_PORT_RIGHT_DEAD_NAME), "urefs");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, name, MACH_PORT_RIGHT_DEAD_NAME, 2),
		  "mod_refs(DEAD_NAME, +2)");
	expect_eq(3, mu_refs(name, MACH_PORT_RIGHT_DEAD_NAME), "urefs");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, name),
		  "deallocate a dead name");
	expect_eq(2, mu_refs(name, MACH_PORT_RIGHT_DEAD_NAME), "urefs");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(task, name, MACH_PORT_RIGHT_DEAD_NAME, -2),
		  "mod_refs(DEAD_NAME, -2)");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, name, &type),
		  "type once the last uref is gone");
}

/* mach_port_allocate_full: anything but RECEIVE/PORT_SET/DEAD_NAME. */
static void alloc_invalid_right(void)
{
	mach_port_t task = mach_task_self();
	mach_port_name_t name;

	expect_kr(KERN_INVALID_VALUE,
		  mach_port_allocate(task, MACH_PORT_RIGHT_SEND, &name),
		  "allocate SEND");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_allocate(task, MACH_PORT_RIGHT_SEND_ONCE, &name),
		  "allocate SEND_ONCE");
	expect_kr(KERN_INVALID_VALUE, mach_port_allocate(task, 42, &name),
		  "allocate right 42");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_SEND, CHOSEN_NAME),
		  "allocate_name SEND");
}

/*
 * "task" must name a task port.  On macOS these calls are traps that start
 * from rv = MACH_SEND_INVALID_DEST, or MIG calls whose request cannot be
 * sent to MACH_PORT_NULL: both answer MACH_SEND_INVALID_DEST.
 */
static void alloc_bad_task(void)
{
	mach_port_name_t name, port = mu_port();
	mach_port_urefs_t refs;

	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_allocate(MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE, &name),
		  "allocate with task MACH_PORT_NULL");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_get_refs(MACH_PORT_NULL, port, MACH_PORT_RIGHT_RECEIVE,
				     &refs),
		  "get_refs with task MACH_PORT_NULL");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_deallocate(MACH_PORT_NULL, port),
		  "deallocate with task MACH_PORT_NULL");
	/* A receive right is a port, but not a task port. */
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_allocate(port, MACH_PORT_RIGHT_RECEIVE, &name),
		  "allocate with a non-task port as task");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mach_port_mod_refs(port, port, MACH_PORT_RIGHT_RECEIVE, -1),
		  "mod_refs with a non-task port as task");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "port untouched");
}

static void allocate_name(void)
{
	mach_port_t task = mach_task_self();
	mach_port_name_t pset = CHOSEN_NAME + 0x100;

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, CHOSEN_NAME),
		  "allocate_name RECEIVE");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(CHOSEN_NAME), "type");
	expect_kr(KERN_NAME_EXISTS,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, CHOSEN_NAME),
		  "allocate_name RECEIVE again");
	expect_kr(KERN_NAME_EXISTS,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_PORT_SET, CHOSEN_NAME),
		  "allocate_name PORT_SET on a used name");
	expect_kr(KERN_NAME_EXISTS,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_DEAD_NAME, CHOSEN_NAME),
		  "allocate_name DEAD_NAME on a used name");
	expect_kr(KERN_SUCCESS,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_PORT_SET, pset),
		  "allocate_name PORT_SET");
	expect_eq(MACH_PORT_TYPE_PORT_SET, mu_type(pset), "type of the set");
	/* !MACH_PORT_VALID(name) is KERN_INVALID_VALUE (mach_port_allocate_name). */
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL),
		  "allocate_name MACH_PORT_NULL");
	expect_kr(KERN_INVALID_VALUE,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_DEAD),
		  "allocate_name MACH_PORT_DEAD");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, CHOSEN_NAME), "destroy");
	expect_kr(KERN_SUCCESS, mach_port_destroy(task, pset), "destroy set");
	/* Freed, the name can be chosen again. */
	expect_kr(KERN_SUCCESS,
		  mach_port_allocate_name(task, MACH_PORT_RIGHT_DEAD_NAME, CHOSEN_NAME),
		  "allocate_name DEAD_NAME on the freed name");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(CHOSEN_NAME), "type");
}

/*
 * Names carry generation bits: a freed entry comes back under another
 * name, so a stale name fails instead of reaching the new right.
 */
static void name_generations(void)
{
	mach_port_t task = mach_task_self();
	mach_port_type_t type;

	for (int i = 0; i < 64; i++) {
		mach_port_name_t old = mu_port(), fresh;

		assert_true(old != MACH_PORT_NULL, "allocate");
		assert_kr(KERN_SUCCESS, mach_port_destroy(task, old), "destroy");
		fresh = mu_port();
		assert_true(fresh != MACH_PORT_NULL, "allocate again");
		assert_ne(old, fresh, "the reused entry gets a new name");
		assert_kr(KERN_INVALID_NAME, mach_port_type(task, old, &type),
			  "the stale name");
		assert_kr(KERN_SUCCESS, mach_port_destroy(task, fresh), "destroy");
	}
}

/* mach_port_type: NULL is no name, DEAD is a dead name (mach_port.c). */
static void type_special_names(void)
{
	mach_port_t task = mach_task_self();
	mach_port_type_t type = 0;

	expect_kr(KERN_INVALID_NAME, mach_port_type(task, MACH_PORT_NULL, &type),
		  "type(MACH_PORT_NULL)");
	expect_kr(KERN_SUCCESS, mach_port_type(task, MACH_PORT_DEAD, &type),
		  "type(MACH_PORT_DEAD)");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, type, "type(MACH_PORT_DEAD)");
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, UNUSED_NAME, &type),
		  "type(unused name)");
}

static const struct mt_case cases[] = {
	MT_CASE(alloc_receive),
	MT_CASE(alloc_port_set),
	MT_CASE(alloc_dead_name),
	MT_CASE(alloc_invalid_right),
	MT_CASE(alloc_bad_task),
	MT_CASE(allocate_name),
	MT_CASE(name_generations),
	MT_CASE(type_special_names),
};

int main(void)
{
	return MT_RUN(cases);
}
