// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl save-discarded: run by the kernel (a usermode helper), not by
 * people, on the victim of a split brain before the resync overwrites its
 * changed blocks. Everything comes from the environment. It reads the
 * metadata's out-of-sync bitmap (which the kernel wrote complete: every
 * block the resync will overwrite here), reads each marked 4 KiB block of
 * the data area, and writes them to HADISK_SAVE_FILE in the format of
 * sbsave.h: to a temporary name, fsync, rename, fsync of the directory.
 * Exits HADISK_SAVE_OK only when the file is complete; 1 otherwise.
 *
 * The kernel holds the devices open exclusively; a plain open without
 * O_EXCL still reads them. Reads use O_DIRECT so that nothing stale in
 * the page cache is saved (a file system that cannot do O_DIRECT, for
 * image files in tests, is read without it).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "hadiskctl.h"
#include "mdev.h"
#include "sbsave.h"

#define RUN_MAX		256	/* blocks read at once: 1 MiB */
#define ALIGN		4096

struct save_env {
	const char *res, *node, *peer, *backing, *meta, *file;
	const char *blocks;	/* HADISK_BLOCKS, optional */
	uint64_t uuid, peer_uuid;
};

__attribute__((format(printf, 1, 2)))
static int fail(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(LOG_ERR, "save-discarded: %s", msg);
	return 1;
}

static int get_env(const char *name, const char **v)
{
	*v = getenv(name);
	if (*v && **v)
		return 0;
	return fail("%s is not set: save-discarded is run by the hadisk kernel module, which sets it (see Documentation/hooks.md)",
		    name);
}

static int get_uuid(const char *name, uint64_t *v)
{
	const char *s;
	size_t k;

	if (get_env(name, &s))
		return 1;
	for (k = 0; s[k]; k++)
		if (!strchr("0123456789abcdefABCDEF", s[k]))
			break;
	if (k != 16 || s[k])
		return fail("%s='%s' is not 16 hex digits", name, s);
	*v = strtoull(s, NULL, 16);
	return 0;
}

static int read_env(struct save_env *e)
{
	if (get_env("HADISK_RESOURCE", &e->res) ||
	    get_env("HADISK_NODE", &e->node) ||
	    get_env("HADISK_PEER", &e->peer) ||
	    get_env("HADISK_BACKING", &e->backing) ||
	    get_env("HADISK_META_DEV", &e->meta) ||
	    get_env("HADISK_SAVE_FILE", &e->file) ||
	    get_uuid("HADISK_CURRENT_UUID", &e->uuid) ||
	    get_uuid("HADISK_PEER_CURRENT_UUID", &e->peer_uuid))
		return 1;
	e->blocks = getenv("HADISK_BLOCKS");
	if (e->blocks && (!*e->blocks ||
			  strspn(e->blocks, "0123456789") != strlen(e->blocks)))
		return fail("HADISK_BLOCKS='%s' is not a number", e->blocks);
	if (e->file[0] != '/')
		return fail("HADISK_SAVE_FILE='%s' is not an absolute path",
			    e->file);
	if (strlen(e->file) + 16 >= HADISK_PATH_MAX * 4)
		return fail("HADISK_SAVE_FILE is too long");
	return 0;
}

/* Opens a device read-only, uncached if it can be; finds its size. */
static int open_dev(const char *path, int *fd, uint64_t *bytes)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (*fd < 0 && errno == EINVAL)
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return fail("cannot open %s: %s", path, strerror(errno));
	if (fstat(*fd, &st))
		return fail("cannot stat %s: %s", path, strerror(errno));
	if (S_ISREG(st.st_mode))
		*bytes = (uint64_t)st.st_size;
	else if (!S_ISBLK(st.st_mode))
		return fail("%s is neither a block device nor a file", path);
	else if (ioctl(*fd, BLKGETSIZE64, bytes))
		return fail("cannot read the size of %s: %s", path,
			    strerror(errno));
	return 0;
}

/*
 * Reads len bytes at off into an aligned buffer. A read that stops at the
 * device's end (the last, partial block) leaves zeros after it.
 */
