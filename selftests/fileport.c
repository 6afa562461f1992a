// SPDX-License-Identifier: GPL-2.0
/*
 * fileport - open files in Mach messages (fileport_makeport/_makefd, as on
 * macOS): a pipe, a regular file and a socket passed across three
 * processes with their data checked and no descriptor leaked, the file's
 * release with the last send right (deallocated, in a message destroyed
 * with its receiver, in a space that dies), close-on-exec, lsmp's view,
 * the name limit, a message sent to a fileport, and bad input.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/fileport.h>
#include <unistd.h>

#include "msg_util.h"
#include "nl_util.h"

/* Open descriptors of this process (/proc/self/fd, less the one reading it). */
static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!expect_true(d != NULL, "/proc/self/fd"))
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

static fileport_t makeport(int fd)
{
	fileport_t port = MACH_PORT_NULL;

	if (!expect_eq(0, fileport_makeport(fd, &port), "fileport_makeport"))
		return MACH_PORT_NULL;
	return port;
}

/* The read end of a pipe hung up: every write end is closed. */
static bool pipe_closed(int rfd, int timeout_ms)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLHUP);
}

static void bad_input(void)
{
	mach_port_t recv = mu_port(), send = mu_port_send(), dead;
	int pfd[2], dev, before;
	fileport_t port = 77;

	assert_eq(0, pipe(pfd), "pipe");
	before = fd_count();
	expect_errno(fileport_makeport(-1, &port), EBADF, "fd -1");
	close(pfd[1]);
	expect_errno(fileport_makeport(pfd[1], &port), EBADF, "a closed fd");
	expect_errno(fileport_makeport(pfd[0], NULL), EFAULT, "NULL port");
	dev = open("/dev/mach", O_RDWR | O_CLOEXEC);
	assert_true(dev >= 0, "open /dev/mach");
	expect_errno(fileport_makeport(dev, &port), EINVAL, "/dev/mach cannot be sent");
	close(dev);
	expect_eq(77, port, "port untouched by the failures");

	expect_errno(fileport_makefd(MACH_PORT_NULL), EINVAL, "MACH_PORT_NULL");
	expect_errno(fileport_makefd(MACH_PORT_DEAD), EINVAL, "MACH_PORT_DEAD");
	expect_errno(fileport_makefd(recv), EINVAL, "a receive right");
	expect_errno(fileport_makefd(send), EINVAL, "a send right to a port");
	expect_errno(fileport_makefd(mach_task_self()), EINVAL, "the task port");
	expect_errno(fileport_makefd(send + 0x4000), EINVAL, "an unknown name");
	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "dead name");
	expect_errno(fileport_makefd(dead), EINVAL, "a dead name");
	expect_eq(before - 1, fd_count(), "no descriptor made or lost");
	close(pfd[0]);
}

static void same_process(void)
{
	int pfd[2], a, b, before;
	fileport_t port;
	char buf[8] = "";

	assert_eq(0, pipe(pfd), "pipe");
	before = fd_count();
	port = makeport(pfd[1]);
	assert_true(port != MACH_PORT_NULL, "fileport");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(port), "a send right");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_SEND), "one reference");
	a = fileport_makefd(port);
	b = fileport_makefd(port);
	assert_true(a >= 0 && b >= 0 && a != b, "two new descriptors");
	expect_true(fcntl(a, F_GETFD) & FD_CLOEXEC, "close-on-exec");
	expect_eq(3, write(a, "abc", 3), "write through the first");
	expect_eq(2, write(b, "de", 2), "and the second");
	expect_eq(5, read(pfd[0], buf, sizeof(buf)), "read at the other end");
	expect_eq(0, memcmp(buf, "abcde", 5), "the same pipe");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), port),
		  "deallocate the fileport");
	expect_eq(1, write(a, "f", 1), "descriptors outlive the fileport");
	close(a);
	close(b);
	expect_eq(before, fd_count(), "back to the descriptors we had");
	close(pfd[0]);
	close(pfd[1]);
}

/* The file goes with the last send right, however many there were. */
static void last_send_right(void)
{
	mach_port_type_t type;
	int pfd[2];
	fileport_t port;

	assert_eq(0, pipe(pfd), "pipe");
	port = makeport(pfd[1]);
	assert_true(port != MACH_PORT_NULL, "fileport");
	close(pfd[1]);
	expect_true(!pipe_closed(pfd[0], 0), "the fileport holds the write end");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND, 1),
		  "a second reference");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), port), "one");
	expect_true(!pipe_closed(pfd[0], 0), "still held");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), port), "the last");
	expect_true(pipe_closed(pfd[0], MU_WAIT_MS), "released with the last send right");
	expect_true(!mu_names_find(port, &type), "the name is gone");
	close(pfd[0]);
}

