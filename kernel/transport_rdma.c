// SPDX-License-Identifier: GPL-2.0
/*
 * RDMA transport (the module hadisk_rdma.ko): the byte-stream channel of
 * transport.h carried over one reliable connected (RC) queue pair per
 * channel, set up with the RDMA connection manager in the resource's
 * network namespace. RoCE (soft-RoCE: rdma_rxe), iWARP and InfiniBand all
 * go through the same calls.
 *
 * Data path. Both sides register HRDMA_BUF_SIZE buffers with the protection
 * domain's local DMA key. A send() copies the header and the payload into
 * one send buffer and posts one SEND of exactly that many bytes (a packet
 * larger than a buffer takes several SENDs, in order); the receiver has
 * HRDMA_RX + HRDMA_RX_CTRL receive buffers posted, and reads the stream out
 * of the filled ones in completion order. A buffer is posted again as soon
 * as its bytes have been copied out. The `more` hint of send() is ignored:
 * every send() is posted at once (nothing in hadisk corks today).
 *
 * Flow control: credits, so a SEND never finds the peer without a posted
 * receive (no RNR retries). A channel may post as many data SENDs as it
 * holds credits, HRDMA_RX at the start (the peer's count comes in the CM
 * private data). Every SEND carries, in its immediate data, the number of
 * buffers its sender re-posted since it last said so; when HRDMA_RX / 2
 * have piled up and no data goes back, a zero-length SEND carries them
 * alone. Such a credit message costs no credit: it lands in one of the
 * HRDMA_RX_CTRL spare buffers, which the receiver posts again before it
 * adds the credits. Each carries at least HRDMA_RX / 2 of the HRDMA_RX
 * credits, so no more than two are ever unprocessed; two spares would do.
 *
 * States of a channel: CONNECTING (address, route, CM handshake) ->
 * UP -> DEAD (an error completion, a CM event that ends the connection,
 * or shutdown()). A DEAD channel still hands out the bytes received before
 * the end (a REFUSE just before a disconnect must be readable), then its
 * receives fail; its sends fail at once. A receive found with nothing
 * queued waits for the RQ to be flushed, or HRDMA_DEAD_GRACE_MS.
 *
 * Locks: c->lock (a spinlock, taken from the completion handlers in
 * softirq context, hence irqsave) guards the receive queue, the credits
 * and the free send buffers. Posting to the QP is done outside it (the
 * verbs serialise a QP themselves). c->send_mutex makes each send() one
 * unit against other senders on the channel (hadisk serialises them
 * anyway). Listener: l->lock guards its pending and ready lists; the CM
 * handler of a pending channel takes c->lock, then l->lock; accept() and
 * unlisten() take l->lock alone. CM handlers may sleep; they never
 * destroy their own id.
 *
 * Lifetime: close() is called once every caller has returned (transport.h):
 * it lets queued SENDs complete (up to HRDMA_LINGER_MS: a REFUSE must
 * reach the peer), disconnects, moves the QP to the error state and waits
 * (up to HRDMA_FLUSH_MS) for every posted WR to complete, flushed, then
 * frees the QP, CQ, buffers, PD and CM id, in that order. Every wait of
 * the transport is bounded or ends with shutdown(): the connect steps by
 * the connect timeout, accept() and recv_some() by theirs, close() as
 * said; send() and the blocking receives wait for the peer like TCP's,
 * until the link fails or shutdown() (the ping and ack timeouts of the
 * link threads call it).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/uio.h>
#include <net/addrconf.h>
#include <rdma/ib_verbs.h>
#include <rdma/rdma_cm.h>
#include <rdma/ib_cm.h>
#include "uapi/linux/hadisk.h"
#include "transport.h"

#define HRDMA_BUF_SIZE		(32 * 1024)
#define HRDMA_RX		16	/* data receive buffers: the credits */
#define HRDMA_RX_CTRL		4	/* spare buffers for credit messages */
#define HRDMA_RX_ALL		(HRDMA_RX + HRDMA_RX_CTRL)
#define HRDMA_TX		16	/* send buffers */
#define HRDMA_SQ_DEPTH		(HRDMA_TX + HRDMA_RX_CTRL + 1)
#define HRDMA_RQ_DEPTH		(HRDMA_RX_ALL + 1)
#define HRDMA_MAGIC		0x4844524d	/* "HDRM" */
#define HRDMA_VERSION		1
#define HRDMA_DEAD_GRACE_MS	200
#define HRDMA_LINGER_MS		1000
#define HRDMA_FLUSH_MS		5000

enum { HRDMA_KIND_LISTENER = 1, HRDMA_KIND_CHAN };
enum { HRDMA_CONNECTING, HRDMA_ADDR_OK, HRDMA_ROUTE_OK, HRDMA_UP,
	HRDMA_DEAD };

/* CM private data, both ways: who we are and how many credits we give. */
struct hrdma_pdata {
	__be32 magic;
	__be16 version;
	__be16 credits;
} __packed;

struct hrdma_buf {
	struct ib_cqe cqe;
	struct hd_chan *c;
	void *va;
	u64 dma;
	u32 len;		/* received bytes */
	struct list_head node;	/* rx: on c->rx_ready */
	int idx;		/* tx: index in c->tx */
};

