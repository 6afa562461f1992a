// SPDX-License-Identifier: GPL-2.0
/*
 * The "mach" generic netlink family: a read-only view of the IPC spaces (a
 * summary of each, or one space's name table) and of the module's counters,
 * for lsmp.  The ABI is documented in uapi/linux/mach_netlink.h.
 *
 * Dumps keep no pointer between calls: the space summary dump resumes after
 * the last (pid, space serial) it sent, the name table dump at the next
 * name index of the space it found by serial at the start.  The only
 * reference held across calls is on the requester's pid namespace (taken
 * at start, dropped at done).
 *
 * Locking, within the module's order (space.h): the registry lock is held
 * for one walk of the list at a time, which only takes references on up to
 * MACH_NL_SPACE_BATCH spaces; then each space's lock is held for one batch
 * of names, inside it a port's lock (and a set's lock, never with a port's)
 * while one name is read.  Reply messages are written into the dump skb
 * under those locks; nothing there allocates or sleeps.
 *
 * The genetlink core holds a reference on this module from a dump's start
 * to its done, so no dump outlives the module; unregistering the family
 * waits for requests in progress.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/net.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/mach_netlink.h>
#include "mach_types.h"
#include "mem_entry.h"
#include "netlink.h"
#include "notify.h"
#include "port.h"
#include "pset.h"
#include "space.h"
#include "stats.h"
#include "task.h"

/* Spaces picked per walk of the registry. */
#define MACH_NL_SPACE_BATCH	16
/* Names looked at per hold of a space's lock. */
#define MACH_NL_NAME_BATCH	256

static struct genl_family mach_nl_family;

/* Dump state, in cb->ctx. */
struct mach_nl_ctx {
	struct pid_namespace *ns;	/* the requester's, pinned */
	struct pid *self;		/* the requesting process, pinned */
	u64 serial;	/* spaces: last one sent; entries: the space */
	u32 pid;	/* spaces: last one sent; entries: the process */
	u32 index;	/* entries: the next name index */
};

static struct mach_nl_ctx *mach_nl_ctx(struct netlink_callback *cb)
{
	return (struct mach_nl_ctx *)cb->ctx;
}

/*
 * May the requester see the space of 'task' (whose thread group is 'pid')?
 * Its own, always.  Others by the rule task_for_pid applies
 * (docs/security.md), to the credentials of whoever opened the netlink
 * socket, as netlink_capable() judges a socket by its opener, so that a
 * privileged process reading someone else's socket is no help; and
 * CAP_SYS_ADMIN over the target's user namespace suffices too.
 */
static bool mach_nl_may_see(struct netlink_callback *cb, struct pid *pid,
			    struct task_struct *task)
{
	struct sock *sk = NETLINK_CB(cb->skb).sk;
	struct file *file;
	bool ok;

	if (pid == mach_nl_ctx(cb)->self)
		return true;
	file = sk && sk->sk_socket ? sk->sk_socket->file : NULL;
	if (!file)
		return false;
	if (mach_cred_may_control(file->f_cred, file, task))
		return true;
	rcu_read_lock();
	ok = file_ns_capable(file, __task_cred(task)->user_ns, CAP_SYS_ADMIN);
	rcu_read_unlock();
	return ok;
}

/* The process 'nr' of 'ns' if the requester may see it: 0 or -errno. */
static int mach_nl_check_pid(struct netlink_callback *cb,
			     struct pid_namespace *ns, u32 nr,
			     struct pid **pidp)
{
	struct task_struct *task = NULL;
	struct pid *pid = NULL;
	bool ok;

	if (nr && nr <= INT_MAX) {
		rcu_read_lock();
		pid = get_pid(find_pid_ns(nr, ns));
		rcu_read_unlock();
	}
	if (pid)
		task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task) {
		put_pid(pid);
		return -ESRCH;
	}
	ok = mach_nl_may_see(cb, pid, task);
	put_task_struct(task);
	if (!ok) {
		put_pid(pid);
		return -EPERM;
	}
	*pidp = pid;
	return 0;
}

/* --- reading a name --------------------------------------------------- */

