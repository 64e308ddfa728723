// SPDX-License-Identifier: GPL-2.0
/*
 * fakepeer: a hadisk peer that only shakes hands, for tests of the
 * handshake's refusals. It connects to a node's listener (or listens for a
 * node to connect) and sends a HELLO built from its options, then prints
 * what came back: "REFUSE <code> <text>", "HELLO <resource> v<min>..<max>",
 * or "CLOSED".
 *
 *   fakepeer --connect 10.99.0.2:7789 [--bind 10.99.0.1] [options]
 *   fakepeer --listen 10.99.0.2:7789 [options]
 * options: --resource NAME (r0) --version N (the current one)
 *          --node-id N (0) --peer-node-id N (1) --sectors N (131072)
 *          --protocol A|B|C (C) --timeout S (10)
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include "wire.h"
#include "uapi/linux/hadisk.h"

static int parse_addr(const char *s, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(atoi(colon + 1));
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

static int send_hello(int fd, struct hd_hello_info *hi, unsigned int type)
{
	struct {
		struct hd_hdr h;
		struct hd_hello b;
	} __attribute__((packed)) pkt;

	hi->sock_type = type;
	hd_hdr_encode(&pkt.h, HD_P_HELLO, sizeof(pkt.b));
	hd_hello_encode(&pkt.b, hi);
	return write(fd, &pkt, sizeof(pkt)) == sizeof(pkt) ? 0 : -1;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		ssize_t n = read(fd, (char *)buf + pos, len - pos);

		if (n <= 0)
			return -1;
		pos += n;
	}
	return 0;
}

static int report(int fd)
{
	struct hd_hdr h;
	unsigned int type;
	uint32_t len;
	const char *why;
	union {
		struct hd_refuse r;
		struct hd_hello hello;
	} body;

	if (read_full(fd, &h, sizeof(h)) || hd_hdr_decode(&h, &type, &len, &why) ||
	    len > sizeof(body) || read_full(fd, &body, len)) {
		printf("CLOSED\n");
		return 1;
	}
	if (type == HD_P_REFUSE) {
		unsigned int code;
		char text[HD_REFUSE_TEXT_LEN];

		hd_refuse_decode(&body.r, &code, text, sizeof(text));
		printf("REFUSE %u %s\n", code, text);
		return 0;
	}
	if (type == HD_P_HELLO) {
		struct hd_hello_info hi;

		if (hd_hello_decode(&body.hello, len, &hi, &why)) {
			printf("BADHELLO %s\n", why);
			return 1;
		}
		printf("HELLO %s v%u..%u\n", hi.resource, hi.version_min,
		       hi.version_max);
		return 0;
	}
	printf("PACKET %u\n", type);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "connect", 1, 0, 'c' }, { "listen", 1, 0, 'l' },
		{ "bind", 1, 0, 'b' }, { "resource", 1, 0, 'r' },
		{ "version", 1, 0, 'v' }, { "node-id", 1, 0, 'n' },
		{ "peer-node-id", 1, 0, 'p' }, { "sectors", 1, 0, 's' },
		{ "protocol", 1, 0, 'P' }, { "timeout", 1, 0, 't' },
		{ 0, 0, 0, 0 }
	};
	struct hd_hello_info hi = {
		.version_min = HD_WIRE_VERSION, .version_max = HD_WIRE_VERSION,
		.session = 0x5eed, .node_id = 0, .peer_node_id = 1,
		.size_sectors = 131072, .role = HADISK_ROLE_SECONDARY,
		.disk_state = HADISK_DISK_INCONSISTENT,
		.protocol = HADISK_PROT_C, .resource = "r0",
	};
	const char *connect_to = NULL, *listen_on = NULL, *bind_to = NULL;
	struct sockaddr_in sin;
	struct timeval tv = { .tv_sec = 10 };
	int c, fd, one = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': connect_to = optarg; break;
		case 'l': listen_on = optarg; break;
		case 'b': bind_to = optarg; break;
		case 'r': snprintf(hi.resource, sizeof(hi.resource), "%s", optarg); break;
		case 'v': hi.version_min = hi.version_max = atoi(optarg); break;
		case 'n': hi.node_id = atoi(optarg); break;
		case 'p': hi.peer_node_id = atoi(optarg); break;
		case 's': hi.size_sectors = strtoull(optarg, NULL, 0); break;
		case 'P': hi.protocol = optarg[0] - 'A' + 1; break;
		case 't': tv.tv_sec = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: see the comment in tests/tools/fakepeer.c\n");
			return 2;
		}
	}
	if (!!connect_to == !!listen_on ||
	    parse_addr(connect_to ? connect_to : listen_on, &sin)) {
		fprintf(stderr, "fakepeer: give --connect ADDR:PORT or --listen ADDR:PORT\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (connect_to) {
		int meta;

		if (bind_to) {
			struct sockaddr_in b = { .sin_family = AF_INET };

			inet_pton(AF_INET, bind_to, &b.sin_addr);
			bind(fd, (struct sockaddr *)&b, sizeof(b));
		}
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			perror("fakepeer: connect");
			return 1;
		}
		send_hello(fd, &hi, HD_SOCK_DATA);
		meta = socket(AF_INET, SOCK_STREAM, 0);
		if (!connect(meta, (struct sockaddr *)&sin, sizeof(sin)))
			send_hello(meta, &hi, HD_SOCK_META);
		return report(fd);
	}
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 4)) {
		perror("fakepeer: listen");
		return 1;
	}
	c = accept(fd, NULL, NULL);
	if (c < 0) {
		perror("fakepeer: accept");
		return 1;
	}
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	{
		struct hd_hdr h;
		struct hd_hello b;

		read_full(c, &h, sizeof(h));
		read_full(c, &b, sizeof(b));
	}
	send_hello(c, &hi, HD_SOCK_DATA);
	return report(c);
}
