// SPDX-License-Identifier: GPL-2.0
/*
 * The request path of /dev/hadiskN.
 *
 * Reads are cloned to the backing device. A write becomes a struct hd_req:
 * it waits for no resync request overlapping it, enters dev->inflight, is
 * sent to the peer from the submitting thread (when the link is up) and is
 * cloned to the backing device. No thread hop on the Primary's side: the
 * only wakeup per write is the ack receiver's, which completes it.
 *
 * Request states (bits under dev->req_lock):
 *   RQ_LOCAL        set at submit, cleared by the local completion;
 *   RQ_NET_COMPLETE set at send for protocols B and C, cleared by RECV_ACK
 *                   (B) or WRITE_ACK (C), or by link loss;
 *   RQ_NET_ACK      set at send, cleared by WRITE_ACK/NEG_ACK or link loss;
 *   RQ_MASTER_DONE  the application's bio is completed: when neither
 *                   RQ_LOCAL nor RQ_NET_COMPLETE remains. Protocol A thus
 *                   completes after the local disk and the send.
 * The request is freed when RQ_MASTER_DONE is set and RQ_LOCAL and
 * RQ_NET_ACK are clear: it stays in dev->inflight until the peer has the
 * data, so resync never overlaps a write the peer may still apply.
 * Every request completes exactly once: only the transition that sets
 * RQ_MASTER_DONE completes the bio, and only the one that empties the
 * state frees it.
 *
 * Frozen IO (fencing resource-and-stonith, fence.c): while dev->frozen,
 * new writes wait in dev->frozen_new and a write whose request completes
 * is not ended: its bio waits in dev->frozen_done (with its status; still
 * counted in writes_pending) until hd_io_thaw(). Both lists change only
 * under dev->req_lock, with the flag, so nothing is left behind.
 *
 * A write that may have missed the peer (sent while the link was down, or
 * unacknowledged at link loss, or refused by the peer) marks its blocks in
 * the out-of-sync bitmap; a write the peer acknowledged clears the blocks
 * it covers entirely.
 */
#include <linux/bio.h>
#include <linux/slab.h>
#include "req.h"
#include "sender.h"
#include "bitmap.h"
#include "wire.h"
#include "meta.h"
#include "actlog.h"
#include "fence.h"
#include "hook.h"
#include "conn.h"
#include "detach.h"
#include "remote.h"

void hd_dev_bio_get(struct hd_device *dev)
{
	atomic_inc(&dev->bios_inflight);
}

void hd_dev_bio_put(struct hd_device *dev)
{
	if (atomic_dec_and_test(&dev->bios_inflight))
		wake_up(&dev->idle_wq);
}

/* Caller holds dev->req_lock. */
static void bm_mark_locked(struct hd_device *dev, sector_t sector, u32 size)
{
	u64 first, last;

	if (!hd_bm_touched(sector, size, &first, &last))
		return;
	if (last >= dev->bm_bits)
		last = dev->bm_bits - 1;
	dev->oos_blocks += hd_bm_set(dev->bm, first, last);
	hd_md_bm_dirty(dev, first, last);
}

static void bm_clear_locked(struct hd_device *dev, sector_t sector, u32 size)
{
	u64 first, last, n;

	if (!hd_bm_covered(sector, size, &first, &last))
		return;
	if (last >= dev->bm_bits)
		last = dev->bm_bits - 1;
	n = hd_bm_clear(dev->bm, first, last);
	if (n) {
		dev->oos_blocks -= n;
		hd_md_bm_dirty(dev, first, last);
	}
}

void hd_bm_mark(struct hd_device *dev, sector_t sector, u32 size)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->req_lock, flags);
	bm_mark_locked(dev, sector, size);
	spin_unlock_irqrestore(&dev->req_lock, flags);
}

void hd_bm_mark_all(struct hd_device *dev)
{
	spin_lock_irq(&dev->req_lock);
	dev->oos_blocks += hd_bm_set(dev->bm, 0, dev->bm_bits - 1);
	hd_md_bm_dirty(dev, 0, dev->bm_bits - 1);
	spin_unlock_irq(&dev->req_lock);
}

