/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hadiskd's log: syslog (facility daemon), or stderr with a timestamp when
 * running in the foreground.
 */
#ifndef HADISKD_LOG_H
#define HADISKD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void hd_log_open(bool foreground);

/* level: LOG_ERR, LOG_WARNING, LOG_NOTICE or LOG_INFO. */
__attribute__((format(printf, 2, 3)))
void hd_log(int level, const char *fmt, ...);

#endif /* HADISKD_LOG_H */
