// SPDX-License-Identifier: GPL-2.0
/*
 * msg_fuzz.c - messages a kernel could have delivered, from fuzz bytes
 * (see msg_fuzz.h).  The descriptor walk is written here independently of
 * libmach's, from the wire format: port descriptors are 12 bytes, the
 * others 16, and an unknown type ends the walk.
 */
#include <stdlib.h>
#include <string.h>

#include "msg_fuzz.h"

#define MF_OOL_MAX	(64 * 1024)

static void note(struct mf_rights *r, mach_port_name_t name, mach_msg_type_name_t disp,
		 bool own)
{
	mach_port_type_t type = 0;
	unsigned int i;

	if (!MACH_PORT_VALID(name))
		return;
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_COPY_SEND:
		type = MACH_PORT_TYPE_SEND;
		break;
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		type = MACH_PORT_TYPE_SEND_ONCE;
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		type = MACH_PORT_TYPE_RECEIVE;
		break;
	default:
		return;
	}
	if (own)
		fake_add(name, type, 1);
	if (!r)
		return;
	for (i = 0; i < r->n && r->e[i].name != name; i++)
		;
	if (i == r->n) {
		if (r->n == MF_MAX_NAMES)
			return;
		r->e[r->n].name = name;
		r->e[r->n].moved = 0;
		r->e[r->n].seen = 0;
		r->n++;
	}
	r->e[i].seen++;
	if (disp == MACH_MSG_TYPE_MOVE_SEND || disp == MACH_MSG_TYPE_MOVE_SEND_ONCE ||
	    disp == MACH_MSG_TYPE_MOVE_RECEIVE)
		r->e[i].moved++;
}

int mf_moved(const struct mf_rights *r, mach_port_name_t name)
{
	for (unsigned int i = 0; i < r->n; i++)
		if (r->e[i].name == name)
			return r->e[i].moved;
	return 0;
}

static void *own_memory(struct mf_rights *r, size_t size)
{
	void *p;

	if (r->nmem == sizeof(r->mem) / sizeof(r->mem[0]))
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p) {
		r->mem[r->nmem++] = p;
		fake_region_add(p, size);
	}
	return p;
}

size_t mf_build(uint8_t *buf, size_t cap, const uint8_t *data, size_t len,
		struct mf_rights *r, bool own)
{
	static struct mf_rights scratch;
	mach_msg_header_t *h = (mach_msg_header_t *)buf;
	size_t size = (len < cap ? len : cap) & ~(size_t)3, off;
	uint32_t count;

	if (!r) {
		memset(&scratch, 0, sizeof(scratch));
		r = &scratch;
	}
	if (size < sizeof(*h))
		return 0;
	memcpy(buf, data, size);
	h->msgh_size = (mach_msg_size_t)size;
	note(r, h->msgh_remote_port, MACH_MSGH_BITS_REMOTE(h->msgh_bits), own);
	note(r, h->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(h->msgh_bits), own);
	/* the kernel never delivers a complex message without its count */
	if (size < sizeof(mach_msg_base_t))
		h->msgh_bits &= ~MACH_MSGH_BITS_COMPLEX;
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return size;

	count = ((mach_msg_base_t *)buf)->body.msgh_descriptor_count;
	off = sizeof(mach_msg_base_t);
	for (uint32_t i = 0; i < count && off + 12 <= size; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(buf + off);

		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			note(r, d->port.name, d->port.disposition, own);
			off += sizeof(mach_msg_port_descriptor_t);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			if (off + 16 > size)
				return size;
			if (d->out_of_line.size > MF_OOL_MAX)
				d->out_of_line.size = MF_OOL_MAX;
			d->out_of_line.address = d->out_of_line.size ?
				own_memory(r, d->out_of_line.size) : NULL;
			if (!d->out_of_line.address)
				d->out_of_line.size = 0;
			if (d->type.type == MACH_MSG_OOL_DESCRIPTOR && d->out_of_line.deallocate &&
			    d->out_of_line.address)
				r->ool_regions++;
			off += 16;
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_msg_ool_ports_descriptor_t *o = &d->ool_ports;
			mach_port_name_t *names;

			if (off + 16 > size)
				return size;
			if (o->count > 64)
				o->count = 64;
			names = o->count ? own_memory(r, o->count * sizeof(*names)) : NULL;
			/* the names: input bytes after the message, else zero */
			for (uint32_t j = 0; names && j < o->count; j++) {
				size_t at = size + (i * 64 + j) * 4;

				if (at + 4 <= len)
					memcpy(&names[j], data + at, 4);
				note(r, names[j], o->disposition, own);
			}
			o->address = names;
			if (!names)
				o->count = 0;
			if (o->deallocate && names)
				r->ool_regions++;
			off += 16;
			break;
		}
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR: {
			mach_msg_guarded_port_descriptor_t *g = &d->guarded_port;

			if (off + 16 > size)
				return size;
			note(r, g->name, g->disposition, own);
			off += 16;
			break;
		}
		default:
			return size;
		}
	}
	return size;
}

void mf_release(struct mf_rights *r)
{
	for (unsigned int i = 0; i < r->nmem; i++) {
		fake_region_del(r->mem[i]);
		free(r->mem[i]);
	}
	r->nmem = 0;
}
