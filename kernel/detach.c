// SPDX-License-Identifier: GPL-2.0
/*
 * Local disk failure: the on-io-error policy, and the way back.
 *
 * A read or write error of the backing device (an application IO, a peer
 * write, a read served to the peer, an activity-log write) is counted and
 * runs the local-io-error hook. With on-io-error pass_on (or
 * call-local-io-error) the error goes to the application, as before. With
 * detach (the default) the node stops using its disk at once:
 *   - dev->diskless is set under dev->req_lock, so every IO path decides
 *     consistently; the metadata is marked offline (nothing more is
 *     written to the failed disk);
 *   - the disk state becomes Diskless (detach_work), the peer is told
 *     (STATE) and starts a new data generation, so that the failed disk,
 *     should it come back stale after a reboot, is resynced from the
 *     peer's bitmap instead of being taken for in sync (hd_peer_diskless);
 *   - reads go to the peer (remote.c): a failed read is retried there;
 *   - writes go to the peer only, and are marked in the in-memory bitmap;
 *     a write whose local part failed completes without error when the
 *     peer has it (req.c: local_failed / net_ok);
 *   - a running resync or verify is interrupted (the link is reset).
 * Without the peer, IO fails with EIO: no disk holds the data.
 *
 * Re-attach (ATTACH on a Diskless device, device.c) opens the repaired or
 * replaced disk; the same disk (same data generation in its metadata) gets
 * its on-disk bitmap and activity log merged into the in-memory bitmap,
 * a new disk is marked out of sync entirely. The disk is then Inconsistent
 * and is resynced from the peer:
 *   - a Secondary reconnects, and the normal resync brings it up to date;
 *   - a Primary pulls (hd_pull_fn): it reads every marked block from the
 *     peer (READ_REQ) and writes it locally, each run under a resync
 *     interval so that no application write to the same blocks runs in
 *     between; meanwhile application reads of marked blocks go to the peer
 *     (dev->pulling). A pushed resync could overwrite a newer application
 *     write with older data here, because the writes start on this node.
 *     When the bitmap is empty the disk is UpToDate and the peer is told
 *     (STATE with HD_STATE_F_PULLED), which clears its bitmap.
 *
 * Locks: dev->req_lock for diskless, pulling, the bitmap and retry_reads;
 * res->lock for the disk state and detached_on_error. The pull runs in
 * conn->rs.task, started and stopped by the connection worker only.
 */
#include <linux/bio.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "detach.h"
#include "remote.h"
#include "conn.h"
#include "req.h"
#include "sender.h"
#include "bitmap.h"
#include "meta.h"
#include "hook.h"
#include "fence.h"
#include "netlink.h"
#include "resync.h"

#define HD_PULL_BLOCKS 32	/* 128 KiB per read request */

struct hd_pull_req {
	struct hd_interval iv;		/* first: in dev->inflight */
	struct page *pages[HD_PULL_BLOCKS];
};

static void detach_work_fn(struct work_struct *w)
{
	struct hd_device *dev = container_of(w, struct hd_device, detach_work);
	struct hd_resource *res = dev->res;
	struct hd_conn *conn = &res->conn;
	bool busy, up, pull;

	spin_lock_irq(&res->lock);
	res->disk = HADISK_DISK_DISKLESS;
	dev->detached_on_error = true;
	/* a Primary's pull just stops (hd_pull_fn); other syncs need a reset */
	pull = res->cstate == HADISK_CONN_SYNC_TARGET &&
	       res->role == HADISK_ROLE_PRIMARY;
	if (pull)
		res->cstate = HADISK_CONN_CONNECTED;
	busy = res->cstate == HADISK_CONN_SYNC_SOURCE ||
	       res->cstate == HADISK_CONN_SYNC_TARGET || res->verify_running;
	spin_unlock_irq(&res->lock);
	mutex_lock(&conn->data_lock);
	up = conn->link_up;
	mutex_unlock(&conn->data_lock);
	pr_err("hadisk%d: the backing device %s failed an IO: detached (on-io-error detach); %s\n",
	       dev->minor, dev->backing_path,
	       up ? "reads and writes now go to the peer" :
	       "no peer is connected: IO fails until one is");
	hd_set_error(res, "the backing device %s failed an IO and was detached (on-io-error detach): IO is served by the peer; repair or replace the disk, then 'hadiskctl attach %s'",
		     dev->backing_path, res->name);
	if (busy)
		hd_conn_fail(conn, "the local disk was detached after an IO error");
	else if (up && hd_send_state(conn))
		hd_conn_fail(conn, "sending the state failed");
	hd_state_changed(res, "detached-io-error");
}

