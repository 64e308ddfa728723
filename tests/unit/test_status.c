// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of status decoding and rendering (userspace/lib/status.c):
 * status messages built as the kernel builds them are decoded, then
 * rendered as text and JSON and compared with the expected output; every
 * JSON text is also checked for strict syntax.
 */
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <string.h>

#include "jsoncheck.h"
#include "status.h"
#include "unit.h"

static char mem[8192] __attribute__((aligned(8)));

static struct nlmsghdr *msg_start(uint8_t cmd, const char *res)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mem);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x1d;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = HADISK_GENL_VERSION;
	if (res)
		mnl_attr_put_strz(nlh, HADISK_A_RESOURCE, res);
	return nlh;
}

/* The kernel pads before u64 attributes with HADISK_A_PAD. */
static void put_u64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	mnl_attr_put(nlh, HADISK_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static struct nlmsghdr *full_msg(uint8_t cmd)
{
	struct nlmsghdr *nlh = msg_start(cmd, "r0");

	mnl_attr_put_strz(nlh, HADISK_A_NODE_NAME, "alpha");
	mnl_attr_put_strz(nlh, HADISK_A_PEER_NODE_NAME, "beta");
	mnl_attr_put_u32(nlh, HADISK_A_MINOR, 0);
	mnl_attr_put_u8(nlh, HADISK_A_PROTOCOL, HADISK_PROT_C);
	mnl_attr_put_u8(nlh, HADISK_A_ROLE, HADISK_ROLE_PRIMARY);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_ROLE, HADISK_ROLE_SECONDARY);
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_SYNC_SOURCE);
	mnl_attr_put_u8(nlh, HADISK_A_DISK_STATE, HADISK_DISK_UPTODATE);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_DISK_STATE,
			HADISK_DISK_INCONSISTENT);
	put_u64(nlh, HADISK_A_SIZE_BYTES, 268435456);
	mnl_attr_put_u32(nlh, HADISK_A_OPEN_COUNT, 1);
	put_u64(nlh, HADISK_A_BYTES_SENT, 1258291);
	put_u64(nlh, HADISK_A_BYTES_RECEIVED, 0);
	mnl_attr_put_u32(nlh, HADISK_A_WRITES_PENDING, 2);
	mnl_attr_put_u32(nlh, HADISK_A_WRITES_UNACKED, 3);
	put_u64(nlh, HADISK_A_OOS_BYTES, 44040192);
	put_u64(nlh, HADISK_A_RESYNC_TOTAL_BYTES, 104857600);
	put_u64(nlh, HADISK_A_RESYNC_DONE_BYTES, 44040192);
	put_u64(nlh, HADISK_A_RESYNC_RATE_BPS, 12897485);
	put_u64(nlh, HADISK_A_RESYNC_LIMIT_BPS, 128974848);
	mnl_attr_put_strz(nlh, HADISK_A_LAST_ERROR, "peer said \"no\"\n");
	put_u64(nlh, HADISK_A_CURRENT_UUID, 0x0123456789ABCDEFull);
	put_u64(nlh, HADISK_A_BITMAP_UUID, 0xFEDCBA9876543210ull);
	mnl_attr_put_strz(nlh, HADISK_A_BACKING_DEV, "/dev/vdb");
	mnl_attr_put_strz(nlh, HADISK_A_META_DEV, "internal");
	mnl_attr_put_u32(nlh, HADISK_A_MD_FLAGS, 0x7);
	mnl_attr_put_u32(nlh, HADISK_A_AL_ACTIVE, 12);
	mnl_attr_put_u32(nlh, HADISK_A_AL_EXTENTS, 257);
	put_u64(nlh, HADISK_A_AL_WRITES, 345);
	mnl_attr_put_u8(nlh, HADISK_A_VERIFY_RUNNING, 1);
	put_u64(nlh, HADISK_A_VERIFY_TOTAL_BYTES, 25165824);
	put_u64(nlh, HADISK_A_VERIFY_DONE_BYTES, 10485760);
	put_u64(nlh, HADISK_A_VERIFY_OOS_BYTES, 0);
	mnl_attr_put_u8(nlh, HADISK_A_ON_IO_ERROR, HADISK_IOE_DETACH);
	put_u64(nlh, HADISK_A_LOCAL_IO_ERRORS, 0);
	put_u64(nlh, HADISK_A_REMOTE_READS, 0);
	mnl_attr_put_u8(nlh, HADISK_A_DETACHED_ON_ERROR, 0);
	if (cmd == HADISK_CMD_EVENT)
		mnl_attr_put_strz(nlh, HADISK_A_EVENT, "resync-progress");
	return nlh;
}

