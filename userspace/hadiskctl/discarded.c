// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl discarded: what a save file of a split-brain victim holds
 * (sbsave.h), every checksum verified; with --restore, write its blocks
 * back to a device to undo the split-brain decision.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hadiskctl.h"
#include "json.h"
#include "sbsave.h"

struct range {
	uint64_t first, last;
};

struct scan {
	struct hd_sbsave_info info;
	struct range *r;
	size_t nr, cap;
};

static int add_block(struct scan *s, uint64_t b)
{
	struct range *p;

	if (s->nr && s->r[s->nr - 1].last + 1 == b) {
		s->r[s->nr - 1].last = b;
		return 0;
	}
	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		p = realloc(s->r, s->cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		s->r = p;
	}
	s->r[s->nr].first = s->r[s->nr].last = b;
	s->nr++;
	return 0;
}

/* Reads the whole file, checking everything; collects its ranges. */
static int scan_file(struct hd_ctx *ctx, const char *path, struct scan *s)
{
	struct hd_sbsave_reader rd;
	char err[1024];
	uint64_t b;
	void *buf;
	int fd, ret;

	memset(s, 0, sizeof(*s));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hd_err(ctx, "cannot open %s: %s", path, strerror(errno));
		return EXIT_CONFIG;
	}
	buf = malloc(HD_SBSAVE_BLOCK);
	ret = buf ? hd_sbsave_read_open(&rd, fd, path, err, sizeof(err)) :
	      -ENOMEM;
	/* read_next: 1 for a block, 0 at the checked end */
	while (!ret && (ret = hd_sbsave_read_next(&rd, &b, buf, err,
						  sizeof(err))) == 1)
		ret = add_block(s, b);
	if (ret == -ENOMEM)
		snprintf(err, sizeof(err), "out of memory");
	free(buf);
	close(fd);
	if (ret) {
		hd_err(ctx, "%s", err);
		free(s->r);
		s->r = NULL;
		return EXIT_CONFIG;
	}
	s->info = rd.info;
	return 0;
}

static void format_time(uint64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm))
		strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
	else
		snprintf(buf, size, "%" PRIu64, t);
}

static void print_text(const char *path, const struct scan *s)
{
	const struct hd_sbsave_info *i = &s->info;
	char when[32], size[16];
	size_t k;

	format_time(i->time, when, sizeof(when));
	hd_format_bytes(i->count * HD_SBSAVE_BLOCK, size, sizeof(size));
	printf("file:              %s\n", path);
	printf("resource:          %s\n", i->resource);
	printf("node:              %s (its data was discarded)\n", i->node);
	printf("peer:              %s (its data was kept)\n", i->peer);
	printf("backing device:    %s\n", i->backing);
	printf("saved at:          %s\n", when);
	printf("current uuid:      %016" PRIX64 "\n", i->current_uuid);
	printf("peer current uuid: %016" PRIX64 "\n", i->peer_current_uuid);
	printf("blocks:            %" PRIu64 " of 4 KiB (%s), every checksum verified\n",
	       i->count, size);
	printf("ranges:           ");
	for (k = 0; k < s->nr; k++) {
		if (s->r[k].first == s->r[k].last)
			printf(" %" PRIu64, s->r[k].first);
		else
			printf(" %" PRIu64 "-%" PRIu64, s->r[k].first,
			       s->r[k].last);
	}
	printf("%s\n", s->nr ? "" : " none");
}

static void print_json(const char *path, const struct scan *s)
{
	const struct hd_sbsave_info *i = &s->info;
	struct hd_buf b = HD_BUF_INIT;
	struct hd_json j;
	char when[32], hex[17];
	size_t k;

	format_time(i->time, when, sizeof(when));
	hd_json_init(&j, &b);
	hd_json_object_begin(&j);
	hd_json_key(&j, "file");
	hd_json_string(&j, path);
	hd_json_key(&j, "resource");
	hd_json_string(&j, i->resource);
	hd_json_key(&j, "node");
	hd_json_string(&j, i->node);
	hd_json_key(&j, "peer");
	hd_json_string(&j, i->peer);
	hd_json_key(&j, "backing");
	hd_json_string(&j, i->backing);
	hd_json_key(&j, "time");
	hd_json_u64(&j, i->time);
	hd_json_key(&j, "time_utc");
	hd_json_string(&j, when);
	snprintf(hex, sizeof(hex), "%016" PRIX64, i->current_uuid);
	hd_json_key(&j, "current_uuid");
	hd_json_string(&j, hex);
	snprintf(hex, sizeof(hex), "%016" PRIX64, i->peer_current_uuid);
	hd_json_key(&j, "peer_current_uuid");
	hd_json_string(&j, hex);
	hd_json_key(&j, "block_size");
	hd_json_u64(&j, HD_SBSAVE_BLOCK);
	hd_json_key(&j, "data_blocks");
	hd_json_u64(&j, i->data_blocks);
	hd_json_key(&j, "count");
	hd_json_u64(&j, i->count);
	hd_json_key(&j, "verified");
	hd_json_bool(&j, true);
	hd_json_key(&j, "ranges");
	hd_json_array_begin(&j);
	for (k = 0; k < s->nr; k++) {
		hd_json_array_begin(&j);
		hd_json_u64(&j, s->r[k].first);
		hd_json_u64(&j, s->r[k].last);
		hd_json_array_end(&j);
	}
	hd_json_array_end(&j);
	hd_json_object_end(&j);
	printf("%s\n", hd_buf_str(&b));
	hd_buf_free(&b);
}

