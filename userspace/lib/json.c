// SPDX-License-Identifier: GPL-2.0
/*
 * Minimal JSON writer, see json.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

void hd_json_init(struct hd_json *j, struct hd_buf *b)
{
	memset(j, 0, sizeof(*j));
	j->b = b;
}

/* Called before every value and every key. */
static void separate(struct hd_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->has_item[j->depth])
		hd_buf_putc(j->b, ',');
	j->has_item[j->depth] = true;
}

static void open_level(struct hd_json *j, char c)
{
	separate(j);
	hd_buf_putc(j->b, c);
	if (j->depth + 1 < HD_JSON_DEPTH)
		j->depth++;
	j->has_item[j->depth] = false;
}

static void close_level(struct hd_json *j, char c)
{
	hd_buf_putc(j->b, c);
	if (j->depth)
		j->depth--;
}

void hd_json_object_begin(struct hd_json *j)
{
	open_level(j, '{');
}

void hd_json_object_end(struct hd_json *j)
{
	close_level(j, '}');
}

void hd_json_array_begin(struct hd_json *j)
{
	open_level(j, '[');
}

void hd_json_array_end(struct hd_json *j)
{
	close_level(j, ']');
}

void hd_json_quote(struct hd_buf *b, const char *s)
{
	const unsigned char *p;

	hd_buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			hd_buf_puts(b, "\\\"");
			break;
		case '\\':
			hd_buf_puts(b, "\\\\");
			break;
		case '\n':
			hd_buf_puts(b, "\\n");
			break;
		case '\t':
			hd_buf_puts(b, "\\t");
			break;
		case '\r':
			hd_buf_puts(b, "\\r");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				hd_buf_printf(b, "\\u%04x", *p);
			else
				hd_buf_putc(b, (char)*p);
		}
	}
	hd_buf_putc(b, '"');
}

void hd_json_key(struct hd_json *j, const char *key)
{
	separate(j);
	hd_json_quote(j->b, key);
	hd_buf_putc(j->b, ':');
	j->after_key = true;
}

void hd_json_string(struct hd_json *j, const char *s)
{
	if (!s) {
		hd_json_null(j);
		return;
	}
	separate(j);
	hd_json_quote(j->b, s);
}

void hd_json_u64(struct hd_json *j, uint64_t v)
{
	separate(j);
	hd_buf_printf(j->b, "%" PRIu64, v);
}

void hd_json_fixed1(struct hd_json *j, double v)
{
	separate(j);
	hd_buf_printf(j->b, "%.1f", v);
}

void hd_json_null(struct hd_json *j)
{
	separate(j);
	hd_buf_puts(j->b, "null");
}

void hd_json_bool(struct hd_json *j, bool v)
{
	separate(j);
	hd_buf_puts(j->b, v ? "true" : "false");
}
