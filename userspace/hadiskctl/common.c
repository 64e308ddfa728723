// SPDX-License-Identifier: GPL-2.0
/*
 * What the hadiskctl commands share: finding the resource and its
 * configuration, opening the netlink client, and turning the kernel's
 * refusals into messages and exit codes.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hadiskctl.h"
#include "names.h"
#include "request.h"

void hd_err(const struct hd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s: ", ctx->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void hd_res_err(const struct hd_ctx *ctx, const char *res,
		const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": %s %s: ", ctx->cmd->name, res);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int check_res_arg(struct hd_ctx *ctx, const char *res)
{
	char why[160];

	if (!hd_check_name(res, HADISK_RES_NAME_MAX - 1, why, sizeof(why)))
		return 0;
	hd_err(ctx, "bad resource name '%s': %s", res, why);
	return EXIT_USAGE;
}

int hd_ctx_res(struct hd_ctx *ctx, const char **res)
{
	struct hd_res_conf rc;
	char err[1024];
	int ret;

	if (ctx->argc) {
		ret = check_res_arg(ctx, ctx->argv[0]);
		if (ret)
			return ret;
		*res = ctx->argv[0];
		return 0;
	}
	if (!ctx->config) {
		hd_err(ctx,
		       "which resource? Name it (RES), or give --config FILE (see '" PROG " %s --help')",
		       ctx->cmd->name);
		return EXIT_USAGE;
	}
	if (hd_conf_load(ctx->config, NULL, &rc, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return EXIT_CONFIG;
	}
	hd_conf_wipe_secret(&rc);
	hd_strlcpy(ctx->res_buf, rc.name, sizeof(ctx->res_buf));
	*res = ctx->res_buf;
	return 0;
}

int hd_ctx_conf(struct hd_ctx *ctx, struct hd_res_conf *rc, int *local)
{
	const char *res = ctx->argc ? ctx->argv[0] : NULL;
	char path[HD_CONF_FILE_MAX];
	char err[1024];

	/*
	 * A bad name cannot be in a valid file: a configuration error. With
	 * --config the parser says so ("no resource ..."); without, the name
	 * must not make a strange path of HD_CONF_DIR/RES.conf.
	 */
	if (res && !ctx->config && check_res_arg(ctx, res))
		return EXIT_CONFIG;
	if (ctx->config) {
		hd_strlcpy(path, ctx->config, sizeof(path));
	} else if (res) {
		snprintf(path, sizeof(path), HD_CONF_DIR "/%s.conf", res);
	} else {
		hd_err(ctx,
		       "which resource? Name it (RES), or give --config FILE (see '" PROG " %s --help')",
		       ctx->cmd->name);
		return EXIT_USAGE;
	}
	if (hd_conf_load(path, res, rc, err, sizeof(err))) {
		fprintf(stderr, PROG ": %s\n", err);
		return EXIT_CONFIG;
	}
	*local = hd_conf_local_node(rc, ctx->node, err, sizeof(err));
	if (*local < 0) {
		fprintf(stderr, PROG ": %s\n", err);
		return EXIT_CONFIG;
	}
	return 0;
}

static int permission_denied(void)
{
	fputs(PROG ": permission denied: changing hadisk resources needs root (CAP_NET_ADMIN)\n",
	      stderr);
	return EXIT_PERM;
}

int hd_ctx_nl_open(struct hd_ctx *ctx, struct hd_nl *nl)
{
	int ret = hd_nl_open(nl);

	(void)ctx;
	if (!ret)
		return 0;
	if (ret == -ENOENT) {
		fputs(PROG ": the hadisk kernel module is not loaded (the kernel has no generic netlink family '" HADISK_GENL_NAME "'): load it with 'modprobe hadisk' or 'insmod hadisk.ko'\n",
		      stderr);
		return EXIT_NOMODULE;
	}
	if (ret == -EPERM || ret == -EACCES)
		return permission_denied();
	fprintf(stderr, PROG ": cannot reach the kernel over generic netlink: %s\n",
		strerror(-ret));
	return EXIT_KERNEL;
}

bool hd_no_such_resource(int err)
{
	return err == -ENOENT || err == -ENODEV;
}

