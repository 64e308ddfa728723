// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl verify: online verify of a resource against its peer. With
 * --wait, poll its status until the verify ends and print what it found.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"
#include "hadiskctl.h"
#include "request.h"

#define VERIFY_POLL_MS		200
/* after a verify --resync: how long to wait for its resync to show */
#define VERIFY_RESYNC_SHOW_S	5

/* "42.0% (10.0MiB of 24.0MiB compared), 0B out of sync" */
static void progress(const struct hd_status *st, char *buf, size_t size)
{
	char done[32], total[32], oos[32];

	hd_format_bytes(st->verify_done_bytes, done, sizeof(done));
	hd_format_bytes(st->verify_total_bytes, total, sizeof(total));
	hd_format_bytes(st->verify_oos_bytes, oos, sizeof(oos));
	snprintf(buf, size, "%.1f%% (%s of %s compared), %s out of sync",
		 hd_status_verify_percent(st), done, total, oos);
}

/*
 * The status of res into st. Returns 0, or an exit code after a message:
 * the resource or its verify is gone, or the kernel failed the request.
 */
static int verify_status(struct hd_ctx *ctx, struct hd_nl *nl,
			 const char *res, struct hd_status *st)
{
	int ret = hd_get_status(nl, res, st);

	if (hd_no_such_resource(ret)) {
		hd_res_err(ctx, res,
			   "the resource is no longer in the kernel (was it taken down?)");
		return EXIT_KERNEL;
	}
	if (ret)
		return hd_ctx_refused(ctx, nl, HADISK_CMD_GET_STATUS, res, ret);
	if (!st->has_verify) {
		hd_res_err(ctx, res,
			   "the kernel reports no verify any more (was the resource taken down and up again?)");
		return EXIT_KERNEL;
	}
	return 0;
}

/* True once the resync of what a verify found has begun, or is over. */
static bool resync_shown(const struct hd_status *st)
{
	return st->conn != HADISK_CONN_CONNECTED || !st->oos_bytes;
}

/*
 * After a verify --resync that found differences, the kernel starts the
 * resync a moment later. Waiting for it (shortly) lets 'wait-sync' right
 * after this command see it, rather than the calm before it.
 */
static int wait_resync_start(struct hd_ctx *ctx, struct hd_nl *nl,
			     const char *res, struct hd_status *st)
{
	const struct timespec tick = { 0, VERIFY_POLL_MS * 1000 * 1000 };
	double until = hd_now() + VERIFY_RESYNC_SHOW_S;
	int ret;

	while (!resync_shown(st) && hd_now() < until) {
		nanosleep(&tick, NULL);
		ret = verify_status(ctx, nl, res, st);
		if (ret)
			return ret;
	}
	return 0;
}

static void print_result(const struct hd_ctx *ctx, const char *res,
			 const struct hd_status *st)
{
	const char *peer = st->has_peer_node ? st->peer_node : "the peer";
	char total[32], oos[32];

	hd_format_bytes(st->verify_total_bytes, total, sizeof(total));
	hd_format_bytes(st->verify_oos_bytes, oos, sizeof(oos));
	printf("%s: verify done: %" PRIu64 " bytes (%s) compared with %s, %" PRIu64 " bytes (%s) out of sync\n",
	       res, st->verify_total_bytes, total, peer,
	       st->verify_oos_bytes, oos);
	if (!st->verify_oos_bytes)
		return;
	if (!ctx->resync)
		printf("%s: the blocks that differ are marked out of sync here; '" PROG " verify %s --resync' on the node whose data is right copies them to its peer\n",
		       res, res);
	else if (hd_status_resyncing(st))
		printf("%s: resyncing them from this node to %s ('" PROG " wait-sync %s' waits for the end)\n",
		       res, peer, res);
	else if (!st->oos_bytes)
		printf("%s: they were resynced from this node to %s\n", res,
		       peer);
	else
		printf("%s: their resync from this node has not started yet ('" PROG " status %s' shows it)\n",
		       res, res);
}

static int wait_verify(struct hd_ctx *ctx, struct hd_nl *nl, const char *res)
{
	const struct timespec tick = { 0, VERIFY_POLL_MS * 1000 * 1000 };
	double deadline = ctx->has_timeout && ctx->timeout > 0 ?
			  hd_now() + ctx->timeout : 0;
	struct hd_status st;
	char now[160];
	int ret;

	for (;;) {
		ret = verify_status(ctx, nl, res, &st);
		if (ret)
			return ret;
		if (!st.verify_running)
			break;
		if (deadline > 0 && !hd_ms_left(deadline)) {
			progress(&st, now, sizeof(now));
			hd_res_err(ctx, res,
				   "timed out after %g s waiting for the verify to end; it goes on, now at %s ('" PROG " status %s' shows it)",
				   ctx->timeout, now, res);
			return EXIT_TIMEOUT;
		}
		nanosleep(&tick, NULL);
	}
	if (hd_status_verify_stopped(&st)) {
		progress(&st, now, sizeof(now));
		hd_res_err(ctx, res,
			   "the verify stopped before its end, at %s: the connection to the peer was lost%s%s",
			   now, st.last_error[0] ? ": " : "", st.last_error);
		return EXIT_KERNEL;
	}
	if (ctx->resync && st.verify_oos_bytes) {
		ret = wait_resync_start(ctx, nl, res, &st);
		if (ret)
			return ret;
	}
	print_result(ctx, res, &st);
	return EXIT_OK;
}

