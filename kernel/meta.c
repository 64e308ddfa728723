// SPDX-License-Identifier: GPL-2.0
/*
 * Metadata IO: the superblock, the out-of-sync bitmap and the activity-log
 * ring on disk (format in include/hadisk/ondisk.h, codec in meta_fmt.c).
 *
 * Attach reads and checks the superblock and refuses, without writing
 * anything, metadata with a bad magic, version, checksum or layout. It
 * then loads the bitmap, replays the activity log if the last detach was
 * not clean (every block of every active extent is marked out of sync),
 * and notes whether this node was Primary when it went down (a crashed
 * Primary). Only then is the superblock rewritten, marking the log in use.
 *
 * The superblock is rewritten whenever what it records changes: roles,
 * disk state, data generations (hd_md_update; hd_md_update_async from
 * contexts that cannot sleep on IO). Bitmap pages are written back lazily
 * (a dirty page is flushed within HD_MD_FLUSH_DELAY), before an extent
 * leaves the activity log, and in full at detach.
 *
 * Locks: md->lock (mutex) serializes every metadata write and owns the
 * bounce page; the bitmap itself and dev->bm_dirty are under dev->req_lock.
 */
#include <linux/bio.h>
#include <linux/crc32.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/timekeeping.h>
#include "meta.h"
#include "actlog.h"
#include "bitmap.h"
#include "req.h"

#define HD_MD_FLUSH_DELAY (5 * HZ)
#define BITS_PER_PAGE (HD_MD_BLOCK * 8)

static u32 hd_kcrc(const void *buf, size_t len, size_t hole)
{
	static const u8 zero[4];
	u32 c = ~0u;

	c = __crc32c_le(c, buf, hole);
	c = __crc32c_le(c, zero, 4);
	c = __crc32c_le(c, (const u8 *)buf + hole + 4, len - hole - 4);
	return ~c;
}

static int md_io(struct block_device *bdev, u64 offset, struct page *page,
		 blk_opf_t op)
{
	struct bio_vec bv;
	struct bio bio;
	int err;

	bio_init(&bio, bdev, &bv, 1, op);
	bio.bi_iter.bi_sector = offset >> 9;
	__bio_add_page(&bio, page, HD_MD_BLOCK, 0);
	err = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return err;
}

/* Metadata writes, which fault injection can fail (fault.c). */
static int md_write(struct hd_device *dev, u64 offset, struct page *page,
		    blk_opf_t op)
{
	if (READ_ONCE(dev->md->offline))	/* detached (detach.c) */
		return -EIO;
	if (hd_fault(&dev->fault, HD_FAULT_FAIL_MD))
		return -EIO;
	return md_io(dev->md->bdev, offset, page, op);
}

static u32 state_flags(struct hd_resource *res, u32 keep)
{
	u32 f = keep & (HD_MDF_AL_CLEAN | HD_MDF_FULL_SYNC);

	if (res->peer_fenced)
		f |= HD_MDF_PEER_OUTDATED;
	if (res->pri_at_split)
		f |= HD_MDF_PRI_AT_SPLIT;

	if (res->disk == HADISK_DISK_UPTODATE ||
	    res->disk == HADISK_DISK_OUTDATED)
		f |= HD_MDF_CONSISTENT;
	if (res->disk == HADISK_DISK_UPTODATE)
		f |= HD_MDF_UPTODATE;
	/* A crashed Primary stays marked until it has synced with its peer. */
	if (res->role == HADISK_ROLE_PRIMARY || res->crashed_primary)
		f |= HD_MDF_PRIMARY;
	return f;
}

