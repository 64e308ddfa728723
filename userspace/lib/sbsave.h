/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The file of a split-brain victim's discarded blocks ("save file"),
 * written by "hadiskctl save-discarded" before the resync overwrites
 * them, read by "hadiskctl discarded". Format (all integers little
 * endian; Documentation/on-disk-format.md has the same table):
 *
 *	offset	size	header, 512 bytes
 *	0	8	magic "HDSBSAVE"
 *	8	4	version, 1
 *	12	4	header size, 512
 *	16	4	block size, 4096
 *	20	4	flags, 0
 *	24	8	count: the number of blocks saved
 *	32	8	time the file was written, seconds since the epoch (UTC)
 *	40	8	this node's current data generation identifier
 *	48	8	the peer's current data generation identifier
 *	56	8	the data area's size in 4 KiB blocks
 *	64	64	resource name, NUL padded
 *	128	64	this node's name, NUL padded
 *	192	64	the peer's name, NUL padded
 *	256	240	the backing device's path, NUL padded
 *	496	12	reserved, 0
 *	508	4	crc32c of the 512 bytes, this field counted as 0
 *
 *	then count records of 4112 bytes, by ascending block number:
 *	0	8	block number (4 KiB blocks from the start of the data area)
 *	8	4	crc32c of the 4096 data bytes
 *	12	4	reserved, 0
 *	16	4096	the block's data as it was before the resync
 *
 *	then the trailer, 24 bytes:
 *	0	8	magic "HDSBTRLR"
 *	8	8	count, again
 *	16	4	crc32c of the 16-byte heads of every record, in order
 *	20	4	crc32c of the 24 bytes, this field counted as 0
 *
 * A complete file is exactly 512 + count * 4112 + 24 bytes: a file cut
 * short has no valid trailer. crc32c is Castagnoli's (seed ~0, final ~0,
 * "123456789" gives 0xe3069283).
 */
#ifndef HADISK_SBSAVE_H
#define HADISK_SBSAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HD_SBSAVE_MAGIC		"HDSBSAVE"
#define HD_SBSAVE_TRAILER_MAGIC	"HDSBTRLR"
#define HD_SBSAVE_VERSION	1
#define HD_SBSAVE_BLOCK		4096
#define HD_SBSAVE_NAME_MAX	64	/* including the NUL */
#define HD_SBSAVE_PATH_MAX	240	/* including the NUL */

struct hd_sbsave_header {
	uint8_t magic[8];
	uint32_t version;
	uint32_t header_size;
	uint32_t block_size;
	uint32_t flags;
	uint64_t count;
	uint64_t time;
	uint64_t current_uuid;
	uint64_t peer_current_uuid;
	uint64_t data_blocks;
	char resource[HD_SBSAVE_NAME_MAX];
	char node[HD_SBSAVE_NAME_MAX];
	char peer[HD_SBSAVE_NAME_MAX];
	char backing[HD_SBSAVE_PATH_MAX];
	uint32_t reserved[3];
	uint32_t crc;
};

/* A record's head; its 4096 data bytes follow. */
struct hd_sbsave_rec {
	uint64_t block;
	uint32_t crc;
	uint32_t reserved;
};

struct hd_sbsave_trailer {
	uint8_t magic[8];
	uint64_t count;
	uint32_t heads_crc;
	uint32_t crc;
};

_Static_assert(sizeof(struct hd_sbsave_header) == 512,
	       "sbsave.h: the header is 512 bytes");
_Static_assert(__builtin_offsetof(struct hd_sbsave_header, resource) == 64 &&
	       __builtin_offsetof(struct hd_sbsave_header, backing) == 256 &&
	       __builtin_offsetof(struct hd_sbsave_header, crc) == 508,
	       "sbsave.h: header offsets as documented");
_Static_assert(sizeof(struct hd_sbsave_rec) == 16,
	       "sbsave.h: a record head is 16 bytes");
