// SPDX-License-Identifier: GPL-2.0
/*
 * The replication link's life cycle, run by one worker thread per resource
 * ("hadisk_w/RES"):
 *
 *   Connecting --handshake ok--> Connected | SyncSource | SyncTarget
 *        ^                                     |
 *        +------ teardown <-- hd_conn_fail() --+
 *
 * Connecting: the node with the lower node id connects (data socket, then
 * meta socket), the other accepts on its listener; the handshake
 * (include/hadisk/wire.h) checks versions, resource name, node ids,
 * protocol and sizes, and the sync direction is decided from the
 * generation identifiers. A refusal is recorded in res->last_error (shown
 * by status), logged once per distinct reason, and retried every
 * connect-interval.
 *
 * Running: the receiver ("hadisk_r/RES") reads the data channel, the ack
 * sender ("hadisk_a/RES") reads the meta channel and pings; the resync
 * worker runs on a sync source. Any of them, or a submitter whose send
 * fails, calls hd_conn_fail(): the channels are shut down, so every
 * blocked call returns, and the worker tears down: link_up is cleared
 * under data_lock (no new sends), the threads are stopped, unacknowledged
 * writes are marked out of sync and completed, acks are dropped, the
 * channels closed. A Primary that loses its peer starts a new data
 * generation, so the reconnect resyncs from its bitmap.
 *
 * hd_conn_stop() (DISCONNECT, down, namespace exit) stops the worker with
 * kthread_stop(); every wait in the worker also watches kthread_should_stop().
 */
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/inet.h>
#include "conn.h"
#include "receiver.h"
#include "sender.h"
#include "resync.h"
#include "fence.h"
#include "hook.h"
#include "sbpolicy.h"
#include "meta.h"
#include "digest.h"
#include "req.h"
#include "wire.h"
#include "netlink.h"
#include "verify.h"
#include "detach.h"
#include "remote.h"
#include <crypto/hash.h>

#define HS_TIMEOUT_MS 5000

const char *hd_errname(int err)
{
	switch (err) {
	case -ECONNREFUSED:
		return "connection refused (is the resource up on the peer?)";
	case -ETIMEDOUT:
		return "timed out";
	case -ENETUNREACH:
		return "network unreachable";
	case -EHOSTUNREACH:
		return "no route to host";
	case -EADDRNOTAVAIL:
		return "the local address is not configured in this network namespace";
	case -EADDRINUSE:
		return "address already in use";
	case -ECONNRESET:
		return "connection reset by the peer";
	case -EPIPE:
		return "connection closed";
	case -EPROTO:
		return "protocol error";
	case -EINTR:
		return "interrupted";
	}
	return "error";
}

void hd_set_cstate(struct hd_resource *res, u8 cstate, const char *event)
{
	spin_lock_irq(&res->lock);
	res->cstate = cstate;
	spin_unlock_irq(&res->lock);
	if (event)
		hd_state_changed(res, event);
}