struct hd_listener {
	int kind;
	struct rdma_cm_id *id;
	spinlock_t lock;
	bool closing;
	struct list_head pending;	/* accepted by the CM, not yet UP */
	struct list_head ready;		/* UP, for accept() */
	wait_queue_head_t wq;
};

struct hd_chan {
	int kind;
	struct rdma_cm_id *id;
	struct ib_pd *pd;
	struct ib_cq *cq;
	bool has_qp;
	struct hd_listener *l;		/* while pending on a listener */
	struct list_head lnode;
	wait_queue_head_t wq;
	spinlock_t lock;
	int state;
	int cm_err;			/* why CONNECTING failed */
	int cm_event;
	int reject_reason;
	unsigned long dead_at;
	bool shut;			/* shutdown() called */
	bool rx_flushed;		/* a receive completed in error */
	bool tx_error;
	/* receive side */
	struct hrdma_buf rx[HRDMA_RX_ALL];
	atomic_t rx_posted;		/* receives the QP holds */
	struct list_head rx_ready;	/* filled, in arrival order */
	struct hrdma_buf *cur;		/* being read, off its list */
	u32 cur_off;
	u32 to_return;			/* re-posted, not yet told */
	/* send side */
	struct hrdma_buf tx[HRDMA_TX];
	int tx_free[HRDMA_TX];
	int nr_tx_free;
	int credits;
	int ctrl_inflight;
	struct mutex send_mutex;
	struct ib_cqe ctrl_cqe;
	char peer[64];
};

static void chan_dead(struct hd_chan *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	if (c->state != HRDMA_DEAD) {
		c->state = HRDMA_DEAD;
		c->dead_at = jiffies;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	wake_up_all(&c->wq);
}

static int post_recv(struct hd_chan *c, struct hrdma_buf *b)
{
	struct ib_sge sge = {
		.addr = b->dma, .length = HRDMA_BUF_SIZE,
		.lkey = c->pd->local_dma_lkey,
	};
	struct ib_recv_wr wr = { .wr_cqe = &b->cqe, .sg_list = &sge,
				 .num_sge = 1 };

	int err;

	ib_dma_sync_single_for_device(c->id->device, b->dma, HRDMA_BUF_SIZE,
				      DMA_FROM_DEVICE);
	atomic_inc(&c->rx_posted);
	err = ib_post_recv(c->id->qp, &wr, NULL);
	if (err)
		atomic_dec(&c->rx_posted);
	return err;
}

/* A zero-length SEND that only returns credits. */
static void post_credits(struct hd_chan *c, u32 n)
{
	struct ib_send_wr wr = {
		.wr_cqe = &c->ctrl_cqe, .opcode = IB_WR_SEND_WITH_IMM,
		.send_flags = IB_SEND_SIGNALED, .ex.imm_data = cpu_to_be32(n),
	};
	unsigned long flags;

	if (!ib_post_send(c->id->qp, &wr, NULL))
		return;
	spin_lock_irqsave(&c->lock, flags);
	c->ctrl_inflight--;
	spin_unlock_irqrestore(&c->lock, flags);
	chan_dead(c);
}

/* Take the credits to return, if they are worth a message of their own. */
static u32 credits_due(struct hd_chan *c)
{
	u32 n = 0;

	if (c->to_return >= HRDMA_RX / 2 && c->state != HRDMA_DEAD &&
	    c->ctrl_inflight < HRDMA_RX_CTRL) {
		n = c->to_return;
		c->to_return = 0;
		c->ctrl_inflight++;
	}
	return n;
}

static void rx_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct hrdma_buf *b = container_of(wc->wr_cqe, struct hrdma_buf, cqe);
	struct hd_chan *c = b->c;
	unsigned long flags;
	u32 credits = 0;

	atomic_dec(&c->rx_posted);
	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR)
			pr_warn_ratelimited("hadisk_rdma: %s: receive failed: %s\n",
					    c->peer,
					    ib_wc_status_msg(wc->status));
		spin_lock_irqsave(&c->lock, flags);
		c->rx_flushed = true;
		spin_unlock_irqrestore(&c->lock, flags);
		chan_dead(c);
		return;
	}
	if (wc->wc_flags & IB_WC_WITH_IMM)
		credits = be32_to_cpu(wc->ex.imm_data);
	ib_dma_sync_single_for_cpu(c->id->device, b->dma, HRDMA_BUF_SIZE,
				   DMA_FROM_DEVICE);
	b->len = wc->byte_len;
	if (!b->len && post_recv(c, b)) {
		/* a credit message: its buffer goes back first */
		chan_dead(c);
		return;
	}
	spin_lock_irqsave(&c->lock, flags);
	if (b->len)
		list_add_tail(&b->node, &c->rx_ready);
	c->credits += credits;
	spin_unlock_irqrestore(&c->lock, flags);
	wake_up_all(&c->wq);
}

