// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskd: the hadisk cluster daemon. For now it watches: it follows the
 * kernel's "events" multicast group and logs every state change, checks
 * the status when things are quiet, and survives the module going away.
 * It sends no request that changes anything.
 */
#include <errno.h>
#include <getopt.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "nl.h"
#include "request.h"
#include "status.h"
#include "track.h"

#define QUIET_POLL_MS	5000	/* check the status after this quiet time */
#define RETRY_S		2	/* while the module is away */

static const char help_text[] =
"Usage: hadiskd [--foreground] [--help]\n"
"\n"
"hadiskd is the hadisk cluster daemon. Today it only watches and logs:\n"
"\n"
"  - at start it reads the status of every hadisk resource of its network\n"
"    namespace and logs it;\n"
"  - it joins the hadisk module's '" HADISK_GENL_MCAST_EVENTS "' generic netlink group and logs\n"
"    each state change the kernel reports: the event's name and what\n"
"    changed (role, disk, connection, peer role, peer disk, last error);\n"
"  - after 5 seconds without events it reads the status again, logs\n"
"    changes it had not heard of, and resources that are gone;\n"
"  - if the module goes away it logs that, and waits for it to come back.\n"
"\n"
"It changes nothing: it sends no heartbeats, promotes nothing, fences\n"
"nothing and manages no service address (yet). The kernel replicates\n"
"without it.\n"
"\n"
"OPTIONS\n"
"  -f, --foreground\n"
"         Stay in the foreground and log to stderr. Without it hadiskd\n"
"         detaches and logs to syslog (facility daemon).\n"
"  -h, --help\n"
"         Show this text.\n"
"\n"
"EXIT STATUS\n"
"  0  stopped by SIGTERM or SIGINT\n"
"  1  usage error\n"
"  3  the kernel refused a request\n"
"  4  the hadisk kernel module is not loaded at start (modprobe hadisk,\n"
"     or insmod hadisk.ko)\n"
"  6  permission denied\n";

static volatile sig_atomic_t stopping;

struct daemon {
	struct hd_nl ev;	/* subscribed to the events group */
	bool up;		/* ev is open: the module is there */
	struct hd_track track;
};

static void on_signal(int sig)
{
	stopping = sig;
}

static void log_state(const struct hd_status *st, const char *what)
{
	struct hd_buf b = HD_BUF_INIT;

	hd_status_brief(st, &b);
	hd_log(LOG_INFO, "%s: %s: %s", st->resource, what, hd_buf_str(&b));
	hd_buf_free(&b);
}

/* Remembers st and logs what changed; what names the source. */
static void observe(struct daemon *d, const struct hd_status *st,
		    const char *what, bool log_unchanged)
{
	struct hd_buf b = HD_BUF_INIT;

	if (hd_track_update(&d->track, st, &b))
		log_state(st, what);
	else if (b.len)
		hd_log(LOG_NOTICE, "%s: %s: %s", st->resource, what,
		       hd_buf_str(&b));
	else if (log_unchanged)
		log_state(st, what);
	hd_buf_free(&b);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct daemon *d = data;
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
	observe(d, &st, st.event[0] ? st.event : "event", true);
	/* the kernel's last event of a resource (DEL_RESOURCE) */
	if (!strcmp(st.event, "destroyed"))
		hd_track_forget(&d->track, st.resource);
	return MNL_CB_OK;
}

struct dump {
	struct hd_status *v;
	size_t n;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *dp = data;
	struct hd_status *v;
	char err[128];

