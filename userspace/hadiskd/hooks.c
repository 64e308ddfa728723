// SPDX-License-Identifier: GPL-2.0
/*
 * Start and stop hooks: a program run with a deadline. It gets the action
 * and the resource as arguments ("start r0") and in its environment
 * (HADISK_ACTION, HADISK_RESOURCE, HADISK_NODE, HADISK_PEER), stdin from
 * /dev/null, hadiskd's stdout and stderr, and its own process group. When
 * the deadline passes, the group gets SIGTERM, and SIGKILL one second
 * later. No state: each call forks, waits and reaps its own child.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hadiskd.h"
#include "log.h"
#include "view.h"

#define KILL_GRACE_US	1000000

static void nap(void)
{
	const struct timespec ts = { 0, 20 * 1000000 };

	nanosleep(&ts, NULL);
}

/* Waits for pid until deadline_us; true if it ended (status in *st). */
static bool wait_until(pid_t pid, uint64_t deadline_us, int *st)
{
	for (;;) {
		pid_t r = waitpid(pid, st, WNOHANG);

		if (r == pid || (r < 0 && errno != EINTR))
			return true;
		if (hd_now_us() >= deadline_us)
			return false;
		nap();
	}
}

int hd_hook_run(const char *path, const char *action, const char *res,
		uint32_t timeout_ms, char *msg, size_t size)
{
	char e_act[64], e_res[96], e_node[96], e_peer[96];
	char *const argv[] = { (char *)path, (char *)action, (char *)res,
			       NULL };
	char *const envp[] = { e_act, e_res, e_node, e_peer,
			       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			       NULL };
	uint64_t t0 = hd_now_us();
	struct stat sb;
	int st = 0, devnull;
	pid_t pid;

	msg[0] = '\0';
	if (!path[0])
		return 0;
	if (stat(path, &sb)) {
		snprintf(msg, size, "%s hook %s: %s: it was not run",
			 action, path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || access(path, X_OK)) {
		snprintf(msg, size,
			 "%s hook %s is not an executable file: it was not run",
			 action, path);
		return -1;
	}
	snprintf(e_act, sizeof(e_act), "HADISK_ACTION=%s", action);
	snprintf(e_res, sizeof(e_res), "HADISK_RESOURCE=%s", res);
	snprintf(e_node, sizeof(e_node), "HADISK_NODE=%s", hd_conf.node);
	snprintf(e_peer, sizeof(e_peer), "HADISK_PEER=%s", hd_conf.peer);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	hd_log(LOG_INFO, "%s: running the %s hook %s (deadline %.1f s)", res,
	       action, path, timeout_ms / 1000.0);
	pid = fork();
	if (pid < 0) {
		snprintf(msg, size, "%s hook %s: fork: %s", action, path,
			 strerror(errno));
		if (devnull >= 0)
			close(devnull);
		return -1;
	}
	if (!pid) {
		/* only async-signal-safe calls until exec */
		sigset_t all;

		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, 0);
		execve(path, argv, envp);
		_exit(127);
	}
	setpgid(pid, pid);
	if (devnull >= 0)
		close(devnull);
	if (!wait_until(pid, t0 + timeout_ms * 1000ull, &st)) {
		kill(-pid, SIGTERM);
		kill(pid, SIGTERM);
		if (!wait_until(pid, hd_now_us() + KILL_GRACE_US, &st)) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
		}
		snprintf(msg, size,
			 "%s hook %s did not finish within its deadline of %.1f s (hook-timeout): killed it",
			 action, path, timeout_ms / 1000.0);
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		hd_log(LOG_INFO, "%s: the %s hook succeeded in %.1f s", res,
		       action, (hd_now_us() - t0) / 1e6);
		return 0;
	}
	if (WIFEXITED(st))
		snprintf(msg, size, "%s hook %s failed: exit status %d%s",
			 action, path, WEXITSTATUS(st),
			 WEXITSTATUS(st) == 127 ? " (could not be executed)" : "");
	else
		snprintf(msg, size, "%s hook %s was killed by signal %d",
			 action, path, WTERMSIG(st));
	return -1;
}
