// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* and task_* routines, one ioctl each.
 *
 * Every argument struct starts with the caller's name for a task port.  The
 * dispatcher resolves it (MACH_SEND_INVALID_DEST when it names no task, as
 * a MIG call to a bad port fails on XNU), copies the struct in and out, and
 * the routine returns XNU's kern_return_t.
 */

#include <linux/capability.h>
#include <linux/mm.h>
#include <linux/once.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "desc.h"
#include "kmsg.h"
#include "mqueue.h"
#include "notify.h"
#include "port.h"
#include "port_ops.h"
#include "pset.h"
#include "right.h"
#include "space.h"
#include "task.h"

/* Lock a space that may have died since it was looked up. */
static bool mach_space_lock_active(struct mach_space *space)
{
	mutex_lock(&space->lock);
	if (space->active)
		return true;
	mutex_unlock(&space->lock);
	return false;
}

/* Create a right of a kind mach_port_allocate accepts. */
static int mach_alloc_right(struct mach_space *space, u32 right, u32 *name,
			    bool named, struct mach_port **portp)
{
	struct mach_port *port = NULL;
	struct mach_pset *pset = NULL;
	struct mach_entry *entry;
	int kr;

	switch (right) {
	case MACH_PORT_RIGHT_RECEIVE:
		port = mach_port_alloc();
		if (!port)
			return KERN_RESOURCE_SHORTAGE;
		break;
	case MACH_PORT_RIGHT_PORT_SET:
		pset = mach_pset_alloc();
		if (!pset)
			return KERN_RESOURCE_SHORTAGE;
		break;
	case MACH_PORT_RIGHT_DEAD_NAME:
		break;
	default:
		return KERN_INVALID_VALUE;
	}

	if (!mach_space_lock_active(space)) {
		kr = KERN_INVALID_TASK;
		goto free;
	}
	kr = named ? mach_entry_alloc_name(space, *name, &entry) :
		     mach_entry_alloc(space, &entry);
	if (kr != KERN_SUCCESS)
		goto unlock;

	if (port) {
		entry->type = MACH_PORT_TYPE_RECEIVE;
		entry->object = port;
		kr = mach_rev_insert(space, entry);
		if (kr != KERN_SUCCESS) {
			mach_entry_free(space, entry);
			goto unlock;
		}
		port->receiver = space;
		port->receiver_name = entry->name;
		if (portp)
			*portp = port;
	} else if (pset) {
		entry->type = MACH_PORT_TYPE_PORT_SET;
		entry->object = pset;
		pset->name = entry->name;
	} else {
		entry->type = MACH_PORT_TYPE_DEAD_NAME;
		entry->urefs = 1;
	}
	*name = entry->name;
	mutex_unlock(&space->lock);
	return KERN_SUCCESS;

unlock:
	mutex_unlock(&space->lock);
free:
	if (port)
		mach_port_put(port);
	if (pset)
		mach_pset_destroy(pset);
	return kr;
}

static int op_allocate(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	struct mach_port_right_args *a = p;

	return mach_alloc_right(task, a->right, &a->name, false, NULL);
}

static int op_allocate_name(struct mach_space *caller, struct mach_space *task,
			    void *p)
{
	struct mach_port_right_args *a = p;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_VALUE;
	return mach_alloc_right(task, a->right, &a->name, true, NULL);
}

/* Look a name up for a routine; unlocks and fails when it is unknown. */
static struct mach_entry *mach_op_lookup(struct mach_space *task, u32 name,
					 int *kr)
{
	struct mach_entry *entry;

	if (!mach_space_lock_active(task)) {
		*kr = KERN_INVALID_TASK;
		return NULL;
	}
	entry = mach_entry_lookup(task, name);
	if (!entry) {
		mutex_unlock(&task->lock);
		*kr = KERN_INVALID_NAME;
	}
	return entry;
}

static int op_deallocate(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_port_right_args *a = p;
	struct mach_entry *entry;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_SUCCESS;
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		return kr;
	kr = mach_right_dealloc(task, entry);
	mutex_unlock(&task->lock);
	return kr;
}

/*
 * Does entry hold the receive right of a guarded port whose guard is not
 * *guard (any guard when guard is NULL)?  XNU then raises a fatal EXC_GUARD
 * (kGUARD_EXC_DESTROY, kGUARD_EXC_MOD_REFS) and the call returns
 * KERN_INVALID_RIGHT; here the call fails the same way, changes nothing,
 * and the process lives (see docs/design.md).
 */
static bool mach_entry_guarded(struct mach_entry *entry, const u64 *guard)
{
	struct mach_port *port = entry->object;
	bool guarded;

	if (!(entry->type & MACH_PORT_TYPE_RECEIVE))
		return false;
	spin_lock(&port->lock);
	guarded = port->guarded && (!guard || port->context != *guard);
	spin_unlock(&port->lock);
	return guarded;
}

