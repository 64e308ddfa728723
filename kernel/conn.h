/* SPDX-License-Identifier: GPL-2.0 */
/* The replication link's life: connect, handshake, run, teardown. */
#ifndef HD_CONN_H
#define HD_CONN_H

#include <net/netlink.h>
#include "resource.h"

int hd_conn_init(struct hd_conn *conn, struct hd_resource *res);
void hd_conn_destroy(struct hd_conn *conn);
int hd_conn_start(struct hd_conn *conn, struct netlink_ext_ack *extack);
void hd_conn_stop(struct hd_conn *conn);
void hd_conn_kick(struct hd_conn *conn);
void hd_conn_fail(struct hd_conn *conn, const char *fmt, ...) __printf(2, 3);
void hd_set_cstate(struct hd_resource *res, u8 cstate, const char *event);
const char *hd_errname(int err);
/* The handshake's primitives, for auth.c */
#define HD_HS_TIMEOUT_MS 5000
int hd_hs_recv(struct hd_conn *conn, struct hd_chan *c, void *buf,
	       size_t len, int timeout_ms);
void hd_send_refuse(struct hd_conn *conn, struct hd_chan *c,
		    unsigned int code, const char *why);

#endif /* HD_CONN_H */
