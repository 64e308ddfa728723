// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskctl: the hadisk administrator's tool. This file parses the command
 * line (options may come before or after the command) and dispatches to
 * the commands, one file per family of them.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hadiskctl.h"
#include "util.h"

static const struct hd_cmd cmd_help;

static const struct hd_cmd *const commands[] = {
	&cmd_up, &cmd_down, &cmd_attach, &cmd_detach, &cmd_connect,
	&cmd_disconnect, &cmd_primary, &cmd_secondary, &cmd_status,
	&cmd_events, &cmd_wait_connect, &cmd_wait_sync, &cmd_invalidate,
	&cmd_invalidate_remote, &cmd_new_current_uuid, &cmd_help,
};

static const char top_help_head[] =
"Usage: " PROG " [OPTIONS] COMMAND [RES] [OPTIONS]\n"
"\n"
PROG " sets up and inspects hadisk resources: block devices replicated\n"
"synchronously between two nodes by the hadisk kernel module. Each command\n"
"is one or a few generic netlink requests; once a resource is up, the\n"
"kernel replicates, reconnects and resyncs by itself.\n"
"\n"
"A resource RES is described in " HD_CONF_DIR "/RES.conf, the same file on\n"
"both nodes; commands that need it (up, attach, connect) find this node in\n"
"it by hostname or --node.\n"
"\n"
"COMMANDS\n";

static const char top_help_tail[] =
"\n"
"OPTIONS (before or after the command)\n"
HELP_CONFIG_OPTIONS
"  -j, --json\n"
"         Print JSON instead of text (status, events).\n"
"  -t, --timeout SECONDS\n"
"         How long to wait (events, wait-connect, wait-sync).\n"
"      --count N\n"
"         Stop after N events (events).\n"
"      --force\n"
"         Promote even without an UpToDate disk (primary).\n"
"      --clear-bitmap\n"
"         Skip the initial full sync of two new, zeroed disks\n"
"         (new-current-uuid).\n"

"  -h, --help\n"
"         Show this text; '" PROG " COMMAND --help' shows a command's.\n"
"\n"
HELP_EXIT_STATUS
"\n"
"FILES\n"
"  " HD_CONF_DIR "/RES.conf   the configuration of resource RES\n"
"\n"
"EXAMPLES\n"
"  " PROG " up r0                 on both nodes\n"
"  " PROG " wait-sync r0 --timeout 600\n"
"  " PROG " primary r0            on the node that shall be written\n"
"  " PROG " status --json\n";

static void print_top_help(FILE *f)
{
	size_t i;

	fputs(top_help_head, f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-16s %s\n", commands[i]->name,
			commands[i]->summary);
	fputs(top_help_tail, f);
}

static const struct hd_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	return NULL;
}

static int run_help(struct hd_ctx *ctx)
{
	const struct hd_cmd *cmd;

	if (!ctx->argc) {
		print_top_help(stdout);
		return EXIT_OK;
	}
	cmd = find_cmd(ctx->argv[0]);
	if (!cmd) {
		fprintf(stderr, PROG ": help: no command '%s' (see '" PROG " --help')\n",
			ctx->argv[0]);
		return EXIT_USAGE;
	}
	fputs(cmd->help, stdout);
	return EXIT_OK;
}

static const struct hd_cmd cmd_help = {
	.name = "help",
	.summary = "show this text, or a command's (help COMMAND)",
	.help =
"NAME\n"
"  " PROG " help - show help\n"
"\n"
"SYNOPSIS\n"
"  " PROG " help [COMMAND]\n"
"\n"
"DESCRIPTION\n"
"  Without COMMAND, shows the list of commands, the options and the exit\n"
"  codes. With COMMAND, shows that command's help, as\n"
"  '" PROG " COMMAND --help' does.\n"
"\n"
HELP_EXIT_STATUS
"\n"
"EXAMPLES\n"
"  " PROG " help status\n",
	.res = RES_NONE,
	.run = run_help,
};

enum {
	LOPT_COUNT = 256,
	LOPT_FORCE,
	LOPT_CLEAR_BITMAP,
};

static const struct option long_opts[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "node",	required_argument,	NULL, 'n' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "count",	required_argument,	NULL, LOPT_COUNT },
	{ "force",	no_argument,		NULL, LOPT_FORCE },
	{ "clear-bitmap", no_argument,		NULL, LOPT_CLEAR_BITMAP },
	{ "help",	no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	if (cmd)
		fprintf(stderr, " (see '" PROG " %s --help')\n", cmd);
	else
		fprintf(stderr, " (see '" PROG " --help')\n");
	return EXIT_USAGE;
}

