// SPDX-License-Identifier: GPL-2.0
/*
 * Sending on the replication link.
 *
 * Writes are sent by the thread that submits them, under conn->data_lock,
 * straight from the application's pages (the transport copies them into
 * the socket). There is no sender thread to wake: the cost of a write on
 * the Primary is one sendmsg.
 *
 * Acks for the peer's writes are produced by bio completions, possibly in
 * interrupt context. They go on the lock-free list conn->acks; the data
 * receiver drains that list after every packet it handles, so when the
 * backing device completes synchronously (brd, or a fast path) the ack
 * leaves without any thread hop. Completions from elsewhere queue
 * conn->ack_work, which drains the list the same way. A drain sends all
 * pending acks in as few sendmsg calls as fit its buffer.
 *
 * Locks: conn->data_lock for the data channel, conn->meta_lock for the
 * meta channel; never both at once.
 */
#include <linux/bio.h>
#include <linux/slab.h>
#include "sender.h"
#include "conn.h"
#include "req.h"
#include "wire.h"
#include "digest.h"

struct hd_pkt_data {
	struct hd_hdr h;
	struct hd_data d;
} __packed;

struct hd_pkt_ack {
	struct hd_hdr h;
	struct hd_ack a;
} __packed;

#define HD_STACK_BVECS 8

static_assert(HD_ACK_BATCH * sizeof(struct hd_pkt_ack) <= HD_ACK_BUF_SIZE);

static u32 req_flags(struct bio *bio)
{
	u32 f = 0;

	if (bio->bi_opf & REQ_FUA)
		f |= HD_DF_FUA;
	if (bio->bi_opf & REQ_PREFLUSH)
		f |= HD_DF_PREFLUSH;
	if (bio_op(bio) == REQ_OP_DISCARD)
		f |= HD_DF_DISCARD;
	if (bio_op(bio) == REQ_OP_WRITE_ZEROES)
		f |= HD_DF_ZEROES;
	return f;
}

/* A write the peer will not get now: its blocks are to be resynced. */
static void mark_unsent(struct hd_device *dev, struct hd_req *req)
{
	if (unlikely(READ_ONCE(dev->res->gen_pending)))
		hd_new_generation(dev->res);
	hd_bm_mark(dev, req->iv.sector, req->iv.size);
}

/* Called from hd_submit_write() before the local clone is submitted. */
void hd_send_write(struct hd_conn *conn, struct hd_req *req)
{
	struct hd_device *dev = req->dev;
	struct bio *bio = req->master;
	struct bio_vec stack[HD_STACK_BVECS], *vec = stack, bv;
	struct bvec_iter it;
	struct hd_pkt_data pkt;
	unsigned int n = 0, i = 0;
	u32 flags, payload = 0;
	int err;

	/*
	 * Disconnected: mark and go, without the channel's lock. Seeing
	 * the link down just before it comes up is what the locked check
	 * below allows too (the mark follows the unlock there as well).
	 */
	if (!READ_ONCE(conn->link_up)) {
		mark_unsent(dev, req);
		return;
	}
	flags = req_flags(bio);
	if (bio_has_data(bio) && bio_op(bio) == REQ_OP_WRITE) {
		payload = bio->bi_iter.bi_size;
		bio_for_each_bvec(bv, bio, it)
			n++;
		if (n > HD_STACK_BVECS) {
			vec = kmalloc_array(n, sizeof(*vec), GFP_NOIO);
			if (!vec) {
				hd_bm_mark(dev, req->iv.sector, req->iv.size);
				return;
			}
		}
		bio_for_each_bvec(bv, bio, it)
			vec[i++] = bv;
	}

	mutex_lock(&conn->data_lock);
	if (!conn->link_up) {
		mutex_unlock(&conn->data_lock);
		mark_unsent(dev, req);
		goto out;
	}
	if (conn->protocol != HADISK_PROT_C &&
	    atomic_xchg(&conn->epoch_done, 0))
		flags |= HD_DF_NEW_EPOCH;
	atomic_inc(&dev->writes_unacked);
	spin_lock_irq(&dev->req_lock);
	req->id = conn->next_id++;
	req->t_sent = ktime_get_ns();
	req->state |= RQ_NET_ACK;
	if (conn->protocol != HADISK_PROT_A)
		req->state |= RQ_NET_COMPLETE;
	spin_unlock_irq(&dev->req_lock);

	hd_hdr_encode(&pkt.h, HD_P_DATA, sizeof(pkt.d) + payload);
	if (conn->digest && payload)
		pkt.h.digest = cpu_to_be32(hd_digest_bvecs(conn->csum_tfm, vec,
							   n, payload));
	pkt.d.id = cpu_to_be64(req->id);
	pkt.d.sector = cpu_to_be64(req->iv.sector);
	pkt.d.size = cpu_to_be32(req->iv.size);
	pkt.d.flags = cpu_to_be32(flags);
	/*
	 * Protocols B and C keep the application's pages until the peer
	 * has them: they go to the socket by reference. Protocol A ends
	 * the write before that, and a digest is over the bytes of now.
	 */
	if (conn->protocol != HADISK_PROT_A && !conn->digest &&
	    conn->tops->send_zc)
		err = conn->tops->send_zc(conn->data, &pkt, sizeof(pkt), vec,
					  n, payload, false);
	else
		err = conn->tops->send(conn->data, &pkt, sizeof(pkt), vec, n,
				       payload, false);
	mutex_unlock(&conn->data_lock);
	if (err) {
		hd_conn_fail(conn, "sending a write failed (error %d)", err);
	} else {
		atomic64_add(sizeof(pkt) + payload, &conn->bytes_sent);
		/* protocol A promises no more than this (req.c: net_ok) */
		if (conn->protocol == HADISK_PROT_A) {
			spin_lock_irq(&dev->req_lock);
			req->net_ok = true;
			spin_unlock_irq(&dev->req_lock);
		}
	}
out:
	if (vec != stack)
		kfree(vec);
}

