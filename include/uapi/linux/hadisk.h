/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * hadisk: synchronous block replication between two nodes.
 *
 * Generic netlink interface
 * =========================
 *
 * The family is named HADISK_GENL_NAME ("hadisk"), version
 * HADISK_GENL_VERSION. Every command that changes state needs
 * CAP_NET_ADMIN in the user namespace of the caller's network namespace.
 * Resources live in the network namespace of the process that created them:
 * two nodes of one cluster may run in one kernel, one per namespace. Minors
 * (/dev/hadiskN) are global to the kernel.
 *
 * Every attribute is top level (no nesting) and has a strict policy; unknown
 * attributes are rejected. Every rejection carries an extack message naming
 * the problem and how to fix it, except a missing required attribute, which
 * is reported as such (NLMSGERR_ATTR_MISS_TYPE). A request for a resource
 * that does not exist fails with -ENOENT.
 *
 * HADISK_CMD_NEW_RESOURCE
 *   Create a resource. Needs HADISK_A_RESOURCE (name, 1..63 chars of
 *   [A-Za-z0-9_.-]), HADISK_A_NODE_ID and HADISK_A_PEER_NODE_ID (0..31,
 *   different). Optional HADISK_A_NODE_NAME, HADISK_A_PEER_NODE_NAME.
 *   -EEXIST if a resource of that name exists in this namespace.
 *
 * HADISK_CMD_DEL_RESOURCE
 *   Destroy a resource: HADISK_A_RESOURCE. Refused with -EBUSY while a
 *   backing device is attached or a connection is configured.
 *
 * HADISK_CMD_ATTACH
 *   HADISK_A_RESOURCE, HADISK_A_MINOR (0..1023), HADISK_A_BACKING_DEV (an
 *   absolute path to a block device). Optional HADISK_A_META_DEV:
 *   "internal" (metadata at the end of the backing device) or the path of
 *   a device holding it; without it the resource keeps its bitmap and
 *   generation identifiers in memory only. Optional HADISK_A_AL_EXTENTS
 *   (7..1000, default 257): active-log size in 4 MiB extents. Creates
 *   /dev/hadisk<MINOR> on top of the backing device, which is opened
 *   exclusively. -EBUSY if the minor is taken or the backing device is in
 *   use, -ENOENT / -ENOTBLK if it does not exist or is not a block device,
 *   -EEXIST if the resource has a disk, -EUCLEAN if the metadata is missing
 *   or damaged (bad magic, version or checksum: it is left untouched).
 *
 * HADISK_CMD_DETACH
 *   HADISK_A_RESOURCE. Removes /dev/hadiskN and releases the backing
 *   device. Refused with -EBUSY while /dev/hadiskN is open, while a
 *   connection is configured (disconnect first), or while the resource is
 *   Primary, checked in that order.
 *
 * HADISK_CMD_CONNECT
 *   HADISK_A_RESOURCE, HADISK_A_LOCAL_ADDR, HADISK_A_PEER_ADDR (binary
 *   struct in_addr or struct in6_addr), HADISK_A_LOCAL_PORT,
 *   HADISK_A_PEER_PORT. Optional: HADISK_A_PROTOCOL (HADISK_PROT_*, default
 *   C), HADISK_A_PING_INTERVAL_MS (default 1000), HADISK_A_PING_TIMEOUT_MS
 *   (default 2000), HADISK_A_ACK_TIMEOUT_MS (default 6000: a peer that
 *   acknowledges no write for that long is disconnected),
 *   HADISK_A_CONNECT_INTERVAL_MS (default 1000),
 *   HADISK_A_RESYNC_RATE_MIN_KIB and HADISK_A_RESYNC_RATE_MAX_KIB (KiB/s,
 *   1024..104857600; defaults 32 MiB/s and 1 GiB/s): the resync uses what
 *   application writes leave of the maximum, never less than the minimum.
 *   The kernel then listens,
 *   connects and reconnects by itself, with sockets in the caller's network
 *   namespace, until HADISK_CMD_DISCONNECT.
 *
 * HADISK_CMD_DISCONNECT
 *   HADISK_A_RESOURCE. Drops the connection and stops reconnecting
 *   (StandAlone).
 *
 * HADISK_CMD_PRIMARY
 *   HADISK_A_RESOURCE, optional HADISK_A_FORCE (flag). Refused without a
 *   disk, unless the local disk is UpToDate or HADISK_A_FORCE is given,
 *   while the peer is Primary, and on a SyncTarget (even with FORCE).
 *   With fencing configured, the peer not connected and not known to be
 *   fenced (and no FORCE), the fence-peer hook runs first, in the
 *   background: -EINPROGRESS, then events fence-peer-done and
 *   role-changed (promoted) or fence-peer-failed (not promoted).
 *
 * HADISK_CMD_SECONDARY
 *   HADISK_A_RESOURCE. Refused with -EBUSY while /dev/hadiskN is open.
 *
 * HADISK_CMD_INVALIDATE
 *   HADISK_A_RESOURCE. Declare the local data Inconsistent: it is replaced
 *   by a full sync from the peer (at once if connected). Refused on a
 *   Primary, while a resync runs, and without a disk. Whether an UpToDate
 *   peer exists is not checked: without one the node stays Inconsistent.
 *
 * HADISK_CMD_INVALIDATE_REMOTE
 *   HADISK_A_RESOURCE. Connected only: the peer's data is replaced by a
 *   full sync from this node, which must be UpToDate.
 *
 * HADISK_CMD_NEW_CURRENT_UUID
 *   HADISK_A_RESOURCE, optional HADISK_A_CLEAR_BITMAP (flag). Starts a new
 *   data generation. With HADISK_A_CLEAR_BITMAP on two connected,
 *   Inconsistent nodes whose disks are known to be identical (new, zeroed
 *   disks): both become UpToDate with no initial sync.
 *
 * HADISK_CMD_VERIFY
 *   HADISK_A_RESOURCE, optional HADISK_A_VERIFY_RESYNC (flag). Online
 *   verify: compares the crc32c of every 4 KiB block with the peer's and
 *   marks the blocks that differ out of sync (status: HADISK_A_VERIFY_*;
 *   events verify-started, verify-done). With HADISK_A_VERIFY_RESYNC they
 *   are then resynced from this node. Needs Connected, both UpToDate.
 *
 * CONNECT also takes HADISK_A_CSUM_RESYNC (u8, 0 or 1): bitmap-based
 * resyncs first compare checksums and send only the blocks that differ.
 *
 * CONNECT also takes the split-brain and fencing configuration, kept until
 * the next CONNECT: HADISK_A_AFTER_SB_0PRI/1PRI/2PRI (enum
 * hadisk_after_sb, default DISCONNECT; both nodes must use the same, or
 * the handshake is refused), HADISK_A_DISCARD_NODE_ID (with
 * HADISK_SB_DISCARD_NODE), HADISK_A_FENCING (enum hadisk_fencing, default
 * NONE), HADISK_A_HOOK_* (absolute paths of hook programs; each hook runs
 * with argv[1] = its name and HADISK_* environment variables, see
 * Documentation/hooks.md), HADISK_A_HOOK_TIMEOUT_MS (1000..600000, default
 * 60000: a hook still running then is killed and counts as failed),
 * HADISK_A_SAVE_HELPER (the hadiskctl that saves a split-brain victim's
 * blocks before they are overwritten; without it no split brain is
 * resolved automatically) and HADISK_A_SAVE_DIR (default
 * /var/lib/hadisk). HADISK_A_DISCARD_MY_DATA (flag) makes this node the
 * victim of the next split brain; it is forgotten once connected.
 *
 * CONNECT also takes HADISK_A_TRANSPORT (u8, enum hadisk_transport,
 * default TCP). RDMA needs the module hadisk_rdma (requested, then refused
 * with a message naming it when absent); status reports the transport.
 *
 * CONNECT also takes HADISK_A_SHARED_SECRET (and HADISK_A_HMAC_ALG): each
 * connection is then authenticated by an HMAC challenge-response before
 * anything else is exchanged; a peer without the secret, or with another,
 * is refused (status HADISK_A_AUTH_FAILURES, last error). The secret is
 * never reported. HADISK_A_DATA_DIGEST: every DATA and RS_DATA packet
 * carries the digest of its payload; a mismatch drops the connection
 * (HADISK_A_DIGEST_ERRORS) and the blocks are resynced. Both are checked
 * in the handshake: both nodes must have them, or neither.
 *
 * HADISK_CMD_OUTDATE
 *   HADISK_A_RESOURCE. Marks the local data Outdated (persistent): it
 *   cannot be promoted without HADISK_A_FORCE. Refused on a Primary,
 *   while connected, and unless the disk is UpToDate or Outdated. Used by
 *   fence-peer hooks on the peer.
 *
 * HADISK_CMD_RESUME_IO
 *   HADISK_A_RESOURCE. Releases application IO frozen by fencing
 *   resource-and-stonith after a failed fence-peer hook. -EALREADY if
 *   nothing is frozen.
 *
 * HADISK_CMD_GET_STATUS
 *   Without NLM_F_DUMP: HADISK_A_RESOURCE, one reply. With NLM_F_DUMP: one
 *   message per resource of the caller's namespace. Reply attributes: the
 *   HADISK_A_* status attributes below (those that apply).
 *
 * HADISK_CMD_EVENT
 *   Sent to the multicast group HADISK_GENL_MCAST_EVENTS ("events") after
 *   every state change, with HADISK_A_EVENT naming the change and the same
 *   attributes as a HADISK_CMD_GET_STATUS reply. Only listeners in the
 *   resource's network namespace receive it.
 */
