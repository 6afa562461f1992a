// SPDX-License-Identifier: GPL-2.0
/*
 * mig_kern: a KernelUser/KernelServer interface built with -maxonstack 256
 * (the large messages' buffers come from mig_user_allocate()), -split,
 * -iheader and -dheader, between this program and a fork+exec'd copy of it.
 */
#include "mig_util.h"

#include "migkern.h"
#include "migkernServer.h"
#include "migkernDefs.h"

static int noted;

kern_return_t k_mk_add(mach_port_t server, int a, int b, int *s)
{
	(void)server;
	*s = a + b;
	return KERN_SUCCESS;
}

kern_return_t k_mk_big(mach_port_t server, bigarr_t a, mach_msg_type_number_t aCnt, bigarr_t b,
		       mach_msg_type_number_t *bCnt)
{
	mach_msg_type_number_t i;

	(void)server;
	if (*bCnt != 512)
		return KERN_INVALID_VALUE;
	for (i = 0; i < aCnt; i++)
		b[i] = -a[i];
	*bCnt = aCnt;
	return KERN_SUCCESS;
}

kern_return_t k_mk_ool(mach_port_t server, vm_offset_t d, mach_msg_type_number_t dCnt,
		       vm_offset_t *e, mach_msg_type_number_t *eCnt)
{
	(void)server;
	/* the same region goes back; dealloc: it leaves this task */
	*e = d;
	*eCnt = dCnt;
	return KERN_SUCCESS;
}

kern_return_t k_mk_port(mach_port_t server, mach_port_t p, mach_port_t *q)
{
	mach_port_type_t t = 0;

	(void)server;
	mach_port_type(mach_task_self(), p, &t);
	mach_port_deallocate(mach_task_self(), p);
	if (t != MACH_PORT_TYPE_SEND)
		return KERN_INVALID_RIGHT;
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, q);
	return KERN_SUCCESS;
}

kern_return_t k_mk_note(mach_port_t server, int v)
{
	(void)server;
	noted += v;
	return KERN_SUCCESS;
}

kern_return_t k_mk_get(mach_port_t server, int *v)
{
	(void)server;
	*v = noted;
	return KERN_SUCCESS;
}

int main(int argc, char **argv)
{
	char name[64];
	mach_port_t srv, p = MACH_PORT_NULL, q = MACH_PORT_NULL;
	pid_t pid;
	int s = 0, a[512], b[512], v = 0;
	mach_msg_type_number_t bCnt = 512, i, eCnt = 0;
	vm_address_t d = 0;
	vm_offset_t e = 0;
	mach_port_type_t t = 0;

	if (argc == 3 && strcmp(argv[1], "--server") == 0) {
		mach_msg_size_t max = sizeof(union __RequestUnion__k_migkern_subsystem);

		if (max < k_migkern_subsystem.maxsize)
			max = k_migkern_subsystem.maxsize;
		mig_serve(argv[2], migkern_server, max, MACH_MSG_OPTION_NONE);
	}
	CHECK(MACH_ID_MK_ADD == 5400 && MACH_ID_MK_ADD_REPLY == 5500, "-dheader: %d %d",
	      MACH_ID_MK_ADD, MACH_ID_MK_ADD_REPLY);
	CHECK(MACH_ID_MK_NOTE == 5404 && MACH_ID_MK_GET_REPLY == 5505, "-dheader: %d %d",
	      MACH_ID_MK_NOTE, MACH_ID_MK_GET_REPLY);
	snprintf(name, sizeof(name), "org.mach-linux.test.migkern.%d", getpid());
	pid = mig_spawn_server(name);
	srv = mig_look_up(name);
	CHECK(srv != MACH_PORT_NULL, "bootstrap_look_up");
	if (srv != MACH_PORT_NULL) {
		CHECK_KR(KERN_SUCCESS, mk_add(srv, 20, 22, &s), "mk_add");
		CHECK(s == 42, "sum %d", s);
		for (i = 0; i < 512; i++)
			a[i] = (int)i;
		/* a 2 KiB message each way: the stub's buffer is on the heap */
		CHECK_KR(KERN_SUCCESS, mk_big(srv, a, 512, b, &bCnt), "mk_big");
		CHECK(bCnt == 512 && b[511] == -511 && b[1] == -1, "big %u %d", bCnt, b[511]);
		CHECK_KR(KERN_SUCCESS, mk_big(srv, a, 3, b, &bCnt), "mk_big, short");
		CHECK(bCnt == 3 && b[2] == -2, "big short %u %d", bCnt, b[2]);
		CHECK_KR(MIG_ARRAY_TOO_LARGE, mk_big(srv, a, 513, b, &bCnt), "mk_big, too many");
		vm_allocate(mach_task_self(), &d, 8192, VM_FLAGS_ANYWHERE);
		((char *)d)[8191] = 'k';
		CHECK_KR(KERN_SUCCESS, mk_ool(srv, d, 8192, &e, &eCnt), "mk_ool");
		CHECK(eCnt == 8192 && e && ((char *)e)[8191] == 'k', "ool back %u", eCnt);
		if (e)
			vm_deallocate(mach_task_self(), e, eCnt);
		mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p);
		CHECK_KR(KERN_SUCCESS, mk_port(srv, p, &q), "mk_port");
		mach_port_type(mach_task_self(), q, &t);
		CHECK(t == MACH_PORT_TYPE_SEND, "q type %#x", t);
		CHECK_KR(KERN_SUCCESS, mk_note(srv, 5), "mk_note");
		CHECK_KR(KERN_SUCCESS, mk_note(srv, 6), "mk_note");
		CHECK_KR(KERN_SUCCESS, mk_get(srv, &v), "mk_get");
		CHECK(v == 11, "noted %d", v);
	}
	mig_stop_server(pid);
	return mig_result("mig_kern");
}
