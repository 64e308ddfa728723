// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskd's netlink side: the thread that follows the hadisk module's
 * "events" multicast group (it logs every change, reads the whole status
 * after 5 quiet seconds or lost events, survives the module going away and
 * coming back) and copies each resource's state into the view; and the
 * one-shot requests of the actions (PRIMARY, SECONDARY, GET_STATUS), each
 * on its own short-lived socket.
 *
 * The thread's state (struct follower) is its own; it shares only the
 * view.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu.h>

#include "hadiskd.h"
#include "log.h"
#include "nl.h"
#include "request.h"
#include "track.h"
#include "util.h"
#include "view.h"

#define QUIET_POLL_MS	5000	/* check the status after this quiet time */
#define WAIT_SLICE_MS	500	/* how often the thread checks hd_stopping */
#define RETRY_MS	2000	/* while the module is away */

struct follower {
	struct hd_nl ev;	/* subscribed to the events group */
	bool up;		/* ev is open: the module is there */
	struct hd_track track;
	uint64_t last_check_us;
};

static struct follower *fol;
static pthread_t nl_thread;

struct kstate {
	const struct hd_status *st;
	int fencing;		/* HADISK_A_FENCING, -1 if absent */
};

/* HADISK_A_FENCING of a status or event message, -1 if absent. */
static int msg_fencing(const struct nlmsghdr *nlh)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == HADISK_A_FENCING &&
		    mnl_attr_get_payload_len(a) == 1)
			return *(const uint8_t *)mnl_attr_get_payload(a);
	return -1;
}

static void set_kernel(struct hd_view *v, void *arg)
{
	const struct kstate *ks = arg;
	const struct hd_status *st = ks->st;
	int i;

	v->kernel_up = true;
	i = hd_view_res(v, st->resource);
	if (i < 0)
		return;
	v->res[i].in_kernel = strcmp(st->event, "destroyed") != 0;
	v->res[i].role = st->role;
	v->res[i].disk = st->disk;
	v->res[i].conn = st->conn;
	v->res[i].peer_role = st->peer_role;
	v->res[i].peer_disk = st->peer_disk;
	v->res[i].oos_bytes = st->oos_bytes;
	if (ks->fencing >= 0)
		v->res[i].kfencing = ks->fencing;
	hd_strlcpy(v->res[i].last_error, st->last_error,
		   sizeof(v->res[i].last_error));
	if (!strcmp(st->event, "fence-peer-started"))
		v->res[i].fence = HD_FENCE_RUNNING;
	else if (!strcmp(st->event, "fence-peer-done"))
		v->res[i].fence = HD_FENCE_DONE;
	else if (!strcmp(st->event, "fence-peer-failed"))
		v->res[i].fence = HD_FENCE_FAILED;
	else
		return;
	v->res[i].fence_us = hd_now_us();
}

static void set_gone(struct hd_view *v, void *arg)
{
	const char *res = arg;
	unsigned int i;

	if (!res)
		v->kernel_up = false;
	for (i = 0; i < v->nres; i++)
		if (!res || !strcmp(v->res[i].name, res)) {
			v->res[i].in_kernel = false;
			v->res[i].role = HADISK_ROLE_UNKNOWN;
			v->res[i].conn = HADISK_CONN_STANDALONE;
			v->res[i].disk = HADISK_DISK_DISKLESS;
			v->res[i].peer_role = HADISK_ROLE_UNKNOWN;
		}
}

static void log_state(const struct hd_status *st, const char *what)
{
	struct hd_buf b = HD_BUF_INIT;

	hd_status_brief(st, &b);
	hd_log(LOG_INFO, "%s: %s: %s", st->resource, what, hd_buf_str(&b));
	hd_buf_free(&b);
}

static void observe(struct follower *d, const struct hd_status *st,
		    int fencing, const char *what, bool log_unchanged)
{
	struct kstate ks = { st, fencing };
	struct hd_buf b = HD_BUF_INIT;

	if (hd_track_update(&d->track, st, &b))
		log_state(st, what);
	else if (b.len)
		hd_log(LOG_NOTICE, "%s: %s: %s", st->resource, what,
		       hd_buf_str(&b));
	else if (log_unchanged)
		log_state(st, what);
	hd_buf_free(&b);
	hd_view_update(set_kernel, &ks);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct follower *d = data;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct hd_status st;
	char err[128];

	if (nlh->nlmsg_type != d->ev.family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != HADISK_CMD_EVENT)
		return MNL_CB_OK;
	if (hd_status_decode(nlh, &st, err, sizeof(err))) {
		hd_log(LOG_WARNING, "ignoring a malformed event: %s", err);
		return MNL_CB_OK;
	}
	observe(d, &st, msg_fencing(nlh), st.event[0] ? st.event : "event",
		true);
	if (!strcmp(st.event, "destroyed"))
		hd_track_forget(&d->track, st.resource);
	return MNL_CB_OK;
}

struct dump {
	struct hd_status *v;
	int *fencing;
	size_t n;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *dp = data;
	struct hd_status *v;
	char err[128];

	int *f;

	v = realloc(dp->v, (dp->n + 1) * sizeof(*v));
	if (v)
		dp->v = v;
	f = realloc(dp->fencing, (dp->n + 1) * sizeof(*f));
	if (f)
		dp->fencing = f;
	if (!v || !f) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	if (hd_status_decode(nlh, &dp->v[dp->n], err, sizeof(err))) {
		hd_log(LOG_WARNING, "ignoring a malformed status: %s", err);
	} else {
		dp->fencing[dp->n] = msg_fencing(nlh);
		dp->n++;
	}
	return MNL_CB_OK;
}

