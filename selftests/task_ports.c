// SPDX-License-Identifier: GPL-2.0
/*
 * task_ports - task_for_pid and pid_for_task, and working on another task's
 * space through its task port.
 *
 * task_for_pid follows ptrace's credential rules (docs/security.md): a
 * process may get the task port of itself, of a process with all the same
 * uids and gids, or of anyone with CAP_SYS_PTRACE; every refusal is
 * KERN_FAILURE, as on macOS.  With the port, mach_port_* work on the
 * target's space (as a debugger uses them).
 *
 * The cases across users (refusal for another uid or gid, CAP_SYS_PTRACE,
 * targets that are not dumpable) are in task_for_pid_xuser.c.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg_util.h"

static void self(void)
{
	mach_port_t t;
	int pid = -1;

	expect_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), getpid(), &t),
		  "task_for_pid(self)");
	expect_eq(mach_task_self(), t, "the same name as mach_task_self()");
	expect_kr(KERN_SUCCESS, pid_for_task(t, &pid), "pid_for_task");
	expect_eq(getpid(), pid, "our pid");
	expect_kr(KERN_FAILURE, task_for_pid(mach_task_self(), 0, &t),
		  "pid 0 (the kernel) is refused");
	expect_kr(KERN_FAILURE, task_for_pid(mach_task_self(), 0x7ffffff0, &t),
		  "no such process");
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), mach_task_self()),
		  "destroying our pinned task port name");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(mach_task_self()),
		  "it keeps its last reference, as XNU keeps a pinned right");
	expect_kr(KERN_FAILURE, task_for_pid(MACH_PORT_NULL, getpid(), &t),
		  "no task port to ask with (a trap: KERN_FAILURE, as XNU)");
	expect_eq(MACH_PORT_NULL, t, "and no port");
	pid = 0;
	expect_kr(KERN_FAILURE, pid_for_task(mach_reply_port(), &pid),
		  "pid_for_task of a port that is not a task's");
	expect_eq(-1, pid, "pid -1, as XNU");
}

/* A child of ours (same credentials): we get its port and work in it. */
static void child_same_user(void)
{
	mach_port_t t, port, there;
	mach_port_type_t type;
	mach_msg_type_name_t got;
	int ready[2], pid_out = -1;
	pid_t pid;

	assert_eq(0, pipe(ready), "pipe");
	pid = fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		char c = 1;

		(void)mach_task_self();	/* open the device: a space to find */
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	{
		char c;

		assert_eq(1, read(ready[0], &c, 1), "child ready");
	}
	if (expect_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &t),
		      "task_for_pid(child)")) {
		expect_kr(KERN_SUCCESS, pid_for_task(t, &pid_out), "pid_for_task");
		expect_eq(pid, pid_out, "the child's pid");
		/* put a receive right of ours into the child, take it back */
		port = mu_port();
		expect_kr(KERN_SUCCESS,
			  mach_port_insert_right(t, 0x70003, port, MACH_MSG_TYPE_MAKE_SEND),
			  "insert a send right into the child's space");
		expect_kr(KERN_SUCCESS, mach_port_type(t, 0x70003, &type),
			  "type in the child");
		expect_eq(MACH_PORT_TYPE_SEND, type, "a send right there");
		expect_kr(KERN_SUCCESS,
			  mach_port_extract_right(t, 0x70003, MACH_MSG_TYPE_MOVE_SEND,
						  &there, &got),
			  "extract it back");
		expect_eq(port, there, "coalesced with our receive right");
		expect_eq(MACH_MSG_TYPE_PORT_SEND, got, "as a send right");
		expect_kr(KERN_INVALID_NAME, mach_port_type(t, 0x70003, &type),
			  "gone from the child");
		mach_port_deallocate(mach_task_self(), t);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
}

