/* SPDX-License-Identifier: GPL-2.0 */
/* Metadata IO: superblock, bitmap and activity-log ring (see meta.c). */
#ifndef HD_META_H
#define HD_META_H

#include <net/netlink.h>
#include "resource.h"
#include "meta_fmt.h"

struct hd_md {
	struct hd_device *dev;
	struct block_device *bdev;	/* holds the metadata */
	bool external;			/* bdev is ours to close */
	char path[HADISK_PATH_MAX];	/* "internal" or the device */
	struct hd_md_info info;		/* as last written */
	struct mutex lock;		/* superblock and bitmap writes */
	struct page *page;		/* bounce page, under lock */
	u64 bm_pages;
	struct delayed_work flush_work;
	u32 replayed;			/* AL extents replayed at attach */
	bool offline;			/* the disk failed: write nothing */
};

int hd_md_attach(struct hd_device *dev, const char *meta, u32 al_extents,
		 struct netlink_ext_ack *extack);
int hd_md_load(struct hd_device *dev, struct netlink_ext_ack *extack);
int hd_md_reattach(struct hd_device *dev, const char *path, const char *meta,
		   struct netlink_ext_ack *extack);
void hd_md_detach(struct hd_device *dev);
void hd_md_close(struct hd_device *dev);
int hd_md_write_super(struct hd_device *dev);
void hd_md_update(struct hd_resource *res);
void hd_md_update_async(struct hd_resource *res);
int hd_md_flush_bitmap(struct hd_device *dev);
int hd_md_flush_bitmap_range(struct hd_device *dev, u64 first_bit,
			     u64 nbits);
int hd_md_write_al(struct hd_device *dev, u64 seq, const u32 *ext, u32 nr);
void hd_md_bm_dirty(struct hd_device *dev, u64 first, u64 last);

#endif /* HD_META_H */
