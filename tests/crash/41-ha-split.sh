#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The replication link and both heartbeat paths cut while both nodes live
# (Documentation/testing-crash.md):
#
#  1. A fresh pair, alpha Primary, ext4; the resource fences ('fencing
#     resource-and-stonith', fence-peer hook tests/crash/fence-peer.sh); hadiskd
#     on both nodes, policy automatic, 'fencing kernel'; alpha's service
#     (ext4 mounted, the file writer) started by hadiskd.
#  2. /run/fence-ok is placed on alpha only: two nodes cut apart cannot
#     agree with each other, so the test plays the fencing device and lets
#     exactly one side's fence-peer hook succeed.
#  3. eth0 and eth1 go down on both nodes at once: the replication link and
#     both heartbeat paths are gone, both nodes live.  Each side's hadiskd
#     loses its peer; alpha's kernel runs its fence-peer hook (it lost its
#     peer as Primary), beta's hadiskd tries to promote beta and its
#     kernel runs beta's hook first.  Watched for 30 s, from each node's
#     event stream and status:
#       - never two Primaries: beta never becomes Primary, alpha never
#         stops being Primary;
#       - the survivor is the node whose hook succeeded: alpha's hook
#         exits 5, beta's exits 1 and beta stays Secondary (hadiskd says
#         the promotion failed);
#       - alpha's writer goes on without an IO error (resource-and-
#         stonith: frozen from the link loss until alpha's hook succeeded).
#  4. The links come back: beta reconnects and is resynced from alpha
#     (bitmap-based).
#  5. The other way, with a power switch: /run/fence-ok and
#     /run/fence-stonith on beta only, and the links cut again.  With
#     'fencing resource-and-stonith' alpha's writes freeze at the link loss
#     and stay frozen (its hook fails); beta's hook asks the host to power
#     alpha off (the host, the only place both VMs share, kills alpha's
#     qemu) and exits 7; only then is beta promoted, mounts and resumes the
#     writer.  beta is never Primary while alpha runs, and every file alpha
#     acknowledged is on beta.
#  6. fsck clean; alpha boots, is resynced from beta; data areas identical.
#     (Today alpha, powered off while frozen, comes back with a data
#     generation of its own: a split brain, resolved by hand with
#     'connect --discard-my-data' on alpha; a known kernel issue, noted.)
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$CRASH_LIB/ha.sh"
crash_init
ha_config 7 resource-and-stonith
make_images 256
WATCH_S=${CRASH_SPLIT_WATCH:-30}

step "boot alpha and beta; a fresh pair, alpha Primary; ext4"
vm_boot alpha beta
pair_up
ha_mkfs alpha

step "hadiskd on both nodes; /run/fence-ok on alpha only; alpha's services started"
ha_start alpha beta
ha_fence_ok alpha
vm_must beta 30 'wait_until "alpha heard on both paths" 20 ha_is peer_state up'
ha_services alpha
ha_wait_line alpha writer '^[0-9]+$' 5 180 > /dev/null || fail "alpha's writer acknowledged fewer than 5 files in 180 s"
a_sec0=$(ha_count alpha bg/events.out '"role":"Secondary"')
b_pri0=$(ha_count beta bg/events.out '"role":"Primary"')

step "cut: eth0 and eth1 down on both nodes (replication link and both heartbeat paths)"
files0=$(ha_writer_acks alpha)
vm_send alpha 10 'ip link set eth0 down; ip link set eth1 down; echo "alpha: links down"'
sa=$VM_SEQ
vm_send beta 10 'ip link set eth0 down; ip link set eth1 down; echo "beta: links down"'
sb=$VM_SEQ
vm_wait alpha "$sa" || fail "cutting alpha's links"
vm_wait beta "$sb" || fail "cutting beta's links"
t_cut=$SECONDS
note "watching both nodes for ${WATCH_S} s"
two=0
while [ $((SECONDS - t_cut)) -lt "$WATCH_S" ]; do
	[ "$(ha_count beta bg/events.out '"role":"Primary"')" -eq "$b_pri0" ] || two=1
	[ "$(ha_count alpha bg/events.out '"role":"Secondary"')" -eq "$a_sec0" ] || two=2
	sleep 0.5
