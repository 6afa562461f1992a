/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host_statistics and host_statistics64, from /proc.  The flavors, the
 * counts accepted (older, shorter structures included) and the codes are
 * XNU's (osfmk/kern/host.c): a count too small for the oldest revision is
 * KERN_FAILURE, an unknown flavor KERN_INVALID_ARGUMENT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* One "Name: value" (meminfo, kB) or "name value" (vmstat) per line. */
struct proc_field {
	const char *name;
	uint64_t value;
};

static void read_fields(const char *path, struct proc_field *f, size_t n)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *fp = fopen(path, "re");

	if (fp == NULL)
		return;
	while (getline(&line, &cap, fp) > 0) {
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(f[i].name);

			if (strncmp(line, f[i].name, len) == 0 &&
			    (line[len] == ':' || line[len] == ' ')) {
				f[i].value = strtoull(line + len + 1, NULL, 10);
				break;
			}
		}
	}
	free(line);
	fclose(fp);
}

enum {
	M_FREE, M_ACTIVE, M_INACTIVE, M_UNEVICTABLE, M_KSTACK, M_PTABLES,
	M_SUNRECLAIM, M_ANON_A, M_ANON_I, M_FILE_A, M_FILE_I, M_ZSWAP,
	M_ZSWAPPED, M_COUNT
};
enum { V_FAULT, V_MAJFAULT, V_ACTIVATE, V_PSWPIN, V_PSWPOUT, V_ZIN, V_ZOUT, V_COUNT };

static void vm_stats(vm_statistics64_data_t *s)
{
	struct proc_field m[M_COUNT] = {
		[M_FREE] = { "MemFree" }, [M_ACTIVE] = { "Active" },
		[M_INACTIVE] = { "Inactive" }, [M_UNEVICTABLE] = { "Unevictable" },
		[M_KSTACK] = { "KernelStack" }, [M_PTABLES] = { "PageTables" },
		[M_SUNRECLAIM] = { "SUnreclaim" }, [M_ANON_A] = { "Active(anon)" },
		[M_ANON_I] = { "Inactive(anon)" }, [M_FILE_A] = { "Active(file)" },
		[M_FILE_I] = { "Inactive(file)" }, [M_ZSWAP] = { "Zswap" },
		[M_ZSWAPPED] = { "Zswapped" },
	};
	struct proc_field v[V_COUNT] = {
		[V_FAULT] = { "pgfault" }, [V_MAJFAULT] = { "pgmajfault" },
		[V_ACTIVATE] = { "pgactivate" }, [V_PSWPIN] = { "pswpin" },
		[V_PSWPOUT] = { "pswpout" }, [V_ZIN] = { "zswpin" },
		[V_ZOUT] = { "zswpout" },
	};
	uint64_t kb_per_page = vm_page_size / 1024;

	read_fields("/proc/meminfo", m, M_COUNT);
	read_fields("/proc/vmstat", v, V_COUNT);
	if (kb_per_page == 0)
		kb_per_page = 1;
#define PAGES(x) ((natural_t)((x) / kb_per_page))
	memset(s, 0, sizeof(*s));
	s->free_count = PAGES(m[M_FREE].value);
	s->active_count = PAGES(m[M_ACTIVE].value);
	s->inactive_count = PAGES(m[M_INACTIVE].value);
	s->wire_count = PAGES(m[M_UNEVICTABLE].value + m[M_KSTACK].value +
			      m[M_PTABLES].value + m[M_SUNRECLAIM].value);
	s->faults = v[V_FAULT].value;
	s->pageins = v[V_MAJFAULT].value;
	s->zero_fill_count = v[V_FAULT].value - v[V_MAJFAULT].value;
	s->reactivations = v[V_ACTIVATE].value;
	s->pageouts = v[V_PSWPOUT].value;
	s->decompressions = v[V_ZIN].value;
	s->compressions = v[V_ZOUT].value;
	s->swapins = v[V_PSWPIN].value;
	s->swapouts = v[V_PSWPOUT].value;
	s->compressor_page_count = PAGES(m[M_ZSWAP].value);
	s->total_uncompressed_pages_in_compressor = PAGES(m[M_ZSWAPPED].value);
	s->internal_page_count = PAGES(m[M_ANON_A].value + m[M_ANON_I].value);
	s->external_page_count = PAGES(m[M_FILE_A].value + m[M_FILE_I].value);
#undef PAGES
}

/* XNU's VM_STATISTICS_TRUNCATE_TO_32_BIT */
static natural_t trunc32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (natural_t)v;
}

static kern_return_t vm_info(host_info_t out, mach_msg_type_number_t *count)
{
	mach_msg_type_number_t asked = *count;
	vm_statistics64_data_t s64;
	vm_statistics_data_t s;

	if (asked < HOST_VM_INFO_REV0_COUNT)
		return KERN_FAILURE;
	vm_stats(&s64);
	memset(&s, 0, sizeof(s));
	s.free_count = s64.free_count;
	s.active_count = s64.active_count;
	s.inactive_count = s64.inactive_count;
	s.wire_count = s64.wire_count;
	s.zero_fill_count = trunc32(s64.zero_fill_count);
	s.reactivations = trunc32(s64.reactivations);
	s.pageins = trunc32(s64.pageins);
	s.pageouts = trunc32(s64.pageouts);
	s.faults = trunc32(s64.faults);
	/* only what the caller's revision of the structure holds */
	*count = HOST_VM_INFO_REV0_COUNT;
	if (asked >= HOST_VM_INFO_REV1_COUNT)
		*count = HOST_VM_INFO_REV1_COUNT;
	if (asked >= HOST_VM_INFO_REV2_COUNT)
		*count = HOST_VM_INFO_REV2_COUNT;
	memcpy(out, &s, *count * sizeof(integer_t));
	return KERN_SUCCESS;
}

