// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration's 'net' section (config_parse.h): the link's
 * durations, checksum-resync, the split-brain policies after-sb-0pri,
 * -1pri and -2pri, and the peers' authentication (shared-secret,
 * cram-hmac-alg) and the data digest (data-integrity-alg).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "config_parse.h"
#include "names.h"

/* the net section's durations first, then its other keys */
const char *const conf_net_keys[CONF_NET_NR_KEYS] = {
	"ping-interval", "ping-timeout", "ack-timeout", "connect-interval",
	"checksum-resync", "after-sb-0pri", "after-sb-1pri", "after-sb-2pri",
	"shared-secret", "cram-hmac-alg", "data-integrity-alg", "transport"
};
/* where the split-brain policies start in conf_net_keys */
#define NET_SB_FIRST	5
/* and the authentication and integrity keys, in this order */
#define NET_SECRET	(NET_SB_FIRST + HD_SB_KEYS)
#define NET_HMAC_ALG	(NET_SECRET + 1)
#define NET_DIGEST	(NET_SECRET + 2)
#define NET_TRANSPORT	(NET_SECRET + 3)

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
		conf_perr(ps, val->line,
			  "bad policy '%s' for '%s' %s: %s (%s accepts %s)",
			  val->text, key->text, where, hint, key->text,
			  hd_buf_str(&valid));
	else if (close)
		conf_perr(ps, val->line,
			  "bad policy '%s' for '%s' %s (did you mean '%s'? %s accepts %s)",
			  val->text, key->text, where, close, key->text,
			  hd_buf_str(&valid));
	else if ((close = closest_policy(val->text)))
		conf_perr(ps, val->line,
			  "bad policy '%s' for '%s' %s (did you mean '%s'? that is a policy for %s; %s accepts %s)",
			  val->text, key->text, where, close,
			  sb_keys_str(close, &keys), key->text,
			  hd_buf_str(&valid));
	else
		conf_perr(ps, val->line,
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
		conf_perr(ps, val->line,
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
			return conf_perr(ps, val->line,
					 "'%s %s;' %s names another node than the other discard-node policy ('discard-node-%s'); use one node",
					 key->text, val->text, where,
					 rc->discard_node);
		if (hd_check_name(name, HD_NODE_NAME_MAX, why, sizeof(why)))
			return conf_perr(ps, val->line,
					 "bad node name '%s' in '%s %s;' %s: %s",
					 name, key->text, val->text, where, why);
		hd_strlcpy(rc->discard_node, name, sizeof(rc->discard_node));
	}
	rc->after_sb[k] = (uint8_t)v;
	return 0;
}

/* Authentication and integrity */

/*
 * "shared-secret VALUE;": read here rather than by conf_read_value(), whose
 * messages quote the value. No message of this function, nor of the lexer
 * while ps->secret is set, holds a byte of the secret.
 */
