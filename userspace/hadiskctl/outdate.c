// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl outdate / resume-io: the two fencing commands. outdate marks
 * this node's data Outdated (what a fence-peer hook on the other node asks
 * for); resume-io releases application IO that fencing
 * resource-and-stonith froze after a failed fence-peer hook.
 */
#include "hadiskctl.h"

static int run_outdate(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_OUTDATE);
}

static int run_resume_io(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_RESUME_IO);
}

const struct hd_cmd cmd_outdate = {
	.name = "outdate",
	.summary = "mark this node's data Outdated (for fence-peer hooks)",
	.res = RES_REQUIRED,
	.run = run_outdate,
	.help =
"NAME\n"
"  " PROG " outdate - mark this node's data of a resource Outdated\n"
"\n"
"SYNOPSIS\n"
"  " PROG " outdate RES\n"
"  " PROG " outdate --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends OUTDATE: the kernel marks the local data Outdated, in the\n"
"  metadata, so that it survives a reboot. An Outdated node cannot be\n"
"  promoted without 'primary --force'; it becomes UpToDate again by a\n"
"  resync from the peer once the two nodes connect.\n"
"\n"
"  This is what a fence-peer hook runs on the peer (over ssh, say) when\n"
"  the Primary lost its connection: once the peer's data is Outdated, it\n"
"  cannot become a second Primary with old data, and the hook may exit 4\n"
"  (peer Outdated). See Documentation/hooks.md.\n"
"\n"
"  The kernel refuses on a Primary, while the resource is connected (the\n"
"  peer is then kept in sync, nothing needs to be outdated), and unless\n"
"  the local disk is UpToDate or already Outdated. Its reason is printed.\n"
"  Needs no configuration file; with --config and no RES it takes the\n"
"  file's resource.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " outdate r0\n"
"  ssh beta " PROG " outdate r0 && exit 4\n"
"      In a fence-peer hook on alpha: outdate beta's copy.\n",
};

const struct hd_cmd cmd_resume_io = {
	.name = "resume-io",
	.summary = "release application IO frozen by fencing",
	.res = RES_REQUIRED,
	.run = run_resume_io,
	.help =
"NAME\n"
"  " PROG " resume-io - release application IO frozen by fencing\n"
"\n"
"SYNOPSIS\n"
"  " PROG " resume-io RES\n"
"  " PROG " resume-io --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends RESUME_IO. With 'fencing resource-and-stonith', a Primary that\n"
"  loses its peer holds every application write and the completion of\n"
"  those in flight (status: 'IO frozen') until its fence-peer hook\n"
"  succeeds. If the hook fails, IO stays frozen until the peer\n"
"  reconnects, or until this command releases it.\n"
"\n"
"  Run it only when you know the peer cannot be Primary: it is down, or\n"
"  was outdated or fenced by hand. Released IO goes on on this node alone,\n"
"  and the writes are resynced to the peer when it returns. If the peer\n"
"  might be writing too, releasing IO makes a split brain.\n"
"\n"
"  The kernel refuses with 'Operation already in progress' (EALREADY)\n"
"  when no IO is frozen. Needs no configuration file; with --config and\n"
"  no RES it takes the file's resource.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " status r0 | grep 'IO frozen' && " PROG " resume-io r0\n",
};
