// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl events: follows the kernel's "events" multicast group and
 * prints one line per state change.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "hadiskctl.h"

struct follow {
	struct hd_ctx *ctx;
	const char *res;	/* only this resource, or NULL */
	uint16_t family;
	unsigned long seen;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct follow *f = data;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;
	char err[128];

	if (nlh->nlmsg_type != f->family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != HADISK_CMD_EVENT)
		return MNL_CB_OK;
	if (hd_status_decode(nlh, &st, err, sizeof(err))) {
		hd_err(f->ctx, "skipping a malformed event: %s", err);
		return MNL_CB_OK;
	}
	if (f->res && strcmp(f->res, st.resource))
		return MNL_CB_OK;
	if (f->ctx->json)
		hd_status_json(&st, true, &b);
	else
		hd_status_event_line(&st, &b);
	hd_buf_putc(&b, '\n');
	fputs(hd_buf_str(&b), stdout);
	fflush(stdout);
	hd_buf_free(&b);
	f->seen++;
	if (f->ctx->has_count && f->seen >= f->ctx->count)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

static int run_events(struct hd_ctx *ctx)
{
	struct follow f = { ctx, NULL, 0, 0 };
	double deadline = 0;
	struct hd_nl nl;
	int ret;

	if (ctx->argc || ctx->config) {
		ret = hd_ctx_res(ctx, &f.res);
		if (ret)
			return ret;
	}
	ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	f.family = nl.family;
	ret = hd_nl_subscribe(&nl);
	if (ret) {
		hd_err(ctx, "cannot join the '" HADISK_GENL_MCAST_EVENTS "' multicast group of the hadisk module: %s",
		       ret == -ENOENT ? "the module has no such group" :
		       strerror(-ret));
		ret = ret == -EPERM ? EXIT_PERM : EXIT_KERNEL;
		goto out;
	}
	if (ctx->has_timeout && ctx->timeout > 0)
		deadline = hd_now() + ctx->timeout;
	for (;;) {
		ret = hd_nl_wait(&nl, hd_ms_left(deadline), event_cb, &f);
		if (ret == 2) {
			ret = EXIT_OK;
			break;
		}
		if (ret == -ENOBUFS) {
			hd_err(ctx, "the kernel dropped events: this reader was too slow; going on");
			continue;
		}
		if (ret < 0) {
			hd_err(ctx, "reading events failed: %s",
			       strerror(-ret));
			ret = EXIT_KERNEL;
			break;
		}
		if (deadline > 0 && !hd_ms_left(deadline)) {
			ret = EXIT_OK;
			if (ctx->has_count) {
				hd_err(ctx,
				       "timed out after %g s with %lu of %lu events",
				       ctx->timeout, f.seen, ctx->count);
				ret = EXIT_TIMEOUT;
			}
			break;
		}
	}
out:
	hd_nl_close(&nl);
	return ret;
}

const struct hd_cmd cmd_events = {
	.name = "events",
	.summary = "print state changes as they happen",
	.opts = OPT_JSON | OPT_COUNT | OPT_TIMEOUT,
	.res = RES_OPTIONAL,
	.run = run_events,
	.help =
"NAME\n"
"  " PROG " events - follow the state changes of hadisk resources\n"
"\n"
"SYNOPSIS\n"
"  " PROG " events [RES] [--json] [--count N] [--timeout SECONDS]\n"
"\n"
"DESCRIPTION\n"
"  Joins the hadisk module's '" HADISK_GENL_MCAST_EVENTS "' multicast group and prints one line\n"
"  for each event the kernel sends after a state change, of RES only or\n"
"  of every resource of this network namespace:\n"
"\n"
"    r0 EVENT: role:Primary disk:UpToDate connection:Connected\n"
"       peer-role:Secondary peer-disk:UpToDate [resync:42.0%]\n"
"       [io-frozen:yes] [peer-fenced:yes] [last-error:\"...\"]\n"
"\n"
"  (on one line), where EVENT is the kernel's name for the change.\n"
"  io-frozen:yes shows while fencing holds the application's IO,\n"
"  peer-fenced:yes while the peer is recorded as fenced (see 'status').\n"
"  Output is flushed after each line. It runs until interrupted, --count\n"
"  events were printed, or --timeout passed. Events from before it started\n"
"  are not shown: '" PROG " status' shows the state now.\n"
"\n"
"OPTIONS\n"
"  -j, --json\n"
"         Print each event as a JSON object on one line: the object of\n"
"         '" PROG " status --json' with an \"event\" key added.\n"
"      --count N\n"
"         Exit after N events.\n"
"  -t, --timeout SECONDS\n"
"         Exit after SECONDS: with 0 if no --count was given, with 5 if\n"
"         fewer than N events came. 0, the default, means no limit.\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " events r0\n"
"  " PROG " events --json --count 1 --timeout 10\n"
"      Wait up to 10 s for the next event of any resource.\n",
};
