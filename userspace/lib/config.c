// SPDX-License-Identifier: GPL-2.0
/*
 * Configuration file parser, see config.h for the syntax.
 *
 * A lexer turns the text into words, '{', '}' and ';' (with line numbers,
 * '#' comments and "quoted words"); a recursive descent parser reads the
 * five kinds of section (resource, net, disk, handlers, on) and checks every
 * value where it stands, so each message can name the line at fault. The
 * checks that need a whole block run when it closes: the disk section's
 * resync rates (the minimum not above the maximum), a resource's two nodes
 * (distinct node ids and addresses), and the split-brain and fencing
 * settings against the hooks and nodes they need.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <hadisk/ondisk.h>

#include "buf.h"
#include "config.h"
#include "names.h"

enum tok_type { T_EOF, T_WORD, T_LBRACE, T_RBRACE, T_SEMI };

struct token {
	enum tok_type type;
	int line;
	size_t len;		/* of text, which may hold a NUL when quoted */
	char text[HADISK_PATH_MAX];
};

struct parser {
	const char *p;
	const char *end;
	int line;
	const char *file;
	char *err;
	size_t err_size;
	bool have_peek;
	struct token peek;
	/* the lexer is reading a shared-secret: no message may quote it */
	bool secret;
	/* the resources met so far, for duplicates and messages */
	char (*res_names)[HADISK_RES_NAME_MAX];
	int nr_res;
};

/* The keys of each kind of section, for checks and "did you mean". */
static const char *const top_keys[] = { "resource" };
static const char *const res_keys[] = {
	"protocol", "net", "disk", "handlers", "on"
};
/* the net section's durations first, then its other keys */
static const char *const net_keys[] = {
	"ping-interval", "ping-timeout", "ack-timeout", "connect-interval",
	"checksum-resync", "after-sb-0pri", "after-sb-1pri", "after-sb-2pri",
	"shared-secret", "cram-hmac-alg", "data-integrity-alg", "transport"
};
/* where the split-brain policies start in net_keys */
#define NET_SB_FIRST	5
/* and the authentication and integrity keys, in this order */
#define NET_SECRET	(NET_SB_FIRST + HD_SB_KEYS)
#define NET_HMAC_ALG	(NET_SECRET + 1)
#define NET_DIGEST	(NET_SECRET + 2)
#define NET_TRANSPORT	(NET_SECRET + 3)
static const char *const disk_keys[] = {
	"al-extents", "resync-rate-min", "resync-rate-max", "fencing"
};
/* the hooks, in the order of enum hd_hook, then the other keys */
static const char *const handlers_keys[] = {
	"fence-peer", "unfence-peer", "split-brain", "pri-lost-after-sb",
	"before-resync-target", "after-resync-target", "local-io-error",
	"hook-timeout", "discarded-dir"
};

_Static_assert(ARRAY_SIZE(handlers_keys) == HD_HOOK_NR + 2,
	       "config.c: one handlers key per hook, then two more");
_Static_assert(HADISK_A_HOOK_LOCAL_IO_ERROR - HADISK_A_HOOK_FENCE_PEER ==
	       HD_HOOK_NR - 1, "config.h: enum hd_hook follows HADISK_A_HOOK_*");

const char *hd_hook_key(enum hd_hook h)
{
	return (unsigned int)h < HD_HOOK_NR ? handlers_keys[h] : NULL;
}
static const char *const on_keys[] = {
	"node-id", "address", "disk", "minor", "meta-disk"
};

/* An example value of each key, for the hints of messages. */
static const char *example_of(const char *key)
{
	static const char *const examples[][2] = {
		{ "resource", "r0 { ... }" },
		{ "protocol", "C" },
		{ "ping-interval", "1s" },
		{ "ping-timeout", "2s" },
		{ "ack-timeout", "6s" },
		{ "connect-interval", "1s" },
		{ "checksum-resync", "yes" },
		{ "al-extents", "257" },
		{ "resync-rate-min", "50M" },
		{ "resync-rate-max", "500M" },
		{ "node-id", "0" },
		{ "address", "10.0.0.1:7789" },
		{ "disk", "/dev/sdb" },
		{ "minor", "0" },
		{ "meta-disk", "internal" },
		{ "after-sb-0pri", "discard-zero-changes" },
		{ "after-sb-1pri", "discard-secondary" },
		{ "after-sb-2pri", "disconnect" },
		{ "shared-secret", "\"SECRET\"" },
		{ "cram-hmac-alg", "sha256" },
		{ "data-integrity-alg", "crc32c" },
		{ "transport", "tcp" },
		{ "fencing", "resource-only" },
		{ "fence-peer", "/usr/local/sbin/hadisk-fence-peer" },
		{ "unfence-peer", "/usr/local/sbin/hadisk-unfence-peer" },
		{ "split-brain", "/usr/local/sbin/hadisk-notify" },
		{ "pri-lost-after-sb", "/usr/local/sbin/hadisk-pri-lost" },
		{ "before-resync-target", "/usr/local/sbin/hadisk-snapshot" },
		{ "after-resync-target", "/usr/local/sbin/hadisk-notify" },
		{ "local-io-error", "/usr/local/sbin/hadisk-notify" },
		{ "hook-timeout", "60s" },
		{ "discarded-dir", HD_CONF_SAVE_DIR_DEFAULT },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(examples); i++)
		if (!strcmp(examples[i][0], key))
			return examples[i][1];
	return "VALUE";
}

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *ps, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (line > 0)
		n = snprintf(ps->err, ps->err_size, "%s:%d: ", ps->file, line);
	else
		n = snprintf(ps->err, ps->err_size, "%s: ", ps->file);
	if (n < 0 || (size_t)n >= ps->err_size)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Lexer */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\f' || c == '\v';
}

static bool is_word_char(char c)
{
	return !is_space(c) && c != '{' && c != '}' && c != ';' &&
	       c != '#' && c != '"' && (unsigned char)c >= 0x20 && c != 0x7f;
}

static void skip_blanks(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == '\n') {
			ps->line++;
			ps->p++;
		} else if (is_space(c)) {
			ps->p++;
		} else if (c == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		} else {
			break;
		}
	}
}

static int lex_quoted(struct parser *ps, struct token *t)
{
	size_t n = 0;

	ps->p++;	/* the opening quote */
	for (;;) {
		char c;

		if (ps->p >= ps->end || *ps->p == '\n')
			return perr(ps, t->line,
				    "unterminated string: a '\"' is missing at the end of the line");
		c = *ps->p++;
		if (c == '"')
			break;
		if (c == '\\' && ps->p < ps->end && *ps->p != '\n')
			c = *ps->p++;
		if (n + 1 >= sizeof(t->text) && ps->secret)
			return perr(ps, t->line,
				    "the shared-secret is longer than %d bytes (write 1 to %d bytes)",
				    HD_CONF_SECRET_MAX, HD_CONF_SECRET_MAX);
		if (n + 1 >= sizeof(t->text))
			return perr(ps, t->line,
				    "quoted value longer than %zu characters",
				    sizeof(t->text) - 1);
		t->text[n++] = c;
	}
	t->text[n] = '\0';
	t->len = n;
	t->type = T_WORD;
	return 0;
}

