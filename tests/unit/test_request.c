// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the netlink requests (userspace/lib/request.c, nl.c):
 * each request is built into a buffer with libmnl and parsed back, and its
 * header, attributes, types and values checked against the contract of
 * uapi/linux/hadisk.h. Also the reading of the kernel's extended ACKs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "names.h"
#include "nl.h"
#include "request.h"
#include "unit.h"

#define FAMILY 0x1d

/* The attributes of a parsed message, by type. */
struct attrs {
	const struct nlattr *tb[HADISK_A_MAX + 1];
	int count;
	int unknown;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	uint16_t type = mnl_attr_get_type(a);

	at->count++;
	if (type > HADISK_A_MAX || at->tb[type])
		at->unknown++;
	else
		at->tb[type] = a;
	return MNL_CB_OK;
}

/* Checks the netlink and genetlink headers and parses the attributes. */
static void parse(const struct nlmsghdr *nlh, uint8_t cmd, uint16_t flags,
		  struct attrs *at)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	memset(at, 0, sizeof(*at));
	CHECK(mnl_nlmsg_ok(nlh, (int)nlh->nlmsg_len));
	CHECK(nlh->nlmsg_len <= HD_REQ_BUF_SIZE);
	CHECK_EQ(nlh->nlmsg_type, FAMILY);
	CHECK_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | flags);
	CHECK_EQ(genl->cmd, cmd);
	CHECK_EQ(genl->version, HADISK_GENL_VERSION);
	CHECK_EQ(mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, at), MNL_CB_OK);
	CHECK_EQ(at->unknown, 0);
}

static void check_str(const struct attrs *at, int type, const char *want)
{
	const struct nlattr *a = at->tb[type];

	CHECK(a != NULL);
	if (!a)
		return;
	/* NUL-terminated, as the kernel's NLA_NUL_STRING policy wants */
	CHECK_EQ(mnl_attr_validate(a, MNL_TYPE_NUL_STRING), 0);
	CHECK_EQ(mnl_attr_get_payload_len(a), strlen(want) + 1);
	CHECK_STR(mnl_attr_get_str(a), want);
}

static void check_u32(const struct attrs *at, int type, uint32_t want)
{
	const struct nlattr *a = at->tb[type];

	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ(mnl_attr_get_payload_len(a), 4);
	CHECK_EQ(mnl_attr_get_u32(a), want);
}

static void check_u16(const struct attrs *at, int type, uint16_t want)
{
	const struct nlattr *a = at->tb[type];

	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ(mnl_attr_get_payload_len(a), 2);
	CHECK_EQ(mnl_attr_get_u16(a), want);
}

static void check_u8(const struct attrs *at, int type, uint8_t want)
{
	const struct nlattr *a = at->tb[type];

	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ(mnl_attr_get_payload_len(a), 1);
	CHECK_EQ(mnl_attr_get_u8(a), want);
}

static void check_addr(const struct attrs *at, int type, int family,
		       const char *text)
{
	const struct nlattr *a = at->tb[type];
	uint8_t want[16];
	size_t len = family == AF_INET ? 4 : 16;

	CHECK(a != NULL);
	if (!a)
		return;
	CHECK_EQ(inet_pton(family, text, want), 1);
	CHECK_EQ(mnl_attr_get_payload_len(a), len);
	CHECK(!memcmp(mnl_attr_get_payload(a), want, len));
}

static struct hd_res_conf conf(const char *text)
{
	struct hd_res_conf rc;
	char err[512];

	memset(&rc, 0, sizeof(rc));
	if (hd_conf_parse(text, strlen(text), "t.conf", NULL, &rc, err,
			  sizeof(err))) {
		printf("  config: %s\n", err);
		unit_case_failed = 1;
	}
	return rc;
}

static const char conf4[] =
	"resource r0 {\n"
	"  protocol A;\n"
	"  net { ping-interval 3s; ack-timeout 250ms; }\n"
	"  on alpha { node-id 4; address 10.99.0.1:7789; disk /dev/ram0;\n"
	"             minor 7; }\n"
	"  on beta { node-id 9; address 10.99.0.2:7790; disk /dev/ram1;\n"
	"            minor 8; }\n"
	"}\n";

static const char conf6[] =
	"resource r6 {\n"
	"  on alpha { address [fd00::1]:7000; disk /dev/a; minor 0; }\n"
	"  on beta { address [fd00::2]:7001; disk /dev/b; minor 1; }\n"
	"}\n";

static char buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));

static void request_new_resource(void)
{
	struct hd_res_conf rc = conf(conf4);
	struct attrs at;

	parse(hd_req_new_resource(buf, FAMILY, &rc, 0),
	      HADISK_CMD_NEW_RESOURCE, NLM_F_ACK, &at);
	CHECK_EQ(at.count, 5);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	check_u32(&at, HADISK_A_NODE_ID, 4);
	check_u32(&at, HADISK_A_PEER_NODE_ID, 9);
	check_str(&at, HADISK_A_NODE_NAME, "alpha");
	check_str(&at, HADISK_A_PEER_NODE_NAME, "beta");
}

