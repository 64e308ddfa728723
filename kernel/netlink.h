/* SPDX-License-Identifier: GPL-2.0 */
/* The generic netlink family "hadisk" (see netlink.c). */
#ifndef HD_NETLINK_H
#define HD_NETLINK_H

#include "resource.h"

int hd_netlink_init(void);
void hd_netlink_exit(void);
void hd_nl_notify(struct hd_resource *res, const char *event);

#endif /* HD_NETLINK_H */