static int lex(struct parser *ps, struct token *t)
{
	const char *start;
	size_t n;

	skip_blanks(ps);
	t->line = ps->line;
	t->text[0] = '\0';
	t->len = 0;
	if (ps->p >= ps->end) {
		t->type = T_EOF;
		return 0;
	}
	switch (*ps->p) {
	case '{':
		t->type = T_LBRACE;
		break;
	case '}':
		t->type = T_RBRACE;
		break;
	case ';':
		t->type = T_SEMI;
		break;
	case '"':
		return lex_quoted(ps, t);
	default:
		if (!is_word_char(*ps->p) && ps->secret)
			return perr(ps, t->line,
				    "the shared-secret holds a control byte: write it in double quotes (shared-secret \"SECRET\";)");
		if (!is_word_char(*ps->p))
			return perr(ps, t->line,
				    "unexpected byte 0x%02x (a configuration file is plain text)",
				    (unsigned char)*ps->p);
		start = ps->p;
		while (ps->p < ps->end && is_word_char(*ps->p))
			ps->p++;
		n = (size_t)(ps->p - start);
		if (n >= sizeof(t->text) && ps->secret)
			return perr(ps, t->line,
				    "the shared-secret is longer than %d bytes (write 1 to %d bytes)",
				    HD_CONF_SECRET_MAX, HD_CONF_SECRET_MAX);
		if (n >= sizeof(t->text))
			return perr(ps, t->line,
				    "'%.20s...' is longer than %zu characters",
				    start, sizeof(t->text) - 1);
		memcpy(t->text, start, n);
		t->text[n] = '\0';
		t->len = n;
		t->type = T_WORD;
		return 0;
	}
	t->text[0] = *ps->p++;
	t->text[1] = '\0';
	t->len = 1;
	return 0;
}

static int next(struct parser *ps, struct token *t)
{
	if (ps->have_peek) {
		*t = ps->peek;
		ps->have_peek = false;
		return 0;
	}
	return lex(ps, t);
}

/* The next token, left to be read again by next(). */
static int peek(struct parser *ps, const struct token **t)
{
	if (!ps->have_peek) {
		if (lex(ps, &ps->peek))
			return -1;
		ps->have_peek = true;
	}
	*t = &ps->peek;
	return 0;
}

/* How a token is named in a message. */
static const char *tok_desc(const struct token *t, char *buf, size_t size)
{
	if (t->type == T_EOF)
		return "the end of the file";
	snprintf(buf, size, "'%s'", t->text);
	return buf;
}

/* Keys */

