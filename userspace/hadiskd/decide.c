// SPDX-License-Identifier: GPL-2.0
/*
 * The decision loop, run by the main thread every heartbeat-interval:
 * for each configured resource it computes the active token, renews the
 * witness's lease while Primary, and asks policy.c what to do when the
 * peer is lost: recommend (manual), ask the witness, promote, or refuse
 * (automatic). It logs each decision once per loss of the peer (an
 * "episode"), and again when the reason changes.
 *
 * State: ep[] is the main thread's own; the rest is read from the view.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hadiskd.h"
#include "hbproto.h"
#include "log.h"
#include "view.h"

struct episode {
	bool peer_was_active;	/* sticky: the peer was Primary or active */
	bool recommended;	/* manual: the recommendation was logged */
	bool promoted;		/* automatic: tried once this episode */
	uint64_t ask_since_us;	/* first ACQUIRE of this episode */
	const char *refused;	/* the last refusal logged */
	bool lease_warned;
	bool self_demoted;	/* isolated Primary: demoted once */
	int fencing_warned;	/* the kernel's fencing last warned about */
};

static struct episode ep[HD_DCONF_MAX_RES];

struct token {
	const char *res;
	bool active;
	const char *recommendation;	/* NULL: unchanged */
};

static void set_token(struct hd_view *v, void *arg)
{
	const struct token *t = arg;
	int k = hd_view_res(v, t->res);

	if (k < 0)
		return;
	v->res[k].active = t->active;
	if (t->recommendation)
		hd_strlcpy(v->res[k].recommendation, t->recommendation,
			   sizeof(v->res[k].recommendation));
}

static enum hd_witness_answer witness_answer(const struct hd_vres *r,
					     const struct episode *e,
					     uint64_t now)
{
	uint64_t timeout = hd_conf.timeout_ms * 1000ull;

	if (e->ask_since_us && r->wit_reply && r->wit_sent_us >= e->ask_since_us &&
	    now - r->wit_reply_us < timeout) {
		if (r->wit_reply == HD_HB_GRANT && r->lease_until_us > now)
			return HD_WIT_GRANTED;
		if (r->wit_reply == HD_HB_DENY)
			return HD_WIT_DENIED;
	}
	if (e->ask_since_us && now - e->ask_since_us >= timeout)
		return HD_WIT_UNREACHABLE;
	return HD_WIT_NONE;
}