done
vm_must alpha 20 'show; echo "alpha: hadiskd: peer $(ha_st peer_state), active $(ha_st active)"'
[ "$(st_role=$(printf '%s' "$VM_REPLY" | grep -o 'role=[A-Za-z]*' | head -n 1); echo "$st_role")" = role=Primary ] ||
	check_fail "alpha is no longer Primary after the cut"
vm_must beta 20 'show; echo "beta: hadiskd: peer $(ha_st peer_state), active $(ha_st active)"'
[ "$(printf '%s' "$VM_REPLY" | grep -o 'role=[A-Za-z]*' | head -n 1)" = role=Secondary ] ||
	check_fail "beta is not Secondary after the cut: two Primaries"
[ "$two" = 1 ] && check_fail "beta became Primary during the cut: two Primaries"
[ "$two" = 2 ] && check_fail "alpha stopped being Primary during the cut"
for n in alpha beta; do
	grep -aE 'crash-fence-peer|fence-peer hook|link to .* lost' "$(vm_file "$n" kmsg)" | sed "s/^/  $n kmsg| /"
	grep -aE 'lost on all paths|promot|fenc' "$(vm_file "$n" bg/hadiskd.out)" | head -n 8 | sed "s/^/  $n hadiskd| /"
done
grep -aq 'crash-fence-peer: .*exit 5' "$(vm_file alpha kmsg)" ||
	check_fail "alpha's fence-peer hook did not succeed"
grep -aq 'crash-fence-peer: .*exit 1' "$(vm_file beta kmsg)" ||
	check_fail "beta's fence-peer hook did not run (and fail): did beta's hadiskd try to promote it?"
grep -aq 'lost on all paths' "$(vm_file beta bg/hadiskd.out)" ||
	check_fail "beta's hadiskd did not report alpha lost on all paths"
files1=$(ha_writer_acks alpha)
metric files_written_during_cut "$((files1 - files0))"
[ "$files1" -gt "$files0" ] || check_fail "alpha's writer did not go on during the cut"
[ ! -s "$(vm_file alpha writer.errors)" ] || check_fail "alpha's writer got an IO error"

step "the links come back: beta reconnects and is resynced from alpha"
vm_must beta 10 'ip link set eth0 up; ip link set eth1 up'
vm_must alpha 10 'ip link set eth0 up; ip link set eth1 up'
vm_must alpha 200 'hd wait-connect r0 --timeout 60 && hd wait-sync r0 --timeout 120 && show'
vm_must beta 60 'wait_until "beta UpToDate" 50 is disk UpToDate && show && [ "$(st role)" = Secondary ]'
vm_must beta 30 'wait_until "alpha heard again" 20 ha_is peer_state up'
rs=$(kmsg_num alpha 'bitmap-based resync to beta started: ([0-9]+) bytes')
metric resync_bytes "${rs:-none}"
[ -n "$rs" ] || check_fail "alpha's kernel log shows no bitmap-based resync to beta"

step "phase 2: /run/fence-ok and a power switch on beta only (its hook asks the host to power alpha off); cut again"
ha_fence_ok beta
vm_must beta 10 'touch /run/fence-stonith && rm -f $R/stonith-request $R/stonith-done'
ha_wait_line alpha writer '^[0-9]+$' "$(( $(ha_writer_acks alpha) + 3 ))" 120 > /dev/null ||
	fail "alpha's writer does not write"
b_pri0=$(ha_count beta bg/events.out '"role":"Primary"')
vm_send alpha 10 'ip link set eth0 down; ip link set eth1 down; echo "alpha: links down"'
sa=$VM_SEQ
vm_send beta 10 'ip link set eth0 down; ip link set eth1 down; echo "beta: links down"'
sb=$VM_SEQ
vm_wait alpha "$sa" || fail "cutting alpha's links"
vm_wait beta "$sb" || fail "cutting beta's links"
t_cut=${EPOCHREALTIME/./}
killed=0
while [ $(( (${EPOCHREALTIME/./} - t_cut) / 1000000 )) -lt 90 ]; do
	if [ -e "$(vm_file beta stonith-request)" ]; then
		note "beta's fence-peer hook asks the host to power $(cat "$(vm_file beta stonith-request)") off"
		[ "$(ha_count beta bg/events.out '"role":"Primary"')" -eq "$b_pri0" ] ||
			check_fail "beta became Primary before alpha was powered off: two Primaries"
		grep -aE 'crash-fence-peer|fence-peer hook|IO frozen|IO stays frozen|link to .* lost' "$(vm_file alpha kmsg)" |
			tail -n 5 | sed "s/^/  alpha kmsg| /"
		frozen_files=$(ha_writer_acks alpha)
		vm_kill alpha
		touch "$(vm_file beta stonith-done)"
		killed=1
		break
	fi
	sleep 0.1
