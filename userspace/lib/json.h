/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal JSON writer: compact output into an hd_buf, commas handled for
 * the caller. Enough for status objects; nesting up to HD_JSON_DEPTH.
 */
#ifndef HADISK_JSON_H
#define HADISK_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define HD_JSON_DEPTH 8

struct hd_json {
	struct hd_buf *b;
	unsigned int depth;
	bool after_key;			/* a value completes a "key": */
	bool has_item[HD_JSON_DEPTH];	/* the next item needs a comma */
};

void hd_json_init(struct hd_json *j, struct hd_buf *b);
void hd_json_object_begin(struct hd_json *j);
void hd_json_object_end(struct hd_json *j);
void hd_json_array_begin(struct hd_json *j);
void hd_json_array_end(struct hd_json *j);
void hd_json_key(struct hd_json *j, const char *key);
/* A string, or null for NULL. */
void hd_json_string(struct hd_json *j, const char *s);
void hd_json_u64(struct hd_json *j, uint64_t v);
/* A number with one decimal, e.g. 42.5. */
void hd_json_fixed1(struct hd_json *j, double v);
void hd_json_null(struct hd_json *j);
void hd_json_bool(struct hd_json *j, bool v);

/* Appends s as a quoted, escaped JSON string. */
void hd_json_quote(struct hd_buf *b, const char *s);

#endif /* HADISK_JSON_H */