static int op_destroy(struct mach_space *caller, struct mach_space *task,
		      void *p)
{
	struct mach_port_right_args *a = p;
	struct mach_entry *entry;
	const u64 zero = 0;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_SUCCESS;
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		return kr;
	/* mach_port_destroy checks the guard against 0 */
	if (mach_entry_guarded(entry, &zero)) {
		mutex_unlock(&task->lock);
		return KERN_INVALID_RIGHT;
	}
	/*
	 * The task's own pinned send right keeps its last reference, as
	 * XNU keeps it (MPG_FLAGS_MOD_REFS_PINNED_DESTROY): see dealloc.
	 */
	if (entry->name == task->task_self && entry->type == MACH_PORT_TYPE_SEND) {
		entry->urefs = 1;
		mutex_unlock(&task->lock);
		return KERN_SUCCESS;
	}
	mach_right_destroy_entry(task, entry);
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

static int op_mod_refs(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	struct mach_port_right_args *a = p;
	struct mach_entry *entry;
	int kr;

	if (a->right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->name))
		return (a->right == MACH_PORT_RIGHT_SEND ||
			a->right == MACH_PORT_RIGHT_SEND_ONCE) ?
			KERN_SUCCESS : KERN_INVALID_NAME;
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		return kr;
	/* ipc_right_delta refuses to drop a guarded receive right */
	if (a->right == MACH_PORT_RIGHT_RECEIVE && a->delta == -1 &&
	    mach_entry_guarded(entry, NULL)) {
		mutex_unlock(&task->lock);
		return KERN_INVALID_RIGHT;
	}
	kr = mach_right_delta(task, entry, a->right, a->delta);
	mutex_unlock(&task->lock);
	return kr;
}

static int op_get_refs(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	struct mach_port_right_args *a = p;
	struct mach_entry *entry;
	u32 type, urefs;
	int kr;

	if (a->right >= MACH_PORT_RIGHT_NUMBER)
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->name)) {
		if (a->right == MACH_PORT_RIGHT_SEND ||
		    a->right == MACH_PORT_RIGHT_SEND_ONCE) {
			a->result = 1;
			return KERN_SUCCESS;
		}
		return KERN_INVALID_NAME;
	}
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		return kr;
	type = mach_right_info(task, entry, &urefs);
	mutex_unlock(&task->lock);

	if (!(type & MACH_PORT_TYPE(a->right)))
		a->result = 0;
	else if (a->right == MACH_PORT_RIGHT_SEND ||
		 a->right == MACH_PORT_RIGHT_DEAD_NAME)
		a->result = urefs;
	else
		a->result = 1;
	return KERN_SUCCESS;
}

static int op_type(struct mach_space *caller, struct mach_space *task, void *p)
{
	struct mach_port_right_args *a = p;
	struct mach_entry *entry;
	u32 urefs;
	int kr;

	if (a->name == MACH_PORT_NULL)
		return KERN_INVALID_NAME;
	if (a->name == MACH_PORT_DEAD) {
		a->result = MACH_PORT_TYPE_DEAD_NAME;
		return KERN_SUCCESS;
	}
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		return kr;
	a->result = mach_right_info(task, entry, &urefs);
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

/*
 * Insert a right under a chosen name (ipc_object_copyout_name): the name
 * must be free, or already denote the same port for send/receive rights.
 */
static int mach_copyout_name(struct mach_space *space, struct mach_port *port,
			     u32 type, u32 name)
{
	struct mach_entry *entry, *rev = NULL;
	int kr;

	kr = mach_name_check(name);
	if (kr != KERN_SUCCESS)
		return kr;
	if (type != MACH_MSG_TYPE_PORT_SEND_ONCE) {
		rev = mach_rev_lookup(space, port);
		if (rev && rev->name != name)
			return KERN_RIGHT_EXISTS;
	}
	if (rev) {
		if (type == MACH_MSG_TYPE_PORT_RECEIVE &&
		    (rev->type & MACH_PORT_TYPE_RECEIVE))
			return KERN_RIGHT_EXISTS;
		/* the normal copyout coalesces (and pegs urefs) */
		return mach_right_copyout(space, port, type, &name);
	}

	kr = mach_entry_alloc_name(space, name, &entry);
	if (kr != KERN_SUCCESS)
		return kr;
	entry->object = port;
	entry->urefs = 1;
	if (type == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		entry->type = MACH_PORT_TYPE_SEND_ONCE;
		return KERN_SUCCESS;
	}
	entry->type = type == MACH_MSG_TYPE_PORT_SEND ?
		      MACH_PORT_TYPE_SEND : MACH_PORT_TYPE_RECEIVE;
	if (type == MACH_MSG_TYPE_PORT_RECEIVE)
		entry->urefs = 0;
	kr = mach_rev_insert(space, entry);
	if (kr != KERN_SUCCESS) {
		mach_entry_free(space, entry);
		return kr;
	}
	if (type == MACH_MSG_TYPE_PORT_RECEIVE) {
		spin_lock(&port->lock);
		port->receiver = space;
		port->receiver_name = name;
		spin_unlock(&port->lock);
	}
	return KERN_SUCCESS;
}

/*
 * mach_port_insert_right(task, name, name, MAKE_SEND or COPY_SEND): XNU's
 * fast path for the common idiom answers a dead name with
 * KERN_INVALID_CAPABILITY before looking at the disposition.
 */
static int mach_insert_send_same_name_check(struct mach_space *space, u32 name)
{
	struct mach_entry *entry;
	int kr = KERN_SUCCESS;

	mutex_lock(&space->lock);
	entry = space->active ? mach_entry_lookup(space, name) : NULL;
	if (entry && ((entry->type & MACH_PORT_TYPE_DEAD_NAME) ||
		      mach_right_check_dead(space, entry)))
		kr = KERN_INVALID_CAPABILITY;
	mutex_unlock(&space->lock);
	return kr;
}

static int op_insert_right(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	struct mach_port_xfer_args *a = p;
	struct mach_port *port;
	u32 type;
	int kr;

	if (a->reserved)
		return -EINVAL;
	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_VALUE;
	if (!mach_right_disposition_valid(a->disposition))
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->poly))
		return KERN_INVALID_VALUE;

	if (a->name == a->poly &&
	    (a->disposition == MACH_MSG_TYPE_MAKE_SEND ||
	     a->disposition == MACH_MSG_TYPE_COPY_SEND)) {
		kr = mach_insert_send_same_name_check(caller, a->name);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	/* a dead name is taken as MACH_PORT_DEAD (a move uses a reference) */
	kr = mach_right_take(caller, a->poly, a->disposition, KERN_SUCCESS,
			     &port);
	if (kr != KERN_SUCCESS)
		return kr;
	if (port == MACH_KPORT_DEAD)
		return KERN_INVALID_CAPABILITY;
	type = mach_right_carried_type(a->disposition);

	if (!mach_space_lock_active(task)) {
		kr = KERN_INVALID_TASK;
	} else {
		kr = mach_copyout_name(task, port, type, a->name);
		mutex_unlock(&task->lock);
	}
	/* as in XNU, a right that could not be inserted is destroyed */
	if (kr != KERN_SUCCESS)
		mach_right_release(port, type);
	return kr;
}