/* The same file on the other node: local and peer swap. */
static void request_new_resource_other_node(void)
{
	struct hd_res_conf rc = conf(conf4);
	struct attrs at;

	parse(hd_req_new_resource(buf, FAMILY, &rc, 1),
	      HADISK_CMD_NEW_RESOURCE, NLM_F_ACK, &at);
	check_u32(&at, HADISK_A_NODE_ID, 9);
	check_u32(&at, HADISK_A_PEER_NODE_ID, 4);
	check_str(&at, HADISK_A_NODE_NAME, "beta");
	check_str(&at, HADISK_A_PEER_NODE_NAME, "alpha");
}

static void request_attach(void)
{
	struct hd_res_conf rc = conf(conf4);
	struct attrs at;

	parse(hd_req_attach(buf, FAMILY, &rc, 1), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 5);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	check_u32(&at, HADISK_A_MINOR, 8);
	check_str(&at, HADISK_A_BACKING_DEV, "/dev/ram1");
	/* meta-disk left out of the file is internal */
	check_str(&at, HADISK_A_META_DEV, "internal");
	/* no disk section: the kernel's al-extents */
	CHECK(!at.tb[HADISK_A_AL_EXTENTS]);
	/* ... but on-io-error is always sent: detach, the default */
	check_u8(&at, HADISK_A_ON_IO_ERROR, HADISK_IOE_DETACH);
}

static const char conf_meta[] =
	"resource r0 {\n"
	"  disk { al-extents 500; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7;\n"
	"             meta-disk /dev/sdz1; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8;\n"
	"            meta-disk none; }\n"
	"}\n";

/* External metadata, none, and the disk section's al-extents. */
static void request_attach_meta(void)
{
	struct hd_res_conf rc = conf(conf_meta);
	struct attrs at;

	parse(hd_req_attach(buf, FAMILY, &rc, 0), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 6);
	check_str(&at, HADISK_A_BACKING_DEV, "/dev/ram0");
	check_str(&at, HADISK_A_META_DEV, "/dev/sdz1");
	check_u32(&at, HADISK_A_AL_EXTENTS, 500);
	/* meta-disk none: no HADISK_A_META_DEV, memory-only bitmap */
	parse(hd_req_attach(buf, FAMILY, &rc, 1), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 5);
	check_str(&at, HADISK_A_BACKING_DEV, "/dev/ram1");
	CHECK(!at.tb[HADISK_A_META_DEV]);
	check_u32(&at, HADISK_A_AL_EXTENTS, 500);
}

static const char conf_ioe[] =
	"resource r0 {\n"
	"  disk { on-io-error %s; }\n"
	"  handlers { local-io-error /usr/sbin/lie; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

/*
 * The disk section's on-io-error: ATTACH's (a u8, HADISK_IOE_*), on both
 * nodes; not CONNECT's (the local-io-error hook is).
 */
static void request_attach_on_io_error(void)
{
	static const struct {
		const char *name;
		uint8_t v;
	} cases[] = {
		{ "detach", HADISK_IOE_DETACH },
		{ "pass_on", HADISK_IOE_PASS_ON },
		{ "call-local-io-error", HADISK_IOE_CALL_LOCAL_IO_ERROR },
	};
	char text[sizeof(conf_ioe) + 32];
	struct hd_res_conf rc;
	struct attrs at;
	size_t i;
	int local;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), conf_ioe, cases[i].name);
		rc = conf(text);
		for (local = 0; local < 2; local++) {
			parse(hd_req_attach(buf, FAMILY, &rc, local),
			      HADISK_CMD_ATTACH, NLM_F_ACK, &at);
			CHECK_EQ(at.count, 5);
			check_u8(&at, HADISK_A_ON_IO_ERROR, cases[i].v);
		}
		parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL),
		      HADISK_CMD_CONNECT, NLM_F_ACK, &at);
		CHECK(!at.tb[HADISK_A_ON_IO_ERROR]);
		check_str(&at, HADISK_A_HOOK_LOCAL_IO_ERROR, "/usr/sbin/lie");
	}
}

