// SPDX-License-Identifier: GPL-2.0
/*
 * linux_abi - the raw ioctls behind mach_port_fd, fileports and memory
 * entries (<linux/mach.h>): must-be-zero fields give EINVAL, and an
 * argument block the kernel can read but not write back gives EFAULT and
 * leaves nothing behind: no descriptor, no name, no file reference, no
 * mapping.  (The caller cannot learn what was made, so nothing may stay.)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dev_util.h"

struct raw {
	int dev;
	__u32 task;
};

static bool raw_open(struct raw *r)
{
	r->dev = dev_open_ok();
	return expect_true(r->dev >= 0, "open /dev/mach") &&
	       expect_eq(0, ioctl(r->dev, MACH_IOC_TASK_SELF, &r->task), "TASK_SELF");
}

/* A receive right in the raw space. */
static __u32 raw_port(struct raw *r)
{
	struct mach_port_right_args a = { .task = r->task, .right = 1 /* RECEIVE */ };

	if (!expect_eq(0, ioctl(r->dev, MACH_IOC_PORT_ALLOCATE, &a), "PORT_ALLOCATE"))
		return 0;
	return a.name;
}

/* Names in the raw space. */
static int raw_names(struct raw *r)
{
	struct mach_port_names_args a = { .task = r->task };

	if (!expect_eq(0, ioctl(r->dev, MACH_IOC_PORT_NAMES, &a), "PORT_NAMES"))
		return -1;
	return (int)a.count;
}

static int fd_count(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

/* Lines of /proc/self/maps that name a memory-entry mapping. */
static int entry_mappings(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n += strstr(line, "mach_memory_entry") != NULL;
	fclose(f);
	return n;
}

/* A page the kernel can read but not write: the args go there. */
static void *ro_copy(const void *args, size_t len)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memcpy(p, args, len);
	mprotect(p, 4096, PROT_READ);
	return p;
}

static void port_fd(void)
{
	struct raw r;
	struct mach_port_fd_args a, *ro;
	int before;

	assert_true(raw_open(&r), "raw space");
	a = (struct mach_port_fd_args){ .task = r.task, .name = raw_port(&r) };
	a.flags = O_APPEND;
	expect_errno(ioctl(r.dev, MACH_IOC_PORT_FD, &a), EINVAL, "unknown flags");
	a.flags = 0;
	before = fd_count();
	ro = ro_copy(&a, sizeof(a));
	assert_true(ro != NULL, "read-only args");
	expect_errno(ioctl(r.dev, MACH_IOC_PORT_FD, ro), EFAULT, "fd cannot be written back");
	expect_eq(before, fd_count(), "no descriptor left behind");
	expect_eq(0, ioctl(r.dev, MACH_IOC_PORT_FD, &a), "the same call, writable");
	expect_eq(before + 1, fd_count(), "one descriptor");
	close(a.fd);
	close(r.dev);
}

static void fileports(void)
{
	struct mach_fileport_args a = { 0 }, *ro;
	struct pollfd p;
	int pfd[2], names, before;
	struct raw r;

	assert_true(raw_open(&r), "raw space");
	assert_eq(0, pipe(pfd), "pipe");
	a.fd = pfd[1];
	a.reserved = 1;
	expect_errno(ioctl(r.dev, MACH_IOC_FILEPORT_MAKEPORT, &a), EINVAL, "reserved set");
	a.reserved = 0;
	a.flags = 1;
	expect_errno(ioctl(r.dev, MACH_IOC_FILEPORT_MAKEPORT, &a), EINVAL, "flags set");
	a.flags = 0;

	names = raw_names(&r);
	ro = ro_copy(&a, sizeof(a));
	assert_true(ro != NULL, "read-only args");
	expect_errno(ioctl(r.dev, MACH_IOC_FILEPORT_MAKEPORT, ro), EFAULT,
		     "the name cannot be written back");
	expect_eq(names, raw_names(&r), "no name left behind");
	close(pfd[1]);
	p = (struct pollfd){ .fd = pfd[0], .events = POLLIN };
	expect_eq(1, poll(&p, 1, 5000), "the write end is gone");
	expect_true(p.revents & POLLHUP, "no reference to the file kept");

	/* makefd whose fd cannot be written back: no descriptor */
	a = (struct mach_fileport_args){ .fd = pfd[0] };
	assert_eq(0, ioctl(r.dev, MACH_IOC_FILEPORT_MAKEPORT, &a), "a fileport");
	a.fd = -1;
	before = fd_count();
	munmap(ro, 4096);
	ro = ro_copy(&a, sizeof(a));
	assert_true(ro != NULL, "read-only args");
	expect_errno(ioctl(r.dev, MACH_IOC_FILEPORT_MAKEFD, ro), EFAULT,
		     "the fd cannot be written back");
	expect_eq(before, fd_count(), "no descriptor left behind");
	close(pfd[0]);
	close(r.dev);
}

