/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hadisk object model.
 *
 * struct hd_net        one per network namespace (net_generic): the list of
 *                      resources of that namespace. Two nodes of a cluster
 *                      may live in one kernel, one per namespace.
 * struct hd_resource   a replicated volume: roles, disk and connection
 *                      states, generation identifiers; it embeds its
 *                      connection (struct hd_conn) and points to its device.
 * struct hd_device     /dev/hadiskN stacked on a backing device; the
 *                      out-of-sync bitmap and the requests in flight.
 * struct hd_conn       the replication link to the one peer: transport
 *                      channels, threads, resync state.
 *
 * Locks, outermost first:
 *   hn->lock (mutex)        the resource list and every admin operation in
 *                           the namespace (netlink handlers, namespace exit).
 *                           Never taken by the IO path or the link threads.
 *   conn->data_lock (mutex) sending on the data channel, conn->link_up and
 *                           conn->next_id. Taken by submitters and resync.
 *   conn->meta_lock (mutex) sending on the meta channel.
 *   res->lock (spinlock)    role, disk and connection states, identifiers,
 *                           last_error.
 *   dev->req_lock (spinlock, irq-safe) the in-flight interval list, the
 *                           bitmap and request state bits.
 *
 * Lifetimes: a resource is freed only by DEL_RESOURCE or namespace exit,
 * under hn->lock, after its connection is stopped and its device detached.
 * CONNECT needs an attached device and DETACH needs no connection, so the
 * link threads always see a device. The device is freed by the block
 * layer's free_disk callback after its last opener closed it.
 */
#ifndef HD_RESOURCE_H
#define HD_RESOURCE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/llist.h>
#include <linux/workqueue.h>
#include <linux/socket.h>
#include <linux/blkdev.h>
#include <linux/mempool.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include "uapi/linux/hadisk.h"
#include "state.h"
#include "transport.h"
#include "stats.h"
#include "fault.h"
#include <hadisk/wire.h>

#define HD_ACK_BATCH 32
#define HD_ACK_BUF_SIZE (HD_ACK_BATCH * 40)

struct hd_md;
struct hd_al;

struct hd_net {
	struct net *net;
	struct mutex lock;
	struct list_head resources;
};

/* Resync progress; fields under res->lock unless noted. */
struct hd_resync {
	u64 total_bytes;
	atomic64_t done_bytes;
	unsigned long start_jiffies;
	bool full;
	struct task_struct *task;	/* the source's worker, under hn->lock */
	wait_queue_head_t wq;		/* window space and acks */
	atomic_t inflight;		/* resync requests awaiting RS_ACK */
	int decision;			/* enum hd_sync_decision at connect */
	unsigned long win_start;	/* rate control window, worker only */
	u64 win_sent;
	u64 limit_bps;			/* the current limit, for status */
	void *bm_buf;			/* BITMAP packets, receiver only */
	bool sb_victim;			/* split brain: save, then bitmap */
	bool sb_winner;			/* split brain: our bitmap first */
};

struct hd_conn {
	struct hd_resource *res;

	/* configuration, written by CONNECT while no thread runs */
	bool configured;
	struct sockaddr_storage local_addr, peer_addr;
	int addr_len;
	u8 protocol;
	u32 ping_interval_ms, ping_timeout_ms, ack_timeout_ms;
	u32 connect_interval_ms;
	u64 rs_min_bps, rs_max_bps;	/* resync rate floor and ceiling */
	/*
	 * The transport, with a reference on its module (transport.c):
	 * changed by CONNECT under hn->lock while no thread runs; transport
	 * is its HADISK_TRANSPORT_* for status, read without a lock.
	 */
	const struct hd_transport_ops *tops;
	u8 transport;

	/* threads: worker under hn->lock; the others owned by the worker */
	struct task_struct *worker;
	struct task_struct *receiver;
	struct task_struct *asender;

