/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hadisk configuration file: one file per resource, the same file on
 * both nodes, in DRBD's syntax:
 *
 *	resource r0 {
 *		protocol C;			A, B or C; default C
 *		net {				optional
 *			ping-interval 1s;	N, Nms or Ns (bare: seconds),
 *						100ms to 600s
 *			ping-timeout 2s;
 *			ack-timeout 6s;
 *			connect-interval 1s;
 *			checksum-resync no;	yes: a bitmap-based resync
 *						compares checksums first and
 *						sends only differing blocks
 *			after-sb-0pri disconnect;	split-brain policies
 *			after-sb-1pri disconnect;	(DRBD's names), see
 *			after-sb-2pri disconnect;	Documentation/
 *							configuration.md
 *			shared-secret "SECRET";	1..64 bytes; peers must prove
 *						they have it (HMAC challenge-
 *						response); never printed
 *			cram-hmac-alg sha256;	sha256 | sha1 | sha512; only
 *						with shared-secret
 *			data-integrity-alg crc32c;	crc32c | none: a
 *						digest on every replicated
 *						block; default none
 *			transport tcp;		tcp | rdma (the module
 *						hadisk_rdma); default tcp;
 *						the same on both nodes
 *		}
 *		disk {				optional
 *			al-extents 257;		activity log size in 4 MiB
 *						extents, 7..1000
 *			resync-rate-min 32M;	resync floor and ceiling,
 *			resync-rate-max 1G;	per second: N (KiB), NK, NM
 *						or NG (powers of 1024), 1M
 *						to 100G; min <= max;
 *						defaults 32M and 1G
 *			fencing none;		none | resource-only |
 *						resource-and-stonith
 *			on-io-error detach;	detach | pass_on |
 *						call-local-io-error: what a
 *						failed read or write of the
 *						backing device does; default
 *						detach; call-local-io-error
 *						needs handlers'
 *						local-io-error
 *		}
 *		handlers {			optional; absolute paths
 *			fence-peer "/usr/lib/hadisk/fence.sh";
 *			unfence-peer, split-brain, pri-lost-after-sb,
 *			before-resync-target, after-resync-target,
 *			local-io-error: the same form
 *			hook-timeout 60s;	1s..600s
 *			discarded-dir /var/lib/hadisk;
 *		}
 *		on alpha {			a node's name (hostname)
 *			node-id 0;		0..31, default: position
 *			address 10.99.0.1:7789;	a.b.c.d:port or [v6]:port
 *			disk /dev/ram0;		backing block device
 *			minor 0;		/dev/hadisk0
 *			meta-disk internal;	internal (default) | none |
 *						/dev/path
 *		}
 *		on beta { ... }
 *	}
 *
 * A file may hold several resources; the caller names the one it wants.
 * Every error message starts with "FILE:LINE: " and says what is wrong and
 * how to fix it.
 */
#ifndef HADISK_CONFIG_H
#define HADISK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/linux/hadisk.h"
#include "util.h"

#define HD_CONF_DIR		"/etc/hadisk"
#define HD_CONF_MAX_SIZE	(1024 * 1024)
#define HD_NODE_NAME_MAX	63	/* characters, without the NUL */
#define HD_CONF_FILE_MAX	512	/* file name kept for messages */
/* the range of the net durations that the kernel accepts */
#define HD_CONF_MS_MIN		100
#define HD_CONF_MS_MAX		600000
/* the range of the resync rates that the kernel accepts, in KiB/s */
#define HD_CONF_RATE_MIN_KIB	1024			/* 1M */
#define HD_CONF_RATE_MAX_KIB	(100 * 1024 * 1024)	/* 100G */
/* the kernel's resync rates when CONNECT leaves them out, in KiB/s */
#define HD_CONF_RATE_MIN_DEFAULT_KIB	(32 * 1024)	/* 32M */
#define HD_CONF_RATE_MAX_DEFAULT_KIB	(1024 * 1024)	/* 1G */

/* net's shared-secret: 1..HD_CONF_SECRET_MAX bytes */
#define HD_CONF_SECRET_MAX		64
/* net's cram-hmac-alg when the file has a shared-secret but no alg */
#define HD_CONF_HMAC_ALG_DEFAULT	"sha256"

/* the range of handlers' hook-timeout, and the kernel's default */
#define HD_CONF_HOOK_MS_MIN		1000
#define HD_CONF_HOOK_MS_MAX		600000
#define HD_CONF_HOOK_MS_DEFAULT		60000
/* where the kernel has split-brain victims save their blocks by default */
#define HD_CONF_SAVE_DIR_DEFAULT	"/var/lib/hadisk"

/*
 * The hooks of the handlers section, in the order of their netlink
 * attributes: hook h is sent as HADISK_A_HOOK_FENCE_PEER + h.
 */
enum hd_hook {
	HD_HOOK_FENCE_PEER,
	HD_HOOK_UNFENCE_PEER,
	HD_HOOK_SPLIT_BRAIN,
	HD_HOOK_PRI_LOST_AFTER_SB,
	HD_HOOK_BEFORE_RESYNC_TARGET,
	HD_HOOK_AFTER_RESYNC_TARGET,
	HD_HOOK_LOCAL_IO_ERROR,
	HD_HOOK_NR
};

/* A hook's key in the handlers section: "fence-peer", ... */
const char *hd_hook_key(enum hd_hook h);

/* after-sb-0pri, -1pri, -2pri: the index into hd_res_conf.after_sb */
#define HD_SB_KEYS	3

enum hd_meta_disk {
	HD_META_INTERNAL,	/* at the end of the backing device */
	HD_META_NONE,		/* no metadata */
	HD_META_DEVICE,		/* on a device of its own: meta_dev */
};

/* An "on NAME { }" section. A *_line of 0 means "not in the file". */
struct hd_node_conf {
	char name[HD_NODE_NAME_MAX + 1];
	int line;
	uint32_t node_id;
	int node_id_line;
	struct hd_addr addr;
	int addr_line;
	char disk[HADISK_PATH_MAX];
	int disk_line;
	uint32_t minor;
	int minor_line;
	enum hd_meta_disk meta;
	char meta_dev[HADISK_PATH_MAX];
	int meta_line;
};

struct hd_res_conf {
	char file[HD_CONF_FILE_MAX];
	char name[HADISK_RES_NAME_MAX];
	int line;
	uint8_t protocol;		/* HADISK_PROT_*, default C */
	int protocol_line;
	/* 0 when not set: the kernel's default applies */
	uint32_t ping_interval_ms;
	uint32_t ping_timeout_ms;
	uint32_t ack_timeout_ms;
	uint32_t connect_interval_ms;
	/* checksum-resync; sent in CONNECT only when the file sets it */
	bool csum_resync;
	int csum_resync_line;
	int net_line;
	/*
	 * Peer authentication: shared_secret holds shared_secret_len bytes
	 * (no NUL among them; a NUL after them). Never print it. hmac_alg is
	 * "sha256", "sha1" or "sha512" ("" and line 0 when not set: sha256).
	 */
	char shared_secret[HD_CONF_SECRET_MAX + 1];
	size_t shared_secret_len;
	int shared_secret_line;
	char hmac_alg[8];
	int hmac_alg_line;
	/* data-integrity-alg (HADISK_DIGEST_*); sent only when set */
	uint8_t data_digest;
	int data_digest_line;
	/* transport (HADISK_TRANSPORT_*); sent only when set */
	uint8_t transport;
	int transport_line;
	/*
	 * The permission bits of the file hd_conf_load() read (file_mode_known
	 * false after hd_conf_parse() alone), for hd_conf_secret_exposed().
	 */
	unsigned int file_mode;
	bool file_mode_known;
	/* the disk section; al_extents 0 when not set: the kernel's default */
	uint32_t al_extents;
	int al_extents_line;
	/* KiB/s; 0 when not set: the kernel's default */
	uint32_t resync_rate_min_kib;
	int resync_rate_min_line;
	uint32_t resync_rate_max_kib;
	int resync_rate_max_line;
	int disk_line;
	/*
	 * Split-brain policies (HADISK_SB_*) for 0, 1 and 2 Primaries;
	 * sent only when the file sets them. discard_node names the node of
	 * "discard-node-NAME"; discard_node_id is its node-id.
	 */
	uint8_t after_sb[HD_SB_KEYS];
	int after_sb_line[HD_SB_KEYS];
	char discard_node[HD_NODE_NAME_MAX + 1];
	uint32_t discard_node_id;
	/* the disk section's fencing (HADISK_FENCING_*) */
	uint8_t fencing;
	int fencing_line;
	/*
	 * the disk section's on-io-error (HADISK_IOE_*, HADISK_IOE_DETACH
	 * when not set); ATTACH always sends it
	 */
	uint8_t on_io_error;
	int on_io_error_line;
	/* the handlers section: "" and line 0 for a hook not set */
	int handlers_line;
	char hooks[HD_HOOK_NR][HADISK_PATH_MAX];
	int hook_line[HD_HOOK_NR];
	uint32_t hook_timeout_ms;	/* 0 when not set */
	int hook_timeout_line;
	char save_dir[HADISK_PATH_MAX];	/* "" when not set */
	int save_dir_line;
	int nr_nodes;			/* always 2 after a successful parse */
	struct hd_node_conf nodes[2];
};

/*
 * Parses the text of a configuration file named fname (for messages) and
 * fills rc with the resource named want, or with the only resource in the
 * file when want is NULL. Returns 0, or -1 with the message in err.
 */
int hd_conf_parse(const char *text, size_t len, const char *fname,
		  const char *want, struct hd_res_conf *rc,
		  char *err, size_t err_size);

/* Reads path and parses it as hd_conf_parse() does. */
int hd_conf_load(const char *path, const char *want, struct hd_res_conf *rc,
		 char *err, size_t err_size);

/*
 * Which of the two nodes is this one: the node named node if that is not
 * NULL, otherwise the node whose name is hostname (or hostname up to its
 * first dot). Returns 0 or 1, or -1 with the message in err.
 */
int hd_conf_pick_node(const struct hd_res_conf *rc, const char *node,
		      const char *hostname, char *err, size_t err_size);

/*
 * Checks that each hook the handlers section sets is an existing,
 * executable regular file (on this node: run it where the hooks run).
 * Returns 0, or -1 with "FILE:LINE: ..." naming the key and the path in
 * err.
 */
int hd_conf_check_hooks(const struct hd_res_conf *rc, char *err,
			size_t err_size);

/*
 * True when rc holds a shared-secret and the file it was read from is
 * readable by its group or by others: the caller warns (naming rc->file
 * and "chmod 600") and goes on.
 */
bool hd_conf_secret_exposed(const struct hd_res_conf *rc);

/* Overwrites the shared secret of rc (before rc goes out of scope). */
void hd_conf_wipe_secret(struct hd_res_conf *rc);

/* hd_conf_pick_node() with this machine's hostname. */
int hd_conf_local_node(const struct hd_res_conf *rc, const char *node,
		       char *err, size_t err_size);

#endif /* HADISK_CONFIG_H */
