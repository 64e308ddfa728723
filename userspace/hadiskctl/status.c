// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl status: one resource (GET_STATUS) or all of them (a dump), as
 * text or as a JSON array.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hadiskctl.h"
#include "request.h"

struct status_list {
	struct hd_status *v;
	size_t n;
	char err[128];
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct status_list *l = data;
	struct hd_status *v;

	v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!v) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	l->v = v;
	if (hd_status_decode(nlh, &l->v[l->n], l->err, sizeof(l->err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	l->n++;
	return MNL_CB_OK;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct hd_status *)a)->resource,
		      ((const struct hd_status *)b)->resource);
}

static void print_list(const struct hd_ctx *ctx, const struct status_list *l)
{
	struct hd_buf b = HD_BUF_INIT;
	size_t i;

	if (ctx->json) {
		hd_status_json_array(l->v, l->n, &b);
	} else {
		if (!l->n)
			fputs(PROG ": no hadisk resources in this network namespace\n",
			      stderr);
		for (i = 0; i < l->n; i++) {
			if (i)
				hd_buf_putc(&b, '\n');
			hd_status_text(&l->v[i], &b);
		}
	}
	fputs(hd_buf_str(&b), stdout);
	hd_buf_free(&b);
}

static int run_status(struct hd_ctx *ctx)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct status_list l = { NULL, 0, "" };
	const char *res = NULL;
	struct hd_nl nl;
	int ret;

	if (ctx->argc || ctx->config) {
		ret = hd_ctx_res(ctx, &res);
		if (ret)
			return ret;
	}
	ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	if (res) {
		l.v = malloc(sizeof(*l.v));
		if (!l.v) {
			ret = -ENOMEM;
		} else {
			ret = hd_get_status(&nl, res, l.v);
			l.n = !ret;
		}
		if (hd_no_such_resource(ret)) {
			hd_err(ctx,
			       "no resource '%s' in the kernel ('" PROG " status' lists those there are)",
			       res);
			ret = EXIT_KERNEL;
			goto out;
		}
	} else {
		res = "(all)";
		ret = hd_nl_request(&nl, hd_req_status_dump(buf, nl.family),
				    dump_cb, &l);
		if (ret == -EBADMSG && l.err[0])
			hd_strlcpy(nl.ext_msg, l.err, sizeof(nl.ext_msg));
	}
	if (ret) {
		ret = hd_ctx_refused(ctx, &nl, HADISK_CMD_GET_STATUS, res, ret);
		goto out;
	}
	qsort(l.v, l.n, sizeof(*l.v), by_name);
	print_list(ctx, &l);
out:
	free(l.v);
	hd_nl_close(&nl);
	return ret;
}

