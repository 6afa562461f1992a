/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Mach semaphores, in user space.
 *
 * Each semaphore is named by a real port name (a receive right plus one
 * send right, allocated from the kernel), so its name is unique, shows up
 * in mach_port_names() and is never handed out for another port while the
 * semaphore lives.  The counter itself is a mutex/condvar pair found through
 * a process-wide table keyed by that name: semaphores work between the
 * threads of one process, which is how nearly all Mach code uses them.
 *
 * Counting follows XNU's sync_sema.c: a signal hands its wakeup to a
 * blocked waiter if there is one and otherwise raises the count;
 * signal_all wakes every waiter without raising the count; destroy wakes
 * every waiter with KERN_TERMINATED.  Looking up a name that is no
 * semaphore answers what XNU's port_name_to_semaphore() answers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include <mach/semaphore.h>

#include "internal.h"

struct msema {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int count;	/* posted wakeups nobody has taken */
	unsigned int waiters;	/* threads blocked in a wait */
	unsigned int wakeups;	/* handed to waiters, not yet taken (<= waiters) */
	bool active;
	atomic_int refs;	/* the table's, plus one per call in progress */
	mach_port_name_t name;
	struct msema *next;	/* hash chain */
};

#define SEMA_BUCKETS 256

static struct msema *sema_table[SEMA_BUCKETS];
static pthread_rwlock_t sema_table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_condattr_t sema_condattr;
static pthread_once_t sema_once = PTHREAD_ONCE_INIT;

/*
 * In a forked child the Mach space is new: none of the parent's semaphore
 * names exist there.  Forget them (leaking the memory: another thread of
 * the parent may have held a lock at the fork).
 */
static void sema_atfork_child(void)
{
	for (int i = 0; i < SEMA_BUCKETS; i++)
		sema_table[i] = NULL;
	pthread_rwlock_t fresh = PTHREAD_RWLOCK_INITIALIZER;
	sema_table_lock = fresh;
}

static void sema_init_once(void)
{
	pthread_condattr_init(&sema_condattr);
	pthread_condattr_setclock(&sema_condattr, CLOCK_MONOTONIC);
	pthread_atfork(NULL, NULL, sema_atfork_child);
}

static unsigned int sema_hash(mach_port_name_t name)
{
	return (name ^ (name >> 8) ^ (name >> 16)) % SEMA_BUCKETS;
}

static void sema_put(struct msema *s)
{
	if (atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) == 1) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		free(s);
	}
}

/* What XNU's port_name_to_semaphore() says about a name that is no semaphore. */
static kern_return_t sema_not_found(mach_port_name_t name)
{
	mach_port_type_t type;
	kern_return_t kr;

	if (!MACH_PORT_VALID(name))
		return KERN_INVALID_NAME;
	kr = mach_port_type(mach_task_self(), name, &type);
	if (kr != KERN_SUCCESS)
		return kr == KERN_INVALID_NAME || kr == KERN_INVALID_ARGUMENT ?
			KERN_INVALID_NAME : kr;
	if (type & MACH_PORT_TYPE_SEND)
		return KERN_INVALID_CAPABILITY;
	return KERN_INVALID_RIGHT;
}

/* Find name's semaphore and take a reference on it. */
static kern_return_t sema_get(mach_port_name_t name, struct msema **out)
{
	struct msema *s;

	pthread_once(&sema_once, sema_init_once);
	if (MACH_PORT_VALID(name)) {
		pthread_rwlock_rdlock(&sema_table_lock);
		for (s = sema_table[sema_hash(name)]; s; s = s->next) {
			if (s->name == name) {
				atomic_fetch_add_explicit(&s->refs, 1,
							  memory_order_relaxed);
				pthread_rwlock_unlock(&sema_table_lock);
				*out = s;
				return KERN_SUCCESS;
			}
		}
		pthread_rwlock_unlock(&sema_table_lock);
	}
	return sema_not_found(name);
}

