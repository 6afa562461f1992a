// SPDX-License-Identifier: GPL-2.0
/*
 * pset_basic - port sets as XNU implements them.
 *
 * Membership (osfmk/ipc/mach_port.c):
 *  - mach_port_insert_member / extract_member: a null or dead name is
 *    KERN_INVALID_RIGHT (!MACH_PORT_VALID); then ipc_object_translate_two
 *    gives KERN_INVALID_NAME for an unknown name and KERN_INVALID_RIGHT for
 *    a name that is not a receive right / not a port set; inserting a
 *    member again is KERN_ALREADY_IN_SET (ipc_mqueue_add_locked ->
 *    waitq_link_locked); extracting a non-member is KERN_NOT_IN_SET.
 *  - Modern XNU lets a port be a member of several sets at once
 *    (waitq links, ipc_mqueue_add_locked); this implementation's docs say
 *    "at most one", but XNU's behaviour is what is tested here.
 *  - mach_port_move_member: null member or after == MACH_PORT_DEAD is
 *    KERN_INVALID_RIGHT; after == MACH_PORT_NULL removes the port from
 *    every set and is KERN_NOT_IN_SET if it was in none; otherwise the port
 *    joins 'after' and leaves every other set (waitq_unlink_all_locked
 *    keeping the new set).
 *  - mach_port_get_set_status lists the members by the caller's names
 *    (ip_get_receiver_name); mach_port_get_attributes(RECEIVE_STATUS)
 *    reports mps_pset = ip_in_pset(port): 1 if the port is in any set, 0
 *    if not ("don't leak set IDs"), not the set's name.
 *
 * Receiving (osfmk/ipc/ipc_mqueue.c):
 *  - ipc_mqueue_receive_on_thread_and_unlock on a set takes the first
 *    preposted member (waitq_set_first_prepost) and moves it to the back of
 *    the prepost list: members are served round-robin, each member FIFO,
 *    not in global arrival order.
 *  - a member keeps its own queue limit (ipc_mqueue_send_locked).
 *  - ipc_mqueue_add_locked hands a joining port's queued messages to
 *    threads already waiting on the set, or preposts the port.
 *  - a receiver blocked on a set that is destroyed is woken with
 *    THREAD_RESTART (ipc_pset_destroy -> ipc_mqueue_changed), which
 *    ipc_mqueue_receive_results turns into MACH_RCV_PORT_CHANGED.
 *  - receiving directly on a member port is allowed (ipc_mqueue_copyin
 *    accepts any receive right; MACH_RCV_IN_SET is no longer returned).
 */
#include <pthread.h>
#include <string.h>

#include "notify_util.h"

#define PB_ID	0x5053

/* A name that is certainly not in our space: a destroyed port's name. */
static mach_port_t stale_name(void)
{
	mach_port_t p = mu_port();

	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), p), "destroy");
	return p;
}

static bool in_set(mach_port_t set, mach_port_t member, unsigned int *count)
{
	mach_port_name_array_t names = NULL;
	mach_msg_type_number_t n = 0;
	bool found = false;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_get_set_status(mach_task_self(), set, &names, &n),
		       "mach_port_get_set_status"))
		return false;
	for (mach_msg_type_number_t i = 0; i < n; i++)
		if (names[i] == member)
			found = true;
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(names[0]));
	if (count)
		*count = n;
	return found;
}

static unsigned int set_count(mach_port_t set)
{
	unsigned int n = 0xdead;

	in_set(set, MACH_PORT_NULL, &n);
	return n;
}

static kern_return_t insert(mach_port_t port, mach_port_t set)
{
	return mach_port_insert_member(mach_task_self(), port, set);
}

static kern_return_t extract(mach_port_t port, mach_port_t set)
{
	return mach_port_extract_member(mach_task_self(), port, set);
}

static kern_return_t move(mach_port_t port, mach_port_t after)
{
	return mach_port_move_member(mach_task_self(), port, after);
}

static mach_msg_return_t send_to(mach_port_t port, uint32_t a, uint32_t b)
{
	return mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, PB_ID, a, b, 0, MU_WAIT_MS);
}

