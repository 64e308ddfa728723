// SPDX-License-Identifier: GPL-2.0
/*
 * Resync. The sync source runs one worker thread ("hadisk_s/RES") that
 * walks the out-of-sync bitmap, reads runs of up to HD_RS_MAX_BLOCKS marked
 * blocks from the local disk and sends them as RS_DATA, with at most
 * HD_RS_WINDOW requests awaiting the peer's RS_ACK. Each resync request
 * holds an interval in dev->inflight from before its read until its ack:
 * application writes that overlap it wait, and it waits for application
 * writes that overlap it, so the peer never receives stale resync data
 * after a newer write (req.c). The bits of a run are cleared only when
 * the peer acknowledges that it wrote them.
 *
 * When the bitmap is empty and nothing is in flight, the source sends
 * SYNC_DONE; the target then marks its disk UpToDate and adopts the
 * source's data generation.
 *
 * Rate: in windows of 100 ms, the resync may send what the application's
 * writes of the last window leave of the ceiling (rs_max_bps), and never
 * less than the floor (rs_min_bps), so it yields to the application
 * without ever stalling.
 *
 * States: the source's res->cstate is SyncSource from the handshake to
 * SYNC_DONE, the target's SyncTarget with its disk Inconsistent. A link
 * loss stops the worker; the bitmap keeps the blocks not yet acked, and
 * the target keeps the source's bitmap generation as its current one, so
 * the next connection resumes from the bitmap (state.c).
 */
#include <linux/kthread.h>
#include <linux/bio.h>
#include <linux/slab.h>
#include <linux/random.h>
#include "resync.h"
#include "fence.h"
#include "digest.h"
#include "conn.h"
#include "sender.h"
#include "req.h"
#include "bitmap.h"
#include "wire.h"
#include "netlink.h"
#include "meta.h"
#include "verify.h"
#include "detach.h"

#define HD_RS_MAX_BLOCKS 256	/* 1 MiB per request (HD_MAX_PAYLOAD) */
#define HD_RS_WINDOW 8		/* requests awaiting an ack */
static_assert(HD_RS_MAX_BLOCKS * HD_BM_BLOCK_SIZE <= HD_MAX_PAYLOAD);

struct hd_rs_req {
	struct hd_interval iv;		/* first: in dev->inflight */
	u64 id;
	u64 bit;
	u64 nbits;
	unsigned int nr_pages;
	struct page *pages[HD_RS_MAX_BLOCKS];
	struct bio_vec bv[HD_RS_MAX_BLOCKS];
};

static void rs_free(struct hd_rs_req *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_pages; i++)
		__free_page(r->pages[i]);
	kfree(r);
}

u64 hd_resync_rate(struct hd_conn *conn)
{
	unsigned long ms = jiffies_to_msecs(jiffies - conn->rs.start_jiffies);

	if (!ms)
		return 0;
	return div64_u64((u64)atomic64_read(&conn->rs.done_bytes) * 1000, ms);
}

