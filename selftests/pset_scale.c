// SPDX-License-Identifier: GPL-2.0
/*
 * pset_scale - a port set with 10,000 members next to a set with one
 * member.  Asserts correctness only (membership listing, delivery from the
 * right member in the right order, members surviving the set); the cost of
 * a receive through each set is reported as a TAP diagnostic.
 *
 * With one message queued per member, XNU's set receive takes members in
 * prepost order (waitq_set_first_prepost), which is their arrival order.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify_util.h"

#define BIG		10000
#define NMSG		2000
#define MSG_ID		0x50530000

static mach_port_t *ports;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int cmp_name(const void *a, const void *b)
{
	mach_port_t x = *(const mach_port_t *)a, y = *(const mach_port_t *)b;

	return x < y ? -1 : x > y;
}

static bool send_one(mach_port_t port, uint32_t i)
{
	return expect_kr(MACH_MSG_SUCCESS,
			 mu_send(port, MACH_MSG_TYPE_MAKE_SEND, 0, 0, MSG_ID, i, 0, 0,
				 MU_WAIT_MS),
			 "send");
}

static bool recv_one(mach_port_t set, mach_port_t want, uint32_t i)
{
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(set, &r, 0, MU_WAIT_MS), "receive on the set"))
		return false;
	if (r.hdr.msgh_local_port != want || mu_as_msg(&r)->a != i) {
		mt_diag("message %u: from 0x%x word %u, wanted 0x%x", i,
			r.hdr.msgh_local_port, mu_as_msg(&r)->a, want);
		return expect_true(false, "delivered from the right member, in order");
	}
	return true;
}

/*
 * Batch: in chunks of CHUNK, one message to each of CHUNK members (all
 * distinct in the big set; all to the one member of the small set, whose
 * queue limit is raised), then receive them all, checking member and
 * order.  Then ping-pong: send one, receive one.  false on error.
 */
#define CHUNK		1000

static bool exercise(mach_port_t set, const mach_port_t *members, unsigned int n,
		     const char *label)
{
	uint64_t t0, batch_us = 0, pp_us;

	for (uint32_t base = 0; base < NMSG; base += CHUNK) {
		for (uint32_t i = base; i < base + CHUNK; i++)
			if (!send_one(members[(i * 7919u) % n], i))
				return false;
		t0 = now_us();
		for (uint32_t i = base; i < base + CHUNK; i++)
			if (!recv_one(set, members[(i * 7919u) % n], i))
				return false;
		batch_us += now_us() - t0;
	}

	t0 = now_us();
	for (uint32_t i = 0; i < NMSG; i++) {
		mach_port_t want = members[(i * 31u) % n];

		if (!send_one(want, i) || !recv_one(set, want, i))
			return false;
	}
	pp_us = now_us() - t0;
	mt_diag("%s: batch receive %.2f us/msg, send+receive %.2f us/msg", label,
		(double)batch_us / NMSG, (double)pp_us / NMSG);
	return true;
}

static void big_and_small_set(void)
{
	mach_port_t big = nu_pset(), small = nu_pset(), one = mu_port();
	mach_port_name_array_t names = NULL;
	mach_msg_type_number_t n = 0;
	mach_port_t *sorted;
	uint64_t t0;

	assert_true(big && small && one, "setup");
	ports = calloc(BIG, sizeof(*ports));
	sorted = calloc(BIG, sizeof(*sorted));
	assert_true(ports && sorted, "calloc");
	t0 = mt_now_ms();
	for (int i = 0; i < BIG; i++) {
		ports[i] = mu_port();
		assert_true(ports[i] != MACH_PORT_NULL, "port");
		if (!expect_kr(KERN_SUCCESS,
			       mach_port_insert_member(mach_task_self(), ports[i], big),
			       "insert_member")) {
			mt_diag("failed at member %d", i);
			return;
		}
	}
	mt_diag("%d ports allocated and inserted in %llu ms", BIG,
		(unsigned long long)(mt_now_ms() - t0));
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), one, small),
		  "insert into the small set");
	{
		mach_port_limits_t lim = { .mpl_qlimit = MACH_PORT_QLIMIT_MAX };

		assert_kr(KERN_SUCCESS,
			  mach_port_set_attributes(mach_task_self(), one, MACH_PORT_LIMITS_INFO,
						   (mach_port_info_t)&lim,
						   MACH_PORT_LIMITS_INFO_COUNT),
			  "qlimit MACH_PORT_QLIMIT_MAX (1024) for the single member");
	}

	assert_kr(KERN_SUCCESS, mach_port_get_set_status(mach_task_self(), big, &names, &n),
		  "get_set_status of the big set");
	if (expect_eq(BIG, n, "all members listed")) {
		memcpy(sorted, ports, BIG * sizeof(*sorted));
		qsort(sorted, BIG, sizeof(*sorted), cmp_name);
		qsort(names, n, sizeof(names[0]), cmp_name);
		expect_true(memcmp(sorted, names, BIG * sizeof(*sorted)) == 0,
			    "the listing is exactly our member names");
	}
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(names[0]));

	if (!exercise(big, ports, BIG, "10000-member set") ||
	    !exercise(small, &one, 1, "1-member set"))
		return;

	/* Remove every other member. */
	for (int i = 0; i < BIG; i += 2)
		if (!expect_kr(KERN_SUCCESS,
			       mach_port_extract_member(mach_task_self(), ports[i], big),
			       "extract_member"))
			return;
	assert_kr(KERN_SUCCESS, mach_port_get_set_status(mach_task_self(), big, &names, &n),
		  "get_set_status after removals");
	expect_eq(BIG / 2, n, "half the members left");
	if (n)
		vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(names[0]));
	expect_true(send_one(ports[BIG - 1], 1) && recv_one(big, ports[BIG - 1], 1),
		    "a remaining member still delivers through the set");
	expect_true(send_one(ports[0], 2), "send to a removed member");
	{
		struct mu_rcv r;

		expect_kr(MACH_RCV_TIMED_OUT, mu_recv(big, &r, 0, 100),
			  "a removed member no longer feeds the set");
	}

	t0 = mt_now_ms();
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), big),
		  "destroy the big set");
	mt_diag("set with %d members destroyed in %llu ms", BIG / 2,
		(unsigned long long)(mt_now_ms() - t0));
	for (int i = 1; i < BIG; i += 999) {
		expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(ports[i]), "member survives");
		expect_eq(0, mu_status(ports[i]).mps_pset, "member in no set");
	}
	expect_eq(1, mu_status(ports[0]).mps_msgcount, "message on the removed member kept");
}

static const struct mt_case cases[] = {
	MT_CASE_T(big_and_small_set, 300),
};

int main(void)
{
	return MT_RUN(cases);
}