/* Unlink s from the table (caller holds the write lock); drops the table's ref. */
static void sema_unlink_locked(struct msema *s)
{
	struct msema **pp = &sema_table[sema_hash(s->name)];

	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = s->next;
		sema_put(s);
	}
}

/* task must be a task port; creating for another task creates here (see task.h). */
static kern_return_t sema_check_task(task_t task)
{
	int pid;
	mach_port_type_t type;

	if (task == MACH_PORT_NULL)
		return MACH_SEND_INVALID_DEST;
	if (task == mach_task_self())
		return KERN_SUCCESS;
	if (pid_for_task(task, &pid) == KERN_SUCCESS)
		return KERN_SUCCESS;
	if (mach_port_type(mach_task_self(), task, &type) != KERN_SUCCESS ||
	    !(type & MACH_PORT_TYPE_SEND))
		return MACH_SEND_INVALID_DEST;
	return KERN_INVALID_ARGUMENT;
}

MACH_EXPORT kern_return_t
semaphore_create(task_t task, semaphore_t *semaphore, int policy, int value)
{
	mach_port_t self = mach_task_self();
	mach_port_name_t name = MACH_PORT_NULL;
	struct msema *s, **pp;
	kern_return_t kr;

	pthread_once(&sema_once, sema_init_once);
	kr = sema_check_task(task);
	if (kr != KERN_SUCCESS)
		return kr;
	if (semaphore == NULL)
		return KERN_INVALID_ADDRESS;
	if (value < 0 || (policy & ~SYNC_POLICY_ORDER_MASK))
		return KERN_INVALID_ARGUMENT;

	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &name);
	if (kr == KERN_SUCCESS) {
		kr = mach_port_insert_right(self, name, name, MACH_MSG_TYPE_MAKE_SEND);
		if (kr != KERN_SUCCESS)
			mach_port_destroy(self, name);
	}
	if (kr != KERN_SUCCESS) {
		free(s);
		return kr;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, &sema_condattr);
	s->count = (unsigned int)value;
	s->active = true;
	atomic_init(&s->refs, 1);
	s->name = name;

	pthread_rwlock_wrlock(&sema_table_lock);
	/* A destroyed semaphore's leftover entry may carry a recycled name. */
	for (pp = &sema_table[sema_hash(name)]; *pp; pp = &(*pp)->next) {
		if ((*pp)->name == name) {
			sema_unlink_locked(*pp);
			break;
		}
	}
	s->next = sema_table[sema_hash(name)];
	sema_table[sema_hash(name)] = s;
	pthread_rwlock_unlock(&sema_table_lock);

	*semaphore = name;
	return KERN_SUCCESS;
}

/*
 * Like XNU, destroy consumes the caller's send right: with the last one the
 * name disappears (later calls get KERN_INVALID_NAME); while more user
 * references remain the name stays and calls on it get KERN_TERMINATED.
 */
MACH_EXPORT kern_return_t semaphore_destroy(task_t task, semaphore_t semaphore)
{
	mach_port_t self = mach_task_self();
	mach_port_urefs_t refs = 0;
	struct msema *s;
	kern_return_t kr;

	kr = sema_check_task(task);
	if (kr != KERN_SUCCESS)
		return kr;
	if (semaphore == MACH_PORT_NULL)
		return KERN_INVALID_ARGUMENT;
	kr = sema_get(semaphore, &s);
	if (kr != KERN_SUCCESS) {
		/* MIG could not even copy in the right it was to move. */
		if (kr == KERN_INVALID_NAME || kr == KERN_INVALID_RIGHT)
			return MACH_SEND_INVALID_RIGHT;
		return KERN_INVALID_ARGUMENT;
	}

	pthread_mutex_lock(&s->lock);
	s->active = false;
	s->count = 0;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);

	pthread_rwlock_wrlock(&sema_table_lock);
	if (mach_port_get_refs(self, semaphore, MACH_PORT_RIGHT_SEND, &refs) ==
	    KERN_SUCCESS && refs > 1) {
		mach_port_mod_refs(self, semaphore, MACH_PORT_RIGHT_SEND, -1);
	} else {
		sema_unlink_locked(s);
		mach_port_destroy(self, semaphore);
	}
	pthread_rwlock_unlock(&sema_table_lock);
	sema_put(s);
	return KERN_SUCCESS;
}

