// SPDX-License-Identifier: GPL-2.0
/*
 * lsmp_netlink - the "mach" generic netlink family that lsmp reads
 * (uapi/linux/mach_netlink.h), spoken to directly:
 *  - a name table dump shows every name with the type mach_port_names()
 *    reports, the port identity, queue state, set membership,
 *    notification requests and task ports;
 *  - the space summary agrees with the table;
 *  - visibility follows the task_for_pid rule: self, same user and
 *    dumpable, or privileged; others' spaces are EPERM and left out;
 *  - the statistics move with messages and failures;
 *  - dumps are paginated, resume by index, survive concurrent change and
 *    process exit, and a dump left unfinished holds the module until its
 *    socket closes;
 *  - a space dump cut at every possible point of a record (the socket's
 *    buffer size sets the size of each part) still lists every space once.
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "nl_util.h"
#include "notify_util.h"

#define ID		0x6c00
#define NOBODY		65534
#define NOGROUP		65534
#define REFCNT		"/sys/module/mach/refcnt"

static bool debug_kernel(void)
{
	const char *k = getenv("MACH_TEST_KERNEL");

	return k && !strcmp(k, "debug");
}

static void open_family(struct nl_sock *nl)
{
	int ret = nl_open(nl);

	if (ret == -ENOENT)
		mt_skip("no \"mach\" generic netlink family (older mach.ko?)");
	if (ret)
		mt_fail_at(__FILE__, __LINE__, "netlink: %s", strerror(-ret));
}

/* --- collecting dumps ---------------------------------------------------- */

#define MAX_SETS	8

struct entry {
	uint32_t name, type, urefs, notify;
	uint64_t port_id;
	uint32_t receiver_pid, task_pid;
	bool receive;
	uint32_t depth, qlimit, seqno, mscount, srights, sorights, members;
	uint32_t nsets, sets[MAX_SETS];
};

struct table {
	struct entry *e;
	size_t n, cap;
	bool ordered;		/* names came in strictly increasing index order */
};

static int entry_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct table *t = arg;
	const struct nlattr *a;
	struct nl_attrs at;
	struct entry *e;
	int len;

	nl_parse(nlh, &at);
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 256;
		t->e = realloc(t->e, t->cap * sizeof(*t->e));
		if (!t->e)
			return 1;
	}
	e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	e->name = nl_u32(&at, MACH_NL_A_ENTRY_NAME, 0);
	e->type = nl_u32(&at, MACH_NL_A_ENTRY_TYPE, 0);
	e->urefs = nl_u32(&at, MACH_NL_A_ENTRY_UREFS, 0);
	e->notify = nl_u32(&at, MACH_NL_A_NOTIFY, 0);
	e->port_id = nl_u64(at.a[MACH_NL_A_PORT_ID], 0);
	e->receiver_pid = nl_u32(&at, MACH_NL_A_PORT_RECEIVER_PID, 0);
	e->task_pid = nl_u32(&at, MACH_NL_A_PORT_TASK_PID, 0);
	e->receive = at.a[MACH_NL_A_PORT_QUEUE_DEPTH] != NULL;
	e->depth = nl_u32(&at, MACH_NL_A_PORT_QUEUE_DEPTH, 0);
	e->qlimit = nl_u32(&at, MACH_NL_A_PORT_QUEUE_LIMIT, 0);
	e->seqno = nl_u32(&at, MACH_NL_A_PORT_SEQNO, 0);
	e->mscount = nl_u32(&at, MACH_NL_A_PORT_MSCOUNT, 0);
	e->srights = nl_u32(&at, MACH_NL_A_PORT_SEND_COUNT, 0);
	e->sorights = nl_u32(&at, MACH_NL_A_PORT_SEND_ONCE_COUNT, 0);
	e->members = nl_u32(&at, MACH_NL_A_PSET_MEMBERS, 0);
	nl_for_each_attr(a, nl_first_attr(nlh, &len), len)
		if (nl_type(a) == MACH_NL_A_PORT_SET && e->nsets < MAX_SETS)
			memcpy(&e->sets[e->nsets++], nl_data(a), 4);
	if (t->n && (e->name >> 8) <= (t->e[t->n - 1].name >> 8))
		t->ordered = false;
	t->n++;
	return 0;
}

