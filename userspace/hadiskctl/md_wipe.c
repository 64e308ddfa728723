// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl wipe-md: zero a disk's metadata superblock and activity log,
 * offline.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "hadiskctl.h"
#include "mdev.h"
#include "mdreport.h"

/* Says what wiping valid metadata loses. Returns EXIT_CONFIG. */
static int refuse(struct hd_ctx *ctx, const struct hd_mdev *d,
		  const struct hd_md_info *i)
{
	char when[64], oos[32], err[1024];
	uint64_t bits = 0;

	hd_md_format_time(i->created_time, when, sizeof(when));
	if (hd_mdev_bm_count(d, i, &bits, err, sizeof(err)))
		hd_strlcpy(oos, "an unknown amount", sizeof(oos));
	else
		hd_format_bytes(bits << HD_MD_BM_BLOCK_SHIFT, oos,
				sizeof(oos));
	hd_err(ctx,
	       "wiping the metadata on %s (resource %s, created %s, data generation %016" PRIX64 ", %s marked out of sync) loses the data generation and the record of which blocks differ from the peer; the disk then needs create-md before it can be attached, and a full sync; use --force",
	       d->md_path, i->resource[0] ? i->resource : "(none)", when,
	       i->uuid_current, oos);
	return EXIT_CONFIG;
}

static int run_wipe_md(struct hd_ctx *ctx)
{
	struct hd_md_target t;
	struct hd_md_info i;
	const char *why = "";
	char err[1024];
	struct hd_mdev d;
	int ret, code = 0;

	ret = hd_ctx_md_target(ctx, &t);
	if (!ret)
		ret = hd_ctx_md_open(ctx, &t, true, &d);
	if (ret)
		return ret;
	ret = hd_mdev_read_super(&d, &i, &code, &why, err, sizeof(err));
	if (ret < 0) {
		hd_err(ctx, "%s", err);
		ret = EXIT_CONFIG;
		goto out;
	}
	if (ret && code == -ENOENT) {
		printf("no hadisk metadata on %s (%s): nothing to wipe\n",
		       d.md_path, why);
		ret = 0;
		goto out;
	}
	if (ret && !ctx->force) {
		hd_err(ctx,
		       "%s holds damaged hadisk metadata (%s); wiping zeroes its superblock (where its activity log is, only a valid superblock says); use --force",
		       d.md_path, why);
		ret = EXIT_CONFIG;
		goto out;
	}
	if (!ret && !ctx->force) {
		ret = refuse(ctx, &d, &i);
		goto out;
	}
	/* the superblock first: without it, nothing reads the rest */
	if (hd_mdev_zero(&d, hd_mdev_sb_offset(&d), HD_MD_BLOCK, err,
			 sizeof(err)) ||
	    hd_mdev_sync(&d, err, sizeof(err)) ||
	    (!ret && hd_mdev_zero(&d, i.l.al_offset,
				  (uint64_t)i.l.al_slots * HD_MD_BLOCK, err,
				  sizeof(err))) ||
	    hd_mdev_sync(&d, err, sizeof(err))) {
		hd_err(ctx, "%s", err);
		ret = EXIT_CONFIG;
		goto out;
	}
	if (!ret)
		printf("wiped the metadata on %s: the superblock (offset %" PRIu64 ") and the activity log (%u slots at offset %" PRIu64 ") are zeroed; the bitmap and the data are left as they were\n",
		       d.md_path, i.l.sb_offset, i.l.al_slots, i.l.al_offset);
	else
		printf("wiped the damaged superblock on %s (offset %" PRIu64 "); the rest is left as it was\n",
		       d.md_path, hd_mdev_sb_offset(&d));
	ret = 0;
out:
	hd_mdev_close(&d);
	return ret;
}

const struct hd_cmd cmd_wipe_md = {
	.name = "wipe-md",
	.summary = "zero a disk's metadata superblock and activity log",
	.opts = OPT_FORCE | OPT_DISK | OPT_META_DISK,
	.res = RES_OPTIONAL,
	.run = run_wipe_md,
	.help =
"NAME\n"
"  " PROG " wipe-md - wipe the hadisk metadata of a disk\n"
"\n"
"SYNOPSIS\n"
"  " PROG " wipe-md RES --force [--config FILE] [--node NAME]\n"
"  " PROG " wipe-md --disk PATH [--meta-disk internal|PATH] --force\n"
"\n"
"DESCRIPTION\n"
"  Zeroes the metadata superblock and the activity log of this node's\n"
"  disk of RES, or of the device or image file --disk, and flushes them\n"
"  to stable storage. The bitmap and the data are not touched; with\n"
"  internal metadata the metadata area stays at the end of the disk.\n"
"\n"
"  What is lost: the disk's state, its data generation and the record of\n"
"  which blocks differ from the peer. Afterwards the kernel refuses to\n"
"  attach the disk until 'create-md' makes new metadata, and the next\n"
"  connection needs a full sync. So wipe-md refuses without --force and\n"
"  says what would be lost. A superblock that is damaged is only zeroed\n"
"  (without a valid one, where the activity log is cannot be known); a\n"
"  disk without metadata is left alone (exit 0).\n"
"\n"
"  wipe-md needs no kernel module; the disk is opened exclusively, so a\n"
"  disk that is attached, mounted or otherwise in use is refused.\n"
"\n"
"OPTIONS\n"
"      --force\n"
"         Wipe: without it, wipe-md only says what would be lost.\n"
HELP_MD_DEVICE_OPTIONS
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " wipe-md r0\n"
"      Say what wiping r0's metadata would lose; change nothing.\n"
"  " PROG " wipe-md --disk /dev/sdb --force\n",
};