/* Caller holds md->lock. */
static int write_super_locked(struct hd_device *dev)
{
	struct hd_md *md = dev->md;
	struct hd_resource *res = dev->res;
	struct hd_md_info *i = &md->info;
	struct hd_md_super *sb;
	int err;

	spin_lock_irq(&res->lock);
	i->flags = state_flags(res, i->flags);
	i->uuid_current = res->uuids.cur;
	i->uuid_bitmap = res->uuids.bitmap;
	i->uuid_history[0] = res->uuids.history[0];
	i->uuid_history[1] = res->uuids.history[1];
	spin_unlock_irq(&res->lock);
	i->node_id = res->node_id;
	strscpy(i->resource, res->name, sizeof(i->resource));

	sb = page_address(md->page);
	memset(sb, 0, HD_MD_BLOCK);
	hd_md_super_encode(sb, i, hd_kcrc);
	err = md_write(dev, i->l.sb_offset, md->page,
		    REQ_OP_WRITE | REQ_SYNC | REQ_FUA | REQ_PREFLUSH);
	if (err)
		pr_err("hadisk %s: writing the metadata superblock failed: %d\n",
		       res->name, err);
	return err;
}

int hd_md_write_super(struct hd_device *dev)
{
	int err;

	mutex_lock(&dev->md->lock);
	err = write_super_locked(dev);
	mutex_unlock(&dev->md->lock);
	return err;
}

/* Write the superblock if what it records has changed. May sleep. */
void hd_md_update(struct hd_resource *res)
{
	struct hd_device *dev = res->dev;
	struct hd_md *md;
	bool same;

	if (!dev || !dev->md || READ_ONCE(dev->md->offline))
		return;
	md = dev->md;
	mutex_lock(&md->lock);
	spin_lock_irq(&res->lock);
	same = md->info.flags == state_flags(res, md->info.flags) &&
	       md->info.uuid_current == res->uuids.cur &&
	       md->info.uuid_bitmap == res->uuids.bitmap &&
	       md->info.uuid_history[0] == res->uuids.history[0];
	spin_unlock_irq(&res->lock);
	if (!same)
		write_super_locked(dev);
	mutex_unlock(&md->lock);
}

/* From a context that must not wait for metadata IO. */
void hd_md_update_async(struct hd_resource *res)
{
	struct hd_device *dev = res->dev;

	if (dev && dev->md)
		mod_delayed_work(dev->md_wq, &dev->md->flush_work, 0);
}

/* Caller holds md->lock. Writes bitmap page p if it is dirty. */
static int flush_page_locked(struct hd_device *dev, u64 p)
{
	struct hd_md *md = dev->md;
	__le64 *dst = page_address(md->page);
	u64 w, words = hd_bm_words(dev->bm_bits), first = p * (HD_MD_BLOCK / 8);
	bool dirty;

	spin_lock_irq(&dev->req_lock);
	dirty = __test_and_clear_bit(p, dev->bm_dirty);
	if (dirty)
		for (w = 0; w < HD_MD_BLOCK / 8; w++)
			dst[w] = cpu_to_le64(first + w < words ?
					     dev->bm[first + w] : 0);
	spin_unlock_irq(&dev->req_lock);
	if (!dirty)
		return 0;
	return md_write(dev, md->info.l.bm_offset + p * HD_MD_BLOCK,
		     md->page, REQ_OP_WRITE | REQ_SYNC | REQ_FUA);
}

int hd_md_flush_bitmap_range(struct hd_device *dev, u64 first_bit,
			     u64 nbits)
{
	struct hd_md *md = dev->md;
	u64 p, last;
	int err = 0;

	if (!md || !nbits || first_bit >= dev->bm_bits)
		return 0;
	last = min_t(u64, first_bit + nbits, dev->bm_bits) - 1;
	mutex_lock(&md->lock);
	for (p = first_bit / BITS_PER_PAGE; p <= last / BITS_PER_PAGE && !err;
	     p++)
		err = flush_page_locked(dev, p);
	mutex_unlock(&md->lock);
	return err;
}

int hd_md_flush_bitmap(struct hd_device *dev)
{
	return hd_md_flush_bitmap_range(dev, 0, dev->bm_bits);
}

/* Caller holds dev->req_lock: bits [first, last] changed. */
void hd_md_bm_dirty(struct hd_device *dev, u64 first, u64 last)
{
	u64 p;
	bool newly = false;

	if (!dev->md)
		return;
	for (p = first / BITS_PER_PAGE; p <= last / BITS_PER_PAGE; p++)
		if (!__test_and_set_bit(p, dev->bm_dirty))
			newly = true;
	if (newly)
		queue_delayed_work(dev->md_wq, &dev->md->flush_work,
				   HD_MD_FLUSH_DELAY);
}

