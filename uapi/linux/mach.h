/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Mach IPC for Linux: the /dev/mach ioctl ABI.
 *
 * This is the only header shared by the kernel module and libmach.  It uses
 * fixed-width types only; user addresses travel as __u64.  Every struct has
 * a 'flags' or 'reserved' member that must be zero today, so a later ABI
 * version can give it meaning without a new ioctl number.  A kernel that does
 * not understand a non-zero value returns -EINVAL.
 *
 * Return values: the port and message ioctls return a Mach kern_return_t or
 * mach_msg_return_t (always >= 0) as the ioctl result.  A negative errno is
 * returned only when the call itself is broken: a bad argument address
 * (-EFAULT), non-zero reserved fields (-EINVAL), an unknown ioctl (-ENOTTY),
 * or a caller outside the process that opened the file (-EBADFD).
 *
 * Message buffers, header bits, options, dispositions, right types and return
 * codes use XNU's LP64 userspace layouts and numeric values unchanged.
 */
#ifndef _UAPI_LINUX_MACH_H
#define _UAPI_LINUX_MACH_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

#define MACH_DEVICE_PATH	"/dev/mach"
#define MACH_ABI_VERSION	1

/* Bits of mach_ioc_version.features. */
#define MACH_FEATURE_MSG	_BITUL(0)	/* mach_msg with simple messages */
#define MACH_FEATURE_COMPLEX	_BITUL(1)	/* port and OOL descriptors */
#define MACH_FEATURE_PSET	_BITUL(2)	/* port sets */
#define MACH_FEATURE_NOTIFY	_BITUL(3)	/* kernel notifications */
#define MACH_FEATURE_PORT_FD	_BITUL(4)	/* MACH_IOC_PORT_FD */
#define MACH_FEATURE_FILEPORT	_BITUL(5)	/* fileports */
#define MACH_FEATURE_MEMORY_ENTRY _BITUL(6)	/* memory entries, vm_map */

struct mach_ioc_version {
	__u32 abi_version;	/* out: MACH_ABI_VERSION */
	__u32 features;		/* out: MACH_FEATURE_* */
	__u32 max_inline;	/* out: largest inline message, bytes */
	__u32 space_id;		/* out: caller's space id (its tgid) */
	__u32 reserved[4];	/* out: zero */
};

/*
 * mach_msg(): send, receive, or both.  'option' carries XNU's MACH_SEND_* /
 * MACH_RCV_* bits.  The send phase runs first; if it fails the receive phase
 * is skipped.  'timeout' (milliseconds) applies to each phase that asked for
 * one.  The receive buffer may be the send buffer (mach_msg) or another one
 * (mach_msg_overwrite).
 */
struct mach_ioc_msg {
	__u64 send_msg;		/* user address of the message to send */
	__u64 rcv_msg;		/* user address of the receive buffer */
	__u32 option;		/* mach_msg_option_t */
	__u32 send_size;	/* mach_msg_size_t */
	__u32 rcv_size;		/* receive buffer size */
	__u32 rcv_name;		/* port or port set to receive from */
	__u32 timeout;		/* milliseconds */
	__u32 notify;		/* MACH_SEND_NOTIFY port; must be 0 for now */
	__u32 flags;		/* must be zero */
	__u32 reserved;		/* must be zero */
};

/*
 * The mach_port_* routines.  'task' is the caller's name for a send right to
 * a task port; the kernel checks it as XNU does and answers
 * MACH_SEND_INVALID_DEST when it does not name one.
 */

/* allocate, allocate_name, deallocate, destroy, mod_refs, get_refs, type */
struct mach_port_right_args {
	__u32 task;
	__u32 name;		/* in, or out for allocate */
	__u32 right;		/* MACH_PORT_RIGHT_* */
	__s32 delta;		/* mod_refs */
	__u32 result;		/* out: refs (get_refs) or type (type) */
	__u32 flags;		/* must be zero */
};

/* insert_right (in: poly, disposition), extract_right (out: both) */
struct mach_port_xfer_args {
	__u32 task;
	__u32 name;
	__u32 poly;		/* name of the right in the caller's space */
	__u32 disposition;	/* MACH_MSG_TYPE_*: in, then the acquired type */
	__u32 flags;		/* must be zero */
	__u32 reserved;		/* must be zero */
};

