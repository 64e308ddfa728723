/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hadiskd datagram: heartbeats between the two nodes, the
 * request/response pair of switchover, and the witness's lease messages.
 * One UDP datagram of exactly HD_HB_SIZE bytes, integers big-endian, names
 * NUL-padded. Documentation/hadiskd.md has the same table.
 *
 *  off size field
 *    0    4 magic          0x48444842 ("HDHB")
 *    4    1 version        2 (HD_HB_VERSION); other versions are dropped
 *    5    1 type           enum hd_hb_type
 *    6    1 nres           resource entries used, 0..HD_HB_MAX_RES
 *    7    1 flags          0 (reserved)
 *    8    8 seq            sender's counter, +1 per datagram sent
 *   16    8 tx_us          sender's CLOCK_MONOTONIC at sending, µs
 *   24    8 echo_us        tx_us of the last datagram received on this
 *                          path from the peer (0: none yet)
 *   32    4 echo_delay_us  time between receiving that one and sending
 *   36    4 req_id         REQUEST/RESPONSE/ACQUIRE/GRANT/DENY pairing
 *   40   32 node           sender's node name
 *   72   32 subject        resource a request or lease is about
 *  104    1 op             REQUEST: enum hd_hb_op; RESPONSE: 0 ok, 1 failed
 *  105    3 pad            0
 *  108    4 lease_ms       ACQUIRE: asked; GRANT: granted; DENY: time
 *                          left of the holder's lease
 *  112   80 text           RESPONSE: message; DENY: the holder's name
 *  192  144 res[4]         the sender's view, 36 bytes each:
 *                            +0 32 name, +32 role (HADISK_ROLE_*),
 *                            +33 disk (HADISK_DISK_*), +34 flags
 *                            (HD_HB_RES_*), +35 conn (HADISK_CONN_*)
 *  336    8 mac            SipHash-2-4 of bytes 0..335 under the
 *                          shared key ('key-file'), 0 without a key
 *  344    4 crc            crc32c (Castagnoli) of the 348 bytes,
 *                          this field counted as zeros
 *  348      (size)
 *
 * RTT: the receiver of a datagram computes now - echo_us - echo_delay_us
 * on its own clock; no clock is compared across nodes.
 */
#ifndef HADISKD_HBPROTO_H
#define HADISKD_HBPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HD_HB_MAGIC	0x48444842u
#define HD_HB_VERSION	2	/* 2: 348 bytes (1 had 340) */
#define HD_HB_MAX_RES	4
#define HD_HB_NAME	32
#define HD_HB_TEXT	80
#define HD_HB_SIZE	348
#define HD_HB_MAC_OFF	336
#define HD_HB_CRC_OFF	344

enum hd_hb_type {
	HD_HB_HEARTBEAT = 1,
	HD_HB_REQUEST = 2,	/* node -> peer: do op on subject */
	HD_HB_RESPONSE = 3,	/* peer -> node: op done (0) or failed */
	HD_HB_ACQUIRE = 4,	/* node -> witness: grant or renew the lease */
	HD_HB_RELEASE = 5,	/* node -> witness: give the lease back */
	HD_HB_GRANT = 6,	/* witness -> node: the lease is yours */
	HD_HB_DENY = 7,		/* witness -> node: text holds it */
};

enum hd_hb_op {
	HD_HB_OP_PROMOTE = 1,	/* promote and start services */
	HD_HB_OP_DEMOTE = 2,	/* stop services and demote */
	HD_HB_OP_PREPARE = 3,	/* is a promotion possible? (switchover) */
};

#define HD_HB_RES_ACTIVE	0x01	/* holds the active token */
#define HD_HB_RES_SERVICES	0x02	/* services started */

/* The wire layout, for the offsets and the size assertion only. */
struct hd_hb_wire_res {
	char name[HD_HB_NAME];
	uint8_t role;
	uint8_t disk;
	uint8_t flags;
	uint8_t conn;
} __attribute__((packed));

struct hd_hb_wire {
	uint32_t magic;
	uint8_t version;
	uint8_t type;
	uint8_t nres;
	uint8_t flags;
	uint64_t seq;
	uint64_t tx_us;
	uint64_t echo_us;
	uint32_t echo_delay_us;
	uint32_t req_id;
	char node[HD_HB_NAME];
	char subject[HD_HB_NAME];
	uint8_t op;
	uint8_t pad[3];
	uint32_t lease_ms;
	char text[HD_HB_TEXT];
	struct hd_hb_wire_res res[HD_HB_MAX_RES];
	uint64_t mac;
	uint32_t crc;
} __attribute__((packed));

_Static_assert(sizeof(struct hd_hb_wire_res) == 36, "hd_hb_wire_res");
_Static_assert(offsetof(struct hd_hb_wire, req_id) == 36, "req_id");
_Static_assert(offsetof(struct hd_hb_wire, node) == 40, "node");
_Static_assert(offsetof(struct hd_hb_wire, subject) == 72, "subject");
_Static_assert(offsetof(struct hd_hb_wire, lease_ms) == 108, "lease_ms");
_Static_assert(offsetof(struct hd_hb_wire, text) == 112, "text");
_Static_assert(offsetof(struct hd_hb_wire, res) == 192, "res");
_Static_assert(offsetof(struct hd_hb_wire, mac) == HD_HB_MAC_OFF, "mac");
_Static_assert(offsetof(struct hd_hb_wire, crc) == HD_HB_CRC_OFF, "crc");
_Static_assert(sizeof(struct hd_hb_wire) == HD_HB_SIZE, "hd_hb_wire");

/* A datagram decoded, in host order, names NUL-terminated. */
struct hd_hb_res {
	char name[HD_HB_NAME + 1];
	uint8_t role, disk, flags, conn;
};

struct hd_hb_msg {
	uint8_t type;
	uint8_t nres;
	uint64_t seq;
	uint64_t tx_us;
	uint64_t echo_us;
	uint32_t echo_delay_us;
	uint32_t req_id;
	char node[HD_HB_NAME + 1];
	char subject[HD_HB_NAME + 1];
	uint8_t op;
	uint32_t lease_ms;
	char text[HD_HB_TEXT + 1];
	struct hd_hb_res res[HD_HB_MAX_RES];
};

/*
 * Writes m into buf (HD_HB_SIZE bytes); names are cut to fit. With key
 * (HD_SIPHASH_KEY_SIZE bytes, or NULL), the mac field authenticates it.
 */
void hd_hb_encode(const struct hd_hb_msg *m, const uint8_t *key,
		  uint8_t *buf);

/*
 * Decodes a datagram of len bytes. With key, its mac must be right (a
 * receiver without a key does not check it). Returns 0, or -1 with the
 * reason in why (a constant string): wrong size, magic, version,
 * checksum, MAC, type or resource count.
 */
int hd_hb_decode(const uint8_t *buf, size_t len, const uint8_t *key,
		 struct hd_hb_msg *m, const char **why);

/* The name of a type, "?" for an unknown one. */
const char *hd_hb_type_str(unsigned int type);

#endif /* HADISKD_HBPROTO_H */
