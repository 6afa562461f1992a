/*
 * mach_msg edge cases and their exact XNU return codes: send sizes, bad
 * headers, vouchers, descriptor counts, MACH_RCV_TOO_LARGE destroying the
 * message, port sets losing members, signals and MACH_RCV_INTERRUPT, many
 * receivers on one port, mach_msg_overwrite with two buffers.
 */
#include <mach/mach.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static int fail;
#define CHECK(c, ...) do { if (!(c)) { printf("FAIL line %d: ", __LINE__); \
	printf(__VA_ARGS__); printf("\n"); fail = 1; } } while (0)
#define KR(x) do { kern_return_t _kr = (x); CHECK(_kr == KERN_SUCCESS, "%s: %#x", #x, _kr); } while (0)

static mach_port_t new_port(void)
{
	mach_port_t p;

	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p));
	KR(mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND));
	return p;
}

static mach_port_urefs_t refs(mach_port_t p, mach_port_right_t r)
{
	mach_port_urefs_t n = 0;

	mach_port_get_refs(mach_task_self(), p, r, &n);
	return n;
}

static mach_msg_return_t send_simple(mach_port_t dest, mach_msg_bits_t bits, mach_port_t local,
				     mach_msg_size_t size, mach_msg_id_t id, mach_msg_option_t opt,
				     mach_msg_timeout_t to)
{
	union { mach_msg_header_t h; char buf[512]; } m;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = bits;
	m.h.msgh_remote_port = dest;
	m.h.msgh_local_port = local;
	m.h.msgh_size = size;
	m.h.msgh_id = id;
	return mach_msg(&m.h, MACH_SEND_MSG | opt, size, 0, MACH_PORT_NULL, to, MACH_PORT_NULL);
}

static mach_msg_return_t rcv(mach_port_t p, void *buf, mach_msg_size_t size, mach_msg_option_t opt,
			     mach_msg_timeout_t to)
{
	return mach_msg((mach_msg_header_t *)buf, MACH_RCV_MSG | opt, 0, size, p, to, MACH_PORT_NULL);
}

static int queued(mach_port_t p)
{
	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;

	if (mach_port_get_attributes(mach_task_self(), p, MACH_PORT_RECEIVE_STATUS,
				     (mach_port_info_t)&st, &cnt) != KERN_SUCCESS)
		return -1;
	return (int)st.mps_msgcount;
}

