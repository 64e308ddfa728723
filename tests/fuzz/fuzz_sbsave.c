// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the split-brain save file reader
 * (userspace/lib/sbsave.c), as "hadiskctl discarded FILE [--restore]"
 * uses it: hd_sbsave_read_open() and hd_sbsave_read_next() to the end,
 * on the fuzz bytes as the file (a memfd), and hd_sbsave_header_decode()
 * on its first 512 bytes directly.
 *
 * Input: byte 0 flags: bit 0 give the header its correct crc, bit 1 give
 * each record's data its correct crc, bit 2 give the trailer its correct
 * crcs (so that the checks behind them are reached); the rest is the
 * file. Records hold 4 KiB each: with bit 1 the fuzzer may give a record
 * as its 16-byte head alone, the harness pads the data with zeros.
 *
 * Checks: the reader gives blocks in strictly ascending order, below the
 * data area's size, never more than the header's count, and reaches its
 * end only after exactly count blocks; a refusal says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crc32c.h"
#include "sbsave.h"

#define REC HD_SBSAVE_REC_SIZE
#define HDR sizeof(struct hd_sbsave_header)
#define TRL sizeof(struct hd_sbsave_trailer)

/* Builds the file: header, records (padded to 4 KiB of data), trailer. */
static uint8_t *build(const uint8_t *in, size_t n, uint8_t flags,
		      size_t *len)
{
	struct hd_sbsave_header *h;
	struct hd_sbsave_rec *r;
	struct hd_sbsave_trailer *t;
	uint8_t *f;
	size_t off, k, nrec = 0, total;
	uint32_t heads = ~0u;

	if (!(flags & 2)) {
		f = malloc(n ? n : 1);
		memcpy(f, in, n);
		*len = n;
		if ((flags & 1) && n >= HDR) {
			h = (void *)f;
			h->crc = 0;
			h->crc = htole32(hd_sbsave_crc(h, HDR));
		}
		return f;
	}
	/* header, then each 16-byte head of the input gets its 4 KiB */
	nrec = n < HDR ? 0 : (n - HDR) / (sizeof(*r) + 16);
	if (nrec > 64)
		nrec = 64;
	total = HDR + nrec * REC + TRL;
	f = calloc(1, total);
	memcpy(f, in, n < HDR ? n : HDR);
	h = (void *)f;
	h->count = htole64(nrec);
	h->crc = 0;
	h->crc = htole32(hd_sbsave_crc(h, HDR));
	off = HDR;
	for (k = 0; k < nrec; k++) {
		const uint8_t *src = in + HDR + k * (sizeof(*r) + 16);

		r = (void *)(f + off);
		memcpy(r, src, sizeof(*r));
		/* 16 bytes of data, repeated */
		for (size_t d = 0; d < HD_SBSAVE_BLOCK; d += 16)
			memcpy(f + off + sizeof(*r) + d, src + sizeof(*r), 16);
		r->crc = htole32(hd_sbsave_crc(f + off + sizeof(*r),
						    HD_SBSAVE_BLOCK));
		heads = hd_crc32c_update(heads, r, sizeof(*r));
		off += REC;
	}
	t = (void *)(f + off);
	if (flags & 4) {
		hd_sbsave_trailer_encode(t, nrec, ~heads);
	} else if (n >= HDR + nrec * (sizeof(*r) + 16) + TRL) {
		memcpy(t, in + HDR + nrec * (sizeof(*r) + 16), TRL);
	}
	*len = total;
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_sbsave_reader rd;
	struct hd_sbsave_info info;
	uint8_t *file, *block;
	const char *why = NULL;
	char err[512];
	uint64_t bn, prev = 0, n = 0;
	size_t len;
	int fd, r;

	if (size < 1 || size > 1024 * 1024)
		return 0;
	file = build(data + 1, size - 1, data[0], &len);
	if (len >= HDR) {
		struct hd_sbsave_header *h = malloc(HDR);

		memcpy(h, file, HDR);
		if (hd_sbsave_header_decode(h, &info, &why) && !why)
			abort();
		free(h);
	}
	fd = memfd_create("fuzz-sbsave", 0);
	if (fd < 0)
		abort();
	if (len && write(fd, file, len) != (ssize_t)len)
		abort();
	block = malloc(HD_SBSAVE_BLOCK);
	memset(&rd, 0, sizeof(rd));
	err[0] = 0;
	r = hd_sbsave_read_open(&rd, fd, "fuzz.hdsave", err, sizeof(err));
	if (r) {
		if (r > 0 || !err[0])
			abort();
	} else {
		while ((r = hd_sbsave_read_next(&rd, &bn, block, err,
						sizeof(err))) == 1) {
			if ((n && bn <= prev) || n >= rd.info.count ||
			    (rd.info.data_blocks && bn >= rd.info.data_blocks))
				abort();
			prev = bn;
			n++;
		}
		if (r == 0 && n != rd.info.count)
			abort();
		if (r < 0 && !err[0])
			abort();
	}
	free(block);
	close(fd);
	free(file);
	return 0;
}
