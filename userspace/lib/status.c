// SPDX-License-Identifier: GPL-2.0
/*
 * Status decoding and rendering, see status.h.
 */
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "names.h"
#include "status.h"
#include "util.h"

void hd_status_init(struct hd_status *st)
{
	memset(st, 0, sizeof(*st));
	st->role = HADISK_ROLE_UNKNOWN;
	st->peer_role = HADISK_ROLE_UNKNOWN;
	st->conn = HADISK_CONN_STANDALONE;
	st->disk = HADISK_DISK_DISKLESS;
	st->peer_disk = HADISK_DISK_UNKNOWN;
}

/* Decoding */

struct decode {
	struct hd_status *st;
	bool has_resource;
	int bad_attr;		/* the first malformed attribute, or -1 */
};

static void copy_str(char *dst, size_t size, const struct nlattr *a)
{
	size_t n = strnlen(mnl_attr_get_payload(a),
			   mnl_attr_get_payload_len(a));

	if (n >= size)
		n = size - 1;
	memcpy(dst, mnl_attr_get_payload(a), n);
	dst[n] = '\0';
}

/* The type each status attribute must have. */
static enum mnl_attr_data_type attr_type(uint16_t type)
{
	switch (type) {
	case HADISK_A_RESOURCE:
	case HADISK_A_NODE_NAME:
	case HADISK_A_PEER_NODE_NAME:
	case HADISK_A_LAST_ERROR:
	case HADISK_A_EVENT:
	case HADISK_A_META_DEV:
	case HADISK_A_BACKING_DEV:
	case HADISK_A_LAST_SAVE:
		return MNL_TYPE_STRING;
	case HADISK_A_MINOR:
	case HADISK_A_OPEN_COUNT:
	case HADISK_A_WRITES_PENDING:
	case HADISK_A_WRITES_UNACKED:
	case HADISK_A_MD_FLAGS:
	case HADISK_A_AL_ACTIVE:
	case HADISK_A_AL_EXTENTS:
	case HADISK_A_NODE_ID:
	case HADISK_A_PEER_NODE_ID:
	case HADISK_A_DISCARD_NODE_ID:
		return MNL_TYPE_U32;
	case HADISK_A_PROTOCOL:
	case HADISK_A_ROLE:
	case HADISK_A_PEER_ROLE:
	case HADISK_A_CONN_STATE:
	case HADISK_A_DISK_STATE:
	case HADISK_A_PEER_DISK_STATE:
	case HADISK_A_VERIFY_RUNNING:
	case HADISK_A_FENCING:
	case HADISK_A_AFTER_SB_0PRI:
	case HADISK_A_AFTER_SB_1PRI:
	case HADISK_A_AFTER_SB_2PRI:
	case HADISK_A_IO_FROZEN:
	case HADISK_A_PEER_FENCED:
	case HADISK_A_DATA_DIGEST:
	case HADISK_A_AUTH_ON:
	case HADISK_A_ON_IO_ERROR:
	case HADISK_A_DETACHED_ON_ERROR:
	case HADISK_A_TRANSPORT:
		return MNL_TYPE_U8;
	case HADISK_A_SIZE_BYTES:
	case HADISK_A_BYTES_SENT:
	case HADISK_A_BYTES_RECEIVED:
	case HADISK_A_OOS_BYTES:
	case HADISK_A_RESYNC_TOTAL_BYTES:
	case HADISK_A_RESYNC_DONE_BYTES:
	case HADISK_A_RESYNC_RATE_BPS:
	case HADISK_A_RESYNC_LIMIT_BPS:
	case HADISK_A_CURRENT_UUID:
	case HADISK_A_BITMAP_UUID:
	case HADISK_A_AL_WRITES:
	case HADISK_A_VERIFY_TOTAL_BYTES:
	case HADISK_A_VERIFY_DONE_BYTES:
	case HADISK_A_VERIFY_OOS_BYTES:
	case HADISK_A_AUTH_FAILURES:
	case HADISK_A_DIGEST_ERRORS:
	case HADISK_A_LOCAL_IO_ERRORS:
	case HADISK_A_REMOTE_READS:
		return MNL_TYPE_U64;
	default:
		return MNL_TYPE_UNSPEC;	/* not a status attribute: skipped */
	}
}

/*
 * The node ids, the fencing and split-brain attributes, authentication and
 * the data digest, and the local disk failure's.
 */