static int run_verify(struct hd_ctx *ctx)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct hd_nl nl;
	const char *res;
	int ret;

	if (ctx->has_timeout && !ctx->wait) {
		hd_err(ctx,
		       "--timeout applies only with --wait (see '" PROG " verify --help')");
		return EXIT_USAGE;
	}
	ret = hd_ctx_res(ctx, &res);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	ret = hd_ctx_do(ctx, &nl,
			hd_req_verify(buf, nl.family, res, ctx->resync), res);
	if (!ret && ctx->wait)
		ret = wait_verify(ctx, &nl, res);
	hd_nl_close(&nl);
	return ret;
}

const struct hd_cmd cmd_verify = {
	.name = "verify",
	.summary = "compare this node's data with the peer's (online verify)",
	.opts = OPT_RESYNC | OPT_WAIT | OPT_TIMEOUT,
	.res = RES_REQUIRED,
	.run = run_verify,
	.help =
"NAME\n"
"  " PROG " verify - compare this node's data with the peer's\n"
"\n"
"SYNOPSIS\n"
"  " PROG " verify RES [--resync] [--wait [--timeout SECONDS]]\n"
"  " PROG " verify --config FILE [--resync] [--wait [--timeout SECONDS]]\n"
"\n"
"DESCRIPTION\n"
"  Sends VERIFY: the kernel compares every 4 KiB block of this node's\n"
"  disk with the same block of the peer's, by their crc32c checksums\n"
"  (only the checksums cross the network), and marks the blocks that\n"
"  differ out of sync on this node. The resource stays in use meanwhile:\n"
"  a write to a block waits while that block is being compared. The\n"
"  kernel refuses unless RES is Connected (no resync running) with both\n"
"  disks UpToDate, and while a verify of RES is already running.\n"
"\n"
"  Two nodes in sync hold the same data, so a verify normally finds\n"
"  nothing. A difference means the data changed behind hadisk's back: a\n"
"  disk that returned bad data, a write to a backing device instead of\n"
"  /dev/hadiskN, or 'new-current-uuid --clear-bitmap' on disks that were\n"
"  not identical.\n"
"\n"
"  Without --resync the blocks that differ are only marked: status\n"
"  counts them as out-of-sync. With --resync, once the verify is done, a\n"
"  resync copies them from this node to the peer: this node's data wins\n"
"  and the peer's differing blocks are overwritten. Run it on the node\n"
"  whose data is right. A verify that stops before its end (the\n"
"  connection was lost) keeps what it marked and starts no resync.\n"
"\n"
"  verify returns as soon as the kernel has started it; it runs in the\n"
"  kernel. To watch it, '" PROG " status RES' shows the line\n"
"\n"
"    verify: 42.0% (10.0MiB of 24.0MiB), 0B out of sync\n"
"\n"
"  while it runs and 'verify: done, 4.0KiB out of sync' after it (in\n"
"  JSON, the \"verify\" key of 'status --json'); '" PROG " events RES'\n"
"  prints the events verify-started, verify-done, and verify-stopped\n"
"  when the connection is lost before the end.\n"
"\n"
"  With --wait, verify reads the status every 200 ms until the verify\n"
"  ends, then prints the bytes compared and the bytes found out of sync,\n"
"  and exits 0; after --resync it also says whether their resync has\n"
"  begun. If the verify stops before its end, it says how far it got\n"
"  and exits 3.\n"
"\n"
"OPTIONS\n"
"      --resync\n"
"         Once the verify is done, resync the blocks that differ from\n"
"         this node to the peer (this node's data wins).\n"
"      --wait\n"
"         Wait for the verify to end and print its result.\n"
"  -t, --timeout SECONDS\n"
"         With --wait: stop waiting after SECONDS (fractions allowed),\n"
"         show the progress and exit 5; the verify goes on. Default:\n"
"         0, no limit.\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " verify r0 --wait\n"
"      Compare r0 on both nodes and print what differs.\n"
"  " PROG " verify r0 --resync --wait && " PROG " wait-sync r0\n"
"      On the node whose data is right: make the peer's the same.\n"
"  " PROG " verify r0 && " PROG " status r0 --json | jq '.[0].verify'\n"
"      Start it, then show its progress as JSON.\n",
};
