// SPDX-License-Identifier: GPL-2.0
/*
 * Enum <-> name tables, see names.h.
 */
#include <string.h>

#include <hadisk/ondisk.h>

#include "uapi/linux/hadisk.h"
#include "names.h"
#include "util.h"

static const char *const role_names[] = {
	[HADISK_ROLE_UNKNOWN]	= "Unknown",
	[HADISK_ROLE_SECONDARY]	= "Secondary",
	[HADISK_ROLE_PRIMARY]	= "Primary",
};

static const char *const conn_names[] = {
	[HADISK_CONN_STANDALONE]	= "StandAlone",
	[HADISK_CONN_CONNECTING]	= "Connecting",
	[HADISK_CONN_CONNECTED]		= "Connected",
	[HADISK_CONN_SYNC_SOURCE]	= "SyncSource",
	[HADISK_CONN_SYNC_TARGET]	= "SyncTarget",
	[HADISK_CONN_DISCONNECTING]	= "Disconnecting",
};

static const char *const disk_names[] = {
	[HADISK_DISK_DISKLESS]		= "Diskless",
	[HADISK_DISK_INCONSISTENT]	= "Inconsistent",
	[HADISK_DISK_OUTDATED]		= "Outdated",
	[HADISK_DISK_UNKNOWN]		= "DUnknown",
	[HADISK_DISK_UPTODATE]		= "UpToDate",
};

static const char *const protocol_names[] = {
	[HADISK_PROT_A]	= "A",
	[HADISK_PROT_B]	= "B",
	[HADISK_PROT_C]	= "C",
};

static const char *const cmd_names[] = {
	[HADISK_CMD_UNSPEC]		= "UNSPEC",
	[HADISK_CMD_NEW_RESOURCE]	= "NEW_RESOURCE",
	[HADISK_CMD_DEL_RESOURCE]	= "DEL_RESOURCE",
	[HADISK_CMD_ATTACH]		= "ATTACH",
	[HADISK_CMD_DETACH]		= "DETACH",
	[HADISK_CMD_CONNECT]		= "CONNECT",
	[HADISK_CMD_DISCONNECT]		= "DISCONNECT",
	[HADISK_CMD_PRIMARY]		= "PRIMARY",
	[HADISK_CMD_SECONDARY]		= "SECONDARY",
	[HADISK_CMD_GET_STATUS]		= "GET_STATUS",
	[HADISK_CMD_EVENT]		= "EVENT",
	[HADISK_CMD_INVALIDATE]		= "INVALIDATE",
	[HADISK_CMD_INVALIDATE_REMOTE]	= "INVALIDATE_REMOTE",
	[HADISK_CMD_NEW_CURRENT_UUID]	= "NEW_CURRENT_UUID",
	[HADISK_CMD_VERIFY]		= "VERIFY",
	[HADISK_CMD_OUTDATE]		= "OUTDATE",
	[HADISK_CMD_RESUME_IO]		= "RESUME_IO",
};

