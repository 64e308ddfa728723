/* SPDX-License-Identifier: GPL-2.0 */
/* On-disk metadata layout, encoding and checks (pure logic, meta_fmt.c). */
#ifndef HD_META_FMT_H
#define HD_META_FMT_H

#include "pure.h"
#include <hadisk/ondisk.h>

/* Where everything is, in bytes. */
struct hd_md_layout {
	u64 data_sectors;
	u64 md_bytes;
	u64 sb_offset;
	u64 al_offset;
	u64 bm_offset;
	u64 bm_bytes;
	u32 al_slots;
};

/* The superblock, decoded. */
struct hd_md_info {
	struct hd_md_layout l;
	u32 flags;
	u32 al_extents;
	u32 node_id;
	u32 internal;
	u64 uuid_current, uuid_bitmap, uuid_history[2];
	u64 created_time;
	char resource[64];
};

/*
 * crc32c (seed ~0, final ~0) of len bytes at buf, with the 4 bytes at
 * offset hole counted as zeros: the checksum field of the structure.
 */
typedef u32 (*hd_crc_fn)(const void *buf, size_t len, size_t hole);

int hd_md_layout(u64 md_dev_bytes, bool internal, u64 data_dev_bytes,
		 u32 al_slots, struct hd_md_layout *l, const char **why);
u64 hd_md_sb_offset(u64 md_dev_bytes);
void hd_md_super_encode(struct hd_md_super *sb, const struct hd_md_info *i,
			hd_crc_fn crc);
int hd_md_super_decode(const struct hd_md_super *sb, u64 md_dev_bytes,
		       struct hd_md_info *i, hd_crc_fn crc, const char **why);
void hd_md_al_encode(struct hd_md_al_tx *tx, u64 seq, const u32 *ext,
		     u32 nr, hd_crc_fn crc);
int hd_md_al_decode(const struct hd_md_al_tx *tx, u64 *seq, u32 *ext,
		    u32 *nr, u32 max, hd_crc_fn crc);
int hd_md_al_newest(const struct hd_md_al_tx *slots, u32 nslots,
		    u64 *seq, u32 *slot, hd_crc_fn crc);

#endif /* HD_META_FMT_H */
