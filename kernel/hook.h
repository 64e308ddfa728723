/* SPDX-License-Identifier: GPL-2.0 */
/* Hook programs run through the usermode helper (see hook.c). */
#ifndef HD_HOOK_H
#define HD_HOOK_H

#include <linux/types.h>

struct hd_resource;

enum hd_hook_kind {
	HD_HOOK_FENCE_PEER,
	HD_HOOK_UNFENCE_PEER,
	HD_HOOK_SPLIT_BRAIN,
	HD_HOOK_PRI_LOST_AFTER_SB,
	HD_HOOK_BEFORE_RESYNC_TARGET,
	HD_HOOK_AFTER_RESYNC_TARGET,
	HD_HOOK_LOCAL_IO_ERROR,
	HD_HOOK_NR,
	HD_HOOK_SAVE = HD_HOOK_NR,	/* the save helper (not configurable) */
};

#define HD_HOOK_TIMEOUT_DEFAULT_MS	60000
#define HD_HOOK_NO_HOOK			(-ENOENT)	/* none configured */

const char *hd_hook_name(enum hd_hook_kind kind);
bool hd_hook_configured(struct hd_resource *res, enum hd_hook_kind kind);

/*
 * Runs the hook of this kind (argv[1] = its name) with the resource's
 * HADISK_* environment plus extra ("NAME=value" strings, NULL-terminated,
 * may be NULL), and waits for it until the resource's hook deadline.
 * Returns its exit code (0..255), HD_HOOK_NO_HOOK when none is configured,
 * -ETIMEDOUT when it was killed at the deadline, or another -errno when
 * it could not run; msg (len bytes) says what happened, for the log.
 * Sleeps: call from a thread that may wait that long, holding no lock.
 */
int hd_hook_run(struct hd_resource *res, enum hd_hook_kind kind,
		const char *const *extra, char *msg, size_t len);

/* Frees the configured paths (resource destruction, reconfiguration). */
void hd_hooks_free(struct hd_resource *res);

#endif /* HD_HOOK_H */
