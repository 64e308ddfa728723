// SPDX-License-Identifier: GPL-2.0
/*
 * Digest passes: online verify and checksum-based resync.
 *
 * A digest pass walks runs of up to HD_CSUM_MAX_BLOCKS 4 KiB blocks, reads
 * them locally, and sends their crc32c (kernel crypto API, "crc32c") in a
 * CSUM_REQ; the peer reads its own blocks and answers CSUM_REPLY with the
 * mask of the blocks that differ. Like a resync request, each run holds a
 * (non-application) interval in dev->inflight from before the read until
 * the reply, so no application write changes it meanwhile on either side.
 *
 *  - Online verify ("hadiskctl verify", thread "hadisk_v/RES") walks the
 *    whole device and marks differing blocks out of sync; with the resync
 *    option they are then resynced from this node.
 *  - Checksum-based resync (net { checksum-resync yes; }) walks the marked
 *    blocks before a bitmap-based resync and clears those that match, so
 *    only blocks that really differ are sent.
 *
 * The peer side (hd_recv_csum_req) runs in the receiver thread.
 */
#include <linux/kthread.h>
#include <linux/bio.h>
#include <linux/slab.h>
#include <crypto/hash.h>
#include "verify.h"
#include "conn.h"
#include "sender.h"
#include "req.h"
#include "bitmap.h"
#include "meta.h"
#include "netlink.h"
#include "wire.h"

#define DG_WINDOW 16

struct hd_dg_req {
	struct hd_interval iv;		/* first: in dev->inflight */
	u64 id;
	u64 bit;
	u32 nbits;
	bool verify;
};

static int read_blocks(struct hd_device *dev, sector_t sector, u32 size,
		       struct page **pages, unsigned int nr)
{
	struct bio *bio;
	unsigned int i;
	u32 left = size;
	int err;

	bio = bio_alloc(dev->backing, nr, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	for (i = 0; i < nr; i++) {
		u32 n = min_t(u32, left, PAGE_SIZE);

		bio_add_page(bio, pages[i], n, 0);
		left -= n;
	}
	err = submit_bio_wait(bio);
	bio_put(bio);
	return err;
}

/* crc32c of each 4 KiB block of [sector, sector + size) on our disk. */
static int local_digests(struct hd_conn *conn, sector_t sector, u32 size,
			 __be32 *out)
{
	struct hd_device *dev = conn->res->dev;
	struct page *pages[HD_CSUM_MAX_BLOCKS];
	unsigned int nr = DIV_ROUND_UP(size, PAGE_SIZE), i;
	int err = -ENOMEM;

	for (i = 0; i < nr; i++) {
		pages[i] = alloc_page(GFP_NOIO);
		if (!pages[i])
			goto out;
	}
	err = read_blocks(dev, sector, size, pages, nr);
	if (!err) {
		SHASH_DESC_ON_STACK(desc, conn->csum_tfm);

		desc->tfm = conn->csum_tfm;
		for (i = 0; i < nr && !err; i++) {
			u8 *p = kmap_local_page(pages[i]);

			err = crypto_shash_digest(desc, p,
						  min_t(u32, PAGE_SIZE,
							size - i * PAGE_SIZE),
						  (u8 *)&out[i]);
			kunmap_local(p);
		}
	}
out:
	while (i--)
		__free_page(pages[i]);
	return err;
}

static bool dg_stopping(struct hd_conn *conn)
{
	return kthread_should_stop() || atomic_read(&conn->failed);
}

static int dg_one(struct hd_conn *conn, u64 bit, u32 n, bool verify)
{
	struct hd_device *dev = conn->res->dev;
	struct {
		struct hd_hdr h;
		struct hd_csum_req c;
	} __packed pkt;
	struct hd_dg_req *r;
	int err;

	r = kzalloc(sizeof(*r), GFP_NOIO);
	if (!r)
		return -ENOMEM;
	r->bit = bit;
	r->nbits = n;
	r->verify = verify;
	r->iv.resync = true;
	r->iv.kind = HD_IV_DIGEST;
	r->iv.sector = bit * HD_BM_SECT_PER_BLOCK;
	r->iv.size = min_t(u64, (u64)n * HD_BM_BLOCK_SIZE,
			   (dev->sectors - r->iv.sector) << 9);
	memset(&pkt, 0, sizeof(pkt));
	hd_interval_insert(dev, &r->iv);
	err = local_digests(conn, r->iv.sector, r->iv.size, pkt.c.digest);
	if (err) {
		hd_interval_remove(dev, &r->iv);
		kfree(r);
		return err;
	}
	mutex_lock(&conn->data_lock);
	spin_lock_irq(&dev->req_lock);
	r->id = conn->next_id++;
	spin_unlock_irq(&dev->req_lock);
	hd_hdr_encode(&pkt.h, HD_P_CSUM_REQ, sizeof(pkt.c));
	pkt.c.id = cpu_to_be64(r->id);
	pkt.c.sector = cpu_to_be64(r->iv.sector);
	pkt.c.size = cpu_to_be32(r->iv.size);
	pkt.c.nblocks = cpu_to_be32(n);
	atomic_inc(&conn->dg_inflight);
	err = conn->tops->send(conn->data, &pkt, sizeof(pkt), NULL, 0, 0,
			       false);
	mutex_unlock(&conn->data_lock);
	/* on failure the request is freed by the link teardown */
	return err;
}

/*
 * One pass: verify walks every block; a checksum resync walks the marked
 * ones. Returns 0 when every reply is in, negative if the link failed.
 */
int hd_digest_pass(struct hd_conn *conn, bool verify)
{
	struct hd_device *dev = conn->res->dev;
	u64 bit = 0, n = 0;
	int err = 0;

	while (!dg_stopping(conn)) {
		spin_lock_irq(&dev->req_lock);
		if (!verify)
			bit = hd_bm_find_next(dev->bm, dev->bm_bits, bit);
		if (bit < dev->bm_bits)
			n = verify ? min_t(u64, HD_CSUM_MAX_BLOCKS,
					   dev->bm_bits - bit) :
				hd_bm_run(dev->bm, dev->bm_bits, bit,
					  HD_CSUM_MAX_BLOCKS);
		spin_unlock_irq(&dev->req_lock);
		if (bit >= dev->bm_bits)
			break;
		wait_event_idle(conn->rs.wq,
				atomic_read(&conn->dg_inflight) < DG_WINDOW ||
				dg_stopping(conn));
		if (dg_stopping(conn))
			break;
		err = dg_one(conn, bit, n, verify);
		if (err) {
			hd_conn_fail(conn, "%s: reading the local disk failed (error %d)",
				     verify ? "verify" : "checksum resync", err);
			return err;
		}
		bit += n;
	}
	wait_event_idle(conn->rs.wq, !atomic_read(&conn->dg_inflight) ||
			dg_stopping(conn));
	return dg_stopping(conn) ? -EINTR : 0;
}

/* Ack thread: the peer's answer to one CSUM_REQ. */
void hd_digest_reply(struct hd_conn *conn, u64 id, u32 mask)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;
	struct hd_dg_req *r = NULL;
	struct hd_interval *iv;
	unsigned long flags;
	u32 k, differ = 0;

