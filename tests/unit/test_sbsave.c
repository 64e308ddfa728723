// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the split-brain save file (userspace/lib/sbsave.c): the
 * header, record and trailer codecs, the streaming writer and reader and
 * every kind of damage they must refuse; then hadiskctl save-discarded,
 * discarded and discarded --restore (built with the sanitizers into
 * UNIT_BIN_DIR) end to end on image files.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crc32c.h"
#include "mdev.h"
#include "sbsave.h"
#include "unit.h"

#define CTL UNIT_BIN_DIR "/hadiskctl"
#define IMG_BYTES (64ull << 20)
/* 64 MiB, internal metadata: 4 KiB bitmap, 16 AL slots, superblock */
#define IMG_BLOCKS ((IMG_BYTES - 4096 - 16 * 4096 - 4096) / 4096)

static char out[65536];
static char dir[] = "/tmp/hadisk-sbsave-XXXXXX";
static char err[1024];

static void fill(void *buf, uint64_t block)
{
	unsigned char *p = buf;
	size_t k;

	for (k = 0; k < HD_SBSAVE_BLOCK; k++)
		p[k] = (unsigned char)(block * 7 + k / 512 + 1);
}

static void sample_info(struct hd_sbsave_info *i, uint64_t count)
{
	memset(i, 0, sizeof(*i));
	i->count = count;
	i->time = 1795000000;
	i->current_uuid = 0x0123456789abcdefull;
	i->peer_current_uuid = 0xfedcba9876543210ull;
	i->data_blocks = 1000;
	strcpy(i->resource, "r0");
	strcpy(i->node, "beta");
	strcpy(i->peer, "alpha");
	strcpy(i->backing, "/dev/sdb");
}

static void sbsave_crc_is_crc32c(void)
{
	CHECK_EQ(hd_sbsave_crc("123456789", 9), 0xe3069283u);
	CHECK_EQ(hd_sbsave_file_size(0), 536);
	CHECK_EQ(hd_sbsave_file_size(3), 512 + 3 * 4112 + 24);
}

static void sbsave_header_roundtrip(void)
{
	struct hd_sbsave_header h;
	struct hd_sbsave_info i, o;
	const char *why = NULL;
	unsigned char *raw = (unsigned char *)&h;

	sample_info(&i, 3);
	hd_sbsave_header_encode(&h, &i);
	CHECK(!memcmp(raw, "HDSBSAVE", 8));
	CHECK_EQ(raw[8], 1);		/* version, little endian */
	CHECK_EQ(raw[12] | raw[13] << 8, 512);
	CHECK_EQ(raw[16] | raw[17] << 8, 4096);
	CHECK_EQ(raw[24], 3);		/* count */
	CHECK_EQ(raw[40], 0xef);	/* current uuid, low byte first */
	CHECK_STR((char *)raw + 64, "r0");
	CHECK_STR((char *)raw + 128, "beta");
	CHECK_STR((char *)raw + 192, "alpha");
	CHECK_STR((char *)raw + 256, "/dev/sdb");
	CHECK_EQ(hd_sbsave_header_decode(&h, &o, &why), 0);
	CHECK(!memcmp(&i, &o, sizeof(i)));

	/* any byte changed: the checksum says so */
	raw[70] ^= 1;
	CHECK_EQ(hd_sbsave_header_decode(&h, &o, &why), -1);
	CHECK_CONTAINS(why, "header is damaged");
	raw[70] ^= 1;
	raw[0] = 'X';
	CHECK_EQ(hd_sbsave_header_decode(&h, &o, &why), -1);
	CHECK_CONTAINS(why, "not a hadisk save file");

	/* a newer version, correctly checksummed */
	hd_sbsave_header_encode(&h, &i);
	h.version = htole32(2);
	h.crc = htole32(hd_crc32c_hole(&h, sizeof(h), 508));
	CHECK_EQ(hd_sbsave_header_decode(&h, &o, &why), -1);
	CHECK_CONTAINS(why, "newer hadiskctl");

	/* more blocks than the data area has */
	i.count = 1001;
	hd_sbsave_header_encode(&h, &i);
	CHECK_EQ(hd_sbsave_header_decode(&h, &o, &why), -1);
	CHECK_CONTAINS(why, "more blocks than there can be");

	/* names too long are cut, and stay terminated */
	sample_info(&i, 0);
	memset(i.resource, 'r', sizeof(i.resource) - 1);
	memset(i.backing, 'b', sizeof(i.backing) - 1);
	hd_sbsave_header_encode(&h, &i);
	CHECK_EQ(hd_sbsave_header_decode(&h, &o, &why), 0);
	CHECK_EQ(strlen(o.resource), sizeof(o.resource) - 1);
	CHECK_EQ(strlen(o.backing), sizeof(o.backing) - 1);
}

