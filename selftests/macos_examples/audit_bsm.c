/* Sender identity from the audit trailer, read with libbsm's accessors. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <bsm/libbsm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "FAIL line %d: %s\n", __LINE__, #c); exit(1); } } while (0)

typedef struct {
	mach_msg_header_t header;
	int n;
	mach_msg_audit_trailer_t trailer;
} rcv_t;

typedef struct {
	mach_msg_header_t header;
	int n;
	mach_msg_context_trailer_t trailer;
} rcv_ctx_t;

int main(void)
{
	mach_port_t task = mach_task_self(), port;
	struct { mach_msg_header_t header; int n; } m;
	rcv_t r;

	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &port), KERN_SUCCESS);
	KR(mach_port_insert_right(task, port, port, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(mach_port_set_context(task, port, (mach_port_context_t)0xabcdef12345ULL), KERN_SUCCESS);

	memset(&m, 0, sizeof m);
	m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.header.msgh_size = sizeof m;
	m.header.msgh_remote_port = port;
	for (int i = 0; i < 3; i++) {
		m.n = i;
		KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	}

	memset(&r, 0, sizeof r);
	KR(mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0, sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(r.trailer.msgh_trailer_type == MACH_MSG_TRAILER_FORMAT_0);
	CHECK(r.trailer.msgh_trailer_size == sizeof(mach_msg_audit_trailer_t));
	CHECK(r.trailer.msgh_trailer_size == 52);
	CHECK(r.trailer.msgh_seqno == 0);
	CHECK(audit_token_to_pid(r.trailer.msgh_audit) == getpid());
	CHECK(audit_token_to_euid(r.trailer.msgh_audit) == geteuid());
	CHECK(audit_token_to_egid(r.trailer.msgh_audit) == getegid());
	CHECK(audit_token_to_ruid(r.trailer.msgh_audit) == getuid());
	CHECK(audit_token_to_rgid(r.trailer.msgh_audit) == getgid());
	CHECK(r.trailer.msgh_sender.val[0] == geteuid());
	CHECK(r.trailer.msgh_sender.val[1] == getegid());
	{
		uid_t auid, euid, ruid;
		gid_t egid, rgid;
		pid_t pid;
		au_asid_t asid;
		au_tid_t tid;
		audit_token_to_au32(r.trailer.msgh_audit, &auid, &euid, &egid, &ruid, &rgid, &pid, &asid, &tid);
		CHECK(pid == getpid() && euid == geteuid() && egid == getegid());
		CHECK(ruid == getuid() && rgid == getgid());
	}

	/* seqno trailer */
	{
		struct { mach_msg_header_t header; int n; mach_msg_seqno_trailer_t t; } s;
		KR(mach_msg(&s.header, MACH_RCV_MSG | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), 0, sizeof s, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(s.t.msgh_trailer_size == sizeof(mach_msg_seqno_trailer_t));
		CHECK(s.t.msgh_seqno == 1);
		CHECK(s.n == 1);
	}
	/* context trailer */
	{
		rcv_ctx_t c;
		KR(mach_msg(&c.header, MACH_RCV_MSG | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_CTX), 0, sizeof c, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		CHECK(c.trailer.msgh_trailer_size == sizeof(mach_msg_context_trailer_t));
		CHECK(c.trailer.msgh_seqno == 2);
		CHECK(c.trailer.msgh_context == 0xabcdef12345ULL);
		CHECK(audit_token_to_pid(c.trailer.msgh_audit) == getpid());
	}
	/* the buffer is too small for the requested trailer */
	m.n = 3;
	KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	KR(mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0,
		sizeof m + sizeof(mach_msg_trailer_t), port, 0, MACH_PORT_NULL), MACH_RCV_TOO_LARGE);
	KR(mach_msg(&r.header, MACH_RCV_MSG | MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT), 0,
		sizeof r, port, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	CHECK(r.n == 3);
	printf("audit_bsm: ok\n");
	return 0;
}
