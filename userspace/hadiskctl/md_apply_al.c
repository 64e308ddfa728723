// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl apply-al: replay a disk's activity log into its bitmap,
 * offline, as the kernel does at attach after an unclean detach.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "hadiskctl.h"
#include "mdev.h"
#include "mdreport.h"

#define BLOCKS_PER_EXTENT \
	(1ull << (HD_MD_AL_EXTENT_SHIFT - HD_MD_BM_BLOCK_SHIFT))

struct replay {
	uint64_t seq;
	uint32_t slot;
	uint32_t nr;			/* extents in the transaction */
	uint32_t beyond;		/* of them, past the data area */
	uint64_t blocks;		/* blocks they cover */
	uint64_t newly;			/* bits that were clear */
	uint32_t ext[HD_MD_AL_MAX_ENTRIES];
};

/* Marks the extents of the newest transaction. */
static int mark(const struct hd_mdev *d, const struct hd_md_info *i,
		struct replay *rp, char *err, size_t err_size)
{
	uint64_t first, last, nblocks = hd_md_data_blocks(i), n;
	struct hd_md_al_tx *ring;
	uint32_t k;
	int ret;

	ret = hd_mdev_read_al(d, i, &ring, err, err_size);
	if (ret)
		return ret;
	if (hd_md_al_newest(ring, i->l.al_slots, &rp->seq, &rp->slot,
			    hd_mdev_crc)) {
		free(ring);
		return 0;
	}
	hd_md_al_decode(&ring[rp->slot], &rp->seq, rp->ext, &rp->nr,
			HD_MD_AL_MAX_ENTRIES, hd_mdev_crc);
	free(ring);
	for (k = 0; k < rp->nr && !ret; k++) {
		first = rp->ext[k] * BLOCKS_PER_EXTENT;
		if (first >= nblocks) {
			rp->beyond++;
			continue;
		}
		last = first + BLOCKS_PER_EXTENT - 1;
		if (last >= nblocks)
			last = nblocks - 1;
		ret = hd_mdev_bm_mark(d, i, first, last, &n, err, err_size);
		rp->blocks += last - first + 1;
		rp->newly += n;
	}
	return ret;
}

static void print_applied(const struct hd_mdev *d, const struct replay *rp,
			  uint64_t total)
{
	char s1[32], s2[32], s3[32];

	hd_format_bytes(rp->blocks << HD_MD_BM_BLOCK_SHIFT, s1, sizeof(s1));
	hd_format_bytes(rp->newly << HD_MD_BM_BLOCK_SHIFT, s2, sizeof(s2));
	hd_format_bytes(total << HD_MD_BM_BLOCK_SHIFT, s3, sizeof(s3));
	if (rp->nr)
		printf("applied the activity log of %s: transaction %" PRIu64 " (slot %u): %u extent%s, %s marked out of sync (%s of it newly); the bitmap now marks %s; the log is clean (al-clean)\n",
		       d->md_path, rp->seq, rp->slot, rp->nr,
		       rp->nr == 1 ? "" : "s", s1, s2, s3);
	else
		printf("applied the activity log of %s: no active extents, nothing marked; the bitmap marks %s; the log is clean (al-clean)\n",
		       d->md_path, s3);
	if (rp->beyond)
		printf("warning: %u extent%s of the transaction lie%s beyond the data area and %s skipped\n",
		       rp->beyond, rp->beyond == 1 ? "" : "s",
		       rp->beyond == 1 ? "s" : "",
		       rp->beyond == 1 ? "was" : "were");
}

static int run_apply_al(struct hd_ctx *ctx)
{
	struct hd_md_target t;
	struct hd_md_info i;
	struct replay *rp;
	struct hd_mdev d;
	char err[1024];
	uint64_t total = 0;
	int ret;

	ret = hd_ctx_md_target(ctx, &t);
	if (!ret)
		ret = hd_ctx_md_open(ctx, &t, true, &d);
	if (ret)
		return ret;
	ret = hd_ctx_md_super(ctx, &t, &d, &i);
	if (ret)
		goto out;
	if (i.flags & HD_MDF_AL_CLEAN) {
		printf("the activity log of %s is clean (al-clean): nothing to apply\n",
		       d.md_path);
		goto out;
	}
	rp = calloc(1, sizeof(*rp));
	if (!rp) {
		hd_err(ctx, "out of memory");
		ret = EXIT_CONFIG;
		goto out;
	}
	/* the bits on stable storage before the log is declared clean */
	i.flags |= HD_MDF_AL_CLEAN;
	if (mark(&d, &i, rp, err, sizeof(err)) ||
	    hd_mdev_sync(&d, err, sizeof(err)) ||
	    hd_mdev_write_super(&d, &i, err, sizeof(err)) ||
	    hd_mdev_sync(&d, err, sizeof(err)) ||
	    hd_mdev_bm_count(&d, &i, &total, err, sizeof(err))) {
		hd_err(ctx, "%s", err);
		ret = EXIT_CONFIG;
	} else {
		print_applied(&d, rp, total);
	}
	free(rp);
out:
	hd_mdev_close(&d);
	return ret;
}

const struct hd_cmd cmd_apply_al = {
	.name = "apply-al",
	.summary = "replay a disk's activity log into its bitmap (offline)",
	.opts = OPT_DISK | OPT_META_DISK,
	.res = RES_OPTIONAL,
	.run = run_apply_al,
	.help =
"NAME\n"
"  " PROG " apply-al - replay the activity log of a disk, offline\n"
"\n"
"SYNOPSIS\n"
"  " PROG " apply-al RES [--config FILE] [--node NAME]\n"
"  " PROG " apply-al --disk PATH [--meta-disk internal|PATH]\n"
"\n"
"DESCRIPTION\n"
"  The activity log lists the extents (4 MiB each) that were being\n"
"  written when the disk was last attached; writes there may not have\n"
"  reached the peer. After a crash (the log is not al-clean), every\n"
"  block of every active extent must count as out of sync. The kernel\n"
"  does this itself at attach; apply-al does it offline, for this node's\n"
"  disk of RES or for the device or image file --disk: it marks every\n"
"  block of every extent of the newest valid transaction in the on-disk\n"
"  bitmap, flushes the bitmap to stable storage, then sets the al-clean\n"
"  flag in the superblock and writes it (with its new checksum). It\n"
"  prints how many extents and bytes it marked.\n"
"\n"
"  A log that is al-clean already has nothing to apply; nothing is\n"
"  written then. Metadata with a bad magic, version, checksum or layout\n"
"  is refused with the reason (exit 2) and left untouched. apply-al needs\n"
"  no kernel module; the disk is opened exclusively, so a disk that is\n"
"  attached, mounted or otherwise in use is refused.\n"
"\n"
"OPTIONS\n"
HELP_MD_DEVICE_OPTIONS
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " dump-md r0 && " PROG " apply-al r0\n"
"  " PROG " apply-al --disk /dev/sdb --meta-disk /dev/sdc1\n",
};