static int rs_read(struct hd_device *dev, struct hd_rs_req *r)
{
	struct bio *bio;
	unsigned int i;
	u32 left = r->iv.size;
	int err;

	bio = bio_alloc(dev->backing, r->nr_pages, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = r->iv.sector;
	for (i = 0; i < r->nr_pages; i++) {
		u32 n = min_t(u32, left, PAGE_SIZE);

		bio_add_page(bio, r->pages[i], n, 0);
		r->bv[i].bv_page = r->pages[i];
		r->bv[i].bv_offset = 0;
		r->bv[i].bv_len = n;
		left -= n;
	}
	if (READ_ONCE(dev->diskless))
		err = -EIO;
	else
		err = submit_bio_wait(bio);
	bio_put(bio);
	if (err && !READ_ONCE(dev->diskless))
		hd_local_io_error(dev, r->iv.sector, r->iv.size);
	return err;
}

static int rs_send(struct hd_conn *conn, struct hd_rs_req *r)
{
	struct hd_device *dev = conn->res->dev;
	struct {
		struct hd_hdr h;
		struct hd_data d;
	} __packed pkt;
	u32 size = r->iv.size;
	int err;

	/*
	 * Once sent, r belongs to the ack path, which may free it before the
	 * send returns: nothing of it is read after.
	 */
	mutex_lock(&conn->data_lock);
	spin_lock_irq(&dev->req_lock);
	r->id = conn->next_id++;
	spin_unlock_irq(&dev->req_lock);
	hd_hdr_encode(&pkt.h, HD_P_RS_DATA, sizeof(pkt.d) + r->iv.size);
	if (conn->digest)
		pkt.h.digest = cpu_to_be32(hd_digest_bvecs(conn->csum_tfm,
							   r->bv, r->nr_pages,
							   r->iv.size));
	pkt.d.id = cpu_to_be64(r->id);
	pkt.d.sector = cpu_to_be64(r->iv.sector);
	pkt.d.size = cpu_to_be32(r->iv.size);
	pkt.d.flags = 0;
	atomic_inc(&conn->rs.inflight);
	/* the pages are ours and freed with put_page: by reference */
	if (conn->tops->send_zc)
		err = conn->tops->send_zc(conn->data, &pkt, sizeof(pkt), r->bv,
					  r->nr_pages, r->iv.size, false);
	else
		err = conn->tops->send(conn->data, &pkt, sizeof(pkt), r->bv,
				       r->nr_pages, r->iv.size, false);
	mutex_unlock(&conn->data_lock);
	if (!err)
		atomic64_add(sizeof(pkt) + size, &conn->bytes_sent);
	return err;
}

static bool rs_stopping(struct hd_conn *conn)
{
	return kthread_should_stop() || atomic_read(&conn->failed);
}

#define RS_WINDOW (HZ / 10)

/* Wait until the rate control lets size more bytes go. */
static void rs_throttle(struct hd_conn *conn, u32 size)
{
	struct hd_resync *rs = &conn->rs;
	struct hd_device *dev = conn->res->dev;

	while (!rs_stopping(conn)) {
		unsigned long now = jiffies;

		if (time_after_eq(now, rs->win_start + RS_WINDOW)) {
			u64 app = atomic64_xchg(&dev->app_bytes, 0);
			u64 app_bps = div64_u64(app * HZ,
						max_t(u64, now - rs->win_start, 1));
			u64 lim = conn->rs_max_bps > app_bps ?
				conn->rs_max_bps - app_bps : 0;

			rs->limit_bps = max_t(u64, lim, conn->rs_min_bps);
			rs->win_start = now;
			rs->win_sent = 0;
		}
		if (rs->win_sent + size <= div64_u64(rs->limit_bps, HZ / RS_WINDOW) ||
		    !rs->win_sent) {
			rs->win_sent += size;
			return;
		}
		schedule_timeout_idle(max_t(long, rs->win_start + RS_WINDOW - now, 1));
	}
}

/* One resync request for the run at bit; 0, or negative on failure. */
static int rs_one(struct hd_conn *conn, u64 bit, u64 n)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_rs_req *r;
	unsigned int i;
	u64 sector = bit * HD_BM_SECT_PER_BLOCK;
	int err;

	r = hd_fault(&dev->fault, HD_FAULT_ALLOC_RESYNC) ? NULL :
		kzalloc(sizeof(*r), GFP_NOIO);
	if (!r)
		return -ENOMEM;
	r->bit = bit;
	r->nbits = n;
	r->iv.resync = true;
	r->iv.kind = HD_IV_RS_DATA;
	r->iv.sector = sector;
	r->iv.size = min_t(u64, n * HD_BM_BLOCK_SIZE,
			   (dev->sectors - sector) << 9);
	for (i = 0; i < DIV_ROUND_UP(r->iv.size, PAGE_SIZE); i++) {
		r->pages[i] = alloc_page(GFP_NOIO);
		if (!r->pages[i]) {
			rs_free(r);
			return -ENOMEM;
		}
		r->nr_pages++;
	}
	hd_interval_insert(dev, &r->iv);
	err = rs_read(dev, r);
	if (err) {
		hd_interval_remove(dev, &r->iv);
		rs_free(r);
		return err;
	}
	/* From here the request belongs to the ack path or to teardown. */
	return rs_send(conn, r);
}

