/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach_debug/ipc_info.h>: what mach_port_space_info() reports, XNU's layouts. */
#ifndef _MACH_DEBUG_IPC_INFO_H_
#define _MACH_DEBUG_IPC_INFO_H_

#include <mach/boolean.h>
#include <mach/port.h>
#include <mach/machine/vm_types.h>

typedef struct ipc_info_space {
	natural_t	iis_genno_mask;		/* generation number mask */
	natural_t	iis_table_size;		/* number of table entries */
	natural_t	iis_table_next;		/* next possible size */
	natural_t	iis_tree_size;		/* always 0 */
	natural_t	iis_tree_small;		/* always 0 */
	natural_t	iis_tree_hash;		/* always 0 */
} ipc_info_space_t;

typedef struct ipc_info_space_basic {
	natural_t	iisb_genno_mask;	/* generation number mask */
	natural_t	iisb_table_size;	/* number of table entries */
	natural_t	iisb_table_next;	/* next possible size */
	natural_t	iisb_table_inuse;	/* entries in use */
	natural_t	iisb_reserved[2];
} ipc_info_space_basic_t;

typedef struct ipc_info_name {
	mach_port_name_t	iin_name;	/* with its generation */
	integer_t		iin_collision;	/* always 0 */
	mach_port_type_t	iin_type;
	mach_port_urefs_t	iin_urefs;
	natural_t		iin_object;	/* the same port: the same value */
	natural_t		iin_next;
	natural_t		iin_hash;
} ipc_info_name_t;

typedef ipc_info_name_t *ipc_info_name_array_t;

typedef struct ipc_info_tree_name {
	ipc_info_name_t		iitn_name;
	mach_port_name_t	iitn_lchild;
	mach_port_name_t	iitn_rchild;
} ipc_info_tree_name_t;

typedef ipc_info_tree_name_t *ipc_info_tree_name_array_t;

#endif /* _MACH_DEBUG_IPC_INFO_H_ */
