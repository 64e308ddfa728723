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

#include <hadisk/ondisk.h>

#include "hadiskctl.h"
#include "util.h"

static const struct hd_cmd cmd_help;

static const struct hd_cmd *const commands[] = {
	&cmd_up, &cmd_down, &cmd_attach, &cmd_detach, &cmd_connect,
	&cmd_disconnect, &cmd_primary, &cmd_secondary, &cmd_status,
	&cmd_events, &cmd_wait_connect, &cmd_wait_sync, &cmd_invalidate,
	&cmd_invalidate_remote, &cmd_new_current_uuid, &cmd_verify,
	&cmd_create_md, &cmd_dump_md, &cmd_wipe_md, &cmd_apply_al,
	&cmd_outdate, &cmd_resume_io, &cmd_discarded, &cmd_save_discarded,
	&cmd_ha_status, &cmd_failover, &cmd_switchover,
	&cmd_help,
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
"both nodes; commands that need it (up, attach, connect, and the metadata\n"
"commands) find this node in it by hostname or --node. The metadata\n"
"commands (create-md, dump-md, wipe-md, apply-al) need no kernel module:\n"
"they work on a disk that is not in use.\n"
"\n"
"COMMANDS\n";

static const char top_help_tail[] =
"\n"
"OPTIONS (before or after the command)\n"
HELP_CONFIG_OPTIONS
"  -j, --json\n"
"         Print JSON instead of text (status, events).\n"
"  -t, --timeout SECONDS\n"
"         How long to wait (events, wait-connect, wait-sync, verify).\n"
"      --count N\n"
"         Stop after N events (events).\n"
"      --force\n"
"         Promote even without an UpToDate disk (primary); overwrite or\n"
"         wipe metadata (create-md, wipe-md).\n"
"      --clear-bitmap\n"
"         Skip the initial full sync of two new, zeroed disks\n"
"         (new-current-uuid).\n"
"      --resync\n"
"         Resync the blocks found different from this node (verify).\n"
"      --wait\n"
"         Wait for the verify to end and print its result (verify).\n"
"      --discard-my-data\n"
"         Make this node the victim of the split brain found at the next\n"
"         connection: its changes are saved, then overwritten (connect,\n"
"         up).\n"
"      --restore DEVICE\n"
"         Write the blocks of a saved file back to DEVICE (discarded).\n"
"      --disk PATH, --meta-disk internal|PATH\n"
"         The metadata commands' device, instead of RES's configuration.\n"
"      --al-slots N, --node-id N\n"
"         The activity-log ring's size and the node-id (create-md).\n"
"  -h, --help\n"
"         Show this text; '" PROG " COMMAND --help' shows a command's.\n"
"\n"
HELP_EXIT_STATUS
"\n"
"FILES\n"
"  " HD_CONF_DIR "/RES.conf   the configuration of resource RES\n"
"\n"
"EXAMPLES\n"
"  " PROG " create-md r0          on both nodes, once\n"
"  " PROG " up r0                 on both nodes\n"
"  " PROG " wait-sync r0 --timeout 600\n"
"  " PROG " primary r0            on the node that shall be written\n"
"  " PROG " verify r0 --wait      compare the two nodes' data\n"
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
	LOPT_DISK,
	LOPT_META_DISK,
	LOPT_AL_SLOTS,
	LOPT_NODE_ID,
	LOPT_CLEAR_BITMAP,
	LOPT_RESYNC,
	LOPT_WAIT,
	LOPT_DISCARD_MY_DATA,
	LOPT_RESTORE,
};