static int op_extract_right(struct mach_space *caller, struct mach_space *task,
			    void *p)
{
	struct mach_port_xfer_args *a = p;
	struct mach_port *port;
	u32 type;
	int kr;

	if (a->reserved)
		return -EINVAL;
	if (!mach_right_disposition_valid(a->disposition))
		return KERN_INVALID_VALUE;
	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;

	/* a dead name is extracted as MACH_PORT_DEAD, as XNU's copyin gives */
	kr = mach_right_take(task, a->name, a->disposition, KERN_SUCCESS,
			     &port);
	if (kr != KERN_SUCCESS)
		return kr;
	type = mach_right_carried_type(a->disposition);
	a->disposition = type;
	if (port == MACH_KPORT_DEAD) {
		a->poly = MACH_PORT_DEAD;
		return KERN_SUCCESS;
	}
	kr = mach_right_give(caller, port, type, &a->poly);
	return kr;
}

static int op_names(struct mach_space *caller, struct mach_space *task, void *p)
{
	struct mach_port_names_args *a = p;
	struct mach_entry *entry;
	u32 *names = NULL, *types = NULL;
	unsigned long index;
	u32 cap = a->count, n = 0, urefs;
	int kr = KERN_SUCCESS;

	if (cap) {
		cap = min(cap, mach_max_names);
		names = kvmalloc_array(cap, sizeof(u32), GFP_KERNEL_ACCOUNT);
		types = kvmalloc_array(cap, sizeof(u32), GFP_KERNEL_ACCOUNT);
		if (!names || !types) {
			kr = KERN_RESOURCE_SHORTAGE;
			goto out;
		}
	}
	if (!mach_space_lock_active(task)) {
		kr = KERN_INVALID_TASK;
		goto out;
	}
	xa_for_each(&task->table, index, entry) {
		if (!entry->type)
			continue;
		if (n < cap) {
			types[n] = mach_right_info(task, entry, &urefs);
			names[n] = entry->name;
		}
		n++;
	}
	mutex_unlock(&task->lock);

	if (copy_to_user(u64_to_user_ptr(a->names), names,
			 min(n, cap) * sizeof(u32)) ||
	    copy_to_user(u64_to_user_ptr(a->types), types,
			 min(n, cap) * sizeof(u32)))
		kr = -EFAULT;
	a->count = n;
out:
	kvfree(names);
	kvfree(types);
	return kr;
}

/* The port behind a receive right, for the attribute routines. */
static struct mach_port *mach_op_receive(struct mach_space *task, u32 name,
					 int *kr)
{
	struct mach_entry *entry = mach_op_lookup(task, name, kr);

	if (!entry)
		return NULL;
	if (!(entry->type & MACH_PORT_TYPE_RECEIVE)) {
		mutex_unlock(&task->lock);
		*kr = KERN_INVALID_RIGHT;
		return NULL;
	}
	return entry->object;
}

static u32 mach_attr_needed(u32 flavor)
{
	switch (flavor) {
	case MACH_PORT_LIMITS_INFO:
		return MACH_PORT_LIMITS_INFO_COUNT;
	case MACH_PORT_RECEIVE_STATUS:
		return MACH_PORT_RECEIVE_STATUS_COUNT;
	case MACH_PORT_DNREQUESTS_SIZE:
		return MACH_PORT_DNREQUESTS_SIZE_COUNT;
	case MACH_PORT_INFO_EXT:
		return MACH_PORT_INFO_EXT_COUNT;
	default:
		return 0;
	}
}

