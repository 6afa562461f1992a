/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/mach_error.h>: printable names for kern_return_t and friends. */
#ifndef _MACH_MACH_ERROR_H_
#define _MACH_MACH_ERROR_H_

#include <sys/cdefs.h>
#include <mach/error.h>

__BEGIN_DECLS

/*
 * A static description of error_value, in macOS's words ("(os/kern) invalid
 * name"); "unknown error code" for a code macOS has no text for (BOOTSTRAP_*
 * codes among them: see bootstrap_strerror).  Never NULL.
 */
char *mach_error_string(mach_error_t error_value);

/* Print "str description" on stderr; an unknown code adds its type and hex value. */
void mach_error(const char *str, mach_error_t error_value);

/* The "(system/subsystem)" part of the description, "(?/?)" if unknown. */
char *mach_error_type(mach_error_t error_value);

__END_DECLS

#endif /* _MACH_MACH_ERROR_H_ */
