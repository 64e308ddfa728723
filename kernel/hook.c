// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks: programs the administrator configures (fence-peer, split-brain,
 * ...) and the save helper, run through the kernel's usermode helper as
 * root in the initial namespaces, with argv = { path, hook name } and the
 * resource described in HADISK_* environment variables
 * (Documentation/hooks.md).
 *
 * Deadline: the usermode helper itself waits for the program without a
 * limit, so it runs in a work item of its own; the caller waits for that
 * work's completion until res->ha.hook_timeout_ms, then kills the program
 * (its pid is taken in the child before exec) and waits a further
 * HOOK_KILL_GRACE_MS. The call record is reference counted: the caller
 * may give up and return while the work item still waits for the
 * process, which then frees it.
 *
 * The usermode helper reports an exec failure as exit status 0, so the
 * path is checked first (a regular, executable file), and no outcome that
 * lets a node go on depends on exit code 0.
 *
 * Locks: res->lock guards res->ha's strings (replaced at CONNECT); a call
 * copies what it needs under it. call->lock guards call->pid.
 */
#include <linux/kref.h>
#include <linux/namei.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/umh.h>
#include <linux/workqueue.h>
#include "hook.h"
#include "resource.h"
#include "state.h"

#define HOOK_KILL_GRACE_MS	5000
#define HOOK_ENV_MAX		32
#define HOOK_ENV_BUF		2048

static const char * const hook_names[] = {
	[HD_HOOK_FENCE_PEER] = "fence-peer",
	[HD_HOOK_UNFENCE_PEER] = "unfence-peer",
	[HD_HOOK_SPLIT_BRAIN] = "split-brain",
	[HD_HOOK_PRI_LOST_AFTER_SB] = "pri-lost-after-sb",
	[HD_HOOK_BEFORE_RESYNC_TARGET] = "before-resync-target",
	[HD_HOOK_AFTER_RESYNC_TARGET] = "after-resync-target",
	[HD_HOOK_LOCAL_IO_ERROR] = "local-io-error",
	[HD_HOOK_SAVE] = "save-discarded",
};

struct hd_hook_call {
	struct kref ref;
	struct work_struct work;
	struct completion done;
	spinlock_t lock;
	struct pid *pid;		/* under lock */
	int status;			/* wait status, or -errno */
	char *argv[3];
	char *envp[HOOK_ENV_MAX + 1];
	int nenv;
	size_t used;
	char path[HADISK_PATH_MAX];
	char buf[HOOK_ENV_BUF];
};

const char *hd_hook_name(enum hd_hook_kind kind)
{
	if ((unsigned int)kind >= ARRAY_SIZE(hook_names))
		return "?";
	return hook_names[kind];
}

static const char *hook_path(struct hd_resource *res, enum hd_hook_kind kind)
{
	if (kind == HD_HOOK_SAVE)
		return res->ha.save_helper;
	return res->ha.hooks[kind];
}

bool hd_hook_configured(struct hd_resource *res, enum hd_hook_kind kind)
{
	bool yes;

	spin_lock_irq(&res->lock);
	yes = hook_path(res, kind) != NULL;
	spin_unlock_irq(&res->lock);
	return yes;
}

void hd_hooks_free(struct hd_resource *res)
{
	int i;

	for (i = 0; i < HD_HOOK_NR; i++) {
		kfree(res->ha.hooks[i]);
		res->ha.hooks[i] = NULL;
	}
	kfree(res->ha.save_helper);
	res->ha.save_helper = NULL;
	kfree(res->ha.save_dir);
	res->ha.save_dir = NULL;
}

static void call_free(struct kref *ref)
{
	struct hd_hook_call *c = container_of(ref, struct hd_hook_call, ref);

	put_pid(c->pid);
	kfree(c);
}

