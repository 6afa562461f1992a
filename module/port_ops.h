/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mach_port_* and task_* routines behind mach_port_ioctl(), and the
 * look-ups they share (port_ops.c).
 */
#ifndef _MACH_PORT_OPS_H
#define _MACH_PORT_OPS_H

#include <linux/compiler_types.h>
#include <linux/types.h>

struct mach_space;
struct mach_entry;
struct mach_port;

long mach_port_ioctl(struct mach_space *space, unsigned int cmd,
		     void __user *uarg);

/*
 * A routine: 'caller' made the call, 'task' is the space its task-port
 * argument names (often the same), 'p' the copied-in argument struct, which
 * the dispatcher copies back out for _IOR commands when the result is >= 0.
 * Returns a kern_return_t, or a negative errno for a broken call.
 */
typedef int (*mach_port_op_fn)(struct mach_space *caller,
			       struct mach_space *task, void *p);

#define MACH_PORT_OP(name) \
	int mach_op_##name(struct mach_space *caller, struct mach_space *task, \
			   void *p)

/* port_right_ops.c */
MACH_PORT_OP(allocate);
MACH_PORT_OP(allocate_name);
MACH_PORT_OP(allocate_full);
MACH_PORT_OP(construct);
MACH_PORT_OP(destruct);
MACH_PORT_OP(deallocate);
MACH_PORT_OP(destroy);
MACH_PORT_OP(mod_refs);
MACH_PORT_OP(get_refs);
MACH_PORT_OP(type);
MACH_PORT_OP(insert_right);
MACH_PORT_OP(extract_right);

/* port_attr_ops.c */
MACH_PORT_OP(get_attr);
MACH_PORT_OP(set_attr);
MACH_PORT_OP(get_context);
MACH_PORT_OP(set_context);
MACH_PORT_OP(set_mscount);
MACH_PORT_OP(set_seqno);
MACH_PORT_OP(get_srights);
MACH_PORT_OP(peek);
MACH_PORT_OP(guard);
MACH_PORT_OP(unguard_port);
MACH_PORT_OP(swap_guard);

/* space_ops.c */
MACH_PORT_OP(names);
MACH_PORT_OP(space_info);
MACH_PORT_OP(move_member);
MACH_PORT_OP(insert_member);
MACH_PORT_OP(extract_member);
MACH_PORT_OP(set_status);
MACH_PORT_OP(request_notify);

/* task_ops.c */
MACH_PORT_OP(get_special);
MACH_PORT_OP(set_special);
MACH_PORT_OP(host_get_special);
MACH_PORT_OP(host_set_special);
MACH_PORT_OP(fork_prepare);
MACH_PORT_OP(fork_inherit);
MACH_PORT_OP(task_for_pid);
MACH_PORT_OP(pid_for_task);

/*
 * Shared look-ups.  Each returns with task->lock held on success and
 * without it on failure, setting *kr to the routine's answer.
 */
bool mach_space_lock_active(struct mach_space *space);
struct mach_entry *mach_op_lookup(struct mach_space *task, u32 name, int *kr);
struct mach_port *mach_op_receive(struct mach_space *task, u32 name, int *kr);
struct mach_port *mach_op_receive_valid(struct mach_space *task, u32 name,
					int *kr);

#endif /* _MACH_PORT_OPS_H */
