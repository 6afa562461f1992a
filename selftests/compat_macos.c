// SPDX-License-Identifier: GPL-2.0
/*
 * compat_macos - what ordinary macOS Mach code relies on beyond the IPC
 * semantics: mach_error_string()/mach_error_type()/mach_error() answering in
 * libsyscall's words (err_kern.sub, err_mach_ipc.sub, do_compat()),
 * <bsm/libbsm.h>'s audit token accessors reading a real sender's trailer,
 * and the header names such code uses (MIG's data type names,
 * <servers/bootstrap_defs.h>).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsm/libbsm.h>
#include <mach/mach_error.h>
#include <servers/bootstrap_defs.h>

#include "bootstrap_util.h"

#define expect_str(want, got, desc) \
	expect_true(strcmp((want), (got)) == 0, desc) || \
		(mt_diag("  want \"%s\", got \"%s\"", (want), (got)), false)

static void error_strings_kern(void)
{
	static const struct { kern_return_t kr; const char *text; } t[] = {
		{ KERN_SUCCESS,			"(os/kern) successful" },
		{ KERN_INVALID_ADDRESS,		"(os/kern) invalid address" },
		{ KERN_INVALID_ARGUMENT,	"(os/kern) invalid argument" },
		{ KERN_FAILURE,			"(os/kern) failure" },
		{ KERN_NO_SPACE,		"(os/kern) no space available" },
		{ KERN_INVALID_NAME,		"(os/kern) invalid name" },
		{ KERN_INVALID_RIGHT,		"(os/kern) invalid right" },
		{ KERN_INVALID_VALUE,		"(os/kern) invalid value" },
		{ KERN_RIGHT_EXISTS,		"(os/kern) right exists" },
		{ KERN_TERMINATED,		"(os/kern) object terminated" },
		{ KERN_LOCK_OWNED,		"(os/kern) lock owned by another" },
		{ KERN_RPC_SERVER_TERMINATED,	"(os/kern) RPC terminated" },
		{ KERN_NOT_SUPPORTED,		"(os/kern) service not supported" },
		{ KERN_NOT_WAITING,		"(os/kern) thread not waiting" },
		{ KERN_OPERATION_TIMED_OUT,	"(os/kern) operation timed out" },
		{ KERN_INSUFFICIENT_BUFFER_SIZE, "(os/kern) insufficient input buffer size" },
		{ KERN_DENIED,			"(os/kern) denied by security policy" },
		{ KERN_NOT_FOUND,		"(os/kern) result not found" },
		{ unix_err(2),			"(os/unix) file or directory does not exist" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		expect_str(t[i].text, mach_error_string(t[i].kr), "kern/unix string");
	expect_str("(os/kern)", mach_error_type(KERN_INVALID_NAME), "type of a kern code");
	expect_str("(os/unix)", mach_error_type(unix_err(2)), "type of a unix code");
}

static void error_strings_ipc_mig(void)
{
	static const struct { kern_return_t kr; const char *text; } t[] = {
		{ MACH_SEND_INVALID_DATA,	"(ipc/send) invalid data" },
		{ MACH_SEND_INVALID_DEST,	"(ipc/send) invalid destination port" },
		{ MACH_SEND_TIMED_OUT,		"(ipc/send) timed out" },
		{ MACH_SEND_INTERRUPTED,	"(ipc/send) interrupted" },
		{ MACH_SEND_MSG_TOO_SMALL,	"(ipc/send) msg too small" },
		{ MACH_SEND_INVALID_REPLY,	"(ipc/send) invalid reply port" },
		{ MACH_SEND_INVALID_RIGHT,	"(ipc/send) invalid port right" },
		{ MACH_SEND_NO_BUFFER,		"(ipc/send) no msg buffer" },
		{ MACH_SEND_TOO_LARGE,		"(ipc/send) msg too large" },
		{ MACH_SEND_INVALID_TYPE,	"(ipc/send) invalid msg-type" },
		{ MACH_SEND_INVALID_HEADER,	"(ipc/send) invalid msg-header" },
		{ MACH_RCV_INVALID_NAME,	"(ipc/rcv) invalid name" },
		{ MACH_RCV_TIMED_OUT,		"(ipc/rcv) timed out" },
		{ MACH_RCV_TOO_LARGE,		"(ipc/rcv) msg too large" },
		{ MACH_RCV_INTERRUPTED,		"(ipc/rcv) interrupted" },
		{ MACH_RCV_PORT_CHANGED,	"(ipc/rcv) port changed" },
		{ MACH_RCV_PORT_DIED,		"(ipc/rcv) port died" },
		{ MACH_RCV_INVALID_TRAILER,	"(ipc/rcv) invalid msg-trailer" },
		/* MIG's -300.. codes read as system 4, subsystem 2 */
		{ MIG_TYPE_ERROR,		"(ipc/mig) client type check failure" },
		{ MIG_REPLY_MISMATCH,		"(ipc/mig) wrong reply message ID" },
		{ MIG_BAD_ID,			"(ipc/mig) bad request message ID" },
		{ MIG_BAD_ARGUMENTS,		"(ipc/mig) server type check failure" },
		{ MIG_NO_REPLY,			"(ipc/mig) no reply should be sent" },
		{ MIG_SERVER_DIED,		"(ipc/mig) server died" },
		{ MIG_TRAILER_ERROR,		"(ipc/mig) unknown trailer format" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		expect_str(t[i].text, mach_error_string(t[i].kr), "ipc/mig string");
	expect_str("(ipc/send)", mach_error_type(MACH_SEND_INVALID_DEST), "send type");
	expect_str("(ipc/rcv)", mach_error_type(MACH_RCV_TIMED_OUT), "rcv type");
	expect_str("(ipc/mig)", mach_error_type(MIG_BAD_ID), "mig type");
}