/* When the task dies, a task port held elsewhere becomes a dead name. */
static void task_port_dies(void)
{
	int ready[2];
	mach_port_type_t type;
	mach_port_t t;
	pid_t pid;
	char c;

	assert_eq(0, pipe(ready), "pipe");
	pid = fork();
	assert_true(pid >= 0, "fork");
	if (pid == 0) {
		(void)mach_task_self();
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_eq(1, read(ready[0], &c, 1), "child ready");
	assert_kr(KERN_SUCCESS, task_for_pid(mach_task_self(), pid, &t), "task_for_pid");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	expect_kr(KERN_SUCCESS, mach_port_type(mach_task_self(), t, &type), "type");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, type, "the task port is a dead name");
	expect_kr(MACH_SEND_INVALID_DEST, mach_port_type(t, 0x103, &type),
		  "a dead task port names no task");
	close(ready[0]);
	close(ready[1]);
}

/*
 * The last user reference to our own task port cannot be moved out of the
 * space (XNU: KERN_INVALID_CAPABILITY, MPG_FLAGS_MOD_REFS_PINNED_COPYIN):
 * not by extract_right, not as a message's destination, not in a body.
 * References above the last move as usual.
 */
static void pinned_self_move(void)
{
	mach_port_t self = mach_task_self(), got = MACH_PORT_NULL, port = mu_port();
	mach_msg_type_name_t gt;
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_port_descriptor_t d[2];
	} m;
	struct mu_rcv r;

	expect_eq(1, mu_refs(self, MACH_PORT_RIGHT_SEND), "one reference to start");
	expect_kr(KERN_INVALID_CAPABILITY,
		  mach_port_extract_right(self, self, MACH_MSG_TYPE_MOVE_SEND, &got, &gt),
		  "extract_right MOVE_SEND of the last reference");
	expect_eq(MACH_PORT_NULL, got, "nothing extracted");
	expect_kr(MACH_SEND_INVALID_DEST,
		  mu_send(self, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0, 1, 0, 0, 0, 0),
		  "MOVE_SEND as the destination");

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_MAKE_SEND, 0, 0,
					   MACH_MSGH_BITS_COMPLEX);
	m.h.msgh_size = sizeof(m.h) + sizeof(m.b) + sizeof(m.d[0]);
	m.h.msgh_remote_port = port;
	m.b.msgh_descriptor_count = 1;
	m.d[0].name = self;
	m.d[0].disposition = MACH_MSG_TYPE_MOVE_SEND;
	m.d[0].type = MACH_MSG_PORT_DESCRIPTOR;
	m.d[1] = m.d[0];
	expect_kr(MACH_SEND_INVALID_RIGHT,
		  mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, 0, 0, 0),
		  "MOVE_SEND in a port descriptor");
	expect_eq(MACH_PORT_TYPE_SEND, mu_type(self), "the name stays a send right");
	expect_eq(1, mu_refs(self, MACH_PORT_RIGHT_SEND), "with its one reference");

	/* with two references, moving both at once is refused too */
	assert_kr(KERN_SUCCESS, mach_port_mod_refs(self, self, MACH_PORT_RIGHT_SEND, 1),
		  "a second reference");
	m.b.msgh_descriptor_count = 2;
	m.h.msgh_size = sizeof(m);
	expect_kr(MACH_SEND_INVALID_RIGHT,
		  mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, 0, 0, 0),
		  "two MOVE_SENDs of two references");
	expect_eq(2, mu_refs(self, MACH_PORT_RIGHT_SEND), "both references stay");

	/* but one of two moves */
	m.b.msgh_descriptor_count = 1;
	m.h.msgh_size = sizeof(m.h) + sizeof(m.b) + sizeof(m.d[0]);
	expect_kr(MACH_MSG_SUCCESS,
		  mach_msg(&m.h, MACH_SEND_MSG, m.h.msgh_size, 0, 0, 0, 0),
		  "MOVE_SEND of a reference above the last");
	expect_eq(1, mu_refs(self, MACH_PORT_RIGHT_SEND), "one reference left");
	if (expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive it")) {
		const mach_msg_port_descriptor_t *d =
			(const void *)((const char *)&r.hdr + sizeof(mach_msg_header_t) +
				       sizeof(mach_msg_body_t));

		expect_eq(self, d->name, "it arrives under the same name");
		expect_eq(2, mu_refs(self, MACH_PORT_RIGHT_SEND), "as a second reference");
		mach_port_deallocate(self, self);
	}
	expect_eq(1, mu_refs(self, MACH_PORT_RIGHT_SEND), "back to one reference");
	mach_port_destroy(self, port);
}

