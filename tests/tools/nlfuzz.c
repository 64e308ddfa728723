// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: sends random and malformed generic netlink messages to the
 * hadisk family, for tests/scenarios/62-netlink-fuzz.sh. Four in ten are
 * well-formed requests (a real command, request attributes only, values
 * mostly in range) so that commands succeed and the state changes under
 * the fuzz: attach, connect, promote, detach, delete, create... The others
 * are random: commands 0 .. HADISK_CMD_MAX + 3, random flags (ACK, DUMP,
 * ECHO, others), random genetlink versions, attributes of the right type
 * for their id or with wrong lengths, unknown ids,
 * NLA_F_NESTED/NLA_F_NET_BYTEORDER bits, nested garbage, strings without
 * their NUL, truncated messages, nlmsg_len lying in both directions,
 * other netlink message types, and several messages in one datagram.
 *
 * Strings and paths come from fixed lists (the scenario's brd disks,
 * /dev/null, missing paths, /bin/true and /bin/false as hooks) or are
 * random garbage: it never names a real disk or a harmful program.
 *
 * Every few hundred messages, and at the end, it checks that the family
 * still answers a GET_STATUS dump. With --unprivileged (run it as a user
 * without CAP_NET_ADMIN) any command but GET_STATUS that succeeds is a
 * failure.
 *
 *   nlfuzz [--count N] [--max-seconds S] [--seed S] [--unprivileged]
 *          [--verbose]
 *
 * --count messages (default 3000), or as many as fit in --max-seconds.
 * Prints a summary (messages sent, answers by errno, no answers); exits
 * 0, 1 on a failed check, 2 on a usage or setup error.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "uapi/linux/hadisk.h"

enum kind { K_STR, K_PATH, K_HOOK, K_NAME, K_U8, K_U16, K_U32, K_U64,
	    K_FLAG, K_ADDR, K_BIN, K_NONE };

