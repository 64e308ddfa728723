// SPDX-License-Identifier: GPL-2.0
/*
 * The metadata report of dump-md, see mdreport.h.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "mdreport.h"
#include "names.h"
#include "util.h"

#define BLOCKS_PER_EXTENT \
	(1ull << (HD_MD_AL_EXTENT_SHIFT - HD_MD_BM_BLOCK_SHIFT))

__attribute__((format(printf, 2, 3)))
static void warn(struct hd_md_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nr_warnings == HD_MD_REPORT_WARN_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(r->warnings[r->nr_warnings++], HD_MD_REPORT_WARN_LEN, fmt,
		  ap);
	va_end(ap);
}

static void check_fit(struct hd_md_report *r)
{
	const struct hd_md_info *i = &r->info;
	uint64_t data_bytes = i->l.data_sectors << 9;
	uint32_t k, beyond = 0;

	if (i->internal && !r->opened_internal)
		warn(r,
		     "this metadata was created as internal metadata (at the end of its data device), but is read here as the external metadata of %s",
		     r->data_path);
	else if (!i->internal && r->opened_internal)
		warn(r,
		     "this metadata was created as external metadata (for a data device elsewhere), but is read here as internal metadata");
	if (!r->opened_internal && data_bytes > r->data_dev_bytes)
		warn(r,
		     "the metadata describes %" PRIu64 " bytes of data, more than %s holds (%" PRIu64 " bytes; was it shrunk?)",
		     data_bytes, r->data_path, r->data_dev_bytes);
	for (k = 0; r->al_found && k < r->al_nr; k++)
		if (r->al_ext[k] * BLOCKS_PER_EXTENT >= r->data_blocks)
			beyond++;
	if (beyond)
		warn(r,
		     "%u extent%s of the newest activity-log transaction lie%s beyond the data area",
		     beyond, beyond == 1 ? "" : "s", beyond == 1 ? "s" : "");
}

int hd_md_report_read(struct hd_md_report *r, const struct hd_mdev *d,
		      const struct hd_md_info *i, char *err, size_t err_size)
{
	struct hd_md_al_tx *ring;
	uint64_t seq;
	uint32_t s, nr;
	int ret;

	memset(r, 0, sizeof(*r));
	r->data_path = d->data_path;
	r->md_path = d->md_path;
	r->opened_internal = d->internal;
	r->data_dev_bytes = d->data_dev_bytes;
	r->info = *i;
	r->data_blocks = hd_md_data_blocks(i);
	ret = hd_mdev_bm_count(d, i, &r->bits_set, err, err_size);
	if (ret)
		return ret;
	ret = hd_mdev_read_al(d, i, &ring, err, err_size);
	if (ret)
		return ret;
	for (s = 0; s < i->l.al_slots; s++)
		if (!hd_md_al_decode(&ring[s], &seq, NULL, &nr,
				     HD_MD_AL_MAX_ENTRIES, hd_mdev_crc))
			r->al_valid++;
	if (!hd_md_al_newest(ring, i->l.al_slots, &r->al_seq, &r->al_slot,
			     hd_mdev_crc)) {
		r->al_found = true;
		hd_md_al_decode(&ring[r->al_slot], &r->al_seq, r->al_ext,
				&r->al_nr, HD_MD_AL_MAX_ENTRIES, hd_mdev_crc);
	}
	free(ring);
	check_fit(r);
	return 0;
}

const char *hd_md_disk_state(uint32_t flags)
{
	if (!(flags & HD_MDF_CONSISTENT))
		return "Inconsistent";
	return flags & HD_MDF_UPTODATE ? "UpToDate" : "Outdated";
}

bool hd_md_crashed_primary(uint32_t flags)
{
	return flags & (HD_MDF_PRIMARY | HD_MDF_CRASHED_PRIMARY);
}

void hd_md_format_time(uint64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm))
		hd_strlcpy(buf, "unknown", size);
}

/* Text */

static void text_flags(const struct hd_md_report *r, struct hd_buf *b)
{
	uint32_t f = r->info.flags;
	unsigned int bit;
	bool any = false;

	hd_buf_puts(b, "  flags:        ");
	for (bit = 0; bit < 32; bit++) {
		const char *name = hd_md_flag_name(bit);

		/* primary on metadata not attached: it went down Primary */
		if (1u << bit == HD_MDF_CRASHED_PRIMARY &&
		    hd_md_crashed_primary(f))
			name = "crashed-primary";
		else if (!(f & (1u << bit)))
			continue;
		if (name)
			hd_buf_printf(b, "%s%s", any ? " " : "", name);
		else
			hd_buf_printf(b, "%sbit%u", any ? " " : "", bit);
		any = true;
	}
	hd_buf_printf(b, "%s(0x%02x)\n", any ? " " : "", f);
	hd_buf_printf(b, "  disk state:   %s\n", hd_md_disk_state(f));
	if (hd_md_crashed_primary(f))
		hd_buf_puts(b,
			    "  crashed-primary: the node was Primary when this metadata was last\n"
			    "                written and is not attached now: it went down as\n"
			    "                Primary. At its next connection, the blocks it may\n"
			    "                have written alone (its bitmap and the extents of its\n"
			    "                activity log) are resynced.\n");
}