/* Receive on name; check the message came from member with payload a. */
static bool recv_from(mach_port_t name, mach_port_t member, uint32_t a)
{
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(name, &r, 0, MU_WAIT_MS), "receive"))
		return false;
	if (!expect_eq(member, r.hdr.msgh_local_port, "msgh_local_port names the member") ||
	    !expect_eq(a, mu_as_msg(&r)->a, "payload / order")) {
		mt_diag("wanted member 0x%x word %u, got 0x%x word %u", member, a,
			r.hdr.msgh_local_port, mu_as_msg(&r)->a);
		return false;
	}
	return expect_eq(PB_ID, r.hdr.msgh_id, "msgh_id");
}

static void set_allocate_and_destroy(void)
{
	mach_port_t set = nu_pset();
	mach_port_type_t type = 0;
	struct mu_rcv r;

	assert_true(set != MACH_PORT_NULL, "set");
	expect_eq(MACH_PORT_TYPE_PORT_SET, mu_type(set), "mach_port_type");
	expect_true(mu_names_find(set, &type), "mach_port_names lists the set");
	expect_eq(MACH_PORT_TYPE_PORT_SET, type, "mach_port_names type");
	/* mach_port_get_refs: a port-set right counts as one reference. */
	expect_eq(1, mu_refs(set, MACH_PORT_RIGHT_PORT_SET), "port-set refs");
	expect_eq(0, set_count(set), "a new set is empty");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(set, &r, 0, 0), "receive on empty set, timeout 0");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(set, &r, 0, 200), "receive on empty set, 200 ms");
	/* A port set cannot be a destination (ipc_right_copyin fails). */
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(set, MACH_MSG_TYPE_COPY_SEND, 0, 0, 1, 0, 0, 0, 0),
		  "send to a port set");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), set,
						   MACH_PORT_RIGHT_PORT_SET, -1),
		  "mod_refs(PORT_SET, -1) destroys the set");
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), set, &type),
		  "the set's name is gone");
	set = nu_pset();
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), set), "mach_port_destroy(set)");
	expect_kr(KERN_INVALID_NAME, mach_port_type(mach_task_self(), set, &type),
		  "destroyed set's name is gone");
}

static void insert_extract_errors(void)
{
	mach_port_t set = nu_pset(), set2 = nu_pset();
	mach_port_t port = mu_port(), port2 = mu_port();
	mach_port_t bogus = stale_name(), so = nu_make_sonce(port2), dead = MACH_PORT_NULL;

	assert_true(set && set2 && port && port2 && so, "setup");
	assert_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME,
						   &dead), "allocate a dead name");
	expect_kr(KERN_SUCCESS, insert(port, set), "insert_member");
	expect_kr(KERN_ALREADY_IN_SET, insert(port, set), "insert_member again");
	expect_kr(KERN_INVALID_RIGHT, insert(MACH_PORT_NULL, set), "insert MACH_PORT_NULL");
	expect_kr(KERN_INVALID_RIGHT, insert(port2, MACH_PORT_NULL), "insert into MACH_PORT_NULL");
	expect_kr(KERN_INVALID_RIGHT, insert(port2, MACH_PORT_DEAD), "insert into MACH_PORT_DEAD");
	expect_kr(KERN_INVALID_NAME, insert(bogus, set), "insert an unknown name");
	expect_kr(KERN_INVALID_NAME, insert(port2, bogus), "insert into an unknown name");
	expect_kr(KERN_INVALID_RIGHT, insert(set2, set), "insert a port set");
	expect_kr(KERN_INVALID_RIGHT, insert(port2, port), "insert into a receive right");
	expect_kr(KERN_INVALID_RIGHT, insert(so, set), "insert a send-once right");
	expect_kr(KERN_INVALID_RIGHT, insert(dead, set), "insert a dead name");
	expect_eq(1, set_count(set), "one member after the failures");

	expect_kr(KERN_NOT_IN_SET, extract(port2, set), "extract a non-member");
	expect_kr(KERN_INVALID_RIGHT, extract(MACH_PORT_NULL, set), "extract MACH_PORT_NULL");
	expect_kr(KERN_INVALID_RIGHT, extract(port, MACH_PORT_NULL), "extract from MACH_PORT_NULL");
	expect_kr(KERN_INVALID_NAME, extract(bogus, set), "extract an unknown name");
	expect_kr(KERN_INVALID_NAME, extract(port, bogus), "extract from an unknown name");
	expect_kr(KERN_INVALID_RIGHT, extract(port, port2), "extract from a receive right");
	expect_kr(KERN_NOT_IN_SET, extract(port, set2), "extract from another set");
	expect_kr(KERN_SUCCESS, extract(port, set), "extract_member");
	expect_kr(KERN_NOT_IN_SET, extract(port, set), "extract_member again");
	expect_eq(0, set_count(set), "set empty again");
}