void hd_conn_fail(struct hd_conn *conn, const char *fmt, ...)
{
	struct hd_resource *res = conn->res;
	va_list ap;
	char buf[HADISK_ERROR_MAX];

	if (atomic_xchg(&conn->failed, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_warn("hadisk %s: link to %s lost: %s\n", res->name, res->peer_name,
		buf);
	hd_set_error(res, "link lost: %s", buf);
	if (conn->data)
		conn->tops->shutdown(conn->data);
	if (conn->meta)
		conn->tops->shutdown(conn->meta);
	wake_up(&conn->fail_wq);
	wake_up(&conn->peer_wq);
	wake_up(&conn->rs.wq);
}

/* Record a refusal; log it only when the reason changes. */
static void conn_refused(struct hd_conn *conn, const char *why)
{
	struct hd_resource *res = conn->res;
	bool same;

	spin_lock_irq(&res->lock);
	same = !strcmp(res->last_error, why);
	spin_unlock_irq(&res->lock);
	if (same)
		return;
	pr_warn("hadisk %s: connection to %s refused: %s\n", res->name,
		res->peer_name, why);
	hd_set_error(res, "%s", why);
	hd_state_changed(res, "connection-refused");
}

static void local_hello(struct hd_conn *conn, struct hd_hello_info *hi,
			unsigned int sock_type)
{
	struct hd_resource *res = conn->res;

	memset(hi, 0, sizeof(*hi));
	hi->version_min = HD_WIRE_VERSION_MIN;
	hi->version_max = HD_WIRE_VERSION;
	hi->sock_type = sock_type;
	hi->session = conn->session;
	hi->node_id = res->node_id;
	hi->peer_node_id = res->peer_node_id;
	hi->size_sectors = res->dev->sectors;
	hi->protocol = conn->protocol;
	hi->features = (conn->hmac_tfm ? HD_FEAT_AUTH : 0) |
		       (conn->digest ? HD_FEAT_DIGEST : 0);
	strscpy(hi->resource, res->name, sizeof(hi->resource));
	spin_lock_irq(&res->lock);
	hi->current_uuid = res->uuids.cur;
	hi->bitmap_uuid = res->uuids.bitmap;
	hi->history_uuid[0] = res->uuids.history[0];
	hi->history_uuid[1] = res->uuids.history[1];
	hi->role = res->role;
	hi->disk_state = res->disk;
	hi->flags = res->crashed_primary ? HD_HELLO_F_CRASHED_PRIMARY : 0;
	if (res->pri_at_split)
		hi->flags |= HD_HELLO_F_PRI_AT_SPLIT;
	if (res->discard_my_data)
		hi->flags |= HD_HELLO_F_DISCARD_MY_DATA;
	hi->after_sb[0] = res->ha.after_sb[0];
	hi->after_sb[1] = res->ha.after_sb[1];
	hi->after_sb[2] = res->ha.after_sb[2];
	hi->fencing = res->ha.fencing;
	hi->discard_node = res->ha.discard_node;
	spin_unlock_irq(&res->lock);
	spin_lock_irq(&res->dev->req_lock);
	hi->changes = res->dev->oos_blocks;
	spin_unlock_irq(&res->dev->req_lock);
}

static int send_hello(struct hd_conn *conn, struct hd_chan *c,
		      unsigned int sock_type)
{
	struct {
		struct hd_hdr h;
		struct hd_hello b;
	} __packed pkt;
	struct hd_hello_info hi;

	local_hello(conn, &hi, sock_type);
	if (sock_type == HD_SOCK_DATA)
		conn->hs_sent = hi;	/* what the peer decides on */
	hd_hdr_encode(&pkt.h, HD_P_HELLO, sizeof(pkt.b));
	hd_hello_encode(&pkt.b, &hi);
	return conn->tops->send(c, &pkt, sizeof(pkt), NULL, 0, 0, false);
}

void hd_send_refuse(struct hd_conn *conn, struct hd_chan *c,
		    unsigned int code, const char *why)
{
	struct {
		struct hd_hdr h;
		struct hd_refuse b;
	} __packed pkt;

	hd_hdr_encode(&pkt.h, HD_P_REFUSE, sizeof(pkt.b));
	hd_refuse_encode(&pkt.b, code, why);
	conn->tops->send(c, &pkt, sizeof(pkt), NULL, 0, 0, false);
}

/* Receive exactly len bytes within timeout_ms, watching for a stop. */
int hd_hs_recv(struct hd_conn *conn, struct hd_chan *c, void *buf,
	       size_t len, int timeout_ms)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	size_t pos = 0;
	int rv;

	while (pos < len) {
		if (kthread_should_stop())
			return -EINTR;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		rv = conn->tops->recv_some(c, buf + pos, len - pos, 200);
		if (rv == -EAGAIN)
			continue;
		if (rv <= 0)
			return rv ? rv : -ECONNRESET;
		pos += rv;
	}
	return 0;
}

/* This Primary is a split brain's victim: its hook, once per split. */
static void pri_lost(struct hd_resource *res)
{
	bool first;

	spin_lock_irq(&res->lock);
	first = !res->sb_reported;
	res->sb_reported = true;
	spin_unlock_irq(&res->lock);
	if (first)
		hd_hook_async(res, HD_HOOK_PRI_LOST_AFTER_SB);
}

/*
 * Receive one handshake packet. HELLO fills hi; REFUSE, HELLO_OK and
 * anything else are reported through the return value and why.
 */
static int hs_recv_packet(struct hd_conn *conn, struct hd_chan *c,
			  unsigned int want, struct hd_hello_info *hi,
			  char *why, size_t wlen)
{
	union {
		struct hd_hello hello;
		struct hd_refuse refuse;
	} body;
	struct hd_hdr h;
	unsigned int type, code;
	const char *w = NULL;
	char text[HD_REFUSE_TEXT_LEN];
	u32 len;
	int err;

	err = hd_hs_recv(conn, c, &h, sizeof(h), HS_TIMEOUT_MS);
	if (err) {
		snprintf(why, wlen, "no handshake from the peer: %s",
			 hd_errname(err));
		return err;
	}
	if (hd_hdr_decode(&h, &type, &len, &w) ||
	    (type != want && type != HD_P_REFUSE) || len > sizeof(body)) {
		snprintf(why, wlen,
			 "the peer is not a hadisk node of a compatible version (%s)",
			 w ? w : "unexpected handshake packet");
		return -EPROTO;
	}
	err = hd_hs_recv(conn, c, &body, len, HS_TIMEOUT_MS);
	if (err) {
		snprintf(why, wlen, "handshake cut short: %s",
			 hd_errname(err));
		return err;
	}
	if (type == HD_P_REFUSE) {
		hd_refuse_decode(&body.refuse, &code, text, sizeof(text));
		snprintf(why, wlen, "the peer refused: %s", text);
		if (code == HD_REFUSE_PRI_LOST)
			pri_lost(conn->res);
		return -ECONNREFUSED;
	}
	if (type == HD_P_HELLO_OK)
		return 0;
	if (hd_hello_decode(&body.hello, len, hi, &w)) {
		snprintf(why, wlen, "bad handshake from the peer: %s", w);
		return -EPROTO;
	}
	return 0;
}


/*
 * Two Primaries never connect. After a split brain with
 * after-sb-2pri call-pri-lost-after-sb, the node the after-sb-0pri rule
 * discards runs its pri-lost-after-sb hook (once per split brain).
 */
static int both_primary(struct hd_conn *conn, struct hd_hello_info *mine,
			struct hd_hello_info *peer, char *why, size_t wlen)
{
	struct hd_resource *res = conn->res;
	struct hd_sb_side me = {
		.role = mine->role, .changes = mine->changes,
		.pri_at_split = mine->flags & HD_HELLO_F_PRI_AT_SPLIT,
		.node_id = mine->node_id,
	};
	struct hd_sb_side pe = {
		.role = peer->role, .changes = peer->changes,
		.pri_at_split = peer->flags & HD_HELLO_F_PRI_AT_SPLIT,
		.node_id = peer->node_id,
	};
	struct hd_sb_policy pol = {
		.pri0 = mine->after_sb[0], .pri1 = mine->after_sb[1],
		.pri2 = mine->after_sb[2], .discard_node = mine->discard_node,
	};
	char rule[160];
	enum hd_sb_result r;

	if (pol.pri2 != HADISK_SB_CALL_PRI_LOST || !mine->bitmap_uuid ||
	    mine->bitmap_uuid != peer->bitmap_uuid ||
	    mine->current_uuid == peer->current_uuid)
		return HD_REFUSE_BOTH_PRIMARY;
	r = hd_sb_resolve(&me, &pe, &pol, rule, sizeof(rule));
	if (r == HD_SB_PEER_PRI_LOST) {
		/* The peer learns it from the code: it has no HELLO of ours. */
		snprintf(why, wlen,
			 "both nodes are Primary after a split brain; the changes of %s are to be discarded (%s): it runs its pri-lost-after-sb hook",
			 res->peer_name, rule);
		return HD_REFUSE_PRI_LOST;
	}
	if (r != HD_SB_ME_PRI_LOST)
		return HD_REFUSE_BOTH_PRIMARY;
	pri_lost(res);
	snprintf(why, wlen,
		 "both nodes are Primary after a split brain; this node's changes are to be discarded (%s): the pri-lost-after-sb hook runs; demote this node",
		 rule);
	return HD_REFUSE_BOTH_PRIMARY;
}


static int check_peer(struct hd_conn *conn, struct hd_chan *c,
		      struct hd_hello_info *peer, char *why, size_t wlen)
{
	struct hd_hello_info mine;
	int code;

	local_hello(conn, &mine, peer->sock_type);
	code = hd_hello_check(&mine, peer, why, wlen);
	if (code == HD_REFUSE_BOTH_PRIMARY && peer->sock_type == HD_SOCK_DATA)
		code = both_primary(conn, &mine, peer, why, wlen);
	if (code) {
		hd_send_refuse(conn, c, code, why);
		return -EPROTO;
	}
	return 0;
}

static int conn_connect(struct hd_conn *conn, struct hd_hello_info *peer,
			char *why, size_t wlen)
{
	struct net *net = conn->res->hn->net;
	struct hd_chan *data = NULL, *meta = NULL;
	int tmo = max_t(u32, conn->connect_interval_ms, 1000);
	int err;

	get_random_bytes(&conn->session, sizeof(conn->session));
	err = conn->tops->connect(net, &conn->local_addr, &conn->peer_addr,
				  conn->addr_len, tmo, &data);
	if (err)
		goto fail_connect;
	err = send_hello(conn, data, HD_SOCK_DATA);
	if (err)
		goto fail_connect;
	err = conn->tops->connect(net, &conn->local_addr, &conn->peer_addr,
				  conn->addr_len, tmo, &meta);
	if (err)
		goto fail_connect;
	err = send_hello(conn, meta, HD_SOCK_META);
	if (err)
		goto fail_connect;
	err = hs_recv_packet(conn, data, HD_P_HELLO, peer, why, wlen);
	if (err)
		goto out_close;
	err = check_peer(conn, data, peer, why, wlen);
	if (err)
		goto out_close;
	hd_hdr_encode((struct hd_hdr *)why, HD_P_HELLO_OK, 0);
	err = conn->tops->send(data, why, sizeof(struct hd_hdr), NULL, 0, 0,
			       false);
	if (err)
		goto fail_connect;
	why[0] = 0;
	err = hd_auth_peer(conn, data, peer->node_id, why, wlen);
	if (err)
		goto out_close;
	conn->data = data;
	conn->meta = meta;
	return 0;

fail_connect:
	if (!conn->tops->explain ||
	    !conn->tops->explain(net, &conn->local_addr, &conn->peer_addr, err,
				 why, wlen))
		snprintf(why, wlen, "cannot connect to %pISpc: %s",
			 &conn->peer_addr, hd_errname(err));
out_close:
	if (meta)
		conn->tops->close(meta);
	if (data)
		conn->tops->close(data);
	return err;
}

static int conn_accept(struct hd_conn *conn, struct hd_hello_info *peer,
		       char *why, size_t wlen)
{
	struct hd_chan *data = NULL, *meta = NULL, *c;
	struct hd_hello_info hi, data_hi;
	u64 meta_session = 0;
	int err;

	while (!kthread_should_stop()) {
		err = conn->tops->accept(conn->listener, 500, &c);
		if (err == -EAGAIN)
			continue;
		if (err) {
			snprintf(why, wlen, "accepting a connection failed: %s",
				 hd_errname(err));
			goto out_close;
		}
		err = hs_recv_packet(conn, c, HD_P_HELLO, &hi, why, wlen);
		if (!err)
			err = check_peer(conn, c, &hi, why, wlen);
		if (err) {
			conn->tops->close(c);
			conn_refused(conn, why);
			continue;
		}
		if (hi.sock_type == HD_SOCK_DATA) {
			if (data)
				conn->tops->close(data);
			data = c;
			data_hi = hi;
		} else {
			if (meta)
				conn->tops->close(meta);
			meta = c;
			meta_session = hi.session;
		}
		if (data && meta && data_hi.session == meta_session)
			break;
	}
	if (kthread_should_stop()) {
		err = -EINTR;
		snprintf(why, wlen, "stopped");
		goto out_close;
	}
	conn->session = data_hi.session;
	err = send_hello(conn, data, HD_SOCK_DATA);
	if (!err)
		err = hs_recv_packet(conn, data, HD_P_HELLO_OK, &hi, why, wlen);
	else
		snprintf(why, wlen, "handshake failed: %s", hd_errname(err));
	if (err)
		goto out_close;
	why[0] = 0;
	err = hd_auth_peer(conn, data, data_hi.node_id, why, wlen);
	if (err)
		goto out_close;
	*peer = data_hi;
	conn->data = data;
	conn->meta = meta;
	return 0;

out_close:
	if (meta)
		conn->tops->close(meta);
	if (data)
		conn->tops->close(data);
	return err;
}

static void close_channels(struct hd_conn *conn)
{
	if (conn->meta)
		conn->tops->close(conn->meta);
	if (conn->data)
		conn->tops->close(conn->data);
	conn->meta = NULL;
	conn->data = NULL;
}

static void before_resync_target(struct hd_resource *res)
{
	char msg[HADISK_ERROR_MAX];
	int rc;

	rc = hd_hook_run(res, HD_HOOK_BEFORE_RESYNC_TARGET, NULL, msg,
			 sizeof(msg));
	if (rc == HD_HOOK_NO_HOOK)
		return;
	if (rc)
		pr_warn("hadisk %s: %s (the resync goes on)\n", res->name, msg);
	else
		pr_info("hadisk %s: %s\n", res->name, msg);
}

/*
 * A split brain: apply the after-sb policies (sbpolicy.c) to what the two
 * HELLOs carried. Returns the sync decision, or HD_SYNC_SPLIT_BRAIN with
 * why set when the nodes stay apart.
 */
static enum hd_sync_decision split_brain(struct hd_conn *conn,
					 struct hd_hello_info *peer,
					 char *why, size_t wlen)
{
	struct hd_resource *res = conn->res;
	struct hd_hello_info *mine = &conn->hs_sent;
	struct hd_sb_side me = {
		.role = mine->role,
		.pri_at_split = mine->flags & HD_HELLO_F_PRI_AT_SPLIT,
		.discard_my_data = mine->flags & HD_HELLO_F_DISCARD_MY_DATA,
		.changes = mine->changes,
		.node_id = mine->node_id,
	};
	struct hd_sb_side pe = {
		.role = peer->role,
		.pri_at_split = peer->flags & HD_HELLO_F_PRI_AT_SPLIT,
		.discard_my_data = peer->flags & HD_HELLO_F_DISCARD_MY_DATA,
		.changes = peer->changes,
		.node_id = peer->node_id,
	};
	struct hd_sb_policy pol = {
		.pri0 = mine->after_sb[0], .pri1 = mine->after_sb[1],
		.pri2 = mine->after_sb[2], .discard_node = mine->discard_node,
	};
	char rule[200];
	enum hd_sb_result r;
	bool first, failed;

	r = hd_sb_resolve(&me, &pe, &pol, rule, sizeof(rule));
	spin_lock_irq(&res->lock);
	first = !res->sb_reported;
	res->sb_reported = true;
	failed = res->sb_save_failed;
	spin_unlock_irq(&res->lock);
	if (first)
		pr_warn("hadisk %s: split brain detected with %s (this node changed %llu blocks, the peer %llu)\n",
			res->name, res->peer_name,
			(unsigned long long)me.changes,
			(unsigned long long)pe.changes);
	switch (r) {
	case HD_SB_ME_VICTIM:
		if (failed) {
			snprintf(why, wlen,
				 "split brain: this node's changes are to be discarded (%s), but saving them failed before; nothing was overwritten: fix the cause, then 'hadiskctl disconnect %s' and 'hadiskctl connect %s'",
				 rule, res->name, res->name);
			return HD_SYNC_SPLIT_BRAIN;
		}
		if (!res->dev->md) {
			snprintf(why, wlen,
				 "split brain: this node's changes are to be discarded (%s), but without metadata its blocks cannot be saved first: resolve it by hand",
				 rule);
			return HD_SYNC_SPLIT_BRAIN;
		}
		pr_warn("hadisk %s: split brain resolved: this node's changes are discarded (%s); saving them first\n",
			res->name, rule);
		conn->rs.sb_victim = true;
		return HD_SYNC_TARGET_BITMAP;
	case HD_SB_PEER_VICTIM:
		pr_warn("hadisk %s: split brain resolved: the changes of %s are discarded (%s)\n",
			res->name, res->peer_name, rule);
		conn->rs.sb_winner = true;
		return HD_SYNC_SOURCE_BITMAP;
	case HD_SB_ME_PRI_LOST:
		snprintf(why, wlen,
			 "split brain: this Primary's changes are to be discarded (%s): the pri-lost-after-sb hook runs; demote this node ('hadiskctl secondary %s') to resync it",
			 rule, res->name);
		if (first)
			hd_hook_async(res, HD_HOOK_PRI_LOST_AFTER_SB);
		return HD_SYNC_SPLIT_BRAIN;
	case HD_SB_PEER_PRI_LOST:
		snprintf(why, wlen,
			 "split brain: the changes of the Primary %s are to be discarded (%s): it runs its pri-lost-after-sb hook and must be demoted",
			 res->peer_name, rule);
		return HD_SYNC_SPLIT_BRAIN;
	default:
		snprintf(why, wlen,
			 "split brain detected: both nodes changed the data while disconnected (%s); the nodes stay disconnected until one side's changes are discarded ('hadiskctl connect %s --discard-my-data' on the victim)",
			 rule, res->name);
		if (first)
			hd_hook_async(res, HD_HOOK_SPLIT_BRAIN);
		return HD_SYNC_SPLIT_BRAIN;
	}
}

/*
 * The split-brain victim has the winner's bitmap merged into its own:
 * every block the resync will overwrite is marked. Save them through the
 * save helper (hadiskctl save-discarded), then let the resync start by
 * sending our bitmap. Connection worker only.
 */
static void sb_save_and_go(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	struct hd_device *dev = res->dev;
	struct {
		char file[HADISK_PATH_MAX], msg[HADISK_ERROR_MAX];
		char env[6][HADISK_PATH_MAX + 32];
		const char *extra[7];
	} *b;
	char *file, *msg;
	u64 blocks;
	int rc, err, i;

	conn->rs.sb_victim = false;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b) {
		hd_conn_fail(conn, "split brain: out of memory");
		return;
	}
	file = b->file;
	msg = b->msg;
	spin_lock_irq(&dev->req_lock);
	blocks = dev->oos_blocks;
	spin_unlock_irq(&dev->req_lock);
	err = hd_md_flush_bitmap(dev);
	spin_lock_irq(&res->lock);
	snprintf(file, HADISK_PATH_MAX, "%s/%s-%s-%lld.hdsave",
		 res->ha.save_dir ?: "/var/lib/hadisk", res->name,
		 res->node_name[0] ? res->node_name : "node",
		 (long long)ktime_get_real_seconds());
	snprintf(b->env[0], sizeof(b->env[0]), "HADISK_SAVE_FILE=%s", file);
	snprintf(b->env[1], sizeof(b->env[1]), "HADISK_META_DEV=%s", dev->md->path);
	snprintf(b->env[2], sizeof(b->env[2]), "HADISK_CURRENT_UUID=%016llx",
		 res->uuids.cur);
	snprintf(b->env[3], sizeof(b->env[3]), "HADISK_PEER_CURRENT_UUID=%016llx",
		 res->peer_uuids.cur);
	snprintf(b->env[4], sizeof(b->env[4]), "HADISK_BLOCKS=%llu", blocks);
	snprintf(b->env[5], sizeof(b->env[5]), "HADISK_BITMAP_UUID=%016llx",
		 res->uuids.bitmap);
	spin_unlock_irq(&res->lock);
	for (i = 0; i < 6; i++)
		b->extra[i] = b->env[i];
	b->extra[6] = NULL;
	if (err) {
		snprintf(msg, HADISK_ERROR_MAX,
			 "writing the bitmap to the metadata failed (error %d)",
			 err);
		rc = err;
	} else {
		rc = hd_hook_run(res, HD_HOOK_SAVE, b->extra, msg,
				 HADISK_ERROR_MAX);
	}
	if (rc != HADISK_SAVE_OK) {
		pr_err("hadisk %s: split brain: saving the %llu blocks to be discarded failed: %s; nothing was overwritten\n",
		       res->name, blocks, msg);
		spin_lock_irq(&res->lock);
		res->sb_save_failed = true;
		spin_unlock_irq(&res->lock);
		hd_conn_fail(conn, "split brain: saving the blocks to be discarded failed (%s): nothing was overwritten",
			     rc == HD_HOOK_NO_HOOK ?
			     "no save helper: connect with a hadiskctl that has save-discarded" :
			     msg);
		kfree(b);
		return;
	}
	pr_info("hadisk %s: split brain: %llu blocks this node's resync will overwrite saved to %s\n",
		res->name, blocks, file);
	spin_lock_irq(&res->lock);
	strscpy(res->last_save, file, sizeof(res->last_save));
	kfree(b);
	res->disk = HADISK_DISK_INCONSISTENT;
	spin_unlock_irq(&res->lock);
	hd_state_changed(res, "discarded-blocks-saved");
	err = hd_send_bitmap(conn);
	if (err)
		hd_conn_fail(conn, "sending the bitmap failed: %s",
			     hd_errname(err));
}