static bool in_list(const char *key, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/* Where a key belongs, for "belongs in" hints; NULL if nowhere. */
static const char *home_of(const char *key)
{
	if (in_list(key, on_keys, ARRAY_SIZE(on_keys)))
		return "an 'on NAME { }' section";
	if (in_list(key, net_keys, ARRAY_SIZE(net_keys)))
		return "the 'net { }' section";
	if (in_list(key, disk_keys, ARRAY_SIZE(disk_keys)))
		return "the 'disk { }' section";
	if (in_list(key, handlers_keys, ARRAY_SIZE(handlers_keys)))
		return "the 'handlers { }' section";
	if (in_list(key, res_keys, ARRAY_SIZE(res_keys)))
		return "a 'resource NAME { }' section";
	if (in_list(key, top_keys, ARRAY_SIZE(top_keys)))
		return "the top level of the file";
	return NULL;
}

static const char *closest_anywhere(const char *key)
{
	static const char *const all[] = {
		"resource", "protocol", "net", "on", "ping-interval",
		"ping-timeout", "ack-timeout", "connect-interval",
		"checksum-resync", "al-extents",
		"resync-rate-min", "resync-rate-max", "node-id", "address",
		"disk", "minor", "meta-disk", "handlers", "after-sb-0pri",
		"after-sb-1pri", "after-sb-2pri", "fencing", "fence-peer",
		"unfence-peer", "split-brain", "pri-lost-after-sb",
		"before-resync-target", "after-resync-target",
		"local-io-error", "hook-timeout", "discarded-dir",
		"shared-secret", "cram-hmac-alg", "data-integrity-alg",
		"transport",
	};

	return hd_closest(key, all, ARRAY_SIZE(all));
}

/* DRBD's keys for what hadisk does its own way: how to say it here. */
static const char *drbd_hint(const char *key)
{
	static const char *const hints[][2] = {
		{ "csums-alg",
		  "hadisk's resync checksums are always crc32c: write 'checksum-resync yes;' in the 'net { }' section" },
		{ "verify-alg",
		  "online verify always compares crc32c checksums and needs no setting: run 'hadiskctl verify RES'" },
		{ "outdate-peer",
		  "DRBD's old name of this hook: write 'fence-peer \"/path\";' in the 'handlers { }' section" },
		{ "pri-lost",
		  "hadisk has no such hook; the hook for a Primary that lost a split brain is 'pri-lost-after-sb'" },
		{ "pri-on-incon-degr",
		  "hadisk has no such hook: promoting a node without a good disk is refused instead; Documentation/hooks.md lists the hooks there are" },
		{ "initial-split-brain",
		  "hadisk has one split-brain hook: write 'split-brain \"/path\";' in the 'handlers { }' section" },
		{ "before-resync-source",
		  "hadisk has no such hook; 'before-resync-target' runs on the node that receives the resync" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hints); i++)
		if (!strcmp(hints[i][0], key))
			return hints[i][1];
	return NULL;
}

/* An unknown key in a section whose keys are keys[0..n). */
static int unknown_key(struct parser *ps, const struct token *t,
		       const char *where, const char *const *keys, size_t n)
{
	const char *hint = hd_closest(t->text, keys, n);
	const char *elsewhere = closest_anywhere(t->text);
	const char *drbd = drbd_hint(t->text);
	struct hd_buf valid = HD_BUF_INIT;
	size_t i;

	if (drbd)
		perr(ps, t->line, "unknown key '%s' %s (%s)", t->text, where,
		     drbd);
	else if (hint)
		perr(ps, t->line, "unknown key '%s' %s (did you mean '%s'?)",
		     t->text, where, hint);
	else if (home_of(t->text))
		perr(ps, t->line, "unknown key '%s' %s ('%s' belongs in %s)",
		     t->text, where, t->text, home_of(t->text));
	else if (elsewhere)
		perr(ps, t->line,
		     "unknown key '%s' %s (did you mean '%s'? it belongs in %s)",
		     t->text, where, elsewhere, home_of(elsewhere));
	else {
		for (i = 0; i < n; i++)
			hd_buf_printf(&valid, "%s%s", i ? ", " : "", keys[i]);
		perr(ps, t->line, "unknown key '%s' %s (valid here: %s)",
		     t->text, where, hd_buf_str(&valid));
		hd_buf_free(&valid);
	}
	return -1;
}

/*
 * Reads the value of "key VALUE;" into val. where is "in 'on alpha'" and
 * the like.
 */
static int read_value(struct parser *ps, const struct token *key,
		      const char *where, struct token *val)
{
	struct token semi;
	char desc[HADISK_PATH_MAX + 8];

	if (next(ps, val))
		return -1;
	if (val->type != T_WORD)
		return perr(ps, key->line,
			    "key '%s' %s needs a value before %s (write '%s %s;')",
			    key->text, where, tok_desc(val, desc, sizeof(desc)),
			    key->text, example_of(key->text));
	if (next(ps, &semi))
		return -1;
	if (semi.type == T_SEMI)
		return 0;
	if (!strcmp(key->text, "address") &&
	    (!strcmp(val->text, "ipv4") || !strcmp(val->text, "ipv6")))
		return perr(ps, val->line,
			    "'address %s %s': hadisk takes no address family prefix (write 'address %s;')",
			    val->text, semi.type == T_WORD ? semi.text : "...",
			    semi.type == T_WORD ? semi.text : "IP:PORT");
	return perr(ps, val->line,
		    "missing ';' after '%s %s' %s (found %s; every setting ends with ';')",
		    key->text, val->text, where,
		    tok_desc(&semi, desc, sizeof(desc)));
}

static int check_dup(struct parser *ps, const struct token *key,
		     const char *where, int first_line)
{
	if (!first_line)
		return 0;
	return perr(ps, key->line,
		    "duplicate key '%s' %s (already set on line %d; keep one)",
		    key->text, where, first_line);
}

/* Opens a block: the next token must be '{'. */
static int expect_open(struct parser *ps, const char *what, int line)
{
	struct token t;
	char desc[HADISK_PATH_MAX + 8];

	if (next(ps, &t))
		return -1;
	if (t.type == T_LBRACE)
		return 0;
	return perr(ps, t.type == T_EOF ? line : t.line,
		    "expected '{' after '%s', found %s", what,
		    tok_desc(&t, desc, sizeof(desc)));
}

static int unterminated(struct parser *ps, const char *what, int line)
{
	return perr(ps, line,
		    "unterminated block '%s': the file ends before its closing '}' (add '}' to close it)",
		    what);
}

/*
 * Reads the token after a block's last statement: returns 1 for '}', 0 for
 * a key (in t), -1 on error. Empty statements (';') are skipped.
 */
static int block_next(struct parser *ps, struct token *t, const char *what,
		      int open_line)
{
	for (;;) {
		if (next(ps, t))
			return -1;
		switch (t->type) {
		case T_RBRACE:
			return 1;
		case T_SEMI:
			continue;
		case T_EOF:
			return unterminated(ps, what, open_line);
		case T_LBRACE:
			return perr(ps, t->line,
				    "unexpected '{' in '%s' (a section opens with 'NAME {')",
				    what);
		case T_WORD:
			return 0;
		}
	}
}

/* Values */

static int set_duration(struct parser *ps, const struct token *key,
			const struct token *val, const char *where,
			uint32_t *ms)
{
	if (hd_parse_duration_ms(val->text, ms))
		return perr(ps, val->line,
			    "bad duration '%s' for '%s' %s (write N, Nms or Ns, e.g. 500ms or 2s; a bare number is seconds)",
			    val->text, key->text, where);
	if (*ms < HD_CONF_MS_MIN || *ms > HD_CONF_MS_MAX)
		return perr(ps, val->line,
			    "'%s %s' %s is out of range (write from %dms to %ds)",
			    key->text, val->text, where, HD_CONF_MS_MIN,
			    HD_CONF_MS_MAX / 1000);
	return 0;
}

static int set_path(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where, char *dst)
{
	if (val->text[0] != '/')
		return perr(ps, val->line,
			    "bad %s '%s' %s (write the absolute path of a block device, e.g. '%s /dev/sdb;')",
			    key->text, val->text, where, key->text);
	/* the lexer caps words below HADISK_PATH_MAX */
	hd_strlcpy(dst, val->text, HADISK_PATH_MAX);
	return 0;
}

/* Sections */

struct section_state {
	char what[HD_NODE_NAME_MAX + 16];	/* "on alpha" */
	char where[HD_NODE_NAME_MAX + 24];	/* "in 'on alpha'" */
};

static void name_section(struct section_state *s, const char *kind,
			 const char *name)
{
	if (name)
		snprintf(s->what, sizeof(s->what), "%s %s", kind, name);
	else
		hd_strlcpy(s->what, kind, sizeof(s->what));
	snprintf(s->where, sizeof(s->where), "in '%s'", s->what);
}

static int on_key(struct parser *ps, struct hd_node_conf *node,
		  const struct token *key, const struct section_state *s)
{
	struct token val;
	const char *why;

	const struct token *ahead;

	if (!in_list(key->text, on_keys, ARRAY_SIZE(on_keys)))
		return unknown_key(ps, key, s->where, on_keys,
				   ARRAY_SIZE(on_keys));
	if (!strcmp(key->text, "disk")) {
		if (peek(ps, &ahead))
			return -1;
		if (ahead->type == T_LBRACE)
			return perr(ps, key->line,
				    "'disk { ... }' %s: the disk section belongs in the 'resource NAME { }' section, next to 'net'; in an 'on' section 'disk' is the backing device (write 'disk /dev/sdb;')",
				    s->where);
	}
	if (read_value(ps, key, s->where, &val))
		return -1;
	if (!strcmp(key->text, "node-id")) {
		if (check_dup(ps, key, s->where, node->node_id_line))
			return -1;
		if (hd_parse_u32(val.text, HADISK_NODE_ID_MAX, &node->node_id))
			return perr(ps, val.line,
				    "bad node-id '%s' %s (write a number from 0 to %d)",
				    val.text, s->where, HADISK_NODE_ID_MAX);
		node->node_id_line = key->line;
	} else if (!strcmp(key->text, "address")) {
		if (check_dup(ps, key, s->where, node->addr_line))
			return -1;
		if (hd_parse_addr(val.text, &node->addr, &why))
			return perr(ps, val.line,
				    "bad address '%s' %s: %s; e.g. 'address 10.0.0.1:7789;' or 'address [fd00::1]:7789;'",
				    val.text, s->where, why);
		node->addr_line = key->line;
	} else if (!strcmp(key->text, "disk")) {
		if (check_dup(ps, key, s->where, node->disk_line) ||
		    set_path(ps, key, &val, s->where, node->disk))
			return -1;
		node->disk_line = key->line;
	} else if (!strcmp(key->text, "minor")) {
		if (check_dup(ps, key, s->where, node->minor_line))
			return -1;
		if (hd_parse_u32(val.text, HADISK_MINOR_MAX, &node->minor))
			return perr(ps, val.line,
				    "bad minor '%s' %s (write a number from 0 to %d: minor N is /dev/hadiskN)",
				    val.text, s->where, HADISK_MINOR_MAX);
		node->minor_line = key->line;
	} else {	/* meta-disk */
		if (check_dup(ps, key, s->where, node->meta_line))
			return -1;
		if (!strcmp(val.text, "internal")) {
			node->meta = HD_META_INTERNAL;
		} else if (!strcmp(val.text, "none")) {
			node->meta = HD_META_NONE;
		} else if (val.text[0] == '/') {
			node->meta = HD_META_DEVICE;
			set_path(ps, key, &val, s->where, node->meta_dev);
		} else {
			return perr(ps, val.line,
				    "bad meta-disk '%s' %s (write 'internal', 'none' or the absolute path of a device)",
				    val.text, s->where);
		}
		node->meta_line = key->line;
	}
	return 0;
}

static int check_required(struct parser *ps, const struct hd_node_conf *node,
			  const struct section_state *s)
{
	static const char *const req[] = { "address", "disk", "minor" };
	const int have[] = { node->addr_line, node->disk_line,
			     node->minor_line };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req); i++)
		if (!have[i])
			return perr(ps, node->line,
				    "missing required key '%s' %s (add '%s %s;' to it)",
				    req[i], s->where, req[i],
				    example_of(req[i]));
	if (node->meta == HD_META_DEVICE && !strcmp(node->meta_dev, node->disk))
		return perr(ps, node->meta_line,
			    "'meta-disk %s' %s is the node's disk itself (write 'meta-disk internal;' to keep the metadata at the end of the disk, or name another device)",
			    node->meta_dev, s->where);
	return 0;
}

static int parse_on(struct parser *ps, struct hd_res_conf *rc, int line)
{
	struct section_state s;
	struct hd_node_conf *node;
	struct token t;
	char why[160];
	int i, r;

	if (next(ps, &t))
		return -1;
	if (t.type != T_WORD)
		return perr(ps, line,
			    "'on' needs a node name (write 'on alpha { ... }')");
	if (hd_check_name(t.text, HD_NODE_NAME_MAX, why, sizeof(why)))
		return perr(ps, t.line, "bad node name '%s': %s", t.text, why);
	for (i = 0; i < rc->nr_nodes; i++)
		if (!strcmp(rc->nodes[i].name, t.text))
			return perr(ps, line,
				    "duplicate node name '%s' in resource '%s' (there is an 'on %s' on line %d already; the two nodes need different names)",
				    t.text, rc->name, t.text,
				    rc->nodes[i].line);
	if (rc->nr_nodes == 2)
		return perr(ps, line,
			    "a third 'on' section ('on %s') in resource '%s' (hadisk replicates between exactly two nodes)",
			    t.text, rc->name);
	node = &rc->nodes[rc->nr_nodes++];
	hd_strlcpy(node->name, t.text, sizeof(node->name));
	node->line = line;
	name_section(&s, "on", node->name);
	if (expect_open(ps, s.what, line))
		return -1;
	while (!(r = block_next(ps, &t, s.what, line)))
		if (on_key(ps, node, &t, &s))
			return -1;
	if (r < 0)
		return -1;
	return check_required(ps, node, &s);
}