int hd_md_write_al(struct hd_device *dev, u64 seq, const u32 *ext, u32 nr)
{
	struct hd_md *md = dev->md;
	u32 slot = seq % md->info.l.al_slots;
	int err;

	mutex_lock(&md->lock);
	hd_md_al_encode(page_address(md->page), seq, ext, nr, hd_kcrc);
	err = md_write(dev, md->info.l.al_offset + (u64)slot * HD_MD_BLOCK,
		    md->page, REQ_OP_WRITE | REQ_SYNC | REQ_FUA);
	mutex_unlock(&md->lock);
	if (err)
		pr_err("hadisk %s: writing the activity log failed: %d\n",
		       dev->res->name, err);
	return err;
}

static void md_flush_fn(struct work_struct *w)
{
	struct hd_md *md = container_of(w, struct hd_md, flush_work.work);
	struct hd_device *dev = md->dev;

	hd_md_update(dev->res);
	hd_md_flush_bitmap(dev);
}

static int md_refuse(struct netlink_ext_ack *extack, const char *where,
		     const char *res, int err, const char *why)
{
	switch (err) {
	case -ENOENT:
		NL_SET_ERR_MSG_FMT(extack,
				   "no hadisk metadata on %s: create it with 'hadiskctl create-md %s'",
				   where, res);
		break;
	case -EPROTO:
		NL_SET_ERR_MSG_FMT(extack,
				   "metadata on %s: %s; this module reads format version %u (left untouched)",
				   where, why, HD_MD_VERSION);
		break;
	default:
		NL_SET_ERR_MSG_FMT(extack,
				   "metadata on %s: %s; it was left untouched: inspect it with 'hadiskctl dump-md %s'",
				   where, why, res);
	}
	return -EUCLEAN;
}

/*
 * Open and check the metadata; sets dev->sectors. Nothing is written here:
 * hd_md_load() does that once everything checked out.
 */
int hd_md_attach(struct hd_device *dev, const char *meta, u32 al_extents,
		 struct netlink_ext_ack *extack)
{
	struct hd_resource *res = dev->res;
	const char *why = "", *where;
	struct hd_md *md;
	int err;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		return -ENOMEM;
	md->dev = dev;
	mutex_init(&md->lock);
	INIT_DELAYED_WORK(&md->flush_work, md_flush_fn);
	strscpy(md->path, meta, sizeof(md->path));
	md->page = alloc_page(GFP_KERNEL);
	if (!md->page) {
		err = -ENOMEM;
		goto out_free;
	}
	if (strcmp(meta, "internal")) {
		md->bdev = hd_bdev_open(meta, md);
		if (IS_ERR(md->bdev)) {
			err = PTR_ERR(md->bdev);
			NL_SET_ERR_MSG_FMT(extack,
					   "cannot open the metadata device %s (%s): check 'meta-disk' in the config",
					   meta, err == -ENOENT ? "it does not exist" :
					   err == -EBUSY ? "it is in use" : "error");
			goto out_page;
		}
		md->external = true;
		where = meta;
	} else {
		md->bdev = dev->backing;
		where = dev->backing_path;
	}
	err = md_io(md->bdev, hd_md_sb_offset(bdev_nr_bytes(md->bdev)),
		    md->page, REQ_OP_READ);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "cannot read the metadata on %s",
				   where);
		goto out_close;
	}
	err = hd_md_super_decode(page_address(md->page),
				 bdev_nr_bytes(md->bdev), &md->info, hd_kcrc,
				 &why);
	if (err) {
		err = md_refuse(extack, where, res->name, err, why);
		goto out_close;
	}
	if (!!md->info.internal != !md->external) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the metadata on %s was created as %s, the config says meta-disk %s",
				   where, md->info.internal ? "internal" :
				   "external", meta);
		err = -EUCLEAN;
		goto out_close;
	}
	if (md->external &&
	    md->info.l.data_sectors > bdev_nr_sectors(dev->backing)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the metadata on %s describes %llu bytes of data, more than %s holds",
				   where, md->info.l.data_sectors << 9,
				   dev->backing_path);
		err = -EUCLEAN;
		goto out_close;
	}
	if (al_extents)
		md->info.al_extents = al_extents;
	md->bm_pages = md->info.l.bm_bytes / HD_MD_BLOCK;
	dev->sectors = md->info.l.data_sectors;
	dev->md = md;
	return 0;