static void decode_ha(struct hd_status *st, uint16_t type,
		      const struct nlattr *a)
{
	switch (type) {
	case HADISK_A_NODE_ID:
		st->node_id = mnl_attr_get_u32(a);
		st->has_node_id = true;
		break;
	case HADISK_A_PEER_NODE_ID:
		st->peer_node_id = mnl_attr_get_u32(a);
		st->has_peer_node_id = true;
		break;
	case HADISK_A_FENCING:
		st->fencing = mnl_attr_get_u8(a);
		st->has_fencing = true;
		break;
	case HADISK_A_AFTER_SB_0PRI:
	case HADISK_A_AFTER_SB_1PRI:
	case HADISK_A_AFTER_SB_2PRI:
		st->after_sb[type - HADISK_A_AFTER_SB_0PRI] =
			mnl_attr_get_u8(a);
		st->has_after_sb[type - HADISK_A_AFTER_SB_0PRI] = true;
		break;
	case HADISK_A_DISCARD_NODE_ID:
		st->discard_node_id = mnl_attr_get_u32(a);
		st->has_discard_node_id = true;
		break;
	case HADISK_A_IO_FROZEN:
		st->io_frozen = mnl_attr_get_u8(a);
		break;
	case HADISK_A_PEER_FENCED:
		st->peer_fenced = mnl_attr_get_u8(a);
		break;
	case HADISK_A_LAST_SAVE:
		copy_str(st->last_save, sizeof(st->last_save), a);
		break;
	case HADISK_A_AUTH_ON:
		st->auth_on = mnl_attr_get_u8(a);
		break;
	case HADISK_A_AUTH_FAILURES:
		st->auth_failures = mnl_attr_get_u64(a);
		break;
	case HADISK_A_DATA_DIGEST:
		st->data_digest = mnl_attr_get_u8(a);
		break;
	case HADISK_A_DIGEST_ERRORS:
		st->digest_errors = mnl_attr_get_u64(a);
		break;
	case HADISK_A_ON_IO_ERROR:
		st->on_io_error = mnl_attr_get_u8(a);
		st->has_on_io_error = true;
		break;
	case HADISK_A_LOCAL_IO_ERRORS:
		st->local_io_errors = mnl_attr_get_u64(a);
		break;
	case HADISK_A_REMOTE_READS:
		st->remote_reads = mnl_attr_get_u64(a);
		break;
	case HADISK_A_DETACHED_ON_ERROR:
		st->detached_on_error = mnl_attr_get_u8(a);
		break;
	}
}

