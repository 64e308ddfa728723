/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "hadiskctl dump-md" shows of a metadata area: read from an opened
 * device (the decoded superblock, the set bits of the bitmap, the newest
 * valid activity-log transaction) into a struct, then rendered as text for
 * people or as one JSON object for programs.
 */
#ifndef HADISK_MDREPORT_H
#define HADISK_MDREPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "mdev.h"

#define HD_MD_REPORT_WARN_MAX	4
#define HD_MD_REPORT_WARN_LEN	320

struct hd_md_report {
	const char *data_path;
	const char *md_path;
	bool opened_internal;		/* as the caller opened it */
	uint64_t data_dev_bytes;
	struct hd_md_info info;		/* the superblock */
	uint64_t data_blocks;		/* 4 KiB blocks of the data area */
	uint64_t bits_set;		/* of those, marked out of sync */
	uint32_t al_valid;		/* valid transactions in the ring */
	bool al_found;			/* al_slot..al_ext hold the newest */
	uint32_t al_slot;
	uint64_t al_seq;
	uint32_t al_nr;
	uint32_t al_ext[HD_MD_AL_MAX_ENTRIES];
	/* what looks wrong though the superblock is valid */
	int nr_warnings;
	char warnings[HD_MD_REPORT_WARN_MAX][HD_MD_REPORT_WARN_LEN];
};

/*
 * Fills r from the device d whose valid superblock is i. Returns 0, or a
 * negative errno with the message in err.
 */
int hd_md_report_read(struct hd_md_report *r, const struct hd_mdev *d,
		      const struct hd_md_info *i, char *err, size_t err_size);

/* "UpToDate", "Outdated" or "Inconsistent": what the flags record. */
const char *hd_md_disk_state(uint32_t flags);

/*
 * True when the flags say the node went down as Primary: the primary flag
 * (Primary when the superblock was last written) on metadata that is not
 * attached, or the crashed-primary flag.
 */
bool hd_md_crashed_primary(uint32_t flags);

/* A created_time: "2026-11-22 01:37:15 UTC", or "unknown" for 0. */
void hd_md_format_time(uint64_t t, char *buf, size_t size);

/* The text of dump-md. */
void hd_md_report_text(const struct hd_md_report *r, struct hd_buf *b);

/* The JSON object of dump-md --json, and a newline. */
void hd_md_report_json(const struct hd_md_report *r, struct hd_buf *b);

#endif /* HADISK_MDREPORT_H */
