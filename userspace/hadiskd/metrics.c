// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus metrics (text exposition format 0.0.4) on a local TCP port,
 * with "metrics ADDRESS:PORT;" in the daemon section; off without it.
 * One thread accepts and answers one client at a time: "GET /metrics"
 * (HTTP/1.0 or 1.1) gets the metrics, anything else a 404; the connection
 * closes after each answer. Documentation/hadiskd.md lists the metrics.
 *
 * The states come from one snapshot of the view (view.h); the counters
 * the view does not keep (bytes sent and received, the resync rate, the
 * minor) from a fresh GET_STATUS of each resource; the write latency from
 * /sys/kernel/debug/hadisk/hadiskN/latency when it is readable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <urcu.h>

#include "buf.h"
#include "hadiskd.h"
#include "log.h"
#include "view.h"

#define READ_DEADLINE_MS	2000
#define REQ_MAX_BYTES		2048
#define LAT_STAGES		8
#define LAT_BUCKETS		64

static int listen_fd = -1;
static pthread_t metrics_thread;

static void head(struct hd_buf *b, const char *name, const char *type,
		 const char *help)
{
	hd_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
		      type);
}

/* A label value, escaped as the format wants (\\, \" and \n). */
static void label(struct hd_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			hd_buf_putc(b, '\\');
		if (*s == '\n') {
			hd_buf_puts(b, "\\n");
			continue;
		}
		hd_buf_putc(b, *s);
	}
}

static void res_sample(struct hd_buf *b, const char *name, const char *res,
		       uint64_t value)
{
	hd_buf_printf(b, "%s{resource=\"", name);
	label(b, res);
	hd_buf_printf(b, "\"} %" PRIu64 "\n", value);
}

/* One stage's histogram, parsed from the debugfs file. */
struct lat_stage {
	char name[16];
	uint64_t count, mean_us;
	uint64_t n[LAT_BUCKETS];
};

struct latency {
	struct lat_stage st[LAT_STAGES];
	unsigned int nst;
	uint64_t limit_us[LAT_BUCKETS];	/* UINT64_MAX: the last, "more" */
	unsigned int nb;
};

/*
 * Parses the latency file of minor (kernel/stats.c): the stage table
 * ("stage count mean p50< p90< p99<" and a row per stage), then the
 * buckets ("bucket< STAGE..." and a row per upper bound in µs, "more"
 * last). Returns 0, or -1 when it is not there or not as expected.
 */
static int latency_read(uint32_t minor, struct latency *l)
{
	char path[80], line[512], *tok, *save;
	bool buckets = false;
	unsigned int i;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/hadisk/hadisk%u/latency",
		 minor);
	f = fopen(path, "re");
	if (!f)
		return -1;
	memset(l, 0, sizeof(*l));
	while (fgets(line, sizeof(line), f)) {
		tok = strtok_r(line, " \t\n", &save);
		if (!tok || tok[0] == '#' || !strcmp(tok, "stage"))
			continue;
		if (!strcmp(tok, "bucket<")) {
			buckets = true;
			continue;
		}
		if (!buckets) {
			struct lat_stage *s;

			if (l->nst == LAT_STAGES)
				continue;
			s = &l->st[l->nst];
			hd_strlcpy(s->name, tok, sizeof(s->name));
			tok = strtok_r(NULL, " \t\n", &save);
			if (!tok)
				continue;
			s->count = strtoull(tok, NULL, 10);
			tok = strtok_r(NULL, " \t\n", &save);
			if (!tok)
				continue;
			s->mean_us = strtoull(tok, NULL, 10);
			l->nst++;
			continue;
		}
		if (l->nb == LAT_BUCKETS)
			break;
		l->limit_us[l->nb] = !strcmp(tok, "more") ? UINT64_MAX :
				     strtoull(tok, NULL, 10);
		for (i = 0; i < l->nst; i++) {
			tok = strtok_r(NULL, " \t\n", &save);
			if (!tok)
				break;
			l->st[i].n[l->nb] = strtoull(tok, NULL, 10);
		}
		l->nb++;
	}
	fclose(f);
	return l->nst && l->nb ? 0 : -1;
}

static void latency_samples(struct hd_buf *b, const char *res,
			    const struct latency *l)
{
	static const char *const name = "hadisk_write_latency_seconds";
	unsigned int s, i;

	for (s = 0; s < l->nst; s++) {
		const struct lat_stage *st = &l->st[s];
		uint64_t cum = 0;
		bool inf = false;

		for (i = 0; i < l->nb; i++) {
			cum += st->n[i];
			hd_buf_printf(b, "%s_bucket{resource=\"", name);
			label(b, res);
			hd_buf_printf(b, "\",stage=\"%s\",le=\"", st->name);
			if (l->limit_us[i] == UINT64_MAX) {
				hd_buf_puts(b, "+Inf");
				inf = true;
			} else {
				hd_buf_printf(b, "%.9g",
					      (double)l->limit_us[i] / 1e6);
			}
			hd_buf_printf(b, "\"} %" PRIu64 "\n", cum);
		}
		if (!inf) {
			hd_buf_printf(b, "%s_bucket{resource=\"", name);
			label(b, res);
			hd_buf_printf(b, "\",stage=\"%s\",le=\"+Inf\"} %" PRIu64
				      "\n", st->name, cum);
		}
		hd_buf_printf(b, "%s_sum{resource=\"", name);
		label(b, res);
		hd_buf_printf(b, "\",stage=\"%s\"} %.6f\n", st->name,
			      (double)st->count * (double)st->mean_us / 1e6);
		hd_buf_printf(b, "%s_count{resource=\"", name);
		label(b, res);
		hd_buf_printf(b, "\",stage=\"%s\"} %" PRIu64 "\n", st->name,
			      st->count);
	}
}

