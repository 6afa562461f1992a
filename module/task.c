// SPDX-License-Identifier: GPL-2.0
/*
 * Task ports and special ports.
 *
 * A task port is a kernel-object port whose kobject is the task's space.
 * Special ports are send rights the kernel holds for a task, under
 * space->lock.  A new space inherits its parent process's bootstrap port.
 */

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include "port.h"
#include "right.h"
#include "space.h"
#include "task.h"

/*
 * The space a task port name denotes in 'caller', with a reference, or
 * NULL when the name is not a send right to a live task port.
 */
struct mach_space *mach_task_lookup(struct mach_space *caller, u32 name)
{
	struct mach_space *task = NULL;
	struct mach_entry *entry;
	struct mach_port *port;

	mutex_lock(&caller->lock);
	entry = mach_entry_lookup(caller, name);
	if (entry && (entry->type & MACH_PORT_TYPE_SEND)) {
		port = entry->object;
		spin_lock(&port->lock);
		if (port->active && port->kobj_type == MACH_KOBJ_TASK)
			task = mach_port_kobject(port);
		if (task)
			mach_space_get(task);
		spin_unlock(&port->lock);
	}
	mutex_unlock(&caller->lock);
	return task;
}

/* A new send right to a live port the kernel holds, or NULL. */
static struct mach_port *mach_port_copy_send(struct mach_port *port)
{
	if (!port)
		return NULL;
	spin_lock(&port->lock);
	if (!port->active) {
		spin_unlock(&port->lock);
		return NULL;
	}
	port->srights++;
	spin_unlock(&port->lock);
	mach_port_get(port);
	return port;
}

/*
 * The host's default bootstrap port, a send right the kernel holds.  The
 * lock is a leaf: only a port lock is ever taken inside it.
 */
static DEFINE_MUTEX(mach_host_lock);
static struct mach_port *mach_host_bootstrap;

/* The space of the caller's parent process, referenced, or NULL. */
static struct mach_space *mach_parent_space(void)
{
	struct mach_space *parent;
	struct pid *ppid;

	rcu_read_lock();
	ppid = get_pid(task_tgid(rcu_dereference(current->real_parent)));
	rcu_read_unlock();
	parent = mach_registry_find(ppid);
	put_pid(ppid);
	return parent;
}

/*
 * Give a new space its parent process's bootstrap port or, where the
 * parent has none, the host's default.
 */
void mach_task_inherit(struct mach_space *space)
{
	struct mach_space *parent = mach_parent_space();
	struct mach_port *port = NULL;

	if (parent) {
		mutex_lock(&parent->lock);
		if (parent->active)
			port = mach_port_copy_send(parent->special[TASK_BOOTSTRAP_PORT]);
		mutex_unlock(&parent->lock);
		mach_space_put(parent);
	}
	if (!port) {
		mutex_lock(&mach_host_lock);
		port = mach_port_copy_send(mach_host_bootstrap);
		mutex_unlock(&mach_host_lock);
	}
	space->special[TASK_BOOTSTRAP_PORT] = port;
}

/*
 * fork() snapshots of the bootstrap port (uapi: MACH_IOC_FORK_PREPARE).
 * A space keeps its last MACH_FORK_SNAPS_MAX, oldest first on fork_snaps,
 * under space->lock; each holds a send right (or NULL) and is taken once,
 * by a child of the space's process, or dropped with the space.
 */
#define MACH_FORK_SNAPS_MAX	16

struct mach_fork_snap {
	struct list_head link;
	u64 cookie;
	struct mach_port *bootstrap;
};

static void mach_fork_snap_free(struct mach_fork_snap *snap)
{
	if (snap->bootstrap)
		mach_port_release_send(snap->bootstrap);
	kfree(snap);
}

int mach_fork_prepare(struct mach_space *space, u64 *cookie)
{
	struct mach_fork_snap *snap, *old = NULL;

	snap = kmalloc(sizeof(*snap), GFP_KERNEL_ACCOUNT);
	if (!snap)
		return KERN_RESOURCE_SHORTAGE;
	mutex_lock(&space->lock);
	snap->cookie = ++space->fork_cookie;
	snap->bootstrap = mach_port_copy_send(space->special[TASK_BOOTSTRAP_PORT]);
	list_add_tail(&snap->link, &space->fork_snaps);
	if (++space->nr_fork_snaps > MACH_FORK_SNAPS_MAX) {
		old = list_first_entry(&space->fork_snaps,
				       struct mach_fork_snap, link);
		list_del(&old->link);
		space->nr_fork_snaps--;
	}
	*cookie = snap->cookie;
	mutex_unlock(&space->lock);
	/* a right is released with no space lock held */
	if (old)
		mach_fork_snap_free(old);
	return KERN_SUCCESS;
}

