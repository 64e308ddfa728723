// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the encoder-made seeds of the fuzz corpus: corpus/NAME/gen-*
 * for each harness, made by the project's own encoders (kernel/wire.c,
 * kernel/meta_fmt.c, libmnl as the kernel lays out a status message,
 * userspace/lib/sbsave.c's writer) and from the unit tests' configuration
 * texts. Run by "make -C tests/fuzz corpus"; the hand-made edge cases of
 * corpus/NAME/edge-* are not touched.
 *
 *   gen_corpus DIR
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "wire.h"
#include "meta_fmt.h"
#include "crc32c.h"
#include "sbsave.h"
#include "uapi/linux/hadisk.h"
#include "config_cases.h"

static const char *dir;

static void put(const char *harness, const char *name, const void *p,
		size_t n)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, harness);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/gen-%s", dir, harness, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* Wire: packet streams */

static unsigned char wbuf[65536];
static size_t wlen;

static void pkt(unsigned int type, const void *body, size_t n)
{
	struct hd_hdr h;

	hd_hdr_encode(&h, type, (u32)n);
	memcpy(wbuf + wlen, &h, sizeof(h));
	wlen += sizeof(h);
	if (n)
		memcpy(wbuf + wlen, body, n);
	wlen += n;
}

static void hello_info(struct hd_hello_info *i, unsigned int node,
		       unsigned int sock)
{
	memset(i, 0, sizeof(*i));
	i->version_min = HD_WIRE_VERSION_MIN;
	i->version_max = HD_WIRE_VERSION;
	i->sock_type = sock;
	i->session = 0x1122334455667788ull;
	i->node_id = node;
	i->peer_node_id = !node;
	i->size_sectors = 256 * 2048;
	i->current_uuid = 0xabcdef0123456789ull;
	i->bitmap_uuid = 0;
	i->role = HADISK_ROLE_SECONDARY;
	i->disk_state = HADISK_DISK_UPTODATE;
	i->protocol = HADISK_PROT_C;
	strcpy(i->resource, "r0");
}

