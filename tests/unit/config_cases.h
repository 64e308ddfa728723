/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bad configuration files, shared by test_config.c (the parser must
 * refuse each with a message naming the line, the problem and the fix)
 * and test_cli.c (hadiskctl must exit with the config-error code).
 */
#ifndef HADISK_CONFIG_CASES_H
#define HADISK_CONFIG_CASES_H

struct conf_case {
	const char *name;
	const char *text;
	int line;		/* the message starts "FILE:LINE: "; 0: "FILE: " */
	const char *want[3];	/* substrings of the message */
};

#define ALPHA_OK							\
	"  on alpha {\n"						\
	"    address 10.99.0.1:7789;\n"					\
	"    disk /dev/ram0;\n"						\
	"    minor 0;\n"						\
	"  }\n"

#define BETA_OK								\
	"  on beta {\n"							\
	"    address 10.99.0.2:7789;\n"					\
	"    disk /dev/ram1;\n"						\
	"    minor 1;\n"						\
	"  }\n"

/* A resource around node sections: line 1 is "resource r0 {". */
#define RES(body) "resource r0 {\n" body "}\n"

static const struct conf_case conf_cases[] = {
	{ "unknown_key_typo",
	  RES("  on alpha {\n    adress 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "unknown key 'adress' in 'on alpha' (did you mean 'address'?)" } },
	{ "disk_path_in_resource",
	  RES("  disk /dev/ram0;\n" ALPHA_OK BETA_OK),
	  2, { "'disk /dev/ram0;' in 'resource r0'",
	       "belongs in an 'on NAME { }' section",
	       "'disk { al-extents N; }'" } },
	{ "unknown_key_top_level",
	  "resorce r0 {\n" ALPHA_OK BETA_OK "}\n",
	  1, { "unknown key 'resorce' at the top level",
	       "did you mean 'resource'?" } },
	{ "unknown_key_no_hint",
	  RES("  net {\n    frobnicate 1;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'frobnicate' in 'net'",
	       "valid here: ping-interval, ping-timeout, ack-timeout, connect-interval, checksum-resync" } },
	{ "missing_address",
	  RES("  on alpha {\n    disk /dev/ram0;\n    minor 0;\n  }\n" BETA_OK),
	  2, { "missing required key 'address' in 'on alpha'",
	       "add 'address 10.0.0.1:7789;'" } },
	{ "missing_disk",
	  RES(ALPHA_OK "  on beta {\n    address 10.99.0.2:7789;\n"
	      "    minor 1;\n  }\n"),
	  7, { "missing required key 'disk' in 'on beta'", "add 'disk" } },
	{ "missing_minor",
	  RES(ALPHA_OK "  on beta {\n    address 10.99.0.2:7789;\n"
	      "    disk /dev/ram1;\n  }\n"),
	  7, { "missing required key 'minor' in 'on beta'", "add 'minor 0;'" } },
	{ "bad_address_no_port",
	  RES("  on alpha {\n    address 10.99.0.1;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "bad address '10.99.0.1' in 'on alpha'", "the port is missing" } },
	{ "bad_address_ip",
	  RES("  on alpha {\n    address 10.99.0.300:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "bad address '10.99.0.300:7789'", "not an IPv4 address" } },
	{ "bad_port_zero",
	  RES("  on alpha {\n    address 10.99.0.1:0;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "bad address '10.99.0.1:0'", "from 1 to 65535" } },
	{ "bad_port_too_big",
	  RES("  on alpha {\n    address 10.99.0.1:70000;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "bad address '10.99.0.1:70000'", "from 1 to 65535" } },
	{ "bad_ipv6_without_brackets",
	  RES("  on alpha {\n    address fd00::1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "bad address 'fd00::1:7789'", "[ADDR]:PORT" } },
	{ "address_family_prefix",
	  RES("  on alpha {\n    address ipv4 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  3, { "no address family prefix", "write 'address 10.99.0.1:7789;'" } },
	{ "duplicate_node_name",
	  RES(ALPHA_OK "  on alpha {\n    address 10.99.0.2:7789;\n"
	      "    disk /dev/ram1;\n    minor 1;\n  }\n"),
	  7, { "duplicate node name 'alpha'", "line 2", "need different names" } },
	{ "duplicate_node_id",
	  RES("  on alpha {\n    node-id 3;\n    address 10.99.0.1:7789;\n"
	      "    disk /dev/ram0;\n    minor 0;\n  }\n"
	      "  on beta {\n    node-id 3;\n    address 10.99.0.2:7789;\n"
	      "    disk /dev/ram1;\n    minor 1;\n  }\n"),
	  9, { "node-id 3 of 'on beta' is also the node-id of 'on alpha' (line 3)",
	       "every node needs its own node-id" } },
	{ "duplicate_node_id_by_position",
	  RES(ALPHA_OK "  on beta {\n    node-id 0;\n    address 10.99.0.2:7789;\n"
	      "    disk /dev/ram1;\n    minor 1;\n  }\n"),
	  8, { "node-id 0 of 'on beta'", "gets its position in the file" } },
	{ "duplicate_key",
	  RES("  on alpha {\n    minor 0;\n    address 10.99.0.1:7789;\n"
	      "    disk /dev/ram0;\n    minor 2;\n  }\n" BETA_OK),
	  6, { "duplicate key 'minor' in 'on alpha'",
	       "already set on line 3; keep one" } },
	{ "duplicate_net_key",
	  RES("  net {\n    ping-timeout 2s;\n    ping-timeout 3s;\n  }\n"
	      ALPHA_OK BETA_OK),
	  4, { "duplicate key 'ping-timeout' in 'net'", "line 3" } },
	{ "duplicate_net_section",
	  RES("  net {\n  }\n  net {\n  }\n" ALPHA_OK BETA_OK),
	  4, { "duplicate 'net' section in 'resource r0'", "merge them" } },
	{ "duplicate_resource",
	  RES(ALPHA_OK BETA_OK) RES(ALPHA_OK BETA_OK),
	  13, { "resource 'r0' is defined twice" } },
	{ "same_address",
	  RES(ALPHA_OK "  on beta {\n    address 10.99.0.1:7789;\n"
	      "    disk /dev/ram1;\n    minor 1;\n  }\n"),
	  8, { "'on beta' has the same address as 'on alpha' (10.99.0.1:7789)" } },
	{ "address_family_mismatch",
	  RES(ALPHA_OK "  on beta {\n    address [fd00::2]:7789;\n"
	      "    disk /dev/ram1;\n    minor 1;\n  }\n"),
	  8, { "an IPv4 address but 'on beta' an IPv6 one",
	       "same address family" } },
	{ "bad_protocol",
	  RES("  protocol D;\n" ALPHA_OK BETA_OK),
	  2, { "bad protocol 'D' in 'resource r0' (write A, B or C)" } },
	{ "resource_name_too_long",
	  "resource r012345678901234567890123456789012345678901234567890123456789012 {\n"
	  ALPHA_OK BETA_OK "}\n",
	  1, { "bad resource name", "is 64 characters long; the maximum is 63" } },
	{ "resource_name_bad_character",
	  "resource r0/x {\n" ALPHA_OK BETA_OK "}\n",
	  1, { "bad resource name 'r0/x'", "bad character '/'",
	       "letters, digits" } },
	{ "node_name_bad_character",
	  RES("  on al!pha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  2, { "bad node name 'al!pha'", "bad character '!'" } },
	{ "unterminated_on",
	  "resource r0 {\n" ALPHA_OK "  on beta {\n    address 10.99.0.2:7789;\n",
	  7, { "unterminated block 'on beta'", "add '}'" } },
	{ "unterminated_resource",
	  "resource r0 {\n" ALPHA_OK BETA_OK,
	  1, { "unterminated block 'resource r0'", "add '}'" } },
	{ "missing_semicolon",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  4, { "missing ';' after 'disk /dev/ram0' in 'on alpha'",
	       "found 'minor'" } },
	{ "missing_semicolon_before_brace",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0\n  }\n" BETA_OK),
	  5, { "missing ';' after 'minor 0'", "found '}'" } },
	{ "one_node",
	  RES(ALPHA_OK),
	  1, { "resource 'r0' has 1 'on' section; hadisk needs exactly two" } },
	{ "three_nodes",
	  RES(ALPHA_OK BETA_OK "  on gamma {\n  }\n"),
	  12, { "a third 'on' section ('on gamma')", "exactly two nodes" } },
	{ "bad_duration_fraction",
	  RES("  net {\n    ping-interval 1.5s;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "bad duration '1.5s' for 'ping-interval' in 'net'",
	       "N, Nms or Ns" } },
	{ "bad_duration_zero",
	  RES("  net {\n    ack-timeout 0;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "bad duration '0' for 'ack-timeout'" } },
	{ "duration_too_short",
	  RES("  net {\n    ping-timeout 50ms;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'ping-timeout 50ms' in 'net' is out of range",
	       "from 100ms to 600s" } },
	{ "duration_too_long",
	  RES("  net {\n    ack-timeout 601s;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'ack-timeout 601s' in 'net' is out of range" } },
	{ "bad_duration_unit",
	  RES("  net {\n    connect-interval 10m;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "bad duration '10m'" } },
	{ "bad_node_id",
	  RES("  on alpha {\n    node-id 32;\n    address 10.99.0.1:7789;\n"
	      "    disk /dev/ram0;\n    minor 0;\n  }\n" BETA_OK),
	  3, { "bad node-id '32' in 'on alpha'", "from 0 to 31" } },
	{ "bad_minor",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 1024;\n  }\n" BETA_OK),
	  5, { "bad minor '1024' in 'on alpha'", "from 0 to 1023" } },
	{ "missing_value",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk ;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  4, { "key 'disk' in 'on alpha' needs a value", "write 'disk /dev/sdb;'" } },
	{ "unterminated_string",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk \"/dev/ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  4, { "unterminated string" } },
	{ "empty_file",
	  "# nothing here\n",
	  0, { "no resource in this file", "resource NAME { ... }" } },
	{ "bad_meta_disk",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n    meta-disk external;\n  }\n" BETA_OK),
	  6, { "bad meta-disk 'external'", "'internal', 'none'" } },
	{ "relative_disk",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk ram0;\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  4, { "bad disk 'ram0' in 'on alpha'", "absolute path" } },
	{ "missing_open_brace",
	  RES("  on alpha\n    address 10.99.0.1:7789;\n" BETA_OK),
	  3, { "expected '{' after 'on alpha', found 'address'" } },
	{ "stray_close_brace",
	  RES(ALPHA_OK BETA_OK) "}\n",
	  13, { "unexpected '}' at the top level" } },
	{ "al_extents_too_small",
	  RES("  disk {\n    al-extents 6;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'al-extents 6' in 'disk' is out of range",
	       "write a number from 7 to 1000",
	       "the kernel's default, 257, applies" } },
	{ "al_extents_too_big",
	  RES("  disk { al-extents 1001; }\n" ALPHA_OK BETA_OK),
	  2, { "'al-extents 1001' in 'disk' is out of range",
	       "from 7 to 1000" } },
	{ "al_extents_not_a_number",
	  RES("  disk {\n    al-extents 1G;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "bad al-extents '1G' in 'disk'",
	       "a number of 4 MiB extents from 7 to 1000",
	       "'al-extents 257;'" } },
	{ "al_extents_missing_value",
	  RES("  disk {\n    al-extents;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "key 'al-extents' in 'disk' needs a value",
	       "write 'al-extents 257;'" } },
	{ "al_extents_duplicate",
	  RES("  disk {\n    al-extents 9;\n    al-extents 10;\n  }\n"
	      ALPHA_OK BETA_OK),
	  4, { "duplicate key 'al-extents' in 'disk'", "line 3" } },
	{ "disk_section_duplicate",
	  RES("  disk {\n  }\n  disk {\n  }\n" ALPHA_OK BETA_OK),
	  4, { "duplicate 'disk' section in 'resource r0'", "merge them" } },
	{ "disk_section_unknown_key",
	  RES("  disk {\n    al-extent 300;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'al-extent' in 'disk' (did you mean 'al-extents'?)" } },
	{ "al_extents_in_resource",
	  RES("  al-extents 300;\n" ALPHA_OK BETA_OK),
	  2, { "unknown key 'al-extents' in 'resource r0'",
	       "belongs in the 'disk { }' section" } },
	{ "al_extents_in_on",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n    al-extents 300;\n  }\n" BETA_OK),
	  6, { "unknown key 'al-extents' in 'on alpha'",
	       "belongs in the 'disk { }' section" } },
	{ "disk_section_in_on",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n"
	      "    disk { al-extents 300; }\n    minor 0;\n  }\n" BETA_OK),
	  4, { "'disk { ... }' in 'on alpha'",
	       "belongs in the 'resource NAME { }' section",
	       "write 'disk /dev/sdb;'" } },
	{ "disk_section_unterminated",
	  RES("  disk {\n    al-extents 300;\n" ALPHA_OK BETA_OK),
	  4, { "unknown key 'on' in 'disk'",
	       "belongs in a 'resource NAME { }' section" } },
	{ "resync_rate_bad_suffix",
	  RES("  disk {\n    resync-rate-min 50MB;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "bad resync-rate-min '50MB' in 'disk'",
	       "from 1M to 100G with a suffix K, M or G, powers of 1024",
	       "e.g. 'resync-rate-min 50M;'; a bare number is KiB" } },
	{ "resync_rate_fraction",
	  RES("  disk { resync-rate-max 1.5G; }\n" ALPHA_OK BETA_OK),
	  2, { "bad resync-rate-max '1.5G' in 'disk'",
	       "e.g. 'resync-rate-max 500M;'" } },
	{ "resync_rate_too_small",
	  RES("  disk {\n    resync-rate-min 512K;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'resync-rate-min 512K' in 'disk' is out of range",
	       "write a rate from 1M to 100G per second",
	       "without the key the kernel's default, 32M, applies" } },
	{ "resync_rate_bare_kib_too_small",
	  RES("  disk {\n    resync-rate-max 1000;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'resync-rate-max 1000' in 'disk' is out of range",
	       "from 1M to 100G per second",
	       "the kernel's default, 1G, applies" } },
	{ "resync_rate_too_big",
	  RES("  disk {\n    resync-rate-max 101G;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'resync-rate-max 101G' in 'disk' is out of range",
	       "from 1M to 100G per second" } },
	{ "resync_rate_min_above_max",
	  RES("  disk {\n    resync-rate-min 200M;\n"
	      "    resync-rate-max 100M;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'resync-rate-min 200M' in 'disk' is above 'resync-rate-max 100M' (line 4)",
	       "lower resync-rate-min or raise resync-rate-max" } },
	{ "resync_rate_min_above_default_max",
	  RES("  disk {\n    resync-rate-min 2G;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "'resync-rate-min 2G' in 'disk' is above the kernel's default resync-rate-max, 1G",
	       "add 'resync-rate-max 2G;' or more" } },
	{ "resync_rate_max_below_default_min",
	  RES("  disk {\n    al-extents 300;\n    resync-rate-max 10M;\n  }\n"
	      ALPHA_OK BETA_OK),
	  4, { "'resync-rate-max 10M' in 'disk' is below the kernel's default resync-rate-min, 32M",
	       "add 'resync-rate-min 10M;' or less" } },
	{ "resync_rate_duplicate",
	  RES("  disk {\n    resync-rate-max 100M;\n    resync-rate-max 200M;\n"
	      "  }\n" ALPHA_OK BETA_OK),
	  4, { "duplicate key 'resync-rate-max' in 'disk'", "line 3" } },
	{ "resync_rate_missing_value",
	  RES("  disk {\n    resync-rate-min;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "key 'resync-rate-min' in 'disk' needs a value",
	       "write 'resync-rate-min 50M;'" } },
	{ "resync_rate_in_net",
	  RES("  net {\n    resync-rate-max 100M;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'resync-rate-max' in 'net'",
	       "belongs in the 'disk { }' section" } },
	{ "resync_rate_drbd_key",
	  RES("  disk {\n    resync-rate 50M;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'resync-rate' in 'disk'",
	       "valid here: al-extents, resync-rate-min, resync-rate-max" } },
	{ "resync_rate_typo",
	  RES("  disk {\n    resync-rate-mn 50M;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'resync-rate-mn' in 'disk' (did you mean 'resync-rate-min'?)" } },
	{ "checksum_resync_bad_value",
	  RES("  net {\n    checksum-resync on;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "bad value 'on' for 'checksum-resync' in 'net'",
	       "write 'checksum-resync yes;' or 'checksum-resync no;'",
	       "without the key it is no" } },
	{ "checksum_resync_capitals",
	  RES("  net { checksum-resync Yes; }\n" ALPHA_OK BETA_OK),
	  2, { "bad value 'Yes' for 'checksum-resync' in 'net'" } },
	{ "checksum_resync_missing_value",
	  RES("  net {\n    checksum-resync;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "key 'checksum-resync' in 'net' needs a value",
	       "write 'checksum-resync yes;'" } },
	{ "checksum_resync_missing_semicolon",
	  RES("  net {\n    checksum-resync yes\n  }\n" ALPHA_OK BETA_OK),
	  3, { "missing ';' after 'checksum-resync yes' in 'net'",
	       "found '}'" } },
	{ "checksum_resync_duplicate",
	  RES("  net {\n    checksum-resync yes;\n    checksum-resync no;\n"
	      "  }\n" ALPHA_OK BETA_OK),
	  4, { "duplicate key 'checksum-resync' in 'net'", "line 3" } },
	{ "checksum_resync_typo",
	  RES("  net {\n    checksum-resyn yes;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'checksum-resyn' in 'net' (did you mean 'checksum-resync'?)" } },
	{ "checksum_resync_in_disk",
	  RES("  disk {\n    checksum-resync yes;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'checksum-resync' in 'disk'",
	       "belongs in the 'net { }' section" } },
	{ "checksum_resync_in_resource",
	  RES("  checksum-resync yes;\n" ALPHA_OK BETA_OK),
	  2, { "unknown key 'checksum-resync' in 'resource r0'",
	       "belongs in the 'net { }' section" } },
	{ "csums_alg_drbd_key",
	  RES("  net {\n    csums-alg sha1;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'csums-alg' in 'net'", "always crc32c",
	       "write 'checksum-resync yes;' in the 'net { }' section" } },
	{ "verify_alg_drbd_key",
	  RES("  net {\n    verify-alg crc32c;\n  }\n" ALPHA_OK BETA_OK),
	  3, { "unknown key 'verify-alg' in 'net'",
	       "needs no setting: run 'hadiskctl verify RES'" } },
	{ "meta_disk_is_the_disk",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\n"
	      "    minor 0;\n    meta-disk /dev/ram0;\n  }\n" BETA_OK),
	  6, { "'meta-disk /dev/ram0' in 'on alpha' is the node's disk itself",
	       "write 'meta-disk internal;'" } },
	{ "binary_byte",
	  RES("  on alpha {\n    address 10.99.0.1:7789;\n    disk /dev/ram0;\x01\n"
	      "    minor 0;\n  }\n" BETA_OK),
	  4, { "unexpected byte 0x01" } },
};

#endif /* HADISK_CONFIG_CASES_H */