/* Decide and enter the connected state. Returns 0 or -EPROTO (why set). */
static int conn_enter(struct hd_conn *conn, struct hd_hello_info *peer,
		      char *why, size_t wlen)
{
	struct hd_resource *res = conn->res;
	struct hd_uuids pu = {
		.cur = peer->current_uuid,
		.bitmap = peer->bitmap_uuid,
		.history = { peer->history_uuid[0], peer->history_uuid[1] },
		.crashed = peer->flags & HD_HELLO_F_CRASHED_PRIMARY,
	};
	struct hd_uuids me;
	enum hd_sync_decision d;
	u8 cstate = HADISK_CONN_CONNECTED;
	bool pull = false, pulled = false;

	/*
	 * Decide on exactly what the peer was told (our data HELLO), so both
	 * sides reach mirrored decisions even if a write changed our data
	 * generation since; such writes are marked in our bitmap and resynced
	 * right after (conn_enter's end).
	 */
	me.cur = conn->hs_sent.current_uuid;
	me.bitmap = conn->hs_sent.bitmap_uuid;
	me.history[0] = conn->hs_sent.history_uuid[0];
	me.history[1] = conn->hs_sent.history_uuid[1];
	me.crashed = conn->hs_sent.flags & HD_HELLO_F_CRASHED_PRIMARY;
	spin_lock_irq(&res->lock);
	d = hd_sync_decide(&me, conn->hs_sent.disk_state, &pu,
			   peer->disk_state);
	d = hd_sync_by_role(d, &me, conn->hs_sent.role, &pu, peer->role);
	if (d == HD_SYNC_SPLIT_BRAIN) {
		spin_unlock_irq(&res->lock);
		d = split_brain(conn, peer, why, wlen);
		if (d == HD_SYNC_SPLIT_BRAIN)
			return -EPROTO;
		spin_lock_irq(&res->lock);
	}
	if (d == HD_SYNC_UNRELATED) {
		spin_unlock_irq(&res->lock);
		snprintf(why, wlen,
			 "the peer's data is unrelated to ours (no common data generation); invalidate one side to sync it from the other");
		return -EPROTO;
	}
	/*
	 * A Primary whose disk is Inconsistent (re-attached after an IO
	 * error) pulls what it lacks; its peer sends nothing (detach.c).
	 */
	if (hd_sync_is_target(d) && res->role == HADISK_ROLE_PRIMARY &&
	    res->disk == HADISK_DISK_INCONSISTENT &&
	    peer->role != HADISK_ROLE_PRIMARY) {
		pull = true;
	} else if (hd_sync_is_source(d) && peer->role == HADISK_ROLE_PRIMARY &&
		   peer->disk_state == HADISK_DISK_INCONSISTENT &&
		   res->role != HADISK_ROLE_PRIMARY) {
		pulled = true;
		d = HD_SYNC_NONE;
	} else if (hd_sync_is_target(d) && res->role == HADISK_ROLE_PRIMARY) {
		spin_unlock_irq(&res->lock);
		snprintf(why, wlen,
			 "this Primary's data is older than the peer's: demote it with 'hadiskctl secondary %s' to sync from the peer",
			 res->name);
		return -EPROTO;
	}
	res->peer_role = peer->role;
	res->peer_disk = peer->disk_state;
	res->peer_uuids = pu;
	res->gen_pending = false;
	if (pull) {
		d = HD_SYNC_NONE;
	} else if (hd_sync_is_source(d)) {
		cstate = HADISK_CONN_SYNC_SOURCE;
		res->peer_disk = HADISK_DISK_INCONSISTENT;
	} else if (hd_sync_is_target(d)) {
		cstate = HADISK_CONN_SYNC_TARGET;
		/* a split-brain victim: once its blocks are saved */
		if (!conn->rs.sb_victim)
			res->disk = HADISK_DISK_INCONSISTENT;
	} else if (d == HD_SYNC_NONE && me.cur == pu.cur) {
		/* Same data: an Outdated side is as good as its peer. */
		if (res->disk == HADISK_DISK_OUTDATED &&
		    peer->disk_state == HADISK_DISK_UPTODATE)
			res->disk = HADISK_DISK_UPTODATE;
		if (res->peer_disk == HADISK_DISK_OUTDATED &&
		    res->disk == HADISK_DISK_UPTODATE)
			res->peer_disk = HADISK_DISK_UPTODATE;
	}
	if (pulled)
		res->peer_disk = HADISK_DISK_INCONSISTENT;
	res->cstate = cstate;
	res->last_error[0] = 0;
	res->discard_my_data = false;
	res->sb_reported = false;
	spin_unlock_irq(&res->lock);

	pr_info("hadisk %s: connected to %s, protocol %c, %s\n", res->name,
		res->peer_name, 'A' + conn->protocol - 1,
		hd_sync_decision_name(d));
	mutex_lock(&conn->data_lock);
	conn->link_up = true;
	mutex_unlock(&conn->data_lock);
	conn->rs.decision = d;
	if (peer->disk_state == HADISK_DISK_DISKLESS)
		hd_peer_diskless(res);
	hd_fence_connected(res);
	if (pull) {
		/* Which blocks the peer changed is not known here: all. */
		hd_bm_mark_all(res->dev);
		atomic_set(&conn->want_pull, 1);
		hd_conn_kick(conn);
		return 0;
	}
	if (d == HD_SYNC_NONE && !pulled)
		hd_fence_in_sync(res);
	if (hd_sync_is_target(d))
		before_resync_target(res);
	if (d == HD_SYNC_SOURCE_FULL) {
		hd_bm_mark_all(res->dev);
		hd_resync_start(conn, true);
	}
	/*
	 * SOURCE_BITMAP: the resync starts once the target's bitmap is in.
	 * After a split brain the winner sends its bitmap first: the victim
	 * saves every block the resync will overwrite, then answers.
	 */
	if (d == HD_SYNC_SOURCE_BITMAP && conn->rs.sb_winner)
		return hd_send_bitmap(conn);
	if (d == HD_SYNC_TARGET_BITMAP && !conn->rs.sb_victim)
		return hd_send_bitmap(conn);
	/* Written here while the link was down, after our HELLO left. */
	if (d == HD_SYNC_NONE && res->role == HADISK_ROLE_PRIMARY &&
	    hd_bm_oos_bytes(res->dev)) {
		atomic_set(&conn->want_resync, 1);
		hd_conn_kick(conn);
	}
	return 0;
}

