// SPDX-License-Identifier: GPL-2.0
/*
 * Runs a libFuzzer harness's LLVMFuzzerTestOneInput() once on each file
 * given, or on each file of each directory given: the committed seed
 * corpus replayed as a test, built with any compiler (gcc included) and
 * the sanitizers, without libFuzzer. A sanitizer report or an abort()
 * of the harness ends the run with a non-zero status; otherwise it
 * prints how many inputs it ran.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f) {
		perror(path);
		return -1;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay %s (%ld bytes)\n", path, n);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	unsigned int count = 0;
	int i, bad = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *e;
		char **names = NULL;
		size_t n = 0, k;
		DIR *d;

		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= run_file(argv[i]);
			count++;
			continue;
		}
		d = opendir(argv[i]);
		if (!d) {
			perror(argv[i]);
			return 2;
		}
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n] = malloc(strlen(argv[i]) + strlen(e->d_name) + 2);
			sprintf(names[n++], "%s/%s", argv[i], e->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp);
		for (k = 0; k < n; k++) {
			bad |= run_file(names[k]);
			count++;
			free(names[k]);
		}
		free(names);
	}
	printf("%u inputs replayed\n", count);
	return bad ? 2 : 0;
}
