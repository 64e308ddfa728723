/* SPDX-License-Identifier: GPL-2.0 */
/* Digests of replicated data and peer authentication (digest.c, auth.c). */
#ifndef HD_DIGEST_H
#define HD_DIGEST_H

#include <linux/types.h>
#include <linux/bvec.h>

struct crypto_shash;
struct hd_conn;
struct hd_chan;

/* crc32c (crypto API) of len bytes held by n bvecs (multi-page ok). */
u32 hd_digest_bvecs(struct crypto_shash *tfm, const struct bio_vec *bv,
		    unsigned int n, u32 len);

#define HD_AUTH_CHALLENGE_LEN	32
#define HD_AUTH_RESPONSE_LEN	64	/* the HMAC, zero-padded */

/*
 * After the HELLOs, on the data channel: both sides send a challenge and
 * answer the other's with HMAC(secret, "hadisk-auth" | challenge | own
 * node id). Returns 0 (or with no secret configured), or an error with
 * why set; the peer is sent a REFUSE when its answer is wrong.
 */
int hd_auth_peer(struct hd_conn *conn, struct hd_chan *c, u32 peer_node_id,
		 char *why, size_t wlen);

#endif /* HD_DIGEST_H */
