// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the configuration parser, hd_conf_parse()
 * (userspace/lib/config.c), on the fuzz bytes as the text of a file: in a
 * buffer of exactly that size (no NUL after it, as the API allows), for
 * the only resource and for "r0", with a roomy and with a tiny message
 * buffer. A refusal must come with a message that names the file; an
 * accepted file has two nodes, terminated strings, and picking a node
 * works.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void parse(const char *text, size_t len, const char *want,
		  size_t err_size)
{
	struct hd_res_conf *rc = malloc(sizeof(*rc));
	char *err = malloc(err_size);
	char pick[256];
	int r;

	memset(err, 'x', err_size);
	r = hd_conf_parse(text, len, "fuzz.conf", want, rc, err, err_size);
	if (strnlen(err, err_size) == err_size)
		abort();	/* the message is not terminated */
	if (r) {
		if (r != -1 || (err_size > 16 && strncmp(err, "fuzz.conf", 9)))
			abort();
	} else {
		if (rc->nr_nodes != 2 ||
		    strnlen(rc->name, sizeof(rc->name)) == sizeof(rc->name) ||
		    strnlen(rc->nodes[0].name, sizeof(rc->nodes[0].name)) ==
			    sizeof(rc->nodes[0].name) ||
		    strnlen(rc->nodes[1].disk, sizeof(rc->nodes[1].disk)) ==
			    sizeof(rc->nodes[1].disk) ||
		    (want && strcmp(rc->name, want)))
			abort();
		r = hd_conf_pick_node(rc, NULL, rc->nodes[1].name, pick,
				      sizeof(pick));
		if (r != 1 && strcmp(rc->nodes[0].name, rc->nodes[1].name))
			abort();
		hd_conf_pick_node(rc, "alpha", NULL, pick, sizeof(pick));
		hd_conf_pick_node(rc, NULL, "alpha.example.com", pick,
				  sizeof(pick));
	}
	free(err);
	free(rc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size > HD_CONF_MAX_SIZE)
		return 0;
	text = malloc(size ? size : 1);
	memcpy(text, data, size);
	parse(text, size, NULL, 1024);
	parse(text, size, "r0", 1024);
	parse(text, size, NULL, 7);
	free(text);
	return 0;
}
