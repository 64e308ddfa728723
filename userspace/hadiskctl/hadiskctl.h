/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hadiskctl: what main.c and the command files share. Each command file
 * defines one or more struct hd_cmd, listed in main.c's dispatch table.
 */
#ifndef HADISKCTL_H
#define HADISKCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "nl.h"
#include "status.h"

#define PROG "hadiskctl"

/* Exit codes, the same for every command. */
enum hd_exit {
	EXIT_OK = 0,
	EXIT_USAGE = 1,		/* bad command line */
	EXIT_CONFIG = 2,	/* configuration file or metadata error */
	EXIT_KERNEL = 3,	/* the kernel refused the request */
	EXIT_NOMODULE = 4,	/* the hadisk module is not loaded */
	EXIT_TIMEOUT = 5,	/* a wait timed out */
	EXIT_PERM = 6,		/* permission denied */
};

#define HELP_EXIT_STATUS \
"EXIT STATUS\n" \
"  0  success\n" \
"  1  usage error: a bad command line\n" \
"  2  configuration file error: missing, unreadable or invalid; or, for\n" \
"     the metadata commands, a device that is missing or in use, or\n" \
"     metadata that is absent, damaged or in the way; nothing was\n" \
"     changed\n" \
"  3  the kernel refused the request (its message is shown)\n" \
"  4  the hadisk kernel module is not loaded (modprobe hadisk, or\n" \
"     insmod hadisk.ko)\n" \
"  5  timed out\n" \
"  6  permission denied: changing hadisk resources needs root\n" \
"     (CAP_NET_ADMIN), and so does opening a disk's metadata\n"

#define HELP_CONFIG_OPTIONS \
"  -c, --config FILE\n" \
"         Read FILE instead of " HD_CONF_DIR "/RES.conf. RES may then be\n" \
"         omitted when FILE defines a single resource.\n" \
"  -n, --node NAME\n" \
"         This node's name in the configuration file. Default: the 'on'\n" \
"         section named like this host (its full or short hostname).\n"

/* The options of the offline metadata commands that name a device. */
#define HELP_MD_DEVICE_OPTIONS \
"      --disk PATH\n" \
"         Work on the data device or image file PATH instead of the\n" \
"         disk of RES's configuration.\n" \
"      --meta-disk internal|PATH\n" \
"         With --disk: where the metadata is. internal (the default): at\n" \
"         the end of the --disk device; PATH: at the end of that device\n" \
"         or file, and the whole --disk device is the data area.\n"

#define HELP_HELP_OPTION \
"  -h, --help\n" \
"         Show this text.\n"

/* connect and up */
#define HELP_DISCARD_MY_DATA_OPTION \
"      --discard-my-data\n" \
"         If the connection finds a split brain (both nodes changed the\n" \
"         data while apart), this node is the victim whatever the\n" \
"         after-sb policies say: its changes are saved to a file in\n" \
"         discarded-dir (see '" PROG " discarded --help'), then overwritten\n" \
"         with the peer's. Without a split brain it does nothing; it is\n" \
"         forgotten once connected. Refused on a Primary, and when both\n" \
"         nodes give it.\n"

/* The options a command accepts, beyond --config, --node and --help. */
enum hd_opt {
	OPT_JSON	= 1 << 0,
	OPT_TIMEOUT	= 1 << 1,
	OPT_COUNT	= 1 << 2,
	OPT_FORCE	= 1 << 3,
	OPT_CLEAR_BITMAP = 1 << 4,
	OPT_DISK	= 1 << 5,
	OPT_META_DISK	= 1 << 6,
	OPT_AL_SLOTS	= 1 << 7,
	OPT_NODE_ID	= 1 << 8,
	OPT_RESYNC	= 1 << 9,
	OPT_WAIT	= 1 << 10,
	OPT_DISCARD_MY_DATA = 1 << 11,
	OPT_RESTORE	= 1 << 12,
	OPT_LAST	= OPT_RESTORE,
};

/* The parsed command line. */
struct hd_ctx {
	const struct hd_cmd *cmd;
	const char *config;	/* --config, or NULL */
	const char *node;	/* --node, or NULL */
	bool json;
	bool force;
	bool has_timeout;
	double timeout;		/* seconds, 0: no limit */
	bool has_count;
	unsigned long count;
	const char *disk;	/* --disk, or NULL */
	const char *meta_disk;	/* --meta-disk, or NULL */
	bool has_al_slots;
	uint32_t al_slots;
	bool has_meta_disk;
	bool has_node_id;
	uint32_t node_id;
	bool clear_bitmap;
	bool resync;		/* verify --resync */
	bool wait;		/* verify --wait */
	bool discard_my_data;	/* connect, up --discard-my-data */
	const char *restore;	/* discarded --restore DEVICE, or NULL */
	int argc;		/* positional arguments after the command */
	char **argv;
	char res_buf[HADISK_RES_NAME_MAX];
};

/* How a command takes RES. */
enum hd_res_arg {
	RES_NONE,		/* takes no RES (help) */
	RES_REQUIRED,		/* RES, or --config with one resource */
	RES_OPTIONAL,		/* [RES]: none means all */
};

struct hd_cmd {
	const char *name;
	const char *summary;	/* one line for the top-level help */
	const char *help;	/* the full --help text */
	unsigned int opts;	/* enum hd_opt */
	enum hd_res_arg res;
	int (*run)(struct hd_ctx *ctx);
};

