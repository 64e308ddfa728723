// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl wait-connect / wait-sync: poll a resource's status every
 * 100 ms until it reaches a state, or time out.
 */
#include <time.h>

#include "clock.h"
#include "hadiskctl.h"

#define WAIT_DEFAULT_S	60
#define WAIT_POLL_MS	100

struct wait_goal {
	const char *what;	/* "... waiting for r0 to WHAT" */
	bool (*reached)(const struct hd_status *st);
};

static bool connected(const struct hd_status *st)
{
	return st->conn == HADISK_CONN_CONNECTED ||
	       st->conn == HADISK_CONN_SYNC_SOURCE ||
	       st->conn == HADISK_CONN_SYNC_TARGET;
}

static bool in_sync(const struct hd_status *st)
{
	return st->conn == HADISK_CONN_CONNECTED &&
	       st->disk == HADISK_DISK_UPTODATE &&
	       st->peer_disk == HADISK_DISK_UPTODATE;
}

static const struct wait_goal goal_connect = {
	"connect (connection Connected, SyncSource or SyncTarget)", connected
};

static const struct wait_goal goal_sync = {
	"be in sync (connection Connected, disk and peer disk UpToDate)",
	in_sync
};

static int run_wait(struct hd_ctx *ctx, const struct wait_goal *goal)
{
	const struct timespec tick = { 0, WAIT_POLL_MS * 1000 * 1000 };
	double timeout = ctx->has_timeout ? ctx->timeout : WAIT_DEFAULT_S;
	double deadline = timeout > 0 ? hd_now() + timeout : 0;
	struct hd_buf now = HD_BUF_INIT;
	struct hd_status st;
	struct hd_nl nl;
	const char *res;
	int ret;

	ret = hd_ctx_res(ctx, &res);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	for (;;) {
		ret = hd_get_status(&nl, res, &st);
		if (hd_no_such_resource(ret)) {
			hd_err(ctx,
			       "no resource '%s' in the kernel ('" PROG " up %s' creates it)",
			       res, res);
			ret = EXIT_KERNEL;
			break;
		}
		if (ret) {
			ret = hd_ctx_refused(ctx, &nl, HADISK_CMD_GET_STATUS,
					     res, ret);
			break;
		}
		if (goal->reached(&st)) {
			ret = EXIT_OK;
			break;
		}
		if (deadline > 0 && !hd_ms_left(deadline)) {
			hd_status_brief(&st, &now);
			hd_err(ctx,
			       "timed out after %g s waiting for %s to %s; now: %s",
			       timeout, res, goal->what,
			       hd_buf_str(&now));
			hd_buf_free(&now);
			ret = EXIT_TIMEOUT;
			break;
		}
		nanosleep(&tick, NULL);
	}
	hd_nl_close(&nl);
	return ret;
}

static int run_wait_connect(struct hd_ctx *ctx)
{
	return run_wait(ctx, &goal_connect);
}

static int run_wait_sync(struct hd_ctx *ctx)
{
	return run_wait(ctx, &goal_sync);
}

const struct hd_cmd cmd_wait_connect = {
	.name = "wait-connect",
	.summary = "wait until the resource is connected to its peer",
	.opts = OPT_TIMEOUT,
	.res = RES_REQUIRED,
	.run = run_wait_connect,
	.help =
"NAME\n"
"  " PROG " wait-connect - wait until a resource is connected\n"
"\n"
"SYNOPSIS\n"
"  " PROG " wait-connect RES [--timeout SECONDS]\n"
"\n"
"DESCRIPTION\n"
"  Reads the status of RES every 100 ms until its connection is\n"
"  Connected, SyncSource or SyncTarget, then exits 0. On timeout it\n"
"  prints the state it saw last and what it waited for, and exits 5.\n"
"  A RES the kernel does not know is an error (exit 3) at once.\n"
"\n"
"OPTIONS\n"
"  -t, --timeout SECONDS\n"
"         Give up after SECONDS (fractions allowed). Default: 60.\n"
"         0 means no limit.\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " up r0 && " PROG " wait-connect r0 --timeout 30\n",
};

const struct hd_cmd cmd_wait_sync = {
	.name = "wait-sync",
	.summary = "wait until connected and both disks are UpToDate",
	.opts = OPT_TIMEOUT,
	.res = RES_REQUIRED,
	.run = run_wait_sync,
	.help =
"NAME\n"
"  " PROG " wait-sync - wait until a resource is in sync\n"
"\n"
"SYNOPSIS\n"
"  " PROG " wait-sync RES [--timeout SECONDS]\n"
"\n"
"DESCRIPTION\n"
"  Reads the status of RES every 100 ms until its connection is\n"
"  Connected (no resync running) and both this node's disk and the\n"
"  peer's are UpToDate, then exits 0. On timeout it prints the state it\n"
"  saw last and what it waited for, and exits 5. A RES the kernel does\n"
"  not know is an error (exit 3) at once.\n"
"\n"
"OPTIONS\n"
"  -t, --timeout SECONDS\n"
"         Give up after SECONDS (fractions allowed). Default: 60.\n"
"         0 means no limit.\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " wait-sync r0 --timeout 600 && echo in sync\n",
};
