/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names for kernel objects macOS gives every task: the host port, thread
 * ports and the clock services; and the calls made on them that need no
 * kernel help here (host_info, host_page_size, clock_get_time,
 * thread_switch, task_info, thread_info).
 *
 * Each such "kernel object" is a receive right libmach allocates and keeps
 * (once per process, or once per thread for thread ports).  Asking for it
 * returns that name with one more send user reference, as XNU's
 * host_self_trap/thread_self_trap do, so callers may deallocate what they
 * got.  A forked child has a new Mach space, so the names are forgotten at
 * fork and made again on first use.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <mach/clock.h>
#include <mach/thread_act.h>

#include "internal.h"

enum { KOBJ_HOST, KOBJ_CLOCK_SYSTEM, KOBJ_CLOCK_CALENDAR, KOBJ_COUNT };

static mach_port_t kobj_port[KOBJ_COUNT];
static pthread_mutex_t kobj_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t kobj_once = PTHREAD_ONCE_INIT;
/* Bumped in a forked child: thread-port names cached before it are stale. */
static atomic_uint kobj_epoch;
static pthread_key_t thread_port_key;

static __thread mach_port_t tls_thread_port;
static __thread unsigned int tls_thread_epoch;

/*
 * Live threads' port names, for pthread_mach_thread_np() on a thread other
 * than the caller.  A thread is listed from its first mach_thread_self()
 * (or pthread_mach_thread_np() on itself) until it exits.
 */
struct thread_entry {
	struct thread_entry	*next;
	pthread_t		thread;
	pid_t			tid;		/* Linux thread id */
	mach_port_t		name;
};
static struct thread_entry *thread_list;
static pthread_mutex_t thread_list_lock = PTHREAD_MUTEX_INITIALIZER;

static void thread_list_add(mach_port_t name)
{
	struct thread_entry *e = malloc(sizeof(*e));

	if (e == NULL)
		return;
	e->thread = pthread_self();
	e->tid = gettid();
	e->name = name;
	pthread_mutex_lock(&thread_list_lock);
	e->next = thread_list;
	thread_list = e;
	pthread_mutex_unlock(&thread_list_lock);
}

static void thread_list_remove(pthread_t thread)
{
	struct thread_entry **p, *gone = NULL;

	pthread_mutex_lock(&thread_list_lock);
	for (p = &thread_list; *p; p = &(*p)->next)
		if (pthread_equal((*p)->thread, thread)) {
			gone = *p;
			*p = gone->next;
			break;
		}
	pthread_mutex_unlock(&thread_list_lock);
	free(gone);
}

static void kobj_atfork_child(void)
{
	pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

	kobj_lock = fresh;
	for (int i = 0; i < KOBJ_COUNT; i++)
		kobj_port[i] = MACH_PORT_NULL;
	atomic_fetch_add(&kobj_epoch, 1);
	tls_thread_port = MACH_PORT_NULL;
	/* The other threads are gone and our names with them; the entries leak. */
	thread_list = NULL;
	thread_list_lock = fresh;
}

/*
 * At thread exit drop the receive right: the thread's port dies, and names
 * still holding send rights to it become dead names, as on macOS.
 */
static void thread_port_exit(void *value)
{
	mach_port_t name = (mach_port_t)(uintptr_t)value;

	if (name != MACH_PORT_NULL && name == tls_thread_port &&
	    tls_thread_epoch == atomic_load(&kobj_epoch))
		mach_port_mod_refs(mach_task_self(), name, MACH_PORT_RIGHT_RECEIVE, -1);
	tls_thread_port = MACH_PORT_NULL;
	thread_list_remove(pthread_self());
}

static void kobj_init(void)
{
	pthread_key_create(&thread_port_key, thread_port_exit);
	pthread_atfork(NULL, NULL, kobj_atfork_child);
}

/* One more send uref on our own receive right name. */
static kern_return_t add_send(mach_port_t name)
{
	return mach_port_insert_right(mach_task_self(), name, name,
				      MACH_MSG_TYPE_MAKE_SEND);
}

static mach_port_t new_kobject(void)
{
	mach_port_t name = MACH_PORT_NULL;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
			       &name) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	return name;
}