#ifndef _UAPI_LINUX_HADISK_H
#define _UAPI_LINUX_HADISK_H

#define HADISK_GENL_NAME		"hadisk"
#define HADISK_GENL_VERSION		1
#define HADISK_GENL_MCAST_EVENTS	"events"

#define HADISK_RES_NAME_MAX		64	/* including the NUL */
#define HADISK_PATH_MAX			256	/* including the NUL */
#define HADISK_MINOR_MAX		1023
#define HADISK_NODE_ID_MAX		31
#define HADISK_ERROR_MAX		256

enum hadisk_cmd {
	HADISK_CMD_UNSPEC,
	HADISK_CMD_NEW_RESOURCE,
	HADISK_CMD_DEL_RESOURCE,
	HADISK_CMD_ATTACH,
	HADISK_CMD_DETACH,
	HADISK_CMD_CONNECT,
	HADISK_CMD_DISCONNECT,
	HADISK_CMD_PRIMARY,
	HADISK_CMD_SECONDARY,
	HADISK_CMD_GET_STATUS,
	HADISK_CMD_EVENT,
	HADISK_CMD_INVALIDATE,
	HADISK_CMD_INVALIDATE_REMOTE,
	HADISK_CMD_NEW_CURRENT_UUID,
	HADISK_CMD_VERIFY,
	HADISK_CMD_OUTDATE,
	HADISK_CMD_RESUME_IO,
	__HADISK_CMD_MAX
};
#define HADISK_CMD_MAX (__HADISK_CMD_MAX - 1)

