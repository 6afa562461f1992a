// SPDX-License-Identifier: GPL-2.0
/*
 * Complex message bodies.
 *
 * Send: mach_desc_parse() validates the descriptor list and snapshots what
 * lives in the sender's memory (OOL data, OOL port name arrays) before any
 * right is taken, so a malformed message costs the sender nothing.  The
 * rights are then taken with the header's, all or nothing (kmsg_copyin.c).
 *
 * Receive: mach_desc_copyout() names the rights in the receiver's space and
 * gives it fresh private mappings holding the OOL data and name arrays.
 *
 * OOL memory regions live in ool.c: copied once at send (the snapshot Mach
 * promises: later writes by the sender never show), mapped at receive.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "desc.h"
#include "kmsg.h"
#include "port.h"
#include "right.h"
#include "space.h"

/*
 * Descriptor fields sit at 4-byte alignment in the user layout; 64-bit ones
 * may be misaligned.  (memcpy, because the unaligned helpers' header moved
 * between the kernels this module builds for.)
 */
static u32 dsc_get32(const u8 *p)
{
	u32 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static u64 dsc_get64(const u8 *p)
{
	u64 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void dsc_put32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static void dsc_put64(u8 *p, u64 v)
{
	memcpy(p, &v, sizeof(v));
}

/* Byte offsets inside the 12- and 16-byte user descriptors. */
#define DSC_NAME	0	/* port: name */
#define DSC_ADDR	0	/* OOL, OOL ports: 64-bit address */
#define DSC_DEALLOC	8	/* OOL, OOL ports */
#define DSC_COPY	9	/* OOL, OOL ports */
#define DSC_DISP	10	/* port, OOL ports */
#define DSC_TYPE	11
#define DSC_SIZE	12	/* OOL: size; OOL ports: count */
#define DSC_PORT_LEN	12
#define DSC_LONG_LEN	16

/* Snapshot the OOL region the sender named (ool.c). */
static int mach_desc_snapshot_ool(struct mach_space *space,
				  struct mach_kdesc *d)
{
	return mach_ool_create(&d->ool, d->uaddr, d->count, space->ool_cache);
}

/* Copy the names of an OOL port array. */
static int mach_desc_snapshot_ports(struct mach_kdesc *d)
{
	if (!d->count)
		return MACH_MSG_SUCCESS;
	d->names = kvmalloc_array(d->count, sizeof(u32), GFP_KERNEL_ACCOUNT);
	d->ports = kvcalloc(d->count, sizeof(*d->ports), GFP_KERNEL_ACCOUNT);
	if (!d->names || !d->ports)
		return MACH_SEND_NO_BUFFER;
	if (copy_from_user(d->names, u64_to_user_ptr(d->uaddr),
			   d->count * sizeof(u32)))
		return MACH_SEND_INVALID_MEMORY;
	return MACH_MSG_SUCCESS;
}

/*
 * First pass: the shape of one descriptor, as XNU's ipc_kmsg_copyin_body
 * measures it before copying anything.  Adds to the message's right count
 * and to the memory a kept physical copy would pin in the kernel.
 */
static int mach_desc_measure(struct mach_kdesc *d, const u8 *u, u32 avail,
			     u64 *rights, u64 *kept)
{
	u8 copy;

	/*
	 * A port or port array's disposition is not checked here: as in XNU,
	 * only the copy-in of a valid name can refuse it (the right's check
	 * gives MACH_SEND_INVALID_RIGHT).  MACH_PORT_NULL and MACH_PORT_DEAD
	 * travel with any disposition, and arrive with the PORT_* type it
	 * stands for, 0 for a meaningless one; Apple's mig leaves the unused
	 * entries of a bounded port array with an uninitialized disposition.
	 */
	d->type = u[DSC_TYPE];
	if (d->type == MACH_MSG_PORT_DESCRIPTOR) {
		d->disp = u[DSC_DISP];
		(*rights)++;
		return MACH_MSG_SUCCESS;
	}
	if (d->type != MACH_MSG_OOL_DESCRIPTOR &&
	    d->type != MACH_MSG_OOL_VOLATILE_DESCRIPTOR &&
	    d->type != MACH_MSG_OOL_PORTS_DESCRIPTOR)
		return MACH_SEND_INVALID_TYPE;
	if (avail < DSC_LONG_LEN)
		return MACH_SEND_MSG_TOO_SMALL;

	copy = u[DSC_COPY];
	d->uaddr = dsc_get64(u + DSC_ADDR);
	d->count = dsc_get32(u + DSC_SIZE);
	d->dealloc = u[DSC_DEALLOC];
	d->copy = copy;
	if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
		d->disp = u[DSC_DISP];
		*rights += d->count;
		return MACH_MSG_SUCCESS;
	}
	if (copy != MACH_MSG_PHYSICAL_COPY && copy != MACH_MSG_VIRTUAL_COPY)
		return MACH_SEND_INVALID_TYPE;
	if (copy == MACH_MSG_PHYSICAL_COPY && !d->dealloc)
		*kept += PAGE_ALIGN((u64)d->count);
	return MACH_MSG_SUCCESS;
}

/*
 * Validate the body of a complex message that 'space' sends and snapshot
 * its out-of-line parts (OOL regions in pages from the space's cache when
 * it has some).  No right is taken here.  On failure the caller frees the kmsg
 * (mach_desc_release undoes the partial work).
 */
int mach_desc_parse(struct mach_space *space, struct mach_kmsg *kmsg)
{
	u32 off = sizeof(struct mach_msg_header);
	u32 size = kmsg->size, count, i;
	u64 rights = 0, kept = 0;
	int ret;

	if (size < off + sizeof(u32))
		return MACH_SEND_MSG_TOO_SMALL;
	count = dsc_get32(kmsg->data + off);
	off += sizeof(u32);
	/* every descriptor takes at least 12 bytes of the message */
	if (count > (size - off) / DSC_PORT_LEN)
		return MACH_SEND_MSG_TOO_SMALL;
	if (!count)
		return MACH_MSG_SUCCESS;

	kmsg->desc = kvcalloc(count, sizeof(*kmsg->desc), GFP_KERNEL_ACCOUNT);
	if (!kmsg->desc)
		return MACH_SEND_NO_BUFFER;
	kmsg->ndesc = count;

	for (i = 0; i < count; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];

		if (size - off < DSC_PORT_LEN)
			return MACH_SEND_MSG_TOO_SMALL;
		d->offset = off;
		ret = mach_desc_measure(d, kmsg->data + off, size - off,
					&rights, &kept);
		if (ret)
			return ret;
		off += d->type == MACH_MSG_PORT_DESCRIPTOR ? DSC_PORT_LEN :
							     DSC_LONG_LEN;
	}
	if (rights > MACH_MSG_MAX_RIGHTS)
		return MACH_SEND_TOO_LARGE;
	/* XNU answers a kept physical copy too big to pin with this code */
	if (kept > MACH_MSG_MAX_KEPT_PHYSICAL)
		return MACH_MSG_VM_KERNEL;

	for (i = 0; i < count; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];

		if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			ret = mach_desc_snapshot_ports(d);
		else if (d->type != MACH_MSG_PORT_DESCRIPTOR)
			ret = mach_desc_snapshot_ool(space, d);
		if (ret)
			return ret;
	}
	return MACH_MSG_SUCCESS;
}

