// SPDX-License-Identifier: GPL-2.0
/*
 * lsmp - list the Mach port rights of processes, as macOS's lsmp does, from
 * mach.ko's "mach" generic netlink family (uapi/linux/mach_netlink.h).
 *
 *   lsmp -p PID [--json]   one process's name table
 *   lsmp -a [--json]       every process whose space we may see
 *   lsmp -s [--json]       the module's counters
 *
 * A port's identity is the kernel's id for the port object: the same in
 * every process holding a right to it.  With -a, a port that more than one
 * of the listed processes hold rights to is marked "shared with" the others.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/mach_netlink.h>
#include <mach/port.h>

#define RECV_BUF	65536

/* --- data ----------------------------------------------------------------- */

struct entry {
	uint32_t name, type, urefs, notify;
	uint64_t port_id;		/* 0: no port */
	uint32_t receiver_pid, task_pid;
	uint32_t kobject;		/* MACH_NL_KOBJECT_*, or 0 */
	uint64_t kobject_size;
	bool receive;			/* the receive-right attributes are set */
	uint32_t depth, qlimit, seqno, mscount, srights, sorights;
	uint32_t members;
	uint32_t nsets;
	uint32_t *sets;
};

/* The kernel object a port stands for, as JSON names it. */
static const char *kobject_name(uint32_t kind)
{
	switch (kind) {
	case MACH_NL_KOBJECT_TASK:
		return "task";
	case MACH_NL_KOBJECT_FILEPORT:
		return "fileport";
	case MACH_NL_KOBJECT_MEMORY_ENTRY:
		return "memory_entry";
	default:
		return "unknown";
	}
}

struct proc {
	uint32_t pid;
	uint64_t serial;
	char comm[32];
	bool have_summary;
	uint32_t names, receive, send, send_once, psets, dead, msgs;
	struct entry *e;
	size_t n, cap;
};

struct procs {
	struct proc *p;
	size_t n, cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		perror("lsmp");
		exit(1);
	}
	return p;
}

/* --- netlink -------------------------------------------------------------- */

struct nl {
	struct mnl_socket *sk;
	uint32_t portid;
	uint16_t family;
	uint32_t seq;
	char *buf;
};

static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
	return MNL_CB_OK;
}

/* The end of a dump, which carries the dump's error if it failed midway. */
static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	int err;

	(void)data;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0) {
			errno = -err;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

/* An error, or (0) the acknowledgement that ends a request. */
static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error < 0) {
		errno = -e->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* libmnl's own handling, but for the error a dump's end may carry */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

/*
 * Send one request and run cb on each reply message until the kernel says
 * it is done.  Returns 0, or -1 with errno set (the kernel's error too).
 */
static int nl_request(struct nl *nl, uint16_t type, uint8_t cmd, uint8_t version,
		      uint16_t flags, const uint32_t *pid, uint16_t str_attr,
		      const char *str, mnl_cb_t cb, void *data)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct genlmsghdr *g;
	uint32_t seq = ++nl->seq;
	ssize_t len;
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	if (pid)
		mnl_attr_put_u32(nlh, MACH_NL_A_PID, *pid);
	if (str)
		mnl_attr_put_strz(nlh, str_attr, str);
	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		len = mnl_socket_recvfrom(nl->sk, nl->buf, RECV_BUF);
		if (len < 0)
			return -1;
		ret = mnl_cb_run2(nl->buf, len, seq, nl->portid, cb, data,
				  ctl_cbs, NLMSG_MIN_TYPE);
		if (ret < 0)
			return -1;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

static int nl_open(struct nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->buf = xrealloc(NULL, RECV_BUF);
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk || mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "lsmp: netlink socket: %s\n", strerror(errno));
		return -1;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	if (nl_request(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK, NULL,
		       CTRL_ATTR_FAMILY_NAME, MACH_GENL_NAME, family_cb,
		       &nl->family) < 0 || !nl->family) {
		fprintf(stderr, "lsmp: no \"%s\" netlink family: is mach.ko loaded? (%s)\n",
			MACH_GENL_NAME, strerror(errno ? errno : ENOENT));
		return -1;
	}
	return 0;
}