int hd_send_data_packet(struct hd_conn *conn, unsigned int type,
			const void *body, u32 len)
{
	struct {
		struct hd_hdr h;
		u8 body[sizeof(struct hd_refuse)];
	} __packed pkt;
	int err;

	if (len > sizeof(pkt.body))
		return -EINVAL;
	hd_hdr_encode(&pkt.h, type, len);
	memcpy(pkt.body, body, len);
	mutex_lock(&conn->data_lock);
	err = conn->tops->send(conn->data, &pkt, sizeof(pkt.h) + len, NULL, 0,
			       0, false);
	mutex_unlock(&conn->data_lock);
	if (!err)
		atomic64_add(sizeof(pkt.h) + len, &conn->bytes_sent);
	return err;
}

int hd_send_meta_packet(struct hd_conn *conn, unsigned int type,
			const void *body, u32 len)
{
	struct {
		struct hd_hdr h;
		u8 body[sizeof(struct hd_ack)];
	} __packed pkt;
	int err;

	if (len > sizeof(pkt.body))
		return -EINVAL;
	hd_hdr_encode(&pkt.h, type, len);
	if (len)
		memcpy(pkt.body, body, len);
	mutex_lock(&conn->meta_lock);
	err = conn->tops->send(conn->meta, &pkt, sizeof(pkt.h) + len, NULL, 0,
			       0, false);
	mutex_unlock(&conn->meta_lock);
	return err;
}

int hd_send_state(struct hd_conn *conn)
{
	return hd_send_state_flags(conn, 0);
}

int hd_send_state_flags(struct hd_conn *conn, u32 flags)
{
	struct hd_resource *res = conn->res;
	struct hd_state st = { .flags = cpu_to_be32(flags) };

	spin_lock_irq(&res->lock);
	st.role = res->role;
	st.disk_state = res->disk;
	st.current_uuid = cpu_to_be64(res->uuids.cur);
	st.bitmap_uuid = cpu_to_be64(res->uuids.bitmap);
	spin_unlock_irq(&res->lock);
	return hd_send_data_packet(conn, HD_P_STATE, &st, sizeof(st));
}

static void encode_ack(struct hd_pkt_ack *p, unsigned int type, u64 id,
		       u64 sector, u32 size, u32 status)
{
	hd_hdr_encode(&p->h, type, sizeof(p->a));
	p->a.id = cpu_to_be64(id);
	p->a.sector = cpu_to_be64(sector);
	p->a.size = cpu_to_be32(size);
	p->a.status = cpu_to_be32(status);
}

int hd_send_ack_now(struct hd_conn *conn, unsigned int type, u64 id,
		    u64 sector, u32 size, u32 status)
{
	struct hd_pkt_ack p;
	int err;

	encode_ack(&p, type, id, sector, size, status);
	mutex_lock(&conn->meta_lock);
	err = conn->tops->send(conn->meta, &p, sizeof(p), NULL, 0, 0, false);
	mutex_unlock(&conn->meta_lock);
	return err;
}

void hd_queue_ack(struct hd_conn *conn, struct hd_ack_item *item)
{
	llist_add(&item->node, &conn->acks);
	/*
	 * Only a completion that runs inside the receiver's own submit (a
	 * synchronous backing device) is sure to be flushed by the receiver
	 * after the packet; an interrupt that merely lands on the receiver's
	 * CPU is not, so it must queue the work.
	 */
	if (!in_task() || current != conn->receiver)
		queue_work(conn->ack_wq, &conn->ack_work);
}

static int send_acks(struct hd_conn *conn, struct hd_pkt_ack *buf,
		     unsigned int n)
{
	return conn->tops->send(conn->meta, buf, n * sizeof(*buf), NULL, 0, 0,
				false);
}

void hd_flush_acks(struct hd_conn *conn)
{
	struct hd_pkt_ack *buf = conn->ack_buf;
	struct llist_node *list;
	struct hd_ack_item *item, *tmp;
	unsigned int n = 0;
	int err = 0;

	if (llist_empty(&conn->acks))
		return;
	mutex_lock(&conn->meta_lock);
	list = llist_reverse_order(llist_del_all(&conn->acks));
	llist_for_each_entry_safe(item, tmp, list, node) {
		encode_ack(&buf[n++], item->type, item->id, item->sector,
			   item->size, item->status);
		item->release(item);
		if (n == HD_ACK_BATCH) {
			if (!err)
				err = send_acks(conn, buf, n);
			n = 0;
		}
	}
	if (n && !err)
		err = send_acks(conn, buf, n);
	mutex_unlock(&conn->meta_lock);
	if (err)
		hd_conn_fail(conn, "sending acks failed (error %d)", err);
}

void hd_ack_work_fn(struct work_struct *work)
{
	struct hd_conn *conn = container_of(work, struct hd_conn, ack_work);

	if (!atomic_read(&conn->failed))
		hd_flush_acks(conn);
}

/* Link gone: the peer will not get these acks; free them. */
void hd_drop_acks(struct hd_conn *conn)
{
	struct llist_node *list = llist_del_all(&conn->acks);
	struct hd_ack_item *item, *tmp;

	llist_for_each_entry_safe(item, tmp, list, node)
		item->release(item);
}