/* GET_ENTRY for pid: 0 or -errno; the table in *t (free t->e). */
static int dump_entries(struct nl_sock *nl, pid_t pid, struct table *t)
{
	uint32_t p = (uint32_t)pid;

	memset(t, 0, sizeof(*t));
	t->ordered = true;
	return nl_request(nl, MACH_NL_CMD_GET_ENTRY, true, &p, entry_cb, t, 0);
}

static const struct entry *find_name(const struct table *t, uint32_t name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].name == name)
			return &t->e[i];
	return NULL;
}

struct space {
	uint32_t pid;
	uint64_t serial;
	char comm[32];
	uint32_t names, receive, send, send_once, psets, dead, msgs;
};

struct spaces {
	struct space *s;
	size_t n, cap;
	bool ordered;		/* strictly increasing (pid, serial) */
};

static int space_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct spaces *ss = arg;
	struct nl_attrs at;
	struct space *s;

	nl_parse(nlh, &at);
	if (ss->n == ss->cap) {
		ss->cap = ss->cap ? 2 * ss->cap : 64;
		ss->s = realloc(ss->s, ss->cap * sizeof(*ss->s));
		if (!ss->s)
			return 1;
	}
	s = &ss->s[ss->n];
	memset(s, 0, sizeof(*s));
	s->pid = nl_u32(&at, MACH_NL_A_PID, 0);
	s->serial = nl_u64(at.a[MACH_NL_A_SPACE_SERIAL], 0);
	if (at.a[MACH_NL_A_COMM])
		snprintf(s->comm, sizeof(s->comm), "%.*s",
			 (int)(at.a[MACH_NL_A_COMM]->nla_len - NLA_HDRLEN),
			 (const char *)nl_data(at.a[MACH_NL_A_COMM]));
	s->names = nl_u32(&at, MACH_NL_A_NAMES, ~0u);
	s->receive = nl_u32(&at, MACH_NL_A_RECEIVE_RIGHTS, ~0u);
	s->send = nl_u32(&at, MACH_NL_A_SEND_RIGHTS, ~0u);
	s->send_once = nl_u32(&at, MACH_NL_A_SEND_ONCE_RIGHTS, ~0u);
	s->psets = nl_u32(&at, MACH_NL_A_PORT_SETS, ~0u);
	s->dead = nl_u32(&at, MACH_NL_A_DEAD_NAMES, ~0u);
	s->msgs = nl_u32(&at, MACH_NL_A_MSGS_QUEUED, ~0u);
	if (ss->n && (s->pid < ss->s[ss->n - 1].pid ||
		      (s->pid == ss->s[ss->n - 1].pid &&
		       s->serial <= ss->s[ss->n - 1].serial)))
		ss->ordered = false;
	ss->n++;
	return 0;
}

static int dump_spaces(struct nl_sock *nl, struct spaces *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->ordered = true;
	return nl_request(nl, MACH_NL_CMD_GET_SPACE, true, NULL, space_cb, ss, 0);
}

/* The last (newest) space of pid in a listing, or NULL. */
static const struct space *find_pid(const struct spaces *ss, pid_t pid)
{
	const struct space *found = NULL;
	size_t i;

	for (i = 0; i < ss->n; i++)
		if (ss->s[i].pid == (uint32_t)pid)
			found = &ss->s[i];
	return found;
}

/* --- the name table ------------------------------------------------------- */

static void set_qlimit(mach_port_t port, unsigned int limit)
{
	mach_port_limits_t lim = { .mpl_qlimit = limit };

	expect_kr(KERN_SUCCESS,
		  mach_port_set_attributes(mach_task_self(), port, MACH_PORT_LIMITS_INFO,
					   (mach_port_info_t)&lim,
					   MACH_PORT_LIMITS_INFO_COUNT),
		  "set the queue limit");
}