done
[ $killed = 1 ] || fail "beta's fence-peer hook did not ask for alpha's power-off within 90 s of the cut"
tp=$(ha_wait_line beta bg/events.out '"role":"Primary"' $((b_pri0 + 1)) 60) ||
	fail "beta was not promoted after alpha was powered off"
tm=$(ha_wait_line beta service.log 'start: mounted' 1 60) || fail "beta's start hook did not mount"
note "beta Primary $(awk -v a="$t_cut" -v b="$tp" 'BEGIN { printf "%.1f", (b - a) / 1e6 }') s after the cut, mounted after $(awk -v a="$t_cut" -v b="$tm" 'BEGIN { printf "%.1f", (b - a) / 1e6 }') s"
ha_wait_line beta writer '^[0-9]+$' 1 120 > /dev/null || check_fail "the writer did not resume on beta"
grep -aE 'crash-fence-peer|fence-peer hook|promoted' "$(vm_file beta kmsg)" | tail -n 4 | sed "s/^/  beta kmsg| /"
grep -aq 'crash-fence-peer: .*exit 7' "$(vm_file beta kmsg)" || check_fail "beta's fence-peer hook did not report alpha fenced (7)"
metric alpha_files_acked_at_poweroff "$frozen_files"
vm_must beta 10 'ip link set eth0 up; ip link set eth1 up; show'

step "beta: every file alpha acknowledged (its IO was frozen from the link loss to its power-off) is there"
ha_collect_acks alpha
ha_verify beta

step "beta: hadiskd and the service stopped; fsck; alpha returns, resynced from beta; identical disks"
ha_service_down beta
ha_collect_acks beta
metric acked_files "$(wc -l < "$HA_ACKS")"
ha_fsck beta
ha_verify beta
vm_boot alpha
mark=$(grep -ac 'hadisk r0: connected to alpha\|split brain detected with alpha' "$(vm_file beta kmsg)")
vm_must alpha 60 'hd up r0 && show && [ "$(st role)" = Secondary ]'
t0=$SECONDS
while [ "$(grep -ac 'hadisk r0: connected to alpha\|split brain detected with alpha' "$(vm_file beta kmsg)")" -le "$mark" ]; do
	[ $((SECONDS - t0)) -lt 90 ] || fail "alpha neither connected nor found a split brain within 90 s"
	sleep 0.2
done
if grep -a 'split brain detected with alpha' "$(vm_file beta kmsg)" | tail -n 1 | sed 's/^/  beta kmsg| /' | grep -q .; then
	# KNOWN ISSUE of the kernel (kernel/conn.c, the link-loss path): a
	# Primary that loses its peer with writes unacknowledged starts a new
	# data generation at once, even when fencing resource-and-stonith
	# froze those writes and none completed; powered off frozen, it comes
	# back as the other side of a split brain instead of a crashed Primary
	# to resync.  No acknowledged write is at stake (checked above): the
	# documented procedure resolves it, alpha's blocks saved first.
	metric split_brain_on_return 1
	note "KNOWN ISSUE: alpha, powered off while its IO was frozen, had started a new data generation: split brain on its return; resolved by hand: connect --discard-my-data on alpha"
	vm_must alpha 120 'hd disconnect r0; hd connect r0 --discard-my-data && hd wait-connect r0 --timeout 60 && show'
else
	metric split_brain_on_return 0
fi
vm_must beta 200 'hd wait-sync r0 --timeout 180 && show'
vm_must alpha 60 'wait_until "alpha UpToDate" 50 is disk UpToDate && show'
images_identical

vm_shutdown alpha beta
klog_check
crash_done