static const char full_json[] =
	"{\"resource\":\"r0\",\"node\":\"alpha\",\"peer_node\":\"beta\","
	"\"minor\":0,\"role\":\"Primary\",\"peer_role\":\"Secondary\","
	"\"connection\":\"SyncSource\",\"disk\":\"UpToDate\","
	"\"peer_disk\":\"Inconsistent\","
	"\"on_io_error\":\"detach\",\"local_io_errors\":0,\"remote_reads\":0,"
	"\"detached_on_error\":false,\"protocol\":\"C\",\"transport\":\"tcp\","
	"\"size_bytes\":268435456,\"open_count\":1,\"bytes_sent\":1258291,"
	"\"bytes_received\":0,\"writes_pending\":2,\"writes_unacked\":3,"
	"\"out_of_sync_bytes\":44040192,"
	"\"resync\":{\"total_bytes\":104857600,\"done_bytes\":44040192,"
	"\"percent\":42.0,\"rate_bytes_per_sec\":12897485,"
	"\"limit_bytes_per_sec\":128974848,\"eta_seconds\":5},"
	"\"verify\":{\"running\":true,\"total_bytes\":25165824,"
	"\"done_bytes\":10485760,\"percent\":41.7,\"out_of_sync_bytes\":0},"
	"\"last_error\":\"peer said \\\"no\\\"\\n\","
	"\"current_uuid\":\"0123456789ABCDEF\","
	"\"bitmap_uuid\":\"FEDCBA9876543210\","
	"\"backing_device\":\"/dev/vdb\","
	"\"metadata\":\"internal\","
	"\"md_flags\":[\"consistent\",\"uptodate\",\"primary\"],"
	"\"al_active_extents\":12,\"al_extents\":257,\"al_writes\":345,"
	"\"fencing\":null,\"io_frozen\":false,\"peer_fenced\":false,\"after_sb_0pri\":null,\"after_sb_1pri\":null,\"after_sb_2pri\":null,\"last_discarded_file\":null,"
	"\"auth\":false,\"auth_failures\":0,\"data_digest\":\"none\",\"digest_errors\":0,"
	"\"schema_version\":1}";

static const char minimal_json[] =
	"{\"resource\":\"r1\",\"node\":null,\"peer_node\":null,"
	"\"minor\":null,\"role\":\"Unknown\",\"peer_role\":\"Unknown\","
	"\"connection\":\"StandAlone\",\"disk\":\"Diskless\","
	"\"peer_disk\":\"DUnknown\","
	"\"on_io_error\":null,\"local_io_errors\":0,\"remote_reads\":0,"
	"\"detached_on_error\":false,\"protocol\":null,\"transport\":\"tcp\","
	"\"size_bytes\":0,"
	"\"open_count\":0,\"bytes_sent\":0,\"bytes_received\":0,"
	"\"writes_pending\":0,\"writes_unacked\":0,"
	"\"out_of_sync_bytes\":0,\"resync\":null,\"verify\":null,"
	"\"last_error\":null,"
	"\"current_uuid\":\"0000000000000000\","
	"\"bitmap_uuid\":\"0000000000000000\","
	"\"backing_device\":null,"
	"\"metadata\":null,\"md_flags\":null,\"al_active_extents\":null,"
	"\"al_extents\":null,\"al_writes\":null,"
	"\"fencing\":null,\"io_frozen\":false,\"peer_fenced\":false,\"after_sb_0pri\":null,\"after_sb_1pri\":null,\"after_sb_2pri\":null,\"last_discarded_file\":null,"
	"\"auth\":false,\"auth_failures\":0,\"data_digest\":\"none\",\"digest_errors\":0,"
	"\"schema_version\":1}";

static char err[256];

static void decode(const struct nlmsghdr *nlh, struct hd_status *st)
{
	err[0] = '\0';
	CHECK_EQ(hd_status_decode(nlh, st, err, sizeof(err)), 0);
	CHECK_STR(err, "");
}

static void status_decode_full(void)
{
	struct hd_status st;

	decode(full_msg(HADISK_CMD_GET_STATUS), &st);
	CHECK_STR(st.resource, "r0");
	CHECK_STR(st.node, "alpha");
	CHECK_STR(st.peer_node, "beta");
	CHECK(st.has_node && st.has_peer_node && st.has_minor);
	CHECK(st.has_protocol);
	CHECK_EQ(st.protocol, HADISK_PROT_C);
	CHECK_EQ(st.role, HADISK_ROLE_PRIMARY);
	CHECK_EQ(st.conn, HADISK_CONN_SYNC_SOURCE);
	CHECK_EQ(st.size_bytes, 268435456);
	CHECK_EQ(st.writes_unacked, 3);
	CHECK_EQ(st.resync_rate_bps, 12897485);
	CHECK(st.has_resync_limit);
	CHECK_EQ(st.resync_limit_bps, 128974848);
	CHECK(st.current_uuid == 0x0123456789ABCDEFull);
	CHECK(st.bitmap_uuid == 0xFEDCBA9876543210ull);
	CHECK(st.has_meta_dev && st.has_md_flags && st.has_al_active);
	CHECK(st.has_al_extents && st.has_al_writes);
	CHECK_STR(st.meta_dev, "internal");
	CHECK_EQ(st.md_flags, 0x7);
	CHECK_EQ(st.al_active, 12);
	CHECK_EQ(st.al_extents, 257);
	CHECK_EQ(st.al_writes, 345);
	CHECK_STR(st.last_error, "peer said \"no\"\n");
	CHECK_STR(st.event, "");
	CHECK(st.has_verify && st.verify_running);
	CHECK_EQ(st.verify_total_bytes, 25165824);
	CHECK_EQ(st.verify_done_bytes, 10485760);
	CHECK_EQ(st.verify_oos_bytes, 0);
	CHECK(!hd_status_verify_stopped(&st));
	CHECK(st.has_on_io_error);
	CHECK_EQ(st.on_io_error, HADISK_IOE_DETACH);
	CHECK_EQ(st.local_io_errors, 0);
	CHECK_EQ(st.remote_reads, 0);
	CHECK(!st.detached_on_error);
}

