/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The promotion policy: given what a node knows of a resource and of its
 * peer, what it should do. Pure logic; the decision loop (main.c) acts on
 * the answer, the unit tests check every branch.
 */
#ifndef HADISKD_POLICY_H
#define HADISKD_POLICY_H

#include <stdbool.h>
#include <stdint.h>

enum hd_policy {
	HD_POLICY_MANUAL,	/* report and recommend; never promote */
	HD_POLICY_AUTOMATIC,	/* promote with fencing or the witness */
};

enum hd_witness_answer {
	HD_WIT_NONE,		/* not asked yet, or no answer yet */
	HD_WIT_GRANTED,
	HD_WIT_DENIED,
	HD_WIT_UNREACHABLE,	/* no answer for heartbeat-timeout */
};

struct hd_pol_in {
	enum hd_policy policy;
	bool fencing;		/* fencing kernel; */
	bool witness;		/* a witness is configured */
	bool peer_lost;		/* no path heard the peer for timeout */
	bool peer_was_active;	/* the peer was Primary or held the token */
	bool local_primary;
	bool link_connected;	/* the kernel's replication link is up */
	bool local_uptodate;
	enum hd_witness_answer wit;
};

enum hd_pol_action {
	HD_POL_NOTHING,		/* nothing to decide */
	HD_POL_RECOMMEND,	/* manual: log how to take over */
	HD_POL_ASK_WITNESS,	/* automatic: ask the witness for the lease */
	HD_POL_PROMOTE,		/* automatic: promote now */
	HD_POL_REFUSE,		/* automatic, but not safe: why says it */
};

/* The decision; *why (a constant string) explains REFUSE and NOTHING. */
enum hd_pol_action hd_policy_decide(const struct hd_pol_in *in,
				    const char **why);

/*
 * Whether a configuration may start: automatic needs fencing or a
 * witness. Returns NULL if fine, else what is wrong and how to fix it.
 */
const char *hd_policy_check(enum hd_policy policy, bool fencing,
			    bool witness);

/* "manual" / "automatic"; parse returns -1 for anything else. */
const char *hd_policy_str(enum hd_policy p);
int hd_policy_parse(const char *s, enum hd_policy *p);

/*
 * Heartbeat paths: a path is up while something was heard on it within
 * timeout; the peer is lost when every path is down. last_us[i] is 0 for
 * a path that never heard anything; since_us is when the peer was heard
 * last on any path (0: never) and started (when the daemon started)
 * counts as the last time for a peer never heard.
 */
bool hd_path_up(uint64_t last_us, uint64_t now_us, uint64_t timeout_us);
bool hd_peer_lost(const uint64_t *last_us, unsigned int n, uint64_t now_us,
		  uint64_t timeout_us, uint64_t started_us,
		  uint64_t *since_us);

#endif /* HADISKD_POLICY_H */
