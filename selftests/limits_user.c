// SPDX-License-Identifier: GPL-2.0
/*
 * limits_user - the per-user limits on what a user may keep queued or in
 * flight (module parameters max_user_msgs, max_user_bytes, max_user_ool),
 * and the module's live-object counters in debugfs.
 *
 * A send past a limit fails with MACH_SEND_NO_BUFFER and leaves the sender
 * exactly as before: its rights and its memory (even with deallocate) are
 * untouched.  Limits are per user: another user is not affected.  Each
 * check runs in a process that dropped to an unprivileged uid *before*
 * opening /dev/mach (a space is charged to the uid that opened it), so the
 * cases lower the limits as root and run the sender two forks down.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "complex_util.h"
#include "stats_util.h"

#define ID		0x6900
#define PARAMS		"/sys/module/mach/parameters/"
#define NOBODY		65534
#define NOGROUP		65534
#define OTHER_UID	65533

/* --- root-side helpers ------------------------------------------------- */

static unsigned long read_param(const char *name)
{
	char path[128], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		mt_skip("cannot read %s (module parameters not exported)", path);
	fclose(f);
	return strtoul(buf, NULL, 0);
}

static bool write_param(const char *name, unsigned long value)
{
	char path[128];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	f = fopen(path, "w");
	if (!f)
		return false;
	ok = fprintf(f, "%lu\n", value) > 0;
	return (fclose(f) == 0) && ok;
}

static void need_root(void)
{
	if (geteuid() != 0)
		mt_skip("needs root to set module parameters and change uid");
}

/*
 * Run fn as 'uid' in a fresh Mach space: drop privileges, then fork once
 * more so that libmach's fork handler opens /dev/mach as that uid.
 * Returns fn's process's exit code (0: its checks passed).
 */
static int run_as(uid_t uid, void (*fn)(int), int arg)
{
	pid_t pid = mt_fork();

	if (pid == 0) {
		pid_t inner;

		if (setgroups(0, NULL) || setgid(NOGROUP) || setuid(uid))
			_exit(9);
		inner = mt_fork();
		if (inner == 0) {
			fn(arg);
			mt_child_exit();
		}
		_exit(mt_wait(inner, 60000) == 0 ? 0 : 1);
	}
	return mt_wait(pid, 70000);
}

/* --- senders, run as an unprivileged user ------------------------------ */

/* Receive right with a send right under the same name, and room for 64. */
static mach_port_t roomy_port(void)
{
	mach_port_limits_t lim = { .mpl_qlimit = 64 };
	mach_port_t port = mu_port_send();

	expect_kr(KERN_SUCCESS,
		  mach_port_set_attributes(mach_task_self(), port,
					   MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&lim,
					   MACH_PORT_LIMITS_INFO_COUNT),
		  "qlimit 64");
	return port;
}

/* Send 'limit' messages, then one more, which must fail harmlessly. */
static void fill_msgs(int limit)
{
	mach_port_t port = roomy_port();
	struct mu_rcv r;
	int i;

	for (i = 0; i < limit; i++)
		assert_kr(MACH_MSG_SUCCESS,
			  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
				  ID, i, 0, 0, 0),
			  "send within the limit");
	expect_kr(MACH_SEND_NO_BUFFER,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID,
			  i, 0, 0, 0),
		  "the message past max_user_msgs");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND),
		  "the failed send took no send right");
	expect_eq((unsigned int)limit, mu_status(port).mps_msgcount,
		  "nothing was queued by the failed send");
	/* receiving one makes room for one */
	expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive one");
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID,
			  i, 0, 0, 0),
		  "room again after a receive");
}

/* Hold 'limit' messages queued until the parent writes to fd 'hold'. */
static int hold_fd[2];
static int ready_fd[2];

static void fill_and_hold(int limit)
{
	fill_msgs(limit);
	mt_post(ready_fd[1]);
	mt_await(hold_fd[0], 60000);
}

struct big_msg {
	mach_msg_header_t hdr;
	uint8_t body[1000];
};

