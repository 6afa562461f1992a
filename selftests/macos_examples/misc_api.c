/* Everyday companions: error strings, header macros, time, semaphores, thread ports, special ports. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/mach_time.h>
#include <servers/bootstrap.h>
#include <mach/semaphore.h>
#include <mach/task.h>
#include <mach/message.h>
#include <mach/port.h>
#include <mach/kern_return.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)
#define STREQ(a, b) do { if (strcmp((a), (b))) { fprintf(stderr, "FAIL line %d: \"%s\" != \"%s\"\n", __LINE__, (a), (b)); exit(1); } } while (0)

static semaphore_t sem_a, sem_b;
static mach_port_t thread_name_in_thread;

static void *worker(void *arg)
{
	(void)arg;
	thread_name_in_thread = mach_thread_self();
	for (int i = 0; i < 100; i++) {
		if (semaphore_wait(sem_a) != KERN_SUCCESS)
			return (void *)1;
		semaphore_signal(sem_b);
	}
	return NULL;
}

int main(void)
{
	/* constants and layouts */
	CHECK(sizeof(mach_msg_header_t) == 24);
	CHECK(sizeof(mach_msg_body_t) == 4);
	CHECK(sizeof(mach_msg_trailer_t) == 8);
	CHECK(sizeof(mach_msg_audit_trailer_t) == 52);
	CHECK(sizeof(mach_msg_context_trailer_t) == 60);
	CHECK(sizeof(mach_msg_max_trailer_t) == 68);
	CHECK(sizeof(NDR_record_t) == 8);
	CHECK(sizeof(mig_reply_error_t) == 36);
	CHECK(sizeof(mach_port_t) == 4);
	CHECK(MACH_MSG_TYPE_MOVE_RECEIVE == 16 && MACH_MSG_TYPE_MOVE_SEND == 17 &&
	      MACH_MSG_TYPE_MOVE_SEND_ONCE == 18 && MACH_MSG_TYPE_COPY_SEND == 19 &&
	      MACH_MSG_TYPE_MAKE_SEND == 20 && MACH_MSG_TYPE_MAKE_SEND_ONCE == 21 &&
	      MACH_MSG_TYPE_COPY_RECEIVE == 22 && MACH_MSG_TYPE_DISPOSE_RECEIVE == 24 &&
	      MACH_MSG_TYPE_DISPOSE_SEND == 25 && MACH_MSG_TYPE_DISPOSE_SEND_ONCE == 26);
	CHECK(MACH_MSG_TYPE_PORT_NAME == 15 && MACH_MSG_TYPE_PORT_RECEIVE == 16 &&
	      MACH_MSG_TYPE_PORT_SEND == 17 && MACH_MSG_TYPE_PORT_SEND_ONCE == 18);
	CHECK(MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) == 0x1513);
	CHECK(MACH_MSGH_BITS_SET(19, 21, 0, MACH_MSGH_BITS_COMPLEX) == 0x80001513);
	CHECK(MACH_MSGH_BITS_REMOTE(0x80001513) == 19);
	CHECK(MACH_MSGH_BITS_LOCAL(0x80001513) == 21);
	CHECK(MACH_MSGH_BITS_VOUCHER(0x00111513) == 17);
	CHECK(MACH_MSGH_BITS_PORTS(0x80111513) == 0x111513);
	CHECK(MACH_MSGH_BITS_OTHER(0x80111513) == 0x80000000);
	CHECK(MACH_MSGH_BITS_IS_COMPLEX(0x80000000));
	CHECK(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT) == 0x03000000);
	CHECK(MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) == 0);
	CHECK(REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)) == 52);
	CHECK(MACH_PORT_TYPE_SEND == 0x10000 && MACH_PORT_TYPE_RECEIVE == 0x20000 &&
	      MACH_PORT_TYPE_SEND_ONCE == 0x40000 && MACH_PORT_TYPE_PORT_SET == 0x80000 &&
	      MACH_PORT_TYPE_DEAD_NAME == 0x100000);
	CHECK(MACH_SEND_TIMEOUT == 0x10 && MACH_RCV_TIMEOUT == 0x100 && MACH_RCV_LARGE == 4);
	CHECK(MACH_SEND_INVALID_DEST == 0x10000003 && MACH_RCV_TIMED_OUT == 0x10004003 &&
	      MACH_RCV_TOO_LARGE == 0x10004004 && MACH_SEND_TIMED_OUT == 0x10000004);
	CHECK(MACH_NOTIFY_DEAD_NAME == 0110 && MACH_NOTIFY_NO_SENDERS == 0106 &&
	      MACH_NOTIFY_PORT_DESTROYED == 0105 && MACH_NOTIFY_SEND_ONCE == 0107 &&
	      MACH_NOTIFY_PORT_DELETED == 0101);
	CHECK(MIG_BAD_ID == -303 && MIG_NO_REPLY == -305);
	CHECK(BOOTSTRAP_UNKNOWN_SERVICE == 1102);
	CHECK(KERN_INVALID_NAME == 15 && KERN_INVALID_RIGHT == 17 && KERN_OPERATION_TIMED_OUT == 49);
	CHECK(TASK_BOOTSTRAP_PORT == 4 && TASK_KERNEL_PORT == 1);
	CHECK(err_get_system(MACH_SEND_INVALID_DEST) == 4);
	CHECK(err_get_sub(MACH_RCV_TIMED_OUT) == 1);
	CHECK(err_get_code(MACH_RCV_TIMED_OUT) == 3);

	/* error strings as macOS prints them */
	STREQ(mach_error_string(KERN_SUCCESS), "(os/kern) successful");
	STREQ(mach_error_string(KERN_INVALID_ARGUMENT), "(os/kern) invalid argument");
	STREQ(mach_error_string(KERN_INVALID_NAME), "(os/kern) invalid name");
	STREQ(mach_error_string(KERN_INVALID_RIGHT), "(os/kern) invalid right");
	STREQ(mach_error_string(KERN_FAILURE), "(os/kern) failure");
	STREQ(mach_error_string(KERN_NO_SPACE), "(os/kern) no space available");
	STREQ(mach_error_string(MACH_SEND_INVALID_DEST), "(ipc/send) invalid destination port");
	STREQ(mach_error_string(MACH_SEND_TIMED_OUT), "(ipc/send) timed out");
	STREQ(mach_error_string(MACH_RCV_TIMED_OUT), "(ipc/rcv) timed out");
	STREQ(mach_error_string(MACH_RCV_TOO_LARGE), "(ipc/rcv) msg too large");
	STREQ(mach_error_string(MACH_RCV_INVALID_NAME), "(ipc/rcv) invalid name");
	STREQ(mach_error_string(MIG_BAD_ID), "(ipc/mig) bad request message ID");
	STREQ(mach_error_string(MIG_BAD_ARGUMENTS), "(ipc/mig) server type check failure");
	STREQ(mach_error_string(MACH_SEND_MSG_TOO_SMALL), "(ipc/send) msg too small");
	STREQ(mach_error_string(MACH_SEND_INVALID_HEADER), "(ipc/send) invalid msg-header");
	STREQ(mach_error_string(MACH_RCV_PORT_CHANGED), "(ipc/rcv) port changed");
	STREQ(mach_error_string(KERN_TERMINATED), "(os/kern) object terminated");
	STREQ(mach_error_string(KERN_NOT_SUPPORTED), "(os/kern) service not supported");
	STREQ(mach_error_string(BOOTSTRAP_UNKNOWN_SERVICE), "unknown error code");
	STREQ(mach_error_string(0x1234), "unknown error code");
	STREQ(mach_error_string(unix_err(2)), "(os/unix) file or directory does not exist");
	STREQ(mach_error_type(MACH_SEND_INVALID_DEST), "(ipc/send)");
	STREQ(mach_error_type(MIG_BAD_ID), "(ipc/mig)");
	STREQ(mach_error_string(MIG_TYPE_ERROR), "(ipc/mig) client type check failure");

	/* time */
	{
		mach_timebase_info_data_t tb;
		uint64_t a, b;
		KR(mach_timebase_info(&tb), KERN_SUCCESS);
		CHECK(tb.numer > 0 && tb.denom > 0);
		a = mach_absolute_time();
		usleep(20000);
		b = mach_absolute_time();
		CHECK(b > a);
		CHECK((b - a) * tb.numer / tb.denom >= 20000000ULL);
		KR(mach_wait_until(mach_absolute_time() + 1000000ULL * tb.denom / tb.numer), KERN_SUCCESS);
	}

	/* semaphores between threads */
	{
		pthread_t th;
		mach_port_t me1, me2;
		void *ret;
		mach_timespec_t ts = { 0, 10 * 1000 * 1000 };
		KR(semaphore_create(mach_task_self(), &sem_a, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
		KR(semaphore_create(mach_task_self(), &sem_b, SYNC_POLICY_FIFO, 0), KERN_SUCCESS);
		KR(semaphore_timedwait(sem_a, ts), KERN_OPERATION_TIMED_OUT);
		CHECK(pthread_create(&th, NULL, worker, NULL) == 0);
		for (int i = 0; i < 100; i++) {
			KR(semaphore_signal(sem_a), KERN_SUCCESS);
			KR(semaphore_wait(sem_b), KERN_SUCCESS);
		}
		CHECK(pthread_join(th, &ret) == 0 && ret == NULL);
		KR(semaphore_signal(sem_b), KERN_SUCCESS);
		KR(semaphore_wait(sem_b), KERN_SUCCESS);
		KR(semaphore_destroy(mach_task_self(), sem_a), KERN_SUCCESS);
		KR(semaphore_destroy(mach_task_self(), sem_b), KERN_SUCCESS);
		KR(semaphore_signal(MACH_PORT_NULL), KERN_INVALID_NAME);

		/* thread ports: same name for the same thread, one more ref per call */
		me1 = mach_thread_self();
		me2 = mach_thread_self();
		CHECK(MACH_PORT_VALID(me1) && me1 == me2);
		CHECK(pthread_mach_thread_np(pthread_self()) == me1);
		CHECK(me1 != thread_name_in_thread);
		CHECK(me1 != mach_task_self());
		{
			mach_port_urefs_t u0, u1;
			KR(mach_port_get_refs(mach_task_self(), me1, MACH_PORT_RIGHT_SEND, &u0), KERN_SUCCESS);
			KR(mach_port_deallocate(mach_task_self(), me2), KERN_SUCCESS);
			KR(mach_port_get_refs(mach_task_self(), me1, MACH_PORT_RIGHT_SEND, &u1), KERN_SUCCESS);
			CHECK(u1 == u0 - 1);
		}
		KR(mach_port_deallocate(mach_task_self(), me1), KERN_SUCCESS);
		/* the exited thread's port is a dead name now */
		{
			mach_port_type_t t;
			KR(mach_port_type(mach_task_self(), thread_name_in_thread, &t), KERN_SUCCESS);
			CHECK(t == MACH_PORT_TYPE_DEAD_NAME);
		}
	}

	/* task and host */
	{
		mach_port_t h1 = mach_host_self(), h2 = mach_host_self(), t;
		CHECK(MACH_PORT_VALID(h1) && h1 == h2);
		CHECK(mach_task_self() == mach_task_self_);
		KR(task_get_special_port(mach_task_self(), TASK_KERNEL_PORT, &t), KERN_SUCCESS);
		CHECK(t == mach_task_self());
		mach_port_deallocate(mach_task_self(), t);
		KR(task_get_special_port(mach_task_self(), 999, &t), KERN_INVALID_ARGUMENT);
	}
	printf("misc_api: ok\n");
	return 0;
}