static void status_json_full(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	decode(full_msg(HADISK_CMD_GET_STATUS), &st);
	hd_status_json(&st, false, &b);
	CHECK_STR(hd_buf_str(&b), full_json);
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_free(&b);
}

static void status_text_full(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	decode(full_msg(HADISK_CMD_GET_STATUS), &st);
	hd_status_text(&st, &b);
	CHECK_STR(hd_buf_str(&b),
		  "r0 role:Primary node:alpha minor:0 protocol:C\n"
		  "  disk:UpToDate size:256.0MiB open:1\n"
		  "  disk:/dev/vdb metadata:internal al:12/257 extents, 345 writes\n"
		  "  on-io-error:detach\n"
		  "  peer beta role:Secondary connection:SyncSource disk:Inconsistent\n"
		  "    sent:1.2MiB received:0B pending:2 unacked:3 out-of-sync:42.0MiB\n"
		  "    resync: 42.0% 12.3MiB/s 00:00:05 left (42.0MiB of 100.0MiB) limit 123.0MiB/s\n"
		  "    last error: peer said \"no\"\\n\n"
		  "  verify: 41.7% (10.0MiB of 24.0MiB), 0B out of sync\n");
	hd_buf_free(&b);
}

static void status_json_minimal(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	decode(msg_start(HADISK_CMD_GET_STATUS, "r1"), &st);
	hd_status_json(&st, false, &b);
	CHECK_STR(hd_buf_str(&b), minimal_json);
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_free(&b);
}

static void status_text_minimal(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	decode(msg_start(HADISK_CMD_GET_STATUS, "r1"), &st);
	hd_status_text(&st, &b);
	CHECK_STR(hd_buf_str(&b),
		  "r1 role:Unknown\n"
		  "  disk:Diskless\n"
		  "  peer role:Unknown connection:StandAlone disk:DUnknown\n"
		  "    sent:0B received:0B pending:0 unacked:0 out-of-sync:0B\n");
	hd_buf_free(&b);
}

/* A protocol the kernel still reports after DISCONNECT is not shown. */
static void status_protocol_null_when_standalone(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r1");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_PROTOCOL, HADISK_PROT_B);
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_STANDALONE);
	decode(nlh, &st);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"protocol\":null");
	hd_buf_reset(&b);
	st.conn = HADISK_CONN_CONNECTING;
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"protocol\":\"B\"");
	hd_buf_free(&b);
}

static void status_resync_without_rate(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_SYNC_TARGET);
	mnl_attr_put_u64(nlh, HADISK_A_RESYNC_TOTAL_BYTES, 0);
	decode(nlh, &st);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"resync\":{\"total_bytes\":0,\"done_bytes\":0,\"percent\":0.0,\"rate_bytes_per_sec\":0,\"limit_bytes_per_sec\":null,\"eta_seconds\":null}");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "    resync: 0.0% 0B/s --:--:-- left (0B of 0B)\n");
	hd_buf_free(&b);
}

/*
 * The resync's limit: only a SyncSource has one. Without it JSON says null
 * and the text line has no "limit"; a limit of 0 is still a limit.
 */
static void status_resync_limit(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r9");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_SYNC_TARGET);
	put_u64(nlh, HADISK_A_RESYNC_TOTAL_BYTES, 4096);
	decode(nlh, &st);
	CHECK(!st.has_resync_limit);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"rate_bytes_per_sec\":0,\"limit_bytes_per_sec\":null,");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), " left (0B of 4.0KiB)\n");
	CHECK(!strstr(hd_buf_str(&b), "limit"));
	hd_buf_reset(&b);

	nlh = msg_start(HADISK_CMD_GET_STATUS, "r9");
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_SYNC_SOURCE);
	put_u64(nlh, HADISK_A_RESYNC_LIMIT_BPS, 33554432);
	decode(nlh, &st);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"limit_bytes_per_sec\":33554432,");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "    resync: 0.0% 0B/s --:--:-- left (0B of 0B) limit 32.0MiB/s\n");
	hd_buf_reset(&b);

	nlh = msg_start(HADISK_CMD_GET_STATUS, "r9");
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_SYNC_SOURCE);
	put_u64(nlh, HADISK_A_RESYNC_LIMIT_BPS, 0);
	decode(nlh, &st);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"limit_bytes_per_sec\":0,");
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "(0B of 0B) limit 0B/s\n");
	hd_buf_free(&b);

	/* a u64 sent as a u32 is malformed */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r9");
	mnl_attr_put_u32(nlh, HADISK_A_RESYNC_LIMIT_BPS, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err,
		  "status attribute HADISK_A_RESYNC_LIMIT_BPS has the wrong size");
}

