// SPDX-License-Identifier: GPL-2.0
/*
 * Wire packet encoding, decoding and handshake checks. Pure logic: no
 * locks, no allocation, no kernel objects; built in the module and in the
 * userspace unit tests. Every decoder validates every field against the
 * sizes given and says why it rejects a packet.
 */
#include "wire.h"
#include "sbpolicy.h"
#include "uapi/linux/hadisk.h"

void hd_hdr_encode(struct hd_hdr *h, unsigned int type, u32 length)
{
	h->magic = cpu_to_be32(HD_WIRE_MAGIC);
	h->type = cpu_to_be16(type);
	h->flags = 0;
	h->length = cpu_to_be32(length);
	h->digest = 0;
}

bool hd_packet_on_meta(unsigned int type)
{
	return type >= HD_P_PING && type <= HD_P_CSUM_REPLY;
}

/* Fixed body length of a packet type, 0 for none, U32_MAX if unknown. */
u32 hd_packet_body_len(unsigned int type)
{
	switch (type) {
	case HD_P_HELLO:
		return sizeof(struct hd_hello);
	case HD_P_REFUSE:
		return sizeof(struct hd_refuse);
	case HD_P_DATA:
	case HD_P_RS_DATA:
	case HD_P_READ_REQ:
		return sizeof(struct hd_data);
	case HD_P_READ_REPLY:
		return sizeof(struct hd_ack);
	case HD_P_STATE:
		return sizeof(struct hd_state);
	case HD_P_SYNC_START:
	case HD_P_SYNC_DONE:
		return sizeof(struct hd_sync);
	case HD_P_BITMAP:
		return sizeof(struct hd_bm_run);	/* at least one */
	case HD_P_BITMAP_DONE:
		return sizeof(struct hd_bm_done);
	case HD_P_PING:
	case HD_P_PING_ACK:
	case HD_P_HELLO_OK:
		return 0;
	case HD_P_RECV_ACK:
	case HD_P_WRITE_ACK:
	case HD_P_NEG_ACK:
	case HD_P_RS_ACK:
	case HD_P_RS_NEG_ACK:
	case HD_P_CSUM_REPLY:
		return sizeof(struct hd_ack);
	case HD_P_CSUM_REQ:
		return sizeof(struct hd_csum_req);
	case HD_P_AUTH_CHALLENGE:
		return 32;
	case HD_P_AUTH_RESPONSE:
		return 64;
	}
	return 0xffffffffu;
}

int hd_hdr_decode(const struct hd_hdr *h, unsigned int *type, u32 *length,
		  const char **why)
{
	u32 body, len;
	unsigned int t;

	if (be32_to_cpu(h->magic) != HD_WIRE_MAGIC) {
		*why = "bad packet magic (not a hadisk peer, or stream out of step)";
		return -EPROTO;
	}
	t = be16_to_cpu(h->type);
	len = be32_to_cpu(h->length);
	body = hd_packet_body_len(t);
	if (body == 0xffffffffu) {
		*why = "unknown packet type";
		return -EPROTO;
	}
	if (t == HD_P_DATA || t == HD_P_RS_DATA || t == HD_P_READ_REPLY) {
		if (len < body || len - body > HD_MAX_PAYLOAD) {
			*why = "data packet length out of range";
			return -EPROTO;
		}
	} else if (t == HD_P_HELLO) {
		/* shorter: an older version, told so by hd_hello_check() */
		if (len < HD_HELLO_MIN_LEN || len > body) {
			*why = "handshake length out of range";
			return -EPROTO;
		}
	} else if (t == HD_P_BITMAP) {
		if (!len || len % body ||
		    len > body * HD_BITMAP_MAX_RUNS) {
			*why = "bitmap packet length out of range";
			return -EPROTO;
		}
	} else if (len != body) {
		*why = "packet length does not match its type";
		return -EPROTO;
	}
	*type = t;
	*length = len;
	return 0;
}

void hd_hello_encode(struct hd_hello *w, const struct hd_hello_info *i)
{
	memset(w, 0, sizeof(*w));
	w->magic = cpu_to_be32(HD_HELLO_MAGIC);
	w->version_min = cpu_to_be16(i->version_min);
	w->version_max = cpu_to_be16(i->version_max);
	w->features = cpu_to_be32(i->features);
	w->sock_type = cpu_to_be32(i->sock_type);
	w->session = cpu_to_be64(i->session);
	w->node_id = cpu_to_be32(i->node_id);
	w->peer_node_id = cpu_to_be32(i->peer_node_id);
	w->size_sectors = cpu_to_be64(i->size_sectors);
	w->current_uuid = cpu_to_be64(i->current_uuid);
	w->bitmap_uuid = cpu_to_be64(i->bitmap_uuid);
	w->history_uuid[0] = cpu_to_be64(i->history_uuid[0]);
	w->history_uuid[1] = cpu_to_be64(i->history_uuid[1]);
	w->role = i->role;
	w->disk_state = i->disk_state;
	w->protocol = i->protocol;
	w->flags = i->flags;
	memcpy(w->resource, i->resource, sizeof(w->resource));
	w->resource[sizeof(w->resource) - 1] = 0;
	w->changes = cpu_to_be64(i->changes);
	w->after_sb[0] = i->after_sb[0];
	w->after_sb[1] = i->after_sb[1];
	w->after_sb[2] = i->after_sb[2];
	w->fencing = i->fencing;
	w->discard_node = cpu_to_be32(i->discard_node);
}

