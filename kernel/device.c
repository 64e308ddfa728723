// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hadiskN: a bio-based gendisk stacked on a backing block device.
 *
 * Attach opens the backing device exclusively, takes the minor, copies the
 * backing device's queue limits and adds the disk with a sysfs group
 * "hadisk" (resource, volume) that the udev rule uses for
 * /dev/hadisk/by-res/RES/VOL. Detach is refused while the disk is open;
 * otherwise it removes the disk, waits for every bio we sent down, and
 * releases the backing device. The struct is freed by the block layer's
 * free_disk callback, after the last reference to the gendisk is gone.
 *
 * Opening for write is refused unless the resource is Primary (and a
 * demotion is refused while the disk is open): dev->open_lock orders the
 * two.
 *
 * Locks: hd_minor_lock (global, mutex) guards the minor table; the minors
 * are global because block device numbers are.
 */
#include <linux/module.h>
#include <linux/idr.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/bio.h>
#include <linux/delay.h>
#include "device.h"
#include "req.h"
#include "bitmap.h"
#include "netlink.h"
#include "meta.h"
#include "detach.h"
#include "conn.h"
#include "fence.h"
#include "stats.h"

#include <hadisk/wire.h>

#define HD_MAX_BIO_SECTORS (HD_MAX_PAYLOAD >> 9)

static int hd_major;
static DEFINE_IDR(hd_minors);
static DEFINE_MUTEX(hd_minor_lock);

static int hd_open(struct block_device *bdev, fmode_t mode)
{
	struct hd_device *dev = bdev->bd_disk->private_data;
	struct hd_resource *res = dev->res;
	int err = 0;

	mutex_lock(&dev->open_lock);
	if (dev->dying) {
		err = -ENXIO;
	} else if ((mode & FMODE_WRITE) &&
		   READ_ONCE(res->role) != HADISK_ROLE_PRIMARY) {
		pr_info_ratelimited("hadisk%d: write open refused: resource %s is Secondary; promote it with 'hadiskctl primary %s'\n",
				    dev->minor, res->name, res->name);
		err = -EROFS;
	} else {
		dev->open_count++;
	}
	mutex_unlock(&dev->open_lock);
	return err;
}

static void hd_release(struct gendisk *disk, fmode_t mode)
{
	struct hd_device *dev = disk->private_data;

	mutex_lock(&dev->open_lock);
	dev->open_count--;
	mutex_unlock(&dev->open_lock);
}

static void hd_dev_free(struct hd_device *dev)
{
	if (dev->md_wq)
		destroy_workqueue(dev->md_wq);
	kvfree(dev->bm_dirty);
	kvfree(dev->bm);
	bioset_exit(&dev->req_bs);
	bioset_exit(&dev->bs);
	kfree(dev);
}

static void hd_free_disk(struct gendisk *disk)
{
	hd_dev_free(disk->private_data);
}

static const struct block_device_operations hd_fops = {
	.owner = THIS_MODULE,
	.submit_bio = hd_submit_bio,
	.open = hd_open,
	.release = hd_release,
	.free_disk = hd_free_disk,
};

static ssize_t resource_show(struct device *d, struct device_attribute *attr,
			     char *buf)
{
	struct hd_device *dev = dev_to_disk(d)->private_data;

	return sysfs_emit(buf, "%s\n", dev->res->name);
}
static DEVICE_ATTR_RO(resource);

static ssize_t volume_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "0\n");
}
static DEVICE_ATTR_RO(volume);

static struct attribute *hd_attrs[] = {
	&dev_attr_resource.attr,
	&dev_attr_volume.attr,
	NULL,
};

static const struct attribute_group hd_attr_group = {
	.name = "hadisk",
	.attrs = hd_attrs,
};

static const struct attribute_group *hd_attr_groups[] = {
	&hd_attr_group,
	NULL,
};