static __printf(2, 3) void env_add(struct hd_hook_call *c,
				   const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->nenv >= HOOK_ENV_MAX || c->used >= sizeof(c->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(c->buf + c->used, sizeof(c->buf) - c->used, fmt, ap);
	va_end(ap);
	if (n < 0 || c->used + n + 1 > sizeof(c->buf))
		return;
	c->envp[c->nenv++] = c->buf + c->used;
	c->used += n + 1;
}

/* In the child, before exec: remember whom to kill at the deadline. */
static int hook_init(struct subprocess_info *info, struct cred *new)
{
	struct hd_hook_call *c = info->data;

	spin_lock(&c->lock);
	c->pid = get_pid(task_pid(current));
	spin_unlock(&c->lock);
	return 0;
}

static void hook_cleanup(struct subprocess_info *info)
{
	struct hd_hook_call *c = info->data;

	c->status = info->retval;
	complete(&c->done);
	kref_put(&c->ref, call_free);
}

static void hook_work(struct work_struct *work)
{
	struct hd_hook_call *c = container_of(work, struct hd_hook_call, work);
	struct subprocess_info *info;

	info = call_usermodehelper_setup(c->path, c->argv, c->envp,
					 GFP_KERNEL, hook_init, hook_cleanup,
					 c);
	if (!info) {
		c->status = -ENOMEM;
		complete(&c->done);
		kref_put(&c->ref, call_free);
		return;
	}
	/* Killable: a long hook is not a hung task. */
	call_usermodehelper_exec(info, UMH_WAIT_PROC | UMH_KILLABLE);
}

/* A regular, executable file? The usermode helper cannot tell us. */
static int check_exec(const char *path)
{
	struct path p;
	struct inode *inode;
	int err;

	err = kern_path(path, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	inode = d_backing_inode(p.dentry);
	if (!S_ISREG(inode->i_mode))
		err = -EISDIR;
	else if (!(inode->i_mode & 0111))
		err = -EACCES;
	path_put(&p);
	return err;
}

static void fill_env(struct hd_hook_call *c, struct hd_resource *res,
		     enum hd_hook_kind kind, const char *const *extra)
{
	struct hd_conn *conn = &res->conn;

	env_add(c, "HOME=/");
	env_add(c, "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
	env_add(c, "HADISK_HOOK=%s", hd_hook_name(kind));
	env_add(c, "HADISK_RESOURCE=%s", res->name);
	env_add(c, "HADISK_NODE=%s", res->node_name);
	env_add(c, "HADISK_NODE_ID=%u", res->node_id);
	env_add(c, "HADISK_PEER=%s", res->peer_name);
	env_add(c, "HADISK_PEER_NODE_ID=%u", res->peer_node_id);
	if (conn->addr_len)
		env_add(c, "HADISK_PEER_ADDRESS=%pISpc", &conn->peer_addr);
	spin_lock_irq(&res->lock);
	env_add(c, "HADISK_ROLE=%s", hd_role_name(res->role));
	env_add(c, "HADISK_DISK=%s", hd_disk_name(res->disk));
	env_add(c, "HADISK_PEER_DISK=%s", hd_disk_name(res->peer_disk));
	env_add(c, "HADISK_FENCING=%s",
		res->ha.fencing == HADISK_FENCING_RESOURCE_AND_STONITH ?
		"resource-and-stonith" :
		res->ha.fencing == HADISK_FENCING_RESOURCE_ONLY ?
		"resource-only" : "none");
	spin_unlock_irq(&res->lock);
	if (res->dev) {
		env_add(c, "HADISK_MINOR=%d", res->dev->minor);
		env_add(c, "HADISK_DEVICE=/dev/hadisk%d", res->dev->minor);
		env_add(c, "HADISK_BACKING=%s", res->dev->backing_path);
	}
	for (; extra && *extra; extra++)
		env_add(c, "%s", *extra);
	c->envp[c->nenv] = NULL;
}

int hd_hook_run(struct hd_resource *res, enum hd_hook_kind kind,
		const char *const *extra, char *msg, size_t len)
{
	struct hd_hook_call *c;
	const char *name = hd_hook_name(kind);
	unsigned long timeout;
	struct pid *pid;
	int err, st;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		snprintf(msg, len, "%s hook: out of memory", name);
		return -ENOMEM;
	}
	spin_lock_irq(&res->lock);
	if (hook_path(res, kind))
		strscpy(c->path, hook_path(res, kind), sizeof(c->path));
	timeout = msecs_to_jiffies(res->ha.hook_timeout_ms ?:
				   HD_HOOK_TIMEOUT_DEFAULT_MS);
	spin_unlock_irq(&res->lock);
	if (!c->path[0]) {
		kfree(c);
		snprintf(msg, len, "no %s hook is configured", name);
		return HD_HOOK_NO_HOOK;
	}
	err = check_exec(c->path);
	if (err) {
		snprintf(msg, len, "%s hook %s cannot run: %s", name, c->path,
			 err == -ENOENT ? "no such file" :
			 err == -EISDIR ? "not a regular file" :
			 err == -EACCES ? "not executable" : "lookup failed");
		kfree(c);
		return err;
	}
	kref_init(&c->ref);
	spin_lock_init(&c->lock);
	init_completion(&c->done);
	INIT_WORK(&c->work, hook_work);
	c->argv[0] = c->path;
	c->argv[1] = (char *)name;
	fill_env(c, res, kind, extra);

	pr_info("hadisk %s: running the %s hook %s\n", res->name, name,
		c->path);
	kref_get(&c->ref);	/* the work's */
	queue_work(system_unbound_wq, &c->work);
	if (!wait_for_completion_timeout(&c->done, timeout)) {
		spin_lock(&c->lock);
		pid = get_pid(c->pid);
		spin_unlock(&c->lock);
		if (pid) {
			kill_pid(pid, SIGKILL, 1);
			put_pid(pid);
		}
		wait_for_completion_timeout(&c->done,
					    msecs_to_jiffies(HOOK_KILL_GRACE_MS));
		snprintf(msg, len,
			 "%s hook %s did not return within %u ms: killed",
			 name, c->path, jiffies_to_msecs(timeout));
		kref_put(&c->ref, call_free);
		return -ETIMEDOUT;
	}
	st = c->status;
	if (st < 0) {
		snprintf(msg, len, "%s hook %s could not run (error %d)", name,
			 c->path, st);
	} else if (st & 0x7f) {
		snprintf(msg, len, "%s hook %s was killed by signal %d", name,
			 c->path, st & 0x7f);
		st = -EINTR;
	} else {
		st = (st >> 8) & 0xff;
		snprintf(msg, len, "%s hook %s exited with %d", name, c->path,
			 st);
	}
	kref_put(&c->ref, call_free);
	return st;
}
