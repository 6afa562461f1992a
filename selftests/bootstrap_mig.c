// SPDX-License-Identifier: GPL-2.0
/*
 * bootstrap_mig - a MIG-style subsystem found through the bootstrap port.
 *
 * The stubs below are hand-written in the shape MIG emits for
 *     subsystem calc 7300;
 *     routine add(server: mach_port_t; a: int; b: int; out sum: int);
 *     routine div(server: mach_port_t; a: int; b: int; out q: int);
 * (request: header, NDR, arguments; reply id = request id + 100; reply:
 * header, NDR, RetCode, results; a failed routine answers with a
 * mig_reply_error_t; an unknown id gets MIG_BAD_ID).  The server checks in
 * with machd and runs libmach's mach_msg_server(); the client looks it up.
 */
#include <signal.h>
#include <string.h>

#include "bootstrap_util.h"

#define CALC_BASE	7300
#define CALC_ADD	(CALC_BASE + 0)
#define CALC_DIV	(CALC_BASE + 1)
#define CALC_END	(CALC_BASE + 2)

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	int			a;
	int			b;
} calc_request_t;

typedef struct {
	mach_msg_header_t	Head;
	NDR_record_t		NDR;
	kern_return_t		RetCode;
	int			result;
} calc_reply_t;
#pragma pack(pop)

/* --- client stub ------------------------------------------------------ */

static kern_return_t calc_call(mach_port_t server, mach_msg_id_t id, int a, int b,
			       int *result)
{
	union {
		calc_request_t	In;
		calc_reply_t	Out;
		mig_reply_error_t Err;
		uint8_t		room[sizeof(calc_reply_t) + sizeof(mach_msg_max_trailer_t)];
	} Mess;
	mach_msg_return_t mr;

	memset(&Mess.In, 0, sizeof(Mess.In));
	Mess.In.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						MACH_MSG_TYPE_MAKE_SEND_ONCE);
	Mess.In.Head.msgh_size = sizeof(Mess.In);
	Mess.In.Head.msgh_remote_port = server;
	Mess.In.Head.msgh_local_port = mig_get_reply_port();
	Mess.In.Head.msgh_id = id;
	Mess.In.NDR = NDR_record;
	Mess.In.a = a;
	Mess.In.b = b;
	mr = mach_msg(&Mess.In.Head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(Mess.In),
		      sizeof(Mess), Mess.In.Head.msgh_local_port, MACH_MSG_TIMEOUT_NONE,
		      MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		mig_dealloc_reply_port(Mess.In.Head.msgh_local_port);
		return mr;
	}
	if (Mess.Out.Head.msgh_id != id + 100)
		return MIG_REPLY_MISMATCH;
	if (Mess.Out.Head.msgh_size == sizeof(mig_reply_error_t) && Mess.Err.RetCode)
		return Mess.Err.RetCode;
	if (Mess.Out.Head.msgh_size != sizeof(calc_reply_t))
		return MIG_TYPE_ERROR;
	*result = Mess.Out.result;
	return Mess.Out.RetCode;
}

/* --- server side ------------------------------------------------------ */

static kern_return_t do_add(int a, int b, int *sum)
{
	*sum = a + b;
	return KERN_SUCCESS;
}

static kern_return_t do_div(int a, int b, int *q)
{
	if (b == 0)
		return KERN_INVALID_ARGUMENT;
	*q = a / b;
	return KERN_SUCCESS;
}

