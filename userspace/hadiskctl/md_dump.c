// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl dump-md: show a disk's metadata, offline and read-only.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hadiskctl.h"
#include "mdreport.h"

static int run_dump_md(struct hd_ctx *ctx)
{
	struct hd_md_report *r;
	struct hd_md_target t;
	struct hd_buf b = HD_BUF_INIT;
	struct hd_md_info i;
	struct hd_mdev d;
	char err[1024];
	int ret;

	ret = hd_ctx_md_target(ctx, &t);
	if (!ret)
		ret = hd_ctx_md_open(ctx, &t, false, &d);
	if (ret)
		return ret;
	ret = hd_ctx_md_super(ctx, &t, &d, &i);
	if (ret)
		goto out;
	r = malloc(sizeof(*r));
	if (!r || hd_md_report_read(r, &d, &i, err, sizeof(err))) {
		hd_err(ctx, "%s", r ? err : "out of memory");
		free(r);
		ret = EXIT_CONFIG;
		goto out;
	}
	if (ctx->json)
		hd_md_report_json(r, &b);
	else
		hd_md_report_text(r, &b);
	fputs(hd_buf_str(&b), stdout);
	hd_buf_free(&b);
	free(r);
out:
	hd_mdev_close(&d);
	return ret;
}

const struct hd_cmd cmd_dump_md = {
	.name = "dump-md",
	.summary = "show a disk's metadata (offline, read-only)",
	.opts = OPT_JSON | OPT_DISK | OPT_META_DISK,
	.res = RES_OPTIONAL,
	.run = run_dump_md,
	.help =
"NAME\n"
"  " PROG " dump-md - show the hadisk metadata of a disk\n"
"\n"
"SYNOPSIS\n"
"  " PROG " dump-md RES [--json] [--config FILE] [--node NAME]\n"
"  " PROG " dump-md --disk PATH [--meta-disk internal|PATH] [--json]\n"
"\n"
"DESCRIPTION\n"
"  Reads the metadata of this node's disk of RES (its 'disk' and\n"
"  'meta-disk' in the configuration), or of the device or image file\n"
"  --disk, and shows it:\n"
"\n"
"    - the superblock: resource, node-id, creation time, the flags by\n"
"      name (consistent, uptodate, primary, crashed-primary,\n"
"      peer-outdated, al-clean, full-sync) and the disk state they\n"
"      record (UpToDate, Outdated or Inconsistent), the data generation\n"
"      identifiers (current, bitmap, two of history: 16 hex digits);\n"
"    - the layout: the data area, and the bitmap, activity log and\n"
"      superblock with their offsets and sizes;\n"
"    - the bitmap: how many bits are set (4 KiB blocks that may differ\n"
"      from the peer) and the bytes they stand for;\n"
"    - the activity log: the newest valid transaction (slot, sequence\n"
"      number) and the active extents it lists: extent N is the 4 MiB of\n"
"      the data area from byte N * 4 MiB on.\n"
"\n"
"  crashed-primary is shown when the primary flag is set: the node was\n"
"  Primary when the superblock was last written, and as the disk is not\n"
"  attached now (dump-md opens it exclusively), it went down as Primary.\n"
"  An activity log that is not al-clean is replayed, its extents marked\n"
"  out of sync, at the next attach (or by 'apply-al').\n"
"\n"
"  dump-md needs no kernel module and never writes. The device is opened\n"
"  exclusively: a disk that is attached, mounted or otherwise in use is\n"
"  refused. A superblock with a bad magic (no metadata), another format\n"
"  version, a bad checksum or a layout that does not fit the device is\n"
"  refused with exactly that reason (exit 2).\n"
"\n"
"OPTIONS\n"
"  -j, --json\n"
"         Print one JSON object. Keys: device, data_device (paths),\n"
"         internal (true for internal metadata), version, resource\n"
"         (string, or null), node_id, created_time (seconds since the\n"
"         epoch), flags (array of flag names as above, bits this build\n"
"         does not know as \"bitN\"), flags_value (the number),\n"
"         disk_state, crashed_primary (true or false), current_uuid,\n"
"         bitmap_uuid (16 hex digits), history_uuids (array of two),\n"
"         data_bytes, md_bytes, bm_offset, bm_bytes, al_offset,\n"
"         al_slots, al_extents, sb_offset (numbers: sizes and byte\n"
"         offsets), bitmap_bits (bits of the data area), bitmap_bits_set,\n"
"         out_of_sync_bytes, activity_log (an object: clean (true for\n"
"         al-clean), valid_transactions, newest (null, or an object with\n"
"         slot, seq and extents, an array of extent numbers)), warnings\n"
"         (array of strings: what looks wrong though the superblock is\n"
"         valid, such as metadata made for another device).\n"
HELP_MD_DEVICE_OPTIONS
HELP_CONFIG_OPTIONS
HELP_HELP_OPTION
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " dump-md r0\n"
"  " PROG " dump-md --disk /dev/sdb --json | jq .bitmap_bits_set\n"
"  " PROG " dump-md --disk /dev/sdb --meta-disk /dev/sdc1\n",
};
