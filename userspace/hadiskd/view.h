/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cluster as this node sees it, shared between hadiskd's threads with
 * RCU (liburcu, memb flavour).
 *
 * Locking: the current view is one immutable struct hd_view reached by
 * an RCU pointer. Readers (every thread) copy what they need inside
 * rcu_read_lock(), or take a whole snapshot with hd_view_get(). Writers
 * (the heartbeat thread: paths, peer, witness answers; the netlink thread:
 * the kernel's state; the decision loop and the actions: token, services)
 * go through hd_view_update(): under view_lock it copies the current view,
 * lets the caller change the copy, publishes it with rcu_assign_pointer()
 * and frees the old one with call_rcu() after a grace period. view_lock
 * only orders writers; no reader ever takes it. Every thread that reads
 * registers with rcu_register_thread() first.
 */
#ifndef HADISKD_VIEW_H
#define HADISKD_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "dconf.h"
#include "hbproto.h"
#include "policy.h"

struct hd_vpath {
	uint64_t last_us;	/* last datagram heard here, 0: never */
	uint64_t rtt_us;	/* last round trip, 0: not measured */
	uint64_t rx, tx, tx_err;
	bool up;
};

enum hd_fence_state {
	HD_FENCE_NONE,
	HD_FENCE_RUNNING,	/* event fence-peer-started */
	HD_FENCE_DONE,		/* fence-peer-done */
	HD_FENCE_FAILED,	/* fence-peer-failed */
};

struct hd_vres {
	char name[HD_DCONF_NAME_MAX + 1];
	/* the kernel's state (netlink thread) */
	bool in_kernel;
	uint8_t role, disk, conn, peer_role, peer_disk;
	uint64_t oos_bytes;
	int kfencing;		/* HADISK_FENCING_*, -1: not reported */
	uint8_t fence;		/* enum hd_fence_state: the last fence-peer */
	uint64_t fence_us;	/* when its event arrived */
	char last_error[128];	/* the kernel's, "" if none */
	/* the peer's state, from its last heartbeat (heartbeat thread) */
	bool peer_known;
	struct hd_hb_res peer;
	/* the witness's last answer (heartbeat thread) */
	uint8_t wit_reply;		/* HD_HB_GRANT, HD_HB_DENY or 0 */
	uint64_t wit_reply_us;		/* when it arrived */
	uint64_t wit_sent_us;		/* when the request it answers left */
	uint32_t wit_lease_ms;		/* granted, or the holder's time left */
	char wit_holder[HD_HB_NAME + 1];
	uint64_t lease_until_us;	/* our lease is valid before this */
	/* the decision loop and actions */
	bool active;			/* this node holds the active token */
	bool services_up;		/* start hook ran and succeeded */
	bool ip_up;
	char last_action[160];
	char recommendation[160];
};

struct hd_view {
	uint64_t version;		/* +1 per update */
	uint64_t started_us;
	bool kernel_up;
	bool peer_lost;
	uint64_t peer_last_us;		/* 0: never heard */
	char peer_node[HD_HB_NAME + 1];	/* as it names itself */
	struct hd_vpath paths[HD_DCONF_MAX_PATHS];
	unsigned int npaths;
	uint64_t witness_last_us;	/* last answer of the witness */
	struct hd_vres res[HD_DCONF_MAX_RES];
	unsigned int nres;
};

/* Publishes the first view: the configuration's resources, all unknown. */
int hd_view_init(const struct hd_dconf *c, uint64_t now_us);

/* A copy of the current view (under rcu_read_lock()). */
void hd_view_get(struct hd_view *out);

/* Changes the view: fn edits a private copy, which is then published. */
void hd_view_update(void (*fn)(struct hd_view *v, void *arg), void *arg);

/* Frees the view at exit, after rcu_barrier(). */
void hd_view_exit(void);

/* The index of resource name in v, or -1. */
int hd_view_res(const struct hd_view *v, const char *name);

/* Monotonic clock, µs. */
uint64_t hd_now_us(void);

#endif /* HADISKD_VIEW_H */
