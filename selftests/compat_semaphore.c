// SPDX-License-Identifier: GPL-2.0
/*
 * compat_semaphore - Mach semaphores with XNU's semantics (osfmk/kern/
 * sync_sema.c): counting, wakeups handed to waiters, signal_all without
 * prepost, destroy waking waiters with KERN_TERMINATED, {0,0} timeouts
 * polling, and the codes port_name_to_semaphore() gives for bad names.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <mach/semaphore.h>
#include <mach/mach_time.h>

#include "msg_util.h"

static const mach_timespec_t POLL = { 0, 0 };

static semaphore_t new_sem(int value)
{
	semaphore_t s = MACH_PORT_NULL;

	if (!expect_kr(KERN_SUCCESS, semaphore_create(mach_task_self(), &s,
						      SYNC_POLICY_FIFO, value),
		       "semaphore_create"))
		return MACH_PORT_NULL;
	return s;
}

static void create_destroy(void)
{
	mach_port_t task = mach_task_self();
	mach_port_type_t type = 0;
	int names = mu_names_count();
	semaphore_t s = new_sem(0);

	assert_true(MACH_PORT_VALID(s), "a valid name");
	expect_true(mu_names_find(s, &type), "listed by mach_port_names");
	expect_true(type & MACH_PORT_TYPE_SEND, "a send right");
	expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "one send uref");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL), "poll empty");
	expect_kr(KERN_SUCCESS, semaphore_signal(s), "signal");
	expect_kr(KERN_SUCCESS, semaphore_timedwait(s, POLL), "poll after signal");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL), "poll again");
	expect_kr(KERN_SUCCESS, semaphore_destroy(task, s), "destroy");
	/* destroy moved the only send right: the name is gone. */
	expect_kr(KERN_INVALID_NAME, mach_port_type(task, s, &type), "name gone");
	expect_kr(KERN_INVALID_NAME, semaphore_signal(s), "signal after destroy");
	expect_kr(KERN_INVALID_NAME, semaphore_wait(s), "wait after destroy");
	expect_eq(names, mu_names_count(), "no names left");
}

static void initial_value(void)
{
	semaphore_t s = new_sem(3);

	for (int i = 0; i < 3; i++)
		expect_kr(KERN_SUCCESS, semaphore_wait(s), "wait on initial count");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL), "count used up");
	semaphore_destroy(mach_task_self(), s);
}

static void create_bad_args(void)
{
	mach_port_t task = mach_task_self();
	semaphore_t s = MACH_PORT_NULL;

	expect_kr(KERN_INVALID_ARGUMENT, semaphore_create(task, &s, SYNC_POLICY_FIFO, -1),
		  "negative value");
	expect_kr(KERN_INVALID_ARGUMENT, semaphore_create(task, &s, 0x10, 0),
		  "unknown policy bits");
	expect_kr(MACH_SEND_INVALID_DEST,
		  semaphore_create(MACH_PORT_NULL, &s, SYNC_POLICY_FIFO, 0),
		  "task MACH_PORT_NULL");
	expect_kr(KERN_SUCCESS, semaphore_create(task, &s, SYNC_POLICY_LIFO, 0), "LIFO");
	expect_kr(KERN_SUCCESS, semaphore_destroy(task, s), "destroy");
	expect_kr(KERN_SUCCESS, semaphore_create(task, &s, SYNC_POLICY_FIXED_PRIORITY, 1),
		  "FIXED_PRIORITY");
	expect_kr(KERN_SUCCESS, semaphore_destroy(task, s), "destroy");
}

