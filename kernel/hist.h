/* SPDX-License-Identifier: GPL-2.0 */
/* Log2 latency histograms (pure logic, see hist.c). */
#ifndef HD_HIST_H
#define HD_HIST_H

#include "pure.h"

/*
 * Bucket 0 counts latencies under 1 us; bucket i (1..HD_HIST_BUCKETS-2)
 * counts [2^(i-1), 2^i) us; the last bucket everything from 2^(N-2) us
 * (about 4.2 s) up.
 */
#define HD_HIST_BUCKETS 24

unsigned int hd_hist_bucket(u64 ns);
/* Upper bound of bucket i in us (the last: U64_MAX-like ~0). */
u64 hd_hist_bucket_limit_us(unsigned int i);
/*
 * The latency below which a fraction pct/100 of the counts lie, as the
 * upper bound of the bucket that reaches it, in us; 0 with no counts.
 */
u64 hd_hist_percentile_us(const u64 *buckets, unsigned int pct);

#endif /* HD_HIST_H */