/* Every name of ours, with the type mach_port_names() gives it. */
static void expect_same_as_port_names(const struct table *t)
{
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t n = 0, nt = 0, i;
	const struct entry *e;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_names(mach_task_self(), &names, &n, &types, &nt),
		       "mach_port_names"))
		return;
	expect_eq(n, t->n, "as many names as mach_port_names");
	for (i = 0; i < n; i++) {
		e = find_name(t, names[i]);
		if (!expect_true(e != NULL, "every name is in the dump")) {
			mt_diag("missing name 0x%x", names[i]);
			continue;
		}
		if (!expect_eq(types[i], e->type, "type bits as mach_port_names"))
			mt_diag("name 0x%x", names[i]);
	}
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, n * sizeof(*types));
}

static void entry_attributes(void)
{
	mach_port_t port, set, notify, watched, dead, prev, other, gone;
	const struct entry *e, *ew;
	struct nl_sock nl;
	struct table t;
	struct mu_rcv r;
	pid_t child;
	int i, go[2];

	open_family(&nl);
	port = mu_port_send();
	set_qlimit(port, 7);
	for (i = 0; i < 3; i++)
		assert_kr(MACH_MSG_SUCCESS,
			  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID,
				  i, 0, 0, 0), "queue a message");
	assert_kr(MACH_MSG_SUCCESS, mu_recv(port, &r, 0, MU_WAIT_MS), "receive one");
	set = nu_pset();
	assert_kr(KERN_SUCCESS, mach_port_insert_member(mach_task_self(), port, set),
		  "insert_member");
	notify = mu_port();
	assert_kr(KERN_SUCCESS, nu_request(port, MACH_NOTIFY_NO_SENDERS, 0, notify, &prev),
		  "no-senders request");
	assert_kr(KERN_SUCCESS,
		  nu_request(port, MACH_NOTIFY_PORT_DESTROYED, 0, notify, &prev),
		  "port-destroyed request");
	watched = mu_port_send();
	assert_kr(KERN_SUCCESS, nu_request(watched, MACH_NOTIFY_DEAD_NAME, 0, notify, &prev),
		  "dead-name request");
	assert_kr(KERN_SUCCESS,
		  mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_DEAD_NAME, &dead),
		  "a dead name");

	/* a send right whose receiver (a child) has gone */
	other = nu_parent_listen();
	assert_true(other != MACH_PORT_NULL, "listen port");
	assert_eq(0, pipe(go), "pipe");
	child = mt_fork();
	if (child == 0) {
		nu_child_hello(mu_port(), 0);
		mt_await(go[0], MU_WAIT_MS);	/* alive until we hold the right */
		mt_child_exit();
	}
	gone = nu_parent_accept(other, NULL);
	mt_post(go[1]);
	assert_true(MACH_PORT_VALID(gone), "the child's port");
	/* its space, and the port with it, is gone once it is reaped */
	assert_eq(0, mt_wait(child, MU_WAIT_MS), "the child exits");

	assert_eq(0, dump_entries(&nl, getpid(), &t), "dump our names");
	expect_true(t.ordered, "names in increasing index order");

	e = find_name(&t, port);
	if (expect_true(e != NULL, "the port's name")) {
		expect_eq(MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND, e->type, "recv+send");
		expect_eq(1, e->urefs, "one send uref");
		expect_true(e->port_id != 0, "an identity");
		expect_true(e->receive, "receive-right attributes");
		expect_eq(2, e->depth, "two still queued");
		expect_eq(7, e->qlimit, "queue limit");
		expect_eq(1, e->seqno, "one received");
		expect_eq(1, e->mscount, "make-send count");
		/* ours, and the two the queued messages carry */
		expect_eq(3, e->srights, "three send rights");
		expect_eq(getpid(), e->receiver_pid, "we hold the receive right");
		expect_eq(1, e->nsets, "in one set");
		expect_eq(set, e->sets[0], "the set's name");
		expect_eq(MACH_NL_NOTIFY_NO_SENDERS | MACH_NL_NOTIFY_PORT_DESTROYED,
			  e->notify, "no-senders and port-destroyed armed");
	}
	e = find_name(&t, set);
	if (expect_true(e != NULL, "the set's name")) {
		expect_eq(MACH_PORT_TYPE_PORT_SET, e->type, "a port set");
		expect_eq(1, e->members, "one member");
		expect_eq(0, e->port_id, "no port identity");
	}
	ew = find_name(&t, watched);
	if (expect_true(ew != NULL, "the watched name")) {
		expect_eq(MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_SEND |
			  MACH_PORT_TYPE_DNREQUEST, ew->type, "dead-name request shows");
		expect_eq(MACH_NL_NOTIFY_DEAD_NAME, ew->notify, "dead-name request");
		e = find_name(&t, port);
		if (e)
			expect_ne(e->port_id, ew->port_id, "two ports, two identities");
	}
	e = find_name(&t, dead);
	if (expect_true(e != NULL, "the dead name")) {
		expect_eq(MACH_PORT_TYPE_DEAD_NAME, e->type, "a dead name");
		expect_eq(0, e->port_id, "no port");
	}
	e = find_name(&t, gone);
	if (expect_true(e != NULL, "the send right to the dead port")) {
		expect_eq(MACH_PORT_TYPE_DEAD_NAME, e->type, "reads as a dead name");
		expect_eq(1, e->urefs, "its send uref");
		expect_true(e->port_id != 0, "still says which port it was");
		expect_eq(0, e->receiver_pid, "no receiver");
	}
	e = find_name(&t, mach_task_self());
	if (expect_true(e != NULL, "our task port")) {
		expect_eq(MACH_PORT_TYPE_SEND, e->type, "a send right");
		expect_eq(getpid(), e->task_pid, "the task port of this process");
		expect_eq(0, e->receiver_pid, "the kernel receives on it");
	}
	/*
	 * the types agree with mach_port_names (which, unlike the dump, turns
	 * the right to the dead port into a dead name)
	 */
	expect_same_as_port_names(&t);
	free(t.e);
	nl_close(&nl);
}

