// SPDX-License-Identifier: GPL-2.0
/*
 * The floating service address: added to or deleted from an interface
 * through libnl-route-3 (rtnl_addr_add, rtnl_addr_delete), in the network
 * namespace hadiskd runs in. Adding an address that is already there, or
 * deleting one that is not, succeeds. No state: a socket per call.
 */
#include <net/if.h>
#include <netlink/errno.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <stdio.h>
#include <string.h>

#include "hadiskd.h"

int hd_vip_set(const char *cidr, const char *dev, bool up, char *msg,
	       size_t size)
{
	struct nl_sock *sk = NULL;
	struct nl_addr *local = NULL;
	struct rtnl_addr *a = NULL;
	unsigned int ifindex;
	int ret = -1, err;

	msg[0] = '\0';
	ifindex = if_nametoindex(dev);
	if (!ifindex) {
		snprintf(msg, size,
			 "service-ip %s: no interface '%s' on this node (see 'service-ip' in %s)",
			 cidr, dev, hd_conf.file);
		return -1;
	}
	err = nl_addr_parse(cidr, AF_UNSPEC, &local);
	if (err < 0) {
		snprintf(msg, size, "service-ip %s: %s", cidr, nl_geterror(err));
		return -1;
	}
	sk = nl_socket_alloc();
	a = rtnl_addr_alloc();
	if (!sk || !a) {
		snprintf(msg, size, "service-ip %s: out of memory", cidr);
		goto out;
	}
	err = nl_connect(sk, NETLINK_ROUTE);
	if (err < 0) {
		snprintf(msg, size, "service-ip %s: netlink: %s", cidr,
			 nl_geterror(err));
		goto out;
	}
	rtnl_addr_set_ifindex(a, (int)ifindex);
	rtnl_addr_set_family(a, nl_addr_get_family(local));
	err = rtnl_addr_set_local(a, local);
	if (err >= 0)
		rtnl_addr_set_prefixlen(a, (int)nl_addr_get_prefixlen(local));
	if (err >= 0)
		err = up ? rtnl_addr_add(sk, a, NLM_F_CREATE) :
			rtnl_addr_delete(sk, a, 0);
	if (err == -NLE_EXIST && up)
		err = 0;
	if ((err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND ||
	     err == -NLE_NODEV) && !up)
		err = 0;
	if (err < 0) {
		snprintf(msg, size, "service-ip %s on %s: %s failed: %s",
			 cidr, dev, up ? "adding" : "deleting",
			 nl_geterror(err));
		goto out;
	}
	ret = 0;
out:
	if (a)
		rtnl_addr_put(a);
	if (local)
		nl_addr_put(local);
	if (sk)
		nl_socket_free(sk);
	return ret;
}
