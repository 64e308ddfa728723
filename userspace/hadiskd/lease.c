// SPDX-License-Identifier: GPL-2.0
/*
 * The active token's lease rules, see lease.h. Pure logic.
 */
#include <string.h>

#include "lease.h"
#include "util.h"

static struct hd_lease *find(struct hd_lease_table *t, const char *res)
{
	unsigned int i;

	for (i = 0; i < HD_LEASE_MAX; i++)
		if (t->v[i].res[0] && !strcmp(t->v[i].res, res))
			return &t->v[i];
	return NULL;
}

enum hd_lease_verdict hd_lease_acquire(struct hd_lease_table *t,
				       const char *res, const char *node,
				       uint32_t lease_ms, uint64_t now,
				       const char **holder, uint32_t *left)
{
	struct hd_lease *l = find(t, res);
	unsigned int i;

	if (!l) {
		for (i = 0; i < HD_LEASE_MAX && !l; i++)
			if (!t->v[i].res[0])
				l = &t->v[i];
		if (!l)
			return HD_LEASE_FULL;
		hd_strlcpy(l->res, res, sizeof(l->res));
		l->holder[0] = '\0';
		l->expires_ms = 0;
	}
	if (l->holder[0] && strcmp(l->holder, node) && now < l->expires_ms) {
		*holder = l->holder;
		*left = (uint32_t)(l->expires_ms - now);
		return HD_LEASE_DENIED;
	}
	hd_strlcpy(l->holder, node, sizeof(l->holder));
	l->expires_ms = now + lease_ms;
	*left = lease_ms;
	return HD_LEASE_GRANTED;
}

bool hd_lease_release(struct hd_lease_table *t, const char *res,
		      const char *node, uint64_t now)
{
	struct hd_lease *l = find(t, res);

	(void)now;
	if (!l || strcmp(l->holder, node))
		return false;
	l->holder[0] = '\0';
	l->expires_ms = 0;
	return true;
}

uint64_t hd_lease_local_until(uint64_t sent_ms, uint32_t lease_ms)
{
	/*
	 * Half the lease (at least 50 ms) less than granted: the holder
	 * stops believing it is active, and an isolated one starts to stop
	 * its services and demote, half a lease before the witness could
	 * grant the token to anyone else.
	 */
	uint32_t margin = lease_ms / 2 < 50 ? 50 : lease_ms / 2;

	if (margin >= lease_ms)
		return sent_ms;
	return sent_ms + lease_ms - margin;
}
