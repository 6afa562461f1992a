/*
 * MIG runtime edges: the per-thread reply port, mach_msg_server(_once) with
 * undeliverable replies and MACH_RCV_LARGE, several server threads on one
 * port set with many clients (threads and fork()ed processes), the bootstrap
 * error codes, and two calls whose macOS form is a MIG message
 * (request_notification with a non-send-once notify right, allocate_full
 * with a prototype port).
 */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <servers/bootstrap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "[%d] FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", getpid(), __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "[%d] FAIL line %d: %s\n", getpid(), __LINE__, #c); exit(1); } } while (0)

#define ECHO_ID 7300

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	int token;
	char pad[1];	/* variable part: the big request fills more */
} echo_request_t;

typedef struct {
	mach_msg_header_t Head;
	NDR_record_t NDR;
	kern_return_t RetCode;
	int token;
} echo_reply_t;
#pragma pack(pop)

/* A client port that dies while its request is being served. */
static mach_port_t doomed = MACH_PORT_NULL;

static boolean_t echo_demux(mach_msg_header_t *in, mach_msg_header_t *out)
{
	echo_request_t *req = (echo_request_t *)in;
	echo_reply_t *rep = (echo_reply_t *)out;

	rep->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(in->msgh_bits), 0);
	rep->Head.msgh_size = sizeof(*rep);
	rep->Head.msgh_remote_port = in->msgh_remote_port;
	rep->Head.msgh_local_port = MACH_PORT_NULL;
	rep->Head.msgh_voucher_port = MACH_PORT_NULL;
	rep->Head.msgh_id = in->msgh_id + 100;
	rep->NDR = NDR_record;
	if (doomed != MACH_PORT_NULL) {
		mach_port_mod_refs(mach_task_self(), doomed, MACH_PORT_RIGHT_RECEIVE, -1);
		doomed = MACH_PORT_NULL;
	}
	if (in->msgh_id != ECHO_ID) {
		rep->RetCode = MIG_BAD_ID;
		return FALSE;
	}
	rep->RetCode = KERN_SUCCESS;
	rep->token = req->token;
	return TRUE;
}

static mach_msg_type_number_t name_count(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, tn;

	KR(mach_port_names(mach_task_self(), &names, &n, &types, &tn), KERN_SUCCESS);
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, tn * sizeof(*types));
	return n;
}

/* One RPC on the thread's MIG reply port, as a MIG user stub does it. */
static kern_return_t echo_rpc(mach_port_t server, int token, int *out)
{
	union {
		echo_request_t req;
		struct { echo_reply_t rep; mach_msg_max_trailer_t t; } rep;
	} m;
	mach_port_t reply = mig_get_reply_port();
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.req.Head.msgh_size = sizeof(m.req);
	m.req.Head.msgh_remote_port = server;
	m.req.Head.msgh_local_port = reply;
	m.req.Head.msgh_id = ECHO_ID;
	m.req.NDR = NDR_record;
	m.req.token = token;
	mr = mach_msg(&m.req.Head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req), sizeof(m.rep),
		      reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		mig_dealloc_reply_port(reply);
		return mr;
	}
	if (m.rep.rep.Head.msgh_id != ECHO_ID + 100)
		return MIG_REPLY_MISMATCH;
	if (m.rep.rep.RetCode != KERN_SUCCESS)
		return m.rep.rep.RetCode;
	*out = m.rep.rep.token;
	return KERN_SUCCESS;
}

static void *other_thread_reply_port(void *arg)
{
	*(mach_port_t *)arg = mig_get_reply_port();
	return NULL;
}

static void *server_thread(void *arg)
{
	mach_msg_server(echo_demux, sizeof(echo_request_t) + 64, *(mach_port_t *)arg, 0);
	return NULL;
}

static mach_port_t member[2];

static void *client_thread(void *arg)
{
	int id = (int)(long)arg, i, got;

	for (i = 0; i < 300; i++) {
		int token = id * 100000 + i;

		got = -1;
		KR(echo_rpc(member[i & 1], token, &got), KERN_SUCCESS);
		CHECK(got == token);
	}
	return NULL;
}

