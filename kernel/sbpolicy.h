/* SPDX-License-Identifier: GPL-2.0 */
/* Split-brain recovery policies (pure logic, see sbpolicy.c). */
#ifndef HD_SBPOLICY_H
#define HD_SBPOLICY_H

#include "pure.h"

/* One node as it enters the handshake (from its HELLO). */
struct hd_sb_side {
	unsigned int role;	/* enum hadisk_role */
	bool pri_at_split;	/* was Primary when the link broke */
	bool discard_my_data;	/* told to be the victim */
	u64 changes;		/* 4 KiB blocks changed since the split */
	u32 node_id;
};

/* The after-sb-* configuration; identical on both nodes. */
struct hd_sb_policy {
	u8 pri0, pri1, pri2;	/* enum hadisk_after_sb */
	u32 discard_node;	/* node id for HADISK_SB_DISCARD_NODE */
};

enum hd_sb_result {
	HD_SB_UNRESOLVED,	/* stay apart */
	HD_SB_ME_VICTIM,	/* my changes are discarded: sync target */
	HD_SB_PEER_VICTIM,	/* the peer's are: sync source */
	HD_SB_ME_PRI_LOST,	/* I am the victim but Primary: hook */
	HD_SB_PEER_PRI_LOST,	/* the peer is, and does that */
};

/*
 * Both nodes call this with the same inputs, mirrored, and reach mirrored
 * results. why (len bytes) says which rule decided, from this node's
 * point of view.
 */
enum hd_sb_result hd_sb_resolve(const struct hd_sb_side *me,
				const struct hd_sb_side *peer,
				const struct hd_sb_policy *pol,
				char *why, size_t len);

/* Is value a valid policy for 0, 1 or 2 Primaries? */
bool hd_sb_policy_valid(unsigned int nprimaries, unsigned int value);
const char *hd_sb_policy_name(unsigned int value);

#endif /* HD_SBPOLICY_H */
