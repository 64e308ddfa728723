// SPDX-License-Identifier: GPL-2.0
/*
 * hadisk netlink request builders, see request.h. The attributes and their
 * types are those of the HADISK_CMD_* descriptions in uapi/linux/hadisk.h.
 */
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "request.h"

struct nlmsghdr *hd_req_start(void *buf, uint16_t family, uint8_t cmd,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = HADISK_GENL_VERSION;
	return nlh;
}

struct nlmsghdr *hd_req_resource(void *buf, uint16_t family, uint8_t cmd,
				 const char *res)
{
	struct nlmsghdr *nlh = hd_req_start(buf, family, cmd, NLM_F_ACK);

	mnl_attr_put_strz(nlh, HADISK_A_RESOURCE, res);
	return nlh;
}

struct nlmsghdr *hd_req_primary(void *buf, uint16_t family, const char *res,
				bool force)
{
	struct nlmsghdr *nlh = hd_req_resource(buf, family,
					       HADISK_CMD_PRIMARY, res);

	if (force)
		mnl_attr_put(nlh, HADISK_A_FORCE, 0, NULL);
	return nlh;
}

struct nlmsghdr *hd_req_new_current_uuid(void *buf, uint16_t family,
					 const char *res, bool clear_bitmap)
{
	struct nlmsghdr *nlh = hd_req_resource(buf, family,
					       HADISK_CMD_NEW_CURRENT_UUID,
					       res);

	if (clear_bitmap)
		mnl_attr_put(nlh, HADISK_A_CLEAR_BITMAP, 0, NULL);
	return nlh;
}

struct nlmsghdr *hd_req_verify(void *buf, uint16_t family, const char *res,
			       bool resync)
{
	struct nlmsghdr *nlh = hd_req_resource(buf, family, HADISK_CMD_VERIFY,
					       res);

	if (resync)
		mnl_attr_put(nlh, HADISK_A_VERIFY_RESYNC, 0, NULL);
	return nlh;
}

struct nlmsghdr *hd_req_status_dump(void *buf, uint16_t family)
{
	return hd_req_start(buf, family, HADISK_CMD_GET_STATUS, NLM_F_DUMP);
}

struct nlmsghdr *hd_req_new_resource(void *buf, uint16_t family,
				     const struct hd_res_conf *rc, int local)
{
	const struct hd_node_conf *me = &rc->nodes[local];
	const struct hd_node_conf *peer = &rc->nodes[!local];
	struct nlmsghdr *nlh;

	nlh = hd_req_resource(buf, family, HADISK_CMD_NEW_RESOURCE, rc->name);
	mnl_attr_put_u32(nlh, HADISK_A_NODE_ID, me->node_id);
	mnl_attr_put_u32(nlh, HADISK_A_PEER_NODE_ID, peer->node_id);
	mnl_attr_put_strz(nlh, HADISK_A_NODE_NAME, me->name);
	mnl_attr_put_strz(nlh, HADISK_A_PEER_NODE_NAME, peer->name);
	return nlh;
}

struct nlmsghdr *hd_req_attach(void *buf, uint16_t family,
			       const struct hd_res_conf *rc, int local)
{
	const struct hd_node_conf *me = &rc->nodes[local];
	struct nlmsghdr *nlh;

	nlh = hd_req_resource(buf, family, HADISK_CMD_ATTACH, rc->name);
	mnl_attr_put_u32(nlh, HADISK_A_MINOR, me->minor);
	mnl_attr_put_strz(nlh, HADISK_A_BACKING_DEV, me->disk);
	if (me->meta == HD_META_INTERNAL)
		mnl_attr_put_strz(nlh, HADISK_A_META_DEV, "internal");
	else if (me->meta == HD_META_DEVICE)
		mnl_attr_put_strz(nlh, HADISK_A_META_DEV, me->meta_dev);
	/* left out, the kernel's default applies */
	if (rc->al_extents)
		mnl_attr_put_u32(nlh, HADISK_A_AL_EXTENTS, rc->al_extents);
	/* always: a re-attach does not keep the policy of the file before */
	mnl_attr_put_u8(nlh, HADISK_A_ON_IO_ERROR, rc->on_io_error);
	return nlh;
}

/* A value of the file; 0, not set there, is left to the kernel's default. */
static void put_set_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	if (v)
		mnl_attr_put_u32(nlh, type, v);
}

/*
 * The split-brain, fencing and handlers settings of the file. What it
 * leaves out is left to the kernel's defaults (disconnect, fencing none, no
 * hooks, hook-timeout 60s, discarded-dir /var/lib/hadisk).
 */