static int decode_attr_cb(const struct nlattr *a, void *data)
{
	struct decode *d = data;
	struct hd_status *st = d->st;
	uint16_t type = mnl_attr_get_type(a);
	enum mnl_attr_data_type t = attr_type(type);

	if (t == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, t) < 0) {
		if (d->bad_attr < 0)
			d->bad_attr = type;
		return MNL_CB_OK;
	}
	switch (type) {
	case HADISK_A_RESOURCE:
		copy_str(st->resource, sizeof(st->resource), a);
		d->has_resource = true;
		break;
	case HADISK_A_NODE_NAME:
		copy_str(st->node, sizeof(st->node), a);
		st->has_node = true;
		break;
	case HADISK_A_PEER_NODE_NAME:
		copy_str(st->peer_node, sizeof(st->peer_node), a);
		st->has_peer_node = true;
		break;
	case HADISK_A_LAST_ERROR:
		copy_str(st->last_error, sizeof(st->last_error), a);
		break;
	case HADISK_A_EVENT:
		copy_str(st->event, sizeof(st->event), a);
		break;
	case HADISK_A_MINOR:
		st->minor = mnl_attr_get_u32(a);
		st->has_minor = true;
		break;
	case HADISK_A_OPEN_COUNT:
		st->open_count = mnl_attr_get_u32(a);
		break;
	case HADISK_A_WRITES_PENDING:
		st->writes_pending = mnl_attr_get_u32(a);
		break;
	case HADISK_A_WRITES_UNACKED:
		st->writes_unacked = mnl_attr_get_u32(a);
		break;
	case HADISK_A_PROTOCOL:
		st->protocol = mnl_attr_get_u8(a);
		st->has_protocol = true;
		break;
	case HADISK_A_TRANSPORT:
		st->transport = mnl_attr_get_u8(a);
		break;
	case HADISK_A_ROLE:
		st->role = mnl_attr_get_u8(a);
		break;
	case HADISK_A_PEER_ROLE:
		st->peer_role = mnl_attr_get_u8(a);
		break;
	case HADISK_A_CONN_STATE:
		st->conn = mnl_attr_get_u8(a);
		break;
	case HADISK_A_DISK_STATE:
		st->disk = mnl_attr_get_u8(a);
		break;
	case HADISK_A_PEER_DISK_STATE:
		st->peer_disk = mnl_attr_get_u8(a);
		break;
	case HADISK_A_SIZE_BYTES:
		st->size_bytes = mnl_attr_get_u64(a);
		break;
	case HADISK_A_BYTES_SENT:
		st->bytes_sent = mnl_attr_get_u64(a);
		break;
	case HADISK_A_BYTES_RECEIVED:
		st->bytes_received = mnl_attr_get_u64(a);
		break;
	case HADISK_A_OOS_BYTES:
		st->oos_bytes = mnl_attr_get_u64(a);
		break;
	case HADISK_A_RESYNC_TOTAL_BYTES:
		st->resync_total_bytes = mnl_attr_get_u64(a);
		break;
	case HADISK_A_RESYNC_DONE_BYTES:
		st->resync_done_bytes = mnl_attr_get_u64(a);
		break;
	case HADISK_A_RESYNC_RATE_BPS:
		st->resync_rate_bps = mnl_attr_get_u64(a);
		break;
	case HADISK_A_RESYNC_LIMIT_BPS:
		st->resync_limit_bps = mnl_attr_get_u64(a);
		st->has_resync_limit = true;
		break;
	case HADISK_A_CURRENT_UUID:
		st->current_uuid = mnl_attr_get_u64(a);
		break;
	case HADISK_A_BITMAP_UUID:
		st->bitmap_uuid = mnl_attr_get_u64(a);
		break;
	case HADISK_A_BACKING_DEV:
		copy_str(st->backing_dev, sizeof(st->backing_dev), a);
		st->has_backing_dev = true;
		break;
	case HADISK_A_META_DEV:
		copy_str(st->meta_dev, sizeof(st->meta_dev), a);
		st->has_meta_dev = true;
		break;
	case HADISK_A_MD_FLAGS:
		st->md_flags = mnl_attr_get_u32(a);
		st->has_md_flags = true;
		break;
	case HADISK_A_AL_ACTIVE:
		st->al_active = mnl_attr_get_u32(a);
		st->has_al_active = true;
		break;
	case HADISK_A_AL_EXTENTS:
		st->al_extents = mnl_attr_get_u32(a);
		st->has_al_extents = true;
		break;
	case HADISK_A_AL_WRITES:
		st->al_writes = mnl_attr_get_u64(a);
		st->has_al_writes = true;
		break;
	case HADISK_A_VERIFY_RUNNING:
		st->verify_running = mnl_attr_get_u8(a);
		st->has_verify = true;
		break;
	case HADISK_A_VERIFY_TOTAL_BYTES:
		st->verify_total_bytes = mnl_attr_get_u64(a);
		st->has_verify = true;
		break;
	case HADISK_A_VERIFY_DONE_BYTES:
		st->verify_done_bytes = mnl_attr_get_u64(a);
		st->has_verify = true;
		break;
	case HADISK_A_VERIFY_OOS_BYTES:
		st->verify_oos_bytes = mnl_attr_get_u64(a);
		st->has_verify = true;
		break;
	default:
		decode_ha(st, type, a);
	}
	return MNL_CB_OK;
}

int hd_status_decode(const struct nlmsghdr *nlh, struct hd_status *st,
		     char *err, size_t err_size)
{
	struct decode d = { st, false, -1 };

	hd_status_init(st);
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN) {
		snprintf(err, err_size, "status message too short");
		return -1;
	}
	if (mnl_attr_parse(nlh, GENL_HDRLEN, decode_attr_cb, &d) < 0) {
		snprintf(err, err_size, "malformed status message");
		return -1;
	}
	if (d.bad_attr >= 0) {
		snprintf(err, err_size,
			 "status attribute %s has the wrong size",
			 hd_attr_name((unsigned int)d.bad_attr));
		return -1;
	}
	if (!d.has_resource) {
		snprintf(err, err_size,
			 "status message without HADISK_A_RESOURCE");
		return -1;
	}
	return 0;
}

/* Derived values */

bool hd_status_resyncing(const struct hd_status *st)
{
	return st->conn == HADISK_CONN_SYNC_SOURCE ||
	       st->conn == HADISK_CONN_SYNC_TARGET;
}

static double percent(uint64_t done, uint64_t total)
{
	if (!total)
		return 0.0;
	if (done >= total)
		return 100.0;
	return 100.0 * (double)done / (double)total;
}

double hd_status_resync_percent(const struct hd_status *st)
{
	return percent(st->resync_done_bytes, st->resync_total_bytes);
}

double hd_status_verify_percent(const struct hd_status *st)
{
	return percent(st->verify_done_bytes, st->verify_total_bytes);
}

bool hd_status_verify_stopped(const struct hd_status *st)
{
	return st->has_verify && !st->verify_running &&
	       st->verify_done_bytes < st->verify_total_bytes;
}