/* The snapshot 'cookie' of the caller's parent process, taken out of it. */
static struct mach_fork_snap *mach_fork_snap_take(u64 cookie)
{
	struct mach_space *parent = mach_parent_space();
	struct mach_fork_snap *snap, *found = NULL;

	if (!parent)
		return NULL;
	mutex_lock(&parent->lock);
	list_for_each_entry(snap, &parent->fork_snaps, link) {
		if (snap->cookie == cookie) {
			list_del(&snap->link);
			parent->nr_fork_snaps--;
			found = snap;
			break;
		}
	}
	mutex_unlock(&parent->lock);
	mach_space_put(parent);
	return found;
}

int mach_fork_inherit(struct mach_space *space, u64 cookie)
{
	struct mach_fork_snap *snap = mach_fork_snap_take(cookie);
	struct mach_port *old;

	if (!snap)
		return KERN_INVALID_ARGUMENT;
	/* the parent had none at fork(): keep what the open gave */
	if (!snap->bootstrap) {
		kfree(snap);
		return KERN_SUCCESS;
	}
	mutex_lock(&space->lock);
	old = space->special[TASK_BOOTSTRAP_PORT];
	space->special[TASK_BOOTSTRAP_PORT] = snap->bootstrap;
	mutex_unlock(&space->lock);
	kfree(snap);
	if (old)
		mach_port_release_send(old);
	return KERN_SUCCESS;
}

/* The space is going: drop its snapshots and the rights they hold. */
void mach_fork_snaps_release(struct mach_space *space)
{
	struct mach_fork_snap *snap, *next;
	LIST_HEAD(snaps);

	mutex_lock(&space->lock);
	list_splice_init(&space->fork_snaps, &snaps);
	space->nr_fork_snaps = 0;
	mutex_unlock(&space->lock);
	list_for_each_entry_safe(snap, next, &snaps, link)
		mach_fork_snap_free(snap);
}

int mach_host_get_special(struct mach_space *caller, u32 which, u32 *name)
{
	struct mach_port *port;

	if (which != TASK_BOOTSTRAP_PORT)
		return KERN_INVALID_ARGUMENT;
	mutex_lock(&mach_host_lock);
	port = mach_port_copy_send(mach_host_bootstrap);
	mutex_unlock(&mach_host_lock);
	return mach_right_give(caller, port, MACH_MSG_TYPE_PORT_SEND, name);
}

/* Take a copy of a send right the caller names, for the kernel to keep. */
static int mach_take_send(struct mach_space *caller, u32 name,
			  struct mach_port **portp)
{
	*portp = NULL;
	if (!MACH_PORT_VALID(name))
		return KERN_SUCCESS;
	return mach_right_take(caller, name, MACH_MSG_TYPE_COPY_SEND,
			       KERN_INVALID_RIGHT, portp);
}

int mach_host_set_special(struct mach_space *caller, u32 which, u32 name)
{
	struct mach_port *port, *old;
	int kr;

	if (which != TASK_BOOTSTRAP_PORT)
		return KERN_INVALID_ARGUMENT;
	kr = mach_take_send(caller, name, &port);
	if (kr != KERN_SUCCESS)
		return kr;
	mutex_lock(&mach_host_lock);
	old = mach_host_bootstrap;
	mach_host_bootstrap = port;
	mutex_unlock(&mach_host_lock);
	if (old)
		mach_port_release_send(old);
	return KERN_SUCCESS;
}

/* Module unload: the kernel's own send right goes. */
void mach_host_exit(void)
{
	if (mach_host_bootstrap)
		mach_port_release_send(mach_host_bootstrap);
	mach_host_bootstrap = NULL;
}

static bool mach_special_valid(u32 which)
{
	return which >= TASK_KERNEL_PORT && which <= TASK_MAX_SPECIAL_PORT;
}

int mach_task_get_special(struct mach_space *caller, struct mach_space *task,
			  u32 which, u32 *name)
{
	struct mach_port *port;

	if (!mach_special_valid(which))
		return KERN_INVALID_ARGUMENT;

	/* a task whose IPC is going: KERN_FAILURE, as XNU's itk check says */
	mutex_lock(&task->lock);
	if (!task->active) {
		mutex_unlock(&task->lock);
		return KERN_FAILURE;
	}
	if (which == TASK_KERNEL_PORT || which == TASK_NAME_PORT)
		port = mach_port_copy_send(task->task_port);
	else
		port = mach_port_copy_send(task->special[which]);
	mutex_unlock(&task->lock);

	return mach_right_give(caller, port, MACH_MSG_TYPE_PORT_SEND, name);
}

