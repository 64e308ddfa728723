// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl primary / secondary: a node's role.
 */
#include "hadiskctl.h"

static int run_primary(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_PRIMARY);
}

static int run_secondary(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_SECONDARY);
}

const struct hd_cmd cmd_primary = {
	.name = "primary",
	.summary = "promote this node: /dev/hadiskN becomes writable",
	.opts = OPT_FORCE,
	.res = RES_REQUIRED,
	.run = run_primary,
	.help =
"NAME\n"
"  " PROG " primary - promote this node of a resource to Primary\n"
"\n"
"SYNOPSIS\n"
"  " PROG " primary RES [--force]\n"
"  " PROG " primary --config FILE [--force]\n"
"\n"
"DESCRIPTION\n"
"  Sends PRIMARY: /dev/hadiskN may then be opened for writing, and every\n"
"  write is replicated to the peer. The kernel refuses while the peer is\n"
"  Primary, and unless this node's disk is UpToDate.\n"
"\n"
"OPTIONS\n"
"      --force\n"
"         Promote even though the local disk is not UpToDate, for\n"
"         instance when neither disk is UpToDate yet. This node's data\n"
"         becomes the data: use it only when you know that this disk\n"
"         holds what you want.\n"
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
