// SPDX-License-Identifier: GPL-2.0
/*
 * The RCU-shared cluster view, see view.h for the locking rules.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu.h>

#include "view.h"

struct view_box {
	struct rcu_head rcu;
	struct hd_view v;
};

static struct view_box *current;		/* RCU-protected */
static pthread_mutex_t view_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t hd_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int hd_view_init(const struct hd_dconf *c, uint64_t now_us)
{
	struct view_box *b = calloc(1, sizeof(*b));
	unsigned int i;

	if (!b)
		return -1;
	b->v.started_us = now_us;
	b->v.npaths = c->npaths;
	b->v.nres = c->nres;
	for (i = 0; i < c->nres; i++) {
		memcpy(b->v.res[i].name, c->res[i].name,
		       sizeof(b->v.res[i].name));
		b->v.res[i].kfencing = -1;
	}
	rcu_assign_pointer(current, b);
	return 0;
}

void hd_view_get(struct hd_view *out)
{
	struct view_box *b;

	rcu_read_lock();
	b = rcu_dereference(current);
	*out = b->v;
	rcu_read_unlock();
}

static void free_box(struct rcu_head *head)
{
	free(caa_container_of(head, struct view_box, rcu));
}

void hd_view_update(void (*fn)(struct hd_view *v, void *arg), void *arg)
{
	struct view_box *old, *b = malloc(sizeof(*b));

	if (!b)
		abort();	/* a few KiB: nothing sensible to do without */
	pthread_mutex_lock(&view_lock);
	old = current;		/* writers are serialized by view_lock */
	b->v = old->v;
	fn(&b->v, arg);
	b->v.version++;
	rcu_assign_pointer(current, b);
	pthread_mutex_unlock(&view_lock);
	call_rcu(&old->rcu, free_box);
}

void hd_view_exit(void)
{
	rcu_barrier();
	free(current);
	current = NULL;
}

int hd_view_res(const struct hd_view *v, const char *name)
{
	unsigned int i;

	for (i = 0; i < v->nres; i++)
		if (!strcmp(v->res[i].name, name))
			return (int)i;
	return -1;
}
