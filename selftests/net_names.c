// SPDX-License-Identifier: GPL-2.0
/*
 * net_names - machnetd as a name service (<servers/netname.h>), and machd's
 * -s (private server for one command) and -n (bootstrap_look_up falls
 * through to machnetd) options.
 *
 * One host: every netname call's return code, Mach 3.0's values
 * (NOT_CHECKED_IN, NOT_YOURS, NO_SUCH_HOST, INVALID_PORT), look-ups by
 * "", "*" and our own host name, a dead port's name dropped, the sender-host
 * extension on a local port; machd -n finds a netname-only name through
 * bootstrap_look_up, plain machd does not.  Every case ends with the hosts
 * torn down and the module's port count back where it was.
 */
#include <string.h>

#include <bootstrap.h>

#include "msg_util.h"
#include "net_util.h"

#define WAIT_MS		20000

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	expect_kr(KERN_SUCCESS, mach_port_allocate(mach_task_self(),
						   MACH_PORT_RIGHT_RECEIVE, &p),
		  "mach_port_allocate");
	return p;
}

/* --- roles (run on a host) ----------------------------------------------- */

static int role_codes(int argc, char **argv)
{
	mach_port_t s = net_server(WAIT_MS), p = new_port(), q = new_port();
	mach_port_t sig = new_port(), other = new_port(), found = MACH_PORT_NULL;
	char version[80] = "", host[80] = "";
	kern_return_t kr;
	uint64_t end;

	(void)argc;
	(void)argv;
	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_insert_right(mach_task_self(), other, other, MACH_MSG_TYPE_MAKE_SEND);

	expect_kr(NETNAME_SUCCESS, netname_version(s, version), "netname_version");
	expect_true(version[0] != '\0' && memchr(version, '\0', sizeof(version)),
		    "a version string");
	expect_kr(NETNAME_NOT_CHECKED_IN, netname_look_up(s, "", "codes.none", &found),
		  "look_up of a name nobody checked in");
	expect_kr(NETNAME_NOT_CHECKED_IN, netname_check_out(s, "codes.none", sig),
		  "check_out of a name nobody checked in");

	expect_kr(NETNAME_SUCCESS, netname_check_in(s, "codes.svc", sig, p), "check_in");
	/* Our own receive right: the send right comes back under its name. */
	found = MACH_PORT_NULL;
	expect_kr(NETNAME_SUCCESS, netname_look_up(s, "", "codes.svc", &found), "look_up \"\"");
	expect_eq(p, found, "look_up \"\" gives our own port");
	found = MACH_PORT_NULL;
	expect_kr(NETNAME_SUCCESS, netname_look_up(s, "*", "codes.svc", &found), "look_up \"*\"");
	expect_eq(p, found, "look_up \"*\" gives our own port");
	found = MACH_PORT_NULL;
	expect_kr(NETNAME_SUCCESS, netname_look_up(s, "alpha", "codes.svc", &found),
		  "look_up on our own host by name");
	expect_eq(p, found, "look_up \"alpha\" gives our own port");
	expect_eq(3, mu_refs(p, MACH_PORT_RIGHT_SEND), "three send rights from three look-ups");

	/* as the historical server: a host it has never heard of */
	expect_kr(NETNAME_NO_SUCH_HOST, netname_look_up(s, "nosuchhost", "codes.svc", &found),
		  "look_up on a host that is no peer");
	expect_kr(NETNAME_NOT_YOURS, netname_check_in(s, "codes.svc", other, q),
		  "check_in of a taken name with another signature");
	expect_kr(NETNAME_NOT_YOURS, netname_check_out(s, "codes.svc", other),
		  "check_out with the wrong signature");
	found = MACH_PORT_NULL;
	expect_kr(NETNAME_SUCCESS, netname_look_up(s, "", "codes.svc", &found),
		  "look_up after the refused calls");
	expect_eq(p, found, "the name still names the first port");
	expect_kr(NETNAME_INVALID_PORT, netname_check_in(s, "codes.null", sig, MACH_PORT_NULL),
		  "check_in of MACH_PORT_NULL");

	expect_kr(NETNAME_SUCCESS, netname_sender_host(s, p, host), "netname_sender_host");
	expect_true(strcmp(host, "alpha") == 0, "a local port's host is our own name");
	if (strcmp(host, "alpha") != 0)
		mt_diag("sender host: '%s'", host);

	expect_kr(NETNAME_SUCCESS, netname_check_out(s, "codes.svc", sig), "check_out");
	expect_kr(NETNAME_NOT_CHECKED_IN, netname_look_up(s, "", "codes.svc", &found),
		  "look_up after check_out");
	expect_kr(NETNAME_NOT_CHECKED_IN, netname_check_out(s, "codes.svc", sig),
		  "check_out twice");

	/* A name whose port dies is gone (at the latest at the next look-up). */
	expect_kr(NETNAME_SUCCESS, netname_check_in(s, "codes.mortal", sig, q), "check_in");
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the port");
	end = mt_now_ms() + WAIT_MS;
	do {
		kr = netname_look_up(s, "", "codes.mortal", &found);
		if (kr == NETNAME_SUCCESS)
			mach_port_deallocate(mach_task_self(), found);
		else
			break;
		mt_sleep_ms(50);
	} while (mt_now_ms() < end);
	expect_kr(NETNAME_NOT_CHECKED_IN, kr, "look_up of a dead port's name");
	/* and the name is free again */
	expect_kr(NETNAME_SUCCESS, netname_check_in(s, "codes.mortal", other, p),
		  "check_in of the freed name with another signature");
	return 0;
}

