// SPDX-License-Identifier: GPL-2.0
/*
 * fake_mach.c - the port routines, vm_deallocate and mach_msg as the
 * harnesses need them (see fake_mach.h).  Rules a real task would enforce
 * are enforced here too; rules the code under test must keep (give back
 * only memory it was given) stop the run through fake_fail().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_mach.h"

mach_port_t mach_task_self_ = FAKE_SELF;
vm_size_t vm_page_size = 4096;
vm_size_t vm_page_mask = 4095;
fake_msg_fn fake_msg;
int fake_reply_put, fake_reply_dealloc;

static struct fake_name names[FAKE_NAMES];
static unsigned int nnames;
static mach_port_name_t next_name;

struct region {
	uintptr_t start, end;
};
static struct region regions[256];
static unsigned int nregions, nfreed;

void fake_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "fake_mach: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

void fake_reset(void)
{
	memset(names, 0, sizeof(names));
	nnames = 0;
	nregions = nfreed = 0;
	next_name = 0x10003;	/* names we make: far from any a harness picks */
	fake_reply_put = fake_reply_dealloc = 0;
	fake_add(FAKE_SELF, MACH_PORT_TYPE_SEND, 1);
}

struct fake_name *fake_find(mach_port_name_t name)
{
	for (unsigned int i = 0; i < nnames; i++)
		if (names[i].name == name && names[i].type)
			return &names[i];
	return NULL;
}

struct fake_name *fake_entry(mach_port_name_t name)
{
	struct fake_name *found = NULL;

	for (unsigned int i = 0; i < nnames; i++)
		if (names[i].name == name)
			found = &names[i];
	return found;
}

struct fake_name *fake_add(mach_port_name_t name, mach_port_type_t type, int urefs)
{
	struct fake_name *n = fake_find(name);

	if (!MACH_PORT_VALID(name))
		return NULL;
	if (!n) {
		if (nnames == FAKE_NAMES)
			return NULL;
		n = &names[nnames++];
		memset(n, 0, sizeof(*n));
		n->name = name;
	}
	n->type |= type;
	if (type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE | MACH_PORT_TYPE_DEAD_NAME)) {
		n->urefs += urefs;
		n->acquired += urefs;
	}
	if (type & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET))
		n->acquired++;
	return n;
}

static mach_port_name_t new_name(mach_port_type_t type)
{
	mach_port_name_t name = next_name;

	next_name += 0x100;
	fake_add(name, type, type & MACH_PORT_TYPE_RECEIVE ? 0 : 1);
	return name;
}

void fake_check_ledger(void)
{
	for (unsigned int i = 0; i < nnames; i++)
		if (names[i].released - names[i].made > names[i].acquired)
			fake_fail("0x%x given up %d times, held %d", names[i].name,
				  names[i].released - names[i].made, names[i].acquired);
}

void fake_region_add(const void *addr, size_t size)
{
	if (nregions == sizeof(regions) / sizeof(regions[0]))
		fake_fail("more than %u regions: a harness bug", nregions);
	regions[nregions++] = (struct region){ (uintptr_t)addr, (uintptr_t)addr + size };
}

void fake_region_del(const void *addr)
{
	for (unsigned int i = 0; i < nregions; i++)
		if (regions[i].start == (uintptr_t)addr) {
			regions[i] = regions[--nregions];
			return;
		}
}

unsigned int fake_regions_freed(void)
{
	return nfreed;
}

static kern_return_t give_back(uintptr_t addr, uint64_t size)
{
	for (unsigned int i = 0; i < nregions; i++)
		if (addr >= regions[i].start && addr + size <= regions[i].end &&
		    addr + size >= addr) {
			nfreed++;
			return KERN_SUCCESS;
		}
	fake_fail("vm_deallocate(0x%lx, %llu): memory the message never held",
		  (unsigned long)addr, (unsigned long long)size);
}

/* --- the routines --------------------------------------------------------- */

mach_port_t _mach_task_self_slow(void)
{
	return FAKE_SELF;
}

kern_return_t mach_port_type(ipc_space_t task, mach_port_name_t name, mach_port_type_t *type)
{
	struct fake_name *n = fake_find(name);

	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!n)
		return KERN_INVALID_NAME;
	*type = n->type;
	return KERN_SUCCESS;
}

kern_return_t mach_port_allocate(ipc_space_t task, mach_port_right_t right,
				 mach_port_name_t *name)
{
	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (right != MACH_PORT_RIGHT_RECEIVE && right != MACH_PORT_RIGHT_PORT_SET &&
	    right != MACH_PORT_RIGHT_DEAD_NAME)
		return KERN_INVALID_VALUE;
	*name = new_name(MACH_PORT_TYPE(right));
	return KERN_SUCCESS;
}

/* The code under test gives up a right (or a reference) it holds. */
static void give_up(struct fake_name *n)
{
	if (n->gone)
		fake_fail("0x%x given up after a send moved it away", n->name);
	n->released++;
}

/* One reference of a send, send-once or dead name goes. */
static void drop_uref(struct fake_name *n)
{
	give_up(n);
	n->urefs--;
	if (n->urefs <= 0) {
		n->urefs = 0;
		n->type &= MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET;
	}
}

kern_return_t mach_port_deallocate(ipc_space_t task, mach_port_name_t name)
{
	struct fake_name *n = fake_find(name);

	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!n)
		return KERN_INVALID_NAME;
	if (!(n->type & (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_SEND_ONCE |
			 MACH_PORT_TYPE_DEAD_NAME)))
		return KERN_INVALID_RIGHT;
	drop_uref(n);
	return KERN_SUCCESS;
}

