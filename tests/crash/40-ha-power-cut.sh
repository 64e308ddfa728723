#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Automatic failover by hadiskd after a power cut of the Primary, under
# write load, with fencing (Documentation/testing-crash.md):
#
#  1. A fresh pair, alpha Primary, ext4 on /dev/hadisk0.  The resource has
#     'fencing resource-only' and tests/crash/fence-peer.sh as its
#     fence-peer hook; /run/fence-ok is on beta only.  hadiskd runs on
#     both nodes: two heartbeat paths (eth0, eth1), default timeouts
#     (500 ms / 3 s), policy automatic, 'fencing kernel', the service hook
#     tests/crash/service.sh (mount /mnt/r0, file writer).
#  2. 'hadiskctl failover r0' on alpha starts its services; two writers
#     run: the file writer (create, fsync, rename, fsync the directory,
#     then report) and ackcheck on an 8 MiB preallocated file of the file
#     system (O_DIRECT|O_SYNC).
#  3. alpha's qemu is killed mid-write.  beta's hadiskd loses alpha on both
#     paths, the kernel runs the fence-peer hook (exit 5: unreachable),
#     beta becomes Primary, the start hook mounts ext4 (journal replay) and
#     the writer resumes.  Measured: the power cut to Primary, to mounted.
#     Asserted: beta was promoted by hadiskd, not by the test; the fence
#     hook's verdict; every acknowledged block and file is on beta.
#  4. hadiskd and the service stopped on beta: fsck.ext4 -fn is clean.
#  5. alpha boots, 'up': log replay, it stays Secondary, bitmap-based
#     resync from beta (no full resync) of at most alpha's activity log
#     (al-extents 7: 28 MiB) plus what beta wrote alone; both data areas
#     identical.
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$CRASH_LIB/ha.sh"
crash_init
ha_config 7	# the smallest activity log: a crashed Primary resyncs <= 28 MiB
make_images 256

step "boot alpha and beta; a fresh pair, alpha Primary; ext4"
vm_boot alpha beta
pair_up
ha_mkfs alpha

step "hadiskd on both nodes (policy automatic, fencing kernel); /run/fence-ok on beta; alpha's services started"
ha_start alpha beta
ha_fence_ok beta
vm_must beta 30 'wait_until "alpha heard on both paths" 20 ha_is peer_state up && ha_st paths >/dev/null; HADISKD_SOCKET=/run/hadiskd.sock $HADISKCTL ha-status | tr -d "\n" | grep -o "\"paths\":\[[^]]*\]"'
ha_services alpha
vm_must alpha 10 'mountpoint /mnt/r0 && show'

step "alpha writes: the file writer (started by the start hook) and ackcheck on a file of the file system"
vm_must alpha 60 'fallocate -l 8M /mnt/r0/ack.img && sync /mnt/r0/ack.img /mnt/r0 &&
	bg_start acks $ACKCHECK write /mnt/r0/ack.img --count 2048 --seed 40 --report $R/acks'
wait_acks alpha acks 30 180
ha_wait_line alpha writer '^[0-9]+$' 5 180 > /dev/null || fail "alpha's writer acknowledged fewer than 5 files in 180 s"
sleep "$((1 + RANDOM % 3)).$((RANDOM % 10))"
expect_no_link_loss beta "while alpha was writing"
expect_no_link_loss alpha "while it was writing"

step "power cut of alpha; hadiskd on beta promotes beta, the start hook mounts ext4 and restarts the writer"
ha_kill_measure alpha beta
metric promoted_after_s "$HA_T_PRIMARY"
metric mounted_after_s "$HA_T_MOUNTED"
acked=$(acks_last alpha acks)
files=$(ha_writer_acks alpha)
metric acked_blocks_before_crash "$acked"
metric acked_files_before_crash "$files"
ha_collect_acks alpha
ha_wait_line beta writer '^[0-9]+$' 3 120 > /dev/null || check_fail "the writer did not resume on beta"
vm_must beta 30 'show; ha_is role Primary; ha_is services_started true; tail -n 5 $R/service.log'
grep -aE 'crash-fence-peer|fence-peer hook' "$(vm_file beta kmsg)" | sed 's/^/  beta kmsg| /'
grep -aq 'crash-fence-peer: .*exit 5' "$(vm_file beta kmsg)" ||
	check_fail "beta's fence-peer hook did not report alpha unreachable"
grep -a 'promoting this node\|automatic promotion\|promote (PRIMARY)\|start hook' "$(vm_file beta bg/hadiskd.out)" | sed 's/^/  beta hadiskd| /'
grep -aq 'promoting this node: policy automatic: peer alpha lost on all paths' "$(vm_file beta bg/hadiskd.out)" ||
	check_fail "beta's hadiskd does not say it promoted beta (policy automatic)"
limit=$((HA_TIMEOUT_S + 2))
note "measured: Primary after $HA_T_PRIMARY s, mounted after $HA_T_MOUNTED s; heartbeat-timeout + 2 s = $limit s: $(awk -v t="$HA_T_PRIMARY" -v l="$limit" 'BEGIN { print (t <= l) ? "within" : "NOT within" }')"

step "beta: every block and file alpha acknowledged is there"
vm_run beta 120 "\$ACKCHECK verify /mnt/r0/ack.img --upto $acked --seed 40" ||
	check_fail "beta lacks blocks alpha acknowledged before the crash"
ha_verify beta

step "beta: hadiskd and the service stopped; fsck.ext4 -fn"
ha_service_down beta
ha_collect_acks beta
ha_fsck beta
ha_verify beta
metric acked_files_total "$(wc -l < "$HA_ACKS")"

step "alpha boots again: log replay, stays Secondary, bitmap-based resync from beta"
vm_boot alpha
vm_must beta 10 'st bytes_sent'
sent0=$VM_REPLY
vm_must alpha 60 '
	hd up r0
	show
	kmsg_has "crashed Primary" || { echo "not recognised as a crashed Primary"; exit 1; }
	[ "$(st role)" = Secondary ] || { echo "alpha came back as $(st role)"; exit 1; }'
vm_must beta 200 'hd wait-sync r0 --timeout 180 && show'
vm_must alpha 60 'wait_until "alpha UpToDate" 50 is disk UpToDate && show'
vm_must beta 10 'st bytes_sent'
metric resync_bytes_sent "$((VM_REPLY - sent0))"
rs=$(kmsg_num beta 'bitmap-based resync to alpha started: ([0-9]+) bytes')
metric resync_bytes "${rs:-none}"
[ -n "$rs" ] || check_fail "beta's kernel log shows no bitmap-based resync to alpha"
! grep -aqE 'full resync' "$(vm_file alpha kmsg)" "$(vm_file beta kmsg)" ||
	check_fail "a full resync ran"
note "resynced ${rs:-?} bytes of $DATA_BYTES ($((${rs:-0} * 100 / DATA_BYTES)) %)"
[ "${rs:-0}" -le $((DATA_BYTES / 4)) ] || check_fail "the resync was not incremental: ${rs:-?} of $DATA_BYTES bytes"
images_identical

vm_shutdown alpha beta
klog_check
crash_done
