/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hadiskd knows of each resource: the last status it saw, so that it
 * can log what an event changed.
 */
#ifndef HADISKD_TRACK_H
#define HADISKD_TRACK_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

struct hd_track {
	struct hd_status *v;
	size_t n;
};

/*
 * Records st as the resource's new state and describes in b what changed
 * since the last one ("connection Connecting -> Connected, ..."); b stays
 * empty when nothing did. Returns 1 if the resource was new, else 0.
 */
int hd_track_update(struct hd_track *t, const struct hd_status *st,
		    struct hd_buf *b);

/* Forgets resources whose names are not in seen[0..n) (a full dump). */
void hd_track_keep_only(struct hd_track *t, const struct hd_status *seen,
			size_t n, void (*gone)(const struct hd_status *st));

/* Forgets the resource named res, if known. */
void hd_track_forget(struct hd_track *t, const char *res);

void hd_track_free(struct hd_track *t);

#endif /* HADISKD_TRACK_H */
