// SPDX-License-Identifier: GPL-2.0
/*
 * notify_util.c - see notify_util.h.
 */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "notify_util.h"

#define NU_HELLO_ID	0x4e550001
#define NU_GIVE_ID	0x4e550002
#define NU_PROBE_ID	0x4e550003

kern_return_t nu_request(mach_port_t name, mach_msg_id_t id,
			 mach_port_mscount_t sync, mach_port_t notify,
			 mach_port_t *previous)
{
	*previous = 0xdeadbeef;
	return mach_port_request_notification(mach_task_self(), name, id, sync,
					      notify, MACH_MSG_TYPE_MAKE_SEND_ONCE,
					      previous);
}

uint32_t nu_word(const struct mu_rcv *r, unsigned int off)
{
	uint32_t w;

	memcpy(&w, (const char *)r + off, sizeof(w));
	return w;
}

bool nu_recv_notification(mach_port_t port, struct mu_rcv *r,
			  mach_msg_id_t id, mach_msg_size_t size,
			  unsigned int timeout_ms)
{
	static const security_token_t ksec = KERNEL_SECURITY_TOKEN_VALUE;
	static const audit_token_t kaudit = KERNEL_AUDIT_TOKEN_VALUE;
	const mach_msg_max_trailer_t *t;
	mach_msg_bits_t bits;
	bool ok = true;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(port, r, NU_RCV_AUDIT, timeout_ms),
		       "receive the notification"))
		return false;
	bits = r->hdr.msgh_bits;
	ok &= expect_eq(id, r->hdr.msgh_id, "notification msgh_id");
	ok &= expect_eq(size, r->hdr.msgh_size, "notification msgh_size (no trailer)");
	ok &= expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_LOCAL(bits),
			"local bits: delivered through the send-once right");
	ok &= expect_eq(0, MACH_MSGH_BITS_REMOTE(bits), "remote bits: no reply right");
	ok &= expect_eq(0, MACH_MSGH_BITS_VOUCHER(bits), "voucher bits");
	ok &= expect_eq(id == MACH_NOTIFY_PORT_DESTROYED ? MACH_MSGH_BITS_COMPLEX : 0,
			bits & MACH_MSGH_BITS_COMPLEX, "complex bit");
	ok &= expect_eq(port, r->hdr.msgh_local_port, "msgh_local_port is the notify port");
	ok &= expect_eq(MACH_PORT_NULL, r->hdr.msgh_remote_port, "msgh_remote_port");
	ok &= expect_eq(MACH_PORT_NULL, r->hdr.msgh_voucher_port, "msgh_voucher_port");
	if (size == NU_SIZE_NAME)
		ok &= expect_true(memcmp((const char *)r + NU_OFF_NDR, &NDR_record,
					 sizeof(NDR_record)) == 0,
				  "NDR record is NDR_record");
	t = mu_trailer(&r->hdr);
	ok &= expect_eq(MACH_MSG_TRAILER_FORMAT_0, t->msgh_trailer_type, "trailer type");
	ok &= expect_eq(sizeof(mach_msg_audit_trailer_t), t->msgh_trailer_size,
			"audit trailer size");
	ok &= expect_true(memcmp(&t->msgh_sender, &ksec, sizeof(ksec)) == 0,
			  "sender is KERNEL_SECURITY_TOKEN {0, 1}");
	ok &= expect_true(memcmp(&t->msgh_audit, &kaudit, sizeof(kaudit)) == 0,
			  "audit token is KERNEL_AUDIT_TOKEN (all zero, pid 0)");
	if (!ok)
		mt_diag("notification: id %d size %u bits 0x%x local 0x%x remote 0x%x",
			r->hdr.msgh_id, r->hdr.msgh_size, r->hdr.msgh_bits,
			r->hdr.msgh_local_port, r->hdr.msgh_remote_port);
	return ok;
}

bool nu_expect_nothing(mach_port_t port, const char *what)
{
	struct mu_rcv r;
	mach_msg_return_t mr = mu_recv(port, &r, 0, NU_QUIET_MS);

	if (mr == MACH_MSG_SUCCESS)
		mt_diag("%s: unexpected message id %d size %u", what,
			r.hdr.msgh_id, r.hdr.msgh_size);
	return expect_kr(MACH_RCV_TIMED_OUT, mr, what);
}

bool nu_sonce_names(mach_port_t sonce, mach_port_t recv)
{
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS,
		       mu_send(sonce, MACH_MSG_TYPE_MOVE_SEND_ONCE, 0, 0, NU_PROBE_ID,
			       0, 0, 0, MU_WAIT_MS),
		       "send through the send-once right"))
		return false;
	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(recv, &r, 0, MU_WAIT_MS),
		       "the probe arrives on the expected port"))
		return false;
	return expect_eq(NU_PROBE_ID, r.hdr.msgh_id, "probe id") &&
	       expect_eq(recv, r.hdr.msgh_local_port, "probe landed on the port");
}