static const char *const attr_names[] = {
	[HADISK_A_UNSPEC] = "HADISK_A_UNSPEC",
	[HADISK_A_RESOURCE] = "HADISK_A_RESOURCE",
	[HADISK_A_MINOR] = "HADISK_A_MINOR",
	[HADISK_A_BACKING_DEV] = "HADISK_A_BACKING_DEV",
	[HADISK_A_NODE_ID] = "HADISK_A_NODE_ID",
	[HADISK_A_PEER_NODE_ID] = "HADISK_A_PEER_NODE_ID",
	[HADISK_A_NODE_NAME] = "HADISK_A_NODE_NAME",
	[HADISK_A_PEER_NODE_NAME] = "HADISK_A_PEER_NODE_NAME",
	[HADISK_A_LOCAL_ADDR] = "HADISK_A_LOCAL_ADDR",
	[HADISK_A_PEER_ADDR] = "HADISK_A_PEER_ADDR",
	[HADISK_A_LOCAL_PORT] = "HADISK_A_LOCAL_PORT",
	[HADISK_A_PEER_PORT] = "HADISK_A_PEER_PORT",
	[HADISK_A_PROTOCOL] = "HADISK_A_PROTOCOL",
	[HADISK_A_PING_INTERVAL_MS] = "HADISK_A_PING_INTERVAL_MS",
	[HADISK_A_PING_TIMEOUT_MS] = "HADISK_A_PING_TIMEOUT_MS",
	[HADISK_A_ACK_TIMEOUT_MS] = "HADISK_A_ACK_TIMEOUT_MS",
	[HADISK_A_CONNECT_INTERVAL_MS] = "HADISK_A_CONNECT_INTERVAL_MS",
	[HADISK_A_FORCE] = "HADISK_A_FORCE",
	[HADISK_A_ROLE] = "HADISK_A_ROLE",
	[HADISK_A_PEER_ROLE] = "HADISK_A_PEER_ROLE",
	[HADISK_A_CONN_STATE] = "HADISK_A_CONN_STATE",
	[HADISK_A_DISK_STATE] = "HADISK_A_DISK_STATE",
	[HADISK_A_PEER_DISK_STATE] = "HADISK_A_PEER_DISK_STATE",
	[HADISK_A_SIZE_BYTES] = "HADISK_A_SIZE_BYTES",
	[HADISK_A_OPEN_COUNT] = "HADISK_A_OPEN_COUNT",
	[HADISK_A_BYTES_SENT] = "HADISK_A_BYTES_SENT",
	[HADISK_A_BYTES_RECEIVED] = "HADISK_A_BYTES_RECEIVED",
	[HADISK_A_WRITES_PENDING] = "HADISK_A_WRITES_PENDING",
	[HADISK_A_WRITES_UNACKED] = "HADISK_A_WRITES_UNACKED",
	[HADISK_A_OOS_BYTES] = "HADISK_A_OOS_BYTES",
	[HADISK_A_RESYNC_TOTAL_BYTES] = "HADISK_A_RESYNC_TOTAL_BYTES",
	[HADISK_A_RESYNC_DONE_BYTES] = "HADISK_A_RESYNC_DONE_BYTES",
	[HADISK_A_RESYNC_RATE_BPS] = "HADISK_A_RESYNC_RATE_BPS",
	[HADISK_A_LAST_ERROR] = "HADISK_A_LAST_ERROR",
	[HADISK_A_EVENT] = "HADISK_A_EVENT",
	[HADISK_A_CURRENT_UUID] = "HADISK_A_CURRENT_UUID",
	[HADISK_A_BITMAP_UUID] = "HADISK_A_BITMAP_UUID",
	[HADISK_A_PAD] = "HADISK_A_PAD",
	[HADISK_A_META_DEV] = "HADISK_A_META_DEV",
	[HADISK_A_AL_EXTENTS] = "HADISK_A_AL_EXTENTS",
	[HADISK_A_CLEAR_BITMAP] = "HADISK_A_CLEAR_BITMAP",
	[HADISK_A_MD_FLAGS] = "HADISK_A_MD_FLAGS",
	[HADISK_A_AL_ACTIVE] = "HADISK_A_AL_ACTIVE",
	[HADISK_A_AL_WRITES] = "HADISK_A_AL_WRITES",
	[HADISK_A_RESYNC_RATE_MIN_KIB] = "HADISK_A_RESYNC_RATE_MIN_KIB",
	[HADISK_A_RESYNC_RATE_MAX_KIB] = "HADISK_A_RESYNC_RATE_MAX_KIB",
	[HADISK_A_RESYNC_LIMIT_BPS] = "HADISK_A_RESYNC_LIMIT_BPS",
	[HADISK_A_CSUM_RESYNC] = "HADISK_A_CSUM_RESYNC",
	[HADISK_A_VERIFY_RESYNC] = "HADISK_A_VERIFY_RESYNC",
	[HADISK_A_VERIFY_RUNNING] = "HADISK_A_VERIFY_RUNNING",
	[HADISK_A_VERIFY_TOTAL_BYTES] = "HADISK_A_VERIFY_TOTAL_BYTES",
	[HADISK_A_VERIFY_DONE_BYTES] = "HADISK_A_VERIFY_DONE_BYTES",
	[HADISK_A_VERIFY_OOS_BYTES] = "HADISK_A_VERIFY_OOS_BYTES",
	[HADISK_A_AFTER_SB_0PRI] = "HADISK_A_AFTER_SB_0PRI",
	[HADISK_A_AFTER_SB_1PRI] = "HADISK_A_AFTER_SB_1PRI",
	[HADISK_A_AFTER_SB_2PRI] = "HADISK_A_AFTER_SB_2PRI",
	[HADISK_A_DISCARD_NODE_ID] = "HADISK_A_DISCARD_NODE_ID",
	[HADISK_A_DISCARD_MY_DATA] = "HADISK_A_DISCARD_MY_DATA",
	[HADISK_A_FENCING] = "HADISK_A_FENCING",
	[HADISK_A_HOOK_TIMEOUT_MS] = "HADISK_A_HOOK_TIMEOUT_MS",
	[HADISK_A_HOOK_FENCE_PEER] = "HADISK_A_HOOK_FENCE_PEER",
	[HADISK_A_HOOK_UNFENCE_PEER] = "HADISK_A_HOOK_UNFENCE_PEER",
	[HADISK_A_HOOK_SPLIT_BRAIN] = "HADISK_A_HOOK_SPLIT_BRAIN",
	[HADISK_A_HOOK_PRI_LOST_AFTER_SB] = "HADISK_A_HOOK_PRI_LOST_AFTER_SB",
	[HADISK_A_HOOK_BEFORE_RESYNC_TARGET] = "HADISK_A_HOOK_BEFORE_RESYNC_TARGET",
	[HADISK_A_HOOK_AFTER_RESYNC_TARGET] = "HADISK_A_HOOK_AFTER_RESYNC_TARGET",
	[HADISK_A_HOOK_LOCAL_IO_ERROR] = "HADISK_A_HOOK_LOCAL_IO_ERROR",
	[HADISK_A_SAVE_HELPER] = "HADISK_A_SAVE_HELPER",
	[HADISK_A_SAVE_DIR] = "HADISK_A_SAVE_DIR",
	[HADISK_A_IO_FROZEN] = "HADISK_A_IO_FROZEN",
	[HADISK_A_PEER_FENCED] = "HADISK_A_PEER_FENCED",
	[HADISK_A_LAST_SAVE] = "HADISK_A_LAST_SAVE",
	[HADISK_A_SHARED_SECRET] = "HADISK_A_SHARED_SECRET",
	[HADISK_A_HMAC_ALG] = "HADISK_A_HMAC_ALG",
	[HADISK_A_DATA_DIGEST] = "HADISK_A_DATA_DIGEST",
	[HADISK_A_AUTH_ON] = "HADISK_A_AUTH_ON",
	[HADISK_A_AUTH_FAILURES] = "HADISK_A_AUTH_FAILURES",
	[HADISK_A_DIGEST_ERRORS] = "HADISK_A_DIGEST_ERRORS",
	[HADISK_A_ON_IO_ERROR] = "HADISK_A_ON_IO_ERROR",
	[HADISK_A_LOCAL_IO_ERRORS] = "HADISK_A_LOCAL_IO_ERRORS",
	[HADISK_A_REMOTE_READS] = "HADISK_A_REMOTE_READS",
	[HADISK_A_DETACHED_ON_ERROR] = "HADISK_A_DETACHED_ON_ERROR",
	[HADISK_A_TRANSPORT] = "HADISK_A_TRANSPORT",
};

