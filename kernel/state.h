/* SPDX-License-Identifier: GPL-2.0 */
/* Data generations and sync direction rules (pure logic, see state.c). */
#ifndef HD_STATE_H
#define HD_STATE_H

#include "pure.h"

struct hd_uuids {
	u64 cur;		/* this node's data generation */
	u64 bitmap;		/* generation the bitmap counts changes from */
	u64 history[2];		/* older generations, newest first */
	bool crashed;		/* was Primary when it went down */
};

enum hd_sync_decision {
	HD_SYNC_NONE,		/* nothing to sync */
	HD_SYNC_SOURCE_BITMAP,	/* send the blocks marked in our bitmap */
	HD_SYNC_SOURCE_FULL,	/* send every block */
	HD_SYNC_TARGET_BITMAP,	/* receive the peer's marked blocks */
	HD_SYNC_TARGET_FULL,	/* receive every block */
	HD_SYNC_SPLIT_BRAIN,	/* both changed the data while apart */
	HD_SYNC_UNRELATED,	/* the two disks share no history */
};

enum hd_sync_decision hd_sync_decide(const struct hd_uuids *me,
				     unsigned int me_disk,
				     const struct hd_uuids *peer,
				     unsigned int peer_disk);
enum hd_sync_decision hd_sync_by_role(enum hd_sync_decision d,
				      const struct hd_uuids *me,
				      unsigned int me_role,
				      const struct hd_uuids *peer,
				      unsigned int peer_role);
bool hd_sync_is_source(enum hd_sync_decision d);
bool hd_sync_is_target(enum hd_sync_decision d);
void hd_uuid_new_generation(struct hd_uuids *u, u64 fresh);
void hd_uuid_sync_done_source(struct hd_uuids *u);
void hd_uuid_sync_done_target(struct hd_uuids *u, u64 source_current);
const char *hd_sync_decision_name(enum hd_sync_decision d);
const char *hd_role_name(unsigned int role);
const char *hd_disk_name(unsigned int disk);
const char *hd_conn_name(unsigned int conn);

#endif /* HD_STATE_H */
