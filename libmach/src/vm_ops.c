/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vm_read, vm_read_overwrite, vm_write, vm_copy, vm_protect and vm_region,
 * with their mach_vm_* forms, on our own task or on another one named by
 * its task port (task_for_pid).
 *
 * Memory moves with process_vm_readv/process_vm_writev, which fault
 * safely, also on ourselves (or through /proc/PID/mem where the kernel
 * has no process_vm_*).  When a transfer fails, /proc/PID/maps tells
 * which of XNU's answers applies: KERN_INVALID_ADDRESS for a hole in the
 * range, KERN_PROTECTION_FAILURE for a mapping without the access needed
 * (vm_map_copyin, vm_map_copy_overwrite).  As in XNU the data to write is
 * taken first (a snapshot; an unreadable source of vm_write is
 * MACH_SEND_INVALID_MEMORY, the error of the MIG message that carries it
 * on macOS), then the whole destination is checked, then written.  The
 * exception is vm_read_overwrite, which reads straight into the caller's
 * buffer: when the source faults part way, that buffer may have been
 * partly written before the call fails with XNU's code.
 *
 * vm_protect works on our own task only: Linux cannot change another
 * process's mappings (KERN_NOT_SUPPORTED).  Linux has no maximum
 * protection either, so libmach keeps the ones lowered with set_maximum in
 * a table of ranges: later calls through libmach are held to them, and
 * vm_allocate/vm_deallocate forget them.  mprotect(2) called directly, or
 * memory unmapped behind libmach's back, is not seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

#define VM_PROT_VALID	(VM_PROT_ALL | VM_PROT_COPY)

/* --- whose memory -------------------------------------------------------- */

/* The process behind target: ourselves, or the one its task port names. */
static kern_return_t vm_target_pid(vm_map_t target, pid_t *pid)
{
	int p = -1;

	if (target == mach_task_self()) {
		*pid = getpid();
		return KERN_SUCCESS;
	}
	if (!MACH_PORT_VALID(target) || pid_for_task(target, &p) != KERN_SUCCESS ||
	    p <= 0)
		return MACH_SEND_INVALID_DEST;
	*pid = p;
	return KERN_SUCCESS;
}

/*
 * Check [start, end) of pid's address space for a mapping allowing 'need'
 * ('r' or 'w'), in address order as XNU walks its map entries.
 */
static kern_return_t maps_check(pid_t pid, uint64_t start, uint64_t end, char need)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	uint64_t at = start;
	kern_return_t kr = KERN_INVALID_ADDRESS;
	FILE *f;

	if (start >= end)
		return KERN_SUCCESS;
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return errno == ENOENT ? MACH_SEND_INVALID_DEST : KERN_PROTECTION_FAILURE;
	while (getline(&line, &cap, f) > 0) {
		uint64_t lo, hi;
		char perms[8];

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s", &lo, &hi, perms) != 3)
			continue;
		if (hi <= at)
			continue;
		if (lo > at)
			break;			/* a hole at 'at' */
		if ((need == 'r' && perms[0] != 'r') || (need == 'w' && perms[1] != 'w')) {
			kr = KERN_PROTECTION_FAILURE;
			break;
		}
		at = hi;
		if (at >= end) {
			kr = KERN_SUCCESS;
			break;
		}
	}
	free(line);
	fclose(f);
	return kr;
}

/* Kernels built without CONFIG_CROSS_MEMORY_ATTACH have no process_vm_*. */
static atomic_bool no_process_vm;

/*
 * The same through /proc/PID/mem.  That file ignores page protections (the
 * kernel reads and writes there as a debugger does), so the range of pid
 * is checked against its mappings first; our own buffer is reached as any
 * user buffer is, and faults.
 */