/* The summary counts what the table holds. */
static void space_summary(void)
{
	uint32_t recv = 0, send = 0, sonce = 0, psets = 0, dead = 0, msgs = 0;
	char comm[32] = "";
	const struct space *s;
	struct spaces ss;
	struct nl_sock nl;
	mach_port_t port;
	struct table t;
	FILE *f;
	size_t i;

	open_family(&nl);
	port = mu_port_send();
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID, 0, 0, 0, 0),
		  "queue a message");
	nu_pset();
	nu_make_sonce(mu_port());
	f = fopen("/proc/self/comm", "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}

	assert_eq(0, dump_entries(&nl, getpid(), &t), "dump our names");
	assert_eq(0, dump_spaces(&nl, &ss), "dump the spaces");
	expect_true(ss.ordered, "spaces in increasing (pid, serial) order");
	s = find_pid(&ss, getpid());
	assert_true(s != NULL, "our space is listed");
	expect_true(!strcmp(comm, s->comm), "our comm");
	expect_true(s->serial != 0, "a serial");
	for (i = 0; i < t.n; i++) {
		uint32_t ty = t.e[i].type;

		recv += !!(ty & MACH_PORT_TYPE_RECEIVE);
		send += !!(ty & MACH_PORT_TYPE_SEND);
		sonce += !!(ty & MACH_PORT_TYPE_SEND_ONCE);
		psets += !!(ty & MACH_PORT_TYPE_PORT_SET);
		dead += !!(ty & MACH_PORT_TYPE_DEAD_NAME);
		msgs += t.e[i].depth;
	}
	expect_eq(t.n, s->names, "names");
	expect_eq(recv, s->receive, "receive rights");
	expect_eq(send, s->send, "send rights");
	expect_eq(sonce, s->send_once, "send-once rights");
	expect_eq(1, sonce, "our send-once right");
	expect_eq(psets, s->psets, "port sets");
	expect_eq(dead, s->dead, "dead names");
	expect_eq(1, s->msgs, "messages queued");
	expect_eq(msgs, s->msgs, "as the table says");
	free(t.e);
	free(ss.s);
	nl_close(&nl);
}

/* --- who may see what ------------------------------------------------------ */