struct mach_nl_entry {
	u32 name, type, urefs, notify;
	u64 port_id;			/* 0: no port */
	pid_t receiver_pid, task_pid;
	u32 kobject;			/* MACH_NL_KOBJECT_*, or 0 */
	u64 kobject_size;
	bool receive;
	u32 depth, qlimit, seqno, mscount, srights, sorights;
	u32 members;
	u32 nsets;
	u32 sets[MACH_NL_MAX_SETS];
};

/* What kernel object the port stands for; port->lock held. */
static void mach_nl_kobject(struct mach_port *port, struct mach_nl_entry *e,
			    struct pid_namespace *ns)
{
	void *object = mach_port_kobject(port);

	if (!object)
		return;
	switch (port->kobj_type) {
	case MACH_KOBJ_TASK:
		e->kobject = MACH_NL_KOBJECT_TASK;
		e->task_pid = pid_nr_ns(((struct mach_space *)object)->pid, ns);
		break;
	case MACH_KOBJ_FILE:
		e->kobject = MACH_NL_KOBJECT_FILEPORT;
		break;
	case MACH_KOBJ_MEMORY_ENTRY:
		e->kobject = MACH_NL_KOBJECT_MEMORY_ENTRY;
		e->kobject_size = ((struct mach_mem_entry *)object)->size;
		break;
	}
}

/*
 * A snapshot of one in-use name, as mach_port_type() would see it: a send
 * or send-once right to a dead port reads as a dead name (without turning
 * it into one, which only the space's owner does).  space->lock held.
 */
static void mach_nl_entry_read(struct mach_entry *entry,
			       struct pid_namespace *ns,
			       struct mach_nl_entry *e)
{
	struct mach_pset_link *link;
	struct mach_port *port;

	memset(e, 0, offsetof(struct mach_nl_entry, sets));
	e->name = entry->name;
	e->type = entry->type;
	e->urefs = entry->urefs;
	if (entry->dnreq) {
		e->type |= MACH_PORT_TYPE_DNREQUEST;
		e->notify |= MACH_NL_NOTIFY_DEAD_NAME;
	}
	if (entry->type & MACH_PORT_TYPE_PORT_SET) {
		e->members = mach_pset_members(entry->object, NULL, 0);
		return;
	}
	if (!(entry->type & MACH_PORT_TYPE_PORT_RIGHTS))
		return;

	port = entry->object;
	spin_lock(&port->lock);
	e->port_id = mach_object_identity(port);
	if (!port->active && !(entry->type & MACH_PORT_TYPE_RECEIVE)) {
		if (entry->type & MACH_PORT_TYPE_SEND_ONCE)
			e->urefs = 1;
		e->type &= ~MACH_PORT_TYPE_SEND_RIGHTS;
		e->type |= MACH_PORT_TYPE_DEAD_NAME;
	}
	/* a space that holds a receive right or is a task port's is alive */
	if (port->receiver)
		e->receiver_pid = pid_nr_ns(port->receiver->pid, ns);
	mach_nl_kobject(port, e, ns);
	if (entry->type & MACH_PORT_TYPE_RECEIVE) {
		e->receive = true;
		e->depth = port->msgcount;
		e->qlimit = port->qlimit;
		e->seqno = port->seqno;
		e->mscount = port->mscount;
		e->srights = port->srights;
		e->sorights = atomic_read(&port->sorights);
		if (mach_port_nsrequest(port))
			e->notify |= MACH_NL_NOTIFY_NO_SENDERS;
		if (mach_port_pdrequest(port))
			e->notify |= MACH_NL_NOTIFY_PORT_DESTROYED;
		hlist_for_each_entry(link, &port->psets, port_node) {
			if (e->nsets == MACH_NL_MAX_SETS)
				break;
			e->sets[e->nsets++] = link->pset->name;
		}
	}
	spin_unlock(&port->lock);
}