static void error_strings_unknown(void)
{
	/* BOOTSTRAP_* codes are plain kern numbers past the table's end */
	expect_str("unknown error code", mach_error_string(BOOTSTRAP_UNKNOWN_SERVICE),
		   "bootstrap code");
	expect_str("Unknown service name", bootstrap_strerror(BOOTSTRAP_UNKNOWN_SERVICE),
		   "bootstrap_strerror names it");
	expect_str("unknown error code", mach_error_string(0x1234), "past kern table");
	expect_str("unknown error code", mach_error_string(MACH_RCV_INVALID_ARGUMENTS),
		   "past rcv table");
	expect_str("(operating system/?) unknown subsystem error",
		   mach_error_string(err_kern | err_sub(9) | 1), "unknown kern subsystem");
	expect_str("(ipc/?) unknown subsystem error",
		   mach_error_string(err_mach_ipc | err_sub(7) | 1), "unknown ipc subsystem");
	/* the resource bits are part of the code, as on macOS */
	expect_str("unknown error code",
		   mach_error_string(MACH_SEND_INVALID_MEMORY | MACH_MSG_VM_SPACE),
		   "decorated send code");
	expect_true(mach_error_string(err_system(0x20) | 5) != NULL, "never NULL");
	expect_str("(?/?)", mach_error_type(err_system(0x20) | 5), "type of nothing");
}

/* Run mach_error() with stderr on a pipe; return what it printed. */
static void capture_mach_error(const char *str, mach_error_t err, char *out, size_t len)
{
	int fds[2], saved = dup(2);
	ssize_t n;

	out[0] = 0;
	if (pipe(fds) != 0 || saved < 0)
		return;
	fflush(stderr);
	dup2(fds[1], 2);
	mach_error(str, err);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	n = read(fds[0], out, len - 1);
	out[n > 0 ? n : 0] = 0;
	close(fds[0]);
}

static void mach_error_format(void)
{
	char buf[256];

	capture_mach_error("mach_port_type:", KERN_INVALID_NAME, buf, sizeof(buf));
	expect_str("mach_port_type: (os/kern) invalid name\n", buf, "known code");
	capture_mach_error("look_up:", BOOTSTRAP_UNKNOWN_SERVICE, buf, sizeof(buf));
	expect_str("look_up: (os/kern) unknown error code (44e)\n", buf,
		   "unknown code: type and hex added");
}

#pragma pack(push, 4)
struct hello {
	mach_msg_header_t	header;
	NDR_record_t		NDR;
	int			pid;
};

struct hello_rcv {
	struct hello		m;
	mach_msg_audit_trailer_t trailer;
};
#pragma pack(pop)