extern const struct hd_cmd cmd_up, cmd_down;
extern const struct hd_cmd cmd_attach, cmd_detach;
extern const struct hd_cmd cmd_connect, cmd_disconnect;
extern const struct hd_cmd cmd_primary, cmd_secondary;
extern const struct hd_cmd cmd_status;
extern const struct hd_cmd cmd_events;
extern const struct hd_cmd cmd_wait_connect, cmd_wait_sync;
extern const struct hd_cmd cmd_invalidate, cmd_invalidate_remote;
extern const struct hd_cmd cmd_new_current_uuid;
extern const struct hd_cmd cmd_verify;
extern const struct hd_cmd cmd_create_md, cmd_dump_md, cmd_wipe_md;
extern const struct hd_cmd cmd_apply_al;
extern const struct hd_cmd cmd_ha_status, cmd_failover, cmd_switchover;
extern const struct hd_cmd cmd_outdate, cmd_resume_io;
extern const struct hd_cmd cmd_save_discarded, cmd_discarded;

/* common.c */

/* Prints "hadiskctl: CMD: message" to stderr. */
__attribute__((format(printf, 2, 3)))
void hd_err(const struct hd_ctx *ctx, const char *fmt, ...);

/* Prints "hadiskctl: CMD RES: message" to stderr. */
__attribute__((format(printf, 3, 4)))
void hd_res_err(const struct hd_ctx *ctx, const char *res,
		const char *fmt, ...);

/*
 * The resource the command names: RES, or with --config and no RES the
 * file's only resource. Returns 0, or an exit code after a message.
 */
int hd_ctx_res(struct hd_ctx *ctx, const char **res);

/*
 * Loads the configuration of the named resource (or of --config's only
 * one) and finds this node in it. Returns 0, or EXIT_CONFIG after a
 * message.
 */
int hd_ctx_conf(struct hd_ctx *ctx, struct hd_res_conf *rc, int *local);

/* Opens the netlink client. Returns 0, or an exit code after a message. */
int hd_ctx_nl_open(struct hd_ctx *ctx, struct hd_nl *nl);

/*
 * Explains why the kernel refused a request of command cmd (HADISK_CMD_*;
 * err: negative errno, from hd_nl_request) and returns the exit code.
 */
int hd_ctx_refused(struct hd_ctx *ctx, const struct hd_nl *nl,
		   uint8_t cmd, const char *res, int err);

/* Sends req; on failure explains it. Returns 0 or an exit code. */
int hd_ctx_do(struct hd_ctx *ctx, struct hd_nl *nl, struct nlmsghdr *req,
	      const char *res);

/*
 * The status of one resource. Returns 0, -ENOENT if the kernel has no such
 * resource, or another negative errno (with a decoding message in the
 * extack buffer of nl).
 */
int hd_get_status(struct hd_nl *nl, const char *res, struct hd_status *st);

/*
 * A command that is one request naming the resource (DETACH, DISCONNECT,
 * PRIMARY with --force, SECONDARY, INVALIDATE, INVALIDATE_REMOTE,
 * NEW_CURRENT_UUID with --clear-bitmap). Returns the exit code.
 */
int hd_run_simple(struct hd_ctx *ctx, uint8_t cmd);

/* The request builders of request.h that take a configuration. */
typedef struct nlmsghdr *(*hd_conf_req_fn)(void *buf, uint16_t family,
					   const struct hd_res_conf *rc,
					   int local);

/* A command that is one request built from the configuration. */
int hd_run_from_conf(struct hd_ctx *ctx, hd_conf_req_fn build);

/*
 * connect.c: checks that the hooks of rc can run here, then sends CONNECT
 * for this node of rc, with this hadiskctl as the save helper and
 * ctx->discard_my_data. Returns the exit code.
 */
int hd_ctx_connect(struct hd_ctx *ctx, struct hd_nl *nl,
		   const struct hd_res_conf *rc, int local);

/*
 * attach.c: sends ATTACH for this node of rc; when the kernel refuses it
 * for missing metadata, explains how to create it. Returns the exit code.
 */
int hd_ctx_attach(struct hd_ctx *ctx, struct hd_nl *nl,
		  const struct hd_res_conf *rc, int local);

struct hd_mdev;

/* md_target.c: what the offline metadata commands work on. */
struct hd_md_target {
	const char *res;		/* the resource, NULL with --disk */
	const char *data;		/* the data device or file */
	const char *meta;		/* the metadata's, NULL: internal */
	uint32_t node_id;		/* this node's */
	uint32_t al_extents;		/* the configuration's, or default */
	char args[HD_CONF_FILE_MAX + 2 * HADISK_PATH_MAX];
	struct hd_res_conf rc;		/* with RES */
};

/*
 * RES (and --config, --node) or --disk (and --meta-disk, --node-id) of
 * the command line. Returns 0, or an exit code after a message.
 */
int hd_ctx_md_target(struct hd_ctx *ctx, struct hd_md_target *t);

/* Opens t's devices. Returns 0, or an exit code after a message. */
int hd_ctx_md_open(struct hd_ctx *ctx, const struct hd_md_target *t,
		   bool write, struct hd_mdev *d);

struct hd_md_info;

/*
 * Reads and checks the superblock of d into i. Returns 0, or an exit code
 * after a message that says exactly what is wrong.
 */
int hd_ctx_md_super(struct hd_ctx *ctx, const struct hd_md_target *t,
		    const struct hd_mdev *d, struct hd_md_info *i);

/* True for the errnos that mean "no such resource". */
bool hd_no_such_resource(int err);

#endif /* HADISKCTL_H */