static void gen_wire(void)
{
	struct hd_hello_info i, j;
	struct hd_hello w;
	struct hd_refuse r;
	struct hd_data d;
	struct hd_ack a;
	struct hd_bm_run run[3];
	struct hd_bm_done done;
	struct hd_csum_req c;
	struct hd_state s;
	struct hd_sync sy;
	unsigned char payload[512];
	int k;

	/* the connector's handshake: data HELLO, then the peer's answer */
	wlen = 0;
	hello_info(&i, 1, HD_SOCK_DATA);
	hd_hello_encode(&w, &i);
	pkt(HD_P_HELLO, &w, sizeof(w));
	pkt(HD_P_HELLO_OK, NULL, 0);
	put("wire", "hello-data", wbuf, wlen);

	wlen = 0;
	hello_info(&i, 1, HD_SOCK_META);
	hd_hello_encode(&w, &i);
	pkt(HD_P_HELLO, &w, sizeof(w));
	pkt(HD_P_PING, NULL, 0);
	pkt(HD_P_PING_ACK, NULL, 0);
	put("wire", "hello-meta-ping", wbuf, wlen);

	/* two HELLOs after a split brain: both Primary at the split */
	wlen = 0;
	hello_info(&i, 0, HD_SOCK_DATA);
	i.after_sb[0] = HADISK_SB_DISCARD_LEAST_CHANGES;
	i.after_sb[1] = HADISK_SB_DISCARD_SECONDARY;
	i.after_sb[2] = HADISK_SB_CALL_PRI_LOST;
	i.changes = 10;
	i.flags = HD_HELLO_F_PRI_AT_SPLIT;
	i.role = HADISK_ROLE_PRIMARY;
	hd_hello_encode(&w, &i);
	pkt(HD_P_HELLO, &w, sizeof(w));
	j = i;
	j.node_id = 1;
	j.peer_node_id = 0;
	j.changes = 20;
	j.flags = HD_HELLO_F_DISCARD_MY_DATA;
	j.role = HADISK_ROLE_SECONDARY;
	hd_hello_encode(&w, &j);
	pkt(HD_P_HELLO, &w, sizeof(w));
	put("wire", "hello-split-brain", wbuf, wlen);

	/*
	 * Generation identifiers crossed (each node's bitmap id is the
	 * other's current id): no honest pair gets there, and both nodes
	 * decide to be the sync source (kernel/state.c now calls them unrelated)
	 */
	wlen = 0;
	hello_info(&i, 0, HD_SOCK_DATA);
	i.current_uuid = 0x2222;
	i.bitmap_uuid = 0x1111;
	hd_hello_encode(&w, &i);
	pkt(HD_P_HELLO, &w, sizeof(w));
	hello_info(&j, 1, HD_SOCK_DATA);
	j.current_uuid = 0x1111;
	j.bitmap_uuid = 0x2222;
	hd_hello_encode(&w, &j);
	pkt(HD_P_HELLO, &w, sizeof(w));
	put("wire", "hello-uuids-crossed", wbuf, wlen);

	/* another version, then a refusal */
	wlen = 0;
	hello_info(&i, 1, HD_SOCK_DATA);
	i.version_min = 1;
	i.version_max = 1;
	hd_hello_encode(&w, &i);
	pkt(HD_P_HELLO, &w, 144);
	hd_refuse_encode(&r, HD_REFUSE_VERSION,
			 "peer speaks protocol versions 1..1, this node 2..2: upgrade one side");
	pkt(HD_P_REFUSE, &r, sizeof(r));
	put("wire", "hello-v1-refuse", wbuf, wlen);

	/* writes and their acks */
	wlen = 0;
	memset(payload, 0x5a, sizeof(payload));
	d.id = cpu_to_be64(1);
	d.sector = cpu_to_be64(8);
	d.size = cpu_to_be32(512);
	d.flags = cpu_to_be32(HD_DF_FUA | HD_DF_NEW_EPOCH);
	memcpy(wbuf, &d, 0);
	{
		unsigned char both[sizeof(d) + sizeof(payload)];

		memcpy(both, &d, sizeof(d));
		memcpy(both + sizeof(d), payload, sizeof(payload));
		pkt(HD_P_DATA, both, sizeof(both));
	}
	d.id = cpu_to_be64(2);
	d.size = cpu_to_be32(1 << 20);
	d.flags = cpu_to_be32(HD_DF_DISCARD);
	pkt(HD_P_DATA, &d, sizeof(d));
	d.flags = cpu_to_be32(HD_DF_PREFLUSH);
	d.size = 0;
	pkt(HD_P_DATA, &d, sizeof(d));
	memset(&a, 0, sizeof(a));
	a.id = cpu_to_be64(1);
	a.sector = cpu_to_be64(8);
	a.size = cpu_to_be32(512);
	pkt(HD_P_WRITE_ACK, &a, sizeof(a));
	pkt(HD_P_RECV_ACK, &a, sizeof(a));
	a.status = cpu_to_be32(5);
	pkt(HD_P_NEG_ACK, &a, sizeof(a));
	put("wire", "data-acks", wbuf, wlen);

	/* a bitmap-based resync: state, bitmap, sync start, resync data */
	wlen = 0;
	memset(&s, 0, sizeof(s));
	s.role = HADISK_ROLE_SECONDARY;
	s.disk_state = HADISK_DISK_OUTDATED;
	s.current_uuid = cpu_to_be64(0x1234);
	pkt(HD_P_STATE, &s, sizeof(s));
	run[0].start = cpu_to_be64(0);
	run[0].len = cpu_to_be64(16);
	run[1].start = cpu_to_be64(1000);
	run[1].len = cpu_to_be64(1);
	run[2].start = cpu_to_be64(65530);
	run[2].len = cpu_to_be64(100);	/* past the end: clamped */
	pkt(HD_P_BITMAP, run, sizeof(run));
	done.runs = cpu_to_be64(3);
	pkt(HD_P_BITMAP_DONE, &done, sizeof(done));
	memset(&sy, 0, sizeof(sy));
	sy.total_bytes = cpu_to_be64(17 * 4096);
	sy.bitmap_uuid = cpu_to_be64(0x1234);
	pkt(HD_P_SYNC_START, &sy, sizeof(sy));
	d.id = cpu_to_be64(3);
	d.sector = cpu_to_be64(0);
	d.size = cpu_to_be32(0);
	d.flags = 0;
	pkt(HD_P_RS_DATA, &d, sizeof(d));
	pkt(HD_P_RS_ACK, &a, sizeof(a));
	pkt(HD_P_SYNC_DONE, &sy, sizeof(sy));
	put("wire", "resync-bitmap", wbuf, wlen);

	/* checksums: a request and its reply */
	wlen = 0;
	memset(&c, 0, sizeof(c));
	c.id = cpu_to_be64(7);
	c.sector = cpu_to_be64(64);
	c.size = cpu_to_be32(32 * 4096);
	c.nblocks = cpu_to_be32(32);
	for (k = 0; k < HD_CSUM_MAX_BLOCKS; k++)
		c.digest[k] = cpu_to_be32(0x01010101u * k);
	pkt(HD_P_CSUM_REQ, &c, sizeof(c));
	c.size = cpu_to_be32(4096 + 512);
	c.nblocks = cpu_to_be32(2);
	pkt(HD_P_CSUM_REQ, &c, sizeof(c));
	a.status = cpu_to_be32(3);
	pkt(HD_P_CSUM_REPLY, &a, sizeof(a));
	put("wire", "csum", wbuf, wlen);

	/* the largest bitmap packet */
	wlen = 0;
	{
		static struct hd_bm_run many[HD_BITMAP_MAX_RUNS];

		for (k = 0; k < HD_BITMAP_MAX_RUNS; k++) {
			many[k].start = cpu_to_be64((u64)k * 256);
			many[k].len = cpu_to_be64(k + 1);
		}
		pkt(HD_P_BITMAP, many, sizeof(many));
	}
	put("wire", "bitmap-max", wbuf, wlen);
}

