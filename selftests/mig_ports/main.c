// SPDX-License-Identifier: GPL-2.0
/*
 * mig_ports: port rights through stubs that tools/mig generated from
 * migports.defs, between this program and a fork+exec'd copy of it (the
 * server, found through bootstrap).  Each side checks what it holds after
 * each call: the right's type, its references, which name it landed on.
 */
#include <bsm/libbsm.h>
#include <time.h>

#include "mig_util.h"

#include "migports.h"
#include "migportsServer.h"

static mach_port_type_t ptype(mach_port_t name)
{
	mach_port_type_t t = 0;

	if (mach_port_type(mach_task_self(), name, &t) != KERN_SUCCESS)
		return 0;
	return t;
}

static mach_port_urefs_t refs(mach_port_t name, mach_port_right_t right)
{
	mach_port_urefs_t r = 0;

	if (mach_port_get_refs(mach_task_self(), name, right, &r) != KERN_SUCCESS)
		return 0xffff;
	return r;
}

static mach_port_t new_port(void)
{
	mach_port_t p = MACH_PORT_NULL;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p);
	return p;
}

static mach_port_t new_port_with_send(void)
{
	mach_port_t p = new_port();

	mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND);
	return p;
}

/* ---- the server ---- */

static mach_port_t server_port;
static int one_way_ports;

kern_return_t srv_give_rights(mach_port_t server, mach_port_t r, mach_port_t cs, mach_port_t ms,
			  mach_port_t mv, mach_port_t mso, mach_port_t mvso, types_t types)
{
	mach_port_t all[6] = { r, cs, ms, mv, mso, mvso };
	int i;

	(void)server;
	for (i = 0; i < 6; i++)
		types[i] = ptype(all[i]);
	mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1);
	for (i = 1; i < 4; i++)
		mach_port_deallocate(mach_task_self(), all[i]);
	mach_port_deallocate(mach_task_self(), mso);
	mach_port_deallocate(mach_task_self(), mvso);
	return KERN_SUCCESS;
}

static mach_port_t kept;	/* the server keeps its receive right */

kern_return_t srv_get_rights(mach_port_t server, mach_port_t *r, mach_port_t *ms, mach_port_t *cs,
			 mach_port_t *mso)
{
	(void)server;
	if (kept == MACH_PORT_NULL)
		kept = new_port_with_send();	/* the send right is what copy-send copies */
	*r = new_port();
	*ms = kept;
	*cs = kept;
	*mso = kept;
	return KERN_SUCCESS;
}

kern_return_t srv_poly_in(mach_port_t server, mach_port_t p, mach_msg_type_name_t pPoly,
		      natural_t *kind)
{
	(void)server;
	*kind = pPoly * 0x100 + (ptype(p) >> 16);
	if (pPoly == MACH_MSG_TYPE_PORT_RECEIVE)
		mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	else
		mach_port_deallocate(mach_task_self(), p);
	return KERN_SUCCESS;
}

kern_return_t srv_poly_out(mach_port_t server, int which, mach_port_t *p, mach_msg_type_name_t *pPoly)
{
	(void)server;
	switch (which) {
	case 0:
		*p = server_port;
		*pPoly = MACH_MSG_TYPE_MAKE_SEND;
		break;
	case 1:
		*p = new_port();
		*pPoly = MACH_MSG_TYPE_MOVE_RECEIVE;
		break;
	default:
		*p = server_port;
		*pPoly = MACH_MSG_TYPE_MAKE_SEND_ONCE;
		break;
	}
	return KERN_SUCCESS;
}

static mach_port_t back_ports[16];

