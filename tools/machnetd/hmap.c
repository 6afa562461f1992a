// SPDX-License-Identifier: GPL-2.0
/* Open addressing with linear probing; grows at 50% use (tombstones count). */
#include <stdlib.h>

#include "hmap.h"

void hmap_init(struct hmap *m)
{
	m->keys = NULL;
	m->vals = NULL;
	m->cap = m->count = m->used = 0;
}

void hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
	hmap_init(m);
}

/* splitmix64's finalizer: names and ids are sequential, spread them. */
static size_t slot_of(uint64_t key, size_t cap)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ull;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebull;
	key ^= key >> 31;
	return (size_t)key & (cap - 1);
}

static bool resize(struct hmap *m, size_t cap)
{
	uint64_t *keys = calloc(cap, sizeof(*keys));
	uint64_t *vals = calloc(cap, sizeof(*vals));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return false;
	}
	for (size_t i = 0; i < m->cap; i++) {
		uint64_t k = m->keys[i];
		size_t s;

		if (k == 0 || k == HMAP_TOMB)
			continue;
		for (s = slot_of(k, cap); keys[s] != 0; s = (s + 1) & (cap - 1))
			;
		keys[s] = k;
		vals[s] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	m->used = m->count;
	return true;
}

static size_t find(const struct hmap *m, uint64_t key)
{
	if (m->cap == 0)
		return SIZE_MAX;
	for (size_t s = slot_of(key, m->cap);; s = (s + 1) & (m->cap - 1)) {
		if (m->keys[s] == key)
			return s;
		if (m->keys[s] == 0)
			return SIZE_MAX;
	}
}

bool hmap_put(struct hmap *m, uint64_t key, uint64_t val)
{
	size_t s;

	if (key == 0 || key == HMAP_TOMB)
		return false;
	s = find(m, key);
	if (s != SIZE_MAX) {
		m->vals[s] = val;
		return true;
	}
	if ((m->used + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap : 16;

		/* Same size when tombstones filled it: rehashing drops them. */
		while ((m->count + 1) * 2 > cap)
			cap *= 2;
		if (!resize(m, cap))
			return false;
	}
	for (s = slot_of(key, m->cap);; s = (s + 1) & (m->cap - 1)) {
		if (m->keys[s] == 0 || m->keys[s] == HMAP_TOMB)
			break;
	}
	if (m->keys[s] == 0)
		m->used++;
	m->keys[s] = key;
	m->vals[s] = val;
	m->count++;
	return true;
}

bool hmap_get(const struct hmap *m, uint64_t key, uint64_t *val)
{
	size_t s = key == 0 || key == HMAP_TOMB ? SIZE_MAX : find(m, key);

	if (s == SIZE_MAX)
		return false;
	if (val)
		*val = m->vals[s];
	return true;
}

bool hmap_del(struct hmap *m, uint64_t key)
{
	size_t s = key == 0 || key == HMAP_TOMB ? SIZE_MAX : find(m, key);

	if (s == SIZE_MAX)
		return false;
	m->keys[s] = HMAP_TOMB;
	m->count--;
	return true;
}

bool hmap_next(const struct hmap *m, size_t *pos, uint64_t *key, uint64_t *val)
{
	for (; *pos < m->cap; (*pos)++) {
		uint64_t k = m->keys[*pos];

		if (k != 0 && k != HMAP_TOMB) {
			if (key)
				*key = k;
			if (val)
				*val = m->vals[*pos];
			(*pos)++;
			return true;
		}
	}
	return false;
}
