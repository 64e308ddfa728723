// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of hadiskd's pure logic: the datagram's layout, encoding and
 * decoding (hbproto.c), the witness's lease rules (lease.c), the promotion
 * policy and the path/peer liveness rules (policy.c), and the parser of
 * hadiskd.conf (dconf.c) with its error messages.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32c.h"
#include "dconf.h"
#include "hbproto.h"
#include "lease.h"
#include "policy.h"
#include "siphash.h"
#include "unit.h"
#include "uapi/linux/hadisk.h"

static void fill(struct hd_hb_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = HD_HB_HEARTBEAT;
	m->nres = 2;
	m->seq = 0x0102030405060708ull;
	m->tx_us = 1000001;
	m->echo_us = 999;
	m->echo_delay_us = 77;
	m->req_id = 0xabcdef01;
	strcpy(m->node, "alpha");
	strcpy(m->subject, "r0");
	m->op = HD_HB_OP_PROMOTE;
	m->lease_ms = 3000;
	strcpy(m->text, "hello");
	strcpy(m->res[0].name, "r0");
	m->res[0].role = HADISK_ROLE_PRIMARY;
	m->res[0].disk = HADISK_DISK_UPTODATE;
	m->res[0].flags = HD_HB_RES_ACTIVE;
	m->res[0].conn = HADISK_CONN_CONNECTED;
	strcpy(m->res[1].name, "r1");
	m->res[1].role = HADISK_ROLE_SECONDARY;
}

static void hb_layout(void)
{
	struct hd_hb_msg m, d;
	uint8_t buf[HD_HB_SIZE];
	const char *why = NULL;
	uint32_t be;
	uint64_t be64;

	fill(&m);
	hd_hb_encode(&m, NULL, buf);
	CHECK(!memcmp(buf, "HDHB", 4));		/* magic 0x48444842 */
	CHECK_EQ(buf[4], HD_HB_VERSION);
	CHECK_EQ(buf[5], HD_HB_HEARTBEAT);
	CHECK_EQ(buf[6], 2);
	memcpy(&be64, buf + 8, 8);
	CHECK(be64toh(be64) == 0x0102030405060708ull);
	memcpy(&be, buf + 36, 4);
	CHECK(be32toh(be) == 0xabcdef01);
	CHECK_STR((char *)buf + 40, "alpha");
	CHECK_STR((char *)buf + 72, "r0");
	CHECK_EQ(buf[104], HD_HB_OP_PROMOTE);
	memcpy(&be, buf + 108, 4);
	CHECK_EQ(be32toh(be), 3000);
	CHECK_STR((char *)buf + 112, "hello");
	CHECK_STR((char *)buf + 192, "r0");
	CHECK_EQ(buf[192 + 32], HADISK_ROLE_PRIMARY);
	CHECK_EQ(buf[192 + 34], HD_HB_RES_ACTIVE);
	CHECK_STR((char *)buf + 192 + 36, "r1");
	CHECK_EQ(HD_HB_SIZE, 348);
	memcpy(&be64, buf + 336, 8);
	CHECK(be64 == 0);			/* no key: no MAC */
	memcpy(&be, buf + 344, 4);
	CHECK(be32toh(be) == hd_crc32c_hole(buf, HD_HB_SIZE, 344));
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), 0);
	CHECK(!memcmp(&m, &d, sizeof(m)));
}

static void hb_bad(void)
{
	struct hd_hb_msg m, d;
	uint8_t buf[HD_HB_SIZE];
	const char *why = NULL;
	uint32_t crc;

	fill(&m);
	hd_hb_encode(&m, NULL, buf);
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf) - 1, NULL, &d, &why), -1);
	CHECK_STR(why, "wrong size");
	buf[50] ^= 1;
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), -1);
	CHECK_STR(why, "bad checksum");
	buf[50] ^= 1;
	buf[0] = 'X';
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), -1);
	CHECK_STR(why, "wrong magic (not a hadiskd datagram)");
	buf[0] = 'H';
	buf[4] = HD_HB_VERSION + 1;
	crc = htobe32(hd_crc32c_hole(buf, HD_HB_SIZE, 344));
	memcpy(buf + 344, &crc, 4);
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), -1);
	CHECK(strstr(why, "another hadiskd version") != NULL);
	/* an older, shorter datagram is named by its version, not its size */
	buf[4] = 1;
	CHECK_EQ(hd_hb_decode(buf, 340, NULL, &d, &why), -1);
	CHECK(strstr(why, "another hadiskd version") != NULL);
	buf[4] = HD_HB_VERSION;
	buf[6] = 5;
	crc = htobe32(hd_crc32c_hole(buf, HD_HB_SIZE, 344));
	memcpy(buf + 344, &crc, 4);
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), -1);
	CHECK_STR(why, "too many resources");
	buf[6] = 0;
	buf[5] = 9;
	crc = htobe32(hd_crc32c_hole(buf, HD_HB_SIZE, 344));
	memcpy(buf + 344, &crc, 4);
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), -1);
	CHECK_STR(why, "unknown type");
	/* over-long names are cut, always terminated */
	memset(m.node, 'n', sizeof(m.node) - 1);
	m.node[sizeof(m.node) - 1] = '\0';
	hd_hb_encode(&m, NULL, buf);
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), 0);
	CHECK_EQ(strlen(d.node), HD_HB_NAME);
}

