// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the module's internal units: the name table, right
 * accounting and dead names, dispositions, and the receive trailer.  They
 * are linked in only when the kernel has KUnit, and run at module load.
 */

#include <kunit/test.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include "kmsg.h"
#include "mqueue.h"
#include "port.h"
#include "pset.h"
#include "right.h"
#include "space.h"

/* 6.1 runs module suites before the module's init: make sure of caches. */
static int mach_kunit_suite_init(struct kunit_suite *suite)
{
	return mach_caches_init();
}

static void mach_kunit_exit(struct kunit *test)
{
	struct mach_space *space = test->priv;

	if (space)
		mach_space_destroy(space);
}

static int mach_kunit_init(struct kunit *test)
{
	test->priv = mach_space_create();
	return test->priv ? 0 : -ENOMEM;
}

/* A receive right in 'space', as mach_port_allocate makes it. */
static struct mach_port *kunit_receive(struct kunit *test,
				       struct mach_space *space, u32 *name)
{
	struct mach_entry *entry;
	struct mach_port *port = mach_port_alloc();

	KUNIT_ASSERT_NOT_NULL(test, port);
	mutex_lock(&space->lock);
	KUNIT_ASSERT_EQ(test, mach_entry_alloc(space, &entry), KERN_SUCCESS);
	entry->type = MACH_PORT_TYPE_RECEIVE;
	entry->object = port;
	KUNIT_ASSERT_EQ(test, mach_rev_insert(space, entry), KERN_SUCCESS);
	port->receiver = space;
	port->receiver_name = entry->name;
	*name = entry->name;
	mutex_unlock(&space->lock);
	return port;
}

/* Make a send right from a receive right and give it back to the space. */
static u32 kunit_make_send(struct kunit *test, struct mach_space *space,
			   u32 name)
{
	struct mach_port *port;
	u32 out;

	mutex_lock(&space->lock);
	KUNIT_ASSERT_EQ(test, mach_right_copyin_check(space, name,
						      MACH_MSG_TYPE_MAKE_SEND),
			KERN_SUCCESS);
	mach_right_copyin(space, name, MACH_MSG_TYPE_MAKE_SEND, &port);
	KUNIT_ASSERT_EQ(test, mach_right_copyout(space, port,
						 MACH_MSG_TYPE_PORT_SEND, &out),
			KERN_SUCCESS);
	mutex_unlock(&space->lock);
	return out;
}

static void names_have_generations(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_entry *entry;
	u32 first, second;

	mutex_lock(&space->lock);
	KUNIT_ASSERT_EQ(test, mach_entry_alloc(space, &entry), KERN_SUCCESS);
	entry->type = MACH_PORT_TYPE_DEAD_NAME;
	entry->urefs = 1;
	first = entry->name;
	KUNIT_EXPECT_NE(test, MACH_PORT_INDEX(first), 0U);
	KUNIT_EXPECT_TRUE(test, MACH_PORT_VALID(first));
	mach_entry_free(space, entry);
	KUNIT_EXPECT_NULL(test, mach_entry_lookup(space, first));

	KUNIT_ASSERT_EQ(test, mach_entry_alloc(space, &entry), KERN_SUCCESS);
	entry->type = MACH_PORT_TYPE_DEAD_NAME;
	entry->urefs = 1;
	second = entry->name;
	/* same slot, new generation: the stale name must not resolve */
	KUNIT_EXPECT_EQ(test, MACH_PORT_INDEX(second), MACH_PORT_INDEX(first));
	KUNIT_EXPECT_NE(test, second, first);
	KUNIT_EXPECT_NULL(test, mach_entry_lookup(space, first));
	KUNIT_EXPECT_PTR_EQ(test, mach_entry_lookup(space, second), entry);
	mutex_unlock(&space->lock);
}

