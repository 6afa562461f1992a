/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User copies of the message path's small buffers.
 *
 * copy_from_user() and copy_to_user() of a length known only at run time
 * pass hardened usercopy's object check (__check_object_size: the
 * address's page, its slab and the cache's whitelist), which costs more
 * than copying a small message itself: a guest profile put the checks of
 * an RPC's four message copies at 6 % of its round trip.  These helpers
 * copy a small buffer word by word inside one user access region
 * (user_access_begin() checks the user range, as copy_*_user() does),
 * which is what strncpy_from_user() and filldir() do.  What the check
 * would guard, that the kernel side stays inside its object, is the
 * caller's bound: every caller copies at most MACH_UCOPY_SMALL bytes into
 * or out of a buffer it just checked holds them.  Larger copies take
 * copy_*_user() and its checks.
 */
#ifndef _MACH_UCOPY_H
#define _MACH_UCOPY_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/uaccess.h>

/* The most a caller may copy with these (a small kmsg's room and more). */
#define MACH_UCOPY_SMALL	512

/* Copy 'len' bytes from user memory; 0, or -EFAULT with 'dst' partly written. */
static inline int mach_copy_in_small(void *dst, const void __user *src,
				     u32 len)
{
	const u64 __user *sw = src;
	u32 i, words = len / 8;
	const u8 __user *s;
	u8 *d = dst;
	u64 w;
	u32 v;
	u8 b;

	might_fault();
	if (!user_read_access_begin(src, len))
		return -EFAULT;
	for (i = 0; i < words; i++) {
		unsafe_get_user(w, &sw[i], fault);
		memcpy(d + 8 * i, &w, 8);
	}
	s = (const u8 __user *)(sw + words);
	d += 8 * words;
	len -= 8 * words;
	if (len >= 4) {
		unsafe_get_user(v, (const u32 __user *)s, fault);
		memcpy(d, &v, 4);
		len -= 4;
		s += 4;
		d += 4;
	}
	for (; len; len--, s++, d++) {
		unsafe_get_user(b, s, fault);
		*d = b;
	}
	user_read_access_end();
	return 0;
fault:
	user_read_access_end();
	return -EFAULT;
}

/* Copy 'len' bytes to user memory; 0, or -EFAULT. */
static inline int mach_copy_out_small(void __user *dst, const void *src,
				      u32 len)
{
	u64 __user *dw = dst;
	u32 i, words = len / 8;
	const u8 *s = src;
	u8 __user *d;
	u64 w;
	u32 v;

	might_fault();
	if (!user_write_access_begin(dst, len))
		return -EFAULT;
	for (i = 0; i < words; i++) {
		memcpy(&w, s + 8 * i, 8);
		unsafe_put_user(w, &dw[i], fault);
	}
	d = (u8 __user *)(dw + words);
	s += 8 * words;
	len -= 8 * words;
	if (len >= 4) {
		memcpy(&v, s, 4);
		unsafe_put_user(v, (u32 __user *)d, fault);
		len -= 4;
		s += 4;
		d += 4;
	}
	for (; len; len--, s++, d++)
		unsafe_put_user(*s, d, fault);
	user_write_access_end();
	return 0;
fault:
	user_write_access_end();
	return -EFAULT;
}

#endif /* _MACH_UCOPY_H */
