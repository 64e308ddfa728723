// SPDX-License-Identifier: GPL-2.0
/*
 * The activity log: the set of "hot" 4 MiB extents that writes may be
 * changing, kept durable in the metadata's AL ring (include/hadisk/
 * ondisk.h), so that after a Primary crash only those extents need a
 * resync.
 *
 * Rules:
 *  - A write is sent and submitted only after every extent it touches is
 *    in the on-disk set (hd_al_begin_fast / hd_al_begin_slow).
 *  - It holds a reference on those extents until the request is freed,
 *    i.e. until both the local disk and the peer have it (or the blocks
 *    are marked out of sync).
 *  - An extent with no references may be evicted to make room, but only
 *    after the bitmap pages covering it are on disk.
 *
 * Each transaction lists the whole active set (at most 1000 extents), so
 * the newest valid transaction alone describes it; transactions rotate
 * through the ring's slots so that a torn write leaves the previous one.
 *
 * Locks: al->lock (spinlock, irq-safe: hd_al_end runs in bio completion)
 * guards the set, the references and the LRU list; al->tx_lock (mutex)
 * serializes transactions, which sleep on IO. The fast path takes only
 * al->lock and never sleeps.
 */
#include <linux/slab.h>
#include <linux/hash.h>
#include "actlog.h"
#include "meta.h"

#define AL_HASH_BITS 6

struct hd_al_ext {
	struct hlist_node hash;
	struct list_head lru;		/* head: most recently used */
	u32 nr;
	u32 refs;
};

struct hd_al {
	spinlock_t lock;
	u32 max;
	u32 nr;
	struct hd_al_ext *ext;		/* [max] */
	struct list_head lru;
	struct list_head free;
	struct hlist_head hash[1 << AL_HASH_BITS];
	wait_queue_head_t wq;

	struct mutex tx_lock;
	u64 seq;
	u64 writes;
	u32 *list;			/* [max], transaction scratch */
};

static struct hd_al_ext *al_find(struct hd_al *al, u32 nr)
{
	struct hd_al_ext *e;

	hlist_for_each_entry(e, &al->hash[hash_32(nr, AL_HASH_BITS)], hash)
		if (e->nr == nr)
			return e;
	return NULL;
}

static void extents_of(sector_t sector, u32 size, u32 *first, u32 *last)
{
	*first = sector >> (HD_MD_AL_EXTENT_SHIFT - 9);
	*last = (sector + (size >> 9) - 1) >> (HD_MD_AL_EXTENT_SHIFT - 9);
}

struct hd_al *hd_al_create(u32 max, u64 seq)
{
	struct hd_al *al;
	u32 i;

	al = kzalloc(sizeof(*al), GFP_KERNEL);
	if (!al)
		return NULL;
	al->ext = kcalloc(max, sizeof(*al->ext), GFP_KERNEL);
	al->list = kcalloc(max, sizeof(*al->list), GFP_KERNEL);
	if (!al->ext || !al->list) {
		hd_al_destroy(al);
		return NULL;
	}
	spin_lock_init(&al->lock);
	mutex_init(&al->tx_lock);
	init_waitqueue_head(&al->wq);
	INIT_LIST_HEAD(&al->lru);
	INIT_LIST_HEAD(&al->free);
	for (i = 0; i < max; i++)
		list_add_tail(&al->ext[i].lru, &al->free);
	al->max = max;
	al->seq = seq;
	return al;
}

void hd_al_destroy(struct hd_al *al)
{
	if (!al)
		return;
	kfree(al->list);
	kfree(al->ext);
	kfree(al);
}

/* Take references if every extent is active; never sleeps. */
bool hd_al_begin_fast(struct hd_al *al, sector_t sector, u32 size)
{
	struct hd_al_ext *e;
	unsigned long flags;
	u32 first, last, n;

	if (!size)
		return true;
	extents_of(sector, size, &first, &last);
	spin_lock_irqsave(&al->lock, flags);
	for (n = first; n <= last; n++) {
		if (!al_find(al, n)) {
			spin_unlock_irqrestore(&al->lock, flags);
			return false;
		}
	}
	for (n = first; n <= last; n++) {
		e = al_find(al, n);
		e->refs++;
		list_move(&e->lru, &al->lru);
	}
	spin_unlock_irqrestore(&al->lock, flags);
	return true;
}

/*
 * A slot for a new extent: a free one, or the least recently used idle
 * one (its number goes into *victim). Caller holds al->lock.
 */
