/* SPDX-License-Identifier: GPL-2.0 */
/* Resync: bringing the peer's disk back in sync (see resync.c). */
#ifndef HD_RESYNC_H
#define HD_RESYNC_H

#include "resource.h"
#include <hadisk/wire.h>

void hd_resync_start(struct hd_conn *conn, bool full);
void hd_resync_stop(struct hd_conn *conn);
void hd_resync_cleanup(struct hd_conn *conn);
void hd_resync_ack(struct hd_conn *conn, u64 id, unsigned int type,
		   unsigned int status);
void hd_resync_target_start(struct hd_conn *conn, const struct hd_sync *s);
void hd_resync_target_done(struct hd_conn *conn, const struct hd_sync *s);
u64 hd_resync_rate(struct hd_conn *conn);
int hd_send_bitmap(struct hd_conn *conn);
int hd_recv_bitmap(struct hd_conn *conn, u32 len);

#endif /* HD_RESYNC_H */
