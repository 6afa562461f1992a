// SPDX-License-Identifier: GPL-2.0
/*
 * The routines that make, change and move rights: mach_port_allocate and
 * its variants, construct/destruct, deallocate, destroy, mod_refs,
 * get_refs, type, insert_right and extract_right.
 */

#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "desc.h"
#include "port.h"
#include "port_ops.h"
#include "pset.h"
#include "right.h"
#include "space.h"

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

int mach_op_allocate(struct mach_space *caller, struct mach_space *task,
		     void *p)
{
	struct mach_port_right_args *a = p;

	return mach_alloc_right(task, a->right, &a->name, false, NULL);
}

int mach_op_allocate_name(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	struct mach_port_right_args *a = p;

	if (!MACH_PORT_VALID(a->name))
		return KERN_INVALID_VALUE;
	return mach_alloc_right(task, a->right, &a->name, true, NULL);
}

/*
 * mach_port_allocate_full: XNU refuses a prototype port, checks a chosen
 * name, and no longer preallocates (it checks the request, then clears
 * it).  The queue limit stays the default whatever 'len' says.
 */
int mach_op_allocate_full(struct mach_space *caller, struct mach_space *task,
			  void *p)
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

int mach_op_construct(struct mach_space *caller, struct mach_space *task,
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

int mach_op_destruct(struct mach_space *caller, struct mach_space *task,
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

int mach_op_deallocate(struct mach_space *caller, struct mach_space *task,
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

int mach_op_destroy(struct mach_space *caller, struct mach_space *task, void *p)
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

int mach_op_mod_refs(struct mach_space *caller, struct mach_space *task,
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

int mach_op_get_refs(struct mach_space *caller, struct mach_space *task,
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

int mach_op_type(struct mach_space *caller, struct mach_space *task, void *p)
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

int mach_op_insert_right(struct mach_space *caller, struct mach_space *task,
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

int mach_op_extract_right(struct mach_space *caller, struct mach_space *task,
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