static void need_root(void)
{
	if (geteuid() != 0)
		mt_skip("needs root to change uid");
}

static bool drop_to_nobody(void)
{
	return !setgroups(0, NULL) && !setgid(NOGROUP) && !setuid(NOBODY);
}

static bool listed(struct nl_sock *nl, pid_t pid)
{
	struct spaces ss;
	bool found;

	if (!expect_eq(0, dump_spaces(nl, &ss), "dump the spaces"))
		return false;
	expect_true(ss.ordered, "in order");
	found = find_pid(&ss, pid) != NULL;
	free(ss.s);
	return found;
}

static int entries_err(struct nl_sock *nl, pid_t pid)
{
	struct table t;
	int ret = dump_entries(nl, pid, &t);

	free(t.e);
	return ret;
}

static int peer_fd[2], ctl_fd[2];

/*
 * As nobody, dumpable: a second nobody process (our child) may see us,
 * until we stop being dumpable; neither sees root's space.
 */
static void as_nobody(pid_t root)
{
	struct nl_sock nl;
	pid_t me = getpid(), child;

	if (!expect_true(drop_to_nobody(), "drop to nobody"))
		return;
	mu_port();	/* libmach opens our space on first use */
	/* as changing uid usually leaves us: a debugger could not attach */
	assert_eq(0, prctl(PR_SET_DUMPABLE, 0), "not dumpable");
	assert_eq(0, nl_open(&nl), "netlink as nobody");
	expect_eq(0, entries_err(&nl, me), "our own space, dumpable or not");
	expect_true(listed(&nl, me), "our space is listed");
	expect_eq(-EPERM, entries_err(&nl, root), "root's space: EPERM");
	expect_true(!listed(&nl, root), "root's space is left out");
	expect_eq(-EPERM, entries_err(&nl, 1), "init's: EPERM before ENOENT");

	assert_eq(0, prctl(PR_SET_DUMPABLE, 1), "dumpable again");
	child = mt_fork();
	if (child == 0) {
		struct nl_sock cn;

		mu_port();
		if (expect_eq(0, nl_open(&cn), "netlink in the child")) {
			expect_eq(0, entries_err(&cn, me),
				  "same user, dumpable: visible");
			expect_true(listed(&cn, me), "and listed");
			expect_eq(-EPERM, entries_err(&cn, root), "root's: EPERM");
			mt_post(peer_fd[1]);
			mt_await(ctl_fd[0], 60000);
			expect_eq(-EPERM, entries_err(&cn, me),
				  "same user, not dumpable: EPERM");
			expect_true(!listed(&cn, me), "and left out");
			nl_close(&cn);
		}
		mt_child_exit();
	}
	if (mt_await(peer_fd[0], 60000)) {
		prctl(PR_SET_DUMPABLE, 0);
		mt_post(ctl_fd[1]);
	}
	expect_child_ok(child, 60000, "the other nobody process");
	nl_close(&nl);
}

static void visibility(void)
{
	pid_t root = getpid(), child;
	int alive[2], done[2];
	struct nl_sock nl;

	need_root();
	open_family(&nl);
	assert_eq(0, pipe(peer_fd), "pipe");
	assert_eq(0, pipe(ctl_fd), "pipe");
	assert_eq(0, pipe(alive), "pipe");
	assert_eq(0, pipe(done), "pipe");
	child = mt_fork();
	if (child == 0) {
		as_nobody(root);
		mt_post(alive[1]);
		mt_await(done[0], 60000);
		mt_child_exit();
	}
	/* root sees the nobody process, dumpable or not */
	if (expect_true(mt_await(alive[0], 120000), "the nobody process is done"))
		expect_eq(0, entries_err(&nl, child), "root sees nobody's space");
	mt_post(done[1]);
	expect_child_ok(child, 60000, "the nobody process");
	expect_eq(-ESRCH, entries_err(&nl, 0x7ffffff0), "no such process");
	expect_eq(-ENOENT, entries_err(&nl, 1), "init has no Mach space");
	nl_close(&nl);
}

/* --- malformed requests --------------------------------------------------- */