static int mach_nl_entry_put(struct sk_buff *skb, struct netlink_callback *cb,
			     const struct mach_nl_entry *e)
{
	void *hdr;
	u32 i;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mach_nl_family, NLM_F_MULTI, MACH_NL_CMD_GET_ENTRY);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MACH_NL_A_ENTRY_NAME, e->name) ||
	    nla_put_u32(skb, MACH_NL_A_ENTRY_TYPE, e->type) ||
	    nla_put_u32(skb, MACH_NL_A_ENTRY_UREFS, e->urefs) ||
	    nla_put_u32(skb, MACH_NL_A_NOTIFY, e->notify))
		goto cancel;
	if (e->type & MACH_PORT_TYPE_PORT_SET &&
	    nla_put_u32(skb, MACH_NL_A_PSET_MEMBERS, e->members))
		goto cancel;
	if (e->port_id &&
	    nla_put_u64_64bit(skb, MACH_NL_A_PORT_ID, e->port_id, MACH_NL_A_PAD))
		goto cancel;
	if (e->receiver_pid &&
	    nla_put_u32(skb, MACH_NL_A_PORT_RECEIVER_PID, e->receiver_pid))
		goto cancel;
	if (e->kobject && nla_put_u32(skb, MACH_NL_A_PORT_KOBJECT, e->kobject))
		goto cancel;
	if (e->kobject_size &&
	    nla_put_u64_64bit(skb, MACH_NL_A_PORT_KOBJECT_SIZE, e->kobject_size,
			      MACH_NL_A_PAD))
		goto cancel;
	if (e->task_pid && nla_put_u32(skb, MACH_NL_A_PORT_TASK_PID, e->task_pid))
		goto cancel;
	if (e->receive &&
	    (nla_put_u32(skb, MACH_NL_A_PORT_QUEUE_DEPTH, e->depth) ||
	     nla_put_u32(skb, MACH_NL_A_PORT_QUEUE_LIMIT, e->qlimit) ||
	     nla_put_u32(skb, MACH_NL_A_PORT_SEQNO, e->seqno) ||
	     nla_put_u32(skb, MACH_NL_A_PORT_MSCOUNT, e->mscount) ||
	     nla_put_u32(skb, MACH_NL_A_PORT_SEND_COUNT, e->srights) ||
	     nla_put_u32(skb, MACH_NL_A_PORT_SEND_ONCE_COUNT, e->sorights)))
		goto cancel;
	for (i = 0; i < e->nsets; i++)
		if (nla_put_u32(skb, MACH_NL_A_PORT_SET, e->sets[i]))
			goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* --- MACH_NL_CMD_GET_SPACE --------------------------------------------- */

struct mach_nl_space_info {
	u32 names, receive, send, send_once, psets, dead, msgs;
};

static void mach_nl_space_count_entry(struct mach_entry *entry,
				      struct mach_nl_space_info *info)
{
	u32 type = entry->type;
	struct mach_port *port;

	if (type & MACH_PORT_TYPE_PORT_SET)
		info->psets++;
	if (type & MACH_PORT_TYPE_DEAD_NAME)
		info->dead++;
	if (!(type & MACH_PORT_TYPE_PORT_RIGHTS))
		return;
	port = entry->object;
	spin_lock(&port->lock);
	if (type & MACH_PORT_TYPE_RECEIVE) {
		info->receive++;
		info->msgs += port->msgcount;
		if (type & MACH_PORT_TYPE_SEND)
			info->send++;
	} else if (!port->active) {
		info->dead++;
	} else if (type & MACH_PORT_TYPE_SEND) {
		info->send++;
	} else {
		info->send_once++;
	}
	spin_unlock(&port->lock);
}

/* Count a space's names, a batch per hold of its lock; false if it died. */
static bool mach_nl_space_count(struct mach_space *space,
				struct mach_nl_space_info *info)
{
	struct mach_entry *entry;
	unsigned long index = 0;
	unsigned int n;

	memset(info, 0, sizeof(*info));
	for (;;) {
		n = 0;
		mutex_lock(&space->lock);
		if (!space->active) {
			mutex_unlock(&space->lock);
			return false;
		}
		info->names = space->nr_names;
		for (; (entry = mach_table_next(space, &index)); index++) {
			if (entry->type)
				mach_nl_space_count_entry(entry, info);
			if (++n == MACH_NL_NAME_BATCH)
				break;
		}
		mutex_unlock(&space->lock);
		if (!entry)
			return true;
		index++;
		cond_resched();
	}
}

static int mach_nl_space_put(struct sk_buff *skb, struct netlink_callback *cb,
			     struct mach_space *space, u32 pid)
{
	struct mach_nl_space_info info;
	char comm[TASK_COMM_LEN];
	struct task_struct *task;
	void *hdr;
	bool ok;