static void retry_work_fn(struct work_struct *w)
{
	struct hd_device *dev = container_of(w, struct hd_device, retry_work);
	struct bio_list list;
	struct bio *bio;

	spin_lock_irq(&dev->req_lock);
	list = dev->retry_reads;
	bio_list_init(&dev->retry_reads);
	spin_unlock_irq(&dev->req_lock);
	while ((bio = bio_list_pop(&list)))
		hd_read_remote(dev, bio);
}

void hd_detach_init(struct hd_device *dev)
{
	INIT_WORK(&dev->detach_work, detach_work_fn);
	INIT_WORK(&dev->retry_work, retry_work_fn);
	INIT_LIST_HEAD(&dev->rreads);
	bio_list_init(&dev->retry_reads);
	atomic64_set(&dev->local_io_errors, 0);
	atomic64_set(&dev->remote_reads, 0);
}

/* Before the device goes away. */
void hd_detach_flush(struct hd_device *dev)
{
	flush_work(&dev->detach_work);
	flush_work(&dev->retry_work);
}

/*
 * An IO of the backing device failed; any context. Returns true if the
 * disk is (now) detached: the caller then lets the peer serve the IO.
 */
bool hd_local_io_error(struct hd_device *dev, sector_t sector, u32 size)
{
	unsigned long flags;
	bool first;

	atomic64_inc(&dev->local_io_errors);
	hd_hook_async(dev->res, HD_HOOK_LOCAL_IO_ERROR);
	if (READ_ONCE(dev->on_io_error) != HADISK_IOE_DETACH)
		return false;
	spin_lock_irqsave(&dev->req_lock, flags);
	first = !dev->diskless;
	dev->diskless = true;
	dev->pulling = false;
	if (dev->md)
		WRITE_ONCE(dev->md->offline, true);
	spin_unlock_irqrestore(&dev->req_lock, flags);
	if (first) {
		pr_err("hadisk%d: IO error on the backing device at sector %llu (%u bytes): detaching it\n",
		       dev->minor, (unsigned long long)sector, size);
		queue_work(system_long_wq, &dev->detach_work);
	}
	return true;
}

/* A failed local read, with the disk detached: read it from the peer. */
void hd_retry_read(struct hd_device *dev, struct bio *master)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->req_lock, flags);
	bio_list_add(&dev->retry_reads, master);
	spin_unlock_irqrestore(&dev->req_lock, flags);
	queue_work(system_long_wq, &dev->retry_work);
}

/*
 * Our peer has no disk: it writes through us, and its disk, when it comes
 * back, must not be taken for in sync. Start a new data generation; the
 * bitmap then counts every block the peer's disk lacks.
 */
void hd_peer_diskless(struct hd_resource *res)
{
	bool changed = false;

	spin_lock_irq(&res->lock);
	if (res->disk == HADISK_DISK_UPTODATE && !res->uuids.bitmap) {
		hd_uuid_new_generation(&res->uuids, get_random_u64() | 1);
		changed = true;
	}
	spin_unlock_irq(&res->lock);
	if (changed) {
		pr_info("hadisk %s: the peer %s has no disk: new data generation, its changes are tracked\n",
			res->name, res->peer_name);
		hd_md_update(res);
		/* the peer adopts it when it has pulled what it lacks */
		if (hd_send_state(&res->conn))
			hd_conn_fail(&res->conn, "sending the state failed");
	}
}