/*
 * names: the kernel fills at most 'count' entries of 'names' and 'types' and
 * sets 'count' to the number of names in the space.  Call again with a larger
 * buffer when the result exceeds the capacity given.
 */
struct mach_port_names_args {
	__u32 task;
	__u32 count;		/* in: capacity; out: names in the space */
	__u64 names;		/* user address of mach_port_name_t[count] */
	__u64 types;		/* user address of mach_port_type_t[count] */
};

/* get_attributes / set_attributes: 'info' holds 'count' natural_t's. */
struct mach_port_attr_args {
	__u32 task;
	__u32 name;
	__u32 flavor;		/* MACH_PORT_*_INFO / _STATUS flavors */
	__u32 count;		/* in: capacity; out: count written */
	__u64 info;		/* user address of integer_t[count] */
};

/* get_context / set_context */
struct mach_port_context_args {
	__u32 task;
	__u32 name;
	__u64 context;
};

/* construct: mach_port_options_t flattened; destruct: srdelta and guard */
struct mach_port_construct_args {
	__u32 task;
	__u32 name;		/* out for construct, in for destruct */
	__u32 flags;		/* MPO_* for construct */
	__u32 qlimit;		/* MPO_QLIMIT */
	__u64 context;		/* construct: context / guard */
	__s32 srdelta;		/* destruct */
	__u32 reserved;		/* must be zero */
};

/* move_member, insert_member, extract_member */
struct mach_port_member_args {
	__u32 task;
	__u32 member;
	__u32 pset;		/* MACH_PORT_NULL with move_member: leave set */
	__u32 flags;		/* must be zero */
};

/* get_set_status: members written as with names */
struct mach_port_set_status_args {
	__u32 task;
	__u32 name;
	__u32 count;		/* in: capacity; out: members in the set */
	__u32 reserved;		/* must be zero */
	__u64 members;		/* user address of mach_port_name_t[count] */
};

/* request_notification */
struct mach_port_notify_args {
	__u32 task;
	__u32 name;
	__u32 msgid;		/* MACH_NOTIFY_* */
	__u32 sync;
	__u32 notify;		/* name of the notify port in the caller's space */
	__u32 notify_poly;	/* MAKE_SEND_ONCE or MOVE_SEND_ONCE */
	__u32 previous;		/* out: name of the previous send-once right */
	__u32 flags;		/* must be zero */
};

/* task_get_special_port / task_set_special_port */
struct mach_task_special_args {
	__u32 task;
	__u32 which;		/* TASK_*_PORT */
	__u32 port;		/* in for set, out for get */
	__u32 flags;		/* must be zero */
};

/* task_for_pid (in: pid, out: port), pid_for_task (in: port, out: pid) */
struct mach_task_pid_args {
	__u32 task;		/* task_for_pid: caller's task; pid_for_task: target */
	__s32 pid;
	__u32 port;
	__u32 flags;		/* must be zero */
};

/* set_mscount and set_seqno (in: value), get_srights (out: value) */
struct mach_port_count_args {
	__u32 task;
	__u32 name;
	__u32 value;
	__u32 flags;		/* must be zero */
};

/*
 * peek: look at a queued message without dequeuing it.  'seqno' 0 means
 * the first message.  The kernel writes at most 'trailer_size' bytes of the
 * requested trailer (MACH_RCV_TRAILER_* bits in 'trailer_type', up to the
 * audit trailer) to 'trailer' and sets 'trailer_size' to what it wrote.
 */
struct mach_port_peek_args {
	__u32 task;
	__u32 name;
	__u32 trailer_type;
	__u32 seqno;		/* in: 0 or a sequence number; out: found */
	__u32 size;		/* out: msgh_size */
	__s32 id;		/* out: msgh_id */
	__u32 trailer_size;	/* in: capacity of 'trailer'; out: written */
	__u32 flags;		/* must be zero */
	__u64 trailer;		/* user address of the trailer buffer */
};

/* guard (guard, guard_flags), unguard (guard), swap_guard (guard, new) */
struct mach_port_guard_args {
	__u32 task;
	__u32 name;
	__u64 guard;
	__u64 new_guard;
	__u32 guard_flags;	/* MPG_STRICT 0x1, MPG_IMMOVABLE_RECEIVE 0x2 */
	__u32 flags;		/* must be zero */
};

/* Bits of mach_port_alloc_full_args.qos: mach_port_qos_t's bit fields. */
#define MACH_QOS_NAME		_BITUL(0)	/* the caller chose 'name' */
#define MACH_QOS_PREALLOC	_BITUL(1)	/* preallocated buffer of 'len' */