/* Wake one blocked waiter, or (prepost) raise the count. */
static kern_return_t sema_signal_one(struct msema *s, bool prepost)
{
	kern_return_t kr = KERN_SUCCESS;

	pthread_mutex_lock(&s->lock);
	if (!s->active) {
		kr = KERN_TERMINATED;
	} else if (s->waiters > s->wakeups) {
		s->wakeups++;
		pthread_cond_signal(&s->cond);
	} else if (prepost) {
		s->count++;
	} else {
		kr = KERN_NOT_WAITING;
	}
	pthread_mutex_unlock(&s->lock);
	return kr;
}

/* Leave the waiters: with a wakeup handed over meanwhile, that wins. */
static kern_return_t sema_leave_locked(struct msema *s, kern_return_t why)
{
	s->waiters--;
	if (s->wakeups > 0) {
		s->wakeups--;
		return KERN_SUCCESS;
	}
	return why;
}

/*
 * The common wait: take a count or block until a signal, destroy or the
 * deadline (NULL: none).  noblock polls.  signal, if not NULL, is signalled
 * once this thread is registered as a waiter (semaphore_wait_signal).
 */
static kern_return_t sema_wait(struct msema *s, struct msema *signal,
			       const struct timespec *deadline, bool noblock)
{
	kern_return_t kr;
	bool waiting = false;

	pthread_mutex_lock(&s->lock);
	if (!s->active) {
		kr = KERN_TERMINATED;
	} else if (s->count > 0) {
		s->count--;
		kr = KERN_SUCCESS;
	} else if (noblock) {
		kr = KERN_OPERATION_TIMED_OUT;
	} else {
		s->waiters++;
		waiting = true;
		kr = KERN_ALREADY_WAITING;
	}
	pthread_mutex_unlock(&s->lock);

	if (signal != NULL && sema_signal_one(signal, true) == KERN_TERMINATED &&
	    waiting) {
		/* The semaphore we were to post died: do not wait forever. */
		pthread_mutex_lock(&s->lock);
		kr = sema_leave_locked(s, KERN_TERMINATED);
		pthread_mutex_unlock(&s->lock);
		return kr;
	}
	if (!waiting)
		return kr;

	pthread_mutex_lock(&s->lock);
	while (s->wakeups == 0 && s->active) {
		int rc = deadline ?
			pthread_cond_timedwait(&s->cond, &s->lock, deadline) :
			pthread_cond_wait(&s->cond, &s->lock);

		if (rc == ETIMEDOUT)
			break;
	}
	kr = sema_leave_locked(s, s->active ? KERN_OPERATION_TIMED_OUT
					    : KERN_TERMINATED);
	pthread_mutex_unlock(&s->lock);
	return kr;
}

/* Absolute CLOCK_MONOTONIC deadline wait_time from now. */
static void sema_deadline(mach_timespec_t wait_time, struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += wait_time.tv_sec;
	ts->tv_nsec += wait_time.tv_nsec;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
}

