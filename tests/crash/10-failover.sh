#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failover after a power cut of the Primary, and the crashed node's return.
#
#  1. alpha Primary (protocol C), beta Secondary, both UpToDate.
#  2. ackcheck writes numbered 4 KiB blocks on alpha's /dev/hadisk0
#     (O_DIRECT|O_SYNC, 16 MiB area: 4 activity-log extents), each
#     acknowledgement reported to the host as it happens; 2-4 s after the
#     50th ack alpha's qemu is SIGKILLed mid-stream.  The link must not
#     have dropped meanwhile (nothing cut it).
#  3. beta sees the peer lost, is promoted without --force (it is UpToDate)
#     and every block alpha acknowledged is on beta's /dev/hadisk0, intact.
#  4. beta writes 4 MiB more (another ackcheck run, elsewhere on the disk).
#  5. alpha boots again on its image: 'up' replays its activity log (it
#     crashed as Primary) and it stays Secondary; it reconnects and beta
#     resyncs it bitmap-based: at most the extents of alpha's log plus
#     what beta's bitmap holds (its 4 MiB), at least beta's 4 MiB, far less
#     than the device; the bytes on the wire within 10 % of that.
#  6. Both data areas are byte-identical; alpha's disk holds every block
#     of both runs.
# Kernel warnings in any boot's log fail it.  A failed check does not stop
# the scenario (what happens next is evidence too); it fails at the end.
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
crash_init
crash_config
make_images 256

A1="--seed 1 --area 16M"		# alpha's run: the first 16 MiB
B1="--seed 2 --offset 64M --area 4M"	# beta's run after the failover
B1_BYTES=$((4 * MiB))

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

step "beta: the peer is lost; promoted without --force; every acked block is there"
vm_must beta 60 '
	wait_until "the loss of alpha" 40 is connection Connecting
	show
	[ "$(st peer_disk)" = DUnknown ] || { echo "peer_disk is not DUnknown"; exit 1; }
	[ "$(st disk)" = UpToDate ] || { echo "beta is not UpToDate"; exit 1; }
	[ "$(st role)" = Secondary ] || { echo "beta is not Secondary"; exit 1; }'
vm_must beta 30 'hd primary r0 && show && [ "$(st role)" = Primary ]'
vm_run beta 120 "\$ACKCHECK verify \$DEV --upto $acked $A1" ||
	check_fail "beta lacks blocks that alpha acknowledged before the crash"

step "beta writes 4 MiB more while alpha is down"
vm_must beta 300 "\$ACKCHECK write \$DEV --count 1024 $B1 && \$ACKCHECK verify \$DEV --upto 1024 $B1 && show"
vm_must beta 10 'echo $(st bytes_sent) $(st out_of_sync_bytes)'
read -r sent0 b_oos <<< "$VM_REPLY"
metric beta_out_of_sync_before_return "$b_oos"
[ "$b_oos" -ge "$B1_BYTES" ] || check_fail "beta's bitmap holds $b_oos bytes; it wrote $B1_BYTES alone"

step "alpha boots again: log replay, stays Secondary, bitmap-based resync from beta"
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
vm_must beta 140 'hd wait-sync r0 --timeout 120 && show'
vm_must alpha 60 'wait_until "alpha UpToDate" 50 is disk UpToDate && show && [ "$(st role)" = Secondary ]'
vm_must beta 10 'st bytes_sent'
sent=$((VM_REPLY - sent0))

rs=$(kmsg_num beta 'bitmap-based resync to alpha started: ([0-9]+) bytes')
done_bytes=$(kmsg_num beta 'resync done: ([0-9]+) bytes')
metric resync_bytes "${rs:-none}"
metric resync_done_bytes "${done_bytes:-none}"
metric resync_bytes_sent "$sent"
bound=$((replayed * 4 * MiB + md_oos + b_oos))
note "resync: ${rs:-no} bytes to resync (bound: $replayed log extents x 4 MiB + alpha's bitmap $md_oos + beta's bitmap $b_oos = $bound), $sent bytes sent, data area $DATA_BYTES bytes"
grep -aq 'bitmap-based resync from beta started' "$(vm_file alpha kmsg)" ||
	check_fail "alpha's kernel log shows no bitmap-based resync from beta"
! grep -aqE 'full resync' "$(vm_file alpha kmsg)" "$(vm_file beta kmsg)" ||
	check_fail "a full resync ran"
if [ -z "$rs" ]; then
	check_fail "beta's kernel log shows no bitmap-based resync to alpha"
else
	[ "$rs" -ge "$B1_BYTES" ] || check_fail "the resync ($rs bytes) misses beta's own 4 MiB"
	[ "$rs" -le "$bound" ] ||
		check_fail "the resync ($rs bytes) is more than alpha's log extents and bitmap + beta's bitmap ($bound)"
	[ "${done_bytes:-}" = "$rs" ] || check_fail "the resync announced $rs bytes and did ${done_bytes:-none}"
	[ "$sent" -le $((rs * 11 / 10 + MiB)) ] || check_fail "beta sent $sent bytes for a $rs-byte resync"
	[ "$rs" -le $((DATA_BYTES / 8)) ] ||
		check_fail "the resync ($rs bytes) is not far less than the device ($DATA_BYTES)"
fi
expect_no_link_loss alpha "after its return"

step "both disks identical; alpha's disk holds every block of both runs"
images_identical
vm_run alpha 120 "\$ACKCHECK verify \$DISK --upto $acked $A1 && \$ACKCHECK verify \$DISK --upto 1024 $B1" ||
	check_fail "alpha's disk lacks acknowledged blocks after the resync"

step "clean shutdown"
vm_must beta 30 'hd down r0'
vm_must alpha 30 'hd down r0'
vm_shutdown alpha beta
klog_check
crash_done