kern_return_t srv_port_arrays(mach_port_t server, port3_t fixed, portv_t var,
			  mach_msg_type_number_t varCnt, mach_port_array_t ool,
			  mach_msg_type_number_t oolCnt, oolports_t *back,
			  mach_msg_type_number_t *backCnt, portsout_t vout,
			  mach_msg_type_number_t *voutCnt, types_t ntypes)
{
	mach_msg_type_number_t i;

	(void)server;
	ntypes[0] = ptype(fixed[0]);
	ntypes[1] = ptype(fixed[1]);
	ntypes[2] = ptype(fixed[2]);
	ntypes[3] = varCnt;
	ntypes[4] = oolCnt;
	ntypes[5] = 0;
	for (i = 0; i < oolCnt && i < 16; i++) {
		ntypes[5] += ptype(ool[i]) == MACH_PORT_TYPE_SEND;
		back_ports[i] = ool[i];	/* moved back to the client */
	}
	/* the stub frees the array after this call; the reply needs its own */
	*back = back_ports;
	*backCnt = oolCnt < 16 ? oolCnt : 16;
	if (*voutCnt != 4)
		return KERN_INVALID_VALUE;
	for (i = 0; i < varCnt; i++)
		vout[i] = var[i];
	*voutCnt = varCnt;
	for (i = 0; i < 3; i++)
		mach_port_deallocate(mach_task_self(), fixed[i]);
	return KERN_SUCCESS;
}

kern_return_t srv_with_reply(mach_port_t server, mach_port_t reply, int v, int *w)
{
	(void)server;
	*w = reply != MACH_PORT_NULL ? v + 1 : -1;
	return KERN_SUCCESS;
}

kern_return_t srv_sreply(mach_port_t server, mach_port_t reply, int v, int *w)
{
	(void)server;
	/* the reply port as the server sees it: a send-once right */
	*w = ptype(reply) == MACH_PORT_TYPE_SEND_ONCE ? v + 2 : -1;
	return KERN_SUCCESS;
}

kern_return_t srv_ureply(mach_port_t server, int v, int *w)
{
	(void)server;
	*w = v + 3;
	return KERN_SUCCESS;
}

kern_return_t srv_trailer(mach_port_t server, mach_port_seqno_t seqno, audit_token_t atoken,
		      security_token_t stoken, int *pid, uint32_t *uid, uint32_t *seq)
{
	(void)server;
	*pid = audit_token_to_pid(atoken);
	*uid = stoken.val[0];
	*seq = seqno;
	return KERN_SUCCESS;
}

kern_return_t srv_both_tokens(mach_port_t server, audit_token_t *atoken, int *client_pid)
{
	(void)server;
	*client_pid = audit_token_to_pid(*atoken);
	return KERN_SUCCESS;
}

kern_return_t srv_timed(mach_port_t server, int sleep_ms, int *v)
{
	struct timespec ts = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000L };

	(void)server;
	nanosleep(&ts, NULL);
	*v = sleep_ms + 1;
	return KERN_SUCCESS;
}

kern_return_t srv_opt(mach_port_t server, int v, int *w)
{
	(void)server;
	*w = v + one_way_ports;
	return KERN_SUCCESS;
}

kern_return_t srv_late_request_port(int v, mach_port_t server, int *w)
{
	*w = server == server_port ? v * 3 : -1;
	return KERN_SUCCESS;
}

kern_return_t srv_one_way_port(mach_port_t server, mach_port_t p)
{
	(void)server;
	one_way_ports += ptype(p) == MACH_PORT_TYPE_SEND;
	mach_port_deallocate(mach_task_self(), p);
	return KERN_SUCCESS;
}

static void run_server(const char *name)
{
	mach_msg_size_t max = sizeof(union __RequestUnion__srv_migports_subsystem);
	kern_return_t kr;

	if (max < srv_migports_subsystem.maxsize)
		max = srv_migports_subsystem.maxsize;
	kr = bootstrap_check_in(bootstrap_port, name, &server_port);
	if (kr != KERN_SUCCESS) {
		printf("FAIL: bootstrap_check_in: %s\n", bootstrap_strerror(kr));
		_exit(2);
	}
	/* the trailer arguments need the audit trailer */
	kr = mach_msg_server(migports_server, max, server_port,
			     MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			     MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT));
	printf("FAIL: mach_msg_server returned %#x\n", kr);
	_exit(3);
}

/* ---- the client ---- */