static void sbsave_record_and_trailer(void)
{
	static unsigned char data[HD_SBSAVE_BLOCK];
	struct hd_sbsave_trailer t;
	struct hd_sbsave_rec r;
	const char *why = NULL;

	fill(data, 5);
	hd_sbsave_rec_encode(&r, 5, data);
	CHECK_EQ(le64toh(r.block), 5);
	CHECK_EQ(le32toh(r.crc), hd_sbsave_crc(data, sizeof(data)));
	CHECK_EQ(hd_sbsave_rec_check(&r, data, true, 0, 1000, &why), 0);
	CHECK_EQ(hd_sbsave_rec_check(&r, data, false, 4, 1000, &why), 0);
	CHECK_EQ(hd_sbsave_rec_check(&r, data, false, 5, 1000, &why), -1);
	CHECK_CONTAINS(why, "ascending order");
	CHECK_EQ(hd_sbsave_rec_check(&r, data, true, 0, 5, &why), -1);
	CHECK_CONTAINS(why, "past the end of the data area");
	data[4095] ^= 0x80;
	CHECK_EQ(hd_sbsave_rec_check(&r, data, true, 0, 1000, &why), -1);
	CHECK_CONTAINS(why, "does not match its checksum");
	data[4095] ^= 0x80;
	r.reserved = 1;
	CHECK_EQ(hd_sbsave_rec_check(&r, data, true, 0, 1000, &why), -1);

	hd_sbsave_trailer_encode(&t, 7, 0x12345678);
	CHECK(!memcmp(t.magic, "HDSBTRLR", 8));
	CHECK_EQ(hd_sbsave_trailer_check(&t, 7, 0x12345678, &why), 0);
	CHECK_EQ(hd_sbsave_trailer_check(&t, 8, 0x12345678, &why), -1);
	CHECK_CONTAINS(why, "differs from its header");
	CHECK_EQ(hd_sbsave_trailer_check(&t, 7, 0x12345679, &why), -1);
	CHECK_CONTAINS(why, "block list");
	t.count ^= 1;
	CHECK_EQ(hd_sbsave_trailer_check(&t, 7, 0x12345678, &why), -1);
	CHECK_CONTAINS(why, "incomplete");
}

/* A file of blocks 3, 4 and 900 written to fd by the streaming writer. */
static int write_sample(int fd)
{
	static const uint64_t blocks[] = { 3, 4, 900 };
	static unsigned char data[HD_SBSAVE_BLOCK];
	struct hd_sbsave_writer w;
	struct hd_sbsave_info i;
	size_t k;
	int ret;

	sample_info(&i, 3);
	ret = hd_sbsave_write_begin(&w, fd, &i, err, sizeof(err));
	for (k = 0; !ret && k < 3; k++) {
		fill(data, blocks[k]);
		ret = hd_sbsave_write_block(&w, blocks[k], data, err,
					    sizeof(err));
	}
	if (!ret)
		ret = hd_sbsave_write_end(&w, err, sizeof(err));
	hd_sbsave_write_free(&w);
	return ret;
}

static int tmp_file(void)
{
	char path[] = "/tmp/hadisk-sbsave-file-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		unlink(path);
	return fd;
}