static void put_ha(struct nlmsghdr *nlh, const struct hd_res_conf *rc)
{
	static const uint16_t sb_attr[HD_SB_KEYS] = {
		HADISK_A_AFTER_SB_0PRI, HADISK_A_AFTER_SB_1PRI,
		HADISK_A_AFTER_SB_2PRI,
	};
	bool discard_node = false;
	int i;

	for (i = 0; i < HD_SB_KEYS; i++) {
		if (!rc->after_sb_line[i])
			continue;
		mnl_attr_put_u8(nlh, sb_attr[i], rc->after_sb[i]);
		if (rc->after_sb[i] == HADISK_SB_DISCARD_NODE)
			discard_node = true;
	}
	if (discard_node)
		mnl_attr_put_u32(nlh, HADISK_A_DISCARD_NODE_ID,
				 rc->discard_node_id);
	if (rc->fencing_line)
		mnl_attr_put_u8(nlh, HADISK_A_FENCING, rc->fencing);
	for (i = 0; i < HD_HOOK_NR; i++)
		if (rc->hook_line[i])
			mnl_attr_put_strz(nlh,
					  (uint16_t)(HADISK_A_HOOK_FENCE_PEER + i),
					  rc->hooks[i]);
	put_set_u32(nlh, HADISK_A_HOOK_TIMEOUT_MS, rc->hook_timeout_ms);
	if (rc->save_dir_line)
		mnl_attr_put_strz(nlh, HADISK_A_SAVE_DIR, rc->save_dir);
}

struct nlmsghdr *hd_req_connect(void *buf, uint16_t family,
				const struct hd_res_conf *rc, int local,
				const struct hd_connect_opts *opts)
{
	const struct hd_node_conf *me = &rc->nodes[local];
	const struct hd_node_conf *peer = &rc->nodes[!local];
	struct nlmsghdr *nlh;

	nlh = hd_req_resource(buf, family, HADISK_CMD_CONNECT, rc->name);
	mnl_attr_put(nlh, HADISK_A_LOCAL_ADDR, hd_addr_len(&me->addr),
		     me->addr.bytes);
	mnl_attr_put(nlh, HADISK_A_PEER_ADDR, hd_addr_len(&peer->addr),
		     peer->addr.bytes);
	mnl_attr_put_u16(nlh, HADISK_A_LOCAL_PORT, me->addr.port);
	mnl_attr_put_u16(nlh, HADISK_A_PEER_PORT, peer->addr.port);
	mnl_attr_put_u8(nlh, HADISK_A_PROTOCOL, rc->protocol);
	/* durations and rates not in the file: the kernel's defaults */
	put_set_u32(nlh, HADISK_A_PING_INTERVAL_MS, rc->ping_interval_ms);
	put_set_u32(nlh, HADISK_A_PING_TIMEOUT_MS, rc->ping_timeout_ms);
	put_set_u32(nlh, HADISK_A_ACK_TIMEOUT_MS, rc->ack_timeout_ms);
	put_set_u32(nlh, HADISK_A_CONNECT_INTERVAL_MS,
		    rc->connect_interval_ms);
	put_set_u32(nlh, HADISK_A_RESYNC_RATE_MIN_KIB,
		    rc->resync_rate_min_kib);
	put_set_u32(nlh, HADISK_A_RESYNC_RATE_MAX_KIB,
		    rc->resync_rate_max_kib);
	/* "checksum-resync no;" in the file is sent too */
	if (rc->csum_resync_line)
		mnl_attr_put_u8(nlh, HADISK_A_CSUM_RESYNC, rc->csum_resync);
	put_ha(nlh, rc);
	/* the secret's bytes, without a NUL; the alg goes with it */
	if (rc->shared_secret_line) {
		mnl_attr_put(nlh, HADISK_A_SHARED_SECRET,
			     rc->shared_secret_len, rc->shared_secret);
		mnl_attr_put_strz(nlh, HADISK_A_HMAC_ALG,
				  rc->hmac_alg_line ? rc->hmac_alg :
				  HD_CONF_HMAC_ALG_DEFAULT);
	}
	/* "data-integrity-alg none;" in the file is sent too */
	if (rc->data_digest_line)
		mnl_attr_put_u8(nlh, HADISK_A_DATA_DIGEST, rc->data_digest);
	/* "transport tcp;" too: an older kernel refuses it, as it should */
	if (rc->transport_line)
		mnl_attr_put_u8(nlh, HADISK_A_TRANSPORT, rc->transport);
	if (opts && opts->save_helper)
		mnl_attr_put_strz(nlh, HADISK_A_SAVE_HELPER, opts->save_helper);
	if (opts && opts->discard_my_data)
		mnl_attr_put(nlh, HADISK_A_DISCARD_MY_DATA, 0, NULL);
	return nlh;
}
