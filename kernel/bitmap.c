// SPDX-License-Identifier: GPL-2.0
/*
 * Out-of-sync bitmap math. One bit per 4 KiB block of the device; a set bit
 * means the peer may hold different data for that block. Pure logic on a
 * caller-owned array of unsigned long; the caller provides the locking
 * (kernel/req.c: dev->req_lock). Ranges are inclusive [first, last].
 *
 * A write that may have missed the peer marks every block it touches; a
 * write known to be on the peer clears only the blocks it covers entirely.
 */
#include "bitmap.h"

u64 hd_bm_blocks(u64 sectors)
{
	return (sectors + HD_BM_SECT_PER_BLOCK - 1) / HD_BM_SECT_PER_BLOCK;
}

size_t hd_bm_words(u64 nbits)
{
	return (size_t)((nbits + BITS_PER_LONG - 1) / BITS_PER_LONG);
}

/* Blocks touched by [sector, sector + size). False for size 0. */
bool hd_bm_touched(u64 sector, u32 size, u64 *first, u64 *last)
{
	if (!size)
		return false;
	*first = sector / HD_BM_SECT_PER_BLOCK;
	*last = (sector + (size >> 9) - 1) / HD_BM_SECT_PER_BLOCK;
	return true;
}

/* Blocks entirely covered by [sector, sector + size). False if none. */
bool hd_bm_covered(u64 sector, u32 size, u64 *first, u64 *last)
{
	u64 end = sector + (size >> 9);
	u64 f = (sector + HD_BM_SECT_PER_BLOCK - 1) / HD_BM_SECT_PER_BLOCK;
	u64 e = end / HD_BM_SECT_PER_BLOCK;

	if (!size || e <= f)
		return false;
	*first = f;
	*last = e - 1;
	return true;
}

static unsigned long range_mask(u64 word, u64 first, u64 last)
{
	u64 lo = word * BITS_PER_LONG, hi = lo + BITS_PER_LONG - 1;
	unsigned int from = first > lo ? (unsigned int)(first - lo) : 0;
	unsigned int to = last < hi ? (unsigned int)(last - lo) : BITS_PER_LONG - 1;
	unsigned long m = ~0UL << from;

	if (to < BITS_PER_LONG - 1)
		m &= ~0UL >> (BITS_PER_LONG - 1 - to);
	return m;
}

/* Set [first, last]; returns how many bits were newly set. */
u64 hd_bm_set(unsigned long *bm, u64 first, u64 last)
{
	u64 w, n = 0;

	for (w = first / BITS_PER_LONG; w <= last / BITS_PER_LONG; w++) {
		unsigned long m = range_mask(w, first, last);

		n += hweight_long(m & ~bm[w]);
		bm[w] |= m;
	}
	return n;
}

/* Clear [first, last]; returns how many bits were newly cleared. */
u64 hd_bm_clear(unsigned long *bm, u64 first, u64 last)
{
	u64 w, n = 0;

	for (w = first / BITS_PER_LONG; w <= last / BITS_PER_LONG; w++) {
		unsigned long m = range_mask(w, first, last);

		n += hweight_long(m & bm[w]);
		bm[w] &= ~m;
	}
	return n;
}

bool hd_bm_test(const unsigned long *bm, u64 bit)
{
	return (bm[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

/* First set bit at or after start, or nbits if none. */
u64 hd_bm_find_next(const unsigned long *bm, u64 nbits, u64 start)
{
	u64 w;
	unsigned long v;

	if (start >= nbits)
		return nbits;
	w = start / BITS_PER_LONG;
	v = bm[w] & (~0UL << (start % BITS_PER_LONG));
	for (;;) {
		if (v) {
			u64 bit = w * BITS_PER_LONG + __builtin_ctzl(v);

			return bit < nbits ? bit : nbits;
		}
		if (++w >= hd_bm_words(nbits))
			return nbits;
		v = bm[w];
	}
}

/* Length of the run of set bits starting at start, at most max. */
u64 hd_bm_run(const unsigned long *bm, u64 nbits, u64 start, u64 max)
{
	u64 n = 0;

	while (start + n < nbits && n < max && hd_bm_test(bm, start + n))
		n++;
	return n;
}

u64 hd_bm_count(const unsigned long *bm, u64 nbits)
{
	u64 w, n = 0;

	for (w = 0; w < hd_bm_words(nbits); w++) {
		unsigned long v = bm[w];

		if ((w + 1) * BITS_PER_LONG > nbits)
			v &= range_mask(w, w * BITS_PER_LONG, nbits - 1);
		n += hweight_long(v);
	}
	return n;
}
