// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration's 'handlers' section (config_parse.h): the hooks'
 * programs, hook-timeout and discarded-dir; and the disk section's keys
 * that call hooks: fencing (fence-peer) and on-io-error
 * (local-io-error).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_parse.h"
#include "names.h"

/* the hooks, in the order of enum hd_hook, then the other keys */
const char *const conf_handlers_keys[CONF_HANDLERS_NR_KEYS] = {
	"fence-peer", "unfence-peer", "split-brain", "pri-lost-after-sb",
	"before-resync-target", "after-resync-target", "local-io-error",
	"hook-timeout", "discarded-dir"
};

_Static_assert(ARRAY_SIZE(conf_handlers_keys) == HD_HOOK_NR + 2,
	       "config_handlers.c: one handlers key per hook, then two more");
_Static_assert(HADISK_A_HOOK_LOCAL_IO_ERROR - HADISK_A_HOOK_FENCE_PEER ==
	       HD_HOOK_NR - 1, "config.h: enum hd_hook follows HADISK_A_HOOK_*");

const char *hd_hook_key(enum hd_hook h)
{
	return (unsigned int)h < HD_HOOK_NR ? conf_handlers_keys[h] : NULL;
}

int conf_set_fencing(struct parser *ps, struct hd_res_conf *rc,
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
		return conf_perr(ps, val->line,
				 "bad fencing 'dont-care' %s: hadisk calls it 'none' (write 'fencing none;', or leave the key out)",
				 where);
	close = hd_closest(val->text, names, ARRAY_SIZE(names));
	if (close)
		return conf_perr(ps, val->line,
				 "bad fencing '%s' %s (did you mean '%s'? write none, resource-only or resource-and-stonith)",
				 val->text, where, close);
	return conf_perr(ps, val->line,
			 "bad fencing '%s' %s (write none, resource-only or resource-and-stonith; without the key it is none)",
			 val->text, where);
}

/* Handlers */

/* A hook's program: an absolute path, without arguments. */
static int set_hook(struct parser *ps, const struct token *key,
		    const struct token *val, const char *where, char *dst)
{
	if (strpbrk(val->text, " \t"))
		return conf_perr(ps, val->line,
				 "'%s \"%s\";' %s: a hook is the path of one program, without arguments (hadisk passes the hook's name as its argument and the rest in HADISK_* environment variables, see Documentation/hooks.md; write a small script that adds the arguments)",
				 key->text, val->text, where);
	if (val->text[0] != '/')
		return conf_perr(ps, val->line,
				 "bad %s '%s' %s (write the absolute path of a program, e.g. '%s \"%s\";')",
				 key->text, val->text, where, key->text,
				 conf_example_of(key->text));
	hd_strlcpy(dst, val->text, HADISK_PATH_MAX);
	return 0;
}

