#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: a two-node hadisk cluster in two VMs, a power cut of the
# Primary, an automatic failover by hadiskd, the old Primary's return and
# a switchover back, printed step by step with timings for an
# administrator.  Built on the crash-test harness (tests/crash/lib.sh,
# ha.sh; Documentation/testing-crash.md): two qemu VMs (Debian's kernel,
# TCG), each with its own raw disk image and two network links.
#
# The full log (every command sent to a VM and its output) is
# build/crash/demo.log; this script prints the story.  Exit status 0 when
# every step worked.  About 4 minutes on 2 CPUs.
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
. "$ROOT/tests/crash/lib.sh"
. "$CRASH_LIB/ha.sh"

LOG=$ROOT/build/crash/demo.log
mkdir -p "$ROOT/build/crash"
exec 3>&1 4>&2
exec > "$LOG" 2>&1
T0=${EPOCHREALTIME/./}
B=$'\033[1m' C=$'\033[36m' G=$'\033[32m' Z=$'\033[0m'
[ -t 3 ] || { B="" C="" G="" Z=""; }

both() { local t; t=$(cat); printf '%s\n' "$t"; printf '%s\n' "$t" >&3; }	# stdin to the log and the terminal
clock() { local us=$(( ${EPOCHREALTIME/./} - T0 )); printf '%3d:%02d' $((us / 60000000)) $((us / 1000000 % 60)); }
say() { printf '\n%s[%s] %s%s\n' "$B" "$(clock)" "$*" "$Z" | both; }
tell() { printf '         %s\n' "$*" | both; }
show_reply() { printf '%s\n' "$VM_REPLY" | sed "s/^/         $C$1\$$Z /" | both; }
on() {	# on NODE SECS SCRIPT: run it, show its output
	vm_run "$1" "$2" "$3" || { tell "$1: the command failed: $3"; show_reply "$1"; demo_failed "a step failed"; }
	show_reply "$1"
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }
demo_failed() {
	printf '\n%sThe demo failed: %s%s\nThe last lines of its log (%s):\n' "$B" "$*" "$Z" "$LOG" >&3
	tail -n 40 "$LOG" | sed 's/^/  | /' >&3
	DEMO_DONE=1
	exit 1
}

printf '%shadisk demo: two VMs, a power cut, an automatic failover, a return and a switchover%s\n' "$B" "$Z" >&3
tell "Full log: ${LOG#"$ROOT"/}"

crash_init demo
# after crash_init (which sets its own EXIT trap): show the end of the log on a failure
trap 'rc=$?; [ $rc -eq 0 ] || [ -n "${DEMO_DONE:-}" ] || { printf "\nThe demo stopped (status %s); its log: %s\n" "$rc" "$LOG" >&3; tail -n 30 "$LOG" | sed "s/^/  | /" >&3; }; _cleanup' EXIT
ha_config 7
make_images 256

say "1. Two VMs, alpha and beta, each with its own 256 MiB disk and two network links"
tell "eth0 10.99.1.0/24: replication link and heartbeat path 1; eth1 10.99.2.0/24: heartbeat path 2"
vm_boot alpha beta
tell "both VMs booted ($(clock))"
tell "The resource (/etc/hadisk/r0.conf, the same on both):"
sed 's/^/           /' "$CRASH_DIR/r0.conf" | both

say "2. hadiskctl create-md, up on both; a fresh pair (no initial sync: both disks are zeroes); alpha Primary; ext4"
pair_up
on alpha 10 'show'
ha_mkfs alpha

say "3. hadiskd on both nodes: heartbeats every 0.5 s on both links, peer lost after 3 s of silence"
tell "hadiskd.conf of alpha:"
sed 's/^/           /' "$CRASH_DIR/hadiskd-alpha.conf" | both
ha_start alpha beta
ha_fence_ok beta
tell "The fence-peer hook (tests/crash/fence-peer.sh) reports the peer unreachable when hadiskd hears it on"
tell "no path and the node holds /run/fence-ok -- the demo's stand-in for a power switch, placed on beta."
vm_must beta 30 'wait_until "alpha heard on both paths" 20 ha_is peer_state up'
on beta 10 ha_paths

say "4. Start the service on alpha: hadiskctl failover r0 (hadiskd runs the start hook: mount ext4, start the writer)"
on alpha 120 'HADISKD_SOCKET=/run/hadiskd.sock $HADISKCTL failover r0'
ha_wait_line alpha writer '^[0-9]+$' 8 180 > /dev/null || demo_failed "the writer does not write"
tell "The writer creates files in /mnt/r0/data: write, fsync, rename, fsync the directory, then count it as acknowledged."
tell "alpha: $(ha_writer_acks alpha) files acknowledged so far"

