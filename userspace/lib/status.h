/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A resource's status as the kernel reports it (a GET_STATUS reply or an
 * EVENT), decoded into a struct, and rendered as text for people or as a
 * JSON object for programs.
 *
 * Attributes the kernel leaves out take their "nothing there" value: role
 * Unknown, StandAlone, Diskless, peer disk DUnknown, counters 0, and for
 * the node names, minor, protocol, the resync limit, the metadata
 * attributes, the verify, the fencing policy, the split-brain policies and
 * the on-io-error policy a has_* flag of false (JSON null); io_frozen,
 * peer_fenced and detached_on_error false, no last discarded file; auth
 * off, data digest none, their counters 0.
 */
#ifndef HADISK_STATUS_H
#define HADISK_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "uapi/linux/hadisk.h"

#define HD_EVENT_NAME_MAX 64

struct nlmsghdr;

struct hd_status {
	char resource[HADISK_RES_NAME_MAX];
	char node[HD_NODE_NAME_MAX + 1];
	char peer_node[HD_NODE_NAME_MAX + 1];
	bool has_node;
	bool has_peer_node;
	bool has_minor;
	bool has_protocol;
	uint32_t minor;
	uint8_t protocol;		/* HADISK_PROT_* */
	uint8_t transport;		/* HADISK_TRANSPORT_*, TCP by default */
	uint8_t role;			/* HADISK_ROLE_* */
	uint8_t peer_role;
	uint8_t conn;			/* HADISK_CONN_* */
	uint8_t disk;			/* HADISK_DISK_* */
	uint8_t peer_disk;
	uint64_t size_bytes;
	uint32_t open_count;
	uint64_t bytes_sent;
	uint64_t bytes_received;
	uint32_t writes_pending;
	uint32_t writes_unacked;
	uint64_t oos_bytes;
	uint64_t resync_total_bytes;
	uint64_t resync_done_bytes;
	uint64_t resync_rate_bps;
	/* the resync's current limit, bytes/s: only a SyncSource has one */
	bool has_resync_limit;
	uint64_t resync_limit_bps;
	uint64_t current_uuid;
	uint64_t bitmap_uuid;
	/* the backing device's path, when a disk is attached */
	bool has_backing_dev;
	char backing_dev[HADISK_PATH_MAX];
	/* the attached disk's metadata: "internal" or the device's path */
	bool has_meta_dev;
	bool has_md_flags;
	bool has_al_active;
	bool has_al_extents;
	bool has_al_writes;
	char meta_dev[HADISK_PATH_MAX];
	uint32_t md_flags;		/* HD_MDF_* of the superblock */
	uint32_t al_active;		/* active activity-log extents */
	uint32_t al_extents;		/* the activity log's size */
	uint64_t al_writes;		/* activity-log transactions written */
	/* the last online verify, once one was started on the connection */
	bool has_verify;
	bool verify_running;
	uint64_t verify_total_bytes;
	uint64_t verify_done_bytes;
	uint64_t verify_oos_bytes;	/* found out of sync so far */
	/* node ids, to name the node of discard-node-NAME */
	bool has_node_id;
	bool has_peer_node_id;
	uint32_t node_id;
	uint32_t peer_node_id;
	/* fencing and split brain */
	bool has_fencing;
	uint8_t fencing;		/* HADISK_FENCING_* */
	bool has_after_sb[3];
	uint8_t after_sb[3];		/* HADISK_SB_*, 0, 1 and 2 Primaries */
	bool has_discard_node_id;
	uint32_t discard_node_id;
	bool io_frozen;			/* application IO held by fencing */
	bool peer_fenced;		/* the peer is Outdated or fenced */
	char last_save[HADISK_PATH_MAX];	/* "" when none */
	/* peer authentication and wire integrity (0 when not reported) */
	bool auth_on;			/* peers must authenticate */
	uint64_t auth_failures;		/* handshakes refused for auth */
	uint8_t data_digest;		/* HADISK_DIGEST_*, NONE by default */
	uint64_t digest_errors;		/* packets whose digest failed */
	/* local disk failure: disk { on-io-error } and what it did */
	bool has_on_io_error;
	uint8_t on_io_error;		/* HADISK_IOE_* */
	uint64_t local_io_errors;	/* failed backing-device IOs */
	uint64_t remote_reads;		/* reads served by the peer */
	bool detached_on_error;		/* Diskless after an IO error */
	char last_error[HADISK_ERROR_MAX];	/* "" when none */
	char event[HD_EVENT_NAME_MAX];		/* "" unless an EVENT */
};

