// SPDX-License-Identifier: GPL-2.0
/*
 * The heartbeat thread: one UDP socket per configured path (bound to the
 * path's local address, sending to the peer's), and one to the witness.
 * Every heartbeat-interval it sends a HEARTBEAT on each path with this
 * node's view of its resources, and checks each path's silence: a path is
 * down when nothing was heard on it for heartbeat-timeout, the peer is
 * lost when every path is down. Transitions are logged and published in
 * the view. It also renews the witness's lease of each resource this node
 * is Primary of, and carries the peer's REQUESTs (each run by its own
 * thread, answered with a RESPONSE) and the witness's answers.
 *
 * State: paths[] (fds, echo of the peer's last tx_us) belongs to the
 * heartbeat thread; the fds are also written by other threads (sendto on a
 * UDP socket is atomic). req_lock protects the outgoing request (one at a
 * time, callers serialized by req_serial) and the table of the peer's
 * requests (done[]), which de-duplicates retransmissions.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <urcu.h>

#include "hadiskd.h"
#include "hbproto.h"
#include "lease.h"
#include "log.h"
#include "view.h"

#define SLICE_MS	500	/* how often the thread checks hd_stopping */
#define PEER_REQS	16	/* the peer's requests remembered */
#define LATE_US		500000	/* a tick this late is logged */

struct path {
	int fd;
	char name[160];		/* "1 (10.0.0.1:7790 -> 10.0.0.2:7790)" */
	uint64_t echo_tx_us;	/* the peer's last tx_us here */
	uint64_t echo_at_us;	/* when it arrived */
	uint64_t last_err_log_us;
	uint64_t last_drop_log_us;	/* drops are logged once per 30 s */
};

struct peer_req {
	uint32_t id;
	bool done;
	uint8_t status;
	char text[HD_HB_TEXT + 1];
	uint64_t at_us;
};

static struct path paths[HD_DCONF_MAX_PATHS];
static unsigned int npaths;
static int wit_fd = -1;
static uint64_t seq;
static pthread_t hb_thread;

static pthread_mutex_t req_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t req_serial = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t req_cond;
static struct {
	uint32_t id;		/* 0: none outstanding */
	bool answered;
	uint8_t status;
	char text[HD_HB_TEXT + 1];
} out_req;
static uint32_t next_req_id;
static struct peer_req done[PEER_REQS];

static socklen_t sockaddr_of(const struct hd_addr *a,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *in6;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(a->port);
		memcpy(&in->sin_addr, a->bytes, 4);
		return sizeof(*in);
	}
	in6 = (struct sockaddr_in6 *)ss;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(a->port);
	memcpy(&in6->sin6_addr, a->bytes, 16);
	return sizeof(*in6);
}

static void fill_header(struct hd_hb_msg *m, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->seq = __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED);
	m->tx_us = hd_now_us();
	hd_strlcpy(m->node, hd_conf.node, sizeof(m->node));
}

/* This node's resources as the heartbeat carries them. */
static void fill_res(struct hd_hb_msg *m)
{
	struct hd_view *v = malloc(sizeof(*v));
	unsigned int i;

	if (!v)
		return;
	hd_view_get(v);
	m->nres = v->nres;
	for (i = 0; i < v->nres && i < HD_HB_MAX_RES; i++) {
		struct hd_hb_res *r = &m->res[i];

		hd_strlcpy(r->name, v->res[i].name, sizeof(r->name));
		r->role = v->res[i].role;
		r->disk = v->res[i].disk;
		r->conn = v->res[i].conn;
		r->flags = (v->res[i].active ? HD_HB_RES_ACTIVE : 0) |
			(v->res[i].services_up ? HD_HB_RES_SERVICES : 0);
	}
	free(v);
}

static void count_tx(struct hd_view *v, void *arg)
{
	const int *r = arg;	/* r[0] path, r[1] 0 ok / 1 error */

	if (r[1])
		v->paths[r[0]].tx_err++;
	else
		v->paths[r[0]].tx++;
}