static void lsmp_shows_fileports(void)
{
	uint32_t kind = 0;
	uint64_t size = 1;
	fileport_t port;
	int pfd[2];

	assert_eq(0, pipe(pfd), "pipe");
	port = makeport(pfd[0]);
	assert_true(port != MACH_PORT_NULL, "fileport");
	assert_eq(0, nl_entry_kobject((uint32_t)getpid(), port, &kind, &size),
		  "the name in the GET_ENTRY dump");
	expect_eq(MACH_NL_KOBJECT_FILEPORT, kind, "a fileport");
	expect_eq(0, size, "no size");
	assert_eq(0, nl_entry_kobject((uint32_t)getpid(), mach_task_self(), &kind, &size),
		  "the task port");
	expect_eq(MACH_NL_KOBJECT_TASK, kind, "a task port");
	close(pfd[0]);
	close(pfd[1]);
}

/* A message to a fileport is answered as XNU's kernel answers: MIG_BAD_ID. */
static void message_to_fileport(void)
{
	mach_port_t reply = mu_port();
	fileport_t port;
	struct mu_rcv r;
	int pfd[2];

	assert_eq(0, pipe(pfd), "pipe");
	port = makeport(pfd[0]);
	assert_true(port != MACH_PORT_NULL && reply != MACH_PORT_NULL, "ports");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
			  4000, 0, 0, 0, MU_WAIT_MS), "send to the fileport");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(reply, &r, 0, MU_WAIT_MS), "a reply");
	expect_eq(4100, r.hdr.msgh_id, "request id + 100");
	expect_eq((int)MIG_BAD_ID, (int)((const mig_reply_error_t *)&r)->RetCode,
		  "MIG_BAD_ID");
	expect_true(!pipe_closed(pfd[0], 0), "the fileport lives on");
	close(pfd[0]);
	close(pfd[1]);
}

/* The space dies with the fileport its last holder: the file goes. */
static void space_exit_releases(void)
{
	int pfd[2], go[2];
	pid_t child;

	assert_eq(0, pipe(pfd), "pipe");
	assert_eq(0, pipe(go), "pipe");
	child = mt_fork();
	if (child == 0) {
		expect_true(makeport(pfd[1]) != MACH_PORT_NULL, "fileport");
		close(pfd[1]);
		mt_post(go[1]);
		mt_child_exit();	/* with the fileport still ours */
	}
	close(pfd[1]);
	mt_await(go[0], MU_WAIT_MS);
	expect_child_ok(child, MU_WAIT_MS, "child");
	expect_true(pipe_closed(pfd[0], MU_WAIT_MS), "released when its space died");
	close(pfd[0]);
}

/* --- across processes ---------------------------------------------------- */

struct fp_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t d[4];
};

struct fp_rcv {
	struct fp_msg m;
	mach_msg_max_trailer_t t;
};

static mach_msg_return_t send_rights(mach_port_t dest, const mach_port_t *names,
				     const mach_msg_type_name_t *disp, int n,
				     mach_msg_id_t id)
{
	struct fp_msg m = {
		.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
				 MACH_MSGH_BITS_COMPLEX,
		.hdr.msgh_size = sizeof(m),
		.hdr.msgh_remote_port = dest,
		.hdr.msgh_id = id,
		.body.msgh_descriptor_count = (mach_msg_size_t)n,
	};

	for (int i = 0; i < n; i++) {
		m.d[i].name = names[i];
		m.d[i].disposition = disp[i];
		m.d[i].type = MACH_MSG_PORT_DESCRIPTOR;
	}
	return mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
			MACH_PORT_NULL, MU_WAIT_MS, MACH_PORT_NULL);
}

static bool recv_rights(mach_port_t port, struct fp_rcv *r, int n)
{
	return expect_kr(MACH_MSG_SUCCESS,
			 mach_msg(&r->m.hdr, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0,
				  sizeof(*r), port, MU_WAIT_MS, MACH_PORT_NULL),
			 "receive rights") &&
	       expect_eq(n, r->m.body.msgh_descriptor_count, "descriptor count");
}

#define FILE_TEXT	"a regular file's bytes"
#define ID_HELLO	1
#define ID_FILES	2

