#!/bin/bash
# Fencing: a Primary that loses its peer runs the fence-peer hook, which
# outdates the peer (persistently: it cannot be promoted without --force);
# promotion with the peer unknown fences first and stays Secondary when
# fencing fails; resource-and-stonith freezes writes until the hook
# returns, a hanging hook is killed at its deadline and IO stays frozen
# until resume-io; unfence-peer runs when the nodes are in sync again.
# timeout: 900
. "$HADISK_ROOT/tests/scenarios/lib.sh"

HOOKS=/tmp/hooks
mkdir -p $HOOKS
# The hooks run in the initial namespaces: they reach a node through
# "ip netns exec". Their behaviour comes from $HOOKS/mode.
cat > $HOOKS/fence <<H
#!/bin/sh
echo "\$HADISK_HOOK \$HADISK_NODE peer=\$HADISK_PEER disk=\$HADISK_DISK fencing=\$HADISK_FENCING" >> $HOOKS/calls
case "\$HADISK_PEER" in alpha) ns=a ;; *) ns=b ;; esac
case "\$(cat $HOOKS/mode)" in
outdate) # the peer may not have noticed the cut yet: retry a little
	for i in 1 2 3 4 5 6 7 8 9 10; do
		ip netns exec \$ns $HADISKCTL --node "\$HADISK_PEER" outdate "\$HADISK_RESOURCE" >> $HOOKS/calls 2>&1 && exit 4
		sleep 0.5
	done
	exit 1 ;;
fenced)	exit 7 ;;
zero)	exit 0 ;;
hang)	sleep 600 ;;
*)	exit 1 ;;
esac
H
cat > $HOOKS/unfence <<H
#!/bin/sh
echo "\$HADISK_HOOK \$HADISK_NODE peer=\$HADISK_PEER" >> $HOOKS/calls
H
chmod +x $HOOKS/fence $HOOKS/unfence

