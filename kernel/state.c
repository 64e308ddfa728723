// SPDX-License-Identifier: GPL-2.0
/*
 * Data generation identifiers and the sync direction rules. Pure logic,
 * built in the module and in the userspace unit tests.
 *
 * Every node carries a current generation identifier (a random 64-bit
 * number, 0 for "never had good data"), a bitmap identifier (the generation
 * its out-of-sync bitmap counts changes from, 0 when the bitmap is clean)
 * and two history identifiers.
 *
 * A new generation starts when a node changes data without its peer: a
 * Primary that loses its peer, or a node promoted while disconnected. Then
 * bitmap = current (unless the bitmap already counts from an older one),
 * history shifts, current = fresh.
 *
 * On connect both nodes evaluate hd_sync_decide() on the same two inputs
 * (mirrored) and so agree on the direction without negotiating:
 *   - either node Diskless (its disk detached after an IO error): nothing
 *     to sync now; the node with the disk tracks what the other lacks
 *     (detach.c), and a re-attached disk is resynced then;
 *   - neither disk UpToDate/Outdated-with-data: nothing to sync;
 *   - one UpToDate, the other Inconsistent: sync from the UpToDate one; a
 *     bitmap-based one if the Inconsistent node's current id is the
 *     source's bitmap id (an interrupted sync: the source's bitmap still
 *     holds every block the target lacks), else a full sync;
 *   - equal current identifiers: in sync, unless one node crashed as
 *     Primary: it is the source of a bitmap-based resync of the extents
 *     its activity log names (the peer may lack writes it made);
 *   - my bitmap id == peer's current: I changed data since we parted and
 *     the peer did not: I am the source of a bitmap-based resync;
 *   - both bitmap ids equal and non-zero, currents differ: split brain;
 *   - the peer's current is in my history: full sync from me;
 *   - otherwise, or if a rule and its mirror both hold (crafted
 *     identifiers: each node would be the source), the disks are
 *     unrelated and the nodes stay apart.
 */
#include "state.h"
#include "uapi/linux/hadisk.h"

static bool has_data(unsigned int disk)
{
	return disk == HADISK_DISK_UPTODATE || disk == HADISK_DISK_OUTDATED;
}

enum hd_sync_decision hd_sync_decide(const struct hd_uuids *me,
				     unsigned int me_disk,
				     const struct hd_uuids *peer,
				     unsigned int peer_disk)
{
	bool me_up = me_disk == HADISK_DISK_UPTODATE;
	bool peer_up = peer_disk == HADISK_DISK_UPTODATE;
	bool src, tgt;

	if (me_disk == HADISK_DISK_DISKLESS ||
	    peer_disk == HADISK_DISK_DISKLESS)
		return HD_SYNC_NONE;
	if (!has_data(me_disk) && !has_data(peer_disk))
		return HD_SYNC_NONE;
	if (me_up && !has_data(peer_disk))
		return me->bitmap && me->bitmap == peer->cur ?
			HD_SYNC_SOURCE_BITMAP : HD_SYNC_SOURCE_FULL;
	if (peer_up && !has_data(me_disk))
		return peer->bitmap && peer->bitmap == me->cur ?
			HD_SYNC_TARGET_BITMAP : HD_SYNC_TARGET_FULL;
	if (!has_data(me_disk) || !has_data(peer_disk))
		return HD_SYNC_NONE;
	if (me->cur == peer->cur) {
		/* A crashed Primary may hold writes the peer never got. */
		if (me->crashed && !peer->crashed)
			return HD_SYNC_SOURCE_BITMAP;
		if (peer->crashed && !me->crashed)
			return HD_SYNC_TARGET_BITMAP;
		return HD_SYNC_NONE;
	}
	if (me->bitmap && me->bitmap == peer->bitmap)
		return HD_SYNC_SPLIT_BRAIN;
	src = me->bitmap && me->bitmap == peer->cur;
	tgt = peer->bitmap && peer->bitmap == me->cur;
	/* Each the other's descendant: no honest pair; both would send. */
	if (src && tgt)
		return HD_SYNC_UNRELATED;
	if (src)
		return HD_SYNC_SOURCE_BITMAP;
	if (tgt)
		return HD_SYNC_TARGET_BITMAP;
	src = peer->cur &&
	      (me->history[0] == peer->cur || me->history[1] == peer->cur ||
	       (me->bitmap && me->bitmap == peer->history[0]));
	tgt = me->cur &&
	      (peer->history[0] == me->cur || peer->history[1] == me->cur ||
	       (peer->bitmap && peer->bitmap == me->history[0]));
	if (src && !tgt)
		return HD_SYNC_SOURCE_FULL;
	if (tgt && !src)
		return HD_SYNC_TARGET_FULL;
	return HD_SYNC_UNRELATED;
}