static int read_dev(int fd, const char *path, void *buf, size_t len,
		    uint64_t off, uint64_t dev_bytes)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, (char *)buf + done, len - done,
			  (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail("cannot read %s at offset %" PRIu64 ": %s",
				    path, off + done, strerror(errno));
		if (!n) {
			if (off + done < dev_bytes)
				return fail("cannot read %s at offset %" PRIu64 ": it ends early",
					    path, off + done);
			memset((char *)buf + done, 0, len - done);
			break;
		}
		done += (size_t)n;
	}
	return 0;
}

struct save_md {
	int data_fd, md_fd;
	uint64_t data_bytes, md_bytes;
	struct hd_md_info info;
	unsigned char *bm;	/* the bitmap, data blocks' bits only */
	uint64_t blocks;	/* of the data area */
	uint64_t marked;
};

static int read_md(const struct save_env *e, struct save_md *m)
{
	bool internal = !strcmp(e->meta, "internal");
	uint64_t bm_len, rd_len, k;
	const char *why;
	void *sb;
	int code;

	if (open_dev(e->backing, &m->data_fd, &m->data_bytes))
		return 1;
	if (internal) {
		m->md_fd = m->data_fd;
		m->md_bytes = m->data_bytes;
	} else if (open_dev(e->meta, &m->md_fd, &m->md_bytes)) {
		return 1;
	}
	if (m->md_bytes < 2 * HD_MD_BLOCK)
		return fail("%s is too small to hold hadisk metadata", e->meta);
	if (posix_memalign(&sb, ALIGN, HD_MD_BLOCK))
		return fail("out of memory");
	if (read_dev(m->md_fd, e->meta, sb, HD_MD_BLOCK,
		     hd_md_sb_offset(m->md_bytes), m->md_bytes)) {
		free(sb);
		return 1;
	}
	code = hd_md_super_decode(sb, m->md_bytes, &m->info, hd_mdev_crc,
				  &why);
	free(sb);
	if (code)
		return fail("the metadata on %s cannot be used: %s",
			    internal ? e->backing : e->meta, why);
	if (m->info.l.md_bytes > m->md_bytes ||
	    m->info.l.bm_offset > m->info.l.al_offset ||
	    m->info.l.bm_bytes > m->info.l.al_offset)
		return fail("the metadata's layout does not fit %s",
			    internal ? e->backing : e->meta);
	if (m->info.resource[0] && strcmp(m->info.resource, e->res))
		return fail("the metadata on %s is resource '%s''s, not '%s''s",
			    internal ? e->backing : e->meta,
			    m->info.resource, e->res);
	m->blocks = hd_md_data_blocks(&m->info);
	bm_len = (m->blocks + 7) / 8;
	/* O_DIRECT reads whole sectors: round up, within the bitmap area */
	rd_len = (bm_len + ALIGN - 1) / ALIGN * ALIGN;
	if (rd_len > m->info.l.bm_bytes)
		rd_len = (bm_len + 511) / 512 * 512;
	if (bm_len > m->info.l.bm_bytes || rd_len > SIZE_MAX)
		return fail("the metadata's bitmap is smaller than its data area");
	if (posix_memalign((void **)&m->bm, ALIGN, rd_len ? rd_len : ALIGN))
		return fail("out of memory for a bitmap of %" PRIu64 " bytes",
			    rd_len);
	if (read_dev(m->md_fd, e->meta, m->bm, (size_t)rd_len,
		     m->info.l.bm_offset, m->md_bytes))
		return 1;
	if (m->blocks % 8)
		m->bm[bm_len - 1] &= (unsigned char)((1u << (m->blocks % 8)) - 1);
	for (k = 0; k < bm_len; k++)
		m->marked += (uint64_t)__builtin_popcount(m->bm[k]);
	/* the kernel's count: fewer bits on disk would save too little */
	if (e->blocks && m->marked < strtoull(e->blocks, NULL, 10))
		return fail("the bitmap on %s marks %" PRIu64 " blocks, fewer than the %s the kernel will overwrite: it is not up to date",
			    internal ? e->backing : e->meta, m->marked,
			    e->blocks);
	return 0;
}

