/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-peer reference counts of one exported port (pure; host-tested).
 * Counts are signed: a peer's RELEASE may overtake the TRANSFER that
 * announced its references.  The owner may drop its right only when every
 * count is exactly zero.
 */
#ifndef MACHNETD_COUNTS_H
#define MACHNETD_COUNTS_H

#include <stdbool.h>
#include <stdint.h>

struct counts {
	int64_t		*c;		/* one per peer */
	unsigned int	n;
	unsigned int	nonzero;	/* how many are not 0 */
};

bool counts_init(struct counts *k, unsigned int npeers);
void counts_free(struct counts *k);
/* Add delta to peer i's count (delta may be negative). */
void counts_add(struct counts *k, unsigned int i, int64_t delta);
/* Forget peer i (it failed): its count becomes 0. */
void counts_zero(struct counts *k, unsigned int i);
int64_t counts_get(const struct counts *k, unsigned int i);
/* Every count exactly zero: nobody remote holds the port. */
bool counts_all_zero(const struct counts *k);

#endif /* MACHNETD_COUNTS_H */
