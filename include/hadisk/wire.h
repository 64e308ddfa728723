/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hadisk wire protocol, version HD_WIRE_VERSION.
 *
 * Two TCP connections per peer: the data socket carries writes, resync data
 * and state changes; the meta socket carries acknowledgements and pings, so
 * an ack never queues behind data. The node with the lower node id connects,
 * the other listens and accepts. Every packet starts with struct hd_hdr; all
 * integers are big endian; every struct below is packed, and its size is
 * checked at compile time.
 *
 * Handshake: the connector opens the data socket and sends HELLO (sock_type
 * DATA), then the meta socket and sends HELLO (sock_type META) with the same
 * session cookie. The acceptor checks both and answers with its own HELLO on
 * the data socket, or with REFUSE (a reason code and text) and closes. The
 * connector checks the acceptor's HELLO the same way and answers HELLO_OK
 * (no body), or REFUSE if it disagrees. Both then decide the sync direction from the two HELLOs with the
 * same rules (kernel/state.c), so they agree without further messages.
 *
 * Data socket packets:  DATA, RS_DATA (hd_data + payload), STATE (hd_state),
 *                       SYNC_START (hd_sync), SYNC_DONE (hd_sync),
 *                       BITMAP (up to HD_BITMAP_MAX_RUNS struct hd_bm_run),
 *                       BITMAP_DONE (hd_bm_done)
 *
 * Before a bitmap-based resync the target sends its own out-of-sync
 * blocks (after a crash, the extents of its activity log) as BITMAP runs
 * and BITMAP_DONE; the source adds them to its bitmap, then starts.
 * Meta socket packets:  PING, PING_ACK (no body), RECV_ACK, WRITE_ACK,
 *                       NEG_ACK, RS_ACK, RS_NEG_ACK, CSUM_REPLY (hd_ack)
 * Data socket, also:    CSUM_REQ (hd_csum_req)
 */
#ifndef HADISK_WIRE_H
#define HADISK_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/build_bug.h>
#define HD_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#include <stdint.h>
#include <assert.h>
#include <linux/types.h>
#define HD_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

#define HD_WIRE_MAGIC		0x48444b57u	/* "HDKW" */
#define HD_HELLO_MAGIC		0x48444b48u	/* "HDKH" */
#define HD_WIRE_VERSION		2		/* this implementation */
#define HD_WIRE_VERSION_MIN	2		/* oldest we speak */
#define HD_MAX_PAYLOAD		(1u << 20)	/* largest DATA payload */

enum hd_packet_type {
	HD_P_HELLO = 1,
	HD_P_REFUSE = 2,
	HD_P_DATA = 3,
	HD_P_RS_DATA = 4,
	HD_P_STATE = 5,
	HD_P_SYNC_START = 6,
	HD_P_SYNC_DONE = 7,
	HD_P_HELLO_OK = 8,
	HD_P_BITMAP = 9,
	HD_P_BITMAP_DONE = 10,
	HD_P_CSUM_REQ = 11,
	HD_P_AUTH_CHALLENGE = 12,	/* 32 random bytes */
	HD_P_AUTH_RESPONSE = 13,	/* the HMAC, zero-padded to 64 bytes */
	HD_P_READ_REQ = 14,		/* struct hd_data, no payload */
	HD_P_READ_REPLY = 15,		/* struct hd_ack + payload if status 0 */
	HD_P_PING = 16,
	HD_P_PING_ACK = 17,
	HD_P_RECV_ACK = 18,
	HD_P_WRITE_ACK = 19,
	HD_P_NEG_ACK = 20,
	HD_P_RS_ACK = 21,
	HD_P_RS_NEG_ACK = 22,
	HD_P_CSUM_REPLY = 23,
};

