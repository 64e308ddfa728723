// SPDX-License-Identifier: GPL-2.0
/*
 * Resources: creation, lookup, roles, destruction, and the per-namespace
 * list they live in. The object model and its locks are described in
 * resource.h. Every function here that changes a resource is called with
 * hn->lock held (netlink handlers, namespace exit).
 *
 * Roles: Secondary (the default) and Primary. Promotion needs an UpToDate
 * disk, or force, which declares the local data good and starts a new
 * data generation. A node promoted while not connected starts a new
 * generation at its first write (res->gen_pending, see hd_new_generation),
 * so the peer is resynced from its bitmap on reconnect, and a node that
 * was promoted but wrote nothing has not diverged from its peer.
 * Demotion is refused while /dev/hadiskN is open, and it takes
 * dev->open_lock so that no write open slips in between.
 */
#include <linux/slab.h>
#include <linux/random.h>
#include <linux/kthread.h>
#include <net/netns/generic.h>
#include "resource.h"
#include "conn.h"
#include "device.h"
#include "sender.h"
#include "netlink.h"
#include "meta.h"
#include "bitmap.h"
#include "fence.h"
#include "hook.h"
#include <hadisk/wire.h>

void hd_set_error(struct hd_resource *res, const char *fmt, ...)
{
	va_list ap;

	spin_lock_irq(&res->lock);
	va_start(ap, fmt);
	vsnprintf(res->last_error, sizeof(res->last_error), fmt, ap);
	va_end(ap);
	spin_unlock_irq(&res->lock);
}

void hd_clear_error(struct hd_resource *res)
{
	spin_lock_irq(&res->lock);
	res->last_error[0] = 0;
	spin_unlock_irq(&res->lock);
}

/* Every state change: the superblock records it, listeners hear of it. */
void hd_state_changed(struct hd_resource *res, const char *event)
{
	hd_md_update(res);
	hd_nl_notify(res, event);
}

/*
 * The first write since the peer was lost: this node's data now differs
 * from the peer's, so a new data generation starts (state.c).
 */
void hd_new_generation(struct hd_resource *res)
{
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&res->lock, flags);
	if (res->gen_pending) {
		res->gen_pending = false;
		hd_uuid_new_generation(&res->uuids, get_random_u64() | 1);
		done = true;
	}
	spin_unlock_irqrestore(&res->lock, flags);
	if (done) {
		hd_md_update_async(res);
		pr_info("hadisk %s: writing without the peer: new data generation\n",
			res->name);
	}
}

struct hd_resource *hd_resource_find(struct hd_net *hn, const char *name)
{
	struct hd_resource *res;

	list_for_each_entry(res, &hn->resources, list)
		if (!strcmp(res->name, name))
			return res;
	return NULL;
}

struct hd_resource *hd_resource_create(struct hd_net *hn, const char *name,
				       u32 node_id, u32 peer_node_id)
{
	struct hd_resource *res;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return NULL;
	res->hn = hn;
	strscpy(res->name, name, sizeof(res->name));
	res->node_id = node_id;
	res->peer_node_id = peer_node_id;
	spin_lock_init(&res->lock);
	hd_fence_init(res);
	res->role = HADISK_ROLE_SECONDARY;
	res->peer_role = HADISK_ROLE_UNKNOWN;
	res->disk = HADISK_DISK_DISKLESS;
	res->peer_disk = HADISK_DISK_UNKNOWN;
	res->cstate = HADISK_CONN_STANDALONE;
	if (hd_conn_init(&res->conn, res)) {
		kfree(res);
		return NULL;
	}
	list_add_tail(&res->list, &hn->resources);
	return res;
}

void hd_resource_destroy(struct hd_resource *res)
{
	list_del(&res->list);
	hd_fence_stop(res);
	hd_conn_destroy(&res->conn);
	hd_hooks_free(res);
	kfree(res);
}

static bool connected(struct hd_resource *res)
{
	return res->cstate == HADISK_CONN_CONNECTED ||
	       res->cstate == HADISK_CONN_SYNC_SOURCE ||
	       res->cstate == HADISK_CONN_SYNC_TARGET;
}

int hd_resource_primary(struct hd_resource *res, bool force,
			struct netlink_ext_ack *extack)
{
	struct hd_device *dev = res->dev;
	bool was_forced = false, link, fence;
	int err;

