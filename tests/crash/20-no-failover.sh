#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A power cut of the Primary without failover: the crashed Primary comes
# back and is the source of a resync of its activity-log extents, only
# those.
#
#  1. alpha Primary (protocol C), beta Secondary, both UpToDate.
#  2. ackcheck writes numbered 4 KiB blocks on alpha's /dev/hadisk0
#     (O_DIRECT|O_SYNC, 16 MiB area: 4 activity-log extents); 2-4 s after
#     the 50th ack alpha's qemu is SIGKILLed mid-stream.
#  3. beta sees the peer lost and stays Secondary, UpToDate; protocol C:
#     every block alpha acknowledged is already on beta's disk.
#  4. alpha boots again on its image: 'up' replays its activity log (a
#     crashed Primary; it stays Secondary), reconnects, and resyncs its
#     log's extents to beta, bitmap-based: at most (extents x 4 MiB), the
#     bytes on the wire within 10 % of that.
#  5. Both data areas byte-identical; ackcheck verify passes on both disks.
# Kernel warnings in any boot's log fail it.  A failed check does not stop
# the scenario (what happens next is evidence too); it fails at the end.
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
crash_init
crash_config
make_images 256

A1="--seed 1 --area 16M"		# alpha's run: the first 16 MiB

step "boot alpha and beta; a fresh pair, alpha Primary"
vm_boot alpha beta
pair_up

step "alpha writes acknowledged blocks; its qemu is killed mid-stream"
vm_must alpha 20 "bg_start acks \$ACKCHECK write \$DEV --count 4096 $A1 --report \$R/acks"
wait_acks alpha acks 50 180
sleep "$((2 + RANDOM % 3)).$((RANDOM % 10))"
expect_no_link_loss beta "while alpha was writing"
vm_kill alpha
expect_no_link_loss alpha "while it was writing"
acked=$(acks_last alpha acks)
metric acked_before_crash "$acked"
dump=$(md_dump alpha crashed)
sed 's/^/  alpha.img| /' "${dump%.json}.txt"
[ "$(json_get "$dump" crashed_primary)" = true ] ||
	check_fail "alpha's metadata does not say crashed Primary after the power cut"
al_ext=$(json_get "$dump" activity_log.newest.extents | tr -cd '0-9,' | tr ',' '\n' | grep -c .)
metric al_active_extents_at_crash "$al_ext"
md_oos=$(json_get "$dump" out_of_sync_bytes)
metric bitmap_out_of_sync_at_crash "$md_oos"
[ "$al_ext" -ge 1 ] && [ "$al_ext" -le 4 ] ||
	check_fail "alpha's activity log names $al_ext extents; its writes covered 4"

step "beta: the peer is lost; it stays Secondary; every acked block is on its disk"
vm_must beta 60 '
	wait_until "the loss of alpha" 40 is connection Connecting
	show
	[ "$(st peer_disk)" = DUnknown ] || { echo "peer_disk is not DUnknown"; exit 1; }
	[ "$(st disk)" = UpToDate ] || { echo "beta is not UpToDate"; exit 1; }
	[ "$(st role)" = Secondary ] || { echo "beta is not Secondary"; exit 1; }'
vm_run beta 120 "\$ACKCHECK verify \$DISK --upto $acked $A1" ||
	check_fail "beta's disk lacks blocks that alpha acknowledged (protocol C)"

step "alpha boots again: log replay, stays Secondary, resyncs its log's extents to beta"
vm_boot alpha
vm_must alpha 60 '
	hd up r0
	show
	kmsg_has "activity log replayed: [0-9]+ extents" || { echo "no activity-log replay in the kernel log"; exit 1; }
	kmsg_has "crashed Primary" || { echo "not recognised as a crashed Primary"; exit 1; }
	[ "$(st role)" = Secondary ] || { echo "alpha came back as $(st role)"; exit 1; }'
replayed=$(kmsg_num alpha 'activity log replayed: ([0-9]+) extents')
metric al_extents_replayed "$replayed"
[ "$replayed" = "$al_ext" ] || check_fail "alpha replayed $replayed extents, its log named $al_ext"
vm_must alpha 140 'hd wait-sync r0 --timeout 120 && show && [ "$(st role)" = Secondary ]'
vm_must beta 60 'wait_until "beta UpToDate" 50 is disk UpToDate && show && [ "$(st role)" = Secondary ]'
vm_must alpha 10 'st bytes_sent'
sent=$VM_REPLY

rs=$(kmsg_num alpha 'bitmap-based resync to beta started: ([0-9]+) bytes')
done_bytes=$(kmsg_num alpha 'resync done: ([0-9]+) bytes')
metric resync_bytes "${rs:-none}"
metric resync_done_bytes "${done_bytes:-none}"
metric bytes_sent_by_alpha "$sent"
bound=$((replayed * 4 * MiB + md_oos))
note "resync: ${rs:-no} bytes to resync (bound: $replayed log extents x 4 MiB + its bitmap's $md_oos = $bound), alpha sent $sent bytes since its return"
grep -aq 'bitmap-based resync from alpha started' "$(vm_file beta kmsg)" ||
	check_fail "beta's kernel log shows no bitmap-based resync from alpha"
! grep -aqE 'full resync' "$(vm_file alpha kmsg)" "$(vm_file beta kmsg)" ||
	check_fail "a full resync ran"
if [ -z "$rs" ]; then
	check_fail "alpha's kernel log shows no bitmap-based resync to beta"
else
	[ "$rs" -gt 0 ] || check_fail "the resync was empty"
	[ "$rs" -le "$bound" ] ||
		check_fail "the resync ($rs bytes) is more than alpha's log extents and bitmap ($bound)"
	[ "${done_bytes:-}" = "$rs" ] || check_fail "the resync announced $rs bytes and did ${done_bytes:-none}"
	[ "$sent" -le $((rs * 11 / 10 + MiB)) ] ||
		check_fail "alpha sent $sent bytes for a $rs-byte resync"
fi
expect_no_link_loss alpha "after its return"

step "both disks identical; ackcheck verify passes on both"
images_identical
vm_send alpha 120 "\$ACKCHECK verify \$DISK --upto $acked $A1"
qa=$VM_SEQ
vm_send beta 120 "\$ACKCHECK verify \$DISK --upto $acked $A1"
qb=$VM_SEQ
vm_wait alpha "$qa" || check_fail "alpha's disk lacks acknowledged blocks after the resync"
vm_wait beta "$qb" || check_fail "beta's disk lacks acknowledged blocks after the resync"

step "clean shutdown"
vm_must beta 30 'hd down r0'
vm_must alpha 30 'hd down r0'
vm_shutdown alpha beta
klog_check
crash_done