/* "yes" or "no". */
static int set_yes_no(struct parser *ps, const struct token *key,
		      const struct token *val, const char *where, bool *v)
{
	if (!strcmp(val->text, "yes"))
		*v = true;
	else if (!strcmp(val->text, "no"))
		*v = false;
	else
		return perr(ps, val->line,
			    "bad value '%s' for '%s' %s (write '%s yes;' or '%s no;'; without the key it is no)",
			    val->text, key->text, where, key->text, key->text);
	return 0;
}

/* Split-brain policies */

static const char *const sb_key_names[HD_SB_KEYS] = {
	"after-sb-0pri", "after-sb-1pri", "after-sb-2pri"
};

/* Which of after-sb-0pri, -1pri and -2pri accept policy v: bit k for k. */
static unsigned int sb_keys_of(unsigned int v)
{
	switch (v) {
	case HADISK_SB_DISCONNECT:
		return 7;
	case HADISK_SB_CONSENSUS:
	case HADISK_SB_DISCARD_SECONDARY:
		return 2;
	case HADISK_SB_CALL_PRI_LOST:
		return 6;
	default:
		return 1;
	}
}

/* The policy names key k accepts, as the file writes them. */
static size_t sb_names_of(unsigned int k, const char **names)
{
	size_t n = 0;
	unsigned int v;

	for (v = 0; v < __HADISK_SB_MAX; v++)
		if (sb_keys_of(v) & (1u << k))
			names[n++] = v == HADISK_SB_DISCARD_NODE ?
				     "discard-node-NAME" : hd_after_sb_name(v);
	return n;
}

static void sb_list(unsigned int k, struct hd_buf *b)
{
	const char *names[__HADISK_SB_MAX];
	size_t i, n = sb_names_of(k, names);

	for (i = 0; i < n; i++)
		hd_buf_printf(b, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "",
			      names[i]);
}

/* The keys that accept policy v, "after-sb-1pri or after-sb-2pri". */
static void sb_keys_list(unsigned int v, struct hd_buf *b)
{
	unsigned int k, keys = sb_keys_of(v), done = 0;

	for (k = 0; k < HD_SB_KEYS; k++) {
		if (!(keys & (1u << k)))
			continue;
		done |= 1u << k;
		hd_buf_printf(b, "%s%s", done == 1u << k ? "" :
			      (keys & ~done) ? ", " : " or ", sb_key_names[k]);
	}
}

/* A hint for DRBD's policies that hadisk names otherwise or lacks. */
static const char *sb_drbd_hint(const char *v)
{
	if (!strcmp(v, "discard-node"))
		return "name the node whose changes are discarded: 'discard-node-NAME', e.g. discard-node-beta";
	if (!strcmp(v, "discard-local") || !strcmp(v, "discard-remote"))
		return "hadisk names the node whose changes are discarded: 'discard-node-NAME', the same on both nodes";
	if (!strncmp(v, "violently", 9))
		return "hadisk does not implement DRBD's violently* policies: they change a Primary's data under its application";
	return NULL;
}

/* The policy of any key closest to v, if close enough to be a typo. */
static const char *closest_policy(const char *v)
{
	const char *names[__HADISK_SB_MAX];
	unsigned int i;

	for (i = 0; i < __HADISK_SB_MAX; i++)
		names[i] = i == HADISK_SB_DISCARD_NODE ? "discard-node-NAME" :
			   hd_after_sb_name(i);
	return hd_closest(v, names, __HADISK_SB_MAX);
}

/* The keys that accept the policy named name, as sb_keys_list() does. */
static const char *sb_keys_str(const char *name, struct hd_buf *b)
{
	int v = strcmp(name, "discard-node-NAME") ?
		hd_after_sb_from_name(name) : HADISK_SB_DISCARD_NODE;

	sb_keys_list((unsigned int)v, b);
	return hd_buf_str(b);
}

static int bad_after_sb(struct parser *ps, const struct token *key,
			const struct token *val, const char *where,
			unsigned int k)
{
	const char *names[__HADISK_SB_MAX];
	struct hd_buf valid = HD_BUF_INIT, keys = HD_BUF_INIT;
	const char *hint = sb_drbd_hint(val->text);
	const char *close;

	sb_list(k, &valid);
	close = hd_closest(val->text, names, sb_names_of(k, names));
	if (hint)
		perr(ps, val->line,
		     "bad policy '%s' for '%s' %s: %s (%s accepts %s)",
		     val->text, key->text, where, hint, key->text,
		     hd_buf_str(&valid));
	else if (close)
		perr(ps, val->line,
		     "bad policy '%s' for '%s' %s (did you mean '%s'? %s accepts %s)",
		     val->text, key->text, where, close, key->text,
		     hd_buf_str(&valid));
	else if ((close = closest_policy(val->text)))
		perr(ps, val->line,
		     "bad policy '%s' for '%s' %s (did you mean '%s'? that is a policy for %s; %s accepts %s)",
		     val->text, key->text, where, close,
		     sb_keys_str(close, &keys), key->text,
		     hd_buf_str(&valid));
	else
		perr(ps, val->line,
		     "bad policy '%s' for '%s' %s (%s accepts %s)",
		     val->text, key->text, where, key->text,
		     hd_buf_str(&valid));
	hd_buf_free(&valid);
	hd_buf_free(&keys);
	return -1;
}

static int set_after_sb(struct parser *ps, struct hd_res_conf *rc,
			const struct token *key, const struct token *val,
			const char *where, unsigned int k)
{
	static const char *const situations[HD_SB_KEYS] = {
		"when neither node is Primary", "when one node is Primary",
		"when both nodes are Primary"
	};
	static const char prefix[] = "discard-node-";
	struct hd_buf valid = HD_BUF_INIT, keys = HD_BUF_INIT;
	const char *name = val->text;
	char why[160];
	int v;

	if (!strncmp(name, prefix, sizeof(prefix) - 1) &&
	    name[sizeof(prefix) - 1]) {
		v = HADISK_SB_DISCARD_NODE;
	} else {
		v = hd_after_sb_from_name(name);
		if (v == HADISK_SB_DISCARD_NODE)
			v = -1;
	}
	if (v < 0)
		return bad_after_sb(ps, key, val, where, k);
	if (!(sb_keys_of((unsigned int)v) & (1u << k))) {
		sb_list(k, &valid);
		sb_keys_list((unsigned int)v, &keys);
		perr(ps, val->line,
		     "'%s %s;' %s: '%s' is a policy for %s, not for %s, which applies %s (write it under %s, or give %s one of: %s)",
		     key->text, name, where,
		     v == HADISK_SB_DISCARD_NODE ? "discard-node-NAME" : name,
		     hd_buf_str(&keys), key->text, situations[k],
		     hd_buf_str(&keys), key->text, hd_buf_str(&valid));
		hd_buf_free(&valid);
		hd_buf_free(&keys);
		return -1;
	}
	if (v == HADISK_SB_DISCARD_NODE) {
		name += sizeof(prefix) - 1;
		if (rc->discard_node[0] && strcmp(rc->discard_node, name))
			return perr(ps, val->line,
				    "'%s %s;' %s names another node than the other discard-node policy ('discard-node-%s'); use one node",
				    key->text, val->text, where,
				    rc->discard_node);
		if (hd_check_name(name, HD_NODE_NAME_MAX, why, sizeof(why)))
			return perr(ps, val->line,
				    "bad node name '%s' in '%s %s;' %s: %s",
				    name, key->text, val->text, where, why);
		hd_strlcpy(rc->discard_node, name, sizeof(rc->discard_node));
	}
	rc->after_sb[k] = (uint8_t)v;
	return 0;
}

