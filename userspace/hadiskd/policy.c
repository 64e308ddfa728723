// SPDX-License-Identifier: GPL-2.0
/*
 * The promotion policy, see policy.h. Pure logic.
 */
#include <string.h>

#include "policy.h"

enum hd_pol_action hd_policy_decide(const struct hd_pol_in *in,
				    const char **why)
{
	*why = "";
	if (in->local_primary) {
		*why = "this node is Primary";
		return HD_POL_NOTHING;
	}
	if (!in->peer_lost) {
		*why = "the peer is alive";
		return HD_POL_NOTHING;
	}
	if (!in->peer_was_active) {
		*why = "the peer was not Primary: there is nothing to take over";
		return HD_POL_NOTHING;
	}
	if (in->link_connected) {
		*why = "the replication link is still connected: the peer's kernel is alive";
		return HD_POL_NOTHING;
	}
	if (!in->local_uptodate) {
		*why = "the local disk is not UpToDate: promoting would serve stale data";
		return in->policy == HD_POLICY_MANUAL ? HD_POL_NOTHING :
			HD_POL_REFUSE;
	}
	if (in->policy == HD_POLICY_MANUAL)
		return HD_POL_RECOMMEND;
	if (in->witness) {
		switch (in->wit) {
		case HD_WIT_GRANTED:
			return HD_POL_PROMOTE;
		case HD_WIT_DENIED:
			*why = "the witness gives the active token to another node";
			return HD_POL_REFUSE;
		case HD_WIT_UNREACHABLE:
			*why = "the witness is unreachable: no promotion without its agreement";
			return HD_POL_REFUSE;
		case HD_WIT_NONE:
			break;
		}
		return HD_POL_ASK_WITNESS;
	}
	if (in->fencing)
		return HD_POL_PROMOTE;
	*why = "automatic promotion needs fencing or a witness";
	return HD_POL_REFUSE;
}

const char *hd_policy_check(enum hd_policy policy, bool fencing,
			    bool witness)
{
	if (policy == HD_POLICY_AUTOMATIC && !fencing && !witness)
		return "policy automatic needs 'fencing kernel;' in this resource or a 'witness ADDRESS;' in the daemon section: without either, two nodes cut apart could both promote; set one, or use 'policy manual;'";
	return NULL;
}

const char *hd_policy_str(enum hd_policy p)
{
	return p == HD_POLICY_AUTOMATIC ? "automatic" : "manual";
}

int hd_policy_parse(const char *s, enum hd_policy *p)
{
	if (!strcmp(s, "manual"))
		*p = HD_POLICY_MANUAL;
	else if (!strcmp(s, "automatic"))
		*p = HD_POLICY_AUTOMATIC;
	else
		return -1;
	return 0;
}

bool hd_path_up(uint64_t last_us, uint64_t now_us, uint64_t timeout_us)
{
	return last_us && now_us - last_us < timeout_us;
}

bool hd_peer_lost(const uint64_t *last_us, unsigned int n, uint64_t now_us,
		  uint64_t timeout_us, uint64_t started_us,
		  uint64_t *since_us)
{
	uint64_t last = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (last_us[i] > last)
			last = last_us[i];
	*since_us = last;
	if (!last)
		last = started_us;
	return now_us - last >= timeout_us;
}