static int nl_mach(struct nl *nl, uint8_t cmd, uint16_t flags,
		   const uint32_t *pid, mnl_cb_t cb, void *data)
{
	return nl_request(nl, nl->family, cmd, MACH_GENL_VERSION, flags, pid,
			  0, NULL, cb, data);
}

/* Attributes of one reply, by type (repeated ones: the last). */
struct attrs {
	const struct nlattr *a[MACH_NL_A_MAX + 1];
};

static int attrs_cb(const struct nlattr *attr, void *data)
{
	struct attrs *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type <= MACH_NL_A_MAX)
		t->a[type] = attr;
	return MNL_CB_OK;
}

static uint32_t get_u32(const struct attrs *t, int type)
{
	const struct nlattr *a = t->a[type];

	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 8 ? mnl_attr_get_u64(a) : 0;
}

/* --- the three requests ----------------------------------------------- */

static int space_cb(const struct nlmsghdr *nlh, void *data)
{
	struct procs *ps = data;
	struct attrs t = { 0 };
	struct proc *p;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attrs_cb, &t);
	if (!t.a[MACH_NL_A_PID])
		return MNL_CB_OK;
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 64;
		ps->p = xrealloc(ps->p, ps->cap * sizeof(*ps->p));
	}
	p = &ps->p[ps->n++];
	memset(p, 0, sizeof(*p));
	p->have_summary = true;
	p->pid = get_u32(&t, MACH_NL_A_PID);
	p->serial = get_u64(t.a[MACH_NL_A_SPACE_SERIAL]);
	if (t.a[MACH_NL_A_COMM] &&
	    mnl_attr_validate(t.a[MACH_NL_A_COMM], MNL_TYPE_NUL_STRING) == 0)
		snprintf(p->comm, sizeof(p->comm), "%s",
			 mnl_attr_get_str(t.a[MACH_NL_A_COMM]));
	p->names = get_u32(&t, MACH_NL_A_NAMES);
	p->receive = get_u32(&t, MACH_NL_A_RECEIVE_RIGHTS);
	p->send = get_u32(&t, MACH_NL_A_SEND_RIGHTS);
	p->send_once = get_u32(&t, MACH_NL_A_SEND_ONCE_RIGHTS);
	p->psets = get_u32(&t, MACH_NL_A_PORT_SETS);
	p->dead = get_u32(&t, MACH_NL_A_DEAD_NAMES);
	p->msgs = get_u32(&t, MACH_NL_A_MSGS_QUEUED);
	return MNL_CB_OK;
}

