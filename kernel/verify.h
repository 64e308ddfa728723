/* SPDX-License-Identifier: GPL-2.0 */
/* Online verify and checksum-based resync (see verify.c). */
#ifndef HD_VERIFY_H
#define HD_VERIFY_H

#include <net/netlink.h>
#include "resource.h"

int hd_digest_pass(struct hd_conn *conn, bool verify);
void hd_digest_reply(struct hd_conn *conn, u64 id, u32 mask);
int hd_recv_csum_req(struct hd_conn *conn);
int hd_verify_start(struct hd_resource *res, bool resync,
		    struct netlink_ext_ack *extack);
void hd_verify_stop(struct hd_conn *conn);

#endif /* HD_VERIFY_H */
