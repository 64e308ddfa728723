// SPDX-License-Identifier: GPL-2.0
/*
 * Write latency by stage, per device, in debugfs:
 * /sys/kernel/debug/hadisk/hadiskN/latency. Reading it prints, for each
 * stage (stats.h), the count, mean and the 50th/90th/99th percentiles
 * (upper bounds of log2 buckets, hist.c), then the buckets themselves;
 * writing anything to it clears the counters.
 *
 * The counters are atomics, updated without a lock from the request
 * path (req.c, sender.c); a reader may see a write counted in one stage
 * and not yet in another. The debugfs root is the module's; one directory
 * per device, named after its minor (minors are unique in the kernel,
 * resource names only in a namespace).
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/math64.h>
#include "stats.h"
#include "resource.h"

static struct dentry *hd_debugfs_root;

static const char * const stage_names[HD_ST_NR] = {
	[HD_ST_LOCAL] = "local",
	[HD_ST_PEER] = "peer-ack",
	[HD_ST_AL] = "al-wait",
	[HD_ST_TOTAL] = "total",
};

static int latency_show(struct seq_file *m, void *v)
{
	struct hd_device *dev = m->private;
	struct hd_stats *s = &dev->stats;
	u64 b[HD_ST_NR][HD_HIST_BUCKETS], n[HD_ST_NR] = { 0 };
	unsigned int st, i;

	for (st = 0; st < HD_ST_NR; st++)
		for (i = 0; i < HD_HIST_BUCKETS; i++) {
			b[st][i] = atomic64_read(&s->b[st][i]);
			n[st] += b[st][i];
		}
	seq_printf(m, "# hadisk%d (resource %s): write latency by stage, us\n",
		   dev->minor, dev->res->name);
	seq_puts(m, "# local: submit to local disk done; peer-ack: sent to the peer's write ack (on its disk); al-wait: submit to activity-log update (misses only); total: submit to completion\n");
	seq_printf(m, "%-9s %10s %10s %8s %8s %8s\n", "stage", "count",
		   "mean", "p50<", "p90<", "p99<");
	for (st = 0; st < HD_ST_NR; st++)
		seq_printf(m, "%-9s %10llu %10llu %8llu %8llu %8llu\n",
			   stage_names[st], n[st],
			   n[st] ? div64_u64(atomic64_read(&s->sum_ns[st]),
					     n[st] * 1000) : 0,
			   hd_hist_percentile_us(b[st], 50),
			   hd_hist_percentile_us(b[st], 90),
			   hd_hist_percentile_us(b[st], 99));
	seq_printf(m, "\n%-9s", "bucket<");
	for (st = 0; st < HD_ST_NR; st++)
		seq_printf(m, " %10s", stage_names[st]);
	seq_putc(m, '\n');
	for (i = 0; i < HD_HIST_BUCKETS; i++) {
		if (i == HD_HIST_BUCKETS - 1)
			seq_printf(m, "%-9s", "more");
		else
			seq_printf(m, "%-9llu", hd_hist_bucket_limit_us(i));
		for (st = 0; st < HD_ST_NR; st++)
			seq_printf(m, " %10llu", b[st][i]);
		seq_putc(m, '\n');
	}
	return 0;
}

static int latency_open(struct inode *inode, struct file *file)
{
	return single_open(file, latency_show, inode->i_private);
}

static ssize_t latency_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct hd_device *dev = ((struct seq_file *)file->private_data)->private;
	struct hd_stats *s = &dev->stats;
	unsigned int st, i;

	for (st = 0; st < HD_ST_NR; st++) {
		for (i = 0; i < HD_HIST_BUCKETS; i++)
			atomic64_set(&s->b[st][i], 0);
		atomic64_set(&s->sum_ns[st], 0);
	}
	return len;
}

static const struct file_operations latency_fops = {
	.owner = THIS_MODULE,
	.open = latency_open,
	.read = seq_read,
	.write = latency_write,
	.llseek = seq_lseek,
	.release = single_release,
};

int hd_stats_init(void)
{
	/* debugfs is optional: without it there are no histograms */
	hd_debugfs_root = debugfs_create_dir("hadisk", NULL);
	return 0;
}

void hd_stats_exit(void)
{
	debugfs_remove_recursive(hd_debugfs_root);
	hd_debugfs_root = NULL;
}

void hd_stats_register(struct hd_device *dev)
{
	char name[16];

	if (IS_ERR_OR_NULL(hd_debugfs_root))
		return;
	snprintf(name, sizeof(name), "hadisk%d", dev->minor);
	dev->stats.dir = debugfs_create_dir(name, hd_debugfs_root);
	debugfs_create_file("latency", 0600, dev->stats.dir, dev,
			    &latency_fops);
}

void hd_stats_unregister(struct hd_device *dev)
{
	debugfs_remove_recursive(dev->stats.dir);
	dev->stats.dir = NULL;
}
