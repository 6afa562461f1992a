// SPDX-License-Identifier: GPL-2.0
/*
 * pset_concurrent - four threads receive on one port set of eight members
 * while two sender processes push 20,000 messages into the members.  Every
 * message must be received exactly once, on the member it was sent to,
 * and each member must hand its messages out in its own FIFO order: the
 * member's sequence numbers (trailer msgh_seqno, ipc_mqueue_select_on_thread
 * ith_seqno = imq_seqno++) must run 0..n-1 with every sender's messages in
 * the order that sender queued them.  Senders block on the members' default
 * queue limit (5) and are woken as the set's receivers drain them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "notify_util.h"

#define NMEMBERS	8
#define NTHREADS	4
#define NSENDERS	2
#define PER_SENDER	10000
#define TOTAL		(NSENDERS * PER_SENDER)
#define PER_MEMBER	(TOTAL / NMEMBERS)
#define MSG_ID		0x50430000
#define RUN_MS		240000	/* overall bound for the receive phase */

static mach_port_t set, members[NMEMBERS];
static atomic_int received, stop;
static atomic_uchar seen[NSENDERS][PER_SENDER];
/* rec[m][seqno] = 1 + (sender << 20 | seq) of the message the member gave out. */
static uint32_t rec[NMEMBERS][PER_MEMBER];
static uint64_t deadline;

static int member_index(mach_port_t name)
{
	for (int i = 0; i < NMEMBERS; i++)
		if (members[i] == name)
			return i;
	return -1;
}

static void fail_stop(const char *what, unsigned int x, unsigned int y)
{
	mt_diag("%s (0x%x, 0x%x)", what, x, y);
	mt_failed = true;
	atomic_store(&stop, 1);
}

static void *receiver(void *arg)
{
	struct mu_rcv r;

	(void)arg;
	while (!atomic_load(&stop) && atomic_load(&received) < TOTAL) {
		const mach_msg_max_trailer_t *t;
		mach_msg_return_t mr;
		uint32_t sender, seq, s;
		int m;

		mr = mu_recv(set, &r, MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), 1000);
		if (mr == MACH_RCV_TIMED_OUT) {
			if (mt_now_ms() > deadline) {
				fail_stop("receivers timed out", atomic_load(&received), 0);
				break;
			}
			continue;
		}
		if (mr != MACH_MSG_SUCCESS) {
			fail_stop("receive on the set failed", mr, 0);
			break;
		}
		t = mu_trailer(&r.hdr);
		m = member_index(r.hdr.msgh_local_port);
		sender = mu_as_msg(&r)->a;
		seq = mu_as_msg(&r)->b;
		s = t->msgh_seqno;
		if (r.hdr.msgh_id != MSG_ID || m < 0 || sender >= NSENDERS ||
		    seq >= PER_SENDER) {
			fail_stop("foreign message", r.hdr.msgh_id, r.hdr.msgh_local_port);
			break;
		}
		if ((int)((seq + sender) % NMEMBERS) != m) {
			fail_stop("message delivered from the wrong member", seq, m);
			break;
		}
		if (atomic_exchange(&seen[sender][seq], 1)) {
			fail_stop("message received twice", sender, seq);
			break;
		}
		if (s >= PER_MEMBER || rec[m][s] != 0) {
			fail_stop("member seqno out of range or repeated", m, s);
			break;
		}
		rec[m][s] = 1 + (sender << 20 | seq);
		atomic_fetch_add(&received, 1);
	}
	return NULL;
}

static void sender_child(uint32_t id, mach_port_t listen_unused)
{
	mach_port_t mine = mu_port(), rights[NMEMBERS] = { 0 };

	(void)listen_unused;
	if (mine == MACH_PORT_NULL || !nu_child_hello(mine, id))
		mt_child_exit();
	for (int i = 0; i < NMEMBERS; i++) {
		mach_msg_type_name_t type = 0;
		uint32_t idx = 0;
		mach_port_t p = nu_take(mine, &type, &idx);

		if (!expect_eq(MACH_MSG_TYPE_PORT_SEND, type, "child: a send right") ||
		    !expect_true(idx < NMEMBERS, "child: member index"))
			mt_child_exit();
		rights[idx] = p;
	}
	for (uint32_t seq = 0; seq < PER_SENDER; seq++) {
		uint32_t m = (seq + id) % NMEMBERS;

		if (!expect_kr(MACH_MSG_SUCCESS,
			       mu_send(rights[m], MACH_MSG_TYPE_COPY_SEND, 0, 0, MSG_ID,
				       id, seq, 0, 60000),
			       "child: send")) {
			mt_diag("sender %u stopped at %u", id, seq);
			break;
		}
	}
	mt_child_exit();
}

