// SPDX-License-Identifier: GPL-2.0
/*
 * trace_events - the module's tracepoints (events/mach/ in tracefs) fire
 * for a send, a receive, a failed mach_msg, port creation and death, and a
 * notification, with the fields they document.
 *
 * Needs root and a kernel with event tracing; skipped otherwise.  Events of
 * other processes may be interleaved, so each check looks for a line with
 * this test's own message ids.
 *
 * perf_and_ftrace: the same events counted by perf (PERF_TYPE_TRACEPOINT)
 * while tracefs records them too; with two probes on a tracepoint the
 * kernel calls each through the event's iterator, and perf's handlers are
 * the module's own code as well.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "msg_util.h"

#define ID		0x7e57	/* 32343 */
static const char *tracefs;

static bool write_file(const char *dir, const char *file, const char *text)
{
	char path[256];
	int fd, n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return false;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (int)strlen(text);
}

static void need_tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char path[256];
	unsigned int i;

	if (geteuid() != 0)
		mt_skip("needs root for tracefs");
	if (access("/sys/kernel/tracing/trace", F_OK) != 0)
		mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/mach/enable", dirs[i]);
		if (access(path, W_OK) == 0) {
			tracefs = dirs[i];
			return;
		}
	}
	mt_skip("no tracefs with events/mach on this kernel");
}

/* The whole trace buffer (static, NUL-terminated). */
static const char *read_trace(void)
{
	static char buf[1 << 20];
	char path[256];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/trace", tracefs);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return "";
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	return buf;
}

/* Is there a line with event 'event' that contains every string in 'has'? */
static bool traced(const char *trace, const char *event, const char *has1,
		   const char *has2)
{
	const char *line = trace;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char one[512];

		if (len < sizeof(one)) {
			memcpy(one, line, len);
			one[len] = 0;
			if (strstr(one, event) && (!has1 || strstr(one, has1)) &&
			    (!has2 || strstr(one, has2)))
				return true;
		}
		line = end ? end + 1 : NULL;
	}
	return false;
}

static void events_fire(void)
{
	mach_port_t port, so = MACH_PORT_NULL;
	mach_msg_type_name_t got;
	const char *t;
	struct mu_rcv r;
	char want[64];

	need_tracefs();
	assert_true(write_file(tracefs, "trace", ""), "clear the trace buffer");
	assert_true(write_file(tracefs, "events/mach/enable", "1"), "enable events/mach");

	port = mu_port_send();
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID,
			  1, 2, 0, 0),
		  "send");
	expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "empty queue");
	/* a send-once right destroyed unused: a MACH_NOTIFY_SEND_ONCE (71) */
	expect_kr(KERN_SUCCESS,
		  mach_port_extract_right(mach_task_self(), port,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &got),
		  "make a send-once right");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so),
		  "destroy it unused");
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port),
		  "destroy the port");

	write_file(tracefs, "events/mach/enable", "0");
	t = read_trace();
	snprintf(want, sizeof(want), "id=%d ", ID);
	expect_true(traced(t, "mach_msg_send:", want, "size=32"),
		    "mach_msg_send with our id and size");
	expect_true(traced(t, "mach_msg_receive:", want, "seqno=0"),
		    "mach_msg_receive with our id and seqno");
	snprintf(want, sizeof(want), "name=0x%x ", port);
	expect_true(traced(t, "mach_msg_fail:", want, "ret=0x10004003"),
		    "mach_msg_fail with MACH_RCV_TIMED_OUT on our port");
	expect_true(traced(t, "mach_port_create:", NULL, NULL), "mach_port_create");
	expect_true(traced(t, "mach_port_destroy:", NULL, NULL), "mach_port_destroy");
	expect_true(traced(t, "mach_notify:", "id=71", NULL),
		    "mach_notify for the send-once notification");
	if (mt_failed)
		mt_diag("trace buffer was:\n%.4000s", t);
}

/* Every event the module defines, and what makes each fire once. */
static const char *const perf_events[] = {
	"mach_msg_send", "mach_msg_receive", "mach_msg_fail",
	"mach_port_create", "mach_port_destroy", "mach_notify",
};
#define NPERF (sizeof(perf_events) / sizeof(perf_events[0]))

/* A counting perf event on tracepoint events/mach/NAME for this process. */
static int perf_tracepoint(const char *name)
{
	struct perf_event_attr attr;
	char path[256], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "%s/events/mach/%s/id", tracefs, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	memset(&attr, 0, sizeof(attr));
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.size = sizeof(attr);
	attr.config = strtoull(buf, NULL, 10);
	return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
}

static void perf_and_ftrace(void)
{
	mach_port_t port, so = MACH_PORT_NULL;
	mach_msg_type_name_t got;
	int fds[NPERF];
	struct mu_rcv r;
	unsigned int i;

	need_tracefs();
	for (i = 0; i < NPERF; i++) {
		fds[i] = perf_tracepoint(perf_events[i]);
		if (fds[i] < 0 && (errno == ENOSYS || errno == ENODEV))
			mt_skip("no perf tracepoint events here (%s)", strerror(errno));
		assert_true(fds[i] >= 0, perf_events[i]);
	}
	assert_true(write_file(tracefs, "events/mach/enable", "1"), "enable events/mach");

	port = mu_port_send();
	expect_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID, 1, 2, 0, 0),
		  "send");
	expect_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, 0), "receive");
	expect_kr(MACH_RCV_TIMED_OUT, mu_recv(port, &r, 0, 0), "empty queue");
	expect_kr(KERN_SUCCESS,
		  mach_port_extract_right(mach_task_self(), port,
					  MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &got),
		  "make a send-once right");
	expect_kr(KERN_SUCCESS, mach_port_deallocate(mach_task_self(), so),
		  "destroy it unused");
	expect_kr(KERN_SUCCESS, mach_port_destroy(mach_task_self(), port),
		  "destroy the port");
	write_file(tracefs, "events/mach/enable", "0");

	for (i = 0; i < NPERF; i++) {
		uint64_t count = 0;

		expect_eq(sizeof(count), read(fds[i], &count, sizeof(count)), "read the count");
		if (!expect_true(count >= 1, "perf counted the event"))
			mt_diag("%s: %llu", perf_events[i], (unsigned long long)count);
		close(fds[i]);
	}
}

static const struct mt_case cases[] = {
	MT_CASE(events_fire),
	MT_CASE(perf_and_ftrace),
};

int main(void)
{
	return MT_RUN(cases);
}