int main(void)
{
	mach_port_t task = mach_task_self(), p, q, x, prev;
	mach_port_type_t type;
	mach_port_urefs_t refs;
	pthread_t th;

	/* --- the per-thread MIG reply port --- */
	p = mig_get_reply_port();
	CHECK(MACH_PORT_VALID(p));
	CHECK(mig_get_reply_port() == p);
	KR(mach_port_type(task, p, &type), KERN_SUCCESS);
	CHECK(type == MACH_PORT_TYPE_RECEIVE);
	q = MACH_PORT_NULL;
	pthread_create(&th, NULL, other_thread_reply_port, &q);
	pthread_join(th, NULL);
	CHECK(MACH_PORT_VALID(q) && q != p);
	mig_put_reply_port(p);
	CHECK(mig_get_reply_port() == p);
	mig_dealloc_reply_port(p);
	KR(mach_port_type(task, p, &type), KERN_INVALID_NAME);
	q = mig_get_reply_port();
	KR(mach_port_type(task, q, &type), KERN_SUCCESS);
	CHECK(type == MACH_PORT_TYPE_RECEIVE);
	/* a name passed that is not the cached port loses a reference too */
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &x), KERN_SUCCESS);
	KR(mach_port_insert_right(task, x, x, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	mig_dealloc_reply_port(x);
	KR(mach_port_get_refs(task, x, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	CHECK(refs == 0);
	KR(mach_port_type(task, q, &type), KERN_INVALID_NAME);
	/* with nothing cached it does nothing */
	KR(mach_port_insert_right(task, x, x, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	mig_dealloc_reply_port(x);
	KR(mach_port_get_refs(task, x, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	CHECK(refs == 1);

	/* --- MIG-path calls: a non-send-once notify right, a prototype port --- */
	KR(mach_port_request_notification(task, x, MACH_NOTIFY_NO_SENDERS, 0, x,
		MACH_MSG_TYPE_MAKE_SEND, &prev), MIG_TYPE_ERROR);
	KR(mach_port_request_notification(task, x, MACH_NOTIFY_NO_SENDERS, 0, x,
		MACH_MSG_TYPE_COPY_SEND, &prev), MIG_TYPE_ERROR);
	KR(mach_port_get_refs(task, x, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
	CHECK(refs == 1);
	KR(mach_port_request_notification(task, x, MACH_NOTIFY_NO_SENDERS, 0, 0x12345,
		MACH_MSG_TYPE_COPY_SEND, &prev), MACH_SEND_INVALID_RIGHT);
	KR(mach_port_request_notification(task, x, MACH_NOTIFY_NO_SENDERS, 0, x,
		MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
	CHECK(prev == MACH_PORT_NULL);
	{
		mach_port_qos_t qos;
		mach_port_name_t n = MACH_PORT_NULL;

		memset(&qos, 0, sizeof(qos));
		KR(mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE, x, &qos, &n), KERN_INVALID_VALUE);
		KR(mach_port_get_refs(task, x, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
		CHECK(refs == 1);
		KR(mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE, 0x12345, &qos, &n),
			MACH_SEND_INVALID_RIGHT);
		KR(mach_port_allocate_full(task, MACH_PORT_RIGHT_RECEIVE, MACH_PORT_NULL, &qos, &n),
			KERN_SUCCESS);
		mach_port_mod_refs(task, n, MACH_PORT_RIGHT_RECEIVE, -1);
	}

	/* --- undeliverable replies are destroyed with their reply right --- */
	{
		mach_port_t srv, r;
		echo_request_t req;
		mach_msg_type_number_t before;

		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &srv), KERN_SUCCESS);
		KR(mach_port_insert_right(task, srv, srv, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);

		/*
		 * The client's reply port dies while the request is served: the
		 * server's send-once right turns into a dead name, and the failed
		 * reply releases it.
		 */
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &r), KERN_SUCCESS);
		memset(&req, 0, sizeof(req));
		req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		req.Head.msgh_size = sizeof(req);
		req.Head.msgh_remote_port = srv;
		req.Head.msgh_local_port = r;
		req.Head.msgh_id = ECHO_ID;
		KR(mach_msg(&req.Head, MACH_SEND_MSG, sizeof(req), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
			KERN_SUCCESS);
		doomed = r;
		before = name_count();
		KR(mach_msg_server_once(echo_demux, sizeof(echo_request_t) + 64, srv, 0), KERN_SUCCESS);
		CHECK(name_count() == before - 1);

		/* a send right to a full reply port: the timed-out reply gives it back, then it goes */
		KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &r), KERN_SUCCESS);
		{
			mach_port_limits_t lim = { .mpl_qlimit = 1 };
			mach_msg_header_t h;

			KR(mach_port_set_attributes(task, r, MACH_PORT_LIMITS_INFO,
				(mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT), KERN_SUCCESS);
			memset(&h, 0, sizeof(h));
			h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0);
			h.msgh_size = sizeof(h);
			h.msgh_remote_port = r;
			KR(mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
				KERN_SUCCESS);
		}
		req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
		req.Head.msgh_local_port = r;
		KR(mach_msg(&req.Head, MACH_SEND_MSG, sizeof(req), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
			KERN_SUCCESS);
		KR(mach_msg_server_once(echo_demux, sizeof(echo_request_t) + 64, srv, 0), KERN_SUCCESS);
		KR(mach_port_get_refs(task, r, MACH_PORT_RIGHT_SEND, &refs), KERN_SUCCESS);
		CHECK(refs == 0);
		mach_port_mod_refs(task, r, MACH_PORT_RIGHT_RECEIVE, -1);

		/* a request larger than max_size: served with MACH_RCV_LARGE ... */
		{
			struct { echo_request_t req; char more[6000]; } big;
			int got = 0;
			mach_port_t rp = mig_get_reply_port();
			struct { echo_reply_t rep; mach_msg_max_trailer_t t; } rep;

			memset(&big, 0, sizeof(big));
			big.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
							       MACH_MSG_TYPE_MAKE_SEND_ONCE);
			big.req.Head.msgh_size = sizeof(big);
			big.req.Head.msgh_remote_port = srv;
			big.req.Head.msgh_local_port = rp;
			big.req.Head.msgh_id = ECHO_ID;
			big.req.token = 4242;
			KR(mach_msg(&big.req.Head, MACH_SEND_MSG, sizeof(big), 0, MACH_PORT_NULL, 0,
				MACH_PORT_NULL), KERN_SUCCESS);
			KR(mach_msg_server_once(echo_demux, 64, srv, MACH_RCV_LARGE), KERN_SUCCESS);
			KR(mach_msg(&rep.rep.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(rep), rp, 0,
				MACH_PORT_NULL), KERN_SUCCESS);
			got = rep.rep.token;
			CHECK(got == 4242);
			/* ... and without it the request is destroyed: its send-once right fires */
			KR(mach_msg(&big.req.Head, MACH_SEND_MSG, sizeof(big), 0, MACH_PORT_NULL, 0,
				MACH_PORT_NULL), KERN_SUCCESS);
			KR(mach_msg_server_once(echo_demux, 64, srv, 0), MACH_RCV_TOO_LARGE);
			KR(mach_msg(&rep.rep.Head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(rep), rp, 0,
				MACH_PORT_NULL), KERN_SUCCESS);
			CHECK(rep.rep.Head.msgh_id == MACH_NOTIFY_SEND_ONCE);
		}
		mach_port_mod_refs(task, srv, MACH_PORT_RIGHT_RECEIVE, -1);
		mach_port_deallocate(task, srv);
	}

	/* --- bootstrap error codes --- */
	{
		char name[64], longname[300];
		mach_port_t sp = MACH_PORT_NULL, sp2, look;

		snprintf(name, sizeof(name), "org.example.migedges.%d", (int)getpid());
		KR(bootstrap_look_up(bootstrap_port, name, &look), BOOTSTRAP_UNKNOWN_SERVICE);
		KR(bootstrap_check_in(bootstrap_port, name, &sp), BOOTSTRAP_SUCCESS);
		KR(bootstrap_check_in(bootstrap_port, name, &sp2), BOOTSTRAP_SERVICE_ACTIVE);
		KR(bootstrap_look_up(bootstrap_port, name, &look), BOOTSTRAP_SUCCESS);
		CHECK(look == sp);	/* our own receive right's name */
		CHECK(strcmp(bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE), "Unknown service name") == 0);
		CHECK(strcmp(bootstrap_strerror(BOOTSTRAP_SERVICE_ACTIVE), "Service already active") == 0);
		CHECK(strcmp(bootstrap_strerror(BOOTSTRAP_NAME_IN_USE), "Service name already exists") == 0);
		CHECK(strcmp(bootstrap_strerror(BOOTSTRAP_NOT_PRIVILEGED), "Permission denied") == 0);
		/* a name past BOOTSTRAP_MAX_NAME_LEN - 1 is cut short on the way */
		memset(longname, 'a', sizeof(longname) - 1);
		longname[sizeof(longname) - 1] = '\0';
		snprintf(longname, 20, "%d.", (int)getpid());
		longname[strlen(longname)] = 'a';
		KR(bootstrap_check_in(bootstrap_port, longname, &sp2), BOOTSTRAP_SUCCESS);
		longname[BOOTSTRAP_MAX_NAME_LEN - 1] = '\0';
		KR(bootstrap_look_up(bootstrap_port, longname, &look), BOOTSTRAP_SUCCESS);
		CHECK(look == sp2);
		mach_port_deallocate(task, look);
		mach_port_mod_refs(task, sp2, MACH_PORT_RIGHT_RECEIVE, -1);

		/* --- four server threads on a port set; client threads and processes --- */
		{
			mach_port_t pset;
			pthread_t servers[4], clients[8];
			pid_t kids[3];
			int i, st;

			KR(mach_port_allocate(task, MACH_PORT_RIGHT_PORT_SET, &pset), KERN_SUCCESS);
			member[0] = sp;
			KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &member[1]), KERN_SUCCESS);
			KR(mach_port_insert_right(task, member[0], member[0], MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
			KR(mach_port_insert_right(task, member[1], member[1], MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
			KR(mach_port_move_member(task, member[0], pset), KERN_SUCCESS);
			KR(mach_port_move_member(task, member[1], pset), KERN_SUCCESS);
			for (i = 0; i < 4; i++)
				pthread_create(&servers[i], NULL, server_thread, &pset);
			for (i = 0; i < 3; i++) {
				kids[i] = fork();
				CHECK(kids[i] >= 0);
				if (kids[i] == 0) {
					mach_port_t s;
					int j, got;

					KR(bootstrap_look_up(bootstrap_port, name, &s), BOOTSTRAP_SUCCESS);
					for (j = 0; j < 300; j++) {
						int token = (i + 50) * 100000 + j;

						got = -1;
						KR(echo_rpc(s, token, &got), KERN_SUCCESS);
						CHECK(got == token);
					}
					/* a bad msgh_id: the demux's MIG_BAD_ID reply */
					{
						union { echo_request_t req; struct { echo_reply_t rep; mach_msg_max_trailer_t t; } rep; } m;
						mach_port_t rp = mig_get_reply_port();

						memset(&m, 0, sizeof(m));
						m.req.Head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
						m.req.Head.msgh_size = sizeof(m.req);
						m.req.Head.msgh_remote_port = s;
						m.req.Head.msgh_local_port = rp;
						m.req.Head.msgh_id = ECHO_ID + 7;
						KR(mach_msg(&m.req.Head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req),
							sizeof(m.rep), rp, 0, MACH_PORT_NULL), KERN_SUCCESS);
						CHECK(m.rep.rep.Head.msgh_id == ECHO_ID + 107);
						CHECK(m.rep.rep.RetCode == MIG_BAD_ID);
					}
					exit(0);
				}
			}
			for (i = 0; i < 8; i++)
				pthread_create(&clients[i], NULL, client_thread, (void *)(long)(i + 1));
			for (i = 0; i < 8; i++)
				pthread_join(clients[i], NULL);
			for (i = 0; i < 3; i++) {
				CHECK(waitpid(kids[i], &st, 0) == kids[i]);
				CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
			}
		}
	}

	/* --- a server that died: its name is gone --- */
	{
		char name[64];
		mach_port_t look;
		pid_t kid;
		int st;

		snprintf(name, sizeof(name), "org.example.migedges.dead.%d", (int)getpid());
		kid = fork();
		CHECK(kid >= 0);
		if (kid == 0) {
			mach_port_t sp;

			KR(bootstrap_check_in(bootstrap_port, name, &sp), BOOTSTRAP_SUCCESS);
			exit(0);
		}
		CHECK(waitpid(kid, &st, 0) == kid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
		KR(bootstrap_look_up(bootstrap_port, name, &look), BOOTSTRAP_UNKNOWN_SERVICE);
	}

	printf("mig_server_edges: ok\n");
	return 0;
}
