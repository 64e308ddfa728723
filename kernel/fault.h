/* SPDX-License-Identifier: GPL-2.0 */
/* Fault injection, driven from debugfs (see fault.c). */
#ifndef HD_FAULT_H
#define HD_FAULT_H

#include <linux/atomic.h>

struct hd_device;

enum hd_fault_kind {
	HD_FAULT_CORRUPT_DATA,	/* flip a byte of a received DATA/RS_DATA */
	HD_FAULT_DROP_LINK,	/* drop the connection now */
	HD_FAULT_DELAY_MS,	/* sleep before each received packet */
	HD_FAULT_FAIL_WRITE,	/* backing writes fail with EIO */
	HD_FAULT_FAIL_READ,	/* backing reads fail with EIO */
	HD_FAULT_FAIL_MD,	/* metadata writes fail with EIO */
	HD_FAULT_ALLOC_PEER,	/* allocating a received write fails */
	HD_FAULT_ALLOC_RESYNC,	/* allocating a resync request fails */
	HD_FAULT_NR
};

struct hd_fault {
	atomic_t armed[HD_FAULT_NR];	/* events left to hit (delay: ms) */
	atomic64_t hit[HD_FAULT_NR];	/* injected so far */
};

/* Should this event fail? Consumes one armed event. Any context. */
static inline bool hd_fault(struct hd_fault *f, enum hd_fault_kind k)
{
	if (likely(!atomic_read(&f->armed[k])))
		return false;
	if (atomic_dec_if_positive(&f->armed[k]) < 0)
		return false;
	atomic64_inc(&f->hit[k]);
	return true;
}

void hd_fault_register(struct hd_device *dev);

#endif /* HD_FAULT_H */
