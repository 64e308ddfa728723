/* SPDX-License-Identifier: GPL-2.0 */
/* The request path: application IO on /dev/hadiskN (see req.c). */
#ifndef HD_REQ_H
#define HD_REQ_H

#include "resource.h"

/* Request state bits, under dev->req_lock. */
#define RQ_LOCAL	(1u << 0)	/* the local write is in flight */
#define RQ_NET_COMPLETE	(1u << 1)	/* the protocol's peer event is due */
#define RQ_NET_ACK	(1u << 2)	/* the peer's disk ack is due */
#define RQ_MASTER_DONE	(1u << 3)	/* the application's bio completed */

/* What ending the application's bio needs, taken under dev->req_lock. */
struct hd_req_fin {
	struct bio *master;
	blk_status_t status;
	u64 t_submit;
};

struct hd_req {
	struct hd_interval iv;		/* first: in dev->inflight */
	struct hd_device *dev;
	struct bio *master;
	bool al;			/* holds activity-log references */
	struct list_head done;		/* teardown batch, local use */
	u64 id;
	unsigned long start;		/* jiffies at submit */
	u64 t_submit, t_sent;		/* ktime_get_ns(), for stats.c */
	unsigned int state;
	bool local_failed;		/* not on the local disk (detach.c) */
	bool net_ok;			/* the peer has it, as the protocol
					 * promises (req_lock)
					 */
	int act;			/* teardown batch, local use */
	struct hd_req_fin fin;		/* teardown batch, local use */
	blk_status_t status;
	/*
	 * Last: the local write, a clone of master. The request is the
	 * front pad of this bio (dev->req_bs): one allocation for both,
	 * freed by the bio_put() that frees the request.
	 */
	struct bio bio;
};

void hd_submit_bio(struct bio *bio);
void hd_al_work_fn(struct work_struct *work);
void hd_interval_insert(struct hd_device *dev, struct hd_interval *iv);
void hd_interval_remove(struct hd_device *dev, struct hd_interval *iv);
void hd_req_peer_event(struct hd_device *dev, u64 id, unsigned int type,
		       unsigned int status);
void hd_req_fail_net(struct hd_device *dev);
void hd_io_freeze(struct hd_device *dev);
void hd_io_thaw(struct hd_device *dev);
unsigned long hd_req_oldest_unacked(struct hd_device *dev);
int hd_req_al_users(struct hd_device *dev);
void hd_bm_mark(struct hd_device *dev, sector_t sector, u32 size);
void hd_bm_mark_all(struct hd_device *dev);
u64 hd_bm_oos_bytes(struct hd_device *dev);
void hd_dev_bio_get(struct hd_device *dev);
void hd_dev_bio_put(struct hd_device *dev);

#endif /* HD_REQ_H */
