/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/boolean.h>: boolean_t as XNU's x86_64 userspace defines it. */
#ifndef _MACH_BOOLEAN_H_
#define _MACH_BOOLEAN_H_

/* XNU uses 'unsigned int' for LP64 x86_64 user code; descriptors bit-field on it. */
typedef unsigned int boolean_t;

#ifndef TRUE
#define TRUE	1
#endif
#ifndef FALSE
#define FALSE	0
#endif

#endif /* _MACH_BOOLEAN_H_ */