bool hd_status_resync_eta(const struct hd_status *st, uint64_t *seconds)
{
	uint64_t left = 0;

	if (!st->resync_rate_bps)
		return false;
	if (st->resync_total_bytes > st->resync_done_bytes)
		left = st->resync_total_bytes - st->resync_done_bytes;
	*seconds = left / st->resync_rate_bps +
		   !!(left % st->resync_rate_bps);
	return true;
}

static const char *enum_str(const char *name, unsigned int v, char *buf,
			    size_t size)
{
	if (name)
		return name;
	snprintf(buf, size, "Unknown(%u)", v);
	return buf;
}

const char *hd_status_role_str(unsigned int v, char *buf, size_t size)
{
	return enum_str(hd_role_name(v), v, buf, size);
}

const char *hd_status_conn_str(unsigned int v, char *buf, size_t size)
{
	return enum_str(hd_conn_name(v), v, buf, size);
}

const char *hd_status_disk_str(unsigned int v, char *buf, size_t size)
{
	return enum_str(hd_disk_name(v), v, buf, size);
}

/* A fencing policy's name, or "Unknown(N)". */
static const char *fencing_str(unsigned int v, char *buf, size_t size)
{
	return enum_str(hd_fencing_name(v), v, buf, size);
}

static const char *digest_str(unsigned int v, char *buf, size_t size)
{
	return enum_str(hd_digest_name(v), v, buf, size);
}

static const char *on_io_error_str(unsigned int v, char *buf, size_t size)
{
	return enum_str(hd_on_io_error_name(v), v, buf, size);
}

/*
 * A split-brain policy as the configuration file writes it:
 * "discard-node-NAME" with the node's name when the status names it.
 */
static const char *after_sb_str(const struct hd_status *st, unsigned int v,
				char *buf, size_t size)
{
	const char *name = NULL;

	if (v != HADISK_SB_DISCARD_NODE)
		return enum_str(hd_after_sb_name(v), v, buf, size);
	if (st->has_discard_node_id && st->has_node_id && st->has_node &&
	    st->discard_node_id == st->node_id)
		name = st->node;
	else if (st->has_discard_node_id && st->has_peer_node_id &&
		 st->has_peer_node && st->discard_node_id == st->peer_node_id)
		name = st->peer_node;
	if (name)
		snprintf(buf, size, "discard-node-%s", name);
	else if (st->has_discard_node_id)
		snprintf(buf, size, "discard-node-id%u", st->discard_node_id);
	else
		snprintf(buf, size, "discard-node");
	return buf;
}

/* The protocol to show: none while StandAlone (nothing is configured). */
static const char *shown_protocol(const struct hd_status *st)
{
	if (!st->has_protocol || st->conn == HADISK_CONN_STANDALONE)
		return NULL;
	return hd_protocol_name(st->protocol);
}

/* Text */

/* s with control characters shown as escapes, so one line stays one. */
static void put_printable(struct hd_buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			hd_buf_puts(b, "\\n");
		else if (*p == '\t')
			hd_buf_puts(b, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			hd_buf_printf(b, "\\x%02x", *p);
		else
			hd_buf_putc(b, (char)*p);
	}
}

/* "  metadata:internal al:12/257 extents, 345 writes", if known. */
static void text_metadata(const struct hd_status *st, struct hd_buf *b)
{
	if (!st->has_meta_dev && !st->has_al_active && !st->has_al_writes)
		return;
	if (st->has_backing_dev) {
		hd_buf_puts(b, "  disk:");
		put_printable(b, st->backing_dev);
	}
	hd_buf_puts(b, st->has_backing_dev ? " metadata:" : "  metadata:");
	put_printable(b, st->has_meta_dev ? st->meta_dev : "none");
	if (st->has_al_active) {
		hd_buf_printf(b, " al:%u", st->al_active);
		if (st->has_al_extents)
			hd_buf_printf(b, "/%u", st->al_extents);
		hd_buf_puts(b, " extents");
		if (st->has_al_writes)
			hd_buf_printf(b, ", %" PRIu64 " writes",
				      st->al_writes);
	} else if (st->has_al_writes) {
		hd_buf_printf(b, " al-writes:%" PRIu64, st->al_writes);
	}
	hd_buf_putc(b, '\n');
}

/* Whether a Diskless node's IO can go to the peer: it is UpToDate, here. */
static bool peer_serves_io(const struct hd_status *st)
{
	return (st->conn == HADISK_CONN_CONNECTED ||
		st->conn == HADISK_CONN_SYNC_SOURCE ||
		st->conn == HADISK_CONN_SYNC_TARGET) &&
	       st->peer_disk == HADISK_DISK_UPTODATE;
}

/*
 * After on-io-error detach took the disk away: what that means for IO and
 * how to get the disk back.
 */
