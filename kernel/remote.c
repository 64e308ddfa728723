// SPDX-License-Identifier: GPL-2.0
/*
 * Reads served by the peer (READ_REQ / READ_REPLY, both on the data
 * channel).
 *
 * Who reads from the peer: a node whose disk is Diskless after an IO error
 * (on-io-error detach, detach.c) reads everything there; a Primary whose
 * re-attached disk is being resynced (dev->pulling) reads there the blocks
 * still marked out of sync, and its resync itself pulls them the same way.
 *
 * The requesting side sends READ_REQ under conn->data_lock and keeps a
 * struct hd_rread in dev->rreads (under dev->req_lock) until the receiver
 * thread gets the READ_REPLY and receives the data straight into the
 * destination pages. A link loss fails every pending read
 * (hd_rread_fail_all, from the connection teardown), and the ack-timeout
 * covers them (hd_rread_oldest). Every hd_rread completes exactly once:
 * the thread that takes it off dev->rreads calls its done().
 *
 * The serving side (hd_serve_read, receiver thread) first waits for the
 * peer writes it has received to complete, so that a read never overtakes
 * a write that its requester issued before it, then reads its own disk
 * synchronously and answers. It serves only from an UpToDate disk;
 * otherwise the reply carries ENODATA and the requester's read fails.
 *
 * Locks: conn->data_lock while sending; dev->req_lock for dev->rreads.
 */
#include <linux/bio.h>
#include <linux/slab.h>
#include "remote.h"
#include "conn.h"
#include "req.h"
#include "bitmap.h"
#include "wire.h"
#include "digest.h"
#include "detach.h"

struct hd_pkt_rreq {
	struct hd_hdr h;
	struct hd_data d;
} __packed;

struct hd_pkt_rrep {
	struct hd_hdr h;
	struct hd_ack a;
} __packed;

/* Is some block this read touches to be read from the peer? */
bool hd_read_needs_peer(struct hd_device *dev, struct bio *bio)
{
	u64 first, last;
	bool oos;

	if (READ_ONCE(dev->diskless))
		return true;
	if (likely(!READ_ONCE(dev->pulling)))
		return false;
	if (!hd_bm_touched(bio->bi_iter.bi_sector, bio->bi_iter.bi_size,
			   &first, &last))
		return false;
	spin_lock_irq(&dev->req_lock);
	oos = dev->pulling &&
	      hd_bm_find_next(dev->bm, dev->bm_bits, first) <= last;
	spin_unlock_irq(&dev->req_lock);
	return oos;
}

/* Send the request; on failure done() has been called. */
static void rread_submit(struct hd_conn *conn, struct hd_rread *rr)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_pkt_rreq pkt;
	int err;

	mutex_lock(&conn->data_lock);
	if (!conn->link_up) {
		mutex_unlock(&conn->data_lock);
		rr->done(rr, -ENOTCONN);
		return;
	}
	rr->id = conn->next_id++;
	rr->start = jiffies;
	spin_lock_irq(&dev->req_lock);
	list_add_tail(&rr->list, &dev->rreads);
	spin_unlock_irq(&dev->req_lock);
	hd_hdr_encode(&pkt.h, HD_P_READ_REQ, sizeof(pkt.d));
	pkt.d.id = cpu_to_be64(rr->id);
	pkt.d.sector = cpu_to_be64(rr->sector);
	pkt.d.size = cpu_to_be32(rr->size);
	pkt.d.flags = 0;
	err = conn->tops->send(conn->data, &pkt, sizeof(pkt), NULL, 0, 0,
			       false);
	mutex_unlock(&conn->data_lock);
	if (err)	/* the teardown fails rr with the other pending ones */
		hd_conn_fail(conn, "sending a read request failed (error %d)",
			     err);
	else
		atomic64_add(sizeof(pkt), &conn->bytes_sent);
}

static void rread_bio_done(struct hd_rread *rr, int err)
{
	struct bio *bio = rr->priv;
	struct hd_device *dev = bio->bi_bdev->bd_disk->private_data;

	if (err) {
		pr_err_ratelimited("hadisk%d: reading %u bytes at sector %llu from the peer failed (%s): no disk holds them here\n",
				   dev->minor, rr->size,
				   (unsigned long long)rr->sector,
				   hd_errname(err));
		bio->bi_status = BLK_STS_IOERR;
	} else {
		atomic64_inc(&dev->remote_reads);
	}
	kfree(rr);
	bio_endio(bio);
}