static void move_member_semantics(void)
{
	mach_port_t a = nu_pset(), b = nu_pset(), port = mu_port(), port2 = mu_port();
	mach_port_t bogus = stale_name();

	assert_true(a && b && port && port2, "setup");
	expect_kr(KERN_NOT_IN_SET, move(port, MACH_PORT_NULL),
		  "move_member(NULL) of a port in no set");
	expect_kr(KERN_SUCCESS, move(port, a), "move_member into a");
	expect_true(in_set(a, port, NULL), "member of a");
	expect_eq(1, mu_status(port).mps_pset, "mps_pset while in a set");
	expect_kr(KERN_SUCCESS, move(port, b), "move_member into b");
	expect_true(in_set(b, port, NULL), "member of b");
	expect_eq(0, set_count(a), "moving left a");
	expect_kr(KERN_SUCCESS, move(port, b), "move_member into the set it is in");
	expect_eq(1, set_count(b), "still one member of b");
	expect_kr(KERN_SUCCESS, move(port, MACH_PORT_NULL), "move_member(NULL) removes");
	expect_eq(0, set_count(b), "b empty");
	expect_eq(0, mu_status(port).mps_pset, "mps_pset out of sets");
	expect_kr(KERN_NOT_IN_SET, move(port, MACH_PORT_NULL), "move_member(NULL) again");

	expect_kr(KERN_INVALID_RIGHT, move(MACH_PORT_NULL, a), "move MACH_PORT_NULL");
	expect_kr(KERN_INVALID_RIGHT, move(MACH_PORT_DEAD, a), "move MACH_PORT_DEAD");
	expect_kr(KERN_INVALID_RIGHT, move(port, MACH_PORT_DEAD), "move into MACH_PORT_DEAD");
	expect_kr(KERN_INVALID_NAME, move(bogus, a), "move an unknown name");
	expect_kr(KERN_INVALID_NAME, move(port, bogus), "move into an unknown name");
	expect_kr(KERN_INVALID_RIGHT, move(b, a), "move a port set");
	expect_kr(KERN_INVALID_RIGHT, move(port, port2), "move into a receive right");
	expect_eq(0, set_count(a), "a untouched by the failures");
}

/* Modern XNU: a port may be in several sets; move_member leaves all of them. */
static void member_of_two_sets(void)
{
	mach_port_t a = nu_pset(), b = nu_pset(), c = nu_pset(), port = mu_port();

	assert_true(a && b && c && port, "setup");
	expect_kr(KERN_SUCCESS, insert(port, a), "insert into a");
	expect_kr(KERN_SUCCESS, insert(port, b), "insert into b as well");
	expect_true(in_set(a, port, NULL), "listed by a");
	expect_true(in_set(b, port, NULL), "listed by b");
	expect_eq(1, mu_status(port).mps_pset, "mps_pset is 1 (in a set), not a count or name");
	expect_kr(MACH_MSG_SUCCESS, send_to(port, 1, 0), "send");
	expect_true(recv_from(b, port, 1), "received through b");
	expect_kr(MACH_MSG_SUCCESS, send_to(port, 2, 0), "send");
	expect_true(recv_from(a, port, 2), "received through a");
	expect_kr(KERN_SUCCESS, move(port, c), "move_member into c");
	expect_eq(0, set_count(a), "left a");
	expect_eq(0, set_count(b), "left b");
	expect_true(in_set(c, port, NULL), "in c");
	expect_kr(KERN_SUCCESS, insert(port, a), "insert into a");
	expect_kr(KERN_SUCCESS, extract(port, c), "extract from c only");
	expect_true(in_set(a, port, NULL), "still in a");
	expect_eq(1, mu_status(port).mps_pset, "still in a set");
}