static void request_connect_ipv4(void)
{
	struct hd_res_conf rc = conf(conf4);
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	/* resource, 2 addresses, 2 ports, protocol, the 2 durations set */
	CHECK_EQ(at.count, 8);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	check_addr(&at, HADISK_A_LOCAL_ADDR, AF_INET, "10.99.0.1");
	check_addr(&at, HADISK_A_PEER_ADDR, AF_INET, "10.99.0.2");
	check_u16(&at, HADISK_A_LOCAL_PORT, 7789);
	check_u16(&at, HADISK_A_PEER_PORT, 7790);
	check_u8(&at, HADISK_A_PROTOCOL, HADISK_PROT_A);
	check_u32(&at, HADISK_A_PING_INTERVAL_MS, 3000);
	check_u32(&at, HADISK_A_ACK_TIMEOUT_MS, 250);
	CHECK(!at.tb[HADISK_A_PING_TIMEOUT_MS]);
	CHECK(!at.tb[HADISK_A_CONNECT_INTERVAL_MS]);
	/* no disk section: the kernel's resync rates */
	CHECK(!at.tb[HADISK_A_RESYNC_RATE_MIN_KIB]);
	CHECK(!at.tb[HADISK_A_RESYNC_RATE_MAX_KIB]);
	/* no checksum-resync in the file: the kernel's default */
	CHECK(!at.tb[HADISK_A_CSUM_RESYNC]);
}

static const char conf_rates[] =
	"resource r0 {\n"
	"  disk { al-extents 500; resync-rate-min 50M; resync-rate-max 2G; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

static const char conf_rate_max[] =
	"resource r0 {\n"
	"  disk { resync-rate-max 100G; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

/* The disk section's resync rates go in CONNECT, in KiB/s, if set. */
static void request_connect_resync_rates(void)
{
	struct hd_res_conf rc = conf(conf_rates);
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	/* resource, 2 addresses, 2 ports, protocol, the 2 rates */
	CHECK_EQ(at.count, 8);
	check_u32(&at, HADISK_A_RESYNC_RATE_MIN_KIB, 50 * 1024);
	check_u32(&at, HADISK_A_RESYNC_RATE_MAX_KIB, 2 * 1024 * 1024);
	/* the disk section's al-extents is ATTACH's, not CONNECT's */
	CHECK(!at.tb[HADISK_A_AL_EXTENTS]);
	/* ... and the rates are CONNECT's, not ATTACH's */
	parse(hd_req_attach(buf, FAMILY, &rc, 0), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	check_u32(&at, HADISK_A_AL_EXTENTS, 500);
	CHECK(!at.tb[HADISK_A_RESYNC_RATE_MIN_KIB]);
	CHECK(!at.tb[HADISK_A_RESYNC_RATE_MAX_KIB]);

	/* only the one set: the kernel's default for the other */
	rc = conf(conf_rate_max);
	parse(hd_req_connect(buf, FAMILY, &rc, 1, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 7);
	CHECK(!at.tb[HADISK_A_RESYNC_RATE_MIN_KIB]);
	check_u32(&at, HADISK_A_RESYNC_RATE_MAX_KIB, 100 * 1024 * 1024);
}

static const char conf_csum_yes[] =
	"resource r0 {\n"
	"  net { checksum-resync yes; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

static const char conf_csum_no[] =
	"resource r0 {\n"
	"  net { ping-timeout 3s; checksum-resync no; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

/* checksum-resync goes in CONNECT as a u8, 0 or 1, when the file sets it. */
static void request_connect_csum_resync(void)
{
	struct hd_res_conf rc = conf(conf_csum_yes);
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	/* resource, 2 addresses, 2 ports, protocol, checksum-resync */
	CHECK_EQ(at.count, 7);
	check_u8(&at, HADISK_A_CSUM_RESYNC, 1);
	/* the same on the other node */
	parse(hd_req_connect(buf, FAMILY, &rc, 1, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	check_u8(&at, HADISK_A_CSUM_RESYNC, 1);
	/* CONNECT's only */
	parse(hd_req_attach(buf, FAMILY, &rc, 0), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_CSUM_RESYNC]);
	parse(hd_req_new_resource(buf, FAMILY, &rc, 0),
	      HADISK_CMD_NEW_RESOURCE, NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_CSUM_RESYNC]);

	/* "no" written in the file is sent as 0 */
	rc = conf(conf_csum_no);
	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 8);
	check_u8(&at, HADISK_A_CSUM_RESYNC, 0);
	check_u32(&at, HADISK_A_PING_TIMEOUT_MS, 3000);
}

static const char conf_auth[] =
	"resource r0 {\n"
	"  net { shared-secret \"open sesame\"; cram-hmac-alg sha1;\n"
	"        data-integrity-alg crc32c; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

static const char conf_auth_default[] =
	"resource r0 {\n"
	"  net { shared-secret s3cr3t; data-integrity-alg none; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

/*
 * The secret goes in CONNECT as its bytes without a NUL, with the alg
 * (sha256 when the file names none); the digest as a u8 when set.
 */
static void request_connect_auth(void)
{
	struct hd_res_conf rc = conf(conf_auth);
	const struct nlattr *a;
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	/* resource, 2 addresses, 2 ports, protocol, secret, alg, digest */
	CHECK_EQ(at.count, 9);
	a = at.tb[HADISK_A_SHARED_SECRET];
	CHECK(a != NULL);
	if (a) {
		CHECK_EQ(mnl_attr_get_payload_len(a), strlen("open sesame"));
		CHECK(!memcmp(mnl_attr_get_payload(a), "open sesame", 11));
	}
	check_str(&at, HADISK_A_HMAC_ALG, "sha1");
	check_u8(&at, HADISK_A_DATA_DIGEST, HADISK_DIGEST_CRC32C);
	/* CONNECT's only */
	parse(hd_req_attach(buf, FAMILY, &rc, 0), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_SHARED_SECRET]);
	parse(hd_req_new_resource(buf, FAMILY, &rc, 0),
	      HADISK_CMD_NEW_RESOURCE, NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_SHARED_SECRET]);

	rc = conf(conf_auth_default);
	parse(hd_req_connect(buf, FAMILY, &rc, 1, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 9);
	a = at.tb[HADISK_A_SHARED_SECRET];
	CHECK(a != NULL);
	if (a) {
		CHECK_EQ(mnl_attr_get_payload_len(a), 6);
		CHECK(!memcmp(mnl_attr_get_payload(a), "s3cr3t", 6));
	}
	check_str(&at, HADISK_A_HMAC_ALG, "sha256");
	check_u8(&at, HADISK_A_DATA_DIGEST, HADISK_DIGEST_NONE);

	/* none of them without the keys */
	rc = conf(conf4);
	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_SHARED_SECRET]);
	CHECK(!at.tb[HADISK_A_HMAC_ALG]);
	CHECK(!at.tb[HADISK_A_DATA_DIGEST]);
}

