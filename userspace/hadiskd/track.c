// SPDX-License-Identifier: GPL-2.0
/*
 * Per-resource state memory of hadiskd, see track.h.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "track.h"

static struct hd_status *find(struct hd_track *t, const char *res)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].resource, res))
			return &t->v[i];
	return NULL;
}

static void change(struct hd_buf *b, const char *what, const char *from,
		   const char *to)
{
	if (!strcmp(from, to))
		return;
	hd_buf_printf(b, "%s%s %s -> %s", b->len ? ", " : "", what, from, to);
}

int hd_track_update(struct hd_track *t, const struct hd_status *st,
		    struct hd_buf *b)
{
	struct hd_status *old = find(t, st->resource);
	char s1[32], s2[32];

	if (!old) {
		old = realloc(t->v, (t->n + 1) * sizeof(*t->v));
		if (!old)
			return 1;	/* not remembered: new again next time */
		t->v = old;
		t->v[t->n++] = *st;
		return 1;
	}
	change(b, "role", hd_status_role_str(old->role, s1, sizeof(s1)),
	       hd_status_role_str(st->role, s2, sizeof(s2)));
	change(b, "disk", hd_status_disk_str(old->disk, s1, sizeof(s1)),
	       hd_status_disk_str(st->disk, s2, sizeof(s2)));
	change(b, "connection", hd_status_conn_str(old->conn, s1, sizeof(s1)),
	       hd_status_conn_str(st->conn, s2, sizeof(s2)));
	change(b, "peer-role",
	       hd_status_role_str(old->peer_role, s1, sizeof(s1)),
	       hd_status_role_str(st->peer_role, s2, sizeof(s2)));
	change(b, "peer-disk",
	       hd_status_disk_str(old->peer_disk, s1, sizeof(s1)),
	       hd_status_disk_str(st->peer_disk, s2, sizeof(s2)));
	if (strcmp(old->last_error, st->last_error) && st->last_error[0])
		hd_buf_printf(b, "%slast error \"%s\"", b->len ? ", " : "",
			      st->last_error);
	*old = *st;
	return 0;
}

void hd_track_keep_only(struct hd_track *t, const struct hd_status *seen,
			size_t n, void (*gone)(const struct hd_status *st))
{
	size_t i = 0, j;

	while (i < t->n) {
		bool found = false;

		for (j = 0; j < n && !found; j++)
			found = !strcmp(seen[j].resource, t->v[i].resource);
		if (found) {
			i++;
			continue;
		}
		gone(&t->v[i]);
		t->v[i] = t->v[--t->n];
	}
}

void hd_track_forget(struct hd_track *t, const char *res)
{
	struct hd_status *st = find(t, res);

	if (st)
		*st = t->v[--t->n];
}

void hd_track_free(struct hd_track *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
