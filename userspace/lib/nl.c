// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink client of the hadisk family, see nl.h.
 *
 * Errors come back as NLMSG_ERROR messages; with NETLINK_EXT_ACK set they
 * carry NLMSGERR_ATTR_* attributes after the (capped, with
 * NETLINK_CAP_ACK) copy of the request. libmnl's default handler drops
 * those, so this file has its own control message callbacks.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "nl.h"
#include "request.h"
#include "util.h"

/* What a request's callbacks share. */
struct call {
	struct hd_nl *nl;
	hd_nl_msg_cb cb;
	void *data;
};

static int call_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;

	return c->cb ? c->cb(nlh, c->data) : MNL_CB_OK;
}

/* Which attribute of the request an NLMSGERR_ATTR_OFFS offset names. */
static int attr_at(const struct nlmsghdr *req, uint32_t offs)
{
	const struct nlattr *a;

	if (!req || offs < mnl_nlmsg_size(GENL_HDRLEN) ||
	    offs + sizeof(*a) > req->nlmsg_len)
		return -1;
	a = (const struct nlattr *)((const char *)req + offs);
	return a->nla_type & NLA_TYPE_MASK;
}

static int extack_attr_cb(const struct nlattr *a, void *data)
{
	struct hd_nl *nl = data;
	uint16_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case NLMSGERR_ATTR_MSG:
		if (len) {
			size_t n = strnlen(mnl_attr_get_str(a), len);

			if (n >= sizeof(nl->ext_msg))
				n = sizeof(nl->ext_msg) - 1;
			memcpy(nl->ext_msg, mnl_attr_get_str(a), n);
			nl->ext_msg[n] = '\0';
		}
		break;
	case NLMSGERR_ATTR_OFFS:
		if (len >= sizeof(uint32_t))
			nl->ext_attr = attr_at(nl->req, mnl_attr_get_u32(a));
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (len >= sizeof(uint32_t))
			nl->ext_missing = (int)mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static void parse_extack(struct hd_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return;
		off += NLMSG_ALIGN(err->msg.nlmsg_len) -
		       sizeof(struct nlmsghdr);
	}
	if (mnl_nlmsg_size(off) > nlh->nlmsg_len)
		return;
	mnl_attr_parse(nlh, (unsigned int)off, extack_attr_cb, nl);
}

int hd_nl_parse_error(struct hd_nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return -EBADMSG;
	parse_extack(nl, nlh);
	return err->error > 0 ? -err->error : err->error;
}

static int call_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	int err = hd_nl_parse_error(c->nl, nlh);

	if (!err)
		return MNL_CB_STOP;	/* the ACK */
	errno = -err;
	return MNL_CB_ERROR;
}

static int call_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct call *c = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(error))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS &&
	    mnl_nlmsg_size(sizeof(error)) <= nlh->nlmsg_len)
		mnl_attr_parse(nlh, sizeof(error), extack_attr_cb, c->nl);
	if (error < 0) {
		errno = -error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int call_overrun_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	errno = ENOBUFS;
	return MNL_CB_ERROR;
}

static int call_noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

/* not const: libmnl 1.0.4 takes a non-const array */
static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP]	= call_noop_cb,
	[NLMSG_ERROR]	= call_error_cb,
	[NLMSG_DONE]	= call_done_cb,
	[NLMSG_OVERRUN]	= call_overrun_cb,
};

void hd_nl_clear_extack(struct hd_nl *nl)
{
	nl->ext_msg[0] = '\0';
	nl->ext_attr = -1;
	nl->ext_missing = -1;
}

int hd_nl_request(struct hd_nl *nl, struct nlmsghdr *req, hd_nl_msg_cb cb,
		  void *data)
{
	struct call c = { nl, cb, data };
	ssize_t n;
	int ret;

	hd_nl_clear_extack(nl);
	req->nlmsg_seq = ++nl->seq;
	nl->req = req;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		errno = 0;
		ret = mnl_cb_run2(nl->buf, (size_t)n, req->nlmsg_seq,
				  nl->portid, call_data_cb, &c, ctl_cbs,
				  ARRAY_SIZE(ctl_cbs));
		if (ret == MNL_CB_ERROR)
			return errno ? -errno : -EPROTO;
		if (ret == MNL_CB_STOP)
			return 0;
	}
}

