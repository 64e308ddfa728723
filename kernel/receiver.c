// SPDX-License-Identifier: GPL-2.0
/*
 * The two receiving threads of a link.
 *
 * hd_receiver_fn ("hadisk_r/RES") reads the data channel: the peer's
 * writes and resync data, which it submits to the backing device, and the
 * peer's state changes. After a packet it sends the acks that became
 * ready (see sender.c), so a write that the backing device completes
 * synchronously is acknowledged without waking any other thread; when
 * more packets have already arrived, their acks leave together, after at
 * most HD_ACK_FLUSH_EVERY packets.
 *
 * Write ordering: a DATA packet flagged HD_DF_NEW_EPOCH (protocols A and
 * B: the Primary completed a write since its previous send) is submitted
 * only after every earlier peer write has completed here, so that this
 * disk never holds a later write without the writes it may depend on.
 *
 * hd_asender_fn ("hadisk_a/RES") reads the meta channel: acks, which
 * complete the Primary's requests, and pings. It sends a ping every
 * ping-interval, and fails the link when the peer has been silent for
 * ping-interval + ping-timeout, or has left a write unacknowledged for
 * longer than ack-timeout.
 *
 * Both threads end only through kthread_stop() (conn.c); on a failure
 * they call hd_conn_fail() and wait for it.
 */
#include <linux/kthread.h>
#include <linux/bio.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include "receiver.h"
#include "conn.h"
#include "sender.h"
#include "resync.h"
#include "req.h"
#include "wire.h"
#include "digest.h"
#include "netlink.h"
#include "verify.h"
#include "remote.h"
#include "detach.h"

struct hd_peer_req {
	struct hd_ack_item ack;		/* first */
	struct hd_conn *conn;
	bool resync;
	bool diskless;			/* not written: no disk here */
	unsigned int nr_pages;
	struct page *pages[];
};

static void peer_req_release(struct hd_ack_item *item)
{
	kfree(container_of(item, struct hd_peer_req, ack));
}

static void hd_peer_endio(struct bio *bio)
{
	struct hd_peer_req *pr = bio->bi_private;
	struct hd_conn *conn = pr->conn;
	int err = blk_status_to_errno(bio->bi_status);
	unsigned int i;

	for (i = 0; i < pr->nr_pages; i++)
		__free_page(pr->pages[i]);
	bio_put(bio);
	if (err && !pr->diskless) {
		struct hd_device *dev = conn->res->dev;

		pr_err_ratelimited("hadisk %s: writing the peer's data at sector %llu failed: %d\n",
				   conn->res->name, pr->ack.sector, err);
		/* The peer keeps it marked (NEG_ACK); so do we. */
		hd_bm_mark(dev, pr->ack.sector, pr->ack.size);
		hd_local_io_error(dev, pr->ack.sector, pr->ack.size);
	}
	pr->ack.status = err ? -err : 0;
	if (pr->resync)
		pr->ack.type = err ? HD_P_RS_NEG_ACK : HD_P_RS_ACK;
	else
		pr->ack.type = err ? HD_P_NEG_ACK : HD_P_WRITE_ACK;
	hd_queue_ack(conn, &pr->ack);
	if (atomic_dec_and_test(&conn->peer_inflight))
		wake_up(&conn->peer_wq);
}