/* Resync numbers outside a resync (e.g. of the last one) are not shown. */
static void status_resync_only_while_syncing(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r3");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_CONNECTED);
	mnl_attr_put_u64(nlh, HADISK_A_RESYNC_TOTAL_BYTES, 4096);
	mnl_attr_put_u64(nlh, HADISK_A_RESYNC_DONE_BYTES, 4096);
	mnl_attr_put_u64(nlh, HADISK_A_RESYNC_LIMIT_BPS, 4096);
	decode(nlh, &st);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"resync\":null");
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK(!strstr(hd_buf_str(&b), "resync"));
	hd_buf_free(&b);
}

static void status_resync_done_past_total(void)
{
	struct hd_status st;
	uint64_t eta = 99;

	hd_status_init(&st);
	st.conn = HADISK_CONN_SYNC_TARGET;
	st.resync_total_bytes = 100;
	st.resync_done_bytes = 150;
	st.resync_rate_bps = 10;
	CHECK(hd_status_resync_percent(&st) == 100.0);
	CHECK(hd_status_resync_eta(&st, &eta));
	CHECK_EQ(eta, 0);
}

/* Values from a newer kernel show as such, not as a wrong name. */
static void status_unknown_enum_values(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r4");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_ROLE, 7);
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, 9);
	mnl_attr_put_u8(nlh, HADISK_A_DISK_STATE, 200);
	mnl_attr_put_u8(nlh, HADISK_A_PROTOCOL, 4);
	decode(nlh, &st);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"role\":\"Unknown(7)\"");
	CHECK_CONTAINS(hd_buf_str(&b), "\"connection\":\"Unknown(9)\"");
	CHECK_CONTAINS(hd_buf_str(&b), "\"disk\":\"Unknown(200)\"");
	CHECK_CONTAINS(hd_buf_str(&b), "\"protocol\":null");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_free(&b);
}

/* Some of the metadata attributes: the line shows what there is. */
static void status_metadata_partial(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r8");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_strz(nlh, HADISK_A_META_DEV, "/dev/sdz1");
	mnl_attr_put_u32(nlh, HADISK_A_MD_FLAGS, 0x220);
	decode(nlh, &st);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "  disk:Diskless\n  metadata:/dev/sdz1\n  peer ");
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"metadata\":\"/dev/sdz1\",\"md_flags\":[\"al-clean\",\"bit9\"],\"al_active_extents\":null,\"al_extents\":null,\"al_writes\":null,");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	/* no al-extents from the kernel: no "/N" */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r8");
	mnl_attr_put_u32(nlh, HADISK_A_AL_ACTIVE, 0);
	decode(nlh, &st);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "  metadata:none al:0 extents\n");
	hd_buf_reset(&b);
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r8");
	mnl_attr_put_strz(nlh, HADISK_A_META_DEV, "internal");
	put_u64(nlh, HADISK_A_AL_WRITES, 9);
	decode(nlh, &st);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "  metadata:internal al-writes:9\n");
	hd_buf_free(&b);
	/* a u64 counter sent as a u32 is malformed */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r8");
	mnl_attr_put_u32(nlh, HADISK_A_AL_WRITES, 9);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err, "status attribute HADISK_A_AL_WRITES has the wrong size");
}

/* A status with the verify attributes, and no others but the basics. */
static struct nlmsghdr *verify_msg(uint8_t running, uint64_t total,
				   uint64_t done, uint64_t oos)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");

	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_CONNECTED);
	mnl_attr_put_u8(nlh, HADISK_A_VERIFY_RUNNING, running);
	put_u64(nlh, HADISK_A_VERIFY_TOTAL_BYTES, total);
	put_u64(nlh, HADISK_A_VERIFY_DONE_BYTES, done);
	put_u64(nlh, HADISK_A_VERIFY_OOS_BYTES, oos);
	return nlh;
}

/* A verify's line and object: running, done, stopped before its end. */
static void status_verify(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	/* running: the example of the documentation */
	decode(verify_msg(1, 25165824, 10569646, 0), &st);
	CHECK(st.has_verify && st.verify_running);
	CHECK(!hd_status_verify_stopped(&st));
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "out-of-sync:0B\n  verify: 42.0% (10.1MiB of 24.0MiB), 0B out of sync\n");
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"resync\":null,\"verify\":{\"running\":true,\"total_bytes\":25165824,\"done_bytes\":10569646,\"percent\":42.0,\"out_of_sync_bytes\":0},\"last_error\":null,");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);

	/* done, with a difference found */
	decode(verify_msg(0, 25165824, 25165824, 4096), &st);
	CHECK(st.has_verify && !st.verify_running);
	CHECK(!hd_status_verify_stopped(&st));
	CHECK(hd_status_verify_percent(&st) == 100.0);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "out-of-sync:0B\n  verify: done, 4.0KiB out of sync\n");
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"verify\":{\"running\":false,\"total_bytes\":25165824,\"done_bytes\":25165824,\"percent\":100.0,\"out_of_sync_bytes\":4096}");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);

	/* stopped before its end: not "done" */
	decode(verify_msg(0, 25165824, 10485760, 8192), &st);
	CHECK(hd_status_verify_stopped(&st));
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "  verify: stopped at 41.7% (10.0MiB of 24.0MiB), 8.0KiB out of sync\n");
	CHECK(!strstr(hd_buf_str(&b), "done"));
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"verify\":{\"running\":false,\"total_bytes\":25165824,\"done_bytes\":10485760,\"percent\":41.7,\"out_of_sync_bytes\":8192}");
	hd_buf_reset(&b);

	/* just started */
	decode(verify_msg(1, 4096, 0, 0), &st);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "  verify: 0.0% (0B of 4.0KiB), 0B out of sync\n");
	hd_buf_reset(&b);

	/* no verify yet: no line, null */
	decode(msg_start(HADISK_CMD_GET_STATUS, "r0"), &st);
	CHECK(!st.has_verify);
	CHECK(!hd_status_verify_stopped(&st));
	hd_status_text(&st, &b);
	CHECK(!strstr(hd_buf_str(&b), "verify"));
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"verify\":null,");
	hd_buf_free(&b);
}