/* Family resolution */

struct family_info {
	const char *name;
	uint16_t id;
	uint32_t version;
	uint32_t group;
};

static int mcast_group_cb(const struct nlattr *a, void *data)
{
	const struct nlattr *g;
	struct family_info *fi = data;
	const char *name = NULL;
	uint32_t id = 0;

	mnl_attr_for_each_nested(g, a) {
		switch (mnl_attr_get_type(g)) {
		case CTRL_ATTR_MCAST_GRP_NAME:
			if (!mnl_attr_validate(g, MNL_TYPE_NUL_STRING))
				name = mnl_attr_get_str(g);
			break;
		case CTRL_ATTR_MCAST_GRP_ID:
			if (!mnl_attr_validate(g, MNL_TYPE_U32))
				id = mnl_attr_get_u32(g);
			break;
		}
	}
	if (name && !strcmp(name, HADISK_GENL_MCAST_EVENTS))
		fi->group = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	struct family_info *fi = data;

	switch (mnl_attr_get_type(a)) {
	case CTRL_ATTR_FAMILY_ID:
		if (!mnl_attr_validate(a, MNL_TYPE_U16))
			fi->id = mnl_attr_get_u16(a);
		break;
	case CTRL_ATTR_VERSION:
		if (!mnl_attr_validate(a, MNL_TYPE_U32))
			fi->version = mnl_attr_get_u32(a);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		if (!mnl_attr_validate(a, MNL_TYPE_NESTED))
			mnl_attr_parse_nested(a, mcast_group_cb, fi);
		break;
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, GENL_HDRLEN, family_attr_cb, data);
	return MNL_CB_OK;
}

static int resolve_family(struct hd_nl *nl)
{
	char req_buf[HD_REQ_BUF_SIZE] __attribute__((aligned(8)));
	struct family_info fi = { HADISK_GENL_NAME, 0, 0, 0 };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int ret;

	nlh = mnl_nlmsg_put_header(req_buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, fi.name);
	ret = hd_nl_request(nl, nlh, family_cb, &fi);
	if (ret)
		return ret;
	if (!fi.id)
		return -ENOENT;
	nl->family = fi.id;
	nl->family_version = fi.version;
	nl->events_group = fi.group;
	return 0;
}

int hd_nl_open(struct hd_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, offsetof(struct hd_nl, buf));
	hd_nl_clear_extack(nl);
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock)
		return -errno;
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* both are best effort: older kernels lack them */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	ret = resolve_family(nl);
	if (ret) {
		errno = -ret;
		goto fail;
	}
	return 0;

fail:
	ret = -errno;
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
	return ret;
}

void hd_nl_close(struct hd_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

int hd_nl_subscribe(struct hd_nl *nl)
{
	int rcvbuf = 1024 * 1024;

	if (!nl->events_group)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP,
				  &nl->events_group,
				  sizeof(nl->events_group)) < 0)
		return -errno;
	/* a burst of state changes should not overflow the socket */
	setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
		   &rcvbuf, sizeof(rcvbuf));
	return 0;
}

int hd_nl_wait(struct hd_nl *nl, int timeout_ms, hd_nl_msg_cb cb,
	       void *data)
{
	struct call c = { nl, cb, data };
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl->sock),
			      .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (!ret)
		return 0;
	n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	hd_nl_clear_extack(nl);
	nl->req = NULL;
	errno = 0;
	ret = mnl_cb_run2(nl->buf, (size_t)n, 0, 0, call_data_cb, &c,
			  ctl_cbs, ARRAY_SIZE(ctl_cbs));
	if (ret == MNL_CB_ERROR)
		return errno ? -errno : -EPROTO;
	return ret == MNL_CB_STOP ? 2 : 1;
}

int hd_nl_fd(const struct hd_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}