static void rs_finish(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	struct hd_sync s = { };
	unsigned long ms;
	int err;

	spin_lock_irq(&res->lock);
	s.total_bytes = cpu_to_be64(conn->rs.total_bytes);
	s.current_uuid = cpu_to_be64(res->uuids.cur);
	spin_unlock_irq(&res->lock);
	err = hd_send_data_packet(conn, HD_P_SYNC_DONE, &s, sizeof(s));
	if (err) {
		hd_conn_fail(conn, "sending the end of the resync failed");
		return;
	}
	spin_lock_irq(&res->lock);
	hd_uuid_sync_done_source(&res->uuids);
	res->crashed_primary = false;
	res->peer_disk = HADISK_DISK_UPTODATE;
	res->cstate = HADISK_CONN_CONNECTED;
	spin_unlock_irq(&res->lock);
	ms = jiffies_to_msecs(jiffies - conn->rs.start_jiffies);
	pr_info("hadisk %s: resync done: %llu bytes in %lu ms\n", res->name,
		(u64)atomic64_read(&conn->rs.done_bytes), ms);
	hd_state_changed(res, "resync-done");
	hd_fence_in_sync(res);
}

static int hd_resync_fn(void *arg)
{
	struct hd_conn *conn = arg;
	struct hd_device *dev = conn->res->dev;
	u64 cursor = 0, bit, n = 0, left;
	int err;

	/* Checksum-based: first drop the marked blocks that already match. */
	if (conn->csum_resync && !conn->rs.full)
		hd_digest_pass(conn, false);
	while (!rs_stopping(conn)) {
		spin_lock_irq(&dev->req_lock);
		bit = hd_bm_find_next(dev->bm, dev->bm_bits, cursor);
		if (bit < dev->bm_bits)
			n = hd_bm_run(dev->bm, dev->bm_bits, bit,
				      HD_RS_MAX_BLOCKS);
		left = dev->oos_blocks;
		spin_unlock_irq(&dev->req_lock);

		if (bit >= dev->bm_bits) {
			/* End of a pass: wait for the acks, then rescan. */
			wait_event_idle(conn->rs.wq,
					!atomic_read(&conn->rs.inflight) ||
					rs_stopping(conn));
			if (rs_stopping(conn))
				break;
			spin_lock_irq(&dev->req_lock);
			left = dev->oos_blocks;
			spin_unlock_irq(&dev->req_lock);
			if (!left) {
				rs_finish(conn);
				break;
			}
			cursor = 0;
			continue;
		}
		/* no larger than a rate-control window allows (rs_throttle) */
		n = min_t(u64, n, max_t(u64, 1, div64_u64(conn->rs.limit_bps,
					(HZ / RS_WINDOW) * HD_BM_BLOCK_SIZE)));
		cursor = bit + n;
		wait_event_idle(conn->rs.wq,
				atomic_read(&conn->rs.inflight) < HD_RS_WINDOW ||
				rs_stopping(conn));
		if (rs_stopping(conn))
			break;
		rs_throttle(conn, n * HD_BM_BLOCK_SIZE);
		if (rs_stopping(conn))
			break;
		err = rs_one(conn, bit, n);
		if (err) {
			hd_conn_fail(conn, "resync: %s (error %d)",
				     err == -ENOMEM ? "out of memory" :
				     "reading the local disk failed", err);
			break;
		}
	}
	wait_event_idle(conn->rs.wq, kthread_should_stop());
	return 0;
}