static enum kind attr_kind(unsigned int t)
{
	switch (t) {
	case HADISK_A_RESOURCE:
		return K_NAME;
	case HADISK_A_BACKING_DEV:
	case HADISK_A_META_DEV:
		return K_PATH;
	case HADISK_A_NODE_NAME:
	case HADISK_A_PEER_NODE_NAME:
	case HADISK_A_LAST_ERROR:
	case HADISK_A_EVENT:
	case HADISK_A_LAST_SAVE:
	case HADISK_A_HMAC_ALG:
		return K_STR;
	case HADISK_A_HOOK_FENCE_PEER:
	case HADISK_A_HOOK_UNFENCE_PEER:
	case HADISK_A_HOOK_SPLIT_BRAIN:
	case HADISK_A_HOOK_PRI_LOST_AFTER_SB:
	case HADISK_A_HOOK_BEFORE_RESYNC_TARGET:
	case HADISK_A_HOOK_AFTER_RESYNC_TARGET:
	case HADISK_A_HOOK_LOCAL_IO_ERROR:
	case HADISK_A_SAVE_HELPER:
	case HADISK_A_SAVE_DIR:
		return K_HOOK;
	case HADISK_A_LOCAL_PORT:
	case HADISK_A_PEER_PORT:
		return K_U16;
	case HADISK_A_PROTOCOL:
	case HADISK_A_ROLE:
	case HADISK_A_PEER_ROLE:
	case HADISK_A_CONN_STATE:
	case HADISK_A_DISK_STATE:
	case HADISK_A_PEER_DISK_STATE:
	case HADISK_A_CSUM_RESYNC:
	case HADISK_A_VERIFY_RUNNING:
	case HADISK_A_AFTER_SB_0PRI:
	case HADISK_A_AFTER_SB_1PRI:
	case HADISK_A_AFTER_SB_2PRI:
	case HADISK_A_FENCING:
	case HADISK_A_IO_FROZEN:
	case HADISK_A_PEER_FENCED:
	case HADISK_A_DATA_DIGEST:
	case HADISK_A_AUTH_ON:
		return K_U8;
	case HADISK_A_SIZE_BYTES:
	case HADISK_A_BYTES_SENT:
	case HADISK_A_BYTES_RECEIVED:
	case HADISK_A_OOS_BYTES:
	case HADISK_A_RESYNC_TOTAL_BYTES:
	case HADISK_A_RESYNC_DONE_BYTES:
	case HADISK_A_RESYNC_RATE_BPS:
	case HADISK_A_CURRENT_UUID:
	case HADISK_A_BITMAP_UUID:
	case HADISK_A_AL_WRITES:
	case HADISK_A_RESYNC_LIMIT_BPS:
	case HADISK_A_VERIFY_TOTAL_BYTES:
	case HADISK_A_VERIFY_DONE_BYTES:
	case HADISK_A_VERIFY_OOS_BYTES:
	case HADISK_A_AUTH_FAILURES:
	case HADISK_A_DIGEST_ERRORS:
		return K_U64;
	case HADISK_A_FORCE:
	case HADISK_A_CLEAR_BITMAP:
	case HADISK_A_VERIFY_RESYNC:
	case HADISK_A_DISCARD_MY_DATA:
		return K_FLAG;
	case HADISK_A_LOCAL_ADDR:
	case HADISK_A_PEER_ADDR:
		return K_ADDR;
	case HADISK_A_SHARED_SECRET:
		return K_BIN;
	case HADISK_A_PAD:
		return K_NONE;
	default:
		return K_U32;
	}
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible from --seed */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned int below(unsigned int n)
{
	return n ? (unsigned int)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static const char *const names[] = { "r0", "r0", "r0", "r1", "nf0",
	"nf1", "", "a.b-c_d", "bad name", "r0/../x",
	"0123456789012345678901234567890123456789012345678901234567890123" };
static const char *const paths[] = { "/dev/ram2", "/dev/ram3", "/dev/ram2",
	"/dev/ram0", "/dev/ram1", "/dev/null", "/dev/hadisk0",
	"/dev/hadisk1", "/nonexistent", "internal", "none", "relative/path",
	"/", "/dev/", "/dev/ram99", "/proc/self/fd/0" };
static const char *const hooks[] = { "/bin/true", "/bin/false",
	"/nonexistent/hook", "/tmp/nlfuzz-dir", "relative", "", "/" };
static const char *const strs[] = { "alpha", "beta", "sha256", "sha1",
	"sha512", "md5", "", "crc32c", "node7" };

static void rand_bytes(char *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		p[k] = (char)rnd();
}

static void rand_text(char *p, size_t n)
{
	static const char al[] = "abcxyz019/._-";
	size_t k;

	for (k = 0; k < n; k++)
		p[k] = al[below(sizeof(al) - 1)];
}

/* One attribute of type t, in a form chosen at random. */
static void put_attr(struct nlmsghdr *nlh, size_t room, uint16_t t,
		     int depth, bool valid)
{
	char b[400];
	const char *s = NULL;
	size_t n = 0;
	enum kind k = attr_kind(t & NLA_TYPE_MASK);
	unsigned int form = valid ? 100 : below(100);
	uint64_t v;

	if (form < 8) {
		/* wrong length: 0 to 40 random bytes */
		n = below(41);
		rand_bytes(b, n);
	} else if (form < 12 && depth < 3) {
		/* nested garbage */
		struct nlattr *nest = mnl_attr_nest_start_check(nlh, room, t);
		unsigned int i, m = below(4);

		if (!nest)
			return;
		for (i = 0; i < m; i++)
			put_attr(nlh, room, (uint16_t)below(HADISK_A_MAX + 4),
				 depth + 1, false);
		mnl_attr_nest_end(nlh, nest);
		return;
	} else if (form < 16) {
		/* a string without its NUL, possibly long */
		n = below(2) ? below(300) : below(16);
		rand_text(b, n);
	} else {
		switch (k) {
		case K_NAME:
			s = names[below(sizeof(names) / sizeof(names[0]))];
			break;
		case K_PATH:
			s = paths[below(sizeof(paths) / sizeof(paths[0]))];
			break;
		case K_HOOK:
			s = hooks[below(sizeof(hooks) / sizeof(hooks[0]))];
			break;
		case K_STR:
			s = strs[below(sizeof(strs) / sizeof(strs[0]))];
			break;
		case K_U8:
			b[0] = (char)(below(2) ? below(10) : rnd());
			n = 1;
			break;
		case K_U16:
			v = below(2) ? 7789 + below(3) : rnd();
			memcpy(b, &v, 2);
			n = 2;
			break;
		case K_U32:
			switch (below(4)) {
			case 0: v = below(4); break;
			case 1: v = 100 + below(2000); break;
			case 2: v = rnd() & 0xffffffff; break;
			default: v = 600000 + below(2); break;
			}
			{
				uint32_t w = (uint32_t)v;

				memcpy(b, &w, 4);
			}
			n = 4;
			break;
		case K_U64:
			v = rnd();
			memcpy(b, &v, 8);
			n = 8;
			break;
		case K_FLAG:
			n = 0;
			break;
		case K_ADDR:
			n = below(3) ? 4 : 16;
			if (n == 4 && below(2)) {
				b[0] = 10; b[1] = 99; b[2] = 0;
				b[3] = (char)(1 + below(3));
			} else {
				rand_bytes(b, n);
			}
			break;
		case K_BIN:
			n = below(70);
			rand_bytes(b, n);
			break;
		case K_NONE:
			n = below(3) * 4;
			memset(b, 0, n);
			break;
		}
		if (s) {
			n = strlen(s) + 1;
			memcpy(b, s, n);
		}
	}
	mnl_attr_put_check(nlh, room, t, n, b);
}

static unsigned int seq = 1;

/* What a request may carry (the others are read-only status). */
static const uint16_t req_attrs[] = {
	HADISK_A_MINOR, HADISK_A_BACKING_DEV, HADISK_A_NODE_ID,
	HADISK_A_PEER_NODE_ID, HADISK_A_NODE_NAME, HADISK_A_PEER_NODE_NAME,
	HADISK_A_LOCAL_ADDR, HADISK_A_PEER_ADDR, HADISK_A_LOCAL_PORT,
	HADISK_A_PEER_PORT, HADISK_A_PROTOCOL, HADISK_A_PING_INTERVAL_MS,
	HADISK_A_PING_TIMEOUT_MS, HADISK_A_ACK_TIMEOUT_MS,
	HADISK_A_CONNECT_INTERVAL_MS, HADISK_A_FORCE, HADISK_A_FORCE,
	HADISK_A_META_DEV, HADISK_A_AL_EXTENTS, HADISK_A_CLEAR_BITMAP,
	HADISK_A_RESYNC_RATE_MIN_KIB, HADISK_A_RESYNC_RATE_MAX_KIB,
	HADISK_A_CSUM_RESYNC, HADISK_A_VERIFY_RESYNC, HADISK_A_AFTER_SB_0PRI,
	HADISK_A_AFTER_SB_1PRI, HADISK_A_AFTER_SB_2PRI,
	HADISK_A_DISCARD_NODE_ID, HADISK_A_DISCARD_MY_DATA, HADISK_A_FENCING,
	HADISK_A_HOOK_TIMEOUT_MS, HADISK_A_HOOK_FENCE_PEER,
	HADISK_A_HOOK_SPLIT_BRAIN, HADISK_A_HOOK_LOCAL_IO_ERROR,
	HADISK_A_SAVE_HELPER, HADISK_A_SAVE_DIR, HADISK_A_SHARED_SECRET,
	HADISK_A_HMAC_ALG, HADISK_A_DATA_DIGEST,
};

/*
 * The attributes cmd requires, with values that can work in the
 * scenario (node ids 0 and 1, the brd disks, the veth addresses).
 */
static void put_needed(struct nlmsghdr *nlh, size_t room, unsigned int cmd)
{
	static const char *const disks[] = { "/dev/ram0", "/dev/ram1",
					     "/dev/ram2", "/dev/ram3" };
	uint32_t me = below(2);
	uint8_t a[4] = { 10, 99, 0, 0 };

	switch (cmd) {
	case HADISK_CMD_NEW_RESOURCE:
		mnl_attr_put_u32_check(nlh, room, HADISK_A_NODE_ID, me);
		mnl_attr_put_u32_check(nlh, room, HADISK_A_PEER_NODE_ID,
				       chance(90) ? !me : me);
		if (chance(50))
			mnl_attr_put_strz_check(nlh, room,
						HADISK_A_PEER_NODE_NAME,
						me ? "alpha" : "beta");
		break;
	case HADISK_CMD_ATTACH:
		mnl_attr_put_u32_check(nlh, room, HADISK_A_MINOR, below(4));
		mnl_attr_put_strz_check(nlh, room, HADISK_A_BACKING_DEV,
					disks[below(4)]);
		if (chance(70))
			mnl_attr_put_strz_check(nlh, room, HADISK_A_META_DEV,
						"internal");
		break;
	case HADISK_CMD_CONNECT:
		a[3] = (uint8_t)(1 + below(2));
		mnl_attr_put_check(nlh, room, HADISK_A_LOCAL_ADDR, 4, a);
		a[3] = (uint8_t)(3 - a[3]);
		mnl_attr_put_check(nlh, room, HADISK_A_PEER_ADDR, 4, a);
		mnl_attr_put_u16_check(nlh, room, HADISK_A_LOCAL_PORT, 7789);
		mnl_attr_put_u16_check(nlh, room, HADISK_A_PEER_PORT, 7789);
		break;
	}
}

/* A random message for family at p; returns its length as sent. */
static size_t build(char *p, size_t room, uint16_t family, bool *wants_ack)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(p);
	struct genlmsghdr *g;
	unsigned int i, n, cmd;
	bool clean = chance(40);	/* a well-formed request */
	uint16_t t;
	size_t len;

	nlh->nlmsg_type = chance(97) || clean ? family : (uint16_t)below(0x30);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (chance(90) || clean)
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (chance(10) && !clean)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (chance(5) && !clean)
		nlh->nlmsg_flags |= NLM_F_ECHO;
	if (chance(3) && !clean)
		nlh->nlmsg_flags |= (uint16_t)rnd();
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	cmd = below(HADISK_CMD_MAX + 4);
	if (clean)
		cmd = 1 + below(HADISK_CMD_MAX);
	g->cmd = (uint8_t)cmd;
	g->version = chance(90) || clean ? HADISK_GENL_VERSION :
		(uint8_t)below(4);
	g->reserved = chance(95) || clean ? 0 : (uint16_t)rnd();
	/* the resource first, most of the time, so the command gets far */
	if (clean || chance(85))
		put_attr(nlh, room, HADISK_A_RESOURCE, 0, clean);
	if (clean) {
		/* what the command needs, most of the time */
		if (chance(80))
			put_needed(nlh, room, cmd);
		/* request attributes only, well-formed: commands that succeed */
		n = below(5);
		for (i = 0; i < n; i++)
			put_attr(nlh, room, req_attrs[below(sizeof(req_attrs) /
						     sizeof(req_attrs[0]))],
				 0, true);
		*wants_ack = true;
		return nlh->nlmsg_len;
	}
	n = below(12);
	for (i = 0; i < n; i++) {
		if (chance(80))
			t = (uint16_t)(1 + below(HADISK_A_MAX));
		else if (chance(50))
			t = (uint16_t)(HADISK_A_MAX + 1 + below(5));
		else
			t = (uint16_t)rnd();
		if (chance(3))
			t |= NLA_F_NESTED;
		if (chance(3))
			t |= NLA_F_NET_BYTEORDER;
		put_attr(nlh, room, t, 0, false);
	}
	len = nlh->nlmsg_len;
	*wants_ack = nlh->nlmsg_flags & NLM_F_ACK &&
		     nlh->nlmsg_type == family;
	/* trailing garbage, or a message cut short, or a lying length */
	switch (below(25)) {
	case 0:
		n = 1 + below(7);
		rand_bytes(p + len, n);
		nlh->nlmsg_len += n;
		len += n;
		break;
	case 1:
		len = below((unsigned int)len);
		*wants_ack = false;
		break;
	case 2:
		nlh->nlmsg_len = below((unsigned int)len + 64);
		*wants_ack = false;
		break;
	}
	return len;
}

static unsigned int answers[200], send_errors[200], no_answer, sent,
		    bad_priv, shown;
static bool verbose, unprivileged;

/*
 * Reads the answers to the messages sent; waits up to ms for the first
 * and for each further one while want_seq is not answered (0: just
 * drain for ms).
 */
static int drain(struct mnl_socket *nl, unsigned int want_seq, int ms,
		 const unsigned int *cmds, unsigned int first_seq)
{
	char buf[32768];
	struct pollfd pfd = { mnl_socket_get_fd(nl), POLLIN, 0 };
	bool done = !want_seq;

	for (;;) {
		int n, r = poll(&pfd, 1, done ? 0 : ms);
		struct nlmsghdr *h;

		if (r <= 0)
			break;
		n = (int)recv(pfd.fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			perror("recv");
			return -1;
		}
		for (h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, n);
		     h = mnl_nlmsg_next(h, &n)) {
			if (h->nlmsg_type == NLMSG_ERROR &&
			    h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
				int err = -e->error;
				unsigned int c = 0;

				answers[err >= 0 && err < 199 ? err : 199]++;
				bool ours = false;

				/* which of the messages just sent, if any */
				if (h->nlmsg_seq >= first_seq &&
				    h->nlmsg_seq - first_seq < 64) {
					c = cmds[h->nlmsg_seq - first_seq] & 0xff;
					ours = cmds[h->nlmsg_seq - first_seq] >> 8;
				}
				/*
				 * Only a message to the hadisk family: other
				 * types (NLMSG_NOOP, the controller) are acked
				 * for anyone.
				 */
				if (unprivileged && !err && ours &&
				    c != HADISK_CMD_GET_STATUS) {
					fprintf(stderr,
						"nlfuzz: command %u succeeded without CAP_NET_ADMIN (seq %u)\n",
						c, h->nlmsg_seq);
					bad_priv++;
				}
				if (e->error > 0) {
					/* a handler returned a positive value */
					fprintf(stderr,
						"nlfuzz: command %u answered with a positive error %d (seq %u)\n",
						c, e->error, h->nlmsg_seq);
					bad_priv++;
				}
				if (verbose)
					fprintf(stderr, "seq %u cmd %u: %s\n",
						h->nlmsg_seq, c, strerror(err));
			}
			if (h->nlmsg_seq == want_seq &&
			    (h->nlmsg_type == NLMSG_ERROR ||
			     h->nlmsg_type == NLMSG_DONE))
				done = true;
		}
	}
	if (!done) {
		no_answer++;
		if (verbose)
			fprintf(stderr, "seq %u: no answer in %d ms\n",
				want_seq, ms);
	}
	return 0;
}

