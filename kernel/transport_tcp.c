// SPDX-License-Identifier: GPL-2.0
/*
 * TCP transport. Every socket is a kernel socket created in the network
 * namespace of the resource, with Nagle off (we cork with MSG_MORE instead)
 * and GFP_NOIO allocations, since it sits under the block layer.
 *
 * Sends may run in the context of an application thread that submits a
 * write, which can have a signal pending: a send interrupted that way is
 * resumed where it stopped (the stream must never carry half a packet), and
 * MSG_NOSIGNAL keeps a broken link from raising SIGPIPE in the application.
 * A dead link ends the loop: the link threads shut the socket down.
 */
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "uapi/linux/hadisk.h"
#include "transport.h"

struct hd_listener {
	struct socket *sock;
};

struct hd_chan {
	struct socket *sock;
};

static void htcp_tune(struct socket *sock)
{
	struct sock *sk = sock->sk;

	sk->sk_allocation = GFP_NOIO;
	hd_sock_no_task_frag(sk);
	tcp_sock_set_nodelay(sk);
	sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
}

static struct hd_chan *chan_new(struct socket *sock)
{
	struct hd_chan *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->sock = sock;
	htcp_tune(sock);
	return c;
}

static int htcp_listen(struct net *net, struct sockaddr_storage *addr, int len,
		      struct hd_listener **out)
{
	struct hd_listener *l;
	struct socket *sock;
	int err;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	err = sock_create_kern(net, addr->ss_family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		goto out_free;
	sock_set_reuseaddr(sock->sk);
	err = kernel_bind(sock, (struct sockaddr *)addr, len);
	if (err)
		goto out_release;
	err = kernel_listen(sock, 4);
	if (err)
		goto out_release;
	l->sock = sock;
	*out = l;
	return 0;

out_release:
	sock_release(sock);
out_free:
	kfree(l);
	return err;
}

static int htcp_accept(struct hd_listener *l, int timeout_ms,
		      struct hd_chan **out)
{
	struct socket *nsock;
	struct hd_chan *c;
	int err;

	l->sock->sk->sk_rcvtimeo = msecs_to_jiffies(timeout_ms);
	err = kernel_accept(l->sock, &nsock, 0);
	if (err)
		return err == -ERESTARTSYS || err == -EINTR ? -EAGAIN : err;
	c = chan_new(nsock);
	if (!c) {
		sock_release(nsock);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

static void htcp_unlisten(struct hd_listener *l)
{
	kernel_sock_shutdown(l->sock, SHUT_RDWR);
	sock_release(l->sock);
	kfree(l);
}

static int htcp_connect(struct net *net, struct sockaddr_storage *local,
		       struct sockaddr_storage *peer, int len, int timeout_ms,
		       struct hd_chan **out)
{
	struct sockaddr_storage src = *local;
	struct socket *sock;
	struct hd_chan *c;
	int err;

	err = sock_create_kern(net, peer->ss_family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		return err;
	/* Bind the configured source address, any port. */
	if (src.ss_family == AF_INET)
		((struct sockaddr_in *)&src)->sin_port = 0;
	else
		((struct sockaddr_in6 *)&src)->sin6_port = 0;
	err = kernel_bind(sock, (struct sockaddr *)&src, len);
	if (err)
		goto out_release;
	sock->sk->sk_sndtimeo = msecs_to_jiffies(timeout_ms);
	err = kernel_connect(sock, (struct sockaddr *)peer, len, 0);
	if (err)
		goto out_release;
	c = chan_new(sock);
	if (!c) {
		err = -ENOMEM;
		goto out_release;
	}
	*out = c;
	return 0;

out_release:
	sock_release(sock);
	return err;
}

/*
 * A send that returned rv <= 0: true when it was only interrupted and is
 * to be resumed (after a tick if a signal is pending).
 */
static bool send_interrupted(int rv)
{
	if (rv != -EINTR && rv != -ERESTARTSYS && rv != -EAGAIN)
		return false;
	if (signal_pending(current))
		schedule_timeout_uninterruptible(1);
	return true;
}

/* Push the whole of msg->msg_iter, resuming after interruptions. */
static int send_iter(struct socket *sock, struct msghdr *msg)
{
	while (msg_data_left(msg)) {
		int rv = sock_sendmsg(sock, msg);

		if (rv > 0 || send_interrupted(rv))
			continue;
		return rv ? rv : -EPIPE;
	}
	return 0;
}

static int htcp_send(struct hd_chan *c, const void *hdr, size_t hdr_len,
		    const struct bio_vec *bv, unsigned int nbv, size_t bv_len,
		    bool more)
{
	struct kvec kv = { .iov_base = (void *)hdr, .iov_len = hdr_len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	int err;

	if (bv_len || more)
		msg.msg_flags |= MSG_MORE;
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, hdr_len);
	err = send_iter(c->sock, &msg);
	if (err || !bv_len)
		return err;
	msg.msg_flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, bv, nbv, bv_len);
	return send_iter(c->sock, &msg);
}

/*
 * One piece of one page, by reference (kernel_sendpage) when the page can
 * be referenced, else copied.
 */
static int send_page(struct socket *sock, struct page *page,
		     unsigned int off, unsigned int len, int flags)
{
	if (!sendpage_ok(page)) {
		struct bio_vec bv = { .bv_page = page, .bv_offset = off,
				      .bv_len = len };
		struct msghdr msg = { .msg_flags = flags };

		iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bv, 1, len);
		return send_iter(sock, &msg);
	}
	while (len) {
		int rv = kernel_sendpage(sock, page, off, len, flags);

		if (rv > 0) {
			off += rv;
			len -= rv;
			continue;
		}
		if (send_interrupted(rv))
			continue;
		return rv ? rv : -EPIPE;
	}
	return 0;
}

/*
 * The payload's pages go into the socket buffers by reference, one page
 * at a time (a bvec may span several): the receiver's copy is the only
 * one on the way.
 */
static int htcp_send_zc(struct hd_chan *c, const void *hdr, size_t hdr_len,
			const struct bio_vec *bv, unsigned int nbv,
			size_t bv_len, bool more)
{
	struct kvec kv = { .iov_base = (void *)hdr, .iov_len = hdr_len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | MSG_MORE };
	size_t left = bv_len;
	unsigned int i;
	int err;

	if (!bv_len)
		return htcp_send(c, hdr, hdr_len, NULL, 0, 0, more);
	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, hdr_len);
	err = send_iter(c->sock, &msg);
	for (i = 0; !err && i < nbv && left; i++) {
		unsigned int off = bv[i].bv_offset;
		unsigned int end = off + min_t(size_t, bv[i].bv_len, left);

		while (!err && off < end) {
			unsigned int po = offset_in_page(off);
			unsigned int n = min_t(unsigned int, end - off,
					       PAGE_SIZE - po);
			int flags = MSG_NOSIGNAL;

			left -= n;
			if (left || more)
				flags |= MSG_MORE;
			err = send_page(c->sock,
					nth_page(bv[i].bv_page, off >> PAGE_SHIFT),
					po, n, flags);
			off += n;
		}
	}
	return err;
}

static int recv_iter(struct socket *sock, struct msghdr *msg)
{
	while (msg_data_left(msg)) {
		int rv = sock_recvmsg(sock, msg, MSG_WAITALL);

		if (rv > 0)
			continue;
		if (rv == -EINTR || rv == -ERESTARTSYS || rv == -EAGAIN)
			continue;
		return rv ? rv : -ECONNRESET;
	}
	return 0;
}

static int htcp_recv_all(struct hd_chan *c, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { };

	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, len);
	return recv_iter(c->sock, &msg);
}

