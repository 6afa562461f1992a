/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The process's /dev/mach descriptor and its task-self name.
 *
 * The kernel binds an IPC space to the open file and refuses ioctls from
 * any process other than the opener (-EBADFD).  So the descriptor is
 * opened lazily, once, under a mutex; and a pthread_atfork child handler
 * closes the inherited copy and clears every cached name, so the child's
 * first Mach call opens the device again and gets a space of its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/mach.h>

#include "internal.h"

MACH_EXPORT mach_port_t mach_task_self_ = MACH_PORT_NULL;

static atomic_int mach_fd = -1;
static pid_t mach_fd_pid;		/* process that opened mach_fd */
static pthread_mutex_t mach_fd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t mach_atfork_once = PTHREAD_ONCE_INIT;
void (*_mach_fork_child_hook)(void);

/*
 * The kernel's snapshot of our bootstrap port at fork(), for the child:
 * set in the parent just before fork() (forks are serialised by
 * mach_fd_lock), cleared in the parent just after, and in the child used
 * by its first open (see uapi MACH_IOC_FORK_PREPARE).  Without it a child
 * would get whatever its parent's bootstrap port is when the child first
 * opens the device, not what it was at fork().
 */
static uint64_t fork_cookie;
static uint64_t fork_cookie_saved;	/* ours, while a fork is under way */

/* Our task port's name in the space behind fd. */
static mach_port_t task_self_of(int fd)
{
	__u32 name = 0;

	if (ioctl(fd, MACH_IOC_TASK_SELF, &name) != 0)
		return MACH_PORT_NULL;
	return name;
}

/* Hold the lock across fork() so the child never inherits it mid-open. */
static void atfork_prepare(void)
{
	int fd;

	pthread_mutex_lock(&mach_fd_lock);
	/*
	 * A process that has not opened the device yet keeps its own
	 * parent's cookie for its first open, and passes nothing down.
	 */
	fork_cookie_saved = fork_cookie;
	fork_cookie = 0;
	fd = atomic_load(&mach_fd);
	if (fd >= 0 && mach_fd_pid == getpid()) {
		struct mach_fork_args a = { .task = task_self_of(fd) };

		if (ioctl(fd, MACH_IOC_FORK_PREPARE, &a) == 0)
			fork_cookie = a.cookie;
	}
}

static void atfork_parent(void)
{
	fork_cookie = fork_cookie_saved;
	pthread_mutex_unlock(&mach_fd_lock);
}

/* A new child's first open: take the bootstrap port it had at fork(). */
static void fork_inherit(int fd)
{
	struct mach_fork_args a = { .cookie = fork_cookie };

	fork_cookie = 0;
	if (!a.cookie)
		return;
	a.task = task_self_of(fd);
	(void)ioctl(fd, MACH_IOC_FORK_INHERIT, &a);	/* unknown: keep the open's */
}

/* Caller holds mach_fd_lock (or is the only thread, in the child). */
static void forget_device_locked(void)
{
	int fd = atomic_exchange(&mach_fd, -1);

	if (fd >= 0)
		close(fd);
	mach_task_self_ = MACH_PORT_NULL;
	_mach_reply_port_forget();
}

static void atfork_child(void)
{
	/* Only the forking thread exists now; its TLS is the one to reset. */
	forget_device_locked();
	pthread_mutex_unlock(&mach_fd_lock);
	/* After the unlock: the hook reopens the device. */
	if (_mach_fork_child_hook)
		_mach_fork_child_hook();
}

static void register_atfork(void)
{
	pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

/* The descriptor, opening it on first use; -1 with errno on failure. */
static int mach_device(void)
{
	int fd = atomic_load_explicit(&mach_fd, memory_order_acquire);

	if (fd >= 0)
		return fd;

	pthread_once(&mach_atfork_once, register_atfork);
	pthread_mutex_lock(&mach_fd_lock);
	fd = atomic_load_explicit(&mach_fd, memory_order_relaxed);
	if (fd < 0) {
		fd = open(MACH_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			fork_inherit(fd);
			mach_fd_pid = getpid();
			atomic_store_explicit(&mach_fd, fd, memory_order_release);
		}
	}
	pthread_mutex_unlock(&mach_fd_lock);
	return fd;
}

/*
 * -EBADFD means our descriptor belongs to another process: we are a child
 * created without fork() (vfork, raw clone), so the atfork handler never ran.
 * Drop the stale state so the next call opens a fresh space.
 */
static void recover_foreign_fd(void)
{
	pthread_mutex_lock(&mach_fd_lock);
	if (atomic_load(&mach_fd) >= 0 && mach_fd_pid != getpid())
		forget_device_locked();
	pthread_mutex_unlock(&mach_fd_lock);
	/* After the unlock: the hook reopens the device. */
	if (_mach_fork_child_hook)
		_mach_fork_child_hook();
}

int _mach_ioctl(unsigned long request, void *arg, int retry_eintr)
{
	int fd = mach_device();
	int ret;

	if (fd < 0)
		return -1;
	do {
		ret = ioctl(fd, request, arg);
	} while (ret < 0 && errno == EINTR && retry_eintr);
	if (ret < 0 && errno == EBADFD) {
		recover_foreign_fd();
		errno = EBADFD;
	}
	return ret;
}

kern_return_t _mach_errno_to_kr(int err)
{
	switch (err) {
	case ENOENT:		/* no /dev/mach: module not loaded */
	case ENODEV:
	case ENXIO:
	case EBADFD:		/* descriptor from another process */
	case EBADF:
	case EACCES:
	case EPERM:
		/* No usable task port behind the name: what macOS says for a bad task. */
		return MACH_SEND_INVALID_DEST;
	case EFAULT:
		return KERN_INVALID_ADDRESS;
	case EINVAL:
		return KERN_INVALID_ARGUMENT;
	case ENOMEM:
	case EMFILE:
	case ENFILE:
		return KERN_RESOURCE_SHORTAGE;
	case ENOTTY:
	case EOPNOTSUPP:
		/* This kernel module does not know the request. */
		return MIG_BAD_ID;
	default:
		return KERN_FAILURE;
	}
}

kern_return_t _mach_port_call(unsigned long request, void *arg)
{
	int ret = _mach_ioctl(request, arg, 1);

	return ret < 0 ? _mach_errno_to_kr(errno) : (kern_return_t)ret;
}

MACH_EXPORT mach_port_name_t task_self_trap(void)
{
	__u32 name = 0;

	if (_mach_ioctl(MACH_IOC_TASK_SELF, &name, 1) != 0)
		return MACH_PORT_NULL;
	return name;
}

/*
 * Reached through the mach_task_self() macro while mach_task_self_ is
 * still MACH_PORT_NULL.  A failure (no device) is not cached, so a module
 * loaded later is picked up; every call fails cheaply until then.
 */
MACH_EXPORT mach_port_t _mach_task_self_slow(void)
{
	mach_port_t name = task_self_trap();

	if (name != MACH_PORT_NULL)
		mach_task_self_ = name;
	return name;
}
