// SPDX-License-Identifier: GPL-2.0
/*
 * Fencing (disk { fencing ...; }), the persistent Outdated state and the
 * hooks nobody waits for.
 *
 * A Primary that loses its peer, with fencing configured, runs the
 * fence-peer hook from the connection worker once the link is torn down.
 * Under resource-and-stonith its application writes are frozen first
 * (hd_fence_link_lost(), before the unacknowledged writes complete), so
 * the application sees no completion the peer may lack until the hook
 * has fenced the peer. The hook's verdict (exit code, uapi HADISK_FENCE_*):
 * 3, 4, 5 or 7: the peer cannot be Primary with older data; this node
 * records it (res->peer_fenced, persistent as HD_MDF_PEER_OUTDATED) and
 * frozen writes go on. Anything else: writes stay frozen (status,
 * last_error) until the peer reconnects or RESUME_IO.
 *
 * Promotion while the peer is unknown, with fencing configured and the
 * peer not yet fenced: PRIMARY answers -EINPROGRESS and fence_work runs
 * the hook; on success it promotes (hd_resource_primary() without
 * hn->lock: detach and destroy cancel fence_work first, res->lock guards
 * the role). On failure the node stays Secondary.
 *
 * Back in sync with the peer: peer_fenced is cleared and the unfence-peer
 * hook runs (asynchronously, hook_work).
 *
 * Locks: res->lock for the flags; fence_lock serializes fence-peer runs
 * (the worker's and fence_work's). No lock is held while a hook runs.
 */
#include <linux/workqueue.h>
#include "fence.h"
#include "hook.h"
#include "resource.h"
#include "req.h"
#include "netlink.h"

static bool fence_ok(int rc)
{
	return rc == HADISK_FENCE_PEER_INCONSISTENT ||
	       rc == HADISK_FENCE_PEER_OUTDATED ||
	       rc == HADISK_FENCE_PEER_UNREACHABLE ||
	       rc == HADISK_FENCE_PEER_FENCED;
}

static const char *fence_verdict(int rc)
{
	switch (rc) {
	case HADISK_FENCE_PEER_INCONSISTENT:
		return "the peer is Inconsistent";
	case HADISK_FENCE_PEER_OUTDATED:
		return "the peer is Outdated";
	case HADISK_FENCE_PEER_UNREACHABLE:
		return "the peer is unreachable, assumed dead";
	case HADISK_FENCE_PEER_PRIMARY:
		return "the peer is Primary";
	case HADISK_FENCE_PEER_FENCED:
		return "the peer is fenced (powered off)";
	case 0:
		return "exit code 0 is no verdict";
	}
	return rc < 0 ? "the hook did not run to the end" :
			"not a valid verdict";
}

/* Runs fence-peer unless the peer is fenced already. Sleeps. */
static bool run_fence(struct hd_resource *res, const char *why)
{
	char msg[HADISK_ERROR_MAX];
	bool ok;
	int rc;

	mutex_lock(&res->fence_lock);
	spin_lock_irq(&res->lock);
	if (res->peer_fenced) {
		spin_unlock_irq(&res->lock);
		mutex_unlock(&res->fence_lock);
		return true;
	}
	res->fence_running = true;
	spin_unlock_irq(&res->lock);
	pr_info("hadisk %s: fencing the peer %s (%s)\n", res->name,
		res->peer_name, why);
	hd_nl_notify(res, "fence-peer-started");
	rc = hd_hook_run(res, HD_HOOK_FENCE_PEER, NULL, msg, sizeof(msg));
	ok = fence_ok(rc);
	spin_lock_irq(&res->lock);
	res->fence_running = false;
	if (ok)
		res->peer_fenced = true;
	spin_unlock_irq(&res->lock);
	if (ok) {
		pr_info("hadisk %s: %s: %s\n", res->name, msg, fence_verdict(rc));
		hd_clear_error(res);
		hd_state_changed(res, "fence-peer-done");
	} else {
		pr_warn("hadisk %s: fencing the peer %s failed: %s: %s\n",
			res->name, res->peer_name, msg, fence_verdict(rc));
		hd_set_error(res, "fencing the peer failed: %s: %s", msg,
			     fence_verdict(rc));
		hd_state_changed(res, "fence-peer-failed");
	}
	mutex_unlock(&res->fence_lock);
	return ok;
}

