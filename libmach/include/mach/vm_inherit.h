/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/vm_inherit.h>: what a forked child gets of a region (XNU's values). */
#ifndef _MACH_VM_INHERIT_H_
#define _MACH_VM_INHERIT_H_

typedef unsigned int vm_inherit_t;

#define VM_INHERIT_SHARE	((vm_inherit_t) 0)	/* shared with the child */
#define VM_INHERIT_COPY		((vm_inherit_t) 1)	/* copied into the child */
#define VM_INHERIT_NONE		((vm_inherit_t) 2)	/* absent from the child */
#define VM_INHERIT_DONATE_COPY	((vm_inherit_t) 3)	/* not supported */

#define VM_INHERIT_DEFAULT	VM_INHERIT_COPY
#define VM_INHERIT_LAST_VALID	VM_INHERIT_NONE

#endif /* _MACH_VM_INHERIT_H_ */
