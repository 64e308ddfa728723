/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builders of the hadisk generic netlink requests. Each writes one complete
 * message into buf (at least HD_REQ_BUF_SIZE bytes) and returns it; the
 * sequence number is left for hd_nl_request() to fill in. They only build:
 * nothing here touches a socket, so the unit tests check them byte for byte.
 */
#ifndef HADISK_REQUEST_H
#define HADISK_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define HD_REQ_BUF_SIZE 4096

struct nlmsghdr;

/* A request with no attributes yet: NLM_F_REQUEST | flags. */
struct nlmsghdr *hd_req_start(void *buf, uint16_t family, uint8_t cmd,
			      uint16_t flags);

/*
 * A request that names only a resource: DEL_RESOURCE, DETACH, DISCONNECT,
 * SECONDARY, INVALIDATE, INVALIDATE_REMOTE and GET_STATUS (one resource).
 * Asks for an ACK.
 */
struct nlmsghdr *hd_req_resource(void *buf, uint16_t family, uint8_t cmd,
				 const char *res);

/* PRIMARY, with HADISK_A_FORCE when force. */
struct nlmsghdr *hd_req_primary(void *buf, uint16_t family, const char *res,
				bool force);

/* NEW_CURRENT_UUID, with HADISK_A_CLEAR_BITMAP when clear_bitmap. */
struct nlmsghdr *hd_req_new_current_uuid(void *buf, uint16_t family,
					 const char *res, bool clear_bitmap);

/* VERIFY, with HADISK_A_VERIFY_RESYNC when resync. */
struct nlmsghdr *hd_req_verify(void *buf, uint16_t family, const char *res,
			       bool resync);

/* GET_STATUS of every resource (NLM_F_DUMP). */
struct nlmsghdr *hd_req_status_dump(void *buf, uint16_t family);

/*
 * The requests of "up", from a resource's configuration; local is the
 * index (0 or 1) of this node in rc->nodes. ATTACH carries
 * HADISK_A_META_DEV ("internal" or the device's path) unless the node's
 * meta-disk is none, HADISK_A_AL_EXTENTS when the file sets it, and
 * always HADISK_A_ON_IO_ERROR (u8, HADISK_IOE_*: the disk section's
 * on-io-error, detach when the file leaves it out).
 * CONNECT carries the net durations, HADISK_A_CSUM_RESYNC (u8 0 or 1),
 * HADISK_A_RESYNC_RATE_MIN_KIB / HADISK_A_RESYNC_RATE_MAX_KIB, the
 * split-brain policies HADISK_A_AFTER_SB_* (with HADISK_A_DISCARD_NODE_ID
 * for discard-node-NAME), HADISK_A_FENCING, each HADISK_A_HOOK_*,
 * HADISK_A_HOOK_TIMEOUT_MS and HADISK_A_SAVE_DIR only when the file sets
 * them; HADISK_A_SHARED_SECRET (the secret's bytes, no NUL) with
 * HADISK_A_HMAC_ALG (the file's cram-hmac-alg, or "sha256") when the file
 * has a shared-secret; HADISK_A_DATA_DIGEST (u8, HADISK_DIGEST_*) when it
 * sets data-integrity-alg; HADISK_A_SAVE_HELPER when opts->save_helper is
 * set (hadiskctl
 * always sets it), and HADISK_A_DISCARD_MY_DATA with
 * opts->discard_my_data. opts may be NULL.
 */
struct hd_connect_opts {
	const char *save_helper;	/* hadiskctl's absolute path, or NULL */
	bool discard_my_data;		/* --discard-my-data */
};

struct nlmsghdr *hd_req_new_resource(void *buf, uint16_t family,
				     const struct hd_res_conf *rc, int local);
struct nlmsghdr *hd_req_attach(void *buf, uint16_t family,
			       const struct hd_res_conf *rc, int local);
struct nlmsghdr *hd_req_connect(void *buf, uint16_t family,
				const struct hd_res_conf *rc, int local,
				const struct hd_connect_opts *opts);

#endif /* HADISK_REQUEST_H */