u64 hd_bm_oos_bytes(struct hd_device *dev)
{
	u64 n;

	spin_lock_irq(&dev->req_lock);
	n = dev->oos_blocks;
	spin_unlock_irq(&dev->req_lock);
	return min_t(u64, n * HD_BM_BLOCK_SIZE, (u64)dev->sectors << 9);
}

static bool overlap(const struct hd_interval *a, const struct hd_interval *b)
{
	if (!a->size || !b->size)
		return false;
	return a->sector < b->sector + (b->size >> 9) &&
	       b->sector < a->sector + (a->size >> 9);
}

/*
 * An application write conflicts with resync requests; a resync request
 * with everything. Caller holds dev->req_lock.
 */
static bool conflicts(struct hd_device *dev, struct hd_interval *iv)
{
	struct hd_interval *o;

	list_for_each_entry(o, &dev->inflight, list)
		if ((iv->resync || o->resync) && overlap(iv, o))
			return true;
	return false;
}

void hd_interval_insert(struct hd_device *dev, struct hd_interval *iv)
{
	spin_lock_irq(&dev->req_lock);
	wait_event_lock_irq(dev->conflict_wq, !conflicts(dev, iv),
			    dev->req_lock);
	list_add_tail(&iv->list, &dev->inflight);
	spin_unlock_irq(&dev->req_lock);
}

void hd_interval_remove(struct hd_device *dev, struct hd_interval *iv)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->req_lock, flags);
	list_del(&iv->list);
	spin_unlock_irqrestore(&dev->req_lock, flags);
	if (wq_has_sleeper(&dev->conflict_wq))
		wake_up(&dev->conflict_wq);
}

/*
 * Apply a state change under dev->req_lock; returns what to do after.
 * ACT_COMPLETE: the application's bio is to be ended, with what *fin says
 * (taken under the lock: another path may free the request as soon as the
 * lock is dropped, unless this one also got ACT_FREE); ACT_FREE: this path
 * took the request off dev->inflight and owns it.
 */
#define ACT_COMPLETE 1
#define ACT_FREE 2
static int req_mod_locked(struct hd_req *req, unsigned int clear,
			  blk_status_t status, struct hd_req_fin *fin)
{
	struct hd_device *dev = req->dev;
	int act = 0;

	if (status && !req->status)
		req->status = status;
	if (clear & req->state & RQ_NET_ACK)
		atomic_dec(&dev->writes_unacked);
	req->state &= ~clear;
	if (!(req->state & (RQ_LOCAL | RQ_NET_COMPLETE | RQ_MASTER_DONE))) {
		/* Not on our disk, and the peer does not have it either. */
		if (req->local_failed && !req->net_ok && !req->status)
			req->status = BLK_STS_IOERR;
		req->state |= RQ_MASTER_DONE;
		if (dev->frozen) {
			/* ended by hd_io_thaw() */
			req->master->bi_status = req->status;
			bio_list_add(&dev->frozen_done, req->master);
			req->master = NULL;
		} else {
			fin->master = req->master;
			fin->status = req->status;
			fin->t_submit = req->t_submit;
			req->master = NULL;
			act |= ACT_COMPLETE;
		}
	}
	if ((req->state & RQ_MASTER_DONE) &&
	    !(req->state & (RQ_LOCAL | RQ_NET_ACK))) {
		list_del(&req->iv.list);
		act |= ACT_FREE;
	}
	return act;
}

/* After req_mod_locked(): req is only touched when this path owns it. */
static void req_act(struct hd_device *dev, struct hd_req *req, int act,
		    const struct hd_req_fin *fin)
{
	if (act & ACT_COMPLETE) {
		hd_stats_add(&dev->stats, HD_ST_TOTAL, fin->t_submit);
		fin->master->bi_status = fin->status;
		atomic_set(&dev->res->conn.epoch_done, 1);
		atomic_dec(&dev->writes_pending);
		bio_endio(fin->master);
	}
	if (act & ACT_FREE) {
		if (req->al)
			hd_al_end(dev->al, req->iv.sector, req->iv.size);
		if (wq_has_sleeper(&dev->conflict_wq))
			wake_up(&dev->conflict_wq);
		bio_put(&req->bio);
	}
}

