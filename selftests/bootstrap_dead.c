// SPDX-License-Identifier: GPL-2.0
/*
 * bootstrap_dead - a service whose process is killed (SIGKILL) loses its
 * name: once its port dies, machd answers BOOTSTRAP_UNKNOWN_SERVICE and a
 * new server may check in under the same name.  machd learns of the death
 * from a MACH_NOTIFY_DEAD_NAME notification on its send right, so this
 * test also asks the kernel for that notification itself: until the
 * kernel implements mach_port_request_notification the case fails.
 */
#include <signal.h>

#include "bootstrap_util.h"

#define POLL_MS		10000

/* Arm a dead-name notification on svc; the kernel must accept it. */
static mach_port_t arm_dead_name(mach_port_t svc)
{
	mach_port_t notify = mu_port(), previous = MACH_PORT_NULL;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_request_notification(mach_task_self(), svc,
						       MACH_NOTIFY_DEAD_NAME, 0, notify,
						       MACH_MSG_TYPE_MAKE_SEND_ONCE,
						       &previous),
		       "dead-name request (machd relies on it to drop dead services)"))
		return MACH_PORT_NULL;
	return notify;
}

static void killed_service_goes_away(void)
{
	mach_port_t svc = MACH_PORT_NULL, notify, port = MACH_PORT_NULL;
	kern_return_t kr = KERN_SUCCESS;
	uint64_t deadline;
	struct mu_rcv r;
	name_t name;
	pid_t server;
	int p[2];

	bu_require_bootstrap();
	bu_name(name, "org.test.dead");
	assert_true(pipe(p) == 0, "pipe");
	server = mt_fork();
	if (server == 0) {
		if (expect_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &port),
			      "server check-in"))
			mt_post(p[1]);
		for (;;)
			pause();
	}
	assert_true(mt_await(p[0], MU_WAIT_MS), "server checked in");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, name, &svc),
		  "look-up while the server lives");
	notify = arm_dead_name(svc);

	kill(server, SIGKILL);
	expect_eq(128 + SIGKILL, mt_wait(server, MU_WAIT_MS), "server killed");

	deadline = mt_now_ms() + POLL_MS;
	do {
		mach_port_t found = MACH_PORT_NULL;

		kr = bootstrap_look_up(bootstrap_port, name, &found);
		if (kr == KERN_SUCCESS)
			mach_port_deallocate(mach_task_self(), found);
		else
			break;
		mt_sleep_ms(20);
	} while (mt_now_ms() < deadline);
	expect_bs(BOOTSTRAP_UNKNOWN_SERVICE, kr, "look-up after the server died");

	if (notify != MACH_PORT_NULL &&
	    expect_kr(MACH_MSG_SUCCESS, mu_recv(notify, &r, 0, MU_WAIT_MS),
		      "our own dead-name notification")) {
		expect_eq(MACH_NOTIFY_DEAD_NAME, r.hdr.msgh_id, "notification id");
		expect_eq(svc, ((mach_dead_name_notification_t *)&r)->not_port,
			  "notification names our dead right");
	}

	/* The name is free again for a restarted server. */
	expect_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &port),
		  "check-in of the freed name");
}

static const struct mt_case cases[] = {
	MT_CASE(killed_service_goes_away),
};

int main(void)
{
	return MT_RUN(cases);
}