static void bad_requests(void)
{
	uint32_t pid = (uint32_t)getpid();
	struct nl_sock nl;

	open_family(&nl);
	expect_eq(-EINVAL, nl_request(&nl, MACH_NL_CMD_GET_ENTRY, true, NULL, NULL,
				      NULL, 0), "GET_ENTRY without a pid");
	expect_eq(-EINVAL, nl_request(&nl, MACH_NL_CMD_GET_SPACE, true, &pid, NULL,
				      NULL, 0), "GET_SPACE takes no attributes");
	expect_eq(-EINVAL, nl_request(&nl, MACH_NL_CMD_GET_STATS, false, &pid, NULL,
				      NULL, 0), "GET_STATS takes no attributes");
	expect_eq(-EOPNOTSUPP, nl_request(&nl, MACH_NL_CMD_GET_ENTRY, false, &pid, NULL,
					  NULL, 0), "GET_ENTRY is a dump only");
	expect_eq(-EOPNOTSUPP, nl_request(&nl, MACH_NL_CMD_MAX + 1, true, NULL, NULL,
					  NULL, 0), "an unknown command");
	expect_eq(0, nl_request(&nl, MACH_NL_CMD_GET_STATS, false, NULL, NULL, NULL, 0),
		  "and the socket still works");
	nl_close(&nl);
}

/* --- statistics ------------------------------------------------------------ */

struct stats {
	int nattrs;
	int64_t v[MACH_NL_A_MAX + 1];
	int64_t rcv_timed_out;
};

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct stats *st = arg;
	const struct nlattr *a, *in;
	int len, ilen;

	nl_for_each_attr(a, nl_first_attr(nlh, &len), len) {
		if (nl_type(a) >= MACH_NL_A_STAT_SPACES &&
		    nl_type(a) <= MACH_NL_A_STAT_NOTIFICATIONS) {
			st->v[nl_type(a)] = (int64_t)nl_u64(a, 0);
			st->nattrs++;
		}
		if (nl_type(a) == MACH_NL_A_STAT_FAILURE) {
			uint32_t code = 0;
			int64_t count = 0;

			ilen = a->nla_len - NLA_HDRLEN;
			nl_for_each_attr(in, (const struct nlattr *)nl_data(a), ilen) {
				if (nl_type(in) == MACH_NL_FAILURE_A_CODE)
					memcpy(&code, nl_data(in), 4);
				if (nl_type(in) == MACH_NL_FAILURE_A_COUNT)
					count = (int64_t)nl_u64(in, 0);
			}
			if (code == MACH_RCV_TIMED_OUT)
				st->rcv_timed_out = count;
		}
	}
	return 0;
}

static void statistics(void)
{
	struct stats a = { 0 }, b = { 0 };
	mach_port_t port, empty;
	struct nl_sock nl;
	struct mu_rcv r;

	open_family(&nl);
	port = mu_port_send();
	empty = mu_port();
	assert_eq(0, nl_request(&nl, MACH_NL_CMD_GET_STATS, false, NULL, stats_cb, &a, 0),
		  "GET_STATS");
	expect_eq(MACH_NL_A_STAT_NOTIFICATIONS - MACH_NL_A_STAT_SPACES + 1, a.nattrs,
		  "every counter");
	expect_true(a.v[MACH_NL_A_STAT_SPACES] >= 1, "a space at least (ours)");
	expect_true(a.v[MACH_NL_A_STAT_PORTS] >= 2, "our ports");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID, 0, 0, 0, 0),
		  "send");
	assert_kr(MACH_MSG_SUCCESS,
		  mu_send(port, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, ID, 0, 0, 0, 0),
		  "send");
	assert_kr(MACH_RCV_TIMED_OUT, mu_recv(empty, &r, 0, 0), "a receive that fails");
	assert_eq(0, nl_request(&nl, MACH_NL_CMD_GET_STATS, false, NULL, stats_cb, &b, 0),
		  "GET_STATS again");
	expect_true(b.v[MACH_NL_A_STAT_MSGS_SENT] >= a.v[MACH_NL_A_STAT_MSGS_SENT] + 2,
		    "messages_sent moved by our two");
	expect_true(b.v[MACH_NL_A_STAT_BYTES_SENT] >=
		    a.v[MACH_NL_A_STAT_BYTES_SENT] + 2 * (int64_t)sizeof(struct mu_msg),
		    "bytes_sent moved");
	expect_true(b.rcv_timed_out >= a.rcv_timed_out + 1,
		    "MACH_RCV_TIMED_OUT counted");
	mt_diag("sent %lld -> %lld, rcv timed out %lld -> %lld",
		(long long)a.v[MACH_NL_A_STAT_MSGS_SENT],
		(long long)b.v[MACH_NL_A_STAT_MSGS_SENT],
		(long long)a.rcv_timed_out, (long long)b.rcv_timed_out);
	nl_close(&nl);
}

