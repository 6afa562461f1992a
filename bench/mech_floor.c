// SPDX-License-Identifier: GPL-2.0
/*
 * machbench floors: what entering the kernel costs with nothing to do.
 *
 *  - null-syscall: getppid(), about the cheapest system call there is;
 *  - mach-null: mach_msg() with neither MACH_SEND_MSG nor MACH_RCV_MSG:
 *    one MACH_IOC_MSG ioctl on /dev/mach that copies its arguments in and
 *    returns, which every Mach call pays before the module does any work
 *    (file look-up, the LSM ioctl hook, the ioctl dispatch).
 *
 * One operation is one call; no server.  docs/performance.md uses them to
 * split a round trip into kernel entries, context switches and the work
 * of the messages themselves.
 */
#include "machbench.h"

#include <unistd.h>
#include <sys/syscall.h>

static const size_t sz_zero[] = { 0, END };

static int floor_setup(struct ctx *c)
{
	(void)c;
	return 0;
}

static void floor_nop(struct ctx *c)
{
	(void)c;
}

static void null_syscall_client(struct ctx *c, long iters)
{
	(void)c;
	for (long i = 0; i < iters; i++)
		syscall(SYS_getppid);
}

static int mach_null_setup(struct ctx *c)
{
	(void)c;
	/* opens /dev/mach: the first call must not be the one measured */
	return mach_task_self() == MACH_PORT_NULL;
}

static void mach_null_client(struct ctx *c, long iters)
{
	mach_msg_header_t h = { 0 };

	(void)c;
	for (long i = 0; i < iters; i++)
		mach_check(mach_msg(&h, MACH_MSG_OPTION_NONE, 0, 0, MACH_PORT_NULL,
				    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL),
			   "mach_msg with no send and no receive");
}

const struct mech mech_null_syscall = {
	"null-syscall", "call", "getppid(): the cheapest system call", false,
	floor_setup, NULL, null_syscall_client, floor_nop, floor_nop, sz_zero,
	NULL, false
};

const struct mech mech_mach_null = {
	"mach-null", "call", "mach_msg() with nothing to send or receive: one bare ioctl", true,
	mach_null_setup, NULL, mach_null_client, floor_nop, floor_nop, sz_zero,
	NULL, false
};