static void alloc_name_rules(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_entry *entry;

	mutex_lock(&space->lock);
	KUNIT_EXPECT_EQ(test, mach_entry_alloc_name(space, MACH_PORT_NULL,
						    &entry),
			KERN_INVALID_VALUE);
	KUNIT_EXPECT_EQ(test, mach_entry_alloc_name(space, MACH_PORT_DEAD,
						    &entry),
			KERN_INVALID_VALUE);
	/* the low generation bits belong to the kernel */
	KUNIT_EXPECT_EQ(test, mach_entry_alloc_name(space, 0x1234500, &entry),
			KERN_INVALID_VALUE);
	KUNIT_EXPECT_EQ(test, mach_entry_alloc_name(space, 0x7b, &entry),
			KERN_FAILURE);
	KUNIT_ASSERT_EQ(test, mach_entry_alloc_name(space, 0x1234503, &entry),
			KERN_SUCCESS);
	entry->type = MACH_PORT_TYPE_DEAD_NAME;
	entry->urefs = 1;
	KUNIT_EXPECT_EQ(test, entry->name, 0x1234503U);
	KUNIT_EXPECT_EQ(test, mach_entry_alloc_name(space, 0x1234503, &entry),
			KERN_NAME_EXISTS);
	/* same index, other generation: the slot is still taken */
	KUNIT_EXPECT_EQ(test, mach_entry_alloc_name(space, 0x1234507, &entry),
			KERN_NAME_EXISTS);
	mutex_unlock(&space->lock);
}

static void send_rights_coalesce(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_port *port;
	struct mach_entry *entry;
	u32 name, urefs;

	port = kunit_receive(test, space, &name);
	KUNIT_EXPECT_EQ(test, kunit_make_send(test, space, name), name);
	KUNIT_EXPECT_EQ(test, kunit_make_send(test, space, name), name);

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	KUNIT_ASSERT_NOT_NULL(test, entry);
	KUNIT_EXPECT_EQ(test, mach_right_info(space, entry, &urefs),
			MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_RECEIVE);
	KUNIT_EXPECT_EQ(test, urefs, 2U);
	mutex_unlock(&space->lock);
	/* one entry counts as one send right, whatever its urefs */
	KUNIT_EXPECT_EQ(test, port->srights, 1U);
	KUNIT_EXPECT_EQ(test, port->mscount, 2U);
}

static void urefs_limits(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_entry *entry;
	u32 name;

	kunit_receive(test, space, &name);
	kunit_make_send(test, space, name);

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, name);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_SEND,
					       MACH_PORT_UREFS_MAX + 1),
			KERN_INVALID_VALUE);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_SEND, -2),
			KERN_INVALID_VALUE);
	/* overflow clamps at the maximum, which then stays pegged */
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_SEND,
					       MACH_PORT_UREFS_MAX),
			KERN_SUCCESS);
	KUNIT_EXPECT_EQ(test, entry->urefs, MACH_PORT_UREFS_MAX);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_SEND, -1),
			KERN_SUCCESS);
	KUNIT_EXPECT_EQ(test, entry->urefs, MACH_PORT_UREFS_MAX);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_RECEIVE, 1),
			KERN_INVALID_VALUE);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_SEND_ONCE, -1),
			KERN_INVALID_RIGHT);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry, 5, -1),
			KERN_INVALID_VALUE);
	mutex_unlock(&space->lock);
}

static void dead_names_keep_urefs(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_space *other = mach_space_create();
	struct mach_entry *entry;
	struct mach_port *port;
	u32 recv, send, urefs;

	KUNIT_ASSERT_NOT_NULL(test, other);
	port = kunit_receive(test, other, &recv);

	/* give 'space' a send right with 3 urefs */
	mutex_lock(&other->lock);
	mach_right_copyin(other, recv, MACH_MSG_TYPE_MAKE_SEND, &port);
	mutex_unlock(&other->lock);
	mutex_lock(&space->lock);
	KUNIT_ASSERT_EQ(test, mach_right_copyout(space, port,
						 MACH_MSG_TYPE_PORT_SEND,
						 &send), KERN_SUCCESS);
	entry = mach_entry_lookup(space, send);
	KUNIT_ASSERT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_SEND, 2),
			KERN_SUCCESS);
	mutex_unlock(&space->lock);

	mach_space_destroy(other);	/* the receive right dies */

	mutex_lock(&space->lock);
	entry = mach_entry_lookup(space, send);
	KUNIT_ASSERT_NOT_NULL(test, entry);
	KUNIT_EXPECT_EQ(test, mach_right_info(space, entry, &urefs),
			MACH_PORT_TYPE_DEAD_NAME);
	KUNIT_EXPECT_EQ(test, urefs, 3U);
	KUNIT_EXPECT_EQ(test, mach_right_delta(space, entry,
					       MACH_PORT_RIGHT_DEAD_NAME, -3),
			KERN_SUCCESS);
	KUNIT_EXPECT_NULL(test, mach_entry_lookup(space, send));
	mutex_unlock(&space->lock);
}