static bool conn_connected(uint8_t c)
{
	return c == HADISK_CONN_CONNECTED || c == HADISK_CONN_SYNC_SOURCE ||
	       c == HADISK_CONN_SYNC_TARGET;
}

static const uint8_t disk_states[] = {
	HADISK_DISK_DISKLESS, HADISK_DISK_INCONSISTENT, HADISK_DISK_OUTDATED,
	HADISK_DISK_UNKNOWN, HADISK_DISK_UPTODATE,
};

static void disk_samples(struct hd_buf *b, const char *name, const char *res,
			 uint8_t disk)
{
	char s[32];
	unsigned int i;

	for (i = 0; i < sizeof(disk_states); i++) {
		hd_buf_printf(b, "%s{resource=\"", name);
		label(b, res);
		hd_buf_printf(b, "\",state=\"%s\"} %d\n",
			      hd_status_disk_str(disk_states[i], s, sizeof(s)),
			      disk == disk_states[i]);
	}
}

/* The whole answer's body. */
static void render(struct hd_buf *b)
{
	struct hd_view *v = malloc(sizeof(*v));
	struct hd_status *st = calloc(HD_DCONF_MAX_RES, sizeof(*st));
	bool fresh[HD_DCONF_MAX_RES] = { false };
	struct latency *lat = malloc(sizeof(*lat));
	unsigned int i;
	char a[64];

	if (!v || !st || !lat)
		goto out;
	hd_view_get(v);
	for (i = 0; i < v->nres; i++) {
		hd_status_init(&st[i]);
		fresh[i] = v->res[i].in_kernel &&
			   !hd_kernel_status(v->res[i].name, &st[i]);
	}

	head(b, "hadisk_role", "gauge",
	     "1 if this node is Primary for the resource, 0 otherwise (Secondary, or not in the kernel).");
	for (i = 0; i < v->nres; i++)
		res_sample(b, "hadisk_role", v->res[i].name,
			   v->res[i].in_kernel &&
			   v->res[i].role == HADISK_ROLE_PRIMARY);
	head(b, "hadisk_connected", "gauge",
	     "1 if the resource's replication link is connected (Connected, SyncSource or SyncTarget).");
	for (i = 0; i < v->nres; i++)
		res_sample(b, "hadisk_connected", v->res[i].name,
			   v->res[i].in_kernel &&
			   conn_connected(v->res[i].conn));
	head(b, "hadisk_disk_state", "gauge",
	     "1 for the local disk's current state, 0 for the others.");
	for (i = 0; i < v->nres; i++)
		disk_samples(b, "hadisk_disk_state", v->res[i].name,
			     v->res[i].in_kernel ? v->res[i].disk :
			     HADISK_DISK_DISKLESS);
	head(b, "hadisk_peer_disk_state", "gauge",
	     "1 for the peer's disk's current state as the kernel knows it, 0 for the others.");
	for (i = 0; i < v->nres; i++)
		disk_samples(b, "hadisk_peer_disk_state", v->res[i].name,
			     v->res[i].in_kernel ? v->res[i].peer_disk :
			     HADISK_DISK_UNKNOWN);
	head(b, "hadisk_out_of_sync_bytes", "gauge",
	     "Bytes marked out of sync with the peer.");
	for (i = 0; i < v->nres; i++)
		res_sample(b, "hadisk_out_of_sync_bytes", v->res[i].name,
			   fresh[i] ? st[i].oos_bytes :
			   v->res[i].in_kernel ? v->res[i].oos_bytes : 0);
	head(b, "hadisk_resync_rate_bytes_per_second", "gauge",
	     "The current resync's rate, 0 when none runs.");
	for (i = 0; i < v->nres; i++)
		if (fresh[i])
			res_sample(b, "hadisk_resync_rate_bytes_per_second",
				   v->res[i].name,
				   hd_status_resyncing(&st[i]) ?
				   st[i].resync_rate_bps : 0);
	head(b, "hadisk_bytes_sent_total", "counter",
	     "Bytes of data sent to the peer since the resource was created.");
	for (i = 0; i < v->nres; i++)
		if (fresh[i])
			res_sample(b, "hadisk_bytes_sent_total",
				   v->res[i].name, st[i].bytes_sent);
	head(b, "hadisk_bytes_received_total", "counter",
	     "Bytes of data received from the peer since the resource was created.");
	for (i = 0; i < v->nres; i++)
		if (fresh[i])
			res_sample(b, "hadisk_bytes_received_total",
				   v->res[i].name, st[i].bytes_received);
	head(b, "hadisk_heartbeat_path_up", "gauge",
	     "1 if the peer's heartbeats arrive on this path.");
	for (i = 0; i < hd_conf.npaths && i < v->npaths; i++) {
		hd_buf_printf(b, "hadisk_heartbeat_path_up{path=\"%u\",local=\"",
			      i + 1);
		hd_format_addr(&hd_conf.paths[i].local, a, sizeof(a));
		label(b, a);
		hd_buf_puts(b, "\",peer=\"");
		hd_format_addr(&hd_conf.paths[i].peer, a, sizeof(a));
		label(b, a);
		hd_buf_printf(b, "\"} %d\n", v->paths[i].up);
	}
	head(b, "hadisk_peer_up", "gauge",
	     "1 if the peer's heartbeats arrive (on any path), 0 if lost or never heard.");
	hd_buf_printf(b, "hadisk_peer_up %d\n",
		      hd_conf.npaths && !v->peer_lost && v->peer_last_us);
	head(b, "hadisk_write_latency_seconds", "histogram",
	     "Write latency by stage (local, peer-ack, al-wait, total), from the kernel's debugfs histograms.");
	for (i = 0; i < v->nres; i++)
		if (fresh[i] && st[i].has_minor &&
		    !latency_read(st[i].minor, lat))
			latency_samples(b, v->res[i].name, lat);
out:
	free(lat);
	free(st);
	free(v);
}

