// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl connect / disconnect: a resource's replication link. CONNECT
 * carries the whole net, split-brain, fencing and handlers configuration,
 * after a check that every hook the file names can run on this node.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hadiskctl.h"
#include "request.h"

int hd_ctx_connect(struct hd_ctx *ctx, struct hd_nl *nl,
		   const struct hd_res_conf *rc, int local)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct hd_connect_opts opts = { NULL, ctx->discard_my_data };
	char self[HADISK_PATH_MAX], err[1024];
	ssize_t n;

	if (hd_conf_check_hooks(rc, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return EXIT_CONFIG;
	}
	/* the secret goes to the kernel all the same: a warning only */
	if (hd_conf_secret_exposed(rc))
		hd_res_err(ctx, rc->name,
			   "warning: %s holds the shared-secret and can be read by users other than its owner (mode %04o): run 'chmod 600 %s'",
			   rc->file, rc->file_mode, rc->file);
	/* the kernel runs "SELF save-discarded" before discarding blocks */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0 && self[0] == '/') {
		self[n] = '\0';
		opts.save_helper = self;
	} else {
		hd_res_err(ctx, rc->name,
			   "warning: cannot find this program's own path (readlink /proc/self/exe: %s); without it the kernel cannot save a split-brain victim's blocks, and resolves no split brain by itself",
			   n < 0 ? strerror(errno) : "too long");
	}
	return hd_ctx_do(ctx, nl, hd_req_connect(buf, nl->family, rc, local,
						 &opts), rc->name);
}

static int run_connect(struct hd_ctx *ctx)
{
	struct hd_res_conf rc;
	struct hd_nl nl;
	int local, ret;

	ret = hd_ctx_conf(ctx, &rc, &local);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	ret = hd_ctx_connect(ctx, &nl, &rc, local);
	hd_conf_wipe_secret(&rc);
	hd_nl_close(&nl);
	return ret;
}

static int run_disconnect(struct hd_ctx *ctx)
{
	return hd_run_simple(ctx, HADISK_CMD_DISCONNECT);
}

const struct hd_cmd cmd_connect = {
	.name = "connect",
	.summary = "start connecting to the peer (and keep reconnecting)",
	.opts = OPT_DISCARD_MY_DATA,
	.res = RES_REQUIRED,
	.run = run_connect,
	.help =
"NAME\n"
"  " PROG " connect - connect a resource to its peer\n"
"\n"
"SYNOPSIS\n"
"  " PROG " connect RES [--discard-my-data] [--config FILE] [--node NAME]\n"
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
"  CONNECT also carries the split-brain policies (net: after-sb-0pri,\n"
"  after-sb-1pri, after-sb-2pri), the fencing policy (disk: fencing) and\n"
"  the handlers section (the hook programs, hook-timeout,\n"
"  discarded-dir), and the path of this " PROG ", which the kernel runs as\n"
"  '" PROG " save-discarded' to save a split-brain victim's blocks before\n"
"  they are overwritten. Each hook the file names must exist here and be\n"
"  executable; if one is not, nothing is sent and the error names the\n"
"  handlers key and the path. See Documentation/hooks.md.\n"
"\n"
"  With 'net { shared-secret \"SECRET\"; }' CONNECT carries the secret\n"
"  (read from the file, never from the command line) and cram-hmac-alg:\n"
"  the peers then prove they hold the same secret before anything else\n"
"  is exchanged. The secret is never printed, nor reported by 'status'.\n"
"  If the file can be read by its group or by others, a warning asks for\n"
"  'chmod 600 FILE' (CONNECT is still sent). 'data-integrity-alg\n"
"  crc32c;' has every replicated block carry its checksum.\n"
"\n"
"  The resource needs its disk attached first. The kernel then\n"
"  listens, connects and reconnects by itself, in this network\n"
"  namespace, until 'disconnect'. connect returns at once: 'wait-connect'\n"
"  waits for the connection.\n"
"\n"
"OPTIONS\n"
HELP_DISCARD_MY_DATA_OPTION
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " connect r0 && " PROG " wait-connect r0 --timeout 30\n"
"  " PROG " disconnect r0; " PROG " connect r0 --discard-my-data\n"
"      On the node whose changes since a split brain shall be thrown\n"
"      away (they are saved first: see '" PROG " discarded --help').\n",
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
