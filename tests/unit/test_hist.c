// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the latency histogram math (kernel/hist.c). */
#include "unit.h"
#include "hist.h"

static void test_buckets(void)
{
	CHECK_EQ(hd_hist_bucket(0), 0);
	CHECK_EQ(hd_hist_bucket(999), 0);	/* under 1 us */
	CHECK_EQ(hd_hist_bucket(1000), 1);	/* [1, 2) us */
	CHECK_EQ(hd_hist_bucket(1999), 1);
	CHECK_EQ(hd_hist_bucket(2000), 2);	/* [2, 4) us */
	CHECK_EQ(hd_hist_bucket(100000), 7);	/* 100 us: [64, 128) */
	CHECK_EQ(hd_hist_bucket(~0ull), HD_HIST_BUCKETS - 1);
	CHECK_EQ(hd_hist_bucket_limit_us(0), 1);
	CHECK_EQ(hd_hist_bucket_limit_us(7), 128);
	CHECK(hd_hist_bucket_limit_us(HD_HIST_BUCKETS - 1) == ~0ull);
}

static void test_percentiles(void)
{
	u64 b[HD_HIST_BUCKETS] = { 0 };

	CHECK_EQ(hd_hist_percentile_us(b, 50), 0);
	b[hd_hist_bucket(50000)] = 98;		/* 50 us: bucket [32, 64) */
	b[hd_hist_bucket(3000000)] = 2;		/* 3 ms: [2048, 4096) */
	CHECK_EQ(hd_hist_percentile_us(b, 50), 64);
	CHECK_EQ(hd_hist_percentile_us(b, 98), 64);
	CHECK_EQ(hd_hist_percentile_us(b, 99), 4096);
	CHECK_EQ(hd_hist_percentile_us(b, 100), 4096);
	CHECK_EQ(hd_hist_percentile_us(b, 0), 64);
}

int main(void)
{
	RUN(test_buckets);
	RUN(test_percentiles);
	return unit_exit();
}