/* An application read, served by the peer. */
void hd_read_remote(struct hd_device *dev, struct bio *bio)
{
	struct hd_rread *rr;
	struct bvec_iter it;
	struct bio_vec bv;
	unsigned int n = 0;

	bio_for_each_bvec(bv, bio, it)
		n++;
	rr = kzalloc(struct_size(rr, bv, n), GFP_NOIO);
	if (!rr) {
		bio_io_error(bio);
		return;
	}
	bio_for_each_bvec(bv, bio, it)
		rr->bv[rr->nbv++] = bv;
	rr->sector = bio->bi_iter.bi_sector;
	rr->size = bio->bi_iter.bi_size;
	rr->done = rread_bio_done;
	rr->priv = bio;
	rread_submit(&dev->res->conn, rr);
}

struct rread_wait {
	struct completion done;
	int err;
};

static void rread_sync_done(struct hd_rread *rr, int err)
{
	struct rread_wait *w = rr->priv;

	w->err = err;
	complete(&w->done);
}

/* Read into whole pages from the peer and wait (the pulling resync). */
int hd_rread_sync(struct hd_conn *conn, sector_t sector, u32 size,
		  struct page **pages, unsigned int nr)
{
	struct rread_wait w;
	struct hd_rread *rr;
	unsigned int i;
	u32 left = size;

	rr = kzalloc(struct_size(rr, bv, nr), GFP_NOIO);
	if (!rr)
		return -ENOMEM;
	for (i = 0; i < nr && left; i++) {
		u32 n = min_t(u32, left, PAGE_SIZE);

		bvec_set_page(&rr->bv[i], pages[i], n, 0);
		left -= n;
	}
	rr->nbv = i;
	rr->sector = sector;
	rr->size = size;
	rr->done = rread_sync_done;
	rr->priv = &w;
	init_completion(&w.done);
	rread_submit(conn, rr);
	wait_for_completion(&w.done);
	kfree(rr);
	return w.err;
}

/* Link gone: no reply will come. */
void hd_rread_fail_all(struct hd_device *dev)
{
	struct hd_rread *rr, *tmp;
	LIST_HEAD(batch);

	spin_lock_irq(&dev->req_lock);
	list_splice_init(&dev->rreads, &batch);
	spin_unlock_irq(&dev->req_lock);
	list_for_each_entry_safe(rr, tmp, &batch, list) {
		list_del(&rr->list);
		rr->done(rr, -ENOTCONN);
	}
}

/* jiffies of the oldest read awaiting its reply, or 0. */
unsigned long hd_rread_oldest(struct hd_device *dev)
{
	struct hd_rread *rr;
	unsigned long oldest = 0;

	spin_lock_irq(&dev->req_lock);
	rr = list_first_entry_or_null(&dev->rreads, struct hd_rread, list);
	if (rr)
		oldest = rr->start;
	spin_unlock_irq(&dev->req_lock);
	return oldest;
}

/* Receiver thread, requesting side. */
int hd_recv_read_reply(struct hd_conn *conn, u32 len, u32 digest)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_rread *rr = NULL, *r;
	u32 payload = len - sizeof(struct hd_ack), status;
	struct hd_ack a;
	u64 id;
	int err;

	err = conn->tops->recv_all(conn->data, &a, sizeof(a));
	if (err)
		return err;
	id = be64_to_cpu(a.id);
	status = be32_to_cpu(a.status);
	spin_lock_irq(&dev->req_lock);
	list_for_each_entry(r, &dev->rreads, list) {
		if (r->id == id) {
			rr = r;
			list_del(&rr->list);
			break;
		}
	}
	spin_unlock_irq(&dev->req_lock);
	if (!rr) {
		hd_conn_fail(conn, "protocol error from the peer: a read reply to no request");
		return -EPROTO;
	}
	if (status || payload != rr->size) {
		rr->done(rr, -EIO);
		if (status && !payload) {
			pr_warn_ratelimited("hadisk %s: the peer could not serve a read (error %u)\n",
					    conn->res->name, status);
			return 0;
		}
		hd_conn_fail(conn, "protocol error from the peer: a %u-byte read reply for %u bytes",
			     payload, rr->size);
		return -EPROTO;
	}
	err = conn->tops->recv_bvec(conn->data, rr->bv, rr->nbv, payload);
	if (err) {
		rr->done(rr, -EIO);
		return err;
	}
	if (conn->digest &&
	    hd_digest_bvecs(conn->csum_tfm, rr->bv, rr->nbv, payload) != digest) {
		atomic64_inc(&conn->digest_errors);
		rr->done(rr, -EIO);
		hd_conn_fail(conn, "data digest mismatch in a read reply from the peer (counted in digest_errors)");
		return -EBADMSG;
	}
	atomic64_add(sizeof(struct hd_hdr) + len, &conn->bytes_received);
	rr->done(rr, 0);
	return 0;
}

