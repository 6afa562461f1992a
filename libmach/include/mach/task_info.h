/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* <mach/task_info.h>: the task_info() flavors libmach answers, XNU's layout. */
#ifndef _MACH_TASK_INFO_H_
#define _MACH_TASK_INFO_H_

#include <mach/message.h>
#include <mach/machine/vm_types.h>
#include <mach/time_value.h>

typedef natural_t	task_flavor_t;
typedef integer_t	*task_info_t;
#define TASK_INFO_MAX	(1024)
typedef integer_t	task_info_data_t[TASK_INFO_MAX];

#ifndef POLICY_TIMESHARE
typedef int		policy_t;
#define POLICY_NULL		0
#define POLICY_TIMESHARE	1
#define POLICY_RR		2
#define POLICY_FIFO		4
#endif

#pragma pack(push, 4)

#define TASK_BASIC_INFO_32	4
#define TASK_BASIC2_INFO_32	6
struct task_basic_info_32 {
	integer_t	suspend_count;
	natural_t	virtual_size;
	natural_t	resident_size;
	time_value_t	user_time;
	time_value_t	system_time;
	policy_t	policy;
};
typedef struct task_basic_info_32	task_basic_info_32_data_t;
typedef struct task_basic_info_32	*task_basic_info_32_t;
#define TASK_BASIC_INFO_32_COUNT \
	(sizeof(task_basic_info_32_data_t) / sizeof(natural_t))

#define TASK_BASIC_INFO_64	5
struct task_basic_info_64 {
	integer_t	suspend_count;
	mach_vm_size_t	virtual_size;
	mach_vm_size_t	resident_size;
	time_value_t	user_time;
	time_value_t	system_time;
	policy_t	policy;
};
typedef struct task_basic_info_64	task_basic_info_64_data_t;
typedef struct task_basic_info_64	*task_basic_info_64_t;
#define TASK_BASIC_INFO_64_COUNT \
	(sizeof(task_basic_info_64_data_t) / sizeof(natural_t))

struct task_basic_info {
	integer_t	suspend_count;
	vm_size_t	virtual_size;
	vm_size_t	resident_size;
	time_value_t	user_time;
	time_value_t	system_time;
	policy_t	policy;
};
typedef struct task_basic_info	task_basic_info_data_t;
typedef struct task_basic_info	*task_basic_info_t;
#define TASK_BASIC_INFO_COUNT \
	(sizeof(task_basic_info_data_t) / sizeof(natural_t))
#if defined(__LP64__)
#define TASK_BASIC_INFO		TASK_BASIC_INFO_64
#else
#define TASK_BASIC_INFO		TASK_BASIC_INFO_32
#endif

#define TASK_THREAD_TIMES_INFO	3
struct task_thread_times_info {
	time_value_t	user_time;
	time_value_t	system_time;
};
typedef struct task_thread_times_info	task_thread_times_info_data_t;
typedef struct task_thread_times_info	*task_thread_times_info_t;
#define TASK_THREAD_TIMES_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(task_thread_times_info_data_t) / sizeof(natural_t)))

#define MACH_TASK_BASIC_INFO	20
struct mach_task_basic_info {
	mach_vm_size_t	virtual_size;
	mach_vm_size_t	resident_size;
	mach_vm_size_t	resident_size_max;
	time_value_t	user_time;
	time_value_t	system_time;
	policy_t	policy;
	integer_t	suspend_count;
};
typedef struct mach_task_basic_info	mach_task_basic_info_data_t;
typedef struct mach_task_basic_info	*mach_task_basic_info_t;
#define MACH_TASK_BASIC_INFO_COUNT ((mach_msg_type_number_t) \
	(sizeof(mach_task_basic_info_data_t) / sizeof(natural_t)))

/* The task's audit token, as the kernel puts it in audit trailers. */
#define TASK_AUDIT_TOKEN	15
#define TASK_AUDIT_TOKEN_COUNT ((mach_msg_type_number_t) \
	(sizeof(audit_token_t) / sizeof(natural_t)))

#pragma pack(pop)

#endif /* _MACH_TASK_INFO_H_ */