static mach_msg_return_t send_big(mach_port_t port)
{
	struct big_msg m;

	memset(&m, 0x5a, sizeof(m));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.hdr.msgh_size = sizeof(m);
	m.hdr.msgh_remote_port = port;
	m.hdr.msgh_local_port = MACH_PORT_NULL;
	m.hdr.msgh_voucher_port = MACH_PORT_NULL;
	m.hdr.msgh_id = ID + 1;
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m),
			0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* max_user_bytes = n * 1024: n messages of 1024 bytes fit, not n + 1. */
static void fill_bytes(int n)
{
	mach_port_t port = roomy_port();
	int i;

	for (i = 0; i < n; i++)
		assert_kr(MACH_MSG_SUCCESS, send_big(port), "within max_user_bytes");
	expect_kr(MACH_SEND_NO_BUFFER, send_big(port), "past max_user_bytes");
	expect_eq((unsigned int)n, mu_status(port).mps_msgcount, "queued");
}

#define OOL_SIZE	(600u * 1024u)

/*
 * max_user_ool = 1 MiB: one 600 KiB region fits, a second does not; the
 * failed message also moves a send right and asks for deallocate, and
 * neither happens.
 */
static void fill_ool(int unused)
{
	mach_port_t port = roomy_port(), other = mu_port_send();
	uint8_t *a = cx_alloc(OOL_SIZE), *b = cx_alloc(OOL_SIZE);
	const mach_msg_ool_descriptor_t *d;
	struct cx_msg m;
	static struct cx_rcv rcv;

	(void)unused;
	assert_true(a && b, "buffers");
	cx_fill(a, OOL_SIZE, 1);
	cx_fill(b, OOL_SIZE, 2);

	cx_begin(&m, port, MACH_MSG_TYPE_COPY_SEND, ID + 2);
	cx_add_ool(&m, a, OOL_SIZE, MACH_MSG_VIRTUAL_COPY, FALSE);
	assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "first region fits");

	cx_begin(&m, port, MACH_MSG_TYPE_COPY_SEND, ID + 3);
	cx_add_port(&m, other, MACH_MSG_TYPE_MOVE_SEND);
	cx_add_ool(&m, b, OOL_SIZE, MACH_MSG_VIRTUAL_COPY, TRUE);
	expect_kr(MACH_SEND_NO_BUFFER, cx_send(&m, 0), "second is past max_user_ool");
	expect_true(cx_range_mapped(b, OOL_SIZE), "deallocate did not happen");
	expect_eq(CX_NO_MISMATCH, cx_check(b, OOL_SIZE, 2), "sender's data intact");
	expect_eq(1, mu_refs(other, MACH_PORT_RIGHT_SEND), "moved right still ours");
	expect_eq(1, mu_status(port).mps_msgcount, "only the first is queued");

	assert_kr(MACH_MSG_SUCCESS, cx_recv(port, &rcv, MU_WAIT_MS), "receive first");
	d = cx_ool_desc(&rcv.hdr, 0);
	expect_eq(OOL_SIZE, d->size, "size");
	expect_eq(CX_NO_MISMATCH, cx_check(d->address, OOL_SIZE, 1), "data");
	vm_deallocate(mach_task_self(), (vm_address_t)d->address, d->size);

	cx_begin(&m, port, MACH_MSG_TYPE_COPY_SEND, ID + 3);
	cx_add_ool(&m, b, OOL_SIZE, MACH_MSG_VIRTUAL_COPY, FALSE);
	expect_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "room again once received");
}

/* --- cases -------------------------------------------------------------- */

/*
 * Run fn(arg) as nobody with module parameter 'param' set to 'value', then
 * put the parameter back.
 */
static void nobody_under(const char *param, unsigned long value,
			 void (*fn)(int), int arg)
{
	unsigned long old;

	need_root();
	old = read_param(param);
	assert_true(write_param(param, value), "set the limit");
	expect_eq(0, run_as(NOBODY, fn, arg), "nobody's sends");
	assert_true(write_param(param, old), "restore the limit");
}

