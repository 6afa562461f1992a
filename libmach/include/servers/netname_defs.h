/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <servers/netname_defs.h>: the netname service's codes and name type, the
 * historical header netname.defs imports (types only, so MIG-generated
 * stubs can include it beside their own prototypes).  <servers/netname.h>
 * includes it.
 */
#ifndef _SERVERS_NETNAME_DEFS_H_
#define _SERVERS_NETNAME_DEFS_H_

#define NETNAME_SUCCESS		(0)
#define NETNAME_PENDING		(-1)
#define NETNAME_NOT_YOURS	(1000)
#define NAME_NOT_YOURS		(1000)
#define NETNAME_NOT_CHECKED_IN	(1001)
#define NAME_NOT_CHECKED_IN	(1001)
#define NETNAME_NO_SUCH_HOST	(1002)
#define NETNAME_HOST_NOT_FOUND	(1003)
#define NETNAME_INVALID_PORT	(1004)

typedef char netname_name_t[80];

#endif /* _SERVERS_NETNAME_DEFS_H_ */
