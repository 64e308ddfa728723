/* SPDX-License-Identifier: GPL-2.0 */
/* Sending on the replication link (see sender.c). */
#ifndef HD_SENDER_H
#define HD_SENDER_H

#include "resource.h"

struct hd_req;

/* An acknowledgement waiting to go out on the meta channel. */
struct hd_ack_item {
	struct llist_node node;
	u16 type;
	u64 id;
	u64 sector;
	u32 size;
	u32 status;
	void (*release)(struct hd_ack_item *item);
};

void hd_send_write(struct hd_conn *conn, struct hd_req *req);
int hd_send_data_packet(struct hd_conn *conn, unsigned int type,
			const void *body, u32 len);
int hd_send_meta_packet(struct hd_conn *conn, unsigned int type,
			const void *body, u32 len);
int hd_send_state(struct hd_conn *conn);
int hd_send_state_flags(struct hd_conn *conn, u32 flags);
int hd_send_ack_now(struct hd_conn *conn, unsigned int type, u64 id,
		    u64 sector, u32 size, u32 status);
void hd_queue_ack(struct hd_conn *conn, struct hd_ack_item *item);
void hd_flush_acks(struct hd_conn *conn);
void hd_ack_work_fn(struct work_struct *work);
void hd_drop_acks(struct hd_conn *conn);

#endif /* HD_SENDER_H */
