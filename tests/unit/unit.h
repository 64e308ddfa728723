/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny unit test harness. A test program is a main() that calls
 * RUN(fn) for each test function, or unit_report() for table-driven
 * cases, and returns unit_exit(). Every case prints "PASS name" or
 * "FAIL name" on stdout; the CHECK macros print why a case failed.
 */
#ifndef HADISK_UNIT_H
#define HADISK_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static int unit_case_failed;
static int unit_failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("  %s:%d: check failed: %s\n",		\
			       __FILE__, __LINE__, #cond);		\
			unit_case_failed = 1;				\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			printf("  %s:%d: %s == %s: %lld != %lld\n",	\
			       __FILE__, __LINE__, #a, #b, _a, _b);	\
			unit_case_failed = 1;				\
		}							\
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *_a = (a), *_b = (b);			\
		if (!_a || !_b || strcmp(_a, _b)) {			\
			printf("  %s:%d: %s == %s:\n    got:  %s\n"	\
			       "    want: %s\n", __FILE__, __LINE__,	\
			       #a, #b, _a ? _a : "(null)",		\
			       _b ? _b : "(null)");			\
			unit_case_failed = 1;				\
		}							\
	} while (0)

#define CHECK_CONTAINS(hay, needle)					\
	do {								\
		const char *_h = (hay), *_n = (needle);			\
		if (!_h || !strstr(_h, _n)) {				\
			printf("  %s:%d: '%s' not in:\n    %s\n",	\
			       __FILE__, __LINE__, _n,			\
			       _h ? _h : "(null)");			\
			unit_case_failed = 1;				\
		}							\
	} while (0)

/* Reports a case run by the caller; ok also folds in failed CHECKs. */
static inline void unit_report(const char *name, bool ok)
{
	ok = ok && !unit_case_failed;
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
	fflush(stdout);
	if (!ok)
		unit_failures++;
	unit_case_failed = 0;
}

static inline void unit_run(const char *name, void (*fn)(void))
{
	unit_case_failed = 0;
	fn();
	unit_report(name, true);
}

#define RUN(fn) unit_run(#fn, fn)

static inline int unit_exit(void)
{
	return unit_failures ? 1 : 0;
}

#endif /* HADISK_UNIT_H */
