// SPDX-License-Identifier: GPL-2.0
/*
 * Peer authentication (net { shared-secret ...; cram-hmac-alg ...; }):
 * a challenge-response with the kernel's HMAC, on the data channel right
 * after the HELLOs (both sides have checked that both use a secret:
 * HD_FEAT_AUTH). Each side sends AUTH_CHALLENGE (32 random bytes), then
 * answers the peer's with AUTH_RESPONSE = HMAC(secret, "hadisk-auth" |
 * the peer's challenge | its own node id, big endian), zero-padded to 64
 * bytes, and checks the peer's answer to its own challenge against its
 * node id (so a reflected answer fails). A wrong answer: REFUSE
 * (HD_REFUSE_AUTH), counted in conn->auth_failures, and no connection.
 * The secret stays in the kernel (conn->hmac_tfm's key); it is never
 * reported or logged.
 */
#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <linux/random.h>
#include "digest.h"
#include "conn.h"
#include "wire.h"

static int auth_send(struct hd_conn *conn, struct hd_chan *c,
		     unsigned int type, const void *body, u32 len)
{
	struct {
		struct hd_hdr h;
		u8 body[HD_AUTH_RESPONSE_LEN];
	} __packed pkt;

	hd_hdr_encode(&pkt.h, type, len);
	memcpy(pkt.body, body, len);
	return conn->tops->send(c, &pkt, sizeof(pkt.h) + len, NULL, 0, 0,
				false);
}

/* One AUTH packet of this type into body (len bytes), or an error. */
static int auth_recv(struct hd_conn *conn, struct hd_chan *c,
		     unsigned int want, void *body, u32 len, char *why,
		     size_t wlen)
{
	struct hd_hdr h;
	struct hd_refuse r;
	char text[HD_REFUSE_TEXT_LEN];
	unsigned int type, code;
	const char *w = NULL;
	u32 plen;
	int err;

	err = hd_hs_recv(conn, c, &h, sizeof(h), HD_HS_TIMEOUT_MS);
	if (err) {
		snprintf(why, wlen,
			 "authentication: no answer from the peer: %s",
			 hd_errname(err));
		return err;
	}
	if (hd_hdr_decode(&h, &type, &plen, &w)) {
		snprintf(why, wlen, "authentication: %s", w);
		return -EPROTO;
	}
	if (type == HD_P_REFUSE && plen == sizeof(r)) {
		err = hd_hs_recv(conn, c, &r, sizeof(r), HD_HS_TIMEOUT_MS);
		if (err)
			return err;
		hd_refuse_decode(&r, &code, text, sizeof(text));
		snprintf(why, wlen, "the peer refused: %s", text);
		return -ECONNREFUSED;
	}
	if (type != want || plen != len) {
		snprintf(why, wlen,
			 "authentication: unexpected packet type %u from the peer",
			 type);
		return -EPROTO;
	}
	return hd_hs_recv(conn, c, body, len, HD_HS_TIMEOUT_MS);
}

static int auth_hmac(struct hd_conn *conn, const u8 *challenge, u32 node_id,
		     u8 *out)
{
	SHASH_DESC_ON_STACK(desc, conn->hmac_tfm);
	static const char tag[] = "hadisk-auth";
	__be32 id = cpu_to_be32(node_id);
	int err;

	memset(out, 0, HD_AUTH_RESPONSE_LEN);
	desc->tfm = conn->hmac_tfm;
	err = crypto_shash_init(desc) ?:
	      crypto_shash_update(desc, tag, sizeof(tag) - 1) ?:
	      crypto_shash_update(desc, challenge, HD_AUTH_CHALLENGE_LEN) ?:
	      crypto_shash_update(desc, (u8 *)&id, sizeof(id)) ?:
	      crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return err;
}

int hd_auth_peer(struct hd_conn *conn, struct hd_chan *c, u32 peer_node_id,
		 char *why, size_t wlen)
{
	u8 mine[HD_AUTH_CHALLENGE_LEN], theirs[HD_AUTH_CHALLENGE_LEN];
	u8 answer[HD_AUTH_RESPONSE_LEN], got[HD_AUTH_RESPONSE_LEN];
	u8 want[HD_AUTH_RESPONSE_LEN];
	int err;

	if (!conn->hmac_tfm)
		return 0;
	get_random_bytes(mine, sizeof(mine));
	err = auth_send(conn, c, HD_P_AUTH_CHALLENGE, mine, sizeof(mine));
	if (!err)
		err = auth_recv(conn, c, HD_P_AUTH_CHALLENGE, theirs,
				sizeof(theirs), why, wlen);
	if (err)
		goto out;
	err = auth_hmac(conn, theirs, conn->res->node_id, answer);
	if (!err)
		err = auth_send(conn, c, HD_P_AUTH_RESPONSE, answer,
				sizeof(answer));
	if (!err)
		err = auth_recv(conn, c, HD_P_AUTH_RESPONSE, got, sizeof(got),
				why, wlen);
	if (!err)
		err = auth_hmac(conn, mine, peer_node_id, want);
	if (err)
		goto out;
	if (crypto_memneq(got, want, sizeof(want))) {
		atomic64_inc(&conn->auth_failures);
		snprintf(why, wlen,
			 "authentication failed: the peer's answer does not match this node's shared-secret (a different secret or cram-hmac-alg on the peer, or not the real peer)");
		hd_send_refuse(conn, c, HD_REFUSE_AUTH,
			       "authentication failed: your answer does not match the shared-secret here");
		err = -EACCES;
	}
out:
	if (err && !why[0])
		snprintf(why, wlen, "authentication: %s", hd_errname(err));
	memzero_explicit(answer, sizeof(answer));
	memzero_explicit(want, sizeof(want));
	return err;
}
