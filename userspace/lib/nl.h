/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic netlink client of the hadisk family, on libmnl: resolves the
 * family and its "events" multicast group, sends a request and waits for
 * its replies and ACK, and keeps the kernel's extended ACK (the message
 * and the attribute it points at) of the last failure.
 *
 * Functions return 0 or a negative errno. hd_nl_open() returns -ENOENT
 * when the kernel has no "hadisk" family: the module is not loaded.
 */
#ifndef HADISK_NL_H
#define HADISK_NL_H

#include <stdint.h>

#include "uapi/linux/hadisk.h"

#define HD_NL_BUF_SIZE 32768

struct mnl_socket;
struct nlmsghdr;

struct hd_nl {
	struct mnl_socket *sock;
	uint16_t family;		/* the family's id */
	uint32_t family_version;	/* the kernel's HADISK_GENL_VERSION */
	uint32_t events_group;		/* multicast group id, 0 if none */
	uint32_t portid;
	uint32_t seq;
	/* extended ACK of the last failed request */
	char ext_msg[HADISK_ERROR_MAX];	/* "" if the kernel said nothing */
	int ext_attr;			/* HADISK_A_* it pointed at, or -1 */
	int ext_missing;		/* a missing HADISK_A_*, or -1 */
	/* the request being answered, for ext_attr */
	const struct nlmsghdr *req;
	char buf[HD_NL_BUF_SIZE] __attribute__((aligned(8)));
};

/*
 * Called for each data message of a reply or an event; returns MNL_CB_OK
 * to go on, MNL_CB_STOP to end the wait, MNL_CB_ERROR (with errno set) to
 * fail it.
 */
typedef int (*hd_nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

int hd_nl_open(struct hd_nl *nl);
void hd_nl_close(struct hd_nl *nl);

/*
 * Sends req (built by request.h) and reads the answer until its ACK or,
 * for a dump, its end; cb (may be NULL) sees each data message.
 */
int hd_nl_request(struct hd_nl *nl, struct nlmsghdr *req, hd_nl_msg_cb cb,
		  void *data);

/* Joins the "events" multicast group. -ENOENT if the family has none. */
int hd_nl_subscribe(struct hd_nl *nl);

/*
 * Waits up to timeout_ms (-1: forever) for messages on a subscribed socket
 * and hands each to cb. Returns 1 when messages were handled, 0 on timeout,
 * -ENOBUFS when the kernel dropped events because the socket's buffer was
 * full (the socket stays usable), or another negative errno. A callback's
 * MNL_CB_STOP gives 2.
 */
int hd_nl_wait(struct hd_nl *nl, int timeout_ms, hd_nl_msg_cb cb,
	       void *data);

/*
 * Reads an NLMSG_ERROR message (an answer to nl->req): fills ext_msg,
 * ext_attr and ext_missing from its extended ACK, and returns the error as
 * a negative errno, 0 for an ACK.
 */
int hd_nl_parse_error(struct hd_nl *nl, const struct nlmsghdr *nlh);

/* Empties ext_msg, ext_attr and ext_missing. */
void hd_nl_clear_extack(struct hd_nl *nl);

/* The socket's file descriptor, for poll(). */
int hd_nl_fd(const struct hd_nl *nl);

#endif /* HADISK_NL_H */