/* Returns true if a Primary lost its peer (fencing is then due). */
static bool conn_teardown(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	bool was_up, lost_primary;

	atomic_set(&conn->failed, 1);
	if (conn->data)
		conn->tops->shutdown(conn->data);
	if (conn->meta)
		conn->tops->shutdown(conn->meta);
	wake_up(&conn->peer_wq);
	wake_up(&conn->rs.wq);

	mutex_lock(&conn->data_lock);
	was_up = conn->link_up;
	conn->link_up = false;
	mutex_unlock(&conn->data_lock);

	/* Before the unacknowledged writes complete: fencing may hold them. */
	if (was_up)
		hd_fence_link_lost(res);
	/* Before stopping the resync worker: it may wait for one of these. */
	hd_req_fail_net(res->dev);
	hd_rread_fail_all(res->dev);
	hd_resync_stop(conn);
	hd_verify_stop(conn);
	if (conn->receiver)
		kthread_stop(conn->receiver);
	if (conn->asender)
		kthread_stop(conn->asender);
	conn->receiver = NULL;
	conn->asender = NULL;
	wait_event(conn->peer_wq, !atomic_read(&conn->peer_inflight));
	cancel_work_sync(&conn->ack_work);
	hd_drop_acks(conn);
	hd_resync_cleanup(conn);
	atomic_set(&conn->dg_inflight, 0);
	spin_lock_irq(&res->lock);
	res->verify_running = false;
	spin_unlock_irq(&res->lock);
	close_channels(conn);

	spin_lock_irq(&res->lock);
	/*
	 * A Primary that lost its peer starts a new data generation when its
	 * data first differs from the peer's: now, if writes were left
	 * unacknowledged, or else at its first write (req.c). Writes frozen
	 * by fencing were acknowledged to nobody: the generation waits for
	 * the thaw (fence.c), so a node powered off while frozen returns as
	 * a crashed Primary, not as one side of a split brain.
	 */
	conn->rs.sb_victim = false;
	conn->rs.sb_winner = false;
	lost_primary = was_up && res->role == HADISK_ROLE_PRIMARY;
	/* Its generation, if one starts, is the older one (sbpolicy.c). */
	if (lost_primary)
		res->pri_at_split = true;
	if (was_up && res->role == HADISK_ROLE_PRIMARY &&
	    res->disk == HADISK_DISK_UPTODATE) {
		if (res->dev->oos_blocks && !res->io_frozen)
			hd_uuid_new_generation(&res->uuids,
					       get_random_u64() | 1);
		else
			res->gen_pending = true;
	}
	res->peer_role = HADISK_ROLE_UNKNOWN;
	res->peer_disk = HADISK_DISK_UNKNOWN;
	res->cstate = HADISK_CONN_CONNECTING;
	spin_unlock_irq(&res->lock);
	if (was_up)
		hd_state_changed(res, "disconnected");
	return lost_primary;
}

