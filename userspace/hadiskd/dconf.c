// SPDX-License-Identifier: GPL-2.0
/*
 * The parser of hadiskd.conf, see dconf.h. A small tokenizer (words,
 * quoted words, '{', '}', ';', '#' comments) and a statement reader: each
 * statement is its words up to ';', or up to '{' for a section.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dconf.h"

#define MAX_WORDS	8
#define WORD_MAX	256

struct parser {
	const char *p;
	int line;
	const char *file;
	char *err;
	size_t err_size;
	/* the statement read last */
	char words[MAX_WORDS][WORD_MAX];
	int nwords;
	int stmt_line;
	char end;		/* ';', '{', '}' or 0 at the end of the text */
};

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *ps, int line, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(ps->err, ps->err_size, "%s:%d: ", ps->file, line);
	if (n >= ps->err_size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->err_size - n, fmt, ap);
	va_end(ap);
	return -1;
}

static void skip_space(struct parser *ps)
{
	for (;;) {
		char c = *ps->p;

		if (c == '\n') {
			ps->line++;
			ps->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			ps->p++;
		} else if (c == '#') {
			while (*ps->p && *ps->p != '\n')
				ps->p++;
		} else {
			return;
		}
	}
}

/*
 * Reads one statement: words up to ';' or '{', or a lone '}', or the end.
 * Returns 0 or -1 after a message.
 */
static int next_stmt(struct parser *ps)
{
	ps->nwords = 0;
	skip_space(ps);
	ps->stmt_line = ps->line;
	for (;;) {
		char *w;
		size_t n = 0;
		char c;

		skip_space(ps);
		c = *ps->p;
		if (!c) {
			if (ps->nwords)
				return perr(ps, ps->line,
					    "'%s' is not ended: add ';' after it",
					    ps->words[0]);
			ps->end = 0;
			return 0;
		}
		if (c == ';' || c == '{' || c == '}') {
			if (c == '}' && ps->nwords)
				return perr(ps, ps->line,
					    "'%s' is not ended: add ';' before '}'",
					    ps->words[0]);
			if (c == ';' && !ps->nwords)
				return perr(ps, ps->line,
					    "a ';' without a statement: remove it");
			ps->end = c;
			ps->p++;
			return 0;
		}
		if (ps->nwords == MAX_WORDS)
			return perr(ps, ps->line,
				    "too many words in '%s': a ';' is probably missing",
				    ps->words[0]);
		w = ps->words[ps->nwords];
		if (c == '"') {
			ps->p++;
			while (*ps->p && *ps->p != '"' && *ps->p != '\n') {
				if (n + 1 >= WORD_MAX)
					return perr(ps, ps->line,
						    "a word longer than %d characters",
						    WORD_MAX - 1);
				w[n++] = *ps->p++;
			}
			if (*ps->p != '"')
				return perr(ps, ps->line,
					    "a quoted word is not closed: add '\"'");
			ps->p++;
		} else {
			while ((c = *ps->p) && !strchr(" \t\r\n;{}#\"", c)) {
				if (n + 1 >= WORD_MAX)
					return perr(ps, ps->line,
						    "a word longer than %d characters",
						    WORD_MAX - 1);
				w[n++] = c;
				ps->p++;
			}
		}
		w[n] = '\0';
		if (!ps->nwords)
			ps->stmt_line = ps->line;
		ps->nwords++;
	}
}

static int want_args(struct parser *ps, int n, const char *usage)
{
	if (ps->end != ';')
		return perr(ps, ps->stmt_line,
			    "'%s' takes no block: write '%s;'", ps->words[0],
			    usage);
	if (ps->nwords != n + 1)
		return perr(ps, ps->stmt_line,
			    "'%s' takes %d value%s: write '%s;'", ps->words[0],
			    n, n == 1 ? "" : "s", usage);
	return 0;
}

