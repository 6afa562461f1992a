/* A MIG-style server and client in two processes, meeting through bootstrap. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "[%d] FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", getpid(), __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "[%d] FAIL line %d: %s\n", getpid(), __LINE__, #c); exit(1); } } while (0)

#define ADD_ID 7100

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int a;
	int b;
} add_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int sum;
} add_reply_t;

typedef struct {
	add_request_t req;
	mach_msg_audit_trailer_t trailer;
} add_request_rcv_t;
#pragma pack(pop)

static pid_t expected_client;
static int requests_seen;

static boolean_t demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	add_request_t *req = (add_request_t *)in;
	mig_reply_error_t *err = (mig_reply_error_t *)out;
	mach_msg_audit_trailer_t *tr = (mach_msg_audit_trailer_t *)((char *)in + round_msg(in->msgh_size));

	requests_seen++;
	out->msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	out->msgh_remote_port = in->msgh_remote_port;
	out->msgh_local_port = MACH_PORT_NULL;
	out->msgh_voucher_port = MACH_PORT_NULL;
	out->msgh_id = in->msgh_id + 100;
	out->msgh_size = sizeof(mig_reply_error_t);
	err->NDR = NDR_record;

	if (tr->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 ||
	    tr->msgh_trailer_size != sizeof(mach_msg_audit_trailer_t) ||
	    (pid_t)tr->msgh_audit.val[5] != expected_client ||
	    tr->msgh_audit.val[1] != geteuid() ||
	    tr->msgh_sender.val[0] != geteuid()) {
		fprintf(stderr, "server: bad trailer type %u size %u pid %u (want %d)\n",
			tr->msgh_trailer_type, tr->msgh_trailer_size, tr->msgh_audit.val[5], expected_client);
		err->RetCode = KERN_INVALID_ARGUMENT;
		return TRUE;
	}
	if (in->msgh_id != ADD_ID) {
		err->RetCode = MIG_BAD_ID;
		return FALSE;
	}
	if (in->msgh_size != sizeof(add_request_t) || (in->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		err->RetCode = MIG_BAD_ARGUMENTS;
		return TRUE;
	}
	add_reply_t *rep = (add_reply_t *)out;
	rep->Head.msgh_size = sizeof(add_reply_t);
	rep->RetCode = KERN_SUCCESS;
	rep->sum = req->a + req->b;
	return TRUE;
}

static kern_return_t call_add(mach_port_t server, mach_msg_id_t id, int a, int b, int *sum)
{
	union {
		add_request_t req;
		struct { add_reply_t rep; mach_msg_trailer_t t; } rcv;
	} u;
	mach_port_t reply = mig_get_reply_port();
	mach_msg_return_t mr;

	memset(&u, 0, sizeof u);
	u.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.req.Head.msgh_size = sizeof(add_request_t);
	u.req.Head.msgh_remote_port = server;
	u.req.Head.msgh_local_port = reply;
	u.req.Head.msgh_id = id;
	u.req.NDR = NDR_record;
	u.req.a = a;
	u.req.b = b;
	mr = mach_msg(&u.req.Head, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(add_request_t),
		      sizeof(u.rcv), reply, 10000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		if (mr != MACH_SEND_INVALID_DEST)
			mig_dealloc_reply_port(reply);
		return mr;
	}
	if (u.rcv.rep.Head.msgh_id != id + 100)
		return MIG_REPLY_MISMATCH;
	if (u.rcv.rep.Head.msgh_size == sizeof(mig_reply_error_t))
		return ((mig_reply_error_t *)&u.rcv.rep)->RetCode;
	if (u.rcv.rep.Head.msgh_size != sizeof(add_reply_t))
		return MIG_TYPE_ERROR;
	*sum = u.rcv.rep.sum;
	return u.rcv.rep.RetCode;
}

int main(void)
{
	char name[128], name2[128];
	mach_port_t service, found, bp;
	pid_t child;
	int status, sum = 0;

	CHECK(MACH_PORT_VALID(bootstrap_port));
	KR(task_get_bootstrap_port(mach_task_self(), &bp), KERN_SUCCESS);
	CHECK(bp == bootstrap_port);
	mach_port_deallocate(mach_task_self(), bp);

	snprintf(name, sizeof name, "com.example.adder.%d", getpid());
	snprintf(name2, sizeof name2, "com.example.registered.%d", getpid());
	KR(bootstrap_look_up(bootstrap_port, name, &found), BOOTSTRAP_UNKNOWN_SERVICE);
	KR(bootstrap_check_in(bootstrap_port, name, &service), KERN_SUCCESS);
	{
		mach_port_type_t t;
		KR(mach_port_type(mach_task_self(), service, &t), KERN_SUCCESS);
		CHECK(t & MACH_PORT_TYPE_RECEIVE);
	}
	/* register a second name with a send right we make ourselves */
	{
		mach_port_t p;
		KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
		KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
		KR(bootstrap_register(bootstrap_port, name2, p), KERN_SUCCESS);
	}

	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		mach_port_t server, reg;
		mach_port_t again;
		CHECK(MACH_PORT_VALID(bootstrap_port));
		KR(bootstrap_look_up(bootstrap_port, name, &server), KERN_SUCCESS);
		KR(bootstrap_look_up(bootstrap_port, name2, &reg), KERN_SUCCESS);
		CHECK(MACH_PORT_VALID(reg));
		KR(bootstrap_look_up(bootstrap_port, name, &again), KERN_SUCCESS);
		CHECK(again == server); /* same port, same name */
		KR(bootstrap_check_in(bootstrap_port, name, &again), BOOTSTRAP_SERVICE_ACTIVE);
		KR(call_add(server, ADD_ID, 40, 2, &sum), KERN_SUCCESS);
		CHECK(sum == 42);
		KR(call_add(server, ADD_ID, -5, 3, &sum), KERN_SUCCESS);
		CHECK(sum == -2);
		KR(call_add(server, 7199, 1, 1, &sum), MIG_BAD_ID);
		_exit(0);
	}
	expected_client = child;
	for (int i = 0; i < 3; i++)
		KR(mach_msg_server_once(demux, sizeof(add_reply_t) + 64, service,
			MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT)),
			MACH_MSG_SUCCESS);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(requests_seen == 3);
	printf("rpc_bootstrap: ok\n");
	return 0;
}