static void bad_names(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t recv = mu_port();		/* receive right only */
	mach_port_t both = mu_port_send();	/* receive + send */
	mach_timespec_t bad = { 0, 1000000000 };
	semaphore_t s = new_sem(0);

	expect_kr(KERN_INVALID_NAME, semaphore_signal(MACH_PORT_NULL), "signal(NULL)");
	expect_kr(KERN_INVALID_NAME, semaphore_wait(MACH_PORT_DEAD), "wait(DEAD)");
	expect_kr(KERN_INVALID_NAME, semaphore_signal_all(0x7ffe0103), "unused name");
	expect_kr(KERN_INVALID_RIGHT, semaphore_signal(recv), "receive right only");
	expect_kr(KERN_INVALID_CAPABILITY, semaphore_signal(both), "port, no semaphore");
	expect_kr(KERN_INVALID_CAPABILITY, semaphore_timedwait(both, POLL), "timedwait");
	expect_kr(KERN_INVALID_VALUE, semaphore_timedwait(s, bad), "tv_nsec = 1e9");
	bad.tv_nsec = -1;
	expect_kr(KERN_INVALID_VALUE, semaphore_timedwait(s, bad), "tv_nsec = -1");
	/* wait_signal translates the signal name first. */
	expect_kr(KERN_INVALID_NAME, semaphore_wait_signal(s, MACH_PORT_NULL),
		  "wait_signal with no signal semaphore");
	expect_kr(KERN_INVALID_ARGUMENT, semaphore_destroy(task, MACH_PORT_NULL),
		  "destroy(NULL)");
	expect_kr(KERN_INVALID_ARGUMENT, semaphore_destroy(task, both),
		  "destroy(a port that is no semaphore)");
	expect_kr(MACH_SEND_INVALID_RIGHT, semaphore_destroy(task, 0x7ffe0103),
		  "destroy(unused name)");
	semaphore_destroy(task, s);
}

/* The name outlives destroy while the caller holds more send urefs. */
static void destroy_extra_ref(void)
{
	mach_port_t task = mach_task_self();
	semaphore_t s = new_sem(1);

	assert_kr(KERN_SUCCESS, mach_port_mod_refs(task, s, MACH_PORT_RIGHT_SEND, 1),
		  "add a send uref");
	expect_kr(KERN_SUCCESS, semaphore_destroy(task, s), "destroy");
	expect_eq(1, mu_refs(s, MACH_PORT_RIGHT_SEND), "one uref left");
	expect_kr(KERN_TERMINATED, semaphore_signal(s), "signal a destroyed semaphore");
	expect_kr(KERN_TERMINATED, semaphore_wait(s), "wait on a destroyed semaphore");
	expect_kr(KERN_TERMINATED, semaphore_timedwait(s, POLL), "poll");
	expect_kr(KERN_SUCCESS, semaphore_destroy(task, s), "destroy again consumes the last");
	expect_kr(KERN_INVALID_NAME, semaphore_signal(s), "name gone");
}

#define OPS 100000

struct pc {
	semaphore_t items;
	atomic_int consumed;
	int per_thread;
	kern_return_t kr;
};

static void *producer(void *arg)
{
	struct pc *pc = arg;

	for (int i = 0; i < pc->per_thread; i++) {
		kern_return_t kr = semaphore_signal(pc->items);

		if (kr != KERN_SUCCESS)
			pc->kr = kr;
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct pc *pc = arg;

	for (int i = 0; i < pc->per_thread; i++) {
		kern_return_t kr = semaphore_wait(pc->items);

		if (kr != KERN_SUCCESS)
			pc->kr = kr;
		atomic_fetch_add(&pc->consumed, 1);
	}
	return NULL;
}

static void run_pc(int nprod, int ncons)
{
	struct pc pc = { .items = new_sem(0), .kr = KERN_SUCCESS };
	pthread_t p[4], c[4];

	assert_true(MACH_PORT_VALID(pc.items), "semaphore");
	pc.per_thread = OPS / nprod;	/* nprod == ncons */
	for (int i = 0; i < ncons; i++)
		pthread_create(&c[i], NULL, consumer, &pc);
	for (int i = 0; i < nprod; i++)
		pthread_create(&p[i], NULL, producer, &pc);
	for (int i = 0; i < nprod; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < ncons; i++)
		pthread_join(c[i], NULL);
	expect_kr(KERN_SUCCESS, pc.kr, "every signal and wait");
	expect_eq(OPS, atomic_load(&pc.consumed), "every item consumed");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(pc.items, POLL),
		  "count exactly zero afterwards");
	semaphore_destroy(mach_task_self(), pc.items);
}

static void producer_consumer(void)
{
	run_pc(1, 1);
}

static void producers_consumers(void)
{
	run_pc(4, 4);
}

/* Signals before any wait are counted, then consumed one by one. */
static void prepost_count(void)
{
	semaphore_t s = new_sem(0);

	for (int i = 0; i < 1000; i++)
		semaphore_signal(s);
	for (int i = 0; i < 1000; i++)
		if (!expect_kr(KERN_SUCCESS, semaphore_timedwait(s, POLL), "poll"))
			break;
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, POLL), "exactly 1000");
	semaphore_destroy(mach_task_self(), s);
}