static int get_duration(struct parser *ps, uint32_t min, uint32_t max,
			uint32_t *out)
{
	const char *s = ps->words[1];
	uint32_t ms;

	if (want_args(ps, 1, "KEY DURATION"))
		return -1;
	if (hd_parse_duration_ms(s, &ms))
		return perr(ps, ps->stmt_line,
			    "%s '%s' is not a duration: write e.g. 500ms or 3s",
			    ps->words[0], s);
	if (ms < min || ms > max)
		return perr(ps, ps->stmt_line,
			    "%s %s is out of range: it must be %ums to %ums",
			    ps->words[0], s, min, max);
	*out = ms;
	return 0;
}

static int get_name(struct parser *ps, const char *s, char *out,
		    size_t size, const char *what)
{
	char why[128];

	if (hd_check_name(s, size - 1, why, sizeof(why)))
		return perr(ps, ps->stmt_line, "bad %s '%s': %s", what, s,
			    why);
	hd_strlcpy(out, s, size);
	return 0;
}

static int get_addr(struct parser *ps, const char *s, struct hd_addr *a,
		    const char *what)
{
	const char *why;

	if (hd_parse_addr(s, a, &why))
		return perr(ps, ps->stmt_line, "bad %s '%s': %s%s", what, s,
			    why, strstr(why, "write") ? "" :
			    " (write ADDRESS:PORT, e.g. 10.0.0.1:7790)");
	return 0;
}

static void unknown_key(struct parser *ps, const char *where,
			const char *const *keys, size_t n)
{
	const char *near = hd_closest(ps->words[0], keys, n);
	size_t i, len;
	char list[256] = "";

	for (i = 0; i < n; i++) {
		len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
			 i ? ", " : "", keys[i]);
	}
	if (near)
		perr(ps, ps->stmt_line,
		     "unknown key '%s' in %s: did you mean '%s'?",
		     ps->words[0], where, near);
	else
		perr(ps, ps->stmt_line,
		     "unknown key '%s' in %s (known: %s)", ps->words[0],
		     where, list);
}

static const char *const daemon_keys[] = {
	"node", "peer", "heartbeat-interval", "heartbeat-timeout", "path",
	"witness", "witness-lease", "socket", "hook-timeout", "key-file",
	"metrics",
};