int hd_hello_decode(const void *buf, size_t len, struct hd_hello_info *i,
		    const char **why)
{
	const struct hd_hello *w = buf;
	size_t n;

	if (len < HD_HELLO_MIN_LEN) {
		*why = "handshake too short";
		return -EPROTO;
	}
	if (be32_to_cpu(w->magic) != HD_HELLO_MAGIC) {
		*why = "bad handshake magic";
		return -EPROTO;
	}
	memset(i, 0, sizeof(*i));
	i->version_min = be16_to_cpu(w->version_min);
	i->version_max = be16_to_cpu(w->version_max);
	/* Another version: only its range, for hd_hello_check()'s message. */
	if (i->version_max < HD_WIRE_VERSION_MIN ||
	    i->version_min > HD_WIRE_VERSION) {
		if (i->version_min <= i->version_max)
			return 0;
		*why = "handshake version range is empty";
		return -EPROTO;
	}
	if (len < sizeof(*w)) {
		*why = "handshake too short";
		return -EPROTO;
	}
	i->features = be32_to_cpu(w->features);
	i->sock_type = be32_to_cpu(w->sock_type);
	i->session = be64_to_cpu(w->session);
	i->node_id = be32_to_cpu(w->node_id);
	i->peer_node_id = be32_to_cpu(w->peer_node_id);
	i->size_sectors = be64_to_cpu(w->size_sectors);
	i->current_uuid = be64_to_cpu(w->current_uuid);
	i->bitmap_uuid = be64_to_cpu(w->bitmap_uuid);
	i->history_uuid[0] = be64_to_cpu(w->history_uuid[0]);
	i->history_uuid[1] = be64_to_cpu(w->history_uuid[1]);
	i->role = w->role;
	i->disk_state = w->disk_state;
	i->protocol = w->protocol;
	i->flags = w->flags;
	n = strnlen(w->resource, sizeof(w->resource));
	if (n == 0 || n == sizeof(w->resource)) {
		*why = "handshake resource name empty or not terminated";
		return -EPROTO;
	}
	memcpy(i->resource, w->resource, n + 1);
	i->changes = be64_to_cpu(w->changes);
	i->after_sb[0] = w->after_sb[0];
	i->after_sb[1] = w->after_sb[1];
	i->after_sb[2] = w->after_sb[2];
	i->fencing = w->fencing;
	i->discard_node = be32_to_cpu(w->discard_node);
	if (i->version_min > i->version_max) {
		*why = "handshake version range is empty";
		return -EPROTO;
	}
	if (i->after_sb[0] >= __HADISK_SB_MAX ||
	    i->after_sb[1] >= __HADISK_SB_MAX ||
	    i->after_sb[2] >= __HADISK_SB_MAX ||
	    i->fencing > HADISK_FENCING_RESOURCE_AND_STONITH) {
		*why = "handshake split-brain or fencing policy out of range";
		return -EPROTO;
	}
	if (i->sock_type != HD_SOCK_DATA && i->sock_type != HD_SOCK_META) {
		*why = "handshake socket type unknown";
		return -EPROTO;
	}
	if (i->role > HADISK_ROLE_PRIMARY || i->disk_state > HADISK_DISK_UPTODATE ||
	    i->protocol < HADISK_PROT_A || i->protocol > HADISK_PROT_C) {
		*why = "handshake role, disk state or protocol out of range";
		return -EPROTO;
	}
	return 0;
}

/*
 * Can these two nodes talk? Returns 0 or an enum hd_refuse_code, with the
 * reason (from the local node's point of view) in why.
 */