	if (!dev) {
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s has no disk: attach one first ('hadiskctl attach %s')",
				   res->name, res->name);
		return -ENODEV;
	}
	/* The peer is unknown: fence it first if so configured (fence.c). */
	spin_lock_irq(&res->lock);
	fence = !force && !connected(res) && res->role != HADISK_ROLE_PRIMARY &&
		res->disk == HADISK_DISK_UPTODATE;
	spin_unlock_irq(&res->lock);
	if (fence) {
		err = hd_fence_for_promotion(res, extack);
		if (err)
			return err;
	}
	spin_lock_irq(&res->lock);
	if (res->role == HADISK_ROLE_PRIMARY) {
		spin_unlock_irq(&res->lock);
		return 0;
	}
	if (res->peer_role == HADISK_ROLE_PRIMARY) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "the peer %s is Primary: demote it first ('hadiskctl secondary %s' there); two Primaries are not supported",
				   res->peer_name, res->name);
		return -EBUSY;
	}
	if (res->cstate == HADISK_CONN_SYNC_TARGET) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "a resync from %s into this node is running and its data is incomplete: wait for it ('hadiskctl wait-sync %s')",
				   res->peer_name, res->name);
		return -EBUSY;
	}
	if (res->disk == HADISK_DISK_OUTDATED && !force) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "local data is Outdated (marked by the peer's fencing or 'hadiskctl outdate'): it may lack writes %s made; connect to %s to sync, or use --force if %s's data is lost for good",
				   res->peer_name, res->peer_name, res->peer_name);
		return -EROFS;
	}
	if (res->disk != HADISK_DISK_UPTODATE && !force) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "local data is %s, not UpToDate: the node may hold stale or incomplete data; sync it from an UpToDate peer, or use --force to declare this node's data good (the peer's data will be overwritten by it)",
				   hd_disk_name(res->disk));
		return -EROFS;
	}
	link = connected(res);
	if (res->disk != HADISK_DISK_UPTODATE) {
		res->disk = HADISK_DISK_UPTODATE;
		was_forced = true;
		if (!res->uuids.cur)
			res->uuids.cur = get_random_u64() | 1;
		else
			hd_uuid_new_generation(&res->uuids,
					       get_random_u64() | 1);
	} else if (!link) {
		res->gen_pending = true;
	}
	res->role = HADISK_ROLE_PRIMARY;
	spin_unlock_irq(&res->lock);

	pr_info("hadisk %s: promoted to Primary%s\n", res->name,
		was_forced ? " (forced: local data declared UpToDate)" : "");
	if (link) {
		hd_send_state(&res->conn);
		if (was_forced)
			hd_conn_kick(&res->conn);
	}
	hd_state_changed(res, "role-changed");
	return 0;
}

int hd_resource_secondary(struct hd_resource *res,
			  struct netlink_ext_ack *extack)
{
	struct hd_device *dev = res->dev;

	if (dev) {
		mutex_lock(&dev->open_lock);
		if (dev->open_count) {
			mutex_unlock(&dev->open_lock);
			NL_SET_ERR_MSG_FMT(extack,
					   "/dev/hadisk%d is open (mounted or in use by a program): unmount or close it first",
					   dev->minor);
			return -EBUSY;
		}
	}
	spin_lock_irq(&res->lock);
	res->role = HADISK_ROLE_SECONDARY;
	spin_unlock_irq(&res->lock);
	if (dev)
		mutex_unlock(&dev->open_lock);
	pr_info("hadisk %s: demoted to Secondary\n", res->name);
	spin_lock_irq(&res->lock);
	if (connected(res)) {
		spin_unlock_irq(&res->lock);
		hd_send_state(&res->conn);
	} else {
		spin_unlock_irq(&res->lock);
	}
	hd_state_changed(res, "role-changed");
	return 0;
}

static int need_disk(struct hd_resource *res, struct netlink_ext_ack *extack)
{
	if (res->dev)
		return 0;
	NL_SET_ERR_MSG_FMT(extack, "resource %s has no disk attached",
			   res->name);
	return -ENODEV;
}

/* INVALIDATE: our data is bad; take everything from the peer. */
int hd_resource_invalidate(struct hd_resource *res,
			   struct netlink_ext_ack *extack)
{
	int err = need_disk(res, extack);
	bool link;