static void dispositions(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mach_right_carried_type(MACH_MSG_TYPE_MAKE_SEND),
			(u32)MACH_MSG_TYPE_PORT_SEND);
	KUNIT_EXPECT_EQ(test, mach_right_carried_type(MACH_MSG_TYPE_COPY_SEND),
			(u32)MACH_MSG_TYPE_PORT_SEND);
	KUNIT_EXPECT_EQ(test,
			mach_right_carried_type(MACH_MSG_TYPE_MAKE_SEND_ONCE),
			(u32)MACH_MSG_TYPE_PORT_SEND_ONCE);
	KUNIT_EXPECT_EQ(test,
			mach_right_carried_type(MACH_MSG_TYPE_MOVE_RECEIVE),
			(u32)MACH_MSG_TYPE_PORT_RECEIVE);
	KUNIT_EXPECT_FALSE(test, mach_right_disposition_valid(0));
	KUNIT_EXPECT_FALSE(test,
			   mach_right_disposition_valid(MACH_MSG_TYPE_COPY_RECEIVE));
	KUNIT_EXPECT_TRUE(test,
			  mach_right_disposition_valid(MACH_MSG_TYPE_MOVE_SEND_ONCE));
}

static void copyin_checks(struct kunit *test)
{
	struct mach_space *space = test->priv;
	u32 name;

	kunit_receive(test, space, &name);
	mutex_lock(&space->lock);
	KUNIT_EXPECT_EQ(test, mach_right_copyin_check(space, name,
						      MACH_MSG_TYPE_COPY_SEND),
			KERN_INVALID_RIGHT);
	KUNIT_EXPECT_EQ(test, mach_right_copyin_check(space, name + 4,
						      MACH_MSG_TYPE_MAKE_SEND),
			KERN_INVALID_NAME);
	KUNIT_EXPECT_EQ(test, mach_right_copyin_check(space, name,
						      MACH_MSG_TYPE_MAKE_SEND),
			KERN_SUCCESS);
	mutex_unlock(&space->lock);
}

static void trailer_sizes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mach_trailer_size(0), 8U);
	KUNIT_EXPECT_EQ(test, mach_trailer_size(1 << 24), 12U);
	KUNIT_EXPECT_EQ(test, mach_trailer_size(2 << 24), 20U);
	KUNIT_EXPECT_EQ(test, mach_trailer_size(3 << 24), 52U);
	KUNIT_EXPECT_EQ(test, mach_trailer_size(4 << 24), 60U);
	KUNIT_EXPECT_EQ(test, mach_trailer_size(7 << 24), 68U);
	KUNIT_EXPECT_EQ(test, mach_trailer_size(8 << 24), 68U);
}

