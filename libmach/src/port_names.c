/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mach_port_names: list every name in a space with its type.
 *
 * The kernel fills at most the capacity we give and reports how many names
 * exist; when they did not fit we grow and ask again (the space may grow
 * between calls, so this loops).  The arrays are page allocations, as
 * macOS's MIG out-of-line arrays are, trimmed to what the caller will pass
 * back to vm_deallocate.
 */
#include <stdint.h>

#include <linux/mach.h>

#include "internal.h"

#define NAMES_FIRST_GUESS	256
#define NAMES_MAX_TRIES		16

/*
 * The ports libmach keeps for kernel objects (host, clocks, threads) show
 * as the send rights they are on macOS: without the receive right libmach
 * holds, and not at all where the caller holds no send right.
 */
static __u32 hide_kobjects(mach_port_name_t *names, mach_port_type_t *types, __u32 n)
{
	__u32 i, kept = 0;

	for (i = 0; i < n; i++) {
		if (_mach_kobject_name(names[i])) {
			types[i] &= ~MACH_PORT_TYPE_RECEIVE;
			if ((types[i] & MACH_PORT_TYPE_ALL_RIGHTS) == 0)
				continue;
		}
		names[kept] = names[i];
		types[kept] = types[i];
		kept++;
	}
	return kept;
}

MACH_EXPORT kern_return_t
mach_port_names(ipc_space_t task, mach_port_name_array_t *names,
		mach_msg_type_number_t *namesCnt, mach_port_type_array_t *types,
		mach_msg_type_number_t *typesCnt)
{
	__u32 cap = NAMES_FIRST_GUESS;
	int tries;

	if (names == NULL || namesCnt == NULL || types == NULL || typesCnt == NULL)
		return KERN_INVALID_ADDRESS;

	for (tries = 0; tries < NAMES_MAX_TRIES; tries++) {
		size_t bytes = (size_t)cap * sizeof(mach_port_name_t);
		mach_port_name_t *nbuf = _mach_pages_alloc(bytes);
		mach_port_type_t *tbuf = nbuf ? _mach_pages_alloc(bytes) : NULL;
		struct mach_port_names_args a = {
			.task = task, .count = cap,
			.names = (uintptr_t)nbuf, .types = (uintptr_t)tbuf,
		};
		kern_return_t kr;

		if (tbuf == NULL) {
			_mach_pages_free(nbuf, bytes);
			return KERN_RESOURCE_SHORTAGE;
		}
		kr = _mach_port_call(MACH_IOC_PORT_NAMES, &a);
		if (kr == KERN_SUCCESS && a.count <= cap) {
			size_t used;

			if (task == mach_task_self())
				a.count = hide_kobjects(nbuf, tbuf, a.count);
			used = (size_t)a.count * sizeof(mach_port_name_t);

			if (a.count == 0) {
				_mach_pages_free(nbuf, bytes);
				_mach_pages_free(tbuf, bytes);
				nbuf = NULL;
				tbuf = NULL;
			} else {
				_mach_pages_trim(nbuf, bytes, used);
				_mach_pages_trim(tbuf, bytes, used);
			}
			*names = nbuf;
			*types = tbuf;
			*namesCnt = a.count;
			*typesCnt = a.count;
			return KERN_SUCCESS;
		}
		_mach_pages_free(nbuf, bytes);
		_mach_pages_free(tbuf, bytes);
		if (kr != KERN_SUCCESS)
			return kr;
		/* Leave headroom for names created while we reallocate. */
		if (a.count > UINT32_MAX / 2 / sizeof(mach_port_name_t))
			return KERN_RESOURCE_SHORTAGE;
		cap = a.count + a.count / 4 + 16;
	}
	return KERN_RESOURCE_SHORTAGE;
}
