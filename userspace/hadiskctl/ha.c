// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl ha-status / failover / switchover: the commands that talk to
 * the local hadiskd over its control socket (HADISKD_SOCKET, default
 * /run/hadiskd.sock) instead of to the kernel. hadiskd does the work and
 * sends a line per step with its duration; the last line is "ok" or
 * "error: MESSAGE". Every read has a deadline (--timeout, default 300 s).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "hadiskctl.h"
#include "util.h"

#define HA_SOCKET_DEF	"/run/hadiskd.sock"
#define HA_TIMEOUT_DEF	300.0

static const char *ha_socket(void)
{
	const char *s = getenv("HADISKD_SOCKET");

	return s && *s ? s : HA_SOCKET_DEF;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Sends line to hadiskd and prints its answer: progress lines to stdout
 * (prefixed unless raw), the final error to stderr. Returns the exit code.
 */
static int ha_talk(struct hd_ctx *ctx, const char *line, const char *res,
		   bool raw)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	double timeout = ctx->has_timeout && ctx->timeout > 0 ? ctx->timeout :
		HA_TIMEOUT_DEF;
	double deadline = now_s() + timeout, t0 = now_s();
	char buf[4096], *nl;
	size_t have = 0;
	int fd, ret = EXIT_KERNEL;
	bool final = false;

	hd_strlcpy(sa.sun_path, ha_socket(), sizeof(sa.sun_path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		hd_err(ctx, "cannot reach hadiskd on %s: %s (is hadiskd running? set HADISKD_SOCKET to its --socket)",
		       sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_NOMODULE;
	}
	if (send(fd, line, strlen(line), MSG_NOSIGNAL) < 0) {
		hd_err(ctx, "writing to hadiskd: %s", strerror(errno));
		close(fd);
		return EXIT_KERNEL;
	}
	while (!final) {
		struct pollfd p = { fd, POLLIN, 0 };
		double left = deadline - now_s();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0) {
			hd_err(ctx, "hadiskd did not finish within %.0f s (--timeout); it may still be working: see its log and '" PROG " ha-status'",
			       timeout);
			ret = EXIT_TIMEOUT;
			break;
		}
		n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
		if (n <= 0) {
			hd_err(ctx, "hadiskd closed the connection without a result");
			break;
		}
		have += (size_t)n;
		buf[have] = '\0';
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			if (!strcmp(buf, "ok")) {
				final = true;
				ret = EXIT_OK;
			} else if (!strncmp(buf, "error: ", 7)) {
				final = true;
				if (res)
					hd_res_err(ctx, res, "%s", buf + 7);
				else
					hd_err(ctx, "%s", buf + 7);
				ret = EXIT_KERNEL;
			} else if (raw) {
				printf("%s\n", buf);
			} else {
				printf("[%7.3fs] %s\n", now_s() - t0, buf);
			}
			fflush(stdout);
			memmove(buf, nl + 1, have - (size_t)(nl + 1 - buf));
			have -= (size_t)(nl + 1 - buf);
			buf[have] = '\0';
			if (final)
				break;
		}
		if (have == sizeof(buf) - 1) {
			hd_err(ctx, "hadiskd sent a line longer than %zu bytes",
			       sizeof(buf));
			break;
		}
	}
	close(fd);
	return ret;
}

static int run_ha_status(struct hd_ctx *ctx)
{
	return ha_talk(ctx, "status\n", NULL, true);
}

static int run_ha_action(struct hd_ctx *ctx, const char *what)
{
	char line[HADISK_RES_NAME_MAX + 32];
	const char *res;
	int ret = hd_ctx_res(ctx, &res);

	if (ret)
		return ret;
	snprintf(line, sizeof(line), "%s %s\n", what, res);
	printf("%s of %s through hadiskd (%s):\n", what, res, ha_socket());
	ret = ha_talk(ctx, line, res, false);
	if (!ret)
		printf("%s of %s: done\n", what, res);
	return ret;
}

static int run_failover(struct hd_ctx *ctx)
{
	return run_ha_action(ctx, "failover");
}