static void trailer_contents(struct kunit *test)
{
	struct mach_kmsg *kmsg = mach_kmsg_alloc(sizeof(struct mach_msg_header));
	u32 w[MACH_TRAILER_MAX_SIZE / 4];

	KUNIT_ASSERT_NOT_NULL(test, kmsg);
	mach_kmsg_set_sender(kmsg);
	mach_trailer_fill(w, kmsg, 4 << 24, 41, 0x1122334455667788ULL);
	KUNIT_EXPECT_EQ(test, w[0], 0U);		/* format 0 */
	KUNIT_EXPECT_EQ(test, w[1], 60U);		/* context trailer */
	KUNIT_EXPECT_EQ(test, w[2], 41U);		/* seqno */
	KUNIT_EXPECT_EQ(test, w[3], from_kuid(&init_user_ns, current_euid()));
	KUNIT_EXPECT_EQ(test, w[10], (u32)task_tgid_vnr(current)); /* pid */
	KUNIT_EXPECT_EQ(test, w[13], 0x55667788U);	/* context, low */
	KUNIT_EXPECT_EQ(test, w[14], 0x11223344U);

	/* the default trailer: only its type and size are written */
	memset(w, 0xa5, sizeof(w));
	mach_trailer_fill(w, kmsg, 0, 41, 0);
	KUNIT_EXPECT_EQ(test, w[0], 0U);
	KUNIT_EXPECT_EQ(test, w[1], 8U);
	KUNIT_EXPECT_EQ(test, w[2], 0xa5a5a5a5U);	/* not part of it */
	mach_kmsg_free(kmsg);
}

/* Queue a bare kernel message on 'port' (as a notification would be). */
static void kunit_queue(struct kunit *test, struct mach_port *port, s32 id)
{
	struct mach_kmsg *kmsg = mach_kmsg_alloc(sizeof(struct mach_msg_header));

	KUNIT_ASSERT_NOT_NULL(test, kmsg);
	atomic_inc(&port->sorights);
	mach_port_get(port);
	kmsg->hdr->size = sizeof(struct mach_msg_header);
	kmsg->hdr->id = id;
	kmsg->dest = port;
	kmsg->dest_type = MACH_MSG_TYPE_PORT_SEND_ONCE;
	mach_mqueue_send_kernel(kmsg);
}

/* Receive through the set without waiting; the message's id, or -1. */
static s32 kunit_set_receive(struct mach_pset *pset, struct mach_space *space)
{
	struct mach_rcv rcv = {
		.option = MACH_RCV_MSG | MACH_RCV_TIMEOUT,
		.rcv_size = 1024,
	};
	s32 id;

	if (mach_pset_receive(pset, space, &rcv) != MACH_MSG_SUCCESS)
		return -1;
	id = rcv.kmsg->hdr->id;
	mach_kmsg_destroy(rcv.kmsg);
	return id;
}

/*
 * The ready list: members with messages, served round-robin (a member goes
 * to the back after a receive while it still has messages), each member
 * FIFO, empty members dropped, joining members bringing queued messages.
 */
static void pset_ready_list(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_pset *pset = mach_pset_alloc();
	struct mach_port *a, *b, *c;
	u32 na, nb, nc;

	KUNIT_ASSERT_NOT_NULL(test, pset);
	a = kunit_receive(test, space, &na);
	b = kunit_receive(test, space, &nb);
	c = kunit_receive(test, space, &nc);
	KUNIT_ASSERT_EQ(test, mach_pset_add(pset, a), KERN_SUCCESS);
	KUNIT_ASSERT_EQ(test, mach_pset_add(pset, b), KERN_SUCCESS);
	KUNIT_EXPECT_EQ(test, mach_pset_add(pset, b), KERN_ALREADY_IN_SET);
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), -1);

	kunit_queue(test, a, 1);
	kunit_queue(test, a, 2);
	kunit_queue(test, a, 3);
	kunit_queue(test, b, 10);
	kunit_queue(test, c, 20);	/* not a member yet */
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), 1);
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), 10);
	KUNIT_ASSERT_EQ(test, mach_pset_add(pset, c), KERN_SUCCESS);
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), 2);
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), 20);
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), 3);
	KUNIT_EXPECT_EQ(test, kunit_set_receive(pset, space), -1);
	KUNIT_EXPECT_TRUE(test, list_empty(&pset->ready));

	KUNIT_EXPECT_EQ(test, mach_pset_remove(b, pset), KERN_SUCCESS);
	KUNIT_EXPECT_EQ(test, mach_pset_remove(b, pset), KERN_NOT_IN_SET);
	mach_pset_destroy(pset);
	KUNIT_EXPECT_TRUE(test, hlist_empty(&a->psets));
	KUNIT_EXPECT_TRUE(test, hlist_empty(&c->psets));
}

