// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: hadiskd's configuration parser, hd_dconf_parse()
 * (userspace/hadiskd/dconf.c), on the fuzz bytes as the text of
 * /etc/hadisk/hadiskd.conf (NUL-terminated, as hd_dconf_load() gives
 * it). A refusal must come with a terminated message that names the file;
 * an accepted file has its resources findable by name.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_dconf *c;
	char *text, err[HD_DCONF_ERR_MAX];
	unsigned int k;
	int r;

	if (size > 1024 * 1024)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	c = calloc(1, sizeof(*c));
	hd_dconf_init(c);
	memset(err, 'x', sizeof(err));
	r = hd_dconf_parse(text, "fuzz.conf", c, err, sizeof(err));
	if (r) {
		if (strnlen(err, sizeof(err)) == sizeof(err) ||
		    strncmp(err, "fuzz.conf", 9))
			abort();
	} else {
		if (c->nres > HD_DCONF_MAX_RES)
			abort();
		for (k = 0; k < c->nres; k++)
			if (hd_dconf_res(c, c->res[k].name) == NULL)
				abort();
	}
	free(c);
	free(text);
	return 0;
}