static void set_limits(struct hd_device *dev)
{
	struct request_queue *q = dev->disk->queue;
	struct request_queue *b = bdev_get_queue(dev->backing);

	blk_set_stacking_limits(&q->limits);
	blk_stack_limits(&q->limits, &b->limits, 0);
	blk_queue_max_hw_sectors(q, min_t(unsigned int,
					  queue_max_hw_sectors(q),
					  HD_MAX_BIO_SECTORS));
	blk_queue_max_discard_sectors(q, min_t(unsigned int,
					       q->limits.max_discard_sectors,
					       HD_MAX_BIO_SECTORS * 16));
	blk_queue_max_write_zeroes_sectors(q, min_t(unsigned int,
				q->limits.max_write_zeroes_sectors,
				HD_MAX_BIO_SECTORS * 16));
	blk_queue_write_cache(q, true, true);
	/*
	 * Pages under a write stay unchanged until it completes: the peer
	 * gets the bytes the local disk gets, digests hold, and a page the
	 * socket references (protocols B and C) is not changed under it.
	 */
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
	if (blk_queue_nonrot(b))
		blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
}

static int open_backing(struct hd_device *dev, const char *path,
			struct netlink_ext_ack *extack)
{
	struct block_device *b;

	b = hd_bdev_open(path, dev);
	if (IS_ERR(b)) {
		int err = PTR_ERR(b);

		if (err == -ENOENT)
			NL_SET_ERR_MSG_FMT(extack,
					   "backing device %s does not exist: check 'disk' in the config",
					   path);
		else if (err == -ENOTBLK)
			NL_SET_ERR_MSG_FMT(extack,
					   "backing device %s is not a block device: check 'disk' in the config",
					   path);
		else if (err == -EBUSY)
			NL_SET_ERR_MSG_FMT(extack,
					   "backing device %s is in use (mounted, or held by another program or resource): free it first",
					   path);
		else
			NL_SET_ERR_MSG_FMT(extack,
					   "cannot open backing device %s (error %d)",
					   path, err);
		return err;
	}
	if (b->bd_disk->fops == &hd_fops) {
		hd_bdev_close(b);
		NL_SET_ERR_MSG_FMT(extack,
				   "backing device %s is itself a hadisk device: use a real disk",
				   path);
		return -EINVAL;
	}
	if (!bdev_nr_sectors(b)) {
		hd_bdev_close(b);
		NL_SET_ERR_MSG_FMT(extack, "backing device %s has size 0",
				   path);
		return -EINVAL;
	}
	dev->backing = b;
	return 0;
}

int hd_device_attach(struct hd_resource *res, u32 minor, const char *path,
		     const char *meta, u32 al_extents, u8 on_io_error,
		     struct netlink_ext_ack *extack)
{
	struct hd_device *dev;
	struct gendisk *disk;
	int err;