static void send_on(unsigned int i, struct hd_hb_msg *m)
{
	struct sockaddr_storage ss;
	uint8_t buf[HD_HB_SIZE];
	socklen_t len = sockaddr_of(&hd_conf.paths[i].peer, &ss);
	int r[2] = { (int)i, 0 };
	uint64_t now = hd_now_us();

	hd_hb_encode(m, hd_key(), buf);
	if (sendto(paths[i].fd, buf, sizeof(buf), MSG_DONTWAIT,
		   (struct sockaddr *)&ss, len) != (ssize_t)sizeof(buf)) {
		r[1] = 1;
		if (now - paths[i].last_err_log_us > 30000000ull) {
			paths[i].last_err_log_us = now;
			hd_log(LOG_WARNING,
			       "heartbeat path %s: sending failed: %s (logged once per 30 s)",
			       paths[i].name, strerror(errno));
		}
	}
	if (m->type == HD_HB_HEARTBEAT)
		hd_view_update(count_tx, r);
}

static void send_all(struct hd_hb_msg *m)
{
	unsigned int i;

	for (i = 0; i < npaths; i++)
		send_on(i, m);
}

/*
 * Renews the witness's lease of every resource this node is Primary of.
 * Done here, every heartbeat-interval, and not by the decision loop: an
 * action (a hook running for seconds) must never let the lease lapse.
 */
static void renew_leases(void)
{
	struct hd_view *v = malloc(sizeof(*v));
	unsigned int i;

	if (!v)
		return;
	hd_view_get(v);
	for (i = 0; i < v->nres; i++)
		if (v->res[i].in_kernel && v->res[i].role == HADISK_ROLE_PRIMARY)
			hd_hb_witness(HD_HB_ACQUIRE, v->res[i].name);
	free(v);
}

static void send_heartbeats(void)
{
	struct hd_hb_msg m;
	unsigned int i;
	uint64_t now;

	fill_header(&m, HD_HB_HEARTBEAT);
	fill_res(&m);
	for (i = 0; i < npaths; i++) {
		now = hd_now_us();
		m.echo_us = paths[i].echo_tx_us;
		m.echo_delay_us = paths[i].echo_tx_us ?
			(uint32_t)(now - paths[i].echo_at_us) : 0;
		send_on(i, &m);
	}
}

void hd_hb_witness(uint8_t type, const char *res)
{
	struct hd_hb_msg m;
	uint8_t buf[HD_HB_SIZE];

	if (wit_fd < 0)
		return;
	fill_header(&m, type);
	hd_strlcpy(m.subject, res, sizeof(m.subject));
	m.lease_ms = hd_conf.lease_ms;
	hd_hb_encode(&m, hd_key(), buf);
	/* unreachable witness: the missing answer says it */
	if (send(wit_fd, buf, sizeof(buf), MSG_DONTWAIT) < 0)
		return;
}

/* --- what the thread publishes ------------------------------------- */

struct heard {
	unsigned int path;
	uint64_t now;
	uint64_t rtt_us;
	const struct hd_hb_msg *m;
};

static void set_heard(struct hd_view *v, void *arg)
{
	const struct heard *h = arg;
	struct hd_vpath *p = &v->paths[h->path];
	unsigned int i;
	int k;

	p->last_us = h->now;
	p->rx++;
	if (h->rtt_us)
		p->rtt_us = h->rtt_us;
	v->peer_last_us = h->now;
	hd_strlcpy(v->peer_node, h->m->node, sizeof(v->peer_node));
	if (h->m->type != HD_HB_HEARTBEAT)
		return;
	for (i = 0; i < h->m->nres; i++) {
		k = hd_view_res(v, h->m->res[i].name);
		if (k < 0)
			continue;
		v->res[k].peer_known = true;
		v->res[k].peer = h->m->res[i];
	}
}