mach_port_t nu_make_sonce(mach_port_t port)
{
	mach_port_t carrier = mu_port();
	mach_port_t so = MACH_PORT_NULL;
	struct mu_rcv r;

	if (carrier == MACH_PORT_NULL)
		return MACH_PORT_NULL;
	if (expect_kr(MACH_MSG_SUCCESS,
		      mu_send(carrier, MACH_MSG_TYPE_MAKE_SEND, port,
			      MACH_MSG_TYPE_MAKE_SEND_ONCE, 1, 0, 0, 0, MU_WAIT_MS),
		      "carry a new send-once right") &&
	    expect_kr(MACH_MSG_SUCCESS, mu_recv(carrier, &r, 0, MU_WAIT_MS),
		      "receive the send-once right") &&
	    expect_eq(MACH_MSG_TYPE_PORT_SEND_ONCE, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
		      "a send-once right"))
		so = r.hdr.msgh_remote_port;
	expect_kr(KERN_SUCCESS, mach_port_mod_refs(mach_task_self(), carrier,
						   MACH_PORT_RIGHT_RECEIVE, -1),
		  "destroy the carrier");
	return so;
}

mach_port_t nu_pset(void)
{
	mach_port_t name = MACH_PORT_NULL;

	if (!expect_kr(KERN_SUCCESS,
		       mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &name),
		       "mach_port_allocate(PORT_SET)"))
		return MACH_PORT_NULL;
	return name;
}

mach_port_t nu_parent_listen(void)
{
	mach_port_t p = mu_port_send();

	if (p == MACH_PORT_NULL)
		return p;
	if (!expect_kr(KERN_SUCCESS,
		       task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p),
		       "task_set_special_port(BOOTSTRAP)"))
		return MACH_PORT_NULL;
	return p;
}

bool nu_child_hello(mach_port_t mine, uint32_t word)
{
	mach_port_t bp = MACH_PORT_NULL;

	if (!expect_kr(KERN_SUCCESS,
		       task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &bp),
		       "child: bootstrap port"))
		return false;
	return expect_kr(MACH_MSG_SUCCESS,
			 mu_send(bp, MACH_MSG_TYPE_COPY_SEND, mine, MACH_MSG_TYPE_MAKE_SEND,
				 NU_HELLO_ID, word, 0, 0, MU_WAIT_MS),
			 "child: hello to the parent");
}

mach_port_t nu_parent_accept(mach_port_t listen, uint32_t *word)
{
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(listen, &r, 0, MU_WAIT_MS),
		       "receive a child's hello") ||
	    !expect_eq(NU_HELLO_ID, r.hdr.msgh_id, "hello id") ||
	    !expect_eq(MACH_MSG_TYPE_PORT_SEND, MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits),
		       "hello carries a send right"))
		return MACH_PORT_NULL;
	if (word)
		*word = mu_as_msg(&r)->a;
	return r.hdr.msgh_remote_port;
}

bool nu_give(mach_port_t dest, mach_port_t right, mach_msg_type_name_t disp,
	     uint32_t word)
{
	return expect_kr(MACH_MSG_SUCCESS,
			 mu_send(dest, MACH_MSG_TYPE_COPY_SEND, right, disp, NU_GIVE_ID,
				 word, 0, 0, MU_WAIT_MS),
			 "hand a right over");
}

mach_port_t nu_take(mach_port_t mine, mach_msg_type_name_t *type, uint32_t *word)
{
	struct mu_rcv r;

	if (!expect_kr(MACH_MSG_SUCCESS, mu_recv(mine, &r, 0, MU_WAIT_MS),
		       "receive a handed-over right") ||
	    !expect_eq(NU_GIVE_ID, r.hdr.msgh_id, "hand-over id"))
		return MACH_PORT_NULL;
	if (type)
		*type = MACH_MSGH_BITS_REMOTE(r.hdr.msgh_bits);
	if (word)
		*word = mu_as_msg(&r)->a;
	return r.hdr.msgh_remote_port;
}

pid_t nu_gettid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static char thread_state(pid_t tid)
{
	char path[64], buf[512];
	const char *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return (p && p[1] == ' ') ? p[2] : '?';
}

bool nu_wait_sleeping(pid_t tid, unsigned int timeout_ms)
{
	uint64_t deadline = mt_now_ms() + timeout_ms;
	char s;

	do {
		s = thread_state(tid);
		if (s == 'S' || s == 'D') {
			/* Sleeping; give it a moment to be surely in the receive. */
			mt_sleep_ms(100);
			return true;
		}
		mt_sleep_ms(5);
	} while (mt_now_ms() < deadline);
	mt_diag("thread %d never slept (state '%c')", (int)tid, s);
	return false;
}