static int send_reply(struct hd_conn *conn, u64 id, u64 sector, u32 size,
		      u32 status, struct bio *bio)
{
	struct hd_pkt_rrep pkt;
	u32 payload = status ? 0 : size;
	int err;

	hd_hdr_encode(&pkt.h, HD_P_READ_REPLY, sizeof(pkt.a) + payload);
	if (payload && conn->digest)
		pkt.h.digest = cpu_to_be32(hd_digest_bvecs(conn->csum_tfm,
							   bio->bi_io_vec,
							   bio->bi_vcnt,
							   payload));
	pkt.a.id = cpu_to_be64(id);
	pkt.a.sector = cpu_to_be64(sector);
	pkt.a.size = cpu_to_be32(size);
	pkt.a.status = cpu_to_be32(status);
	mutex_lock(&conn->data_lock);
	err = conn->tops->send(conn->data, &pkt, sizeof(pkt),
			       payload ? bio->bi_io_vec : NULL,
			       payload ? bio->bi_vcnt : 0, payload, false);
	mutex_unlock(&conn->data_lock);
	if (!err)
		atomic64_add(sizeof(pkt) + payload, &conn->bytes_sent);
	return err;
}

/* Receiver thread, serving side: READ_REQ. */
int hd_serve_read(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;
	struct bio *bio = NULL;
	struct page *page;
	const char *why;
	u64 id, sector;
	u32 size, flags, status = 0, left;
	unsigned int nr, i;
	struct hd_data d;
	int err;

	err = conn->tops->recv_all(conn->data, &d, sizeof(d));
	if (err)
		return err;
	atomic64_add(sizeof(struct hd_hdr) + sizeof(d), &conn->bytes_received);
	if (hd_data_decode(&d, &id, &sector, &size, &flags, dev->sectors,
			   &why) || flags || !size || size > HD_MAX_PAYLOAD) {
		hd_conn_fail(conn, "protocol error from the peer: bad read request");
		return -EPROTO;
	}
	/* Earlier writes of the requester first. */
	wait_event(conn->peer_wq, !atomic_read(&conn->peer_inflight) ||
		   atomic_read(&conn->failed));
	if (READ_ONCE(dev->diskless) ||
	    READ_ONCE(res->disk) != HADISK_DISK_UPTODATE) {
		status = ENODATA;
		goto reply;
	}
	nr = DIV_ROUND_UP(size, PAGE_SIZE);
	bio = bio_alloc(dev->backing, nr, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	for (i = 0, left = size; i < nr; i++) {
		u32 n = min_t(u32, left, PAGE_SIZE);

		page = alloc_page(GFP_NOIO | __GFP_RETRY_MAYFAIL);
		if (!page) {
			status = ENOMEM;
			goto reply;
		}
		__bio_add_page(bio, page, n, 0);
		left -= n;
	}
	if (hd_fault(&dev->fault, HD_FAULT_FAIL_READ))
		err = -EIO;
	else
		err = submit_bio_wait(bio);
	if (err) {
		pr_err_ratelimited("hadisk %s: reading %u bytes at sector %llu for the peer failed: %d\n",
				   res->name, size, sector, err);
		hd_local_io_error(dev, sector, size);
		status = EIO;
	}
reply:
	err = send_reply(conn, id, sector, size, status, bio);
	if (bio) {
		struct bio_vec *bv;
		struct bvec_iter_all it;

		bio_for_each_segment_all(bv, bio, it)
			__free_page(bv->bv_page);
		bio_put(bio);
	}
	if (err)
		hd_conn_fail(conn, "sending a read reply failed (error %d)",
			     err);
	return err;
}
