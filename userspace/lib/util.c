// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and formatting helpers, see util.h.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util.h"

_Static_assert(AF_INET == 2, "hd_addr_len() assumes AF_INET is 2");

size_t hd_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

static int parse_u64(const char *s, const char **end, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*end = p;
	*out = v;
	return 0;
}

int hd_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	const char *end;
	uint64_t v;

	if (parse_u64(s, &end, &v) || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int hd_parse_duration_ms(const char *s, uint32_t *ms)
{
	const char *end;
	uint64_t v;

	if (parse_u64(s, &end, &v))
		return -1;
	if (!strcmp(end, "ms")) {
		/* already milliseconds */
	} else if (!*end || !strcmp(end, "s")) {
		if (v > UINT32_MAX / 1000)
			return -1;
		v *= 1000;
	} else {
		return -1;
	}
	if (v < 1 || v > UINT32_MAX)
		return -1;
	*ms = (uint32_t)v;
	return 0;
}

int hd_parse_rate_kib(const char *s, uint64_t *kib)
{
	unsigned int shift;
	const char *end;
	uint64_t v;

	if (parse_u64(s, &end, &v))
		return -1;
	switch (*end) {
	case '\0':
	case 'K':
	case 'k':
		shift = 0;
		break;
	case 'M':
	case 'm':
		shift = 10;
		break;
	case 'G':
	case 'g':
		shift = 20;
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	if (v > UINT64_MAX >> shift)
		return -1;
	*kib = v << shift;
	return 0;
}

static int parse_port(const char *s, uint16_t *port, const char **why)
{
	uint32_t v;

	if (!*s) {
		*why = "the port is missing (write IP:PORT)";
		return -1;
	}
	if (hd_parse_u32(s, 65535, &v) || v == 0) {
		*why = "the port must be a number from 1 to 65535";
		return -1;
	}
	*port = (uint16_t)v;
	return 0;
}

int hd_parse_addr(const char *s, struct hd_addr *a, const char **why)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon;
	size_t n;

	memset(a, 0, sizeof(*a));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close) {
			*why = "IPv6 addresses are written [ADDR]:PORT";
			return -1;
		}
		n = (size_t)(close - s - 1);
		if (n >= sizeof(host)) {
			*why = "not an IPv6 address";
			return -1;
		}
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (inet_pton(AF_INET6, host, a->bytes) != 1) {
			*why = "not an IPv6 address";
			return -1;
		}
		if (close[1] != ':') {
			*why = "the port is missing (write [ADDR]:PORT)";
			return -1;
		}
		a->family = AF_INET6;
		return parse_port(close + 2, &a->port, why);
	}
	colon = strchr(s, ':');
	if (!colon) {
		*why = "the port is missing (write IP:PORT)";
		return -1;
	}
	if (strchr(colon + 1, ':')) {
		*why = "IPv6 addresses are written [ADDR]:PORT";
		return -1;
	}
	n = (size_t)(colon - s);
	if (n >= sizeof(host)) {
		*why = "not an IPv4 address (write a.b.c.d:PORT)";
		return -1;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, a->bytes) != 1) {
		*why = "not an IPv4 address (write a.b.c.d:PORT)";
		return -1;
	}
	a->family = AF_INET;
	return parse_port(colon + 1, &a->port, why);
}

void hd_format_addr(const struct hd_addr *a, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(a->family, a->bytes, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (a->family == AF_INET6)
		snprintf(buf, size, "[%s]:%u", host, a->port);
	else
		snprintf(buf, size, "%s:%u", host, a->port);
}

int hd_check_name(const char *s, size_t max_len, char *why, size_t why_size)
{
	size_t len = strlen(s);
	const char *p;

	if (!len) {
		snprintf(why, why_size, "the name is empty");
		return -1;
	}
	if (len > max_len) {
		snprintf(why, why_size,
			 "the name is %zu characters long; the maximum is %zu",
			 len, max_len);
		return -1;
	}
	for (p = s; *p; p++) {
		if (isalnum((unsigned char)*p) || *p == '_' || *p == '.' ||
		    *p == '-')
			continue;
		if (isprint((unsigned char)*p))
			snprintf(why, why_size,
				 "the name has a bad character '%c' (allowed: letters, digits, '_', '.', '-')",
				 *p);
		else
			snprintf(why, why_size,
				 "the name has a bad character 0x%02x (allowed: letters, digits, '_', '.', '-')",
				 (unsigned char)*p);
		return -1;
	}
	return 0;
}

void hd_format_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char *const units[] = {
		"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"
	};
	double v = (double)bytes;
	unsigned int i = 0;

	if (bytes < 1024) {
		snprintf(buf, size, "%" PRIu64 "B", bytes);
		return;
	}
	v /= 1024;
	/* round as printf will, so 1023.96KiB becomes 1.0MiB, not 1024.0KiB */
	while (v >= 1023.95 && i + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		i++;
	}
	snprintf(buf, size, "%.1f%s", v, units[i]);
}

void hd_format_hms(uint64_t seconds, char *buf, size_t size)
{
	snprintf(buf, size, "%02" PRIu64 ":%02u:%02u", seconds / 3600,
		 (unsigned int)(seconds / 60 % 60),
		 (unsigned int)(seconds % 60));
}

unsigned int hd_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[64], prev, tmp;

	if (lb >= ARRAY_SIZE(row) || la >= ARRAY_SIZE(row))
		return 64;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			unsigned int best;

			tmp = row[j];
			best = prev + (tolower((unsigned char)a[i - 1]) !=
				       tolower((unsigned char)b[j - 1]));
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *hd_closest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	unsigned int best_d = ~0u;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int d = hd_edit_distance(word, cands[i]);

		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	/* a typo: at most 2 edits, and fewer than half of the word */
	if (best && best_d <= 2 && best_d * 2 < strlen(word))
		return best;
	return NULL;
}
