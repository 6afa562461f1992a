/* SPDX-License-Identifier: MIT */
/*
 * The usual macOS header set, mach_vm_region / vm_region_64 / vm_region,
 * thread_info, mach_msg_trap / mach_msg_overwrite_trap, mach_task_is_self
 * and bootstrap_port from <mach/mach_init.h>.
 */
#include <mach/mach.h>
#include <mach/mach_vm.h>
#include <mach/mach_time.h>
#include <mach/message.h>
#include <mach/notify.h>
#include <mach/task.h>
#include <mach/thread_act.h>
#include <mach/thread_info.h>
#include <mach/vm_map.h>
#include <mach/vm_region.h>
#include <mach/vm_inherit.h>
#include <mach/vm_behavior.h>
#include <mach/vm_page_size.h>
#include <mach/mach_error.h>
#include <mach/clock.h>
#include <mach/semaphore.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mach/mach_port.h>
#include <mach/host_info.h>
#include <mach/mach_host.h>
#include <mach/vm_statistics.h>
#include <mach/mach_traps.h>
#include <mach/mach_init.h>
#include <servers/bootstrap.h>
#include <bsm/libbsm.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

static kern_return_t region(mach_vm_address_t *addr, mach_vm_size_t *size,
			    vm_region_basic_info_data_64_t *info)
{
	mach_msg_type_number_t count = VM_REGION_BASIC_INFO_COUNT_64;
	mach_port_t object = 0x1234;
	kern_return_t kr;

	kr = mach_vm_region(mach_task_self(), addr, size, VM_REGION_BASIC_INFO_64,
			    (vm_region_info_t)info, &count, &object);
	if (kr == KERN_SUCCESS) {
		CHECK(count == VM_REGION_BASIC_INFO_COUNT_64);
		CHECK(object == MACH_PORT_NULL);
	}
	return kr;
}

