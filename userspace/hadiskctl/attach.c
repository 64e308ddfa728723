// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl attach / detach: a resource's backing disk and /dev/hadiskN.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hadiskctl.h"
#include "request.h"

/*
 * Whether the kernel's message says the metadata is missing (a bad
 * magic: there never was any), not damaged.
 */
static bool says_missing(const char *msg)
{
	return strstr(msg, "no hadisk metadata") || strstr(msg, "bad magic");
}

int hd_ctx_attach(struct hd_ctx *ctx, struct hd_nl *nl,
		  const struct hd_res_conf *rc, int local)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	int err, ret;

	err = hd_nl_request(nl, hd_req_attach(buf, nl->family, rc, local),
			    NULL, NULL);
	if (!err)
		return 0;
	ret = hd_ctx_refused(ctx, nl, HADISK_CMD_ATTACH, rc->name, err);
	if (err == -EUCLEAN && says_missing(nl->ext_msg))
		hd_res_err(ctx, rc->name,
			   "create it with: " PROG " create-md %s%s%s%s%s",
			   rc->name, ctx->config ? " --config " : "",
			   ctx->config ? ctx->config : "",
			   ctx->node ? " --node " : "",
			   ctx->node ? ctx->node : "");
	return ret;
}

static int run_attach(struct hd_ctx *ctx)
{
	struct hd_res_conf rc;
	struct hd_nl nl;
	int local, ret;

	ret = hd_ctx_conf(ctx, &rc, &local);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	ret = hd_ctx_attach(ctx, &nl, &rc, local);
	hd_nl_close(&nl);
	return ret;
}

static int run_detach(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_DETACH);
}

const struct hd_cmd cmd_attach = {
	.name = "attach",
	.summary = "attach the backing disk: /dev/hadiskN appears",
	.res = RES_REQUIRED,
	.run = run_attach,
	.help =
"NAME\n"
"  " PROG " attach - attach a resource's backing disk\n"
"\n"
"SYNOPSIS\n"
"  " PROG " attach RES [--config FILE] [--node NAME]\n"
"\n"
"DESCRIPTION\n"
"  Sends ATTACH with this node's 'minor', 'disk' and 'meta-disk', the\n"
"  resource's 'al-extents' (if its disk section sets it) and its\n"
"  'on-io-error' (detach when the disk section leaves it out) from the\n"
"  configuration of RES: the kernel opens the backing disk exclusively,\n"
"  reads its metadata, and creates /dev/hadiskMINOR on top of it. The\n"
"  resource must exist (see 'up'); attach is the second step of 'up', for\n"
"  when it was undone by 'detach'.\n"
"\n"
"  Attach is also how a disk comes back after on-io-error detach took it\n"
"  away: status shows 'disk:Diskless' and a line saying it was detached\n"
"  after an I/O error, and IO goes to the peer meanwhile. Repair the disk\n"
"  (or replace it and run 'create-md RES' on the new one), then run\n"
"  'attach RES', on a Primary too: it stays Primary and in use. The same\n"
"  disk with the same data generation gets only the blocks written or\n"
"  failed meanwhile from the peer; a new disk gets a full resync. Until\n"
"  the resync is done, reads of blocks not yet resynced go to the peer.\n"
"\n"
"  The metadata (meta-disk internal, the default, or a device of its own)\n"
"  holds the bitmap of blocks that differ from the peer, the activity log\n"
"  and the data generation; the kernel replays the activity log if the\n"
"  disk was not detached cleanly. With 'meta-disk none;' the kernel keeps\n"
"  all of that in memory only: after a crash or a reboot, a full sync.\n"
"\n"
"  The kernel refuses when the minor is taken, the disk is in use or is\n"
"  not a block device, the resource has a disk already, or the metadata\n"
"  is missing or damaged (it is left untouched). For missing metadata,\n"
"  attach also prints the command that creates it ('create-md RES');\n"
"  'dump-md RES' shows damaged metadata.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " detach r0 && " PROG " attach r0\n"
"  " PROG " attach r0 --config ./r0.conf --node alpha\n",
};

const struct hd_cmd cmd_detach = {
	.name = "detach",
	.summary = "release the backing disk: /dev/hadiskN goes away",
	.res = RES_REQUIRED,
	.run = run_detach,
	.help =
"NAME\n"
"  " PROG " detach - release a resource's backing disk\n"
"\n"
"SYNOPSIS\n"
"  " PROG " detach RES\n"
"  " PROG " detach --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends DETACH: the kernel removes /dev/hadiskN and releases the backing\n"
"  disk; the resource stays, Diskless. The kernel refuses while\n"
"  /dev/hadiskN is open, while the node is Primary and while a connection\n"
"  is configured ('disconnect' first). Needs no configuration file; with\n"
"  --config and no RES it takes the file's resource.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " disconnect r0 && " PROG " detach r0\n",
};