/* transport: sent when the file sets it (tcp too), not otherwise */
static void request_connect_transport(void)
{
	static const char rdma[] =
		"resource r0 {\n  net { transport rdma; }\n"
		"  on alpha { node-id 0; address 10.0.0.1:7789; disk /dev/sdb; minor 0; }\n"
		"  on beta { node-id 1; address 10.0.0.2:7789; disk /dev/sdb; minor 0; }\n"
		"}\n";
	struct hd_res_conf rc = conf(rdma);
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	check_u8(&at, HADISK_A_TRANSPORT, HADISK_TRANSPORT_RDMA);
	rc.transport = HADISK_TRANSPORT_TCP;
	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	check_u8(&at, HADISK_A_TRANSPORT, HADISK_TRANSPORT_TCP);
	rc = conf(conf4);
	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_TRANSPORT]);
}

static const char conf_ha[] =
	"resource r0 {\n"
	"  net { after-sb-0pri discard-node-beta; after-sb-1pri consensus;\n"
	"        after-sb-2pri call-pri-lost-after-sb; }\n"
	"  disk { fencing resource-and-stonith; }\n"
	"  handlers {\n"
	"    fence-peer /usr/sbin/fence;\n"
	"    unfence-peer /usr/sbin/unfence;\n"
	"    split-brain /usr/sbin/sb;\n"
	"    pri-lost-after-sb /usr/sbin/pl;\n"
	"    before-resync-target /usr/sbin/brt;\n"
	"    after-resync-target /usr/sbin/art;\n"
	"    local-io-error /usr/sbin/lie;\n"
	"    hook-timeout 15s;\n"
	"    discarded-dir /srv/saved;\n"
	"  }\n"
	"  on alpha { node-id 2; address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { node-id 5; address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

static const char conf_ha_some[] =
	"resource r0 {\n"
	"  net { after-sb-1pri discard-secondary; }\n"
	"  disk { fencing none; }\n"
	"  handlers { split-brain /usr/sbin/sb; }\n"
	"  on alpha { address 10.99.0.1:7789; disk /dev/ram0; minor 7; }\n"
	"  on beta { address 10.99.0.2:7790; disk /dev/ram1; minor 8; }\n"
	"}\n";