static void siphash_vectors(void)
{
	uint8_t key[16], msg[64];
	int i;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	/* the reference implementation's vectors 0, 8, 15 and 63 */
	CHECK(hd_siphash24(key, msg, 0) == 0x726fdb47dd0e0e31ull);
	CHECK(hd_siphash24(key, msg, 8) == 0x93f5f5799a932462ull);
	CHECK(hd_siphash24(key, msg, 15) == 0xa129ca6149be45e5ull);
	CHECK(hd_siphash24(key, msg, 63) == 0x958a324ceb064572ull);
}

static void hb_mac(void)
{
	uint8_t k1[16] = { 1, 2, 3 }, k2[16] = { 4, 5, 6 };
	struct hd_hb_msg m, d;
	uint8_t buf[HD_HB_SIZE];
	const char *why = NULL;
	uint64_t mac;

	fill(&m);
	hd_hb_encode(&m, k1, buf);
	memcpy(&mac, buf + 336, 8);
	CHECK(be64toh(mac) == hd_siphash24(k1, buf, 336));
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), k1, &d, &why), 0);
	CHECK(!memcmp(&m, &d, sizeof(m)));
	/* another key */
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), k2, &d, &why), -1);
	CHECK_STR(why, "bad MAC: the sender uses another key");
	/* a receiver without a key does not check */
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), NULL, &d, &why), 0);
	/* a sender without a key, a receiver with one */
	hd_hb_encode(&m, NULL, buf);
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), k1, &d, &why), -1);
	CHECK_STR(why, "not authenticated: the sender has no key-file");
	/* a forged datagram with a valid checksum but no key */
	hd_hb_encode(&m, k1, buf);
	buf[100] ^= 1;
	{
		uint32_t crc = htobe32(hd_crc32c_hole(buf, HD_HB_SIZE, 344));

		memcpy(buf + 344, &crc, 4);
	}
	CHECK_EQ(hd_hb_decode(buf, sizeof(buf), k1, &d, &why), -1);
	CHECK_STR(why, "bad MAC: the sender uses another key");
}

