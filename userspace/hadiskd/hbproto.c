// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and decoding of the hadiskd datagram, see hbproto.h. Pure
 * logic: the unit tests check it byte for byte.
 */
#include <endian.h>
#include <string.h>

#include "crc32c.h"
#include "hbproto.h"
#include "siphash.h"

static void put_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	memset(dst, 0, size);
	memcpy(dst, src, n);
}

static void get_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

void hd_hb_encode(const struct hd_hb_msg *m, const uint8_t *key,
		  uint8_t *buf)
{
	struct hd_hb_wire w;
	unsigned int i, nres = m->nres > HD_HB_MAX_RES ? HD_HB_MAX_RES : m->nres;

	memset(&w, 0, sizeof(w));
	w.magic = htobe32(HD_HB_MAGIC);
	w.version = HD_HB_VERSION;
	w.type = m->type;
	w.nres = nres;
	w.seq = htobe64(m->seq);
	w.tx_us = htobe64(m->tx_us);
	w.echo_us = htobe64(m->echo_us);
	w.echo_delay_us = htobe32(m->echo_delay_us);
	w.req_id = htobe32(m->req_id);
	put_name(w.node, m->node, sizeof(w.node));
	put_name(w.subject, m->subject, sizeof(w.subject));
	w.op = m->op;
	w.lease_ms = htobe32(m->lease_ms);
	put_name(w.text, m->text, sizeof(w.text));
	for (i = 0; i < nres; i++) {
		put_name(w.res[i].name, m->res[i].name, sizeof(w.res[i].name));
		w.res[i].role = m->res[i].role;
		w.res[i].disk = m->res[i].disk;
		w.res[i].flags = m->res[i].flags;
		w.res[i].conn = m->res[i].conn;
	}
	memcpy(buf, &w, sizeof(w));
	if (key) {
		w.mac = htobe64(hd_siphash24(key, buf, HD_HB_MAC_OFF));
		memcpy(buf + HD_HB_MAC_OFF, &w.mac, 8);
	}
	w.crc = htobe32(hd_crc32c_hole(buf, HD_HB_SIZE, HD_HB_CRC_OFF));
	memcpy(buf + HD_HB_CRC_OFF, &w.crc, 4);
}

int hd_hb_decode(const uint8_t *buf, size_t len, const uint8_t *key,
		 struct hd_hb_msg *m, const char **why)
{
	struct hd_hb_wire w;
	unsigned int i;

	/* magic and version first: another version has another size */
	_Static_assert(HD_HB_VERSION == 2, "hbproto.c: update the message");
	if (len >= 5 && buf[0] == 0x48 && buf[1] == 0x44 && buf[2] == 0x48 &&
	    buf[3] == 0x42 && buf[4] != HD_HB_VERSION) {
		*why = "another hadiskd version (this one speaks version 2): run the same hadiskd on every node";
		return -1;
	}
	if (len != HD_HB_SIZE) {
		*why = "wrong size";
		return -1;
	}
	memcpy(&w, buf, sizeof(w));
	if (be32toh(w.magic) != HD_HB_MAGIC) {
		*why = "wrong magic (not a hadiskd datagram)";
		return -1;
	}
	if (be32toh(w.crc) != hd_crc32c_hole(buf, HD_HB_SIZE, HD_HB_CRC_OFF)) {
		*why = "bad checksum";
		return -1;
	}
	if (key && be64toh(w.mac) != hd_siphash24(key, buf, HD_HB_MAC_OFF)) {
		*why = w.mac ? "bad MAC: the sender uses another key" :
			"not authenticated: the sender has no key-file";
		return -1;
	}
	if (w.type < HD_HB_HEARTBEAT || w.type > HD_HB_DENY) {
		*why = "unknown type";
		return -1;
	}
	if (w.nres > HD_HB_MAX_RES) {
		*why = "too many resources";
		return -1;
	}
	memset(m, 0, sizeof(*m));
	m->type = w.type;
	m->nres = w.nres;
	m->seq = be64toh(w.seq);
	m->tx_us = be64toh(w.tx_us);
	m->echo_us = be64toh(w.echo_us);
	m->echo_delay_us = be32toh(w.echo_delay_us);
	m->req_id = be32toh(w.req_id);
	get_name(m->node, w.node, sizeof(w.node));
	get_name(m->subject, w.subject, sizeof(w.subject));
	m->op = w.op;
	m->lease_ms = be32toh(w.lease_ms);
	get_name(m->text, w.text, sizeof(w.text));
	for (i = 0; i < w.nres; i++) {
		get_name(m->res[i].name, w.res[i].name, sizeof(w.res[i].name));
		m->res[i].role = w.res[i].role;
		m->res[i].disk = w.res[i].disk;
		m->res[i].flags = w.res[i].flags;
		m->res[i].conn = w.res[i].conn;
	}
	return 0;
}

const char *hd_hb_type_str(unsigned int type)
{
	static const char *const names[] = {
		"?", "heartbeat", "request", "response", "acquire",
		"release", "grant", "deny",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}