static bool mem_xfer(pid_t pid, bool to_remote, void *local, uint64_t remote, size_t len)
{
	char path[64];
	size_t done = 0;
	int fd;

	if (remote > INT64_MAX || len > INT64_MAX - remote ||
	    maps_check(pid, remote, remote + len, to_remote ? 'w' : 'r') != KERN_SUCCESS) {
		errno = EFAULT;
		return false;
	}
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, (to_remote ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (done < len) {
		ssize_t n = to_remote ?
			pwrite(fd, (char *)local + done, len - done, (off_t)(remote + done)) :
			pread(fd, (char *)local + done, len - done, (off_t)(remote + done));

		if (n <= 0) {
			if (n == 0)
				errno = EFAULT;
			break;
		}
		done += (size_t)n;
	}
	close(fd);
	return done == len;
}

/* Move len bytes between our 'local' and pid's 'remote'; false on a fault. */
static bool vm_xfer(pid_t pid, bool to_remote, void *local, uint64_t remote, size_t len)
{
	size_t done = 0;

	if (atomic_load(&no_process_vm))
		return mem_xfer(pid, to_remote, local, remote, len);
	while (done < len) {
		struct iovec l = { (char *)local + done, len - done };
		struct iovec r = { (void *)(uintptr_t)(remote + done), len - done };
		ssize_t n = to_remote ? process_vm_writev(pid, &l, 1, &r, 1, 0) :
					process_vm_readv(pid, &l, 1, &r, 1, 0);

		if (n < 0 && errno == ENOSYS && done == 0) {
			atomic_store(&no_process_vm, true);
			return mem_xfer(pid, to_remote, local, remote, len);
		}
		if (n <= 0)
			return false;
		done += (size_t)n;
	}
	return true;
}

/* Why did a transfer touching pid's [addr, addr+len) fail? */
static kern_return_t xfer_error(pid_t pid, uint64_t addr, uint64_t len, char need)
{
	int err = errno;
	kern_return_t kr = maps_check(pid, addr, addr + len, need);

	if (kr != KERN_SUCCESS)
		return kr;
	switch (err) {
	case ESRCH:
		return MACH_SEND_INVALID_DEST;	/* the task is gone */
	case EPERM:
		return KERN_PROTECTION_FAILURE;
	case ENOMEM:
		return KERN_RESOURCE_SHORTAGE;
	default:
		return KERN_INVALID_ADDRESS;	/* a mapping that cannot be read */
	}
}

/* Scratch memory for a snapshot (munmap'd by the caller). */
static void *scratch(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Copy pid's [addr, addr+len) into buf, with XNU's vm_map_copyin codes. */
static kern_return_t copyin_range(pid_t pid, uint64_t addr, uint64_t len, void *buf)
{
	if (addr + len < addr)
		return KERN_INVALID_ADDRESS;
	if (vm_xfer(pid, false, buf, addr, (size_t)len))
		return KERN_SUCCESS;
	return xfer_error(pid, addr, len, 'r');
}

/* Overwrite pid's [addr, addr+len) with buf (vm_map_copy_overwrite). */
static kern_return_t overwrite_range(pid_t pid, uint64_t addr, uint64_t len, void *buf)
{
	kern_return_t kr;

	if (addr + len < addr)
		return KERN_INVALID_ADDRESS;
	/* the whole destination first, so a refused write writes nothing */
	kr = maps_check(pid, addr, addr + len, 'w');
	if (kr != KERN_SUCCESS)
		return kr;
	if (vm_xfer(pid, true, buf, addr, (size_t)len))
		return KERN_SUCCESS;
	return xfer_error(pid, addr, len, 'w');
}

/* --- read ---------------------------------------------------------------- */

/* vm_read: a fresh copy, at the source's offset within its first page. */
static kern_return_t vm_read_common(vm_map_t target, uint64_t addr, uint64_t size,
				    vm_offset_t *data, mach_msg_type_number_t *count)
{
	uint64_t mask = vm_page_mask, off, len;
	kern_return_t kr;
	pid_t pid;
	char *buf;

	kr = vm_target_pid(target, &pid);
	if (kr != KERN_SUCCESS)
		return kr;
	if (data == NULL || count == NULL)
		return KERN_INVALID_ADDRESS;
	if (size > UINT32_MAX)
		return KERN_INVALID_ARGUMENT;	/* the count would not hold it */
	if (size == 0) {
		*data = 0;
		*count = 0;
		return KERN_SUCCESS;
	}
	if (addr + size < addr)
		return KERN_INVALID_ADDRESS;
	off = addr & mask;
	len = (off + size + mask) & ~mask;
	buf = _mach_pages_alloc((size_t)len);
	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = copyin_range(pid, addr, size, buf + off);
	if (kr != KERN_SUCCESS) {
		_mach_pages_free(buf, (size_t)len);
		return kr;
	}
	*data = (vm_offset_t)(uintptr_t)(buf + off);
	*count = (mach_msg_type_number_t)size;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
mach_vm_read(vm_map_read_t target_task, mach_vm_address_t address,
	     mach_vm_size_t size, vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	return vm_read_common(target_task, address, size, data, dataCnt);
}

MACH_EXPORT kern_return_t
vm_read(vm_map_read_t target_task, vm_address_t address, vm_size_t size,
	vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	return vm_read_common(target_task, address, size, data, dataCnt);
}

/* vm_read_overwrite: into our own memory at 'data'. */
static kern_return_t vm_read_over(vm_map_t target, uint64_t addr, uint64_t size,
				  uint64_t data, uint64_t *outsize)
{
	kern_return_t kr;
	pid_t pid;
	void *buf;

	kr = vm_target_pid(target, &pid);
	if (kr != KERN_SUCCESS)
		return kr;
	if (outsize == NULL)
		return KERN_INVALID_ADDRESS;
	if (size == 0) {
		*outsize = 0;
		return KERN_SUCCESS;
	}
	if (addr + size < addr || size > SIZE_MAX)
		return KERN_INVALID_ADDRESS;
	/* fast path: straight into the destination */
	if (data + size >= data &&
	    vm_xfer(pid, false, (void *)(uintptr_t)data, addr, (size_t)size)) {
		*outsize = size;
		return KERN_SUCCESS;
	}
	/* a fault: find out which side, source first, as XNU does */
	buf = scratch((size_t)size);
	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	kr = copyin_range(pid, addr, size, buf);
	if (kr == KERN_SUCCESS)
		kr = overwrite_range(getpid(), data, size, buf);
	munmap(buf, (size_t)size);
	if (kr == KERN_SUCCESS)
		*outsize = size;
	return kr;
}

MACH_EXPORT kern_return_t
mach_vm_read_overwrite(vm_map_read_t target_task, mach_vm_address_t address,
		       mach_vm_size_t size, mach_vm_address_t data,
		       mach_vm_size_t *outsize)
{
	return vm_read_over(target_task, address, size, data, outsize);
}

MACH_EXPORT kern_return_t
vm_read_overwrite(vm_map_read_t target_task, vm_address_t address, vm_size_t size,
		  vm_address_t data, vm_size_t *outsize)
{
	uint64_t out = 0;
	kern_return_t kr;

	if (outsize == NULL)
		return KERN_INVALID_ADDRESS;
	kr = vm_read_over(target_task, address, size, data, &out);
	if (kr == KERN_SUCCESS)
		*outsize = (vm_size_t)out;
	return kr;
}

/* --- write, copy --------------------------------------------------------- */

static kern_return_t vm_write_common(vm_map_t target, uint64_t addr, vm_offset_t data,
				     mach_msg_type_number_t count)
{
	kern_return_t kr;
	pid_t pid;
	void *buf;

	kr = vm_target_pid(target, &pid);
	if (kr != KERN_SUCCESS)
		return kr;
	if (count == 0)
		return KERN_SUCCESS;
	buf = scratch(count);
	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	/* the MIG request carries data out of line: it must be readable */
	if (!vm_xfer(getpid(), false, buf, data, count))
		kr = MACH_SEND_INVALID_MEMORY;
	else
		kr = overwrite_range(pid, addr, count, buf);
	munmap(buf, count);
	return kr;
}

MACH_EXPORT kern_return_t
mach_vm_write(vm_map_t target_task, mach_vm_address_t address, vm_offset_t data,
	      mach_msg_type_number_t dataCnt)
{
	return vm_write_common(target_task, address, data, dataCnt);
}

MACH_EXPORT kern_return_t
vm_write(vm_map_t target_task, vm_address_t address, vm_offset_t data,
	 mach_msg_type_number_t dataCnt)
{
	return vm_write_common(target_task, address, data, dataCnt);
}

static kern_return_t vm_copy_common(vm_map_t target, uint64_t src, uint64_t size,
				    uint64_t dst)
{
	kern_return_t kr;
	pid_t pid;
	void *buf;

	kr = vm_target_pid(target, &pid);
	if (kr != KERN_SUCCESS)
		return kr;
	if (size == 0)
		return KERN_SUCCESS;
	if (src + size < src || size > SIZE_MAX)
		return KERN_INVALID_ADDRESS;
	buf = scratch((size_t)size);
	if (buf == NULL)
		return KERN_RESOURCE_SHORTAGE;
	/* a snapshot of the source: overlapping ranges copy as memmove */
	kr = copyin_range(pid, src, size, buf);
	if (kr == KERN_SUCCESS)
		kr = overwrite_range(pid, dst, size, buf);
	munmap(buf, (size_t)size);
	return kr;
}

MACH_EXPORT kern_return_t
mach_vm_copy(vm_map_t target_task, mach_vm_address_t source_address,
	     mach_vm_size_t size, mach_vm_address_t dest_address)
{
	return vm_copy_common(target_task, source_address, size, dest_address);
}

MACH_EXPORT kern_return_t
vm_copy(vm_map_t target_task, vm_address_t source_address, vm_size_t size,
	vm_address_t dest_address)
{
	return vm_copy_common(target_task, source_address, size, dest_address);
}

/* --- maximum protections ------------------------------------------------- */

/* Ranges whose maximum protection is below VM_PROT_ALL, sorted, disjoint. */
struct max_range {
	uint64_t start, end;
	vm_prot_t max;
};

static struct max_range *max_ranges;
static size_t max_count, max_cap;
static pthread_mutex_t max_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t max_once = PTHREAD_ONCE_INIT;

static void max_atfork_child(void)
{
	pthread_mutex_t fresh = PTHREAD_MUTEX_INITIALIZER;

	max_lock = fresh;
}

static void max_init(void)
{
	pthread_atfork(NULL, NULL, max_atfork_child);
}

static bool max_reserve(size_t n)
{
	struct max_range *grown;
	size_t cap;

	if (n <= max_cap)
		return true;
	cap = max_cap ? max_cap * 2 : 16;
	while (cap < n)
		cap *= 2;
	grown = realloc(max_ranges, cap * sizeof(*grown));
	if (grown == NULL)
		return false;
	max_ranges = grown;
	max_cap = cap;
	return true;
}

/* Forget [start, end), splitting ranges that stick out.  Lock held. */
static bool max_cut(uint64_t start, uint64_t end)
{
	size_t i = 0;

	while (i < max_count) {
		struct max_range *r = &max_ranges[i];

		if (r->end <= start || r->start >= end) {
			i++;
		} else if (r->start < start && r->end > end) {
			/* split in two around the hole */
			if (!max_reserve(max_count + 1))
				return false;
			r = &max_ranges[i];
			memmove(r + 1, r, (max_count - i) * sizeof(*r));
			max_count++;
			r->end = start;
			r[1].start = end;
			i += 2;
		} else if (r->start < start) {
			r->end = start;
			i++;
		} else if (r->end > end) {
			r->start = end;
			i++;
		} else {
			memmove(r, r + 1, (max_count - i - 1) * sizeof(*r));
			max_count--;
		}
	}
	return true;
}

void _mach_vm_max_forget(uint64_t start, uint64_t end)
{
	/* the common case: nothing was ever lowered */
	if (__atomic_load_n(&max_count, __ATOMIC_RELAXED) == 0)
		return;
	pthread_mutex_lock(&max_lock);
	max_cut(start, end);
	pthread_mutex_unlock(&max_lock);
}

/* Record max for [start, end).  Lock held. */
static bool max_set(uint64_t start, uint64_t end, vm_prot_t max)
{
	size_t i;

	if (!max_cut(start, end))
		return false;
	if (max == VM_PROT_ALL)
		return true;
	if (!max_reserve(max_count + 1))
		return false;
	for (i = 0; i < max_count && max_ranges[i].start < start; i++)
		;
	memmove(&max_ranges[i + 1], &max_ranges[i], (max_count - i) * sizeof(max_ranges[0]));
	max_ranges[i] = (struct max_range){ start, end, max };
	max_count++;
	return true;
}

int _mach_vm_max_record(uint64_t start, uint64_t end, vm_prot_t max)
{
	bool ok;

	pthread_once(&max_once, max_init);
	pthread_mutex_lock(&max_lock);
	ok = max_set(start, end, max);
	pthread_mutex_unlock(&max_lock);
	return ok;
}

/* VM_PROT_COPY: add write to the maximum of [start, end).  Lock held. */
static bool max_add_write(uint64_t start, uint64_t end)
{
	size_t i = 0;

	while (i < max_count) {
		struct max_range r = max_ranges[i];

		if (r.end <= start || r.start >= end || (r.max & VM_PROT_WRITE)) {
			i++;
			continue;
		}
		r.start = r.start < start ? start : r.start;
		r.end = r.end > end ? end : r.end;
		if (!max_set(r.start, r.end, r.max | VM_PROT_WRITE))
			return false;
		i = 0;	/* the table changed: look again from the start */
	}
	return true;
}

/* Does every part of [start, end) allow prot?  Lock held. */
static bool max_allows(uint64_t start, uint64_t end, vm_prot_t prot)
{
	for (size_t i = 0; i < max_count; i++) {
		const struct max_range *r = &max_ranges[i];

		if (r->end > start && r->start < end && (prot & r->max) != prot)
			return false;
	}
	return true;
}

/* --- protect ------------------------------------------------------------- */

static int linux_prot(vm_prot_t prot)
{
	return ((prot & VM_PROT_READ) ? PROT_READ : 0) |
	       ((prot & VM_PROT_WRITE) ? PROT_WRITE : 0) |
	       ((prot & VM_PROT_EXECUTE) ? PROT_EXEC : 0);
}

static kern_return_t mprotect_error(int err)
{
	switch (err) {
	case ENOMEM:
		return KERN_INVALID_ADDRESS;
	case EACCES:
		return KERN_PROTECTION_FAILURE;	/* e.g. a read-only file */
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

/*
 * set_maximum: the current protection of each mapping in [start, end)
 * becomes (current & prot), read from /proc/self/maps.
 */
static kern_return_t lower_current(uint64_t start, uint64_t end, vm_prot_t prot)
{
	char *line = NULL;
	size_t cap = 0;
	kern_return_t kr = KERN_SUCCESS;
	FILE *f = fopen("/proc/self/maps", "re");

	if (f == NULL)
		return KERN_FAILURE;
	while (kr == KERN_SUCCESS && getline(&line, &cap, f) > 0) {
		uint64_t lo, hi;
		char perms[8];
		vm_prot_t cur;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s", &lo, &hi, perms) != 3)
			continue;
		if (hi <= start || lo >= end)
			continue;
		lo = lo < start ? start : lo;
		hi = hi > end ? end : hi;
		cur = (perms[0] == 'r' ? VM_PROT_READ : 0) |
		      (perms[1] == 'w' ? VM_PROT_WRITE : 0) |
		      (perms[2] == 'x' ? VM_PROT_EXECUTE : 0);
		if ((cur & prot) != cur &&
		    mprotect((void *)(uintptr_t)lo, (size_t)(hi - lo),
			     linux_prot(cur & prot)) != 0)
			kr = mprotect_error(errno);
	}
	free(line);
	fclose(f);
	return kr;
}

static kern_return_t vm_protect_common(vm_map_t target, uint64_t addr, uint64_t size,
				       boolean_t set_maximum, vm_prot_t prot)
{
	uint64_t mask = vm_page_mask, start, end;
	vm_prot_t want = prot & ~VM_PROT_COPY;
	kern_return_t kr;
	pid_t pid;

	kr = vm_target_pid(target, &pid);
	if (kr != KERN_SUCCESS)
		return kr;
	if (addr + size < addr || (prot & ~VM_PROT_VALID))
		return KERN_INVALID_ARGUMENT;
	if (size == 0)
		return KERN_SUCCESS;
	if (pid != getpid())
		return KERN_NOT_SUPPORTED;	/* no remote mprotect on Linux */
	if (addr + size > UINT64_MAX - mask || addr + size + mask > UINTPTR_MAX)
		return KERN_INVALID_ADDRESS;
	start = addr & ~mask;
	end = (addr + size + mask) & ~mask;
	/* vm_map_protect: any hole fails the call before anything changes */
	if (msync((void *)(uintptr_t)start, (size_t)(end - start), MS_ASYNC) != 0)
		return errno == ENOMEM ? KERN_INVALID_ADDRESS : KERN_INVALID_ARGUMENT;

	pthread_once(&max_once, max_init);
	pthread_mutex_lock(&max_lock);
	/* VM_PROT_COPY asks for a private copy, which adds write to the max */
	if (!max_allows(start, end, want & ~((prot & VM_PROT_COPY) ? VM_PROT_WRITE : 0))) {
		kr = KERN_PROTECTION_FAILURE;
	} else if (set_maximum) {
		kr = lower_current(start, end, want);
		if (kr == KERN_SUCCESS && !max_set(start, end, want))
			kr = KERN_RESOURCE_SHORTAGE;
	} else if (prot & VM_PROT_COPY) {
		if (mprotect((void *)(uintptr_t)start, (size_t)(end - start),
			     linux_prot(want)) != 0)
			kr = mprotect_error(errno);
		else if (!max_add_write(start, end))
			kr = KERN_RESOURCE_SHORTAGE;
	} else if (mprotect((void *)(uintptr_t)start, (size_t)(end - start),
			    linux_prot(want)) != 0) {
		kr = mprotect_error(errno);
	}
	pthread_mutex_unlock(&max_lock);
	return kr;
}

MACH_EXPORT kern_return_t
mach_vm_protect(vm_map_t target_task, mach_vm_address_t address, mach_vm_size_t size,
		boolean_t set_maximum, vm_prot_t new_protection)
{
	return vm_protect_common(target_task, address, size, set_maximum, new_protection);
}

MACH_EXPORT kern_return_t
vm_protect(vm_map_t target_task, vm_address_t address, vm_size_t size,
	   boolean_t set_maximum, vm_prot_t new_protection)
{
	return vm_protect_common(target_task, address, size, set_maximum, new_protection);
}

/* --- regions ------------------------------------------------------------- */

/* One region as vm_map_region reports it. */
struct region {
	uint64_t start, end, offset;
	vm_prot_t prot, max;
	bool shared;
};

/* Where user space ends on x86_64 and arm64 (48-bit); [vsyscall] is above. */
#define USER_VA_END	0x800000000000ull

/* The first mapping of pid that ends above addr, from /proc/PID/maps. */
static kern_return_t region_find(pid_t pid, uint64_t addr, struct region *r)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	kern_return_t kr = KERN_INVALID_ADDRESS;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return errno == ENOENT ? MACH_SEND_INVALID_DEST : KERN_INVALID_ARGUMENT;
	while (getline(&line, &cap, f) > 0) {
		uint64_t lo, hi, off;
		char perms[8];

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64,
			   &lo, &hi, perms, &off) != 4)
			continue;
		if (hi <= addr)
			continue;
		if (lo >= USER_VA_END)
			break;
		r->start = lo;
		r->end = hi;
		r->offset = off;
		r->prot = (perms[0] == 'r' ? VM_PROT_READ : 0) |
			  (perms[1] == 'w' ? VM_PROT_WRITE : 0) |
			  (perms[2] == 'x' ? VM_PROT_EXECUTE : 0);
		r->max = VM_PROT_ALL;
		r->shared = perms[3] == 's';
		kr = KERN_SUCCESS;
		break;
	}
	free(line);
	fclose(f);
	return kr;
}

/*
 * XNU keeps a maximum protection per map entry, so a part of a mapping
 * whose maximum was lowered is a region of its own: cut r down to the
 * part around 'at' whose maximum is the same.
 */
static void region_split_max(struct region *r, uint64_t at)
{
	uint64_t start = r->start, end = r->end;

	if (__atomic_load_n(&max_count, __ATOMIC_RELAXED) == 0)
		return;
	pthread_once(&max_once, max_init);
	pthread_mutex_lock(&max_lock);
	for (size_t i = 0; i < max_count; i++) {
		const struct max_range *m = &max_ranges[i];

		if (m->end <= start || m->start >= end)
			continue;
		if (m->start <= at && m->end > at) {
			r->max = m->max;
			start = m->start > start ? m->start : start;
			end = m->end < end ? m->end : end;
		} else if (m->end <= at) {
			start = m->end > start ? m->end : start;
		} else {
			end = m->start < end ? m->start : end;
		}
	}
	pthread_mutex_unlock(&max_lock);
	r->offset += start - r->start;
	r->start = start;
	r->end = end;
}

static kern_return_t vm_region_common(vm_map_read_t target, uint64_t *address,
				      uint64_t *size, vm_region_flavor_t flavor,
				      vm_region_info_t info,
				      mach_msg_type_number_t *count,
				      mach_port_t *object_name, bool wide)
{
	struct region r;
	kern_return_t kr;
	pid_t pid;

	kr = vm_target_pid(target, &pid);
	if (kr != KERN_SUCCESS)
		return kr;
	if (address == NULL || size == NULL || info == NULL || count == NULL)
		return KERN_INVALID_ARGUMENT;
	/* mach_vm_region and vm_region_64 take the old flavor for the new */
	if (wide && flavor == VM_REGION_BASIC_INFO)
		flavor = VM_REGION_BASIC_INFO_64;
	if (flavor == VM_REGION_BASIC_INFO_64) {
		if (*count < VM_REGION_BASIC_INFO_COUNT_64)
			return KERN_INVALID_ARGUMENT;
	} else if (flavor == VM_REGION_BASIC_INFO) {
		if (*count < VM_REGION_BASIC_INFO_COUNT)
			return KERN_INVALID_ARGUMENT;
	} else {
		return KERN_INVALID_ARGUMENT;
	}

	kr = region_find(pid, *address, &r);
	if (kr != KERN_SUCCESS)
		return kr;
	if (pid == getpid())
		region_split_max(&r, *address > r.start ? *address : r.start);

	if (flavor == VM_REGION_BASIC_INFO_64) {
		vm_region_basic_info_data_64_t bi;

		memset(&bi, 0, sizeof(bi));
		bi.protection = r.prot;
		bi.max_protection = r.max;
		bi.inheritance = r.shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
		bi.shared = r.shared;
		bi.offset = r.offset;
		bi.behavior = VM_BEHAVIOR_DEFAULT;
		memcpy(info, &bi, sizeof(bi));
		*count = VM_REGION_BASIC_INFO_COUNT_64;
	} else {
		vm_region_basic_info_data_t bi;

		memset(&bi, 0, sizeof(bi));
		bi.protection = r.prot;
		bi.max_protection = r.max;
		bi.inheritance = r.shared ? VM_INHERIT_SHARE : VM_INHERIT_COPY;
		bi.shared = r.shared;
		bi.offset = (uint32_t)r.offset;
		bi.behavior = VM_BEHAVIOR_DEFAULT;
		memcpy(info, &bi, sizeof(bi));
		*count = VM_REGION_BASIC_INFO_COUNT;
	}
	*address = r.start;
	*size = r.end - r.start;
	if (object_name != NULL)
		*object_name = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
mach_vm_region(vm_map_read_t target_task, mach_vm_address_t *address,
	       mach_vm_size_t *size, vm_region_flavor_t flavor,
	       vm_region_info_t info, mach_msg_type_number_t *infoCnt,
	       mach_port_t *object_name)
{
	return vm_region_common(target_task, address, size, flavor, info,
				infoCnt, object_name, true);
}

static kern_return_t vm_region_narrow(vm_map_read_t target, vm_address_t *address,
				      vm_size_t *size, vm_region_flavor_t flavor,
				      vm_region_info_t info,
				      mach_msg_type_number_t *count,
				      mach_port_t *object_name, bool wide)
{
	uint64_t a, s = 0;
	kern_return_t kr;

	if (address == NULL || size == NULL)
		return KERN_INVALID_ARGUMENT;
	a = *address;
	kr = vm_region_common(target, &a, &s, flavor, info, count, object_name, wide);
	if (kr == KERN_SUCCESS) {
		*address = (vm_address_t)a;
		*size = (vm_size_t)s;
	}
	return kr;
}

MACH_EXPORT kern_return_t
vm_region_64(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
	     vm_region_flavor_t flavor, vm_region_info_t info,
	     mach_msg_type_number_t *infoCnt, mach_port_t *object_name)
{
	return vm_region_narrow(target_task, address, size, flavor, info, infoCnt,
				object_name, true);
}

MACH_EXPORT kern_return_t
vm_region(vm_map_read_t target_task, vm_address_t *address, vm_size_t *size,
	  vm_region_flavor_t flavor, vm_region_info_t info,
	  mach_msg_type_number_t *infoCnt, mach_port_t *object_name)
{
	return vm_region_narrow(target_task, address, size, flavor, info, infoCnt,
				object_name, false);
}