	task = get_pid_task(space->pid, PIDTYPE_TGID);
	if (!task)
		return 0;
	ok = mach_nl_may_see(cb, space->pid, task);
	if (ok)
		get_task_comm(comm, task);
	put_task_struct(task);
	if (!ok || !mach_nl_space_count(space, &info))
		return 0;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mach_nl_family, NLM_F_MULTI, MACH_NL_CMD_GET_SPACE);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, MACH_NL_A_PID, pid) ||
	    nla_put_u64_64bit(skb, MACH_NL_A_SPACE_SERIAL, space->serial,
			      MACH_NL_A_PAD) ||
	    nla_put_string(skb, MACH_NL_A_COMM, comm) ||
	    nla_put_u32(skb, MACH_NL_A_NAMES, info.names) ||
	    nla_put_u32(skb, MACH_NL_A_RECEIVE_RIGHTS, info.receive) ||
	    nla_put_u32(skb, MACH_NL_A_SEND_RIGHTS, info.send) ||
	    nla_put_u32(skb, MACH_NL_A_SEND_ONCE_RIGHTS, info.send_once) ||
	    nla_put_u32(skb, MACH_NL_A_PORT_SETS, info.psets) ||
	    nla_put_u32(skb, MACH_NL_A_DEAD_NAMES, info.dead) ||
	    nla_put_u32(skb, MACH_NL_A_MSGS_QUEUED, info.msgs)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The next spaces after a (pid, serial) cursor, in that order. */
struct mach_nl_pick {
	struct pid_namespace *ns;
	u32 after_pid;
	u64 after_serial;
	unsigned int n;
	struct {
		u32 pid;
		u64 serial;
		struct mach_space *space;	/* a reference */
	} s[MACH_NL_SPACE_BATCH];
};

static bool mach_nl_before(u32 pid1, u64 serial1, u32 pid2, u64 serial2)
{
	return pid1 < pid2 || (pid1 == pid2 && serial1 < serial2);
}

/*
 * Under the registry lock.  Dropping the reference of a space pushed out of
 * the batch never frees it: the registry's spaces are still held by their
 * files.
 */
static void mach_nl_pick_space(struct mach_space *space, void *arg)
{
	struct mach_nl_pick *p = arg;
	u32 pid = pid_nr_ns(space->pid, p->ns);
	u64 serial = space->serial;
	unsigned int i;

	if (!pid || !mach_nl_before(p->after_pid, p->after_serial, pid, serial))
		return;
	if (p->n == MACH_NL_SPACE_BATCH) {
		i = MACH_NL_SPACE_BATCH - 1;
		if (!mach_nl_before(pid, serial, p->s[i].pid, p->s[i].serial))
			return;
		mach_space_put(p->s[i].space);
		p->n--;
	}
	for (i = p->n; i > 0; i--) {
		if (!mach_nl_before(pid, serial, p->s[i - 1].pid,
				    p->s[i - 1].serial))
			break;
		p->s[i] = p->s[i - 1];
	}
	mach_space_get(space);
	p->s[i].pid = pid;
	p->s[i].serial = serial;
	p->s[i].space = space;
	p->n++;
}

static int mach_nl_get_space_start(struct netlink_callback *cb)
{
	struct mach_nl_ctx *ctx = mach_nl_ctx(cb);

	ctx->ns = get_pid_ns(task_active_pid_ns(current));
	ctx->self = get_pid(task_tgid(current));
	return 0;
}

static int mach_nl_dump_done(struct netlink_callback *cb)
{
	struct mach_nl_ctx *ctx = mach_nl_ctx(cb);

	if (ctx->ns)
		put_pid_ns(ctx->ns);
	ctx->ns = NULL;
	put_pid(ctx->self);
	ctx->self = NULL;
	return 0;
}

static int mach_nl_get_space_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct mach_nl_ctx *ctx = mach_nl_ctx(cb);
	struct mach_nl_pick *pick;
	bool full = false;
	unsigned int i;
	int err;

	pick = kmalloc(sizeof(*pick), GFP_KERNEL);
	if (!pick)
		return -ENOMEM;
	while (!full) {
		pick->ns = ctx->ns;
		pick->after_pid = ctx->pid;
		pick->after_serial = ctx->serial;
		pick->n = 0;
		mach_registry_walk(mach_nl_pick_space, pick);
		if (!pick->n)
			break;
		for (i = 0; i < pick->n; i++) {
			if (!full) {
				err = mach_nl_space_put(skb, cb, pick->s[i].space,
							pick->s[i].pid);
				if (err) {
					full = true;
				} else {
					ctx->pid = pick->s[i].pid;
					ctx->serial = pick->s[i].serial;
				}
			}
			mach_space_put(pick->s[i].space);
		}
		cond_resched();
	}
	kfree(pick);
	return skb->len;
}