static void text_extents(const struct hd_md_report *r, struct hd_buf *b)
{
	size_t col = 0;
	uint32_t k;
	char num[16];

	for (k = 0; k < r->al_nr; k++) {
		snprintf(num, sizeof(num), "%u", r->al_ext[k]);
		if (!col || col + 1 + strlen(num) > 76) {
			hd_buf_puts(b, col ? "\n    " : "    ");
			col = 4;
		} else {
			hd_buf_putc(b, ' ');
			col++;
		}
		hd_buf_puts(b, num);
		col += strlen(num);
	}
	if (col)
		hd_buf_putc(b, '\n');
}

static void text_al(const struct hd_md_report *r, struct hd_buf *b)
{
	bool clean = r->info.flags & HD_MDF_AL_CLEAN;

	hd_buf_printf(b, "  activity log: %s\n",
		      clean ? "clean (al-clean): nothing to replay" :
		      "in use (not al-clean): its extents count as out of sync");
	hd_buf_printf(b, "    valid transactions: %u of %u slots\n",
		      r->al_valid, r->info.l.al_slots);
	if (!r->al_found) {
		hd_buf_puts(b, "    newest: none\n");
		return;
	}
	hd_buf_printf(b,
		      "    newest: slot %u, seq %" PRIu64 ", %u active extent%s%s\n",
		      r->al_slot, r->al_seq, r->al_nr,
		      r->al_nr == 1 ? "" : "s",
		      r->al_nr ? " (4 MiB each):" : "");
	text_extents(r, b);
}

void hd_md_report_text(const struct hd_md_report *r, struct hd_buf *b)
{
	const struct hd_md_info *i = &r->info;
	const struct hd_md_layout *l = &i->l;
	char s1[32], s2[32];
	int k;

	hd_buf_printf(b, "hadisk metadata on %s (%s), format version %d\n",
		      r->md_path, i->internal ? "internal" : "external",
		      HD_MD_VERSION);
	hd_buf_printf(b, "  resource:     %s\n",
		      i->resource[0] ? i->resource : "(none)");
	hd_buf_printf(b, "  node-id:      %u\n", i->node_id);
	hd_md_format_time(i->created_time, s1, sizeof(s1));
	hd_buf_printf(b, "  created:      %s\n", s1);
	text_flags(r, b);
	hd_buf_printf(b, "  uuids:        current %016" PRIX64 "  bitmap %016" PRIX64 "\n",
		      i->uuid_current, i->uuid_bitmap);
	hd_buf_printf(b, "                history %016" PRIX64 " %016" PRIX64 "\n",
		      i->uuid_history[0], i->uuid_history[1]);
	hd_format_bytes(l->data_sectors << 9, s1, sizeof(s1));
	hd_buf_printf(b, "  data area:    %s (%" PRIu64 " bytes) of %s, from offset 0\n",
		      s1, l->data_sectors << 9, r->data_path);
	hd_format_bytes(l->md_bytes, s1, sizeof(s1));
	hd_buf_printf(b, "  metadata:     %s (%" PRIu64 " bytes) from offset %" PRIu64 " of %s\n",
		      s1, l->md_bytes, l->bm_offset, r->md_path);
	hd_buf_printf(b, "    bitmap:       %" PRIu64 " bytes at offset %" PRIu64 "\n",
		      l->bm_bytes, l->bm_offset);
	hd_buf_printf(b, "    activity log: %u slots at offset %" PRIu64 ", al-extents %u\n",
		      l->al_slots, l->al_offset, i->al_extents);
	hd_buf_printf(b, "    superblock:   at offset %" PRIu64 "\n",
		      l->sb_offset);
	hd_format_bytes(r->bits_set << HD_MD_BM_BLOCK_SHIFT, s1, sizeof(s1));
	hd_format_bytes(r->data_blocks << HD_MD_BM_BLOCK_SHIFT, s2,
			sizeof(s2));
	hd_buf_printf(b, "  out of sync:  %" PRIu64 " of %" PRIu64 " bitmap bits set: %s of %s\n",
		      r->bits_set, r->data_blocks, s1, s2);
	text_al(r, b);
	for (k = 0; k < r->nr_warnings; k++)
		hd_buf_printf(b, "  warning: %s\n", r->warnings[k]);
}

