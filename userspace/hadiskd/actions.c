// SPDX-License-Identifier: GPL-2.0
/*
 * What hadiskd does to this node: promote (with the witness's lease when
 * one is configured), start services (start hook, then the service
 * address), stop them, demote; and the two procedures built on them,
 * failover and switchover. Each step is logged and reported to the caller
 * with its duration ("progress" lines for the control socket).
 *
 * Locking: act_lock serializes every action of this node (the decision
 * loop, control-socket clients, the peer's requests). The do_* helpers
 * expect it held; the hd_act_* entry points take it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hadiskd.h"
#include "hbproto.h"
#include "log.h"
#include "view.h"

#define SYNC_WAIT_MS	60000	/* switchover: wait this long for sync */
#define HD_FENCE_WAIT_MS 120000	/* the kernel's fencing, then promotion */
#define PEER_DEMOTE_WAIT_MS 5000	/* rollback: the peer's demotion seen */

static pthread_mutex_t act_lock = PTHREAD_MUTEX_INITIALIZER;

struct steps {
	hd_progress_fn fn;
	void *arg;
	const char *res;
	uint64_t t0;		/* of the current step */
	bool peer_asked;	/* the peer asked, having just demoted */
};

static void step_begin(struct steps *s)
{
	s->t0 = hd_now_us();
}

__attribute__((format(printf, 3, 4)))
static void step_end(struct steps *s, int ret, const char *fmt, ...)
{
	char what[320], line[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%-8s %6.0f ms  %s",
		 ret ? "FAILED" : "ok", (hd_now_us() - s->t0) / 1000.0, what);
	hd_log(ret ? LOG_ERR : LOG_NOTICE, "%s: %s", s->res, line);
	if (s->fn)
		s->fn(s->arg, line);
}

static void step_note(struct steps *s, const char *what)
{
	hd_log(LOG_WARNING, "%s: %s", s->res, what);
	if (s->fn)
		s->fn(s->arg, what);
}

struct flags {
	const char *res;
	int active, services, ip;	/* -1: unchanged */
	const char *action;
};

static void set_flags(struct hd_view *v, void *arg)
{
	const struct flags *f = arg;
	int k = hd_view_res(v, f->res);

	if (k < 0)
		return;
	if (f->active >= 0)
		v->res[k].active = f->active;
	if (f->services >= 0)
		v->res[k].services_up = f->services;
	if (f->ip >= 0)
		v->res[k].ip_up = f->ip;
	if (f->action)
		hd_strlcpy(v->res[k].last_action, f->action,
			   sizeof(v->res[k].last_action));
}