static void thaw(struct hd_resource *res, const char *why)
{
	bool was;

	spin_lock_irq(&res->lock);
	was = res->io_frozen;
	res->io_frozen = false;
	spin_unlock_irq(&res->lock);
	if (!was || !res->dev)
		return;
	/* The held writes complete now: our data differs from the peer's. */
	if (hd_bm_oos_bytes(res->dev))
		hd_new_generation(res);
	hd_io_thaw(res->dev);
	pr_info("hadisk %s: IO resumed: %s\n", res->name, why);
	hd_state_changed(res, "io-resumed");
}

static void fence_work_fn(struct work_struct *work)
{
	struct hd_resource *res = container_of(work, struct hd_resource,
					       fence_work);
	bool ok = run_fence(res, "promotion while the peer is unknown");
	bool promote;

	spin_lock_irq(&res->lock);
	promote = res->promote_after_fence;
	res->promote_after_fence = false;
	spin_unlock_irq(&res->lock);
	if (!promote)
		return;
	if (ok)
		hd_resource_primary(res, false, NULL);
	else
		pr_warn("hadisk %s: not promoted: the peer could not be fenced\n",
			res->name);
}

static void hook_work_fn(struct work_struct *work)
{
	struct hd_resource *res = container_of(work, struct hd_resource,
					       hook_work);
	char msg[HADISK_ERROR_MAX];
	int kind, rc;

	for (kind = 0; kind < HD_HOOK_NR; kind++) {
		if (!test_and_clear_bit(kind, &res->hook_pending))
			continue;
		rc = hd_hook_run(res, kind, NULL, msg, sizeof(msg));
		if (rc == HD_HOOK_NO_HOOK)
			continue;
		if (rc)
			pr_warn("hadisk %s: %s\n", res->name, msg);
		else
			pr_info("hadisk %s: %s\n", res->name, msg);
	}
}

void hd_hook_async(struct hd_resource *res, enum hd_hook_kind kind)
{
	if (!test_and_set_bit(kind, &res->hook_pending))
		queue_work(system_long_wq, &res->hook_work);
}

void hd_fence_init(struct hd_resource *res)
{
	mutex_init(&res->fence_lock);
	INIT_WORK(&res->fence_work, fence_work_fn);
	INIT_WORK(&res->hook_work, hook_work_fn);
}

/* Detach, destroy: nothing of ours may run on. Sleeps. */
void hd_fence_stop(struct hd_resource *res)
{
	cancel_work_sync(&res->fence_work);
	cancel_work_sync(&res->hook_work);
	spin_lock_irq(&res->lock);
	res->promote_after_fence = false;
	spin_unlock_irq(&res->lock);
	thaw(res, "the disk is detached");
}

void hd_fence_link_lost(struct hd_resource *res)
{
	bool freeze;

	spin_lock_irq(&res->lock);
	freeze = res->dev && res->role == HADISK_ROLE_PRIMARY &&
		 res->ha.fencing == HADISK_FENCING_RESOURCE_AND_STONITH &&
		 !res->peer_fenced && !res->io_frozen;
	if (freeze)
		res->io_frozen = true;
	spin_unlock_irq(&res->lock);
	if (freeze) {
		hd_io_freeze(res->dev);
		pr_info("hadisk %s: IO frozen until the peer %s is fenced (resource-and-stonith)\n",
			res->name, res->peer_name);
	}
}

void hd_fence_after_loss(struct hd_resource *res)
{
	bool fence, frozen;

	spin_lock_irq(&res->lock);
	fence = res->ha.fencing != HADISK_FENCING_NONE && !res->peer_fenced &&
		res->role == HADISK_ROLE_PRIMARY;
	spin_unlock_irq(&res->lock);
	if (!fence)
		return;
	if (run_fence(res, "the link was lost while Primary")) {
		thaw(res, "the peer is fenced");
		return;
	}
	spin_lock_irq(&res->lock);
	frozen = res->io_frozen;
	spin_unlock_irq(&res->lock);
	if (frozen)
		pr_warn("hadisk %s: IO stays frozen: reconnect the peer, or make sure it is down and run 'hadiskctl resume-io %s'\n",
			res->name, res->name);
}

