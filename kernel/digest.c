// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet digest of replicated data (net { data-integrity-alg crc32c;
 * }): the sender puts the crc32c of a DATA or RS_DATA payload in the
 * packet header's digest field (struct hd_hdr, offset 12); the receiver
 * computes it over what arrived and drops the connection on a mismatch
 * (receiver.c): the write was not acknowledged, so the sender marked it
 * out of sync and the reconnection resyncs it. Through the kernel crypto
 * API ("crc32c", conn->csum_tfm).
 */
#include <crypto/hash.h>
#include <linux/highmem.h>
#include "digest.h"

u32 hd_digest_bvecs(struct crypto_shash *tfm, const struct bio_vec *bv,
		    unsigned int n, u32 len)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	unsigned int i;
	__le32 out = 0;

	desc->tfm = tfm;
	crypto_shash_init(desc);
	for (i = 0; i < n && len; i++) {
		u32 off = bv[i].bv_offset, left = min(bv[i].bv_len, len);

		len -= left;
		while (left) {
			struct page *pg = bv[i].bv_page + off / PAGE_SIZE;
			u32 o = off % PAGE_SIZE, k = min_t(u32, left,
							   PAGE_SIZE - o);
			void *p = kmap_local_page(pg);

			crypto_shash_update(desc, p + o, k);
			kunmap_local(p);
			off += k;
			left -= k;
		}
	}
	crypto_shash_final(desc, (u8 *)&out);
	shash_desc_zero(desc);
	return le32_to_cpu(out);
}
