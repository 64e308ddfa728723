/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The configuration parser's insides, shared by its files and by nothing
 * else (config.h is the public interface):
 *
 *   config.c           the lexer, the helpers below, the resource, 'on'
 *                      and 'disk' sections, the checks of a whole
 *                      resource, hd_conf_parse()
 *   config_net.c       the 'net' section: durations, checksum-resync,
 *                      the split-brain policies, shared-secret,
 *                      cram-hmac-alg, data-integrity-alg
 *   config_handlers.c  the 'handlers' section (the hooks, hook-timeout,
 *                      discarded-dir) and the disk section's keys that
 *                      call hooks: fencing and on-io-error
 *
 * Every function that fails returns -1 with the message ("FILE:LINE: ...",
 * what is wrong and how to fix it) in ps->err, as conf_perr() writes it.
 */
#ifndef HADISK_CONFIG_PARSE_H
#define HADISK_CONFIG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

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

/* How a section is named in messages. */
struct section_state {
	char what[HD_NODE_NAME_MAX + 16];	/* "on alpha" */
	char where[HD_NODE_NAME_MAX + 24];	/* "in 'on alpha'" */
};

/* The keys of the net and handlers sections (for "belongs in" hints). */
#define CONF_NET_NR_KEYS	12
#define CONF_HANDLERS_NR_KEYS	(HD_HOOK_NR + 2)
extern const char *const conf_net_keys[CONF_NET_NR_KEYS];
extern const char *const conf_handlers_keys[CONF_HANDLERS_NR_KEYS];

/* config.c: messages */

/* Writes "FILE:LINE: " (or "FILE: " for line 0) and the message; -1. */
__attribute__((format(printf, 3, 4)))
int conf_perr(struct parser *ps, int line, const char *fmt, ...);

/* An example value of key, for the hints of messages. */
const char *conf_example_of(const char *key);

/* How a token is named in a message: "'word'", "the end of the file". */
const char *conf_tok_desc(const struct token *t, char *buf, size_t size);

/* Sets s->what ("kind name", or "kind") and s->where ("in '...'"). */
void conf_name_section(struct section_state *s, const char *kind,
		       const char *name);

/* config.c: tokens */

/* The next token; 0 or -1. */
int conf_next(struct parser *ps, struct token *t);

/* The next token, left to be read again by conf_next(). */
int conf_peek(struct parser *ps, const struct token **t);

/* config.c: keys and values */

bool conf_in_list(const char *key, const char *const *list, size_t n);

/* An unknown key in a section whose keys are keys[0..n): always -1. */
int conf_unknown_key(struct parser *ps, const struct token *t,
		     const char *where, const char *const *keys, size_t n);

/*
 * Reads the value of "key VALUE;" into val. where is "in 'on alpha'" and
 * the like.
 */
int conf_read_value(struct parser *ps, const struct token *key,
		    const char *where, struct token *val);

/* -1 with a message when the key was set before, on first_line (not 0). */
int conf_check_dup(struct parser *ps, const struct token *key,
		   const char *where, int first_line);

/* Opens a block: the next token must be '{'. */
int conf_expect_open(struct parser *ps, const char *what, int line);

/*
 * Reads the token after a block's last statement: returns 1 for '}', 0 for
 * a key (in t), -1 on error. Empty statements (';') are skipped.
 */
int conf_block_next(struct parser *ps, struct token *t, const char *what,
		    int open_line);

/* A duration "N", "Nms" or "Ns" of HD_CONF_MS_MIN..HD_CONF_MS_MAX. */
int conf_set_duration(struct parser *ps, const struct token *key,
		      const struct token *val, const char *where,
		      uint32_t *ms);

/* "yes" or "no". */
int conf_set_yes_no(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where, bool *v);

/* config_net.c */

/* The 'net' section, its key on line line, in the resource res. */
int conf_parse_net(struct parser *ps, struct hd_res_conf *rc, int line,
		   const struct section_state *res);

/*
 * The checks of the net section that need the whole resource: the node
 * of discard-node-NAME (sets rc->discard_node_id), and the hook of
 * call-pri-lost-after-sb.
 */
int conf_check_sb_node(struct parser *ps, struct hd_res_conf *rc);
int conf_check_pri_lost(struct parser *ps, const struct hd_res_conf *rc);

/* config_handlers.c */

/* The 'handlers' section, its key on line line, in the resource res. */
int conf_parse_handlers(struct parser *ps, struct hd_res_conf *rc,
			int line, const struct section_state *res);

/* The disk section's fencing value. */
int conf_set_fencing(struct parser *ps, struct hd_res_conf *rc,
		     const struct token *val, const char *where);

/* A fencing policy other than none needs a fence-peer hook. */
int conf_check_fencing(struct parser *ps, const struct hd_res_conf *rc);

/* The disk section's on-io-error value. */
int conf_set_on_io_error(struct parser *ps, struct hd_res_conf *rc,
			 const struct token *val, const char *where);

/* on-io-error call-local-io-error needs a local-io-error hook. */
int conf_check_on_io_error(struct parser *ps, const struct hd_res_conf *rc);

#endif /* HADISK_CONFIG_PARSE_H */