out_close:
	if (md->external)
		hd_bdev_close(md->bdev);
out_page:
	__free_page(md->page);
out_free:
	kfree(md);
	return err;
}

/* merge: OR into the bitmap in use (re-attach), under dev->req_lock. */
static int load_bitmap(struct hd_device *dev, bool merge)
{
	struct hd_md *md = dev->md;
	u64 p, w, words = hd_bm_words(dev->bm_bits);
	__le64 *src = page_address(md->page);
	int err;

	for (p = 0; p < md->bm_pages; p++) {
		err = md_io(md->bdev, md->info.l.bm_offset + p * HD_MD_BLOCK,
			    md->page, REQ_OP_READ);
		if (err)
			return err;
		spin_lock_irq(&dev->req_lock);
		for (w = 0; w < HD_MD_BLOCK / 8; w++) {
			u64 k = p * (HD_MD_BLOCK / 8) + w;

			if (k >= words)
				break;
			if (merge)
				dev->bm[k] |= le64_to_cpu(src[w]);
			else
				dev->bm[k] = le64_to_cpu(src[w]);
		}
		spin_unlock_irq(&dev->req_lock);
	}
	spin_lock_irq(&dev->req_lock);
	/* Bits past the end of the data area mean nothing. */
	if (dev->bm_bits % BITS_PER_LONG)
		dev->bm[words - 1] &= ~0UL >> (BITS_PER_LONG -
					       dev->bm_bits % BITS_PER_LONG);
	dev->oos_blocks = hd_bm_count(dev->bm, dev->bm_bits);
	spin_unlock_irq(&dev->req_lock);
	return 0;
}

/* Replay the newest AL transaction into the bitmap; returns its seq. */
static int replay_al(struct hd_device *dev, u64 *seq)
{
	struct hd_md *md = dev->md;
	struct hd_md_al_tx *ring;
	u32 slot, s, nr, *ext, k;
	u64 per = 1ull << (HD_MD_AL_EXTENT_SHIFT - HD_MD_BM_BLOCK_SHIFT);
	int err = 0;

	ring = vmalloc(md->info.l.al_slots * HD_MD_BLOCK);
	ext = kcalloc(HD_MD_AL_MAX_ENTRIES, sizeof(*ext), GFP_KERNEL);
	if (!ring || !ext) {
		err = -ENOMEM;
		goto out;
	}
	for (s = 0; s < md->info.l.al_slots && !err; s++) {
		err = md_io(md->bdev, md->info.l.al_offset + s * HD_MD_BLOCK,
			    md->page, REQ_OP_READ);
		memcpy(&ring[s], page_address(md->page), HD_MD_BLOCK);
	}
	if (err)
		goto out;
	*seq = 0;
	if (hd_md_al_newest(ring, md->info.l.al_slots, seq, &slot, hd_kcrc))
		goto out;
	hd_md_al_decode(&ring[slot], seq, ext, &nr, HD_MD_AL_MAX_ENTRIES,
			hd_kcrc);
	if (md->info.flags & HD_MDF_AL_CLEAN)
		goto out;
	spin_lock_irq(&dev->req_lock);
	for (k = 0; k < nr; k++) {
		u64 first = ext[k] * per, last = first + per - 1;

		if (first >= dev->bm_bits)
			continue;
		last = min_t(u64, last, dev->bm_bits - 1);
		dev->oos_blocks += hd_bm_set(dev->bm, first, last);
		hd_md_bm_dirty(dev, first, last);
	}
	spin_unlock_irq(&dev->req_lock);
	md->replayed = nr;
out:
	kfree(ext);
	vfree(ring);
	return err;
}

