// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the offline metadata commands (hadiskctl create-md, dump-md,
 * wipe-md, apply-al, built with the sanitizers into UNIT_BIN_DIR) on
 * sparse image files: what they print and exit with, and what they leave
 * in the file, read back with the metadata codec (kernel/meta_fmt.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crc32c.h"
#include "jsoncheck.h"
#include "mdev.h"
#include "meta_fmt.h"
#include "unit.h"

#define CTL UNIT_BIN_DIR "/hadiskctl"
#define IMG_BYTES (64ull << 20)
/* 64 MiB internal: 4 KiB of bitmap, 16 AL slots, the superblock */
#define IMG_MD_BYTES (4096 + 16 * 4096 + 4096)
#define IMG_DATA_BYTES (IMG_BYTES - IMG_MD_BYTES)
#define IMG_BLOCKS (IMG_DATA_BYTES / 4096)		/* 16366 */
#define IMG_SB (IMG_BYTES - 4096)
#define IMG_AL (IMG_SB - 16 * 4096)
#define IMG_BM (IMG_AL - 4096)

static char out[65536];
static char dir[] = "/tmp/hadisk-md-XXXXXX";
static char img[128], ext[128], conf[128];

static u32 crc(const void *buf, size_t len, size_t hole)
{
	return hd_crc32c_hole(buf, len, hole);
}

/* Runs "hadiskctl args" with stdout and stderr in out; the exit code. */
static int ctl(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int ctl(const char *fmt, ...)
{
	char args[1024], cmd[1200];
	va_list ap;
	size_t n;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), CTL " %s 2>&1 </dev/null", args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void make_image(const char *path, uint64_t bytes)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ(ftruncate(fd, (off_t)bytes), 0);
	close(fd);
}

static void pio(const char *path, void *buf, size_t len, uint64_t off,
		bool write)
{
	int fd = open(path, write ? O_RDWR : O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	n = write ? pwrite(fd, buf, len, (off_t)off) :
		    pread(fd, buf, len, (off_t)off);
	CHECK_EQ(n, (ssize_t)len);
	close(fd);
}

/* The whole file, malloc()ed; *len its size. */
static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *buf;

	*len = 0;
	if (stat(path, &st))
		return NULL;
	buf = malloc((size_t)st.st_size);
	if (buf) {
		*len = (size_t)st.st_size;
		pio(path, buf, *len, 0, false);
	}
	return buf;
}

static bool same_as(const char *path, const unsigned char *before,
		    size_t len)
{
	size_t now_len;
	unsigned char *now = slurp(path, &now_len);
	bool same = now && now_len == len && !memcmp(now, before, len);

	free(now);
	return same;
}

/* Decodes the superblock of path (size bytes). */
static int read_sb(const char *path, uint64_t size, struct hd_md_info *i)
{
	union {
		struct hd_md_super sb;
		char block[4096];
	} u;
	const char *why = "";
	int ret;

	pio(path, &u, sizeof(u), hd_md_sb_offset(size), false);
	ret = hd_md_super_decode(&u.sb, size, i, crc, &why);
	if (ret)
		printf("  %s: %s\n", path, why);
	return ret;
}

static void write_sb(const char *path, const struct hd_md_info *i)
{
	union {
		struct hd_md_super sb;
		char block[4096];
	} u;

	memset(&u, 0, sizeof(u));
	hd_md_super_encode(&u.sb, i, crc);
	pio(path, &u, sizeof(u), i->l.sb_offset, true);
}

static bool all_zero(const unsigned char *p, size_t len)
{
	size_t k;

	for (k = 0; k < len; k++)
		if (p[k])
			return false;
	return true;
}

static void md_create_dump_image(void)
{
	time_t t0 = time(NULL), t1;
	struct hd_md_info i;
	unsigned char *buf;
	size_t len;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	t1 = time(NULL);
	CHECK_CONTAINS(out, "created hadisk metadata on ");
	CHECK_CONTAINS(out, "(internal, node-id 0)");
	CHECK_CONTAINS(out, "data area:    63.9MiB (67035136 bytes)");
	CHECK_CONTAINS(out, "metadata:     72.0KiB (73728 bytes) from offset 67035136");
	CHECK_CONTAINS(out, "bitmap:       4096 bytes at offset 67035136");
	CHECK_CONTAINS(out, "activity log: 16 slots at offset 67039232");
	CHECK_CONTAINS(out, "superblock:   at offset 67104768");
	CHECK_CONTAINS(out, "Inconsistent");

	CHECK_EQ(read_sb(img, IMG_BYTES, &i), 0);
	CHECK_EQ(i.flags, HD_MDF_AL_CLEAN);
	CHECK_EQ(i.uuid_current, 0);
	CHECK_EQ(i.uuid_bitmap, 0);
	CHECK_EQ(i.uuid_history[0], 0);
	CHECK_EQ(i.uuid_history[1], 0);
	CHECK_EQ(i.node_id, 0);
	CHECK_EQ(i.al_extents, HD_MD_AL_EXTENTS_DEFAULT);
	CHECK_EQ(i.internal, 1);
	CHECK_EQ(i.l.al_slots, HD_MD_AL_SLOTS_DEFAULT);
	CHECK_EQ(i.l.data_sectors << 9, IMG_DATA_BYTES);
	CHECK_EQ(i.l.bm_offset, IMG_BM);
	CHECK_EQ(i.l.al_offset, IMG_AL);
	CHECK_EQ(i.l.sb_offset, IMG_SB);
	CHECK(i.created_time >= (uint64_t)t0 && i.created_time <= (uint64_t)t1);
	CHECK_STR(i.resource, "");
	buf = slurp(img, &len);
	CHECK(buf && len == IMG_BYTES);
	if (buf)
		CHECK(all_zero(buf + IMG_BM, IMG_SB - IMG_BM));
	free(buf);

	CHECK_EQ(ctl("dump-md --disk %s", img), 0);
	CHECK_CONTAINS(out, "(internal), format version 1");
	CHECK_CONTAINS(out, "  flags:        al-clean (0x20)\n");
	CHECK_CONTAINS(out, "  disk state:   Inconsistent\n");
	CHECK_CONTAINS(out, "current 0000000000000000  bitmap 0000000000000000");
	CHECK_CONTAINS(out, "  out of sync:  0 of 16366 bitmap bits set: 0B of 63.9MiB\n");
	CHECK_CONTAINS(out, "  activity log: clean (al-clean): nothing to replay\n"
		       "    valid transactions: 0 of 16 slots\n"
		       "    newest: none\n");
	CHECK(!strstr(out, "crashed-primary"));

	CHECK_EQ(ctl("dump-md --disk %s --json", img), 0);
	CHECK(json_valid(out));
	CHECK_CONTAINS(out, "\"internal\":true,\"version\":1,\"resource\":null,\"node_id\":0,");
	CHECK_CONTAINS(out, "\"flags\":[\"al-clean\"],\"flags_value\":32,\"disk_state\":\"Inconsistent\",\"crashed_primary\":false,");
	CHECK_CONTAINS(out, "\"current_uuid\":\"0000000000000000\",\"bitmap_uuid\":\"0000000000000000\",\"history_uuids\":[\"0000000000000000\",\"0000000000000000\"],");
	CHECK_CONTAINS(out, "\"data_bytes\":67035136,\"md_bytes\":73728,\"bm_offset\":67035136,\"bm_bytes\":4096,\"al_offset\":67039232,\"al_slots\":16,\"al_extents\":257,\"sb_offset\":67104768,");
	CHECK_CONTAINS(out, "\"bitmap_bits\":16366,\"bitmap_bits_set\":0,\"out_of_sync_bytes\":0,");
	CHECK_CONTAINS(out, "\"activity_log\":{\"clean\":true,\"valid_transactions\":0,\"newest\":null},\"warnings\":[]}\n");
}

static void write_conf(const char *meta)
{
	FILE *f = fopen(conf, "w");

	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f,
		"resource r0 {\n"
		"  disk { al-extents 100; }\n"
		"  on alpha { node-id 5; address 10.99.0.1:7789; disk %s;\n"
		"             minor 0; meta-disk %s; }\n"
		"  on beta { node-id 6; address 10.99.0.2:7789; disk /dev/ram1;\n"
		"            minor 1; }\n"
		"}\n", img, meta);
	fclose(f);
}

