// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskd's log, see log.h. Each message is formatted first and written
 * with one call under log_lock, so the threads' lines never mix.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static bool to_stderr = true;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void hd_log_open(bool foreground)
{
	to_stderr = foreground;
	if (!foreground)
		openlog("hadiskd", LOG_PID, LOG_DAEMON);
}

void hd_log(int level, const char *fmt, ...)
{
	char stamp[32], text[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!to_stderr) {
		syslog(level, "%s", text);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	pthread_mutex_lock(&log_lock);
	fprintf(stderr, "%s.%03ld hadiskd: %s%s\n", stamp,
		ts.tv_nsec / 1000000,
		level <= LOG_ERR ? "error: " :
		level == LOG_WARNING ? "warning: " : "", text);
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
}
