/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json_util.h - a strict JSON (RFC 8259) parser for checking the output of
 * tools: it rejects anything that is not exactly one valid JSON text
 * (trailing commas, bad escapes, leading zeros, control characters in
 * strings, lone surrogates, trailing garbage) and builds a small tree.
 */
#ifndef JSON_UTIL_H
#define JSON_UTIL_H

#include <stdbool.h>
#include <stddef.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_type type;
	bool b;
	bool integer;		/* a number without fraction or exponent */
	long long i;		/* its value, when integer */
	double d;
	char *s;		/* string (UTF-8, NUL-terminated) */
	size_t n;		/* array or object: number of members */
	struct jv *v;		/* their values */
	char **k;		/* object: their keys */
};

/*
 * Parse text; NULL on error with a message in err.  Nesting deeper than
 * 64 levels is refused.
 */
struct jv *json_parse(const char *text, char *err, size_t errlen);
void json_free(struct jv *v);

/* Object member by key (the first), or NULL; NULL-safe. */
const struct jv *json_get(const struct jv *obj, const char *key);
/* Array element, or NULL. */
const struct jv *json_at(const struct jv *arr, size_t i);
/* An integer member, or 'missing'. */
long long json_int(const struct jv *obj, const char *key, long long missing);
/* Does the array contain this string (integer)? */
bool json_has_str(const struct jv *arr, const char *s);
bool json_has_int(const struct jv *arr, long long i);

#endif /* JSON_UTIL_H */