	if (res->dev) {
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s already has a disk (minor %d): detach it first",
				   res->name, res->dev->minor);
		return -EEXIST;
	}
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->res = res;
	dev->minor = minor;
	strscpy(dev->backing_path, path, sizeof(dev->backing_path));
	mutex_init(&dev->open_lock);
	spin_lock_init(&dev->req_lock);
	INIT_LIST_HEAD(&dev->inflight);
	spin_lock_init(&dev->al_lock);
	INIT_LIST_HEAD(&dev->al_deferred);
	INIT_WORK(&dev->al_work, hd_al_work_fn);
	hd_detach_init(dev);
	dev->on_io_error = on_io_error;
	init_waitqueue_head(&dev->conflict_wq);
	init_waitqueue_head(&dev->idle_wq);

	mutex_lock(&hd_minor_lock);
	err = idr_alloc(&hd_minors, dev, minor, minor + 1, GFP_KERNEL);
	mutex_unlock(&hd_minor_lock);
	if (err < 0) {
		if (err == -ENOSPC) {
			NL_SET_ERR_MSG_FMT(extack,
					   "minor %u is in use by another resource: choose another 'minor' in the config",
					   minor);
			err = -EBUSY;
		}
		goto out_free;
	}
	err = open_backing(dev, path, extack);
	if (err)
		goto out_minor;
	if (meta) {
		err = hd_md_attach(dev, meta, al_extents, extack);
		if (err)
			goto out_backing;
	} else {
		dev->sectors = bdev_nr_sectors(dev->backing);
	}
	dev->bm_bits = hd_bm_blocks(dev->sectors);
	err = -ENOMEM;
	dev->bm = kvcalloc(hd_bm_words(dev->bm_bits), sizeof(long),
			   GFP_KERNEL);
	dev->bm_dirty = kvcalloc(BITS_TO_LONGS(DIV_ROUND_UP(dev->bm_bits,
						HD_MD_BLOCK * 8)),
				 sizeof(long), GFP_KERNEL);
	dev->md_wq = alloc_workqueue("hadisk_md%u", WQ_MEM_RECLAIM, 2, minor);
	if (!dev->bm || !dev->bm_dirty || !dev->md_wq)
		goto out_md;
	if (dev->md) {
		err = hd_md_load(dev, extack);
		if (err)
			goto out_md;
	}
	err = -ENOMEM;
	if (bioset_init(&dev->bs, BIO_POOL_SIZE, 0, 0))
		goto out_md;
	if (bioset_init(&dev->req_bs, BIO_POOL_SIZE,
			offsetof(struct hd_req, bio), 0))
		goto out_md;

	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk)
		goto out_md;
	dev->disk = disk;
	disk->major = hd_major;
	disk->first_minor = minor;
	disk->minors = 1;
	disk->flags |= GENHD_FL_NO_PART;
	disk->fops = &hd_fops;
	disk->private_data = dev;
	snprintf(disk->disk_name, DISK_NAME_LEN, "hadisk%u", minor);
	set_capacity(disk, dev->sectors);
	set_limits(dev);
	res->dev = dev;
	err = device_add_disk(NULL, disk, hd_attr_groups);
	if (err) {
		res->dev = NULL;
		NL_SET_ERR_MSG(extack, "cannot add the block device");
		goto out_disk;
	}
	if (!dev->md) {
		spin_lock_irq(&res->lock);
		res->disk = HADISK_DISK_INCONSISTENT;
		spin_unlock_irq(&res->lock);
	}
	hd_stats_register(dev);
	hd_fault_register(dev);
	hd_nl_notify(res, "attached");
	pr_info("hadisk%u: resource %s attached to %s, %llu sectors\n", minor,
		res->name, path, (u64)dev->sectors);
	return 0;

out_disk:
	put_disk(disk);
out_md:
	hd_md_close(dev);
	spin_lock_irq(&res->lock);
	res->disk = HADISK_DISK_DISKLESS;
	memset(&res->uuids, 0, sizeof(res->uuids));
	spin_unlock_irq(&res->lock);
out_backing:
	hd_bdev_close(dev->backing);
out_minor:
	mutex_lock(&hd_minor_lock);
	idr_remove(&hd_minors, minor);
	mutex_unlock(&hd_minor_lock);
out_free:
	hd_dev_free(dev);
	return err;
}

/* force: namespace exit, the disk goes even if open (as on hot unplug). */
int hd_device_detach(struct hd_resource *res, bool force,
		     struct netlink_ext_ack *extack)
{
	struct hd_device *dev = res->dev;
	int minor;

	if (!dev) {
		NL_SET_ERR_MSG_FMT(extack, "resource %s has no disk attached",
				   res->name);
		return -ENODEV;
	}
	mutex_lock(&dev->open_lock);
	if (dev->open_count && !force) {
		mutex_unlock(&dev->open_lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "/dev/hadisk%d is open (mounted or in use by a program): unmount or close it first",
				   dev->minor);
		return -EBUSY;
	}
	dev->dying = true;
	mutex_unlock(&dev->open_lock);

	hd_fence_stop(res);
	hd_stats_unregister(dev);
	minor = dev->minor;
	del_gendisk(dev->disk);
	wait_event(dev->idle_wq, !atomic_read(&dev->bios_inflight));
	hd_detach_flush(dev);
	flush_workqueue(dev->md_wq);
	hd_md_detach(dev);
	hd_bdev_close(dev->backing);
	mutex_lock(&hd_minor_lock);
	idr_remove(&hd_minors, minor);
	mutex_unlock(&hd_minor_lock);
	spin_lock_irq(&res->lock);
	res->dev = NULL;
	res->disk = HADISK_DISK_DISKLESS;
	memset(&res->uuids, 0, sizeof(res->uuids));
	spin_unlock_irq(&res->lock);
	put_disk(dev->disk);
	pr_info("hadisk%d: resource %s detached\n", minor, res->name);
	return 0;
}

