#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 'hadiskctl switchover r0' under load, there and back
# (Documentation/testing-crash.md):
#
#  1. A fresh pair, alpha Primary, ext4; hadiskd on both nodes (policy
#     automatic, fencing kernel, the service hook tests/crash/service.sh);
#     'hadiskctl failover r0' on alpha starts its service: ext4 mounted on
#     /mnt/r0 and the file writer (create, fsync, rename, fsync the
#     directory, then report).
#  2. While the writer runs, 'hadiskctl switchover r0' on alpha: the stop
#     hook stops the writer (SIGTERM: it finishes its file and exits 0)
#     and unmounts, hadiskd waits until in sync, demotes alpha, and beta's
#     hadiskd promotes beta and runs its start hook: mounted, the writer
#     resumes after the last file.  Each step and its time is printed.
#  3. The same from beta back to alpha.
#  4. Asserted: both switchovers succeed; the writer never got an IO error
#     and stopped cleanly each time; it resumed on the other node; every
#     acknowledged file is intact; fsck.ext4 -fn is clean; both data areas
#     are byte-identical.
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$CRASH_LIB/ha.sh"
crash_init
ha_config
make_images 256

step "boot alpha and beta; a fresh pair, alpha Primary; ext4"
vm_boot alpha beta
pair_up
ha_mkfs alpha

step "hadiskd on both nodes; alpha's services started; the writer runs"
ha_start alpha beta
vm_must beta 30 'wait_until "alpha heard on both paths" 20 ha_is peer_state up'
ha_services alpha
ha_wait_line alpha writer '^[0-9]+$' 5 180 > /dev/null || fail "alpha's writer acknowledged fewer than 5 files in 180 s"

# switch FROM TO: a switchover under load, checked.
switch() {
	local from=$1 to=$2 before t0 ms
	before=$(ha_writer_acks "$from")
	step "switchover $from -> $to while the writer runs on $from ($before files so far in this boot)"
	t0=${EPOCHREALTIME/./}
	vm_run "$from" 300 'HADISKD_SOCKET=/run/hadiskd.sock $HADISKCTL switchover r0' ||
		check_fail "switchover $from -> $to failed"
	ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
	metric "switchover_${from}_to_${to}_ms" "$ms"
	grep -aq 'writer: stopped cleanly' "$(vm_file "$from" service.log)" ||
		check_fail "the writer on $from did not stop cleanly"
	vm_must "$from" 10 'show; [ "$(st role)" = Secondary ] && ! mountpoint -q /mnt/r0'
	vm_must "$to" 30 'show; mountpoint /mnt/r0; ha_is services_started true; [ "$(st role)" = Primary ]'
	ha_wait_line "$to" writer '^[0-9]+$' "$(( $(ha_writer_acks "$to") + 3 ))" 120 > /dev/null ||
		check_fail "the writer did not resume on $to"
	ha_collect_acks "$from"
	: > "${VM_OUT[$from]}/writer"
	grep -a 'writer:' "$(vm_file "$from" service.log)" "$(vm_file "$to" service.log)" | tail -n 4 | sed 's/^/  /'
}
switch alpha beta
switch beta alpha

step "alpha: every acknowledged file is intact; hadiskd and the service stopped; fsck; identical disks"
ha_wait_line alpha writer '^[0-9]+$' 5 120 > /dev/null
ha_service_down alpha
vm_must beta 30 'ha_stop_daemon; echo "beta: hadiskd stopped"'
ha_collect_acks alpha
metric acked_files "$(wc -l < "$HA_ACKS")"
ha_verify alpha
ha_fsck alpha
vm_must alpha 120 'hd wait-sync r0 --timeout 100 && show'
images_identical

vm_shutdown alpha beta
klog_check
crash_done