/*
 * A message to a task port goes to the kernel's server for it, which knows
 * no routine by message (libmach's routines are ioctls) and answers as
 * XNU answers an unknown id: the send succeeds, the request's rights are
 * destroyed, and the reply port gets a mig_reply_error_t with MIG_BAD_ID.
 */
static void message_to_task_port(void)
{
	mach_port_t self = mach_task_self(), reply = mu_port(), carried = mu_port_send();
	union {
		mach_msg_header_t h;
		struct {
			mach_msg_header_t h;
			mach_msg_body_t b;
			mach_msg_port_descriptor_t d;
		} c;
		struct {
			mig_reply_error_t r;
			mach_msg_max_trailer_t t;
		} rcv;
	} m;

	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.h.msgh_size = sizeof(m.h);
	m.h.msgh_remote_port = self;
	m.h.msgh_id = 4242;
	expect_kr(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.h), 0, 0, 0, 0),
		  "a send to our task port succeeds");
	expect_eq(1, mu_refs(self, MACH_PORT_RIGHT_SEND), "COPY_SEND left the name as it was");

	/* an RPC: the answer is MIG_BAD_ID on the reply port */
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.h.msgh_size = sizeof(m.h);
	m.h.msgh_remote_port = self;
	m.h.msgh_local_port = reply;
	m.h.msgh_id = 3404;
	if (expect_kr(MACH_MSG_SUCCESS,
		      mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT, sizeof(m.h),
			       sizeof(m.rcv), reply, 5000, 0),
		      "an RPC to our task port gets an answer")) {
		expect_eq(3404 + 100, m.rcv.r.Head.msgh_id, "msgh_id: the request's + 100");
		expect_eq(sizeof(mig_reply_error_t), m.rcv.r.Head.msgh_size,
			  "a mig_reply_error_t");
		expect_eq(MIG_BAD_ID, m.rcv.r.RetCode, "RetCode MIG_BAD_ID");
		expect_eq(reply, m.rcv.r.Head.msgh_local_port, "received on the reply port");
		expect_eq(MACH_PORT_NULL, m.rcv.r.Head.msgh_remote_port, "no reply right in it");
		expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(m.rcv.r.Head.msgh_bits),
			  "delivered on the send-once right it was sent with");
	}

	/* the request's rights are destroyed: a receive right carried dies */
	memset(&m, 0, sizeof(m));
	m.c.h.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0,
					     MACH_MSGH_BITS_COMPLEX);
	m.c.h.msgh_size = sizeof(m.c);
	m.c.h.msgh_remote_port = self;
	m.c.b.msgh_descriptor_count = 1;
	m.c.d.name = carried;
	m.c.d.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.c.d.type = MACH_MSG_PORT_DESCRIPTOR;
	expect_kr(MACH_MSG_SUCCESS, mach_msg(&m.h, MACH_SEND_MSG, sizeof(m.c), 0, 0, 0, 0),
		  "a complex message to our task port");
	expect_eq(MACH_PORT_TYPE_DEAD_NAME, mu_type(carried),
		  "the receive right it carried was destroyed: our send right is dead");
	mach_port_deallocate(self, carried);
	mach_port_destroy(self, reply);
}

static const struct mt_case cases[] = {
	MT_CASE(self),
	MT_CASE(child_same_user),
	MT_CASE(task_port_dies),
	MT_CASE(pinned_self_move),
	MT_CASE(message_to_task_port),
};

int main(void)
{
	return MT_RUN(cases);
}
