/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libbsm's audit token accessors (<bsm/libbsm.h>).  The token is eight
 * words in XNU's order: auid, euid, egid, ruid, rgid, pid, asid, pid
 * version.
 */
#include <bsm/libbsm.h>

#include "internal.h"

enum { TOK_AUID, TOK_EUID, TOK_EGID, TOK_RUID, TOK_RGID, TOK_PID, TOK_ASID, TOK_PIDVERSION };

MACH_EXPORT uid_t audit_token_to_auid(audit_token_t t)	{ return (uid_t)t.val[TOK_AUID]; }
MACH_EXPORT uid_t audit_token_to_euid(audit_token_t t)	{ return (uid_t)t.val[TOK_EUID]; }
MACH_EXPORT gid_t audit_token_to_egid(audit_token_t t)	{ return (gid_t)t.val[TOK_EGID]; }
MACH_EXPORT uid_t audit_token_to_ruid(audit_token_t t)	{ return (uid_t)t.val[TOK_RUID]; }
MACH_EXPORT gid_t audit_token_to_rgid(audit_token_t t)	{ return (gid_t)t.val[TOK_RGID]; }
MACH_EXPORT pid_t audit_token_to_pid(audit_token_t t)	{ return (pid_t)t.val[TOK_PID]; }
MACH_EXPORT au_asid_t audit_token_to_asid(audit_token_t t) { return (au_asid_t)t.val[TOK_ASID]; }
MACH_EXPORT int audit_token_to_pidversion(audit_token_t t) { return (int)t.val[TOK_PIDVERSION]; }

MACH_EXPORT void audit_token_to_au32(audit_token_t t, uid_t *auidp, uid_t *euidp,
				     gid_t *egidp, uid_t *ruidp, gid_t *rgidp,
				     pid_t *pidp, au_asid_t *asidp, au_tid_t *tidp)
{
	if (auidp)
		*auidp = audit_token_to_auid(t);
	if (euidp)
		*euidp = audit_token_to_euid(t);
	if (egidp)
		*egidp = audit_token_to_egid(t);
	if (ruidp)
		*ruidp = audit_token_to_ruid(t);
	if (rgidp)
		*rgidp = audit_token_to_rgid(t);
	if (pidp)
		*pidp = audit_token_to_pid(t);
	if (asidp)
		*asidp = audit_token_to_asid(t);
	if (tidp) {
		tidp->port = (dev_t)t.val[TOK_PIDVERSION];
		tidp->machine = 0;
	}
}
