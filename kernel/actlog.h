/* SPDX-License-Identifier: GPL-2.0 */
/* The activity log (see actlog.c). */
#ifndef HD_ACTLOG_H
#define HD_ACTLOG_H

#include "resource.h"

struct hd_al;

struct hd_al *hd_al_create(u32 max, u64 seq);
void hd_al_destroy(struct hd_al *al);
bool hd_al_begin_fast(struct hd_al *al, sector_t sector, u32 size);
int hd_al_begin_slow(struct hd_al *al, struct hd_device *dev,
		     sector_t sector, u32 size);
void hd_al_end(struct hd_al *al, sector_t sector, u32 size);
int hd_al_clear(struct hd_al *al, struct hd_device *dev);
void hd_al_stats(struct hd_al *al, u32 *active, u64 *writes);

#endif /* HD_ACTLOG_H */