/* The split-brain, fencing and handlers settings go in CONNECT. */
static void request_connect_ha(void)
{
	static const struct hd_connect_opts helper = {
		"/usr/local/sbin/hadiskctl", false
	};
	static const struct hd_connect_opts victim = { NULL, true };
	struct hd_res_conf rc = conf(conf_ha);
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 0, &helper), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	/* 6 always, 3 policies, discard node, fencing, 7 hooks, timeout,
	 * save dir, save helper */
	CHECK_EQ(at.count, 21);
	check_u8(&at, HADISK_A_AFTER_SB_0PRI, HADISK_SB_DISCARD_NODE);
	check_u8(&at, HADISK_A_AFTER_SB_1PRI, HADISK_SB_CONSENSUS);
	check_u8(&at, HADISK_A_AFTER_SB_2PRI, HADISK_SB_CALL_PRI_LOST);
	check_u32(&at, HADISK_A_DISCARD_NODE_ID, 5);
	check_u8(&at, HADISK_A_FENCING, HADISK_FENCING_RESOURCE_AND_STONITH);
	check_str(&at, HADISK_A_HOOK_FENCE_PEER, "/usr/sbin/fence");
	check_str(&at, HADISK_A_HOOK_UNFENCE_PEER, "/usr/sbin/unfence");
	check_str(&at, HADISK_A_HOOK_SPLIT_BRAIN, "/usr/sbin/sb");
	check_str(&at, HADISK_A_HOOK_PRI_LOST_AFTER_SB, "/usr/sbin/pl");
	check_str(&at, HADISK_A_HOOK_BEFORE_RESYNC_TARGET, "/usr/sbin/brt");
	check_str(&at, HADISK_A_HOOK_AFTER_RESYNC_TARGET, "/usr/sbin/art");
	check_str(&at, HADISK_A_HOOK_LOCAL_IO_ERROR, "/usr/sbin/lie");
	check_u32(&at, HADISK_A_HOOK_TIMEOUT_MS, 15000);
	check_str(&at, HADISK_A_SAVE_DIR, "/srv/saved");
	check_str(&at, HADISK_A_SAVE_HELPER, "/usr/local/sbin/hadiskctl");
	CHECK(!at.tb[HADISK_A_DISCARD_MY_DATA]);
	/* the other node sends the same policies: the same node to discard */
	parse(hd_req_connect(buf, FAMILY, &rc, 1, &victim), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 21);
	check_u32(&at, HADISK_A_DISCARD_NODE_ID, 5);
	CHECK(!at.tb[HADISK_A_SAVE_HELPER]);
	CHECK(at.tb[HADISK_A_DISCARD_MY_DATA] != NULL);
	if (at.tb[HADISK_A_DISCARD_MY_DATA])
		CHECK_EQ(mnl_attr_get_payload_len(at.tb[HADISK_A_DISCARD_MY_DATA]),
			 0);
	/* CONNECT's only */
	parse(hd_req_attach(buf, FAMILY, &rc, 0), HADISK_CMD_ATTACH,
	      NLM_F_ACK, &at);
	CHECK(!at.tb[HADISK_A_FENCING]);
	CHECK(!at.tb[HADISK_A_HOOK_FENCE_PEER]);

	/* only what the file sets; "fencing none;" is sent too */
	rc = conf(conf_ha_some);
	parse(hd_req_connect(buf, FAMILY, &rc, 0, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 9);
	check_u8(&at, HADISK_A_AFTER_SB_1PRI, HADISK_SB_DISCARD_SECONDARY);
	CHECK(!at.tb[HADISK_A_AFTER_SB_0PRI]);
	CHECK(!at.tb[HADISK_A_AFTER_SB_2PRI]);
	CHECK(!at.tb[HADISK_A_DISCARD_NODE_ID]);
	check_u8(&at, HADISK_A_FENCING, HADISK_FENCING_NONE);
	check_str(&at, HADISK_A_HOOK_SPLIT_BRAIN, "/usr/sbin/sb");
	CHECK(!at.tb[HADISK_A_HOOK_FENCE_PEER]);
	CHECK(!at.tb[HADISK_A_HOOK_TIMEOUT_MS]);
	CHECK(!at.tb[HADISK_A_SAVE_DIR]);
}

static void request_connect_ipv6(void)
{
	struct hd_res_conf rc = conf(conf6);
	struct attrs at;

	parse(hd_req_connect(buf, FAMILY, &rc, 1, NULL), HADISK_CMD_CONNECT,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 6);
	check_str(&at, HADISK_A_RESOURCE, "r6");
	check_addr(&at, HADISK_A_LOCAL_ADDR, AF_INET6, "fd00::2");
	check_addr(&at, HADISK_A_PEER_ADDR, AF_INET6, "fd00::1");
	check_u16(&at, HADISK_A_LOCAL_PORT, 7001);
	check_u16(&at, HADISK_A_PEER_PORT, 7000);
	check_u8(&at, HADISK_A_PROTOCOL, HADISK_PROT_C);
}

static void request_resource_only(void)
{
	static const uint8_t cmds[] = {
		HADISK_CMD_DEL_RESOURCE, HADISK_CMD_DETACH,
		HADISK_CMD_DISCONNECT, HADISK_CMD_SECONDARY,
		HADISK_CMD_GET_STATUS, HADISK_CMD_INVALIDATE,
		HADISK_CMD_INVALIDATE_REMOTE,
	};
	struct attrs at;
	size_t i;

	for (i = 0; i < sizeof(cmds); i++) {
		parse(hd_req_resource(buf, FAMILY, cmds[i], "res.1_a-b"),
		      cmds[i], NLM_F_ACK, &at);
		CHECK_EQ(at.count, 1);
		check_str(&at, HADISK_A_RESOURCE, "res.1_a-b");
	}
}

