// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "hadisk": the interface is documented in
 * include/uapi/linux/hadisk.h. Strict policies, CAP_NET_ADMIN (in the
 * namespace's user namespace) for every change, an extack message on every
 * rejection. Handlers run serialized (no parallel_ops) and take the
 * namespace's hn->lock.
 */
#include <linux/module.h>
#include <linux/ctype.h>
#include <linux/kmod.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/genetlink.h>
#include <crypto/hash.h>
#include <net/netns/generic.h>
#include "netlink.h"
#include "device.h"
#include "conn.h"
#include "req.h"
#include "resync.h"
#include "meta.h"
#include "actlog.h"
#include "verify.h"
#include "fence.h"
#include "hook.h"
#include "sbpolicy.h"

static struct genl_family hd_genl_family;
static bool hd_nl_ready;

/* Ring of buffers for formatted extack messages (see compat.h). */
#define HD_EXTACK_RING 16
static char hd_extack_ring[HD_EXTACK_RING][HD_EXTACK_LEN];
static atomic_t hd_extack_next = ATOMIC_INIT(0);

char *hd_extack_buf(void)
{
	unsigned int i = atomic_inc_return(&hd_extack_next);

	return hd_extack_ring[i % HD_EXTACK_RING];
}

static struct netlink_range_validation ms_range = {
	.min = 100, .max = 600000,
};

static struct netlink_range_validation kib_range = {
	.min = 1024, .max = 100 * 1024 * 1024,
};

static struct netlink_range_validation hook_ms_range = {
	.min = 1000, .max = 600000,
};

static const struct nla_policy hd_policy[HADISK_A_MAX + 1] = {
	[HADISK_A_RESOURCE] = { .type = NLA_NUL_STRING,
				.len = HADISK_RES_NAME_MAX - 1 },
	[HADISK_A_MINOR] = NLA_POLICY_MAX(NLA_U32, HADISK_MINOR_MAX),
	[HADISK_A_BACKING_DEV] = { .type = NLA_NUL_STRING,
				   .len = HADISK_PATH_MAX - 1 },
	[HADISK_A_NODE_ID] = NLA_POLICY_MAX(NLA_U32, HADISK_NODE_ID_MAX),
	[HADISK_A_PEER_NODE_ID] = NLA_POLICY_MAX(NLA_U32, HADISK_NODE_ID_MAX),
	[HADISK_A_NODE_NAME] = { .type = NLA_NUL_STRING,
				 .len = HADISK_RES_NAME_MAX - 1 },
	[HADISK_A_PEER_NODE_NAME] = { .type = NLA_NUL_STRING,
				      .len = HADISK_RES_NAME_MAX - 1 },
	[HADISK_A_LOCAL_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[HADISK_A_PEER_ADDR] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[HADISK_A_LOCAL_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[HADISK_A_PEER_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
	[HADISK_A_PROTOCOL] = NLA_POLICY_RANGE(NLA_U8, HADISK_PROT_A,
					       HADISK_PROT_C),
	[HADISK_A_PING_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ms_range),
	[HADISK_A_PING_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ms_range),
	[HADISK_A_ACK_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ms_range),
	[HADISK_A_CONNECT_INTERVAL_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							       &ms_range),
	[HADISK_A_FORCE] = { .type = NLA_FLAG },
	[HADISK_A_ROLE ... HADISK_A_PAD] = { .type = NLA_REJECT },
	[HADISK_A_META_DEV] = { .type = NLA_NUL_STRING,
				.len = HADISK_PATH_MAX - 1 },
	[HADISK_A_AL_EXTENTS] = NLA_POLICY_RANGE(NLA_U32, HD_MD_AL_EXTENTS_MIN,
						 HD_MD_AL_EXTENTS_MAX),
	[HADISK_A_CLEAR_BITMAP] = { .type = NLA_FLAG },
	[HADISK_A_MD_FLAGS ... HADISK_A_AL_WRITES] = { .type = NLA_REJECT },
	[HADISK_A_RESYNC_RATE_MIN_KIB] = NLA_POLICY_FULL_RANGE(NLA_U32,
							       &kib_range),
	[HADISK_A_RESYNC_RATE_MAX_KIB] = NLA_POLICY_FULL_RANGE(NLA_U32,
							       &kib_range),
	[HADISK_A_RESYNC_LIMIT_BPS] = { .type = NLA_REJECT },
	[HADISK_A_CSUM_RESYNC] = NLA_POLICY_MAX(NLA_U8, 1),
	[HADISK_A_VERIFY_RESYNC] = { .type = NLA_FLAG },
	[HADISK_A_VERIFY_RUNNING ... HADISK_A_VERIFY_OOS_BYTES] = {
		.type = NLA_REJECT },
	[HADISK_A_AFTER_SB_0PRI] = NLA_POLICY_MAX(NLA_U8, HADISK_SB_DISCARD_NODE),
	[HADISK_A_AFTER_SB_1PRI] = NLA_POLICY_MAX(NLA_U8, __HADISK_SB_MAX - 1),
	[HADISK_A_AFTER_SB_2PRI] = NLA_POLICY_MAX(NLA_U8, __HADISK_SB_MAX - 1),
	[HADISK_A_DISCARD_NODE_ID] = NLA_POLICY_MAX(NLA_U32,
						    HADISK_NODE_ID_MAX),
	[HADISK_A_DISCARD_MY_DATA] = { .type = NLA_FLAG },
	[HADISK_A_FENCING] = NLA_POLICY_MAX(NLA_U8,
					    HADISK_FENCING_RESOURCE_AND_STONITH),
	[HADISK_A_HOOK_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32,
							    &hook_ms_range),
	[HADISK_A_HOOK_FENCE_PEER ... HADISK_A_SAVE_DIR] = {
		.type = NLA_NUL_STRING, .len = HADISK_PATH_MAX - 1 },
	[HADISK_A_IO_FROZEN ... HADISK_A_LAST_SAVE] = { .type = NLA_REJECT },
	[HADISK_A_SHARED_SECRET] = NLA_POLICY_RANGE(NLA_BINARY, 1, 64),
	[HADISK_A_HMAC_ALG] = { .type = NLA_NUL_STRING, .len = 15 },
	[HADISK_A_DATA_DIGEST] = NLA_POLICY_MAX(NLA_U8, HADISK_DIGEST_CRC32C),
	[HADISK_A_AUTH_ON ... HADISK_A_DIGEST_ERRORS] = { .type = NLA_REJECT },
	[HADISK_A_ON_IO_ERROR] = NLA_POLICY_MAX(NLA_U8,
						HADISK_IOE_CALL_LOCAL_IO_ERROR),
	[HADISK_A_LOCAL_IO_ERRORS ... HADISK_A_DETACHED_ON_ERROR] = {
		.type = NLA_REJECT },
	[HADISK_A_TRANSPORT] = NLA_POLICY_MAX(NLA_U8, HADISK_TRANSPORT_RDMA),
};

static struct hd_net *info_hn(struct genl_info *info)
{
	return hd_net_get(genl_info_net(info));
}

/* Find the resource named in the request, or set an error. */
static struct hd_resource *info_res(struct hd_net *hn, struct genl_info *info)
{
	struct hd_resource *res;
	const char *name;

	if (GENL_REQ_ATTR_CHECK(info, HADISK_A_RESOURCE))
		return NULL;
	name = nla_data(info->attrs[HADISK_A_RESOURCE]);
	res = hd_resource_find(hn, name);
	if (!res)
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[HADISK_A_RESOURCE],
					"no resource '%s' in this network namespace: create it with 'hadiskctl up %s'",
					name, name);
	return res;
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum(*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

static int hd_nl_new_resource(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct hd_resource *res;
	const char *name;
	u32 id, peer;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, HADISK_A_RESOURCE) ||
	    GENL_REQ_ATTR_CHECK(info, HADISK_A_NODE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, HADISK_A_PEER_NODE_ID))
		return -EINVAL;
	name = nla_data(info->attrs[HADISK_A_RESOURCE]);
	if (!name_ok(name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HADISK_A_RESOURCE],
				    "resource name: use 1 to 63 letters, digits, '_', '-' or '.'");
		return -EINVAL;
	}
	id = nla_get_u32(info->attrs[HADISK_A_NODE_ID]);
	peer = nla_get_u32(info->attrs[HADISK_A_PEER_NODE_ID]);
	if (id == peer) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[HADISK_A_PEER_NODE_ID],
				    "the two nodes need different node ids");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	if (hd_resource_find(hn, name)) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[HADISK_A_RESOURCE],
					"resource '%s' already exists in this network namespace",
					name);
		err = -EEXIST;
		goto out;
	}
	res = hd_resource_create(hn, name, id, peer);
	if (!res) {
		err = -ENOMEM;
		goto out;
	}
	if (info->attrs[HADISK_A_NODE_NAME])
		nla_strscpy(res->node_name, info->attrs[HADISK_A_NODE_NAME],
			    sizeof(res->node_name));
	if (info->attrs[HADISK_A_PEER_NODE_NAME])
		nla_strscpy(res->peer_name, info->attrs[HADISK_A_PEER_NODE_NAME],
			    sizeof(res->peer_name));
	else
		snprintf(res->peer_name, sizeof(res->peer_name), "node%u",
			 peer);
	pr_info("hadisk %s: created (node %u, peer %u)\n", name, id, peer);
	hd_nl_notify(res, "created");
