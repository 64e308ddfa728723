// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4, see siphash.h. Written from the paper's description; the
 * unit tests check it against the reference implementation's vectors.
 */
#include "siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND					\
	do {						\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0;	\
		v0 = ROTL(v0, 32);			\
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;	\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;	\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2;	\
		v2 = ROTL(v2, 32);			\
	} while (0)

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

uint64_t hd_siphash24(const uint8_t key[HD_SIPHASH_KEY_SIZE],
		      const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ull ^ k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ k0;
	uint64_t v3 = 0x7465646279746573ull ^ k1;
	uint64_t b = (uint64_t)len << 56, m;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(in + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	while (left--)
		b |= (uint64_t)in[i + left] << (8 * left);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}