static int read_secret(struct parser *ps, struct hd_res_conf *rc,
		       const struct token *key, const char *where)
{
	struct token val, semi;
	int ret = -1;

	ps->secret = true;
	if (conf_next(ps, &val))
		goto out;
	if (val.type != T_WORD) {
		conf_perr(ps, key->line,
			  "key 'shared-secret' %s needs a value before %s (write 'shared-secret \"SECRET\";', 1 to %d bytes)",
			  where, val.type == T_EOF ? "the end of the file" :
			  val.type == T_SEMI ? "';'" :
			  val.type == T_LBRACE ? "'{'" : "'}'",
			  HD_CONF_SECRET_MAX);
		goto out;
	}
	if (conf_next(ps, &semi))
		goto out;
	if (semi.type != T_SEMI) {
		conf_perr(ps, val.line,
			  "missing ';' after the shared-secret %s (%s; every setting ends with ';')",
			  where, semi.type == T_WORD ?
			  "found a second word: a secret with blanks goes in double quotes, 'shared-secret \"SECRET\";'" :
			  semi.type == T_EOF ? "found the end of the file" :
			  semi.type == T_LBRACE ? "found '{'" : "found '}'");
		goto out;
	}
	if (!val.len) {
		conf_perr(ps, val.line,
			  "the shared-secret %s is empty (write 1 to %d bytes, e.g. 'shared-secret \"SECRET\";', the same on both nodes)",
			  where, HD_CONF_SECRET_MAX);
		goto out;
	}
	if (val.len > HD_CONF_SECRET_MAX) {
		conf_perr(ps, val.line,
			  "the shared-secret %s is %zu bytes long; hadisk takes 1 to %d bytes (write a shorter one, the same on both nodes)",
			  where, val.len, HD_CONF_SECRET_MAX);
		goto out;
	}
	if (memchr(val.text, '\0', val.len)) {
		conf_perr(ps, val.line,
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
				return conf_perr(ps, val->line,
						 "bad cram-hmac-alg '%s' %s: name the hash alone (write 'cram-hmac-alg %s;')",
						 v, where, algs[i]);
	close = hd_closest(v, algs, ARRAY_SIZE(algs));
	if (close)
		return conf_perr(ps, val->line,
				 "bad cram-hmac-alg '%s' %s (did you mean '%s'? hadisk supports sha256, sha1 and sha512; without the key it is sha256)",
				 v, where, close);
	return conf_perr(ps, val->line,
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
		return conf_perr(ps, val->line,
				 "bad data-integrity-alg '%s' %s (did you mean '%s'? hadisk supports crc32c and none; without the key it is none)",
				 val->text, where, close);
	return conf_perr(ps, val->line,
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
		return conf_perr(ps, val->line,
				 "bad transport '%s' %s (did you mean '%s'? hadisk supports tcp and rdma; without the key it is tcp)",
				 val->text, where, close);
	return conf_perr(ps, val->line,
			 "unsupported transport '%s' %s: hadisk supports tcp (the default) and rdma (RDMA: RoCE, iWARP, InfiniBand; needs the hadisk_rdma module)",
			 val->text, where);
}

int conf_parse_net(struct parser *ps, struct hd_res_conf *rc, int line,
		   const struct section_state *res)
{
	/* the durations, in the order of conf_net_keys; checksum-resync last */
	uint32_t *const dst[] = {
		&rc->ping_interval_ms, &rc->ping_timeout_ms,
		&rc->ack_timeout_ms, &rc->connect_interval_ms,
	};
	int set_on[ARRAY_SIZE(conf_net_keys)] = { 0 };
	struct section_state s;
	struct token t, val;
	size_t i;
	int r;

	_Static_assert(ARRAY_SIZE(dst) + 1 == NET_SB_FIRST &&
		       NET_TRANSPORT + 1 == ARRAY_SIZE(conf_net_keys),
		       "one destination per net duration, then checksum-resync, then the after-sb keys, then the three of authentication and integrity, then transport");
	if (rc->net_line)
		return conf_perr(ps, line,
				 "duplicate 'net' section %s (the first is on line %d; merge them)",
				 res->where, rc->net_line);
	rc->net_line = line;
	conf_name_section(&s, "net", NULL);
	if (conf_expect_open(ps, "net", line))
		return -1;
	while (!(r = conf_block_next(ps, &t, "net", line))) {
		for (i = 0; i < ARRAY_SIZE(conf_net_keys); i++)
			if (!strcmp(t.text, conf_net_keys[i]))
				break;
		if (i == ARRAY_SIZE(conf_net_keys))
			return conf_unknown_key(ps, &t, s.where, conf_net_keys,
						ARRAY_SIZE(conf_net_keys));
		if (conf_check_dup(ps, &t, s.where, set_on[i]))
			return -1;
		if (i == NET_SECRET) {
			if (read_secret(ps, rc, &t, s.where))
				return -1;
			set_on[i] = t.line;
			continue;
		}
		if (conf_read_value(ps, &t, s.where, &val))
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
		    conf_set_duration(ps, &t, &val, s.where, dst[i]) :
		    conf_set_yes_no(ps, &t, &val, s.where, &rc->csum_resync))
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
		return conf_perr(ps, rc->hmac_alg_line,
				 "'cram-hmac-alg %s;' %s does nothing without a shared-secret: it is the hash of the peers' authentication, which only a shared secret turns on (add 'shared-secret \"SECRET\";' to the 'net' section on both nodes, or remove cram-hmac-alg)",
				 rc->hmac_alg, s.where);
	return 0;
}

/*
 * The node of discard-node-NAME must be one of the resource's: its node-id
 * is what CONNECT sends.
 */
int conf_check_sb_node(struct parser *ps, struct hd_res_conf *rc)
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
		return conf_perr(ps, rc->after_sb_line[k],
				 "'%s discard-node-%s;' in 'net': '%s' is not a node of resource '%s' (%s%s%swrite discard-node-%s or discard-node-%s)",
				 sb_key_names[k], rc->discard_node,
				 rc->discard_node, rc->name,
				 close ? "did you mean '" : "", close ? close : "",
				 close ? "'? " : "", names[0], names[1]);
	}
	return 0;
}

/* call-pri-lost-after-sb calls the pri-lost-after-sb hook: it must be set. */
int conf_check_pri_lost(struct parser *ps, const struct hd_res_conf *rc)
{
	unsigned int k;

	for (k = 0; k < HD_SB_KEYS; k++)
		if (rc->after_sb[k] == HADISK_SB_CALL_PRI_LOST &&
		    !rc->hook_line[HD_HOOK_PRI_LOST_AFTER_SB])
			return conf_perr(ps, rc->after_sb_line[k],
					 "'%s call-pri-lost-after-sb;' in 'net' needs a pri-lost-after-sb hook, run on a Primary whose data is discarded (add 'handlers { pri-lost-after-sb \"/path/to/program\"; }' to resource '%s', or choose another policy)",
					 sb_key_names[k], rc->name);
	return 0;
}
