// SPDX-License-Identifier: GPL-2.0
/*
 * The save file of a split-brain victim's discarded blocks: encoding,
 * decoding and checking (format in sbsave.h), and streaming writer and
 * reader over a file descriptor. Nothing here knows about devices.
 */
#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32c.h"
#include "sbsave.h"
#include "util.h"

#define WBUF_SIZE	(256 * HD_SBSAVE_REC_SIZE)	/* about 1 MiB */

uint32_t hd_sbsave_crc(const void *buf, size_t len)
{
	return ~hd_crc32c_update(~0u, buf, len);
}

uint64_t hd_sbsave_file_size(uint64_t count)
{
	return sizeof(struct hd_sbsave_header) + count * HD_SBSAVE_REC_SIZE +
	       sizeof(struct hd_sbsave_trailer);
}

/* A NUL-padded field: the string cut to fit, the rest zero. */
static void put_str(char *dst, size_t size, const char *src)
{
	memset(dst, 0, size);
	hd_strlcpy(dst, src, size);
}

/* A field read back; false if it has no NUL. */
static bool get_str(char *dst, const char *src, size_t size)
{
	if (!memchr(src, '\0', size))
		return false;
	memcpy(dst, src, size);
	return true;
}

void hd_sbsave_header_encode(struct hd_sbsave_header *h,
			     const struct hd_sbsave_info *i)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, HD_SBSAVE_MAGIC, sizeof(h->magic));
	h->version = htole32(HD_SBSAVE_VERSION);
	h->header_size = htole32(sizeof(*h));
	h->block_size = htole32(HD_SBSAVE_BLOCK);
	h->count = htole64(i->count);
	h->time = htole64(i->time);
	h->current_uuid = htole64(i->current_uuid);
	h->peer_current_uuid = htole64(i->peer_current_uuid);
	h->data_blocks = htole64(i->data_blocks);
	put_str(h->resource, sizeof(h->resource), i->resource);
	put_str(h->node, sizeof(h->node), i->node);
	put_str(h->peer, sizeof(h->peer), i->peer);
	put_str(h->backing, sizeof(h->backing), i->backing);
	h->crc = htole32(hd_crc32c_hole(h, sizeof(*h),
					offsetof(struct hd_sbsave_header,
						 crc)));
}

int hd_sbsave_header_decode(const struct hd_sbsave_header *h,
			    struct hd_sbsave_info *i, const char **why)
{
	memset(i, 0, sizeof(*i));
	if (memcmp(h->magic, HD_SBSAVE_MAGIC, sizeof(h->magic))) {
		*why = "it is not a hadisk save file (no HDSBSAVE magic at its start)";
		return -1;
	}
	if (le32toh(h->crc) != hd_crc32c_hole(h, sizeof(*h),
					      offsetof(struct hd_sbsave_header,
						       crc))) {
		*why = "its header is damaged (checksum mismatch)";
		return -1;
	}
	if (le32toh(h->version) != HD_SBSAVE_VERSION) {
		*why = "it has a format version this hadiskctl does not know (a newer hadiskctl wrote it)";
		return -1;
	}
	if (le32toh(h->header_size) != sizeof(*h) ||
	    le32toh(h->block_size) != HD_SBSAVE_BLOCK || h->flags) {
		*why = "its header has a size, block size or flags this hadiskctl does not know";
		return -1;
	}
	if (!get_str(i->resource, h->resource, sizeof(h->resource)) ||
	    !get_str(i->node, h->node, sizeof(h->node)) ||
	    !get_str(i->peer, h->peer, sizeof(h->peer)) ||
	    !get_str(i->backing, h->backing, sizeof(h->backing))) {
		*why = "a name in its header is not terminated";
		return -1;
	}
	i->count = le64toh(h->count);
	i->time = le64toh(h->time);
	i->current_uuid = le64toh(h->current_uuid);
	i->peer_current_uuid = le64toh(h->peer_current_uuid);
	i->data_blocks = le64toh(h->data_blocks);
	if (i->count > (UINT64_MAX - 4096) / HD_SBSAVE_REC_SIZE ||
	    (i->data_blocks && i->count > i->data_blocks)) {
		*why = "its header claims more blocks than there can be";
		return -1;
	}
	return 0;
}

