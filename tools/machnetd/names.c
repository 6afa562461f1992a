// SPDX-License-Identifier: GPL-2.0
/* The local netname table: a plain array; names are few and looked up rarely. */
#include <stdlib.h>
#include <string.h>

#include <servers/netname.h>

#include "names.h"

static struct name_entry *table;
static size_t count, cap;

static struct name_entry *lookup(const char *key)
{
	for (size_t i = 0; i < count; i++)
		if (strncmp(table[i].key, key, NAMES_KEY_LEN) == 0)
			return &table[i];
	return NULL;
}

const struct name_entry *names_find(const char *key)
{
	return lookup(key);
}

int names_check_in(const char *key, mach_port_t sig, mach_port_t port,
		   struct name_entry *old, int *replaced)
{
	struct name_entry *e = lookup(key);

	*replaced = 0;
	if (e != NULL) {
		if (e->sig != sig)
			return NETNAME_NOT_YOURS;
		*old = *e;
		*replaced = 1;
		e->port = port;
		return NETNAME_SUCCESS;
	}
	if (count == cap) {
		size_t ncap = cap ? cap * 2 : 16;
		struct name_entry *t = realloc(table, ncap * sizeof(*t));

		if (t == NULL)
			return KERN_RESOURCE_SHORTAGE;
		table = t;
		cap = ncap;
	}
	e = &table[count++];
	memset(e, 0, sizeof(*e));
	strncpy(e->key, key, NAMES_KEY_LEN - 1);
	e->port = port;
	e->sig = sig;
	return NETNAME_SUCCESS;
}

int names_check_out(const char *key, mach_port_t sig, struct name_entry *old)
{
	struct name_entry *e = lookup(key);

	if (e == NULL)
		return NETNAME_NOT_CHECKED_IN;
	if (e->sig != sig)
		return NETNAME_NOT_YOURS;
	*old = *e;
	*e = table[--count];
	return NETNAME_SUCCESS;
}

size_t names_remove_port(mach_port_t name, struct name_entry *out, size_t max)
{
	size_t n = 0, i = 0;

	while (i < count && n < max) {
		if (table[i].port == name || (table[i].sig == name && name != MACH_PORT_NULL)) {
			out[n++] = table[i];
			table[i] = table[--count];
		} else {
			i++;
		}
	}
	return n;
}

const struct name_entry *names_first(void)
{
	return count ? &table[0] : NULL;
}

size_t names_count(void)
{
	return count;
}

void names_clear(void)
{
	free(table);
	table = NULL;
	count = cap = 0;
}
