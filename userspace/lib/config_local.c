// SPDX-License-Identifier: GPL-2.0
/*
 * A configuration on this node: reading the file (hd_conf_load), finding
 * which of its two nodes this one is (hd_conf_pick_node,
 * hd_conf_local_node), and checking that the hooks it names can run here
 * (hd_conf_check_hooks). The parser itself is config.c, config_net.c and
 * config_handlers.c (config_parse.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"

int hd_conf_load(const char *path, const char *want, struct hd_res_conf *rc,
		 char *err, size_t err_size)
{
	size_t len = 0, cap = 4096;
	char *text = NULL, *p;
	struct stat st;
	bool have_st;
	ssize_t n;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	have_st = !fstat(fd, &st);
	for (;;) {
		if (len == cap || !text) {
			size_t ncap = text ? 2 * cap : cap;

			/* not realloc(): the text may hold a shared-secret */
			p = malloc(ncap);
			if (!p)
				goto fail;
			if (text) {
				memcpy(p, text, len);
				explicit_bzero(text, len);
				free(text);
			}
			text = p;
			cap = ncap;
		}
		n = read(fd, text + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (!n)
			break;
		len += (size_t)n;
		if (len > HD_CONF_MAX_SIZE) {
			snprintf(err, err_size,
				 "%s: the file is larger than %d KiB; is it really a hadisk configuration file?",
				 path, HD_CONF_MAX_SIZE / 1024);
			close(fd);
			explicit_bzero(text, cap);
			free(text);
			return -1;
		}
	}
	close(fd);
	ret = hd_conf_parse(text, len, path, want, rc, err, err_size);
	explicit_bzero(text, cap);
	free(text);
	if (!ret && have_st) {
		rc->file_mode = st.st_mode & 07777;
		rc->file_mode_known = true;
	}
	return ret;

fail:
	snprintf(err, err_size,
		 "cannot read configuration file %s: %s (--config FILE reads another file)",
		 path, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (text)
		explicit_bzero(text, cap);
	free(text);
	return -1;
}

bool hd_conf_secret_exposed(const struct hd_res_conf *rc)
{
	return rc->shared_secret_line && rc->file_mode_known &&
	       (rc->file_mode & (S_IRGRP | S_IROTH));
}

void hd_conf_wipe_secret(struct hd_res_conf *rc)
{
	explicit_bzero(rc->shared_secret, sizeof(rc->shared_secret));
}

static void list_nodes(const struct hd_res_conf *rc, char *buf, size_t size)
{
	snprintf(buf, size, "%s, %s", rc->nodes[0].name, rc->nodes[1].name);
}

int hd_conf_pick_node(const struct hd_res_conf *rc, const char *node,
		      const char *hostname, char *err, size_t err_size)
{
	char nodes[2 * HD_NODE_NAME_MAX + 4];
	size_t short_len;
	int i;

	list_nodes(rc, nodes, sizeof(nodes));
	if (node) {
		for (i = 0; i < 2; i++)
			if (!strcmp(rc->nodes[i].name, node))
				return i;
		snprintf(err, err_size,
			 "%s: --node '%s' is not a node of resource '%s' (its nodes: %s)",
			 rc->file, node, rc->name, nodes);
		return -1;
	}
	for (i = 0; i < 2; i++)
		if (!strcmp(rc->nodes[i].name, hostname))
			return i;
	short_len = strcspn(hostname, ".");
	for (i = 0; i < 2; i++)
		if (strlen(rc->nodes[i].name) == short_len &&
		    !strncmp(rc->nodes[i].name, hostname, short_len))
			return i;
	snprintf(err, err_size,
		 "%s: no 'on' section of resource '%s' matches this host's name '%s' (its nodes: %s); use --node NAME to say which node this is",
		 rc->file, rc->name, hostname, nodes);
	return -1;
}

int hd_conf_local_node(const struct hd_res_conf *rc, const char *node,
		       char *err, size_t err_size)
{
	struct utsname u;

	if (!node && uname(&u)) {
		snprintf(err, err_size,
			 "cannot read this host's name: %s (use --node NAME)",
			 strerror(errno));
		return -1;
	}
	return hd_conf_pick_node(rc, node, node ? NULL : u.nodename,
				 err, err_size);
}

int hd_conf_check_hooks(const struct hd_res_conf *rc, char *err,
			size_t err_size)
{
	const char *path;
	struct stat st;
	int h;

	for (h = 0; h < HD_HOOK_NR; h++) {
		if (!rc->hook_line[h])
			continue;
		path = rc->hooks[h];
		if (stat(path, &st)) {
			snprintf(err, err_size,
				 "%s:%d: handlers key '%s': cannot use %s: %s (install the program on this node, or correct the path; each node runs its own hooks)",
				 rc->file, rc->hook_line[h], hd_hook_key(h),
				 path, strerror(errno));
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, err_size,
				 "%s:%d: handlers key '%s': %s is not a regular file (name the program itself)",
				 rc->file, rc->hook_line[h], hd_hook_key(h),
				 path);
			return -1;
		}
		if (access(path, X_OK)) {
			snprintf(err, err_size,
				 "%s:%d: handlers key '%s': %s is not executable (chmod +x %s)",
				 rc->file, rc->hook_line[h], hd_hook_key(h),
				 path, path);
			return -1;
		}
	}
	return 0;
}