static void text_detached(const struct hd_status *st, struct hd_buf *b)
{
	if (!st->detached_on_error)
		return;
	hd_buf_printf(b,
		      "  disk: detached after an I/O error of the backing device; %s; repair the disk (or replace it and run 'hadiskctl create-md %s'), then 'hadiskctl attach %s'\n",
		      peer_serves_io(st) ?
		      "IO is served by the peer" :
		      "no UpToDate peer is connected: IO fails with EIO",
		      st->resource, st->resource);
}

/*
 * "  on-io-error:detach local-io-errors:N remote-reads:N": the policy when
 * the kernel reports it, the counters when not 0.
 */
static void text_io_errors(const struct hd_status *st, struct hd_buf *b)
{
	char s[32];

	if (!st->has_on_io_error && !st->local_io_errors && !st->remote_reads)
		return;
	hd_buf_puts(b, " ");
	if (st->has_on_io_error)
		hd_buf_printf(b, " on-io-error:%s",
			      on_io_error_str(st->on_io_error, s, sizeof(s)));
	if (st->local_io_errors)
		hd_buf_printf(b, " local-io-errors:%" PRIu64,
			      st->local_io_errors);
	if (st->remote_reads)
		hd_buf_printf(b, " remote-reads:%" PRIu64, st->remote_reads);
	hd_buf_putc(b, '\n');
}

/*
 * "  verify: 42.0% (10.0MiB of 24.0MiB), 0B out of sync", "  verify: done,
 * 4.0KiB out of sync" or "  verify: stopped at 42.0% (...), ...".
 */
static void text_verify(const struct hd_status *st, struct hd_buf *b)
{
	char done[32], total[32], oos[32];

	if (!st->has_verify)
		return;
	hd_format_bytes(st->verify_done_bytes, done, sizeof(done));
	hd_format_bytes(st->verify_total_bytes, total, sizeof(total));
	hd_format_bytes(st->verify_oos_bytes, oos, sizeof(oos));
	hd_buf_puts(b, "  verify: ");
	if (st->verify_running)
		hd_buf_printf(b, "%.1f%% (%s of %s)",
			      hd_status_verify_percent(st), done, total);
	else if (hd_status_verify_stopped(st))
		hd_buf_printf(b, "stopped at %.1f%% (%s of %s)",
			      hd_status_verify_percent(st), done, total);
	else
		hd_buf_puts(b, "done");
	hd_buf_printf(b, ", %s out of sync\n", oos);
}

/*
 * The fencing and split-brain lines, each only when it says more than the
 * defaults (fencing none, policies disconnect, IO flowing).
 */
static void text_ha(const struct hd_status *st, struct hd_buf *b)
{
	char s[HD_NODE_NAME_MAX + 32];
	bool sb = false;
	int k;

	if ((st->has_fencing && st->fencing != HADISK_FENCING_NONE) ||
	    st->peer_fenced) {
		hd_buf_printf(b, "  fencing:%s",
			      st->has_fencing ?
			      fencing_str(st->fencing, s, sizeof(s)) :
			      "unknown");
		if (st->peer_fenced)
			hd_buf_puts(b, " peer:fenced");
		hd_buf_putc(b, '\n');
	}
	for (k = 0; k < 3; k++)
		if (st->has_after_sb[k] &&
		    st->after_sb[k] != HADISK_SB_DISCONNECT)
			sb = true;
	if (sb) {
		hd_buf_puts(b, "  split-brain:");
		for (k = 0; k < 3; k++)
			if (st->has_after_sb[k])
				hd_buf_printf(b, " after-sb-%dpri:%s", k,
					      after_sb_str(st, st->after_sb[k],
							   s, sizeof(s)));
		hd_buf_putc(b, '\n');
	}
	if (st->io_frozen)
		hd_buf_printf(b,
			      "  IO frozen: application IO waits for the fence-peer hook to succeed, the peer to reconnect, or 'hadiskctl resume-io %s'\n",
			      st->resource);
	if (st->last_save[0]) {
		hd_buf_puts(b, "  last discarded file: ");
		put_printable(b, st->last_save);
		hd_buf_putc(b, '\n');
	}
}

/*
 * Peer authentication and the data digest: one line, only when something
 * is not off, none or 0.
 */
static void text_integrity(const struct hd_status *st, struct hd_buf *b)
{
	char s[32];

	if (!st->auth_on && !st->auth_failures &&
	    st->data_digest == HADISK_DIGEST_NONE && !st->digest_errors)
		return;
	hd_buf_puts(b, "   ");
	if (st->auth_on || st->auth_failures)
		hd_buf_printf(b, " auth:%s", st->auth_on ? "on" : "off");
	if (st->auth_failures)
		hd_buf_printf(b, " auth-failures:%" PRIu64, st->auth_failures);
	if (st->data_digest != HADISK_DIGEST_NONE)
		hd_buf_printf(b, " data-digest:%s",
			      digest_str(st->data_digest, s, sizeof(s)));
	if (st->digest_errors)
		hd_buf_printf(b, " digest-errors:%" PRIu64, st->digest_errors);
	hd_buf_putc(b, '\n');
}