static kern_return_t cpu_load(host_info_t out, mach_msg_type_number_t *count)
{
	unsigned long long user = 0, nice = 0, sys = 0, idle = 0, iowait = 0;
	unsigned long long irq = 0, softirq = 0;
	host_cpu_load_info_data_t info;
	FILE *fp;

	if (*count < HOST_CPU_LOAD_INFO_COUNT)
		return KERN_FAILURE;
	fp = fopen("/proc/stat", "re");
	if (fp != NULL) {
		if (fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
			   &sys, &idle, &iowait, &irq, &softirq) < 4)
			user = nice = sys = idle = iowait = irq = softirq = 0;
		fclose(fp);
	}
	info.cpu_ticks[CPU_STATE_USER] = (natural_t)user;
	info.cpu_ticks[CPU_STATE_SYSTEM] = (natural_t)(sys + irq + softirq);
	info.cpu_ticks[CPU_STATE_IDLE] = (natural_t)(idle + iowait);
	info.cpu_ticks[CPU_STATE_NICE] = (natural_t)nice;
	memcpy(out, &info, sizeof(info));
	*count = HOST_CPU_LOAD_INFO_COUNT;
	return KERN_SUCCESS;
}

static kern_return_t load_info(host_info_t out, mach_msg_type_number_t *count)
{
	double avg[3] = { 0, 0, 0 };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	host_load_info_data_t info;
	FILE *fp;

	if (*count < HOST_LOAD_INFO_COUNT)
		return KERN_FAILURE;
	fp = fopen("/proc/loadavg", "re");
	if (fp != NULL) {
		if (fscanf(fp, "%lf %lf %lf", &avg[0], &avg[1], &avg[2]) != 3)
			avg[0] = avg[1] = avg[2] = 0;
		fclose(fp);
	}
	if (ncpu < 1)
		ncpu = 1;
	for (int i = 0; i < 3; i++) {
		double idle = (double)ncpu - avg[i];

		info.avenrun[i] = (integer_t)(avg[i] * LOAD_SCALE);
		/* the mach factor: processors left over for a new thread */
		info.mach_factor[i] = idle > 0 ? (integer_t)(idle * LOAD_SCALE) : 0;
	}
	memcpy(out, &info, sizeof(info));
	*count = HOST_LOAD_INFO_COUNT;
	return KERN_SUCCESS;
}

MACH_EXPORT kern_return_t
host_statistics(host_t host_priv, host_flavor_t flavor, host_info_t host_info_out,
		mach_msg_type_number_t *host_info_outCnt)
{
	kern_return_t kr = _mach_host_check(host_priv);

	if (kr != KERN_SUCCESS)
		return kr;
	if (host_info_out == NULL || host_info_outCnt == NULL)
		return KERN_INVALID_ADDRESS;
	switch (flavor) {
	case HOST_LOAD_INFO:
		return load_info(host_info_out, host_info_outCnt);
	case HOST_VM_INFO:
		return vm_info(host_info_out, host_info_outCnt);
	case HOST_CPU_LOAD_INFO:
		return cpu_load(host_info_out, host_info_outCnt);
	default:
		return KERN_INVALID_ARGUMENT;
	}
}

MACH_EXPORT kern_return_t
host_statistics64(host_t host_priv, host_flavor_t flavor, host_info64_t host_info64_out,
		  mach_msg_type_number_t *host_info64_outCnt)
{
	vm_statistics64_data_t s;
	kern_return_t kr = _mach_host_check(host_priv);
	mach_msg_type_number_t asked;

	if (kr != KERN_SUCCESS)
		return kr;
	if (host_info64_out == NULL || host_info64_outCnt == NULL)
		return KERN_INVALID_ADDRESS;
	asked = *host_info64_outCnt;
	switch (flavor) {
	case HOST_VM_INFO64:
		if (asked < HOST_VM_INFO64_REV0_COUNT)
			return KERN_FAILURE;
		vm_stats(&s);
		*host_info64_outCnt = asked >= HOST_VM_INFO64_REV1_COUNT ?
				      HOST_VM_INFO64_REV1_COUNT : HOST_VM_INFO64_REV0_COUNT;
		memcpy(host_info64_out, &s, *host_info64_outCnt * sizeof(integer_t));
		return KERN_SUCCESS;
	case HOST_EXTMOD_INFO64:
		if (asked < HOST_EXTMOD_INFO64_COUNT)
			return KERN_FAILURE;
		/* task_for_pid and thread creation from outside: not counted */
		memset(host_info64_out, 0, sizeof(vm_extmod_statistics_data_t));
		*host_info64_outCnt = HOST_EXTMOD_INFO64_COUNT;
		return KERN_SUCCESS;
	case HOST_LOAD_INFO:
	case HOST_VM_INFO:
	case HOST_CPU_LOAD_INFO:
		return host_statistics(host_priv, flavor, host_info64_out, host_info64_outCnt);
	default:
		return KERN_INVALID_ARGUMENT;
	}
}