	spin_lock_irqsave(&dev->req_lock, flags);
	list_for_each_entry(iv, &dev->inflight, list) {
		if (iv->kind == HD_IV_DIGEST &&
		    container_of(iv, struct hd_dg_req, iv)->id == id) {
			r = container_of(iv, struct hd_dg_req, iv);
			break;
		}
	}
	if (!r) {
		spin_unlock_irqrestore(&dev->req_lock, flags);
		return;
	}
	list_del(&r->iv.list);
	for (k = 0; k < r->nbits; k++) {
		u64 b = r->bit + k;
		bool bad = mask & (1u << k);

		differ += bad;
		if (r->verify && bad) {
			dev->oos_blocks += hd_bm_set(dev->bm, b, b);
			hd_md_bm_dirty(dev, b, b);
		} else if (!r->verify && !bad && hd_bm_test(dev->bm, b)) {
			dev->oos_blocks -= hd_bm_clear(dev->bm, b, b);
			hd_md_bm_dirty(dev, b, b);
		}
	}
	spin_unlock_irqrestore(&dev->req_lock, flags);
	if (r->verify) {
		spin_lock_irqsave(&res->lock, flags);
		res->verify_oos += (u64)differ * HD_BM_BLOCK_SIZE;
		spin_unlock_irqrestore(&res->lock, flags);
		atomic64_add(r->iv.size, &res->verify_done);
	} else {
		atomic64_add((u64)(r->nbits - differ) * HD_BM_BLOCK_SIZE,
			     &conn->rs.done_bytes);
	}
	kfree(r);
	atomic_dec(&conn->dg_inflight);
	wake_up(&conn->rs.wq);
	if (wq_has_sleeper(&dev->conflict_wq))
		wake_up(&dev->conflict_wq);
}