static int daemon_stmt(struct parser *ps, struct hd_dconf *c, bool *lease_set)
{
	const char *k = ps->words[0];

	if (!strcmp(k, "node")) {
		if (want_args(ps, 1, "node NAME"))
			return -1;
		return get_name(ps, ps->words[1], c->node, sizeof(c->node),
				"node name");
	}
	if (!strcmp(k, "peer")) {
		if (want_args(ps, 1, "peer NAME"))
			return -1;
		return get_name(ps, ps->words[1], c->peer, sizeof(c->peer),
				"peer name");
	}
	if (!strcmp(k, "heartbeat-interval"))
		return get_duration(ps, HD_DCONF_INTERVAL_MIN,
				    HD_DCONF_INTERVAL_MAX, &c->interval_ms);
	if (!strcmp(k, "heartbeat-timeout")) {
		c->timeout_line = ps->stmt_line;
		return get_duration(ps, HD_DCONF_INTERVAL_MIN,
				    HD_DCONF_TIMEOUT_MAX, &c->timeout_ms);
	}
	if (!strcmp(k, "witness-lease")) {
		*lease_set = true;
		c->lease_line = ps->stmt_line;
		return get_duration(ps, HD_DCONF_INTERVAL_MIN,
				    HD_DCONF_TIMEOUT_MAX, &c->lease_ms);
	}
	if (!strcmp(k, "hook-timeout"))
		return get_duration(ps, 100, HD_DCONF_HOOK_MAX,
				    &c->hook_timeout_ms);
	if (!strcmp(k, "path")) {
		struct hd_dpath *p;
		unsigned int i;

		if (want_args(ps, 2, "path LOCAL-ADDRESS:PORT PEER-ADDRESS:PORT"))
			return -1;
		if (c->npaths == HD_DCONF_MAX_PATHS)
			return perr(ps, ps->stmt_line,
				    "more than %d paths: remove one",
				    HD_DCONF_MAX_PATHS);
		p = &c->paths[c->npaths];
		if (get_addr(ps, ps->words[1], &p->local, "local address") ||
		    get_addr(ps, ps->words[2], &p->peer, "peer address"))
			return -1;
		for (i = 0; i < c->npaths; i++)
			if (!memcmp(&c->paths[i].local, &p->local,
				    sizeof(p->local)))
				return perr(ps, ps->stmt_line,
					    "path %u has the same local address %s as path %u: each path needs its own",
					    c->npaths + 1, ps->words[1], i + 1);
		c->npaths++;
		return 0;
	}
	if (!strcmp(k, "witness")) {
		if (want_args(ps, 1, "witness ADDRESS:PORT"))
			return -1;
		if (get_addr(ps, ps->words[1], &c->witness, "witness address"))
			return -1;
		c->has_witness = true;
		return 0;
	}
	if (!strcmp(k, "metrics")) {
		if (want_args(ps, 1, "metrics ADDRESS:PORT"))
			return -1;
		if (get_addr(ps, ps->words[1], &c->metrics, "metrics address"))
			return -1;
		c->has_metrics = true;
		return 0;
	}
	if (!strcmp(k, "key-file")) {
		if (want_args(ps, 1, "key-file /PATH"))
			return -1;
		if (ps->words[1][0] != '/')
			return perr(ps, ps->stmt_line,
				    "key-file '%s' must be an absolute path",
				    ps->words[1]);
		hd_strlcpy(c->key_file, ps->words[1], sizeof(c->key_file));
		c->key_line = ps->stmt_line;
		return 0;
	}
	if (!strcmp(k, "socket")) {
		if (want_args(ps, 1, "socket PATH"))
			return -1;
		if (ps->words[1][0] != '/' ||
		    strlen(ps->words[1]) >= sizeof(c->socket))
			return perr(ps, ps->stmt_line,
				    "socket '%s' must be an absolute path of at most %zu characters",
				    ps->words[1], sizeof(c->socket) - 1);
		hd_strlcpy(c->socket, ps->words[1], sizeof(c->socket));
		return 0;
	}
	unknown_key(ps, "the daemon section", daemon_keys,
		    ARRAY_SIZE(daemon_keys));
	return -1;
}

static const char *const res_keys[] = {
	"policy", "fencing", "start-hook", "stop-hook", "hook-timeout",
	"service-ip",
};

static int get_hook(struct parser *ps, char *out)
{
	if (want_args(ps, 1, "start-hook /PATH/TO/PROGRAM"))
		return -1;
	if (ps->words[1][0] != '/')
		return perr(ps, ps->stmt_line,
			    "%s '%s' must be an absolute path to a program",
			    ps->words[0], ps->words[1]);
	hd_strlcpy(out, ps->words[1], HD_DCONF_PATH_MAX);
	return 0;
}

static int get_service_ip(struct parser *ps, struct hd_dres *r)
{
	char addr[64], *slash;
	unsigned char bin[16];
	uint32_t prefix;
	int fam;

	if (want_args(ps, 2, "service-ip ADDRESS/PREFIX INTERFACE"))
		return -1;
	if (strlen(ps->words[1]) >= sizeof(addr))
		return perr(ps, ps->stmt_line, "service-ip '%s' is too long",
			    ps->words[1]);
	hd_strlcpy(addr, ps->words[1], sizeof(addr));
	slash = strchr(addr, '/');
	if (!slash)
		return perr(ps, ps->stmt_line,
			    "service-ip '%s' has no prefix length: write e.g. 10.0.0.100/24",
			    addr);
	*slash = '\0';
	fam = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(fam, addr, bin) != 1)
		return perr(ps, ps->stmt_line,
			    "service-ip '%s': '%s' is not an IPv4 or IPv6 address",
			    ps->words[1], addr);
	if (hd_parse_u32(slash + 1, fam == AF_INET ? 32 : 128, &prefix) ||
	    !prefix)
		return perr(ps, ps->stmt_line,
			    "service-ip '%s': the prefix length must be 1 to %d",
			    ps->words[1], fam == AF_INET ? 32 : 128);
	if (!ps->words[2][0] || strlen(ps->words[2]) >= sizeof(r->ip_dev) ||
	    strchr(ps->words[2], '/'))
		return perr(ps, ps->stmt_line,
			    "service-ip: bad interface name '%s' (1 to 15 characters)",
			    ps->words[2]);
	hd_strlcpy(r->ip, ps->words[1], sizeof(r->ip));
	hd_strlcpy(r->ip_dev, ps->words[2], sizeof(r->ip_dev));
	r->has_ip = true;
	return 0;
}

