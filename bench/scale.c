// SPDX-License-Identifier: GPL-2.0
/*
 * machbench's scale rows: does a message cost more in a big IPC space, and
 * how much kernel memory does a port or a queued message take?
 *
 *  - mach-names-N: the 64 B mach-rpc round trip, its space padded with
 *    receive rights to exactly N names (client and server are threads of
 *    one process, so they share that space).  The module's name table is
 *    an xarray whose height follows the highest index in use, so every
 *    look-up in it walks the full height, whichever name it is.
 *  - mem-port: kernel memory per port whose receive right is here and
 *    whose one send right is held by another process (a forked child),
 *    i.e. the port and both spaces' entries and index nodes.
 *  - mem-msg: kernel memory per queued 64-byte message.
 * All of them run in a fresh process (machbench.c), as a name table never
 * shrinks: one grown by earlier rows would make "10 names" a big table,
 * and its free entries would be reused instead of allocated.
 * Memory is the growth of Slab in /proc/meminfo (all slab caches: the
 * module's own and the xarray and hash-table nodes it allocates), divided
 * by the number of objects created.  (MemFree is no measure: pages taken
 * from and freed to the per-CPU lists do not move it.)
 */
#include "machbench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mach_debug/ipc_info.h>

/* ------------------------------------------------------------------ */
/* Name-table scale                                                     */

static const unsigned int name_counts[] = { 10, 100000, 0 };

static unsigned int names_in_space(void)
{
	ipc_info_space_basic_t info;

	kr_check(mach_port_space_basic_info(mach_task_self(), &info),
		 "mach_port_space_basic_info");
	return info.iisb_table_inuse;
}

static int names_setup(struct ctx *c)
{
	long max = read_proc_long("/sys/module/mach/parameters/max_names", -1);
	unsigned int have;

	if (max >= 0 && max < (long)c->variant) {
		snprintf(c->note, sizeof(c->note), "max_names is %ld (raise it in "
			 "/sys/module/mach/parameters)", max);
		return 1;
	}
	mach_setup(c);
	have = names_in_space();
	if (have > c->variant) {
		snprintf(c->note, sizeof(c->note), "the space already holds %u names", have);
		mach_teardown(c);
		return 1;
	}
	c->nextra = c->variant - have;
	c->extra = calloc(c->nextra ? c->nextra : 1, sizeof(*c->extra));
	if (!c->extra)
		die("out of memory");
	for (unsigned int i = 0; i < c->nextra; i++)
		c->extra[i] = new_port(false);
	if (names_in_space() != c->variant)
		die("mach-names: the space holds %u names, not %u", names_in_space(),
		    c->variant);
	return 0;
}

static void names_teardown(struct ctx *c)
{
	for (unsigned int i = 0; i < c->nextra; i++)
		mach_port_destroy(mach_task_self(), c->extra[i]);
	free(c->extra);
	c->extra = NULL;
	mach_teardown(c);
}

const struct mech mech_names = {
	"mach-names", "rt", "mach-rpc in a space of 10 / 100000 names", true,
	names_setup, mach_server, mach_rpc_client, mach_stop, names_teardown, sz_64,
	name_counts, true
};

/* ------------------------------------------------------------------ */
/* Kernel memory                                                        */

#define MEM_PORTS	20000
#define MEM_BATCH	8192	/* rights per message (the module takes 16383) */
#define MEM_QPORTS	20
#define MEM_QDEPTH	1000	/* per port; the queue limit's maximum is 1024 */

#define ID_HELLO	0x6d620010
#define ID_BATCH	0x6d620011
#define ID_DONE		0x6d620012
#define ID_ACK		0x6d620013
#define ID_EXIT		0x6d620014

struct meminfo {
	long slab_kb;
};

static int read_meminfo(struct meminfo *mi)
{
	FILE *f;
	char line[128];

	/* Fold the per-CPU counter deltas in first, where we may (root). */
	f = fopen("/proc/sys/vm/stat_refresh", "w");
	if (f) {
		fputs("1\n", f);
		fclose(f);
	}
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	mi->slab_kb = -1;
	while (fgets(line, sizeof(line), f))
		sscanf(line, "Slab: %ld kB", &mi->slab_kb);
	fclose(f);
	return mi->slab_kb < 0 ? -1 : 0;
}