static void regions(void)
{
	vm_size_t page = vm_page_size;
	mach_vm_address_t base = 0, a;
	mach_vm_size_t s;
	vm_region_basic_info_data_64_t bi;
	vm_region_basic_info_data_t bi32;
	mach_msg_type_number_t count;
	mach_port_t object;

	CHECK(VM_REGION_BASIC_INFO_COUNT_64 == 9);
	CHECK(VM_REGION_BASIC_INFO_COUNT == 8);
	CHECK(sizeof(vm_region_basic_info_data_64_t) == 36);
	CHECK(vm_kernel_page_size >= vm_page_size);
	CHECK(trunc_page(page + 1) == page && round_page(page + 1) == 2 * page);

	/* five pages; the second READ only, the fourth unmapped */
	KR(mach_vm_allocate(mach_task_self(), &base, 5 * page, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	KR(mach_vm_protect(mach_task_self(), base + page, page, FALSE, VM_PROT_READ), KERN_SUCCESS);
	KR(mach_vm_deallocate(mach_task_self(), base + 3 * page, page), KERN_SUCCESS);

	/* inside a region: that region, whatever address inside it was asked */
	a = base + page + 100;
	KR(region(&a, &s, &bi), KERN_SUCCESS);
	CHECK(a == base + page && s == page);
	CHECK(bi.protection == VM_PROT_READ);
	CHECK(bi.max_protection == VM_PROT_ALL);
	CHECK(bi.inheritance == VM_INHERIT_COPY);
	CHECK(bi.shared == FALSE && bi.reserved == FALSE);
	CHECK(bi.behavior == VM_BEHAVIOR_DEFAULT && bi.user_wired_count == 0);

	a = base + 2 * page;
	KR(region(&a, &s, &bi), KERN_SUCCESS);
	CHECK(a == base + 2 * page && bi.protection == VM_PROT_DEFAULT);

	/* in a hole: the next region above it */
	a = base + 3 * page;
	KR(region(&a, &s, &bi), KERN_SUCCESS);
	CHECK(a == base + 4 * page && bi.protection == VM_PROT_DEFAULT);

	/* a lowered maximum makes its own region */
	KR(mach_vm_protect(mach_task_self(), base + 4 * page, page, TRUE, VM_PROT_READ), KERN_SUCCESS);
	a = base + 4 * page;
	KR(region(&a, &s, &bi), KERN_SUCCESS);
	CHECK(a == base + 4 * page && s == page);
	CHECK(bi.protection == VM_PROT_READ && bi.max_protection == VM_PROT_READ);

	/* nothing at or above the address */
	a = 0xfffffffffffff000ull;
	KR(region(&a, &s, &bi), KERN_INVALID_ADDRESS);

	/* counts and flavors */
	a = base + page;
	count = VM_REGION_BASIC_INFO_COUNT_64 - 1;
	KR(mach_vm_region(mach_task_self(), &a, &s, VM_REGION_BASIC_INFO_64,
			  (vm_region_info_t)&bi, &count, &object), KERN_INVALID_ARGUMENT);
	/* mach_vm_region answers the old flavor with the 64-bit layout */
	count = VM_REGION_BASIC_INFO_COUNT;
	KR(mach_vm_region(mach_task_self(), &a, &s, VM_REGION_BASIC_INFO,
			  (vm_region_info_t)&bi, &count, &object), KERN_INVALID_ARGUMENT);
	count = VM_REGION_BASIC_INFO_COUNT_64;
	KR(mach_vm_region(mach_task_self(), &a, &s, VM_REGION_BASIC_INFO,
			  (vm_region_info_t)&bi, &count, &object), KERN_SUCCESS);
	CHECK(count == VM_REGION_BASIC_INFO_COUNT_64 && bi.protection == VM_PROT_READ);
	count = VM_REGION_INFO_MAX;
	KR(mach_vm_region(mach_task_self(), &a, &s, 99,
			  (vm_region_info_t)&bi, &count, &object), KERN_INVALID_ARGUMENT);
	KR(mach_vm_region(MACH_PORT_NULL, &a, &s, VM_REGION_BASIC_INFO_64,
			  (vm_region_info_t)&bi, &count, &object), MACH_SEND_INVALID_DEST);

	/* vm_region_64 and vm_region (the 32-bit layout) */
	{
		vm_address_t va = base + page;
		vm_size_t vs = 0;

		count = VM_REGION_BASIC_INFO_COUNT_64;
		KR(vm_region_64(mach_task_self(), &va, &vs, VM_REGION_BASIC_INFO_64,
				(vm_region_info_t)&bi, &count, &object), KERN_SUCCESS);
		CHECK(va == base + page && vs == page && bi.protection == VM_PROT_READ);
		va = base + page;
		count = VM_REGION_BASIC_INFO_COUNT;
		KR(vm_region(mach_task_self(), &va, &vs, VM_REGION_BASIC_INFO,
			     (vm_region_info_t)&bi32, &count, &object), KERN_SUCCESS);
		CHECK(count == VM_REGION_BASIC_INFO_COUNT);
		CHECK(va == base + page && vs == page && bi32.protection == VM_PROT_READ);
		CHECK(bi32.max_protection == VM_PROT_ALL && bi32.inheritance == VM_INHERIT_COPY);
	}

	/* a MAP_SHARED mapping is inherited shared */
	{
		void *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		CHECK(p != MAP_FAILED);
		a = (mach_vm_address_t)(uintptr_t)p;
		KR(region(&a, &s, &bi), KERN_SUCCESS);
		CHECK(a == (mach_vm_address_t)(uintptr_t)p && s == 2 * page);
		CHECK(bi.inheritance == VM_INHERIT_SHARE);
		munmap(p, 2 * page);
	}

	/* walking the whole map from 0 terminates, in address order */
	{
		int n = 0;

		a = 0;
		for (;;) {
			mach_vm_address_t prev = a;

			if (region(&a, &s, &bi) != KERN_SUCCESS)
				break;
			CHECK(a >= prev && s > 0);
			a += s;
			CHECK(++n < 100000);
		}
		CHECK(n > 3);
	}
	KR(mach_vm_deallocate(mach_task_self(), base, 5 * page), KERN_SUCCESS);
}

static semaphore_t go, done;
static volatile mach_port_t worker_port;

static void *worker(void *arg)
{
	(void)arg;
	worker_port = mach_thread_self();
	semaphore_signal(done);
	semaphore_wait(go);
	return NULL;
}

static void threads(void)
{
	thread_basic_info_data_t bi;
	thread_identifier_info_data_t ii, wi;
	thread_extended_info_data_t ei;
	mach_msg_type_number_t count;
	mach_port_t self = mach_thread_self();
	volatile unsigned long spin = 0;
	uint64_t t0 = mach_absolute_time();
	mach_timebase_info_data_t tb;
	pthread_t th;

	CHECK(THREAD_BASIC_INFO_COUNT == 10);
	CHECK(THREAD_IDENTIFIER_INFO_COUNT == 6);
	CHECK(THREAD_EXTENDED_INFO_COUNT == 28);

	/* burn 50 ms of CPU so user time shows */
	KR(mach_timebase_info(&tb), KERN_SUCCESS);
	while ((mach_absolute_time() - t0) * tb.numer / tb.denom < 50000000ull)
		spin++;

	count = THREAD_BASIC_INFO_COUNT;
	KR(thread_info(self, THREAD_BASIC_INFO, (thread_info_t)&bi, &count), KERN_SUCCESS);
	CHECK(count == THREAD_BASIC_INFO_COUNT);
	CHECK(bi.run_state == TH_STATE_RUNNING);
	CHECK(bi.policy == POLICY_TIMESHARE);
	CHECK(bi.suspend_count == 0);
	CHECK(bi.user_time.seconds > 0 || bi.user_time.microseconds > 0);
	CHECK(bi.cpu_usage >= 0 && bi.cpu_usage <= TH_USAGE_SCALE);
	CHECK(bi.user_time.microseconds < 1000000 && bi.system_time.microseconds < 1000000);

	count = THREAD_BASIC_INFO_COUNT - 1;
	KR(thread_info(self, THREAD_BASIC_INFO, (thread_info_t)&bi, &count), KERN_INVALID_ARGUMENT);
	count = THREAD_INFO_MAX;
	KR(thread_info(self, 99, (thread_info_t)&bi, &count), KERN_INVALID_ARGUMENT);
	/* not a thread */
	count = THREAD_BASIC_INFO_COUNT;
	KR(thread_info(mach_task_self(), THREAD_BASIC_INFO, (thread_info_t)&bi, &count),
	   KERN_INVALID_ARGUMENT);
	KR(thread_info(MACH_PORT_NULL, THREAD_BASIC_INFO, (thread_info_t)&bi, &count),
	   MACH_SEND_INVALID_DEST);

	count = THREAD_IDENTIFIER_INFO_COUNT;
	KR(thread_info(self, THREAD_IDENTIFIER_INFO, (thread_info_t)&ii, &count), KERN_SUCCESS);
	CHECK(count == THREAD_IDENTIFIER_INFO_COUNT && ii.thread_id != 0);

	count = THREAD_EXTENDED_INFO_COUNT;
	KR(thread_info(self, THREAD_EXTENDED_INFO, (thread_info_t)&ei, &count), KERN_SUCCESS);
	CHECK(ei.pth_user_time > 0 && ei.pth_run_state == TH_STATE_RUNNING);
	CHECK(ei.pth_maxpriority >= ei.pth_priority && ei.pth_name[MAXTHREADNAMESIZE - 1] == 0);

	/* another thread, blocked in semaphore_wait */
	KR(semaphore_create(mach_task_self(), &go, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	KR(semaphore_create(mach_task_self(), &done, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
	CHECK(pthread_create(&th, NULL, worker, NULL) == 0);
	KR(semaphore_wait(done), KERN_SUCCESS);
	CHECK(MACH_PORT_VALID(worker_port) && worker_port != self);
	CHECK(pthread_mach_thread_np(th) == worker_port);
	for (int i = 0; i < 200; i++) {
		count = THREAD_BASIC_INFO_COUNT;
		KR(thread_info(worker_port, THREAD_BASIC_INFO, (thread_info_t)&bi, &count),
		   KERN_SUCCESS);
		if (bi.run_state == TH_STATE_WAITING)
			break;
		usleep(10000);
	}
	CHECK(bi.run_state == TH_STATE_WAITING);
	count = THREAD_IDENTIFIER_INFO_COUNT;
	KR(thread_info(worker_port, THREAD_IDENTIFIER_INFO, (thread_info_t)&wi, &count), KERN_SUCCESS);
	CHECK(wi.thread_id != ii.thread_id && wi.thread_handle != ii.thread_handle);
	KR(semaphore_signal(go), KERN_SUCCESS);
	CHECK(pthread_join(th, NULL) == 0);
	/* the thread is gone: its port is dead */
	count = THREAD_BASIC_INFO_COUNT;
	KR(thread_info(worker_port, THREAD_BASIC_INFO, (thread_info_t)&bi, &count),
	   MACH_SEND_INVALID_DEST);
	KR(mach_port_deallocate(mach_task_self(), worker_port), KERN_SUCCESS);
	KR(mach_port_deallocate(mach_task_self(), self), KERN_SUCCESS);
	semaphore_destroy(mach_task_self(), go);
	semaphore_destroy(mach_task_self(), done);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void traps(void)
{
	struct {
		mach_msg_header_t h;
		int body;
		mach_msg_trailer_t t;
	} m, r;
	struct sigaction sa;
	struct itimerval it = { .it_value = { 0, 100000 } };
	mach_port_t p;

	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.h.msgh_remote_port = p;
	m.h.msgh_size = sizeof(m.h) + sizeof(int);
	m.h.msgh_id = 4242;
	m.body = 7;
	/* send and receive in one trap, into the same buffer */
	KR(mach_msg_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, m.h.msgh_size, sizeof(m), p,
			 MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(m.h.msgh_id == 4242 && m.body == 7 && m.h.msgh_local_port == p);
	CHECK(m.h.msgh_size == sizeof(m.h) + sizeof(int));
	CHECK(m.t.msgh_trailer_size == sizeof(mach_msg_trailer_t));

	/* the overwrite form receives into its own buffer */
	memset(&r, 0, sizeof(r));
	/* the destination's send right was consumed by the receive */
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
	m.h.msgh_remote_port = p;
	m.h.msgh_local_port = MACH_PORT_NULL;
	m.h.msgh_size = sizeof(m.h) + sizeof(int);
	m.h.msgh_id = 4343;
	m.body = 8;
	KR(mach_msg_overwrite_trap(&m.h, MACH_SEND_MSG | MACH_RCV_MSG, m.h.msgh_size,
				   sizeof(r), p, MACH_MSG_TIMEOUT_NONE, 0, &r.h, 0),
	   MACH_MSG_SUCCESS);
	CHECK(r.h.msgh_id == 4343 && r.body == 8 && m.h.msgh_id == 4343);

	/* errors come back as they are */
	KR(mach_msg_trap(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(r), p, 0,
			 MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	KR(mach_msg_trap(&r.h, MACH_RCV_MSG, 0, sizeof(r), MACH_PORT_NULL, 0,
			 MACH_PORT_NULL), MACH_RCV_INVALID_NAME);

	/* the trap does not restart: a signal ends the receive, without MACH_RCV_INTERRUPT too */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	KR(mach_msg_trap(&r.h, MACH_RCV_MSG, 0, sizeof(r), p, MACH_MSG_TIMEOUT_NONE,
			 MACH_PORT_NULL), MACH_RCV_INTERRUPTED);
	KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);
}

int main(void)
{
	mach_port_t p, bs = MACH_PORT_NULL;

	/* <mach/mach_init.h> declares bootstrap_port; it is the task's bootstrap port */
	KR(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bs), KERN_SUCCESS);
	CHECK(bs == bootstrap_port);
	if (MACH_PORT_VALID(bs))
		KR(mach_port_deallocate(mach_task_self(), bs), KERN_SUCCESS);

	CHECK(mach_task_is_self(mach_task_self()));
	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	CHECK(!mach_task_is_self(p));
	KR(mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1), KERN_SUCCESS);

	regions();
	threads();
	traps();
	printf("vm_region_thread: ok\n");
	return 0;
}
