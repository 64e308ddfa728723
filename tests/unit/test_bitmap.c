// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the out-of-sync bitmap math (kernel/bitmap.c). */
#include <stdlib.h>
#include "unit.h"
#include "bitmap.h"

static void test_touched_and_covered(void)
{
	u64 f, l;

	CHECK(!hd_bm_touched(0, 0, &f, &l));
	CHECK(hd_bm_touched(0, 4096, &f, &l));
	CHECK_EQ(f, 0);
	CHECK_EQ(l, 0);
	/* 512 bytes in the middle of block 1 touch it but cover nothing */
	CHECK(hd_bm_touched(9, 512, &f, &l));
	CHECK_EQ(f, 1);
	CHECK_EQ(l, 1);
	CHECK(!hd_bm_covered(9, 512, &f, &l));
	/* sectors 4..20 (8 KiB) touch blocks 0..2, cover only block 1 */
	CHECK(hd_bm_touched(4, 8192, &f, &l));
	CHECK_EQ(f, 0);
	CHECK_EQ(l, 2);
	CHECK(hd_bm_covered(4, 8192, &f, &l) == false ||
	      (f == 1 && l == 1));
	CHECK(hd_bm_covered(8, 8192, &f, &l));
	CHECK_EQ(f, 1);
	CHECK_EQ(l, 2);
}

static void test_set_clear_count(void)
{
	u64 nbits = 1000;
	unsigned long *bm = calloc(hd_bm_words(nbits), sizeof(long));

	CHECK_EQ(hd_bm_set(bm, 3, 130), 128);
	CHECK_EQ(hd_bm_set(bm, 100, 200), 70);	/* 131..200 new */
	CHECK_EQ(hd_bm_count(bm, nbits), 198);
	CHECK_EQ(hd_bm_clear(bm, 0, 63), 61);
	CHECK_EQ(hd_bm_count(bm, nbits), 137);
	CHECK_EQ(hd_bm_find_next(bm, nbits, 0), 64);
	CHECK_EQ(hd_bm_run(bm, nbits, 64, 32), 32);
	CHECK_EQ(hd_bm_run(bm, nbits, 190, 32), 11);
	CHECK_EQ(hd_bm_find_next(bm, nbits, 201), nbits);
	CHECK_EQ(hd_bm_set(bm, 999, 999), 1);
	CHECK_EQ(hd_bm_find_next(bm, nbits, 201), 999);
	CHECK_EQ(hd_bm_clear(bm, 0, nbits - 1), 138);
	CHECK_EQ(hd_bm_count(bm, nbits), 0);
	free(bm);
}

/* Against a naive model, over random operations. */
static void test_random_model(void)
{
	u64 nbits = 777, i, first, last;
	unsigned long *bm = calloc(hd_bm_words(nbits), sizeof(long));
	unsigned char model[777] = { 0 };
	int round;

	srand(42);
	for (round = 0; round < 2000; round++) {
		u64 n = 0, want = 0;

		first = rand() % nbits;
		last = first + rand() % (nbits - first);
		if (rand() & 1) {
			for (i = first; i <= last; i++)
				want += !model[i], model[i] = 1;
			n = hd_bm_set(bm, first, last);
		} else {
			for (i = first; i <= last; i++)
				want += model[i], model[i] = 0;
			n = hd_bm_clear(bm, first, last);
		}
		CHECK_EQ(n, want);
	}
	for (i = 0, first = 0; i < nbits; i++) {
		CHECK_EQ(hd_bm_test(bm, i), model[i]);
		first += model[i];
	}
	CHECK_EQ(hd_bm_count(bm, nbits), first);
	free(bm);
}

int main(void)
{
	RUN(test_touched_and_covered);
	RUN(test_set_clear_count);
	RUN(test_random_model);
	return unit_exit();
}