out:
	mutex_unlock(&hn->lock);
	return err;
}

static int hd_nl_del_resource(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct hd_resource *res;
	int err = 0;

	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (!res) {
		err = -ENOENT;
	} else if (res->conn.configured) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s is connecting or connected: disconnect it first (or use 'hadiskctl down')",
				   res->name);
		err = -EBUSY;
	} else if (res->dev) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s has a disk attached: detach it first (or use 'hadiskctl down')",
				   res->name);
		err = -EBUSY;
	} else {
		hd_nl_notify(res, "destroyed");
		pr_info("hadisk %s: destroyed\n", res->name);
		hd_resource_destroy(res);
	}
	mutex_unlock(&hn->lock);
	return err;
}

static int hd_nl_attach(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct hd_resource *res;
	const char *meta;
	u8 ioe;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, HADISK_A_MINOR) ||
	    GENL_REQ_ATTR_CHECK(info, HADISK_A_BACKING_DEV))
		return -EINVAL;
	if (((char *)nla_data(info->attrs[HADISK_A_BACKING_DEV]))[0] != '/') {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[HADISK_A_BACKING_DEV],
				    "backing device: give an absolute path such as /dev/sdb");
		return -EINVAL;
	}
	meta = info->attrs[HADISK_A_META_DEV] ?
		nla_data(info->attrs[HADISK_A_META_DEV]) : NULL;
	if (meta && strcmp(meta, "internal") && meta[0] != '/') {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HADISK_A_META_DEV],
				    "meta-disk: 'internal' or an absolute device path");
		return -EINVAL;
	}
	ioe = info->attrs[HADISK_A_ON_IO_ERROR] ?
		nla_get_u8(info->attrs[HADISK_A_ON_IO_ERROR]) :
		HADISK_IOE_DETACH;
	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (res && res->dev && READ_ONCE(res->dev->diskless))
		err = hd_device_reattach(res,
					 nla_get_u32(info->attrs[HADISK_A_MINOR]),
					 nla_data(info->attrs[HADISK_A_BACKING_DEV]),
					 meta, ioe, info->extack);
	else
		err = res ? hd_device_attach(res,
				     nla_get_u32(info->attrs[HADISK_A_MINOR]),
				     nla_data(info->attrs[HADISK_A_BACKING_DEV]),
				     meta,
				     info->attrs[HADISK_A_AL_EXTENTS] ?
				     nla_get_u32(info->attrs[HADISK_A_AL_EXTENTS]) : 0,
				     ioe, info->extack) : -ENOENT;
	mutex_unlock(&hn->lock);
	return err;
}

