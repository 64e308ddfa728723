// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a unix stream socket (default /run/hadiskd.sock,
 * mode 0600) for hadiskctl. A client sends one line, a command; hadiskd
 * answers with lines and closes: progress lines while it works, then a
 * last line "ok" or "error: MESSAGE". The commands:
 *
 *   status            one line of JSON (see Documentation/hadiskd.md)
 *   failover RES      promote here and start the services
 *   switchover RES    move RES to the peer, step by step
 *   promote RES       promote here and start the services (as failover,
 *                     without its check that the peer is not Primary)
 *   demote RES        stop the services here and demote
 *
 * The accept thread polls with a timeout so that it sees hd_stopping;
 * each client gets its own detached thread, which reads its line with a
 * deadline and may then take act_lock (actions.c) for a long action.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <urcu.h>

#include "buf.h"
#include "hadiskd.h"
#include "log.h"
#include "view.h"

#define READ_DEADLINE_MS	5000
#define LINE_MAX_BYTES		256

static int listen_fd = -1;
static pthread_t accept_thread;
static char sock_path[108];

static void put(int fd, const char *s)
{
	size_t len = strlen(s), off = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, s + off, len - off, MSG_NOSIGNAL);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return;		/* the client left: go on anyway */
		}
		off += (size_t)n;
	}
}

static void progress(void *arg, const char *line)
{
	int fd = *(int *)arg;

	put(fd, line);
	put(fd, "\n");
}

/* Reads one line within the deadline. 0, or -1. */
static int read_line(int fd, char *line, size_t size)
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
		r = recv(fd, line + n, size - 1 - n, 0);
		if (r <= 0)
			return n ? 0 : -1;
		n += (size_t)r;
		line[n] = '\0';
		if (strchr(line, '\n')) {
			*strchr(line, '\n') = '\0';
			return 0;
		}
		if (n == size - 1)
			return -1;
	}
}

static void answer(int fd, int ret, const char *msg)
{
	char line[400];

	if (ret)
		snprintf(line, sizeof(line), "error: %s\n", msg);
	else
		snprintf(line, sizeof(line), "ok\n");
	put(fd, line);
}

static void serve(int fd)
{
	char line[LINE_MAX_BYTES], cmd[32], res[64], msg[320] = "";
	struct hd_buf b = HD_BUF_INIT;
	int n, ret;

	if (read_line(fd, line, sizeof(line))) {
		put(fd, "error: no command within 5 s (send one line: status, failover RES, switchover RES, promote RES or demote RES)\n");
		return;
	}
	res[0] = '\0';
	n = sscanf(line, "%31s %63s", cmd, res);
	if (n < 1) {
		put(fd, "error: empty command\n");
		return;
	}
	if (!strcmp(cmd, "status") && n == 1) {
		hd_status_json_view(&b);
		hd_buf_putc(&b, '\n');
		put(fd, hd_buf_str(&b));
		hd_buf_free(&b);
		put(fd, "ok\n");
		return;
	}
	if (n != 2 || (strcmp(cmd, "failover") && strcmp(cmd, "switchover") &&
		       strcmp(cmd, "promote") && strcmp(cmd, "demote"))) {
		snprintf(msg, sizeof(msg),
			 "unknown command '%.100s' (known: status, failover RES, switchover RES, promote RES, demote RES)",
			 line);
		answer(fd, -1, msg);
		return;
	}
	hd_log(LOG_NOTICE, "control socket: %s %s", cmd, res);
	if (!strcmp(cmd, "failover"))
		ret = hd_act_failover(res, progress, &fd, msg, sizeof(msg));
	else if (!strcmp(cmd, "switchover"))
		ret = hd_act_switchover(res, progress, &fd, msg, sizeof(msg));
	else if (!strcmp(cmd, "promote"))
		ret = hd_act_promote(res, "asked on the control socket",
				     progress, &fd, msg, sizeof(msg));
	else
		ret = hd_act_demote(res, "asked on the control socket",
				    progress, &fd, msg, sizeof(msg));
	answer(fd, ret, msg);
}

static void *client_main(void *arg)
{
	int fd = (int)(intptr_t)arg;

	rcu_register_thread();
	serve(fd);
	close(fd);
	rcu_unregister_thread();
	return NULL;
}

static void *accept_main(void *arg)
{
	(void)arg;
	while (!hd_stopping) {
		struct pollfd p = { listen_fd, POLLIN, 0 };
		pthread_t t;
		int fd;

		if (poll(&p, 1, 500) <= 0)
			continue;
		fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		if (pthread_create(&t, NULL, client_main, (void *)(intptr_t)fd)) {
			put(fd, "error: hadiskd cannot start a thread\n");
			close(fd);
			continue;
		}
		pthread_detach(t);
	}
	return NULL;
}

int hd_ctl_start(const char *path, char *err, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, size, "control socket path %s is too long (at most %zu characters)",
			 path, sizeof(sa.sun_path) - 1);
		return -1;
	}
	hd_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	/* another hadiskd answering there? */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		snprintf(err, size,
			 "another hadiskd answers on the control socket %s: stop it first, or use --socket PATH",
			 path);
		return -1;
	}
	if (fd >= 0)
		close(fd);
	unlink(path);		/* a stale one */
	listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listen_fd < 0 ||
	    bind(listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(listen_fd, 16)) {
		snprintf(err, size, "control socket %s: %s", path,
			 strerror(errno));
		if (listen_fd >= 0)
			close(listen_fd);
		listen_fd = -1;
		return -1;
	}
	hd_strlcpy(sock_path, path, sizeof(sock_path));
	if (pthread_create(&accept_thread, NULL, accept_main, NULL)) {
		snprintf(err, size, "cannot start the control thread");
		close(listen_fd);
		unlink(path);
		return -1;
	}
	return 0;
}

void hd_ctl_stop(void)
{
	if (listen_fd < 0)
		return;
	pthread_join(accept_thread, NULL);
	close(listen_fd);
	unlink(sock_path);
	listen_fd = -1;
}
