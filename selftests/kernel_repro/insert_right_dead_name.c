/*
 * Kernel divergence reproducer: mach_port_insert_right() of a dead name.
 * XNU copies the right in with IPC_OBJECT_COPYIN_FLAGS_DEADOK, so a
 * COPY_SEND or MOVE_SEND of a dead name yields MACH_PORT_DEAD, which
 * mach_port_insert_right() refuses with KERN_INVALID_CAPABILITY (a
 * MOVE_SEND uses up one dead-name reference on the way); the name == poly
 * fast path (ipc_object_insert_send_right) answers KERN_INVALID_CAPABILITY
 * for MAKE_SEND and COPY_SEND alike.  The module answers KERN_INVALID_RIGHT
 * in all these cases (op_insert_right passes KERN_INVALID_RIGHT as
 * mach_right_take's dead_kr).
 */
#include <mach/mach.h>
#include <stdio.h>

static int check(const char *what, kern_return_t kr, kern_return_t want)
{
	printf("%-40s kr=0x%x want 0x%x %s\n", what, kr, want, kr == want ? "ok" : "DIFFERS");
	return kr != want;
}

int main(void)
{
	mach_port_t task = mach_task_self(), dead;
	mach_port_urefs_t u = 0;
	int bad = 0;

	mach_port_allocate(task, MACH_PORT_RIGHT_DEAD_NAME, &dead);
	mach_port_mod_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, 1);	/* 2 urefs */
	bad |= check("insert(new, dead, COPY_SEND)",
		     mach_port_insert_right(task, 0x70000103, dead, MACH_MSG_TYPE_COPY_SEND),
		     KERN_INVALID_CAPABILITY);
	bad |= check("insert(dead, dead, COPY_SEND)",
		     mach_port_insert_right(task, dead, dead, MACH_MSG_TYPE_COPY_SEND),
		     KERN_INVALID_CAPABILITY);
	bad |= check("insert(dead, dead, MAKE_SEND)",
		     mach_port_insert_right(task, dead, dead, MACH_MSG_TYPE_MAKE_SEND),
		     KERN_INVALID_CAPABILITY);
	bad |= check("insert(new, dead, MOVE_SEND)",
		     mach_port_insert_right(task, 0x70000203, dead, MACH_MSG_TYPE_MOVE_SEND),
		     KERN_INVALID_CAPABILITY);
	mach_port_get_refs(task, dead, MACH_PORT_RIGHT_DEAD_NAME, &u);
	printf("dead-name urefs after the MOVE_SEND: %u (want 1)\n", u);
	bad |= u != 1;
	return bad;
}