static const struct option long_opts[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "node",	required_argument,	NULL, 'n' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "count",	required_argument,	NULL, LOPT_COUNT },
	{ "force",	no_argument,		NULL, LOPT_FORCE },
	{ "disk",	required_argument,	NULL, LOPT_DISK },
	{ "meta-disk",	required_argument,	NULL, LOPT_META_DISK },
	{ "al-slots",	required_argument,	NULL, LOPT_AL_SLOTS },
	{ "node-id",	required_argument,	NULL, LOPT_NODE_ID },
	{ "clear-bitmap", no_argument,		NULL, LOPT_CLEAR_BITMAP },
	{ "resync",	no_argument,		NULL, LOPT_RESYNC },
	{ "wait",	no_argument,		NULL, LOPT_WAIT },
	{ "discard-my-data", no_argument,	NULL, LOPT_DISCARD_MY_DATA },
	{ "restore",	required_argument,	NULL, LOPT_RESTORE },
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
	case OPT_DISK:
		return "--disk";
	case OPT_META_DISK:
		return "--meta-disk";
	case OPT_AL_SLOTS:
		return "--al-slots";
	case OPT_NODE_ID:
		return "--node-id";
	case OPT_CLEAR_BITMAP:
		return "--clear-bitmap";
	case OPT_RESYNC:
		return "--resync";
	case OPT_WAIT:
		return "--wait";
	case OPT_DISCARD_MY_DATA:
		return "--discard-my-data";
	case OPT_RESTORE:
		return "--restore";
	default:
		return "--force";
	}
}

/* The long options of the metadata commands. Returns 0 or EXIT_USAGE. */
static int md_option(struct hd_ctx *ctx, int c, const char *arg)
{
	switch (c) {
	case LOPT_DISK:
		if (!*arg)
			return usage_error(NULL,
					   "bad --disk '%s': write the path of a block device or image file",
					   arg);
		ctx->disk = arg;
		break;
	case LOPT_META_DISK:
		if (!strcmp(arg, "none"))
			return usage_error(NULL,
					   "--meta-disk %s: without metadata there is nothing to work on; write 'internal' or the path of the metadata device",
					   arg);
		if (!*arg)
			return usage_error(NULL,
					   "bad --meta-disk '%s': write 'internal' or the path of the metadata device",
					   arg);
		ctx->meta_disk = strcmp(arg, "internal") ? arg : NULL;
		ctx->has_meta_disk = true;
		break;
	case LOPT_AL_SLOTS:
		if (hd_parse_u32(arg, HD_MD_AL_SLOTS_MAX, &ctx->al_slots) ||
		    ctx->al_slots < HD_MD_AL_SLOTS_MIN) {
			fprintf(stderr,
				PROG ": bad --al-slots '%s': write a number of activity-log slots from %d to %d (default %d) (see '" PROG " create-md --help')\n",
				arg, HD_MD_AL_SLOTS_MIN, HD_MD_AL_SLOTS_MAX,
				HD_MD_AL_SLOTS_DEFAULT);
			return EXIT_USAGE;
		}
		ctx->has_al_slots = true;
		break;
	case LOPT_NODE_ID:
		if (hd_parse_u32(arg, HADISK_NODE_ID_MAX, &ctx->node_id)) {
			fprintf(stderr,
				PROG ": bad --node-id '%s': write a number from 0 to %d (see '" PROG " create-md --help')\n",
				arg, HADISK_NODE_ID_MAX);
			return EXIT_USAGE;
		}
		ctx->has_node_id = true;
		break;
	}
	return 0;
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
		case LOPT_RESYNC:
			ctx.resync = true;
			given |= OPT_RESYNC;
			break;
		case LOPT_WAIT:
			ctx.wait = true;
			given |= OPT_WAIT;
			break;
		case LOPT_DISCARD_MY_DATA:
			ctx.discard_my_data = true;
			given |= OPT_DISCARD_MY_DATA;
			break;
		case LOPT_RESTORE:
			if (!*optarg)
				return usage_error("discarded",
						   "bad --restore '%s': write the path of the device to write the saved blocks to",
						   optarg);
			ctx.restore = optarg;
			given |= OPT_RESTORE;
			break;
		case LOPT_DISK:
		case LOPT_META_DISK:
		case LOPT_AL_SLOTS:
		case LOPT_NODE_ID:
			if (md_option(&ctx, c, optarg))
				return EXIT_USAGE;
			given |= c == LOPT_DISK ? OPT_DISK :
				 c == LOPT_META_DISK ? OPT_META_DISK :
				 c == LOPT_AL_SLOTS ? OPT_AL_SLOTS : OPT_NODE_ID;
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