/* allocate_full (allocate_qos is allocate_full without a name) */
struct mach_port_alloc_full_args {
	__u32 task;
	__u32 right;		/* MACH_PORT_RIGHT_* */
	__u32 proto;		/* must be MACH_PORT_NULL (XNU) */
	__u32 name;		/* in with MACH_QOS_NAME; out */
	__u32 qos;		/* in/out: MACH_QOS_*; PREALLOC is cleared */
	__u32 len;		/* qos len: only checked, as XNU does */
	__u32 flags;		/* must be zero */
	__u32 reserved;		/* must be zero */
};

/*
 * space_info: one mach_port_name_info per name, as with names.  'object'
 * identifies the port or port set (the same value in every space, for this
 * boot; 0 for dead names); it is not a kernel address.
 */
struct mach_port_name_info {
	__u32 name;
	__u32 type;		/* as mach_port_type() */
	__u32 urefs;		/* send or dead-name urefs; 1 for send-once */
	__u32 object;
};

struct mach_port_space_info_args {
	__u32 task;
	__u32 count;		/* in: capacity; out: names in the space */
	__u64 info;		/* user address of mach_port_name_info[count] */
	__u32 table_size;	/* out: entries in the name table, free ones too */
	__u32 table_max;	/* out: the most names the space may have */
	__u32 flags;		/* must be zero */
	__u32 reserved;		/* must be zero */
};

#define MACH_IOC_MAGIC	0xB8

#define MACH_IOC_VERSION	_IOR(MACH_IOC_MAGIC, 0x00, struct mach_ioc_version)
#define MACH_IOC_TASK_SELF	_IOR(MACH_IOC_MAGIC, 0x01, __u32)
#define MACH_IOC_MSG		_IOW(MACH_IOC_MAGIC, 0x02, struct mach_ioc_msg)

#define MACH_IOC_PORT_ALLOCATE	    _IOWR(MACH_IOC_MAGIC, 0x10, struct mach_port_right_args)
#define MACH_IOC_PORT_ALLOCATE_NAME _IOW(MACH_IOC_MAGIC, 0x11, struct mach_port_right_args)
#define MACH_IOC_PORT_DEALLOCATE    _IOW(MACH_IOC_MAGIC, 0x12, struct mach_port_right_args)
#define MACH_IOC_PORT_DESTROY	    _IOW(MACH_IOC_MAGIC, 0x13, struct mach_port_right_args)
#define MACH_IOC_PORT_MOD_REFS	    _IOW(MACH_IOC_MAGIC, 0x14, struct mach_port_right_args)
#define MACH_IOC_PORT_GET_REFS	    _IOWR(MACH_IOC_MAGIC, 0x15, struct mach_port_right_args)
#define MACH_IOC_PORT_TYPE	    _IOWR(MACH_IOC_MAGIC, 0x16, struct mach_port_right_args)
#define MACH_IOC_PORT_INSERT_RIGHT  _IOW(MACH_IOC_MAGIC, 0x17, struct mach_port_xfer_args)
#define MACH_IOC_PORT_EXTRACT_RIGHT _IOWR(MACH_IOC_MAGIC, 0x18, struct mach_port_xfer_args)
#define MACH_IOC_PORT_NAMES	    _IOWR(MACH_IOC_MAGIC, 0x19, struct mach_port_names_args)
#define MACH_IOC_PORT_GET_ATTR	    _IOWR(MACH_IOC_MAGIC, 0x1a, struct mach_port_attr_args)
#define MACH_IOC_PORT_SET_ATTR	    _IOW(MACH_IOC_MAGIC, 0x1b, struct mach_port_attr_args)
#define MACH_IOC_PORT_GET_CONTEXT   _IOWR(MACH_IOC_MAGIC, 0x1c, struct mach_port_context_args)
#define MACH_IOC_PORT_SET_CONTEXT   _IOW(MACH_IOC_MAGIC, 0x1d, struct mach_port_context_args)
#define MACH_IOC_PORT_CONSTRUCT	    _IOWR(MACH_IOC_MAGIC, 0x1e, struct mach_port_construct_args)
#define MACH_IOC_PORT_DESTRUCT	    _IOW(MACH_IOC_MAGIC, 0x1f, struct mach_port_construct_args)
#define MACH_IOC_PORT_MOVE_MEMBER   _IOW(MACH_IOC_MAGIC, 0x20, struct mach_port_member_args)
#define MACH_IOC_PORT_INSERT_MEMBER _IOW(MACH_IOC_MAGIC, 0x21, struct mach_port_member_args)
#define MACH_IOC_PORT_EXTRACT_MEMBER _IOW(MACH_IOC_MAGIC, 0x22, struct mach_port_member_args)
#define MACH_IOC_PORT_SET_STATUS    _IOWR(MACH_IOC_MAGIC, 0x23, struct mach_port_set_status_args)
#define MACH_IOC_PORT_REQUEST_NOTIFY _IOWR(MACH_IOC_MAGIC, 0x24, struct mach_port_notify_args)

