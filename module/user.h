/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-user limits.  Every message a process sends is charged, until it is
 * received or destroyed, to the user that opened the sending space (its
 * real uid, as POSIX message queues charge theirs): one message, its
 * header+body bytes and its out-of-line bytes.  A send that would pass a
 * limit fails with MACH_SEND_NO_BUFFER and changes nothing.  Messages the
 * kernel sends (notifications) are charged to no one: each is bounded by a
 * right or request that a space already paid a name for.
 */
#ifndef _MACH_USER_H
#define _MACH_USER_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/types.h>
#include <linux/uidgid.h>

/*
 * 'refs' is one counter for two things, so a message pays one atomic
 * operation for both: the messages charged to the user (low 32 bits, also
 * its lifetime reference) and the spaces it opened (MACH_USER_SPACE each).
 * The record is freed when both are gone.
 */
#define MACH_USER_SPACE		BIT_ULL(32)

struct mach_user {
	struct hlist_node link;		/* in mach_users, under its lock */
	kuid_t uid;
	atomic64_t refs;
	atomic_long_t bytes;
	atomic_long_t ool_bytes;
};

extern unsigned int mach_max_user_msgs;
extern unsigned long mach_max_user_bytes;
extern unsigned long mach_max_user_ool;

/* The record of the caller's real uid, with a space's reference. */
struct mach_user *mach_user_get_current(void);
/* Drop a space's reference. */
void mach_user_put(struct mach_user *user);

/* A message's charge is also its reference: the uncharge may free. */
bool mach_user_charge_msg(struct mach_user *user, u32 bytes);
void mach_user_uncharge_msg(struct mach_user *user, u32 bytes);
/* Only while the message's own charge is held. */
bool mach_user_charge_ool(struct mach_user *user, u64 bytes);
void mach_user_uncharge_ool(struct mach_user *user, u64 bytes);

#endif /* _MACH_USER_H */
