// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of replication transports. TCP is built in and registered
 * at module init; other transports are modules of their own (RDMA:
 * hadisk_rdma.ko) that call hd_transport_register() from their init and
 * hd_transport_unregister() from their exit.
 *
 * Locks: hd_transports_lock (a mutex) guards the list. A lookup takes a
 * reference on the owner module under it (try_module_get), so an
 * unregistering module cannot be unloaded from under a resource: its exit
 * runs only once every resource dropped its reference (hd_transport_put),
 * and a module being unloaded fails try_module_get.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/list.h>
#include "transport.h"

static LIST_HEAD(hd_transports);
static DEFINE_MUTEX(hd_transports_lock);

static struct hd_transport_ops *find(const char *name)
{
	struct hd_transport_ops *ops;

	list_for_each_entry(ops, &hd_transports, list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

int hd_transport_register(struct hd_transport_ops *ops)
{
	int err = 0;

	mutex_lock(&hd_transports_lock);
	if (find(ops->name))
		err = -EEXIST;
	else
		list_add_tail(&ops->list, &hd_transports);
	mutex_unlock(&hd_transports_lock);
	if (!err)
		pr_info("hadisk: transport %s registered\n", ops->name);
	return err;
}
EXPORT_SYMBOL_GPL(hd_transport_register);

void hd_transport_unregister(struct hd_transport_ops *ops)
{
	mutex_lock(&hd_transports_lock);
	list_del_init(&ops->list);
	mutex_unlock(&hd_transports_lock);
	pr_info("hadisk: transport %s unregistered\n", ops->name);
}
EXPORT_SYMBOL_GPL(hd_transport_unregister);

/* The transport called name, with a reference on its module; or NULL. */
const struct hd_transport_ops *hd_transport_get(const char *name)
{
	struct hd_transport_ops *ops;

	mutex_lock(&hd_transports_lock);
	ops = find(name);
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	mutex_unlock(&hd_transports_lock);
	return ops;
}

void hd_transport_put(const struct hd_transport_ops *ops)
{
	if (ops)
		module_put(ops->owner);
}

int hd_transport_init(void)
{
	return hd_transport_register(&hd_tcp_ops);
}

void hd_transport_exit(void)
{
	hd_transport_unregister(&hd_tcp_ops);
}
