// SPDX-License-Identifier: GPL-2.0
/*
 * json_util.c - a strict JSON parser for the tests (see json_util.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

#define JSON_MAX_DEPTH	64

struct parser {
	const char *p;
	const char *start;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->failed)
		return;
	ps->failed = true;
	n = snprintf(ps->err, ps->errlen, "at offset %td: ", ps->p - ps->start);
	if (n < 0 || (size_t)n >= ps->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static bool parse_value(struct parser *ps, struct jv *v, int depth);

/* A growing byte buffer for strings. */
struct buf {
	char *s;
	size_t n, cap;
};

static bool buf_put(struct buf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		char *s = realloc(b->s, cap);

		if (!s)
			return false;
		b->s = s;
		b->cap = cap;
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
	return true;
}

static bool buf_utf8(struct buf *b, uint32_t cp)
{
	if (cp < 0x80)
		return buf_put(b, (char)cp);
	if (cp < 0x800)
		return buf_put(b, (char)(0xc0 | cp >> 6)) &&
		       buf_put(b, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return buf_put(b, (char)(0xe0 | cp >> 12)) &&
		       buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) &&
		       buf_put(b, (char)(0x80 | (cp & 0x3f)));
	return buf_put(b, (char)(0xf0 | cp >> 18)) &&
	       buf_put(b, (char)(0x80 | ((cp >> 12) & 0x3f))) &&
	       buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f))) &&
	       buf_put(b, (char)(0x80 | (cp & 0x3f)));
}

static int hex4(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* One raw UTF-8 sequence starting at ps->p (not ASCII): valid and minimal. */
static bool utf8_seq(struct parser *ps, struct buf *b)
{
	const unsigned char *u = (const unsigned char *)ps->p;
	uint32_t cp, min;
	int len, i;

	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2, cp = u[0] & 0x1f, min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3, cp = u[0] & 0x0f, min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4, cp = u[0] & 0x07, min = 0x10000;
	} else {
		fail(ps, "invalid UTF-8 lead byte 0x%02x", u[0]);
		return false;
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80) {
			fail(ps, "truncated UTF-8 sequence");
			return false;
		}
		cp = cp << 6 | (u[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		fail(ps, "invalid UTF-8 code point");
		return false;
	}
	for (i = 0; i < len; i++)
		if (!buf_put(b, (char)u[i]))
			return false;
	ps->p += len;
	return true;
}

static char *parse_string(struct parser *ps)
{
	struct buf b = { 0 };
	uint32_t cp, lo;

	if (*ps->p != '"') {
		fail(ps, "expected a string");
		return NULL;
	}
	ps->p++;
	if (!buf_put(&b, 'x'))	/* make b.s non-NULL ... */
		goto nomem;
	b.n = 0;		/* ... for the empty string */
	b.s[0] = '\0';
	for (;;) {
		unsigned char c = (unsigned char)*ps->p;

		if (c == '"') {
			ps->p++;
			return b.s;
		}
		if (c == '\0') {
			fail(ps, "unterminated string");
			goto err;
		}
		if (c < 0x20) {
			fail(ps, "control character 0x%02x in a string", c);
			goto err;
		}
		if (c >= 0x80) {
			if (!utf8_seq(ps, &b))
				goto err;
			continue;
		}
		if (c != '\\') {
			if (!buf_put(&b, (char)c))
				goto nomem;
			ps->p++;
			continue;
		}
		ps->p++;
		switch (*ps->p) {
		case '"': case '\\': case '/':
			c = (unsigned char)*ps->p;
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (hex4(ps->p + 1, &cp)) {
				fail(ps, "bad \\u escape");
				goto err;
			}
			ps->p += 5;
			if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(ps, "lone low surrogate");
				goto err;
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->p[0] != '\\' || ps->p[1] != 'u' ||
				    hex4(ps->p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					fail(ps, "lone high surrogate");
					goto err;
				}
				ps->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (!buf_utf8(&b, cp))
				goto nomem;
			continue;
		default:
			fail(ps, "bad escape");
			goto err;
		}
		if (!buf_put(&b, (char)c))
			goto nomem;
		ps->p++;
	}
nomem:
	fail(ps, "out of memory");
err:
	free(b.s);
	return NULL;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool parse_number(struct parser *ps, struct jv *v)
{
	const char *s = ps->p;
	char *end;

	v->type = JV_NUMBER;
	v->integer = true;
	if (*ps->p == '-')
		ps->p++;
	if (*ps->p == '0') {
		ps->p++;
	} else if (*ps->p >= '1' && *ps->p <= '9') {
		while (is_digit(*ps->p))
			ps->p++;
	} else {
		fail(ps, "bad number");
		return false;
	}
	if (*ps->p == '.') {
		v->integer = false;
		ps->p++;
		if (!is_digit(*ps->p)) {
			fail(ps, "bad fraction");
			return false;
		}
		while (is_digit(*ps->p))
			ps->p++;
	}
	if (*ps->p == 'e' || *ps->p == 'E') {
		v->integer = false;
		ps->p++;
		if (*ps->p == '+' || *ps->p == '-')
			ps->p++;
		if (!is_digit(*ps->p)) {
			fail(ps, "bad exponent");
			return false;
		}
		while (is_digit(*ps->p))
			ps->p++;
	}
	v->d = strtod(s, NULL);
	if (v->integer) {
		errno = 0;
		v->i = strtoll(s, &end, 10);
		if (errno || end != ps->p)
			v->integer = false;
	}
	return true;
}

static bool grow(struct jv *v, bool object)
{
	struct jv *nv = realloc(v->v, (v->n + 1) * sizeof(*nv));

	if (!nv)
		return false;
	v->v = nv;
	memset(&nv[v->n], 0, sizeof(*nv));
	if (object) {
		char **nk = realloc(v->k, (v->n + 1) * sizeof(*nk));

		if (!nk)
			return false;
		v->k = nk;
		nk[v->n] = NULL;
	}
	return true;
}

static bool parse_container(struct parser *ps, struct jv *v, int depth)
{
	bool object = *ps->p == '{';
	char close = object ? '}' : ']';
	size_t i;

	if (depth >= JSON_MAX_DEPTH) {
		fail(ps, "nested too deeply");
		return false;
	}
	v->type = object ? JV_OBJECT : JV_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		if (!grow(v, object)) {
			fail(ps, "out of memory");
			return false;
		}
		v->n++;
		if (object) {
			skip_ws(ps);
			v->k[v->n - 1] = parse_string(ps);
			if (!v->k[v->n - 1])
				return false;
			for (i = 0; i + 1 < v->n; i++)
				if (!strcmp(v->k[i], v->k[v->n - 1])) {
					fail(ps, "duplicate key \"%s\"", v->k[i]);
					return false;
				}
			skip_ws(ps);
			if (*ps->p != ':') {
				fail(ps, "expected ':'");
				return false;
			}
			ps->p++;
		}
		if (!parse_value(ps, &v->v[v->n - 1], depth + 1))
			return false;
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			return true;
		}
		fail(ps, "expected ',' or '%c'", close);
		return false;
	}
}