/* The process-wide object's name with a fresh send uref, or MACH_PORT_NULL. */
static mach_port_t kobj_get(int which)
{
	mach_port_t name;

	pthread_once(&kobj_once, kobj_init);
	pthread_mutex_lock(&kobj_lock);
	name = kobj_port[which];
	if (name == MACH_PORT_NULL || add_send(name) != KERN_SUCCESS) {
		/* First use, or the caller destroyed our right: make another. */
		name = new_kobject();
		if (name != MACH_PORT_NULL && add_send(name) != KERN_SUCCESS) {
			mach_port_destroy(mach_task_self(), name);
			name = MACH_PORT_NULL;
		}
		kobj_port[which] = name;
	}
	pthread_mutex_unlock(&kobj_lock);
	return name;
}

/* Does name denote object which (without adding a reference)? */
static bool kobj_is(mach_port_t name, int which)
{
	bool is;

	if (name == MACH_PORT_NULL)
		return false;
	pthread_mutex_lock(&kobj_lock);
	is = kobj_port[which] == name;
	pthread_mutex_unlock(&kobj_lock);
	return is;
}

/* What a MIG call to name answers when name is not the expected object. */
static kern_return_t not_kobject(mach_port_t name)
{
	mach_port_type_t type;

	if (!MACH_PORT_VALID(name) ||
	    mach_port_type(mach_task_self(), name, &type) != KERN_SUCCESS ||
	    !(type & MACH_PORT_TYPE_SEND))
		return MACH_SEND_INVALID_DEST;
	return KERN_INVALID_ARGUMENT;
}

bool _mach_kobject_name(mach_port_t name)
{
	struct thread_entry *e;
	bool is = false;

	if (!MACH_PORT_VALID(name))
		return false;
	pthread_mutex_lock(&kobj_lock);
	for (int i = 0; i < KOBJ_COUNT; i++)
		if (kobj_port[i] == name)
			is = true;
	pthread_mutex_unlock(&kobj_lock);
	if (is)
		return true;
	pthread_mutex_lock(&thread_list_lock);
	for (e = thread_list; e; e = e->next)
		if (e->name == name) {
			is = true;
			break;
		}
	pthread_mutex_unlock(&thread_list_lock);
	return is;
}

kern_return_t _mach_host_check(mach_port_t host)
{
	return kobj_is(host, KOBJ_HOST) ? KERN_SUCCESS : not_kobject(host);
}

MACH_EXPORT mach_port_t mach_host_self(void)
{
	return kobj_get(KOBJ_HOST);
}

MACH_EXPORT mach_port_name_t host_self_trap(void)
{
	return kobj_get(KOBJ_HOST);
}

MACH_EXPORT mach_port_t mach_thread_self(void)
{
	unsigned int epoch;

	pthread_once(&kobj_once, kobj_init);
	epoch = atomic_load(&kobj_epoch);
	if (tls_thread_port != MACH_PORT_NULL && tls_thread_epoch == epoch &&
	    add_send(tls_thread_port) == KERN_SUCCESS)
		return tls_thread_port;

	tls_thread_port = new_kobject();
	tls_thread_epoch = epoch;
	if (tls_thread_port == MACH_PORT_NULL)
		return MACH_PORT_NULL;
	if (add_send(tls_thread_port) != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), tls_thread_port);
		tls_thread_port = MACH_PORT_NULL;
		return MACH_PORT_NULL;
	}
	pthread_setspecific(thread_port_key, (void *)(uintptr_t)tls_thread_port);
	thread_list_remove(pthread_self());	/* a stale entry from before fork() */
	thread_list_add(tls_thread_port);
	return tls_thread_port;
}

/*
 * macOS's <pthread.h> extension: the thread's port name, without a new
 * reference (the thread keeps the right).  For the calling thread the port
 * is made if needed; another thread is known only once it has made its
 * port (called mach_thread_self() or this on itself), else MACH_PORT_NULL.
 */
MACH_EXPORT mach_port_t pthread_mach_thread_np(pthread_t thread)
{
	struct thread_entry *e;
	mach_port_t name = MACH_PORT_NULL;

	if (pthread_equal(thread, pthread_self())) {
		name = mach_thread_self();
		if (MACH_PORT_VALID(name))
			mach_port_deallocate(mach_task_self(), name);
		return name;
	}
	pthread_mutex_lock(&thread_list_lock);
	for (e = thread_list; e; e = e->next)
		if (pthread_equal(e->thread, thread)) {
			name = e->name;
			break;
		}
	pthread_mutex_unlock(&thread_list_lock);
	return name;
}