/* Unmap what the sender asked to give away, once the send is committed. */
void mach_desc_sender_dealloc(struct mach_kmsg *kmsg)
{
	u32 i;

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];
		u64 len, start, end;

		if (!d->dealloc || !d->count ||
		    d->type == MACH_MSG_PORT_DESCRIPTOR)
			continue;
		len = d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR ?
		      (u64)d->count * sizeof(u32) : d->count;
		start = d->uaddr & PAGE_MASK;
		end = PAGE_ALIGN(d->uaddr + len);
		vm_munmap(start, end - start);
	}
}

static u32 mach_desc_name_out(struct mach_space *space, struct mach_port *port,
			      u32 type)
{
	u32 name;

	if (!port)
		return MACH_PORT_NULL;
	if (port == MACH_KPORT_DEAD)
		return MACH_PORT_DEAD;
	mach_right_copyout(space, port, type, &name);
	return name;
}

/*
 * Deliver the body to the receiver.  Rights become names in 'space'; OOL
 * data and name arrays land in new mappings.  Returns MACH_MSG_SUCCESS or
 * MACH_RCV_BODY_ERROR with MACH_MSG_VM_SPACE when a mapping could not be
 * made (that descriptor then shows address 0; the rest is delivered).
 */
int mach_desc_copyout(struct mach_space *space, struct mach_kmsg *kmsg)
{
	int ret = MACH_MSG_SUCCESS;
	u32 i, j;

	mutex_lock(&space->lock);
	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];
		u8 *u = kmsg->data + d->offset;
		u32 type = mach_right_carried_type(d->disp);

		if (d->type == MACH_MSG_PORT_DESCRIPTOR) {
			dsc_put32(u + DSC_NAME,
				  mach_desc_name_out(space, d->port, type));
			u[DSC_DISP] = type;
			d->port = NULL;
		} else if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			for (j = 0; j < d->count; j++) {
				d->names[j] = mach_desc_name_out(space,
								 d->ports[j],
								 type);
				d->ports[j] = NULL;
			}
			u[DSC_DISP] = type;
		}
	}
	mutex_unlock(&space->lock);

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];
		u8 *u = kmsg->data + d->offset;
		u64 addr = 0;

		if (d->type == MACH_MSG_PORT_DESCRIPTOR)
			continue;
		if (d->count && d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
			addr = mach_user_map_copy(d->names,
						  (u64)d->count * sizeof(u32), 0);
		else if (d->count)
			addr = mach_ool_map(&d->ool);
		if (d->count && !addr)
			ret = MACH_RCV_BODY_ERROR | MACH_MSG_VM_SPACE;
		dsc_put64(u + DSC_ADDR, addr);
		/*
		 * what XNU shows the receiver: the array is its to free; OOL
		 * memory keeps the sender's option, deallocate for virtual
		 */
		if (d->type == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
			u[DSC_DEALLOC] = 1;
			u[DSC_COPY] = MACH_MSG_VIRTUAL_COPY;
		} else {
			u[DSC_COPY] = d->copy;
			u[DSC_DEALLOC] = d->copy == MACH_MSG_VIRTUAL_COPY;
		}
	}
	return ret;
}