/* The verify attributes with the wrong size are malformed. */
static void status_verify_wrong_size(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	struct hd_status st;

	mnl_attr_put_u32(nlh, HADISK_A_VERIFY_RUNNING, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err,
		  "status attribute HADISK_A_VERIFY_RUNNING has the wrong size");
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	mnl_attr_put_u8(nlh, HADISK_A_VERIFY_RUNNING, 0);
	mnl_attr_put_u32(nlh, HADISK_A_VERIFY_OOS_BYTES, 4096);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err,
		  "status attribute HADISK_A_VERIFY_OOS_BYTES has the wrong size");
}

static void status_decode_wrong_size(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r5");
	struct hd_status st;

	mnl_attr_put_u16(nlh, HADISK_A_MINOR, 3);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err, "status attribute HADISK_A_MINOR has the wrong size");
}

static void status_decode_without_resource(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, NULL);
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_ROLE, HADISK_ROLE_PRIMARY);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "without HADISK_A_RESOURCE");
}

/* Attributes a newer kernel may add are skipped. */
static void status_decode_ignores_unknown_attrs(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r6");
	struct hd_status st;

	mnl_attr_put_u32(nlh, HADISK_A_MAX + 5, 1);
	mnl_attr_put_u32(nlh, HADISK_A_NODE_ID, 1);
	decode(nlh, &st);
	CHECK_STR(st.resource, "r6");
}

static void status_event_json(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	decode(full_msg(HADISK_CMD_EVENT), &st);
	CHECK_STR(st.event, "resync-progress");
	hd_status_json(&st, true, &b);
	CHECK(!strncmp(hd_buf_str(&b),
		       "{\"event\":\"resync-progress\",\"resource\":\"r0\",",
		       40));
	CHECK_STR(hd_buf_str(&b) + strlen("{\"event\":\"resync-progress\","),
		  full_json + 1);
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_free(&b);
}

static void status_event_line(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	decode(full_msg(HADISK_CMD_EVENT), &st);
	hd_status_event_line(&st, &b);
	CHECK_STR(hd_buf_str(&b),
		  "r0 resync-progress: role:Primary disk:UpToDate connection:SyncSource peer-role:Secondary peer-disk:Inconsistent resync:42.0% last-error:\"peer said \\\"no\\\"\\n\"");
	hd_buf_free(&b);
}

static void status_json_escaping(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	hd_status_init(&st);
	strcpy(st.resource, "r7");
	strcpy(st.last_error, "a\"b\\c\x01\td\x7f");
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"last_error\":\"a\\\"b\\\\c\\u0001\\td\\u007f\"");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_free(&b);
}

static void status_json_array(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st[2];

	memset(st, 0, sizeof(st));
	hd_status_json_array(st, 0, &b);
	CHECK_STR(hd_buf_str(&b), "[]\n");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	decode(full_msg(HADISK_CMD_GET_STATUS), &st[0]);
	decode(msg_start(HADISK_CMD_GET_STATUS, "r1"), &st[1]);
	hd_status_json_array(st, 2, &b);
	CHECK(json_valid(hd_buf_str(&b)));
	CHECK(!strncmp(hd_buf_str(&b), "[\n  {\"resource\":\"r0\"", 20));
	CHECK_CONTAINS(hd_buf_str(&b), "},\n  {\"resource\":\"r1\"");
	CHECK_CONTAINS(hd_buf_str(&b), "\"digest_errors\":0,\"schema_version\":1}\n]\n");
	hd_buf_free(&b);
}

/* Every object, status or event, ends with the schema's version. */
static void status_json_schema_version(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;
	const char *end = ",\"schema_version\":1}";
	size_t n;

	CHECK_EQ(HD_STATUS_SCHEMA_VERSION, 1);
	decode(full_msg(HADISK_CMD_EVENT), &st);
	hd_status_json(&st, true, &b);
	n = strlen(hd_buf_str(&b));
	CHECK(n > strlen(end) &&
	      !strcmp(hd_buf_str(&b) + n - strlen(end), end));
	hd_buf_reset(&b);
	hd_status_init(&st);
	strcpy(st.resource, "r2");
	hd_status_json(&st, false, &b);
	n = strlen(hd_buf_str(&b));
	CHECK(n > strlen(end) &&
	      !strcmp(hd_buf_str(&b) + n - strlen(end), end));
	hd_buf_free(&b);
}