static void test_sizes(void)
{
	mach_port_t p = new_port();
	mach_msg_bits_t cs = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	vm_address_t page = 0;
	mach_msg_return_t mr;

	/* Smaller than a header, or not a multiple of 4. */
	CHECK((mr = send_simple(p, cs, 0, 20, 1, 0, 0)) == MACH_SEND_MSG_TOO_SMALL, "size 20: %#x", mr);
	CHECK((mr = send_simple(p, cs, 0, 0, 1, 0, 0)) == MACH_SEND_MSG_TOO_SMALL, "size 0: %#x", mr);
	CHECK((mr = send_simple(p, cs, 0, 30, 1, 0, 0)) == MACH_SEND_MSG_TOO_SMALL, "size 30: %#x", mr);
	CHECK((mr = send_simple(p, cs, 0, 26, 1, 0, 0)) == MACH_SEND_MSG_TOO_SMALL, "size 26: %#x", mr);
	CHECK(queued(p) == 0, "queued %d", queued(p));
	CHECK(refs(p, MACH_PORT_RIGHT_SEND) == 1, "send refs %u", refs(p, MACH_PORT_RIGHT_SEND));

	/* Larger than any message can be. */
	{
		mach_msg_header_t h = { .msgh_bits = cs, .msgh_remote_port = p, .msgh_id = 2 };

		mr = mach_msg(&h, MACH_SEND_MSG, 128u << 20, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
		CHECK(mr == MACH_SEND_TOO_LARGE, "128MB send: %#x", mr);
	}

	/* The send size runs past the mapped buffer: the copy-in fails. */
	KR(vm_allocate(mach_task_self(), &page, 2 * vm_page_size, VM_FLAGS_ANYWHERE));
	KR(vm_deallocate(mach_task_self(), page + vm_page_size, vm_page_size));
	{
		mach_msg_header_t *h = (mach_msg_header_t *)(page + vm_page_size - 32);

		memset(h, 0, 32);
		h->msgh_bits = cs;
		h->msgh_remote_port = p;
		h->msgh_size = 64;
		mr = mach_msg(h, MACH_SEND_MSG, 64, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
		CHECK(mr == MACH_SEND_INVALID_DATA, "send past the buffer: %#x", mr);
	}
	KR(vm_deallocate(mach_task_self(), page, vm_page_size));
	CHECK(queued(p) == 0, "queued %d", queued(p));
	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
}

static void test_headers(void)
{
	mach_port_t p = new_port(), r = new_port();
	mach_msg_return_t mr;
	struct { mach_msg_header_t h; mach_msg_trailer_t t; char pad[64]; } m;

	/* Destination dispositions that are not send rights. */
	mr = send_simple(p, MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_RECEIVE, 0), 0, 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_HEADER, "dest MOVE_RECEIVE: %#x", mr);
	mr = send_simple(p, MACH_MSGH_BITS(0, 0), 0, 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_HEADER, "dest disposition 0: %#x", mr);
	mr = send_simple(p, MACH_MSGH_BITS(22, 0), 0, 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_HEADER, "dest disposition 22: %#x", mr);
	mr = send_simple(p, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MOVE_RECEIVE), r,
			 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_HEADER, "local MOVE_RECEIVE: %#x", mr);
	/* A reply port with no disposition, bits outside MACH_MSGH_BITS_USER. */
	mr = send_simple(p, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), r, 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_HEADER, "reply port without disposition: %#x", mr);
	mr = send_simple(p, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | 0x00002000, 0, 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_HEADER, "unknown bits: %#x", mr);
	/* A valid disposition on a null destination. */
	mr = send_simple(MACH_PORT_NULL, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 0, 24, 1, 0, 0);
	CHECK(mr == MACH_SEND_INVALID_DEST, "null dest: %#x", mr);
	CHECK(queued(p) == 0, "queued %d", queued(p));
	CHECK(refs(p, MACH_PORT_RIGHT_SEND) == 1 && refs(r, MACH_PORT_RIGHT_RECEIVE) == 1,
	      "rights changed");

	/* Voucher bits with a null voucher name: accepted, nothing arrives. */
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_remote_port = p;
	m.h.msgh_voucher_port = MACH_PORT_NULL;
	m.h.msgh_id = 77;
	mr = mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	CHECK(mr == MACH_MSG_SUCCESS, "null voucher: %#x", mr);
	memset(&m, 0xaa, sizeof(m));
	mr = rcv(p, &m, sizeof(m), MACH_RCV_TIMEOUT, 0);
	CHECK(mr == MACH_MSG_SUCCESS && m.h.msgh_id == 77, "rcv null voucher: %#x", mr);
	CHECK(MACH_MSGH_BITS_VOUCHER(m.h.msgh_bits) == 0 && m.h.msgh_voucher_port == 0,
	      "voucher arrived: bits %#x port %#x", m.h.msgh_bits, m.h.msgh_voucher_port);

	/* An ordinary port is not a voucher. */
	m.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_remote_port = p;
	m.h.msgh_local_port = 0;
	m.h.msgh_voucher_port = r;
	m.h.msgh_size = sizeof(m.h);
	mr = mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	CHECK(mr == MACH_SEND_INVALID_VOUCHER, "port as voucher: %#x", mr);
	CHECK(queued(p) == 0 && refs(r, MACH_PORT_RIGHT_SEND) == 1, "after bad voucher");

	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
	KR(mach_port_destruct(mach_task_self(), r, -1, 0));
}

static void test_descriptor_count(void)
{
	mach_port_t p = new_port();
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_port_descriptor_t d;
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_remote_port = p;
	m.b.msgh_descriptor_count = 5;		/* room for one */
	m.d.name = p;
	m.d.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.d.type = MACH_MSG_PORT_DESCRIPTOR;
	mr = mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	CHECK(mr == MACH_SEND_MSG_TOO_SMALL, "5 descriptors in room for 1: %#x", mr);
	CHECK(queued(p) == 0, "queued %d", queued(p));
	CHECK(refs(p, MACH_PORT_RIGHT_SEND) == 1, "send refs %u", refs(p, MACH_PORT_RIGHT_SEND));
	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
}