void hd_status_text(const struct hd_status *st, struct hd_buf *b)
{
	char s1[32], s2[32], s3[32], s4[32];
	const char *prot = shown_protocol(st);
	uint64_t eta;

	hd_buf_printf(b, "%s role:%s", st->resource,
		      hd_status_role_str(st->role, s1, sizeof(s1)));
	if (st->has_node)
		hd_buf_printf(b, " node:%s", st->node);
	if (st->has_minor)
		hd_buf_printf(b, " minor:%u", st->minor);
	if (prot)
		hd_buf_printf(b, " protocol:%s", prot);
	if (st->transport != HADISK_TRANSPORT_TCP)
		hd_buf_printf(b, " transport:%s",
			      enum_str(hd_transport_name(st->transport),
				       st->transport, s4, sizeof(s4)));
	hd_buf_printf(b, "\n  disk:%s",
		      hd_status_disk_str(st->disk, s1, sizeof(s1)));
	if (st->has_minor) {
		hd_format_bytes(st->size_bytes, s1, sizeof(s1));
		hd_buf_printf(b, " size:%s open:%u", s1, st->open_count);
	}
	hd_buf_putc(b, '\n');
	text_detached(st, b);
	text_metadata(st, b);
	text_io_errors(st, b);
	text_ha(st, b);
	hd_buf_puts(b, "  peer");
	if (st->has_peer_node)
		hd_buf_printf(b, " %s", st->peer_node);
	hd_buf_printf(b, " role:%s connection:%s disk:%s\n",
		      hd_status_role_str(st->peer_role, s1, sizeof(s1)),
		      hd_status_conn_str(st->conn, s2, sizeof(s2)),
		      hd_status_disk_str(st->peer_disk, s3, sizeof(s3)));
	hd_format_bytes(st->bytes_sent, s1, sizeof(s1));
	hd_format_bytes(st->bytes_received, s2, sizeof(s2));
	hd_format_bytes(st->oos_bytes, s3, sizeof(s3));
	hd_buf_printf(b,
		      "    sent:%s received:%s pending:%u unacked:%u out-of-sync:%s\n",
		      s1, s2, st->writes_pending, st->writes_unacked, s3);
	text_integrity(st, b);
	if (hd_status_resyncing(st)) {
		hd_format_bytes(st->resync_rate_bps, s1, sizeof(s1));
		if (hd_status_resync_eta(st, &eta))
			hd_format_hms(eta, s2, sizeof(s2));
		else
			hd_strlcpy(s2, "--:--:--", sizeof(s2));
		hd_format_bytes(st->resync_done_bytes, s3, sizeof(s3));
		hd_format_bytes(st->resync_total_bytes, s4, sizeof(s4));
		hd_buf_printf(b,
			      "    resync: %.1f%% %s/s %s left (%s of %s)",
			      hd_status_resync_percent(st), s1, s2, s3, s4);
		if (st->has_resync_limit) {
			hd_format_bytes(st->resync_limit_bps, s1, sizeof(s1));
			hd_buf_printf(b, " limit %s/s", s1);
		}
		hd_buf_putc(b, '\n');
	}
	if (st->last_error[0]) {
		hd_buf_puts(b, "    last error: ");
		put_printable(b, st->last_error);
		hd_buf_putc(b, '\n');
	}
	text_verify(st, b);
}

void hd_status_brief(const struct hd_status *st, struct hd_buf *b)
{
	char s1[32], s2[32], s3[32], s4[32], s5[32];

	hd_buf_printf(b,
		      "role:%s disk:%s connection:%s peer-role:%s peer-disk:%s",
		      hd_status_role_str(st->role, s1, sizeof(s1)),
		      hd_status_disk_str(st->disk, s2, sizeof(s2)),
		      hd_status_conn_str(st->conn, s3, sizeof(s3)),
		      hd_status_role_str(st->peer_role, s4, sizeof(s4)),
		      hd_status_disk_str(st->peer_disk, s5, sizeof(s5)));
	if (hd_status_resyncing(st))
		hd_buf_printf(b, " resync:%.1f%%",
			      hd_status_resync_percent(st));
	if (st->io_frozen)
		hd_buf_puts(b, " io-frozen:yes");
	if (st->peer_fenced)
		hd_buf_puts(b, " peer-fenced:yes");
	if (st->detached_on_error)
		hd_buf_puts(b, " detached-on-error:yes");
	if (st->last_error[0]) {
		hd_buf_puts(b, " last-error:");
		hd_json_quote(b, st->last_error);
	}
}