/* The checker itself refuses what it must. */
static void jsoncheck_refuses_bad_json(void)
{
	CHECK(json_valid("{\"a\":[1,2.5,-3e2,true,false,null,\"x\"]}"));
	CHECK(!json_valid("{\"a\":1,}"));
	CHECK(!json_valid("{\"a\" 1}"));
	CHECK(!json_valid("[01]"));
	CHECK(!json_valid("\"tab\there\""));
	CHECK(!json_valid("{} {}"));
	CHECK(!json_valid("[1."));
}

/* Fencing and split brain: decoded, and shown when they say something. */
static void status_fencing_split_brain(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_strz(nlh, HADISK_A_NODE_NAME, "alpha");
	mnl_attr_put_strz(nlh, HADISK_A_PEER_NODE_NAME, "beta");
	mnl_attr_put_u32(nlh, HADISK_A_NODE_ID, 3);
	mnl_attr_put_u32(nlh, HADISK_A_PEER_NODE_ID, 8);
	mnl_attr_put_u8(nlh, HADISK_A_ROLE, HADISK_ROLE_PRIMARY);
	mnl_attr_put_u8(nlh, HADISK_A_FENCING,
			HADISK_FENCING_RESOURCE_AND_STONITH);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_0PRI, HADISK_SB_DISCARD_NODE);
	mnl_attr_put_u32(nlh, HADISK_A_DISCARD_NODE_ID, 8);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_1PRI, HADISK_SB_CONSENSUS);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_2PRI, HADISK_SB_DISCONNECT);
	mnl_attr_put_u8(nlh, HADISK_A_IO_FROZEN, 1);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_FENCED, 1);
	mnl_attr_put_strz(nlh, HADISK_A_LAST_SAVE,
			  "/var/lib/hadisk/r0-alpha-1795000000.hdsave");
	decode(nlh, &st);
	CHECK(st.has_fencing);
	CHECK_EQ(st.fencing, HADISK_FENCING_RESOURCE_AND_STONITH);
	CHECK(st.io_frozen);
	CHECK(st.peer_fenced);
	CHECK_EQ(st.after_sb[1], HADISK_SB_CONSENSUS);
	CHECK_EQ(st.discard_node_id, 8);

	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\n  fencing:resource-and-stonith peer:fenced\n");
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\n  split-brain: after-sb-0pri:discard-node-beta after-sb-1pri:consensus after-sb-2pri:disconnect\n");
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\n  IO frozen: application IO waits for the fence-peer hook to succeed, the peer to reconnect, or 'hadiskctl resume-io r0'\n");
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\n  last discarded file: /var/lib/hadisk/r0-alpha-1795000000.hdsave\n");
	hd_buf_reset(&b);
	hd_status_brief(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), " io-frozen:yes peer-fenced:yes");
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"fencing\":\"resource-and-stonith\",\"io_frozen\":true,\"peer_fenced\":true,"
		       "\"after_sb_0pri\":\"discard-node-beta\",\"after_sb_1pri\":\"consensus\","
		       "\"after_sb_2pri\":\"disconnect\","
		       "\"last_discarded_file\":\"/var/lib/hadisk/r0-alpha-1795000000.hdsave\",");
	CHECK(json_valid(hd_buf_str(&b)));

	/* the defaults: nothing more in the text, the values in JSON */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r1");
	mnl_attr_put_u8(nlh, HADISK_A_FENCING, HADISK_FENCING_NONE);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_0PRI, HADISK_SB_DISCARD_NODE);
	mnl_attr_put_u32(nlh, HADISK_A_DISCARD_NODE_ID, 5);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_1PRI, HADISK_SB_DISCONNECT);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_2PRI, 99);
	mnl_attr_put_u8(nlh, HADISK_A_IO_FROZEN, 0);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_FENCED, 0);
	decode(nlh, &st);
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK(!strstr(hd_buf_str(&b), "fencing"));
	CHECK(!strstr(hd_buf_str(&b), "IO frozen"));
	CHECK(!strstr(hd_buf_str(&b), "last discarded"));
	/* an unknown node id and an unknown policy of a newer kernel */
	CHECK_CONTAINS(hd_buf_str(&b),
		       "  split-brain: after-sb-0pri:discard-node-id5 after-sb-1pri:disconnect after-sb-2pri:Unknown(99)\n");
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"fencing\":\"none\",\"io_frozen\":false,\"peer_fenced\":false,");
	hd_buf_free(&b);

	/* a wrong size is refused */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	mnl_attr_put_u32(nlh, HADISK_A_IO_FROZEN, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "HADISK_A_IO_FROZEN has the wrong size");
}

/*
 * A disk failure: the policy, the counters, and a Primary that on-io-error
 * detach made Diskless, its IO served by the peer or failing.
 */
