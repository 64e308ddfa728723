// SPDX-License-Identifier: GPL-2.0
/*
 * ackcheck: the acknowledged-write checker of the crash tests.
 *
 *   ackcheck write DEV --count N [--start K] [--seed S] [--report FILE]
 *                      [--area BYTES] [--offset BYTES]
 *   ackcheck verify DEV --upto N [--from K] [--seed S]
 *                      [--area BYTES] [--offset BYTES]
 *
 * DEV is a block device or a regular file (e.g. a preallocated file on a
 * mounted file system).  The checked area is AREA bytes at OFFSET in DEV
 * (default: offset 0, area min(16 MiB, size of DEV - OFFSET)), cut into
 * 4 KiB slots.  Block number i (1 <= i <= slots) has a slot of its own,
 * chosen by a seeded pseudo-random permutation, so that consecutive
 * numbers land all over the area (and over many activity-log extents) and
 * no block ever overwrites another block of the same seed.
 *
 * write: blocks K .. K+N-1 (K defaults to 1) are written one at a time with
 * O_DIRECT|O_SYNC.  After a write returns, i.e. once the storage stack
 * acknowledged it, its number is appended to FILE as a line "i\n" with a
 * single write(2) on an O_APPEND descriptor.  On a 9p share (the VM
 * harness's results directory) the host sees that line the moment write(2)
 * returns; on any other file system the report is fsync'ed after every line.
 * So the last complete line of FILE is a block that the device acknowledged
 * before the crash, whatever happened afterwards.
 *
 * verify: blocks K .. N (K defaults to 1) must all be present and intact.
 * Prints a summary and exits 0, or names the first bad blocks and exits 1.
 * It also reports how many blocks after N are present (written, but their
 * acknowledgement was not reported before the crash): those are allowed,
 * not required.
 *
 * Block layout (4096 bytes, little endian):
 *     0  magic "HDACKBLK"
 *     8  u64 block number
 *    16  u64 seed
 *    24  u64 slot (index of the 4 KiB slot within the area)
 *    32  u64 byte offset of the block in DEV
 *    40  u32 layout version (1)
 *    44  u32 zero
 *    48  payload: a pseudo-random stream derived from (seed, number)
 *  4092  u32 crc32c (Castagnoli) of bytes 0..4091
 *
 * Exit status: 0 success, 1 verification or I/O failure, 2 usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define BLK 4096u
#define DEFAULT_AREA (16ull << 20)
#define MAGIC "HDACKBLK"
#define LAYOUT_VERSION 1u
#define HDR_BYTES 48u
#define CRC_OFF (BLK - 4u)
#define V9FS_MAGIC 0x01021997
#define VERIFY_CHUNK (1u << 20)
#define MAX_LISTED 10

static const char *prog = "ackcheck";

static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s write DEV --count N [--start K] [--seed S] [--report FILE] [--area BYTES] [--offset BYTES]\n"
		"       %s verify DEV --upto N [--from K] [--seed S] [--area BYTES] [--offset BYTES]\n",
		prog, prog);
	exit(2);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* crc32c (Castagnoli, reflected 0x82f63b78, seed ~0, final ~0) */
static uint32_t crc_table[256];

static void crc_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32c(const unsigned char *p, size_t n)
{
	uint32_t c = ~0u;

	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t s = a * 0x9e3779b97f4a7c15ull ^ b;

	splitmix64(&s);
	s ^= c * 0xc2b2ae3d27d4eb4full;
	return splitmix64(&s);
}

static void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * The slot permutation: a 4-round Feistel network on the smallest even
 * number of bits covering the slots, keyed by the seed, with cycle walking
 * to stay below nslots.  A bijection of [0, nslots).
 */
struct perm {
	uint64_t nslots;
	unsigned int half;	/* bits per half */
	uint64_t mask;
	uint64_t seed;
};

static void perm_init(struct perm *p, uint64_t nslots, uint64_t seed)
{
	unsigned int bits = 2;

	while (bits < 64 && (1ull << bits) < nslots)
		bits += 2;
	p->nslots = nslots;
	p->half = bits / 2;
	p->mask = (1ull << p->half) - 1;
	p->seed = seed;
}

static uint64_t feistel(const struct perm *p, uint64_t x)
{
	uint64_t l = x >> p->half, r = x & p->mask, t;
	int round;

	for (round = 0; round < 4; round++) {
		t = l ^ (mix3(p->seed, (uint64_t)round, r) & p->mask);
		l = r;
		r = t;
	}
	return l << p->half | r;
}

static uint64_t perm_slot(const struct perm *p, uint64_t number)
{
	uint64_t x = number - 1;

	do
		x = feistel(p, x);
	while (x >= p->nslots);
	return x;
}

