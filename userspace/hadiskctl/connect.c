// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl connect / disconnect: a resource's replication link.
 */
#include "hadiskctl.h"
#include "request.h"

static int run_connect(struct hd_ctx *ctx)
{
	return hd_run_from_conf(ctx, hd_req_connect);
}

static int run_disconnect(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_DISCONNECT);
}

const struct hd_cmd cmd_connect = {
	.name = "connect",
	.summary = "start connecting to the peer (and keep reconnecting)",
	.res = RES_REQUIRED,
	.run = run_connect,
	.help =
"NAME\n"
"  " PROG " connect - connect a resource to its peer\n"
"\n"
"SYNOPSIS\n"
"  " PROG " connect RES [--config FILE] [--node NAME]\n"
"\n"
"DESCRIPTION\n"
"  Sends CONNECT with this node's and the peer's address and port, the\n"
"  protocol (A, B or C), the 'net' section's timeouts and\n"
"  checksum-resync, and the 'disk' section's resync-rate-min and\n"
"  resync-rate-max from the configuration of RES; what the file does not\n"
"  set keeps the kernel's defaults (ping-interval 1s, ping-timeout 2s,\n"
"  ack-timeout 6s, connect-interval 1s, checksum-resync no,\n"
"  resync-rate-min 32M, resync-rate-max 1G: the resync uses what the\n"
"  application's writes leave of the maximum, never less than the\n"
"  minimum).\n"
"\n"
"  With 'net { checksum-resync yes; }' a resync of the blocks marked out\n"
"  of sync (after a reconnection) first compares their crc32c checksums\n"
"  with the peer's and sends only the blocks that differ: less traffic\n"
"  when marked blocks were rewritten with the same data, at the cost of\n"
"  reading them on both nodes. A full sync sends every block either way.\n"
"\n"
"  The resource needs its disk attached first. The kernel then\n"
"  listens, connects and reconnects by itself, in this network\n"
"  namespace, until 'disconnect'. connect returns at once: 'wait-connect'\n"
"  waits for the connection.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " connect r0 && " PROG " wait-connect r0 --timeout 30\n",
};

const struct hd_cmd cmd_disconnect = {
	.name = "disconnect",
	.summary = "drop the connection and stop reconnecting",
	.res = RES_REQUIRED,
	.run = run_disconnect,
	.help =
"NAME\n"
"  " PROG " disconnect - disconnect a resource from its peer\n"
"\n"
"SYNOPSIS\n"
"  " PROG " disconnect RES\n"
"  " PROG " disconnect --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Sends DISCONNECT: the kernel drops the connection and stops\n"
"  reconnecting; the resource becomes StandAlone. Writes on a Primary go\n"
"  on locally and are remembered in the bitmap, for the resync after the\n"
"  next 'connect'. Needs no configuration file; with --config and no RES\n"
"  it takes the file's resource.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " disconnect r0\n",
};