/*
 * Kicked: the target's bitmap arrived (start the bitmap-based resync), or
 * a state change (a forced promotion, an invalidation) calls for a sync.
 */
static void conn_check_resync(struct hd_conn *conn)
{
	struct hd_resource *res = conn->res;
	enum hd_sync_decision d;
	bool full = atomic_xchg(&conn->want_full, 0);
	bool want = atomic_xchg(&conn->want_resync, 0);

	if (atomic_xchg(&conn->want_pull, 0)) {
		hd_pull_start(conn);
		return;
	}

	if (atomic_read(&conn->bitmap_in) && conn->rs.sb_victim) {
		atomic_set(&conn->bitmap_in, 0);
		sb_save_and_go(conn);
		return;
	}
	if (atomic_xchg(&conn->bitmap_in, 0) && !full) {
		spin_lock_irq(&res->lock);
		d = res->cstate == HADISK_CONN_SYNC_SOURCE && !conn->rs.task ?
			conn->rs.decision : HD_SYNC_NONE;
		spin_unlock_irq(&res->lock);
		if (d == HD_SYNC_SOURCE_BITMAP)
			hd_resync_start(conn, false);
		return;
	}
	spin_lock_irq(&res->lock);
	/* A Primary with an Inconsistent disk pulls instead (detach.c). */
	if (res->cstate != HADISK_CONN_CONNECTED ||
	    (res->peer_role == HADISK_ROLE_PRIMARY &&
	     res->peer_disk == HADISK_DISK_INCONSISTENT)) {
		spin_unlock_irq(&res->lock);
		return;
	}
	d = full ? HD_SYNC_SOURCE_FULL :
		want ? HD_SYNC_SOURCE_BITMAP :
		hd_sync_decide(&res->uuids, res->disk, &res->peer_uuids,
			       res->peer_disk);
	if (!hd_sync_is_source(d)) {
		spin_unlock_irq(&res->lock);
		return;
	}
	res->cstate = HADISK_CONN_SYNC_SOURCE;
	res->peer_disk = HADISK_DISK_INCONSISTENT;
	spin_unlock_irq(&res->lock);
	hd_resync_stop(conn);
	if (d == HD_SYNC_SOURCE_FULL)
		hd_bm_mark_all(res->dev);
	hd_resync_start(conn, d == HD_SYNC_SOURCE_FULL);
}