static void set_status_lists_members(void)
{
	mach_port_t set = nu_pset(), m[3], port = mu_port();
	mach_port_name_array_t names = NULL;
	mach_msg_type_number_t n = 0;
	int seen = 0;

	assert_true(set && port, "setup");
	for (int i = 0; i < 3; i++) {
		m[i] = mu_port();
		assert_kr(KERN_SUCCESS, insert(m[i], set), "insert");
	}
	assert_kr(KERN_SUCCESS, mach_port_get_set_status(mach_task_self(), set, &names, &n),
		  "mach_port_get_set_status");
	expect_eq(3, n, "three members");
	for (mach_msg_type_number_t i = 0; i < n; i++)
		for (int j = 0; j < 3; j++)
			if (names[i] == m[j])
				seen |= 1 << j;
	expect_eq(7, seen, "every member listed under our name for it");
	if (n)
		expect_kr(KERN_SUCCESS, vm_deallocate(mach_task_self(), (vm_address_t)names,
						      n * sizeof(names[0])),
			  "vm_deallocate the member array");
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_get_set_status(mach_task_self(), port, &names, &n),
		  "get_set_status on a receive right");
	expect_kr(KERN_INVALID_NAME,
		  mach_port_get_set_status(mach_task_self(), stale_name(), &names, &n),
		  "get_set_status on an unknown name");
	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_get_set_status(mach_task_self(), MACH_PORT_NULL, &names, &n),
		  "get_set_status on MACH_PORT_NULL");
}

static void receive_through_set(void)
{
	mach_port_t set = nu_pset(), m[3];
	const mach_msg_max_trailer_t *t;
	struct mu_rcv r;

	assert_true(set != MACH_PORT_NULL, "set");
	for (int i = 0; i < 3; i++) {
		m[i] = mu_port();
		assert_kr(KERN_SUCCESS, insert(m[i], set), "insert");
	}
	assert_kr(MACH_MSG_SUCCESS, send_to(m[1], 77, 88), "send to member 1");
	expect_eq(1, mu_status(m[1]).mps_msgcount, "queued on the member");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_recv(set, &r, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), MU_WAIT_MS),
		  "receive on the set");
	expect_eq(m[1], r.hdr.msgh_local_port, "msgh_local_port names the member");
	expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_LOCAL(r.hdr.msgh_bits), "local bits");
	expect_eq(sizeof(struct mu_msg), r.hdr.msgh_size, "size");
	expect_eq(77, mu_as_msg(&r)->a, "payload a");
	expect_eq(88, mu_as_msg(&r)->b, "payload b");
	t = mu_trailer(&r.hdr);
	expect_eq(0, t->msgh_seqno, "seqno is the member's first");
	expect_eq(0, mu_status(m[1]).mps_msgcount, "dequeued from the member");
	expect_eq(1, mu_status(m[1]).mps_seqno, "member's seqno advanced");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(set, &r, 0, 0), "nothing more");
}

/*
 * XNU serves a set's members round-robin: after a receive the member goes to
 * the back of the prepost list (waitq_set_first_prepost without PEEK).
 */
static void members_served_round_robin(void)
{
	mach_port_t set = nu_pset(), a = mu_port(), b = mu_port();

	assert_true(set && a && b, "setup");
	assert_kr(KERN_SUCCESS, insert(a, set), "insert a");
	assert_kr(KERN_SUCCESS, insert(b, set), "insert b");
	/* Arrival: a1 a2 a3 b1 b2.  XNU delivers a1 b1 a2 b2 a3. */
	for (uint32_t i = 1; i <= 3; i++)
		assert_kr(MACH_MSG_SUCCESS, send_to(a, 10 + i, 0), "send to a");
	for (uint32_t i = 1; i <= 2; i++)
		assert_kr(MACH_MSG_SUCCESS, send_to(b, 20 + i, 0), "send to b");
	if (!recv_from(set, a, 11) || !recv_from(set, b, 21) ||
	    !recv_from(set, a, 12) || !recv_from(set, b, 22) || !recv_from(set, a, 13))
		mt_diag("expected XNU's round-robin order a1 b1 a2 b2 a3");
}

/*
 * Interleaved arrival: messages 0..5 go to members 0,1,2,0,2,1.  The
 * prepost list starts p0 p1 p2; each receive moves the member served to the
 * back while it still has messages, and drops it once empty.  XNU therefore
 * delivers 0 1 2 3, then p1's 5 before p2's 4.
 */
