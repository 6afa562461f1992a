// SPDX-License-Identifier: GPL-2.0
/* hmap against a plain array model through inserts, replaces, deletes and regrowth. */
#include <stdint.h>
#include <stdlib.h>

#include "hmap.h"
#include "unit.h"

#define N 5000

static uint64_t model[N + 1];	/* 0: absent */

int main(void)
{
	struct hmap m;
	uint64_t v, k, seen = 0;
	uint32_t rnd = 12345;

	hmap_init(&m);
	CHECK(!hmap_get(&m, 1, &v));
	CHECK(!hmap_put(&m, 0, 1));		/* reserved keys */
	CHECK(!hmap_put(&m, HMAP_TOMB, 1));
	CHECK(!hmap_del(&m, 7));
	for (int step = 0; step < 200000; step++) {
		uint32_t key;

		rnd = rnd * 1103515245u + 12345u;
		key = 1 + (rnd >> 8) % N;
		switch ((rnd >> 4) % 3) {
		case 0:
		case 1:
			CHECK(hmap_put(&m, key, step + 1));
			model[key] = step + 1;
			break;
		default:
			CHECK(hmap_del(&m, key) == (model[key] != 0));
			model[key] = 0;
			break;
		}
	}
	for (uint32_t key = 1; key <= N; key++) {
		bool found = hmap_get(&m, key, &v);

		CHECK(found == (model[key] != 0));
		if (found)
			CHECK(v == model[key]);
		if (model[key])
			seen++;
	}
	CHECK(m.count == seen);
	/* Iteration visits each live key once, and deleting while iterating is allowed. */
	k = 0;
	for (size_t pos = 0; hmap_next(&m, &pos, &k, &v);) {
		CHECK(model[k] == v);
		model[k] = 0;
		CHECK(hmap_del(&m, k));
	}
	CHECK(m.count == 0);
	for (uint32_t key = 1; key <= N; key++)
		CHECK(model[key] == 0);
	/* Large keys (names with generations, ids). */
	CHECK(hmap_put(&m, UINT64_MAX - 1, 42));
	CHECK(hmap_get(&m, UINT64_MAX - 1, &v) && v == 42);
	hmap_free(&m);
	return unit_report("test_hmap");
}
