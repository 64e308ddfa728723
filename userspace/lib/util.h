/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small parsing and formatting helpers shared by the hadisk tools: numbers,
 * durations, rates, IP addresses with ports, names, byte counts and times.
 */
#ifndef HADISK_UTIL_H
#define HADISK_UTIL_H

#include <stddef.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* An IPv4 or IPv6 address and a port, as the kernel's CONNECT wants it. */
struct hd_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t bytes[16];	/* network order; 4 used for AF_INET */
	uint16_t port;		/* host order */
};

static inline size_t hd_addr_len(const struct hd_addr *a)
{
	return a->family == 2 /* AF_INET */ ? 4 : 16;
}

/* Copies at most size - 1 bytes and always terminates; returns strlen(src). */
size_t hd_strlcpy(char *dst, const char *src, size_t size);

/* Plain decimal number in 0..max. Returns 0, or -1 if s is not one. */
int hd_parse_u32(const char *s, uint32_t max, uint32_t *out);

/*
 * Duration: "N" (seconds), "Nms" or "Ns", at least 1 ms and at most
 * UINT32_MAX ms. Returns 0 and the milliseconds, or -1.
 */
int hd_parse_duration_ms(const char *s, uint32_t *ms);

/*
 * Rate per second: "N" (KiB), "NK", "NM" or "NG" (powers of 1024; the
 * suffix in either case). Returns 0 and the KiB, or -1 if s is not one or
 * does not fit.
 */
int hd_parse_rate_kib(const char *s, uint64_t *kib);

/*
 * "a.b.c.d:port" or "[v6addr]:port", port 1..65535. Returns 0, or -1 and
 * *why says what is wrong in a phrase that can follow "bad address 'x': ".
 */
int hd_parse_addr(const char *s, struct hd_addr *a, const char **why);

/* The form hd_parse_addr() reads. buf should hold 64 bytes. */
void hd_format_addr(const struct hd_addr *a, char *buf, size_t size);

/*
 * Checks a resource or node name: 1..max_len characters of
 * [A-Za-z0-9_.-]. Returns 0, or -1 with the reason in why.
 */
int hd_check_name(const char *s, size_t max_len, char *why, size_t why_size);

/* "0B", "512B", "1.0KiB", "256.0MiB", ... buf should hold 16 bytes. */
void hd_format_bytes(uint64_t bytes, char *buf, size_t size);

/* "HH:MM:SS" (hours grow past 99 if they must). */
void hd_format_hms(uint64_t seconds, char *buf, size_t size);

/* Levenshtein distance, for "did you mean" hints. */
unsigned int hd_edit_distance(const char *a, const char *b);

/* The candidate closest to word, if close enough to be a likely typo. */
const char *hd_closest(const char *word, const char *const *cands, size_t n);

#endif /* HADISK_UTIL_H */