/* Without MACH_RCV_LARGE the message is destroyed: its rights go. */
static void test_too_large(void)
{
	mach_port_t p = new_port(), reply, q, notify, prev;
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_port_descriptor_t d;
		char data[200];
	} m;
	union { mach_msg_header_t h; char buf[64]; } small;
	struct { mach_msg_header_t h; char rest[128]; } n;
	mach_msg_return_t mr;

	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply));
	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &q));
	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &notify));
	KR(mach_port_insert_right(mach_task_self(), q, q, MACH_MSG_TYPE_MAKE_SEND));
	KR(mach_port_request_notification(mach_task_self(), q, MACH_NOTIFY_NO_SENDERS, 0, notify,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev));

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE) |
			MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_remote_port = p;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = 4242;
	m.b.msgh_descriptor_count = 1;
	m.d.name = q;
	m.d.disposition = MACH_MSG_TYPE_MOVE_SEND;	/* our only send right */
	m.d.type = MACH_MSG_PORT_DESCRIPTOR;
	KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));

	memset(&small, 0xaa, sizeof(small));
	mr = rcv(p, &small, sizeof(small), MACH_RCV_TIMEOUT, 0);
	CHECK(mr == MACH_RCV_TOO_LARGE, "small receive: %#x", mr);
	CHECK(small.h.msgh_size == sizeof(mach_msg_header_t), "header size %u", small.h.msgh_size);
	CHECK(small.h.msgh_id == 4242, "id %d", small.h.msgh_id);
	CHECK(small.h.msgh_local_port == p && small.h.msgh_remote_port == MACH_PORT_NULL,
	      "ports local %#x remote %#x", small.h.msgh_local_port, small.h.msgh_remote_port);
	CHECK(queued(p) == 0, "message still queued: %d", queued(p));
	mr = rcv(p, &n, sizeof(n), MACH_RCV_TIMEOUT, 0);
	CHECK(mr == MACH_RCV_TIMED_OUT, "second receive: %#x", mr);

	/* The reply right was destroyed: a send-once notification. */
	memset(&n, 0, sizeof(n));
	mr = rcv(reply, &n, sizeof(n), MACH_RCV_TIMEOUT, 1000);
	CHECK(mr == MACH_MSG_SUCCESS && n.h.msgh_id == MACH_NOTIFY_SEND_ONCE,
	      "reply port: %#x id %d", mr, n.h.msgh_id);
	/* The carried send right was destroyed: q has no senders. */
	memset(&n, 0, sizeof(n));
	mr = rcv(notify, &n, sizeof(n), MACH_RCV_TIMEOUT, 1000);
	CHECK(mr == MACH_MSG_SUCCESS && n.h.msgh_id == MACH_NOTIFY_NO_SENDERS,
	      "no-senders: %#x id %d", mr, n.h.msgh_id);

	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
	KR(mach_port_mod_refs(mach_task_self(), reply, MACH_PORT_RIGHT_RECEIVE, -1));
	KR(mach_port_mod_refs(mach_task_self(), q, MACH_PORT_RIGHT_RECEIVE, -1));
	KR(mach_port_mod_refs(mach_task_self(), notify, MACH_PORT_RIGHT_RECEIVE, -1));
}

/* A zero send timeout on a full queue. */
static void test_full_queue(void)
{
	mach_port_t p = new_port();
	mach_port_limits_t lim = { .mpl_qlimit = 1 };
	mach_msg_bits_t cs = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	mach_msg_return_t mr;

	KR(mach_port_set_attributes(mach_task_self(), p, MACH_PORT_LIMITS_INFO,
				    (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT));
	KR(send_simple(p, cs, 0, 24, 1, MACH_SEND_TIMEOUT, 0));
	mr = send_simple(p, cs, 0, 24, 2, MACH_SEND_TIMEOUT, 0);
	CHECK(mr == MACH_SEND_TIMED_OUT, "zero timeout on a full queue: %#x", mr);
	CHECK(queued(p) == 1, "queued %d", queued(p));
	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
}

struct pset_arg {
	mach_port_t pset;
	mach_msg_return_t mr;
	mach_msg_id_t id;
	mach_port_t local;
};

static void *pset_receiver(void *a)
{
	struct pset_arg *arg = a;
	struct { mach_msg_header_t h; char rest[128]; } m;

	memset(&m, 0, sizeof(m));
	arg->mr = mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), arg->pset, MACH_MSG_TIMEOUT_NONE,
			   MACH_PORT_NULL);
	arg->id = m.h.msgh_id;
	arg->local = m.h.msgh_local_port;
	return NULL;
}