static void request_primary(void)
{
	struct attrs at;

	parse(hd_req_primary(buf, FAMILY, "r0", false), HADISK_CMD_PRIMARY,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 1);
	CHECK(!at.tb[HADISK_A_FORCE]);
	parse(hd_req_primary(buf, FAMILY, "r0", true), HADISK_CMD_PRIMARY,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 2);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	CHECK(at.tb[HADISK_A_FORCE] != NULL);
	if (at.tb[HADISK_A_FORCE])
		CHECK_EQ(mnl_attr_get_payload_len(at.tb[HADISK_A_FORCE]), 0);
}

static void request_new_current_uuid(void)
{
	struct attrs at;

	parse(hd_req_new_current_uuid(buf, FAMILY, "r0", false),
	      HADISK_CMD_NEW_CURRENT_UUID, NLM_F_ACK, &at);
	CHECK_EQ(at.count, 1);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	CHECK(!at.tb[HADISK_A_CLEAR_BITMAP]);
	parse(hd_req_new_current_uuid(buf, FAMILY, "r0", true),
	      HADISK_CMD_NEW_CURRENT_UUID, NLM_F_ACK, &at);
	CHECK_EQ(at.count, 2);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	CHECK(at.tb[HADISK_A_CLEAR_BITMAP] != NULL);
	if (at.tb[HADISK_A_CLEAR_BITMAP])
		CHECK_EQ(mnl_attr_get_payload_len(at.tb[HADISK_A_CLEAR_BITMAP]),
			 0);
}

static void request_verify(void)
{
	struct attrs at;

	parse(hd_req_verify(buf, FAMILY, "r0", false), HADISK_CMD_VERIFY,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 1);
	check_str(&at, HADISK_A_RESOURCE, "r0");
	CHECK(!at.tb[HADISK_A_VERIFY_RESYNC]);
	parse(hd_req_verify(buf, FAMILY, "res.1_a-b", true), HADISK_CMD_VERIFY,
	      NLM_F_ACK, &at);
	CHECK_EQ(at.count, 2);
	check_str(&at, HADISK_A_RESOURCE, "res.1_a-b");
	CHECK(at.tb[HADISK_A_VERIFY_RESYNC] != NULL);
	if (at.tb[HADISK_A_VERIFY_RESYNC])
		CHECK_EQ(mnl_attr_get_payload_len(at.tb[HADISK_A_VERIFY_RESYNC]),
			 0);
	CHECK_STR(hd_cmd_name(HADISK_CMD_VERIFY), "VERIFY");
}

static void request_status_dump(void)
{
	struct attrs at;

	parse(hd_req_status_dump(buf, FAMILY), HADISK_CMD_GET_STATUS,
	      NLM_F_DUMP, &at);
	CHECK_EQ(at.count, 0);
}

/* The longest names and paths the parser lets through still fit. */
static void request_longest_values_fit(void)
{
	struct hd_res_conf rc;
	struct nlmsghdr *nlh;
	struct attrs at;

	memset(&rc, 0, sizeof(rc));
	memset(rc.name, 'r', sizeof(rc.name) - 1);
	memset(rc.nodes[0].name, 'a', sizeof(rc.nodes[0].name) - 1);
	memset(rc.nodes[1].name, 'b', sizeof(rc.nodes[1].name) - 1);
	memset(rc.nodes[0].disk, 'd', sizeof(rc.nodes[0].disk) - 1);
	rc.nodes[0].meta = HD_META_DEVICE;
	memset(rc.nodes[0].meta_dev, 'm', sizeof(rc.nodes[0].meta_dev) - 1);
	rc.al_extents = 1000;
	nlh = hd_req_new_resource(buf, FAMILY, &rc, 0);
	parse(nlh, HADISK_CMD_NEW_RESOURCE, NLM_F_ACK, &at);
	check_str(&at, HADISK_A_RESOURCE, rc.name);
	nlh = hd_req_attach(buf, FAMILY, &rc, 0);
	parse(nlh, HADISK_CMD_ATTACH, NLM_F_ACK, &at);
	check_str(&at, HADISK_A_BACKING_DEV, rc.nodes[0].disk);
	check_str(&at, HADISK_A_META_DEV, rc.nodes[0].meta_dev);
	check_u32(&at, HADISK_A_AL_EXTENTS, 1000);

	/* CONNECT with every hook, the save dir and helper at their longest */
	{
		char helper[HADISK_PATH_MAX];
		struct hd_connect_opts o = { helper, true };
		int h;

		memset(helper, 'x', sizeof(helper) - 1);
		helper[sizeof(helper) - 1] = '\0';
		for (h = 0; h < HD_HOOK_NR; h++) {
			memset(rc.hooks[h], 'a' + h, HADISK_PATH_MAX - 1);
			rc.hook_line[h] = 1;
		}
		memset(rc.save_dir, 's', sizeof(rc.save_dir) - 1);
		rc.save_dir_line = 1;
		rc.hook_timeout_ms = 600000;
		rc.fencing_line = rc.after_sb_line[0] = 1;
		rc.after_sb[0] = HADISK_SB_DISCARD_NODE;
		memset(rc.shared_secret, 'k', HD_CONF_SECRET_MAX);
		rc.shared_secret_len = HD_CONF_SECRET_MAX;
		rc.shared_secret_line = rc.hmac_alg_line = 1;
		strcpy(rc.hmac_alg, "sha512");
		rc.data_digest_line = 1;
		rc.data_digest = HADISK_DIGEST_CRC32C;
		nlh = hd_req_connect(buf, FAMILY, &rc, 0, &o);
		CHECK(nlh->nlmsg_len <= HD_REQ_BUF_SIZE);
		parse(nlh, HADISK_CMD_CONNECT, NLM_F_ACK, &at);
		check_str(&at, HADISK_A_HOOK_LOCAL_IO_ERROR,
			  rc.hooks[HD_HOOK_LOCAL_IO_ERROR]);
		check_str(&at, HADISK_A_SAVE_DIR, rc.save_dir);
		check_str(&at, HADISK_A_SAVE_HELPER, helper);
		CHECK(at.tb[HADISK_A_DISCARD_MY_DATA] != NULL);
		CHECK(at.tb[HADISK_A_SHARED_SECRET] != NULL);
		check_str(&at, HADISK_A_HMAC_ALG, "sha512");
		check_u8(&at, HADISK_A_DATA_DIGEST, HADISK_DIGEST_CRC32C);
	}
}

