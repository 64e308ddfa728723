/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replication transport: a small ops table so that the request path
 * and the link threads never see a socket. A listener accepts channels; a
 * channel is one ordered, reliable byte stream (the data or the meta path).
 * TCP is transport_tcp.c, built in; RDMA is transport_rdma.c, the separate
 * module hadisk_rdma.ko. transport.c keeps the registry: a transport module
 * registers its ops at load and unregisters them at unload; a resource
 * holds a reference (hd_transport_get(), a module reference) from CONNECT
 * until its next CONNECT or its destruction, so a module in use cannot be
 * unloaded.
 *
 * Rules for every implementation: send() and recv_all() block until done or
 * the channel fails; shutdown() makes every blocked call on the channel
 * return an error promptly and may be called from any thread, any number
 * of times; close() is called once, after every caller has returned.
 */
#ifndef HD_TRANSPORT_H
#define HD_TRANSPORT_H

#include <linux/types.h>
#include <linux/uio.h>
#include <linux/bvec.h>
#include <linux/list.h>
#include <linux/module.h>
#include <net/net_namespace.h>

struct hd_listener;
struct hd_chan;

struct hd_transport_ops {
	const char *name;
	u8 id;			/* enum hadisk_transport */
	struct module *owner;	/* NULL for the built-in TCP */
	struct list_head list;	/* on the registry, transport.c */
	int (*listen)(struct net *net, struct sockaddr_storage *addr, int len,
		      struct hd_listener **out);
	/* Waits at most timeout_ms; -EAGAIN when nobody came. */
	int (*accept)(struct hd_listener *l, int timeout_ms,
		      struct hd_chan **out);
	void (*unlisten)(struct hd_listener *l);
	int (*connect)(struct net *net, struct sockaddr_storage *local,
		       struct sockaddr_storage *peer, int len, int timeout_ms,
		       struct hd_chan **out);
	/*
	 * Send a header and an optional bvec payload as one unit; more
	 * says another packet follows at once (cork).
	 */
	int (*send)(struct hd_chan *c, const void *hdr, size_t hdr_len,
		    const struct bio_vec *bv, unsigned int nbv, size_t bv_len,
		    bool more);
	/*
	 * Optional: send() without copying the payload. The stack keeps a
	 * reference on the payload's pages after the call returns, until the
	 * peer's transport acknowledged them, so the caller may use it only
	 * for pages nobody changes before the peer acknowledged the packet
	 * (protocols B and C) or pages it frees with put_page().
	 */
	int (*send_zc)(struct hd_chan *c, const void *hdr, size_t hdr_len,
		       const struct bio_vec *bv, unsigned int nbv,
		       size_t bv_len, bool more);
	int (*recv_all)(struct hd_chan *c, void *buf, size_t len);
	/* Receive into a bvec array, all of it. */
	int (*recv_bvec)(struct hd_chan *c, struct bio_vec *bv,
			 unsigned int nbv, size_t len);
	/*
	 * Receive up to len bytes, waiting at most timeout_ms: > 0 bytes,
	 * -EAGAIN on timeout, other negative on failure, 0 on close.
	 */
	int (*recv_some)(struct hd_chan *c, void *buf, size_t len,
			 int timeout_ms);
	/* Optional: has data arrived that no recv took yet? (a hint) */
	bool (*rx_pending)(struct hd_chan *c);
	void (*shutdown)(struct hd_chan *c);
	void (*close)(struct hd_chan *c);
	/* Peer address as text, for messages. */
	void (*peer_name)(struct hd_chan *c, char *buf, size_t len);
	/*
	 * Optional: explain err, returned by listen() or connect() for these
	 * addresses, in words naming the fix; returns false to leave it to
	 * the generic message.
	 */
	bool (*explain)(struct net *net, const struct sockaddr_storage *local,
			const struct sockaddr_storage *peer, int err,
			char *buf, size_t len);
};

extern struct hd_transport_ops hd_tcp_ops;

int hd_transport_register(struct hd_transport_ops *ops);
void hd_transport_unregister(struct hd_transport_ops *ops);
const struct hd_transport_ops *hd_transport_get(const char *name);
void hd_transport_put(const struct hd_transport_ops *ops);
int hd_transport_init(void);
void hd_transport_exit(void);

#endif /* HD_TRANSPORT_H */