static void hd_req_mod(struct hd_req *req, unsigned int clear,
		       blk_status_t status)
{
	struct hd_device *dev = req->dev;
	struct hd_req_fin fin;
	unsigned long flags;
	int act;

	spin_lock_irqsave(&dev->req_lock, flags);
	act = req_mod_locked(req, clear, status, &fin);
	spin_unlock_irqrestore(&dev->req_lock, flags);
	req_act(dev, req, act, &fin);
}

/* Ack receiver: the peer reports on request id. */
void hd_req_peer_event(struct hd_device *dev, u64 id, unsigned int type,
		       unsigned int status)
{
	struct hd_interval *iv;
	struct hd_req *req = NULL;
	struct hd_req_fin fin;
	unsigned long flags;
	unsigned int clear;
	int act;

	spin_lock_irqsave(&dev->req_lock, flags);
	list_for_each_entry(iv, &dev->inflight, list) {
		struct hd_req *r = container_of(iv, struct hd_req, iv);

		if (!iv->resync && (r->state & RQ_NET_ACK) && r->id == id) {
			req = r;
			break;
		}
	}
	if (!req) {
		spin_unlock_irqrestore(&dev->req_lock, flags);
		return;
	}
	if (type == HD_P_WRITE_ACK)
		hd_stats_add(&dev->stats, HD_ST_PEER, req->t_sent);
	switch (type) {
	case HD_P_RECV_ACK:
		clear = RQ_NET_COMPLETE;
		req->net_ok = true;
		break;
	case HD_P_WRITE_ACK:
		clear = RQ_NET_COMPLETE | RQ_NET_ACK;
		req->net_ok = true;
		/* not if the local write failed: the blocks differ */
		if (!req->status && !req->local_failed)
			bm_clear_locked(dev, req->iv.sector, req->iv.size);
		break;
	default:	/* NEG_ACK: the peer could not write it */
		clear = RQ_NET_COMPLETE | RQ_NET_ACK;
		bm_mark_locked(dev, req->iv.sector, req->iv.size);
		break;
	}
	act = req_mod_locked(req, clear, 0, &fin);
	spin_unlock_irqrestore(&dev->req_lock, flags);
	req_act(dev, req, act, &fin);
}

/* Link lost: every write the peer has not acknowledged is out of sync. */
void hd_req_fail_net(struct hd_device *dev)
{
	struct hd_interval *iv, *tmp;
	LIST_HEAD(batch);
	struct hd_req *req, *rtmp;

	spin_lock_irq(&dev->req_lock);
	list_for_each_entry_safe(iv, tmp, &dev->inflight, list) {
		if (iv->resync)
			continue;
		req = container_of(iv, struct hd_req, iv);
		if (!(req->state & (RQ_NET_ACK | RQ_NET_COMPLETE)))
			continue;
		bm_mark_locked(dev, iv->sector, iv->size);
		req->act = req_mod_locked(req, RQ_NET_ACK | RQ_NET_COMPLETE, 0,
					  &req->fin);
		/*
		 * With both net bits gone, any completion here comes with
		 * ACT_FREE: this path owns what it batches. A request still
		 * writing locally is ended by its completion, not here.
		 */
		if (req->act)
			list_add_tail(&req->done, &batch);
	}
	spin_unlock_irq(&dev->req_lock);
	list_for_each_entry_safe(req, rtmp, &batch, done)
		req_act(dev, req, req->act, &req->fin);
}

/* Requests that hold activity-log references (re-attach waits for 0). */
int hd_req_al_users(struct hd_device *dev)
{
	struct hd_interval *iv;
	int n = 0;

	spin_lock_irq(&dev->req_lock);
	list_for_each_entry(iv, &dev->inflight, list)
		if (!iv->resync && container_of(iv, struct hd_req, iv)->al)
			n++;
	spin_unlock_irq(&dev->req_lock);
	return n;
}

/* jiffies of the oldest write the peer has not acknowledged, or 0. */
unsigned long hd_req_oldest_unacked(struct hd_device *dev)
{
	struct hd_interval *iv;
	unsigned long oldest = 0;

	spin_lock_irq(&dev->req_lock);
	list_for_each_entry(iv, &dev->inflight, list) {
		struct hd_req *r = container_of(iv, struct hd_req, iv);

		if (iv->resync || !(r->state & RQ_NET_ACK))
			continue;
		if (!oldest || time_before(r->start, oldest))
			oldest = r->start;
	}
	spin_unlock_irq(&dev->req_lock);
	return oldest;
}