/* --- MACH_NL_CMD_GET_ENTRY --------------------------------------------- */

static const struct nla_policy mach_nl_entry_policy[MACH_NL_A_PID + 1] = {
	[MACH_NL_A_PID] = { .type = NLA_U32 },
};

static int mach_nl_get_entry_start(struct netlink_callback *cb)
{
	struct mach_nl_ctx *ctx = mach_nl_ctx(cb);
	struct nlattr *tb[MACH_NL_A_PID + 1];
	struct mach_space *space;
	struct pid *pid;
	int err;
	u32 nr;

	err = nlmsg_parse(cb->nlh, GENL_HDRLEN, tb, MACH_NL_A_PID,
			  mach_nl_entry_policy, cb->extack);
	if (err)
		return err;
	if (!tb[MACH_NL_A_PID]) {
		NL_SET_ERR_MSG(cb->extack, "MACH_NL_A_PID is required");
		return -EINVAL;
	}
	nr = nla_get_u32(tb[MACH_NL_A_PID]);
	mach_nl_get_space_start(cb);
	err = mach_nl_check_pid(cb, ctx->ns, nr, &pid);
	if (err)
		goto fail;
	space = mach_registry_find(pid);
	put_pid(pid);
	err = -ENOENT;
	if (!space)
		goto fail;
	ctx->serial = space->serial;
	mach_space_put(space);
	ctx->pid = nr;
	ctx->index = 0;
	return 0;

fail:
	/* done is not called when start fails */
	mach_nl_dump_done(cb);
	return err;
}

struct mach_nl_find {
	u64 serial;
	struct mach_space *space;
};

static void mach_nl_find_space(struct mach_space *space, void *arg)
{
	struct mach_nl_find *f = arg;

	if (!f->space && space->serial == f->serial) {
		mach_space_get(space);
		f->space = space;
	}
}

static int mach_nl_get_entry_dumpit(struct sk_buff *skb,
				    struct netlink_callback *cb)
{
	struct mach_nl_ctx *ctx = mach_nl_ctx(cb);
	struct mach_nl_find find = { .serial = ctx->serial };
	struct mach_nl_entry *e;
	struct mach_entry *entry;
	unsigned long index;
	struct pid *pid;
	bool full = false;
	unsigned int n;
	int err;

	/* the process may have changed credentials, or gone */
	err = mach_nl_check_pid(cb, ctx->ns, ctx->pid, &pid);
	if (err == -ESRCH)
		return 0;
	if (err)
		return err;
	mach_registry_walk(mach_nl_find_space, &find);
	if (find.space && find.space->pid != pid) {
		mach_space_put(find.space);
		find.space = NULL;
	}
	put_pid(pid);
	if (!find.space)
		return 0;

	e = kmalloc(sizeof(*e), GFP_KERNEL);
	if (!e) {
		mach_space_put(find.space);
		return -ENOMEM;
	}
	index = ctx->index;
	while (!full) {
		n = 0;
		mutex_lock(&find.space->lock);
		if (!find.space->active) {
			mutex_unlock(&find.space->lock);
			break;
		}
		for (; (entry = mach_table_next(find.space, &index)); index++) {
			if (entry->type) {
				mach_nl_entry_read(entry, ctx->ns, e);
				if (mach_nl_entry_put(skb, cb, e)) {
					full = true;
					break;
				}
			}
			ctx->index = index + 1;
			if (++n == MACH_NL_NAME_BATCH)
				break;
		}
		mutex_unlock(&find.space->lock);
		if (!entry)
			break;
		index = ctx->index;
		cond_resched();
	}
	kfree(e);
	mach_space_put(find.space);
	return skb->len;
}

/* --- MACH_NL_CMD_GET_STATS --------------------------------------------- */

