/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <bsm/libbsm.h>: read a message sender's identity out of the audit token
 * of a MACH_RCV_TRAILER_AUDIT trailer, as macOS servers do:
 *
 *	pid_t pid = audit_token_to_pid(trailer->msgh_audit);
 *
 * The token's words are XNU's: auid, euid, egid, ruid, rgid, pid, asid,
 * pid version.  Here the kernel fills auid from the sender's login uid
 * (AU_DEFAUDITID when there is none), the ids and pid as the receiver's
 * namespaces see them, and leaves asid and pid version 0.  Kernel
 * notifications carry the kernel's token (all zero).  On macOS these come
 * from libbsm; here libmach provides them, so no -lbsm is needed.  The rest
 * of libbsm (audit records, au_* parsing) is not provided.
 */
#ifndef _LIBBSM_H_
#define _LIBBSM_H_

#include <sys/cdefs.h>
#include <sys/types.h>
#include <bsm/audit.h>
#include <mach/mach.h>		/* audit_token_t */

__BEGIN_DECLS

uid_t audit_token_to_auid(audit_token_t atoken);
uid_t audit_token_to_euid(audit_token_t atoken);
gid_t audit_token_to_egid(audit_token_t atoken);
uid_t audit_token_to_ruid(audit_token_t atoken);
gid_t audit_token_to_rgid(audit_token_t atoken);
pid_t audit_token_to_pid(audit_token_t atoken);
au_asid_t audit_token_to_asid(audit_token_t atoken);
int audit_token_to_pidversion(audit_token_t atoken);

/* Every field at once; any pointer may be NULL.  tidp gets port = pid version, machine = 0. */
void audit_token_to_au32(audit_token_t atoken, uid_t *auidp, uid_t *euidp,
			 gid_t *egidp, uid_t *ruidp, gid_t *rgidp,
			 pid_t *pidp, au_asid_t *asidp, au_tid_t *tidp);

__END_DECLS

#endif /* _LIBBSM_H_ */
