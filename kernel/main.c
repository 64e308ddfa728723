// SPDX-License-Identifier: GPL-2.0
/*
 * hadisk: synchronous block replication between two nodes.
 *
 * Module init and exit only: the block major, the per-namespace state and
 * the generic netlink family. Everything else is in its own file; start
 * with resource.h for the object model.
 */
#include <linux/module.h>
#include <net/netns/generic.h>
#include <net/genetlink.h>
#include "resource.h"
#include "device.h"
#include "netlink.h"
#include "stats.h"
#include "transport.h"
#include <hadisk/wire.h>

static unsigned int hd_net_id __read_mostly;

struct hd_net *hd_net_get(struct net *net)
{
	return net_generic(net, hd_net_id);
}

static int __net_init hd_net_init(struct net *net)
{
	struct hd_net *hn = hd_net_get(net);

	hn->net = net;
	mutex_init(&hn->lock);
	INIT_LIST_HEAD(&hn->resources);
	return 0;
}

static void __net_exit hd_net_exit(struct net *net)
{
	hd_net_teardown(hd_net_get(net));
}

static struct pernet_operations hd_net_ops = {
	.init = hd_net_init,
	.exit = hd_net_exit,
	.id = &hd_net_id,
	.size = sizeof(struct hd_net),
};

static int __init hd_init(void)
{
	int err;

	err = hd_device_init();
	if (err)
		return err;
	hd_stats_init();
	err = hd_transport_init();
	if (err)
		goto out_stats;
	err = register_pernet_subsys(&hd_net_ops);
	if (err)
		goto out_transport;
	err = hd_netlink_init();
	if (err)
		goto out_pernet;
	pr_info("hadisk: loaded, wire protocol %u\n", HD_WIRE_VERSION);
	return 0;

out_pernet:
	unregister_pernet_subsys(&hd_net_ops);
out_transport:
	hd_transport_exit();
out_stats:
	hd_stats_exit();
	hd_device_exit();
	return err;
}

static void __exit hd_exit(void)
{
	hd_netlink_exit();
	unregister_pernet_subsys(&hd_net_ops);
	hd_transport_exit();
	hd_stats_exit();
	hd_device_exit();
	pr_info("hadisk: unloaded\n");
}

module_init(hd_init);
module_exit(hd_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hadisk: synchronous block replication");
MODULE_ALIAS_GENL_FAMILY(HADISK_GENL_NAME);
