#!/bin/bash
# Split brain with Primaries, and the policies scenario 50 leaves out:
# after-sb-1pri discard-secondary (the Secondary's changes go, the
# Primary keeps writing), after-sb-1pri call-pri-lost-after-sb (the
# Primary that after-sb-0pri discards runs its hook and the nodes stay
# apart until it is demoted), after-sb-0pri discard-node-NAME and
# discard-older-primary.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"
. "$HADISK_ROOT/tests/scenarios/sb-lib.sh"

setup_two_nodes 64
conf "after-sb-0pri discard-least-changes; after-sb-1pri discard-secondary;"
hd alpha create-md $RES --force >/dev/null || fail "create-md alpha"
hd beta create-md $RES --force >/dev/null || fail "create-md beta"
load_hadisk
hd_a up $RES || fail "up alpha"
hd_b up $RES || fail "up beta"
hd_a wait-connect $RES --timeout 60 || fail "no connection"
hd_a primary $RES --force || fail "primary"
hd_a wait-sync $RES --timeout 300 || fail "no initial sync"
pattern /tmp/base.bin base 48
dd if=/tmp/base.bin of=$HD_DEV_A bs=1M oflag=direct conv=fsync status=none

step "discard-secondary: alpha stays Primary; beta (more changes) loses"
: > $HOOKS/calls
link_down
wait_for "both nodes notice the cut" 30 apart
pattern /tmp/a.bin a1 1
dd if=/tmp/a.bin of=$HD_DEV_A bs=1M seek=8 oflag=direct conv=fsync status=none
pattern /tmp/b.bin b1 4
put beta /tmp/b.bin 24
link_up
wait_for "resolved" 120 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
dmesg | grep -q "after-sb-1pri discard-secondary" || fail "the rule is not in the log"
[ "$(hd_status_field alpha $RES role)" = Primary ] || fail "alpha is no longer Primary"
[ "$(region $DISK_B 24 4)" = "$(region /tmp/base.bin 24 4)" ] || fail "beta's changes survived"
[ "$(region $DISK_B 8 1)" = "$(md5sum < /tmp/a.bin | cut -d' ' -f1)" ] || fail "beta lacks alpha's writes"
f=$(hd_status_field beta $RES last_discarded_file) || fail "no saved file on beta"
[ -s "$f" ] || fail "saved file $f missing"

step "call-pri-lost-after-sb: the Primary with fewer changes runs its hook and stays apart"
conf "after-sb-0pri discard-least-changes; after-sb-1pri call-pri-lost-after-sb;" "" "pri-lost-after-sb $HOOKS/pri-lost;"
hd_a disconnect $RES; hd_b disconnect $RES
hd_a connect $RES || fail "connect alpha"
hd_b connect $RES || fail "connect beta"
wait_for "connected" 60 both_connected
: > $HOOKS/calls
link_down
wait_for "both nodes notice the cut" 30 apart
pattern /tmp/a.bin a2 1
dd if=/tmp/a.bin of=$HD_DEV_A bs=1M seek=8 oflag=direct conv=fsync status=none
pattern /tmp/b.bin b2 4
put beta /tmp/b.bin 24
link_up
wait_for "the pri-lost-after-sb hook ran on alpha" 60 grep -q "pri-lost-after-sb alpha r0 peer=beta role=Primary" $HOOKS/calls
sleep 2
apart || fail "the nodes connected although the Primary is the victim"
# (last_error alternates with "link lost" at every retry)
wait_for "alpha's error says to demote it" 20 eval 'hd_status_field alpha $RES last_error | grep "demote this node"' 
[ "$(grep -c pri-lost-after-sb $HOOKS/calls)" = 1 ] || fail "the hook ran more than once"
A8=$(region $DISK_A 8 1)
step "demoted, alpha is the Secondary victim: discard-least-changes resolves"
hd_a secondary $RES || fail "secondary alpha"
wait_for "resolved" 120 both_connected
hd_b wait-sync $RES --timeout 120 || fail "no resync"
[ "$(region $DISK_A 8 1)" != "$(md5sum < /tmp/a.bin | cut -d' ' -f1)" ] || fail "alpha's changes survived"
[ "$(region $DISK_A 24 4)" = "$(md5sum < /tmp/b.bin | cut -d' ' -f1)" ] || fail "alpha lacks beta's writes"
f=$(hd_status_field alpha $RES last_discarded_file) || fail "no saved file on alpha"
hd_a discarded "$f" --restore /dev/ram2 || fail "restore"
[ "$(region /dev/ram2 8 1)" = "$A8" ] || fail "alpha's saved blocks are not what it had"
cmp_backing

step "discard-node-alpha: alpha loses whatever it changed"
conf "after-sb-0pri discard-node-alpha;"
hd_a disconnect $RES; hd_b disconnect $RES
hd_a connect $RES || fail "connect alpha"
hd_b connect $RES || fail "connect beta"
wait_for "connected" 60 both_connected
hd_b secondary $RES 2>/dev/null || true
split 6 1 7
link_up
wait_for "resolved" 120 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
dmesg | grep -q "discard-node: this node (id 0) is named" || fail "the rule is not in the log"
[ "$(region $DISK_A 24 1)" = "$B24" ] || fail "alpha lacks beta's writes"
cmp_backing

step "discard-older-primary: the node that was Primary at the cut loses"
conf "after-sb-0pri discard-older-primary;"
hd_a disconnect $RES; hd_b disconnect $RES
hd_a connect $RES || fail "connect alpha"
hd_b connect $RES || fail "connect beta"
wait_for "connected" 60 both_connected
hd_a primary $RES || fail "primary alpha"
link_down
wait_for "both nodes notice the cut" 30 apart
pattern /tmp/a.bin a4 4
dd if=/tmp/a.bin of=$HD_DEV_A bs=1M seek=8 oflag=direct conv=fsync status=none
hd_a secondary $RES
pattern /tmp/b.bin b4 1
put beta /tmp/b.bin 24
link_up
wait_for "resolved" 120 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
[ "$(region $DISK_A 24 1)" = "$(md5sum < /tmp/b.bin | cut -d' ' -f1)" ] || fail "alpha (older Primary) kept its data"
[ "$(region $DISK_A 8 4)" != "$(md5sum < /tmp/a.bin | cut -d' ' -f1)" ] || fail "alpha's changes survived"
cmp_backing
hd_a down $RES
hd_b down $RES
echo "split brain with Primaries: ok"