static int op_get_attr(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	struct mach_port_attr_args *a = p;
	u32 info[MACH_PORT_INFO_EXT_COUNT] = { 0 };
	u32 need = mach_attr_needed(a->flavor);
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	if (!need)
		return KERN_INVALID_ARGUMENT;
	if (a->count < need)
		return KERN_FAILURE;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;

	spin_lock(&port->lock);
	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		info[0] = port->qlimit;
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		info[0] = 0;
		break;
	default:	/* RECEIVE_STATUS and INFO_EXT's leading status */
		/* mps_pset: in any set (XNU reports a flag, not a name) */
		info[0] = !hlist_empty(&port->psets);
		info[1] = port->seqno;
		info[2] = port->mscount;
		info[3] = port->qlimit;
		info[4] = port->msgcount;
		info[5] = port->sorights;
		info[6] = port->srights > 0;
		info[7] = !!mach_port_pdrequest(port);
		info[8] = !!mach_port_nsrequest(port);
		/* mps_flags: MACH_PORT_STATUS_FLAG_GUARDED, _STRICT_GUARD */
		info[9] = (port->guarded ? 0x02 : 0) |
			  (port->strict_guard ? 0x04 : 0);
		break;
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);

	if (copy_to_user(u64_to_user_ptr(a->info), info, need * sizeof(u32)))
		return -EFAULT;
	a->count = need;
	return KERN_SUCCESS;
}

