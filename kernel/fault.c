// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, off by default, in every build: the debugfs file
 * /sys/kernel/debug/hadisk/hadiskN/fault takes one command per write,
 *   corrupt-data N   the next N replicated writes received here have a
 *                    byte flipped after they arrive (as if the wire had
 *                    done it; caught by data-integrity-alg);
 *   drop-link        the replication link is dropped now;
 *   delay-ms N       every packet received here waits N ms (0: off);
 *   fail-write N     the next N writes to the backing device (local or
 *                    from the peer) fail with EIO;
 *   fail-read N      the next N reads of the backing device fail;
 *   fail-md N        the next N metadata writes fail;
 *   fail-alloc-peer N    the next N allocations for a write received
 *                    from the peer fail (the link is reset, the blocks
 *                    resynced);
 *   fail-alloc-resync N  the next N allocations of a resync request on
 *                    the sync source fail (likewise);
 *   clear            disarms everything;
 * and reading it shows what is armed and what was injected. The hooks
 * sit in receiver.c, req.c, resync.c, remote.c, detach.c and meta.c;
 * each costs one atomic read when nothing is armed.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include "fault.h"
#include "resource.h"
#include "conn.h"

static const char * const fault_names[HD_FAULT_NR] = {
	[HD_FAULT_CORRUPT_DATA] = "corrupt-data",
	[HD_FAULT_DROP_LINK] = "drop-link",
	[HD_FAULT_DELAY_MS] = "delay-ms",
	[HD_FAULT_FAIL_WRITE] = "fail-write",
	[HD_FAULT_FAIL_READ] = "fail-read",
	[HD_FAULT_FAIL_MD] = "fail-md",
	[HD_FAULT_ALLOC_PEER] = "fail-alloc-peer",
	[HD_FAULT_ALLOC_RESYNC] = "fail-alloc-resync",
};

static int fault_show(struct seq_file *m, void *v)
{
	struct hd_device *dev = m->private;
	unsigned int k;

	seq_printf(m, "%-17s %8s %10s\n", "fault", "armed", "injected");
	for (k = 0; k < HD_FAULT_NR; k++)
		seq_printf(m, "%-17s %8d %10llu\n", fault_names[k],
			   atomic_read(&dev->fault.armed[k]),
			   atomic64_read(&dev->fault.hit[k]));
	return 0;
}

static int fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, fault_show, inode->i_private);
}

static ssize_t fault_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct hd_device *dev = ((struct seq_file *)file->private_data)->private;
	char buf[64], *arg;
	unsigned int k, n = 1;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	strim(buf);
	if (!strcmp(buf, "clear")) {
		for (k = 0; k < HD_FAULT_NR; k++)
			atomic_set(&dev->fault.armed[k], 0);
		return len;
	}
	arg = strchr(buf, ' ');
	if (arg) {
		*arg++ = 0;
		if (kstrtouint(skip_spaces(arg), 0, &n) || n > 1000000)
			return -EINVAL;
	}
	for (k = 0; k < HD_FAULT_NR; k++)
		if (!strcmp(buf, fault_names[k]))
			break;
	if (k == HD_FAULT_NR)
		return -EINVAL;
	if (k == HD_FAULT_DROP_LINK) {
		atomic64_inc(&dev->fault.hit[k]);
		hd_conn_fail(&dev->res->conn, "fault injection: link dropped");
		return len;
	}
	atomic_set(&dev->fault.armed[k], n);
	pr_info("hadisk%d: fault injection: %s %u\n", dev->minor,
		fault_names[k], n);
	return len;
}

static const struct file_operations fault_fops = {
	.owner = THIS_MODULE,
	.open = fault_open,
	.read = seq_read,
	.write = fault_write,
	.llseek = seq_lseek,
	.release = single_release,
};

void hd_fault_register(struct hd_device *dev)
{
	if (!IS_ERR_OR_NULL(dev->stats.dir))
		debugfs_create_file("fault", 0600, dev->stats.dir, dev,
				    &fault_fops);
}