/* Reads the whole file; returns the block count or a negative errno. */
static int read_all(int fd, uint64_t *blocks)
{
	static unsigned char data[HD_SBSAVE_BLOCK], want[HD_SBSAVE_BLOCK];
	struct hd_sbsave_reader r;
	uint64_t b;
	int n = 0, ret;

	ret = hd_sbsave_read_open(&r, fd, "f", err, sizeof(err));
	while (!ret &&
	       (ret = hd_sbsave_read_next(&r, &b, data, err,
					  sizeof(err))) == 1) {
		fill(want, b);
		CHECK(!memcmp(data, want, sizeof(data)));
		blocks[n++] = b;
		ret = 0;
	}
	return ret ? ret : n;
}

static void sbsave_stream_roundtrip(void)
{
	struct hd_sbsave_reader r;
	uint64_t blocks[8];
	struct stat st;
	int fd = tmp_file();

	CHECK(fd >= 0);
	CHECK_EQ(write_sample(fd), 0);
	CHECK_STR(err, "");
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ((uint64_t)st.st_size, hd_sbsave_file_size(3));
	CHECK_EQ(read_all(fd, blocks), 3);
	CHECK_EQ(blocks[0], 3);
	CHECK_EQ(blocks[1], 4);
	CHECK_EQ(blocks[2], 900);
	CHECK_EQ(hd_sbsave_read_open(&r, fd, "f", err, sizeof(err)), 0);
	CHECK_STR(r.info.resource, "r0");
	CHECK_EQ(r.info.count, 3);
	close(fd);
}

static void sbsave_stream_damage(void)
{
	uint64_t blocks[8];
	unsigned char c;
	int fd = tmp_file();

	CHECK_EQ(write_sample(fd), 0);
	/* a data byte of the second block */
	CHECK_EQ(pread(fd, &c, 1, 512 + 4112 + 16 + 100), 1);
	c ^= 0xff;
	CHECK_EQ(pwrite(fd, &c, 1, 512 + 4112 + 16 + 100), 1);
	CHECK_EQ(read_all(fd, blocks), -EINVAL);
	CHECK_CONTAINS(err, "record 1 (block 4)");
	CHECK_CONTAINS(err, "does not match its checksum");
	c ^= 0xff;
	CHECK_EQ(pwrite(fd, &c, 1, 512 + 4112 + 16 + 100), 1);
	CHECK_EQ(read_all(fd, blocks), 3);

	/* the trailer's last byte */
	CHECK_EQ(pread(fd, &c, 1, (off_t)hd_sbsave_file_size(3) - 1), 1);
	c ^= 1;
	CHECK_EQ(pwrite(fd, &c, 1, (off_t)hd_sbsave_file_size(3) - 1), 1);
	CHECK_EQ(read_all(fd, blocks), -EINVAL);
	CHECK_CONTAINS(err, "trailer is missing or damaged");

	/* cut short: the size says so before any block is read */
	CHECK_EQ(ftruncate(fd, (off_t)hd_sbsave_file_size(3) - 24), 0);
	CHECK_EQ(read_all(fd, blocks), -EINVAL);
	CHECK_CONTAINS(err, "it is incomplete or damaged");
	CHECK_EQ(ftruncate(fd, 100), 0);
	CHECK_EQ(read_all(fd, blocks), -EINVAL);
	CHECK_CONTAINS(err, "only 100 bytes long");
	close(fd);
}

static void sbsave_writer_refuses(void)
{
	static unsigned char data[HD_SBSAVE_BLOCK];
	struct hd_sbsave_writer w;
	struct hd_sbsave_info i;
	int fd = tmp_file();

	sample_info(&i, 2);
	CHECK_EQ(hd_sbsave_write_begin(&w, fd, &i, err, sizeof(err)), 0);
	CHECK_EQ(hd_sbsave_write_block(&w, 10, data, err, sizeof(err)), 0);
	CHECK_EQ(hd_sbsave_write_block(&w, 10, data, err, sizeof(err)),
		 -EINVAL);
	CHECK_CONTAINS(err, "out of order");
	CHECK_EQ(hd_sbsave_write_block(&w, 1000, data, err, sizeof(err)),
		 -EINVAL);
	/* one of the two announced: no trailer, no complete file */
	CHECK_EQ(hd_sbsave_write_end(&w, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "only 1 of the 2 blocks");
	hd_sbsave_write_free(&w);
	close(fd);
}

/* End to end */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command line with output in out; the exit code. */
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	size_t n;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1 </dev/null", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void make_image(const char *path, uint64_t bytes)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	CHECK_EQ(ftruncate(fd, (off_t)bytes), 0);
	close(fd);
}