int hd_ctx_refused(struct hd_ctx *ctx, const struct hd_nl *nl,
		   uint8_t cmd_id, const char *res, int err)
{
	const char *cmd = hd_cmd_name(cmd_id);
	const char *attr;

	if (err == -EPERM || err == -EACCES)
		return permission_denied();
	fprintf(stderr, PROG ": %s %s: the kernel refused %s: %s",
		ctx->cmd->name, res, cmd ? cmd : "the request",
		strerror(-err));
	if (nl->ext_msg[0])
		fprintf(stderr, ": %s", nl->ext_msg);
	attr = nl->ext_attr >= 0 ? hd_attr_name((unsigned int)nl->ext_attr) :
	       NULL;
	if (attr)
		fprintf(stderr, " [%s]", attr);
	attr = nl->ext_missing >= 0 ?
	       hd_attr_name((unsigned int)nl->ext_missing) : NULL;
	if (attr)
		fprintf(stderr, " [missing %s]", attr);
	if (cmd_id == HADISK_CMD_NEW_RESOURCE && err == -EEXIST)
		fprintf(stderr,
			" ('" PROG " down %s' removes it)",
			res);
	else if (cmd_id == HADISK_CMD_RESUME_IO && err == -EALREADY)
		fprintf(stderr, " (no IO of '%s' is frozen)", res);
	else if (cmd_id == HADISK_CMD_VERIFY && err == -EBUSY)
		fprintf(stderr,
			" ('" PROG " status %s' shows its progress)",
			res);
	else if (hd_no_such_resource(err) && !nl->ext_msg[0] &&
		 cmd_id != HADISK_CMD_ATTACH &&
		 cmd_id != HADISK_CMD_NEW_RESOURCE)
		fprintf(stderr,
			" (is '%s' up? '" PROG " status' lists the resources)",
			res);
	fputc('\n', stderr);
	return EXIT_KERNEL;
}

int hd_ctx_do(struct hd_ctx *ctx, struct hd_nl *nl, struct nlmsghdr *req,
	      const char *res)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);
	int ret = hd_nl_request(nl, req, NULL, NULL);

	return ret ? hd_ctx_refused(ctx, nl, genl->cmd, res, ret) : 0;
}

struct one_status {
	struct hd_status *st;
	bool got;
	char err[128];
};

static int one_status_cb(const struct nlmsghdr *nlh, void *data)
{
	struct one_status *os = data;

	if (hd_status_decode(nlh, os->st, os->err, sizeof(os->err))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	os->got = true;
	return MNL_CB_OK;
}

int hd_get_status(struct hd_nl *nl, const char *res, struct hd_status *st)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct one_status os = { st, false, "" };
	struct nlmsghdr *req;
	int ret;

	req = hd_req_resource(buf, nl->family, HADISK_CMD_GET_STATUS, res);
	ret = hd_nl_request(nl, req, one_status_cb, &os);
	if (ret == -EBADMSG && os.err[0])
		hd_strlcpy(nl->ext_msg, os.err, sizeof(nl->ext_msg));
	if (!ret && !os.got) {
		hd_strlcpy(nl->ext_msg, "the kernel sent no status",
			   sizeof(nl->ext_msg));
		ret = -ENODATA;
	}
	return ret;
}

int hd_run_simple(struct hd_ctx *ctx, uint8_t cmd)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *req;
	struct hd_nl nl;
	const char *res;
	int ret;

	ret = hd_ctx_res(ctx, &res);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	if (cmd == HADISK_CMD_PRIMARY)
		req = hd_req_primary(buf, nl.family, res, ctx->force);
	else if (cmd == HADISK_CMD_NEW_CURRENT_UUID)
		req = hd_req_new_current_uuid(buf, nl.family, res,
					      ctx->clear_bitmap);
	else
		req = hd_req_resource(buf, nl.family, cmd, res);
	ret = hd_ctx_do(ctx, &nl, req, res);
	hd_nl_close(&nl);
	return ret;
}

int hd_run_from_conf(struct hd_ctx *ctx, hd_conf_req_fn build)
{
	char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct hd_res_conf rc;
	struct hd_nl nl;
	int local, ret;

	ret = hd_ctx_conf(ctx, &rc, &local);
	if (!ret)
		ret = hd_ctx_nl_open(ctx, &nl);
	if (ret)
		return ret;
	ret = hd_ctx_do(ctx, &nl, build(buf, nl.family, &rc, local), rc.name);
	hd_nl_close(&nl);
	return ret;
}
