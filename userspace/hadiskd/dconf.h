/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hadiskd's configuration file, /etc/hadisk/hadiskd.conf: a "daemon"
 * section (this node, the peer, the heartbeat paths, the witness) and one
 * "resource" section per resource hadiskd manages (policy, fencing,
 * hooks, service address). The syntax is the resource files': words,
 * "{ }" blocks, statements ending with ';', '#' comments.
 * Documentation/hadiskd.md lists every key.
 *
 * Every error is "FILE:LINE: what is wrong; how to fix it".
 */
#ifndef HADISKD_DCONF_H
#define HADISKD_DCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hbproto.h"
#include "policy.h"
#include "util.h"

#define HD_DCONF_FILE		"/etc/hadisk/hadiskd.conf"
#define HD_DCONF_SOCKET		"/run/hadiskd.sock"
#define HD_DCONF_PORT		7790	/* heartbeat and witness port */
#define HD_DCONF_MAX_PATHS	4
#define HD_DCONF_MAX_RES	HD_HB_MAX_RES
#define HD_DCONF_PATH_MAX	256
#define HD_DCONF_NAME_MAX	(HD_HB_NAME - 1)	/* fits the datagram */
#define HD_DCONF_ERR_MAX	512

/* Defaults and ranges, milliseconds. */
#define HD_DCONF_INTERVAL_DEF	500
#define HD_DCONF_INTERVAL_MIN	10
#define HD_DCONF_INTERVAL_MAX	10000
#define HD_DCONF_TIMEOUT_DEF	3000
#define HD_DCONF_TIMEOUT_MAX	600000
#define HD_DCONF_HOOK_DEF	30000
#define HD_DCONF_HOOK_MAX	3600000

struct hd_dpath {
	struct hd_addr local;	/* bound here */
	struct hd_addr peer;	/* sent there */
};

struct hd_dres {
	char name[HD_DCONF_NAME_MAX + 1];
	enum hd_policy policy;
	bool fencing;			/* fencing kernel; */
	char start_hook[HD_DCONF_PATH_MAX];	/* "" for none */
	char stop_hook[HD_DCONF_PATH_MAX];
	uint32_t hook_timeout_ms;
	bool has_ip;
	char ip[64];			/* "10.0.0.100/24" */
	char ip_dev[16];		/* the interface */
	int line;			/* of "resource NAME {" */
	int start_line, stop_line;	/* of the hooks, for the messages */
};

struct hd_dconf {
	char file[HD_DCONF_PATH_MAX];
	char node[HD_DCONF_NAME_MAX + 1];	/* "" until set */
	char peer[HD_DCONF_NAME_MAX + 1];
	uint32_t interval_ms;
	uint32_t timeout_ms;
	struct hd_dpath paths[HD_DCONF_MAX_PATHS];
	unsigned int npaths;
	bool has_witness;
	struct hd_addr witness;
	uint32_t lease_ms;
	bool has_metrics;		/* metrics ADDRESS:PORT; (off by default) */
	struct hd_addr metrics;
	char socket[108];
	uint32_t hook_timeout_ms;
	char key_file[HD_DCONF_PATH_MAX];	/* "" for none */
	bool has_key;
	uint8_t key[16];			/* from key_file */
	struct hd_dres res[HD_DCONF_MAX_RES];
	unsigned int nres;
	int timeout_line, lease_line, key_line;	/* for messages; 0: unset */
};

/* The defaults: no paths, no resources, manual policy. */
void hd_dconf_init(struct hd_dconf *c);

/*
 * Parses text (the contents of file, named in messages). Returns 0, or -1
 * with "FILE:LINE: ..." in err. Hooks are not checked for existence here.
 */
int hd_dconf_parse(const char *text, const char *file, struct hd_dconf *c,
		   char *err, size_t err_size);

/*
 * Reads and parses file, then checks what needs the machine: hooks exist
 * and are executable. Returns 0, -1 with a message, or -ENOENT when the
 * file does not exist (with a message).
 */
int hd_dconf_load(const char *file, struct hd_dconf *c, char *err,
		  size_t err_size);

/*
 * Reads a key file: 32 hex digits (16 bytes; whitespace around them is
 * fine), not readable by group or others. Returns 0, or -1 with why in
 * err ("FILE: ...").
 */
int hd_key_load(const char *file, uint8_t key[16], char *err,
		size_t err_size);

/* The resource named name, or NULL. */
const struct hd_dres *hd_dconf_res(const struct hd_dconf *c,
				   const char *name);

#endif /* HADISKD_DCONF_H */