/* Authentication and integrity */

/*
 * "shared-secret VALUE;": read here rather than by read_value(), whose
 * messages quote the value. No message of this function, nor of the lexer
 * while ps->secret is set, holds a byte of the secret.
 */
static int read_secret(struct parser *ps, struct hd_res_conf *rc,
		       const struct token *key, const char *where)
{
	struct token val, semi;
	int ret = -1;

	ps->secret = true;
	if (next(ps, &val))
		goto out;
	if (val.type != T_WORD) {
		perr(ps, key->line,
		     "key 'shared-secret' %s needs a value before %s (write 'shared-secret \"SECRET\";', 1 to %d bytes)",
		     where, val.type == T_EOF ? "the end of the file" :
		     val.type == T_SEMI ? "';'" :
		     val.type == T_LBRACE ? "'{'" : "'}'",
		     HD_CONF_SECRET_MAX);
		goto out;
	}
	if (next(ps, &semi))
		goto out;
	if (semi.type != T_SEMI) {
		perr(ps, val.line,
		     "missing ';' after the shared-secret %s (%s; every setting ends with ';')",
		     where, semi.type == T_WORD ?
		     "found a second word: a secret with blanks goes in double quotes, 'shared-secret \"SECRET\";'" :
		     semi.type == T_EOF ? "found the end of the file" :
		     semi.type == T_LBRACE ? "found '{'" : "found '}'");
		goto out;
	}
	if (!val.len) {
		perr(ps, val.line,
		     "the shared-secret %s is empty (write 1 to %d bytes, e.g. 'shared-secret \"SECRET\";', the same on both nodes)",
		     where, HD_CONF_SECRET_MAX);
		goto out;
	}
	if (val.len > HD_CONF_SECRET_MAX) {
		perr(ps, val.line,
		     "the shared-secret %s is %zu bytes long; hadisk takes 1 to %d bytes (write a shorter one, the same on both nodes)",
		     where, val.len, HD_CONF_SECRET_MAX);
		goto out;
	}
	if (memchr(val.text, '\0', val.len)) {
		perr(ps, val.line,
		     "the shared-secret %s holds a NUL byte (write printable characters only)",
		     where);
		goto out;
	}
	memcpy(rc->shared_secret, val.text, val.len);
	rc->shared_secret[val.len] = '\0';
	rc->shared_secret_len = val.len;
	ret = 0;
out:
	ps->secret = false;
	explicit_bzero(&val, sizeof(val));
	explicit_bzero(&semi, sizeof(semi));
	return ret;
}

static int set_hmac_alg(struct parser *ps, struct hd_res_conf *rc,
			const struct token *val, const char *where)
{
	static const char *const algs[] = { "sha256", "sha1", "sha512" };
	const char *v = val->text, *close;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(algs); i++)
		if (!strcmp(v, algs[i])) {
			hd_strlcpy(rc->hmac_alg, v, sizeof(rc->hmac_alg));
			return 0;
		}
	/* DRBD's kernel crypto names: "hmac(sha256)" */
	n = strlen(v);
	if (!strncmp(v, "hmac(", 5) && n > 6 && v[n - 1] == ')')
		for (i = 0; i < ARRAY_SIZE(algs); i++)
			if (n - 6 == strlen(algs[i]) &&
			    !strncmp(v + 5, algs[i], n - 6))
				return perr(ps, val->line,
					    "bad cram-hmac-alg '%s' %s: name the hash alone (write 'cram-hmac-alg %s;')",
					    v, where, algs[i]);
	close = hd_closest(v, algs, ARRAY_SIZE(algs));
	if (close)
		return perr(ps, val->line,
			    "bad cram-hmac-alg '%s' %s (did you mean '%s'? hadisk supports sha256, sha1 and sha512; without the key it is sha256)",
			    v, where, close);
	return perr(ps, val->line,
		    "bad cram-hmac-alg '%s' %s (hadisk supports sha256, sha1 and sha512; without the key it is sha256)",
		    v, where);
}

static int set_digest(struct parser *ps, struct hd_res_conf *rc,
		      const struct token *val, const char *where)
{
	static const char *const algs[] = { "crc32c", "none" };
	const char *close;
	int v = hd_digest_from_name(val->text);

	if (v >= 0) {
		rc->data_digest = (uint8_t)v;
		return 0;
	}
	close = hd_closest(val->text, algs, ARRAY_SIZE(algs));
	if (close)
		return perr(ps, val->line,
			    "bad data-integrity-alg '%s' %s (did you mean '%s'? hadisk supports crc32c and none; without the key it is none)",
			    val->text, where, close);
	return perr(ps, val->line,
		    "unsupported data-integrity-alg '%s' %s: hadisk supports crc32c and none (write 'data-integrity-alg crc32c;' to check every replicated block, or leave the key out)",
		    val->text, where);
}

static int set_transport(struct parser *ps, struct hd_res_conf *rc,
			 const struct token *val, const char *where)
{
	static const char *const names[] = { "tcp", "rdma" };
	const char *close;
	int v = hd_transport_from_name(val->text);

	if (v >= 0) {
		rc->transport = (uint8_t)v;
		return 0;
	}
	close = hd_closest(val->text, names, ARRAY_SIZE(names));
	if (close)
		return perr(ps, val->line,
			    "bad transport '%s' %s (did you mean '%s'? hadisk supports tcp and rdma; without the key it is tcp)",
			    val->text, where, close);
	return perr(ps, val->line,
		    "unsupported transport '%s' %s: hadisk supports tcp (the default) and rdma (RDMA: RoCE, iWARP, InfiniBand; needs the hadisk_rdma module)",
		    val->text, where);
}

static int parse_net(struct parser *ps, struct hd_res_conf *rc, int line,
		     const struct section_state *res)
{
	/* the durations, in the order of net_keys; checksum-resync last */
	uint32_t *const dst[] = {
		&rc->ping_interval_ms, &rc->ping_timeout_ms,
		&rc->ack_timeout_ms, &rc->connect_interval_ms,
	};
	int set_on[ARRAY_SIZE(net_keys)] = { 0 };
	struct section_state s;
	struct token t, val;
	size_t i;
	int r;

	_Static_assert(ARRAY_SIZE(dst) + 1 == NET_SB_FIRST &&
		       NET_TRANSPORT + 1 == ARRAY_SIZE(net_keys),
		       "one destination per net duration, then checksum-resync, then the after-sb keys, then the three of authentication and integrity, then transport");
	if (rc->net_line)
		return perr(ps, line,
			    "duplicate 'net' section %s (the first is on line %d; merge them)",
			    res->where, rc->net_line);
	rc->net_line = line;
	name_section(&s, "net", NULL);
	if (expect_open(ps, "net", line))
		return -1;
	while (!(r = block_next(ps, &t, "net", line))) {
		for (i = 0; i < ARRAY_SIZE(net_keys); i++)
			if (!strcmp(t.text, net_keys[i]))
				break;
		if (i == ARRAY_SIZE(net_keys))
			return unknown_key(ps, &t, s.where, net_keys,
					   ARRAY_SIZE(net_keys));
		if (check_dup(ps, &t, s.where, set_on[i]))
			return -1;
		if (i == NET_SECRET) {
			if (read_secret(ps, rc, &t, s.where))
				return -1;
			set_on[i] = t.line;
			continue;
		}
		if (read_value(ps, &t, s.where, &val))
			return -1;
		if (i == NET_HMAC_ALG || i == NET_DIGEST || i == NET_TRANSPORT) {
			if (i == NET_HMAC_ALG ?
			    set_hmac_alg(ps, rc, &val, s.where) :
			    i == NET_DIGEST ?
			    set_digest(ps, rc, &val, s.where) :
			    set_transport(ps, rc, &val, s.where))
				return -1;
			set_on[i] = t.line;
			continue;
		}
		if (i >= NET_SB_FIRST ?
		    set_after_sb(ps, rc, &t, &val, s.where,
				 (unsigned int)(i - NET_SB_FIRST)) :
		    i < ARRAY_SIZE(dst) ?
		    set_duration(ps, &t, &val, s.where, dst[i]) :
		    set_yes_no(ps, &t, &val, s.where, &rc->csum_resync))
			return -1;
		set_on[i] = t.line;
	}
	rc->csum_resync_line = set_on[ARRAY_SIZE(dst)];
	for (i = 0; i < HD_SB_KEYS; i++)
		rc->after_sb_line[i] = set_on[NET_SB_FIRST + i];
	rc->shared_secret_line = set_on[NET_SECRET];
	rc->hmac_alg_line = set_on[NET_HMAC_ALG];
	rc->data_digest_line = set_on[NET_DIGEST];
	rc->transport_line = set_on[NET_TRANSPORT];
	if (r < 0)
		return -1;
	if (rc->hmac_alg_line && !rc->shared_secret_line)
		return perr(ps, rc->hmac_alg_line,
			    "'cram-hmac-alg %s;' %s does nothing without a shared-secret: it is the hash of the peers' authentication, which only a shared secret turns on (add 'shared-secret \"SECRET\";' to the 'net' section on both nodes, or remove cram-hmac-alg)",
			    rc->hmac_alg, s.where);
	return 0;
}