static int run_switchover(struct hd_ctx *ctx)
{
	return run_ha_action(ctx, "switchover");
}

#define HELP_HA_SOCKET \
"ENVIRONMENT\n" \
"  HADISKD_SOCKET  hadiskd's control socket (its --socket); default\n" \
"                  " HA_SOCKET_DEF "\n"

#define HELP_HA_EXIT \
"EXIT STATUS\n" \
"  0  done\n" \
"  1  usage error\n" \
"  3  hadiskd refused or a step failed (its message is shown)\n" \
"  4  hadiskd is not running (nothing answers on the socket)\n" \
"  5  timed out (--timeout); hadiskd may still be working\n"

const struct hd_cmd cmd_ha_status = {
	.name = "ha-status",
	.summary = "hadiskd's view of the cluster, as JSON",
	.opts = OPT_TIMEOUT,
	.res = RES_NONE,
	.run = run_ha_status,
	.help =
"NAME\n"
"  " PROG " ha-status - what the local hadiskd knows, as JSON\n"
"\n"
"SYNOPSIS\n"
"  " PROG " ha-status\n"
"\n"
"DESCRIPTION\n"
"  Asks the local hadiskd for its status and prints it: one JSON object\n"
"  with the heartbeat paths (state, last heard, round trip), the peer's\n"
"  state, the witness and, per resource, the policy, the kernel's state,\n"
"  the active token, the services and the last action or\n"
"  recommendation. Documentation/hadiskd.md describes every key.\n"
"\n"
HELP_HA_SOCKET
"\n"
HELP_HA_EXIT,
};

const struct hd_cmd cmd_failover = {
	.name = "failover",
	.summary = "the peer is gone: promote here and start the services",
	.opts = OPT_TIMEOUT,
	.res = RES_REQUIRED,
	.run = run_failover,
	.help =
"NAME\n"
"  " PROG " failover - take a resource over from a peer that is gone\n"
"\n"
"SYNOPSIS\n"
"  " PROG " failover RES [--timeout SECONDS]\n"
"\n"
"DESCRIPTION\n"
"  Asks the local hadiskd to promote this node (with a witness: after\n"
"  the witness granted it the active token; with fencing configured in\n"
"  the kernel: the kernel fences the peer first and refuses if that\n"
"  fails), then run the resource's start hook and bring its service\n"
"  address up. Prints every step and how long it took. Refused while the\n"
"  peer is heard and Primary: use switchover then.\n"
"\n"
"OPTIONS\n"
"  -t, --timeout SECONDS\n"
"         Give up waiting for hadiskd after this long (default 300).\n"
HELP_HELP_OPTION
"\n"
HELP_HA_SOCKET
"\n"
HELP_HA_EXIT
"\n"
"EXAMPLES\n"
"  " PROG " failover r0\n",
};

const struct hd_cmd cmd_switchover = {
	.name = "switchover",
	.summary = "move a resource to the peer, planned, with no data loss",
	.opts = OPT_TIMEOUT,
	.res = RES_REQUIRED,
	.run = run_switchover,
	.help =
"NAME\n"
"  " PROG " switchover - move a resource to the peer, planned\n"
"\n"
"SYNOPSIS\n"
"  " PROG " switchover RES [--timeout SECONDS]\n"
"\n"
"DESCRIPTION\n"
"  Run on the Primary. Through the local hadiskd: stop the services here\n"
"  (service address down, stop hook), wait until the peer is UpToDate\n"
"  and nothing is out of sync, demote here, then ask the peer's hadiskd\n"
"  (over the heartbeat paths) to promote and start its services. If a\n"
"  step fails, it rolls back: the services start here again, and if the\n"
"  peer could not be promoted, this node is promoted again. Prints every\n"
"  step and how long it took.\n"
"\n"
"OPTIONS\n"
"  -t, --timeout SECONDS\n"
"         Give up waiting for hadiskd after this long (default 300).\n"
HELP_HELP_OPTION
"\n"
HELP_HA_SOCKET
"\n"
HELP_HA_EXIT
"\n"
"EXAMPLES\n"
"  " PROG " switchover r0\n",
};