	struct hd_listener *listener;
	struct hd_chan *data;
	struct hd_chan *meta;
	struct mutex data_lock;
	struct mutex meta_lock;
	bool link_up;			/* under data_lock; peeked at without */
	u64 next_id;			/* under data_lock */
	atomic_t failed;		/* the link is being torn down */
	atomic_t kick;			/* re-evaluate the sync direction */
	atomic_t bitmap_in;		/* the target's bitmap has arrived */
	atomic_t want_full;		/* invalidate-remote asked for a sync */
	atomic_t want_resync;		/* verify found blocks to resync */
	atomic_t want_pull;		/* a re-attached Primary pulls */
	bool csum_resync;		/* bitmap resyncs compare checksums */
	struct crypto_shash *csum_tfm;	/* crc32c, for digests */
	struct crypto_shash *hmac_tfm;	/* keyed with the shared secret, or
					 * NULL: no authentication (auth.c)
					 */
	u8 digest;			/* enum hadisk_digest (digest.c) */
	atomic64_t auth_failures;
	atomic64_t digest_errors;
	atomic_t dg_inflight;		/* digest requests awaiting a reply */
	struct mutex verify_lock;	/* verify_task */
	struct task_struct *verify_task;
	wait_queue_head_t fail_wq;
	u64 session;
	struct hd_hello_info hs_sent;	/* our data HELLO, worker only */

	/* acks from the peer-write completion path to the meta channel */
	struct llist_head acks;
	void *ack_buf;			/* HD_ACK_BUF_SIZE, under meta_lock */
	struct work_struct ack_work;
	struct workqueue_struct *ack_wq;

	atomic_t peer_inflight;		/* peer writes submitted here */
	wait_queue_head_t peer_wq;
	atomic_t epoch_done;		/* a write completed since last send */
	unsigned long last_rx;		/* jiffies, meta channel */

	atomic64_t bytes_sent;
	atomic64_t bytes_received;

	struct hd_resync rs;
};

/*
 * Split-brain, fencing and hook configuration, from CONNECT (under
 * hn->lock and res->lock; readers copy under res->lock, see hook.c).
 */
struct hd_ha_conf {
	u8 after_sb[3];			/* enum hadisk_after_sb */
	u32 discard_node;
	u8 fencing;			/* enum hadisk_fencing */
	u32 hook_timeout_ms;
	char *hooks[7];			/* HD_HOOK_NR paths, or NULL */
	char *save_helper;
	char *save_dir;
};

struct hd_resource {
	struct list_head list;
	struct hd_net *hn;
	char name[HADISK_RES_NAME_MAX];
	char node_name[HADISK_RES_NAME_MAX];
	char peer_name[HADISK_RES_NAME_MAX];
	u32 node_id;
	u32 peer_node_id;

	spinlock_t lock;
	u8 role;
	u8 peer_role;
	u8 disk;
	u8 peer_disk;
	u8 cstate;
	struct hd_uuids uuids;
	struct hd_uuids peer_uuids;
	bool gen_pending;		/* new generation at the next write */
	bool crashed_primary;		/* was Primary when it went down */
	/* online verify (verify.c), under lock but verify_done */
	u64 verify_total, verify_oos;
	atomic64_t verify_done;
	bool verify_running, verify_resync;
	char last_error[HADISK_ERROR_MAX];

	/* fencing and split brain (fence.c), under lock */
	struct hd_ha_conf ha;
	bool io_frozen;			/* application writes are held */
	bool peer_fenced;		/* peer Outdated or fenced; persistent */
	bool pri_at_split;		/* Primary when the link broke */
	bool promote_after_fence;	/* PRIMARY waits for fence_work */
	bool fence_running;
	bool discard_my_data;		/* one-shot, from CONNECT */
	bool sb_reported;		/* split-brain hook ran for this one */
	bool sb_save_failed;		/* until the next CONNECT */
	char last_save[HADISK_PATH_MAX];
	struct mutex fence_lock;	/* one fence-peer hook at a time */
	struct work_struct fence_work;	/* fence for a promotion */
	struct work_struct unfence_work;
	struct work_struct hook_work;	/* after-resync-target, io error */
	unsigned long hook_pending;	/* bits of enum hd_hook_kind */

	struct hd_device *dev;
	struct hd_conn conn;
};

/*
 * An interval in flight on the device: an application write or a resync
 * request. Under dev->req_lock in dev->inflight.
 */