/* Opens the device to restore to, exclusively, and finds its size. */
static int open_target(struct hd_ctx *ctx, const char *dev, int *fd,
		       uint64_t *bytes)
{
	struct stat st;
	int e;

	*fd = open(dev, O_WRONLY | O_EXCL | O_DIRECT | O_CLOEXEC);
	if (*fd < 0 && errno == EINVAL)		/* no O_DIRECT: an image file */
		*fd = open(dev, O_WRONLY | O_CLOEXEC);
	if (*fd < 0) {
		e = errno;
		hd_err(ctx, "cannot open %s for writing: %s%s", dev,
		       strerror(e),
		       e == EBUSY ? " (it is mounted or held by another program: unmount it first)" :
		       e == EROFS || e == EMEDIUMTYPE ?
		       " (a hadisk device is writable only on the Primary)" : "");
		return e == EACCES || e == EPERM ? EXIT_PERM : EXIT_CONFIG;
	}
	if (fstat(*fd, &st) ||
	    (S_ISBLK(st.st_mode) ? ioctl(*fd, BLKGETSIZE64, bytes) :
	     S_ISREG(st.st_mode) ? (*bytes = (uint64_t)st.st_size, 0) :
	     (errno = ENODEV, -1))) {
		hd_err(ctx, "cannot find the size of %s: %s", dev,
		       strerror(errno));
		close(*fd);
		return EXIT_CONFIG;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pwrite(fd, (const char *)buf + done, len - done,
			   (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* The second pass: every block to the device, then a flush. */
static int restore(struct hd_ctx *ctx, const char *path, const char *dev,
		   int dfd, uint64_t *written)
{
	struct hd_sbsave_reader rd;
	char err[1024];
	uint64_t b;
	void *buf;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hd_err(ctx, "cannot open %s: %s", path, strerror(errno));
		return EXIT_CONFIG;
	}
	if (posix_memalign(&buf, 4096, HD_SBSAVE_BLOCK)) {
		close(fd);
		hd_err(ctx, "out of memory");
		return EXIT_CONFIG;
	}
	ret = hd_sbsave_read_open(&rd, fd, path, err, sizeof(err));
	/* read_next: 1 for a block, 0 at the checked end */
	while (!ret && (ret = hd_sbsave_read_next(&rd, &b, buf, err,
						  sizeof(err))) == 1) {
		ret = write_all(dfd, buf, HD_SBSAVE_BLOCK,
				b * HD_SBSAVE_BLOCK);
		if (ret) {
			snprintf(err, sizeof(err),
				 "cannot write block %" PRIu64 " to %s: %s (%" PRIu64 " blocks were written before it)",
				 b, dev, strerror(-ret), *written);
			break;
		}
		(*written)++;
	}
	if (!ret && fsync(dfd)) {
		ret = -errno;
		snprintf(err, sizeof(err), "cannot flush %s: %s", dev,
			 strerror(errno));
	}
	free(buf);
	close(fd);
	if (ret) {
		hd_err(ctx, "%s", err);
		return EXIT_CONFIG;
	}
	return 0;
}

static int run_discarded(struct hd_ctx *ctx)
{
	const char *path;
	struct scan s;
	uint64_t bytes = 0, need, written = 0;
	char size[16];
	int ret, dfd;

	if (!ctx->argc) {
		hd_err(ctx, "which file? Name it: " PROG " discarded FILE (see '" PROG " discarded --help')");
		return EXIT_USAGE;
	}
	if (ctx->json && ctx->restore) {
		hd_err(ctx, "--json lists a file; it does not go with --restore");
		return EXIT_USAGE;
	}
	path = ctx->argv[0];
	ret = scan_file(ctx, path, &s);
	if (ret)
		return ret;
	if (!ctx->restore) {
		if (ctx->json)
			print_json(path, &s);
		else
			print_text(path, &s);
		free(s.r);
		return EXIT_OK;
	}
	need = s.nr ? (s.r[s.nr - 1].last + 1) * HD_SBSAVE_BLOCK : 0;
	ret = open_target(ctx, ctx->restore, &dfd, &bytes);
	if (ret)
		goto out;
	if (bytes < need) {
		hd_err(ctx,
		       "%s is %" PRIu64 " bytes, smaller than the saved blocks need (%" PRIu64 " bytes, up to block %" PRIu64 "): is it the right device? Nothing was written",
		       ctx->restore, bytes, need, s.r[s.nr - 1].last);
		ret = EXIT_CONFIG;
	} else {
		ret = restore(ctx, path, ctx->restore, dfd, &written);
	}
	close(dfd);
	if (!ret) {
		hd_format_bytes(written * HD_SBSAVE_BLOCK, size, sizeof(size));
		printf("restored %" PRIu64 " blocks of 4 KiB (%s) of resource %s, saved on %s, from %s to %s in %zu range%s\n",
		       written, size, s.info.resource, s.info.node, path,
		       ctx->restore, s.nr, s.nr == 1 ? "" : "s");
	}
out:
	free(s.r);
	return ret;
}

const struct hd_cmd cmd_discarded = {
	.name = "discarded",
	.summary = "list a split-brain save file, or --restore its blocks",
	.opts = OPT_JSON | OPT_RESTORE,
	.res = RES_REQUIRED,
	.run = run_discarded,
	.help =
"NAME\n"
"  " PROG " discarded - show or restore the blocks a split brain discarded\n"
"\n"
"SYNOPSIS\n"
"  " PROG " discarded FILE [--json]\n"
"  " PROG " discarded FILE --restore DEVICE\n"
"\n"
"DESCRIPTION\n"
"  When a split brain is resolved (by an after-sb policy or by\n"
"  'connect --discard-my-data'), the victim's changed blocks are saved\n"
"  before the resync overwrites them: the kernel runs\n"
"  '" PROG " save-discarded', which writes them to a file in the\n"
"  handlers section's discarded-dir (default " HD_CONF_SAVE_DIR_DEFAULT "). The\n"
"  file's path is in the kernel log and in 'status' (last discarded file).\n"
"\n"
"  Without --restore, reads FILE, verifies every checksum (the header,\n"
"  each block's and the trailer's) and prints what it holds: resource,\n"
"  the node whose data was discarded and the peer whose data was kept,\n"
"  both nodes' current data generation identifiers at the time, when it\n"
"  was written, and the block numbers (4 KiB blocks of the data area,\n"
"  the same as of /dev/hadiskN) as ranges.\n"
"\n"
"  With --restore DEVICE, verifies the whole file first, then writes each\n"
"  saved block back to DEVICE at its place (O_DIRECT), flushes DEVICE,\n"
"  and prints what it did. To undo a split-brain decision, restore on\n"
"  the Primary to /dev/hadiskN: the writes are replicated to the peer like\n"
"  any other. Unmount the file system first (DEVICE is opened\n"
"  exclusively), and mind that the blocks overwrite whatever the Primary\n"
"  wrote there since. Refused, with nothing written, when the file is\n"
"  damaged or incomplete, or when DEVICE is smaller than the highest saved\n"
"  block needs.\n"
"\n"
"OPTIONS\n"
"  -j, --json\n"
"         Print one JSON object: file, resource, node, peer, backing,\n"
"         time (seconds since the epoch), time_utc, current_uuid,\n"
"         peer_current_uuid (16 hex digits), block_size (4096),\n"
"         data_blocks, count, verified (true) and ranges, an array of\n"
"         [first, last] block numbers.\n"
"      --restore DEVICE\n"
"         Write the saved blocks to DEVICE.\n"
HELP_HELP_OPTION
"\n"
"EXIT STATUS\n"
"  0  success\n"
"  1  usage error: a bad command line\n"
"  2  the file cannot be read, is not a save file, or is damaged or\n"
"     incomplete; or DEVICE cannot be opened, is too small, or a write\n"
"     to it failed\n"
"  6  permission denied\n"
"\n"
"EXAMPLES\n"
"  " PROG " discarded \"$(" PROG " status r0 --json | jq -r '.[0].last_discarded_file')\"\n"
"  " PROG " discarded FILE --json | jq '.ranges'\n"
"  umount /srv && " PROG " discarded FILE --restore /dev/hadisk0\n"
"      On the Primary: put the discarded node's blocks back.\n",
};