static int hd_nl_detach(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct hd_resource *res;
	int err = -ENOENT;

	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (!res)
		goto out;
	if (res->dev && hd_device_is_open(res->dev)) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "/dev/hadisk%d is open (mounted or in use by a program): unmount or close it first",
				   res->dev->minor);
		err = -EBUSY;
	} else if (res->conn.configured) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s is connecting or connected: disconnect it first ('hadiskctl disconnect %s')",
				   res->name, res->name);
		err = -EBUSY;
	} else if (res->role == HADISK_ROLE_PRIMARY) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s is Primary: demote it first ('hadiskctl secondary %s')",
				   res->name, res->name);
		err = -EBUSY;
	} else {
		err = hd_device_detach(res, false, info->extack);
		if (!err)
			hd_nl_notify(res, "detached");
	}
out:
	mutex_unlock(&hn->lock);
	return err;
}

static int get_addr(struct genl_info *info, int a_addr, int a_port,
		    struct sockaddr_storage *ss)
{
	struct nlattr *na = info->attrs[a_addr];
	u16 port = nla_get_u16(info->attrs[a_port]);

	memset(ss, 0, sizeof(*ss));
	if (nla_len(na) == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, nla_data(na), 4);
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	if (nla_len(na) == 16) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, nla_data(na), 16);
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	NL_SET_ERR_MSG_ATTR(info->extack, na,
			    "address: 4 bytes (IPv4) or 16 bytes (IPv6)");
	return -EINVAL;
}

static u32 get_u32(struct genl_info *info, int attr, u32 def)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : def;
}

static bool abs_path(struct genl_info *info, int attr)
{
	return !info->attrs[attr] ||
	       *(char *)nla_data(info->attrs[attr]) == '/';
}

