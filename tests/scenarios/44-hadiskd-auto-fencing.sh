#!/bin/bash
# hadiskd, policy automatic with "fencing kernel" and no witness: when the
# Primary vanishes, beta's hadiskd promotes it and the kernel runs the
# resource's fence-peer hook first; a failing fence hook makes the kernel
# refuse, and hadiskd says so and stays Secondary; once fencing works,
# hadiskctl failover promotes beta and starts its services.
# timeout: 600
. "$HADISK_ROOT/tests/scenarios/lib.sh"

D=$HADISK_TMP
setup_two_nodes 64
ip link add va2 netns a type veth peer name vb2 netns b
ip -n a addr add 10.98.0.1/24 dev va2
ip -n b addr add 10.98.0.2/24 dev vb2
ip -n a link set va2 up
ip -n b link set vb2 up
cat > $D/fence <<H
#!/bin/sh
echo "\$HADISK_HOOK \$HADISK_NODE peer=\$HADISK_PEER" >> $D/fence.log
exit \$(cat $D/fence-rc)
H
chmod +x $D/fence
echo 1 > $D/fence-rc
cat > "$HD_CONF" <<C
resource $RES {
    net { connect-interval 500ms; ping-timeout 1s; }
    disk { fencing resource-only; }
    handlers { fence-peer $D/fence; hook-timeout 5s; }
    on alpha { node-id 0; address $IP_A:$PORT; disk $DISK_A; minor 0; }
    on beta { node-id 1; address $IP_B:$PORT; disk $DISK_B; minor 1; }
}
C
load_hadisk
hd_a up r0 || fail "up alpha"
hd_b up r0 || fail "up beta"
hd_a wait-connect r0 --timeout 60 || fail "no connection"
hs_fencing_ok=1
hd_a new-current-uuid r0 --clear-bitmap || fail "new-current-uuid"

for n in alpha beta; do
	cat > "$D/start-$n" <<EOH
#!/bin/sh
echo "start \$HADISK_RESOURCE" >> $D/hook-$n.log
[ ! -e $D/fail-$n ] || { echo "start hook of $n: failing on purpose" >&2; exit 1; }
EOH
	cat > "$D/stop-$n" <<EOH
#!/bin/sh
echo "stop \$HADISK_RESOURCE" >> $D/hook-$n.log
EOH
	chmod +x "$D/start-$n" "$D/stop-$n"
done
conf() {	# conf NODE PEER LOCAL1 PEER1 LOCAL2 PEER2 DEV
	cat > "$D/hadiskd-$1.conf" <<EOC
daemon {
    node $1;
    peer $2;
    heartbeat-interval 200ms;
    heartbeat-timeout 2s;
    path $3:7790 $4:7790;
    path $5:7790 $6:7790;
}
resource r0 {
    policy automatic;
    fencing kernel;
    start-hook $D/start-$1;
    stop-hook $D/stop-$1;
    hook-timeout 5s;
    service-ip 10.99.0.100/24 $7;
}
EOC
}
conf alpha beta 10.99.0.1 10.99.0.2 10.98.0.1 10.98.0.2 va
conf beta alpha 10.99.0.2 10.99.0.1 10.98.0.2 10.98.0.1 vb
start_d() {
	local ns=${1:0:1}
	ip netns exec "$ns" "$HADISKD" --foreground --config "$D/hadiskd-$1.conf" \
		--socket /run/hadiskd-$ns.sock > "$D/d-$1.log" 2>&1 &
	echo $! > "$D/d-$1.pid"
}
hs() { HADISKD_SOCKET=/run/hadiskd-${1:0:1}.sock in_ns "$1" "$HADISKCTL" ha-status | _hd_json_field "$2"; }
hs_is() { local v; v=$(hs "$1" "$2") || return 1; echo "$1 $2=$v"; [ "$v" = "$3" ]; }
hctl() { local n=$1; shift; HADISKD_SOCKET=/run/hadiskd-${n:0:1}.sock in_ns "$n" "$HADISKCTL" "$@"; }
ip_on() { ip -n "$1" addr show | grep -q "inet 10.99.0.100/24"; }
show_logs() { for n in alpha beta; do echo "--- hadiskd $n"; sed 's/^/  /' "$D/d-$n.log"; done; }
trap 'show_logs' EXIT

start_d alpha
start_d beta
wait_for "path 1 up on beta" 15 hs_is beta paths.0.state up
wait_for "path 1 up on alpha" 15 hs_is alpha paths.0.state up
wait_for "the kernel's fencing seen" 10 hs_is beta resources.0.kernel_fencing resource-only

step "failover on alpha (beta alive, Secondary): promote, services"
hctl alpha failover r0 || fail "failover alpha"
hd_status_is alpha r0 role Primary || fail "alpha not Primary"
wait_for "beta sees alpha Primary" 10 hs_is beta resources.0.peer_view.role Primary

step "alpha vanishes; the fence hook fails: the kernel refuses, hadiskd says so, beta stays Secondary"
kill -KILL "$(cat "$D/d-alpha.pid")"
hd_a down r0 || fail "down alpha"
ip -n a addr del 10.99.0.100/24 dev va
ip -n a link set va down
ip -n a link set va2 down
wait_for "beta's automatic promotion attempt" 15 grep -q "r0: automatic promotion failed: the kernel's fencing failed (fencing the peer failed: fence-peer hook .* exited with 1" "$D/d-beta.log"
grep "automatic promotion failed" "$D/d-beta.log"
grep -q "fence-peer beta peer=alpha" "$D/fence.log" || fail "the kernel did not run the fence hook"
sleep 2
hd_status_is beta r0 role Secondary || fail "beta was promoted although fencing failed"
! ip -n b addr show dev vb | grep -q 10.99.0.100 || fail "service IP up on beta"
echo "  beta stays Secondary"

step "fencing works now: hadiskctl failover on beta"
echo 5 > $D/fence-rc	# peer unreachable, assumed dead
out=$(hctl beta failover r0) || { echo "$out"; fail "failover on beta"; }
echo "$out"
echo "$out" | grep -q "promote (PRIMARY): the peer is unknown: the kernel runs the fence-peer hook first" || fail "no promote step"
echo "$out" | grep -q "fence the peer, then Primary: the peer is fenced, this node is Primary" || fail "no fence step"
hd_status_is beta r0 role Primary || fail "beta not Primary"
[ "$(grep -c "fence-peer beta" "$D/fence.log")" -ge 2 ] || fail "the kernel did not fence before this promotion"
ip -n b addr show dev vb | grep -q "inet 10.99.0.100/24" || fail "no service IP on beta"
grep -q "start r0" "$D/hook-beta.log" || fail "beta's start hook did not run"
echo "hadiskd automatic with kernel fencing: ok"