/* An NLMSG_ERROR as the kernel builds it, for the request req. */
static struct nlmsghdr *error_msg(void *mem, const struct nlmsghdr *req,
				  int error, bool capped, const char *msg,
				  int offs, int missing)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mem);
	struct nlmsgerr *e;
	size_t copy = capped ? sizeof(*req) : req->nlmsg_len;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(e->error) + copy);
	e->error = error;
	memcpy(&e->msg, req, copy);
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	if (missing >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE,
				 (uint32_t)missing);
	return nlh;
}

/* Offset of attribute type in req, as NLMSGERR_ATTR_OFFS gives it. */
static int offset_of(const struct nlmsghdr *req, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, req, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return (int)((const char *)a - (const char *)req);
	return -1;
}

static void extack_capped(void)
{
	struct hd_res_conf rc = conf(conf4);
	char mem[8192] __attribute__((aligned(8)));
	struct hd_nl *nl = calloc(1, sizeof(*nl));
	struct nlmsghdr *req = hd_req_attach(buf, FAMILY, &rc, 0);

	nl->req = req;
	hd_nl_clear_extack(nl);
	CHECK_EQ(hd_nl_parse_error(nl, error_msg(mem, req, -EBUSY, true,
						 "minor 7 is taken",
						 offset_of(req, HADISK_A_MINOR),
						 -1)), -EBUSY);
	CHECK_STR(nl->ext_msg, "minor 7 is taken");
	CHECK_EQ(nl->ext_attr, HADISK_A_MINOR);
	CHECK_STR(hd_attr_name((unsigned int)nl->ext_attr), "HADISK_A_MINOR");
	CHECK_EQ(nl->ext_missing, -1);
	free(nl);
}

static void extack_uncapped(void)
{
	struct hd_res_conf rc = conf(conf4);
	char mem[8192] __attribute__((aligned(8)));
	struct hd_nl *nl = calloc(1, sizeof(*nl));
	struct nlmsghdr *req = hd_req_connect(buf, FAMILY, &rc, 0, NULL);

	nl->req = req;
	hd_nl_clear_extack(nl);
	CHECK_EQ(hd_nl_parse_error(nl, error_msg(mem, req, -EINVAL, false,
						 "bad port",
						 offset_of(req,
							   HADISK_A_PEER_PORT),
						 HADISK_A_PEER_ADDR)), -EINVAL);
	CHECK_STR(nl->ext_msg, "bad port");
	CHECK_EQ(nl->ext_attr, HADISK_A_PEER_PORT);
	CHECK_EQ(nl->ext_missing, HADISK_A_PEER_ADDR);
	free(nl);
}

