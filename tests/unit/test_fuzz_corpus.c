// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz harnesses' committed seed corpus (tests/fuzz/corpus/), replayed
 * through each harness without libFuzzer ("make -C tests/fuzz replay":
 * built with the same compiler and sanitizers as the unit tests): the
 * inputs that once made a parser fail keep being checked in "make check"
 * with no dependency on clang. One "PASS fuzz_corpus_NAME" /
 * "FAIL fuzz_corpus_NAME" line per harness.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 128], line[1024];
	int fails = 0;
	FILE *f;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int rc;

	if (n <= 0) {
		printf("FAIL fuzz_corpus (cannot find this program)\n");
		return 1;
	}
	exe[n] = 0;
	/* build/unit/test_fuzz_corpus -> tests/fuzz */
	snprintf(cmd, sizeof(cmd),
		 "unset MAKEFLAGS MFLAGS; make --no-print-directory -s -C '%s/../../tests/fuzz' replay 2>&1",
		 dirname(exe));
	f = popen(cmd, "r");
	if (!f) {
		printf("FAIL fuzz_corpus (cannot run make)\n");
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		fputs(line, stdout);
		if (!strncmp(line, "FAIL ", 5))
			fails++;
	}
	rc = pclose(f);
	/* a failure the harness lines did not report (make itself) */
	if (rc && !fails)
		printf("FAIL fuzz_corpus (make replay: status %d)\n", rc);
	return rc || fails ? 1 : 0;
}