/* Say hello to the test's bootstrap port with a port of our own. */
static mach_port_t hello(void)
{
	mach_port_t mine = mu_port();

	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(bootstrap_port, MACH_MSG_TYPE_COPY_SEND, mine,
			  MACH_MSG_TYPE_MAKE_SEND, ID_HELLO, (uint32_t)getpid(), 0, 0,
			  MU_WAIT_MS), "hello");
	return mine;
}

/* Use the three files: read the regular one, write to the pipe and socket. */
static void use_files(const int fds[3], const char *who)
{
	char buf[64] = "";

	expect_eq(strlen(FILE_TEXT), pread(fds[0], buf, sizeof(buf), 0), "pread");
	expect_eq(0, strcmp(buf, FILE_TEXT), "the regular file's contents");
	expect_eq(strlen(who), write(fds[1], who, strlen(who)), "write to the pipe");
	expect_eq(strlen(who), write(fds[2], who, strlen(who)), "write to the socket");
}

/* B: make fds from A's fileports, use them, pass fileports of them on to C. */
static void proc_b(void)
{
	const mach_msg_type_name_t move[4] = {
		MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND,
		MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND,
	};
	mach_port_t mine = hello(), fps[3];
	int before = fd_count(), fds[3], i;
	struct fp_rcv r;

	if (!recv_rights(mine, &r, 4))
		mt_child_exit();
	for (i = 0; i < 3; i++) {
		fds[i] = fileport_makefd(r.m.d[i].name);
		expect_true(fds[i] >= 0, "fileport_makefd");
		mach_port_deallocate(mach_task_self(), r.m.d[i].name);
	}
	use_files(fds, "B");
	for (i = 0; i < 3; i++) {
		fps[i] = makeport(fds[i]);
		close(fds[i]);
	}
	/* r.m.d[3] is C's port */
	expect_kr(MACH_MSG_SUCCESS, send_rights(r.m.d[3].name, fps, move, 3, ID_FILES),
		  "fileports to C");
	mach_port_deallocate(mach_task_self(), r.m.d[3].name);
	expect_eq(before, fd_count(), "B: no descriptor left behind");
	mt_child_exit();
}

static void proc_c(void)
{
	mach_port_t mine = hello();
	int before = fd_count(), fds[3], i;
	struct fp_rcv r;

	if (!recv_rights(mine, &r, 3))
		mt_child_exit();
	for (i = 0; i < 3; i++) {
		fds[i] = fileport_makefd(r.m.d[i].name);
		expect_true(fds[i] >= 0, "fileport_makefd");
		mach_port_deallocate(mach_task_self(), r.m.d[i].name);
	}
	use_files(fds, "C");
	for (i = 0; i < 3; i++)
		close(fds[i]);
	expect_eq(before, fd_count(), "C: no descriptor left behind");
	mt_child_exit();
}

static void three_processes(void)
{
	const mach_msg_type_name_t disp[4] = {
		MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND,
		MACH_MSG_TYPE_MOVE_SEND, MACH_MSG_TYPE_MOVE_SEND,
	};
	mach_port_t dir = mu_port_send(), rights[4], b_port = 0, c_port = 0;
	char path[] = "/tmp/fileport.XXXXXX", buf[8];
	int reg, pfd[2], sv[2], before, i;
	pid_t b, c;

	assert_true(dir != MACH_PORT_NULL, "directory port");
	assert_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), dir),
		  "children's bootstrap port");
	before = fd_count();
	reg = mkstemp(path);
	assert_true(reg >= 0, "mkstemp");
	unlink(path);
	assert_eq(strlen(FILE_TEXT), write(reg, FILE_TEXT, strlen(FILE_TEXT)), "write");
	assert_eq(0, pipe(pfd), "pipe");
	assert_eq(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv), "socketpair");

	b = mt_fork();
	if (b == 0) {
		close(reg);
		close(pfd[0]);
		close(pfd[1]);
		close(sv[0]);
		close(sv[1]);
		proc_b();
	}
	c = mt_fork();
	if (c == 0) {
		close(reg);
		close(pfd[0]);
		close(pfd[1]);
		close(sv[0]);
		close(sv[1]);
		proc_c();
	}
	for (i = 0; i < 2; i++) {
		struct mu_rcv r;

		assert_kr(MACH_MSG_SUCCESS, mu_recv(dir, &r, 0, MU_WAIT_MS), "hello");
		if (mu_as_msg(&r)->a == (uint32_t)b)
			b_port = r.hdr.msgh_remote_port;
		else
			c_port = r.hdr.msgh_remote_port;
	}
	assert_true(b_port && c_port, "both children said hello");
	rights[0] = makeport(reg);
	rights[1] = makeport(pfd[1]);
	rights[2] = makeport(sv[1]);
	rights[3] = c_port;
	/* A keeps only the other ends: what B and C write must come through */
	close(reg);
	close(pfd[1]);
	close(sv[1]);
	assert_kr(MACH_MSG_SUCCESS, send_rights(b_port, rights, disp, 4, ID_FILES),
		  "fileports and C's port to B");
	expect_child_ok(b, MU_WAIT_MS, "B");
	expect_child_ok(c, MU_WAIT_MS, "C");
	expect_eq(2, read(pfd[0], buf, sizeof(buf)), "the pipe");
	expect_eq(0, memcmp(buf, "BC", 2), "B's then C's bytes");
	expect_eq(2, read(sv[0], buf, sizeof(buf)), "the socket");
	expect_eq(0, memcmp(buf, "BC", 2), "B's then C's bytes");
	expect_true(pipe_closed(pfd[0], MU_WAIT_MS), "every copy of the write end gone");
	mach_port_deallocate(mach_task_self(), b_port);
	close(pfd[0]);
	close(sv[0]);
	expect_eq(before, fd_count(), "A: no descriptor left behind");
}