void hd_status_event_line(const struct hd_status *st, struct hd_buf *b)
{
	hd_buf_printf(b, "%s %s: ", st->resource,
		      st->event[0] ? st->event : "status");
	hd_status_brief(st, b);
}

/* JSON */

static void json_uuid(struct hd_json *j, const char *key, uint64_t v)
{
	char hex[17];

	snprintf(hex, sizeof(hex), "%016" PRIX64, v);
	hd_json_key(j, key);
	hd_json_string(j, hex);
}

static void json_resync(struct hd_json *j, const struct hd_status *st)
{
	uint64_t eta;

	hd_json_key(j, "resync");
	if (!hd_status_resyncing(st)) {
		hd_json_null(j);
		return;
	}
	hd_json_object_begin(j);
	hd_json_key(j, "total_bytes");
	hd_json_u64(j, st->resync_total_bytes);
	hd_json_key(j, "done_bytes");
	hd_json_u64(j, st->resync_done_bytes);
	hd_json_key(j, "percent");
	hd_json_fixed1(j, hd_status_resync_percent(st));
	hd_json_key(j, "rate_bytes_per_sec");
	hd_json_u64(j, st->resync_rate_bps);
	hd_json_key(j, "limit_bytes_per_sec");
	if (st->has_resync_limit)
		hd_json_u64(j, st->resync_limit_bps);
	else
		hd_json_null(j);
	hd_json_key(j, "eta_seconds");
	if (hd_status_resync_eta(st, &eta))
		hd_json_u64(j, eta);
	else
		hd_json_null(j);
	hd_json_object_end(j);
}

static void json_verify(struct hd_json *j, const struct hd_status *st)
{
	hd_json_key(j, "verify");
	if (!st->has_verify) {
		hd_json_null(j);
		return;
	}
	hd_json_object_begin(j);
	hd_json_key(j, "running");
	hd_json_bool(j, st->verify_running);
	hd_json_key(j, "total_bytes");
	hd_json_u64(j, st->verify_total_bytes);
	hd_json_key(j, "done_bytes");
	hd_json_u64(j, st->verify_done_bytes);
	hd_json_key(j, "percent");
	hd_json_fixed1(j, hd_status_verify_percent(st));
	hd_json_key(j, "out_of_sync_bytes");
	hd_json_u64(j, st->verify_oos_bytes);
	hd_json_object_end(j);
}

static void json_kv_str(struct hd_json *j, const char *key, const char *v)
{
	hd_json_key(j, key);
	hd_json_string(j, v);
}

static void json_kv_u64(struct hd_json *j, const char *key, uint64_t v)
{
	hd_json_key(j, key);
	hd_json_u64(j, v);
}

/* A number, or null when the kernel did not send it. */
static void json_kv_opt_u64(struct hd_json *j, const char *key, bool has,
			    uint64_t v)
{
	hd_json_key(j, key);
	if (has)
		hd_json_u64(j, v);
	else
		hd_json_null(j);
}

/* The names of the set flags, "bitN" for one this build does not know. */
static void json_md_flags(struct hd_json *j, const struct hd_status *st)
{
	char name[16];
	unsigned int bit;

	hd_json_key(j, "md_flags");
	if (!st->has_md_flags) {
		hd_json_null(j);
		return;
	}
	hd_json_array_begin(j);
	for (bit = 0; bit < 32; bit++) {
		if (!(st->md_flags & (1u << bit)))
			continue;
		if (hd_md_flag_name(bit)) {
			hd_json_string(j, hd_md_flag_name(bit));
		} else {
			snprintf(name, sizeof(name), "bit%u", bit);
			hd_json_string(j, name);
		}
	}
	hd_json_array_end(j);
}

/* on_io_error, local_io_errors, remote_reads, detached_on_error */
static void json_io_errors(struct hd_json *j, const struct hd_status *st)
{
	char s[32];

	json_kv_str(j, "on_io_error", st->has_on_io_error ?
		    on_io_error_str(st->on_io_error, s, sizeof(s)) : NULL);
	json_kv_u64(j, "local_io_errors", st->local_io_errors);
	json_kv_u64(j, "remote_reads", st->remote_reads);
	hd_json_key(j, "detached_on_error");
	hd_json_bool(j, st->detached_on_error);
}

