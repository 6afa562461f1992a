// SPDX-License-Identifier: GPL-2.0
/*
 * error_paths - error returns of the module that the other tests do not
 * reach, each with the state it must leave behind (make coverage lists
 * what is still unreached; docs/reliability.md says why).
 *
 * Raw ioctls where libmach would not pass the bad argument on:
 *  - a result the kernel cannot write back (argument struct, attribute
 *    info, peek trailer, space_info and set-status arrays in read-only
 *    memory) is -EFAULT, and the routine's effect stays (uapi: a broken
 *    call is a negative errno);
 *  - non-zero reserved words are -EINVAL; allocate_full with a prototype
 *    port is KERN_INVALID_VALUE (XNU: mach_port_allocate_full);
 *  - the fork hand-off refuses unknown cookies and other tasks
 *    (KERN_INVALID_ARGUMENT, uapi/linux/mach.h); the host's special ports
 *    are only TASK_BOOTSTRAP_PORT.
 *
 * XNU facts (osfmk/kern/ipc_tt.c, osfmk/ipc/ipc_right.c, mach_msg.c):
 *  - task_set_special_port: TASK_KERNEL_PORT and TASK_HOST_PORT are
 *    KERN_NO_ACCESS (SIP on); a slot it does not keep (TASK_NAME_PORT, out
 *    of range) is KERN_INVALID_ARGUMENT;
 *  - mach_port_mod_refs on a send or send-once right whose port died is
 *    KERN_INVALID_RIGHT (ipc_right_delta: ipc_right_check turns the entry
 *    into a dead name, then invalid_right);
 *  - MACH_RCV_LARGE into a buffer where the needed size cannot be written
 *    is MACH_RCV_INVALID_DATA, and the message stays queued;
 *  - a send that fails (MACH_SEND_TIMED_OUT) gives its rights back to the
 *    sender (the pseudo-receive) and returns the send's error even when the
 *    header cannot be written back to the buffer (mach_msg_receive_pseudo
 *    ignores ipc_kmsg_put_to_user's result);
 *  - a full name table is KERN_NO_SPACE for allocate and allocate_name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/mach.h>

#include "msg_util.h"

#define PG	4096UL

static int mach_fd(void)
{
	char path[64], target[64];

	(void)mach_task_self();	/* libmach opens the device */
	for (int fd = 0; fd < 1024; fd++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (!strcmp(target, MACH_DEVICE_PATH))
			return fd;
	}
	return -1;
}

/* The ioctl's result: a Mach code (>= 0) or -errno. */
static long raw(unsigned long cmd, void *arg)
{
	long r = ioctl(mach_fd(), cmd, arg);

	return r < 0 ? -errno : r;
}

/* A page, filled with 'fill', left with protection 'prot'. */
static void *page(int prot, int fill)
{
	void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!expect_true(p != MAP_FAILED, "mmap a page"))
		return NULL;
	memset(p, fill, PG);
	if (!expect_eq(0, mprotect(p, PG, prot), "mprotect"))
		return NULL;
	return p;
}

/* --- results that cannot be written back: -EFAULT ------------------------ */

static void args_not_writable(void)
{
	mach_port_t port = mu_port();
	struct mach_port_right_args *a = page(PROT_READ | PROT_WRITE, 0);

	assert_true(port && a, "setup");
	a->task = mach_task_self();
	a->name = port;
	assert_eq(0, mprotect(a, PG, PROT_READ), "make the arguments read-only");
	/* mach_port_type ran, but its answer has nowhere to go */
	expect_eq(-EFAULT, raw(MACH_IOC_PORT_TYPE, a), "PORT_TYPE, read-only args");
	expect_eq(MACH_PORT_TYPE_RECEIVE, mu_type(port), "the port is unchanged");
	/* an _IOW routine never writes its arguments: read-only is fine */
	expect_kr(KERN_SUCCESS, raw(MACH_IOC_PORT_DESTROY, a), "PORT_DESTROY, read-only args");
	munmap(a, PG);
}

static void attr_buffers_not_accessible(void)
{
	mach_port_t port = mu_port();
	uint32_t *ro = page(PROT_READ, 0x5a), *none = page(PROT_NONE, 0);
	struct mach_port_attr_args a = {
		.task = mach_task_self(), .name = port,
		.flavor = MACH_PORT_RECEIVE_STATUS,
		.count = MACH_PORT_RECEIVE_STATUS_COUNT,
		.info = (uintptr_t)ro,
	};

	assert_true(port && ro && none, "setup");
	expect_eq(-EFAULT, raw(MACH_IOC_PORT_GET_ATTR, &a), "get_attributes into read-only info");
	expect_eq(MACH_PORT_RECEIVE_STATUS_COUNT, a.count, "count left as given");
	expect_eq(0x5a5a5a5a, ro[0], "nothing written");

	a.flavor = MACH_PORT_LIMITS_INFO;
	a.count = MACH_PORT_LIMITS_INFO_COUNT;
	a.info = (uintptr_t)none;
	expect_eq(-EFAULT, raw(MACH_IOC_PORT_SET_ATTR, &a), "set_attributes from unreadable info");
	expect_eq(MACH_PORT_QLIMIT_DEFAULT, mu_status(port).mps_qlimit, "qlimit unchanged");
	munmap(ro, PG);
	munmap(none, PG);
}