/* The peer pulled every block it lacked and adopted our generation. */
void hd_peer_pulled(struct hd_resource *res, u64 current_uuid)
{
	struct hd_device *dev = res->dev;
	bool ok;

	spin_lock_irq(&res->lock);
	ok = res->disk == HADISK_DISK_UPTODATE && res->uuids.cur == current_uuid;
	if (ok)
		hd_uuid_sync_done_source(&res->uuids);
	spin_unlock_irq(&res->lock);
	if (!ok)
		return;
	spin_lock_irq(&dev->req_lock);
	if (hd_bm_clear(dev->bm, 0, dev->bm_bits - 1))
		hd_md_bm_dirty(dev, 0, dev->bm_bits - 1);
	dev->oos_blocks = 0;
	spin_unlock_irq(&dev->req_lock);
	pr_info("hadisk %s: %s pulled every block it lacked: in sync\n",
		res->name, res->peer_name);
}

/* A Primary with an Inconsistent disk and an UpToDate peer pulls. */
bool hd_pull_wanted(struct hd_resource *res)
{
	bool want;

	spin_lock_irq(&res->lock);
	want = res->role == HADISK_ROLE_PRIMARY &&
	       res->disk == HADISK_DISK_INCONSISTENT &&
	       res->peer_disk == HADISK_DISK_UPTODATE &&
	       res->peer_role != HADISK_ROLE_PRIMARY &&
	       (res->cstate == HADISK_CONN_CONNECTED ||
		res->cstate == HADISK_CONN_SYNC_TARGET);
	spin_unlock_irq(&res->lock);
	return want && res->dev && !READ_ONCE(res->dev->diskless);
}

static void pull_done(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;

	spin_lock_irq(&dev->req_lock);
	dev->pulling = false;
	spin_unlock_irq(&dev->req_lock);
	spin_lock_irq(&res->lock);
	hd_uuid_sync_done_target(&res->uuids, res->peer_uuids.cur);
	res->crashed_primary = false;
	res->disk = HADISK_DISK_UPTODATE;
	res->cstate = HADISK_CONN_CONNECTED;
	spin_unlock_irq(&res->lock);
	pr_info("hadisk %s: resync from %s done (pulled): %llu bytes\n",
		res->name, res->peer_name,
		(u64)atomic64_read(&conn->rs.done_bytes));
	hd_md_flush_bitmap(dev);
	if (hd_send_state_flags(conn, HD_STATE_F_PULLED))
		hd_conn_fail(conn, "sending the state failed");
	hd_state_changed(res, "resync-done");
	hd_fence_in_sync(res);
	hd_hook_async(res, HD_HOOK_AFTER_RESYNC_TARGET);
}

/* Pull one run of marked blocks: read at the peer, write here. */
static int pull_run(struct hd_conn *conn, struct hd_pull_req *p, u64 bit,
		    u64 n)
{
	struct hd_device *dev = conn->res->dev;
	struct bio *bio;
	unsigned int i;
	u32 size, left;
	int err;

	p->iv.sector = bit * HD_BM_SECT_PER_BLOCK;
	size = min_t(u64, n * HD_BM_BLOCK_SIZE,
		     (dev->sectors - p->iv.sector) << 9);
	p->iv.size = size;
	p->iv.resync = true;
	p->iv.kind = HD_IV_PULL;
	hd_interval_insert(dev, &p->iv);
	err = hd_rread_sync(conn, p->iv.sector, size, p->pages,
			    DIV_ROUND_UP(size, PAGE_SIZE));
	if (err)
		goto out;
	bio = bio_alloc(dev->backing, DIV_ROUND_UP(size, PAGE_SIZE),
			REQ_OP_WRITE, GFP_NOIO);
	bio->bi_iter.bi_sector = p->iv.sector;
	for (i = 0, left = size; left; i++) {
		u32 len = min_t(u32, left, PAGE_SIZE);

		__bio_add_page(bio, p->pages[i], len, 0);
		left -= len;
	}
	hd_dev_bio_get(dev);
	if (hd_fault(&dev->fault, HD_FAULT_FAIL_WRITE))
		err = -EIO;
	else
		err = submit_bio_wait(bio);
	bio_put(bio);
	hd_dev_bio_put(dev);
	if (err) {
		hd_local_io_error(dev, p->iv.sector, size);
		goto out;
	}
	spin_lock_irq(&dev->req_lock);
	n = hd_bm_clear(dev->bm, bit, bit + n - 1);
	dev->oos_blocks -= n;
	if (n)
		hd_md_bm_dirty(dev, bit, bit + n - 1);
	spin_unlock_irq(&dev->req_lock);
	atomic64_add(size, &conn->rs.done_bytes);
out:
	hd_interval_remove(dev, &p->iv);
	return err;
}