#define MACH_IOC_TASK_GET_SPECIAL   _IOWR(MACH_IOC_MAGIC, 0x30, struct mach_task_special_args)
#define MACH_IOC_TASK_SET_SPECIAL   _IOW(MACH_IOC_MAGIC, 0x31, struct mach_task_special_args)
#define MACH_IOC_TASK_FOR_PID	    _IOWR(MACH_IOC_MAGIC, 0x32, struct mach_task_pid_args)
#define MACH_IOC_PID_FOR_TASK	    _IOWR(MACH_IOC_MAGIC, 0x33, struct mach_task_pid_args)
/*
 * The host's default bootstrap port: what a new space gets when its parent
 * process has no bootstrap port (e.g. a process started outside any Mach
 * program).  'which' must be TASK_BOOTSTRAP_PORT.  Setting it needs
 * CAP_SYS_ADMIN in the initial user namespace (-EPERM otherwise); the name
 * server (machd) sets it at start.  MACH_PORT_NULL clears it.
 */
#define MACH_IOC_HOST_GET_SPECIAL   _IOWR(MACH_IOC_MAGIC, 0x34, struct mach_task_special_args)
#define MACH_IOC_HOST_SET_SPECIAL   _IOW(MACH_IOC_MAGIC, 0x35, struct mach_task_special_args)

/*
 * fork() hand-off of the bootstrap port, for libmach's pthread_atfork
 * handlers.  A child's space is made when it first opens /dev/mach, after
 * fork() has returned, by which time the parent may have set another
 * bootstrap port; macOS gives a child the parent's as it was at fork().
 * So the parent's prepare handler takes a snapshot (FORK_PREPARE gives its
 * cookie) and the child, right after its open, presents the cookie
 * (FORK_INHERIT) to make that snapshot's port its bootstrap port.  A space
 * keeps its last 16 snapshots, each taken once; INHERIT of an unknown
 * cookie, or from a process that is not the snapshot's child, is
 * KERN_INVALID_ARGUMENT and changes nothing.
 */
struct mach_fork_args {
	__u32 task;		/* the caller's own task port */
	__u32 flags;		/* must be zero */
	__u64 cookie;		/* out of PREPARE, into INHERIT */
};

#define MACH_IOC_FORK_PREPARE	    _IOWR(MACH_IOC_MAGIC, 0x36, struct mach_fork_args)
#define MACH_IOC_FORK_INHERIT	    _IOW(MACH_IOC_MAGIC, 0x37, struct mach_fork_args)

/* More mach_port_* routines (0x40 on). */
#define MACH_IOC_PORT_SET_MSCOUNT   _IOW(MACH_IOC_MAGIC, 0x40, struct mach_port_count_args)
#define MACH_IOC_PORT_GET_SRIGHTS   _IOWR(MACH_IOC_MAGIC, 0x41, struct mach_port_count_args)
#define MACH_IOC_PORT_SET_SEQNO	    _IOW(MACH_IOC_MAGIC, 0x42, struct mach_port_count_args)
#define MACH_IOC_PORT_PEEK	    _IOWR(MACH_IOC_MAGIC, 0x43, struct mach_port_peek_args)
#define MACH_IOC_PORT_GUARD	    _IOW(MACH_IOC_MAGIC, 0x44, struct mach_port_guard_args)
#define MACH_IOC_PORT_UNGUARD	    _IOW(MACH_IOC_MAGIC, 0x45, struct mach_port_guard_args)
#define MACH_IOC_PORT_SWAP_GUARD    _IOW(MACH_IOC_MAGIC, 0x46, struct mach_port_guard_args)
#define MACH_IOC_PORT_ALLOCATE_FULL _IOWR(MACH_IOC_MAGIC, 0x47, struct mach_port_alloc_full_args)
#define MACH_IOC_PORT_SPACE_INFO    _IOWR(MACH_IOC_MAGIC, 0x48, struct mach_port_space_info_args)