static void tx_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct hrdma_buf *b = container_of(wc->wr_cqe, struct hrdma_buf, cqe);
	struct hd_chan *c = b->c;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->tx_free[c->nr_tx_free++] = b->idx;
	if (wc->status != IB_WC_SUCCESS)
		c->tx_error = true;
	spin_unlock_irqrestore(&c->lock, flags);
	if (wc->status != IB_WC_SUCCESS) {
		if (wc->status != IB_WC_WR_FLUSH_ERR)
			pr_warn_ratelimited("hadisk_rdma: %s: send failed: %s\n",
					    c->peer,
					    ib_wc_status_msg(wc->status));
		chan_dead(c);
		return;
	}
	wake_up_all(&c->wq);
}

static void ctrl_done(struct ib_cq *cq, struct ib_wc *wc)
{
	struct hd_chan *c = container_of(wc->wr_cqe, struct hd_chan, ctrl_cqe);
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&c->lock, flags);
	c->ctrl_inflight--;
	n = wc->status == IB_WC_SUCCESS ? credits_due(c) : 0;
	spin_unlock_irqrestore(&c->lock, flags);
	if (wc->status != IB_WC_SUCCESS) {
		chan_dead(c);
		return;
	}
	if (n)
		post_credits(c, n);
	wake_up_all(&c->wq);
}

static struct hd_chan *chan_alloc(void)
{
	struct hd_chan *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->kind = HRDMA_KIND_CHAN;
	init_waitqueue_head(&c->wq);
	spin_lock_init(&c->lock);
	mutex_init(&c->send_mutex);
	INIT_LIST_HEAD(&c->rx_ready);
	INIT_LIST_HEAD(&c->lnode);
	c->ctrl_cqe.done = ctrl_done;
	c->state = HRDMA_CONNECTING;
	strscpy(c->peer, "?", sizeof(c->peer));
	return c;
}

static void free_bufs(struct hd_chan *c)
{
	struct ib_device *dev = c->id->device;
	int i;

	for (i = 0; i < HRDMA_RX_ALL; i++) {
		if (c->rx[i].dma)
			ib_dma_unmap_single(dev, c->rx[i].dma, HRDMA_BUF_SIZE,
					    DMA_FROM_DEVICE);
		kfree(c->rx[i].va);
		c->rx[i].va = NULL;
		c->rx[i].dma = 0;
	}
	for (i = 0; i < HRDMA_TX; i++) {
		if (c->tx[i].dma)
			ib_dma_unmap_single(dev, c->tx[i].dma, HRDMA_BUF_SIZE,
					    DMA_TO_DEVICE);
		kfree(c->tx[i].va);
		c->tx[i].va = NULL;
		c->tx[i].dma = 0;
	}
}

static int alloc_buf(struct hd_chan *c, struct hrdma_buf *b,
		     enum dma_data_direction dir)
{
	struct ib_device *dev = c->id->device;

	b->c = c;
	b->va = kmalloc(HRDMA_BUF_SIZE, GFP_KERNEL);
	if (!b->va)
		return -ENOMEM;
	b->dma = ib_dma_map_single(dev, b->va, HRDMA_BUF_SIZE, dir);
	if (ib_dma_mapping_error(dev, b->dma)) {
		b->dma = 0;
		return -ENOMEM;
	}
	return 0;
}

/* Every work request posted has completed: the buffers are ours. */
static bool wrs_done(struct hd_chan *c)
{
	return !atomic_read(&c->rx_posted) &&
		READ_ONCE(c->nr_tx_free) == HRDMA_TX &&
		!READ_ONCE(c->ctrl_inflight);
}

/*
 * Disconnect and move the QP to the error state, so that every posted work
 * request completes (flushed); wait for that at most HRDMA_FLUSH_MS. If a
 * device does not flush in time, the QP is destroyed all the same (its
 * completions are then dropped with the CQ), rather than hang a thread.
 */
static void chan_quiesce(struct hd_chan *c)
{
	struct ib_qp_attr attr = { .qp_state = IB_QPS_ERR };

	rdma_disconnect(c->id);
	ib_modify_qp(c->id->qp, &attr, IB_QP_STATE);
	if (!wait_event_timeout(c->wq, wrs_done(c),
				msecs_to_jiffies(HRDMA_FLUSH_MS)))
		pr_warn("hadisk_rdma: %s: the queue pair did not flush in %d ms; destroyed anyway\n",
			c->peer, HRDMA_FLUSH_MS);
}

/* Free what chan_setup() made; the CM id stays. */
static void chan_teardown(struct hd_chan *c)
{
	if (c->has_qp)
		rdma_destroy_qp(c->id);
	c->has_qp = false;
	if (c->cq)
		ib_free_cq(c->cq);
	c->cq = NULL;
	if (c->id && c->id->device)
		free_bufs(c);
	if (c->pd)
		ib_dealloc_pd(c->pd);
	c->pd = NULL;
}

/*
 * The PD, CQ, QP and buffers on c->id's device (known once the address
 * is resolved, or on a connection request); every receive posted.
 */
