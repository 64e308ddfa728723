// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the wire codec and handshake checks (kernel/wire.c). */
#include "unit.h"
#include "wire.h"
#include "uapi/linux/hadisk.h"

static struct hd_hello_info base(void)
{
	struct hd_hello_info i = {
		.version_min = HD_WIRE_VERSION_MIN,
		.version_max = HD_WIRE_VERSION,
		.sock_type = HD_SOCK_DATA,
		.session = 0x1122334455667788ull,
		.node_id = 0, .peer_node_id = 1,
		.size_sectors = 524288,
		.current_uuid = 0xabcdef, .bitmap_uuid = 7,
		.history_uuid = { 1, 2 },
		.role = HADISK_ROLE_SECONDARY,
		.disk_state = HADISK_DISK_UPTODATE,
		.protocol = HADISK_PROT_C,
		.resource = "r0",
	};
	return i;
}

static struct hd_hello_info mirror(struct hd_hello_info i)
{
	i.node_id = 1;
	i.peer_node_id = 0;
	return i;
}

static void test_hdr_roundtrip(void)
{
	struct hd_hdr h;
	unsigned int type;
	u32 len;
	const char *why = NULL;

	hd_hdr_encode(&h, HD_P_WRITE_ACK, sizeof(struct hd_ack));
	CHECK_EQ(hd_hdr_decode(&h, &type, &len, &why), 0);
	CHECK_EQ(type, HD_P_WRITE_ACK);
	CHECK(hd_packet_on_meta(type));
	hd_hdr_encode(&h, HD_P_WRITE_ACK, 3);
	CHECK(hd_hdr_decode(&h, &type, &len, &why) < 0);
	CHECK_CONTAINS(why, "length");
	hd_hdr_encode(&h, 99, 0);
	CHECK(hd_hdr_decode(&h, &type, &len, &why) < 0);
	hd_hdr_encode(&h, HD_P_DATA, sizeof(struct hd_data) + HD_MAX_PAYLOAD + 1);
	CHECK(hd_hdr_decode(&h, &type, &len, &why) < 0);
	hd_hdr_encode(&h, HD_P_DATA, sizeof(struct hd_data) + 4096);
	CHECK_EQ(hd_hdr_decode(&h, &type, &len, &why), 0);
	h.magic = 0;
	CHECK(hd_hdr_decode(&h, &type, &len, &why) < 0);
	CHECK_CONTAINS(why, "magic");
}

static void test_hello_roundtrip(void)
{
	struct hd_hello w;
	struct hd_hello_info in = base(), out;
	const char *why = NULL;

	hd_hello_encode(&w, &in);
	CHECK_EQ(hd_hello_decode(&w, sizeof(w), &out, &why), 0);
	CHECK_EQ(out.session, in.session);
	CHECK_EQ(out.size_sectors, in.size_sectors);
	CHECK_EQ(out.current_uuid, in.current_uuid);
	CHECK_EQ(out.history_uuid[1], 2);
	CHECK_STR(out.resource, "r0");
	CHECK(hd_hello_decode(&w, sizeof(w) - 1, &out, &why) < 0);
	w.resource[0] = 0;
	CHECK(hd_hello_decode(&w, sizeof(w), &out, &why) < 0);
	hd_hello_encode(&w, &in);
	memset(w.resource, 'x', sizeof(w.resource));
	CHECK(hd_hello_decode(&w, sizeof(w), &out, &why) < 0);
	hd_hello_encode(&w, &in);
	w.protocol = 9;
	CHECK(hd_hello_decode(&w, sizeof(w), &out, &why) < 0);
}

static void test_hello_check(void)
{
	struct hd_hello_info a = base(), b = mirror(base());
	char why[256];

	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)), 0);
	b.version_min = b.version_max = HD_WIRE_VERSION + 1;
	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)), HD_REFUSE_VERSION);
	CHECK_CONTAINS(why, "protocol versions");
	b = mirror(base());
	strcpy(b.resource, "r1");
	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)), HD_REFUSE_RESOURCE);
	CHECK_CONTAINS(why, "'r1'");
	b = mirror(base());
	b.node_id = 5;
	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)), HD_REFUSE_NODE_ID);
	b = mirror(base());
	b.protocol = HADISK_PROT_A;
	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)), HD_REFUSE_PROTOCOL);
	CHECK_CONTAINS(why, "protocol A");
	b = mirror(base());
	b.size_sectors--;
	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)), HD_REFUSE_SIZE);
	CHECK_CONTAINS(why, "give node 1 a device as large as node 0's");
	b = mirror(base());
	a.role = b.role = HADISK_ROLE_PRIMARY;
	CHECK_EQ(hd_hello_check(&a, &b, why, sizeof(why)),
		 HD_REFUSE_BOTH_PRIMARY);
}