static void peek_trailer_not_writable(void)
{
	mach_port_t port = mu_port_send();
	uint8_t *ro = page(PROT_READ, 0x5a);
	struct mach_port_peek_args a = {
		.task = mach_task_self(), .name = port,
		.trailer_type = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0),
		.trailer_size = 64, .trailer = (uintptr_t)ro,
	};
	struct mu_rcv r;

	assert_true(port && ro, "setup");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0x77, 1, 2, 0, 0),
		  "queue a message");
	expect_eq(-EFAULT, raw(MACH_IOC_PORT_PEEK, &a), "peek into a read-only trailer");
	expect_eq(0x5a, ro[0], "nothing written");
	expect_eq(64, a.trailer_size, "trailer_size left as given");
	/* peek never dequeues, even when it fails */
	expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "the message is still queued");
	expect_eq(0x77, r.hdr.msgh_id, "and it is ours");
	munmap(ro, PG);
}

static void name_arrays_not_writable(void)
{
	mach_port_t set = MACH_PORT_NULL, port = mu_port();
	uint32_t *ro = page(PROT_READ, 0x5a);
	struct mach_port_space_info_args si = {
		.task = mach_task_self(), .count = 4, .info = (uintptr_t)ro,
	};
	struct mach_port_set_status_args ss = {
		.task = mach_task_self(), .count = 4, .members = (uintptr_t)ro,
	};

	assert_true(port && ro, "setup");
	expect_eq(-EFAULT, raw(MACH_IOC_PORT_SPACE_INFO, &si), "space_info into read-only memory");
	si.reserved = 1;
	expect_eq(-EINVAL, raw(MACH_IOC_PORT_SPACE_INFO, &si), "space_info, reserved word set");

	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &set),
		  "allocate a port set");
	assert_kr(KERN_SUCCESS, mach_port_move_member(mach_task_self(), port, set),
		  "give it a member");
	ss.name = set;
	expect_eq(-EFAULT, raw(MACH_IOC_PORT_SET_STATUS, &ss), "set status into read-only memory");
	expect_eq(0x5a5a5a5a, ro[0], "nothing written");
	munmap(ro, PG);
}

/* --- arguments checked before anything happens ----------------------------- */

static void allocate_full_raw(void)
{
	struct mach_port_alloc_full_args a = {
		.task = mach_task_self(), .right = MACH_PORT_RIGHT_RECEIVE,
	};
	int before = mu_names_count();

	a.reserved = 1;
	expect_eq(-EINVAL, raw(MACH_IOC_PORT_ALLOCATE_FULL, &a), "reserved word set");
	a.reserved = 0;
	a.proto = mach_task_self();
	expect_kr(KERN_INVALID_VALUE, raw(MACH_IOC_PORT_ALLOCATE_FULL, &a), "a prototype port");
	expect_eq(MACH_PORT_NULL, a.name, "no name given back");
	expect_eq(before, mu_names_count(), "no name allocated");
}

static void fork_handoff_refusals(void)
{
	struct mach_fork_args f = { .task = mach_task_self(), .cookie = 0x7fffffffffffULL };
	mach_port_t child_task = MACH_PORT_NULL, bp = MACH_PORT_NULL, bp_after;
	int ready[2], done[2];
	pid_t pid;

	assert_kr(KERN_SUCCESS,
		  task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp),
		  "our bootstrap port");
	expect_kr(KERN_INVALID_ARGUMENT, raw(MACH_IOC_FORK_INHERIT, &f), "a cookie never issued");
	assert_kr(KERN_SUCCESS,
		  task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp_after),
		  "our bootstrap port after");
	expect_eq(bp, bp_after, "bootstrap port unchanged");

	if (geteuid() != 0)
		mt_skip("task_for_pid of a child needs root here");
	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(done), "pipe");
	pid = mt_fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		(void)mach_task_self();	/* the child's own space */
		mt_post(ready[1]);
		mt_await(done[0], MU_WAIT_MS);
		_exit(0);
	}
	assert_true(mt_await(ready[0], MU_WAIT_MS), "child has a space");
	assert_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &child_task),
		  "task_for_pid(child)");
	f.task = child_task;
	expect_kr(KERN_INVALID_ARGUMENT, raw(MACH_IOC_FORK_PREPARE, &f), "prepare on another task");
	expect_kr(KERN_INVALID_ARGUMENT, raw(MACH_IOC_FORK_INHERIT, &f), "inherit on another task");
	mt_post(done[1]);
	expect_child_ok(pid, MU_WAIT_MS, "child");
}

