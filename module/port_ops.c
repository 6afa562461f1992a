// SPDX-License-Identifier: GPL-2.0
/*
 * The mach_port_* and task_* routines, one ioctl each: the dispatcher and
 * the look-ups the routines share.  The routines themselves live by
 * concern in port_right_ops.c, port_attr_ops.c, space_ops.c and
 * task_ops.c.
 *
 * Every argument struct starts with the caller's name for a task port.  The
 * dispatcher resolves it (MACH_SEND_INVALID_DEST when it names no task, as
 * a MIG call to a bad port fails on XNU), copies the struct in and out, and
 * the routine returns XNU's kern_return_t.
 */

#include <linux/stddef.h>
#include <linux/uaccess.h>
#include <linux/mach.h>
#include "port_ops.h"
#include "space.h"
#include "task.h"

/* Lock a space that may have died since it was looked up. */
bool mach_space_lock_active(struct mach_space *space)
{
	mutex_lock(&space->lock);
	if (space->active)
		return true;
	mutex_unlock(&space->lock);
	return false;
}

/* Look a name up for a routine; unlocks and fails when it is unknown. */
struct mach_entry *mach_op_lookup(struct mach_space *task, u32 name, int *kr)
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

/* The port behind a receive right, for the attribute routines. */
struct mach_port *mach_op_receive(struct mach_space *task, u32 name, int *kr)
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

/* The port behind a receive right, for the routines that take a name. */
struct mach_port *mach_op_receive_valid(struct mach_space *task, u32 name,
					int *kr)
{
	if (!MACH_PORT_VALID(name)) {
		*kr = KERN_INVALID_RIGHT;
		return NULL;
	}
	return mach_op_receive(task, name, kr);
}

struct mach_port_op {
	unsigned int cmd;
	mach_port_op_fn fn;
	u8 flags;	/* offset of the must-be-zero 'flags' word */
};

/* a struct whose 'flags' means something (construct) or that has none */
#define MACH_OP_NO_FLAGS	U8_MAX
#define MACH_OP(c, f, type) { (c), (f), offsetof(struct type, flags) }
#define MACH_OP_NOFLAGS(c, f) { (c), (f), MACH_OP_NO_FLAGS }

static const struct mach_port_op mach_port_ops[] = {
	MACH_OP(MACH_IOC_PORT_ALLOCATE, mach_op_allocate, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_ALLOCATE_NAME, mach_op_allocate_name, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_DEALLOCATE, mach_op_deallocate, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_DESTROY, mach_op_destroy, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_MOD_REFS, mach_op_mod_refs, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_GET_REFS, mach_op_get_refs, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_TYPE, mach_op_type, mach_port_right_args),
	MACH_OP(MACH_IOC_PORT_INSERT_RIGHT, mach_op_insert_right, mach_port_xfer_args),
	MACH_OP(MACH_IOC_PORT_EXTRACT_RIGHT, mach_op_extract_right, mach_port_xfer_args),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_NAMES, mach_op_names),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_GET_ATTR, mach_op_get_attr),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_SET_ATTR, mach_op_set_attr),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_GET_CONTEXT, mach_op_get_context),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_SET_CONTEXT, mach_op_set_context),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_CONSTRUCT, mach_op_construct),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_DESTRUCT, mach_op_destruct),
	MACH_OP(MACH_IOC_PORT_MOVE_MEMBER, mach_op_move_member, mach_port_member_args),
	MACH_OP(MACH_IOC_PORT_INSERT_MEMBER, mach_op_insert_member, mach_port_member_args),
	MACH_OP(MACH_IOC_PORT_EXTRACT_MEMBER, mach_op_extract_member, mach_port_member_args),
	MACH_OP_NOFLAGS(MACH_IOC_PORT_SET_STATUS, mach_op_set_status),
	MACH_OP(MACH_IOC_PORT_REQUEST_NOTIFY, mach_op_request_notify, mach_port_notify_args),
	MACH_OP(MACH_IOC_TASK_GET_SPECIAL, mach_op_get_special, mach_task_special_args),
	MACH_OP(MACH_IOC_TASK_SET_SPECIAL, mach_op_set_special, mach_task_special_args),
	MACH_OP(MACH_IOC_TASK_FOR_PID, mach_op_task_for_pid, mach_task_pid_args),
	MACH_OP(MACH_IOC_PID_FOR_TASK, mach_op_pid_for_task, mach_task_pid_args),
	MACH_OP(MACH_IOC_HOST_GET_SPECIAL, mach_op_host_get_special, mach_task_special_args),
	MACH_OP(MACH_IOC_HOST_SET_SPECIAL, mach_op_host_set_special, mach_task_special_args),
	MACH_OP(MACH_IOC_FORK_PREPARE, mach_op_fork_prepare, mach_fork_args),
	MACH_OP(MACH_IOC_FORK_INHERIT, mach_op_fork_inherit, mach_fork_args),
	MACH_OP(MACH_IOC_PORT_SET_MSCOUNT, mach_op_set_mscount, mach_port_count_args),
	MACH_OP(MACH_IOC_PORT_GET_SRIGHTS, mach_op_get_srights, mach_port_count_args),
	MACH_OP(MACH_IOC_PORT_SET_SEQNO, mach_op_set_seqno, mach_port_count_args),
	MACH_OP(MACH_IOC_PORT_PEEK, mach_op_peek, mach_port_peek_args),
	MACH_OP(MACH_IOC_PORT_GUARD, mach_op_guard, mach_port_guard_args),
	MACH_OP(MACH_IOC_PORT_UNGUARD, mach_op_unguard_port, mach_port_guard_args),
	MACH_OP(MACH_IOC_PORT_SWAP_GUARD, mach_op_swap_guard, mach_port_guard_args),
	MACH_OP(MACH_IOC_PORT_ALLOCATE_FULL, mach_op_allocate_full, mach_port_alloc_full_args),
	MACH_OP(MACH_IOC_PORT_SPACE_INFO, mach_op_space_info, mach_port_space_info_args),
};

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
	if (op->flags != MACH_OP_NO_FLAGS &&
	    *(u32 *)((u8 *)buf + op->flags))
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