static bool parse_value(struct parser *ps, struct jv *v, int depth)
{
	skip_ws(ps);
	switch (*ps->p) {
	case '{':
	case '[':
		return parse_container(ps, v, depth);
	case '"':
		v->type = JV_STRING;
		v->s = parse_string(ps);
		return v->s != NULL;
	case 't':
	case 'f':
	case 'n':
		if (!strncmp(ps->p, "true", 4)) {
			v->type = JV_BOOL;
			v->b = true;
			ps->p += 4;
		} else if (!strncmp(ps->p, "false", 5)) {
			v->type = JV_BOOL;
			ps->p += 5;
		} else if (!strncmp(ps->p, "null", 4)) {
			v->type = JV_NULL;
			ps->p += 4;
		} else {
			fail(ps, "bad literal");
			return false;
		}
		return true;
	default:
		return parse_number(ps, v);
	}
}

static void json_free_members(struct jv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++) {
		json_free_members(&v->v[i]);
		if (v->k)
			free(v->k[i]);
	}
	free(v->v);
	free(v->k);
	free(v->s);
}

void json_free(struct jv *v)
{
	if (!v)
		return;
	json_free_members(v);
	free(v);
}

struct jv *json_parse(const char *text, char *err, size_t errlen)
{
	struct parser ps = { text, text, err, errlen, false };
	struct jv *v = calloc(1, sizeof(*v));

	if (errlen)
		err[0] = '\0';
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_value(&ps, v, 0)) {
		skip_ws(&ps);
		if (*ps.p == '\0')
			return v;
		fail(&ps, "trailing characters");
	}
	json_free(v);
	return NULL;
}

const struct jv *json_get(const struct jv *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != JV_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (!strcmp(obj->k[i], key))
			return &obj->v[i];
	return NULL;
}

const struct jv *json_at(const struct jv *arr, size_t i)
{
	if (!arr || arr->type != JV_ARRAY || i >= arr->n)
		return NULL;
	return &arr->v[i];
}

long long json_int(const struct jv *obj, const char *key, long long missing)
{
	const struct jv *v = json_get(obj, key);

	return v && v->type == JV_NUMBER && v->integer ? v->i : missing;
}

bool json_has_str(const struct jv *arr, const char *s)
{
	size_t i;

	for (i = 0; arr && arr->type == JV_ARRAY && i < arr->n; i++)
		if (arr->v[i].type == JV_STRING && !strcmp(arr->v[i].s, s))
			return true;
	return false;
}

bool json_has_int(const struct jv *arr, long long n)
{
	size_t i;

	for (i = 0; arr && arr->type == JV_ARRAY && i < arr->n; i++)
		if (arr->v[i].type == JV_NUMBER && arr->v[i].integer &&
		    arr->v[i].i == n)
			return true;
	return false;
}