/*
 * ATTACH on a device Diskless after an IO error (detach.c): open the
 * repaired or replaced disk under the running /dev/hadiskN. Waits, at
 * most 10 s, for the IO still held by the failed disk; refuses, changing
 * nothing, a disk that cannot serve. Caller holds hn->lock.
 */
int hd_device_reattach(struct hd_resource *res, u32 minor, const char *path,
		       const char *meta, u8 on_io_error,
		       struct netlink_ext_ack *extack)
{
	struct hd_device *dev = res->dev;
	struct block_device *old = dev->backing;
	unsigned long deadline = jiffies + 10 * HZ;
	bool idle, primary;
	int err;

	if (minor != dev->minor) {
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s is /dev/hadisk%d, not minor %u: fix 'minor' in the config",
				   res->name, dev->minor, minor);
		return -EINVAL;
	}
	if (!dev->md || !meta) {
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s was attached without metadata: detach and attach it again",
				   res->name);
		return -EINVAL;
	}
	/* writes waiting for the old activity log, then the IO in flight */
	flush_workqueue(dev->md_wq);
	for (;;) {
		idle = !atomic_read(&dev->bios_inflight) && !hd_req_al_users(dev);
		if (idle || time_after(jiffies, deadline))
			break;
		msleep(50);
	}
	if (!idle) {
		NL_SET_ERR_MSG_FMT(extack,
				   "%d requests are still in flight on the failed backing device %s after 10 s: try again later",
				   atomic_read(&dev->bios_inflight),
				   dev->backing_path);
		return -EBUSY;
	}
	err = open_backing(dev, path, extack);
	if (err)
		return err;
	err = hd_md_reattach(dev, path, meta, extack);
	if (err) {
		hd_bdev_close(dev->backing);
		dev->backing = old;
		return err;
	}
	hd_bdev_close(old);
	strscpy(dev->backing_path, path, sizeof(dev->backing_path));
	dev->on_io_error = on_io_error;
	spin_lock_irq(&res->lock);
	res->disk = HADISK_DISK_INCONSISTENT;
	dev->detached_on_error = false;
	res->last_error[0] = 0;
	primary = res->role == HADISK_ROLE_PRIMARY;
	spin_unlock_irq(&res->lock);
	/* back in service: marked blocks are read from the peer till synced */
	spin_lock_irq(&dev->req_lock);
	dev->pulling = true;
	dev->diskless = false;
	spin_unlock_irq(&dev->req_lock);
	err = hd_md_flush_bitmap(dev);
	if (!err)
		err = hd_md_write_super(dev);
	if (err)
		pr_warn("hadisk%d: writing the metadata on the re-attached disk failed (%d)\n",
			dev->minor, err);
	pr_info("hadisk%d: resource %s re-attached to %s, %llu blocks to resync\n",
		dev->minor, res->name, path, hd_bm_oos_bytes(dev) / 4096);
	hd_nl_notify(res, "re-attached");
	if (res->conn.configured) {
		if (primary) {
			atomic_set(&res->conn.want_pull, 1);
			hd_conn_kick(&res->conn);
		} else {
			hd_conn_fail(&res->conn, "the disk was re-attached: reconnecting to resync it");
		}
	}
	return 0;
}

bool hd_device_is_open(struct hd_device *dev)
{
	bool open;

	mutex_lock(&dev->open_lock);
	open = dev->open_count > 0;
	mutex_unlock(&dev->open_lock);
	return open;
}

int hd_device_open_count(struct hd_device *dev)
{
	int n;

	mutex_lock(&dev->open_lock);
	n = dev->open_count;
	mutex_unlock(&dev->open_lock);
	return n;
}

int hd_device_init(void)
{
	hd_major = register_blkdev(0, "hadisk");
	return hd_major < 0 ? hd_major : 0;
}

void hd_device_exit(void)
{
	unregister_blkdev(hd_major, "hadisk");
	idr_destroy(&hd_minors);
}
