/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What hadiskd's files share: the configuration (read-only once the
 * threads run), the stop flag, and the interfaces of the threads and the
 * actions. The threads:
 *
 *   main         the decision loop (decide.c), every heartbeat-interval
 *   heartbeat    sends and receives the datagrams (heartbeat.c)
 *   netlink      follows the kernel's events (kernel.c)
 *   control      accepts control-socket clients, one thread each (ctl.c)
 *   metrics      answers GET /metrics, with 'metrics' set (metrics.c)
 *   request      one per request of the peer (heartbeat.c -> actions.c)
 *
 * They share the cluster view (view.h, RCU) and nothing else, except:
 * act_lock (actions.c) serializes every promotion, demotion and service
 * change of this node; the heartbeat thread's request table has its own
 * mutex (heartbeat.c).
 */
#ifndef HADISKD_H
#define HADISKD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dconf.h"
#include "status.h"

/* Exit codes. */
enum {
	HD_EXIT_OK = 0,
	HD_EXIT_USAGE = 1,
	HD_EXIT_CONFIG = 2,
	HD_EXIT_KERNEL = 3,
	HD_EXIT_NOMODULE = 4,
	HD_EXIT_PERM = 6,
	HD_EXIT_NET = 7,	/* a heartbeat, witness or control socket */
};

extern struct hd_dconf hd_conf;		/* read-only once threads run */
extern volatile sig_atomic_t hd_stopping;

/* The datagrams' key, NULL without 'key-file'. */
static inline const uint8_t *hd_key(void)
{
	return hd_conf.has_key ? hd_conf.key : NULL;
}

/* kernel.c: the netlink thread and one-shot requests. */
int hd_kernel_open(void);		/* 0 or -errno: module there? */
int hd_kernel_start(void);
void hd_kernel_join(void);
/* PRIMARY or SECONDARY; 0, or -errno with the kernel's message in msg. */
int hd_kernel_role(const char *res, bool primary, char *msg, size_t size);
/* A fresh status of res; 0, -ENOENT, or -errno. */
int hd_kernel_status(const char *res, struct hd_status *st);

/* heartbeat.c */
int hd_hb_start(char *err, size_t size);
void hd_hb_join(void);
/* Asks the peer to do op on res; 0, or -1 with its message in msg. */
int hd_hb_request(uint8_t op, const char *res, uint32_t timeout_ms,
		  char *msg, size_t size);
/* Sends ACQUIRE or RELEASE of res to the witness. */
void hd_hb_witness(uint8_t type, const char *res);

/* ctl.c */
int hd_ctl_start(const char *path, char *err, size_t size);
void hd_ctl_stop(void);

/* metrics.c: the Prometheus endpoint, when 'metrics' is set. */
int hd_metrics_start(char *err, size_t size);
void hd_metrics_stop(void);

/* decide.c: one round of decisions; logs what it decides. */
void hd_decide(void);
void hd_wake_decide(void);

/* hooks.c: runs a hook with a deadline; 0, or -1 with why in msg. */
int hd_hook_run(const char *path, const char *action, const char *res,
		uint32_t timeout_ms, char *msg, size_t size);

/* vip.c: the service address up or down; 0, or -1 with why in msg. */
int hd_vip_set(const char *cidr, const char *dev, bool up, char *msg,
	       size_t size);

/* witness.c: the --witness mode (key may be NULL); the exit code. */
int hd_witness_run(const char *listen, const uint8_t *key);

/* actions.c: each step reported through progress (may be NULL). */
typedef void (*hd_progress_fn)(void *arg, const char *line);
int hd_act_promote(const char *res, const char *why, hd_progress_fn progress,
		   void *arg, char *msg, size_t size);
int hd_act_demote(const char *res, const char *why, hd_progress_fn progress,
		  void *arg, char *msg, size_t size);
int hd_act_failover(const char *res, hd_progress_fn progress, void *arg,
		    char *msg, size_t size);
int hd_act_switchover(const char *res, hd_progress_fn progress, void *arg,
		      char *msg, size_t size);
/* The peer asks (heartbeat.c): op HD_HB_OP_*. */
int hd_act_peer_request(uint8_t op, const char *res, char *msg, size_t size);
/* Waits for the witness's lease of res, up to timeout_ms; 0 or -1. */
int hd_act_acquire_lease(const char *res, uint32_t timeout_ms, char *msg,
			 size_t size);

/* status_json.c: the control socket's answer to "status". */
struct hd_buf;
void hd_status_json_view(struct hd_buf *b);

#endif /* HADISKD_H */