static int entry_cb(const struct nlmsghdr *nlh, void *data)
{
	struct proc *p = data;
	struct attrs t = { 0 };
	const struct nlattr *a;
	struct entry *e;

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attrs_cb, &t);
	if (!t.a[MACH_NL_A_ENTRY_NAME])
		return MNL_CB_OK;
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->e = xrealloc(p->e, p->cap * sizeof(*p->e));
	}
	e = &p->e[p->n++];
	memset(e, 0, sizeof(*e));
	e->name = get_u32(&t, MACH_NL_A_ENTRY_NAME);
	e->type = get_u32(&t, MACH_NL_A_ENTRY_TYPE);
	e->urefs = get_u32(&t, MACH_NL_A_ENTRY_UREFS);
	e->notify = get_u32(&t, MACH_NL_A_NOTIFY);
	e->port_id = get_u64(t.a[MACH_NL_A_PORT_ID]);
	e->receiver_pid = get_u32(&t, MACH_NL_A_PORT_RECEIVER_PID);
	e->task_pid = get_u32(&t, MACH_NL_A_PORT_TASK_PID);
	e->kobject = get_u32(&t, MACH_NL_A_PORT_KOBJECT);
	e->kobject_size = get_u64(t.a[MACH_NL_A_PORT_KOBJECT_SIZE]);
	e->receive = t.a[MACH_NL_A_PORT_QUEUE_DEPTH] != NULL;
	e->depth = get_u32(&t, MACH_NL_A_PORT_QUEUE_DEPTH);
	e->qlimit = get_u32(&t, MACH_NL_A_PORT_QUEUE_LIMIT);
	e->seqno = get_u32(&t, MACH_NL_A_PORT_SEQNO);
	e->mscount = get_u32(&t, MACH_NL_A_PORT_MSCOUNT);
	e->srights = get_u32(&t, MACH_NL_A_PORT_SEND_COUNT);
	e->sorights = get_u32(&t, MACH_NL_A_PORT_SEND_ONCE_COUNT);
	e->members = get_u32(&t, MACH_NL_A_PSET_MEMBERS);
	/* repeated: every set the port is in */
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != MACH_NL_A_PORT_SET ||
		    mnl_attr_get_payload_len(a) < 4)
			continue;
		e->sets = xrealloc(e->sets, (e->nsets + 1) * sizeof(*e->sets));
		e->sets[e->nsets++] = mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

static const char *const stat_names[] = {
	[MACH_NL_A_STAT_SPACES] = "spaces",
	[MACH_NL_A_STAT_PORTS] = "ports",
	[MACH_NL_A_STAT_PORT_SETS] = "port_sets",
	[MACH_NL_A_STAT_MSGS_QUEUED] = "messages_queued",
	[MACH_NL_A_STAT_BYTES_QUEUED] = "bytes_queued",
	[MACH_NL_A_STAT_OOL_BYTES_QUEUED] = "ool_bytes_queued",
	[MACH_NL_A_STAT_MSGS_SENT] = "messages_sent",
	[MACH_NL_A_STAT_MSGS_RECEIVED] = "messages_received",
	[MACH_NL_A_STAT_BYTES_SENT] = "bytes_sent",
	[MACH_NL_A_STAT_NOTIFICATIONS] = "notifications_sent",
};

#define NSTATS	(MACH_NL_A_STAT_NOTIFICATIONS - MACH_NL_A_STAT_SPACES + 1)
#define MAX_FAILURES	64

struct stats {
	bool have[NSTATS];
	int64_t v[NSTATS];
	unsigned int nfail;
	uint32_t fail_code[MAX_FAILURES];
	int64_t fail_count[MAX_FAILURES];
};

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	struct stats *s = data;
	const struct nlattr *a, *in;
	uint16_t type;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		type = mnl_attr_get_type(a);
		if (type >= MACH_NL_A_STAT_SPACES &&
		    type <= MACH_NL_A_STAT_NOTIFICATIONS) {
			s->have[type - MACH_NL_A_STAT_SPACES] = true;
			s->v[type - MACH_NL_A_STAT_SPACES] = (int64_t)get_u64(a);
		} else if (type == MACH_NL_A_STAT_FAILURE &&
			   s->nfail < MAX_FAILURES) {
			uint32_t code = 0;
			int64_t count = 0;

			mnl_attr_for_each_nested(in, a) {
				if (mnl_attr_get_type(in) == MACH_NL_FAILURE_A_CODE &&
				    mnl_attr_get_payload_len(in) >= 4)
					code = mnl_attr_get_u32(in);
				else if (mnl_attr_get_type(in) == MACH_NL_FAILURE_A_COUNT)
					count = (int64_t)get_u64(in);
			}
			s->fail_code[s->nfail] = code;
			s->fail_count[s->nfail++] = count;
		}
	}
	return MNL_CB_OK;
}

/* --- output helpers --------------------------------------------------- */