static bool marked(const struct save_md *m, uint64_t b)
{
	return m->bm[b / 8] & (1u << (b % 8));
}

/* mkdir -p of the directory of path. */
static int make_dirs(const char *path)
{
	char dir[4 * HADISK_PATH_MAX];
	char *p, c;

	hd_strlcpy(dir, path, sizeof(dir));
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return fail("cannot create the directory %s: %s", dir,
				    strerror(errno));
		*p = c;
		if (!c)
			break;
	}
	return 0;
}

/* Writes every marked block to fd. */
static int write_blocks(const struct save_env *e, const struct save_md *m,
			int fd, const char *tmp)
{
	struct hd_sbsave_info info;
	struct hd_sbsave_writer w;
	char err[512];
	uint64_t b, run, k;
	void *buf;
	int ret = 1;

	memset(&info, 0, sizeof(info));
	info.count = m->marked;
	info.time = (uint64_t)time(NULL);
	info.current_uuid = e->uuid;
	info.peer_current_uuid = e->peer_uuid;
	info.data_blocks = m->blocks;
	hd_strlcpy(info.resource, e->res, sizeof(info.resource));
	hd_strlcpy(info.node, e->node, sizeof(info.node));
	hd_strlcpy(info.peer, e->peer, sizeof(info.peer));
	hd_strlcpy(info.backing, e->backing, sizeof(info.backing));
	if (posix_memalign(&buf, ALIGN, RUN_MAX * HD_SBSAVE_BLOCK))
		return fail("out of memory");
	if (hd_sbsave_write_begin(&w, fd, &info, err, sizeof(err))) {
		fail("%s: %s", tmp, err);
		goto out;
	}
	for (b = 0; b < m->blocks; b += run ? run : 1) {
		run = 0;
		if (!(b % 8) && !m->bm[b / 8]) {
			run = 8;	/* a byte of clear bits */
			continue;
		}
		if (!marked(m, b))
			continue;
		while (run < RUN_MAX && b + run < m->blocks &&
		       marked(m, b + run))
			run++;
		if (read_dev(m->data_fd, e->backing, buf,
			     (size_t)run * HD_SBSAVE_BLOCK,
			     b * HD_SBSAVE_BLOCK, m->data_bytes))
			goto out;
		for (k = 0; k < run; k++)
			if (hd_sbsave_write_block(&w, b + k,
						  (char *)buf + k * HD_SBSAVE_BLOCK,
						  err, sizeof(err))) {
				fail("%s: %s", tmp, err);
				goto out;
			}
	}
	if (hd_sbsave_write_end(&w, err, sizeof(err))) {
		fail("%s: %s", tmp, err);
		goto out;
	}
	if (fsync(fd)) {
		fail("cannot flush %s to stable storage: %s", tmp,
		     strerror(errno));
		goto out;
	}
	ret = 0;
out:
	hd_sbsave_write_free(&w);
	free(buf);
	return ret;
}

/* Writes the file under a temporary name and renames it into place. */
static int save_file(const struct save_env *e, const struct save_md *m)
{
	char tmp[4 * HADISK_PATH_MAX + 16], dir[4 * HADISK_PATH_MAX];
	int fd, dfd, ret;

	if (make_dirs(e->file))
		return 1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", e->file);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && !unlink(tmp))	/* an old attempt */
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail("cannot create %s: %s", tmp, strerror(errno));
	ret = write_blocks(e, m, fd, tmp);
	if (close(fd) && !ret)
		ret = fail("cannot write %s: %s", tmp, strerror(errno));
	if (!ret && rename(tmp, e->file))
		ret = fail("cannot rename %s to %s: %s", tmp, e->file,
			   strerror(errno));
	if (ret) {
		unlink(tmp);
		return ret;
	}
	hd_strlcpy(dir, e->file, sizeof(dir));
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd)) {
		ret = fail("cannot flush the directory of %s: %s", e->file,
			   strerror(errno));
		/* the name may not survive a crash: do not claim success */
		unlink(e->file);
	}
	if (dfd >= 0)
		close(dfd);
	return ret;
}