static int set_al_extents(struct parser *ps, struct hd_res_conf *rc,
			  const struct token *val, const char *where)
{
	if (hd_parse_u32(val->text, UINT32_MAX, &rc->al_extents))
		return perr(ps, val->line,
			    "bad al-extents '%s' %s (write a number of 4 MiB extents from %d to %d, e.g. 'al-extents %d;')",
			    val->text, where, HD_MD_AL_EXTENTS_MIN,
			    HD_MD_AL_EXTENTS_MAX, HD_MD_AL_EXTENTS_DEFAULT);
	if (rc->al_extents < HD_MD_AL_EXTENTS_MIN ||
	    rc->al_extents > HD_MD_AL_EXTENTS_MAX)
		return perr(ps, val->line,
			    "'al-extents %s' %s is out of range (write a number from %d to %d; without the key the kernel's default, %d, applies)",
			    val->text, where, HD_MD_AL_EXTENTS_MIN,
			    HD_MD_AL_EXTENTS_MAX, HD_MD_AL_EXTENTS_DEFAULT);
	return 0;
}

/* A rate in KiB/s as the file writes it: "512K", "50M", "2G". */
static const char *rate_str(uint32_t kib, char *buf, size_t size)
{
	if (!(kib % (1024 * 1024)))
		snprintf(buf, size, "%uG", kib / (1024 * 1024));
	else if (!(kib % 1024))
		snprintf(buf, size, "%uM", kib / 1024);
	else
		snprintf(buf, size, "%uK", kib);
	return buf;
}

static int set_rate(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where,
		    uint32_t dflt_kib, uint32_t *kib)
{
	char lo[16], hi[16], dflt[16];
	uint64_t v;

	rate_str(HD_CONF_RATE_MIN_KIB, lo, sizeof(lo));
	rate_str(HD_CONF_RATE_MAX_KIB, hi, sizeof(hi));
	rate_str(dflt_kib, dflt, sizeof(dflt));
	if (hd_parse_rate_kib(val->text, &v))
		return perr(ps, val->line,
			    "bad %s '%s' %s (write a rate per second from %s to %s with a suffix K, M or G, powers of 1024, e.g. '%s %s;'; a bare number is KiB)",
			    key->text, val->text, where, lo, hi, key->text,
			    example_of(key->text));
	if (v < HD_CONF_RATE_MIN_KIB || v > HD_CONF_RATE_MAX_KIB)
		return perr(ps, val->line,
			    "'%s %s' %s is out of range (write a rate from %s to %s per second, e.g. '%s %s;'; without the key the kernel's default, %s, applies)",
			    key->text, val->text, where, lo, hi, key->text,
			    example_of(key->text), dflt);
	*kib = (uint32_t)v;
	return 0;
}

/*
 * The resync's floor may not be above its ceiling. A rate the file leaves
 * out counts as the kernel's default, as it does in the kernel's check.
 */
static int check_rates(struct parser *ps, const struct hd_res_conf *rc,
		       const char *where)
{
	uint32_t min = rc->resync_rate_min_kib, max = rc->resync_rate_max_kib;
	char smin[16], smax[16];

	if (!min)
		min = HD_CONF_RATE_MIN_DEFAULT_KIB;
	if (!max)
		max = HD_CONF_RATE_MAX_DEFAULT_KIB;
	if (min <= max)
		return 0;
	rate_str(min, smin, sizeof(smin));
	rate_str(max, smax, sizeof(smax));
	if (rc->resync_rate_min_line && rc->resync_rate_max_line)
		return perr(ps, rc->resync_rate_min_line,
			    "'resync-rate-min %s' %s is above 'resync-rate-max %s' (line %d): the resync's floor cannot exceed its ceiling (lower resync-rate-min or raise resync-rate-max)",
			    smin, where, smax, rc->resync_rate_max_line);
	if (rc->resync_rate_min_line)
		return perr(ps, rc->resync_rate_min_line,
			    "'resync-rate-min %s' %s is above the kernel's default resync-rate-max, %s (add 'resync-rate-max %s;' or more, or lower resync-rate-min)",
			    smin, where, smax, smin);
	return perr(ps, rc->resync_rate_max_line,
		    "'resync-rate-max %s' %s is below the kernel's default resync-rate-min, %s (add 'resync-rate-min %s;' or less, or raise resync-rate-max)",
		    smax, where, smin, smax);
}

static int set_fencing(struct parser *ps, struct hd_res_conf *rc,
		       const struct token *val, const char *where)
{
	static const char *const names[] = {
		"none", "resource-only", "resource-and-stonith"
	};
	const char *close;
	int v = hd_fencing_from_name(val->text);

	if (v >= 0) {
		rc->fencing = (uint8_t)v;
		return 0;
	}
	if (!strcmp(val->text, "dont-care"))
		return perr(ps, val->line,
			    "bad fencing 'dont-care' %s: hadisk calls it 'none' (write 'fencing none;', or leave the key out)",
			    where);
	close = hd_closest(val->text, names, ARRAY_SIZE(names));
	if (close)
		return perr(ps, val->line,
			    "bad fencing '%s' %s (did you mean '%s'? write none, resource-only or resource-and-stonith)",
			    val->text, where, close);
	return perr(ps, val->line,
		    "bad fencing '%s' %s (write none, resource-only or resource-and-stonith; without the key it is none)",
		    val->text, where);
}

static int disk_key(struct parser *ps, struct hd_res_conf *rc,
		    const struct token *key, const char *where)
{
	struct token val;

	if (!strcmp(key->text, "al-extents")) {
		if (check_dup(ps, key, where, rc->al_extents_line) ||
		    read_value(ps, key, where, &val) ||
		    set_al_extents(ps, rc, &val, where))
			return -1;
		rc->al_extents_line = key->line;
	} else if (!strcmp(key->text, "resync-rate-min")) {
		if (check_dup(ps, key, where, rc->resync_rate_min_line) ||
		    read_value(ps, key, where, &val) ||
		    set_rate(ps, key, &val, where,
			     HD_CONF_RATE_MIN_DEFAULT_KIB,
			     &rc->resync_rate_min_kib))
			return -1;
		rc->resync_rate_min_line = key->line;
	} else if (!strcmp(key->text, "resync-rate-max")) {
		if (check_dup(ps, key, where, rc->resync_rate_max_line) ||
		    read_value(ps, key, where, &val) ||
		    set_rate(ps, key, &val, where,
			     HD_CONF_RATE_MAX_DEFAULT_KIB,
			     &rc->resync_rate_max_kib))
			return -1;
		rc->resync_rate_max_line = key->line;
	} else if (!strcmp(key->text, "fencing")) {
		if (check_dup(ps, key, where, rc->fencing_line) ||
		    read_value(ps, key, where, &val) ||
		    set_fencing(ps, rc, &val, where))
			return -1;
		rc->fencing_line = key->line;
	} else {
		return unknown_key(ps, key, where, disk_keys,
				   ARRAY_SIZE(disk_keys));
	}
	return 0;
}