static bool json;

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	uint32_t cp, min;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f, min = 0x80;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * A JSON string.  A comm is any bytes a process chose: bytes that are not
 * UTF-8 become U+FFFD, so the output stays valid JSON.
 */
static void json_str(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	putchar('"');
	while (*s) {
		if (*s == '"' || *s == '\\') {
			printf("\\%c", *s++);
		} else if (*s < 0x20 || *s == 0x7f) {
			printf("\\u%04x", *s++);
		} else if (*s < 0x80) {
			putchar(*s++);
		} else if ((n = utf8_len(s))) {
			fwrite(s, 1, n, stdout);
			s += n;
		} else {
			printf("\\ufffd");
			s++;
		}
	}
	putchar('"');
}

/* Append to a fixed buffer, truncating. */
static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off = *off + (size_t)n < len - 1 ? *off + (size_t)n : len - 1;
}

/* The rights of a name: "recv", "send", ... (joined with '+' in text). */
static const struct {
	uint32_t bit;
	const char *name;
} type_names[] = {
	{ MACH_PORT_TYPE_RECEIVE, "recv" },
	{ MACH_PORT_TYPE_SEND, "send" },
	{ MACH_PORT_TYPE_SEND_ONCE, "send-once" },
	{ MACH_PORT_TYPE_PORT_SET, "pset" },
	{ MACH_PORT_TYPE_DEAD_NAME, "dead" },
};

static void type_text(uint32_t type, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type & type_names[i].bit)
			append(buf, len, &off, "%s%s", off ? "+" : "",
			       type_names[i].name);
	if (!off)
		snprintf(buf, len, "none");
}

static const struct {
	uint32_t bit;
	const char *name;
	const char *brief;
} notify_names[] = {
	{ MACH_NL_NOTIFY_DEAD_NAME, "dead-name", "dn" },
	{ MACH_NL_NOTIFY_NO_SENDERS, "no-senders", "ns" },
	{ MACH_NL_NOTIFY_PORT_DESTROYED, "port-destroyed", "pd" },
};

#define NNOTIFY	(sizeof(notify_names) / sizeof(notify_names[0]))

static const struct {
	uint32_t code;
	const char *name;
} msg_codes[] = {
	{ 0x10000002, "MACH_SEND_INVALID_DATA" },
	{ 0x10000003, "MACH_SEND_INVALID_DEST" },
	{ 0x10000004, "MACH_SEND_TIMED_OUT" },
	{ 0x10000005, "MACH_SEND_INVALID_VOUCHER" },
	{ 0x10000007, "MACH_SEND_INTERRUPTED" },
	{ 0x10000008, "MACH_SEND_MSG_TOO_SMALL" },
	{ 0x10000009, "MACH_SEND_INVALID_REPLY" },
	{ 0x1000000a, "MACH_SEND_INVALID_RIGHT" },
	{ 0x1000000b, "MACH_SEND_INVALID_NOTIFY" },
	{ 0x1000000c, "MACH_SEND_INVALID_MEMORY" },
	{ 0x1000000d, "MACH_SEND_NO_BUFFER" },
	{ 0x1000000e, "MACH_SEND_TOO_LARGE" },
	{ 0x1000000f, "MACH_SEND_INVALID_TYPE" },
	{ 0x10000010, "MACH_SEND_INVALID_HEADER" },
	{ 0x10000011, "MACH_SEND_INVALID_TRAILER" },
	{ 0x10004002, "MACH_RCV_INVALID_NAME" },
	{ 0x10004003, "MACH_RCV_TIMED_OUT" },
	{ 0x10004004, "MACH_RCV_TOO_LARGE" },
	{ 0x10004005, "MACH_RCV_INTERRUPTED" },
	{ 0x10004006, "MACH_RCV_PORT_CHANGED" },
	{ 0x10004008, "MACH_RCV_INVALID_DATA" },
	{ 0x10004009, "MACH_RCV_PORT_DIED" },
	{ 0x1000400b, "MACH_RCV_HEADER_ERROR" },
	{ 0x1000400c, "MACH_RCV_BODY_ERROR" },
	{ 0x1000400f, "MACH_RCV_INVALID_TRAILER" },
};

