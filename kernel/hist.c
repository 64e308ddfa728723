// SPDX-License-Identifier: GPL-2.0
/*
 * Log2 latency histograms: the bucket of a latency and percentiles read
 * from the buckets. Pure logic, built in the module (stats.c) and in the
 * userspace unit tests.
 */
#include "hist.h"

static unsigned int fls_u64(u64 x)
{
	unsigned int n = 0;

	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

unsigned int hd_hist_bucket(u64 ns)
{
	unsigned int b = fls_u64(ns / 1000);

	return b < HD_HIST_BUCKETS ? b : HD_HIST_BUCKETS - 1;
}

u64 hd_hist_bucket_limit_us(unsigned int i)
{
	if (i >= HD_HIST_BUCKETS - 1)
		return ~0ull;
	return 1ull << i;
}

u64 hd_hist_percentile_us(const u64 *buckets, unsigned int pct)
{
	u64 total = 0, want, seen = 0;
	unsigned int i;

	for (i = 0; i < HD_HIST_BUCKETS; i++)
		total += buckets[i];
	if (!total)
		return 0;
	/* the smallest count that covers pct percent, at least 1 */
	want = (total * pct + 99) / 100;
	if (!want)
		want = 1;
	for (i = 0; i < HD_HIST_BUCKETS; i++) {
		seen += buckets[i];
		if (seen >= want)
			return hd_hist_bucket_limit_us(i);
	}
	return hd_hist_bucket_limit_us(HD_HIST_BUCKETS - 1);
}
