// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: the netlink reply parser, hd_status_decode()
 * (userspace/lib/status.c), which reads GET_STATUS replies and EVENT
 * messages from the kernel. The fuzz bytes are the attributes of a
 * generic netlink message: a struct nlmsghdr and a struct genlmsghdr are
 * put around them (nlmsg_len as the kernel would set it) in a buffer of
 * exactly that size, rounded up to 4 bytes as libmnl reads. A decoded
 * status is rendered as hadiskctl prints it: text, brief, event line and
 * JSON, whose syntax must be strict; a refused one must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "buf.h"
#include "jsoncheck.h"
#include "status.h"

#define HDRS (NLMSG_HDRLEN + GENL_HDRLEN)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_status *st;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct hd_buf b = { 0 };
	char err[256];
	uint64_t eta;

	if (size > 65536)
		return 0;
	/*
	 * libmnl walks attributes up to the aligned end of the message
	 * (mnl_nlmsg_get_payload_tail()): a receive buffer always has those
	 * up to 3 bytes, so this one has them too, zeroed.
	 */
	nlh = calloc(1, MNL_ALIGN(HDRS + size));
	nlh->nlmsg_len = HDRS + size;
	nlh->nlmsg_type = 0x1d;
	g = (struct genlmsghdr *)((char *)nlh + NLMSG_HDRLEN);
	g->cmd = HADISK_CMD_GET_STATUS;
	g->version = HADISK_GENL_VERSION;
	memcpy((char *)nlh + HDRS, data, size);

	st = malloc(sizeof(*st));
	err[0] = 0;
	if (hd_status_decode(nlh, st, err, sizeof(err))) {
		if (!err[0])
			abort();
	} else {
		hd_status_resyncing(st);
		hd_status_resync_percent(st);
		hd_status_verify_percent(st);
		hd_status_verify_stopped(st);
		hd_status_resync_eta(st, &eta);
		hd_status_text(st, &b);
		hd_buf_reset(&b);
		hd_status_brief(st, &b);
		hd_buf_reset(&b);
		hd_status_event_line(st, &b);
		hd_buf_reset(&b);
		hd_status_json(st, true, &b);
		if (!json_valid(hd_buf_str(&b)))
			abort();
		hd_buf_reset(&b);
		hd_status_json_array(st, 1, &b);
		if (!json_valid(hd_buf_str(&b)))
			abort();
	}
	hd_buf_free(&b);
	free(st);
	free(nlh);
	return 0;
}
