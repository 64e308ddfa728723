// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl up / down: the whole life of a resource in one command each.
 * up is NEW_RESOURCE, ATTACH, CONNECT, undoing the done steps when one
 * fails; down is SECONDARY, DISCONNECT, DETACH, DEL_RESOURCE, each only if
 * the resource's status says it is needed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hadiskctl.h"
#include "names.h"
#include "request.h"

/* Undoes the first steps of "up" after a failure, newest first. */
static void roll_back(struct hd_ctx *ctx, struct hd_nl *nl, const char *res,
		      bool attached)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	static const uint8_t steps[] = {
		HADISK_CMD_DETACH, HADISK_CMD_DEL_RESOURCE
	};
	size_t i;
	int ret;

	for (i = attached ? 0 : 1; i < ARRAY_SIZE(steps); i++) {
		struct nlmsghdr *req = hd_req_resource(buf, nl->family,
						       steps[i], res);

		ret = hd_nl_request(nl, req, NULL, NULL);
		if (!ret)
			continue;
		hd_res_err(ctx, res,
			   "undoing it failed too: %s: %s%s%s; the resource is left half up ('" PROG " status %s' shows it, '" PROG " down %s' removes it)",
			   hd_cmd_name(steps[i]), strerror(-ret),
			   nl->ext_msg[0] ? ": " : "", nl->ext_msg, res,
			   res);
		return;
	}
	hd_res_err(ctx, res, "undone: nothing of it is left in the kernel");
}

static int run_up(struct hd_ctx *ctx)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct hd_res_conf rc;
	struct hd_nl nl;
	char err[1024];
	int local, ret;

	ret = hd_ctx_conf(ctx, &rc, &local);
	if (ret)
		return ret;
	/* a hook that cannot run here stops "up" before its first step */
	if (hd_conf_check_hooks(&rc, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return EXIT_CONFIG;
	}
	ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;

	ret = hd_ctx_do(ctx, &nl, hd_req_new_resource(buf, nl.family, &rc,
						      local), rc.name);
	if (ret)
		goto out;
	ret = hd_ctx_attach(ctx, &nl, &rc, local);
	if (ret) {
		roll_back(ctx, &nl, rc.name, false);
		goto out;
	}
	ret = hd_ctx_connect(ctx, &nl, &rc, local);
	if (ret)
		roll_back(ctx, &nl, rc.name, true);
out:
	hd_conf_wipe_secret(&rc);
	hd_nl_close(&nl);
	return ret;
}

const struct hd_cmd cmd_up = {
	.name = "up",
	.summary = "create, attach and connect a resource from its config",
	.opts = OPT_DISCARD_MY_DATA,
	.res = RES_REQUIRED,
	.run = run_up,
	.help =
"NAME\n"
"  " PROG " up - bring a resource up: create it, attach its disk, connect\n"
"\n"
"SYNOPSIS\n"
"  " PROG " up RES [--discard-my-data] [--config FILE] [--node NAME]\n"
"  " PROG " up --config FILE [--node NAME]\n"
"\n"
"DESCRIPTION\n"
"  Reads the configuration of RES (" HD_CONF_DIR "/RES.conf unless --config\n"
"  names another file), finds this node in it, and sends three requests\n"
"  to the kernel:\n"
"\n"
"    NEW_RESOURCE  the resource's name, this node's and the peer's node-id\n"
"                  and name;\n"
"    ATTACH        this node's minor, backing disk, meta-disk and the\n"
"                  file's al-extents and on-io-error: /dev/hadiskMINOR\n"
"                  appears, on top of the disk, which is opened\n"
"                  exclusively; the kernel reads the metadata (see\n"
"                  'attach');\n"
"    CONNECT       this node's and the peer's address and port, the\n"
"                  protocol, the net section's timeouts and\n"
"                  checksum-resync, and the disk section's\n"
"                  resync-rate-min and resync-rate-max of the file, the\n"
"                  split-brain policies, fencing and handlers, and the\n"
"                  shared-secret, cram-hmac-alg, data-integrity-alg and\n"
"                  transport (see 'connect'; the secret is never printed,\n"
"                  and a file others can read gets a warning).\n"
"\n"
"  From then on the kernel connects to the peer, and reconnects after a\n"
"  failure, by itself. Run 'up' on both nodes. The node comes up Secondary;\n"
"  '" PROG " primary' promotes it.\n"
"\n"
"  The resync after a connection uses what the application's writes\n"
"  leave of resync-rate-max, never less than resync-rate-min, both per\n"
"  second, e.g. 'disk { resync-rate-min 50M; resync-rate-max 500M; }':\n"
"  N (KiB), NK, NM or NG, in powers of 1024, from 1M to 100G. A rate\n"
"  left out is the kernel's default, 32M for the minimum and 1G for the\n"
"  maximum; the minimum may not be above the maximum.\n"
"\n"
"  If a step fails, the steps already done are undone (DETACH, then\n"
"  DEL_RESOURCE) so that nothing is left behind, and the kernel's message\n"
"  is printed. A configuration error changes nothing, and neither does a\n"
"  hook of the handlers section that is missing or not executable on\n"
"  this node (checked before the first step). A disk whose\n"
"  metadata was never created is refused: 'create-md RES' creates it,\n"
"  once, before the first 'up'.\n"
"\n"
"OPTIONS\n"
HELP_DISCARD_MY_DATA_OPTION
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " create-md r0 && " PROG " up r0\n"
"      The first time: create r0's metadata, then bring it up.\n"
"  " PROG " up r0\n"
"      Bring up r0 as described in " HD_CONF_DIR "/r0.conf.\n"
"  " PROG " up --config ./test.conf --node alpha\n"
"      Bring up the only resource of ./test.conf as its node 'alpha'.\n",
};