static int res_stmt(struct parser *ps, struct hd_dres *r)
{
	const char *k = ps->words[0];
	char where[96];

	if (!strcmp(k, "policy")) {
		if (want_args(ps, 1, "policy manual|automatic"))
			return -1;
		if (hd_policy_parse(ps->words[1], &r->policy))
			return perr(ps, ps->stmt_line,
				    "unknown policy '%s': write 'policy manual;' (report and recommend, the default) or 'policy automatic;'",
				    ps->words[1]);
		return 0;
	}
	if (!strcmp(k, "fencing")) {
		if (want_args(ps, 1, "fencing none|kernel"))
			return -1;
		if (!strcmp(ps->words[1], "none"))
			r->fencing = false;
		else if (!strcmp(ps->words[1], "kernel"))
			r->fencing = true;
		else
			return perr(ps, ps->stmt_line,
				    "unknown fencing '%s': write 'fencing none;' or 'fencing kernel;' (the kernel runs the resource's fence-peer hook before promoting)",
				    ps->words[1]);
		return 0;
	}
	if (!strcmp(k, "start-hook")) {
		r->start_line = ps->stmt_line;
		return get_hook(ps, r->start_hook);
	}
	if (!strcmp(k, "stop-hook")) {
		r->stop_line = ps->stmt_line;
		return get_hook(ps, r->stop_hook);
	}
	if (!strcmp(k, "hook-timeout"))
		return get_duration(ps, 100, HD_DCONF_HOOK_MAX,
				    &r->hook_timeout_ms);
	if (!strcmp(k, "service-ip"))
		return get_service_ip(ps, r);
	snprintf(where, sizeof(where), "resource %s", r->name);
	unknown_key(ps, where, res_keys, ARRAY_SIZE(res_keys));
	return -1;
}

/* Reads a section's statements up to its '}'. */
static int section(struct parser *ps, struct hd_dconf *c, struct hd_dres *r,
		   bool *lease_set)
{
	int open_line = ps->stmt_line;

	for (;;) {
		if (next_stmt(ps))
			return -1;
		if (ps->end == '}')
			return 0;
		if (!ps->end)
			return perr(ps, open_line,
				    "the section opened here is not closed: add '}'");
		if (ps->end == '{')
			return perr(ps, ps->stmt_line,
				    "'%s' cannot open a block here", ps->words[0]);
		if (r ? res_stmt(ps, r) : daemon_stmt(ps, c, lease_set))
			return -1;
	}
}

void hd_dconf_init(struct hd_dconf *c)
{
	memset(c, 0, sizeof(*c));
	c->interval_ms = HD_DCONF_INTERVAL_DEF;
	c->timeout_ms = HD_DCONF_TIMEOUT_DEF;
	c->hook_timeout_ms = HD_DCONF_HOOK_DEF;
	hd_strlcpy(c->socket, HD_DCONF_SOCKET, sizeof(c->socket));
}

