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
 *
 * This file holds the lexer, the helpers every section uses, and the
 * resource, 'on' and 'disk' sections; config_net.c reads the 'net'
 * section, config_handlers.c the 'handlers' section and fencing
 * (config_parse.h).
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
#include "config_parse.h"
#include "names.h"

/* The keys of each kind of section, for checks and "did you mean". */
static const char *const top_keys[] = { "resource" };
static const char *const res_keys[] = {
	"protocol", "net", "disk", "handlers", "on"
};
static const char *const disk_keys[] = {
	"al-extents", "resync-rate-min", "resync-rate-max", "fencing",
	"on-io-error"
};
static const char *const on_keys[] = {
	"node-id", "address", "disk", "minor", "meta-disk"
};

/* An example value of each key, for the hints of messages. */
const char *conf_example_of(const char *key)
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
		{ "on-io-error", "detach" },
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
int conf_perr(struct parser *ps, int line, const char *fmt, ...)
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
			return conf_perr(ps, t->line,
					 "unterminated string: a '\"' is missing at the end of the line");
		c = *ps->p++;
		if (c == '"')
			break;
		if (c == '\\' && ps->p < ps->end && *ps->p != '\n')
			c = *ps->p++;
		if (n + 1 >= sizeof(t->text) && ps->secret)
			return conf_perr(ps, t->line,
					 "the shared-secret is longer than %d bytes (write 1 to %d bytes)",
					 HD_CONF_SECRET_MAX, HD_CONF_SECRET_MAX);
		if (n + 1 >= sizeof(t->text))
			return conf_perr(ps, t->line,
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
			return conf_perr(ps, t->line,
					 "the shared-secret holds a control byte: write it in double quotes (shared-secret \"SECRET\";)");
		if (!is_word_char(*ps->p))
			return conf_perr(ps, t->line,
					 "unexpected byte 0x%02x (a configuration file is plain text)",
					 (unsigned char)*ps->p);
		start = ps->p;
		while (ps->p < ps->end && is_word_char(*ps->p))
			ps->p++;
		n = (size_t)(ps->p - start);
		if (n >= sizeof(t->text) && ps->secret)
			return conf_perr(ps, t->line,
					 "the shared-secret is longer than %d bytes (write 1 to %d bytes)",
					 HD_CONF_SECRET_MAX, HD_CONF_SECRET_MAX);
		if (n >= sizeof(t->text))
			return conf_perr(ps, t->line,
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

int conf_next(struct parser *ps, struct token *t)
{
	if (ps->have_peek) {
		*t = ps->peek;
		ps->have_peek = false;
		return 0;
	}
	return lex(ps, t);
}

/* The next token, left to be read again by conf_next(). */
int conf_peek(struct parser *ps, const struct token **t)
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
const char *conf_tok_desc(const struct token *t, char *buf, size_t size)
{
	if (t->type == T_EOF)
		return "the end of the file";
	snprintf(buf, size, "'%s'", t->text);
	return buf;
}

/* Keys */

bool conf_in_list(const char *key, const char *const *list, size_t n)
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
	if (conf_in_list(key, on_keys, ARRAY_SIZE(on_keys)))
		return "an 'on NAME { }' section";
	if (conf_in_list(key, conf_net_keys, ARRAY_SIZE(conf_net_keys)))
		return "the 'net { }' section";
	if (conf_in_list(key, disk_keys, ARRAY_SIZE(disk_keys)))
		return "the 'disk { }' section";
	if (conf_in_list(key, conf_handlers_keys, ARRAY_SIZE(conf_handlers_keys)))
		return "the 'handlers { }' section";
	if (conf_in_list(key, res_keys, ARRAY_SIZE(res_keys)))
		return "a 'resource NAME { }' section";
	if (conf_in_list(key, top_keys, ARRAY_SIZE(top_keys)))
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
		"after-sb-1pri", "after-sb-2pri", "fencing", "on-io-error",
		"fence-peer",
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
int conf_unknown_key(struct parser *ps, const struct token *t,
		     const char *where, const char *const *keys, size_t n)
{
	const char *hint = hd_closest(t->text, keys, n);
	const char *elsewhere = closest_anywhere(t->text);
	const char *drbd = drbd_hint(t->text);
	struct hd_buf valid = HD_BUF_INIT;
	size_t i;

	if (drbd)
		conf_perr(ps, t->line, "unknown key '%s' %s (%s)", t->text, where,
			  drbd);
	else if (hint)
		conf_perr(ps, t->line, "unknown key '%s' %s (did you mean '%s'?)",
			  t->text, where, hint);
	else if (home_of(t->text))
		conf_perr(ps, t->line, "unknown key '%s' %s ('%s' belongs in %s)",
			  t->text, where, t->text, home_of(t->text));
	else if (elsewhere)
		conf_perr(ps, t->line,
			  "unknown key '%s' %s (did you mean '%s'? it belongs in %s)",
			  t->text, where, elsewhere, home_of(elsewhere));
	else {
		for (i = 0; i < n; i++)
			hd_buf_printf(&valid, "%s%s", i ? ", " : "", keys[i]);
		conf_perr(ps, t->line, "unknown key '%s' %s (valid here: %s)",
			  t->text, where, hd_buf_str(&valid));
		hd_buf_free(&valid);
	}
	return -1;
}

/*
 * Reads the value of "key VALUE;" into val. where is "in 'on alpha'" and
 * the like.
 */
int conf_read_value(struct parser *ps, const struct token *key,
		    const char *where, struct token *val)
{
	struct token semi;
	char desc[HADISK_PATH_MAX + 8];

	if (conf_next(ps, val))
		return -1;
	if (val->type != T_WORD)
		return conf_perr(ps, key->line,
				 "key '%s' %s needs a value before %s (write '%s %s;')",
				 key->text, where, conf_tok_desc(val, desc, sizeof(desc)),
				 key->text, conf_example_of(key->text));
	if (conf_next(ps, &semi))
		return -1;
	if (semi.type == T_SEMI)
		return 0;
	if (!strcmp(key->text, "address") &&
	    (!strcmp(val->text, "ipv4") || !strcmp(val->text, "ipv6")))
		return conf_perr(ps, val->line,
				 "'address %s %s': hadisk takes no address family prefix (write 'address %s;')",
				 val->text, semi.type == T_WORD ? semi.text : "...",
				 semi.type == T_WORD ? semi.text : "IP:PORT");
	return conf_perr(ps, val->line,
			 "missing ';' after '%s %s' %s (found %s; every setting ends with ';')",
			 key->text, val->text, where,
			 conf_tok_desc(&semi, desc, sizeof(desc)));
}

int conf_check_dup(struct parser *ps, const struct token *key,
		   const char *where, int first_line)
{
	if (!first_line)
		return 0;
	return conf_perr(ps, key->line,
			 "duplicate key '%s' %s (already set on line %d; keep one)",
			 key->text, where, first_line);
}

/* Opens a block: the next token must be '{'. */
int conf_expect_open(struct parser *ps, const char *what, int line)
{
	struct token t;
	char desc[HADISK_PATH_MAX + 8];

	if (conf_next(ps, &t))
		return -1;
	if (t.type == T_LBRACE)
		return 0;
	return conf_perr(ps, t.type == T_EOF ? line : t.line,
			 "expected '{' after '%s', found %s", what,
			 conf_tok_desc(&t, desc, sizeof(desc)));
}

static int unterminated(struct parser *ps, const char *what, int line)
{
	return conf_perr(ps, line,
			 "unterminated block '%s': the file ends before its closing '}' (add '}' to close it)",
			 what);
}

/*
 * Reads the token after a block's last statement: returns 1 for '}', 0 for
 * a key (in t), -1 on error. Empty statements (';') are skipped.
 */
int conf_block_next(struct parser *ps, struct token *t, const char *what,
		    int open_line)
{
	for (;;) {
		if (conf_next(ps, t))
			return -1;
		switch (t->type) {
		case T_RBRACE:
			return 1;
		case T_SEMI:
			continue;
		case T_EOF:
			return unterminated(ps, what, open_line);
		case T_LBRACE:
			return conf_perr(ps, t->line,
					 "unexpected '{' in '%s' (a section opens with 'NAME {')",
					 what);
		case T_WORD:
			return 0;
		}
	}
}

/* Values */

int conf_set_duration(struct parser *ps, const struct token *key,
		      const struct token *val, const char *where,
		      uint32_t *ms)
{
	if (hd_parse_duration_ms(val->text, ms))
		return conf_perr(ps, val->line,
				 "bad duration '%s' for '%s' %s (write N, Nms or Ns, e.g. 500ms or 2s; a bare number is seconds)",
				 val->text, key->text, where);
	if (*ms < HD_CONF_MS_MIN || *ms > HD_CONF_MS_MAX)
		return conf_perr(ps, val->line,
				 "'%s %s' %s is out of range (write from %dms to %ds)",
				 key->text, val->text, where, HD_CONF_MS_MIN,
				 HD_CONF_MS_MAX / 1000);
	return 0;
}

/* "yes" or "no". */
int conf_set_yes_no(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where, bool *v)
{
	if (!strcmp(val->text, "yes"))
		*v = true;
	else if (!strcmp(val->text, "no"))
		*v = false;
	else
		return conf_perr(ps, val->line,
				 "bad value '%s' for '%s' %s (write '%s yes;' or '%s no;'; without the key it is no)",
				 val->text, key->text, where, key->text, key->text);
	return 0;
}

static int set_path(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where, char *dst)
{
	if (val->text[0] != '/')
		return conf_perr(ps, val->line,
				 "bad %s '%s' %s (write the absolute path of a block device, e.g. '%s /dev/sdb;')",
				 key->text, val->text, where, key->text);
	/* the lexer caps words below HADISK_PATH_MAX */
	hd_strlcpy(dst, val->text, HADISK_PATH_MAX);
	return 0;
}

/* Sections */

void conf_name_section(struct section_state *s, const char *kind,
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

	if (!conf_in_list(key->text, on_keys, ARRAY_SIZE(on_keys)))
		return conf_unknown_key(ps, key, s->where, on_keys,
					ARRAY_SIZE(on_keys));
	if (!strcmp(key->text, "disk")) {
		if (conf_peek(ps, &ahead))
			return -1;
		if (ahead->type == T_LBRACE)
			return conf_perr(ps, key->line,
					 "'disk { ... }' %s: the disk section belongs in the 'resource NAME { }' section, next to 'net'; in an 'on' section 'disk' is the backing device (write 'disk /dev/sdb;')",
					 s->where);
	}
	if (conf_read_value(ps, key, s->where, &val))
		return -1;
	if (!strcmp(key->text, "node-id")) {
		if (conf_check_dup(ps, key, s->where, node->node_id_line))
			return -1;
		if (hd_parse_u32(val.text, HADISK_NODE_ID_MAX, &node->node_id))
			return conf_perr(ps, val.line,
					 "bad node-id '%s' %s (write a number from 0 to %d)",
					 val.text, s->where, HADISK_NODE_ID_MAX);
		node->node_id_line = key->line;
	} else if (!strcmp(key->text, "address")) {
		if (conf_check_dup(ps, key, s->where, node->addr_line))
			return -1;
		if (hd_parse_addr(val.text, &node->addr, &why))
			return conf_perr(ps, val.line,
					 "bad address '%s' %s: %s; e.g. 'address 10.0.0.1:7789;' or 'address [fd00::1]:7789;'",
					 val.text, s->where, why);
		node->addr_line = key->line;
	} else if (!strcmp(key->text, "disk")) {
		if (conf_check_dup(ps, key, s->where, node->disk_line) ||
		    set_path(ps, key, &val, s->where, node->disk))
			return -1;
		node->disk_line = key->line;
	} else if (!strcmp(key->text, "minor")) {
		if (conf_check_dup(ps, key, s->where, node->minor_line))
			return -1;
		if (hd_parse_u32(val.text, HADISK_MINOR_MAX, &node->minor))
			return conf_perr(ps, val.line,
					 "bad minor '%s' %s (write a number from 0 to %d: minor N is /dev/hadiskN)",
					 val.text, s->where, HADISK_MINOR_MAX);
		node->minor_line = key->line;
	} else {	/* meta-disk */
		if (conf_check_dup(ps, key, s->where, node->meta_line))
			return -1;
		if (!strcmp(val.text, "internal")) {
			node->meta = HD_META_INTERNAL;
		} else if (!strcmp(val.text, "none")) {
			node->meta = HD_META_NONE;
		} else if (val.text[0] == '/') {
			node->meta = HD_META_DEVICE;
			set_path(ps, key, &val, s->where, node->meta_dev);
		} else {
			return conf_perr(ps, val.line,
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
			return conf_perr(ps, node->line,
					 "missing required key '%s' %s (add '%s %s;' to it)",
					 req[i], s->where, req[i],
					 conf_example_of(req[i]));
	if (node->meta == HD_META_DEVICE && !strcmp(node->meta_dev, node->disk))
		return conf_perr(ps, node->meta_line,
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

	if (conf_next(ps, &t))
		return -1;
	if (t.type != T_WORD)
		return conf_perr(ps, line,
				 "'on' needs a node name (write 'on alpha { ... }')");
	if (hd_check_name(t.text, HD_NODE_NAME_MAX, why, sizeof(why)))
		return conf_perr(ps, t.line, "bad node name '%s': %s", t.text, why);
	for (i = 0; i < rc->nr_nodes; i++)
		if (!strcmp(rc->nodes[i].name, t.text))
			return conf_perr(ps, line,
					 "duplicate node name '%s' in resource '%s' (there is an 'on %s' on line %d already; the two nodes need different names)",
					 t.text, rc->name, t.text,
					 rc->nodes[i].line);
	if (rc->nr_nodes == 2)
		return conf_perr(ps, line,
				 "a third 'on' section ('on %s') in resource '%s' (hadisk replicates between exactly two nodes)",
				 t.text, rc->name);
	node = &rc->nodes[rc->nr_nodes++];
	hd_strlcpy(node->name, t.text, sizeof(node->name));
	node->line = line;
	conf_name_section(&s, "on", node->name);
	if (conf_expect_open(ps, s.what, line))
		return -1;
	while (!(r = conf_block_next(ps, &t, s.what, line)))
		if (on_key(ps, node, &t, &s))
			return -1;
	if (r < 0)
		return -1;
	return check_required(ps, node, &s);
}

static int set_al_extents(struct parser *ps, struct hd_res_conf *rc,
			  const struct token *val, const char *where)
{
	if (hd_parse_u32(val->text, UINT32_MAX, &rc->al_extents))
		return conf_perr(ps, val->line,
				 "bad al-extents '%s' %s (write a number of 4 MiB extents from %d to %d, e.g. 'al-extents %d;')",
				 val->text, where, HD_MD_AL_EXTENTS_MIN,
				 HD_MD_AL_EXTENTS_MAX, HD_MD_AL_EXTENTS_DEFAULT);
	if (rc->al_extents < HD_MD_AL_EXTENTS_MIN ||
	    rc->al_extents > HD_MD_AL_EXTENTS_MAX)
		return conf_perr(ps, val->line,
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
		return conf_perr(ps, val->line,
				 "bad %s '%s' %s (write a rate per second from %s to %s with a suffix K, M or G, powers of 1024, e.g. '%s %s;'; a bare number is KiB)",
				 key->text, val->text, where, lo, hi, key->text,
				 conf_example_of(key->text));
	if (v < HD_CONF_RATE_MIN_KIB || v > HD_CONF_RATE_MAX_KIB)
		return conf_perr(ps, val->line,
				 "'%s %s' %s is out of range (write a rate from %s to %s per second, e.g. '%s %s;'; without the key the kernel's default, %s, applies)",
				 key->text, val->text, where, lo, hi, key->text,
				 conf_example_of(key->text), dflt);
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
		return conf_perr(ps, rc->resync_rate_min_line,
				 "'resync-rate-min %s' %s is above 'resync-rate-max %s' (line %d): the resync's floor cannot exceed its ceiling (lower resync-rate-min or raise resync-rate-max)",
				 smin, where, smax, rc->resync_rate_max_line);
	if (rc->resync_rate_min_line)
		return conf_perr(ps, rc->resync_rate_min_line,
				 "'resync-rate-min %s' %s is above the kernel's default resync-rate-max, %s (add 'resync-rate-max %s;' or more, or lower resync-rate-min)",
				 smin, where, smax, smin);
	return conf_perr(ps, rc->resync_rate_max_line,
			 "'resync-rate-max %s' %s is below the kernel's default resync-rate-min, %s (add 'resync-rate-min %s;' or less, or raise resync-rate-max)",
			 smax, where, smin, smax);
}

static int disk_key(struct parser *ps, struct hd_res_conf *rc,
		    const struct token *key, const char *where)
{
	struct token val;

	if (!strcmp(key->text, "al-extents")) {
		if (conf_check_dup(ps, key, where, rc->al_extents_line) ||
		    conf_read_value(ps, key, where, &val) ||
		    set_al_extents(ps, rc, &val, where))
			return -1;
		rc->al_extents_line = key->line;
	} else if (!strcmp(key->text, "resync-rate-min")) {
		if (conf_check_dup(ps, key, where, rc->resync_rate_min_line) ||
		    conf_read_value(ps, key, where, &val) ||
		    set_rate(ps, key, &val, where,
			     HD_CONF_RATE_MIN_DEFAULT_KIB,
			     &rc->resync_rate_min_kib))
			return -1;
		rc->resync_rate_min_line = key->line;
	} else if (!strcmp(key->text, "resync-rate-max")) {
		if (conf_check_dup(ps, key, where, rc->resync_rate_max_line) ||
		    conf_read_value(ps, key, where, &val) ||
		    set_rate(ps, key, &val, where,
			     HD_CONF_RATE_MAX_DEFAULT_KIB,
			     &rc->resync_rate_max_kib))
			return -1;
		rc->resync_rate_max_line = key->line;
	} else if (!strcmp(key->text, "fencing")) {
		if (conf_check_dup(ps, key, where, rc->fencing_line) ||
		    conf_read_value(ps, key, where, &val) ||
		    conf_set_fencing(ps, rc, &val, where))
			return -1;
		rc->fencing_line = key->line;
	} else if (!strcmp(key->text, "on-io-error")) {
		if (conf_check_dup(ps, key, where, rc->on_io_error_line) ||
		    conf_read_value(ps, key, where, &val) ||
		    conf_set_on_io_error(ps, rc, &val, where))
			return -1;
		rc->on_io_error_line = key->line;
	} else {
		return conf_unknown_key(ps, key, where, disk_keys,
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
		return conf_perr(ps, line,
				 "duplicate 'disk' section %s (the first is on line %d; merge them)",
				 res->where, rc->disk_line);
	rc->disk_line = line;
	conf_name_section(&s, "disk", NULL);
	if (conf_expect_open(ps, "disk", line))
		return -1;
	while (!(r = conf_block_next(ps, &t, "disk", line)))
		if (disk_key(ps, rc, &t, s.where))
			return -1;
	if (r < 0)
		return -1;
	return check_rates(ps, rc, s.where);
}

/*
 * The checks of the split-brain, fencing and on-io-error settings that
 * need the whole resource: the node of discard-node-NAME, and the hooks
 * that fencing, call-pri-lost-after-sb and call-local-io-error call.
 */
static int check_policies(struct parser *ps, struct hd_res_conf *rc)
{
	if (conf_check_sb_node(ps, rc) || conf_check_fencing(ps, rc) ||
	    conf_check_pri_lost(ps, rc) || conf_check_on_io_error(ps, rc))
		return -1;
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

	if (conf_peek(ps, &ahead))
		return -1;
	if (ahead->type == T_WORD)
		return conf_perr(ps, key->line,
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
		return conf_perr(ps, rc->line,
				 "resource '%s' has %d 'on' section%s; hadisk needs exactly two, one for each node (add 'on NAME { ... }')",
				 rc->name, rc->nr_nodes,
				 rc->nr_nodes == 1 ? "" : "s");
	if (!a->node_id_line)
		a->node_id = 0;
	if (!b->node_id_line)
		b->node_id = 1;
	if (a->node_id == b->node_id)
		return conf_perr(ps, b->node_id_line ? b->node_id_line : b->line,
				 "node-id %u of 'on %s' is also the node-id of 'on %s' (line %d); every node needs its own node-id%s",
				 b->node_id, b->name, a->name,
				 a->node_id_line ? a->node_id_line : a->line,
				 a->node_id_line && b->node_id_line ? "" :
				 " (a node without 'node-id' gets its position in the file: 0 or 1)");
	if (a->addr.family != b->addr.family)
		return conf_perr(ps, b->addr_line,
				 "'on %s' has an %s address but 'on %s' an %s one (both nodes must use the same address family)",
				 a->name, a->addr.family == AF_INET ? "IPv4" : "IPv6",
				 b->name, b->addr.family == AF_INET ? "IPv4" : "IPv6");
	if (a->addr.port == b->addr.port &&
	    !memcmp(a->addr.bytes, b->addr.bytes, sizeof(a->addr.bytes))) {
		hd_format_addr(&a->addr, addr, sizeof(addr));
		return conf_perr(ps, b->addr_line,
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
		return conf_parse_net(ps, rc, key->line, s);
	if (!strcmp(key->text, "disk"))
		return resource_disk(ps, rc, key, s);
	if (!strcmp(key->text, "handlers"))
		return conf_parse_handlers(ps, rc, key->line, s);
	if (strcmp(key->text, "protocol"))
		return conf_unknown_key(ps, key, s->where, res_keys,
					ARRAY_SIZE(res_keys));
	if (conf_check_dup(ps, key, s->where, rc->protocol_line) ||
	    conf_read_value(ps, key, s->where, &val))
		return -1;
	prot = hd_protocol_from_name(val.text);
	if (prot < 0)
		return conf_perr(ps, val.line,
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

	if (conf_next(ps, &t))
		return -1;
	if (t.type != T_WORD)
		return conf_perr(ps, line,
				 "'resource' needs a name (write 'resource r0 { ... }')");
	if (hd_check_name(t.text, HADISK_RES_NAME_MAX - 1, why, sizeof(why)))
		return conf_perr(ps, t.line, "bad resource name '%s': %s",
				 t.text, why);
	for (i = 0; i < ps->nr_res; i++)
		if (!strcmp(ps->res_names[i], t.text))
			return conf_perr(ps, line,
					 "resource '%s' is defined twice in this file (keep one)",
					 t.text);
	p = realloc(ps->res_names,
		    (size_t)(ps->nr_res + 1) * sizeof(*ps->res_names));
	if (!p)
		return conf_perr(ps, line, "out of memory");
	ps->res_names = p;
	hd_strlcpy(ps->res_names[ps->nr_res++], t.text, HADISK_RES_NAME_MAX);

	memset(rc, 0, sizeof(*rc));
	hd_strlcpy(rc->file, ps->file, sizeof(rc->file));
	hd_strlcpy(rc->name, t.text, sizeof(rc->name));
	rc->line = line;
	rc->protocol = HADISK_PROT_C;
	conf_name_section(&s, "resource", rc->name);
	if (conf_expect_open(ps, s.what, line))
		return -1;
	while (!(r = conf_block_next(ps, &t, s.what, line)))
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
		if (conf_next(ps, &t))
			return -1;
		if (t.type == T_EOF)
			break;
		if (t.type == T_SEMI)
			continue;
		if (t.type != T_WORD)
			return conf_perr(ps, t.line,
					 "unexpected '%s' at the top level (a resource starts with 'resource NAME {')",
					 t.text);
		if (strcmp(t.text, "resource"))
			return conf_unknown_key(ps, &t, "at the top level",
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
		conf_perr(ps, 0,
			  "no resource in this file (write 'resource NAME { ... }')");
	else if (!found)
		conf_perr(ps, 0, "no resource '%s' in this file (it defines: %s)",
			  want, hd_buf_str(&names));
	else if (!want && ps->nr_res > 1)
		conf_perr(ps, 0,
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