/* --- pagination and concurrency -------------------------------------------- */

static void add_dead_names(int n)
{
	mach_port_t name;
	int i;

	for (i = 0; i < n; i++)
		if (!expect_kr(KERN_SUCCESS,
			       mach_port_allocate(mach_task_self(),
						  MACH_PORT_RIGHT_DEAD_NAME, &name),
			       "allocate a dead name"))
			return;
}

static void pagination(void)
{
	int n = debug_kernel() ? 1500 : 5000;
	struct nl_sock nl;
	struct table t;

	open_family(&nl);
	add_dead_names(n);
	assert_eq(0, dump_entries(&nl, getpid(), &t), "dump");
	expect_true(nl.recvs > 1, "in several replies");
	expect_true(t.ordered, "each index once, in order");
	expect_eq(mu_names_count(), t.n, "every name");
	mt_diag("%zu names in %u replies", t.n, nl.recvs);
	free(t.e);
	nl_close(&nl);
}

static long refcnt(void)
{
	char buf[32] = "";
	FILE *f = fopen(REFCNT, "r");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

/* A dump left half read holds the module until its socket is closed. */
static void unfinished_dump(void)
{
	struct nl_sock nl;
	uint32_t pid = (uint32_t)getpid();
	long before, during, after = -1;
	int i;

	add_dead_names(2000);
	before = refcnt();
	if (before < 0)
		mt_skip("no %s", REFCNT);
	open_family(&nl);
	nl_request(&nl, MACH_NL_CMD_GET_ENTRY, true, &pid, NULL, NULL, 1);
	during = refcnt();
	expect_eq(before + 1, during, "the dump in progress holds the module");
	nl_close(&nl);
	for (i = 0; i < 100; i++) {
		after = refcnt();
		if (after == before)
			break;
		mt_sleep_ms(50);
	}
	expect_eq(before, after, "closing the socket ended the dump");
}

static volatile bool churn_stop;

static void *churn(void *unused)
{
	mach_port_t p[32];
	int i;

	(void)unused;
	while (!churn_stop) {
		for (i = 0; i < 32; i++)
			if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
					       &p[i]))
				p[i] = MACH_PORT_NULL;
		for (i = 0; i < 32; i += 2)
			if (p[i])
				mach_port_mod_refs(mach_task_self(), p[i],
						   MACH_PORT_RIGHT_RECEIVE, -1);
		for (i = 1; i < 32; i += 2)
			if (p[i])
				mach_port_mod_refs(mach_task_self(), p[i],
						   MACH_PORT_RIGHT_RECEIVE, -1);
	}
	return NULL;
}

/* Processes come and go (each with a space, some with many names). */
static void spawner(int rounds)
{
	int i;

	for (i = 0; i < rounds; i++) {
		pid_t c = mt_fork();

		if (c == 0) {
			add_dead_names(i % 4 ? 10 : 600);
			_exit(0);
		}
		mt_wait(c, 20000);
	}
}

