/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl_util.h - a minimal generic netlink client for the tests of mach.ko's
 * "mach" family (uapi/linux/mach_netlink.h), on raw sockets so that the
 * tests stay statically linked without libmnl.
 */
#ifndef NL_UTIL_H
#define NL_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/genetlink.h>
#include <linux/mach_netlink.h>
#include <linux/netlink.h>

struct nl_sock {
	int fd;
	uint16_t family;	/* the "mach" family's id */
	uint32_t seq;
	unsigned int recvs;	/* recv() calls of the last request */
	/*
	 * recv() buffer size, 0: 32 KiB.  The kernel sizes each later part of
	 * a dump to the largest buffer this socket has read with.
	 */
	unsigned int rcvbuf;
};

/* Open a socket and resolve the family: 0, or -errno (ENOENT: no family). */
int nl_open(struct nl_sock *nl);
/* The same, reading every reply with a 'rcvbuf'-byte buffer (0: 32 KiB). */
int nl_open_sized(struct nl_sock *nl, unsigned int rcvbuf);
void nl_close(struct nl_sock *nl);

/* Called for each reply message; return non-zero to stop early. */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send a MACH_NL_CMD_* request (a dump when 'dump'), with MACH_NL_A_PID when
 * pid is not NULL, and run cb on every reply.  Returns 0, or -errno from the
 * kernel (the request's error, or a dump's) or from the socket
 * (EMSGSIZE: a reply larger than the 32 KiB the kernel ever sends).  With
 * stop_after > 0, returns after that many recv() calls without reading the
 * rest (the dump stays in progress until the socket is closed).
 */
int nl_request(struct nl_sock *nl, uint8_t cmd, bool dump, const uint32_t *pid,
	       nl_msg_cb cb, void *arg, unsigned int stop_after);

/* The attributes of a reply by type (a repeated one: its last). */
struct nl_attrs {
	const struct nlattr *a[MACH_NL_A_MAX + 1];
};

void nl_parse(const struct nlmsghdr *nlh, struct nl_attrs *t);
/* An attribute's u32 (u64) value; 'missing' when absent. */
uint32_t nl_u32(const struct nl_attrs *t, int type, uint32_t missing);
uint64_t nl_u64(const struct nlattr *a, uint64_t missing);

/* Walk the attributes of a message or a nest. */
#define nl_for_each_attr(a, start, len) \
	for ((a) = (start); NLA_OK_((a), (len)); \
	     (len) -= NLA_ALIGN((a)->nla_len), \
	     (a) = (const struct nlattr *)((const char *)(a) + NLA_ALIGN((a)->nla_len)))

#define NLA_OK_(a, len) \
	((len) >= (int)sizeof(struct nlattr) && (a)->nla_len >= sizeof(struct nlattr) && \
	 (a)->nla_len <= (len))

/* The first attribute after a reply's genetlink header, and their length. */
const struct nlattr *nl_first_attr(const struct nlmsghdr *nlh, int *len);

static inline const void *nl_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline int nl_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

/*
 * What kernel object the name 'name' of process pid stands for, as the
 * GET_ENTRY dump reports it: *kind gets MACH_NL_KOBJECT_* (0 for none) and
 * *size a memory entry's size.  0, or -errno (-ENOENT: no such name).
 */
int nl_entry_kobject(uint32_t pid, uint32_t name, uint32_t *kind,
		     uint64_t *size);

#endif /* NL_UTIL_H */
