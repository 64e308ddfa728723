// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the wire protocol decoder (kernel/wire.c, built in
 * userspace as the unit tests build it) fed a stream of packets as the
 * receiver reads them from a peer: each 16-byte header through
 * hd_hdr_decode(), then its body through the decoder of its type:
 *
 *   HELLO      hd_hello_decode(), then hd_hello_check() against a local
 *              node, both ways; two HELLOs of the stream that agree on
 *              their policies also go through hd_sb_resolve() both ways,
 *              whose results must mirror each other
 *   REFUSE     hd_refuse_decode() into buffers of several sizes
 *   DATA, RS_DATA  hd_data_decode(); an accepted write must lie within
 *              the device
 *   BITMAP     the runs applied to a bitmap as hd_recv_bitmap() does
 *              (kernel/resync.c), with kernel/bitmap.c
 *   CSUM_REQ   the checks of hd_recv_csum_req() (kernel/verify.c); an
 *              accepted request must not index past its digests
 *
 * Two HELLOs of the stream also go through hd_sync_decide()
 * (kernel/state.c) both ways, whose decisions must mirror each other (one
 * source, one target). corpus/wire/gen-hello-uuids-crossed holds the
 * crafted identifiers (each node's bitmap id the other's current id) that
 * once made both nodes sources; HD_FUZZ_SYNC_SYMMETRY=0 turns the check
 * off.
 *
 * Any sanitizer report or a broken invariant (abort) is a finding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "bitmap.h"
#include "sbpolicy.h"
#include "state.h"
#include "uapi/linux/hadisk.h"

#define DEV_SECTORS	(256ull * 2048)		/* a 256 MiB device */
#define BM_BITS		(DEV_SECTORS / 8)

static unsigned long bm[(BM_BITS + 63) / 64];

static void local_info(struct hd_hello_info *l)
{
	memset(l, 0, sizeof(*l));
	l->version_min = HD_WIRE_VERSION_MIN;
	l->version_max = HD_WIRE_VERSION;
	l->sock_type = HD_SOCK_DATA;
	l->node_id = 0;
	l->peer_node_id = 1;
	l->size_sectors = DEV_SECTORS;
	l->role = HADISK_ROLE_SECONDARY;
	l->disk_state = HADISK_DISK_UPTODATE;
	l->protocol = HADISK_PROT_C;
	strcpy(l->resource, "r0");
}

static enum hd_sb_result mirror(enum hd_sb_result r)
{
	switch (r) {
	case HD_SB_ME_VICTIM:
		return HD_SB_PEER_VICTIM;
	case HD_SB_PEER_VICTIM:
		return HD_SB_ME_VICTIM;
	case HD_SB_ME_PRI_LOST:
		return HD_SB_PEER_PRI_LOST;
	case HD_SB_PEER_PRI_LOST:
		return HD_SB_ME_PRI_LOST;
	default:
		return r;
	}
}

static void side(struct hd_sb_side *s, const struct hd_hello_info *h)
{
	memset(s, 0, sizeof(*s));
	s->role = h->role;
	s->changes = h->changes;
	s->pri_at_split = h->flags & HD_HELLO_F_PRI_AT_SPLIT;
	s->discard_my_data = h->flags & HD_HELLO_F_DISCARD_MY_DATA;
	s->node_id = h->node_id;
}

static void uuids(struct hd_uuids *u, const struct hd_hello_info *h)
{
	memset(u, 0, sizeof(*u));
	u->cur = h->current_uuid;
	u->bitmap = h->bitmap_uuid;
	u->history[0] = h->history_uuid[0];
	u->history[1] = h->history_uuid[1];
	u->crashed = h->flags & HD_HELLO_F_CRASHED_PRIMARY;
}

static enum hd_sync_decision sync_mirror(enum hd_sync_decision d)
{
	switch (d) {
	case HD_SYNC_SOURCE_BITMAP:
		return HD_SYNC_TARGET_BITMAP;
	case HD_SYNC_SOURCE_FULL:
		return HD_SYNC_TARGET_FULL;
	case HD_SYNC_TARGET_BITMAP:
		return HD_SYNC_SOURCE_BITMAP;
	case HD_SYNC_TARGET_FULL:
		return HD_SYNC_SOURCE_FULL;
	default:
		return d;
	}
}

/* Both nodes decide the sync direction from the same two HELLOs. */
static void sync_symmetry(const struct hd_hello_info *a,
			  const struct hd_hello_info *b)
{
	static int on = -1;
	struct hd_uuids ua, ub;

	if (on < 0)
		on = !getenv("HD_FUZZ_SYNC_SYMMETRY") ||
		     strcmp(getenv("HD_FUZZ_SYNC_SYMMETRY"), "0");
	if (!on)
		return;
	uuids(&ua, a);
	uuids(&ub, b);
	if (hd_sync_decide(&ua, a->disk_state, &ub, b->disk_state) !=
	    sync_mirror(hd_sync_decide(&ub, b->disk_state, &ua,
				       a->disk_state)))
		abort();
}

/* Two HELLOs with the same policies: both nodes must reach mirrored results. */
static void sb_symmetry(const struct hd_hello_info *a,
			const struct hd_hello_info *b)
{
	struct hd_sb_side sa, sb;
	struct hd_sb_policy pol;
	char why[160];
	enum hd_sb_result ra, rb;

	if (memcmp(a->after_sb, b->after_sb, sizeof(a->after_sb)) ||
	    a->discard_node != b->discard_node || a->node_id == b->node_id)
		return;
	side(&sa, a);
	side(&sb, b);
	pol.pri0 = a->after_sb[0];
	pol.pri1 = a->after_sb[1];
	pol.pri2 = a->after_sb[2];
	pol.discard_node = a->discard_node;
	ra = hd_sb_resolve(&sa, &sb, &pol, why, sizeof(why));
	if (strnlen(why, sizeof(why)) == sizeof(why))
		abort();
	rb = hd_sb_resolve(&sb, &sa, &pol, why, sizeof(why));
	if (ra != mirror(rb))
		abort();
}