static void status_on_io_error(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_strz(nlh, HADISK_A_PEER_NODE_NAME, "beta");
	mnl_attr_put_u32(nlh, HADISK_A_MINOR, 0);
	mnl_attr_put_u8(nlh, HADISK_A_ROLE, HADISK_ROLE_PRIMARY);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_ROLE, HADISK_ROLE_SECONDARY);
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_CONNECTED);
	mnl_attr_put_u8(nlh, HADISK_A_DISK_STATE, HADISK_DISK_DISKLESS);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_DISK_STATE, HADISK_DISK_UPTODATE);
	put_u64(nlh, HADISK_A_SIZE_BYTES, 268435456);
	mnl_attr_put_u32(nlh, HADISK_A_OPEN_COUNT, 1);
	mnl_attr_put_u8(nlh, HADISK_A_ON_IO_ERROR, HADISK_IOE_DETACH);
	put_u64(nlh, HADISK_A_LOCAL_IO_ERRORS, 2);
	put_u64(nlh, HADISK_A_REMOTE_READS, 5000000000ULL);
	mnl_attr_put_u8(nlh, HADISK_A_DETACHED_ON_ERROR, 1);
	decode(nlh, &st);
	CHECK(st.has_on_io_error);
	CHECK_EQ(st.on_io_error, HADISK_IOE_DETACH);
	CHECK_EQ(st.local_io_errors, 2);
	CHECK_EQ(st.remote_reads, 5000000000ULL);
	CHECK(st.detached_on_error);
	hd_status_text(&st, &b);
	CHECK_STR(hd_buf_str(&b),
		  "r0 role:Primary minor:0\n"
		  "  disk:Diskless size:256.0MiB open:1\n"
		  "  disk: detached after an I/O error of the backing device; IO is served by the peer; repair the disk (or replace it and run 'hadiskctl create-md r0'), then 'hadiskctl attach r0'\n"
		  "  on-io-error:detach local-io-errors:2 remote-reads:5000000000\n"
		  "  peer beta role:Secondary connection:Connected disk:UpToDate\n"
		  "    sent:0B received:0B pending:0 unacked:0 out-of-sync:0B\n");
	hd_buf_reset(&b);
	hd_status_brief(&st, &b);
	CHECK_STR(hd_buf_str(&b),
		  "role:Primary disk:Diskless connection:Connected peer-role:Secondary peer-disk:UpToDate detached-on-error:yes");
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"disk\":\"Diskless\",\"peer_disk\":\"UpToDate\","
		       "\"on_io_error\":\"detach\",\"local_io_errors\":2,"
		       "\"remote_reads\":5000000000,\"detached_on_error\":true,"
		       "\"protocol\":");
	CHECK(json_valid(hd_buf_str(&b)));

	/* the link lost too: IO fails */
	st.conn = HADISK_CONN_CONNECTING;
	st.peer_disk = HADISK_DISK_UNKNOWN;
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\n  disk: detached after an I/O error of the backing device; no UpToDate peer is connected: IO fails with EIO; repair the disk");
	/* connected to a peer that is not UpToDate: the same */
	st.conn = HADISK_CONN_CONNECTED;
	st.peer_disk = HADISK_DISK_INCONSISTENT;
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "no UpToDate peer is connected");

	/* pass_on, nothing counted, not detached: the policy alone */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r1");
	mnl_attr_put_u8(nlh, HADISK_A_ON_IO_ERROR, HADISK_IOE_PASS_ON);
	put_u64(nlh, HADISK_A_LOCAL_IO_ERRORS, 0);
	put_u64(nlh, HADISK_A_REMOTE_READS, 0);
	mnl_attr_put_u8(nlh, HADISK_A_DETACHED_ON_ERROR, 0);
	decode(nlh, &st);
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "  disk:Diskless\n  on-io-error:pass_on\n  peer ");
	CHECK(!strstr(hd_buf_str(&b), "detached"));
	hd_buf_reset(&b);
	hd_status_brief(&st, &b);
	CHECK(!strstr(hd_buf_str(&b), "detached"));
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "\"on_io_error\":\"pass_on\",\"local_io_errors\":0,\"remote_reads\":0,\"detached_on_error\":false,");
	/* call-local-io-error, and a policy of a newer kernel */
	st.on_io_error = HADISK_IOE_CALL_LOCAL_IO_ERROR;
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"on_io_error\":\"call-local-io-error\",");
	st.on_io_error = 9;
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "  on-io-error:Unknown(9)\n");
	hd_buf_free(&b);

	/* wrong sizes are refused */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	mnl_attr_put_u32(nlh, HADISK_A_ON_IO_ERROR, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err, "status attribute HADISK_A_ON_IO_ERROR has the wrong size");
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	mnl_attr_put_u32(nlh, HADISK_A_REMOTE_READS, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err, "status attribute HADISK_A_REMOTE_READS has the wrong size");
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	mnl_attr_put_u32(nlh, HADISK_A_LOCAL_IO_ERRORS, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err, "status attribute HADISK_A_LOCAL_IO_ERRORS has the wrong size");
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	mnl_attr_put_u32(nlh, HADISK_A_DETACHED_ON_ERROR, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_STR(err, "status attribute HADISK_A_DETACHED_ON_ERROR has the wrong size");
}