void hd_conn_kick(struct hd_conn *conn)
{
	atomic_set(&conn->kick, 1);
	wake_up(&conn->fail_wq);
}

static int hd_conn_worker(void *arg)
{
	struct hd_conn *conn = arg;
	struct hd_resource *res = conn->res;
	struct hd_hello_info peer;
	char why[HADISK_ERROR_MAX];
	int err;

	while (!kthread_should_stop()) {
		why[0] = 0;
		atomic_set(&conn->failed, 0);
		if (res->node_id < res->peer_node_id)
			err = conn_connect(conn, &peer, why, sizeof(why));
		else
			err = conn_accept(conn, &peer, why, sizeof(why));
		if (err) {
			if (err != -EINTR)
				conn_refused(conn, why);
			schedule_timeout_interruptible(
				msecs_to_jiffies(conn->connect_interval_ms));
			continue;
		}
		conn->last_rx = jiffies;
		conn->receiver = kthread_run(hd_receiver_fn, conn, "hadisk_r/%s",
					     res->name);
		if (IS_ERR(conn->receiver)) {
			conn->receiver = NULL;
			hd_conn_fail(conn, "cannot start the receiver thread");
		}
		conn->asender = kthread_run(hd_asender_fn, conn, "hadisk_a/%s",
					    res->name);
		if (IS_ERR(conn->asender)) {
			conn->asender = NULL;
			hd_conn_fail(conn, "cannot start the ack thread");
		}
		err = 0;
		if (!atomic_read(&conn->failed)) {
			err = conn_enter(conn, &peer, why, sizeof(why));
			if (err) {
				conn_refused(conn, why);
				atomic_set(&conn->failed, 1);
			} else {
				hd_state_changed(res, "connected");
			}
		}
		for (;;) {
			wait_event_idle(conn->fail_wq,
					atomic_read(&conn->failed) ||
					atomic_read(&conn->kick) ||
					kthread_should_stop());
			if (atomic_read(&conn->failed) || kthread_should_stop())
				break;
			if (atomic_xchg(&conn->kick, 0))
				conn_check_resync(conn);
		}
		if (conn_teardown(conn))
			hd_fence_after_loss(res);
		/* Refused after the handshake (split brain...): no tight retry. */
		if (err)
			schedule_timeout_interruptible(
				msecs_to_jiffies(conn->connect_interval_ms));
	}
	return 0;
}

