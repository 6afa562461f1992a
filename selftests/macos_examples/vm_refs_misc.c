/* vm_allocate corner cases, uref limits, mach_port_names in a fresh child. */
#include <mach/mach.h>
#include <mach/mach_error.h>
#include <servers/bootstrap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define KR(expr, want) do { kern_return_t kr_ = (expr); if (kr_ != (kern_return_t)(want)) { \
	fprintf(stderr, "[%d] FAIL line %d: %s = 0x%x (%s), expected 0x%x (%s)\n", getpid(), __LINE__, #expr, \
		kr_, mach_error_string(kr_), (unsigned)(want), mach_error_string(want)); exit(1); } } while (0)
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "[%d] FAIL line %d: %s\n", getpid(), __LINE__, #c); exit(1); } } while (0)

int main(void)
{
	mach_port_t task = mach_task_self(), p;
	vm_address_t addr = 0, addr2;
	mach_port_urefs_t u;

	/* vm */
	KR(vm_allocate(task, &addr, 0, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	CHECK(addr == 0);
	KR(vm_deallocate(task, 0, 0), KERN_SUCCESS);
	KR(vm_allocate(task, &addr, 100, VM_FLAGS_ANYWHERE), KERN_SUCCESS);
	CHECK(addr != 0 && addr % vm_page_size == 0);
	memset((void *)addr, 1, vm_page_size);		/* rounded up to a page */
	addr2 = addr;
	KR(vm_allocate(task, &addr2, vm_page_size, VM_FLAGS_FIXED), KERN_NO_SPACE);
	KR(vm_deallocate(task, addr + 10, 10), KERN_SUCCESS);	/* the whole page goes */
	addr2 = addr;
	KR(vm_allocate(task, &addr2, vm_page_size, VM_FLAGS_FIXED), KERN_SUCCESS);
	CHECK(addr2 == addr && *(char *)addr2 == 0);
	KR(vm_deallocate(task, addr2, vm_page_size), KERN_SUCCESS);
	CHECK(vm_page_size == (vm_size_t)getpagesize());
	CHECK(trunc_page(vm_page_size + 5) == vm_page_size && round_page(5) == vm_page_size);

	/* urefs */
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_SEND, &p), KERN_INVALID_VALUE);
	KR(mach_port_allocate(task, MACH_PORT_RIGHT_RECEIVE, &p), KERN_SUCCESS);
	KR(mach_port_insert_right(task, p, p, MACH_MSG_TYPE_MAKE_SEND), KERN_SUCCESS);
	KR(mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, 0xfffe), KERN_SUCCESS);
	KR(mach_port_get_refs(task, p, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 0xffff);
	/* modern XNU: a count at the maximum is pegged, no KERN_UREFS_OVERFLOW */
	KR(mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, 1), KERN_SUCCESS);
	KR(mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, -1), KERN_SUCCESS);
	KR(mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, -0x10000), KERN_INVALID_VALUE);
	KR(mach_port_get_refs(task, p, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 0xffff);
	KR(mach_port_mod_refs(task, p, MACH_PORT_RIGHT_SEND, -0xffff), KERN_SUCCESS);
	KR(mach_port_get_refs(task, p, MACH_PORT_RIGHT_SEND, &u), KERN_SUCCESS);
	CHECK(u == 0);

	/* a child starts with a fresh space: only its own task port, bootstrap and the like */
	{
		pid_t c = fork();
		int st;
		CHECK(c >= 0);
		if (c == 0) {
			mach_port_name_array_t names;
			mach_port_type_array_t types;
			mach_msg_type_number_t n, nt;
			mach_port_type_t t;
			KR(mach_port_type(mach_task_self(), p, &t), KERN_INVALID_NAME);
			KR(mach_port_names(mach_task_self(), &names, &n, &types, &nt), KERN_SUCCESS);
			for (unsigned i = 0; i < n; i++)
				CHECK(!(types[i] & MACH_PORT_TYPE_RECEIVE) || names[i] == mach_task_self() ||
				      names[i] == mig_get_reply_port());
			CHECK(MACH_PORT_VALID(bootstrap_port));
			_exit(0);
		}
		CHECK(waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	printf("vm_refs_misc: ok\n");
	return 0;
}