/*
 * Same data generation, one node crashed as Primary: normally it is the
 * source (its activity log names blocks the peer may lack). But if the
 * other node is Primary now (promoted while the crashed one was gone, and
 * it wrote nothing yet), the crashed node's unacknowledged writes lose:
 * the Primary is the source of the same bitmap-based resync. Both nodes
 * apply this to the roles their HELLOs carried.
 */
enum hd_sync_decision hd_sync_by_role(enum hd_sync_decision d,
				      const struct hd_uuids *me,
				      unsigned int me_role,
				      const struct hd_uuids *peer,
				      unsigned int peer_role)
{
	bool me_pri = me_role == HADISK_ROLE_PRIMARY;
	bool peer_pri = peer_role == HADISK_ROLE_PRIMARY;

	if (me->cur != peer->cur || me->crashed == peer->crashed ||
	    me_pri == peer_pri)
		return d;
	if (d != HD_SYNC_SOURCE_BITMAP && d != HD_SYNC_TARGET_BITMAP)
		return d;
	return me_pri ? HD_SYNC_SOURCE_BITMAP : HD_SYNC_TARGET_BITMAP;
}

bool hd_sync_is_source(enum hd_sync_decision d)
{
	return d == HD_SYNC_SOURCE_BITMAP || d == HD_SYNC_SOURCE_FULL;
}

bool hd_sync_is_target(enum hd_sync_decision d)
{
	return d == HD_SYNC_TARGET_BITMAP || d == HD_SYNC_TARGET_FULL;
}

void hd_uuid_new_generation(struct hd_uuids *u, u64 fresh)
{
	if (!u->bitmap)
		u->bitmap = u->cur;
	u->history[1] = u->history[0];
	u->history[0] = u->cur;
	u->cur = fresh;
}

void hd_uuid_sync_done_source(struct hd_uuids *u)
{
	u->bitmap = 0;
}

void hd_uuid_sync_done_target(struct hd_uuids *u, u64 source_current)
{
	if (u->cur != source_current) {
		u->history[1] = u->history[0];
		u->history[0] = u->cur;
	}
	u->cur = source_current;
	u->bitmap = 0;
}

const char *hd_sync_decision_name(enum hd_sync_decision d)
{
	static const char * const names[] = {
		[HD_SYNC_NONE] = "in sync",
		[HD_SYNC_SOURCE_BITMAP] = "sync source (bitmap)",
		[HD_SYNC_SOURCE_FULL] = "sync source (full)",
		[HD_SYNC_TARGET_BITMAP] = "sync target (bitmap)",
		[HD_SYNC_TARGET_FULL] = "sync target (full)",
		[HD_SYNC_SPLIT_BRAIN] = "split brain",
		[HD_SYNC_UNRELATED] = "unrelated data",
	};

	if ((unsigned int)d >= ARRAY_SIZE(names))
		return "?";
	return names[d];
}

const char *hd_role_name(unsigned int role)
{
	switch (role) {
	case HADISK_ROLE_PRIMARY:
		return "Primary";
	case HADISK_ROLE_SECONDARY:
		return "Secondary";
	}
	return "Unknown";
}

const char *hd_disk_name(unsigned int disk)
{
	switch (disk) {
	case HADISK_DISK_DISKLESS:
		return "Diskless";
	case HADISK_DISK_INCONSISTENT:
		return "Inconsistent";
	case HADISK_DISK_OUTDATED:
		return "Outdated";
	case HADISK_DISK_UPTODATE:
		return "UpToDate";
	}
	return "DUnknown";
}

const char *hd_conn_name(unsigned int conn)
{
	switch (conn) {
	case HADISK_CONN_STANDALONE:
		return "StandAlone";
	case HADISK_CONN_CONNECTING:
		return "Connecting";
	case HADISK_CONN_CONNECTED:
		return "Connected";
	case HADISK_CONN_SYNC_SOURCE:
		return "SyncSource";
	case HADISK_CONN_SYNC_TARGET:
		return "SyncTarget";
	case HADISK_CONN_DISCONNECTING:
		return "Disconnecting";
	}
	return "?";
}