void hd_sbsave_rec_encode(struct hd_sbsave_rec *r, uint64_t block,
			  const void *data)
{
	r->block = htole64(block);
	r->crc = htole32(hd_sbsave_crc(data, HD_SBSAVE_BLOCK));
	r->reserved = 0;
}

int hd_sbsave_rec_check(const struct hd_sbsave_rec *r, const void *data,
			bool first, uint64_t prev, uint64_t data_blocks,
			const char **why)
{
	uint64_t block = le64toh(r->block);

	if (r->reserved) {
		*why = "a record's reserved field is not 0 (damaged)";
		return -1;
	}
	if (!first && block <= prev) {
		*why = "the block numbers are not in ascending order (damaged)";
		return -1;
	}
	if (data_blocks && block >= data_blocks) {
		*why = "a block number is past the end of the data area (damaged)";
		return -1;
	}
	if (le32toh(r->crc) != hd_sbsave_crc(data, HD_SBSAVE_BLOCK)) {
		*why = "a block's data does not match its checksum (damaged)";
		return -1;
	}
	return 0;
}

void hd_sbsave_trailer_encode(struct hd_sbsave_trailer *t, uint64_t count,
			      uint32_t heads_crc)
{
	memcpy(t->magic, HD_SBSAVE_TRAILER_MAGIC, sizeof(t->magic));
	t->count = htole64(count);
	t->heads_crc = htole32(heads_crc);
	t->crc = 0;
	t->crc = htole32(hd_crc32c_hole(t, sizeof(*t),
					offsetof(struct hd_sbsave_trailer,
						 crc)));
}

int hd_sbsave_trailer_check(const struct hd_sbsave_trailer *t,
			    uint64_t count, uint32_t heads_crc,
			    const char **why)
{
	if (memcmp(t->magic, HD_SBSAVE_TRAILER_MAGIC, sizeof(t->magic)) ||
	    le32toh(t->crc) != hd_crc32c_hole(t, sizeof(*t),
					      offsetof(struct hd_sbsave_trailer,
						       crc))) {
		*why = "its trailer is missing or damaged: the file is incomplete";
		return -1;
	}
	if (le64toh(t->count) != count) {
		*why = "its trailer's block count differs from its header's (damaged)";
		return -1;
	}
	if (le32toh(t->heads_crc) != heads_crc) {
		*why = "its block list does not match the trailer's checksum (damaged)";
		return -1;
	}
	return 0;
}

/* Writer */

