/* SPDX-License-Identifier: MIT */
/*
 * Kernel-object ports seen from the task: the host and thread ports are
 * plain send rights (mach_port_type, mach_port_names), TASK_HOST_PORT is
 * mach_host_self(), and clock_sleep on the system clock.
 */
#include <mach/mach.h>
#include <mach/clock.h>
#include <mach/mach_error.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

/* The type mach_port_names reports for name, or 0 when it is not listed. */
static mach_port_type_t listed_type(mach_port_t name)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, nt;
	mach_port_type_t t = 0;

	KR(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS);
	CHECK(n == nt);
	for (mach_msg_type_number_t i = 0; i < n; i++)
		if (names[i] == name)
			t = types[i];
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(names[0]));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(types[0]));
	return t;
}

static uint64_t ns(const mach_timespec_t *t)
{
	return (uint64_t)t->tv_sec * 1000000000ull + (uint64_t)t->tv_nsec;
}

static void *thread_ports(void *arg)
{
	mach_port_t th = mach_thread_self(), th2;
	mach_port_type_t t;
	mach_port_urefs_t u;

	(void)arg;
	KR(mach_port_type(mach_task_self(), th, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_SEND);
	CHECK(listed_type(th) == MACH_PORT_TYPE_SEND);
	th2 = mach_thread_self();
	CHECK(th2 == th);
	KR(mach_port_get_refs(mach_task_self(), th, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 2);
	KR(mach_port_deallocate(mach_task_self(), th), KERN_SUCCESS);
	KR(mach_port_deallocate(mach_task_self(), th), KERN_SUCCESS);
	/* every reference given back: the name is gone, as on macOS */
	KR(mach_port_type(mach_task_self(), th, &t), KERN_INVALID_NAME);
	CHECK(listed_type(th) == 0);
	/* and comes back on the next call */
	th = mach_thread_self();
	KR(mach_port_type(mach_task_self(), th, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_SEND);
	KR(mach_port_deallocate(mach_task_self(), th), KERN_SUCCESS);
	return NULL;
}

int main(void)
{
	mach_port_t host = mach_host_self(), hp = MACH_PORT_NULL;
	mach_port_type_t t;
	mach_port_urefs_t u;
	clock_serv_t sys, cal;
	mach_timespec_t before, wake, when;
	pthread_t th;

	/* the host port is a send right */
	KR(mach_port_type(mach_task_self(), host, &t), KERN_SUCCESS);
	CHECK(t == MACH_PORT_TYPE_SEND);
	CHECK(listed_type(host) == MACH_PORT_TYPE_SEND);
	KR(mach_port_get_refs(mach_task_self(), host, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u >= 1);

	/* TASK_HOST_PORT is the host port, with a reference of its own */
	KR(task_get_special_port(mach_task_self(), TASK_HOST_PORT, &hp), KERN_SUCCESS);
	CHECK(hp == host);
	KR(mach_port_get_refs(mach_task_self(), host, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u >= 2);
	KR(mach_port_deallocate(mach_task_self(), hp), KERN_SUCCESS);

	/* thread ports, on a thread of their own */
	CHECK(pthread_create(&th, NULL, thread_ports, NULL) == 0);
	CHECK(pthread_join(th, NULL) == 0);

	/* clock_sleep */
	KR(host_get_clock_service(host, SYSTEM_CLOCK, &sys), KERN_SUCCESS);
	KR(host_get_clock_service(host, CALENDAR_CLOCK, &cal), KERN_SUCCESS);
	KR(clock_get_time(sys, &before), KERN_SUCCESS);
	when.tv_sec = 0;
	when.tv_nsec = 20000000;
	KR(clock_sleep(sys, TIME_RELATIVE, when, &wake), KERN_SUCCESS);
	CHECK(ns(&wake) >= ns(&before) + 20000000ull);
	/* MACH_PORT_NULL is the system clock */
	KR(clock_get_time(sys, &before), KERN_SUCCESS);
	when = before;
	when.tv_nsec += 10000000;
	if (when.tv_nsec >= 1000000000) {
		when.tv_nsec -= 1000000000;
		when.tv_sec++;
	}
	KR(clock_sleep(MACH_PORT_NULL, TIME_ABSOLUTE, when, &wake), KERN_SUCCESS);
	CHECK(ns(&wake) >= ns(&when));
	/* a time already past returns at once, with the time now */
	when.tv_sec = 0;
	when.tv_nsec = 0;
	KR(clock_sleep(sys, TIME_ABSOLUTE, when, &wake), KERN_SUCCESS);
	CHECK(ns(&wake) >= ns(&before));
	/* errors */
	KR(clock_sleep(sys, 2, when, &wake), KERN_INVALID_VALUE);
	when.tv_nsec = 1000000000;
	KR(clock_sleep(sys, TIME_RELATIVE, when, &wake), KERN_INVALID_VALUE);
	when.tv_nsec = 0;
	KR(clock_sleep(cal, TIME_RELATIVE, when, &wake), KERN_FAILURE);
	KR(clock_sleep(mach_task_self(), TIME_RELATIVE, when, &wake), KERN_INVALID_ARGUMENT);
	KR(clock_sleep_trap(MACH_PORT_NULL, TIME_RELATIVE, 0, 1000, &wake), KERN_SUCCESS);

	KR(mach_port_deallocate(mach_task_self(), sys), KERN_SUCCESS);
	KR(mach_port_deallocate(mach_task_self(), cal), KERN_SUCCESS);
	KR(mach_port_deallocate(mach_task_self(), host), KERN_SUCCESS);
	printf("kobject_ports: ok\n");
	return 0;
}