	v = realloc(dp->v, (dp->n + 1) * sizeof(*v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	dp->v = v;
	if (hd_status_decode(nlh, &dp->v[dp->n], err, sizeof(err)))
		hd_log(LOG_WARNING, "ignoring a malformed status: %s", err);
	else
		dp->n++;
	return MNL_CB_OK;
}

static void log_gone(const struct hd_status *st)
{
	hd_log(LOG_NOTICE, "%s: gone (no longer in the kernel)", st->resource);
}

static void stop_following(struct daemon *d)
{
	if (d->up)
		hd_nl_close(&d->ev);
	d->up = false;
}

/* Opens and subscribes the event socket. Returns 0 or -errno. */
static int follow(struct daemon *d)
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

/*
 * Reads every resource's status on a fresh socket, which also tells
 * whether the module is still the one followed. Returns 0 or -errno.
 */
static int check_status(struct daemon *d, const char *what)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct dump dp = { NULL, 0 };
	struct hd_nl *nl;
	size_t i;
	int ret;

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
		/* the module was reloaded: the old subscription is void */
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
		observe(d, &dp.v[i], what, false);
	hd_track_keep_only(&d->track, dp.v, dp.n, log_gone);
out:
	free(dp.v);
	hd_nl_close(nl);
	free(nl);
	return ret;
}

static int exit_code_of(int err)
{
	if (err == -ENOENT)
		return 4;
	if (err == -EPERM || err == -EACCES)
		return 6;
	return 3;
}

static void wait_for_module(struct daemon *d)
{
	const struct timespec pause = { RETRY_S, 0 };

	while (!stopping) {
		nanosleep(&pause, NULL);
		if (stopping || follow(d))
			continue;
		hd_log(LOG_NOTICE, "the hadisk module is back");
		if (!check_status(d, "present"))
			return;
		stop_following(d);
	}
}

static void run(struct daemon *d)
{
	int ret;

	while (!stopping) {
		if (!d->up) {
			wait_for_module(d);
			continue;
		}
		ret = hd_nl_wait(&d->ev, QUIET_POLL_MS, event_cb, d);
		if (ret == -ENOBUFS) {
			hd_log(LOG_WARNING,
			       "events were lost (the socket's buffer overflowed); reading the status again");
			ret = check_status(d, "missed change");
		} else if (ret < 0) {
			hd_log(LOG_ERR, "reading events failed: %s",
			       strerror(-ret));
		} else if (ret == 0 && !stopping) {
			ret = check_status(d, "missed change");
		} else {
			ret = 0;
		}
		if (ret && !stopping) {
			if (ret == -ENOENT)
				hd_log(LOG_WARNING,
				       "the hadisk module is gone; waiting for it to come back");
			stop_following(d);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa;
	struct daemon *d;
	bool foreground = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 'h':
			fputs(help_text, stdout);
			return 0;
		default:
			fputs("Try 'hadiskd --help'.\n", stderr);
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"hadiskd: unexpected argument '%s' (see 'hadiskd --help')\n",
			argv[optind]);
		return 1;
	}

	d = calloc(1, sizeof(*d));
	if (!d) {
		fputs("hadiskd: out of memory\n", stderr);
		return 1;
	}
	ret = follow(d);
	if (ret) {
		if (ret == -ENOENT)
			fputs("hadiskd: the hadisk kernel module is not loaded (the kernel has no generic netlink family '" HADISK_GENL_NAME "'): load it with 'modprobe hadisk' or 'insmod hadisk.ko'\n",
			      stderr);
		else
			fprintf(stderr,
				"hadiskd: cannot follow the hadisk module's events: %s\n",
				strerror(-ret));
		free(d);
		return exit_code_of(ret);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (!foreground && daemon(0, 0)) {
		fprintf(stderr, "hadiskd: cannot detach: %s\n",
			strerror(errno));
		return 1;
	}
	hd_log_open(foreground);
	hd_log(LOG_INFO, "started (pid %d): following the events of the hadisk module",
	       (int)getpid());
	if (check_status(d, "present"))
		stop_following(d);
	run(d);
	hd_log(LOG_INFO, "stopping on signal %d", (int)stopping);
	stop_following(d);
	hd_track_free(&d->track);
	free(d);
	return 0;
}
