/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The offline metadata tools' access to a hadisk metadata area (format in
 * include/hadisk/ondisk.h, codec in kernel/meta_fmt.c, built into
 * libhadisk): opening the data device and the metadata device (or plain
 * image files) exclusively, and reading and writing the superblock, the
 * activity-log ring and the bitmap with pread and pwrite.
 *
 * A block device is opened with O_EXCL, so one that is attached to a
 * hadisk resource, mounted or held by LVM or MD RAID is refused (EBUSY).
 * Functions return 0 or a negative errno; those whose failure needs
 * explaining put a message naming the device in err.
 */
#ifndef HADISK_MDEV_H
#define HADISK_MDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meta_fmt.h"

struct hd_mdev {
	const char *data_path;	/* the data device or file, as given */
	const char *md_path;	/* the metadata's: data_path when internal */
	bool internal;
	int data_fd;		/* the same as md_fd when internal */
	int md_fd;
	uint64_t data_dev_bytes;
	uint64_t md_dev_bytes;
};

/* crc32c as the codec wants it (hd_crc_fn). */
u32 hd_mdev_crc(const void *buf, size_t len, size_t hole);

/*
 * Opens data (and meta, the metadata device; NULL for internal metadata)
 * read-only or read-write, exclusively. The paths must outlive d.
 */
int hd_mdev_open(struct hd_mdev *d, const char *data, const char *meta,
		 bool write, char *err, size_t err_size);
void hd_mdev_close(struct hd_mdev *d);

/* Reads or writes exactly len bytes at off of the metadata device. */
int hd_mdev_read(const struct hd_mdev *d, void *buf, size_t len,
		 uint64_t off, char *err, size_t err_size);
int hd_mdev_write(const struct hd_mdev *d, const void *buf, size_t len,
		  uint64_t off, char *err, size_t err_size);
/* Writes len zero bytes at off. */
int hd_mdev_zero(const struct hd_mdev *d, uint64_t off, uint64_t len,
		 char *err, size_t err_size);
/* fsync of the metadata device: what was written is on stable storage. */
int hd_mdev_sync(const struct hd_mdev *d, char *err, size_t err_size);

/* Where the superblock of this metadata device is. */
uint64_t hd_mdev_sb_offset(const struct hd_mdev *d);

/*
 * Reads the superblock and decodes it into i. Returns 0 for a valid one;
 * 1 when there is none or it is not valid (*why says what is wrong,
 * *code is hd_md_super_decode()'s error: -ENOENT for a bad magic,
 * -EPROTO, -EBADMSG or -EUCLEAN); a negative errno when it cannot be
 * read.
 */
int hd_mdev_read_super(const struct hd_mdev *d, struct hd_md_info *i,
		       int *code, const char **why, char *err,
		       size_t err_size);

/* Encodes i into a zero-padded 4 KiB block and writes it. */
int hd_mdev_write_super(const struct hd_mdev *d, const struct hd_md_info *i,
			char *err, size_t err_size);

/* The activity-log ring of i: i->l.al_slots transactions, malloc()ed. */
int hd_mdev_read_al(const struct hd_mdev *d, const struct hd_md_info *i,
		    struct hd_md_al_tx **ring, char *err, size_t err_size);

/* The number of 4 KiB blocks of i's data area: bits of the bitmap used. */
uint64_t hd_md_data_blocks(const struct hd_md_info *i);

/* The set bits of the bitmap, of the data area's blocks only. */
int hd_mdev_bm_count(const struct hd_mdev *d, const struct hd_md_info *i,
		     uint64_t *bits, char *err, size_t err_size);

/*
 * Sets the bits of blocks first..last (inclusive, below
 * hd_md_data_blocks()) in the on-disk bitmap; *newly counts the bits
 * that were clear.
 */
int hd_mdev_bm_mark(const struct hd_mdev *d, const struct hd_md_info *i,
		    uint64_t first, uint64_t last, uint64_t *newly,
		    char *err, size_t err_size);

#endif /* HADISK_MDEV_H */