/* Release whatever the body still carries and free the shadows. */
void mach_desc_release(struct mach_kmsg *kmsg,
		       struct mach_port_deaths *deaths)
{
	u32 i, j;

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];
		u32 type = mach_right_carried_type(d->disp);

		if (mach_kport_real(d->port))
			mach_right_release_to(d->port, type, deaths);
		for (j = 0; d->ports && j < d->count; j++)
			if (mach_kport_real(d->ports[j]))
				mach_right_release_to(d->ports[j], type,
						      deaths);
		kvfree(d->ports);
		kvfree(d->names);
		mach_ool_release(&d->ool);
	}
	kvfree(kmsg->desc);
	kmsg->desc = NULL;
	kmsg->ndesc = 0;
}

/*
 * Receive rights in flight.  A port whose receive right sits in a message
 * records the port whose queue holds that message (transit_dest), so that a
 * send which would put a port inside its own queue, directly or through a
 * chain of such ports, is caught: such a message could never be received,
 * and as XNU does it is destroyed while the send reports success.  The
 * fields are protected by one lock, taken only for messages that carry
 * receive rights; it nests inside port->lock.
 */
static DEFINE_SPINLOCK(mach_transit_lock);

/* The longest chain walked; longer ones are treated as circular. */
#define MACH_TRANSIT_MAX_DEPTH	4096

static bool mach_desc_moves_receive(struct mach_kdesc *d)
{
	return d->disp == MACH_MSG_TYPE_MOVE_RECEIVE;
}

static void mach_desc_transit_set(struct mach_kmsg *kmsg,
				  struct mach_port *dest)
{
	u32 i, j;

	for (i = 0; i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];

		if (!mach_desc_moves_receive(d))
			continue;
		if (mach_kport_real(d->port))
			d->port->transit_dest = dest;
		for (j = 0; d->ports && j < d->count; j++)
			if (mach_kport_real(d->ports[j]))
				d->ports[j]->transit_dest = dest;
	}
}

static bool mach_transit_reaches(struct mach_port *from, struct mach_port *to)
{
	int depth = 0;

	for (; from; from = from->transit_dest)
		if (from == to || ++depth > MACH_TRANSIT_MAX_DEPTH)
			return true;
	return false;
}

/*
 * Called under dest->lock as the message is queued.  Returns false, setting
 * nothing, when a carried receive right would end up inside itself.
 */
bool mach_desc_transit_enter(struct mach_kmsg *kmsg, struct mach_port *dest)
{
	bool ok = true;
	u32 i, j;

	if (!kmsg->carries_receive)
		return true;
	spin_lock(&mach_transit_lock);
	for (i = 0; ok && i < kmsg->ndesc; i++) {
		struct mach_kdesc *d = &kmsg->desc[i];

		if (!mach_desc_moves_receive(d))
			continue;
		if (mach_kport_real(d->port))
			ok = !mach_transit_reaches(dest, d->port);
		for (j = 0; ok && d->ports && j < d->count; j++)
			if (mach_kport_real(d->ports[j]))
				ok = !mach_transit_reaches(dest, d->ports[j]);
	}
	if (ok)
		mach_desc_transit_set(kmsg, dest);
	spin_unlock(&mach_transit_lock);
	return ok;
}

/* The message left its queue: its receive rights are no longer there. */
void mach_desc_transit_leave(struct mach_kmsg *kmsg)
{
	if (!kmsg->carries_receive)
		return;
	spin_lock(&mach_transit_lock);
	mach_desc_transit_set(kmsg, NULL);
	spin_unlock(&mach_transit_lock);
}