int mach_task_set_special(struct mach_space *caller, struct mach_space *task,
			  u32 which, u32 name)
{
	struct mach_port *port = NULL, *old;
	int kr;

	/* XNU (with SIP): the task's own port and its host port are not settable */
	if (which == TASK_KERNEL_PORT || which == TASK_HOST_PORT)
		return KERN_NO_ACCESS;
	if (!mach_special_valid(which) || which == TASK_NAME_PORT)
		return KERN_INVALID_ARGUMENT;

	kr = mach_take_send(caller, name, &port);
	if (kr != KERN_SUCCESS)
		return kr;

	mutex_lock(&task->lock);
	if (!task->active) {
		mutex_unlock(&task->lock);
		if (port)
			mach_port_release_send(port);
		return KERN_FAILURE;
	}
	old = task->special[which];
	task->special[which] = port;
	mutex_unlock(&task->lock);
	if (old)
		mach_port_release_send(old);
	return KERN_SUCCESS;
}

/* A capability over 'ns', of the caller or of whoever opened 'file'. */
static bool mach_capable(struct file *file, struct user_namespace *ns, int cap)
{
	return file ? file_ns_capable(file, ns, cap) : ns_capable(ns, cap);
}

/*
 * May the holder of credentials 'me' control 'target' as a debugger would?
 * 'file' non-NULL: the capabilities are those of whoever opened it (as
 * netlink judges a socket), else the caller's.  The module cannot
 * call ptrace_may_access() (not exported), so it applies the credential
 * rules of a PTRACE_MODE_ATTACH_REALCREDS check itself:
 *
 *  - the caller's own process is always allowed;
 *  - otherwise the caller's real uid and gid must equal the target's real,
 *    effective and saved ones, or the caller must have CAP_SYS_PTRACE over
 *    the user namespace of the target's credentials;
 *  - and then the target must be dumpable, or the caller must have
 *    CAP_SYS_PTRACE over the user namespace its mm was created in.  A
 *    process that changed credentials (setuid() away from root, for one)
 *    is not dumpable, so a process of the new uid may not control it, and
 *    root of a user namespace may not control a non-dumpable process that
 *    joined the namespace from outside.  A target without an mm (exiting)
 *    needs CAP_SYS_PTRACE in the initial namespace.
 *
 * LSMs (Yama's ptrace_scope) are not asked; see docs/security.md.  The
 * caller's own process is the caller's business (mach_may_control).
 */
bool mach_cred_may_control(const struct cred *me, struct file *file,
			   struct task_struct *target)
{
	const struct cred *tcred;
	struct user_namespace *mm_ns = &init_user_ns;
	struct mm_struct *mm;
	bool ok, dumpable = false;

	rcu_read_lock();
	tcred = __task_cred(target);
	ok = (uid_eq(me->uid, tcred->euid) && uid_eq(me->uid, tcred->suid) &&
	      uid_eq(me->uid, tcred->uid) && gid_eq(me->gid, tcred->egid) &&
	      gid_eq(me->gid, tcred->sgid) && gid_eq(me->gid, tcred->gid)) ||
	     mach_capable(file, tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;

	/*
	 * commit_creds() clears dumpable before it installs new ids: read the
	 * two in the opposite order, so that a target dropping privileges now
	 * is seen either with its old ids or as not dumpable.
	 */
	smp_rmb();
	task_lock(target);
	mm = target->mm;
	if (mm) {
		dumpable = get_dumpable(mm) == SUID_DUMP_USER;
		mm_ns = mm->user_ns;
	}
	get_user_ns(mm_ns);
	task_unlock(target);
	ok = dumpable || mach_capable(file, mm_ns, CAP_SYS_PTRACE);
	put_user_ns(mm_ns);
	return ok;
}

static bool mach_may_control(struct task_struct *target)
{
	return same_thread_group(target, current) ||
	       mach_cred_may_control(current_cred(), NULL, target);
}

/*
 * task_for_pid: a send right to the task port of process 'pid' (in the
 * caller's pid namespace).  Like macOS, every refusal (no such process, no
 * Mach space there, not allowed, pid 0) is KERN_FAILURE.
 */
int mach_task_for_pid(struct mach_space *caller, pid_t nr, u32 *name)
{
	struct mach_space *target = NULL;
	struct task_struct *task;
	struct mach_port *port = NULL;
	struct pid *pid;

	*name = MACH_PORT_NULL;
	if (nr <= 0)
		return KERN_FAILURE;
	pid = find_get_pid(nr);
	task = pid ? get_pid_task(pid, PIDTYPE_TGID) : NULL;
	if (task && mach_may_control(task))
		target = mach_registry_find(pid);
	if (task)
		put_task_struct(task);
	put_pid(pid);
	if (!target)
		return KERN_FAILURE;

	mutex_lock(&target->lock);
	if (target->active)
		port = mach_port_copy_send(target->task_port);
	mutex_unlock(&target->lock);
	mach_space_put(target);
	if (!port)
		return KERN_FAILURE;
	return mach_right_give(caller, port, MACH_MSG_TYPE_PORT_SEND, name);
}
