/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names of the hadisk netlink enums, in DRBD's vocabulary, both ways.
 * The *_name() functions return NULL for a value they do not know (a newer
 * kernel); the *_from_name() functions return -1 for an unknown name.
 */
#ifndef HADISK_NAMES_H
#define HADISK_NAMES_H

const char *hd_role_name(unsigned int role);
int hd_role_from_name(const char *name);

const char *hd_conn_name(unsigned int conn);
int hd_conn_from_name(const char *name);

const char *hd_disk_name(unsigned int disk);
int hd_disk_from_name(const char *name);

/* "A", "B" or "C" for HADISK_PROT_A..C. */
const char *hd_protocol_name(unsigned int prot);
int hd_protocol_from_name(const char *name);

/*
 * A split-brain policy (enum hadisk_after_sb) as the configuration file
 * writes it: "disconnect", "discard-younger-primary", ...;
 * HADISK_SB_DISCARD_NODE is "discard-node" (the file adds "-NAME").
 */
const char *hd_after_sb_name(unsigned int v);
int hd_after_sb_from_name(const char *name);

/* "none", "resource-only", "resource-and-stonith" (enum hadisk_fencing). */
const char *hd_fencing_name(unsigned int v);
int hd_fencing_from_name(const char *name);

/* "none", "crc32c" (enum hadisk_digest, net { data-integrity-alg }). */
const char *hd_digest_name(unsigned int v);
int hd_digest_from_name(const char *name);

/*
 * "detach", "pass_on", "call-local-io-error" (enum hadisk_on_io_error,
 * disk { on-io-error }, DRBD's spelling).
 */
const char *hd_on_io_error_name(unsigned int v);
int hd_on_io_error_from_name(const char *name);

/* "tcp", "rdma" (enum hadisk_transport, net { transport }). */
const char *hd_transport_name(unsigned int v);
int hd_transport_from_name(const char *name);

/* "NEW_RESOURCE", "ATTACH", ... as in HADISK_CMD_*. */
const char *hd_cmd_name(unsigned int cmd);

/* "HADISK_A_MINOR", ... */
const char *hd_attr_name(unsigned int attr);

/*
 * The name of bit number bit of the metadata flags (HD_MDF_* of
 * hadisk/ondisk.h, HADISK_A_MD_FLAGS): "consistent", "uptodate",
 * "primary", "crashed-primary", "peer-outdated", "al-clean", "full-sync".
 */
const char *hd_md_flag_name(unsigned int bit);

#endif /* HADISK_NAMES_H */