static void log_gone(const struct hd_status *st)
{
	hd_log(LOG_NOTICE, "%s: gone (no longer in the kernel)", st->resource);
	hd_view_update(set_gone, (void *)st->resource);
}

static void stop_following(struct follower *d)
{
	if (d->up)
		hd_nl_close(&d->ev);
	d->up = false;
}

static int follow(struct follower *d)
{
	int ret = hd_nl_open(&d->ev);

	if (ret)
		return ret;
	ret = hd_nl_subscribe(&d->ev);
	if (ret) {
		hd_nl_close(&d->ev);
		return ret;
	}
	d->up = true;
	return 0;
}

/* Reads every resource's status on a fresh socket. 0 or -errno. */
static int check_status(struct follower *d, const char *what)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct dump dp = { NULL, NULL, 0 };
	struct hd_nl *nl;
	size_t i;
	int ret;

	d->last_check_us = hd_now_us();
	nl = malloc(sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	ret = hd_nl_open(nl);
	if (ret) {
		free(nl);
		return ret;
	}
	if (nl->family != d->ev.family ||
	    nl->events_group != d->ev.events_group) {
		hd_log(LOG_NOTICE, "the hadisk module was reloaded");
		ret = -ESTALE;
		goto out;
	}
	ret = hd_nl_request(nl, hd_req_status_dump(buf, nl->family), dump_cb,
			    &dp);
	if (ret) {
		hd_log(LOG_ERR, "reading the status failed: %s%s%s",
		       strerror(-ret), nl->ext_msg[0] ? ": " : "",
		       nl->ext_msg);
		goto out;
	}
	for (i = 0; i < dp.n; i++)
		observe(d, &dp.v[i], dp.fencing[i], what, false);
	hd_track_keep_only(&d->track, dp.v, dp.n, log_gone);
out:
	free(dp.v);
	free(dp.fencing);
	hd_nl_close(nl);
	free(nl);
	return ret;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static void *nl_main(void *arg)
{
	struct follower *d = arg;
	int ret;

	rcu_register_thread();
	if (d->up && check_status(d, "present"))
		stop_following(d);
	while (!hd_stopping) {
		if (!d->up) {
			sleep_ms(RETRY_MS);
			if (hd_stopping || follow(d))
				continue;
			hd_log(LOG_NOTICE, "the hadisk module is back");
			if (check_status(d, "present"))
				stop_following(d);
			continue;
		}
		ret = hd_nl_wait(&d->ev, WAIT_SLICE_MS, event_cb, d);
		if (ret == -ENOBUFS) {
			hd_log(LOG_WARNING,
			       "events were lost (the socket's buffer overflowed); reading the status again");
			ret = check_status(d, "missed change");
		} else if (ret < 0) {
			hd_log(LOG_ERR, "reading events failed: %s",
			       strerror(-ret));
		} else if (!hd_stopping &&
			   hd_now_us() - d->last_check_us >=
			   QUIET_POLL_MS * 1000ull) {
			ret = check_status(d, "missed change");
		} else {
			ret = 0;
		}
		if (ret && !hd_stopping) {
			if (ret == -ENOENT)
				hd_log(LOG_WARNING,
				       "the hadisk module is gone; waiting for it to come back");
			stop_following(d);
			hd_view_update(set_gone, NULL);
		}
	}
	stop_following(d);
	hd_track_free(&d->track);
	rcu_unregister_thread();
	return NULL;
}

int hd_kernel_open(void)
{
	int ret;

	fol = calloc(1, sizeof(*fol));
	if (!fol)
		return -ENOMEM;
	ret = follow(fol);
	if (ret) {
		free(fol);
		fol = NULL;
	}
	return ret;
}

int hd_kernel_start(void)
{
	return -pthread_create(&nl_thread, NULL, nl_main, fol);
}

void hd_kernel_join(void)
{
	pthread_join(nl_thread, NULL);
	free(fol);
	fol = NULL;
}

int hd_kernel_role(const char *res, bool primary, char *msg, size_t size)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *req;
	struct hd_nl *nl = malloc(sizeof(*nl));
	int ret;

	msg[0] = '\0';
	if (!nl)
		return -ENOMEM;
	ret = hd_nl_open(nl);
	if (ret) {
		snprintf(msg, size, "netlink: %s", strerror(-ret));
		free(nl);
		return ret;
	}
	req = primary ? hd_req_primary(buf, nl->family, res, false) :
		hd_req_resource(buf, nl->family, HADISK_CMD_SECONDARY, res);
	ret = hd_nl_request(nl, req, NULL, NULL);
	if (ret)
		snprintf(msg, size, "the kernel refused %s: %s%s%s",
			 primary ? "PRIMARY" : "SECONDARY", strerror(-ret),
			 nl->ext_msg[0] ? ": " : "", nl->ext_msg);
	hd_nl_close(nl);
	free(nl);
	return ret;
}

struct one {
	struct hd_status *st;
	bool found;
};

static int one_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one *o = data;
	char err[128];

	if (!hd_status_decode(nlh, o->st, err, sizeof(err)))
		o->found = true;
	return MNL_CB_OK;
}

int hd_kernel_status(const char *res, struct hd_status *st)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct hd_nl *nl = malloc(sizeof(*nl));
	struct one o = { st, false };
	int ret;

	if (!nl)
		return -ENOMEM;
	ret = hd_nl_open(nl);
	if (ret) {
		free(nl);
		return ret;
	}
	ret = hd_nl_request(nl, hd_req_resource(buf, nl->family,
						HADISK_CMD_GET_STATUS, res),
			    one_cb, &o);
	if (!ret && !o.found)
		ret = -ENOENT;
	hd_nl_close(nl);
	free(nl);
	return ret;
}