static kern_return_t
sema_wait_common(mach_port_name_t wait_name, mach_port_name_t signal_name,
		 bool with_signal, const mach_timespec_t *wait_time)
{
	struct msema *ws, *ss = NULL;
	struct timespec deadline;
	bool noblock = false;
	kern_return_t kr;

	if (wait_time != NULL && BAD_MACH_TIMESPEC(wait_time))
		return KERN_INVALID_VALUE;
	if (with_signal) {
		kr = sema_get(signal_name, &ss);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	kr = sema_get(wait_name, &ws);
	if (kr == KERN_SUCCESS) {
		if (wait_time != NULL) {
			if (wait_time->tv_sec == 0 && wait_time->tv_nsec == 0)
				noblock = true;
			else
				sema_deadline(*wait_time, &deadline);
		}
		kr = sema_wait(ws, ss, wait_time && !noblock ? &deadline : NULL,
			       noblock);
		sema_put(ws);
	}
	if (ss != NULL)
		sema_put(ss);
	return kr;
}

MACH_EXPORT kern_return_t semaphore_signal(semaphore_t semaphore)
{
	struct msema *s;
	kern_return_t kr = sema_get(semaphore, &s);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = sema_signal_one(s, true);
	sema_put(s);
	return kr;
}

MACH_EXPORT kern_return_t semaphore_signal_all(semaphore_t semaphore)
{
	struct msema *s;
	kern_return_t kr = sema_get(semaphore, &s);

	if (kr != KERN_SUCCESS)
		return kr;
	pthread_mutex_lock(&s->lock);
	if (!s->active) {
		kr = KERN_TERMINATED;
	} else if (s->waiters > s->wakeups) {
		s->wakeups = s->waiters;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	sema_put(s);
	return kr;
}

/* No per-thread targeting here: any one waiter is woken, none is preposted. */
MACH_EXPORT kern_return_t semaphore_signal_thread(semaphore_t semaphore, thread_t thread)
{
	struct msema *s;
	kern_return_t kr;

	(void)thread;
	kr = sema_get(semaphore, &s);
	if (kr != KERN_SUCCESS)
		return kr;
	kr = sema_signal_one(s, false);
	sema_put(s);
	return kr;
}

MACH_EXPORT kern_return_t semaphore_wait(semaphore_t semaphore)
{
	return sema_wait_common(semaphore, MACH_PORT_NULL, false, NULL);
}

MACH_EXPORT kern_return_t
semaphore_timedwait(semaphore_t semaphore, mach_timespec_t wait_time)
{
	return sema_wait_common(semaphore, MACH_PORT_NULL, false, &wait_time);
}

MACH_EXPORT kern_return_t
semaphore_wait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore)
{
	return sema_wait_common(wait_semaphore, signal_semaphore, true, NULL);
}

MACH_EXPORT kern_return_t
semaphore_timedwait_signal(semaphore_t wait_semaphore, semaphore_t signal_semaphore,
			   mach_timespec_t wait_time)
{
	return sema_wait_common(wait_semaphore, signal_semaphore, true, &wait_time);
}

/* The trap spellings. */
MACH_EXPORT kern_return_t semaphore_signal_trap(mach_port_name_t signal_name)
{
	return semaphore_signal(signal_name);
}

MACH_EXPORT kern_return_t semaphore_signal_all_trap(mach_port_name_t signal_name)
{
	return semaphore_signal_all(signal_name);
}

MACH_EXPORT kern_return_t semaphore_wait_trap(mach_port_name_t wait_name)
{
	return semaphore_wait(wait_name);
}

MACH_EXPORT kern_return_t
semaphore_wait_signal_trap(mach_port_name_t wait_name, mach_port_name_t signal_name)
{
	return semaphore_wait_signal(wait_name, signal_name);
}

MACH_EXPORT kern_return_t
semaphore_timedwait_trap(mach_port_name_t wait_name, unsigned int sec, clock_res_t nsec)
{
	mach_timespec_t t = { sec, nsec };

	return semaphore_timedwait(wait_name, t);
}

MACH_EXPORT kern_return_t
semaphore_timedwait_signal_trap(mach_port_name_t wait_name, mach_port_name_t signal_name,
				unsigned int sec, clock_res_t nsec)
{
	mach_timespec_t t = { sec, nsec };

	return semaphore_timedwait_signal(wait_name, signal_name, t);
}