/* A forked child sends to a service we check in; its token names it. */
static void audit_token_accessors(void)
{
	name_t name;
	mach_port_t service;
	struct hello_rcv r;
	pid_t child;

	bu_require_bootstrap();
	bu_name(name, "org.selftest.compat_macos.audit");
	assert_bs(BOOTSTRAP_SUCCESS, bootstrap_check_in(bootstrap_port, name, &service),
		  "check in");
	child = mt_fork();
	if (child == 0) {
		mach_port_t server;
		struct hello m;

		if (!expect_bs(BOOTSTRAP_SUCCESS,
			       bootstrap_look_up(bootstrap_port, name, &server), "look up"))
			mt_child_exit();
		memset(&m, 0, sizeof(m));
		m.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		m.header.msgh_size = sizeof(m);
		m.header.msgh_remote_port = server;
		m.header.msgh_id = 4711;
		m.NDR = NDR_record;
		m.pid = getpid();
		expect_kr(MACH_MSG_SUCCESS,
			  mach_msg(&m.header, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				   MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "send");
		mt_child_exit();
	}
	memset(&r, 0, sizeof(r));
	expect_kr(MACH_MSG_SUCCESS,
		  mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			   MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(r), service, MU_WAIT_MS, MACH_PORT_NULL), "receive");
	expect_child_ok(child, MU_WAIT_MS, "sender");
	assert_eq(4711, r.m.header.msgh_id, "the child's message");
	assert_eq(sizeof(mach_msg_audit_trailer_t), r.trailer.msgh_trailer_size, "audit trailer");
	expect_eq(child, r.m.pid, "child says its pid");
	expect_eq(child, audit_token_to_pid(r.trailer.msgh_audit), "audit_token_to_pid");
	expect_eq(geteuid(), audit_token_to_euid(r.trailer.msgh_audit), "euid");
	expect_eq(getegid(), audit_token_to_egid(r.trailer.msgh_audit), "egid");
	expect_eq(getuid(), audit_token_to_ruid(r.trailer.msgh_audit), "ruid");
	expect_eq(getgid(), audit_token_to_rgid(r.trailer.msgh_audit), "rgid");
	expect_eq(r.trailer.msgh_audit.val[0], audit_token_to_auid(r.trailer.msgh_audit), "auid word 0");
	expect_eq(0, audit_token_to_asid(r.trailer.msgh_audit), "asid");
	expect_eq(0, audit_token_to_pidversion(r.trailer.msgh_audit), "pid version");
	{
		uid_t auid = 1, euid = 1, ruid = 1;
		gid_t egid = 1, rgid = 1;
		pid_t pid = 1;
		au_asid_t asid = 1;
		au_tid_t tid = { 1, 1 };

		audit_token_to_au32(r.trailer.msgh_audit, &auid, &euid, &egid, &ruid,
				    &rgid, &pid, &asid, &tid);
		expect_eq(child, pid, "au32 pid");
		expect_eq(geteuid(), euid, "au32 euid");
		expect_eq(getegid(), egid, "au32 egid");
		expect_eq(getuid(), ruid, "au32 ruid");
		expect_eq(getgid(), rgid, "au32 rgid");
		expect_eq(audit_token_to_auid(r.trailer.msgh_audit), auid, "au32 auid");
		expect_eq(0, asid, "au32 asid");
		expect_eq(0, tid.port, "au32 tid port = pid version");
		expect_eq(0, tid.machine, "au32 tid machine");
		/* NULL pointers are allowed */
		audit_token_to_au32(r.trailer.msgh_audit, NULL, NULL, NULL, NULL, NULL,
				    &pid, NULL, NULL);
		expect_eq(child, pid, "au32 with NULLs");
	}
}

/* A kernel notification carries the kernel's token: all zero. */
static void audit_token_kernel(void)
{
	mach_port_t p = mu_port(), n = mu_port(), prev;
	struct {
		mach_no_senders_notification_t not;
		mach_msg_audit_trailer_t trailer;
	} r;

	assert_true(p && n, "ports");
	expect_kr(KERN_SUCCESS,
		  mach_port_request_notification(mach_task_self(), p, MACH_NOTIFY_NO_SENDERS, 0,
						 n, MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev),
		  "no-senders fires at once");
	expect_kr(MACH_MSG_SUCCESS,
		  mach_msg(&r.not.not_header, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
			   MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
			   0, sizeof(r), n, MU_WAIT_MS, MACH_PORT_NULL), "receive it");
	expect_eq(MACH_NOTIFY_NO_SENDERS, r.not.not_header.msgh_id, "no-senders");
	{
		mach_msg_audit_trailer_t *t = (mach_msg_audit_trailer_t *)
			((char *)&r + round_msg(r.not.not_header.msgh_size));
		expect_eq(0, audit_token_to_pid(t->msgh_audit), "kernel pid 0");
		expect_eq(0, audit_token_to_euid(t->msgh_audit), "kernel euid 0");
	}
}