static int parse_disk(struct parser *ps, struct hd_res_conf *rc, int line,
		      const struct section_state *res)
{
	struct section_state s;
	struct token t;
	int r;

	if (rc->disk_line)
		return perr(ps, line,
			    "duplicate 'disk' section %s (the first is on line %d; merge them)",
			    res->where, rc->disk_line);
	rc->disk_line = line;
	name_section(&s, "disk", NULL);
	if (expect_open(ps, "disk", line))
		return -1;
	while (!(r = block_next(ps, &t, "disk", line)))
		if (disk_key(ps, rc, &t, s.where))
			return -1;
	if (r < 0)
		return -1;
	return check_rates(ps, rc, s.where);
}

/* Handlers */

/* A hook's program: an absolute path, without arguments. */
static int set_hook(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where, char *dst)
{
	if (strpbrk(val->text, " \t"))
		return perr(ps, val->line,
			    "'%s \"%s\";' %s: a hook is the path of one program, without arguments (hadisk passes the hook's name as its argument and the rest in HADISK_* environment variables, see Documentation/hooks.md; write a small script that adds the arguments)",
			    key->text, val->text, where);
	if (val->text[0] != '/')
		return perr(ps, val->line,
			    "bad %s '%s' %s (write the absolute path of a program, e.g. '%s \"%s\";')",
			    key->text, val->text, where, key->text,
			    example_of(key->text));
	hd_strlcpy(dst, val->text, HADISK_PATH_MAX);
	return 0;
}

static int set_hook_timeout(struct parser *ps, struct hd_res_conf *rc,
			    const struct token *val, const char *where)
{
	if (hd_parse_duration_ms(val->text, &rc->hook_timeout_ms))
		return perr(ps, val->line,
			    "bad duration '%s' for 'hook-timeout' %s (write N, Nms or Ns, e.g. 30s; a bare number is seconds)",
			    val->text, where);
	if (rc->hook_timeout_ms < HD_CONF_HOOK_MS_MIN ||
	    rc->hook_timeout_ms > HD_CONF_HOOK_MS_MAX)
		return perr(ps, val->line,
			    "'hook-timeout %s' %s is out of range (write from %ds to %ds; without the key it is %ds)",
			    val->text, where, HD_CONF_HOOK_MS_MIN / 1000,
			    HD_CONF_HOOK_MS_MAX / 1000,
			    HD_CONF_HOOK_MS_DEFAULT / 1000);
	return 0;
}

static int handlers_key(struct parser *ps, struct hd_res_conf *rc,
			const struct token *key, const char *where)
{
	struct token val;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(handlers_keys); i++)
		if (!strcmp(key->text, handlers_keys[i]))
			break;
	if (i == ARRAY_SIZE(handlers_keys))
		return unknown_key(ps, key, where, handlers_keys,
				   ARRAY_SIZE(handlers_keys));
	if (i < HD_HOOK_NR) {
		if (check_dup(ps, key, where, rc->hook_line[i]) ||
		    read_value(ps, key, where, &val) ||
		    set_hook(ps, key, &val, where, rc->hooks[i]))
			return -1;
		rc->hook_line[i] = key->line;
	} else if (i == HD_HOOK_NR) {
		if (check_dup(ps, key, where, rc->hook_timeout_line) ||
		    read_value(ps, key, where, &val) ||
		    set_hook_timeout(ps, rc, &val, where))
			return -1;
		rc->hook_timeout_line = key->line;
	} else {
		if (check_dup(ps, key, where, rc->save_dir_line) ||
		    read_value(ps, key, where, &val))
			return -1;
		if (val.text[0] != '/' || strpbrk(val.text, " \t"))
			return perr(ps, val.line,
				    "bad discarded-dir '%s' %s (write the absolute path of a directory, e.g. 'discarded-dir %s;'; it is created when needed)",
				    val.text, where, HD_CONF_SAVE_DIR_DEFAULT);
		hd_strlcpy(rc->save_dir, val.text, sizeof(rc->save_dir));
		rc->save_dir_line = key->line;
	}
	return 0;
}

static int parse_handlers(struct parser *ps, struct hd_res_conf *rc,
			  int line, const struct section_state *res)
{
	struct section_state s;
	struct token t;
	int r;

	if (rc->handlers_line)
		return perr(ps, line,
			    "duplicate 'handlers' section %s (the first is on line %d; merge them)",
			    res->where, rc->handlers_line);
	rc->handlers_line = line;
	name_section(&s, "handlers", NULL);
	if (expect_open(ps, "handlers", line))
		return -1;
	while (!(r = block_next(ps, &t, "handlers", line)))
		if (handlers_key(ps, rc, &t, s.where))
			return -1;
	return r < 0 ? -1 : 0;
}

/*
 * The checks of the split-brain and fencing settings that need the whole
 * resource: the node of discard-node-NAME, and the hooks that fencing and
 * call-pri-lost-after-sb call.
 */
static int check_policies(struct parser *ps, struct hd_res_conf *rc)
{
	const char *names[2] = { rc->nodes[0].name, rc->nodes[1].name };
	const char *close;
	unsigned int k;
	int i;

	for (k = 0; k < HD_SB_KEYS; k++) {
		if (rc->after_sb[k] != HADISK_SB_DISCARD_NODE)
			continue;
		for (i = 0; i < 2; i++)
			if (!strcmp(rc->discard_node, names[i]))
				break;
		if (i < 2) {
			rc->discard_node_id = rc->nodes[i].node_id;
			continue;
		}
		close = hd_closest(rc->discard_node, names, 2);
		return perr(ps, rc->after_sb_line[k],
			    "'%s discard-node-%s;' in 'net': '%s' is not a node of resource '%s' (%s%s%swrite discard-node-%s or discard-node-%s)",
			    sb_key_names[k], rc->discard_node,
			    rc->discard_node, rc->name,
			    close ? "did you mean '" : "", close ? close : "",
			    close ? "'? " : "", names[0], names[1]);
	}
	if (rc->fencing != HADISK_FENCING_NONE &&
	    !rc->hook_line[HD_HOOK_FENCE_PEER])
		return perr(ps, rc->fencing_line,
			    "'fencing %s;' in 'disk' needs a fence-peer hook, the program that fences the peer (add 'handlers { fence-peer \"/path/to/program\"; }' to resource '%s', see Documentation/hooks.md; or write 'fencing none;')",
			    hd_fencing_name(rc->fencing), rc->name);
	for (k = 0; k < HD_SB_KEYS; k++)
		if (rc->after_sb[k] == HADISK_SB_CALL_PRI_LOST &&
		    !rc->hook_line[HD_HOOK_PRI_LOST_AFTER_SB])
			return perr(ps, rc->after_sb_line[k],
				    "'%s call-pri-lost-after-sb;' in 'net' needs a pri-lost-after-sb hook, run on a Primary whose data is discarded (add 'handlers { pri-lost-after-sb \"/path/to/program\"; }' to resource '%s', or choose another policy)",
				    sb_key_names[k], rc->name);
	return 0;
}

/*
 * "disk" in a resource: the disk section, or a backing device path that
 * was meant for an 'on' section.
 */