static const u8 mach_nl_stat_attr[MACH_STAT_NR_NETLINK] = {
	[MACH_STAT_SPACES] = MACH_NL_A_STAT_SPACES,
	[MACH_STAT_PORTS] = MACH_NL_A_STAT_PORTS,
	[MACH_STAT_PSETS] = MACH_NL_A_STAT_PORT_SETS,
	[MACH_STAT_KMSGS] = MACH_NL_A_STAT_MSGS_QUEUED,
	[MACH_STAT_KMSG_BYTES] = MACH_NL_A_STAT_BYTES_QUEUED,
	[MACH_STAT_OOL_BYTES] = MACH_NL_A_STAT_OOL_BYTES_QUEUED,
	[MACH_STAT_SENT] = MACH_NL_A_STAT_MSGS_SENT,
	[MACH_STAT_RECEIVED] = MACH_NL_A_STAT_MSGS_RECEIVED,
	[MACH_STAT_SENT_BYTES] = MACH_NL_A_STAT_BYTES_SENT,
	[MACH_STAT_NOTIFICATIONS] = MACH_NL_A_STAT_NOTIFICATIONS,
};

/* A counter added to stats.h needs its attribute in the UAPI too. */
static_assert(MACH_NL_A_STAT_NOTIFICATIONS - MACH_NL_A_STAT_SPACES + 1 ==
	      MACH_STAT_NR_NETLINK);

static int mach_nl_stats_fill(struct sk_buff *msg,
			      const struct mach_stats_sum *sum)
{
	struct nlattr *nest;
	unsigned int i;

	for (i = 0; i < MACH_STAT_NR_NETLINK; i++)
		if (nla_put_s64(msg, mach_nl_stat_attr[i], sum->v[i],
				MACH_NL_A_PAD))
			return -EMSGSIZE;
	for (i = 0; i < MACH_STAT_FAIL_SLOTS; i++) {
		if (!sum->fail[i])
			continue;
		nest = nla_nest_start(msg, MACH_NL_A_STAT_FAILURE);
		if (!nest ||
		    nla_put_u32(msg, MACH_NL_FAILURE_A_CODE,
				mach_stat_fail_code(i)) ||
		    nla_put_s64(msg, MACH_NL_FAILURE_A_COUNT, sum->fail[i],
				MACH_NL_FAILURE_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, nest);
	}
	return 0;
}

static int mach_nl_get_stats_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct mach_stats_sum *sum;
	struct sk_buff *msg;
	void *hdr;
	int err = -ENOMEM;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!sum || !msg)
		goto fail;
	mach_stats_read(sum);
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(msg, info, &mach_nl_family, 0,
				MACH_NL_CMD_GET_STATS);
	if (!hdr || mach_nl_stats_fill(msg, sum))
		goto fail;
	genlmsg_end(msg, hdr);
	kfree(sum);
	return genlmsg_reply(msg, info);

fail:
	nlmsg_free(msg);
	kfree(sum);
	return err;
}

/* --- the family -------------------------------------------------------- */

static const struct genl_ops mach_nl_ops[] = {
	{
		.cmd = MACH_NL_CMD_GET_SPACE,
		.start = mach_nl_get_space_start,
		.dumpit = mach_nl_get_space_dumpit,
		.done = mach_nl_dump_done,
	},
	{
		.cmd = MACH_NL_CMD_GET_ENTRY,
		.start = mach_nl_get_entry_start,
		.dumpit = mach_nl_get_entry_dumpit,
		.done = mach_nl_dump_done,
		.policy = mach_nl_entry_policy,
		.maxattr = MACH_NL_A_PID,
	},
	{
		.cmd = MACH_NL_CMD_GET_STATS,
		.doit = mach_nl_get_stats_doit,
	},
};

static struct genl_family mach_nl_family __ro_after_init = {
	.name = MACH_GENL_NAME,
	.version = MACH_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	.parallel_ops = true,
	.ops = mach_nl_ops,
	.n_ops = ARRAY_SIZE(mach_nl_ops),
};

int mach_netlink_init(void)
{
	BUILD_BUG_ON(sizeof(struct mach_nl_ctx) >
		     sizeof_field(struct netlink_callback, ctx));
	return genl_register_family(&mach_nl_family);
}

void mach_netlink_exit(void)
{
	genl_unregister_family(&mach_nl_family);
}