enum hadisk_attr {
	HADISK_A_UNSPEC,
	HADISK_A_RESOURCE,		/* NUL-terminated string */
	HADISK_A_MINOR,			/* u32 */
	HADISK_A_BACKING_DEV,		/* NUL-terminated string */
	HADISK_A_NODE_ID,		/* u32 */
	HADISK_A_PEER_NODE_ID,		/* u32 */
	HADISK_A_NODE_NAME,		/* NUL-terminated string */
	HADISK_A_PEER_NODE_NAME,	/* NUL-terminated string */
	HADISK_A_LOCAL_ADDR,		/* binary, 4 or 16 bytes */
	HADISK_A_PEER_ADDR,		/* binary, 4 or 16 bytes */
	HADISK_A_LOCAL_PORT,		/* u16, host order */
	HADISK_A_PEER_PORT,		/* u16, host order */
	HADISK_A_PROTOCOL,		/* u8, enum hadisk_protocol */
	HADISK_A_PING_INTERVAL_MS,	/* u32 */
	HADISK_A_PING_TIMEOUT_MS,	/* u32 */
	HADISK_A_ACK_TIMEOUT_MS,	/* u32 */
	HADISK_A_CONNECT_INTERVAL_MS,	/* u32 */
	HADISK_A_FORCE,			/* flag */
	/* status, read only */
	HADISK_A_ROLE,			/* u8, enum hadisk_role */
	HADISK_A_PEER_ROLE,		/* u8, enum hadisk_role */
	HADISK_A_CONN_STATE,		/* u8, enum hadisk_conn_state */
	HADISK_A_DISK_STATE,		/* u8, enum hadisk_disk_state */
	HADISK_A_PEER_DISK_STATE,	/* u8, enum hadisk_disk_state */
	HADISK_A_SIZE_BYTES,		/* u64, size of /dev/hadiskN */
	HADISK_A_OPEN_COUNT,		/* u32, openers of /dev/hadiskN */
	HADISK_A_BYTES_SENT,		/* u64, replication bytes sent */
	HADISK_A_BYTES_RECEIVED,	/* u64, replication bytes received */
	HADISK_A_WRITES_PENDING,	/* u32, writes not yet completed */
	HADISK_A_WRITES_UNACKED,	/* u32, writes the peer has not acked */
	HADISK_A_OOS_BYTES,		/* u64, out of sync with the peer */
	HADISK_A_RESYNC_TOTAL_BYTES,	/* u64, bytes to resync this run */
	HADISK_A_RESYNC_DONE_BYTES,	/* u64, bytes resynced this run */
	HADISK_A_RESYNC_RATE_BPS,	/* u64, bytes per second, recent */
	HADISK_A_LAST_ERROR,		/* string, why the link was refused */
	HADISK_A_EVENT,			/* string, what changed (events) */
	HADISK_A_CURRENT_UUID,		/* u64, data generation identifier */
	HADISK_A_BITMAP_UUID,		/* u64 */
	HADISK_A_PAD,
	HADISK_A_META_DEV,		/* string: "internal" or a path */
	HADISK_A_AL_EXTENTS,		/* u32 */
	HADISK_A_CLEAR_BITMAP,		/* flag */
	HADISK_A_MD_FLAGS,		/* u32, HD_MDF_* of the superblock */
	HADISK_A_AL_ACTIVE,		/* u32, active AL extents */
	HADISK_A_AL_WRITES,		/* u64, AL transactions written */
	HADISK_A_RESYNC_RATE_MIN_KIB,	/* u32, KiB/s */
	HADISK_A_RESYNC_RATE_MAX_KIB,	/* u32, KiB/s */
	HADISK_A_RESYNC_LIMIT_BPS,	/* u64, the current resync limit */
	HADISK_A_CSUM_RESYNC,		/* u8, 1: checksum-based resync */
	HADISK_A_VERIFY_RESYNC,		/* flag: resync what verify finds */
	HADISK_A_VERIFY_RUNNING,	/* u8 */
	HADISK_A_VERIFY_TOTAL_BYTES,	/* u64 */
	HADISK_A_VERIFY_DONE_BYTES,	/* u64 */
	HADISK_A_VERIFY_OOS_BYTES,	/* u64, found out of sync */
	/* split brain and fencing: CONNECT (also reported in status) */
	HADISK_A_AFTER_SB_0PRI,		/* u8, enum hadisk_after_sb */
	HADISK_A_AFTER_SB_1PRI,		/* u8, enum hadisk_after_sb */
	HADISK_A_AFTER_SB_2PRI,		/* u8, enum hadisk_after_sb */
	HADISK_A_DISCARD_NODE_ID,	/* u32, for HADISK_SB_DISCARD_NODE */
	HADISK_A_DISCARD_MY_DATA,	/* flag, CONNECT only: be the victim */
	HADISK_A_FENCING,		/* u8, enum hadisk_fencing */
	HADISK_A_HOOK_TIMEOUT_MS,	/* u32, deadline of every hook */
	HADISK_A_HOOK_FENCE_PEER,	/* string, absolute path */
	HADISK_A_HOOK_UNFENCE_PEER,	/* string */
	HADISK_A_HOOK_SPLIT_BRAIN,	/* string */
	HADISK_A_HOOK_PRI_LOST_AFTER_SB, /* string */
	HADISK_A_HOOK_BEFORE_RESYNC_TARGET, /* string */
	HADISK_A_HOOK_AFTER_RESYNC_TARGET, /* string */
	HADISK_A_HOOK_LOCAL_IO_ERROR,	/* string */
	HADISK_A_SAVE_HELPER,		/* string: hadiskctl's path */
	HADISK_A_SAVE_DIR,		/* string: where discarded blocks go */
	/* status, read only */
	HADISK_A_IO_FROZEN,		/* u8: application IO is held */
	HADISK_A_PEER_FENCED,		/* u8: the peer is Outdated/fenced */
	HADISK_A_LAST_SAVE,		/* string: last saved-blocks file */
	/* peer authentication and wire integrity: CONNECT */
	HADISK_A_SHARED_SECRET,		/* binary, 1..64 bytes; never sent back */
	HADISK_A_HMAC_ALG,		/* string: sha256 (default), sha1, sha512 */
	HADISK_A_DATA_DIGEST,		/* u8, enum hadisk_digest */
	/* status, read only */
	HADISK_A_AUTH_ON,		/* u8: peers must authenticate */
	HADISK_A_AUTH_FAILURES,		/* u64: handshakes refused for auth */
	HADISK_A_DIGEST_ERRORS,		/* u64: packets whose digest failed */
	/* local disk failure: ATTACH */
	HADISK_A_ON_IO_ERROR,		/* u8, enum hadisk_on_io_error */
	/* status, read only */
	HADISK_A_LOCAL_IO_ERRORS,	/* u64: failed backing-device IOs */
	HADISK_A_REMOTE_READS,		/* u64: reads served by the peer */
	HADISK_A_DETACHED_ON_ERROR,	/* u8: Diskless after an IO error */
	/* the replication transport: CONNECT, and status */
	HADISK_A_TRANSPORT,		/* u8, enum hadisk_transport */
	__HADISK_A_MAX
};
#define HADISK_A_MAX (__HADISK_A_MAX - 1)