static void extack_plain_ack(void)
{
	char mem[8192] __attribute__((aligned(8)));
	struct hd_nl *nl = calloc(1, sizeof(*nl));
	struct nlmsghdr *req = hd_req_resource(buf, FAMILY,
					       HADISK_CMD_DETACH, "r0");

	nl->req = req;
	hd_nl_clear_extack(nl);
	CHECK_EQ(hd_nl_parse_error(nl, error_msg(mem, req, 0, true, NULL, -1,
						 -1)), 0);
	CHECK_STR(nl->ext_msg, "");
	CHECK_EQ(nl->ext_attr, -1);
	/* an offset outside the request names no attribute */
	CHECK_EQ(hd_nl_parse_error(nl, error_msg(mem, req, -EPERM, true, NULL,
						 100000, -1)), -EPERM);
	CHECK_EQ(nl->ext_attr, -1);
	free(nl);
}

static void names_complete(void)
{
	unsigned int i;

	for (i = 0; i <= HADISK_A_MAX; i++)
		CHECK(hd_attr_name(i) != NULL);
	for (i = 0; i <= HADISK_CMD_MAX; i++)
		CHECK(hd_cmd_name(i) != NULL);
	CHECK(hd_attr_name(HADISK_A_MAX + 1) == NULL);
	CHECK_STR(hd_cmd_name(HADISK_CMD_NEW_RESOURCE), "NEW_RESOURCE");
	CHECK_STR(hd_role_name(HADISK_ROLE_PRIMARY), "Primary");
	CHECK_STR(hd_role_name(HADISK_ROLE_SECONDARY), "Secondary");
	CHECK_STR(hd_role_name(HADISK_ROLE_UNKNOWN), "Unknown");
	CHECK_STR(hd_conn_name(HADISK_CONN_STANDALONE), "StandAlone");
	CHECK_STR(hd_conn_name(HADISK_CONN_CONNECTING), "Connecting");
	CHECK_STR(hd_conn_name(HADISK_CONN_CONNECTED), "Connected");
	CHECK_STR(hd_conn_name(HADISK_CONN_SYNC_SOURCE), "SyncSource");
	CHECK_STR(hd_conn_name(HADISK_CONN_SYNC_TARGET), "SyncTarget");
	CHECK_STR(hd_conn_name(HADISK_CONN_DISCONNECTING), "Disconnecting");
	CHECK_STR(hd_disk_name(HADISK_DISK_DISKLESS), "Diskless");
	CHECK_STR(hd_disk_name(HADISK_DISK_INCONSISTENT), "Inconsistent");
	CHECK_STR(hd_disk_name(HADISK_DISK_OUTDATED), "Outdated");
	CHECK_STR(hd_disk_name(HADISK_DISK_UNKNOWN), "DUnknown");
	CHECK_STR(hd_disk_name(HADISK_DISK_UPTODATE), "UpToDate");
	CHECK(hd_disk_name(HADISK_DISK_UPTODATE + 1) == NULL);
	CHECK_EQ(hd_protocol_from_name("A"), HADISK_PROT_A);
	CHECK_EQ(hd_protocol_from_name("C"), HADISK_PROT_C);
	CHECK_EQ(hd_protocol_from_name("D"), -1);
	CHECK_EQ(hd_conn_from_name("SyncTarget"), HADISK_CONN_SYNC_TARGET);
	CHECK_EQ(hd_disk_from_name("DUnknown"), HADISK_DISK_UNKNOWN);
	CHECK_EQ(hd_role_from_name("primary"), -1);
	CHECK_STR(hd_digest_name(HADISK_DIGEST_NONE), "none");
	CHECK_STR(hd_digest_name(HADISK_DIGEST_CRC32C), "crc32c");
	CHECK(hd_digest_name(HADISK_DIGEST_CRC32C + 1) == NULL);
	CHECK_EQ(hd_digest_from_name("crc32c"), HADISK_DIGEST_CRC32C);
	CHECK_EQ(hd_digest_from_name("md5"), -1);
	CHECK_STR(hd_attr_name(HADISK_A_SHARED_SECRET),
		  "HADISK_A_SHARED_SECRET");
	CHECK_STR(hd_attr_name(HADISK_A_DIGEST_ERRORS),
		  "HADISK_A_DIGEST_ERRORS");
}

int main(void)
{
	RUN(request_new_resource);
	RUN(request_new_resource_other_node);
	RUN(request_attach);
	RUN(request_attach_meta);
	RUN(request_attach_on_io_error);
	RUN(request_connect_ipv4);
	RUN(request_connect_ipv6);
	RUN(request_connect_resync_rates);
	RUN(request_connect_csum_resync);
	RUN(request_connect_ha);
	RUN(request_connect_auth);
	RUN(request_connect_transport);
	RUN(request_resource_only);
	RUN(request_primary);
	RUN(request_new_current_uuid);
	RUN(request_verify);
	RUN(request_status_dump);
	RUN(request_longest_values_fit);
	RUN(extack_capped);
	RUN(extack_uncapped);
	RUN(extack_plain_ack);
	RUN(names_complete);
	return unit_exit();
}