/* Queued in a message whose receiver dies unreceived: the file goes. */
static void queued_when_receiver_dies(void)
{
	const mach_msg_type_name_t move = MACH_MSG_TYPE_MOVE_SEND;
	mach_port_t dir = mu_port_send();
	int pfd[2], go[2];
	fileport_t port;
	struct mu_rcv r;
	pid_t child;

	assert_kr(KERN_SUCCESS, task_set_bootstrap_port(mach_task_self(), dir),
		  "children's bootstrap port");
	assert_eq(0, pipe(pfd), "pipe");
	assert_eq(0, pipe(go), "pipe");
	child = mt_fork();
	if (child == 0) {
		close(pfd[0]);
		close(pfd[1]);
		hello();
		mt_await(go[0], MU_WAIT_MS);
		mt_child_exit();	/* never receives */
	}
	assert_kr(MACH_MSG_SUCCESS, mu_recv(dir, &r, 0, MU_WAIT_MS), "hello");
	port = makeport(pfd[1]);
	close(pfd[1]);
	assert_kr(MACH_MSG_SUCCESS, send_rights(r.hdr.msgh_remote_port, &port, &move, 1,
						ID_FILES), "queue the fileport");
	expect_true(!pipe_closed(pfd[0], 0), "held by the queued message");
	mt_post(go[1]);
	expect_child_ok(child, MU_WAIT_MS, "child");
	expect_true(pipe_closed(pfd[0], MU_WAIT_MS), "released with the message");
	close(pfd[0]);
}

/* A full space: the name cannot be made, and nothing is held. */
static void name_limit(void)
{
	const char *param = "/sys/module/mach/parameters/max_names";
	char old[32] = "", val[32];
	int p, pfd[2], n;
	fileport_t port;

	p = open(param, O_RDWR);
	if (p < 0)
		mt_skip("%s: %s", param, strerror(errno));
	assert_true(read(p, old, sizeof(old) - 1) > 0, "read max_names");
	assert_eq(0, pipe(pfd), "pipe");
	n = mu_names_count();
	snprintf(val, sizeof(val), "%d\n", n + 1);
	assert_true(pwrite(p, val, strlen(val), 0) > 0, "lower max_names");
	port = makeport(pfd[1]);
	expect_errno(fileport_makeport(pfd[1], &port), EINVAL, "no room for a name");
	pwrite(p, old, strlen(old), 0);
	close(p);
	mach_port_deallocate(mach_task_self(), port);
	close(pfd[1]);
	expect_true(pipe_closed(pfd[0], MU_WAIT_MS), "the refused fileport held nothing");
	close(pfd[0]);
}

static const struct mt_case cases[] = {
	MT_CASE(bad_input),
	MT_CASE(same_process),
	MT_CASE(last_send_right),
	MT_CASE(lsmp_shows_fileports),
	MT_CASE(message_to_fileport),
	MT_CASE(space_exit_releases),
	MT_CASE(three_processes),
	MT_CASE(queued_when_receiver_dies),
	MT_CASE(name_limit),
};

int main(void)
{
	return MT_RUN(cases);
}