static int recv_write(struct hd_conn *conn, unsigned int type, u32 len,
		      u32 digest)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;
	struct hd_peer_req *pr;
	struct hd_data d;
	const char *why;
	u64 id, sector;
	u32 size, flags, payload = len - sizeof(d), left;
	unsigned int nr, i;
	blk_opf_t op = REQ_OP_WRITE;
	struct bio *bio;
	int err;

	err = conn->tops->recv_all(conn->data, &d, sizeof(d));
	if (err)
		return err;
	if (hd_data_decode(&d, &id, &sector, &size, &flags, dev->sectors,
			   &why)) {
		hd_conn_fail(conn, "protocol error from the peer: %s", why);
		return -EPROTO;
	}
	if (flags & (HD_DF_DISCARD | HD_DF_ZEROES) ? payload : payload != size) {
		hd_conn_fail(conn, "protocol error from the peer: payload length %u for a %u-byte write",
			     payload, size);
		return -EPROTO;
	}
	if (READ_ONCE(res->role) == HADISK_ROLE_PRIMARY) {
		hd_conn_fail(conn, "the peer sent a write to this Primary (both nodes Primary?)");
		return -EPROTO;
	}
	nr = DIV_ROUND_UP(payload, PAGE_SIZE);
	pr = hd_fault(&dev->fault, HD_FAULT_ALLOC_PEER) ? NULL :
		kzalloc(struct_size(pr, pages, nr), GFP_NOIO);
	if (!pr)
		goto nomem;
	for (i = 0; i < nr; i++) {
		pr->pages[i] = alloc_page(GFP_NOIO | __GFP_RETRY_MAYFAIL);
		if (!pr->pages[i])
			goto nomem_pages;
		pr->nr_pages++;
	}
	if (flags & HD_DF_DISCARD)
		op = REQ_OP_DISCARD;
	else if (flags & HD_DF_ZEROES)
		op = REQ_OP_WRITE_ZEROES;
	if (flags & HD_DF_FUA)
		op |= REQ_FUA;
	if (flags & HD_DF_PREFLUSH)
		op |= REQ_PREFLUSH;
	bio = bio_alloc(dev->backing, nr, op, GFP_NOIO);
	bio->bi_iter.bi_sector = sector;
	for (i = 0, left = payload; i < nr; i++) {
		u32 n = min_t(u32, left, PAGE_SIZE);

		bio_add_page(bio, pr->pages[i], n, 0);
		left -= n;
	}
	if (!payload)
		bio->bi_iter.bi_size = size;
	if (payload) {
		err = conn->tops->recv_bvec(conn->data, bio->bi_io_vec,
					    bio->bi_vcnt, payload);
		if (err) {
			bio_put(bio);
			goto free_pages;
		}
		if (hd_fault(&dev->fault, HD_FAULT_CORRUPT_DATA)) {
			u8 *p = kmap_local_page(bio->bi_io_vec[0].bv_page);

			p[bio->bi_io_vec[0].bv_offset] ^= 0x5a;
			kunmap_local(p);
		}
		if (conn->digest &&
		    hd_digest_bvecs(conn->csum_tfm, bio->bi_io_vec,
				    bio->bi_vcnt, payload) != digest) {
			atomic64_inc(&conn->digest_errors);
			pr_err("hadisk %s: data digest mismatch in a %u-byte %s at sector %llu from %s: dropping the connection; the blocks will be resynced\n",
			       res->name, payload,
			       type == HD_P_DATA ? "write" : "resync write",
			       sector, res->peer_name);
			hd_conn_fail(conn, "data digest mismatch from the peer: the link corrupted a packet (counted in digest_errors); the blocks are resynced");
			bio_put(bio);
			err = -EBADMSG;
			goto free_pages;
		}
	}
	atomic64_add(sizeof(struct hd_hdr) + len, &conn->bytes_received);
	if (type == HD_P_DATA && conn->protocol == HADISK_PROT_B)
		hd_send_ack_now(conn, HD_P_RECV_ACK, id, sector, size, 0);
	if (flags & HD_DF_NEW_EPOCH)
		wait_event(conn->peer_wq, !atomic_read(&conn->peer_inflight) ||
			   atomic_read(&conn->failed));
	pr->conn = conn;
	pr->resync = type == HD_P_RS_DATA;
	pr->ack.id = id;
	pr->ack.sector = sector;
	pr->ack.size = size;
	pr->ack.release = peer_req_release;
	if (pr->resync)
		atomic64_add(size, &conn->rs.done_bytes);
	atomic_inc(&conn->peer_inflight);
	bio->bi_private = pr;
	bio->bi_end_io = hd_peer_endio;
	/* A Diskless peer writes through us: its disk will lack this. */
	if (unlikely(READ_ONCE(res->peer_disk) == HADISK_DISK_DISKLESS))
		hd_bm_mark(dev, sector, size);
	if (unlikely(READ_ONCE(dev->diskless))) {
		/* Diskless here: the peer marks it (NEG_ACK), and so do we. */
		hd_bm_mark(dev, sector, size);
		pr->diskless = true;
		bio->bi_status = BLK_STS_IOERR;
		bio_endio(bio);
		return 0;
	}
	if (hd_fault(&dev->fault, HD_FAULT_FAIL_WRITE)) {
		bio->bi_status = BLK_STS_IOERR;
		bio_endio(bio);
		return 0;
	}
	submit_bio(bio);
	return 0;

