// SPDX-License-Identifier: GPL-2.0
/*
 * nl_util.c - a minimal generic netlink client (see nl_util.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nl_util.h"

/* The kernel never puts more than this in one reply (netlink_dump()). */
#define NL_RCVBUF	32768

struct nl_req {
	struct nlmsghdr nlh;
	struct genlmsghdr g;
	char attrs[64];
};

static void put_attr(struct nl_req *r, uint16_t type, const void *data,
		     uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

const struct nlattr *nl_first_attr(const struct nlmsghdr *nlh, int *len)
{
	*len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	return (const struct nlattr *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
}

void nl_parse(const struct nlmsghdr *nlh, struct nl_attrs *t)
{
	const struct nlattr *a;
	int len;

	memset(t, 0, sizeof(*t));
	nl_for_each_attr(a, nl_first_attr(nlh, &len), len)
		if (nl_type(a) <= MACH_NL_A_MAX)
			t->a[nl_type(a)] = a;
}

uint32_t nl_u32(const struct nl_attrs *t, int type, uint32_t missing)
{
	const struct nlattr *a = t->a[type];
	uint32_t v;

	if (!a || a->nla_len < NLA_HDRLEN + 4)
		return missing;
	memcpy(&v, nl_data(a), 4);
	return v;
}

uint64_t nl_u64(const struct nlattr *a, uint64_t missing)
{
	uint64_t v;

	if (!a || a->nla_len < NLA_HDRLEN + 8)
		return missing;
	memcpy(&v, nl_data(a), 8);
	return v;
}

/* Send a request; its sequence number is nl->seq. */
static int nl_send(struct nl_sock *nl, uint16_t type, uint16_t flags,
		   uint8_t cmd, uint8_t version, struct nl_req *r)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	r->nlh.nlmsg_seq = ++nl->seq;
	r->g.cmd = cmd;
	r->g.version = version;
	if (sendto(nl->fd, r, r->nlh.nlmsg_len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/*
 * Read replies to the last request until NLMSG_DONE or an NLMSG_ERROR
 * (an ack is error 0).
 */
static int nl_recv_all(struct nl_sock *nl, nl_msg_cb cb, void *arg,
		       unsigned int stop_after)
{
	size_t size = nl->rcvbuf ? nl->rcvbuf : NL_RCVBUF;
	char *buf = malloc(size);
	int ret = 0, stopped = 0;
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	nl->recvs = 0;
	for (;;) {
		const struct nlmsghdr *nlh;

		n = recv(nl->fd, buf, size, MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if ((size_t)n > size) {
			ret = -EMSGSIZE;
			break;
		}
		nl->recvs++;
		for (nlh = (const struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != nl->seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				ret = err < 0 ? err : 0;
				goto out;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				ret = e->error;
				goto out;
			}
			if (!stopped && cb && cb(nlh, arg))
				stopped = 1;
		}
		if (stop_after && nl->recvs >= stop_after)
			break;
	}
out:
	free(buf);
	return ret;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *a;
	int len;

	nl_for_each_attr(a, nl_first_attr(nlh, &len), len)
		if (nl_type(a) == CTRL_ATTR_FAMILY_ID)
			memcpy(arg, nl_data(a), sizeof(uint16_t));
	return 0;
}

int nl_open(struct nl_sock *nl)
{
	return nl_open_sized(nl, 0);
}

/*
 * The kernel sizes a dump's parts to the largest buffer the socket has
 * ever read with (netlink's max_recvmsg_len only grows), so a socket meant
 * to see small parts must read even the family's look-up with its size.
 */
int nl_open_sized(struct nl_sock *nl, unsigned int rcvbuf)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	struct nl_req r;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->rcvbuf = rcvbuf;
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		ret = -errno;
		nl_close(nl);
		return ret;
	}
	memset(&r, 0, sizeof(r));
	r.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, MACH_GENL_NAME, sizeof(MACH_GENL_NAME));
	ret = nl_send(nl, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY, 1, &r);
	if (!ret)
		ret = nl_recv_all(nl, family_cb, &nl->family, 0);
	if (!ret && !nl->family)
		ret = -ENOENT;
	if (ret)
		nl_close(nl);
	return ret;
}

void nl_close(struct nl_sock *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int nl_request(struct nl_sock *nl, uint8_t cmd, bool dump, const uint32_t *pid,
	       nl_msg_cb cb, void *arg, unsigned int stop_after)
{
	struct nl_req r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	if (pid)
		put_attr(&r, MACH_NL_A_PID, pid, sizeof(*pid));
	ret = nl_send(nl, nl->family, dump ? NLM_F_DUMP : NLM_F_ACK, cmd,
		      MACH_GENL_VERSION, &r);
	if (ret)
		return ret;
	return nl_recv_all(nl, cb, arg, stop_after);
}

struct kobject_find {
	uint32_t name, kind;
	uint64_t size;
	bool found;
};

static int kobject_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct kobject_find *f = arg;
	struct nl_attrs t;

	nl_parse(nlh, &t);
	if (nl_u32(&t, MACH_NL_A_ENTRY_NAME, 0) != f->name)
		return 0;
	f->found = true;
	f->kind = nl_u32(&t, MACH_NL_A_PORT_KOBJECT, 0);
	f->size = nl_u64(t.a[MACH_NL_A_PORT_KOBJECT_SIZE], 0);
	return 0;
}

int nl_entry_kobject(uint32_t pid, uint32_t name, uint32_t *kind,
		     uint64_t *size)
{
	struct kobject_find f = { .name = name };
	struct nl_sock nl;
	int ret;

	ret = nl_open(&nl);
	if (ret)
		return ret;
	ret = nl_request(&nl, MACH_NL_CMD_GET_ENTRY, true, &pid, kobject_cb, &f, 0);
	nl_close(&nl);
	if (ret)
		return ret;
	if (!f.found)
		return -ENOENT;
	*kind = f.kind;
	*size = f.size;
	return 0;
}