/* CONNECT's split-brain, fencing and hook settings. Caller holds hn->lock. */
static int set_ha_conf(struct hd_resource *res, struct genl_info *info)
{
	struct hd_ha_conf ha = { 0 };
	int i, attr, err = -ENOMEM;

	ha.after_sb[0] = info->attrs[HADISK_A_AFTER_SB_0PRI] ?
		nla_get_u8(info->attrs[HADISK_A_AFTER_SB_0PRI]) : 0;
	ha.after_sb[1] = info->attrs[HADISK_A_AFTER_SB_1PRI] ?
		nla_get_u8(info->attrs[HADISK_A_AFTER_SB_1PRI]) : 0;
	ha.after_sb[2] = info->attrs[HADISK_A_AFTER_SB_2PRI] ?
		nla_get_u8(info->attrs[HADISK_A_AFTER_SB_2PRI]) : 0;
	for (i = 0; i < 3; i++) {
		if (hd_sb_policy_valid(i, ha.after_sb[i]))
			continue;
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[HADISK_A_AFTER_SB_0PRI + i],
					"after-sb-%dpri cannot be %s",
					i, hd_sb_policy_name(ha.after_sb[i]));
		return -EINVAL;
	}
	ha.discard_node = get_u32(info, HADISK_A_DISCARD_NODE_ID, 0);
	ha.fencing = info->attrs[HADISK_A_FENCING] ?
		nla_get_u8(info->attrs[HADISK_A_FENCING]) : 0;
	ha.hook_timeout_ms = get_u32(info, HADISK_A_HOOK_TIMEOUT_MS,
				     HD_HOOK_TIMEOUT_DEFAULT_MS);
	for (attr = HADISK_A_HOOK_FENCE_PEER; attr <= HADISK_A_SAVE_DIR;
	     attr++) {
		if (abs_path(info, attr))
			continue;
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[attr],
				    "hook and directory paths must be absolute");
		return -EINVAL;
	}
	for (i = 0; i < HD_HOOK_NR; i++) {
		attr = HADISK_A_HOOK_FENCE_PEER + i;
		if (!info->attrs[attr])
			continue;
		ha.hooks[i] = nla_strdup(info->attrs[attr], GFP_KERNEL);
		if (!ha.hooks[i])
			goto nomem;
	}
	if (info->attrs[HADISK_A_SAVE_HELPER]) {
		ha.save_helper = nla_strdup(info->attrs[HADISK_A_SAVE_HELPER],
					    GFP_KERNEL);
		if (!ha.save_helper)
			goto nomem;
	}
	ha.save_dir = info->attrs[HADISK_A_SAVE_DIR] ?
		nla_strdup(info->attrs[HADISK_A_SAVE_DIR], GFP_KERNEL) :
		kstrdup("/var/lib/hadisk", GFP_KERNEL);
	if (!ha.save_dir)
		goto nomem;
	if (ha.fencing != HADISK_FENCING_NONE &&
	    !ha.hooks[HD_HOOK_FENCE_PEER]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HADISK_A_FENCING],
				    "fencing needs a fence-peer hook (handlers { fence-peer /path; })");
		err = -EINVAL;
		goto free;
	}
	spin_lock_irq(&res->lock);
	swap(res->ha, ha);
	res->discard_my_data = !!info->attrs[HADISK_A_DISCARD_MY_DATA];
	res->sb_reported = false;
	res->sb_save_failed = false;
	spin_unlock_irq(&res->lock);
	/* ha now holds the old strings */
	for (i = 0; i < HD_HOOK_NR; i++)
		kfree(ha.hooks[i]);
	kfree(ha.save_helper);
	kfree(ha.save_dir);
	return 0;
nomem:
	NL_SET_ERR_MSG(info->extack, "out of memory");
free:
	for (i = 0; i < HD_HOOK_NR; i++)
		kfree(ha.hooks[i]);
	kfree(ha.save_helper);
	kfree(ha.save_dir);
	return err;
}

/*
 * CONNECT's authentication and digest settings. Caller holds hn->lock; no
 * connection thread runs. The secret goes into the HMAC's key only.
 */
static int set_auth(struct hd_conn *conn, struct genl_info *info)
{
	struct nlattr *sec = info->attrs[HADISK_A_SHARED_SECRET];
	const char *alg = info->attrs[HADISK_A_HMAC_ALG] ?
		nla_data(info->attrs[HADISK_A_HMAC_ALG]) : "sha256";
	struct crypto_shash *tfm = NULL;
	char name[32];
	int err;

	conn->digest = info->attrs[HADISK_A_DATA_DIGEST] ?
		nla_get_u8(info->attrs[HADISK_A_DATA_DIGEST]) : 0;
	if (conn->digest && !conn->csum_tfm) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[HADISK_A_DATA_DIGEST],
				    "data-integrity-alg crc32c: the kernel has no crc32c (load the crc32c module)");
		return -EOPNOTSUPP;
	}
	if (sec) {
		if (strcmp(alg, "sha256") && strcmp(alg, "sha1") &&
		    strcmp(alg, "sha512")) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    info->attrs[HADISK_A_HMAC_ALG],
					    "cram-hmac-alg: sha256, sha1 or sha512");
			return -EINVAL;
		}
		snprintf(name, sizeof(name), "hmac(%s)", alg);
		tfm = crypto_alloc_shash(name, 0, 0);
		if (IS_ERR(tfm)) {
			NL_SET_ERR_MSG_FMT(info->extack,
					   "the kernel has no %s for the shared-secret (load its crypto module)",
					   name);
			return PTR_ERR(tfm);
		}
		err = crypto_shash_setkey(tfm, nla_data(sec), nla_len(sec));
		if (err) {
			crypto_free_shash(tfm);
			NL_SET_ERR_MSG(info->extack,
				       "the shared-secret cannot be used as an HMAC key");
			return err;
		}
	}
	if (conn->hmac_tfm)
		crypto_free_shash(conn->hmac_tfm);
	conn->hmac_tfm = tfm;
	return 0;
}

