// SPDX-License-Identifier: GPL-2.0
/*
 * Split-brain recovery policies: after a split brain is detected at
 * connect (state.c), which node's changes are discarded, if any. Pure
 * logic, built in the module and in the userspace unit tests.
 *
 * Both nodes evaluate hd_sb_resolve() on the two HELLOs of the handshake
 * (the same inputs, mirrored) and the same policy (the handshake refuses
 * differing policies), so they agree without a further exchange: every
 * rule is symmetric, and every tie is broken by node id.
 *
 * Order of the rules:
 *   1. --discard-my-data on exactly one side: that side is the victim
 *      (not if it is Primary; both sides set: unresolved).
 *   2. By the number of Primaries, after-sb-0pri, -1pri or -2pri:
 *      0pri: discard-younger-primary / discard-older-primary compare
 *            pri_at_split (the node that was Primary when the link broke
 *            is the older Primary); undecided: discard-least-changes.
 *            discard-zero-changes: a node without changes loses; both
 *            changed: unresolved. discard-least-changes: fewer changed
 *            blocks lose; a tie: the higher node id loses.
 *            discard-node: that node loses.
 *      1pri: discard-secondary; consensus: the 0pri outcome if it
 *            discards the Secondary, else unresolved; call-pri-lost:
 *            the 0pri outcome, and a Primary victim runs its
 *            pri-lost-after-sb hook instead of being overwritten.
 *      2pri: call-pri-lost: as for 1pri.
 */
#include "sbpolicy.h"
#include "uapi/linux/hadisk.h"

static const char * const sb_names[] = {
	[HADISK_SB_DISCONNECT] = "disconnect",
	[HADISK_SB_DISCARD_YOUNGER_PRI] = "discard-younger-primary",
	[HADISK_SB_DISCARD_OLDER_PRI] = "discard-older-primary",
	[HADISK_SB_DISCARD_ZERO_CHANGES] = "discard-zero-changes",
	[HADISK_SB_DISCARD_LEAST_CHANGES] = "discard-least-changes",
	[HADISK_SB_DISCARD_NODE] = "discard-node",
	[HADISK_SB_CONSENSUS] = "consensus",
	[HADISK_SB_DISCARD_SECONDARY] = "discard-secondary",
	[HADISK_SB_CALL_PRI_LOST] = "call-pri-lost-after-sb",
};

const char *hd_sb_policy_name(unsigned int value)
{
	if (value >= ARRAY_SIZE(sb_names))
		return "?";
	return sb_names[value];
}

bool hd_sb_policy_valid(unsigned int nprimaries, unsigned int v)
{
	switch (nprimaries) {
	case 0:
		return v <= HADISK_SB_DISCARD_NODE;
	case 1:
		return v == HADISK_SB_DISCONNECT || v == HADISK_SB_CONSENSUS ||
		       v == HADISK_SB_DISCARD_SECONDARY ||
		       v == HADISK_SB_CALL_PRI_LOST;
	case 2:
		return v == HADISK_SB_DISCONNECT ||
		       v == HADISK_SB_CALL_PRI_LOST;
	}
	return false;
}

static enum hd_sb_result least_changes(const struct hd_sb_side *me,
				       const struct hd_sb_side *peer,
				       char *why, size_t len, const char *pre)
{
	if (me->changes != peer->changes) {
		snprintf(why, len,
			 "%sdiscard-least-changes: this node changed %llu blocks, the peer %llu",
			 pre, (unsigned long long)me->changes,
			 (unsigned long long)peer->changes);
		return me->changes < peer->changes ? HD_SB_ME_VICTIM :
						     HD_SB_PEER_VICTIM;
	}
	snprintf(why, len,
		 "%sdiscard-least-changes: both changed %llu blocks; the higher node id (%u) loses",
		 pre, (unsigned long long)me->changes,
		 me->node_id > peer->node_id ? me->node_id : peer->node_id);
	return me->node_id > peer->node_id ? HD_SB_ME_VICTIM :
					     HD_SB_PEER_VICTIM;
}

