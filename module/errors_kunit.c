// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for error paths that userspace cannot reach on purpose: a
 * routine whose target task died after the dispatcher looked it up (the
 * space is inactive while its task port still lives, a window between
 * mach_space_destroy's two halves), a name table whose index space is used
 * up, a port set destroyed under a member being added, a disposition no
 * caller passes.  Each case builds the state directly and checks XNU's
 * answer and that nothing is left behind (kmemleak judges after unload).
 */

#include <kunit/test.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/mach.h>
#include "port.h"
#include "port_ops.h"
#include "pset.h"
#include "right.h"
#include "space.h"
#include "task.h"

/* The largest index of a name (space.c's MACH_INDEX_MAX). */
#define KUNIT_INDEX_MAX	0xfffffeU

static int errors_suite_init(struct kunit_suite *suite)
{
	return mach_caches_init();
}

struct errors_ctx {
	struct mach_space *caller;	/* a live space making the calls */
	struct mach_space *dead;	/* destroyed, still referenced */
};

static int errors_init(struct kunit *test)
{
	struct errors_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->caller = mach_space_create();
	if (!ctx->caller)
		return -ENOMEM;
	ctx->dead = mach_space_create();
	if (!ctx->dead) {
		mach_space_destroy(ctx->caller);
		return -ENOMEM;
	}
	/* keep the memory past the destroy, as a routine in flight does */
	mach_space_get(ctx->dead);
	mach_space_destroy(ctx->dead);
	test->priv = ctx;
	return 0;
}

static void errors_exit(struct kunit *test)
{
	struct errors_ctx *ctx = test->priv;

	mach_space_put(ctx->dead);
	mach_space_destroy(ctx->caller);
}

/* A receive right in 'space' through the routine userspace calls. */
static u32 errors_receive(struct kunit *test, struct mach_space *space)
{
	struct mach_port_right_args a = {
		.right = MACH_PORT_RIGHT_RECEIVE,
	};

	KUNIT_ASSERT_EQ(test, mach_op_allocate(space, space, &a), KERN_SUCCESS);
	return a.name;
}

/* Every routine on a task that died meanwhile: KERN_INVALID_TASK. */
static void dead_task_port_routines(struct kunit *test)
{
	struct errors_ctx *ctx = test->priv;
	struct mach_space *c = ctx->caller, *t = ctx->dead;
	struct mach_port_right_args r = {};
	struct mach_port_names_args n = {};
	struct mach_port_space_info_args si = {};
	struct mach_port_member_args m = {};
	struct mach_port_xfer_args x = {};
	u32 right;

	KUNIT_ASSERT_FALSE(test, t->active);
	/* allocate: the new port or set is freed again */
	for (right = MACH_PORT_RIGHT_RECEIVE; right <= MACH_PORT_RIGHT_DEAD_NAME;
	     right++) {
		if (right == MACH_PORT_RIGHT_SEND_ONCE)
			continue;
		r = (struct mach_port_right_args){ .right = right };
		KUNIT_EXPECT_EQ(test, mach_op_allocate(c, t, &r),
				KERN_INVALID_TASK);
	}
	/* a routine that looks a name up (mach_op_lookup) */
	r = (struct mach_port_right_args){ .name = 0x103 };
	KUNIT_EXPECT_EQ(test, mach_op_get_refs(c, t, &r), KERN_INVALID_TASK);
	KUNIT_EXPECT_EQ(test, mach_op_type(c, t, &r), KERN_INVALID_TASK);

	/* names and space_info, with and without a buffer */
	KUNIT_EXPECT_EQ(test, mach_op_names(c, t, &n), KERN_INVALID_TASK);
	n.count = 4;
	KUNIT_EXPECT_EQ(test, mach_op_names(c, t, &n), KERN_INVALID_TASK);
	KUNIT_EXPECT_EQ(test, mach_op_space_info(c, t, &si), KERN_INVALID_TASK);
	si.count = 4;
	KUNIT_EXPECT_EQ(test, mach_op_space_info(c, t, &si), KERN_INVALID_TASK);

	/* the port-set membership routines */
	m = (struct mach_port_member_args){ .member = 0x103, .pset = 0x207 };
	KUNIT_EXPECT_EQ(test, mach_op_insert_member(c, t, &m), KERN_INVALID_TASK);
	KUNIT_EXPECT_EQ(test, mach_op_extract_member(c, t, &m), KERN_INVALID_TASK);
	KUNIT_EXPECT_EQ(test, mach_op_move_member(c, t, &m), KERN_INVALID_TASK);

	/* insert_right: the right taken from the caller is released again */
	x = (struct mach_port_xfer_args){ .name = 0x1103, .poly = c->task_self,
					  .disposition = MACH_MSG_TYPE_COPY_SEND };
	KUNIT_EXPECT_EQ(test, mach_op_insert_right(c, t, &x), KERN_INVALID_TASK);
	/* extract_right takes from the dead space itself */
	x = (struct mach_port_xfer_args){ .name = 0x103,
					  .disposition = MACH_MSG_TYPE_COPY_SEND };
	KUNIT_EXPECT_EQ(test, mach_op_extract_right(c, t, &x), KERN_INVALID_TASK);
}

/*
 * task_get/set_special_port on a task that died meanwhile: KERN_FAILURE,
 * as XNU answers for a task whose IPC is gone (not KERN_INVALID_TASK).
 */
static void dead_task_special_ports(struct kunit *test)
{
	struct errors_ctx *ctx = test->priv;
	struct mach_space *c = ctx->caller, *t = ctx->dead;
	struct mach_port *task_port;
	struct mach_entry *entry;
	u32 name = 0xdead, srights;

	KUNIT_EXPECT_EQ(test, mach_task_get_special(c, t, TASK_BOOTSTRAP_PORT,
						    &name),
			KERN_FAILURE);
	KUNIT_EXPECT_EQ(test, name, 0xdeadU);
	KUNIT_EXPECT_EQ(test, mach_task_set_special(c, t, TASK_BOOTSTRAP_PORT,
						    MACH_PORT_NULL),
			KERN_FAILURE);
	/* a real send right: copied in, then released, none left over */
	mutex_lock(&c->lock);
	entry = mach_entry_lookup(c, c->task_self);
	KUNIT_ASSERT_NOT_NULL(test, entry);
	task_port = entry->object;
	mutex_unlock(&c->lock);
	srights = task_port->srights;
	KUNIT_EXPECT_EQ(test, mach_task_set_special(c, t, TASK_BOOTSTRAP_PORT,
						    c->task_self),
			KERN_FAILURE);
	KUNIT_EXPECT_EQ(test, task_port->srights, srights);
}

/* The name's right cannot be taken out of a space that is going. */
static void dead_space_right_take(struct kunit *test)
{
	struct errors_ctx *ctx = test->priv;
	struct mach_port *port = NULL;

	KUNIT_EXPECT_EQ(test, mach_right_take(ctx->dead, 0x103,
					      MACH_MSG_TYPE_COPY_SEND,
					      KERN_INVALID_RIGHT, &port),
			KERN_INVALID_TASK);
	KUNIT_EXPECT_NULL(test, port);
}

/*
 * task_for_pid of a process whose space is being torn down (still in the
 * registry, no longer active): KERN_FAILURE, as every refusal is.
 */
static void task_for_pid_dying_space(struct kunit *test)
{
	struct errors_ctx *ctx = test->priv;
	u32 name = 0xdead;

	mach_registry_add(ctx->dead);
	KUNIT_EXPECT_EQ(test, mach_task_for_pid(ctx->caller,
						pid_vnr(ctx->dead->pid), &name),
			KERN_FAILURE);
	mach_registry_del(ctx->dead);
	KUNIT_EXPECT_EQ(test, name, (u32)MACH_PORT_NULL);
}

/* Every index used up: KERN_NO_SPACE, as XNU's full table gives. */
static void name_indexes_run_out(struct kunit *test)
{
	struct mach_space *space = ((struct errors_ctx *)test->priv)->caller;
	struct mach_entry *entry, *last;
	u32 saved;

	mutex_lock(&space->lock);
	KUNIT_ASSERT_NULL(test, space->free_head);
	saved = space->next_index;
	space->next_index = KUNIT_INDEX_MAX;
	KUNIT_ASSERT_EQ(test, mach_entry_alloc(space, &last), KERN_SUCCESS);
	last->type = MACH_PORT_TYPE_DEAD_NAME;
	last->urefs = 1;
	KUNIT_EXPECT_EQ(test, MACH_PORT_INDEX(last->name), KUNIT_INDEX_MAX);
	KUNIT_EXPECT_EQ(test, mach_entry_alloc(space, &entry), KERN_NO_SPACE);
	/* a freed index is used again, so the space is not stuck */
	mach_entry_free(space, last);
	KUNIT_ASSERT_EQ(test, mach_entry_alloc(space, &entry), KERN_SUCCESS);
	KUNIT_EXPECT_EQ(test, MACH_PORT_INDEX(entry->name), KUNIT_INDEX_MAX);
	entry->type = MACH_PORT_TYPE_DEAD_NAME;
	entry->urefs = 1;
	mach_entry_free(space, entry);
	space->next_index = saved;
	mutex_unlock(&space->lock);
}

/* A set destroyed while a member is being added: KERN_INVALID_RIGHT. */
static void pset_add_after_destroy(struct kunit *test)
{
	struct mach_space *space = ((struct errors_ctx *)test->priv)->caller;
	struct mach_pset *pset = mach_pset_alloc();
	struct mach_port *port;
	struct mach_entry *entry;
	u32 name;

	KUNIT_ASSERT_NOT_NULL(test, pset);
	name = errors_receive(test, space);
	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	KUNIT_ASSERT_NOT_NULL(test, entry);
	port = entry->object;
	mutex_unlock(&space->lock);

	kref_get(&pset->ref);	/* the caller's, as a lookup holds one */
	mach_pset_destroy(pset);
	KUNIT_EXPECT_EQ(test, mach_pset_add(pset, port), KERN_INVALID_RIGHT);
	KUNIT_EXPECT_TRUE(test, hlist_empty(&port->psets));
	mach_pset_put(pset);
}

/* A disposition none of the callers lets through. */
static void copyin_check_unknown_disposition(struct kunit *test)
{
	struct mach_space *space = ((struct errors_ctx *)test->priv)->caller;

	mutex_lock(&space->lock);
	KUNIT_EXPECT_EQ(test, mach_right_copyin_check(space, space->task_self, 0),
			KERN_INVALID_VALUE);
	KUNIT_EXPECT_EQ(test, mach_right_copyin_check(space, space->task_self,
						      MACH_MSG_TYPE_MAKE_SEND_ONCE + 1),
			KERN_INVALID_VALUE);
	mutex_unlock(&space->lock);
}

static struct kunit_case mach_errors_cases[] = {
	KUNIT_CASE(dead_task_port_routines),
	KUNIT_CASE(dead_task_special_ports),
	KUNIT_CASE(dead_space_right_take),
	KUNIT_CASE(task_for_pid_dying_space),
	KUNIT_CASE(name_indexes_run_out),
	KUNIT_CASE(pset_add_after_destroy),
	KUNIT_CASE(copyin_check_unknown_disposition),
	{}
};

static struct kunit_suite mach_errors_suite = {
	.name = "mach_errors",
	.suite_init = errors_suite_init,
	.init = errors_init,
	.exit = errors_exit,
	.test_cases = mach_errors_cases,
};

kunit_test_suites(&mach_errors_suite);