/* DRBD's names of the after-sb-*pri policies; discard-node-NAME is "discard-node" */
static const char *const after_sb_names[] = {
	[HADISK_SB_DISCONNECT]		= "disconnect",
	[HADISK_SB_DISCARD_YOUNGER_PRI]	= "discard-younger-primary",
	[HADISK_SB_DISCARD_OLDER_PRI]	= "discard-older-primary",
	[HADISK_SB_DISCARD_ZERO_CHANGES] = "discard-zero-changes",
	[HADISK_SB_DISCARD_LEAST_CHANGES] = "discard-least-changes",
	[HADISK_SB_DISCARD_NODE]	= "discard-node",
	[HADISK_SB_CONSENSUS]		= "consensus",
	[HADISK_SB_DISCARD_SECONDARY]	= "discard-secondary",
	[HADISK_SB_CALL_PRI_LOST]	= "call-pri-lost-after-sb",
};

static const char *const fencing_names[] = {
	[HADISK_FENCING_NONE]		= "none",
	[HADISK_FENCING_RESOURCE_ONLY]	= "resource-only",
	[HADISK_FENCING_RESOURCE_AND_STONITH] = "resource-and-stonith",
};

/* DRBD's names of data-integrity-alg; the kernel knows only these */
static const char *const digest_names[] = {
	[HADISK_DIGEST_NONE]	= "none",
	[HADISK_DIGEST_CRC32C]	= "crc32c",
};

/* DRBD's names of disk { on-io-error } (pass_on with an underscore) */
static const char *const on_io_error_names[] = {
	[HADISK_IOE_DETACH]		= "detach",
	[HADISK_IOE_PASS_ON]		= "pass_on",
	[HADISK_IOE_CALL_LOCAL_IO_ERROR] = "call-local-io-error",
};

/* net { transport }: enum hadisk_transport */
static const char *const transport_names[] = {
	[HADISK_TRANSPORT_TCP]	= "tcp",
	[HADISK_TRANSPORT_RDMA]	= "rdma",
};