/*
 * What to do when a split brain is detected at connect (DRBD's
 * after-sb-0pri / -1pri / -2pri vocabulary). Valid values:
 *   0 Primaries: DISCONNECT, DISCARD_YOUNGER_PRI, DISCARD_OLDER_PRI,
 *                DISCARD_ZERO_CHANGES, DISCARD_LEAST_CHANGES, DISCARD_NODE;
 *   1 Primary:   DISCONNECT, CONSENSUS, DISCARD_SECONDARY, CALL_PRI_LOST;
 *   2 Primaries: DISCONNECT, CALL_PRI_LOST.
 */
enum hadisk_after_sb {
	HADISK_SB_DISCONNECT,
	HADISK_SB_DISCARD_YOUNGER_PRI,
	HADISK_SB_DISCARD_OLDER_PRI,
	HADISK_SB_DISCARD_ZERO_CHANGES,
	HADISK_SB_DISCARD_LEAST_CHANGES,
	HADISK_SB_DISCARD_NODE,
	HADISK_SB_CONSENSUS,
	HADISK_SB_DISCARD_SECONDARY,
	HADISK_SB_CALL_PRI_LOST,
	__HADISK_SB_MAX
};

/* Per-packet digest of replicated data (net { data-integrity-alg }). */
enum hadisk_digest {
	HADISK_DIGEST_NONE,
	HADISK_DIGEST_CRC32C,
};

