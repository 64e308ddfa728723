/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict JSON syntax checker (RFC 8259) for the tests: json_valid() is
 * true when the whole text is exactly one JSON value, with surrounding
 * whitespace allowed.
 */
#ifndef HADISK_JSONCHECK_H
#define HADISK_JSONCHECK_H

#include <stdbool.h>
#include <string.h>

static const char *jc_value(const char *p, int depth);

static const char *jc_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *jc_string(const char *p)
{
	int i;

	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*p++;

		if (c == '"')
			return p;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		c = (unsigned char)*p++;
		if (c == 'u') {
			for (i = 0; i < 4; i++, p++)
				if (!strchr("0123456789abcdefABCDEF", *p) ||
				    !*p)
					return NULL;
		} else if (!c || !strchr("\"\\/bfnrt", c)) {
			return NULL;
		}
	}
}

static const char *jc_digits(const char *p)
{
	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

static const char *jc_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else
		p = jc_digits(p);
	if (p && *p == '.')
		p = jc_digits(p + 1);
	if (!p)
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = jc_digits(p);
	}
	return p;
}

static const char *jc_container(const char *p, int depth, char close,
				bool object)
{
	p = jc_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (object) {
			p = jc_string(jc_ws(p));
			if (!p)
				return NULL;
			p = jc_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = jc_value(p, depth + 1);
		if (!p)
			return NULL;
		p = jc_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *jc_value(const char *p, int depth)
{
	if (depth > 64)
		return NULL;
	p = jc_ws(p);
	switch (*p) {
	case '{':
		return jc_container(p, depth, '}', true);
	case '[':
		return jc_container(p, depth, ']', false);
	case '"':
		return jc_string(p);
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default:
		return jc_number(p);
	}
}

static inline bool json_valid(const char *text)
{
	const char *end = jc_value(text, 0);

	return end && !*jc_ws(end);
}

#endif /* HADISK_JSONCHECK_H */