/*
 * The transport CONNECT asks for, with a reference (transport.c). A
 * transport module not loaded is requested once (modprobe), before any
 * lock is taken, then refused with a message naming the module.
 */
static const struct hd_transport_ops *
connect_transport(struct genl_info *info)
{
	static const char *const names[] = {
		[HADISK_TRANSPORT_TCP] = "tcp",
		[HADISK_TRANSPORT_RDMA] = "rdma",
	};
	struct nlattr *a = info->attrs[HADISK_A_TRANSPORT];
	u8 id = a ? nla_get_u8(a) : HADISK_TRANSPORT_TCP;
	const struct hd_transport_ops *tops;

	tops = hd_transport_get(names[id]);
	if (!tops && id == HADISK_TRANSPORT_RDMA) {
		request_module("hadisk_rdma");
		tops = hd_transport_get(names[id]);
	}
	if (!tops) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, a,
					"transport %s: the hadisk_%s module is not loaded (modprobe hadisk_%s, or insmod hadisk_%s.ko; it needs rdma_cm and a kernel with CONFIG_INFINIBAND)",
					names[id], names[id], names[id],
					names[id]);
		return ERR_PTR(-EPROTONOSUPPORT);
	}
	return tops;
}

static int hd_nl_connect(struct sk_buff *skb, struct genl_info *info)
{
	const struct hd_transport_ops *tops;
	struct hd_net *hn = info_hn(info);
	struct sockaddr_storage local, peer;
	struct hd_resource *res;
	struct hd_conn *conn;
	int llen, plen, err = -ENOENT;

	if (GENL_REQ_ATTR_CHECK(info, HADISK_A_LOCAL_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, HADISK_A_PEER_ADDR) ||
	    GENL_REQ_ATTR_CHECK(info, HADISK_A_LOCAL_PORT) ||
	    GENL_REQ_ATTR_CHECK(info, HADISK_A_PEER_PORT))
		return -EINVAL;
	llen = get_addr(info, HADISK_A_LOCAL_ADDR, HADISK_A_LOCAL_PORT, &local);
	if (llen < 0)
		return llen;
	plen = get_addr(info, HADISK_A_PEER_ADDR, HADISK_A_PEER_PORT, &peer);
	if (plen < 0)
		return plen;
	if (llen != plen) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[HADISK_A_PEER_ADDR],
				    "the local and peer addresses must both be IPv4 or both IPv6");
		return -EINVAL;
	}
	tops = connect_transport(info);
	if (IS_ERR(tops))
		return PTR_ERR(tops);
	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (!res)
		goto out;
	conn = &res->conn;
	if (!res->dev) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s has no disk: attach one before connecting",
				   res->name);
		err = -ENODEV;
		goto out;
	}
	if (conn->configured) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s is already connecting or connected: disconnect it first",
				   res->name);
		err = -EALREADY;
		goto out;
	}
	conn->local_addr = local;
	conn->peer_addr = peer;
	conn->addr_len = llen;
	conn->protocol = info->attrs[HADISK_A_PROTOCOL] ?
		nla_get_u8(info->attrs[HADISK_A_PROTOCOL]) : HADISK_PROT_C;
	conn->ping_interval_ms = get_u32(info, HADISK_A_PING_INTERVAL_MS, 1000);
	conn->ping_timeout_ms = get_u32(info, HADISK_A_PING_TIMEOUT_MS, 2000);
	conn->ack_timeout_ms = get_u32(info, HADISK_A_ACK_TIMEOUT_MS, 6000);
	conn->connect_interval_ms = get_u32(info, HADISK_A_CONNECT_INTERVAL_MS,
					   1000);
	conn->rs_min_bps = (u64)get_u32(info, HADISK_A_RESYNC_RATE_MIN_KIB,
				       32 * 1024) << 10;
	conn->rs_max_bps = (u64)get_u32(info, HADISK_A_RESYNC_RATE_MAX_KIB,
				       1024 * 1024) << 10;
	conn->csum_resync = info->attrs[HADISK_A_CSUM_RESYNC] &&
			    nla_get_u8(info->attrs[HADISK_A_CSUM_RESYNC]);
	if (conn->rs_min_bps > conn->rs_max_bps) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[HADISK_A_RESYNC_RATE_MIN_KIB],
				    "resync-rate-min is above resync-rate-max");
		err = -EINVAL;
		goto out;
	}
	err = set_ha_conf(res, info);
	if (!err)
		err = set_auth(conn, info);
	if (err)
		goto out;
	/* No thread runs: the transport may change; the old one is put. */
	swap(conn->tops, tops);
	WRITE_ONCE(conn->transport, conn->tops->id);
	hd_clear_error(res);
	err = hd_conn_start(conn, info->extack);
out:
	mutex_unlock(&hn->lock);
	hd_transport_put(tops);
	return err;
}