static int chan_setup(struct hd_chan *c)
{
	struct ib_device *dev = c->id->device;
	struct ib_qp_init_attr qa = { };
	int i, err;

	c->pd = ib_alloc_pd(dev, 0);
	if (IS_ERR(c->pd)) {
		err = PTR_ERR(c->pd);
		c->pd = NULL;
		return err;
	}
	c->cq = ib_alloc_cq(dev, c, HRDMA_SQ_DEPTH + HRDMA_RQ_DEPTH,
			    0, IB_POLL_SOFTIRQ);
	if (IS_ERR(c->cq)) {
		err = PTR_ERR(c->cq);
		c->cq = NULL;
		goto out;
	}
	for (i = 0; i < HRDMA_RX_ALL; i++) {
		c->rx[i].cqe.done = rx_done;
		err = alloc_buf(c, &c->rx[i], DMA_FROM_DEVICE);
		if (err)
			goto out;
	}
	for (i = 0; i < HRDMA_TX; i++) {
		c->tx[i].cqe.done = tx_done;
		c->tx[i].idx = i;
		err = alloc_buf(c, &c->tx[i], DMA_TO_DEVICE);
		if (err)
			goto out;
		c->tx_free[i] = i;
	}
	c->nr_tx_free = HRDMA_TX;
	qa.event_handler = NULL;
	qa.qp_context = c;
	qa.send_cq = c->cq;
	qa.recv_cq = c->cq;
	qa.cap.max_send_wr = HRDMA_SQ_DEPTH;
	qa.cap.max_recv_wr = HRDMA_RQ_DEPTH;
	qa.cap.max_send_sge = 1;
	qa.cap.max_recv_sge = 1;
	qa.sq_sig_type = IB_SIGNAL_REQ_WR;
	qa.qp_type = IB_QPT_RC;
	err = rdma_create_qp(c->id, c->pd, &qa);
	if (err)
		goto out;
	c->has_qp = true;
	for (i = 0; i < HRDMA_RX_ALL; i++) {
		err = post_recv(c, &c->rx[i]);
		if (err)
			goto out;
	}
	return 0;

out:
	chan_teardown(c);
	return err;
}

static void pdata_fill(struct hrdma_pdata *pd)
{
	pd->magic = cpu_to_be32(HRDMA_MAGIC);
	pd->version = cpu_to_be16(HRDMA_VERSION);
	pd->credits = cpu_to_be16(HRDMA_RX);
}

/* The peer's credits from its private data; 0 if it is not one of us. */
static int pdata_credits(const void *data, u8 len)
{
	const struct hrdma_pdata *pd = data;

	if (!pd || len < sizeof(*pd) || be32_to_cpu(pd->magic) != HRDMA_MAGIC ||
	    be16_to_cpu(pd->version) != HRDMA_VERSION)
		return 0;
	return min_t(int, be16_to_cpu(pd->credits), HRDMA_RX);
}

static void conn_param_fill(struct rdma_conn_param *p, struct hrdma_pdata *pd)
{
	memset(p, 0, sizeof(*p));
	pdata_fill(pd);
	p->private_data = pd;
	p->private_data_len = sizeof(*pd);
	p->retry_count = 7;
	p->rnr_retry_count = 7;
}

/* A connection request on a listener: set the channel up and accept. */
static int cm_request(struct hd_listener *l, struct rdma_cm_id *id,
		      struct rdma_cm_event *ev)
{
	struct rdma_conn_param param;
	struct hrdma_pdata pd;
	struct hd_chan *c;
	int credits, err;

	pr_debug("hadisk_rdma: connection request from %pISpc\n", &id->route.addr.dst_addr);
	credits = pdata_credits(ev->param.conn.private_data,
				ev->param.conn.private_data_len);
	if (!credits) {
		pr_warn_ratelimited("hadisk_rdma: refused an RDMA connection from %pISpc: not a hadisk node\n",
				    &id->route.addr.dst_addr);
		rdma_reject(id, NULL, 0, IB_CM_REJ_CONSUMER_DEFINED);
		return -EPROTO;	/* the CM destroys id */
	}
	c = chan_alloc();
	if (!c)
		goto out_reject;
	c->id = id;
	c->l = l;
	c->credits = credits;
	snprintf(c->peer, sizeof(c->peer), "%pISpc", &id->route.addr.dst_addr);
	id->context = c;
	err = chan_setup(c);
	if (err)
		goto out_free;
	spin_lock_irq(&l->lock);
	list_add_tail(&c->lnode, &l->pending);
	spin_unlock_irq(&l->lock);
	conn_param_fill(&param, &pd);
	err = rdma_accept(id, &param);
	if (!err)
		return 0;
	spin_lock_irq(&l->lock);
	list_del_init(&c->lnode);
	spin_unlock_irq(&l->lock);
	chan_teardown(c);
out_free:
	kfree(c);
out_reject:
	id->context = l;
	rdma_reject(id, NULL, 0, IB_CM_REJ_CONSUMER_DEFINED);
	return -ENOMEM;	/* the CM destroys id */
}

