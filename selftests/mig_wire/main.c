// SPDX-License-Identifier: GPL-2.0
/*
 * mig_wire: the bytes of the messages tools/mig's stubs make, message by
 * message, against the layouts XNU's MIG messages have (LP64, structs
 * packed to 4: header 24, body 4, port descriptor 12, out-of-line
 * descriptor 16, NDR record 8; replies id + 100; complex replies without
 * RetCode; errors as mig_reply_error_t).
 *
 *   layout   sizeof/offsetof of the generated request and reply types
 *   user     the user stubs talk to a raw receiver (a thread here) that
 *            checks every byte it gets and answers with hand-made replies,
 *            good and bad: MIG_REPLY_MISMATCH, MIG_TYPE_ERROR,
 *            MIG_SERVER_DIED, an error RetCode
 *   server   hand-made requests fed to the generated demux: the reply's
 *            bytes, and MIG_BAD_ID, MIG_BAD_ARGUMENTS and MIG_TYPE_ERROR
 *            for malformed ones
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "mig_util.h"

#include "migwire.h"
#include "migwireServer.h"

#define LAYOUT(type, size) \
	CHECK(sizeof(type) == (size), "sizeof(" #type ") %zu, want %d", sizeof(type), (size))
#define OFFSET(type, field, off) \
	CHECK(offsetof(type, field) == (off), "offsetof(" #type ", " #field ") %zu, want %d", \
	      offsetof(type, field), (off))

static void test_layout(void)
{
	/* header 24, NDR at 24, then data packed to 4: the int64_t at 36, not 40 */
	LAYOUT(__Request__r_scalars_t, 44);
	OFFSET(__Request__r_scalars_t, NDR, 24);
	OFFSET(__Request__r_scalars_t, a, 32);
	OFFSET(__Request__r_scalars_t, b, 36);
	LAYOUT(__Reply__r_scalars_t, 44);
	OFFSET(__Reply__r_scalars_t, RetCode, 32);
	OFFSET(__Reply__r_scalars_t, c, 36);
	/* only a port: body and descriptor, no NDR; the reply has no RetCode */
	LAYOUT(__Request__r_port_t, 40);
	OFFSET(__Request__r_port_t, msgh_body, 24);
	OFFSET(__Request__r_port_t, p, 28);
	LAYOUT(__Reply__r_port_t, 40);
	OFFSET(__Reply__r_port_t, q, 28);
	/* out-of-line: 16-byte descriptor, then NDR and the count */
	LAYOUT(__Request__r_ool_t, 56);
	OFFSET(__Request__r_ool_t, d, 28);
	OFFSET(__Request__r_ool_t, NDR, 44);
	OFFSET(__Request__r_ool_t, dCnt, 52);
	LAYOUT(__Reply__r_ool_t, 56);
	OFFSET(__Reply__r_ool_t, eCnt, 52);
	/* variable: offset, count, data at its largest, padding to 4 */
	LAYOUT(__Request__r_var_t, 76);
	OFFSET(__Request__r_var_t, sOffset, 32);
	OFFSET(__Request__r_var_t, sCnt, 36);
	OFFSET(__Request__r_var_t, s, 40);
	OFFSET(__Request__r_var_t, aCnt, 56);
	OFFSET(__Request__r_var_t, a, 60);
	OFFSET(__Request__r_var_t, t, 72);
	LAYOUT(__Reply__r_var_t, 40);
	LAYOUT(__Request__r_one_t, 36);
	LAYOUT(mig_reply_error_t, 36);
	CHECK(w_migwire_subsystem.start == 5600 && w_migwire_subsystem.end == 5605, "ids %d..%d",
	      w_migwire_subsystem.start, w_migwire_subsystem.end);
	CHECK(w_migwire_subsystem.maxsize == 56, "maxsize %u", w_migwire_subsystem.maxsize);
	/* argc: one word per int, two per int64_t; one per port or array */
	CHECK(w_migwire_subsystem.routine[0].argc == 5, "r_scalars argc %u",
	      w_migwire_subsystem.routine[0].argc);
	CHECK(w_migwire_subsystem.routine[0].max_reply_msg == 44, "r_scalars max reply %u",
	      w_migwire_subsystem.routine[0].max_reply_msg);
	CHECK(w_migwire_subsystem.routine[0].descr_count == 0 &&
	      w_migwire_subsystem.routine[0].impl_routine == 0 &&
	      w_migwire_subsystem.routine[0].arg_descr == 0, "routine descriptor");
}