nomem_pages:
	err = -ENOMEM;
free_pages:
	for (i = 0; i < pr->nr_pages; i++)
		__free_page(pr->pages[i]);
	kfree(pr);
	if (err != -ENOMEM)
		return err;
nomem:
	hd_conn_fail(conn, "out of memory receiving a write");
	return -ENOMEM;
}

static int recv_state(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	struct hd_state st;
	bool both_primary, kick = false;
	int err;

	err = conn->tops->recv_all(conn->data, &st, sizeof(st));
	if (err)
		return err;
	if (st.role > HADISK_ROLE_PRIMARY || st.disk_state > HADISK_DISK_UPTODATE) {
		hd_conn_fail(conn, "protocol error from the peer: bad state packet");
		return -EPROTO;
	}
	spin_lock_irq(&res->lock);
	res->peer_role = st.role;
	if (res->cstate != HADISK_CONN_SYNC_SOURCE)
		res->peer_disk = st.disk_state;
	res->peer_uuids.cur = be64_to_cpu(st.current_uuid);
	res->peer_uuids.bitmap = be64_to_cpu(st.bitmap_uuid);
	if ((be32_to_cpu(st.flags) & HD_STATE_F_SKIP_SYNC) &&
	    res->disk == HADISK_DISK_INCONSISTENT &&
	    st.disk_state == HADISK_DISK_UPTODATE) {
		/* new-current-uuid --clear-bitmap on the peer */
		res->uuids.cur = res->peer_uuids.cur;
		res->uuids.bitmap = 0;
		res->disk = HADISK_DISK_UPTODATE;
	}
	/*
	 * The peer invalidated itself: it needs everything from us. Not a
	 * Primary: it pulls what it lacks (detach.c).
	 */
	kick = res->cstate == HADISK_CONN_CONNECTED &&
	       st.disk_state == HADISK_DISK_INCONSISTENT &&
	       st.role != HADISK_ROLE_PRIMARY &&
	       res->disk == HADISK_DISK_UPTODATE;
	both_primary = st.role == HADISK_ROLE_PRIMARY &&
		       res->role == HADISK_ROLE_PRIMARY;
	spin_unlock_irq(&res->lock);
	atomic64_add(sizeof(struct hd_hdr) + sizeof(st), &conn->bytes_received);
	if (both_primary) {
		hd_conn_fail(conn, "both nodes became Primary");
		return -EPROTO;
	}
	if (st.disk_state == HADISK_DISK_DISKLESS)
		hd_peer_diskless(res);
	if (be32_to_cpu(st.flags) & HD_STATE_F_PULLED)
		hd_peer_pulled(res, be64_to_cpu(st.current_uuid));
	hd_state_changed(res, "peer-state");
	if (kick)
		hd_conn_kick(conn);
	return 0;
}

static int recv_sync(struct hd_conn *conn, unsigned int type)
{
	struct hd_sync s;
	int err;

	err = conn->tops->recv_all(conn->data, &s, sizeof(s));
	if (err)
		return err;
	atomic64_add(sizeof(struct hd_hdr) + sizeof(s), &conn->bytes_received);
	if (type == HD_P_SYNC_START)
		hd_resync_target_start(conn, &s);
	else
		hd_resync_target_done(conn, &s);
	return 0;
}

