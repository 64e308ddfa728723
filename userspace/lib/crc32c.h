/* SPDX-License-Identifier: GPL-2.0 */
/* crc32c (Castagnoli) in software, for the metadata checksums. */
#ifndef HADISK_CRC32C_H
#define HADISK_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t hd_crc32c_update(uint32_t crc, const void *buf, size_t len);
/* Seed ~0, final ~0; the 4 bytes at offset hole count as zeros. */
uint32_t hd_crc32c_hole(const void *buf, size_t len, size_t hole);

#endif /* HADISK_CRC32C_H */