/* Called by the link worker once the handshake chose us as the source. */
void hd_resync_start(struct hd_conn *conn, bool full)
{
	struct hd_resource *res = conn->res;
	struct hd_sync s = { };
	struct task_struct *t;

	conn->rs.total_bytes = hd_bm_oos_bytes(res->dev);
	conn->rs.full = full;
	conn->rs.start_jiffies = jiffies;
	conn->rs.win_start = jiffies - RS_WINDOW;
	conn->rs.limit_bps = conn->rs_max_bps;
	atomic64_set(&conn->rs.done_bytes, 0);
	atomic_set(&conn->rs.inflight, 0);
	spin_lock_irq(&res->lock);
	if (!res->uuids.bitmap)
		res->uuids.bitmap = get_random_u64() | 1;
	s.total_bytes = cpu_to_be64(conn->rs.total_bytes);
	s.current_uuid = cpu_to_be64(res->uuids.cur);
	s.bitmap_uuid = cpu_to_be64(res->uuids.bitmap);
	s.full = cpu_to_be32(full);
	spin_unlock_irq(&res->lock);
	if (hd_send_data_packet(conn, HD_P_SYNC_START, &s, sizeof(s))) {
		hd_conn_fail(conn, "sending the start of the resync failed");
		return;
	}
	pr_info("hadisk %s: %s resync to %s started: %llu bytes\n", res->name,
		full ? "full" : "bitmap-based", res->peer_name,
		conn->rs.total_bytes);
	t = kthread_run(hd_resync_fn, conn, "hadisk_s/%s", res->name);
	if (IS_ERR(t)) {
		hd_conn_fail(conn, "cannot start the resync thread");
		return;
	}
	conn->rs.task = t;
	hd_state_changed(res, "resync-started");
}

void hd_resync_stop(struct hd_conn *conn)
{
	if (conn->rs.task)
		kthread_stop(conn->rs.task);
	conn->rs.task = NULL;
}

/* After the link threads stopped: free resync requests never acked. */
void hd_resync_cleanup(struct hd_conn *conn)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_interval *iv, *tmp;
	LIST_HEAD(batch);

	spin_lock_irq(&dev->req_lock);
	list_for_each_entry_safe(iv, tmp, &dev->inflight, list)
		if (iv->resync)
			list_move(&iv->list, &batch);
	spin_unlock_irq(&dev->req_lock);
	list_for_each_entry_safe(iv, tmp, &batch, list) {
		if (iv->kind == HD_IV_RS_DATA)
			rs_free(container_of(iv, struct hd_rs_req, iv));
		else
			kfree(iv);	/* a digest request: iv comes first */
	}
	atomic_set(&conn->rs.inflight, 0);
	wake_up(&dev->conflict_wq);
}

void hd_resync_ack(struct hd_conn *conn, u64 id, unsigned int type,
		   unsigned int status)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_rs_req *r = NULL;
	struct hd_interval *iv;
	unsigned long flags;

	spin_lock_irqsave(&dev->req_lock, flags);
	list_for_each_entry(iv, &dev->inflight, list) {
		struct hd_rs_req *x = container_of(iv, struct hd_rs_req, iv);

		if (iv->kind == HD_IV_RS_DATA && x->id == id) {
			r = x;
			break;
		}
	}
	if (r && type == HD_P_RS_ACK) {
		dev->oos_blocks -= hd_bm_clear(dev->bm, r->bit,
					       r->bit + r->nbits - 1);
		hd_md_bm_dirty(dev, r->bit, r->bit + r->nbits - 1);
		list_del(&r->iv.list);
	} else {
		r = NULL;
	}
	spin_unlock_irqrestore(&dev->req_lock, flags);
	if (type == HD_P_RS_NEG_ACK) {
		hd_conn_fail(conn, "the peer could not write resync data (error %u)",
			     status);
		return;
	}
	if (!r)
		return;
	atomic64_add(r->iv.size, &conn->rs.done_bytes);
	rs_free(r);
	atomic_dec(&conn->rs.inflight);
	wake_up(&conn->rs.wq);
	if (wq_has_sleeper(&dev->conflict_wq))
		wake_up(&dev->conflict_wq);
}

/*
 * Target side, before a bitmap-based resync: send our own out-of-sync
 * blocks (after a crash: our activity log's extents) to the source.
 */