static void test_pset_members(void)
{
	mach_port_t pset, a = new_port(), b = new_port();
	struct pset_arg arg = { 0 };
	pthread_t t;

	KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &pset));
	KR(mach_port_insert_member(mach_task_self(), a, pset));
	KR(mach_port_insert_member(mach_task_self(), b, pset));
	arg.pset = pset;
	pthread_create(&t, NULL, pset_receiver, &arg);
	usleep(200000);
	/* A member dies under the blocked receiver: it keeps waiting. */
	KR(mach_port_destruct(mach_task_self(), a, -1, 0));
	usleep(100000);
	CHECK(arg.mr == 0 && arg.id == 0, "receiver woke: %#x", arg.mr);
	KR(send_simple(b, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 0, 24, 99, 0, 0));
	pthread_join(t, NULL);
	CHECK(arg.mr == MACH_MSG_SUCCESS && arg.id == 99 && arg.local == b,
	      "pset receive: %#x id %d local %#x", arg.mr, arg.id, arg.local);

	/* The set itself dies under the blocked receiver. */
	memset(&arg, 0, sizeof(arg));
	arg.pset = pset;
	pthread_create(&t, NULL, pset_receiver, &arg);
	usleep(200000);
	KR(mach_port_mod_refs(mach_task_self(), pset, MACH_PORT_RIGHT_PORT_SET, -1));
	pthread_join(t, NULL);
	CHECK(arg.mr == MACH_RCV_PORT_CHANGED, "set destroyed under receiver: %#x", arg.mr);
	KR(mach_port_destruct(mach_task_self(), b, -1, 0));
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

struct late_arg { mach_port_t p; unsigned delay_us; };

static void *late_sender(void *a)
{
	struct late_arg *arg = a;

	usleep(arg->delay_us);
	send_simple(arg->p, MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0), 0, 24, 55, 0, 0);
	return NULL;
}

static void test_signals(void)
{
	mach_port_t p = new_port();
	struct sigaction sa;
	struct itimerval it = { .it_value = { .tv_usec = 100000 } };
	struct { mach_msg_header_t h; char rest[64]; } m;
	struct late_arg la = { p, 400000 };
	pthread_t t;
	mach_msg_return_t mr;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);

	/* Without MACH_RCV_INTERRUPT the library restarts the receive. */
	pthread_create(&t, NULL, late_sender, &la);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	memset(&m, 0, sizeof(m));
	mr = mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), p, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	pthread_join(t, NULL);
	CHECK(alarms == 1, "alarm did not fire (%d)", (int)alarms);
	CHECK(mr == MACH_MSG_SUCCESS && m.h.msgh_id == 55, "restarted receive: %#x id %d", mr,
	      m.h.msgh_id);

	/* With it, the receive returns MACH_RCV_INTERRUPTED. */
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	mr = mach_msg(&m.h, MACH_RCV_MSG | MACH_RCV_INTERRUPT | MACH_RCV_TIMEOUT, 0, sizeof(m), p,
		      2000, MACH_PORT_NULL);
	CHECK(alarms == 1 && mr == MACH_RCV_INTERRUPTED, "MACH_RCV_INTERRUPT: %#x (alarms %d)", mr,
	      (int)alarms);
	signal(SIGALRM, SIG_DFL);
	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
}

