/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mach/mach_types.h>: names of kernel objects.  In user space every one of
 * them is a port name, so they are all mach_port_t.
 */
#ifndef _MACH_MACH_TYPES_H_
#define _MACH_MACH_TYPES_H_

#include <stdint.h>
#include <mach/std_types.h>
#include <mach/message.h>
#include <mach/vm_prot.h>
#include <mach/vm_statistics.h>
#include <mach/vm_inherit.h>
#include <mach/memory_object_types.h>
#include <mach/clock_types.h>
#include <mach/host_info.h>
#include <mach/machine.h>
#include <mach/time_value.h>

typedef mach_port_t	task_t;
typedef mach_port_t	task_name_t;
typedef mach_port_t	task_policy_set_t;
typedef mach_port_t	task_policy_get_t;
typedef mach_port_t	task_inspect_t;
typedef mach_port_t	task_read_t;
typedef mach_port_t	task_suspension_token_t;
typedef mach_port_t	thread_t;
typedef mach_port_t	thread_act_t;
typedef mach_port_t	thread_inspect_t;
typedef mach_port_t	thread_read_t;
typedef mach_port_t	ipc_space_t;
typedef mach_port_t	ipc_space_read_t;
typedef mach_port_t	ipc_space_inspect_t;
typedef mach_port_t	coalition_t;
typedef mach_port_t	host_t;
typedef mach_port_t	host_priv_t;
typedef mach_port_t	host_security_t;
typedef mach_port_t	processor_t;
typedef mach_port_t	processor_set_t;
typedef mach_port_t	processor_set_control_t;
typedef mach_port_t	semaphore_t;
typedef mach_port_t	lock_set_t;
typedef mach_port_t	ledger_t;
typedef mach_port_t	alarm_t;
typedef mach_port_t	clock_serv_t;
typedef mach_port_t	clock_ctrl_t;
typedef mach_port_t	arcade_register_t;
typedef mach_port_t	ipc_eventlink_t;
typedef mach_port_t	eventlink_port_pair_t[2];
typedef mach_port_t	task_id_token_t;
typedef mach_port_t	mem_entry_name_port_t;
typedef mach_port_t	exception_handler_t;
typedef exception_handler_t *exception_handler_array_t;
typedef mach_port_t	vm_task_entry_t;
typedef mach_port_t	io_master_t;
typedef mach_port_t	UNDServerRef;
typedef mach_port_t	mach_eventlink_t;
typedef mach_port_t	mach_voucher_t;
typedef mach_port_name_t mach_voucher_name_t;

typedef task_t		*task_array_t;
typedef thread_t	*thread_array_t;
typedef thread_act_t	*thread_act_array_t;
typedef processor_set_t	*processor_set_array_t;
typedef processor_set_t	*processor_set_name_array_t;
typedef processor_t	*processor_array_t;
typedef ledger_t	*ledger_array_t;
typedef task_t		*task_port_array_t;
typedef thread_t	*thread_port_array_t;
typedef processor_set_t	processor_set_name_t;
typedef mach_port_t	processor_set_name_port_t;
typedef processor_set_name_port_t *processor_set_name_port_array_t;

typedef natural_t	ledger_item_t;
typedef int64_t		ledger_amount_t;
typedef mach_vm_offset_t *emulation_vector_t;
typedef char		*user_subsystem_t;
typedef char		*labelstr_t;

#define TASK_NULL		((task_t) 0)
#define TASK_NAME_NULL		((task_name_t) 0)
#define TASK_INSPECT_NULL	((task_inspect_t) 0)
#define TASK_READ_NULL		((task_read_t) 0)
#define THREAD_NULL		((thread_t) 0)
#define THREAD_INSPECT_NULL	((thread_inspect_t) 0)
#define THREAD_READ_NULL	((thread_read_t) 0)
#define TID_NULL		((uint64_t) 0)
#define THR_ACT_NULL		((thread_act_t) 0)
#define IPC_SPACE_NULL		((ipc_space_t) 0)
#define IPC_SPACE_READ_NULL	((ipc_space_read_t) 0)
#define IPC_SPACE_INSPECT_NULL	((ipc_space_inspect_t) 0)
#define COALITION_NULL		((coalition_t) 0)
#define HOST_NULL		((host_t) 0)
#define HOST_PRIV_NULL		((host_priv_t) 0)
#define HOST_SECURITY_NULL	((host_security_t) 0)
#define PROCESSOR_SET_NULL	((processor_set_t) 0)
#define PROCESSOR_NULL		((processor_t) 0)
#define SEMAPHORE_NULL		((semaphore_t) 0)
#define LOCK_SET_NULL		((lock_set_t) 0)
#define LEDGER_NULL		((ledger_t) 0)
#define ALARM_NULL		((alarm_t) 0)
#define CLOCK_NULL		((clock_t) 0)
#define UND_SERVER_NULL		((UNDServerRef) 0)
#define MACH_VOUCHER_NULL	((mach_voucher_t) 0)
#define MACH_VOUCHER_NAME_NULL	((mach_voucher_name_t) 0)


#endif /* _MACH_MACH_TYPES_H_ */
