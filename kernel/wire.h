/* SPDX-License-Identifier: GPL-2.0 */
/* Encoding and checking of wire packets (pure logic, see wire.c). */
#ifndef HD_WIRE_CODEC_H
#define HD_WIRE_CODEC_H

#include "pure.h"
#include <hadisk/wire.h>

void hd_hdr_encode(struct hd_hdr *h, unsigned int type, u32 length);
int hd_hdr_decode(const struct hd_hdr *h, unsigned int *type, u32 *length,
		  const char **why);
bool hd_packet_on_meta(unsigned int type);
u32 hd_packet_body_len(unsigned int type);

void hd_hello_encode(struct hd_hello *w, const struct hd_hello_info *i);
int hd_hello_decode(const void *buf, size_t len, struct hd_hello_info *i,
		    const char **why);
int hd_hello_check(const struct hd_hello_info *local,
		   const struct hd_hello_info *peer, char *why, size_t len);

int hd_data_decode(const struct hd_data *w, u64 *id, u64 *sector, u32 *size,
		   u32 *flags, u64 dev_sectors, const char **why);
void hd_refuse_encode(struct hd_refuse *w, unsigned int code,
		      const char *text);
void hd_refuse_decode(const struct hd_refuse *w, unsigned int *code,
		      char *text, size_t len);

#endif /* HD_WIRE_CODEC_H */