struct hd_interval {
	struct list_head list;
	sector_t sector;
	u32 size;
	bool resync;			/* not an application write */
	u8 kind;			/* HD_IV_* when resync */
};

#define HD_IV_RS_DATA 1			/* struct hd_rs_req (resync.c) */
#define HD_IV_DIGEST 2			/* struct hd_dg_req (verify.c) */
#define HD_IV_PULL 3			/* struct hd_pull_req (detach.c) */

struct hd_device {
	struct hd_resource *res;
	int minor;
	struct gendisk *disk;
	struct block_device *backing;
	char backing_path[HADISK_PATH_MAX];
	sector_t sectors;
	struct bio_set bs;
	struct bio_set req_bs;		/* writes: struct hd_req in front of
					 * its clone (req.h)
					 */

	struct mutex open_lock;
	int open_count;
	bool dying;			/* under open_lock */

	spinlock_t req_lock;
	struct list_head inflight;	/* struct hd_interval */
	wait_queue_head_t conflict_wq;
	unsigned long *bm;		/* out-of-sync bitmap */
	u64 bm_bits;
	u64 oos_blocks;			/* set bits, under req_lock */
	bool frozen;			/* fencing holds writes, req_lock */
	struct bio_list frozen_new;	/* writes not started, req_lock */
	struct bio_list frozen_done;	/* completed, not ended, req_lock */

	struct hd_md *md;		/* on-disk metadata, or NULL */
	struct hd_al *al;		/* activity log, with md */
	unsigned long *bm_dirty;	/* bitmap pages to write back */
	struct workqueue_struct *md_wq;	/* metadata IO, deferred writes */
	spinlock_t al_lock;		/* al_deferred */
	struct list_head al_deferred;	/* writes waiting for an AL update */
	struct work_struct al_work;

	atomic_t bios_inflight;		/* every bio we submitted downwards */
	wait_queue_head_t idle_wq;
	atomic_t writes_pending;	/* application writes not completed */
	atomic_t writes_unacked;	/* writes sent, not acked by the peer */
	struct hd_stats stats;		/* latency histograms (stats.c) */
	struct hd_fault fault;		/* fault injection (fault.c) */
	atomic64_t app_bytes;		/* application writes, for the
					 * resync rate control
					 */

	/* local disk failure (detach.c) and reads by the peer (remote.c) */
	u8 on_io_error;			/* enum hadisk_on_io_error */
	bool diskless;			/* backing device given up, req_lock */
	bool pulling;			/* oos blocks are read from the peer */
	bool detached_on_error;		/* for status, under res->lock */
	bool reattaching;		/* ATTACH in progress, hn->lock */
	atomic64_t local_io_errors;
	atomic64_t remote_reads;
	struct work_struct detach_work;
	struct bio_list retry_reads;	/* failed local reads, req_lock */
	struct work_struct retry_work;
	struct list_head rreads;	/* struct hd_rread, under req_lock */
};

struct hd_net *hd_net_get(struct net *net);
struct hd_resource *hd_resource_find(struct hd_net *hn, const char *name);
struct hd_resource *hd_resource_create(struct hd_net *hn, const char *name,
				       u32 node_id, u32 peer_node_id);
void hd_resource_destroy(struct hd_resource *res);
void hd_net_teardown(struct hd_net *hn);
void hd_set_error(struct hd_resource *res, const char *fmt, ...)
	__printf(2, 3);
void hd_clear_error(struct hd_resource *res);
void hd_new_generation(struct hd_resource *res);
int hd_resource_invalidate(struct hd_resource *res,
			   struct netlink_ext_ack *extack);
int hd_resource_invalidate_remote(struct hd_resource *res,
				  struct netlink_ext_ack *extack);
int hd_resource_new_uuid(struct hd_resource *res, bool clear,
			 struct netlink_ext_ack *extack);
void hd_state_changed(struct hd_resource *res, const char *event);
int hd_resource_primary(struct hd_resource *res, bool force,
			struct netlink_ext_ack *extack);
int hd_resource_secondary(struct hd_resource *res,
			  struct netlink_ext_ack *extack);

#endif /* HD_RESOURCE_H */
