// SPDX-License-Identifier: GPL-2.0
/* Per-peer reference counts: see counts.h. */
#include <stdlib.h>

#include "counts.h"

bool counts_init(struct counts *k, unsigned int npeers)
{
	k->n = npeers;
	k->nonzero = 0;
	k->c = calloc(npeers ? npeers : 1, sizeof(*k->c));
	return k->c != NULL;
}

void counts_free(struct counts *k)
{
	free(k->c);
	k->c = NULL;
	k->n = k->nonzero = 0;
}

void counts_add(struct counts *k, unsigned int i, int64_t delta)
{
	int64_t before;

	if (i >= k->n || delta == 0)
		return;
	before = k->c[i];
	k->c[i] += delta;
	if (before == 0)
		k->nonzero++;
	if (k->c[i] == 0)
		k->nonzero--;
}

void counts_zero(struct counts *k, unsigned int i)
{
	if (i < k->n && k->c[i] != 0) {
		k->c[i] = 0;
		k->nonzero--;
	}
}

int64_t counts_get(const struct counts *k, unsigned int i)
{
	return i < k->n ? k->c[i] : 0;
}

bool counts_all_zero(const struct counts *k)
{
	return k->nonzero == 0;
}
