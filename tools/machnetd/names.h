/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The local netname table: name -> (port, signature), as CMU's name
 * server kept it.  Pure bookkeeping: the caller owns the rights (names in
 * machnetd's space) and is told which ones an operation released.
 */
#ifndef MACHNETD_NAMES_H
#define MACHNETD_NAMES_H

#include <stddef.h>
#include <mach/mach_types.h>

#define NAMES_KEY_LEN	80

struct name_entry {
	char		key[NAMES_KEY_LEN];	/* NUL-terminated */
	mach_port_t	port;			/* a send right (one uref ours) */
	mach_port_t	sig;			/* a send right or MACH_PORT_NULL */
};

/*
 * check_in: a new key is added; a known key with the same signature has
 * its port replaced (*old gets the previous entry, whose rights the caller
 * releases); another signature gives NETNAME_NOT_YOURS.  Returns a
 * NETNAME_* code or KERN_RESOURCE_SHORTAGE.
 */
int names_check_in(const char *key, mach_port_t sig, mach_port_t port,
		   struct name_entry *old, int *replaced);
/* NETNAME_NOT_CHECKED_IN, NETNAME_NOT_YOURS, or success with *old removed. */
int names_check_out(const char *key, mach_port_t sig, struct name_entry *old);
const struct name_entry *names_find(const char *key);
/*
 * Remove every entry whose port or signature is name (it died): returns
 * how many, copying up to max of them into out for the caller to release.
 * Call again while it returns max.
 */
size_t names_remove_port(mach_port_t name, struct name_entry *out, size_t max);
size_t names_count(void);
/* Any entry, or NULL when empty. */
const struct name_entry *names_first(void);
/* Drop everything (exit, tests); the caller released the rights. */
void names_clear(void);

#endif /* MACHNETD_NAMES_H */
