/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hadisk on-disk metadata, format version HD_MD_VERSION.
 *
 * The metadata area holds, in this order (byte offsets recorded in the
 * superblock, every part 4 KiB aligned):
 *
 *   bitmap      one bit per 4 KiB block of the data area, bit 0 of byte 0
 *               is block 0; a set bit means the peer may differ there.
 *               Stored as little-endian 64-bit words.
 *   AL ring     al_slots transactions of 4 KiB (struct hd_md_al_tx)
 *   superblock  4 KiB: struct hd_md_super, zero padded
 *
 * Internal metadata ("meta-disk internal") sits at the end of the backing
 * device: the superblock is its last 4 KiB, and the data area (what
 * /dev/hadiskN exposes) is everything before the bitmap. External metadata
 * ("meta-disk /dev/X") puts the same layout at the end of /dev/X and the
 * whole backing device is the data area.
 *
 * All integers are little endian. Every structure carries a crc32c
 * (Castagnoli, seed ~0, final ~0: the usual crc32c) computed with its crc
 * field set to 0. A superblock with a bad magic, version or crc is never
 * used and never written by the kernel: attach refuses it.
 *
 * The activity log: every transaction lists the complete set of active
 * extents (HD_MD_AL_EXTENT_SHIFT: 4 MiB each) at the time it was written;
 * the valid transaction with the highest sequence number is the current
 * set. A write is submitted only after a transaction naming its extent is
 * on disk; an extent leaves the set only after the bitmap blocks covering
 * it are on disk. So after a crash, every block that may differ from the
 * peer is either marked in the on-disk bitmap or inside an active extent.
 */
#ifndef HADISK_ONDISK_H
#define HADISK_ONDISK_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/build_bug.h>
#define HD_MD_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#include <stdint.h>
#include <linux/types.h>
#define HD_MD_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

#define HD_MD_MAGIC		0x4d4b4448u	/* "HDKM" on disk */
#define HD_MD_AL_MAGIC		0x414b4448u	/* "HDKA" on disk */
#define HD_MD_VERSION		1
#define HD_MD_BLOCK		4096		/* unit of every md part */
#define HD_MD_BM_BLOCK_SHIFT	12		/* bitmap: 4 KiB per bit */
#define HD_MD_AL_EXTENT_SHIFT	22		/* AL: 4 MiB per extent */
#define HD_MD_AL_SLOTS_DEFAULT	16
#define HD_MD_AL_SLOTS_MIN	2
#define HD_MD_AL_SLOTS_MAX	256
#define HD_MD_AL_EXTENTS_DEFAULT 257		/* 1 GiB + 4 MiB hot */
#define HD_MD_AL_EXTENTS_MIN	7
#define HD_MD_AL_EXTENTS_MAX	1000

/* Superblock flags */
#define HD_MDF_CONSISTENT	(1u << 0)	/* data not Inconsistent */
#define HD_MDF_UPTODATE		(1u << 1)	/* UpToDate (else Outdated) */
#define HD_MDF_PRIMARY		(1u << 2)	/* Primary when written */
#define HD_MDF_CRASHED_PRIMARY	(1u << 3)	/* was Primary at a crash */
#define HD_MDF_PEER_OUTDATED	(1u << 4)	/* the peer is known Outdated */
#define HD_MDF_AL_CLEAN		(1u << 5)	/* no active extents */
#define HD_MDF_FULL_SYNC	(1u << 6)	/* a full sync is due */
#define HD_MDF_PRI_AT_SPLIT	(1u << 7)	/* Primary at the split */
#define HD_MDF_KNOWN		0xffu

struct hd_md_super {
	__le32 magic;			/*   0: HD_MD_MAGIC */
	__le32 version;			/*   4: HD_MD_VERSION */
	__le32 crc;			/*   8: crc32c of this struct, crc = 0 */
	__le32 flags;			/*  12: HD_MDF_* */
	__le64 data_sectors;		/*  16: size of the data area */
	__le64 md_bytes;		/*  24: size of the metadata area */
	__le64 sb_offset;		/*  32: byte offset of this superblock */
	__le64 al_offset;		/*  40: byte offset of AL slot 0 */
	__le64 bm_offset;		/*  48: byte offset of the bitmap */
	__le64 bm_bytes;		/*  56: bitmap size, 4 KiB multiple */
	__le32 al_slots;		/*  64: transactions in the ring */
	__le32 al_extents;		/*  68: active extents at most */
	__le32 node_id;			/*  72: this node's id */
	__le32 internal;		/*  76: 1 internal, 0 external */
	__le64 uuid_current;		/*  80: data generation identifiers */
	__le64 uuid_bitmap;		/*  88 */
	__le64 uuid_history[2];		/*  96 */
	__le64 created_time;		/* 112: seconds since the epoch */
	char resource[64];		/* 120: NUL-terminated, informational */
	__u8 reserved[72];		/* 184: zero */
} __attribute__((packed));		/* 256 bytes */
HD_MD_STATIC_ASSERT(sizeof(struct hd_md_super) == 256, "hd_md_super size");

#define HD_MD_AL_MAX_ENTRIES 1012

struct hd_md_al_tx {
	__le32 magic;			/*  0: HD_MD_AL_MAGIC */
	__le32 crc;			/*  4: crc32c of the 4 KiB, crc = 0 */
	__le64 seq;			/*  8: transaction number, from 1 */
	__le32 nr;			/* 16: active extents listed */
	__le32 reserved;		/* 20 */
	__le64 reserved2;		/* 24 */
	__le32 extent[HD_MD_AL_MAX_ENTRIES]; /* 32: extent numbers */
	__le32 pad[4];			/* 4080 */
} __attribute__((packed));		/* 4096 bytes */
HD_MD_STATIC_ASSERT(sizeof(struct hd_md_al_tx) == HD_MD_BLOCK,
		    "hd_md_al_tx size");
HD_MD_STATIC_ASSERT(HD_MD_AL_EXTENTS_MAX <= HD_MD_AL_MAX_ENTRIES,
		    "AL extents fit a transaction");

#endif /* HADISK_ONDISK_H */