/* by bit number: flag HD_MDF_X is 1 << its index here */
static const char *const md_flag_names[] = {
	"consistent", "uptodate", "primary", "crashed-primary",
	"peer-outdated", "al-clean", "full-sync", "pri-at-split",
};

_Static_assert(HD_MDF_CONSISTENT == 1u << 0 && HD_MDF_UPTODATE == 1u << 1 &&
	       HD_MDF_PRIMARY == 1u << 2 && HD_MDF_CRASHED_PRIMARY == 1u << 3 &&
	       HD_MDF_PEER_OUTDATED == 1u << 4 && HD_MDF_AL_CLEAN == 1u << 5 &&
	       HD_MDF_FULL_SYNC == 1u << 6 && HD_MDF_PRI_AT_SPLIT == 1u << 7,
	       "names.c: md_flag_names follows the bits of HD_MDF_*");
_Static_assert(HD_MDF_KNOWN == (1u << ARRAY_SIZE(md_flag_names)) - 1,
	       "names.c: a metadata flag of ondisk.h has no name");
_Static_assert(ARRAY_SIZE(attr_names) == __HADISK_A_MAX,
	       "names.c: an attribute of hadisk.h has no name");
_Static_assert(ARRAY_SIZE(after_sb_names) == __HADISK_SB_MAX,
	       "names.c: a split-brain policy of hadisk.h has no name");
_Static_assert(ARRAY_SIZE(cmd_names) == __HADISK_CMD_MAX,
	       "names.c: a command of hadisk.h has no name");

static const char *lookup(const char *const *tab, size_t n, unsigned int v)
{
	return v < n ? tab[v] : NULL;
}

static int reverse(const char *const *tab, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], name))
			return (int)i;
	return -1;
}

const char *hd_role_name(unsigned int v)
{
	return lookup(role_names, ARRAY_SIZE(role_names), v);
}

int hd_role_from_name(const char *name)
{
	return reverse(role_names, ARRAY_SIZE(role_names), name);
}

const char *hd_conn_name(unsigned int v)
{
	return lookup(conn_names, ARRAY_SIZE(conn_names), v);
}

int hd_conn_from_name(const char *name)
{
	return reverse(conn_names, ARRAY_SIZE(conn_names), name);
}

const char *hd_disk_name(unsigned int v)
{
	return lookup(disk_names, ARRAY_SIZE(disk_names), v);
}

int hd_disk_from_name(const char *name)
{
	return reverse(disk_names, ARRAY_SIZE(disk_names), name);
}

const char *hd_protocol_name(unsigned int v)
{
	return lookup(protocol_names, ARRAY_SIZE(protocol_names), v);
}

int hd_protocol_from_name(const char *name)
{
	return reverse(protocol_names, ARRAY_SIZE(protocol_names), name);
}

const char *hd_cmd_name(unsigned int cmd)
{
	return lookup(cmd_names, ARRAY_SIZE(cmd_names), cmd);
}

const char *hd_attr_name(unsigned int attr)
{
	return lookup(attr_names, ARRAY_SIZE(attr_names), attr);
}

const char *hd_md_flag_name(unsigned int bit)
{
	return lookup(md_flag_names, ARRAY_SIZE(md_flag_names), bit);
}

const char *hd_after_sb_name(unsigned int v)
{
	return lookup(after_sb_names, ARRAY_SIZE(after_sb_names), v);
}

int hd_after_sb_from_name(const char *name)
{
	return reverse(after_sb_names, ARRAY_SIZE(after_sb_names), name);
}

const char *hd_fencing_name(unsigned int v)
{
	return lookup(fencing_names, ARRAY_SIZE(fencing_names), v);
}

int hd_fencing_from_name(const char *name)
{
	return reverse(fencing_names, ARRAY_SIZE(fencing_names), name);
}

const char *hd_digest_name(unsigned int v)
{
	return lookup(digest_names, ARRAY_SIZE(digest_names), v);
}

int hd_digest_from_name(const char *name)
{
	return reverse(digest_names, ARRAY_SIZE(digest_names), name);
}

const char *hd_on_io_error_name(unsigned int v)
{
	return lookup(on_io_error_names, ARRAY_SIZE(on_io_error_names), v);
}

int hd_on_io_error_from_name(const char *name)
{
	return reverse(on_io_error_names, ARRAY_SIZE(on_io_error_names), name);
}

const char *hd_transport_name(unsigned int v)
{
	return lookup(transport_names, ARRAY_SIZE(transport_names), v);
}

int hd_transport_from_name(const char *name)
{
	return reverse(transport_names, ARRAY_SIZE(transport_names), name);
}