/* The node-id, al-extents and name of the configuration; external. */
static void md_create_from_config(void)
{
	struct hd_md_info i;

	make_image(img, IMG_BYTES);
	write_conf("internal");
	CHECK_EQ(ctl("create-md --config %s --node alpha --al-slots 4", conf),
		 0);
	CHECK_CONTAINS(out, "(internal, resource r0, node-id 5)");
	CHECK_CONTAINS(out, "next, on both nodes: hadiskctl up r0");
	CHECK_EQ(read_sb(img, IMG_BYTES, &i), 0);
	CHECK_EQ(i.node_id, 5);
	CHECK_EQ(i.al_extents, 100);
	CHECK_EQ(i.l.al_slots, 4);
	CHECK_STR(i.resource, "r0");
	CHECK_EQ(ctl("dump-md r0 --config %s --node alpha --json", conf), 0);
	CHECK(json_valid(out));
	CHECK_CONTAINS(out, "\"resource\":\"r0\",\"node_id\":5,");

	/* external: the whole image is data, the layout is at ext's end */
	make_image(ext, 1 << 20);
	write_conf(ext);
	CHECK_EQ(ctl("create-md --config %s --node alpha", conf), 0);
	CHECK_CONTAINS(out, "(external, resource r0, node-id 5)");
	CHECK_CONTAINS(out, "data area:    64.0MiB (67108864 bytes)");
	CHECK_EQ(read_sb(ext, 1 << 20, &i), 0);
	CHECK_EQ(i.internal, 0);
	CHECK_EQ(i.l.data_sectors << 9, IMG_BYTES);
	CHECK_EQ(i.l.sb_offset, (1 << 20) - 4096);
	/* read as internal metadata of ext, it is reported as misplaced */
	CHECK_EQ(ctl("dump-md --disk %s --json", ext), 0);
	CHECK(json_valid(out));
	CHECK_CONTAINS(out, "\"warnings\":[\"this metadata was created as external metadata");
	CHECK_EQ(ctl("dump-md --disk %s --meta-disk %s", img, ext), 0);
	CHECK_CONTAINS(out, " (external), format version 1");
	CHECK(!strstr(out, "warning"));
	/* meta-disk none keeps no metadata: nothing to create */
	write_conf("none");
	CHECK_EQ(ctl("create-md --config %s --node alpha", conf), 2);
	CHECK_CONTAINS(out, ":4: 'meta-disk none' in 'on alpha'");
	CHECK_CONTAINS(out, "write 'meta-disk internal;'");
	unlink(ext);
}

