// SPDX-License-Identifier: GPL-2.0
/*
 * Access to a hadisk metadata area for the offline tools, see mdev.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crc32c.h"
#include "mdev.h"

#define CHUNK (1024 * 1024)	/* bitmap and zeroing IO size */

u32 hd_mdev_crc(const void *buf, size_t len, size_t hole)
{
	return hd_crc32c_hole(buf, len, hole);
}

static void open_error(const char *path, bool write, int e, char *err,
		       size_t size)
{
	switch (e) {
	case ENOENT:
		snprintf(err, size, "%s does not exist", path);
		break;
	case EBUSY:
		snprintf(err, size,
			 "%s is in use: attached to a hadisk resource, mounted, or held by another program (LVM, MD RAID, ...); take it out of use first ('hadiskctl down RES', umount)",
			 path);
		break;
	case EACCES:
	case EPERM:
		snprintf(err, size,
			 "cannot open %s%s: %s (opening disks needs root)",
			 path, write ? " for writing" : "", strerror(e));
		break;
	default:
		snprintf(err, size, "cannot open %s%s: %s", path,
			 write ? " for writing" : "", strerror(e));
	}
}

/* Opens one device or file and finds its size. */
static int open_one(const char *path, bool write, int *fd, uint64_t *bytes,
		    char *err, size_t size)
{
	struct stat st;
	int e;

	*fd = open(path, (write ? O_RDWR : O_RDONLY) | O_EXCL | O_CLOEXEC);
	if (*fd < 0) {
		e = errno;
		open_error(path, write, e, err, size);
		return -e;
	}
	if (fstat(*fd, &st)) {
		e = errno;
		snprintf(err, size, "cannot stat %s: %s", path, strerror(e));
		goto fail;
	}
	if (S_ISREG(st.st_mode)) {
		*bytes = (uint64_t)st.st_size;
	} else if (S_ISBLK(st.st_mode)) {
		if (ioctl(*fd, BLKGETSIZE64, bytes)) {
			e = errno;
			snprintf(err, size, "cannot read the size of %s: %s",
				 path, strerror(e));
			goto fail;
		}
	} else {
		e = ENODEV;
		snprintf(err, size,
			 "%s is neither a block device nor a regular file",
			 path);
		goto fail;
	}
	return 0;

fail:
	close(*fd);
	*fd = -1;
	return -e;
}

/* True when a and b name the same device or file. */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) || stat(b, &sb))
		return false;
	if (S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode))
		return sa.st_rdev == sb.st_rdev;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int hd_mdev_open(struct hd_mdev *d, const char *data, const char *meta,
		 bool write, char *err, size_t err_size)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->data_fd = -1;
	d->md_fd = -1;
	d->data_path = data;
	d->md_path = meta ? meta : data;
	d->internal = !meta;
	/* an exclusive open of the same device twice would say "in use" */
	if (meta && same_file(data, meta)) {
		snprintf(err, err_size,
			 "the metadata device %s is the data device %s itself: use internal metadata",
			 meta, data);
		return -EINVAL;
	}
	ret = open_one(data, write, &d->data_fd, &d->data_dev_bytes, err,
		       err_size);
	if (ret)
		return ret;
	if (meta) {
		ret = open_one(meta, write, &d->md_fd, &d->md_dev_bytes, err,
			       err_size);
		if (ret) {
			hd_mdev_close(d);
			return ret;
		}
	} else {
		d->md_fd = d->data_fd;
		d->md_dev_bytes = d->data_dev_bytes;
	}
	if (d->md_dev_bytes < 2 * HD_MD_BLOCK) {
		snprintf(err, err_size,
			 "%s is too small to hold hadisk metadata (%llu bytes)",
			 d->md_path, (unsigned long long)d->md_dev_bytes);
		hd_mdev_close(d);
		return -ENOSPC;
	}
	return 0;
}

void hd_mdev_close(struct hd_mdev *d)
{
	if (d->md_fd >= 0 && d->md_fd != d->data_fd)
		close(d->md_fd);
	if (d->data_fd >= 0)
		close(d->data_fd);
	d->md_fd = -1;
	d->data_fd = -1;
}

