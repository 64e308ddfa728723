/* SPDX-License-Identifier: GPL-2.0 */
/* Fencing, the persistent Outdated state and asynchronous hooks. */
#ifndef HD_FENCE_H
#define HD_FENCE_H

#include <net/netlink.h>
#include "hook.h"

struct hd_resource;

void hd_fence_init(struct hd_resource *res);
void hd_fence_stop(struct hd_resource *res);
/* The link to the peer was lost while Primary: before hd_req_fail_net. */
void hd_fence_link_lost(struct hd_resource *res);
/* After the teardown, from the connection worker: fence if configured. */
void hd_fence_after_loss(struct hd_resource *res);
/* Connected (conn_enter succeeded): frozen IO goes on. */
void hd_fence_connected(struct hd_resource *res);
/* In sync with the peer again: the unfence-peer hook, once. */
void hd_fence_in_sync(struct hd_resource *res);
/* PRIMARY with the peer unknown: 0 (go on), or -EINPROGRESS (fencing). */
int hd_fence_for_promotion(struct hd_resource *res,
			   struct netlink_ext_ack *extack);
int hd_resource_outdate(struct hd_resource *res,
			struct netlink_ext_ack *extack);
int hd_resource_resume_io(struct hd_resource *res,
			  struct netlink_ext_ack *extack);
/* Run a hook that nobody waits for (after-resync-target, io error). */
void hd_hook_async(struct hd_resource *res, enum hd_hook_kind kind);

#endif /* HD_FENCE_H */