static void log_path(unsigned int i, bool up, const struct hd_view *v,
		     unsigned int nup, uint64_t now)
{
	if (up) {
		hd_log(LOG_NOTICE,
		       "heartbeat path %s is up (rtt %.1f ms); the peer is heard on %u of %u paths",
		       paths[i].name, v->paths[i].rtt_us / 1000.0, nup,
		       npaths);
		return;
	}
	if (!v->paths[i].last_us) {
		hd_log(LOG_WARNING,
		       "heartbeat path %s: nothing heard from the peer yet",
		       paths[i].name);
		return;
	}
	hd_log(LOG_WARNING,
	       "heartbeat path %s is down: nothing heard for %.1f s; the peer is still heard on %u of %u paths",
	       paths[i].name, (now - v->paths[i].last_us) / 1e6, nup, npaths);
}

struct check {
	uint64_t now;
	bool up[HD_DCONF_MAX_PATHS];
	bool lost;
};

static void set_check(struct hd_view *v, void *arg)
{
	const struct check *c = arg;
	unsigned int i;

	for (i = 0; i < npaths; i++)
		v->paths[i].up = c->up[i];
	v->peer_lost = c->lost;
}

/* When the peer will count as lost if nothing arrives (check_paths). */
static uint64_t loss_due_us = UINT64_MAX;

static void check_paths(void)
{
	struct hd_view *v = malloc(sizeof(*v));
	uint64_t last[HD_DCONF_MAX_PATHS], since;
	uint64_t timeout = hd_conf.timeout_ms * 1000ull;
	struct check c = { .now = hd_now_us() };
	unsigned int i, nup = 0;
	bool changed = false;

	if (!v)
		return;
	hd_view_get(v);
	for (i = 0; i < npaths; i++) {
		last[i] = v->paths[i].last_us;
		c.up[i] = hd_path_up(last[i], c.now, timeout);
		nup += c.up[i];
		changed |= c.up[i] != v->paths[i].up;
	}
	c.lost = hd_peer_lost(last, npaths, c.now, timeout, v->started_us,
			      &since);
	loss_due_us = c.lost ? UINT64_MAX :
		(since ? since : v->started_us) + timeout;
	for (i = 0; i < npaths; i++)
		if (c.up[i] != v->paths[i].up &&
		    (c.up[i] || v->paths[i].last_us ||
		     c.now - v->started_us >= timeout))
			log_path(i, c.up[i], v, nup, c.now);
	if (c.lost && !v->peer_lost) {
		if (since)
			hd_log(LOG_WARNING,
			       "peer %s lost on all %u paths: nothing heard for %.1f s",
			       hd_conf.peer, npaths, (c.now - since) / 1e6);
		else
			hd_log(LOG_WARNING,
			       "peer %s not heard on any of %u paths since hadiskd started %.1f s ago",
			       hd_conf.peer, npaths,
			       (c.now - v->started_us) / 1e6);
	} else if (!c.lost && v->peer_lost) {
		hd_log(LOG_NOTICE, "peer %s is heard again (%u of %u paths up)",
		       hd_conf.peer, nup, npaths);
	}
	if (changed || c.lost != v->peer_lost)
		hd_view_update(set_check, &c);
	/* the decision loop acts on it now, not at its next tick */
	if (c.lost && !v->peer_lost)
		hd_wake_decide();
	free(v);
}

/* --- requests -------------------------------------------------------- */

struct job {
	uint32_t id;
	uint8_t op;
	char res[HD_HB_NAME + 1];
};

static void respond(uint32_t id, uint8_t status, const char *text)
{
	struct hd_hb_msg m;

	fill_header(&m, HD_HB_RESPONSE);
	m.req_id = id;
	m.op = status;
	hd_strlcpy(m.text, text, sizeof(m.text));
	send_all(&m);
}