static uint16_t family_id;

static int resolve(struct mnl_socket *nl)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	struct nlattr *a;
	int n;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, HADISK_GENL_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	n = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n <= 0 || nlh->nlmsg_type != GENL_ID_CTRL)
		return -1;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			family_id = mnl_attr_get_u16(a);
	return family_id ? 0 : -1;
}

/* A GET_STATUS dump must work: the family is alive. */
static int status_ok(struct mnl_socket *nl)
{
	char buf[32768];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	unsigned int s = ++seq;
	int n, resources = 0;
	time_t end = time(NULL) + 10;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = s;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = HADISK_CMD_GET_STATUS;
	g->version = HADISK_GENL_VERSION;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	while (time(NULL) < end) {
		struct pollfd pfd = { mnl_socket_get_fd(nl), POLLIN, 0 };

		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = (int)recv(pfd.fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -1;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			if (nlh->nlmsg_seq != s)
				continue;	/* a late answer to the fuzz */
			if (nlh->nlmsg_type == NLMSG_DONE)
				return resources;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return -1;
			resources++;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 's' },
		{ "unprivileged", no_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "max-seconds", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	static char buf[65536] __attribute__((aligned(8)));
	unsigned int count = 3000, cmds[64] = { 0 }, first = 0, i, k, batch, e;
	unsigned long long seed = (unsigned long long)time(NULL);
	unsigned long max_seconds = 0;
	time_t t0 = time(NULL);
	struct mnl_socket *nl;
	int c, one = 1, r;

	while ((c = getopt_long(argc, argv, "c:s:uvt:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			count = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'u':
			unprivileged = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 't':
			max_seconds = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: nlfuzz [--count N] [--max-seconds S] [--seed S] [--unprivileged] [--verbose]\n");
			return 2;
		}
	}
	rng_state = seed ? seed : 1;
	printf("nlfuzz: seed %llu, %u messages%s\n", seed, count,
	       unprivileged ? ", unprivileged" : "");
	fflush(stdout);
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlfuzz: netlink");
		return 2;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (resolve(nl)) {
		fprintf(stderr, "nlfuzz: no hadisk family (module not loaded?)\n");
		return 2;
	}
	for (i = 0; i < count; i += batch) {
		size_t len = 0, one_len;
		bool ack, all_ack = true;

		if (max_seconds && (unsigned long)(time(NULL) - t0) >= max_seconds) {
			printf("nlfuzz: stopped after %lu s (--max-seconds)\n",
			       max_seconds);
			break;
		}
		/* mostly one message per datagram, sometimes several */
		batch = chance(90) ? 1 : 2 + below(3);
		first = seq + 1;
		for (k = 0; k < batch; k++) {
			one_len = build(buf + len, sizeof(buf) - len - 64,
					family_id, &ack);
			/* its command, and bit 8: sent to the hadisk family */
			cmds[(seq - first) % 64] = ((struct genlmsghdr *)
				(buf + len + NLMSG_HDRLEN))->cmd |
				(((struct nlmsghdr *)(buf + len))->nlmsg_type ==
				 family_id ? 0x100 : 0);
			all_ack &= ack;
			len += MNL_ALIGN(one_len);
			if (len > sizeof(buf) - 4096)
				break;
		}
		if (send(mnl_socket_get_fd(nl), buf, len, 0) < 0) {
			e = (unsigned int)errno;
			send_errors[e < 199 ? e : 199]++;
			/* not an answer to the message: show what was sent */
			/* ENODATA: a datagram cut to 0 bytes */
			if (e != EINVAL && e != ENOBUFS && e != EMSGSIZE &&
			    e != ENODATA && shown++ < 3) {
				fprintf(stderr, "nlfuzz: send: %s; the datagram (%zu bytes):",
					strerror((int)e), len);
				for (k = 0; k < len; k++)
					fprintf(stderr, "%s%02x",
						k % 32 ? "" : "\n  ",
						(unsigned char)buf[k]);
				fprintf(stderr, "\n");
			}
			if (e == EBADF || e == ENOTSOCK)
				return 1;
		}
		sent += batch;
		/* a lone well-formed request with ACK: wait for its answer */
		if (drain(nl, batch == 1 && all_ack ? seq : 0,
			  batch == 1 && all_ack ? 5000 : 20, cmds, first))
			return 1;
		if (i / 250 != (i + batch) / 250) {
			r = status_ok(nl);
			if (r < 0) {
				fprintf(stderr, "nlfuzz: GET_STATUS failed after %u messages\n",
					sent);
				return 1;
			}
			printf("nlfuzz: %u sent, status answers (%d resources)\n",
			       sent, r);
			fflush(stdout);
		}
	}
	drain(nl, 0, 200, cmds, first);
	r = status_ok(nl);
	printf("nlfuzz: %u messages sent, %u without the answer expected in 5 s; answers:",
	       sent, no_answer);
	for (e = 0; e < 200; e++)
		if (answers[e])
			printf(" %s %u;", e ? strerror((int)e) : "OK", answers[e]);
	for (e = 0; e < 200; e++)
		if (send_errors[e])
			printf(" send failed with %s %u;", strerror((int)e),
			       send_errors[e]);
	printf("\nnlfuzz: GET_STATUS at the end: %s\n",
	       r < 0 ? "FAILED" : "answers");
	mnl_socket_close(nl);
	if (r < 0 || bad_priv)
		return 1;
	return 0;
}