struct area {
	int fd;
	const char *path;
	uint64_t dev_bytes;
	uint64_t offset;
	uint64_t bytes;
	uint64_t nslots;
	uint64_t seed;
	struct perm perm;
};

static uint64_t parse_u64(const char *opt, const char *s, int allow_suffix)
{
	char *end;
	unsigned long long v;
	uint64_t m = 1;

	errno = 0;
	if (!*s || *s == '-')
		die_usage("%s: '%s' is not a number", opt, s);
	v = strtoull(s, &end, 0);
	if (errno)
		die_usage("%s: '%s' is out of range", opt, s);
	if (*end && allow_suffix) {
		switch (*end) {
		case 'k': case 'K': m = 1ull << 10; break;
		case 'm': case 'M': m = 1ull << 20; break;
		case 'g': case 'G': m = 1ull << 30; break;
		default: die_usage("%s: bad suffix in '%s' (K, M or G)", opt, s);
		}
		end++;
	}
	if (*end)
		die_usage("%s: '%s' is not a number", opt, s);
	if (v > UINT64_MAX / m)
		die_usage("%s: '%s' is out of range", opt, s);
	return (uint64_t)v * m;
}

static void area_open(struct area *a, const char *path, int flags,
		      int have_area, uint64_t area, uint64_t offset,
		      uint64_t seed)
{
	struct stat st;

	a->path = path;
	a->fd = open(path, flags | O_DIRECT | O_CLOEXEC);
	if (a->fd < 0)
		die("%s: %s", path, strerror(errno));
	if (fstat(a->fd, &st))
		die("%s: stat: %s", path, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(a->fd, BLKGETSIZE64, &a->dev_bytes))
			die("%s: BLKGETSIZE64: %s", path, strerror(errno));
	} else if (S_ISREG(st.st_mode)) {
		a->dev_bytes = (uint64_t)st.st_size;
	} else {
		die("%s: neither a block device nor a regular file", path);
	}
	if (offset % BLK)
		die_usage("--offset %" PRIu64 " is not a multiple of 4096", offset);
	if (offset >= a->dev_bytes)
		die("%s: --offset %" PRIu64 " is beyond its %" PRIu64 " bytes",
		    path, offset, a->dev_bytes);
	if (!have_area) {
		area = a->dev_bytes - offset;
		if (area > DEFAULT_AREA)
			area = DEFAULT_AREA;
		area -= area % BLK;
	}
	if (area < BLK || area % BLK)
		die_usage("--area %" PRIu64 " must be a non-zero multiple of 4096", area);
	if (area > a->dev_bytes - offset)
		die("%s: an area of %" PRIu64 " bytes at offset %" PRIu64
		    " does not fit in its %" PRIu64 " bytes",
		    path, area, offset, a->dev_bytes);
	a->offset = offset;
	a->bytes = area;
	a->nslots = area / BLK;
	a->seed = seed;
	perm_init(&a->perm, a->nslots, seed);
}

static uint64_t block_offset(const struct area *a, uint64_t number, uint64_t *slot)
{
	*slot = perm_slot(&a->perm, number);
	return a->offset + *slot * BLK;
}

static void block_fill(unsigned char *b, const struct area *a, uint64_t number,
		       uint64_t slot, uint64_t off)
{
	uint64_t s = mix3(a->seed, number, 0x61636b636865636bull);
	unsigned int i;

	memset(b, 0, HDR_BYTES);
	memcpy(b, MAGIC, 8);
	put64(b + 8, number);
	put64(b + 16, a->seed);
	put64(b + 24, slot);
	put64(b + 32, off);
	put32(b + 40, LAYOUT_VERSION);
	for (i = HDR_BYTES; i + 8 <= CRC_OFF; i += 8)
		put64(b + i, splitmix64(&s));
	put32(b + i, (uint32_t)splitmix64(&s));	/* 4092 - 48 = 8 * 505 + 4 */
	put32(b + CRC_OFF, crc32c(b, CRC_OFF));
}

/* --------------------------------------------------------------- write */

static int report_open(const char *path, int *needs_fsync)
{
	struct statfs sf;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		die("report %s: %s", path, strerror(errno));
	/* 9p (cache=none): the host has the line when write(2) returns. */
	*needs_fsync = !(fstatfs(fd, &sf) == 0 && sf.f_type == V9FS_MAGIC);
	return fd;
}

static void report_ack(int fd, int needs_fsync, const char *path, uint64_t n)
{
	char line[32];
	int len = snprintf(line, sizeof(line), "%" PRIu64 "\n", n);
	ssize_t w = write(fd, line, (size_t)len);

	if (w != len)
		die("report %s: %s", path, w < 0 ? strerror(errno) : "short write");
	if (needs_fsync && fsync(fd))
		die("report %s: fsync: %s", path, strerror(errno));
}