static int resource_disk(struct parser *ps, struct hd_res_conf *rc,
			 const struct token *key,
			 const struct section_state *s)
{
	const struct token *ahead;

	if (peek(ps, &ahead))
		return -1;
	if (ahead->type == T_WORD)
		return perr(ps, key->line,
			    "'disk %s;' %s: the path of a backing device belongs in an 'on NAME { }' section (at this level 'disk' opens the section 'disk { al-extents N; }')",
			    ahead->text, s->where);
	return parse_disk(ps, rc, key->line, s);
}

/* The checks that need both nodes. */
static int finish_resource(struct parser *ps, struct hd_res_conf *rc)
{
	struct hd_node_conf *a = &rc->nodes[0], *b = &rc->nodes[1];
	char addr[64];

	if (rc->nr_nodes != 2)
		return perr(ps, rc->line,
			    "resource '%s' has %d 'on' section%s; hadisk needs exactly two, one for each node (add 'on NAME { ... }')",
			    rc->name, rc->nr_nodes,
			    rc->nr_nodes == 1 ? "" : "s");
	if (!a->node_id_line)
		a->node_id = 0;
	if (!b->node_id_line)
		b->node_id = 1;
	if (a->node_id == b->node_id)
		return perr(ps, b->node_id_line ? b->node_id_line : b->line,
			    "node-id %u of 'on %s' is also the node-id of 'on %s' (line %d); every node needs its own node-id%s",
			    b->node_id, b->name, a->name,
			    a->node_id_line ? a->node_id_line : a->line,
			    a->node_id_line && b->node_id_line ? "" :
			    " (a node without 'node-id' gets its position in the file: 0 or 1)");
	if (a->addr.family != b->addr.family)
		return perr(ps, b->addr_line,
			    "'on %s' has an %s address but 'on %s' an %s one (both nodes must use the same address family)",
			    a->name, a->addr.family == AF_INET ? "IPv4" : "IPv6",
			    b->name, b->addr.family == AF_INET ? "IPv4" : "IPv6");
	if (a->addr.port == b->addr.port &&
	    !memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes))) {
		hd_format_addr(&a->addr, addr, sizeof(addr));
		return perr(ps, b->addr_line,
			    "'on %s' has the same address as 'on %s' (%s); each node needs its own address or port",
			    b->name, a->name, addr);
	}
	return check_policies(ps, rc);
}

static int resource_key(struct parser *ps, struct hd_res_conf *rc,
			const struct token *key,
			const struct section_state *s)
{
	struct token val;
	int prot;

	if (!strcmp(key->text, "on"))
		return parse_on(ps, rc, key->line);
	if (!strcmp(key->text, "net"))
		return parse_net(ps, rc, key->line, s);
	if (!strcmp(key->text, "disk"))
		return resource_disk(ps, rc, key, s);
	if (!strcmp(key->text, "handlers"))
		return parse_handlers(ps, rc, key->line, s);
	if (strcmp(key->text, "protocol"))
		return unknown_key(ps, key, s->where, res_keys,
				   ARRAY_SIZE(res_keys));
	if (check_dup(ps, key, s->where, rc->protocol_line) ||
	    read_value(ps, key, s->where, &val))
		return -1;
	prot = hd_protocol_from_name(val.text);
	if (prot < 0)
		return perr(ps, val.line,
			    "bad protocol '%s' %s (write A, B or C)",
			    val.text, s->where);
	rc->protocol = (uint8_t)prot;
	rc->protocol_line = key->line;
	return 0;
}

static int parse_resource(struct parser *ps, struct hd_res_conf *rc,
			  int line)
{
	struct section_state s;
	struct token t;
	char why[160];
	void *p;
	int i, r;

	if (next(ps, &t))
		return -1;
	if (t.type != T_WORD)
		return perr(ps, line,
			    "'resource' needs a name (write 'resource r0 { ... }')");
	if (hd_check_name(t.text, HADISK_RES_NAME_MAX - 1, why, sizeof(why)))
		return perr(ps, t.line, "bad resource name '%s': %s",
			    t.text, why);
	for (i = 0; i < ps->nr_res; i++)
		if (!strcmp(ps->res_names[i], t.text))
			return perr(ps, line,
				    "resource '%s' is defined twice in this file (keep one)",
				    t.text);
	p = realloc(ps->res_names,
		    (size_t)(ps->nr_res + 1) * sizeof(*ps->res_names));
	if (!p)
		return perr(ps, line, "out of memory");
	ps->res_names = p;
	hd_strlcpy(ps->res_names[ps->nr_res++], t.text, HADISK_RES_NAME_MAX);

	memset(rc, 0, sizeof(*rc));
	hd_strlcpy(rc->file, ps->file, sizeof(rc->file));
	hd_strlcpy(rc->name, t.text, sizeof(rc->name));
	rc->line = line;
	rc->protocol = HADISK_PROT_C;
	name_section(&s, "resource", rc->name);
	if (expect_open(ps, s.what, line))
		return -1;
	while (!(r = block_next(ps, &t, s.what, line)))
		if (resource_key(ps, rc, &t, &s))
			return -1;
	if (r < 0)
		return -1;
	return finish_resource(ps, rc);
}

static void list_resources(const struct parser *ps, struct hd_buf *b)
{
	int i;

	for (i = 0; i < ps->nr_res; i++)
		hd_buf_printf(b, "%s%s", i ? ", " : "", ps->res_names[i]);
}

static int parse_file(struct parser *ps, const char *want,
		      struct hd_res_conf *rc, struct hd_res_conf *tmp)
{
	struct hd_buf names = HD_BUF_INIT;
	bool found = false;
	struct token t;
	int ret = -1;

	for (;;) {
		if (next(ps, &t))
			return -1;
		if (t.type == T_EOF)
			break;
		if (t.type == T_SEMI)
			continue;
		if (t.type != T_WORD)
			return perr(ps, t.line,
				    "unexpected '%s' at the top level (a resource starts with 'resource NAME {')",
				    t.text);
		if (strcmp(t.text, "resource"))
			return unknown_key(ps, &t, "at the top level",
					   top_keys, ARRAY_SIZE(top_keys));
		if (parse_resource(ps, tmp, t.line))
			return -1;
		if (!found && (!want || !strcmp(want, tmp->name))) {
			*rc = *tmp;
			found = true;
		}
	}

	list_resources(ps, &names);
	if (!ps->nr_res)
		perr(ps, 0,
		     "no resource in this file (write 'resource NAME { ... }')");
	else if (!found)
		perr(ps, 0, "no resource '%s' in this file (it defines: %s)",
		     want, hd_buf_str(&names));
	else if (!want && ps->nr_res > 1)
		perr(ps, 0,
		     "the file defines %d resources (%s): name the one you mean",
		     ps->nr_res, hd_buf_str(&names));
	else
		ret = 0;
	hd_buf_free(&names);
	return ret;
}

int hd_conf_parse(const char *text, size_t len, const char *fname,
		  const char *want, struct hd_res_conf *rc,
		  char *err, size_t err_size)
{
	struct hd_res_conf *tmp = calloc(1, sizeof(*tmp));
	struct parser ps;
	int ret;

	if (!tmp) {
		if (err_size)
			snprintf(err, err_size, "%s: out of memory", fname);
		return -1;
	}
	memset(&ps, 0, sizeof(ps));
	ps.p = text;
	ps.end = text + len;
	ps.line = 1;
	ps.file = fname;
	ps.err = err;
	ps.err_size = err_size;
	if (err_size)
		err[0] = '\0';
	ret = parse_file(&ps, want, rc, tmp);
	free(ps.res_names);
	/* the secrets of the resources read, and of a failed parse */
	explicit_bzero(tmp, sizeof(*tmp));
	free(tmp);
	explicit_bzero(&ps.peek, sizeof(ps.peek));
	if (ret)
		hd_conf_wipe_secret(rc);
	return ret;
}