static int hd_nl_disconnect(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct hd_resource *res;
	int err = -ENOENT;

	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (res && !res->conn.configured) {
		NL_SET_ERR_MSG_FMT(info->extack,
				   "resource %s is not connected (StandAlone)",
				   res->name);
		err = -ENOTCONN;
	} else if (res) {
		hd_conn_stop(&res->conn);
		err = 0;
	}
	mutex_unlock(&hn->lock);
	return err;
}

/* Operations on one existing resource: roles, invalidation, verify. */
static int hd_nl_resource_op(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct netlink_ext_ack *ea = info->extack;
	struct hd_resource *res;
	int err = -ENOENT;

	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (!res)
		goto out;
	switch (info->genlhdr->cmd) {
	case HADISK_CMD_PRIMARY:
		err = hd_resource_primary(res, !!info->attrs[HADISK_A_FORCE],
					  ea);
		break;
	case HADISK_CMD_SECONDARY:
		err = hd_resource_secondary(res, ea);
		break;
	case HADISK_CMD_INVALIDATE:
		err = hd_resource_invalidate(res, ea);
		break;
	case HADISK_CMD_INVALIDATE_REMOTE:
		err = hd_resource_invalidate_remote(res, ea);
		break;
	case HADISK_CMD_NEW_CURRENT_UUID:
		err = hd_resource_new_uuid(res,
					   !!info->attrs[HADISK_A_CLEAR_BITMAP],
					   ea);
		break;
	case HADISK_CMD_VERIFY:
		err = hd_verify_start(res, !!info->attrs[HADISK_A_VERIFY_RESYNC],
				      ea);
		break;
	case HADISK_CMD_OUTDATE:
		err = hd_resource_outdate(res, ea);
		break;
	case HADISK_CMD_RESUME_IO:
		err = hd_resource_resume_io(res, ea);
		break;
	default:
		err = -EOPNOTSUPP;
	}
out:
	mutex_unlock(&hn->lock);
	return err;
}