static int flush_out(struct hd_sbsave_writer *w, char *err, size_t err_size)
{
	size_t done = 0;
	ssize_t n;

	while (done < w->len) {
		n = pwrite(w->fd, w->buf + done, w->len - done,
			   (off_t)(w->off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			snprintf(err, err_size,
				 "cannot write the save file at offset %llu: %s",
				 (unsigned long long)(w->off + done),
				 strerror(e));
			return -e;
		}
		done += (size_t)n;
	}
	w->off += w->len;
	w->len = 0;
	return 0;
}

static int put(struct hd_sbsave_writer *w, const void *p, size_t len,
	       char *err, size_t err_size)
{
	int ret;

	if (w->len + len > WBUF_SIZE) {
		ret = flush_out(w, err, err_size);
		if (ret)
			return ret;
	}
	memcpy(w->buf + w->len, p, len);
	w->len += len;
	return 0;
}

int hd_sbsave_write_begin(struct hd_sbsave_writer *w, int fd,
			  const struct hd_sbsave_info *i, char *err,
			  size_t err_size)
{
	struct hd_sbsave_header h;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	w->count = i->count;
	w->data_blocks = i->data_blocks;
	w->heads_crc = ~0u;
	w->buf = malloc(WBUF_SIZE);
	if (!w->buf) {
		snprintf(err, err_size, "out of memory");
		return -ENOMEM;
	}
	hd_sbsave_header_encode(&h, i);
	return put(w, &h, sizeof(h), err, err_size);
}

int hd_sbsave_write_block(struct hd_sbsave_writer *w, uint64_t block,
			  const void *data, char *err, size_t err_size)
{
	struct hd_sbsave_rec r;
	int ret;

	if (w->added == w->count || (w->added && block <= w->last) ||
	    (w->data_blocks && block >= w->data_blocks)) {
		snprintf(err, err_size,
			 "block %llu cannot be saved: more blocks than announced, out of order, or past the data area",
			 (unsigned long long)block);
		return -EINVAL;
	}
	hd_sbsave_rec_encode(&r, block, data);
	ret = put(w, &r, sizeof(r), err, err_size);
	if (!ret)
		ret = put(w, data, HD_SBSAVE_BLOCK, err, err_size);
	if (ret)
		return ret;
	w->heads_crc = hd_crc32c_update(w->heads_crc, &r, sizeof(r));
	w->added++;
	w->last = block;
	return 0;
}

int hd_sbsave_write_end(struct hd_sbsave_writer *w, char *err,
			size_t err_size)
{
	struct hd_sbsave_trailer t;
	int ret;

	if (w->added != w->count) {
		snprintf(err, err_size,
			 "only %llu of the %llu blocks announced were saved",
			 (unsigned long long)w->added,
			 (unsigned long long)w->count);
		return -EINVAL;
	}
	hd_sbsave_trailer_encode(&t, w->count, ~w->heads_crc);
	ret = put(w, &t, sizeof(t), err, err_size);
	if (!ret)
		ret = flush_out(w, err, err_size);
	return ret;
}

void hd_sbsave_write_free(struct hd_sbsave_writer *w)
{
	free(w->buf);
	w->buf = NULL;
}

/* Reader */

static int read_at(struct hd_sbsave_reader *r, void *buf, size_t len,
		   char *err, size_t err_size)
{
	char *p = buf;
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(r->fd, p + done, len - done, (off_t)(r->off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;

			snprintf(err, err_size,
				 "cannot read the save file at offset %llu: %s",
				 (unsigned long long)(r->off + done),
				 n < 0 ? strerror(e) :
				 "it ends there (the file is incomplete)");
			return -e;
		}
		done += (size_t)n;
	}
	r->off += len;
	return 0;
}

int hd_sbsave_read_open(struct hd_sbsave_reader *r, int fd, const char *path,
			char *err, size_t err_size)
{
	struct hd_sbsave_header h;
	const char *why;
	off_t end;
	int ret;

	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->heads_crc = ~0u;
	end = lseek(fd, 0, SEEK_END);
	if (end >= 0 && (uint64_t)end < sizeof(h)) {
		snprintf(err, err_size,
			 "%s is not a hadisk save file: it is only %lld bytes long",
			 path, (long long)end);
		return -EINVAL;
	}
	ret = read_at(r, &h, sizeof(h), err, err_size);
	if (ret)
		return ret;
	if (hd_sbsave_header_decode(&h, &r->info, &why)) {
		snprintf(err, err_size, "%s: %s", path, why);
		return -EINVAL;
	}
	if (end >= 0 && (uint64_t)end != hd_sbsave_file_size(r->info.count)) {
		snprintf(err, err_size,
			 "%s: the file is %lld bytes long, but %llu blocks make %llu bytes: it is incomplete or damaged",
			 path, (long long)end,
			 (unsigned long long)r->info.count,
			 (unsigned long long)hd_sbsave_file_size(r->info.count));
		return -EINVAL;
	}
	return 0;
}

int hd_sbsave_read_next(struct hd_sbsave_reader *r, uint64_t *block,
			void *data, char *err, size_t err_size)
{
	struct hd_sbsave_trailer t;
	struct hd_sbsave_rec rec;
	const char *why;
	int ret;

	if (r->done == r->info.count) {
		ret = read_at(r, &t, sizeof(t), err, err_size);
		if (ret)
			return ret;
		if (hd_sbsave_trailer_check(&t, r->info.count, ~r->heads_crc,
					    &why)) {
			snprintf(err, err_size, "the save file: %s", why);
			return -EINVAL;
		}
		return 0;
	}
	ret = read_at(r, &rec, sizeof(rec), err, err_size);
	if (!ret)
		ret = read_at(r, data, HD_SBSAVE_BLOCK, err, err_size);
	if (ret)
		return ret;
	if (hd_sbsave_rec_check(&rec, data, !r->done, r->last,
				r->info.data_blocks, &why)) {
		snprintf(err, err_size,
			 "the save file's record %llu (block %llu): %s",
			 (unsigned long long)r->done,
			 (unsigned long long)le64toh(rec.block), why);
		return -EINVAL;
	}
	r->heads_crc = hd_crc32c_update(r->heads_crc, &rec, sizeof(rec));
	*block = le64toh(rec.block);
	r->last = *block;
	r->done++;
	return 1;
}
