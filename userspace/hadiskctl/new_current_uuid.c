// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl new-current-uuid: start a new data generation; with
 * --clear-bitmap, skip the initial sync of two new disks.
 */
#include "hadiskctl.h"

static int run_new_current_uuid(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_NEW_CURRENT_UUID);
}

const struct hd_cmd cmd_new_current_uuid = {
	.name = "new-current-uuid",
	.summary = "start a new data generation (--clear-bitmap: no initial sync)",
	.opts = OPT_CLEAR_BITMAP,
	.res = RES_REQUIRED,
	.run = run_new_current_uuid,
	.help =
"NAME\n"
"  " PROG " new-current-uuid - start a new data generation\n"
"\n"
"SYNOPSIS\n"
"  " PROG " new-current-uuid RES [--clear-bitmap]\n"
"  " PROG " new-current-uuid --config FILE [--clear-bitmap]\n"
"\n"
"DESCRIPTION\n"
"  Sends NEW_CURRENT_UUID. Without --clear-bitmap: the kernel gives this\n"
"  node's data a new current data generation identifier (the old one\n"
"  goes to the history), as it does by itself when a disconnected\n"
"  Primary's data starts to differ from its peer's; it refuses unless\n"
"  the disk is UpToDate and the resource is not connected.\n"
"\n"
"  Its use is --clear-bitmap on two brand-new disks: after 'create-md'\n"
"  and 'up' on both nodes, both are connected and Inconsistent, and the\n"
"  first sync would copy every block of one disk onto the other. When\n"
"  both disks are known to hold the same bytes, that sync is pointless:\n"
"  run 'new-current-uuid RES --clear-bitmap' on one node, and both\n"
"  become UpToDate with the same new generation and an empty bitmap, at\n"
"  once. The kernel refuses it unless both nodes are Connected,\n"
"  Secondary and Inconsistent.\n"
"\n"
"  The risk: hadisk takes your word for it. If the disks are not\n"
"  identical (not zeroed, or zeroed differently, e.g. a thin device that\n"
"  reads zeroes and a disk holding old data), they stay different,\n"
"  nothing ever resyncs those blocks, and reads return different data\n"
"  depending on the node that is Primary. A file system made on\n"
"  /dev/hadiskN afterwards writes only through hadisk and is safe;\n"
"  reading blocks never written (e.g. a verify) shows the difference.\n"
"  If unsure, skip --clear-bitmap and let the full sync run.\n"
"\n"
"OPTIONS\n"
"      --clear-bitmap\n"
"         Declare both disks identical: both become UpToDate with no\n"
"         initial sync (see above).\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " wait-connect r0 && " PROG " new-current-uuid r0 --clear-bitmap\n"
"      Two new, zeroed disks: no initial sync.\n",
};
