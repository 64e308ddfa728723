// SPDX-License-Identifier: GPL-2.0
/*
 * hadiskd: the hadisk cluster daemon, one per node (or, with --witness,
 * the third node that arbitrates the active token). This file only wires
 * things up: the command line, the configuration, the threads (see
 * hadiskd.h for who does what) and the decision loop's clock.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu.h>

#include "dconf.h"
#include "hadiskd.h"
#include "log.h"
#include "view.h"

#define WITNESS_LISTEN_DEF	"0.0.0.0:7791"

struct hd_dconf hd_conf;
volatile sig_atomic_t hd_stopping;

static const char help_text[] =
"Usage: hadiskd [--foreground] [--help] [--config FILE] [--socket PATH]\n"
"               [--node NAME]\n"

"       hadiskd --witness [--listen ADDRESS:PORT] [--key-file FILE]\n"
"               [--foreground]\n"
"\n"
"hadiskd is the hadisk cluster daemon, one per node. It\n"
"\n"
"  - sends heartbeats to the peer over every 'path' of its configuration\n"
"    (UDP, each heartbeat-interval) and tracks each path: up while\n"
"    something was heard on it within heartbeat-timeout, its round trip;\n"
"    the peer is lost only when every path is down;\n"
"    with 'key-file', every datagram carries a SipHash-2-4 MAC;\n"
"  - follows the hadisk module's '" HADISK_GENL_MCAST_EVENTS "' generic netlink group and\n"
"    logs every state change of every resource;\n"
"  - applies each resource's promotion policy when the peer, which was\n"
"    Primary, is lost: 'manual' (the default) logs how to take over\n"
"    ('hadiskctl failover RES') and does nothing; 'automatic' promotes\n"
"    this node, but only with 'fencing kernel' (the kernel fences the\n"
"    peer before promoting, and refuses if fencing fails) or with the\n"
"    agreement of a witness (hadiskd --witness on a third node);\n"
"  - holds an active token per resource, so that at most one node\n"
"    believes it is active: with a witness, a lease the witness grants\n"
"    to one node at a time; without, the Primary role;\n"
"  - runs the resource's start hook after a promotion and its stop hook\n"
"    before a demotion, each with a deadline (hook-timeout), and brings\n"
"    its service-ip up and down;\n"
"  - answers a control socket for hadiskctl (ha-status, failover,\n"
"    switchover).\n"
"\n"
"Without a configuration file (and without --config) it only follows\n"
"and logs the kernel's events.\n"
"\n"
"OPTIONS\n"
"  -c, --config FILE\n"
"         Read FILE instead of " HD_DCONF_FILE ". Documentation/\n"
"         hadiskd.md lists every key; every error names the line.\n"
"  -s, --socket PATH\n"
"         The control socket, instead of the configuration's 'socket'\n"
"         (default " HD_DCONF_SOCKET "). hadiskctl finds it through the\n"
"         HADISKD_SOCKET environment variable.\n"
"  -n, --node NAME\n"
"         This node's name, instead of the configuration's 'node' or\n"
"         the short hostname.\n"
"  -w, --witness\n"
"         Run as the witness: grant each resource's active token (a\n"
"         lease) to at most one node at a time. Needs no module and no\n"
"         configuration file.\n"
"  -l, --listen ADDRESS:PORT\n"
"         The witness's UDP address. Default: " WITNESS_LISTEN_DEF ".\n"
"  -k, --key-file FILE\n"
"         The witness's key: the same file as the nodes' 'key-file'.\n"
"  -f, --foreground\n"
"         Stay in the foreground and log to stderr. Without it hadiskd\n"
"         detaches and logs to syslog (facility daemon).\n"
"  -h, --help\n"
"         Show this text.\n"
"\n"
"SIGNALS\n"
"  SIGTERM, SIGINT  stop. Nothing is demoted: the kernel keeps\n"
"                   replicating without hadiskd.\n"
"\n"
"EXIT STATUS\n"
"  0  stopped by SIGTERM or SIGINT\n"
"  1  usage error\n"
"  2  configuration error (the message names FILE:LINE and the fix),\n"
"     including policy automatic without fencing or a witness\n"
"  3  the kernel refused a request\n"
"  4  the hadisk kernel module is not loaded at start (modprobe hadisk,\n"
"     or insmod hadisk.ko)\n"
"  6  permission denied\n"
"  7  a heartbeat, witness or control socket could not be set up\n"
"\n"
"FILES\n"
"  " HD_DCONF_FILE "   the configuration\n"
"  " HD_DCONF_SOCKET "          the control socket\n"
"\n"
"EXAMPLES\n"
"  hadiskd                         on each node\n"
"  hadiskd --foreground --config /tmp/test.conf --socket /tmp/d.sock\n"
"  hadiskd --witness --listen 192.168.10.3:7791     on a third node\n"
"  HADISKD_SOCKET=/tmp/d.sock hadiskctl ha-status\n";

static void on_signal(int sig)
{
	hd_stopping = sig;
}

static int exit_code_of(int err)
{
	if (err == -ENOENT)
		return HD_EXIT_NOMODULE;
	if (err == -EPERM || err == -EACCES)
		return HD_EXIT_PERM;
	return HD_EXIT_KERNEL;
}

/*
 * The decision loop runs every heartbeat-interval, and at once when the
 * heartbeat thread sees the peer lost (hd_wake_decide), so a failover does
 * not wait for the next tick.
 */
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond;
static bool wake_pending;

