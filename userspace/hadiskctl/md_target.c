// SPDX-License-Identifier: GPL-2.0
/*
 * What the offline metadata commands (create-md, dump-md, wipe-md,
 * apply-al) share: the device they work on, from this node's section of
 * RES's configuration or from --disk and --meta-disk; opening it
 * exclusively; reading its superblock with a message that says what is
 * wrong with it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hadiskctl.h"
#include "mdev.h"

static int from_disk(struct hd_ctx *ctx, struct hd_md_target *t)
{
	const char *other = ctx->argc ? "RES" : ctx->config ? "--config" :
			    ctx->node ? "--node" : NULL;

	if (other) {
		hd_err(ctx,
		       "--disk names a device and %s a resource: give one or the other (see '" PROG " %s --help')",
		       other, ctx->cmd->name);
		return EXIT_USAGE;
	}
	t->data = ctx->disk;
	t->meta = ctx->meta_disk;
	t->node_id = ctx->has_node_id ? ctx->node_id : 0;
	snprintf(t->args, sizeof(t->args), "--disk %s%s%s", ctx->disk,
		 t->meta ? " --meta-disk " : "", t->meta ? t->meta : "");
	return 0;
}

int hd_ctx_md_target(struct hd_ctx *ctx, struct hd_md_target *t)
{
	const struct hd_node_conf *me;
	int local, ret;

	memset(t, 0, sizeof(*t));
	t->al_extents = HD_MD_AL_EXTENTS_DEFAULT;
	if (ctx->disk)
		return from_disk(ctx, t);
	if (ctx->has_meta_disk || ctx->has_node_id) {
		hd_err(ctx,
		       "%s goes with --disk; for a resource, its configuration says it (see '" PROG " %s --help')",
		       ctx->has_meta_disk ? "--meta-disk" : "--node-id",
		       ctx->cmd->name);
		return EXIT_USAGE;
	}
	if (!ctx->argc && !ctx->config) {
		hd_err(ctx,
		       "which metadata? Name the resource (RES), or give --config FILE or --disk PATH (see '" PROG " %s --help')",
		       ctx->cmd->name);
		return EXIT_USAGE;
	}
	ret = hd_ctx_conf(ctx, &t->rc, &local);
	if (ret)
		return ret;
	me = &t->rc.nodes[local];
	if (me->meta == HD_META_NONE) {
		fprintf(stderr,
			PROG ": %s:%d: 'meta-disk none' in 'on %s': this node keeps its bitmap and data generation in memory only, so there is no metadata for %s to work on; write 'meta-disk internal;' (or a device's path) to give it metadata\n",
			t->rc.file, me->meta_line, me->name, ctx->cmd->name);
		return EXIT_CONFIG;
	}
	t->res = t->rc.name;
	t->data = me->disk;
	t->meta = me->meta == HD_META_DEVICE ? me->meta_dev : NULL;
	t->node_id = me->node_id;
	if (t->rc.al_extents)
		t->al_extents = t->rc.al_extents;
	snprintf(t->args, sizeof(t->args), "%s%s%s%s%s", t->res,
		 ctx->config ? " --config " : "",
		 ctx->config ? ctx->config : "", ctx->node ? " --node " : "",
		 ctx->node ? ctx->node : "");
	return 0;
}

int hd_ctx_md_open(struct hd_ctx *ctx, const struct hd_md_target *t,
		   bool write, struct hd_mdev *d)
{
	char err[1024];
	int ret;

	ret = hd_mdev_open(d, t->data, t->meta, write, err, sizeof(err));
	if (!ret)
		return 0;
	hd_err(ctx, "%s", err);
	return ret == -EACCES || ret == -EPERM ? EXIT_PERM : EXIT_CONFIG;
}

int hd_ctx_md_super(struct hd_ctx *ctx, const struct hd_md_target *t,
		    const struct hd_mdev *d, struct hd_md_info *i)
{
	const char *why = "";
	char err[1024];
	int ret, code = 0;

	ret = hd_mdev_read_super(d, i, &code, &why, err, sizeof(err));
	if (ret < 0) {
		hd_err(ctx, "%s", err);
		return EXIT_CONFIG;
	}
	if (!ret)
		return 0;
	if (code == -ENOENT)
		hd_err(ctx,
		       "%s: %s in the superblock at offset %llu; create it with: " PROG " create-md %s",
		       d->md_path, why,
		       (unsigned long long)hd_mdev_sb_offset(d), t->args);
	else if (code == -EPROTO)
		hd_err(ctx,
		       "%s: %s (superblock at offset %llu); this " PROG " reads format version %d; nothing was written",
		       d->md_path, why,
		       (unsigned long long)hd_mdev_sb_offset(d), HD_MD_VERSION);
	else
		hd_err(ctx,
		       "%s: %s (superblock at offset %llu); nothing was written",
		       d->md_path, why,
		       (unsigned long long)hd_mdev_sb_offset(d));
	return EXIT_CONFIG;
}