static int check_all(struct parser *ps, struct hd_dconf *c, int daemon_line,
		     bool lease_set)
{
	unsigned int i;

	if (!daemon_line)
		return perr(ps, 1,
			    "no 'daemon { ... }' section: add one with at least 'peer NAME;' and a 'path LOCAL PEER;'");
	if (!c->peer[0])
		return perr(ps, daemon_line,
			    "the daemon section has no 'peer NAME;': name the other node");
	if (!c->npaths)
		return perr(ps, daemon_line,
			    "the daemon section has no 'path LOCAL:PORT PEER:PORT;': add one per independent network (two or more)");
	if (c->timeout_ms < 2 * c->interval_ms)
		return perr(ps, c->timeout_line ? c->timeout_line : daemon_line,
			    "heartbeat-timeout %ums is less than twice heartbeat-interval %ums: raise the timeout or lower the interval",
			    c->timeout_ms, c->interval_ms);
	if (!lease_set)
		c->lease_ms = c->timeout_ms;
	if (c->has_witness && c->lease_ms < 3 * c->interval_ms)
		return perr(ps, c->lease_line ? c->lease_line : daemon_line,
			    "witness-lease %ums is less than three heartbeat-intervals (%ums): the active node could not renew it in time; raise it",
			    c->lease_ms, 3 * c->interval_ms);
	if (c->node[0] && !strcmp(c->node, c->peer))
		return perr(ps, daemon_line,
			    "node and peer are both '%s': the peer is the other node",
			    c->node);
	for (i = 0; i < c->nres; i++) {
		struct hd_dres *r = &c->res[i];
		const char *why = hd_policy_check(r->policy, r->fencing,
						  c->has_witness);

		if (why)
			return perr(ps, r->line, "resource %s: %s", r->name,
				    why);
		if (!r->hook_timeout_ms)
			r->hook_timeout_ms = c->hook_timeout_ms;
	}
	return 0;
}

int hd_dconf_parse(const char *text, const char *file, struct hd_dconf *c,
		   char *err, size_t err_size)
{
	struct parser ps = {
		.p = text, .line = 1, .file = file, .err = err,
		.err_size = err_size,
	};
	int daemon_line = 0;
	bool lease_set = false;
	unsigned int i;

	hd_dconf_init(c);
	hd_strlcpy(c->file, file, sizeof(c->file));
	for (;;) {
		if (next_stmt(&ps))
			return -1;
		if (!ps.end)
			break;
		if (ps.end == '}')
			return perr(&ps, ps.line, "a '}' without a section: remove it");
		if (ps.end == ';') {
			return perr(&ps, ps.stmt_line,
				    "'%s' outside a section: put it in 'daemon { }' or 'resource NAME { }'",
				    ps.words[0]);
		}
		if (!strcmp(ps.words[0], "daemon") && ps.nwords == 1) {
			if (daemon_line)
				return perr(&ps, ps.stmt_line,
					    "a second daemon section (the first is at line %d): merge them",
					    daemon_line);
			daemon_line = ps.stmt_line;
			if (section(&ps, c, NULL, &lease_set))
				return -1;
		} else if (!strcmp(ps.words[0], "resource") && ps.nwords == 2) {
			struct hd_dres *r;

			if (c->nres == HD_DCONF_MAX_RES)
				return perr(&ps, ps.stmt_line,
					    "more than %d resources: hadiskd manages at most %d",
					    HD_DCONF_MAX_RES, HD_DCONF_MAX_RES);
			r = &c->res[c->nres];
			memset(r, 0, sizeof(*r));
			r->line = ps.stmt_line;
			if (get_name(&ps, ps.words[1], r->name, sizeof(r->name),
				     "resource name"))
				return -1;
			for (i = 0; i < c->nres; i++)
				if (!strcmp(c->res[i].name, r->name))
					return perr(&ps, ps.stmt_line,
						    "resource %s is defined twice (first at line %d)",
						    r->name, c->res[i].line);
			c->nres++;
			if (section(&ps, c, r, NULL))
				return -1;
		} else {
			return perr(&ps, ps.stmt_line,
				    "unknown section '%s%s%s': write 'daemon {' or 'resource NAME {'",
				    ps.words[0], ps.nwords > 1 ? " " : "",
				    ps.nwords > 1 ? ps.words[1] : "");
		}
	}
	return check_all(&ps, c, daemon_line, lease_set);
}

