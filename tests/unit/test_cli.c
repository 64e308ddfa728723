// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the hadiskctl and hadiskd programs as a user runs them (built
 * with the sanitizers into UNIT_BIN_DIR): help texts, usage errors, the
 * config-error exit code for every bad file of config_cases.h, and the
 * "module not loaded" exit code when the hadisk module is not loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_cases.h"
#include "unit.h"

#define CTL UNIT_BIN_DIR "/hadiskctl"
#define HADISKD UNIT_BIN_DIR "/hadiskd"

static char out[65536];
static char dir[] = "/tmp/hadisk-cli-XXXXXX";

/* Runs "prog args" with stdout and stderr in out; returns the exit code. */
static int run(const char *prog, const char *args)
{
	char cmd[1024];
	size_t n = 0;
	FILE *p;
	int st;

	snprintf(cmd, sizeof(cmd), "%s %s 2>&1 </dev/null", prog, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const char *write_conf(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.conf", dir, name);
	f = fopen(path, "w");
	if (!f)
		return NULL;
	fputs(text, f);
	fclose(f);
	return path;
}

static size_t longest_line(const char *s)
{
	size_t best = 0, n;

	while (*s) {
		n = strcspn(s, "\n");
		if (n > best)
			best = n;
		s += n + (s[n] == '\n');
	}
	return best;
}

static const char *const commands[] = {
	"up", "down", "attach", "detach", "connect", "disconnect", "primary",
	"secondary", "status", "events", "wait-connect", "wait-sync",
	"invalidate", "invalidate-remote", "new-current-uuid", "verify",
	"create-md", "dump-md", "wipe-md", "apply-al", "help",
};

static void cli_top_help(void)
{
	size_t i;

	CHECK_EQ(run(CTL, "--help"), 0);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		CHECK_CONTAINS(out, commands[i]);
	CHECK_CONTAINS(out, "Usage: hadiskctl [OPTIONS] COMMAND [RES]");
	CHECK_CONTAINS(out, "EXIT STATUS");
	CHECK_CONTAINS(out, "  2  configuration file error");
	CHECK_CONTAINS(out, "  4  the hadisk kernel module is not loaded");
	CHECK_CONTAINS(out, "  6  permission denied");
	CHECK(longest_line(out) <= 80);
	CHECK_EQ(run(CTL, "help"), 0);
	CHECK_CONTAINS(out, "COMMANDS");
}

static void cli_command_help(void)
{
	char args[64], name[64], first[16384];
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		snprintf(args, sizeof(args), "%s --help", commands[i]);
		rc = run(CTL, args);
		CHECK_EQ(rc, 0);
		CHECK_CONTAINS(out, "NAME\n  hadiskctl ");
		CHECK_CONTAINS(out, "\nSYNOPSIS\n  hadiskctl ");
		CHECK_CONTAINS(out, "\nDESCRIPTION\n");
		CHECK_CONTAINS(out, "\nEXIT STATUS\n  0  success\n");
		CHECK_CONTAINS(out, "  5  timed out\n");
		CHECK_CONTAINS(out, "\nEXAMPLES\n");
		CHECK(longest_line(out) <= 80);
		snprintf(first, sizeof(first), "%s", out);
		/* the same text every way it can be asked for */
		snprintf(args, sizeof(args), "--help %s", commands[i]);
		CHECK_EQ(run(CTL, args), 0);
		CHECK_STR(out, first);
		snprintf(args, sizeof(args), "help %s", commands[i]);
		CHECK_EQ(run(CTL, args), 0);
		CHECK_STR(out, first);
		snprintf(name, sizeof(name), "cli_help_%s", commands[i]);
		unit_report(name, rc == 0);
	}
}

static void cli_usage_errors(void)
{
	static const struct {
		const char *args;
		const char *want;
	} cases[] = {
		{ "", "no command given" },
		{ "stauts", "did you mean 'status'?" },
		{ "up --json r0", "option --json does not apply to 'up'" },
		{ "status --force", "option --force does not apply to 'status'" },
		{ "status a b", "too many arguments, from 'b' on" },
		{ "wait-sync r0 --timeout soon", "bad --timeout 'soon'" },
		{ "wait-sync r0 --timeout -1", "bad --timeout '-1'" },
		{ "events --count 0", "bad --count '0'" },
		{ "--bogus status", "Try 'hadiskctl --help'" },
		{ "detach r0/x", "bad resource name 'r0/x'" },
		{ "detach", "which resource?" },
		{ "help nosuch", "no command 'nosuch'" },
		{ "verify", "which resource?" },
		{ "verify r0 --timeout 5", "--timeout applies only with --wait" },
		{ "verify r0/x --wait", "bad resource name 'r0/x'" },
		{ "status --resync", "option --resync does not apply to 'status'" },
		{ "invalidate r0 --wait",
		  "option --wait does not apply to 'invalidate'" },
		{ "verify r0 --json", "option --json does not apply to 'verify'" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK_EQ(run(CTL, cases[i].args), 1);
		CHECK_CONTAINS(out, cases[i].want);
	}
}

/* Every bad file: exit 2 with the file:line message, before any netlink. */
static void cli_config_errors(void)
{
	static const char *const cmds[] = { "up", "attach", "connect" };
	char args[256], want[192], name[96];
	const char *path;
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(conf_cases); i++) {
		const struct conf_case *c = &conf_cases[i];

		path = write_conf(c->name, c->text);
		CHECK(path != NULL);
		if (!path)
			continue;
		snprintf(args, sizeof(args), "%s --config %s --node alpha",
			 cmds[i % 3], path);
		rc = run(CTL, args);
		CHECK_EQ(rc, 2);
		if (c->line)
			snprintf(want, sizeof(want), "hadiskctl: %s:%d: ", path,
				 c->line);
		else
			snprintf(want, sizeof(want), "hadiskctl: %s: ", path);
		CHECK_CONTAINS(out, want);
		CHECK_CONTAINS(out, c->want[0]);
		snprintf(name, sizeof(name), "cli_config_%s", c->name);
		unit_report(name, rc == 2);
		unlink(path);
	}
}

static const char good_conf[] =
	"resource r0 {\n"
	"  on unit-node-a { address 10.99.0.1:7789; disk /dev/ram0; minor 0; }\n"
	"  on unit-node-b { address 10.99.0.2:7789; disk /dev/ram1; minor 1;\n"
	"                   meta-disk none; }\n"
	"}\n";

static void cli_config_file_and_node(void)
{
	char args[256], want[256];
	const char *path;

	CHECK_EQ(run(CTL, "up --config /nonexistent/r0.conf"), 2);
	CHECK_CONTAINS(out, "cannot read configuration file /nonexistent/r0.conf: No such file or directory");
	CHECK_CONTAINS(out, "--config FILE");
	CHECK_EQ(run(CTL, "up hadisk-unit-no-such-res"), 2);
	CHECK_CONTAINS(out, "/etc/hadisk/hadisk-unit-no-such-res.conf");
	/* a name no file can define is a configuration error too */
	CHECK_EQ(run(CTL, "up ../r0"), 2);
	CHECK_CONTAINS(out, "bad resource name '../r0'");

	path = write_conf("good", good_conf);
	CHECK(path != NULL);
	if (!path)
		return;
	snprintf(args, sizeof(args), "up --config %s --node gamma", path);
	CHECK_EQ(run(CTL, args), 2);
	CHECK_CONTAINS(out, "--node 'gamma' is not a node of resource 'r0' (its nodes: unit-node-a, unit-node-b)");
	snprintf(args, sizeof(args), "connect --config %s", path);
	CHECK_EQ(run(CTL, args), 2);
	CHECK_CONTAINS(out, "no 'on' section of resource 'r0' matches this host's name");
	CHECK_CONTAINS(out, "use --node NAME");
	snprintf(args, sizeof(args), "up r1 --config %s --node unit-node-a",
		 path);
	CHECK_EQ(run(CTL, args), 2);
	CHECK_CONTAINS(out, "no resource 'r1' in this file (it defines: r0)");
	snprintf(args, sizeof(args),
		 "up r0123456789012345678901234567890123456789012345678901234567890123456789 --config %s --node unit-node-a",
		 path);
	CHECK_EQ(run(CTL, args), 2);
	/* no metadata to create for meta-disk none */
	snprintf(args, sizeof(args), "create-md --config %s --node unit-node-b",
		 path);
	CHECK_EQ(run(CTL, args), 2);
	snprintf(want, sizeof(want), "hadiskctl: %s:4: 'meta-disk none' in 'on unit-node-b'",
		 path);
	CHECK_CONTAINS(out, want);
	unlink(path);
}

static bool module_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/hadisk", &st);
}