/* Metadata: flags byte, size bytes, superblock, activity-log ring */

static u32 crcf(const void *buf, size_t len, size_t hole)
{
	return hd_crc32c_hole(buf, len, hole);
}

static unsigned char mbuf[3 + 256 + 4 * 4096];

static size_t meta_seed(unsigned int mib, bool internal, u32 slots,
			u32 flags, unsigned int nal, u32 nr)
{
	struct hd_md_info i;
	struct hd_md_super sb;
	struct hd_md_al_tx tx;
	const char *why;
	u64 dev = (u64)mib << 20;
	u32 ext[64];
	unsigned int k;

	memset(&i, 0, sizeof(i));
	if (hd_md_layout(dev, internal, internal ? dev : 64ull << 20, slots,
			 &i.l, &why)) {
		fprintf(stderr, "layout: %s\n", why);
		exit(1);
	}
	i.flags = flags;
	i.al_extents = HD_MD_AL_EXTENTS_DEFAULT;
	i.node_id = 1;
	i.internal = internal;
	i.uuid_current = 0x0123456789abcdefull;
	i.created_time = 1700000000;
	strcpy(i.resource, "r0");
	hd_md_super_encode(&sb, &i, crcf);
	mbuf[0] = 0;
	mbuf[1] = (unsigned char)(mib - 1);
	mbuf[2] = 0;
	memcpy(mbuf + 3, &sb, sizeof(sb));
	for (k = 0; k < 64; k++)
		ext[k] = k * 3;
	for (k = 0; k < nal; k++) {
		hd_md_al_encode(&tx, 10 + k, ext, nr + k, crcf);
		memcpy(mbuf + 3 + 256 + k * 4096, &tx, sizeof(tx));
	}
	return 3 + 256 + (size_t)nal * 4096;
}

static void gen_meta(void)
{
	size_t n;

	n = meta_seed(1, true, 16, HD_MDF_CONSISTENT | HD_MDF_UPTODATE |
		      HD_MDF_AL_CLEAN, 0, 0);
	put("meta", "internal-1m-clean", mbuf, n);
	n = meta_seed(4, true, 2, HD_MDF_CONSISTENT | HD_MDF_PRIMARY, 2, 5);
	put("meta", "internal-4m-al2", mbuf, n);
	n = meta_seed(8, false, 4, HD_MDF_FULL_SYNC | HD_MDF_PRI_AT_SPLIT,
		      4, 1);
	put("meta", "external-8m-al4", mbuf, n);
	/* the same, the fuzzer asked to fix up the checksums */
	mbuf[0] = 3;
	put("meta", "external-8m-al4-fixcrc", mbuf, n);
}