static void put_block(const char *path, uint64_t b, bool pattern)
{
	static unsigned char data[HD_SBSAVE_BLOCK];
	int fd = open(path, O_RDWR);

	if (pattern)
		fill(data, b);
	else
		memset(data, 0, sizeof(data));
	CHECK_EQ(pwrite(fd, data, sizeof(data), (off_t)(b * 4096)),
		 (ssize_t)sizeof(data));
	close(fd);
}

static bool has_block(const char *path, uint64_t b, bool pattern)
{
	static unsigned char data[HD_SBSAVE_BLOCK], want[HD_SBSAVE_BLOCK];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (pattern)
		fill(want, b);
	else
		memset(want, 0, sizeof(want));
	n = pread(fd, data, sizeof(data), (off_t)(b * 4096));
	close(fd);
	return n == (ssize_t)sizeof(data) && !memcmp(data, want, sizeof(data));
}

/* Marks blocks in img's on-disk bitmap, as the kernel would. */
static void mark(const char *img, uint64_t first, uint64_t last)
{
	struct hd_md_info i;
	struct hd_mdev d;
	const char *why;
	uint64_t newly;
	int code;

	CHECK_EQ(hd_mdev_open(&d, img, NULL, true, err, sizeof(err)), 0);
	CHECK_EQ(hd_mdev_read_super(&d, &i, &code, &why, err, sizeof(err)),
		 0);
	CHECK_EQ(hd_mdev_bm_mark(&d, &i, first, last, &newly, err,
				 sizeof(err)), 0);
	hd_mdev_close(&d);
}

#define ENV(img, file, blocks)						\
	"HADISK_RESOURCE=r0 HADISK_NODE=beta HADISK_PEER=alpha "	\
	"HADISK_BACKING=%s HADISK_META_DEV=internal "			\
	"HADISK_SAVE_FILE=%s HADISK_CURRENT_UUID=0123456789abcdef "	\
	"HADISK_PEER_CURRENT_UUID=FEDCBA9876543210 HADISK_BLOCKS=" blocks