static int cm_handler(struct rdma_cm_id *id, struct rdma_cm_event *ev)
{
	struct hd_chan *c = id->context;
	struct hd_listener *l;
	unsigned long flags;
	int credits;

	if (ev->event == RDMA_CM_EVENT_CONNECT_REQUEST)
		return cm_request(id->context, id, ev);
	if (c->kind != HRDMA_KIND_CHAN)
		return 0;	/* the listener's own id: nothing to do */
	pr_debug("hadisk_rdma: %s: %s, status %d\n", c->peer, rdma_event_msg(ev->event),
		 ev->status);

	spin_lock_irqsave(&c->lock, flags);
	switch (ev->event) {
	case RDMA_CM_EVENT_ADDR_RESOLVED:
		if (c->state == HRDMA_CONNECTING)
			c->state = HRDMA_ADDR_OK;
		break;
	case RDMA_CM_EVENT_ROUTE_RESOLVED:
		if (c->state == HRDMA_ADDR_OK)
			c->state = HRDMA_ROUTE_OK;
		break;
	case RDMA_CM_EVENT_ESTABLISHED:
		if (!c->l) {
			/* active side: the peer's credits come in its REP */
			credits = pdata_credits(ev->param.conn.private_data,
						ev->param.conn.private_data_len);
			if (!credits) {
				c->cm_err = -EPROTO;
				c->cm_event = ev->event;
				c->state = HRDMA_DEAD;
				break;
			}
			c->credits = credits;
		}
		if (c->state != HRDMA_DEAD)
			c->state = HRDMA_UP;
		l = c->l;
		if (l) {
			spin_lock(&l->lock);
			if (!l->closing)
				list_move_tail(&c->lnode, &l->ready);
			spin_unlock(&l->lock);
			wake_up_all(&l->wq);
		}
		break;
	case RDMA_CM_EVENT_REJECTED:
		c->reject_reason = ev->status;
		fallthrough;
	case RDMA_CM_EVENT_ADDR_ERROR:
	case RDMA_CM_EVENT_ROUTE_ERROR:
	case RDMA_CM_EVENT_UNREACHABLE:
	case RDMA_CM_EVENT_CONNECT_ERROR:
		c->cm_event = ev->event;
		c->cm_err = ev->event == RDMA_CM_EVENT_REJECTED ?
			-ECONNREFUSED : ev->status < 0 ? ev->status :
			-EHOSTUNREACH;
		fallthrough;
	case RDMA_CM_EVENT_DISCONNECTED:
	case RDMA_CM_EVENT_DEVICE_REMOVAL:
	case RDMA_CM_EVENT_ADDR_CHANGE:
	case RDMA_CM_EVENT_TIMEWAIT_EXIT:
		if (c->state != HRDMA_DEAD) {
			c->state = HRDMA_DEAD;
			c->dead_at = jiffies;
		}
		break;
	default:
		break;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	/* the peer left: flush our side too, so the queues drain */
	if (ev->event == RDMA_CM_EVENT_DISCONNECTED)
		rdma_disconnect(id);
	wake_up_all(&c->wq);
	return 0;
}

static int hrdma_listen(struct net *net, struct sockaddr_storage *addr,
			int len, struct hd_listener **out)
{
	struct hd_listener *l;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->kind = HRDMA_KIND_LISTENER;
	spin_lock_init(&l->lock);
	INIT_LIST_HEAD(&l->pending);
	INIT_LIST_HEAD(&l->ready);
	init_waitqueue_head(&l->wq);
	l->id = rdma_create_id(net, cm_handler, l, RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(l->id)) {
		err = PTR_ERR(l->id);
		goto out_free;
	}
	rdma_set_reuseaddr(l->id, 1);
	err = rdma_bind_addr(l->id, (struct sockaddr *)addr);
	if (err)
		goto out_destroy;
	err = rdma_listen(l->id, 4);
	if (err)
		goto out_destroy;
	*out = l;
	return 0;

out_destroy:
	rdma_destroy_id(l->id);
out_free:
	kfree(l);
	return err;
}

static void hrdma_close(struct hd_chan *c);

/* Close the pending channels that died before they came up. */
static void reap_pending(struct hd_listener *l)
{
	struct hd_chan *c, *t;
	LIST_HEAD(dead);

	spin_lock_irq(&l->lock);
	list_for_each_entry_safe(c, t, &l->pending, lnode)
		if (READ_ONCE(c->state) == HRDMA_DEAD)
			list_move(&c->lnode, &dead);
	spin_unlock_irq(&l->lock);
	list_for_each_entry_safe(c, t, &dead, lnode) {
		list_del_init(&c->lnode);
		spin_lock_irq(&c->lock);
		c->l = NULL;
		spin_unlock_irq(&c->lock);
		hrdma_close(c);
	}
}

static int hrdma_accept(struct hd_listener *l, int timeout_ms,
			struct hd_chan **out)
{
	struct hd_chan *c = NULL;
	long left;

	reap_pending(l);
	left = wait_event_idle_timeout(l->wq, !list_empty_careful(&l->ready),
				       msecs_to_jiffies(timeout_ms));
	if (!left)
		return -EAGAIN;
	spin_lock_irq(&l->lock);
	if (!list_empty(&l->ready)) {
		c = list_first_entry(&l->ready, struct hd_chan, lnode);
		list_del_init(&c->lnode);
	}
	spin_unlock_irq(&l->lock);
	if (!c)
		return -EAGAIN;
	spin_lock_irq(&c->lock);
	c->l = NULL;
	spin_unlock_irq(&c->lock);
	*out = c;
	return 0;
}

static void hrdma_unlisten(struct hd_listener *l)
{
	struct hd_chan *c, *t;
	LIST_HEAD(all);

	/* no new requests, and no handler of the listener's id runs */
	rdma_destroy_id(l->id);
	spin_lock_irq(&l->lock);
	l->closing = true;
	list_splice_init(&l->pending, &all);
	list_splice_init(&l->ready, &all);
	spin_unlock_irq(&l->lock);
	list_for_each_entry_safe(c, t, &all, lnode) {
		list_del_init(&c->lnode);
		hrdma_close(c);	/* its handler is done when this returns */
	}
	kfree(l);
}

/* Wait for c->state to reach want, or fail; 0, or why not. */
static int wait_state(struct hd_chan *c, int want, int timeout_ms)
{
	long left;

	left = wait_event_idle_timeout(c->wq,
				       READ_ONCE(c->state) >= want,
				       msecs_to_jiffies(timeout_ms));
	if (READ_ONCE(c->state) == HRDMA_DEAD)
		return c->cm_err ? c->cm_err : -ECONNRESET;
	if (!left)
		return -ETIMEDOUT;
	return 0;
}

static int hrdma_connect(struct net *net, struct sockaddr_storage *local,
			 struct sockaddr_storage *peer, int len,
			 int timeout_ms, struct hd_chan **out)
{
	struct sockaddr_storage src = *local;
	struct rdma_conn_param param;
	struct hrdma_pdata pd;
	struct hd_chan *c;
	int err;

	c = chan_alloc();
	if (!c)
		return -ENOMEM;
	snprintf(c->peer, sizeof(c->peer), "%pISpc", peer);
	if (src.ss_family == AF_INET)
		((struct sockaddr_in *)&src)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&src)->sin6_port = 0;
	c->id = rdma_create_id(net, cm_handler, c, RDMA_PS_TCP, IB_QPT_RC);
	if (IS_ERR(c->id)) {
		err = PTR_ERR(c->id);
		c->id = NULL;
		goto out_free;
	}
	err = rdma_resolve_addr(c->id, (struct sockaddr *)&src,
				(struct sockaddr *)peer, timeout_ms);
	if (!err)
		err = wait_state(c, HRDMA_ADDR_OK, timeout_ms);
	if (!err)
		err = rdma_resolve_route(c->id, timeout_ms);
	if (!err)
		err = wait_state(c, HRDMA_ROUTE_OK, timeout_ms);
	if (err)
		goto out_destroy;
	err = chan_setup(c);
	if (err)
		goto out_destroy;
	conn_param_fill(&param, &pd);
	err = rdma_connect(c->id, &param);
	if (!err)
		err = wait_state(c, HRDMA_UP, timeout_ms);
	if (err)
		goto out_teardown;
	*out = c;
	return 0;

out_teardown:
	pr_debug("hadisk_rdma: %s: connect failed in state %d: %d (CM event %s, reject %d)\n",
		 c->peer, c->state, err, rdma_event_msg(c->cm_event),
		 c->reject_reason);
	chan_quiesce(c);
	chan_teardown(c);
out_destroy:
	pr_debug("hadisk_rdma: %s: no connection in state %d: %d (CM event %s)\n", c->peer,
		 c->state, err, rdma_event_msg(c->cm_event));
	rdma_destroy_id(c->id);
out_free:
	kfree(c);
	return err;
}