static void memory_entries(void)
{
	struct mach_memory_entry_args e, *ero;
	struct mach_vm_map_args m, *mro;
	int names, maps;
	struct raw r;

	assert_true(raw_open(&r), "raw space");
	e = (struct mach_memory_entry_args){
		.task = r.task, .permission = 0x020003 /* NAMED_CREATE | RW */,
		.size = 8192,
	};
	e.flags = 1;
	expect_errno(ioctl(r.dev, MACH_IOC_MAKE_MEMORY_ENTRY, &e), EINVAL, "flags set");
	e.flags = 0;
	e.reserved = 1;
	expect_errno(ioctl(r.dev, MACH_IOC_MAKE_MEMORY_ENTRY, &e), EINVAL, "reserved set");
	e.reserved = 0;
	names = raw_names(&r);
	ero = ro_copy(&e, sizeof(e));
	assert_true(ero != NULL, "read-only args");
	expect_errno(ioctl(r.dev, MACH_IOC_MAKE_MEMORY_ENTRY, ero), EFAULT,
		     "the handle cannot be written back");
	expect_eq(names, raw_names(&r), "no name left behind");
	assert_eq(0, ioctl(r.dev, MACH_IOC_MAKE_MEMORY_ENTRY, &e), "an entry");
	expect_eq(names + 1, raw_names(&r), "one name");

	m = (struct mach_vm_map_args){
		.task = r.task, .object = e.handle, .size = 8192, .vm_flags = 1,
		.cur_prot = 3, .max_prot = 3, .inheritance = 1,
	};
	m.mask = 0xfff;
	expect_errno(ioctl(r.dev, MACH_IOC_VM_MAP, &m), EINVAL, "a mask: libmach's job");
	m.mask = 0;
	m.copy = 2;
	expect_errno(ioctl(r.dev, MACH_IOC_VM_MAP, &m), EINVAL, "copy is a boolean");
	m.copy = 0;
	m.flags = 1;
	expect_errno(ioctl(r.dev, MACH_IOC_VM_MAP, &m), EINVAL, "flags set");
	m.flags = 0;
	maps = entry_mappings();
	mro = ro_copy(&m, sizeof(m));
	assert_true(mro != NULL, "read-only args");
	expect_errno(ioctl(r.dev, MACH_IOC_VM_MAP, mro), EFAULT,
		     "the address cannot be written back");
	expect_eq(maps, entry_mappings(), "no mapping left behind");
	expect_eq(0, ioctl(r.dev, MACH_IOC_VM_MAP, &m), "the same call, writable");
	expect_eq(maps + 1, entry_mappings(), "one mapping");
	munmap((void *)(uintptr_t)m.address, 8192);
	close(r.dev);
}

static const struct mt_case cases[] = {
	MT_CASE(port_fd),
	MT_CASE(fileports),
	MT_CASE(memory_entries),
};

int main(void)
{
	return MT_RUN(cases);
}