/* fencing, io_frozen, peer_fenced, after_sb_*, last_discarded_file */
static void json_ha(struct hd_json *j, const struct hd_status *st)
{
	static const char *const keys[3] = {
		"after_sb_0pri", "after_sb_1pri", "after_sb_2pri"
	};
	char s[HD_NODE_NAME_MAX + 32];
	int k;

	json_kv_str(j, "fencing", st->has_fencing ?
		    fencing_str(st->fencing, s, sizeof(s)) : NULL);
	hd_json_key(j, "io_frozen");
	hd_json_bool(j, st->io_frozen);
	hd_json_key(j, "peer_fenced");
	hd_json_bool(j, st->peer_fenced);
	for (k = 0; k < 3; k++)
		json_kv_str(j, keys[k], st->has_after_sb[k] ?
			    after_sb_str(st, st->after_sb[k], s, sizeof(s)) :
			    NULL);
	json_kv_str(j, "last_discarded_file",
		    st->last_save[0] ? st->last_save : NULL);
}

void hd_status_json(const struct hd_status *st, bool with_event,
		    struct hd_buf *b)
{
	char s[32];
	struct hd_json j;

	hd_json_init(&j, b);
	hd_json_object_begin(&j);
	if (with_event)
		json_kv_str(&j, "event", st->event);
	json_kv_str(&j, "resource", st->resource);
	json_kv_str(&j, "node", st->has_node ? st->node : NULL);
	json_kv_str(&j, "peer_node", st->has_peer_node ? st->peer_node : NULL);
	hd_json_key(&j, "minor");
	if (st->has_minor)
		hd_json_u64(&j, st->minor);
	else
		hd_json_null(&j);
	json_kv_str(&j, "role", hd_status_role_str(st->role, s, sizeof(s)));
	json_kv_str(&j, "peer_role",
		    hd_status_role_str(st->peer_role, s, sizeof(s)));
	json_kv_str(&j, "connection",
		    hd_status_conn_str(st->conn, s, sizeof(s)));
	json_kv_str(&j, "disk", hd_status_disk_str(st->disk, s, sizeof(s)));
	json_kv_str(&j, "peer_disk",
		    hd_status_disk_str(st->peer_disk, s, sizeof(s)));
	json_io_errors(&j, st);
	json_kv_str(&j, "protocol", shown_protocol(st));
	json_kv_str(&j, "transport", enum_str(hd_transport_name(st->transport),
					      st->transport, s, sizeof(s)));
	json_kv_u64(&j, "size_bytes", st->size_bytes);
	json_kv_u64(&j, "open_count", st->open_count);
	json_kv_u64(&j, "bytes_sent", st->bytes_sent);
	json_kv_u64(&j, "bytes_received", st->bytes_received);
	json_kv_u64(&j, "writes_pending", st->writes_pending);
	json_kv_u64(&j, "writes_unacked", st->writes_unacked);
	json_kv_u64(&j, "out_of_sync_bytes", st->oos_bytes);
	json_resync(&j, st);
	json_verify(&j, st);
	json_kv_str(&j, "last_error",
		    st->last_error[0] ? st->last_error : NULL);
	json_uuid(&j, "current_uuid", st->current_uuid);
	json_uuid(&j, "bitmap_uuid", st->bitmap_uuid);
	json_kv_str(&j, "backing_device",
		    st->has_backing_dev ? st->backing_dev : NULL);
	json_kv_str(&j, "metadata", st->has_meta_dev ? st->meta_dev : NULL);
	json_md_flags(&j, st);
	json_kv_opt_u64(&j, "al_active_extents", st->has_al_active,
			st->al_active);
	json_kv_opt_u64(&j, "al_extents", st->has_al_extents, st->al_extents);
	json_kv_opt_u64(&j, "al_writes", st->has_al_writes, st->al_writes);
	json_ha(&j, st);
	hd_json_key(&j, "auth");
	hd_json_bool(&j, st->auth_on);
	json_kv_u64(&j, "auth_failures", st->auth_failures);
	json_kv_str(&j, "data_digest", digest_str(st->data_digest, s,
						  sizeof(s)));
	json_kv_u64(&j, "digest_errors", st->digest_errors);
	/* last in every object; see hadiskctl.md, "status --json schema" */
	json_kv_u64(&j, "schema_version", HD_STATUS_SCHEMA_VERSION);
	hd_json_object_end(&j);
}

void hd_status_json_array(const struct hd_status *v, size_t n,
			  struct hd_buf *b)
{
	size_t i;

	if (!n) {
		hd_buf_puts(b, "[]\n");
		return;
	}
	hd_buf_puts(b, "[\n");
	for (i = 0; i < n; i++) {
		hd_buf_puts(b, "  ");
		hd_status_json(&v[i], false, b);
		hd_buf_puts(b, i + 1 < n ? ",\n" : "\n");
	}
	hd_buf_puts(b, "]\n");
}