/* DEL_RESOURCE, given a little time for a connection to finish closing. */
static int delete_resource(struct hd_ctx *ctx, struct hd_nl *nl,
			   const char *res)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	const struct timespec tick = { 0, 100 * 1000 * 1000 };
	struct hd_status st;
	struct nlmsghdr *req;
	int ret, tries;

	for (tries = 0;; tries++) {
		req = hd_req_resource(buf, nl->family, HADISK_CMD_DEL_RESOURCE,
				      res);
		ret = hd_nl_request(nl, req, NULL, NULL);
		if (ret != -EBUSY || tries == 50 ||
		    hd_get_status(nl, res, &st) ||
		    st.conn != HADISK_CONN_DISCONNECTING)
			break;
		nanosleep(&tick, NULL);
	}
	return ret ? hd_ctx_refused(ctx, nl, HADISK_CMD_DEL_RESOURCE, res,
				    ret) : 0;
}

static int run_down(struct hd_ctx *ctx)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *req;
	struct hd_status st;
	struct hd_nl nl;
	const char *res;
	int ret;

	ret = hd_ctx_res(ctx, &res);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;

	ret = hd_get_status(&nl, res, &st);
	if (hd_no_such_resource(ret)) {
		hd_res_err(ctx, res, "no such resource in the kernel: nothing to do");
		ret = 0;
		goto out;
	}
	if (ret) {
		ret = hd_ctx_refused(ctx, &nl, HADISK_CMD_GET_STATUS, res, ret);
		goto out;
	}
	if (st.open_count) {
		hd_res_err(ctx, res,
			   "/dev/hadisk%u is open (%u opener%s): unmount it or stop what uses it, then run down again; nothing was changed",
			   st.minor, st.open_count,
			   st.open_count == 1 ? "" : "s");
		ret = EXIT_KERNEL;
		goto out;
	}
	if (st.role == HADISK_ROLE_PRIMARY) {
		req = hd_req_resource(buf, nl.family, HADISK_CMD_SECONDARY,
				      res);
		ret = hd_ctx_do(ctx, &nl, req, res);
		if (ret)
			goto out;
	}
	if (st.conn != HADISK_CONN_STANDALONE) {
		req = hd_req_resource(buf, nl.family, HADISK_CMD_DISCONNECT,
				      res);
		ret = hd_nl_request(&nl, req, NULL, NULL);
		/* a connection that went away meanwhile is fine */
		if (ret && ret != -ENOTCONN && ret != -EALREADY) {
			ret = hd_ctx_refused(ctx, &nl, HADISK_CMD_DISCONNECT,
					     res, ret);
			goto out;
		}
	}
	if (st.has_minor || st.disk != HADISK_DISK_DISKLESS) {
		req = hd_req_resource(buf, nl.family, HADISK_CMD_DETACH, res);
		ret = hd_nl_request(&nl, req, NULL, NULL);
		if (ret && ret != -ENODEV && ret != -ENXIO &&
		    ret != -EALREADY) {
			ret = hd_ctx_refused(ctx, &nl, HADISK_CMD_DETACH, res,
					     ret);
			goto out;
		}
	}
	ret = delete_resource(ctx, &nl, res);
out:
	hd_nl_close(&nl);
	return ret;
}

const struct hd_cmd cmd_down = {
	.name = "down",
	.summary = "demote, disconnect, detach and delete a resource",
	.res = RES_REQUIRED,
	.run = run_down,
	.help =
"NAME\n"
"  " PROG " down - take a resource down: disconnect, detach, delete\n"
"\n"
"SYNOPSIS\n"
"  " PROG " down RES\n"
"  " PROG " down --config FILE\n"
"\n"
"DESCRIPTION\n"
"  Removes RES from the kernel. It reads the resource's status first and\n"
"  then sends, in this order and each only where needed: SECONDARY (if\n"
"  Primary), DISCONNECT (if a connection is configured), DETACH (if a disk\n"
"  is attached: /dev/hadiskN goes away and the backing disk is released)\n"
"  and DEL_RESOURCE. A resource that is already disconnected or diskless is\n"
"  fine, and so is one that does not exist (nothing to do, exit 0).\n"
"\n"
"  If /dev/hadiskN is open (mounted, or used by a program) down refuses\n"
"  and changes nothing: close it first.\n"
"\n"
"  down needs no configuration file: the kernel knows the resource. With\n"
"  --config and no RES it takes the file's resource.\n"
"\n"
"OPTIONS\n"
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  umount /mnt/r0 && " PROG " down r0\n",
};