struct pingpong {
	semaphore_t ping, pong;
	int rounds;
	kern_return_t kr;
};

static void *ponger(void *arg)
{
	struct pingpong *pp = arg;

	if (semaphore_wait(pp->ping) != KERN_SUCCESS)
		pp->kr = KERN_FAILURE;
	for (int i = 0; i < pp->rounds - 1; i++)
		if (semaphore_wait_signal(pp->ping, pp->pong) != KERN_SUCCESS)
			pp->kr = KERN_FAILURE;
	semaphore_signal(pp->pong);
	return NULL;
}

static void wait_signal_pingpong(void)
{
	struct pingpong pp = { new_sem(0), new_sem(0), 10000, KERN_SUCCESS };
	pthread_t th;
	kern_return_t kr = KERN_SUCCESS;

	pthread_create(&th, NULL, ponger, &pp);
	for (int i = 0; i < pp.rounds && kr == KERN_SUCCESS; i++)
		kr = semaphore_wait_signal(pp.pong, pp.ping);
	pthread_join(th, NULL);
	expect_kr(KERN_SUCCESS, kr, "wait_signal in the main thread");
	expect_kr(KERN_SUCCESS, pp.kr, "wait_signal in the other thread");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(pp.ping, POLL), "ping 0");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(pp.pong, POLL), "pong 0");
	/* With a count ready, wait_signal signals and returns at once. */
	semaphore_signal(pp.ping);
	expect_kr(KERN_SUCCESS, semaphore_wait_signal(pp.ping, pp.pong), "no block");
	expect_kr(KERN_SUCCESS, semaphore_timedwait(pp.pong, POLL), "pong signalled");
	mach_timespec_t t = { 0, 20000000 };
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait_signal(pp.ping, pp.pong, t),
		  "timedwait_signal times out");
	expect_kr(KERN_SUCCESS, semaphore_timedwait(pp.pong, POLL), "but still signalled");
	semaphore_destroy(mach_task_self(), pp.ping);
	semaphore_destroy(mach_task_self(), pp.pong);
}

static void timedwait_timeout(void)
{
	semaphore_t s = new_sem(0);
	mach_timespec_t t = { 0, 150000000 };	/* 150 ms */
	uint64_t t0, dt;

	t0 = mach_absolute_time();
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, t), "150 ms");
	dt = mach_absolute_time() - t0;
	expect_true(dt >= 150000000ull, "waited at least the time asked");
	expect_true(dt < 30000000000ull, "and returned");
	t.tv_sec = 1;
	t.tv_nsec = 0;
	t0 = mach_absolute_time();
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(s, t), "1 s");
	expect_true(mach_absolute_time() - t0 >= 1000000000ull, "at least 1 s");
	/* A count already there: no wait. */
	semaphore_signal(s);
	expect_kr(KERN_SUCCESS, semaphore_timedwait(s, t), "count ready");
	semaphore_destroy(mach_task_self(), s);
}

struct waiters {
	semaphore_t s;
	atomic_int started, done;
	kern_return_t kr[8];
};

static struct waiters W;

static void *waiter(void *arg)
{
	int i = (int)(intptr_t)arg;

	atomic_fetch_add(&W.started, 1);
	W.kr[i] = semaphore_wait(W.s);
	atomic_fetch_add(&W.done, 1);
	return NULL;
}

#define NWAIT 5

/* Start NWAIT blocked waiters; they get half a second to block. */
static bool start_waiters(pthread_t *th)
{
	W.s = new_sem(0);
	if (!MACH_PORT_VALID(W.s))
		return false;
	for (int i = 0; i < NWAIT; i++)
		pthread_create(&th[i], NULL, waiter, (void *)(intptr_t)i);
	while (atomic_load(&W.started) < NWAIT)
		mt_sleep_ms(5);
	mt_sleep_ms(500);
	return expect_eq(0, atomic_load(&W.done), "all blocked");
}