/* Config: the unit tests' texts */

static void gen_config(void)
{
	static const char full[] =
"# comment\n"
"resource r0 {\n"
"    protocol B;\n"
"    net {\n"
"        ping-interval 2;\n"
"        ping-timeout 500ms;\n"
"        ack-timeout 6s;\n"
"        connect-interval 1s;\n"
"        checksum-resync yes;\n"
"        after-sb-0pri discard-least-changes;\n"
"        after-sb-1pri discard-secondary;\n"
"        after-sb-2pri call-pri-lost-after-sb;\n"
"        shared-secret \"s3cr3t\";\n"
"        cram-hmac-alg sha256;\n"
"        data-integrity-alg crc32c;\n"
"    }\n"
"    disk {\n"
"        al-extents 1000;\n"
"        resync-rate-min 32M;\n"
"        resync-rate-max 1G;\n"
"        fencing resource-only;\n"
"        on-io-error call-local-io-error;\n"
"    }\n"
"    handlers {\n"
"        fence-peer \"/usr/lib/hadisk/fence.sh\";\n"
"        unfence-peer /usr/lib/hadisk/unfence.sh;\n"
"        split-brain /bin/true;\n"
"        pri-lost-after-sb /bin/true;\n"
"        local-io-error /bin/true;\n"
"        hook-timeout 60s;\n"
"        discarded-dir /var/lib/hadisk;\n"
"    }\n"
"    on alpha {\n"
"        node-id 7;\n"
"        address 10.99.0.1:7789;\n"
"        disk /dev/ram0;\n"
"        minor 0;\n"
"        meta-disk internal;\n"
"    }\n"
"    on beta {\n"
"        node-id 3;\n"
"        address 10.99.0.2:7790;\n"
"        disk \"/dev/disk/by-id/a b\";\n"
"        minor 5;\n"
"        meta-disk /dev/sdz1;\n"
"    }\n"
"}\n";
	static const char v6[] =
"resource r1 {\n"
"  on alpha { address [fd00::1]:7789; disk /dev/ram0; minor 0; meta-disk none; }\n"
"  on beta { address [fd00::2]:7789; disk /dev/ram1; minor 1; }\n"
"}\n"
"resource r0 {\n" ALPHA_OK BETA_OK "}\n";
	static const char defaults[] = "resource r0 {\n" ALPHA_OK BETA_OK "}\n";
	unsigned int k;
	char name[80];

	put("config", "full", full, strlen(full));
	put("config", "ipv6-two-resources", v6, strlen(v6));
	put("config", "defaults", defaults, strlen(defaults));
	for (k = 0; k < sizeof(conf_cases) / sizeof(conf_cases[0]); k++) {
		snprintf(name, sizeof(name), "bad-%s", conf_cases[k].name);
		put("config", name, conf_cases[k].text,
		    strlen(conf_cases[k].text));
	}
}

static void gen_dconf(void)
{
	static const char good[] =
"# hadiskd of alpha\n"
"daemon {\n"
"    node alpha;\n"
"    peer beta;\n"
"    heartbeat-interval 200ms;\n"
"    heartbeat-timeout 3s;\n"
"    path 10.0.0.1:7790 10.0.0.2:7790;\n"
"    path 10.1.0.1:7790 10.1.0.2:7790;   # a second network\n"
"    witness 10.2.0.3:7791;\n"
"    witness-lease 2s;\n"
"    socket /run/hd.sock;\n"
"    hook-timeout 10s;\n"
"}\n"
"resource r0 {\n"
"    policy automatic;\n"
"    fencing kernel;\n"
"    start-hook \"/usr/local/sbin/r0 start\";\n"
"    stop-hook /usr/local/sbin/r0-stop;\n"
"    service-ip 10.0.0.100/24 eth0;\n"
"}\n"
"resource r1 { }\n";
	static const char minimal[] =
"daemon { node a; peer b; path 1.2.3.4:1 1.2.3.5:1; }\n"
"resource r0 { policy manual; }\n";
	static const char v6[] =
"daemon {\n node alpha; peer beta;\n path [fd00::1]:7790 [fd00::2]:7790;\n"
" key-file /etc/hadisk/hb.key;\n}\n"
"resource r0 { policy automatic; hook-timeout 5s; }\n";

	put("dconf", "good", good, strlen(good));
	put("dconf", "minimal", minimal, strlen(minimal));
	put("dconf", "ipv6-key", v6, strlen(v6));
}

