// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the metadata format (kernel/meta_fmt.c). */
#include <stdlib.h>
#include "unit.h"
#include "meta_fmt.h"
#include "crc32c.h"

static u32 crc(const void *buf, size_t len, size_t hole)
{
	return hd_crc32c_hole(buf, len, hole);
}

static void test_crc32c_vector(void)
{
	/* The standard check value of CRC-32C over "123456789". */
	CHECK_EQ(~hd_crc32c_update(~0u, "123456789", 9), 0xE3069283u);
}

static void test_layout_internal(void)
{
	struct hd_md_layout l;
	const char *why = NULL;
	u64 dev = 256ull << 20;

	CHECK_EQ(hd_md_layout(dev, true, 0, 16, &l, &why), 0);
	CHECK_EQ(l.sb_offset, dev - 4096);
	CHECK_EQ(l.al_offset, dev - 4096 - 16 * 4096);
	CHECK_EQ(l.bm_bytes, 8192);		/* 65536 blocks */
	CHECK_EQ(l.bm_offset, l.al_offset - 8192);
	CHECK_EQ(l.data_sectors << 9, l.bm_offset);
	CHECK_EQ(l.md_bytes, 4096 + 16 * 4096 + 8192);
	/* an odd size: the last partial block is not used */
	CHECK_EQ(hd_md_layout(dev + 1000, true, 0, 16, &l, &why), 0);
	CHECK_EQ(l.sb_offset, dev - 4096);
	CHECK(hd_md_layout(64 * 1024, true, 0, 16, &l, &why) < 0);
	CHECK_CONTAINS(why, "too small");
	CHECK(hd_md_layout(dev, true, 0, 1, &l, &why) < 0);
}

static void test_layout_external(void)
{
	struct hd_md_layout l;
	const char *why = NULL;

	CHECK_EQ(hd_md_layout(1 << 20, false, 1ull << 30, 16, &l, &why), 0);
	CHECK_EQ(l.data_sectors, (1ull << 30) >> 9);
	CHECK_EQ(l.bm_bytes, 32768);
	CHECK(hd_md_layout(32768, false, 1ull << 30, 16, &l, &why) < 0);
}

static struct hd_md_info info(u64 dev)
{
	struct hd_md_info i = { 0 };
	const char *why;

	hd_md_layout(dev, true, 0, 16, &i.l, &why);
	i.flags = HD_MDF_CONSISTENT | HD_MDF_UPTODATE | HD_MDF_AL_CLEAN;
	i.al_extents = 257;
	i.node_id = 1;
	i.internal = 1;
	i.uuid_current = 0x1234;
	i.uuid_history[1] = 77;
	strcpy(i.resource, "r0");
	return i;
}

static void test_super_roundtrip(void)
{
	u64 dev = 128ull << 20;
	struct hd_md_info in = info(dev), out;
	struct hd_md_super sb;
	const char *why = NULL;

	hd_md_super_encode(&sb, &in, crc);
	CHECK_EQ(hd_md_super_decode(&sb, dev, &out, crc, &why), 0);
	CHECK_EQ(out.uuid_current, 0x1234);
	CHECK_EQ(out.uuid_history[1], 77);
	CHECK_EQ(out.l.data_sectors, in.l.data_sectors);
	CHECK_EQ(out.flags, in.flags);
	CHECK_STR(out.resource, "r0");
	/* one flipped bit anywhere is caught */
	((unsigned char *)&sb)[200] ^= 1;
	CHECK_EQ(hd_md_super_decode(&sb, dev, &out, crc, &why), -EBADMSG);
	CHECK_CONTAINS(why, "checksum");
	hd_md_super_encode(&sb, &in, crc);
	sb.magic = 0;
	CHECK_EQ(hd_md_super_decode(&sb, dev, &out, crc, &why), -ENOENT);
	hd_md_super_encode(&sb, &in, crc);
	sb.version = htole32(2);
	CHECK_EQ(hd_md_super_decode(&sb, dev, &out, crc, &why), -EPROTO);
	/* the device was resized */
	hd_md_super_encode(&sb, &in, crc);
	CHECK_EQ(hd_md_super_decode(&sb, dev * 2, &out, crc, &why), -EUCLEAN);
	CHECK_CONTAINS(why, "resized");
}

static void test_al_ring(void)
{
	struct hd_md_al_tx *slots = calloc(4, sizeof(*slots));
	u32 ext[3] = { 5, 9, 1000 }, got[HD_MD_AL_MAX_ENTRIES], nr, slot = 99;
	u64 seq = 0;

	CHECK_EQ(hd_md_al_newest(slots, 4, &seq, &slot, crc), -ENOENT);
	hd_md_al_encode(&slots[0], 7, ext, 3, crc);
	hd_md_al_encode(&slots[1], 8, ext, 2, crc);
	hd_md_al_encode(&slots[2], 6, ext, 1, crc);
	CHECK_EQ(hd_md_al_newest(slots, 4, &seq, &slot, crc), 0);
	CHECK_EQ(seq, 8);
	CHECK_EQ(slot, 1);
	/* a torn newest transaction: the previous one wins */
	((unsigned char *)&slots[1])[100] ^= 0xff;
	CHECK_EQ(hd_md_al_newest(slots, 4, &seq, &slot, crc), 0);
	CHECK_EQ(slot, 0);
	CHECK_EQ(hd_md_al_decode(&slots[0], &seq, got, &nr, 1000, crc), 0);
	CHECK_EQ(nr, 3);
	CHECK_EQ(got[2], 1000);
	CHECK_EQ(hd_md_al_decode(&slots[0], &seq, got, &nr, 2, crc), -EUCLEAN);
	free(slots);
}

int main(void)
{
	RUN(test_crc32c_vector);
	RUN(test_layout_internal);
	RUN(test_layout_external);
	RUN(test_super_roundtrip);
	RUN(test_al_ring);
	return unit_exit();
}