conf() {
	cat > "$HD_CONF" <<C
resource $RES {
    net { connect-interval 500ms; ping-timeout 1s; }
    disk { fencing $1; }
    handlers { fence-peer $HOOKS/fence; unfence-peer $HOOKS/unfence; hook-timeout 5s; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
}
apart() {
	hd_status_is alpha $RES connection Connecting &&
		hd_status_is beta $RES connection Connecting
}
both_connected() {
	hd_status_is alpha $RES connection Connected &&
		hd_status_is beta $RES connection Connected
}
calls() { grep -c "$1" $HOOKS/calls 2>/dev/null || true; }

setup_two_nodes 64
conf resource-only
hd alpha create-md $RES --force >/dev/null || fail "create-md alpha"
hd beta create-md $RES --force >/dev/null || fail "create-md beta"
load_hadisk
hd_a up $RES || fail "up alpha"
hd_b up $RES || fail "up beta"
hd_a wait-connect $RES --timeout 60 || fail "no connection"
hd_a primary $RES --force || fail "primary"
hd_a wait-sync $RES --timeout 300 || fail "no initial sync"
[ "$(hd_status_field alpha $RES fencing)" = resource-only ] || fail "status does not show fencing"

step "resource-only: the Primary loses its peer; the hook outdates beta"
echo outdate > $HOOKS/mode
: > $HOOKS/calls
link_down
wait_for "alpha fenced its peer" 30 hd_status_is alpha $RES peer_fenced true
[ "$(calls "fence-peer alpha peer=beta")" = 1 ] || { cat $HOOKS/calls; fail "fence-peer did not run once on alpha"; }
wait_for "beta is Outdated" 10 hd_status_is beta $RES disk Outdated
dd if=/dev/urandom of=$HD_DEV_A bs=4k count=256 oflag=direct status=none ||
	fail "alpha cannot write after fencing its peer"
out=$(hd_b primary $RES 2>&1) && fail "an Outdated node was promoted without --force"
echo "refused: $out"
echo "$out" | grep -q -- "--force" || fail "the refusal does not mention --force"
step "the Outdated state survives down/up"
hd_b down $RES || fail "down beta"
hd_b up $RES || fail "up beta"
[ "$(hd_status_field beta $RES disk)" = Outdated ] || fail "beta is not Outdated after down/up"
step "reconnect: beta resyncs, becomes UpToDate; the peer is unfenced"
link_up
wait_for "connected again" 60 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
wait_for "beta UpToDate" 30 hd_status_is beta $RES disk UpToDate
wait_for "alpha no longer has a fenced peer" 10 hd_status_is alpha $RES peer_fenced false
wait_for "unfence-peer ran" 10 [ "$(calls "unfence-peer alpha")" = 1 ]
cmp_backing

step "promotion with the peer unknown fences first; a failing hook keeps the node Secondary"
hd_a secondary $RES || fail "secondary alpha"
echo fail > $HOOKS/mode
: > $HOOKS/calls
link_down
wait_for "both notice the cut" 30 apart
rc=0
out=$(hd_b primary $RES 2>&1) || rc=$?
echo "primary on beta: rc=$rc: $out"
wait_for "fence-peer ran on beta" 15 [ "$(calls "fence-peer beta peer=alpha")" = 1 ]
wait_for "beta reports the failed fencing" 15 eval 'hd_status_field beta $RES last_error | grep -q "fencing the peer failed"'
sleep 1
[ "$(hd_status_field beta $RES role)" = Secondary ] || fail "beta was promoted although fencing failed"
step "exit code 0 is no verdict"
echo zero > $HOOKS/mode
hd_b primary $RES >/dev/null 2>&1 || true
wait_for "fence-peer ran again" 15 [ "$(calls "fence-peer beta peer=alpha")" = 2 ]
sleep 1
[ "$(hd_status_field beta $RES role)" = Secondary ] || fail "beta was promoted on exit code 0"
step "a hook that outdates alpha lets beta become Primary"
echo outdate > $HOOKS/mode
hd_b primary $RES || true
wait_for "beta is Primary" 30 hd_status_is beta $RES role Primary
[ "$(hd_status_field alpha $RES disk)" = Outdated ] || fail "alpha is not Outdated"
hd_b secondary $RES || fail "secondary beta"
link_up
wait_for "connected again" 60 both_connected
hd_b wait-sync $RES --timeout 120 || fail "no resync"
cmp_backing

step "resource-and-stonith: writes freeze until the hook fences the peer"
hd_a disconnect $RES; hd_b disconnect $RES
conf resource-and-stonith
hd_a connect $RES || fail "connect alpha"
hd_b connect $RES || fail "connect beta"
wait_for "connected" 60 both_connected
hd_a primary $RES || fail "primary alpha"
echo hang > $HOOKS/mode
: > $HOOKS/calls
dd if=/dev/urandom of=/tmp/w.bin bs=1M count=1 status=none
link_down
wait_for "alpha froze its IO" 30 hd_status_is alpha $RES io_frozen true
dd if=/tmp/w.bin of=$HD_DEV_A bs=1M seek=4 oflag=direct conv=fsync status=none &
DD=$!
sleep 2
kill -0 $DD 2>/dev/null || fail "a write completed while IO was frozen"
wait_for "the hanging hook is killed at its deadline" 20 eval 'dmesg | grep -q "fence-peer hook .* did not return within 5000 ms: killed"'
pgrep -f "$HOOKS/fence" && fail "the hanging hook still runs"
sleep 1
kill -0 $DD 2>/dev/null || fail "the write completed although fencing failed"
[ "$(hd_status_field alpha $RES io_frozen)" = true ] || fail "IO is not frozen after the failed fencing"
hd_a resume-io $RES || fail "resume-io"
wait $DD || fail "the frozen write failed after resume-io"
[ "$(hd_status_field alpha $RES io_frozen)" = false ] || fail "IO still frozen after resume-io"
out=$(hd_a resume-io $RES 2>&1) && fail "resume-io with nothing frozen succeeded"
echo "$out" | grep -qi "not frozen" || fail "unclear message: $out"
link_up
wait_for "connected again" 60 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"

step "resource-and-stonith: the hook reports the peer fenced: writes go on"
echo fenced > $HOOKS/mode
link_down
wait_for "alpha fenced its peer" 30 hd_status_is alpha $RES peer_fenced true
[ "$(hd_status_field alpha $RES io_frozen)" = false ] || fail "IO frozen after a successful fence"
dd if=/tmp/w.bin of=$HD_DEV_A bs=1M seek=6 oflag=direct conv=fsync status=none ||
	fail "write after fencing"
link_up
wait_for "connected again" 60 both_connected
hd_a wait-sync $RES --timeout 120 || fail "no resync"
hd_a secondary $RES
cmp_backing
hd_a down $RES
hd_b down $RES
echo "fencing: ok"