static void header_names(void)
{
	name_t n;
	cmd_t c;

	/* XNU <mach/message.h>: MIG's data type names */
	expect_eq(0, MACH_MSG_TYPE_UNSTRUCTURED, "UNSTRUCTURED");
	expect_eq(0, MACH_MSG_TYPE_BIT, "BIT");
	expect_eq(0, MACH_MSG_TYPE_BOOLEAN, "BOOLEAN");
	expect_eq(1, MACH_MSG_TYPE_INTEGER_16, "INTEGER_16");
	expect_eq(2, MACH_MSG_TYPE_INTEGER_32, "INTEGER_32");
	expect_eq(8, MACH_MSG_TYPE_CHAR, "CHAR");
	expect_eq(9, MACH_MSG_TYPE_BYTE, "BYTE");
	expect_eq(9, MACH_MSG_TYPE_INTEGER_8, "INTEGER_8");
	expect_eq(10, MACH_MSG_TYPE_REAL, "REAL");
	expect_eq(11, MACH_MSG_TYPE_INTEGER_64, "INTEGER_64");
	expect_eq(12, MACH_MSG_TYPE_STRING, "STRING");
	expect_eq(12, MACH_MSG_TYPE_STRING_C, "STRING_C");
	/* <servers/bootstrap_defs.h> */
	expect_eq(128, sizeof(n), "name_t");
	expect_eq(512, sizeof(c), "cmd_t");
	expect_eq(1102, BOOTSTRAP_UNKNOWN_SERVICE, "BOOTSTRAP_UNKNOWN_SERVICE");
	/* <bsm/audit.h> */
	expect_eq((uid_t)-1, AU_DEFAUDITID, "AU_DEFAUDITID");
}

struct np_thread {
	int		go[2], done[2];
	mach_port_t	self_name;
};

static void *np_thread_main(void *arg)
{
	struct np_thread *t = arg;
	char c;

	if (read(t->go[0], &c, 1) != 1)		/* wait until told to make the port */
		return NULL;
	t->self_name = mach_thread_self();
	mt_post(t->done[1]);
	if (read(t->go[0], &c, 1) != 1)		/* then wait to be told to exit */
		return NULL;
	return NULL;
}

/* pthread_mach_thread_np(): the thread's name without a new reference. */
static void pthread_mach_thread_np_case(void)
{
	mach_port_t me = mach_thread_self();
	mach_port_urefs_t before, after;
	struct np_thread t = { .self_name = MACH_PORT_NULL };
	pthread_t th;

	assert_true(MACH_PORT_VALID(me), "mach_thread_self");
	before = mu_refs(me, MACH_PORT_RIGHT_SEND);
	expect_eq(me, pthread_mach_thread_np(pthread_self()), "own thread: same name");
	after = mu_refs(me, MACH_PORT_RIGHT_SEND);
	expect_eq(before, after, "no reference added");
	assert_true(pipe(t.go) == 0 && pipe(t.done) == 0, "pipes");
	assert_true(pthread_create(&th, NULL, np_thread_main, &t) == 0, "thread");
	expect_eq(MACH_PORT_NULL, pthread_mach_thread_np(th), "no port made yet");
	mt_post(t.go[1]);
	expect_true(mt_await(t.done[0], MU_WAIT_MS), "thread made its port");
	expect_true(MACH_PORT_VALID(t.self_name) && t.self_name != me, "its own port");
	expect_eq(t.self_name, pthread_mach_thread_np(th), "another thread's name");
	mt_post(t.go[1]);
	pthread_join(th, NULL);
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(t.self_name), "dead once it exited");
	mach_port_deallocate(mach_task_self(), me);
}

static const struct mt_case cases[] = {
	MT_CASE(pthread_mach_thread_np_case),
	MT_CASE(error_strings_kern),
	MT_CASE(error_strings_ipc_mig),
	MT_CASE(error_strings_unknown),
	MT_CASE(mach_error_format),
	MT_CASE(audit_token_accessors),
	MT_CASE(audit_token_kernel),
	MT_CASE(header_names),
};

int main(void)
{
	return MT_RUN(cases);
}