#define HD_ACK_FLUSH_EVERY 16

int hd_receiver_fn(void *arg)
{
	struct hd_conn *conn = arg;
	unsigned int budget = HD_ACK_FLUSH_EVERY;
	struct hd_hdr h;
	const char *why;
	unsigned int type;
	u32 len;
	int err;

	while (!kthread_should_stop() && !atomic_read(&conn->failed)) {
		err = conn->tops->recv_all(conn->data, &h, sizeof(h));
		if (err) {
			hd_conn_fail(conn, "data channel: %s", hd_errname(err));
			break;
		}
		if (unlikely(atomic_read(&conn->res->dev->fault.armed[HD_FAULT_DELAY_MS])))
			msleep(atomic_read(&conn->res->dev->fault.armed[HD_FAULT_DELAY_MS]));
		if (hd_hdr_decode(&h, &type, &len, &why) ||
		    hd_packet_on_meta(type)) {
			hd_conn_fail(conn, "protocol error from the peer: %s",
				     hd_packet_on_meta(type) ?
				     "meta packet on the data channel" : why);
			break;
		}
		switch (type) {
		case HD_P_DATA:
		case HD_P_RS_DATA:
			err = recv_write(conn, type, len,
					 be32_to_cpu(h.digest));
			break;
		case HD_P_STATE:
			err = recv_state(conn);
			break;
		case HD_P_SYNC_START:
		case HD_P_SYNC_DONE:
			err = recv_sync(conn, type);
			break;
		case HD_P_BITMAP:
			err = hd_recv_bitmap(conn, len);
			break;
		case HD_P_CSUM_REQ:
			err = hd_recv_csum_req(conn);
			break;
		case HD_P_READ_REQ:
			err = hd_serve_read(conn);
			break;
		case HD_P_READ_REPLY:
			err = hd_recv_read_reply(conn, len,
						 be32_to_cpu(h.digest));
			break;
		case HD_P_BITMAP_DONE:
			err = conn->tops->recv_all(conn->data, conn->rs.bm_buf,
						   len);
			if (!err) {
				atomic_set(&conn->bitmap_in, 1);
				hd_conn_kick(conn);
			}
			break;
		default:
			hd_conn_fail(conn, "protocol error from the peer: packet type %u on the data channel",
				     type);
			err = -EPROTO;
		}
		if (err) {
			hd_conn_fail(conn, "data channel: %s", hd_errname(err));
			break;
		}
		/*
		 * More packets already here (a queue of writes): their acks
		 * go together, after at most HD_ACK_FLUSH_EVERY packets.
		 */
		if (!--budget || !conn->tops->rx_pending ||
		    !conn->tops->rx_pending(conn->data)) {
			hd_flush_acks(conn);
			budget = HD_ACK_FLUSH_EVERY;
		}
	}
	wait_event_idle(conn->fail_wq, kthread_should_stop());
	return 0;
}

static void meta_packet(struct hd_conn *conn, unsigned int type,
			const void *body)
{
	const struct hd_ack *a = body;
	int err = 0;

	switch (type) {
	case HD_P_PING:
		err = hd_send_meta_packet(conn, HD_P_PING_ACK, NULL, 0);
		break;
	case HD_P_PING_ACK:
		break;
	case HD_P_RECV_ACK:
	case HD_P_WRITE_ACK:
	case HD_P_NEG_ACK:
		hd_req_peer_event(conn->res->dev, be64_to_cpu(a->id), type,
				  be32_to_cpu(a->status));
		break;
	case HD_P_CSUM_REPLY:
		hd_digest_reply(conn, be64_to_cpu(a->id),
				be32_to_cpu(a->status));
		break;
	case HD_P_RS_ACK:
	case HD_P_RS_NEG_ACK:
		hd_resync_ack(conn, be64_to_cpu(a->id), type,
			      be32_to_cpu(a->status));
		break;
	}
	if (err)
		hd_conn_fail(conn, "sending a ping answer failed: %s",
			     hd_errname(err));
}