static void *job_main(void *arg)
{
	struct job *j = arg;
	char msg[HD_HB_TEXT + 1];
	unsigned int i;
	int ret;

	rcu_register_thread();
	ret = hd_act_peer_request(j->op, j->res, msg, sizeof(msg));
	if (!ret && !msg[0])
		hd_strlcpy(msg, "done", sizeof(msg));
	pthread_mutex_lock(&req_lock);
	for (i = 0; i < PEER_REQS; i++)
		if (done[i].id == j->id) {
			done[i].done = true;
			done[i].status = ret ? 1 : 0;
			hd_strlcpy(done[i].text, msg, sizeof(done[i].text));
		}
	pthread_mutex_unlock(&req_lock);
	respond(j->id, ret ? 1 : 0, msg);
	free(j);
	rcu_unregister_thread();
	return NULL;
}

static void on_request(const struct hd_hb_msg *m)
{
	struct peer_req *slot = &done[0];
	struct job *j;
	pthread_t t;
	unsigned int i;

	pthread_mutex_lock(&req_lock);
	for (i = 0; i < PEER_REQS; i++) {
		if (done[i].id == m->req_id) {
			struct peer_req r = done[i];

			pthread_mutex_unlock(&req_lock);
			if (r.done)	/* our answer was lost: again */
				respond(r.id, r.status, r.text);
			return;
		}
		if (done[i].at_us < slot->at_us)
			slot = &done[i];
	}
	memset(slot, 0, sizeof(*slot));
	slot->id = m->req_id;
	slot->at_us = hd_now_us();
	pthread_mutex_unlock(&req_lock);

	hd_log(LOG_NOTICE, "%s: the peer %s asks: %s", m->subject, m->node,
	       m->op == HD_HB_OP_PROMOTE ? "promote" :
	       m->op == HD_HB_OP_DEMOTE ? "demote" : "?");
	j = calloc(1, sizeof(*j));
	if (!j)
		return;
	j->id = m->req_id;
	j->op = m->op;
	hd_strlcpy(j->res, m->subject, sizeof(j->res));
	if (pthread_create(&t, NULL, job_main, j)) {
		free(j);
		respond(m->req_id, 1, "cannot start a thread");
		return;
	}
	pthread_detach(t);
}

static void on_response(const struct hd_hb_msg *m)
{
	pthread_mutex_lock(&req_lock);
	if (out_req.id && out_req.id == m->req_id && !out_req.answered) {
		out_req.answered = true;
		out_req.status = m->op;
		hd_strlcpy(out_req.text, m->text, sizeof(out_req.text));
		pthread_cond_broadcast(&req_cond);
	}
	pthread_mutex_unlock(&req_lock);
}

int hd_hb_request(uint8_t op, const char *res, uint32_t timeout_ms,
		  char *msg, size_t size)
{
	uint64_t deadline = hd_now_us() + timeout_ms * 1000ull;
	struct hd_hb_msg m;
	int ret = -1;

	if (!npaths) {
		snprintf(msg, size, "no heartbeat path is configured");
		return -1;
	}
	pthread_mutex_lock(&req_serial);
	pthread_mutex_lock(&req_lock);
	if (!next_req_id)
		next_req_id = (uint32_t)(hd_now_us() & 0xffffff) | 1;
	out_req.id = next_req_id++;
	out_req.answered = false;
	fill_header(&m, HD_HB_REQUEST);
	m.req_id = out_req.id;
	m.op = op;
	hd_strlcpy(m.subject, res, sizeof(m.subject));
	while (!out_req.answered) {
		struct timespec ts;
		uint64_t now = hd_now_us(), until;

		if (now >= deadline)
			break;
		pthread_mutex_unlock(&req_lock);
		send_all(&m);	/* again each interval: a path may drop it */
		pthread_mutex_lock(&req_lock);
		until = now + hd_conf.interval_ms * 1000ull;
		if (until > deadline)
			until = deadline;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		until = until - now + (uint64_t)ts.tv_sec * 1000000 +
			(uint64_t)ts.tv_nsec / 1000;
		ts.tv_sec = (time_t)(until / 1000000);
		ts.tv_nsec = (long)(until % 1000000) * 1000;
		while (!out_req.answered &&
		       pthread_cond_timedwait(&req_cond, &req_lock, &ts) == 0)
			;
	}
	if (out_req.answered) {
		ret = out_req.status ? -1 : 0;
		snprintf(msg, size, "%s", out_req.text);
	} else {
		snprintf(msg, size, "the peer did not answer within %.1f s",
			 timeout_ms / 1000.0);
	}
	out_req.id = 0;
	pthread_mutex_unlock(&req_lock);
	pthread_mutex_unlock(&req_serial);
	return ret;
}

