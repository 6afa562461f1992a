// SPDX-License-Identifier: GPL-2.0
/*
 * machbench's Linux-integration rows:
 *
 *   mach-rpc-epoll  the 64 B RPC of mach-rpc, with a server that waits in
 *                   epoll_wait() on mach_port_fd() of its port, as an
 *                   event loop does, then drains the queue (timeout 0)
 *   mach-shm        SIZE bytes handed over through a memory entry mapped
 *                   by both sides once: the client writes them into the
 *                   shared mapping and makes a 64 B RPC to say so; next to
 *                   mach-ool, which carries the same bytes in the message
 */
#include "machbench.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <mach/linux.h>

static int ep_fd = -1, port_fd = -1;
static unsigned char *shm_client, *shm_server;

static int epoll_setup(struct ctx *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };

	mach_setup(c);
	kr_check(mach_port_fd(mach_task_self(), c->port, O_CLOEXEC, &port_fd),
		 "mach_port_fd");
	ep_fd = epoll_create1(EPOLL_CLOEXEC);
	if (ep_fd < 0 || epoll_ctl(ep_fd, EPOLL_CTL_ADD, port_fd, &ev))
		die("epoll: %s", strerror(errno));
	return 0;
}

static void epoll_teardown(struct ctx *c)
{
	close(ep_fd);
	close(port_fd);
	mach_teardown(c);
}

/*
 * An event loop's server: wait in epoll (edge triggered: each message that
 * arrives is one edge), then receive until the queue is empty, each reply
 * sent in the same mach_msg as the next receive (timeout 0); until
 * ID_STOP.
 */
static void epoll_server(struct ctx *c)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->sbuf;
	mach_msg_size_t rsize = (mach_msg_size_t)c->sbuf_len;
	mach_msg_option_t opt = MACH_RCV_MSG | MACH_RCV_TIMEOUT;
	struct epoll_event ev;
	mach_msg_return_t mr;

	for (;;) {
		if (epoll_wait(ep_fd, &ev, 1, -1) != 1)
			continue;
		mr = mach_msg(h, opt, 0, rsize, c->rcv_name, 0, MACH_PORT_NULL);
		while (mr == MACH_MSG_SUCCESS) {
			if (h->msgh_id == ID_STOP)
				return;
			h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
			h->msgh_size = sizeof(*h);
			h->msgh_local_port = MACH_PORT_NULL;
			h->msgh_id += 100;
			mr = mach_msg(h, MACH_SEND_MSG | opt, sizeof(*h), rsize, c->rcv_name,
				      0, MACH_PORT_NULL);
		}
		if (mr != MACH_RCV_TIMED_OUT)
			mach_check(mr, "server mach_msg");
	}
}

/* Both sides map one entry of MAX_SIZE, once; each row writes SIZE of it. */
static int shm_setup(struct ctx *c)
{
	memory_object_size_t size = MAX_SIZE;
	mach_vm_address_t a = 0, b = 0;
	mach_port_t entry;

	mach_setup(c);
	kr_check(mach_make_memory_entry_64(mach_task_self(), &size, 0,
					   MAP_MEM_NAMED_CREATE | VM_PROT_DEFAULT, &entry,
					   MACH_PORT_NULL), "mach_make_memory_entry_64");
	kr_check(mach_vm_map(mach_task_self(), &a, MAX_SIZE, 0, VM_FLAGS_ANYWHERE, entry, 0,
			     FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE),
		 "mach_vm_map (client)");
	kr_check(mach_vm_map(mach_task_self(), &b, MAX_SIZE, 0, VM_FLAGS_ANYWHERE, entry, 0,
			     FALSE, VM_PROT_DEFAULT, VM_PROT_DEFAULT, VM_INHERIT_NONE),
		 "mach_vm_map (server)");
	mach_port_deallocate(mach_task_self(), entry);	/* the mappings keep it */
	shm_client = (unsigned char *)(uintptr_t)a;
	shm_server = (unsigned char *)(uintptr_t)b;
	memset(shm_client, 0, MAX_SIZE);		/* fault every page in now */
	return 0;
}

static void shm_teardown(struct ctx *c)
{
	mach_vm_deallocate(mach_task_self(), (uintptr_t)shm_client, MAX_SIZE);
	mach_vm_deallocate(mach_task_self(), (uintptr_t)shm_server, MAX_SIZE);
	mach_teardown(c);
}

static void shm_client_loop(struct ctx *c, long iters)
{
	mach_msg_header_t *h = (mach_msg_header_t *)c->cbuf;
	mach_msg_size_t rsize = (mach_msg_size_t)c->cbuf_len;

	for (long i = 0; i < iters; i++) {
		memcpy(shm_client, c->cbuf + 4096, c->size);
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
					      MACH_MSG_TYPE_MAKE_SEND_ONCE);
		h->msgh_size = sizeof(*h) + 64;
		h->msgh_remote_port = c->port;
		h->msgh_local_port = c->reply;
		h->msgh_voucher_port = MACH_PORT_NULL;
		h->msgh_id = ID_REQ;
		mach_check(mach_msg(h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(*h) + 64, rsize,
				    c->reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
			   "client mach_msg (shm)");
	}
}

const struct mech mech_mach_rpc_epoll = {
	"mach-rpc-epoll", "rt",
	"mach-rpc with the server waiting in epoll_wait on mach_port_fd(), then mach_msg",
	true, epoll_setup, epoll_server, mach_rpc_client, mach_stop, epoll_teardown, sz_64,
	NULL, false
};
const struct mech mech_mach_shm = {
	"mach-shm", "rt",
	"SIZE bytes written into a memory entry both sides mapped once, then a 64 B RPC",
	true, shm_setup, mach_server, shm_client_loop, mach_stop, shm_teardown, sz_ool,
	NULL, false
};
