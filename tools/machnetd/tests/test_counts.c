// SPDX-License-Identifier: GPL-2.0
/*
 * Count bookkeeping of one exported port across the orders frames may
 * arrive in: the owner may drop its right only when every count is 0.
 */
#include "counts.h"
#include "unit.h"

enum { B, C, D };

int main(void)
{
	struct counts k;

	CHECK(counts_init(&k, 3));
	CHECK(counts_all_zero(&k));
	/* Owner sends two refs to B: held. */
	counts_add(&k, B, 1);
	counts_add(&k, B, 1);
	CHECK(!counts_all_zero(&k) && counts_get(&k, B) == 2);
	/* B forwards one to C; C's RELEASE overtakes B's TRANSFER: C goes negative. */
	counts_add(&k, C, -1);
	CHECK(counts_get(&k, C) == -1 && !counts_all_zero(&k));
	counts_add(&k, C, 1);		/* the TRANSFER arrives */
	CHECK(counts_get(&k, C) == 0 && !counts_all_zero(&k));	/* B still holds */
	counts_add(&k, B, -2);		/* B releases all it received */
	CHECK(counts_all_zero(&k));

	/* The proof's invariant: B's TRANSFER precedes its RELEASE, so B > 0 meanwhile. */
	counts_add(&k, B, 1);
	counts_add(&k, C, -1);		/* C released early */
	CHECK(!counts_all_zero(&k));
	counts_add(&k, B, -1);		/* would be wrong order on one connection... */
	CHECK(!counts_all_zero(&k));	/* ...and still no drop: C is -1 */
	counts_add(&k, C, 1);
	CHECK(counts_all_zero(&k));

	/* A failed peer is forgotten: its count is zeroed, others stand. */
	counts_add(&k, B, 3);
	counts_add(&k, D, 1);
	counts_zero(&k, B);
	CHECK(counts_get(&k, B) == 0 && !counts_all_zero(&k));
	counts_zero(&k, B);		/* twice is harmless */
	counts_add(&k, D, -1);
	CHECK(counts_all_zero(&k));
	/* Negative, then zeroed by failure. */
	counts_add(&k, C, -4);
	counts_zero(&k, C);
	CHECK(counts_all_zero(&k));
	/* Out of range peers and zero deltas change nothing. */
	counts_add(&k, 7, 5);
	counts_add(&k, B, 0);
	CHECK(counts_all_zero(&k) && counts_get(&k, 7) == 0);
	counts_free(&k);
	return unit_report("test_counts");
}
