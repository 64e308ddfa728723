#!/bin/bash
# Split brain: both nodes write while apart. Detected at reconnect and
# never merged; each after-sb policy resolves it as documented; the
# victim's blocks are saved before the resync overwrites them, and the
# saved file restores them; differing policies and a failing save keep
# the nodes apart with nothing overwritten.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"

. "$HADISK_ROOT/tests/scenarios/sb-lib.sh"

setup_two_nodes 64
conf "after-sb-0pri discard-least-changes;"
hd alpha create-md $RES --force >/dev/null || fail "create-md alpha"
hd beta create-md $RES --force >/dev/null || fail "create-md beta"
load_hadisk
hd_a up $RES || fail "up alpha"
hd_b up $RES || fail "up beta"
hd_a wait-connect $RES --timeout 60 || fail "no connection"
hd_a primary $RES --force || fail "primary"
hd_a wait-sync $RES --timeout 300 || fail "no initial sync"
pattern /tmp/base.bin base 48
hd_a secondary $RES
put alpha /tmp/base.bin 0
[ "$(hd_status_field alpha $RES after_sb_0pri)" = discard-least-changes ] ||
	fail "status does not show after-sb-0pri"

step "split 1, discard-least-changes: alpha writes 4 MiB, beta 2+1 MiB"
split 4 2 1
link_up
wait_for "the split brain is resolved and synced" 120 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
dmesg | grep -q "split brain detected" || fail "no split-brain line in the log"
dmesg | grep -q "beta.*split brain resolved: this node's changes are discarded\|split brain resolved: this node's changes are discarded" ||
	fail "no resolution in the log"
f=$(hd_status_field beta $RES last_discarded_file) || fail "beta reports no saved file"
echo "saved: $f"
[ -s "$f" ] || fail "the saved file $f is missing or empty"
hd_b discarded "$f" || fail "discarded cannot read $f"
# beta's 3 MiB + alpha's 4 MiB (1 MiB overlapping): 6 MiB = 1536 blocks
n=$(hd_b discarded "$f" --json | _hd_json_field count) || fail "no count in the listing"
[ "$n" = 1536 ] || fail "saved $n blocks, expected 1536 (both nodes' changes)"
cmp_backing
[ "$(region $HD_DEV_A 8 4)" = "$(md5sum < /tmp/a.bin | cut -d' ' -f1)" ] ||
	fail "alpha's writes are not what both disks hold"
[ "$(region $DISK_B 24 2)" = "$(region /tmp/base.bin 24 2)" ] ||
	fail "beta's discarded region does not hold the old data"
grep -q "split-brain" $HOOKS/calls 2>/dev/null &&
	fail "the split-brain hook ran although the policy resolved it"

step "the saved file restores beta's version (on a scratch disk)"
dd if=$DISK_B of=/dev/ram2 bs=1M count=48 status=none
hd_b discarded "$f" --restore /dev/ram2 || fail "restore"
[ "$(region /dev/ram2 24 2)" = "$B24" ] || fail "the restored region is not beta's data"
[ "$(region /dev/ram2 8 1)" = "$(md5sum < /tmp/b8.bin | cut -d' ' -f1)" ] ||
	fail "the restored overlap is not beta's data"

step "split 2, discard-younger-primary: beta changes more but was promoted later"
reconnect_both
wait_for "connected" 60 both_connected
conf "after-sb-0pri discard-younger-primary;"
reconnect_both
wait_for "connected" 60 both_connected
hd_a primary $RES || fail "primary alpha"
link_down
wait_for "both nodes notice the cut" 30 apart
pattern /tmp/a.bin a2 1
dd if=/tmp/a.bin of=$HD_DEV_A bs=1M seek=8 oflag=direct conv=fsync status=none
hd_a secondary $RES
pattern /tmp/b.bin b2 4
put beta /tmp/b.bin 24
link_up
wait_for "resolved" 120 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
dmesg | grep -q "discard-younger-primary: this node was Primary when the link broke\|discard-younger-primary: the peer was Primary when the link broke" ||
	fail "the younger-primary rule is not in the log"
[ "$(region $HD_DEV_A 8 1)" = "$(md5sum < /tmp/a.bin | cut -d' ' -f1)" ] ||
	fail "alpha (the older Primary) lost its writes"
cmp_backing

step "split 3, disconnect: the nodes stay apart; the hook runs; --discard-my-data resolves"
conf "after-sb-0pri disconnect;"
reconnect_both
wait_for "connected" 60 both_connected
: > $HOOKS/calls
split 1 1 3
link_up
sb_error() {
	local e
	e=$(hd_status_field beta $RES last_error) || return 1
	echo "$e"
	case "$e" in *"split brain"*) return 0 ;; esac
	return 1
}
wait_for "split brain reported" 60 sb_error
sleep 3
apart || fail "the nodes did not stay apart"
[ "$(grep -c "split-brain" $HOOKS/calls)" = 2 ] ||
	{ cat $HOOKS/calls; fail "the split-brain hook did not run exactly once per node"; }
B24=$(region $HD_DEV_B 24 1)
hd_b disconnect $RES || fail "disconnect beta"
hd_b connect $RES --discard-my-data || fail "connect --discard-my-data"
wait_for "resolved" 120 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
cmp_backing
[ "$(region $DISK_B 24 1)" = "$(region /tmp/base.bin 24 1)" ] ||
	fail "beta's data was not discarded"

step "policies that differ between the nodes are refused"
conf "after-sb-0pri discard-zero-changes;"
hd_a disconnect $RES
hd_a connect $RES || fail "connect alpha"
conf "after-sb-0pri disconnect;"
pol_error() {
	local e
	e=$(hd_status_field alpha $RES last_error) || return 1
	echo "$e"
	case "$e" in *"policies differ"*) return 0 ;; esac
	return 1
}
wait_for "alpha refuses the peer's policies" 30 pol_error

step "a save that fails keeps the victim's data"
conf "after-sb-0pri discard-least-changes;" /proc/no-such-dir
reconnect_both
wait_for "connected" 60 both_connected
split 3 1 4
link_up
save_error() {
	local e
	e=$(hd_status_field beta $RES last_error) || return 1
	echo "$e"
	case "$e" in *"saving"*"failed"*) return 0 ;; esac
	return 1
}
wait_for "beta reports the failed save" 60 save_error
[ "$(region $HD_DEV_B 24 1)" = "$B24" ] ||
	fail "beta's data was overwritten although the save failed"
[ "$(hd_status_field beta $RES disk)" = UpToDate ] ||
	fail "beta's disk is not UpToDate after the failed save"
hd_a down $RES
hd_b down $RES
echo "split brain: ok"