/* --- receiving ------------------------------------------------------- */

struct witness_answer {
	const struct hd_hb_msg *m;
	uint64_t now;
};

static void set_witness(struct hd_view *v, void *arg)
{
	const struct witness_answer *w = arg;
	int k = hd_view_res(v, w->m->subject);
	struct hd_vres *r;

	v->witness_last_us = w->now;
	if (k < 0)
		return;
	r = &v->res[k];
	r->wit_reply = w->m->type;
	r->wit_reply_us = w->now;
	r->wit_sent_us = w->m->echo_us;
	r->wit_lease_ms = w->m->lease_ms;
	hd_strlcpy(r->wit_holder, w->m->type == HD_HB_GRANT ? hd_conf.node :
		   w->m->text, sizeof(r->wit_holder));
	if (w->m->type == HD_HB_GRANT)
		r->lease_until_us = 1000 *
			hd_lease_local_until(w->m->echo_us / 1000,
					     w->m->lease_ms);
}

static void on_witness(int fd)
{
	uint8_t buf[HD_HB_SIZE + 1];
	struct witness_answer w;
	struct hd_hb_msg m;
	const char *why;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
		if (hd_hb_decode(buf, (size_t)n, hd_key(), &m, &why)) {
			hd_log(LOG_WARNING, "dropping a datagram from the witness: %s",
			       why);
			continue;
		}
		if (m.type != HD_HB_GRANT && m.type != HD_HB_DENY)
			continue;
		w.m = &m;
		w.now = hd_now_us();
		hd_view_update(set_witness, &w);
	}
}

static bool drop_log(unsigned int i, uint64_t now)
{
	if (paths[i].last_drop_log_us &&
	    now - paths[i].last_drop_log_us < 30000000ull)
		return false;
	paths[i].last_drop_log_us = now;
	return true;
}