int hd_hello_check(const struct hd_hello_info *local,
		   const struct hd_hello_info *peer, char *why, size_t len)
{
	if (peer->version_max < HD_WIRE_VERSION_MIN ||
	    peer->version_min > HD_WIRE_VERSION) {
		snprintf(why, len,
			 "peer speaks protocol versions %u..%u, this node %u..%u: upgrade one side",
			 peer->version_min, peer->version_max,
			 HD_WIRE_VERSION_MIN, HD_WIRE_VERSION);
		return HD_REFUSE_VERSION;
	}
	if (strcmp(local->resource, peer->resource)) {
		snprintf(why, len,
			 "peer is resource '%s', this is '%s': check the peer's address and port in the config",
			 peer->resource, local->resource);
		return HD_REFUSE_RESOURCE;
	}
	if (peer->node_id != local->peer_node_id ||
	    peer->peer_node_id != local->node_id) {
		snprintf(why, len,
			 "node ids disagree: peer says it is node %u and expects node %u here, the config says peer %u and local %u: use the same config file on both nodes",
			 peer->node_id, peer->peer_node_id,
			 local->peer_node_id, local->node_id);
		return HD_REFUSE_NODE_ID;
	}
	if (peer->protocol != local->protocol) {
		snprintf(why, len,
			 "peer uses protocol %c, this node %c: use the same config file on both nodes",
			 'A' + peer->protocol - 1, 'A' + local->protocol - 1);
		return HD_REFUSE_PROTOCOL;
	}
	if (memcmp(peer->after_sb, local->after_sb, sizeof(local->after_sb)) ||
	    (local->after_sb[0] == HADISK_SB_DISCARD_NODE &&
	     peer->discard_node != local->discard_node)) {
		snprintf(why, len,
			 "split-brain policies differ: the peer has after-sb-0pri %s, -1pri %s, -2pri %s, this node %s, %s, %s: use the same config file on both nodes",
			 hd_sb_policy_name(peer->after_sb[0]),
			 hd_sb_policy_name(peer->after_sb[1]),
			 hd_sb_policy_name(peer->after_sb[2]),
			 hd_sb_policy_name(local->after_sb[0]),
			 hd_sb_policy_name(local->after_sb[1]),
			 hd_sb_policy_name(local->after_sb[2]));
		return HD_REFUSE_POLICY;
	}
	if ((peer->features ^ local->features) & HD_FEAT_AUTH) {
		snprintf(why, len,
			 "%s has a shared-secret and %s has none: give both nodes the same 'shared-secret' in the net section",
			 local->features & HD_FEAT_AUTH ? "this node" : "the peer",
			 local->features & HD_FEAT_AUTH ? "the peer" : "this node");
		return HD_REFUSE_AUTH;
	}
	if ((peer->features ^ local->features) & HD_FEAT_DIGEST) {
		snprintf(why, len,
			 "%s uses data-integrity-alg crc32c and %s none: use the same config file on both nodes",
			 local->features & HD_FEAT_DIGEST ? "this node" : "the peer",
			 local->features & HD_FEAT_DIGEST ? "the peer" : "this node");
		return HD_REFUSE_DIGEST;
	}
	if (peer->size_sectors != local->size_sectors) {
		snprintf(why, len,
			 "device sizes differ: node %u has %llu bytes, node %u has %llu bytes: give node %u a device as large as node %u's",
			 peer->node_id,
			 (unsigned long long)peer->size_sectors * 512,
			 local->node_id,
			 (unsigned long long)local->size_sectors * 512,
			 peer->size_sectors < local->size_sectors ?
			 peer->node_id : local->node_id,
			 peer->size_sectors < local->size_sectors ?
			 local->node_id : peer->node_id);
		return HD_REFUSE_SIZE;
	}
	if (peer->role == HADISK_ROLE_PRIMARY &&
	    local->role == HADISK_ROLE_PRIMARY) {
		snprintf(why, len,
			 "both nodes are Primary: demote one with 'hadiskctl secondary'");
		return HD_REFUSE_BOTH_PRIMARY;
	}
	return 0;
}

int hd_data_decode(const struct hd_data *w, u64 *id, u64 *sector, u32 *size,
		   u32 *flags, u64 dev_sectors, const char **why)
{
	*id = be64_to_cpu(w->id);
	*sector = be64_to_cpu(w->sector);
	*size = be32_to_cpu(w->size);
	*flags = be32_to_cpu(w->flags);
	if (*flags & ~HD_DF_KNOWN) {
		*why = "unknown data flags";
		return -EPROTO;
	}
	if (*size & 511) {
		*why = "data size not a multiple of 512";
		return -EPROTO;
	}
	if (*sector > dev_sectors || (*size >> 9) > dev_sectors - *sector) {
		*why = "data beyond the end of the device";
		return -EPROTO;
	}
	return 0;
}

void hd_refuse_encode(struct hd_refuse *w, unsigned int code,
		      const char *text)
{
	memset(w, 0, sizeof(*w));
	w->code = cpu_to_be32(code);
	strncpy(w->text, text, sizeof(w->text) - 1);
}

void hd_refuse_decode(const struct hd_refuse *w, unsigned int *code,
		      char *text, size_t len)
{
	size_t n = strnlen(w->text, sizeof(w->text));

	*code = be32_to_cpu(w->code);
	if (n >= len)
		n = len - 1;
	memcpy(text, w->text, n);
	text[n] = 0;
}
