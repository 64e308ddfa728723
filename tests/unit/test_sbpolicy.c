// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the split-brain recovery policies (kernel/sbpolicy.c). */
#include "unit.h"
#include "sbpolicy.h"
#include "uapi/linux/hadisk.h"

#define P HADISK_ROLE_PRIMARY
#define S HADISK_ROLE_SECONDARY

static enum hd_sb_result mirror(enum hd_sb_result r)
{
	switch (r) {
	case HD_SB_ME_VICTIM:
		return HD_SB_PEER_VICTIM;
	case HD_SB_PEER_VICTIM:
		return HD_SB_ME_VICTIM;
	case HD_SB_ME_PRI_LOST:
		return HD_SB_PEER_PRI_LOST;
	case HD_SB_PEER_PRI_LOST:
		return HD_SB_ME_PRI_LOST;
	default:
		return r;
	}
}

/* Resolve from both sides; they must agree. */
static enum hd_sb_result sb(struct hd_sb_side a, struct hd_sb_side b,
			    unsigned int p0, unsigned int p1, unsigned int p2)
{
	struct hd_sb_policy pol = { .pri0 = p0, .pri1 = p1, .pri2 = p2,
				    .discard_node = 1 };
	char why[256], why2[256];
	enum hd_sb_result r = hd_sb_resolve(&a, &b, &pol, why, sizeof(why));
	enum hd_sb_result m = hd_sb_resolve(&b, &a, &pol, why2, sizeof(why2));

	CHECK_EQ(r, mirror(m));
	CHECK(why[0] && why2[0]);
	return r;
}

static struct hd_sb_side node(unsigned int id, unsigned int role, bool pas,
			      u64 changes)
{
	struct hd_sb_side s = { .role = role, .pri_at_split = pas,
				.changes = changes, .node_id = id };
	return s;
}

static void test_disconnect(void)
{
	CHECK_EQ(sb(node(0, S, 1, 5), node(1, S, 0, 3), 0, 0, 0),
		 HD_SB_UNRESOLVED);
	CHECK_EQ(sb(node(0, P, 1, 5), node(1, S, 0, 3),
		    HADISK_SB_DISCARD_LEAST_CHANGES, 0, 0), HD_SB_UNRESOLVED);
}

static void test_younger_older(void)
{
	unsigned int y = HADISK_SB_DISCARD_YOUNGER_PRI;
	unsigned int o = HADISK_SB_DISCARD_OLDER_PRI;

	/* node 0 was Primary at the split: node 1 is the younger one */
	CHECK_EQ(sb(node(0, S, 1, 5), node(1, S, 0, 50), y, 0, 0),
		 HD_SB_PEER_VICTIM);
	CHECK_EQ(sb(node(0, S, 1, 5), node(1, S, 0, 50), o, 0, 0),
		 HD_SB_ME_VICTIM);
	/* undecided: least changes */
	CHECK_EQ(sb(node(0, S, 0, 5), node(1, S, 0, 50), y, 0, 0),
		 HD_SB_ME_VICTIM);
	CHECK_EQ(sb(node(0, S, 1, 50), node(1, S, 1, 5), o, 0, 0),
		 HD_SB_PEER_VICTIM);
}

static void test_zero_changes(void)
{
	unsigned int z = HADISK_SB_DISCARD_ZERO_CHANGES;

	CHECK_EQ(sb(node(0, S, 0, 0), node(1, S, 0, 7), z, 0, 0),
		 HD_SB_ME_VICTIM);
	CHECK_EQ(sb(node(0, S, 0, 7), node(1, S, 0, 0), z, 0, 0),
		 HD_SB_PEER_VICTIM);
	CHECK_EQ(sb(node(0, S, 0, 7), node(1, S, 0, 1), z, 0, 0),
		 HD_SB_UNRESOLVED);
	/* neither: the higher node id loses */
	CHECK_EQ(sb(node(0, S, 0, 0), node(1, S, 0, 0), z, 0, 0),
		 HD_SB_PEER_VICTIM);
}

static void test_least_changes(void)
{
	unsigned int l = HADISK_SB_DISCARD_LEAST_CHANGES;

	CHECK_EQ(sb(node(0, S, 0, 3), node(1, S, 0, 9), l, 0, 0),
		 HD_SB_ME_VICTIM);
	CHECK_EQ(sb(node(3, S, 0, 9), node(1, S, 0, 9), l, 0, 0),
		 HD_SB_ME_VICTIM);
	CHECK_EQ(sb(node(0, S, 0, 9), node(7, S, 0, 9), l, 0, 0),
		 HD_SB_PEER_VICTIM);
}

