// SPDX-License-Identifier: GPL-2.0
/*
 * fault_storm - kill -9 clients and servers at random points, then prove
 * the module let go of everything: its live-object counters (spaces, ports,
 * port sets, queued messages, bytes and OOL bytes; debugfs mach/stats)
 * return to the baseline taken before the storm.  Under the debug kernels
 * the harness then unloads the module and asks kmemleak.
 *
 * Each round a server process owns a port (4-message queue limit, so
 * senders block) in a port set, and hands its send right to 4 client
 * processes as their bootstrap port.  Clients loop over random operations:
 * inline messages with a checksum, OOL regions up to 1 MiB, RPCs with a
 * send-once reply right, receive rights moved in messages whose own queues
 * hold messages with OOL memory, send rights with no-senders requests, and
 * short blocking receives.  The server's threads receive (checking every
 * checksum, keeping some rights and regions, dropping others), reply to
 * RPCs, and churn port-set membership and port destruction.  After a random
 * 30-300 ms everyone is killed: all at once, clients first, or the server
 * first.
 *
 * Rounds: MACH_STORM_ROUNDS, else 4 (2 on debug kernels; MACH_STRESS=long:
 * 40).  MACH_STORM_SEED replays a run; every run prints its seed.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <servers/bootstrap.h>

#include "complex_util.h"
#include "stats_util.h"

#define NCLIENTS	4
#define ID_DATA		0x5300
#define ID_OOL		0x5301
#define ID_RPC		0x5302
#define ID_RIGHT	0x5303
#define ID_RECV		0x5304
#define ID_REPLY	0x5305
#define MAX_INLINE	2048
#define MAX_OOL		(1u << 20)

/* Shared by every process of the storm (MAP_SHARED before the forks). */
struct storm_shared {
	atomic_uint checked;	/* messages whose checksum was verified */
	atomic_uint corrupt;	/* ... and found wrong */
	atomic_uint sent;
	pid_t client[NCLIENTS];
	atomic_int ready;
};

static struct storm_shared *sh;

static uint32_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (uint32_t)(*s >> 16);
}

/* FNV-1a: cheap and order-sensitive, enough to catch corruption. */
static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* --- clients ------------------------------------------------------------ */

struct data_msg {
	mach_msg_header_t hdr;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
	uint8_t data[MAX_INLINE];
};

static void send_data(mach_port_t server, uint64_t *s, uint32_t seq)
{
	struct data_msg m;
	uint32_t len = rnd(s) % MAX_INLINE;

	memset(&m.hdr, 0, sizeof(m.hdr));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	m.hdr.msgh_remote_port = server;
	m.hdr.msgh_id = ID_DATA;
	m.seq = seq;
	m.len = len;
	for (uint32_t i = 0; i < len; i++)
		m.data[i] = (uint8_t)rnd(s);
	m.sum = checksum(m.data, len);
	m.hdr.msgh_size = (mach_msg_size_t)((offsetof(struct data_msg, data) +
					     len + 3) & ~3u);
	if (mach_msg(&m.hdr, MACH_SEND_MSG | MACH_SEND_TIMEOUT, m.hdr.msgh_size,
		     0, MACH_PORT_NULL, 200, MACH_PORT_NULL) == MACH_MSG_SUCCESS)
		atomic_fetch_add(&sh->sent, 1);
}

/* An OOL region with its checksum inline (after the descriptor). */
static void send_ool(mach_port_t dest, mach_msg_type_name_t disp, uint64_t *s)
{
	uint32_t size = 1 + rnd(s) % MAX_OOL, sum;
	uint8_t *buf = cx_alloc(size);
	bool dealloc = rnd(s) & 1;
	struct cx_msg m;

	if (!buf)
		return;
	for (uint32_t i = 0; i < size; i += 512)
		buf[i] = (uint8_t)rnd(s);
	sum = checksum(buf, size);
	cx_begin(&m, dest, disp, ID_OOL);
	cx_add_ool(&m, buf, size, rnd(s) & 1 ? MACH_MSG_VIRTUAL_COPY :
		   MACH_MSG_PHYSICAL_COPY, dealloc);
	cx_put(&m, &sum, sizeof(sum));
	if (cx_send(&m, 200) == MACH_MSG_SUCCESS) {
		atomic_fetch_add(&sh->sent, 1);
		if (dealloc)
			return;
	}
	munmap(buf, size);
}

static void send_rpc(mach_port_t server, mach_port_t reply)
{
	struct {
		mach_msg_header_t hdr;
		uint8_t room[256];
	} m;

	memset(&m.hdr, 0, sizeof(m.hdr));
	m.hdr.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					 MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.hdr.msgh_size = sizeof(m.hdr);
	m.hdr.msgh_remote_port = server;
	m.hdr.msgh_local_port = reply;
	m.hdr.msgh_id = ID_RPC;
	mach_msg(&m.hdr, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
		 MACH_RCV_TIMEOUT, sizeof(m.hdr), sizeof(m), reply, 200,
		 MACH_PORT_NULL);
}

