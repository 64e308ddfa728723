#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# hadisk under Pacemaker: the OCF agent scripts/ocf/hadisk as a promotable
# clone, the fence-peer hook scripts/ocf/crm-fence-peer.hadisk, Debian's
# pacemaker and corosync (two nodes over eth0, two_node: 1, no STONITH).
#
#  1. A fresh pair (create-md, up, no initial sync), then 'down' on both:
#     Pacemaker starts it ('hadiskctl up' by the agent) and promotes one
#     node from the agent's promotion scores.
#  2. The Primary writes acknowledged blocks; its qemu is killed.
#  3. Pacemaker on the survivor promotes it: the kernel runs the
#     fence-peer hook, which places a location constraint against the
#     dead node (-INFINITY for Promoted on every node but the survivor);
#     every acknowledged block is on the new Primary.
#  4. The dead node boots again, corosync and pacemaker start, the agent
#     brings r0 up: it reconnects as Secondary and is resynced; then the
#     unfence-peer hook removes the constraint; the new Primary stays
#     Primary (stickiness); both disks are identical.
set -u
. "$(dirname "$(readlink -f "$0")")/lib.sh"
. "$CRASH_LIB/pcmk-lib.sh"
crash_init
pcmk_check_host
pcmk_config
make_images 256

A1="--seed 7 --area 8M"

step "boot alpha and beta; a fresh pair, then down on both"
vm_boot alpha beta
pair_up
vm_must alpha 30 'hd secondary r0 && hd down r0'
vm_must beta 30 'hd down r0'

step "corosync and pacemaker on both nodes"
pcmk_start alpha beta
pcmk_wait_online alpha 400
pcmk_setup alpha

step "Pacemaker starts r0 on both nodes and promotes one"
P=""
t0=$SECONDS
while [ $((SECONDS - t0)) -lt 420 ]; do
	pcmk_promoted alpha
	P=$PRIMARY
	[ -n "$P" ] && break
	sleep 3
done
[ -n "$P" ] || { pcmk_show alpha; pcmk_save_logs alpha beta; fail "Pacemaker promoted no node within 420 s"; }
S=$(_other "$P")
metric promoted_after_setup_s $((SECONDS - t0))
note "Pacemaker promoted $P; $S is Secondary"
vm_must "$S" 60 'wait_until "connected to the Primary" 50 is peer_role Primary && show'
pcmk_show "$P"

step "$P (Primary) writes acknowledged blocks; its qemu is killed"
vm_must "$P" 300 "\$ACKCHECK write \$DEV --count 400 $A1 --report \$R/acks >/dev/null && show"
acked=$(acks_last "$P" acks)
metric acked_before_crash "$acked"
vm_kill "$P"
t_kill=$SECONDS

step "Pacemaker on $S promotes it; the fence-peer hook places the constraint"
t0=$SECONDS
promoted=0
while [ $((SECONDS - t0)) -lt 300 ]; do
	if vm_run "$S" 15 'is role Primary' >/dev/null; then promoted=1; break; fi
	sleep 2
done
if [ $promoted -eq 0 ]; then
	pcmk_show "$S"
	pcmk_save_logs "$S"
	fail "$S was not promoted by Pacemaker within 300 s of $P's power cut"
fi
metric failover_s $((SECONDS - t_kill))
vm_must "$S" 30 'show; grep -a "crm-fence-peer\|fence-peer" "$R/kmsg" | tail -n 5'
pcmk_show "$S"
vm_run "$S" 30 "cibadmin --query --xpath \"//rsc_location[@id='hadisk-fence-r0']\"" ||
	check_fail "no constraint hadisk-fence-r0 in the CIB after the promotion of $S"
grep -q "value=\"$S\"" <<< "$VM_REPLY" ||
	check_fail "the constraint hadisk-fence-r0 does not keep the promotion on $S"
vm_run "$S" 30 'hd status r0 --json | grep -q "\"peer_fenced\":true" && echo peer fenced' ||
	check_fail "$S does not record its peer as fenced"
vm_run "$S" 120 "\$ACKCHECK verify \$DEV --upto $acked $A1" ||
	check_fail "$S, the new Primary, lacks blocks $P acknowledged"

step "$P boots again; Pacemaker brings r0 up there; it is resynced"
mark_links "$S"
vm_boot "$P"
pcmk_start "$P"
pcmk_wait_online "$S" 400
t0=$SECONDS
rejoin=$(cat <<'EOF'
insync() {
	_status || return 1
	[[ $STATUS == *'"connection":"Connected"'* && $STATUS == *'"disk":"UpToDate"'* &&
	   $STATUS == *'"peer_disk":"UpToDate"'* ]]
}
wait_until "r0 up (by Pacemaker)" 400 hd status r0 || exit 1
wait_until "Secondary, in sync with the Primary" 200 insync || { show; exit 1; }
show
EOF
)
vm_run "$P" 660 "$rejoin" || { pcmk_show "$S"; pcmk_save_logs "$P" "$S"; fail "$P did not come back in sync under Pacemaker"; }
metric rejoin_s $((SECONDS - t0))
vm_run "$S" 30 'show' || true
grep -q 'role=Primary' <<< "$VM_REPLY" || check_fail "$S is no longer Primary after $P returned"
vm_run "$P" 30 'show' || true
grep -q 'role=Secondary' <<< "$VM_REPLY" || check_fail "$P is not Secondary after its return"

step "the unfence-peer hook removed the constraint"
t0=$SECONDS
gone=0
while [ $((SECONDS - t0)) -lt 180 ]; do
	if ! vm_run "$S" 15 "cibadmin --query --xpath \"//rsc_location[@id='hadisk-fence-r0']\" >/dev/null 2>&1" >/dev/null; then
		gone=1
		break
	fi
	sleep 2
done
[ $gone -eq 1 ] || check_fail "the constraint hadisk-fence-r0 is still in the CIB 180 s after the resync"
pcmk_show "$S"
vm_run "$P" 120 "\$ACKCHECK verify \$DISK --upto $acked $A1" ||
	check_fail "$P's disk lacks blocks after the resync"
pcmk_save_logs alpha beta

step "shut down; both disks identical"
DATA_BYTES=${DATA_BYTES:?}
vm_run "$S" 60 'bg_stop pacemaker; bg_stop corosync; hd secondary r0; hd down r0; echo stopped' || true
vm_run "$P" 60 'bg_stop pacemaker; bg_stop corosync; hd down r0; echo stopped' || true
vm_shutdown alpha beta
images_identical
klog_check
crash_done