static void test_dispositions(mach_port_t srv)
{
	mach_port_t r = new_port(), s = new_port_with_send(), so = new_port();
	mach_port_t so2 = new_port(), sor = MACH_PORT_NULL;
	mach_msg_type_name_t got;
	types_t types;

	memset(types, 0, sizeof(types));
	/* a send-once right to move */
	mach_port_extract_right(mach_task_self(), so2, MACH_MSG_TYPE_MAKE_SEND_ONCE, &sor, &got);
	mach_port_insert_right(mach_task_self(), s, s, MACH_MSG_TYPE_MAKE_SEND); /* 2 refs */
	CHECK_KR(KERN_SUCCESS, give_rights(srv, r, s, so, s, so, sor, types), "give_rights");
	CHECK(types[0] == MACH_PORT_TYPE_RECEIVE, "move_receive arrived as %#x", types[0]);
	CHECK(types[1] == MACH_PORT_TYPE_SEND, "copy_send arrived as %#x", types[1]);
	CHECK(types[2] == MACH_PORT_TYPE_SEND, "make_send arrived as %#x", types[2]);
	CHECK(types[3] == MACH_PORT_TYPE_SEND, "move_send arrived as %#x", types[3]);
	CHECK(types[4] == MACH_PORT_TYPE_SEND_ONCE, "make_send_once arrived as %#x", types[4]);
	CHECK(types[5] == MACH_PORT_TYPE_SEND_ONCE, "move_send_once arrived as %#x", types[5]);
	/* what left us: the receive right, one send reference, the send-once right */
	CHECK(ptype(r) == 0, "moved receive right still here: %#x", ptype(r));
	CHECK(refs(s, MACH_PORT_RIGHT_SEND) == 1, "send refs %u (copy keeps, move takes one)",
	      refs(s, MACH_PORT_RIGHT_SEND));
	CHECK(ptype(sor) == 0, "moved send-once right still here");
	CHECK(ptype(so) == MACH_PORT_TYPE_RECEIVE, "make-send-once touched our receive right");
}

static void test_get_rights(mach_port_t srv)
{
	mach_port_t r = 0, ms = 0, cs = 0, mso = 0;

	CHECK_KR(KERN_SUCCESS, get_rights(srv, &r, &ms, &cs, &mso), "get_rights");
	CHECK(ptype(r) == MACH_PORT_TYPE_RECEIVE, "r is %#x", ptype(r));
	CHECK(ms == cs && ptype(ms) == MACH_PORT_TYPE_SEND, "ms %#x cs %#x (%#x)", ms, cs, ptype(ms));
	CHECK(refs(ms, MACH_PORT_RIGHT_SEND) == 2, "send refs %u", refs(ms, MACH_PORT_RIGHT_SEND));
	CHECK(mso != ms && ptype(mso) == MACH_PORT_TYPE_SEND_ONCE, "mso %#x", ptype(mso));
	mach_port_mod_refs(mach_task_self(), r, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_mod_refs(mach_task_self(), ms, MACH_PORT_RIGHT_SEND, -2);
	mach_port_deallocate(mach_task_self(), mso);
}

static void test_poly(mach_port_t srv)
{
	mach_port_t p = new_port(), q = MACH_PORT_NULL;
	mach_msg_type_name_t qPoly = 0;
	natural_t kind = 0;

	CHECK_KR(KERN_SUCCESS, poly_in(srv, p, MACH_MSG_TYPE_MAKE_SEND, &kind), "poly make_send");
	CHECK(kind == MACH_MSG_TYPE_PORT_SEND * 0x100 + (MACH_PORT_TYPE_SEND >> 16),
	      "make_send: %#x", kind);
	CHECK_KR(KERN_SUCCESS, poly_in(srv, p, MACH_MSG_TYPE_MAKE_SEND_ONCE, &kind), "poly msonce");
	CHECK(kind == MACH_MSG_TYPE_PORT_SEND_ONCE * 0x100 + (MACH_PORT_TYPE_SEND_ONCE >> 16),
	      "make_send_once: %#x", kind);
	CHECK_KR(KERN_SUCCESS, poly_in(srv, p, MACH_MSG_TYPE_MOVE_RECEIVE, &kind), "poly receive");
	CHECK(kind == MACH_MSG_TYPE_PORT_RECEIVE * 0x100 + (MACH_PORT_TYPE_RECEIVE >> 16),
	      "move_receive: %#x", kind);
	CHECK(ptype(p) == 0, "moved receive right still here");

	CHECK_KR(KERN_SUCCESS, poly_out(srv, 0, &q, &qPoly), "poly_out send");
	CHECK(qPoly == MACH_MSG_TYPE_PORT_SEND && q == srv, "poly_out: %u %#x (srv %#x)", qPoly, q,
	      srv);
	mach_port_deallocate(mach_task_self(), q);
	CHECK_KR(KERN_SUCCESS, poly_out(srv, 1, &q, &qPoly), "poly_out receive");
	CHECK(qPoly == MACH_MSG_TYPE_PORT_RECEIVE && ptype(q) == MACH_PORT_TYPE_RECEIVE,
	      "poly_out: %u %#x", qPoly, ptype(q));
	mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1);
	CHECK_KR(KERN_SUCCESS, poly_out(srv, 2, &q, &qPoly), "poly_out send-once");
	CHECK(qPoly == MACH_MSG_TYPE_PORT_SEND_ONCE && ptype(q) == MACH_PORT_TYPE_SEND_ONCE,
	      "poly_out: %u %#x", qPoly, ptype(q));
	mach_port_deallocate(mach_task_self(), q);
}

