// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the configuration file parser (userspace/lib/config.c):
 * valid files read right, and every kind of bad file refused with a
 * message that names the file, the line, the problem and the fix.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_cases.h"
#include "names.h"
#include "unit.h"

static char err[1024];

static int parse(const char *text, const char *want, struct hd_res_conf *rc)
{
	return hd_conf_parse(text, strlen(text), "t.conf", want, rc, err,
			     sizeof(err));
}

static const char full_text[] =
"# comment\n"
"resource r0 {\n"
"    protocol B;                 # A, B or C\n"
"    net {\n"
"        ping-interval 2;\n"
"        ping-timeout 500ms;\n"
"        ack-timeout 6s;\n"
"        connect-interval 1s;\n"
"    }\n"
"    disk {\n"
"        al-extents 1000;\n"
"    }\n"
"    on alpha {\n"
"        node-id 7;\n"
"        address 10.99.0.1:7789;\n"
"        disk /dev/ram0;\n"
"        minor 0;\n"
"        meta-disk internal;\n"
"    }\n"
"    on beta {\n"
"        node-id 3;\n"
"        address 10.99.0.2:7790;\n"
"        disk \"/dev/disk/by-id/a b\";\n"
"        minor 5;\n"
"        meta-disk /dev/sdz1;\n"
"    }\n"
"}\n";

