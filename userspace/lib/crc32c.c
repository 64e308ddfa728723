// SPDX-License-Identifier: GPL-2.0
/*
 * crc32c (Castagnoli, reflected polynomial 0x82F63B78), table driven. The
 * kernel computes the same checksum through its crypto API; the metadata
 * format (include/hadisk/ondisk.h) depends on both agreeing, which the
 * unit tests check against the standard test vector.
 */
#include "crc32c.h"

static uint32_t table[256];

static void init_table(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		table[i] = c;
	}
}

uint32_t hd_crc32c_update(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (!table[1])
		init_table();
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

uint32_t hd_crc32c_hole(const void *buf, size_t len, size_t hole)
{
	static const unsigned char zero[4];
	const unsigned char *p = buf;
	uint32_t crc = ~0u;

	crc = hd_crc32c_update(crc, p, hole);
	crc = hd_crc32c_update(crc, zero, 4);
	crc = hd_crc32c_update(crc, p + hole + 4, len - hole - 4);
	return ~crc;
}