/*
 * After hd_md_attach() and the bitmap allocation: load, replay, and mark
 * the metadata in use.
 */
int hd_md_load(struct hd_device *dev, struct netlink_ext_ack *extack)
{
	struct hd_md *md = dev->md;
	struct hd_resource *res = dev->res;
	u64 seq = 0;
	int err;

	err = load_bitmap(dev, false);
	if (!err)
		err = replay_al(dev, &seq);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack,
				   "cannot read the bitmap or activity log on %s (error %d)",
				   md->path, err);
		return err;
	}
	dev->al = hd_al_create(md->info.al_extents, seq);
	if (!dev->al)
		return -ENOMEM;
	spin_lock_irq(&res->lock);
	res->crashed_primary = md->info.flags & HD_MDF_PRIMARY;
	res->peer_fenced = md->info.flags & HD_MDF_PEER_OUTDATED;
	res->pri_at_split = md->info.flags & HD_MDF_PRI_AT_SPLIT;
	res->uuids.cur = md->info.uuid_current;
	res->uuids.bitmap = md->info.uuid_bitmap;
	res->uuids.history[0] = md->info.uuid_history[0];
	res->uuids.history[1] = md->info.uuid_history[1];
	if (md->info.flags & HD_MDF_UPTODATE)
		res->disk = HADISK_DISK_UPTODATE;
	else if (md->info.flags & HD_MDF_CONSISTENT)
		res->disk = HADISK_DISK_OUTDATED;
	else
		res->disk = HADISK_DISK_INCONSISTENT;
	spin_unlock_irq(&res->lock);

	/* Replayed bits must be on disk before the log forgets them. */
	err = hd_md_flush_bitmap(dev);
	if (!err && md->replayed)
		err = hd_al_clear(dev->al, dev);
	mutex_lock(&md->lock);
	md->info.flags &= ~HD_MDF_AL_CLEAN;
	if (!err)
		err = write_super_locked(dev);
	mutex_unlock(&md->lock);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "cannot write the metadata on %s (error %d)",
				   md->path, err);
		return err;
	}
	if (md->replayed)
		pr_info("hadisk %s: activity log replayed: %u extents marked out of sync\n",
			res->name, md->replayed);
	if (res->crashed_primary)
		pr_info("hadisk %s: this node was Primary when it went down (crashed Primary)\n",
			res->name);
	return 0;
}

/* Release the metadata without writing anything (failed attach). */
void hd_md_close(struct hd_device *dev)
{
	struct hd_md *md = dev->md;

	if (!md)
		return;
	cancel_delayed_work_sync(&md->flush_work);
	hd_al_destroy(dev->al);
	dev->al = NULL;
	if (md->external)
		hd_bdev_close(md->bdev);
	__free_page(md->page);
	kfree(md);
	dev->md = NULL;
}

/* Clean detach: bitmap and log on disk, the log marked clean. */
void hd_md_detach(struct hd_device *dev)
{
	struct hd_md *md = dev->md;

	if (!md)
		return;
	cancel_delayed_work_sync(&md->flush_work);
	if (dev->al && !hd_md_flush_bitmap(dev) && !hd_al_clear(dev->al, dev)) {
		mutex_lock(&md->lock);
		md->info.flags |= HD_MDF_AL_CLEAN;
		write_super_locked(dev);
		mutex_unlock(&md->lock);
	}
	hd_md_close(dev);
}

/*
 * Re-attach after an IO error (detach.c): read the metadata of the new
 * disk (path; dev->backing already points to it; meta is "internal" or the
 * metadata device). The same disk, with our data generation, has its
 * bitmap and activity log merged into the bitmap in use; any other disk
 * is marked out of sync entirely. A fresh activity log replaces the old
 * one, which nobody holds any more (device.c waited). Refuses, changing
 * nothing, metadata that is bad or describes a smaller device. The
 * bitmap and superblock are written by the caller, once the disk state
 * is set.
 */
