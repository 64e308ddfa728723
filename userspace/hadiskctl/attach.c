// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl attach / detach: a resource's backing disk and /dev/hadiskN.
 */
#include "hadiskctl.h"
#include "request.h"

static int run_attach(struct hd_ctx *ctx)
{
	return hd_run_from_conf(ctx, hd_req_attach, true);
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
"  Sends ATTACH with this node's 'minor' and 'disk' from the configuration\n"
"  of RES: the kernel opens the backing disk exclusively and creates\n"
"  /dev/hadiskMINOR on top of it. The resource must exist (see 'up');\n"
"  attach is the second step of 'up', for when it was undone by 'detach'.\n"
"  The kernel refuses when the minor is taken, the disk is in use or is\n"
"  not a block device, or the resource has a disk already.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " detach r0 && " PROG " attach r0\n",
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
