// SPDX-License-Identifier: GPL-2.0
/*
 * demo_rpc - the whole story in one screen, written as a macOS program
 * would be (only <mach/mach.h> and <servers/bootstrap.h>).
 *
 * Two sibling processes, neither the other's parent: a server checks in the
 * service "org.mach.demo" with the bootstrap server (machd), a client looks
 * it up and makes RPCs.  Each request carries a send-once reply right, a
 * port right and a 1 MiB out-of-line buffer; the server answers with the
 * buffer's checksum and uses the port right it was given.  Then the client
 * lists the names in its IPC space, as lsmp would.  Exit 0 when every
 * answer was right, so `make check` counts it as a test too.
 */
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SERVICE		"org.mach.demo"
#define REQ_ID		4200
#define ROUNDS		5
#define OOL_SIZE	(1 << 20)

struct request {
	mach_msg_header_t header;
	mach_msg_body_t body;
	mach_msg_port_descriptor_t port;	/* a right for the server to use */
	mach_msg_ool_descriptor_t data;		/* 1 MiB out of line */
	uint32_t round;
};

struct reply {
	mach_msg_header_t header;
	uint32_t round;
	uint32_t checksum;
};

struct note {
	mach_msg_header_t header;
	uint32_t round;
};

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = sum * 31 + p[i];
	return sum;
}

static void fail(const char *what, kern_return_t kr)
{
	fprintf(stderr, "demo: %s: %s (0x%x)\n", what, mach_error_string(kr), kr);
	exit(1);
}