static void concurrent_change(void)
{
	int rounds = debug_kernel() ? 15 : 60, i, ret;
	struct nl_sock nl;
	struct spaces ss;
	struct table t;
	pthread_t th;
	pid_t sp;
	size_t k;

	open_family(&nl);
	add_dead_names(500);
	assert_eq(0, pthread_create(&th, NULL, churn, NULL), "churn thread");
	sp = mt_fork();
	if (sp == 0) {
		spawner(rounds * 2);
		_exit(0);
	}
	for (i = 0; i < rounds; i++) {
		ret = dump_entries(&nl, getpid(), &t);
		expect_eq(0, ret, "our table under change");
		expect_true(t.ordered, "each index at most once, in order");
		free(t.e);
		ret = dump_spaces(&nl, &ss);
		expect_eq(0, ret, "the spaces while processes come and go");
		expect_true(ss.ordered, "each space at most once, in order");
		/* a process that may be exiting right now */
		for (k = 0; k < ss.n; k++) {
			if (ss.s[k].pid == (uint32_t)getpid() ||
			    ss.s[k].pid == (uint32_t)getppid())
				continue;
			ret = entries_err(&nl, (pid_t)ss.s[k].pid);
			if (ret != 0 && ret != -ESRCH && ret != -ENOENT)
				expect_eq(0, ret, "racing a process's exit");
		}
		free(ss.s);
		if (mt_failed)
			break;
	}
	churn_stop = true;
	pthread_join(th, NULL);
	expect_child_ok(sp, 120000, "the spawner");
	nl_close(&nl);
}

/*
 * Children with a space each, comm names of assorted lengths, waiting for
 * 'go' to close; enough to fill several 4 KiB parts of a space dump.
 */
#define BOUNDARY_SPACES	64

static void dump_boundaries(void)
{
	pid_t kids[BOUNDARY_SPACES];
	int ready[2], go[2], i, size;
	struct nl_sock nl;
	struct spaces ss;

	assert_eq(0, pipe(ready), "pipe");
	assert_eq(0, pipe(go), "pipe");
	for (i = 0; i < BOUNDARY_SPACES; i++) {
		kids[i] = mt_fork();
		assert_true(kids[i] >= 0, "fork");
		if (kids[i] == 0) {
			char comm[16] = "sp-xxxxxxxxxxxx";

			comm[3 + i % 13] = '\0';
			prctl(PR_SET_NAME, comm);
			(void)mach_task_self();
			mt_post(ready[1]);
			mt_await(go[0], 120000);
			_exit(0);
		}
		assert_true(mt_await(ready[0], MU_WAIT_MS), "child has a space");
	}
	/*
	 * Parts of 4096..4256 bytes, 4 apart: a cut falls in every place of a
	 * record (at most ~130 bytes), its header included.
	 */
	for (size = 4096; size <= 4256 && !mt_failed; size += 4) {
		size_t seen = 0, k;

		/* every read with that buffer: it sets the size of the dump's parts */
		assert_eq(0, nl_open_sized(&nl, (unsigned int)size), "netlink socket");
		expect_eq(0, nl_request(&nl, MACH_NL_CMD_GET_STATS, false, NULL,
					NULL, NULL, 0), "statistics");
		expect_eq(0, dump_spaces(&nl, &ss), "dump the spaces");
		expect_true(nl.recvs > 2, "in several parts");
		expect_true(ss.ordered, "each space once, in order");
		for (k = 0; k < ss.n; k++)
			for (i = 0; i < BOUNDARY_SPACES; i++)
				seen += ss.s[k].pid == (uint32_t)kids[i];
		if (!expect_eq(BOUNDARY_SPACES, seen, "every child's space"))
			mt_diag("with %d-byte parts", size);
		free(ss.s);
		nl_close(&nl);
	}
	for (i = 0; i < BOUNDARY_SPACES; i++)
		mt_post(go[1]);
	for (i = 0; i < BOUNDARY_SPACES; i++)
		expect_child_ok(kids[i], MU_WAIT_MS, "child");
}

static const struct mt_case cases[] = {
	MT_CASE(entry_attributes),
	MT_CASE(space_summary),
	MT_CASE(visibility),
	MT_CASE(bad_requests),
	MT_CASE(statistics),
	MT_CASE(pagination),
	MT_CASE(unfinished_dump),
	MT_CASE_T(concurrent_change, 300),
	MT_CASE_T(dump_boundaries, 300),
};

int main(void)
{
	return MT_RUN(cases);
}