static void interleaved_arrival_order(void)
{
	mach_port_t set = nu_pset(), p[3];
	const uint32_t order[] = { 0, 1, 2, 0, 2, 1 };
	const uint32_t want_port[] = { 0, 1, 2, 0, 1, 2 };
	const uint32_t want_msg[] = { 0, 1, 2, 3, 5, 4 };

	assert_true(set != MACH_PORT_NULL, "set");
	for (int i = 0; i < 3; i++) {
		p[i] = mu_port();
		assert_kr(KERN_SUCCESS, insert(p[i], set), "insert");
	}
	for (uint32_t i = 0; i < 6; i++)
		assert_kr(MACH_MSG_SUCCESS, send_to(p[order[i]], i, 0), "send");
	for (uint32_t i = 0; i < 6; i++)
		if (!recv_from(set, p[want_port[i]], want_msg[i]))
			return;
}

static void queued_before_join(void)
{
	mach_port_t set = nu_pset(), port = mu_port();

	assert_true(set && port, "setup");
	assert_kr(MACH_MSG_SUCCESS, send_to(port, 5, 0), "send before joining");
	assert_kr(MACH_MSG_SUCCESS, send_to(port, 6, 0), "send before joining");
	assert_kr(KERN_SUCCESS, insert(port, set), "join the set");
	expect_true(recv_from(set, port, 5), "first queued message via the set");
	expect_true(recv_from(set, port, 6), "second queued message via the set");
}

static void member_qlimit_applies(void)
{
	mach_port_t set = nu_pset(), port = mu_port();
	mach_port_limits_t lim = { .mpl_qlimit = 1 };

	assert_true(set && port, "setup");
	assert_kr(KERN_SUCCESS,
		  mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT),
		  "qlimit 1");
	assert_kr(KERN_SUCCESS, insert(port, set), "insert");
	expect_kr(MACH_MSG_SUCCESS, send_to(port, 1, 0), "first message fits");
	expect_kr(MACH_SEND_TIMED_OUT,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, PB_ID, 2, 0, 0, 0),
		  "second message: the member's queue is full");
	expect_true(recv_from(set, port, 1), "receive through the set");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, PB_ID, 3, 0, 0, 0),
		  "room again");
	expect_eq(1, mu_status(port).mps_qlimit, "qlimit kept");
}

static void receive_directly_on_member(void)
{
	mach_port_t set = nu_pset(), port = mu_port();

	assert_true(set && port, "setup");
	assert_kr(KERN_SUCCESS, insert(port, set), "insert");
	assert_kr(MACH_MSG_SUCCESS, send_to(port, 9, 0), "send");
	expect_true(recv_from(port, port, 9), "receive on the member itself");
	expect_true(in_set(set, port, NULL), "still a member");
}

static void destroyed_member_leaves_set(void)
{
	mach_port_t set = nu_pset(), a = mu_port(), b = mu_port();

	assert_true(set && a && b, "setup");
	assert_kr(KERN_SUCCESS, insert(a, set), "insert a");
	assert_kr(KERN_SUCCESS, insert(b, set), "insert b");
	assert_kr(MACH_MSG_SUCCESS, send_to(a, 1, 0), "queue on a");
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), a,
						   MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy a");
	expect_true(!in_set(set, a, NULL), "a no longer listed");
	expect_eq(1, set_count(set), "only b left");
	expect_kr(MACH_MSG_SUCCESS, send_to(b, 2, 0), "send to b");
	expect_true(recv_from(set, b, 2), "the set still works; a's message is gone");
}

/* --- waiters ------------------------------------------------------------ */

struct waiter {
	pthread_t thread;
	mach_port_t name;
	unsigned int timeout_ms;
	volatile pid_t tid;
	mach_msg_return_t mr;
	struct mu_rcv r;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->tid = nu_gettid();
	w->mr = mu_recv(w->name, &w->r, 0, w->timeout_ms);
	return NULL;
}

static bool waiter_start(struct waiter *w, mach_port_t name, unsigned int timeout_ms)
{
	uint64_t deadline = mt_now_ms() + 5000;

	w->name = name;
	w->timeout_ms = timeout_ms;
	w->tid = 0;
	w->mr = 0xdead;
	if (!expect_eq(0, pthread_create(&w->thread, NULL, waiter_main, w), "pthread_create"))
		return false;
	while (w->tid == 0 && mt_now_ms() < deadline)
		mt_sleep_ms(1);
	return expect_true(w->tid != 0 && nu_wait_sleeping(w->tid, 5000),
			   "receiver blocked in mach_msg");
}

