// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the sync direction rules (kernel/state.c). */
#include "unit.h"
#include "state.h"
#include "uapi/linux/hadisk.h"

#define UP HADISK_DISK_UPTODATE
#define INC HADISK_DISK_INCONSISTENT

static enum hd_sync_decision decide(struct hd_uuids a, unsigned int da,
				    struct hd_uuids b, unsigned int db)
{
	enum hd_sync_decision d = hd_sync_decide(&a, da, &b, db);
	enum hd_sync_decision m = hd_sync_decide(&b, db, &a, da);

	/* Both nodes must reach mirrored conclusions. */
	if (hd_sync_is_source(d))
		CHECK(hd_sync_is_target(m));
	else if (hd_sync_is_target(d))
		CHECK(hd_sync_is_source(m));
	else
		CHECK_EQ(d, m);
	return d;
}

static void test_fresh_nodes(void)
{
	struct hd_uuids z = { 0 };

	CHECK_EQ(decide(z, INC, z, INC), HD_SYNC_NONE);
}

static void test_forced_primary_full_sync(void)
{
	struct hd_uuids a = { .cur = 0x11 }, b = { 0 };

	CHECK_EQ(decide(a, UP, b, INC), HD_SYNC_SOURCE_FULL);
}

static void test_same_generation(void)
{
	struct hd_uuids a = { .cur = 0x11 }, b = { .cur = 0x11 };

	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_NONE);
}

static void test_primary_lost_peer(void)
{
	struct hd_uuids a = { .cur = 0x11 }, b = { .cur = 0x11 };

	hd_uuid_new_generation(&a, 0x23);
	CHECK_EQ(a.bitmap, 0x11);
	CHECK_EQ(a.history[0], 0x11);
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_SOURCE_BITMAP);
	/* A second loss keeps the bitmap counting from the first. */
	hd_uuid_new_generation(&a, 0x35);
	CHECK_EQ(a.bitmap, 0x11);
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_SOURCE_BITMAP);
	hd_uuid_sync_done_source(&a);
	hd_uuid_sync_done_target(&b, a.cur);
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_NONE);
}

/*
 * on-io-error detach: a Diskless node syncs nothing at connect; its peer
 * starts a new generation, so the failed disk, back with its old
 * identifiers, is the target of a bitmap-based resync.
 */
static void test_diskless_peer(void)
{
	struct hd_uuids a = { .cur = 0x11 }, b = { .cur = 0x11 };

	CHECK_EQ(decide(a, HADISK_DISK_DISKLESS, b, UP), HD_SYNC_NONE);
	CHECK_EQ(decide(a, HADISK_DISK_DISKLESS, b, INC), HD_SYNC_NONE);
	CHECK_EQ(decide(a, HADISK_DISK_DISKLESS, b, HADISK_DISK_DISKLESS),
		 HD_SYNC_NONE);
	hd_uuid_new_generation(&b, 0x23);	/* hd_peer_diskless() */
	/* the stale disk, even if its metadata still says UpToDate */
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_TARGET_BITMAP);
	/* re-attached and marked Inconsistent */
	CHECK_EQ(decide(a, INC, b, UP), HD_SYNC_TARGET_BITMAP);
}

static void test_split_brain(void)
{
	struct hd_uuids a = { .cur = 0x11 }, b = { .cur = 0x11 };

	hd_uuid_new_generation(&a, 0x23);
	hd_uuid_new_generation(&b, 0x45);
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_SPLIT_BRAIN);
}

static void test_interrupted_sync_resumes_from_bitmap(void)
{
	struct hd_uuids a = { .cur = 0x11, .bitmap = 0x77 };
	struct hd_uuids b = { .cur = 0x77 };	/* adopted at SYNC_START */

	CHECK_EQ(decide(a, UP, b, INC), HD_SYNC_SOURCE_BITMAP);
	b.cur = 0x99;
	CHECK_EQ(decide(a, UP, b, INC), HD_SYNC_SOURCE_FULL);
}

static void test_unrelated(void)
{
	struct hd_uuids a = { .cur = 0x11 }, b = { .cur = 0x33 };

	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_UNRELATED);
}

static void test_crashed_primary(void)
{
	struct hd_uuids a = { .cur = 0x11, .crashed = true };
	struct hd_uuids b = { .cur = 0x11 };

	/* The crashed Primary's activity-log extents go to the peer... */
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_SOURCE_BITMAP);
	/* ...unless the peer took over and wrote: then the peer wins. */
	hd_uuid_new_generation(&b, 0x22);
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_TARGET_BITMAP);
}

static void test_names(void)
{
	CHECK_STR(hd_role_name(HADISK_ROLE_PRIMARY), "Primary");
	CHECK_STR(hd_disk_name(HADISK_DISK_UNKNOWN), "DUnknown");
	CHECK_STR(hd_conn_name(HADISK_CONN_SYNC_TARGET), "SyncTarget");
	CHECK_STR(hd_sync_decision_name(HD_SYNC_SPLIT_BRAIN), "split brain");
}

/* A crashed Primary returns to a peer promoted meanwhile (no writes). */
static void test_crashed_primary_meets_new_primary(void)
{
	struct hd_uuids a = { .cur = 0x55, .crashed = true };
	struct hd_uuids b = { .cur = 0x55 };
	unsigned int P = HADISK_ROLE_PRIMARY, S = HADISK_ROLE_SECONDARY;
	enum hd_sync_decision da = hd_sync_decide(&a, UP, &b, UP);
	enum hd_sync_decision db = hd_sync_decide(&b, UP, &a, UP);

	CHECK_EQ(da, HD_SYNC_SOURCE_BITMAP);
	CHECK_EQ(hd_sync_by_role(da, &a, S, &b, S), HD_SYNC_SOURCE_BITMAP);
	/* b is Primary now: it is the source, a the target, both agree */
	CHECK_EQ(hd_sync_by_role(da, &a, S, &b, P), HD_SYNC_TARGET_BITMAP);
	CHECK_EQ(hd_sync_by_role(db, &b, P, &a, S), HD_SYNC_SOURCE_BITMAP);
	/* a still Primary (came back and was promoted first): it stays source */
	CHECK_EQ(hd_sync_by_role(da, &a, P, &b, S), HD_SYNC_SOURCE_BITMAP);
	/* other decisions are untouched */
	a.cur = 0x66;
	CHECK_EQ(hd_sync_by_role(HD_SYNC_SOURCE_FULL, &a, S, &b, P),
		 HD_SYNC_SOURCE_FULL);
}

/* Crafted identifiers where each node descends from the other. */
static void test_crossed_identifiers(void)
{
	struct hd_uuids a = { .cur = 0x2222, .bitmap = 0x1111 };
	struct hd_uuids b = { .cur = 0x1111, .bitmap = 0x2222 };

	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_UNRELATED);
	a.bitmap = 0;
	b.bitmap = 0;
	a.history[0] = 0x1111;
	b.history[0] = 0x2222;
	CHECK_EQ(decide(a, UP, b, UP), HD_SYNC_UNRELATED);
}

int main(void)
{
	RUN(test_fresh_nodes);
	RUN(test_forced_primary_full_sync);
	RUN(test_same_generation);
	RUN(test_primary_lost_peer);
	RUN(test_diskless_peer);
	RUN(test_split_brain);
	RUN(test_interrupted_sync_resumes_from_bitmap);
	RUN(test_unrelated);
	RUN(test_crashed_primary);
	RUN(test_names);
	RUN(test_crossed_identifiers);
	RUN(test_crashed_primary_meets_new_primary);
	return unit_exit();
}
