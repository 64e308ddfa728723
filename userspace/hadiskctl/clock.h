/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deadlines on the monotonic clock, for the commands that wait.
 */
#ifndef HADISKCTL_CLOCK_H
#define HADISKCTL_CLOCK_H

#include <stdbool.h>
#include <time.h>

static inline double hd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds until deadline (0 if past); -1 for no deadline (0). */
static inline int hd_ms_left(double deadline)
{
	double left;

	if (deadline <= 0)
		return -1;
	left = deadline - hd_now();
	if (left <= 0)
		return 0;
	if (left > 86400.0)
		return 86400 * 1000;
	return (int)(left * 1000.0) + 1;
}

#endif /* HADISKCTL_CLOCK_H */