int hd_mdev_read(const struct hd_mdev *d, void *buf, size_t len,
		 uint64_t off, char *err, size_t err_size)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = pread(d->md_fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			snprintf(err, err_size,
				 "cannot read %s at offset %llu: %s",
				 d->md_path, (unsigned long long)off,
				 n < 0 ? strerror(e) : "it ends there");
			return -e;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int hd_mdev_write(const struct hd_mdev *d, const void *buf, size_t len,
		  uint64_t off, char *err, size_t err_size)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(d->md_fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			snprintf(err, err_size,
				 "cannot write %s at offset %llu: %s",
				 d->md_path, (unsigned long long)off,
				 strerror(e));
			return -e;
		}
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int hd_mdev_zero(const struct hd_mdev *d, uint64_t off, uint64_t len,
		 char *err, size_t err_size)
{
	char *zero = calloc(1, CHUNK);
	size_t n;
	int ret = 0;

	if (!zero) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	while (len && !ret) {
		n = len < CHUNK ? (size_t)len : CHUNK;
		ret = hd_mdev_write(d, zero, n, off, err, err_size);
		off += n;
		len -= n;
	}
	free(zero);
	return ret;
}

int hd_mdev_sync(const struct hd_mdev *d, char *err, size_t err_size)
{
	int e;

	if (!fsync(d->md_fd))
		return 0;
	e = errno;
	snprintf(err, err_size, "cannot flush %s to stable storage: %s",
		 d->md_path, strerror(e));
	return -e;
}

uint64_t hd_mdev_sb_offset(const struct hd_mdev *d)
{
	return hd_md_sb_offset(d->md_dev_bytes);
}

int hd_mdev_read_super(const struct hd_mdev *d, struct hd_md_info *i,
		       int *code, const char **why, char *err,
		       size_t err_size)
{
	union {
		struct hd_md_super sb;
		char block[HD_MD_BLOCK];
	} u;
	int ret;

	ret = hd_mdev_read(d, &u, sizeof(u), hd_mdev_sb_offset(d), err,
			   err_size);
	if (ret)
		return ret;
	*code = hd_md_super_decode(&u.sb, d->md_dev_bytes, i, hd_mdev_crc,
				   why);
	if (*code)
		return 1;
	/*
	 * The codec's layout checks wrap around with a crafted bitmap size;
	 * the metadata must fit the device before anything else is read.
	 */
	if (i->l.md_bytes > d->md_dev_bytes ||
	    i->l.bm_bytes > i->l.al_offset ||
	    i->l.bm_offset > i->l.al_offset) {
		*code = -EUCLEAN;
		*why = "the superblock's layout does not fit this device (was the device resized?)";
		return 1;
	}
	return 0;
}

int hd_mdev_write_super(const struct hd_mdev *d, const struct hd_md_info *i,
			char *err, size_t err_size)
{
	union {
		struct hd_md_super sb;
		char block[HD_MD_BLOCK];
	} u;

	memset(&u, 0, sizeof(u));
	hd_md_super_encode(&u.sb, i, hd_mdev_crc);
	return hd_mdev_write(d, &u, sizeof(u), i->l.sb_offset, err,
			     err_size);
}

int hd_mdev_read_al(const struct hd_mdev *d, const struct hd_md_info *i,
		    struct hd_md_al_tx **ring, char *err, size_t err_size)
{
	size_t len = (size_t)i->l.al_slots * sizeof(**ring);
	int ret;

	*ring = malloc(len);
	if (!*ring) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	ret = hd_mdev_read(d, *ring, len, i->l.al_offset, err, err_size);
	if (ret) {
		free(*ring);
		*ring = NULL;
	}
	return ret;
}

uint64_t hd_md_data_blocks(const struct hd_md_info *i)
{
	return (i->l.data_sectors + 7) / 8;
}

int hd_mdev_bm_count(const struct hd_mdev *d, const struct hd_md_info *i,
		     uint64_t *bits, char *err, size_t err_size)
{
	uint64_t nbits = hd_md_data_blocks(i), bytes = (nbits + 7) / 8, off;
	unsigned char *buf = malloc(CHUNK);
	size_t n, k;
	int ret = 0;

	if (!buf) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	*bits = 0;
	for (off = 0; off < bytes && !ret; off += n) {
		n = bytes - off < CHUNK ? (size_t)(bytes - off) : CHUNK;
		ret = hd_mdev_read(d, buf, n, i->l.bm_offset + off, err,
				   err_size);
		if (ret)
			break;
		/* bits past the end of the data area mean nothing */
		if (off + n == bytes && nbits % 8)
			buf[n - 1] &= (unsigned char)((1u << (nbits % 8)) - 1);
		for (k = 0; k < n; k++)
			*bits += (uint64_t)__builtin_popcount(buf[k]);
	}
	free(buf);
	return ret;
}

int hd_mdev_bm_mark(const struct hd_mdev *d, const struct hd_md_info *i,
		    uint64_t first, uint64_t last, uint64_t *newly,
		    char *err, size_t err_size)
{
	uint64_t b, lo = first / 8, len = last / 8 - lo + 1;
	unsigned char *buf;
	int ret;

	*newly = 0;
	if (first > last || last >= hd_md_data_blocks(i)) {
		snprintf(err, err_size,
			 "blocks %llu..%llu are outside the data area",
			 (unsigned long long)first, (unsigned long long)last);
		return -ERANGE;
	}
	buf = malloc((size_t)len);
	if (!buf) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	ret = hd_mdev_read(d, buf, (size_t)len, i->l.bm_offset + lo, err,
			   err_size);
	if (ret)
		goto out;
	for (b = first; b <= last; b++) {
		unsigned char *byte = &buf[b / 8 - lo];
		unsigned char mask = (unsigned char)(1u << (b % 8));

		if (!(*byte & mask)) {
			*byte |= mask;
			(*newly)++;
		}
	}
	if (*newly)
		ret = hd_mdev_write(d, buf, (size_t)len, i->l.bm_offset + lo,
				    err, err_size);
out:
	free(buf);
	return ret;
}