static const char *msg_code_name(uint32_t code)
{
	size_t i;

	for (i = 0; i < sizeof(msg_codes) / sizeof(msg_codes[0]); i++)
		if (msg_codes[i].code == code)
			return msg_codes[i].name;
	return NULL;
}

/* --- sharing (-a) ------------------------------------------------------- */

struct holder {
	uint64_t id;
	uint32_t pid;
};

static struct holder *holders;
static size_t nholders;

static int holder_cmp(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Every (port, pid) pair once, sorted. */
static void index_holders(const struct procs *ps)
{
	size_t i, j, k = 0;

	for (i = 0; i < ps->n; i++)
		for (j = 0; j < ps->p[i].n; j++)
			if (ps->p[i].e[j].port_id)
				nholders++;
	holders = xrealloc(NULL, nholders * sizeof(*holders));
	for (i = 0; i < ps->n; i++)
		for (j = 0; j < ps->p[i].n; j++)
			if (ps->p[i].e[j].port_id) {
				holders[k].id = ps->p[i].e[j].port_id;
				holders[k++].pid = ps->p[i].pid;
			}
	qsort(holders, nholders, sizeof(*holders), holder_cmp);
	for (i = 0, k = 0; i < nholders; i++)
		if (!k || holder_cmp(&holders[k - 1], &holders[i]))
			holders[k++] = holders[i];
	nholders = k;
}

/*
 * The other pids holding a right to port 'id': how many, the first 'cap' of
 * them in out.
 */
static size_t shared_with(uint64_t id, uint32_t self, uint32_t *out, size_t cap)
{
	size_t lo = 0, hi = nholders, n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (holders[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < nholders && holders[lo].id == id; lo++)
		if (holders[lo].pid != self) {
			if (n < cap)
				out[n] = holders[lo].pid;
			n++;
		}
	return n;
}

/* --- printing ----------------------------------------------------------- */

#define SHOW_SHARED	16

static void print_entry_json(const struct proc *p, const struct entry *e,
			     bool sharing)
{
	uint32_t others[SHOW_SHARED];
	size_t i, n, k = 0;

	printf("{\"name\":%" PRIu32 ",\"name_hex\":\"0x%" PRIx32 "\",\"type\":[",
	       e->name, e->name);
	for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (e->type & type_names[i].bit)
			printf("%s\"%s\"", k++ ? "," : "", type_names[i].name);
	printf("],\"type_bits\":%" PRIu32 ",\"urefs\":%" PRIu32, e->type, e->urefs);
	if (e->port_id)
		printf(",\"port_id\":%" PRIu64, e->port_id);
	if (e->receiver_pid)
		printf(",\"receiver_pid\":%" PRIu32, e->receiver_pid);
	if (e->task_pid)
		printf(",\"task_pid\":%" PRIu32, e->task_pid);
	if (e->kobject)
		printf(",\"kobject\":\"%s\"", kobject_name(e->kobject));
	if (e->kobject == MACH_NL_KOBJECT_MEMORY_ENTRY)
		printf(",\"memory_entry_size\":%" PRIu64, e->kobject_size);
	if (e->receive) {
		printf(",\"queue_depth\":%" PRIu32 ",\"queue_limit\":%" PRIu32
		       ",\"seqno\":%" PRIu32 ",\"mscount\":%" PRIu32
		       ",\"send_rights\":%" PRIu32 ",\"send_once_rights\":%" PRIu32,
		       e->depth, e->qlimit, e->seqno, e->mscount, e->srights,
		       e->sorights);
		printf(",\"sets\":[");
		for (i = 0; i < e->nsets; i++)
			printf("%s%" PRIu32, i ? "," : "", e->sets[i]);
		printf("]");
	}
	if (e->type & MACH_PORT_TYPE_PORT_SET)
		printf(",\"members\":%" PRIu32, e->members);
	printf(",\"notify\":[");
	for (i = 0, k = 0; i < NNOTIFY; i++)
		if (e->notify & notify_names[i].bit)
			printf("%s\"%s\"", k++ ? "," : "", notify_names[i].name);
	printf("]");
	if (sharing && e->port_id) {
		n = shared_with(e->port_id, p->pid, others, SHOW_SHARED);
		printf(",\"shared_with\":[");
		for (i = 0; i < n && i < SHOW_SHARED; i++)
			printf("%s%" PRIu32, i ? "," : "", others[i]);
		printf("]");
	}
	printf("}");
}

static void print_proc_json(const struct proc *p, bool sharing)
{
	size_t i;

	printf("{\"pid\":%" PRIu32 ",\"comm\":", p->pid);
	json_str(p->comm);
	if (p->have_summary)
		printf(",\"space_serial\":%" PRIu64 ",\"names\":%" PRIu32
		       ",\"receive_rights\":%" PRIu32 ",\"send_rights\":%" PRIu32
		       ",\"send_once_rights\":%" PRIu32 ",\"port_sets\":%" PRIu32
		       ",\"dead_names\":%" PRIu32 ",\"messages_queued\":%" PRIu32,
		       p->serial, p->names, p->receive, p->send, p->send_once,
		       p->psets, p->dead, p->msgs);
	printf(",\"entries\":[");
	for (i = 0; i < p->n; i++) {
		if (i)
			putchar(',');
		print_entry_json(p, &p->e[i], sharing);
	}
	printf("]}");
}

static void print_proc_text(const struct proc *p, bool sharing)
{
	uint32_t others[SHOW_SHARED];
	char type[48], queue[32], sets[64], notify[16], extra[160], rcvr[16];
	size_t i, j, n, off;

	printf("Process (%" PRIu32 ") %s", p->pid, p->comm[0] ? p->comm : "?");
	if (p->have_summary)
		printf(": %" PRIu32 " names, %" PRIu32 " receive, %" PRIu32
		       " send, %" PRIu32 " send-once, %" PRIu32 " sets, %" PRIu32
		       " dead, %" PRIu32 " messages queued",
		       p->names, p->receive, p->send, p->send_once, p->psets,
		       p->dead, p->msgs);
	printf("\n  %-10s  %-14s %5s  %8s  %7s  %9s  %-10s  %-8s  %s\n",
	       "name", "rights", "urefs", "identity", "rcvr", "queue", "set",
	       "notify", "");
	for (i = 0; i < p->n; i++) {
		const struct entry *e = &p->e[i];

		type_text(e->type, type, sizeof(type));
		if (e->receive)
			snprintf(queue, sizeof(queue), "%" PRIu32 "/%" PRIu32,
				 e->depth, e->qlimit);
		else
			snprintf(queue, sizeof(queue), "-");
		if (e->receiver_pid)
			snprintf(rcvr, sizeof(rcvr), "%" PRIu32, e->receiver_pid);
		else
			snprintf(rcvr, sizeof(rcvr), "-");
		off = 0;
		sets[0] = '\0';
		for (j = 0; j < e->nsets; j++)
			append(sets, sizeof(sets), &off, "%s0x%" PRIx32,
			       j ? "," : "", e->sets[j]);
		if (!e->nsets)
			snprintf(sets, sizeof(sets), "-");
		off = 0;
		notify[0] = '\0';
		for (j = 0; j < NNOTIFY; j++)
			if (e->notify & notify_names[j].bit)
				append(notify, sizeof(notify), &off, "%s%s",
				       off ? "," : "", notify_names[j].brief);
		if (!off)
			snprintf(notify, sizeof(notify), "-");
		off = 0;
		extra[0] = '\0';
		if (e->task_pid)
			append(extra, sizeof(extra), &off, "task port of %" PRIu32 " ",
			       e->task_pid);
		if (e->kobject == MACH_NL_KOBJECT_FILEPORT)
			append(extra, sizeof(extra), &off, "fileport ");
		if (e->kobject == MACH_NL_KOBJECT_MEMORY_ENTRY)
			append(extra, sizeof(extra), &off,
			       "memory entry of %" PRIu64 " bytes ", e->kobject_size);
		if (e->type & MACH_PORT_TYPE_PORT_SET)
			append(extra, sizeof(extra), &off, "%" PRIu32 " members ",
			       e->members);
		if (e->receive)
			append(extra, sizeof(extra), &off, "seqno %" PRIu32
			       " mscount %" PRIu32 " send rights %" PRIu32 " ",
			       e->seqno, e->mscount, e->srights);
		n = sharing && e->port_id ?
		    shared_with(e->port_id, p->pid, others, SHOW_SHARED) : 0;
		if (n)
			append(extra, sizeof(extra), &off, "shared with");
		for (j = 0; j < n && j < SHOW_SHARED; j++)
			append(extra, sizeof(extra), &off, "%s%" PRIu32,
			       j ? "," : " ", others[j]);
		if (n > SHOW_SHARED)
			append(extra, sizeof(extra), &off, ",...");
		if (e->port_id)
			printf("  0x%08" PRIx32 "  %-14s %5" PRIu32 "  %8" PRIu64
			       "  %7s  %9s  %-10s  %-8s  %s\n", e->name, type,
			       e->urefs, e->port_id, rcvr, queue, sets, notify, extra);
		else
			printf("  0x%08" PRIx32 "  %-14s %5" PRIu32 "  %8s"
			       "  %7s  %9s  %-10s  %-8s  %s\n", e->name, type,
			       e->urefs, "-", rcvr, queue, sets, notify, extra);
	}
}

/* --- modes ---------------------------------------------------------------- */

static int load_entries(struct nl *nl, struct proc *p)
{
	return nl_mach(nl, MACH_NL_CMD_GET_ENTRY, NLM_F_DUMP, &p->pid, entry_cb, p);
}

static int cmd_pid(struct nl *nl, uint32_t pid)
{
	struct procs ps = { 0 };
	struct proc one = { .pid = pid }, *p = &one;
	size_t i;

	if (load_entries(nl, p) < 0) {
		int err = errno;

		fprintf(stderr, "lsmp: process %" PRIu32 ": %s\n", pid,
			err == EPERM ? "not permitted (it is not yours to debug)" :
			err == ENOENT ? "has no Mach IPC space" :
			err == ESRCH ? "no such process" : strerror(err));
		return 1;
	}
	/* the summary line: the space dump's record for this pid */
	if (nl_mach(nl, MACH_NL_CMD_GET_SPACE, NLM_F_DUMP, NULL, space_cb, &ps) == 0)
		for (i = 0; i < ps.n; i++)
			if (ps.p[i].pid == pid) {
				ps.p[i].e = one.e;
				ps.p[i].n = one.n;
				p = &ps.p[i];	/* the last (newest) space of the pid wins */
			}
	if (json) {
		print_proc_json(p, false);
		putchar('\n');
	} else {
		print_proc_text(p, false);
	}
	return 0;
}

static int cmd_all(struct nl *nl)
{
	struct procs ps = { 0 };
	size_t i, k;

	if (nl_mach(nl, MACH_NL_CMD_GET_SPACE, NLM_F_DUMP, NULL, space_cb, &ps) < 0) {
		fprintf(stderr, "lsmp: listing spaces: %s\n", strerror(errno));
		return 1;
	}
	/* a pid with several spaces: GET_ENTRY shows its newest, listed last */
	for (i = 0, k = 0; i < ps.n; i++) {
		if (i + 1 < ps.n && ps.p[i + 1].pid == ps.p[i].pid)
			continue;
		ps.p[k] = ps.p[i];
		if (load_entries(nl, &ps.p[k]) < 0) {
			/* gone, or no longer ours to see, since the listing */
			free(ps.p[k].e);
			continue;
		}
		k++;
	}
	ps.n = k;
	index_holders(&ps);
	if (json) {
		printf("{\"processes\":[");
		for (i = 0; i < ps.n; i++) {
			if (i)
				putchar(',');
			print_proc_json(&ps.p[i], true);
		}
		printf("]}\n");
	} else {
		for (i = 0; i < ps.n; i++) {
			if (i)
				putchar('\n');
			print_proc_text(&ps.p[i], true);
		}
	}
	return 0;
}

static int cmd_stats(struct nl *nl)
{
	struct stats s = { 0 };
	const char *name;
	unsigned int i;

	if (nl_mach(nl, MACH_NL_CMD_GET_STATS, NLM_F_ACK, NULL, stats_cb, &s) < 0) {
		fprintf(stderr, "lsmp: statistics: %s\n", strerror(errno));
		return 1;
	}
	if (json) {
		printf("{");
		for (i = 0; i < NSTATS; i++)
			if (s.have[i])
				printf("\"%s\":%" PRId64 ",",
				       stat_names[i + MACH_NL_A_STAT_SPACES], s.v[i]);
		printf("\"failures\":[");
		for (i = 0; i < s.nfail; i++) {
			name = msg_code_name(s.fail_code[i]);
			printf("%s{\"code\":%" PRIu32 ",\"code_hex\":\"0x%08" PRIx32
			       "\",\"name\":", i ? "," : "", s.fail_code[i],
			       s.fail_code[i]);
			if (name)
				json_str(name);
			else
				printf("null");
			printf(",\"count\":%" PRId64 "}", s.fail_count[i]);
		}
		printf("]}\n");
		return 0;
	}
	for (i = 0; i < NSTATS; i++)
		if (s.have[i])
			printf("%-20s %" PRId64 "\n",
			       stat_names[i + MACH_NL_A_STAT_SPACES], s.v[i]);
	if (s.nfail)
		printf("failed mach_msg calls:\n");
	for (i = 0; i < s.nfail; i++) {
		name = msg_code_name(s.fail_code[i]);
		printf("  0x%08" PRIx32 " %-28s %" PRId64 "\n", s.fail_code[i],
		       name ? name : "", s.fail_count[i]);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: lsmp -p PID [--json]   the Mach port names of one process\n"
		"       lsmp -a [--json]       of every process you may debug\n"
		"       lsmp -s [--json]       mach.ko's counters\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "stats", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char mode = 0, *end;
	unsigned long pid = 0;
	struct nl nl;
	int c, ret;

	while ((c = getopt_long(argc, argv, "p:asjh", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			errno = 0;
			pid = strtoul(optarg, &end, 10);
			if (errno || *end || !pid || pid > INT32_MAX) {
				fprintf(stderr, "lsmp: bad pid '%s'\n", optarg);
				return 2;
			}
			/* fall through */
		case 'a':
		case 's':
			if (mode && mode != c) {
				usage(stderr);
				return 2;
			}
			mode = (char)c;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!mode || optind != argc) {
		usage(stderr);
		return 2;
	}
	if (nl_open(&nl) < 0)
		return 1;
	switch (mode) {
	case 'p':
		ret = cmd_pid(&nl, (uint32_t)pid);
		break;
	case 'a':
		ret = cmd_all(&nl);
		break;
	default:
		ret = cmd_stats(&nl);
		break;
	}
	mnl_socket_close(nl.sk);
	if (fflush(stdout) != 0)
		ret = 1;
	return ret;
}
