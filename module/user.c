// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting of messages in the kernel.  Users are looked up only
 * when a space is created (open of /dev/mach); the message path touches
 * just the atomic counters of the sender's own user, never a global lock.
 */

#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include "stats.h"
#include "user.h"

unsigned int mach_max_user_msgs = 65536;
unsigned long mach_max_user_bytes = 256UL << 20;
unsigned long mach_max_user_ool = 1UL << 30;

static DEFINE_HASHTABLE(mach_users, 6);
static DEFINE_SPINLOCK(mach_users_lock);	/* leaf lock */

/* The accounting record of the calling task's real uid, referenced. */
struct mach_user *mach_user_get_current(void)
{
	kuid_t uid = current_uid();
	struct mach_user *user, *fresh;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	spin_lock(&mach_users_lock);
	/*
	 * A record whose count reached 0 is being freed by whoever dropped
	 * it (it holds nothing any more): skip it and start a new one.
	 */
	hash_for_each_possible(mach_users, user, link, __kuid_val(uid))
		if (uid_eq(user->uid, uid) &&
		    atomic64_add_unless(&user->refs, MACH_USER_SPACE, 0))
			goto out;
	user = fresh;
	fresh = NULL;
	if (user) {
		user->uid = uid;
		atomic64_set(&user->refs, MACH_USER_SPACE);
		hash_add(mach_users, &user->link, __kuid_val(uid));
	}
out:
	spin_unlock(&mach_users_lock);
	kfree(fresh);
	return user;
}

/* Once the count is 0 it never rises again (see the look-up): free it. */
static void mach_user_release(struct mach_user *user, s64 n)
{
	if (atomic64_sub_return(n, &user->refs))
		return;
	spin_lock(&mach_users_lock);
	hash_del(&user->link);
	spin_unlock(&mach_users_lock);
	kfree(user);
}

void mach_user_put(struct mach_user *user)
{
	mach_user_release(user, MACH_USER_SPACE);
}

/*
 * Add 'n' to 'counter' unless that passes 'max'.  The counter never goes
 * negative, so comparing unsigned keeps a limit above LONG_MAX meaning
 * "no limit" rather than refusing everything.
 */
static bool mach_charge(atomic_long_t *counter, long n, unsigned long max)
{
	if ((unsigned long)atomic_long_add_return(n, counter) > max) {
		atomic_long_sub(n, counter);
		return false;
	}
	return true;
}

bool mach_user_charge_msg(struct mach_user *user, u32 bytes)
{
	/* below 2^31, the message count can never carry into the spaces */
	u32 max = min_t(u32, mach_max_user_msgs, S32_MAX);

	/* the caller's space holds a reference: these never reach 0 */
	if ((u32)atomic64_inc_return(&user->refs) > max) {
		atomic64_dec(&user->refs);
		return false;
	}
	if (!mach_charge(&user->bytes, bytes, mach_max_user_bytes)) {
		atomic64_dec(&user->refs);
		return false;
	}
	return true;
}

void mach_user_uncharge_msg(struct mach_user *user, u32 bytes)
{
	atomic_long_sub(bytes, &user->bytes);
	mach_user_release(user, 1);	/* last: it may free the record */
}

bool mach_user_charge_ool(struct mach_user *user, u64 bytes)
{
	if (bytes > mach_max_user_ool ||
	    !mach_charge(&user->ool_bytes, bytes, mach_max_user_ool))
		return false;
	mach_stat_add(MACH_STAT_OOL_BYTES, bytes);
	return true;
}

void mach_user_uncharge_ool(struct mach_user *user, u64 bytes)
{
	mach_stat_add(MACH_STAT_OOL_BYTES, -(long)bytes);
	atomic_long_sub(bytes, &user->ool_bytes);
}
