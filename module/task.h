/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tasks: the space behind a task port, and a task's special ports.
 */
#ifndef _MACH_TASK_H
#define _MACH_TASK_H

#include <linux/types.h>

struct cred;
struct file;
struct mach_space;
struct task_struct;

struct mach_space *mach_task_lookup(struct mach_space *caller, u32 name);
void mach_task_inherit(struct mach_space *space);
int mach_fork_prepare(struct mach_space *space, u64 *cookie);
int mach_fork_inherit(struct mach_space *space, u64 cookie);
void mach_fork_snaps_release(struct mach_space *space);
int mach_task_get_special(struct mach_space *caller, struct mach_space *task,
			  u32 which, u32 *name);
int mach_task_set_special(struct mach_space *caller, struct mach_space *task,
			  u32 which, u32 name);
int mach_host_get_special(struct mach_space *caller, u32 which, u32 *name);
int mach_host_set_special(struct mach_space *caller, u32 which, u32 name);
void mach_host_exit(void);
int mach_task_for_pid(struct mach_space *caller, pid_t nr, u32 *name);
bool mach_cred_may_control(const struct cred *me, struct file *file,
			   struct task_struct *target);

#endif /* _MACH_TASK_H */
