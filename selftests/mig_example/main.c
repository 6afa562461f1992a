// SPDX-License-Identifier: GPL-2.0
/*
 * A MIG client and server, the way a macOS program uses mig's output:
 * calc.defs is compiled by tools/mig at build time (mig -sheader
 * calcServer.h calc.defs); the server (calcServer.c) runs in a forked and
 * exec'd copy of this program under mach_msg_server() after
 * bootstrap_check_in(); the client finds it with bootstrap_look_up() and
 * calls the generated stubs (calcUser.c).  Exits 0 when every result is
 * what macOS gives.
 */
#include "mig_util.h"

#include "calc.h"
#include "calcServer.h"

#define fail mig_failures

/* ---- server side: the routines calcServer.c calls ---- */

static int last_note, note_count;

kern_return_t do_calc_add(mach_port_t server, int a, int b, int *sum)
{
	(void)server;
	if (a == 666)
		_exit(0);	/* die holding the client's reply right */
	if (a < 0 && b < 0)
		return KERN_INVALID_ARGUMENT;
	*sum = a + b;
	return KERN_SUCCESS;
}

kern_return_t do_calc_measure(mach_port_t server, calc_name_t name, calc_values_t values,
			      mach_msg_type_number_t valuesCnt, int *length, int *total)
{
	mach_msg_type_number_t i;

	(void)server;
	*length = (int)strlen(name);
	*total = 0;
	for (i = 0; i < valuesCnt; i++)
		*total += values[i];
	return KERN_SUCCESS;
}

kern_return_t do_calc_swap_port(mach_port_t server, mach_port_t port, mach_port_t *port_out)
{
	mach_port_type_t type;

	(void)server;
	if (mach_port_type(mach_task_self(), port, &type) != KERN_SUCCESS ||
	    type != MACH_PORT_TYPE_SEND)
		return KERN_FAILURE;
	*port_out = port;	/* moved back to the client */
	return KERN_SUCCESS;
}

