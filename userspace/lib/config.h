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
 *		}
 *		disk {				optional
 *			al-extents 257;		activity log size in 4 MiB
 *						extents, 7..1000
 *			resync-rate-min 32M;	resync floor and ceiling,
 *			resync-rate-max 1G;	per second: N (KiB), NK, NM
 *						or NG (powers of 1024), 1M
 *						to 100G; min <= max;
 *						defaults 32M and 1G
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
	/* the disk section; al_extents 0 when not set: the kernel's default */
	uint32_t al_extents;
	int al_extents_line;
	/* KiB/s; 0 when not set: the kernel's default */
	uint32_t resync_rate_min_kib;
	int resync_rate_min_line;
	uint32_t resync_rate_max_kib;
	int resync_rate_max_line;
	int disk_line;
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

/* hd_conf_pick_node() with this machine's hostname. */
int hd_conf_local_node(const struct hd_res_conf *rc, const char *node,
		       char *err, size_t err_size);

#endif /* HADISK_CONFIG_H */