void hd_wake_decide(void)
{
	pthread_mutex_lock(&wake_lock);
	wake_pending = true;
	pthread_cond_signal(&wake_cond);
	pthread_mutex_unlock(&wake_lock);
}

static void wait_tick(unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&wake_lock);
	while (!wake_pending && !hd_stopping)
		if (pthread_cond_timedwait(&wake_cond, &wake_lock, &ts))
			break;
	wake_pending = false;
	pthread_mutex_unlock(&wake_lock);
}

static void wake_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&wake_cond, &a);
	pthread_condattr_destroy(&a);
}

static int load_config(const char *file, bool given)
{
	char err[HD_DCONF_ERR_MAX];
	int ret = hd_dconf_load(file, &hd_conf, err, sizeof(err));

	if (ret == -ENOENT && !given) {
		hd_dconf_init(&hd_conf);
		return 0;
	}
	if (ret) {
		fprintf(stderr, "hadiskd: %s\n", err);
		return HD_EXIT_CONFIG;
	}
	return 0;
}

static void detach(bool foreground)
{
	if (!foreground && daemon(0, 0)) {
		fprintf(stderr, "hadiskd: cannot detach: %s\n",
			strerror(errno));
		exit(HD_EXIT_USAGE);
	}
	hd_log_open(foreground);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "node", required_argument, NULL, 'n' },
		{ "witness", no_argument, NULL, 'w' },
		{ "listen", required_argument, NULL, 'l' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *sock = NULL, *node = NULL, *listen = NULL;
	const char *key_file = NULL;
	uint8_t key[16];
	bool foreground = false, witness = false;
	char err[HD_DCONF_ERR_MAX];
	struct sigaction sa;
	int c, ret;

	while ((c = getopt_long(argc, argv, "fc:s:n:wl:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			foreground = true;
			break;
		case 'c':
			config = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'n':
			node = optarg;
			break;
		case 'w':
			witness = true;
			break;
		case 'l':
			listen = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'h':
			fputs(help_text, stdout);
			return HD_EXIT_OK;
		default:
			fputs("Try 'hadiskd --help'.\n", stderr);
			return HD_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr,
			"hadiskd: unexpected argument '%s' (see 'hadiskd --help')\n",
			argv[optind]);
		return HD_EXIT_USAGE;
	}
	if ((listen || key_file) && !witness) {
		fputs("hadiskd: --listen and --key-file are for the witness (a node's key is 'key-file' in its configuration): add --witness\n",
		      stderr);
		return HD_EXIT_USAGE;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (witness) {
		if (config || sock) {
			fputs("hadiskd: the witness takes no --config or --socket (only --listen)\n",
			      stderr);
			return HD_EXIT_USAGE;
		}
		if (key_file && hd_key_load(key_file, key, err, sizeof(err))) {
			fprintf(stderr, "hadiskd: %s\n", err);
			return HD_EXIT_CONFIG;
		}
		detach(foreground);
		ret = hd_witness_run(listen ? listen : WITNESS_LISTEN_DEF,
				     key_file ? key : NULL);
		hd_log(LOG_INFO, "witness: stopping");
		return ret;
	}

	ret = load_config(config ? config : HD_DCONF_FILE, config != NULL);
	if (ret)
		return ret;
	if (node) {
		if (strlen(node) > HD_DCONF_NAME_MAX) {
			fprintf(stderr, "hadiskd: --node '%s' is longer than %d characters\n",
				node, HD_DCONF_NAME_MAX);
			return HD_EXIT_USAGE;
		}
		hd_strlcpy(hd_conf.node, node, sizeof(hd_conf.node));
	} else if (!hd_conf.node[0]) {
		char host[256];

		if (gethostname(host, sizeof(host)))
			hd_strlcpy(host, "localhost", sizeof(host));
		host[sizeof(host) - 1] = '\0';
		if (strchr(host, '.'))
			*strchr(host, '.') = '\0';
		hd_strlcpy(hd_conf.node, host, sizeof(hd_conf.node));
	}
	if (hd_conf.peer[0] && !strcmp(hd_conf.node, hd_conf.peer)) {
		fprintf(stderr, "hadiskd: this node and the peer are both named '%s': use --node or 'node' in %s\n",
			hd_conf.node, hd_conf.file);
		return HD_EXIT_CONFIG;
	}
	if (sock)
		hd_strlcpy(hd_conf.socket, sock, sizeof(hd_conf.socket));

	ret = hd_kernel_open();
	if (ret) {
		if (ret == -ENOENT)
			fputs("hadiskd: the hadisk kernel module is not loaded (the kernel has no generic netlink family '" HADISK_GENL_NAME "'): load it with 'modprobe hadisk' or 'insmod hadisk.ko'\n",
			      stderr);
		else
			fprintf(stderr,
				"hadiskd: cannot follow the hadisk module's events: %s\n",
				strerror(-ret));
		return exit_code_of(ret);
	}

	detach(foreground);
	rcu_register_thread();
	wake_init();
	if (hd_view_init(&hd_conf, hd_now_us())) {
		hd_log(LOG_ERR, "out of memory");
		return HD_EXIT_USAGE;
	}
	if (hd_ctl_start(hd_conf.socket, err, sizeof(err)) ||
	    hd_hb_start(err, sizeof(err)) ||
	    hd_metrics_start(err, sizeof(err))) {
		hd_log(LOG_ERR, "%s", err);
		hd_stopping = 1;
		hd_ctl_stop();
		hd_metrics_stop();
		return HD_EXIT_NET;
	}
	if (hd_kernel_start()) {
		hd_log(LOG_ERR, "cannot start the netlink thread");
		return HD_EXIT_USAGE;
	}
	if (hd_conf.file[0])
		hd_log(LOG_INFO, "started (pid %d) as node %s: peer %s, %u heartbeat path%s every %u ms, timeout %u ms, %s, %s; %u resource%s; control socket %s",
		       (int)getpid(), hd_conf.node, hd_conf.peer,
		       hd_conf.npaths, hd_conf.npaths == 1 ? "" : "s",
		       hd_conf.interval_ms, hd_conf.timeout_ms,
		       hd_conf.has_witness ? "with a witness" : "no witness",
		       hd_conf.has_key ? "datagrams authenticated (key-file)" :
		       "datagrams not authenticated (no key-file)",
		       hd_conf.nres, hd_conf.nres == 1 ? "" : "s",
		       hd_conf.socket);
	else
		hd_log(LOG_INFO, "started (pid %d): no %s, so only following the events of the hadisk module; control socket %s",
		       (int)getpid(), HD_DCONF_FILE, hd_conf.socket);
	if (hd_conf.file[0] && !hd_conf.has_key)
		hd_log(LOG_WARNING, "no key-file: the heartbeat datagrams are not authenticated; anyone who can send UDP to the heartbeat port could forge them");
	if (hd_conf.npaths == 1)
		hd_log(LOG_WARNING, "only one heartbeat path: a single broken link will look like a dead peer; add a second 'path' over another network");
	for (unsigned int i = 0; i < hd_conf.nres; i++)
		hd_log(LOG_INFO, "%s: policy %s, fencing %s%s%s%s%s", hd_conf.res[i].name,
		       hd_policy_str(hd_conf.res[i].policy),
		       hd_conf.res[i].fencing ? "kernel" : "none",
		       hd_conf.res[i].start_hook[0] ? ", start hook " : "",
		       hd_conf.res[i].start_hook,
		       hd_conf.res[i].has_ip ? ", service ip " : "",
		       hd_conf.res[i].ip);

	while (!hd_stopping) {
		hd_decide();
		wait_tick(hd_conf.interval_ms);
	}
	hd_log(LOG_INFO, "stopping on signal %d", (int)hd_stopping);
	hd_ctl_stop();
	hd_metrics_stop();
	hd_hb_join();
	hd_kernel_join();
	rcu_unregister_thread();
	hd_view_exit();
	return HD_EXIT_OK;
}