static int set_hook_timeout(struct parser *ps, struct hd_res_conf *rc,
			    const struct token *val, const char *where)
{
	if (hd_parse_duration_ms(val->text, &rc->hook_timeout_ms))
		return conf_perr(ps, val->line,
				 "bad duration '%s' for 'hook-timeout' %s (write N, Nms or Ns, e.g. 30s; a bare number is seconds)",
				 val->text, where);
	if (rc->hook_timeout_ms < HD_CONF_HOOK_MS_MIN ||
	    rc->hook_timeout_ms > HD_CONF_HOOK_MS_MAX)
		return conf_perr(ps, val->line,
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

	for (i = 0; i < ARRAY_SIZE(conf_handlers_keys); i++)
		if (!strcmp(key->text, conf_handlers_keys[i]))
			break;
	if (i == ARRAY_SIZE(conf_handlers_keys))
		return conf_unknown_key(ps, key, where, conf_handlers_keys,
					ARRAY_SIZE(conf_handlers_keys));
	if (i < HD_HOOK_NR) {
		if (conf_check_dup(ps, key, where, rc->hook_line[i]) ||
		    conf_read_value(ps, key, where, &val) ||
		    set_hook(ps, key, &val, where, rc->hooks[i]))
			return -1;
		rc->hook_line[i] = key->line;
	} else if (i == HD_HOOK_NR) {
		if (conf_check_dup(ps, key, where, rc->hook_timeout_line) ||
		    conf_read_value(ps, key, where, &val) ||
		    set_hook_timeout(ps, rc, &val, where))
			return -1;
		rc->hook_timeout_line = key->line;
	} else {
		if (conf_check_dup(ps, key, where, rc->save_dir_line) ||
		    conf_read_value(ps, key, where, &val))
			return -1;
		if (val.text[0] != '/' || strpbrk(val.text, " \t"))
			return conf_perr(ps, val.line,
					 "bad discarded-dir '%s' %s (write the absolute path of a directory, e.g. 'discarded-dir %s;'; it is created when needed)",
					 val.text, where, HD_CONF_SAVE_DIR_DEFAULT);
		hd_strlcpy(rc->save_dir, val.text, sizeof(rc->save_dir));
		rc->save_dir_line = key->line;
	}
	return 0;
}

int conf_parse_handlers(struct parser *ps, struct hd_res_conf *rc,
			int line, const struct section_state *res)
{
	struct section_state s;
	struct token t;
	int r;

	if (rc->handlers_line)
		return conf_perr(ps, line,
				 "duplicate 'handlers' section %s (the first is on line %d; merge them)",
				 res->where, rc->handlers_line);
	rc->handlers_line = line;
	conf_name_section(&s, "handlers", NULL);
	if (conf_expect_open(ps, "handlers", line))
		return -1;
	while (!(r = conf_block_next(ps, &t, "handlers", line)))
		if (handlers_key(ps, rc, &t, s.where))
			return -1;
	return r < 0 ? -1 : 0;
}

/* A fencing policy other than none calls the fence-peer hook. */
int conf_check_fencing(struct parser *ps, const struct hd_res_conf *rc)
{
	if (rc->fencing != HADISK_FENCING_NONE &&
	    !rc->hook_line[HD_HOOK_FENCE_PEER])
		return conf_perr(ps, rc->fencing_line,
				 "'fencing %s;' in 'disk' needs a fence-peer hook, the program that fences the peer (add 'handlers { fence-peer \"/path/to/program\"; }' to resource '%s', see Documentation/hooks.md; or write 'fencing none;')",
				 hd_fencing_name(rc->fencing), rc->name);
	return 0;
}

/*
 * DRBD's three policies, in DRBD's spelling: "pass_on" has an underscore,
 * the others hyphens.
 */
int conf_set_on_io_error(struct parser *ps, struct hd_res_conf *rc,
			 const struct token *val, const char *where)
{
	static const char *const names[] = {
		"detach", "pass_on", "call-local-io-error"
	};
	const char *close;
	int v = hd_on_io_error_from_name(val->text);

	if (v >= 0) {
		rc->on_io_error = (uint8_t)v;
		return 0;
	}
	close = hd_closest(val->text, names, ARRAY_SIZE(names));
	if (close)
		return conf_perr(ps, val->line,
				 "bad on-io-error '%s' %s (did you mean '%s'? write detach, pass_on or call-local-io-error; without the key it is detach)",
				 val->text, where, close);
	return conf_perr(ps, val->line,
			 "bad on-io-error '%s' %s (write detach, pass_on or call-local-io-error; without the key it is detach)",
			 val->text, where);
}

/* call-local-io-error is DRBD's "pass_on, and call the handler". */
int conf_check_on_io_error(struct parser *ps, const struct hd_res_conf *rc)
{
	if (rc->on_io_error == HADISK_IOE_CALL_LOCAL_IO_ERROR &&
	    !rc->hook_line[HD_HOOK_LOCAL_IO_ERROR])
		return conf_perr(ps, rc->on_io_error_line,
				 "'on-io-error call-local-io-error;' in 'disk' needs a local-io-error hook, the program it calls on an I/O error of the backing device (add 'handlers { local-io-error \"/path/to/program\"; }' to resource '%s', see Documentation/hooks.md; or write 'on-io-error pass_on;', which is the same without the hook)",
				 rc->name);
	return 0;
}
