// SPDX-License-Identifier: GPL-2.0
/*
 * stress_ipc - 4 processes x 4 threads send 100,000 messages in all to one
 * port (MACH_STRESS_MESSAGES in the environment changes the total; on the
 * debug kernels, MACH_TEST_KERNEL=debug, the default is 20,000), each sender
 * numbering its own messages; 2 threads of the owner
 * receive.  Nothing may be lost or duplicated, and each sender's messages
 * must leave the queue in the order they were sent (the port's seqno,
 * from the trailer, gives the dequeue order across both receivers).
 * The whole exchange must finish within the case's time limit.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg_util.h"

#define NPROCS		4
#define NTHREADS	4
#define NSENDERS	(NPROCS * NTHREADS)
#define DEFAULT_TOTAL	100000
#define NRECEIVERS	2
#define WAIT_MS		120000
#define STRESS_ID	0x5757

static uint32_t PER_SENDER;		/* set from MACH_STRESS_MESSAGES */
#define TOTAL		(NSENDERS * PER_SENDER)

/* SEQNO_OF(sender, seq): port seqno the message was dequeued with, +1. */
static uint32_t *seqno_of;
#define SEQNO_OF(id, seq)	seqno_of[(size_t)(id) * PER_SENDER + (seq)]
static atomic_int received, bad;
static atomic_bool senders_done;
static mach_port_t port;

static mach_port_t sender_port;

static void *sender(void *arg)
{
	uint32_t id = (uint32_t)(long)arg;

	for (uint32_t seq = 0; seq < PER_SENDER; seq++) {
		mach_msg_return_t mr = mu_send(sender_port, MACH_MSG_TYPE_COPY_SEND,
					       0, 0, STRESS_ID, id, seq, 0, WAIT_MS);

		if (mr != MACH_MSG_SUCCESS) {
			mt_fail_at(__FILE__, __LINE__,
				   "sender %u seq %u: mach_msg 0x%x (%s)", id, seq,
				   mr, mach_error_string(mr));
			break;
		}
	}
	return NULL;
}

static void sender_process(int p)
{
	pthread_t t[NTHREADS];
	int started = 0;

	if (!expect_kr(KERN_SUCCESS,
		       task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
					     &sender_port),
		       "sender: bootstrap port"))
		mt_child_exit();
	for (int i = 0; i < NTHREADS; i++)
		if (expect_eq(0, pthread_create(&t[i], NULL, sender,
						(void *)(long)(p * NTHREADS + i)),
			      "pthread_create"))
			started++;
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	mt_child_exit();
}

static void *receiver(void *arg)
{
	struct mu_rcv r;

	(void)arg;
	while ((uint32_t)atomic_load(&received) < TOTAL && atomic_load(&bad) == 0) {
		const struct mu_msg *m = mu_as_msg(&r);
		mach_msg_return_t mr;
		uint32_t id, seq;

		mr = mu_recv(port, &r, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
			     1000);
		if (mr == MACH_RCV_TIMED_OUT) {
			/* Every send had queued its message before its sender exited. */
			if (atomic_load(&senders_done))
				break;
			continue;
		}
		if (mr != MACH_MSG_SUCCESS) {
			mt_fail_at(__FILE__, __LINE__, "receive: 0x%x (%s)", mr,
				   mach_error_string(mr));
			atomic_fetch_add(&bad, 1);
			break;
		}
		id = m->a;
		seq = m->b;
		if (m->hdr.msgh_id != STRESS_ID || id >= NSENDERS || seq >= PER_SENDER) {
			mt_fail_at(__FILE__, __LINE__, "garbage: id 0x%x sender %u seq %u",
				   m->hdr.msgh_id, id, seq);
			atomic_fetch_add(&bad, 1);
			break;
		}
		if (SEQNO_OF(id, seq) != 0) {
			mt_fail_at(__FILE__, __LINE__, "duplicate: sender %u seq %u",
				   id, seq);
			atomic_fetch_add(&bad, 1);
			break;
		}
		SEQNO_OF(id, seq) = mu_trailer(&r.hdr)->msgh_seqno + 1;
		atomic_fetch_add(&received, 1);
	}
	return NULL;
}

static void check_order(void)
{
	for (int id = 0; id < NSENDERS; id++) {
		for (uint32_t seq = 0; seq < PER_SENDER; seq++) {
			if (SEQNO_OF(id, seq) == 0) {
				mt_fail_at(__FILE__, __LINE__, "lost: sender %d seq %u",
					   id, seq);
				return;
			}
			if (seq && SEQNO_OF(id, seq) <= SEQNO_OF(id, seq - 1)) {
				mt_fail_at(__FILE__, __LINE__,
					   "sender %d: seq %u dequeued before seq %u",
					   id, seq, seq - 1);
				return;
			}
		}
	}
}

static void hundred_thousand(void)
{
	pid_t pids[NPROCS];
	pthread_t rt[NRECEIVERS];
	int started = 0, rstarted = 0;
	uint64_t t0 = mt_now_ms();
	struct mu_rcv r;

	const char *env = getenv("MACH_STRESS_MESSAGES");
	const char *kernel = getenv("MACH_TEST_KERNEL");
	/* the short form on debug kernels (KASAN, lockdep): 2 x 10^4 */
	unsigned long total = env ? strtoul(env, NULL, 0) :
			      kernel && !strcmp(kernel, "debug") ? DEFAULT_TOTAL / 5 :
			      DEFAULT_TOTAL;

	PER_SENDER = (uint32_t)(total / NSENDERS);
	assert_true(PER_SENDER > 0, "MACH_STRESS_MESSAGES at least one per sender");
	mt_diag("%u senders x %u messages", (unsigned)NSENDERS, PER_SENDER);
	seqno_of = calloc((size_t)NSENDERS * PER_SENDER, sizeof(*seqno_of));
	assert_true(seqno_of != NULL, "calloc");
	port = mu_port_send();
	assert_true(port != MACH_PORT_NULL, "port");
	assert_kr(KERN_SUCCESS,
		  task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port),
		  "task_set_special_port(BOOTSTRAP)");
	for (int p = 0; p < NPROCS; p++) {
		pids[p] = mt_fork();
		if (pids[p] == 0)
			sender_process(p);
		if (!expect_true(pids[p] > 0, "fork"))
			break;
		started++;
	}
	for (int i = 0; i < NRECEIVERS; i++)
		if (expect_eq(0, pthread_create(&rt[i], NULL, receiver, NULL),
			      "pthread_create"))
			rstarted++;
	for (int p = 0; p < started; p++) {
		char label[32];

		snprintf(label, sizeof(label), "sender process %d", p);
		/* 4 x WAIT_MS per 100,000 messages: the long form takes longer */
		expect_child_ok(pids[p], WAIT_MS * 4 * (unsigned int)(total / DEFAULT_TOTAL + 1),
				label);
	}
	atomic_store(&senders_done, true);
	for (int i = 0; i < rstarted; i++)
		pthread_join(rt[i], NULL);
	mt_diag("%d messages received in %llu ms", atomic_load(&received),
		(unsigned long long)(mt_now_ms() - t0));
	assert_eq(NPROCS, started, "sender processes");
	assert_eq(NRECEIVERS, rstarted, "receiver threads");
	assert_eq(TOTAL, atomic_load(&received), "messages received");
	check_order();
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "nothing extra queued");
}

static const struct mt_case cases[] = {
	MT_CASE_T(hundred_thousand, 600),
};

int main(void)
{
	return MT_RUN(cases);
}