static void test_arrays(mach_port_t srv)
{
	port3_t fixed;
	mach_port_t var[4], ool[5], vout[4];
	oolports_t back = NULL;
	mach_msg_type_number_t backCnt = 0, voutCnt = 4, i;
	types_t nt;

	for (i = 0; i < 3; i++)
		fixed[i] = new_port_with_send();
	for (i = 0; i < 4; i++)
		var[i] = new_port();
	for (i = 0; i < 5; i++)
		ool[i] = new_port_with_send();
	CHECK_KR(KERN_SUCCESS, port_arrays(srv, fixed, var, 2, ool, 5, &back, &backCnt, vout,
					   &voutCnt, nt), "port_arrays");
	CHECK(nt[0] == MACH_PORT_TYPE_SEND && nt[1] == MACH_PORT_TYPE_SEND &&
	      nt[2] == MACH_PORT_TYPE_SEND, "fixed array: %#x %#x %#x", nt[0], nt[1], nt[2]);
	CHECK(nt[3] == 2 && nt[4] == 5 && nt[5] == 5, "counts %u %u, %u sends", nt[3], nt[4], nt[5]);
	CHECK(backCnt == 5 && back, "back %u", backCnt);
	for (i = 0; back && i < backCnt; i++)
		CHECK(back[i] == ool[i] && refs(ool[i], MACH_PORT_RIGHT_SEND) == 2,
		      "back[%u] %#x vs %#x, refs %u", i, back[i], ool[i],
		      refs(ool[i], MACH_PORT_RIGHT_SEND));
	CHECK(voutCnt == 2 && vout[0] == var[0] && vout[1] == var[1], "vout %u %#x %#x", voutCnt,
	      vout[0], vout[1]);
	CHECK(ptype(var[0]) == (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND),
	      "var[0] after the round trip %#x", ptype(var[0]));
	if (back)
		vm_deallocate(mach_task_self(), (vm_address_t)back, backCnt * sizeof(mach_port_t));
	/* too many for array[*:4] */
	CHECK_KR(MIG_ARRAY_TOO_LARGE, port_arrays(srv, fixed, var, 5, ool, 5, &back, &backCnt, vout,
						   &voutCnt, nt), "5 in array[*:4] of ports");
}