static void hd_read_endio(struct bio *clone)
{
	struct bio *master = clone->bi_private;
	struct hd_device *dev = master->bi_bdev->bd_disk->private_data;
	blk_status_t st = clone->bi_status;

	bio_put(clone);
	/* on-io-error detach: the peer serves it (detach.c) */
	if (unlikely(st) &&
	    hd_local_io_error(dev, master->bi_iter.bi_sector,
			      master->bi_iter.bi_size)) {
		hd_retry_read(dev, master);
		hd_dev_bio_put(dev);
		return;
	}
	master->bi_status = st;
	bio_endio(master);
	hd_dev_bio_put(dev);
}

static void hd_write_endio(struct bio *clone)
{
	struct hd_req *req = clone->bi_private;
	struct hd_device *dev = req->dev;
	blk_status_t st = clone->bi_status;

	if (unlikely(st)) {
		unsigned long flags;
		bool detached = hd_local_io_error(dev, req->iv.sector,
						  req->iv.size);

		/*
		 * The peer may have written it: the blocks differ. Marked, and
		 * the status set, under one lock, so that a WRITE_ACK does
		 * not clear the mark; the next resync makes both sides equal.
		 * Detached: the write succeeds if the peer has it.
		 */
		spin_lock_irqsave(&dev->req_lock, flags);
		bm_mark_locked(dev, req->iv.sector, req->iv.size);
		if (detached)
			req->local_failed = true;
		else if (!req->status)
			req->status = st;
		spin_unlock_irqrestore(&dev->req_lock, flags);
		if (detached) {
			st = BLK_STS_OK;
		} else {
			atomic_set(&dev->res->conn.want_resync, 1);
			hd_conn_kick(&dev->res->conn);
		}
	}
	hd_stats_add(&dev->stats, HD_ST_LOCAL, req->t_submit);
	hd_req_mod(req, RQ_LOCAL, st);
	hd_dev_bio_put(dev);
}

static void hd_submit_read(struct hd_device *dev, struct bio *bio)
{
	struct bio *clone;

	if (unlikely(hd_read_needs_peer(dev, bio))) {
		hd_read_remote(dev, bio);
		return;
	}
	clone = bio_alloc_clone(dev->backing, bio, GFP_NOIO, &dev->bs);
	if (!clone) {
		bio_io_error(bio);
		return;
	}
	clone->bi_private = bio;
	clone->bi_end_io = hd_read_endio;
	hd_dev_bio_get(dev);
	if (hd_fault(&dev->fault, HD_FAULT_FAIL_READ)) {
		clone->bi_status = BLK_STS_IOERR;
		bio_endio(clone);
		return;
	}
	submit_bio_noacct(clone);
}

static void hd_write_go(struct hd_device *dev, struct hd_req *req)
{
	hd_send_write(&dev->res->conn, req);
	if (unlikely(req->local_failed)) {
		/* Diskless: the peer's copy is the only one (detach.c). */
		hd_req_mod(req, RQ_LOCAL, 0);
		return;
	}
	hd_dev_bio_get(dev);
	if (hd_fault(&dev->fault, HD_FAULT_FAIL_WRITE)) {
		req->bio.bi_status = BLK_STS_IOERR;
		bio_endio(&req->bio);
		return;
	}
	submit_bio_noacct(&req->bio);
}

/*
 * Writes whose extents were not in the activity log: made durable here,
 * in a worker, since the submitting thread must not wait for its own IO.
 */
void hd_al_work_fn(struct work_struct *work)
{
	struct hd_device *dev = container_of(work, struct hd_device, al_work);
	struct hd_req *req;
	int err;

	for (;;) {
		spin_lock_irq(&dev->al_lock);
		req = list_first_entry_or_null(&dev->al_deferred, struct hd_req,
					       done);
		if (req)
			list_del(&req->done);
		spin_unlock_irq(&dev->al_lock);
		if (!req)
			return;
		err = hd_al_begin_slow(dev->al, dev, req->iv.sector,
				       req->iv.size);
		req->al = true;
		hd_stats_add(&dev->stats, HD_ST_AL, req->t_submit);
		if (err && hd_local_io_error(dev, req->iv.sector,
					     req->iv.size)) {
			/* detached: the write goes to the peer only */
			hd_bm_mark(dev, req->iv.sector, req->iv.size);
			req->local_failed = true;
		} else if (err) {
			hd_req_mod(req, RQ_LOCAL, BLK_STS_IOERR);
			continue;
		}
		hd_write_go(dev, req);
	}
}

