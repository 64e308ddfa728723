// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl create-md: lay out and write new metadata on a disk, offline.
 *
 * The old superblock is zeroed first, then the bitmap and the activity
 * log, and the new superblock is written last, each step on stable
 * storage before the next: a crash in between leaves no superblock at
 * all (attach refuses, create-md runs again), never an old superblock
 * over a zeroed bitmap.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hadiskctl.h"
#include "mdev.h"
#include "mdreport.h"

/* Refuses to replace metadata without --force. Returns 0 or exit code. */
static int check_existing(struct hd_ctx *ctx, const struct hd_md_target *t,
			  const struct hd_mdev *d)
{
	struct hd_md_info old;
	const char *why = "";
	char err[1024], when[64];
	int ret, code = 0;

	ret = hd_mdev_read_super(d, &old, &code, &why, err, sizeof(err));
	if (ret < 0) {
		hd_err(ctx, "%s", err);
		return EXIT_CONFIG;
	}
	if (ret && code == -ENOENT)
		return 0;
	if (!ret)
		hd_md_format_time(old.created_time, when, sizeof(when));
	if (ctx->force) {
		if (!ret)
			printf("replacing the metadata on %s (created %s, data generation %016" PRIX64 ")\n",
			       d->md_path, when, old.uuid_current);
		else
			printf("replacing the damaged metadata on %s (%s)\n",
			       d->md_path, why);
		return 0;
	}
	if (!ret)
		hd_err(ctx,
		       "metadata exists on %s (created %s, data generation %016" PRIX64 "); creating it again forgets which blocks are out of sync and forces a full sync; use --force",
		       d->md_path, when, old.uuid_current);
	else
		hd_err(ctx,
		       "damaged hadisk metadata is on %s (%s); creating it again forgets what it recorded (which blocks are out of sync, the data generation) and forces a full sync; '" PROG " dump-md %s' shows it; use --force",
		       d->md_path, why, t->args);
	return EXIT_CONFIG;
}

static void print_created(const struct hd_md_target *t,
			  const struct hd_mdev *d, const struct hd_md_info *i)
{
	const struct hd_md_layout *l = &i->l;
	char s[32];

	printf("created hadisk metadata on %s (%s, ", d->md_path,
	       d->internal ? "internal" : "external");
	if (t->res)
		printf("resource %s, ", t->res);
	printf("node-id %u):\n", i->node_id);
	hd_format_bytes(l->data_sectors << 9, s, sizeof(s));
	printf("  data area:    %s (%" PRIu64 " bytes) of %s, from offset 0\n",
	       s, l->data_sectors << 9, d->data_path);
	hd_format_bytes(l->md_bytes, s, sizeof(s));
	printf("  metadata:     %s (%" PRIu64 " bytes) from offset %" PRIu64 " of %s\n",
	       s, l->md_bytes, l->bm_offset, d->md_path);
	printf("    bitmap:       %" PRIu64 " bytes at offset %" PRIu64 ", zeroed\n",
	       l->bm_bytes, l->bm_offset);
	printf("    activity log: %u slots at offset %" PRIu64 ", zeroed; al-extents %u\n",
	       l->al_slots, l->al_offset, i->al_extents);
	printf("    superblock:   at offset %" PRIu64 "\n", l->sb_offset);
	printf("  state: Inconsistent, no data generation yet (flags: al-clean)\n");
	if (d->internal)
		printf("  /dev/hadiskN shows the data area only: make file systems on it, not on %s\n",
		       d->data_path);
	if (t->res)
		printf("next, on both nodes: " PROG " up %s; then '" PROG " primary %s --force' on the node whose data counts (a full sync follows), or for two new, zeroed disks '" PROG " new-current-uuid %s --clear-bitmap' (no initial sync)\n",
		       t->res, t->res, t->res);
}

static int write_md(struct hd_ctx *ctx, const struct hd_mdev *d,
		    const struct hd_md_info *i)
{
	const struct hd_md_layout *l = &i->l;
	char err[1024];

	if (hd_mdev_zero(d, l->sb_offset, HD_MD_BLOCK, err, sizeof(err)) ||
	    hd_mdev_sync(d, err, sizeof(err)) ||
	    hd_mdev_zero(d, l->bm_offset, l->bm_bytes, err, sizeof(err)) ||
	    hd_mdev_zero(d, l->al_offset, (uint64_t)l->al_slots * HD_MD_BLOCK,
			 err, sizeof(err)) ||
	    hd_mdev_sync(d, err, sizeof(err)) ||
	    hd_mdev_write_super(d, i, err, sizeof(err)) ||
	    hd_mdev_sync(d, err, sizeof(err))) {
		hd_err(ctx,
		       "%s; the metadata on %s is incomplete: run create-md again",
		       err, d->md_path);
		return EXIT_CONFIG;
	}
	return 0;
}

