/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small open-addressing hash map from a u64 key to a u64 value: the
 * tables of machnetd (names to records, network ids to names) all use it.
 * Key 0 is reserved (it marks an empty slot); no Mach calls, host-testable.
 */
#ifndef MACHNETD_HMAP_H
#define MACHNETD_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap {
	uint64_t	*keys;		/* 0: empty, HMAP_TOMB: deleted */
	uint64_t	*vals;
	size_t		cap;		/* a power of two, or 0 */
	size_t		count;		/* live entries */
	size_t		used;		/* live + deleted slots */
};

#define HMAP_TOMB	UINT64_MAX	/* reserved too */

void hmap_init(struct hmap *m);
void hmap_free(struct hmap *m);
/* Insert or replace; false when out of memory (or a reserved key). */
bool hmap_put(struct hmap *m, uint64_t key, uint64_t val);
bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val);
bool hmap_del(struct hmap *m, uint64_t key);

/* Iterate: for (size_t i = 0; hmap_next(m, &i, &k, &v);) */
bool hmap_next(const struct hmap *m, size_t *pos, uint64_t *key, uint64_t *val);

#endif /* MACHNETD_HMAP_H */