/*
 * The reverse map through growth, removal from the middle of probe runs
 * (which shifts later slots back) and shrinking.  The objects are fake
 * addresses: the map compares pointers and never follows them.
 */
#define REVMAP_N	3000

static struct mach_entry *kunit_rev(struct mach_space *space, void *object)
{
	return mach_rev_lookup(space, object);
}

static void revmap_grow_remove_shrink(struct kunit *test)
{
	struct mach_space *space = test->priv;
	struct mach_entry **entries;
	u32 i, j, base_count, base_bits;
	char *objects;

	entries = kunit_kcalloc(test, REVMAP_N, sizeof(*entries), GFP_KERNEL);
	objects = kunit_kzalloc(test, REVMAP_N, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, entries);
	KUNIT_ASSERT_NOT_NULL(test, objects);

	mutex_lock(&space->lock);
	base_count = space->rev.count;		/* the task's own send right */
	base_bits = space->rev.bits;
	for (i = 0; i < REVMAP_N; i++) {
		KUNIT_ASSERT_EQ(test, mach_entry_alloc(space, &entries[i]),
				KERN_SUCCESS);
		entries[i]->type = MACH_PORT_TYPE_SEND;
		entries[i]->urefs = 1;
		entries[i]->object = &objects[i];
		KUNIT_ASSERT_EQ(test, mach_rev_insert(space, entries[i]),
				KERN_SUCCESS);
	}
	KUNIT_EXPECT_EQ(test, space->rev.count, base_count + REVMAP_N);
	KUNIT_EXPECT_LE(test, space->rev.count * 4, 3U << space->rev.bits);
	for (i = 0; i < REVMAP_N; i++)
		KUNIT_EXPECT_PTR_EQ(test, kunit_rev(space, &objects[i]),
				    entries[i]);

	/* remove two thirds in a scattered order; the rest must stay found */
	for (j = 0; j < REVMAP_N; j++) {
		i = (j * 7) % REVMAP_N;
		if (i % 3)
			mach_rev_remove(space, entries[i]);
	}
	for (i = 0; i < REVMAP_N; i++)
		KUNIT_EXPECT_PTR_EQ(test, kunit_rev(space, &objects[i]),
				    i % 3 ? NULL : entries[i]);
	KUNIT_EXPECT_EQ(test, space->rev.count, base_count + REVMAP_N / 3);
	KUNIT_EXPECT_GE(test, space->rev.count * 4, 1U << space->rev.bits);

	for (i = 0; i < REVMAP_N; i += 3)
		mach_rev_remove(space, entries[i]);
	KUNIT_EXPECT_EQ(test, space->rev.count, base_count);
	KUNIT_EXPECT_EQ(test, space->rev.bits, base_bits);
	for (i = 0; i < REVMAP_N; i++) {
		entries[i]->object = NULL;
		mach_entry_free(space, entries[i]);
	}
	mutex_unlock(&space->lock);
}

static struct kunit_case mach_space_cases[] = {
	KUNIT_CASE(names_have_generations),
	KUNIT_CASE(alloc_name_rules),
	KUNIT_CASE(send_rights_coalesce),
	KUNIT_CASE(urefs_limits),
	KUNIT_CASE(dead_names_keep_urefs),
	KUNIT_CASE(copyin_checks),
	KUNIT_CASE(pset_ready_list),
	KUNIT_CASE(revmap_grow_remove_shrink),
	{}
};

static struct kunit_suite mach_space_suite = {
	.name = "mach_space",
	.suite_init = mach_kunit_suite_init,
	.init = mach_kunit_init,
	.exit = mach_kunit_exit,
	.test_cases = mach_space_cases,
};

static struct kunit_case mach_msg_cases[] = {
	KUNIT_CASE(dispositions),
	KUNIT_CASE(trailer_sizes),
	KUNIT_CASE(trailer_contents),
	{}
};

static struct kunit_suite mach_msg_suite = {
	.name = "mach_msg",
	.suite_init = mach_kunit_suite_init,
	.test_cases = mach_msg_cases,
};

kunit_test_suites(&mach_space_suite, &mach_msg_suite);
