// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the small helpers (userspace/lib/util.c, buf.c, json.c):
 * numbers, durations, rates, addresses, names, byte counts, times, typo
 * hints, the text buffer and the JSON writer.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "buf.h"
#include "json.h"
#include "jsoncheck.h"
#include "util.h"
#include "unit.h"

static void util_parse_u32(void)
{
	uint32_t v = 7;

	CHECK_EQ(hd_parse_u32("0", 10, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(hd_parse_u32("1023", 1023, &v), 0);
	CHECK_EQ(v, 1023);
	CHECK_EQ(hd_parse_u32("1024", 1023, &v), -1);
	CHECK_EQ(hd_parse_u32("", 10, &v), -1);
	CHECK_EQ(hd_parse_u32("-1", 10, &v), -1);
	CHECK_EQ(hd_parse_u32("+1", 10, &v), -1);
	CHECK_EQ(hd_parse_u32("1x", 10, &v), -1);
	CHECK_EQ(hd_parse_u32(" 1", 10, &v), -1);
	CHECK_EQ(hd_parse_u32("99999999999999999999999", UINT32_MAX, &v), -1);
	CHECK_EQ(hd_parse_u32("4294967295", UINT32_MAX, &v), 0);
	CHECK(v == UINT32_MAX);
}

static void util_parse_duration(void)
{
	uint32_t ms = 0;

	CHECK_EQ(hd_parse_duration_ms("1", &ms), 0);
	CHECK_EQ(ms, 1000);
	CHECK_EQ(hd_parse_duration_ms("2s", &ms), 0);
	CHECK_EQ(ms, 2000);
	CHECK_EQ(hd_parse_duration_ms("250ms", &ms), 0);
	CHECK_EQ(ms, 250);
	CHECK_EQ(hd_parse_duration_ms("1ms", &ms), 0);
	CHECK_EQ(ms, 1);
	CHECK_EQ(hd_parse_duration_ms("4294967s", &ms), 0);
	CHECK_EQ(hd_parse_duration_ms("4294968s", &ms), -1);
	CHECK_EQ(hd_parse_duration_ms("0", &ms), -1);
	CHECK_EQ(hd_parse_duration_ms("0ms", &ms), -1);
	CHECK_EQ(hd_parse_duration_ms("1.5s", &ms), -1);
	CHECK_EQ(hd_parse_duration_ms("5m", &ms), -1);
	CHECK_EQ(hd_parse_duration_ms("s", &ms), -1);
	CHECK_EQ(hd_parse_duration_ms("", &ms), -1);
}

static void util_parse_rate(void)
{
	uint64_t kib = 7;

	CHECK_EQ(hd_parse_rate_kib("1024", &kib), 0);
	CHECK(kib == 1024);
	CHECK_EQ(hd_parse_rate_kib("512K", &kib), 0);
	CHECK(kib == 512);
	CHECK_EQ(hd_parse_rate_kib("512k", &kib), 0);
	CHECK(kib == 512);
	CHECK_EQ(hd_parse_rate_kib("50M", &kib), 0);
	CHECK(kib == 51200);
	CHECK_EQ(hd_parse_rate_kib("3m", &kib), 0);
	CHECK(kib == 3072);
	CHECK_EQ(hd_parse_rate_kib("100G", &kib), 0);
	CHECK(kib == 104857600);
	CHECK_EQ(hd_parse_rate_kib("1g", &kib), 0);
	CHECK(kib == 1048576);
	CHECK_EQ(hd_parse_rate_kib("0", &kib), 0);
	CHECK(kib == 0);
	/* the largest that fits, and one more */
	CHECK_EQ(hd_parse_rate_kib("17592186044415G", &kib), 0);
	CHECK(kib == (UINT64_MAX >> 20) << 20);
	CHECK_EQ(hd_parse_rate_kib("17592186044416G", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("99999999999999999999999", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("50MB", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("50MiB", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("1.5G", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("1T", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("M", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("-1M", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib(" 1M", &kib), -1);
	CHECK_EQ(hd_parse_rate_kib("", &kib), -1);
}

static void util_parse_addr(void)
{
	struct hd_addr a;
	const char *why = NULL;
	char text[64];
	uint8_t ip[16];

	CHECK_EQ(hd_parse_addr("10.99.0.1:7789", &a, &why), 0);
	CHECK_EQ(a.family, AF_INET);
	CHECK_EQ(hd_addr_len(&a), 4);
	inet_pton(AF_INET, "10.99.0.1", ip);
	CHECK(!memcmp(a.bytes, ip, 4));
	CHECK_EQ(a.port, 7789);
	hd_format_addr(&a, text, sizeof(text));
	CHECK_STR(text, "10.99.0.1:7789");

	CHECK_EQ(hd_parse_addr("[::1]:65535", &a, &why), 0);
	CHECK_EQ(a.family, AF_INET6);
	CHECK_EQ(hd_addr_len(&a), 16);
	CHECK_EQ(a.port, 65535);
	hd_format_addr(&a, text, sizeof(text));
	CHECK_STR(text, "[::1]:65535");

	CHECK_EQ(hd_parse_addr("10.0.0.1", &a, &why), -1);
	CHECK_CONTAINS(why, "port is missing");
	CHECK_EQ(hd_parse_addr("10.0.0.1:", &a, &why), -1);
	CHECK_CONTAINS(why, "port is missing");
	CHECK_EQ(hd_parse_addr("10.0.0.1:0", &a, &why), -1);
	CHECK_EQ(hd_parse_addr("10.0.0.1:65536", &a, &why), -1);
	CHECK_EQ(hd_parse_addr("10.0.0.1:77x", &a, &why), -1);
	CHECK_EQ(hd_parse_addr("host:7789", &a, &why), -1);
	CHECK_CONTAINS(why, "not an IPv4 address");
	CHECK_EQ(hd_parse_addr("[::1]", &a, &why), -1);
	CHECK_EQ(hd_parse_addr("[::1:7789", &a, &why), -1);
	CHECK_EQ(hd_parse_addr("[zz::1]:7789", &a, &why), -1);
	CHECK_CONTAINS(why, "not an IPv6 address");
	CHECK_EQ(hd_parse_addr("::1:7789", &a, &why), -1);
	CHECK_CONTAINS(why, "[ADDR]:PORT");
}

static void util_check_name(void)
{
	char why[160], name[80];

	CHECK_EQ(hd_check_name("r0", 63, why, sizeof(why)), 0);
	CHECK_EQ(hd_check_name("A-z_0.9", 63, why, sizeof(why)), 0);
	memset(name, 'x', 63);
	name[63] = '\0';
	CHECK_EQ(hd_check_name(name, 63, why, sizeof(why)), 0);
	name[63] = 'x';
	name[64] = '\0';
	CHECK_EQ(hd_check_name(name, 63, why, sizeof(why)), -1);
	CHECK_STR(why, "the name is 64 characters long; the maximum is 63");
	CHECK_EQ(hd_check_name("", 63, why, sizeof(why)), -1);
	CHECK_STR(why, "the name is empty");
	CHECK_EQ(hd_check_name("a b", 63, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "bad character ' '");
	CHECK_EQ(hd_check_name("a\nb", 63, why, sizeof(why)), -1);
	CHECK_CONTAINS(why, "bad character 0x0a");
}

static void util_format_bytes(void)
{
	static const struct {
		uint64_t v;
		const char *s;
	} cases[] = {
		{ 0, "0B" }, { 1023, "1023B" }, { 1024, "1.0KiB" },
		{ 1536, "1.5KiB" }, { 1048575, "1.0MiB" },
		{ 1258291, "1.2MiB" }, { 268435456, "256.0MiB" },
		{ 1073741824, "1.0GiB" }, { 1099511627776ull, "1.0TiB" },
		{ UINT64_MAX, "16.0EiB" },
	};
	char s[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		hd_format_bytes(cases[i].v, s, sizeof(s));
		CHECK_STR(s, cases[i].s);
	}
}

static void util_format_hms(void)
{
	char s[32];

	hd_format_hms(0, s, sizeof(s));
	CHECK_STR(s, "00:00:00");
	hd_format_hms(5, s, sizeof(s));
	CHECK_STR(s, "00:00:05");
	hd_format_hms(3661, s, sizeof(s));
	CHECK_STR(s, "01:01:01");
	hd_format_hms(360000, s, sizeof(s));
	CHECK_STR(s, "100:00:00");
}

static void util_closest(void)
{
	static const char *const keys[] = {
		"node-id", "address", "disk", "minor", "meta-disk"
	};
	const size_t n = ARRAY_SIZE(keys);

	CHECK_EQ(hd_edit_distance("adress", "address"), 1);
	CHECK_EQ(hd_edit_distance("", "abc"), 3);
	CHECK_EQ(hd_edit_distance("Disk", "disk"), 0);
	CHECK_STR(hd_closest("adress", keys, n), "address");
	CHECK_STR(hd_closest("minro", keys, n), "minor");
	CHECK_STR(hd_closest("metadisk", keys, n), "meta-disk");
	CHECK(hd_closest("frobnicate", keys, n) == NULL);
	CHECK(hd_closest("dk", keys, n) == NULL);
}

static void util_strlcpy(void)
{
	char s[4];

	CHECK_EQ(hd_strlcpy(s, "abcdef", sizeof(s)), 6);
	CHECK_STR(s, "abc");
	CHECK_EQ(hd_strlcpy(s, "ab", sizeof(s)), 2);
	CHECK_STR(s, "ab");
}

static void buf_grows(void)
{
	struct hd_buf b = HD_BUF_INIT;
	int i;

	CHECK_STR(hd_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		hd_buf_printf(&b, "%d,", i);
	CHECK_EQ(b.len, strlen(hd_buf_str(&b)));
	CHECK(!strncmp(hd_buf_str(&b), "0,1,2,", 6));
	CHECK_CONTAINS(hd_buf_str(&b), ",999,");
	hd_buf_reset(&b);
	CHECK_STR(hd_buf_str(&b), "");
	hd_buf_putc(&b, 'x');
	hd_buf_add(&b, "yz", 1);
	CHECK_STR(hd_buf_str(&b), "xy");
	hd_buf_free(&b);
}

static void json_writer_nesting(void)
{
	struct hd_buf b = HD_BUF_INIT;
	struct hd_json j;

	hd_json_init(&j, &b);
	hd_json_object_begin(&j);
	hd_json_key(&j, "a");
	hd_json_array_begin(&j);
	hd_json_u64(&j, 1);
	hd_json_string(&j, "two");
	hd_json_null(&j);
	hd_json_object_begin(&j);
	hd_json_object_end(&j);
	hd_json_array_begin(&j);
	hd_json_array_end(&j);
	hd_json_array_end(&j);
	hd_json_key(&j, "b");
	hd_json_bool(&j, true);
	hd_json_key(&j, "c");
	hd_json_fixed1(&j, 99.96);
	hd_json_key(&j, "d");
	hd_json_string(&j, NULL);
	hd_json_object_end(&j);
	CHECK_STR(hd_buf_str(&b),
		  "{\"a\":[1,\"two\",null,{},[]],\"b\":true,\"c\":100.0,\"d\":null}");
	CHECK(json_valid(hd_buf_str(&b)));
	hd_buf_free(&b);
}

int main(void)
{
	RUN(util_parse_u32);
	RUN(util_parse_duration);
	RUN(util_parse_rate);
	RUN(util_parse_addr);
	RUN(util_check_name);
	RUN(util_format_bytes);
	RUN(util_format_hms);
	RUN(util_closest);
	RUN(util_strlcpy);
	RUN(buf_grows);
	RUN(json_writer_nesting);
	return unit_exit();
}