static int op_set_attr(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	struct mach_port_attr_args *a = p;
	struct mach_port *port;
	u32 qlimit = 0;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	switch (a->flavor) {
	case MACH_PORT_LIMITS_INFO:
		if (a->count < MACH_PORT_LIMITS_INFO_COUNT)
			return KERN_FAILURE;
		if (get_user(qlimit, (u32 __user *)u64_to_user_ptr(a->info)))
			return -EFAULT;
		if (qlimit > MACH_PORT_QLIMIT_MAX)
			return KERN_INVALID_VALUE;
		break;
	case MACH_PORT_DNREQUESTS_SIZE:
		if (a->count < MACH_PORT_DNREQUESTS_SIZE_COUNT)
			return KERN_FAILURE;
		break;
	case MACH_PORT_TEMPOWNER:
	case MACH_PORT_IMPORTANCE_RECEIVER:
	case MACH_PORT_DENAP_RECEIVER:
		break;	/* scheduling hints with no meaning here */
	default:
		return KERN_INVALID_ARGUMENT;
	}
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	if (a->flavor == MACH_PORT_LIMITS_INFO) {
		bool snd_waiting;

		spin_lock(&port->lock);
		port->qlimit = qlimit;
		snd_waiting = port->snd_waiting;
		spin_unlock(&port->lock);
		mach_mqueue_wake_senders(port, snd_waiting);
	}
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

static int op_context(struct mach_space *caller, struct mach_space *task,
		      void *p, bool set)
{
	struct mach_port_context_args *a = p;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	/*
	 * The context is the guard of a guarded port: a strict guard reads as
	 * 0 and cannot be overwritten (XNU raises kGUARD_EXC_SET_CONTEXT), an
	 * ordinary one reads and can be changed through the context.
	 */
	kr = KERN_SUCCESS;
	spin_lock(&port->lock);
	if (!set)
		a->context = port->strict_guard ? 0 : port->context;
	else if (port->strict_guard)
		kr = KERN_INVALID_ARGUMENT;
	else
		port->context = a->context;
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return kr;
}

static int op_get_context(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	return op_context(caller, task, p, false);
}

static int op_set_context(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	return op_context(caller, task, p, true);
}

static int op_construct(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	struct mach_port_construct_args *a = p;
	struct mach_port *port;
	struct mach_entry *entry;
	int kr;

	if (a->reserved)
		return -EINVAL;
	if ((a->flags & MPO_QLIMIT) && a->qlimit > MACH_PORT_QLIMIT_MAX)
		return KERN_INVALID_VALUE;
	kr = mach_alloc_right(task, MACH_PORT_RIGHT_RECEIVE, &a->name, false,
			      &port);
	if (kr != KERN_SUCCESS)
		return kr;

	if (!mach_space_lock_active(task))
		return KERN_INVALID_TASK;
	entry = mach_entry_lookup(task, a->name);
	if (!entry || entry->object != port) {
		/* another thread changed the name meanwhile */
		mutex_unlock(&task->lock);
		return KERN_SUCCESS;
	}
	spin_lock(&port->lock);
	if (a->flags & MPO_QLIMIT)
		port->qlimit = a->qlimit;
	port->context = a->context;
	if (a->flags & MPO_CONTEXT_AS_GUARD) {
		port->guarded = true;
		port->strict_guard = !!(a->flags & MPO_STRICT);
	}
	if (a->flags & MPO_INSERT_SEND_RIGHT) {
		port->mscount++;
		port->srights++;
	}
	spin_unlock(&port->lock);
	if (a->flags & MPO_INSERT_SEND_RIGHT) {
		entry->type |= MACH_PORT_TYPE_SEND;
		entry->urefs = 1;
	}
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

static int op_destruct(struct mach_space *caller, struct mach_space *task,
		       void *p)
{
	struct mach_port_construct_args *a = p;
	struct mach_entry *entry;
	int kr;

	if (a->reserved)
		return -EINVAL;
	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		return kr;
	kr = KERN_SUCCESS;
	/* ipc_right_destruct's order: rights, delta, guard */
	if (!(entry->type & MACH_PORT_TYPE_RECEIVE) ||
	    (a->srdelta && !(entry->type & MACH_PORT_TYPE_SEND)))
		kr = KERN_INVALID_RIGHT;
	else if (a->srdelta > 0)
		kr = KERN_INVALID_VALUE;
	else if (mach_entry_guarded(entry, &a->context))
		kr = KERN_INVALID_ARGUMENT;
	else if (a->srdelta)
		kr = mach_right_delta(task, entry, MACH_PORT_RIGHT_SEND,
				      a->srdelta);
	if (kr == KERN_SUCCESS)
		kr = mach_right_delta(task, entry, MACH_PORT_RIGHT_RECEIVE, -1);
	mutex_unlock(&task->lock);
	return kr;
}

/* The port behind a receive right, for the routines that take a name. */
static struct mach_port *mach_op_receive_valid(struct mach_space *task,
					       u32 name, int *kr)
{
	if (!MACH_PORT_VALID(name)) {
		*kr = KERN_INVALID_RIGHT;
		return NULL;
	}
	return mach_op_receive(task, name, kr);
}

/* Set a receive right's make-send count or sequence number. */
static int mach_set_port_count(struct mach_space *task, void *p, bool seqno)
{
	struct mach_port_count_args *a = p;
	struct mach_port *port;
	int kr;

	port = mach_op_receive_valid(task, a->name, &kr);
	if (!port)
		return kr;
	spin_lock(&port->lock);
	if (seqno)
		port->seqno = a->value;
	else
		port->mscount = a->value;
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

static int op_set_mscount(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	return mach_set_port_count(task, p, false);
}

static int op_set_seqno(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	return mach_set_port_count(task, p, true);
}

/* XNU checks no name here: MACH_PORT_NULL and _DEAD are INVALID_NAME. */
static int op_get_srights(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	struct mach_port_count_args *a = p;
	struct mach_port *port;
	int kr;

	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	spin_lock(&port->lock);
	a->value = port->srights;
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return KERN_SUCCESS;
}

/* The stored trailer's msgh_trailer_size (MACH_MSG_TRAILER_MINIMUM_SIZE). */
#define MACH_PEEK_TRAILER_SIZE	8

/*
 * mach_port_peek: the message with sequence number 'seqno' (0: the first
 * one) stays queued; its size, id and trailer are reported.  As in XNU the
 * trailer is the one stored with the message, so its msgh_trailer_size is
 * the minimum (8) whatever was asked, and nothing past the audit trailer
 * (the context) can be asked for.
 */
static int op_peek(struct mach_space *caller, struct mach_space *task,
		   void *p)
{
	struct mach_port_peek_args *a = p;
	u32 trailer[MACH_TRAILER_MAX_SIZE / sizeof(u32)];
	struct mach_kmsg *kmsg, *found = NULL;
	struct mach_port *port;
	u32 size, seqno, off;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	size = mach_trailer_size(a->trailer_type);
	if (MACH_RCV_TRAILER_ELEMENTS(a->trailer_type) >
	    MACH_RCV_TRAILER_AUDIT || size > a->trailer_size)
		return KERN_INVALID_VALUE;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;

	spin_lock(&port->lock);
	seqno = a->seqno;
	off = seqno - port->seqno;
	if (!seqno) {
		seqno = port->seqno;
		off = 0;
	}
	if (off < port->msgcount) {
		list_for_each_entry(kmsg, &port->msgs, link) {
			if (!off--) {
				found = kmsg;
				break;
			}
		}
	}
	if (found) {
		a->seqno = seqno;
		a->size = found->size;
		a->id = found->hdr->id;
		mach_trailer_fill(trailer, found, a->trailer_type, seqno, 0);
		trailer[1] = MACH_PEEK_TRAILER_SIZE;
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);

	if (!found)
		return KERN_FAILURE;
	if (copy_to_user(u64_to_user_ptr(a->trailer), trailer, size))
		return -EFAULT;
	a->trailer_size = size;
	return KERN_SUCCESS;
}

/* mach_port_guard_with_flags() flags */
#define MACH_MPG_STRICT		0x01

/* Guards live in the context word; a port with a context cannot be guarded. */
static int op_guard(struct mach_space *caller, struct mach_space *task,
		    void *p)
{
	struct mach_port_guard_args *a = p;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	spin_lock(&port->lock);
	if (port->context) {
		kr = KERN_INVALID_ARGUMENT;
	} else {
		port->context = a->guard;
		port->guarded = true;
		port->strict_guard = !!(a->guard_flags & MACH_MPG_STRICT);
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return kr;
}

/*
 * unguard and swap_guard.  XNU raises EXC_GUARD (kGUARD_EXC_UNGUARDED,
 * _INCORRECT_GUARD, _SET_CONTEXT) as it returns KERN_INVALID_ARGUMENT;
 * the return code is all that is reproduced here.
 */
static int op_unguard(struct mach_space *caller, struct mach_space *task,
		      void *p, bool swap)
{
	struct mach_port_guard_args *a = p;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_NAME;
	port = mach_op_receive(task, a->name, &kr);
	if (!port)
		return kr;
	kr = KERN_INVALID_ARGUMENT;
	spin_lock(&port->lock);
	if (!port->guarded || (swap && port->strict_guard) ||
	    port->context != a->guard) {
		/* wrong state or guard: nothing changes */
	} else if (swap) {
		port->context = a->new_guard;
		kr = KERN_SUCCESS;
	} else {
		port->context = 0;
		port->guarded = false;
		port->strict_guard = false;
		kr = KERN_SUCCESS;
	}
	spin_unlock(&port->lock);
	mutex_unlock(&task->lock);
	return kr;
}

static int op_unguard_port(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	return op_unguard(caller, task, p, false);
}

static int op_swap_guard(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	return op_unguard(caller, task, p, true);
}

/*
 * mach_port_allocate_full: XNU refuses a prototype port, checks a chosen
 * name, and no longer preallocates (it checks the request, then clears
 * it).  The queue limit stays the default whatever 'len' says.
 */
static int op_allocate_full(struct mach_space *caller,
			    struct mach_space *task, void *p)
{
	struct mach_port_alloc_full_args *a = p;

	if (a->reserved)
		return -EINVAL;
	if (a->proto != MACH_PORT_NULL)
		return KERN_INVALID_VALUE;
	if ((a->qos & MACH_QOS_NAME) && !MACH_PORT_VALID(a->name))
		return KERN_INVALID_VALUE;
	if (a->qos & MACH_QOS_PREALLOC) {
		if (a->len > U32_MAX - MACH_TRAILER_MAX_SIZE)
			return KERN_RESOURCE_SHORTAGE;
		if (a->right != MACH_PORT_RIGHT_RECEIVE)
			return KERN_INVALID_VALUE;
		a->qos &= ~MACH_QOS_PREALLOC;
	}
	return mach_alloc_right(task, a->right, &a->name,
				a->qos & MACH_QOS_NAME, NULL);
}

static int op_space_info(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_port_space_info_args *a = p;
	struct mach_port_name_info *info = NULL;
	struct mach_entry *entry;
	unsigned long index;
	u32 cap = a->count, n = 0, total = 0, type, urefs;
	int kr = KERN_SUCCESS;

	if (a->reserved)
		return -EINVAL;
	if (cap) {
		cap = min(cap, mach_max_names);
		info = kvmalloc_array(cap, sizeof(*info), GFP_KERNEL_ACCOUNT);
		if (!info)
			return KERN_RESOURCE_SHORTAGE;
	}
	if (!mach_space_lock_active(task)) {
		kr = KERN_INVALID_TASK;
		goto out;
	}
	xa_for_each(&task->table, index, entry) {
		total++;
		if (!entry->type)
			continue;
		if (n < cap) {
			type = mach_right_info(task, entry, &urefs);
			info[n].name = entry->name;
			info[n].type = type;
			info[n].urefs = urefs;
			info[n].object = type & MACH_PORT_TYPE_DEAD_NAME ? 0 :
					 lower_32_bits(mach_object_identity(entry->object));
		}
		n++;
	}
	mutex_unlock(&task->lock);

	if (copy_to_user(u64_to_user_ptr(a->info), info,
			 min(n, cap) * sizeof(*info)))
		kr = -EFAULT;
	a->count = n;
	a->table_size = total;
	a->table_max = mach_max_names;
out:
	kvfree(info);
	return kr;
}

/* The receive right and port set two names denote, for membership. */
static int mach_op_member(struct mach_space *task, u32 member, u32 set,
			  struct mach_port **portp, struct mach_pset **psetp)
{
	struct mach_entry *entry;
	int kr;

	*psetp = NULL;
	if (!mach_space_lock_active(task))
		return KERN_INVALID_TASK;
	entry = mach_entry_lookup(task, member);
	kr = !entry ? KERN_INVALID_NAME :
	     !(entry->type & MACH_PORT_TYPE_RECEIVE) ? KERN_INVALID_RIGHT :
	     KERN_SUCCESS;
	if (kr == KERN_SUCCESS && set != MACH_PORT_NULL) {
		*portp = entry->object;
		entry = mach_entry_lookup(task, set);
		kr = !entry ? KERN_INVALID_NAME :
		     !(entry->type & MACH_PORT_TYPE_PORT_SET) ?
		     KERN_INVALID_RIGHT : KERN_SUCCESS;
		if (kr == KERN_SUCCESS)
			*psetp = entry->object;
	} else if (kr == KERN_SUCCESS) {
		*portp = entry->object;
	}
	/* the names stay valid while we hold the lock: callers do too */
	return kr;
}

static int op_member(struct mach_space *task, void *p, unsigned int cmd)
{
	struct mach_port_member_args *a = p;
	struct mach_pset *pset;
	struct mach_port *port;
	int kr;

	if (!MACH_PORT_VALID(a->member))
		return KERN_INVALID_RIGHT;
	if (a->pset == MACH_PORT_DEAD ||
	    (cmd != MACH_IOC_PORT_MOVE_MEMBER && !MACH_PORT_VALID(a->pset)))
		return KERN_INVALID_RIGHT;
	kr = mach_op_member(task, a->member, a->pset, &port, &pset);
	if (kr == KERN_INVALID_TASK)
		return kr;
	if (kr == KERN_SUCCESS) {
		switch (cmd) {
		case MACH_IOC_PORT_INSERT_MEMBER:
			kr = mach_pset_add(pset, port);
			break;
		case MACH_IOC_PORT_EXTRACT_MEMBER:
			kr = mach_pset_remove(port, pset);
			break;
		default:	/* move: leave any set, then join 'pset' */
			if (pset) {
				mach_pset_remove(port, NULL);
				kr = mach_pset_add(pset, port);
			} else {
				kr = mach_pset_remove(port, NULL);
			}
			break;
		}
	}
	mutex_unlock(&task->lock);
	return kr;
}

static int op_move_member(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	return op_member(task, p, MACH_IOC_PORT_MOVE_MEMBER);
}

static int op_insert_member(struct mach_space *caller,
			    struct mach_space *task, void *p)
{
	return op_member(task, p, MACH_IOC_PORT_INSERT_MEMBER);
}

static int op_extract_member(struct mach_space *caller,
			     struct mach_space *task, void *p)
{
	return op_member(task, p, MACH_IOC_PORT_EXTRACT_MEMBER);
}

static int op_set_status(struct mach_space *caller, struct mach_space *task,
			 void *p)
{
	struct mach_port_set_status_args *a = p;
	struct mach_entry *entry;
	u32 cap = min(a->count, mach_max_names), n;
	u32 *names = NULL;
	int kr;

	if (a->reserved)
		return -EINVAL;
	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_RIGHT;
	if (cap) {
		names = kvmalloc_array(cap, sizeof(u32), GFP_KERNEL_ACCOUNT);
		if (!names)
			return KERN_RESOURCE_SHORTAGE;
	}
	entry = mach_op_lookup(task, a->name, &kr);
	if (!entry)
		goto out;
	if (!(entry->type & MACH_PORT_TYPE_PORT_SET)) {
		mutex_unlock(&task->lock);
		kr = KERN_INVALID_RIGHT;
		goto out;
	}
	n = mach_pset_members(entry->object, names, cap);
	mutex_unlock(&task->lock);
	kr = KERN_SUCCESS;
	if (copy_to_user(u64_to_user_ptr(a->members), names,
			 min(n, cap) * sizeof(u32)))
		kr = -EFAULT;
	a->count = n;
out:
	kvfree(names);
	return kr;
}

static int op_request_notify(struct mach_space *caller,
			     struct mach_space *task, void *p)
{
	struct mach_port_notify_args *a = p;

	return mach_notify_request(caller, task, a->name, a->msgid, a->sync,
				   a->notify, a->notify_poly, &a->previous);
}

static int op_get_special(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	struct mach_task_special_args *a = p;

	return mach_task_get_special(caller, task, a->which, &a->port);
}

static int op_set_special(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	struct mach_task_special_args *a = p;

	return mach_task_set_special(caller, task, a->which, a->port);
}

static int op_host_get_special(struct mach_space *caller,
			       struct mach_space *task, void *p)
{
	struct mach_task_special_args *a = p;

	return mach_host_get_special(caller, a->which, &a->port);
}

static int op_host_set_special(struct mach_space *caller,
			       struct mach_space *task, void *p)
{
	struct mach_task_special_args *a = p;

	/* the host's ports are the administrator's, not a namespace's */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return mach_host_set_special(caller, a->which, a->port);
}

/* The fork hand-off works on the caller's own space only. */
static int op_fork_prepare(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	struct mach_fork_args *a = p;

	if (task != caller)
		return KERN_INVALID_ARGUMENT;
	return mach_fork_prepare(caller, &a->cookie);
}

static int op_fork_inherit(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	struct mach_fork_args *a = p;

	if (task != caller)
		return KERN_INVALID_ARGUMENT;
	return mach_fork_inherit(caller, a->cookie);
}

static int op_task_for_pid(struct mach_space *caller,
			   struct mach_space *task, void *p)
{
	struct mach_task_pid_args *a = p;

	return mach_task_for_pid(caller, a->pid, &a->port);
}

static int op_pid_for_task(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	struct mach_task_pid_args *a = p;

	a->pid = pid_vnr(task->pid);
	return KERN_SUCCESS;
}

struct mach_port_op {
	unsigned int cmd;
	int (*fn)(struct mach_space *caller, struct mach_space *task, void *p);
};

static const struct mach_port_op mach_port_ops[] = {
	{ MACH_IOC_PORT_ALLOCATE, op_allocate },
	{ MACH_IOC_PORT_ALLOCATE_NAME, op_allocate_name },
	{ MACH_IOC_PORT_DEALLOCATE, op_deallocate },
	{ MACH_IOC_PORT_DESTROY, op_destroy },
	{ MACH_IOC_PORT_MOD_REFS, op_mod_refs },
	{ MACH_IOC_PORT_GET_REFS, op_get_refs },
	{ MACH_IOC_PORT_TYPE, op_type },
	{ MACH_IOC_PORT_INSERT_RIGHT, op_insert_right },
	{ MACH_IOC_PORT_EXTRACT_RIGHT, op_extract_right },
	{ MACH_IOC_PORT_NAMES, op_names },
	{ MACH_IOC_PORT_GET_ATTR, op_get_attr },
	{ MACH_IOC_PORT_SET_ATTR, op_set_attr },
	{ MACH_IOC_PORT_GET_CONTEXT, op_get_context },
	{ MACH_IOC_PORT_SET_CONTEXT, op_set_context },
	{ MACH_IOC_PORT_CONSTRUCT, op_construct },
	{ MACH_IOC_PORT_DESTRUCT, op_destruct },
	{ MACH_IOC_PORT_MOVE_MEMBER, op_move_member },
	{ MACH_IOC_PORT_INSERT_MEMBER, op_insert_member },
	{ MACH_IOC_PORT_EXTRACT_MEMBER, op_extract_member },
	{ MACH_IOC_PORT_SET_STATUS, op_set_status },
	{ MACH_IOC_PORT_REQUEST_NOTIFY, op_request_notify },
	{ MACH_IOC_TASK_GET_SPECIAL, op_get_special },
	{ MACH_IOC_TASK_SET_SPECIAL, op_set_special },
	{ MACH_IOC_TASK_FOR_PID, op_task_for_pid },
	{ MACH_IOC_PID_FOR_TASK, op_pid_for_task },
	{ MACH_IOC_HOST_GET_SPECIAL, op_host_get_special },
	{ MACH_IOC_HOST_SET_SPECIAL, op_host_set_special },
	{ MACH_IOC_FORK_PREPARE, op_fork_prepare },
	{ MACH_IOC_FORK_INHERIT, op_fork_inherit },
	{ MACH_IOC_PORT_SET_MSCOUNT, op_set_mscount },
	{ MACH_IOC_PORT_GET_SRIGHTS, op_get_srights },
	{ MACH_IOC_PORT_SET_SEQNO, op_set_seqno },
	{ MACH_IOC_PORT_PEEK, op_peek },
	{ MACH_IOC_PORT_GUARD, op_guard },
	{ MACH_IOC_PORT_UNGUARD, op_unguard_port },
	{ MACH_IOC_PORT_SWAP_GUARD, op_swap_guard },
	{ MACH_IOC_PORT_ALLOCATE_FULL, op_allocate_full },
	{ MACH_IOC_PORT_SPACE_INFO, op_space_info },
};

/*
 * The 'flags' word every struct carries must be zero.  Its offset differs
 * per struct, so each struct names it here.
 */
static bool mach_port_args_flags_clear(unsigned int cmd, const void *buf)
{
	switch (cmd) {
	case MACH_IOC_PORT_ALLOCATE:
	case MACH_IOC_PORT_ALLOCATE_NAME:
	case MACH_IOC_PORT_DEALLOCATE:
	case MACH_IOC_PORT_DESTROY:
	case MACH_IOC_PORT_MOD_REFS:
	case MACH_IOC_PORT_GET_REFS:
	case MACH_IOC_PORT_TYPE:
		return !((const struct mach_port_right_args *)buf)->flags;
	case MACH_IOC_PORT_INSERT_RIGHT:
	case MACH_IOC_PORT_EXTRACT_RIGHT:
		return !((const struct mach_port_xfer_args *)buf)->flags;
	case MACH_IOC_TASK_GET_SPECIAL:
	case MACH_IOC_TASK_SET_SPECIAL:
	case MACH_IOC_HOST_GET_SPECIAL:
	case MACH_IOC_HOST_SET_SPECIAL:
		return !((const struct mach_task_special_args *)buf)->flags;
	case MACH_IOC_TASK_FOR_PID:
	case MACH_IOC_PID_FOR_TASK:
		return !((const struct mach_task_pid_args *)buf)->flags;
	case MACH_IOC_FORK_PREPARE:
	case MACH_IOC_FORK_INHERIT:
		return !((const struct mach_fork_args *)buf)->flags;
	case MACH_IOC_PORT_MOVE_MEMBER:
	case MACH_IOC_PORT_INSERT_MEMBER:
	case MACH_IOC_PORT_EXTRACT_MEMBER:
		return !((const struct mach_port_member_args *)buf)->flags;
	case MACH_IOC_PORT_REQUEST_NOTIFY:
		return !((const struct mach_port_notify_args *)buf)->flags;
	case MACH_IOC_PORT_SET_MSCOUNT:
	case MACH_IOC_PORT_GET_SRIGHTS:
	case MACH_IOC_PORT_SET_SEQNO:
		return !((const struct mach_port_count_args *)buf)->flags;
	case MACH_IOC_PORT_PEEK:
		return !((const struct mach_port_peek_args *)buf)->flags;
	case MACH_IOC_PORT_GUARD:
	case MACH_IOC_PORT_UNGUARD:
	case MACH_IOC_PORT_SWAP_GUARD:
		return !((const struct mach_port_guard_args *)buf)->flags;
	case MACH_IOC_PORT_ALLOCATE_FULL:
		return !((const struct mach_port_alloc_full_args *)buf)->flags;
	case MACH_IOC_PORT_SPACE_INFO:
		return !((const struct mach_port_space_info_args *)buf)->flags;
	default:
		return true;
	}
}

long mach_port_ioctl(struct mach_space *space, unsigned int cmd,
		     void __user *uarg)
{
	const struct mach_port_op *op = NULL;
	struct mach_space *task;
	u64 buf[8];	/* the largest argument struct */
	size_t size = _IOC_SIZE(cmd);
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(mach_port_ops); i++) {
		if (mach_port_ops[i].cmd == cmd) {
			op = &mach_port_ops[i];
			break;
		}
	}
	if (!op || size > sizeof(buf))
		return -ENOTTY;
	if (copy_from_user(buf, uarg, size))
		return -EFAULT;
	if (!mach_port_args_flags_clear(cmd, buf))
		return -EINVAL;

	task = mach_task_lookup(space, *(u32 *)buf);
	if (!task)
		return MACH_SEND_INVALID_DEST;
	ret = op->fn(space, task, buf);
	mach_space_put(task);

	if (ret >= 0 && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(uarg, buf, size))
		return -EFAULT;
	return ret;
}
