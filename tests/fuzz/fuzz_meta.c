// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the metadata reader. kernel/meta_fmt.c (the module's
 * codec, built in userspace) and what "hadiskctl dump-md" builds on it
 * (userspace/lib/mdev.c, mdreport.c) fed a fuzzed metadata area.
 *
 * Input:  byte 0   flags: bit 0 give the superblock its correct crc,
 *                  bit 1 give each activity-log transaction its correct
 *                  crc (so that the checks behind the crc are reached),
 *                  bit 2 internal for hd_md_layout()
 *         byte 1-2 the device size: (1 + byte1 % 8) MiB + byte2 * 512
 *         3..258   the superblock (256 bytes)
 *         259..    activity-log transactions, 4 KiB each (the last one
 *                  zero padded), placed in the ring before the superblock
 *
 * Checks: hd_md_super_decode() accepts only a layout that lies within the
 * device, whose bitmap covers the data area, and that encodes back to the
 * same superblock; every layout hd_md_layout() computes is accepted by
 * hd_md_super_decode(); hd_md_al_decode() never lists more extents than
 * asked; dump-md's reader and its text and JSON (strict syntax) on the
 * image as a file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "meta_fmt.h"
#include "crc32c.h"
#include "mdev.h"
#include "mdreport.h"
#include "buf.h"
#include "jsoncheck.h"

#define BLK 4096u

static u32 crc(const void *buf, size_t len, size_t hole)
{
	return hd_crc32c_hole(buf, len, hole);
}

static void check_layout(const struct hd_md_info *i, u64 dev)
{
	u64 blocks = (i->l.data_sectors + 7) / 8;

	if (i->l.sb_offset + BLK > dev || i->l.bm_offset > i->l.al_offset ||
	    i->l.al_offset > i->l.sb_offset ||
	    i->l.bm_offset + i->l.md_bytes != i->l.sb_offset + BLK ||
	    i->l.bm_bytes * 8 < blocks ||
	    i->l.al_slots < HD_MD_AL_SLOTS_MIN ||
	    i->l.al_slots > HD_MD_AL_SLOTS_MAX ||
	    (i->internal && i->l.data_sectors * 512 > i->l.bm_offset))
		abort();
}

static void roundtrip(const struct hd_md_info *i, u64 dev)
{
	struct hd_md_super sb;
	struct hd_md_info j;
	const char *why = NULL;

	hd_md_super_encode(&sb, i, crc);
	if (hd_md_super_decode(&sb, dev, &j, crc, &why))
		abort();
	if (memcmp(&i->l, &j.l, sizeof(j.l)) || i->flags != j.flags ||
	    i->al_extents != j.al_extents || i->node_id != j.node_id ||
	    i->internal != j.internal || i->uuid_current != j.uuid_current ||
	    strcmp(i->resource, j.resource))
		abort();
}

/* Every layout the codec computes must be accepted when read back. */
static void layout(u64 dev, bool internal, u64 data_dev, u32 slots)
{
	struct hd_md_info i;
	const char *why = NULL;

	memset(&i, 0, sizeof(i));
	if (hd_md_layout(dev, internal, data_dev, slots, &i.l, &why)) {
		if (!why)
			abort();
		return;
	}
	i.internal = internal;
	i.al_extents = HD_MD_AL_EXTENTS_DEFAULT;
	strcpy(i.resource, "r0");
	roundtrip(&i, dev);
	check_layout(&i, dev);
}

static void dump_md(int fd, u64 dev)
{
	struct hd_mdev d;
	struct hd_md_info i;
	struct hd_md_report *r;
	struct hd_buf b = { 0 };
	const char *why = NULL;
	char err[512];
	int code = 0;

	memset(&d, 0, sizeof(d));
	d.data_path = d.md_path = "fuzz.img";
	d.internal = true;
	d.data_fd = d.md_fd = fd;
	d.data_dev_bytes = d.md_dev_bytes = dev;
	if (hd_mdev_read_super(&d, &i, &code, &why, err, sizeof(err)))
		return;
	r = calloc(1, sizeof(*r));
	if (!hd_md_report_read(r, &d, &i, err, sizeof(err))) {
		hd_md_report_text(r, &b);
		hd_buf_reset(&b);
		hd_md_report_json(r, &b);
		if (!json_valid(hd_buf_str(&b)))
			abort();
	}
	hd_buf_free(&b);
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static u32 ext[HD_MD_AL_MAX_ENTRIES];
	struct hd_md_super *sb;
	struct hd_md_al_tx *ring = NULL;
	struct hd_md_info info;
	const char *why = NULL;
	u64 dev, al_off, seq;
	u32 nslots = 0, s, nr, slot, max;
	uint8_t flags;
	int fd, ok;
	size_t rest;

	if (size < 3 + sizeof(*sb))
		return 0;
	flags = data[0];
	dev = ((u64)(data[1] % 8) + 1) << 20 | (u64)data[2] << 9;
	sb = malloc(sizeof(*sb));
	memcpy(sb, data + 3, sizeof(*sb));
	if (flags & 1)
		sb->crc = htole32(crc(sb, sizeof(*sb),
				      offsetof(struct hd_md_super, crc)));
	rest = size - 3 - sizeof(*sb);
	nslots = (rest + BLK - 1) / BLK;
	if (nslots > HD_MD_AL_SLOTS_MAX)
		nslots = HD_MD_AL_SLOTS_MAX;
	if (nslots) {
		ring = calloc(nslots, BLK);
		memcpy(ring, data + 3 + sizeof(*sb),
		       rest < (size_t)nslots * BLK ? rest : (size_t)nslots * BLK);
		if (flags & 2)
			for (s = 0; s < nslots; s++)
				ring[s].crc = htole32(crc(&ring[s], BLK,
					offsetof(struct hd_md_al_tx, crc)));
	}

	/* the superblock */
	ok = !hd_md_super_decode(sb, dev, &info, crc, &why);
	if (ok) {
		check_layout(&info, dev);
		roundtrip(&info, dev);
	} else if (!why) {
		abort();
	}

	/* the activity log, as attach reads it */
	max = ok ? info.al_extents : HD_MD_AL_MAX_ENTRIES;
	for (s = 0; s < nslots; s++) {
		nr = 0;
		if (!hd_md_al_decode(&ring[s], &seq, ext, &nr, max, crc) &&
		    (nr > max || nr > HD_MD_AL_MAX_ENTRIES))
			abort();
	}
	if (nslots && !hd_md_al_newest(ring, nslots, &seq, &slot, crc) &&
	    slot >= nslots)
		abort();

	/* layouts computed from the same numbers */
	layout(dev, flags & 4, dev, 2 + data[2] % 255);
	layout(dev, !(flags & 4), (u64)data[1] << 24, HD_MD_AL_SLOTS_DEFAULT);

	/* dump-md on the image: superblock at the end, the ring before it */
	fd = memfd_create("fuzz-md", 0);
	if (fd >= 0 && !ftruncate(fd, (off_t)dev)) {
		u64 sbo = hd_md_sb_offset(dev);

		if (pwrite(fd, sb, sizeof(*sb), (off_t)sbo) != sizeof(*sb))
			abort();
		al_off = ok ? info.l.al_offset : sbo - (u64)nslots * BLK;
		if (nslots && al_off <= sbo &&
		    pwrite(fd, ring, (size_t)nslots * BLK, (off_t)al_off) < 0)
			abort();
		dump_md(fd, dev);
	}
	if (fd >= 0)
		close(fd);
	free(ring);
	free(sb);
	return 0;
}
