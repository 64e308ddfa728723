// SPDX-License-Identifier: GPL-2.0
/*
 * On-disk metadata: layout computation, superblock and activity-log
 * transaction encoding, and their checks. Pure logic, built in the module,
 * in hadiskctl (create-md, dump-md) and in the unit tests; the crc32c
 * function is passed in (the kernel's crypto API, or userspace's table).
 * The format is described in include/hadisk/ondisk.h.
 */
#include "meta_fmt.h"

#ifndef __KERNEL__
#define cpu_to_le32(x) ((__le32)htole32(x))
#define cpu_to_le64(x) ((__le64)htole64(x))
#define le32_to_cpu(x) le32toh((uint32_t)(x))
#define le64_to_cpu(x) le64toh((uint64_t)(x))
#endif

#define MD_BLK ((u64)HD_MD_BLOCK)

static u64 round_up_blk(u64 x)
{
	return (x + MD_BLK - 1) / MD_BLK * MD_BLK;
}

/* The superblock is the last whole 4 KiB block of the metadata device. */
u64 hd_md_sb_offset(u64 md_dev_bytes)
{
	if (md_dev_bytes < MD_BLK)
		return 0;
	return md_dev_bytes / MD_BLK * MD_BLK - MD_BLK;
}

/*
 * Lay out metadata on a device of md_dev_bytes. Internal: the data area
 * is what precedes the bitmap on the same device (data_dev_bytes is
 * ignored). External: the data area is the whole data device.
 */
int hd_md_layout(u64 md_dev_bytes, bool internal, u64 data_dev_bytes,
		 u32 al_slots, struct hd_md_layout *l, const char **why)
{
	u64 end = md_dev_bytes / MD_BLK * MD_BLK, covered, fixed;

	if (al_slots < HD_MD_AL_SLOTS_MIN || al_slots > HD_MD_AL_SLOTS_MAX) {
		*why = "activity log slots out of range";
		return -EINVAL;
	}
	fixed = MD_BLK + (u64)al_slots * MD_BLK;
	covered = internal ? end : data_dev_bytes;
	/* One bit per 4 KiB of what the bitmap may have to cover. */
	l->bm_bytes = round_up_blk((covered / MD_BLK + 7) / 8);
	l->md_bytes = fixed + l->bm_bytes;
	if (end < l->md_bytes + (internal ? 16 * MD_BLK : 0)) {
		*why = internal ?
			"the backing device is too small to hold data and metadata" :
			"the metadata device is too small for this data device";
		return -ENOSPC;
	}
	l->al_slots = al_slots;
	l->sb_offset = end - MD_BLK;
	l->al_offset = l->sb_offset - (u64)al_slots * MD_BLK;
	l->bm_offset = l->al_offset - l->bm_bytes;
	l->data_sectors = internal ? l->bm_offset >> 9 :
		(data_dev_bytes / MD_BLK * MD_BLK) >> 9;
	return 0;
}

void hd_md_super_encode(struct hd_md_super *sb, const struct hd_md_info *i,
			hd_crc_fn crc)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = cpu_to_le32(HD_MD_MAGIC);
	sb->version = cpu_to_le32(HD_MD_VERSION);
	sb->flags = cpu_to_le32(i->flags);
	sb->data_sectors = cpu_to_le64(i->l.data_sectors);
	sb->md_bytes = cpu_to_le64(i->l.md_bytes);
	sb->sb_offset = cpu_to_le64(i->l.sb_offset);
	sb->al_offset = cpu_to_le64(i->l.al_offset);
	sb->bm_offset = cpu_to_le64(i->l.bm_offset);
	sb->bm_bytes = cpu_to_le64(i->l.bm_bytes);
	sb->al_slots = cpu_to_le32(i->l.al_slots);
	sb->al_extents = cpu_to_le32(i->al_extents);
	sb->node_id = cpu_to_le32(i->node_id);
	sb->internal = cpu_to_le32(i->internal);
	sb->uuid_current = cpu_to_le64(i->uuid_current);
	sb->uuid_bitmap = cpu_to_le64(i->uuid_bitmap);
	sb->uuid_history[0] = cpu_to_le64(i->uuid_history[0]);
	sb->uuid_history[1] = cpu_to_le64(i->uuid_history[1]);
	sb->created_time = cpu_to_le64(i->created_time);
	memcpy(sb->resource, i->resource, sizeof(sb->resource));
	sb->resource[sizeof(sb->resource) - 1] = 0;
	sb->crc = cpu_to_le32(crc(sb, sizeof(*sb), offsetof(struct hd_md_super, crc)));
}

int hd_md_super_decode(const struct hd_md_super *sb, u64 md_dev_bytes,
		       struct hd_md_info *i, hd_crc_fn crc, const char **why)
{
	u64 blocks;