static int htcp_recv_bvec(struct hd_chan *c, struct bio_vec *bv,
			 unsigned int nbv, size_t len)
{
	struct msghdr msg = { };

	iov_iter_bvec(&msg.msg_iter, ITER_DEST, bv, nbv, len);
	return recv_iter(c->sock, &msg);
}

static int htcp_recv_some(struct hd_chan *c, void *buf, size_t len,
			 int timeout_ms)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { };
	int rv;

	c->sock->sk->sk_rcvtimeo = msecs_to_jiffies(timeout_ms);
	iov_iter_kvec(&msg.msg_iter, ITER_DEST, &kv, 1, len);
	rv = sock_recvmsg(c->sock, &msg, 0);
	if (rv == -EINTR || rv == -ERESTARTSYS)
		rv = -EAGAIN;
	return rv;
}

static bool htcp_rx_pending(struct hd_chan *c)
{
	struct tcp_sock *tp = tcp_sk(c->sock->sk);

	return READ_ONCE(tp->rcv_nxt) != READ_ONCE(tp->copied_seq);
}

static void htcp_shutdown(struct hd_chan *c)
{
	kernel_sock_shutdown(c->sock, SHUT_RDWR);
}

static void htcp_close(struct hd_chan *c)
{
	sock_release(c->sock);
	kfree(c);
}

static void htcp_peer_name(struct hd_chan *c, char *buf, size_t len)
{
	struct sockaddr_storage ss;

	if (kernel_getpeername(c->sock, (struct sockaddr *)&ss) < 0)
		strscpy(buf, "?", len);
	else
		snprintf(buf, len, "%pISpc", &ss);
}

/* A refused TCP connect may be a peer configured for RDMA: say so. */
static bool htcp_explain(struct net *net, const struct sockaddr_storage *local,
			 const struct sockaddr_storage *peer, int err,
			 char *buf, size_t len)
{
	if (err != -ECONNREFUSED || !peer)
		return false;
	snprintf(buf, len,
		 "cannot connect to %pISpc: connection refused (is the resource up on the peer? with 'transport tcp;' there too: a peer on RDMA does not listen on TCP)",
		 peer);
	return true;
}

struct hd_transport_ops hd_tcp_ops = {
	.name = "tcp",
	.id = HADISK_TRANSPORT_TCP,
	.listen = htcp_listen,
	.accept = htcp_accept,
	.unlisten = htcp_unlisten,
	.connect = htcp_connect,
	.send = htcp_send,
	.send_zc = htcp_send_zc,
	.recv_all = htcp_recv_all,
	.recv_bvec = htcp_recv_bvec,
	.recv_some = htcp_recv_some,
	.rx_pending = htcp_rx_pending,
	.shutdown = htcp_shutdown,
	.close = htcp_close,
	.peer_name = htcp_peer_name,
	.explain = htcp_explain,
};