#define NRECV 4
#define NMSG 200
static int seen[NMSG];
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *a)
{
	mach_port_t p = (mach_port_t)(uintptr_t)a;
	struct { mach_msg_header_t h; int v; mach_msg_trailer_t t; } m;

	for (;;) {
		memset(&m, 0, sizeof(m));
		if (mach_msg(&m.h, MACH_RCV_MSG, 0, sizeof(m), p, MACH_MSG_TIMEOUT_NONE,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			return (void *)1;
		if (m.h.msgh_id == 1000)
			return NULL;
		pthread_mutex_lock(&seen_lock);
		if (m.v >= 0 && m.v < NMSG)
			seen[m.v]++;
		pthread_mutex_unlock(&seen_lock);
	}
}

static void test_many_receivers(void)
{
	mach_port_t p = new_port();
	pthread_t t[NRECV];
	int i;

	for (i = 0; i < NRECV; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)p);
	for (i = 0; i < NMSG + NRECV; i++) {
		struct { mach_msg_header_t h; int v; } m = {
			.h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			       .msgh_size = sizeof(m), .msgh_remote_port = p,
			       .msgh_id = i < NMSG ? 1 : 1000 },
			.v = i,
		};
		KR(mach_msg(&m.h, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL));
	}
	for (i = 0; i < NRECV; i++) {
		void *r;

		pthread_join(t[i], &r);
		CHECK(r == NULL, "receiver %d failed", i);
	}
	for (i = 0; i < NMSG; i++)
		CHECK(seen[i] == 1, "message %d received %d times", i, seen[i]);
	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
}

static void test_overwrite(void)
{
	mach_port_t p = new_port();
	struct { mach_msg_header_t h; int v[4]; } out;
	struct { mach_msg_header_t h; int v[4]; mach_msg_trailer_t t; } in;
	mach_msg_return_t mr;

	memset(&out, 0, sizeof(out));
	out.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	out.h.msgh_remote_port = p;
	out.h.msgh_id = 31;
	out.v[0] = 1; out.v[3] = 4;
	memset(&in, 0xaa, sizeof(in));
	mr = mach_msg_overwrite(&out.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(out), sizeof(in), p,
				MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL, &in.h, 0);
	CHECK(mr == MACH_MSG_SUCCESS, "overwrite: %#x", mr);
	CHECK(in.h.msgh_id == 31 && in.v[0] == 1 && in.v[3] == 4 && in.h.msgh_size == sizeof(out),
	      "received id %d size %u", in.h.msgh_id, in.h.msgh_size);
	CHECK(in.t.msgh_trailer_type == MACH_MSG_TRAILER_FORMAT_0 &&
	      in.t.msgh_trailer_size == sizeof(mach_msg_trailer_t), "trailer");
	CHECK(out.h.msgh_remote_port == p && out.h.msgh_id == 31 &&
	      out.h.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
	      "send buffer changed: bits %#x", out.h.msgh_bits);
	KR(mach_port_destruct(mach_task_self(), p, -1, 0));
}

/* task_info(TASK_AUDIT_TOKEN) on ourselves. */
static void test_audit_token(void)
{
	audit_token_t tok;
	mach_msg_type_number_t cnt = TASK_AUDIT_TOKEN_COUNT;

	CHECK(TASK_AUDIT_TOKEN == 15 && TASK_AUDIT_TOKEN_COUNT == 8, "TASK_AUDIT_TOKEN constants");
	memset(&tok, 0xff, sizeof(tok));
	KR(task_info(mach_task_self(), TASK_AUDIT_TOKEN, (task_info_t)&tok, &cnt));
	CHECK(cnt == TASK_AUDIT_TOKEN_COUNT, "count %u", cnt);
	CHECK(tok.val[5] == (unsigned)getpid() && tok.val[1] == geteuid() && tok.val[2] == getegid(),
	      "token pid %u euid %u egid %u", tok.val[5], tok.val[1], tok.val[2]);
	cnt = TASK_AUDIT_TOKEN_COUNT - 1;
	CHECK(task_info(mach_task_self(), TASK_AUDIT_TOKEN, (task_info_t)&tok, &cnt) ==
	      KERN_INVALID_ARGUMENT, "short count");
}

int main(void)
{
	test_sizes();
	test_headers();
	test_descriptor_count();
	test_too_large();
	test_full_queue();
	test_pset_members();
	test_signals();
	test_many_receivers();
	test_overwrite();
	test_audit_token();
	if (fail)
		return 1;
	printf("msg_edges: all checks passed\n");
	return 0;
}
