/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_msg_destroy: release what a message holds, for a received message
 * nobody will process, or for an unsent one, with the same effect as if it
 * had been sent and then destroyed in the kernel.
 *
 * As on macOS the local (reply) port is left alone: in a received message
 * msgh_local_port names the port it arrived on, and the receive consumed
 * no right of ours there.
 */
#include <stdint.h>

#include "internal.h"

/* Undo one right as the disposition would have moved or made it. */
static void destroy_right(mach_port_name_t name, mach_msg_type_name_t disp)
{
	mach_port_t self = mach_task_self();
	mach_msg_type_name_t got;
	mach_port_t so;

	if (!MACH_PORT_VALID(name))
		return;
	switch (disp) {
	case MACH_MSG_TYPE_MOVE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		(void)mach_port_deallocate(self, name);
		break;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		(void)mach_port_mod_refs(self, name, MACH_PORT_RIGHT_RECEIVE, -1);
		break;
	case MACH_MSG_TYPE_MAKE_SEND:
		/* Sending would have made a send right (bumping the make-send
		 * count) that then died: do both, so no-senders still fires. */
		if (mach_port_insert_right(self, name, name,
					   MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS)
			(void)mach_port_deallocate(self, name);
		break;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
		if (mach_port_extract_right(self, name, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					    &so, &got) == KERN_SUCCESS)
			(void)mach_port_deallocate(self, so);
		break;
	default:
		/* COPY_SEND and bare names hold nothing of ours. */
		break;
	}
}

static void destroy_memory(void *addr, mach_vm_size_t size)
{
	if (addr != NULL && size != 0)
		(void)mach_vm_deallocate(mach_task_self(), (uintptr_t)addr, size);
}

MACH_EXPORT void mach_msg_destroy(mach_msg_header_t *msg)
{
	mach_msg_bits_t bits = msg->msgh_bits;
	mach_msg_base_t *base = (mach_msg_base_t *)msg;
	char *p;
	uintptr_t end;
	mach_msg_size_t i, count;

	destroy_right(msg->msgh_remote_port, MACH_MSGH_BITS_REMOTE(bits));
	destroy_right(msg->msgh_voucher_port, MACH_MSGH_BITS_VOUCHER(bits));

	if (!(bits & MACH_MSGH_BITS_COMPLEX))
		return;

	/*
	 * Descriptors are 12 or 16 bytes on LP64: step by each one's size.
	 * Stay inside msgh_size when it is plausible; an unsent message built
	 * by MIG may leave it unset, and then the count alone must do.
	 */
	count = base->body.msgh_descriptor_count;
	p = (char *)(base + 1);
	if (msg->msgh_size >= sizeof(*base))
		end = (uintptr_t)msg + msg->msgh_size;
	else
		end = UINTPTR_MAX;
	for (i = 0; i < count; i++) {
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)p;

		if ((uintptr_t)p + sizeof(mach_msg_type_descriptor_t) > end)
			return;
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			destroy_right(d->port.name, d->port.disposition);
			p += sizeof(mach_msg_port_descriptor_t);
			break;
		case MACH_MSG_OOL_DESCRIPTOR:
			if ((uintptr_t)p + sizeof(mach_msg_ool_descriptor_t) > end)
				return;
			if (d->out_of_line.deallocate)
				destroy_memory(d->out_of_line.address, d->out_of_line.size);
			p += sizeof(mach_msg_ool_descriptor_t);
			break;
		case MACH_MSG_OOL_VOLATILE_DESCRIPTOR:
			/* Shared with the sender, never ours to free. */
			p += sizeof(mach_msg_ool_descriptor_t);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_msg_ool_ports_descriptor_t *o = &d->ool_ports;
			mach_port_t *ports = o->address;
			mach_msg_size_t j;

			if ((uintptr_t)p + sizeof(*o) > end)
				return;
			if (ports != NULL)
				for (j = 0; j < o->count; j++)
					destroy_right(ports[j], o->disposition);
			if (o->deallocate)
				destroy_memory(ports, (mach_vm_size_t)o->count *
					       sizeof(mach_port_t));
			p += sizeof(*o);
			break;
		}
		case MACH_MSG_GUARDED_PORT_DESCRIPTOR: {
			mach_msg_guarded_port_descriptor_t *g = &d->guarded_port;

			if ((uintptr_t)p + sizeof(*g) > end)
				return;
			/* A guarded receive right only yields to its guard. */
			if (g->disposition == MACH_MSG_TYPE_MOVE_RECEIVE &&
			    MACH_PORT_VALID(g->name) &&
			    mach_port_destruct(mach_task_self(), g->name, 0,
					       g->context) == KERN_SUCCESS)
				;
			else
				destroy_right(g->name, g->disposition);
			p += sizeof(*g);
			break;
		}
		default:
			/* Unknown size: stop rather than misread what follows. */
			return;
		}
	}
}