/* ---- the user stubs against a raw receiver ---- */

static mach_port_t rcv_port;

union raw {
	mach_msg_header_t h;
	mig_reply_error_t err;
	char bytes[1024];
};

static kern_return_t raw_receive(union raw *m)
{
	memset(m, 0xa5, sizeof(*m));
	return mach_msg(&m->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*m), rcv_port, 10000,
			MACH_PORT_NULL);
}

/* Answer request 'req' with 'size' bytes of 'rep' (header filled here). */
static void raw_reply(const union raw *req, union raw *rep, mach_msg_size_t size,
		      mach_msg_id_t id, bool complex)
{
	kern_return_t kr;

	rep->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
			   (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	rep->h.msgh_size = size;
	rep->h.msgh_remote_port = req->h.msgh_remote_port;
	rep->h.msgh_local_port = MACH_PORT_NULL;
	rep->h.msgh_voucher_port = 0;
	rep->h.msgh_id = id;
	kr = mach_msg(&rep->h, MACH_SEND_MSG, size, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	CHECK_KR(KERN_SUCCESS, kr, "raw reply");
}

static int ndr_ok(const void *p)
{
	return memcmp(p, &NDR_record, sizeof(NDR_record_t)) == 0;
}

static void check_request_header(const union raw *m, mach_msg_id_t id, mach_msg_size_t size,
				 bool complex)
{
	CHECK(m->h.msgh_id == id, "id %d, want %d", m->h.msgh_id, id);
	CHECK(m->h.msgh_size == size, "id %d: size %u, want %u", id, m->h.msgh_size, size);
	CHECK(!!(m->h.msgh_bits & MACH_MSGH_BITS_COMPLEX) == complex, "id %d: bits %#x", id,
	      m->h.msgh_bits);
	/* sent as copy-send and make-send-once, they arrive as send and send-once */
	CHECK(MACH_MSGH_BITS_LOCAL(m->h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND, "id %d: local %u",
	      id, MACH_MSGH_BITS_LOCAL(m->h.msgh_bits));
	CHECK(MACH_MSGH_BITS_REMOTE(m->h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND_ONCE,
	      "id %d: remote %u", id, MACH_MSGH_BITS_REMOTE(m->h.msgh_bits));
	CHECK(m->h.msgh_local_port == rcv_port, "id %d: local port", id);
}

#define AT(m, off, type) (*(type *)((char *)(m) + (off)))

/* What the receiver thread does for each scripted case. */
enum reply_kind { R_GOOD, R_BAD_ID, R_BAD_SIZE, R_ERROR, R_COMPLEX, R_DIE, R_NOTIFY_ID };

struct script {
	mach_msg_id_t id;
	enum reply_kind kind;
};

static const struct script script[] = {
	{ 5600, R_GOOD }, { 5600, R_BAD_ID }, { 5600, R_BAD_SIZE }, { 5600, R_ERROR },
	{ 5600, R_COMPLEX }, { 5600, R_DIE }, { 5600, R_NOTIFY_ID },
	{ 5601, R_GOOD }, { 5601, R_BAD_SIZE }, { 5601, R_ERROR },
	{ 5602, R_GOOD }, { 5602, R_BAD_SIZE },
	{ 5603, R_GOOD }, { 5603, R_GOOD }, { 5603, R_BAD_SIZE },
	{ 5604, R_GOOD },
};
#define N_SCRIPT (sizeof(script) / sizeof(script[0]))

static void serve_scalars(const union raw *m, enum reply_kind kind)
{
	union raw r;

	check_request_header(m, 5600, 44, false);
	CHECK(ndr_ok(m->bytes + 24), "r_scalars: NDR record");
	CHECK(AT(m, 32, int) == -7, "r_scalars: a %d", AT(m, 32, int));
	CHECK(AT(m, 36, int64_t) == 0x1122334455667788ll, "r_scalars: b %#llx",
	      (unsigned long long)AT(m, 36, int64_t));
	memset(&r, 0, sizeof(r));
	memcpy(r.bytes + 24, &NDR_record, 8);
	switch (kind) {
	case R_GOOD:
		AT(&r, 32, kern_return_t) = KERN_SUCCESS;
		AT(&r, 36, int64_t) = -0x55ll;
		raw_reply(m, &r, 44, 5700, false);
		break;
	case R_BAD_ID:
		raw_reply(m, &r, 44, 5701, false);
		break;
	case R_BAD_SIZE:
		raw_reply(m, &r, 40, 5700, false);
		break;
	case R_ERROR:
		AT(&r, 32, kern_return_t) = KERN_NO_SPACE;
		raw_reply(m, &r, sizeof(mig_reply_error_t), 5700, false);
		break;
	case R_COMPLEX:
		AT(&r, 24, mach_msg_size_t) = 0;	/* a body with no descriptors */
		raw_reply(m, &r, 44, 5700, true);
		break;
	case R_NOTIFY_ID:
		raw_reply(m, &r, 44, MACH_NOTIFY_SEND_ONCE, false);
		break;
	case R_DIE:
		/* drop the reply right: the kernel sends a send-once notification */
		mach_port_deallocate(mach_task_self(), m->h.msgh_remote_port);
		break;
	}
}

static mach_port_t wire_port;	/* a receive right the client sends over */

static void serve_port(const union raw *m, enum reply_kind kind)
{
	union raw r;

	check_request_header(m, 5601, 40, true);
	CHECK(AT(m, 24, mach_msg_size_t) == 1, "r_port: %u descriptors", AT(m, 24, mach_msg_size_t));
	CHECK(AT(m, 28, mach_port_t) == wire_port, "r_port: name %#x vs %#x", AT(m, 28, mach_port_t),
	      wire_port);
	CHECK(m->bytes[39] == MACH_MSG_PORT_DESCRIPTOR, "r_port: descriptor type %d", m->bytes[39]);
	CHECK(m->bytes[38] == MACH_MSG_TYPE_PORT_SEND, "r_port: disposition %d", m->bytes[38]);
	memset(&r, 0, sizeof(r));
	if (kind == R_ERROR) {
		memcpy(r.bytes + 24, &NDR_record, 8);
		AT(&r, 32, kern_return_t) = KERN_INVALID_NAME;
		raw_reply(m, &r, sizeof(mig_reply_error_t), 5701, false);
		return;
	}
	if (kind == R_BAD_SIZE) {
		/* complex, of the right size, but without its descriptor */
		AT(&r, 24, mach_msg_size_t) = 0;
		raw_reply(m, &r, 40, 5701, true);
		return;
	}
	AT(&r, 24, mach_msg_size_t) = 1;
	AT(&r, 28, mach_port_t) = AT(m, 28, mach_port_t);	/* the send right goes back */
	r.bytes[38] = MACH_MSG_TYPE_MOVE_SEND;
	r.bytes[39] = MACH_MSG_PORT_DESCRIPTOR;
	raw_reply(m, &r, 40, 5701, true);
}

static void serve_ool(const union raw *m, enum reply_kind kind)
{
	union raw r;
	void *addr = AT(m, 28, void *);
	mach_msg_size_t size = AT(m, 40, mach_msg_size_t);

	check_request_header(m, 5602, 56, true);
	CHECK(AT(m, 24, mach_msg_size_t) == 1, "r_ool: descriptors");
	CHECK(m->bytes[39] == MACH_MSG_OOL_DESCRIPTOR, "r_ool: type %d", m->bytes[39]);
	CHECK(size == 5000, "r_ool: size %u", size);
	CHECK(ndr_ok(m->bytes + 44), "r_ool: NDR");
	CHECK(AT(m, 52, mach_msg_type_number_t) == 5000, "r_ool: count %u",
	      AT(m, 52, mach_msg_type_number_t));
	CHECK(addr && ((unsigned char *)addr)[4999] == 4999 % 255, "r_ool: data");
	memset(&r, 0, sizeof(r));
	AT(&r, 24, mach_msg_size_t) = 1;
	AT(&r, 28, void *) = addr;		/* the same pages back */
	r.bytes[36] = 1;			/* deallocate: they are ours */
	r.bytes[37] = MACH_MSG_VIRTUAL_COPY;
	r.bytes[39] = MACH_MSG_OOL_DESCRIPTOR;
	AT(&r, 40, mach_msg_size_t) = size;
	memcpy(r.bytes + 44, &NDR_record, 8);
	/* a count that disagrees with the descriptor is a type error */
	AT(&r, 52, mach_msg_type_number_t) = kind == R_BAD_SIZE ? size - 1 : size;
	raw_reply(m, &r, 56, 5702, true);
}

static void serve_var(const union raw *m, enum reply_kind kind, int nth)
{
	union raw r;

	if (nth != 1) {
		/* "hi" (3 with its NUL, rounded to 4), then 2 shorts (4), then t */
		check_request_header(m, 5603, 56, false);
		CHECK(AT(m, 32, uint32_t) == 0, "r_var: offset %u", AT(m, 32, uint32_t));
		CHECK(AT(m, 36, uint32_t) == 3, "r_var: sCnt %u", AT(m, 36, uint32_t));
		CHECK(memcmp(m->bytes + 40, "hi", 3) == 0, "r_var: s");
		CHECK(AT(m, 44, uint32_t) == 2, "r_var: aCnt %u", AT(m, 44, uint32_t));
		CHECK(AT(m, 48, int16_t) == -1 && AT(m, 50, int16_t) == 2, "r_var: a");
		CHECK(AT(m, 52, int) == 99, "r_var: t %d", AT(m, 52, int));
	} else {
		/* the largest: 16 + 10 rounded to 12, so the struct's own size */
		check_request_header(m, 5603, 76, false);
		CHECK(AT(m, 36, uint32_t) == 16, "r_var: sCnt %u", AT(m, 36, uint32_t));
		CHECK(m->bytes[55] == '\0', "r_var: the string's NUL");
		CHECK(AT(m, 56, uint32_t) == 5, "r_var: aCnt %u", AT(m, 56, uint32_t));
		CHECK(AT(m, 68, int16_t) == 5, "r_var: a[4] %d", AT(m, 68, int16_t));
		CHECK(AT(m, 72, int) == -99, "r_var: t %d", AT(m, 72, int));
	}
	memset(&r, 0, sizeof(r));
	memcpy(r.bytes + 24, &NDR_record, 8);
	AT(&r, 36, int) = 1234;
	/* too short: the size of an error reply, but saying success */
	raw_reply(m, &r, kind == R_BAD_SIZE ? 36 : 40, 5703, false);
}

static void *receiver(void *unused)
{
	size_t i;
	int var_seen = 0;

	(void)unused;
	for (i = 0; i < N_SCRIPT; i++) {
		union raw m;
		kern_return_t kr = raw_receive(&m);

		CHECK_KR(KERN_SUCCESS, kr, "raw receive");
		if (kr != KERN_SUCCESS)
			return NULL;
		CHECK(m.h.msgh_id == script[i].id, "case %zu: got id %d, want %d", i, m.h.msgh_id,
		      script[i].id);
		switch (m.h.msgh_id) {
		case 5600:
			serve_scalars(&m, script[i].kind);
			break;
		case 5601:
			serve_port(&m, script[i].kind);
			break;
		case 5602:
			serve_ool(&m, script[i].kind);
			break;
		case 5603:
			serve_var(&m, script[i].kind, var_seen++);
			break;
		case 5604:
			/* one-way: no reply port, copy-send and nothing */
			CHECK(m.h.msgh_size == 36, "r_one: size %u", m.h.msgh_size);
			CHECK(m.h.msgh_remote_port == MACH_PORT_NULL, "r_one: a reply port");
			CHECK(MACH_MSGH_BITS_REMOTE(m.h.msgh_bits) == 0, "r_one: bits %#x",
			      m.h.msgh_bits);
			CHECK(ndr_ok(m.bytes + 24) && AT(&m, 32, int) == 31337, "r_one: data");
			break;
		}
	}
	return NULL;
}

static void test_user(void)
{
	mach_port_t send;
	pthread_t th;
	int64_t c = 0;
	mach_port_t q = MACH_PORT_NULL, reply;
	vm_address_t d = 0;
	vm_offset_t e = 0;
	mach_msg_type_number_t eCnt = 0, i;
	int16_t a[5] = { -1, 2, 3, 4, 5 };
	char longs[40];
	int n = 0;

	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &rcv_port);
	mach_port_insert_right(mach_task_self(), rcv_port, rcv_port, MACH_MSG_TYPE_MAKE_SEND);
	send = rcv_port;
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &wire_port);
	pthread_create(&th, NULL, receiver, NULL);

	CHECK_KR(KERN_SUCCESS, r_scalars(send, -7, 0x1122334455667788ll, &c), "r_scalars");
	CHECK(c == -0x55ll, "c %lld", (long long)c);
	reply = mig_get_reply_port();
	CHECK_KR(MIG_REPLY_MISMATCH, r_scalars(send, -7, 0x1122334455667788ll, &c), "wrong id");
	CHECK(mig_get_reply_port() == reply, "the reply port was replaced after a mismatch");
	CHECK_KR(MIG_TYPE_ERROR, r_scalars(send, -7, 0x1122334455667788ll, &c), "short reply");
	CHECK_KR(KERN_NO_SPACE, r_scalars(send, -7, 0x1122334455667788ll, &c), "error reply");
	CHECK_KR(MIG_TYPE_ERROR, r_scalars(send, -7, 0x1122334455667788ll, &c), "complex reply");
	CHECK_KR(MIG_SERVER_DIED, r_scalars(send, -7, 0x1122334455667788ll, &c), "reply right gone");
	CHECK_KR(MIG_SERVER_DIED, r_scalars(send, -7, 0x1122334455667788ll, &c),
		 "a reply with the send-once notification's id");

	CHECK_KR(KERN_SUCCESS, r_port(send, wire_port, &q), "r_port");
	CHECK(q == wire_port, "q %#x", q);
	CHECK_KR(MIG_TYPE_ERROR, r_port(send, wire_port, &q), "r_port reply without its descriptor");
	CHECK_KR(KERN_INVALID_NAME, r_port(send, wire_port, &q), "r_port error reply");

	vm_allocate(mach_task_self(), &d, 5000, VM_FLAGS_ANYWHERE);
	for (i = 0; i < 5000; i++)
		((unsigned char *)d)[i] = (unsigned char)(i % 255);
	CHECK_KR(KERN_SUCCESS, r_ool(send, d, 5000, &e, &eCnt), "r_ool");
	CHECK(eCnt == 5000 && e && ((unsigned char *)e)[4999] == 4999 % 255, "r_ool back: %u", eCnt);
	if (e)
		vm_deallocate(mach_task_self(), e, eCnt);
	CHECK_KR(MIG_TYPE_ERROR, r_ool(send, d, 5000, &e, &eCnt), "r_ool count/size mismatch");

	CHECK_KR(KERN_SUCCESS, r_var(send, "hi", a, 2, 99, &n), "r_var");
	CHECK(n == 1234, "n %d", n);
	memset(longs, 'x', sizeof(longs) - 1);
	longs[sizeof(longs) - 1] = '\0';
	CHECK_KR(KERN_SUCCESS, r_var(send, longs, a, 5, -99, &n), "r_var, largest");
	CHECK_KR(MIG_TYPE_ERROR, r_var(send, "hi", a, 2, 99, &n), "r_var short reply");
	CHECK_KR(KERN_SUCCESS, r_one(send, 31337), "r_one");
	pthread_join(th, NULL);
	vm_deallocate(mach_task_self(), d, 5000);
}

/* ---- hand-made requests to the generated server ---- */

kern_return_t w_r_scalars(mach_port_t server, int a, int64_t b, int64_t *c)
{
	(void)server;
	*c = a * b;
	return a == 0 ? KERN_INVALID_ARGUMENT : KERN_SUCCESS;
}

kern_return_t w_r_port(mach_port_t server, mach_port_t p, mach_port_t *q)
{
	(void)server;
	*q = p + 4;
	return KERN_SUCCESS;
}

kern_return_t w_r_ool(mach_port_t server, vm_offset_t d, mach_msg_type_number_t dCnt,
		      vm_offset_t *e, mach_msg_type_number_t *eCnt)
{
	(void)server;
	*e = d;
	*eCnt = dCnt;
	return KERN_SUCCESS;
}

kern_return_t w_r_var(mach_port_t server, str16_t s, shorts5_t a, mach_msg_type_number_t aCnt,
		      int t, int *n)
{
	(void)server;
	*n = (int)strlen(s) * 1000 + (int)aCnt * 100 + (aCnt ? a[aCnt - 1] : 0) + t;
	return KERN_SUCCESS;
}

kern_return_t w_r_one(mach_port_t server, int x)
{
	(void)server;
	return x ? KERN_SUCCESS : KERN_FAILURE;
}

/* A request as the kernel would deliver it: ports swapped, a trailer after. */
static void request(union raw *m, mach_msg_id_t id, mach_msg_size_t size, bool complex)
{
	memset(m, 0, sizeof(*m));
	m->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSG_TYPE_PORT_SEND) |
			 (complex ? MACH_MSGH_BITS_COMPLEX : 0);
	m->h.msgh_size = size;
	m->h.msgh_remote_port = 0x1103;		/* the reply port */
	m->h.msgh_local_port = 0x2207;		/* ours */
	m->h.msgh_id = id;
	if (!complex)
		memcpy(m->bytes + 24, &NDR_record, 8);
	AT(m, size + 4, uint32_t) = sizeof(mach_msg_trailer_t);
}

static boolean_t serve(union raw *in, union raw *out)
{
	memset(out, 0x5a, sizeof(*out));
	return migwire_server(&in->h, &out->h);
}

static void check_error_reply(const union raw *out, mach_msg_id_t id, kern_return_t code,
			      const char *what)
{
	CHECK(out->h.msgh_id == id + 100, "%s: reply id %d", what, out->h.msgh_id);
	CHECK(out->h.msgh_size == sizeof(mig_reply_error_t), "%s: reply size %u", what,
	      out->h.msgh_size);
	CHECK(!(out->h.msgh_bits & MACH_MSGH_BITS_COMPLEX), "%s: complex error", what);
	CHECK(ndr_ok(out->bytes + 24), "%s: NDR", what);
	CHECK_KR(code, out->err.RetCode, what);
}

static void test_server(void)
{
	union raw in, out;

	/* a good request: the reply's header and every byte after it */
	request(&in, 5600, 44, false);
	AT(&in, 32, int) = 3;
	AT(&in, 36, int64_t) = 0x100000000ll;
	CHECK(serve(&in, &out), "demux refused r_scalars");
	CHECK(out.h.msgh_bits == MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0), "bits %#x",
	      out.h.msgh_bits);
	CHECK(out.h.msgh_remote_port == 0x1103 && out.h.msgh_local_port == MACH_PORT_NULL,
	      "reply ports %#x %#x", out.h.msgh_remote_port, out.h.msgh_local_port);
	CHECK(out.h.msgh_id == 5700 && out.h.msgh_size == 44, "reply %d, %u", out.h.msgh_id,
	      out.h.msgh_size);
	CHECK(ndr_ok(out.bytes + 24) && AT(&out, 32, kern_return_t) == KERN_SUCCESS &&
	      AT(&out, 36, int64_t) == 0x300000000ll, "reply data");
	/* the routine's error: a mig_reply_error_t */
	AT(&in, 32, int) = 0;
	serve(&in, &out);
	check_error_reply(&out, 5600, KERN_INVALID_ARGUMENT, "routine error");
	/* sizes and bits */
	request(&in, 5600, 40, false);
	serve(&in, &out);
	check_error_reply(&out, 5600, MIG_BAD_ARGUMENTS, "short request");
	request(&in, 5600, 44, true);
	serve(&in, &out);
	check_error_reply(&out, 5600, MIG_BAD_ARGUMENTS, "complex bit on a simple request");
	/* ids */
	request(&in, 5605, 36, false);
	CHECK(!serve(&in, &out), "demux took id 5605");
	check_error_reply(&out, 5605, MIG_BAD_ID, "id past the end");
	request(&in, 5599, 36, false);
	CHECK(!serve(&in, &out), "demux took id 5599");
	check_error_reply(&out, 5599, MIG_BAD_ID, "id before the start");

	/* ports: complex, one descriptor, of the right type and disposition */
	request(&in, 5601, 40, true);
	AT(&in, 24, mach_msg_size_t) = 1;
	AT(&in, 28, mach_port_t) = 0x3303;
	in.bytes[38] = MACH_MSG_TYPE_PORT_SEND;
	in.bytes[39] = MACH_MSG_PORT_DESCRIPTOR;
	CHECK(serve(&in, &out), "r_port");
	CHECK(out.h.msgh_size == 40 && (out.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	      AT(&out, 24, mach_msg_size_t) == 1, "r_port reply %u %#x", out.h.msgh_size,
	      out.h.msgh_bits);
	CHECK(AT(&out, 28, mach_port_t) == 0x3307 && out.bytes[38] == MACH_MSG_TYPE_MOVE_SEND &&
	      out.bytes[39] == MACH_MSG_PORT_DESCRIPTOR, "r_port reply descriptor");
	CHECK(AT(&out, 32, uint32_t) == 0 && AT(&out, 36, uint16_t) == 0, "descriptor padding");
	in.bytes[38] = MACH_MSG_TYPE_PORT_SEND_ONCE;
	serve(&in, &out);
	check_error_reply(&out, 5601, MIG_TYPE_ERROR, "wrong disposition");
	in.bytes[38] = MACH_MSG_TYPE_PORT_SEND;
	in.bytes[39] = MACH_MSG_OOL_DESCRIPTOR;
	serve(&in, &out);
	check_error_reply(&out, 5601, MIG_TYPE_ERROR, "wrong descriptor type");
	in.bytes[39] = MACH_MSG_PORT_DESCRIPTOR;
	AT(&in, 24, mach_msg_size_t) = 2;
	serve(&in, &out);
	check_error_reply(&out, 5601, MIG_BAD_ARGUMENTS, "descriptor count");
	in.h.msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	AT(&in, 24, mach_msg_size_t) = 1;
	serve(&in, &out);
	check_error_reply(&out, 5601, MIG_BAD_ARGUMENTS, "not complex");

	/* out-of-line: the count must match the descriptor's size */
	request(&in, 5602, 56, true);
	AT(&in, 24, mach_msg_size_t) = 1;
	AT(&in, 28, void *) = (void *)0x7000;
	in.bytes[39] = MACH_MSG_OOL_DESCRIPTOR;
	AT(&in, 40, mach_msg_size_t) = 300;
	memcpy(in.bytes + 44, &NDR_record, 8);
	AT(&in, 52, mach_msg_type_number_t) = 300;
	CHECK(serve(&in, &out), "r_ool");
	CHECK(out.h.msgh_size == 56 && AT(&out, 28, void *) == (void *)0x7000 &&
	      AT(&out, 40, mach_msg_size_t) == 300 && AT(&out, 52, mach_msg_type_number_t) == 300,
	      "r_ool reply");
	CHECK(out.bytes[36] == 0 && out.bytes[37] == MACH_MSG_VIRTUAL_COPY &&
	      out.bytes[39] == MACH_MSG_OOL_DESCRIPTOR, "r_ool reply flags %d %d %d", out.bytes[36],
	      out.bytes[37], out.bytes[39]);
	CHECK(ndr_ok(out.bytes + 44), "r_ool reply NDR");
	AT(&in, 52, mach_msg_type_number_t) = 301;
	serve(&in, &out);
	check_error_reply(&out, 5602, MIG_TYPE_ERROR, "ool count and size disagree");

	/* variable: packed, bounded, terminated */
	request(&in, 5603, 56, false);
	AT(&in, 36, uint32_t) = 3;
	memcpy(in.bytes + 40, "hi", 3);
	AT(&in, 44, uint32_t) = 2;
	AT(&in, 48, int16_t) = 7;
	AT(&in, 50, int16_t) = 8;
	AT(&in, 52, int) = 5;
	CHECK(serve(&in, &out), "r_var");
	CHECK(out.h.msgh_size == 40 && AT(&out, 36, int) == 2000 + 200 + 8 + 5, "r_var reply %d",
	      AT(&out, 36, int));
	in.h.msgh_size = 60;
	serve(&in, &out);
	check_error_reply(&out, 5603, MIG_BAD_ARGUMENTS, "r_var size and counts disagree");
	in.h.msgh_size = 56;
	AT(&in, 44, uint32_t) = 6;
	serve(&in, &out);
	check_error_reply(&out, 5603, MIG_BAD_ARGUMENTS, "r_var count past the bound");
	AT(&in, 44, uint32_t) = 2;
	AT(&in, 36, uint32_t) = 17;
	serve(&in, &out);
	check_error_reply(&out, 5603, MIG_BAD_ARGUMENTS, "r_var string count past the bound");
	/* a string of 16 characters: terminated inside its field, or not */
	request(&in, 5603, 64, false);
	AT(&in, 36, uint32_t) = 16;
	memset(in.bytes + 40, 'z', 15);
	AT(&in, 56, uint32_t) = 0;
	AT(&in, 60, int) = 1;
	CHECK(serve(&in, &out), "r_var, 15 characters");
	CHECK(out.h.msgh_size == 40 && AT(&out, 36, int) == 15000 + 1, "r_var reply %d",
	      AT(&out, 36, int));
	in.bytes[55] = 'z';
	serve(&in, &out);
	check_error_reply(&out, 5603, MIG_BAD_ARGUMENTS, "r_var string without its NUL");

	/* one-way: the reply is the routine's code, not sent by mach_msg_server */
	request(&in, 5604, 36, false);
	AT(&in, 32, int) = 1;
	CHECK(serve(&in, &out), "r_one");
	CHECK_KR(KERN_SUCCESS, out.err.RetCode, "r_one RetCode");
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	STEP("layout");
	test_layout();
	STEP("server");
	test_server();
	STEP("user");
	test_user();
	return mig_result("mig_wire");
}