kern_return_t mach_port_mod_refs(ipc_space_t task, mach_port_name_t name,
				 mach_port_right_t right, mach_port_delta_t delta)
{
	struct fake_name *n = fake_find(name);

	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!n)
		return KERN_INVALID_NAME;
	if (right == MACH_PORT_RIGHT_RECEIVE || right == MACH_PORT_RIGHT_PORT_SET) {
		mach_port_type_t t = MACH_PORT_TYPE(right);

		if (!(n->type & t))
			return KERN_INVALID_RIGHT;
		if (delta == 0)
			return KERN_SUCCESS;
		if (delta != -1)
			return KERN_INVALID_VALUE;
		n->type &= ~t;
		give_up(n);
		return KERN_SUCCESS;
	}
	if (!(n->type & MACH_PORT_TYPE(right)))
		return KERN_INVALID_RIGHT;
	if (delta < 0 && -delta > n->urefs)
		return KERN_INVALID_VALUE;
	for (; delta < 0; delta++)
		drop_uref(n);
	n->urefs += delta;
	return KERN_SUCCESS;
}

kern_return_t mach_port_insert_right(ipc_space_t task, mach_port_name_t name, mach_port_t poly,
				     mach_msg_type_name_t disp)
{
	struct fake_name *n = fake_find(poly);

	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!n || (disp == MACH_MSG_TYPE_MAKE_SEND && !(n->type & MACH_PORT_TYPE_RECEIVE)))
		return KERN_INVALID_RIGHT;
	if (disp != MACH_MSG_TYPE_MAKE_SEND || name != poly)
		return KERN_INVALID_VALUE;	/* all the harnesses' code ever asks */
	n->type |= MACH_PORT_TYPE_SEND;
	n->urefs++;
	n->made++;
	return KERN_SUCCESS;
}

kern_return_t mach_port_extract_right(ipc_space_t task, mach_port_name_t name,
				      mach_msg_type_name_t disp, mach_port_t *poly,
				      mach_msg_type_name_t *got)
{
	struct fake_name *n = fake_find(name);

	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!n)
		return KERN_INVALID_NAME;
	if (disp != MACH_MSG_TYPE_MAKE_SEND_ONCE || !(n->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	n->made++;
	*poly = new_name(MACH_PORT_TYPE_SEND_ONCE);
	*got = MACH_MSG_TYPE_PORT_SEND_ONCE;
	return KERN_SUCCESS;
}

kern_return_t mach_port_destruct(ipc_space_t task, mach_port_name_t name,
				 mach_port_delta_t srdelta, mach_port_context_t guard)
{
	struct fake_name *n = fake_find(name);

	(void)srdelta;
	(void)guard;
	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!n)
		return KERN_INVALID_NAME;
	if (!(n->type & MACH_PORT_TYPE_RECEIVE))
		return KERN_INVALID_RIGHT;
	n->type &= ~MACH_PORT_TYPE_RECEIVE;
	give_up(n);
	return KERN_SUCCESS;
}

kern_return_t mach_port_request_notification(ipc_space_t task, mach_port_name_t name,
					     mach_msg_id_t msgid, mach_port_mscount_t sync,
					     mach_port_t notify, mach_msg_type_name_t notify_poly,
					     mach_port_t *previous)
{
	(void)msgid;
	(void)sync;
	(void)notify;
	(void)notify_poly;
	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	if (!fake_find(name))
		return KERN_INVALID_NAME;
	*previous = MACH_PORT_NULL;
	return KERN_SUCCESS;
}

kern_return_t mach_vm_deallocate(vm_map_t task, mach_vm_address_t addr, mach_vm_size_t size)
{
	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	return give_back((uintptr_t)addr, size);
}

kern_return_t vm_deallocate(vm_map_t task, vm_address_t addr, vm_size_t size)
{
	return mach_vm_deallocate(task, addr, size);
}

kern_return_t vm_allocate(vm_map_t task, vm_address_t *addr, vm_size_t size, int flags)
{
	void *p;

	(void)flags;
	if (task != FAKE_SELF)
		return MACH_SEND_INVALID_DEST;
	p = calloc(1, size ? size : 1);
	if (!p)
		return KERN_RESOURCE_SHORTAGE;
	fake_region_add(p, size);
	*addr = (vm_address_t)p;
	return KERN_SUCCESS;
}

void *_mach_pages_alloc(size_t size)
{
	void *p = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);

	if (p)
		memset(p, 0, size);
	return p;
}

void _mach_pages_free(void *addr, size_t size)
{
	(void)size;
	free(addr);
}

mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	(void)timeout;
	(void)notify;
	if (!fake_msg)
		fake_fail("mach_msg called, but this harness sends nothing");
	return fake_msg(msg, option, send_size, rcv_size, rcv_name, msg);
}

mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg, mach_msg_option_t option,
				     mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				     mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				     mach_port_name_t notify, mach_msg_header_t *rcv_msg,
				     mach_msg_size_t rcv_limit)
{
	(void)timeout;
	(void)notify;
	(void)rcv_limit;
	if (!fake_msg)
		fake_fail("mach_msg_overwrite called, but this harness sends nothing");
	return fake_msg(msg, option, send_size, rcv_size, rcv_name, rcv_msg ? rcv_msg : msg);
}

mach_port_t mig_get_reply_port(void)
{
	return FAKE_REPLY_PORT;
}

void mig_put_reply_port(mach_port_t reply)
{
	if (reply != FAKE_REPLY_PORT)
		fake_fail("mig_put_reply_port(0x%x): not the reply port handed out", reply);
	fake_reply_put++;
}

void mig_dealloc_reply_port(mach_port_t reply)
{
	if (reply != FAKE_REPLY_PORT)
		fake_fail("mig_dealloc_reply_port(0x%x): not the reply port handed out", reply);
	fake_reply_dealloc++;
}