static void put(int fd, const char *s, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, s + off, len - off, MSG_NOSIGNAL);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;
		}
		off += (size_t)n;
	}
}

/* Reads the request's head within the deadline. 0, or -1. */
static int read_request(int fd, char *req, size_t size)
{
	uint64_t deadline = hd_now_us() + READ_DEADLINE_MS * 1000ull;
	size_t n = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		uint64_t now = hd_now_us();
		ssize_t r;

		if (now >= deadline ||
		    poll(&p, 1, (int)((deadline - now) / 1000) + 1) <= 0)
			return -1;
		r = recv(fd, req + n, size - 1 - n, 0);
		if (r <= 0)
			return n ? 0 : -1;
		n += (size_t)r;
		req[n] = '\0';
		/* the request line is all we need */
		if (strchr(req, '\n') || n == size - 1)
			return 0;
	}
}

static void serve(int fd)
{
	static const char not_found[] =
		"HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nnot found: GET /metrics\n";
	char req[REQ_MAX_BYTES], hdr[160];
	struct hd_buf b = HD_BUF_INIT;
	const char *body;
	size_t len;

	if (read_request(fd, req, sizeof(req)))
		return;
	if (strncmp(req, "GET /metrics", 12) ||
	    (req[12] != ' ' && req[12] != '?' && req[12] != '\r' &&
	     req[12] != '\n')) {
		put(fd, not_found, sizeof(not_found) - 1);
		return;
	}
	render(&b);
	body = hd_buf_str(&b);
	len = strlen(body);
	snprintf(hdr, sizeof(hdr),
		 "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
		 len);
	put(fd, hdr, strlen(hdr));
	put(fd, body, len);
	hd_buf_free(&b);
}

static void *metrics_main(void *arg)
{
	(void)arg;
	rcu_register_thread();
	while (!hd_stopping) {
		struct pollfd p = { listen_fd, POLLIN, 0 };
		int fd;

		if (poll(&p, 1, 500) <= 0)
			continue;
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		serve(fd);
		shutdown(fd, SHUT_WR);
		close(fd);
	}
	rcu_unregister_thread();
	return NULL;
}

int hd_metrics_start(char *err, size_t size)
{
	const struct hd_addr *a = &hd_conf.metrics;
	struct sockaddr_storage ss;
	socklen_t sl;
	char s[64];
	int one = 1;

	if (!hd_conf.has_metrics)
		return 0;
	memset(&ss, 0, sizeof(ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;

		in->sin_family = AF_INET;
		in->sin_port = htons(a->port);
		memcpy(&in->sin_addr, a->bytes, 4);
		sl = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(a->port);
		memcpy(&in6->sin6_addr, a->bytes, 16);
		sl = sizeof(*in6);
	}
	hd_format_addr(a, s, sizeof(s));
	listen_fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 ||
	    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one,
		       sizeof(one)) ||
	    bind(listen_fd, (struct sockaddr *)&ss, sl) ||
	    listen(listen_fd, 16)) {
		snprintf(err, size, "metrics address %s: %s", s,
			 strerror(errno));
		if (listen_fd >= 0)
			close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	if (pthread_create(&metrics_thread, NULL, metrics_main, NULL)) {
		snprintf(err, size, "cannot start the metrics thread");
		close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	hd_log(LOG_INFO, "metrics on http://%s/metrics", s);
	return 0;
}

void hd_metrics_stop(void)
{
	if (listen_fd < 0)
		return;
	pthread_join(metrics_thread, NULL);
	close(listen_fd);
	listen_fd = -1;
}
