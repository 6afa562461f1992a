// SPDX-License-Identifier: GPL-2.0
/* Seed corpus for fuzz_frame: one file per frame type, and a whole session. */
#include <stdio.h>

#include "wire_samples.h"

static void save(const char *dir, const char *name, const struct wbuf *b)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(b->data, 1, b->len, f);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	struct wbuf b, all;
	char name[32];

	if (argc != 2)
		return 2;
	wbuf_init(&b);
	wbuf_init(&all);
	for (uint16_t t = WIRE_HELLO; t < WIRE_TYPE_END; t++) {
		wbuf_reset(&b);
		sample_frame(&b, t, 1);
		snprintf(name, sizeof(name), "type%u", t);
		save(argv[1], name, &b);
		sample_frame(&all, t, t);
	}
	save(argv[1], "session", &all);
	return 0;
}