static int check_hook(const struct hd_dconf *c, const struct hd_dres *r,
		      const char *key, const char *path, int line, char *err,
		      size_t err_size)
{
	struct stat st;

	if (!path[0])
		return 0;
	if (stat(path, &st)) {
		snprintf(err, err_size,
			 "%s:%d: resource %s: %s %s: %s: create it or fix the path",
			 c->file, line, r->name, key, path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK)) {
		snprintf(err, err_size,
			 "%s:%d: resource %s: %s %s is not an executable file: chmod +x it",
			 c->file, line, r->name, key, path);
		return -1;
	}
	return 0;
}

int hd_dconf_load(const char *file, struct hd_dconf *c, char *err,
		  size_t err_size)
{
	FILE *f = fopen(file, "r");
	char *text;
	size_t len;
	unsigned int i;
	int ret;

	if (!f) {
		ret = errno;
		snprintf(err, err_size, "%s: %s", file, strerror(ret));
		return ret == ENOENT ? -ENOENT : -1;
	}
	text = calloc(1, 1 << 20);
	if (!text) {
		fclose(f);
		snprintf(err, err_size, "%s: out of memory", file);
		return -1;
	}
	len = fread(text, 1, (1 << 20) - 1, f);
	if (ferror(f) || !feof(f)) {
		snprintf(err, err_size, "%s: %s", file,
			 ferror(f) ? "read error" : "larger than 1 MiB");
		fclose(f);
		free(text);
		return -1;
	}
	fclose(f);
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		snprintf(err, err_size, "%s: contains a NUL byte: not a text file",
			 file);
		free(text);
		return -1;
	}
	ret = hd_dconf_parse(text, file, c, err, err_size);
	free(text);
	if (ret)
		return -1;
	if (c->key_file[0]) {
		char why[HD_DCONF_ERR_MAX - 64];

		if (hd_key_load(c->key_file, c->key, why, sizeof(why))) {
			snprintf(err, err_size, "%s:%d: %s", file, c->key_line,
				 why);
			return -1;
		}
		c->has_key = true;
	}
	for (i = 0; i < c->nres; i++)
		if (check_hook(c, &c->res[i], "start-hook",
			       c->res[i].start_hook, c->res[i].start_line, err,
			       err_size) ||
		    check_hook(c, &c->res[i], "stop-hook",
			       c->res[i].stop_hook, c->res[i].stop_line, err,
			       err_size))
			return -1;
	return 0;
}

int hd_key_load(const char *file, uint8_t key[16], char *err,
		size_t err_size)
{
	char text[80], *p;
	struct stat st;
	size_t n = 0;
	FILE *f;

	f = fopen(file, "r");
	if (!f) {
		snprintf(err, err_size, "key-file %s: %s", file,
			 strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || (st.st_mode & 077)) {
		fclose(f);
		snprintf(err, err_size,
			 "key-file %s is readable by group or others: chmod 600 it",
			 file);
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	p = text;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	for (n = 0; n < 32; n++) {
		char c = p[n];
		int v = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (v < 0)
			break;
		if (n % 2)
			key[n / 2] |= (uint8_t)v;
		else
			key[n / 2] = (uint8_t)(v << 4);
	}
	p += n;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (n != 32 || *p) {
		snprintf(err, err_size,
			 "key-file %s must hold 32 hexadecimal digits (16 random bytes), e.g. from 'od -An -tx1 -N16 /dev/urandom | tr -d \" \\n\"'",
			 file);
		return -1;
	}
	return 0;
}

const struct hd_dres *hd_dconf_res(const struct hd_dconf *c,
				   const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nres; i++)
		if (!strcmp(c->res[i].name, name))
			return &c->res[i];
	return NULL;
}