static void special_port_slots(void)
{
	struct mach_task_special_args a = { .task = mach_task_self(),
					    .which = TASK_KERNEL_PORT };
	mach_port_t self = mach_task_self(), got = MACH_PORT_NULL;

	/* the host keeps a bootstrap port only */
	expect_kr(KERN_INVALID_ARGUMENT, raw(MACH_IOC_HOST_GET_SPECIAL, &a), "host get, KERNEL_PORT");
	if (geteuid() == 0)
		expect_kr(KERN_INVALID_ARGUMENT, raw(MACH_IOC_HOST_SET_SPECIAL, &a),
			  "host set, KERNEL_PORT");

	/* XNU with SIP: the task and host ports are not settable */
	expect_kr(KERN_NO_ACCESS, task_set_special_port(self, TASK_KERNEL_PORT, self),
		  "set TASK_KERNEL_PORT");
	expect_kr(KERN_NO_ACCESS, task_set_special_port(self, TASK_HOST_PORT, self),
		  "set TASK_HOST_PORT");
	expect_kr(KERN_INVALID_ARGUMENT, task_set_special_port(self, TASK_NAME_PORT, self),
		  "set TASK_NAME_PORT");
	expect_kr(KERN_INVALID_ARGUMENT, task_set_special_port(self, 0, self), "set slot 0");
	expect_kr(KERN_INVALID_ARGUMENT, task_set_special_port(self, 99, self), "set slot 99");
	expect_kr(KERN_INVALID_ARGUMENT, task_get_special_port(self, 99, &got), "get slot 99");
	/* the refused calls took no reference on our task port */
	expect_kr(KERN_SUCCESS, task_get_special_port(self, TASK_KERNEL_PORT, &got),
		  "get TASK_KERNEL_PORT");
	expect_eq(self, got, "it is mach_task_self()");
}

/* --- rights whose port died, not yet looked at --------------------------- */

/*
 * A port whose receive right sits in a message queued on 'carrier': our
 * other names for it keep their types until the carrier is destroyed.
 */
static bool park_receive_right(mach_port_t port, mach_port_t carrier)
{
	struct {
		mach_msg_header_t hdr;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t d;
	} m = {
		.hdr = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0) |
				     MACH_MSGH_BITS_COMPLEX,
			.msgh_size = sizeof(m), .msgh_remote_port = carrier,
		},
		.body = { .msgh_descriptor_count = 1 },
		.d = { .name = port, .disposition = MACH_MSG_TYPE_MOVE_RECEIVE,
		       .type = MACH_MSG_PORT_DESCRIPTOR },
	};

	return expect_kr(MACH_MSG_SUCCESS,
			 mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m),
				  0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
			 "send the receive right away");
}

static void mod_refs_after_port_death(void)
{
	mach_port_t port = mu_port_send(), carrier = mu_port(), so = MACH_PORT_NULL;
	mach_msg_type_name_t got;

	assert_true(port && carrier, "setup");
	assert_kr(KERN_SUCCESS,
		  mach_port_extract_right(mach_task_self(), port,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &got),
		  "a send-once right");
	assert_true(park_receive_right(port, carrier), "park");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(port), "now only a send right");
	/* destroying the carrier destroys the queued receive right */
	assert_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), carrier), "destroy carrier");

	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND, -1),
		  "mod_refs(SEND) on a dead port");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(port), "it became a dead name");
	expect_eq(1, mu_refs(port, MACH_PORT_RIGHT_DEAD_NAME), "with its reference");

	expect_kr(KERN_INVALID_RIGHT,
		  mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_SEND_ONCE, -1),
		  "mod_refs(SEND_ONCE) on a dead port");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(so), "it became a dead name");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_DEAD_NAME, -1),
		  "drop the dead name");
	expect_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), so, MACH_PORT_RIGHT_DEAD_NAME, -1),
		  "drop the other");
}

/* --- message buffers the kernel cannot write -------------------------------- */