static enum hd_sb_result resolve_0pri(const struct hd_sb_side *me,
				      const struct hd_sb_side *peer,
				      const struct hd_sb_policy *pol,
				      char *why, size_t len)
{
	bool younger = pol->pri0 == HADISK_SB_DISCARD_YOUNGER_PRI;

	switch (pol->pri0) {
	case HADISK_SB_DISCARD_YOUNGER_PRI:
	case HADISK_SB_DISCARD_OLDER_PRI:
		if (me->pri_at_split != peer->pri_at_split) {
			/* me->pri_at_split: I am the older Primary. */
			snprintf(why, len, "%s: %s was Primary when the link broke",
				 hd_sb_policy_name(pol->pri0),
				 me->pri_at_split ? "this node" : "the peer");
			if (me->pri_at_split == younger)
				return HD_SB_PEER_VICTIM;
			return HD_SB_ME_VICTIM;
		}
		return least_changes(me, peer, why, len,
				     younger ?
				     "discard-younger-primary undecided (no single node was Primary when the link broke), " :
				     "discard-older-primary undecided (no single node was Primary when the link broke), ");
	case HADISK_SB_DISCARD_ZERO_CHANGES:
		if (me->changes && peer->changes) {
			snprintf(why, len,
				 "discard-zero-changes: both nodes changed data (this node %llu blocks, the peer %llu)",
				 (unsigned long long)me->changes,
				 (unsigned long long)peer->changes);
			return HD_SB_UNRESOLVED;
		}
		if (!me->changes && !peer->changes)
			return least_changes(me, peer, why, len,
					     "discard-zero-changes: neither changed data, ");
		snprintf(why, len, "discard-zero-changes: %s changed nothing",
			 me->changes ? "the peer" : "this node");
		return me->changes ? HD_SB_PEER_VICTIM : HD_SB_ME_VICTIM;
	case HADISK_SB_DISCARD_LEAST_CHANGES:
		return least_changes(me, peer, why, len, "");
	case HADISK_SB_DISCARD_NODE:
		if (pol->discard_node == me->node_id) {
			snprintf(why, len, "discard-node: this node (id %u) is named",
				 me->node_id);
			return HD_SB_ME_VICTIM;
		}
		if (pol->discard_node == peer->node_id) {
			snprintf(why, len, "discard-node: the peer (id %u) is named",
				 peer->node_id);
			return HD_SB_PEER_VICTIM;
		}
		snprintf(why, len, "discard-node: node id %u is neither node",
			 pol->discard_node);
		return HD_SB_UNRESOLVED;
	}
	snprintf(why, len, "after-sb-0pri is %s",
		 hd_sb_policy_name(pol->pri0));
	return HD_SB_UNRESOLVED;
}

/* The victim of r0 is Primary: it runs pri-lost-after-sb instead. */
static enum hd_sb_result pri_lost(enum hd_sb_result r0,
				  const struct hd_sb_side *me,
				  const struct hd_sb_side *peer)
{
	if (r0 == HD_SB_ME_VICTIM && me->role == HADISK_ROLE_PRIMARY)
		return HD_SB_ME_PRI_LOST;
	if (r0 == HD_SB_PEER_VICTIM && peer->role == HADISK_ROLE_PRIMARY)
		return HD_SB_PEER_PRI_LOST;
	return r0;
}

enum hd_sb_result hd_sb_resolve(const struct hd_sb_side *me,
				const struct hd_sb_side *peer,
				const struct hd_sb_policy *pol,
				char *why, size_t len)
{
	bool me_pri = me->role == HADISK_ROLE_PRIMARY;
	bool peer_pri = peer->role == HADISK_ROLE_PRIMARY;
	char sub[160];
	enum hd_sb_result r0;

	if (me->discard_my_data || peer->discard_my_data) {
		if (me->discard_my_data && peer->discard_my_data) {
			snprintf(why, len,
				 "both nodes were told to discard their data (--discard-my-data): give it on one node only");
			return HD_SB_UNRESOLVED;
		}
		if ((me->discard_my_data && me_pri) ||
		    (peer->discard_my_data && peer_pri)) {
			snprintf(why, len,
				 "--discard-my-data was given on a Primary (%s): demote it first",
				 me_pri ? "this node" : "the peer");
			return HD_SB_UNRESOLVED;
		}
		snprintf(why, len, "--discard-my-data on %s",
			 me->discard_my_data ? "this node" : "the peer");
		return me->discard_my_data ? HD_SB_ME_VICTIM :
					     HD_SB_PEER_VICTIM;
	}
	if (!me_pri && !peer_pri)
		return resolve_0pri(me, peer, pol, why, len);
	if (me_pri && peer_pri) {
		if (pol->pri2 != HADISK_SB_CALL_PRI_LOST) {
			snprintf(why, len, "after-sb-2pri is %s",
				 hd_sb_policy_name(pol->pri2));
			return HD_SB_UNRESOLVED;
		}
		r0 = resolve_0pri(me, peer, pol, sub, sizeof(sub));
		snprintf(why, len, "after-sb-2pri call-pri-lost-after-sb, %s",
			 sub);
		return pri_lost(r0, me, peer);
	}
	switch (pol->pri1) {
	case HADISK_SB_DISCARD_SECONDARY:
		snprintf(why, len, "after-sb-1pri discard-secondary");
		return me_pri ? HD_SB_PEER_VICTIM : HD_SB_ME_VICTIM;
	case HADISK_SB_CONSENSUS:
		r0 = resolve_0pri(me, peer, pol, sub, sizeof(sub));
		if ((r0 == HD_SB_ME_VICTIM && !me_pri) ||
		    (r0 == HD_SB_PEER_VICTIM && !peer_pri)) {
			snprintf(why, len, "after-sb-1pri consensus, %s", sub);
			return r0;
		}
		snprintf(why, len,
			 "after-sb-1pri consensus: after-sb-0pri (%s) does not discard the Secondary",
			 sub);
		return HD_SB_UNRESOLVED;
	case HADISK_SB_CALL_PRI_LOST:
		r0 = resolve_0pri(me, peer, pol, sub, sizeof(sub));
		snprintf(why, len, "after-sb-1pri call-pri-lost-after-sb, %s",
			 sub);
		return pri_lost(r0, me, peer);
	}
	snprintf(why, len, "after-sb-1pri is %s",
		 hd_sb_policy_name(pol->pri1));
	return HD_SB_UNRESOLVED;
}
