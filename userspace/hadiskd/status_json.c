// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON answer to the control socket's "status": the configuration
 * that matters, the paths, the peer and each resource, from one snapshot
 * of the view. Documentation/hadiskd.md describes every key.
 */
#include <stdlib.h>

#include "hadiskd.h"
#include "json.h"
#include "view.h"

static void ms_ago(struct hd_json *j, const char *key, uint64_t then,
		   uint64_t now)
{
	hd_json_key(j, key);
	if (then)
		hd_json_u64(j, now > then ? (now - then) / 1000 : 0);
	else
		hd_json_null(j);
}

static void json_res(struct hd_json *j, const struct hd_dres *c,
		     const struct hd_vres *r, uint64_t now)
{
	char s[32];

	hd_json_object_begin(j);
	hd_json_key(j, "name");
	hd_json_string(j, c->name);
	hd_json_key(j, "policy");
	hd_json_string(j, hd_policy_str(c->policy));
	hd_json_key(j, "fencing");
	hd_json_string(j, c->fencing ? "kernel" : "none");
	hd_json_key(j, "kernel_fencing");
	hd_json_string(j, r->kfencing < 0 ? NULL :
		       r->kfencing == HADISK_FENCING_NONE ? "none" :
		       r->kfencing == HADISK_FENCING_RESOURCE_ONLY ?
		       "resource-only" : "resource-and-stonith");
	hd_json_key(j, "in_kernel");
	hd_json_bool(j, r->in_kernel);
	hd_json_key(j, "role");
	hd_json_string(j, hd_status_role_str(r->role, s, sizeof(s)));
	hd_json_key(j, "disk");
	hd_json_string(j, hd_status_disk_str(r->disk, s, sizeof(s)));
	hd_json_key(j, "connection");
	hd_json_string(j, hd_status_conn_str(r->conn, s, sizeof(s)));
	hd_json_key(j, "peer_role");
	hd_json_string(j, hd_status_role_str(r->peer_role, s, sizeof(s)));
	hd_json_key(j, "active");
	hd_json_bool(j, r->active);
	hd_json_key(j, "services_started");
	hd_json_bool(j, r->services_up);
	hd_json_key(j, "service_ip");
	hd_json_string(j, c->has_ip ? c->ip : NULL);
	hd_json_key(j, "service_ip_up");
	hd_json_bool(j, r->ip_up);
	hd_json_key(j, "peer_view");
	if (r->peer_known) {
		hd_json_object_begin(j);
		hd_json_key(j, "role");
		hd_json_string(j, hd_status_role_str(r->peer.role, s,
						     sizeof(s)));
		hd_json_key(j, "disk");
		hd_json_string(j, hd_status_disk_str(r->peer.disk, s,
						     sizeof(s)));
		hd_json_key(j, "active");
		hd_json_bool(j, r->peer.flags & HD_HB_RES_ACTIVE);
		hd_json_key(j, "services_started");
		hd_json_bool(j, r->peer.flags & HD_HB_RES_SERVICES);
		hd_json_object_end(j);
	} else {
		hd_json_null(j);
	}
	hd_json_key(j, "witness");
	if (hd_conf.has_witness) {
		hd_json_object_begin(j);
		hd_json_key(j, "answer");
		hd_json_string(j, r->wit_reply == HD_HB_GRANT ? "granted" :
			       r->wit_reply == HD_HB_DENY ? "denied" : NULL);
		hd_json_key(j, "holder");
		hd_json_string(j, r->wit_reply ? r->wit_holder : NULL);
		ms_ago(j, "answer_ms_ago", r->wit_reply_us, now);
		hd_json_key(j, "lease_left_ms");
		hd_json_u64(j, r->lease_until_us > now ?
			    (r->lease_until_us - now) / 1000 : 0);
		hd_json_object_end(j);
	} else {
		hd_json_null(j);
	}
	hd_json_key(j, "last_action");
	hd_json_string(j, r->last_action[0] ? r->last_action : NULL);
	hd_json_key(j, "recommendation");
	hd_json_string(j, r->recommendation[0] ? r->recommendation : NULL);
	hd_json_object_end(j);
}

