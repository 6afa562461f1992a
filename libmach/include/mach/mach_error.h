/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/mach_error.h>: printable names for kern_return_t and friends. */
#ifndef _MACH_MACH_ERROR_H_
#define _MACH_MACH_ERROR_H_

#include <sys/cdefs.h>
#include <mach/error.h>

__BEGIN_DECLS

/* A static, human-readable description of error_value; never NULL. */
char *mach_error_string(mach_error_t error_value);

/* Print "str description (0x...)" on stderr. */
void mach_error(const char *str, mach_error_t error_value);

/* The "(system/subsystem)" part of the description. */
char *mach_error_type(mach_error_t error_value);

__END_DECLS

#endif /* _MACH_MACH_ERROR_H_ */