/* A free send buffer and a credit, both taken; or an error. */
static int get_tx(struct hd_chan *c, struct hrdma_buf **b, u32 *imm)
{
	int err = 0;

	spin_lock_irq(&c->lock);
	for (;;) {
		if (c->state == HRDMA_DEAD || c->shut) {
			err = -EPIPE;
			break;
		}
		if (c->credits > 0 && c->nr_tx_free > 0) {
			c->credits--;
			*b = &c->tx[c->tx_free[--c->nr_tx_free]];
			*imm = c->to_return;
			c->to_return = 0;
			break;
		}
		spin_unlock_irq(&c->lock);
		wait_event_idle(c->wq, READ_ONCE(c->state) == HRDMA_DEAD ||
				READ_ONCE(c->shut) ||
				(READ_ONCE(c->credits) > 0 &&
				 READ_ONCE(c->nr_tx_free) > 0));
		spin_lock_irq(&c->lock);
	}
	spin_unlock_irq(&c->lock);
	return err;
}

static int post_tx(struct hd_chan *c, struct hrdma_buf *b, u32 len, u32 imm)
{
	struct ib_sge sge = {
		.addr = b->dma, .length = len, .lkey = c->pd->local_dma_lkey,
	};
	struct ib_send_wr wr = {
		.wr_cqe = &b->cqe, .sg_list = &sge, .num_sge = 1,
		.opcode = IB_WR_SEND_WITH_IMM, .send_flags = IB_SEND_SIGNALED,
		.ex.imm_data = cpu_to_be32(imm),
	};
	int err;

	ib_dma_sync_single_for_device(c->id->device, b->dma, len,
				      DMA_TO_DEVICE);
	err = ib_post_send(c->id->qp, &wr, NULL);
	if (err) {
		spin_lock_irq(&c->lock);
		c->tx_free[c->nr_tx_free++] = b->idx;
		spin_unlock_irq(&c->lock);
		chan_dead(c);
	}
	return err;
}