/*
 * Linux extensions (0x50 on): a receive right or port set as a pollable
 * file, fileports, and memory entries.
 */

/*
 * An fd that poll/select/epoll/io_uring report readable (EPOLLIN) while a
 * message is queued on the receive right 'name' of the space 'task'
 * names (for a port set: on any member), and hung up (EPOLLHUP) while that
 * space no longer holds the right (destroyed, or moved away).  The fd
 * grants no receive: mach_msg does that.  It keeps neither the right nor
 * the space alive.  'flags': O_CLOEXEC and O_NONBLOCK, as for eventfd.
 * Returns a kern_return_t (KERN_INVALID_NAME, KERN_INVALID_RIGHT), or a
 * negative errno when no fd can be had (-EMFILE, -ENFILE, -ENOMEM).
 */
struct mach_port_fd_args {
	__u32 task;
	__u32 name;		/* a receive right or a port set */
	__u32 flags;		/* O_CLOEXEC | O_NONBLOCK */
	__s32 fd;		/* out */
};

/*
 * fileport_makeport (in: fd; out: port) and fileport_makefd (in: port; out:
 * fd, made O_CLOEXEC).  A fileport is a kernel-object port holding a
 * reference to an open file; it dies with its last send right.  These are
 * BSD calls: they return 0 or a negative errno (-EBADF, -EINVAL, -EMFILE,
 * -EAGAIN), as macOS's return -1 with errno.  The caller's own space only.
 */
struct mach_fileport_args {
	__s32 fd;
	__u32 port;
	__u32 flags;		/* must be zero */
	__u32 reserved;		/* must be zero */
};

/*
 * mach_make_memory_entry_64.  'permission' is XNU's: VM_PROT_* (with
 * VM_PROT_IS_MASK) and MAP_MEM_* flags.  Returns a kern_return_t; 'size'
 * and 'handle' as XNU sets them.
 */
struct mach_memory_entry_args {
	__u32 task;
	__u32 permission;
	__u64 size;		/* in: bytes wanted; out: the entry's */
	__u64 offset;		/* address in task, or offset in 'parent' */
	__u32 parent;		/* MACH_PORT_NULL or a memory entry */
	__u32 handle;		/* out: send right to the entry */
	__u32 flags;		/* must be zero */
	__u32 reserved;		/* must be zero */
};

/*
 * mach_vm_map of a memory entry into the caller's own task.  'address' is
 * fixed unless VM_FLAGS_ANYWHERE (then a hint); 'mask' must be zero here
 * (libmach aligns with a reservation it maps over).  copy = 0 maps the
 * entry shared; copy = 1 maps a private snapshot of it, writable so that
 * libmach can then apply 'cur_prot'.  Returns a kern_return_t.
 */
struct mach_vm_map_args {
	__u32 task;
	__u32 object;		/* a send right to a memory entry */
	__u64 address;		/* in/out */
	__u64 size;
	__u64 mask;		/* must be zero */
	__u64 offset;		/* into the entry */
	__s32 vm_flags;		/* VM_FLAGS_* */
	__u32 copy;		/* boolean_t */
	__s32 cur_prot;
	__s32 max_prot;
	__u32 inheritance;	/* VM_INHERIT_* */
	__u32 flags;		/* must be zero */
};

#define MACH_IOC_PORT_FD	    _IOWR(MACH_IOC_MAGIC, 0x50, struct mach_port_fd_args)
#define MACH_IOC_FILEPORT_MAKEPORT  _IOWR(MACH_IOC_MAGIC, 0x51, struct mach_fileport_args)
#define MACH_IOC_FILEPORT_MAKEFD    _IOWR(MACH_IOC_MAGIC, 0x52, struct mach_fileport_args)
#define MACH_IOC_MAKE_MEMORY_ENTRY  _IOWR(MACH_IOC_MAGIC, 0x53, struct mach_memory_entry_args)
#define MACH_IOC_VM_MAP		    _IOWR(MACH_IOC_MAGIC, 0x54, struct mach_vm_map_args)

#endif /* _UAPI_LINUX_MACH_H */