/* Peer authentication and the data digest: JSON always, text when set. */
/* "transport": tcp without the attribute; rdma shown in text too */
static void status_transport(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_PROTOCOL, HADISK_PROT_C);
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_CONNECTED);
	mnl_attr_put_u8(nlh, HADISK_A_TRANSPORT, HADISK_TRANSPORT_RDMA);
	decode(nlh, &st);
	CHECK_EQ(st.transport, HADISK_TRANSPORT_RDMA);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"protocol\":\"C\",\"transport\":\"rdma\",");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), " protocol:C transport:rdma\n");

	nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	mnl_attr_put_u8(nlh, HADISK_A_TRANSPORT, 7);
	decode(nlh, &st);
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"transport\":\"Unknown(7)\"");
	hd_buf_free(&b);
}

static void status_auth_digest(void)
{
	struct nlmsghdr *nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	struct hd_buf b = HD_BUF_INIT;
	struct hd_status st;

	mnl_attr_put_u8(nlh, HADISK_A_AUTH_ON, 1);
	put_u64(nlh, HADISK_A_AUTH_FAILURES, 3);
	mnl_attr_put_u8(nlh, HADISK_A_DATA_DIGEST, HADISK_DIGEST_CRC32C);
	put_u64(nlh, HADISK_A_DIGEST_ERRORS, 5000000000ULL);
	decode(nlh, &st);
	CHECK(st.auth_on);
	CHECK_EQ(st.auth_failures, 3);
	CHECK_EQ(st.data_digest, HADISK_DIGEST_CRC32C);
	CHECK_EQ(st.digest_errors, 5000000000ULL);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       ",\"last_discarded_file\":null,\"auth\":true,\"auth_failures\":3,"
		       "\"data_digest\":\"crc32c\",\"digest_errors\":5000000000,\"schema_version\":1}");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b),
		       "    sent:0B received:0B pending:0 unacked:0 out-of-sync:0B\n"
		       "    auth:on auth-failures:3 data-digest:crc32c digest-errors:5000000000\n");

	/* on, nothing counted: only what is on */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	mnl_attr_put_u8(nlh, HADISK_A_AUTH_ON, 1);
	put_u64(nlh, HADISK_A_AUTH_FAILURES, 0);
	mnl_attr_put_u8(nlh, HADISK_A_DATA_DIGEST, HADISK_DIGEST_NONE);
	decode(nlh, &st);
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "out-of-sync:0B\n    auth:on\n");
	CHECK(!strstr(hd_buf_str(&b), "digest"));

	/* off, but a peer with a secret was refused */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	mnl_attr_put_u8(nlh, HADISK_A_AUTH_ON, 0);
	put_u64(nlh, HADISK_A_AUTH_FAILURES, 2);
	decode(nlh, &st);
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "out-of-sync:0B\n    auth:off auth-failures:2\n");

	/* all off or 0: no line; a digest of a newer kernel is named so */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r0");
	mnl_attr_put_u8(nlh, HADISK_A_AUTH_ON, 0);
	put_u64(nlh, HADISK_A_AUTH_FAILURES, 0);
	mnl_attr_put_u8(nlh, HADISK_A_DATA_DIGEST, HADISK_DIGEST_NONE);
	put_u64(nlh, HADISK_A_DIGEST_ERRORS, 0);
	decode(nlh, &st);
	hd_buf_reset(&b);
	hd_status_text(&st, &b);
	CHECK(!strstr(hd_buf_str(&b), "auth"));
	CHECK(!strstr(hd_buf_str(&b), "digest"));
	st.data_digest = 7;
	hd_buf_reset(&b);
	hd_status_json(&st, false, &b);
	CHECK_CONTAINS(hd_buf_str(&b), "\"data_digest\":\"Unknown(7)\"");
	hd_buf_free(&b);

	/* a wrong size is refused */
	nlh = msg_start(HADISK_CMD_GET_STATUS, "r2");
	mnl_attr_put_u32(nlh, HADISK_A_AUTH_FAILURES, 1);
	CHECK_EQ(hd_status_decode(nlh, &st, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "HADISK_A_AUTH_FAILURES has the wrong size");
}

int main(void)
{
	RUN(status_decode_full);
	RUN(status_json_full);
	RUN(status_text_full);
	RUN(status_json_minimal);
	RUN(status_text_minimal);
	RUN(status_protocol_null_when_standalone);
	RUN(status_resync_without_rate);
	RUN(status_resync_limit);
	RUN(status_resync_only_while_syncing);
	RUN(status_resync_done_past_total);
	RUN(status_unknown_enum_values);
	RUN(status_metadata_partial);
	RUN(status_verify);
	RUN(status_verify_wrong_size);
	RUN(status_decode_wrong_size);
	RUN(status_decode_without_resource);
	RUN(status_decode_ignores_unknown_attrs);
	RUN(status_event_json);
	RUN(status_event_line);
	RUN(status_json_escaping);
	RUN(status_json_array);
	RUN(status_json_schema_version);
	RUN(status_fencing_split_brain);
	RUN(status_auth_digest);
	RUN(status_on_io_error);
	RUN(status_transport);
	RUN(jsoncheck_refuses_bad_json);
	return unit_exit();
}