/* JSON */

static void kv_u64(struct hd_json *j, const char *key, uint64_t v)
{
	hd_json_key(j, key);
	hd_json_u64(j, v);
}

static void kv_str(struct hd_json *j, const char *key, const char *v)
{
	hd_json_key(j, key);
	hd_json_string(j, v);
}

static void json_uuid(struct hd_json *j, uint64_t v)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016" PRIX64, v);
	hd_json_string(j, hex);
}

static void json_flags(struct hd_json *j, uint32_t f)
{
	char name[16];
	unsigned int bit;

	hd_json_key(j, "flags");
	hd_json_array_begin(j);
	for (bit = 0; bit < 32; bit++) {
		if (!(f & (1u << bit)))
			continue;
		if (hd_md_flag_name(bit)) {
			hd_json_string(j, hd_md_flag_name(bit));
		} else {
			snprintf(name, sizeof(name), "bit%u", bit);
			hd_json_string(j, name);
		}
	}
	hd_json_array_end(j);
	kv_u64(j, "flags_value", f);
	kv_str(j, "disk_state", hd_md_disk_state(f));
	hd_json_key(j, "crashed_primary");
	hd_json_bool(j, hd_md_crashed_primary(f));
}

static void json_al(struct hd_json *j, const struct hd_md_report *r)
{
	uint32_t k;

	hd_json_key(j, "activity_log");
	hd_json_object_begin(j);
	hd_json_key(j, "clean");
	hd_json_bool(j, r->info.flags & HD_MDF_AL_CLEAN);
	kv_u64(j, "valid_transactions", r->al_valid);
	hd_json_key(j, "newest");
	if (!r->al_found) {
		hd_json_null(j);
	} else {
		hd_json_object_begin(j);
		kv_u64(j, "slot", r->al_slot);
		kv_u64(j, "seq", r->al_seq);
		hd_json_key(j, "extents");
		hd_json_array_begin(j);
		for (k = 0; k < r->al_nr; k++)
			hd_json_u64(j, r->al_ext[k]);
		hd_json_array_end(j);
		hd_json_object_end(j);
	}
	hd_json_object_end(j);
}

void hd_md_report_json(const struct hd_md_report *r, struct hd_buf *b)
{
	const struct hd_md_info *i = &r->info;
	const struct hd_md_layout *l = &i->l;
	struct hd_json j;
	int k;

	hd_json_init(&j, b);
	hd_json_object_begin(&j);
	kv_str(&j, "device", r->md_path);
	kv_str(&j, "data_device", r->data_path);
	hd_json_key(&j, "internal");
	hd_json_bool(&j, i->internal);
	kv_u64(&j, "version", HD_MD_VERSION);
	kv_str(&j, "resource", i->resource[0] ? i->resource : NULL);
	kv_u64(&j, "node_id", i->node_id);
	kv_u64(&j, "created_time", i->created_time);
	json_flags(&j, i->flags);
	hd_json_key(&j, "current_uuid");
	json_uuid(&j, i->uuid_current);
	hd_json_key(&j, "bitmap_uuid");
	json_uuid(&j, i->uuid_bitmap);
	hd_json_key(&j, "history_uuids");
	hd_json_array_begin(&j);
	json_uuid(&j, i->uuid_history[0]);
	json_uuid(&j, i->uuid_history[1]);
	hd_json_array_end(&j);
	kv_u64(&j, "data_bytes", l->data_sectors << 9);
	kv_u64(&j, "md_bytes", l->md_bytes);
	kv_u64(&j, "bm_offset", l->bm_offset);
	kv_u64(&j, "bm_bytes", l->bm_bytes);
	kv_u64(&j, "al_offset", l->al_offset);
	kv_u64(&j, "al_slots", l->al_slots);
	kv_u64(&j, "al_extents", i->al_extents);
	kv_u64(&j, "sb_offset", l->sb_offset);
	kv_u64(&j, "bitmap_bits", r->data_blocks);
	kv_u64(&j, "bitmap_bits_set", r->bits_set);
	kv_u64(&j, "out_of_sync_bytes", r->bits_set << HD_MD_BM_BLOCK_SHIFT);
	json_al(&j, r);
	hd_json_key(&j, "warnings");
	hd_json_array_begin(&j);
	for (k = 0; k < r->nr_warnings; k++)
		hd_json_string(&j, r->warnings[k]);
	hd_json_array_end(&j);
	hd_json_object_end(&j);
	hd_buf_putc(b, '\n');
}