/* Every packet. length counts the bytes after this header. */
struct hd_hdr {
	__be32 magic;		/*  0: HD_WIRE_MAGIC */
	__be16 type;		/*  4: enum hd_packet_type */
	__be16 flags;		/*  6: reserved, 0 */
	__be32 length;		/*  8: body + payload bytes */
	__be32 digest;		/* 12: DATA, RS_DATA with HD_FEAT_DIGEST:
				 *     crc32c of the payload; else 0
				 */
} __attribute__((packed));	/* 16 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_hdr) == 16, "hd_hdr size");

enum hd_sock_type { HD_SOCK_DATA = 1, HD_SOCK_META = 2 };

#define HD_WIRE_NAME_LEN 64

/* HELLO body. Its first three fields keep their place in every version. */
struct hd_hello {
	__be32 magic;		/*   0: HD_HELLO_MAGIC */
	__be16 version_min;	/*   4: oldest version the sender speaks */
	__be16 version_max;	/*   6: newest version the sender speaks */
	__be32 features;	/*   8: HD_FEAT_* */
	__be32 sock_type;	/*  12: enum hd_sock_type */
	__be64 session;		/*  16: random, pairs data and meta sockets */
	__be32 node_id;		/*  24: the sender's node id */
	__be32 peer_node_id;	/*  28: the node id the sender expects here */
	__be64 size_sectors;	/*  32: the sender's device size */
	__be64 current_uuid;	/*  40: data generation identifiers */
	__be64 bitmap_uuid;	/*  48 */
	__be64 history_uuid[2];	/*  56 */
	__u8 role;		/*  72: enum hadisk_role */
	__u8 disk_state;	/*  73: enum hadisk_disk_state */
	__u8 protocol;		/*  74: enum hadisk_protocol */
	__u8 flags;		/*  75: HD_HELLO_F_* */
	__be32 reserved;	/*  76 */
	char resource[HD_WIRE_NAME_LEN]; /* 80: NUL-terminated */
	/* version 2 */
	__be64 changes;		/* 144: 4 KiB blocks out of sync here */
	__u8 after_sb[3];	/* 152: after-sb-0pri, -1pri, -2pri */
	__u8 fencing;		/* 155: enum hadisk_fencing (informative) */
	__be32 discard_node;	/* 156: node id for discard-node */
	__be64 reserved2[2];	/* 160: 0 */
} __attribute__((packed));	/* 176 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_hello) == 176, "hd_hello size");
/* magic and version range: what any version can read of a HELLO */
#define HD_HELLO_MIN_LEN	8

/* HELLO features: both sides must agree on these */
#define HD_FEAT_AUTH		(1u << 0)	/* challenge-response next */
#define HD_FEAT_DIGEST		(1u << 1)	/* crc32c data digests */

#define HD_HELLO_F_CRASHED_PRIMARY	(1u << 0) /* was Primary at a crash */
#define HD_HELLO_F_DISCARD_MY_DATA	(1u << 1) /* victim of a split brain */
#define HD_HELLO_F_PRI_AT_SPLIT		(1u << 2) /* Primary at the split */

enum hd_refuse_code {
	HD_REFUSE_VERSION = 1,
	HD_REFUSE_RESOURCE = 2,
	HD_REFUSE_NODE_ID = 3,
	HD_REFUSE_SIZE = 4,
	HD_REFUSE_PROTOCOL = 5,
	HD_REFUSE_SPLIT_BRAIN = 6,
	HD_REFUSE_UNRELATED = 7,
	HD_REFUSE_BUSY = 8,
	HD_REFUSE_BAD_HELLO = 9,
	HD_REFUSE_BOTH_PRIMARY = 10,
	HD_REFUSE_POLICY = 11,
	HD_REFUSE_SAVE = 12,
	HD_REFUSE_PRI_LOST = 13,	/* both Primary: you lose (2pri) */
	HD_REFUSE_AUTH = 14,		/* a secret on one side only, or a
					 * wrong answer to the challenge
					 */
	HD_REFUSE_DIGEST = 15,		/* a data digest on one side only */
};

#define HD_REFUSE_TEXT_LEN 160
struct hd_refuse {
	__be32 code;		/*   0: enum hd_refuse_code */
	char text[HD_REFUSE_TEXT_LEN]; /* 4: NUL-terminated reason */
} __attribute__((packed));	/* 164 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_refuse) == 164, "hd_refuse size");

/* DATA and RS_DATA flags */
#define HD_DF_FUA	(1u << 0)
#define HD_DF_PREFLUSH	(1u << 1)
#define HD_DF_DISCARD	(1u << 2)	/* no payload */
#define HD_DF_ZEROES	(1u << 3)	/* write zeroes, no payload */
#define HD_DF_NEW_EPOCH	(1u << 4)	/* earlier writes must be on disk first */
#define HD_DF_KNOWN	0x1fu

/*
 * DATA / RS_DATA body, followed by size bytes of payload unless the
 * request carries no data (discard, write zeroes, empty flush).
 */
