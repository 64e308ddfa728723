// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl primary / secondary: a node's role. With fencing configured
 * and the peer unknown, the kernel answers PRIMARY with EINPROGRESS and
 * runs the fence-peer hook first; primary then follows the events until
 * the node is Primary or the hook failed.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "hadiskctl.h"
#include "request.h"

/* the longest hook-timeout, and a margin for the kill and the promotion */
#define FENCE_WAIT_DEFAULT_S	(HD_CONF_HOOK_MS_MAX / 1000 + 15)
#define FENCE_POLL_MS		250

struct fence_wait {
	const char *res;
	uint16_t family;
	bool failed;
	char why[HADISK_ERROR_MAX];
};

static int fence_event_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct fence_wait *w = data;
	struct hd_status st;
	char err[128];

	if (nlh->nlmsg_type != w->family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != HADISK_CMD_EVENT ||
	    hd_status_decode(nlh, &st, err, sizeof(err)) ||
	    strcmp(st.resource, w->res))
		return MNL_CB_OK;
	if (st.role == HADISK_ROLE_PRIMARY)
		return MNL_CB_STOP;
	if (!strcmp(st.event, "fence-peer-failed")) {
		w->failed = true;
		hd_strlcpy(w->why, st.last_error, sizeof(w->why));
		return MNL_CB_STOP;
	}
	return MNL_CB_OK;
}

/* After EINPROGRESS: waits for the promotion, or the hook's failure. */
static int wait_fenced_promotion(struct hd_ctx *ctx, struct hd_nl *nl,
				 struct hd_nl *ev, const char *res)
{
	double timeout = ctx->has_timeout ? ctx->timeout :
			 FENCE_WAIT_DEFAULT_S;
	double deadline = timeout > 0 ? hd_now() + timeout : 0;
	struct fence_wait w = { res, ev->family, false, "" };
	struct hd_status st;
	int ret;

	fprintf(stderr, PROG " primary %s: %s; waiting for it\n", res,
		nl->ext_msg[0] ? nl->ext_msg :
		"the fence-peer hook runs first");
	for (;;) {
		int ms = FENCE_POLL_MS;

		if (deadline && hd_ms_left(deadline) < ms)
			ms = hd_ms_left(deadline) > 0 ? hd_ms_left(deadline) : 0;
		ret = hd_nl_wait(ev, ms, fence_event_cb, &w);
		if (ret < 0 && ret != -ENOBUFS && ret != -EINTR) {
			hd_res_err(ctx, res, "following the events failed: %s",
				   strerror(-ret));
			return EXIT_KERNEL;
		}
		if (w.failed) {
			hd_res_err(ctx, res,
				   "not promoted: %s ('" PROG " primary %s --force' promotes without fencing, if you are sure the peer is not Primary)",
				   w.why[0] ? w.why :
				   "the fence-peer hook failed", res);
			return EXIT_KERNEL;
		}
		/* an event may have been missed: the status decides */
		ret = hd_get_status(nl, res, &st);
		if (ret)
			return hd_ctx_refused(ctx, nl, HADISK_CMD_GET_STATUS,
					      res, ret);
		if (st.role == HADISK_ROLE_PRIMARY) {
			printf("%s is Primary: the fence-peer hook reported the peer %s fenced\n",
			       res, st.has_peer_node ? st.peer_node : "");
			return EXIT_OK;
		}
		if (deadline && hd_ms_left(deadline) <= 0) {
			hd_res_err(ctx, res,
				   "still not Primary after %.0f s; the fence-peer hook may still run ('" PROG " status %s' and the kernel log tell)",
				   timeout, res);
			return EXIT_TIMEOUT;
		}
	}
}

static int run_primary(struct hd_ctx *ctx)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct hd_nl nl, ev;
	const char *res;
	int ret;

	ret = hd_ctx_res(ctx, &res);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	/* subscribed before the request, so that no event is missed */
	ret = hd_ctx_nl_open(ctx, &ev);
	if (ret) {
		hd_nl_close(&nl);
		return ret;
	}
	if (hd_nl_subscribe(&ev))
		ev.events_group = 0;
	ret = hd_nl_request(&nl, hd_req_primary(buf, nl.family, res,
						ctx->force), NULL, NULL);
	if (ret == -EINPROGRESS && ev.events_group)
		ret = wait_fenced_promotion(ctx, &nl, &ev, res);
	else if (ret)
		ret = hd_ctx_refused(ctx, &nl, HADISK_CMD_PRIMARY, res, ret);
	hd_nl_close(&ev);
	hd_nl_close(&nl);
	return ret;
}

static int run_secondary(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_SECONDARY);
}

const struct hd_cmd cmd_primary = {
	.name = "primary",
	.summary = "promote this node: /dev/hadiskN becomes writable",
	.opts = OPT_FORCE | OPT_TIMEOUT,
	.res = RES_REQUIRED,
	.run = run_primary,
	.help =
"NAME\n"
"  " PROG " primary - promote this node of a resource to Primary\n"
"\n"
"SYNOPSIS\n"
"  " PROG " primary RES [--force] [--timeout SECONDS]\n"
"  " PROG " primary --config FILE [--force]\n"
"\n"
"DESCRIPTION\n"
"  Sends PRIMARY: /dev/hadiskN may then be opened for writing, and every\n"
"  write is replicated to the peer. The kernel refuses while the peer is\n"
"  Primary, and unless this node's disk is UpToDate: an Outdated disk\n"
"  (see 'outdate') or an Inconsistent one needs --force.\n"
"\n"
"  With fencing configured (disk { fencing resource-only; } or\n"
"  resource-and-stonith) and the peer not connected, the kernel first\n"
"  runs the fence-peer hook, so that the peer cannot be Primary at the\n"
"  same time: the node is promoted when the hook reports the peer\n"
"  Inconsistent, Outdated, unreachable or fenced (exit 3, 4, 5 or 7), and\n"
"  stays Secondary if it fails. primary says so and waits for the outcome\n"
"  (up to the longest hook-timeout and a margin, or --timeout). A peer\n"
"  that is already recorded as fenced is not fenced again.\n"
"\n"
"OPTIONS\n"
"      --force\n"
"         Promote even though the local disk is not UpToDate (Outdated or\n"
"         Inconsistent), for instance when neither disk is UpToDate yet,\n"
"         and without running the fence-peer hook. This node's data\n"
"         becomes the data: use it only when you know that this disk\n"
"         holds what you want and that the peer is not Primary.\n"
"  -t, --timeout SECONDS\n"
"         How long to wait for the fence-peer hook (default 615: the\n"
"         longest hook-timeout and a margin; 0: no limit).\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " primary r0 && mount /dev/hadisk0 /mnt\n"
"  " PROG " primary r0 --force      when no disk is UpToDate yet\n",
};

const struct hd_cmd cmd_secondary = {
	.name = "secondary",
	.summary = "demote this node",
	.res = RES_REQUIRED,
	.run = run_secondary,
	.help =
"NAME\n"
"  " PROG " secondary - demote this node of a resource to Secondary\n"
"\n"
"SYNOPSIS\n"
"  " PROG " secondary RES\n"
"  " PROG " secondary --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends SECONDARY: /dev/hadiskN can no longer be written here, and the\n"
"  peer may be promoted. The kernel refuses while /dev/hadiskN is open.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  umount /mnt && " PROG " secondary r0\n",
};
