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
	if (done)
		pr_info("hadisk %s: writing without the peer: new data generation\n",
			res->name);
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
	hd_conn_destroy(&res->conn);
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
	bool was_forced = false, link;

	if (!dev) {
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s has no disk: attach one first ('hadiskctl attach %s')",
				   res->name, res->name);
		return -ENODEV;
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
	hd_nl_notify(res, "role-changed");
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
	hd_nl_notify(res, "role-changed");
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