/* Check a name in with netname only, then find it with bootstrap_look_up. */
static int role_fallthrough(int argc, char **argv)
{
	bool expect_found = argc > 1 && strcmp(argv[1], "found") == 0;
	mach_port_t s = net_server(WAIT_MS), p = new_port(), sig = new_port();
	mach_port_t found = MACH_PORT_NULL;
	kern_return_t kr;

	if (!MACH_PORT_VALID(s))
		return 1;
	mach_port_insert_right(mach_task_self(), sig, sig, MACH_MSG_TYPE_MAKE_SEND);
	assert_kr_ret(NETNAME_SUCCESS, netname_check_in(s, "fall.svc", sig, p), "check_in");
	kr = bootstrap_look_up(bootstrap_port, "fall.svc", &found);
	if (expect_found) {
		expect_kr(BOOTSTRAP_SUCCESS, kr, "bootstrap_look_up of a netname-only name (machd -n)");
		expect_eq(p, found, "it is our port");
		/* machnetd's own name is machd's, and unknown names stay unknown */
		expect_kr(BOOTSTRAP_UNKNOWN_SERVICE,
			  bootstrap_look_up(bootstrap_port, "fall.nobody", &found),
			  "bootstrap_look_up of a name nobody has (machd -n)");
	} else {
		expect_kr(BOOTSTRAP_UNKNOWN_SERVICE, kr,
			  "bootstrap_look_up of a netname-only name (machd without -n)");
	}
	/* bootstrap names still work as before */
	expect_kr(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, MACHNETD_SERVICE_NAME, &found),
		  "bootstrap_look_up of machnetd's own name");
	return 0;
}

/* Hosts are separate: a name of this host's private machd is not the VM's. */
static int role_private(int argc, char **argv)
{
	mach_port_t s = MACH_PORT_NULL, mine = MACH_PORT_NULL, found = MACH_PORT_NULL;

	(void)argc;
	(void)argv;
	expect_kr(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, "private.svc", &mine),
		  "bootstrap_check_in on the private machd");
	expect_kr(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, "private.svc", &found),
		  "bootstrap_look_up on the private machd");
	expect_eq(mine, found, "look-up finds our port");
	expect_kr(BOOTSTRAP_SUCCESS, netname_server_port(&s), "netname_server_port");
	return 0;
}

/* Hold private.svc checked in on the host's machd until the test has looked. */
static int role_private_hold(int argc, char **argv)
{
	mach_port_t mine = MACH_PORT_NULL;

	(void)argc;
	(void)argv;
	assert_kr_ret(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, "private.svc", &mine),
		      "bootstrap_check_in on the private machd");
	net_post("private.in");
	return net_await("private.checked", 60000) ? 0 : 1;
}

static const struct net_role roles[] = {
	{ "private_hold", role_private_hold },
	{ "codes", role_codes },
	{ "fallthrough", role_fallthrough },
	{ "private", role_private },
};

/* --- cases (the test process) ------------------------------------------------ */

static void one_host(bool fallthrough)
{
	struct net_opts o = { .nhosts = 1, .fallthrough = fallthrough };

	if (net_up(&o)) {
		net_run_ok(NET_ALPHA, 60000, "codes", NULL);
		net_run_ok(NET_ALPHA, 60000, "fallthrough", fallthrough ? "found" : "none", NULL);
		net_run_ok(NET_ALPHA, 60000, "private", NULL);
	}
	if (mt_failed)
		net_log_dump(NET_ALPHA);
	net_down();
}

static void local_names(void)
{
	one_host(false);
}

static void machd_fallthrough(void)
{
	one_host(true);
}

/* The VM's own machd knows nothing a host's private machd was told. */
static void private_machd_isolated(void)
{
	struct net_opts o = { .nhosts = 1 };
	mach_port_t found = MACH_PORT_NULL;

	/* once before (our MIG reply port then predates the port count) */
	expect_kr(BOOTSTRAP_UNKNOWN_SERVICE,
		  bootstrap_look_up(bootstrap_port, "private.svc", &found),
		  "the VM's machd does not know private.svc");
	if (net_up(&o)) {
		pid_t holder = net_start(NET_ALPHA, "private_hold", NULL);

		net_await("private.in", 60000);
		expect_kr(BOOTSTRAP_UNKNOWN_SERVICE,
			  bootstrap_look_up(bootstrap_port, MACHNETD_SERVICE_NAME, &found),
			  "the VM's machd has no machnetd name");
		expect_kr(BOOTSTRAP_UNKNOWN_SERVICE,
			  bootstrap_look_up(bootstrap_port, "private.svc", &found),
			  "the VM's machd does not know the host's private.svc");
		net_post("private.checked");
		expect_eq(0, net_wait(NET_ALPHA, holder, 60000), "private_hold");
	}
	net_down();
}

static const struct mt_case cases[] = {
	MT_CASE_T(local_names, 240),
	MT_CASE_T(machd_fallthrough, 240),
	MT_CASE_T(private_machd_isolated, 240),
};

int main(int argc, char **argv)
{
	int rc = net_role_main(argc, argv, roles, (int)(sizeof(roles) / sizeof(roles[0])));

	return rc >= 0 ? rc : MT_RUN(cases);
}
