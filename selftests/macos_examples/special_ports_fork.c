/* Pre-launchd style: hand a port to a child through TASK_BOOTSTRAP_PORT; process death
 * shows up as dead-name and no-senders notifications. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <mach/notify.h>
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

typedef struct {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;
	int pid;
} hello_t;

typedef struct {
	hello_t m;
	mach_msg_trailer_t trailer;
} hello_rcv_t;

int main(void)
{
	mach_port_t task = mach_task_self(), mine, saved, notify, childport, prev;
	hello_rcv_t r;
	pid_t child;
	int status;

	KR(task_get_bootstrap_port(task, &saved), KERN_SUCCESS);
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &mine), KERN_SUCCESS);
	KR(mach_port_insert_right(task, mine, mine, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(task_set_bootstrap_port(task, mine), KERN_SUCCESS);
	{
		mach_port_t got;
		KR(task_get_bootstrap_port(task, &got), KERN_SUCCESS);
		CHECK(got == mine);
		KR(mach_port_deallocate(task, got), KERN_SUCCESS);
	}
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &notify), KERN_SUCCESS);
	KR(mach_port_request_notification(task, mine, MACH_NOTIFY_NO_SENDERS, 1, notify,
		MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);

	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		mach_port_t bp, p;
		hello_t m;
		struct { mach_msg_header_t h; mach_msg_trailer_t t; } wait_msg;
		KR(task_get_bootstrap_port(mach_task_self(), &bp), KERN_SUCCESS);
		CHECK(bp == bootstrap_port);
		KR(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
		memset(&m, 0, sizeof m);
		m.header.msgh_bits = MACH_MSGH_BITS_SET(MACH_MSG_TYPE_COPY_SEND, 0, 0, MACH_MSGH_BITS_COMPLEX);
		m.header.msgh_size = sizeof m;
		m.header.msgh_remote_port = bootstrap_port;
		m.header.msgh_id = 1;
		m.body.msgh_descriptor_count = 1;
		m.port.name = p;
		m.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.port.type = MACH_MSG_PORT_DESCRIPTOR;
		m.pid = getpid();
		KR(mach_msg(&m.header, MACH_SEND_MSG, sizeof m, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		/* wait for the parent's go (a message on p), then die without cleaning up */
		KR(mach_msg(&wait_msg.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof wait_msg, p, 20000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
		_exit(0);
	}
	KR(mach_msg(&r.m.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, mine, 20000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	/* the parent's own bootstrap port is back to normal for the rest of the program */
	KR(task_set_bootstrap_port(task, saved), KERN_SUCCESS);
	CHECK(r.m.header.msgh_id == 1);
	CHECK(r.m.pid == child);
	CHECK(r.m.port.disposition == MACH_MSG_TYPE_PORT_SEND);
	childport = r.m.port.name;
	KR(mach_port_request_notification(task, childport, MACH_NOTIFY_DEAD_NAME, 0, notify,
		MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev), KERN_SUCCESS);
	/* drop our own send right to 'mine': the child still holds one (its bootstrap port) */
	KR(mach_port_deallocate(task, mine), KERN_SUCCESS);
	{
		struct { mach_msg_header_t h; mach_msg_trailer_t t; } e;
		KR(mach_msg(&e.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof e, notify, 100, MACH_PORT_NULL), MACH_RCV_TIMED_OUT);
	}
	{
		mach_msg_header_t go;
		memset(&go, 0, sizeof go);
		go.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		go.msgh_size = sizeof go;
		go.msgh_remote_port = childport;
		KR(mach_msg(&go, MACH_SEND_MSG, sizeof go, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_MSG_SUCCESS);
	}
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* both notifications arrive, in either order */
	{
		int dead = 0, nosenders = 0;
		for (int i = 0; i < 2; i++) {
			union {
				mach_msg_header_t h;
				mach_dead_name_notification_t d;
				mach_no_senders_notification_t n;
			} u;
			KR(mach_msg(&u.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof u, notify, 10000, MACH_PORT_NULL), MACH_MSG_SUCCESS);
			if (u.h.msgh_id == MACH_NOTIFY_DEAD_NAME) {
				CHECK(u.d.not_port == childport);
				dead++;
			} else if (u.h.msgh_id == MACH_NOTIFY_NO_SENDERS) {
				CHECK(u.n.not_count == 1);
				nosenders++;
			} else {
				fprintf(stderr, "unexpected notification %d\n", u.h.msgh_id);
				return 1;
			}
		}
		CHECK(dead == 1 && nosenders == 1);
	}
	{
		mach_port_type_t t;
		KR(mach_port_type(task, childport, &t), KERN_SUCCESS);
		CHECK(t == MACH_PORT_TYPE_DEAD_NAME);
		/* sending to a dead name */
		mach_msg_header_t h;
		memset(&h, 0, sizeof h);
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		h.msgh_size = sizeof h;
		h.msgh_remote_port = childport;
		KR(mach_msg(&h, MACH_SEND_MSG, sizeof h, 0, MACH_PORT_NULL, 0, MACH_PORT_NULL), MACH_SEND_INVALID_DEST);
	}
	printf("special_ports_fork: ok\n");
	return 0;
}