static int unknown_command(const char *name)
{
	const char *names[ARRAY_SIZE(commands)];
	const char *hint;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		names[i] = commands[i]->name;
	hint = hd_closest(name, names, i);
	if (hint)
		fprintf(stderr,
			PROG ": unknown command '%s' (did you mean '%s'? '" PROG " --help' lists the commands)\n",
			name, hint);
	else
		fprintf(stderr,
			PROG ": unknown command '%s' ('" PROG " --help' lists the commands)\n",
			name);
	return EXIT_USAGE;
}

static const char *opt_name(unsigned int opt)
{
	switch (opt) {
	case OPT_JSON:
		return "--json";
	case OPT_TIMEOUT:
		return "--timeout";
	case OPT_COUNT:
		return "--count";
	case OPT_CLEAR_BITMAP:
		return "--clear-bitmap";
	default:
		return "--force";
	}
}

int main(int argc, char **argv)
{
	struct hd_ctx ctx;
	unsigned int given = 0, opt;
	const char *cmd_name;
	bool help = false;
	char *end;
	int c;

	memset(&ctx, 0, sizeof(ctx));
	while ((c = getopt_long(argc, argv, "c:n:jt:h", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'c':
			ctx.config = optarg;
			break;
		case 'n':
			ctx.node = optarg;
			break;
		case 'j':
			ctx.json = true;
			given |= OPT_JSON;
			break;
		case 't':
			errno = 0;
			ctx.timeout = strtod(optarg, &end);
			if (errno || end == optarg || *end ||
			    !isfinite(ctx.timeout) || ctx.timeout < 0 ||
			    ctx.timeout > 1e8)
				return usage_error(NULL,
						   "bad --timeout '%s': write a number of seconds, e.g. 30 or 0.5 (0: no limit)",
						   optarg);
			ctx.has_timeout = true;
			given |= OPT_TIMEOUT;
			break;
		case LOPT_COUNT:
			errno = 0;
			ctx.count = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || !ctx.count ||
			    optarg[0] == '-')
				return usage_error(NULL,
						   "bad --count '%s': write a number of events, 1 or more",
						   optarg);
			ctx.has_count = true;
			given |= OPT_COUNT;
			break;
		case LOPT_FORCE:
			ctx.force = true;
			given |= OPT_FORCE;
			break;
		case LOPT_CLEAR_BITMAP:
			ctx.clear_bitmap = true;
			given |= OPT_CLEAR_BITMAP;
			break;
		case 'h':
			help = true;
			break;
		default:
			/* getopt has said what is wrong */
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return EXIT_USAGE;
		}
	}

	if (optind >= argc) {
		if (help) {
			print_top_help(stdout);
			return EXIT_OK;
		}
		fprintf(stderr,
			PROG ": no command given; '" PROG " --help' lists them\n");
		return EXIT_USAGE;
	}
	cmd_name = argv[optind];
	ctx.cmd = find_cmd(cmd_name);
	if (!ctx.cmd)
		return unknown_command(cmd_name);
	if (help) {
		fputs(ctx.cmd->help, stdout);
		return EXIT_OK;
	}
	for (opt = 1; opt <= OPT_LAST; opt <<= 1)
		if ((given & opt) && !(ctx.cmd->opts & opt)) {
			fprintf(stderr,
				PROG ": option %s does not apply to '%s' (see '" PROG " %s --help')\n",
				opt_name(opt), cmd_name, cmd_name);
			return EXIT_USAGE;
		}
	ctx.argc = argc - optind - 1;
	ctx.argv = argv + optind + 1;
	/* every command takes at most one argument: RES or COMMAND */
	if (ctx.argc > 1) {
		fprintf(stderr,
			PROG ": %s: too many arguments, from '%s' on (see '" PROG " %s --help')\n",
			cmd_name, ctx.argv[1], cmd_name);
		return EXIT_USAGE;
	}
	if (ctx.argc && ctx.cmd->res == RES_NONE && ctx.cmd != &cmd_help) {
		fprintf(stderr,
			PROG ": %s takes no argument (see '" PROG " %s --help')\n",
			cmd_name, cmd_name);
		return EXIT_USAGE;
	}
	return ctx.cmd->run(&ctx);
}