static int cmd_write(const char *dev, uint64_t start, uint64_t count,
		     const char *report, struct area *a)
{
	unsigned char *b;
	uint64_t n, slot, off;
	int rfd = -1, needs_fsync = 0;
	ssize_t w;

	if (start < 1 || count < 1 || count > a->nslots || start - 1 > a->nslots - count)
		die_usage("blocks %" PRIu64 "..%" PRIu64 " do not fit the %" PRIu64
			  " slots of the area (%" PRIu64 " bytes); use a larger --area",
			  start, start + count - 1, a->nslots, a->bytes);
	if (posix_memalign((void **)&b, BLK, BLK))
		die("out of memory");
	if (report)
		rfd = report_open(report, &needs_fsync);
	for (n = start; n < start + count; n++) {
		off = block_offset(a, n, &slot);
		block_fill(b, a, n, slot, off);
		w = pwrite(a->fd, b, BLK, (off_t)off);
		if (w != (ssize_t)BLK)
			die("%s: writing block %" PRIu64 " at offset %" PRIu64 ": %s",
			    dev, n, off, w < 0 ? strerror(errno) : "short write");
		if (rfd >= 0)
			report_ack(rfd, needs_fsync, report, n);
	}
	printf("ackcheck write: blocks %" PRIu64 "..%" PRIu64 " written and acknowledged (seed %" PRIu64
	       ", area %" PRIu64 " bytes at offset %" PRIu64 " of %s)\n",
	       start, start + count - 1, a->seed, a->bytes, a->offset, dev);
	free(b);
	return 0;
}

/* -------------------------------------------------------------- verify */

enum verdict { OK, MISSING, OTHER_BLOCK, OTHER_SEED, CORRUPT };

static enum verdict check_block(const unsigned char *got, unsigned char *want,
				const struct area *a, uint64_t n, uint64_t slot,
				uint64_t off, char *why, size_t whylen)
{
	unsigned int i;

	block_fill(want, a, n, slot, off);
	if (!memcmp(got, want, BLK))
		return OK;
	for (i = 0; i < BLK && !got[i]; i++)
		;
	if (i == BLK) {
		snprintf(why, whylen, "missing: the slot is all zeroes");
		return MISSING;
	}
	if (memcmp(got, MAGIC, 8) || crc32c(got, CRC_OFF) != get32(got + CRC_OFF)) {
		for (i = 0; i < BLK && got[i] == want[i]; i++)
			;
		snprintf(why, whylen,
			 "corrupt: %s, first differing byte at +%u (0x%02x, expected 0x%02x)",
			 memcmp(got, MAGIC, 8) ? "no block header" : "bad checksum",
			 i, got[i], want[i]);
		return CORRUPT;
	}
	if (get64(got + 16) != a->seed) {
		snprintf(why, whylen, "missing: the slot holds block %" PRIu64
			 " of another run (seed %" PRIu64 ")",
			 get64(got + 8), get64(got + 16));
		return OTHER_SEED;
	}
	if (get64(got + 8) != n) {
		snprintf(why, whylen, "missing: the slot holds block %" PRIu64
			 " (slot %" PRIu64 ")", get64(got + 8), get64(got + 24));
		return OTHER_BLOCK;
	}
	for (i = 0; i < BLK && got[i] == want[i]; i++)
		;
	snprintf(why, whylen, "corrupt: checksum valid but byte +%u differs", i);
	return CORRUPT;
}

static void read_area(struct area *a, unsigned char *buf)
{
	uint64_t pos = 0;
	size_t want;
	ssize_t r;

	while (pos < a->bytes) {
		want = a->bytes - pos > VERIFY_CHUNK ? VERIFY_CHUNK : (size_t)(a->bytes - pos);
		r = pread(a->fd, buf + pos, want, (off_t)(a->offset + pos));
		if (r < 0)
			die("%s: reading at offset %" PRIu64 ": %s", a->path,
			    a->offset + pos, strerror(errno));
		if (r == 0)
			die("%s: unexpected end at offset %" PRIu64, a->path,
			    a->offset + pos);
		pos += (uint64_t)r;
	}
}

static int cmd_verify(const char *dev, uint64_t from, uint64_t upto,
		      struct area *a)
{
	unsigned char *buf, *want;
	uint64_t n, slot, off, bad = 0, first_bad = 0, beyond = 0;
	unsigned int listed = 0;
	char why[160];
	enum verdict v;

