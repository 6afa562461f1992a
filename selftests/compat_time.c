// SPDX-License-Identifier: GPL-2.0
/*
 * compat_time - the everyday non-IPC Mach calls: <mach/mach_time.h>, the
 * clock services, mach_host_self/mach_thread_self, host_info,
 * host_page_size, thread_switch and task_info, checked against what macOS
 * documents (timebase, monotonicity, a new send uref per *_self call).
 */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <mach/clock.h>
#include <mach/mach_time.h>

#include "msg_util.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void timebase(void)
{
	mach_timebase_info_data_t tb = { 0, 0 };

	assert_kr(KERN_SUCCESS, mach_timebase_info(&tb), "mach_timebase_info");
	expect_eq(1, tb.numer, "numer");
	expect_eq(1, tb.denom, "denom");
}

static void absolute_monotonic(void)
{
	uint64_t before = mono_ns(), prev = mach_absolute_time(), t = 0;
	bool ok = true;

	for (int i = 0; i < 100000; i++) {
		t = mach_absolute_time();
		ok &= t >= prev;
		prev = t;
	}
	expect_true(ok, "mach_absolute_time never goes back");
	expect_true(before <= mach_absolute_time(), "not behind CLOCK_MONOTONIC");
	expect_true(t <= mono_ns(), "not ahead of CLOCK_MONOTONIC");
	/* ns ticks: a 20 ms sleep shows up as about 20,000,000 ticks. */
	t = mach_absolute_time();
	mt_sleep_ms(20);
	expect_true(mach_absolute_time() - t >= 20000000ull, "ticks are nanoseconds");
}

static void approximate_continuous(void)
{
	uint64_t a0 = mach_approximate_time(), c0 = mach_continuous_time();
	uint64_t a1, c1;

	mt_sleep_ms(10);
	a1 = mach_approximate_time();
	c1 = mach_continuous_time();
	expect_true(a1 > a0, "approximate time advances");
	expect_true(c1 > c0, "continuous time advances");
	/* Continuous time counts sleep too, so it is never behind absolute time. */
	a0 = mach_absolute_time();
	expect_true(mach_continuous_time() >= a0, "continuous >= absolute");
	expect_true(mach_continuous_approximate_time() >= c1,
		    "continuous approximate time advances");
}

static void wait_until(void)
{
	uint64_t start = mach_absolute_time();
	uint64_t deadline = start + 50000000ull;	/* 50 ms */

	assert_kr(KERN_SUCCESS, mach_wait_until(deadline), "mach_wait_until");
	expect_true(mach_absolute_time() >= deadline, "woke at or after the deadline");
	expect_true(mach_absolute_time() - start < 10000000000ull, "within 10 s");
	/* A deadline in the past returns at once. */
	start = mach_absolute_time();
	expect_kr(KERN_SUCCESS, mach_wait_until(start - 1000), "past deadline");
	expect_kr(KERN_SUCCESS, mach_wait_until(0), "deadline 0");
	expect_true(mach_absolute_time() - start < 5000000000ull, "no wait");
}

static void clock_services(void)
{
	mach_port_t host = mach_host_self();
	clock_serv_t sys = MACH_PORT_NULL, cal = MACH_PORT_NULL, sys2 = MACH_PORT_NULL;
	mach_timespec_t t1, t2, c;
	int res = 0;
	mach_msg_type_number_t cnt = 1;

	assert_kr(KERN_SUCCESS, host_get_clock_service(host, SYSTEM_CLOCK, &sys),
		  "SYSTEM_CLOCK");
	assert_kr(KERN_SUCCESS, host_get_clock_service(host, CALENDAR_CLOCK, &cal),
		  "CALENDAR_CLOCK");
	expect_true(MACH_PORT_VALID(sys) && MACH_PORT_VALID(cal) && sys != cal,
		    "two distinct valid names");
	expect_kr(KERN_SUCCESS, host_get_clock_service(host, SYSTEM_CLOCK, &sys2),
		  "SYSTEM_CLOCK again");
	expect_eq(sys, sys2, "same name");
	expect_eq(2, mu_refs(sys, MACH_PORT_RIGHT_SEND), "one send uref per call");

	assert_kr(KERN_SUCCESS, clock_get_time(sys, &t1), "clock_get_time(system)");
	mt_sleep_ms(20);
	assert_kr(KERN_SUCCESS, clock_get_time(sys, &t2), "clock_get_time(system)");
	expect_true(CMP_MACH_TIMESPEC(&t2, &t1) > 0, "system clock advances");
	expect_true(!BAD_MACH_TIMESPEC(&t2), "well-formed timespec");

	assert_kr(KERN_SUCCESS, clock_get_time(cal, &c), "clock_get_time(calendar)");
	time_t now = time(NULL);
	expect_true((time_t)c.tv_sec >= now - 2 && (time_t)c.tv_sec <= now + 2,
		    "calendar clock is the time of day");

	expect_kr(KERN_SUCCESS, clock_get_attributes(sys, CLOCK_GET_TIME_RES, &res, &cnt),
		  "CLOCK_GET_TIME_RES");
	expect_true(res > 0, "resolution");
	expect_kr(KERN_INVALID_ARGUMENT, host_get_clock_service(host, 7, &sys2),
		  "unknown clock id");
	expect_kr(MACH_SEND_INVALID_DEST, clock_get_time(MACH_PORT_NULL, &c),
		  "clock_get_time(MACH_PORT_NULL)");

	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sys), "dealloc");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sys), "dealloc");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), cal), "dealloc");
	/* Usable again after the caller dropped every reference. */
	assert_kr(KERN_SUCCESS, host_get_clock_service(host, SYSTEM_CLOCK, &sys),
		  "SYSTEM_CLOCK after deallocate");
	expect_kr(KERN_SUCCESS, clock_get_time(sys, &t1), "clock_get_time");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), sys), "dealloc");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), host), "dealloc host");
}

