/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <servers/bootstrap.h>: the older spelling of <bootstrap.h>; macOS ships
 * both and code includes either.
 */
#ifndef _SERVERS_BOOTSTRAP_H_
#define _SERVERS_BOOTSTRAP_H_

#include <bootstrap.h>

#endif /* _SERVERS_BOOTSTRAP_H_ */
