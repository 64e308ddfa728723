// SPDX-License-Identifier: GPL-2.0
/*
 * Growable text buffer, see buf.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static void hd_buf_grow(struct hd_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap = b->cap ? b->cap : 128;
	char *p;

	if (need <= b->cap)
		return;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		fputs("hadisk: out of memory\n", stderr);
		exit(70);
	}
	b->data = p;
	b->cap = cap;
}

void hd_buf_add(struct hd_buf *b, const char *s, size_t n)
{
	hd_buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void hd_buf_puts(struct hd_buf *b, const char *s)
{
	hd_buf_add(b, s, strlen(s));
}

void hd_buf_putc(struct hd_buf *b, char c)
{
	hd_buf_add(b, &c, 1);
}

void hd_buf_printf(struct hd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	hd_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *hd_buf_str(const struct hd_buf *b)
{
	return b->data ? b->data : "";
}

void hd_buf_reset(struct hd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void hd_buf_free(struct hd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}