static int hrdma_send(struct hd_chan *c, const void *hdr, size_t hdr_len,
		      const struct bio_vec *bv, unsigned int nbv, size_t bv_len,
		      bool more)
{
	struct kvec kv = { .iov_base = (void *)hdr, .iov_len = hdr_len };
	struct iov_iter hi, pi;
	struct hrdma_buf *b;
	size_t fill, n;
	u32 imm;
	int err = 0;

	iov_iter_kvec(&hi, ITER_SOURCE, &kv, 1, hdr_len);
	iov_iter_bvec(&pi, ITER_SOURCE, bv, nbv, bv_len);
	mutex_lock(&c->send_mutex);
	while (iov_iter_count(&hi) || iov_iter_count(&pi)) {
		err = get_tx(c, &b, &imm);
		if (err)
			break;
		fill = 0;
		if (iov_iter_count(&hi)) {
			n = min_t(size_t, iov_iter_count(&hi), HRDMA_BUF_SIZE);
			fill = copy_from_iter(b->va, n, &hi);
		}
		if (fill < HRDMA_BUF_SIZE && iov_iter_count(&pi)) {
			n = min_t(size_t, iov_iter_count(&pi),
				  HRDMA_BUF_SIZE - fill);
			fill += copy_from_iter(b->va + fill, n, &pi);
		}
		err = post_tx(c, b, fill, imm);
		if (err)
			break;
	}
	mutex_unlock(&c->send_mutex);
	return err ? -EPIPE : 0;
}

/* The channel can give no more bytes: shut down, or dead and drained. */
static bool rx_over(struct hd_chan *c)
{
	if (c->shut)
		return true;
	if (c->state != HRDMA_DEAD)
		return false;
	return c->rx_flushed || c->tx_error ||
		time_after(jiffies, c->dead_at +
			   msecs_to_jiffies(HRDMA_DEAD_GRACE_MS));
}

/* Give a read-out buffer back to the receive queue; return credits. */
static void rx_recycle(struct hd_chan *c, struct hrdma_buf *b)
{
	u32 n;

	if (post_recv(c, b)) {
		chan_dead(c);
		return;
	}
	spin_lock_irq(&c->lock);
	c->to_return++;
	n = credits_due(c);
	spin_unlock_irq(&c->lock);
	if (n)
		post_credits(c, n);
}

/*
 * Wait for received bytes, a shutdown or the end, at most timeout jiffies;
 * the time left. A dead channel is polled: its last completions may still
 * come, and the grace of rx_over() runs out without a wakeup.
 */
static long rx_wait(struct hd_chan *c, long timeout)
{
	long t;

	if (READ_ONCE(c->state) != HRDMA_DEAD)
		return wait_event_idle_timeout(c->wq,
				!list_empty_careful(&c->rx_ready) ||
				READ_ONCE(c->shut) ||
				READ_ONCE(c->state) == HRDMA_DEAD, timeout);
	t = min_t(long, timeout, msecs_to_jiffies(20));
	schedule_timeout_idle(t);
	return timeout == MAX_SCHEDULE_TIMEOUT ? timeout : timeout - t;
}

/*
 * Copy up to iov_iter_count(to) bytes out of the received buffers; wait
 * for the first byte at most timeout jiffies (MAX_SCHEDULE_TIMEOUT:
 * without limit), for all of them if all. Bytes copied, -EAGAIN on
 * timeout, -ECONNRESET when the channel is over.
 */
static long rx_copy(struct hd_chan *c, struct iov_iter *to, long timeout,
		    bool all)
{
	struct hrdma_buf *b;
	size_t done = 0, n;

	while (iov_iter_count(to)) {
		spin_lock_irq(&c->lock);
		if (!c->cur && !list_empty(&c->rx_ready)) {
			c->cur = list_first_entry(&c->rx_ready,
						  struct hrdma_buf, node);
			list_del(&c->cur->node);
			c->cur_off = 0;
		}
		b = c->cur;
		if (!b && rx_over(c)) {
			spin_unlock_irq(&c->lock);
			return done ? done : -ECONNRESET;
		}
		spin_unlock_irq(&c->lock);
		if (!b) {
			if (done && !all)
				break;
			if (!timeout)
				return done ? done : -EAGAIN;
			timeout = rx_wait(c, timeout);
			continue;
		}
		n = min_t(size_t, b->len - c->cur_off, iov_iter_count(to));
		n = copy_to_iter(b->va + c->cur_off, n, to);
		c->cur_off += n;
		done += n;
		if (c->cur_off == b->len) {
			c->cur = NULL;
			rx_recycle(c, b);
		}
	}
	return done;
}

static int hrdma_recv_all(struct hd_chan *c, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter it;
	long rv;

	iov_iter_kvec(&it, ITER_DEST, &kv, 1, len);
	rv = rx_copy(c, &it, MAX_SCHEDULE_TIMEOUT, true);
	return rv == len ? 0 : rv < 0 ? rv : -ECONNRESET;
}

