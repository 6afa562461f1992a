/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Right transitions: moving rights between a space's names and the kernel
 * (messages, special ports), user references, and dead names.  Every
 * function here requires space->lock and returns a kern_return_t.
 */
#ifndef _MACH_RIGHT_H
#define _MACH_RIGHT_H

#include <linux/types.h>

struct mach_port_deaths;
struct mach_space;
struct mach_entry;
struct mach_port;

/* Is 'disp' one a sender may use for a right carried in a message? */
bool mach_right_disposition_valid(u32 disp);
/* The right type a receiver sees for a right sent with 'disp'. */
u32 mach_right_carried_type(u32 disp);

bool mach_entry_pinned_last(struct mach_space *space,
			    struct mach_entry *entry, u32 moves);
int mach_right_copyin_check(struct mach_space *space, u32 name, u32 disp);
int mach_right_copyin_check_entry(struct mach_space *space, u32 name,
				  u32 disp, struct mach_entry **entryp);
void mach_right_copyin_entry(struct mach_space *space,
			     struct mach_entry *entry, u32 disp,
			     struct mach_port **portp);
void mach_right_copyin(struct mach_space *space, u32 name, u32 disp,
		       struct mach_port **portp);
int mach_right_copyout(struct mach_space *space, struct mach_port *port,
		       u32 type, u32 *namep);
void mach_right_release(struct mach_port *port, u32 type);
void mach_right_release_to(struct mach_port *port, u32 type,
			   struct mach_port_deaths *deaths);

void mach_right_take_dead(struct mach_space *space, struct mach_entry *entry,
			  u32 disp);
int mach_right_take(struct mach_space *space, u32 name, u32 disp,
		    int dead_kr, struct mach_port **portp);
int mach_right_give(struct mach_space *space, struct mach_port *port,
		    u32 type, u32 *name);

bool mach_right_check_dead(struct mach_space *space, struct mach_entry *entry);
void mach_right_destroy_entry(struct mach_space *space,
			      struct mach_entry *entry);
int mach_right_dealloc(struct mach_space *space, struct mach_entry *entry);
int mach_right_delta(struct mach_space *space, struct mach_entry *entry,
		     u32 right, s32 delta);
u32 mach_right_info(struct mach_space *space, struct mach_entry *entry,
		    u32 *urefs);

#endif /* _MACH_RIGHT_H */
