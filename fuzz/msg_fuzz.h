/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msg_fuzz.h - turning fuzz bytes into a message a kernel could have
 * delivered, for the harnesses: msgh_size is the real length, every
 * out-of-line address points at memory of the size it claims, and the
 * task holds the rights the message names.  What the message carries is
 * counted, so a harness can check what the code under test gave back.
 */
#ifndef MSG_FUZZ_H
#define MSG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "fake_mach.h"

#define MF_MAX_NAMES	256

struct mf_rights {
	unsigned int n;
	struct {
		mach_port_name_t name;
		int moved;	/* MOVE_* occurrences: what destroying gives up */
		int seen;	/* occurrences of any disposition that holds a right */
	} e[MF_MAX_NAMES];
	unsigned int ool_regions;	/* OOL regions marked deallocate */
	void *mem[64];			/* memory the harness made for OOL parts */
	unsigned int nmem;
};

/*
 * Lay 'len' bytes out as a message in 'buf' (room for 'cap' bytes): a
 * header whose msgh_size is the length (rounded down to 4 bytes), and
 * for a complex one its descriptors made sound (OOL memory of the stated
 * size, at most 64 KiB, OOL port arrays filled from the input).  Adds the
 * rights it names to the fake task (unless 'own' is false) and counts
 * them in 'r' (which may be NULL).  Returns the message size, or 0 if
 * there are too few bytes for a header.
 */
size_t mf_build(uint8_t *buf, size_t cap, const uint8_t *data, size_t len,
		struct mf_rights *r, bool own);
/* Free the memory mf_build made. */
void mf_release(struct mf_rights *r);
/* How many MOVE_* rights of 'name' the message carried (0 if none). */
int mf_moved(const struct mf_rights *r, mach_port_name_t name);

#endif /* MSG_FUZZ_H */
