/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <servers/bootstrap_defs.h>: the bootstrap types and BOOTSTRAP_* codes,
 * which macOS also ships apart from the calls.  Here they live in
 * <bootstrap.h> with the calls.
 */
#ifndef _SERVERS_BOOTSTRAP_DEFS_H_
#define _SERVERS_BOOTSTRAP_DEFS_H_

#include <bootstrap.h>

#endif /* _SERVERS_BOOTSTRAP_DEFS_H_ */
