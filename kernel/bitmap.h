/* SPDX-License-Identifier: GPL-2.0 */
/* Out-of-sync bitmap math: one bit per 4 KiB block (pure logic). */
#ifndef HD_BITMAP_H
#define HD_BITMAP_H

#include "pure.h"

#define HD_BM_BLOCK_SHIFT	12
#define HD_BM_BLOCK_SIZE	(1u << HD_BM_BLOCK_SHIFT)
#define HD_BM_SECT_PER_BLOCK	(HD_BM_BLOCK_SIZE >> 9)

u64 hd_bm_blocks(u64 sectors);
size_t hd_bm_words(u64 nbits);
bool hd_bm_touched(u64 sector, u32 size, u64 *first, u64 *last);
bool hd_bm_covered(u64 sector, u32 size, u64 *first, u64 *last);
u64 hd_bm_set(unsigned long *bm, u64 first, u64 last);
u64 hd_bm_clear(unsigned long *bm, u64 first, u64 last);
bool hd_bm_test(const unsigned long *bm, u64 bit);
u64 hd_bm_find_next(const unsigned long *bm, u64 nbits, u64 start);
u64 hd_bm_run(const unsigned long *bm, u64 nbits, u64 start, u64 max);
u64 hd_bm_count(const unsigned long *bm, u64 nbits);

#endif /* HD_BITMAP_H */