MACH_EXPORT mach_port_name_t thread_self_trap(void)
{
	return mach_thread_self();
}

/* --- host ---------------------------------------------------------------- */

MACH_EXPORT kern_return_t host_page_size(host_t host, vm_size_t *out_page_size)
{
	/* As in macOS's libsyscall, answered locally whatever host is. */
	(void)host;
	if (out_page_size == NULL)
		return KERN_INVALID_ADDRESS;
	*out_page_size = vm_page_size;
	return KERN_SUCCESS;
}

static void this_cpu_type(cpu_type_t *type, cpu_subtype_t *subtype)
{
#if defined(__x86_64__)
	*type = CPU_TYPE_X86_64;
	*subtype = CPU_SUBTYPE_X86_64_ALL;
#elif defined(__i386__)
	*type = CPU_TYPE_X86;
	*subtype = CPU_SUBTYPE_X86_ALL;
#elif defined(__aarch64__)
	*type = CPU_TYPE_ARM64;
	*subtype = CPU_SUBTYPE_ARM64_ALL;
#elif defined(__arm__)
	*type = CPU_TYPE_ARM;
	*subtype = CPU_SUBTYPE_ARM_ALL;
#else
	*type = CPU_TYPE_ANY;
	*subtype = CPU_SUBTYPE_MULTIPLE;
#endif
}

/* Physical cores: distinct (package, core) pairs in sysfs; 0 if unknown. */
static int physical_cores(int ncpu)
{
	unsigned long seen[256];
	int n = 0;

	for (int cpu = 0; cpu < ncpu && n < 256; cpu++) {
		char path[96];
		int pkg = 0, core = 0, dup = 0;
		FILE *f;

		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/topology/core_id", cpu);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fscanf(f, "%d", &core) != 1)
			core = cpu;
		fclose(f);
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", cpu);
		f = fopen(path, "re");
		if (f) {
			if (fscanf(f, "%d", &pkg) != 1)
				pkg = 0;
			fclose(f);
		}
		unsigned long key = ((unsigned long)(unsigned)pkg << 32) | (unsigned)core;
		for (int i = 0; i < n; i++)
			dup |= seen[i] == key;
		if (!dup)
			seen[n++] = key;
	}
	return n;
}