static int server(void)
{
	union {
		struct request req;
		uint8_t buf[sizeof(struct request) + MAX_TRAILER_SIZE];
	} in;
	mach_port_t service;
	kern_return_t kr;

	kr = bootstrap_check_in(bootstrap_port, SERVICE, &service);
	if (kr != KERN_SUCCESS)
		fail("server: bootstrap_check_in", kr);
	printf("server %d: checked in %s as port 0x%x\n", getpid(), SERVICE, service);
	fflush(stdout);

	for (int i = 0; i < ROUNDS; i++) {
		struct reply rep = { 0 };
		struct note note = { 0 };

		kr = mach_msg(&in.req.header, MACH_RCV_MSG, 0, sizeof(in), service,
			      MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			fail("server: receive", kr);

		rep.header.msgh_bits = MACH_MSGH_BITS_REMOTE(in.req.header.msgh_bits);
		rep.header.msgh_size = sizeof(rep);
		rep.header.msgh_remote_port = in.req.header.msgh_remote_port;
		rep.header.msgh_id = in.req.header.msgh_id + 100;
		rep.round = in.req.round;
		rep.checksum = checksum(in.req.data.address, in.req.data.size);
		vm_deallocate(mach_task_self(), (vm_address_t)in.req.data.address,
			      in.req.data.size);

		/* use the right the client sent: a note on its own port */
		note.header.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
		note.header.msgh_size = sizeof(note);
		note.header.msgh_remote_port = in.req.port.name;
		note.header.msgh_id = 1;
		note.round = in.req.round;
		kr = mach_msg(&note.header, MACH_SEND_MSG, sizeof(note), 0,
			      MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			fail("server: send note", kr);

		kr = mach_msg(&rep.header, MACH_SEND_MSG, sizeof(rep), 0,
			      MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			fail("server: reply", kr);
	}
	return 0;
}

static void list_ports(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n, nt;

	if (mach_port_names(mach_task_self(), &names, &n, &types, &nt) != KERN_SUCCESS)
		return;
	printf("client %d: %u names in its IPC space\n", getpid(), n);
	for (mach_msg_type_number_t i = 0; i < n; i++) {
		mach_port_urefs_t refs = 0;

		mach_port_get_refs(mach_task_self(), names[i], MACH_PORT_RIGHT_SEND, &refs);
		printf("    0x%-6x %s%s%s%s  send urefs %u\n", names[i],
		       types[i] & MACH_PORT_TYPE_SEND ? "send " : "",
		       types[i] & MACH_PORT_TYPE_RECEIVE ? "recv " : "",
		       types[i] & MACH_PORT_TYPE_SEND_ONCE ? "once " : "",
		       types[i] & MACH_PORT_TYPE_DEAD_NAME ? "dead " : "", refs);
	}
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, nt * sizeof(*types));
}

static int client(void)
{
	mach_port_t service = MACH_PORT_NULL, mine, reply_port = mig_get_reply_port();
	kern_return_t kr = BOOTSTRAP_UNKNOWN_SERVICE;
	uint8_t *data;

	/* the server may not have checked in yet */
	for (int tries = 0; tries < 100 && kr == BOOTSTRAP_UNKNOWN_SERVICE; tries++) {
		kr = bootstrap_look_up(bootstrap_port, SERVICE, &service);
		if (kr == BOOTSTRAP_UNKNOWN_SERVICE)
			usleep(50000);
	}
	if (kr != KERN_SUCCESS)
		fail("client: bootstrap_look_up", kr);
	printf("client %d: looked up %s: send right 0x%x\n", getpid(), SERVICE, service);

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine);
	if (kr != KERN_SUCCESS)
		fail("client: mach_port_allocate", kr);
	kr = vm_allocate(mach_task_self(), (vm_address_t *)&data, OOL_SIZE, VM_FLAGS_ANYWHERE);
	if (kr != KERN_SUCCESS)
		fail("client: vm_allocate", kr);

	for (uint32_t round = 0; round < ROUNDS; round++) {
		union {
			struct request req;
			struct reply rep;
			uint8_t buf[sizeof(struct request) + MAX_TRAILER_SIZE];
		} m = { 0 };
		union {
			struct note note;
			uint8_t buf[sizeof(struct note) + MAX_TRAILER_SIZE];
		} n;

		for (size_t i = 0; i < OOL_SIZE; i++)
			data[i] = (uint8_t)(i * 7 + round);
		m.req.header.msgh_bits = MACH_MSGH_BITS_COMPLEX |
			MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
		m.req.header.msgh_size = sizeof(m.req);
		m.req.header.msgh_remote_port = service;
		m.req.header.msgh_local_port = reply_port;
		m.req.header.msgh_id = REQ_ID;
		m.req.body.msgh_descriptor_count = 2;
		m.req.port.name = mine;
		m.req.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
		m.req.port.type = MACH_MSG_PORT_DESCRIPTOR;
		m.req.data.address = data;
		m.req.data.size = OOL_SIZE;
		m.req.data.copy = MACH_MSG_VIRTUAL_COPY;
		m.req.data.type = MACH_MSG_OOL_DESCRIPTOR;
		m.req.round = round;

		/* send the request and wait for the reply in one call */
		kr = mach_msg(&m.req.header, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.req),
			      sizeof(m), reply_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS)
			fail("client: RPC", kr);
		if (m.rep.header.msgh_id != REQ_ID + 100 || m.rep.round != round ||
		    m.rep.checksum != checksum(data, OOL_SIZE)) {
			fprintf(stderr, "demo: round %u: wrong reply\n", round);
			return 1;
		}
		kr = mach_msg(&n.note.header, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(n),
			      mine, 10000, MACH_PORT_NULL);
		if (kr != MACH_MSG_SUCCESS || n.note.round != round)
			fail("client: note from the server", kr);
		printf("client %d: round %u: 1 MiB checksum 0x%08x confirmed; "
		       "server used our port right\n", getpid(), round, m.rep.checksum);
	}
	list_ports();
	return 0;
}

int main(void)
{
	pid_t s, c;
	int ss, cs;

	if (bootstrap_port == MACH_PORT_NULL) {
		fprintf(stderr, "demo: no bootstrap port: is machd running?\n");
		return 1;
	}
	s = fork();
	if (s == 0)
		exit(server());
	c = fork();
	if (c == 0)
		exit(client());
	waitpid(c, &cs, 0);
	if (!WIFEXITED(cs) || WEXITSTATUS(cs))
		kill(s, SIGKILL);
	waitpid(s, &ss, 0);
	if (WIFEXITED(cs) && !WEXITSTATUS(cs) && WIFEXITED(ss) && !WEXITSTATUS(ss)) {
		printf("demo: %d RPCs between two processes: ok\n", ROUNDS);
		return 0;
	}
	fprintf(stderr, "demo: failed\n");
	return 1;
}