/* Fencing: hold writes; see the top of this file. */
void hd_io_freeze(struct hd_device *dev)
{
	spin_lock_irq(&dev->req_lock);
	dev->frozen = true;
	spin_unlock_irq(&dev->req_lock);
}

void hd_io_thaw(struct hd_device *dev)
{
	struct bio_list done, waiting;
	struct bio *bio;

	spin_lock_irq(&dev->req_lock);
	dev->frozen = false;
	done = dev->frozen_done;
	waiting = dev->frozen_new;
	bio_list_init(&dev->frozen_done);
	bio_list_init(&dev->frozen_new);
	spin_unlock_irq(&dev->req_lock);
	while ((bio = bio_list_pop(&done))) {
		atomic_set(&dev->res->conn.epoch_done, 1);
		atomic_dec(&dev->writes_pending);
		bio_endio(bio);
	}
	while ((bio = bio_list_pop(&waiting)))
		submit_bio_noacct(bio);
}

static void hd_submit_write(struct hd_device *dev, struct bio *bio)
{
	struct hd_resource *res = dev->res;
	struct hd_req *req;
	struct bio *clone;
	bool diskless;

	if (unlikely(READ_ONCE(dev->frozen))) {
		spin_lock_irq(&dev->req_lock);
		if (dev->frozen) {
			bio_list_add(&dev->frozen_new, bio);
			spin_unlock_irq(&dev->req_lock);
			return;
		}
		spin_unlock_irq(&dev->req_lock);
	}

	if (READ_ONCE(res->role) != HADISK_ROLE_PRIMARY) {
		pr_err_ratelimited("hadisk%d: write refused: resource %s is not Primary\n",
				   dev->minor, res->name);
		bio_io_error(bio);
		return;
	}
	diskless = READ_ONCE(dev->diskless);
	if (unlikely(diskless))	/* a request with no local write */
		clone = bio_alloc_bioset(NULL, 0, REQ_OP_WRITE, GFP_NOIO,
					 &dev->req_bs);
	else
		clone = bio_alloc_clone(dev->backing, bio, GFP_NOIO,
					&dev->req_bs);
	if (!clone) {
		bio_io_error(bio);
		return;
	}
	req = container_of(clone, struct hd_req, bio);
	memset(req, 0, offsetof(struct hd_req, bio));
	req->dev = dev;
	req->master = bio;
	req->iv.sector = bio->bi_iter.bi_sector;
	req->iv.size = bio->bi_iter.bi_size;
	req->state = RQ_LOCAL;
	req->start = jiffies;
	req->t_submit = ktime_get_ns();
	atomic64_add(req->iv.size, &dev->app_bytes);
	atomic_inc(&dev->writes_pending);
	hd_interval_insert(dev, &req->iv);
	if (unlikely(diskless)) {
		/* Diskless (detach.c): our disk misses it. */
		hd_bm_mark(dev, req->iv.sector, req->iv.size);
		req->local_failed = true;
		hd_write_go(dev, req);
		return;
	}
	clone->bi_private = req;
	clone->bi_end_io = hd_write_endio;
	if (dev->al) {
		if (!hd_al_begin_fast(dev->al, req->iv.sector, req->iv.size)) {
			spin_lock_irq(&dev->al_lock);
			list_add_tail(&req->done, &dev->al_deferred);
			spin_unlock_irq(&dev->al_lock);
			queue_work(dev->md_wq, &dev->al_work);
			return;
		}
		req->al = true;
	}
	hd_write_go(dev, req);
}

void hd_submit_bio(struct bio *bio)
{
	struct hd_device *dev = bio->bi_bdev->bd_disk->private_data;

	bio = bio_split_to_limits(bio);
	if (!bio)
		return;
	switch (bio_op(bio)) {
	case REQ_OP_READ:
		hd_submit_read(dev, bio);
		break;
	case REQ_OP_WRITE:
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		hd_submit_write(dev, bio);
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
	}
}