static void body_hello(const uint8_t *p, u32 len, struct hd_hello_info *seen,
		       int *nseen)
{
	struct hd_hello_info local, peer;
	const char *why = NULL;
	char text[256];
	int r;

	if (hd_hello_decode(p, len, &peer, &why)) {
		if (!why)
			abort();
		return;
	}
	local_info(&local);
	r = hd_hello_check(&local, &peer, text, sizeof(text));
	if (r < 0)
		abort();
	/* and as the local node, with a short message buffer */
	hd_hello_check(&peer, &local, text, 40);
	if (peer.version_max < HD_WIRE_VERSION_MIN ||
	    peer.version_min > HD_WIRE_VERSION)
		return;		/* only its version range is filled in */
	if (*nseen < 2)
		seen[(*nseen)++] = peer;
	if (*nseen == 2) {
		sb_symmetry(&seen[0], &seen[1]);
		sync_symmetry(&seen[0], &seen[1]);
		*nseen = 1;
	}
}

static void body_refuse(const uint8_t *p)
{
	static const size_t sizes[] = { 1, 16, HD_REFUSE_TEXT_LEN,
					HD_REFUSE_TEXT_LEN + 1, 512 };
	char *text;
	unsigned int code, k;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		text = malloc(sizes[k]);
		hd_refuse_decode((const struct hd_refuse *)p, &code, text,
				 sizes[k]);
		if (strlen(text) >= sizes[k])
			abort();
		free(text);
	}
}

static void body_data(const uint8_t *p, u32 len)
{
	u64 id, sector;
	u32 size, flags;
	const char *why = NULL;

	if (hd_data_decode((const struct hd_data *)p, &id, &sector, &size,
			   &flags, DEV_SECTORS, &why)) {
		if (!why)
			abort();
		return;
	}
	if (sector + (size >> 9) > DEV_SECTORS || (size & 511) ||
	    (flags & ~HD_DF_KNOWN))
		abort();
	(void)len;
}

/* As hd_recv_bitmap() in kernel/resync.c. */
static void body_bitmap(const uint8_t *p, u32 len)
{
	const struct hd_bm_run *run = (const void *)p;
	u64 set = 0;
	unsigned int k;

	for (k = 0; k < len / sizeof(*run); k++) {
		u64 first = be64_to_cpu(run[k].start);
		u64 n = be64_to_cpu(run[k].len);

		if (!n || first >= BM_BITS)
			continue;
		n = n < BM_BITS - first ? n : BM_BITS - first;
		set += hd_bm_set(bm, first, first + n - 1);
	}
	if (set > BM_BITS || hd_bm_count(bm, BM_BITS) > BM_BITS)
		abort();
}

/* As hd_recv_csum_req() in kernel/verify.c. */
static void body_csum_req(const uint8_t *p)
{
	struct hd_csum_req c;
	u64 sector;
	u32 size, nb, k, mask = 0;

	memcpy(&c, p, sizeof(c));
	sector = be64_to_cpu(c.sector);
	size = be32_to_cpu(c.size);
	nb = be32_to_cpu(c.nblocks);
	if (!nb || nb > HD_CSUM_MAX_BLOCKS || !size || size & 511 ||
	    size > nb * HD_BM_BLOCK_SIZE || sector % HD_BM_SECT_PER_BLOCK ||
	    sector > DEV_SECTORS || (size >> 9) > DEV_SECTORS - sector)
		return;
	if ((size + HD_BM_BLOCK_SIZE - 1) / HD_BM_BLOCK_SIZE > nb)
		abort();
	for (k = 0; k < (size + HD_BM_BLOCK_SIZE - 1) / HD_BM_BLOCK_SIZE; k++)
		if (c.digest[k] != 0)
			mask |= 1u << k;
	(void)mask;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_hello_info seen[2];
	int nseen = 0;
	size_t off = 0;

	memset(bm, 0, sizeof(bm));
	while (size - off >= sizeof(struct hd_hdr)) {
		struct hd_hdr h;
		unsigned int type = 0;
		u32 len = 0, blen;
		const char *why = NULL;
		uint8_t *body;

		memcpy(&h, data + off, sizeof(h));
		off += sizeof(h);
		if (hd_hdr_decode(&h, &type, &len, &why)) {
			if (!why)
				abort();
			break;
		}
		if (len < hd_packet_body_len(type) && type != HD_P_HELLO)
			abort();	/* a decoder would read past the body */
		if (type == HD_P_HELLO && len > sizeof(struct hd_hello))
			abort();
		hd_packet_on_meta(type);
		if (size - off < len)
			break;
		/* the payload of a write is not decoded: only its head */
		blen = len;
		if (type == HD_P_DATA || type == HD_P_RS_DATA)
			blen = sizeof(struct hd_data);
		/* exactly blen bytes, so that ASan sees any read past them */
		body = malloc(blen ? blen : 1);
		memcpy(body, data + off, blen);
		off += len;
		switch (type) {
		case HD_P_HELLO:
			body_hello(body, len, seen, &nseen);
			break;
		case HD_P_REFUSE:
			body_refuse(body);
			break;
		case HD_P_DATA:
		case HD_P_RS_DATA:
			body_data(body, len);
			break;
		case HD_P_BITMAP:
			body_bitmap(body, len);
			break;
		case HD_P_CSUM_REQ:
			body_csum_req(body);
			break;
		}
		free(body);
	}
	return 0;
}
