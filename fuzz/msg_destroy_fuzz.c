// SPDX-License-Identifier: GPL-2.0
/*
 * msg_destroy_fuzz - libFuzzer harness for libmach's mach_msg_destroy()
 * (libmach/src/msg_destroy.c), the descriptor walk every server loop and
 * MIG stub relies on to release a message nobody will process.
 *
 * The input is a message (msg_fuzz.c makes it one a kernel could have
 * delivered).  Checked, besides what ASan and UBSan see: no right is given
 * up more often than the message carried it (a MAKE_* right is made, then
 * given up: that nets out), a right the message moved once is given up,
 * only memory the message held goes back with vm_deallocate, and every
 * OOL region marked deallocate does.
 */
#include <stdlib.h>
#include <string.h>

#include "msg_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct mf_rights r;
	uint8_t *buf;
	size_t size;

	fake_reset();
	memset(&r, 0, sizeof(r));
	buf = malloc(len + 4);
	if (!buf)
		return 0;
	/* the message lives in a buffer of exactly its size: ASan sees overruns */
	size = mf_build(buf, len, data, len, &r, true);
	if (!size) {
		free(buf);
		return 0;
	}
	mach_msg_destroy((mach_msg_header_t *)buf);

	for (unsigned int i = 0; i < r.n; i++) {
		struct fake_name *n = fake_entry(r.e[i].name);
		int given = n ? n->released - n->made : 0;

		if (given > r.e[i].moved)
			fake_fail("name 0x%x given up %d times, moved %d times", r.e[i].name,
				  given, r.e[i].moved);
		if (r.e[i].moved == 1 && r.e[i].seen == 1 && given != 1)
			fake_fail("name 0x%x moved once but given up %d times", r.e[i].name,
				  given);
	}
	if (fake_regions_freed() != r.ool_regions)
		fake_fail("%u OOL regions to deallocate, %u deallocated", r.ool_regions,
			  fake_regions_freed());
	mf_release(&r);
	free(buf);
	return 0;
}