static void flags(const char *res, int active, int services, int ip,
		  const char *action)
{
	struct flags f = { res, active, services, ip, action };

	hd_view_update(set_flags, &f);
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

int hd_act_acquire_lease(const char *res, uint32_t timeout_ms, char *msg,
			 size_t size)
{
	uint64_t start = hd_now_us(), deadline = start + timeout_ms * 1000ull;
	uint64_t next = 0;
	struct hd_view *v = malloc(sizeof(*v));
	int k, ret = -1;

	if (!v) {
		snprintf(msg, size, "out of memory");
		return -1;
	}
	snprintf(msg, size, "the witness is unreachable: no answer within %.1f s; no promotion without its agreement",
		 timeout_ms / 1000.0);
	while (!hd_stopping) {
		uint64_t now = hd_now_us();

		if (now >= next) {
			hd_hb_witness(HD_HB_ACQUIRE, res);
			next = now + hd_conf.interval_ms * 1000ull;
		}
		hd_view_get(v);
		k = hd_view_res(v, res);
		if (k >= 0 && v->res[k].wit_sent_us >= start &&
		    v->res[k].wit_reply) {
			if (v->res[k].wit_reply == HD_HB_GRANT) {
				snprintf(msg, size, "granted for %u ms",
					 v->res[k].wit_lease_ms);
				ret = 0;
				break;
			}
			snprintf(msg, size,
				 "the witness gives the active token to %s (its lease has %u ms left)",
				 v->res[k].wit_holder, v->res[k].wit_lease_ms);
		}
		if (now >= deadline)
			break;
		sleep_ms(20);
	}
	free(v);
	return ret;
}

/* Start hook, then the service address. Expects act_lock. */
static int do_start_services(struct steps *s, const struct hd_dres *r,
			     char *msg, size_t size)
{
	step_begin(s);
	if (hd_hook_run(r->start_hook, "start", r->name, r->hook_timeout_ms,
			msg, size)) {
		step_end(s, -1, "start hook: %s", msg);
		return -1;
	}
	step_end(s, 0, "start hook: %s", r->start_hook[0] ? r->start_hook :
		 "none configured");
	if (r->has_ip) {
		step_begin(s);
		if (hd_vip_set(r->ip, r->ip_dev, true, msg, size)) {
			step_end(s, -1, "service address up: %s", msg);
			return -1;
		}
		flags(r->name, -1, -1, 1, NULL);
		step_end(s, 0, "service address %s up on %s", r->ip, r->ip_dev);
	}
	flags(r->name, -1, 1, -1, NULL);
	return 0;
}

/* The service address down, then the stop hook. Expects act_lock. */
static int do_stop_services(struct steps *s, const struct hd_dres *r,
			    char *msg, size_t size)
{
	if (r->has_ip) {
		step_begin(s);
		if (hd_vip_set(r->ip, r->ip_dev, false, msg, size)) {
			step_end(s, -1, "service address down: %s", msg);
			return -1;
		}
		flags(r->name, -1, -1, 0, NULL);
		step_end(s, 0, "service address %s down on %s", r->ip,
			 r->ip_dev);
	}
	step_begin(s);
	if (hd_hook_run(r->stop_hook, "stop", r->name, r->hook_timeout_ms,
			msg, size)) {
		step_end(s, -1, "stop hook: %s", msg);
		return -1;
	}
	step_end(s, 0, "stop hook: %s", r->stop_hook[0] ? r->stop_hook :
		 "none configured");
	flags(r->name, -1, 0, -1, NULL);
	return 0;
}

/*
 * PRIMARY answered -EINPROGRESS: the kernel fences the peer (its
 * fence-peer hook) and then promotes, or stays Secondary if fencing
 * fails. Waits for either, as the kernel's events report them.
 */
static int wait_fenced(const char *res, uint64_t since, char *msg,
		       size_t size)
{
	uint64_t deadline = hd_now_us() + HD_FENCE_WAIT_MS * 1000ull;
	struct hd_view *v = malloc(sizeof(*v));
	int k, ret = -1;

	if (!v)
		return -1;
	snprintf(msg, size, "no outcome of the kernel's fencing within %d s; see 'hadiskctl status %s'",
		 HD_FENCE_WAIT_MS / 1000, res);
	while (!hd_stopping && hd_now_us() < deadline) {
		hd_view_get(v);
		k = hd_view_res(v, res);
		if (k < 0)
			break;
		if (v->res[k].role == HADISK_ROLE_PRIMARY) {
			snprintf(msg, size, "the peer is fenced, this node is Primary");
			ret = 0;
			break;
		}
		if (v->res[k].fence == HD_FENCE_FAILED &&
		    v->res[k].fence_us >= since) {
			snprintf(msg, size, "the kernel's fencing failed (%s): this node stays Secondary",
				 v->res[k].last_error[0] ? v->res[k].last_error :
				 "no reason given");
			break;
		}
		sleep_ms(50);
	}
	free(v);
	return ret;
}

/* Lease (with a witness), PRIMARY. Expects act_lock. */
static int do_primary(struct steps *s, const struct hd_dres *r, char *msg,
		      size_t size)
{
	uint64_t t0;
	int ret;

	if (hd_conf.has_witness) {
		step_begin(s);
		if (hd_act_acquire_lease(r->name,
					 hd_conf.lease_ms + hd_conf.timeout_ms,
					 msg, size)) {
			step_end(s, -1, "active token from the witness: %s",
				 msg);
			return -1;
		}
		step_end(s, 0, "active token from the witness: %s", msg);
	}
	step_begin(s);
	t0 = hd_now_us();
	ret = hd_kernel_role(r->name, true, msg, size);
	/*
	 * A switchover: the peer demoted, then asked us over the heartbeat
	 * path, which may overtake its new role on the replication link.
	 * Give that state change 2 s to arrive.
	 */
	while (ret == -EBUSY && s->peer_asked && strstr(msg, "is Primary") &&
	       hd_now_us() - t0 < 2000000ull) {
		struct timespec ts = { 0, 50 * 1000000L };

		nanosleep(&ts, NULL);
		ret = hd_kernel_role(r->name, true, msg, size);
	}
	if (ret == -EINPROGRESS) {
		step_end(s, 0, "promote (PRIMARY): the peer is unknown: the kernel runs the fence-peer hook first");
		step_begin(s);
		ret = wait_fenced(r->name, t0, msg, size);
		step_end(s, ret, "fence the peer, then Primary: %s", msg);
		if (ret) {
			if (hd_conf.has_witness)
				hd_hb_witness(HD_HB_RELEASE, r->name);
			return -1;
		}
		flags(r->name, 1, -1, -1, NULL);
		return 0;
	}
	if (ret) {
		step_end(s, -1, "promote (PRIMARY): %s", msg);
		if (hd_conf.has_witness)
			hd_hb_witness(HD_HB_RELEASE, r->name);
		return -1;
	}
	step_end(s, 0, "promote (PRIMARY)%s",
		 r->fencing ? ": the kernel fenced the peer if it had to" : "");
	flags(r->name, 1, -1, -1, NULL);
	return 0;
}

static int do_secondary(struct steps *s, const struct hd_dres *r, char *msg,
			size_t size)
{
	step_begin(s);
	if (hd_kernel_role(r->name, false, msg, size)) {
		step_end(s, -1, "demote (SECONDARY): %s", msg);
		return -1;
	}
	step_end(s, 0, "demote (SECONDARY)");
	flags(r->name, 0, -1, -1, NULL);
	if (hd_conf.has_witness)
		hd_hb_witness(HD_HB_RELEASE, r->name);
	return 0;
}

static const struct hd_dres *find_res(const char *res, char *msg,
				      size_t size)
{
	const struct hd_dres *r = hd_dconf_res(&hd_conf, res);

	if (!r)
		snprintf(msg, size,
			 "resource %s is not in %s: hadiskd does not manage it",
			 res, hd_conf.file);
	return r;
}

/* Promote and start services; undo: demote again if services fail. */
static int promote_locked(struct steps *s, const struct hd_dres *r,
			  bool undo, char *msg, size_t size)
{
	char m2[256];

	if (do_primary(s, r, msg, size))
		return -1;
	if (!do_start_services(s, r, msg, size))
		return 0;
	if (undo) {
		do_stop_services(s, r, m2, sizeof(m2));
		do_secondary(s, r, m2, sizeof(m2));
	} else {
		hd_log(LOG_ERR,
		       "%s: this node is Primary but its services did not start: the data is safe; fix the hook and run 'hadiskctl failover %s' again",
		       r->name, r->name);
	}
	return -1;
}

int hd_act_promote(const char *res, const char *why, hd_progress_fn progress,
		   void *arg, char *msg, size_t size)
{
	struct steps s = { progress, arg, res, 0, false };
	const struct hd_dres *r = find_res(res, msg, size);
	char act[160];
	int ret;

	if (!r)
		return -1;
	pthread_mutex_lock(&act_lock);
	hd_log(LOG_NOTICE, "%s: promoting this node: %s", res, why);
	ret = promote_locked(&s, r, false, msg, size);
	snprintf(act, sizeof(act), "%s: %s", why,
		 ret ? "promotion failed" : "promoted");
	flags(res, -1, -1, -1, act);
	pthread_mutex_unlock(&act_lock);
	return ret;
}

static int demote_locked(struct steps *s, const struct hd_dres *r,
			 char *msg, size_t size)
{
	char m2[256];

	if (do_stop_services(s, r, msg, size))
		return -1;
	if (!do_secondary(s, r, msg, size))
		return 0;
	do_start_services(s, r, m2, sizeof(m2));	/* back as it was */
	return -1;
}

int hd_act_demote(const char *res, const char *why, hd_progress_fn progress,
		  void *arg, char *msg, size_t size)
{
	struct steps s = { progress, arg, res, 0, false };
	const struct hd_dres *r = find_res(res, msg, size);
	char act[160];
	int ret;

	if (!r)
		return -1;
	pthread_mutex_lock(&act_lock);
	hd_log(LOG_NOTICE, "%s: demoting this node: %s", res, why);
	ret = demote_locked(&s, r, msg, size);
	snprintf(act, sizeof(act), "%s: %s", why,
		 ret ? "demotion failed" : "demoted");
	flags(res, -1, -1, -1, act);
	pthread_mutex_unlock(&act_lock);
	return ret;
}

int hd_act_peer_request(uint8_t op, const char *res, char *msg, size_t size)
{
	struct steps s = { NULL, NULL, res, 0, true };
	const struct hd_dres *r = find_res(res, msg, size);
	int ret;

	if (!r)
		return -1;
	pthread_mutex_lock(&act_lock);
	if (op == HD_HB_OP_PROMOTE)
		ret = promote_locked(&s, r, true, msg, size);
	else if (op == HD_HB_OP_DEMOTE)
		ret = demote_locked(&s, r, msg, size);
	else {
		snprintf(msg, size, "unknown request %u", op);
		ret = -1;
	}
	if (!ret)
		snprintf(msg, size, "%s: %s", hd_conf.node,
			 op == HD_HB_OP_PROMOTE ? "promoted, services started" :
			 "services stopped, demoted");
	flags(res, -1, -1, -1, op == HD_HB_OP_PROMOTE ?
	      (ret ? "the peer asked: promotion failed" :
	       "the peer asked: promoted") :
	      (ret ? "the peer asked: demotion failed" :
	       "the peer asked: demoted"));
	pthread_mutex_unlock(&act_lock);
	return ret;
}

static bool view_res(const char *res, struct hd_view *v, struct hd_vres **r)
{
	int k;

	hd_view_get(v);
	k = hd_view_res(v, res);
	*r = k < 0 ? NULL : &v->res[k];
	return k >= 0;
}

int hd_act_failover(const char *res, hd_progress_fn progress, void *arg,
		    char *msg, size_t size)
{
	struct steps s = { progress, arg, res, 0, false };
	const struct hd_dres *r = find_res(res, msg, size);
	struct hd_view *v;
	struct hd_vres *vr;
	uint64_t t0 = hd_now_us();
	char line[160];
	int ret = -1;

	if (!r)
		return -1;
	v = malloc(sizeof(*v));
	if (!v)
		return -1;
	pthread_mutex_lock(&act_lock);
	view_res(res, v, &vr);
	if (vr->role == HADISK_ROLE_PRIMARY && vr->services_up) {
		snprintf(msg, size, "this node is already Primary with its services started");
		goto out;
	}
	if (!v->peer_lost && vr->peer_known &&
	    (vr->peer.role == HADISK_ROLE_PRIMARY ||
	     vr->peer.flags & HD_HB_RES_ACTIVE)) {
		snprintf(msg, size,
			 "the peer %s is alive and Primary: a failover would make two Primaries; use 'hadiskctl switchover %s' on it, or stop it first",
			 hd_conf.peer, res);
		goto out;
	}
	hd_log(LOG_NOTICE, "%s: failover requested", res);
	if (vr->role == HADISK_ROLE_PRIMARY) {
		step_begin(&s);
		step_end(&s, 0, "already Primary: starting the services only");
		ret = do_start_services(&s, r, msg, size);
	} else {
		ret = promote_locked(&s, r, false, msg, size);
	}
	flags(res, -1, -1, -1, ret ? "failover failed" : "failover done");
	if (!ret && progress) {
		snprintf(line, sizeof(line), "failover of %s done in %.0f ms",
			 res, (hd_now_us() - t0) / 1000.0);
		progress(arg, line);
	}
out:
	pthread_mutex_unlock(&act_lock);
	free(v);
	return ret;
}

/* Waits until this node's kernel reports the peer UpToDate and in sync. */
static int wait_sync(const char *res, char *msg, size_t size)
{
	uint64_t deadline = hd_now_us() + SYNC_WAIT_MS * 1000ull;
	struct hd_status *st = malloc(sizeof(*st));
	int ret;

	if (!st)
		return -1;
	for (;;) {
		ret = hd_kernel_status(res, st);
		if (ret) {
			snprintf(msg, size, "reading the status: %s",
				 strerror(-ret));
			break;
		}
		if (st->conn == HADISK_CONN_CONNECTED &&
		    st->disk == HADISK_DISK_UPTODATE &&
		    st->peer_disk == HADISK_DISK_UPTODATE && !st->oos_bytes &&
		    !st->writes_unacked) {
			snprintf(msg, size, "in sync with %s", hd_conf.peer);
			break;
		}
		if (hd_now_us() >= deadline || hd_stopping) {
			snprintf(msg, size,
				 "not in sync after %d s (connection %u, peer disk %u, %llu bytes out of sync)",
				 SYNC_WAIT_MS / 1000, st->conn, st->peer_disk,
				 (unsigned long long)st->oos_bytes);
			ret = -1;
			break;
		}
		sleep_ms(100);
	}
	free(st);
	return ret ? -1 : 0;
}

/*
 * The peer undid its promotion: our kernel hears of its demotion a moment
 * later. Waits for it, up to PEER_DEMOTE_WAIT_MS, before promoting back.
 */
static void wait_peer_not_primary(const char *res)
{
	uint64_t deadline = hd_now_us() + PEER_DEMOTE_WAIT_MS * 1000ull;
	struct hd_status *st = malloc(sizeof(*st));

	if (!st)
		return;
	while (hd_now_us() < deadline && !hd_stopping) {
		if (hd_kernel_status(res, st) ||
		    st->peer_role != HADISK_ROLE_PRIMARY)
			break;
		sleep_ms(50);
	}
	free(st);
}

int hd_act_switchover(const char *res, hd_progress_fn progress, void *arg,
		      char *msg, size_t size)
{
	struct steps s = { progress, arg, res, 0, false };
	const struct hd_dres *r = find_res(res, msg, size);
	uint32_t peer_ms;
	uint64_t t0 = hd_now_us();
	struct hd_view *v;
	struct hd_vres *vr;
	char m2[256], line[160];
	int ret = -1;

	if (!r)
		return -1;
	/* the peer's witness wait, its hooks, and some slack */
	peer_ms = 2 * r->hook_timeout_ms + hd_conf.lease_ms +
		hd_conf.timeout_ms + 10000;
	v = malloc(sizeof(*v));
	if (!v)
		return -1;
	pthread_mutex_lock(&act_lock);
	view_res(res, v, &vr);
	if (vr->role != HADISK_ROLE_PRIMARY) {
		snprintf(msg, size,
			 "this node is not Primary: run the switchover on the Primary");
		goto out;
	}
	if (v->peer_lost || !v->peer_last_us) {
		snprintf(msg, size,
			 "the peer %s is not heard on any heartbeat path: a switchover needs it (if it is gone, use 'hadiskctl failover %s' there)",
			 hd_conf.peer, res);
		goto out;
	}
	hd_log(LOG_NOTICE, "%s: switchover to %s requested", res,
	       hd_conf.peer);
	if (do_stop_services(&s, r, msg, size))
		goto restart;
	step_begin(&s);
	if (wait_sync(res, msg, size)) {
		step_end(&s, -1, "wait until in sync: %s", msg);
		goto restart;
	}
	step_end(&s, 0, "wait until in sync: %s", msg);
	if (do_secondary(&s, r, msg, size))
		goto restart;
	step_begin(&s);
	if (hd_hb_request(HD_HB_OP_PROMOTE, res, peer_ms, msg, size)) {
		step_end(&s, -1, "promote %s and start its services: %s",
			 hd_conf.peer, msg);
		step_note(&s, "rolling back: promoting this node again");
		wait_peer_not_primary(res);
		if (promote_locked(&s, r, false, m2, sizeof(m2)))
			hd_log(LOG_ERR, "%s: the rollback failed too: %s", res,
			       m2);
		goto out;
	}
	step_end(&s, 0, "promote %s and start its services: %s",
		 hd_conf.peer, msg);
	ret = 0;
	snprintf(line, sizeof(line), "switchover of %s to %s done in %.0f ms",
		 res, hd_conf.peer, (hd_now_us() - t0) / 1000.0);
	if (progress)
		progress(arg, line);
	goto out;
restart:
	step_note(&s, "rolling back: starting the services here again");
	do_start_services(&s, r, m2, sizeof(m2));
out:
	flags(res, -1, -1, -1, ret ? "switchover failed (rolled back)" :
	      "switchover done: the peer is Primary");
	pthread_mutex_unlock(&act_lock);
	free(v);
	return ret;
}
