// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskd's log, see log.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static bool to_stderr = true;

void hd_log_open(bool foreground)
{
	to_stderr = foreground;
	if (!foreground)
		openlog("hadiskd", LOG_PID, LOG_DAEMON);
}

void hd_log(int level, const char *fmt, ...)
{
	char stamp[32];
	struct tm tm;
	time_t now;
	va_list ap;

	va_start(ap, fmt);
	if (!to_stderr) {
		vsyslog(level, fmt, ap);
		va_end(ap);
		return;
	}
	now = time(NULL);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s hadiskd: %s", stamp,
		level <= LOG_ERR ? "error: " :
		level == LOG_WARNING ? "warning: " : "");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
