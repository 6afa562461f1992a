/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <bsm/audit.h>: the audit identity types that <bsm/libbsm.h>'s audit
 * token accessors use.  Only the types and the "no audit id" values are
 * here: Linux has no BSM audit system calls.
 */
#ifndef _BSM_AUDIT_H
#define _BSM_AUDIT_H

#include <stdint.h>
#include <sys/types.h>

typedef uid_t		au_id_t;
typedef pid_t		au_asid_t;
typedef uint16_t	au_event_t;
typedef uint16_t	au_emod_t;
typedef uint32_t	au_class_t;
typedef uint64_t	au_asflgs_t;

struct au_tid {
	dev_t		port;
	uint32_t	machine;
};
typedef struct au_tid	au_tid_t;

struct au_mask {
	unsigned int	am_success;
	unsigned int	am_failure;
};
typedef struct au_mask	au_mask_t;

struct auditinfo {
	au_id_t		ai_auid;
	au_mask_t	ai_mask;
	au_tid_t	ai_termid;
	au_asid_t	ai_asid;
};
typedef struct auditinfo auditinfo_t;

#define AU_DEFAUDITID	((uid_t)-1)	/* no audit user id (not logged in) */
#define AU_DEFAUDITSID	0
#define AU_ASSIGN_ASID	-1

#endif /* _BSM_AUDIT_H */