static void on_path(unsigned int i)
{
	uint8_t buf[HD_HB_SIZE + 1];
	struct hd_hb_msg m;
	struct heard h;
	const char *why;
	ssize_t n;

	while ((n = recv(paths[i].fd, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
		h.now = hd_now_us();
		if (hd_hb_decode(buf, (size_t)n, hd_key(), &m, &why)) {
			if (drop_log(i, h.now))
				hd_log(LOG_WARNING, "heartbeat path %s: dropping a datagram: %s (logged once per 30 s)",
				       paths[i].name, why);
			continue;
		}
		if (strcmp(m.node, hd_conf.peer)) {
			if (drop_log(i, h.now))
				hd_log(LOG_WARNING,
				       "heartbeat path %s: dropping a datagram from node '%s': the peer is '%s' (see 'peer' in %s; logged once per 30 s)",
				       paths[i].name, m.node, hd_conf.peer,
				       hd_conf.file);
			continue;
		}
		h.path = i;
		h.m = &m;
		h.rtt_us = 0;
		if (m.type == HD_HB_HEARTBEAT) {
			if (m.echo_us && h.now > m.echo_us + m.echo_delay_us)
				h.rtt_us = h.now - m.echo_us - m.echo_delay_us;
			paths[i].echo_tx_us = m.tx_us;
			paths[i].echo_at_us = h.now;
		}
		hd_view_update(set_heard, &h);
		if (m.type == HD_HB_REQUEST)
			on_request(&m);
		else if (m.type == HD_HB_RESPONSE)
			on_response(&m);
	}
}

static void *hb_main(void *arg)
{
	struct pollfd pfd[HD_DCONF_MAX_PATHS + 1];
	uint64_t next = hd_now_us(), now, interval, late_log_us = 0, due;
	unsigned int i, n;
	int rc;

	(void)arg;
	rcu_register_thread();
	interval = hd_conf.interval_ms * 1000ull;
	while (!hd_stopping) {
		now = hd_now_us();
		if (now >= next + LATE_US && now - late_log_us >= 30000000ull) {
			late_log_us = now;
			hd_log(LOG_WARNING,
			       "the heartbeat thread is %.1f s late (an overloaded or stalled machine): the peer may miss heartbeats and the witness's lease may lapse (logged once per 30 s)",
			       (now - next) / 1e6);
		}
		if (now >= next) {
			if (npaths)
				send_heartbeats();
			if (wit_fd >= 0)
				renew_leases();
			check_paths();
			next += interval;
			if (next <= now)
				next = now + interval;
		}
		n = 0;
		for (i = 0; i < npaths; i++) {
			pfd[n].fd = paths[i].fd;
			pfd[n++].events = POLLIN;
		}
		if (wit_fd >= 0) {
			pfd[n].fd = wit_fd;
			pfd[n++].events = POLLIN;
		}
		now = hd_now_us();
		/* wake up when the peer would be lost, not a tick later */
		due = next < loss_due_us ? next : loss_due_us;
		rc = poll(pfd, n, due > now ? (int)((due - now) / 1000) + 1 : 0);
		if (npaths && hd_now_us() >= loss_due_us)
			check_paths();
		if (rc <= 0)
			continue;
		for (i = 0; i < npaths; i++)
			if (pfd[i].revents)
				on_path(i);
		if (wit_fd >= 0 && pfd[npaths].revents)
			on_witness(wit_fd);
	}
	rcu_unregister_thread();
	return NULL;
}

static int open_path(unsigned int i, char *err, size_t size)
{
	const struct hd_dpath *p = &hd_conf.paths[i];
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(&p->local, &ss);
	char l[64], r[64];
	int one = 1;

	hd_format_addr(&p->local, l, sizeof(l));
	hd_format_addr(&p->peer, r, sizeof(r));
	snprintf(paths[i].name, sizeof(paths[i].name), "%u (%s -> %s)", i + 1,
		 l, r);
	paths[i].fd = socket(p->local.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (paths[i].fd < 0) {
		snprintf(err, size, "heartbeat path %s: socket: %s",
			 paths[i].name, strerror(errno));
		return -1;
	}
	setsockopt(paths[i].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(paths[i].fd, (struct sockaddr *)&ss, len)) {
		snprintf(err, size,
			 "heartbeat path %s: cannot bind %s: %s (is the address configured on an interface of this node? see 'path' in %s)",
			 paths[i].name, l, strerror(errno), hd_conf.file);
		close(paths[i].fd);
		return -1;
	}
	return 0;
}

int hd_hb_start(char *err, size_t size)
{
	pthread_condattr_t ca;
	unsigned int i;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&req_cond, &ca);
	for (i = 0; i < hd_conf.npaths; i++) {
		if (open_path(i, err, size)) {
			while (i--)
				close(paths[i].fd);
			return -1;
		}
	}
	npaths = hd_conf.npaths;
	if (hd_conf.has_witness) {
		struct sockaddr_storage ss;
		socklen_t len = sockaddr_of(&hd_conf.witness, &ss);

		wit_fd = socket(hd_conf.witness.family,
				SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (wit_fd < 0 || connect(wit_fd, (struct sockaddr *)&ss, len)) {
			snprintf(err, size, "the witness's socket: %s",
				 strerror(errno));
			return -1;
		}
	}
	if (pthread_create(&hb_thread, NULL, hb_main, NULL)) {
		snprintf(err, size, "cannot start the heartbeat thread");
		return -1;
	}
	return 0;
}

void hd_hb_join(void)
{
	unsigned int i;

	pthread_join(hb_thread, NULL);
	for (i = 0; i < npaths; i++)
		close(paths[i].fd);
	if (wit_fd >= 0)
		close(wit_fd);
}
