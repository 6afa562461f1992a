/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MIG runtime support: the NDR tag, bounded string copies, OOL memory. */
#include <stdlib.h>

#include "internal.h"

/* Little-endian integers, ASCII, IEEE floats: x86_64 and arm64 alike. */
MACH_EXPORT NDR_record_t NDR_record = {
	.mig_vers = 0,
	.if_vers = 0,
	.reserved1 = 0,
	.mig_encoding = NDR_PROTOCOL_2_0,
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	.int_rep = NDR_INT_BIG_ENDIAN,
#else
	.int_rep = NDR_INT_LITTLE_ENDIAN,
#endif
	.char_rep = NDR_CHAR_ASCII,
	.float_rep = NDR_FLOAT_IEEE,
	.reserved2 = 0,
};

/*
 * Copy at most len - 1 characters and always terminate.  The result counts
 * the terminating NUL (len when src was cut short), which is what MIG puts
 * in a variable-length string's count.
 */
MACH_EXPORT int mig_strncpy(char *dest, const char *src, int len)
{
	int n;

	if (dest == NULL || len <= 0)
		return 0;
	if (src == NULL) {
		dest[0] = '\0';
		return 1;
	}
	for (n = 0; n < len - 1 && src[n] != '\0'; n++)
		dest[n] = src[n];
	dest[n] = '\0';
	return n + 1;
}

/* As mig_strncpy, but clear the rest of dest so no stale bytes are sent. */
MACH_EXPORT int mig_strncpy_zerofill(char *dest, const char *src, int len)
{
	int copied, i;

	copied = mig_strncpy(dest, src, len);
	for (i = copied; i < len; i++)
		dest[i] = '\0';
	return copied;
}

MACH_EXPORT void mig_allocate(vm_address_t *addr, vm_size_t size)
{
	if (vm_allocate(mach_task_self(), addr, size, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		*addr = 0;
}

MACH_EXPORT void mig_deallocate(vm_address_t addr, vm_size_t size)
{
	(void)vm_deallocate(mach_task_self(), addr, size);
}

MACH_EXPORT void *mig_user_allocate(vm_size_t size)
{
	return malloc(size ? size : 1);
}

MACH_EXPORT void mig_user_deallocate(char *data, vm_size_t size)
{
	(void)size;
	free(data);
}

MACH_EXPORT void mig_reply_setup(mach_msg_header_t *request, mach_msg_header_t *reply)
{
	mig_reply_error_t *out = (mig_reply_error_t *)reply;

	out->Head.msgh_bits = MACH_MSGH_BITS(MACH_MSGH_BITS_LOCAL(request->msgh_bits), 0);
	out->Head.msgh_size = sizeof(mig_reply_error_t);
	out->Head.msgh_remote_port = request->msgh_local_port;
	out->Head.msgh_local_port = MACH_PORT_NULL;
	/* unsigned: a request id near INT_MAX wraps instead of overflowing */
	out->Head.msgh_id = (mach_msg_id_t)((uint32_t)request->msgh_id + 100);
	out->NDR = NDR_record;
}