/* Version 2: the split-brain fields travel; older peers are named. */
static void test_hello_v2(void)
{
	struct hd_hello_info a = base(), b, c;
	struct hd_hello w;
	struct hd_hdr h;
	unsigned int type;
	u32 len;
	const char *why = NULL;
	char buf[256];

	a.changes = 0x123456789ull;
	a.after_sb[0] = HADISK_SB_DISCARD_NODE;
	a.after_sb[1] = HADISK_SB_CONSENSUS;
	a.after_sb[2] = HADISK_SB_CALL_PRI_LOST;
	a.fencing = HADISK_FENCING_RESOURCE_ONLY;
	a.discard_node = 1;
	a.flags = HD_HELLO_F_PRI_AT_SPLIT | HD_HELLO_F_DISCARD_MY_DATA;
	hd_hello_encode(&w, &a);
	CHECK_EQ(hd_hello_decode(&w, sizeof(w), &b, &why), 0);
	CHECK_EQ(b.changes, a.changes);
	CHECK_EQ(b.after_sb[0], HADISK_SB_DISCARD_NODE);
	CHECK_EQ(b.after_sb[2], HADISK_SB_CALL_PRI_LOST);
	CHECK_EQ(b.fencing, HADISK_FENCING_RESOURCE_ONLY);
	CHECK_EQ(b.discard_node, 1);
	CHECK_EQ(b.flags, a.flags);

	/* a version-1 HELLO (144 bytes): decoded far enough to refuse */
	w.version_min = cpu_to_be16(1);
	w.version_max = cpu_to_be16(1);
	hd_hdr_encode(&h, HD_P_HELLO, 144);
	CHECK_EQ(hd_hdr_decode(&h, &type, &len, &why), 0);
	CHECK_EQ(hd_hello_decode(&w, 144, &c, &why), 0);
	c.node_id = 1;
	CHECK_EQ(hd_hello_check(&a, &c, buf, sizeof(buf)), HD_REFUSE_VERSION);
	CHECK_CONTAINS(buf, "versions 1..1");
	/* a current version must be whole */
	hd_hello_encode(&w, &a);
	CHECK(hd_hello_decode(&w, 144, &c, &why) != 0);
	/* out-of-range policy */
	w.after_sb[1] = 200;
	CHECK(hd_hello_decode(&w, sizeof(w), &c, &why) != 0);
	CHECK_CONTAINS(why, "policy");

	/* differing policies are refused */
	b = mirror(a);
	b.after_sb[0] = HADISK_SB_DISCARD_LEAST_CHANGES;
	CHECK_EQ(hd_hello_check(&a, &b, buf, sizeof(buf)), HD_REFUSE_POLICY);
	CHECK_CONTAINS(buf, "discard-least-changes");
	b = mirror(a);
	b.discard_node = 0;
	CHECK_EQ(hd_hello_check(&a, &b, buf, sizeof(buf)), HD_REFUSE_POLICY);
	b = mirror(a);
	CHECK_EQ(hd_hello_check(&a, &b, buf, sizeof(buf)), 0);
}

static void test_data_decode(void)
{
	struct hd_data d = {
		.id = cpu_to_be64(7), .sector = cpu_to_be64(8),
		.size = cpu_to_be32(4096), .flags = cpu_to_be32(HD_DF_FUA),
	};
	u64 id, sector;
	u32 size, flags;
	const char *why = NULL;

	CHECK_EQ(hd_data_decode(&d, &id, &sector, &size, &flags, 16, &why), 0);
	CHECK_EQ(id, 7);
	CHECK_EQ(flags, HD_DF_FUA);
	CHECK(hd_data_decode(&d, &id, &sector, &size, &flags, 15, &why) < 0);
	CHECK_CONTAINS(why, "beyond");
	d.sector = cpu_to_be64(~0ull);
	CHECK(hd_data_decode(&d, &id, &sector, &size, &flags, 16, &why) < 0);
	d.sector = 0;
	d.size = cpu_to_be32(100);
	CHECK(hd_data_decode(&d, &id, &sector, &size, &flags, 16, &why) < 0);
	d.size = cpu_to_be32(512);
	d.flags = cpu_to_be32(0x8000);
	CHECK(hd_data_decode(&d, &id, &sector, &size, &flags, 16, &why) < 0);
}

static void test_refuse_roundtrip(void)
{
	struct hd_refuse r;
	unsigned int code;
	char text[16];

	hd_refuse_encode(&r, HD_REFUSE_SIZE, "a long reason that is cut");
	hd_refuse_decode(&r, &code, text, sizeof(text));
	CHECK_EQ(code, HD_REFUSE_SIZE);
	CHECK_STR(text, "a long reason t");
}

int main(void)
{
	RUN(test_hdr_roundtrip);
	RUN(test_hello_roundtrip);
	RUN(test_hello_check);
	RUN(test_hello_v2);
	RUN(test_data_decode);
	RUN(test_refuse_roundtrip);
	return unit_exit();
}
