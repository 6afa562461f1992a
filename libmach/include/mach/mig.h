/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mig.h>: types and runtime hooks used by MIG-generated stubs.
 */
#ifndef _MACH_MIG_H_
#define _MACH_MIG_H_

#include <stdint.h>
#include <sys/cdefs.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/vm_types.h>

/* MIG output guards its request/reply checks with this; default on. */
#if !defined(__MigTypeCheck)
#if defined(TypeCheck)
#define __MigTypeCheck TypeCheck
#else
#define __MigTypeCheck 1
#endif
#endif

/* MIG message structs use the 4-byte packing of the message format. */
#define __MigPackStructs 1

/* Server stub: unpack a request, call the routine, build the reply. */
typedef void (*mig_stub_routine_t)(mach_msg_header_t *InHeadP,
				   mach_msg_header_t *OutHeadP);
typedef mig_stub_routine_t mig_routine_t;

/* Demux lookup: the stub for a request, or NULL. */
typedef mig_routine_t (*mig_server_routine_t)(mach_msg_header_t *InHeadP);

/* The routine that does the work; its real signature varies. */
typedef kern_return_t (*mig_impl_routine_t)(void);

typedef mach_msg_type_descriptor_t routine_arg_descriptor;
typedef mach_msg_type_descriptor_t *routine_arg_descriptor_t;
typedef mach_msg_type_descriptor_t *mig_routine_arg_descriptor_t;

#define MIG_ROUTINE_ARG_DESCRIPTOR_NULL ((mig_routine_arg_descriptor_t) 0)

struct routine_descriptor {
	mig_impl_routine_t	impl_routine;
	mig_stub_routine_t	stub_routine;
	unsigned int		argc;
	unsigned int		descr_count;	/* complex descriptors */
	routine_arg_descriptor_t arg_descr;
	unsigned int		max_reply_msg;
};
typedef struct routine_descriptor *routine_descriptor_t;

typedef struct routine_descriptor mig_routine_descriptor;
typedef mig_routine_descriptor *mig_routine_descriptor_t;

#define MIG_ROUTINE_DESCRIPTOR_NULL ((mig_routine_descriptor_t) 0)

typedef struct mig_subsystem {
	mig_server_routine_t	server;		/* demux */
	mach_msg_id_t		start;		/* first msgh_id */
	mach_msg_id_t		end;		/* last msgh_id + 1 */
	mach_msg_size_t		maxsize;	/* largest reply */
	vm_address_t		reserved;
	mig_routine_descriptor	routine[1];
} *mig_subsystem_t;

#define MIG_SUBSYSTEM_NULL ((mig_subsystem_t) 0)

typedef struct mig_symtab {
	char		*ms_routine_name;
	int		ms_routine_number;
	void		(*ms_routine)(void);	/* signature unknown */
} mig_symtab_t;

#if defined(__has_attribute)
#if __has_attribute(mig_server_routine)
#define MIG_SERVER_ROUTINE __attribute__((mig_server_routine))
#endif
#endif
#ifndef MIG_SERVER_ROUTINE
#define MIG_SERVER_ROUTINE
#endif

__BEGIN_DECLS

/* The calling thread's cached reply port (receive right), made on demand. */
extern mach_port_t mig_get_reply_port(void);
/* Destroy the cached reply port after an RPC left it in an unknown state. */
extern void mig_dealloc_reply_port(mach_port_t reply_port);
/* Hand the reply port back after a successful RPC (it stays cached). */
extern void mig_put_reply_port(mach_port_t reply_port);

/* Bounded copies; both return the length copied including the NUL. */
extern int mig_strncpy(char *dest, const char *src, int len);
extern int mig_strncpy_zerofill(char *dest, const char *src, int len);

/*
 * Message buffers of the stubs mig -maxonstack puts on the heap (macOS has
 * these in its kernel only; here the user stubs that mig writes use them).
 */
extern void *mig_user_allocate(vm_size_t size);
extern void mig_user_deallocate(char *data, vm_size_t size);

/* Memory for out-of-line data, from and to vm_allocate. */
extern void mig_allocate(vm_address_t *addr, vm_size_t size);
extern void mig_deallocate(vm_address_t addr, vm_size_t size);

__END_DECLS

#endif /* _MACH_MIG_H_ */