static void test_reply_ports(mach_port_t srv)
{
	mach_port_t reply = new_port();
	int w = 0;

	CHECK_KR(KERN_SUCCESS, with_reply(srv, reply, 10, &w), "replyport");
	CHECK(w == 11, "replyport: %d", w);
	CHECK(ptype(reply) == MACH_PORT_TYPE_RECEIVE, "our reply port: %#x", ptype(reply));
	CHECK_KR(KERN_SUCCESS, ureply(srv, reply, 10, &w), "ureplyport");
	CHECK(w == 13, "ureplyport: %d", w);
	CHECK_KR(KERN_SUCCESS, sreply(srv, 10, &w), "sreplyport");
	CHECK(w == 12, "sreplyport: %d", w);
	CHECK_KR(KERN_SUCCESS, late_request_port(5, srv, &w), "requestport not first");
	CHECK(w == 15, "requestport: %d", w);
	mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1);
}

static void test_trailer(mach_port_t srv, pid_t server_pid)
{
	int pid = 0, cpid = 0;
	uint32_t uid = 0xffffffff, seq1 = 0, seq2 = 0;
	audit_token_t at;

	CHECK_KR(KERN_SUCCESS, trailer(srv, &pid, &uid, &seq1), "trailer");
	CHECK(pid == getpid(), "server saw pid %d, we are %d", pid, getpid());
	CHECK(uid == getuid(), "server saw uid %u", uid);
	CHECK_KR(KERN_SUCCESS, trailer(srv, &pid, &uid, &seq2), "trailer again");
	CHECK(seq2 == seq1 + 1, "seqno %u then %u", seq1, seq2);
	memset(&at, 0, sizeof(at));
	CHECK_KR(KERN_SUCCESS, both_tokens(srv, &at, &cpid), "AuditToken");
	CHECK(cpid == getpid(), "server saw %d", cpid);
	CHECK(audit_token_to_pid(at) == server_pid, "the reply's audit token says pid %d, not %d",
	      audit_token_to_pid(at), server_pid);
}

static void test_timeouts(mach_port_t srv)
{
	int v = 0, w = 0;
	mach_port_t p = new_port_with_send();

	CHECK_KR(KERN_SUCCESS, timed(srv, 0, 5000, &v), "timed, fast");
	CHECK(v == 1, "v %d", v);
	CHECK_KR(MACH_RCV_TIMED_OUT, timed(srv, 400, 50, &v), "timed, slow");
	/* the late reply went to a reply port the stub replaced */
	CHECK_KR(KERN_SUCCESS, timed(srv, 0, 5000, &v), "timed after a timeout");
	CHECK(v == 1, "v %d after the timeout", v);
	CHECK_KR(KERN_SUCCESS, one_way_port(srv, p), "one_way_port");
	CHECK(ptype(p) == MACH_PORT_TYPE_RECEIVE, "moved send right still here: %#x", ptype(p));
	CHECK_KR(KERN_SUCCESS, opt(srv, MACH_MSG_OPTION_NONE, 40, &w), "MsgOption none");
	CHECK(w == 41, "opt: %d", w);
	CHECK_KR(KERN_SUCCESS, opt(srv, MACH_SEND_TIMEOUT, 50, &w), "MsgOption send timeout");
	CHECK(w == 51, "opt: %d", w);
	mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
}

int main(int argc, char **argv)
{
	char name[64];
	mach_port_t srv;
	pid_t pid;

	if (argc == 3 && strcmp(argv[1], "--server") == 0)
		run_server(argv[2]);
	snprintf(name, sizeof(name), "org.mach-linux.test.migports.%d", getpid());
	pid = mig_spawn_server(name);
	CHECK(pid > 0, "fork");
	srv = mig_look_up(name);
	CHECK(srv != MACH_PORT_NULL, "bootstrap_look_up %s", name);
	if (srv != MACH_PORT_NULL) {
		STEP("dispositions");
		test_dispositions(srv);
		STEP("get_rights");
		test_get_rights(srv);
		STEP("poly");
		test_poly(srv);
		STEP("arrays");
		test_arrays(srv);
		STEP("reply_ports");
		test_reply_ports(srv);
		STEP("trailer");
		test_trailer(srv, pid);
		STEP("timeouts");
		test_timeouts(srv);
	}
	mig_stop_server(pid);
	return mig_result("mig_ports");
}
