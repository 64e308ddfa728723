/* SPDX-License-Identifier: GPL-2.0 */
/* Per-device write latency histograms in debugfs (see stats.c). */
#ifndef HD_STATS_H
#define HD_STATS_H

#include <linux/atomic.h>
#include <linux/ktime.h>
#include "hist.h"

struct hd_device;
struct dentry;

enum hd_stage {
	HD_ST_LOCAL,		/* submit -> local disk done */
	HD_ST_PEER,		/* sent -> the peer's write ack (its disk) */
	HD_ST_AL,		/* submit -> activity-log update done (misses) */
	HD_ST_TOTAL,		/* submit -> the application's completion */
	HD_ST_NR
};

struct hd_stats {
	atomic64_t b[HD_ST_NR][HD_HIST_BUCKETS];
	atomic64_t sum_ns[HD_ST_NR];
	struct dentry *dir;
};

static inline void hd_stats_add(struct hd_stats *s, enum hd_stage st,
				u64 since_ns)
{
	u64 ns = ktime_get_ns() - since_ns;

	atomic64_inc(&s->b[st][hd_hist_bucket(ns)]);
	atomic64_add(ns, &s->sum_ns[st]);
}

int hd_stats_init(void);
void hd_stats_exit(void);
void hd_stats_register(struct hd_device *dev);
void hd_stats_unregister(struct hd_device *dev);

#endif /* HD_STATS_H */