static void waiter_woken_by_send(void)
{
	mach_port_t set = nu_pset(), a = mu_port(), b = mu_port();
	struct waiter w;

	assert_true(set && a && b, "setup");
	assert_kr(KERN_SUCCESS, insert(a, set), "insert a");
	assert_kr(KERN_SUCCESS, insert(b, set), "insert b");
	assert_true(waiter_start(&w, set, MU_WAIT_MS), "waiter");
	expect_kr(MACH_MSG_SUCCESS, send_to(b, 42, 0), "send to b");
	pthread_join(w.thread, NULL);
	if (expect_kr(MACH_MSG_SUCCESS, w.mr, "blocked receive on the set")) {
		expect_eq(b, w.r.hdr.msgh_local_port, "delivered from b");
		expect_eq(42, mu_as_msg(&w.r)->a, "payload");
	}
}

/* ipc_mqueue_add_locked: a joining port's message goes to a waiting receiver. */
static void join_wakes_waiter(void)
{
	mach_port_t set = nu_pset(), port = mu_port();
	struct waiter w;

	assert_true(set && port, "setup");
	assert_kr(MACH_MSG_SUCCESS, send_to(port, 3, 0), "queue before joining");
	assert_true(waiter_start(&w, set, MU_WAIT_MS), "waiter");
	expect_kr(KERN_SUCCESS, insert(port, set), "join while a receiver waits");
	pthread_join(w.thread, NULL);
	if (expect_kr(MACH_MSG_SUCCESS, w.mr, "blocked receive on the set")) {
		expect_eq(port, w.r.hdr.msgh_local_port, "delivered from the new member");
		expect_eq(3, mu_as_msg(&w.r)->a, "payload");
	}
	expect_eq(0, mu_status(port).mps_msgcount, "handed over");
}

static void destroy_set_under_waiter(void)
{
	mach_port_t set = nu_pset(), a = mu_port(), b = mu_port();
	struct waiter w;

	assert_true(set && a && b, "setup");
	assert_kr(KERN_SUCCESS, insert(a, set), "insert a");
	assert_kr(KERN_SUCCESS, insert(b, set), "insert b");
	assert_true(waiter_start(&w, set, MU_WAIT_MS), "waiter");
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), set),
		  "destroy the set under the receiver");
	pthread_join(w.thread, NULL);
	/* THREAD_RESTART -> MACH_RCV_PORT_CHANGED (ipc_mqueue_receive_results). */
	expect_kr(MACH_RCV_PORT_CHANGED, w.mr, "the blocked receive");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(a), "member a survives");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(b), "member b survives");
	expect_eq(0, mu_status(a).mps_pset, "a in no set");
	expect_kr(MACH_MSG_SUCCESS, send_to(a, 4, 0), "send to a");
	expect_true(recv_from(a, a, 4), "a works on its own");
}

static void destroy_set_keeps_messages(void)
{
	mach_port_t set = nu_pset(), a = mu_port(), b = mu_port();

	assert_true(set && a && b, "setup");
	assert_kr(KERN_SUCCESS, insert(a, set), "insert a");
	assert_kr(KERN_SUCCESS, insert(b, set), "insert b");
	assert_kr(MACH_MSG_SUCCESS, send_to(a, 1, 0), "queue on a");
	assert_kr(MACH_MSG_SUCCESS, send_to(b, 2, 0), "queue on b");
	assert_kr(MACH_MSG_SUCCESS, send_to(b, 3, 0), "queue on b");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), set,
						   MACH_PORT_RIGHT_PORT_SET, -1),
		  "destroy the set");
	expect_eq(1, mu_status(a).mps_msgcount, "a keeps its message");
	expect_eq(2, mu_status(b).mps_msgcount, "b keeps its messages");
	expect_eq(0, mu_status(b).mps_pset, "b in no set");
	expect_true(recv_from(a, a, 1), "a's message");
	expect_true(recv_from(b, b, 2), "b's first");
	expect_true(recv_from(b, b, 3), "b's second");
}