#define HD_TICK_MS 100

/*
 * Handle every whole packet in buf[0, *pos); keep the partial one at the
 * start. Returns -EPROTO on a bad packet.
 */
static int meta_parse(struct hd_conn *conn, u8 *buf, size_t *pos)
{
	size_t off = 0;
	unsigned int type;
	const char *why;
	u32 len;

	while (*pos - off >= sizeof(struct hd_hdr)) {
		if (hd_hdr_decode((struct hd_hdr *)(buf + off), &type, &len,
				  &why) || !hd_packet_on_meta(type) ||
		    len > sizeof(struct hd_ack))
			return -EPROTO;
		if (*pos - off < sizeof(struct hd_hdr) + len)
			break;
		meta_packet(conn, type, buf + off + sizeof(struct hd_hdr));
		off += sizeof(struct hd_hdr) + len;
	}
	memmove(buf, buf + off, *pos - off);
	*pos -= off;
	return 0;
}

/* Acks come in bursts: read as many as have arrived, at once. */
#define HD_META_BUF (HD_ACK_BATCH * (sizeof(struct hd_hdr) + \
				     sizeof(struct hd_ack)))

int hd_asender_fn(void *arg)
{
	struct hd_conn *conn = arg;
	struct hd_device *dev = conn->res->dev;
	u8 *buf;
	size_t pos = 0;
	unsigned long next_ping = jiffies, next_check = jiffies, oldest, now;
	unsigned long silence = msecs_to_jiffies(conn->ping_interval_ms +
						 conn->ping_timeout_ms);
	int rv;

	buf = kmalloc(HD_META_BUF, GFP_KERNEL);
	if (!buf)
		hd_conn_fail(conn, "out of memory for the meta channel");
	while (buf && !kthread_should_stop() && !atomic_read(&conn->failed)) {
		rv = conn->tops->recv_some(conn->meta, buf + pos,
					   HD_META_BUF - pos, HD_TICK_MS);
		if (rv > 0) {
			pos += rv;
			conn->last_rx = jiffies;
			if (meta_parse(conn, buf, &pos)) {
				hd_conn_fail(conn, "protocol error from the peer on the meta channel");
				break;
			}
		} else if (rv != -EAGAIN) {
			hd_conn_fail(conn, "meta channel: %s",
				     hd_errname(rv ? rv : -ECONNRESET));
			break;
		}
		now = jiffies;
		if (time_before(now, next_check))
			continue;
		next_check = now + msecs_to_jiffies(HD_TICK_MS);
		if (time_after_eq(now, next_ping)) {
			if (hd_send_meta_packet(conn, HD_P_PING, NULL, 0)) {
				hd_conn_fail(conn, "sending a ping failed");
				break;
			}
			next_ping = now + msecs_to_jiffies(conn->ping_interval_ms);
		}
		if (time_after(now, conn->last_rx + silence)) {
			hd_conn_fail(conn, "the peer did not answer for %u ms (ping-timeout)",
				     jiffies_to_msecs(now - conn->last_rx));
			break;
		}
		oldest = hd_req_oldest_unacked(dev);
		if (oldest && time_after(now, oldest +
				msecs_to_jiffies(conn->ack_timeout_ms))) {
			hd_conn_fail(conn, "the peer did not acknowledge a write for %u ms (ack-timeout)",
				     jiffies_to_msecs(now - oldest));
			break;
		}
		oldest = hd_rread_oldest(dev);
		if (oldest && time_after(now, oldest +
				msecs_to_jiffies(conn->ack_timeout_ms))) {
			hd_conn_fail(conn, "the peer did not answer a read for %u ms (ack-timeout)",
				     jiffies_to_msecs(now - oldest));
			break;
		}
	}
	kfree(buf);
	wait_event_idle(conn->fail_wq, kthread_should_stop());
	return 0;
}
