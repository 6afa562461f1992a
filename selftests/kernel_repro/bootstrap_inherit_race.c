/*
 * Kernel/libmach divergence reproducer: a forked child's TASK_BOOTSTRAP_PORT.
 * On macOS the child's special ports are copied from the parent at fork().
 * Here the child's IPC space is made when the child opens /dev/mach (in
 * libmach's atfork child handler), and it copies the parent's bootstrap
 * port *as it is then*.  The pre-launchd idiom "task_set_bootstrap_port(my
 * port); fork(); task_set_bootstrap_port(old)" then hands the child the
 * old port whenever the parent restores it before the child runs.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	mach_port_t task = mach_task_self(), mine, saved;
	struct { mach_msg_header_t h; mach_msg_trailer_t t; } r;
	int status;
	pid_t child;
	kern_return_t kr;

	task_get_bootstrap_port(task, &saved);
	mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &mine);
	mach_port_insert_right(task, mine, mine, MACH_MSG_TYPE_MAKE_SEND);
	task_set_bootstrap_port(task, mine);
	/* one CPU: the parent runs on after fork() until it waits, as a busy launcher would */
	{
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(0, &one);
		sched_setaffinity(0, sizeof one, &one);
	}
	child = fork();
	if (child == 0) {
		mach_msg_header_t h;
		memset(&h, 0, sizeof h);
		h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		h.msgh_size = sizeof h;
		h.msgh_remote_port = bootstrap_port;	/* should be 'mine' */
		h.msgh_id = 4321;
		mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof h, 0, MACH_PORT_NULL, 1000, MACH_PORT_NULL);
		_exit(0);
	}
	task_set_bootstrap_port(task, saved);	/* restore at once, as launchers do */
	waitpid(child, &status, 0);
	kr = mach_msg(&r.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof r, mine, 2000, MACH_PORT_NULL);
	printf("child's message on the port its parent set before fork: kr=0x%x id=%d (want 0x0, 4321)\n", kr, kr ? 0 : r.h.msgh_id);
	return kr != KERN_SUCCESS || r.h.msgh_id != 4321;
}
