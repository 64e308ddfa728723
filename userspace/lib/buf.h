/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable, always NUL-terminated text buffer. Running out of memory is
 * fatal: the tools print a message and exit, which is the only sensible
 * thing a one-shot admin command can do.
 */
#ifndef HADISK_BUF_H
#define HADISK_BUF_H

#include <stddef.h>

struct hd_buf {
	char *data;	/* NUL-terminated once anything was appended */
	size_t len;	/* bytes used, without the NUL */
	size_t cap;
};

#define HD_BUF_INIT { NULL, 0, 0 }

void hd_buf_add(struct hd_buf *b, const char *s, size_t n);
void hd_buf_puts(struct hd_buf *b, const char *s);
void hd_buf_putc(struct hd_buf *b, char c);
__attribute__((format(printf, 2, 3)))
void hd_buf_printf(struct hd_buf *b, const char *fmt, ...);
/* The text so far; "" for an empty buffer. */
const char *hd_buf_str(const struct hd_buf *b);
void hd_buf_reset(struct hd_buf *b);
void hd_buf_free(struct hd_buf *b);

#endif /* HADISK_BUF_H */