const struct hd_cmd cmd_status = {
	.name = "status",
	.summary = "show the state of one resource, or of all",
	.opts = OPT_JSON,
	.res = RES_OPTIONAL,
	.run = run_status,
	.help =
"NAME\n"
"  " PROG " status - show the state of hadisk resources\n"
"\n"
"SYNOPSIS\n"
"  " PROG " status [RES] [--json]\n"
"\n"
"DESCRIPTION\n"
"  Shows the state of RES, or of every resource of this network namespace,\n"
"  as the kernel reports it:\n"
"\n"
"    r0 role:Primary node:alpha minor:0 protocol:C\n"
"      disk:UpToDate size:256.0MiB open:1\n"
"      disk: detached after an I/O error of the backing device; ...\n"
"      metadata:internal al:12/257 extents, 345 writes\n"
"      on-io-error:detach local-io-errors:2 remote-reads:1200\n"
"      fencing:resource-and-stonith peer:fenced\n"
"      split-brain: after-sb-0pri:discard-zero-changes after-sb-1pri:...\n"
"      IO frozen: application IO waits for the fence-peer hook ...\n"
"      last discarded file: /var/lib/hadisk/r0-alpha-1795000000.hdsave\n"
"      peer beta role:Secondary connection:SyncSource disk:Inconsistent\n"
"        sent:1.2MiB received:0B pending:0 unacked:0 out-of-sync:62.0MiB\n"
"        resync: 3.1% 12.4MiB/s 00:00:05 left (2.0MiB of 64.0MiB) limit 1.0GiB/s\n"
"        last error: ...\n"
"      verify: 42.0% (10.0MiB of 24.0MiB), 0B out of sync\n"
"\n"
"  The metadata line shows, for a disk attached with metadata, where it\n"
"  is (internal, or the meta-disk's path) and the activity log: its\n"
"  active extents, of how many when the kernel says so, and the\n"
"  transactions written. The resync line shows only while a resync runs,\n"
"  the last error only if there is one. On the SyncSource the resync\n"
"  line ends with the resync's current limit: what the application's\n"
"  writes leave of resync-rate-max, never less than resync-rate-min (the\n"
"  disk section of the configuration). The verify line shows once an\n"
"  online verify ('" PROG " verify') was started on the connection: its\n"
"  progress and the bytes found out of sync while it runs; 'verify:\n"
"  done, 4.0KiB out of sync' after it; 'verify: stopped at 42.0% (...)'\n"
"  when the connection was lost before its end.\n"
"\n"
"  The on-io-error line shows the disk section's policy for a failed\n"
"  read or write of the backing device (detach, pass_on or\n"
"  call-local-io-error), then the failed IOs of the backing device and\n"
"  the reads the peer served, when not 0. After on-io-error detach took\n"
"  the disk away, the line 'disk: detached after an I/O error of the\n"
"  backing device' follows the disk line (disk:Diskless): it says\n"
"  whether IO is served by the peer (connected to an UpToDate peer) or\n"
"  fails with EIO, and how to get the disk back: repair it (or replace\n"
"  it and run 'create-md'), then '" PROG " attach RES'.\n"
"\n"
"  The fencing line shows when the disk section's fencing is not none or\n"
"  the peer is recorded as fenced (Outdated by a fence-peer hook, kept\n"
"  across reboots until the nodes are in sync again). The split-brain\n"
"  line shows the net section's after-sb policies when one is not\n"
"  disconnect. 'IO frozen' shows while fencing resource-and-stonith\n"
"  holds the application's IO after the peer was lost: until the\n"
"  fence-peer hook succeeds, the peer reconnects, or '" PROG " resume-io'.\n"
"  The last discarded file is the newest save file of this node's\n"
"  blocks discarded by a split-brain resolution ('" PROG " discarded\n"
"  FILE' lists it).\n"
"\n"
"  A line after 'sent:' shows peer authentication and the data digest\n"
"  when one is on or counted something: 'auth:on' (net: shared-secret),\n"
"  'auth-failures:N' (connections refused: the peer had no secret, or\n"
"  another), 'data-digest:crc32c' (net: data-integrity-alg) and\n"
"  'digest-errors:N' (blocks that arrived corrupted: the connection was\n"
"  dropped and they are resynced).\n"
"\n"
"  Roles are Primary,\n"
"  Secondary or Unknown; connections StandAlone, Connecting, Connected,\n"
"  SyncSource, SyncTarget or Disconnecting; disks Diskless,\n"
"  Inconsistent, Outdated, DUnknown or UpToDate. Sizes are in powers of\n"
"  1024.\n"
"\n"
"  A RES that the kernel does not know is an error (exit 3). With\n"
"  --config and no RES, the file's resource is shown.\n"
"\n"
"OPTIONS\n"
"  -j, --json\n"
"         Print a JSON array with one object per resource ([] when there\n"
"         is none). Keys: resource, node, peer_node (strings, or null),\n"
"         minor (number, or null without a disk), role, peer_role,\n"
"         connection, disk, peer_disk (names as above), on_io_error\n"
"         (\"detach\", \"pass_on\", \"call-local-io-error\", or null when\n"
"         the kernel does not say), local_io_errors (failed IOs of the\n"
"         backing device), remote_reads (reads the peer served),\n"
"         detached_on_error (true while Diskless after an I/O error),\n"
"         protocol (\"A\",\n"
"         \"B\", \"C\", or null when no connection is configured),\n"
"         size_bytes, open_count, bytes_sent, bytes_received,\n"
"         writes_pending, writes_unacked, out_of_sync_bytes (numbers),\n"
"         resync (null, or while SyncSource/SyncTarget an object with\n"
"         total_bytes, done_bytes, percent, rate_bytes_per_sec;\n"
"         limit_bytes_per_sec, the resync's current limit, null but on\n"
"         the SyncSource; and eta_seconds, null when the rate is 0),\n"
"         verify (null before the first online verify of the\n"
"         connection, else an object with running (true or false),\n"
"         total_bytes, done_bytes, percent and out_of_sync_bytes, the\n"
"         bytes found out of sync; not running with done_bytes below\n"
"         total_bytes: it stopped before its end),\n"
"         last_error (string or null), current_uuid and bitmap_uuid (16\n"
"         hex digits), metadata (\"internal\", the meta-disk's path, or\n"
"         null without a disk or metadata), md_flags (array of the\n"
"         superblock's flags: consistent, uptodate, primary,\n"
"         crashed-primary, peer-outdated, al-clean, full-sync; or null),\n"
"         al_active_extents, al_extents and al_writes (numbers, or null\n"
"         when the kernel does not say), fencing (\"none\",\n"
"         \"resource-only\", \"resource-and-stonith\", or null),\n"
"         io_frozen and peer_fenced (true or false), after_sb_0pri,\n"
"         after_sb_1pri, after_sb_2pri (the policies as the\n"
"         configuration writes them, discard-node-NAME with the node's\n"
"         name; or null), last_discarded_file (the newest save file of\n"
"         split-brain victim blocks written here, or null), auth (true\n"
"         when peers must prove the shared-secret), auth_failures\n"
"         (connections refused for authentication), data_digest\n"
"         (\"crc32c\" or \"none\") and digest_errors (packets whose\n"
"         digest did not match). The shared secret is never reported.\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " status\n"
"  " PROG " status r0 --json | jq -r '.[0].connection'\n",
};