static int fill_status(struct sk_buff *skb, struct hd_resource *res,
		       u32 portid, u32 seq, int flags, u8 cmd,
		       const char *event)
{
	struct hd_device *dev = res->dev;
	struct hd_conn *conn = &res->conn;
	u8 role, peer_role, disk, peer_disk, cstate;
	u64 cur, bm, oos = 0, total = 0, done = 0;
	char err[HADISK_ERROR_MAX], last_save[HADISK_PATH_MAX];
	struct hd_ha_conf ha;
	bool frozen, fenced;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &hd_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	spin_lock_irq(&res->lock);
	role = res->role;
	peer_role = res->peer_role;
	disk = res->disk;
	peer_disk = res->peer_disk;
	cstate = res->cstate;
	cur = res->uuids.cur;
	bm = res->uuids.bitmap;
	strscpy(err, res->last_error, sizeof(err));
	strscpy(last_save, res->last_save, sizeof(last_save));
	ha = res->ha;	/* the numbers only: strings may go */
	frozen = res->io_frozen;
	fenced = res->peer_fenced;
	spin_unlock_irq(&res->lock);
	if (cstate == HADISK_CONN_SYNC_SOURCE ||
	    cstate == HADISK_CONN_SYNC_TARGET) {
		total = conn->rs.total_bytes;
		done = atomic64_read(&conn->rs.done_bytes);
		if (done > total)
			done = total;
	}
	if (dev)
		oos = cstate == HADISK_CONN_SYNC_TARGET ? total - done :
			hd_bm_oos_bytes(dev);

	if (nla_put_string(skb, HADISK_A_RESOURCE, res->name) ||
	    nla_put_u32(skb, HADISK_A_NODE_ID, res->node_id) ||
	    nla_put_u32(skb, HADISK_A_PEER_NODE_ID, res->peer_node_id) ||
	    (res->node_name[0] &&
	     nla_put_string(skb, HADISK_A_NODE_NAME, res->node_name)) ||
	    nla_put_string(skb, HADISK_A_PEER_NODE_NAME, res->peer_name) ||
	    nla_put_u8(skb, HADISK_A_ROLE, role) ||
	    nla_put_u8(skb, HADISK_A_PEER_ROLE, peer_role) ||
	    nla_put_u8(skb, HADISK_A_CONN_STATE, cstate) ||
	    nla_put_u8(skb, HADISK_A_DISK_STATE, disk) ||
	    nla_put_u8(skb, HADISK_A_PEER_DISK_STATE, peer_disk) ||
	    nla_put_u64_64bit(skb, HADISK_A_CURRENT_UUID, cur, HADISK_A_PAD) ||
	    nla_put_u64_64bit(skb, HADISK_A_BITMAP_UUID, bm, HADISK_A_PAD) ||
	    nla_put_u64_64bit(skb, HADISK_A_BYTES_SENT,
			      atomic64_read(&conn->bytes_sent), HADISK_A_PAD) ||
	    nla_put_u64_64bit(skb, HADISK_A_BYTES_RECEIVED,
			      atomic64_read(&conn->bytes_received),
			      HADISK_A_PAD) ||
	    nla_put_u64_64bit(skb, HADISK_A_OOS_BYTES, oos, HADISK_A_PAD))
		goto nospace;
	if (conn->configured && nla_put_u8(skb, HADISK_A_PROTOCOL,
					   conn->protocol))
		goto nospace;
	if (nla_put_u8(skb, HADISK_A_TRANSPORT, READ_ONCE(conn->transport)))
		goto nospace;
	if (dev &&
	    (nla_put_u32(skb, HADISK_A_MINOR, dev->minor) ||
	     nla_put_string(skb, HADISK_A_BACKING_DEV, dev->backing_path) ||
	     nla_put_u64_64bit(skb, HADISK_A_SIZE_BYTES,
			       (u64)dev->sectors << 9, HADISK_A_PAD) ||
	     nla_put_u32(skb, HADISK_A_OPEN_COUNT, READ_ONCE(dev->open_count)) ||
	     nla_put_u32(skb, HADISK_A_WRITES_PENDING,
			 atomic_read(&dev->writes_pending)) ||
	     nla_put_u32(skb, HADISK_A_WRITES_UNACKED,
			 atomic_read(&dev->writes_unacked))))
		goto nospace;
	if ((cstate == HADISK_CONN_SYNC_SOURCE ||
	     cstate == HADISK_CONN_SYNC_TARGET) &&
	    (nla_put_u64_64bit(skb, HADISK_A_RESYNC_TOTAL_BYTES, total,
			       HADISK_A_PAD) ||
	     nla_put_u64_64bit(skb, HADISK_A_RESYNC_DONE_BYTES, done,
			       HADISK_A_PAD) ||
	     nla_put_u64_64bit(skb, HADISK_A_RESYNC_RATE_BPS,
			       hd_resync_rate(conn), HADISK_A_PAD) ||
	     (cstate == HADISK_CONN_SYNC_SOURCE &&
	      nla_put_u64_64bit(skb, HADISK_A_RESYNC_LIMIT_BPS,
				conn->rs.limit_bps, HADISK_A_PAD))))
		goto nospace;
	if (dev &&
	    (nla_put_u8(skb, HADISK_A_ON_IO_ERROR, READ_ONCE(dev->on_io_error)) ||
	     nla_put_u8(skb, HADISK_A_DETACHED_ON_ERROR,
			READ_ONCE(dev->detached_on_error)) ||
	     nla_put_u64_64bit(skb, HADISK_A_LOCAL_IO_ERRORS,
			       atomic64_read(&dev->local_io_errors),
			       HADISK_A_PAD) ||
	     nla_put_u64_64bit(skb, HADISK_A_REMOTE_READS,
			       atomic64_read(&dev->remote_reads),
			       HADISK_A_PAD)))
		goto nospace;
	if (dev && dev->md) {
		u32 active;
		u64 writes;

		hd_al_stats(dev->al, &active, &writes);
		if (nla_put_string(skb, HADISK_A_META_DEV, dev->md->path) ||
		    nla_put_u32(skb, HADISK_A_MD_FLAGS, dev->md->info.flags) ||
		    nla_put_u32(skb, HADISK_A_AL_EXTENTS,
				dev->md->info.al_extents) ||
		    nla_put_u32(skb, HADISK_A_AL_ACTIVE, active) ||
		    nla_put_u64_64bit(skb, HADISK_A_AL_WRITES, writes,
				      HADISK_A_PAD))
			goto nospace;
	}
	if (res->verify_total &&
	    (nla_put_u8(skb, HADISK_A_VERIFY_RUNNING, res->verify_running) ||
	     nla_put_u64_64bit(skb, HADISK_A_VERIFY_TOTAL_BYTES,
			       res->verify_total, HADISK_A_PAD) ||
	     nla_put_u64_64bit(skb, HADISK_A_VERIFY_DONE_BYTES,
			       atomic64_read(&res->verify_done), HADISK_A_PAD) ||
	     nla_put_u64_64bit(skb, HADISK_A_VERIFY_OOS_BYTES, res->verify_oos,
			       HADISK_A_PAD)))
		goto nospace;
	if (err[0] && nla_put_string(skb, HADISK_A_LAST_ERROR, err))
		goto nospace;
	if (nla_put_u8(skb, HADISK_A_AUTH_ON, !!conn->hmac_tfm) ||
	    nla_put_u8(skb, HADISK_A_DATA_DIGEST, conn->digest) ||
	    nla_put_u64_64bit(skb, HADISK_A_AUTH_FAILURES,
			      atomic64_read(&conn->auth_failures),
			      HADISK_A_PAD) ||
	    nla_put_u64_64bit(skb, HADISK_A_DIGEST_ERRORS,
			      atomic64_read(&conn->digest_errors),
			      HADISK_A_PAD))
		goto nospace;
	if (nla_put_u8(skb, HADISK_A_IO_FROZEN, frozen) ||
	    nla_put_u8(skb, HADISK_A_PEER_FENCED, fenced) ||
	    nla_put_u8(skb, HADISK_A_FENCING, ha.fencing) ||
	    nla_put_u8(skb, HADISK_A_AFTER_SB_0PRI, ha.after_sb[0]) ||
	    nla_put_u8(skb, HADISK_A_AFTER_SB_1PRI, ha.after_sb[1]) ||
	    nla_put_u8(skb, HADISK_A_AFTER_SB_2PRI, ha.after_sb[2]) ||
	    (ha.after_sb[0] == HADISK_SB_DISCARD_NODE &&
	     nla_put_u32(skb, HADISK_A_DISCARD_NODE_ID, ha.discard_node)) ||
	    (last_save[0] &&
	     nla_put_string(skb, HADISK_A_LAST_SAVE, last_save)))
		goto nospace;
	if (event && nla_put_string(skb, HADISK_A_EVENT, event))
		goto nospace;
	genlmsg_end(skb, hdr);
	return 0;

nospace:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int hd_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct hd_net *hn = info_hn(info);
	struct hd_resource *res;
	struct sk_buff *msg;
	int err = -ENOENT;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&hn->lock);
	res = info_res(hn, info);
	if (res)
		err = fill_status(msg, res, info->snd_portid, info->snd_seq, 0,
				  HADISK_CMD_GET_STATUS, NULL);
	mutex_unlock(&hn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int hd_nl_dump_status(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct hd_net *hn = hd_net_get(sock_net(skb->sk));
	struct hd_resource *res;
	long idx = 0, start = cb->args[0];

	mutex_lock(&hn->lock);
	list_for_each_entry(res, &hn->resources, list) {
		if (idx++ < start)
			continue;
		if (fill_status(skb, res, NETLINK_CB(cb->skb).portid,
				cb->nlh->nlmsg_seq, NLM_F_MULTI,
				HADISK_CMD_GET_STATUS, NULL)) {
			idx--;
			break;
		}
	}
	mutex_unlock(&hn->lock);
	cb->args[0] = idx;
	return skb->len;
}

void hd_nl_notify(struct hd_resource *res, const char *event)
{
	struct sk_buff *msg;

	if (!READ_ONCE(hd_nl_ready))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_NOIO);
	if (!msg)
		return;
	if (fill_status(msg, res, 0, 0, 0, HADISK_CMD_EVENT, event)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&hd_genl_family, res->hn->net, msg, 0, 0,
				GFP_NOIO);
}