static void cli_module_not_loaded(void)
{
	char args[256];
	const char *path;

	CHECK_EQ(run(CTL, "status"), 4);
	CHECK_CONTAINS(out, "hadiskctl: the hadisk kernel module is not loaded");
	CHECK_CONTAINS(out, "'modprobe hadisk' or 'insmod hadisk.ko'");
	CHECK_EQ(run(CTL, "status r0 --json"), 4);
	CHECK_EQ(run(CTL, "down r0"), 4);
	CHECK_EQ(run(CTL, "wait-connect r0 --timeout 0.1"), 4);
	CHECK_EQ(run(CTL, "events --count 1 --timeout 0.1"), 4);
	CHECK_EQ(run(CTL, "invalidate r0"), 4);
	CHECK_EQ(run(CTL, "invalidate-remote r0"), 4);
	CHECK_EQ(run(CTL, "new-current-uuid r0 --clear-bitmap"), 4);
	CHECK_EQ(run(CTL, "verify r0"), 4);
	CHECK_EQ(run(CTL, "verify r0 --resync --wait --timeout 0.1"), 4);
	path = write_conf("good", good_conf);
	CHECK(path != NULL);
	if (path) {
		snprintf(args, sizeof(args), "up --config %s --node unit-node-a",
			 path);
		CHECK_EQ(run(CTL, args), 4);
		/* meta-disk none passes the configuration checks */
		snprintf(args, sizeof(args), "attach --config %s --node unit-node-b",
			 path);
		CHECK_EQ(run(CTL, args), 4);
		unlink(path);
	}
	CHECK_EQ(run(HADISKD, "--foreground"), 4);
	CHECK_CONTAINS(out, "hadiskd: the hadisk kernel module is not loaded");
}

static void cli_hadiskd_usage(void)
{
	CHECK_EQ(run(HADISKD, "--help"), 0);
	CHECK_CONTAINS(out, "Usage: hadiskd [--foreground] [--help]");
	CHECK_CONTAINS(out, "hadiskd --witness");
	CHECK_CONTAINS(out, "EXIT STATUS");
	CHECK(longest_line(out) <= 80);
	CHECK_EQ(run(HADISKD, "--bogus"), 1);
	CHECK_EQ(run(HADISKD, "extra"), 1);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(cli_top_help);
	cli_command_help();
	RUN(cli_usage_errors);
	cli_config_errors();
	RUN(cli_config_file_and_node);
	if (module_loaded())
		printf("SKIP cli_module_not_loaded: the hadisk module is loaded\n");
	else
		RUN(cli_module_not_loaded);
	RUN(cli_hadiskd_usage);
	rmdir(dir);
	return unit_exit();
}