static void sbsave_end_to_end(void)
{
	char img[128], img2[128], small[128], file[192], tmp[200];
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(img, sizeof(img), "%s/beta.img", dir);
	snprintf(img2, sizeof(img2), "%s/alpha.img", dir);
	snprintf(small, sizeof(small), "%s/small.img", dir);
	snprintf(file, sizeof(file), "%s/saved/a/r0-beta.hdsave", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	make_image(img, IMG_BYTES);
	CHECK_EQ(sh(CTL " create-md --disk %s", img), 0);
	put_block(img, 0, true);
	put_block(img, 1, true);
	put_block(img, 2, true);
	put_block(img, 100, true);
	put_block(img, IMG_BLOCKS - 1, true);
	mark(img, 0, 2);
	mark(img, 100, 100);
	mark(img, IMG_BLOCKS - 1, IMG_BLOCKS - 1);

	/* the kernel expects more blocks than the bitmap has: refused */
	CHECK_EQ(sh(ENV("%s", "%s", "6") " " CTL " save-discarded", img,
		    file), 1);
	CHECK_CONTAINS(out, "marks 5 blocks, fewer than the 6");
	CHECK(stat(file, &st) && errno == ENOENT);
	/* a variable missing: refused, nothing written */
	CHECK_EQ(sh(ENV("%s", "%s", "5") " HADISK_PEER= " CTL
		    " save-discarded", img, file), 1);
	CHECK_CONTAINS(out, "HADISK_PEER is not set");
	CHECK(stat(file, &st) && errno == ENOENT);
	/* not for people: no arguments */
	CHECK_EQ(sh(CTL " save-discarded r0"), 1);

	CHECK_EQ(sh(ENV("%s", "%s", "5") " " CTL " save-discarded", img,
		    file), 20);
	CHECK_CONTAINS(out, "saved 5 blocks (20.0KiB) of node beta");
	CHECK_CONTAINS(out, file);
	CHECK_EQ(stat(file, &st), 0);
	CHECK_EQ((uint64_t)st.st_size, hd_sbsave_file_size(5));
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK(stat(tmp, &st) && errno == ENOENT);

	CHECK_EQ(sh(CTL " discarded %s", file), 0);
	CHECK_CONTAINS(out, "resource:          r0\n");
	CHECK_CONTAINS(out, "node:              beta (its data was discarded)");
	CHECK_CONTAINS(out, "current uuid:      0123456789ABCDEF\n");
	CHECK_CONTAINS(out, "peer current uuid: FEDCBA9876543210\n");
	CHECK_CONTAINS(out, "blocks:            5 of 4 KiB (20.0KiB), every checksum verified");
	CHECK_CONTAINS(out, "ranges:            0-2 100 16365\n");
	CHECK_EQ(sh(CTL " discarded %s --json", file), 0);
	CHECK_CONTAINS(out, "\"resource\":\"r0\",\"node\":\"beta\",\"peer\":\"alpha\"");
	CHECK_CONTAINS(out, "\"current_uuid\":\"0123456789ABCDEF\"");
	CHECK_CONTAINS(out, "\"block_size\":4096,\"data_blocks\":16366,\"count\":5,\"verified\":true");
	CHECK_CONTAINS(out, "\"ranges\":[[0,2],[100,100],[16365,16365]]}");

	/* restore to another image: the blocks back, nothing else */
	make_image(img2, IMG_BYTES);
	put_block(img2, 3, true);
	CHECK_EQ(sh(CTL " discarded %s --restore %s", file, img2), 0);
	CHECK_CONTAINS(out, "restored 5 blocks of 4 KiB (20.0KiB) of resource r0, saved on beta");
	CHECK_CONTAINS(out, "in 3 ranges");
	CHECK(has_block(img2, 0, true));
	CHECK(has_block(img2, 2, true));
	CHECK(has_block(img2, 3, true));
	CHECK(has_block(img2, 4, false));
	CHECK(has_block(img2, 100, true));
	CHECK(has_block(img2, IMG_BLOCKS - 1, true));
	/* a device too small for the highest block: nothing written */
	make_image(small, 1 << 20);
	CHECK_EQ(sh(CTL " discarded %s --restore %s", file, small), 2);
	CHECK_CONTAINS(out, "smaller than the saved blocks need");
	CHECK(has_block(small, 0, false));
	CHECK_EQ(sh(CTL " discarded %s --restore %s --json", file, small), 1);
	CHECK_EQ(sh(CTL " discarded"), 1);
	CHECK_EQ(sh(CTL " status r0 --restore /dev/null"), 1);

	/* a damaged file: refused before anything is written */
	put_block(small, 0, false);
	{
		int fd = open(file, O_WRONLY);

		CHECK_EQ(pwrite(fd, "X", 1, 512 + 16 + 7), 1);
		close(fd);
	}
	CHECK_EQ(sh(CTL " discarded %s", file), 2);
	CHECK_CONTAINS(out, "record 0 (block 0)");
	CHECK_EQ(sh(CTL " discarded %s --restore %s", file, img2), 2);
	CHECK_EQ(sh(CTL " discarded %s/nope", dir), 2);
	CHECK_CONTAINS(out, "No such file or directory");

	/* nothing marked: a valid file of 0 blocks */
	snprintf(file, sizeof(file), "%s/empty.hdsave", dir);
	CHECK_EQ(sh(CTL " wipe-md --disk %s --force && " CTL
		    " create-md --disk %s", img, img), 0);
	CHECK_EQ(sh(ENV("%s", "%s", "0") " " CTL " save-discarded", img,
		    file), 20);
	CHECK_EQ(sh(CTL " discarded %s", file), 0);
	CHECK_CONTAINS(out, "ranges:            none\n");

	sh("rm -rf %s", dir);
}

int main(void)
{
	RUN(sbsave_crc_is_crc32c);
	RUN(sbsave_header_roundtrip);
	RUN(sbsave_record_and_trailer);
	RUN(sbsave_stream_roundtrip);
	RUN(sbsave_stream_damage);
	RUN(sbsave_writer_refuses);
	RUN(sbsave_end_to_end);
	return unit_exit();
}
