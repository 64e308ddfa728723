// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl invalidate / invalidate-remote: declare one side's data bad,
 * so that a full sync replaces it with the other side's.
 */
#include "hadiskctl.h"

static int run_invalidate(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_INVALIDATE);
}

static int run_invalidate_remote(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_INVALIDATE_REMOTE);
}

const struct hd_cmd cmd_invalidate = {
	.name = "invalidate",
	.summary = "this node's data is bad: resync all of it from the peer",
	.res = RES_REQUIRED,
	.run = run_invalidate,
	.help =
"NAME\n"
"  " PROG " invalidate - replace this node's data with the peer's\n"
"\n"
"SYNOPSIS\n"
"  " PROG " invalidate RES\n"
"  " PROG " invalidate --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends INVALIDATE: this node's disk becomes Inconsistent and a full\n"
"  sync from the peer replaces every block of it, at once if connected,\n"
"  otherwise as soon as the peer connects. Use it when this node's data\n"
"  is known to be bad while the peer's is good: the disk was replaced or\n"
"  restored from an old backup, or a verify found differences and the\n"
"  peer holds the right data.\n"
"\n"
"  Until the sync completes, this node has no usable copy of its own:\n"
"  it cannot be promoted, and if the peer fails before the sync ends,\n"
"  the data is where the peer is. The kernel refuses on a Primary\n"
"  (demote it first, or use 'invalidate-remote' on the peer), while a\n"
"  resync runs, and without an attached disk. It does not check that a\n"
"  peer with UpToDate data exists: without one, the node stays\n"
"  Inconsistent.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " invalidate r0 && " PROG " wait-sync r0\n",
};

const struct hd_cmd cmd_invalidate_remote = {
	.name = "invalidate-remote",
	.summary = "the peer's data is bad: resync all of it from this node",
	.res = RES_REQUIRED,
	.run = run_invalidate_remote,
	.help =
"NAME\n"
"  " PROG " invalidate-remote - replace the peer's data with this node's\n"
"\n"
"SYNOPSIS\n"
"  " PROG " invalidate-remote RES\n"
"  " PROG " invalidate-remote --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends INVALIDATE_REMOTE: the peer's disk becomes Inconsistent and a\n"
"  full sync from this node replaces every block of it. Use it when the\n"
"  peer's data is known to be bad and this node's is good, for instance\n"
"  after the peer's disk was replaced, or on the Primary when the\n"
"  Secondary holds data that must not survive.\n"
"\n"
"  Until the sync completes, the peer has no usable copy: if this node\n"
"  fails meanwhile, there is none. The kernel refuses unless the\n"
"  resource is Connected (no resync running), this node's disk is\n"
"  UpToDate and the peer is not Primary.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " invalidate-remote r0 && " PROG " wait-sync r0\n",
};