static void signal_all(void)
{
	pthread_t th[NWAIT];

	assert_true(start_waiters(th), "waiters");
	expect_kr(KERN_SUCCESS, semaphore_signal_all(W.s), "signal_all");
	for (int i = 0; i < NWAIT; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NWAIT; i++)
		expect_kr(KERN_SUCCESS, W.kr[i], "each waiter woke");
	/* No prepost: nothing is left for the next waiter. */
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(W.s, POLL), "count 0");
	expect_kr(KERN_SUCCESS, semaphore_signal_all(W.s), "signal_all, no waiters");
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(W.s, POLL), "still 0");
	expect_kr(KERN_NOT_WAITING, semaphore_signal_thread(W.s, THREAD_NULL),
		  "signal_thread with nobody waiting");
	semaphore_destroy(mach_task_self(), W.s);
}

static void signal_one_each(void)
{
	pthread_t th[NWAIT];

	assert_true(start_waiters(th), "waiters");
	for (int i = 1; i <= NWAIT; i++) {
		expect_kr(KERN_SUCCESS, semaphore_signal(W.s), "signal");
		uint64_t t0 = mt_now_ms();
		while (atomic_load(&W.done) < i && mt_now_ms() - t0 < 20000)
			mt_sleep_ms(1);
		expect_eq(i, atomic_load(&W.done), "one signal, one waiter");
	}
	for (int i = 0; i < NWAIT; i++)
		pthread_join(th[i], NULL);
	expect_kr(KERN_OPERATION_TIMED_OUT, semaphore_timedwait(W.s, POLL), "count 0");
	semaphore_destroy(mach_task_self(), W.s);
}

static void destroy_wakes_waiters(void)
{
	pthread_t th[NWAIT];

	assert_true(start_waiters(th), "waiters");
	expect_kr(KERN_SUCCESS, semaphore_destroy(mach_task_self(), W.s), "destroy");
	for (int i = 0; i < NWAIT; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NWAIT; i++)
		expect_kr(KERN_TERMINATED, W.kr[i], "waiter woken by destroy");
}

static void many_semaphores(void)
{
	enum { N = 500 };
	static semaphore_t s[N];
	int names = mu_names_count();
	bool distinct = true;

	for (int i = 0; i < N; i++)
		if (!expect_kr(KERN_SUCCESS, semaphore_create(mach_task_self(), &s[i],
							      SYNC_POLICY_FIFO, i), "create"))
			return;
	for (int i = 1; i < N; i++)
		distinct &= s[i] != s[i - 1];
	expect_true(distinct, "distinct names");
	expect_eq(names + N, mu_names_count(), "one name each");
	for (int i = 0; i < N; i += 7) {
		int got = 0;

		while (semaphore_timedwait(s[i], POLL) == KERN_SUCCESS)
			got++;
		expect_eq(i, got, "each keeps its own count");
	}
	for (int i = 0; i < N; i++)
		semaphore_destroy(mach_task_self(), s[i]);
	expect_eq(names, mu_names_count(), "all names gone");
}

/* A forked child has a new space: the parent's semaphore names mean nothing. */
static void fork_child(void)
{
	semaphore_t s = new_sem(1);
	pid_t pid = mt_fork();

	if (pid == 0) {
		semaphore_t c;

		expect_kr(KERN_INVALID_NAME, semaphore_signal(s), "parent's name in child");
		expect_kr(KERN_SUCCESS, semaphore_create(mach_task_self(), &c,
							 SYNC_POLICY_FIFO, 0), "create in child");
		expect_kr(KERN_SUCCESS, semaphore_signal(c), "signal in child");
		expect_kr(KERN_SUCCESS, semaphore_wait(c), "wait in child");
		mt_child_exit();
	}
	expect_child_ok(pid, 30000, "child");
	expect_kr(KERN_SUCCESS, semaphore_wait(s), "parent's semaphore intact");
	semaphore_destroy(mach_task_self(), s);
}

static const struct mt_case cases[] = {
	MT_CASE(create_destroy),
	MT_CASE(initial_value),
	MT_CASE(create_bad_args),
	MT_CASE(bad_names),
	MT_CASE(destroy_extra_ref),
	MT_CASE(producer_consumer),
	MT_CASE(producers_consumers),
	MT_CASE(prepost_count),
	MT_CASE(wait_signal_pingpong),
	MT_CASE(timedwait_timeout),
	MT_CASE(signal_all),
	MT_CASE(signal_one_each),
	MT_CASE(destroy_wakes_waiters),
	MT_CASE(many_semaphores),
	MT_CASE(fork_child),
};

int main(void)
{
	return MT_RUN(cases);
}