static void key_file(void)
{
	char path[] = "/tmp/hadiskd-key-XXXXXX", err[HD_DCONF_ERR_MAX];
	uint8_t key[16];
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	CHECK(write(fd, "00112233445566778899aabbccddeeFF\n", 33) == 33);
	close(fd);
	CHECK_EQ(hd_key_load(path, key, err, sizeof(err)), 0);
	CHECK_EQ(key[0], 0x00);
	CHECK_EQ(key[1], 0x11);
	CHECK_EQ(key[15], 0xff);
	chmod(path, 0644);
	CHECK_EQ(hd_key_load(path, key, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "is readable by group or others: chmod 600 it");
	chmod(path, 0600);
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(write(fd, "0011", 4) == 4);
	close(fd);
	CHECK_EQ(hd_key_load(path, key, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "must hold 32 hexadecimal digits");
	unlink(path);
	CHECK_EQ(hd_key_load(path, key, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "No such file or directory");
}

static void lease_rules(void)
{
	struct hd_lease_table *t = calloc(1, sizeof(*t));
	const char *holder = NULL;
	uint32_t left = 0;
	char name[16];
	int i;

	CHECK_EQ(hd_lease_acquire(t, "r0", "alpha", 3000, 1000, &holder, &left),
		 HD_LEASE_GRANTED);
	CHECK_EQ(left, 3000);
	/* beta is denied while alpha's lease runs */
	CHECK_EQ(hd_lease_acquire(t, "r0", "beta", 3000, 2000, &holder, &left),
		 HD_LEASE_DENIED);
	CHECK_STR(holder, "alpha");
	CHECK_EQ(left, 2000);
	/* alpha renews */
	CHECK_EQ(hd_lease_acquire(t, "r0", "alpha", 3000, 3500, &holder, &left),
		 HD_LEASE_GRANTED);
	CHECK_EQ(hd_lease_acquire(t, "r0", "beta", 3000, 6499, &holder, &left),
		 HD_LEASE_DENIED);
	CHECK_EQ(left, 1);
	/* expired: beta gets it, and alpha is denied */
	CHECK_EQ(hd_lease_acquire(t, "r0", "beta", 3000, 6500, &holder, &left),
		 HD_LEASE_GRANTED);
	CHECK_EQ(hd_lease_acquire(t, "r0", "alpha", 3000, 6600, &holder, &left),
		 HD_LEASE_DENIED);
	CHECK_STR(holder, "beta");
	/* another resource is independent */
	CHECK_EQ(hd_lease_acquire(t, "r1", "alpha", 3000, 6600, &holder, &left),
		 HD_LEASE_GRANTED);
	/* only the holder releases; then the other gets it at once */
	CHECK(!hd_lease_release(t, "r0", "alpha", 6700));
	CHECK(hd_lease_release(t, "r0", "beta", 6700));
	CHECK_EQ(hd_lease_acquire(t, "r0", "alpha", 3000, 6701, &holder, &left),
		 HD_LEASE_GRANTED);
	/* the table is full */
	for (i = 2; i < HD_LEASE_MAX; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		CHECK_EQ(hd_lease_acquire(t, name, "a", 10, 0, &holder, &left),
			 HD_LEASE_GRANTED);
	}
	CHECK_EQ(hd_lease_acquire(t, "rX", "a", 10, 0, &holder, &left),
		 HD_LEASE_FULL);
	/* the holder stops believing before the witness lets anyone else */
	CHECK(hd_lease_local_until(1000, 3000) < 1000 + 3000);
	CHECK_EQ(hd_lease_local_until(1000, 3000), 1000 + 1500);
	CHECK_EQ(hd_lease_local_until(1000, 100), 1000 + 50);
	CHECK_EQ(hd_lease_local_until(1000, 40), 1000);
	free(t);
}

struct pol_case {
	const char *name;
	struct hd_pol_in in;
	enum hd_pol_action want;
	const char *why;	/* a part of it, or NULL */
};

#define LOST .peer_lost = true, .peer_was_active = true, .local_uptodate = true

static const struct pol_case pol_cases[] = {
	{ "policy_primary_nothing", { .local_primary = true, LOST },
	  HD_POL_NOTHING, "Primary" },
	{ "policy_peer_alive", { .peer_was_active = true, .local_uptodate = true },
	  HD_POL_NOTHING, "alive" },
	{ "policy_peer_was_secondary",
	  { .peer_lost = true, .local_uptodate = true,
	    .policy = HD_POLICY_AUTOMATIC, .fencing = true },
	  HD_POL_NOTHING, "nothing to take over" },
	{ "policy_link_connected",
	  { LOST, .link_connected = true, .policy = HD_POLICY_AUTOMATIC,
	    .fencing = true },
	  HD_POL_NOTHING, "still connected" },
	{ "policy_manual_recommends", { LOST }, HD_POL_RECOMMEND, NULL },
	{ "policy_manual_stale_disk",
	  { .peer_lost = true, .peer_was_active = true },
	  HD_POL_NOTHING, "not UpToDate" },
	{ "policy_auto_stale_disk",
	  { .peer_lost = true, .peer_was_active = true,
	    .policy = HD_POLICY_AUTOMATIC, .fencing = true },
	  HD_POL_REFUSE, "not UpToDate" },
	{ "policy_auto_fencing", { LOST, .policy = HD_POLICY_AUTOMATIC,
				   .fencing = true },
	  HD_POL_PROMOTE, NULL },
	{ "policy_auto_witness_ask", { LOST, .policy = HD_POLICY_AUTOMATIC,
				       .witness = true },
	  HD_POL_ASK_WITNESS, NULL },
	{ "policy_auto_witness_granted",
	  { LOST, .policy = HD_POLICY_AUTOMATIC, .witness = true,
	    .wit = HD_WIT_GRANTED },
	  HD_POL_PROMOTE, NULL },
	{ "policy_auto_witness_denied",
	  { LOST, .policy = HD_POLICY_AUTOMATIC, .witness = true,
	    .fencing = true, .wit = HD_WIT_DENIED },
	  HD_POL_REFUSE, "another node" },
	{ "policy_auto_witness_unreachable",
	  { LOST, .policy = HD_POLICY_AUTOMATIC, .witness = true,
	    .fencing = true, .wit = HD_WIT_UNREACHABLE },
	  HD_POL_REFUSE, "unreachable" },
	{ "policy_auto_neither",
	  { LOST, .policy = HD_POLICY_AUTOMATIC },
	  HD_POL_REFUSE, "fencing or a witness" },
};

static void policy_cases(void)
{
	const char *why;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pol_cases); i++) {
		const struct pol_case *c = &pol_cases[i];
		enum hd_pol_action a = hd_policy_decide(&c->in, &why);

		CHECK_EQ(a, c->want);
		if (c->why)
			CHECK_CONTAINS(why, c->why);
		unit_report(c->name, true);
	}
}

static void policy_misc(void)
{
	enum hd_policy p;
	uint64_t last[2] = { 0, 0 }, since = 1;

	CHECK_EQ(hd_policy_parse("manual", &p), 0);
	CHECK_EQ(p, HD_POLICY_MANUAL);
	CHECK_EQ(hd_policy_parse("automatic", &p), 0);
	CHECK_EQ(p, HD_POLICY_AUTOMATIC);
	CHECK_EQ(hd_policy_parse("auto", &p), -1);
	CHECK(hd_policy_check(HD_POLICY_AUTOMATIC, false, false) != NULL);
	CHECK(hd_policy_check(HD_POLICY_AUTOMATIC, true, false) == NULL);
	CHECK(hd_policy_check(HD_POLICY_AUTOMATIC, false, true) == NULL);
	CHECK(hd_policy_check(HD_POLICY_MANUAL, false, false) == NULL);
	/* paths */
	CHECK(!hd_path_up(0, 5000000, 3000000));
	CHECK(hd_path_up(4000000, 5000000, 3000000));
	CHECK(!hd_path_up(2000000, 5000000, 3000000));
	/* never heard: lost once timeout passed since the start */
	CHECK(!hd_peer_lost(last, 2, 2000000, 3000000, 0, &since));
	CHECK_EQ(since, 0);
	CHECK(hd_peer_lost(last, 2, 3000000, 3000000, 0, &since));
	/* one path still heard: not lost */
	last[0] = 1000000;
	last[1] = 9000000;
	CHECK(!hd_peer_lost(last, 2, 10000000, 3000000, 0, &since));
	CHECK_EQ(since, 9000000);
	/* every path silent for the timeout: lost */
	CHECK(hd_peer_lost(last, 2, 12000000, 3000000, 0, &since));
}

static const char good_conf[] =
"# hadiskd of alpha\n"
"daemon {\n"
"    node alpha;\n"
"    peer beta;\n"
"    heartbeat-interval 200ms;\n"
"    heartbeat-timeout 3s;\n"
"    path 10.0.0.1:7790 10.0.0.2:7790;\n"
"    path 10.1.0.1:7790 10.1.0.2:7790;   # a second network\n"
"    witness 10.2.0.3:7791;\n"
"    witness-lease 2s;\n"
"    socket /run/hd.sock;\n"
"    metrics 127.0.0.1:9942;\n"
"    hook-timeout 10s;\n"
"}\n"
"resource r0 {\n"
"    policy automatic;\n"
"    fencing kernel;\n"
"    start-hook \"/usr/local/sbin/r0 start\";\n"
"    stop-hook /usr/local/sbin/r0-stop;\n"
"    service-ip 10.0.0.100/24 eth0;\n"
"}\n"
"resource r1 { }\n";

static void dconf_good(void)
{
	struct hd_dconf *c = calloc(1, sizeof(*c));
	char err[HD_DCONF_ERR_MAX] = "";

	CHECK_EQ(hd_dconf_parse(good_conf, "t.conf", c, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_STR(c->node, "alpha");
	CHECK_STR(c->peer, "beta");
	CHECK_EQ(c->interval_ms, 200);
	CHECK_EQ(c->timeout_ms, 3000);
	CHECK_EQ(c->npaths, 2);
	CHECK_EQ(c->paths[1].local.port, 7790);
	CHECK(c->has_witness);
	CHECK_EQ(c->witness.port, 7791);
	CHECK_EQ(c->lease_ms, 2000);
	CHECK_STR(c->socket, "/run/hd.sock");
	CHECK(c->has_metrics);
	CHECK_EQ(c->metrics.family, 2);	/* AF_INET */
	CHECK_EQ(c->metrics.port, 9942);
	CHECK_EQ(c->nres, 2);
	CHECK_STR(c->res[0].name, "r0");
	CHECK_EQ(c->res[0].policy, HD_POLICY_AUTOMATIC);
	CHECK(c->res[0].fencing);
	CHECK_STR(c->res[0].start_hook, "/usr/local/sbin/r0 start");
	CHECK_STR(c->res[0].stop_hook, "/usr/local/sbin/r0-stop");
	CHECK(c->res[0].has_ip);
	CHECK_STR(c->res[0].ip, "10.0.0.100/24");
	CHECK_STR(c->res[0].ip_dev, "eth0");
	CHECK_EQ(c->res[0].hook_timeout_ms, 10000);
	/* defaults */
	CHECK_EQ(c->res[1].policy, HD_POLICY_MANUAL);
	CHECK(!c->res[1].fencing);
	CHECK(!c->res[1].has_ip);
	CHECK(hd_dconf_res(c, "r1") == &c->res[1]);
	CHECK(hd_dconf_res(c, "r2") == NULL);
	/* minimal: defaults for the rest, lease = timeout */
	CHECK_EQ(hd_dconf_parse("daemon { peer b; path 1.2.3.4:1 1.2.3.5:1; }",
				"m.conf", c, err, sizeof(err)), 0);
	CHECK_EQ(c->interval_ms, HD_DCONF_INTERVAL_DEF);
	CHECK_EQ(c->timeout_ms, HD_DCONF_TIMEOUT_DEF);
	CHECK_EQ(c->lease_ms, HD_DCONF_TIMEOUT_DEF);
	CHECK_STR(c->socket, HD_DCONF_SOCKET);
	CHECK(!c->has_metrics);		/* off unless set */
	CHECK_EQ(c->hook_timeout_ms, HD_DCONF_HOOK_DEF);
	free(c);
}

struct bad_case {
	const char *name;
	const char *text;
	const char *err;	/* the whole message */
};

#define D0 "daemon {\n peer beta;\n path 10.0.0.1:7790 10.0.0.2:7790;\n"

static const struct bad_case bad_cases[] = {
	{ "dconf_unknown_policy", D0 "}\nresource r0 {\n policy sometimes;\n}\n",
	  "b.conf:6: unknown policy 'sometimes': write 'policy manual;' (report and recommend, the default) or 'policy automatic;'" },
	{ "dconf_automatic_alone", D0 "}\nresource r0 {\n policy automatic;\n}\n",
	  "b.conf:5: resource r0: policy automatic needs 'fencing kernel;' in this resource or a 'witness ADDRESS;' in the daemon section: without either, two nodes cut apart could both promote; set one, or use 'policy manual;'" },
	{ "dconf_unknown_fencing", D0 "}\nresource r0 {\n fencing stonith;\n}\n",
	  "b.conf:6: unknown fencing 'stonith': write 'fencing none;' or 'fencing kernel;' (the kernel runs the resource's fence-peer hook before promoting)" },
	{ "dconf_typo", D0 " heartbeat-intervall 1s;\n}\n",
	  "b.conf:4: unknown key 'heartbeat-intervall' in the daemon section: did you mean 'heartbeat-interval'?" },
	{ "dconf_interval_range", D0 " heartbeat-interval 20s;\n}\n",
	  "b.conf:4: heartbeat-interval 20s is out of range: it must be 10ms to 10000ms" },
	{ "dconf_not_duration", D0 " heartbeat-timeout soon;\n}\n",
	  "b.conf:4: heartbeat-timeout 'soon' is not a duration: write e.g. 500ms or 3s" },
	{ "dconf_timeout_small", D0 " heartbeat-interval 1s;\n heartbeat-timeout 1500ms;\n}\n",
	  "b.conf:5: heartbeat-timeout 1500ms is less than twice heartbeat-interval 1000ms: raise the timeout or lower the interval" },
	{ "dconf_lease_small", D0 " witness 10.0.0.3:7791;\n witness-lease 1s;\n}\n",
	  "b.conf:5: witness-lease 1000ms is less than three heartbeat-intervals (1500ms): the active node could not renew it in time; raise it" },
	{ "dconf_no_peer", "daemon {\n path 10.0.0.1:7790 10.0.0.2:7790;\n}\n",
	  "b.conf:1: the daemon section has no 'peer NAME;': name the other node" },
	{ "dconf_no_daemon", "resource r0 { }\n",
	  "b.conf:1: no 'daemon { ... }' section: add one with at least 'peer NAME;' and a 'path LOCAL PEER;'" },
	{ "dconf_bad_address", D0 " path 10.0.0.1 10.0.0.2:7790;\n}\n",
	  NULL },
	{ "dconf_bad_metrics", D0 " metrics 9942;\n}\n",
	  NULL },
	{ "dconf_same_local", D0 " path 10.0.0.1:7790 10.1.0.2:7790;\n}\n",
	  "b.conf:4: path 2 has the same local address 10.0.0.1:7790 as path 1: each path needs its own" },
	{ "dconf_service_ip_prefix", D0 "}\nresource r0 {\n service-ip 10.0.0.100 eth0;\n}\n",
	  "b.conf:6: service-ip '10.0.0.100' has no prefix length: write e.g. 10.0.0.100/24" },
	{ "dconf_service_ip_bad", D0 "}\nresource r0 {\n service-ip 10.0.0.300/24 eth0;\n}\n",
	  "b.conf:6: service-ip '10.0.0.300/24': '10.0.0.300' is not an IPv4 or IPv6 address" },
	{ "dconf_hook_relative", D0 "}\nresource r0 {\n start-hook start.sh;\n}\n",
	  "b.conf:6: start-hook 'start.sh' must be an absolute path to a program" },
	{ "dconf_missing_semicolon", D0 " node alpha\n}\n",
	  "b.conf:5: 'node' is not ended: add ';' before '}'" },
	{ "dconf_unclosed", D0,
	  "b.conf:1: the section opened here is not closed: add '}'" },
	{ "dconf_two_values", D0 " node alpha beta;\n}\n",
	  "b.conf:4: 'node' takes 1 value: write 'node NAME;'" },
	{ "dconf_bad_name", D0 " node al/pha;\n}\n", NULL },
	{ "dconf_same_names", D0 " node beta;\n}\n",
	  "b.conf:1: node and peer are both 'beta': the peer is the other node" },
	{ "dconf_dup_resource", D0 "}\nresource r0 { }\nresource r0 { }\n",
	  "b.conf:6: resource r0 is defined twice (first at line 5)" },
	{ "dconf_unknown_section", "deamon {\n}\n",
	  "b.conf:1: unknown section 'deamon': write 'daemon {' or 'resource NAME {'" },
	{ "dconf_outside", "peer beta;\n",
	  "b.conf:1: 'peer' outside a section: put it in 'daemon { }' or 'resource NAME { }'" },
	{ "dconf_long_resource", D0 "}\nresource r0123456789012345678901234567890123 { }\n",
	  NULL },
};

static void dconf_bad(void)
{
	struct hd_dconf *c = calloc(1, sizeof(*c));
	char err[HD_DCONF_ERR_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *b = &bad_cases[i];

		err[0] = '\0';
		CHECK_EQ(hd_dconf_parse(b->text, "b.conf", c, err,
					sizeof(err)), -1);
		if (b->err)
			CHECK_STR(err, b->err);
		else
			CHECK(!strncmp(err, "b.conf:", 7));
		if (!b->err)
			printf("  %s: %s\n", b->name, err);
		unit_report(b->name, true);
	}
	free(c);
}

static void dconf_load(void)
{
	struct hd_dconf *c = calloc(1, sizeof(*c));
	char path[] = "/tmp/hadiskd-unit-XXXXXX", err[HD_DCONF_ERR_MAX];
	int fd = mkstemp(path);
	FILE *f;

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs(D0 "}\nresource r0 {\n start-hook /nonexistent/hook;\n}\n", f);
	fclose(f);
	CHECK_EQ(hd_dconf_load(path, c, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, ":6: resource r0: start-hook /nonexistent/hook: No such file or directory: create it or fix the path");
	unlink(path);
	CHECK_EQ(hd_dconf_load(path, c, err, sizeof(err)), -ENOENT);
	free(c);
}

int main(void)
{
	RUN(hb_layout);
	RUN(hb_bad);
	RUN(siphash_vectors);
	RUN(hb_mac);
	RUN(key_file);
	RUN(lease_rules);
	policy_cases();
	RUN(policy_misc);
	RUN(dconf_good);
	dconf_bad();
	RUN(dconf_load);
	return unit_exit();
}
