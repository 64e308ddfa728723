/* SPDX-License-Identifier: GPL-2.0 */
/* Reads served by the peer: READ_REQ and READ_REPLY (see remote.c). */
#ifndef HD_REMOTE_H
#define HD_REMOTE_H

#include "resource.h"

/*
 * A read waiting for the peer's READ_REPLY, in dev->rreads. done() is
 * called exactly once, with 0 or a negative errno, from any thread that
 * took it off the list (never under a lock).
 */
struct hd_rread {
	struct list_head list;
	u64 id;
	sector_t sector;
	u32 size;
	unsigned long start;		/* jiffies, for the ack-timeout */
	void (*done)(struct hd_rread *rr, int err);
	void *priv;
	unsigned int nbv;
	struct bio_vec bv[];		/* where the data goes */
};

bool hd_read_needs_peer(struct hd_device *dev, struct bio *bio);
void hd_read_remote(struct hd_device *dev, struct bio *bio);
int hd_rread_sync(struct hd_conn *conn, sector_t sector, u32 size,
		  struct page **pages, unsigned int nr);
void hd_rread_fail_all(struct hd_device *dev);
unsigned long hd_rread_oldest(struct hd_device *dev);
int hd_recv_read_reply(struct hd_conn *conn, u32 len, u32 digest);
int hd_serve_read(struct hd_conn *conn);

#endif /* HD_REMOTE_H */