int hd_conn_init(struct hd_conn *conn, struct hd_resource *res)
{
	conn->res = res;
	conn->tops = &hd_tcp_ops;
	mutex_init(&conn->data_lock);
	mutex_init(&conn->meta_lock);
	mutex_init(&conn->verify_lock);
	init_waitqueue_head(&conn->fail_wq);
	init_waitqueue_head(&conn->peer_wq);
	init_waitqueue_head(&conn->rs.wq);
	init_llist_head(&conn->acks);
	INIT_WORK(&conn->ack_work, hd_ack_work_fn);
	conn->next_id = 1;
	conn->ack_buf = kmalloc(HD_ACK_BUF_SIZE, GFP_KERNEL);
	conn->rs.bm_buf = kmalloc_array(HD_BITMAP_MAX_RUNS,
					sizeof(struct hd_bm_run), GFP_KERNEL);
	if (!conn->ack_buf || !conn->rs.bm_buf) {
		kfree(conn->ack_buf);
		kfree(conn->rs.bm_buf);
		return -ENOMEM;
	}
	/* crc32c for verify and checksum resync; optional */
	conn->csum_tfm = crypto_alloc_shash("crc32c", 0, 0);
	if (IS_ERR(conn->csum_tfm))
		conn->csum_tfm = NULL;
	conn->ack_wq = alloc_workqueue("hadisk_ack/%s",
				       WQ_MEM_RECLAIM | WQ_HIGHPRI, 1,
				       res->name);
	if (!conn->ack_wq) {
		if (conn->csum_tfm)
			crypto_free_shash(conn->csum_tfm);
		kfree(conn->ack_buf);
		kfree(conn->rs.bm_buf);
		return -ENOMEM;
	}
	return 0;
}