/*
 * What a node does when its backing device fails a read or a write
 * (disk { on-io-error }):
 *   DETACH   go Diskless and serve reads and writes through the peer; the
 *            application sees no error while the peer is reachable;
 *   PASS_ON  return the error to the application; the blocks are marked
 *            out of sync and resynced;
 *   CALL_LOCAL_IO_ERROR  as PASS_ON; the config requires a local-io-error
 *            handler.
 * The local-io-error handler, if configured, runs whatever the policy.
 */
enum hadisk_on_io_error {
	HADISK_IOE_DETACH,
	HADISK_IOE_PASS_ON,
	HADISK_IOE_CALL_LOCAL_IO_ERROR,
};

enum hadisk_fencing {
	HADISK_FENCING_NONE,
	HADISK_FENCING_RESOURCE_ONLY,
	HADISK_FENCING_RESOURCE_AND_STONITH,
};

/*
 * Exit codes of the fence-peer hook (DRBD's convention). 3, 4, 5 and 7
 * let this node go on as the only Primary; anything else (including 0:
 * no verdict) is a failure.
 */
#define HADISK_FENCE_PEER_INCONSISTENT	3
#define HADISK_FENCE_PEER_OUTDATED	4
#define HADISK_FENCE_PEER_UNREACHABLE	5	/* assumed dead */
#define HADISK_FENCE_PEER_PRIMARY	6	/* failure: the peer is Primary */
#define HADISK_FENCE_PEER_FENCED	7	/* powered off (STONITH) */
/* Exit code of "hadiskctl save-discarded" when the file is written. */
#define HADISK_SAVE_OK			20