struct hd_data {
	__be64 id;		/*  0: the sender's request id, echoed in acks */
	__be64 sector;		/*  8: 512-byte sectors */
	__be32 size;		/* 16: bytes */
	__be32 flags;		/* 20: HD_DF_* */
} __attribute__((packed));	/* 24 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_data) == 24, "hd_data size");

/* Acks on the meta socket. */
struct hd_ack {
	__be64 id;		/*  0: echoed request id */
	__be64 sector;		/*  8 */
	__be32 size;		/* 16 */
	__be32 status;		/* 20: 0, or a positive errno for NEG_ACK */
} __attribute__((packed));	/* 24 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_ack) == 24, "hd_ack size");

/*
 * READ_REQ (data channel): a node without a usable disk (Diskless after an
 * IO error, or a Primary still resyncing the blocks asked for) reads from
 * its peer. struct hd_data with flags 0; id echoed in READ_REPLY.
 * READ_REPLY (data channel): struct hd_ack (status 0 or a positive errno)
 * followed, when status is 0, by size bytes of data (crc32c in the header's
 * digest field with HD_FEAT_DIGEST).
 */

/* STATE: role or disk state or identifiers changed on the sender. */
#define HD_STATE_F_SKIP_SYNC	(1u << 0) /* adopt current_uuid, UpToDate */
#define HD_STATE_F_PULLED	(1u << 1) /* the sender pulled every block it
					   * lacked from us (READ_REQ) and
					   * adopted our current_uuid
					   */

struct hd_state {
	__u8 role;		/*  0 */
	__u8 disk_state;	/*  1 */
	__be16 pad;		/*  2 */
	__be32 flags;		/*  4: HD_STATE_F_* */
	__be64 current_uuid;	/*  8 */
	__be64 bitmap_uuid;	/* 16 */
} __attribute__((packed));	/* 24 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_state) == 24, "hd_state size");

/* SYNC_START and SYNC_DONE, source to target. */
struct hd_sync {
	__be64 total_bytes;	/*  0: bytes the source will send */
	__be64 current_uuid;	/*  8: the source's data generation */
	__be64 bitmap_uuid;	/* 16: generation the source's bitmap counts
				 *     from; the target adopts it as current
				 *     while Inconsistent, so an interrupted
				 *     sync resumes from the bitmap
				 */
	__be32 full;		/* 24: 1 for a full sync */
	__be32 reserved;	/* 28 */
} __attribute__((packed));	/* 32 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_sync) == 32, "hd_sync size");

/* BITMAP: runs of out-of-sync 4 KiB blocks. */
struct hd_bm_run {
	__be64 start;		/*  0: first block */
	__be64 len;		/*  8: blocks */
} __attribute__((packed));	/* 16 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_bm_run) == 16, "hd_bm_run size");
#define HD_BITMAP_MAX_RUNS 256

struct hd_bm_done {
	__be64 runs;		/*  0: runs sent in all */
} __attribute__((packed));	/* 8 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_bm_done) == 8, "hd_bm_done size");

/*
 * CSUM_REQ (data channel): the sender's crc32c of each 4 KiB block of a
 * run; the receiver compares them with its own blocks and answers
 * CSUM_REPLY (meta channel, struct hd_ack) whose status is the mask of
 * the blocks that differ (bit k: block k of the run). Used by online
 * verify and by checksum-based resync.
 */
#define HD_CSUM_MAX_BLOCKS 32
struct hd_csum_req {
	__be64 id;		/*   0 */
	__be64 sector;		/*   8: 4 KiB aligned */
	__be32 size;		/*  16: bytes, nblocks * 4096 or less at the end */
	__be32 nblocks;		/*  20: 1..HD_CSUM_MAX_BLOCKS */
	__be32 digest[HD_CSUM_MAX_BLOCKS]; /* 24 */
} __attribute__((packed));	/* 152 bytes */
HD_STATIC_ASSERT(sizeof(struct hd_csum_req) == 152, "hd_csum_req size");

/* Decoded forms (host order), shared by the kernel and the unit tests. */
struct hd_hello_info {
	unsigned int version_min, version_max, features, sock_type;
	uint64_t session;
	unsigned int node_id, peer_node_id;
	uint64_t size_sectors, current_uuid, bitmap_uuid, history_uuid[2];
	unsigned int role, disk_state, protocol, flags;
	char resource[HD_WIRE_NAME_LEN];
	uint64_t changes;
	unsigned int after_sb[3], fencing, discard_node;
};

#endif /* HADISK_WIRE_H */
