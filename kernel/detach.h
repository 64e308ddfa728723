/* SPDX-License-Identifier: GPL-2.0 */
/* Local disk failure: on-io-error, re-attach, pulling resync (detach.c). */
#ifndef HD_DETACH_H
#define HD_DETACH_H

#include "resource.h"

void hd_detach_init(struct hd_device *dev);
void hd_detach_flush(struct hd_device *dev);
bool hd_local_io_error(struct hd_device *dev, sector_t sector, u32 size);
void hd_retry_read(struct hd_device *dev, struct bio *master);
void hd_pull_start(struct hd_conn *conn);
bool hd_pull_wanted(struct hd_resource *res);
void hd_peer_diskless(struct hd_resource *res);
void hd_peer_pulled(struct hd_resource *res, u64 current_uuid);

#endif /* HD_DETACH_H */