static int run_create_md(struct hd_ctx *ctx)
{
	uint32_t slots = ctx->has_al_slots ? ctx->al_slots :
			 HD_MD_AL_SLOTS_DEFAULT;
	struct hd_md_target t;
	struct hd_md_info i;
	const char *why = "";
	struct hd_mdev d;
	int ret;

	ret = hd_ctx_md_target(ctx, &t);
	if (!ret)
		ret = hd_ctx_md_open(ctx, &t, true, &d);
	if (ret)
		return ret;
	memset(&i, 0, sizeof(i));
	if (hd_md_layout(d.md_dev_bytes, d.internal, d.data_dev_bytes, slots,
			 &i.l, &why)) {
		hd_err(ctx,
		       "%s: %s (%s is %llu bytes; %s metadata with %u activity-log slots)",
		       d.md_path, why, d.md_path,
		       (unsigned long long)d.md_dev_bytes,
		       d.internal ? "internal" : "external", slots);
		ret = EXIT_CONFIG;
		goto out;
	}
	ret = check_existing(ctx, &t, &d);
	if (ret)
		goto out;
	i.flags = HD_MDF_AL_CLEAN;		/* Inconsistent */
	i.al_extents = t.al_extents;
	i.node_id = t.node_id;
	i.internal = d.internal;
	i.created_time = (uint64_t)time(NULL);
	hd_strlcpy(i.resource, t.res ? t.res : "", sizeof(i.resource));
	ret = write_md(ctx, &d, &i);
	if (!ret)
		print_created(&t, &d, &i);
out:
	hd_mdev_close(&d);
	return ret;
}

const struct hd_cmd cmd_create_md = {
	.name = "create-md",
	.summary = "create a disk's metadata (offline, once)",
	.opts = OPT_FORCE | OPT_DISK | OPT_META_DISK | OPT_AL_SLOTS |
		OPT_NODE_ID,
	.res = RES_OPTIONAL,
	.run = run_create_md,
	.help =
"NAME\n"
"  " PROG " create-md - create the hadisk metadata of a disk\n"
"\n"
"SYNOPSIS\n"
"  " PROG " create-md RES [--al-slots N] [--force] [--config FILE]\n"
"                    [--node NAME]\n"
"  " PROG " create-md --disk PATH [--meta-disk internal|PATH]\n"
"                    [--al-slots N] [--node-id N] [--force]\n"
"\n"
"DESCRIPTION\n"
"  Creates the metadata that the kernel reads at attach: the bitmap of\n"
"  blocks that differ from the peer, the activity log, and the\n"
"  superblock with the disk's state and data generation. Run it once on\n"
"  each node, before the first 'up', for this node's disk of RES (its\n"
"  'disk' and 'meta-disk' in the configuration), or for the device or\n"
"  image file --disk.\n"
"\n"
"  With 'meta-disk internal' (the default) the metadata takes the end of\n"
"  the disk, and /dev/hadiskN shows what comes before it: make the file\n"
"  system on /dev/hadiskN. A file system made on the disk itself before\n"
"  would lose its end. With 'meta-disk PATH' the metadata takes the end\n"
"  of that device and the whole disk is the data area.\n"
"\n"
"  create-md writes a zeroed bitmap, a zeroed activity log and a\n"
"  superblock (flags: al-clean only, that is Inconsistent; data\n"
"  generations 0; the node-id and al-extents of the configuration; the\n"
"  creation time; the resource's name), and flushes them to stable\n"
"  storage. It prints the size of the data area and of the metadata and\n"
"  where each part is. It needs no kernel module; the disk is opened\n"
"  exclusively, so a disk that is attached, mounted or otherwise in use\n"
"  is refused.\n"
"\n"
"  Metadata already on the disk (valid or damaged) is not replaced\n"
"  without --force: it records which blocks differ from the peer, and\n"
"  new metadata forgets that, so a full sync follows.\n"
"\n"
"  A new disk is Inconsistent. After 'up' on both nodes, either promote\n"
"  the node whose data is to be kept ('primary --force': a full sync to\n"
"  the peer follows) or, for two new, zeroed disks, skip that sync with\n"
"  'new-current-uuid --clear-bitmap'.\n"
"\n"
"OPTIONS\n"
"      --al-slots N\n"
"         Transactions in the activity-log ring, 4 KiB each: 2 to 256\n"
"         (default 16).\n"
"      --node-id N\n"
"         With --disk: the node-id to record, 0 to 31 (default 0). For\n"
"         RES, the configuration's node-id.\n"
"      --force\n"
"         Replace metadata that is already on the disk.\n"
HELP_MD_DEVICE_OPTIONS
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " create-md r0            on both nodes, then '" PROG " up r0'\n"
"  " PROG " create-md --disk /dev/sdb --meta-disk /dev/sdc1\n"
"  truncate -s 1G test.img && " PROG " create-md --disk test.img\n",
};