void hd_fence_connected(struct hd_resource *res)
{
	thaw(res, "the peer is connected again");
}

void hd_fence_in_sync(struct hd_resource *res)
{
	bool was;

	spin_lock_irq(&res->lock);
	was = res->peer_fenced;
	res->peer_fenced = false;
	res->pri_at_split = false;
	spin_unlock_irq(&res->lock);
	if (!was)
		return;
	pr_info("hadisk %s: the peer %s is in sync again: no longer fenced\n",
		res->name, res->peer_name);
	hd_hook_async(res, HD_HOOK_UNFENCE_PEER);
}

int hd_fence_for_promotion(struct hd_resource *res,
			   struct netlink_ext_ack *extack)
{
	u8 fencing;
	bool fenced, running;

	spin_lock_irq(&res->lock);
	fencing = res->ha.fencing;
	fenced = res->peer_fenced;
	running = res->fence_running || res->promote_after_fence;
	spin_unlock_irq(&res->lock);
	if (fencing == HADISK_FENCING_NONE || fenced)
		return 0;
	if (!hd_hook_configured(res, HD_HOOK_FENCE_PEER)) {
		NL_SET_ERR_MSG_FMT(extack,
				   "fencing is configured but no fence-peer hook: add 'fence-peer /path;' to the handlers section, or promote with --force");
		return -ENOLINK;
	}
	if (running) {
		NL_SET_ERR_MSG_FMT(extack,
				   "the fence-peer hook is already running for %s: this node becomes Primary if it succeeds",
				   res->name);
		return -EINPROGRESS;
	}
	spin_lock_irq(&res->lock);
	res->promote_after_fence = true;
	spin_unlock_irq(&res->lock);
	queue_work(system_long_wq, &res->fence_work);
	NL_SET_ERR_MSG_FMT(extack,
			   "the peer %s is not connected and fencing is on: the fence-peer hook runs first; this node becomes Primary when it reports the peer fenced, and stays Secondary if it fails",
			   res->peer_name);
	return -EINPROGRESS;
}

int hd_resource_outdate(struct hd_resource *res,
			struct netlink_ext_ack *extack)
{
	spin_lock_irq(&res->lock);
	if (!res->dev) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack, "resource %s has no disk attached",
				   res->name);
		return -ENODEV;
	}
	if (res->role == HADISK_ROLE_PRIMARY) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s is Primary here: a Primary cannot be outdated (demote it first)",
				   res->name);
		return -EBUSY;
	}
	if (res->cstate == HADISK_CONN_CONNECTED ||
	    res->cstate == HADISK_CONN_SYNC_SOURCE ||
	    res->cstate == HADISK_CONN_SYNC_TARGET) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "resource %s is connected to its peer: only a disconnected node can be outdated",
				   res->name);
		return -EISCONN;
	}
	if (res->disk != HADISK_DISK_UPTODATE &&
	    res->disk != HADISK_DISK_OUTDATED) {
		spin_unlock_irq(&res->lock);
		NL_SET_ERR_MSG_FMT(extack,
				   "the local data is %s: only UpToDate data can be outdated",
				   hd_disk_name(res->disk));
		return -EINVAL;
	}
	res->disk = HADISK_DISK_OUTDATED;
	spin_unlock_irq(&res->lock);
	pr_info("hadisk %s: data marked Outdated: promotion needs --force\n",
		res->name);
	hd_state_changed(res, "outdated");
	return 0;
}

int hd_resource_resume_io(struct hd_resource *res,
			  struct netlink_ext_ack *extack)
{
	bool frozen;

	spin_lock_irq(&res->lock);
	frozen = res->io_frozen;
	spin_unlock_irq(&res->lock);
	if (!frozen) {
		NL_SET_ERR_MSG_FMT(extack, "IO of %s is not frozen", res->name);
		return -EALREADY;
	}
	pr_warn("hadisk %s: IO resumed by the administrator without fencing the peer\n",
		res->name);
	thaw(res, "resume-io");
	return 0;
}