int hd_md_reattach(struct hd_device *dev, const char *path, const char *meta,
		   struct netlink_ext_ack *extack)
{
	struct hd_resource *res = dev->res;
	struct hd_md *md = dev->md;
	struct block_device *nb, *ob, *old_bdev = md->bdev;
	bool old_external = md->external;
	struct hd_md_info info;
	const char *why = "", *where;
	bool external = strcmp(meta, "internal");
	struct hd_al *al;
	bool same;
	u64 seq = 0;
	int err;

	if (external) {
		nb = hd_bdev_open(meta, md);
		if (IS_ERR(nb)) {
			err = PTR_ERR(nb);
			NL_SET_ERR_MSG_FMT(extack,
					   "cannot open the metadata device %s (%s): check 'meta-disk' in the config",
					   meta, err == -ENOENT ? "it does not exist" :
					   err == -EBUSY ? "it is in use" : "error");
			return err;
		}
		where = meta;
	} else {
		nb = dev->backing;
		where = path;
	}
	cancel_delayed_work_sync(&md->flush_work);
	mutex_lock(&md->lock);
	err = md_io(nb, hd_md_sb_offset(bdev_nr_bytes(nb)), md->page,
		    REQ_OP_READ);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "cannot read the metadata on %s",
				   where);
		goto out_close;
	}
	err = hd_md_super_decode(page_address(md->page), bdev_nr_bytes(nb),
				 &info, hd_kcrc, &why);
	if (err) {
		err = md_refuse(extack, where, res->name, err, why);
		goto out_close;
	}
	if (!!info.internal != !external) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the metadata on %s was created as %s, the config says meta-disk %s",
				   where, info.internal ? "internal" : "external",
				   meta);
		err = -EUCLEAN;
		goto out_close;
	}
	if (info.l.data_sectors < dev->sectors ||
	    (external && dev->sectors > bdev_nr_sectors(dev->backing))) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the disk on %s holds %llu bytes of data, /dev/hadisk%d has %llu: the replacement must be at least as large",
				   where, (u64)info.l.data_sectors << 9,
				   dev->minor, (u64)dev->sectors << 9);
		err = -ENOSPC;
		goto out_close;
	}
	spin_lock_irq(&res->lock);
	same = info.uuid_current && info.uuid_current == res->uuids.cur;
	spin_unlock_irq(&res->lock);
	info.al_extents = md->info.al_extents;
	info.flags &= ~HD_MDF_AL_CLEAN;

	ob = md->external ? md->bdev : NULL;
	md->bdev = nb;
	md->external = external;
	strscpy(md->path, meta, sizeof(md->path));
	md->info = info;
	md->bm_pages = info.l.bm_bytes / HD_MD_BLOCK;
	md->replayed = 0;
	if (same) {
		err = load_bitmap(dev, true);
		if (!err)
			err = replay_al(dev, &seq);
		if (err) {
			NL_SET_ERR_MSG_FMT(extack,
					   "cannot read the bitmap or activity log on %s (error %d): the disk still fails",
					   where, err);
			goto out_undo;
		}
	}
	if (!same)
		hd_bm_mark_all(dev);
	err = -ENOMEM;
	al = hd_al_create(md->info.al_extents, seq);
	if (!al)
		goto out_undo;
	hd_al_destroy(dev->al);
	dev->al = al;
	/* the whole bitmap goes to the new disk */
	spin_lock_irq(&dev->req_lock);
	hd_md_bm_dirty(dev, 0, dev->bm_bits - 1);
	spin_unlock_irq(&dev->req_lock);
	WRITE_ONCE(md->offline, false);
	mutex_unlock(&md->lock);
	if (ob)
		hd_bdev_close(ob);
	pr_info("hadisk %s: re-attached %s: %s\n", res->name, where,
		same ? "the same disk: its bitmap and activity log are merged" :
		"another disk or generation: every block will be resynced");
	return 0;

out_undo:
	/* nothing was written; the device stays Diskless */
	md->bdev = old_bdev;
	md->external = old_external;
out_close:
	mutex_unlock(&md->lock);
	if (external)
		hd_bdev_close(nb);
	return err;
}
