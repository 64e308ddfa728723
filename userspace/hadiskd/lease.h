/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The active token's lease, as the witness keeps it, and as a node
 * believes it. Pure logic on explicit times (milliseconds of one
 * monotonic clock), so the unit tests can play with time.
 *
 * The rule (Documentation/hadiskd.md, "The active token"):
 *  - the witness grants a resource's lease to at most one node at a time;
 *    the holder renews it (every heartbeat-interval) and keeps it; another
 *    node gets it only once the lease expired (now >= expires) or the
 *    holder released it;
 *  - a node believes it holds the token until the time it *sent* the
 *    granted request plus half the lease: earlier than the witness's own
 *    expiry, which started later (at receipt), by at least half a lease.
 *    So the old holder stops believing (and, isolated, starts demoting)
 *    before anyone else can be granted.
 */
#ifndef HADISKD_LEASE_H
#define HADISKD_LEASE_H

#include <stdbool.h>
#include <stdint.h>

#define HD_LEASE_MAX	16		/* resources a witness tracks */
#define HD_LEASE_NAME	33

struct hd_lease {
	char res[HD_LEASE_NAME];	/* "" for a free slot */
	char holder[HD_LEASE_NAME];
	uint64_t expires_ms;
};

struct hd_lease_table {
	struct hd_lease v[HD_LEASE_MAX];
};

enum hd_lease_verdict {
	HD_LEASE_GRANTED,	/* new or renewed: *left = lease_ms */
	HD_LEASE_DENIED,	/* held by *holder for *left ms more */
	HD_LEASE_FULL,		/* no slot for another resource */
};

/*
 * node asks for res's lease for lease_ms at now. On DENIED, holder points
 * at the holder's name (inside t).
 */
enum hd_lease_verdict hd_lease_acquire(struct hd_lease_table *t,
				       const char *res, const char *node,
				       uint32_t lease_ms, uint64_t now,
				       const char **holder, uint32_t *left);

/* node gives res's lease back; false if it did not hold it. */
bool hd_lease_release(struct hd_lease_table *t, const char *res,
		      const char *node, uint64_t now);

/* The node's side: until when it may believe it holds the token. */
uint64_t hd_lease_local_until(uint64_t sent_ms, uint32_t lease_ms);

#endif /* HADISKD_LEASE_H */