static struct hd_al_ext *al_slot(struct hd_al *al, u32 first, u32 last,
				 u32 *victim, bool *evicted)
{
	struct hd_al_ext *e;

	*evicted = false;
	if (!list_empty(&al->free))
		return list_first_entry(&al->free, struct hd_al_ext, lru);
	list_for_each_entry_reverse(e, &al->lru, lru) {
		if (e->refs || (e->nr >= first && e->nr <= last))
			continue;
		*victim = e->nr;
		*evicted = true;
		return e;
	}
	return NULL;
}

static bool al_can_progress(struct hd_al *al)
{
	struct hd_al_ext *e;
	bool ok = !list_empty(&al->free);

	if (ok)
		return true;
	spin_lock_irq(&al->lock);
	list_for_each_entry(e, &al->lru, lru)
		if (!e->refs) {
			ok = true;
			break;
		}
	spin_unlock_irq(&al->lock);
	return ok;
}

/*
 * Make every extent of [sector, sector + size) active, durable, and
 * referenced. Sleeps (transaction IO); not from the submit path.
 */
int hd_al_begin_slow(struct hd_al *al, struct hd_device *dev,
		     sector_t sector, u32 size)
{
	u32 first, last, n, victims[8], nv = 0, i, count;
	struct hd_al_ext *e;
	bool evicted, changed = false;
	int err = 0;

	if (!size)
		return 0;
	extents_of(sector, size, &first, &last);
	mutex_lock(&al->tx_lock);
	for (;;) {
		spin_lock_irq(&al->lock);
		for (n = first; n <= last; n++) {
			u32 victim = 0;

			if (al_find(al, n))
				continue;
			e = al_slot(al, first, last, &victim, &evicted);
			if (!e)
				break;
			if (evicted) {
				hlist_del(&e->hash);
				if (nv < ARRAY_SIZE(victims))
					victims[nv++] = victim;
			} else {
				al->nr++;
			}
			e->nr = n;
			e->refs = 0;
			hlist_add_head(&e->hash,
				       &al->hash[hash_32(n, AL_HASH_BITS)]);
			list_move(&e->lru, &al->lru);
			changed = true;
		}
		if (n > last)
			break;
		spin_unlock_irq(&al->lock);
		/* Every extent is busy: wait for a write to finish. */
		wait_event(al->wq, al_can_progress(al));
	}
	for (n = first; n <= last; n++) {
		e = al_find(al, n);
		e->refs++;
	}
	count = 0;
	list_for_each_entry(e, &al->lru, lru)
		al->list[count++] = e->nr;
	spin_unlock_irq(&al->lock);

	if (changed) {
		/* Evicted extents leave the log only once their bits are safe. */
		for (i = 0; i < nv && !err; i++)
			err = hd_md_flush_bitmap_range(dev,
				(u64)victims[i] << (HD_MD_AL_EXTENT_SHIFT - 12),
				1u << (HD_MD_AL_EXTENT_SHIFT - 12));
		if (!err)
			err = hd_md_write_al(dev, ++al->seq, al->list, count);
		if (!err)
			al->writes++;
	}
	mutex_unlock(&al->tx_lock);
	return err;
}

void hd_al_end(struct hd_al *al, sector_t sector, u32 size)
{
	struct hd_al_ext *e;
	unsigned long flags;
	u32 first, last, n;
	bool wake = false;

	if (!size)
		return;
	extents_of(sector, size, &first, &last);
	spin_lock_irqsave(&al->lock, flags);
	for (n = first; n <= last; n++) {
		e = al_find(al, n);
		if (!WARN_ON_ONCE(!e || !e->refs) && !--e->refs)
			wake = true;
	}
	spin_unlock_irqrestore(&al->lock, flags);
	if (wake && wq_has_sleeper(&al->wq))
		wake_up(&al->wq);
}

/* Empty the set (clean detach): caller made sure no write is in flight. */
int hd_al_clear(struct hd_al *al, struct hd_device *dev)
{
	int err;

	mutex_lock(&al->tx_lock);
	err = hd_md_write_al(dev, ++al->seq, al->list, 0);
	mutex_unlock(&al->tx_lock);
	return err;
}

void hd_al_stats(struct hd_al *al, u32 *active, u64 *writes)
{
	spin_lock_irq(&al->lock);
	*active = al->nr;
	*writes = al->writes;
	spin_unlock_irq(&al->lock);
}