int hd_send_bitmap(struct hd_conn *conn)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_bm_run *run;
	struct hd_bm_done done;
	u64 bit = 0, n = 0, runs = 0;
	unsigned int k = 0;
	void *buf;
	int err = 0;

	buf = kmalloc(sizeof(struct hd_hdr) +
		      HD_BITMAP_MAX_RUNS * sizeof(*run), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	run = buf + sizeof(struct hd_hdr);
	while (!err) {
		spin_lock_irq(&dev->req_lock);
		bit = hd_bm_find_next(dev->bm, dev->bm_bits, bit);
		if (bit < dev->bm_bits)
			n = hd_bm_run(dev->bm, dev->bm_bits, bit, 1 << 16);
		spin_unlock_irq(&dev->req_lock);
		if (bit < dev->bm_bits) {
			run[k].start = cpu_to_be64(bit);
			run[k].len = cpu_to_be64(n);
			k++;
			runs++;
			bit += n;
		}
		if (k && (k == HD_BITMAP_MAX_RUNS || bit >= dev->bm_bits)) {
			hd_hdr_encode(buf, HD_P_BITMAP, k * sizeof(*run));
			mutex_lock(&conn->data_lock);
			err = conn->tops->send(conn->data, buf,
					       sizeof(struct hd_hdr) +
					       k * sizeof(*run), NULL, 0, 0,
					       false);
			mutex_unlock(&conn->data_lock);
			k = 0;
		}
		if (bit >= dev->bm_bits)
			break;
	}
	kfree(buf);
	if (err)
		return err;
	done.runs = cpu_to_be64(runs);
	return hd_send_data_packet(conn, HD_P_BITMAP_DONE, &done, sizeof(done));
}

/* Source side: runs of the target's bitmap. */
int hd_recv_bitmap(struct hd_conn *conn, u32 len)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_bm_run *run = conn->rs.bm_buf;
	unsigned int k;
	int err;

	err = conn->tops->recv_all(conn->data, run, len);
	if (err)
		return err;
	spin_lock_irq(&dev->req_lock);
	for (k = 0; k < len / sizeof(*run); k++) {
		u64 first = be64_to_cpu(run[k].start);
		u64 n = be64_to_cpu(run[k].len);

		if (!n || first >= dev->bm_bits)
			continue;
		n = min_t(u64, n, dev->bm_bits - first);
		dev->oos_blocks += hd_bm_set(dev->bm, first, first + n - 1);
		hd_md_bm_dirty(dev, first, first + n - 1);
	}
	spin_unlock_irq(&dev->req_lock);
	return 0;
}

/* Target side: the source announces a resync. */
void hd_resync_target_start(struct hd_conn *conn, const struct hd_sync *s)
{
	struct hd_resource *res = conn->res;

	conn->rs.total_bytes = be64_to_cpu(s->total_bytes);
	conn->rs.full = be32_to_cpu(s->full);
	conn->rs.start_jiffies = jiffies;
	atomic64_set(&conn->rs.done_bytes, 0);
	spin_lock_irq(&res->lock);
	res->cstate = HADISK_CONN_SYNC_TARGET;
	res->disk = HADISK_DISK_INCONSISTENT;
	res->uuids.cur = be64_to_cpu(s->bitmap_uuid);
	spin_unlock_irq(&res->lock);
	pr_info("hadisk %s: %s resync from %s started: %llu bytes\n",
		res->name, conn->rs.full ? "full" : "bitmap-based",
		res->peer_name, conn->rs.total_bytes);
	hd_state_changed(res, "resync-started");
}

/*
 * Target side: every resync write is on our disk (the source waited for
 * all acks before sending SYNC_DONE).
 */
void hd_resync_target_done(struct hd_conn *conn, const struct hd_sync *s)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;

	/* Every block is now the source's: our own marks are void. */
	spin_lock_irq(&dev->req_lock);
	dev->pulling = false;
	if (hd_bm_clear(dev->bm, 0, dev->bm_bits - 1))
		hd_md_bm_dirty(dev, 0, dev->bm_bits - 1);
	dev->oos_blocks = 0;
	spin_unlock_irq(&dev->req_lock);
	spin_lock_irq(&res->lock);
	hd_uuid_sync_done_target(&res->uuids, be64_to_cpu(s->current_uuid));
	res->crashed_primary = false;
	res->disk = HADISK_DISK_UPTODATE;
	res->cstate = HADISK_CONN_CONNECTED;
	res->peer_disk = HADISK_DISK_UPTODATE;
	spin_unlock_irq(&res->lock);
	pr_info("hadisk %s: resync from %s done: %llu bytes\n", res->name,
		res->peer_name, (u64)atomic64_read(&conn->rs.done_bytes));
	hd_state_changed(res, "resync-done");
	hd_fence_in_sync(res);
	hd_hook_async(res, HD_HOOK_AFTER_RESYNC_TARGET);
}