void hd_conn_destroy(struct hd_conn *conn)
{
	hd_transport_put(conn->tops);
	if (conn->hmac_tfm)
		crypto_free_shash(conn->hmac_tfm);
	destroy_workqueue(conn->ack_wq);
	if (conn->csum_tfm)
		crypto_free_shash(conn->csum_tfm);
	kfree(conn->ack_buf);
	kfree(conn->rs.bm_buf);
}

/*
 * CONNECT: the configuration is in place; listen if we accept, and start
 * the worker. Caller holds hn->lock.
 */
int hd_conn_start(struct hd_conn *conn, struct netlink_ext_ack *extack)
{
	struct hd_resource *res = conn->res;
	int err;

	if (res->node_id > res->peer_node_id) {
		err = conn->tops->listen(res->hn->net, &conn->local_addr,
					 conn->addr_len, &conn->listener);
		if (err) {
			char why[HADISK_ERROR_MAX];

			if (!conn->tops->explain ||
			    !conn->tops->explain(res->hn->net, &conn->local_addr,
						 NULL, err, why, sizeof(why)))
				snprintf(why, sizeof(why),
					 "cannot listen on %pISpc: %s",
					 &conn->local_addr, hd_errname(err));
			NL_SET_ERR_MSG_FMT(extack, "%s", why);
			hd_set_error(res, "%s", why);
			return err;
		}
	}
	conn->worker = kthread_run(hd_conn_worker, conn, "hadisk_w/%s",
				   res->name);
	if (IS_ERR(conn->worker)) {
		err = PTR_ERR(conn->worker);
		conn->worker = NULL;
		if (conn->listener)
			conn->tops->unlisten(conn->listener);
		conn->listener = NULL;
		NL_SET_ERR_MSG(extack, "cannot start the connection thread");
		return err;
	}
	conn->configured = true;
	hd_set_cstate(res, HADISK_CONN_CONNECTING, "connecting");
	return 0;
}

/* DISCONNECT: stop everything; back to StandAlone. Caller holds hn->lock. */
void hd_conn_stop(struct hd_conn *conn)
{
	if (!conn->configured)
		return;
	kthread_stop(conn->worker);
	conn->worker = NULL;
	if (conn->listener)
		conn->tops->unlisten(conn->listener);
	conn->listener = NULL;
	conn->configured = false;
	hd_set_cstate(conn->res, HADISK_CONN_STANDALONE, "standalone");
}