static void host_self(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t h1 = mach_host_self(), h2 = mach_host_self();
	mach_port_type_t type = 0;

	assert_true(MACH_PORT_VALID(h1), "a valid name");
	expect_eq(h1, h2, "stable name");
	expect_ne(task, h1, "not the task port");
	expect_true(mu_type(h1) & MACH_PORT_TYPE_SEND, "a send right");
	expect_eq(2, mu_refs(h1, MACH_PORT_RIGHT_SEND), "a uref per call");
	expect_true(mu_names_find(h1, &type), "listed by mach_port_names");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, h1), "deallocate");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, h2), "deallocate again");
	/* The usual pattern: host_info(mach_host_self(), ...) with no deallocate. */
	for (int i = 0; i < 100; i++)
		h2 = mach_host_self();
	expect_eq(h1, h2, "same name after the caller dropped its references");
	expect_eq(100, mu_refs(h2, MACH_PORT_RIGHT_SEND), "urefs");
}

static void host_basic_info(void)
{
	host_basic_info_data_t info;
	mach_msg_type_number_t count = HOST_BASIC_INFO_COUNT;
	mach_port_t host = mach_host_self();

	expect_eq(12, HOST_BASIC_INFO_COUNT, "HOST_BASIC_INFO_COUNT (XNU: 12)");
	assert_kr(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, (host_info_t)&info,
					  &count), "host_info(HOST_BASIC_INFO)");
	expect_eq(HOST_BASIC_INFO_COUNT, count, "count");
	expect_eq(sysconf(_SC_NPROCESSORS_CONF), info.max_cpus, "max_cpus");
	expect_eq(sysconf(_SC_NPROCESSORS_ONLN), info.avail_cpus, "avail_cpus");
	expect_true(info.memory_size > 0, "memory_size");
	expect_true(info.max_mem >= info.memory_size, "max_mem");
	expect_eq(sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE), info.max_mem,
		  "max_mem is physical memory");
	expect_true(info.logical_cpu == info.avail_cpus, "logical_cpu");
	expect_true(info.physical_cpu >= 1 && info.physical_cpu <= info.logical_cpu,
		    "physical_cpu");
#if defined(__x86_64__)
	expect_eq(CPU_TYPE_X86_64, info.cpu_type, "cpu_type");
#elif defined(__aarch64__)
	expect_eq(CPU_TYPE_ARM64, info.cpu_type, "cpu_type");
#endif
	/* The old five-field structure, and too small a buffer. */
	count = 5;
	expect_kr(KERN_SUCCESS, host_info(host, HOST_BASIC_INFO, (host_info_t)&info,
					  &count), "old count");
	expect_eq(5, count, "count stays 5");
	count = 4;
	expect_kr(KERN_FAILURE, host_info(host, HOST_BASIC_INFO, (host_info_t)&info,
					  &count), "count 4");
	count = HOST_BASIC_INFO_COUNT;
	expect_kr(KERN_INVALID_ARGUMENT, host_info(host, 999, (host_info_t)&info, &count),
		  "unknown flavor");
	expect_kr(MACH_SEND_INVALID_DEST,
		  host_info(MACH_PORT_NULL, HOST_BASIC_INFO, (host_info_t)&info, &count),
		  "host MACH_PORT_NULL");
	host_sched_info_data_t si;
	count = HOST_SCHED_INFO_COUNT;
	expect_kr(KERN_SUCCESS, host_info(host, HOST_SCHED_INFO, (host_info_t)&si, &count),
		  "HOST_SCHED_INFO");
	expect_true(si.min_timeout > 0 && si.min_quantum > 0, "sched info");
}

static void page_size(void)
{
	vm_size_t sz = 0;

	assert_kr(KERN_SUCCESS, host_page_size(mach_host_self(), &sz), "host_page_size");
	expect_eq(sysconf(_SC_PAGESIZE), sz, "page size");
	expect_eq(sz, vm_page_size, "vm_page_size");
	expect_eq(sz - 1, vm_page_mask, "vm_page_mask");
	expect_eq(sz, 1ul << vm_page_shift, "vm_page_shift");
	expect_eq(sz, round_page(1), "round_page");
	expect_eq(0, trunc_page(sz - 1), "trunc_page");
}

struct thr {
	mach_port_t a, b;
	mach_port_urefs_t refs;
};