static int run_save_discarded(struct hd_ctx *ctx)
{
	struct save_md m = { .data_fd = -1, .md_fd = -1 };
	struct save_env e;
	char size[16];
	int ret;

	(void)ctx;
	/* a syslog tag has no blank: "hadiskctl[PID]: save-discarded: ..." */
	openlog(PROG, LOG_PID | LOG_PERROR, LOG_DAEMON);
	ret = read_env(&e);
	if (!ret)
		ret = read_md(&e, &m);
	if (!ret)
		ret = save_file(&e, &m);
	if (!ret) {
		hd_format_bytes(m.marked * HD_SBSAVE_BLOCK, size, sizeof(size));
		syslog(LOG_NOTICE,
		       "save-discarded: %s: saved %" PRIu64 " blocks (%s) of node %s, about to be overwritten by %s's data, to %s",
		       e.res, m.marked, size, e.node, e.peer, e.file);
	} else {
		syslog(LOG_ERR,
		       "save-discarded: %s: nothing was saved; the kernel keeps this node's data and does not resync",
		       getenv("HADISK_RESOURCE") ? getenv("HADISK_RESOURCE") :
		       "?");
	}
	free(m.bm);
	if (m.md_fd >= 0 && m.md_fd != m.data_fd)
		close(m.md_fd);
	if (m.data_fd >= 0)
		close(m.data_fd);
	closelog();
	return ret ? 1 : HADISK_SAVE_OK;
}

const struct hd_cmd cmd_save_discarded = {
	.name = "save-discarded",
	.summary = "(run by the kernel) save a split-brain victim's blocks",
	.res = RES_NONE,
	.run = run_save_discarded,
	.help =
"NAME\n"
"  " PROG " save-discarded - save the blocks a split-brain resync will\n"
"  overwrite\n"
"\n"
"SYNOPSIS\n"
"  HADISK_RESOURCE=... " PROG " save-discarded\n"
"\n"
"DESCRIPTION\n"
"  Not for people: the hadisk kernel module runs it (as root, through\n"
"  the kernel's usermode helper) on the node whose changes a split-brain\n"
"  policy or --discard-my-data discards, before the resync overwrites\n"
"  them. 'connect' and 'up' tell the kernel where this program is.\n"
"\n"
"  It reads the out-of-sync bitmap from the metadata (the kernel has\n"
"  written it complete: every block the resync will overwrite here),\n"
"  reads each marked 4 KiB block of the data area from the backing\n"
"  device, and writes them all to HADISK_SAVE_FILE (its directory is\n"
"  created if needed): under a temporary name, flushed, renamed, and the\n"
"  directory flushed. One line goes to syslog and stderr with the path\n"
"  and the number of blocks. 'discarded FILE' lists the file,\n"
"  'discarded FILE --restore DEVICE' writes the blocks back.\n"
"\n"
"  If anything fails, the reason goes to syslog and stderr and the\n"
"  kernel keeps this node's data: it goes StandAlone and overwrites\n"
"  nothing.\n"
"\n"
"ENVIRONMENT\n"
"  HADISK_RESOURCE, HADISK_NODE, HADISK_PEER\n"
"         The resource, this node's and the peer's names.\n"
"  HADISK_BACKING\n"
"         The backing device, read with O_DIRECT.\n"
"  HADISK_META_DEV\n"
"         'internal' or the metadata device.\n"
"  HADISK_SAVE_FILE\n"
"         The absolute path of the file to write.\n"
"  HADISK_CURRENT_UUID, HADISK_PEER_CURRENT_UUID\n"
"         Both nodes' current data generation identifiers, 16 hex digits,\n"
"         recorded in the file.\n""  HADISK_BLOCKS\n"
"         Optional: how many blocks the kernel will overwrite. A bitmap\n"
"         that marks fewer is refused.\n"
"\n"
"EXIT STATUS\n"
"  20 the file is complete (HADISK_SAVE_OK); the kernel may overwrite\n"
"     the blocks\n"
"  1  failure, the reason on stderr and in syslog; nothing may be\n"
"     overwritten\n"
"\n"
"FILES\n"
"  " HD_CONF_SAVE_DIR_DEFAULT "/   the default directory of the files\n"
"                     (handlers { discarded-dir DIR; })\n",
};