static void remove_member_under_waiter(void)
{
	mach_port_t set = nu_pset(), a = mu_port(), b = mu_port();
	struct waiter w;

	assert_true(set && a && b, "setup");
	assert_kr(KERN_SUCCESS, insert(a, set), "insert a");
	assert_kr(KERN_SUCCESS, insert(b, set), "insert b");
	assert_true(waiter_start(&w, set, MU_WAIT_MS), "waiter");
	expect_kr(KERN_SUCCESS, extract(a, set), "remove a while the receiver waits");
	expect_kr(MACH_MSG_SUCCESS, send_to(a, 1, 0), "send to the removed member");
	mt_sleep_ms(300);
	expect_kr(MACH_MSG_SUCCESS, send_to(b, 2, 0), "send to the remaining member");
	pthread_join(w.thread, NULL);
	if (expect_kr(MACH_MSG_SUCCESS, w.mr, "the blocked receive")) {
		expect_eq(b, w.r.hdr.msgh_local_port, "woken by b, not by the removed a");
		expect_eq(2, mu_as_msg(&w.r)->a, "b's payload");
	}
	expect_eq(1, mu_status(a).mps_msgcount, "a's message stays on a");
	expect_true(recv_from(a, a, 1), "and is received there");
}

/*
 * MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY on a set: a message too large
 * for the buffer stays queued, msgh_size says what it needs and
 * msgh_local_port which member it waits on, so a set server can receive
 * it from that member with a bigger buffer (XNU's ith_receiver_name).
 */
static void large_identity_names_member(void)
{
	mach_port_t task = mach_task_self(), set, a = mu_port_send(), b = mu_port_send();
	struct { mach_msg_header_t h; char data[400]; } m;
	struct { mach_msg_header_t h; char small[8]; } r;
	struct mu_rcv big;

	assert_kr(KERN_SUCCESS, mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &set), "set");
	assert_kr(KERN_SUCCESS, mach_port_move_member(task, a, set), "a joins");
	assert_kr(KERN_SUCCESS, mach_port_move_member(task, b, set), "b joins");
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = b;
	m.h.msgh_id = 77;
	assert_kr(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, 0, 0, 0),
		  "a large message to b");

	memset(&r, 0, sizeof(r));
	expect_kr(MACH_RCV_TOO_LARGE,
		  mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY |
			   MACH_RCV_TIMEOUT, 0, sizeof(r), set, 0, 0),
		  "too large, with MACH_RCV_LARGE_IDENTITY");
	expect_eq(b, r.h.msgh_local_port, "msgh_local_port names the member");
	expect_eq(sizeof(m), r.h.msgh_size, "msgh_size the size needed");

	/* without IDENTITY only the size is written */
	memset(&r, 0, sizeof(r));
	expect_kr(MACH_RCV_TOO_LARGE,
		  mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT, 0,
			   sizeof(r), set, 0, 0),
		  "too large, MACH_RCV_LARGE alone");
	expect_eq(MACH_PORT_NULL, r.h.msgh_local_port, "msgh_local_port untouched");

	/* on the member directly, the same */
	memset(&r, 0, sizeof(r));
	expect_kr(MACH_RCV_TOO_LARGE,
		  mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_LARGE_IDENTITY |
			   MACH_RCV_TIMEOUT, 0, sizeof(r), b, 0, 0),
		  "too large on the member itself");
	expect_eq(b, r.h.msgh_local_port, "msgh_local_port names it");

	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(b, &big, 0, 0), "then received whole"))
		expect_eq(77, big.hdr.msgh_id, "the same message");
	mach_port_destroy(task, a);
	mach_port_destroy(task, b);
	mach_port_destroy(task, set);
}

static const struct mt_case cases[] = {
	MT_CASE(set_allocate_and_destroy),
	MT_CASE(insert_extract_errors),
	MT_CASE(move_member_semantics),
	MT_CASE(member_of_two_sets),
	MT_CASE(set_status_lists_members),
	MT_CASE(receive_through_set),
	MT_CASE(members_served_round_robin),
	MT_CASE(interleaved_arrival_order),
	MT_CASE(queued_before_join),
	MT_CASE(member_qlimit_applies),
	MT_CASE(receive_directly_on_member),
	MT_CASE(destroyed_member_leaves_set),
	MT_CASE(waiter_woken_by_send),
	MT_CASE(join_wakes_waiter),
	MT_CASE(destroy_set_under_waiter),
	MT_CASE(destroy_set_keeps_messages),
	MT_CASE(remove_member_under_waiter),
	MT_CASE(large_identity_names_member),
};

int main(void)
{
	return MT_RUN(cases);
}