static void four_receivers_two_senders(void)
{
	mach_port_t listen = nu_parent_listen();
	pthread_t threads[NTHREADS];
	pid_t pids[NSENDERS];
	int forked = 0, started = 0;
	uint64_t t0;

	assert_true(listen != MACH_PORT_NULL, "listen port");
	set = nu_pset();
	assert_true(set != MACH_PORT_NULL, "set");
	for (int i = 0; i < NMEMBERS; i++) {
		members[i] = mu_port();
		assert_true(members[i] != MACH_PORT_NULL, "member");
		assert_kr(KERN_SUCCESS,
			  mach_port_insert_member(mach_task_self(), members[i], set),
			  "insert_member");
	}
	for (int i = 0; i < NSENDERS; i++) {
		pids[i] = mt_fork();
		if (pids[i] == 0)
			sender_child((uint32_t)i, listen);
		if (!expect_true(pids[i] > 0, "fork"))
			break;
		forked++;
	}
	/* Hand every sender a send right to each member. */
	for (int c = 0; c < forked; c++) {
		uint32_t id = 0xff;
		mach_port_t child = nu_parent_accept(listen, &id);

		if (child == MACH_PORT_NULL || !expect_true(id < NSENDERS, "child id"))
			break;
		for (uint32_t m = 0; m < NMEMBERS; m++)
			nu_give(child, members[m], MACH_MSG_TYPE_MAKE_SEND, m);
	}
	t0 = mt_now_ms();
	deadline = t0 + RUN_MS;
	if (forked == NSENDERS && !mt_failed)
		for (; started < NTHREADS; started++)
			if (!expect_eq(0, pthread_create(&threads[started], NULL, receiver, NULL),
				       "pthread_create"))
				break;
	if (started == 0)
		atomic_store(&stop, 1);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	mt_diag("%d messages through the set in %llu ms", atomic_load(&received),
		(unsigned long long)(mt_now_ms() - t0));
	for (int i = 0; i < forked; i++) {
		char label[32];

		snprintf(label, sizeof(label), "sender %d", i);
		expect_child_ok(pids[i], 60000, label);
	}
	if (!expect_eq(TOTAL, atomic_load(&received), "every message received"))
		return;
	for (int s = 0; s < NSENDERS; s++)
		for (int q = 0; q < PER_SENDER; q++)
			if (!atomic_load(&seen[s][q])) {
				expect_true(false, "a message went missing");
				mt_diag("sender %d seq %d never received", s, q);
				return;
			}
	/* Per member: seqnos 0..PER_MEMBER-1 used, each sender in FIFO order. */
	for (int m = 0; m < NMEMBERS; m++) {
		int64_t last[NSENDERS];

		for (int s = 0; s < NSENDERS; s++)
			last[s] = -1;
		for (int s = 0; s < PER_MEMBER; s++) {
			uint32_t v = rec[m][s];
			uint32_t who, seq;

			if (v == 0) {
				expect_true(false, "member seqno never handed out");
				mt_diag("member %d seqno %d", m, s);
				return;
			}
			who = (v - 1) >> 20;
			seq = (v - 1) & 0xfffff;
			if ((int64_t)seq <= last[who]) {
				expect_true(false, "a member broke its FIFO order");
				mt_diag("member %d seqno %d: sender %u seq %u after %lld", m, s,
					who, seq, (long long)last[who]);
				return;
			}
			last[who] = seq;
		}
	}
	for (int m = 0; m < NMEMBERS; m++)
		expect_eq(0, mu_status(members[m]).mps_msgcount, "member drained");
}

static const struct mt_case cases[] = {
	MT_CASE_T(four_receivers_two_senders, 400),
};

int main(void)
{
	return MT_RUN(cases);
}