static void md_create_refuses_existing(void)
{
	unsigned char *before;
	size_t len;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	before = slurp(img, &len);
	CHECK_EQ(ctl("create-md --disk %s --node-id 2", img), 2);
	CHECK_CONTAINS(out, "hadiskctl: create-md: metadata exists on ");
	CHECK_CONTAINS(out, " (created 20");
	CHECK_CONTAINS(out, "UTC, data generation 0000000000000000); creating it again forgets which blocks are out of sync and forces a full sync; use --force");
	CHECK(same_as(img, before, len));
	/* damaged metadata is in the way too */
	before[IMG_SB + 200] ^= 1;
	pio(img, before + IMG_SB, 4096, IMG_SB, true);
	CHECK_EQ(ctl("create-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "damaged hadisk metadata is on ");
	CHECK_CONTAINS(out, "(the metadata superblock has a bad checksum)");
	CHECK_CONTAINS(out, "use --force");
	CHECK(same_as(img, before, len));
	free(before);
	CHECK_EQ(ctl("create-md --disk %s --node-id 2 --force", img), 0);
	CHECK_CONTAINS(out, "replacing the damaged metadata on ");
	CHECK_EQ(ctl("create-md --disk %s --node-id 3 --force", img), 0);
	CHECK_CONTAINS(out, "replacing the metadata on ");
	CHECK_CONTAINS(out, "node-id 3");
}

/* A bad superblock: refused with the reason, and nothing is written. */
static void md_bad_superblock_untouched(void)
{
	unsigned char *before;
	size_t len;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	before = slurp(img, &len);
	if (!before)
		return;
	before[IMG_SB + 200] ^= 0x40;
	pio(img, before + IMG_SB, 4096, IMG_SB, true);

	CHECK_EQ(ctl("dump-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "hadiskctl: dump-md: ");
	CHECK_CONTAINS(out, ": the metadata superblock has a bad checksum (superblock at offset 67104768); nothing was written");
	CHECK_EQ(ctl("dump-md --disk %s --json", img), 2);
	CHECK_CONTAINS(out, "bad checksum");
	CHECK_EQ(ctl("apply-al --disk %s", img), 2);
	CHECK_CONTAINS(out, "hadiskctl: apply-al: ");
	CHECK_CONTAINS(out, ": the metadata superblock has a bad checksum (superblock at offset 67104768); nothing was written");
	CHECK_EQ(ctl("wipe-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "holds damaged hadisk metadata (the metadata superblock has a bad checksum)");
	CHECK(same_as(img, before, len));

	/* another format version */
	before[IMG_SB + 200] ^= 0x40;
	before[IMG_SB + 4] = 2;
	pio(img, before + IMG_SB, 4096, IMG_SB, true);
	CHECK_EQ(ctl("dump-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "metadata of another format version");
	CHECK_CONTAINS(out, "reads format version 1");
	CHECK(same_as(img, before, len));

	/* no metadata at all */
	memset(before + IMG_SB, 0, 4096);
	pio(img, before + IMG_SB, 4096, IMG_SB, true);
	CHECK_EQ(ctl("dump-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "no hadisk metadata (bad magic) in the superblock at offset 67104768; create it with: hadiskctl create-md --disk ");
	CHECK_EQ(ctl("apply-al --disk %s", img), 2);
	CHECK_CONTAINS(out, "no hadisk metadata (bad magic)");
	CHECK(same_as(img, before, len));
	free(before);
}

/*
 * A crashed Primary's metadata, written by hand: the newest valid
 * transaction lists extents 0, 3, 15 (the last, partial) and 100 (past
 * the end); an older one and a torn newer one must not count.
 */
static void md_apply_al(void)
{
	static const u32 newest[] = { 0, 3, 15, 100 }, older[] = { 7 },
			 torn[] = { 9 };
	struct hd_md_al_tx tx;
	struct hd_md_info i, after;
	unsigned char bm[4096], *before;
	uint32_t flags = HD_MDF_CONSISTENT | HD_MDF_UPTODATE | HD_MDF_PRIMARY;
	uint64_t b, wrong = 0, set = 0;
	size_t len;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	CHECK_EQ(read_sb(img, IMG_BYTES, &i), 0);
	hd_md_al_encode(&tx, 7, newest, 4, crc);
	pio(img, &tx, sizeof(tx), IMG_AL + 3 * 4096, true);
	hd_md_al_encode(&tx, 6, older, 1, crc);
	pio(img, &tx, sizeof(tx), IMG_AL + 2 * 4096, true);
	hd_md_al_encode(&tx, 9, torn, 1, crc);
	((unsigned char *)&tx)[40] ^= 1;
	pio(img, &tx, sizeof(tx), IMG_AL + 4 * 4096, true);
	/* block 5 was out of sync already */
	memset(bm, 0, sizeof(bm));
	bm[0] = 1 << 5;
	pio(img, bm, sizeof(bm), IMG_BM, true);
	i.flags = flags;
	i.uuid_current = 0x1234ABCDull;
	write_sb(img, &i);

	CHECK_EQ(ctl("dump-md --disk %s --json", img), 0);
	CHECK(json_valid(out));
	CHECK_CONTAINS(out, "\"flags\":[\"consistent\",\"uptodate\",\"primary\"],\"flags_value\":7,\"disk_state\":\"UpToDate\",\"crashed_primary\":true,");
	CHECK_CONTAINS(out, "\"bitmap_bits_set\":1,");
	CHECK_CONTAINS(out, "\"activity_log\":{\"clean\":false,\"valid_transactions\":2,\"newest\":{\"slot\":3,\"seq\":7,\"extents\":[0,3,15,100]}}");
	CHECK_CONTAINS(out, "\"warnings\":[\"1 extent of the newest activity-log transaction lies beyond the data area\"]");
	CHECK_EQ(ctl("dump-md --disk %s", img), 0);
	CHECK_CONTAINS(out, "flags:        consistent uptodate primary crashed-primary (0x07)");
	CHECK_CONTAINS(out, "  crashed-primary: the node was Primary");
	CHECK_CONTAINS(out, "  activity log: in use (not al-clean): its extents count as out of sync\n"
		       "    valid transactions: 2 of 16 slots\n"
		       "    newest: slot 3, seq 7, 4 active extents (4 MiB each):\n"
		       "    0 3 15 100\n");
	CHECK_CONTAINS(out, "  warning: 1 extent of the newest activity-log transaction lies beyond the data area\n");

	CHECK_EQ(ctl("apply-al --disk %s", img), 0);
	/* 1024 + 1024 + 1006 blocks: 3054, 3053 of them newly */
	CHECK_CONTAINS(out, "transaction 7 (slot 3): 4 extents, 11.9MiB marked out of sync");
	CHECK_CONTAINS(out, "the bitmap now marks 11.9MiB; the log is clean (al-clean)");
	CHECK_CONTAINS(out, "warning: 1 extent of the transaction lies beyond the data area and was skipped");
	pio(img, bm, sizeof(bm), IMG_BM, false);
	for (b = 0; b < sizeof(bm) * 8; b++) {
		bool want = b < IMG_BLOCKS &&
			    (b / 1024 == 0 || b / 1024 == 3 ||
			     b / 1024 == 15);
		bool is = bm[b / 8] & (1u << (b % 8));

		wrong += want != is;
		set += is;
	}
	CHECK_EQ(wrong, 0);
	CHECK_EQ(set, 3054);
	CHECK_EQ(read_sb(img, IMG_BYTES, &after), 0);
	CHECK_EQ(after.flags, flags | HD_MDF_AL_CLEAN);
	CHECK(after.uuid_current == 0x1234ABCDull);
	CHECK_EQ(after.created_time, i.created_time);
	CHECK_EQ(after.l.bm_offset, i.l.bm_offset);
	/* the log itself stays: the kernel numbers on from its newest */
	CHECK_EQ(ctl("dump-md --disk %s --json", img), 0);
	CHECK_CONTAINS(out, "\"bitmap_bits_set\":3054,\"out_of_sync_bytes\":12509184,");
	CHECK_CONTAINS(out, "\"activity_log\":{\"clean\":true,\"valid_transactions\":2,\"newest\":{\"slot\":3,\"seq\":7,");

	/* clean now: nothing to do, nothing written */
	before = slurp(img, &len);
	CHECK_EQ(ctl("apply-al --disk %s", img), 0);
	CHECK_CONTAINS(out, "is clean (al-clean): nothing to apply");
	CHECK(same_as(img, before, len));
	free(before);
}

/* Not al-clean but no valid transaction: nothing marked, now clean. */
static void md_apply_al_empty_log(void)
{
	struct hd_md_info i;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	CHECK_EQ(read_sb(img, IMG_BYTES, &i), 0);
	i.flags = 0;
	write_sb(img, &i);
	CHECK_EQ(ctl("apply-al --disk %s", img), 0);
	CHECK_CONTAINS(out, "no active extents, nothing marked; the bitmap marks 0B");
	CHECK_EQ(read_sb(img, IMG_BYTES, &i), 0);
	CHECK_EQ(i.flags, HD_MDF_AL_CLEAN);
}

static void md_wipe(void)
{
	unsigned char *before, *now;
	struct hd_md_al_tx tx;
	static const u32 e[] = { 1 };
	size_t len;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	hd_md_al_encode(&tx, 1, e, 1, crc);
	pio(img, &tx, sizeof(tx), IMG_AL, true);
	before = slurp(img, &len);
	CHECK_EQ(ctl("wipe-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "wiping the metadata on ");
	CHECK_CONTAINS(out, "(resource (none), created 20");
	CHECK_CONTAINS(out, "0B marked out of sync) loses the data generation and the record of which blocks differ from the peer");
	CHECK_CONTAINS(out, "use --force");
	CHECK(same_as(img, before, len));
	CHECK_EQ(ctl("wipe-md --disk %s --force", img), 0);
	CHECK_CONTAINS(out, "wiped the metadata on ");
	now = slurp(img, &len);
	CHECK(now != NULL);
	if (now && before) {
		CHECK(all_zero(now + IMG_SB, 4096));
		CHECK(all_zero(now + IMG_AL, 16 * 4096));
		/* the rest as it was */
		CHECK(!memcmp(now, before, IMG_AL));
	}
	free(now);
	free(before);
	CHECK_EQ(ctl("dump-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "no hadisk metadata (bad magic)");
	CHECK_EQ(ctl("wipe-md --disk %s", img), 0);
	CHECK_CONTAINS(out, "nothing to wipe");
}

static void md_device_errors(void)
{
	make_image(img, 64 * 1024);
	CHECK_EQ(ctl("create-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "the backing device is too small to hold data and metadata (");
	CHECK_CONTAINS(out, " is 65536 bytes; internal metadata with 16 activity-log slots)");
	CHECK_EQ(ctl("dump-md --disk %s/nonexistent.img", dir), 2);
	CHECK_CONTAINS(out, "nonexistent.img does not exist");
	CHECK_EQ(ctl("create-md --disk %s --meta-disk %s", img, img), 2);
	CHECK_CONTAINS(out, "is the data device");
	CHECK_EQ(ctl("dump-md --disk /dev/null"), 2);
	CHECK_CONTAINS(out, "/dev/null is neither a block device nor a regular file");
	make_image(img, 2048);
	CHECK_EQ(ctl("dump-md --disk %s", img), 2);
	CHECK_CONTAINS(out, "is too small to hold hadisk metadata (2048 bytes)");
}

static void md_usage_errors(void)
{
	static const struct {
		const char *args;
		const char *want;
	} cases[] = {
		{ "dump-md", "which metadata? Name the resource (RES), or give --config FILE or --disk PATH" },
		{ "dump-md r0 --disk /tmp/x", "--disk names a device and RES a resource" },
		{ "create-md --disk /tmp/x --node alpha", "--disk names a device and --node a resource" },
		{ "create-md r0 --meta-disk /tmp/y", "--meta-disk goes with --disk" },
		{ "create-md r0 --node-id 3", "--node-id goes with --disk" },
		{ "create-md --disk /tmp/x --al-slots 1", "bad --al-slots '1': write a number of activity-log slots from 2 to 256" },
		{ "create-md --disk /tmp/x --al-slots 257", "bad --al-slots '257'" },
		{ "create-md --disk /tmp/x --node-id 32", "bad --node-id '32': write a number from 0 to 31" },
		{ "dump-md --disk /tmp/x --meta-disk none", "--meta-disk none: without metadata there is nothing to work on" },
		{ "dump-md --disk /tmp/x --force", "option --force does not apply to 'dump-md'" },
		{ "apply-al --disk /tmp/x --json", "option --json does not apply to 'apply-al'" },
		{ "wipe-md --disk /tmp/x --al-slots 4", "option --al-slots does not apply to 'wipe-md'" },
		{ "status --disk /tmp/x", "option --disk does not apply to 'status'" },
		{ "invalidate r0 --clear-bitmap", "option --clear-bitmap does not apply to 'invalidate'" },
		{ "primary r0 --clear-bitmap", "option --clear-bitmap does not apply to 'primary'" },
		{ "new-current-uuid r0 --force", "option --force does not apply to 'new-current-uuid'" },
		{ "invalidate-remote", "which resource?" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_EQ(ctl("%s", cases[i].args), 1);
		CHECK_CONTAINS(out, cases[i].want);
	}
}

/* The library's bitmap marking, at byte and file edges. */
static void md_bm_mark_edges(void)
{
	struct hd_md_info i;
	struct hd_mdev d;
	unsigned char bm[4096];
	char err[256];
	uint64_t newly = 0, bits = 0;

	make_image(img, IMG_BYTES);
	CHECK_EQ(ctl("create-md --disk %s", img), 0);
	CHECK_EQ(read_sb(img, IMG_BYTES, &i), 0);
	CHECK_EQ(hd_mdev_open(&d, img, NULL, true, err, sizeof(err)), 0);
	CHECK_EQ(hd_mdev_bm_mark(&d, &i, 5, 17, &newly, err, sizeof(err)), 0);
	CHECK_EQ(newly, 13);
	CHECK_EQ(hd_mdev_bm_mark(&d, &i, 0, 7, &newly, err, sizeof(err)), 0);
	CHECK_EQ(newly, 5);
	CHECK_EQ(hd_mdev_bm_mark(&d, &i, IMG_BLOCKS - 1, IMG_BLOCKS - 1,
				 &newly, err, sizeof(err)), 0);
	CHECK_EQ(newly, 1);
	CHECK_EQ(hd_mdev_bm_mark(&d, &i, IMG_BLOCKS, IMG_BLOCKS, &newly, err,
				 sizeof(err)), -ERANGE);
	CHECK_CONTAINS(err, "outside the data area");
	CHECK_EQ(hd_mdev_bm_count(&d, &i, &bits, err, sizeof(err)), 0);
	CHECK_EQ(bits, 19);
	hd_mdev_close(&d);
	pio(img, bm, sizeof(bm), IMG_BM, false);
	CHECK_EQ(bm[0], 0xff);
	CHECK_EQ(bm[1], 0xff);
	CHECK_EQ(bm[2], 0x03);
	CHECK_EQ(bm[(IMG_BLOCKS - 1) / 8], 1u << ((IMG_BLOCKS - 1) % 8));
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(img, sizeof(img), "%s/disk.img", dir);
	snprintf(ext, sizeof(ext), "%s/meta.img", dir);
	snprintf(conf, sizeof(conf), "%s/r0.conf", dir);
	RUN(md_create_dump_image);
	RUN(md_create_from_config);
	RUN(md_create_refuses_existing);
	RUN(md_bad_superblock_untouched);
	RUN(md_apply_al);
	RUN(md_apply_al_empty_log);
	RUN(md_wipe);
	RUN(md_device_errors);
	RUN(md_usage_errors);
	RUN(md_bm_mark_edges);
	unlink(img);
	unlink(conf);
	rmdir(dir);
	return unit_exit();
}