/* Size of one object of a slab cache, with its metadata; -1 if unknown. */
static long slab_object(const char *cache)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/slab_size", cache);
	return read_proc_long(path, -1);
}

static struct row *mem_row(const char *name, size_t size, long n)
{
	struct row *r = new_row();

	snprintf(r->mode, sizeof(r->mode), "same");
	snprintf(r->mech, sizeof(r->mech), "%s", name);
	r->kind = "mem";
	r->size = size;
	r->iters = n;
	r->runs = 1;
	return r;
}

struct ports_msg {
	mach_msg_header_t hdr;
	mach_msg_body_t body;
	mach_msg_ool_ports_descriptor_t ports;
};

static void send_simple(mach_port_t dest, mach_msg_id_t id, uint32_t value)
{
	struct {
		mach_msg_header_t hdr;
		uint32_t value;
	} m = {
		.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.hdr.msgh_size = sizeof(m),
		.hdr.msgh_remote_port = dest,
		.hdr.msgh_id = id,
		.value = value,
	};

	mach_check(mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
			    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "mem: send");
}

/*
 * The child: tells its parent where to send (a send right to a port of
 * its own, through the bootstrap port it inherited), then keeps every
 * send right it is given until it is told to exit.
 */
static void __attribute__((noreturn)) holder_child(void)
{
	union {
		struct ports_msg p;
		struct {
			mach_msg_header_t hdr;
			uint32_t value;
		} s;
		unsigned char buf[1024];
	} m;
	mach_port_t boot, me = new_port(false);
	uint32_t held = 0;

	kr_check(task_get_bootstrap_port(mach_task_self(), &boot), "child: bootstrap port");
	m.s.hdr = (mach_msg_header_t){
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND),
		.msgh_size = sizeof(m.s.hdr),
		.msgh_remote_port = boot,
		.msgh_local_port = me,
		.msgh_id = ID_HELLO,
	};
	mach_check(mach_msg(&m.s.hdr, MACH_SEND_MSG, sizeof(m.s.hdr), 0, MACH_PORT_NULL,
			    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "child: hello");
	for (;;) {
		mach_check(mach_msg(&m.p.hdr, MACH_RCV_MSG, 0, sizeof(m), me,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "child: receive");
		switch (m.p.hdr.msgh_id) {
		case ID_BATCH:
			/* The rights stay in our space; only the array goes. */
			held += m.p.ports.count;
			vm_deallocate(mach_task_self(), (vm_address_t)m.p.ports.address,
				      m.p.ports.count * sizeof(mach_port_t));
			break;
		case ID_DONE:
			send_simple(boot, ID_ACK, held);
			break;
		case ID_EXIT:
			_exit(0);
		default:
			_exit(3);
		}
	}
}

/* Receive one simple message on PORT; returns its header (and value). */
static mach_msg_header_t recv_simple(mach_port_t port, mach_msg_id_t want, uint32_t *value)
{
	struct {
		mach_msg_header_t hdr;
		uint32_t value;
		unsigned char trailer[128];
	} m;

	mach_check(mach_msg(&m.hdr, MACH_RCV_MSG, 0, sizeof(m), port, MACH_MSG_TIMEOUT_NONE,
			    MACH_PORT_NULL), "mem: receive");
	if (m.hdr.msgh_id != want)
		die("mem: message 0x%x, expected 0x%x", m.hdr.msgh_id, want);
	if (value)
		*value = m.value;
	return m.hdr;
}

static void mem_port(void)
{
	mach_port_t task = mach_task_self(), old_boot, boot, child_port;
	mach_port_t *names = calloc(MEM_PORTS, sizeof(*names));
	struct row *r = mem_row("mem-port", 0, MEM_PORTS);
	struct meminfo a, b;
	uint32_t held;
	pid_t pid;
	int st;

	if (!names)
		die("out of memory");
	/* A child inherits our bootstrap port: point it at a port of ours. */
	kr_check(task_get_bootstrap_port(task, &old_boot), "task_get_bootstrap_port");
	boot = new_port(true);
	kr_check(task_set_bootstrap_port(task, boot), "task_set_bootstrap_port");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0)
		holder_child();
	child_port = recv_simple(boot, ID_HELLO, NULL).msgh_remote_port;

	if (read_meminfo(&a)) {
		snprintf(r->note, sizeof(r->note), "skipped: /proc/meminfo has no Slab line");
		goto out;
	}
	for (unsigned int i = 0; i < MEM_PORTS; i++)
		names[i] = new_port(false);
	for (unsigned int i = 0; i < MEM_PORTS; i += MEM_BATCH) {
		struct ports_msg m = {
			.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
					 MACH_MSGH_BITS_COMPLEX,
			.hdr.msgh_size = sizeof(m),
			.hdr.msgh_remote_port = child_port,
			.hdr.msgh_id = ID_BATCH,
			.body.msgh_descriptor_count = 1,
			.ports.address = names + i,
			.ports.count = MEM_PORTS - i < MEM_BATCH ? MEM_PORTS - i : MEM_BATCH,
			.ports.deallocate = FALSE,
			.ports.copy = MACH_MSG_PHYSICAL_COPY,
			/* The child's send right is made from our receive right. */
			.ports.disposition = MACH_MSG_TYPE_MAKE_SEND,
			.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR,
		};

		mach_check(mach_msg(&m.hdr, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL), "mem: send rights");
	}
	send_simple(child_port, ID_DONE, 0);
	recv_simple(boot, ID_ACK, &held);
	if (held != MEM_PORTS)
		die("mem-port: the child holds %u send rights, not %u", held, MEM_PORTS);
	if (read_meminfo(&b))
		die("mem-port: /proc/meminfo went away");
	r->med = (double)(b.slab_kb - a.slab_kb) * 1024.0 / MEM_PORTS;
	snprintf(r->info, sizeof(r->info),
		 "%u ports with a send right in a child; objects: mach_port %ld B; "
		 "two name-table entries of 24 B", MEM_PORTS, slab_object("mach_port"));
out:
	send_simple(child_port, ID_EXIT, 0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("mem-port: the child failed (status 0x%x)", st);
	for (unsigned int i = 0; i < MEM_PORTS; i++)
		if (names[i])
			mach_port_destroy(task, names[i]);
	mach_port_deallocate(task, child_port);
	task_set_bootstrap_port(task, old_boot);
	mach_port_destroy(task, boot);
	free(names);
}

static void mem_msg(void)
{
	mach_port_t task = mach_task_self(), ports[MEM_QPORTS];
	struct row *r = mem_row("mem-msg", 64, (long)MEM_QPORTS * MEM_QDEPTH);
	struct {
		mach_msg_header_t hdr;
		unsigned char data[64];
	} m;
	struct meminfo a, b;

	for (unsigned int p = 0; p < MEM_QPORTS; p++) {
		ports[p] = new_port(true);
		set_qlimit(ports[p], MEM_QDEPTH);
	}
	memset(m.data, 0x5a, sizeof(m.data));
	if (read_meminfo(&a)) {
		snprintf(r->note, sizeof(r->note), "skipped: /proc/meminfo has no Slab line");
		goto out;
	}
	for (unsigned int p = 0; p < MEM_QPORTS; p++) {
		for (unsigned int i = 0; i < MEM_QDEPTH; i++) {
			m.hdr = (mach_msg_header_t){
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
				.msgh_size = sizeof(m),
				.msgh_remote_port = ports[p],
				.msgh_id = ID_REQ,
			};
			/* A full queue would block: time out at once instead. */
			mach_check(mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m),
					    0, MACH_PORT_NULL, 0, MACH_PORT_NULL),
				   "mem-msg: queue");
		}
	}
	if (read_meminfo(&b))
		die("mem-msg: /proc/meminfo went away");
	r->med = (double)(b.slab_kb - a.slab_kb) * 1024.0 / r->iters;
	snprintf(r->info, sizeof(r->info),
		 "%ld messages of 64 B on %u ports; object: mach_kmsg_tiny %ld B",
		 r->iters, MEM_QPORTS, slab_object("mach_kmsg_tiny"));
out:
	for (unsigned int p = 0; p < MEM_QPORTS; p++)
		mach_port_destroy(task, ports[p]);
}

void mem_rows(void)
{
	mem_port();
	mem_msg();
	if (!opt_quiet)
		fprintf(stderr, "  same  mem-port, mem-msg  done\n");
}

/* Selected with -m mem; machbench.c calls mem_rows() instead of measure(). */
const struct mech mech_mem = {
	"mem", "mem", "kernel memory per port (send right elsewhere) and per queued 64 B message",
	true, NULL, NULL, NULL, NULL, NULL, sz_none, NULL, true
};