kern_return_t do_calc_ool(mach_port_t server, pointer_t data, mach_msg_type_number_t dataCnt,
			  uint32_t *checksum, pointer_t *result, mach_msg_type_number_t *resultCnt)
{
	vm_address_t out = 0;
	mach_msg_type_number_t i;
	uint32_t sum = 0;

	(void)server;
	for (i = 0; i < dataCnt; i++)
		sum = sum * 31 + ((unsigned char *)data)[i];
	/* The request's memory is ours now. */
	vm_deallocate(mach_task_self(), data, dataCnt);
	*checksum = sum;

	if (vm_allocate(mach_task_self(), &out, 5000, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return KERN_RESOURCE_SHORTAGE;
	for (i = 0; i < 5000; i++)
		((unsigned char *)out)[i] = (unsigned char)(i % 251);
	*result = out;		/* deallocated by the send: "dealloc" in the defs */
	*resultCnt = 5000;
	return KERN_SUCCESS;
}

kern_return_t do_calc_note(mach_port_t server, int value)
{
	(void)server;
	last_note = value;
	note_count++;
	return KERN_SUCCESS;
}

kern_return_t do_calc_get_note(mach_port_t server, int *value, int *count)
{
	(void)server;
	*value = last_note;
	*count = note_count;
	return KERN_SUCCESS;
}

static void run_server(const char *name)
{
	mach_msg_size_t max = sizeof(union __RequestUnion__do_calc_subsystem);

	if (max < do_calc_subsystem.maxsize)
		max = do_calc_subsystem.maxsize;
	mig_serve(name, calc_server, max, MACH_MSG_OPTION_NONE);
}

/* ---- client side ---- */

static mach_port_t look_up(const char *name)
{
	mach_port_t port = MACH_PORT_NULL;
	int i;

	for (i = 0; i < 500; i++) {
		kern_return_t kr = bootstrap_look_up(bootstrap_port, name, &port);

		if (kr == KERN_SUCCESS)
			return port;
		usleep(10000);
	}
	return MACH_PORT_NULL;
}

/* A hand-built request, for what the stubs never send. */
static void raw_request(mach_port_t srv, mach_msg_id_t id, mach_msg_size_t size,
			mach_msg_id_t want_id, kern_return_t want_code)
{
	union {
		mig_reply_error_t rep;
		char buf[256];
	} u;
	mach_port_t reply = mig_get_reply_port();
	kern_return_t kr;

	memset(&u, 0, sizeof(u));
	u.rep.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.rep.Head.msgh_size = size;
	u.rep.Head.msgh_remote_port = srv;
	u.rep.Head.msgh_local_port = reply;
	u.rep.Head.msgh_id = id;
	u.rep.NDR = NDR_record;
	kr = mach_msg(&u.rep.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, size,
		      sizeof(u), reply, 5000, MACH_PORT_NULL);
	CHECK(kr == KERN_SUCCESS, "raw id %d: mach_msg %#x", id, kr);
	if (kr != KERN_SUCCESS)
		return;
	CHECK(u.rep.Head.msgh_id == want_id, "raw id %d: reply id %d", id, u.rep.Head.msgh_id);
	CHECK(u.rep.Head.msgh_size == sizeof(mig_reply_error_t), "raw id %d: reply size %u",
	      id, u.rep.Head.msgh_size);
	CHECK(u.rep.RetCode == want_code, "raw id %d: RetCode %d, want %d", id, u.rep.RetCode,
	      want_code);
	CHECK(!(u.rep.Head.msgh_bits & MACH_MSGH_BITS_COMPLEX), "raw id %d: complex reply", id);
	CHECK(MACH_MSGH_BITS_LOCAL(u.rep.Head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
	      "raw id %d: reply bits %#x", id, u.rep.Head.msgh_bits);
}

int main(int argc, char **argv)
{
	char name[128];
	mach_port_t srv, reply_port, rcv, out = MACH_PORT_NULL;
	kern_return_t kr;
	pid_t pid;
	int sum = 0, length = 0, total = 0, value = 0, count = 0, status;
	calc_values_t vals = { 1, 2, 3, 4, 5, 6, 7, 8 };
	char longname[80];
	mach_port_urefs_t refs;
	vm_address_t data = 0;
	pointer_t result = 0;
	mach_msg_type_number_t resultCnt = 0, i;
	uint32_t checksum = 0, want = 0;

	if (argc == 3 && strcmp(argv[1], "--server") == 0)
		run_server(argv[2]);

	/* Layouts: what mig's LP64 output assumes. */
	CHECK(sizeof(__Request__calc_add_t) == 40, "add request %zu", sizeof(__Request__calc_add_t));
	CHECK(sizeof(__Request__calc_measure_t) == 140, "measure request %zu",
	      sizeof(__Request__calc_measure_t));
	CHECK(sizeof(__Request__calc_swap_port_t) == 40, "port request %zu",
	      sizeof(__Request__calc_swap_port_t));
	CHECK(sizeof(__Request__calc_ool_t) == 56, "ool request %zu", sizeof(__Request__calc_ool_t));
	CHECK(sizeof(__Reply__calc_ool_t) == 60, "ool reply %zu", sizeof(__Reply__calc_ool_t));
	CHECK(sizeof(mig_reply_error_t) == 36, "mig_reply_error_t %zu", sizeof(mig_reply_error_t));
	CHECK(do_calc_subsystem.start == 4400 && do_calc_subsystem.end == 4406, "subsystem range");
	CHECK(do_calc_subsystem.maxsize == 60, "maxsize %u", do_calc_subsystem.maxsize);
	CHECK(calc_server_routine(&(mach_msg_header_t){ .msgh_id = 4406 }) == 0, "routine 4406");

	snprintf(name, sizeof(name), "com.example.migcalc.%d", getpid());
	pid = mig_spawn_server(name);
	CHECK(pid > 0, "fork");
	srv = look_up(name);
	CHECK(srv != MACH_PORT_NULL, "bootstrap_look_up %s", name);
	if (srv == MACH_PORT_NULL)
		goto out;

	/* A plain routine, and its error reply. */
	kr = calc_add(srv, 2, 40, &sum);
	CHECK(kr == KERN_SUCCESS && sum == 42, "calc_add: %#x sum %d", kr, sum);
	reply_port = mig_get_reply_port();
	CHECK(reply_port != MACH_PORT_NULL, "mig_get_reply_port");
	kr = calc_add(srv, -1, -2, &sum);
	CHECK(kr == KERN_INVALID_ARGUMENT, "calc_add error: %#x", kr);
	CHECK(mig_get_reply_port() == reply_port, "reply port not kept after an error reply");

	/* Inline string and variable array. */
	kr = calc_measure(srv, "hello, mig", vals, 3, &length, &total);
	CHECK(kr == KERN_SUCCESS && length == 10 && total == 6, "measure: %#x %d %d", kr,
	      length, total);
	kr = calc_measure(srv, "", vals, 0, &length, &total);
	CHECK(kr == KERN_SUCCESS && length == 0 && total == 0, "measure empty: %#x %d %d", kr,
	      length, total);
	kr = calc_measure(srv, "abc", vals, 8, &length, &total);
	CHECK(kr == KERN_SUCCESS && length == 3 && total == 36, "measure full: %#x %d %d", kr,
	      length, total);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	kr = calc_measure(srv, longname, vals, 1, &length, &total);
	CHECK(kr == KERN_SUCCESS && length == 63 && total == 1, "measure long: %#x %d %d", kr,
	      length, total);
	kr = calc_measure(srv, "abc", vals, 9, &length, &total);
	CHECK(kr == MIG_ARRAY_TOO_LARGE, "measure 9 values: %#x", kr);

	/* A port both ways: make-send in, move-send back. */
	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rcv);
	CHECK(kr == KERN_SUCCESS, "allocate");
	kr = calc_swap_port(srv, rcv, &out);
	CHECK(kr == KERN_SUCCESS && out == rcv, "swap_port: %#x %#x vs %#x", kr, out, rcv);
	refs = 0;
	mach_port_get_refs(mach_task_self(), rcv, MACH_PORT_RIGHT_SEND, &refs);
	CHECK(refs == 1, "send refs after swap %u", refs);
	kr = calc_swap_port(srv, MACH_PORT_NULL, &out);
	CHECK(kr == KERN_FAILURE, "swap_port NULL: %#x", kr);

	/* Out-of-line memory both ways. */
	kr = vm_allocate(mach_task_self(), &data, 10000, VM_FLAGS_ANYWHERE);
	CHECK(kr == KERN_SUCCESS, "vm_allocate");
	for (i = 0; i < 10000; i++) {
		((unsigned char *)data)[i] = (unsigned char)(i * 7);
		want = want * 31 + (unsigned char)(i * 7);
	}
	kr = calc_ool(srv, data, 10000, &checksum, &result, &resultCnt);
	CHECK(kr == KERN_SUCCESS, "calc_ool %#x", kr);
	CHECK(checksum == want, "checksum %#x want %#x", checksum, want);
	CHECK(resultCnt == 5000 && result != 0, "result %u at %#lx", resultCnt, (unsigned long)result);
	for (i = 0; kr == KERN_SUCCESS && i < resultCnt; i++)
		if (((unsigned char *)result)[i] != (unsigned char)(i % 251)) {
			CHECK(0, "result byte %u", i);
			break;
		}
	CHECK(((unsigned char *)data)[9999] == (unsigned char)(9999 * 7), "sender's copy changed");
	if (result)
		CHECK(vm_deallocate(mach_task_self(), result, resultCnt) == KERN_SUCCESS, "dealloc");

	/* simpleroutine: no reply; queued ahead of the next request. */
	kr = calc_note(srv, 7);
	CHECK(kr == KERN_SUCCESS, "note %#x", kr);
	kr = calc_note(srv, 8);
	CHECK(kr == KERN_SUCCESS, "note %#x", kr);
	kr = calc_get_note(srv, &value, &count);
	CHECK(kr == KERN_SUCCESS && value == 8 && count == 2, "get_note %#x %d %d", kr, value,
	      count);

	/* What the demux and the request checks answer to bad requests. */
	raw_request(srv, 4499, sizeof(mig_reply_error_t), 4599, MIG_BAD_ID);
	raw_request(srv, 4300, sizeof(mach_msg_header_t), 4400, MIG_BAD_ID);
	raw_request(srv, 4400, 36, 4500, MIG_BAD_ARGUMENTS);	/* calc_add, short */
	raw_request(srv, 4405, 32, 4505, MIG_BAD_ARGUMENTS);	/* get_note, long */

	/* The server dies holding our reply right: a send-once notification. */
	kr = calc_add(srv, 666, 0, &sum);
	CHECK(kr == MIG_SERVER_DIED, "server died: %#x", kr);
	waitpid(pid, &status, 0);
	pid = 0;
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "server status %#x", status);
	kr = calc_add(srv, 1, 1, &sum);
	CHECK(kr == MACH_SEND_INVALID_DEST, "after server exit: %#x", kr);
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (fail)
		return 1;
	printf("mig_calc: all checks passed\n");
	return 0;
}