/*
 * A fresh receive right whose queue holds two messages (one with OOL
 * memory), moved to the server: messages inside messages.
 */
static void send_receive_right(mach_port_t server, uint64_t *s)
{
	mach_port_t p = mu_port_send();
	struct cx_msg m;

	if (p == MACH_PORT_NULL)
		return;
	send_data(p, s, 0);
	send_ool(p, MACH_MSG_TYPE_COPY_SEND, s);
	mach_port_deallocate(mach_task_self(), p);	/* our send right */
	cx_begin(&m, server, MACH_MSG_TYPE_COPY_SEND, ID_RECV);
	cx_add_port(&m, p, MACH_MSG_TYPE_MOVE_RECEIVE);
	if (cx_send(&m, 200) != MACH_MSG_SUCCESS)
		mach_port_destroy(mach_task_self(), p);
}

/* A send right to a port of ours that asks for no-senders. */
static void send_send_right(mach_port_t server, mach_port_t notify)
{
	mach_port_t p = mu_port(), prev;
	struct cx_msg m;

	if (p == MACH_PORT_NULL)
		return;
	mach_port_request_notification(mach_task_self(), p,
				       MACH_NOTIFY_NO_SENDERS, 0, notify,
				       MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	cx_begin(&m, server, MACH_MSG_TYPE_COPY_SEND, ID_RIGHT);
	cx_add_port(&m, p, MACH_MSG_TYPE_MAKE_SEND);
	cx_send(&m, 200);
	/* keep the receive right: the server may hold the send right */
}

static void client(int idx, uint64_t seed)
{
	mach_port_t server = bootstrap_port, reply = mu_port(), mine = mu_port();
	uint64_t s = seed * 2654435761u + (uint64_t)idx + 1;
	struct mu_rcv r;
	uint32_t seq = 0;

	atomic_fetch_add(&sh->ready, 1);
	for (;;) {
		switch (rnd(&s) % 8) {
		case 0:
		case 1:
		case 2:
			send_data(server, &s, seq++);
			break;
		case 3:
			send_ool(server, MACH_MSG_TYPE_COPY_SEND, &s);
			break;
		case 4:
			send_rpc(server, reply);
			break;
		case 5:
			send_receive_right(server, &s);
			break;
		case 6:
			send_send_right(server, mine);
			break;
		default:
			/* blocked in receive (notifications may arrive) */
			if (mu_recv(mine, &r, 0, 10) == MACH_MSG_SUCCESS)
				mach_msg_destroy(&r.hdr);
			break;
		}
	}
}

/* --- the server ---------------------------------------------------------- */

static mach_port_t pset, port;
static uint64_t server_seed;

static void check_data(const mach_msg_header_t *h)
{
	const struct data_msg *m = (const void *)h;

	if (h->msgh_size < offsetof(struct data_msg, data) ||
	    m->len > MAX_INLINE ||
	    offsetof(struct data_msg, data) + m->len > h->msgh_size) {
		atomic_fetch_add(&sh->corrupt, 1);
		return;
	}
	if (checksum(m->data, m->len) != m->sum)
		atomic_fetch_add(&sh->corrupt, 1);
	atomic_fetch_add(&sh->checked, 1);
}

static void check_ool(mach_msg_header_t *h, bool keep)
{
	const mach_msg_ool_descriptor_t *d = cx_ool_desc(h, 0);
	uint32_t sum;

	memcpy(&sum, (const uint8_t *)d + sizeof(*d), sizeof(sum));
	if (checksum(d->address, d->size) != sum)
		atomic_fetch_add(&sh->corrupt, 1);
	atomic_fetch_add(&sh->checked, 1);
	if (!keep)
		vm_deallocate(mach_task_self(), (vm_address_t)d->address, d->size);
}

static void *server_receiver(void *arg)
{
	static __thread struct cx_rcv r;
	uint64_t s = server_seed + (uintptr_t)arg;

	for (;;) {
		mach_msg_return_t mr = cx_recv(pset, &r, 50);
		bool keep = rnd(&s) % 3 == 0;	/* leave its rights to the kill */

		if (mr != MACH_MSG_SUCCESS)
			continue;
		switch (r.hdr.msgh_id) {
		case ID_DATA:
			check_data(&r.hdr);
			break;
		case ID_OOL:
			check_ool(&r.hdr, keep);
			keep = true;	/* the region is handled */
			break;
		case ID_RPC: {
			mach_msg_header_t rep = {
				.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0),
				.msgh_size = sizeof(rep),
				.msgh_remote_port = r.hdr.msgh_remote_port,
				.msgh_id = ID_REPLY,
			};

			if (mach_msg(&rep, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
				     sizeof(rep), 0, MACH_PORT_NULL, 0,
				     MACH_PORT_NULL) == MACH_MSG_SUCCESS)
				keep = true;	/* the reply right went */
			break;
		}
		case ID_RECV:
			/* a receive right: sometimes serve it from the set */
			if (keep)
				mach_port_insert_member(mach_task_self(),
							cx_port_desc(&r.hdr, 0)->name,
							pset);
			break;
		default:
			break;
		}
		if (!keep)
			mach_msg_destroy(&r.hdr);
	}
	return NULL;
}

