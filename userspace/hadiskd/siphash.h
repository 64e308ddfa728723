/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SipHash-2-4 (Aumasson and Bernstein), a keyed 64-bit MAC for short
 * messages: hadiskd's datagrams are authenticated with it when a key is
 * configured. Pure logic; checked against the reference vectors.
 */
#ifndef HADISKD_SIPHASH_H
#define HADISKD_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define HD_SIPHASH_KEY_SIZE 16

uint64_t hd_siphash24(const uint8_t key[HD_SIPHASH_KEY_SIZE],
		      const void *data, size_t len);

#endif /* HADISKD_SIPHASH_H */