void hd_status_json_view(struct hd_buf *b)
{
	struct hd_view *v = malloc(sizeof(*v));
	uint64_t now;
	struct hd_json j;
	char a[64];
	unsigned int i;

	if (!v) {
		hd_buf_puts(b, "null");
		return;
	}
	hd_view_get(v);
	now = hd_now_us();	/* after the snapshot: no time in it is later */
	hd_json_init(&j, b);
	hd_json_object_begin(&j);
	hd_json_key(&j, "node");
	hd_json_string(&j, hd_conf.node);
	hd_json_key(&j, "peer");
	hd_json_string(&j, hd_conf.peer[0] ? hd_conf.peer : NULL);
	hd_json_key(&j, "config");
	hd_json_string(&j, hd_conf.file[0] ? hd_conf.file : NULL);
	hd_json_key(&j, "kernel_module");
	hd_json_bool(&j, v->kernel_up);
	hd_json_key(&j, "authenticated");
	hd_json_bool(&j, hd_conf.has_key);
	hd_json_key(&j, "heartbeat_interval_ms");
	hd_json_u64(&j, hd_conf.interval_ms);
	hd_json_key(&j, "heartbeat_timeout_ms");
	hd_json_u64(&j, hd_conf.timeout_ms);
	hd_json_key(&j, "peer_state");
	hd_json_string(&j, !hd_conf.npaths ? "not configured" :
		       v->peer_lost ? "lost" :
		       v->peer_last_us ? "up" : "unknown");
	ms_ago(&j, "peer_last_heard_ms_ago", v->peer_last_us, now);
	hd_json_key(&j, "paths");
	hd_json_array_begin(&j);
	for (i = 0; i < hd_conf.npaths; i++) {
		const struct hd_vpath *p = &v->paths[i];

		hd_json_object_begin(&j);
		hd_json_key(&j, "index");
		hd_json_u64(&j, i + 1);
		hd_format_addr(&hd_conf.paths[i].local, a, sizeof(a));
		hd_json_key(&j, "local");
		hd_json_string(&j, a);
		hd_format_addr(&hd_conf.paths[i].peer, a, sizeof(a));
		hd_json_key(&j, "peer");
		hd_json_string(&j, a);
		hd_json_key(&j, "state");
		hd_json_string(&j, p->up ? "up" : "down");
		ms_ago(&j, "last_heard_ms_ago", p->last_us, now);
		hd_json_key(&j, "rtt_us");
		if (p->rtt_us)
			hd_json_u64(&j, p->rtt_us);
		else
			hd_json_null(&j);
		hd_json_key(&j, "received");
		hd_json_u64(&j, p->rx);
		hd_json_key(&j, "sent");
		hd_json_u64(&j, p->tx);
		hd_json_key(&j, "send_errors");
		hd_json_u64(&j, p->tx_err);
		hd_json_object_end(&j);
	}
	hd_json_array_end(&j);
	hd_json_key(&j, "witness");
	if (hd_conf.has_witness) {
		hd_format_addr(&hd_conf.witness, a, sizeof(a));
		hd_json_object_begin(&j);
		hd_json_key(&j, "address");
		hd_json_string(&j, a);
		hd_json_key(&j, "lease_ms");
		hd_json_u64(&j, hd_conf.lease_ms);
		ms_ago(&j, "last_answer_ms_ago", v->witness_last_us, now);
		hd_json_object_end(&j);
	} else {
		hd_json_null(&j);
	}
	hd_json_key(&j, "resources");
	hd_json_array_begin(&j);
	for (i = 0; i < v->nres; i++)
		json_res(&j, &hd_conf.res[i], &v->res[i], now);
	hd_json_array_end(&j);
	hd_json_object_end(&j);
	free(v);
}