_Static_assert(sizeof(struct hd_sbsave_trailer) == 24,
	       "sbsave.h: the trailer is 24 bytes");

#define HD_SBSAVE_REC_SIZE (sizeof(struct hd_sbsave_rec) + HD_SBSAVE_BLOCK)

/* What the header says, decoded (host order, NUL-terminated strings). */
struct hd_sbsave_info {
	uint64_t count;
	uint64_t time;
	uint64_t current_uuid;
	uint64_t peer_current_uuid;
	uint64_t data_blocks;
	char resource[HD_SBSAVE_NAME_MAX];
	char node[HD_SBSAVE_NAME_MAX];
	char peer[HD_SBSAVE_NAME_MAX];
	char backing[HD_SBSAVE_PATH_MAX];
};

/* crc32c of len bytes (seed ~0, final ~0). */
uint32_t hd_sbsave_crc(const void *buf, size_t len);

/* The size of a complete file of count blocks. */
uint64_t hd_sbsave_file_size(uint64_t count);

/*
 * Encodes i into h (strings too long are cut, always NUL-terminated).
 * Decoding returns 0, or -1 with *why saying what is wrong.
 */
void hd_sbsave_header_encode(struct hd_sbsave_header *h,
			     const struct hd_sbsave_info *i);
int hd_sbsave_header_decode(const struct hd_sbsave_header *h,
			    struct hd_sbsave_info *i, const char **why);

/* A record's head for block number block and its data. */
void hd_sbsave_rec_encode(struct hd_sbsave_rec *r, uint64_t block,
			  const void *data);
/*
 * Checks a record: its data's crc, and that its block number is above
 * prev (when not the first) and below data_blocks (when that is not 0).
 */
int hd_sbsave_rec_check(const struct hd_sbsave_rec *r, const void *data,
			bool first, uint64_t prev, uint64_t data_blocks,
			const char **why);

void hd_sbsave_trailer_encode(struct hd_sbsave_trailer *t, uint64_t count,
			      uint32_t heads_crc);
int hd_sbsave_trailer_check(const struct hd_sbsave_trailer *t,
			    uint64_t count, uint32_t heads_crc,
			    const char **why);

/*
 * Writing a save file to fd, as a stream: begin with the header (i->count
 * blocks will follow), one call per block in ascending order, end with the
 * trailer. Each returns 0, or a negative errno with a message in err;
 * end also refuses unless exactly i->count blocks were added.
 */
struct hd_sbsave_writer {
	int fd;
	uint64_t count;		/* announced */
	uint64_t added;
	uint64_t last;
	uint64_t data_blocks;
	uint32_t heads_crc;	/* running, seed ~0 */
	uint64_t off;
	char *buf;		/* buffered output */
	size_t len;
};

int hd_sbsave_write_begin(struct hd_sbsave_writer *w, int fd,
			  const struct hd_sbsave_info *i, char *err,
			  size_t err_size);
int hd_sbsave_write_block(struct hd_sbsave_writer *w, uint64_t block,
			  const void *data, char *err, size_t err_size);
int hd_sbsave_write_end(struct hd_sbsave_writer *w, char *err,
			size_t err_size);
/* Frees the writer's buffer (after end, or to give up). */
void hd_sbsave_write_free(struct hd_sbsave_writer *w);

/*
 * Reading a save file from fd: open reads and checks the header and the
 * file's size; next gives the blocks in order, each checked, and returns
 * 1 for a block, 0 at the end (after checking the trailer), or a negative
 * errno with a message in err.
 */
struct hd_sbsave_reader {
	int fd;
	struct hd_sbsave_info info;
	uint64_t done;
	uint64_t last;
	uint32_t heads_crc;
	uint64_t off;
};

int hd_sbsave_read_open(struct hd_sbsave_reader *r, int fd, const char *path,
			char *err, size_t err_size);
int hd_sbsave_read_next(struct hd_sbsave_reader *r, uint64_t *block,
			void *data, char *err, size_t err_size);

#endif /* HADISK_SBSAVE_H */