/* Receiver thread: compare the peer's digests with our blocks. */
int hd_recv_csum_req(struct hd_conn *conn)
{
	struct hd_device *dev = conn->res->dev;
	struct hd_csum_req c;
	__be32 mine[HD_CSUM_MAX_BLOCKS];
	u64 id, sector;
	u32 size, nb, k, mask = 0;
	int err;

	err = conn->tops->recv_all(conn->data, &c, sizeof(c));
	if (err)
		return err;
	atomic64_add(sizeof(struct hd_hdr) + sizeof(c), &conn->bytes_received);
	id = be64_to_cpu(c.id);
	sector = be64_to_cpu(c.sector);
	size = be32_to_cpu(c.size);
	nb = be32_to_cpu(c.nblocks);
	if (!nb || nb > HD_CSUM_MAX_BLOCKS || !size || size & 511 ||
	    size > nb * HD_BM_BLOCK_SIZE || sector % HD_BM_SECT_PER_BLOCK ||
	    sector > dev->sectors || (size >> 9) > dev->sectors - sector) {
		hd_conn_fail(conn, "protocol error from the peer: bad checksum request");
		return -EPROTO;
	}
	err = local_digests(conn, sector, size, mine);
	if (err) {
		/* Unreadable here: report every block as different. */
		mask = nb == 32 ? ~0u : (1u << nb) - 1;
	} else {
		for (k = 0; k < DIV_ROUND_UP(size, HD_BM_BLOCK_SIZE); k++)
			if (mine[k] != c.digest[k])
				mask |= 1u << k;
	}
	return hd_send_ack_now(conn, HD_P_CSUM_REPLY, id, sector, size, mask);
}

static int hd_verify_fn(void *arg)
{
	struct hd_conn *conn = arg;
	struct hd_resource *res = conn->res;
	u64 oos, total;
	int err;

	err = hd_digest_pass(conn, true);
	spin_lock_irq(&res->lock);
	res->verify_running = false;
	oos = res->verify_oos;
	total = res->verify_total;
	spin_unlock_irq(&res->lock);
	if (!err) {
		pr_info("hadisk %s: verify done: %llu of %llu bytes differ from %s\n",
			res->name, oos, total, res->peer_name);
		hd_state_changed(res, "verify-done");
		if (oos && res->verify_resync) {
			atomic_set(&conn->want_resync, 1);
			hd_conn_kick(conn);
		}
	} else {
		pr_info("hadisk %s: verify stopped: the link went down\n",
			res->name);
		hd_state_changed(res, "verify-stopped");
	}
	while (!kthread_should_stop()) {
		set_current_state(TASK_IDLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

void hd_verify_stop(struct hd_conn *conn)
{
	struct task_struct *t;

	mutex_lock(&conn->verify_lock);
	t = conn->verify_task;
	conn->verify_task = NULL;
	mutex_unlock(&conn->verify_lock);
	if (t)
		kthread_stop(t);
}

int hd_verify_start(struct hd_resource *res, bool resync,
		    struct netlink_ext_ack *extack)
{
	struct hd_conn *conn = &res->conn;
	struct task_struct *t;
	int err = 0;

	if (!conn->csum_tfm) {
		NL_SET_ERR_MSG(extack,
			       "the kernel has no crc32c for verify (crypto module missing)");
		return -EOPNOTSUPP;
	}
	spin_lock_irq(&res->lock);
	if (res->cstate != HADISK_CONN_CONNECTED ||
	    res->disk != HADISK_DISK_UPTODATE ||
	    res->peer_disk != HADISK_DISK_UPTODATE) {
		err = -ENOTCONN;
		NL_SET_ERR_MSG_FMT(extack,
				   "verify needs the resource Connected with both disks UpToDate (it is %s, %s/%s)",
				   hd_conn_name(res->cstate),
				   hd_disk_name(res->disk),
				   hd_disk_name(res->peer_disk));
	} else if (res->verify_running) {
		err = -EBUSY;
		NL_SET_ERR_MSG(extack, "a verify is already running");
	} else {
		res->verify_running = true;
		res->verify_resync = resync;
		res->verify_total = (u64)res->dev->sectors << 9;
		res->verify_oos = 0;
		atomic64_set(&res->verify_done, 0);
	}
	spin_unlock_irq(&res->lock);
	if (err)
		return err;
	hd_verify_stop(conn);
	t = kthread_run(hd_verify_fn, conn, "hadisk_v/%s", res->name);
	if (IS_ERR(t)) {
		spin_lock_irq(&res->lock);
		res->verify_running = false;
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG(extack, "cannot start the verify thread");
		return PTR_ERR(t);
	}
	mutex_lock(&conn->verify_lock);
	conn->verify_task = t;
	mutex_unlock(&conn->verify_lock);
	pr_info("hadisk %s: online verify against %s started: %llu bytes\n",
		res->name, res->peer_name, res->verify_total);
	hd_state_changed(res, "verify-started");
	return 0;
}