/* Status: the attributes of a GET_STATUS reply, as the kernel puts them */

static char nbuf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *msg(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nbuf);
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->cmd = HADISK_CMD_GET_STATUS;
	return nlh;
}

static void put64(struct nlmsghdr *nlh, uint16_t type, uint64_t v)
{
	mnl_attr_put(nlh, HADISK_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static void put_msg(const char *name, struct nlmsghdr *nlh)
{
	size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;

	put("status", name, (char *)nlh + hdr, nlh->nlmsg_len - hdr);
}

static void gen_status(void)
{
	struct nlmsghdr *nlh;

	nlh = msg();
	mnl_attr_put_strz(nlh, HADISK_A_RESOURCE, "r0");
	put_msg("resource-only", nlh);

	nlh = msg();
	mnl_attr_put_strz(nlh, HADISK_A_RESOURCE, "r0");
	mnl_attr_put_u32(nlh, HADISK_A_NODE_ID, 0);
	mnl_attr_put_u32(nlh, HADISK_A_PEER_NODE_ID, 1);
	mnl_attr_put_strz(nlh, HADISK_A_NODE_NAME, "alpha");
	mnl_attr_put_strz(nlh, HADISK_A_PEER_NODE_NAME, "beta");
	mnl_attr_put_u32(nlh, HADISK_A_MINOR, 0);
	mnl_attr_put_strz(nlh, HADISK_A_BACKING_DEV, "/dev/ram0");
	mnl_attr_put_u8(nlh, HADISK_A_PROTOCOL, HADISK_PROT_C);
	mnl_attr_put_u8(nlh, HADISK_A_ROLE, HADISK_ROLE_PRIMARY);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_ROLE, HADISK_ROLE_SECONDARY);
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, HADISK_CONN_SYNC_SOURCE);
	mnl_attr_put_u8(nlh, HADISK_A_DISK_STATE, HADISK_DISK_UPTODATE);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_DISK_STATE,
			HADISK_DISK_INCONSISTENT);
	put64(nlh, HADISK_A_SIZE_BYTES, 268435456);
	mnl_attr_put_u32(nlh, HADISK_A_OPEN_COUNT, 1);
	put64(nlh, HADISK_A_BYTES_SENT, 123456789);
	put64(nlh, HADISK_A_BYTES_RECEIVED, 4242);
	mnl_attr_put_u32(nlh, HADISK_A_WRITES_PENDING, 3);
	mnl_attr_put_u32(nlh, HADISK_A_WRITES_UNACKED, 2);
	put64(nlh, HADISK_A_OOS_BYTES, 1 << 20);
	put64(nlh, HADISK_A_RESYNC_TOTAL_BYTES, 268435456);
	put64(nlh, HADISK_A_RESYNC_DONE_BYTES, 100 << 20);
	put64(nlh, HADISK_A_RESYNC_RATE_BPS, 50 << 20);
	put64(nlh, HADISK_A_RESYNC_LIMIT_BPS, 100 << 20);
	put64(nlh, HADISK_A_CURRENT_UUID, 0x0123456789abcdefull);
	put64(nlh, HADISK_A_BITMAP_UUID, 0xfedcba9876543210ull);
	mnl_attr_put_strz(nlh, HADISK_A_META_DEV, "internal");
	mnl_attr_put_u32(nlh, HADISK_A_MD_FLAGS, 0x23);
	mnl_attr_put_u32(nlh, HADISK_A_AL_ACTIVE, 4);
	put64(nlh, HADISK_A_AL_WRITES, 17);
	mnl_attr_put_u8(nlh, HADISK_A_VERIFY_RUNNING, 1);
	put64(nlh, HADISK_A_VERIFY_TOTAL_BYTES, 268435456);
	put64(nlh, HADISK_A_VERIFY_DONE_BYTES, 1 << 20);
	put64(nlh, HADISK_A_VERIFY_OOS_BYTES, 4096);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_0PRI, 1);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_1PRI, 6);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_2PRI, 0);
	mnl_attr_put_u32(nlh, HADISK_A_DISCARD_NODE_ID, 1);
	mnl_attr_put_u8(nlh, HADISK_A_FENCING, 1);
	mnl_attr_put_u8(nlh, HADISK_A_IO_FROZEN, 1);
	mnl_attr_put_u8(nlh, HADISK_A_PEER_FENCED, 0);
	mnl_attr_put_strz(nlh, HADISK_A_LAST_SAVE,
			  "/var/lib/hadisk/r0-alpha-1700000000.hdsave");
	mnl_attr_put_strz(nlh, HADISK_A_LAST_ERROR,
			  "peer refused: \"quoted\"\ttab\x01");
	put_msg("full-sync-source", nlh);

	nlh = msg();
	mnl_attr_put_strz(nlh, HADISK_A_EVENT, "resync-done");
	mnl_attr_put_strz(nlh, HADISK_A_RESOURCE, "r0");
	mnl_attr_put_u8(nlh, HADISK_A_ROLE, 7);		/* unknown values */
	mnl_attr_put_u8(nlh, HADISK_A_CONN_STATE, 200);
	mnl_attr_put_u8(nlh, HADISK_A_DISK_STATE, 9);
	mnl_attr_put_u8(nlh, HADISK_A_FENCING, 99);
	mnl_attr_put_u8(nlh, HADISK_A_AFTER_SB_1PRI, 250);
	mnl_attr_put_u32(nlh, 200, 1);			/* unknown attribute */
	put_msg("event-unknown-values", nlh);
}