static void test_discard_node(void)
{
	unsigned int d = HADISK_SB_DISCARD_NODE;

	/* sb() names node 1 */
	CHECK_EQ(sb(node(0, S, 0, 3), node(1, S, 0, 9), d, 0, 0),
		 HD_SB_PEER_VICTIM);
	CHECK_EQ(sb(node(1, S, 0, 3), node(0, S, 0, 9), d, 0, 0),
		 HD_SB_ME_VICTIM);
	CHECK_EQ(sb(node(2, S, 0, 3), node(0, S, 0, 9), d, 0, 0),
		 HD_SB_UNRESOLVED);
}

static void test_one_primary(void)
{
	unsigned int l = HADISK_SB_DISCARD_LEAST_CHANGES;

	CHECK_EQ(sb(node(0, P, 0, 3), node(1, S, 0, 9), 0,
		    HADISK_SB_DISCARD_SECONDARY, 0), HD_SB_PEER_VICTIM);
	/* consensus: 0pri discards the Secondary too */
	CHECK_EQ(sb(node(0, P, 0, 9), node(1, S, 0, 3), l,
		    HADISK_SB_CONSENSUS, 0), HD_SB_PEER_VICTIM);
	/* ... or it would discard the Primary: stay apart */
	CHECK_EQ(sb(node(0, P, 0, 3), node(1, S, 0, 9), l,
		    HADISK_SB_CONSENSUS, 0), HD_SB_UNRESOLVED);
	/* call-pri-lost: the Primary loses and runs its hook */
	CHECK_EQ(sb(node(0, P, 0, 3), node(1, S, 0, 9), l,
		    HADISK_SB_CALL_PRI_LOST, 0), HD_SB_ME_PRI_LOST);
	CHECK_EQ(sb(node(0, P, 0, 9), node(1, S, 0, 3), l,
		    HADISK_SB_CALL_PRI_LOST, 0), HD_SB_PEER_VICTIM);
}

static void test_two_primaries(void)
{
	unsigned int l = HADISK_SB_DISCARD_LEAST_CHANGES;

	CHECK_EQ(sb(node(0, P, 0, 3), node(1, P, 0, 9), l, 0, 0),
		 HD_SB_UNRESOLVED);
	CHECK_EQ(sb(node(0, P, 0, 3), node(1, P, 0, 9), l, 0,
		    HADISK_SB_CALL_PRI_LOST), HD_SB_ME_PRI_LOST);
}

static void test_discard_my_data(void)
{
	struct hd_sb_side a = node(0, S, 0, 100), b = node(1, S, 0, 1);

	a.discard_my_data = true;
	CHECK_EQ(sb(a, b, HADISK_SB_DISCARD_LEAST_CHANGES, 0, 0),
		 HD_SB_ME_VICTIM);
	CHECK_EQ(sb(a, b, 0, 0, 0), HD_SB_ME_VICTIM);
	b.discard_my_data = true;
	CHECK_EQ(sb(a, b, 0, 0, 0), HD_SB_UNRESOLVED);
	b.discard_my_data = false;
	a.role = P;
	CHECK_EQ(sb(a, b, 0, 0, 0), HD_SB_UNRESOLVED);
}

static void test_valid(void)
{
	CHECK(hd_sb_policy_valid(0, HADISK_SB_DISCARD_NODE));
	CHECK(!hd_sb_policy_valid(0, HADISK_SB_CONSENSUS));
	CHECK(hd_sb_policy_valid(1, HADISK_SB_CONSENSUS));
	CHECK(!hd_sb_policy_valid(1, HADISK_SB_DISCARD_LEAST_CHANGES));
	CHECK(hd_sb_policy_valid(2, HADISK_SB_CALL_PRI_LOST));
	CHECK(!hd_sb_policy_valid(2, HADISK_SB_DISCARD_SECONDARY));
	CHECK(!hd_sb_policy_valid(0, __HADISK_SB_MAX));
	CHECK(!strcmp(hd_sb_policy_name(HADISK_SB_CONSENSUS), "consensus"));
}

int main(void)
{
	RUN(test_disconnect);
	RUN(test_younger_older);
	RUN(test_zero_changes);
	RUN(test_least_changes);
	RUN(test_discard_node);
	RUN(test_one_primary);
	RUN(test_two_primaries);
	RUN(test_discard_my_data);
	RUN(test_valid);
	return unit_exit();
}