	if (le32_to_cpu(sb->magic) != HD_MD_MAGIC) {
		*why = "no hadisk metadata (bad magic)";
		return -ENOENT;
	}
	if (le32_to_cpu(sb->version) != HD_MD_VERSION) {
		*why = "metadata of another format version";
		return -EPROTO;
	}
	if (crc(sb, sizeof(*sb), offsetof(struct hd_md_super, crc)) !=
	    le32_to_cpu(sb->crc)) {
		*why = "the metadata superblock has a bad checksum";
		return -EBADMSG;
	}
	memset(i, 0, sizeof(*i));
	i->flags = le32_to_cpu(sb->flags);
	i->l.data_sectors = le64_to_cpu(sb->data_sectors);
	i->l.md_bytes = le64_to_cpu(sb->md_bytes);
	i->l.sb_offset = le64_to_cpu(sb->sb_offset);
	i->l.al_offset = le64_to_cpu(sb->al_offset);
	i->l.bm_offset = le64_to_cpu(sb->bm_offset);
	i->l.bm_bytes = le64_to_cpu(sb->bm_bytes);
	i->l.al_slots = le32_to_cpu(sb->al_slots);
	i->al_extents = le32_to_cpu(sb->al_extents);
	i->node_id = le32_to_cpu(sb->node_id);
	i->internal = le32_to_cpu(sb->internal);
	i->uuid_current = le64_to_cpu(sb->uuid_current);
	i->uuid_bitmap = le64_to_cpu(sb->uuid_bitmap);
	i->uuid_history[0] = le64_to_cpu(sb->uuid_history[0]);
	i->uuid_history[1] = le64_to_cpu(sb->uuid_history[1]);
	i->created_time = le64_to_cpu(sb->created_time);
	memcpy(i->resource, sb->resource, sizeof(i->resource));
	i->resource[sizeof(i->resource) - 1] = 0;

	blocks = (i->l.data_sectors + 7) / 8;
	if (i->flags & ~HD_MDF_KNOWN) {
		*why = "the superblock has unknown flags";
		return -EPROTO;
	}
	if (md_dev_bytes < 2 * MD_BLK || i->l.md_bytes > md_dev_bytes ||
	    i->l.bm_offset > i->l.al_offset ||
	    i->l.al_offset > i->l.sb_offset ||
	    i->l.data_sectors > (~0ULL >> 9) ||
	    i->l.sb_offset != hd_md_sb_offset(md_dev_bytes) ||
	    i->l.al_slots < HD_MD_AL_SLOTS_MIN ||
	    i->l.al_slots > HD_MD_AL_SLOTS_MAX ||
	    i->l.al_offset + (u64)i->l.al_slots * MD_BLK != i->l.sb_offset ||
	    i->l.bm_offset + i->l.bm_bytes != i->l.al_offset ||
	    i->l.bm_bytes % MD_BLK || i->l.bm_bytes * 8 < blocks ||
	    i->l.md_bytes != i->l.bm_bytes + (u64)(i->l.al_slots + 1) * MD_BLK) {
		*why = "the superblock's layout does not fit this device (was the device resized?)";
		return -EUCLEAN;
	}
	if (i->internal && (i->l.data_sectors << 9) > i->l.bm_offset) {
		*why = "the data area overlaps the metadata";
		return -EUCLEAN;
	}
	if (i->al_extents < HD_MD_AL_EXTENTS_MIN ||
	    i->al_extents > HD_MD_AL_EXTENTS_MAX) {
		*why = "activity log size out of range";
		return -EUCLEAN;
	}
	return 0;
}

void hd_md_al_encode(struct hd_md_al_tx *tx, u64 seq, const u32 *ext,
		     u32 nr, hd_crc_fn crc)
{
	u32 k;

	if (nr > HD_MD_AL_MAX_ENTRIES)
		nr = HD_MD_AL_MAX_ENTRIES;
	memset(tx, 0, sizeof(*tx));
	tx->magic = cpu_to_le32(HD_MD_AL_MAGIC);
	tx->seq = cpu_to_le64(seq);
	tx->nr = cpu_to_le32(nr);
	for (k = 0; k < nr; k++)
		tx->extent[k] = cpu_to_le32(ext[k]);
	tx->crc = cpu_to_le32(crc(tx, sizeof(*tx), offsetof(struct hd_md_al_tx, crc)));
}

/* 0 if valid (its seq, extents and count filled in), else negative. */
int hd_md_al_decode(const struct hd_md_al_tx *tx, u64 *seq, u32 *ext,
		    u32 *nr, u32 max, hd_crc_fn crc)
{
	u32 k, n;

	if (le32_to_cpu(tx->magic) != HD_MD_AL_MAGIC)
		return -ENOENT;
	n = le32_to_cpu(tx->nr);
	if (n > HD_MD_AL_MAX_ENTRIES || n > max)
		return -EUCLEAN;
	if (crc(tx, sizeof(*tx), offsetof(struct hd_md_al_tx, crc)) !=
	    le32_to_cpu(tx->crc))
		return -EBADMSG;
	*seq = le64_to_cpu(tx->seq);
	*nr = n;
	for (k = 0; ext && k < n; k++)
		ext[k] = le32_to_cpu(tx->extent[k]);
	return 0;
}

/* The slot of the valid transaction with the highest sequence number. */
int hd_md_al_newest(const struct hd_md_al_tx *slots, u32 nslots,
		    u64 *seq, u32 *slot, hd_crc_fn crc)
{
	u32 s, nr;
	u64 q;
	int found = -ENOENT;

	for (s = 0; s < nslots; s++) {
		if (hd_md_al_decode(&slots[s], &q, NULL, &nr,
				    HD_MD_AL_MAX_ENTRIES, crc))
			continue;
		if (found || q > *seq) {
			*seq = q;
			*slot = s;
			found = 0;
		}
	}
	return found;
}