	if (from < 1 || upto > a->nslots)
		die_usage("blocks %" PRIu64 "..%" PRIu64 " do not fit the %" PRIu64
			  " slots of the area (%" PRIu64 " bytes)",
			  from, upto, a->nslots, a->bytes);
	if (posix_memalign((void **)&buf, BLK, a->bytes) ||
	    posix_memalign((void **)&want, BLK, BLK))
		die("out of memory for %" PRIu64 " bytes", a->bytes);
	read_area(a, buf);

	for (n = from; n <= upto; n++) {
		off = block_offset(a, n, &slot);
		v = check_block(buf + slot * BLK, want, a, n, slot, off, why, sizeof(why));
		if (v == OK)
			continue;
		if (!bad++)
			first_bad = n;
		if (listed++ < MAX_LISTED)
			fprintf(stderr, "ackcheck verify: block %" PRIu64 " (slot %" PRIu64
				", offset %" PRIu64 "): %s\n", n, slot, off, why);
	}
	/* Blocks after the last reported acknowledgement: allowed, counted. */
	for (n = upto + 1; n <= a->nslots; n++) {
		off = block_offset(a, n, &slot);
		if (check_block(buf + slot * BLK, want, a, n, slot, off, why,
				sizeof(why)) != OK)
			break;
		beyond++;
	}
	if (bad) {
		printf("ackcheck verify: FAILED: %" PRIu64 " of the %" PRIu64
		       " acknowledged blocks %" PRIu64 "..%" PRIu64
		       " are missing or corrupt; the first is block %" PRIu64
		       " (seed %" PRIu64 ", %s)\n",
		       bad, upto - from + 1, from, upto, first_bad, a->seed, dev);
		free(buf);
		free(want);
		return 1;
	}
	if (upto >= from)
		printf("ackcheck verify: blocks %" PRIu64 "..%" PRIu64
		       " all present and intact (seed %" PRIu64 ", %s, area %" PRIu64
		       " bytes at offset %" PRIu64 "); %" PRIu64
		       " more present after %" PRIu64 "\n",
		       from, upto, a->seed, dev, a->bytes, a->offset, beyond, upto);
	else
		printf("ackcheck verify: no blocks to check (from %" PRIu64 ", upto %" PRIu64
		       "); %" PRIu64 " present after %" PRIu64 "\n",
		       from, upto, beyond, upto);
	free(buf);
	free(want);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd, *dev, *report = NULL;
	uint64_t count = 0, start = 1, upto = 0, seed = 1, area = 0, offset = 0;
	int have_count = 0, have_upto = 0, have_area = 0, i, write_mode;
	struct area a;

	crc_init();
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: %s write DEV --count N [--start K] [--seed S] [--report FILE] [--area BYTES] [--offset BYTES]\n"
		       "       %s verify DEV --upto N [--from K] [--seed S] [--area BYTES] [--offset BYTES]\n",
		       prog, prog);
		return 0;
	}
	if (argc < 3)
		die_usage("a command (write or verify) and a device are needed");
	cmd = argv[1];
	dev = argv[2];
	if (!strcmp(cmd, "write"))
		write_mode = 1;
	else if (!strcmp(cmd, "verify"))
		write_mode = 0;
	else
		die_usage("unknown command '%s'", cmd);

	for (i = 3; i < argc; i++) {
		const char *o = argv[i];

		if (i + 1 >= argc)
			die_usage("%s needs a value", o);
		if (!strcmp(o, "--count") && write_mode) {
			count = parse_u64(o, argv[++i], 0);
			have_count = 1;
		} else if (!strcmp(o, "--start") && write_mode) {
			start = parse_u64(o, argv[++i], 0);
		} else if (!strcmp(o, "--report") && write_mode) {
			report = argv[++i];
		} else if (!strcmp(o, "--upto") && !write_mode) {
			upto = parse_u64(o, argv[++i], 0);
			have_upto = 1;
		} else if (!strcmp(o, "--from") && !write_mode) {
			start = parse_u64(o, argv[++i], 0);
		} else if (!strcmp(o, "--seed")) {
			seed = parse_u64(o, argv[++i], 0);
		} else if (!strcmp(o, "--area")) {
			area = parse_u64(o, argv[++i], 1);
			have_area = 1;
		} else if (!strcmp(o, "--offset")) {
			offset = parse_u64(o, argv[++i], 1);
		} else {
			die_usage("unknown option '%s' for %s", o, cmd);
		}
	}
	if (write_mode && !have_count)
		die_usage("write needs --count N");
	if (!write_mode && !have_upto)
		die_usage("verify needs --upto N");

	area_open(&a, dev, write_mode ? O_WRONLY | O_SYNC : O_RDONLY,
		  have_area, area, offset, seed);
	if (write_mode)
		return cmd_write(dev, start, count, report, &a);
	return cmd_verify(dev, start, upto, &a);
}