/* The values of an empty status (see above). */
void hd_status_init(struct hd_status *st);

/*
 * Decodes a GET_STATUS reply or an EVENT message. Returns 0, or -1 with a
 * description in err when an attribute has the wrong size or the resource
 * name is missing.
 */
int hd_status_decode(const struct nlmsghdr *nlh, struct hd_status *st,
		     char *err, size_t err_size);

/* True while a resync runs (SyncSource or SyncTarget). */
bool hd_status_resyncing(const struct hd_status *st);

/* The resync's progress, 0.0 to 100.0. */
double hd_status_resync_percent(const struct hd_status *st);

/* Seconds left at the current rate; false when the rate is 0. */
bool hd_status_resync_eta(const struct hd_status *st, uint64_t *seconds);

/* The verify's progress, 0.0 to 100.0. */
double hd_status_verify_percent(const struct hd_status *st);

/*
 * True for a verify that ended before its end (the connection was lost):
 * no longer running, not every byte compared.
 */
bool hd_status_verify_stopped(const struct hd_status *st);

/*
 * The multi-line text of "hadiskctl status". With metadata attributes it
 * has the line "  metadata:internal al:12/257 extents, 345 writes"; while
 * resyncing, "    resync: 42.0% 12.3MiB/s 00:00:05 left (42.0MiB of
 * 100.0MiB)", and " limit 123.0MiB/s" at its end when the kernel reports
 * the limit. With verify attributes the last line is "  verify: 42.0%
 * (10.0MiB of 24.0MiB), 0B out of sync" while it runs, "  verify: done,
 * 4.0KiB out of sync" after it, or "  verify: stopped at 42.0% (...), 0B
 * out of sync" when it ended early. Fencing other than none, or a fenced
 * peer, adds "  fencing:resource-only peer:fenced"; split-brain policies
 * other than disconnect add "  split-brain: after-sb-0pri:P
 * after-sb-1pri:P after-sb-2pri:P"; frozen IO adds "  IO frozen: ..."
 * and a saved file "  last discarded file: PATH". After the "sent:" line,
 * "    auth:on auth-failures:N data-digest:crc32c digest-errors:N" when
 * any of them is not off/0/none, each item only when so ("auth:off"
 * when off with failures). After the disk line (and before the metadata
 * line), "  disk: detached after an I/O error of the backing device; ..."
 * when detached_on_error: where IO goes and how to re-attach; after the
 * metadata line "  on-io-error:detach" when the kernel reports the policy,
 * with " local-io-errors:N" and " remote-reads:N" when not 0.
 */
void hd_status_text(const struct hd_status *st, struct hd_buf *b);

/*
 * The version of the JSON objects below, their last key "schema_version".
 * Keys are only ever added; removing or changing one bumps it.
 */
#define HD_STATUS_SCHEMA_VERSION 1

/*
 * The JSON object of "hadiskctl status --json". With_event adds an
 * "event" key (first) with st->event; "schema_version" is always last.
 */
void hd_status_json(const struct hd_status *st, bool with_event,
		    struct hd_buf *b);

/*
 * The output of "hadiskctl status --json": a JSON array of the objects of
 * v[0..n), one per line, and a final newline; "[]" when n is 0.
 */
void hd_status_json_array(const struct hd_status *v, size_t n,
			  struct hd_buf *b);

/*
 * The state in one line: "role:R disk:D connection:C peer-role:R
 * peer-disk:D", then " resync:P%" while resyncing, " io-frozen:yes" and
 * " peer-fenced:yes" and " detached-on-error:yes" when so, and
 * " last-error:\"...\"" when there is one.
 */
void hd_status_brief(const struct hd_status *st, struct hd_buf *b);

/* One line for an event: "r0 EVENT: " and the brief state. */
void hd_status_event_line(const struct hd_status *st, struct hd_buf *b);

/* A state's name, or "Unknown(N)" for a value this build does not know. */
const char *hd_status_role_str(unsigned int v, char *buf, size_t size);
const char *hd_status_conn_str(unsigned int v, char *buf, size_t size);
const char *hd_status_disk_str(unsigned int v, char *buf, size_t size);

#endif /* HADISK_STATUS_H */