	if (err)
		return err;
	spin_lock_irq(&res->lock);
	if (res->role == HADISK_ROLE_PRIMARY) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "this node is Primary: demote it ('hadiskctl secondary %s') before discarding its data",
				   res->name);
		return -EBUSY;
	}
	if (res->cstate == HADISK_CONN_SYNC_SOURCE ||
	    res->cstate == HADISK_CONN_SYNC_TARGET) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG(extack, "a resync is running: wait for it to finish");
		return -EBUSY;
	}
	res->disk = HADISK_DISK_INCONSISTENT;
	res->uuids.cur = 0;
	res->uuids.bitmap = 0;
	link = connected(res);
	spin_unlock_irq(&res->lock);
	pr_info("hadisk %s: local data invalidated: a full sync from the peer follows\n",
		res->name);
	hd_state_changed(res, "invalidated");
	if (link)
		hd_send_state(&res->conn);
	return 0;
}

/* INVALIDATE_REMOTE: the peer's data is bad; send it everything. */
int hd_resource_invalidate_remote(struct hd_resource *res,
				  struct netlink_ext_ack *extack)
{
	int err = need_disk(res, extack);

	if (err)
		return err;
	spin_lock_irq(&res->lock);
	if (res->cstate != HADISK_CONN_CONNECTED) {
		err = -ENOTCONN;
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s must be Connected (it is %s) to resync the peer",
				   res->name, hd_conn_name(res->cstate));
	} else if (res->disk != HADISK_DISK_UPTODATE) {
		err = -EINVAL;
		NL_SET_ERR_MSG(extack,
			       "the local data is not UpToDate: it cannot replace the peer's");
	} else if (res->peer_role == HADISK_ROLE_PRIMARY) {
		err = -EBUSY;
		NL_SET_ERR_MSG(extack,
			       "the peer is Primary: demote it before replacing its data");
	}
	spin_unlock_irq(&res->lock);
	if (err)
		return err;
	pr_info("hadisk %s: peer's data invalidated: full sync to %s\n",
		res->name, res->peer_name);
	atomic_set(&res->conn.want_full, 1);
	hd_conn_kick(&res->conn);
	return 0;
}

/*
 * NEW_CURRENT_UUID [clear]: a new data generation; with clear, two new
 * identical disks become UpToDate without a sync.
 */
int hd_resource_new_uuid(struct hd_resource *res, bool clear,
			 struct netlink_ext_ack *extack)
{
	struct hd_device *dev = res->dev;
	int err = need_disk(res, extack);

	if (err)
		return err;
	spin_lock_irq(&res->lock);
	if (clear && (res->cstate != HADISK_CONN_CONNECTED ||
		      res->disk != HADISK_DISK_INCONSISTENT ||
		      res->peer_disk != HADISK_DISK_INCONSISTENT ||
		      res->role == HADISK_ROLE_PRIMARY ||
		      res->peer_role == HADISK_ROLE_PRIMARY)) {
		err = -EINVAL;
		NL_SET_ERR_MSG(extack,
			       "--clear-bitmap is for two new disks: both nodes Connected, Secondary and Inconsistent");
	} else if (!clear && (connected(res) ||
			      res->disk != HADISK_DISK_UPTODATE)) {
		err = -EINVAL;
		NL_SET_ERR_MSG(extack,
			       "a new data generation needs an UpToDate disk and no connection");
	}
	if (err) {
		spin_unlock_irq(&res->lock);
		return err;
	}
	if (clear) {
		res->uuids.cur = get_random_u64() | 1;
		res->uuids.bitmap = 0;
		res->disk = HADISK_DISK_UPTODATE;
		res->peer_disk = HADISK_DISK_UPTODATE;
	} else {
		hd_uuid_new_generation(&res->uuids, get_random_u64() | 1);
	}
	spin_unlock_irq(&res->lock);
	if (clear) {
		spin_lock_irq(&dev->req_lock);
		if (hd_bm_clear(dev->bm, 0, dev->bm_bits - 1))
			hd_md_bm_dirty(dev, 0, dev->bm_bits - 1);
		dev->oos_blocks = 0;
		spin_unlock_irq(&dev->req_lock);
		hd_send_state_flags(&res->conn, HD_STATE_F_SKIP_SYNC);
		pr_info("hadisk %s: new data generation, initial sync skipped (--clear-bitmap)\n",
			res->name);
	}
	hd_state_changed(res, "new-current-uuid");
	return 0;
}

/* Namespace exit: everything goes, open or not. */
void hd_net_teardown(struct hd_net *hn)
{
	struct hd_resource *res, *tmp;

	mutex_lock(&hn->lock);
	list_for_each_entry_safe(res, tmp, &hn->resources, list) {
		hd_conn_stop(&res->conn);
		if (res->dev) {
			res->role = HADISK_ROLE_SECONDARY;
			hd_device_detach(res, true, NULL);
		}
		hd_resource_destroy(res);
	}
	mutex_unlock(&hn->lock);
}