static void rcv_large_size_not_writable(void)
{
	mach_port_t port = mu_port_send();
	uint8_t *ro = page(PROT_READ, 0);
	struct mach_ioc_msg a = { 0 };
	struct mu_rcv r;

	assert_true(port && ro, "setup");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0x78, 1, 2, 0, 0),
		  "queue a message");
	a.rcv_msg = (uintptr_t)ro;
	a.rcv_size = sizeof(mach_msg_header_t);	/* too small for it */
	a.rcv_name = port;
	a.option = MACH_RCV_MSG | MACH_RCV_LARGE | MACH_RCV_TIMEOUT;
	expect_kr(MACH_RCV_INVALID_DATA, raw(MACH_IOC_MSG, &a),
		  "RCV_LARGE cannot write the size it needs");
	expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "the message stayed queued");
	expect_eq(0x78, r.hdr.msgh_id, "and it is ours");
	munmap(ro, PG);
}

static void send_undo_buffer_not_writable(void)
{
	mach_port_t port = mu_port_send();
	struct mu_msg *m = page(PROT_READ | PROT_WRITE, 0);
	struct mach_ioc_msg a = { 0 };
	mach_port_limits_t lim = { .mpl_qlimit = 1 };
	int i;

	assert_true(port && m, "setup");
	assert_kr(KERN_SUCCESS,
		  mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT),
		  "qlimit 1");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1, 1, 2, 0, 0),
		  "fill the queue");
	assert_kr(KERN_SUCCESS,
		  mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_SEND, 1),
		  "a second send reference");
	m->hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	m->hdr.msgh_size = sizeof(*m);
	m->hdr.msgh_remote_port = port;
	m->hdr.msgh_id = 2;
	assert_eq(0, mprotect(m, PG, PROT_READ), "make the message read-only");
	a.send_msg = (uintptr_t)m;
	a.send_size = sizeof(*m);
	a.option = MACH_SEND_MSG | MACH_SEND_TIMEOUT;
	for (i = 0; i < 2; i++)
		expect_kr(MACH_SEND_TIMED_OUT, raw(MACH_IOC_MSG, &a),
			  "full queue: the send's own error, header not written back");
	/* the moved send reference came back each time */
	expect_eq(2, mu_refs(port, MACH_PORT_RIGHT_SEND), "send references");
	expect_eq(1, mu_status(port).mps_msgcount, "only the first message queued");
	munmap(m, PG);
}

/* --- a full name table ---------------------------------------------------------- */

#define MAX_NAMES "/sys/module/mach/parameters/max_names"

static bool write_param(const char *path, unsigned long v)
{
	char buf[32];
	int fd = open(path, O_WRONLY), n;

	if (fd < 0)
		return false;
	n = snprintf(buf, sizeof(buf), "%lu", v);
	n = write(fd, buf, n) == n;
	close(fd);
	return n;
}

static unsigned long read_param(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = 0;
	if (fd >= 0)
		close(fd);
	return strtoul(buf, NULL, 10);
}

static void name_table_full(void)
{
	unsigned long saved = read_param(MAX_NAMES);
	mach_port_t names[4], extra = MACH_PORT_NULL;
	int n = mu_names_count(), i, got = 0;
	kern_return_t kr = KERN_SUCCESS;

	if (geteuid() != 0 || !saved)
		mt_skip("needs root to set %s", MAX_NAMES);
	assert_true(n > 0, "names count");
	/* room for three more names in this space (every space, briefly) */
	assert_true(write_param(MAX_NAMES, (unsigned long)n + 3), "lower max_names");
	for (i = 0; i < 4 && kr == KERN_SUCCESS; i++) {
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &names[i]);
		got += kr == KERN_SUCCESS;
	}
	expect_kr(KERN_NO_SPACE, kr, "allocate in a full table");
	expect_eq(3, got, "three fitted");
	expect_kr(KERN_NO_SPACE,
		  mach_port_allocate_name(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, 0x7103),
		  "allocate_name in a full table");
	expect_eq(n + 3, mu_names_count(), "the table is full, not overfull");
	/* a freed name makes room again */
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), names[0]), "free one");
	expect_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &extra),
		  "allocate after a free");
	expect_true(write_param(MAX_NAMES, saved), "restore max_names");
}

static const struct mt_case cases[] = {
	MT_CASE(args_not_writable),
	MT_CASE(attr_buffers_not_accessible),
	MT_CASE(peek_trailer_not_writable),
	MT_CASE(name_arrays_not_writable),
	MT_CASE(allocate_full_raw),
	MT_CASE(fork_handoff_refusals),
	MT_CASE(special_port_slots),
	MT_CASE(mod_refs_after_port_death),
	MT_CASE(rcv_large_size_not_writable),
	MT_CASE(send_undo_buffer_not_writable),
	MT_CASE(name_table_full),
};

int main(void)
{
	return MT_RUN(cases);
}