/* Churn: ports join and leave the set, some die there. */
static void *server_churn(void *arg)
{
	uint64_t s = server_seed ^ 0x9e3779b97f4a7c15ull;

	(void)arg;
	for (;;) {
		mach_port_t p = mu_port();

		mach_port_insert_member(mach_task_self(), p, pset);
		if (rnd(&s) & 1)
			mach_port_extract_member(mach_task_self(), p, pset);
		if (rnd(&s) % 4)
			mach_port_destroy(mach_task_self(), p);
		mt_sleep_ms(1);
	}
	return NULL;
}

static void server(uint64_t seed)
{
	mach_port_limits_t lim = { .mpl_qlimit = 4 };
	pthread_t t;

	server_seed = seed;
	setpgid(0, 0);
	port = mu_port_send();
	mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
				 (mach_port_info_t)&lim, MACH_PORT_LIMITS_INFO_COUNT);
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &pset);
	mach_port_insert_member(mach_task_self(), port, pset);
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port);
	for (int i = 0; i < NCLIENTS; i++) {
		pid_t pid = mt_fork();

		if (pid == 0)
			client(i, seed);
		sh->client[i] = pid;
	}
	pthread_create(&t, NULL, server_receiver, (void *)1);
	pthread_create(&t, NULL, server_receiver, (void *)2);
	pthread_create(&t, NULL, server_churn, NULL);
	atomic_fetch_add(&sh->ready, 1);
	for (;;)
		pause();
}

/* --- the case ------------------------------------------------------------ */

static unsigned int rounds(void)
{
	const char *r = getenv("MACH_STORM_ROUNDS");
	const char *mode = getenv("MACH_STRESS");
	const char *kernel = getenv("MACH_TEST_KERNEL");

	if (r)
		return (unsigned int)strtoul(r, NULL, 0);
	if (mode && !strcmp(mode, "long"))
		return 40;
	return kernel && !strcmp(kernel, "debug") ? 2 : 4;
}

/* Reap every process of the storm (we are their subreaper). */
static unsigned int reap_all(void)
{
	unsigned int n = 0;

	while (waitpid(-1, NULL, 0) > 0)
		n++;
	return n;
}

static void storm(void)
{
	const char *env = getenv("MACH_STORM_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
	unsigned int n = rounds(), killed = 0;
	long long base[ST_NLIVE];
	uint64_t s = seed | 1;

	st_need();
	mt_diag("seed %llu (MACH_STORM_SEED replays), %u rounds",
		(unsigned long long)seed, n);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(sh != MAP_FAILED, "shared page");
	assert_eq(0, prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "subreaper");
	/* our own space is part of the baseline */
	(void)mach_task_self();
	st_snapshot(base);

	for (unsigned int round = 0; round < n && !mt_failed; round++) {
		unsigned int how = rnd(&s) % 3;
		uint64_t t0;
		pid_t srv;

		atomic_store(&sh->ready, 0);
		srv = mt_fork();
		if (srv == 0)
			server(seed + round);
		assert_true(srv > 0, "fork the server");
		setpgid(srv, srv);	/* whichever of us gets there first */
		t0 = mt_now_ms();
		while (atomic_load(&sh->ready) < NCLIENTS + 1 &&
		       mt_now_ms() - t0 < 20000)
			mt_sleep_ms(5);
		mt_sleep_ms(30 + rnd(&s) % 270);
		if (how == 0) {
			kill(-srv, SIGKILL);		/* all at once */
		} else if (how == 1) {
			for (int i = 0; i < NCLIENTS; i++)	/* clients first */
				kill(sh->client[i], SIGKILL);
			mt_sleep_ms(rnd(&s) % 50);
			kill(-srv, SIGKILL);
		} else {
			kill(srv, SIGKILL);		/* the server first */
			mt_sleep_ms(rnd(&s) % 50);
			kill(-srv, SIGKILL);
		}
		killed += reap_all();
		if (!expect_true(st_back_to(base, 10000),
				 "counters back to the baseline after the storm"))
			mt_diag("round %u (kill order %u) left objects behind",
				round, how);
	}
	mt_diag("%u rounds, %u processes killed, %u messages sent, %u checked",
		n, killed, atomic_load(&sh->sent), atomic_load(&sh->checked));
	expect_eq(0, atomic_load(&sh->corrupt), "no message arrived corrupted");
	expect_true(atomic_load(&sh->checked) > 0, "messages went through");
}

static const struct mt_case cases[] = {
	MT_CASE_T(storm, 900),
};

int main(void)
{
	return MT_RUN(cases);
}