/* Server stub for both routines: they share one message shape. */
static void calc_stub(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	const calc_request_t *In0P = (const calc_request_t *)InHeadP;
	calc_reply_t *OutP = (calc_reply_t *)OutHeadP;
	kern_return_t kr;

	if ((InHeadP->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    InHeadP->msgh_size != sizeof(calc_request_t)) {
		((mig_reply_error_t *)OutHeadP)->RetCode = MIG_BAD_ARGUMENTS;
		return;
	}
	kr = InHeadP->msgh_id == CALC_ADD ? do_add(In0P->a, In0P->b, &OutP->result)
					  : do_div(In0P->a, In0P->b, &OutP->result);
	OutP->RetCode = kr;
	if (kr != KERN_SUCCESS)
		return;		/* the demux's mig_reply_error_t stands */
	OutP->NDR = NDR_record;
	OutP->Head.msgh_size = sizeof(calc_reply_t);
}

/* The demux MIG emits: fill the error-reply header, then dispatch by id. */
static boolean_t calc_server(mach_msg_header_t *InHeadP, mach_msg_header_t *OutHeadP)
{
	mig_reply_error_t *err = (mig_reply_error_t *)OutHeadP;

	OutHeadP->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(InHeadP->msgh_bits), 0);
	OutHeadP->msgh_remote_port = InHeadP->msgh_remote_port;
	OutHeadP->msgh_size = sizeof(mig_reply_error_t);
	OutHeadP->msgh_local_port = MACH_PORT_NULL;
	OutHeadP->msgh_id = InHeadP->msgh_id + 100;
	OutHeadP->msgh_reserved = 0;
	err->NDR = NDR_record;
	if (InHeadP->msgh_id < CALC_BASE || InHeadP->msgh_id >= CALC_END) {
		err->RetCode = MIG_BAD_ID;
		return FALSE;
	}
	calc_stub(InHeadP, OutHeadP);
	return TRUE;
}

static void serve(const char *name, int ready_fd)
{
	mach_port_t port = MACH_PORT_NULL;

	if (!expect_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &port),
		       "server check-in"))
		mt_child_exit();
	mt_post(ready_fd);
	expect_kr(MACH_MSG_SUCCESS, mach_msg_server(calc_server, sizeof(calc_reply_t),
						    port, 0), "mach_msg_server returned");
	mt_child_exit();
}

/* Send a request no routine handles; expect MIG_BAD_ID in the MIG error reply. */
static void expect_bad_id(mach_port_t svc)
{
	union {
		calc_request_t		In;
		mig_reply_error_t	Err;
		struct mu_rcv		room;
	} m;
	mach_port_t reply = mu_port();

	memset(&m.In, 0, sizeof(m.In));
	m.In.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					     MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.In.Head.msgh_size = sizeof(m.In);
	m.In.Head.msgh_remote_port = svc;
	m.In.Head.msgh_local_port = reply;
	m.In.Head.msgh_id = CALC_BASE + 50;
	if (!expect_kr(MACH_MSG_SUCCESS,
		       mach_msg(&m.In.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT,
				sizeof(m.In), sizeof(m), reply, MU_WAIT_MS,
				MACH_PORT_NULL), "unknown-id RPC"))
		return;
	expect_eq(CALC_BASE + 150, m.Err.Head.msgh_id, "reply id = request id + 100");
	expect_eq(sizeof(mig_reply_error_t), m.Err.Head.msgh_size, "mig_reply_error_t");
	expect_kr(MIG_BAD_ID, m.Err.RetCode, "MIG_BAD_ID");
}

static void mig_server_by_name(void)
{
	mach_port_t svc = MACH_PORT_NULL;
	name_t name;
	pid_t server;
	int p[2], i, r = 0;

	bu_require_bootstrap();
	bu_name(name, "org.test.mig");
	assert_true(pipe(p) == 0, "pipe");
	server = mt_fork();
	if (server == 0)
		serve(name, p[1]);
	assert_true(mt_await(p[0], MU_WAIT_MS), "server checked in");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_look_up(bootstrap_port, name, &svc),
		  "look-up");
	for (i = 0; i < 200 && !mt_failed; i++) {
		expect_kr(KERN_SUCCESS, calc_call(svc, CALC_ADD, i, 1000, &r), "add");
		expect_eq(i + 1000, r, "sum");
	}
	expect_kr(KERN_SUCCESS, calc_call(svc, CALC_DIV, 7, 2, &r), "div");
	expect_eq(3, r, "quotient");
	expect_kr(KERN_INVALID_ARGUMENT, calc_call(svc, CALC_DIV, 7, 0, &r),
		  "div by zero: error reply");
	expect_bad_id(svc);
	expect_kr(KERN_SUCCESS, calc_call(svc, CALC_ADD, -5, 2, &r), "add after errors");
	expect_eq(-3, r, "sum");
	kill(server, SIGKILL);
	mt_wait(server, MU_WAIT_MS);
}

static const struct mt_case cases[] = {
	MT_CASE(mig_server_by_name),
};

int main(void)
{
	return MT_RUN(cases);
}
