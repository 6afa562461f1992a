// SPDX-License-Identifier: GPL-2.0
/*
 * The routines that look at a space as a whole or at relations between its
 * names: names, space_info, port-set membership and status, notification
 * requests.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "notify.h"
#include "port.h"
#include "port_ops.h"
#include "pset.h"
#include "right.h"
#include "space.h"

int mach_op_names(struct mach_space *caller, struct mach_space *task, void *p)
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
	for (index = 0; (entry = mach_table_next(task, &index)); index++) {
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

int mach_op_space_info(struct mach_space *caller, struct mach_space *task,
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
	for (index = 0; (entry = mach_table_next(task, &index)); index++) {
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
static int mach_member_lookup(struct mach_space *task, u32 member, u32 set,
			      struct mach_port **portp,
			      struct mach_pset **psetp)
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
	kr = mach_member_lookup(task, a->member, a->pset, &port, &pset);
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

int mach_op_move_member(struct mach_space *caller, struct mach_space *task,
			void *p)
{
	return op_member(task, p, MACH_IOC_PORT_MOVE_MEMBER);
}

int mach_op_insert_member(struct mach_space *caller, struct mach_space *task,
			  void *p)
{
	return op_member(task, p, MACH_IOC_PORT_INSERT_MEMBER);
}

int mach_op_extract_member(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	return op_member(task, p, MACH_IOC_PORT_EXTRACT_MEMBER);
}

int mach_op_set_status(struct mach_space *caller, struct mach_space *task,
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

int mach_op_request_notify(struct mach_space *caller, struct mach_space *task,
			   void *p)
{
	struct mach_port_notify_args *a = p;

	return mach_notify_request(caller, task, a->name, a->msgid, a->sync,
				   a->notify, a->notify_poly, &a->previous);
}