static void decide_res(const struct hd_view *v, unsigned int i, uint64_t now)
{
	const struct hd_dres *c = &hd_conf.res[i];
	const struct hd_vres *r = &v->res[i];
	struct episode *e = &ep[i];
	struct hd_pol_in in = { 0 };
	struct token t = { c->name, false, NULL };
	enum hd_pol_action act;
	const char *why;
	char text[160], msg[320];
	bool primary = r->in_kernel && r->role == HADISK_ROLE_PRIMARY;
	double lost_s = v->peer_last_us ? (now - v->peer_last_us) / 1e6 :
		(now - v->started_us) / 1e6;

	/* the active token and the witness's lease */
	if (primary && hd_conf.has_witness) {
		/* the heartbeat thread renews the lease */
		t.active = r->lease_until_us > now;
		if (!t.active && r->lease_until_us && !e->lease_warned) {
			e->lease_warned = true;
			if (r->wit_reply == HD_HB_DENY)
				hd_log(LOG_ERR,
				       "%s: this node is Primary but the witness gives the active token to %s",
				       c->name, r->wit_holder);
			else
				hd_log(LOG_WARNING,
				       "%s: the witness's lease expired (no answer from the witness): this node no longer holds the active token",
				       c->name);
		} else if (t.active && e->lease_warned) {
			e->lease_warned = false;
			hd_log(LOG_NOTICE, "%s: the witness's lease is renewed: this node holds the active token",
			       c->name);
		}
		/*
		 * Isolated: the lease ran out and the peer is silent too
		 * (two heartbeats missed on every path). The peer may be
		 * granted the token half a lease from now: stop now. A
		 * witness that alone is down (the peer still heard) demotes
		 * nothing: the peer cannot get the token either.
		 */
		if (!t.active && r->lease_until_us &&
		    now - v->peer_last_us >= 2000ull * hd_conf.interval_ms &&
		    c->policy == HD_POLICY_AUTOMATIC && !e->self_demoted) {
			e->self_demoted = true;
			/* isolated: the peer may be granted the token soon */
			hd_act_demote(c->name,
				      "isolated from the peer and the witness (lease expired)",
				      NULL, NULL, msg, sizeof(msg));
		}
	} else {
		t.active = primary;
	}

	if (!v->peer_lost) {
		e->peer_was_active = (r->peer_known &&
				      (r->peer.role == HADISK_ROLE_PRIMARY ||
				       r->peer.flags & HD_HB_RES_ACTIVE)) ||
			r->peer_role == HADISK_ROLE_PRIMARY;
		if (e->recommended || e->promoted || e->ask_since_us ||
		    e->refused)
			t.recommendation = "";
		e->recommended = e->promoted = e->self_demoted = false;
		e->ask_since_us = 0;
		e->refused = NULL;
	} else if (r->peer_role == HADISK_ROLE_PRIMARY) {
		e->peer_was_active = true;
	}

	/* 'fencing kernel' is only true if the kernel's resource fences */
	in.fencing = c->fencing && r->kfencing != HADISK_FENCING_NONE;
	if (c->fencing && r->kfencing == HADISK_FENCING_NONE &&
	    e->fencing_warned != 1) {
		e->fencing_warned = 1;
		hd_log(LOG_WARNING,
		       "%s: %s says 'fencing kernel', but the kernel's resource %s has fencing none: hadiskd will not promote it without a witness; set 'fencing resource-only;' (and a fence-peer hook) in the resource's configuration",
		       c->name, hd_conf.file, c->name);
	} else if (r->kfencing > HADISK_FENCING_NONE) {
		e->fencing_warned = 0;
	}
	in.policy = c->policy;
	in.witness = hd_conf.has_witness;
	in.peer_lost = v->peer_lost;
	in.peer_was_active = e->peer_was_active;
	in.local_primary = primary;
	in.link_connected = r->conn >= HADISK_CONN_CONNECTED &&
		r->conn <= HADISK_CONN_SYNC_TARGET;
	in.local_uptodate = r->disk == HADISK_DISK_UPTODATE;
	in.wit = witness_answer(r, e, now);
	act = hd_policy_decide(&in, &why);

	switch (act) {
	case HD_POL_NOTHING:
		break;
	case HD_POL_RECOMMEND:
		if (e->recommended)
			break;
		e->recommended = true;
		snprintf(text, sizeof(text),
			 "peer %s lost on all paths for %.1f s; to take over run: hadiskctl failover %s",
			 hd_conf.peer, lost_s, c->name);
		hd_log(LOG_WARNING, "%s: %s (policy manual: hadiskd does not promote by itself)",
		       c->name, text);
		t.recommendation = text;
		break;
	case HD_POL_ASK_WITNESS:
	case HD_POL_REFUSE:
		if (hd_conf.has_witness && in.local_uptodate &&
		    !in.link_connected) {
			if (!e->ask_since_us)
				e->ask_since_us = now;
			hd_hb_witness(HD_HB_ACQUIRE, c->name);
		}
		if (act == HD_POL_REFUSE && e->refused != why) {
			e->refused = why;
			snprintf(text, sizeof(text), "no promotion: %s", why);
			if (in.wit == HD_WIT_DENIED)
				snprintf(text, sizeof(text),
					 "no promotion: the witness gives the active token to %s (%u ms left)",
					 r->wit_holder, r->wit_lease_ms);
			hd_log(LOG_WARNING,
			       "%s: peer %s lost on all paths for %.1f s; %s",
			       c->name, hd_conf.peer, lost_s, text);
			t.recommendation = text;
		}
		break;
	case HD_POL_PROMOTE:
		if (e->promoted)
			break;
		e->promoted = true;
		snprintf(text, sizeof(text),
			 "policy automatic: peer %s lost on all paths for %.1f s%s",
			 hd_conf.peer, lost_s,
			 hd_conf.has_witness ? ", the witness agrees" :
			 ", fencing by the kernel");
		t.active = !hd_act_promote(c->name, text, NULL, NULL, msg,
					   sizeof(msg));
		if (!t.active)
			hd_log(LOG_ERR, "%s: automatic promotion failed: %s (not retried until the peer is heard again; 'hadiskctl failover %s' retries by hand)",
			       c->name, msg, c->name);
		hd_view_update(set_token, &t);
		return;
	}
	if (t.active != r->active || t.recommendation)
		hd_view_update(set_token, &t);
}

void hd_decide(void)
{
	struct hd_view *v = malloc(sizeof(*v));
	uint64_t now;
	unsigned int i;

	if (!v)
		return;
	hd_view_get(v);
	now = hd_now_us();	/* after the snapshot: no time in it is later */
	for (i = 0; i < v->nres; i++)
		decide_res(v, i, now);
	free(v);
}