#define ADMIN GENL_UNS_ADMIN_PERM

static const struct genl_small_ops hd_ops[] = {
	{ .cmd = HADISK_CMD_NEW_RESOURCE, .doit = hd_nl_new_resource,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_DEL_RESOURCE, .doit = hd_nl_del_resource,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_ATTACH, .doit = hd_nl_attach, .flags = ADMIN },
	{ .cmd = HADISK_CMD_DETACH, .doit = hd_nl_detach, .flags = ADMIN },
	{ .cmd = HADISK_CMD_CONNECT, .doit = hd_nl_connect, .flags = ADMIN },
	{ .cmd = HADISK_CMD_DISCONNECT, .doit = hd_nl_disconnect,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_PRIMARY, .doit = hd_nl_resource_op, .flags = ADMIN },
	{ .cmd = HADISK_CMD_OUTDATE, .doit = hd_nl_resource_op, .flags = ADMIN },
	{ .cmd = HADISK_CMD_RESUME_IO, .doit = hd_nl_resource_op,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_SECONDARY, .doit = hd_nl_resource_op,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_INVALIDATE, .doit = hd_nl_resource_op,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_INVALIDATE_REMOTE, .doit = hd_nl_resource_op,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_NEW_CURRENT_UUID, .doit = hd_nl_resource_op,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_VERIFY, .doit = hd_nl_resource_op,
	  .flags = ADMIN },
	{ .cmd = HADISK_CMD_GET_STATUS, .doit = hd_nl_get_status,
	  .dumpit = hd_nl_dump_status },
};

static const struct genl_multicast_group hd_mcgrps[] = {
	{ .name = HADISK_GENL_MCAST_EVENTS },
};

static struct genl_family hd_genl_family __ro_after_init = {
	.name = HADISK_GENL_NAME,
	.version = HADISK_GENL_VERSION,
	.maxattr = HADISK_A_MAX,
	.policy = hd_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = hd_ops,
	.n_small_ops = ARRAY_SIZE(hd_ops),
	.resv_start_op = HADISK_CMD_NEW_RESOURCE,
	.mcgrps = hd_mcgrps,
	.n_mcgrps = ARRAY_SIZE(hd_mcgrps),
};

int hd_netlink_init(void)
{
	int err = genl_register_family(&hd_genl_family);

	if (!err)
		WRITE_ONCE(hd_nl_ready, true);
	return err;
}

void hd_netlink_exit(void)
{
	WRITE_ONCE(hd_nl_ready, false);
	genl_unregister_family(&hd_genl_family);
}