/*
 * The replication link's transport (net { transport }): TCP, built into
 * hadisk.ko, or RDMA (RoCE, iWARP, InfiniBand through the RDMA connection
 * manager), the separate module hadisk_rdma.ko. Both nodes must use the same.
 */
enum hadisk_transport {
	HADISK_TRANSPORT_TCP,
	HADISK_TRANSPORT_RDMA,
};

enum hadisk_protocol {
	HADISK_PROT_A = 1,	/* complete after the local disk and the send */
	HADISK_PROT_B = 2,	/* ... and the peer's receipt */
	HADISK_PROT_C = 3,	/* ... and the peer's disk */
};

enum hadisk_role {
	HADISK_ROLE_UNKNOWN,
	HADISK_ROLE_SECONDARY,
	HADISK_ROLE_PRIMARY,
};

enum hadisk_conn_state {
	HADISK_CONN_STANDALONE,	/* not configured to connect */
	HADISK_CONN_CONNECTING,	/* listening and connecting */
	HADISK_CONN_CONNECTED,	/* in sync, replicating */
	HADISK_CONN_SYNC_SOURCE,	/* connected, sending a resync */
	HADISK_CONN_SYNC_TARGET,	/* connected, receiving a resync */
	HADISK_CONN_DISCONNECTING,
};

enum hadisk_disk_state {
	HADISK_DISK_DISKLESS,
	HADISK_DISK_INCONSISTENT,
	HADISK_DISK_OUTDATED,
	HADISK_DISK_UNKNOWN,		/* peer's disk, when not connected */
	HADISK_DISK_UPTODATE,
};

#endif /* _UAPI_LINUX_HADISK_H */