static void config_valid_full(void)
{
	struct hd_res_conf rc;
	const struct hd_node_conf *a = &rc.nodes[0], *b = &rc.nodes[1];
	uint8_t ip[4];

	CHECK_EQ(parse(full_text, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_STR(rc.name, "r0");
	CHECK_STR(rc.file, "t.conf");
	CHECK_EQ(rc.line, 2);
	CHECK_EQ(rc.protocol, HADISK_PROT_B);
	CHECK_EQ(rc.ping_interval_ms, 2000);
	CHECK_EQ(rc.ping_timeout_ms, 500);
	CHECK_EQ(rc.ack_timeout_ms, 6000);
	CHECK_EQ(rc.connect_interval_ms, 1000);
	CHECK_EQ(rc.nr_nodes, 2);
	CHECK_STR(a->name, "alpha");
	CHECK_EQ(rc.al_extents, 1000);
	CHECK_EQ(rc.al_extents_line, 11);
	CHECK_EQ(rc.disk_line, 10);
	CHECK_EQ(a->line, 13);
	CHECK_EQ(a->node_id, 7);
	CHECK_EQ(a->addr.family, AF_INET);
	inet_pton(AF_INET, "10.99.0.1", ip);
	CHECK(!memcmp(a->addr.bytes, ip, 4));
	CHECK_EQ(a->addr.port, 7789);
	CHECK_STR(a->disk, "/dev/ram0");
	CHECK_EQ(a->minor, 0);
	CHECK_EQ(a->meta, HD_META_INTERNAL);
	CHECK_STR(b->name, "beta");
	CHECK_EQ(b->node_id, 3);
	CHECK_EQ(b->addr.port, 7790);
	CHECK_STR(b->disk, "/dev/disk/by-id/a b");
	CHECK_EQ(b->minor, 5);
	CHECK_EQ(b->meta, HD_META_DEVICE);
	CHECK_STR(b->meta_dev, "/dev/sdz1");
	CHECK_EQ(b->meta_line, 25);
}

static void config_valid_defaults(void)
{
	static const char text[] =
		"resource r1 {\n" ALPHA_OK BETA_OK "}\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(text, NULL, &rc), 0);
	CHECK_STR(rc.name, "r1");
	CHECK_EQ(rc.protocol, HADISK_PROT_C);
	CHECK_EQ(rc.ping_interval_ms, 0);
	CHECK_EQ(rc.ping_timeout_ms, 0);
	CHECK_EQ(rc.ack_timeout_ms, 0);
	CHECK_EQ(rc.connect_interval_ms, 0);
	CHECK_EQ(rc.nodes[0].node_id, 0);
	CHECK_EQ(rc.nodes[1].node_id, 1);
	CHECK_EQ(rc.nodes[0].meta, HD_META_INTERNAL);
	CHECK_EQ(rc.nodes[1].meta_line, 0);
	CHECK_EQ(rc.al_extents, 0);
	CHECK_EQ(rc.al_extents_line, 0);
	CHECK_EQ(rc.resync_rate_min_kib, 0);
	CHECK_EQ(rc.resync_rate_max_kib, 0);
	CHECK(!rc.csum_resync);
	CHECK_EQ(rc.csum_resync_line, 0);
}

static void config_valid_ipv6(void)
{
	static const char text[] =
		"resource r0 {\n"
		"  on alpha { address [fd00::1]:7789; disk /dev/a; minor 0; }\n"
		"  on beta { address [fd00::2]:7789; disk /dev/b; minor 0; }\n"
		"}\n";
	struct hd_res_conf rc;
	uint8_t ip[16];

	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_EQ(rc.nodes[0].addr.family, AF_INET6);
	CHECK_EQ(hd_addr_len(&rc.nodes[0].addr), 16);
	inet_pton(AF_INET6, "fd00::2", ip);
	CHECK(!memcmp(rc.nodes[1].addr.bytes, ip, 16));
	CHECK_EQ(rc.nodes[1].addr.port, 7789);
}

/* Layout freedom: one line, tabs, CRLF, "};", comments after values. */
static void config_valid_layout(void)
{
	static const char text[] =
		"resource r0{protocol A;on alpha{address 10.0.0.1:1;disk /d;minor 1;}\r\n"
		"\ton beta {address 10.0.0.2:1;# comment; {\r\n"
		"\t\tdisk /e; minor 2;};\r\n"
		"};\r\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.protocol, HADISK_PROT_A);
	CHECK_STR(rc.nodes[1].disk, "/e");
	CHECK_EQ(rc.nodes[1].line, 2);
}

/* The disk section's bounds, and an empty one (the kernel's default). */
static void config_valid_disk_section(void)
{
	static const char lo[] =
		"resource r0 { disk{al-extents 7;}\n" ALPHA_OK BETA_OK "}\n";
	static const char empty[] =
		"resource r0 {\n  disk { }\n" ALPHA_OK BETA_OK "}\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(lo, "r0", &rc), 0);
	CHECK_EQ(rc.al_extents, 7);
	CHECK_EQ(rc.al_extents_line, 1);
	CHECK_EQ(parse(empty, "r0", &rc), 0);
	CHECK_EQ(rc.al_extents, 0);
	CHECK_EQ(rc.disk_line, 2);
}

/* The resync rates: suffixes, bounds, and what is left unset. */
static void config_valid_resync_rates(void)
{
	static const char both[] =
		"resource r0 {\n"
		"  disk {\n"
		"    resync-rate-min 50M;\n"
		"    resync-rate-max 2g;\n"
		"  }\n" ALPHA_OK BETA_OK "}\n";
	static const char bounds[] =
		"resource r0 {\n"
		"  disk { resync-rate-min 1M; resync-rate-max 100G; }\n"
		ALPHA_OK BETA_OK "}\n"
		"resource r1 {\n"
		"  disk { resync-rate-min 1024; resync-rate-max 1024k; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char min_only[] =
		"resource r0 { disk { resync-rate-min 1G; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char max_only[] =
		"resource r0 { disk { resync-rate-max 32M; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char low_pair[] =
		"resource r0 { disk { resync-rate-max 10M; resync-rate-min 2M; }\n"
		ALPHA_OK BETA_OK "}\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(both, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.resync_rate_min_kib, 50 * 1024);
	CHECK_EQ(rc.resync_rate_min_line, 3);
	CHECK_EQ(rc.resync_rate_max_kib, 2 * 1024 * 1024);
	CHECK_EQ(rc.resync_rate_max_line, 4);
	CHECK_EQ(rc.al_extents, 0);
	/* the two ends of the range; a bare number is KiB; min == max */
	CHECK_EQ(parse(bounds, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.resync_rate_min_kib, 1024);
	CHECK_EQ(rc.resync_rate_max_kib, 100 * 1024 * 1024);
	CHECK_EQ(parse(bounds, "r1", &rc), 0);
	CHECK_EQ(rc.resync_rate_min_kib, 1024);
	CHECK_EQ(rc.resync_rate_max_kib, 1024);
	/* one of the two: the other stays 0, the kernel's default */
	CHECK_EQ(parse(min_only, "r0", &rc), 0);
	CHECK_EQ(rc.resync_rate_min_kib, 1024 * 1024);
	CHECK_EQ(rc.resync_rate_max_kib, 0);
	CHECK_EQ(rc.resync_rate_max_line, 0);
	CHECK_EQ(parse(max_only, "r0", &rc), 0);
	CHECK_EQ(rc.resync_rate_min_kib, 0);
	CHECK_EQ(rc.resync_rate_min_line, 0);
	CHECK_EQ(rc.resync_rate_max_kib, 32 * 1024);
	/* both below the default minimum: fine when both are set */
	CHECK_EQ(parse(low_pair, "r0", &rc), 0);
	CHECK_EQ(rc.resync_rate_min_kib, 2048);
	CHECK_EQ(rc.resync_rate_max_kib, 10240);
}

/* checksum-resync: yes, no, and left out (the kernel's default, no). */
static void config_valid_checksum_resync(void)
{
	static const char yes[] =
		"resource r0 {\n"
		"  net {\n"
		"    ping-timeout 3s;\n"
		"    checksum-resync yes;\n"
		"  }\n" ALPHA_OK BETA_OK "}\n";
	static const char no[] =
		"resource r0 { net { checksum-resync \"no\"; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char other_net[] =
		"resource r0 { net { ack-timeout 9s; }\n"
		ALPHA_OK BETA_OK "}\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(yes, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK(rc.csum_resync);
	CHECK_EQ(rc.csum_resync_line, 4);
	CHECK_EQ(rc.ping_timeout_ms, 3000);
	CHECK_EQ(parse(no, "r0", &rc), 0);
	CHECK(!rc.csum_resync);
	CHECK_EQ(rc.csum_resync_line, 1);
	CHECK_EQ(parse(other_net, "r0", &rc), 0);
	CHECK(!rc.csum_resync);
	CHECK_EQ(rc.csum_resync_line, 0);
	CHECK_EQ(rc.ack_timeout_ms, 9000);
}

/* Every policy in the key that takes it; defaults when left out. */
static void config_valid_after_sb(void)
{
	static const char *const p0[] = {
		"disconnect", "discard-younger-primary", "discard-older-primary",
		"discard-zero-changes", "discard-least-changes",
	};
	static const uint8_t v0[] = {
		HADISK_SB_DISCONNECT, HADISK_SB_DISCARD_YOUNGER_PRI,
		HADISK_SB_DISCARD_OLDER_PRI, HADISK_SB_DISCARD_ZERO_CHANGES,
		HADISK_SB_DISCARD_LEAST_CHANGES,
	};
	static const char *const p1[] = {
		"disconnect", "consensus", "discard-secondary",
	};
	static const uint8_t v1[] = {
		HADISK_SB_DISCONNECT, HADISK_SB_CONSENSUS,
		HADISK_SB_DISCARD_SECONDARY,
	};
	static const char node[] =
		"resource r0 {\n"
		"  net {\n"
		"    after-sb-0pri discard-node-beta;\n"
		"    after-sb-1pri call-pri-lost-after-sb;\n"
		"    after-sb-2pri call-pri-lost-after-sb;\n"
		"  }\n"
		"  handlers { pri-lost-after-sb /usr/sbin/pri-lost; }\n"
		"  on alpha { node-id 4; address 10.99.0.1:7789;"
		" disk /dev/ram0; minor 0; }\n"
		"  on beta { node-id 9; address 10.99.0.2:7789;"
		" disk /dev/ram1; minor 1; }\n"
		"}\n";
	char text[1024];
	struct hd_res_conf rc;
	size_t i;

	CHECK_EQ(parse(RES(ALPHA_OK BETA_OK), "r0", &rc), 0);
	for (i = 0; i < HD_SB_KEYS; i++) {
		CHECK_EQ(rc.after_sb[i], HADISK_SB_DISCONNECT);
		CHECK_EQ(rc.after_sb_line[i], 0);
	}
	for (i = 0; i < ARRAY_SIZE(p0); i++) {
		snprintf(text, sizeof(text),
			 RES("  net {\n    after-sb-0pri %s;\n  }\n" ALPHA_OK
			     BETA_OK), p0[i]);
		CHECK_EQ(parse(text, "r0", &rc), 0);
		CHECK_STR(err, "");
		CHECK_EQ(rc.after_sb[0], v0[i]);
		CHECK_EQ(rc.after_sb_line[0], 3);
		CHECK_EQ(rc.after_sb[1], HADISK_SB_DISCONNECT);
	}
	for (i = 0; i < ARRAY_SIZE(p1); i++) {
		snprintf(text, sizeof(text),
			 RES("  net { after-sb-1pri %s; after-sb-2pri disconnect; }\n"
			     ALPHA_OK BETA_OK), p1[i]);
		CHECK_EQ(parse(text, "r0", &rc), 0);
		CHECK_STR(err, "");
		CHECK_EQ(rc.after_sb[1], v1[i]);
		CHECK_EQ(rc.after_sb_line[1], 2);
		CHECK_EQ(rc.after_sb_line[2], 2);
		CHECK_EQ(rc.after_sb[2], HADISK_SB_DISCONNECT);
	}
	CHECK_EQ(parse(node, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.after_sb[0], HADISK_SB_DISCARD_NODE);
	CHECK_STR(rc.discard_node, "beta");
	CHECK_EQ(rc.discard_node_id, 9);
	CHECK_EQ(rc.after_sb[1], HADISK_SB_CALL_PRI_LOST);
	CHECK_EQ(rc.after_sb[2], HADISK_SB_CALL_PRI_LOST);
	CHECK_EQ(rc.after_sb_line[2], 5);
}

/* fencing and the handlers section, and their defaults. */
static void config_valid_fencing_handlers(void)
{
	static const char text[] =
		"resource r0 {\n"
		"  disk {\n"
		"    fencing resource-and-stonith;\n"
		"  }\n"
		"  handlers {\n"
		"    fence-peer \"/usr/lib/hadisk/fence-peer\";\n"
		"    unfence-peer /usr/lib/hadisk/unfence;\n"
		"    split-brain /a;\n"
		"    pri-lost-after-sb /b;\n"
		"    before-resync-target /c;\n"
		"    after-resync-target /d;\n"
		"    local-io-error /e;\n"
		"    hook-timeout 90;\n"
		"    discarded-dir /srv/hadisk-saved;\n"
		"  }\n" ALPHA_OK BETA_OK "}\n";
	static const char only[] =
		RES("  disk { fencing resource-only; }\n"
		    "  handlers { fence-peer /x; hook-timeout 1s; }\n"
		    ALPHA_OK BETA_OK);
	static const char upper[] =
		RES("  handlers { hook-timeout 600s; }\n" ALPHA_OK BETA_OK);
	struct hd_res_conf rc;
	int h;

	CHECK_EQ(parse(RES(ALPHA_OK BETA_OK), "r0", &rc), 0);
	CHECK_EQ(rc.fencing, HADISK_FENCING_NONE);
	CHECK_EQ(rc.fencing_line, 0);
	CHECK_EQ(rc.handlers_line, 0);
	CHECK_EQ(rc.hook_timeout_ms, 0);
	CHECK_STR(rc.save_dir, "");
	for (h = 0; h < HD_HOOK_NR; h++) {
		CHECK_STR(rc.hooks[h], "");
		CHECK_EQ(rc.hook_line[h], 0);
	}
	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.fencing, HADISK_FENCING_RESOURCE_AND_STONITH);
	CHECK_EQ(rc.fencing_line, 3);
	CHECK_EQ(rc.handlers_line, 5);
	CHECK_STR(rc.hooks[HD_HOOK_FENCE_PEER], "/usr/lib/hadisk/fence-peer");
	CHECK_EQ(rc.hook_line[HD_HOOK_FENCE_PEER], 6);
	CHECK_STR(rc.hooks[HD_HOOK_UNFENCE_PEER], "/usr/lib/hadisk/unfence");
	CHECK_STR(rc.hooks[HD_HOOK_SPLIT_BRAIN], "/a");
	CHECK_STR(rc.hooks[HD_HOOK_PRI_LOST_AFTER_SB], "/b");
	CHECK_STR(rc.hooks[HD_HOOK_BEFORE_RESYNC_TARGET], "/c");
	CHECK_STR(rc.hooks[HD_HOOK_AFTER_RESYNC_TARGET], "/d");
	CHECK_STR(rc.hooks[HD_HOOK_LOCAL_IO_ERROR], "/e");
	CHECK_EQ(rc.hook_line[HD_HOOK_LOCAL_IO_ERROR], 12);
	CHECK_EQ(rc.hook_timeout_ms, 90000);
	CHECK_EQ(rc.hook_timeout_line, 13);
	CHECK_STR(rc.save_dir, "/srv/hadisk-saved");
	CHECK_EQ(rc.save_dir_line, 14);
	CHECK_EQ(parse(only, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.fencing, HADISK_FENCING_RESOURCE_ONLY);
	CHECK_EQ(rc.hook_timeout_ms, 1000);
	CHECK_EQ(parse(upper, "r0", &rc), 0);
	CHECK_EQ(rc.hook_timeout_ms, 600000);
	CHECK_STR(hd_hook_key(HD_HOOK_FENCE_PEER), "fence-peer");
	CHECK_STR(hd_hook_key(HD_HOOK_LOCAL_IO_ERROR), "local-io-error");
	CHECK(hd_hook_key(HD_HOOK_NR) == NULL);
}

/*
 * The disk section's on-io-error: DRBD's three policies, detach when the
 * file leaves it out; call-local-io-error with its hook.
 */
static void config_valid_on_io_error(void)
{
	static const char *const fmt =
		"resource r0 {\n"
		"  disk {\n"
		"    al-extents 7;\n"
		"    on-io-error %s;\n"
		"  }\n"
		"  handlers { local-io-error /usr/local/sbin/ioerr; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const struct {
		const char *name;
		uint8_t v;
	} cases[] = {
		{ "detach", HADISK_IOE_DETACH },
		{ "pass_on", HADISK_IOE_PASS_ON },
		{ "call-local-io-error", HADISK_IOE_CALL_LOCAL_IO_ERROR },
	};
	char text[1024];
	struct hd_res_conf rc;
	size_t i;

	/* the default, with or without a disk section */
	CHECK_EQ(parse(RES(ALPHA_OK BETA_OK), "r0", &rc), 0);
	CHECK_EQ(rc.on_io_error, HADISK_IOE_DETACH);
	CHECK_EQ(rc.on_io_error_line, 0);
	CHECK_EQ(parse(RES("  disk { al-extents 7; }\n" ALPHA_OK BETA_OK),
		       "r0", &rc), 0);
	CHECK_EQ(rc.on_io_error, HADISK_IOE_DETACH);
	CHECK_EQ(rc.on_io_error_line, 0);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(text, sizeof(text), fmt, cases[i].name);
		CHECK_EQ(parse(text, "r0", &rc), 0);
		CHECK_STR(err, "");
		CHECK_EQ(rc.on_io_error, cases[i].v);
		CHECK_EQ(rc.on_io_error_line, 4);
		CHECK_STR(rc.hooks[HD_HOOK_LOCAL_IO_ERROR],
			  "/usr/local/sbin/ioerr");
		CHECK_STR(hd_on_io_error_name(cases[i].v), cases[i].name);
		CHECK_EQ(hd_on_io_error_from_name(cases[i].name),
			 (int)cases[i].v);
	}
	/* pass_on and detach need no hook */
	CHECK_EQ(parse(RES("  disk { on-io-error pass_on; }\n"
			   ALPHA_OK BETA_OK), "r0", &rc), 0);
	CHECK_EQ(rc.on_io_error, HADISK_IOE_PASS_ON);
	CHECK_EQ(rc.on_io_error_line, 2);
	CHECK_EQ(parse(RES("  disk { on-io-error detach; }\n"
			   ALPHA_OK BETA_OK), "r0", &rc), 0);
	CHECK_EQ(rc.on_io_error, HADISK_IOE_DETACH);
	CHECK_EQ(rc.on_io_error_line, 2);
	/* the handlers section may come after the disk section or before */
	CHECK_EQ(parse(RES("  handlers { local-io-error /h; }\n"
			   "  disk { on-io-error call-local-io-error; }\n"
			   ALPHA_OK BETA_OK), "r0", &rc), 0);
	CHECK_EQ(rc.on_io_error, HADISK_IOE_CALL_LOCAL_IO_ERROR);
	CHECK(hd_on_io_error_name(3) == NULL);
	CHECK_EQ(hd_on_io_error_from_name("pass-on"), -1);
}

/* Hooks that cannot run: missing, not a file, not executable. */
static void config_check_hooks(void)
{
	char dir[] = "/tmp/hadisk-hooks-XXXXXX";
	char exe[64], plain[64], text[1024];
	struct hd_res_conf rc;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(exe, sizeof(exe), "%s/exe", dir);
	snprintf(plain, sizeof(plain), "%s/plain", dir);
	f = fopen(exe, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_EQ(chmod(exe, 0755), 0);
	f = fopen(plain, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_EQ(chmod(plain, 0644), 0);

	/* nothing configured, nothing to check */
	CHECK_EQ(parse(RES(ALPHA_OK BETA_OK), "r0", &rc), 0);
	CHECK_EQ(hd_conf_check_hooks(&rc, err, sizeof(err)), 0);

	snprintf(text, sizeof(text),
		 RES("  handlers {\n    fence-peer %s;\n    split-brain %s;\n"
		     "  }\n" ALPHA_OK BETA_OK), exe, exe);
	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_EQ(hd_conf_check_hooks(&rc, err, sizeof(err)), 0);

	snprintf(text, sizeof(text),
		 RES("  handlers {\n    fence-peer %s;\n    split-brain %s/nope;\n"
		     "  }\n" ALPHA_OK BETA_OK), exe, dir);
	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_EQ(hd_conf_check_hooks(&rc, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "t.conf:4: handlers key 'split-brain': cannot use ");
	CHECK_CONTAINS(err, "/nope: No such file or directory");
	CHECK_CONTAINS(err, "install the program on this node");

	snprintf(text, sizeof(text),
		 RES("  handlers {\n    local-io-error %s;\n  }\n" ALPHA_OK
		     BETA_OK), plain);
	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_EQ(hd_conf_check_hooks(&rc, err, sizeof(err)), -1);
	/* root may run anything with an x bit: 0644 has none */
	CHECK_CONTAINS(err, "t.conf:3: handlers key 'local-io-error': ");
	CHECK_CONTAINS(err, "is not executable (chmod +x ");

	snprintf(text, sizeof(text),
		 RES("  handlers {\n    unfence-peer %s;\n  }\n" ALPHA_OK
		     BETA_OK), dir);
	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_EQ(hd_conf_check_hooks(&rc, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "handlers key 'unfence-peer': ");
	CHECK_CONTAINS(err, "is not a regular file");

	unlink(exe);
	unlink(plain);
	rmdir(dir);
}

static const char two_res[] =
	"resource r0 {\n" ALPHA_OK BETA_OK "}\n"
	"resource r1 {\n" ALPHA_OK BETA_OK "}\n";

static void config_pick_resource(void)
{
	struct hd_res_conf rc;

	CHECK_EQ(parse(two_res, "r1", &rc), 0);
	CHECK_STR(rc.name, "r1");
	CHECK_EQ(rc.line, 13);
	CHECK_EQ(parse(two_res, "r0", &rc), 0);
	CHECK_STR(rc.name, "r0");
}

static void config_pick_resource_ambiguous(void)
{
	struct hd_res_conf rc;

	CHECK_EQ(parse(two_res, NULL, &rc), -1);
	CHECK_STR(err,
		  "t.conf: the file defines 2 resources (r0, r1): name the one you mean");
}

static void config_pick_resource_missing(void)
{
	struct hd_res_conf rc;

	CHECK_EQ(parse(two_res, "r9", &rc), -1);
	CHECK_STR(err,
		  "t.conf: no resource 'r9' in this file (it defines: r0, r1)");
}

/* The example message of the documentation, word for word. */
static void config_error_format(void)
{
	static const char text[] =
		"resource r0 {\n"
		"    protocol C;\n"
		"    net {\n"
		"        ping-interval 1s;\n"
		"    }\n"
		"    on alpha {\n"
		"        adress 10.99.0.1:7789;\n";
	struct hd_res_conf rc;

	CHECK_EQ(hd_conf_parse(text, strlen(text), "/etc/hadisk/r0.conf",
			       "r0", &rc, err, sizeof(err)), -1);
	CHECK_STR(err,
		  "/etc/hadisk/r0.conf:7: unknown key 'adress' in 'on alpha' (did you mean 'address'?)");
}

static void config_bad_cases(void)
{
	char prefix[32], name[64];
	struct hd_res_conf rc;
	size_t i, j;
	int ret;

	for (i = 0; i < ARRAY_SIZE(conf_cases); i++) {
		const struct conf_case *c = &conf_cases[i];

		ret = parse(c->text, NULL, &rc);
		CHECK_EQ(ret, -1);
		if (c->line)
			snprintf(prefix, sizeof(prefix), "t.conf:%d: ", c->line);
		else
			snprintf(prefix, sizeof(prefix), "t.conf: ");
		if (strncmp(err, prefix, strlen(prefix))) {
			printf("  wanted prefix '%s' in: %s\n", prefix, err);
			unit_case_failed = 1;
		}
		for (j = 0; j < 3 && c->want[j]; j++)
			CHECK_CONTAINS(err, c->want[j]);
		snprintf(name, sizeof(name), "config_bad_%s", c->name);
		unit_report(name, ret == -1);
	}
}

/* net's shared-secret, cram-hmac-alg and data-integrity-alg */
static void config_valid_auth(void)
{
	static const char text[] =
		"resource r0 {\n"
		"  net {\n"
		"    shared-secret \"a \\\"quoted\\\" secret\";\n"
		"    cram-hmac-alg sha512;\n"
		"    data-integrity-alg crc32c;\n"
		"  }\n" ALPHA_OK BETA_OK "}\n";
	static const char bare[] =
		"resource r0 { net { shared-secret s3cr3t; data-integrity-alg none; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char longest[] =
		"resource r0 { net { shared-secret "
		"\"0123456789012345678901234567890123456789012345678901234567890123\"; } "
		ALPHA_OK BETA_OK "}\n";
	static const char none[] = "resource r0 {\n" ALPHA_OK BETA_OK "}\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(text, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_STR(rc.shared_secret, "a \"quoted\" secret");
	CHECK_EQ(rc.shared_secret_len, strlen("a \"quoted\" secret"));
	CHECK_EQ(rc.shared_secret_line, 3);
	CHECK_STR(rc.hmac_alg, "sha512");
	CHECK_EQ(rc.hmac_alg_line, 4);
	CHECK_EQ(rc.data_digest, HADISK_DIGEST_CRC32C);
	CHECK_EQ(rc.data_digest_line, 5);
	CHECK(!rc.file_mode_known);
	CHECK(!hd_conf_secret_exposed(&rc));

	/* unquoted; "none" is set (sent) too; the alg defaults to sha256 */
	CHECK_EQ(parse(bare, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_STR(rc.shared_secret, "s3cr3t");
	CHECK_EQ(rc.shared_secret_len, 6);
	CHECK_STR(rc.hmac_alg, "");
	CHECK_EQ(rc.hmac_alg_line, 0);
	CHECK_EQ(rc.data_digest, HADISK_DIGEST_NONE);
	CHECK_EQ(rc.data_digest_line, 1);

	CHECK_EQ(parse(longest, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.shared_secret_len, HD_CONF_SECRET_MAX);

	CHECK_EQ(parse(none, "r0", &rc), 0);
	CHECK_EQ(rc.shared_secret_line, 0);
	CHECK_EQ(rc.shared_secret_len, 0);
	CHECK_EQ(rc.hmac_alg_line, 0);
	CHECK_EQ(rc.data_digest_line, 0);
	CHECK_EQ(rc.data_digest, HADISK_DIGEST_NONE);
}

/* net { transport }: tcp or rdma; not set: line 0, tcp */
static void config_valid_transport(void)
{
	static const char rdma[] =
		"resource r0 {\n  net {\n    transport rdma;\n  }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char tcp[] =
		"resource r0 { net { transport tcp; }\n" ALPHA_OK BETA_OK "}\n";
	static const char none[] = "resource r0 {\n" ALPHA_OK BETA_OK "}\n";
	struct hd_res_conf rc;

	CHECK_EQ(parse(rdma, "r0", &rc), 0);
	CHECK_STR(err, "");
	CHECK_EQ(rc.transport, HADISK_TRANSPORT_RDMA);
	CHECK_EQ(rc.transport_line, 3);
	CHECK_EQ(parse(tcp, "r0", &rc), 0);
	CHECK_EQ(rc.transport, HADISK_TRANSPORT_TCP);
	CHECK_EQ(rc.transport_line, 1);
	CHECK_EQ(parse(none, "r0", &rc), 0);
	CHECK_EQ(rc.transport, HADISK_TRANSPORT_TCP);
	CHECK_EQ(rc.transport_line, 0);
}

/*
 * No message quotes a byte of the secret: every bad case of
 * config_cases.h with the marker "Zq9" in its secret, and what only the
 * lexer sees (an over-long word, a control byte, the end of the file).
 */
static void config_secret_never_printed(void)
{
	static const char *const extra[] = {
		"resource r0 { net { shared-secret Zq9\x01x; } }\n",
		"resource r0 { net { shared-secret \"Zq9-x\"",
		"resource r0 { net { shared-secret \"Zq9-x\" }\n",
		"resource r0 { net { shared-secret \"Zq9-x\" { } }\n",
		"resource r0 { net { shared-secret \"Zq9-x\n\"; } }\n",
	};
	static const char nul[] =
		"resource r0 { net { shared-secret \"Zq9-x\0y\"; } }\n";
	static char longword[1024], longquoted[1024];
	struct hd_res_conf rc;
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(conf_cases); i++) {
		if (!strstr(conf_cases[i].text, "Zq9"))
			continue;
		n++;
		CHECK_EQ(parse(conf_cases[i].text, NULL, &rc), -1);
		if (strstr(err, "Zq9"))
			printf("  case %s quotes the secret: %s\n",
			       conf_cases[i].name, err);
		CHECK(!strstr(err, "Zq9"));
	}
	CHECK(n >= 5);
	for (i = 0; i < ARRAY_SIZE(extra); i++) {
		CHECK_EQ(parse(extra[i], NULL, &rc), -1);
		CHECK_CONTAINS(err, "t.conf:1: ");
		if (strstr(err, "Zq9"))
			printf("  extra %zu quotes the secret: %s\n", i, err);
		CHECK(!strstr(err, "Zq9"));
	}
	/* an unquoted word, then a quoted one, longer than the lexer takes */
	snprintf(longword, sizeof(longword),
		 "resource r0 { net { shared-secret Zq9%0600d; } }\n", 0);
	CHECK_EQ(parse(longword, NULL, &rc), -1);
	CHECK_CONTAINS(err, "the shared-secret is longer than 64 bytes");
	CHECK(!strstr(err, "Zq9"));
	snprintf(longquoted, sizeof(longquoted),
		 "resource r0 { net { shared-secret \"Zq9%0600d\"; } }\n", 0);
	CHECK_EQ(parse(longquoted, NULL, &rc), -1);
	CHECK_CONTAINS(err, "the shared-secret is longer than 64 bytes");
	CHECK(!strstr(err, "Zq9"));
	/* the control byte and a NUL byte get their own messages */
	CHECK_EQ(parse(extra[0], NULL, &rc), -1);
	CHECK_CONTAINS(err, "control byte");
	CHECK_EQ(hd_conf_parse(nul, sizeof(nul) - 1, "t.conf", NULL, &rc, err,
			       sizeof(err)), -1);
	CHECK_CONTAINS(err, "t.conf:1: the shared-secret in 'net' holds a NUL byte");
	CHECK(!strstr(err, "Zq9"));
}

/* A secret in a file its group or others can read: the caller warns. */
static void config_secret_exposed(void)
{
	static const char with[] =
		"resource r0 { net { shared-secret \"Zq9-x\"; }\n"
		ALPHA_OK BETA_OK "}\n";
	static const char without[] = "resource r0 {\n" ALPHA_OK BETA_OK "}\n";
	char dir[] = "/tmp/hadisk-unit-XXXXXX", path[64];
	struct hd_res_conf rc;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r0.conf", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(with, f);
	fclose(f);
	CHECK_EQ(chmod(path, 0644), 0);
	CHECK_EQ(hd_conf_load(path, "r0", &rc, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK(rc.file_mode_known);
	CHECK_EQ(rc.file_mode, 0644);
	CHECK(hd_conf_secret_exposed(&rc));
	CHECK_EQ(chmod(path, 0640), 0);
	CHECK_EQ(hd_conf_load(path, "r0", &rc, err, sizeof(err)), 0);
	CHECK(hd_conf_secret_exposed(&rc));
	CHECK_EQ(chmod(path, 0600), 0);
	CHECK_EQ(hd_conf_load(path, "r0", &rc, err, sizeof(err)), 0);
	CHECK(!hd_conf_secret_exposed(&rc));
	CHECK_STR(rc.shared_secret, "Zq9-x");
	hd_conf_wipe_secret(&rc);
	CHECK_STR(rc.shared_secret, "");
	/* no secret: nothing to warn about, whatever the mode */
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(without, f);
	fclose(f);
	CHECK_EQ(chmod(path, 0644), 0);
	CHECK_EQ(hd_conf_load(path, "r0", &rc, err, sizeof(err)), 0);
	CHECK(!hd_conf_secret_exposed(&rc));
	unlink(path);
	rmdir(dir);
}

static void config_pick_node(void)
{
	struct hd_res_conf rc;

	CHECK_EQ(parse(full_text, "r0", &rc), 0);
	CHECK_EQ(hd_conf_pick_node(&rc, "beta", "alpha", err, sizeof(err)), 1);
	CHECK_EQ(hd_conf_pick_node(&rc, NULL, "alpha", err, sizeof(err)), 0);
	CHECK_EQ(hd_conf_pick_node(&rc, NULL, "beta", err, sizeof(err)), 1);
	CHECK_EQ(hd_conf_pick_node(&rc, NULL, "beta.example.com", err,
				   sizeof(err)), 1);
}

static void config_local_node_not_found(void)
{
	struct hd_res_conf rc;

	CHECK_EQ(parse(full_text, "r0", &rc), 0);
	CHECK_EQ(hd_conf_pick_node(&rc, NULL, "gamma.example.com", err,
				   sizeof(err)), -1);
	CHECK_STR(err,
		  "t.conf: no 'on' section of resource 'r0' matches this host's name 'gamma.example.com' (its nodes: alpha, beta); use --node NAME to say which node this is");
	CHECK_EQ(hd_conf_pick_node(&rc, "gamma", "alpha", err, sizeof(err)),
		 -1);
	CHECK_STR(err,
		  "t.conf: --node 'gamma' is not a node of resource 'r0' (its nodes: alpha, beta)");
}

static void config_load_file(void)
{
	char dir[] = "/tmp/hadisk-unit-XXXXXX", path[64];
	struct hd_res_conf rc;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/r0.conf", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(full_text, f);
	fclose(f);
	CHECK_EQ(hd_conf_load(path, "r0", &rc, err, sizeof(err)), 0);
	CHECK_STR(rc.file, path);
	CHECK_STR(rc.nodes[1].name, "beta");
	unlink(path);
	rmdir(dir);
}

static void config_missing_file(void)
{
	struct hd_res_conf rc;

	CHECK_EQ(hd_conf_load("/nonexistent/hadisk/r0.conf", "r0", &rc, err,
			      sizeof(err)), -1);
	CHECK_STR(err,
		  "cannot read configuration file /nonexistent/hadisk/r0.conf: No such file or directory (--config FILE reads another file)");
}

static void config_unreadable_file(void)
{
	struct hd_res_conf rc;

	/* a directory: unreadable as a file even for root */
	CHECK_EQ(hd_conf_load("/tmp", NULL, &rc, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "cannot read configuration file /tmp: ");
	CHECK_CONTAINS(err, "--config FILE");
}

int main(void)
{
	RUN(config_valid_full);
	RUN(config_valid_defaults);
	RUN(config_valid_ipv6);
	RUN(config_valid_layout);
	RUN(config_valid_disk_section);
	RUN(config_valid_resync_rates);
	RUN(config_valid_checksum_resync);
	RUN(config_valid_after_sb);
	RUN(config_valid_fencing_handlers);
	RUN(config_valid_on_io_error);
	RUN(config_check_hooks);
	RUN(config_pick_resource);
	RUN(config_pick_resource_ambiguous);
	RUN(config_pick_resource_missing);
	RUN(config_error_format);
	config_bad_cases();
	RUN(config_valid_auth);
	RUN(config_valid_transport);
	RUN(config_secret_never_printed);
	RUN(config_secret_exposed);
	RUN(config_pick_node);
	RUN(config_local_node_not_found);
	RUN(config_load_file);
	RUN(config_missing_file);
	RUN(config_unreadable_file);
	return unit_exit();
}
