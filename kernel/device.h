/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/hadiskN on a backing device (see device.c). */
#ifndef HD_DEVICE_H
#define HD_DEVICE_H

#include <net/netlink.h>
#include "resource.h"

int hd_device_init(void);
void hd_device_exit(void);
int hd_device_attach(struct hd_resource *res, u32 minor, const char *path,
		     const char *meta, u32 al_extents, u8 on_io_error,
		     struct netlink_ext_ack *extack);
int hd_device_reattach(struct hd_resource *res, u32 minor, const char *path,
		       const char *meta, u8 on_io_error,
		       struct netlink_ext_ack *extack);
int hd_device_detach(struct hd_resource *res, bool force,
		     struct netlink_ext_ack *extack);
bool hd_device_is_open(struct hd_device *dev);
int hd_device_open_count(struct hd_device *dev);

#endif /* HD_DEVICE_H */