static kern_return_t host_basic(host_info_t out, mach_msg_type_number_t *count)
{
	struct host_basic_info info;
	struct sysinfo si;
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	long onln = sysconf(_SC_NPROCESSORS_ONLN);
	uint64_t mem = 0;
	mach_msg_type_number_t n;
	int phys;

	/* XNU's "old" structure is the first five fields. */
	if (*count < 5)
		return KERN_FAILURE;
	if (conf < 1)
		conf = 1;
	if (onln < 1)
		onln = conf;
	if (sysinfo(&si) == 0)
		mem = (uint64_t)si.totalram * si.mem_unit;
	memset(&info, 0, sizeof(info));
	info.max_cpus = (integer_t)conf;
	info.avail_cpus = (integer_t)onln;
	info.memory_size = mem > 0x80000000ull ? 0x80000000u : (natural_t)mem;
	this_cpu_type(&info.cpu_type, &info.cpu_subtype);
	info.cpu_threadtype = CPU_THREADTYPE_NONE;
	phys = physical_cores((int)conf);
	info.physical_cpu = phys > 0 && phys <= onln ? phys : (integer_t)onln;
	info.physical_cpu_max = phys > 0 ? phys : (integer_t)conf;
	info.logical_cpu = (integer_t)onln;
	info.logical_cpu_max = (integer_t)conf;
	info.max_mem = mem;
	n = *count >= HOST_BASIC_INFO_COUNT ? HOST_BASIC_INFO_COUNT : 5;
	memcpy(out, &info, n * sizeof(integer_t));
	*count = n;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
host_info(host_t host, host_flavor_t flavor, host_info_t host_info_out,
	  mach_msg_type_number_t *host_info_outCnt)
{
	if (!kobj_is(host, KOBJ_HOST))
		return not_kobject(host);
	if (host_info_out == NULL || host_info_outCnt == NULL)
		return KERN_INVALID_ADDRESS;

	switch (flavor) {
	case HOST_BASIC_INFO:
		return host_basic(host_info_out, host_info_outCnt);
	case HOST_SCHED_INFO: {
		struct host_sched_info si = { .min_timeout = 1, .min_quantum = 1 };
		long hz = sysconf(_SC_CLK_TCK);

		if (*host_info_outCnt < HOST_SCHED_INFO_COUNT)
			return KERN_FAILURE;
		if (hz > 0 && hz < 1000)
			si.min_timeout = si.min_quantum = (integer_t)(1000 / hz);
		memcpy(host_info_out, &si, sizeof(si));
		*host_info_outCnt = HOST_SCHED_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case HOST_PREFERRED_USER_ARCH: {
		struct host_preferred_user_arch ua;

		if (*host_info_outCnt < HOST_PREFERRED_USER_ARCH_COUNT)
			return KERN_FAILURE;
		this_cpu_type(&ua.cpu_type, &ua.cpu_subtype);
		memcpy(host_info_out, &ua, sizeof(ua));
		*host_info_outCnt = HOST_PREFERRED_USER_ARCH_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

MACH_EXPORT kern_return_t host_kernel_version(host_t host, kernel_version_t kernel_version)
{
	struct utsname u;

	if (!kobj_is(host, KOBJ_HOST))
		return not_kobject(host);
	if (kernel_version == NULL)
		return KERN_INVALID_ADDRESS;
	if (uname(&u) != 0)
		return KERN_FAILURE;
	snprintf(kernel_version, KERNEL_VERSION_MAX, "%s Kernel Version %s: %s; %s\n",
		 u.sysname, u.release, u.version, u.machine);
	return KERN_SUCCESS;
}

/* --- clocks -------------------------------------------------------------- */

MACH_EXPORT kern_return_t
host_get_clock_service(host_t host, clock_id_t clock_id, clock_serv_t *clock_serv)
{
	mach_port_t name;

	if (!kobj_is(host, KOBJ_HOST))
		return not_kobject(host);
	if (clock_serv == NULL)
		return KERN_INVALID_ADDRESS;
	if (clock_id != SYSTEM_CLOCK && clock_id != CALENDAR_CLOCK)
		return KERN_INVALID_ARGUMENT;
	name = kobj_get(clock_id == SYSTEM_CLOCK ? KOBJ_CLOCK_SYSTEM : KOBJ_CLOCK_CALENDAR);
	if (name == MACH_PORT_NULL)
		return KERN_RESOURCE_SHORTAGE;
	*clock_serv = name;
	return KERN_SUCCESS;
}

static int clock_which(clock_serv_t clock_serv, clockid_t *id)
{
	if (kobj_is(clock_serv, KOBJ_CLOCK_SYSTEM)) {
		*id = CLOCK_MONOTONIC;
		return 0;
	}
	if (kobj_is(clock_serv, KOBJ_CLOCK_CALENDAR)) {
		*id = CLOCK_REALTIME;
		return 0;
	}
	return -1;
}

MACH_EXPORT kern_return_t clock_get_time(clock_serv_t clock_serv, mach_timespec_t *cur_time)
{
	struct timespec ts;
	clockid_t id;

	if (clock_which(clock_serv, &id) != 0)
		return not_kobject(clock_serv);
	if (cur_time == NULL)
		return KERN_INVALID_ADDRESS;
	clock_gettime(id, &ts);
	cur_time->tv_sec = (unsigned int)ts.tv_sec;
	cur_time->tv_nsec = (clock_res_t)ts.tv_nsec;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
clock_get_attributes(clock_serv_t clock_serv, clock_flavor_t flavor,
		     clock_attr_t clock_attr, mach_msg_type_number_t *clock_attrCnt)
{
	struct timespec res;
	clockid_t id;

	if (clock_which(clock_serv, &id) != 0)
		return not_kobject(clock_serv);
	if (clock_attr == NULL || clock_attrCnt == NULL)
		return KERN_INVALID_ADDRESS;
	if (*clock_attrCnt < 1)
		return KERN_FAILURE;
	switch (flavor) {
	case CLOCK_GET_TIME_RES:
	case CLOCK_ALARM_CURRES:
	case CLOCK_ALARM_MINRES:
	case CLOCK_ALARM_MAXRES:
		clock_getres(id, &res);
		*clock_attr = (int)(res.tv_sec * 1000000000L + res.tv_nsec);
		*clock_attrCnt = 1;
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_VALUE;
	}
}

/*
 * clock_sleep_trap as XNU's: MACH_PORT_NULL means the system clock; a name
 * that is no clock is KERN_INVALID_ARGUMENT, the calendar clock (which
 * cannot sleep) KERN_FAILURE, a bad type or nanosecond field
 * KERN_INVALID_VALUE.  A time in the past returns at once; a signal ends
 * the sleep with KERN_ABORTED.  Unless the clock was refused, the time of
 * waking is written to *wakeup_time.
 */
MACH_EXPORT kern_return_t
clock_sleep_trap(mach_port_name_t clock_name, sleep_type_t sleep_type, int sleep_sec,
		 int sleep_nsec, mach_timespec_t *wakeup_time)
{
	mach_timespec_t when = { (unsigned int)sleep_sec, sleep_nsec }, now;
	kern_return_t kr = KERN_SUCCESS;
	struct timespec ts;
	clockid_t id = CLOCK_MONOTONIC;

	if (clock_name != MACH_PORT_NULL && clock_which(clock_name, &id) != 0)
		return KERN_INVALID_ARGUMENT;
	if (id != CLOCK_MONOTONIC)
		return KERN_FAILURE;
	if (BAD_ALRMTYPE(sleep_type) || BAD_MACH_TIMESPEC(&when))
		return KERN_INVALID_VALUE;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now.tv_sec = (unsigned int)ts.tv_sec;
	now.tv_nsec = (clock_res_t)ts.tv_nsec;
	if (sleep_type == TIME_RELATIVE)
		ADD_MACH_TIMESPEC(&when, &now);
	if (CMP_MACH_TIMESPEC(&when, &now) > 0) {
		struct timespec until = { .tv_sec = when.tv_sec, .tv_nsec = when.tv_nsec };

		if (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
			kr = KERN_ABORTED;
	}
	if (wakeup_time != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		wakeup_time->tv_sec = (unsigned int)ts.tv_sec;
		wakeup_time->tv_nsec = (clock_res_t)ts.tv_nsec;
	}
	return kr;
}

MACH_EXPORT kern_return_t
clock_sleep(mach_port_t clock_name, int sleep_type, mach_timespec_t sleep_time,
	    mach_timespec_t *wakeup_time)
{
	return clock_sleep_trap(clock_name, sleep_type, (int)sleep_time.tv_sec,
				sleep_time.tv_nsec, wakeup_time);
}

/* --- scheduling ---------------------------------------------------------- */

MACH_EXPORT boolean_t swtch_pri(int pri)
{
	(void)pri;
	sched_yield();
	return TRUE;
}

MACH_EXPORT boolean_t swtch(void)
{
	sched_yield();
	return TRUE;
}

MACH_EXPORT kern_return_t
thread_switch(mach_port_name_t thread_name, int option, mach_msg_timeout_t option_time)
{
	(void)thread_name;
	switch (option) {
	case SWITCH_OPTION_NONE:
		sched_yield();
		return KERN_SUCCESS;
	case SWITCH_OPTION_DEPRESS:
	case SWITCH_OPTION_WAIT:
	case SWITCH_OPTION_OSLOCK_DEPRESS:
	case SWITCH_OPTION_OSLOCK_WAIT:
		if (option_time == 0) {
			sched_yield();
		} else {
			struct timespec ts = {
				.tv_sec = option_time / 1000,
				.tv_nsec = (long)(option_time % 1000) * 1000000L,
			};
			nanosleep(&ts, NULL);
		}
		return KERN_SUCCESS;
	case SWITCH_OPTION_DISPATCH_CONTENTION:
		sched_yield();
		return KERN_SUCCESS;
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* --- task_info ----------------------------------------------------------- */

struct proc_usage {
	uint64_t vsize, rss, rss_max;	/* bytes */
	time_value_t user, sys;
};

static void tv_from_timeval(time_value_t *t, const struct timeval *tv)
{
	t->seconds = (integer_t)tv->tv_sec;
	t->microseconds = (integer_t)tv->tv_usec;
}

/* Clock ticks of /proc's stat files, in nanoseconds. */
static uint64_t ticks_ns(unsigned long long ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	if (hz <= 0)
		hz = 100;
	return ticks / (unsigned long long)hz * 1000000000ull +
	       ticks % (unsigned long long)hz * 1000000000ull / (unsigned long long)hz;
}

static void tv_from_ns(time_value_t *t, uint64_t ns)
{
	t->seconds = (integer_t)(ns / 1000000000ull);
	t->microseconds = (integer_t)(ns % 1000000000ull / 1000ull);
}

static void tv_from_ticks(time_value_t *t, unsigned long long ticks)
{
	tv_from_ns(t, ticks_ns(ticks));
}

static int read_usage(int pid, struct proc_usage *u)
{
	char path[64], buf[1024], *p;
	unsigned long long utime, stime, vsize;
	long long rss;
	size_t len;
	FILE *f;

	memset(u, 0, sizeof(*u));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	p = strrchr(buf, ')');		/* comm may hold spaces */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
			 "%*d %*d %*d %*d %*d %*d %*u %llu %lld",
			 &utime, &stime, &vsize, &rss) != 4)
		return -1;
	u->vsize = vsize;
	u->rss = (uint64_t)(rss > 0 ? rss : 0) * vm_page_size;
	tv_from_ticks(&u->user, utime);
	tv_from_ticks(&u->sys, stime);

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (f) {
		unsigned long long kb;

		while (fgets(buf, sizeof(buf), f))
			if (sscanf(buf, "VmHWM: %llu kB", &kb) == 1)
				u->rss_max = kb * 1024;
		fclose(f);
	}
	if (u->rss_max < u->rss)
		u->rss_max = u->rss;

	if (pid == getpid()) {
		struct rusage ru;

		if (getrusage(RUSAGE_SELF, &ru) == 0) {
			tv_from_timeval(&u->user, &ru.ru_utime);
			tv_from_timeval(&u->sys, &ru.ru_stime);
		}
	}
	return 0;
}

/*
 * The caller's audit token: the one the kernel writes in the audit trailer
 * of a message this task sends, so both always agree.
 */
static kern_return_t self_audit_token(audit_token_t *tok)
{
	struct {
		mach_msg_header_t	h;
		mach_msg_audit_trailer_t t;
		char			slack[64];
	} m;
	mach_port_t p;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p);
	if (kr != KERN_SUCCESS)
		return kr;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND_ONCE, 0);
	m.h.msgh_size = sizeof(m.h);
	m.h.msgh_remote_port = p;
	kr = mach_msg(&m.h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TIMEOUT |
		      MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
		      MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_AUDIT),
		      sizeof(m.h), sizeof(m), p, 0, MACH_PORT_NULL);
	if (kr == MACH_MSG_SUCCESS)
		*tok = m.t.msgh_audit;
	(void)mach_port_mod_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, -1);
	return kr == MACH_MSG_SUCCESS ? KERN_SUCCESS : KERN_FAILURE;
}

MACH_EXPORT kern_return_t
task_info(task_name_t target_task, task_flavor_t flavor, task_info_t task_info_out,
	  mach_msg_type_number_t *task_info_outCnt)
{
	struct proc_usage u;
	int pid;

	if (target_task == MACH_PORT_NULL)
		return MACH_SEND_INVALID_DEST;
	if (target_task == mach_task_self())
		pid = getpid();
	else if (pid_for_task(target_task, &pid) != KERN_SUCCESS)
		return not_kobject(target_task);
	if (task_info_out == NULL || task_info_outCnt == NULL)
		return KERN_INVALID_ADDRESS;

	switch (flavor) {
	case TASK_BASIC_INFO_32:
	case TASK_BASIC2_INFO_32: {
		struct task_basic_info_32 bi;

		if (*task_info_outCnt < TASK_BASIC_INFO_32_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (read_usage(pid, &u) != 0)
			return KERN_INVALID_ARGUMENT;
		memset(&bi, 0, sizeof(bi));
		bi.virtual_size = u.vsize > UINT32_MAX ? UINT32_MAX : (natural_t)u.vsize;
		bi.resident_size = (natural_t)(flavor == TASK_BASIC2_INFO_32 ? u.rss_max : u.rss);
		bi.user_time = u.user;
		bi.system_time = u.sys;
		bi.policy = POLICY_TIMESHARE;
		memcpy(task_info_out, &bi, sizeof(bi));
		*task_info_outCnt = TASK_BASIC_INFO_32_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_BASIC_INFO_64: {
		struct task_basic_info_64 bi;

		if (*task_info_outCnt < TASK_BASIC_INFO_64_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (read_usage(pid, &u) != 0)
			return KERN_INVALID_ARGUMENT;
		memset(&bi, 0, sizeof(bi));
		bi.virtual_size = u.vsize;
		bi.resident_size = u.rss;
		bi.user_time = u.user;
		bi.system_time = u.sys;
		bi.policy = POLICY_TIMESHARE;
		memcpy(task_info_out, &bi, sizeof(bi));
		*task_info_outCnt = TASK_BASIC_INFO_64_COUNT;
		return KERN_SUCCESS;
	}
	case MACH_TASK_BASIC_INFO: {
		struct mach_task_basic_info bi;

		if (*task_info_outCnt < MACH_TASK_BASIC_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (read_usage(pid, &u) != 0)
			return KERN_INVALID_ARGUMENT;
		memset(&bi, 0, sizeof(bi));
		bi.virtual_size = u.vsize;
		bi.resident_size = u.rss;
		bi.resident_size_max = u.rss_max;
		bi.user_time = u.user;
		bi.system_time = u.sys;
		bi.policy = POLICY_TIMESHARE;
		memcpy(task_info_out, &bi, sizeof(bi));
		*task_info_outCnt = MACH_TASK_BASIC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_THREAD_TIMES_INFO: {
		struct task_thread_times_info ti;

		if (*task_info_outCnt < TASK_THREAD_TIMES_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (read_usage(pid, &u) != 0)
			return KERN_INVALID_ARGUMENT;
		ti.user_time = u.user;
		ti.system_time = u.sys;
		memcpy(task_info_out, &ti, sizeof(ti));
		*task_info_outCnt = TASK_THREAD_TIMES_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case TASK_AUDIT_TOKEN: {
		audit_token_t tok;
		kern_return_t kr;

		if (*task_info_outCnt < TASK_AUDIT_TOKEN_COUNT)
			return KERN_INVALID_ARGUMENT;
		/* Only the caller's own token can be read from user space. */
		if (pid != getpid())
			return KERN_INVALID_ARGUMENT;
		kr = self_audit_token(&tok);
		if (kr != KERN_SUCCESS)
			return kr;
		memcpy(task_info_out, &tok, sizeof(tok));
		*task_info_outCnt = TASK_AUDIT_TOKEN_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/* --- threads ------------------------------------------------------------- */

/* The thread a live thread port name stands for. */
static bool thread_by_name(mach_port_t name, pid_t *tid, pthread_t *thread)
{
	struct thread_entry *e;
	bool found = false;

	if (name == MACH_PORT_NULL)
		return false;
	pthread_mutex_lock(&thread_list_lock);
	for (e = thread_list; e; e = e->next)
		if (e->name == name) {
			*tid = e->tid;
			*thread = e->thread;
			found = true;
			break;
		}
	pthread_mutex_unlock(&thread_list_lock);
	return found;
}

struct thread_usage {
	uint64_t user_ns, sys_ns;
	integer_t run_state, cpu_usage;
	int nice;
};

/* /proc/self/task/TID/stat: state, times, nice and start time. */
static int read_thread_usage(pid_t tid, struct thread_usage *u)
{
	unsigned long long utime, stime, start;
	char path[64], buf[1024], *p, state;
	struct timespec boot;
	long long nice;
	uint64_t alive;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	p = strrchr(buf, ')');		/* comm may hold spaces */
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
			 "%*d %*d %*d %lld %*d %*d %llu",
			 &state, &utime, &stime, &nice, &start) != 5)
		return -1;
	u->user_ns = ticks_ns(utime);
	u->sys_ns = ticks_ns(stime);
	u->nice = (int)nice;
	switch (state) {
	case 'R':
		u->run_state = TH_STATE_RUNNING;
		break;
	case 'D':
		u->run_state = TH_STATE_UNINTERRUPTIBLE;
		break;
	case 'T':
	case 't':
		u->run_state = TH_STATE_STOPPED;
		break;
	default:
		u->run_state = TH_STATE_WAITING;
		break;
	}
	/* the share of one CPU since the thread started, in TH_USAGE_SCALE */
	u->cpu_usage = 0;
	if (clock_gettime(CLOCK_BOOTTIME, &boot) == 0) {
		uint64_t now = (uint64_t)boot.tv_sec * 1000000000ull + (uint64_t)boot.tv_nsec;

		alive = now > ticks_ns(start) ? now - ticks_ns(start) : 0;
		if (alive > 0) {
			uint64_t use = (u->user_ns + u->sys_ns) * TH_USAGE_SCALE / alive;

			u->cpu_usage = (integer_t)(use > TH_USAGE_SCALE ? TH_USAGE_SCALE : use);
		}
	}
	/* our own thread: getrusage is finer than clock ticks */
	if (tid == gettid()) {
		struct rusage ru;

		if (getrusage(RUSAGE_THREAD, &ru) == 0) {
			u->user_ns = (uint64_t)ru.ru_utime.tv_sec * 1000000000ull +
				     (uint64_t)ru.ru_utime.tv_usec * 1000ull;
			u->sys_ns = (uint64_t)ru.ru_stime.tv_sec * 1000000000ull +
				    (uint64_t)ru.ru_stime.tv_usec * 1000ull;
		}
		u->run_state = TH_STATE_RUNNING;
	}
	return 0;
}

static policy_t thread_policy_of(pid_t tid)
{
	switch (sched_getscheduler(tid)) {
	case SCHED_FIFO:
		return POLICY_FIFO;
	case SCHED_RR:
		return POLICY_RR;
	default:
		return POLICY_TIMESHARE;
	}
}

MACH_EXPORT kern_return_t
thread_info(thread_inspect_t target_act, thread_flavor_t flavor,
	    thread_info_t thread_info_out, mach_msg_type_number_t *thread_info_outCnt)
{
	struct thread_usage u;
	pthread_t thread;
	pid_t tid;

	if (!thread_by_name(target_act, &tid, &thread))
		return not_kobject(target_act);
	if (thread_info_out == NULL || thread_info_outCnt == NULL)
		return KERN_INVALID_ADDRESS;

	switch (flavor) {
	case THREAD_BASIC_INFO: {
		struct thread_basic_info bi;

		if (*thread_info_outCnt < THREAD_BASIC_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (read_thread_usage(tid, &u) != 0)
			return KERN_TERMINATED;
		memset(&bi, 0, sizeof(bi));
		tv_from_ns(&bi.user_time, u.user_ns);
		tv_from_ns(&bi.system_time, u.sys_ns);
		bi.cpu_usage = u.cpu_usage;
		bi.policy = thread_policy_of(tid);
		bi.run_state = u.run_state;
		memcpy(thread_info_out, &bi, sizeof(bi));
		*thread_info_outCnt = THREAD_BASIC_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case THREAD_IDENTIFIER_INFO: {
		struct thread_identifier_info ii;

		if (*thread_info_outCnt < THREAD_IDENTIFIER_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		memset(&ii, 0, sizeof(ii));
		ii.thread_id = (uint64_t)tid;
		ii.thread_handle = (uint64_t)(uintptr_t)thread;
		memcpy(thread_info_out, &ii, sizeof(ii));
		*thread_info_outCnt = THREAD_IDENTIFIER_INFO_COUNT;
		return KERN_SUCCESS;
	}
	case THREAD_EXTENDED_INFO: {
		struct thread_extended_info ei;
		char path[64];
		FILE *f;

		if (*thread_info_outCnt < THREAD_EXTENDED_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
		if (read_thread_usage(tid, &u) != 0)
			return KERN_TERMINATED;
		memset(&ei, 0, sizeof(ei));
		ei.pth_user_time = u.user_ns;
		ei.pth_system_time = u.sys_ns;
		ei.pth_cpu_usage = u.cpu_usage;
		ei.pth_policy = thread_policy_of(tid);
		ei.pth_run_state = u.run_state;
		/* macOS's default priority is 31 of 0..63; nice moves it */
		ei.pth_priority = 31 - u.nice;
		ei.pth_curpri = ei.pth_priority;
		ei.pth_maxpriority = 63;
		snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int)tid);
		f = fopen(path, "re");
		if (f) {
			if (fgets(ei.pth_name, sizeof(ei.pth_name), f))
				ei.pth_name[strcspn(ei.pth_name, "\n")] = '\0';
			fclose(f);
		}
		memcpy(thread_info_out, &ei, sizeof(ei));
		*thread_info_outCnt = THREAD_EXTENDED_INFO_COUNT;
		return KERN_SUCCESS;
	}
	default:
		return KERN_INVALID_ARGUMENT;
	}
}