static int hrdma_recv_bvec(struct hd_chan *c, struct bio_vec *bv,
			   unsigned int nbv, size_t len)
{
	struct iov_iter it;
	long rv;

	iov_iter_bvec(&it, ITER_DEST, bv, nbv, len);
	rv = rx_copy(c, &it, MAX_SCHEDULE_TIMEOUT, true);
	return rv == len ? 0 : rv < 0 ? rv : -ECONNRESET;
}

static int hrdma_recv_some(struct hd_chan *c, void *buf, size_t len,
			   int timeout_ms)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter it;

	iov_iter_kvec(&it, ITER_DEST, &kv, 1, len);
	return rx_copy(c, &it, max(1UL, msecs_to_jiffies(timeout_ms)), false);
}

static void hrdma_shutdown(struct hd_chan *c)
{
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->shut = true;
	spin_unlock_irqrestore(&c->lock, flags);
	wake_up_all(&c->wq);
	rdma_disconnect(c->id);
}

static void hrdma_close(struct hd_chan *c)
{
	/* what was queued goes out first (a REFUSE before the close) */
	if (!READ_ONCE(c->shut) && READ_ONCE(c->state) == HRDMA_UP)
		wait_event_idle_timeout(c->wq,
					READ_ONCE(c->nr_tx_free) == HRDMA_TX &&
					!READ_ONCE(c->ctrl_inflight),
					msecs_to_jiffies(HRDMA_LINGER_MS));
	if (c->has_qp)
		chan_quiesce(c);
	chan_teardown(c);
	rdma_destroy_id(c->id);
	kfree(c);
}

static void hrdma_peer_name(struct hd_chan *c, char *buf, size_t len)
{
	strscpy(buf, c->peer, len);
}

/*
 * The name of the network device that has addr in net ("IFACE" for IPv6);
 * false when no device has an IPv4 addr.
 */
static bool addr_netdev(struct net *net, const struct sockaddr_storage *addr,
			char *name)
{
	struct net_device *dev;

	strscpy(name, "IFACE", IFNAMSIZ);
	if (addr->ss_family != AF_INET)
		return true;
	dev = ip_dev_find(net, ((struct sockaddr_in *)addr)->sin_addr.s_addr);
	if (!dev)
		return false;
	strscpy(name, dev->name, IFNAMSIZ);
	dev_put(dev);
	return true;
}

static bool hrdma_explain(struct net *net,
			  const struct sockaddr_storage *local,
			  const struct sockaddr_storage *peer, int err,
			  char *buf, size_t len)
{
	char ifname[IFNAMSIZ];

	switch (err) {
	case -ENODEV:
	case -EADDRNOTAVAIL:
		if (!addr_netdev(net, local, ifname))
			return false;	/* no such address: the generic text */
		snprintf(buf, len,
			 "transport rdma: no RDMA device has address %pISc: create one with 'rdma link add rxe0 type rxe netdev %s' (soft-RoCE), or use 'transport tcp;'",
			 local, ifname);
		return true;
	case -ECONNREFUSED:
		if (!peer)
			return false;
		snprintf(buf, len,
			 "transport rdma: %pISpc refused the RDMA connection: nothing accepts RDMA there (is the resource up on the peer, with 'transport rdma;'? A peer using TCP refuses RDMA)",
			 peer);
		return true;
	case -ETIMEDOUT:
	case -EHOSTUNREACH:
	case -ENETUNREACH:
		if (!peer)
			return false;
		snprintf(buf, len,
			 "transport rdma: no RDMA answer from %pISpc (%s): is the peer up with 'transport rdma;' and an RDMA device on that address?%s",
			 peer, err == -ETIMEDOUT ? "timed out" : "unreachable",
			 net_eq(net, &init_net) ? "" :
			 " (soft-RoCE in Linux 6.1 carries traffic only in the initial network namespace)");
		return true;
	case -EPROTO:
		if (!peer)
			return false;
		snprintf(buf, len,
			 "transport rdma: %pISpc answered, but not as a hadisk RDMA node of this version",
			 peer);
		return true;
	}
	return false;
}

static struct hd_transport_ops hrdma_ops = {
	.name = "rdma",
	.id = HADISK_TRANSPORT_RDMA,
	.owner = THIS_MODULE,
	.listen = hrdma_listen,
	.accept = hrdma_accept,
	.unlisten = hrdma_unlisten,
	.connect = hrdma_connect,
	.send = hrdma_send,
	.recv_all = hrdma_recv_all,
	.recv_bvec = hrdma_recv_bvec,
	.recv_some = hrdma_recv_some,
	.shutdown = hrdma_shutdown,
	.close = hrdma_close,
	.peer_name = hrdma_peer_name,
	.explain = hrdma_explain,
};

static int __init hrdma_init(void)
{
	return hd_transport_register(&hrdma_ops);
}

static void __exit hrdma_exit(void)
{
	hd_transport_unregister(&hrdma_ops);
}

module_init(hrdma_init);
module_exit(hrdma_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hadisk: the RDMA transport of the replication link");