static void msgs_per_user(void)
{
	nobody_under("max_user_msgs", 4, fill_msgs, 4);
}

/* One user at its limit does not stop another user. */
static void limit_is_per_user(void)
{
	unsigned long old;
	pid_t holder;

	need_root();
	old = read_param("max_user_msgs");
	assert_eq(0, pipe(hold_fd), "pipe");
	assert_eq(0, pipe(ready_fd), "pipe");
	assert_true(write_param("max_user_msgs", 3), "set max_user_msgs");
	holder = mt_fork();
	if (holder == 0)
		_exit(run_as(NOBODY, fill_and_hold, 3));
	if (expect_true(mt_await(ready_fd[0], 60000), "nobody is at its limit"))
		expect_eq(0, run_as(OTHER_UID, fill_msgs, 3),
			  "another user's sends, meanwhile");
	mt_post(hold_fd[1]);
	expect_child_ok(holder, 60000, "the user at its limit");
	assert_true(write_param("max_user_msgs", old), "restore max_user_msgs");
}

static void bytes_per_user(void)
{
	nobody_under("max_user_bytes", 3 * 1024, fill_bytes, 3);
}

static void ool_per_user(void)
{
	nobody_under("max_user_ool", 1024 * 1024, fill_ool, 0);
}

/* The largest value a parameter takes is no limit, not a negative one. */
static void send_one(int unused)
{
	mach_port_t port = mu_port_send();

	(void)unused;
	expect_kr(MACH_MSG_SUCCESS, send_big(port), "a send under ULONG_MAX");
}

static void huge_limit_is_none(void)
{
	nobody_under("max_user_bytes", ~0UL, send_one, 0);
}

/* --- the module's counters ---------------------------------------------- */

/* Queued messages, their bytes and OOL bytes show up and go away exactly. */
static void counters_follow_messages(void)
{
	long long msgs0, bytes0, ool0, ports0;
	mach_port_t port;
	struct cx_msg m;
	uint8_t *buf;
	int i;

	st_need();
	/* first use of the port routines may set up libmach state: do it now */
	port = mu_port_send();
	mach_port_destroy(mach_task_self(), port);
	msgs0 = st_value("messages_queued");
	bytes0 = st_value("bytes_queued");
	ool0 = st_value("ool_bytes_queued");
	ports0 = st_value("ports");
	assert_true(msgs0 >= 0 && bytes0 >= 0 && ool0 >= 0 && ports0 >= 0,
		    "counters present");

	port = mu_port_send();
	expect_eq(ports0 + 1, st_value("ports"), "one more port");
	buf = cx_alloc(8192);
	assert_true(buf != NULL, "buffer");
	for (i = 0; i < 3; i++) {
		cx_begin(&m, port, MACH_MSG_TYPE_COPY_SEND, ID + 4);
		cx_add_ool(&m, buf, 8192, MACH_MSG_PHYSICAL_COPY, FALSE);
		assert_kr(MACH_MSG_SUCCESS, cx_send(&m, 0), "send");
	}
	expect_eq(msgs0 + 3, st_value("messages_queued"), "three queued");
	expect_eq(bytes0 + 3 * (long long)m.len, st_value("bytes_queued"),
		  "their bytes");
	expect_eq(ool0 + 3 * 8192, st_value("ool_bytes_queued"), "their OOL bytes");

	/* destroying the port destroys the queue: all back to the baseline */
	assert_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port), "destroy");
	expect_eq(msgs0, st_value("messages_queued"), "queue gone");
	expect_eq(bytes0, st_value("bytes_queued"), "bytes gone");
	expect_eq(ool0, st_value("ool_bytes_queued"), "OOL bytes gone");
	expect_eq(ports0, st_value("ports"), "port gone");
}

static const struct mt_case cases[] = {
	MT_CASE(msgs_per_user),
	MT_CASE(limit_is_per_user),
	MT_CASE(bytes_per_user),
	MT_CASE(ool_per_user),
	MT_CASE(huge_limit_is_none),
	MT_CASE(counters_follow_messages),
};

int main(void)
{
	return MT_RUN(cases);
}