static int hd_pull_fn(void *arg)
{
	struct hd_conn *conn = arg;
	struct hd_device *dev = conn->res->dev;
	struct hd_pull_req *p;
	u64 cursor = 0, bit, n = 0, left;
	bool wrapped = false, done = false;
	unsigned int i;
	int err = 0;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		goto fail;
	for (i = 0; i < HD_PULL_BLOCKS; i++) {
		p->pages[i] = alloc_page(GFP_KERNEL);
		if (!p->pages[i])
			goto fail;
	}
	while (!kthread_should_stop() && !atomic_read(&conn->failed)) {
		spin_lock_irq(&dev->req_lock);
		bit = hd_bm_find_next(dev->bm, dev->bm_bits, cursor);
		if (bit < dev->bm_bits)
			n = hd_bm_run(dev->bm, dev->bm_bits, bit,
				      HD_PULL_BLOCKS);
		left = dev->oos_blocks;
		spin_unlock_irq(&dev->req_lock);
		if (bit >= dev->bm_bits) {
			if (!left || wrapped) {
				done = true;
				break;
			}
			cursor = 0;
			wrapped = true;
			continue;
		}
		err = pull_run(conn, p, bit, n);
		if (err)
			break;
		cursor = bit + n;
	}
	if (done)
		pull_done(conn);
	else if (err && !atomic_read(&conn->failed) &&
		 !READ_ONCE(dev->diskless))
		hd_conn_fail(conn, "the resync from the peer failed (error %d)",
			     err);
	goto out;
fail:
	hd_conn_fail(conn, "the resync from the peer: out of memory");
out:
	if (p) {
		for (i = 0; i < HD_PULL_BLOCKS; i++)
			if (p->pages[i])
				__free_page(p->pages[i]);
		kfree(p);
	}
	wait_event_idle(conn->rs.wq, kthread_should_stop());
	return 0;
}

/* Connection worker: start pulling (see the top of this file). */
void hd_pull_start(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;
	struct task_struct *t;

	if (!hd_pull_wanted(res))
		return;
	hd_resync_stop(conn);	/* an earlier pull, stopped by an IO error */
	spin_lock_irq(&dev->req_lock);
	dev->pulling = true;
	spin_unlock_irq(&dev->req_lock);
	conn->rs.total_bytes = hd_bm_oos_bytes(dev);
	conn->rs.full = false;
	conn->rs.start_jiffies = jiffies;
	atomic64_set(&conn->rs.done_bytes, 0);
	spin_lock_irq(&res->lock);
	res->cstate = HADISK_CONN_SYNC_TARGET;
	spin_unlock_irq(&res->lock);
	if (hd_send_state(conn)) {
		hd_conn_fail(conn, "sending the state failed");
		return;
	}
	pr_info("hadisk %s: resync from %s started (pulled by this Primary): %llu bytes\n",
		res->name, res->peer_name, conn->rs.total_bytes);
	t = kthread_run(hd_pull_fn, conn, "hadisk_p/%s", res->name);
	if (IS_ERR(t)) {
		hd_conn_fail(conn, "cannot start the resync thread");
		return;
	}
	conn->rs.task = t;
	hd_state_changed(res, "resync-started");
}
