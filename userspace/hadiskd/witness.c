// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskd --witness: the third node that decides which node holds each
 * resource's active token. It answers ACQUIRE with GRANT (the lease, new
 * or renewed) or DENY (who holds it, and for how long), and takes RELEASE.
 * The rules are lease.c's. It keeps no state on disk: after a restart it
 * grants nothing until the longest lease it may have granted could have
 * expired (HD_WITNESS_QUIET_MS), so a restart cannot hand out a token
 * that is still held.
 *
 * One thread, one UDP socket; the table is its own.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hadiskd.h"
#include "hbproto.h"
#include "lease.h"
#include "log.h"
#include "util.h"
#include "view.h"

#define HD_WITNESS_QUIET_MS	10000	/* no grant this long after start */
#define HD_WITNESS_MAX_LEASE	HD_WITNESS_QUIET_MS	/* leases are capped */

static const uint8_t *wkey;	/* set once, before the loop */

static void reply(int fd, const struct sockaddr_storage *to, socklen_t len,
		  const struct hd_hb_msg *req, uint8_t type, uint32_t lease,
		  const char *holder)
{
	static uint64_t seq;
	struct hd_hb_msg m;
	uint8_t buf[HD_HB_SIZE];

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.seq = ++seq;
	m.tx_us = hd_now_us();
	m.echo_us = req->tx_us;		/* the node times its lease from it */
	m.req_id = req->req_id;
	hd_strlcpy(m.node, "witness", sizeof(m.node));
	hd_strlcpy(m.subject, req->subject, sizeof(m.subject));
	m.lease_ms = lease;
	hd_strlcpy(m.text, holder, sizeof(m.text));
	hd_hb_encode(&m, wkey, buf);
	sendto(fd, buf, sizeof(buf), MSG_DONTWAIT, (const struct sockaddr *)to,
	       len);
}

/* Who holds res now ("" if nobody, or expired). */
static void holder_of(const struct hd_lease_table *t, const char *res,
		      char *out, size_t size)
{
	uint64_t now = hd_now_us() / 1000;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < HD_LEASE_MAX; i++)
		if (!strcmp(t->v[i].res, res) && t->v[i].expires_ms > now)
			hd_strlcpy(out, t->v[i].holder, size);
}

int hd_witness_run(const char *listen, const uint8_t *key)
{
	struct hd_lease_table *t = calloc(1, sizeof(*t));
	struct sockaddr_storage ss;
	struct hd_addr a;
	const char *why;
	uint64_t start = hd_now_us() / 1000;
	socklen_t len;
	int fd, one = 1;

	if (!t)
		return HD_EXIT_USAGE;
	wkey = key;
	if (hd_parse_addr(listen, &a, &why)) {
		fprintf(stderr, "hadiskd: --listen '%s': %s (write ADDRESS:PORT, e.g. 0.0.0.0:%d)\n",
			listen, why, HD_DCONF_PORT);
		free(t);
		return HD_EXIT_USAGE;
	}
	memset(&ss, 0, sizeof(ss));
	if (a.family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(a.port);
		memcpy(&in->sin_addr, a.bytes, 4);
		len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(a.port);
		memcpy(&in6->sin6_addr, a.bytes, 16);
		len = sizeof(*in6);
	}
	fd = socket(a.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return HD_EXIT_NET;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len)) {
		hd_log(LOG_ERR, "witness: cannot bind %s: %s", listen,
		       strerror(errno));
		close(fd);
		free(t);
		return HD_EXIT_NET;
	}
	hd_log(LOG_INFO, "witness: listening on %s%s; no token is granted for the first %d s (a lease granted before a restart may still run)",
	       listen, key ? ", datagrams authenticated" : "",
	       HD_WITNESS_QUIET_MS / 1000);
	while (!hd_stopping) {
		struct pollfd p = { fd, POLLIN, 0 };
		uint8_t buf[HD_HB_SIZE + 1];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		struct hd_hb_msg m;
		const char *holder;
		char prev[HD_LEASE_NAME];
		uint32_t left, lease;
		uint64_t now;
		ssize_t n;

		if (poll(&p, 1, 500) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			continue;
		if (hd_hb_decode(buf, (size_t)n, wkey, &m, &why)) {
			hd_log(LOG_WARNING, "witness: dropping a datagram: %s",
			       why);
			continue;
		}
		now = hd_now_us() / 1000;
		lease = m.lease_ms > HD_WITNESS_MAX_LEASE ?
			HD_WITNESS_MAX_LEASE : m.lease_ms;
		if (m.type == HD_HB_RELEASE) {
			if (hd_lease_release(t, m.subject, m.node, now))
				hd_log(LOG_NOTICE, "witness: %s: %s released the active token",
				       m.subject, m.node);
			continue;
		}
		if (m.type != HD_HB_ACQUIRE)
			continue;
		if (now - start < HD_WITNESS_QUIET_MS) {
			reply(fd, &from, flen, &m, HD_HB_DENY,
			      (uint32_t)(HD_WITNESS_QUIET_MS - (now - start)),
			      "(witness starting)");
			continue;
		}
		holder_of(t, m.subject, prev, sizeof(prev));
		switch (hd_lease_acquire(t, m.subject, m.node, lease, now,
					 &holder, &left)) {
		case HD_LEASE_GRANTED:
			if (strcmp(prev, m.node))
				hd_log(LOG_NOTICE, "witness: %s: active token granted to %s for %u ms (before: %s)",
				       m.subject, m.node, left,
				       prev[0] ? prev : "nobody");
			reply(fd, &from, flen, &m, HD_HB_GRANT, left, m.node);
			break;
		case HD_LEASE_DENIED:
			reply(fd, &from, flen, &m, HD_HB_DENY, left, holder);
			break;
		case HD_LEASE_FULL:
			hd_log(LOG_WARNING, "witness: %s: no room for a %dth resource",
			       m.subject, HD_LEASE_MAX + 1);
			break;
		}
	}
	close(fd);
	free(t);
	return HD_EXIT_OK;
}