static void *thread_body(void *arg)
{
	struct thr *t = arg;

	t->a = mach_thread_self();
	t->b = mach_thread_self();
	t->refs = mu_refs(t->a, MACH_PORT_RIGHT_SEND);
	/* Keep one reference past the thread's end. */
	mach_port_deallocate(mach_task_self(), t->b);
	return NULL;
}

static void thread_self(void)
{
	mach_port_t task = mach_task_self();
	mach_port_t t1 = mach_thread_self(), t2 = mach_thread_self();
	struct thr other = { 0 };
	pthread_t th;
	mach_port_type_t type = 0;

	assert_true(MACH_PORT_VALID(t1), "a valid name");
	expect_eq(t1, t2, "stable within a thread");
	expect_ne(task, t1, "not the task port");
	expect_ne(mach_host_self(), t1, "not the host port");
	expect_eq(2, mu_refs(t1, MACH_PORT_RIGHT_SEND), "a uref per call");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, t1), "deallocate");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, t2), "deallocate again");
	expect_eq(t1, mach_thread_self(), "same name after deallocating");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, t1), "deallocate");

	assert_eq(0, pthread_create(&th, NULL, thread_body, &other), "pthread_create");
	pthread_join(th, NULL);
	expect_eq(other.a, other.b, "stable in the other thread");
	expect_eq(2, other.refs, "urefs in the other thread");
	expect_ne(t1, other.a, "each thread has its own port");
	/* The thread is gone: like XNU, the leftover send right is a dead name. */
	expect_true(mu_names_find(other.a, &type), "name still held");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, type & MACH_PORT_TYPE_ALL_RIGHTS,
		  "dead name after thread exit");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(task, other.a), "deallocate dead name");
}

static void *spawn_many(void *arg)
{
	mach_port_t p = mach_thread_self();

	mach_port_deallocate(mach_task_self(), p);
	return arg;
}

/* Thread ports do not pile up: an exited thread leaves no name behind. */
static void thread_ports_reclaimed(void)
{
	int before, after;
	pthread_t th;

	mach_port_deallocate(mach_task_self(), mach_thread_self());
	before = mu_names_count();
	for (int i = 0; i < 200; i++) {
		assert_eq(0, pthread_create(&th, NULL, spawn_many, NULL), "create");
		pthread_join(th, NULL);
	}
	after = mu_names_count();
	expect_eq(before, after, "no names left by 200 exited threads");
}

static void yield_calls(void)
{
	uint64_t t0;

	expect_kr(KERN_SUCCESS, thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0),
		  "thread_switch NONE");
	t0 = mach_absolute_time();
	expect_kr(KERN_SUCCESS, thread_switch(MACH_PORT_NULL, SWITCH_OPTION_DEPRESS, 10),
		  "thread_switch DEPRESS 10 ms");
	expect_true(mach_absolute_time() - t0 < 10000000000ull, "returns");
	expect_kr(KERN_INVALID_ARGUMENT, thread_switch(MACH_PORT_NULL, 99, 0),
		  "bad option");
	swtch_pri(0);
	swtch();
}

static void task_basic(void)
{
	mach_task_basic_info_data_t mi;
	task_basic_info_data_t bi;
	task_thread_times_info_data_t ti;
	mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

	assert_kr(KERN_SUCCESS, task_info(mach_task_self(), MACH_TASK_BASIC_INFO,
					  (task_info_t)&mi, &count), "MACH_TASK_BASIC_INFO");
	expect_eq(MACH_TASK_BASIC_INFO_COUNT, count, "count");
	expect_true(mi.resident_size > 0, "resident_size");
	expect_true(mi.virtual_size >= mi.resident_size, "virtual_size");
	expect_true(mi.resident_size_max >= mi.resident_size, "resident_size_max");
	count = TASK_BASIC_INFO_COUNT;
	expect_kr(KERN_SUCCESS, task_info(mach_task_self(), TASK_BASIC_INFO,
					  (task_info_t)&bi, &count), "TASK_BASIC_INFO");
	expect_true(bi.resident_size > 0, "resident_size");
	count = TASK_THREAD_TIMES_INFO_COUNT;
	expect_kr(KERN_SUCCESS, task_info(mach_task_self(), TASK_THREAD_TIMES_INFO,
					  (task_info_t)&ti, &count), "TASK_THREAD_TIMES_INFO");
	count = 1;
	expect_kr(KERN_INVALID_ARGUMENT, task_info(mach_task_self(), MACH_TASK_BASIC_INFO,
						   (task_info_t)&mi, &count), "count too small");
}

static const struct mt_case cases[] = {
	MT_CASE(timebase),
	MT_CASE(absolute_monotonic),
	MT_CASE(approximate_continuous),
	MT_CASE(wait_until),
	MT_CASE(clock_services),
	MT_CASE(host_self),
	MT_CASE(host_basic_info),
	MT_CASE(page_size),
	MT_CASE(thread_self),
	MT_CASE(thread_ports_reclaimed),
	MT_CASE(yield_calls),
	MT_CASE(task_basic),
};

int main(void)
{
	return MT_RUN(cases);
}