/* Save files: flags byte 0 (the file as it is) */

static void gen_sbsave(void)
{
	struct hd_sbsave_writer w;
	struct hd_sbsave_info i;
	unsigned char block[HD_SBSAVE_BLOCK], *file;
	char err[256];
	off_t n;
	int fd, k;

	for (k = 0; k < 2; k++) {
		memset(&i, 0, sizeof(i));
		i.count = k;
		i.time = 1700000000;
		i.current_uuid = 0x1234;
		i.peer_current_uuid = 0x5678;
		i.data_blocks = 65536;
		strcpy(i.resource, "r0");
		strcpy(i.node, "alpha");
		strcpy(i.peer, "beta");
		strcpy(i.backing, "/dev/ram0");
		fd = memfd_create("seed", 0);
		if (hd_sbsave_write_begin(&w, fd, &i, err, sizeof(err)))
			exit(1);
		if (k) {
			memset(block, 0xa5, sizeof(block));
			if (hd_sbsave_write_block(&w, 42, block, err,
						  sizeof(err)))
				exit(1);
		}
		if (hd_sbsave_write_end(&w, err, sizeof(err))) {
			fprintf(stderr, "sbsave: %s\n", err);
			exit(1);
		}
		hd_sbsave_write_free(&w);
		n = lseek(fd, 0, SEEK_END);
		file = malloc(n + 1);
		file[0] = 0;
		if (pread(fd, file + 1, n, 0) != n)
			exit(1);
		put("sbsave", k ? "one-block" : "empty", file, n + 1);
		/* the header and the record's head, the harness fills in */
		if (k) {
			file[0] = 6;
			memcpy(file + 1 + 512 + 16, block, 16);
			put("sbsave", "one-block-heads", file,
			    1 + 512 + 32);
		}
		free(file);
		close(fd);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_corpus DIR\n");
		return 1;
	}
	dir = argv[1];
	mkdir(dir, 0755);
	gen_wire();
	gen_meta();
	gen_config();
	gen_dconf();
	gen_status();
	gen_sbsave();
	return 0;
}
