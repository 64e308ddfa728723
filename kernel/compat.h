/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference hadisk cares about, in one place. It is
 * force-included (Kbuild: -include compat.h) into every kernel
 * object. The target is Debian 12's 6.1 kernel.
 */
#ifndef HD_COMPAT_H
#define HD_COMPAT_H

#include <linux/version.h>
#include <linux/blkdev.h>
#include <net/sock.h>

#define HD_KERNEL_MIN KERNEL_VERSION(6, 1, 0)
#define HD_KERNEL_END KERNEL_VERSION(6, 5, 0)
#if !(HD_KERNEL_MIN <= LINUX_VERSION_CODE && LINUX_VERSION_CODE < HD_KERNEL_END)
#error "hadisk builds against kernels 6.1 to 6.4 (Debian 12); add the shims for this kernel to this header"
#endif

#ifndef ITER_SOURCE
#define ITER_SOURCE WRITE
#define ITER_DEST READ
#endif

/* Open a backing device exclusively for reading and writing. */
static inline struct block_device *hd_bdev_open(const char *path, void *holder)
{
	return blkdev_get_by_path(path, FMODE_READ | FMODE_WRITE | FMODE_EXCL,
				  holder);
}

static inline void hd_bdev_close(struct block_device *bdev)
{
	blkdev_put(bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
}

/*
 * Formatted extack messages arrived in 6.2. Here the text goes into one of
 * a ring of buffers (netlink.c) that outlives the request: the ack that
 * carries it is built right after the handler returns, long before the
 * ring comes round again.
 */
#ifndef NL_SET_ERR_MSG_FMT
#include <linux/netlink.h>
#define HD_EXTACK_LEN 256
char *hd_extack_buf(void);
#define NL_SET_ERR_MSG_FMT(extack, fmt, ...) do {			\
	struct netlink_ext_ack *__ea = (extack);			\
	char *__b = hd_extack_buf();					\
	snprintf(__b, HD_EXTACK_LEN, fmt, ##__VA_ARGS__);		\
	if (__ea)							\
		__ea->_msg = __b;					\
} while (0)
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, ...) do {		\
	struct netlink_ext_ack *__eb = (extack);			\
	NL_SET_ERR_MSG_FMT(__eb, fmt, ##__VA_ARGS__);			\
	if (__eb)							\
		__eb->bad_attr = (attr);				\
} while (0)
#endif

/* Sockets under the block layer must not use the task's page fragment. */
static inline void hd_sock_no_task_frag(struct sock *sk)
{
#ifdef HD_HAVE_SK_USE_TASK_FRAG
	sk->sk_use_task_frag = false;
#endif
}

#endif /* HD_COMPAT_H */