say "5. Power cut: alpha's qemu is killed with SIGKILL while the writer runs"
ha_fence_ok beta
ha_kill_measure alpha beta
files_a=$(ha_writer_acks alpha)
ha_collect_acks alpha
tell "alpha had acknowledged $files_a files before it died"
ha_wait_line beta writer '^[0-9]+$' 1 120 > /dev/null || demo_failed "the writer did not resume on beta"
tell "${G}beta: Primary after ${HA_T_PRIMARY} s, ext4 mounted after ${HA_T_MOUNTED} s (heartbeat-timeout 3 s + fencing + promotion; mount = journal replay)${Z}"
grep -a 'promoting this node\|promote (PRIMARY)\|start hook:' "$(vm_file beta bg/hadiskd.out)" | sed 's/^[^ ]*T\([0-9:.]*\) hadiskd: /\1 /; s/^/         beta hadiskd: /' | both
grep -a 'crash-fence-peer\|promoted to Primary' "$(vm_file beta kmsg)" | sed 's/^\[ *[0-9.]*\] //; s/^/         beta kernel: /' | both
on beta 30 'show; tail -n 1 $R/service.log | cut -d" " -f2-'
ha_verify beta
tell "${G}every file alpha acknowledged is on beta, intact; the writer goes on on beta${Z}"
HA_T_PRIMARY1=$HA_T_PRIMARY HA_T_MOUNTED1=$HA_T_MOUNTED

say "6. alpha returns: it boots, 'hadiskctl up r0' replays its activity log and it rejoins as Secondary"
vm_boot alpha
tell "alpha booted ($(clock))"
vm_must beta 10 'st out_of_sync_bytes'
b_oos=$VM_REPLY
t0=${EPOCHREALTIME/./}
on alpha 60 'hd up r0 && show'
vm_must beta 200 'hd wait-sync r0 --timeout 180'
tsync=$(secs "$t0" "${EPOCHREALTIME/./}")
on alpha 60 'wait_until "alpha UpToDate" 50 is disk UpToDate && show'
rs=$(kmsg_num beta 'bitmap-based resync to alpha started: ([0-9]+) bytes')
ext=$(kmsg_num alpha 'activity log replayed: ([0-9]+) extents')
tell "${G}incremental resync: $(mib "${rs:-0}") of the device's $(mib "$DATA_BYTES") ($(( ${rs:-0} * 100 / DATA_BYTES )) %) in ${tsync} s${Z}"
tell "  = alpha's activity log (${ext:-?} extents of 4 MiB: where it may have written last, replayed at 'up')"
tell "    + what beta wrote alone ($(mib "$b_oos") in its bitmap), merged"
ha_start alpha
vm_must beta 30 'wait_until "alpha heard on both paths" 20 ha_is peer_state up'

say "7. Switchover back to alpha, planned, while the writer runs: hadiskctl switchover r0 on beta"
t0=${EPOCHREALTIME/./}
on beta 300 'HADISKD_SOCKET=/run/hadiskd.sock $HADISKCTL switchover r0'
tso=$(secs "$t0" "${EPOCHREALTIME/./}")
ha_wait_line alpha writer '^[0-9]+$' 3 120 > /dev/null || demo_failed "the writer did not resume on alpha"
ha_collect_acks beta
grep -aq 'writer: stopped cleanly' "$(vm_file beta service.log)" || demo_failed "the writer on beta did not stop cleanly"
tell "${G}the writer stopped cleanly on beta (no IO error), resumed on alpha; switchover ${tso} s${Z}"
on alpha 10 'show; tail -n 1 $R/service.log | cut -d" " -f2-'

say "8. Check: every acknowledged file on alpha, fsck, identical disks"
ha_wait_line alpha writer '^[0-9]+$' 5 120 > /dev/null
ha_service_down alpha
vm_must beta 30 'ha_stop_daemon'
ha_collect_acks alpha
ha_verify alpha
tell "$(printf '%s' "$VM_REPLY" | tail -n 1)"
vm_run alpha 300 'fsck.ext4 -fn $DEV' || demo_failed "fsck.ext4 found errors"
tell "fsck.ext4 -fn: clean"
vm_must alpha 120 'hd wait-sync r0 --timeout 100'
images_identical
tell "alpha.img and beta.img: data areas identical, compared on the host"
[ ${#CRASH_FAILS[@]} -eq 0 ] || demo_failed "${CRASH_FAILS[*]}"

vm_shutdown alpha beta
klog_check
say "Summary"
tell "power cut -> beta Primary:          ${HA_T_PRIMARY1} s   (hadiskd's heartbeat-timeout: 3 s)"
tell "power cut -> ext4 mounted on beta:  ${HA_T_MOUNTED1} s"
tell "files acknowledged, all intact:     $(wc -l < "$HA_ACKS")"
tell "alpha's return, resynced:           $(mib "${rs:-0}") of $(mib "$DATA_BYTES") in ${tsync} s"
tell "switchover beta -> alpha:           ${tso} s, no IO error"
tell "total:                              $(clock)"
DEMO_DONE=1
exit 0
